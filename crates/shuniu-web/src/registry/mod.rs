//! The registry of social organizations 社会组织: the list, an organization's page, the
//! registration, edit and status forms, and `/api/v1/organizations`.
//!
//! [`service`] parses what came in, asks the domain and calls the store; [`pages`] and
//! [`forms`] render HTML, [`api`] answers JSON. Other capabilities add sections to an
//! organization's page through `Capability::org_sections`, so the registry imports none
//! of them.

use crate::kit::capability::{Capability, NavItem, always};
use crate::kit::routes::Routes;
use crate::kit::export as kit_dl;

pub mod api;
pub mod export;
pub mod forms;
pub mod messages;
pub mod pages;
pub mod service;

pub use service::*;

pub const CAPABILITY: Capability = Capability {
    name: "registry",
    routes,
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[
        NavItem {
            id: "orgs",
            href: "/organizations",
            label: "nav.organizations",
            rank: 20,
            shows: always,
        },
        // Anonymous visitors see it too (they are asked to sign in), and roles that
        // may register.
        NavItem {
            id: "new",
            href: "/organizations/new",
            label: "nav.new",
            rank: 60,
            shows: |ui| ui.show_register(),
        },
    ],
    org_sections: &[],
};

fn routes() -> Routes {
    Routes::new()
        .get("/organizations", pages::list)
        .post("/organizations", forms::create)
        .get("/organizations.csv", kit_dl::page_csv::<export::Organizations>)
        .get("/organizations.xlsx", kit_dl::page_xlsx::<export::Organizations>)
        .get("/organizations/new", forms::new)
        .get("/organizations/{id}", pages::detail)
        .get("/organizations/{id}/edit", forms::edit)
        .post("/organizations/{id}/edit", forms::update)
        .get("/organizations/{id}/status", forms::status_form)
        .post("/organizations/{id}/status", forms::change_status)
        .get("/api/v1/organizations", api::list)
        .get("/api/v1/organizations.csv", kit_dl::api_csv::<export::Organizations>)
        .post("/api/v1/organizations", api::create)
        .get("/api/v1/organizations/{id}", api::get)
        .patch("/api/v1/organizations/{id}", api::update)
        .post("/api/v1/organizations/{id}/status", api::change_status)
        .get("/api/v1/organizations/{id}/history", api::history)
}
