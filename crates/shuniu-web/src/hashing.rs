//! Password hashing with bounded memory. Argon2id costs 19 MiB per hash by design;
//! unbounded, a flood of parallel sign-ins (every one of them hashes, unknown names
//! too) takes gigabytes. Here at most `permits` hashes run at once (one per core), each
//! in a preallocated buffer kept for the next; at most `queue` more wait, each at most
//! `wait`; anything beyond is told to come back later ([`Busy`]: 503 and `Retry-After`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

use crate::auth::constant_time_eq_bytes;

/// How many hashes may run and wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashingSettings {
    /// Hashes computed at once (default: the number of cores).
    pub permits: usize,
    /// Requests waiting for a turn at most; more are answered 503 at once.
    pub queue: usize,
    /// How long a request waits for its turn before it is answered 503.
    pub wait: Duration,
}

impl Default for HashingSettings {
    fn default() -> Self {
        HashingSettings {
            permits: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            queue: 64,
            wait: Duration::from_secs(5),
        }
    }
}

/// No turn to hash a password in time: answer 503 with `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub retry_after_secs: u64,
}

/// Memory a stored hash may ask for, at most (KiB): 4× the default cost. A hash asking
/// for more does not verify (it was not made here) rather than take unbounded memory.
const MAX_M_COST: u32 = 4 * Params::DEFAULT_M_COST;

/// The bounded hasher every web request uses.
#[derive(Debug)]
pub struct PasswordHashing {
    settings: HashingSettings,
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    /// Buffers made so far (at most `permits`, ever).
    allocated: AtomicUsize,
    /// Buffers of finished hashes, for the next; never more than `permits` exist (a
    /// buffer goes back before its permit does).
    buffers: Arc<std::sync::Mutex<Vec<Vec<Block>>>>,
}

impl Default for PasswordHashing {
    fn default() -> Self {
        PasswordHashing::new(HashingSettings::default())
    }
}

struct Waiting<'a>(&'a AtomicUsize);
impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl PasswordHashing {
    pub fn new(settings: HashingSettings) -> Self {
        let permits = settings.permits.max(1);
        PasswordHashing {
            settings: HashingSettings {
                permits,
                ..settings
            },
            permits: Arc::new(Semaphore::new(permits)),
            waiting: AtomicUsize::new(0),
            allocated: AtomicUsize::new(0),
            buffers: Arc::new(std::sync::Mutex::new(Vec::with_capacity(permits))),
        }
    }

    /// Takes one turn and holds it until the permit is dropped (tests, and an operator
    /// who wants hashing paused); `None` if every turn is taken.
    pub fn occupy(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        self.permits.clone().try_acquire_owned().ok()
    }

    fn busy(&self) -> Busy {
        Busy {
            retry_after_secs: self.settings.wait.as_secs().clamp(1, 60),
        }
    }

    /// Runs `f` on a blocking thread with a hashing buffer, once a permit is had.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                let before = self.waiting.fetch_add(1, Ordering::SeqCst);
                let _waiting = Waiting(&self.waiting);
                if before >= self.settings.queue {
                    return Err(self.busy());
                }
                match tokio::time::timeout(self.settings.wait, self.permits.clone().acquire_owned())
                    .await
                {
                    Ok(Ok(p)) => p,
                    _ => return Err(self.busy()),
                }
            }
        };
        let mut buffer = self
            .buffers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_else(|| {
                self.allocated.fetch_add(1, Ordering::SeqCst);
                Vec::new()
            });
        // The permit goes with the work: if the request is dropped meanwhile, the hash
        // still counts until it is done. The buffer is back in the pool before the
        // permit is released, so the next holder finds it (and allocates nothing).
        let pool = self.buffers.clone();
        let permits = self.settings.permits;
        let done = tokio::task::spawn_blocking(move || {
            let r = f(&mut buffer);
            let mut pool = pool.lock().unwrap_or_else(|e| e.into_inner());
            if pool.len() < permits {
                pool.push(buffer);
            }
            drop(pool);
            drop(permit);
            r
        })
        .await;
        done.map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            self.busy()
        })
    }

    /// Checks `password` against a stored PHC-string hash (Argon2 of any variant, its
    /// own parameters and salt), in constant time. A malformed hash fails.
    pub async fn verify(&self, hash: &str, password: &str) -> Result<bool, Busy> {
        let (hash, password) = (hash.to_string(), password.to_string());
        self.run(move |buffer| verify_with(buffer, &hash, &password).unwrap_or(false))
            .await
    }

    /// A new Argon2id hash of `password` (default parameters, random salt), as a PHC
    /// string.
    pub async fn hash(&self, password: &str) -> Result<String, Busy> {
        let password = password.to_string();
        self.run(move |buffer| hash_with(buffer, &password))
            .await?
            .map_err(|e| {
                tracing::error!(error = %e, "password hashing failed");
                self.busy()
            })
    }
}

fn ensure(buffer: &mut Vec<Block>, blocks: usize) -> &mut [Block] {
    if buffer.len() < blocks {
        buffer.resize(blocks, Block::default());
    }
    &mut buffer[..blocks]
}

fn verify_with(buffer: &mut Vec<Block>, hash: &str, password: &str) -> Option<bool> {
    let h = PasswordHash::new(hash).ok()?;
    let algorithm = Algorithm::try_from(h.algorithm).ok()?;
    let version = match h.version {
        Some(v) => Version::try_from(v).ok()?,
        None => Version::default(),
    };
    let params = Params::try_from(&h).ok()?;
    if params.m_cost() > MAX_M_COST {
        tracing::warn!(
            m_cost = params.m_cost(),
            "a stored password hash asks for too much memory"
        );
        return Some(false);
    }
    let expected = h.hash?;
    let mut salt = [0u8; 64];
    let salt = h.salt?.decode_b64(&mut salt).ok()?;
    let mut out = vec![0u8; expected.len()];
    let blocks = params.block_count();
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, ensure(buffer, blocks))
        .ok()?;
    Some(constant_time_eq_bytes(&out, expected.as_bytes()))
}

fn hash_with(buffer: &mut Vec<Block>, password: &str) -> Result<String, String> {
    use rand::RngCore;
    let params = Params::default();
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt_string = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let blocks = params.block_count();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(
            password.as_bytes(),
            &salt,
            &mut out,
            ensure(buffer, blocks),
        )
        .map_err(|e| e.to_string())?;
    let output = Output::new(&out).map_err(|e| e.to_string())?;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        salt_string.as_str(),
        output
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordVerifier;

    fn small() -> PasswordHashing {
        PasswordHashing::new(HashingSettings {
            permits: 1,
            queue: 0,
            wait: Duration::from_millis(1),
        })
    }

    #[tokio::test]
    async fn hashes_are_standard_argon2id_and_verify_both_ways() {
        let p = small();
        let h = p.hash("Lower1upper").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        // The standard verifier accepts ours, ours accepts the standard hasher's.
        let parsed = PasswordHash::new(&h).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"Lower1upper", &parsed)
                .is_ok()
        );
        assert!(p.verify(&h, "Lower1upper").await.unwrap());
        assert!(!p.verify(&h, "lower1upper").await.unwrap());
        let theirs = crate::auth::hash_password("Other-pass1").await.unwrap();
        assert!(p.verify(&theirs, "Other-pass1").await.unwrap());
        assert!(!p.verify(&theirs, "Other-pass2").await.unwrap());
        assert!(!p.verify("garbage", "x").await.unwrap());
        assert!(!p.verify(crate::auth::DUMMY_HASH, "anything").await.unwrap());
        // One permit: one buffer, reused.
        assert_eq!(p.buffers.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_full_queue_is_busy_at_once() {
        let p = small();
        let held = p.permits.clone().try_acquire_owned().unwrap();
        assert_eq!(
            p.verify(crate::auth::DUMMY_HASH, "x").await,
            Err(Busy {
                retry_after_secs: 1
            })
        );
        drop(held);
        assert_eq!(p.verify(crate::auth::DUMMY_HASH, "x").await, Ok(false));
    }

    #[tokio::test]
    async fn a_waiter_gives_up_after_the_wait() {
        let p = PasswordHashing::new(HashingSettings {
            permits: 1,
            queue: 4,
            wait: Duration::from_millis(1),
        });
        let _held = p.permits.clone().try_acquire_owned().unwrap();
        assert!(p.verify(crate::auth::DUMMY_HASH, "x").await.is_err());
        assert_eq!(p.waiting.load(Ordering::SeqCst), 0, "no waiter left behind");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_buffers_than_permits_under_a_flood() {
        use argon2::password_hash::PasswordHasher;
        let p = Arc::new(PasswordHashing::new(HashingSettings {
            permits: 2,
            queue: 1000,
            wait: Duration::from_secs(600),
        }));
        let params = Params::new(256, 1, 1, None).unwrap();
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"pw", &salt)
            .unwrap()
            .to_string();
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let (p, hash) = (p.clone(), hash.clone());
                tokio::spawn(
                    async move { p.verify(&hash, if i % 2 == 0 { "pw" } else { "no" }).await },
                )
            })
            .collect();
        let mut right = 0;
        for t in tasks {
            right += usize::from(t.await.unwrap().unwrap());
        }
        assert_eq!(right, 100);
        assert!(
            p.allocated.load(Ordering::SeqCst) <= 2,
            "buffers are reused"
        );
    }

    #[test]
    fn greedy_hashes_are_refused_not_computed() {
        let greedy = "$argon2id$v=19$m=4000000,t=1,p=1$c2h1bml1ZHVtbXlzYWx0$3xv0Jw7cW9bhQ4DgJ3n0m0oO0D4Yq8Yd0c3zq0fJ8yE";
        let mut buffer = Vec::new();
        assert_eq!(verify_with(&mut buffer, greedy, "x"), Some(false));
        assert!(buffer.is_empty());
    }
}
