//! Party-building and coverage pages: an organization's party facts, instructors, coverage of districts, streets and hubs.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use shuniu_domain::FieldErrors;
use shuniu_domain::access::{Action, Resource};
use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_domain::party::{InstructorDraft, PartyBuildingDraft, Share, org_covered, work_covered};
use shuniu_domain::registry::{Organization, PartyOrg};
use shuniu_store::{CoverageScope, Gap, Page};
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::forms::{CsrfForm, Field, SummaryItem};
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, error_page, render, see_other};
use crate::kit::view::{Opt, fmt_int, jurisdiction_options, options, pct, tree};
use crate::party::{self, Figures, GapQuery, InstructorQuery};
use crate::{AppError, AppState};

pub mod coverage;
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
        .post("/instructors", instructors_post)
        .get("/coverage/{code}", jurisdiction_coverage)
        .get("/hubs/{id}/coverage", hub_coverage)
}

/// The label of one of this module's form fields (or query parameters).
fn label(ui: &Ui, field: &str) -> &'static str {
    match field {
        "party_org" => ui.t("cov.f.party_org"),
        "party_members" => ui.t("cov.f.party_members"),
        "instructor_id" => ui.t("cov.f.instructor_id"),
        "name" => ui.t("cov.f.name"),
        "phone" => ui.t("cov.f.phone"),
        "jurisdiction" => ui.t("cov.f.jurisdiction"),
        "workplace" => ui.t("cov.f.workplace"),
        "gap" => ui.t("cov.f.gap"),
        "page" => ui.t("cov.f.page"),
        "per_page" => ui.t("cov.f.per_page"),
        _ => "",
    }
}

fn field(ui: &Ui, name: &'static str, kind: &'static str, errors: &FieldErrors) -> Field {
    let mut f = Field::new(ui, name, kind, errors);
    f.label = label(ui, name);
    f
}

/// The error summary, in `order`, with this module's labels.
fn summary(ui: &Ui, errors: &FieldErrors, order: &[&str]) -> Vec<SummaryItem> {
    let mut keys: Vec<&String> = errors.0.keys().collect();
    keys.sort_by_key(|k| order.iter().position(|f| f == k).unwrap_or(usize::MAX));
    keys.into_iter()
        .map(|k| SummaryItem {
            name: k.clone(),
            label: match label(ui, k) {
                "" => k.clone(),
                l => l.to_string(),
            },
            message: errors.0[k].message(ui.lang).to_string(),
        })
        .collect()
}

/// Errors as lines `label: message`.
fn error_lines(ui: &Ui, errors: &FieldErrors) -> Vec<String> {
    summary(ui, errors, &[])
        .into_iter()
        .map(|s| format!("{}{}{}", s.label, ui.t("punct.colon"), s.message))
        .collect()
}

/// The CSRF check of these forms; an anonymous caller is refused by the policy instead.
fn check_csrf(caller: &Caller, token: Option<&str>) -> Result<(), AppError> {
    if caller.user.is_none() {
        return Ok(());
    }
    caller.check_csrf(token)
}
