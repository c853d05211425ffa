//! What the `hubs` capability's routes answer: see `super::expect`.

use super::*;

pub(super) fn expect(m: &str, path: &str, who: Who, rec: Rec) -> Option<Vec<Exp>> {
    use Who::*;
    let known = rec != Rec::Unknown;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        // ---- hubs (issue 4): public reads ----
        (
            "GET",
            "/api/v1/hubs" | "/hubs" | "/hubs.csv" | "/hubs.xlsx" | "/api/v1/hubs.csv",
        ) => one(OK),
        (
            "GET",
            "/api/v1/hubs/{id}"
            | "/api/v1/hubs/{id}/members"
            | "/api/v1/hubs/{id}/members.csv"
            | "/hubs/{id}/members.csv"
            | "/hubs/{id}/members.xlsx"
            | "/api/v1/organizations/{id}/memberships"
            | "/api/v1/structure/{code}"
            | "/hubs/{id}"
            | "/structure/{code}",
        ) => one(if known { OK } else { NOT_FOUND }),
        // ---- hubs: recognitions ----
        // The body recognizes A as Meiyuan's regional hub, which H already is: the
        // official over Meiyuan (and admins) reach the rule (422); Qinhuai's may
        // recognize elsewhere but not here.
        ("POST", "/api/v1/hubs") => one(match who {
            Anonymous => Login,
            w if recognizes_in_xuanwu(w) => UNPROCESSABLE,
            _ => FORBIDDEN,
        }),
        ("POST", "/hubs") => match who {
            Anonymous => Some(vec![Login, Status(401), FORBIDDEN]),
            w if recognizes_in_xuanwu(w) => one(UNPROCESSABLE),
            _ => one(FORBIDDEN),
        },
        ("GET", "/hubs/new") => one(match who {
            Anonymous => Login,
            w if recognizes(w) => OK,
            _ => FORBIDDEN,
        }),
        // No reason given.
        ("POST", "/api/v1/hubs/{id}/revoke") => {
            api(who, known, recognizes_in_xuanwu(who), UNPROCESSABLE)
        }
        ("POST", "/hubs/{id}/revoke") => form(who, known, recognizes_in_xuanwu(who), UNPROCESSABLE),
        // ---- hubs: memberships ----
        // No organization named.
        ("POST", "/api/v1/hubs/{id}/members") => api(who, known, runs_h(who), UNPROCESSABLE),
        ("POST", "/hubs/{id}/members") => form(who, known, runs_h(who), UNPROCESSABLE),
        // H applies to itself: only who acts for H may, and then the rule says no (422).
        ("POST", "/api/v1/hubs/{id}/applications") => {
            api(who, known, acts_for_h(who), UNPROCESSABLE)
        }
        ("POST", "/hubs/{id}/applications") => form(who, known, acts_for_h(who), UNPROCESSABLE),
        // A membership is not public: who may not read it gets 404.
        ("GET", "/api/v1/memberships/{id}") => hidden_unless(
            reads_membership(who),
            api(who, known, reads_membership(who), OK),
        ),
        ("GET", "/memberships/{id}") => hidden_unless(
            reads_membership(who),
            page(who, known, reads_membership(who)),
        ),
        // A bad action: the hub side reaches validation; readers who can decide
        // nothing (experts) and strangers are refused.
        ("POST", "/api/v1/memberships/{id}/decision") => hidden_unless(
            reads_membership(who),
            api(who, known, runs_h(who), UNPROCESSABLE),
        ),
        ("POST", "/memberships/{id}/decision") => hidden_unless(
            reads_membership(who),
            form(who, known, runs_h(who), UNPROCESSABLE),
        ),
        // Unmarking an unmarked initiating unit: done, nothing changes.
        ("POST", "/api/v1/memberships/{id}/initiating") => {
            hidden_unless(reads_membership(who), api(who, known, runs_h(who), OK))
        }
        ("POST", "/memberships/{id}/initiating") => hidden_unless(
            reads_membership(who),
            form(who, known, runs_h(who), REDIRECT),
        ),
        // ---- hubs: the district core (no names given) ----
        ("POST", "/api/v1/structure/{code}/core") => {
            api(who, known, recognizes_in_xuanwu(who), UNPROCESSABLE)
        }
        ("POST", "/structure/{code}/core") => {
            form(who, known, recognizes_in_xuanwu(who), UNPROCESSABLE)
        }
        _ => None,
    }
}
