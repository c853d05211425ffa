//! The service-parks capability's service code, shared by pages and API: venues,
//! their spaces, office allocations, room bookings and obligation reports. Each
//! function asks the access policy before it touches data.

use crate::kit::paging::Asked;
use crate::kit::params::{bad_number, given};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::Deserialize;
use shuniu_domain::access::{Action, Resource};
use shuniu_domain::hubs::{Hub, HubStatus};
use shuniu_domain::jurisdiction::JurisdictionCode;
use shuniu_domain::jurisdiction::bad_code_error;
use shuniu_domain::jurisdiction::path_within;
use shuniu_domain::parks::{
    Allocation, AllocationDraft, Booking, BookingDraft, ObligationReportDraft, Quarter, Space,
    SpaceDraft, SpaceKind, Venue, VenueData, VenueDraft, shanghai,
};
use shuniu_domain::registry::OrgStatus;
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::parks::{ObligationReport, ObligationSummary};
use shuniu_store::{KeyPage, Store};
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::standing;
use crate::registry::unknown_jurisdiction;
use crate::{AppError, AppState, today};
use shuniu_domain::parks::{BookingRules, ObligationReportData};
use shuniu_domain::supervision::service::{
    ServiceBounds, ServiceClaim, VenueCapacity, check_plausible,
};
use shuniu_domain::supervision::standing::Activity;

fn merge(mut into: FieldErrors, more: FieldErrors) -> FieldErrors {
    for (field, err) in more.0 {
        if into.get(&field).is_none() {
            into.add(&field, err);
        }
    }
    into
}

fn fail_if_any(e: FieldErrors) -> Result<(), AppError> {
    if e.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(e))
    }
}

/// Dates the databases store alike (PostgreSQL refuses years beyond its range; far
/// dates break the overlap checks): anything else is an input error.
fn in_era(d: NaiveDate) -> bool {
    (1900..=2200).contains(&d.year())
}

fn out_of_era() -> FieldError {
    FieldError::new(
        "日期应在1900年至2200年之间",
        "must be a date from 1900 to 2200",
    )
}

fn unknown_org() -> FieldError {
    FieldError::new("没有这个组织", "is not a known organization")
}

// ---------------------------------------------------------------- venues

/// Query parameters of the venue list (UI and API alike).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VenueQuery {
    /// Jurisdiction code: venues in that node and below it.
    pub jurisdiction: Option<String>,
    /// Id of the hub that runs the venues.
    pub hub: Option<String>,
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

/// The subtree path, hub, page and page size a query asks for.
pub async fn parse_venue_query(
    store: &Store,
    q: &VenueQuery,
) -> Result<(Option<String>, Option<Uuid>, Asked), AppError> {
    let mut e = FieldErrors::new();
    let mut path = None;
    if let Some(code) = given(&q.jurisdiction) {
        if JurisdictionCode::parse(code).is_err() {
            e.add("jurisdiction", bad_code_error());
        } else {
            match store.jurisdiction(code).await? {
                Some(j) => path = Some(j.path),
                None => e.add("jurisdiction", unknown_jurisdiction()),
            }
        }
    }
    let hub = match given(&q.hub) {
        None => None,
        Some(s) => match Uuid::parse_str(s) {
            Ok(u) => Some(u),
            Err(_) => {
                e.add(
                    "hub",
                    FieldError::new("不是有效的枢纽编号", "is not a valid hub id"),
                );
                None
            }
        },
    };
    let asked = crate::kit::paging::asked(&mut e, &q.cursor, &q.page, &q.per_page, (20, 200));
    fail_if_any(e)?;
    Ok((path, hub, asked))
}

/// One keyset page of venues, and its number when it has one.
pub async fn list_venues(
    store: &Store,
    q: &VenueQuery,
) -> Result<(KeyPage<Venue>, Option<u32>), AppError> {
    let (path, hub, asked) = parse_venue_query(store, q).await?;
    let (at, number) = asked.position();
    let page = store
        .venues_page(path.as_deref(), hub, at, asked.per_page)
        .await?;
    Ok((page, number))
}

pub async fn get_venue(store: &Store, id: Uuid) -> Result<Venue, AppError> {
    store.venue(id).await?.ok_or(AppError::NotFound)
}

pub fn venue_resource(v: &Venue) -> Resource<'_> {
    Resource::Venue {
        hub_organization_id: v.hub_organization_id,
        jurisdiction_path: &v.jurisdiction_path,
    }
}

/// Whether the caller runs this venue (its hub's staff, officials over it, admins).
pub fn can_manage(caller: &Caller, v: &Venue) -> bool {
    caller
        .decide(Action::ManageHub, &venue_resource(v))
        .is_allowed()
}

/// May this caller create venues anywhere at all? (Officials, hub staff, admins.)
pub fn may_create_venues(caller: &Caller) -> Result<(), AppError> {
    let Some(a) = caller.actor() else {
        return Err(AppError::Unauthenticated);
    };
    let own_path = a.jurisdiction_path.clone().unwrap_or_default();
    caller.require(
        Action::ManageHub,
        &Resource::Venue {
            hub_organization_id: a.organization_id,
            jurisdiction_path: &own_path,
        },
    )
}

/// The stored venue as a draft (to merge a patch over it, or to fill the edit form).
pub fn venue_draft(d: &VenueData) -> VenueDraft {
    let flag = |b: bool| Some(if b { "true" } else { "" }.to_string());
    VenueDraft {
        name: Some(d.name.clone()),
        address: Some(d.address.clone()),
        jurisdiction: Some(d.jurisdiction.to_string()),
        area_m2: Some(d.area_m2.to_string()),
        owner: Some(d.owner.clone()),
        free_of_charge: flag(d.free_of_charge),
        terms: Some(d.terms.clone()),
        utilities_waived: flag(d.utilities_waived),
        obligation: Some(d.obligation.clone()),
        obligation_hours_per_quarter: Some(d.obligation_hours_per_quarter.to_string()),
    }
}

/// Fields given in `patch` replace those of `base`.
pub fn merge_venue(base: VenueDraft, patch: VenueDraft) -> VenueDraft {
    VenueDraft {
        name: patch.name.or(base.name),
        address: patch.address.or(base.address),
        jurisdiction: patch.jurisdiction.or(base.jurisdiction),
        area_m2: patch.area_m2.or(base.area_m2),
        owner: patch.owner.or(base.owner),
        free_of_charge: patch.free_of_charge.or(base.free_of_charge),
        terms: patch.terms.or(base.terms),
        utilities_waived: patch.utilities_waived.or(base.utilities_waived),
        obligation: patch.obligation.or(base.obligation),
        obligation_hours_per_quarter: patch
            .obligation_hours_per_quarter
            .or(base.obligation_hours_per_quarter),
    }
}

/// Validates a venue draft and checks that its jurisdiction exists; returns the data
/// and the jurisdiction's path.
async fn check_venue(
    store: &Store,
    draft: &VenueDraft,
    found: FieldErrors,
) -> Result<(VenueData, String), AppError> {
    let validated = draft.validate();
    let mut e = found;
    let mut path = String::new();
    if let Some(code) = given(&draft.jurisdiction)
        && JurisdictionCode::parse(code).is_ok()
        && e.get("jurisdiction").is_none()
    {
        match store.jurisdiction(code).await? {
            Some(j) => path = j.path,
            None => e.add("jurisdiction", unknown_jurisdiction()),
        }
    }
    match validated {
        Ok(d) if e.is_empty() => Ok((d, path)),
        Ok(_) => Err(AppError::Validation(e)),
        Err(v) => Err(AppError::Validation(merge(e, v))),
    }
}

/// The hub a venue is to be run by: it exists, stands, and the venue lies within its
/// jurisdiction.
async fn check_hub(
    store: &Store,
    hub_id: Option<&str>,
    e: &mut FieldErrors,
) -> Result<Option<Hub>, AppError> {
    let Some(s) = hub_id.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let Ok(id) = Uuid::parse_str(s) else {
        e.add(
            "hub_id",
            FieldError::new("不是有效的枢纽编号", "is not a valid hub id"),
        );
        return Ok(None);
    };
    match store.hub(id).await? {
        Some(h) if h.status == HubStatus::Recognized => Ok(Some(h)),
        Some(_) => {
            e.add(
                "hub_id",
                FieldError::new("该枢纽的认定已撤销", "the hub's recognition is revoked"),
            );
            Ok(None)
        }
        None => {
            e.add(
                "hub_id",
                FieldError::new("没有这个枢纽", "is not a known hub"),
            );
            Ok(None)
        }
    }
}

/// Creates a venue, optionally run by a hub. `found`: problems already found in the
/// input (e.g. a JSON value of the wrong type).
pub async fn create_venue(
    store: &Store,
    caller: &Caller,
    hub_id: Option<&str>,
    draft: &VenueDraft,
    found: FieldErrors,
) -> Result<Venue, AppError> {
    may_create_venues(caller)?;
    let mut e = found;
    let hub = check_hub(store, hub_id, &mut e).await?;
    let checked = check_venue(store, draft, FieldErrors::new()).await;
    let (data, path) = match checked {
        Ok(x) if e.is_empty() => x,
        Ok(_) => return Err(AppError::Validation(e)),
        Err(AppError::Validation(v)) => return Err(AppError::Validation(merge(e, v))),
        Err(other) => return Err(other),
    };
    if let Some(h) = &hub
        && !path_within(&path, &h.jurisdiction_path)
    {
        return Err(AppError::Validation(FieldErrors::single(
            "jurisdiction",
            FieldError::new(
                "须在该枢纽的辖区之内",
                "must lie within the hub's jurisdiction",
            ),
        )));
    }
    caller.require(
        Action::ManageHub,
        &Resource::Venue {
            hub_organization_id: hub.as_ref().map(|h| h.organization_id),
            jurisdiction_path: &path,
        },
    )?;
    Ok(store
        .create_venue(hub.map(|h| h.id), &data, caller.ctx())
        .await?)
}

/// Applies the fields given in `patch` and validates the whole venue.
pub async fn update_venue(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    patch: VenueDraft,
    found: FieldErrors,
) -> Result<Venue, AppError> {
    let v = get_venue(store, id).await?;
    caller.require(Action::ManageHub, &venue_resource(&v))?;
    let draft = merge_venue(venue_draft(&v.data), patch);
    let (data, path) = check_venue(store, &draft, found).await?;
    if path != v.jurisdiction_path {
        // Moving a venue needs the right at its new place as well.
        caller.require(
            Action::ManageHub,
            &Resource::Venue {
                hub_organization_id: v.hub_organization_id,
                jurisdiction_path: &path,
            },
        )?;
    }
    Ok(store.update_venue(id, &data, caller.ctx()).await?)
}

// ---------------------------------------------------------------- spaces

pub async fn get_space(store: &Store, id: Uuid) -> Result<(Space, Venue), AppError> {
    let s = store.space(id).await?.ok_or(AppError::NotFound)?;
    let v = get_venue(store, s.venue_id).await?;
    Ok((s, v))
}

pub fn space_draft(s: &Space) -> SpaceDraft {
    SpaceDraft {
        name: Some(s.data.name.clone()),
        kind: Some(s.data.kind.as_str().into()),
        capacity: Some(s.data.capacity.to_string()),
        area_m2: Some(s.data.area_m2.to_string()),
    }
}

fn validated<T>(found: FieldErrors, r: Result<T, FieldErrors>) -> Result<T, AppError> {
    match r {
        Ok(x) if found.is_empty() => Ok(x),
        Ok(_) => Err(AppError::Validation(found)),
        Err(e) => Err(AppError::Validation(merge(found, e))),
    }
}

pub async fn add_space(
    store: &Store,
    caller: &Caller,
    venue_id: Uuid,
    draft: &SpaceDraft,
    found: FieldErrors,
) -> Result<Space, AppError> {
    let v = get_venue(store, venue_id).await?;
    caller.require(Action::ManageHub, &venue_resource(&v))?;
    let data = validated(found, draft.validate())?;
    Ok(store.add_space(venue_id, &data, caller.ctx()).await?)
}

pub async fn update_space(
    store: &Store,
    caller: &Caller,
    space_id: Uuid,
    patch: SpaceDraft,
    found: FieldErrors,
) -> Result<Space, AppError> {
    let (s, v) = get_space(store, space_id).await?;
    caller.require(Action::ManageHub, &venue_resource(&v))?;
    let base = space_draft(&s);
    let draft = SpaceDraft {
        name: patch.name.or(base.name),
        kind: patch.kind.or(base.kind),
        capacity: patch.capacity.or(base.capacity),
        area_m2: patch.area_m2.or(base.area_m2),
    };
    let data = validated(found, draft.validate())?;
    Ok(store.update_space(space_id, &data, caller.ctx()).await?)
}

// ---------------------------------------------------------------- allocations

pub async fn allocate_office(
    store: &Store,
    caller: &Caller,
    space_id: Uuid,
    draft: &AllocationDraft,
    found: FieldErrors,
) -> Result<Allocation, AppError> {
    let (s, v) = get_space(store, space_id).await?;
    caller.require(Action::ManageHub, &venue_resource(&v))?;
    let mut found = found;
    if s.data.kind != SpaceKind::Office {
        found.add(
            "space",
            FieldError::new(
                "只有办公室可以分配，活动室和会议室请预约",
                "only offices are allocated; rooms are booked",
            ),
        );
    }
    let req = validated(found, draft.validate())?;
    let mut e = FieldErrors::new();
    for (field, d) in [("starts_on", req.starts_on), ("ends_on", req.ends_on)] {
        if !in_era(d) {
            e.add(field, out_of_era());
        }
    }
    fail_if_any(e)?;
    match store.organization(req.organization_id).await? {
        Some(o) if o.status != OrgStatus::Deregistered => {}
        _ => {
            return Err(AppError::Validation(FieldErrors::single(
                "organization_id",
                unknown_org(),
            )));
        }
    }
    standing::require(store, req.organization_id, Activity::ReceiveOffice).await?;
    Ok(store.allocate_office(space_id, &req, caller.ctx()).await?)
}

/// Ends an allocation early. `ended_on` defaults to today.
pub async fn end_allocation(
    store: &Store,
    caller: &Caller,
    allocation_id: Uuid,
    ended_on: Option<&str>,
) -> Result<Allocation, AppError> {
    let a = store
        .allocation(allocation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, v) = get_space(store, a.space_id).await?;
    caller.require(Action::ManageHub, &venue_resource(&v))?;
    let on = match ended_on.map(str::trim).filter(|s| !s.is_empty()) {
        None => today(),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            FieldErrors::single(
                "ended_on",
                FieldError::new("日期格式应为 YYYY-MM-DD", "must be a date YYYY-MM-DD"),
            )
        })?,
    };
    if !in_era(on) {
        return Err(FieldErrors::single("ended_on", out_of_era()).into());
    }
    Ok(store
        .end_allocation(allocation_id, on, caller.ctx())
        .await?)
}

/// Allocations of one office (current or later).
pub async fn allocations_of_space(
    store: &Store,
    space: &Space,
) -> Result<Vec<Allocation>, AppError> {
    Ok(store
        .allocations_of_venue(space.venue_id, today())
        .await?
        .into_iter()
        .filter(|a| a.space_id == space.id)
        .collect())
}

// ---------------------------------------------------------------- bookings

/// The Monday of `d`'s week.
pub fn week_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Local midnight of `d`, in UTC.
pub fn local_midnight(d: NaiveDate) -> DateTime<Utc> {
    local_at(d.and_hms_opt(0, 0, 0).expect("midnight"))
}

fn local_at(t: NaiveDateTime) -> DateTime<Utc> {
    shanghai()
        .from_local_datetime(&t)
        .single()
        .expect("a fixed offset has no gaps")
        .with_timezone(&Utc)
}

/// A bound of a calendar range: a local date (its midnight; for `to`, the end of that
/// day), an RFC 3339 time, or a local `YYYY-MM-DDTHH:MM[:SS]`.
fn parse_bound(s: &str, is_end: bool) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let d = if is_end { d.succ_opt()? } else { d };
        return Some(local_midnight(d));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(local_at(t));
        }
    }
    None
}

/// The longest range a calendar query may span.
pub const MAX_RANGE_DAYS: i64 = 92;

/// `[from, to)` of a calendar query; default: this week (Monday to Monday, local).
pub fn parse_range(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), AppError> {
    let mut e = FieldErrors::new();
    let bad = || {
        FieldError::new(
            "应为日期 YYYY-MM-DD 或时间 YYYY-MM-DDTHH:MM",
            "must be a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM",
        )
    };
    let from_s = from.map(str::trim).filter(|s| !s.is_empty());
    let to_s = to.map(str::trim).filter(|s| !s.is_empty());
    let f = match from_s {
        None => Some(local_midnight(week_of(today()))),
        Some(s) => parse_bound(s, false).or_else(|| {
            e.add("from", bad());
            None
        }),
    };
    let t = match to_s {
        None => f.map(|f| f + Duration::days(7)),
        Some(s) => parse_bound(s, true).or_else(|| {
            e.add("to", bad());
            None
        }),
    };
    if let (Some(f), Some(t)) = (f, t) {
        if t <= f {
            e.add(
                "to",
                FieldError::new("须晚于开始时间", "must be after `from`"),
            );
        } else if t - f > Duration::days(MAX_RANGE_DAYS) {
            e.add(
                "to",
                FieldError::new(
                    format!("查询范围不超过{MAX_RANGE_DAYS}天"),
                    format!("the range spans at most {MAX_RANGE_DAYS} days"),
                ),
            );
        }
    }
    fail_if_any(e)?;
    Ok((f.expect("checked"), t.expect("checked")))
}

pub async fn bookings_between(
    store: &Store,
    space_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Booking>, AppError> {
    Ok(store.bookings_between(space_id, from, to).await?)
}

/// Whether the caller may see who (which account) made a booking: the venue's
/// managers and the booking organization's own people. Anonymous callers never do.
pub fn sees_booker(caller: &Caller, v: &Venue, b: &Booking) -> bool {
    let Some(a) = caller.actor() else {
        return false;
    };
    a.organization_id == Some(b.organization_id) || can_manage(caller, v)
}

/// The organization a booking (or report) is for: `organization_id` if given, else the
/// caller's own organization. Adds a field error when it is missing or unknown.
async fn for_org(
    store: &Store,
    caller: &Caller,
    organization_id: Option<&str>,
    e: &mut FieldErrors,
) -> Result<Option<Uuid>, AppError> {
    let id = match organization_id.map(str::trim).filter(|s| !s.is_empty()) {
        None => match caller.actor().and_then(|a| a.organization_id) {
            Some(own) => own,
            None => {
                e.add("organization_id", FieldError::required());
                return Ok(None);
            }
        },
        Some(s) => match Uuid::parse_str(s) {
            Ok(u) => u,
            Err(_) => {
                e.add(
                    "organization_id",
                    FieldError::new("不是有效的组织编号", "is not a valid organization id"),
                );
                return Ok(None);
            }
        },
    };
    match store.organization(id).await? {
        Some(o) if o.status != OrgStatus::Deregistered => Ok(Some(id)),
        _ => {
            e.add("organization_id", unknown_org());
            Ok(None)
        }
    }
}

/// Whether `caller` may book (or cancel, or report) for `org` at venue `v`.
pub async fn require_book(
    store: &Store,
    caller: &Caller,
    v: &Venue,
    org: Uuid,
) -> Result<(), AppError> {
    let hubs = store.active_hub_org_ids(org).await?;
    caller.require(
        Action::Book,
        &Resource::Booking {
            hub_organization_id: v.hub_organization_id,
            jurisdiction_path: &v.jurisdiction_path,
            for_org: org,
            for_org_hub_ids: &hubs,
        },
    )
}

/// Books a room for an organization. Overlap → `Conflict { field: "start" }` (409).
pub async fn book(
    s: &AppState,
    caller: &Caller,
    space_id: Uuid,
    organization_id: Option<&str>,
    draft: &BookingDraft,
    found: FieldErrors,
) -> Result<Booking, AppError> {
    if caller.user.is_none() {
        return Err(AppError::Unauthenticated);
    }
    let (space, v) = get_space(&s.store, space_id).await?;
    let mut e = found;
    let org = for_org(&s.store, caller, organization_id, &mut e).await?;
    if let Some(org) = org {
        require_book(&s.store, caller, &v, org).await?;
        standing::gather(&s.store, org, Activity::BookRoom, &mut e).await?;
    } else if !can_manage(caller, &v) && caller.actor().and_then(|a| a.organization_id).is_none() {
        // Nobody this caller could book for: no need to look at the rest.
        return Err(AppError::Forbidden);
    }
    if !space.data.kind.is_bookable() {
        return Err(AppError::State("offices are allocated, not booked".into()));
    }
    let req = validated(
        e,
        draft.validate(&s.booking, Utc::now(), space.data.capacity),
    )?;
    let org = org.expect("no field errors");
    Ok(s.store
        .book_space(space_id, org, &req, s.booking.slot_minutes, caller.ctx())
        .await?)
}

pub async fn get_booking(store: &Store, id: Uuid) -> Result<(Booking, Space, Venue), AppError> {
    let b = store.booking(id).await?.ok_or(AppError::NotFound)?;
    let (space, v) = get_space(store, b.space_id).await?;
    Ok((b, space, v))
}

/// Cancels a booking: the venue's managers any, an organization its own.
pub async fn cancel(store: &Store, caller: &Caller, id: Uuid) -> Result<Booking, AppError> {
    if caller.user.is_none() {
        return Err(AppError::Unauthenticated);
    }
    let (b, _, v) = get_booking(store, id).await?;
    if !can_manage(caller, &v) {
        require_book(store, caller, &v, b.organization_id).await?;
    }
    Ok(store.cancel_booking(id, caller.ctx()).await?)
}

// ---------------------------------------------------------------- obligations

/// The `n` quarters up to this one, newest first.
pub fn last_quarters(n: u32) -> Vec<Quarter> {
    let mut q = Quarter::of(today());
    let mut out = Vec::with_capacity(n as usize);
    for _ in 0..n {
        out.push(q);
        q = if q.quarter == 1 {
            Quarter {
                year: q.year - 1,
                quarter: 4,
            }
        } else {
            Quarter {
                year: q.year,
                quarter: q.quarter - 1,
            }
        };
    }
    out
}

/// `?quarters=N`, 1–20 (default 4).
pub fn parse_quarters(v: Option<&str>) -> Result<u32, AppError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(4),
        Some(s) => match s.parse::<u32>() {
            Ok(n) if (1..=20).contains(&n) => Ok(n),
            _ => Err(FieldErrors::single("quarters", bad_number(20)).into()),
        },
    }
}

pub async fn summaries(
    store: &Store,
    venue_id: Uuid,
    n: u32,
) -> Result<Vec<ObligationSummary>, AppError> {
    get_venue(store, venue_id).await?;
    Ok(store
        .obligation_summaries(venue_id, &last_quarters(n))
        .await?)
}

/// Reports service delivered against a venue's obligation: the venue's managers for
/// any organization, an organization's people for their own.
pub async fn report(
    store: &Store,
    caller: &Caller,
    venue_id: Uuid,
    draft: &ObligationReportDraft,
    found: FieldErrors,
    rules: &BookingRules,
) -> Result<ObligationReport, AppError> {
    if caller.user.is_none() {
        return Err(AppError::Unauthenticated);
    }
    let v = get_venue(store, venue_id).await?;
    let mut e = found;
    let mut draft = draft.clone();
    let org = for_org(store, caller, draft.organization_id.as_deref(), &mut e).await?;
    match org {
        Some(org) => {
            if !can_manage(caller, &v) {
                require_book(store, caller, &v, org).await?;
            }
            draft.organization_id = Some(org.to_string());
        }
        None if !can_manage(caller, &v)
            && caller.actor().and_then(|a| a.organization_id).is_none() =>
        {
            return Err(AppError::Forbidden);
        }
        None => {}
    }
    let data = validated(e, draft.validate(today()))?;
    plausible(store, &v, &data, rules).await?;
    Ok(store
        .report_obligation(venue_id, &data, caller.ctx())
        .await?)
}

/// The report within what is physically possible (`supervision::service::check_plausible`):
/// the quarter so far, the organization's people (staff and volunteers), the venue's
/// spaces together and its opening hours. `422` naming `service_hours` /
/// `residents_served`.
async fn plausible(
    store: &Store,
    v: &Venue,
    data: &ObligationReportData,
    rules: &BookingRules,
) -> Result<(), AppError> {
    let org = store
        .organization(data.organization_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let people_at_once = store
        .spaces_of(v.id)
        .await?
        .iter()
        .map(|s| s.data.capacity)
        .sum();
    let from = data.quarter.first_day();
    let quarter_end = shuniu_domain::supervision::add_months(from, 3) - Duration::days(1);
    let claim = ServiceClaim {
        from,
        to: quarter_end.min(today()).max(from),
        service_hours: data.service_hours,
        people_served: data.residents_served,
        serving: org.data.staff_full_time + org.data.staff_part_time + org.data.volunteers,
        // A venue whose spaces are not recorded yet bounds nothing.
        venue: (people_at_once > 0).then(|| VenueCapacity {
            people_at_once,
            open_hours_per_day: rules.closes_at_hour.saturating_sub(rules.opens_at_hour),
        }),
    };
    check_plausible(&claim, &ServiceBounds::default())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(); // Thursday
        assert_eq!(week_of(d), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(week_of(week_of(d)), week_of(d));
    }

    #[test]
    fn ranges() {
        let (f, t) = parse_range(Some("2026-12-01"), Some("2026-12-01")).unwrap();
        assert_eq!(f, Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0).unwrap());
        assert_eq!(t - f, Duration::days(1));
        let (f, _) = parse_range(Some("2026-12-01T09:30"), Some("2026-12-02")).unwrap();
        assert_eq!(f, Utc.with_ymd_and_hms(2026, 12, 1, 1, 30, 0).unwrap());
        let (f, t) = parse_range(None, None).unwrap();
        assert_eq!(t - f, Duration::days(7));
        let e = match parse_range(Some("x"), Some("2026-01-01")) {
            Err(AppError::Validation(e)) => e,
            other => panic!("{other:?}"),
        };
        assert!(e.get("from").is_some());
        assert!(parse_range(Some("2026-12-02"), Some("2026-12-01")).is_err());
        assert!(parse_range(Some("2026-01-01"), Some("2026-12-01")).is_err());
    }

    #[test]
    fn quarters_go_back() {
        let q = last_quarters(5);
        assert_eq!(q.len(), 5);
        assert_eq!(q[0], Quarter::of(today()));
        assert!(q.windows(2).all(|w| w[0] > w[1]));
        assert!(parse_quarters(Some("0")).is_err());
        assert_eq!(parse_quarters(None).unwrap(), 4);
    }
}
