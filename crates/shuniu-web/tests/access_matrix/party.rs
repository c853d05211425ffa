//! What the `party` capability's routes answer: see `super::expect`.

use super::*;

pub(super) fn expect(m: &str, path: &str, who: Who, rec: Rec) -> Option<Vec<Exp>> {
    use Who::*;
    let known = rec != Rec::Unknown;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        // ---- party building and coverage ----
        ("GET", "/api/v1/organizations/{id}/party" | "/organizations/{id}/party") => {
            one(if known { OK } else { NOT_FOUND })
        }
        // A bad party organization type.
        ("POST", "/api/v1/organizations/{id}/party") => {
            api(who, known, keeps_party_of_a(who), UNPROCESSABLE)
        }
        ("POST", "/organizations/{id}/party") => {
            form(who, known, keeps_party_of_a(who), UNPROCESSABLE)
        }
        ("GET", "/api/v1/instructors" | "/api/v1/instructors.csv") => {
            api(who, true, reads_reports(who), OK)
        }
        ("GET", "/instructors" | "/instructors.csv" | "/instructors.xlsx") => {
            page(who, true, reads_reports(who))
        }
        // No fields.
        ("POST", "/api/v1/instructors") => api(who, true, keeps_instructors(who), UNPROCESSABLE),
        ("POST", "/instructors") => form(who, true, keeps_instructors(who), UNPROCESSABLE),
        (
            "GET",
            "/api/v1/coverage/{code}"
            | "/api/v1/coverage/{code}/uncovered"
            | "/api/v1/coverage/{code}/gaps.csv",
        ) => {
            api(who, known, reports_on_xuanwu(who), OK)
        }
        ("GET", "/coverage/{code}") => page(who, known, reports_on_xuanwu(who)),
        // The uncovered lists' downloads: the report's own rule.
        ("GET", "/coverage/{code}/gaps.csv" | "/coverage/{code}/gaps.xlsx") => {
            page(who, known, reports_on_xuanwu(who))
        }
        // Each reader is sent to their own report; members read none.
        ("GET", "/coverage") => match who {
            Anonymous => one(Login),
            MemberOfA => one(FORBIDDEN),
            _ => one(REDIRECT),
        },
        // H's reports: those who run it, and experts.
        ("GET", "/api/v1/hubs/{id}/coverage" | "/api/v1/hubs/{id}/coverage/gaps.csv") => {
            api(who, known, runs_h(who) || who == Expert, OK)
        }
        ("GET", "/hubs/{id}/coverage") => page(who, known, runs_h(who) || who == Expert),
        ("GET", "/hubs/{id}/coverage/gaps.csv" | "/hubs/{id}/coverage/gaps.xlsx") => {
            page(who, known, runs_h(who) || who == Expert)
        }
        _ => None,
    }
}
