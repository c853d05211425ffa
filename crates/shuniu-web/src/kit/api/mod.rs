//! API plumbing every capability's JSON API uses: the caller ([`access`]), errors as JSON
//! in the caller's language ([`error`]), strict JSON input ([`input`]), shared schema
//! helpers ([`schema`]), and the OpenAPI document's frame: its description, the bearer
//! scheme, and the finishing touches on the merged document. Each capability documents
//! its own operations (`<capability>::api::doc()`); `crate::openapi_json` merges them.

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use utoipa::OpenApi;

use crate::AppState;

pub mod access;
pub mod error;
pub mod input;
pub mod records;
pub mod responses;
pub mod schema;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Shuniu 枢纽 API",
        description = "The registry of social organizations 社会组织 and the jurisdiction tree of a \
            city's hub-type social organization system. Errors are JSON: `422` \
            `{\"error\": \"validation_failed\", \"fields\": {field: message}}` naming every bad \
            field, `409` for a taken USCC or filing number or a change the record's state \
            forbids, `404` for an unknown id. Messages are in English unless `Accept-Language` \
            prefers Chinese.\n\n\
            **Authentication**: send an API token as `Authorization: Bearer <token>` \
            (`shuniu token create`). Public reads (organizations, their history, \
            jurisdictions) need none; personal data in them (contact phones) is then masked \
            (`138****8000`). A missing token where an account is needed, or a token that is \
            invalid, expired or revoked on any endpoint, answers `401` \
            `{\"error\": \"unauthenticated\"}` with `WWW-Authenticate: Bearer`. A record the \
            caller may read but not change answers `403` `{\"error\": \"forbidden\"}`; what \
            is outside the caller's scope answers `404`. Session cookies do not authenticate \
            the API.\n\n\
            **Input is strict**: a request body must be `Content-Type: application/json` \
            (else `415`), at most 2 MiB (else `413`), a JSON object whose fields have the \
            documented types (a number where a string is documented is a `422`, nothing is \
            coerced), each key once, and no unknown field. Text, in bodies and in query \
            parameters, may not contain control characters (line breaks and tabs are \
            allowed in body text): `422` naming the field or parameter. An address longer \
            than 8 KiB is a `414`; a method a path does not serve, `405`. Every error \
            answer, whatever its status, is the JSON `ErrorBody`."
    ),
    modifiers(&BearerScheme),
    components(schemas(error::ErrorBody))
)]
pub struct ApiDoc;

/// The `bearer` security scheme the operations name.
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token (`shuniu token create --user NAME --name LABEL`)",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document's frame: what the API is, how to authenticate, the error body.
pub fn base_doc() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The merged document as served: request bodies closed, pretty-printed.
pub fn finish(doc: &utoipa::openapi::OpenApi) -> String {
    let mut json = serde_json::to_value(doc).expect("the OpenAPI document serializes");
    close_request_bodies(&mut json);
    document_uri_limit(&mut json);
    serde_json::to_string_pretty(&json).expect("the OpenAPI document serializes")
}

/// The guard refuses any address over 8 KiB with a `414` before a route is chosen
/// (`crate::guard`): every operation can answer it, so every operation documents it,
/// here once rather than in each `responses(...)`.
fn document_uri_limit(doc: &mut serde_json::Value) {
    let Some(paths) = doc.get_mut("paths").and_then(|p| p.as_object_mut()) else {
        return;
    };
    for op in paths
        .values_mut()
        .filter_map(|p| p.as_object_mut())
        .flat_map(|p| p.values_mut())
    {
        if let Some(responses) = op.get_mut("responses").and_then(|r| r.as_object_mut()) {
            responses.entry("414").or_insert_with(|| {
                serde_json::json!({
                    "description": "The address is longer than 8 KiB",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
                })
            });
        }
    }
}

/// Every request body is read strictly (`input`): an unknown field is a `422`. The
/// document says so — `additionalProperties: false` on each schema a request body
/// names — so that clients and fuzzers know it without reading the prose.
fn close_request_bodies(doc: &mut serde_json::Value) {
    let mut names = std::collections::BTreeSet::new();
    if let Some(paths) = doc.get("paths").and_then(|p| p.as_object()) {
        for op in paths
            .values()
            .filter_map(|p| p.as_object())
            .flat_map(|p| p.values())
        {
            let Some(content) = op
                .pointer("/requestBody/content")
                .and_then(|c| c.as_object())
            else {
                continue;
            };
            for media in content.values() {
                if let Some(name) = media
                    .pointer("/schema/$ref")
                    .and_then(|r| r.as_str())
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                {
                    names.insert(name.to_string());
                }
            }
        }
    }
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(|s| s.as_object_mut())
    else {
        return;
    };
    for name in names {
        if let Some(obj) = schemas.get_mut(&name).and_then(|s| s.as_object_mut())
            && obj.get("type").and_then(|t| t.as_str()) == Some("object")
        {
            obj.insert(
                "additionalProperties".into(),
                serde_json::Value::Bool(false),
            );
        }
    }
}

/// Unknown paths under `/api/v1` answer JSON too.
async fn not_found() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        axum::Json(serde_json::json!({"error": "not_found", "message": "no such endpoint"})),
    )
}

/// Unknown paths under `/api/v1` answer JSON (not part of the route table).
pub fn fallback() -> Router<AppState> {
    Router::new()
        .route("/api/v1", axum::routing::any(not_found))
        .route("/api/v1/{*rest}", axum::routing::any(not_found))
}

/// `201 Created` with the new record's address in `Location` and the record as JSON.
pub fn created<T: serde::Serialize>(location: String, body: T) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        axum::http::StatusCode::CREATED,
        [(axum::http::header::LOCATION, location)],
        axum::Json(body),
    )
        .into_response()
}
