//! A space's week calendar: bookings, free slots that open the booking form filled in,
//! and booking.

use super::*;

pub struct BookingItem {
    pub id: String,
    pub number: String,
    pub org: String,
    pub purpose: String,
    pub time: String,
    /// Who booked (display name), for those who may see it; nobody for a booking the
    /// system wrote.
    pub booked_by: Option<String>,
    /// The booking's own page, for those who may see it.
    pub href: Option<String>,
    /// The page that asks before cancelling, for those who may cancel.
    pub cancel_href: Option<String>,
}

/// One cell of the week grid. Slots covered by a booking that started above are not
/// emitted (the booking's cell spans them).
pub struct Cell {
    pub date: String,
    pub time: String,
    pub rowspan: usize,
    pub booking: Option<BookingItem>,
    pub past: bool,
    /// A free slot's link to the booking form filled with this room, day and time (for
    /// those who may book here).
    pub book_href: Option<String>,
    /// What that link says to a screen reader ("Book Tue 12-01 09:00").
    pub book_label: String,
    /// The end the form proposes: an hour later, or sooner where the next booking or
    /// closing time comes first.
    end: String,
}

pub struct SlotRow {
    pub time: String,
    pub cells: Vec<Cell>,
}

pub struct DayHead {
    pub date: String,
    pub label: String,
    pub today: bool,
}

pub struct DayList {
    pub date: String,
    pub label: String,
    pub today: bool,
    pub items: Vec<BookingItem>,
    /// The booking form filled with this day (phones have no grid to tap).
    pub book_href: Option<String>,
}

#[derive(Template)]
#[template(path = "parks/space_calendar.html")]
pub(super) struct CalendarPage {
    ui: Ui,
    space_id: String,
    space_name: String,
    kind: &'static str,
    capacity: u32,
    venue_href: String,
    venue_name: String,
    bookable: bool,
    allocations: Vec<AllocRow>,
    week_label: String,
    prev_href: String,
    next_href: String,
    this_week_href: String,
    hours_note: String,
    days: Vec<DayHead>,
    rows: Vec<SlotRow>,
    day_lists: Vec<DayList>,
    can_book: bool,
    book_note: Option<String>,
    book_for: Option<String>,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

/// The calendar's address: the week to show and, from a free slot's link, the booking
/// form's date and times.
#[derive(Debug, Default, Deserialize)]
pub struct WeekQuery {
    pub week: Option<String>,
    pub date: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
}

/// The booking form's fields, in the order of its error summary.
pub(super) const BOOK_FIELDS: &[&str] = &[
    "organization_id",
    "date",
    "start",
    "end",
    "purpose",
    "attendees",
];

#[derive(Debug, Default, Clone, Deserialize)]
pub struct BookForm {
    pub organization_id: Option<String>,
    pub date: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub purpose: Option<String>,
    pub attendees: Option<String>,
}

pub(super) fn local_hm(t: chrono::DateTime<Utc>) -> (NaiveDate, NaiveTime) {
    let l = t.with_timezone(&shanghai());
    (l.date_naive(), l.time())
}

pub(super) fn item(caller: &Caller, v: &Venue, b: &Booking, can_cancel: bool) -> BookingItem {
    let (_, s) = local_hm(b.starts_at);
    let (_, e) = local_hm(b.ends_at);
    let sees = svc::sees_booker(caller, v, b);
    BookingItem {
        id: b.id.to_string(),
        number: b.number.clone(),
        org: b.organization_name.clone(),
        purpose: b.purpose.clone(),
        time: format!("{}–{}", s.format("%H:%M"), e.format("%H:%M")),
        booked_by: b.booked_by_name.clone().filter(|_| sees),
        href: sees.then(|| format!("/bookings/{}", b.id)),
        cancel_href: can_cancel.then(|| format!("/bookings/{}/cancel", b.id)),
    }
}

/// Minutes after midnight as `HH:MM`.
fn hm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn calendar_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    space_id: Uuid,
    week: Option<&str>,
    form: &BookForm,
    errors: &FieldErrors,
) -> Result<CalendarPage, AppError> {
    let (space, v) = svc::get_space(&s.store, space_id).await?;
    caller.require(Action::Read, &svc::venue_resource(&v))?;
    let lang = ui.lang;
    let rules = s.booking;
    let day0 = match week.map(str::trim).filter(|w| !w.is_empty()) {
        None => today(),
        Some(w) => NaiveDate::parse_from_str(w, "%Y-%m-%d").map_err(|_| {
            FieldErrors::single(
                "week",
                shuniu_domain::FieldError::new(
                    "日期格式应为 YYYY-MM-DD",
                    "must be a date YYYY-MM-DD",
                ),
            )
        })?,
    };
    let monday = svc::week_of(day0);
    let dates: Vec<NaiveDate> = (0..7).map(|i| monday + Duration::days(i)).collect();
    let now = Utc::now();
    let today = today();
    let can_manage = svc::can_manage(caller, &v);
    let own = own_org(s, caller).await?;
    let bookings = if space.data.kind.is_bookable() {
        svc::bookings_between(
            &s.store,
            space.id,
            svc::local_midnight(monday),
            svc::local_midnight(monday + Duration::days(7)),
        )
        .await?
    } else {
        vec![]
    };
    let may_cancel = |b: &Booking| {
        caller.user.is_some()
            && (can_manage || own.as_ref().is_some_and(|(o, _)| *o == b.organization_id))
            && b.ends_at > now
    };
    // The grid: one row per slot within opening hours.
    let slot = i64::from(rules.slot_minutes.max(1));
    let open = i64::from(rules.opens_at_hour) * 60;
    let close = i64::from(rules.closes_at_hour) * 60;
    let n_slots = ((close - open) / slot).max(0) as usize;
    let mut covered = vec![vec![false; 7]; n_slots];
    let mut starts: Vec<Vec<Option<(usize, &Booking)>>> = vec![vec![None; 7]; n_slots];
    for b in &bookings {
        let (ds, ts) = local_hm(b.starts_at);
        let (de, te) = local_hm(b.ends_at);
        let Some(col) = dates.iter().position(|d| *d == ds) else {
            continue;
        };
        let start_min = i64::from(ts.hour() * 60 + ts.minute());
        let end_min = if de > ds {
            close
        } else {
            i64::from(te.hour() * 60 + te.minute())
        };
        let first = ((start_min - open).max(0) / slot) as usize;
        let last = (((end_min.min(close) - open) + slot - 1) / slot).max(0) as usize;
        if first >= n_slots || last <= first {
            continue;
        }
        let last = last.min(n_slots);
        if covered[first][col] {
            continue;
        }
        starts[first][col] = Some((last - first, b));
        for row in covered.iter_mut().take(last).skip(first) {
            row[col] = true;
        }
    }
    let mut rows = Vec::with_capacity(n_slots);
    for (r, row_starts) in starts.iter().enumerate() {
        let minutes = open + r as i64 * slot;
        let time = hm(minutes);
        let mut cells = Vec::new();
        for (c, d) in dates.iter().enumerate() {
            match row_starts[c] {
                Some((span, b)) => cells.push(Cell {
                    date: d.to_string(),
                    time: time.clone(),
                    rowspan: span,
                    booking: Some(item(caller, &v, b, may_cancel(b))),
                    past: false,
                    book_href: None,
                    book_label: String::new(),
                    end: String::new(),
                }),
                None if covered[r][c] => {}
                None => {
                    let t =
                        NaiveTime::from_hms_opt((minutes / 60) as u32, (minutes % 60) as u32, 0)
                            .unwrap_or_default();
                    let at = svc::local_midnight(*d)
                        + Duration::minutes(i64::from(t.hour() * 60 + t.minute()));
                    // Up to an hour of free slots from here (the rows are within
                    // opening hours, so this stops at closing time too).
                    let per_hour = (60 / slot).max(1) as usize;
                    let free = (r..n_slots.min(r + per_hour))
                        .take_while(|&k| !covered[k][c])
                        .count()
                        .max(1);
                    cells.push(Cell {
                        date: d.to_string(),
                        time: time.clone(),
                        rowspan: 1,
                        booking: None,
                        past: at <= now,
                        book_href: None,
                        book_label: String::new(),
                        end: hm(minutes + free as i64 * slot),
                    });
                }
            }
        }
        rows.push(SlotRow { time, cells });
    }
    let day_label = |d: &NaiveDate| format!("{} {}", weekday(ui, *d), d.format("%m-%d"));
    let days = dates
        .iter()
        .map(|d| DayHead {
            date: d.to_string(),
            label: day_label(d),
            today: *d == today,
        })
        .collect();
    let mut day_lists = dates
        .iter()
        .map(|d| DayList {
            date: d.to_string(),
            label: day_label(d),
            today: *d == today,
            items: bookings
                .iter()
                .filter(|b| local_hm(b.starts_at).0 == *d)
                .map(|b| item(caller, &v, b, may_cancel(b)))
                .collect(),
            book_href: None,
        })
        .collect::<Vec<_>>();
    // Who may book, and for whom.
    let mut can_book = false;
    let mut book_note = None;
    let mut book_for = None;
    let mut org_fields = Vec::new();
    if space.data.kind.is_bookable() {
        if caller.user.is_none() {
            book_note = Some(ui.t("park.cal.login").to_string());
        } else if can_manage {
            can_book = true;
            let choices = match org_choices(s, &v).await? {
                Some(mut choices) => {
                    if let Some((o, n)) = &own
                        && !choices.iter().any(|(c, _)| c == o)
                    {
                        choices.insert(0, (*o, n.clone()));
                    }
                    choices
                }
                None => vec![],
            };
            org_fields.push(org_field(ui, errors, &form.organization_id, &choices));
        } else if let Some((o, n)) = &own {
            if svc::require_book(&s.store, caller, &v, *o).await.is_ok() {
                can_book = true;
                book_for = Some(ui.tf("park.cal.for_org", &[n]));
            } else {
                book_note = Some(ui.t("park.cal.not_member").to_string());
            }
        } else {
            book_note = Some(ui.t("park.cal.not_member").to_string());
        }
    }
    // Free slots to come open the form filled in, for those who may book here.
    if can_book {
        let form_at = |date: &str, start: Option<(&str, &str)>| {
            let times = start
                .map(|(s, e)| format!("&start={s}&end={e}"))
                .unwrap_or_default();
            format!("/spaces/{}?week={monday}&date={date}{times}#book", space.id)
        };
        for row in &mut rows {
            for c in row.cells.iter_mut().filter(|c| c.booking.is_none() && !c.past) {
                c.book_href = Some(form_at(&c.date, Some((&c.time, &c.end))));
                let day = NaiveDate::parse_from_str(&c.date, "%Y-%m-%d").unwrap_or(today);
                c.book_label = ui.tf(
                    "park.cal.book_slot",
                    &[&format!("{} {}", weekday(ui, day), day.format("%m-%d")), &c.time],
                );
            }
        }
        for d in day_lists.iter_mut() {
            let day = NaiveDate::parse_from_str(&d.date, "%Y-%m-%d").unwrap_or(today);
            if day >= today {
                d.book_href = Some(form_at(&d.date, None));
            }
        }
    }
    let hint = ui.t("park.hint.time");
    let time_field = |name: &'static str, val: &Option<String>| {
        let mut f = field(ui, name, "input", errors)
            .value(val)
            .required()
            .hint(hint);
        let typed = f.value.trim();
        if typed.is_empty() || NaiveTime::parse_from_str(typed, "%H:%M").is_ok() {
            f.input_type = "time";
        }
        f
    };
    let mut fields = org_fields;
    fields.extend([
        date_input(
            field(ui, "date", "input", errors)
                .value(&form.date)
                .required(),
        ),
        time_field("start", &form.start),
        time_field("end", &form.end),
        field(ui, "purpose", "input", errors)
            .value(&form.purpose)
            .required()
            .wide(),
        field(ui, "attendees", "input", errors)
            .value(&form.attendees)
            .required()
            .numeric(),
    ]);
    let allocations = if space.data.kind == SpaceKind::Office {
        svc::allocations_of_space(&s.store, &space)
            .await?
            .into_iter()
            .map(|a| AllocRow {
                id: a.id.to_string(),
                office: space.data.name.clone(),
                org: a.organization_name.clone(),
                org_href: format!("/organizations/{}", a.organization_id),
                period: format!(
                    "{} – {}",
                    view::date(ui.lang, a.starts_on),
                    view::date(ui.lang, a.ends_on)
                ),
                note: a
                    .ended_early_on
                    .map(|e| ui.tf("park.detail.ended_early", &[&view::date(ui.lang, e)]))
                    .unwrap_or_default(),
                can_end: false,
            })
            .collect()
    } else {
        vec![]
    };
    let href = |d: NaiveDate| format!("/spaces/{}?week={d}", space.id);
    Ok(CalendarPage {
        ui: ui.clone(),
        space_id: space.id.to_string(),
        space_name: space.data.name.clone(),
        kind: space.data.kind.label(lang),
        capacity: space.data.capacity,
        venue_href: format!("/venues/{}", v.id),
        venue_name: v.data.name.clone(),
        bookable: space.data.kind.is_bookable(),
        allocations,
        week_label: ui.tf(
            "park.cal.week",
            &[
                &monday.to_string(),
                &(monday + Duration::days(6)).to_string(),
            ],
        ),
        prev_href: href(monday - Duration::days(7)),
        next_href: href(monday + Duration::days(7)),
        this_week_href: href(svc::week_of(today)),
        hours_note: ui.tf(
            "park.cal.hours",
            &[
                &rules.opens_at_hour.to_string(),
                &rules.closes_at_hour.to_string(),
                &rules.slot_minutes.to_string(),
            ],
        ),
        days,
        rows,
        day_lists,
        can_book,
        book_note,
        book_for,
        summary: summary(ui, errors, BOOK_FIELDS),
        fields,
    })
}

/// `GET /spaces/{id}?week=YYYY-MM-DD[&date=…&start=HH:MM&end=HH:MM]`: the week, and the
/// booking form filled with what a free slot's link names (its end an hour after the
/// start, within opening hours, when not given).
pub async fn calendar(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(sid): RecordId,
    q: Result<Query<WeekQuery>, QueryRejection>,
) -> PageResult {
    let ui = ui.with_nav("venues");
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let date = q
        .date
        .as_deref()
        .map(str::trim)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let time = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
    };
    let start = time(&q.start);
    let end = time(&q.end).or_else(|| {
        // An hour after the start, not past closing time (nor midnight: the rules
        // speak for a start outside the hours).
        let start = start?;
        let from = i64::from(start.hour() * 60 + start.minute());
        let close = i64::from(s.booking.closes_at_hour) * 60;
        let to = if from < close { (from + 60).min(close) } else { from + 60 };
        NaiveTime::from_hms_opt((to / 60) as u32, (to % 60) as u32, 0)
    });
    let form = BookForm {
        date: Some(date.unwrap_or_else(today).to_string()),
        start: start.map(|t| t.format("%H:%M").to_string()),
        end: end.map(|t| t.format("%H:%M").to_string()),
        attendees: Some("1".into()),
        ..Default::default()
    };
    // The week asked for, else the week of the date the form is filled with.
    let week = q.week.or_else(|| date.map(|d| d.to_string()));
    let no_errors = FieldErrors::new();
    let p = calendar_page(&s, &ui, &caller, sid, week.as_deref(), &form, &no_errors).await?;
    Ok(render(StatusCode::OK, &p))
}

/// `POST /spaces/{id}/bookings`: 303 to the booking's page (its confirmation and slip),
/// or the calendar again with the errors (422), an overlap on the start field (409).
pub async fn book(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(sid): RecordId,
    CheckedForm(form): CheckedForm<BookForm>,
) -> PageResult {
    let ui = ui.with_nav("venues").at(format!("/spaces/{sid}"));
    let draft = BookingDraft {
        date: form.date.clone(),
        start: form.start.clone(),
        end: form.end.clone(),
        purpose: form.purpose.clone(),
        attendees: form.attendees.clone(),
    };
    let r = svc::book(
        &s,
        &caller,
        sid,
        form.organization_id.as_deref(),
        &draft,
        FieldErrors::new(),
    )
    .await;
    match r {
        Ok(b) => Ok(see_other(&format!("/bookings/{}", b.id))),
        Err(e) => {
            let (status, errs) = form_errors(e, ui.t("park.cal.overlap"))?;
            // Show the week the user was trying to book.
            let week = form
                .date
                .as_deref()
                .filter(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").is_ok());
            let p = calendar_page(&s, &ui, &caller, sid, week, &form, &errs).await?;
            Ok(render(status, &p))
        }
    }
}
