//! The "Assessment grade" section of an organization's page: the grade in force and
//! its history with each award's source (public), the organization's applications,
//! the rounds it may apply to now (its own staff or an official over it), and for
//! the registration authority's official the link to lower or withdraw the grade —
//! whose form is here too.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use shuniu_domain::FieldErrors;
use shuniu_domain::registry::Organization;
use shuniu_domain::supervision::assessment::{GradeAward, GradeSource};
use shuniu_domain::supervision::changes::may_submit;
use shuniu_domain::supervision::registration::authority_path;
use shuniu_store::supervision::grades::StoredAward;

use crate::assessment::pages::{ApplicationLine, SCOPE, application_line};
use crate::assessment::service;
use crate::auth::Caller;
use crate::kit::capability::SectionFuture;
use crate::kit::extract::{CheckedForm, RecordId};
use crate::kit::forms::{Field, SummaryItem};
use crate::kit::labels;
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::view::{Crumb, Opt, date};
use crate::{AppError, AppState, PageResult, today};

pub fn routes() -> Routes {
    Routes::new()
        .get("/organizations/{id}/grade-changes/new", change_form)
        .post("/organizations/{id}/grade-changes/new", change)
}

/// The grade-change form's fields.
pub(crate) const CHANGE_FIELDS: [&str; 2] = ["to", "reason"];

/// A grade award's line.
pub struct GradeRow {
    pub grade: &'static str,
    pub awarded_on: String,
    pub expires_on: String,
    pub source: &'static str,
    pub ended_on: Option<String>,
    /// `in_force`, `expired` or `ended`.
    pub state: &'static str,
}

fn grade_row(ui: &Ui, a: &GradeAward, in_force: bool) -> GradeRow {
    GradeRow {
        grade: a.grade.label(ui.lang),
        awarded_on: date(ui.lang, a.awarded_on),
        expires_on: date(ui.lang, a.expires_on),
        source: a.source.label(ui.lang),
        ended_on: a.ended_on.map(|d| date(ui.lang, d)),
        state: if in_force {
            "in_force"
        } else if a.ended_on.is_some() {
            "ended"
        } else {
            "expired"
        },
    }
}

/// An application with its round, for the section.
pub struct OrgApplicationLine {
    pub round: String,
    pub line: ApplicationLine,
}

#[derive(Template)]
#[template(path = "assessment/org_section.html")]
struct SectionPage<'a> {
    ui: &'a Ui,
    id: String,
    /// The grade in force, the day it was awarded and the day it expires.
    current: Option<(&'static str, String, String)>,
    grades: Vec<GradeRow>,
    applications: Vec<OrgApplicationLine>,
    /// Rounds open now that the caller may apply to for this organization: (id, title).
    rounds: Vec<(String, String)>,
    changes: bool,
}

/// The awards newest first, each with whether it is the one in force today.
fn awards_with_force(awards: &[StoredAward]) -> (Vec<(GradeAward, bool)>, Option<GradeAward>) {
    let plain: Vec<GradeAward> = awards.iter().map(|a| a.award.clone()).collect();
    let current =
        shuniu_domain::supervision::assessment::effective_grade(&plain, today()).cloned();
    let mut rows: Vec<(GradeAward, bool)> = plain
        .into_iter()
        .map(|a| {
            let f = current.as_ref() == Some(&a);
            (a, f)
        })
        .collect();
    rows.reverse();
    (rows, current)
}

/// The section (`Capability::org_sections`).
pub fn org_section<'a>(
    s: &'a AppState,
    ui: &'a Ui,
    caller: &'a Caller,
    org: &'a Organization,
    org_path: &'a str,
) -> SectionFuture<'a> {
    Box::pin(async move {
        let awards = s.store.grade_awards(org.id).await?;
        let (rows, mut current) = awards_with_force(&awards);
        // A grade recorded before award rows existed lives only in the record's columns.
        if awards.is_empty()
            && let (Some(g), Some(on)) = (org.data.grade, org.data.grade_awarded_on)
        {
            let a = GradeAward::new(g, on, GradeSource::Import);
            current = a.in_force_on(today()).then_some(a);
        }
        let apps = s.store.applications_of(org.id).await?;
        let auth = authority_path(org.data.legal_form, org_path);
        let rounds = if may_submit(caller.actor().as_ref(), org.id, org_path).is_allowed() {
            s.store
                .open_rounds_of(&auth, today())
                .await?
                .into_iter()
                .filter(|r| !apps.iter().any(|a| a.application.round_id == r.id))
                .map(|r| (r.id.to_string(), r.title))
                .collect()
        } else {
            vec![]
        };
        SectionPage {
            ui,
            id: org.id.to_string(),
            current: current
                .as_ref()
                .map(|c| {
                    let (on, until) = (date(ui.lang, c.awarded_on), date(ui.lang, c.expires_on));
                    (c.grade.label(ui.lang), on, until)
                }),
            grades: rows.iter().map(|(a, f)| grade_row(ui, a, *f)).collect(),
            applications: apps
                .iter()
                .map(|a| OrgApplicationLine {
                    round: a.round_title.clone(),
                    line: application_line(
                        ui,
                        &a.application,
                        &org.data.name,
                        a.round_notice_days,
                    ),
                })
                .collect(),
            rounds,
            changes: current.is_some() && service::changes_grades(caller, &auth),
        }
        .render()
        .map_err(|e| AppError::Internal(format!("template failed to render: {e}")))
    })
}

#[derive(Template)]
#[template(path = "assessment/change_form.html")]
struct ChangePage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    title: String,
    id: String,
    current: String,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

/// The grade-change form as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ChangeForm {
    pub to: Option<String>,
    pub reason: Option<String>,
}

async fn change_view(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: uuid::Uuid,
    typed: &ChangeForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult {
    let (org, auth) = service::organization(&s.store, id).await?;
    if !service::changes_grades(caller, &auth) {
        return Err(if caller.user.is_none() {
            AppError::Unauthenticated
        } else {
            AppError::Forbidden
        }
        .into());
    }
    let awards = s.store.grade_awards(org.id).await?;
    let (_, current) = awards_with_force(&awards);
    let chosen = typed.to.as_deref().unwrap_or("");
    let mut options = vec![Opt::new("", ui.t("asm.change.withdraw"), chosen.is_empty())];
    let mut fields = vec![];
    // Nothing in force: nothing to lower or withdraw, and the page says so instead of
    // offering the form (a grade may have expired since the link was followed).
    let current = match &current {
        Some(c) => {
            for g in service::grades_below(c.grade) {
                options.push(Opt::new(g.as_str(), g.label(ui.lang), g.as_str() == chosen));
            }
            fields = vec![
                labels::field(ui, SCOPE, "to", "select", errors).options(options),
                labels::field(ui, SCOPE, "reason", "textarea", errors)
                    .value(&typed.reason)
                    .required()
                    .wide(),
            ];
            ui.tf(
                "asm.change.current",
                &[
                    &org.data.name,
                    c.grade.label(ui.lang),
                    &date(ui.lang, c.expires_on),
                ],
            )
        }
        None => ui.tf("asm.change.no_grade", &[&org.data.name]),
    };
    let page = ChangePage {
        crumbs: vec![
            Crumb::home(ui),
            Crumb::organizations(ui),
            Crumb::new(org.data.name.clone(), format!("/organizations/{}", org.id)),
        ],
        title: ui.t("asm.change.title").to_string(),
        id: org.id.to_string(),
        current,
        fields,
        summary: labels::summary(ui, SCOPE, errors, &CHANGE_FIELDS),
        ui: ui.clone(),
    };
    Ok(render(status, &page))
}

/// `GET /organizations/{id}/grade-changes/new`: the registration authority's official
/// only; without a grade in force the page says so and offers no form.
pub async fn change_form(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let typed = ChangeForm::default();
    change_view(&s, &ui, &caller, id, &typed, &FieldErrors::new(), StatusCode::OK).await
}

/// `POST /organizations/{id}/grade-changes/new` (form): 303 to the organization's
/// grade section, or the form again naming each problem.
pub async fn change(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<ChangeForm>,
) -> PageResult {
    let ui = ui
        .with_nav("orgs")
        .at(format!("/organizations/{id}/grade-changes/new"));
    let r = service::change_grade(
        &s,
        &caller,
        id,
        form.to.as_deref(),
        form.reason.as_deref(),
    )
    .await;
    match r {
        Ok(_) => Ok(see_other(&format!("/organizations/{id}#assessment"))),
        Err(AppError::Validation(e)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            change_view(&s, &ui, &caller, id, &form, &e, status).await
        }
        Err(e) => Err(e.into()),
    }
}
