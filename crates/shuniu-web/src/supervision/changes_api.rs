//! Change registration API 变更登记: an organization's applications, submitting one,
//! the calling official's queue, one application, and the authority's decision.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use shuniu_domain::FieldErrors;
use shuniu_domain::supervision::changes::ChangeDraft;
use shuniu_store::supervision::ChangeApplication;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::kit::api::access::{ApiAccount, note_denial};
use crate::kit::api::error::ErrorBody;
use crate::kit::api::input::{self, Mode};
use crate::kit::api::responses::NeedsToken;
use crate::kit::extract::{ApiQuery, RecordId};
use crate::kit::routes::Routes;
use crate::supervision::service;
use crate::{AppError, AppState};

pub fn routes() -> Routes {
    Routes::new()
        .get(
            "/api/v1/organizations/{id}/change-applications",
            list_of_organization,
        )
        .post("/api/v1/organizations/{id}/change-applications", submit)
        .get("/api/v1/change-applications", queue)
        .get("/api/v1/change-applications/{id}", get_application)
        .post("/api/v1/change-applications/{id}/decision", decide)
}

/// This capability's part of the OpenAPI document (merged into `/api/openapi.json`).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list_of_organization, submit, queue, get_application, decide),
    components(schemas(
        FieldChangeRecord,
        ChangeApplicationRecord,
        ChangeApplicationList,
        ChangeApplicationCreate,
        ChangeDecisionInput
    )),
    tags((name = "supervision", description = "Supervision of the registry: change registration 变更登记"))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

/// One registered fact's change, old → new (money in fen).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FieldChangeRecord {
    /// `name`, `legal_form`, `legal_representative`, `address`, `business_scope`,
    /// `competent_unit`, `registered_capital`, `founded_on`, `jurisdiction`, `uscc`,
    /// `filing_number`.
    #[schema(example = "name")]
    pub field: String,
    pub from: String,
    pub to: String,
}

/// A change application and where it stands.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChangeApplicationRecord {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    /// Path of the registration authority that decides it.
    #[schema(example = "320000/320100/320102/")]
    pub authority_path: String,
    /// `submitted`, `approved`, `returned`, `withdrawn`.
    #[schema(example = "submitted")]
    pub status: String,
    pub changes: Vec<FieldChangeRecord>,
    /// Descriptions of the documents handed in.
    pub attachments: Vec<String>,
    pub note: String,
    pub submitted_by: String,
    pub submitted_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub decision_reason: Option<String>,
}

impl ChangeApplicationRecord {
    fn new(a: &ChangeApplication, organization_name: &str) -> Self {
        ChangeApplicationRecord {
            id: a.id,
            organization_id: a.organization_id,
            organization_name: organization_name.to_string(),
            authority_path: a.authority_path.clone(),
            status: a.status.as_str().into(),
            changes: a
                .changes
                .iter()
                .map(|c| FieldChangeRecord {
                    field: c.field.as_str().into(),
                    from: c.from.clone(),
                    to: c.to.clone(),
                })
                .collect(),
            attachments: a.attachments.clone(),
            note: a.note.clone(),
            submitted_by: a.submitted_by.clone(),
            submitted_at: a.submitted_at,
            decided_by: a.decided_by.clone(),
            decided_on: a.decided_on,
            decision_reason: a.decision_reason.clone(),
        }
    }
}

/// Change applications.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChangeApplicationList {
    pub items: Vec<ChangeApplicationRecord>,
}

/// A change application as sent: registered fact → new value (registered capital in
/// yuan), with the descriptions of the documents handed in.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChangeApplicationCreate {
    #[schema(example = json!({"name": "南京玄武新名称服务中心"}))]
    pub changes: std::collections::BTreeMap<String, String>,
    #[schema(example = json!(["会员大会决议", "章程修正案"]))]
    pub attachments: Vec<String>,
    pub note: Option<String>,
}

/// A decision on a submitted application.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChangeDecisionInput {
    /// `approve`, `return` (registration authority) or `withdraw` (the applicant).
    #[schema(example = "approve")]
    pub action: String,
    /// Why it is returned (required for `return`).
    pub reason: Option<String>,
}

/// The queue's filter.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `submitted`, `approved`, `returned`, `withdrawn`; none: every status.
    pub status: Option<String>,
}

fn change_draft(body: &serde_json::Map<String, Value>) -> (ChangeDraft, FieldErrors) {
    let mut e = FieldErrors::new();
    input::unknown_fields(&mut e, body, &["changes", "attachments", "note"]);
    let mut d = ChangeDraft::default();
    match body.get("changes") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (k, v) in m {
                if let Some(t) = input::text(&mut e, k, v, Mode::Create) {
                    d.changes.insert(k.clone(), t);
                }
            }
        }
        Some(_) => e.add(
            "changes",
            shuniu_domain::FieldError::new(
                "应为对象：登记事项 → 新值",
                "must be an object: registered fact → new value",
            ),
        ),
    }
    if let Some(v) = body.get("attachments") {
        d.attachments =
            input::text_list(&mut e, "attachments", v, Mode::Create).unwrap_or_default();
    }
    if let Some(v) = body.get("note") {
        d.note = input::text(&mut e, "note", v, Mode::Create);
    }
    (d, e)
}

/// An organization's change applications, newest first (the organization, officials
/// over it, admins).
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}/change-applications",
    operation_id = "list_organization_change_applications",
    tag = "supervision",
    params(("id" = Uuid, Path, description = "Organization id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The organization's applications", body = ChangeApplicationList),
        NeedsToken,
        (status = 403, description = "Reserved for a caller who may see but not read them (today such callers get 404)", body = ErrorBody),
        (status = 404, description = "No such organization, or not the caller's to read", body = ErrorBody),
    )
)]
pub async fn list_of_organization(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
) -> Result<Json<ChangeApplicationList>, AppError> {
    let r = service::applications_of(&s.store, &caller, id).await;
    let (org, apps) = note_denial(
        &s,
        &caller,
        "change_application.read",
        format!("organization:{id}"),
        r,
    )
    .await?;
    Ok(Json(ChangeApplicationList {
        items: apps
            .iter()
            .map(|a| ChangeApplicationRecord::new(a, &org.data.name))
            .collect(),
    }))
}

/// Submit a change application 变更登记 (the organization's own staff, or an official
/// over it on its behalf). One open application per organization.
#[utoipa::path(
    post,
    path = "/api/v1/organizations/{id}/change-applications",
    operation_id = "submit_change_application",
    tag = "supervision",
    params(("id" = Uuid, Path, description = "Organization id")),
    request_body = ChangeApplicationCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Submitted", body = ChangeApplicationRecord),
        NeedsToken,
        (status = 403, description = "The caller may not apply for this organization", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 422, description = "Every bad field named (or an application is already open); nothing was written", body = ErrorBody),
    )
)]
pub async fn submit(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Response, AppError> {
    let (draft, found) = match input::object(&body) {
        Ok(b) => change_draft(&b),
        Err(e) => (ChangeDraft::default(), e),
    };
    let r = service::submit(&s.store, &caller, id, &draft, found).await;
    let app = note_denial(
        &s,
        &caller,
        "change_application.submit",
        format!("organization:{id}"),
        r,
    )
    .await?;
    let org = crate::registry::get(&s.store, id).await?;
    Ok(crate::kit::api::created(
        format!("/api/v1/change-applications/{}", app.id),
        ChangeApplicationRecord::new(&app, &org.data.name),
    ))
}

/// The calling official's queue: the applications their own node decides as the
/// registration authority, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/change-applications",
    operation_id = "change_application_queue",
    tag = "supervision",
    params(QueueQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The applications this official's node decides", body = ChangeApplicationList),
        NeedsToken,
        (status = 403, description = "Only officials have a queue", body = ErrorBody),
        (status = 422, description = "A bad query parameter, named", body = ErrorBody),
    )
)]
pub async fn queue(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> Result<Json<ChangeApplicationList>, AppError> {
    let status = service::parse_status(q.status.as_deref())?;
    let r = service::queue(&s.store, &caller, status).await;
    let items = note_denial(
        &s,
        &caller,
        "change_application.queue",
        "change_applications".into(),
        r,
    )
    .await?;
    Ok(Json(ChangeApplicationList {
        items: items
            .iter()
            .map(|(a, o)| ChangeApplicationRecord::new(a, o))
            .collect(),
    }))
}

/// One change application (the organization, officials over it, admins).
#[utoipa::path(
    get,
    path = "/api/v1/change-applications/{id}",
    operation_id = "get_change_application",
    tag = "supervision",
    params(("id" = Uuid, Path, description = "Change application id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The application", body = ChangeApplicationRecord),
        NeedsToken,
        (status = 403, description = "Reserved for a caller who may see but not read it (today such callers get 404)", body = ErrorBody),
        (status = 404, description = "No such application, or not the caller's to read", body = ErrorBody),
    )
)]
pub async fn get_application(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
) -> Result<Json<ChangeApplicationRecord>, AppError> {
    let r = service::application(&s.store, &caller, id).await;
    let (app, org, _) = note_denial(
        &s,
        &caller,
        "change_application.read",
        format!("change_application:{id}"),
        r,
    )
    .await?;
    Ok(Json(ChangeApplicationRecord::new(&app, &org.data.name)))
}

/// Decide a submitted application: `approve` or `return` (with a reason) — only an
/// official of the registration authority's own node; `withdraw` — the applicant.
/// Approval writes the record, its history and the audit trail; an application is
/// decided once.
#[utoipa::path(
    post,
    path = "/api/v1/change-applications/{id}/decision",
    operation_id = "decide_change_application",
    tag = "supervision",
    params(("id" = Uuid, Path, description = "Change application id")),
    request_body = ChangeDecisionInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The application as decided", body = ChangeApplicationRecord),
        NeedsToken,
        (status = 403, description = "The caller may read the application but not take this decision", body = ErrorBody),
        (status = 404, description = "No such application, or not the caller's to read", body = ErrorBody),
        (status = 409, description = "The application is already decided", body = ErrorBody),
        (status = 422, description = "Every bad field named, or the record no longer matches the application; nothing was written", body = ErrorBody),
    )
)]
pub async fn decide(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<ChangeApplicationRecord>, AppError> {
    let ([action, reason], found) = input::texts(&body, ["action", "reason"]);
    let r = service::decide(
        &s.store,
        &s.search,
        &caller,
        id,
        action.as_deref(),
        reason.as_deref(),
        found,
    )
    .await;
    let app = note_denial(
        &s,
        &caller,
        "change_application.decide",
        format!("change_application:{id}"),
        r,
    )
    .await?;
    let org = crate::registry::get(&s.store, app.organization_id).await?;
    Ok(Json(ChangeApplicationRecord::new(&app, &org.data.name)))
}
