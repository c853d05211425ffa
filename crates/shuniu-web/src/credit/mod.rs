//! Credit lists 信用名单 and the public supervision facts of an organization: the
//! 活动异常名录 and 严重违法失信名单 pages and API, and a section of the organization
//! page (registration authority, listings, annual-report results, grade history).
//! Read-only and public; the lists are written by the daily job (`shuniu supervise`)
//! and the store's supervision events. Builds on the registry.

use crate::kit::capability::{Capability, NavItem, always};

pub mod api;
pub mod messages;
pub mod pages;
pub mod service;

pub use service::*;

pub const CAPABILITY: Capability = Capability {
    name: "credit",
    routes: || pages::routes().merge(api::routes()),
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
