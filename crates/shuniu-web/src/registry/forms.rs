//! The forms: create, edit, change status. A form that fails validation comes back
//! with each message next to its field and with everything the user typed.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use shuniu_domain::FieldErrors;
use shuniu_domain::access::{Action, Resource};
use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_domain::registry::{
    Grade, LegalForm, OrgStatus, OrganizationDraft, PartyOrg, ServiceDomain, Stage,
};

use super::pages::status_class;
use crate::auth::Caller;
use crate::kit::extract::{CheckedForm, RecordId};
use crate::kit::forms::{Field, Group, SummaryItem, summary};
use crate::kit::labels;
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::view::{Crumb, Opt, jurisdiction_options, options, tree};
use crate::registry;
use crate::{AppError, AppState, PageResult, today};

#[derive(Template)]
#[template(path = "registry/form.html")]
struct FormPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    heading: String,
    action: String,
    cancel: String,
    submit: &'static str,
    legal_form: String,
    groups: Vec<Group>,
    summary: Vec<SummaryItem>,
    banner: Option<String>,
}

/// The organization form's groups, filled from `d`, with `errors` inline.
fn org_groups(
    ui: &Ui,
    d: &OrganizationDraft,
    errors: &FieldErrors,
    nodes: &[Jurisdiction],
) -> Vec<Group> {
    let lang = ui.lang;
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    let f = |name, kind| Field::new(ui, name, kind, errors);
    let checked: Vec<String> = d.domains.clone().unwrap_or_default();
    let domains = ServiceDomain::ALL
        .iter()
        .map(|x| {
            Opt::new(
                x.as_str(),
                x.label(lang),
                checked.iter().any(|c| c.trim() == x.as_str()),
            )
        })
        .collect();
    vec![
        Group {
            title: ui.t("form.group.basic"),
            fields: vec![
                f("name", "input").value(&d.name).required().wide(),
                f("legal_form", "select").required().options(options(
                    LegalForm::ALL,
                    LegalForm::as_str,
                    |x| x.label(lang).into(),
                    &s(&d.legal_form),
                    Some(ui.t("form.choose")),
                )),
                f("uscc", "input").value(&d.uscc).hint(ui.t("hint.uscc")),
                f("filing_number", "input")
                    .value(&d.filing_number)
                    .hint(ui.t("hint.filing_number")),
                f("jurisdiction", "select")
                    .required()
                    .options(jurisdiction_options(
                        nodes,
                        lang,
                        &s(&d.jurisdiction),
                        ui.t("form.choose"),
                    )),
                f("address", "input").value(&d.address).required().wide(),
                f("founded_on", "input")
                    .value(&d.founded_on)
                    .required()
                    .date(),
                f("legal_representative", "input")
                    .value(&d.legal_representative)
                    .required(),
                f("contact_phone", "input")
                    .value(&d.contact_phone)
                    .tel()
                    .hint(ui.t("hint.contact_phone")),
            ],
        },
        Group {
            title: ui.t("form.group.services"),
            fields: vec![
                f("domains", "checks").required().wide().options(domains),
                f("stage", "select").required().options(options(
                    Stage::ALL,
                    Stage::as_str,
                    |x| x.label(lang).into(),
                    &s(&d.stage),
                    Some(ui.t("form.choose")),
                )),
            ],
        },
        Group {
            title: ui.t("form.group.people"),
            fields: vec![
                f("staff_full_time", "input")
                    .value(&d.staff_full_time)
                    .numeric(),
                f("staff_part_time", "input")
                    .value(&d.staff_part_time)
                    .numeric(),
                f("volunteers", "input").value(&d.volunteers).numeric(),
                f("party_org", "select").options(options(
                    PartyOrg::ALL,
                    PartyOrg::as_str,
                    |x| x.label(lang).into(),
                    &s(&d.party_org),
                    None,
                )),
                f("party_members", "input")
                    .value(&d.party_members)
                    .numeric()
                    .hint(ui.t("hint.party_members")),
            ],
        },
        Group {
            title: ui.t("form.group.assessment"),
            fields: vec![
                f("grade", "select").options(options(
                    Grade::ALL,
                    Grade::as_str,
                    |x| x.label(lang).into(),
                    &s(&d.grade),
                    Some(ui.t("detail.not_assessed")),
                )),
                f("grade_awarded_on", "input")
                    .value(&d.grade_awarded_on)
                    .date()
                    .hint(ui.t("hint.grade_awarded_on")),
            ],
        },
    ]
}

/// A form post carries every field: one that is missing means "empty" (an unchecked
/// checkbox group sends nothing), not "keep the stored value".
fn complete(mut d: OrganizationDraft) -> OrganizationDraft {
    macro_rules! fill {
        ($($f:ident),+) => { $( if d.$f.is_none() { d.$f = Some(String::new()); } )+ };
    }
    fill!(
        name,
        legal_form,
        uscc,
        filing_number,
        jurisdiction,
        address,
        founded_on,
        legal_representative,
        contact_phone,
        staff_full_time,
        staff_part_time,
        volunteers,
        party_org,
        party_members,
        stage,
        grade,
        grade_awarded_on
    );
    if d.domains.is_none() {
        d.domains = Some(vec![]);
    }
    d
}

enum Mode {
    Create,
    Edit { id: String, name: String },
}

async fn form_page(
    s: &AppState,
    ui: &Ui,
    mode: &Mode,
    draft: &OrganizationDraft,
    errors: &FieldErrors,
    banner: Option<String>,
    status: StatusCode,
) -> PageResult {
    let nodes = tree(&s.store, Level::Community).await?;
    let (heading, action, cancel, submit) = match mode {
        Mode::Create => (
            ui.t("form.new.title").to_string(),
            "/organizations".to_string(),
            "/organizations".to_string(),
            ui.t("form.new.submit"),
        ),
        Mode::Edit { id, name } => (
            ui.tf("form.edit.title", &[name]),
            format!("/organizations/{id}/edit"),
            format!("/organizations/{id}"),
            ui.t("form.edit.submit"),
        ),
    };
    let page = FormPage {
        crumbs: vec![Crumb::home(ui), Crumb::organizations(ui)],
        ui: ui.clone(),
        heading,
        action,
        cancel,
        submit,
        legal_form: draft.legal_form.clone().unwrap_or_default(),
        groups: org_groups(ui, draft, errors, &nodes),
        summary: summary(ui, errors, shuniu_domain::registry::ORGANIZATION_FIELDS),
        banner,
    };
    Ok(render(status, &page))
}

/// How a failed save is shown on the form: field errors inline, a taken code on its
/// field, a state conflict as a message; anything else is an error page.
async fn form_failure(
    s: &AppState,
    ui: &Ui,
    mode: &Mode,
    draft: &OrganizationDraft,
    err: AppError,
) -> PageResult {
    match err {
        AppError::Validation(f) => {
            form_page(
                s,
                ui,
                mode,
                draft,
                &f,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        AppError::Conflict { field } => {
            let f = FieldErrors::single(&field, AppError::conflict_message(&field));
            form_page(s, ui, mode, draft, &f, None, StatusCode::CONFLICT).await
        }
        AppError::State(_) => {
            let banner = Some(ui.t("form.state_conflict").to_string());
            form_page(
                s,
                ui,
                mode,
                draft,
                &FieldErrors::new(),
                banner,
                StatusCode::CONFLICT,
            )
            .await
        }
        other => Err(other.into()),
    }
}

/// `GET /organizations/new`
pub async fn new(State(s): State<AppState>, ui: Ui, caller: Caller) -> PageResult {
    let ui = ui.with_nav("new");
    let anywhere = Resource::NewOrganization {
        jurisdiction_path: None,
    };
    caller.require(Action::Create, &anywhere)?;
    let zero = Some("0".to_string());
    let draft = OrganizationDraft {
        party_org: Some(PartyOrg::None.as_str().into()),
        staff_full_time: zero.clone(),
        staff_part_time: zero.clone(),
        volunteers: zero.clone(),
        party_members: zero,
        ..Default::default()
    };
    form_page(
        &s,
        &ui,
        &Mode::Create,
        &draft,
        &FieldErrors::new(),
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /organizations` (form): 303 to the new record, or the form again.
pub async fn create(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    CheckedForm(draft): CheckedForm<OrganizationDraft>,
) -> PageResult {
    let ui = ui.with_nav("new").at("/organizations/new");
    let draft = complete(draft);
    match registry::create(&s.store, &s.search, &draft, &caller).await {
        Ok(o) => Ok(see_other(&format!("/organizations/{}", o.id))),
        Err(e) => form_failure(&s, &ui, &Mode::Create, &draft, e).await,
    }
}

/// `GET /organizations/{id}/edit`
pub async fn edit(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let o = registry::get(&s.store, id).await?;
    registry::require_on(&s.store, &caller, Action::Edit, &o).await?;
    let mode = Mode::Edit {
        id: o.id.to_string(),
        name: o.data.name.clone(),
    };
    let (banner, status) = if o.status == OrgStatus::Deregistered {
        (
            Some(ui.t("form.state_conflict").to_string()),
            StatusCode::CONFLICT,
        )
    } else {
        (None, StatusCode::OK)
    };
    form_page(
        &s,
        &ui,
        &mode,
        &o.data.to_draft(),
        &FieldErrors::new(),
        banner,
        status,
    )
    .await
}

/// `POST /organizations/{id}/edit` (form): 303 to the record, or the form again.
pub async fn update(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(draft): CheckedForm<OrganizationDraft>,
) -> PageResult {
    let o = registry::get(&s.store, id).await?;
    let ui = ui
        .with_nav("orgs")
        .at(format!("/organizations/{}/edit", o.id));
    let draft = complete(draft);
    let mode = Mode::Edit {
        id: o.id.to_string(),
        name: o.data.name.clone(),
    };
    match registry::update(&s.store, &s.search, o.id, draft.clone(), &caller).await {
        Ok(o) => Ok(see_other(&format!("/organizations/{}", o.id))),
        Err(e) => form_failure(&s, &ui, &mode, &draft, e).await,
    }
}

/// The status form's label scope (`status.f.<name>`) and its fields, in order.
const STATUS: &str = "status";
const STATUS_FIELDS: [&str; 3] = ["status", "reason", "effective_on"];

#[derive(Debug, Default, Deserialize)]
pub struct StatusForm {
    pub status: Option<String>,
    pub reason: Option<String>,
    pub effective_on: Option<String>,
}

#[derive(Template)]
#[template(path = "registry/status.html")]
struct StatusPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    id: String,
    name: String,
    current: &'static str,
    current_class: &'static str,
    current_reason: String,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
    banner: Option<String>,
    is_final: bool,
}

/// What a change to `to` is called (the verb on the radio button).
fn transition_label(ui: &Ui, to: OrgStatus) -> &'static str {
    match to {
        OrgStatus::Active => ui.t("status.reactivate"),
        OrgStatus::Suspended => ui.t("status.suspend"),
        OrgStatus::Deregistered => ui.t("status.deregister"),
    }
}

async fn status_page(
    s: &AppState,
    ui: &Ui,
    id: uuid::Uuid,
    form: &StatusForm,
    errors: &FieldErrors,
    banner: Option<String>,
    code: StatusCode,
) -> PageResult {
    let o = registry::get(&s.store, id).await?;
    let chosen = form.status.clone().unwrap_or_default();
    let choices: Vec<Opt> = OrgStatus::ALL
        .iter()
        .filter(|to| o.status.can_become(**to))
        .map(|to| {
            Opt::new(
                to.as_str(),
                transition_label(ui, *to),
                chosen == to.as_str(),
            )
        })
        .collect();
    let is_final = choices.is_empty();
    let f = |name, kind| labels::field(ui, STATUS, name, kind, errors);
    let fields = vec![
        f("status", "radios").required().wide().options(choices),
        f("reason", "textarea")
            .value(&form.reason)
            .required()
            .wide()
            .hint(ui.t("hint.reason")),
        f("effective_on", "input")
            .value(&form.effective_on)
            .date()
            .hint(ui.t("hint.effective_on")),
    ];
    let page = StatusPage {
        crumbs: vec![
            Crumb::home(ui),
            Crumb::organizations(ui),
            Crumb::new(o.data.name.clone(), format!("/organizations/{}", o.id)),
        ],
        ui: ui.clone(),
        id: o.id.to_string(),
        name: o.data.name.clone(),
        current: o.status.label_for(o.data.legal_form, ui.lang),
        current_class: status_class(o.status),
        current_reason: o.status_reason.clone().unwrap_or_default(),
        summary: labels::summary(ui, STATUS, errors, &STATUS_FIELDS),
        fields,
        banner: banner.or_else(|| is_final.then(|| ui.t("status.final").to_string())),
        is_final,
    };
    Ok(render(code, &page))
}

/// `GET /organizations/{id}/status`
pub async fn status_form(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let o = registry::get(&s.store, id).await?;
    registry::require_on(&s.store, &caller, Action::ChangeStatus, &o).await?;
    let form = StatusForm {
        effective_on: Some(today().to_string()),
        ..Default::default()
    };
    status_page(
        &s,
        &ui,
        id,
        &form,
        &FieldErrors::new(),
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /organizations/{id}/status` (form): 303 to the record, or the form again.
pub async fn change_status(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<StatusForm>,
) -> PageResult {
    let ui = ui
        .with_nav("orgs")
        .at(format!("/organizations/{id}/status"));
    let res = registry::change_status(
        &s,
        id,
        form.status.as_deref(),
        form.reason.as_deref(),
        form.effective_on.as_deref(),
        &caller,
    )
    .await;
    match res {
        Ok(o) => Ok(see_other(&format!("/organizations/{}", o.id))),
        Err(AppError::Validation(f)) => {
            status_page(
                &s,
                &ui,
                id,
                &form,
                &f,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::State(_)) => {
            let msg = state_message(&s, &ui, id, form.status.as_deref()).await;
            status_page(
                &s,
                &ui,
                id,
                &form,
                &FieldErrors::new(),
                Some(msg),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Why a status change was refused, in the user's language.
async fn state_message(s: &AppState, ui: &Ui, id: uuid::Uuid, to: Option<&str>) -> String {
    let current = registry::get(&s.store, id).await.ok();
    let to = to.and_then(OrgStatus::parse);
    match (current, to) {
        (Some(o), Some(to)) => ui.tf(
            "status.not_allowed",
            &[
                o.status.label_for(o.data.legal_form, ui.lang),
                to.label(ui.lang),
            ],
        ),
        _ => ui.t("form.state_conflict").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::labels::{SITE, assert_labelled};

    #[test]
    fn every_field_has_a_label() {
        assert_labelled(SITE, shuniu_domain::registry::ORGANIZATION_FIELDS);
        assert_labelled(STATUS, &STATUS_FIELDS);
    }
}
