//! What the `places` capability's routes answer: see `super::expect`.
//!
//! Finding one's community is public: `/where` answers every caller; the API without
//! its `q` is a 422 naming it, for every caller alike.

use super::*;

pub(super) fn expect(m: &str, path: &str, _who: Who, _rec: Rec) -> Option<Vec<Exp>> {
    match (m, path) {
        ("GET", "/where") => Some(vec![OK]),
        ("GET", "/api/v1/places") => Some(vec![UNPROCESSABLE]),
        _ => None,
    }
}
