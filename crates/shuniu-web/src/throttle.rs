//! Rate limits on failed sign-ins: per source address and per account name (unknown
//! names too), in fixed windows. Past a limit the login answers 429 with `Retry-After`
//! before any password is hashed. Memory is bounded: at most `MAX_KEYS` keys each.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed sign-ins allowed per window (settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// From one source address.
    pub per_source: u32,
    /// For one account name (whether or not it exists).
    pub per_name: u32,
    pub window: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            per_source: 100,
            per_name: 20,
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// Keys tracked at most per kind; past this, finished windows are forgotten first.
const MAX_KEYS: usize = 10_000;

#[derive(Debug, Default)]
struct Counts(HashMap<String, (Instant, u32)>);

impl Counts {
    /// Seconds until `key` may try again, if it is over `limit`.
    fn over(&self, key: &str, limit: u32, window: Duration, now: Instant) -> Option<u64> {
        let (start, n) = self.0.get(key)?;
        let elapsed = now.duration_since(*start);
        (elapsed < window && *n >= limit).then(|| (window - elapsed).as_secs().max(1))
    }
    fn count(&mut self, key: &str, window: Duration, now: Instant) {
        if !self.0.contains_key(key) && self.0.len() >= MAX_KEYS {
            self.0
                .retain(|_, (start, _)| now.duration_since(*start) < window);
            if self.0.len() >= MAX_KEYS {
                // Still full (a spray of names): forget the lot rather than grow.
                tracing::warn!("login rate-limit table full; starting afresh");
                self.0.clear();
            }
        }
        let e = self.0.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(e.0) >= window {
            *e = (now, 0);
        }
        e.1 = e.1.saturating_add(1);
    }
}

/// The failed sign-ins of the current windows.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    limits: LoginLimits,
    sources: Mutex<Counts>,
    names: Mutex<Counts>,
    /// Anonymous submissions (residents' requests) per source address.
    submissions: Mutex<Counts>,
}

/// Anonymous submissions allowed per source address and hour.
pub const SUBMISSIONS_PER_HOUR: u32 = 10;

impl LoginThrottle {
    pub fn new(limits: LoginLimits) -> Self {
        LoginThrottle {
            limits,
            ..Default::default()
        }
    }

    /// `Some(seconds to wait)` if `source` or `name` has used up its failures.
    pub fn check(&self, source: &str, name: &str, now: Instant) -> Option<u64> {
        let l = self.limits;
        let s = lock(&self.sources).over(source, l.per_source, l.window, now);
        let n = lock(&self.names).over(&name_key(name), l.per_name, l.window, now);
        s.max(n)
    }

    /// Counts one failed sign-in of `name` from `source`.
    pub fn failed(&self, source: &str, name: &str, now: Instant) {
        let w = self.limits.window;
        lock(&self.sources).count(source, w, now);
        lock(&self.names).count(&name_key(name), w, now);
    }
}

impl LoginThrottle {
    /// Counts one anonymous submission from `source`; `Some(seconds to wait)` when the
    /// source has used up its [`SUBMISSIONS_PER_HOUR`] (the submission is refused).
    pub fn submissions(&self, source: &str, now: Instant) -> Option<u64> {
        let w = Duration::from_secs(3600);
        let mut c = lock(&self.submissions);
        if let Some(wait) = c.over(source, SUBMISSIONS_PER_HOUR, w, now) {
            return Some(wait);
        }
        c.count(source, w, now);
        None
    }
}

fn lock(m: &Mutex<Counts>) -> std::sync::MutexGuard<'_, Counts> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Names as the login compares them (trimmed, lower case), cut short: the key of a
/// typed name need not keep more.
fn name_key(name: &str) -> String {
    name.trim().to_lowercase().chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_source_and_per_name_in_windows() {
        let t = LoginThrottle::new(LoginLimits {
            per_source: 5,
            per_name: 3,
            window: Duration::from_secs(60),
        });
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(t.check("10.0.0.1", "Alice", t0), None);
            t.failed("10.0.0.1", "Alice", t0);
        }
        // The name is used up, whatever the case and spaces, from any source.
        assert_eq!(t.check("10.0.0.2", " alice ", t0), Some(60));
        assert_eq!(t.check("10.0.0.1", "bob", t0), None);
        t.failed("10.0.0.1", "bob", t0);
        t.failed("10.0.0.1", "carol", t0);
        // The source is used up, whatever the name.
        assert_eq!(
            t.check("10.0.0.1", "dave", t0 + Duration::from_secs(20)),
            Some(40)
        );
        assert_eq!(t.check("10.0.0.3", "dave", t0), None);
        // A new window starts afresh.
        let t1 = t0 + Duration::from_secs(60);
        assert_eq!(t.check("10.0.0.1", "alice", t1), None);
        t.failed("10.0.0.1", "alice", t1);
        assert_eq!(t.check("10.0.0.1", "alice", t1), None);
    }

    #[test]
    fn memory_stays_bounded_under_a_spray_of_names() {
        let t = LoginThrottle::new(LoginLimits::default());
        let t0 = Instant::now();
        for i in 0..(MAX_KEYS + 10) {
            t.failed("10.0.0.1", &format!("name{i}"), t0);
        }
        assert!(lock(&t.names).0.len() <= MAX_KEYS);
    }
}
