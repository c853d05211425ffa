//! Party-building and coverage pages: an organization's party facts, instructors, coverage of districts, streets and hubs.

use crate::routes::Routes;

/// This capability's interface words: key → Chinese, English.
#[rustfmt::skip]
pub static MESSAGES: &[(&str, &str, &str)] = &[
];

pub fn routes() -> Routes {
    Routes::new()
}
