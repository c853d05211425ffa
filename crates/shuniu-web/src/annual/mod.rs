//! Annual reports 年报 / annual inspection 年检 (issue 9, item 3): an organization (or
//! an official for it) files its report on the previous year; the registration
//! authority's own official reviews it — 合格 / 基本合格 / 不合格, simplified for 4A and
//! above — once; the results are public. The rules are the domain's
//! (`shuniu_domain::supervision::annual`), the once-only review the store's.
//!
//! [`service`] parses, asks the domain and calls the store; [`pages`] renders the
//! organization page's section, the filing form and a report's page with the review
//! form; [`queue_page`] an official's queue, [`export`] its downloads; [`api`] answers
//! JSON.

use crate::kit::capability::{Capability, NavItem, officials};

pub mod api;
pub mod export;
pub mod messages;
pub mod pages;
pub mod queue_page;
pub mod service;

pub const CAPABILITY: Capability = Capability {
    name: "annual",
    routes: || pages::routes().merge(api::routes()),
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[NavItem {
        id: "annual",
        href: "/annual-reports",
        label: "nav.annual",
        rank: 56,
        shows: officials,
    }],
    org_sections: &[pages::org_section],
};

#[cfg(test)]
mod tests {
    use super::pages::{FORM_FIELDS, REVIEW_FIELDS, SCOPE};

    #[test]
    fn every_field_has_a_label() {
        for names in [&FORM_FIELDS[..], &REVIEW_FIELDS, &["page", "per_page"]] {
            crate::kit::labels::assert_labelled(SCOPE, names);
        }
    }
}
