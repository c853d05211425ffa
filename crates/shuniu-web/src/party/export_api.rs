//! The API's twins of the coverage downloads: a jurisdiction's or a hub's uncovered
//! organizations as CSV (the pages' `gaps.csv`), on the shared export kit.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::kit::api::access::ApiAccount;
use crate::kit::api::error::ErrorBody;
use crate::kit::api::responses::NeedsToken;
use crate::kit::export::{self, Format};
use crate::kit::extract::{PathCode, bad_query};
use crate::party::GapQuery;
use crate::party::pages::export::{hub_download, jurisdiction_download};
use crate::{AppError, AppState};

/// A jurisdiction's uncovered organizations as CSV, streamed (every row; `page` and
/// `per_page` are ignored). The download is recorded (`coverage.export`).
#[utoipa::path(
    get,
    path = "/api/v1/coverage/{code}/gaps.csv",
    operation_id = "download_jurisdiction_gaps",
    tag = "party",
    params(("code" = String, Path, description = "Jurisdiction code"), GapQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "UTF-8 CSV with a byte-order mark; header (in the caller's language): name, USCC, area, area code, party organization", content_type = "text/csv", body = String),
        NeedsToken,
        (status = 403, description = "The caller may not read reports on this jurisdiction", body = ErrorBody),
        (status = 404, description = "No such jurisdiction", body = ErrorBody),
        (status = 422, description = "`gap`, `page` or `per_page` is bad, named", body = ErrorBody),
        (status = 503, description = "Too many downloads running; try again after `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn jurisdiction_gaps_csv(
    State(s): State<AppState>,
    headers: HeaderMap,
    ApiAccount(caller): ApiAccount,
    PathCode(code): PathCode,
    q: Result<Query<GapQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let ui = export::api_ui(&headers);
    // The report is authorized (401/403/404) before its parameters are read (422).
    crate::party::report_jurisdiction(&s.store, &caller, &code).await?;
    let Query(q) = q.map_err(bad_query)?;
    jurisdiction_download(&s, &ui, &caller, &code, &q, Format::Csv).await
}

/// A hub's uncovered members as CSV, streamed (every row; `page` and `per_page` are
/// ignored). The download is recorded (`coverage.export`).
#[utoipa::path(
    get,
    path = "/api/v1/hubs/{id}/coverage/gaps.csv",
    operation_id = "download_hub_gaps",
    tag = "party",
    params(("id" = uuid::Uuid, Path, description = "Hub id"), GapQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "UTF-8 CSV with a byte-order mark; header (in the caller's language): name, USCC, area, area code, party organization", content_type = "text/csv", body = String),
        NeedsToken,
        (status = 403, description = "The caller may not read this hub's reports", body = ErrorBody),
        (status = 404, description = "No such hub", body = ErrorBody),
        (status = 422, description = "`gap`, `page` or `per_page` is bad, named", body = ErrorBody),
        (status = 503, description = "Too many downloads running; try again after `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn hub_gaps_csv(
    State(s): State<AppState>,
    headers: HeaderMap,
    ApiAccount(caller): ApiAccount,
    PathCode(id): PathCode,
    q: Result<Query<GapQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let ui = export::api_ui(&headers);
    crate::party::report_hub(&s.store, &caller, &id).await?;
    let Query(q) = q.map_err(bad_query)?;
    hub_download(&s, &ui, &caller, &id, &q, Format::Csv).await
}
