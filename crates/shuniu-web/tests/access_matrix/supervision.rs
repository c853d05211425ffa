//! What the `supervision` capability's routes answer: see `super::expect`.
//!
//! The world holds no change application: an `{id}` of `/change-applications/…` names
//! org A (a record of another kind), so every signed-in caller gets `404` there; the
//! decisions themselves are tested in `api_supervision.rs`.

use super::*;

/// Reads A's change applications: admins, the official over it, A's own member.
fn reads_changes_of_a(w: Who) -> bool {
    matches!(w, Who::Admin | Who::OfficialXuanwu | Who::MemberOfA)
}
/// Applies for changes of A: the official over it, A's own member (not admins).
fn applies_for_a(w: Who) -> bool {
    matches!(w, Who::OfficialXuanwu | Who::MemberOfA)
}

pub(super) fn expect(m: &str, path: &str, who: Who, rec: Rec) -> Option<Vec<Exp>> {
    use Who::*;
    let known = rec != Rec::Unknown;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        ("GET", "/api/v1/organizations/{id}/change-applications") => hidden_unless(
            reads_changes_of_a(who),
            api(who, known, reads_changes_of_a(who), OK),
        ),
        // An empty body: allowed callers reach validation.
        ("POST", "/api/v1/organizations/{id}/change-applications") => {
            api(who, known, applies_for_a(who), UNPROCESSABLE)
        }
        ("GET", "/organizations/{id}/change-applications/new") => {
            page(who, known, applies_for_a(who))
        }
        // Every registered fact blank: allowed callers reach validation.
        ("POST", "/organizations/{id}/change-applications") => {
            form(who, known, applies_for_a(who), UNPROCESSABLE)
        }
        // The queue: officials (each of their own office).
        ("GET", "/api/v1/change-applications") => api(who, true, is_official(who), OK),
        ("GET", "/change-applications") => page(who, true, is_official(who)),
        ("GET", "/api/v1/change-applications/{id}")
        | ("POST", "/api/v1/change-applications/{id}/decision") => one(match who {
            Anonymous => Login,
            _ => NOT_FOUND,
        }),
        ("POST", "/change-applications/{id}/decision") => match who {
            Anonymous => form(who, known, false, NOT_FOUND),
            _ => one(NOT_FOUND),
        },
        _ => None,
    }
}
