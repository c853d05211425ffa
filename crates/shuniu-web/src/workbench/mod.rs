//! 我的工作台, the signed-in person's own home (`/my`): what their role has to do, read
//! from the capabilities that hold it — a member's organization, bookings, reports and
//! hubs; a hub's pending applications, members, venues and coverage; an official's queues
//! (changes and annual reports to decide, organizations listed for late reports, rounds
//! open for assessment); an expert's assessment rounds and reports. A view over other
//! capabilities: none of them depends on it.

use crate::kit::capability::{Capability, NavItem};

pub mod messages;
pub mod pages;

pub const CAPABILITY: Capability = Capability {
    name: "workbench",
    routes: pages::routes,
    openapi: utoipa::openapi::OpenApi::default,
    messages: messages::MESSAGES,
    nav: &[NavItem {
        id: "my",
        href: "/my",
        label: "nav.my",
        rank: 5,
        shows: |ui| ui.me.is_some(),
    }],
    org_sections: &[],
};
