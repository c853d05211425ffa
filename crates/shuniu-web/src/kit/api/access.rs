//! Who is calling the API, and what of a record they may see.
//!
//! Under `/api/` only bearer tokens authenticate (a browser's session cookie does
//! not). A missing token makes the caller anonymous; a token that is malformed,
//! unknown, expired, revoked or of a disabled account is a `401` on every endpoint
//! (a bad credential is never silently downgraded to anonymous), recorded in the
//! audit trail as `api.unauthenticated` — without the token.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use shuniu_domain::audit::Outcome;

use super::error::{ApiError, api_lang_of};
use crate::auth::Caller;
use crate::{AppError, AppState};

/// The caller of an API request; rejections answer JSON in the caller's language.
#[derive(Debug, Clone)]
pub struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let lang = api_lang_of(parts);
        match Caller::from_request_parts(parts, state).await {
            Ok(c) => Ok(ApiCaller(c)),
            Err(AppError::Unauthenticated) => {
                if parts.headers.contains_key(header::AUTHORIZATION) {
                    let anon = Caller {
                        user: None,
                        via: crate::auth::Via::Anonymous,
                        source: parts
                            .extensions
                            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                            .map(|c| c.0.ip().to_string())
                            .unwrap_or_else(|| "unknown".into()),
                        csrf_cookie: None,
                        csrf_header: None,
                    };
                    // One record per source and minute, carrying the count of the
                    // failures it stands for; the event names the endpoint, never the
                    // credential.
                    if let Some(suppressed) = state
                        .auth_failures
                        .admit(&anon.source, std::time::Instant::now())
                    {
                        let event = anon.event(
                            "api.unauthenticated",
                            format!("endpoint:{} {}", parts.method, parts.uri.path()),
                            Outcome::Failure,
                            serde_json::json!({
                                "reason": "invalid, expired or revoked API token",
                                "unrecorded_failures_before": suppressed,
                            })
                            .to_string(),
                        );
                        if let Err(e) = state.store.audit(event).await {
                            tracing::error!(error = %e, "could not record a failed API authentication");
                        }
                    } else {
                        tracing::debug!(source = %anon.source, "failed API authentication (counted, not recorded)");
                    }
                }
                Err(ApiError {
                    error: AppError::Unauthenticated,
                    lang,
                })
            }
            Err(error) => Err(ApiError { error, lang }),
        }
    }
}

/// The caller of an API operation that needs an account: anonymous is a `401` (with
/// `WWW-Authenticate: Bearer`), before anything of the request is looked at.
#[derive(Debug, Clone)]
pub struct ApiAccount(pub Caller);

impl FromRequestParts<AppState> for ApiAccount {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ApiCaller(caller) = ApiCaller::from_request_parts(parts, state).await?;
        match require_account(&caller) {
            Ok(()) => Ok(ApiAccount(caller)),
            Err(error) => Err(ApiError {
                error,
                lang: api_lang_of(parts),
            }),
        }
    }
}

/// Endpoints that change something need an account: an anonymous caller is told to
/// authenticate (`401`) before anything about the addressed record is revealed. (The
/// policy answers `Login` to anonymous callers for every action but public reads.)
pub fn require_account(caller: &Caller) -> Result<(), AppError> {
    if caller.user.is_none() {
        return Err(AppError::Unauthenticated);
    }
    Ok(())
}

/// Records a permission denial (`403`, or `404` for a record outside the caller's
/// scope) in the audit trail as `access.denied`, then passes the result on unchanged.
pub async fn note_denial<T>(
    s: &AppState,
    caller: &Caller,
    action: &str,
    object: String,
    r: Result<T, AppError>,
) -> Result<T, AppError> {
    if let Err(AppError::Forbidden | AppError::Hidden) = &r {
        record_denial(s, caller, object, serde_json::json!({ "action": action })).await;
    }
    r
}

/// Writes one `access.denied` record — at most one per caller and source address per
/// minute: a flood of refused requests must not flood the trail. The record that opens
/// a minute carries in `suppressed` how many denials of the previous one went unrecorded.
pub async fn record_denial(
    s: &AppState,
    caller: &Caller,
    object: String,
    details: serde_json::Value,
) {
    let who = format!(
        "{} {}",
        caller.source,
        caller.user.as_ref().map_or("-", |u| u.username.as_str())
    );
    let Some(suppressed) = s.denials.admit(&who, std::time::Instant::now()) else {
        return;
    };
    let mut details = details;
    if let Some(map) = details.as_object_mut() {
        map.insert("suppressed".into(), suppressed.into());
    }
    let event = caller.event(
        "access.denied",
        object,
        Outcome::Failure,
        details.to_string(),
    );
    if let Err(e) = s.store.audit(event).await {
        tracing::error!(error = %e, "could not record a permission denial");
    }
}

impl From<ApiCaller> for Caller {
    fn from(c: ApiCaller) -> Caller {
        c.0
    }
}

impl From<ApiAccount> for Caller {
    fn from(c: ApiAccount) -> Caller {
        c.0
    }
}
