//! The audit trail: browsing and exporting it (`/audit`, `/audit.csv`) and
//! `/api/v1/audit` (list, CSV export, chain verification). The records themselves are
//! written by the store in the same transaction as each change.

use crate::kit::capability::{Capability, NavItem};
use crate::kit::routes::Routes;

pub mod api;
pub mod export;
pub mod messages;
pub mod pages;
pub mod view;
#[cfg(test)]
mod written_kinds;

pub const CAPABILITY: Capability = Capability {
    name: "audit",
    routes,
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[NavItem {
        id: "audit",
        href: "/audit",
        label: "nav.audit",
        rank: 70,
        shows: |ui| ui.me.as_ref().is_some_and(|m| m.can_audit),
    }],
    org_sections: &[],
};

fn routes() -> Routes {
    Routes::new()
        .get("/audit", pages::browse)
        .get("/audit.csv", pages::export)
        .get("/api/v1/audit", api::list)
        .get("/api/v1/audit.csv", api::export)
        .get("/api/v1/audit/verify", api::verify)
}
