//! Authentication: password hashing, sessions, API tokens, CSRF, and the `Caller`
//! every handler receives. The decision of what a caller may do is not here: it is
//! `shuniu_domain::access::decide`, asked through [`Caller::require`].

use std::net::SocketAddr;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use chrono::Utc;
use rand::RngCore;
use sha2::{Digest, Sha256};
use shuniu_domain::access::{Action, Actor, Decision, Resource, decide};
use shuniu_domain::accounts::{LockoutPolicy, SessionPolicy};
use shuniu_domain::audit::{AuditEvent, Outcome};
use shuniu_store::WriteCtx;
use shuniu_store::accounts::User;

use crate::{AppError, AppState};

pub const SESSION_COOKIE: &str = "shuniu_session";
/// Cookie protecting the forms of callers without a session (login): a token the
/// server issued and signed (see [`issue_login_csrf`]); the form carries the same token.
pub const CSRF_COOKIE: &str = "shuniu_csrf";
pub const CSRF_FIELD: &str = "_csrf";
/// Scripts may send a form's CSRF token in this header instead of the `_csrf` field (a
/// browser cannot send a custom header cross-site: the server allows no CORS).
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a login form's CSRF token is accepted.
pub const LOGIN_CSRF_TTL_SECS: u64 = 2 * 3600;

/// Security settings (等保 2.0): all adjustable, defaults from the issue.
#[derive(Debug, Clone, Copy)]
pub struct AuthSettings {
    pub lockout: LockoutPolicy,
    pub session: SessionPolicy,
    pub password_min_len: usize,
    /// Mark cookies `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// Default lifetime of a new API token, in days.
    pub token_days: i64,
    /// How many password hashes run and wait at once (memory stays bounded).
    pub hashing: crate::hashing::HashingSettings,
    /// Failed sign-ins allowed per source address and per account name.
    pub login_limits: crate::throttle::LoginLimits,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            lockout: LockoutPolicy::default(),
            session: SessionPolicy::default(),
            password_min_len: 8,
            secure_cookies: false,
            token_days: 90,
            hashing: Default::default(),
            login_limits: Default::default(),
        }
    }
}

/// Argon2id, computed off the async runtime (it is deliberately slow).
pub async fn hash_password(password: &str) -> Result<String, AppError> {
    let pw = password.to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(pw.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("hashing failed: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// Checks a password against a stored hash, off the runtime. A malformed hash fails.
pub async fn verify_password(hash: &str, password: &str) -> bool {
    let (hash, pw) = (hash.to_string(), password.to_string());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A dummy hash to verify against when the user does not exist (equal timing).
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2h1bml1ZHVtbXlzYWx0$3xv0Jw7cW9bhQ4DgJ3n0m0oO0D4Yq8Yd0c3zq0fJ8yE";

/// 32 random bytes, hex: session ids, CSRF tokens, API tokens.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// What is stored instead of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares secrets without leaking where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

type HmacSha256 = hmac::Hmac<Sha256>;

fn login_csrf_mac(key: &[u8], body: &[u8]) -> Vec<u8> {
    use hmac::Mac;
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"shuniu login csrf\0");
    mac.update(body);
    mac.finalize().into_bytes()[..16].to_vec()
}

/// A new login-form CSRF token: 8 random bytes and the time of issue, signed with the
/// server's key — 64 hex digits. Only the server can make one; it expires.
pub fn issue_login_csrf(key: &[u8], now_secs: u64) -> String {
    let mut body = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut body[..8]);
    body[8..].copy_from_slice(&now_secs.to_be_bytes());
    format!(
        "{}{}",
        hex::encode(body),
        hex::encode(login_csrf_mac(key, &body))
    )
}

/// Whether `token` is a login CSRF token this server issued (with `key`) and that has
/// not expired at `now_secs`.
pub fn verify_login_csrf(key: &[u8], token: &str, now_secs: u64) -> bool {
    if token.len() != 64 || !token.is_ascii() {
        return false;
    }
    let (Ok(body), Ok(mac)) = (hex::decode(&token[..32]), hex::decode(&token[32..])) else {
        return false;
    };
    let expected = hex::encode(login_csrf_mac(key, &body));
    if !constant_time_eq(&expected, &hex::encode(mac)) {
        return false;
    }
    let mut issued = [0u8; 8];
    issued.copy_from_slice(&body[8..16]);
    let issued = u64::from_be_bytes(issued);
    // A minute of clock slack forwards; none of expiry backwards.
    issued <= now_secs + 60 && now_secs.saturating_sub(issued) <= LOGIN_CSRF_TTL_SECS
}

/// Seconds since the epoch, now.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Compares byte strings without leaking where they differ.
pub fn constant_time_eq_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// How the caller authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Anonymous,
    /// Browser session: the stored hash of its cookie and its CSRF token.
    Session {
        token_hash: String,
        csrf: String,
    },
    Token,
}

/// The caller of a request: who (if anyone), how, and from where.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: Option<User>,
    pub via: Via,
    pub source: String,
    /// The login-form CSRF cookie, if the browser sent one the server issued and that
    /// has not expired (anything else is dropped on arrival).
    pub csrf_cookie: Option<String>,
    /// A CSRF token sent in the `X-CSRF-Token` header (scripts), if any.
    pub csrf_header: Option<String>,
}

impl Caller {
    pub fn actor(&self) -> Option<Actor> {
        self.user.as_ref().map(User::actor)
    }

    /// Asks the access policy; anything but `Allow` becomes the matching error.
    pub fn decide(&self, action: Action, resource: &Resource<'_>) -> Decision {
        decide(self.actor().as_ref(), action, resource)
    }

    pub fn require(&self, action: Action, resource: &Resource<'_>) -> Result<(), AppError> {
        AppError::unless_allowed(self.decide(action, resource))
    }

    /// Audit context of this caller's writes.
    pub fn ctx(&self) -> WriteCtx {
        match &self.user {
            Some(u) => WriteCtx::new(u.username.clone(), u.role.as_str(), self.source.clone()),
            None => WriteCtx::new("-", "anonymous", self.source.clone()),
        }
    }

    /// A security event by this caller.
    pub fn event(
        &self,
        action: &str,
        object: String,
        outcome: Outcome,
        details: String,
    ) -> AuditEvent {
        shuniu_domain::audit::kinds::debug_assert_known(action);
        let c = self.ctx();
        AuditEvent {
            at: AuditEvent::now_micros(),
            actor: c.actor,
            role: c.role,
            source: c.source,
            action: action.into(),
            object,
            outcome,
            details,
            jurisdiction_path: self.user.as_ref().and_then(|u| u.jurisdiction_path.clone()),
        }
    }

    /// The CSRF token forms of this caller must carry.
    pub fn csrf_token(&self) -> Option<&str> {
        match &self.via {
            Via::Session { csrf, .. } => Some(csrf),
            _ => self.csrf_cookie.as_deref(),
        }
    }

    /// Checks a submitted form token (the `_csrf` field or the `X-CSRF-Token` header;
    /// either must match): the session's, or for anonymous forms the server-issued login token of
    /// the cookie. Pages are reached with sessions only, so there is no exception.
    pub fn check_csrf(&self, submitted: Option<&str>) -> Result<(), AppError> {
        let expected = self.csrf_token().ok_or(AppError::Csrf)?;
        let matches = |got: Option<&str>| got.is_some_and(|g| constant_time_eq(expected, g));
        if matches(submitted) || matches(self.csrf_header.as_deref()) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }
}

fn is_api(parts: &Parts) -> bool {
    let path = parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map(|u| u.0.path().to_string())
        .unwrap_or_else(|| parts.uri.path().to_string());
    path.starts_with("/api/")
}

fn source_of(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(c) = parts.extensions.get::<Caller>() {
            return Ok(c.clone());
        }
        let source = source_of(parts);
        let csrf_cookie = cookie(&parts.headers, CSRF_COOKIE)
            .filter(|c| verify_login_csrf(&state.csrf_key[..], c, unix_now()));
        let csrf_header = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let now = Utc::now();
        let mut caller = Caller {
            user: None,
            via: Via::Anonymous,
            source,
            csrf_cookie,
            csrf_header,
        };
        if is_api(parts) {
            // The API authenticates by bearer token only: a browser's cookie cannot make
            // a cross-site API write (no CSRF surface there). Any other credential (a
            // `Basic` header, a bad token) is a 401, never silently anonymous.
            if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
                let token = auth
                    .to_str()
                    .ok()
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .map(str::trim)
                    .ok_or(AppError::Unauthenticated)?;
                let user = state
                    .store
                    .api_token_user(&token_hash(token), now)
                    .await?
                    .ok_or(AppError::Unauthenticated)?;
                caller.user = Some(user);
                caller.via = Via::Token;
            }
        } else if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
            // Pages accept sessions only: an `Authorization` header (a bearer token, a
            // stray `Basic`) is ignored there, so an API token cannot open a page nor
            // manage tokens without a session and its CSRF token.
            let h = token_hash(&token);
            if let Some((s, user)) = state.store.session(&h).await? {
                if !user.disabled
                    && state
                        .auth
                        .session
                        .is_alive(s.created_at, s.last_seen_at, now)
                {
                    state.store.touch_session(&h, now).await?;
                    caller.user = Some(user);
                    caller.via = Via::Session {
                        token_hash: h,
                        csrf: s.csrf_token,
                    };
                } else {
                    state.store.end_session(&h).await?;
                }
            }
        }
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

/// `Set-Cookie` value for the session (HttpOnly, SameSite=Lax, Secure under TLS).
pub fn session_cookie(token: &str, settings: &AuthSettings) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{}",
        if settings.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    )
}

pub fn clear_session_cookie(settings: &AuthSettings) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if settings.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    )
}

pub fn csrf_cookie(token: &str, settings: &AuthSettings) -> String {
    format!(
        "{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{}",
        if settings.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    )
}

/// Bounds the audit records written for failed API authentications: at most one per
/// source address per window. The record that opens a window carries how many failures
/// the previous window of that source suppressed, so the trail keeps the count without
/// letting a flood of bad tokens flood the trail.
#[derive(Debug)]
pub struct FailureThrottle {
    window: std::time::Duration,
    /// source → (start of its current window, failures suppressed in it)
    entries: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, u64)>>,
}

/// Sources tracked at most; past this, finished windows are forgotten first.
const THROTTLE_SOURCES: usize = 10_000;

impl Default for FailureThrottle {
    fn default() -> Self {
        FailureThrottle::new(std::time::Duration::from_secs(60))
    }
}

impl FailureThrottle {
    pub fn new(window: std::time::Duration) -> Self {
        FailureThrottle {
            window,
            entries: Default::default(),
        }
    }

    /// One failure from `source` at `now`: `Some(n)` when it is to be recorded (`n`
    /// failures of the source's previous window went unrecorded), `None` when the source
    /// already has a record in its current window.
    pub fn admit(&self, source: &str, now: std::time::Instant) -> Option<u64> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((start, suppressed)) = entries.get_mut(source) {
            if now.duration_since(*start) < self.window {
                *suppressed += 1;
                return None;
            }
            let before = *suppressed;
            *start = now;
            *suppressed = 0;
            return Some(before);
        }
        if entries.len() >= THROTTLE_SOURCES {
            let window = self.window;
            entries.retain(|_, (start, _)| now.duration_since(*start) < window);
            if entries.len() >= THROTTLE_SOURCES {
                // Still full: record without tracking rather than lose the event.
                return Some(0);
            }
        }
        entries.insert(source.to_string(), (now, 0));
        Some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_and_verify() {
        let h = hash_password("Lower1upper").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "Lower1upper").await);
        assert!(!verify_password(&h, "lower1upper").await);
        assert!(!verify_password("garbage", "x").await);
        assert!(!verify_password(DUMMY_HASH, "anything").await);
    }

    #[test]
    fn login_csrf_tokens_are_issued_signed_and_expire() {
        let key = [7u8; 32];
        let t0 = 1_800_000_000;
        let t = issue_login_csrf(&key, t0);
        assert_eq!(t.len(), 64);
        assert_ne!(t, issue_login_csrf(&key, t0));
        assert!(verify_login_csrf(&key, &t, t0));
        assert!(verify_login_csrf(&key, &t, t0 + LOGIN_CSRF_TTL_SECS));
        assert!(!verify_login_csrf(&key, &t, t0 + LOGIN_CSRF_TTL_SECS + 1));
        assert!(
            !verify_login_csrf(&[8u8; 32], &t, t0),
            "another server's key"
        );
        // Anything not issued: a made-up value, a changed time, a truncated token.
        assert!(!verify_login_csrf(&key, &"0".repeat(64), t0));
        let mut forged = t.clone().into_bytes();
        forged[20] = if forged[20] == b'0' { b'1' } else { b'0' };
        assert!(!verify_login_csrf(
            &key,
            std::str::from_utf8(&forged).unwrap(),
            t0
        ));
        assert!(!verify_login_csrf(&key, &t[..63], t0));
        assert!(!verify_login_csrf(&key, "zz", t0));
        assert!(!verify_login_csrf(&key, &format!("{}é", &t[..62]), t0));
    }

    #[test]
    fn tokens() {
        let t = random_token();
        assert_eq!(t.len(), 64);
        assert_ne!(t, random_token());
        assert_eq!(token_hash("abc").len(), 64);
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }

    #[test]
    fn failed_authentications_are_recorded_once_per_window_with_the_count() {
        use std::time::{Duration, Instant};
        let t = FailureThrottle::new(Duration::from_secs(60));
        let t0 = Instant::now();
        assert_eq!(t.admit("10.0.0.1", t0), Some(0));
        for i in 1..=5 {
            assert_eq!(t.admit("10.0.0.1", t0 + Duration::from_secs(i)), None);
        }
        // Another source has its own window.
        assert_eq!(t.admit("10.0.0.2", t0 + Duration::from_secs(2)), Some(0));
        // The next window's first record carries the five suppressed.
        assert_eq!(t.admit("10.0.0.1", t0 + Duration::from_secs(61)), Some(5));
        assert_eq!(t.admit("10.0.0.1", t0 + Duration::from_secs(62)), None);
    }
}
