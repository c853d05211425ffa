//! The jurisdiction tree: the home page (the tree with its figures), a jurisdiction's
//! page, and `/api/v1/jurisdictions`. It reads the store directly: there is nothing to
//! write, so no service of its own.

use crate::kit::capability::{Capability, NavItem, always};
use crate::kit::routes::Routes;

pub mod api;
pub mod figures;
pub mod messages;
pub mod pages;

pub const CAPABILITY: Capability = Capability {
    name: "jurisdictions",
    routes,
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[NavItem {
        id: "home",
        href: "/",
        label: "nav.home",
        rank: 10,
        shows: always,
    }],
    org_sections: &[],
};

fn routes() -> Routes {
    Routes::new()
        .get("/", pages::home)
        .get("/jurisdictions/{code}", pages::jurisdiction)
        .get("/api/v1/jurisdictions", api::roots)
        .get("/api/v1/jurisdictions/{code}", api::one)
}
