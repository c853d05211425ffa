//! Annual-report pages 年报 / 年检: the section of an organization's page (its reports
//! and results, public; the link to file one), the filing form, a report's page with
//! the authority's review form, and an official's queue.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use shuniu_domain::FieldErrors;
use shuniu_domain::registry::Organization;
use shuniu_domain::supervision::annual::{ReportDraft, ReviewKind, ReviewOutcome};
use shuniu_store::supervision::annual::AnnualReport;

use crate::annual::service;
use crate::auth::Caller;
use crate::kit::extract::{CheckedForm, RecordId};
use crate::kit::forms::{Field, SummaryItem};
use crate::kit::labels;
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::view::{self, Crumb, Opt};
use crate::{AppError, AppState, PageResult};

pub fn routes() -> Routes {
    Routes::new()
        .get("/organizations/{id}/annual-reports/new", new_form)
        .post("/organizations/{id}/annual-reports/new", file)
        .get("/annual-reports/{id}", report_page)
        .post("/annual-reports/{id}/review", review)
        .get("/annual-reports", super::queue_page::queue_page)
        .get(
            "/annual-reports.csv",
            crate::kit::export::page_csv::<super::export::Queue>,
        )
        .get(
            "/annual-reports.xlsx",
            crate::kit::export::page_xlsx::<super::export::Queue>,
        )
}

/// The label scope of the forms (`ann.f.<name>`).
pub(crate) const SCOPE: &str = "ann";

/// The filing form's fields, in order (those of `ReportDraft`).
pub(crate) const FORM_FIELDS: [&str; 12] = [
    "year",
    "activities",
    "income",
    "expenditure",
    "net_assets",
    "donations",
    "government_funding",
    "staff_full_time",
    "staff_part_time",
    "volunteers",
    "party_building",
    "major_events",
];

/// The review form's fields.
pub(crate) const REVIEW_FIELDS: [&str; 2] = ["outcome", "reasons"];

/// The CSS class of an outcome (or of a report under review).
pub(crate) fn outcome_class(o: Option<ReviewOutcome>) -> &'static str {
    match o {
        None => "pending",
        Some(ReviewOutcome::Qualified) => "qualified",
        Some(ReviewOutcome::BasicallyQualified) => "basically-qualified",
        Some(ReviewOutcome::Unqualified) => "unqualified",
    }
}

/// A report as a line of a table.
pub struct ReportLine {
    pub href: String,
    pub organization: String,
    pub org_href: String,
    pub year: i32,
    pub submitted_on: String,
    pub timeliness: &'static str,
    pub late: bool,
    pub review_kind: &'static str,
    pub outcome: &'static str,
    pub outcome_class: &'static str,
    pub reasons: String,
}

pub(crate) fn line(ui: &Ui, r: &AnnualReport, organization: &str) -> ReportLine {
    ReportLine {
        href: format!("/annual-reports/{}", r.id),
        organization: organization.to_string(),
        org_href: format!("/organizations/{}", r.organization_id),
        year: r.year,
        submitted_on: view::date(ui.lang, r.submitted_on),
        timeliness: ui.t(if r.late { "ann.late" } else { "ann.on_time" }),
        late: r.late,
        review_kind: r.review_kind.label(ui.lang),
        outcome: match r.outcome {
            Some(o) => o.label(ui.lang),
            None => ui.t("ann.pending"),
        },
        outcome_class: outcome_class(r.outcome),
        reasons: r.review_reasons.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "annual/org_section.html")]
struct SectionPage<'a> {
    ui: &'a Ui,
    id: String,
    rows: Vec<ReportLine>,
    /// The "file the report for year Y" link, for those who may file.
    file_link: Option<String>,
}

/// The "Annual reports" section of an organization's page (`Capability::org_sections`):
/// every report with its result (public), and for the organization's own staff or an
/// official over it the link to file the oldest year due and not filed.
pub fn org_section<'a>(
    s: &'a AppState,
    ui: &'a Ui,
    caller: &'a Caller,
    org: &'a Organization,
    org_path: &'a str,
) -> crate::kit::capability::SectionFuture<'a> {
    Box::pin(async move {
        let reports = s.store.annual_reports_of(org.id).await?;
        let file_link = if service::can_file(caller, org, org_path) {
            service::years_to_file(&s.supervision, org, &reports)
                .first()
                .map(|y| ui.tf("ann.file_for", &[&y.to_string()]))
        } else {
            None
        };
        SectionPage {
            ui,
            id: org.id.to_string(),
            rows: reports.iter().map(|r| line(ui, r, &org.data.name)).collect(),
            file_link,
        }
        .render()
        .map_err(|e| AppError::Internal(format!("template failed to render: {e}")))
    })
}

/// The filing form as typed (money in yuan).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ReportForm {
    pub year: Option<String>,
    pub activities: Option<String>,
    pub income: Option<String>,
    pub expenditure: Option<String>,
    pub net_assets: Option<String>,
    pub donations: Option<String>,
    pub government_funding: Option<String>,
    pub staff_full_time: Option<String>,
    pub staff_part_time: Option<String>,
    pub volunteers: Option<String>,
    pub party_building: Option<String>,
    pub major_events: Option<String>,
}

impl ReportForm {
    fn draft(&self) -> ReportDraft {
        ReportDraft {
            year: self.year.clone(),
            activities: self.activities.clone(),
            income: self.income.clone(),
            expenditure: self.expenditure.clone(),
            net_assets: self.net_assets.clone(),
            donations: self.donations.clone(),
            government_funding: self.government_funding.clone(),
            staff_full_time: self.staff_full_time.clone(),
            staff_part_time: self.staff_part_time.clone(),
            volunteers: self.volunteers.clone(),
            party_building: self.party_building.clone(),
            major_events: self.major_events.clone(),
        }
    }

    fn value(&self, name: &str) -> &Option<String> {
        match name {
            "year" => &self.year,
            "activities" => &self.activities,
            "income" => &self.income,
            "expenditure" => &self.expenditure,
            "net_assets" => &self.net_assets,
            "donations" => &self.donations,
            "government_funding" => &self.government_funding,
            "staff_full_time" => &self.staff_full_time,
            "staff_part_time" => &self.staff_part_time,
            "volunteers" => &self.volunteers,
            "party_building" => &self.party_building,
            _ => &self.major_events,
        }
    }
}

#[derive(Template)]
#[template(path = "annual/form.html")]
struct FormPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    title: String,
    intro: String,
    id: String,
    groups: Vec<(&'static str, Vec<Field>)>,
    summary: Vec<SummaryItem>,
}

fn form_page(
    s: &AppState,
    ui: &Ui,
    org: &Organization,
    typed: &ReportForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult {
    let f = |name: &'static str, kind: &'static str| {
        labels::field(ui, SCOPE, name, kind, errors).value(typed.value(name))
    };
    let money = |name: &'static str| {
        let mut m = f(name, "input").required();
        m.inputmode = "decimal";
        m
    };
    let count = |name: &'static str| f(name, "input").numeric();
    let groups = vec![
        (
            "ann.form.work",
            vec![
                f("year", "input").numeric().required(),
                f("activities", "textarea").required().wide(),
                f("party_building", "textarea").wide(),
                f("major_events", "textarea").wide(),
            ],
        ),
        (
            "ann.form.money",
            vec![
                money("income"),
                money("expenditure"),
                money("net_assets"),
                money("donations"),
                money("government_funding"),
            ],
        ),
        (
            "ann.form.people",
            vec![
                count("staff_full_time"),
                count("staff_part_time"),
                count("volunteers"),
            ],
        ),
    ];
    let due = &s.supervision.annual;
    let page = FormPage {
        crumbs: vec![
            Crumb::home(ui),
            Crumb::organizations(ui),
            Crumb::new(org.data.name.clone(), format!("/organizations/{}", org.id)),
        ],
        ui: ui.clone(),
        title: ui.tf("ann.form.title", &[&org.data.name]),
        intro: ui.tf(
            "ann.form.intro",
            &[&format!("{:02}-{:02}", due.due_month, due.due_day)],
        ),
        id: org.id.to_string(),
        groups,
        summary: labels::summary(ui, SCOPE, errors, &FORM_FIELDS),
    };
    Ok(render(status, &page))
}

/// The form refused to whoever may not file: sign in, or 403.
fn refuse(caller: &Caller) -> AppError {
    if caller.user.is_none() {
        AppError::Unauthenticated
    } else {
        AppError::Forbidden
    }
}

/// `GET /organizations/{id}/annual-reports/new`: the filing form, the year set to
/// the oldest one due and not filed.
pub async fn new_form(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let (org, path) = service::organization(&s.store, id).await?;
    if !service::can_file(&caller, &org, &path) {
        return Err(refuse(&caller).into());
    }
    let reports = s.store.annual_reports_of(org.id).await?;
    let typed = ReportForm {
        year: service::years_to_file(&s.supervision, &org, &reports)
            .first()
            .map(|y| y.to_string()),
        ..Default::default()
    };
    form_page(&s, &ui, &org, &typed, &FieldErrors::new(), StatusCode::OK)
}

/// `POST /organizations/{id}/annual-reports/new` (form): 303 to the report's page, or
/// the form again naming each problem.
pub async fn file(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<ReportForm>,
) -> PageResult {
    let ui = ui
        .with_nav("orgs")
        .at(format!("/organizations/{id}/annual-reports/new"));
    let (org, _) = service::organization(&s.store, id).await?;
    let r = service::file(
        &s,
        &caller,
        org.id,
        &form.draft(),
        FieldErrors::new(),
    )
    .await;
    match r {
        Ok(report) => Ok(see_other(&format!("/annual-reports/{}", report.id))),
        Err(AppError::Validation(e)) => {
            form_page(&s, &ui, &org, &form, &e, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "annual/report.html")]
struct ReportPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    title: String,
    r: ReportLine,
    id: String,
    due_on: String,
    reviewed_on: String,
    reviewed: bool,
    /// Label and value of each part of the report.
    contents: Vec<(&'static str, String)>,
    can_review: bool,
    simplified: bool,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
    banner: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct ReviewForm {
    pub outcome: Option<String>,
    pub reasons: Option<String>,
}

/// What a review form post left to show: the typed values, their errors, a banner.
struct Typed<'a> {
    form: &'a ReviewForm,
    errors: &'a FieldErrors,
    banner: Option<String>,
}

async fn report_view(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: uuid::Uuid,
    typed: Typed<'_>,
    status: StatusCode,
) -> PageResult {
    let (r, org, authority) = service::report(&s.store, id).await?;
    let Typed {
        form: typed,
        errors,
        banner,
    } = typed;
    let lang = ui.lang;
    let c = &r.contents;
    let label = |n: &'static str| -> &'static str { labels::label(lang, SCOPE, n) };
    let contents: Vec<(&'static str, String)> = vec![
        (label("activities"), c.activities.clone()),
        (label("income"), c.income.to_string()),
        (label("expenditure"), c.expenditure.to_string()),
        (label("net_assets"), c.net_assets.to_string()),
        (label("donations"), c.donations.to_string()),
        (label("government_funding"), c.government_funding.to_string()),
        (label("staff_full_time"), c.staff_full_time.to_string()),
        (label("staff_part_time"), c.staff_part_time.to_string()),
        (label("volunteers"), c.volunteers.to_string()),
        (label("party_building"), c.party_building.clone()),
        (label("major_events"), c.major_events.clone()),
    ];
    let chosen = typed.outcome.as_deref().unwrap_or("");
    let outcomes = ReviewOutcome::ALL
        .iter()
        .map(|o| Opt::new(o.as_str(), o.label(lang), o.as_str() == chosen))
        .collect();
    let fields = vec![
        labels::field(ui, SCOPE, "outcome", "radios", errors)
            .required()
            .options(outcomes),
        labels::field(ui, SCOPE, "reasons", "textarea", errors)
            .value(&typed.reasons)
            .hint(ui.t("ann.review.hint"))
            .wide(),
    ];
    let page = ReportPage {
        crumbs: vec![
            Crumb::home(ui),
            Crumb::organizations(ui),
            Crumb::new(org.data.name.clone(), format!("/organizations/{}", org.id)),
        ],
        title: ui.tf("ann.report.title", &[&org.data.name, &r.year.to_string()]),
        r: line(ui, &r, &org.data.name),
        id: r.id.to_string(),
        due_on: view::date(ui.lang, r.due_on),
        reviewed_on: r
            .reviewed_on
            .map(|d| view::date(ui.lang, d))
            .unwrap_or_default(),
        reviewed: r.outcome.is_some(),
        contents,
        can_review: r.outcome.is_none() && service::can_review(caller, &authority),
        simplified: r.review_kind == ReviewKind::Simplified,
        fields,
        summary: labels::summary(ui, SCOPE, errors, &REVIEW_FIELDS),
        banner,
        ui: ui.clone(),
    };
    Ok(render(status, &page))
}

/// `GET /annual-reports/{id}`: the report and its review (public); the review form
/// for the registration authority's official while it is under review.
pub async fn report_page(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let typed = Typed {
        form: &ReviewForm::default(),
        errors: &FieldErrors::new(),
        banner: None,
    };
    report_view(&s, &ui, &caller, id, typed, StatusCode::OK).await
}

/// `POST /annual-reports/{id}/review` (form): 303 back to the report, or its page
/// again naming each problem (409 when it is already reviewed).
pub async fn review(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<ReviewForm>,
) -> PageResult {
    let ui = ui.with_nav("orgs").at(format!("/annual-reports/{id}"));
    let r = service::review(
        &s,
        &caller,
        id,
        form.outcome.as_deref(),
        form.reasons.as_deref(),
        FieldErrors::new(),
    )
    .await;
    match r {
        Ok(_) => Ok(see_other(&format!("/annual-reports/{id}"))),
        Err(AppError::Validation(e)) => {
            let typed = Typed {
                form: &form,
                errors: &e,
                banner: None,
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            report_view(&s, &ui, &caller, id, typed, status).await
        }
        Err(AppError::State(_)) => {
            let typed = Typed {
                form: &form,
                errors: &FieldErrors::new(),
                banner: Some(ui.t("ann.already_reviewed").to_string()),
            };
            report_view(&s, &ui, &caller, id, typed, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}
