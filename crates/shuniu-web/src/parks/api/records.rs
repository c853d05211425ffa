//! What the parks API reads and writes: the records, the documented request bodies, and reading them.

use super::*;
pub(super) use crate::kit::api::created;

/// A venue (service park 服务园).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VenueRecord {
    pub id: Uuid,
    /// The hub that runs it, if any.
    #[schema(required)]
    pub hub_id: Option<Uuid>,
    /// The organization of that hub.
    #[schema(required)]
    pub hub_organization_id: Option<Uuid>,
    #[schema(example = "梅园新村街道社会组织服务园")]
    pub name: String,
    #[schema(example = "梅园新村34号")]
    pub address: String,
    #[schema(example = "320102002000")]
    pub jurisdiction: String,
    #[schema(example = 400)]
    pub area_m2: u32,
    pub owner: String,
    pub free_of_charge: bool,
    pub terms: String,
    pub utilities_waived: bool,
    #[schema(example = "服务本地居民")]
    pub obligation: String,
    /// Service hours to residents expected per quarter (0: none).
    pub obligation_hours_per_quarter: u32,
}

impl From<&Venue> for VenueRecord {
    fn from(v: &Venue) -> Self {
        let d = &v.data;
        VenueRecord {
            id: v.id,
            hub_id: v.hub_id,
            hub_organization_id: v.hub_organization_id,
            name: d.name.clone(),
            address: d.address.clone(),
            jurisdiction: d.jurisdiction.to_string(),
            area_m2: d.area_m2,
            owner: d.owner.clone(),
            free_of_charge: d.free_of_charge,
            terms: d.terms.clone(),
            utilities_waived: d.utilities_waived,
            obligation: d.obligation.clone(),
            obligation_hours_per_quarter: d.obligation_hours_per_quarter,
        }
    }
}

/// A venue with its spaces.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VenueDetail {
    #[serde(flatten)]
    pub venue: VenueRecord,
    pub spaces: Vec<SpaceRecord>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VenuePage {
    pub items: Vec<VenueRecord>,
    #[serde(flatten)]
    pub paging: crate::kit::paging::PageInfo,
}

/// An office, activity room or meeting room of a venue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SpaceRecord {
    pub id: Uuid,
    pub venue_id: Uuid,
    pub name: String,
    /// `office`, `activity_room`, `meeting_room`.
    #[schema(example = "meeting_room")]
    pub kind: String,
    pub capacity: u32,
    pub area_m2: u32,
}

impl From<&Space> for SpaceRecord {
    fn from(s: &Space) -> Self {
        SpaceRecord {
            id: s.id,
            venue_id: s.venue_id,
            name: s.data.name.clone(),
            kind: s.data.kind.as_str().into(),
            capacity: s.data.capacity,
            area_m2: s.data.area_m2,
        }
    }
}

/// A booking of a room.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BookingRecord {
    pub id: Uuid,
    #[schema(example = "BK-2026-000123")]
    pub number: String,
    pub space_id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Start and end in Asia/Shanghai, `YYYY-MM-DD HH:MM`.
    pub local_start: String,
    pub local_end: String,
    pub purpose: String,
    pub attendees: u32,
    /// `confirmed` or `cancelled`.
    pub status: String,
    /// The account that booked: only for the venue's managers and the booking
    /// organization's own people; otherwise null.
    #[schema(required)]
    pub booked_by: Option<String>,
    /// That account's display name (what pages show), to the same callers; null
    /// otherwise, and for a booking written by the system (no account).
    #[schema(required)]
    pub booked_by_name: Option<String>,
}

impl BookingRecord {
    pub(super) fn new(b: &Booking, show_booker: bool) -> Self {
        BookingRecord {
            id: b.id,
            number: b.number.clone(),
            space_id: b.space_id,
            organization_id: b.organization_id,
            organization_name: b.organization_name.clone(),
            starts_at: b.starts_at.trunc_subsecs(6),
            ends_at: b.ends_at.trunc_subsecs(6),
            local_start: local_time(b.starts_at),
            local_end: local_time(b.ends_at),
            purpose: b.purpose.clone(),
            attendees: b.attendees,
            status: b.status.as_str().into(),
            booked_by: show_booker.then(|| b.booked_by.clone()),
            booked_by_name: b.booked_by_name.clone().filter(|_| show_booker),
        }
    }
}

/// An office allocated to an organization for a period (dates inclusive).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AllocationRecord {
    pub id: Uuid,
    pub space_id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    #[schema(required)]
    pub ended_early_on: Option<NaiveDate>,
}

impl From<&Allocation> for AllocationRecord {
    fn from(a: &Allocation) -> Self {
        AllocationRecord {
            id: a.id,
            space_id: a.space_id,
            organization_id: a.organization_id,
            organization_name: a.organization_name.clone(),
            starts_on: a.starts_on,
            ends_on: a.ends_on,
            ended_early_on: a.ended_early_on,
        }
    }
}

/// One organization's report for a quarter.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportRecord {
    pub id: Uuid,
    pub venue_id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    #[schema(example = "2026Q3")]
    pub quarter: String,
    pub service_hours: u32,
    pub residents_served: u32,
    pub note: String,
    /// The reporting account: for signed-in callers only.
    #[schema(required)]
    pub reported_by: Option<String>,
    pub reported_at: DateTime<Utc>,
}

impl ReportRecord {
    pub(super) fn new(r: &ObligationReport, show: bool) -> Self {
        ReportRecord {
            id: r.id,
            venue_id: r.venue_id,
            organization_id: r.data.organization_id,
            organization_name: r.organization_name.clone(),
            quarter: r.data.quarter.to_string(),
            service_hours: r.data.service_hours,
            residents_served: r.data.residents_served,
            note: r.data.note.clone(),
            reported_by: show.then(|| r.reported_by.clone()),
            reported_at: r.reported_at.trunc_subsecs(6),
        }
    }
}

/// A venue's obligation in one quarter: the target and what was reported.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SummaryRecord {
    #[schema(example = "2026Q3")]
    pub quarter: String,
    pub target_hours: i64,
    pub delivered_hours: i64,
    pub residents_served: i64,
    pub reports: Vec<ReportRecord>,
}

impl SummaryRecord {
    pub(super) fn new(s: &ObligationSummary, show: bool) -> Self {
        SummaryRecord {
            quarter: s.quarter.to_string(),
            target_hours: s.target_hours,
            delivered_hours: s.delivered_hours,
            residents_served: s.residents_served,
            reports: s
                .reports
                .iter()
                .map(|r| ReportRecord::new(r, show))
                .collect(),
        }
    }
}

// ---------------------------------------------------------------- request bodies (docs)

/// A new venue. Numbers may be sent as numeric strings, flags as booleans or
/// `"true"`/`"on"`; every bad field is named at once (`422`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct VenueCreate {
    /// The hub that runs it; officials may create hub-less venues in their jurisdiction.
    pub hub_id: Option<Uuid>,
    pub name: String,
    pub address: String,
    /// Code of an existing jurisdiction node (within the hub's, if a hub is given).
    pub jurisdiction: String,
    pub area_m2: u32,
    pub owner: String,
    pub free_of_charge: Option<bool>,
    pub terms: Option<String>,
    pub utilities_waived: Option<bool>,
    pub obligation: Option<String>,
    pub obligation_hours_per_quarter: Option<u32>,
}

/// A partial update of a venue (the hub cannot be changed).
#[derive(Debug, Deserialize, ToSchema)]
pub struct VenuePatch {
    pub name: Option<String>,
    pub address: Option<String>,
    pub jurisdiction: Option<String>,
    pub area_m2: Option<u32>,
    pub owner: Option<String>,
    pub free_of_charge: Option<bool>,
    pub terms: Option<String>,
    pub utilities_waived: Option<bool>,
    pub obligation: Option<String>,
    pub obligation_hours_per_quarter: Option<u32>,
}

/// A space (all fields required on create; any subset on `PATCH`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct SpaceInput {
    pub name: Option<String>,
    /// `office`, `activity_room`, `meeting_room`.
    pub kind: Option<String>,
    pub capacity: Option<u32>,
    pub area_m2: Option<u32>,
}

/// A booking request in local time (Asia/Shanghai), on slot boundaries, within opening
/// hours, in the future and within the booking horizon.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BookingCreate {
    /// Defaults to the caller's own organization.
    pub organization_id: Option<Uuid>,
    #[schema(example = "2026-12-01")]
    pub date: String,
    #[schema(example = "09:00")]
    pub start: String,
    #[schema(example = "10:30")]
    pub end: String,
    pub purpose: String,
    pub attendees: u32,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AllocationCreate {
    pub organization_id: Uuid,
    pub starts_on: NaiveDate,
    /// Inclusive.
    pub ends_on: NaiveDate,
}

/// Cancelling reads no fields: send no body, or `{}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BookingCancel {}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AllocationEnd {
    /// Defaults to today; not before the allocation starts.
    pub ended_on: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportCreate {
    /// Defaults to the caller's own organization.
    pub organization_id: Option<Uuid>,
    /// A quarter that has begun, e.g. `2026Q3`.
    pub quarter: String,
    pub service_hours: u32,
    pub residents_served: Option<u32>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// A local date (`YYYY-MM-DD`, from its midnight) or time (RFC 3339, or local
    /// `YYYY-MM-DDTHH:MM`); default: this week's Monday.
    pub from: Option<String>,
    /// As `from`; a date means through the end of that day. Default: `from` + 7 days.
    /// At most 92 days after `from`.
    pub to: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuartersQuery {
    /// How many quarters back from the current one, 1–20 (default 4).
    #[param(value_type = Option<u32>)]
    pub quarters: Option<String>,
}

// ---------------------------------------------------------------- input

/// The JSON type each field of the parks' bodies must have (the rest are strings).
pub(super) fn kind_of(field: &str) -> input::Kind {
    match field {
        "area_m2"
        | "capacity"
        | "attendees"
        | "obligation_hours_per_quarter"
        | "service_hours"
        | "residents_served" => input::Kind::Count,
        "free_of_charge" | "utilities_waived" => input::Kind::Flag,
        _ => input::Kind::Text,
    }
}

/// The body's fields as the text the domain parses, and the problems found.
pub(super) fn fields(
    body: &Bytes,
    allowed: &[&str],
    mode: Mode,
) -> Result<(BTreeMap<String, String>, FieldErrors), AppError> {
    let obj: Map<String, Value> = input::object(body).map_err(AppError::Validation)?;
    let mut e = FieldErrors::new();
    input::unknown_fields(&mut e, &obj, allowed);
    let mut out = BTreeMap::new();
    for (k, v) in &obj {
        if !allowed.contains(&k.as_str()) {
            continue;
        }
        if let Some(t) = input::value(&mut e, k, v, kind_of(k), mode) {
            out.insert(k.clone(), t);
        }
    }
    Ok((out, e))
}

pub(super) fn venue_draft(f: &BTreeMap<String, String>) -> VenueDraft {
    let g = |k: &str| f.get(k).cloned();
    VenueDraft {
        name: g("name"),
        address: g("address"),
        jurisdiction: g("jurisdiction"),
        area_m2: g("area_m2"),
        owner: g("owner"),
        free_of_charge: g("free_of_charge"),
        terms: g("terms"),
        utilities_waived: g("utilities_waived"),
        obligation: g("obligation"),
        obligation_hours_per_quarter: g("obligation_hours_per_quarter"),
    }
}

pub(super) fn space_draft(f: &BTreeMap<String, String>) -> SpaceDraft {
    let g = |k: &str| f.get(k).cloned();
    SpaceDraft {
        name: g("name"),
        kind: g("kind"),
        capacity: g("capacity"),
        area_m2: g("area_m2"),
    }
}

pub(super) const SPACE_FIELDS: &[&str] = &["name", "kind", "capacity", "area_m2"];
pub(super) const BOOKING_FIELDS: &[&str] = &[
    "organization_id",
    "date",
    "start",
    "end",
    "purpose",
    "attendees",
];
pub(super) const REPORT_FIELDS: &[&str] = &[
    "organization_id",
    "quarter",
    "service_hours",
    "residents_served",
    "note",
];

pub(super) async fn venue_detail(s: &AppState, v: &Venue) -> Result<VenueDetail, AppError> {
    let spaces = s.store.spaces_of(v.id).await?;
    Ok(VenueDetail {
        venue: VenueRecord::from(v),
        spaces: spaces.iter().map(SpaceRecord::from).collect(),
    })
}
