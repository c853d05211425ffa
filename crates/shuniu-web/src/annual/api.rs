//! Annual-report API 年报 / 年检: an organization's reports, filing one, one report,
//! the authority's review, and the calling official's queue.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use shuniu_domain::FieldErrors;
use shuniu_domain::supervision::annual::ReportDraft;
use shuniu_store::supervision::annual::AnnualReport;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::annual::service::{self, QueueQuery};
use crate::kit::api::access::{ApiAccount, ApiCaller, note_denial};
use crate::kit::api::error::ErrorBody;
use crate::kit::api::input::{self, Mode};
use crate::kit::api::responses::{BadToken, NeedsToken};
use crate::kit::extract::{ApiQuery, RecordId};
use crate::kit::routes::Routes;
use crate::{AppError, AppState};

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/organizations/{id}/annual-reports", list_of_organization)
        .post("/api/v1/organizations/{id}/annual-reports", file)
        .get("/api/v1/annual-reports", queue)
        .get(
            "/api/v1/annual-reports.csv",
            crate::kit::export::api_csv::<super::export::Queue>,
        )
        .get("/api/v1/annual-reports/{id}", get_report)
        .post("/api/v1/annual-reports/{id}/review", review)
}

/// This capability's part of the OpenAPI document (merged into `/api/openapi.json`).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list_of_organization, file, queue, super::export::api_csv, get_report, review),
    components(schemas(
        AnnualReportFull,
        AnnualReportList,
        AnnualReportPage,
        AnnualReportCreate,
        AnnualReviewInput
    )),
    tags((name = "annual", description = "Annual reports 年报 and their review 年检"))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

/// An annual report, its contents (money in fen) and its review.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AnnualReportFull {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    /// The year reported on.
    #[schema(example = 2025)]
    pub year: i32,
    pub activities: String,
    pub income_fen: i64,
    pub expenditure_fen: i64,
    /// May be negative.
    pub net_assets_fen: i64,
    pub donations_fen: i64,
    pub government_funding_fen: i64,
    pub staff_full_time: u32,
    pub staff_part_time: u32,
    pub volunteers: u32,
    pub party_building: String,
    pub major_events: String,
    pub submitted_on: NaiveDate,
    pub due_on: NaiveDate,
    /// Filed after the deadline (fixed when filed).
    pub late: bool,
    /// `full`, or `simplified` (graded 4A or above when filed).
    #[schema(example = "full")]
    pub review_kind: String,
    /// `qualified`, `basically_qualified`, `unqualified`; null while under review.
    pub outcome: Option<String>,
    pub review_reasons: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_on: Option<NaiveDate>,
}

impl AnnualReportFull {
    fn new(r: &AnnualReport, organization_name: &str) -> Self {
        let c = &r.contents;
        AnnualReportFull {
            id: r.id,
            organization_id: r.organization_id,
            organization_name: organization_name.to_string(),
            year: r.year,
            activities: c.activities.clone(),
            income_fen: c.income.0,
            expenditure_fen: c.expenditure.0,
            net_assets_fen: c.net_assets.0,
            donations_fen: c.donations.0,
            government_funding_fen: c.government_funding.0,
            staff_full_time: c.staff_full_time,
            staff_part_time: c.staff_part_time,
            volunteers: c.volunteers,
            party_building: c.party_building.clone(),
            major_events: c.major_events.clone(),
            submitted_on: r.submitted_on,
            due_on: r.due_on,
            late: r.late,
            review_kind: r.review_kind.as_str().into(),
            outcome: r.outcome.map(|o| o.as_str().into()),
            review_reasons: r.review_reasons.clone(),
            reviewed_by: r.reviewed_by.clone(),
            reviewed_on: r.reviewed_on,
        }
    }
}

/// An organization's annual reports, newest year first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AnnualReportList {
    pub items: Vec<AnnualReportFull>,
}

/// One page of an official's queue.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AnnualReportPage {
    pub items: Vec<AnnualReportFull>,
    #[serde(flatten)]
    pub paging: crate::kit::paging::PageInfo,
}

/// A report as filed: money as strings in yuan with at most 2 decimals.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AnnualReportCreate {
    #[schema(example = 2025)]
    pub year: i32,
    #[schema(example = "为老人提供心理慰藉服务120次")]
    pub activities: String,
    #[schema(example = "200000.00")]
    pub income: String,
    #[schema(example = "180000.50")]
    pub expenditure: String,
    #[schema(example = "-5000")]
    pub net_assets: String,
    #[schema(example = "50000")]
    pub donations: String,
    #[schema(example = "100000")]
    pub government_funding: String,
    pub staff_full_time: Option<u32>,
    pub staff_part_time: Option<u32>,
    pub volunteers: Option<u32>,
    pub party_building: Option<String>,
    pub major_events: Option<String>,
}

/// The authority's review.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AnnualReviewInput {
    /// `qualified`, `basically_qualified` or `unqualified`.
    #[schema(example = "qualified")]
    pub outcome: String,
    /// Why (required short of `qualified`).
    pub reasons: Option<String>,
}

const TEXT_FIELDS: [&str; 8] = [
    "activities",
    "income",
    "expenditure",
    "net_assets",
    "donations",
    "government_funding",
    "party_building",
    "major_events",
];
const COUNT_FIELDS: [&str; 4] = ["year", "staff_full_time", "staff_part_time", "volunteers"];

fn report_draft(body: &serde_json::Map<String, Value>) -> (ReportDraft, FieldErrors) {
    let mut e = FieldErrors::new();
    let all: Vec<&str> = TEXT_FIELDS.iter().chain(COUNT_FIELDS.iter()).copied().collect();
    input::unknown_fields(&mut e, body, &all);
    let mut d = ReportDraft::default();
    for name in TEXT_FIELDS.iter().chain(COUNT_FIELDS.iter()) {
        let Some(v) = body.get(*name) else { continue };
        // Money may come as a JSON number too (yuan); the domain parses the text.
        let text = if COUNT_FIELDS.contains(name) {
            input::count(&mut e, name, v, Mode::Create)
        } else if let Value::Number(n) = v
            && !matches!(*name, "activities" | "party_building" | "major_events")
        {
            Some(n.to_string())
        } else {
            input::text(&mut e, name, v, Mode::Create)
        };
        let slot = match *name {
            "year" => &mut d.year,
            "activities" => &mut d.activities,
            "income" => &mut d.income,
            "expenditure" => &mut d.expenditure,
            "net_assets" => &mut d.net_assets,
            "donations" => &mut d.donations,
            "government_funding" => &mut d.government_funding,
            "staff_full_time" => &mut d.staff_full_time,
            "staff_part_time" => &mut d.staff_part_time,
            "volunteers" => &mut d.volunteers,
            "party_building" => &mut d.party_building,
            _ => &mut d.major_events,
        };
        *slot = text;
    }
    (d, e)
}

/// An organization's annual reports with their results, newest year first. Public.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}/annual-reports",
    operation_id = "list_organization_annual_reports",
    tag = "annual",
    params(("id" = Uuid, Path, description = "Organization id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The organization's reports", body = AnnualReportList),
        BadToken,
        (status = 404, description = "No such organization", body = ErrorBody),
    )
)]
pub async fn list_of_organization(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<AnnualReportList>, AppError> {
    let (org, reports) = service::reports_of(&s.store, id).await?;
    Ok(Json(AnnualReportList {
        items: reports
            .iter()
            .map(|r| AnnualReportFull::new(r, &org.data.name))
            .collect(),
    }))
}

/// File the annual report 年报 on a past year (the organization's own staff, or an
/// official over it on its behalf); lateness is fixed against the deadline setting.
/// One report per organization and year.
#[utoipa::path(
    post,
    path = "/api/v1/organizations/{id}/annual-reports",
    operation_id = "file_annual_report",
    tag = "annual",
    params(("id" = Uuid, Path, description = "Organization id")),
    request_body = AnnualReportCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Filed", body = AnnualReportFull),
        NeedsToken,
        (status = 403, description = "The caller may not file for this organization", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 422, description = "Every bad field named (or the year is already filed); nothing was written", body = ErrorBody),
    )
)]
pub async fn file(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Response, AppError> {
    let (draft, found) = match input::object(&body) {
        Ok(b) => report_draft(&b),
        Err(e) => (ReportDraft::default(), e),
    };
    let r = service::file(&s, &caller, id, &draft, found).await;
    let report = note_denial(
        &s,
        &caller,
        "annual_report.file",
        format!("organization:{id}"),
        r,
    )
    .await?;
    let org = crate::registry::get(&s.store, id).await?;
    Ok(crate::kit::api::created(
        format!("/api/v1/annual-reports/{}", report.id),
        AnnualReportFull::new(&report, &org.data.name),
    ))
}

/// The calling official's queue: the reports their own node reviews as the
/// registration authority, unreviewed first, then newest year; paged.
#[utoipa::path(
    get,
    path = "/api/v1/annual-reports",
    operation_id = "annual_report_queue",
    tag = "annual",
    params(QueueQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of the reports this official's node reviews", body = AnnualReportPage),
        NeedsToken,
        (status = 403, description = "Only officials have a queue", body = ErrorBody),
        (status = 422, description = "A bad query parameter, named: a `cursor` not of this list, a `page` past the first 10,000 (follow `next`)", body = ErrorBody),
    )
)]
pub async fn queue(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> Result<Json<AnnualReportPage>, AppError> {
    let r = match q.parse() {
        Ok(f) => service::queue(&s.store, &caller, &f).await,
        Err(e) => Err(e),
    };
    let (p, number) =
        note_denial(&s, &caller, "annual_report.queue", "annual_reports".into(), r).await?;
    Ok(Json(AnnualReportPage {
        items: p
            .items
            .iter()
            .map(|q| AnnualReportFull::new(&q.report, &q.organization_name))
            .collect(),
        paging: crate::kit::paging::PageInfo::of(&p, number),
    }))
}

/// One annual report with its review. Public.
#[utoipa::path(
    get,
    path = "/api/v1/annual-reports/{id}",
    operation_id = "get_annual_report",
    tag = "annual",
    params(("id" = Uuid, Path, description = "Annual report id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The report", body = AnnualReportFull),
        BadToken,
        (status = 404, description = "No such report", body = ErrorBody),
    )
)]
pub async fn get_report(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<AnnualReportFull>, AppError> {
    let (r, org, _) = service::report(&s.store, id).await?;
    Ok(Json(AnnualReportFull::new(&r, &org.data.name)))
}

/// Review a report 年检: only an official of the registration authority's own node;
/// `basically_qualified` and `unqualified` say why. A report is reviewed once.
#[utoipa::path(
    post,
    path = "/api/v1/annual-reports/{id}/review",
    operation_id = "review_annual_report",
    tag = "annual",
    params(("id" = Uuid, Path, description = "Annual report id")),
    request_body = AnnualReviewInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report as reviewed", body = AnnualReportFull),
        NeedsToken,
        (status = 403, description = "The caller is not the registration authority's official", body = ErrorBody),
        (status = 404, description = "No such report", body = ErrorBody),
        (status = 409, description = "The report is already reviewed", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written", body = ErrorBody),
    )
)]
pub async fn review(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<AnnualReportFull>, AppError> {
    let ([outcome, reasons], found) = input::texts(&body, ["outcome", "reasons"]);
    let r = service::review(
        &s,
        &caller,
        id,
        outcome.as_deref(),
        reasons.as_deref(),
        found,
    )
    .await;
    let report = note_denial(
        &s,
        &caller,
        "annual_report.review",
        format!("annual_report:{id}"),
        r,
    )
    .await?;
    let org = crate::registry::get(&s.store, report.organization_id).await?;
    Ok(Json(AnnualReportFull::new(&report, &org.data.name)))
}
