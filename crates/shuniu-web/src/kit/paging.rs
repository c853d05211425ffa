//! Pagination links shared by the lists.

/// One link of a list's page bar.
pub struct PageLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}
