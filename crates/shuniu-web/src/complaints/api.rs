//! Complaints API: filing without an account (against an organization, or through a
//! request's private token with the phone verified), the complainant's private view,
//! the queues (officials and dispatchers; an organization its own), a complaint, its
//! moves, and an organization's public record. The complainant's phone is in full only
//! for the street official and the street hub's dispatcher.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shuniu_domain::complaints::{ComplaintDraft, ComplaintFacts, is_overdue};
use shuniu_store::complaints::{Complaint, PublicComplaint};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::complaints::service::{self, ActionDraft, Filed, QueueQuery};
use crate::kit::api::access::{ApiAccount, ApiCaller, note_denial};
use crate::kit::api::error::ErrorBody;
use crate::kit::api::input;
use crate::kit::api::responses::{BadToken, NeedsToken};
use crate::kit::extract::{ApiQuery, RecordId};
use crate::kit::paging::PageInfo;
use crate::kit::routes::Routes;
use crate::{AppError, AppState};

pub fn routes() -> Routes {
    Routes::new()
        .post("/api/v1/complaints", submit)
        .get("/api/v1/complaints", queue)
        .post("/api/v1/complaints/about-request/{token}", submit_about)
        .get("/api/v1/complaints/track/{token}", track)
        .get("/api/v1/complaints/{id}", get)
        .post("/api/v1/complaints/{id}/actions", act)
        .get("/api/v1/organizations/{id}/complaints", public_record)
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(submit, queue, submit_about, track, get, act, public_record),
    components(schemas(ComplaintOut, ComplaintPage, FiledOut, SubmitInput, AboutInput, ActionInput, TrackOut, FactsOut, PublicOut, PublicRecordOut)),
    tags((name = "complaints", description = "Residents' complaints 投诉: filed without an account, answered by the organization within a limit, escalated to the street when overdue, outcomes public"))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

/// A complaint as its handlers read it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComplaintOut {
    pub id: Uuid,
    #[schema(example = "TS-320102-2026-000045")]
    pub number: String,
    pub organization_id: Uuid,
    pub organization_name: Option<String>,
    pub request_id: Option<Uuid>,
    /// `service_quality`, `attitude`, `not_delivered`, `fees`, `safety`, `other`.
    pub category: String,
    pub description: String,
    /// In full for the street official and the street hub's dispatcher; masked for
    /// the organization complained about and administrators.
    pub phone: String,
    /// `verified` (filed through the request's private link) or `given`.
    pub phone_source: String,
    /// `submitted`, `answered`, `resolved`, `closed`.
    pub state: String,
    pub overdue: bool,
    pub escalated: bool,
    pub filed_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub response: Option<String>,
    pub responded_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
    /// `upheld`, `partly_upheld`, `not_upheld`.
    pub outcome: Option<String>,
    pub outcome_text: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl ComplaintOut {
    pub fn new(c: &Complaint, name: Option<&str>, phone_in_full: bool) -> Self {
        ComplaintOut {
            id: c.id,
            number: c.number.clone(),
            organization_id: c.organization_id,
            organization_name: name.map(str::to_string),
            request_id: c.request_id,
            category: c.data.category.as_str().into(),
            description: c.data.description.clone(),
            phone: if phone_in_full {
                c.data.phone.to_string()
            } else {
                c.data.phone.masked()
            },
            phone_source: c.data.phone_source.as_str().into(),
            state: c.state.as_str().into(),
            overdue: is_overdue(c.state, c.due_at, Utc::now()),
            escalated: c.escalated_at.is_some(),
            filed_at: c.filed_at,
            due_at: c.due_at,
            response: c.response.clone(),
            responded_at: c.responded_at,
            escalated_at: c.escalated_at,
            outcome: c.outcome.map(|o| o.as_str().to_string()),
            outcome_text: c.outcome_text.clone(),
            decided_at: c.decided_at,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComplaintPage {
    pub items: Vec<ComplaintOut>,
    #[serde(flatten)]
    pub paging: PageInfo,
}

/// A new complaint: its number and the private token (shown once; keep it).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FiledOut {
    pub number: String,
    pub token: String,
    #[schema(example = "/complaints/track/…")]
    pub track_url: String,
    pub due_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SubmitInput {
    pub organization_id: String,
    #[schema(example = "not_delivered")]
    pub category: String,
    pub description: String,
    #[schema(example = "13800138000")]
    pub phone: String,
}

/// Through a request's private token: no phone (the request's is used).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AboutInput {
    #[schema(example = "attitude")]
    pub category: String,
    pub description: String,
}

/// `answer` (the organization, with `response`); `resolve` or `close` (the
/// official, with `outcome` and its public `outcome_text`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ActionInput {
    #[schema(example = "answer")]
    pub action: String,
    pub response: Option<String>,
    pub outcome: Option<String>,
    pub outcome_text: Option<String>,
}

/// What the complainant reads through the private link: the phone masked.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TrackOut {
    pub number: String,
    pub organization_name: String,
    pub category: String,
    pub description: String,
    #[schema(example = "138****8000")]
    pub phone_masked: String,
    pub state: String,
    pub overdue: bool,
    pub escalated: bool,
    pub filed_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub response: Option<String>,
    pub outcome: Option<String>,
    pub outcome_text: Option<String>,
}

/// An organization's complaint record, in counts.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FactsOut {
    pub total: u32,
    pub answered_in_time: u32,
    pub overdue: u32,
    pub escalated: u32,
    pub upheld: u32,
    pub partly_upheld: u32,
    pub not_upheld: u32,
    pub open: u32,
}

impl From<ComplaintFacts> for FactsOut {
    fn from(f: ComplaintFacts) -> Self {
        FactsOut {
            total: f.total,
            answered_in_time: f.answered_in_time,
            overdue: f.overdue,
            escalated: f.escalated,
            upheld: f.upheld,
            partly_upheld: f.partly_upheld,
            not_upheld: f.not_upheld,
            open: f.open,
        }
    }
}

/// One complaint as the public reads it: no complainant, no phone, no description.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicOut {
    pub category: String,
    pub state: String,
    pub filed_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub answered_in_time: Option<bool>,
    pub escalated: bool,
    pub outcome: Option<String>,
    pub outcome_text: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl From<&PublicComplaint> for PublicOut {
    fn from(p: &PublicComplaint) -> Self {
        PublicOut {
            category: p.category.as_str().into(),
            state: p.state.as_str().into(),
            filed_at: p.filed_at,
            due_at: p.due_at,
            answered_in_time: p.responded_at.map(|r| r < p.due_at),
            escalated: p.escalated,
            outcome: p.outcome.map(|o| o.as_str().to_string()),
            outcome_text: p.outcome_text.clone(),
            decided_at: p.decided_at,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicRecordOut {
    pub facts: FactsOut,
    pub items: Vec<PublicOut>,
    #[serde(flatten)]
    pub paging: PageInfo,
}

fn filed(f: Filed) -> Response {
    crate::kit::api::created(
        format!("/api/v1/complaints/track/{}", f.token),
        FiledOut {
            number: f.complaint.number,
            track_url: format!("/complaints/track/{}", f.token),
            token: f.token,
            due_at: f.complaint.due_at,
        },
    )
}

/// File a complaint against an organization: no account needed. At most 10 an hour
/// from one address (shared with requests).
#[utoipa::path(
    post,
    path = "/api/v1/complaints",
    operation_id = "submit_complaint",
    tag = "complaints",
    request_body = SubmitInput,
    security((), ("bearer" = [])),
    responses(
        (status = 201, description = "Stored: its number, the first-response due time and the private link", body = FiledOut),
        BadToken,
        (status = 422, description = "Every bad field named; nothing was stored", body = ErrorBody),
        (status = 429, description = "Too many submissions from this address", body = ErrorBody),
    )
)]
pub async fn submit(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: Bytes,
) -> Result<Response, AppError> {
    let ([organization_id, category, description, phone], found) = input::texts(
        &body,
        ["organization_id", "category", "description", "phone"],
    );
    let d = ComplaintDraft {
        category,
        description,
        phone,
    };
    Ok(filed(
        service::submit(&s, &caller, &organization_id, &d, found).await?,
    ))
}

/// File a complaint through a request's private token, about the organization that
/// handled it: the phone is the request's (verified by the token).
#[utoipa::path(
    post,
    path = "/api/v1/complaints/about-request/{token}",
    operation_id = "submit_complaint_about_request",
    tag = "complaints",
    params(("token" = String, Path, description = "The request's private token")),
    request_body = AboutInput,
    security((), ("bearer" = [])),
    responses(
        (status = 201, description = "Stored: its number and the private link", body = FiledOut),
        BadToken,
        (status = 404, description = "No request has this token", body = ErrorBody),
        (status = 422, description = "Every bad field named, or no organization handled the request", body = ErrorBody),
        (status = 429, description = "Too many submissions from this address", body = ErrorBody),
    )
)]
pub async fn submit_about(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let ([category, description], found) = input::texts(&body, ["category", "description"]);
    let d = ComplaintDraft {
        category,
        description,
        phone: None,
    };
    Ok(filed(
        service::submit_about_request(&s, &caller, &token, &d, found).await?,
    ))
}

/// The caller's queue: officials and the street hub's staff see their streets' (the
/// overdue escalated first), an organization's people the complaints against it.
#[utoipa::path(
    get,
    path = "/api/v1/complaints",
    operation_id = "list_complaints",
    tag = "complaints",
    params(QueueQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of the queue", body = ComplaintPage),
        NeedsToken,
        (status = 403, description = "The caller has no queue (experts)", body = ErrorBody),
        (status = 422, description = "A bad query parameter, named: a `cursor` not of this list, a `page` past the first 10,000 (follow `next`)", body = ErrorBody),
    )
)]
pub async fn queue(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> Result<Json<ComplaintPage>, AppError> {
    let r = service::queue(&s, &caller, &q).await;
    let (scope, p, number) =
        note_denial(&s, &caller, "complaint.queue", "complaints".into(), r).await?;
    Ok(Json(ComplaintPage {
        items: p
            .items
            .iter()
            .map(|l| {
                let full = scope.sees_phone(&caller, l.complaint.organization_id);
                ComplaintOut::new(&l.complaint, Some(&l.organization_name), full)
            })
            .collect(),
        paging: PageInfo::of(&p, number),
    }))
}

/// A complaint through its private link: state, response and outcome, phone masked.
#[utoipa::path(
    get,
    path = "/api/v1/complaints/track/{token}",
    operation_id = "track_complaint",
    tag = "complaints",
    params(("token" = String, Path, description = "The complaint's private token")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The complaint as the complainant reads it", body = TrackOut),
        BadToken,
        (status = 404, description = "No complaint has this token", body = ErrorBody),
    )
)]
pub async fn track(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    Path(token): Path<String>,
) -> Result<Json<TrackOut>, AppError> {
    let c = service::by_token(&s, &token).await?;
    let name = s
        .store
        .organization(c.organization_id)
        .await?
        .map(|o| o.data.name)
        .unwrap_or_default();
    Ok(Json(TrackOut {
        number: c.number.clone(),
        organization_name: name,
        category: c.data.category.as_str().into(),
        description: c.data.description.clone(),
        phone_masked: c.data.phone.masked(),
        state: c.state.as_str().into(),
        overdue: is_overdue(c.state, c.due_at, Utc::now()),
        escalated: c.escalated_at.is_some(),
        filed_at: c.filed_at,
        due_at: c.due_at,
        response: c.response.clone(),
        outcome: c.outcome.map(|o| o.as_str().to_string()),
        outcome_text: c.outcome_text.clone(),
    }))
}

/// A complaint, for the street official, the dispatcher and the organization
/// complained about (the phone in full only for the first two).
#[utoipa::path(
    get,
    path = "/api/v1/complaints/{id}",
    operation_id = "get_complaint",
    tag = "complaints",
    params(("id" = Uuid, Path, description = "Complaint id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The complaint", body = ComplaintOut),
        NeedsToken,
        (status = 403, description = "Not the caller's to read", body = ErrorBody),
        (status = 404, description = "No such complaint, or not the caller's to see", body = ErrorBody),
    )
)]
pub async fn get(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
) -> Result<Json<ComplaintOut>, AppError> {
    let r = service::visible(&s, &caller, id).await;
    let (c, st) = note_denial(&s, &caller, "complaint.read", format!("complaint:{id}"), r).await?;
    Ok(Json(ComplaintOut::new(&c, None, st.sees_phone)))
}

/// Move a complaint: the organization answers; the official resolves or closes it
/// with an outcome and its public text.
#[utoipa::path(
    post,
    path = "/api/v1/complaints/{id}/actions",
    operation_id = "act_on_complaint",
    tag = "complaints",
    params(("id" = Uuid, Path, description = "Complaint id")),
    request_body = ActionInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The complaint after the move", body = ComplaintOut),
        NeedsToken,
        (status = 403, description = "Not this caller's move on the complaint", body = ErrorBody),
        (status = 404, description = "No such complaint, or not the caller's to see", body = ErrorBody),
        (status = 409, description = "The complaint's state does not allow it (a second click, a race)", body = ErrorBody),
        (status = 422, description = "Every bad field named", body = ErrorBody),
    )
)]
pub async fn act(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<ComplaintOut>, AppError> {
    let ([action, response, outcome, outcome_text], found) = input::texts(
        &body,
        ["action", "response", "outcome", "outcome_text"],
    );
    let d = ActionDraft {
        action,
        response,
        outcome,
        outcome_text,
    };
    let r = service::act(&s, &caller, id, &d, found).await;
    let c = note_denial(&s, &caller, "complaint.act", format!("complaint:{id}"), r).await?;
    let full = service::visible(&s, &caller, id).await?.1.sees_phone;
    Ok(Json(ComplaintOut::new(&c, None, full)))
}

/// An organization's complaint record: the counts and its complaints with their
/// outcomes, newest first — public, without the complainants' identity.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}/complaints",
    operation_id = "organization_complaints",
    tag = "complaints",
    params(("id" = Uuid, Path, description = "Organization id"), ("cursor" = Option<String>, Query, description = "Where the page starts: the `next` or `prev` of a page read before (opaque); takes precedence over `page`"), ("page" = Option<u32>, Query, description = "1-based page within the first 10,000 (past them, follow `next`)"), ("per_page" = Option<u32>, Query, description = "1–100 (default 20)")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The public record", body = PublicRecordOut),
        BadToken,
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 422, description = "A bad `cursor`, `page` or `per_page`, named", body = ErrorBody),
    )
)]
pub async fn public_record(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    RecordId(id): RecordId,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> Result<Json<PublicRecordOut>, AppError> {
    s.store.organization(id).await?.ok_or(AppError::NotFound)?;
    let mut e = shuniu_domain::FieldErrors::new();
    let paging = crate::kit::paging::asked(&mut e, &q.cursor, &q.page, &q.per_page, (20, 100));
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let facts = s.store.complaint_facts(id).await?;
    let (at, number) = paging.position();
    let p = s
        .store
        .public_complaints_keyset(id, at, paging.per_page)
        .await?;
    Ok(Json(PublicRecordOut {
        facts: facts.into(),
        items: p.items.iter().map(PublicOut::from).collect(),
        paging: PageInfo::of(&p, number),
    }))
}
