//! Residents' complaints, shared by pages and API: filing without an account (the
//! phone given, or verified by the request's private link; throttled per source like
//! requests), the private link, who reads, answers and decides
//! (`domain::complaints::may_read` / `is_respondent` / `may_decide`), who sees the
//! phone (`sees_phone`: the street official and the street hub's dispatcher only), the
//! queues (escalating overdue complaints as the official's is read) and the moves.

use rand::RngCore;
use serde::Deserialize;
use shuniu_domain::access::Role;
use shuniu_domain::complaints::{
    ComplaintAction, ComplaintDraft, ComplaintPlace, ComplaintSettings, ComplaintState,
    DecisionDraft, ResponseDraft, is_respondent, may_decide, may_read, nobody_to_complain_about,
    sees_phone,
};
use shuniu_domain::requests::{is_token, token_hash, token_matches, token_text};
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::KeyPage;
use shuniu_store::complaints::{
    Against, Complaint, ComplaintFilter, ComplaintListing, ComplaintStep,
};
use shuniu_store::requests::ResidentRequest;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::params::{choice_error, given};
use crate::{AppError, AppState};

/// The settings in force (the first-response limit, 3 working days by default).
pub fn settings(s: &AppState) -> ComplaintSettings {
    s.complaints
}

/// A new complaint, and the private link's token (shown once, never stored).
pub struct Filed {
    pub complaint: Complaint,
    pub token: String,
}

async fn file(
    s: &AppState,
    caller: &Caller,
    against: Against,
    d: &shuniu_domain::complaints::ComplaintData,
) -> Result<Filed, AppError> {
    s.admit_submission(&caller.source)?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = token_text(&bytes);
    let complaint = s
        .store
        .submit_complaint(
            against,
            d,
            &token_hash(&token),
            &settings(s),
            chrono::Utc::now(),
            caller.ctx(),
        )
        .await?;
    // A complaint, its first response and its outcome are facts of the score.
    s.refresh_credibility(complaint.organization_id).await;
    Ok(Filed { complaint, token })
}

/// Parses the organization a complaint names (`organization_id`, or `org` in a link).
pub fn organization_field(e: &mut FieldErrors, v: &Option<String>) -> Option<Uuid> {
    match given(v) {
        None => {
            e.add("organization_id", FieldError::required());
            None
        }
        Some(x) => Uuid::parse_str(x).ok().or_else(|| {
            e.add("organization_id", FieldError::unknown_organization());
            None
        }),
    }
}

/// Files a complaint against an organization: no account needed; the phone is given.
pub async fn submit(
    s: &AppState,
    caller: &Caller,
    organization: &Option<String>,
    draft: &ComplaintDraft,
    found: FieldErrors,
) -> Result<Filed, AppError> {
    let mut e = found;
    let org = organization_field(&mut e, organization);
    let d = e.or_parsed(draft.validate(None)).map_err(AppError::Validation)?;
    let org = org.expect("no field error: parsed");
    file(s, caller, Against::Organization(org), &d).await
}

/// The request of a private link (`404` for a malformed or unknown token).
pub async fn request_by_token(s: &AppState, token: &str) -> Result<ResidentRequest, AppError> {
    if !is_token(token) {
        return Err(AppError::NotFound);
    }
    let r = s
        .store
        .request_by_token_hash(&token_hash(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let stored = s.store.request_token_hash(r.id).await?.unwrap_or_default();
    if !token_matches(&stored, token) {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

/// The organization a request's complaint is about (the one that handled it), or a
/// field error when none ever did.
pub async fn handler_of(s: &AppState, r: &ResidentRequest) -> Result<Uuid, AppError> {
    s.store.request_handler(r.id).await?.ok_or_else(|| {
        AppError::Validation(FieldErrors::single(
            "organization_id",
            nobody_to_complain_about(),
        ))
    })
}

/// Files a complaint through a request's private link: the phone is the request's
/// (verified by the link), the organization the one that handled it.
pub async fn submit_about_request(
    s: &AppState,
    caller: &Caller,
    token: &str,
    draft: &ComplaintDraft,
    found: FieldErrors,
) -> Result<Filed, AppError> {
    let r = request_by_token(s, token).await?;
    let d = found
        .or_parsed(draft.validate(Some(&r.data.phone)))
        .map_err(AppError::Validation)?;
    let org = handler_of(s, &r).await?;
    file(
        s,
        caller,
        Against::Request {
            request_id: r.id,
            organization_id: org,
        },
        &d,
    )
    .await
}

/// The complaint of a private link (`404` for a malformed or unknown token).
pub async fn by_token(s: &AppState, token: &str) -> Result<Complaint, AppError> {
    if !is_token(token) {
        return Err(AppError::NotFound);
    }
    let c = s
        .store
        .complaint_by_token_hash(&token_hash(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let stored = s.store.complaint_token_hash(c.id).await?.unwrap_or_default();
    if !token_matches(&stored, token) {
        return Err(AppError::NotFound);
    }
    Ok(c)
}

/// What a signed-in caller is to a complaint.
pub struct Standing {
    pub decides: bool,
    pub respondent: bool,
    pub sees_phone: bool,
}

/// A complaint as this caller may see it: `Login` for anonymous callers, `Hidden`
/// (404) for whoever neither handles it nor is complained about.
pub async fn visible(
    s: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<(Complaint, Standing), AppError> {
    if caller.user.is_none() {
        return Err(AppError::Unauthenticated);
    }
    let c = s.store.complaint(id).await?.ok_or(AppError::NotFound)?;
    let hub = s.store.street_hub_organization(&c.street_path).await?;
    let place = ComplaintPlace {
        handling_path: &c.street_path,
        street_hub: hub,
        organization_id: c.organization_id,
    };
    let actor = caller.actor();
    if !may_read(actor.as_ref(), &place) {
        return Err(AppError::Hidden);
    }
    let st = Standing {
        decides: may_decide(actor.as_ref(), &place),
        respondent: is_respondent(actor.as_ref(), &place),
        sees_phone: sees_phone(actor.as_ref(), &place),
    };
    Ok((c, st))
}

/// Whose queue a caller opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every complaint (administrators).
    All,
    /// The complaints handled in the streets under a path (officials, a street hub's
    /// staff), the phone in full.
    Streets(String),
    /// The complaints against an organization (its people), without the phone.
    Organization(Uuid),
}

impl Scope {
    /// Whether a row of the queue, a complaint against `organization_id`, may show
    /// the complainant's phone: a street's queue, read by its officials or its hub's
    /// staff — unless the hub is the organization complained about.
    pub fn sees_phone(&self, caller: &Caller, organization_id: Uuid) -> bool {
        matches!(self, Scope::Streets(_))
            && caller.user.as_ref().is_some_and(|u| {
                matches!(u.role, Role::Official | Role::HubStaff)
                    && u.organization_id != Some(organization_id)
            })
    }
}

/// The caller's queue: `Login` for anonymous callers, `Forbidden` for experts.
pub async fn scope(s: &AppState, caller: &Caller) -> Result<Scope, AppError> {
    let Some(u) = &caller.user else {
        return Err(AppError::Unauthenticated);
    };
    match u.role {
        Role::Admin => Ok(Scope::All),
        Role::Official => u
            .jurisdiction_path
            .clone()
            .map(Scope::Streets)
            .ok_or(AppError::Forbidden),
        Role::HubStaff | Role::OrgMember => {
            let org = u.organization_id.ok_or(AppError::Forbidden)?;
            if u.role == Role::HubStaff
                && let Some(street) = s.store.street_of_hub_organization(org).await?
            {
                return Ok(Scope::Streets(street));
            }
            Ok(Scope::Organization(org))
        }
        Role::Expert => Err(AppError::Forbidden),
    }
}

/// A queue's filters and paging, as sent.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// A state: `submitted`, `answered`, `resolved`, `closed`.
    pub state: Option<String>,
    /// `1`: only complaints unanswered past their first-response limit.
    pub overdue: Option<String>,
    /// `1`: only complaints escalated to the street.
    pub escalated: Option<String>,
    /// Where the page starts: the `next` or `prev` of a page read before (opaque).
    /// Takes precedence over `page`.
    #[param(value_type = Option<String>, max_length = 512)]
    pub cursor: Option<String>,
    /// 1-based page number within the first 10,000 (past them, follow `next`).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–200 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub per_page: Option<String>,
}

pub const QUEUE_QUERY: [&str; 6] = ["state", "overdue", "escalated", "cursor", "page", "per_page"];

fn flag(e: &mut FieldErrors, name: &str, v: &Option<String>) -> bool {
    match given(v) {
        None | Some("0") => false,
        Some("1") => true,
        Some(_) => {
            e.add(name, choice_error(&["0", "1"]));
            false
        }
    }
}

/// One page of the caller's queue, newest first, by cursor (or by a number within the
/// first 10,000), and the page's number when it has one. Reading a street's queue first
/// escalates what is overdue (the daily job does too), so the official never reads a
/// stale flag.
pub async fn queue(
    s: &AppState,
    caller: &Caller,
    q: &QueueQuery,
) -> Result<(Scope, KeyPage<ComplaintListing>, Option<u32>), AppError> {
    let scope = scope(s, caller).await?;
    let mut e = FieldErrors::new();
    let state = match given(&q.state) {
        None => None,
        Some(v) => ComplaintState::parse(v).or_else(|| {
            let all: Vec<&str> = ComplaintState::ALL.iter().map(|x| x.as_str()).collect();
            e.add("state", choice_error(&all));
            None
        }),
    };
    let overdue = flag(&mut e, "overdue", &q.overdue);
    let escalated = flag(&mut e, "escalated", &q.escalated);
    let paging = crate::kit::paging::asked(&mut e, &q.cursor, &q.page, &q.per_page, (20, 200));
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let now = chrono::Utc::now();
    if !matches!(scope, Scope::Organization(_)) {
        s.store
            .escalate_overdue_complaints(now, shuniu_store::WriteCtx::system("complaint queue"))
            .await?;
    }
    let mut f = ComplaintFilter {
        state,
        overdue_at: overdue.then_some(now),
        escalated,
        ..Default::default()
    };
    match &scope {
        Scope::All => {}
        Scope::Streets(p) => f.street_path = Some(p.clone()),
        Scope::Organization(o) => f.organization_id = Some(*o),
    }
    let (at, number) = paging.position();
    let page = s
        .store
        .complaint_queue_keyset(&f, at, paging.per_page)
        .await?;
    Ok((scope, page, number))
}

/// A move as sent: `answer` (the organization, with a `response`), `resolve` or
/// `close` (the official, with an `outcome` and its public `outcome_text`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionDraft {
    pub action: Option<String>,
    pub response: Option<String>,
    pub outcome: Option<String>,
    pub outcome_text: Option<String>,
}

pub const ACTION_FIELDS: [&str; 4] = ["action", "response", "outcome", "outcome_text"];

/// Moves a complaint. A second click or a race is a `409`.
pub async fn act(
    s: &AppState,
    caller: &Caller,
    id: Uuid,
    d: &ActionDraft,
    found: FieldErrors,
) -> Result<Complaint, AppError> {
    let (c, st) = visible(s, caller, id).await?;
    let mut e = found;
    let action = match given(&d.action).and_then(ComplaintAction::parse) {
        Some(a) => Some(a),
        None => {
            let codes: Vec<&str> = ComplaintAction::ALL.iter().map(|a| a.as_str()).collect();
            e.add("action", choice_error(&codes));
            None
        }
    };
    let step = match action {
        None => None,
        Some(ComplaintAction::Answer) => {
            let r = ResponseDraft {
                response: d.response.clone(),
            };
            match r.validate(ComplaintState::Submitted) {
                Ok(response) => Some(ComplaintStep::Answer {
                    organization_id: c.organization_id,
                    response,
                }),
                Err(f) => {
                    e.absorb(f);
                    None
                }
            }
        }
        Some(a) => {
            let dd = DecisionDraft {
                outcome: d.outcome.clone(),
                outcome_text: d.outcome_text.clone(),
            };
            match dd.validate() {
                Ok(decision) => Some(ComplaintStep::Decide {
                    action: a,
                    decision,
                }),
                Err(f) => {
                    e.absorb(f);
                    None
                }
            }
        }
    };
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let step = step.expect("checked above");
    let allowed = match &step {
        ComplaintStep::Answer { .. } => st.respondent,
        ComplaintStep::Decide { .. } => st.decides,
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let moved = s
        .store
        .act_on_complaint(c.id, &step, chrono::Utc::now(), caller.ctx())
        .await?;
    s.refresh_credibility(moved.organization_id).await;
    Ok(moved)
}
