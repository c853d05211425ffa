//! Assessment 评估 and grades (issue 9, item 4): the registration authority opens
//! rounds, organizations apply (eligibility named by the domain's rule), the
//! authority refuses, scores by the indicator table, gives public notice 公示 and
//! awards after it; an organization's grade history with each award's source, and
//! lowering or withdrawal by the authority. The rules are the domain's
//! (`shuniu_domain::supervision::assessment`), asked in [`service`]; [`api`] answers JSON;
//! [`tables`] answers the indicator tables in force (a per-locality setting).

use crate::kit::capability::Capability;

pub mod api;
pub mod messages;
pub mod service;
pub mod tables;

pub const CAPABILITY: Capability = Capability {
    name: "assessment",
    routes: api::routes,
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[],
    org_sections: &[],
};
