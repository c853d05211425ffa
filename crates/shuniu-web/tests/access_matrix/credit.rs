//! What the `credit` capability's routes answer: see `super::expect`. Everything it
//! reads is public (the lists, an organization's supervision facts and events); what it
//! writes (events, removals) is the registration authority's official's.

use super::*;

/// Records events about A and removes its listings: the official of its registration
/// authority (Xuanwu) only — not admins, not officials elsewhere, not A itself.
fn decides_for_a(w: Who) -> bool {
    w == Who::OfficialXuanwu
}

pub(super) fn expect(m: &str, path: &str, who: Who, rec: Rec) -> Option<Vec<Exp>> {
    let known = rec != Rec::Unknown;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        (
            "GET",
            "/credit-lists"
            | "/api/v1/credit-lists"
            | "/credit-lists.csv"
            | "/credit-lists.xlsx"
            | "/api/v1/credit-lists.csv",
        ) => one(OK),
        ("GET", "/api/v1/organizations/{id}/supervision") => {
            one(if known { OK } else { NOT_FOUND })
        }
        ("GET", "/api/v1/organizations/{id}/credit-events") => {
            one(if known { OK } else { NOT_FOUND })
        }
        // An empty body: the authority's official reaches validation.
        ("POST", "/api/v1/organizations/{id}/credit-events") => {
            api(who, known, decides_for_a(who), UNPROCESSABLE)
        }
        ("GET", "/organizations/{id}/credit-events/new") => page(who, known, decides_for_a(who)),
        ("POST", "/organizations/{id}/credit-events") => {
            form(who, known, decides_for_a(who), UNPROCESSABLE)
        }
        // The world holds no listing: the `{id}` names no listing for anyone.
        ("POST", "/api/v1/credit-listings/{id}/removal") => one(match who {
            Who::Anonymous => Login,
            _ => NOT_FOUND,
        }),
        ("POST", "/credit-listings/{id}/removal") => match who {
            Who::Anonymous => form(who, known, false, NOT_FOUND),
            _ => one(NOT_FOUND),
        },
        _ => None,
    }
}
