//! Hubs 枢纽型社会组织: recognitions, the district core, memberships, and the 一核两轴 /
//! 1+1+X structure pages; a section of the organization page (its memberships).
//! Builds on the registry (a hub is a registered organization).

use crate::kit::capability::{Capability, NavItem, always};

pub mod api;
pub mod export;
pub mod members_export;
pub mod messages;
pub mod pages;
pub mod service;

pub use service::*;

pub const CAPABILITY: Capability = Capability {
    name: "hubs",
    routes: || pages::routes().merge(api::routes()),
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[NavItem {
        id: "hubs",
        href: "/hubs",
        label: "nav.hubs",
        rank: 30,
        shows: always,
    }],
    org_sections: &[pages::org_section],
};
