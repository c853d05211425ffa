//! The hubs capability's service code, shared by pages and API: recognitions, the
//! district core, memberships and the structure views. Every function asks the access
//! policy before it reads what is not public or changes anything.

use crate::kit::params::{choice_error, given};
use shuniu_domain::jurisdiction::bad_code_error;
use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Deserialize;
use shuniu_domain::access::{Action, Resource};
use shuniu_domain::hubs::{
    Hub, HubCore, HubKind, HubStatus, Membership, MembershipAction, MembershipDecision,
    MembershipStatus, Recognition, RecognitionDraft, Side,
};
use shuniu_domain::jurisdiction::{JurisdictionCode, Level, subtree_range};
use shuniu_domain::registry::{OrgStatus, Organization};
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::{
    DistrictStructure, HubFilter, KeyPage, MembershipEvent, Store, StreetStructure,
};
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::standing;
use crate::{AppError, today};
use shuniu_domain::supervision::standing::{Activity, HUB_FIT_RULES, HubCandidate, check_hub_fit};

/// Query parameters of the hub list (UI and API alike).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HubListQuery {
    /// `regional` or `industry`.
    pub kind: Option<String>,
    /// Jurisdiction code: hubs bound to that node or below it.
    pub jurisdiction: Option<String>,
    /// `true` to list revoked recognitions too.
    pub include_revoked: Option<String>,
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

fn flag(v: &Option<String>) -> bool {
    matches!(
        given(v).map(str::to_ascii_lowercase).as_deref(),
        Some("on" | "true" | "1" | "yes")
    )
}

/// The path of a jurisdiction code, or a field error naming `field`.
async fn path_of_code(
    store: &Store,
    e: &mut FieldErrors,
    field: &str,
    code: &str,
) -> Result<Option<String>, AppError> {
    if JurisdictionCode::parse(code).is_err() {
        e.add(field, bad_code_error());
        return Ok(None);
    }
    match store.jurisdiction(code).await? {
        Some(j) => Ok(Some(j.path)),
        None => {
            e.add(field, crate::registry::unknown_jurisdiction());
            Ok(None)
        }
    }
}

impl HubListQuery {
    /// The filter, page and page size; a bad parameter is a 422 naming it.
    pub async fn parse(
        &self,
        store: &Store,
    ) -> Result<(HubFilter, crate::kit::paging::Asked), AppError> {
        let mut e = FieldErrors::new();
        let kind = match given(&self.kind) {
            None => None,
            Some(k) => {
                let parsed = HubKind::parse(k);
                if parsed.is_none() {
                    e.add("kind", choice_error(&["regional", "industry"]));
                }
                parsed
            }
        };
        let path_prefix = match given(&self.jurisdiction) {
            None => None,
            Some(code) => path_of_code(store, &mut e, "jurisdiction", code).await?,
        };
        let asked = crate::kit::paging::asked(
            &mut e,
            &self.cursor,
            &self.page,
            &self.per_page,
            (20, 200),
        );
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        let filter = HubFilter {
            path_prefix,
            kind,
            include_revoked: flag(&self.include_revoked),
        };
        Ok((filter, asked))
    }
}

/// One keyset page of hubs, and its number when it has one.
pub async fn list(
    store: &Store,
    q: &HubListQuery,
) -> Result<(KeyPage<Hub>, Option<u32>), AppError> {
    let (filter, asked) = q.parse(store).await?;
    let (at, number) = asked.position();
    let page = store.hubs_page(&filter, at, asked.per_page).await?;
    Ok((page, number))
}

pub async fn get(store: &Store, id: Uuid) -> Result<Hub, AppError> {
    store.hub(id).await?.ok_or(AppError::NotFound)
}

/// Whether `caller` may do `action` to `hub` (as `Resource::Hub`).
pub fn decide_hub(caller: &Caller, action: Action, hub: &Hub) -> bool {
    caller
        .decide(
            action,
            &Resource::Hub {
                organization_id: hub.organization_id,
                jurisdiction_path: &hub.jurisdiction_path,
            },
        )
        .is_allowed()
}

pub fn require_hub(caller: &Caller, action: Action, hub: &Hub) -> Result<(), AppError> {
    caller.require(
        action,
        &Resource::Hub {
            organization_id: hub.organization_id,
            jurisdiction_path: &hub.jurisdiction_path,
        },
    )
}

/// The policy's view of one membership (`member` = the member organization).
pub fn require_membership(
    caller: &Caller,
    action: Action,
    hub: &Hub,
    member: Uuid,
) -> Result<(), AppError> {
    caller.require(
        action,
        &Resource::Membership {
            hub_organization_id: hub.organization_id,
            hub_path: &hub.jurisdiction_path,
            member_id: member,
        },
    )
}

pub fn may_membership(caller: &Caller, action: Action, hub: &Hub, member: Uuid) -> bool {
    require_membership(caller, action, hub, member).is_ok()
}

/// Whether the caller sees a hub's whole member list (pending, rejected, … too): the
/// hub side, officials over it, experts, admins. Others see active members only.
pub fn sees_all_members(caller: &Caller, hub: &Hub) -> bool {
    // A nil member names no organization: only the hub-side roles pass.
    may_membership(caller, Action::Read, hub, Uuid::nil())
}

/// A membership status filter; `None` = every status (for those who see them all).
pub fn parse_status(v: &Option<String>) -> Result<Option<MembershipStatus>, AppError> {
    match given(v) {
        None => Ok(None),
        Some(s) => MembershipStatus::parse(s).map(Some).ok_or_else(|| {
            let codes: Vec<&str> = MembershipStatus::ALL.iter().map(|x| x.as_str()).collect();
            AppError::Validation(FieldErrors::single("status", choice_error(&codes)))
        }),
    }
}

/// A hub's members as this caller may see them, one keyset page (from `cursor`, else
/// the numbered `page` within the first 10,000, else the first), and the page's number
/// when it has one. Without the right to see every status, only active members are
/// listed, and asking for another status is refused.
pub async fn members(
    store: &Store,
    caller: &Caller,
    hub: &Hub,
    status: &Option<String>,
    paging: (&Option<String>, &Option<String>),
    per_page: &Option<String>,
) -> Result<(KeyPage<Membership>, Option<u32>), AppError> {
    let (cursor, page) = paging;
    let mut e = FieldErrors::new();
    let asked = crate::kit::paging::asked(&mut e, cursor, page, per_page, (20, 200));
    let wanted = match parse_status(status) {
        Ok(s) => s,
        Err(AppError::Validation(f)) => {
            for (k, v) in f.0 {
                e.add(&k, v);
            }
            None
        }
        Err(other) => return Err(other),
    };
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let status = visible_status(caller, hub, wanted)?;
    let (at, number) = asked.position();
    Ok((
        store
            .hub_members_keyset(hub.id, status, at, asked.per_page)
            .await?,
        number,
    ))
}

/// The status a list of `hub`'s members reads for this caller: the one asked for
/// (or every one) if they see every membership, else active ones only — asking for
/// another status from outside is refused (anonymous: 401; else 403).
pub fn visible_status(
    caller: &Caller,
    hub: &Hub,
    wanted: Option<MembershipStatus>,
) -> Result<Option<MembershipStatus>, AppError> {
    if sees_all_members(caller, hub) {
        return Ok(wanted);
    }
    match wanted {
        None | Some(MembershipStatus::Active) => Ok(Some(MembershipStatus::Active)),
        Some(_) => {
            // Ask the policy so that anonymous callers are told to sign in. The
            // hub is public, so a list it refuses is a 403, not a hidden record.
            match require_membership(caller, Action::Read, hub, Uuid::nil()) {
                Err(AppError::Hidden) => return Err(AppError::Forbidden),
                r => r?,
            }
            Ok(Some(MembershipStatus::Active))
        }
    }
}

/// A recognition as sent: the organization and the draft.
#[derive(Debug, Clone, Default)]
pub struct RecognitionInput {
    pub organization_id: Option<String>,
    pub draft: RecognitionDraft,
}

/// The organization an id names, or a field error under `field`.
async fn org_field(
    store: &Store,
    e: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
) -> Result<Option<Organization>, AppError> {
    let Some(s) = given(v) else {
        e.add(field, FieldError::required());
        return Ok(None);
    };
    // People name an organization by its credit code or filing number; programs by id.
    let found = match Uuid::parse_str(s) {
        Ok(id) => store.organization(id).await?,
        // Codes are ASCII letters, digits and dashes; anything else names nothing.
        Err(_) if s.len() <= 40 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
            store.organization_by_code(&s.to_ascii_uppercase()).await?
        }
        Err(_) => None,
    };
    match found {
        Some(o) => Ok(Some(o)),
        None => {
            e.add(
                field,
                FieldError::new("没有这个组织", "is not a known organization"),
            );
            Ok(None)
        }
    }
}

/// Recognizes a hub. `found`: problems the caller found reading the input.
pub async fn recognize(
    store: &Store,
    input: &RecognitionInput,
    mut found: FieldErrors,
    caller: &Caller,
) -> Result<Hub, AppError> {
    caller.require(
        Action::Recognize,
        &Resource::NewHub {
            jurisdiction_path: None,
        },
    )?;
    let org = org_field(store, &mut found, "organization_id", &input.organization_id).await?;
    let node = match given(&input.draft.jurisdiction) {
        Some(code) if JurisdictionCode::parse(code).is_ok() => store.jurisdiction(code).await?,
        _ => None,
    };
    let validated = input
        .draft
        .validate(today(), node.as_ref().map(|j| j.level));
    let rec: Option<Recognition> = match validated {
        Ok(r) => Some(r),
        Err(e) => {
            found.absorb(e);
            None
        }
    };
    if let Some(o) = &org
        && o.status == OrgStatus::Deregistered
    {
        found.add(
            "organization_id",
            FieldError::new("该组织已注销", "this organization is deregistered"),
        );
    }
    let (Some(org), Some(rec), Some(node)) = (org, rec, node) else {
        return Err(AppError::Validation(found));
    };
    if !found.is_empty() {
        return Err(AppError::Validation(found));
    }
    caller.require(
        Action::Recognize,
        &Resource::NewHub {
            jurisdiction_path: Some(&node.path),
        },
    )?;
    check_fit(store, &org, &rec).await?;
    Ok(store.recognize_hub(org.id, &rec, caller.ctx()).await?)
}

/// Whether `org` may be recognized as the hub `rec` describes: good standing, then the
/// hub fit rules (`HUB_FIT_RULES`: registered, legal form, level, staff). A refusal names
/// the organization field.
async fn check_fit(store: &Store, org: &Organization, rec: &Recognition) -> Result<(), AppError> {
    let level = store
        .jurisdiction(org.data.jurisdiction.as_str())
        .await?
        .map(|j| j.level)
        .ok_or(AppError::NotFound)?;
    let candidate = HubCandidate {
        legal_form: org.data.legal_form,
        level,
        staff_full_time: org.data.staff_full_time,
        standing: store.standing_facts(org.id, today()).await?,
        grade: org.data.grade,
    };
    check_hub_fit(&candidate, rec.kind, rec.level, HUB_FIT_RULES).map_err(|r| standing::refused(&r))
}

fn text(
    e: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    max: usize,
    required: bool,
) -> String {
    let s = given(v).unwrap_or_default().to_string();
    if s.is_empty() && required {
        e.add(field, FieldError::required());
    } else if s.chars().count() > max {
        e.add(
            field,
            FieldError::new(
                format!("不能超过{max}个字"),
                format!("must be at most {max} characters"),
            ),
        );
    } else if s
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        // PostgreSQL refuses NUL in text: an input error, not a 500. Line breaks are
        // fine (the reason is a textarea).
        e.add(
            field,
            FieldError::new("含有控制字符", "contains control characters"),
        );
    }
    s
}

fn date_not_future(e: &mut FieldErrors, field: &str, v: &Option<String>) -> NaiveDate {
    let t = today();
    match given(v) {
        None => t,
        Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) if d <= t => d,
            Ok(_) => {
                e.add(
                    field,
                    FieldError::new("不能晚于今天", "cannot be in the future"),
                );
                t
            }
            Err(_) => {
                e.add(
                    field,
                    FieldError::new("应为日期，如 2012-03-01", "must be a date like 2012-03-01"),
                );
                t
            }
        },
    }
}

/// Revokes a recognition (officials over it, admins).
pub async fn revoke(
    store: &Store,
    id: Uuid,
    reason: &Option<String>,
    revoked_on: &Option<String>,
    caller: &Caller,
) -> Result<Hub, AppError> {
    let hub = get(store, id).await?;
    require_hub(caller, Action::Recognize, &hub)?;
    let mut e = FieldErrors::new();
    let reason = text(&mut e, "reason", reason, 500, true);
    let on = date_not_future(&mut e, "revoked_on", revoked_on);
    if on < hub.recognition.recognized_on && e.get("revoked_on").is_none() {
        e.add(
            "revoked_on",
            FieldError::new("不能早于认定日期", "cannot be before the recognition"),
        );
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    if hub.status == HubStatus::Revoked {
        return Err(AppError::State("the recognition is already revoked".into()));
    }
    Ok(store.revoke_hub(id, &reason, on, caller.ctx()).await?)
}

/// The member organization named in a form or body (`organization_id`).
async fn member_org(
    store: &Store,
    organization_id: &Option<String>,
) -> Result<Organization, AppError> {
    let mut e = FieldErrors::new();
    match org_field(store, &mut e, "organization_id", organization_id).await? {
        Some(o) => Ok(o),
        None => Err(AppError::Validation(e)),
    }
}

/// An organization applies to a hub (its own staff).
pub async fn apply(
    store: &Store,
    hub_id: Uuid,
    organization_id: &Option<String>,
    caller: &Caller,
) -> Result<Membership, AppError> {
    let hub = get(store, hub_id).await?;
    if caller.user.is_none() {
        return Err(AppError::Unauthenticated);
    }
    let org = member_org(store, organization_id).await?;
    require_membership(caller, Action::Apply, &hub, org.id)?;
    standing::require(store, org.id, Activity::ApplyToHub).await?;
    Ok(store
        .apply_membership(hub.id, org.id, today(), caller.ctx())
        .await?)
}

/// The hub side adds a member directly.
pub async fn add_member(
    store: &Store,
    hub_id: Uuid,
    organization_id: &Option<String>,
    initiating: bool,
    caller: &Caller,
) -> Result<Membership, AppError> {
    let hub = get(store, hub_id).await?;
    // Whether the caller runs this hub at all, before looking at the input.
    require_hub(caller, Action::ManageHub, &hub)?;
    let org = member_org(store, organization_id).await?;
    require_membership(caller, Action::ManageHub, &hub, org.id)?;
    standing::require(store, org.id, Activity::ApplyToHub).await?;
    Ok(store
        .add_member(hub.id, org.id, initiating, today(), caller.ctx())
        .await?)
}

/// A membership and its hub, if the caller may read it (the two sides, officials
/// over the hub, experts, admins).
pub async fn membership(
    store: &Store,
    caller: &Caller,
    id: Uuid,
) -> Result<(Membership, Hub), AppError> {
    let m = store.membership(id).await?.ok_or(AppError::NotFound)?;
    let hub = get(store, m.hub_id).await?;
    require_membership(caller, Action::Read, &hub, m.organization_id)?;
    Ok((m, hub))
}

pub async fn history(store: &Store, id: Uuid) -> Result<Vec<MembershipEvent>, AppError> {
    Ok(store.membership_history(id).await?)
}

/// Which actions the caller may take on a membership now, per side.
pub fn available_actions(caller: &Caller, hub: &Hub, m: &Membership) -> Vec<MembershipAction> {
    let mut out = Vec::new();
    if may_membership(caller, Action::ManageHub, hub, m.organization_id) {
        out.extend(MembershipAction::available(m.status, Side::Hub));
    }
    if may_membership(caller, Action::Apply, hub, m.organization_id) {
        out.extend(MembershipAction::available(m.status, Side::Member));
    }
    out
}

/// A decision on a membership: the hub side decides, the member side withdraws or leaves.
pub async fn decide(
    store: &Store,
    id: Uuid,
    action: Option<&str>,
    reason: Option<&str>,
    caller: &Caller,
) -> Result<Membership, AppError> {
    if caller.user.is_none() {
        return Err(AppError::Unauthenticated);
    }
    let m = store.membership(id).await?.ok_or(AppError::NotFound)?;
    let hub = get(store, m.hub_id).await?;
    require_membership(caller, Action::Read, &hub, m.organization_id)?;
    // A reader who may act for neither side (an expert) decides nothing, whatever the body.
    if !may_membership(caller, Action::ManageHub, &hub, m.organization_id) {
        require_membership(caller, Action::Apply, &hub, m.organization_id)?;
    }
    let decision = MembershipDecision::parse(action, reason)?;
    let needed = match decision.action.side() {
        Side::Hub => Action::ManageHub,
        Side::Member => Action::Apply,
    };
    require_membership(caller, needed, &hub, m.organization_id)?;
    // Approving an application makes the organization a member: its standing is asked
    // as when it applied (it may have been suspended since).
    if decision.action == MembershipAction::Approve {
        standing::require(store, m.organization_id, Activity::ApplyToHub).await?;
    }
    Ok(store
        .decide_membership(id, &decision, today(), caller.ctx())
        .await?)
}

pub async fn set_initiating(
    store: &Store,
    id: Uuid,
    initiating: bool,
    caller: &Caller,
) -> Result<Membership, AppError> {
    if caller.user.is_none() {
        return Err(AppError::Unauthenticated);
    }
    let m = store.membership(id).await?.ok_or(AppError::NotFound)?;
    let hub = get(store, m.hub_id).await?;
    require_membership(caller, Action::ManageHub, &hub, m.organization_id)?;
    Ok(store.set_initiating(id, initiating, caller.ctx()).await?)
}

/// An organization's memberships as this caller may see them: all of them for those
/// who may read each membership, active ones otherwise. With the hubs they are of.
pub async fn memberships_of(
    store: &Store,
    caller: &Caller,
    org_id: Uuid,
) -> Result<Vec<(Membership, Hub)>, AppError> {
    store
        .organization(org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let all = store.memberships_of(org_id).await?;
    // Their hubs in one query, not one per membership.
    let ids: Vec<Uuid> = all.iter().map(|m| m.hub_id).collect();
    let hubs: HashMap<Uuid, Hub> = store
        .hubs_by_ids(&ids)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let mut out = Vec::with_capacity(all.len());
    for m in all {
        let Some(hub) = hubs.get(&m.hub_id) else {
            continue;
        };
        if m.status == MembershipStatus::Active
            || may_membership(caller, Action::Read, hub, m.organization_id)
        {
            out.push((m, hub.clone()));
        }
    }
    Ok(out)
}

/// At most this many hubs over one place are offered to join (a handful in practice).
const JOINABLE_MAX: u32 = 500;

/// Standing hubs an organization may apply to: not its own, not one it is in, a
/// regional hub only over its place and only if it has no regional hub yet; an
/// industry hub whose jurisdiction contains it.
pub async fn joinable_hubs(
    store: &Store,
    org: &Organization,
    org_path: &str,
    live: &[(Membership, Hub)],
) -> Result<Vec<Hub>, AppError> {
    let mut out = Vec::new();
    let has_regional = live
        .iter()
        .any(|(m, h)| m.status.is_live() && h.recognition.kind == HubKind::Regional);
    // Only hubs bound to the organization's node or above it can contain it: an index
    // lookup per ancestor path, never a walk over every hub of the province.
    for h in store.hubs_over_path(org_path, JOINABLE_MAX).await? {
        let (lo, hi) = subtree_range(&h.jurisdiction_path);
        let inside = org_path >= lo.as_str() && org_path < hi.as_str();
        let already = live
            .iter()
            .any(|(m, _)| m.hub_id == h.id && m.status.is_live());
        let ok = h.status == HubStatus::Recognized
            && h.organization_id != org.id
            && inside
            && !already
            && (h.recognition.kind == HubKind::Industry || !has_regional);
        if ok {
            out.push(h);
        }
    }
    Ok(out)
}

/// The structure of a district or a street; other nodes and unknown codes are 404.
pub enum Structure {
    District(Box<DistrictStructure>),
    Street(Box<StreetStructure>),
}

pub async fn structure(store: &Store, code: &str) -> Result<Structure, AppError> {
    if JurisdictionCode::parse(code).is_err() {
        return Err(AppError::NotFound);
    }
    let node = store.jurisdiction(code).await?.ok_or(AppError::NotFound)?;
    match node.level {
        Level::District => Ok(Structure::District(Box::new(
            store
                .district_structure(code)
                .await?
                .ok_or(AppError::NotFound)?,
        ))),
        Level::Street => Ok(Structure::Street(Box::new(
            store
                .street_structure(code)
                .await?
                .ok_or(AppError::NotFound)?,
        ))),
        _ => Err(AppError::NotFound),
    }
}

/// Names a district's core (officials over the district, admins).
pub async fn set_core(
    store: &Store,
    code: &str,
    name_zh: &Option<String>,
    name_en: &Option<String>,
    caller: &Caller,
) -> Result<HubCore, AppError> {
    let node = match JurisdictionCode::parse(code) {
        Ok(_) => store.jurisdiction(code).await?,
        Err(_) => None,
    };
    let node = node
        .filter(|j| j.level == Level::District)
        .ok_or(AppError::NotFound)?;
    caller.require(
        Action::Recognize,
        &Resource::NewHub {
            jurisdiction_path: Some(&node.path),
        },
    )?;
    let mut e = FieldErrors::new();
    let zh = text(&mut e, "name_zh", name_zh, 100, true);
    let en = text(&mut e, "name_en", name_en, 200, true);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let core = HubCore {
        jurisdiction: node.code.clone(),
        name_zh: zh,
        name_en: en,
    };
    store.set_hub_core(&core, caller.ctx()).await?;
    Ok(core)
}
