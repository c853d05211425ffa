//! Annual reports 年报 / 年检, shared by pages and API: parse what came in, ask the
//! domain's rules (`may_file`, `may_review`, `ReportDraft::validate`, `Review::parse`)
//! and call the store, which reviews each report once.

use serde::Deserialize;
use shuniu_domain::access::Role;
use shuniu_domain::registry::Organization;
use shuniu_domain::supervision::annual::{
    ReportDraft, Review, ReviewOutcome, may_file, may_review, years_unfiled,
};
use shuniu_domain::supervision::credit::CreditSettings;
use shuniu_domain::supervision::registration::authority_path;
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::supervision::annual::{AnnualReport, QueueOutcome, QueuedReport};
use shuniu_store::{KeyPage, Store};
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::paging::Asked;
use crate::kit::params::{choice_error, given};
use crate::{AppError, AppState, registry, today};

/// An organization and its jurisdiction path (404 for an unknown id).
pub async fn organization(store: &Store, id: Uuid) -> Result<(Organization, String), AppError> {
    let org = registry::get(store, id).await?;
    let path = registry::path_of(store, &org).await?;
    Ok((org, path))
}

/// Whether this caller may file this organization's reports.
pub fn can_file(caller: &Caller, org: &Organization, path: &str) -> bool {
    may_file(caller.actor().as_ref(), org.id, path).is_allowed()
}

/// The path of the node that reviews this organization's reports.
pub fn authority_of(org: &Organization, path: &str) -> String {
    authority_path(org.data.legal_form, path)
}

/// Whether this caller reviews reports for the authority at `authority`.
pub fn can_review(caller: &Caller, authority: &str) -> bool {
    may_review(caller.actor().as_ref(), authority).is_allowed()
}

/// The years this organization may file a report for now, oldest first.
pub fn years_to_file(
    settings: &CreditSettings,
    org: &Organization,
    reports: &[AnnualReport],
) -> Vec<i32> {
    let filed: Vec<i32> = reports.iter().map(|r| r.year).collect();
    years_unfiled(
        &settings.annual,
        org.data.founded_on,
        settings.from_year,
        today(),
        &filed,
    )
}

/// An organization's reports, newest year first (public: results are published).
pub async fn reports_of(
    store: &Store,
    org_id: Uuid,
) -> Result<(Organization, Vec<AnnualReport>), AppError> {
    let (org, _) = organization(store, org_id).await?;
    let reports = store.annual_reports_of(org.id).await?;
    Ok((org, reports))
}

/// Files the report for `org_id` (its own staff, or an official over it), today;
/// `found` holds what the caller's input already got wrong.
pub async fn file(
    s: &AppState,
    caller: &Caller,
    org_id: Uuid,
    draft: &ReportDraft,
    found: FieldErrors,
) -> Result<AnnualReport, AppError> {
    let (store, settings) = (&s.store, &s.supervision);
    let (org, path) = organization(store, org_id).await?;
    AppError::unless_allowed(may_file(caller.actor().as_ref(), org.id, &path))?;
    let (year, contents) = found
        .or_parsed(draft.validate(org.data.founded_on, today()))
        .map_err(AppError::Validation)?;
    let filed = store
        .file_annual_report(org.id, year, &contents, today(), settings, caller.ctx())
        .await?;
    s.refresh_credibility(org.id).await;
    Ok(filed)
}

/// One report with its organization and the path of the authority that reviews it
/// (public).
pub async fn report(
    store: &Store,
    id: Uuid,
) -> Result<(AnnualReport, Organization, String), AppError> {
    let r = store.annual_report(id).await?.ok_or(AppError::NotFound)?;
    let (org, path) = organization(store, r.organization_id).await?;
    let authority = authority_of(&org, &path);
    Ok((r, org, authority))
}

/// The already-reviewed refusal (409).
fn already_reviewed() -> AppError {
    AppError::State("the report is already reviewed".into())
}

/// Reviews a report: only an official of the registration authority's own node, once.
pub async fn review(
    s: &AppState,
    caller: &Caller,
    id: Uuid,
    outcome: Option<&str>,
    reasons: Option<&str>,
    found: FieldErrors,
) -> Result<AnnualReport, AppError> {
    let store = &s.store;
    let (r, _, authority) = report(store, id).await?;
    AppError::unless_allowed(may_review(caller.actor().as_ref(), &authority))?;
    if r.outcome.is_some() {
        return Err(already_reviewed());
    }
    let review = found
        .or_parsed(Review::parse(outcome, reasons))
        .map_err(AppError::Validation)?;
    // The store lets one review land: a second (or a concurrent one) is a conflict.
    let reviewed = store
        .review_annual_report(id, &review, today(), caller.ctx())
        .await
        .map_err(|e| match e {
            shuniu_store::StoreError::State(_) => already_reviewed(),
            e => AppError::from(e),
        })?;
    s.refresh_credibility(reviewed.organization_id).await;
    Ok(reviewed)
}

/// Whether this caller has a queue: officials (of their own node).
pub fn has_queue(caller: &Caller) -> bool {
    caller
        .user
        .as_ref()
        .is_some_and(|u| u.role == Role::Official && u.jurisdiction_code.is_some())
}

/// The queue's filters and paging, as sent.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// The year reported on.
    #[param(value_type = Option<i32>)]
    pub year: Option<String>,
    /// `pending` (not yet reviewed), `qualified`, `basically_qualified`, `unqualified`;
    /// none: every report.
    pub outcome: Option<String>,
    /// Where the page starts: the `next` or `prev` of a page read before (opaque).
    /// Takes precedence over `page`.
    #[param(value_type = Option<String>, max_length = 512)]
    pub cursor: Option<String>,
    /// 1-based page number within the first 10,000 (past them, follow `next`).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–200 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub per_page: Option<String>,
}

/// The queue's filters, parsed.
#[derive(Debug, Clone)]
pub struct QueueFilter {
    pub year: Option<i32>,
    pub outcome: Option<QueueOutcome>,
    pub paging: Asked,
}

/// The outcome filter's codes.
pub const OUTCOME_FILTERS: [&str; 4] = [
    "pending",
    "qualified",
    "basically_qualified",
    "unqualified",
];

impl QueueQuery {
    /// The filters; a bad parameter is a 422 naming it.
    pub fn parse(&self) -> Result<QueueFilter, AppError> {
        let mut e = FieldErrors::new();
        let year = match given(&self.year) {
            None => None,
            Some(y) => match y.parse::<i32>() {
                Ok(y) if (1990..=9999).contains(&y) => Some(y),
                _ => {
                    e.add("year", FieldError::new("应为年份", "must be a year"));
                    None
                }
            },
        };
        let outcome = match given(&self.outcome) {
            None => None,
            Some("pending") => Some(QueueOutcome::Pending),
            Some(o) => match ReviewOutcome::parse(o) {
                Some(o) => Some(QueueOutcome::Is(o)),
                None => {
                    e.add("outcome", choice_error(&OUTCOME_FILTERS));
                    None
                }
            },
        };
        let paging = crate::kit::paging::asked(&mut e, &self.cursor, &self.page, &self.per_page, (20, 200));
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(QueueFilter {
            year,
            outcome,
            paging,
        })
    }
}

/// The calling official's queue: the reports their node reviews as the registration
/// authority, unreviewed first, one page (by cursor, or by a number within the first
/// 10,000), each with its organization's name; and the page's number when it has one.
pub async fn queue(
    store: &Store,
    caller: &Caller,
    f: &QueueFilter,
) -> Result<(KeyPage<QueuedReport>, Option<u32>), AppError> {
    let path = queue_path(store, caller).await?;
    let (at, number) = f.paging.position();
    let page = store
        .annual_report_queue_keyset(&path, f.year, f.outcome, at, f.paging.per_page)
        .await?;
    Ok((page, number))
}

/// The path of the node whose queue this caller reads: officials only (anonymous:
/// 401; anyone else: 403).
pub async fn queue_path(store: &Store, caller: &Caller) -> Result<String, AppError> {
    let Some(user) = &caller.user else {
        return Err(AppError::Unauthenticated);
    };
    if !has_queue(caller) {
        return Err(AppError::Forbidden);
    }
    let code = user.jurisdiction_code.as_deref().unwrap_or_default();
    let j = store.jurisdiction(code).await?.ok_or(AppError::Forbidden)?;
    Ok(j.path)
}
