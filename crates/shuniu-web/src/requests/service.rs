//! Resident requests, shared by pages and API: submission without an account
//! (throttled per source), the private link, who dispatches and who is assigned
//! (`domain::requests::may_dispatch` / `is_assignee`), the queues, the transitions.
//! A request is `404` to whoever is neither its dispatcher nor its assignee: its
//! existence, and the resident's phone, are theirs only.

use rand::RngCore;
use serde::Deserialize;
use shuniu_domain::access::Role;
use shuniu_domain::requests::{
    RatingDraft, ReasonDraft, RequestDraft, RequestPlace, RequestState, TimeLimits, Transition,
    is_assignee, is_token, may_dispatch, sees_phone, token_hash, token_text,
};
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::KeyPage;
use shuniu_store::requests::{RequestFilter, RequestListing, ResidentRequest, TransitionInput};
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::params::{choice_error, given};
use crate::{AppError, AppState};

/// The time limits in force (settings; the defaults: 24 h to assign, 24 h to accept,
/// 72 h to complete).
pub fn limits(s: &AppState) -> TimeLimits {
    s.requests
}

/// A new request, and the private link's token (shown once, never stored).
pub struct Submitted {
    pub request: ResidentRequest,
    pub token: String,
}

/// Submits a resident's request: no account needed; at most a few per source an hour.
pub async fn submit(
    s: &AppState,
    caller: &Caller,
    draft: &RequestDraft,
    found: FieldErrors,
) -> Result<Submitted, AppError> {
    let d = found
        .or_parsed(draft.validate())
        .map_err(AppError::Validation)?;
    s.admit_submission(&caller.source)?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = token_text(&bytes);
    let request = s
        .store
        .submit_request(
            &d,
            &token_hash(&token),
            &limits(s),
            chrono::Utc::now(),
            caller.ctx(),
        )
        .await?;
    Ok(Submitted { request, token })
}

/// The request of a private link (`404` for a malformed or unknown token).
pub async fn by_token(s: &AppState, token: &str) -> Result<ResidentRequest, AppError> {
    if !is_token(token) {
        return Err(AppError::NotFound);
    }
    let r = s
        .store
        .request_by_token_hash(&token_hash(token))
        .await?
        .ok_or(AppError::NotFound)?;
    // Looked up by hash; compared again in constant time.
    let stored = s.store.request_token_hash(r.id).await?.unwrap_or_default();
    if !shuniu_domain::requests::token_matches(&stored, token) {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

/// The resident confirms and rates through the private link.
pub async fn confirm(
    s: &AppState,
    caller: &Caller,
    token: &str,
    draft: &RatingDraft,
    found: FieldErrors,
) -> Result<ResidentRequest, AppError> {
    let r = by_token(s, token).await?;
    let rating = found
        .or_parsed(draft.validate(r.state))
        .map_err(AppError::Validation)?;
    let input = TransitionInput {
        rating: Some(rating),
        ..Default::default()
    };
    let rated = s
        .store
        .transition_request(
            r.id,
            Transition::Confirm,
            &input,
            &limits(s),
            chrono::Utc::now(),
            caller.ctx(),
        )
        .await?;
    // A rating counts towards the organization's credibility.
    if let Some(org) = rated.assigned_org {
        s.refresh_credibility(org).await;
    }
    Ok(rated)
}

/// What a signed-in caller is to a request.
pub struct Standing {
    pub dispatcher: bool,
    pub assignee: bool,
}

impl Standing {
    pub fn sees_phone(&self) -> bool {
        self.dispatcher || self.assignee
    }
}

/// A request as this caller may see it: its dispatcher or its assignee; `Login` for
/// anonymous callers, `Hidden` (404) for anyone else.
pub async fn visible(
    s: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<(ResidentRequest, Standing), AppError> {
    if caller.user.is_none() {
        return Err(AppError::Unauthenticated);
    }
    let r = s.store.request(id).await?.ok_or(AppError::NotFound)?;
    let hub = s.store.street_hub_organization(&r.street_path).await?;
    let place = RequestPlace {
        community_path: &r.community_path,
        street_path: &r.street_path,
        street_hub: hub,
        assigned: r.assigned_org,
    };
    let actor = caller.actor();
    let st = Standing {
        dispatcher: may_dispatch(actor.as_ref(), &place),
        assignee: is_assignee(actor.as_ref(), &place),
    };
    debug_assert_eq!(st.sees_phone(), sees_phone(actor.as_ref(), &place));
    if !st.sees_phone() {
        return Err(AppError::Hidden);
    }
    Ok((r, st))
}

/// Whose queue a caller opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every request (administrators).
    All,
    /// The requests of the streets under a path (officials, a street hub's staff).
    Streets(String),
    /// The requests assigned to an organization (its members).
    Organization(Uuid),
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

/// Whether the caller has a queue (the navigation's link and the desk's panel).
pub fn has_queue(caller: &Caller) -> bool {
    caller
        .user
        .as_ref()
        .is_some_and(|u| u.role != Role::Expert)
}

/// A queue's filters and paging, as sent.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// A state: `submitted`, `assigned`, `accepted`, `declined`, `completed`, `confirmed`, `cancelled`, `closed`.
    pub state: Option<String>,
    /// `1`: only requests past their time limit.
    pub overdue: Option<String>,
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

pub const QUEUE_QUERY: [&str; 5] = ["state", "overdue", "cursor", "page", "per_page"];

/// One page of the caller's queue, newest first, by cursor (or by a number within the
/// first 10,000), and the page's number when it has one.
pub async fn queue(
    s: &AppState,
    caller: &Caller,
    q: &QueueQuery,
) -> Result<(KeyPage<RequestListing>, Option<u32>), AppError> {
    let scope = scope(s, caller).await?;
    let mut e = FieldErrors::new();
    let state = match given(&q.state) {
        None => None,
        Some(v) => RequestState::parse(v).or_else(|| {
            let all: Vec<&str> = RequestState::ALL.iter().map(|x| x.as_str()).collect();
            e.add("state", choice_error(&all));
            None
        }),
    };
    let overdue = match given(&q.overdue) {
        None | Some("0") => false,
        Some("1") => true,
        Some(_) => {
            e.add("overdue", choice_error(&["0", "1"]));
            false
        }
    };
    let paging = crate::kit::paging::asked(&mut e, &q.cursor, &q.page, &q.per_page, (20, 200));
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let mut f = RequestFilter {
        state,
        overdue_at: overdue.then(chrono::Utc::now),
        ..Default::default()
    };
    match scope {
        Scope::All => {}
        Scope::Streets(p) => f.street_path = Some(p),
        Scope::Organization(o) => f.organization_id = Some(o),
    }
    let (at, number) = paging.position();
    let page = s.store.request_queue_keyset(&f, at, paging.per_page).await?;
    Ok((page, number))
}

/// A transition as sent by a dispatcher or an organization.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionDraft {
    pub action: Option<String>,
    pub organization_id: Option<String>,
    pub reason: Option<String>,
}

pub const ACTION_FIELDS: [&str; 3] = ["action", "organization_id", "reason"];

/// Moves a request: assign, cancel and close are the dispatcher's; accept, decline
/// and complete the assignee's. A second click or a race is a `409`.
pub async fn act(
    s: &AppState,
    caller: &Caller,
    id: Uuid,
    d: &ActionDraft,
    found: FieldErrors,
) -> Result<ResidentRequest, AppError> {
    let (r, st) = visible(s, caller, id).await?;
    let mut e = found;
    let allowed = [
        Transition::Assign,
        Transition::Accept,
        Transition::Decline,
        Transition::Complete,
        Transition::Cancel,
        Transition::Close,
    ];
    let t = match given(&d.action).and_then(Transition::parse) {
        Some(t) if allowed.contains(&t) => Some(t),
        _ => {
            let codes: Vec<&str> = allowed.iter().map(|t| t.as_str()).collect();
            e.add("action", choice_error(&codes));
            None
        }
    };
    let reason_draft = ReasonDraft {
        reason: d.reason.clone(),
    };
    let reason = match reason_draft.validate(t.is_some_and(Transition::needs_reason)) {
        Ok(r) => r,
        Err(f) => {
            e.absorb(f);
            String::new()
        }
    };
    let org_given = match given(&d.organization_id) {
        None => None,
        Some(v) => match Uuid::parse_str(v) {
            Ok(u) => Some(u),
            Err(_) => {
                e.add("organization_id", FieldError::unknown_organization());
                None
            }
        },
    };
    if t == Some(Transition::Assign) && org_given.is_none() && e.get("organization_id").is_none()
    {
        e.add("organization_id", FieldError::required());
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let t = t.expect("checked above");
    let organization_id = match t {
        Transition::Assign | Transition::Cancel | Transition::Close => {
            if !st.dispatcher {
                return Err(AppError::Forbidden);
            }
            if t == Transition::Assign { org_given } else { None }
        }
        _ => {
            if !st.assignee {
                return Err(AppError::Forbidden);
            }
            r.assigned_org
        }
    };
    let input = TransitionInput {
        organization_id,
        reason,
        rating: None,
    };
    let moved = s
        .store
        .transition_request(r.id, t, &input, &limits(s), chrono::Utc::now(), caller.ctx())
        .await?;
    // A completed request counts in the complaints part's service record.
    if t == Transition::Complete
        && let Some(org) = moved.assigned_org
    {
        s.refresh_credibility(org).await;
    }
    Ok(moved)
}
