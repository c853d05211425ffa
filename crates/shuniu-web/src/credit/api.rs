//! Credit-lists API: the public lists and an organization's supervision facts.

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shuniu_store::supervision::credit::StoredListing;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::credit::{self, CreditListQuery};
use crate::kit::api::access::ApiCaller;
use crate::kit::api::error::ErrorBody;
use crate::kit::api::records::PlaceRecord;
use crate::kit::api::responses::BadToken;
use crate::kit::extract::{ApiQuery, RecordId};
use crate::kit::routes::Routes;
use crate::{AppError, AppState, today};

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/credit-lists", list)
        .get("/api/v1/credit-lists.csv", crate::kit::export::api_csv::<crate::credit::export::CreditLists>)
        .get("/api/v1/organizations/{id}/supervision", supervision)
}

/// This capability's part of the OpenAPI document (merged into `/api/openapi.json`).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list, crate::credit::export::api_csv, supervision),
    components(schemas(
        CreditListingRecord,
        CreditListPage,
        AnnualReportRecord,
        GradeAwardRecord,
        SupervisionRecord
    )),
    tags((name = "credit", description = "Credit lists 信用名单 (活动异常名录, 严重违法失信名单) and an organization's public supervision facts"))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    let mut doc = <Doc as utoipa::OpenApi>::openapi();
    doc.merge(super::events_api::doc());
    doc
}

/// One listing on a credit list, with its removal if it was removed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreditListingRecord {
    /// The listing's id (a removal names it).
    pub id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    /// The jurisdiction code of the organization when it was listed.
    #[schema(example = "320102002000")]
    pub jurisdiction: String,
    /// `abnormal` or `serious`.
    #[schema(example = "abnormal")]
    pub list: String,
    /// The trigger's code (e.g. `late_annual_report`).
    #[schema(example = "late_annual_report")]
    pub trigger: String,
    pub listed_on: NaiveDate,
    pub reason_zh: String,
    pub reason_en: String,
    pub basis_zh: String,
    pub basis_en: String,
    pub removed_on: Option<NaiveDate>,
    pub removal_reason_zh: Option<String>,
    pub removal_reason_en: Option<String>,
}

fn code_of(path: &str) -> String {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

impl CreditListingRecord {
    pub(crate) fn new(l: &StoredListing, organization_name: String, path: &str) -> Self {
        CreditListingRecord {
            id: l.id,
            organization_id: l.organization_id,
            organization_name,
            jurisdiction: code_of(path),
            list: l.list.as_str().into(),
            trigger: l.trigger.as_str().into(),
            listed_on: l.listed_on,
            reason_zh: l.reason_zh.clone(),
            reason_en: l.reason_en.clone(),
            basis_zh: l.basis_zh.clone(),
            basis_en: l.basis_en.clone(),
            removed_on: l.removed_on,
            removal_reason_zh: l.removal_reason_zh.clone(),
            removal_reason_en: l.removal_reason_en.clone(),
        }
    }
}

/// One page of a credit list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreditListPage {
    /// `abnormal` or `serious`.
    pub list: String,
    pub items: Vec<CreditListingRecord>,
    #[serde(flatten)]
    pub paging: crate::kit::paging::PageInfo,
}

/// An annual report's public result.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AnnualReportRecord {
    /// The year reported on.
    pub year: i32,
    pub submitted_on: NaiveDate,
    pub due_on: NaiveDate,
    pub late: bool,
    /// `full` or `simplified`.
    pub review_kind: String,
    /// `qualified`, `basically_qualified`, `unqualified`, or null while under review.
    pub outcome: Option<String>,
    pub review_reasons: Option<String>,
    pub reviewed_on: Option<NaiveDate>,
}

/// A grade award, with whether it counts today.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GradeAwardRecord {
    #[schema(example = "4A")]
    pub grade: String,
    pub awarded_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// `assessment`, `import` or `lowered`.
    pub source: String,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    /// The grade in force today.
    pub in_force: bool,
    /// Its five years are over.
    pub expired: bool,
}

/// An organization's public supervision facts.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SupervisionRecord {
    pub organization_id: Uuid,
    /// The registration authority 登记管理机关 (its jurisdiction node).
    pub registration_authority: Option<PlaceRecord>,
    pub on_abnormal_list: bool,
    pub on_serious_list: bool,
    /// Every listing, newest first.
    pub listings: Vec<CreditListingRecord>,
    /// Annual reports, newest year first.
    pub annual_reports: Vec<AnnualReportRecord>,
    /// Grade awards, newest first.
    pub grades: Vec<GradeAwardRecord>,
}

/// One page of a credit list (current and removed listings, newest first). Public.
#[utoipa::path(
    get,
    path = "/api/v1/credit-lists",
    operation_id = "list_credit_listings",
    tag = "credit",
    params(CreditListQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "One page of the list", body = CreditListPage),
        BadToken,
        (status = 422, description = "A bad list, jurisdiction or paging parameter, named: a `cursor` not of this list, a `page` past the first 10,000 (follow `next`)", body = ErrorBody),
    )
)]
pub async fn list(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    ApiQuery(q): ApiQuery<CreditListQuery>,
) -> Result<Json<CreditListPage>, AppError> {
    let (kind, p, number) = credit::list(&s.store, &q).await?;
    Ok(Json(CreditListPage {
        list: kind.as_str().into(),
        items: p
            .items
            .iter()
            .map(|e| {
                CreditListingRecord::new(
                    &e.listing,
                    e.organization_name.clone(),
                    &e.jurisdiction_path,
                )
            })
            .collect(),
        paging: crate::kit::paging::PageInfo::of(&p, number),
    }))
}

/// An organization's public supervision facts: registration authority, credit
/// listings, annual-report results, grade history. Public.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}/supervision",
    operation_id = "organization_supervision",
    tag = "credit",
    params(("id" = Uuid, Path, description = "Organization id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The organization's supervision facts", body = SupervisionRecord),
        BadToken,
        (status = 404, description = "No such organization", body = ErrorBody),
    )
)]
pub async fn supervision(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<SupervisionRecord>, AppError> {
    let org = crate::registry::get(&s.store, id).await?;
    let path = crate::registry::path_of(&s.store, &org).await?;
    let today = today();
    let f = credit::supervision_of(&s.store, &org, &path, today).await?;
    Ok(Json(SupervisionRecord {
        organization_id: org.id,
        registration_authority: f.authority.as_ref().map(PlaceRecord::from),
        on_abnormal_list: f.on_abnormal,
        on_serious_list: f.on_serious,
        listings: f
            .listings
            .iter()
            .map(|l| CreditListingRecord::new(l, org.data.name.clone(), &path))
            .collect(),
        annual_reports: f
            .reports
            .iter()
            .map(|r| AnnualReportRecord {
                year: r.year,
                submitted_on: r.submitted_on,
                due_on: r.due_on,
                late: r.late,
                review_kind: r.review_kind.as_str().into(),
                outcome: r.outcome.map(|o| o.as_str().to_string()),
                review_reasons: r.review_reasons.clone(),
                reviewed_on: r.reviewed_on,
            })
            .collect(),
        grades: f
            .awards
            .iter()
            .map(|(a, in_force)| GradeAwardRecord {
                grade: a.award.grade.as_str().into(),
                awarded_on: a.award.awarded_on,
                expires_on: a.award.expires_on,
                source: a.award.source.as_str().into(),
                ended_on: a.award.ended_on,
                end_reason: a.end_reason.clone(),
                in_force: *in_force,
                expired: a.award.expires_on <= today,
            })
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_query_is_labelled() {
        crate::kit::labels::assert_labelled(
            "credit",
            &["list", "jurisdiction", "page", "per_page"],
        );
    }
}
