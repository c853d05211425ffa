//! Hub pages: hub list and detail, recognition, memberships, the district's 一核两轴 diagram and the street's 1+1+X.

use crate::routes::Routes;

/// This capability's interface words: key → Chinese, English.
#[rustfmt::skip]
pub static MESSAGES: &[(&str, &str, &str)] = &[
];

pub fn routes() -> Routes {
    Routes::new()
}
