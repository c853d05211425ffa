//! What the `annual` capability's routes answer: see `super::expect`.
//!
//! The world holds no annual report: an `{id}` of `/annual-reports/…` names org A (a
//! record of another kind), so a report is not found there; filing and reviewing
//! themselves are tested in `api_annual.rs` and `pages_annual.rs`. Reports and their
//! results are public.

use super::*;

/// Files A's reports: the official over it, A's own member (not admins).
fn files_for_a(w: Who) -> bool {
    matches!(w, Who::OfficialXuanwu | Who::MemberOfA)
}

pub(super) fn expect(m: &str, path: &str, who: Who, rec: Rec) -> Option<Vec<Exp>> {
    use Who::*;
    let known = rec != Rec::Unknown;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        ("GET", "/api/v1/organizations/{id}/annual-reports") => {
            one(if known { OK } else { NOT_FOUND })
        }
        // An empty body: allowed callers reach validation.
        ("POST", "/api/v1/organizations/{id}/annual-reports") => {
            api(who, known, files_for_a(who), UNPROCESSABLE)
        }
        ("GET", "/organizations/{id}/annual-reports/new") => page(who, known, files_for_a(who)),
        // Every field blank: allowed callers reach validation.
        ("POST", "/organizations/{id}/annual-reports/new") => {
            form(who, known, files_for_a(who), UNPROCESSABLE)
        }
        // The queue: officials (each of their own office).
        ("GET", "/api/v1/annual-reports") => api(who, true, is_official(who), OK),
        ("GET", "/annual-reports") => page(who, true, is_official(who)),
        // Its downloads: as the queue.
        ("GET", "/api/v1/annual-reports.csv") => api(who, true, is_official(who), OK),
        ("GET", "/annual-reports.csv" | "/annual-reports.xlsx") => {
            page(who, true, is_official(who))
        }
        // Public: no such report, for everyone.
        ("GET", "/api/v1/annual-reports/{id}" | "/annual-reports/{id}") => one(NOT_FOUND),
        ("POST", "/api/v1/annual-reports/{id}/review") => one(match who {
            Anonymous => Login,
            _ => NOT_FOUND,
        }),
        ("POST", "/annual-reports/{id}/review") => match who {
            Anonymous => form(who, known, false, NOT_FOUND),
            _ => one(NOT_FOUND),
        },
        _ => None,
    }
}
