//! What the `services` capability's routes answer: see `super::expect`.
//!
//! The world holds no service and no declared contact: a `{sid}`, and an `{id}` of
//! `/services/…` or `/api/v1/hsds/services/…` (org A, a record of another kind), name
//! nothing. Writing itself is tested in `api_services.rs` and `pages_services.rs`.
//! The catalogue, contacts and open data are public; A's own member, the official
//! over it and administrators keep them.

use super::*;

pub(super) fn expect(m: &str, path: &str, who: Who, rec: Rec) -> Option<Vec<Exp>> {
    use Who::*;
    let known = rec != Rec::Unknown;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        (
            "GET",
            "/services"
            | "/api/v1/services"
            | "/api/v1/hsds/organizations"
            | "/api/v1/hsds/services"
            | "/services.csv"
            | "/services.xlsx"
            | "/api/v1/services.csv",
        ) => {
            one(OK)
        }
        (
            "GET",
            "/api/v1/organizations/{id}/services"
            | "/organizations/{id}/services"
            | "/api/v1/hsds/organizations/{id}",
        ) => {
            one(if known { OK } else { NOT_FOUND })
        }
        ("GET", "/api/v1/organizations/{id}/contact" | "/api/v1/hsds/services/{id}") => {
            one(NOT_FOUND)
        }
        // An empty body: allowed callers reach validation.
        ("POST", "/api/v1/organizations/{id}/services") | ("PUT", "/api/v1/organizations/{id}/contact") => {
            api(who, known, edits_a(who), UNPROCESSABLE)
        }
        // No such service of A: those who keep A learn that, others are refused first.
        ("PUT" | "PATCH", "/api/v1/organizations/{id}/services/{sid}") => {
            api(who, known, edits_a(who), NOT_FOUND)
        }
        ("GET", "/organizations/{id}/services/new" | "/organizations/{id}/contact") => {
            page(who, known, edits_a(who))
        }
        ("POST", "/organizations/{id}/services/new" | "/organizations/{id}/contact") => {
            form(who, known, edits_a(who), UNPROCESSABLE)
        }
        ("GET", "/services/{id}/edit") => match who {
            Anonymous => Some(vec![Login, NOT_FOUND]),
            _ => one(NOT_FOUND),
        },
        ("POST", "/services/{id}/edit") => match who {
            Anonymous => form(who, known, false, NOT_FOUND),
            _ => one(NOT_FOUND),
        },
        _ => None,
    }
}
