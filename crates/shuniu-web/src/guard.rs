//! What every request passes before any handler, and what every error answer looks
//! like after it — one layer, so no route can forget it:
//!
//! - an address longer than [`MAX_URI_BYTES`] is refused (`414`);
//! - a query parameter (name or value) with a control character is refused (`422`,
//!   naming the parameter): `\0` in text would reach the database, where PostgreSQL
//!   refuses it with an internal error, and no control character belongs in a filter;
//! - the API takes bodies only as JSON (`415` for another `Content-Type`);
//! - a page's form body is read once here (at most [`MAX_BODY_BYTES`], else `413`) and
//!   refused (`422`, naming the field) if a value has a control character other than a
//!   line break or tab — typed text keeps its line breaks;
//! - an error answer without a body of the right kind (axum's plain-text `405`, `413`,
//!   `400` and `415` rejections) is replaced: JSON under `/api/`, the HTML error page
//!   elsewhere, keeping headers such as `Allow` and `Retry-After`.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use shuniu_domain::FieldErrors;

use crate::kit::api::error::{ApiError, api_lang_of};
use crate::kit::api::input::{control_chars_error, has_control_chars};
use crate::kit::error::RenderLater;
use crate::{AppError, AppState};

/// The longest address (path and query) served. Far above any link the application
/// makes; below hyper's own limit, so that a long address gets this layer's answer.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// The largest body read: axum's default limit for its body extractors.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Headers of an error answer worth keeping when its body is replaced.
const KEPT_HEADERS: [header::HeaderName; 4] = [
    header::ALLOW,
    header::RETRY_AFTER,
    header::WWW_AUTHENTICATE,
    header::SET_COOKIE,
];

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// The first parameter of a `application/x-www-form-urlencoded` text (a query string
/// or a form body) whose name or value has a control character — `\n`, `\r` and `\t`
/// allowed in values when `line_breaks`. Its name is returned with control
/// characters replaced, so that it can be shown.
pub fn bad_parameter(encoded: &[u8], line_breaks: bool) -> Option<String> {
    let bad_value = |v: &str| {
        if line_breaks {
            has_control_chars(v)
        } else {
            v.chars().any(char::is_control)
        }
    };
    form_urlencoded::parse(encoded)
        .find(|(k, v)| k.chars().any(char::is_control) || bad_value(v))
        .map(|(k, _)| {
            k.chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect()
        })
}

fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// `application/json`, or a `+json` type, with any parameters.
fn is_json(ctype: &str) -> bool {
    let essence = ctype
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn is_form(ctype: &str) -> bool {
    ctype
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// Whether the request says it carries a body.
fn has_body(headers: &HeaderMap) -> bool {
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .is_some_and(|n| n > 0)
}

/// The error answer for `parts`: JSON under `/api/`, else the HTML error page.
async fn refuse(state: &AppState, parts: &mut Parts, err: AppError) -> Response {
    if is_api(parts.uri.path()) {
        let lang = api_lang_of(parts);
        ApiError { error: err, lang }.into_response()
    } else {
        crate::kit::ui::error_page_for(state, parts, &err).await
    }
}

/// The answer to an error a handler returned: JSON in the API caller's language, or
/// the error page with the caller's navigation (the language switch comes back to the
/// page that failed).
async fn render_handler_error(state: &AppState, parts: &mut Parts, err: &AppError) -> Response {
    if is_api(parts.uri.path()) {
        let lang = api_lang_of(parts);
        let mut res = crate::kit::api::error::api_error_response(err, lang);
        err.add_retry_after(&mut res);
        res
    } else {
        crate::kit::ui::handler_error_page(state, parts, err).await
    }
}

fn control_chars_in(name: String) -> AppError {
    AppError::Validation(FieldErrors::single(&name, control_chars_error()))
}

/// The layer (see the module documentation).
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let api = is_api(parts.uri.path());
    let uri_len = parts.uri.path_and_query().map_or(0, |p| p.as_str().len());
    if uri_len > MAX_URI_BYTES {
        return refuse(&state, &mut parts, AppError::Http(StatusCode::URI_TOO_LONG)).await;
    }
    if let Some(name) = parts
        .uri
        .query()
        .and_then(|q| bad_parameter(q.as_bytes(), false))
    {
        return refuse(&state, &mut parts, control_chars_in(name)).await;
    }
    let writes = matches!(
        parts.method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let body = if writes && has_body(&parts.headers) {
        let ctype = content_type(&parts.headers).to_string();
        if api && !is_json(&ctype) {
            let err = AppError::Http(StatusCode::UNSUPPORTED_MEDIA_TYPE);
            return refuse(&state, &mut parts, err).await;
        }
        if !api && is_form(&ctype) {
            let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
                let err = AppError::Http(StatusCode::PAYLOAD_TOO_LARGE);
                return refuse(&state, &mut parts, err).await;
            };
            if let Some(name) = bad_parameter(&bytes, true) {
                return refuse(&state, &mut parts, control_chars_in(name)).await;
            }
            Body::from(bytes)
        } else {
            body
        }
    } else {
        body
    };
    // What the answer needs if it has to be replaced.
    let mut probe = Request::new(());
    *probe.method_mut() = parts.method.clone();
    *probe.uri_mut() = parts.uri.clone();
    *probe.headers_mut() = parts.headers.clone();
    if let Some(c) = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
    {
        probe.extensions_mut().insert(*c);
    }
    let mut res = next.run(Request::from_parts(parts, body)).await;
    let handler_error = RenderLater::take(&mut res);
    if handler_error.is_none() && !needs_a_body(&res, api) {
        return res;
    }
    let status = res.status();
    let (mut probe_parts, ()) = probe.into_parts();
    if let Some(err) = handler_error {
        // Rendered whole from the error: its status (a page's 401 is a redirect to
        // the login page), `Retry-After` and `WWW-Authenticate` come with it.
        let mut rendered = render_handler_error(&state, &mut probe_parts, &err).await;
        for v in res.headers().get_all(header::SET_COOKIE) {
            rendered.headers_mut().append(header::SET_COOKIE, v.clone());
        }
        return rendered;
    }
    let mut replaced = refuse(&state, &mut probe_parts, AppError::Http(status)).await;
    *replaced.status_mut() = status;
    for name in KEPT_HEADERS {
        for v in res.headers().get_all(&name) {
            replaced.headers_mut().append(name.clone(), v.clone());
        }
    }
    replaced
}

/// An error answer whose body is not what its caller reads: not JSON from the API, not
/// HTML from a page. (Redirects and successes are left alone.)
fn needs_a_body(res: &Response, api: bool) -> bool {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return false;
    }
    let ctype = content_type(res.headers());
    if api {
        !is_json(ctype)
    } else {
        !ctype.starts_with("text/html")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_in_names_and_values() {
        assert_eq!(bad_parameter(b"q=%00", false).as_deref(), Some("q"));
        assert_eq!(
            bad_parameter(b"a=1&actor=x%01y", false).as_deref(),
            Some("actor")
        );
        assert_eq!(bad_parameter(b"a%00b=1", false).as_deref(), Some("a?b"));
        assert_eq!(bad_parameter(b"q=%E5%85%BB%E8%80%81&page=2", false), None);
        // Forms keep line breaks and tabs, queries do not.
        assert_eq!(bad_parameter(b"reason=a%0D%0Ab%09", true), None);
        assert_eq!(bad_parameter(b"q=a%0Ab", false).as_deref(), Some("q"));
        assert_eq!(
            bad_parameter(b"reason=a%7Fb", true).as_deref(),
            Some("reason")
        );
        // Not percent-decodable as UTF-8: replaced, not refused here.
        assert_eq!(bad_parameter(b"q=%FF", false), None);
    }

    #[test]
    fn json_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("Application/JSON"));
        assert!(is_json("application/merge-patch+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("application/x-www-form-urlencoded"));
        assert!(!is_json(""));
        assert!(is_form("application/x-www-form-urlencoded; charset=UTF-8"));
    }
}
