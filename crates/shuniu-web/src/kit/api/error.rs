//! How the API answers errors: the shared [`AppError`] as JSON, in the caller's language.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use shuniu_domain::Lang;
use utoipa::ToSchema;

use crate::AppError;

/// The language of API messages: English unless `Accept-Language` prefers Chinese.
/// (Pages default to Chinese and honour the `lang` cookie; API clients are programs.)
pub fn api_lang_of(parts: &Parts) -> Lang {
    parts
        .headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
        .unwrap_or(Lang::En)
}

/// An [`AppError`] with the language to answer it in.
#[derive(Debug)]
pub struct ApiError {
    pub error: AppError,
    pub lang: Lang,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = api_error_response(&self.error, self.lang);
        self.error.add_retry_after(&mut resp);
        resp
    }
}

/// The JSON answer to `error`, messages in `lang` (without `Retry-After`).
pub fn api_error_response(error: &AppError, lang: Lang) -> Response {
    if let AppError::Internal(e) = error {
        tracing::error!(error = %e, "internal error");
    }
    let mut resp = (error.status(), Json(error.json_body(lang))).into_response();
    // RFC 6750: a 401 names the scheme the client should use.
    if resp.status() == axum::http::StatusCode::UNAUTHORIZED {
        resp.headers_mut().insert(
            axum::http::header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer realm=\"shuniu\""),
        );
    }
    resp
}

/// Every error answer of the API.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// `unauthenticated` (401: no valid API token where an account is needed; the
    /// answer carries `WWW-Authenticate: Bearer`), `forbidden` (403: the record is known
    /// to the caller, but this is not theirs to do), `validation_failed` (422),
    /// `not_found` (404, also for a record outside the caller's scope), `conflict` (409),
    /// `bad_request` (400), `method_not_allowed` (405), `payload_too_large` (413),
    /// `uri_too_long` (414), `unsupported_media_type` (415), `too_many_requests` (429)
    /// and `busy` (503), both with `Retry-After`, `internal` (500).
    #[schema(example = "validation_failed")]
    pub error: String,
    /// For `validation_failed`: every bad field (or query parameter) and what is wrong
    /// with it. For `conflict` on a unique value: the field that is taken.
    #[schema(example = json!({"uscc": "check character (18th) is wrong: expected 'X'"}))]
    pub fields: Option<BTreeMap<String, String>>,
    /// For a `conflict` with the record's state (e.g. editing a deregistered organization).
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_and_throttled_answers_are_json_with_retry_after() {
        for (error, status, code) in [
            (
                AppError::Busy {
                    retry_after_secs: 5,
                },
                503,
                "busy",
            ),
            (
                AppError::TooManyRequests {
                    retry_after_secs: 60,
                },
                429,
                "too_many_requests",
            ),
        ] {
            let secs = error.retry_after().unwrap().to_string();
            let body = error.json_body(Lang::En);
            let res = ApiError {
                error,
                lang: Lang::En,
            }
            .into_response();
            assert_eq!(res.status().as_u16(), status);
            assert_eq!(
                res.headers()[axum::http::header::RETRY_AFTER],
                secs.as_str()
            );
            assert_eq!(body["error"], code);
        }
    }
}
