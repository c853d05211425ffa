//! What every page needs: [`Ui`] (language, navigation, who is signed in, CSRF token),
//! rendering a template, the error pages, the language switch and the static files.
//!
//! Pages are server-rendered (askama templates in `templates/`), bilingual zh-CN /
//! English. Every page works without JavaScript; the little script there is lives in
//! `static/app.js` (no inline script, so a strict CSP can be added). A capability's
//! pages call the same service functions as its JSON API and only differ in how they
//! render the result: HTML, with field errors inline and typed values kept.

use std::sync::LazyLock;

use askama::Template;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use serde::Deserialize;
use shuniu_domain::Lang;

use shuniu_domain::access::{Action, Resource};

use crate::auth::{Caller, Via};
use crate::kit::i18n::{DISPLAY_COOKIE, LANG_COOKIE, elder_of, lang_of};
use crate::kit::messages::{field_label, t};
use crate::kit::routes::Routes;
use crate::kit::view;
use crate::{AppError, AppState};

/// The kit's own routes: the language switch and the static files.
pub fn routes() -> Routes {
    Routes::new()
        .get("/lang/{lang}", switch_lang)
        .get("/display/{mode}", switch_display)
        .get("/glossary", crate::kit::glossary::page)
        .get("/static/{file}", static_file)
}

/// The signed-in user as the navigation shows them.
#[derive(Debug, Clone)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub is_admin: bool,
    pub can_audit: bool,
    pub can_register: bool,
    /// An official bound to a jurisdiction node: the queues of their office show.
    pub is_official: bool,
    /// Reads coverage reports somewhere: an official (their node), a hub's staff (their
    /// hub), an expert or an admin (any node).
    pub reads_reports: bool,
}

impl Me {
    /// The role beside the name in the header, unless the name already says it (an
    /// account named after its role, "平台管理员", would otherwise read twice).
    pub fn role_badge(&self) -> Option<&'static str> {
        (self.display_name.trim() != self.role).then_some(self.role)
    }
}

/// What every page template needs: the language, where the page is (for the language
/// switch), which navigation item is current, who is signed in and the CSRF token
/// every state-changing form carries.
#[derive(Debug, Clone)]
pub struct Ui {
    pub lang: Lang,
    /// Path and query of this page; the language switch comes back here.
    pub here: String,
    /// `home`, `orgs`, `new`, `account`, `users`, `audit` or empty.
    pub nav: &'static str,
    pub me: Option<Me>,
    /// The `_csrf` value of this caller's forms (empty if there is none yet).
    pub csrf: String,
    /// The elderly mode (长辈版, `display=elder` cookie): larger type and targets,
    /// stronger contrast; `base.html` marks the page with `class="elder"`.
    pub elder: bool,
}

impl Ui {
    pub fn new(lang: Lang, here: impl Into<String>) -> Self {
        Ui {
            lang,
            here: here.into(),
            nav: "",
            me: None,
            csrf: String::new(),
            elder: false,
        }
    }
    /// `self` in the display mode this request's cookie chose.
    pub fn for_request(mut self, parts: &Parts) -> Self {
        self.elder = elder_of(parts);
        self
    }
    /// `self` for `caller`: who is signed in, and their forms' CSRF token.
    pub fn for_caller(mut self, caller: &Caller) -> Self {
        self.csrf = caller.csrf_token().unwrap_or_default().to_string();
        self.me = caller.user.as_ref().map(|u| Me {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.label(self.lang),
            is_admin: caller
                .decide(Action::ManageUsers, &Resource::Accounts)
                .is_allowed(),
            can_audit: caller
                .decide(Action::ReadAudit, &Resource::AuditTrail)
                .is_allowed(),
            can_register: caller
                .decide(
                    Action::Create,
                    &Resource::NewOrganization {
                        jurisdiction_path: None,
                    },
                )
                .is_allowed(),
            is_official: u.role == shuniu_domain::access::Role::Official
                && u.jurisdiction_code.is_some(),
            reads_reports: {
                use shuniu_domain::access::Role;
                match u.role {
                    Role::Admin | Role::Expert => true,
                    Role::Official => u.jurisdiction_code.is_some(),
                    Role::HubStaff => u.organization_id.is_some(),
                    Role::OrgMember => false,
                }
            },
        });
        self
    }
    /// The sign-in link, coming back here afterwards.
    pub fn login_href(&self) -> String {
        if self.here.starts_with("/login") {
            "/login".into()
        } else {
            format!("/login?next={}", view::pct(&self.here))
        }
    }
    /// The site navigation's links this page shows (every capability's `nav`).
    pub fn nav_items(&self) -> Vec<&'static crate::kit::NavItem> {
        crate::kit::capability::nav()
            .iter()
            .copied()
            .filter(|item| (item.shows)(self))
            .collect()
    }
    /// The nav's Register link: for roles that may register (an anonymous visitor would
    /// only meet the sign-in page there).
    pub fn show_register(&self) -> bool {
        self.me.as_ref().is_some_and(|m| m.can_register)
    }
    pub fn with_nav(mut self, nav: &'static str) -> Self {
        self.nav = nav;
        self
    }
    pub fn at(mut self, here: impl Into<String>) -> Self {
        self.here = here.into();
        self
    }
    /// The message `key` in this page's language.
    pub fn t<'k>(&self, key: &'k str) -> &'k str {
        t(self.lang, key)
    }
    /// `t(key)` with `{}` replaced, in order, by `args`.
    pub fn tf(&self, key: &str, args: &[&str]) -> String {
        let mut out = self.t(key).to_string();
        for a in args {
            out = out.replacen("{}", a, 1);
        }
        out
    }
    pub fn html_lang(&self) -> &'static str {
        self.lang.code()
    }
    pub fn is_zh(&self) -> bool {
        self.lang == Lang::Zh
    }
    /// The link that switches the interface to `code` (`zh` or `en`) and comes back here.
    pub fn switch_href(&self, code: &str) -> String {
        format!("/lang/{code}?next={}", view::pct(&self.here))
    }
    /// The link that turns the elderly mode on (`elder`) or off (`standard`) and comes back here.
    pub fn display_href(&self, mode: &str) -> String {
        format!("/display/{mode}?next={}", view::pct(&self.here))
    }
    pub fn asset_version(&self) -> &'static str {
        &ASSET_VERSION
    }
}

/// Paths a user who must change their password may still reach.
fn allowed_before_password_change(path: &str) -> bool {
    path == "/account/password"
        || path == "/logout"
        || path.starts_with("/static/")
        || path.starts_with("/lang/")
        || path.starts_with("/display/")
}

impl FromRequestParts<AppState> for Ui {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let ui = Ui::new(lang_of(parts), here).for_request(parts);
        let caller = match Caller::from_request_parts(parts, state).await {
            Ok(c) => c,
            Err(e) => return Err(error_page(&ui, &e)),
        };
        // An account made or reset by an admin changes its password before anything else.
        if matches!(caller.via, Via::Session { .. })
            && caller.user.as_ref().is_some_and(|u| u.must_change_password)
            && !allowed_before_password_change(parts.uri.path())
        {
            return Err(see_other("/account/password"));
        }
        Ok(ui.for_caller(&caller))
    }
}

/// Renders a template as an HTML response with `status`.
pub(crate) fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(body) => (
            status,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::VARY, "Accept-Language, Cookie"),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "500 内部错误 / Internal error",
            )
                .into_response()
        }
    }
}

/// A `303 See Other` to a local path (after a successful form post).
pub(crate) fn see_other(location: &str) -> Response {
    let loc = HeaderValue::from_str(&view::encode_non_ascii(location))
        .unwrap_or_else(|_| HeaderValue::from_static("/"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, loc)]).into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ui: Ui,
    status: u16,
    title: &'static str,
    message: String,
    details: Vec<String>,
}

use crate::kit::error::Denied;

/// Records every permission denial of a page (`403` from the policy, not a CSRF
/// failure) in the audit trail as `access.denied`: method, path and who asked.
pub async fn record_denials(
    axum::extract::State(s): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let method = req.method().clone();
    let uri = req.uri().clone();
    let headers = req.headers().clone();
    let conn = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .cloned();
    let res = next.run(req).await;
    if res.extensions().get::<Denied>().is_none() {
        return res;
    }
    // Who asked: the same credentials, looked at again (only on a denial).
    let mut probe = axum::http::Request::new(());
    *probe.uri_mut() = uri.clone();
    *probe.headers_mut() = headers;
    if let Some(c) = conn {
        probe.extensions_mut().insert(c);
    }
    let (mut parts, ()) = probe.into_parts();
    if let Ok(caller) = Caller::from_request_parts(&mut parts, &s).await {
        let details = serde_json::json!({ "method": method.as_str(), "path": uri.path() });
        crate::kit::api::access::record_denial(
            &s,
            &caller,
            format!("page:{}", uri.path()),
            details,
        )
        .await;
    }
    res
}

/// The HTML error page for a request refused before its handler ran, or whose
/// framework rejection came without a page (see `crate::guard`): in the caller's
/// language, with the caller's navigation.
pub(crate) async fn error_page_for(
    state: &AppState,
    parts: &mut Parts,
    err: &AppError,
) -> Response {
    // A refused address may be huge or malformed: the language switch then goes home.
    let here = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .filter(|p| p.len() <= 512 && !matches!(err, AppError::Http(_) | AppError::Validation(_)))
        .unwrap_or("/")
        .to_string();
    let ui = Ui::new(lang_of(parts), here).for_request(parts);
    let ui = match Caller::from_request_parts(parts, state).await {
        Ok(c) => ui.for_caller(&c),
        Err(_) => ui,
    };
    error_page(&ui, err)
}

/// The HTML error page for an error a page handler returned (`PageError`): like
/// [`error_page_for`], but the language switch comes back to the page that failed.
pub(crate) async fn handler_error_page(
    state: &AppState,
    parts: &mut Parts,
    err: &AppError,
) -> Response {
    let path = parts.uri.path().to_string();
    // A failed form post comes back to the page the form was on (the address it was
    // posted to may not be a page): sign-in and the language switch return there.
    let here = if matches!(parts.method, Method::GET | Method::HEAD) {
        parts.uri.path_and_query().map(|p| p.as_str().to_string())
    } else {
        parts
            .headers
            .get(header::REFERER)
            .and_then(|r| r.to_str().ok())
            .and_then(|r| r.parse::<axum::http::Uri>().ok())
            .filter(|r| {
                r.host()
                    .is_none_or(|h| Some(h) == parts.uri.host().or(host_of(parts)))
            })
            .and_then(|r| r.path_and_query().map(|p| p.as_str().to_string()))
    }
    .filter(|p| p.len() <= 512 && view::local_path(Some(p)).is_some())
    .unwrap_or_else(|| "/".into());
    let ui = Ui::new(lang_of(parts), here)
        .for_request(parts)
        .with_nav(nav_of(&path));
    let ui = match Caller::from_request_parts(parts, state).await {
        Ok(c) => ui.for_caller(&c),
        Err(_) => ui,
    };
    error_page_inner(&ui, err)
}

/// The `Host` a request was sent to.
fn host_of(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| h.split(':').next().unwrap_or(h))
}

/// The navigation link current on `path`: the one whose address is the path, else the
/// one whose first segment is the path's.
fn nav_of(path: &str) -> &'static str {
    let items = crate::kit::capability::nav();
    let first = |p: &str| {
        p.trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or("")
            .to_string()
    };
    items
        .iter()
        .find(|n| n.href == path)
        .or_else(|| {
            items
                .iter()
                .find(|n| first(n.href) == first(path) && !first(path).is_empty())
        })
        .map_or("", |n| n.id)
}

/// The HTML page for an error, in the user's language.
pub(crate) fn error_page(ui: &Ui, err: &AppError) -> Response {
    let mut res = error_page_inner(ui, err);
    if matches!(err, AppError::Forbidden | AppError::Hidden) {
        res.extensions_mut().insert(Denied);
    }
    res
}

fn error_page_inner(ui: &Ui, err: &AppError) -> Response {
    let status = err.status();
    let (title, message, details) = match err {
        // Pages send an anonymous caller to the login page, and back here after.
        AppError::Unauthenticated => {
            return see_other(&format!("/login?next={}", view::pct(&ui.here)));
        }
        AppError::Forbidden => (
            ui.t("error.403.title"),
            ui.t("error.403.text").into(),
            vec![],
        ),
        AppError::Csrf => (
            ui.t("error.403.title"),
            ui.t("error.csrf.text").into(),
            vec![],
        ),
        AppError::NotFound | AppError::Hidden => (
            ui.t("error.404.title"),
            ui.t("error.404.text").into(),
            vec![],
        ),
        AppError::Validation(f) => (
            ui.t("error.422.title"),
            ui.t("error.422.text").into(),
            f.0.iter()
                .map(|(k, v)| {
                    format!(
                        "{}{}{}",
                        field_label(ui.lang, k),
                        ui.t("punct.colon"),
                        v.message(ui.lang)
                    )
                })
                .collect(),
        ),
        AppError::Conflict { field } => (
            ui.t("error.409.title"),
            format!(
                "{}{}{}",
                field_label(ui.lang, field),
                ui.t("punct.colon"),
                AppError::conflict_message(field).message(ui.lang)
            ),
            vec![],
        ),
        AppError::State(_) => (
            ui.t("error.409.title"),
            ui.t("error.409.text").into(),
            vec![],
        ),
        AppError::BadRequest(_) => (
            ui.t("error.400.title"),
            ui.t("error.400.text").into(),
            vec![],
        ),
        AppError::TooManyRequests { .. } => (
            ui.t("error.429.title"),
            ui.t("error.429.text").into(),
            vec![],
        ),
        AppError::Busy { .. } => (
            ui.t("error.503.title"),
            ui.t("error.503.text").into(),
            vec![],
        ),
        AppError::Internal(e) => {
            tracing::error!(error = %e, "internal error");
            (
                ui.t("error.500.title"),
                ui.t("error.500.text").into(),
                vec![],
            )
        }
        AppError::Http(status) => {
            let (title, text) = match status.as_u16() {
                405 => ("error.405.title", "error.405.text"),
                413 => ("error.413.title", "error.413.text"),
                414 => ("error.414.title", "error.414.text"),
                415 => ("error.415.title", "error.415.text"),
                429 => ("error.429.title", "error.429.text"),
                503 => ("error.503.title", "error.503.text"),
                s if s >= 500 => ("error.500.title", "error.500.text"),
                _ => ("error.400.title", "error.400.text"),
            };
            (ui.t(title), ui.t(text).into(), vec![])
        }
    };
    let mut res = render(
        status,
        &ErrorPage {
            ui: ui.clone(),
            status: status.as_u16(),
            title,
            message,
            details,
        },
    );
    err.add_retry_after(&mut res);
    res
}

/// The HTML 404 page, for use as the application's fallback.
pub async fn not_found(ui: Ui) -> Response {
    error_page(&ui, &AppError::NotFound)
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// `GET /lang/{zh|en}?next=/path`: remembers the language in a cookie and goes back.
async fn switch_lang(
    ui: Ui,
    Path(code): Path<String>,
    next: Result<Query<Next>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let lang = match code.as_str() {
        "zh" => Lang::Zh,
        "en" => Lang::En,
        _ => return error_page(&ui, &AppError::NotFound),
    };
    let next = next.ok().and_then(|Query(n)| n.next);
    let target = view::local_path(next.as_deref()).unwrap_or("/");
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        match lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    );
    let mut res = see_other(target);
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// `GET /display/{elder|standard}?next=/path`: remembers the display mode in a cookie
/// for a year and goes back (only to a path of this site).
async fn switch_display(
    ui: Ui,
    Path(mode): Path<String>,
    next: Result<Query<Next>, axum::extract::rejection::QueryRejection>,
) -> Response {
    if mode != "elder" && mode != "standard" {
        return error_page(&ui, &AppError::NotFound);
    }
    let next = next.ok().and_then(|Query(n)| n.next);
    let target = view::local_path(next.as_deref()).unwrap_or("/");
    let cookie =
        format!("{DISPLAY_COOKIE}={mode}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    let mut res = see_other(target);
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

const STYLE_CSS: &str = include_str!("../../static/style.css");
const APP_JS: &str = include_str!("../../static/app.js");
const FAVICON_SVG: &str = include_str!("../../static/favicon.svg");

/// Changes whenever a static file changes, so that `?v=` busts caches.
static ASSET_VERSION: LazyLock<String> = LazyLock::new(|| {
    // FNV-1a over the embedded files: stable across builds and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in STYLE_CSS.bytes().chain(APP_JS.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", h as u32)
});

/// Static files, embedded in the binary.
async fn static_file(ui: Ui, Path(file): Path<String>) -> Response {
    let (ctype, body) = match file.as_str() {
        "style.css" => ("text/css; charset=utf-8", STYLE_CSS),
        "app.js" => ("text/javascript; charset=utf-8", APP_JS),
        "favicon.svg" => ("image/svg+xml", FAVICON_SVG),
        _ => return error_page(&ui, &AppError::NotFound),
    };
    (
        [
            (header::CONTENT_TYPE, ctype),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::Me;

    fn me(display_name: &str, role: &'static str) -> Me {
        Me {
            username: "u".into(),
            display_name: display_name.into(),
            role,
            is_admin: false,
            can_audit: false,
            can_register: false,
            is_official: false,
            reads_reports: false,
        }
    }

    /// The demo's administrator is called "平台管理员", which is also the role's name:
    /// the header says it once.
    #[test]
    fn the_role_shows_only_when_the_name_does_not_say_it() {
        assert_eq!(me("平台管理员", "平台管理员").role_badge(), None);
        assert_eq!(me("专家", "专家").role_badge(), None);
        assert_eq!(me("张三", "专家").role_badge(), Some("专家"));
        assert_eq!(
            me("平台管理员", "Platform administrator").role_badge(),
            Some("Platform administrator")
        );
    }
}
