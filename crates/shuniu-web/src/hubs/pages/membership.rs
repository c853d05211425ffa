//! A membership's page: its history and the hub's decisions.

use super::*;

pub struct EventRow {
    pub when: String,
    pub actor: String,
    pub action: String,
    pub change: String,
    pub reason: String,
}

pub struct ActionForm {
    pub code: &'static str,
    pub label: &'static str,
    pub needs_reason: bool,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct DecisionForm {
    pub action: Option<String>,
    pub reason: Option<String>,
    /// `hub`: go back to the hub's page afterwards.
    pub back: Option<String>,
}

#[derive(Template)]
#[template(path = "hubs/hub_membership.html")]
pub(super) struct MembershipPage {
    ui: Ui,
    id: String,
    hub_href: String,
    hub_name: String,
    org_href: String,
    org_name: String,
    status: &'static str,
    status_class: &'static str,
    initiating: bool,
    facts: Vec<Fact>,
    history: Vec<EventRow>,
    actions: Vec<ActionForm>,
    reason: String,
    reason_error: Option<String>,
    action_error: Option<String>,
    can_mark: bool,
}

pub(super) fn event_label(ui: &Ui, action: &str) -> String {
    match action {
        "apply" | "add" | "initiating" | "hub_revoked" => {
            ui.t(&format!("membership.ev.{action}")).to_string()
        }
        a => MembershipAction::parse(a)
            .map(|x| x.label(ui.lang).to_string())
            .unwrap_or_else(|| a.to_string()),
    }
}

pub(super) async fn membership_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    uuid: Uuid,
    form: &DecisionForm,
    errors: &FieldErrors,
) -> Result<MembershipPage, AppError> {
    let (m, hub) = hubs::membership(&s.store, caller, uuid).await?;
    let lang = ui.lang;
    let history = hubs::history(&s.store, uuid)
        .await?
        .iter()
        .map(|e| EventRow {
            when: local_time(e.at),
            actor: e.actor.clone(),
            action: event_label(ui, &e.action),
            change: match e.from_status {
                Some(f) if f != e.to_status => {
                    format!("{} → {}", f.label(lang), e.to_status.label(lang))
                }
                _ => e.to_status.label(lang).to_string(),
            },
            reason: e
                .reason
                .as_deref()
                .filter(|r| !r.is_empty())
                .map(|r| ui.tf("membership.reason", &[r]))
                .unwrap_or_default(),
        })
        .collect();
    let actions = if hub.status == HubStatus::Recognized {
        hubs::available_actions(caller, &hub, &m)
            .into_iter()
            .map(|a| ActionForm {
                code: a.as_str(),
                label: a.label(lang),
                needs_reason: a.needs_reason(),
            })
            .collect()
    } else {
        vec![]
    };
    let can_mark = m.status.is_live()
        && hubs::may_membership(caller, Action::ManageHub, &hub, m.organization_id);
    let date = |d: Option<chrono::NaiveDate>| d.map(|x| view::date(lang, x)).unwrap_or_default();
    let facts = vec![
        Fact::text(ui.t("hubs.col.kind"), m.hub_kind.label(lang)),
        Fact::text(ui.t("hubs.col.applied_on"), view::date(lang, m.applied_on)),
        Fact::text(ui.t("hubs.col.decided_on"), date(m.decided_on)),
        Fact::text(
            label(lang, Scope::Form, "reason"),
            m.reason.clone().unwrap_or_default(),
        ),
    ];
    Ok(MembershipPage {
        ui: ui.clone(),
        id: m.id.to_string(),
        hub_href: format!("/hubs/{}", m.hub_id),
        hub_name: m.hub_name.clone(),
        org_href: format!("/organizations/{}", m.organization_id),
        org_name: m.organization_name.clone(),
        status: m.status.label(lang),
        status_class: status_class(m.status),
        initiating: m.initiating,
        facts,
        history,
        actions,
        reason: form.reason.clone().unwrap_or_default(),
        reason_error: errors.get("reason").map(|e| e.message(lang).to_string()),
        action_error: errors.get("action").map(|e| e.message(lang).to_string()),
        can_mark,
    })
}

pub async fn membership(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("hubs");
    let none = FieldErrors::new();
    let page = membership_page(&s, &ui, &caller, id, &DecisionForm::default(), &none).await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /memberships/{id}/decision`
pub async fn decide(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<DecisionForm>,
) -> PageResult {
    let ui = ui.with_nav("hubs").at(format!("/memberships/{id}"));
    let r = hubs::decide(
        &s.store,
        id,
        form.action.as_deref(),
        form.reason.as_deref(),
        &caller,
    )
    .await;
    match r {
        Ok(m) if form.back.as_deref() == Some("hub") => {
            Ok(see_other(&format!("/hubs/{}", m.hub_id)))
        }
        Ok(m) => Ok(see_other(&format!("/memberships/{}", m.id))),
        Err(AppError::Validation(f)) => {
            let page = membership_page(&s, &ui, &caller, id, &form, &f).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct InitiatingForm {
    pub initiating: Option<String>,
}

/// `POST /memberships/{id}/initiating`
pub async fn initiating(
    State(s): State<AppState>,
    _: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<InitiatingForm>,
) -> PageResult {
    let flag = matches!(form.initiating.as_deref(), Some("true" | "on" | "1"));
    let m = hubs::set_initiating(&s.store, id, flag, &caller).await?;
    Ok(see_other(&format!("/memberships/{}", m.id)))
}
