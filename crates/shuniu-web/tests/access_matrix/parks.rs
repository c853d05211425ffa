//! What the `parks` capability's routes answer: see `super::expect`.

use super::*;

pub(super) fn expect(m: &str, path: &str, who: Who, rec: Rec) -> Option<Vec<Exp>> {
    let known = rec != Rec::Unknown;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        // ---- service parks: public reads ----
        (
            "GET",
            "/api/v1/venues" | "/venues" | "/venues.csv" | "/venues.xlsx" | "/api/v1/venues.csv",
        ) => one(OK),
        (
            "GET",
            "/api/v1/venues/{id}"
            | "/api/v1/venues/{id}/obligations"
            | "/api/v1/spaces/{id}"
            | "/api/v1/spaces/{id}/bookings"
            | "/api/v1/spaces/{id}/allocations"
            | "/api/v1/bookings/{id}"
            | "/venues/{id}"
            | "/spaces/{id}",
        ) => one(if known { OK } else { NOT_FOUND }),
        // ---- a booking's page and the page asking before cancelling: C's booking, seen
        // by those who run H (C has no people here); hidden from everyone else ----
        ("GET", "/bookings/{id}" | "/bookings/{id}/cancel") => {
            hidden_unless(runs_h(who), page(who, known, runs_h(who)))
        }
        // ---- a form action opened directly: 303 to the public page with its form ----
        (
            "GET",
            "/venues/{id}/spaces"
            | "/venues/{id}/reports"
            | "/spaces/{id}/allocations"
            | "/spaces/{id}/bookings"
            | "/allocations/{id}/end",
        ) => one(if known { REDIRECT } else { NOT_FOUND }),
        // ---- service parks: venues and spaces (bad or missing fields) ----
        ("POST", "/api/v1/venues") => api(who, true, creates_venues(who), UNPROCESSABLE),
        ("POST", "/venues") => form(who, true, creates_venues(who), UNPROCESSABLE),
        ("GET", "/venues/new") => page(who, true, creates_venues(who)),
        ("GET", "/venues/{id}/edit") => page(who, known, runs_h(who)),
        (
            "PATCH" | "POST",
            "/api/v1/venues/{id}" | "/api/v1/venues/{id}/spaces" | "/api/v1/spaces/{id}",
        ) => api(who, known, runs_h(who), UNPROCESSABLE),
        ("POST", "/venues/{id}/edit" | "/venues/{id}/spaces") => {
            form(who, known, runs_h(who), UNPROCESSABLE)
        }
        // ---- offices: the known space is a room (only offices are allocated: 422) ----
        ("POST", "/api/v1/spaces/{id}/allocations" | "/api/v1/allocations/{id}/end") => {
            api(who, known, runs_h(who), UNPROCESSABLE)
        }
        ("POST", "/spaces/{id}/allocations" | "/allocations/{id}/end") => {
            form(who, known, runs_h(who), UNPROCESSABLE)
        }
        // ---- bookings and reports for C, with a bad date or quarter ----
        ("POST", "/api/v1/spaces/{id}/bookings" | "/api/v1/venues/{id}/obligations") => {
            api(who, known, books_for_c(who), UNPROCESSABLE)
        }
        ("POST", "/spaces/{id}/bookings" | "/venues/{id}/reports") => {
            form(who, known, books_for_c(who), UNPROCESSABLE)
        }
        // Each case cancels a fresh booking of C's.
        ("POST", "/api/v1/bookings/{id}/cancel") => api(who, known, books_for_c(who), OK),
        ("POST", "/bookings/{id}/cancel") => form(who, known, books_for_c(who), REDIRECT),
        _ => None,
    }
}
