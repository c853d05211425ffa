//! What the `accounts` capability's routes answer: see `super::expect`.

use super::*;

pub(super) fn expect(m: &str, path: &str, who: Who, rec: Rec) -> Option<Vec<Exp>> {
    use Who::*;
    let anon = who == Anonymous;
    let known = rec != Rec::Unknown;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        // ---- API: the calling account ----
        ("GET", "/api/v1/me") => one(if anon { Login } else { OK }),
        // ---- pages: accounts and the audit trail ----
        ("GET", "/login") => Some(vec![OK, REDIRECT]),
        // Wrong credentials: the form again (or a refusal without a CSRF token).
        ("POST", "/login") => Some(vec![OK, Status(401), FORBIDDEN, UNPROCESSABLE]),
        ("POST", "/logout") => match who {
            Anonymous => Some(vec![REDIRECT, Login, FORBIDDEN]),
            _ => one(REDIRECT),
        },
        // Revoking an API token: only one's own (the spare token belongs to A's member);
        // anyone else's is not there for them.
        ("POST", "/account/tokens/{id}/revoke") => match who {
            Anonymous => Some(vec![Login, Status(401), FORBIDDEN]),
            MemberOfA if known => one(REDIRECT),
            _ => one(NOT_FOUND),
        },
        ("GET", p) if p == "/account" || p.starts_with("/account/") => match who {
            Anonymous => one(Login),
            _ if !known => one(NOT_FOUND),
            _ => one(OK),
        },
        ("POST", p) if p == "/account" || p.starts_with("/account/") => match who {
            Anonymous => Some(vec![Login, Status(401), FORBIDDEN]),
            _ if !known => one(NOT_FOUND),
            // A form that passes the account check: done, or shown again with errors.
            _ => Some(vec![OK, REDIRECT, UNPROCESSABLE]),
        },
        // Someone else's account is an admin's business: to anyone else it is not
        // there (404); the lists and the new-user form are refused (403).
        ("GET", p) if p == "/admin/users" || p.starts_with("/admin/users/") => match who {
            Anonymous => one(Login),
            Admin if !known => one(NOT_FOUND),
            Admin => one(OK),
            _ if p.contains("{id}") => one(NOT_FOUND),
            _ => one(FORBIDDEN),
        },
        ("POST", p) if p == "/admin/users" || p.starts_with("/admin/users/") => match who {
            Anonymous => Some(vec![Login, Status(401), FORBIDDEN]),
            Admin if !known => one(NOT_FOUND),
            Admin => Some(vec![OK, REDIRECT, UNPROCESSABLE]),
            _ if p.contains("{id}") => one(NOT_FOUND),
            _ => one(FORBIDDEN),
        },
        _ => None,
    }
}
