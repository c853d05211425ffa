//! Opening the database: the audit key first (read, or created by the commands that
//! set a database up), then the connection, then the migrations.

use std::path::PathBuf;

use shuniu_store::{Store, StoreError};

use crate::config::{Settings, redact};
use crate::{Failure, Outcome, keyfile};

/// Whether a command may create a missing audit key file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// `serve`, `migrate`, `demo`: the commands that set a database up.
    CreateIfMissing,
    /// Every other command: a missing key is an error (a new key could not verify
    /// the chain written with the old one).
    Required,
}

/// The audit key of `settings`, read (or created) before the database is touched.
pub(crate) fn audit_key(settings: &Settings, mode: Key) -> Outcome<Vec<u8>> {
    let path = &settings.audit_key_file;
    match mode {
        Key::CreateIfMissing => {
            let (key, created) =
                keyfile::read_or_create(path).map_err(|e| Failure::new(e.0))?;
            if created {
                tracing::warn!(
                    file = %path.display(),
                    "audit key file created (mode 0600): back it up — without it `shuniu audit verify` cannot prove the audit trail's integrity"
                );
            }
            Ok(key)
        }
        Key::Required => keyfile::read(path)
            .map_err(|e| Failure::new(e.0))?
            .ok_or_else(|| {
                Failure::new(format!(
                    "the audit key file {} does not exist: set --audit-key-file / SHUNIU_AUDIT_KEY_FILE to the key \
                     this database's audit trail was written with (restore it from backup), or run `shuniu migrate` \
                     to create a key for a new database; without the key the audit chain cannot be verified or extended",
                    path.display()
                ))
            }),
    }
}

/// Opens the store with the audit key: every write it makes is chained with it.
pub(crate) async fn open_keyed(settings: &Settings, mode: Key) -> Outcome<Store> {
    let key = audit_key(settings, mode)?;
    Ok(open(settings).await?.with_audit_key(&key))
}

pub(crate) async fn open(settings: &Settings) -> Outcome<Store> {
    open_tuned(settings, shuniu_store::Tuning::Serve).await
}

pub(crate) async fn open_tuned(
    settings: &Settings,
    tuning: shuniu_store::Tuning,
) -> Outcome<Store> {
    let shown = redact(&settings.db);
    tracing::debug!(db = %shown, "connecting");
    Store::connect_tuned(&settings.db, tuning)
        .await
        .map_err(|e| match e {
            // The message may quote the URL: never its password.
            StoreError::Url(why) if why.contains(&settings.db) => Failure::new(format!(
                "bad database URL: {}",
                why.replace(&settings.db, &shown)
            )),
            StoreError::Url(why) => Failure::new(format!("bad database URL {shown}: {why}")),
            _ => {
                let hint = if shown.starts_with("postgres") {
                    " (is the server running, and are the host, port, user and database right?)"
                } else {
                    " (does its directory exist, and may this user write there?)"
                };
                Failure::new(format!("cannot connect to the database {shown}: {e}{hint}"))
            }
        })
}

pub(crate) async fn migrate(store: &Store) -> Outcome {
    store
        .migrate()
        .await
        .map_err(|e| Failure::new(format!("cannot apply the migrations: {e}")))?;
    tracing::info!(backend = store.backend_name(), "migrations applied");
    Ok(())
}

/// The file behind a `sqlite:` URL (`None` for in-memory databases and other schemes).
pub(crate) fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_file_of_urls() {
        assert_eq!(
            sqlite_file("sqlite://shuniu.db"),
            Some(PathBuf::from("shuniu.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///var/lib/shuniu/s.db?mode=rwc"),
            Some(PathBuf::from("/var/lib/shuniu/s.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://u@h/db"), None);
    }
}
