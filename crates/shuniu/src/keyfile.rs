//! The audit key file: the HMAC key of the audit chain, kept outside the database so
//! that whoever can write the database cannot forge the chain.
//!
//! The file holds 32 random bytes as 64 hex digits. `serve`, `migrate` and `demo`
//! create it (mode 0600) when it is missing; every other command needs it to exist.

use std::io::Write;
use std::path::Path;

use rand::RngCore;

/// Bytes of a new key.
const KEY_BYTES: usize = 32;

/// A problem with the key file, worded for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError(pub String);

/// Reads the key at `path`; `None` if the file does not exist.
pub fn read(path: &Path) -> Result<Option<Vec<u8>>, KeyError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(KeyError(format!(
                "cannot read the audit key file {}: {e}",
                path.display()
            )));
        }
    };
    let key = hex::decode(text.trim()).map_err(|_| {
        KeyError(format!(
            "the audit key file {} is not a key (expected {} hex digits)",
            path.display(),
            KEY_BYTES * 2
        ))
    })?;
    if key.len() < KEY_BYTES {
        return Err(KeyError(format!(
            "the audit key in {} is too short ({} bytes; at least {KEY_BYTES} are needed)",
            path.display(),
            key.len()
        )));
    }
    Ok(Some(key))
}

/// Reads the key at `path`, creating a new random one (mode 0600) if the file does
/// not exist. Returns the key and whether it was created.
pub fn read_or_create(path: &Path) -> Result<(Vec<u8>, bool), KeyError> {
    if let Some(key) = read(path)? {
        return Ok((key, false));
    }
    let mut key = vec![0u8; KEY_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut key);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(path).and_then(|mut f| {
        f.write_all(format!("{}\n", hex::encode(&key)).as_bytes())?;
        f.sync_all()
    });
    match written {
        Ok(()) => Ok((key, true)),
        // Another process created it meanwhile: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read(path)?
            .map(|k| (k, false))
            .ok_or_else(|| KeyError(format!("cannot read {}", path.display()))),
        Err(e) => Err(KeyError(format!(
            "cannot create the audit key file {}: {e}",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!(
            "shuniu-key-{}-{name}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ))
    }

    #[test]
    fn a_created_key_is_private_and_read_back() {
        let path = temp("new");
        assert_eq!(read(&path).unwrap(), None);
        let (key, created) = read_or_create(&path).unwrap();
        assert!(created);
        assert_eq!(key.len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(read_or_create(&path).unwrap(), (key.clone(), false));
        assert_eq!(read(&path).unwrap(), Some(key));
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_bad_key_file_is_an_error() {
        let path = temp("bad");
        std::fs::write(&path, "not hex").unwrap();
        assert!(read(&path).unwrap_err().0.contains("hex digits"));
        std::fs::write(&path, "abcd").unwrap();
        assert!(read(&path).unwrap_err().0.contains("too short"));
        assert!(
            read_or_create(&path).is_err(),
            "a bad key is never replaced"
        );
        std::fs::remove_file(&path).unwrap();
    }
}
