//! A booking's own page (the confirmation after booking, a printable slip), the page that
//! asks before cancelling, and what a GET of the parks' form actions answers.

use super::calendar::{BookForm, local_hm};
use super::*;

/// A label and value of the booking's details.
pub struct Detail {
    pub label: &'static str,
    pub value: String,
    /// A link for the value (the venue, the room, the organization).
    pub href: Option<String>,
    /// Kept on one line (the booking number, the time).
    pub nowrap: bool,
}

#[derive(Template)]
#[template(path = "parks/booking.html")]
pub(super) struct BookingPage {
    ui: Ui,
    number: String,
    cancelled: bool,
    details: Vec<Detail>,
    venue_href: String,
    venue_name: String,
    calendar_href: String,
    space_name: String,
    cancel_href: Option<String>,
}

#[derive(Template)]
#[template(path = "parks/booking_cancel.html")]
pub(super) struct CancelPage {
    ui: Ui,
    id: String,
    number: String,
    details: Vec<Detail>,
    venue_href: String,
    venue_name: String,
    calendar_href: String,
    space_name: String,
    booking_href: String,
}

/// The booking, its room and venue, when the caller may see it: the booking
/// organization's own people, the venue's hub staff and officials over it (and admins).
/// Anyone else is told nothing (`404`), an anonymous caller is asked to sign in.
async fn visible_booking(
    s: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<(Booking, Space, Venue), AppError> {
    let (b, space, v) = svc::get_booking(&s.store, id).await?;
    if caller.user.is_none() {
        return Err(AppError::Unauthenticated);
    }
    if !svc::sees_booker(caller, &v, &b) {
        return Err(AppError::Hidden);
    }
    Ok((b, space, v))
}

/// Whether the caller may cancel this booking now: it is confirmed and not over, and the
/// caller runs the venue or books for the organization here (`svc::cancel`'s rule).
async fn may_cancel(
    s: &AppState,
    caller: &Caller,
    v: &Venue,
    b: &Booking,
) -> Result<bool, AppError> {
    use shuniu_domain::parks::BookingStatus;
    if b.status != BookingStatus::Confirmed || b.ends_at <= Utc::now() {
        return Ok(false);
    }
    if svc::can_manage(caller, v) {
        return Ok(true);
    }
    match svc::require_book(&s.store, caller, v, b.organization_id).await {
        Ok(()) => Ok(true),
        Err(AppError::Forbidden | AppError::Hidden) => Ok(false),
        Err(e) => Err(e),
    }
}

/// What a booking is, in the caller's language: number, status, where, when (Beijing
/// time), for whom, by whom.
fn details(ui: &Ui, b: &Booking, space: &Space, v: &Venue) -> Vec<Detail> {
    let (day, start) = local_hm(b.starts_at);
    let (end_day, end) = local_hm(b.ends_at);
    let end = if end_day > day {
        format!("{} {}", end_day, end.format("%H:%M"))
    } else {
        end.format("%H:%M").to_string()
    };
    let d = |label: &'static str, value: String| Detail {
        label: ui.t(label),
        value,
        href: None,
        nowrap: false,
    };
    vec![
        Detail {
            nowrap: true,
            ..d("park.bk.number", b.number.clone())
        },
        d("park.bk.status", b.status.label(ui.lang).to_string()),
        Detail {
            href: Some(format!("/venues/{}", v.id)),
            ..d("park.bk.venue", v.data.name.clone())
        },
        d("park.bk.address", v.data.address.clone()),
        Detail {
            href: Some(format!("/spaces/{}?week={}", space.id, svc::week_of(day))),
            ..d("park.bk.space", space.data.name.clone())
        },
        d(
            "park.bk.date",
            format!("{} {}", day.format("%Y-%m-%d"), weekday(ui, day)),
        ),
        Detail {
            nowrap: true,
            ..d(
                "park.bk.time",
                ui.tf(
                    "park.bk.time_value",
                    &[&start.format("%H:%M").to_string(), &end],
                ),
            )
        },
        Detail {
            href: Some(format!("/organizations/{}", b.organization_id)),
            ..d("park.bk.organization", b.organization_name.clone())
        },
        d("park.f.purpose", b.purpose.clone()),
        d("park.f.attendees", b.attendees.to_string()),
        d(
            "park.bk.booked_by",
            b.booked_by_name
                .clone()
                .unwrap_or_else(|| ui.t("park.bk.by_system").to_string()),
        ),
    ]
}

/// `GET /bookings/{id}`: the booking's details and a slip to print. Where a booking
/// lands (303 after booking) and where a cancellation returns.
pub async fn booking(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("venues");
    let (b, space, v) = visible_booking(&s, &caller, id).await?;
    let cancel_href = may_cancel(&s, &caller, &v, &b)
        .await?
        .then(|| format!("/bookings/{}/cancel", b.id));
    let p = BookingPage {
        details: details(&ui, &b, &space, &v),
        ui,
        number: b.number.clone(),
        cancelled: b.status != shuniu_domain::parks::BookingStatus::Confirmed,
        venue_href: format!("/venues/{}", v.id),
        venue_name: v.data.name.clone(),
        calendar_href: format!(
            "/spaces/{}?week={}",
            space.id,
            svc::week_of(local_hm(b.starts_at).0)
        ),
        space_name: space.data.name.clone(),
        cancel_href,
    };
    Ok(render(StatusCode::OK, &p))
}

/// `GET /bookings/{id}/cancel`: asks before cancelling and says what happens. A booking
/// that can no longer be cancelled (already cancelled, over) goes to its page (303);
/// one the caller sees but may not cancel is a `403`.
pub async fn cancel_page(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("venues");
    let (b, space, v) = visible_booking(&s, &caller, id).await?;
    if b.status != shuniu_domain::parks::BookingStatus::Confirmed || b.ends_at <= Utc::now() {
        return Ok(see_other(&format!("/bookings/{id}")));
    }
    if !may_cancel(&s, &caller, &v, &b).await? {
        return Err(AppError::Forbidden.into());
    }
    let p = CancelPage {
        details: details(&ui, &b, &space, &v),
        ui,
        id: b.id.to_string(),
        number: b.number.clone(),
        venue_href: format!("/venues/{}", v.id),
        venue_name: v.data.name.clone(),
        calendar_href: format!(
            "/spaces/{}?week={}",
            space.id,
            svc::week_of(local_hm(b.starts_at).0)
        ),
        space_name: space.data.name.clone(),
        booking_href: format!("/bookings/{}", b.id),
    };
    Ok(render(StatusCode::OK, &p))
}

/// `POST /bookings/{id}/cancel` (the "Yes, cancel" of the page above): 303 to the
/// booking's page, which now says it is cancelled.
pub async fn cancel_booking(
    State(s): State<AppState>,
    _: Ui,
    caller: Caller,
    RecordId(bid): RecordId,
    CheckedForm(NoFields {}): CheckedForm<NoFields>,
) -> PageResult {
    let b = svc::cancel(&s.store, &caller, bid).await?;
    Ok(see_other(&format!("/bookings/{}", b.id)))
}

// ------------------------------------------------ GET of the form actions

/// `GET /spaces/{id}/bookings`: the booking form is on the room's calendar; 303 there,
/// keeping a date and times given in the address (what a free slot links to).
pub async fn book_form(
    State(s): State<AppState>,
    RecordId(sid): RecordId,
    q: Result<Query<BookForm>, QueryRejection>,
) -> PageResult {
    svc::get_space(&s.store, sid).await?;
    let q = q.map(|Query(q)| q).unwrap_or_default();
    Ok(see_other(&prefilled_href(sid, &q)))
}

/// The calendar with its booking form filled from `q`, where each value is well formed
/// (a date, times `HH:MM`); anything else is left out rather than carried along.
pub(super) fn prefilled_href(sid: Uuid, q: &BookForm) -> String {
    let ok_date = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
            .map(str::to_string)
    };
    let ok_time = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|t| NaiveTime::parse_from_str(t, "%H:%M").is_ok())
            .map(str::to_string)
    };
    let mut params = Vec::new();
    if let Some(d) = ok_date(&q.date) {
        params.push(format!("week={d}"));
        params.push(format!("date={d}"));
    }
    if let Some(t) = ok_time(&q.start) {
        params.push(format!("start={t}"));
    }
    if let Some(t) = ok_time(&q.end) {
        params.push(format!("end={t}"));
    }
    let query = if params.is_empty() {
        String::new()
    } else {
        format!("?{}", params.join("&"))
    };
    format!("/spaces/{sid}{query}#book")
}

/// `GET /venues/{id}/spaces`: the form to add a space is on the venue's page.
pub async fn spaces_form(State(s): State<AppState>, RecordId(vid): RecordId) -> PageResult {
    svc::get_venue(&s.store, vid).await?;
    Ok(see_other(&format!("/venues/{vid}#spaces")))
}

/// `GET /venues/{id}/reports`: the report form is on the venue's page.
pub async fn reports_form(State(s): State<AppState>, RecordId(vid): RecordId) -> PageResult {
    svc::get_venue(&s.store, vid).await?;
    Ok(see_other(&format!("/venues/{vid}#obligations")))
}

/// `GET /spaces/{id}/allocations`: offices are allocated on their venue's page.
pub async fn allocations_form(State(s): State<AppState>, RecordId(sid): RecordId) -> PageResult {
    let (_, v) = svc::get_space(&s.store, sid).await?;
    Ok(see_other(&format!("/venues/{}#allocations", v.id)))
}

/// `GET /allocations/{id}/end`: allocations are ended on their venue's page.
pub async fn end_allocation_form(
    State(s): State<AppState>,
    RecordId(aid): RecordId,
) -> PageResult {
    let a = s
        .store
        .allocation(aid)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, v) = svc::get_space(&s.store, a.space_id).await?;
    Ok(see_other(&format!("/venues/{}#allocations", v.id)))
}
