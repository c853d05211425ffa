//! What the `workbench` capability's route answers: see `super::expect`.

use super::*;

pub(super) fn expect(m: &str, path: &str, who: Who, _rec: Rec) -> Option<Vec<Exp>> {
    match (m, path) {
        // Everyone signed in has a desk.
        ("GET", "/my") => page(who, true, true),
        _ => None,
    }
}
