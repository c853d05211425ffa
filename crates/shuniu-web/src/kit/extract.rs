//! Extractors every capability uses, so that a handler is parse → ask → call → render:
//! record ids and codes in the path, CSRF-checked forms, query parameters. Each rejects with
//! an [`AppError`] that the `guard` layer renders for the caller (JSON in the API
//! caller's language, or the error page).

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum_extra::extract::Form;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::auth::{CSRF_FIELD, Caller};
use crate::kit::error::PageError;
use crate::{AppError, AppState};

/// An id that is not a UUID names nothing: `404`, like an unknown one.
fn uuid_or_not_found(s: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(s.trim()).map_err(|_| AppError::NotFound)
}

/// The record id of a path with one parameter (`/hubs/{id}`).
#[derive(Debug, Clone, Copy)]
pub struct RecordId(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for RecordId {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        uuid_or_not_found(&id).map(RecordId)
    }
}

/// The two record ids of a path with two parameters (`/hubs/{id}/members/{mid}`), in
/// order.
#[derive(Debug, Clone, Copy)]
pub struct RecordIds(pub Uuid, pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for RecordIds {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path((a, b)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        Ok(RecordIds(uuid_or_not_found(&a)?, uuid_or_not_found(&b)?))
    }
}

/// The raw value of `_csrf` in a urlencoded body (tokens are hex: nothing to decode).
fn csrf_of(body: &[u8]) -> Option<String> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == CSRF_FIELD)
        .map(|(_, v)| v.to_string())
}

/// A state-changing form, parsed and CSRF-checked: a body that does not parse is a
/// `400`; a signed-in caller's form without their session's token is a `403`. An
/// anonymous caller is not checked here: the policy refuses them (sign in first)
/// before anything changes.
pub struct CheckedForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CheckedForm<T> {
    type Rejection = PageError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        let (mut parts, body) = req.into_parts();
        let caller = Caller::from_request_parts(&mut parts, state).await?;
        let bad_form = || AppError::BadRequest("form".into());
        let bytes = axum::body::to_bytes(body, crate::guard::MAX_BODY_BYTES)
            .await
            .map_err(|_| bad_form())?;
        let token = csrf_of(&bytes);
        let req = Request::from_parts(parts, Body::from(bytes));
        let Form(t) = Form::<T>::from_request(req, state)
            .await
            .map_err(|_| bad_form())?;
        if caller.user.is_some() {
            caller.check_csrf(token.as_deref())?;
        }
        Ok(CheckedForm(t))
    }
}

/// A malformed query (a number that is not one, an unknown value): `422` naming
/// `query`. For handlers that authorize before they read their parameters.
pub fn bad_query(e: axum::extract::rejection::QueryRejection) -> AppError {
    AppError::Validation(shuniu_domain::FieldErrors::single(
        "query",
        shuniu_domain::FieldError::new("查询参数无效", format!("is malformed: {e}")),
    ))
}

/// Query parameters of an API list: a malformed query (a number that is not one, an
/// unknown value) is a `422` naming `query`.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Query(q) = axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map_err(bad_query)?;
        Ok(ApiQuery(q))
    }
}

/// The text of a path with one parameter that is not a record id (a jurisdiction
/// code): a missing or undecodable one names nothing, `404`.
pub struct PathCode(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathCode {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path(code) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        Ok(PathCode(code))
    }
}

/// The body of a form that carries nothing but its CSRF token (a button).
#[derive(Debug, serde::Deserialize)]
pub struct NoFields {}
