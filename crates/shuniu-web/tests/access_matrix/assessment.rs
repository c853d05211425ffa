//! What the `assessment` capability's routes answer: see `super::expect`.
//!
//! The world holds no assessment round or application: an `{id}` of
//! `/assessment-rounds/…` or `/assessment-applications/…` names org A (a record of
//! another kind), so it is a `404` for every signed-in caller; the decisions
//! themselves are tested in `api_assessment.rs` and `pages_assessment.rs`. Rounds,
//! grades and the indicator tables in force are public.

use super::*;

pub(super) fn expect(m: &str, path: &str, who: Who, rec: Rec) -> Option<Vec<Exp>> {
    use Who::*;
    let known = rec != Rec::Unknown;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        ("GET", "/api/v1/assessment-rounds") => one(OK),
        // The indicator tables in force are public.
        ("GET", "/api/v1/assessment-tables") => one(OK),
        // An empty body: an official (their own node opens rounds) reaches validation.
        ("POST", "/api/v1/assessment-rounds") => api(who, true, is_official(who), UNPROCESSABLE),
        ("GET", "/api/v1/assessment-rounds/{id}") => one(NOT_FOUND),
        ("POST", "/api/v1/assessment-rounds/{id}/applications")
        | ("POST", "/api/v1/assessment-applications/{id}/decision") => one(match who {
            Anonymous => Login,
            _ => NOT_FOUND,
        }),
        ("GET", "/api/v1/organizations/{id}/grades") => one(if known { OK } else { NOT_FOUND }),
        // Only A's registration authority (Xuanwu) changes its grade; A holds none, so
        // the authority's official reaches validation.
        ("POST", "/api/v1/organizations/{id}/grade-changes") => {
            api(who, known, who == OfficialXuanwu, UNPROCESSABLE)
        }
        // The pages: the same rules as the API.
        ("GET", "/assessment-rounds") => one(OK),
        ("GET", "/assessment-rounds/new") => page(who, true, is_official(who)),
        ("POST", "/assessment-rounds/new") => form(who, true, is_official(who), UNPROCESSABLE),
        ("GET", "/assessment-rounds/{id}" | "/assessment-applications/{id}") => one(NOT_FOUND),
        ("POST", "/assessment-rounds/{id}/apply" | "/assessment-applications/{id}/decision") => {
            match who {
                Anonymous => form(who, known, false, NOT_FOUND),
                _ => one(NOT_FOUND),
            }
        }
        // A holds no grade: its authority's official is told so (and, posting, why).
        ("GET", "/organizations/{id}/grade-changes/new") => {
            page(who, known, who == OfficialXuanwu)
        }
        ("POST", "/organizations/{id}/grade-changes/new") => {
            form(who, known, who == OfficialXuanwu, UNPROCESSABLE)
        }
        _ => None,
    }
}
