//! Hubs: recognitions, the district core, memberships, and the structure views
//! (一核两轴 per district, 1+1+X per street) built from them.
//!
//! Membership rules are asked of `shuniu_domain::hubs::check_join` inside the writing
//! transaction; the ones a race could break are also database constraints (see the
//! migration `…_hubs_parks_party`). Membership writes run one at a time (PostgreSQL:
//! an advisory lock taken first; SQLite: `BEGIN IMMEDIATE`), so that two writes that
//! together would close a cycle never interleave.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::hubs::{
    Hub, HubCore, HubKind, HubLevel, HubStatus, JoinFacts, Membership, MembershipDecision,
    MembershipStatus, Recognition, check_join,
};
use shuniu_domain::jurisdiction::{
    Jurisdiction, JurisdictionCode, Level, shard_key_of_path, subtree_range,
};
use shuniu_domain::parks::{Venue, VenueData};
use shuniu_domain::registry::OrgStatus;
use shuniu_domain::{FieldError, FieldErrors};
use uuid::Uuid;

use crate::audit::append_in_tx;
use crate::{Arg, Page, Result, Store, StoreError, WriteCtx, bind_args, on_pool};

/// Filters of the hub list; all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HubFilter {
    /// Hubs whose jurisdiction lies in this subtree (path, e.g. `320000/320100/320102/`).
    pub path_prefix: Option<String>,
    pub kind: Option<HubKind>,
    /// Include revoked recognitions (history); default: standing ones only.
    pub include_revoked: bool,
}

/// One step of a membership's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MembershipEvent {
    pub id: Uuid,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    /// `apply`, `add`, `approve`, `reject`, … (a `MembershipAction` code, or `apply`/`add`/
    /// `initiating`/`hub_revoked`).
    pub action: String,
    pub from_status: Option<MembershipStatus>,
    pub to_status: MembershipStatus,
    pub reason: Option<String>,
}

/// A street on the horizontal axis of a district's 一核两轴.
#[derive(Debug, Clone, Serialize)]
pub struct StreetAxis {
    pub street: Jurisdiction,
    /// The street's regional hub (at most one standing).
    pub hub: Option<Hub>,
    /// Live organizations registered in the street.
    pub organizations: i64,
}

/// 一核两轴 of one district, from live data.
#[derive(Debug, Clone, Serialize)]
pub struct DistrictStructure {
    pub district: Jurisdiction,
    pub core: Option<HubCore>,
    /// Regional hubs bound to the district itself (district level), if any.
    pub district_hubs: Vec<Hub>,
    /// Every street of the district, in code order, with its regional hub.
    pub streets: Vec<StreetAxis>,
    /// Standing industry hubs whose jurisdiction is the district or above it
    /// (they lead organizations in it) or within it.
    pub industry: Vec<Hub>,
    /// Live organizations in the district.
    pub organizations: i64,
}

/// 1+1+X of one street.
#[derive(Debug, Clone, Serialize)]
pub struct StreetStructure {
    pub street: Jurisdiction,
    /// The service park(s): venues in the street (the hub's first).
    pub venues: Vec<Venue>,
    /// The promotion association: the street's regional hub.
    pub hub: Option<Hub>,
    /// X: active members of the street's hub, initiating units first, then by name
    /// (at most 500; `hub.member_count` has the total).
    pub members: Vec<Membership>,
    /// Live organizations in the street (members or not).
    pub organizations: i64,
}

/// Postgres advisory lock taken first by every membership write: membership writes run
/// one at a time, so the cycle check always sees the others' committed work. (Not the
/// audit head: taken first, it would invert the order every other writer uses —
/// row locks, then the head — and could deadlock with them.) SQLite's `BEGIN
/// IMMEDIATE` already serializes writers.
const MEMBERSHIP_LOCK: i64 = 0x5348_554e_4855_4231;

const LIVE_SQL: &str = "('pending','active','suspended')";

const HUB_SELECT: &str = "SELECT h.id, h.organization_id, o.name AS organization_name, h.kind, h.level, \
    h.jurisdiction_code, h.jurisdiction_path, h.base_body, h.fields_mask, h.recognizing_body, \
    h.document_number, h.recognized_on, h.functions_mask, h.status, h.revoked_on, h.revoke_reason, \
    h.member_count FROM hubs h JOIN organizations o ON o.id = h.organization_id";

const MEMBERSHIP_SELECT: &str = "SELECT m.id, m.hub_id, m.hub_organization_id, ho.name AS hub_name, \
    m.hub_kind, m.organization_id, o.name AS organization_name, m.status, m.initiating, m.reason, \
    m.applied_on, m.decided_on FROM hub_memberships m \
    JOIN organizations ho ON ho.id = m.hub_organization_id JOIN organizations o ON o.id = m.organization_id";

/// Initiating units first, then by name; ends on the id so that pages are stable.
const MEMBER_ORDER: &str = "m.initiating DESC, o.name, m.id";

/// Does `$1`'s hub (through live memberships, transitively) count `$2` among its members?
/// Walked upwards from `$2` (the hubs it is in, theirs, …): an organization is in a
/// handful of hubs, whereas a hub's members below it can number in the thousands.
const BELOW_SQL: &str = "WITH RECURSIVE above (org_id) AS ( \
    SELECT hub_organization_id FROM hub_memberships WHERE organization_id = $2 AND status IN ('pending','active','suspended') \
    UNION \
    SELECT m.hub_organization_id FROM hub_memberships m JOIN above a ON m.organization_id = a.org_id \
    WHERE m.status IN ('pending','active','suspended')) \
    SELECT COUNT(*) FROM above WHERE org_id = $1";

const REVOKED_REASON: &str = "hub recognition revoked";

#[derive(sqlx::FromRow)]
struct HubRow {
    id: Uuid,
    organization_id: Uuid,
    organization_name: String,
    kind: String,
    level: String,
    jurisdiction_code: String,
    jurisdiction_path: String,
    base_body: String,
    fields_mask: i64,
    recognizing_body: String,
    document_number: String,
    recognized_on: NaiveDate,
    functions_mask: i64,
    status: String,
    revoked_on: Option<NaiveDate>,
    revoke_reason: Option<String>,
    member_count: i64,
}

impl TryFrom<HubRow> for Hub {
    type Error = StoreError;
    /// Rows were validated on the way in; a row that does not parse is corruption.
    fn try_from(r: HubRow) -> Result<Self> {
        let id = r.id;
        let bad = |what: &str| StoreError::Corrupt(format!("corrupt hub row {id}: {what}"));
        Ok(Hub {
            id,
            organization_id: r.organization_id,
            organization_name: r.organization_name,
            recognition: Recognition {
                kind: HubKind::parse(&r.kind).ok_or_else(|| bad("kind"))?,
                level: HubLevel::parse(&r.level).ok_or_else(|| bad("level"))?,
                jurisdiction: JurisdictionCode::parse(&r.jurisdiction_code)
                    .map_err(|_| bad("jurisdiction"))?,
                base_body: r.base_body,
                fields_mask: r.fields_mask,
                recognizing_body: r.recognizing_body,
                document_number: r.document_number,
                recognized_on: r.recognized_on,
                functions_mask: r.functions_mask,
            },
            jurisdiction_path: r.jurisdiction_path,
            status: HubStatus::parse(&r.status).ok_or_else(|| bad("status"))?,
            revoked_on: r.revoked_on,
            revoke_reason: r.revoke_reason,
            member_count: r.member_count,
        })
    }
}

#[derive(sqlx::FromRow)]
struct MembershipRow {
    id: Uuid,
    hub_id: Uuid,
    hub_organization_id: Uuid,
    hub_name: String,
    hub_kind: String,
    organization_id: Uuid,
    organization_name: String,
    status: String,
    initiating: bool,
    reason: Option<String>,
    applied_on: NaiveDate,
    decided_on: Option<NaiveDate>,
}

impl TryFrom<MembershipRow> for Membership {
    type Error = StoreError;
    fn try_from(r: MembershipRow) -> Result<Self> {
        let id = r.id;
        let bad = |what: &str| StoreError::Corrupt(format!("corrupt membership row {id}: {what}"));
        Ok(Membership {
            id,
            hub_id: r.hub_id,
            hub_organization_id: r.hub_organization_id,
            hub_name: r.hub_name,
            hub_kind: HubKind::parse(&r.hub_kind).ok_or_else(|| bad("hub_kind"))?,
            organization_id: r.organization_id,
            organization_name: r.organization_name,
            status: MembershipStatus::parse(&r.status).ok_or_else(|| bad("status"))?,
            initiating: r.initiating,
            reason: r.reason,
            applied_on: r.applied_on,
            decided_on: r.decided_on,
        })
    }
}

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

#[derive(sqlx::FromRow)]
struct VenueRow {
    id: Uuid,
    hub_id: Option<Uuid>,
    hub_organization_id: Option<Uuid>,
    name: String,
    address: String,
    jurisdiction_code: String,
    jurisdiction_path: String,
    area_m2: i64,
    owner: String,
    free_of_charge: bool,
    terms: String,
    utilities_waived: bool,
    obligation: String,
    obligation_hours_per_quarter: i64,
}

impl TryFrom<VenueRow> for Venue {
    type Error = StoreError;
    fn try_from(r: VenueRow) -> Result<Self> {
        let id = r.id;
        let bad = |what: &str| StoreError::Corrupt(format!("corrupt venue row {id}: {what}"));
        Ok(Venue {
            id,
            hub_id: r.hub_id,
            hub_organization_id: r.hub_organization_id,
            data: VenueData {
                name: r.name,
                address: r.address,
                jurisdiction: JurisdictionCode::parse(&r.jurisdiction_code)
                    .map_err(|_| bad("jurisdiction"))?,
                area_m2: u32::try_from(r.area_m2).map_err(|_| bad("area_m2"))?,
                owner: r.owner,
                free_of_charge: r.free_of_charge,
                terms: r.terms,
                utilities_waived: r.utilities_waived,
                obligation: r.obligation,
                obligation_hours_per_quarter: u32::try_from(r.obligation_hours_per_quarter)
                    .map_err(|_| bad("obligation_hours_per_quarter"))?,
            },
            jurisdiction_path: r.jurisdiction_path,
        })
    }
}

fn invalid(field: &str, zh: &str, en: &str) -> StoreError {
    StoreError::Invalid(FieldErrors::single(field, FieldError::new(zh, en)))
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("corrupt row: {what}"))
}

fn in_subtree(path: &str, root: &str) -> bool {
    let (lo, hi) = subtree_range(root);
    path >= lo.as_str() && path < hi.as_str()
}

/// A unique index refused a row that the rules, read a moment earlier, allowed: a race.
/// Answer with the error the rule gives, not a bare conflict.
fn unique_as_invalid(e: sqlx::Error) -> StoreError {
    if let Some(db) = e.as_database_error()
        && db.is_unique_violation()
    {
        // PostgreSQL names the index; SQLite names the columns.
        let msg = format!("{} {}", db.message(), db.constraint().unwrap_or(""));
        let has = |a: &str, b: &str| msg.contains(a) || msg.contains(b);
        if has("hub_memberships_one_live_pair", "hub_memberships.hub_id") {
            return invalid(
                "hub",
                "已是该枢纽的成员或已提出申请",
                "already a member of this hub, or applied",
            );
        }
        if has(
            "hub_memberships_one_regional",
            "hub_memberships.organization_id",
        ) {
            return invalid(
                "hub",
                "一个组织只能加入一个区域性枢纽",
                "an organization can belong to only one regional hub",
            );
        }
        if has("hubs_one_regional_per_node", "hubs.jurisdiction_code") {
            return already_regional_hub();
        }
        if has("hubs_one_recognition", "hubs.organization_id") {
            return already_recognized();
        }
    }
    StoreError::from(e)
}

fn already_regional_hub() -> StoreError {
    invalid(
        "jurisdiction",
        "该行政区划已有区域性枢纽",
        "this jurisdiction already has a regional hub",
    )
}

fn already_recognized() -> StoreError {
    invalid(
        "organization_id",
        "该组织已被认定为枢纽",
        "this organization already holds a standing hub recognition",
    )
}

/// Every `$n` after the ones already bound, for a dynamic `IN (…)` list.
fn placeholders(args: &mut Vec<Arg>, values: impl IntoIterator<Item = String>) -> String {
    let mut out = Vec::new();
    for v in values {
        args.push(Arg::Text(v));
        out.push(format!("${}", args.len()));
    }
    out.join(", ")
}

/// Takes the membership lock (PostgreSQL) in the open transaction `$tx`.
macro_rules! lock_memberships {
    ($store:expr, $tx:expr) => {
        if $store.dialect() == $crate::Dialect::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(MEMBERSHIP_LOCK)
                .execute(&mut *$tx)
                .await?;
        }
    };
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

impl Store {
    /// Recognizes `organization_id` as a hub. Rules (errors are `Invalid` naming the
    /// field): the organization exists (`NotFound` otherwise) and is not deregistered
    /// (`organization_id`); it holds no standing recognition (`organization_id`); the
    /// jurisdiction exists (`jurisdiction`); a regional hub's organization is registered
    /// within the jurisdiction (`organization_id`) and the node has no standing regional
    /// hub (`jurisdiction`) — also a unique index, so a race yields the same error.
    /// Audited as `hub.recognize`.
    pub async fn recognize_hub(
        &self,
        organization_id: Uuid,
        recognition: &Recognition,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Hub> {
        let ctx = ctx.into();
        let r = recognition;
        let now = crate::now();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let (org_name, org_path, org_status): (String, String, String) = sqlx::query_as(
                "SELECT name, jurisdiction_path, status FROM organizations WHERE id = $1",
            )
            .bind(organization_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            let node: Option<(String, String)> =
                sqlx::query_as("SELECT level, path FROM jurisdictions WHERE code = $1")
                    .bind(r.jurisdiction.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            let standing: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM hubs WHERE organization_id = $1 AND status = 'recognized'",
            )
            .bind(organization_id)
            .fetch_one(&mut *tx)
            .await?;
            let mut e = FieldErrors::new();
            if org_status == OrgStatus::Deregistered.as_str() {
                e.add(
                    "organization_id",
                    FieldError::new(
                        "已注销的组织不能认定为枢纽",
                        "a deregistered organization cannot be recognized as a hub",
                    ),
                );
            }
            if standing > 0 {
                e.add(
                    "organization_id",
                    FieldError::new(
                        "该组织已被认定为枢纽",
                        "this organization already holds a standing hub recognition",
                    ),
                );
            }
            match &node {
                None => e.add(
                    "jurisdiction",
                    FieldError::new("没有这个行政区划", "is not a known jurisdiction"),
                ),
                Some((level, path)) if r.kind == HubKind::Regional => {
                    if level == Level::Community.as_str() {
                        e.add(
                            "jurisdiction",
                            FieldError::new(
                                "区域性枢纽应绑定街道或区",
                                "a regional hub is bound to a street or a district",
                            ),
                        );
                    }
                    if !in_subtree(&org_path, path) {
                        e.add(
                            "organization_id",
                            FieldError::new(
                                "区域性枢纽组织须登记在其辖区内",
                                "a regional hub's organization must be registered within its jurisdiction",
                            ),
                        );
                    }
                    let taken: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM hubs WHERE jurisdiction_code = $1 AND kind = 'regional' AND status = 'recognized'",
                    )
                    .bind(r.jurisdiction.as_str())
                    .fetch_one(&mut *tx)
                    .await?;
                    if taken > 0 {
                        e.add(
                            "jurisdiction",
                            FieldError::new(
                                "该行政区划已有区域性枢纽",
                                "this jurisdiction already has a regional hub",
                            ),
                        );
                    }
                }
                Some(_) => {}
            }
            if !e.is_empty() {
                return Err(StoreError::Invalid(e));
            }
            let path = node.map(|(_, p)| p).unwrap_or_default();
            let hub = Hub {
                id: Uuid::now_v7(),
                organization_id,
                organization_name: org_name,
                recognition: r.clone(),
                jurisdiction_path: path.clone(),
                status: HubStatus::Recognized,
                revoked_on: None,
                revoke_reason: None,
                member_count: 0,
            };
            sqlx::query(
                "INSERT INTO hubs (id, shard_key, organization_id, kind, level, jurisdiction_code, jurisdiction_path, \
                 base_body, fields_mask, recognizing_body, document_number, recognized_on, functions_mask, status, \
                 revoked_on, revoke_reason, member_count, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULL, NULL, 0, $15, $15)",
            )
            .bind(hub.id)
            .bind(shard_key_of_path(&path))
            .bind(organization_id)
            .bind(r.kind.as_str())
            .bind(r.level.as_str())
            .bind(r.jurisdiction.as_str())
            .bind(&path)
            .bind(&r.base_body)
            .bind(r.fields_mask)
            .bind(&r.recognizing_body)
            .bind(&r.document_number)
            .bind(r.recognized_on)
            .bind(r.functions_mask)
            .bind(HubStatus::Recognized.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(unique_as_invalid)?;
            let details = json!({"organization_id": organization_id, "recognition": r}).to_string();
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "hub.recognize",
                    format!("hub:{}", hub.id),
                    Outcome::Success,
                    details,
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(hub)
        })
    }

    /// Revokes a standing recognition (`State` if already revoked). Its live memberships
    /// end (`left`, reason "hub recognition revoked", with events), and the members'
    /// coverage counters follow. Audited as `hub.revoke`.
    pub async fn revoke_hub(
        &self,
        hub_id: Uuid,
        reason: &str,
        on: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Hub> {
        let ctx = ctx.into();
        let reason = Some(reason.trim().to_string()).filter(|r| !r.is_empty());
        let now = crate::now();
        let select = format!("{HUB_SELECT} WHERE h.id = $1");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            lock_memberships!(self, tx);
            let row = sqlx::query_as::<_, HubRow>(&select)
                .bind(hub_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let before = Hub::try_from(row)?;
            if before.status == HubStatus::Revoked {
                return Err(StoreError::State(
                    "this hub's recognition is already revoked".into(),
                ));
            }
            // Counters first, while the memberships still say who was active.
            match before.recognition.kind {
                HubKind::Regional => {
                    sqlx::query(
                        "UPDATE organizations SET regional_hub_id = NULL WHERE regional_hub_id = $1",
                    )
                    .bind(hub_id)
                    .execute(&mut *tx)
                    .await?;
                }
                HubKind::Industry => {
                    sqlx::query(
                        "UPDATE organizations SET industry_hubs = industry_hubs - 1 WHERE id IN \
                         (SELECT organization_id FROM hub_memberships WHERE hub_id = $1 AND status = 'active')",
                    )
                    .bind(hub_id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            let ended: Vec<(Uuid, String)> = sqlx::query_as(&format!(
                "SELECT id, status FROM hub_memberships WHERE hub_id = $1 AND status IN {LIVE_SQL} ORDER BY id"
            ))
            .bind(hub_id)
            .fetch_all(&mut *tx)
            .await?;
            sqlx::query(&format!(
                "UPDATE hub_memberships SET status = 'left', reason = $2, decided_on = $3, updated_at = $4 \
                 WHERE hub_id = $1 AND status IN {LIVE_SQL}"
            ))
            .bind(hub_id)
            .bind(REVOKED_REASON)
            .bind(on)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            // One multi-row insert per 100 events, not one statement per member.
            for chunk in ended.chunks(100) {
                let values = (0..chunk.len())
                    .map(|i| {
                        let b = 5 + 3 * i;
                        format!("(${}, ${}, $1, $2, $4, ${}, $5, $3)", b + 1, b + 2, b + 3)
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql = format!(
                    "INSERT INTO membership_events (id, membership_id, at, actor, action, from_status, \
                     to_status, reason) VALUES {values}"
                );
                let mut q = sqlx::query(&sql)
                    .bind(now)
                    .bind(ctx.actor.as_str())
                    .bind(REVOKED_REASON)
                    .bind("hub_revoked")
                    .bind(MembershipStatus::Left.as_str());
                for (mid, from) in chunk {
                    q = q.bind(Uuid::now_v7()).bind(*mid).bind(from.as_str());
                }
                q.execute(&mut *tx).await?;
            }
            sqlx::query(
                "UPDATE hubs SET status = 'revoked', revoked_on = $2, revoke_reason = $3, member_count = 0, \
                 updated_at = $4 WHERE id = $1",
            )
            .bind(hub_id)
            .bind(on)
            .bind(&reason)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let details = json!({
                "reason": reason,
                "revoked_on": on,
                "memberships_ended": ended.len(),
            })
            .to_string();
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "hub.revoke",
                    format!("hub:{hub_id}"),
                    Outcome::Success,
                    details,
                    Some(before.jurisdiction_path.clone())
                )
            );
            tx.commit().await?;
            Ok(Hub {
                status: HubStatus::Revoked,
                revoked_on: Some(on),
                revoke_reason: reason,
                member_count: 0,
                ..before
            })
        })
    }

    pub async fn hub(&self, hub_id: Uuid) -> Result<Option<Hub>> {
        let sql = format!("{HUB_SELECT} WHERE h.id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, HubRow>(&sql)
            .bind(hub_id)
            .fetch_optional(p)
            .await)?;
        row.map(Hub::try_from).transpose()
    }

    /// The standing recognition held by an organization, if any.
    pub async fn hub_of_organization(&self, organization_id: Uuid) -> Result<Option<Hub>> {
        let sql = format!("{HUB_SELECT} WHERE h.organization_id = $1 AND h.status = 'recognized'");
        let row = on_pool!(self, |p| sqlx::query_as::<_, HubRow>(&sql)
            .bind(organization_id)
            .fetch_optional(p)
            .await)?;
        row.map(Hub::try_from).transpose()
    }

    /// Hubs by id, any status; unknown ids are left out. One query per 500 ids, for pages
    /// that show the hubs of many rows (never one query per row).
    pub async fn hubs_by_ids(&self, ids: &[Uuid]) -> Result<Vec<Hub>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks = (1..=chunk.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("{HUB_SELECT} WHERE h.id IN ({marks})");
            let rows = on_pool!(self, |p| {
                let mut q = sqlx::query_as::<_, HubRow>(&sql);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.fetch_all(p).await
            })?;
            for row in rows {
                out.push(Hub::try_from(row)?);
            }
        }
        Ok(out)
    }

    /// Standing hubs bound to the node at `path` or to one above it (whose jurisdiction
    /// contains an organization registered at `path`), by kind, then path, then name; at
    /// most `limit`. An index lookup per ancestor path, not a walk over every hub.
    pub async fn hubs_over_path(&self, path: &str, limit: u32) -> Result<Vec<Hub>> {
        let mut at = String::new();
        let mut paths = Vec::new();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            at.push_str(part);
            at.push('/');
            paths.push(at.clone());
        }
        if paths.is_empty() {
            return Ok(vec![]);
        }
        let mut args = Vec::new();
        let list = placeholders(&mut args, paths);
        let sql = format!(
            "{HUB_SELECT} WHERE h.status = 'recognized' AND h.jurisdiction_path IN ({list}) \
             ORDER BY CASE h.kind WHEN 'regional' THEN 0 ELSE 1 END, h.jurisdiction_path, o.name, h.id \
             LIMIT {}",
            limit.clamp(1, 1000)
        );
        let rows = on_pool!(self, |p| bind_args!(
            sqlx::query_as::<_, HubRow>(&sql),
            args
        )
        .fetch_all(p)
        .await)?;
        rows.into_iter().map(Hub::try_from).collect()
    }

    /// Hubs matching `filter`, by kind, then jurisdiction path, then name; paged in the database.
    pub async fn list_hubs(
        &self,
        filter: &HubFilter,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Hub>> {
        let page = page.max(1);
        let per_page = per_page.clamp(1, 200);
        let mut where_ = vec!["1 = 1".to_string()];
        let mut args: Vec<Arg> = Vec::new();
        if let Some(prefix) = &filter.path_prefix {
            let (lo, hi) = subtree_range(prefix);
            args.push(Arg::Text(lo));
            args.push(Arg::Text(hi));
            where_.push(format!(
                "h.jurisdiction_path >= ${} AND h.jurisdiction_path < ${}",
                args.len() - 1,
                args.len()
            ));
        }
        if let Some(k) = filter.kind {
            args.push(Arg::Text(k.as_str().into()));
            where_.push(format!("h.kind = ${}", args.len()));
        }
        if !filter.include_revoked {
            where_.push("h.status = 'recognized'".into());
        }
        let where_sql = where_.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) FROM hubs h WHERE {where_sql}");
        let list_sql = format!(
            "{HUB_SELECT} WHERE {where_sql} \
             ORDER BY CASE h.kind WHEN 'regional' THEN 0 ELSE 1 END, h.jurisdiction_path, o.name, h.id \
             LIMIT {per_page} OFFSET {}",
            (u64::from(page) - 1) * u64::from(per_page)
        );
        let (total, rows) = on_pool!(self, |p| {
            let total: i64 = bind_args!(sqlx::query_scalar::<_, i64>(&count_sql), args)
                .fetch_one(p)
                .await?;
            let rows = bind_args!(sqlx::query_as::<_, HubRow>(&list_sql), args)
                .fetch_all(p)
                .await?;
            Ok::<_, sqlx::Error>((total, rows))
        })?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(Hub::try_from)
                .collect::<Result<Vec<_>>>()?,
            total,
            page,
            per_page,
        })
    }

    /// Names (or renames) a district's core. `Invalid(jurisdiction)` unless the code is a
    /// known district. Audited as `hub.core`.
    pub async fn set_hub_core(&self, core: &HubCore, ctx: impl Into<WriteCtx>) -> Result<()> {
        let ctx = ctx.into();
        let name_zh = core.name_zh.trim();
        let name_en = core.name_en.trim();
        let mut e = FieldErrors::new();
        for (field, v) in [("name_zh", name_zh), ("name_en", name_en)] {
            if v.is_empty() {
                e.add(field, FieldError::required());
            } else if v.chars().count() > 100 {
                e.add(
                    field,
                    FieldError::new("不超过100个字符", "at most 100 characters"),
                );
            }
        }
        let now = crate::now();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let node: Option<(String, String)> =
                sqlx::query_as("SELECT level, path FROM jurisdictions WHERE code = $1")
                    .bind(core.jurisdiction.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            let path = match node {
                Some((level, path)) if level == Level::District.as_str() => Some(path),
                _ => {
                    e.add(
                        "jurisdiction",
                        FieldError::new("应为已知的区", "must be a known district"),
                    );
                    None
                }
            };
            if !e.is_empty() {
                return Err(StoreError::Invalid(e));
            }
            sqlx::query(
                "INSERT INTO hub_cores (jurisdiction_code, name_zh, name_en, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (jurisdiction_code) DO UPDATE SET name_zh = excluded.name_zh, \
                 name_en = excluded.name_en, updated_at = excluded.updated_at",
            )
            .bind(core.jurisdiction.as_str())
            .bind(name_zh)
            .bind(name_en)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let details = json!({"name_zh": name_zh, "name_en": name_en}).to_string();
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "hub.core",
                    format!("hub_core:{}", core.jurisdiction),
                    Outcome::Success,
                    details,
                    path
                )
            );
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn hub_core(&self, district_code: &str) -> Result<Option<HubCore>> {
        let row: Option<(String, String, String)> = on_pool!(self, |p| {
            sqlx::query_as(
            "SELECT jurisdiction_code, name_zh, name_en FROM hub_cores WHERE jurisdiction_code = $1"
        )
        .bind(district_code)
        .fetch_optional(p)
        .await
        })?;
        row.map(|(code, name_zh, name_en)| {
            Ok(HubCore {
                jurisdiction: JurisdictionCode::parse(&code).map_err(|_| corrupt("hub core"))?,
                name_zh,
                name_en,
            })
        })
        .transpose()
    }

    /// `None` when the code is not a known district.
    pub async fn district_structure(
        &self,
        district_code: &str,
    ) -> Result<Option<DistrictStructure>> {
        let Some(district) = self
            .jurisdiction(district_code)
            .await?
            .filter(|j| j.level == Level::District)
        else {
            return Ok(None);
        };
        let core = self.hub_core(district_code).await?;
        let streets = self.jurisdiction_children(district_code).await?;
        let stats = self.subtree_stats_under(&district).await?;
        // Every standing hub within the district, and the industry hubs above it: one query.
        let (lo, hi) = district.subtree_range();
        let mut args = vec![Arg::Text(lo), Arg::Text(hi)];
        let ancestors: Vec<String> = {
            let codes: Vec<&str> = district.path.trim_end_matches('/').split('/').collect();
            (1..codes.len())
                .map(|n| format!("{}/", codes[..n].join("/")))
                .collect()
        };
        let above = if ancestors.is_empty() {
            String::new()
        } else {
            format!(
                " OR (h.kind = 'industry' AND h.jurisdiction_path IN ({}))",
                placeholders(&mut args, ancestors)
            )
        };
        let sql = format!(
            "{HUB_SELECT} WHERE h.status = 'recognized' AND \
             ((h.jurisdiction_path >= $1 AND h.jurisdiction_path < $2){above}) \
             ORDER BY h.jurisdiction_path, o.name, h.id"
        );
        let rows = on_pool!(self, |p| bind_args!(
            sqlx::query_as::<_, HubRow>(&sql),
            args
        )
        .fetch_all(p)
        .await)?;
        let mut district_hubs = Vec::new();
        let mut industry = Vec::new();
        let mut by_street: std::collections::HashMap<String, Hub> = Default::default();
        for row in rows {
            let hub = Hub::try_from(row)?;
            match hub.recognition.kind {
                HubKind::Industry => industry.push(hub),
                HubKind::Regional if hub.recognition.jurisdiction == district.code => {
                    district_hubs.push(hub)
                }
                HubKind::Regional => {
                    by_street.insert(hub.recognition.jurisdiction.to_string(), hub);
                }
            }
        }
        let count = |code: &str| stats.get(code).map(|s| s.organizations).unwrap_or(0);
        let streets = streets
            .into_iter()
            .map(|street| StreetAxis {
                hub: by_street.remove(street.code.as_str()),
                organizations: count(street.code.as_str()),
                street,
            })
            .collect();
        Ok(Some(DistrictStructure {
            organizations: count(district.code.as_str()),
            district,
            core,
            district_hubs,
            streets,
            industry,
        }))
    }

    /// `None` when the code is not a known street.
    pub async fn street_structure(&self, street_code: &str) -> Result<Option<StreetStructure>> {
        let Some(street) = self
            .jurisdiction(street_code)
            .await?
            .filter(|j| j.level == Level::Street)
        else {
            return Ok(None);
        };
        let hub_sql = format!(
            "{HUB_SELECT} WHERE h.jurisdiction_code = $1 AND h.kind = 'regional' AND h.status = 'recognized'"
        );
        let hub = on_pool!(self, |p| sqlx::query_as::<_, HubRow>(&hub_sql)
            .bind(street_code)
            .fetch_optional(p)
            .await)?
        .map(Hub::try_from)
        .transpose()?;
        let hub_id = hub.as_ref().map(|h| h.id);
        let (lo, hi) = street.subtree_range();
        // Venues in the street, and any the street's hub runs; the hub's first.
        let venue_sql = "SELECT v.id, v.hub_id, h.organization_id AS hub_organization_id, v.name, v.address, \
             v.jurisdiction_code, v.jurisdiction_path, v.area_m2, v.owner, v.free_of_charge, v.terms, \
             v.utilities_waived, v.obligation, v.obligation_hours_per_quarter \
             FROM venues v LEFT JOIN hubs h ON h.id = v.hub_id \
             WHERE (v.jurisdiction_path >= $1 AND v.jurisdiction_path < $2) OR v.hub_id = $3 \
             ORDER BY CASE WHEN v.hub_id = $3 THEN 0 ELSE 1 END, v.name, v.id LIMIT 100";
        let venues = on_pool!(self, |p| sqlx::query_as::<_, VenueRow>(venue_sql)
            .bind(&lo)
            .bind(&hi)
            .bind(hub_id)
            .fetch_all(p)
            .await)?
        .into_iter()
        .map(Venue::try_from)
        .collect::<Result<Vec<_>>>()?;
        let members = match hub_id {
            Some(id) => {
                let sql = format!(
                    "{MEMBERSHIP_SELECT} WHERE m.hub_id = $1 AND m.status = 'active' ORDER BY {MEMBER_ORDER} LIMIT 500"
                );
                on_pool!(self, |p| sqlx::query_as::<_, MembershipRow>(&sql)
                    .bind(id)
                    .fetch_all(p)
                    .await)?
                .into_iter()
                .map(Membership::try_from)
                .collect::<Result<Vec<_>>>()?
            }
            None => Vec::new(),
        };
        let organizations = self.subtree_stats(&street).await?.organizations;
        Ok(Some(StreetStructure {
            street,
            venues,
            hub,
            members,
            organizations,
        }))
    }

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
        let (action, status) = if add {
            ("add", MembershipStatus::Active)
        } else {
            ("apply", MembershipStatus::Pending)
        };
        let now = crate::now();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            lock_memberships!(self, tx);
            let (hub_org, hub_name, hub_kind, hub_status, hub_path): (
                Uuid,
                String,
                String,
                String,
                String,
            ) = sqlx::query_as(
                "SELECT h.organization_id, o.name, h.kind, h.status, h.jurisdiction_path \
                 FROM hubs h JOIN organizations o ON o.id = h.organization_id WHERE h.id = $1",
            )
            .bind(hub_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            let (org_name, org_path, org_status): (String, String, String) = sqlx::query_as(
                "SELECT name, jurisdiction_path, status FROM organizations WHERE id = $1",
            )
            .bind(organization_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            let hub_kind = HubKind::parse(&hub_kind).ok_or_else(|| corrupt("hub kind"))?;
            let live = sqlx::query_as::<_, (Uuid, String)>(&format!(
                "SELECT hub_id, hub_kind FROM hub_memberships WHERE organization_id = $1 AND status IN {LIVE_SQL}"
            ))
            .bind(organization_id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|(h, k)| Ok((h, HubKind::parse(&k).ok_or_else(|| corrupt("hub kind"))?)))
            .collect::<Result<Vec<_>>>()?;
            let below: i64 = sqlx::query_scalar(BELOW_SQL)
                .bind(organization_id)
                .bind(hub_org)
                .fetch_one(&mut *tx)
                .await?;
            check_join(&JoinFacts {
                organization_id,
                organization_path: &org_path,
                organization_status: OrgStatus::parse(&org_status)
                    .ok_or_else(|| corrupt("organization status"))?,
                hub_organization_id: hub_org,
                hub_kind,
                hub_status: HubStatus::parse(&hub_status).ok_or_else(|| corrupt("hub status"))?,
                hub_path: &hub_path,
                live: &live,
                hub_id,
                hub_is_below_organization: below > 0,
            })
            .map_err(StoreError::Invalid)?;
            let m = Membership {
                id: Uuid::now_v7(),
                hub_id,
                hub_organization_id: hub_org,
                hub_name,
                hub_kind,
                organization_id,
                organization_name: org_name,
                status,
                initiating,
                reason: None,
                applied_on: today,
                decided_on: add.then_some(today),
            };
            sqlx::query(
                "INSERT INTO hub_memberships (id, shard_key, hub_id, hub_organization_id, hub_kind, organization_id, \
                 status, initiating, reason, applied_on, decided_on, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10, $11, $11)",
            )
            .bind(m.id)
            .bind(shard_key_of_path(&org_path))
            .bind(hub_id)
            .bind(hub_org)
            .bind(hub_kind.as_str())
            .bind(organization_id)
            .bind(status.as_str())
            .bind(initiating)
            .bind(today)
            .bind(m.decided_on)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(unique_as_invalid)?;
            add_event!(
                tx,
                m.id,
                now,
                ctx.actor.as_str(),
                action,
                None::<&str>,
                status.as_str(),
                None::<&str>
            );
            move_counters!(tx, hub_id, hub_kind, organization_id, None, status);
            let details = json!({
                "hub_id": hub_id,
                "organization_id": organization_id,
                "status": status,
                "initiating": initiating,
            })
            .to_string();
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    &format!("membership.{action}"),
                    format!("membership:{}", m.id),
                    Outcome::Success,
                    details,
                    Some(org_path.clone())
                )
            );
            tx.commit().await?;
            Ok(m)
        })
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
                return Err(invalid(
                    "hub",
                    "已注销的组织不能加入枢纽",
                    "a deregistered organization cannot join a hub",
                ));
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
    /// organization name; paged in the database.
    pub async fn hub_members(
        &self,
        hub_id: Uuid,
        status: Option<MembershipStatus>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Membership>> {
        let page = page.max(1);
        let per_page = per_page.clamp(1, 500);
        // `$1` is the hub id, bound first; the status, if any, follows it.
        let mut rest = Vec::new();
        let status_sql = match status {
            Some(s) => {
                rest.push(Arg::Text(s.as_str().into()));
                " AND m.status = $2"
            }
            None => "",
        };
        let count_sql =
            format!("SELECT COUNT(*) FROM hub_memberships m WHERE m.hub_id = $1{status_sql}");
        let list_sql = format!(
            "{MEMBERSHIP_SELECT} WHERE m.hub_id = $1{status_sql} ORDER BY {MEMBER_ORDER} LIMIT {per_page} OFFSET {}",
            (u64::from(page) - 1) * u64::from(per_page)
        );
        let (total, rows) = on_pool!(self, |p| {
            let total: i64 =
                bind_args!(sqlx::query_scalar::<_, i64>(&count_sql).bind(hub_id), rest)
                    .fetch_one(p)
                    .await?;
            let rows = bind_args!(
                sqlx::query_as::<_, MembershipRow>(&list_sql).bind(hub_id),
                rest
            )
            .fetch_all(p)
            .await?;
            Ok::<_, sqlx::Error>((total, rows))
        })?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(Membership::try_from)
                .collect::<Result<Vec<_>>>()?,
            total,
            page,
            per_page,
        })
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
