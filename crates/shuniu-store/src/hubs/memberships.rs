//! Memberships of hubs: applying, being added, the decisions of the state machine, the
//! initiating-unit mark, and the reads. The join rules are `check_join`, asked inside
//! the writing transaction. Membership writes run one at a time (PostgreSQL: an
//! advisory lock taken first; SQLite: `BEGIN IMMEDIATE`), so that two writes that
//! together would close a cycle never interleave. Each write keeps the hub's
//! `member_count` and the member's coverage counters in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use shuniu_domain::FieldErrors;
use shuniu_domain::audit::Outcome;
use shuniu_domain::hubs::{
    HubKind, Membership, MembershipDecision, MembershipStatus, deregistered_cannot_join,
};
use shuniu_domain::registry::OrgStatus;
use uuid::Uuid;

use super::{MEMBERSHIP_SELECT, MembershipEvent, MembershipRow, lock_memberships};
use crate::audit::append_in_tx;
use crate::paging::Key;
use crate::paging::keyset::ListQuery;
use crate::{After, Arg, KeyChunk, Page, Result, Store, StoreError, WriteCtx, on_pool};

#[derive(sqlx::FromRow)]
struct EventRow {
    id: Uuid,
    at: DateTime<Utc>,
    actor: String,
    action: String,
    from_status: Option<String>,
    to_status: String,
    reason: Option<String>,
}

impl TryFrom<EventRow> for MembershipEvent {
    type Error = StoreError;
    fn try_from(r: EventRow) -> Result<Self> {
        let id = r.id;
        let bad =
            |what: &str| StoreError::Corrupt(format!("corrupt membership event {id}: {what}"));
        Ok(MembershipEvent {
            id,
            at: r.at,
            actor: r.actor,
            action: r.action,
            from_status: r
                .from_status
                .as_deref()
                .map(|s| MembershipStatus::parse(s).ok_or_else(|| bad("from_status")))
                .transpose()?,
            to_status: MembershipStatus::parse(&r.to_status).ok_or_else(|| bad("to_status"))?,
            reason: r.reason,
        })
    }
}

/// Records one step of a membership in `$tx`.
macro_rules! add_event {
    ($tx:expr, $membership:expr, $at:expr, $actor:expr, $action:expr, $from:expr, $to:expr, $reason:expr) => {
        sqlx::query(
            "INSERT INTO membership_events (id, membership_id, at, actor, action, from_status, to_status, reason) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(Uuid::now_v7())
        .bind($membership)
        .bind($at)
        .bind($actor)
        .bind($action)
        .bind($from)
        .bind($to)
        .bind($reason)
        .execute(&mut *$tx)
        .await?;
    };
}

/// Moves the hub's `member_count` and the member's coverage counters when a membership
/// goes from `$from` to `$to` (only `active` counts).
macro_rules! move_counters {
    ($tx:expr, $hub_id:expr, $kind:expr, $org_id:expr, $from:expr, $to:expr) => {{
        let was: Option<MembershipStatus> = $from;
        let delta = i64::from($to == MembershipStatus::Active)
            - i64::from(was == Some(MembershipStatus::Active));
        if delta != 0 {
            sqlx::query("UPDATE hubs SET member_count = member_count + $2 WHERE id = $1")
                .bind($hub_id)
                .bind(delta)
                .execute(&mut *$tx)
                .await?;
            match $kind {
                HubKind::Regional if delta > 0 => {
                    sqlx::query("UPDATE organizations SET regional_hub_id = $2 WHERE id = $1")
                        .bind($org_id)
                        .bind($hub_id)
                        .execute(&mut *$tx)
                        .await?;
                }
                HubKind::Regional => {
                    sqlx::query(
                        "UPDATE organizations SET regional_hub_id = NULL WHERE id = $1 AND regional_hub_id = $2",
                    )
                    .bind($org_id)
                    .bind($hub_id)
                    .execute(&mut *$tx)
                    .await?;
                }
                HubKind::Industry => {
                    sqlx::query(
                        "UPDATE organizations SET industry_hubs = industry_hubs + $2 WHERE id = $1",
                    )
                    .bind($org_id)
                    .bind(delta)
                    .execute(&mut *$tx)
                    .await?;
                }
            }
        }
    }};
}

/// The member list's order as keys: initiating units first, then by name, then id.
const MEMBER_KEYS: &[(&str, Key)] = &[
    ("CASE WHEN m.initiating THEN 0 ELSE 1 END", Key::Int),
    ("m.member_name", Key::Text),
    ("m.id", Key::Uuid),
];

/// A hub's memberships, optionally of one status, in the list's order; counted without
/// the joins that name the organizations.
fn members_list(hub_id: Uuid, status: Option<MembershipStatus>) -> ListQuery {
    let mut args = vec![Arg::Uuid(hub_id)];
    let mut filter = String::from("m.hub_id = $1");
    if let Some(s) = status {
        args.push(Arg::Text(s.as_str().into()));
        filter.push_str(" AND m.status = $2");
    }
    let tables = (MEMBERSHIP_SELECT, "FROM hub_memberships m");
    ListQuery::filtered("hub_members", tables, &filter, args, MEMBER_KEYS).max(500)
}

impl Store {
    /// An organization applies to a hub: a `pending` membership. The join rules
    /// (`check_join`) apply: `Invalid` with field `hub`. `NotFound` for an unknown hub or
    /// organization. Audited as `membership.apply`.
    pub async fn apply_membership(
        &self,
        hub_id: Uuid,
        organization_id: Uuid,
        today: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Membership> {
        self.join_hub(hub_id, organization_id, false, false, today, ctx.into())
            .await
    }

    /// The hub side adds a member directly (`active`), optionally as an initiating unit;
    /// same rules as applying. Audited as `membership.add`.
    pub async fn add_member(
        &self,
        hub_id: Uuid,
        organization_id: Uuid,
        initiating: bool,
        today: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Membership> {
        self.join_hub(hub_id, organization_id, true, initiating, today, ctx.into())
            .await
    }

    /// The hub side adds many members at once (`shuniu generate`, imports): each
    /// `(hub, organization, initiating)` as [`add_member`](Self::add_member) would, the
    /// same rules asked for each in turn, all in one transaction (all or none).
    pub async fn add_members(
        &self,
        items: &[(Uuid, Uuid, bool)],
        today: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Vec<Membership>> {
        self.join_hubs(items, true, today, ctx.into()).await
    }

    /// A new live membership, `active` (added by the hub) or `pending` (applied for),
    /// after the join rules, all in one transaction.
    async fn join_hub(
        &self,
        hub_id: Uuid,
        organization_id: Uuid,
        add: bool,
        initiating: bool,
        today: NaiveDate,
        ctx: WriteCtx,
    ) -> Result<Membership> {
        let mut made = self
            .join_hubs(&[(hub_id, organization_id, initiating)], add, today, ctx)
            .await?;
        Ok(made.pop().expect("one in, one out"))
    }

    /// Applies a decision through the membership state machine (`State` when the action
    /// does not apply to the current status — also if it changed meanwhile). Keeps the
    /// hub's `member_count` and the member's coverage counters (`regional_hub_id`,
    /// `industry_hubs`) in the same transaction. Audited as `membership.<action>`.
    pub async fn decide_membership(
        &self,
        membership_id: Uuid,
        decision: &MembershipDecision,
        today: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Membership> {
        let ctx = ctx.into();
        let action = decision.action;
        let reason = Some(decision.reason.trim().to_string()).filter(|r| !r.is_empty());
        let now = crate::now();
        let select = format!("{MEMBERSHIP_SELECT} WHERE m.id = $1");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            lock_memberships!(self, tx);
            let row = sqlx::query_as::<_, MembershipRow>(&select)
                .bind(membership_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let before = Membership::try_from(row)?;
            let to = action.apply(before.status).ok_or_else(|| {
                StoreError::State(format!(
                    "cannot {action} a membership that is {}",
                    before.status
                ))
            })?;
            let (org_path, org_status): (String, String) =
                sqlx::query_as("SELECT jurisdiction_path, status FROM organizations WHERE id = $1")
                    .bind(before.organization_id)
                    .fetch_one(&mut *tx)
                    .await?;
            if to == MembershipStatus::Active && org_status == OrgStatus::Deregistered.as_str() {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "hub",
                    deregistered_cannot_join(),
                )));
            }
            // Guarded by the old status, so two racing decisions cannot both apply.
            let res = sqlx::query(
                "UPDATE hub_memberships SET status = $2, reason = $3, decided_on = $4, updated_at = $5 \
                 WHERE id = $1 AND status = $6",
            )
            .bind(membership_id)
            .bind(to.as_str())
            .bind(&reason)
            .bind(today)
            .bind(now)
            .bind(before.status.as_str())
            .execute(&mut *tx)
            .await?;
            if res.rows_affected() != 1 {
                return Err(StoreError::State(
                    "the membership changed meanwhile; try again".into(),
                ));
            }
            add_event!(
                tx,
                membership_id,
                now,
                ctx.actor.as_str(),
                action.as_str(),
                Some(before.status.as_str()),
                to.as_str(),
                reason.as_deref()
            );
            move_counters!(
                tx,
                before.hub_id,
                before.hub_kind,
                before.organization_id,
                Some(before.status),
                to
            );
            let details = json!({
                "hub_id": before.hub_id,
                "organization_id": before.organization_id,
                "from": before.status,
                "to": to,
                "reason": reason,
            })
            .to_string();
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    &format!("membership.{action}"),
                    format!("membership:{membership_id}"),
                    Outcome::Success,
                    details,
                    Some(org_path)
                )
            );
            tx.commit().await?;
            Ok(Membership {
                status: to,
                reason,
                decided_on: Some(today),
                ..before
            })
        })
    }

    /// Marks or unmarks a live membership as an initiating unit 发起单位. Audited.
    pub async fn set_initiating(
        &self,
        membership_id: Uuid,
        initiating: bool,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Membership> {
        let ctx = ctx.into();
        let now = crate::now();
        let select = format!("{MEMBERSHIP_SELECT} WHERE m.id = $1");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            lock_memberships!(self, tx);
            let row = sqlx::query_as::<_, MembershipRow>(&select)
                .bind(membership_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let before = Membership::try_from(row)?;
            if !before.status.is_live() {
                return Err(StoreError::State(format!(
                    "the membership is {}: only live memberships can be marked",
                    before.status
                )));
            }
            if before.initiating == initiating {
                return Ok(before);
            }
            sqlx::query(
                "UPDATE hub_memberships SET initiating = $2, updated_at = $3 WHERE id = $1",
            )
            .bind(membership_id)
            .bind(initiating)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let note = if initiating {
                "marked as an initiating unit"
            } else {
                "no longer an initiating unit"
            };
            add_event!(
                tx,
                membership_id,
                now,
                ctx.actor.as_str(),
                "initiating",
                Some(before.status.as_str()),
                before.status.as_str(),
                Some(note)
            );
            let org_path: String =
                sqlx::query_scalar("SELECT jurisdiction_path FROM organizations WHERE id = $1")
                    .bind(before.organization_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let details = json!({"hub_id": before.hub_id, "initiating": initiating}).to_string();
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "membership.initiating",
                    format!("membership:{membership_id}"),
                    Outcome::Success,
                    details,
                    Some(org_path)
                )
            );
            tx.commit().await?;
            Ok(Membership {
                initiating,
                ..before
            })
        })
    }

    pub async fn membership(&self, membership_id: Uuid) -> Result<Option<Membership>> {
        let sql = format!("{MEMBERSHIP_SELECT} WHERE m.id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, MembershipRow>(&sql)
            .bind(membership_id)
            .fetch_optional(p)
            .await)?;
        row.map(Membership::try_from).transpose()
    }

    /// A hub's memberships, optionally of one status: initiating units first, then by
    /// organization name; a numbered page.
    pub async fn hub_members(
        &self,
        hub_id: Uuid,
        status: Option<MembershipStatus>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Membership>> {
        let q = members_list(hub_id, status);
        self.list_numbered::<MembershipRow, _>(q, page, per_page, Membership::try_from)
            .await
    }

    /// The plan of a page of a hub's members (see `Store::read_plan`).
    #[cfg(feature = "testing")]
    pub async fn hub_members_plan_for_tests(
        &self,
        hub_id: Uuid,
        status: Option<MembershipStatus>,
    ) -> Result<Vec<String>> {
        self.list_plan(&members_list(hub_id, status)).await
    }

    /// One keyset page of a hub's memberships (optionally of one status) in the list's
    /// order, from a cursor (or the first), with a bounded total.
    pub async fn hub_members_keyset(
        &self,
        hub_id: Uuid,
        status: Option<MembershipStatus>,
        at: crate::At<'_>,
        per_page: u32,
    ) -> Result<crate::KeyPage<Membership>> {
        let q = members_list(hub_id, status);
        self.list_page::<MembershipRow, _>(q, at, per_page, Membership::try_from)
            .await
    }

    /// A hub's memberships in the list's order (initiating units first, then by
    /// name), `limit` after `after` (a download's keyset walk: no count, no skipped rows).
    pub async fn hub_members_chunk(
        &self,
        hub_id: Uuid,
        status: Option<MembershipStatus>,
        after: Option<&After>,
        limit: u32,
    ) -> Result<KeyChunk<Membership>> {
        let q = members_list(hub_id, status);
        self.list_chunk::<MembershipRow, _>(q, after, limit, Membership::try_from)
            .await
    }

    /// Every membership of an organization, live and past, newest first.
    pub async fn memberships_of(&self, organization_id: Uuid) -> Result<Vec<Membership>> {
        let sql = format!(
            "{MEMBERSHIP_SELECT} WHERE m.organization_id = $1 ORDER BY m.created_at DESC, m.id DESC LIMIT 1000"
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, MembershipRow>(&sql)
            .bind(organization_id)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(Membership::try_from).collect()
    }

    /// Organization ids of the hubs an organization is an active member of (what the
    /// access policy calls `hub_ids`).
    pub async fn active_hub_org_ids(&self, organization_id: Uuid) -> Result<Vec<Uuid>> {
        let ids = on_pool!(self, |p| {
            sqlx::query_scalar::<_, Uuid>(
            "SELECT hub_organization_id FROM hub_memberships WHERE organization_id = $1 AND status = 'active' \
             ORDER BY hub_organization_id"
        )
        .bind(organization_id)
        .fetch_all(p)
        .await
        })?;
        Ok(ids)
    }

    /// The steps of one membership, oldest first.
    pub async fn membership_history(&self, membership_id: Uuid) -> Result<Vec<MembershipEvent>> {
        let rows = on_pool!(self, |p| {
            sqlx::query_as::<_, EventRow>(
            "SELECT id, at, actor, action, from_status, to_status, reason FROM membership_events \
             WHERE membership_id = $1 ORDER BY at, id"
        )
        .bind(membership_id)
        .fetch_all(p)
        .await
        })?;
        rows.into_iter().map(MembershipEvent::try_from).collect()
    }

    /// The coverage counters kept on an organization: the regional hub it is an active
    /// member of, and how many industry hubs. `None` for an unknown organization.
    pub async fn hub_coverage_counters(
        &self,
        organization_id: Uuid,
    ) -> Result<Option<(Option<Uuid>, i64)>> {
        let row = on_pool!(self, |p| sqlx::query_as::<_, (Option<Uuid>, i64)>(
            "SELECT regional_hub_id, industry_hubs FROM organizations WHERE id = $1"
        )
        .bind(organization_id)
        .fetch_optional(p)
        .await)?;
        Ok(row)
    }

    /// Recounts every hub's members and every organization's coverage counters from the
    /// memberships and lists the kept counters that differ (for tests and `admin check`;
    /// empty when consistent).
    pub async fn hub_counter_mismatches(&self) -> Result<Vec<String>> {
        let hubs_sql = "SELECT h.id, h.member_count, \
            (SELECT COUNT(*) FROM hub_memberships m WHERE m.hub_id = h.id AND m.status = 'active') FROM hubs h";
        let orgs_sql = "SELECT o.id, o.regional_hub_id, o.industry_hubs, \
            (SELECT m.hub_id FROM hub_memberships m WHERE m.organization_id = o.id AND m.hub_kind = 'regional' AND m.status = 'active' LIMIT 1), \
            (SELECT COUNT(*) FROM hub_memberships m WHERE m.organization_id = o.id AND m.hub_kind = 'industry' AND m.status = 'active') \
            FROM organizations o";
        let (hubs, orgs) = on_pool!(self, |p| {
            let hubs = sqlx::query_as::<_, (Uuid, i64, i64)>(hubs_sql)
                .fetch_all(p)
                .await?;
            let orgs = sqlx::query_as::<_, (Uuid, Option<Uuid>, i64, Option<Uuid>, i64)>(orgs_sql)
                .fetch_all(p)
                .await?;
            Ok::<_, sqlx::Error>((hubs, orgs))
        })?;
        let mut out = Vec::new();
        for (id, kept, real) in hubs {
            if kept != real {
                out.push(format!(
                    "hub {id}: member_count {kept}, active members {real}"
                ));
            }
        }
        for (id, regional, industry, real_regional, real_industry) in orgs {
            if regional != real_regional {
                out.push(format!(
                    "organization {id}: regional_hub_id {regional:?}, active regional membership {real_regional:?}"
                ));
            }
            if industry != real_industry {
                out.push(format!(
                    "organization {id}: industry_hubs {industry}, active industry memberships {real_industry}"
                ));
            }
        }
        Ok(out)
    }
}
