//! Service-park pages: venues, spaces, office allocations, the booking calendar, obligation reports.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use serde::Deserialize;
use shuniu_domain::access::{Action, Role};
use shuniu_domain::hubs::MembershipStatus;
use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_domain::parks::{
    AllocationDraft, Booking, BookingDraft, ObligationReportDraft, Space, SpaceDraft, SpaceKind,
    VENUE_FIELDS, Venue, VenueDraft, shanghai,
};
use shuniu_domain::{FieldErrors, Lang};
use shuniu_store::HubFilter;
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::extract::{CheckedForm, NoFields, RecordId};
use crate::kit::forms::{Field, SummaryItem};
use crate::kit::labels;
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::view::{self, Filter, Opt, fmt_int, jurisdiction_options, place_filter_options, tree};
use crate::parks::{self as svc, VenueQuery};
use crate::{AppError, AppState, PageResult, today};

pub mod booking;
pub mod calendar;
pub mod list;
pub mod venue;
pub mod venue_form;
use booking::*;
use calendar::*;
use list::*;
use venue::*;
use venue_form::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/venues", list)
        .get("/venues.csv", crate::kit::export::page_csv::<crate::parks::export::Venues>)
        .get("/venues.xlsx", crate::kit::export::page_xlsx::<crate::parks::export::Venues>)
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
        .get("/bookings/{id}", booking)
        .get("/bookings/{id}/cancel", cancel_page)
        .post("/bookings/{id}/cancel", cancel_booking)
        .post("/venues/{id}/reports", report)
        // A form action opened directly (a bookmark, a reload after a redirect) goes
        // to the page with its form instead of a bare 405.
        .get("/venues/{id}/spaces", spaces_form)
        .get("/venues/{id}/reports", reports_form)
        .get("/spaces/{id}/allocations", allocations_form)
        .get("/allocations/{id}/end", end_allocation_form)
        .get("/spaces/{id}/bookings", book_form)
}

/// The message scope of this capability's field labels: `park.f.<name>`.
const SCOPE: &str = "park";

/// The label of a field (or query parameter) `name` of this capability (the kit's one
/// lookup, in this capability's scope).
pub(crate) fn label(lang: Lang, name: &str) -> &str {
    labels::label(lang, SCOPE, name)
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

/// A control of this capability's forms, labelled in its scope.
fn field(ui: &Ui, name: &'static str, kind: &'static str, errors: &FieldErrors) -> Field {
    labels::field(ui, SCOPE, name, kind, errors)
}

/// The error summary of this capability's forms, labelled in its scope.
fn summary(ui: &Ui, errors: &FieldErrors, order: &[&str]) -> Vec<SummaryItem> {
    labels::summary(ui, SCOPE, errors, order)
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

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use shuniu_domain::parks::BookingRules;

    use super::*;

    /// Every field of every form of these pages, and every query parameter of the venue
    /// list, as its controls and its error summary show them.
    fn forms() -> Vec<(&'static str, Vec<&'static str>)> {
        let mut alloc = ALLOC_FIELDS.to_vec();
        alloc.push("space_id");
        vec![
            ("venue", venue_form_fields()),
            ("space", SPACE_FIELDS.to_vec()),
            ("allocation", alloc),
            ("end allocation", vec!["ended_on"]),
            ("report", REPORT_FIELDS.to_vec()),
            ("booking", BOOK_FIELDS.to_vec()),
            (
                "venue list",
                vec!["jurisdiction", "hub", "page", "per_page"],
            ),
            ("calendar", vec!["week"]),
        ]
    }

    #[test]
    fn every_field_has_a_label_in_both_languages() {
        crate::kit::capability::install(crate::capabilities());
        for lang in [Lang::Zh, Lang::En] {
            let ui = Ui::new(lang, "/venues");
            for (form, names) in forms() {
                let mut errors = FieldErrors::new();
                for name in &names {
                    errors.add(name, shuniu_domain::FieldError::required());
                }
                let mut labels: Vec<(String, String)> = names
                    .iter()
                    .map(|n| (n.to_string(), field(&ui, n, "input", &errors).label.into()))
                    .collect();
                let items = summary(&ui, &errors, &names);
                assert_eq!(items.len(), names.len(), "{form}");
                labels.extend(items.into_iter().map(|i| (i.name, i.label)));
                for (name, l) in labels {
                    assert!(
                        !l.trim().is_empty() && l != name && !l.contains(".f."),
                        "{form} form, {lang:?}: no label for {name} ({l:?})"
                    );
                }
            }
        }
    }

    /// What the domain says about an empty form names only fields the form labels.
    #[test]
    fn the_domain_names_only_fields_of_the_form() {
        let names = |form: &str| {
            forms()
                .into_iter()
                .find(|(f, _)| *f == form)
                .map(|(_, n)| n)
                .unwrap()
        };
        let checks = [
            ("venue", VenueDraft::default().validate().err()),
            ("space", SpaceDraft::default().validate().err()),
            ("allocation", AllocationDraft::default().validate().err()),
            (
                "report",
                ObligationReportDraft::default().validate(today()).err(),
            ),
            (
                "booking",
                BookingDraft::default()
                    .validate(&BookingRules::default(), Utc::now(), 10)
                    .err(),
            ),
        ];
        for (form, errors) in checks {
            let errors = errors.unwrap_or_else(|| panic!("an empty {form} form is refused"));
            for name in errors.0.keys() {
                assert!(names(form).contains(&name.as_str()), "{form}: {name}");
            }
        }
    }
}
