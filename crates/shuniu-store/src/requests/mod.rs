//! Resident requests 居民求助 (issue 12, item 6): submitted without an account, numbered
//! per district and year by a database counter, dispatched by the street's hub, moved
//! through their states by conditional updates (`UPDATE … WHERE state IN (…)`), so a
//! double click or two dispatchers cannot both land. Every transition writes a history
//! row and an audit record in the same transaction. The resident's phone is stored in
//! full (the dispatcher and the assigned organization call back); who sees it is the
//! web's question, asked of `domain::requests::sees_phone`.

mod candidates;
mod transitions;

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;
use serde_json::json;
use shuniu_domain::FieldErrors;
use shuniu_domain::audit::Outcome;
use shuniu_domain::codes::Phone;
use shuniu_domain::jurisdiction::{JurisdictionCode, Level};
use shuniu_domain::registry::ServiceDomain;
use shuniu_domain::requests::{
    RequestData, RequestState, TimeLimits, Transition, not_a_community, request_number,
};
use uuid::Uuid;

use crate::audit::append_in_tx;
use crate::list_plans::QueueFilters;
use crate::paging::Key;
use crate::paging::keyset::ListQuery;
use crate::{Arg, At, KeyPage, Page, Paging, Result, Store, StoreError, WriteCtx, on_pool};

pub use candidates::CandidatePage;

/// A stored request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResidentRequest {
    pub id: Uuid,
    pub number: String,
    pub data: RequestData,
    pub community_path: String,
    pub street_path: String,
    pub state: RequestState,
    pub assigned_org: Option<Uuid>,
    pub rating: Option<u8>,
    pub rating_comment: Option<String>,
    pub created_at: DateTime<Utc>,
    pub state_since: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// A request with what a list shows beside it (one join).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestListing {
    pub request: ResidentRequest,
    pub community_name_zh: String,
    pub community_name_en: String,
    pub assigned_name: Option<String>,
}

/// One line of a request's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestEvent {
    pub transition: String,
    pub organization_id: Option<Uuid>,
    pub organization_name: Option<String>,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// A queue's filters.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    /// A jurisdiction path: requests of streets there and below (the dispatcher's).
    pub street_path: Option<String>,
    /// An organization's requests (assigned to it now).
    pub organization_id: Option<Uuid>,
    pub state: Option<RequestState>,
    /// Only open requests whose time limit has passed at this instant.
    pub overdue_at: Option<DateTime<Utc>>,
    pub page: u32,
    pub per_page: u32,
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: Uuid,
    number: String,
    category: String,
    community_code: String,
    community_path: String,
    street_path: String,
    description: String,
    phone: String,
    state: String,
    assigned_org: Option<Uuid>,
    rating: Option<i64>,
    rating_comment: Option<String>,
    created_at: DateTime<Utc>,
    state_since: DateTime<Utc>,
    due_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ListingRow {
    #[sqlx(flatten)]
    request: RequestRow,
    community_name_zh: String,
    community_name_en: String,
    assigned_name: Option<String>,
}

const COLUMNS: &str = "id, number, category, community_code, community_path, street_path, description, phone, \
    state, assigned_org, rating, rating_comment, created_at, state_since, due_at, updated_at";

pub(crate) fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("corrupt request row: {what}"))
}

impl TryFrom<RequestRow> for ResidentRequest {
    type Error = StoreError;
    fn try_from(r: RequestRow) -> Result<Self> {
        Ok(ResidentRequest {
            id: r.id,
            number: r.number,
            data: RequestData {
                category: ServiceDomain::parse(&r.category).ok_or_else(|| corrupt("category"))?,
                community: JurisdictionCode::parse(&r.community_code)
                    .map_err(|_| corrupt("community"))?,
                description: r.description,
                phone: Phone::parse(&r.phone).map_err(|_| corrupt("phone"))?,
            },
            community_path: r.community_path,
            street_path: r.street_path,
            state: RequestState::parse(&r.state).ok_or_else(|| corrupt("state"))?,
            assigned_org: r.assigned_org,
            rating: r
                .rating
                .map(|x| u8::try_from(x).map_err(|_| corrupt("rating")))
                .transpose()?,
            rating_comment: r.rating_comment,
            created_at: r.created_at,
            state_since: r.state_since,
            due_at: r.due_at,
            updated_at: r.updated_at,
        })
    }
}

impl TryFrom<ListingRow> for RequestListing {
    type Error = StoreError;
    fn try_from(r: ListingRow) -> Result<Self> {
        Ok(RequestListing {
            request: ResidentRequest::try_from(r.request)?,
            community_name_zh: r.community_name_zh,
            community_name_en: r.community_name_en,
            assigned_name: r.assigned_name,
        })
    }
}

fn listing_select() -> String {
    let cols = COLUMNS
        .split(", ")
        .map(|c| format!("r.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT {cols}, j.name_zh AS community_name_zh, j.name_en AS community_name_en, \
         o.name AS assigned_name FROM resident_requests r \
         JOIN jurisdictions j ON j.code = r.community_code \
         LEFT JOIN organizations o ON o.id = r.assigned_org"
    )
}

/// The street's path of a community's path (its first four nodes).
impl Store {
    /// Stores a resident's request at `at`: the community must be a community node; the
    /// number is the district's next of the year. `token_hash` is the private link's.
    pub async fn submit_request(
        &self,
        d: &RequestData,
        token_hash: &str,
        limits: &TimeLimits,
        at: DateTime<Utc>,
        ctx: impl Into<WriteCtx>,
    ) -> Result<ResidentRequest> {
        let ctx = ctx.into();
        let node = self
            .jurisdiction(d.community.as_str())
            .await?
            .filter(|j| j.level == Level::Community)
            .ok_or_else(|| {
                StoreError::Invalid(FieldErrors::single("community", not_a_community()))
            })?;
        let id = Uuid::now_v7();
        let shard_key = node.shard_key().to_string();
        let street_path = shuniu_domain::jurisdiction::street_path(&node.path);
        let year = i64::from(at.year());
        let due = limits.due(RequestState::Submitted, at);
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let seq: i64 = sqlx::query_scalar(&crate::next_seq_sql("request_counters"))
                .bind(&shard_key)
                .bind(year)
                .fetch_one(&mut *tx)
                .await?;
            let number = request_number(&shard_key, at.year(), seq);
            sqlx::query(
                "INSERT INTO resident_requests (id, number, shard_key, year, seq, category, community_code, \
                 community_path, street_path, description, phone, token_hash, state, created_at, state_since, \
                 due_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'submitted', \
                 $13, $13, $14, $13)",
            )
            .bind(id)
            .bind(&number)
            .bind(&shard_key)
            .bind(year)
            .bind(seq)
            .bind(d.category.as_str())
            .bind(d.community.as_str())
            .bind(&node.path)
            .bind(&street_path)
            .bind(&d.description)
            .bind(d.phone.as_str())
            .bind(token_hash)
            .bind(at)
            .bind(due)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO request_events (id, request_id, transition, organization_id, reason, at) \
                 VALUES ($1, $2, 'submit', NULL, '', $3)",
            )
            .bind(Uuid::now_v7())
            .bind(id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            // The audit record names the request, never the resident's phone.
            let details = json!({"number": number, "domain": d.category}).to_string();
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "request.submit",
                    format!("request:{id}"),
                    Outcome::Success,
                    details,
                    Some(street_path.clone())
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.request(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn request(&self, id: Uuid) -> Result<Option<ResidentRequest>> {
        let sql = format!("SELECT {COLUMNS} FROM resident_requests WHERE id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, RequestRow>(&sql)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        row.map(ResidentRequest::try_from).transpose()
    }

    /// The request whose private link's token hashes to `token_hash`.
    pub async fn request_by_token_hash(&self, token_hash: &str) -> Result<Option<ResidentRequest>> {
        let sql = format!("SELECT {COLUMNS} FROM resident_requests WHERE token_hash = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, RequestRow>(&sql)
            .bind(token_hash)
            .fetch_optional(p)
            .await)?;
        row.map(ResidentRequest::try_from).transpose()
    }

    /// The stored token hash of a request (to compare in constant time).
    pub async fn request_token_hash(&self, id: Uuid) -> Result<Option<String>> {
        Ok(on_pool!(self, |p| sqlx::query_scalar::<_, String>(
            "SELECT token_hash FROM resident_requests WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await)?)
    }

    /// A request's history, oldest first, with the organizations' names (one join).
    pub async fn request_events(&self, id: Uuid) -> Result<Vec<RequestEvent>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            transition: String,
            organization_id: Option<Uuid>,
            organization_name: Option<String>,
            reason: String,
            at: DateTime<Utc>,
        }
        let rows = on_pool!(self, |p| {
            sqlx::query_as::<_, Row>(
            "SELECT e.transition, e.organization_id, o.name AS organization_name, e.reason, e.at \
             FROM request_events e LEFT JOIN organizations o ON o.id = e.organization_id \
             WHERE e.request_id = $1 ORDER BY e.at, e.id"
        )
        .bind(id)
        .fetch_all(p)
        .await
        })?;
        Ok(rows
            .into_iter()
            .map(|r| RequestEvent {
                transition: r.transition,
                organization_id: r.organization_id,
                organization_name: r.organization_name,
                reason: r.reason,
                at: r.at,
            })
            .collect())
    }

    /// A queue: a street subtree's (the dispatcher's) or an organization's requests,
    /// by state and overdue, newest first, paged by number with an exact count (the
    /// command line, the demo and tests).
    pub async fn request_queue(&self, f: &RequestFilter) -> Result<Page<RequestListing>> {
        let paging = Paging::new(f.page, f.per_page, 200);
        let (where_sql, args) = queue_where(f);
        let count = format!("SELECT COUNT(*) FROM resident_requests r WHERE {where_sql}");
        let list = format!(
            "{} WHERE {where_sql} ORDER BY r.created_at DESC, r.id DESC",
            listing_select()
        );
        self.paged::<ListingRow, _>(
            paging,
            (&count, &args),
            (&list, &args),
            RequestListing::try_from,
        )
        .await
    }

    /// One keyset page of a queue (`f`'s filters; its page numbers are ignored), newest
    /// first, from a cursor or an offset, with a bounded total: an organization's walks
    /// `resident_requests_org_created` (or `resident_requests_org` with a state), a
    /// street's or the city's walks `resident_requests_created`.
    pub async fn request_queue_keyset(
        &self,
        f: &RequestFilter,
        at: At<'_>,
        per_page: u32,
    ) -> Result<KeyPage<RequestListing>> {
        self.list_page::<ListingRow, _>(queue_list(f), at, per_page, RequestListing::try_from)
            .await
    }

    /// The organization holding a standing regional recognition at the street `path`.
    pub async fn street_hub_organization(&self, street_path: &str) -> Result<Option<Uuid>> {
        Ok(on_pool!(self, |p| sqlx::query_scalar::<_, Uuid>(
            "SELECT organization_id FROM hubs WHERE jurisdiction_path = $1 \
             AND status = 'recognized' AND kind = 'regional'"
        )
        .bind(street_path)
        .fetch_optional(p)
        .await)?)
    }

    /// The street the regional hub held by `organization_id` serves, if any.
    pub async fn street_of_hub_organization(
        &self,
        organization_id: Uuid,
    ) -> Result<Option<String>> {
        Ok(on_pool!(self, |p| sqlx::query_scalar::<_, String>(
            "SELECT jurisdiction_path FROM hubs WHERE organization_id = $1 \
             AND status = 'recognized' AND kind = 'regional'"
        )
        .bind(organization_id)
        .fetch_optional(p)
        .await)?)
    }

    /// Moves a request: see [`transitions`].
    pub async fn transition_request(
        &self,
        id: Uuid,
        t: Transition,
        input: &transitions::TransitionInput,
        limits: &TimeLimits,
        at: DateTime<Utc>,
        ctx: impl Into<WriteCtx>,
    ) -> Result<ResidentRequest> {
        self.transition_request_inner(id, t, input, limits, at, ctx.into())
            .await
    }
}

pub use transitions::TransitionInput;

/// Newest first: the creation time, then the id.
const CREATED_KEYS: &[(&str, Key)] = &[("r.created_at", Key::Time), ("r.id", Key::Uuid)];

/// A queue as its keyset page reads it, counted over the requests alone.
pub(crate) fn queue_list(f: &RequestFilter) -> ListQuery {
    let (where_sql, args) = queue_where(f);
    let select = listing_select();
    let tables = (select.as_str(), "FROM resident_requests r");
    ListQuery::filtered("requests", tables, &where_sql, args, CREATED_KEYS).desc()
}

/// The `WHERE` of a queue and its values. Without an organization the page walks
/// `resident_requests_created`, the filters written so that no other index serves them
/// ([`QueueFilters`]): else the planner would read a large street's whole range
/// through `resident_requests_queue` (or `resident_requests_due`) and sort it.
fn queue_where(f: &RequestFilter) -> (String, Vec<Arg>) {
    let mut w = QueueFilters::new("r", f.organization_id.map(|o| ("assigned_org", o)));
    w.subtree("street_path", f.street_path.as_deref());
    w.eq("state", f.state.map(|s| s.as_str()));
    if let Some(now) = f.overdue_at {
        let m = w.bind(Arg::Time(now));
        let (state, due) = (w.col("state"), w.col("due_at"));
        w.push(format!(
            "{due} < {m} AND {state} IN ('submitted','declined','assigned','accepted')"
        ));
    }
    w.finish()
}
