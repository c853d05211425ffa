//! Service-catalogue pages: the organization page's section (its public contact and
//! services, marked self-declared), the service and contact forms, and the public list
//! `/services` filtered by category and place.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use shuniu_domain::FieldErrors;
use shuniu_domain::jurisdiction::Level;
use shuniu_domain::registry::{Organization, ServiceDomain};
use shuniu_domain::services::{
    CONTACT_FIELDS, ContactDraft, PlaceKind, SERVICE_FIELDS, ServiceDraft, ServiceStatus,
};
use shuniu_store::services::ServiceListing;
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::extract::{ApiQuery, CheckedForm, RecordId};
use crate::kit::forms::{Field, SummaryItem};
use crate::kit::labels;
use crate::kit::paging::PageLink;
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::view::{Crumb, Filter, jurisdiction_options, options, pct, tree};
use crate::services::service::{self, ListQuery};
use crate::{AppError, AppState, PageResult};

pub fn routes() -> Routes {
    Routes::new()
        .get("/services", list_page)
        .get("/organizations/{id}/services/new", new_form)
        .post("/organizations/{id}/services/new", create)
        .get("/services/{id}/edit", edit_form)
        .post("/services/{id}/edit", edit)
        .get("/organizations/{id}/contact", contact_form)
        .post("/organizations/{id}/contact", contact_post)
}

/// The label scope of the forms and filters (`svc.f.<name>`).
pub(crate) const SCOPE: &str = "svc";

/// A service as a line of a table.
pub struct ServiceLine {
    pub name: String,
    pub organization: String,
    pub org_href: String,
    pub category: &'static str,
    pub target_group: String,
    pub eligibility: String,
    pub place: String,
    pub schedule: String,
    pub fee: String,
    pub capacity: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub edit_href: String,
}

pub(crate) fn line(ui: &Ui, l: &ServiceListing) -> ServiceLine {
    let s = &l.service;
    let d = &s.data;
    let node = ui
        .lang
        .pick(&l.jurisdiction_name_zh, &l.jurisdiction_name_en)
        .to_string();
    let place = match (d.place.kind(), &l.venue_name) {
        (PlaceKind::Venue, Some(v)) => format!("{v}（{node}）"),
        (PlaceKind::Home, _) => ui.tf("svc.place.home", &[&node]),
        _ => node,
    };
    ServiceLine {
        name: d.name.clone(),
        organization: l.organization_name.clone(),
        org_href: format!("/organizations/{}", s.organization_id),
        category: d.category.label(ui.lang),
        target_group: d.target_group.clone(),
        eligibility: d.eligibility.clone(),
        place,
        schedule: d.schedule.clone(),
        fee: if d.fee.0 == 0 {
            ui.t("svc.free").to_string()
        } else {
            d.fee.to_string()
        },
        capacity: d.capacity.map(|c| c.to_string()).unwrap_or_default(),
        status: d.status.label(ui.lang),
        status_code: d.status.as_str(),
        edit_href: format!("/services/{}/edit", s.id),
    }
}

#[derive(Template)]
#[template(path = "services/org_section.html")]
struct SectionPage<'a> {
    ui: &'a Ui,
    id: String,
    phone: Option<String>,
    hours: String,
    address: String,
    rows: Vec<ServiceLine>,
    more: bool,
    can_edit: bool,
}

/// The "Services and contact" section of an organization's page: its declared
/// contact in full, its services (every status), and for its own staff and the
/// authority the links to add and edit.
pub fn org_section<'a>(
    s: &'a AppState,
    ui: &'a Ui,
    caller: &'a Caller,
    org: &'a Organization,
    org_path: &'a str,
) -> crate::kit::capability::SectionFuture<'a> {
    Box::pin(async move {
        let contact = s.store.public_contact(org.id).await?;
        let page = s.store.services_of(org.id, 1, 50).await?;
        SectionPage {
            ui,
            id: org.id.to_string(),
            phone: contact.as_ref().map(|c| c.service_phone.to_string()),
            hours: contact
                .as_ref()
                .map(|c| c.service_hours.clone())
                .unwrap_or_default(),
            address: contact.map(|c| c.address).unwrap_or_default(),
            more: page.total > page.items.len() as i64,
            rows: page.items.iter().map(|l| line(ui, l)).collect(),
            can_edit: service::can_edit(caller, org, org_path),
        }
        .render()
        .map_err(|e| AppError::Internal(format!("template failed to render: {e}")))
    })
}

#[derive(Template)]
#[template(path = "services/form.html")]
struct FormPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    title: String,
    intro: String,
    action: String,
    cancel: String,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

fn crumbs(ui: &Ui, org: &Organization) -> Vec<Crumb> {
    vec![
        Crumb::home(ui),
        Crumb::organizations(ui),
        Crumb::new(org.data.name.clone(), format!("/organizations/{}", org.id)),
    ]
}

fn service_form(
    ui: &Ui,
    org: &Organization,
    action: String,
    typed: &ServiceDraft,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult {
    let lang = ui.lang;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let f = |name: &'static str, kind: &'static str| labels::field(ui, SCOPE, name, kind, errors);
    let mut fee = f("fee", "input")
        .value(&typed.fee)
        .hint(ui.t("svc.hint.fee"));
    fee.inputmode = "decimal";
    let fields = vec![
        f("name", "input").value(&typed.name).required(),
        f("category", "select").required().options(options(
            ServiceDomain::ALL,
            ServiceDomain::as_str,
            |x| x.label(lang).into(),
            &v(&typed.category),
            Some(ui.t("form.choose")),
        )),
        f("target_group", "input").value(&typed.target_group).required(),
        f("eligibility", "textarea").value(&typed.eligibility).wide(),
        f("place_kind", "select").required().options(options(
            PlaceKind::ALL,
            PlaceKind::as_str,
            |x| x.label(lang).into(),
            &v(&typed.place_kind),
            Some(ui.t("form.choose")),
        )),
        f("venue_id", "input")
            .value(&typed.venue_id)
            .hint(ui.t("svc.hint.venue_id")),
        f("jurisdiction", "input")
            .value(&typed.jurisdiction)
            .hint(ui.t("svc.hint.jurisdiction")),
        f("schedule", "input").value(&typed.schedule).required(),
        fee,
        f("capacity", "input").value(&typed.capacity).numeric(),
        f("status", "select").options(options(
            ServiceStatus::ALL,
            ServiceStatus::as_str,
            |x| x.label(lang).into(),
            &v(&typed.status),
            None,
        )),
    ];
    let page = FormPage {
        crumbs: crumbs(ui, org),
        title: ui.tf("svc.form.title", &[&org.data.name]),
        intro: ui.t("svc.form.intro").to_string(),
        cancel: format!("/organizations/{}#services", org.id),
        action,
        fields,
        summary: labels::summary(ui, SCOPE, errors, &SERVICE_FIELDS),
        ui: ui.clone(),
    };
    Ok(render(status, &page))
}

/// The form refused to whoever may not keep the catalogue: sign in, or 403.
fn refuse(caller: &Caller) -> AppError {
    if caller.user.is_none() {
        AppError::Unauthenticated
    } else {
        AppError::Forbidden
    }
}

async fn editable(s: &AppState, caller: &Caller, id: Uuid) -> Result<Organization, AppError> {
    let (org, path) = service::organization(&s.store, id).await?;
    if !service::can_edit(caller, &org, &path) {
        return Err(refuse(caller));
    }
    Ok(org)
}

/// `GET /organizations/{id}/services/new`
pub async fn new_form(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let org = editable(&s, &caller, id).await?;
    let typed = ServiceDraft {
        status: Some("active".into()),
        fee: Some("0".into()),
        ..Default::default()
    };
    let action = format!("/organizations/{id}/services/new");
    service_form(&ui, &org, action, &typed, &FieldErrors::new(), StatusCode::OK)
}

/// `POST /organizations/{id}/services/new` (form): 303 to the organization's page,
/// or the form again naming each problem.
pub async fn create(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<ServiceDraft>,
) -> PageResult {
    let action = format!("/organizations/{id}/services/new");
    let ui = ui.with_nav("orgs").at(action.clone());
    let (org, _) = service::organization(&s.store, id).await?;
    match service::create(&s.store, &caller, id, &form, FieldErrors::new()).await {
        Ok(_) => Ok(see_other(&format!("/organizations/{id}#services"))),
        Err(AppError::Validation(e)) => {
            service_form(&ui, &org, action, &form, &e, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /services/{id}/edit`
pub async fn edit_form(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let svc = s.store.service(id).await?.ok_or(AppError::NotFound)?;
    let org = editable(&s, &caller, svc.organization_id).await?;
    let action = format!("/services/{id}/edit");
    let typed = svc.data.to_draft();
    service_form(&ui, &org, action, &typed, &FieldErrors::new(), StatusCode::OK)
}

/// `POST /services/{id}/edit` (form): the whole service replaced.
pub async fn edit(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<ServiceDraft>,
) -> PageResult {
    let action = format!("/services/{id}/edit");
    let ui = ui.with_nav("orgs").at(action.clone());
    let svc = s.store.service(id).await?.ok_or(AppError::NotFound)?;
    let (org, _) = service::organization(&s.store, svc.organization_id).await?;
    let r = service::update(&s.store, &caller, org.id, id, &form, false, FieldErrors::new()).await;
    match r {
        Ok(_) => Ok(see_other(&format!("/organizations/{}#services", org.id))),
        Err(AppError::Validation(e)) => {
            service_form(&ui, &org, action, &form, &e, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

fn contact_page(
    ui: &Ui,
    org: &Organization,
    typed: &ContactDraft,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult {
    let f = |name: &'static str, kind: &'static str| labels::field(ui, SCOPE, name, kind, errors);
    let page = FormPage {
        crumbs: crumbs(ui, org),
        title: ui.tf("svc.contact.title", &[&org.data.name]),
        intro: ui.t("svc.contact.intro").to_string(),
        action: format!("/organizations/{}/contact", org.id),
        cancel: format!("/organizations/{}#services", org.id),
        fields: vec![
            f("service_phone", "input")
                .value(&typed.service_phone)
                .required()
                .hint(ui.t("hint.contact_phone")),
            f("service_hours", "input").value(&typed.service_hours).required(),
            f("address", "input").value(&typed.address).required().wide(),
        ],
        summary: labels::summary(ui, SCOPE, errors, &CONTACT_FIELDS),
        ui: ui.clone(),
    };
    Ok(render(status, &page))
}

/// `GET /organizations/{id}/contact`: the public-contact form, filled in.
pub async fn contact_form(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let org = editable(&s, &caller, id).await?;
    let typed = match s.store.public_contact(org.id).await? {
        Some(c) => c.to_draft(),
        None => ContactDraft {
            address: Some(org.data.address.clone()),
            ..Default::default()
        },
    };
    contact_page(&ui, &org, &typed, &FieldErrors::new(), StatusCode::OK)
}

/// `POST /organizations/{id}/contact` (form)
pub async fn contact_post(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<ContactDraft>,
) -> PageResult {
    let ui = ui
        .with_nav("orgs")
        .at(format!("/organizations/{id}/contact"));
    let (org, _) = service::organization(&s.store, id).await?;
    match service::set_contact(&s.store, &caller, id, &form, FieldErrors::new()).await {
        Ok(_) => Ok(see_other(&format!("/organizations/{id}#services"))),
        Err(AppError::Validation(e)) => {
            contact_page(&ui, &org, &form, &e, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "services/list.html")]
struct ListPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    filters: Vec<Filter>,
    errors: Vec<String>,
    rows: Vec<ServiceLine>,
    summary: String,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

/// `GET /services`: the public list, by category and place (street or district).
pub async fn list_page(
    State(s): State<AppState>,
    ui: Ui,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> PageResult {
    let ui = ui.with_nav("services");
    let lang = ui.lang;
    let v = |o: &Option<String>| o.as_deref().unwrap_or("").trim().to_string();
    let nodes = tree(&s.store, Level::Street).await?;
    let all = ui.t("filter.all");
    let mut page = ListPage {
        crumbs: vec![Crumb::home(&ui)],
        filters: vec![
            Filter {
                name: "category",
                label: labels::label(lang, SCOPE, "category"),
                options: options(
                    ServiceDomain::ALL,
                    ServiceDomain::as_str,
                    |x| x.label(lang).into(),
                    &v(&q.category),
                    Some(all),
                ),
            },
            Filter {
                name: "jurisdiction",
                label: labels::label(lang, SCOPE, "jurisdiction"),
                options: jurisdiction_options(&nodes, lang, &v(&q.jurisdiction), all),
            },
        ],
        errors: vec![],
        rows: vec![],
        summary: String::new(),
        prev: None,
        next: None,
        pages: vec![],
        ui: ui.clone(),
    };
    match service::public_list(&s.store, &q).await {
        Ok((_, p)) => {
            page.rows = p.items.iter().map(|l| line(&ui, l)).collect();
            let pages = p.pages().max(1);
            if p.total > 0 {
                page.summary = ui.tf(
                    "svc.list.summary",
                    &[&p.total.to_string(), &p.page.to_string(), &pages.to_string()],
                );
            }
            let mut base = "/services?".to_string();
            for (k, val) in [
                ("category", &q.category),
                ("jurisdiction", &q.jurisdiction),
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
            Ok(render(StatusCode::OK, &page))
        }
        Err(AppError::Validation(f)) => {
            page.errors = labels::error_lines(&ui, SCOPE, &f);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}
