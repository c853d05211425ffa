//! Service-park pages: venues, spaces, office allocations, the booking calendar, obligation reports.

use crate::routes::Routes;

/// This capability's interface words: key → Chinese, English.
#[rustfmt::skip]
pub static MESSAGES: &[(&str, &str, &str)] = &[
];

pub fn routes() -> Routes {
    Routes::new()
}
