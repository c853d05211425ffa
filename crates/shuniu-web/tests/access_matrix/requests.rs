//! What the `requests` capability's routes answer: see `super::expect`.
//!
//! The world holds no resident request: an `{id}` (org A's, a record of another kind)
//! and a `{token}` name nothing, so every signed-in caller meets a 404 there, exactly
//! as for a request that is not theirs. The form and the private link need no login;
//! the queue is for everyone signed in but experts. The story itself is tested in
//! `api_requests.rs` and `pages_requests.rs`.

use super::*;

pub(super) fn expect(m: &str, path: &str, who: Who, _rec: Rec) -> Option<Vec<Exp>> {
    use Who::*;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        ("GET", "/requests/new") => one(OK),
        // An empty form or body: everyone reaches validation, no login needed.
        ("POST", "/requests/new") => Some(vec![UNPROCESSABLE, FORBIDDEN]),
        ("POST", "/api/v1/requests") => one(UNPROCESSABLE),
        ("GET", "/requests/track/{token}" | "/api/v1/requests/track/{token}") => one(NOT_FOUND),
        ("POST", "/requests/track/{token}") => Some(vec![NOT_FOUND, FORBIDDEN]),
        ("POST", "/api/v1/requests/track/{token}/confirm") => one(NOT_FOUND),
        ("GET", "/requests" | "/api/v1/requests") => match who {
            Anonymous => one(Login),
            Expert => one(FORBIDDEN),
            _ => one(OK),
        },
        (
            "GET",
            "/requests/{id}" | "/api/v1/requests/{id}" | "/api/v1/requests/{id}/candidates",
        )
        | ("POST", "/api/v1/requests/{id}/actions") => match who {
            Anonymous => one(Login),
            _ => one(NOT_FOUND),
        },
        ("POST", "/requests/{id}/actions") => match who {
            Anonymous => form(who, true, false, NOT_FOUND),
            _ => Some(vec![NOT_FOUND, FORBIDDEN]),
        },
        _ => None,
    }
}
