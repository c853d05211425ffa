//! Hubs: recognitions, the district core, memberships, and the structure views
//! (一核两轴 per district, 1+1+X per street) built from them.
//!
//! Membership rules are asked of `shuniu_domain::hubs::check_join` inside the writing
//! transaction; the ones a race could break are also database constraints (see the
//! migration `…_hubs_parks_party`). Writes that could close a membership cycle take
//! the audit chain's head lock first, so that two such writes never interleave.

use chrono::NaiveDate;
use serde::Serialize;
use shuniu_domain::hubs::{
    Hub, HubCore, HubKind, Membership, MembershipDecision, MembershipStatus, Recognition,
};
use shuniu_domain::jurisdiction::Jurisdiction;
use shuniu_domain::parks::Venue;
use uuid::Uuid;

use crate::{Page, Result, Store, WriteCtx};

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
        let _ = (organization_id, recognition, ctx.into());
        todo!()
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
        let _ = (hub_id, reason, on, ctx.into());
        todo!()
    }

    pub async fn hub(&self, hub_id: Uuid) -> Result<Option<Hub>> {
        let _ = hub_id;
        todo!()
    }

    /// The standing recognition held by an organization, if any.
    pub async fn hub_of_organization(&self, organization_id: Uuid) -> Result<Option<Hub>> {
        let _ = organization_id;
        todo!()
    }

    /// Hubs matching `filter`, by kind, then jurisdiction path, then name; paged in the database.
    pub async fn list_hubs(
        &self,
        filter: &HubFilter,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Hub>> {
        let _ = (filter, page, per_page);
        todo!()
    }

    /// Names (or renames) a district's core. `Invalid(jurisdiction)` unless the code is a
    /// known district. Audited as `hub.core`.
    pub async fn set_hub_core(&self, core: &HubCore, ctx: impl Into<WriteCtx>) -> Result<()> {
        let _ = (core, ctx.into());
        todo!()
    }

    pub async fn hub_core(&self, district_code: &str) -> Result<Option<HubCore>> {
        let _ = district_code;
        todo!()
    }

    /// `None` when the code is not a known district.
    pub async fn district_structure(
        &self,
        district_code: &str,
    ) -> Result<Option<DistrictStructure>> {
        let _ = district_code;
        todo!()
    }

    /// `None` when the code is not a known street.
    pub async fn street_structure(&self, street_code: &str) -> Result<Option<StreetStructure>> {
        let _ = street_code;
        todo!()
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
        let _ = (hub_id, organization_id, today, ctx.into());
        todo!()
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
        let _ = (hub_id, organization_id, initiating, today, ctx.into());
        todo!()
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
        let _ = (membership_id, decision, today, ctx.into());
        todo!()
    }

    /// Marks or unmarks a live membership as an initiating unit 发起单位. Audited.
    pub async fn set_initiating(
        &self,
        membership_id: Uuid,
        initiating: bool,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Membership> {
        let _ = (membership_id, initiating, ctx.into());
        todo!()
    }

    pub async fn membership(&self, membership_id: Uuid) -> Result<Option<Membership>> {
        let _ = membership_id;
        todo!()
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
        let _ = (hub_id, status, page, per_page);
        todo!()
    }

    /// Every membership of an organization, live and past, newest first.
    pub async fn memberships_of(&self, organization_id: Uuid) -> Result<Vec<Membership>> {
        let _ = organization_id;
        todo!()
    }

    /// Organization ids of the hubs an organization is an active member of (what the
    /// access policy calls `hub_ids`).
    pub async fn active_hub_org_ids(&self, organization_id: Uuid) -> Result<Vec<Uuid>> {
        let _ = organization_id;
        todo!()
    }

    /// The steps of one membership, oldest first.
    pub async fn membership_history(&self, membership_id: Uuid) -> Result<Vec<MembershipEvent>> {
        let _ = membership_id;
        todo!()
    }
}
