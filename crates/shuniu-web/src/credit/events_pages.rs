//! Pages of the registration authority's official: the form that records an event
//! about an organization (penalty, order, finding) and the removal of a listing on
//! application, posted from the organization page's credit section.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use shuniu_domain::FieldErrors;
use shuniu_domain::registry::Organization;
use shuniu_domain::supervision::events::{EVENT_FIELDS, EventCode, EventDraft};

use super::events;
use crate::auth::Caller;
use crate::kit::extract::{CheckedForm, RecordId};
use crate::kit::forms::{Field, SummaryItem};
use crate::kit::labels;
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::view::{Crumb, options};
use crate::{AppError, AppState, PageResult, registry};

pub fn routes() -> Routes {
    Routes::new()
        .get("/organizations/{id}/credit-events/new", new_form)
        .post("/organizations/{id}/credit-events", record)
        .post("/credit-listings/{id}/removal", remove)
}

/// The label scope of the event form (`cev.f.<name>`).
pub(crate) const SCOPE: &str = "cev";

/// The event form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct EventForm {
    pub kind: Option<String>,
    pub occurred_on: Option<String>,
    pub amount: Option<String>,
    pub due_on: Option<String>,
    pub refers_to: Option<String>,
    pub note: Option<String>,
}

impl EventForm {
    fn draft(&self) -> EventDraft {
        EventDraft {
            kind: self.kind.clone(),
            occurred_on: self.occurred_on.clone(),
            amount: self.amount.clone(),
            due_on: self.due_on.clone(),
            refers_to: self.refers_to.clone(),
            note: self.note.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "credit/event_form.html")]
struct FormPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    title: String,
    id: String,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

fn form_page(
    ui: &Ui,
    org: &Organization,
    typed: &EventForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult {
    let lang = ui.lang;
    let fields = vec![
        labels::field(ui, SCOPE, "kind", "select", errors)
            .required()
            .options(options(
                EventCode::ALL,
                EventCode::as_str,
                |c| c.label(lang).into(),
                typed.kind.as_deref().unwrap_or(""),
                Some(ui.t("form.choose")),
            )),
        labels::field(ui, SCOPE, "occurred_on", "input", errors)
            .required()
            .date()
            .value(&typed.occurred_on),
        labels::field(ui, SCOPE, "amount", "input", errors)
            .value(&typed.amount)
            .hint(ui.t("cev.hint.amount")),
        labels::field(ui, SCOPE, "due_on", "input", errors)
            .date()
            .value(&typed.due_on)
            .hint(ui.t("cev.hint.due_on")),
        labels::field(ui, SCOPE, "refers_to", "input", errors)
            .value(&typed.refers_to)
            .hint(ui.t("cev.hint.refers_to")),
        labels::field(ui, SCOPE, "note", "textarea", errors)
            .required()
            .value(&typed.note)
            .hint(ui.t("cev.hint.note"))
            .wide(),
    ];
    let summary = labels::summary(ui, SCOPE, errors, &EVENT_FIELDS);
    let page = FormPage {
        crumbs: vec![
            Crumb::home(ui),
            Crumb::organizations(ui),
            Crumb::new(org.data.name.clone(), format!("/organizations/{}", org.id)),
        ],
        ui: ui.clone(),
        title: ui.tf("cev.form.title", &[&org.data.name]),
        id: org.id.to_string(),
        fields,
        summary,
    };
    Ok(render(status, &page))
}

/// `GET /organizations/{id}/credit-events/new`: the form (the authority's official).
pub async fn new_form(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let org = registry::get(&s.store, id).await?;
    let path = registry::path_of(&s.store, &org).await?;
    if !events::is_authority(&caller, &org, &path) {
        return Err(if caller.user.is_none() {
            AppError::Unauthenticated
        } else {
            AppError::Forbidden
        }
        .into());
    }
    form_page(&ui, &org, &EventForm::default(), &FieldErrors::new(), StatusCode::OK)
}

/// `POST /organizations/{id}/credit-events` (form): 303 to the organization's credit
/// section, or the form again naming each problem.
pub async fn record(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<EventForm>,
) -> PageResult {
    let ui = ui
        .with_nav("orgs")
        .at(format!("/organizations/{id}/credit-events/new"));
    let org = registry::get(&s.store, id).await?;
    match events::record(&s, &caller, org.id, &form.draft(), FieldErrors::new()).await {
        Ok(_) => Ok(see_other(&format!("/organizations/{}#supervision", org.id))),
        Err(AppError::Validation(e)) => {
            form_page(&ui, &org, &form, &e, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

/// The removal form on a listing's row.
#[derive(Debug, Default, Deserialize)]
pub struct RemovalForm {
    pub reason: Option<String>,
}

/// `POST /credit-listings/{id}/removal` (form): back to the organization's credit
/// section; a refusal (not yet due, no reason) comes back there as the error page of
/// the failed post (the guard returns it to the form's page).
pub async fn remove(
    State(s): State<AppState>,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<RemovalForm>,
) -> PageResult {
    let l = events::remove(&s, &caller, id, form.reason.as_deref(), FieldErrors::new()).await?;
    Ok(see_other(&format!(
        "/organizations/{}#supervision",
        l.organization_id
    )))
}
