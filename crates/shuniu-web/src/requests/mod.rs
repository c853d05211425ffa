//! Resident requests 居民求助 (issue 12, item 6): a resident, without an account,
//! asks for help (`/requests/new`) and follows it through a private link
//! (`/requests/track/{token}`); the street hub's staff (and officials over the street)
//! dispatch it to an organization ranked by fit (`/requests`, `/requests/{id}`); the
//! organization accepts or declines, completes; the resident confirms and rates. The
//! resident's phone is in full only for the dispatcher and the assigned organization.

use crate::kit::capability::{Capability, NavItem, always};
use crate::kit::ui::Ui;

pub mod api;
pub mod messages;
pub mod pages;
pub mod service;

/// Everyone signed in but experts has a queue (a street's, an organization's).
fn has_queue(ui: &Ui) -> bool {
    use shuniu_domain::access::Role;
    ui.me
        .as_ref()
        .is_some_and(|m| m.role != Role::Expert.label(ui.lang))
}

pub const CAPABILITY: Capability = Capability {
    name: "requests",
    routes: || pages::routes().merge(api::routes()),
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[
        NavItem {
            id: "request_new",
            href: "/requests/new",
            label: "nav.request_new",
            rank: 16,
            shows: always,
        },
        NavItem {
            id: "requests",
            href: "/requests",
            label: "nav.requests",
            rank: 17,
            shows: has_queue,
        },
    ],
    org_sections: &[],
};

#[cfg(test)]
mod tests {
    use super::pages::SCOPE;
    use shuniu_domain::requests::{RATING_FIELDS, REQUEST_FIELDS};

    #[test]
    fn every_field_has_a_label() {
        for names in [
            &REQUEST_FIELDS[..],
            &RATING_FIELDS,
            &super::service::ACTION_FIELDS,
            &super::service::QUEUE_QUERY,
        ] {
            crate::kit::labels::assert_labelled(SCOPE, names);
        }
    }
}
