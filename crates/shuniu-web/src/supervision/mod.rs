//! Supervision of the registry (issue 9): change registration 变更登记 — an
//! organization (or an official for it) applies, the registration authority approves
//! or returns; only approval changes the record. The rules are the domain's
//! (`shuniu_domain::supervision::changes`), the once-only decision the store's.
//!
//! [`service`] parses, asks the domain and calls the store; [`changes_pages`] renders
//! HTML (the organization page's section, the form, an official's queue) and
//! [`changes_api`] answers JSON.

use crate::kit::capability::{Capability, NavItem, officials};

pub mod changes_api;
pub mod changes_pages;
pub mod messages;
pub mod service;

pub const CAPABILITY: Capability = Capability {
    name: "supervision",
    routes: || changes_pages::routes().merge(changes_api::routes()),
    openapi: changes_api::doc,
    messages: messages::MESSAGES,
    nav: &[NavItem {
        id: "changes",
        href: "/change-applications",
        label: "nav.changes",
        rank: 55,
        shows: officials,
    }],
    org_sections: &[changes_pages::org_section],
};

#[cfg(test)]
mod tests {
    use super::changes_pages::{DECISION_FIELDS, FORM_FIELDS, SCOPE};

    #[test]
    fn every_field_has_a_label() {
        for names in [&FORM_FIELDS[..], &DECISION_FIELDS, &["changes"]] {
            crate::kit::labels::assert_labelled(SCOPE, names);
        }
    }
}
