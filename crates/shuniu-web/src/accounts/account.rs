//! Signing in and out, the forced password change, and the caller's own account page
//! (who am I, my API tokens).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum_extra::extract::Form;
use axum_extra::extract::FormRejection;
use serde::Deserialize;
use shuniu_domain::FieldErrors;

use crate::accounts::{self, LoginFailure};
use crate::auth::{
    Caller, clear_session_cookie, csrf_cookie, issue_login_csrf, session_cookie, unix_now,
};
use crate::kit::extract::{CheckedForm, NoFields, RecordId};
use crate::kit::forms::{Field, SummaryItem, summary};
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::view::local_path;
use crate::{AppError, AppState, PageError, PageResult, local_time};

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    ui: Ui,
    username: String,
    next: String,
    failed: bool,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LoginForm {
    username: Option<String>,
    password: Option<String>,
    next: Option<String>,
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

fn add_cookie(res: &mut Response, cookie: &str) {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// The login form. Sets a new server-issued CSRF cookie when the browser has no valid one.
fn login_page(
    s: &AppState,
    ui: Ui,
    username: String,
    next: Option<&str>,
    failed: bool,
    status: StatusCode,
) -> Response {
    let mut ui = ui.with_nav("login");
    let mut new_cookie = None;
    if ui.csrf.is_empty() {
        let t = issue_login_csrf(&s.csrf_key[..], unix_now());
        ui.csrf = t.clone();
        new_cookie = Some(csrf_cookie(&t, &s.auth));
    }
    let page = LoginPage {
        ui,
        username,
        next: local_path(next).unwrap_or("/").to_string(),
        failed,
    };
    let mut res = render(status, &page);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(c) = new_cookie {
        add_cookie(&mut res, &c);
    }
    res
}

/// `GET /login?next=/path`
pub async fn login_form(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    q: Result<Query<NextQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let next = q.ok().and_then(|Query(q)| q.next);
    if caller.user.is_some() {
        return see_other(local_path(next.as_deref()).unwrap_or("/account"));
    }
    login_page(
        &s,
        ui,
        String::new(),
        next.as_deref(),
        false,
        StatusCode::OK,
    )
}

/// `POST /login`: 303 to `next` (a local path) with a session cookie, or the form
/// again with one message whatever went wrong. Not a [`CheckedForm`]: the sign-in form
/// of an anonymous caller is checked too (against the login CSRF cookie).
pub async fn login(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    form: Result<Form<LoginForm>, FormRejection>,
) -> PageResult {
    let ui = ui.at("/login");
    let Form(f) = form.map_err(|_| AppError::BadRequest("form".into()))?;
    caller.check_csrf(f.csrf.as_deref())?;
    let username = f.username.clone().unwrap_or_default();
    let password = f.password.unwrap_or_default();
    match accounts::login(&s, &caller, &username, &password).await {
        Ok(session) => {
            let target = if session.user.must_change_password {
                "/account/password"
            } else {
                local_path(f.next.as_deref())
                    .filter(|n| !n.starts_with("/login"))
                    .unwrap_or("/")
            };
            let mut res = see_other(target);
            add_cookie(&mut res, &session_cookie(&session.token, &s.auth));
            Ok(res)
        }
        Err(LoginFailure::Throttled { retry_after_secs }) => {
            Err(AppError::TooManyRequests { retry_after_secs }.into())
        }
        Err(LoginFailure::Busy { retry_after_secs }) => {
            Err(AppError::Busy { retry_after_secs }.into())
        }
        Err(
            LoginFailure::UnknownUser
            | LoginFailure::WrongPassword
            | LoginFailure::Locked
            | LoginFailure::Disabled,
        ) => Ok(login_page(
            &s,
            ui,
            username.trim().chars().take(64).collect(),
            f.next.as_deref(),
            true,
            StatusCode::UNAUTHORIZED,
        )),
    }
}

/// `POST /logout`: ends the session server-side and clears the cookie. Whatever an
/// anonymous caller sent, there is nothing to end: only a session's form is read.
pub async fn logout(
    State(s): State<AppState>,
    _: Ui,
    caller: Caller,
    form: Result<CheckedForm<NoFields>, PageError>,
) -> PageResult {
    if caller.user.is_some() {
        form?;
    }
    accounts::logout(&s.store, &caller).await?;
    let mut res = see_other("/");
    add_cookie(&mut res, &clear_session_cookie(&s.auth));
    Ok(res)
}

#[derive(Template)]
#[template(path = "accounts/password.html")]
struct PasswordPage {
    ui: Ui,
    forced: bool,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
    min_len: String,
}

/// The fields of the password form and of the token form, in order.
const PASSWORD_FIELDS: [&str; 3] = ["current_password", "new_password", "repeat_password"];
const TOKEN_FIELDS: [&str; 2] = ["token_name", "token_days"];

#[derive(Deserialize, Default)]
pub struct PasswordForm {
    current_password: Option<String>,
    new_password: Option<String>,
    repeat_password: Option<String>,
}

fn password_field(ui: &Ui, name: &'static str, errors: &FieldErrors, auto: &'static str) -> Field {
    let mut f = Field::new(ui, name, "input", errors).required().wide();
    f.input_type = "password";
    f.autocomplete = auto;
    f
}

fn password_page(s: &AppState, ui: &Ui, caller: &Caller, errors: &FieldErrors) -> PageResult {
    let fields = vec![
        password_field(ui, "current_password", errors, "current-password"),
        password_field(ui, "new_password", errors, "new-password")
            .hint(ui.t("hint.password_policy")),
        password_field(ui, "repeat_password", errors, "new-password"),
    ];
    let page = PasswordPage {
        ui: ui.clone().with_nav("account"),
        forced: caller.user.as_ref().is_some_and(|u| u.must_change_password),
        summary: summary(ui, errors, &PASSWORD_FIELDS),
        fields,
        min_len: s.auth.password_min_len.to_string(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(status, &page))
}

/// `GET /account/password`
pub async fn password_form(State(s): State<AppState>, ui: Ui, caller: Caller) -> PageResult {
    accounts::me(&caller)?;
    password_page(&s, &ui, &caller, &FieldErrors::new())
}

/// `POST /account/password`: 303 to the account page, or the form with its errors.
pub async fn change_password(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    CheckedForm(f): CheckedForm<PasswordForm>,
) -> PageResult {
    accounts::me(&caller)?;
    let res = accounts::change_password(
        &s,
        &caller,
        f.current_password.as_deref().unwrap_or(""),
        f.new_password.as_deref().unwrap_or(""),
        f.repeat_password.as_deref().unwrap_or(""),
    )
    .await;
    match res {
        Ok(()) => Ok(see_other("/account?changed=1")),
        Err(AppError::Validation(errors)) => password_page(&s, &ui, &caller, &errors),
        Err(e) => Err(e.into()),
    }
}

pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    pub state: &'static str,
    pub state_class: &'static str,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    ui: Ui,
    username: String,
    display_name: String,
    role: &'static str,
    binding: String,
    password_changed: String,
    notice: Option<&'static str>,
    new_token: Option<String>,
    tokens: Vec<TokenRow>,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

#[derive(Deserialize, Default)]
pub struct AccountQuery {
    changed: Option<String>,
    revoked: Option<String>,
}

async fn account_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    new_token: Option<String>,
    notice: Option<&'static str>,
    form: &TokenForm,
    errors: &FieldErrors,
) -> PageResult {
    let u = accounts::me(caller)?;
    let now = chrono::Utc::now();
    let tokens = accounts::my_tokens(&s.store, caller)
        .await?
        .into_iter()
        .map(|t| {
            let (state, class, active) = if t.revoked_at.is_some() {
                (ui.t("token.revoked"), "off", false)
            } else if t.expires_at <= now {
                (ui.t("token.expired"), "warn", false)
            } else {
                (ui.t("token.active"), "ok", true)
            };
            TokenRow {
                id: t.id.to_string(),
                name: t.name,
                created: local_time(t.created_at),
                expires: local_time(t.expires_at),
                last_used: t.last_used_at.map(local_time).unwrap_or_else(|| "—".into()),
                state,
                state_class: class,
                active,
            }
        })
        .collect();
    let binding = match (&u.jurisdiction_code, u.organization_id) {
        (Some(code), _) => match s.store.jurisdiction(code).await? {
            Some(j) => format!("{} ({code})", j.name(ui.lang)),
            None => code.clone(),
        },
        (None, Some(id)) => match s.store.organization(id).await? {
            Some(o) => o.data.name,
            None => id.to_string(),
        },
        _ => "—".into(),
    };
    let mut name = Field::new(ui, "token_name", "input", errors)
        .value(&form.name)
        .required();
    name.autocomplete = "off";
    let days_default = Some(
        form.days
            .clone()
            .unwrap_or_else(|| s.auth.token_days.to_string()),
    );
    let days = Field::new(ui, "token_days", "input", errors)
        .value(&days_default)
        .numeric()
        .hint(ui.t("hint.token_days"));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AccountPage {
        ui: ui.clone().with_nav("account"),
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: u.role.label(ui.lang),
        binding,
        password_changed: local_time(u.password_changed_at),
        notice,
        new_token,
        tokens,
        summary: summary(ui, errors, &TOKEN_FIELDS),
        fields: vec![name, days],
    };
    let mut res = render(status, &page);
    // A page that shows a secret once must not be cached.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// `GET /account`
pub async fn account(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    q: Result<Query<AccountQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let notice = if q.changed.is_some() {
        Some(ui.t("account.password_changed"))
    } else if q.revoked.is_some() {
        Some(ui.t("token.revoked_notice"))
    } else {
        None
    };
    account_page(
        &s,
        &ui,
        &caller,
        None,
        notice,
        &TokenForm::default(),
        &FieldErrors::new(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct TokenForm {
    #[serde(rename = "token_name")]
    name: Option<String>,
    #[serde(rename = "token_days")]
    days: Option<String>,
}

/// `POST /account/tokens`: the account page with the new token shown once.
pub async fn create_token(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    CheckedForm(f): CheckedForm<TokenForm>,
) -> PageResult {
    let ui = ui.at("/account");
    accounts::me(&caller)?;
    let res = accounts::create_token(
        &s,
        &caller,
        f.name.as_deref().unwrap_or(""),
        f.days.as_deref(),
    )
    .await;
    match res {
        Ok((_, secret)) => {
            account_page(
                &s,
                &ui,
                &caller,
                Some(secret),
                None,
                &TokenForm::default(),
                &FieldErrors::new(),
            )
            .await
        }
        Err(AppError::Validation(errors)) => {
            account_page(&s, &ui, &caller, None, None, &f, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /account/tokens/{id}/revoke`
pub async fn revoke_token(
    State(s): State<AppState>,
    _: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    form: Result<CheckedForm<NoFields>, PageError>,
) -> PageResult {
    // An anonymous caller signs in first, whatever they sent.
    accounts::me(&caller)?;
    form?;
    accounts::revoke_token(&s.store, &caller, id).await?;
    Ok(see_other("/account?revoked=1"))
}

#[cfg(test)]
mod tests {
    use crate::kit::labels::{SITE, assert_labelled};

    #[test]
    fn every_field_has_a_label() {
        assert_labelled(SITE, &super::PASSWORD_FIELDS);
        assert_labelled(SITE, &super::TOKEN_FIELDS);
        assert_labelled(SITE, &super::super::admin::USER_FIELDS);
        assert_labelled(SITE, &["password"]);
    }
}
