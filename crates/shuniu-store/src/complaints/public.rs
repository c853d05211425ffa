//! What the public reads of an organization's complaints, and what its credibility
//! counts: categories, dates, how the first response went and the outcome with its
//! public text. Never the phone, the description (it may name the complainant) or the
//! link's token.

use chrono::{DateTime, Utc};
use serde::Serialize;
use shuniu_domain::complaints::{
    ComplaintCategory, ComplaintFacts, ComplaintOutcome, ComplaintState,
};
use uuid::Uuid;

use super::corrupt;
use crate::paging::keyset::ListQuery;
use crate::{Arg, At, KeyPage, Page, Paging, Result, Store, StoreError, on_pool};

/// One complaint as the organization's public page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicComplaint {
    pub category: ComplaintCategory,
    pub state: ComplaintState,
    pub filed_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
    pub escalated: bool,
    pub outcome: Option<ComplaintOutcome>,
    pub outcome_text: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct PublicRow {
    category: String,
    state: String,
    filed_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
    responded_at: Option<DateTime<Utc>>,
    escalated_at: Option<DateTime<Utc>>,
    outcome: Option<String>,
    outcome_text: Option<String>,
    decided_at: Option<DateTime<Utc>>,
}

impl TryFrom<PublicRow> for PublicComplaint {
    type Error = StoreError;
    fn try_from(r: PublicRow) -> Result<Self> {
        Ok(PublicComplaint {
            category: ComplaintCategory::parse(&r.category).ok_or_else(|| corrupt("category"))?,
            state: ComplaintState::parse(&r.state).ok_or_else(|| corrupt("state"))?,
            filed_at: r.filed_at,
            due_at: r.due_at,
            responded_at: r.responded_at,
            escalated: r.escalated_at.is_some(),
            outcome: r
                .outcome
                .map(|o| ComplaintOutcome::parse(&o).ok_or_else(|| corrupt("outcome")))
                .transpose()?,
            outcome_text: r.outcome_text,
            decided_at: r.decided_at,
        })
    }
}

const PUBLIC_COLUMNS: &str = "c.category, c.state, c.filed_at, c.due_at, c.responded_at, \
     c.escalated_at, c.outcome, c.outcome_text, c.decided_at";

const PUBLIC_FROM: &str = "FROM complaints c WHERE c.organization_id = $1";

/// An organization's public complaints as their keyset page reads them, at most 100 a
/// page.
pub(crate) fn public_list(organization_id: Uuid) -> ListQuery {
    let args = vec![Arg::Uuid(organization_id)];
    let from = PUBLIC_FROM.to_string();
    ListQuery::new(
        "complaints:public",
        PUBLIC_COLUMNS,
        from,
        args,
        super::FILED_KEYS,
    )
    .desc()
    .max(100)
}

impl Store {
    /// An organization's complaints for the public, newest first, paged in the
    /// database (`complaints_org`).
    pub async fn public_complaints(
        &self,
        organization_id: Uuid,
        page: u32,
        per_page: u32,
    ) -> Result<Page<PublicComplaint>> {
        let paging = Paging::new(page, per_page, 100);
        let args = vec![Arg::Uuid(organization_id)];
        let count = "SELECT COUNT(*) FROM complaints WHERE organization_id = $1";
        let list =
            format!("SELECT {PUBLIC_COLUMNS} {PUBLIC_FROM} ORDER BY c.filed_at DESC, c.id DESC");
        self.paged::<PublicRow, _>(
            paging,
            (count, &args),
            (&list, &args),
            PublicComplaint::try_from,
        )
        .await
    }

    /// One keyset page of an organization's complaints for the public, newest first
    /// (walking `complaints_org_filed`), with a bounded total.
    pub async fn public_complaints_keyset(
        &self,
        organization_id: Uuid,
        at: At<'_>,
        per_page: u32,
    ) -> Result<KeyPage<PublicComplaint>> {
        self.list_page::<PublicRow, _>(
            public_list(organization_id),
            at,
            per_page,
            PublicComplaint::try_from,
        )
        .await
    }

    /// An organization's complaint record (all time): what its public section shows
    /// and the credibility score reads. `now` decides which unanswered complaints are
    /// overdue.
    pub async fn complaint_facts(&self, organization_id: Uuid) -> Result<ComplaintFacts> {
        self.complaint_facts_since(organization_id, None, crate::now())
            .await
    }

    /// The record of complaints filed since `since` (e.g. the last twelve months), at
    /// `now`: one aggregate over the organization's rows (`complaints_org`).
    /// A first response counts as in time before its due time; overdue are late
    /// responses and complaints unanswered past it (until decided, or now).
    pub async fn complaint_facts_since(
        &self,
        organization_id: Uuid,
        since: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<ComplaintFacts> {
        #[derive(sqlx::FromRow)]
        struct Row {
            total: i64,
            in_time: i64,
            overdue: i64,
            escalated: i64,
            upheld: i64,
            partly: i64,
            not_upheld: i64,
            open: i64,
        }
        let sum = |cond: &str| {
            format!("CAST(COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS BIGINT)")
        };
        let sql = format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS total, {} AS in_time, {} AS overdue, {} AS escalated, \
             {} AS upheld, {} AS partly, {} AS not_upheld, {} AS open \
             FROM complaints WHERE organization_id = $1 AND filed_at >= $2",
            sum("responded_at IS NOT NULL AND responded_at < due_at"),
            sum("(responded_at IS NOT NULL AND responded_at >= due_at) OR \
                 (responded_at IS NULL AND due_at <= COALESCE(decided_at, $3))"),
            sum("escalated_at IS NOT NULL"),
            sum("outcome = 'upheld'"),
            sum("outcome = 'partly_upheld'"),
            sum("outcome = 'not_upheld'"),
            sum("state IN ('submitted', 'answered')"),
        );
        let r = on_pool!(self, |p| sqlx::query_as::<_, Row>(&sql)
            .bind(organization_id)
            .bind(since.unwrap_or(DateTime::<Utc>::UNIX_EPOCH))
            .bind(now)
            .fetch_one(p)
            .await)?;
        let n = |x: i64| u32::try_from(x).unwrap_or(u32::MAX);
        Ok(ComplaintFacts {
            total: n(r.total),
            answered_in_time: n(r.in_time),
            overdue: n(r.overdue),
            escalated: n(r.escalated),
            upheld: n(r.upheld),
            partly_upheld: n(r.partly),
            not_upheld: n(r.not_upheld),
            open: n(r.open),
        })
    }
}
