//! Pagination links shared by the lists.

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

use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::{At, TOTAL_BOUND};

use crate::kit::params::given;

/// The longest cursor taken (a page boundary's keys are far shorter).
pub const MAX_CURSOR: usize = 512;

/// The 422s of a keyset list's paging: a numbered page reaching past the first
/// [`TOTAL_BOUND`] rows (an offset reads every row it skips; past them, cursors), and a
/// cursor too long to be one.
pub fn check(e: &mut FieldErrors, cursor: &Option<String>, page: u32, per_page: u32) {
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

/// Where a page starts: the cursor when given, else the numbered page when given, else
/// the first; and the page's number when it has one.
pub fn position<'a>(
    cursor: &'a Option<String>,
    page_given: bool,
    page: u32,
    per_page: u32,
) -> (At<'a>, Option<u32>) {
    match given(cursor) {
        Some(c) => (At::Cursor(Some(c)), None),
        None if page_given => (
            At::Offset((u64::from(page.max(1)) - 1) * u64::from(per_page)),
            Some(page),
        ),
        None => (At::Cursor(None), Some(1)),
    }
}

/// A total as shown: "1,234", or "10,000+" / "10,000 以上" when the count stopped.
pub fn total_text(ui: &crate::kit::ui::Ui, total: shuniu_store::Total) -> String {
    match total {
        shuniu_store::Total::AtLeast(n) => ui.tf("list.at_least", &[&crate::kit::view::fmt_int(n)]),
        shuniu_store::Total::Exact(n) => crate::kit::view::fmt_int(n),
    }
}
