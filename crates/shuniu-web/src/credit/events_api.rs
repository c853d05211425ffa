//! Credit events API: the events recorded about an organization (public), recording one
//! (the registration authority's official), removing a listing on application.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shuniu_domain::FieldErrors;
use shuniu_domain::supervision::credit::EventKind;
use shuniu_domain::supervision::events::{EVENT_FIELDS, EventCode, EventDraft};
use shuniu_store::supervision::events::StoredEvent;
use utoipa::ToSchema;
use uuid::Uuid;

use super::api::CreditListingRecord;
use super::events;
use crate::kit::api::access::{ApiAccount, ApiCaller, note_denial};
use crate::kit::api::error::ErrorBody;
use crate::kit::api::input::{self, Mode};
use crate::kit::api::responses::{BadToken, NeedsToken};
use crate::kit::extract::RecordId;
use crate::kit::routes::Routes;
use crate::{AppError, AppState};

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/organizations/{id}/credit-events", list)
        .post("/api/v1/organizations/{id}/credit-events", record)
        .post("/api/v1/credit-listings/{id}/removal", remove)
}

/// One recorded event.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreditEventRecord {
    pub id: Uuid,
    /// `warning`, `fine`, `suspend_order`, `revocation`, `court_dishonest_debtor`,
    /// `false_change_revoked`, `correction_ordered`, `correction_done`, `unreachable`,
    /// `reachable`, `party_org_missing`, `party_org_set_up`.
    #[schema(example = "fine")]
    pub kind: String,
    pub occurred_on: NaiveDate,
    /// A fine's amount in fen.
    pub amount_fen: Option<i64>,
    /// A correction order's deadline.
    pub due_on: Option<NaiveDate>,
    /// The correction order a `correction_done` answers.
    pub refers_to: Option<Uuid>,
    /// Document number and what happened.
    pub note: String,
}

impl From<&StoredEvent> for CreditEventRecord {
    fn from(e: &StoredEvent) -> Self {
        let (amount_fen, due_on, refers_to) = match &e.kind {
            EventKind::Fine { amount } => (Some(amount.0), None, None),
            EventKind::CorrectionOrdered { due } => (None, Some(*due), None),
            EventKind::CorrectionDone { order } => (None, None, Some(*order)),
            _ => (None, None, None),
        };
        CreditEventRecord {
            id: e.id,
            kind: EventCode::of(&e.kind).as_str().into(),
            occurred_on: e.on,
            amount_fen,
            due_on,
            refers_to,
            note: e.note.clone(),
        }
    }
}

/// An event as an official records it. Dates are `YYYY-MM-DD`; `amount` is in yuan
/// (a fine only), `due_on` for a correction order only, `refers_to` (the order's id)
/// for corrections done only.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreditEventCreate {
    #[schema(example = "fine")]
    pub kind: String,
    #[schema(example = "2026-11-02")]
    pub occurred_on: String,
    #[schema(example = "60000")]
    pub amount: Option<String>,
    pub due_on: Option<String>,
    pub refers_to: Option<String>,
    #[schema(example = "玄民罚字〔2026〕3号")]
    pub note: String,
}

/// The events and the organization's listings after recording one.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreditEventRecorded {
    pub event: CreditEventRecord,
    /// Every listing of the organization (newest first), as the event left them.
    pub listings: Vec<CreditListingRecord>,
}

/// Why a listing is removed.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ListingRemoval {
    #[schema(example = "已补报2025年度工作报告")]
    pub reason: String,
}

/// This part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list, record, remove),
    components(schemas(CreditEventRecord, CreditEventCreate, CreditEventRecorded, ListingRemoval))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

/// Events recorded about an organization, newest first (public: penalties and findings
/// are published with the lists they cause).
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}/credit-events",
    operation_id = "list_credit_events",
    tag = "credit",
    params(("id" = Uuid, Path, description = "Organization id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The organization's events", body = [CreditEventRecord]),
        BadToken,
        (status = 404, description = "No such organization", body = ErrorBody),
    )
)]
pub async fn list(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Vec<CreditEventRecord>>, AppError> {
    let events = events::events_of(&s, id).await?;
    Ok(Json(events.iter().map(CreditEventRecord::from).collect()))
}

fn event_draft(body: &serde_json::Map<String, serde_json::Value>) -> (EventDraft, FieldErrors) {
    let mut e = FieldErrors::new();
    input::unknown_fields(&mut e, body, &EVENT_FIELDS);
    let mut field = |name: &str| {
        body.get(name)
            .and_then(|v| input::text(&mut e, name, v, Mode::Create))
    };
    let d = EventDraft {
        kind: field("kind"),
        occurred_on: field("occurred_on"),
        amount: field("amount"),
        due_on: field("due_on"),
        refers_to: field("refers_to"),
        note: field("note"),
    };
    (d, e)
}

/// Records an event; the credit rules apply at once (a fine of ¥50,000 or more lists
/// the organization on the serious list, a correction order not done on time on the
/// abnormal list …). Only the registration authority's official.
#[utoipa::path(
    post,
    path = "/api/v1/organizations/{id}/credit-events",
    operation_id = "record_credit_event",
    tag = "credit",
    params(("id" = Uuid, Path, description = "Organization id")),
    request_body = CreditEventCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded, with the listings it left", body = CreditEventRecorded),
        NeedsToken,
        (status = 403, description = "Not the registration authority's official", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written", body = ErrorBody),
    )
)]
pub async fn record(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Response, AppError> {
    let (draft, found) = match input::object(&body) {
        Ok(b) => event_draft(&b),
        Err(e) => (EventDraft::default(), e),
    };
    let r = events::record(&s, &caller, id, &draft, found).await;
    let event_id = note_denial(&s, &caller, "credit.event", format!("organization:{id}"), r).await?;
    let org = crate::registry::get(&s.store, id).await?;
    let path = crate::registry::path_of(&s.store, &org).await?;
    let event = s
        .store
        .credit_events_of(id)
        .await?
        .into_iter()
        .find(|e| e.id == event_id)
        .ok_or(AppError::NotFound)?;
    let mut listings = s.store.credit_listings_of(id).await?;
    listings.reverse();
    Ok(crate::kit::api::created(
        format!("/api/v1/organizations/{id}/credit-events"),
        CreditEventRecorded {
            event: CreditEventRecord::from(&event),
            listings: listings
                .iter()
                .map(|l| CreditListingRecord::new(l, org.data.name.clone(), &path))
                .collect(),
        },
    ))
}

/// Removes a listing on the organization's application: the abnormal list once its
/// cause is put right, the serious list after two years without a new event. Only the
/// registration authority's official; the reason is published with the removal.
#[utoipa::path(
    post,
    path = "/api/v1/credit-listings/{id}/removal",
    operation_id = "remove_credit_listing",
    tag = "credit",
    params(("id" = Uuid, Path, description = "Listing id")),
    request_body = ListingRemoval,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The listing as removed", body = CreditListingRecord),
        NeedsToken,
        (status = 403, description = "Not the registration authority's official", body = ErrorBody),
        (status = 404, description = "No such listing", body = ErrorBody),
        (status = 409, description = "Removed meanwhile", body = ErrorBody),
        (status = 422, description = "No reason, or the removal is not yet due (named on `listing`); nothing was written", body = ErrorBody),
    )
)]
pub async fn remove(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<CreditListingRecord>, AppError> {
    let (reason, found) = match input::object(&body) {
        Ok(b) => {
            let mut e = FieldErrors::new();
            input::unknown_fields(&mut e, &b, &["reason"]);
            let reason = b
                .get("reason")
                .and_then(|v| input::text(&mut e, "reason", v, Mode::Create));
            (reason, e)
        }
        Err(e) => (None, e),
    };
    let r = events::remove(&s, &caller, id, reason.as_deref(), found).await;
    let l = note_denial(&s, &caller, "credit.remove", format!("credit_listing:{id}"), r).await?;
    let org = crate::registry::get(&s.store, l.organization_id).await?;
    let path = crate::registry::path_of(&s.store, &org).await?;
    Ok(Json(CreditListingRecord::new(&l, org.data.name.clone(), &path)))
}
