//! Party building 社会组织党建 and coverage: an organization's party facts, the
//! instructors, and the coverage reports of a jurisdiction or a hub. Builds on the
//! registry and on hubs.

use crate::kit::capability::{Capability, NavItem, always};

pub mod api;
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
        href: "/coverage/320102",
        label: "nav.coverage",
        rank: 50,
        shows: always,
    }],
    org_sections: &[],
};
