//! Assessment API 评估: rounds (public list and detail, opened by the authority's
//! official), applications, the authority's decisions, and an organization's grades
//! (public history; lowering or withdrawal by the registration authority).

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use shuniu_store::supervision::assessment::{
    AssessmentApplication, AssessmentRound, RoundApplication,
};
use shuniu_store::supervision::grades::StoredAward;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::assessment::service::{self, DecisionInput, RoundInput, RoundsQuery};
use crate::kit::api::access::{ApiAccount, ApiCaller, note_denial};
use crate::kit::api::error::ErrorBody;
use crate::kit::api::input::{self, Mode};
use crate::kit::api::responses::{BadToken, NeedsToken};
use crate::kit::extract::{ApiQuery, RecordId};
use crate::kit::routes::Routes;
use crate::{AppError, AppState, today};

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/assessment-rounds", list_rounds)
        .post("/api/v1/assessment-rounds", open_round)
        .get("/api/v1/assessment-rounds/{id}", get_round)
        .post("/api/v1/assessment-rounds/{id}/applications", apply)
        .post("/api/v1/assessment-applications/{id}/decision", decide)
        .get("/api/v1/organizations/{id}/grades", grades)
        .post("/api/v1/organizations/{id}/grade-changes", change_grade)
        .merge(super::tables::routes())
}

/// This capability's part of the OpenAPI document (merged into `/api/openapi.json`).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list_rounds, open_round, get_round, apply, decide, grades, change_grade),
    components(schemas(
        RoundRecord,
        RoundPage,
        RoundDetail,
        RoundCreate,
        ApplicationRecord,
        ApplicationCreate,
        AssessmentDecisionInput,
        GradeRecord,
        GradeHistory,
        GradeChangeInput
    )),
    tags((name = "assessment", description = "Assessment 评估: rounds, applications, the authority's decisions, grades and their history"))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    let mut doc = <Doc as utoipa::OpenApi>::openapi();
    doc.merge(super::tables::doc());
    doc
}

/// An assessment round opened by a registration authority.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoundRecord {
    pub id: Uuid,
    /// The authority's jurisdiction code.
    #[schema(example = "320102")]
    pub authority: String,
    pub year: i64,
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// Length of the public notice 公示 in days.
    pub notice_days: i64,
}

impl From<&AssessmentRound> for RoundRecord {
    fn from(r: &AssessmentRound) -> Self {
        RoundRecord {
            id: r.id,
            authority: r.authority_code.clone(),
            year: r.year,
            title: r.title.clone(),
            opens_on: r.opens_on,
            closes_on: r.closes_on,
            notice_days: r.notice_days,
        }
    }
}

/// One page of rounds, newest year first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoundPage {
    pub items: Vec<RoundRecord>,
    #[serde(flatten)]
    pub paging: crate::kit::paging::PageInfo,
}

/// An application of a round and where it stands.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApplicationRecord {
    pub id: Uuid,
    pub round_id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: Option<String>,
    /// The indicator table: `industry_association`, `academic_group`,
    /// `public_welfare_group`, `service_institution`, `foundation`.
    pub table: String,
    /// `applied`, `refused`, `scored`, `notice`, `awarded`, `not_graded`, `withdrawn`.
    #[schema(example = "scored")]
    pub stage: String,
    pub applied_on: NaiveDate,
    /// Area code → points.
    pub scores: Option<BTreeMap<String, u32>>,
    pub total: Option<u32>,
    /// The grade the total earns (proposed until awarded).
    #[schema(example = "4A")]
    pub grade: Option<String>,
    pub notice_starts_on: Option<NaiveDate>,
    pub notice_ends_on: Option<NaiveDate>,
    pub reason: Option<String>,
}

impl ApplicationRecord {
    fn new(a: &AssessmentApplication, name: Option<String>, notice_days: i64) -> Self {
        ApplicationRecord {
            id: a.id,
            round_id: a.round_id,
            organization_id: a.organization_id,
            organization_name: name,
            table: a.table_kind.as_str().into(),
            stage: a.stage.as_str().into(),
            applied_on: a.applied_on,
            scores: a.scores.clone(),
            total: a.total,
            grade: a.grade.map(|g| g.as_str().into()),
            notice_starts_on: a.notice_starts_on,
            notice_ends_on: a.notice_starts_on.map(|d| {
                shuniu_domain::supervision::assessment::notice_ends_on(d, notice_days as u32)
            }),
            reason: a.reason.clone(),
        }
    }
}

/// A round with its applications.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoundDetail {
    pub round: RoundRecord,
    pub applications: Vec<ApplicationRecord>,
}

fn detail(r: &AssessmentRound, apps: &[RoundApplication]) -> RoundDetail {
    RoundDetail {
        round: r.into(),
        applications: apps
            .iter()
            .map(|a| {
                ApplicationRecord::new(
                    &a.application,
                    Some(a.organization_name.clone()),
                    r.notice_days,
                )
            })
            .collect(),
    }
}

/// A round as the authority opens it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoundCreate {
    #[schema(example = 2026)]
    pub year: u32,
    #[schema(example = "2026年度玄武区社会组织等级评估")]
    pub title: String,
    pub opens_on: NaiveDate,
    /// Last day of applications.
    pub closes_on: NaiveDate,
    /// Days of public notice 公示 (default 7, at most 60).
    #[schema(example = 7)]
    pub notice_days: Option<u32>,
}

/// An application for a round.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApplicationCreate {
    pub organization_id: Uuid,
    /// The indicator table (default: by legal form).
    pub table: Option<String>,
}

/// The authority's decision on an application.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AssessmentDecisionInput {
    /// `refuse` (with `reason`), `score` (with `scores` and `bonus`), `close` (a total
    /// below every cut-off), `notice` (from `starts_on`, default today), `award` (after
    /// the notice, with the decision `document`; `awarded_on` default today).
    #[schema(example = "score")]
    pub action: String,
    pub reason: Option<String>,
    /// Area code → points, one per area of the indicator table.
    #[schema(example = json!({"basic_conditions": 90, "party_building": 90, "internal_governance": 220, "work_performance": 360, "social_evaluation": 130}))]
    pub scores: Option<BTreeMap<String, u32>>,
    pub bonus: Option<u32>,
    pub starts_on: Option<NaiveDate>,
    pub awarded_on: Option<NaiveDate>,
    #[schema(example = "玄民〔2026〕12号")]
    pub document: Option<String>,
}

/// One grade award with its source.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GradeRecord {
    pub id: Uuid,
    #[schema(example = "4A")]
    pub grade: String,
    pub awarded_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// `assessment`, `import` or `lowered`.
    pub source: String,
    /// The assessment application it came from.
    pub application_id: Option<Uuid>,
    /// The decision or register document (or the reason of a lowering).
    pub document: String,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub in_force: bool,
    pub expired: bool,
}

/// An organization's grade history, oldest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GradeHistory {
    pub organization_id: Uuid,
    /// The grade in force today.
    pub grade: Option<String>,
    pub items: Vec<GradeRecord>,
}

fn history(org_id: Uuid, awards: &[StoredAward], current: Option<Uuid>) -> GradeHistory {
    let today = today();
    GradeHistory {
        organization_id: org_id,
        grade: awards
            .iter()
            .find(|a| Some(a.id) == current)
            .map(|a| a.award.grade.as_str().into()),
        items: awards
            .iter()
            .map(|a| GradeRecord {
                id: a.id,
                grade: a.award.grade.as_str().into(),
                awarded_on: a.award.awarded_on,
                expires_on: a.award.expires_on,
                source: a.award.source.as_str().into(),
                application_id: a.application_id,
                document: a.document.clone(),
                ended_on: a.award.ended_on,
                end_reason: a.end_reason.clone(),
                in_force: Some(a.id) == current,
                expired: a.award.expires_on <= today,
            })
            .collect(),
    }
}

/// Lowering (`to`) or withdrawal (no `to`) of the grade in force.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GradeChangeInput {
    /// The lower grade; none: withdraw.
    #[schema(example = "3A")]
    pub to: Option<String>,
    pub reason: String,
}

/// Assessment rounds, newest year first (public).
#[utoipa::path(
    get,
    path = "/api/v1/assessment-rounds",
    operation_id = "list_assessment_rounds",
    tag = "assessment",
    security((), ("bearer" = [])),
    params(RoundsQuery),
    responses(
        (status = 200, description = "One page of rounds", body = RoundPage),
        BadToken,
        (status = 422, description = "A bad query parameter, named: a `cursor` not of this list, a `page` past the first 10,000 (follow `next`)", body = ErrorBody),
    )
)]
pub async fn list_rounds(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    ApiQuery(q): ApiQuery<RoundsQuery>,
) -> Result<Json<RoundPage>, AppError> {
    let (p, number) = service::rounds(&s.store, &q).await?;
    Ok(Json(RoundPage {
        items: p.items.iter().map(RoundRecord::from).collect(),
        paging: crate::kit::paging::PageInfo::of(&p, number),
    }))
}

/// Open an assessment round: an official, for their own node as the registration
/// authority.
#[utoipa::path(
    post,
    path = "/api/v1/assessment-rounds",
    operation_id = "open_assessment_round",
    tag = "assessment",
    request_body = RoundCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Opened", body = RoundRecord),
        NeedsToken,
        (status = 403, description = "Only an authority's official opens rounds", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written", body = ErrorBody),
    )
)]
pub async fn open_round(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    body: Bytes,
) -> Result<Response, AppError> {
    let allowed = ["year", "title", "opens_on", "closes_on", "notice_days"];
    let (b, mut e) = input::fields_of(&body, &allowed);
    let input = RoundInput {
        year: input::count_of(&mut e, &b, "year"),
        title: input::text_of(&mut e, &b, "title"),
        opens_on: input::text_of(&mut e, &b, "opens_on"),
        closes_on: input::text_of(&mut e, &b, "closes_on"),
        notice_days: input::count_of(&mut e, &b, "notice_days"),
    };
    let r = service::open_round(&s.store, &caller, &input, e).await;
    let round = note_denial(
        &s,
        &caller,
        "assessment.round.open",
        "assessment_rounds".into(),
        r,
    )
    .await?;
    Ok(crate::kit::api::created(
        format!("/api/v1/assessment-rounds/{}", round.id),
        RoundRecord::from(&round),
    ))
}

/// One round with its applications: stage, total and proposed grade (the public
/// notice 公示), awarded grades after it (public).
#[utoipa::path(
    get,
    path = "/api/v1/assessment-rounds/{id}",
    operation_id = "get_assessment_round",
    tag = "assessment",
    security((), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "The round and its applications", body = RoundDetail),
        BadToken,
        (status = 404, description = "No such round", body = ErrorBody),
    )
)]
pub async fn get_round(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<RoundDetail>, AppError> {
    let (round, apps) = service::round(&s.store, id).await?;
    Ok(Json(detail(&round, &apps)))
}

/// Apply for a round: the organization's own staff, or an official over it. An
/// ineligible organization is a 422 on `organization` naming the failed rule.
#[utoipa::path(
    post,
    path = "/api/v1/assessment-rounds/{id}/applications",
    operation_id = "apply_for_assessment",
    tag = "assessment",
    params(("id" = Uuid, Path, description = "Round id")),
    request_body = ApplicationCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Applied", body = ApplicationRecord),
        NeedsToken,
        (status = 403, description = "The caller may not apply for this organization", body = ErrorBody),
        (status = 404, description = "No such round", body = ErrorBody),
        (status = 409, description = "The organization has already applied to this round", body = ErrorBody),
        (status = 422, description = "Every bad field named, or the eligibility rule that fails; nothing was written", body = ErrorBody),
    )
)]
pub async fn apply(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Response, AppError> {
    let (b, mut e) = input::fields_of(&body, &["organization_id", "table"]);
    let org = input::text_of(&mut e, &b, "organization_id");
    let table = input::text_of(&mut e, &b, "table");
    let r = if e.is_empty() {
        service::apply(&s.store, &caller, id, org.as_deref(), table.as_deref())
            .await
            .map_err(|r| match r {
                AppError::Validation(mut f) => {
                    if let Some(v) = f.0.remove("organization") {
                        f.add("organization_id", v);
                    }
                    AppError::Validation(f)
                }
                other => other,
            })
    } else {
        Err(AppError::Validation(e))
    };
    let app = note_denial(
        &s,
        &caller,
        "assessment.apply",
        format!("assessment_round:{id}"),
        r,
    )
    .await?;
    let round = s.store.assessment_round(id).await?.ok_or(AppError::NotFound)?;
    Ok(crate::kit::api::created(
        format!("/api/v1/assessment-rounds/{id}"),
        ApplicationRecord::new(&app, None, round.notice_days),
    ))
}

/// Decide on an application — only the official of the round's registration authority:
/// `refuse`, `score`, `close`, `notice`, `award` (refused before the notice ends).
#[utoipa::path(
    post,
    path = "/api/v1/assessment-applications/{id}/decision",
    operation_id = "decide_assessment_application",
    tag = "assessment",
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = AssessmentDecisionInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The application after the decision", body = ApplicationRecord),
        NeedsToken,
        (status = 403, description = "Not the round's authority official", body = ErrorBody),
        (status = 404, description = "No such application", body = ErrorBody),
        (status = 409, description = "The application is not at a stage for this decision", body = ErrorBody),
        (status = 422, description = "Every bad field named (an award before the notice ends names `awarded_on`); nothing was written", body = ErrorBody),
    )
)]
pub async fn decide(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<ApplicationRecord>, AppError> {
    let allowed = [
        "action",
        "reason",
        "scores",
        "bonus",
        "starts_on",
        "awarded_on",
        "document",
    ];
    let (b, mut e) = input::fields_of(&body, &allowed);
    let mut scores = BTreeMap::new();
    match b.get("scores") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (k, v) in m {
                if let Some(t) = input::count(&mut e, k, v, Mode::Create) {
                    scores.insert(k.clone(), t);
                }
            }
        }
        Some(_) => e.add(
            "scores",
            shuniu_domain::FieldError::new("应为对象：指标 → 分数", "must be an object: area → points"),
        ),
    }
    let input = DecisionInput {
        action: input::text_of(&mut e, &b, "action"),
        reason: input::text_of(&mut e, &b, "reason"),
        scores,
        bonus: input::count_of(&mut e, &b, "bonus"),
        starts_on: input::text_of(&mut e, &b, "starts_on"),
        awarded_on: input::text_of(&mut e, &b, "awarded_on"),
        document: input::text_of(&mut e, &b, "document"),
    };
    let r = service::decide(&s, &s.assessment_tables, &caller, id, &input, e).await;
    let (app, round) = note_denial(
        &s,
        &caller,
        "assessment.decide",
        format!("assessment_application:{id}"),
        r,
    )
    .await?;
    Ok(Json(ApplicationRecord::new(&app, None, round.notice_days)))
}

/// An organization's grade history with each award's source (public).
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}/grades",
    operation_id = "organization_grades",
    tag = "assessment",
    security((), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Organization id")),
    responses(
        (status = 200, description = "The grade history, oldest first", body = GradeHistory),
        BadToken,
        (status = 404, description = "No such organization", body = ErrorBody),
    )
)]
pub async fn grades(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<GradeHistory>, AppError> {
    let (org, awards, current) = service::grades_of(&s.store, id).await?;
    Ok(Json(history(org.id, &awards, current)))
}

/// Lower or withdraw the grade in force, with a reason: only the organization's
/// registration authority's own official.
#[utoipa::path(
    post,
    path = "/api/v1/organizations/{id}/grade-changes",
    operation_id = "change_organization_grade",
    tag = "assessment",
    params(("id" = Uuid, Path, description = "Organization id")),
    request_body = GradeChangeInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The grade history after the change", body = GradeHistory),
        NeedsToken,
        (status = 403, description = "Not the registration authority's official", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 422, description = "Every bad field named (or no grade in force); nothing was written", body = ErrorBody),
    )
)]
pub async fn change_grade(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<GradeHistory>, AppError> {
    let (b, mut e) = input::fields_of(&body, &["to", "reason"]);
    let to = input::text_of(&mut e, &b, "to");
    let reason = input::text_of(&mut e, &b, "reason");
    let r = if e.is_empty() {
        service::change_grade(&s, &caller, id, to.as_deref(), reason.as_deref()).await
    } else {
        Err(AppError::Validation(e))
    };
    note_denial(
        &s,
        &caller,
        "grade.change",
        format!("organization:{id}"),
        r,
    )
    .await?;
    let (org, awards, current) = service::grades_of(&s.store, id).await?;
    Ok(Json(history(org.id, &awards, current)))
}
