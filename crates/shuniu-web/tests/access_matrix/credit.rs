//! What the `credit` capability's routes answer: see `super::expect`. Everything it
//! serves is public: the lists and an organization's supervision facts.

use super::*;

pub(super) fn expect(m: &str, path: &str, _who: Who, rec: Rec) -> Option<Vec<Exp>> {
    let known = rec != Rec::Unknown;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        ("GET", "/credit-lists" | "/api/v1/credit-lists") => one(OK),
        ("GET", "/api/v1/organizations/{id}/supervision") => {
            one(if known { OK } else { NOT_FOUND })
        }
        _ => None,
    }
}
