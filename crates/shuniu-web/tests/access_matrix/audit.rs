//! What the `audit` capability's routes answer: see `super::expect`.

use super::*;

pub(super) fn expect(m: &str, path: &str, who: Who, _rec: Rec) -> Option<Vec<Exp>> {
    use Who::*;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        ("GET", "/api/v1/audit" | "/api/v1/audit.csv") => one(match who {
            Anonymous => Login,
            w if reads_audit(w) => OK,
            _ => FORBIDDEN,
        }),
        ("GET", "/api/v1/audit/verify") => one(match who {
            Anonymous => Login,
            Admin => OK,
            _ => FORBIDDEN,
        }),
        ("GET", "/audit" | "/audit.csv") => one(match who {
            Anonymous => Login,
            w if reads_audit(w) => OK,
            _ => FORBIDDEN,
        }),
        _ => None,
    }
}
