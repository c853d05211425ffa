//! A keyset list's paging as sent (`cursor`, `page`, `per_page`) and as answered
//! (`total`, `total_is_lower_bound`, `page`, `per_page`, `next`, `prev`): parsed and
//! checked once ([`CursorQuery::read`]: the 422s of [`crate::kit::paging::check`]),
//! answered once ([`crate::kit::paging::PageInfo`], flattened into each list's JSON page), linked once
//! ([`links`]: Previous/Next that keep the page's filters, as
//! [`crate::kit::export::filter_query`] writes them).

use shuniu_domain::FieldErrors;
use shuniu_store::{At, KeyPage};

use crate::kit::params::{given, number};

/// Where a page of a keyset list starts, and how long it is.
#[derive(Debug, Clone)]
pub struct CursorQuery {
    cursor: Option<String>,
    page_given: bool,
    page: u32,
    pub per_page: u32,
}

impl CursorQuery {
    /// The paging of a query: `page` within the first 10,000 rows, `per_page` from 1 to
    /// `max` (`default` when absent), a `cursor` no longer than a cursor is; each bad
    /// one named in `e`.
    pub fn read(
        e: &mut FieldErrors,
        cursor: &Option<String>,
        page: &Option<String>,
        per_page: &Option<String>,
        default: u32,
        max: u32,
    ) -> CursorQuery {
        let number_given = given(page).is_some();
        let page = number(e, "page", page, 1, 1_000_000);
        let per_page = number(e, "per_page", per_page, default, max);
        crate::kit::paging::check(e, cursor, page, per_page);
        CursorQuery {
            cursor: cursor.clone(),
            page_given: number_given,
            page,
            per_page,
        }
    }

    /// Where the page starts, and its number when it has one (`None` from a cursor).
    pub fn at(&self) -> (At<'_>, Option<u32>) {
        crate::kit::paging::position(&self.cursor, self.page_given, self.page, self.per_page)
    }
}

/// The Previous and Next links of a page of `path` whose filters are `query`
/// (`a=1&b=2`, already encoded; empty when none): each the same filters with the cursor.
pub fn links<T>(path: &str, query: &str, p: &KeyPage<T>) -> (Option<String>, Option<String>) {
    let href = |c: &String| {
        let sep = if query.is_empty() { "" } else { "&" };
        format!("{path}?{query}{sep}cursor={}", crate::kit::view::pct(c))
    };
    (p.prev.as_ref().map(href), p.next.as_ref().map(href))
}
