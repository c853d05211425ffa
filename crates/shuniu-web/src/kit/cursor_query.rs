//! A keyset list's paging as sent (`cursor`, `page`, `per_page`) and as answered
//! (`total`, `total_is_lower_bound`, `page`, `per_page`, `next`, `prev`): parsed and
//! checked once ([`CursorQuery::read`]: the 422s of [`crate::kit::paging::check`]),
//! answered once ([`CursorMeta`], flattened into each list's JSON page), linked once
//! ([`links`]: Previous/Next that keep the page's filters, as
//! [`crate::kit::export::filter_query`] writes them).

use serde::{Deserialize, Serialize};
use shuniu_domain::FieldErrors;
use shuniu_store::{At, KeyPage};
use utoipa::ToSchema;

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

/// A keyset page's paging in a JSON answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CursorMeta {
    /// How many match; past 10,000 the count stops and `total_is_lower_bound` is true.
    pub total: i64,
    /// Whether `total` is a lower bound rather than the exact count.
    pub total_is_lower_bound: bool,
    /// The page's number when asked for by `page` (or the first); `null` from a `cursor`.
    pub page: Option<u32>,
    pub per_page: u32,
    /// The cursor of the next page (pass it as `cursor`); `null` on the last.
    pub next: Option<String>,
    /// The cursor of the page before; `null` on the first.
    pub prev: Option<String>,
}

impl CursorMeta {
    pub fn of<T>(p: &KeyPage<T>, number: Option<u32>) -> CursorMeta {
        CursorMeta {
            total: p.total.count(),
            total_is_lower_bound: p.total.is_lower_bound(),
            page: number,
            per_page: p.per_page,
            next: p.next.clone(),
            prev: p.prev.clone(),
        }
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
