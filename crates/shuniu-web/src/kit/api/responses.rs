//! Error answers that many operations share, documented once: an operation lists them
//! by name in its `responses(...)` instead of repeating status, text and body.

use utoipa::IntoResponses;

use super::error::ErrorBody;

/// `401` of an operation that needs an account.
#[derive(IntoResponses)]
#[response(status = 401, description = "No valid API token")]
#[allow(dead_code)] // documents an answer; the handler's `AppError` builds it
pub struct NeedsToken(ErrorBody);

/// `401` of a public operation: no token is needed, but one that is sent must be good.
#[derive(IntoResponses)]
#[response(
    status = 401,
    description = "The token sent is invalid, expired or revoked"
)]
#[allow(dead_code)] // documents an answer; the handler's `AppError` builds it
pub struct BadToken(ErrorBody);
