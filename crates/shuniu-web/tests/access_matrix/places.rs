//! What the `places` capability's routes answer: see `super::expect`.
//!
//! Finding one's community is public: `/where` and the API (without `q`: no
//! candidates) answer every caller.

use super::*;

pub(super) fn expect(m: &str, path: &str, _who: Who, _rec: Rec) -> Option<Vec<Exp>> {
    match (m, path) {
        ("GET", "/where" | "/api/v1/places") => Some(vec![OK]),
        _ => None,
    }
}
