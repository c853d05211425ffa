//! Credit lists 信用名单 and the public supervision facts of an organization: the
//! 活动异常名录 and 严重违法失信名单 pages and API, and a section of the organization
//! page (registration authority, standing, listings, events; the grades are the
//! assessment section's).
//! Read-only and public; the lists are written by the daily job (`shuniu supervise`)
//! and the store's supervision events. Builds on the registry.

use crate::kit::capability::{Capability, NavItem, always};

pub mod api;
pub mod events;
pub mod export;
pub mod events_api;
pub mod events_pages;
pub mod messages;
pub mod pages;
pub mod service;

pub use service::*;

pub const CAPABILITY: Capability = Capability {
    name: "credit",
    routes: || {
        pages::routes()
            .merge(api::routes())
            .merge(events_api::routes())
            .merge(events_pages::routes())
    },
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[NavItem {
        id: "credit",
        href: "/credit-lists",
        label: "nav.credit",
        rank: 45,
        shows: always,
    }],
    org_sections: &[pages::org_section],
};

#[cfg(test)]
mod tests {
    use shuniu_domain::supervision::events::EVENT_FIELDS;

    #[test]
    fn the_event_and_removal_forms_are_labelled() {
        crate::kit::labels::assert_labelled(super::events_pages::SCOPE, &EVENT_FIELDS);
        crate::kit::labels::assert_labelled(super::events_pages::SCOPE, &["reason", "listing"]);
    }
}
