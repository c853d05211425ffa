//! A keyset list's paging, once for every list: as sent (`cursor`, `page`, `per_page`:
//! parsed and checked by [`asked`], the 422s named), as answered ([`PageInfo`]: `total`,
//! `total_is_lower_bound`, `page`, `per_page`, `next`, `prev`, flattened into each
//! list's JSON page) and as linked ([`links`]: Previous/Next that keep the page's
//! filters, as [`crate::kit::export::filter_query`] writes them); and the page bar's
//! links.

use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::{At, KeyPage, TOTAL_BOUND};

use crate::kit::params::{given, number};

/// One link of a list's page bar.
pub struct PageLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// No page numbers (a bar of only previous and next).
pub const NO_PAGES: &[PageLink] = &[];

/// No previous or next link (a bar of only page numbers).
pub const NO_LINK: Option<String> = None;

/// The longest cursor taken (a page boundary's keys are far shorter).
pub const MAX_CURSOR: usize = 512;

/// Where a keyset list's page was asked to start and how long it is, as parsed by
/// [`asked`].
#[derive(Debug, Clone)]
pub struct Asked {
    cursor: Option<String>,
    /// The numbered page (1 when none was given).
    pub page: u32,
    page_given: bool,
    pub per_page: u32,
}

/// Parses a keyset list's `page` (1–1,000,000, within the first [`TOTAL_BOUND`] rows)
/// and `per_page` (1–`max`, default `default`) and checks `cursor` (no longer than a
/// cursor is): every 422 goes into `e`, so a handler reports them with its other
/// fields'.
pub fn asked(
    e: &mut FieldErrors,
    cursor: &Option<String>,
    page: &Option<String>,
    per_page: &Option<String>,
    (default, max): (u32, u32),
) -> Asked {
    let n = number(e, "page", page, 1, 1_000_000);
    let per_page = number(e, "per_page", per_page, default, max);
    check(e, cursor, n, per_page);
    Asked {
        cursor: given(cursor).map(str::to_string),
        page: n,
        page_given: given(page).is_some(),
        per_page,
    }
}

/// The 422s of a keyset list's paging: a numbered page reaching past the first
/// [`TOTAL_BOUND`] rows (an offset reads every row it skips; past them, cursors), and a
/// cursor too long to be one.
fn check(e: &mut FieldErrors, cursor: &Option<String>, page: u32, per_page: u32) {
    let cursor = given(cursor);
    if cursor.is_none() && u64::from(page) * u64::from(per_page) > TOTAL_BOUND as u64 {
        e.add(
            "page",
            FieldError::new(
                format!("页码只能翻到前 {TOTAL_BOUND} 条，请沿“下一页”（cursor）继续"),
                format!(
                    "reaches past the first {TOTAL_BOUND} rows: follow the `next` cursor instead"
                ),
            ),
        );
    }
    if cursor.is_some_and(|c| c.len() > MAX_CURSOR) {
        e.add(
            "cursor",
            FieldError::new(
                "翻页位置过长",
                format!("is longer than {MAX_CURSOR} characters"),
            ),
        );
    }
}

impl Asked {
    /// Where the page starts: the cursor when given, else the numbered page when given,
    /// else the first; and the page's number when it has one (`None` from a cursor).
    pub fn position(&self) -> (At<'_>, Option<u32>) {
        match &self.cursor {
            Some(c) => (At::Cursor(Some(c.as_str())), None),
            None if self.page_given => (
                At::Offset((u64::from(self.page.max(1)) - 1) * u64::from(self.per_page)),
                Some(self.page),
            ),
            None => (At::Cursor(None), Some(1)),
        }
    }
}

/// A total as shown: "1,234", or "10,000+" / "10,000 以上" when the count stopped.
pub fn total_text(ui: &crate::kit::ui::Ui, total: shuniu_store::Total) -> String {
    match total {
        shuniu_store::Total::AtLeast(n) => ui.tf("list.at_least", &[&crate::kit::view::fmt_int(n)]),
        shuniu_store::Total::Exact(n) => crate::kit::view::fmt_int(n),
    }
}

/// The paging part of a keyset list's JSON answer, the same for every list (flattened
/// into each list's page).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PageInfo {
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

impl PageInfo {
    /// Of `page`, numbered `number` when it has a number.
    pub fn of<T>(page: &KeyPage<T>, number: Option<u32>) -> PageInfo {
        PageInfo {
            total: page.total.count(),
            total_is_lower_bound: page.total.is_lower_bound(),
            page: number,
            per_page: page.per_page,
            next: page.next.clone(),
            prev: page.prev.clone(),
        }
    }
}

/// The Previous and Next links of a page of `path` whose filters are `query`
/// (`a=1&b=2`, already encoded: [`crate::kit::export::filter_query`]; empty when none):
/// each the same filters with the page's cursor.
pub fn links<T>(path: &str, query: &str, page: &KeyPage<T>) -> (Option<String>, Option<String>) {
    let sep = if query.is_empty() { "" } else { "&" };
    let href = |c: &String| format!("{path}?{query}{sep}cursor={}", crate::kit::view::pct(c));
    (page.prev.as_ref().map(href), page.next.as_ref().map(href))
}
