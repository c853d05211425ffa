//! A hub's page: its recognition, members and pending applications, and the forms on it.

use super::*;

pub struct Fact {
    pub label: &'static str,
    pub value: String,
    pub href: Option<String>,
    pub tags: Vec<&'static str>,
}

impl Fact {
    pub(super) fn text(label: &'static str, value: impl Into<String>) -> Self {
        let value = value.into();
        Fact {
            label,
            value: if value.trim().is_empty() {
                "—".into()
            } else {
                value
            },
            href: None,
            tags: vec![],
        }
    }
}

pub struct MemberRow {
    pub org_href: String,
    pub name: String,
    pub initiating: bool,
    pub status: &'static str,
    pub status_class: &'static str,
    pub applied_on: String,
    pub decided_on: String,
    /// The membership's page, for those who may read it.
    pub href: Option<String>,
}

pub struct PendingRow {
    pub id: String,
    pub org_href: String,
    pub name: String,
    pub applied_on: String,
}

/// A member whose standing bars new bookings and offices, with what it still holds in
/// the hub's venues (`Store::standing_flags_of_hub`): the hub decides what to do.
pub struct FlagRow {
    pub org_href: String,
    pub name: String,
    pub reason: String,
    pub holds: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    pub status: Option<String>,
    pub page: Option<String>,
    /// Where the member list starts: a `next` or `prev` link's cursor.
    pub cursor: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct MemberForm {
    pub organization_id: Option<String>,
    pub initiating: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct RevokeForm {
    pub reason: Option<String>,
    pub revoked_on: Option<String>,
}

#[derive(Template)]
#[template(path = "hubs/hub_detail.html")]
pub(super) struct DetailPage {
    ui: Ui,
    id: String,
    name: String,
    org_href: String,
    kind: &'static str,
    kind_class: &'static str,
    status: &'static str,
    status_class: &'static str,
    notice: Option<String>,
    facts: Vec<Fact>,
    structure_href: Option<String>,
    members: Vec<MemberRow>,
    members_summary: String,
    members_public: bool,
    /// The members shown (their status filter) as CSV and Excel.
    members_downloads: crate::kit::export::Links,
    status_filter: Vec<Opt>,
    prev: Option<String>,
    next: Option<String>,
    can_manage: bool,
    pending: Vec<PendingRow>,
    flags: Vec<FlagRow>,
    add_fields: Vec<Field>,
    add_summary: Vec<SummaryItem>,
    can_revoke: bool,
    revoke_fields: Vec<Field>,
    revoke_summary: Vec<SummaryItem>,
}

pub(super) struct DetailState<'a> {
    add: &'a MemberForm,
    add_errors: &'a FieldErrors,
    revoke: &'a RevokeForm,
    revoke_errors: &'a FieldErrors,
}

pub(super) async fn detail_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: Uuid,
    q: &DetailQuery,
    st: DetailState<'_>,
) -> Result<DetailPage, AppError> {
    let hub = hubs::get(&s.store, id).await?;
    hubs::require_hub(caller, Action::Read, &hub)?;
    let lang = ui.lang;
    let r = &hub.recognition;
    let code = r.jurisdiction.to_string();
    let node = s.store.jurisdiction(&code).await?;
    let place = node
        .as_ref()
        .map(|j| j.name(lang).to_string())
        .unwrap_or_else(|| code.clone());
    let structure_href = node
        .as_ref()
        .filter(|j| matches!(j.level, Level::District | Level::Street))
        .map(|j| format!("/structure/{}", j.code));
    let mut fields = Fact::text(label(lang, Scope::Form, "fields"), "");
    fields.tags = labels(lang, &r.fields(), ServiceDomain::label);
    let mut functions = Fact::text(label(lang, Scope::Form, "functions"), "");
    functions.tags = labels(lang, &r.functions(), HubFunction::label);
    let mut jur = Fact::text(label(lang, Scope::Form, "jurisdiction"), place);
    jur.href = Some(format!("/jurisdictions/{code}"));
    let mut facts = vec![
        Fact::text(label(lang, Scope::Form, "kind"), r.kind.label(lang)),
        Fact::text(label(lang, Scope::Form, "level"), r.level.label(lang)),
        jur,
    ];
    if r.kind == HubKind::Industry {
        facts.push(Fact::text(
            label(lang, Scope::Form, "base_body"),
            r.base_body.clone(),
        ));
        facts.push(fields);
    }
    facts.extend([
        Fact::text(
            label(lang, Scope::Form, "recognizing_body"),
            r.recognizing_body.clone(),
        ),
        Fact::text(
            label(lang, Scope::Form, "document_number"),
            r.document_number.clone(),
        ),
        Fact::text(
            label(lang, Scope::Form, "recognized_on"),
            view::date(lang, r.recognized_on),
        ),
        functions,
        Fact::text(ui.t("hubs.col.members"), fmt_int(hub.member_count)),
    ]);
    let notice = (hub.status == HubStatus::Revoked).then(|| {
        ui.tf(
            "hubs.revoked_notice",
            &[
                &hub.revoked_on.map(|d| view::date(lang, d)).unwrap_or_default(),
                hub.revoke_reason.as_deref().unwrap_or("—"),
            ],
        )
    });
    let sees_all = hubs::sees_all_members(caller, &hub);
    let status_q = if sees_all { q.status.clone() } else { None };
    let (page, _) =
        hubs::members(&s.store, caller, &hub, &status_q, (&q.cursor, &q.page), &None).await?;
    let members = page
        .items
        .iter()
        .map(|m| MemberRow {
            org_href: format!("/organizations/{}", m.organization_id),
            name: m.organization_name.clone(),
            initiating: m.initiating,
            status: m.status.label(lang),
            status_class: status_class(m.status),
            applied_on: view::date(lang, m.applied_on),
            decided_on: m.decided_on.map(|d| view::date(lang, d)).unwrap_or_default(),
            href: hubs::may_membership(caller, Action::Read, &hub, m.organization_id)
                .then(|| format!("/memberships/{}", m.id)),
        })
        .collect();
    let members_summary = ui.tf(
        "hubs.members_count",
        &[&crate::kit::paging::total_text(ui, page.total)],
    );
    let filters = crate::kit::export::filter_query(&[("status", &status_q)]);
    let members_downloads =
        crate::kit::export::Links::new(ui, &format!("/hubs/{}/members", hub.id), &filters);
    // Back at the members' table, not the top of the hub's page.
    let at_members = |href: String| format!("{href}#members");
    let (prev, next) = crate::kit::paging::links(&format!("/hubs/{}", hub.id), &filters, &page);
    let (prev, next) = (prev.map(at_members), next.map(at_members));
    let status_filter = options(
        MembershipStatus::ALL,
        MembershipStatus::as_str,
        |x| x.label(lang).into(),
        status_q.as_deref().unwrap_or(""),
        Some(ui.t("filter.all")),
    );
    let can_manage =
        hub.status == HubStatus::Recognized && hubs::decide_hub(caller, Action::ManageHub, &hub);
    let pending = if can_manage {
        s.store
            .hub_members(hub.id, Some(MembershipStatus::Pending), 1, 200)
            .await?
            .items
            .iter()
            .map(|m| PendingRow {
                id: m.id.to_string(),
                org_href: format!("/organizations/{}", m.organization_id),
                name: m.organization_name.clone(),
                applied_on: view::date(lang, m.applied_on),
            })
            .collect()
    } else {
        vec![]
    };
    let flags = if can_manage {
        s.store
            .standing_flags_of_hub(hub.organization_id, today())
            .await?
            .into_iter()
            .map(|f| FlagRow {
                org_href: format!("/organizations/{}", f.organization_id),
                name: f.name,
                reason: f.refusal.message(lang).to_string(),
                holds: ui.tf(
                    "hubs.flag_holds",
                    &[&fmt_int(f.bookings), &fmt_int(f.offices)],
                ),
            })
            .collect()
    } else {
        vec![]
    };
    let (add_fields, add_summary) = add_form(ui, st.add, st.add_errors);
    let can_revoke =
        hub.status == HubStatus::Recognized && hubs::decide_hub(caller, Action::Recognize, &hub);
    let (revoke_fields, revoke_summary) = revoke_form(ui, st.revoke, st.revoke_errors);
    Ok(DetailPage {
        ui: ui.clone(),
        id: hub.id.to_string(),
        name: hub.organization_name.clone(),
        org_href: format!("/organizations/{}", hub.organization_id),
        kind: r.kind.label(lang),
        kind_class: kind_class(r.kind),
        status: hub.status.label(lang),
        status_class: hub_status_class(hub.status),
        notice,
        facts,
        structure_href,
        members,
        members_summary,
        members_public: !sees_all,
        members_downloads,
        status_filter,
        prev,
        next,
        can_manage,
        pending,
        flags,
        add_fields,
        add_summary,
        can_revoke,
        revoke_fields,
        revoke_summary,
    })
}

/// The hub side's "add a member" form: the member's errors (or the hub's refusal) on
/// one control.
pub(super) fn add_form(
    ui: &Ui,
    form: &MemberForm,
    errors: &FieldErrors,
) -> (Vec<Field>, Vec<SummaryItem>) {
    let lang = ui.lang;
    let mut org_field = field(ui, "member_org", "input", errors).value(&form.organization_id);
    org_field.name = "organization_id";
    if let Some(e) = errors.get("organization_id").or(errors.get("hub")) {
        org_field.error = Some(e.message(lang).to_string());
    }
    let mut ini = field(ui, "initiating", "checks", errors);
    ini.options = vec![Opt::new(
        "on",
        label(lang, Scope::Form, "initiating"),
        form.initiating.is_some(),
    )];
    let fields = vec![org_field.required().wide(), ini];
    let summary = summary(ui, errors, &["organization_id", "hub", "initiating"])
        .into_iter()
        .map(|mut i| {
            if i.name == "hub" || i.name == "organization_id" {
                i.name = "organization_id".into();
                i.label = label(lang, Scope::Form, "member_org").into();
            }
            i
        })
        .collect();
    (fields, summary)
}

/// The form that revokes the recognition.
pub(super) fn revoke_form(
    ui: &Ui,
    form: &RevokeForm,
    errors: &FieldErrors,
) -> (Vec<Field>, Vec<SummaryItem>) {
    let mut on = field(ui, "revoked_on", "input", errors).value(&form.revoked_on);
    on.input_type = "date";
    on.max = today().to_string();
    let fields = vec![
        field(ui, "reason", "textarea", errors)
            .value(&form.reason)
            .required()
            .wide(),
        on,
    ];
    (fields, summary(ui, errors, &["reason", "revoked_on"]))
}

pub async fn detail(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    q: Result<Query<DetailQuery>, QueryRejection>,
) -> PageResult {
    let ui = ui.with_nav("hubs");
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let st = DetailState {
        add: &MemberForm::default(),
        add_errors: &FieldErrors::new(),
        revoke: &RevokeForm::default(),
        revoke_errors: &FieldErrors::new(),
    };
    let page = detail_page(&s, &ui, &caller, id, &q, st).await?;
    Ok(render(StatusCode::OK, &page))
}

/// The hub page again with a form's errors (422).
pub(super) async fn detail_again(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: Uuid,
    st: DetailState<'_>,
) -> PageResult {
    let page = detail_page(s, ui, caller, id, &DetailQuery::default(), st).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

/// `POST /hubs/{id}/revoke`
pub async fn revoke(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<RevokeForm>,
) -> PageResult {
    let ui = ui.with_nav("hubs").at(format!("/hubs/{id}"));
    match hubs::revoke(&s.store, id, &form.reason, &form.revoked_on, &caller).await {
        Ok(h) => Ok(see_other(&format!("/hubs/{}", h.id))),
        Err(AppError::Validation(f)) => {
            let st = DetailState {
                add: &MemberForm::default(),
                add_errors: &FieldErrors::new(),
                revoke: &form,
                revoke_errors: &f,
            };
            detail_again(&s, &ui, &caller, id, st).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /hubs/{id}/members` (hub side adds a member)
pub async fn add_member(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<MemberForm>,
) -> PageResult {
    let ui = ui.with_nav("hubs").at(format!("/hubs/{id}"));
    let initiating = form.initiating.is_some();
    match hubs::add_member(&s.store, id, &form.organization_id, initiating, &caller).await {
        Ok(_) => Ok(see_other(&format!("/hubs/{id}#members"))),
        Err(AppError::Validation(f)) => {
            let st = DetailState {
                add: &form,
                add_errors: &f,
                revoke: &RevokeForm::default(),
                revoke_errors: &FieldErrors::new(),
            };
            detail_again(&s, &ui, &caller, id, st).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /hubs/{id}/applications` (an organization applies; from its page)
pub async fn apply(
    State(s): State<AppState>,
    _: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<MemberForm>,
) -> PageResult {
    let m = hubs::apply(&s.store, id, &form.organization_id, &caller).await?;
    Ok(see_other(&format!(
        "/organizations/{}#memberships",
        m.organization_id
    )))
}
