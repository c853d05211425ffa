//! Room bookings, office allocations and obligation reports.

use super::*;

/// Confirmed bookings of a room overlapping a range (the calendar). Public; who
/// booked is shown to the venue's managers and the booking organization only.
#[utoipa::path(
    get, path = "/api/v1/spaces/{id}/bookings", operation_id = "list_bookings", tag = "parks",
    params(("id" = Uuid, Path, description = "Space id"), RangeQuery),
    security((), ("bearer" = [])),
    responses(
        BadToken,
        (status = 200, description = "Bookings by start", body = [BookingRecord]),
        (status = 404, description = "No such space", body = ErrorBody),
        (status = 422, description = "`from` or `to` is bad", body = ErrorBody),
    )
)]
pub async fn list_bookings(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    RecordId(id): RecordId,
    q: Result<Query<RangeQuery>, QueryRejection>,
) -> Result<Json<Vec<BookingRecord>>, AppError> {
    let (_, v) = svc::get_space(&s.store, id).await?;
    caller.require(
        shuniu_domain::access::Action::Read,
        &svc::venue_resource(&v),
    )?;
    let Query(q) = q.map_err(bad_query)?;
    let (from, to) = svc::parse_range(q.from.as_deref(), q.to.as_deref())?;
    let list = svc::bookings_between(&s.store, id, from, to).await?;
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
        NeedsToken,
        (status = 403, description = "The caller may not book for this organization here", body = ErrorBody),
        (status = 404, description = "No such space", body = ErrorBody),
        (status = 409, description = "The time overlaps another booking (`fields.start`), or the space is an office", body = ErrorBody),
        (status = 422, description = "Every bad field named; `organization_id` when its standing bars booking (suspended, deregistered, on the serious list: `supervision::standing`)", body = ErrorBody),
    )
)]
pub async fn create_booking(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Response, AppError> {
    svc::get_space(&s.store, id).await?;
    let (f, found) = fields(&body, BOOKING_FIELDS, Mode::Create)?;
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
    let b = note_denial(&s, &caller, "booking.create", format!("space:{id}"), r).await?;
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
        BadToken,
        (status = 200, description = "The booking", body = BookingRecord),
        (status = 404, description = "No such booking", body = ErrorBody),
    )
)]
pub async fn get_booking(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<BookingRecord>, AppError> {
    let (b, _, v) = svc::get_booking(&s.store, id).await?;
    caller.require(
        shuniu_domain::access::Action::Read,
        &svc::venue_resource(&v),
    )?;
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
        NeedsToken,
        (status = 403, description = "Not the caller's booking to cancel", body = ErrorBody),
        (status = 404, description = "No such booking", body = ErrorBody),
        (status = 409, description = "Already cancelled", body = ErrorBody),
        (status = 422, description = "The body is not empty, nor an object without fields", body = ErrorBody),
    )
)]
pub async fn cancel_booking(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<BookingRecord>, AppError> {
    // No fields are read; anything else sent is named back rather than ignored.
    if !body.iter().all(u8::is_ascii_whitespace) {
        let (_, found) = fields(&body, &[], Mode::Create)?;
        if !found.is_empty() {
            return Err(AppError::Validation(found));
        }
    }
    let r = svc::cancel(&s.store, &caller, id).await;
    let b = note_denial(&s, &caller, "booking.cancel", format!("booking:{id}"), r).await?;
    Ok(Json(BookingRecord::new(&b, true)))
}

// ---------------------------------------------------------------- allocations

/// Allocations of an office that are current or start later. Public.
#[utoipa::path(
    get, path = "/api/v1/spaces/{id}/allocations", operation_id = "list_allocations", tag = "parks",
    params(("id" = Uuid, Path, description = "Space id")),
    security((), ("bearer" = [])),
    responses(
        BadToken,
        (status = 200, description = "Allocations by start", body = [AllocationRecord]),
        (status = 404, description = "No such space", body = ErrorBody),
    )
)]
pub async fn list_allocations(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Vec<AllocationRecord>>, AppError> {
    let (sp, v) = svc::get_space(&s.store, id).await?;
    caller.require(
        shuniu_domain::access::Action::Read,
        &svc::venue_resource(&v),
    )?;
    let list = svc::allocations_of_space(&s.store, &sp).await?;
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
        NeedsToken,
        (status = 403, description = "The caller does not run this venue", body = ErrorBody),
        (status = 404, description = "No such space", body = ErrorBody),
        (status = 409, description = "The period overlaps a current allocation", body = ErrorBody),
        (status = 422, description = "Every bad field named (also: the space is not an office; `organization_id` when its standing bars a new office)", body = ErrorBody),
    )
)]
pub async fn allocate(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Response, AppError> {
    svc::get_space(&s.store, id).await?;
    let (f, found) = fields(
        &body,
        &["organization_id", "starts_on", "ends_on"],
        Mode::Create,
    )?;
    let g = |k: &str| f.get(k).cloned();
    let draft = AllocationDraft {
        organization_id: g("organization_id"),
        starts_on: g("starts_on"),
        ends_on: g("ends_on"),
    };
    let r = svc::allocate_office(&s.store, &caller, id, &draft, found).await;
    let a = note_denial(&s, &caller, "office.allocate", format!("space:{id}"), r).await?;
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
        NeedsToken,
        (status = 403, description = "The caller does not run this venue", body = ErrorBody),
        (status = 404, description = "No such allocation", body = ErrorBody),
        (status = 422, description = "`ended_on` is bad (or before the start)", body = ErrorBody),
    )
)]
pub async fn end_allocation(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<AllocationRecord>, AppError> {
    // An empty body means "today".
    let (f, found) = if body.iter().all(u8::is_ascii_whitespace) {
        (BTreeMap::new(), FieldErrors::new())
    } else {
        fields(&body, &["ended_on"], Mode::Create)?
    };
    if !found.is_empty() {
        return Err(AppError::Validation(found));
    }
    let r = svc::end_allocation(&s.store, &caller, id, f.get("ended_on").map(String::as_str)).await;
    let a = note_denial(&s, &caller, "office.end", format!("allocation:{id}"), r).await?;
    Ok(Json(AllocationRecord::from(&a)))
}

// ---------------------------------------------------------------- obligations

/// Reporting accounts are shown to those who run the venue (its hub's staff, officials
/// over it), not to every signed-in user: a user name is personal data.
pub(super) fn shows_reporter(caller: &Caller, v: &shuniu_domain::parks::Venue) -> bool {
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
        BadToken,
        (status = 200, description = "One summary per quarter", body = [SummaryRecord]),
        (status = 404, description = "No such venue", body = ErrorBody),
        (status = 422, description = "`quarters` is bad", body = ErrorBody),
    )
)]
pub async fn obligations(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    RecordId(id): RecordId,
    q: Result<Query<QuartersQuery>, QueryRejection>,
) -> Result<Json<Vec<SummaryRecord>>, AppError> {
    let v = svc::get_venue(&s.store, id).await?;
    caller.require(
        shuniu_domain::access::Action::Read,
        &svc::venue_resource(&v),
    )?;
    let Query(q) = q.map_err(bad_query)?;
    let n = svc::parse_quarters(q.quarters.as_deref())?;
    let list = svc::summaries(&s.store, id, n).await?;
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
        NeedsToken,
        (status = 403, description = "The caller may not report for this organization here", body = ErrorBody),
        (status = 404, description = "No such venue", body = ErrorBody),
        (status = 422, description = "Every bad field named; `service_hours` / `residents_served` beyond what the organization's people and the venue can deliver in the period", body = ErrorBody),
    )
)]
pub async fn report_obligation(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Response, AppError> {
    svc::get_venue(&s.store, id).await?;
    let (f, found) = fields(&body, REPORT_FIELDS, Mode::Create)?;
    let g = |k: &str| f.get(k).cloned();
    let draft = ObligationReportDraft {
        organization_id: g("organization_id"),
        quarter: g("quarter"),
        service_hours: g("service_hours"),
        residents_served: g("residents_served"),
        note: g("note"),
    };
    let r = svc::report(&s.store, &caller, id, &draft, found, &s.booking).await;
    let rep = note_denial(&s, &caller, "obligation.report", format!("venue:{id}"), r).await?;
    Ok(created(
        format!("/api/v1/venues/{id}/obligations"),
        ReportRecord::new(&rep, true),
    ))
}
