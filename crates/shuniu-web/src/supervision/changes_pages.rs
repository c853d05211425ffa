//! Change registration pages 变更登记: the section of an organization's page (its
//! applications, and the link to apply), the application form, and an official's
//! queue with the approve / return forms.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use shuniu_domain::FieldErrors;
use shuniu_domain::registry::{LegalForm, Organization};
use shuniu_domain::supervision::changes::{
    ChangeDraft, ChangeStatus, RegisteredField, RegistrationExtras, current_value,
};
use shuniu_store::supervision::ChangeApplication;

use crate::auth::Caller;
use crate::kit::extract::{CheckedForm, RecordId};
use crate::kit::forms::{Field, SummaryItem};
use crate::kit::labels;
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::view::{self, Crumb, options};
use crate::supervision::service;
use crate::{AppError, AppState, PageResult};

pub fn routes() -> Routes {
    Routes::new()
        .get("/organizations/{id}/change-applications/new", new_form)
        .post("/organizations/{id}/change-applications", submit)
        .get("/change-applications", queue_page)
        .post("/change-applications/{id}/decision", decide)
}

/// The label scope of the application form (`chg.f.<name>`).
pub(crate) const SCOPE: &str = "chg";

/// The application form's fields, in order: every registered fact, then the
/// attachments' descriptions and a note.
pub(crate) const FORM_FIELDS: [&str; 13] = [
    "name",
    "legal_form",
    "legal_representative",
    "address",
    "business_scope",
    "competent_unit",
    "registered_capital",
    "founded_on",
    "jurisdiction",
    "uscc",
    "filing_number",
    "attachments",
    "note",
];

/// The decision form's fields.
#[cfg(test)]
pub(crate) const DECISION_FIELDS: [&str; 2] = ["action", "reason"];

/// The application form as typed: each registered fact's new value (left as it is:
/// not changed), the attachments one per line, a note.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ChangeForm {
    pub name: Option<String>,
    pub legal_form: Option<String>,
    pub legal_representative: Option<String>,
    pub address: Option<String>,
    pub business_scope: Option<String>,
    pub competent_unit: Option<String>,
    pub registered_capital: Option<String>,
    pub founded_on: Option<String>,
    pub jurisdiction: Option<String>,
    pub uscc: Option<String>,
    pub filing_number: Option<String>,
    pub attachments: Option<String>,
    pub note: Option<String>,
}

impl ChangeForm {
    fn value(&self, f: RegisteredField) -> &Option<String> {
        match f {
            RegisteredField::Name => &self.name,
            RegisteredField::LegalForm => &self.legal_form,
            RegisteredField::LegalRepresentative => &self.legal_representative,
            RegisteredField::Address => &self.address,
            RegisteredField::BusinessScope => &self.business_scope,
            RegisteredField::CompetentUnit => &self.competent_unit,
            RegisteredField::RegisteredCapital => &self.registered_capital,
            RegisteredField::FoundedOn => &self.founded_on,
            RegisteredField::Jurisdiction => &self.jurisdiction,
            RegisteredField::Uscc => &self.uscc,
            RegisteredField::FilingNumber => &self.filing_number,
        }
    }

    /// The form as the record stands (money in yuan).
    fn current(org: &Organization, extras: &RegistrationExtras) -> Self {
        let mut f = ChangeForm::default();
        for field in RegisteredField::ALL.iter().copied() {
            let v = shown_value(field, &current_value(&org.data, extras, field));
            *f.slot(field) = Some(v);
        }
        f
    }

    fn slot(&mut self, f: RegisteredField) -> &mut Option<String> {
        match f {
            RegisteredField::Name => &mut self.name,
            RegisteredField::LegalForm => &mut self.legal_form,
            RegisteredField::LegalRepresentative => &mut self.legal_representative,
            RegisteredField::Address => &mut self.address,
            RegisteredField::BusinessScope => &mut self.business_scope,
            RegisteredField::CompetentUnit => &mut self.competent_unit,
            RegisteredField::RegisteredCapital => &mut self.registered_capital,
            RegisteredField::FoundedOn => &mut self.founded_on,
            RegisteredField::Jurisdiction => &mut self.jurisdiction,
            RegisteredField::Uscc => &mut self.uscc,
            RegisteredField::FilingNumber => &mut self.filing_number,
        }
    }

    /// The application: the facts whose typed value differs from the record's.
    fn draft(&self, org: &Organization, extras: &RegistrationExtras) -> ChangeDraft {
        let mut d = ChangeDraft::default();
        for field in RegisteredField::ALL.iter().copied() {
            let now = shown_value(field, &current_value(&org.data, extras, field));
            let typed = self.value(field).as_deref().unwrap_or("").trim();
            if typed != now.trim() {
                d.changes
                    .insert(field.as_str().to_string(), typed.to_string());
            }
        }
        d.attachments = self
            .attachments
            .as_deref()
            .unwrap_or("")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        d.note = self.note.clone();
        d
    }
}

/// A stored value as people read and type it (registered capital in yuan).
fn shown_value(f: RegisteredField, v: &str) -> String {
    if f == RegisteredField::RegisteredCapital
        && let Ok(fen) = v.parse::<i64>()
    {
        return format!("{}.{:02}", fen / 100, fen % 100);
    }
    v.to_string()
}

/// One application as a row of a table.
pub struct AppRow {
    pub id: String,
    pub org_href: String,
    pub org_name: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub changes: Vec<(&'static str, String, String)>,
    pub attachments: String,
    pub submitted: String,
    pub decided: String,
    pub reason: String,
    pub open: bool,
}

fn row(ui: &Ui, a: &ChangeApplication, org_name: &str) -> AppRow {
    AppRow {
        id: a.id.to_string(),
        org_href: format!("/organizations/{}", a.organization_id),
        org_name: org_name.to_string(),
        status: a.status.label(ui.lang),
        status_code: a.status.as_str(),
        changes: a
            .changes
            .iter()
            .map(|c| {
                (
                    c.field.label(ui.lang),
                    shown_value(c.field, &c.from),
                    shown_value(c.field, &c.to),
                )
            })
            .collect(),
        attachments: a.attachments.join(ui.t("chg.list_sep")),
        submitted: crate::local_time(a.submitted_at),
        decided: a
            .decided_on
            .map(|d| view::date(ui.lang, d))
            .unwrap_or_default(),
        reason: a.decision_reason.clone().unwrap_or_default(),
        open: a.status == ChangeStatus::Submitted,
    }
}

#[derive(Template)]
#[template(path = "supervision/org_section.html")]
struct SectionPage<'a> {
    ui: &'a Ui,
    id: String,
    can_read: bool,
    can_submit: bool,
    rows: Vec<AppRow>,
}

/// The "Change registration" section of an organization's page
/// (`Capability::org_sections`): its applications for those who may read them, and
/// the link to apply for those who may.
pub fn org_section<'a>(
    s: &'a AppState,
    ui: &'a Ui,
    caller: &'a Caller,
    org: &'a Organization,
    org_path: &'a str,
) -> crate::kit::capability::SectionFuture<'a> {
    Box::pin(async move {
        let can_read = service::can_read(caller, org, org_path);
        let can_submit = service::can_submit(caller, org, org_path);
        if !can_read && !can_submit {
            return Ok(String::new());
        }
        let rows = if can_read {
            s.store
                .change_applications_of(org.id)
                .await?
                .iter()
                .map(|a| row(ui, a, &org.data.name))
                .collect()
        } else {
            vec![]
        };
        SectionPage {
            ui,
            id: org.id.to_string(),
            can_read,
            can_submit,
            rows,
        }
        .render()
        .map_err(|e| AppError::Internal(format!("template failed to render: {e}")))
    })
}

#[derive(Template)]
#[template(path = "supervision/change_form.html")]
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
    typed: &ChangeForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult {
    let lang = ui.lang;
    let mut fields: Vec<Field> = Vec::new();
    for (i, f) in RegisteredField::ALL.iter().copied().enumerate() {
        let name = FORM_FIELDS[i];
        let field = match f {
            RegisteredField::LegalForm => {
                labels::field(ui, SCOPE, name, "select", errors).options(options(
                    LegalForm::ALL,
                    LegalForm::as_str,
                    |x| x.label(lang).into(),
                    typed.value(f).as_deref().unwrap_or(""),
                    None,
                ))
            }
            RegisteredField::BusinessScope => {
                labels::field(ui, SCOPE, name, "textarea", errors).wide()
            }
            RegisteredField::FoundedOn => labels::field(ui, SCOPE, name, "input", errors).date(),
            RegisteredField::RegisteredCapital => {
                labels::field(ui, SCOPE, name, "input", errors).hint(ui.t("chg.hint.capital"))
            }
            _ => labels::field(ui, SCOPE, name, "input", errors),
        };
        fields.push(field.value(typed.value(f)));
    }
    fields.push(
        labels::field(ui, SCOPE, "attachments", "textarea", errors)
            .required()
            .value(&typed.attachments)
            .hint(ui.t("chg.hint.attachments"))
            .wide(),
    );
    fields.push(
        labels::field(ui, SCOPE, "note", "textarea", errors)
            .value(&typed.note)
            .wide(),
    );
    // Errors about the application as a whole (`changes`) come last.
    let summary = labels::summary(ui, SCOPE, errors, &FORM_FIELDS);
    let page = FormPage {
        crumbs: vec![
            Crumb::home(ui),
            Crumb::organizations(ui),
            Crumb::new(org.data.name.clone(), format!("/organizations/{}", org.id)),
        ],
        ui: ui.clone(),
        title: ui.tf("chg.form.title", &[&org.data.name]),
        id: org.id.to_string(),
        fields,
        summary,
    };
    Ok(render(status, &page))
}

/// `GET /organizations/{id}/change-applications/new`: the application form.
pub async fn new_form(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let (org, path) = service::organization(&s.store, id).await?;
    if !service::can_submit(&caller, &org, &path) {
        return Err(if caller.user.is_none() {
            AppError::Unauthenticated
        } else {
            AppError::Forbidden
        }
        .into());
    }
    let extras = s.store.registration_extras(org.id).await?;
    let typed = ChangeForm::current(&org, &extras);
    form_page(&ui, &org, &typed, &FieldErrors::new(), StatusCode::OK)
}

/// `POST /organizations/{id}/change-applications` (form): 303 to the organization's
/// page, or the form again naming each problem.
pub async fn submit(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<ChangeForm>,
) -> PageResult {
    let ui = ui
        .with_nav("orgs")
        .at(format!("/organizations/{id}/change-applications/new"));
    let (org, _) = service::organization(&s.store, id).await?;
    let extras = s.store.registration_extras(org.id).await?;
    let draft = form.draft(&org, &extras);
    match service::submit(&s.store, &caller, org.id, &draft, FieldErrors::new()).await {
        Ok(_) => Ok(see_other(&format!("/organizations/{}#changes", org.id))),
        Err(AppError::Validation(e)) => {
            form_page(&ui, &org, &form, &e, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueParams {
    pub status: Option<String>,
}

#[derive(Template)]
#[template(path = "supervision/queue.html")]
struct QueuePage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    statuses: Vec<(&'static str, &'static str, bool)>,
    rows: Vec<AppRow>,
    banner: Vec<String>,
}

async fn queue_view(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    status: Option<&str>,
    banner: Vec<String>,
    code: StatusCode,
) -> PageResult {
    // Officials only: anyone else is told so before the parameters are read.
    if caller.user.is_none() {
        return Err(AppError::Unauthenticated.into());
    }
    if !service::has_queue(caller) {
        return Err(AppError::Forbidden.into());
    }
    let wanted = service::parse_status(Some(status.unwrap_or("submitted")))?;
    let items = service::queue(&s.store, caller, wanted).await?;
    let current = wanted.map(|w| w.as_str()).unwrap_or("");
    let page = QueuePage {
        crumbs: vec![Crumb::home(ui)],
        ui: ui.clone(),
        statuses: ChangeStatus::ALL
            .iter()
            .map(|c| (c.as_str(), c.label(ui.lang), c.as_str() == current))
            .collect(),
        rows: items.iter().map(|(a, o)| row(ui, a, o)).collect(),
        banner,
    };
    Ok(render(code, &page))
}

/// `GET /change-applications`: the calling official's queue (submitted by default).
pub async fn queue_page(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Query(q): Query<QueueParams>,
) -> PageResult {
    let ui = ui.with_nav("changes");
    queue_view(
        &s,
        &ui,
        &caller,
        q.status.as_deref(),
        vec![],
        StatusCode::OK,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct DecisionForm {
    pub action: Option<String>,
    pub reason: Option<String>,
}

/// `POST /change-applications/{id}/decision` (form): 303 back to the queue, or the
/// queue again saying what was wrong.
pub async fn decide(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<DecisionForm>,
) -> PageResult {
    let ui = ui.with_nav("changes").at("/change-applications");
    let r = service::decide(
        &s.store,
        &s.search,
        &caller,
        id,
        form.action.as_deref(),
        form.reason.as_deref(),
        FieldErrors::new(),
    )
    .await;
    match r {
        Ok(_) => Ok(see_other("/change-applications")),
        Err(AppError::Validation(e)) => {
            let lines = labels::error_lines(&ui, SCOPE, &e);
            queue_view(
                &s,
                &ui,
                &caller,
                None,
                lines,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::State(_)) => {
            let lines = vec![ui.t("chg.already_decided").to_string()];
            queue_view(&s, &ui, &caller, None, lines, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}
