//! One error type for every handler, mapped to a status and a body.
//!
//! User input never produces a 500: bad input is 422 with every bad field named,
//! a taken unique value 409, what the caller may not see 404.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use shuniu_domain::{FieldError, FieldErrors, Lang};
use shuniu_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// The policy's `Hidden`: outside the caller's scope. Answered exactly like
    /// [`AppError::NotFound`] (nothing reveals that the record exists), but recorded in
    /// the audit trail as a denial.
    #[error("not found (outside the caller's scope)")]
    Hidden,
    /// No (valid) credentials, and an account could be allowed: 401 / the login page.
    #[error("sign in first")]
    Unauthenticated,
    /// Known to the caller, but not theirs to do: 403.
    #[error("forbidden")]
    Forbidden,
    /// A state-changing form without the right CSRF token: 403.
    #[error("bad or missing CSRF token")]
    Csrf,
    #[error("validation failed: {0}")]
    Validation(FieldErrors),
    #[error("conflict on {field}")]
    Conflict { field: String },
    #[error("{0}")]
    State(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("internal error: {0}")]
    Internal(String),
    /// A request refused before (or instead of) its handler, for its form rather than
    /// its content: 400, 405, 413, 414, 415 … (see `crate::guard`).
    #[error("{0}")]
    Http(StatusCode),
    /// Too many failed attempts from this source or for this account: 429.
    #[error("too many attempts")]
    TooManyRequests { retry_after_secs: u64 },
    /// No capacity now (password hashing is bounded): 503.
    #[error("busy")]
    Busy { retry_after_secs: u64 },
}

/// The API's error code for a status refused by the HTTP layer.
pub fn http_error_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "request_timeout",
        411 => "length_required",
        413 => "payload_too_large",
        414 => "uri_too_long",
        415 => "unsupported_media_type",
        422 => "validation_failed",
        429 => "too_many_requests",
        503 => "busy",
        s if s >= 500 => "internal",
        _ => "bad_request",
    }
}

impl From<crate::hashing::Busy> for AppError {
    fn from(b: crate::hashing::Busy) -> Self {
        AppError::Busy {
            retry_after_secs: b.retry_after_secs,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { field } => AppError::Conflict { field },
            StoreError::Invalid(f) => AppError::Validation(f),
            StoreError::State(s) => AppError::State(s),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(f: FieldErrors) -> Self {
        AppError::Validation(f)
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::Hidden => StatusCode::NOT_FOUND,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict { .. } | AppError::State(_) => StatusCode::CONFLICT,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Http(s) => *s,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Seconds for `Retry-After`, for the answers that carry it.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::TooManyRequests { retry_after_secs }
            | AppError::Busy { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// Adds `Retry-After` to `res` if this error has one.
    pub fn add_retry_after(&self, res: &mut Response) {
        if let Some(secs) = self.retry_after() {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
    }

    /// The message for a field that must be unique and is taken.
    pub fn conflict_message(field: &str) -> FieldError {
        match field {
            "uscc" => FieldError::new("该统一社会信用代码已被登记", "is already registered"),
            "filing_number" => FieldError::new("该备案编号已被使用", "is already in use"),
            // Room bookings and office allocations (service parks).
            "start" => FieldError::new("该时段已被预约", "overlaps another booking of the room"),
            "starts_on" => FieldError::new(
                "该期间办公室已分配",
                "overlaps a current allocation of the office",
            ),
            _ => FieldError::new("已存在", "already exists"),
        }
    }

    /// The JSON body of this error, messages in `lang`.
    pub fn json_body(&self, lang: Lang) -> serde_json::Value {
        match self {
            AppError::NotFound | AppError::Hidden => json!({"error": "not_found"}),
            AppError::Unauthenticated => {
                json!({"error": "unauthenticated", "message": "send a valid API token: Authorization: Bearer …"})
            }
            AppError::Forbidden => json!({"error": "forbidden"}),
            AppError::Csrf => json!({"error": "csrf"}),
            AppError::Validation(f) => {
                json!({"error": "validation_failed", "fields": f.in_lang(lang)})
            }
            AppError::Conflict { field } => json!({
                "error": "conflict",
                "fields": { field: AppError::conflict_message(field).message(lang) }
            }),
            AppError::State(s) => json!({"error": "conflict", "message": s}),
            AppError::BadRequest(s) => json!({"error": "bad_request", "message": s}),
            AppError::Internal(_) => json!({"error": "internal"}),
            AppError::Http(s) => json!({
                "error": http_error_code(*s),
                "message": s.canonical_reason().unwrap_or("error").to_lowercase(),
            }),
            AppError::TooManyRequests { .. } => json!({"error": "too_many_requests"}),
            AppError::Busy { .. } => json!({"error": "busy"}),
        }
    }
}

/// An error a handler returns is rendered at the edge, not here: the `guard` layer
/// knows the request, so it answers JSON in the API caller's language under `/api/`
/// and the HTML error page (in the page's language, with the caller's navigation)
/// elsewhere. Handlers therefore just use `?`. The body set here (JSON, English) is only
/// what a router without that layer (a unit test) would see.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = (self.status(), Json(self.json_body(Lang::En))).into_response();
        self.add_retry_after(&mut res);
        res.extensions_mut()
            .insert(RenderLater(std::sync::Arc::new(self)));
        res
    }
}

/// Marks a response whose body the `guard` layer renders from this error.
#[derive(Debug, Clone)]
pub struct RenderLater(pub std::sync::Arc<AppError>);

impl RenderLater {
    /// The error of a response a handler answered with `Err(AppError)`, if any.
    pub fn take(res: &mut Response) -> Option<std::sync::Arc<AppError>> {
        res.extensions_mut().remove::<RenderLater>().map(|r| r.0)
    }
}

/// Marks a page's `403`/`404` that the policy decided (not a CSRF failure), so that
/// the `record_denials` layer audits it.
#[derive(Debug, Clone, Copy)]
pub struct Denied;

/// What a page handler returns when it does not render its page: `Result<Response,
/// PageError>` and `?` on any service call. The error page (or the login redirect for
/// an anonymous caller) is rendered by the `guard` layer in the caller's language;
/// a refusal of the policy is also recorded in the audit trail.
#[derive(Debug)]
pub struct PageError(pub AppError);

/// The result of a page handler.
pub type PageResult<T = Response> = Result<T, PageError>;

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let denied = matches!(self.0, AppError::Forbidden | AppError::Hidden);
        let mut res = self.0.into_response();
        if denied {
            res.extensions_mut().insert(Denied);
        }
        res
    }
}

impl AppError {
    /// A policy answer as the handler's result: `Allow` passes, the rest become the
    /// matching error (login, 403, or the 404 of what the caller may not see).
    pub fn unless_allowed(d: shuniu_domain::access::Decision) -> Result<(), AppError> {
        use shuniu_domain::access::Decision;
        match d {
            Decision::Allow => Ok(()),
            Decision::Login => Err(AppError::Unauthenticated),
            Decision::Forbidden => Err(AppError::Forbidden),
            Decision::Hidden => Err(AppError::Hidden),
        }
    }
}
