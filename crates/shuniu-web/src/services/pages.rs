//! Service-catalogue pages: the organization page's section (its public contact and
//! services, marked self-declared), the service and contact forms, and the public list
//! `/services` filtered by category and place.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use shuniu_domain::FieldErrors;
use shuniu_domain::jurisdiction::{Jurisdiction, Level, district_path, shard_key_of_path};
use shuniu_domain::registry::{Organization, ServiceDomain};
use shuniu_domain::services::{
    CONTACT_FIELDS, ContactDraft, PlaceKind, SERVICE_FIELDS, ServiceDraft, ServiceStatus,
};
use shuniu_domain::parks::Venue;
use shuniu_domain::places::Nearness;
use shuniu_store::services::ServiceListing;
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::extract::{ApiQuery, CheckedForm, RecordId};
use crate::kit::i18n::HomePlace;
use crate::kit::forms::{Field, SummaryItem};
use crate::kit::labels;
use crate::kit::paging::{PageLink, links, total_text};
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::view::{Crumb, Filter, Opt, jurisdiction_options, options, place_filter_options, tree};
use crate::services::service::{self, ListQuery, OrgServicesQuery};
use crate::{AppError, AppState, PageResult};

pub fn routes() -> Routes {
    Routes::new()
        .get("/services", list_page)
        .get("/services.csv", crate::kit::export::page_csv::<crate::services::export::Services>)
        .get("/services.xlsx", crate::kit::export::page_xlsx::<crate::services::export::Services>)
        .get("/organizations/{id}/services", org_list)
        .get("/organizations/{id}/services/new", new_form)
        .post("/organizations/{id}/services/new", create)
        .get("/services/{id}/edit", edit_form)
        .post("/services/{id}/edit", edit)
        .get("/organizations/{id}/contact", contact_form)
        .post("/organizations/{id}/contact", contact_post)
}

/// The label scope of the forms and filters (`svc.f.<name>`).
pub(crate) const SCOPE: &str = "svc";

/// How many services the organization page shows before linking to all of them.
const SECTION_ROWS: u32 = 20;

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
    /// Why it is listed where it is in a nearest-first list ("in your community" …).
    pub near: Option<&'static str>,
    /// Why it matched the words searched (empty when not searched).
    pub reason: String,
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
        near: l.nearness.map(|n| match n {
            Nearness::SameCommunity => ui.t("svc.near.same_community"),
            Nearness::SameStreet => ui.t("svc.near.same_street"),
            Nearness::SameDistrict => ui.t("svc.near.same_district"),
        }),
        reason: String::new(),
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
        let page = s
            .store
            .services_of_page(org.id, shuniu_store::At::Cursor(None), SECTION_ROWS)
            .await?;
        SectionPage {
            ui,
            id: org.id.to_string(),
            phone: contact.as_ref().map(|c| c.service_phone.to_string()),
            hours: contact
                .as_ref()
                .map(|c| c.service_hours.clone())
                .unwrap_or_default(),
            address: contact.map(|c| c.address).unwrap_or_default(),
            more: page.next.is_some(),
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

/// What the form offers as the place: the venues and the nodes of the organization's
/// district (one bounded page of venues; the district's streets and communities).
struct Places {
    venues: Vec<Venue>,
    nodes: Vec<Jurisdiction>,
}

/// The most venues the form offers: a district has tens, not hundreds.
const VENUE_CHOICES: u32 = 200;

async fn places(s: &AppState, org: &Organization) -> Result<Places, AppError> {
    let path = crate::registry::path_of(&s.store, org).await?;
    let district = district_path(&path);
    let venues = s
        .store
        .list_venues(Some(&district), None, 1, VENUE_CHOICES)
        .await?
        .items;
    let nodes = match s.store.jurisdiction(shard_key_of_path(&path)).await? {
        Some(root) => s.store.jurisdiction_subtree(&root, Level::Community).await?,
        None => vec![],
    };
    Ok(Places { venues, nodes })
}

/// The service form as posted: the draft and the "free" box, which stands for a
/// fee of 0 whatever the fee field holds.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ServiceForm {
    #[serde(flatten)]
    pub draft: ServiceDraft,
    pub free: Option<String>,
}

impl ServiceForm {
    fn of(draft: ServiceDraft) -> Self {
        let free = (draft.fee.as_deref().map(str::trim) == Some("0")).then(|| "1".to_string());
        ServiceForm { draft, free }
    }
    fn is_free(&self) -> bool {
        self.free.as_deref().is_some_and(|f| !f.trim().is_empty())
    }
    /// The draft the domain checks: a free service's fee is 0.
    fn checked(&self) -> ServiceDraft {
        let mut d = self.draft.clone();
        if self.is_free() {
            d.fee = Some("0".into());
        }
        d
    }
}

fn service_form(
    ui: &Ui,
    org: &Organization,
    places: &Places,
    action: String,
    form: &ServiceForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult {
    let lang = ui.lang;
    let typed = &form.draft;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let f = |name: &'static str, kind: &'static str| labels::field(ui, SCOPE, name, kind, errors);
    // A free service shows an empty fee field rather than the 0 it stands for.
    let fee_typed = if form.is_free() && v(&typed.fee).trim() == "0" {
        None
    } else {
        typed.fee.clone()
    };
    let mut fee = f("fee", "input")
        .value(&fee_typed)
        .hint(ui.t("svc.hint.fee"));
    fee.inputmode = "decimal";
    let venue = v(&typed.venue_id);
    let mut venues = vec![Opt::new("", ui.t("form.choose"), venue.trim().is_empty())];
    venues.extend(places.venues.iter().map(|x| {
        let id = x.id.to_string();
        let label = format!("{}（{}）", x.data.name, x.data.address);
        let selected = id.eq_ignore_ascii_case(venue.trim());
        Opt::new(id, label, selected)
    }));
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
        f("place_kind", "radios").required().wide().options(options(
            PlaceKind::ALL,
            PlaceKind::as_str,
            |x| x.label(lang).into(),
            &v(&typed.place_kind),
            None,
        )),
        f("venue_id", "select")
            .options(venues)
            .hint(ui.t("svc.hint.venue")),
        f("jurisdiction", "select")
            .options(jurisdiction_options(
                &places.nodes,
                lang,
                &v(&typed.jurisdiction),
                ui.t("form.choose"),
            ))
            .hint(ui.t("svc.hint.community")),
        f("schedule", "input").value(&typed.schedule).required(),
        f("free", "checks").options(vec![Opt::new("1", ui.t("svc.free_box"), form.is_free())]),
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
    let typed = ServiceForm::of(ServiceDraft {
        status: Some("active".into()),
        ..Default::default()
    });
    let action = format!("/organizations/{id}/services/new");
    let places = places(&s, &org).await?;
    service_form(&ui, &org, &places, action, &typed, &FieldErrors::new(), StatusCode::OK)
}

/// `POST /organizations/{id}/services/new` (form): 303 to the organization's page,
/// or the form again naming each problem.
pub async fn create(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<ServiceForm>,
) -> PageResult {
    let action = format!("/organizations/{id}/services/new");
    let ui = ui.with_nav("orgs").at(action.clone());
    let (org, _) = service::organization(&s.store, id).await?;
    match service::create(&s, &caller, id, &form.checked(), FieldErrors::new()).await {
        Ok(_) => Ok(see_other(&format!("/organizations/{id}#services"))),
        Err(AppError::Validation(e)) => {
            let places = places(&s, &org).await?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            service_form(&ui, &org, &places, action, &form, &e, status)
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
    let typed = ServiceForm::of(svc.data.to_draft());
    let places = places(&s, &org).await?;
    service_form(&ui, &org, &places, action, &typed, &FieldErrors::new(), StatusCode::OK)
}

/// `POST /services/{id}/edit` (form): the whole service replaced.
pub async fn edit(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<ServiceForm>,
) -> PageResult {
    let action = format!("/services/{id}/edit");
    let ui = ui.with_nav("orgs").at(action.clone());
    let svc = s.store.service(id).await?.ok_or(AppError::NotFound)?;
    let (org, _) = service::organization(&s.store, svc.organization_id).await?;
    let draft = form.checked();
    let r = service::update(&s, &caller, org.id, id, &draft, false, FieldErrors::new()).await;
    match r {
        Ok(_) => Ok(see_other(&format!("/organizations/{}#services", org.id))),
        Err(AppError::Validation(e)) => {
            let places = places(&s, &org).await?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            service_form(&ui, &org, &places, action, &form, &e, status)
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
    match service::set_contact(&s, &caller, id, &form, FieldErrors::new()).await {
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
    /// The list with its filters as CSV and Excel.
    downloads: crate::kit::export::Links,
    /// The community the list is sorted nearest to, when one is chosen.
    near: Option<String>,
    /// The words searched, as typed.
    q: String,
}

/// `GET /services`: the public list, by category and place (street or district);
/// nearest first to the community `near` names, or else the one the resident chose
/// at `/where` (the `place` cookie).
pub async fn list_page(
    State(s): State<AppState>,
    ui: Ui,
    HomePlace(home): HomePlace,
    ApiQuery(mut q): ApiQuery<ListQuery>,
) -> PageResult {
    let ui = ui.with_nav("services");
    let asked_near = q.near.clone();
    // A remembered community that is no longer one is ignored, not an error.
    if let (None, Some(code)) = (crate::kit::params::given(&q.near), &home)
        && let Some(j) = s.store.jurisdiction(code).await?
        && j.level == Level::Community
    {
        q.near = Some(code.clone());
    }
    let near = match crate::kit::params::given(&q.near) {
        Some(code) => s
            .store
            .jurisdiction(code)
            .await?
            .filter(|j| j.level == Level::Community)
            .map(|j| j.name(ui.lang).to_string()),
        None => None,
    };
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
                // The filter offers streets and the district, not only communities.
                label: ui.t("svc.filter.place"),
                options: place_filter_options(&nodes, lang, &v(&q.jurisdiction), all),
            },
        ],
        errors: vec![],
        rows: vec![],
        summary: String::new(),
        prev: None,
        next: None,
        pages: vec![],
        downloads: crate::kit::export::Links::new(
            &ui,
            "/services",
            &crate::services::export::query_string(&q),
        ),
        near,
        q: v(&q.q),
        ui: ui.clone(),
    };
    match service::public_list(&s.store, &s.search, &q).await {
        Ok(listed) => {
            let (p, ranked) = (&listed.page, &listed.ranked);
            page.rows = p
                .items
                .iter()
                .map(|l| {
                    let mut row = line(&ui, l);
                    if let Some(r) = ranked.as_ref().and_then(|r| r.reason(l.service.id)) {
                        row.reason = ui.t(crate::kit::search::reason_key(r)).to_string();
                    }
                    row
                })
                .collect();
            if p.total.count() > 0 {
                page.summary = ui.tf("svc.list.count", &[&total_text(&ui, p.total)]);
            }
            let filters = crate::kit::export::filter_query(&[
                ("category", &q.category),
                ("jurisdiction", &q.jurisdiction),
                ("near", &asked_near),
                ("q", &q.q),
                ("per_page", &q.per_page),
            ]);
            (page.prev, page.next) = links("/services", &filters, p);
            Ok(render(StatusCode::OK, &page))
        }
        Err(AppError::Validation(f)) => {
            page.errors = labels::error_lines(&ui, SCOPE, &f);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

/// How many services a page of an organization's list shows.
const ORG_LIST_ROWS: u32 = 20;

#[derive(Template)]
#[template(path = "services/org_list.html")]
struct OrgListPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    title: String,
    id: String,
    rows: Vec<ServiceLine>,
    summary: String,
    can_edit: bool,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

/// `GET /organizations/{id}/services`: all of an organization's services, every
/// status, by name, one keyset page at a time (its page shows the first
/// [`SECTION_ROWS`]). A bad `cursor`, `page` or `per_page` is a 422 naming it.
pub async fn org_list(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    ApiQuery(q): ApiQuery<OrgServicesQuery>,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let (org, path) = service::organization(&s.store, id).await?;
    let (p, _) = service::services_of(&s.store, &org, &q, ORG_LIST_ROWS).await?;
    let filters = crate::kit::export::filter_query(&[("per_page", &q.per_page)]);
    let (prev, next) = links(&format!("/organizations/{id}/services"), &filters, &p);
    let page = OrgListPage {
        crumbs: crumbs(&ui, &org),
        title: ui.tf("svc.org_list.title", &[&org.data.name]),
        id: org.id.to_string(),
        summary: if p.total.count() > 0 {
            ui.tf("svc.list.count", &[&total_text(&ui, p.total)])
        } else {
            String::new()
        },
        rows: p.items.iter().map(|l| line(&ui, l)).collect(),
        can_edit: service::can_edit(&caller, &org, &path),
        prev,
        next,
        pages: vec![],
        ui: ui.clone(),
    };
    Ok(render(StatusCode::OK, &page))
}
