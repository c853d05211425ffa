//! Party-building and coverage pages: an organization's party facts, instructors, coverage of districts, streets and hubs.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use shuniu_domain::FieldErrors;
use shuniu_domain::access::{Action, Resource};
use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_domain::party::{InstructorDraft, PartyBuildingDraft, Share, org_covered, work_covered};
use shuniu_domain::registry::{Organization, PartyOrg};
use shuniu_store::{CoverageScope, Gap};
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::extract::{CheckedForm, PathCode, RecordId};
use crate::kit::forms::{Field, SummaryItem};
use crate::kit::labels;
use crate::kit::export as dl;
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::view::{Crumb, Opt, fmt_int, jurisdiction_options, options, pct, tree};
use crate::party::{self, Figures, GapQuery, InstructorQuery};
use crate::{AppError, AppState, PageResult};

pub mod chart;
pub mod coverage;
pub mod export;
pub mod instructors;
pub mod org;
use coverage::*;
use instructors::*;
use org::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/organizations/{id}/party", party_page)
        .post("/organizations/{id}/party", party_post)
        .get("/instructors", instructors_page)
        .get("/instructors.csv", crate::kit::export::page_csv::<crate::party::instructors_export::Instructors>)
        .get("/instructors.xlsx", crate::kit::export::page_xlsx::<crate::party::instructors_export::Instructors>)
        .post("/instructors", instructors_post)
        .get("/coverage", own_coverage)
        .get("/coverage/{code}", jurisdiction_coverage)
        .get("/hubs/{id}/coverage", hub_coverage)
        .get("/coverage/{code}/gaps.csv", dl::page_csv::<export::JurisdictionGaps>)
        .get("/coverage/{code}/gaps.xlsx", dl::page_xlsx::<export::JurisdictionGaps>)
        .get("/hubs/{id}/coverage/gaps.csv", dl::page_csv::<export::HubGaps>)
        .get("/hubs/{id}/coverage/gaps.xlsx", dl::page_xlsx::<export::HubGaps>)
}

/// The label scope of these forms and query parameters (`cov.f.<name>`).
const COV: &str = "cov";

/// The fields of the party-building form, of the instructor form, and the query
/// parameters of the instructor list and the coverage reports, in order.
const PARTY_FIELDS: [&str; 3] = ["party_org", "party_members", "instructor_id"];
const INSTRUCTOR_FIELDS: [&str; 4] = ["name", "phone", "jurisdiction", "workplace"];
const INSTRUCTOR_QUERY: [&str; 3] = ["jurisdiction", "page", "per_page"];
#[cfg(test)]
const GAP_QUERY: [&str; 3] = ["gap", "page", "per_page"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_label() {
        for names in [
            &PARTY_FIELDS[..],
            &INSTRUCTOR_FIELDS,
            &INSTRUCTOR_QUERY,
            &GAP_QUERY,
        ] {
            crate::kit::labels::assert_labelled(COV, names);
        }
    }
}
