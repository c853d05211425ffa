//! Resident requests API: submitting and tracking without an account (the private
//! token), the dispatcher's and the organization's queues, a request with its
//! candidates, and its transitions. The resident's phone is in full only for the
//! dispatcher and the assigned organization; a request is `404` to everyone else.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shuniu_domain::requests::{RatingDraft, RequestDraft};
use shuniu_store::requests::{RequestEvent, RequestListing, ResidentRequest};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::kit::paging::PageInfo;
use crate::kit::api::access::{ApiAccount, ApiCaller, note_denial};
use crate::kit::api::error::ErrorBody;
use crate::kit::api::input;
use crate::kit::api::responses::{BadToken, NeedsToken};
use crate::kit::extract::{ApiQuery, RecordId};
use crate::kit::params::number;
use crate::kit::routes::Routes;
use crate::requests::service::{self, ActionDraft, QueueQuery};
use crate::{AppError, AppState};

pub fn routes() -> Routes {
    Routes::new()
        .post("/api/v1/requests", submit)
        .get("/api/v1/requests", queue)
        .get("/api/v1/requests/track/{token}", track)
        .post("/api/v1/requests/track/{token}/confirm", confirm)
        .get("/api/v1/requests/{id}", get)
        .get("/api/v1/requests/{id}/candidates", candidates)
        .post("/api/v1/requests/{id}/actions", act)
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(submit, queue, track, confirm, get, candidates, act),
    components(schemas(RequestOut, RequestPage, SubmittedOut, SubmitInput, RatingInput, ActionInput, CandidateOut, CandidatePageOut, HistoryOut, TrackOut)),
    tags((name = "requests", description = "Resident requests 居民求助: submitted without an account, dispatched by the street hub, rated through a private link"))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

/// A request as its dispatcher or assigned organization reads it (phone in full).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RequestOut {
    pub id: Uuid,
    #[schema(example = "QZ-320102-2026-000123")]
    pub number: String,
    #[schema(example = "elderly")]
    pub category: String,
    pub community: String,
    pub community_name: Option<String>,
    pub description: String,
    /// In full for the dispatcher and the assigned organization.
    pub phone: String,
    pub state: String,
    pub overdue: bool,
    pub assigned_organization_id: Option<Uuid>,
    pub assigned_organization_name: Option<String>,
    pub rating: Option<u8>,
    pub rating_comment: Option<String>,
    pub created_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
}

impl RequestOut {
    pub fn new(s: &AppState, r: &ResidentRequest, names: Option<(&str, Option<&str>)>) -> Self {
        RequestOut {
            id: r.id,
            number: r.number.clone(),
            category: r.data.category.as_str().into(),
            community: r.data.community.to_string(),
            community_name: names.map(|n| n.0.to_string()),
            description: r.data.description.clone(),
            phone: r.data.phone.to_string(),
            state: r.state.as_str().into(),
            overdue: service::limits(s).overdue(r.state, r.state_since, Utc::now()),
            assigned_organization_id: r.assigned_org,
            assigned_organization_name: names.and_then(|n| n.1.map(str::to_string)),
            rating: r.rating,
            rating_comment: r.rating_comment.clone(),
            created_at: r.created_at,
            due_at: r.due_at,
        }
    }
    fn of(s: &AppState, l: &RequestListing) -> Self {
        RequestOut::new(
            s,
            &l.request,
            Some((&l.community_name_zh, l.assigned_name.as_deref())),
        )
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RequestPage {
    pub items: Vec<RequestOut>,
    #[serde(flatten)]
    pub paging: PageInfo,
}

/// A new request: its number and the private token (shown once; keep it).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SubmittedOut {
    pub number: String,
    pub token: String,
    #[schema(example = "/requests/track/…")]
    pub track_url: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SubmitInput {
    #[schema(example = "elderly")]
    pub category: String,
    /// A community's 12-digit code.
    #[schema(example = "320102002001")]
    pub community: String,
    pub description: String,
    #[schema(example = "13800138000")]
    pub phone: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RatingInput {
    /// 1–5.
    #[schema(example = "5")]
    pub rating: String,
    pub comment: Option<String>,
}

/// `assign` (give `organization_id`), `cancel`, `close` (the dispatcher's, with a
/// `reason`); `accept`, `decline` (with a `reason`), `complete` (the assignee's).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ActionInput {
    #[schema(example = "assign")]
    pub action: String,
    pub organization_id: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CandidateOut {
    pub organization_id: Uuid,
    pub name: String,
    pub score: i64,
    /// The organization's stored credibility score (0–100), if computed; it weighs in
    /// the ranking (see `GET /api/v1/organizations/{id}/credibility` for its parts).
    pub credibility: Option<u8>,
    /// Reason codes: `offers_category`, `same_community`, `same_street`, `same_district`, `has_capacity`, `high_credibility`, `fair_credibility`, `low_credibility`, `good_grade`, `rated`, `busy`, `abnormal_list`.
    pub reasons: Vec<String>,
    pub reasons_text: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CandidatePageOut {
    pub items: Vec<CandidateOut>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HistoryOut {
    pub action: String,
    pub organization_name: Option<String>,
    pub reason: String,
    pub at: DateTime<Utc>,
}

impl HistoryOut {
    pub fn new(e: &RequestEvent) -> Self {
        HistoryOut {
            action: e.transition.clone(),
            organization_name: e.organization_name.clone(),
            reason: e.reason.clone(),
            at: e.at,
        }
    }
}

/// What the resident reads through the private link: the phone masked.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TrackOut {
    pub number: String,
    pub category: String,
    pub description: String,
    #[schema(example = "138****8000")]
    pub phone_masked: String,
    pub state: String,
    pub rating: Option<u8>,
    pub rating_comment: Option<String>,
    pub created_at: DateTime<Utc>,
    pub history: Vec<HistoryOut>,
}

/// Submit a request: no account needed. At most 10 an hour from one address.
#[utoipa::path(
    post,
    path = "/api/v1/requests",
    operation_id = "submit_request",
    tag = "requests",
    request_body = SubmitInput,
    security((), ("bearer" = [])),
    responses(
        (status = 201, description = "Stored: its number and the private link", body = SubmittedOut),
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
    let ([category, community, description, phone], found) =
        input::texts(&body, ["category", "community", "description", "phone"]);
    let d = RequestDraft {
        category,
        community,
        description,
        phone,
    };
    let r = service::submit(&s, &caller, &d, found).await?;
    let url = format!("/requests/track/{}", r.token);
    Ok(crate::kit::api::created(
        format!("/api/v1/requests/track/{}", r.token),
        SubmittedOut {
            number: r.request.number,
            token: r.token,
            track_url: url,
        },
    ))
}

/// The caller's queue: a street hub's staff and officials see their streets',
/// an organization's members the requests assigned to it.
#[utoipa::path(
    get,
    path = "/api/v1/requests",
    operation_id = "list_requests",
    tag = "requests",
    params(QueueQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of the queue", body = RequestPage),
        NeedsToken,
        (status = 403, description = "The caller has no queue (experts)", body = ErrorBody),
        (status = 422, description = "A bad query parameter, named: a `cursor` not of this list, a `page` past the first 10,000 (follow `next`)", body = ErrorBody),
    )
)]
pub async fn queue(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> Result<Json<RequestPage>, AppError> {
    let r = service::queue(&s, &caller, &q).await;
    let (p, number) = note_denial(&s, &caller, "request.queue", "requests".into(), r).await?;
    Ok(Json(RequestPage {
        items: p.items.iter().map(|l| RequestOut::of(&s, l)).collect(),
        paging: PageInfo::of(&p, number),
    }))
}

/// A request through its private link: status and history, the phone masked.
#[utoipa::path(
    get,
    path = "/api/v1/requests/track/{token}",
    operation_id = "track_request",
    tag = "requests",
    params(("token" = String, Path, description = "The private token")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The request as the resident reads it", body = TrackOut),
        BadToken,
        (status = 404, description = "No request has this token", body = ErrorBody),
    )
)]
pub async fn track(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    Path(token): Path<String>,
) -> Result<Json<TrackOut>, AppError> {
    let r = service::by_token(&s, &token).await?;
    Ok(Json(track_out(&s, &r).await?))
}

async fn track_out(s: &AppState, r: &ResidentRequest) -> Result<TrackOut, AppError> {
    let history = s.store.request_events(r.id).await?;
    Ok(TrackOut {
        number: r.number.clone(),
        category: r.data.category.as_str().into(),
        description: r.data.description.clone(),
        phone_masked: r.data.phone.masked(),
        state: r.state.as_str().into(),
        rating: r.rating,
        rating_comment: r.rating_comment.clone(),
        created_at: r.created_at,
        history: history.iter().map(HistoryOut::new).collect(),
    })
}

/// The resident confirms the service and rates it 1–5 (only once it is completed).
#[utoipa::path(
    post,
    path = "/api/v1/requests/track/{token}/confirm",
    operation_id = "confirm_request",
    tag = "requests",
    params(("token" = String, Path, description = "The private token")),
    request_body = RatingInput,
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Confirmed and rated", body = TrackOut),
        BadToken,
        (status = 404, description = "No request has this token", body = ErrorBody),
        (status = 409, description = "Rated already (a second click)", body = ErrorBody),
        (status = 422, description = "A bad rating, or the request is not completed", body = ErrorBody),
    )
)]
pub async fn confirm(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Json<TrackOut>, AppError> {
    let ([rating, comment], found) = input::texts(&body, ["rating", "comment"]);
    let r = service::confirm(&s, &caller, &token, &RatingDraft { rating, comment }, found).await?;
    Ok(Json(track_out(&s, &r).await?))
}

/// A request, for its dispatcher or its assigned organization (phone in full).
#[utoipa::path(
    get,
    path = "/api/v1/requests/{id}",
    operation_id = "get_request",
    tag = "requests",
    params(("id" = Uuid, Path, description = "Request id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The request", body = RequestOut),
        NeedsToken,
        (status = 403, description = "Not the caller's to read", body = ErrorBody),
        (status = 404, description = "No such request, or not the caller's to see", body = ErrorBody),
    )
)]
pub async fn get(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
) -> Result<Json<RequestOut>, AppError> {
    let r = service::visible(&s, &caller, id).await;
    let (r, _) = note_denial(&s, &caller, "request.read", format!("request:{id}"), r).await?;
    Ok(Json(RequestOut::new(&s, &r, None)))
}

/// The candidates for a request, best first, each with its reasons (the dispatcher's).
#[utoipa::path(
    get,
    path = "/api/v1/requests/{id}/candidates",
    operation_id = "request_candidates",
    tag = "requests",
    params(("id" = Uuid, Path, description = "Request id"), ("page" = Option<u32>, Query, description = "1-based page"), ("per_page" = Option<u32>, Query, description = "1–100 (default 20)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Ranked candidates", body = CandidatePageOut),
        NeedsToken,
        (status = 403, description = "The assigned organization does not dispatch", body = ErrorBody),
        (status = 404, description = "No such request, or not the caller's to see", body = ErrorBody),
        (status = 422, description = "A bad `page` or `per_page`, named", body = ErrorBody),
    )
)]
pub async fn candidates(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> Result<Json<CandidatePageOut>, AppError> {
    let r = service::visible(&s, &caller, id).await;
    let (r, st) = note_denial(&s, &caller, "request.read", format!("request:{id}"), r).await?;
    if !st.dispatcher {
        return Err(AppError::Forbidden);
    }
    let mut e = shuniu_domain::FieldErrors::new();
    let page = number(&mut e, "page", &q.page, 1, 1_000_000);
    let per_page = number(&mut e, "per_page", &q.per_page, 20, 100);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let p = s.store.request_candidates(&r, page, per_page).await?;
    let lang = shuniu_domain::Lang::Zh;
    Ok(Json(CandidatePageOut {
        items: p
            .items
            .iter()
            .map(|c| CandidateOut {
                organization_id: c.facts.organization_id,
                name: c.facts.name.clone(),
                score: c.score,
                credibility: c.facts.credibility,
                reasons: c.reasons.iter().map(|x| x.as_str().to_string()).collect(),
                reasons_text: c.reasons.iter().map(|x| x.label(lang).to_string()).collect(),
            })
            .collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Move a request: the dispatcher assigns, cancels or closes; the assigned
/// organization accepts, declines (with a reason) or completes.
#[utoipa::path(
    post,
    path = "/api/v1/requests/{id}/actions",
    operation_id = "act_on_request",
    tag = "requests",
    params(("id" = Uuid, Path, description = "Request id")),
    request_body = ActionInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The request after the action", body = RequestOut),
        NeedsToken,
        (status = 403, description = "Not this caller's action on the request", body = ErrorBody),
        (status = 404, description = "No such request, or not the caller's to see", body = ErrorBody),
        (status = 409, description = "The request's state does not allow it (a second click, a race)", body = ErrorBody),
        (status = 422, description = "Every bad field named", body = ErrorBody),
    )
)]
pub async fn act(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<RequestOut>, AppError> {
    let ([action, organization_id, reason], found) =
        input::texts(&body, ["action", "organization_id", "reason"]);
    let d = ActionDraft {
        action,
        organization_id,
        reason,
    };
    let r = service::act(&s, &caller, id, &d, found).await;
    let r = note_denial(&s, &caller, "request.act", format!("request:{id}"), r).await?;
    Ok(Json(RequestOut::new(&s, &r, None)))
}
