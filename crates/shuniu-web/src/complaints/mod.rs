//! Residents' complaints 投诉 (issue 12, item 7): a resident, without an account,
//! complains about an organization (`/complaints/new?org=`) or, through a request's
//! private link, about the organization that handled it (`/complaints/about/{token}`,
//! the phone verified by the link); follows it through a private link
//! (`/complaints/track/{token}`). The organization answers from its queue
//! (`/complaints`); a complaint unanswered past its limit (working days, a setting) is
//! escalated to the street official, who records the outcome. The organization's page
//! shows its complaint record and outcomes, without the complainants' identity.

use crate::kit::capability::{Capability, NavItem};
use crate::kit::ui::Ui;

pub mod api;
pub mod messages;
pub mod pages;
pub mod section;
pub mod service;

/// Everyone signed in but experts has a queue (a street's, an organization's).
fn has_queue(ui: &Ui) -> bool {
    use shuniu_domain::access::Role;
    ui.me
        .as_ref()
        .is_some_and(|m| m.role != Role::Expert.label(ui.lang))
}

pub const CAPABILITY: Capability = Capability {
    name: "complaints",
    routes: || pages::routes().merge(api::routes()),
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[NavItem {
        id: "complaints",
        href: "/complaints",
        label: "nav.complaints",
        rank: 18,
        shows: has_queue,
    }],
    org_sections: &[section::org_section],
};

#[cfg(test)]
mod tests {
    use super::pages::SCOPE;
    use shuniu_domain::complaints::{COMPLAINT_FIELDS, DECISION_FIELDS};

    #[test]
    fn every_field_has_a_label() {
        for names in [
            &COMPLAINT_FIELDS[..],
            &DECISION_FIELDS,
            &super::service::ACTION_FIELDS,
            &super::service::QUEUE_QUERY,
            &["organization_id"],
        ] {
            crate::kit::labels::assert_labelled(SCOPE, names);
        }
    }
}
