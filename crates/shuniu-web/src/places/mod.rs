//! Find by where you live 找社区 (issue 12, item 3): a resident types a compound,
//! road, landmark or community name — or picks their street and community — and
//! learns their community, street and district; the choice is remembered in a cookie
//! (no sign-in) so that `/services` lists nearest first.
//!
//! [`service`] checks the fragment and asks the store's bigram index; [`pages`]
//! renders `/where`; [`api`] answers `GET /api/v1/places`.

use crate::kit::capability::{Capability, NavItem, always};

pub mod api;
pub mod messages;
pub mod pages;
pub mod service;

pub const CAPABILITY: Capability = Capability {
    name: "places",
    routes: || pages::routes().merge(api::routes()),
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[NavItem {
        id: "where",
        href: "/where",
        label: "nav.where",
        rank: 16,
        shows: always,
    }],
    org_sections: &[],
};

#[cfg(test)]
mod tests {
    #[test]
    fn every_field_has_a_label() {
        crate::kit::labels::assert_labelled(super::pages::SCOPE, &super::pages::FIELDS);
    }
}
