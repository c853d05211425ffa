//! Service-park pages: venues, spaces, office allocations, the booking calendar, obligation reports.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use serde::Deserialize;
use shuniu_domain::FieldErrors;
use shuniu_domain::access::{Action, Role};
use shuniu_domain::hubs::MembershipStatus;
use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_domain::parks::{
    AllocationDraft, Booking, BookingDraft, ObligationReportDraft, Space, SpaceDraft, SpaceKind,
    VENUE_FIELDS, Venue, VenueDraft, shanghai,
};
use shuniu_store::HubFilter;
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::forms::{CsrfForm, Field, SummaryItem};
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, error_page, render, see_other};
use crate::kit::view::{Opt, fmt_int, jurisdiction_options, pct, tree};
use crate::parks::{self as svc, VenueQuery};
use crate::{AppError, AppState, today};

pub mod calendar;
pub mod list;
pub mod venue;
pub mod venue_form;
use calendar::*;
use list::*;
use venue::*;
use venue_form::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/venues", list)
        .get("/venues/new", new_venue)
        .post("/venues", create_venue)
        .get("/venues/{id}", detail)
        .get("/venues/{id}/edit", edit_venue)
        .post("/venues/{id}/edit", update_venue)
        .post("/venues/{id}/spaces", add_space)
        .post("/spaces/{id}/allocations", allocate)
        .post("/allocations/{id}/end", end_allocation)
        .get("/spaces/{id}", calendar)
        .post("/spaces/{id}/bookings", book)
        .post("/bookings/{id}/cancel", cancel_booking)
        .post("/venues/{id}/reports", report)
}

/// The label of a form field of this capability.
fn label(ui: &Ui, name: &str) -> &'static str {
    match name {
        "hub_id" => ui.t("park.f.hub_id"),
        "name" => ui.t("park.f.name"),
        "address" => ui.t("park.f.address"),
        "jurisdiction" => ui.t("park.f.jurisdiction"),
        "area_m2" => ui.t("park.f.area_m2"),
        "owner" => ui.t("park.f.owner"),
        "free_of_charge" => ui.t("park.f.free_of_charge"),
        "terms" => ui.t("park.f.terms"),
        "utilities_waived" => ui.t("park.f.utilities_waived"),
        "obligation" => ui.t("park.f.obligation"),
        "obligation_hours_per_quarter" => ui.t("park.f.obligation_hours_per_quarter"),
        "kind" => ui.t("park.f.kind"),
        "capacity" => ui.t("park.f.capacity"),
        "space" | "space_id" => ui.t("park.f.space"),
        "organization_id" => ui.t("park.f.organization_id"),
        "starts_on" => ui.t("park.f.starts_on"),
        "ends_on" => ui.t("park.f.ends_on"),
        "ended_on" => ui.t("park.f.ended_on"),
        "date" => ui.t("park.f.date"),
        "start" => ui.t("park.f.start"),
        "end" => ui.t("park.f.end"),
        "purpose" => ui.t("park.f.purpose"),
        "attendees" => ui.t("park.f.attendees"),
        "quarter" => ui.t("park.f.quarter"),
        "service_hours" => ui.t("park.f.service_hours"),
        "residents_served" => ui.t("park.f.residents_served"),
        "note" => ui.t("park.f.note"),
        "week" => ui.t("park.f.week"),
        _ => ui.t("park.f.name"),
    }
}

fn weekday(ui: &Ui, d: NaiveDate) -> &'static str {
    match d.weekday().number_from_monday() {
        1 => ui.t("park.wd.1"),
        2 => ui.t("park.wd.2"),
        3 => ui.t("park.wd.3"),
        4 => ui.t("park.wd.4"),
        5 => ui.t("park.wd.5"),
        6 => ui.t("park.wd.6"),
        _ => ui.t("park.wd.7"),
    }
}

/// A field of this capability's forms, labelled from its own messages.
fn field(ui: &Ui, name: &'static str, kind: &'static str, errors: &FieldErrors) -> Field {
    let mut f = Field::new(ui, name, kind, errors);
    f.label = label(ui, name);
    f
}

fn summary(ui: &Ui, errors: &FieldErrors, order: &[&str]) -> Vec<SummaryItem> {
    let mut keys: Vec<&String> = errors.0.keys().collect();
    keys.sort_by_key(|k| order.iter().position(|f| f == k).unwrap_or(usize::MAX));
    keys.into_iter()
        .map(|k| SummaryItem {
            name: k.clone(),
            label: label(ui, k).to_string(),
            message: errors.0[k].message(ui.lang).to_string(),
        })
        .collect()
}

fn parse_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)
}

/// The CSRF check of these forms (anonymous callers are refused by the policy).
fn check_csrf(caller: &Caller, token: Option<&str>) -> Result<(), AppError> {
    if caller.user.is_none() {
        return Ok(());
    }
    caller.check_csrf(token)
}

/// Checks the form's token and hands back its body.
fn form_body<T>(caller: &Caller, form: Result<CsrfForm<T>, ()>) -> Result<T, AppError> {
    let Ok(CsrfForm(body, token)) = form else {
        return Err(AppError::BadRequest("form".into()));
    };
    check_csrf(caller, token.as_deref())?;
    Ok(body)
}

fn date_input(mut f: Field) -> Field {
    let v = f.value.trim();
    if v.is_empty() || NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok() {
        f.input_type = "date";
    }
    f
}

fn yes_no(ui: &Ui, b: bool) -> &'static str {
    if b { ui.t("park.yes") } else { ui.t("park.no") }
}
