//! Assessment pages 评估: the public list of rounds, the form an authority's official
//! opens a round with, and a round's page (its applications and results — the notice
//! 公示 is public — with the apply button for an organization's own staff).
//! An application's page and the authority's decisions are in
//! [`super::decision_page`]; the organization page's grade section in
//! [`super::org_section`].

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::Deserialize;
use shuniu_domain::FieldErrors;
use shuniu_store::supervision::assessment::{AssessmentApplication, AssessmentRound};
use uuid::Uuid;

use crate::assessment::service::{self, RoundInput, RoundsQuery};
use crate::auth::Caller;
use crate::kit::extract::{ApiQuery, CheckedForm, RecordId};
use crate::kit::forms::{Field, SummaryItem};
use crate::kit::labels;
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::view::{Crumb, date};
use crate::{AppError, AppState, PageResult, today};

pub fn routes() -> Routes {
    Routes::new()
        .get("/assessment-rounds", rounds_page)
        .get("/assessment-rounds/new", new_form)
        .post("/assessment-rounds/new", open)
        .get("/assessment-rounds/{id}", round_page)
        .post("/assessment-rounds/{id}/apply", apply)
        .merge(super::decision_page::routes())
        .merge(super::org_section::routes())
}

/// The label scope of the assessment forms (`asm.f.<name>`).
pub(crate) const SCOPE: &str = "asm";

/// The round form's fields, in order (those of [`RoundInput`]).
pub(crate) const ROUND_FIELDS: [&str; 5] =
    ["year", "title", "opens_on", "closes_on", "notice_days"];

/// A round as a line of a table or the facts of its page.
pub struct RoundLine {
    pub href: String,
    pub year: i64,
    pub title: String,
    pub authority: String,
    pub period: String,
    pub notice_days: i64,
    pub state: &'static str,
    /// `upcoming`, `open` or `closed` (its CSS class).
    pub state_class: &'static str,
}

fn state_of(r: &AssessmentRound, on: NaiveDate) -> &'static str {
    if on < r.opens_on {
        "upcoming"
    } else if on <= r.closes_on {
        "open"
    } else {
        "closed"
    }
}

/// The authority's name from a round's path (its last node; the path names it).
async fn authority_names(
    s: &AppState,
    ui: &Ui,
    rounds: &[AssessmentRound],
) -> Result<Vec<String>, AppError> {
    let mut codes: Vec<&str> = rounds.iter().map(|r| r.authority_code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    // A page names a handful of authorities: one lookup each, not one per round.
    let mut names = std::collections::HashMap::new();
    for c in codes {
        if let Some(j) = s.store.jurisdiction(c).await? {
            names.insert(c.to_string(), j.name(ui.lang).to_string());
        }
    }
    Ok(rounds
        .iter()
        .map(|r| {
            names
                .get(&r.authority_code)
                .cloned()
                .unwrap_or_else(|| r.authority_code.clone())
        })
        .collect())
}

fn round_line(ui: &Ui, r: &AssessmentRound, authority: String) -> RoundLine {
    let state_class = state_of(r, today());
    RoundLine {
        href: format!("/assessment-rounds/{}", r.id),
        year: r.year,
        title: r.title.clone(),
        authority,
        period: ui.tf(
            "asm.period",
            &[&date(ui.lang, r.opens_on), &date(ui.lang, r.closes_on)],
        ),
        notice_days: r.notice_days,
        state: ui.t(match state_class {
            "upcoming" => "asm.state.upcoming",
            "open" => "asm.state.open",
            _ => "asm.state.closed",
        }),
        state_class,
    }
}

#[derive(Template)]
#[template(path = "assessment/rounds.html")]
struct RoundsPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    rows: Vec<RoundLine>,
    summary: String,
    errors: Vec<String>,
    can_open: bool,
    prev: Option<String>,
    next: Option<String>,
}

/// `GET /assessment-rounds?cursor=`: every round, newest year first (public).
pub async fn rounds_page(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    ApiQuery(q): ApiQuery<RoundsQuery>,
) -> PageResult {
    let ui = ui.with_nav("assessment");
    let mut page = RoundsPage {
        crumbs: vec![Crumb::home(&ui)],
        rows: vec![],
        summary: String::new(),
        errors: vec![],
        can_open: service::opens_rounds(&caller),
        prev: None,
        next: None,
        ui: ui.clone(),
    };
    match service::rounds(&s.store, &q).await {
        Ok((p, _)) => {
            let names = authority_names(&s, &ui, &p.items).await?;
            page.rows = p
                .items
                .iter()
                .zip(names)
                .map(|(r, n)| round_line(&ui, r, n))
                .collect();
            if p.total.count() > 0 {
                page.summary = ui.tf(
                    "asm.rounds.summary",
                    &[&crate::kit::paging::total_text(&ui, p.total)],
                );
            }
            let filters = crate::kit::export::filter_query(&[("per_page", &q.per_page)]);
            (page.prev, page.next) =
                crate::kit::paging::links("/assessment-rounds", &filters, &p);
            Ok(render(StatusCode::OK, &page))
        }
        Err(AppError::Validation(f)) => {
            page.errors = labels::error_lines(&ui, SCOPE, &f);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "assessment/round_form.html")]
struct RoundFormPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    intro: String,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

/// The round form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct RoundForm {
    pub year: Option<String>,
    pub title: Option<String>,
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
    pub notice_days: Option<String>,
}

impl RoundForm {
    fn input(&self) -> RoundInput {
        RoundInput {
            year: self.year.clone(),
            title: self.title.clone(),
            opens_on: self.opens_on.clone(),
            closes_on: self.closes_on.clone(),
            notice_days: self.notice_days.clone(),
        }
    }
}

/// Whoever may not open a round: sign in, or 403.
fn refuse(caller: &Caller) -> AppError {
    if caller.user.is_none() {
        AppError::Unauthenticated
    } else {
        AppError::Forbidden
    }
}

async fn round_form(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    typed: &RoundForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult {
    let code = caller
        .user
        .as_ref()
        .and_then(|u| u.jurisdiction_code.clone())
        .unwrap_or_default();
    let node = s
        .store
        .jurisdiction(&code)
        .await?
        .map(|j| j.name(ui.lang).to_string())
        .unwrap_or(code);
    let f = |name: &'static str| labels::field(ui, SCOPE, name, "input", errors);
    let date = |name: &'static str| {
        let mut d = f(name).value(typed_value(typed, name)).required().date();
        // Rounds are planned ahead: the date picker is not capped at today.
        d.max = String::new();
        d
    };
    let fields = vec![
        f("year").value(&typed.year).numeric().required(),
        f("title").value(&typed.title).required().wide(),
        date("opens_on"),
        date("closes_on"),
        f("notice_days")
            .value(&typed.notice_days)
            .numeric()
            .hint(ui.t("asm.hint.notice_days")),
    ];
    let page = RoundFormPage {
        crumbs: vec![
            Crumb::home(ui),
            Crumb::new(ui.t("asm.rounds.title"), "/assessment-rounds"),
        ],
        intro: ui.tf("asm.new.intro", &[&node]),
        fields,
        summary: labels::summary(ui, SCOPE, errors, &ROUND_FIELDS),
        ui: ui.clone(),
    };
    Ok(render(status, &page))
}

fn typed_value<'a>(typed: &'a RoundForm, name: &str) -> &'a Option<String> {
    match name {
        "opens_on" => &typed.opens_on,
        _ => &typed.closes_on,
    }
}

/// `GET /assessment-rounds/new`: the form, for an official of a node (the authority).
pub async fn new_form(State(s): State<AppState>, ui: Ui, caller: Caller) -> PageResult {
    let ui = ui.with_nav("assessment");
    if !service::opens_rounds(&caller) {
        return Err(refuse(&caller).into());
    }
    let year = chrono::Datelike::year(&today());
    let typed = RoundForm {
        year: Some(year.to_string()),
        notice_days: Some("7".into()),
        ..Default::default()
    };
    round_form(&s, &ui, &caller, &typed, &FieldErrors::new(), StatusCode::OK).await
}

/// `POST /assessment-rounds/new` (form): 303 to the round, or the form again naming
/// each problem.
pub async fn open(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    CheckedForm(form): CheckedForm<RoundForm>,
) -> PageResult {
    let ui = ui.with_nav("assessment").at("/assessment-rounds/new");
    match service::open_round(&s.store, &caller, &form.input(), FieldErrors::new()).await {
        Ok(r) => Ok(see_other(&format!("/assessment-rounds/{}", r.id))),
        Err(AppError::Validation(e)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            round_form(&s, &ui, &caller, &form, &e, status).await
        }
        Err(e) => Err(e.into()),
    }
}

/// An application as a line of the round's table.
pub struct ApplicationLine {
    pub href: String,
    pub organization: String,
    pub org_href: String,
    pub table: &'static str,
    pub stage: &'static str,
    pub stage_class: &'static str,
    pub applied_on: String,
    pub total: String,
    pub grade: String,
    pub notice: String,
}

pub(crate) fn application_line(
    ui: &Ui,
    a: &AssessmentApplication,
    organization: &str,
    notice_days: i64,
) -> ApplicationLine {
    use shuniu_domain::supervision::assessment::notice_ends_on;
    ApplicationLine {
        href: format!("/assessment-applications/{}", a.id),
        organization: organization.to_string(),
        org_href: format!("/organizations/{}", a.organization_id),
        table: a.table_kind.label(ui.lang),
        stage: a.stage.label(ui.lang),
        stage_class: a.stage.as_str(),
        applied_on: date(ui.lang, a.applied_on),
        total: a.total.map(|t| t.to_string()).unwrap_or_default(),
        grade: match (a.grade, a.total) {
            (Some(g), _) => g.label(ui.lang).to_string(),
            (None, Some(_)) => ui.t("asm.no_grade").to_string(),
            (None, None) => String::new(),
        },
        notice: a
            .notice_starts_on
            .map(|d| {
                let end = notice_ends_on(d, notice_days.clamp(1, 60) as u32);
                ui.tf("asm.period", &[&date(ui.lang, d), &date(ui.lang, end)])
            })
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "assessment/round.html")]
struct RoundPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    r: RoundLine,
    id: String,
    rows: Vec<ApplicationLine>,
    /// The caller's own organization, when it may apply here: (id, name).
    apply_as: Option<(String, String)>,
    /// The caller's own organization has applied: its line's text.
    applied: Option<String>,
    /// Why an application was not accepted (lines `label: message`).
    errors: Vec<String>,
}

async fn round_view(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: Uuid,
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let (round, apps) = service::round(&s.store, id).await?;
    let authority = authority_names(s, ui, std::slice::from_ref(&round))
        .await?
        .pop()
        .unwrap_or_default();
    let own = caller.user.as_ref().and_then(|u| u.organization_id);
    let mut apply_as = None;
    let mut applied = None;
    if let Some(org_id) = own {
        if let Some(a) = apps.iter().find(|a| a.application.organization_id == org_id) {
            applied = Some(ui.tf("asm.round.applied", &[&a.organization_name]));
        } else if state_of(&round, today()) == "open"
            && let Some(org) = s.store.organization(org_id).await?
        {
            apply_as = Some((org.id.to_string(), org.data.name));
        }
    }
    let page = RoundPage {
        crumbs: vec![
            Crumb::home(ui),
            Crumb::new(ui.t("asm.rounds.title"), "/assessment-rounds"),
        ],
        rows: apps
            .iter()
            .map(|a| application_line(ui, &a.application, &a.organization_name, round.notice_days))
            .collect(),
        r: round_line(ui, &round, authority),
        id: round.id.to_string(),
        apply_as,
        applied,
        errors,
        ui: ui.clone(),
    };
    Ok(render(status, &page))
}

/// `GET /assessment-rounds/{id}`: the round and its applications (public).
pub async fn round_page(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("assessment");
    round_view(&s, &ui, &caller, id, vec![], StatusCode::OK).await
}

/// The apply form: the organization (its own staff's, or one an official chose on the
/// organization's page) and, optionally, another indicator table.
#[derive(Debug, Default, Deserialize)]
pub struct ApplyForm {
    pub organization: Option<String>,
    pub table: Option<String>,
}

/// `POST /assessment-rounds/{id}/apply` (form): 303 to the application, or the round's
/// page naming why it was not accepted (the eligibility rule that failed, in words).
pub async fn apply(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<ApplyForm>,
) -> PageResult {
    let ui = ui
        .with_nav("assessment")
        .at(format!("/assessment-rounds/{id}"));
    let org = form.organization.as_deref();
    match service::apply(&s.store, &caller, id, org, form.table.as_deref()).await {
        Ok(app) => Ok(see_other(&format!("/assessment-applications/{}", app.id))),
        Err(AppError::Validation(e)) => {
            let lines = labels::error_lines(&ui, SCOPE, &e);
            round_view(&s, &ui, &caller, id, lines, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::State(_)) | Err(AppError::Conflict { .. }) => {
            let lines = vec![ui.t("asm.round.already").to_string()];
            round_view(&s, &ui, &caller, id, lines, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}
