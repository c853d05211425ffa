//! Credibility API: an organization's stored score with its breakdown, in both
//! languages. Public, like the organization.

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shuniu_domain::Lang;
use shuniu_domain::credibility::{Credibility, Note};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::kit::api::access::ApiCaller;
use crate::kit::api::error::ErrorBody;
use crate::kit::api::responses::BadToken;
use crate::kit::extract::RecordId;
use crate::kit::routes::Routes;
use crate::{AppError, AppState};

pub fn routes() -> Routes {
    Routes::new().get("/api/v1/organizations/{id}/credibility", credibility)
}

/// This capability's part of the OpenAPI document (merged into `/api/openapi.json`).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(credibility),
    components(schemas(CredibilityRecord, CredibilityPart, NoteRecord)),
    tags((name = "trust", description = "Credibility 可信度: an organization's score, its band in words and its breakdown part by part"))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

/// A sentence in both languages.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NoteRecord {
    pub zh: String,
    pub en: String,
}

impl From<&Note> for NoteRecord {
    fn from(n: &Note) -> Self {
        NoteRecord {
            zh: n.zh.clone(),
            en: n.en.clone(),
        }
    }
}

/// One part of the score.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CredibilityPart {
    /// `registration`, `annual_reports`, `grade`, `credit`, `ratings`, `complaints`,
    /// `disclosure` or `obligations`.
    #[schema(example = "annual_reports")]
    pub part: String,
    pub name_zh: String,
    pub name_en: String,
    /// The part's weight in percent (the weights add up to 100).
    pub weight: u8,
    /// 0–100 within the part; null when the part is not counted (its weight is then
    /// shared among the parts that are).
    pub points: Option<u8>,
    pub counted: bool,
    /// `authority`, `residents`, `self_declared` or `hubs`.
    #[schema(example = "authority")]
    pub source: String,
    pub source_zh: String,
    pub source_en: String,
    /// Why the part scored what it did.
    pub notes: Vec<NoteRecord>,
}

/// An organization's credibility: a summary computed from the authority's records,
/// residents' ratings and self-declared facts — not a decision of any authority.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CredibilityRecord {
    pub organization_id: Uuid,
    /// 0–100.
    pub score: u8,
    /// `high` (80+), `fair` (60–79) or `low`.
    #[schema(example = "high")]
    pub band: String,
    pub band_zh: String,
    pub band_en: String,
    /// The limit that overrode the weighted sum (suspension, the serious list), if any.
    pub cap: Option<NoteRecord>,
    /// The date the facts were read.
    pub as_of: NaiveDate,
    pub parts: Vec<CredibilityPart>,
}

impl CredibilityRecord {
    pub fn new(organization_id: Uuid, c: &Credibility) -> Self {
        CredibilityRecord {
            organization_id,
            score: c.score,
            band: c.band.as_str().into(),
            band_zh: c.band.label(Lang::Zh).into(),
            band_en: c.band.label(Lang::En).into(),
            cap: c.cap.as_ref().map(NoteRecord::from),
            as_of: c.as_of,
            parts: c
                .parts
                .iter()
                .map(|p| CredibilityPart {
                    part: p.part.as_str().into(),
                    name_zh: p.part.label(Lang::Zh).into(),
                    name_en: p.part.label(Lang::En).into(),
                    weight: p.weight,
                    points: p.points,
                    counted: p.points.is_some(),
                    source: p.source.as_str().into(),
                    source_zh: p.source.label(Lang::Zh).into(),
                    source_en: p.source.label(Lang::En).into(),
                    notes: p.notes.iter().map(NoteRecord::from).collect(),
                })
                .collect(),
        }
    }
}

/// An organization's credibility score and its breakdown. Public.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}/credibility",
    operation_id = "organization_credibility",
    tag = "trust",
    params(("id" = Uuid, Path, description = "Organization id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The score, its band and its parts", body = CredibilityRecord),
        BadToken,
        (status = 404, description = "No such organization", body = ErrorBody),
    )
)]
pub async fn credibility(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<CredibilityRecord>, AppError> {
    let org = crate::registry::get(&s.store, id).await?;
    let c = super::service::credibility_of(&s, &org).await?;
    Ok(Json(CredibilityRecord::new(org.id, &c)))
}
