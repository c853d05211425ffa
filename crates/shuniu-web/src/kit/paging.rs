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
