//! Sign-in under attack: parallel guessing cannot beat the lockout; failed sign-ins
//! are rate-limited per source and per name; made-up names do not flood the audit
//! trail; password hashing is bounded (503 with `Retry-After` when it is full) — on
//! SQLite and PostgreSQL, through real HTTP.

use crate::common;
use crate::pages_support;

use common::{TestApp, spawn_app_with_auth};
use pages_support::accounts::*;
use reqwest::StatusCode;
use shuniu_domain::access::Role;
use shuniu_domain::accounts::LockoutPolicy;
use shuniu_store::WriteCtx;
use shuniu_store::accounts::User;
use shuniu_store::testing::TestBackend;
use shuniu_web::auth::AuthSettings;
use shuniu_web::throttle::LoginLimits;

/// Declares a test on both backends over an app with the security settings `$auth`:
/// `with_auth!(name, auth_expr, |app: TestApp, state: AppState| async move { … });`
macro_rules! with_auth {
    ($name:ident, $auth:expr, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let (app, state) = spawn_app_with_auth(TestBackend::Sqlite, $auth).await;
                ($body)(app, state).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let (app, state) = spawn_app_with_auth(TestBackend::Postgres, $auth).await;
                ($body)(app, state).await;
            }
        }
    };
}

/// Limits that a test's own requests will not reach.
fn unlimited() -> AuthSettings {
    AuthSettings {
        login_limits: LoginLimits {
            per_source: 10_000,
            per_name: 10_000,
            ..LoginLimits::default()
        },
        ..AuthSettings::default()
    }
}

async fn try_login(app: &TestApp, name: &str, password: &str) -> reqwest::Response {
    let (c, token) = at_login_form(app).await;
    c.post(app.url("/login"))
        .form(&[
            ("_csrf", token.as_str()),
            ("username", name),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

/// A user whose password hash is a cheap Argon2id (the stored parameters decide the
/// cost of verifying), so that forty parallel sign-ins stay quick in a debug build.
pub async fn cheap_user(app: &TestApp, name: &str, password: &str) -> User {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let params = argon2::Params::new(64, 1, 1, None).unwrap();
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    let hash = a
        .hash_password(password.as_bytes(), &salt)
        .unwrap()
        .to_string();
    app.store
        .create_user(
            &shuniu_store::testing::new_user(name, Role::Expert, &hash),
            WriteCtx::system("test"),
        )
        .await
        .unwrap()
}

/// A browser with the login form's CSRF token, ready to post.
async fn at_login_form(app: &TestApp) -> (reqwest::Client, String) {
    let c = browser();
    let form = get_with(app, &c, "/login").await;
    assert_eq!(form.status, StatusCode::OK);
    let token = csrf_in(&form.raw);
    (c, token)
}

with_auth!(
    parallel_guesses_cannot_beat_the_lockout,
    unlimited(),
    |app: TestApp, _state| async move {
        let u = cheap_user(&app, "target.user", PASSWORD).await;
        const WRONG: usize = 39;
        let mut ready = vec![];
        for _ in 0..=WRONG {
            ready.push(at_login_form(&app).await);
        }
        // 39 wrong passwords and the right one (in the middle), all at once.
        let tasks: Vec<_> = ready
            .into_iter()
            .enumerate()
            .map(|(i, (c, token))| {
                let url = app.url("/login");
                let password = if i == WRONG / 2 {
                    PASSWORD.to_string()
                } else {
                    format!("Wrong-Guess{i}")
                };
                tokio::spawn(async move {
                    let form = [
                        ("_csrf", token),
                        ("username", "target.user".to_string()),
                        ("password", password.clone()),
                        ("next", "/".to_string()),
                    ];
                    let res = c.post(url).form(&form).send().await.unwrap();
                    (password == PASSWORD, res.status())
                })
            })
            .collect();
        let mut right_signed_in = false;
        for t in tasks {
            let (right, status) = t.await.unwrap();
            if right && status == StatusCode::SEE_OTHER {
                right_signed_in = true;
            } else {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "right: {right}");
            }
        }
        // The account is locked…
        let stored = app.store.user_by_id(u.id).await.unwrap().unwrap();
        let now = chrono::Utc::now();
        assert!(
            stored.login.locked_until.is_some_and(|t| t > now),
            "{:?}",
            stored.login
        );
        // …by exactly one failure, and every wrong password was counted and audited.
        let lockouts = audit_of(&app, "login.lockout").await;
        assert_eq!(lockouts.len(), 1);
        let failures = audit_of(&app, "login.failure").await;
        let successes = audit_of(&app, "login.success").await;
        assert_eq!(failures.len() + successes.len(), WRONG + 1);
        let wrong: Vec<_> = failures
            .iter()
            .filter(|r| r.event.details.contains("wrong_password"))
            .collect();
        // Failures refused as "locked" were turned away before hashing and not counted.
        // If the right password got in first, it reset the count: the failures before it
        // are audited but no longer counted. (Which audit record lands first is up to
        // the interleaving, so only the count is compared.)
        if right_signed_in {
            assert_eq!(successes.len(), 1);
            assert!((stored.login.failures as usize) <= wrong.len());
        } else {
            assert!(successes.is_empty());
            assert_eq!(stored.login.failures as usize, wrong.len());
        }
        assert!(stored.login.failures >= LockoutPolicy::default().max_failures);
        // And now it fails, however right.
        let (c, token) = at_login_form(&app).await;
        let p = post_with(
            &app,
            &c,
            "/login",
            &[
                ("_csrf", token),
                ("username", "target.user".into()),
                ("password", PASSWORD.into()),
            ],
        )
        .await;
        assert_eq!(p.status, StatusCode::UNAUTHORIZED);
        assert!(session_cookie_of(&p).is_none());
    }
);

with_auth!(
    failed_sign_ins_are_limited_per_name_and_per_source,
    AuthSettings {
        login_limits: LoginLimits {
            per_source: 6,
            per_name: 3,
            ..LoginLimits::default()
        },
        ..AuthSettings::default()
    },
    |app: TestApp, _state| async move {
        cheap_user(&app, "limited.user", PASSWORD).await;
        for _ in 0..3 {
            let r = try_login(&app, "limited.user", "Wrong-Guess1").await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
        // The name has used up its failures: 429, even with the right password.
        let r = try_login(&app, "Limited.User", PASSWORD).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = r.headers()[reqwest::header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&wait), "{wait}");
        assert!(r.text().await.unwrap().contains("<!doctype html>"));
        // Unknown names count too, per name and for the source.
        for i in 0..3 {
            let r = try_login(&app, &format!("nobody{i}"), "Wrong-Guess1").await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
        let r = try_login(&app, "someone.else", "Wrong-Guess1").await;
        assert_eq!(
            r.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "the source is used up"
        );
        assert!(audit_of(&app, "login.success").await.is_empty());
    }
);

with_auth!(
    made_up_names_do_not_flood_the_audit_trail,
    unlimited(),
    |app: TestApp, _state| async move {
        for i in 0..12 {
            let r = try_login(&app, &format!("made.up{i}"), "Wrong-Guess1").await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
        // One record for the source in this minute (the next one will carry the count).
        let records = audit_of(&app, "login.failure").await;
        assert_eq!(records.len(), 1, "{records:?}");
        assert!(records[0].event.details.contains("unknown_user"));
        // Known accounts keep one record per failure.
        cheap_user(&app, "known.user", PASSWORD).await;
        for _ in 0..2 {
            try_login(&app, "known.user", "Wrong-Guess1").await;
        }
        assert_eq!(audit_of(&app, "login.failure").await.len(), 3);
    }
);

with_auth!(
    a_full_hasher_answers_503_with_retry_after,
    AuthSettings {
        hashing: shuniu_web::hashing::HashingSettings {
            permits: 1,
            queue: 0,
            wait: std::time::Duration::from_secs(5),
        },
        ..unlimited()
    },
    |app: TestApp, state: shuniu_web::AppState| async move {
        cheap_user(&app, "busy.user", PASSWORD).await;
        let held = state.hashing.occupy().expect("a free turn");
        let r = try_login(&app, "busy.user", PASSWORD).await;
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers()[reqwest::header::RETRY_AFTER], "5");
        assert!(r.text().await.unwrap().contains("<!doctype html>"));
        // Nothing was counted against the account.
        let u = app
            .store
            .user_by_username("busy.user")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(u.login.failures, 0);
        drop(held);
        let r = try_login(&app, "busy.user", PASSWORD).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
);
