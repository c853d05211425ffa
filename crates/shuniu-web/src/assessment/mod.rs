//! Assessment 评估 and grades (issue 9, item 4): the registration authority opens
//! rounds, organizations apply (eligibility named by the domain's rule), the
//! authority refuses, scores by the indicator table, gives public notice 公示 and
//! awards after it; an organization's grade history with each award's source, and
//! lowering or withdrawal by the authority. The rules are the domain's
//! (`shuniu_domain::supervision::assessment`), asked in [`service`]; [`api`] answers JSON;
//! [`tables`] answers the indicator tables in force (a per-locality setting);
//! [`pages`] (rounds), [`decision_page`] (an application and the authority's decisions)
//! and [`org_section`] (the organization page's grades, and lowering or withdrawal)
//! render HTML.

use crate::kit::capability::{Capability, NavItem, always};

pub mod api;
pub mod decision_page;
pub mod messages;
pub mod org_section;
pub mod pages;
pub mod service;
pub mod tables;

pub const CAPABILITY: Capability = Capability {
    name: "assessment",
    routes: || pages::routes().merge(api::routes()),
    openapi: api::doc,
    messages: messages::MESSAGES,
    // The rounds and their results are public (the notice 公示 is public by nature).
    nav: &[NavItem {
        id: "assessment",
        href: "/assessment-rounds",
        label: "nav.assessment",
        rank: 47,
        shows: always,
    }],
    org_sections: &[org_section::org_section],
};

#[cfg(test)]
mod tests {
    use super::decision_page::DECISION_FIELDS;
    use super::org_section::CHANGE_FIELDS;
    use super::pages::{ROUND_FIELDS, SCOPE};

    #[test]
    fn every_field_has_a_label() {
        let store_fields = ["organization", "table", "round", "applied_on", "award_on"];
        for names in [
            &ROUND_FIELDS[..],
            &DECISION_FIELDS,
            &CHANGE_FIELDS,
            &store_fields,
            &["page", "per_page"],
        ] {
            crate::kit::labels::assert_labelled(SCOPE, names);
        }
    }
}
