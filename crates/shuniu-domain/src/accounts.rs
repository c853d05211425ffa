//! Accounts: user names, the password policy, login lockout (等保 2.0 level 2–3).

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::FieldError;

/// A user name: 3–32 characters of `a-z 0-9 . _ -`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim().to_ascii_lowercase();
        let ok_len = (3..=32).contains(&s.len());
        let ok_chars = s
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"._-".contains(&c));
        let ok_start = s.bytes().next().is_some_and(|c| c.is_ascii_lowercase());
        if ok_len && ok_chars && ok_start {
            Ok(Username(s))
        } else {
            Err(FieldError::new(
                "用户名为3–32位小写字母、数字或 . _ -，以字母开头",
                "must be 3–32 characters of a-z, 0-9, . _ -, starting with a letter",
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Password policy: at least `min_len` characters, three of the four classes
/// (lower, upper, digit, other), and not containing the user name.
pub fn check_password(password: &str, username: &str, min_len: usize) -> Result<(), FieldError> {
    if password.chars().count() < min_len {
        return Err(FieldError::new(
            format!("密码至少{min_len}位"),
            format!("must be at least {min_len} characters"),
        ));
    }
    if password.chars().count() > 128 {
        return Err(FieldError::new(
            "密码不能超过128位",
            "must be at most 128 characters",
        ));
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 3 {
        return Err(FieldError::new(
            "密码须包含小写字母、大写字母、数字、符号中的至少三类",
            "must use three of: lower-case, upper-case, digits, symbols",
        ));
    }
    if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        return Err(FieldError::new(
            "密码不能包含用户名",
            "must not contain the user name",
        ));
    }
    Ok(())
}

/// Login-failure lockout settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    pub max_failures: u32,
    pub lock_for: Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        LockoutPolicy {
            max_failures: 5,
            lock_for: Duration::minutes(15),
        }
    }
}

impl LockoutPolicy {
    /// Whether the failure that brought the count to `failures` is the one that locks
    /// the account. Failures go on being counted while it is locked (parallel guesses
    /// that were already past the lock check), so exactly one failure locks it.
    pub fn locks_at(&self, failures: u32) -> bool {
        failures == self.max_failures.max(1)
    }
}

/// An account's failure counter and lock.
///
/// The store applies [`LoginState::after_failure`] and [`LoginState::after_success`]
/// in one SQL statement each (so that parallel attempts are all counted); these are
/// the rules it implements, and its tests check it against them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoginState {
    pub failures: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

impl LoginState {
    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|t| now < t)
    }
    /// After a wrong password: count it (from 1 again once a lock has expired); when
    /// the count reaches the limit, lock. A lock in force is kept, not extended.
    pub fn after_failure(self, now: DateTime<Utc>, policy: LockoutPolicy) -> LoginState {
        if self.is_locked(now) {
            return LoginState {
                failures: self.failures.saturating_add(1),
                locked_until: self.locked_until,
            };
        }
        let failures = if self.locked_until.is_some() {
            1
        } else {
            self.failures.saturating_add(1)
        };
        LoginState {
            failures,
            locked_until: (failures >= policy.max_failures).then(|| now + policy.lock_for),
        }
    }
    /// After the right password: the count starts again — unless the account is
    /// locked, when the attempt fails and nothing changes (`None`).
    pub fn after_success(self, now: DateTime<Utc>) -> Option<LoginState> {
        (!self.is_locked(now)).then(LoginState::default)
    }
}

/// Session lifetime settings: idle and absolute timeouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
        }
    }
}

impl SessionPolicy {
    pub fn is_alive(
        &self,
        created: DateTime<Utc>,
        last_seen: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool {
        now - last_seen < self.idle && now - created < self.absolute
    }
}

/// An official's account without its jurisdiction (`jurisdiction`).
pub fn jurisdiction_binding_required() -> FieldError {
    FieldError::new("政府工作人员须绑定辖区", "is required for an official")
}

/// A hub's or an organization's account without its organization (`organization`).
pub fn organization_binding_required() -> FieldError {
    FieldError::new("须绑定社会组织", "is required for this role")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(Username::parse(" Admin ").unwrap().as_str(), "admin");
        for bad in ["ab", "1abc", "a b c", "张三丰", &"a".repeat(33)] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn password_policy() {
        assert!(check_password("Short1!", "bob", 8).is_err());
        assert!(check_password("alllowercase1", "bob", 8).is_err());
        assert!(check_password("Lower1upper", "bob", 8).is_ok());
        assert!(check_password("lower1_symbol", "bob", 8).is_ok());
        assert!(
            check_password("MyBob-Pass1", "bob", 8).is_err(),
            "contains the user name"
        );
        assert!(check_password("密码Abc123!", "bob", 8).is_ok());
    }

    #[test]
    fn five_failures_lock_for_fifteen_minutes() {
        let p = LockoutPolicy::default();
        let t0 = Utc::now();
        let mut s = LoginState::default();
        for _ in 0..4 {
            s = s.after_failure(t0, p);
            assert!(!s.is_locked(t0));
        }
        s = s.after_failure(t0, p);
        assert!(s.is_locked(t0));
        assert!(s.is_locked(t0 + Duration::minutes(14)));
        assert!(!s.is_locked(t0 + Duration::minutes(15)));
        // After the lock expires, counting starts again.
        let s2 = s.after_failure(t0 + Duration::minutes(16), p);
        assert_eq!(s2.failures, 1);
        assert!(!s2.is_locked(t0 + Duration::minutes(16)));
        assert_eq!(
            s.after_success(t0),
            None,
            "the right password does not open a lock"
        );
        assert_eq!(
            s.after_success(t0 + Duration::minutes(15)),
            Some(LoginState::default())
        );
    }

    #[test]
    fn failures_while_locked_are_counted_and_one_of_them_locked() {
        let p = LockoutPolicy::default();
        let t0 = Utc::now();
        let mut s = LoginState::default();
        let mut locking = 0;
        for _ in 0..39 {
            let was_locked = s.is_locked(t0);
            s = s.after_failure(t0, p);
            if !was_locked && s.is_locked(t0) {
                locking += 1;
                assert!(p.locks_at(s.failures));
            } else {
                assert!(!p.locks_at(s.failures));
            }
        }
        assert_eq!(locking, 1);
        assert_eq!(s.failures, 39);
        assert_eq!(s.locked_until, Some(t0 + p.lock_for), "not extended");
    }

    #[test]
    fn sessions_expire_idle_and_absolute() {
        let p = SessionPolicy::default();
        let t0 = Utc::now();
        assert!(p.is_alive(t0, t0, t0 + Duration::minutes(29)));
        assert!(!p.is_alive(t0, t0, t0 + Duration::minutes(31)));
        assert!(!p.is_alive(
            t0,
            t0 + Duration::hours(12),
            t0 + Duration::hours(12) + Duration::minutes(1)
        ));
    }
}
