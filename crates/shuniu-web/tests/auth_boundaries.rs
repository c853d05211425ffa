//! Where each credential works: API tokens on the API only, sessions on pages only;
//! token management needs a session and its CSRF token; a stray `Authorization` header
//! on a page is ignored; the login form's CSRF token is the server's; signed-in answers
//! are not cached — on SQLite and PostgreSQL.

use crate::common;
use crate::pages_support;

use common::TestApp;
use pages_support::accounts::*;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CACHE_CONTROL, COOKIE, LOCATION};
use shuniu_domain::access::Role;

http_test!(
    a_bearer_token_does_not_open_pages,
    |app: TestApp| async move {
        let (tok, _) = app.token_only_as("token.admin", Role::Admin).await;
        // The API takes it…
        let r = tok.get(app.url("/api/v1/me")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let r = tok.get(app.url("/api/v1/audit")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        // …a page treats the caller as anonymous: off to the login page.
        for path in ["/admin/users", "/account", "/audit"] {
            let r = tok.get(app.url(path)).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
            let to = r.headers()[LOCATION].to_str().unwrap();
            assert!(to.starts_with("/login?next="), "{path} → {to}");
        }
        // Public pages answer as to anybody, without the admin's navigation.
        let home = tok.get(app.url("/")).send().await.unwrap();
        assert_eq!(home.status(), StatusCode::OK);
        let body = home.text().await.unwrap();
        assert!(!body.contains("href=\"/admin/users\""));
        assert!(body.contains("href=\"/login"));
    }
);

http_test!(
    token_management_needs_a_session_and_csrf,
    |app: TestApp| async move {
        // A short-lived token cannot mint a long-lived one.
        let (tok, _) = app.token_only_as("short.lived", Role::Admin).await;
        let user = app
            .store
            .user_by_username("short.lived")
            .await
            .unwrap()
            .unwrap();
        let form = [("token_name", "forever"), ("token_days", "365")];
        let r = tok
            .post(app.url("/account/tokens"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "treated as anonymous");
        let t = app.store.api_tokens_of(user.id).await.unwrap()[0].id;
        let r = tok
            .post(app.url(&format!("/account/tokens/{t}/revoke")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let tokens = app.store.api_tokens_of(user.id).await.unwrap();
        assert_eq!(tokens.len(), 1, "no token made");
        assert!(tokens[0].revoked_at.is_none(), "none revoked");
        // A session without the CSRF token is refused too.
        make_user(&app, "li.ming", Role::Expert, None, None, PASSWORD, false).await;
        let c = signed_in(&app, "li.ming", PASSWORD).await;
        let p = post_with(
            &app,
            &c,
            "/account/tokens",
            &[("token_name", "x".into()), ("token_days", "1".into())],
        )
        .await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
        let li = app
            .store
            .user_by_username("li.ming")
            .await
            .unwrap()
            .unwrap();
        assert!(app.store.api_tokens_of(li.id).await.unwrap().is_empty());
    }
);

http_test!(
    a_stray_authorization_header_is_ignored_on_pages_only,
    |app: TestApp| async move {
        for scheme in ["Basic dXNlcjpwYXNz", "Bearer not-a-token", "Negotiate abc"] {
            // Pages ignore the header; the API refuses what is not a valid token.
            for (path, expected) in [
                ("/", StatusCode::OK),
                ("/organizations", StatusCode::OK),
                ("/login", StatusCode::OK),
                ("/api/v1/me", StatusCode::UNAUTHORIZED),
                ("/api/v1/organizations", StatusCode::UNAUTHORIZED),
            ] {
                let r = app
                    .anon
                    .get(app.url(path))
                    .header(AUTHORIZATION, scheme)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), expected, "{scheme} on {path}");
            }
        }
    }
);

http_test!(
    the_login_csrf_token_must_be_issued_by_the_server,
    |app: TestApp| async move {
        make_user(&app, "wu.gang", Role::Expert, None, None, PASSWORD, false).await;
        // Any equal cookie/field pair of the attacker's choosing is refused.
        let made_up = "ab".repeat(32);
        let c = browser();
        let r = c
            .post(app.url("/login"))
            .header(COOKIE, format!("shuniu_csrf={made_up}"))
            .form(&[
                ("_csrf", made_up.as_str()),
                ("username", "wu.gang"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(audit_of(&app, "login.success").await.is_empty());
        // The login page replaces a cookie it did not issue.
        let r = browser()
            .get(app.url("/login"))
            .header(COOKIE, format!("shuniu_csrf={made_up}"))
            .send()
            .await
            .unwrap();
        let set = r.headers()[reqwest::header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_string();
        assert!(set.starts_with("shuniu_csrf="), "{set}");
        assert!(!set.contains(&made_up));
        // The server's own token works.
        let p = submit_login(&app, &browser(), "wu.gang", PASSWORD, "/").await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
    }
);

http_test!(
    signed_in_answers_are_not_cached,
    |app: TestApp| async move {
        make_user(&app, "zheng.he", Role::Expert, None, None, PASSWORD, false).await;
        let c = signed_in(&app, "zheng.he", PASSWORD).await;
        for path in ["/", "/organizations", "/account", "/nope"] {
            let r = c.get(app.url(path)).send().await.unwrap();
            assert_eq!(r.headers()[CACHE_CONTROL], "no-store", "{path}");
        }
        for path in ["/api/v1/me", "/api/v1/audit", "/api/v1/organizations"] {
            let r = app.client.get(app.url(path)).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            assert_eq!(r.headers()[CACHE_CONTROL], "no-store", "{path}");
        }
        // Anonymous public pages may be cached.
        let r = app
            .anon
            .get(app.url("/organizations"))
            .send()
            .await
            .unwrap();
        assert!(r.headers().get(CACHE_CONTROL).is_none());
    }
);
