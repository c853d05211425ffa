//! An application's page (public: the result is published) and, for the round's
//! registration authority official, the decision forms its stage allows: refuse or
//! score an application; start the public notice 公示, score again or close a scored
//! one without a grade; award after the notice.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use shuniu_domain::FieldErrors;
use shuniu_domain::supervision::assessment::ApplicationStage;
use uuid::Uuid;

use crate::assessment::pages::{ApplicationLine, SCOPE, application_line};
use crate::assessment::service::{self, DecisionInput};
use crate::auth::Caller;
use crate::kit::extract::{CheckedForm, RecordId};
use crate::kit::forms::{Field, SummaryItem};
use crate::kit::labels;
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::view::Crumb;
use crate::{AppError, AppState, PageResult, today};

pub fn routes() -> Routes {
    Routes::new()
        .get("/assessment-applications/{id}", application_page)
        .post("/assessment-applications/{id}/decision", decide)
}

/// The decision form's named fields (area scores are named by the table's codes).
pub(crate) const DECISION_FIELDS: [&str; 6] = [
    "action",
    "reason",
    "bonus",
    "starts_on",
    "awarded_on",
    "document",
];

/// One area of the indicator table: its line in the scores and its input.
pub struct AreaLine {
    pub code: String,
    pub label: String,
    pub points: u32,
    pub score: String,
    pub error: Option<String>,
}

/// A decision form the stage allows: its action, title, fields, and (for scoring)
/// the areas.
pub struct DecisionForm {
    pub action: &'static str,
    pub title: &'static str,
    pub hint: String,
    pub fields: Vec<Field>,
    pub areas: Vec<AreaLine>,
    pub secondary: bool,
}

#[derive(Template)]
#[template(path = "assessment/application.html")]
struct ApplicationPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    title: String,
    id: String,
    a: ApplicationLine,
    round_title: String,
    round_href: String,
    reason: String,
    scores: Vec<AreaLine>,
    bonus: String,
    forms: Vec<DecisionForm>,
    summary: Vec<SummaryItem>,
    banner: Option<String>,
}

/// What a decision post left to show: the form it came from, as typed, its errors.
struct Typed<'a> {
    action: &'a str,
    values: &'a BTreeMap<String, String>,
    errors: &'a FieldErrors,
    banner: Option<String>,
}

/// Which forms the stage allows, in the order they are offered.
fn actions(stage: ApplicationStage, graded: bool) -> &'static [&'static str] {
    match stage {
        ApplicationStage::Applied => &["score", "refuse"],
        ApplicationStage::Scored if graded => &["notice", "score"],
        ApplicationStage::Scored => &["close", "score"],
        ApplicationStage::Notice => &["award", "score"],
        _ => &[],
    }
}

async fn view(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: Uuid,
    typed: Typed<'_>,
    status: StatusCode,
) -> PageResult {
    let app = s
        .store
        .assessment_application(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let round = s
        .store
        .assessment_round(app.round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = s
        .store
        .organization(app.organization_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let lang = ui.lang;
    // The table that scores in this round (the locality's, else the built-in one).
    let table = s
        .assessment_tables
        .table_for(&round.authority_code, app.table_kind)
        .table;
    let area_label = |code: &str| {
        table
            .areas
            .iter()
            .find(|a| a.code == code)
            .map(|a| lang.pick(&a.zh, &a.en).to_string())
            .unwrap_or_else(|| code.to_string())
    };
    // In the table's order; a code the table no longer has (it changed since) after.
    let scores: Vec<AreaLine> = app
        .scores
        .as_ref()
        .map(|sc| {
            let known = table.areas.iter().filter_map(|a| {
                sc.get(&a.code).map(|v| AreaLine {
                    code: a.code.clone(),
                    label: lang.pick(&a.zh, &a.en).to_string(),
                    points: a.points,
                    score: v.to_string(),
                    error: None,
                })
            });
            let other = sc
                .iter()
                .filter(|(code, _)| !table.areas.iter().any(|a| &&a.code == code))
                .map(|(code, v)| AreaLine {
                    code: code.clone(),
                    label: code.clone(),
                    points: 0,
                    score: v.to_string(),
                    error: None,
                });
            known.chain(other).collect()
        })
        .unwrap_or_default();
    let Typed {
        action: failed,
        values,
        errors,
        banner,
    } = typed;
    let none = FieldErrors::new();
    let mut forms = vec![];
    if service::decides(caller, &round) {
        for &action in actions(app.stage, app.grade.is_some()) {
            let (errs, typed) = if action == failed {
                (errors, values)
            } else {
                (&none, &BTreeMap::new())
            };
            let value = |n: &str| typed.get(n).cloned();
            let f = |name: &'static str, kind: &'static str| {
                labels::field(ui, SCOPE, name, kind, errs).value(&value(name))
            };
            // The dates default to today: decisions are recorded as they are taken.
            let dated = |name: &'static str| {
                let v = Some(value(name).unwrap_or_else(|| today().to_string()));
                labels::field(ui, SCOPE, name, "input", errs)
                    .value(&v)
                    .required()
                    .date()
            };
            let form = match action {
                "refuse" => DecisionForm {
                    action,
                    title: ui.t("asm.do.refuse"),
                    hint: String::new(),
                    fields: vec![f("reason", "textarea").required().wide()],
                    areas: vec![],
                    secondary: true,
                },
                "score" => DecisionForm {
                    action,
                    title: ui.t(if app.stage == ApplicationStage::Applied {
                        "asm.do.score"
                    } else {
                        "asm.do.rescore"
                    }),
                    hint: ui.tf(
                        "asm.score.hint",
                        &[&table.max_bonus.to_string(), &table.max_total.to_string()],
                    ),
                    fields: vec![f("bonus", "input").numeric()],
                    areas: table
                        .areas
                        .iter()
                        .map(|a| AreaLine {
                            code: a.code.clone(),
                            label: ui.tf(
                                "asm.area_max",
                                &[lang.pick(&a.zh, &a.en), &a.points.to_string()],
                            ),
                            points: a.points,
                            score: value(&a.code).unwrap_or_default(),
                            error: errs.get(&a.code).map(|e| e.message(lang).to_string()),
                        })
                        .collect(),
                    secondary: app.stage != ApplicationStage::Applied,
                },
                "notice" => DecisionForm {
                    action,
                    title: ui.t("asm.do.notice"),
                    hint: String::new(),
                    fields: vec![dated("starts_on")],
                    areas: vec![],
                    secondary: false,
                },
                "close" => DecisionForm {
                    action,
                    title: ui.t("asm.do.close"),
                    hint: ui.t("asm.do.close_hint").to_string(),
                    fields: vec![],
                    areas: vec![],
                    secondary: false,
                },
                _ => DecisionForm {
                    action,
                    title: ui.t("asm.do.award"),
                    hint: String::new(),
                    fields: vec![
                        dated("awarded_on"),
                        f("document", "input").required(),
                    ],
                    areas: vec![],
                    secondary: false,
                },
            };
            forms.push(form);
        }
    }
    let mut summary = crate::kit::forms::summary(ui, errors, &DECISION_FIELDS);
    for i in &mut summary {
        i.label = if table.areas.iter().any(|a| a.code == i.name) {
            area_label(&i.name)
        } else {
            labels::label(lang, SCOPE, &i.name).to_string()
        };
    }
    let page = ApplicationPage {
        crumbs: vec![
            Crumb::home(ui),
            Crumb::new(ui.t("asm.rounds.title"), "/assessment-rounds"),
            Crumb::new(round.title.clone(), format!("/assessment-rounds/{}", round.id)),
        ],
        title: ui.tf("asm.app.title", &[&org.data.name, &round.title]),
        id: app.id.to_string(),
        a: application_line(ui, &app, &org.data.name, round.notice_days),
        round_title: round.title.clone(),
        round_href: format!("/assessment-rounds/{}", round.id),
        reason: app.reason.clone().unwrap_or_default(),
        scores,
        bonus: app
            .scores
            .as_ref()
            .zip(app.total)
            .map(|(sc, total)| {
                let sum: u32 = sc.values().sum();
                total.saturating_sub(sum.min(table.max_total)).to_string()
            })
            .unwrap_or_default(),
        forms,
        summary,
        banner,
        ui: ui.clone(),
    };
    Ok(render(status, &page))
}

/// `GET /assessment-applications/{id}`: the application and its result (public); the
/// decision forms for the round's authority official.
pub async fn application_page(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("assessment");
    let typed = Typed {
        action: "",
        values: &BTreeMap::new(),
        errors: &FieldErrors::new(),
        banner: None,
    };
    view(&s, &ui, &caller, id, typed, StatusCode::OK).await
}

/// The decision form as posted: its named fields, and the area scores (every other
/// name) — the same shape as the API's body.
fn decision_input(form: &BTreeMap<String, String>) -> DecisionInput {
    let get = |k: &str| form.get(k).cloned();
    DecisionInput {
        action: get("action"),
        reason: get("reason"),
        bonus: get("bonus"),
        starts_on: get("starts_on"),
        awarded_on: get("awarded_on"),
        document: get("document"),
        scores: form
            .iter()
            .filter(|(k, _)| {
                k.as_str() != crate::auth::CSRF_FIELD && !DECISION_FIELDS.contains(&k.as_str())
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    }
}

/// `POST /assessment-applications/{id}/decision` (form): 303 back to the application,
/// or its page again naming each problem (409 when it moved on meanwhile).
pub async fn decide(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<BTreeMap<String, String>>,
) -> PageResult {
    let ui = ui
        .with_nav("assessment")
        .at(format!("/assessment-applications/{id}"));
    let input = decision_input(&form);
    let action = input.action.clone().unwrap_or_default();
    let tables = &s.assessment_tables;
    match service::decide(&s, tables, &caller, id, &input, FieldErrors::new()).await {
        Ok(_) => Ok(see_other(&format!("/assessment-applications/{id}"))),
        Err(AppError::Validation(e)) => {
            let typed = Typed {
                action: &action,
                values: &form,
                errors: &e,
                banner: None,
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            view(&s, &ui, &caller, id, typed, status).await
        }
        Err(AppError::State(_)) => {
            let typed = Typed {
                action: "",
                values: &BTreeMap::new(),
                errors: &FieldErrors::new(),
                banner: Some(ui.t("asm.app.moved").to_string()),
            };
            view(&s, &ui, &caller, id, typed, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}
