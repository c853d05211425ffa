//! Credibility 可信度 (issue 12, items 5 and 8): the organization page's "can I trust
//! them?" section — the stored score, its band in words, the breakdown part by part
//! (weight, points or "not counted", source, notes in the page's language), the date it
//! was computed, what it means and what it is not; what a grade means; where to look
//! the USCC up on the national platforms — and `GET /api/v1/organizations/{id}/credibility`.
//!
//! The score is computed by the domain (`credibility::assess`) from facts the store
//! reads, and stored; writes that change the facts refresh it
//! (`AppState::refresh_credibility`), pages read it. An organization whose score was
//! never computed (created before this capability) is computed once, on first read.

use crate::kit::capability::Capability;

pub mod api;
pub mod messages;
pub mod pages;
pub mod service;

pub const CAPABILITY: Capability = Capability {
    name: "trust",
    routes: api::routes,
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[],
    org_sections: &[pages::org_section],
};
