//! Service parks API: venues, spaces, allocations, bookings, obligation reports.
//!
//! Reading venues, spaces and calendars is public (organization names on bookings are
//! registry facts); who made a booking (the account) is shown only to the venue's
//! managers and the booking organization's own people.

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use shuniu_domain::parks::{
    Allocation, AllocationDraft, Booking, BookingDraft, ObligationReportDraft, Space, SpaceDraft,
    VENUE_FIELDS, Venue, VenueDraft,
};
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::parks::{ObligationReport, ObligationSummary};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::api::access::{ApiCaller, note_denial, require_account};
use crate::kit::api::error::{ApiError, ApiLang, ErrorBody, InLang};
use crate::kit::api::input::{self, Mode};
use crate::kit::routes::Routes;
use crate::parks::{self as svc, VenueQuery};
use crate::{AppError, AppState, local_time};

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/venues", list_venues)
        .post("/api/v1/venues", create_venue)
        .get("/api/v1/venues/{id}", get_venue)
        .patch("/api/v1/venues/{id}", update_venue)
        .post("/api/v1/venues/{id}/spaces", add_space)
        .get("/api/v1/spaces/{id}", get_space)
        .patch("/api/v1/spaces/{id}", update_space)
        .get("/api/v1/spaces/{id}/bookings", list_bookings)
        .post("/api/v1/spaces/{id}/bookings", create_booking)
        .get("/api/v1/bookings/{id}", get_booking)
        .post("/api/v1/bookings/{id}/cancel", cancel_booking)
        .get("/api/v1/spaces/{id}/allocations", list_allocations)
        .post("/api/v1/spaces/{id}/allocations", allocate)
        .post("/api/v1/allocations/{id}/end", end_allocation)
        .get("/api/v1/venues/{id}/obligations", obligations)
        .post("/api/v1/venues/{id}/obligations", report_obligation)
}

/// This capability's part of the OpenAPI document (merged into `/api/openapi.json`).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        list_venues,
        create_venue,
        get_venue,
        update_venue,
        add_space,
        get_space,
        update_space,
        list_bookings,
        create_booking,
        get_booking,
        cancel_booking,
        list_allocations,
        allocate,
        end_allocation,
        obligations,
        report_obligation,
    ),
    tags((name = "parks", description = "Service parks 服务园: venues, spaces, office allocations, room bookings, obligation reports"))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

// ---------------------------------------------------------------- records

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
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
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
}

impl BookingRecord {
    fn new(b: &Booking, show_booker: bool) -> Self {
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
    fn new(r: &ObligationReport, show: bool) -> Self {
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
    fn new(s: &ObligationSummary, show: bool) -> Self {
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

fn parse_id(id: Result<Path<String>, PathRejection>) -> Result<Uuid, AppError> {
    let Path(id) = id.map_err(|_| AppError::NotFound)?;
    Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)
}

/// The JSON type each field of the parks' bodies must have (the rest are strings).
fn kind_of(field: &str) -> input::Kind {
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
fn fields(
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

fn venue_draft(f: &BTreeMap<String, String>) -> VenueDraft {
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

fn space_draft(f: &BTreeMap<String, String>) -> SpaceDraft {
    let g = |k: &str| f.get(k).cloned();
    SpaceDraft {
        name: g("name"),
        kind: g("kind"),
        capacity: g("capacity"),
        area_m2: g("area_m2"),
    }
}

const SPACE_FIELDS: &[&str] = &["name", "kind", "capacity", "area_m2"];
const BOOKING_FIELDS: &[&str] = &[
    "organization_id",
    "date",
    "start",
    "end",
    "purpose",
    "attendees",
];
const REPORT_FIELDS: &[&str] = &[
    "organization_id",
    "quarter",
    "service_hours",
    "residents_served",
    "note",
];

fn query_error(e: QueryRejection) -> AppError {
    AppError::Validation(FieldErrors::single(
        "query",
        FieldError::new("查询参数无效", format!("is malformed: {e}")),
    ))
}

fn created<T: Serialize>(location: String, body: T) -> Response {
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(body),
    )
        .into_response()
}

async fn venue_detail(s: &AppState, v: &Venue) -> Result<VenueDetail, AppError> {
    let spaces = s.store.spaces_of(v.id).await?;
    Ok(VenueDetail {
        venue: VenueRecord::from(v),
        spaces: spaces.iter().map(SpaceRecord::from).collect(),
    })
}

// ---------------------------------------------------------------- venues

/// List venues, by name, paged in the database. Public.
#[utoipa::path(
    get, path = "/api/v1/venues", operation_id = "list_venues", tag = "parks",
    params(VenueQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 401, description = "The token sent is invalid, expired or revoked", body = ErrorBody),
        (status = 200, description = "One page of venues", body = VenuePage),
        (status = 422, description = "A bad filter or paging parameter, named", body = ErrorBody),
    )
)]
pub async fn list_venues(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(_caller): ApiCaller,
    q: Result<Query<VenueQuery>, QueryRejection>,
) -> Result<Json<VenuePage>, ApiError> {
    let Query(q) = q.map_err(query_error).in_lang(lang)?;
    let p = svc::list_venues(&s.store, &q).await.in_lang(lang)?;
    Ok(Json(VenuePage {
        items: p.items.iter().map(VenueRecord::from).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Create a venue: the hub's staff, officials over its jurisdiction, admins.
#[utoipa::path(
    post, path = "/api/v1/venues", operation_id = "create_venue", tag = "parks",
    request_body = VenueCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = VenueDetail),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The caller may not create venues (there, or for this hub)", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written", body = ErrorBody),
    )
)]
pub async fn create_venue(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_account(&caller).in_lang(lang)?;
    svc::may_create_venues(&caller).in_lang(lang)?;
    let mut allowed = VENUE_FIELDS.to_vec();
    allowed.push("hub_id");
    let (f, found) = fields(&body, &allowed, Mode::Create).in_lang(lang)?;
    let r = svc::create_venue(
        &s.store,
        &caller,
        f.get("hub_id").map(String::as_str),
        &venue_draft(&f),
        found,
    )
    .await;
    let v = note_denial(&s, &caller, "venue.create", "venue:new".into(), r)
        .await
        .in_lang(lang)?;
    let d = venue_detail(&s, &v).await.in_lang(lang)?;
    Ok(created(format!("/api/v1/venues/{}", v.id), d))
}

/// One venue with its spaces. Public.
#[utoipa::path(
    get, path = "/api/v1/venues/{id}", operation_id = "get_venue", tag = "parks",
    params(("id" = Uuid, Path, description = "Venue id")),
    security((), ("bearer" = [])),
    responses(
        (status = 401, description = "The token sent is invalid, expired or revoked", body = ErrorBody),
        (status = 200, description = "The venue and its spaces", body = VenueDetail),
        (status = 404, description = "No such venue", body = ErrorBody),
    )
)]
pub async fn get_venue(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<VenueDetail>, ApiError> {
    let id = parse_id(id).in_lang(lang)?;
    let v = svc::get_venue(&s.store, id).await.in_lang(lang)?;
    caller
        .require(
            shuniu_domain::access::Action::Read,
            &svc::venue_resource(&v),
        )
        .in_lang(lang)?;
    Ok(Json(venue_detail(&s, &v).await.in_lang(lang)?))
}

/// Change some fields of a venue.
#[utoipa::path(
    patch, path = "/api/v1/venues/{id}", operation_id = "update_venue", tag = "parks",
    params(("id" = Uuid, Path, description = "Venue id")),
    request_body = VenuePatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated venue", body = VenueDetail),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The caller does not run this venue", body = ErrorBody),
        (status = 404, description = "No such venue", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written", body = ErrorBody),
    )
)]
pub async fn update_venue(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Json<VenueDetail>, ApiError> {
    require_account(&caller).in_lang(lang)?;
    let id = parse_id(id).in_lang(lang)?;
    svc::get_venue(&s.store, id).await.in_lang(lang)?;
    let (f, found) = fields(&body, VENUE_FIELDS, Mode::Patch).in_lang(lang)?;
    let r = svc::update_venue(&s.store, &caller, id, venue_draft(&f), found).await;
    let v = note_denial(&s, &caller, "venue.update", format!("venue:{id}"), r)
        .await
        .in_lang(lang)?;
    Ok(Json(venue_detail(&s, &v).await.in_lang(lang)?))
}

// ---------------------------------------------------------------- spaces

/// Add a space (office, activity room, meeting room) to a venue.
#[utoipa::path(
    post, path = "/api/v1/venues/{id}/spaces", operation_id = "add_space", tag = "parks",
    params(("id" = Uuid, Path, description = "Venue id")),
    request_body = SpaceInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = SpaceRecord),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The caller does not run this venue", body = ErrorBody),
        (status = 404, description = "No such venue", body = ErrorBody),
        (status = 422, description = "Every bad field named", body = ErrorBody),
    )
)]
pub async fn add_space(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_account(&caller).in_lang(lang)?;
    let id = parse_id(id).in_lang(lang)?;
    svc::get_venue(&s.store, id).await.in_lang(lang)?;
    let (f, found) = fields(&body, SPACE_FIELDS, Mode::Create).in_lang(lang)?;
    let r = svc::add_space(&s.store, &caller, id, &space_draft(&f), found).await;
    let sp = note_denial(&s, &caller, "space.create", format!("venue:{id}"), r)
        .await
        .in_lang(lang)?;
    Ok(created(
        format!("/api/v1/spaces/{}", sp.id),
        SpaceRecord::from(&sp),
    ))
}

/// One space. Public.
#[utoipa::path(
    get, path = "/api/v1/spaces/{id}", operation_id = "get_space", tag = "parks",
    params(("id" = Uuid, Path, description = "Space id")),
    security((), ("bearer" = [])),
    responses(
        (status = 401, description = "The token sent is invalid, expired or revoked", body = ErrorBody),
        (status = 200, description = "The space", body = SpaceRecord),
        (status = 404, description = "No such space", body = ErrorBody),
    )
)]
pub async fn get_space(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<SpaceRecord>, ApiError> {
    let id = parse_id(id).in_lang(lang)?;
    let (sp, v) = svc::get_space(&s.store, id).await.in_lang(lang)?;
    caller
        .require(
            shuniu_domain::access::Action::Read,
            &svc::venue_resource(&v),
        )
        .in_lang(lang)?;
    Ok(Json(SpaceRecord::from(&sp)))
}

/// Change some fields of a space. Turning an office into a room (or back) is refused
/// (`409`) while it has current allocations or future bookings.
#[utoipa::path(
    patch, path = "/api/v1/spaces/{id}", operation_id = "update_space", tag = "parks",
    params(("id" = Uuid, Path, description = "Space id")),
    request_body = SpaceInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated space", body = SpaceRecord),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The caller does not run this venue", body = ErrorBody),
        (status = 404, description = "No such space", body = ErrorBody),
        (status = 409, description = "The kind cannot change now", body = ErrorBody),
        (status = 422, description = "Every bad field named", body = ErrorBody),
    )
)]
pub async fn update_space(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Json<SpaceRecord>, ApiError> {
    require_account(&caller).in_lang(lang)?;
    let id = parse_id(id).in_lang(lang)?;
    svc::get_space(&s.store, id).await.in_lang(lang)?;
    let (f, found) = fields(&body, SPACE_FIELDS, Mode::Patch).in_lang(lang)?;
    let r = svc::update_space(&s.store, &caller, id, space_draft(&f), found).await;
    let sp = note_denial(&s, &caller, "space.update", format!("space:{id}"), r)
        .await
        .in_lang(lang)?;
    Ok(Json(SpaceRecord::from(&sp)))
}

// ---------------------------------------------------------------- bookings

/// Confirmed bookings of a room overlapping a range (the calendar). Public; who
/// booked is shown to the venue's managers and the booking organization only.
#[utoipa::path(
    get, path = "/api/v1/spaces/{id}/bookings", operation_id = "list_bookings", tag = "parks",
    params(("id" = Uuid, Path, description = "Space id"), RangeQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 401, description = "The token sent is invalid, expired or revoked", body = ErrorBody),
        (status = 200, description = "Bookings by start", body = [BookingRecord]),
        (status = 404, description = "No such space", body = ErrorBody),
        (status = 422, description = "`from` or `to` is bad", body = ErrorBody),
    )
)]
pub async fn list_bookings(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<RangeQuery>, QueryRejection>,
) -> Result<Json<Vec<BookingRecord>>, ApiError> {
    let id = parse_id(id).in_lang(lang)?;
    let (_, v) = svc::get_space(&s.store, id).await.in_lang(lang)?;
    caller
        .require(
            shuniu_domain::access::Action::Read,
            &svc::venue_resource(&v),
        )
        .in_lang(lang)?;
    let Query(q) = q.map_err(query_error).in_lang(lang)?;
    let (from, to) = svc::parse_range(q.from.as_deref(), q.to.as_deref()).in_lang(lang)?;
    let list = svc::bookings_between(&s.store, id, from, to)
        .await
        .in_lang(lang)?;
    Ok(Json(
        list.iter()
            .map(|b| BookingRecord::new(b, svc::sees_booker(&caller, &v, b)))
            .collect(),
    ))
}

/// Book a room for an organization: its own people (when it is an active member of
/// the venue's hub), the venue's hub staff, officials over the venue, admins. No two
/// bookings of a room overlap, whatever the concurrency: the second is a `409` naming
/// `start`.
#[utoipa::path(
    post, path = "/api/v1/spaces/{id}/bookings", operation_id = "create_booking", tag = "parks",
    params(("id" = Uuid, Path, description = "Space id (an activity or meeting room)")),
    request_body = BookingCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Booked", body = BookingRecord),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The caller may not book for this organization here", body = ErrorBody),
        (status = 404, description = "No such space", body = ErrorBody),
        (status = 409, description = "The time overlaps another booking (`fields.start`), or the space is an office", body = ErrorBody),
        (status = 422, description = "Every bad field named", body = ErrorBody),
    )
)]
pub async fn create_booking(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_account(&caller).in_lang(lang)?;
    let id = parse_id(id).in_lang(lang)?;
    svc::get_space(&s.store, id).await.in_lang(lang)?;
    let (f, found) = fields(&body, BOOKING_FIELDS, Mode::Create).in_lang(lang)?;
    let g = |k: &str| f.get(k).cloned();
    let draft = BookingDraft {
        date: g("date"),
        start: g("start"),
        end: g("end"),
        purpose: g("purpose"),
        attendees: g("attendees"),
    };
    let r = svc::book(
        &s,
        &caller,
        id,
        f.get("organization_id").map(String::as_str),
        &draft,
        found,
    )
    .await;
    let b = note_denial(&s, &caller, "booking.create", format!("space:{id}"), r)
        .await
        .in_lang(lang)?;
    Ok(created(
        format!("/api/v1/bookings/{}", b.id),
        BookingRecord::new(&b, true),
    ))
}

/// One booking (confirmed or cancelled). Public, like the calendar.
#[utoipa::path(
    get, path = "/api/v1/bookings/{id}", operation_id = "get_booking", tag = "parks",
    params(("id" = Uuid, Path, description = "Booking id")),
    security((), ("bearer" = [])),
    responses(
        (status = 401, description = "The token sent is invalid, expired or revoked", body = ErrorBody),
        (status = 200, description = "The booking", body = BookingRecord),
        (status = 404, description = "No such booking", body = ErrorBody),
    )
)]
pub async fn get_booking(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<BookingRecord>, ApiError> {
    let id = parse_id(id).in_lang(lang)?;
    let (b, _, v) = svc::get_booking(&s.store, id).await.in_lang(lang)?;
    caller
        .require(
            shuniu_domain::access::Action::Read,
            &svc::venue_resource(&v),
        )
        .in_lang(lang)?;
    Ok(Json(BookingRecord::new(
        &b,
        svc::sees_booker(&caller, &v, &b),
    )))
}

/// Cancel a booking: the venue's managers any, an organization its own.
#[utoipa::path(
    post, path = "/api/v1/bookings/{id}/cancel", operation_id = "cancel_booking", tag = "parks",
    params(("id" = Uuid, Path, description = "Booking id")),
    request_body = BookingCancel,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Cancelled; its time is free again", body = BookingRecord),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Not the caller's booking to cancel", body = ErrorBody),
        (status = 404, description = "No such booking", body = ErrorBody),
        (status = 409, description = "Already cancelled", body = ErrorBody),
        (status = 422, description = "The body is not empty, nor an object without fields", body = ErrorBody),
    )
)]
pub async fn cancel_booking(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Json<BookingRecord>, ApiError> {
    require_account(&caller).in_lang(lang)?;
    let id = parse_id(id).in_lang(lang)?;
    // No fields are read; anything else sent is named back rather than ignored.
    if !body.iter().all(u8::is_ascii_whitespace) {
        let (_, found) = fields(&body, &[], Mode::Create).in_lang(lang)?;
        if !found.is_empty() {
            return Err(AppError::Validation(found)).in_lang(lang);
        }
    }
    let r = svc::cancel(&s.store, &caller, id).await;
    let b = note_denial(&s, &caller, "booking.cancel", format!("booking:{id}"), r)
        .await
        .in_lang(lang)?;
    Ok(Json(BookingRecord::new(&b, true)))
}

// ---------------------------------------------------------------- allocations

/// Allocations of an office that are current or start later. Public.
#[utoipa::path(
    get, path = "/api/v1/spaces/{id}/allocations", operation_id = "list_allocations", tag = "parks",
    params(("id" = Uuid, Path, description = "Space id")),
    security((), ("bearer" = [])),
    responses(
        (status = 401, description = "The token sent is invalid, expired or revoked", body = ErrorBody),
        (status = 200, description = "Allocations by start", body = [AllocationRecord]),
        (status = 404, description = "No such space", body = ErrorBody),
    )
)]
pub async fn list_allocations(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<AllocationRecord>>, ApiError> {
    let id = parse_id(id).in_lang(lang)?;
    let (sp, v) = svc::get_space(&s.store, id).await.in_lang(lang)?;
    caller
        .require(
            shuniu_domain::access::Action::Read,
            &svc::venue_resource(&v),
        )
        .in_lang(lang)?;
    let list = svc::allocations_of_space(&s.store, &sp)
        .await
        .in_lang(lang)?;
    Ok(Json(list.iter().map(AllocationRecord::from).collect()))
}

/// Allocate an office to an organization for a period. An overlap with a current
/// allocation is a `409` naming `starts_on`.
#[utoipa::path(
    post, path = "/api/v1/spaces/{id}/allocations", operation_id = "allocate_office", tag = "parks",
    params(("id" = Uuid, Path, description = "Space id (an office)")),
    request_body = AllocationCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Allocated", body = AllocationRecord),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The caller does not run this venue", body = ErrorBody),
        (status = 404, description = "No such space", body = ErrorBody),
        (status = 409, description = "The period overlaps a current allocation", body = ErrorBody),
        (status = 422, description = "Every bad field named (also: the space is not an office)", body = ErrorBody),
    )
)]
pub async fn allocate(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_account(&caller).in_lang(lang)?;
    let id = parse_id(id).in_lang(lang)?;
    svc::get_space(&s.store, id).await.in_lang(lang)?;
    let (f, found) = fields(
        &body,
        &["organization_id", "starts_on", "ends_on"],
        Mode::Create,
    )
    .in_lang(lang)?;
    let g = |k: &str| f.get(k).cloned();
    let draft = AllocationDraft {
        organization_id: g("organization_id"),
        starts_on: g("starts_on"),
        ends_on: g("ends_on"),
    };
    let r = svc::allocate_office(&s.store, &caller, id, &draft, found).await;
    let a = note_denial(&s, &caller, "office.allocate", format!("space:{id}"), r)
        .await
        .in_lang(lang)?;
    Ok(created(
        format!("/api/v1/spaces/{id}/allocations"),
        AllocationRecord::from(&a),
    ))
}

/// End an allocation early.
#[utoipa::path(
    post, path = "/api/v1/allocations/{id}/end", operation_id = "end_allocation", tag = "parks",
    params(("id" = Uuid, Path, description = "Allocation id")),
    request_body = AllocationEnd,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Ended", body = AllocationRecord),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The caller does not run this venue", body = ErrorBody),
        (status = 404, description = "No such allocation", body = ErrorBody),
        (status = 422, description = "`ended_on` is bad (or before the start)", body = ErrorBody),
    )
)]
pub async fn end_allocation(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Json<AllocationRecord>, ApiError> {
    require_account(&caller).in_lang(lang)?;
    let id = parse_id(id).in_lang(lang)?;
    // An empty body means "today".
    let (f, found) = if body.iter().all(u8::is_ascii_whitespace) {
        (BTreeMap::new(), FieldErrors::new())
    } else {
        fields(&body, &["ended_on"], Mode::Create).in_lang(lang)?
    };
    if !found.is_empty() {
        return Err(AppError::Validation(found)).in_lang(lang);
    }
    let r = svc::end_allocation(&s.store, &caller, id, f.get("ended_on").map(String::as_str)).await;
    let a = note_denial(&s, &caller, "office.end", format!("allocation:{id}"), r)
        .await
        .in_lang(lang)?;
    Ok(Json(AllocationRecord::from(&a)))
}

// ---------------------------------------------------------------- obligations

/// Reporting accounts are shown to those who run the venue (its hub's staff, officials
/// over it), not to every signed-in user: a user name is personal data.
fn shows_reporter(caller: &Caller, v: &shuniu_domain::parks::Venue) -> bool {
    caller
        .decide(
            shuniu_domain::access::Action::ReadPersonalData,
            &svc::venue_resource(v),
        )
        .is_allowed()
}

/// The venue's obligation per quarter, newest first: target hours and what was
/// reported. Public figures; the reporting account only for the venue's managers.
#[utoipa::path(
    get, path = "/api/v1/venues/{id}/obligations", operation_id = "venue_obligations", tag = "parks",
    params(("id" = Uuid, Path, description = "Venue id"), QuartersQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 401, description = "The token sent is invalid, expired or revoked", body = ErrorBody),
        (status = 200, description = "One summary per quarter", body = [SummaryRecord]),
        (status = 404, description = "No such venue", body = ErrorBody),
        (status = 422, description = "`quarters` is bad", body = ErrorBody),
    )
)]
pub async fn obligations(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<QuartersQuery>, QueryRejection>,
) -> Result<Json<Vec<SummaryRecord>>, ApiError> {
    let id = parse_id(id).in_lang(lang)?;
    let v = svc::get_venue(&s.store, id).await.in_lang(lang)?;
    caller
        .require(
            shuniu_domain::access::Action::Read,
            &svc::venue_resource(&v),
        )
        .in_lang(lang)?;
    let Query(q) = q.map_err(query_error).in_lang(lang)?;
    let n = svc::parse_quarters(q.quarters.as_deref()).in_lang(lang)?;
    let list = svc::summaries(&s.store, id, n).await.in_lang(lang)?;
    let show = shows_reporter(&caller, &v);
    Ok(Json(
        list.iter().map(|x| SummaryRecord::new(x, show)).collect(),
    ))
}

/// Report service delivered to residents in a quarter (replaces an earlier report of
/// the same organization and quarter).
#[utoipa::path(
    post, path = "/api/v1/venues/{id}/obligations", operation_id = "report_obligation", tag = "parks",
    params(("id" = Uuid, Path, description = "Venue id")),
    request_body = ReportCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded", body = ReportRecord),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The caller may not report for this organization here", body = ErrorBody),
        (status = 404, description = "No such venue", body = ErrorBody),
        (status = 422, description = "Every bad field named", body = ErrorBody),
    )
)]
pub async fn report_obligation(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_account(&caller).in_lang(lang)?;
    let id = parse_id(id).in_lang(lang)?;
    svc::get_venue(&s.store, id).await.in_lang(lang)?;
    let (f, found) = fields(&body, REPORT_FIELDS, Mode::Create).in_lang(lang)?;
    let g = |k: &str| f.get(k).cloned();
    let draft = ObligationReportDraft {
        organization_id: g("organization_id"),
        quarter: g("quarter"),
        service_hours: g("service_hours"),
        residents_served: g("residents_served"),
        note: g("note"),
    };
    let r = svc::report(&s.store, &caller, id, &draft, found).await;
    let rep = note_denial(&s, &caller, "obligation.report", format!("venue:{id}"), r)
        .await
        .in_lang(lang)?;
    Ok(created(
        format!("/api/v1/venues/{id}/obligations"),
        ReportRecord::new(&rep, true),
    ))
}
