//! Service parks 服务园: venues, their spaces, office allocations, room bookings and
//! the organizations' obligation reports. Builds on the registry and on hubs (a venue
//! is run by a hub).

use crate::kit::capability::{Capability, NavItem, always};

pub mod api;
pub mod export;
pub mod messages;
pub mod pages;
pub mod service;

pub use service::*;

pub const CAPABILITY: Capability = Capability {
    name: "parks",
    routes: || pages::routes().merge(api::routes()),
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[NavItem {
        id: "venues",
        href: "/venues",
        label: "nav.venues",
        rank: 40,
        shows: always,
    }],
    org_sections: &[],
};
