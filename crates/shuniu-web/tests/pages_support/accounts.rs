//! Helpers for the account tests: users with real Argon2id hashes, signing in through
//! the login form, and the CSRF token of a page.
#![allow(dead_code)]

use shuniu_domain::access::Role;
use shuniu_domain::accounts::Username;
use shuniu_store::WriteCtx;
use shuniu_store::accounts::{NewUser, User};

use super::{Page, read};
use crate::common::TestApp;

pub const PASSWORD: &str = "Correct-Horse7";

/// A user with a real password hash.
pub async fn make_user(
    app: &TestApp,
    name: &str,
    role: Role,
    jurisdiction: Option<&str>,
    organization: Option<uuid::Uuid>,
    password: &str,
    must_change: bool,
) -> User {
    app.store
        .create_user(
            &NewUser {
                username: Username::parse(name).unwrap(),
                display_name: format!("{name} 测试"),
                role,
                jurisdiction_code: jurisdiction.map(String::from),
                organization_id: organization,
                password_hash: shuniu_web::auth::hash_password(password).await.unwrap(),
                must_change_password: must_change,
            },
            WriteCtx::system("test"),
        )
        .await
        .expect("create user")
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

/// The value of the first `_csrf` hidden field of a page.
pub fn csrf_in(html: &str) -> String {
    let at = html
        .find("name=\"_csrf\" value=\"")
        .unwrap_or_else(|| panic!("no _csrf field in:\n{html}"));
    let rest = &html[at + "name=\"_csrf\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

pub async fn get_with(app: &TestApp, c: &reqwest::Client, path: &str) -> Page {
    read(c.get(app.url(path)).send().await.unwrap()).await
}

pub async fn post_with(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    form: &[(&str, String)],
) -> Page {
    read(c.post(app.url(path)).form(form).send().await.unwrap()).await
}

/// Fills in and sends the login form with `client`; the response to the POST.
pub async fn submit_login(
    app: &TestApp,
    c: &reqwest::Client,
    name: &str,
    password: &str,
    next: &str,
) -> Page {
    let form = get_with(app, c, &format!("/login?next={next}")).await;
    assert_eq!(form.status, reqwest::StatusCode::OK);
    let token = csrf_in(&form.raw);
    post_with(
        app,
        c,
        "/login",
        &[
            ("_csrf", token),
            ("username", name.into()),
            ("password", password.into()),
            ("next", next.into()),
        ],
    )
    .await
}

/// A new browser signed in as `name`.
pub async fn signed_in(app: &TestApp, name: &str, password: &str) -> reqwest::Client {
    let c = browser();
    let p = submit_login(app, &c, name, password, "/").await;
    assert_eq!(p.status, reqwest::StatusCode::SEE_OTHER, "{}", p.text);
    c
}

/// The session cookie value a response set.
pub fn session_cookie_of(p: &Page) -> Option<String> {
    p.headers
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("shuniu_session="))
        .map(String::from)
}

/// Audit records with exactly `action`, newest first.
pub async fn audit_of(app: &TestApp, action: &str) -> Vec<shuniu_domain::audit::AuditRecord> {
    app.store
        .audit_page(
            &shuniu_store::AuditFilter {
                action: Some(action.into()),
                ..Default::default()
            },
            1,
            500,
        )
        .await
        .unwrap()
        .items
}
