//! What the kit's own routes (health check, OpenAPI document, glossary, language and display switches, static
//! files) answer: see `super::expect`.

use super::*;

pub(super) fn expect(m: &str, path: &str, _who: Who, rec: Rec) -> Option<Vec<Exp>> {
    let known = rec != Rec::Unknown;
    let one = |e: Exp| Some(vec![e]);
    match (m, path) {
        ("GET", "/healthz" | "/api/openapi.json" | "/glossary") => one(OK),
        ("GET", "/static/{file}") => one(if known { OK } else { NOT_FOUND }),
        // Switching the language sends the browser back.
        ("GET", "/lang/{lang}") => one(if known { REDIRECT } else { NOT_FOUND }),
        // So does switching the display mode (长辈版 / standard).
        ("GET", "/display/{mode}") => one(if known { REDIRECT } else { NOT_FOUND }),
        _ => None,
    }
}
