//! The API's twins of the coverage downloads: a jurisdiction's or a hub's uncovered
//! organizations as CSV (the pages' `gaps.csv`), served by `kit::export::api_csv` over
//! `JurisdictionGaps` and `HubGaps`; documented here.

use crate::kit::api::error::ErrorBody;
use crate::kit::api::responses::NeedsToken;
use crate::kit::export::CsvResponses;
use crate::party::GapQuery;

/// A jurisdiction's uncovered organizations as CSV, streamed (every row: name, USCC,
/// area, area code, party organization). The download is recorded (`coverage.export`).
#[utoipa::path(
    get,
    path = "/api/v1/coverage/{code}/gaps.csv",
    operation_id = "download_jurisdiction_gaps",
    tag = "party",
    params(("code" = String, Path, description = "Jurisdiction code"), GapQuery),
    security(("bearer" = [])),
    responses(
        CsvResponses,
        NeedsToken,
        (status = 403, description = "The caller may not read reports on this jurisdiction", body = ErrorBody),
        (status = 404, description = "No such jurisdiction", body = ErrorBody),
        (status = 422, description = "`gap`, `page` or `per_page` is bad, named", body = ErrorBody),
    )
)]
#[allow(dead_code)] // documents the operation
pub fn jurisdiction_gaps_csv() {}

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
        CsvResponses,
        NeedsToken,
        (status = 403, description = "The caller may not read this hub's reports", body = ErrorBody),
        (status = 404, description = "No such hub", body = ErrorBody),
        (status = 422, description = "`gap`, `page` or `per_page` is bad, named", body = ErrorBody),
    )
)]
#[allow(dead_code)] // documents the operation
pub fn hub_gaps_csv() {}
