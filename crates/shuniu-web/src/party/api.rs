//! Party building and coverage API: an organization's party facts, the instructor
//! register, and the coverage reports of jurisdictions and hubs with the lists of
//! organizations not covered.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use shuniu_domain::FieldErrors;
use shuniu_domain::hubs::Hub;
use shuniu_domain::party::{
    HubCoverage, Instructor, InstructorDraft, PartyBuildingDraft, PartyCoverage, Share,
    org_covered, work_covered,
};
use shuniu_domain::registry::Organization;
use shuniu_store::{ChildCoverage, CoverageScope, Gap, KeyPage};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::kit::api::access::{ApiAccount, ApiCaller, note_denial};
use crate::kit::paging::PageInfo;
use crate::kit::api::error::ErrorBody;
use crate::kit::api::input::{self, Mode};
use crate::kit::api::records::PlaceRecord;
use crate::kit::api::responses::{BadToken, NeedsToken};
use crate::kit::api::schema;
use crate::kit::extract::{ApiQuery, PathCode, RecordId, bad_query};
use crate::kit::routes::Routes;
use crate::party::{self, GapQuery, InstructorQuery, PartyView};
use crate::{AppError, AppState};

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/organizations/{id}/party", get_party)
        .post("/api/v1/organizations/{id}/party", set_party)
        .get("/api/v1/instructors", list_instructors)
        .get(
            "/api/v1/instructors.csv",
            crate::kit::export::api_csv::<super::instructors_export::Instructors>,
        )
        .post("/api/v1/instructors", create_instructor)
        .get("/api/v1/coverage/{code}", jurisdiction_coverage)
        .get("/api/v1/coverage/{code}/uncovered", jurisdiction_uncovered)
        .get(
            "/api/v1/coverage/{code}/gaps.csv",
            crate::kit::export::api_csv::<super::pages::export::JurisdictionGaps>,
        )
        .get("/api/v1/hubs/{id}/coverage", hub_coverage)
        .get(
            "/api/v1/hubs/{id}/coverage/gaps.csv",
            crate::kit::export::api_csv::<super::pages::export::HubGaps>,
        )
}

/// This capability's part of the OpenAPI document (merged into `/api/openapi.json`).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        get_party,
        set_party,
        list_instructors,
        super::instructors_export::api_csv,
        create_instructor,
        jurisdiction_coverage,
        jurisdiction_uncovered,
        super::export_api::jurisdiction_gaps_csv,
        hub_coverage,
        super::export_api::hub_gaps_csv
    ),
    components(schemas(
        ShareRecord,
        PartyCoverageRecord,
        HubCoverageRecord,
        PlaceRecord,
        ChildCoverageRecord,
        CoverageReport,
        UncoveredOrganization,
        UncoveredPage,
        HubRef,
        HubCoverageReport,
        InstructorRecord,
        InstructorPage,
        InstructorCreate,
        PartyRecord,
        PartyUpdate
    )),
    tags((name = "party", description = "Party building 社会组织党建 and coverage reports"))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

/// `covered` of `total`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ShareRecord {
    pub covered: i64,
    pub total: i64,
    /// The share in per-mille, rounded half up (0 when `total` is 0).
    #[schema(example = 716)]
    pub permille: i64,
    #[schema(example = "71.6%")]
    pub percent: String,
}

impl From<Share> for ShareRecord {
    fn from(s: Share) -> Self {
        ShareRecord {
            covered: s.covered,
            total: s.total,
            permille: s.permille(),
            percent: s.percent_text(),
        }
    }
}

/// Party-building coverage of live organizations.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PartyCoverageRecord {
    /// Organization coverage 组织覆盖: with a party organization (own or joint branch).
    pub organizations: ShareRecord,
    /// Work coverage 工作覆盖: with a party organization or an instructor.
    pub work: ShareRecord,
}

impl From<PartyCoverage> for PartyCoverageRecord {
    fn from(c: PartyCoverage) -> Self {
        PartyCoverageRecord {
            organizations: c.organizations.into(),
            work: c.work.into(),
        }
    }
}

/// Hub coverage of live organizations.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HubCoverageRecord {
    /// In a regional hub.
    pub regional: ShareRecord,
    /// In at least one industry hub.
    pub industry: ShareRecord,
}

impl From<HubCoverage> for HubCoverageRecord {
    fn from(c: HubCoverage) -> Self {
        HubCoverageRecord {
            regional: c.regional.into(),
            industry: c.industry.into(),
        }
    }
}

/// Coverage of one child node (a street of a district …).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChildCoverageRecord {
    pub jurisdiction: PlaceRecord,
    pub party: PartyCoverageRecord,
    pub hubs: HubCoverageRecord,
}

impl From<&ChildCoverage> for ChildCoverageRecord {
    fn from(c: &ChildCoverage) -> Self {
        ChildCoverageRecord {
            jurisdiction: (&c.jurisdiction).into(),
            party: c.party.into(),
            hubs: c.hubs.into(),
        }
    }
}

/// Coverage of a jurisdiction's subtree, and of each child node.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CoverageReport {
    pub jurisdiction: PlaceRecord,
    pub party: PartyCoverageRecord,
    pub hubs: HubCoverageRecord,
    /// Each child node in code order (empty for a node without children).
    pub children: Vec<ChildCoverageRecord>,
}

/// An organization not covered, briefly (no personal data).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UncoveredOrganization {
    pub id: Uuid,
    pub name: String,
    #[schema(example = "320102002000")]
    pub jurisdiction: String,
    #[schema(schema_with = schema::legal_form)]
    pub legal_form: String,
    #[schema(schema_with = schema::party_org)]
    pub party_org: String,
    pub party_members: u32,
}

impl From<&Organization> for UncoveredOrganization {
    fn from(o: &Organization) -> Self {
        UncoveredOrganization {
            id: o.id,
            name: o.data.name.clone(),
            jurisdiction: o.data.jurisdiction.to_string(),
            legal_form: o.data.legal_form.as_str().into(),
            party_org: o.data.party_org.as_str().into(),
            party_members: o.data.party_members,
        }
    }
}

/// One page of the organizations not covered, by name.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UncoveredPage {
    /// `party_organization`, `party_work`, `regional_hub` or `industry_hub`.
    #[schema(example = "party_organization")]
    pub gap: String,
    pub items: Vec<UncoveredOrganization>,
    /// How many organizations fall in the gap (over all pages), and the cursors.
    #[serde(flatten)]
    pub paging: PageInfo,
}

impl UncoveredPage {
    fn new(gap: Gap, p: &KeyPage<Organization>, number: Option<u32>) -> Self {
        UncoveredPage {
            gap: gap.as_str().into(),
            items: p.items.iter().map(Into::into).collect(),
            paging: PageInfo::of(p, number),
        }
    }
}

/// A hub, briefly.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HubRef {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    /// `regional` or `industry`.
    #[schema(example = "regional")]
    pub kind: String,
    /// Code of the jurisdiction of its recognition.
    pub jurisdiction: String,
    /// `recognized` or `revoked`.
    #[schema(example = "recognized")]
    pub status: String,
    /// Active members.
    pub member_count: i64,
}

impl From<&Hub> for HubRef {
    fn from(h: &Hub) -> Self {
        HubRef {
            id: h.id,
            organization_id: h.organization_id,
            organization_name: h.organization_name.clone(),
            kind: h.recognition.kind.as_str().into(),
            jurisdiction: h.recognition.jurisdiction.to_string(),
            status: h.status.as_str().into(),
            member_count: h.member_count,
        }
    }
}

/// Coverage of a hub's active members.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HubCoverageReport {
    pub hub: HubRef,
    pub party: PartyCoverageRecord,
    pub hubs: HubCoverageRecord,
    /// The members not covered, when `gap` was asked for; else null.
    #[schema(required)]
    pub uncovered: Option<UncoveredPage>,
}

/// A party-building instructor 党建指导员.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InstructorRecord {
    pub id: Uuid,
    #[schema(example = "李明")]
    pub name: String,
    /// Personal data: masked (`138****8000`) unless the caller may see it in full.
    #[schema(required, example = "138****8000")]
    pub phone: Option<String>,
    #[schema(example = "320102007000")]
    pub jurisdiction: String,
    #[schema(example = "锁金村街道社会组织党建工作站")]
    pub workplace: String,
    /// Live organizations assigned to them.
    pub organizations: i64,
}

impl InstructorRecord {
    fn for_caller(i: &Instructor, visible: bool) -> Self {
        InstructorRecord {
            id: i.id,
            name: i.data.name.clone(),
            phone: i
                .data
                .phone
                .as_ref()
                .map(|p| if visible { p.to_string() } else { p.masked() }),
            jurisdiction: i.data.jurisdiction.to_string(),
            workplace: i.data.workplace.clone(),
            organizations: i.organizations,
        }
    }
}

/// One page of instructors, by name.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InstructorPage {
    /// The node listed (its subtree).
    pub jurisdiction: PlaceRecord,
    pub items: Vec<InstructorRecord>,
    #[serde(flatten)]
    pub paging: crate::kit::paging::PageInfo,
}

/// A new instructor.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct InstructorCreate {
    #[schema(max_length = 50)]
    pub name: String,
    /// Mobile or landline.
    pub phone: Option<String>,
    /// Code of an existing jurisdiction the caller keeps.
    pub jurisdiction: String,
    #[schema(max_length = 100)]
    pub workplace: Option<String>,
}

/// An organization's party-building facts.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PartyRecord {
    pub organization_id: Uuid,
    pub organization_name: String,
    #[schema(schema_with = schema::party_org)]
    pub party_org: String,
    pub party_members: u32,
    /// The assigned instructor, if any.
    #[schema(required)]
    pub instructor: Option<InstructorRecord>,
    /// Counted in organization coverage (a party organization, own or joint).
    pub organization_covered: bool,
    /// Counted in work coverage (a party organization or an instructor).
    pub work_covered: bool,
}

impl From<&PartyView> for PartyRecord {
    fn from(v: &PartyView) -> Self {
        let d = &v.org.data;
        PartyRecord {
            organization_id: v.org.id,
            organization_name: d.name.clone(),
            party_org: d.party_org.as_str().into(),
            party_members: d.party_members,
            instructor: v
                .instructor
                .as_ref()
                .map(|i| InstructorRecord::for_caller(i, v.phone_visible)),
            organization_covered: org_covered(d.party_org),
            work_covered: work_covered(d.party_org, v.instructor.is_some()),
        }
    }
}

/// An organization's party facts, all at once (what is left out is cleared: no
/// `instructor_id` means no instructor). An own branch needs at least 3 members.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct PartyUpdate {
    #[schema(schema_with = schema::party_org)]
    pub party_org: String,
    #[schema(maximum = 1000000)]
    pub party_members: Option<u32>,
    /// An instructor of the organization's district; null or empty for none.
    pub instructor_id: Option<Uuid>,
}

fn party_draft(body: &serde_json::Map<String, Value>) -> (PartyBuildingDraft, FieldErrors) {
    let mut e = FieldErrors::new();
    input::unknown_fields(
        &mut e,
        body,
        &["party_org", "party_members", "instructor_id"],
    );
    let party_org = body
        .get("party_org")
        .and_then(|v| input::text(&mut e, "party_org", v, Mode::Create));
    let instructor_id = body
        .get("instructor_id")
        .and_then(|v| input::text(&mut e, "instructor_id", v, Mode::Create));
    let party_members = body
        .get("party_members")
        .and_then(|v| input::count(&mut e, "party_members", v, Mode::Create));
    (
        PartyBuildingDraft {
            party_org,
            party_members,
            instructor_id,
        },
        e,
    )
}

fn instructor_draft(body: &serde_json::Map<String, Value>) -> (InstructorDraft, FieldErrors) {
    let mut e = FieldErrors::new();
    input::unknown_fields(
        &mut e,
        body,
        &["name", "phone", "jurisdiction", "workplace"],
    );
    let mut t = |f: &str| {
        body.get(f)
            .and_then(|v| input::text(&mut e, f, v, Mode::Create))
    };
    let d = InstructorDraft {
        name: t("name"),
        phone: t("phone"),
        jurisdiction: t("jurisdiction"),
        workplace: t("workplace"),
    };
    (d, e)
}

/// An organization's party building: party organization, party members, instructor.
/// Public; the instructor's phone is masked unless the caller may see personal data.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}/party",
    operation_id = "get_party_building",
    tag = "party",
    params(("id" = Uuid, Path, description = "Organization id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The organization's party facts", body = PartyRecord),
        BadToken,
        (status = 404, description = "No such organization", body = ErrorBody),
    )
)]
pub async fn get_party(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<PartyRecord>, AppError> {
    let v = party::view(&s.store, &caller, id).await?;
    Ok(Json(PartyRecord::from(&v)))
}

/// Set an organization's party facts (officials over it; staff of a hub it belongs to).
#[utoipa::path(
    post,
    path = "/api/v1/organizations/{id}/party",
    operation_id = "set_party_building",
    tag = "party",
    params(("id" = Uuid, Path, description = "Organization id")),
    request_body = PartyUpdate,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The party facts as stored", body = PartyRecord),
        NeedsToken,
        (status = 403, description = "The caller may read this organization but not keep its party facts", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 409, description = "The organization is deregistered", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written", body = ErrorBody),
    )
)]
pub async fn set_party(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<PartyRecord>, AppError> {
    crate::registry::get(&s.store, id).await?;
    let (draft, found) = match input::object(&body) {
        Ok(b) => party_draft(&b),
        Err(e) => (PartyBuildingDraft::default(), e),
    };
    let r = party::set(&s.store, &caller, id, &draft, found).await;
    note_denial(
        &s,
        &caller,
        "organization.party",
        format!("organization:{id}"),
        r,
    )
    .await?;
    let v = party::view(&s.store, &caller, id).await?;
    Ok(Json(PartyRecord::from(&v)))
}

/// The instructor register of a subtree, by name (officials, experts, admins).
#[utoipa::path(
    get,
    path = "/api/v1/instructors",
    operation_id = "list_instructors",
    tag = "party",
    params(InstructorQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of instructors", body = InstructorPage),
        NeedsToken,
        (status = 403, description = "The caller may not read reports on this jurisdiction", body = ErrorBody),
        (status = 422, description = "A bad query parameter, named: a `cursor` not of this list, a `page` past the first 10,000 (follow `next`)", body = ErrorBody),
    )
)]
pub async fn list_instructors(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    ApiQuery(q): ApiQuery<InstructorQuery>,
) -> Result<Json<InstructorPage>, AppError> {
    let l = party::instructors(&s.store, &caller, &q).await?;
    Ok(Json(InstructorPage {
        jurisdiction: (&l.jurisdiction).into(),
        items: l
            .page
            .items
            .iter()
            .map(|i| InstructorRecord::for_caller(i, l.can_manage))
            .collect(),
        paging: crate::kit::paging::PageInfo::of(&l.page, l.number),
    }))
}

/// Add an instructor to the register (officials over the jurisdiction).
#[utoipa::path(
    post,
    path = "/api/v1/instructors",
    operation_id = "create_instructor",
    tag = "party",
    request_body = InstructorCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = InstructorRecord),
        NeedsToken,
        (status = 403, description = "The caller may not keep instructors (there)", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written", body = ErrorBody),
    )
)]
pub async fn create_instructor(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    body: Bytes,
) -> Result<Response, AppError> {
    let (draft, found) = match input::object(&body) {
        Ok(b) => instructor_draft(&b),
        Err(e) => (InstructorDraft::default(), e),
    };
    let r = party::create_instructor(&s.store, &caller, &draft, found).await;
    let i = note_denial(&s, &caller, "instructor.create", "instructor:new".into(), r).await?;
    Ok((
        StatusCode::CREATED,
        Json(InstructorRecord::for_caller(&i, true)),
    )
        .into_response())
}

/// Party-building and hub coverage of a jurisdiction's subtree, and of each child node.
#[utoipa::path(
    get,
    path = "/api/v1/coverage/{code}",
    operation_id = "jurisdiction_coverage",
    tag = "party",
    params(("code" = String, Path, description = "Jurisdiction code (district, street …)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Coverage figures", body = CoverageReport),
        NeedsToken,
        (status = 403, description = "The caller may not read reports on this jurisdiction", body = ErrorBody),
        (status = 404, description = "No such jurisdiction", body = ErrorBody),
    )
)]
pub async fn jurisdiction_coverage(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    PathCode(code): PathCode,
) -> Result<Json<CoverageReport>, AppError> {
    let r = party::jurisdiction_report(&s.store, &caller, &code).await?;
    Ok(Json(CoverageReport {
        jurisdiction: (&r.jurisdiction).into(),
        party: r.figures.party.into(),
        hubs: r.figures.hubs.into(),
        children: r.children.iter().map(Into::into).collect(),
    }))
}

/// The organizations of a jurisdiction's subtree that are not covered, by name.
#[utoipa::path(
    get,
    path = "/api/v1/coverage/{code}/uncovered",
    operation_id = "jurisdiction_uncovered",
    tag = "party",
    params(("code" = String, Path, description = "Jurisdiction code"), GapQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of organizations not covered (default gap: `party_organization`)", body = UncoveredPage),
        NeedsToken,
        (status = 403, description = "The caller may not read reports on this jurisdiction", body = ErrorBody),
        (status = 404, description = "No such jurisdiction", body = ErrorBody),
        (status = 422, description = "`gap`, `cursor`, `page` or `per_page` is bad, named: a `cursor` not of this list, a `page` past the first 10,000 (follow `next`)", body = ErrorBody),
    )
)]
pub async fn jurisdiction_uncovered(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    PathCode(code): PathCode,
    q: Result<Query<GapQuery>, QueryRejection>,
) -> Result<Json<UncoveredPage>, AppError> {
    let j = party::report_jurisdiction(&s.store, &caller, &code).await?;
    // The report is authorized (401/403/404) before its parameters are read (422).
    let Query(q) = q.map_err(bad_query)?;
    let (gap, paging) = q.parse()?;
    let gap = gap.unwrap_or(Gap::PartyOrganization);
    let (p, number) =
        party::uncovered(&s.store, &CoverageScope::Subtree(j.path), gap, &paging).await?;
    Ok(Json(UncoveredPage::new(gap, &p, number)))
}

/// Coverage of a hub's active members; with `gap`, the members not covered.
#[utoipa::path(
    get,
    path = "/api/v1/hubs/{id}/coverage",
    operation_id = "hub_coverage",
    tag = "party",
    params(("id" = Uuid, Path, description = "Hub id"), GapQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Coverage of the hub's members", body = HubCoverageReport),
        NeedsToken,
        (status = 403, description = "The caller may not read this hub's reports", body = ErrorBody),
        (status = 404, description = "No such hub", body = ErrorBody),
        (status = 422, description = "`gap`, `cursor`, `page` or `per_page` is bad, named: a `cursor` not of this list, a `page` past the first 10,000 (follow `next`)", body = ErrorBody),
    )
)]
pub async fn hub_coverage(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    PathCode(id): PathCode,
    q: Result<Query<GapQuery>, QueryRejection>,
) -> Result<Json<HubCoverageReport>, AppError> {
    let hub = party::report_hub(&s.store, &caller, &id).await?;
    // The report is authorized (401/403/404) before its parameters are read (422).
    let Query(q) = q.map_err(bad_query)?;
    let (gap, paging) = q.parse()?;
    let scope = CoverageScope::Hub(hub.id);
    let f = party::figures(&s.store, &scope).await?;
    let uncovered = match gap {
        None => None,
        Some(g) => {
            let (p, number) = party::uncovered(&s.store, &scope, g, &paging).await?;
            Some(UncoveredPage::new(g, &p, number))
        }
    };
    Ok(Json(HubCoverageReport {
        hub: (&hub).into(),
        party: f.party.into(),
        hubs: f.hubs.into(),
        uncovered,
    }))
}
