//! Hub pages: hub list and detail, recognition, memberships, the district's 一核两轴 diagram and the street's 1+1+X.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shuniu_domain::access::{Action, Resource};
use shuniu_domain::hubs::{
    Hub, HubFunction, HubKind, HubLevel, HubStatus, MembershipAction, MembershipStatus,
    RecognitionDraft,
};
use shuniu_domain::jurisdiction::Level;
use shuniu_domain::registry::ServiceDomain;
use shuniu_domain::{FieldErrors, Lang};
use shuniu_store::{DistrictStructure, StreetStructure};
use uuid::Uuid;

use crate::auth::Caller;
use crate::hubs::{self, HubListQuery, RecognitionInput, Structure};
use crate::kit::forms::{CsrfForm, Field, SummaryItem};
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, error_page, render, see_other};
use crate::kit::view::{Filter, parse_id};
use crate::kit::view::{Opt, fmt_int, jurisdiction_options, options, pct, tree};
use crate::{AppError, AppState, local_time, today};

pub fn routes() -> Routes {
    Routes::new()
        .get("/hubs", list)
        .post("/hubs", create)
        .get("/hubs/new", new)
        .get("/hubs/{id}", detail)
        .post("/hubs/{id}/revoke", revoke)
        .post("/hubs/{id}/members", add_member)
        .post("/hubs/{id}/applications", apply)
        .get("/memberships/{id}", membership)
        .post("/memberships/{id}/decision", decide)
        .post("/memberships/{id}/initiating", initiating)
        .get("/structure/{code}", structure)
        .post("/structure/{code}/core", set_core)
}

/// The CSRF check of these forms (anonymous callers are refused by the policy).
fn check_csrf(caller: &Caller, token: Option<&str>) -> Result<(), AppError> {
    if caller.user.is_none() {
        return Ok(());
    }
    caller.check_csrf(token)
}

fn kind_class(k: HubKind) -> &'static str {
    match k {
        HubKind::Regional => "regional",
        HubKind::Industry => "industry",
    }
}

fn status_class(s: MembershipStatus) -> &'static str {
    match s {
        MembershipStatus::Active => "ok",
        MembershipStatus::Pending | MembershipStatus::Suspended => "warn",
        _ => "off",
    }
}

fn hub_status_class(s: HubStatus) -> &'static str {
    match s {
        HubStatus::Recognized => "ok",
        HubStatus::Revoked => "off",
    }
}

fn labels<T: Copy>(lang: Lang, xs: &[T], f: impl Fn(T, Lang) -> &'static str) -> Vec<&'static str> {
    xs.iter().map(|x| f(*x, lang)).collect()
}

// ---------------------------------------------------------------- list

pub struct HubRow {
    pub href: String,
    pub name: String,
    pub kind: &'static str,
    pub kind_class: &'static str,
    pub level: &'static str,
    pub jurisdiction: String,
    pub base_body: String,
    pub members: String,
    pub status: &'static str,
    pub status_class: &'static str,
}

#[derive(Template)]
#[template(path = "hubs/hub_list.html")]
struct ListPage {
    ui: Ui,
    filters: Vec<Filter>,
    include_revoked: bool,
    errors: Vec<String>,
    rows: Vec<HubRow>,
    summary: String,
    prev: Option<String>,
    next: Option<String>,
    can_recognize: bool,
}

fn hub_row(ui: &Ui, h: &Hub, place: String) -> HubRow {
    let lang = ui.lang;
    HubRow {
        href: format!("/hubs/{}", h.id),
        name: h.organization_name.clone(),
        kind: h.recognition.kind.label(lang),
        kind_class: kind_class(h.recognition.kind),
        level: h.recognition.level.label(lang),
        jurisdiction: place,
        base_body: h.recognition.base_body.clone(),
        members: fmt_int(h.member_count),
        status: h.status.label(lang),
        status_class: hub_status_class(h.status),
    }
}

fn field_errors(ui: &Ui, f: &FieldErrors) -> Vec<String> {
    f.0.iter()
        .map(|(k, e)| {
            let label = match k.as_str() {
                "page" | "per_page" | "jurisdiction" | "status" => {
                    crate::kit::messages::field_label(ui.lang, k).to_string()
                }
                other => msg(ui.lang, &format!("hubs.f.{other}")).to_string(),
            };
            format!("{label}{}{}", ui.t("punct.colon"), e.message(ui.lang))
        })
        .collect()
}

pub async fn list(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    q: Result<Query<HubListQuery>, QueryRejection>,
) -> Response {
    let ui = ui.with_nav("hubs");
    let Ok(Query(q)) = q else {
        return error_page(&ui, &AppError::BadRequest("query".into()));
    };
    let nodes = match tree(&s.store, Level::Street).await {
        Ok(t) => t,
        Err(e) => return error_page(&ui, &e),
    };
    let lang = ui.lang;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let all = ui.t("filter.all");
    let filters = vec![
        Filter {
            name: "kind",
            label: ui.t("hubs.col.kind"),
            options: options(
                HubKind::ALL,
                HubKind::as_str,
                |x| x.label(lang).into(),
                &v(&q.kind),
                Some(all),
            ),
        },
        Filter {
            name: "jurisdiction",
            label: ui.t("field.jurisdiction"),
            options: jurisdiction_options(&nodes, lang, &v(&q.jurisdiction), all),
        },
    ];
    let mut page = ListPage {
        ui: ui.clone(),
        filters,
        include_revoked: matches!(q.include_revoked.as_deref(), Some("on" | "true" | "1")),
        errors: vec![],
        rows: vec![],
        summary: String::new(),
        prev: None,
        next: None,
        can_recognize: caller
            .decide(
                Action::Recognize,
                &Resource::NewHub {
                    jurisdiction_path: None,
                },
            )
            .is_allowed(),
    };
    match hubs::list(&s.store, &q).await {
        Ok(p) => {
            let names: std::collections::BTreeMap<&str, &str> = nodes
                .iter()
                .map(|j| (j.code.as_str(), j.name(lang)))
                .collect();
            page.rows = p
                .items
                .iter()
                .map(|h| {
                    let code = h.recognition.jurisdiction.to_string();
                    let place = names
                        .get(code.as_str())
                        .map(|n| n.to_string())
                        .unwrap_or(code);
                    hub_row(&ui, h, place)
                })
                .collect();
            let pages = p.pages().max(1);
            if p.total > 0 {
                page.summary = ui.tf(
                    "hubs.summary",
                    &[&fmt_int(p.total), &p.page.to_string(), &pages.to_string()],
                );
            }
            let mut base = String::from("/hubs?");
            for (k, val) in [
                ("kind", &q.kind),
                ("jurisdiction", &q.jurisdiction),
                ("include_revoked", &q.include_revoked),
                ("per_page", &q.per_page),
            ] {
                if let Some(x) = val.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
                    base.push_str(&format!("{k}={}&", pct(x)));
                }
            }
            if p.page > 1 {
                page.prev = Some(format!("{base}page={}", (p.page - 1).min(pages)));
            }
            if p.page < pages {
                page.next = Some(format!("{base}page={}", p.page + 1));
            }
            render(StatusCode::OK, &page)
        }
        Err(AppError::Validation(f)) => {
            page.errors = field_errors(&ui, &f);
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => error_page(&ui, &e),
    }
}

// ---------------------------------------------------------------- recognition form

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RecognitionForm {
    pub organization_id: Option<String>,
    pub kind: Option<String>,
    pub level: Option<String>,
    pub jurisdiction: Option<String>,
    pub base_body: Option<String>,
    #[serde(default)]
    pub fields: Vec<String>,
    pub recognizing_body: Option<String>,
    pub document_number: Option<String>,
    pub recognized_on: Option<String>,
    #[serde(default)]
    pub functions: Vec<String>,
}

impl RecognitionForm {
    fn input(&self) -> RecognitionInput {
        RecognitionInput {
            organization_id: self.organization_id.clone(),
            draft: RecognitionDraft {
                kind: self.kind.clone(),
                level: self.level.clone(),
                jurisdiction: self.jurisdiction.clone(),
                base_body: self.base_body.clone(),
                fields: self.fields.clone(),
                recognizing_body: self.recognizing_body.clone(),
                document_number: self.document_number.clone(),
                recognized_on: self.recognized_on.clone(),
                functions: self.functions.clone(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "hubs/hub_form.html")]
struct FormPage {
    ui: Ui,
    org_name: Option<String>,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

/// A message of this module by key, with the catalog's `'static` lifetime.
fn msg(lang: Lang, key: &str) -> &'static str {
    super::messages::MESSAGES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, zh, en)| lang.pick(zh, en))
        .unwrap_or("")
}

fn field(ui: &Ui, name: &'static str, kind: &'static str, errors: &FieldErrors) -> Field {
    let mut f = Field::new(ui, name, kind, errors);
    f.label = msg(ui.lang, &format!("hubs.f.{name}"));
    f
}

/// Labels of a form's errors in this capability's words.
fn hub_summary(ui: &Ui, errors: &FieldErrors, order: &[&str]) -> Vec<SummaryItem> {
    let mut keys: Vec<&String> = errors.0.keys().collect();
    keys.sort_by_key(|k| order.iter().position(|f| f == k).unwrap_or(usize::MAX));
    keys.into_iter()
        .map(|k| SummaryItem {
            name: k.clone(),
            label: msg(ui.lang, &format!("hubs.f.{k}")).to_string(),
            message: errors.0[k].message(ui.lang).to_string(),
        })
        .collect()
}

async fn form_page(
    s: &AppState,
    ui: &Ui,
    form: &RecognitionForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let nodes = match tree(&s.store, Level::Street).await {
        Ok(t) => t,
        Err(e) => return error_page(ui, &e),
    };
    let lang = ui.lang;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let org_name = match form
        .organization_id
        .as_deref()
        .and_then(|x| Uuid::parse_str(x.trim()).ok())
    {
        Some(id) => s
            .store
            .organization(id)
            .await
            .ok()
            .flatten()
            .map(|o| o.data.name),
        None => None,
    };
    let f = |name, kind| field(ui, name, kind, errors);
    let checks = |all: Vec<(&'static str, &'static str)>, chosen: &[String]| -> Vec<Opt> {
        all.into_iter()
            .map(|(c, l)| Opt::new(c, l, chosen.iter().any(|x| x.trim() == c)))
            .collect()
    };
    let mut date = f("recognized_on", "input")
        .value(&form.recognized_on)
        .required();
    let typed = v(&form.recognized_on);
    if typed.trim().is_empty()
        || chrono::NaiveDate::parse_from_str(typed.trim(), "%Y-%m-%d").is_ok()
    {
        date.input_type = "date";
    }
    date.max = today().to_string();
    let fields = vec![
        f("organization_id", "input")
            .value(&form.organization_id)
            .required()
            .wide()
            .hint(ui.t("hubs.hint.organization_id")),
        f("kind", "radios").required().options(options(
            HubKind::ALL,
            HubKind::as_str,
            |x| x.label(lang).into(),
            &v(&form.kind),
            None,
        )),
        f("level", "select").required().options(options(
            HubLevel::ALL,
            HubLevel::as_str,
            |x| x.label(lang).into(),
            &v(&form.level),
            Some(ui.t("form.choose")),
        )),
        f("jurisdiction", "select")
            .required()
            .hint(ui.t("hubs.hint.jurisdiction"))
            .options(jurisdiction_options(
                &nodes,
                lang,
                &v(&form.jurisdiction),
                ui.t("form.choose"),
            )),
        f("base_body", "input")
            .value(&form.base_body)
            .wide()
            .hint(ui.t("hubs.hint.base_body")),
        f("fields", "checks")
            .wide()
            .hint(ui.t("hubs.hint.fields"))
            .options(checks(
                ServiceDomain::ALL
                    .iter()
                    .map(|d| (d.as_str(), d.label(lang)))
                    .collect(),
                &form.fields,
            )),
        f("recognizing_body", "input")
            .value(&form.recognizing_body)
            .required(),
        f("document_number", "input")
            .value(&form.document_number)
            .required(),
        date,
        f("functions", "checks").required().wide().options(checks(
            HubFunction::ALL
                .iter()
                .map(|d| (d.as_str(), d.label(lang)))
                .collect(),
            &form.functions,
        )),
    ];
    let page = FormPage {
        ui: ui.clone(),
        org_name,
        fields,
        summary: hub_summary(ui, errors, shuniu_domain::hubs::RECOGNITION_FIELDS),
    };
    render(status, &page)
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    pub organization: Option<String>,
}

/// `GET /hubs/new?organization=<id>`
pub async fn new(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    q: Result<Query<NewQuery>, QueryRejection>,
) -> Response {
    let ui = ui.with_nav("hubs");
    if let Err(e) = caller.require(
        Action::Recognize,
        &Resource::NewHub {
            jurisdiction_path: None,
        },
    ) {
        return error_page(&ui, &e);
    }
    let org = q.ok().and_then(|Query(q)| q.organization);
    let mut form = RecognitionForm {
        organization_id: org,
        recognized_on: Some(today().to_string()),
        functions: HubFunction::ALL.iter().map(|f| f.as_str().into()).collect(),
        ..Default::default()
    };
    // Prefill the place from the organization's own registration.
    if let Some(id) = form
        .organization_id
        .as_deref()
        .and_then(|x| Uuid::parse_str(x.trim()).ok())
        && let Ok(Some(o)) = s.store.organization(id).await
    {
        form.jurisdiction = Some(o.data.jurisdiction.to_string());
    }
    form_page(&s, &ui, &form, &FieldErrors::new(), StatusCode::OK).await
}

/// `POST /hubs` (form): 303 to the new hub, or the form again with every error.
pub async fn create(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    form: Result<CsrfForm<RecognitionForm>, ()>,
) -> Response {
    let ui = ui.with_nav("hubs").at("/hubs/new");
    let Ok(CsrfForm(form, token)) = form else {
        return error_page(&ui, &AppError::BadRequest("form".into()));
    };
    if let Err(e) = check_csrf(&caller, token.as_deref()) {
        return error_page(&ui, &e);
    }
    match hubs::recognize(&s.store, &form.input(), FieldErrors::new(), &caller).await {
        Ok(h) => see_other(&format!("/hubs/{}", h.id)),
        Err(AppError::Validation(f)) => {
            form_page(&s, &ui, &form, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ui, &e),
    }
}

// ---------------------------------------------------------------- detail

pub struct Fact {
    pub label: &'static str,
    pub value: String,
    pub href: Option<String>,
    pub tags: Vec<&'static str>,
}

impl Fact {
    fn text(label: &'static str, value: impl Into<String>) -> Self {
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

#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    pub status: Option<String>,
    pub page: Option<String>,
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
struct DetailPage {
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
    status_filter: Vec<Opt>,
    prev: Option<String>,
    next: Option<String>,
    can_manage: bool,
    pending: Vec<PendingRow>,
    add_fields: Vec<Field>,
    add_summary: Vec<SummaryItem>,
    can_revoke: bool,
    revoke_fields: Vec<Field>,
    revoke_summary: Vec<SummaryItem>,
}

struct DetailState<'a> {
    add: &'a MemberForm,
    add_errors: &'a FieldErrors,
    revoke: &'a RevokeForm,
    revoke_errors: &'a FieldErrors,
}

async fn detail_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: &str,
    q: &DetailQuery,
    st: DetailState<'_>,
) -> Result<DetailPage, AppError> {
    let id = parse_id(id)?;
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
    let mut fields = Fact::text(ui.t("hubs.f.fields"), "");
    fields.tags = labels(lang, &r.fields(), ServiceDomain::label);
    let mut functions = Fact::text(ui.t("hubs.f.functions"), "");
    functions.tags = labels(lang, &r.functions(), HubFunction::label);
    let mut jur = Fact::text(ui.t("hubs.f.jurisdiction"), place);
    jur.href = Some(format!("/jurisdictions/{code}"));
    let mut facts = vec![
        Fact::text(ui.t("hubs.f.kind"), r.kind.label(lang)),
        Fact::text(ui.t("hubs.f.level"), r.level.label(lang)),
        jur,
    ];
    if r.kind == HubKind::Industry {
        facts.push(Fact::text(ui.t("hubs.f.base_body"), r.base_body.clone()));
        facts.push(fields);
    }
    facts.extend([
        Fact::text(ui.t("hubs.f.recognizing_body"), r.recognizing_body.clone()),
        Fact::text(ui.t("hubs.f.document_number"), r.document_number.clone()),
        Fact::text(ui.t("hubs.f.recognized_on"), r.recognized_on.to_string()),
        functions,
        Fact::text(ui.t("hubs.col.members"), fmt_int(hub.member_count)),
    ]);
    let notice = (hub.status == HubStatus::Revoked).then(|| {
        ui.tf(
            "hubs.revoked_notice",
            &[
                &hub.revoked_on.map(|d| d.to_string()).unwrap_or_default(),
                hub.revoke_reason.as_deref().unwrap_or("—"),
            ],
        )
    });
    let sees_all = hubs::sees_all_members(caller, &hub);
    let status_q = if sees_all { q.status.clone() } else { None };
    let page = hubs::members(&s.store, caller, &hub, &status_q, &q.page, &None).await?;
    let members = page
        .items
        .iter()
        .map(|m| MemberRow {
            org_href: format!("/organizations/{}", m.organization_id),
            name: m.organization_name.clone(),
            initiating: m.initiating,
            status: m.status.label(lang),
            status_class: status_class(m.status),
            applied_on: m.applied_on.to_string(),
            decided_on: m.decided_on.map(|d| d.to_string()).unwrap_or_default(),
            href: hubs::may_membership(caller, Action::Read, &hub, m.organization_id)
                .then(|| format!("/memberships/{}", m.id)),
        })
        .collect();
    let pages = page.pages().max(1);
    let members_summary = ui.tf(
        "hubs.members_summary",
        &[
            &fmt_int(page.total),
            &page.page.to_string(),
            &pages.to_string(),
        ],
    );
    let mut base = format!("/hubs/{}?", hub.id);
    if let Some(st) = status_q.as_deref().filter(|x| !x.trim().is_empty()) {
        base.push_str(&format!("status={}&", pct(st.trim())));
    }
    let prev = (page.page > 1).then(|| format!("{base}page={}#members", page.page - 1));
    let next = (page.page < pages).then(|| format!("{base}page={}#members", page.page + 1));
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
                applied_on: m.applied_on.to_string(),
            })
            .collect()
    } else {
        vec![]
    };
    let mut org_field =
        field(ui, "member_org", "input", st.add_errors).value(&st.add.organization_id);
    org_field.name = "organization_id";
    if let Some(e) = st
        .add_errors
        .get("organization_id")
        .or(st.add_errors.get("hub"))
    {
        org_field.error = Some(e.message(lang).to_string());
    }
    let mut ini = field(ui, "initiating", "checks", st.add_errors);
    ini.options = vec![Opt::new(
        "on",
        ui.t("hubs.f.initiating"),
        st.add.initiating.is_some(),
    )];
    let add_fields = vec![org_field.required().wide(), ini];
    let add_summary = hub_summary(ui, st.add_errors, &["organization_id", "hub", "initiating"])
        .into_iter()
        .map(|mut i| {
            if i.name == "hub" || i.name == "organization_id" {
                i.name = "organization_id".into();
                i.label = ui.t("hubs.f.member_org").into();
            }
            i
        })
        .collect();
    let can_revoke =
        hub.status == HubStatus::Recognized && hubs::decide_hub(caller, Action::Recognize, &hub);
    let mut on = field(ui, "revoked_on", "input", st.revoke_errors).value(&st.revoke.revoked_on);
    on.input_type = "date";
    on.max = today().to_string();
    let revoke_fields = vec![
        field(ui, "reason", "textarea", st.revoke_errors)
            .value(&st.revoke.reason)
            .required()
            .wide(),
        on,
    ];
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
        status_filter,
        prev,
        next,
        can_manage,
        pending,
        add_fields,
        add_summary,
        can_revoke,
        revoke_fields,
        revoke_summary: hub_summary(ui, st.revoke_errors, &["reason", "revoked_on"]),
    })
}

pub async fn detail(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    q: Result<Query<DetailQuery>, QueryRejection>,
) -> Response {
    let ui = ui.with_nav("hubs");
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let st = DetailState {
        add: &MemberForm::default(),
        add_errors: &FieldErrors::new(),
        revoke: &RevokeForm::default(),
        revoke_errors: &FieldErrors::new(),
    };
    match detail_page(&s, &ui, &caller, &id, &q, st).await {
        Ok(p) => render(StatusCode::OK, &p),
        Err(e) => error_page(&ui, &e),
    }
}

/// The hub page again with a form's errors (422), or the error page.
async fn detail_again(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: &str,
    st: DetailState<'_>,
    err: AppError,
) -> Response {
    if !matches!(err, AppError::Validation(_)) {
        return error_page(ui, &err);
    }
    match detail_page(s, ui, caller, id, &DetailQuery::default(), st).await {
        Ok(p) => render(StatusCode::UNPROCESSABLE_ENTITY, &p),
        Err(e) => error_page(ui, &e),
    }
}

/// `POST /hubs/{id}/revoke`
pub async fn revoke(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<CsrfForm<RevokeForm>, ()>,
) -> Response {
    let ui = ui.with_nav("hubs").at(format!("/hubs/{id}"));
    let Ok(CsrfForm(form, token)) = form else {
        return error_page(&ui, &AppError::BadRequest("form".into()));
    };
    if let Err(e) = check_csrf(&caller, token.as_deref()) {
        return error_page(&ui, &e);
    }
    let uuid = match parse_id(&id) {
        Ok(u) => u,
        Err(e) => return error_page(&ui, &e),
    };
    match hubs::revoke(&s.store, uuid, &form.reason, &form.revoked_on, &caller).await {
        Ok(h) => see_other(&format!("/hubs/{}", h.id)),
        Err(AppError::Validation(f)) => {
            let st = DetailState {
                add: &MemberForm::default(),
                add_errors: &FieldErrors::new(),
                revoke: &form,
                revoke_errors: &f,
            };
            detail_again(&s, &ui, &caller, &id, st, AppError::Validation(f.clone())).await
        }
        Err(e) => error_page(&ui, &e),
    }
}

/// `POST /hubs/{id}/members` (hub side adds a member)
pub async fn add_member(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<CsrfForm<MemberForm>, ()>,
) -> Response {
    let ui = ui.with_nav("hubs").at(format!("/hubs/{id}"));
    let Ok(CsrfForm(form, token)) = form else {
        return error_page(&ui, &AppError::BadRequest("form".into()));
    };
    if let Err(e) = check_csrf(&caller, token.as_deref()) {
        return error_page(&ui, &e);
    }
    let uuid = match parse_id(&id) {
        Ok(u) => u,
        Err(e) => return error_page(&ui, &e),
    };
    let initiating = form.initiating.is_some();
    match hubs::add_member(&s.store, uuid, &form.organization_id, initiating, &caller).await {
        Ok(_) => see_other(&format!("/hubs/{uuid}#members")),
        Err(AppError::Validation(f)) => {
            let st = DetailState {
                add: &form,
                add_errors: &f,
                revoke: &RevokeForm::default(),
                revoke_errors: &FieldErrors::new(),
            };
            detail_again(&s, &ui, &caller, &id, st, AppError::Validation(f.clone())).await
        }
        Err(e) => error_page(&ui, &e),
    }
}

/// `POST /hubs/{id}/applications` (an organization applies; from its page)
pub async fn apply(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<CsrfForm<MemberForm>, ()>,
) -> Response {
    let ui = ui.with_nav("orgs");
    let Ok(CsrfForm(form, token)) = form else {
        return error_page(&ui, &AppError::BadRequest("form".into()));
    };
    if let Err(e) = check_csrf(&caller, token.as_deref()) {
        return error_page(&ui, &e);
    }
    let uuid = match parse_id(&id) {
        Ok(u) => u,
        Err(e) => return error_page(&ui, &e),
    };
    match hubs::apply(&s.store, uuid, &form.organization_id, &caller).await {
        Ok(m) => see_other(&format!("/organizations/{}#memberships", m.organization_id)),
        Err(e) => error_page(&ui, &e),
    }
}

// ---------------------------------------------------------------- membership

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
struct MembershipPage {
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

fn event_label(ui: &Ui, action: &str) -> String {
    match action {
        "apply" | "add" | "initiating" | "hub_revoked" => {
            msg(ui.lang, &format!("membership.ev.{action}")).to_string()
        }
        a => MembershipAction::parse(a)
            .map(|x| x.label(ui.lang).to_string())
            .unwrap_or_else(|| a.to_string()),
    }
}

async fn membership_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: &str,
    form: &DecisionForm,
    errors: &FieldErrors,
) -> Result<MembershipPage, AppError> {
    let uuid = parse_id(id)?;
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
    let date = |d: Option<chrono::NaiveDate>| d.map(|x| x.to_string()).unwrap_or_default();
    let facts = vec![
        Fact::text(ui.t("hubs.col.kind"), m.hub_kind.label(lang)),
        Fact::text(ui.t("hubs.col.applied_on"), m.applied_on.to_string()),
        Fact::text(ui.t("hubs.col.decided_on"), date(m.decided_on)),
        Fact::text(ui.t("hubs.f.reason"), m.reason.clone().unwrap_or_default()),
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
    Path(id): Path<String>,
) -> Response {
    let ui = ui.with_nav("hubs");
    match membership_page(
        &s,
        &ui,
        &caller,
        &id,
        &DecisionForm::default(),
        &FieldErrors::new(),
    )
    .await
    {
        Ok(p) => render(StatusCode::OK, &p),
        Err(e) => error_page(&ui, &e),
    }
}

/// `POST /memberships/{id}/decision`
pub async fn decide(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<CsrfForm<DecisionForm>, ()>,
) -> Response {
    let ui = ui.with_nav("hubs").at(format!("/memberships/{id}"));
    let Ok(CsrfForm(form, token)) = form else {
        return error_page(&ui, &AppError::BadRequest("form".into()));
    };
    if let Err(e) = check_csrf(&caller, token.as_deref()) {
        return error_page(&ui, &e);
    }
    let uuid = match parse_id(&id) {
        Ok(u) => u,
        Err(e) => return error_page(&ui, &e),
    };
    let r = hubs::decide(
        &s.store,
        uuid,
        form.action.as_deref(),
        form.reason.as_deref(),
        &caller,
    )
    .await;
    match r {
        Ok(m) if form.back.as_deref() == Some("hub") => see_other(&format!("/hubs/{}", m.hub_id)),
        Ok(m) => see_other(&format!("/memberships/{}", m.id)),
        Err(AppError::Validation(f)) => {
            match membership_page(&s, &ui, &caller, &id, &form, &f).await {
                Ok(p) => render(StatusCode::UNPROCESSABLE_ENTITY, &p),
                Err(e) => error_page(&ui, &e),
            }
        }
        Err(e) => error_page(&ui, &e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct InitiatingForm {
    pub initiating: Option<String>,
}

/// `POST /memberships/{id}/initiating`
pub async fn initiating(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<CsrfForm<InitiatingForm>, ()>,
) -> Response {
    let ui = ui.with_nav("hubs").at(format!("/memberships/{id}"));
    let Ok(CsrfForm(form, token)) = form else {
        return error_page(&ui, &AppError::BadRequest("form".into()));
    };
    if let Err(e) = check_csrf(&caller, token.as_deref()) {
        return error_page(&ui, &e);
    }
    let uuid = match parse_id(&id) {
        Ok(u) => u,
        Err(e) => return error_page(&ui, &e),
    };
    let flag = matches!(form.initiating.as_deref(), Some("true" | "on" | "1"));
    match hubs::set_initiating(&s.store, uuid, flag, &caller).await {
        Ok(m) => see_other(&format!("/memberships/{}", m.id)),
        Err(e) => error_page(&ui, &e),
    }
}

// ---------------------------------------------------------------- structure

/// A text of the diagram (askama escapes it).
pub struct SvgText {
    pub x: i32,
    pub y: i32,
    pub text: String,
    pub size: u32,
    pub bold: bool,
    pub anchor: &'static str,
    pub fill: &'static str,
}

pub struct SvgLine {
    pub x1: i32,
    pub y1: i32,
    pub x2: i32,
    pub y2: i32,
}

/// A linked node: an optional box and its texts.
pub struct SvgNode {
    pub href: String,
    pub label: String,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    pub fill: &'static str,
    pub stroke: &'static str,
    pub texts: Vec<SvgText>,
}

pub struct Diagram {
    pub width: i32,
    pub height: i32,
    pub title: String,
    pub lines: Vec<SvgLine>,
    pub labels: Vec<SvgText>,
    pub nodes: Vec<SvgNode>,
}

/// Roughly how wide `s` is at `size` px: CJK glyphs are square, others about half.
fn text_width(s: &str, size: u32) -> f32 {
    s.chars()
        .map(|c| if (c as u32) < 0x2E80 { 0.58 } else { 1.0 })
        .sum::<f32>()
        * size as f32
}

/// `s` cut with an ellipsis to fit `max` px at `size` px (the full text is in the node's title).
fn fit(s: &str, max: i32, size: u32) -> String {
    if text_width(s, size) <= max as f32 {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        let mut next = out.clone();
        next.push(c);
        next.push('…');
        if text_width(&next, size) > max as f32 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn t(x: i32, y: i32, text: String, size: u32) -> SvgText {
    SvgText {
        x,
        y,
        text,
        size,
        bold: false,
        anchor: "middle",
        fill: "#1f2933",
    }
}

const W: i32 = 480;
const MARGIN: i32 = 12;
const GAP: i32 = 24;
const CELL_W: i32 = (W - 2 * MARGIN - GAP) / 2;
const CELL_H: i32 = 84;
const ROW_GAP: i32 = 28;
const IND_W: i32 = 360;
const IND_H: i32 = 62;
const IND_GAP: i32 = 18;

/// One cell of the horizontal axis: a place and its regional hub.
struct AxisItem {
    place: String,
    place_href: String,
    hub: Option<(Uuid, String, i64)>,
    organizations: Option<i64>,
}

/// 一核两轴 as positioned shapes: the core on top, the streets' regional hubs on the
/// horizontal axis (two per row, as many rows as needed), the industry hubs stacked
/// on the vertical axis below. Positions are computed, so any number of streets and
/// industry hubs fits; the viewBox keeps it legible on a phone.
fn district_diagram(ui: &Ui, d: &DistrictStructure) -> Diagram {
    let lang = ui.lang;
    let mut lines = Vec::new();
    let mut labels = Vec::new();
    let mut nodes = Vec::new();
    let district = d.district.name(lang).to_string();
    // The core.
    let core_name = d
        .core
        .as_ref()
        .map(|c| lang.pick(&c.name_zh, &c.name_en).to_string())
        .unwrap_or_else(|| ui.t("structure.no_core").to_string());
    let (cw, ch, cy) = (340, 62, 12);
    let mut core_title = t(W / 2, cy + 24, fit(ui.t("structure.core"), cw - 20, 12), 12);
    core_title.fill = "#fff";
    let mut core_text = t(W / 2, cy + 47, fit(&core_name, cw - 20, 16), 16);
    core_text.bold = true;
    core_text.fill = "#fff";
    nodes.push(SvgNode {
        href: format!("/hubs?jurisdiction={}", d.district.code),
        label: format!("{} · {}", ui.t("structure.core"), core_name),
        x: (W - cw) / 2,
        y: cy,
        w: cw,
        h: ch,
        fill: "#b3261e",
        stroke: "#8c1d17",
        texts: vec![core_title, core_text],
    });
    // The horizontal axis.
    let mut items: Vec<AxisItem> = d
        .district_hubs
        .iter()
        .map(|h| AxisItem {
            place: district.clone(),
            place_href: format!("/hubs/{}", h.id),
            hub: Some((h.id, h.organization_name.clone(), h.member_count)),
            organizations: None,
        })
        .collect();
    items.extend(d.streets.iter().map(|s| {
        AxisItem {
            place: s.street.name(lang).to_string(),
            place_href: format!("/structure/{}", s.street.code),
            hub: s
                .hub
                .as_ref()
                .map(|h| (h.id, h.organization_name.clone(), h.member_count)),
            organizations: Some(s.organizations),
        }
    }));
    let mut y = cy + ch + 34;
    let mut h_label = t(MARGIN, y, ui.t("structure.h_axis").to_string(), 13);
    h_label.anchor = "start";
    h_label.bold = true;
    labels.push(h_label);
    y += 22;
    let trunk_top = cy + ch;
    let rows = items.len().div_ceil(2);
    for (r, chunk) in items.chunks(2).enumerate() {
        let row_y = y + r as i32 * (CELL_H + ROW_GAP);
        let bus_y = row_y - 12;
        let centres: Vec<i32> = (0..chunk.len())
            .map(|c| MARGIN + c as i32 * (CELL_W + GAP) + CELL_W / 2)
            .collect();
        let left = centres[0].min(W / 2);
        let right = (*centres.last().unwrap_or(&(W / 2))).max(W / 2);
        lines.push(SvgLine {
            x1: left,
            y1: bus_y,
            x2: right,
            y2: bus_y,
        });
        for (c, item) in chunk.iter().enumerate() {
            let x = MARGIN + c as i32 * (CELL_W + GAP);
            let cx = centres[c];
            lines.push(SvgLine {
                x1: cx,
                y1: bus_y,
                x2: cx,
                y2: row_y,
            });
            let mut name = t(cx, row_y + 24, fit(&item.place, CELL_W - 16, 15), 15);
            name.bold = true;
            nodes.push(SvgNode {
                href: item.place_href.clone(),
                label: item.place.clone(),
                x,
                y: row_y,
                w: CELL_W,
                h: CELL_H,
                fill: "#eef4fb",
                stroke: "#0b5cad",
                texts: vec![name],
            });
            match &item.hub {
                Some((id, hub_name, members)) => {
                    let count = match item.organizations {
                        Some(o) => {
                            ui.tf("structure.members_orgs", &[&fmt_int(*members), &fmt_int(o)])
                        }
                        None => ui.tf("structure.members_n", &[&fmt_int(*members)]),
                    };
                    let mut hub_text = t(cx, row_y + 48, fit(hub_name, CELL_W - 16, 13), 13);
                    hub_text.fill = "#0b5cad";
                    // The lower part of the cell is the hub's: a transparent rect
                    // takes the clicks between and around its two lines of text.
                    nodes.push(SvgNode {
                        href: format!("/hubs/{id}"),
                        label: format!("{hub_name} · {count}"),
                        x: x + 4,
                        y: row_y + 32,
                        w: CELL_W - 8,
                        h: CELL_H - 36,
                        fill: "transparent",
                        stroke: "none",
                        texts: vec![hub_text, t(cx, row_y + 70, count, 13)],
                    });
                }
                None => {
                    let mut none = t(cx, row_y + 52, ui.t("structure.no_hub").to_string(), 13);
                    none.fill = "#616e7c";
                    let orgs = ui.tf(
                        "structure.orgs_n",
                        &[&fmt_int(item.organizations.unwrap_or(0))],
                    );
                    nodes.push(SvgNode {
                        href: item.place_href.clone(),
                        label: format!("{} · {}", item.place, orgs),
                        x: 0,
                        y: 0,
                        w: 0,
                        h: 0,
                        fill: "none",
                        stroke: "none",
                        texts: vec![none, t(cx, row_y + 72, orgs, 12)],
                    });
                }
            }
        }
    }
    y += rows as i32 * (CELL_H + ROW_GAP) + 8;
    // The vertical axis.
    let mut v_label = t(MARGIN, y, ui.t("structure.v_axis").to_string(), 13);
    v_label.anchor = "start";
    v_label.bold = true;
    labels.push(v_label);
    y += 22;
    let x = (W - IND_W) / 2;
    if d.industry.is_empty() {
        let mut none = t(W / 2, y + 20, ui.t("structure.no_industry").to_string(), 13);
        none.fill = "#616e7c";
        labels.push(none);
        y += 32;
    }
    for h in &d.industry {
        let mut name = t(W / 2, y + 25, fit(&h.organization_name, IND_W - 16, 15), 15);
        name.bold = true;
        let sub = ui.tf(
            "structure.base_members",
            &[&h.recognition.base_body, &fmt_int(h.member_count)],
        );
        nodes.push(SvgNode {
            href: format!("/hubs/{}", h.id),
            label: format!("{} · {sub}", h.organization_name),
            x,
            y,
            w: IND_W,
            h: IND_H,
            fill: "#fdf3df",
            stroke: "#7a4b00",
            texts: vec![name, t(W / 2, y + 48, fit(&sub, IND_W - 16, 13), 13)],
        });
        y += IND_H + IND_GAP;
    }
    // The trunk from the core down through both axes (drawn first, under the boxes).
    lines.insert(
        0,
        SvgLine {
            x1: W / 2,
            y1: trunk_top,
            x2: W / 2,
            y2: (y - IND_GAP).max(trunk_top + 40),
        },
    );
    Diagram {
        width: W,
        height: y + MARGIN,
        title: ui.tf("structure.district_title", &[&district]),
        lines,
        labels,
        nodes,
    }
}

pub struct StreetRow {
    pub href: String,
    pub place: String,
    pub hub_href: Option<String>,
    pub hub: String,
    pub members: String,
    pub organizations: String,
}

pub struct IndustryRow {
    pub href: String,
    pub name: String,
    pub base_body: String,
    pub fields: String,
    pub members: String,
}

#[derive(Template)]
#[template(path = "hubs/structure_district.html")]
struct DistrictPage {
    ui: Ui,
    code: String,
    name: String,
    diagram: Diagram,
    core: String,
    streets: Vec<StreetRow>,
    industry: Vec<IndustryRow>,
    organizations: String,
    can_set_core: bool,
    core_fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

pub struct VenueRow {
    pub href: String,
    pub name: String,
    pub address: String,
    pub area: String,
}

pub struct XRow {
    pub href: String,
    pub name: String,
    pub initiating: bool,
}

#[derive(Template)]
#[template(path = "hubs/structure_street.html")]
struct StreetPage {
    ui: Ui,
    title: String,
    name: String,
    district_href: Option<String>,
    venues: Vec<VenueRow>,
    hub_href: Option<String>,
    hub_name: String,
    hub_members: String,
    members: Vec<XRow>,
    organizations: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct CoreForm {
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
}

fn district_page(
    ui: &Ui,
    caller: &Caller,
    d: &DistrictStructure,
    form: &CoreForm,
    errors: &FieldErrors,
) -> DistrictPage {
    let lang = ui.lang;
    let mut streets: Vec<StreetRow> = d
        .district_hubs
        .iter()
        .map(|h| StreetRow {
            href: format!("/jurisdictions/{}", d.district.code),
            place: format!(
                "{} ({})",
                d.district.name(lang),
                ui.t("structure.district_level")
            ),
            hub_href: Some(format!("/hubs/{}", h.id)),
            hub: h.organization_name.clone(),
            members: fmt_int(h.member_count),
            organizations: fmt_int(d.organizations),
        })
        .collect();
    streets.extend(d.streets.iter().map(|s| {
        StreetRow {
            href: format!("/structure/{}", s.street.code),
            place: s.street.name(lang).to_string(),
            hub_href: s.hub.as_ref().map(|h| format!("/hubs/{}", h.id)),
            hub: s
                .hub
                .as_ref()
                .map(|h| h.organization_name.clone())
                .unwrap_or_else(|| ui.t("structure.no_hub").to_string()),
            members: s
                .hub
                .as_ref()
                .map(|h| fmt_int(h.member_count))
                .unwrap_or_else(|| "—".into()),
            organizations: fmt_int(s.organizations),
        }
    }));
    let industry = d
        .industry
        .iter()
        .map(|h| IndustryRow {
            href: format!("/hubs/{}", h.id),
            name: h.organization_name.clone(),
            base_body: h.recognition.base_body.clone(),
            fields: labels(lang, &h.recognition.fields(), ServiceDomain::label)
                .join(lang.pick("、", ", ")),
            members: fmt_int(h.member_count),
        })
        .collect();
    let path = &d.district.path;
    let can_set_core = caller
        .decide(
            Action::Recognize,
            &Resource::NewHub {
                jurisdiction_path: Some(path),
            },
        )
        .is_allowed();
    let (zh, en) = match (&form.name_zh, &form.name_en, &d.core) {
        (None, None, Some(c)) => (Some(c.name_zh.clone()), Some(c.name_en.clone())),
        _ => (form.name_zh.clone(), form.name_en.clone()),
    };
    DistrictPage {
        ui: ui.clone(),
        code: d.district.code.to_string(),
        name: d.district.name(lang).to_string(),
        diagram: district_diagram(ui, d),
        core: d
            .core
            .as_ref()
            .map(|c| lang.pick(&c.name_zh, &c.name_en).to_string())
            .unwrap_or_else(|| ui.t("structure.no_core").to_string()),
        streets,
        industry,
        organizations: ui.tf("structure.organizations", &[&fmt_int(d.organizations)]),
        can_set_core,
        core_fields: vec![
            field(ui, "name_zh", "input", errors).value(&zh).required(),
            field(ui, "name_en", "input", errors).value(&en).required(),
        ],
        summary: hub_summary(ui, errors, &["name_zh", "name_en"]),
    }
}

fn street_page(ui: &Ui, s: &StreetStructure) -> StreetPage {
    let lang = ui.lang;
    StreetPage {
        ui: ui.clone(),
        title: ui.tf("structure.street_title", &[s.street.name(lang)]),
        name: s.street.name(lang).to_string(),
        district_href: s.street.parent.as_ref().map(|p| format!("/structure/{p}")),
        venues: s
            .venues
            .iter()
            .map(|v| VenueRow {
                href: format!("/venues/{}", v.id),
                name: v.data.name.clone(),
                address: v.data.address.clone(),
                area: ui.tf("structure.area", &[&fmt_int(v.data.area_m2.into())]),
            })
            .collect(),
        hub_href: s.hub.as_ref().map(|h| format!("/hubs/{}", h.id)),
        hub_name: s
            .hub
            .as_ref()
            .map(|h| h.organization_name.clone())
            .unwrap_or_else(|| ui.t("structure.no_hub").to_string()),
        hub_members: s
            .hub
            .as_ref()
            .map(|h| ui.tf("structure.members_n", &[&fmt_int(h.member_count)]))
            .unwrap_or_default(),
        members: s
            .members
            .iter()
            .map(|m| XRow {
                href: format!("/organizations/{}", m.organization_id),
                name: m.organization_name.clone(),
                initiating: m.initiating,
            })
            .collect(),
        organizations: ui.tf("structure.street_orgs", &[&fmt_int(s.organizations)]),
    }
}

/// `GET /structure/{code}`: a district's 一核两轴 or a street's 1+1+X.
pub async fn structure(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(code): Path<String>,
) -> Response {
    let ui = ui.with_nav("hubs");
    match hubs::structure(&s.store, code.trim()).await {
        Ok(Structure::District(d)) => render(
            StatusCode::OK,
            &district_page(&ui, &caller, &d, &CoreForm::default(), &FieldErrors::new()),
        ),
        Ok(Structure::Street(st)) => render(StatusCode::OK, &street_page(&ui, &st)),
        Err(e) => error_page(&ui, &e),
    }
}

/// `POST /structure/{code}/core`
pub async fn set_core(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(code): Path<String>,
    form: Result<CsrfForm<CoreForm>, ()>,
) -> Response {
    let ui = ui.with_nav("hubs").at(format!("/structure/{code}"));
    let Ok(CsrfForm(form, token)) = form else {
        return error_page(&ui, &AppError::BadRequest("form".into()));
    };
    if let Err(e) = check_csrf(&caller, token.as_deref()) {
        return error_page(&ui, &e);
    }
    let code = code.trim().to_string();
    match hubs::set_core(&s.store, &code, &form.name_zh, &form.name_en, &caller).await {
        Ok(_) => see_other(&format!("/structure/{code}")),
        Err(AppError::Validation(f)) => match hubs::structure(&s.store, &code).await {
            Ok(Structure::District(d)) => render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &district_page(&ui, &caller, &d, &form, &f),
            ),
            Ok(_) => error_page(&ui, &AppError::NotFound),
            Err(e) => error_page(&ui, &e),
        },
        Err(e) => error_page(&ui, &e),
    }
}

// ---------------------------------------------------------------- organization page

/// A membership on an organization's page.
pub struct OrgMembershipRow {
    pub hub_href: String,
    pub hub_name: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub status_class: &'static str,
    pub initiating: bool,
    pub since: String,
    pub href: Option<String>,
}

pub struct JoinRow {
    pub hub_id: String,
    pub name: String,
    pub kind: &'static str,
}

/// The "Hub memberships" section of an organization's page.
pub struct OrgHubSection {
    pub memberships: Vec<OrgMembershipRow>,
    pub can_apply: bool,
    pub joinable: Vec<JoinRow>,
    /// The organization's own recognition, if it is a hub.
    pub own_hub: Option<(String, String)>,
    pub can_recognize: bool,
}

#[derive(Template)]
#[template(path = "hubs/org_section.html")]
struct OrgSectionPage<'a> {
    ui: &'a Ui,
    id: String,
    hubs: OrgHubSection,
}

/// The "Hub memberships" section of an organization's page, rendered
/// (`Capability::org_sections`).
pub fn org_section<'a>(
    s: &'a AppState,
    ui: &'a Ui,
    caller: &'a Caller,
    org: &'a shuniu_domain::registry::Organization,
    org_path: &'a str,
) -> crate::kit::capability::SectionFuture<'a> {
    Box::pin(async move {
        let hubs = org_hub_section(s, ui, caller, org, org_path).await?;
        let page = OrgSectionPage {
            ui,
            id: org.id.to_string(),
            hubs,
        };
        page.render()
            .map_err(|e| AppError::Internal(format!("template failed to render: {e}")))
    })
}

async fn org_hub_section(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    org: &shuniu_domain::registry::Organization,
    org_path: &str,
) -> Result<OrgHubSection, AppError> {
    let lang = ui.lang;
    let ms = hubs::memberships_of(&s.store, caller, org.id).await?;
    let memberships = ms
        .iter()
        .map(|(m, h)| OrgMembershipRow {
            hub_href: format!("/hubs/{}", m.hub_id),
            hub_name: m.hub_name.clone(),
            kind: m.hub_kind.label(lang),
            status: m.status.label(lang),
            status_class: status_class(m.status),
            initiating: m.initiating,
            since: m.decided_on.unwrap_or(m.applied_on).to_string(),
            href: hubs::may_membership(caller, Action::Read, h, m.organization_id)
                .then(|| format!("/memberships/{}", m.id)),
        })
        .collect();
    // Own staff (and admins) apply for the organization; a nil hub is no hub's.
    let can_apply = caller.user.is_some()
        && org.status != shuniu_domain::registry::OrgStatus::Deregistered
        && caller
            .decide(
                Action::Apply,
                &Resource::Membership {
                    hub_organization_id: Uuid::nil(),
                    hub_path: "",
                    member_id: org.id,
                },
            )
            .is_allowed();
    let joinable = if can_apply {
        hubs::joinable_hubs(&s.store, org, org_path, &ms)
            .await?
            .iter()
            .map(|h| JoinRow {
                hub_id: h.id.to_string(),
                name: h.organization_name.clone(),
                kind: h.recognition.kind.label(lang),
            })
            .collect()
    } else {
        vec![]
    };
    let own_hub = s.store.hub_of_organization(org.id).await?.map(|h| {
        (
            format!("/hubs/{}", h.id),
            h.recognition.kind.label(lang).to_string(),
        )
    });
    let can_recognize = own_hub.is_none()
        && caller
            .decide(
                Action::Recognize,
                &Resource::NewHub {
                    jurisdiction_path: Some(org_path),
                },
            )
            .is_allowed();
    Ok(OrgHubSection {
        memberships,
        can_apply,
        joinable,
        own_hub,
        can_recognize,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_to_fit() {
        let s = "梅园新村街道社会组织发展促进会";
        let cut = fit(s, 120, 15);
        assert!(cut.ends_with('…'));
        assert!(text_width(&cut, 15) <= 120.0);
        assert_eq!(fit("短名", 120, 15), "短名");
    }
}
