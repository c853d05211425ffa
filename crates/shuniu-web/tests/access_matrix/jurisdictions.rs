//! What the `jurisdictions` capability's routes answer: see `super::expect`.

use super::*;

pub(super) fn expect(m: &str, path: &str, _who: Who, rec: Rec) -> Option<Vec<Exp>> {
    let known = rec != Rec::Unknown;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        ("GET", "/" | "/api/v1/jurisdictions") => one(OK),
        ("GET", "/api/v1/jurisdictions/{code}" | "/jurisdictions/{code}") => {
            one(if known { OK } else { NOT_FOUND })
        }
        _ => None,
    }
}
