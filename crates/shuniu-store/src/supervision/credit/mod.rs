//! Credit lists: the events officials record, the listings `supervise` decides, and
//! the daily job's apply step. Each organization's step runs in one transaction that
//! first locks the organization's row (PostgreSQL) or takes the write lock (SQLite),
//! reads the facts, asks the domain, and writes; a cause is listed once (unique key),
//! a removal lands once (guarded by `removed_on IS NULL`), so concurrent runs agree.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::money::Fen;
use shuniu_domain::registry::OrgStatus;
use shuniu_domain::supervision::Refusal;
use shuniu_domain::supervision::credit::{
    CreditEvent, CreditFacts, CreditSettings, EventKind, ListKind, Listing, ListingChange, Trigger,
    check_abnormal_removal, check_serious_removal, supervise,
};
use shuniu_domain::supervision::standing::{StandingFacts, flag_for_hub};
use uuid::Uuid;

mod lists;

pub use lists::CreditListEntry;
#[cfg(feature = "testing")]
pub(crate) use lists::credit_list;

use super::{corrupt, invalid, org_from, org_select};
use crate::audit::append_in_tx;
use crate::registry::OrgRow;
use crate::{Result, Store, StoreError, WriteCtx, on_pool};

/// A listing as stored: the domain's listing plus its words and who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredListing {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub list: ListKind,
    pub trigger: Trigger,
    pub cause: String,
    pub listed_on: NaiveDate,
    pub reason_zh: String,
    pub reason_en: String,
    pub basis_zh: String,
    pub basis_en: String,
    pub listed_by: String,
    pub removed_on: Option<NaiveDate>,
    pub removal_reason_zh: Option<String>,
    pub removal_reason_en: Option<String>,
    pub removed_by: Option<String>,
}

impl StoredListing {
    pub fn listing(&self) -> Listing {
        Listing {
            list: self.list,
            trigger: self.trigger,
            cause: self.cause.clone(),
            listed_on: self.listed_on,
            removed_on: self.removed_on,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ListingRow {
    id: Uuid,
    organization_id: Uuid,
    list_kind: String,
    trigger_code: String,
    cause: String,
    listed_on: NaiveDate,
    reason_zh: String,
    reason_en: String,
    basis_zh: String,
    basis_en: String,
    listed_by: String,
    removed_on: Option<NaiveDate>,
    removal_reason_zh: Option<String>,
    removal_reason_en: Option<String>,
    removed_by: Option<String>,
}

pub(crate) const LISTING_COLUMNS: &str = "id, organization_id, list_kind, trigger_code, cause, listed_on, reason_zh, reason_en, basis_zh, basis_en, \
    listed_by, removed_on, removal_reason_zh, removal_reason_en, removed_by";

impl TryFrom<ListingRow> for StoredListing {
    type Error = StoreError;
    fn try_from(r: ListingRow) -> Result<Self> {
        Ok(StoredListing {
            id: r.id,
            organization_id: r.organization_id,
            list: ListKind::parse(&r.list_kind).ok_or_else(|| corrupt("list_kind"))?,
            trigger: Trigger::parse(&r.trigger_code).ok_or_else(|| corrupt("trigger_code"))?,
            cause: r.cause,
            listed_on: r.listed_on,
            reason_zh: r.reason_zh,
            reason_en: r.reason_en,
            basis_zh: r.basis_zh,
            basis_en: r.basis_en,
            listed_by: r.listed_by,
            removed_on: r.removed_on,
            removal_reason_zh: r.removal_reason_zh,
            removal_reason_en: r.removal_reason_en,
            removed_by: r.removed_by,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    id: Uuid,
    occurred_on: NaiveDate,
    kind: String,
    amount_fen: Option<i64>,
    due_on: Option<NaiveDate>,
    refers_to: Option<Uuid>,
}

impl TryFrom<EventRow> for CreditEvent {
    type Error = StoreError;
    fn try_from(r: EventRow) -> Result<Self> {
        let kind = match r.kind.as_str() {
            "warning" => EventKind::Warning,
            "fine" => EventKind::Fine {
                amount: Fen(r.amount_fen.ok_or_else(|| corrupt("fine amount"))?),
            },
            "suspend_order" => EventKind::SuspendOrder,
            "revocation" => EventKind::Revocation,
            "court_dishonest_debtor" => EventKind::CourtDishonestDebtor,
            "false_change_revoked" => EventKind::FalseChangeRevoked,
            "correction_ordered" => EventKind::CorrectionOrdered {
                due: r.due_on.ok_or_else(|| corrupt("correction due"))?,
            },
            "correction_done" => EventKind::CorrectionDone {
                order: r.refers_to.ok_or_else(|| corrupt("correction order"))?,
            },
            "unreachable" => EventKind::Unreachable,
            "reachable" => EventKind::Reachable,
            "party_org_missing" => EventKind::PartyOrgMissing,
            "party_org_set_up" => EventKind::PartyOrgSetUp,
            _ => return Err(corrupt("credit event kind")),
        };
        Ok(CreditEvent {
            id: r.id,
            on: r.occurred_on,
            kind,
        })
    }
}

/// An event as an official records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewCreditEvent {
    pub on: NaiveDate,
    pub kind: EventKind,
    /// Document number and what happened (e.g. 玄民罚字〔2026〕3号).
    pub note: String,
}

/// A member of a hub whose standing bars new bookings and offices: its existing ones
/// are shown to the hub (not cancelled — the hub decides).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StandingFlag {
    pub organization_id: Uuid,
    pub name: String,
    pub refusal: Refusal,
    /// Confirmed bookings of the hub's rooms that have not ended.
    pub bookings: i64,
    /// Office allocations in the hub's venues that have not ended.
    pub offices: i64,
}

/// What one run of the daily job did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SuperviseReport {
    pub organizations: usize,
    pub listed: usize,
    pub removed: usize,
    pub grades_expired: usize,
    /// Complaints unanswered past their first-response limit, escalated to the street.
    pub complaints_escalated: usize,
}

/// Reads an organization's credit facts inside the open transaction `$tx`.
macro_rules! read_facts {
    ($tx:expr, $org:expr, $status_changed_on:expr) => {{
        let org: &shuniu_domain::registry::Organization = $org;
        let reports: Vec<(i64, NaiveDate)> = sqlx::query_as(
            "SELECT year, submitted_on FROM annual_reports WHERE organization_id = $1",
        )
        .bind(org.id)
        .fetch_all(&mut *$tx)
        .await?;
        let events = sqlx::query_as::<_, EventRow>(
            "SELECT id, occurred_on, kind, amount_fen, due_on, refers_to FROM credit_events WHERE organization_id = $1 ORDER BY occurred_on, id",
        )
        .bind(org.id)
        .fetch_all(&mut *$tx)
        .await?;
        let listings = sqlx::query_as::<_, ListingRow>(&format!(
            "SELECT {LISTING_COLUMNS} FROM credit_listings WHERE organization_id = $1 ORDER BY listed_on, id"
        ))
        .bind(org.id)
        .fetch_all(&mut *$tx)
        .await?;
        let stored = listings
            .into_iter()
            .map(StoredListing::try_from)
            .collect::<Result<Vec<_>>>()?;
        let facts = CreditFacts {
            legal_form: Some(org.data.legal_form),
            founded_on: org.data.founded_on,
            deregistered_on: (org.status == OrgStatus::Deregistered)
                .then_some($status_changed_on)
                .flatten(),
            reports_filed: reports
                .into_iter()
                .map(|(y, d)| (y as i32, d))
                .collect::<BTreeMap<_, _>>(),
            events: events
                .into_iter()
                .map(CreditEvent::try_from)
                .collect::<Result<Vec<_>>>()?,
            listings: stored.iter().map(StoredListing::listing).collect(),
        };
        (facts, stored)
    }};
}

/// Applies the credit rules to one organization inside the open transaction `$tx`:
/// lists and removes what `supervise` says from the facts read there, each change in
/// the organization's history and audited. Evaluates to `(listed, removed)`.
macro_rules! apply_credit_rules {
    ($self:expr, $tx:expr, $org_id:expr, $today:expr, $settings:expr, $ctx:expr, $now:expr) => {{
        let organization_id: Uuid = $org_id;
        let today: NaiveDate = $today;
        let settings: &CreditSettings = $settings;
        let ctx: &WriteCtx = $ctx;
        let now = $now;
        let org = org_from(
            sqlx::query_as::<_, OrgRow>(&org_select($self))
                .bind(organization_id)
                .fetch_optional(&mut *$tx)
                .await?,
        )?;
        let (shard_key, path): (String, String) = sqlx::query_as(
            "SELECT shard_key, jurisdiction_path FROM organizations WHERE id = $1",
        )
        .bind(organization_id)
        .fetch_one(&mut *$tx)
        .await?;
        let (facts, _) = read_facts!($tx, &org, org.status_changed_on);
        let changes = supervise(&facts, today, settings);
        let (mut listed, mut removed) = (0, 0);
        for c in &changes {
            let (action, done) = match c {
                ListingChange::List {
                    list,
                    trigger,
                    cause,
                    on,
                    reason_zh,
                    reason_en,
                } => {
                    let (bz, be) = trigger.legal_basis();
                    let res = sqlx::query(
                        "INSERT INTO credit_listings (id, shard_key, organization_id, jurisdiction_path, list_kind, trigger_code, cause, listed_on, \
                         reason_zh, reason_en, basis_zh, basis_en, listed_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                         ON CONFLICT (organization_id, list_kind, trigger_code, cause) DO NOTHING",
                    )
                    .bind(Uuid::now_v7())
                    .bind(&shard_key)
                    .bind(organization_id)
                    .bind(&path)
                    .bind(list.as_str())
                    .bind(trigger.as_str())
                    .bind(cause)
                    .bind(*on)
                    .bind(reason_zh)
                    .bind(reason_en)
                    .bind(bz)
                    .bind(be)
                    .bind(&ctx.actor)
                    .bind(now)
                    .execute(&mut *$tx)
                    .await?;
                    listed += res.rows_affected() as usize;
                    ("credit.list", res.rows_affected() == 1)
                }
                ListingChange::Remove {
                    list,
                    trigger,
                    cause,
                    on,
                    reason_zh,
                    reason_en,
                } => {
                    let res = sqlx::query(
                        "UPDATE credit_listings SET removed_on = $5, removal_reason_zh = $6, removal_reason_en = $7, removed_by = $8 \
                         WHERE organization_id = $1 AND list_kind = $2 AND trigger_code = $3 AND cause = $4 AND removed_on IS NULL",
                    )
                    .bind(organization_id)
                    .bind(list.as_str())
                    .bind(trigger.as_str())
                    .bind(cause)
                    .bind(*on)
                    .bind(reason_zh)
                    .bind(reason_en)
                    .bind(&ctx.actor)
                    .execute(&mut *$tx)
                    .await?;
                    removed += res.rows_affected() as usize;
                    ("credit.remove", res.rows_affected() == 1)
                }
            };
            if !done {
                continue;
            }
            let details = serde_json::to_string(c).expect("serializable");
            sqlx::query("INSERT INTO organization_changes (id, organization_id, changed_at, actor, action, changes) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(Uuid::now_v7())
                .bind(organization_id)
                .bind(now)
                .bind(&ctx.actor)
                .bind(action)
                .bind(&details)
                .execute(&mut *$tx)
                .await?;
            append_in_tx!(
                $self,
                $tx,
                ctx.event(
                    action,
                    format!("organization:{organization_id}"),
                    Outcome::Success,
                    details,
                    Some(path.clone())
                )
            );
        }
        (listed, removed)
    }};
}

/// Standing asked again inside a writing transaction (booking, office, joining a hub,
/// recognition), after the organization's row was read there with a share lock
/// (PostgreSQL; SQLite's writer holds the database). A listing or suspension locks the
/// same row, so it either committed before this read — and is seen here — or waits
/// until this write has committed: the web layer's early, friendly check cannot be
/// raced past. `$status` is the row's status as stored; the refusal is the domain's,
/// on `organization_id`.
macro_rules! require_standing {
    ($tx:expr, $org_id:expr, $status:expr, $activity:expr, $date:expr) => {{
        let rows = sqlx::query_as::<_, $crate::supervision::credit::ListingRow>(&format!(
            "SELECT {} FROM credit_listings WHERE organization_id = $1 AND removed_on IS NULL",
            $crate::supervision::credit::LISTING_COLUMNS
        ))
        .bind($org_id)
        .fetch_all(&mut *$tx)
        .await?;
        let listings = rows
            .into_iter()
            .map(|r| $crate::supervision::credit::StoredListing::try_from(r).map(|s| s.listing()))
            .collect::<$crate::Result<Vec<_>>>()?;
        let status = shuniu_domain::registry::OrgStatus::parse($status)
            .ok_or_else(|| $crate::supervision::corrupt("organization status"))?;
        let facts = shuniu_domain::supervision::standing::StandingFacts::from_listings(
            status, &listings, $date,
        );
        if let Err(r) = shuniu_domain::supervision::standing::check(&facts, $activity) {
            return Err($crate::StoreError::Invalid(r.on_field("organization_id")));
        }
    }};
}
pub(crate) use require_standing;

impl Store {
    /// Records an event (penalty, order, finding) and applies the credit rules for the
    /// organization at once, in the same transaction. Returns the event's id.
    pub async fn record_credit_event(
        &self,
        organization_id: Uuid,
        event: &NewCreditEvent,
        today: NaiveDate,
        settings: &CreditSettings,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Uuid> {
        let ctx = ctx.into();
        let (on, kind, note) = (event.on, &event.kind, event.note.as_str());
        if on > today {
            return Err(invalid(
                "occurred_on",
                "不能晚于今天",
                "must not be in the future",
            ));
        }
        let id = Uuid::now_v7();
        let (amount, due, refers) = match kind {
            EventKind::Fine { amount } if amount.0 < 0 => {
                return Err(invalid("amount", "不能为负数", "must not be negative"));
            }
            EventKind::Fine { amount } => (Some(amount.0), None, None),
            EventKind::CorrectionOrdered { due } => (None, Some(*due), None),
            EventKind::CorrectionDone { order } => (None, None, Some(*order)),
            _ => (None, None, None),
        };
        let details = json!({"event": id, "kind": kind, "on": on, "note": note}).to_string();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            // Locks the organization: its credit facts change here.
            org_from(
                sqlx::query_as::<_, OrgRow>(&org_select(self))
                    .bind(organization_id)
                    .fetch_optional(&mut *tx)
                    .await?,
            )?;
            if let Some(order) = refers {
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM credit_events WHERE id = $1 AND organization_id = $2 AND kind = 'correction_ordered'")
                    .bind(order)
                    .bind(organization_id)
                    .fetch_one(&mut *tx)
                    .await?;
                if n == 0 {
                    return Err(invalid(
                        "refers_to",
                        "不是本组织的整改通知",
                        "is not a correction order of this organization",
                    ));
                }
            }
            sqlx::query(
                "INSERT INTO credit_events (id, organization_id, occurred_on, kind, amount_fen, due_on, refers_to, note, recorded_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id)
            .bind(organization_id)
            .bind(on)
            .bind(kind.code())
            .bind(amount)
            .bind(due)
            .bind(refers)
            .bind(note)
            .bind(&ctx.actor)
            .bind(crate::now())
            .execute(&mut *tx)
            .await?;
            let path: String =
                sqlx::query_scalar("SELECT jurisdiction_path FROM organizations WHERE id = $1")
                    .bind(organization_id)
                    .fetch_one(&mut *tx)
                    .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "credit.event",
                    format!("organization:{organization_id}"),
                    Outcome::Success,
                    details,
                    Some(path)
                )
            );
            // The rules see the new event in the same transaction: the event and
            // what it causes are written together or not at all.
            let now = crate::now();
            apply_credit_rules!(self, tx, organization_id, today, settings, &ctx, now);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(id)
    }

    /// Applies the credit rules to one organization as of `today`: lists and removes
    /// what `supervise` says, each change audited and in the organization's history.
    /// Idempotent. Returns `(listed, removed)`.
    pub async fn supervise_organization(
        &self,
        organization_id: Uuid,
        today: NaiveDate,
        settings: &CreditSettings,
        ctx: impl Into<WriteCtx>,
    ) -> Result<(usize, usize)> {
        let ctx = ctx.into();
        let now = crate::now();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let (listed, removed) =
                apply_credit_rules!(self, tx, organization_id, today, settings, &ctx, now);
            tx.commit().await?;
            Ok::<_, StoreError>((listed, removed))
        })
    }

    /// The daily job (`shuniu supervise`, also run at start): the credit rules for every
    /// organization, then grades that expired stop counting, then complaints unanswered
    /// past their limit are escalated. Idempotent.
    pub async fn run_supervise(
        &self,
        today: NaiveDate,
        settings: &CreditSettings,
        ctx: impl Into<WriteCtx>,
    ) -> Result<SuperviseReport> {
        let ctx = ctx.into();
        let mut report = SuperviseReport::default();
        let mut after = Uuid::nil();
        loop {
            let ids: Vec<Uuid> = on_pool!(self, |p| sqlx::query_scalar(
                "SELECT id FROM organizations WHERE id > $1 ORDER BY id LIMIT 500"
            )
            .bind(after)
            .fetch_all(p)
            .await)?;
            let Some(last) = ids.last() else { break };
            after = *last;
            for id in ids {
                let (l, r) = self
                    .supervise_organization(id, today, settings, &ctx)
                    .await?;
                report.organizations += 1;
                report.listed += l;
                report.removed += r;
            }
        }
        report.grades_expired = self.expire_grades(today, &ctx).await?;
        report.complaints_escalated = self
            .escalate_overdue_complaints(crate::now(), ctx.clone())
            .await?;
        Ok(report)
    }

    /// Every listing of an organization, oldest first (public: the lists are).
    pub async fn credit_listings_of(&self, organization_id: Uuid) -> Result<Vec<StoredListing>> {
        let sql = format!(
            "SELECT {LISTING_COLUMNS} FROM credit_listings WHERE organization_id = $1 ORDER BY listed_on, id"
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, ListingRow>(&sql)
            .bind(organization_id)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(StoredListing::try_from).collect()
    }

    /// Removes a listing on the organization's application, by the authority's
    /// decision: the abnormal list once the cause is put right, the serious list after
    /// two years without a new event. The reason is recorded with the removal.
    pub async fn remove_listing_on_application(
        &self,
        listing_id: Uuid,
        decided_on: NaiveDate,
        reason: &str,
        settings: &CreditSettings,
        ctx: impl Into<WriteCtx>,
    ) -> Result<StoredListing> {
        let ctx = ctx.into();
        let now = crate::now();
        let lock = self.row_lock(" FOR UPDATE");
        let select = format!("SELECT {LISTING_COLUMNS} FROM credit_listings WHERE id = $1{lock}");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let stored = StoredListing::try_from(
                sqlx::query_as::<_, ListingRow>(&select)
                    .bind(listing_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?,
            )?;
            let org = org_from(
                sqlx::query_as::<_, OrgRow>(&org_select(self))
                    .bind(stored.organization_id)
                    .fetch_optional(&mut *tx)
                    .await?,
            )?;
            let (facts, _) = read_facts!(tx, &org, org.status_changed_on);
            let l = stored.listing();
            let check = match l.list {
                ListKind::Abnormal => {
                    check_abnormal_removal(&l, &facts, decided_on, settings).map(|_| ())
                }
                ListKind::Serious => check_serious_removal(&l, &facts, decided_on, settings),
            };
            if let Err(r) = check {
                return Err(StoreError::Invalid(r.on_field("listing")));
            }
            let (zh, en) = (
                format!("依申请移出：{reason}"),
                format!("removed on application: {reason}"),
            );
            let res = sqlx::query(
                "UPDATE credit_listings SET removed_on = $2, removal_reason_zh = $3, removal_reason_en = $4, removed_by = $5 WHERE id = $1 AND removed_on IS NULL",
            )
            .bind(listing_id)
            .bind(decided_on)
            .bind(&zh)
            .bind(&en)
            .bind(&ctx.actor)
            .execute(&mut *tx)
            .await?;
            if res.rows_affected() != 1 {
                return Err(StoreError::State(
                    "the listing was removed meanwhile".into(),
                ));
            }
            let path: String =
                sqlx::query_scalar("SELECT jurisdiction_path FROM organizations WHERE id = $1")
                    .bind(stored.organization_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let details = json!({"listing": listing_id, "list": l.list, "trigger": l.trigger, "cause": l.cause, "on": decided_on, "reason": reason}).to_string();
            sqlx::query("INSERT INTO organization_changes (id, organization_id, changed_at, actor, action, changes) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(Uuid::now_v7())
                .bind(stored.organization_id)
                .bind(now)
                .bind(&ctx.actor)
                .bind("credit.remove")
                .bind(&details)
                .execute(&mut *tx)
                .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "credit.remove",
                    format!("credit_listing:{listing_id}"),
                    Outcome::Success,
                    details,
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(StoredListing {
                removed_on: Some(decided_on),
                removal_reason_zh: Some(zh),
                removal_reason_en: Some(en),
                removed_by: Some(ctx.actor.clone()),
                ..stored
            })
        })
    }

    /// What `standing::check` needs about an organization on `date`: one read for every
    /// capability that asks (booking, joining, offices, recognition, funding).
    pub async fn standing_facts(
        &self,
        organization_id: Uuid,
        date: NaiveDate,
    ) -> Result<StandingFacts> {
        let org = self
            .organization(organization_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let listings: Vec<Listing> = self
            .credit_listings_of(organization_id)
            .await?
            .iter()
            .map(StoredListing::listing)
            .collect();
        Ok(StandingFacts::from_listings(org.status, &listings, date))
    }

    /// The facts `supervise` sees for an organization (tests, the authority's page).
    pub async fn credit_facts(&self, organization_id: Uuid) -> Result<CreditFacts> {
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.read_snapshot_sql()).await?;
            let org = org_from(
                sqlx::query_as::<_, OrgRow>(&format!(
                    "SELECT {} FROM organizations WHERE id = $1",
                    crate::registry::COLUMNS
                ))
                .bind(organization_id)
                .fetch_optional(&mut *tx)
                .await?,
            )?;
            let (facts, _) = read_facts!(tx, &org, org.status_changed_on);
            tx.commit().await?;
            Ok::<_, StoreError>(facts)
        })
    }

    /// The hub's active members whose standing bars new bookings and offices, with what
    /// they still hold in the hub's venues on `date`.
    pub async fn standing_flags_of_hub(
        &self,
        hub_organization_id: Uuid,
        date: NaiveDate,
    ) -> Result<Vec<StandingFlag>> {
        let members: Vec<(Uuid, String)> = on_pool!(self, |p| {
            sqlx::query_as(
            // Only a member that is not active, or has an open listing, can be flagged:
            // the candidates come from the status and the open-listings index, so a hub
            // of many thousand members costs one query, not two per member.
            "SELECT o.id, o.name FROM hub_memberships m JOIN organizations o ON o.id = m.organization_id \
             WHERE m.hub_organization_id = $1 AND m.status = 'active' \
             AND (o.status <> 'active' OR EXISTS (SELECT 1 FROM credit_listings c \
                  WHERE c.organization_id = o.id AND c.removed_on IS NULL)) \
             ORDER BY o.name"
        )
        .bind(hub_organization_id)
        .fetch_all(p)
        .await
        })?;
        let start = date
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc();
        let mut out = Vec::new();
        for (id, name) in members {
            let Some(refusal) = flag_for_hub(&self.standing_facts(id, date).await?) else {
                continue;
            };
            let (bookings, offices): (i64, i64) = on_pool!(self, |p| {
                let b: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM bookings b JOIN spaces s ON s.id = b.space_id JOIN venues v ON v.id = s.venue_id \
                     JOIN hubs h ON h.id = v.hub_id WHERE h.organization_id = $1 AND b.organization_id = $2 \
                     AND b.status = 'confirmed' AND b.ends_at > $3",
                )
                .bind(hub_organization_id)
                .bind(id)
                .bind(start)
                .fetch_one(p)
                .await?;
                let o: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM office_allocations a JOIN spaces s ON s.id = a.space_id JOIN venues v ON v.id = s.venue_id \
                     JOIN hubs h ON h.id = v.hub_id WHERE h.organization_id = $1 AND a.organization_id = $2 \
                     AND a.ends_on >= $3 AND (a.ended_early_on IS NULL OR a.ended_early_on >= $3)",
                )
                .bind(hub_organization_id)
                .bind(id)
                .bind(date)
                .fetch_one(p)
                .await?;
                Ok::<_, sqlx::Error>((b, o))
            })?;
            out.push(StandingFlag {
                organization_id: id,
                name,
                refusal,
                bookings,
                offices,
            });
        }
        Ok(out)
    }
}
