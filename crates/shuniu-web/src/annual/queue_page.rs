//! The calling official's queue of annual reports (`/annual-reports`): the reports
//! their node reviews as registration authority, filtered by year and outcome, a page
//! at a time by cursor (Previous/Next keep the filters).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use shuniu_domain::supervision::annual::ReviewOutcome;

use crate::annual::pages::{ReportLine, SCOPE, line};
use crate::annual::service::{self, QueueQuery};
use crate::auth::Caller;
use crate::kit::extract::ApiQuery;
use crate::kit::labels;
use crate::kit::paging::links;
use crate::kit::export::filter_query;
use crate::kit::ui::{Ui, render};
use crate::kit::view::{Crumb, Filter, Opt};
use crate::{AppError, AppState, PageResult};

#[derive(Template)]
#[template(path = "annual/queue.html")]
struct QueuePage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    filters: Vec<Filter>,
    errors: Vec<String>,
    rows: Vec<ReportLine>,
    summary: String,
    prev: Option<String>,
    next: Option<String>,
    downloads: crate::kit::export::Links,
}

/// `GET /annual-reports?year=&outcome=&cursor=`: officials only.
pub async fn queue_page(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> PageResult {
    let ui = ui.with_nav("annual");
    // Officials only: anyone else is told so before the parameters are read.
    if caller.user.is_none() {
        return Err(AppError::Unauthenticated.into());
    }
    if !service::has_queue(&caller) {
        return Err(AppError::Forbidden.into());
    }
    let lang = ui.lang;
    let v = |o: &Option<String>| o.as_deref().unwrap_or("").trim().to_string();
    let (year, outcome) = (v(&q.year), v(&q.outcome));
    let this_year = chrono::Datelike::year(&crate::today());
    let mut years = vec![Opt::new("", ui.t("ann.queue.any_year"), year.is_empty())];
    for y in (this_year - 6..this_year).rev() {
        years.push(Opt::new(y.to_string(), y.to_string(), year == y.to_string()));
    }
    let mut outcomes = vec![
        Opt::new("", ui.t("ann.queue.any_outcome"), outcome.is_empty()),
        Opt::new("pending", ui.t("ann.pending"), outcome == "pending"),
    ];
    for o in ReviewOutcome::ALL {
        outcomes.push(Opt::new(o.as_str(), o.label(lang), outcome == o.as_str()));
    }
    let mut page = QueuePage {
        crumbs: vec![Crumb::home(&ui)],
        filters: vec![
            Filter {
                name: "year",
                label: labels::label(lang, SCOPE, "year"),
                options: years,
            },
            Filter {
                name: "outcome",
                label: labels::label(lang, SCOPE, "outcome"),
                options: outcomes,
            },
        ],
        errors: vec![],
        rows: vec![],
        summary: String::new(),
        prev: None,
        next: None,
        downloads: crate::kit::export::Links::new(
            &ui,
            "/annual-reports",
            &filter_query(&[("year", &q.year), ("outcome", &q.outcome)]),
        ),
        ui: ui.clone(),
    };
    let r = match q.parse() {
        Ok(f) => service::queue(&s.store, &caller, &f).await,
        Err(e) => Err(e),
    };
    let filters = filter_query(&[
        ("year", &q.year),
        ("outcome", &q.outcome),
        ("per_page", &q.per_page),
    ]);
    match r {
        Ok((p, _)) => {
            page.rows = p
                .items
                .iter()
                .map(|q| line(&ui, &q.report, &q.organization_name))
                .collect();
            if p.total.count() > 0 {
                page.summary = ui.tf(
                    "ann.queue.summary",
                    &[&crate::kit::paging::total_text(&ui, p.total)],
                );
            }
            (page.prev, page.next) = links("/annual-reports", &filters, &p);
            Ok(render(StatusCode::OK, &page))
        }
        Err(AppError::Validation(f)) => {
            page.errors = labels::error_lines(&ui, SCOPE, &f);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}
