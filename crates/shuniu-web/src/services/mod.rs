//! The service catalogue 服务目录 and public contacts (issue 12, items 1, 2 and 9):
//! each organization declares its services and its public service phone, hours and
//! address (自行申报, shown in full — a person's phone stays masked in the registry);
//! residents find services by category and place at `/services`; the directory is
//! open data as HSDS 3.0 ([`hsds`]).
//!
//! [`service`] parses, asks the policy and the domain, calls the store; [`pages`]
//! renders the organization page's section, the forms and the public list; [`api`]
//! answers JSON.

use crate::kit::capability::{Capability, NavItem, always};

pub mod api;
pub mod export;
pub mod hsds;
pub mod messages;
pub mod pages;
pub mod service;

pub const CAPABILITY: Capability = Capability {
    name: "services",
    routes: || pages::routes().merge(api::routes()),
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[NavItem {
        id: "services",
        href: "/services",
        label: "nav.services",
        rank: 15,
        shows: always,
    }],
    org_sections: &[pages::org_section],
};

#[cfg(test)]
mod tests {
    use super::pages::SCOPE;
    use shuniu_domain::services::{CONTACT_FIELDS, SERVICE_FIELDS};

    #[test]
    fn every_field_has_a_label() {
        for names in [
            &SERVICE_FIELDS[..],
            &CONTACT_FIELDS,
            &super::service::LIST_QUERY,
            &super::service::ORG_SERVICES_QUERY,
        ] {
            crate::kit::labels::assert_labelled(SCOPE, names);
        }
    }
}
