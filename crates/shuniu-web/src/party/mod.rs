//! Party building 社会组织党建 and coverage: an organization's party facts, the
//! instructors, and the coverage reports of a jurisdiction or a hub. Builds on the
//! registry and on hubs.

use crate::kit::capability::{Capability, NavItem};

pub mod api;
pub mod export_api;
pub mod instructors_export;
pub mod messages;
pub mod pages;
pub mod service;

pub use service::*;

pub const CAPABILITY: Capability = Capability {
    name: "party",
    routes: || pages::routes().merge(api::routes()),
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[NavItem {
        id: "coverage",
        // `/coverage` leads each reader to their own report (the official's node, the
        // hub's members); members and visitors may read no report, so see no link.
        href: "/coverage",
        label: "nav.coverage",
        rank: 50,
        shows: |ui| ui.me.as_ref().is_some_and(|m| m.reads_reports),
    }],
    org_sections: &[],
};
