//! What the `trust` capability's routes answer: see `super::expect`. An organization's
//! credibility is public, like the organization; an unknown id is `404`.

use super::*;

pub(super) fn expect(m: &str, path: &str, _who: Who, rec: Rec) -> Option<Vec<Exp>> {
    let known = rec != Rec::Unknown;
    match (m, path) {
        ("GET", "/api/v1/organizations/{id}/credibility") => {
            Some(vec![if known { OK } else { NOT_FOUND }])
        }
        _ => None,
    }
}
