//! Hubs: recognitions (`recognitions`), the district core (`cores`), and memberships
//! (`memberships`). The structure views built from them (一核两轴 per district, 1+1+X
//! per street) join parks and jurisdictions too and live in `crate::views::structure`.
//!
//! The rules are the domain's pure functions (`shuniu_domain::hubs::check_recognition`,
//! `check_join`, `check_core`), asked inside the writing transaction with the facts it
//! read; the ones a race could break are also unique indexes (see [`UNIQUES`] and the
//! migration `…_hubs_parks_party`), whose refusal is answered with the rule's message.

use chrono::NaiveDate;
use serde::Serialize;
use shuniu_domain::hubs::{
    self as rules, Hub, HubKind, HubLevel, HubStatus, Membership, MembershipStatus, Recognition,
};
use shuniu_domain::jurisdiction::JurisdictionCode;
use uuid::Uuid;

use crate::{Arg, Result, StoreError, Taken, Unique};

mod cores;
mod joining;
mod memberships;
mod recognitions;

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

/// The unique indexes of hubs and memberships. Each backs a rule that the writing
/// transaction asked first, so a refusal means a concurrent write won the race: it is
/// answered with the rule's own message.
pub(crate) const UNIQUES: &[Unique] = &[
    Unique {
        pg: "hubs_one_recognition",
        sqlite: "hubs.organization_id",
        taken: Taken::Rule("organization_id", rules::already_recognized),
    },
    Unique {
        pg: "hubs_one_regional_per_node",
        sqlite: "hubs.jurisdiction_code",
        taken: Taken::Rule("jurisdiction", rules::jurisdiction_has_regional_hub),
    },
    Unique {
        pg: "hub_memberships_one_live_pair",
        sqlite: "hub_memberships.hub_id, hub_memberships.organization_id",
        taken: Taken::Rule("hub", rules::already_member),
    },
    Unique {
        pg: "hub_memberships_one_regional",
        sqlite: "hub_memberships.organization_id",
        taken: Taken::Rule("hub", rules::one_regional_hub),
    },
];

/// The statuses of a live membership, as SQL.
pub(crate) const LIVE_SQL: &str = "('pending','active','suspended')";

pub(crate) const HUB_SELECT: &str = "SELECT h.id, h.organization_id, o.name AS organization_name, h.kind, h.level, \
    h.jurisdiction_code, h.jurisdiction_path, h.base_body, h.fields_mask, h.recognizing_body, \
    h.document_number, h.recognized_on, h.functions_mask, h.status, h.revoked_on, h.revoke_reason, \
    h.member_count FROM hubs h JOIN organizations o ON o.id = h.organization_id";

pub(crate) const MEMBERSHIP_SELECT: &str = "SELECT m.id, m.hub_id, m.hub_organization_id, ho.name AS hub_name, \
    m.hub_kind, m.organization_id, o.name AS organization_name, m.status, m.initiating, m.reason, \
    m.applied_on, m.decided_on FROM hub_memberships m \
    JOIN organizations ho ON ho.id = m.hub_organization_id JOIN organizations o ON o.id = m.organization_id";

/// Initiating units first, then by name; ends on the id so that pages are stable.
pub(crate) const MEMBER_ORDER: &str = "m.initiating DESC, o.name, m.id";

#[derive(sqlx::FromRow)]
pub(crate) struct HubRow {
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
pub(crate) struct MembershipRow {
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

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("corrupt row: {what}"))
}

/// Every `$n` after the ones already bound, for a dynamic `IN (…)` list.
pub(crate) fn placeholders(
    args: &mut Vec<Arg>,
    values: impl IntoIterator<Item = String>,
) -> String {
    let mut out = Vec::new();
    for v in values {
        args.push(Arg::Text(v));
        out.push(format!("${}", args.len()));
    }
    out.join(", ")
}

/// Postgres advisory lock taken first by every membership write: membership writes run
/// one at a time, so the cycle check always sees the others' committed work. (Not the
/// audit head: taken first, it would invert the order every other writer uses —
/// row locks, then the head — and could deadlock with them.) SQLite's `BEGIN
/// IMMEDIATE` already serializes writers.
pub(crate) const MEMBERSHIP_LOCK: i64 = 0x5348_554e_4855_4231;

/// Takes the membership lock (PostgreSQL) in the open transaction `$tx`.
macro_rules! lock_memberships {
    ($store:expr, $tx:expr) => {
        if $store.dialect() == $crate::Dialect::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind($crate::hubs::MEMBERSHIP_LOCK)
                .execute(&mut *$tx)
                .await?;
        }
    };
}
pub(crate) use lock_memberships;

/// Renames organization `$id` to `$name` where the hub lists keep its name (its
/// memberships, the hubs it runs), in the caller's transaction `$tx`: those lists walk
/// indexes on the name, so a rename that left them stale would misplace it.
macro_rules! rename_in_hubs {
    ($tx:expr, $id:expr, $name:expr) => {{
        for sql in [
            "UPDATE hub_memberships SET member_name = $2 WHERE organization_id = $1",
            "UPDATE hubs SET name = $2 WHERE organization_id = $1",
        ] {
            sqlx::query(sql)
                .bind($id)
                .bind($name)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use rename_in_hubs;
