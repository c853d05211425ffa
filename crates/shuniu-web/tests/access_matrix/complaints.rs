//! What the `complaints` capability's routes answer: see `super::expect`.
//!
//! The world holds no complaint and no resident request: an `{id}` (org A's, a record
//! of another kind) and a `{token}` name nothing, so every signed-in caller meets a 404
//! there, exactly as for a complaint that is not theirs. The form needs an `org` to
//! complain about (none given: 404); filing and the private link need no login; the
//! queue is for everyone signed in but experts; an organization's complaint record is
//! public. The story itself is tested in `api_complaints.rs` and `pages_complaints.rs`.

use super::*;

pub(super) fn expect(m: &str, path: &str, who: Who, rec: Rec) -> Option<Vec<Exp>> {
    use Who::*;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        // No `org` in the address: nothing to complain about.
        ("GET", "/complaints/new") => one(NOT_FOUND),
        // An empty form names no organization: not found (or refused without CSRF).
        ("POST", "/complaints/new") => Some(vec![NOT_FOUND, FORBIDDEN]),
        // An empty body: everyone reaches validation, no login needed.
        ("POST", "/api/v1/complaints") => one(UNPROCESSABLE),
        (
            "GET",
            "/complaints/about/{token}"
            | "/complaints/track/{token}"
            | "/api/v1/complaints/track/{token}",
        ) => one(NOT_FOUND),
        ("POST", "/api/v1/complaints/about-request/{token}") => one(NOT_FOUND),
        ("POST", "/complaints/about/{token}") => Some(vec![NOT_FOUND, FORBIDDEN]),
        ("GET", "/complaints" | "/api/v1/complaints") => match who {
            Anonymous => one(Login),
            Expert => one(FORBIDDEN),
            _ => one(OK),
        },
        ("GET", "/complaints/{id}" | "/api/v1/complaints/{id}")
        | ("POST", "/api/v1/complaints/{id}/actions") => match who {
            Anonymous => one(Login),
            _ => one(NOT_FOUND),
        },
        ("POST", "/complaints/{id}/actions") => match who {
            Anonymous => form(who, true, false, NOT_FOUND),
            _ => Some(vec![NOT_FOUND, FORBIDDEN]),
        },
        ("GET", "/api/v1/organizations/{id}/complaints") => match rec {
            Rec::Unknown => one(NOT_FOUND),
            _ => one(OK),
        },
        _ => None,
    }
}
