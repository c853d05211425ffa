//! Residents' complaints 投诉 (issue 12, item 7): filed without an account against an
//! organization or a request it handled, numbered per district and year by a counter
//! row, followed through a private link (token stored as its SHA-256). The
//! organization's first response, the escalation of an unanswered complaint past its
//! due time and the official's outcome are each one conditional `UPDATE … WHERE state
//! …` with its audit record in the same transaction, so a double click or two racing
//! writers land once. The complainant's phone is stored for the street to call back;
//! who sees it is the web's question (`domain::complaints::sees_phone`). The public
//! record of an organization and its credibility facts never carry it.

mod actions;
mod public;

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;
use serde_json::json;
use shuniu_domain::FieldErrors;
use shuniu_domain::audit::Outcome;
use shuniu_domain::codes::Phone;
use shuniu_domain::complaints::{
    ComplaintCategory, ComplaintData, ComplaintOutcome, ComplaintSettings, ComplaintState,
    PhoneSource, complaint_number, due_at, handling_path, unknown_organization,
};
use uuid::Uuid;

use crate::audit::append_in_tx;
use crate::list_plans::QueueFilters;
use crate::paging::Key;
use crate::paging::keyset::ListQuery;
use crate::{Arg, At, KeyPage, Page, Paging, Result, Store, StoreError, WriteCtx, on_pool};

pub use public::PublicComplaint;
#[cfg(feature = "testing")]
pub(crate) use public::public_list;

/// A stored complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Complaint {
    pub id: Uuid,
    pub number: String,
    pub organization_id: Uuid,
    pub request_id: Option<Uuid>,
    pub street_path: String,
    pub data: ComplaintData,
    pub state: ComplaintState,
    pub filed_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub response: Option<String>,
    pub responded_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub outcome: Option<ComplaintOutcome>,
    pub outcome_text: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// A complaint with the name of the organization complained about (one join).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintListing {
    pub complaint: Complaint,
    pub organization_name: String,
}

/// Where a complaint is filed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Against {
    /// An organization, named by the complainant.
    Organization(Uuid),
    /// A request (through its private link): the organization that handled it.
    Request {
        request_id: Uuid,
        organization_id: Uuid,
    },
}

/// A queue's filters.
#[derive(Debug, Clone, Default)]
pub struct ComplaintFilter {
    /// A jurisdiction path: complaints handled in streets there and below.
    pub street_path: Option<String>,
    /// The complaints against one organization.
    pub organization_id: Option<Uuid>,
    pub state: Option<ComplaintState>,
    /// Only unanswered complaints past their due time at this instant.
    pub overdue_at: Option<DateTime<Utc>>,
    /// Only escalated complaints.
    pub escalated: bool,
    pub page: u32,
    pub per_page: u32,
}

#[derive(sqlx::FromRow)]
struct ComplaintRow {
    id: Uuid,
    number: String,
    organization_id: Uuid,
    request_id: Option<Uuid>,
    street_path: String,
    category: String,
    description: String,
    phone: String,
    phone_source: String,
    state: String,
    filed_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
    response: Option<String>,
    responded_at: Option<DateTime<Utc>>,
    escalated_at: Option<DateTime<Utc>>,
    outcome: Option<String>,
    outcome_text: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ListingRow {
    #[sqlx(flatten)]
    complaint: ComplaintRow,
    organization_name: String,
}

const COLUMNS: &str = "id, number, organization_id, request_id, street_path, category, description, phone, \
    phone_source, state, filed_at, due_at, response, responded_at, escalated_at, outcome, outcome_text, \
    decided_at, updated_at";

pub(crate) fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("corrupt complaint row: {what}"))
}

impl TryFrom<ComplaintRow> for Complaint {
    type Error = StoreError;
    fn try_from(r: ComplaintRow) -> Result<Self> {
        Ok(Complaint {
            id: r.id,
            number: r.number,
            organization_id: r.organization_id,
            request_id: r.request_id,
            street_path: r.street_path,
            data: ComplaintData {
                category: ComplaintCategory::parse(&r.category)
                    .ok_or_else(|| corrupt("category"))?,
                description: r.description,
                phone: Phone::parse(&r.phone).map_err(|_| corrupt("phone"))?,
                phone_source: PhoneSource::parse(&r.phone_source)
                    .ok_or_else(|| corrupt("phone_source"))?,
            },
            state: ComplaintState::parse(&r.state).ok_or_else(|| corrupt("state"))?,
            filed_at: r.filed_at,
            due_at: r.due_at,
            response: r.response,
            responded_at: r.responded_at,
            escalated_at: r.escalated_at,
            outcome: r
                .outcome
                .map(|o| ComplaintOutcome::parse(&o).ok_or_else(|| corrupt("outcome")))
                .transpose()?,
            outcome_text: r.outcome_text,
            decided_at: r.decided_at,
            updated_at: r.updated_at,
        })
    }
}

impl TryFrom<ListingRow> for ComplaintListing {
    type Error = StoreError;
    fn try_from(r: ListingRow) -> Result<Self> {
        Ok(ComplaintListing {
            complaint: Complaint::try_from(r.complaint)?,
            organization_name: r.organization_name,
        })
    }
}

fn listing_select() -> String {
    let cols = COLUMNS
        .split(", ")
        .map(|c| format!("c.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT {cols}, o.name AS organization_name FROM complaints c \
         JOIN organizations o ON o.id = c.organization_id"
    )
}

impl Store {
    /// Files a complaint at `at`: against an organization (handled at its street) or a
    /// request (handled at the request's street). The first response is due by the
    /// settings' working days; `token_hash` is the private link's.
    pub async fn submit_complaint(
        &self,
        against: Against,
        d: &ComplaintData,
        token_hash: &str,
        settings: &ComplaintSettings,
        at: DateTime<Utc>,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Complaint> {
        let ctx = ctx.into();
        let bad_org = || {
            StoreError::Invalid(FieldErrors::single(
                "organization_id",
                unknown_organization(),
            ))
        };
        let (organization_id, request_id) = match against {
            Against::Organization(o) => (o, None),
            Against::Request {
                request_id,
                organization_id,
            } => (organization_id, Some(request_id)),
        };
        let org = self
            .organization(organization_id)
            .await?
            .ok_or_else(bad_org)?;
        let node = self
            .jurisdiction(org.data.jurisdiction.as_str())
            .await?
            .ok_or_else(bad_org)?;
        let org_path = node.path.clone();
        let street_path = match request_id {
            Some(r) => {
                self.request(r)
                    .await?
                    .ok_or(StoreError::NotFound)?
                    .street_path
            }
            None => handling_path(&org_path),
        };
        let shard_key = node.shard_key().to_string();
        let id = Uuid::now_v7();
        let year = i64::from(at.year());
        let due = due_at(at, settings);
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let seq: i64 = sqlx::query_scalar(&crate::next_seq_sql("complaint_counters"))
                .bind(&shard_key)
                .bind(year)
                .fetch_one(&mut *tx)
                .await?;
            let number = complaint_number(&shard_key, at.year(), seq);
            sqlx::query(
                "INSERT INTO complaints (id, number, shard_key, year, seq, organization_id, request_id, \
                 street_path, category, description, phone, phone_source, token_hash, state, filed_at, \
                 due_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
                 'submitted', $14, $15, $14)",
            )
            .bind(id)
            .bind(&number)
            .bind(&shard_key)
            .bind(year)
            .bind(seq)
            .bind(organization_id)
            .bind(request_id)
            .bind(&street_path)
            .bind(d.category.as_str())
            .bind(&d.description)
            .bind(d.phone.as_str())
            .bind(d.phone_source.as_str())
            .bind(token_hash)
            .bind(at)
            .bind(due)
            .execute(&mut *tx)
            .await?;
            // The audit record names the complaint, never the complainant's phone.
            let details = json!({
                "number": number, "organization": organization_id,
                "category": d.category, "due_at": due,
            })
            .to_string();
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "complaint.submit",
                    format!("complaint:{id}"),
                    Outcome::Success,
                    details,
                    Some(street_path.clone())
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.complaint(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn complaint(&self, id: Uuid) -> Result<Option<Complaint>> {
        let sql = format!("SELECT {COLUMNS} FROM complaints WHERE id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, ComplaintRow>(&sql)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        row.map(Complaint::try_from).transpose()
    }

    /// The complaint whose private link's token hashes to `token_hash`.
    pub async fn complaint_by_token_hash(&self, token_hash: &str) -> Result<Option<Complaint>> {
        let sql = format!("SELECT {COLUMNS} FROM complaints WHERE token_hash = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, ComplaintRow>(&sql)
            .bind(token_hash)
            .fetch_optional(p)
            .await)?;
        row.map(Complaint::try_from).transpose()
    }

    /// The stored token hash of a complaint (to compare in constant time).
    pub async fn complaint_token_hash(&self, id: Uuid) -> Result<Option<String>> {
        Ok(on_pool!(self, |p| sqlx::query_scalar::<_, String>(
            "SELECT token_hash FROM complaints WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await)?)
    }

    /// The organization a request was last handled by: the one assigned now, else the
    /// last named in its history (a decline clears the assignment).
    pub async fn request_handler(&self, request_id: Uuid) -> Result<Option<Uuid>> {
        Ok(on_pool!(self, |p| sqlx::query_scalar::<_, Option<Uuid>>(
            "SELECT COALESCE(r.assigned_org, (SELECT e.organization_id FROM request_events e \
             WHERE e.request_id = r.id AND e.organization_id IS NOT NULL ORDER BY e.at DESC, e.id DESC LIMIT 1)) \
             FROM resident_requests r WHERE r.id = $1"
        )
        .bind(request_id)
        .fetch_optional(p)
        .await)?
        .flatten())
    }

    /// A queue: a street subtree's (the official's, the dispatcher's) or an
    /// organization's complaints, by state, overdue and escalated, newest first, paged
    /// by number with an exact count (the command line, the demo and tests).
    pub async fn complaint_queue(&self, f: &ComplaintFilter) -> Result<Page<ComplaintListing>> {
        let paging = Paging::new(f.page, f.per_page, 200);
        let (where_sql, args) = queue_where(f);
        let count = format!("SELECT COUNT(*) FROM complaints c WHERE {where_sql}");
        let list = format!(
            "{} WHERE {where_sql} ORDER BY c.filed_at DESC, c.id DESC",
            listing_select()
        );
        self.paged::<ListingRow, _>(
            paging,
            (&count, &args),
            (&list, &args),
            ComplaintListing::try_from,
        )
        .await
    }

    /// One keyset page of a queue (`f`'s filters; its page numbers are ignored), newest
    /// first, from a cursor or an offset, with a bounded total: an organization's walks
    /// `complaints_org_filed` (or `complaints_org` with a state), a street's or the
    /// city's walks `complaints_filed` with the rest as filters.
    pub async fn complaint_queue_keyset(
        &self,
        f: &ComplaintFilter,
        at: At<'_>,
        per_page: u32,
    ) -> Result<KeyPage<ComplaintListing>> {
        self.list_page::<ListingRow, _>(queue_list(f), at, per_page, ComplaintListing::try_from)
            .await
    }
}

/// Newest first: the filing time, then the id.
const FILED_KEYS: &[(&str, Key)] = &[("c.filed_at", Key::Time), ("c.id", Key::Uuid)];

/// A queue as its keyset page reads it, counted over the complaints alone.
pub(crate) fn queue_list(f: &ComplaintFilter) -> ListQuery {
    let (where_sql, args) = queue_where(f);
    let select = listing_select();
    let tables = (select.as_str(), "FROM complaints c");
    ListQuery::filtered("complaints", tables, &where_sql, args, FILED_KEYS).desc()
}

/// The `WHERE` of a queue and its values. Without an organization the page walks
/// `complaints_filed`, the filters written so that no other index serves them
/// ([`QueueFilters`]): else the planner would read a large street's whole range
/// through `complaints_queue` (or every overdue complaint through `complaints_due`)
/// and sort it.
fn queue_where(f: &ComplaintFilter) -> (String, Vec<Arg>) {
    let mut w = QueueFilters::new("c", f.organization_id.map(|o| ("organization_id", o)));
    w.subtree("street_path", f.street_path.as_deref());
    w.eq("state", f.state.map(|s| s.as_str()));
    if let Some(now) = f.overdue_at {
        let m = w.bind(Arg::Time(now));
        let (state, due) = (w.col("state"), w.col("due_at"));
        w.push(format!("{state} = 'submitted' AND {due} <= {m}"));
    }
    if f.escalated {
        let c = w.col("escalated_at");
        w.push(format!("{c} IS NOT NULL"));
    }
    w.finish()
}

pub use actions::ComplaintStep;
