//! What the `registry` capability's routes answer: see `super::expect`.

use super::*;

pub(super) fn expect(m: &str, path: &str, who: Who, rec: Rec) -> Option<Vec<Exp>> {
    use Who::*;
    let known = rec != Rec::Unknown;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        // ---- public reads ----
        (
            "GET",
            "/organizations"
            | "/api/v1/organizations"
            | "/organizations.csv"
            | "/organizations.xlsx"
            | "/api/v1/organizations.csv",
        ) => one(OK),
        (
            "GET",
            "/api/v1/organizations/{id}"
            | "/api/v1/organizations/{id}/history"
            | "/organizations/{id}",
        ) => one(if known { OK } else { NOT_FOUND }),
        ("POST", "/api/v1/organizations") => one(match who {
            Anonymous => Login,
            w if registers_in_xuanwu(w) => CREATED,
            _ => FORBIDDEN,
        }),
        ("PATCH", "/api/v1/organizations/{id}") => one(match who {
            Anonymous => Login,
            _ if !known => NOT_FOUND,
            w if edits_a(w) => OK,
            _ => FORBIDDEN,
        }),
        // The body names a bad status: allowed callers reach validation (422).
        ("POST", "/api/v1/organizations/{id}/status") => one(match who {
            Anonymous => Login,
            _ if !known => NOT_FOUND,
            w if rules_a(w) => UNPROCESSABLE,
            _ => FORBIDDEN,
        }),
        // ---- pages: forms ----
        ("GET", "/organizations/new") => one(match who {
            Anonymous => Login,
            w if registers(w) => OK,
            _ => FORBIDDEN,
        }),
        // Anonymous callers are sent to sign in; an unknown id may also say 404
        // (neither reveals anything).
        ("GET", "/organizations/{id}/edit") => match who {
            Anonymous if known => one(Login),
            Anonymous => Some(vec![Login, NOT_FOUND]),
            _ if !known => one(NOT_FOUND),
            w if edits_a(w) => one(OK),
            _ => one(FORBIDDEN),
        },
        ("GET", "/organizations/{id}/status") => match who {
            Anonymous if known => one(Login),
            Anonymous => Some(vec![Login, NOT_FOUND]),
            _ if !known => one(NOT_FOUND),
            w if rules_a(w) => one(OK),
            _ => one(FORBIDDEN),
        },
        // Anonymous form posts: to the login page, or refused (no CSRF token).
        ("POST", "/organizations") => match who {
            Anonymous => Some(vec![Login, Status(401), FORBIDDEN]),
            w if registers_in_xuanwu(w) => one(REDIRECT),
            _ => one(FORBIDDEN),
        },
        ("POST", "/organizations/{id}/edit") => match who {
            Anonymous => Some(vec![Login, Status(401), FORBIDDEN, NOT_FOUND]),
            _ if !known => one(NOT_FOUND),
            w if edits_a(w) => one(REDIRECT),
            _ => one(FORBIDDEN),
        },
        ("POST", "/organizations/{id}/status") => match who {
            Anonymous => Some(vec![Login, Status(401), FORBIDDEN, NOT_FOUND]),
            _ if !known => one(NOT_FOUND),
            w if rules_a(w) => one(UNPROCESSABLE),
            _ => one(FORBIDDEN),
        },
        _ => None,
    }
}
