//! Service-park pages: venues, spaces, office allocations, the booking calendar, obligation reports.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use serde::Deserialize;
use shuniu_domain::FieldErrors;
use shuniu_domain::access::{Action, Role};
use shuniu_domain::hubs::MembershipStatus;
use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_domain::parks::{
    AllocationDraft, Booking, BookingDraft, ObligationReportDraft, Space, SpaceDraft, SpaceKind,
    VENUE_FIELDS, Venue, VenueDraft, shanghai,
};
use shuniu_store::HubFilter;
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::forms::{CsrfForm, Field, SummaryItem};
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, error_page, render, see_other};
use crate::kit::view::{Opt, fmt_int, jurisdiction_options, pct, tree};
use crate::parks::{self as svc, VenueQuery};
use crate::{AppError, AppState, today};

pub fn routes() -> Routes {
    Routes::new()
        .get("/venues", list)
        .get("/venues/new", new_venue)
        .post("/venues", create_venue)
        .get("/venues/{id}", detail)
        .get("/venues/{id}/edit", edit_venue)
        .post("/venues/{id}/edit", update_venue)
        .post("/venues/{id}/spaces", add_space)
        .post("/spaces/{id}/allocations", allocate)
        .post("/allocations/{id}/end", end_allocation)
        .get("/spaces/{id}", calendar)
        .post("/spaces/{id}/bookings", book)
        .post("/bookings/{id}/cancel", cancel_booking)
        .post("/venues/{id}/reports", report)
}

/// The label of a form field of this capability.
fn label(ui: &Ui, name: &str) -> &'static str {
    match name {
        "hub_id" => ui.t("park.f.hub_id"),
        "name" => ui.t("park.f.name"),
        "address" => ui.t("park.f.address"),
        "jurisdiction" => ui.t("park.f.jurisdiction"),
        "area_m2" => ui.t("park.f.area_m2"),
        "owner" => ui.t("park.f.owner"),
        "free_of_charge" => ui.t("park.f.free_of_charge"),
        "terms" => ui.t("park.f.terms"),
        "utilities_waived" => ui.t("park.f.utilities_waived"),
        "obligation" => ui.t("park.f.obligation"),
        "obligation_hours_per_quarter" => ui.t("park.f.obligation_hours_per_quarter"),
        "kind" => ui.t("park.f.kind"),
        "capacity" => ui.t("park.f.capacity"),
        "space" | "space_id" => ui.t("park.f.space"),
        "organization_id" => ui.t("park.f.organization_id"),
        "starts_on" => ui.t("park.f.starts_on"),
        "ends_on" => ui.t("park.f.ends_on"),
        "ended_on" => ui.t("park.f.ended_on"),
        "date" => ui.t("park.f.date"),
        "start" => ui.t("park.f.start"),
        "end" => ui.t("park.f.end"),
        "purpose" => ui.t("park.f.purpose"),
        "attendees" => ui.t("park.f.attendees"),
        "quarter" => ui.t("park.f.quarter"),
        "service_hours" => ui.t("park.f.service_hours"),
        "residents_served" => ui.t("park.f.residents_served"),
        "note" => ui.t("park.f.note"),
        "week" => ui.t("park.f.week"),
        _ => ui.t("park.f.name"),
    }
}

fn weekday(ui: &Ui, d: NaiveDate) -> &'static str {
    match d.weekday().number_from_monday() {
        1 => ui.t("park.wd.1"),
        2 => ui.t("park.wd.2"),
        3 => ui.t("park.wd.3"),
        4 => ui.t("park.wd.4"),
        5 => ui.t("park.wd.5"),
        6 => ui.t("park.wd.6"),
        _ => ui.t("park.wd.7"),
    }
}

/// A field of this capability's forms, labelled from its own messages.
fn field(ui: &Ui, name: &'static str, kind: &'static str, errors: &FieldErrors) -> Field {
    let mut f = Field::new(ui, name, kind, errors);
    f.label = label(ui, name);
    f
}

fn summary(ui: &Ui, errors: &FieldErrors, order: &[&str]) -> Vec<SummaryItem> {
    let mut keys: Vec<&String> = errors.0.keys().collect();
    keys.sort_by_key(|k| order.iter().position(|f| f == k).unwrap_or(usize::MAX));
    keys.into_iter()
        .map(|k| SummaryItem {
            name: k.clone(),
            label: label(ui, k).to_string(),
            message: errors.0[k].message(ui.lang).to_string(),
        })
        .collect()
}

fn parse_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)
}

/// The CSRF check of these forms (anonymous callers are refused by the policy).
fn check_csrf(caller: &Caller, token: Option<&str>) -> Result<(), AppError> {
    if caller.user.is_none() {
        return Ok(());
    }
    caller.check_csrf(token)
}

/// Checks the form's token and hands back its body.
fn form_body<T>(caller: &Caller, form: Result<CsrfForm<T>, ()>) -> Result<T, AppError> {
    let Ok(CsrfForm(body, token)) = form else {
        return Err(AppError::BadRequest("form".into()));
    };
    check_csrf(caller, token.as_deref())?;
    Ok(body)
}

fn date_input(mut f: Field) -> Field {
    let v = f.value.trim();
    if v.is_empty() || NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok() {
        f.input_type = "date";
    }
    f
}

fn yes_no(ui: &Ui, b: bool) -> &'static str {
    if b { ui.t("park.yes") } else { ui.t("park.no") }
}

// ---------------------------------------------------------------- list

pub struct VenueRow {
    pub href: String,
    pub name: String,
    pub address: String,
    pub jurisdiction: String,
    pub area: String,
    pub hub: String,
}

pub struct Filter {
    pub name: &'static str,
    pub label: &'static str,
    pub options: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "parks/venue_list.html")]
struct ListPage {
    ui: Ui,
    filters: Vec<Filter>,
    errors: Vec<String>,
    rows: Vec<VenueRow>,
    summary: String,
    prev: Option<String>,
    next: Option<String>,
    can_create: bool,
}

/// The hub filter's choices: the first 200 hubs (by kind, place, name) of the chosen
/// jurisdiction, or of all when none is chosen, plus the chosen hub. A province has
/// more hubs than a select can hold: narrowing by jurisdiction reaches the others.
async fn hub_names(
    s: &AppState,
    path_prefix: Option<String>,
    chosen: Option<Uuid>,
) -> Result<std::collections::HashMap<Uuid, String>, AppError> {
    let filter = HubFilter {
        path_prefix,
        ..Default::default()
    };
    let mut hubs = s.store.list_hubs(&filter, 1, 200).await?.items;
    if let Some(id) = chosen
        && !hubs.iter().any(|h| h.id == id)
    {
        hubs.extend(s.store.hub(id).await?);
    }
    Ok(hubs
        .into_iter()
        .map(|h| (h.id, h.organization_name))
        .collect())
}

/// `GET /venues`
pub async fn list(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    query: Result<Query<VenueQuery>, QueryRejection>,
) -> Response {
    let ui = ui.with_nav("venues");
    let q = match query {
        Ok(Query(q)) => q,
        Err(_) => return error_page(&ui, &AppError::BadRequest("query".into())),
    };
    match list_page(&s, &ui, &caller, &q).await {
        Ok((status, p)) => render(status, &p),
        Err(e) => error_page(&ui, &e),
    }
}

async fn list_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    q: &VenueQuery,
) -> Result<(StatusCode, ListPage), AppError> {
    let lang = ui.lang;
    let nodes = tree(&s.store, Level::Street).await?;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let chosen_path = nodes
        .iter()
        .find(|j| j.code.as_str() == v(&q.jurisdiction).trim())
        .map(|j| j.path.clone());
    let chosen_hub = Uuid::parse_str(v(&q.hub).trim()).ok();
    let hubs = hub_names(s, chosen_path, chosen_hub).await?;
    let all = ui.t("filter.all");
    let mut hub_opts = vec![Opt::new("", all, v(&q.hub).is_empty())];
    let mut sorted: Vec<(&Uuid, &String)> = hubs.iter().collect();
    sorted.sort_by(|a, b| a.1.cmp(b.1));
    for (id, name) in sorted {
        let id = id.to_string();
        let sel = v(&q.hub).trim() == id;
        hub_opts.push(Opt::new(id, name.clone(), sel));
    }
    let filters = vec![
        Filter {
            name: "jurisdiction",
            label: ui.t("park.f.jurisdiction"),
            options: jurisdiction_options(&nodes, lang, &v(&q.jurisdiction), all),
        },
        Filter {
            name: "hub",
            label: ui.t("park.filter.hub"),
            options: hub_opts,
        },
    ];
    let mut page = ListPage {
        ui: ui.clone(),
        filters,
        errors: vec![],
        rows: vec![],
        summary: String::new(),
        prev: None,
        next: None,
        can_create: svc::may_create_venues(caller).is_ok(),
    };
    let p = match svc::list_venues(&s.store, q).await {
        Ok(p) => p,
        Err(AppError::Validation(f)) => {
            page.errors = f
                .0
                .iter()
                .map(|(k, e)| format!("{}{}{}", label(ui, k), ui.t("punct.colon"), e.message(lang)))
                .collect();
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page));
        }
        Err(e) => return Err(e),
    };
    let names: std::collections::HashMap<&str, &str> = nodes
        .iter()
        .map(|j| (j.code.as_str(), j.name(lang)))
        .collect();
    // The page's hubs by id in one query (they need not be among the filter's choices).
    let ids: Vec<Uuid> = p.items.iter().filter_map(|x| x.hub_id).collect();
    let hubs: std::collections::HashMap<Uuid, String> = s
        .store
        .hubs_by_ids(&ids)
        .await?
        .into_iter()
        .map(|h| (h.id, h.organization_name))
        .collect();
    page.rows = p
        .items
        .iter()
        .map(|x| VenueRow {
            href: format!("/venues/{}", x.id),
            name: x.data.name.clone(),
            address: x.data.address.clone(),
            jurisdiction: names
                .get(x.data.jurisdiction.as_str())
                .map(|n| n.to_string())
                .unwrap_or_else(|| x.data.jurisdiction.to_string()),
            area: fmt_int(i64::from(x.data.area_m2)),
            hub: x
                .hub_id
                .and_then(|h| hubs.get(&h).cloned())
                .unwrap_or_else(|| "—".into()),
        })
        .collect();
    let pages = p.pages().max(1);
    if p.total > 0 {
        page.summary = ui.tf(
            "park.list.summary",
            &[&fmt_int(p.total), &p.page.to_string(), &pages.to_string()],
        );
    }
    let mut base = String::from("/venues?");
    for (k, val) in [
        ("jurisdiction", &q.jurisdiction),
        ("hub", &q.hub),
        ("per_page", &q.per_page),
    ] {
        if let Some(val) = val.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
            base.push_str(&format!("{k}={}&", pct(val)));
        }
    }
    if p.page > 1 {
        page.prev = Some(format!("{base}page={}", (p.page - 1).min(pages)));
    }
    if p.page < pages {
        page.next = Some(format!("{base}page={}", p.page + 1));
    }
    Ok((StatusCode::OK, page))
}

// ---------------------------------------------------------------- venue form

/// The venue form as posted (a checkbox left unchecked sends nothing).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct VenueForm {
    pub hub_id: Option<String>,
    pub name: Option<String>,
    pub address: Option<String>,
    pub jurisdiction: Option<String>,
    pub area_m2: Option<String>,
    pub owner: Option<String>,
    pub free_of_charge: Option<String>,
    pub terms: Option<String>,
    pub utilities_waived: Option<String>,
    pub obligation: Option<String>,
    pub obligation_hours_per_quarter: Option<String>,
}

impl VenueForm {
    /// Every field present: a missing one is empty (an unchecked box is "no").
    fn draft(&self) -> VenueDraft {
        let g = |v: &Option<String>| Some(v.clone().unwrap_or_default());
        VenueDraft {
            name: g(&self.name),
            address: g(&self.address),
            jurisdiction: g(&self.jurisdiction),
            area_m2: g(&self.area_m2),
            owner: g(&self.owner),
            free_of_charge: g(&self.free_of_charge),
            terms: g(&self.terms),
            utilities_waived: g(&self.utilities_waived),
            obligation: g(&self.obligation),
            obligation_hours_per_quarter: g(&self.obligation_hours_per_quarter),
        }
    }
    fn of(d: &VenueDraft) -> Self {
        VenueForm {
            hub_id: None,
            name: d.name.clone(),
            address: d.address.clone(),
            jurisdiction: d.jurisdiction.clone(),
            area_m2: d.area_m2.clone(),
            owner: d.owner.clone(),
            free_of_charge: d.free_of_charge.clone(),
            terms: d.terms.clone(),
            utilities_waived: d.utilities_waived.clone(),
            obligation: d.obligation.clone(),
            obligation_hours_per_quarter: d.obligation_hours_per_quarter.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "parks/venue_form.html")]
struct VenueFormPage {
    ui: Ui,
    heading: String,
    action: String,
    cancel: String,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

/// Hubs this caller may create venues for, whether "no hub" is a choice, and whether
/// there are too many to list (over 200: a city's or province's officials), when the
/// hub's id is typed instead.
async fn hub_choices(
    s: &AppState,
    caller: &Caller,
) -> Result<(Vec<(Uuid, String)>, bool, bool), AppError> {
    let Some(a) = caller.actor() else {
        return Ok((vec![], false, false));
    };
    match a.role {
        Role::HubStaff => {
            let own = match a.organization_id {
                Some(o) => s.store.hub_of_organization(o).await?,
                None => None,
            };
            Ok((
                own.into_iter()
                    .map(|h| (h.id, h.organization_name))
                    .collect(),
                false,
                false,
            ))
        }
        Role::Official | Role::Admin => {
            let filter = HubFilter {
                path_prefix: a.jurisdiction_path.clone(),
                ..Default::default()
            };
            let page = s.store.list_hubs(&filter, 1, 200).await?;
            if page.total > page.items.len() as i64 {
                return Ok((vec![], true, true));
            }
            Ok((
                page.items
                    .into_iter()
                    .map(|h| (h.id, h.organization_name))
                    .collect(),
                true,
                false,
            ))
        }
        _ => Ok((vec![], false, false)),
    }
}

/// At most this many places in the venue form's list: past it communities are left
/// out, and past it at street level the list is cut (a select must stay usable).
const PLACE_CAP: usize = 1000;

/// The venue form's places: the caller's own area and below (an official's node, hub
/// staff's hub jurisdiction; admins the whole tree), down to communities when that fits
/// under [`PLACE_CAP`], else to streets. `current` is kept even when outside that area.
async fn venue_places(
    s: &AppState,
    caller: &Caller,
    current: &str,
) -> Result<Vec<Jurisdiction>, AppError> {
    let role = caller.actor().map(|a| a.role);
    let own_code = match role {
        Some(Role::Official) => caller
            .user
            .as_ref()
            .and_then(|u| u.jurisdiction_code.clone()),
        Some(Role::HubStaff) => match caller.user.as_ref().and_then(|u| u.organization_id) {
            Some(o) => s
                .store
                .hub_of_organization(o)
                .await?
                .map(|h| h.recognition.jurisdiction.as_str().to_string()),
            None => None,
        },
        _ => None,
    };
    let roots = match (role, own_code) {
        (Some(Role::Admin), _) => s.store.jurisdiction_roots().await?,
        (_, Some(code)) => s.store.jurisdiction(&code).await?.into_iter().collect(),
        _ => vec![],
    };
    let mut out = Vec::new();
    for r in &roots {
        out.extend(s.store.jurisdiction_subtree(r, Level::Street).await?);
    }
    if out.len() > PLACE_CAP {
        out.truncate(PLACE_CAP);
    } else {
        let mut deep = Vec::new();
        for r in &roots {
            deep.extend(s.store.jurisdiction_subtree(r, Level::Community).await?);
        }
        if deep.len() <= PLACE_CAP {
            out = deep;
        }
    }
    let current = current.trim();
    // Only a well-formed code is looked up: what a form sends may be anything.
    if shuniu_domain::jurisdiction::JurisdictionCode::parse(current).is_ok()
        && !out.iter().any(|j| j.code.as_str() == current)
        && let Some(j) = s.store.jurisdiction(current).await?
    {
        out.insert(0, j);
    }
    Ok(out)
}

async fn venue_form_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    edit: Option<&Venue>,
    form: &VenueForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let nodes = match venue_places(s, caller, &v(&form.jurisdiction)).await {
        Ok(t) => t,
        Err(e) => return error_page(ui, &e),
    };
    let f = |name, kind| field(ui, name, kind, errors);
    let flag = |name: &'static str, val: &Option<String>| {
        let on = shuniu_domain::parks::parse_flag(val);
        f(name, "checks").options(vec![Opt::new("on", ui.t("park.yes"), on)])
    };
    let mut fields = Vec::new();
    if edit.is_none() {
        let (hubs, none_ok, too_many) = match hub_choices(s, caller).await {
            Ok(x) => x,
            Err(e) => return error_page(ui, &e),
        };
        let current = v(&form.hub_id);
        let mut opts = Vec::new();
        if none_ok {
            opts.push(Opt::new("", ui.t("park.none"), current.trim().is_empty()));
        }
        for (id, name) in hubs {
            let id = id.to_string();
            let sel = current.trim() == id;
            opts.push(Opt::new(id, name, sel));
        }
        let mut hub = if too_many {
            // Too many to list: the hub's id is typed (blank: no hub).
            f("hub_id", "input").value(&form.hub_id)
        } else {
            f("hub_id", "select").options(opts)
        };
        if none_ok {
            hub = hub.hint(ui.t("park.hint.hub_id"));
        }
        fields.push(hub.wide());
    }
    fields.extend([
        f("name", "input").value(&form.name).required().wide(),
        f("address", "input").value(&form.address).required().wide(),
        f("jurisdiction", "select")
            .required()
            .options(jurisdiction_options(
                &nodes,
                ui.lang,
                &v(&form.jurisdiction),
                ui.t("form.choose"),
            )),
        f("area_m2", "input")
            .value(&form.area_m2)
            .required()
            .numeric(),
        f("owner", "input").value(&form.owner).required(),
        flag("free_of_charge", &form.free_of_charge),
        flag("utilities_waived", &form.utilities_waived),
        f("terms", "textarea").value(&form.terms).wide(),
        f("obligation", "input")
            .value(&form.obligation)
            .wide()
            .hint(ui.t("park.hint.obligation")),
        f("obligation_hours_per_quarter", "input")
            .value(&form.obligation_hours_per_quarter)
            .numeric(),
    ]);
    let mut order = vec!["hub_id"];
    order.extend_from_slice(VENUE_FIELDS);
    let (heading, action, cancel) = match edit {
        None => (
            ui.t("park.form.new").to_string(),
            "/venues".to_string(),
            "/venues".to_string(),
        ),
        Some(v) => (
            ui.tf("park.form.edit", &[&v.data.name]),
            format!("/venues/{}/edit", v.id),
            format!("/venues/{}", v.id),
        ),
    };
    render(
        status,
        &VenueFormPage {
            ui: ui.clone(),
            heading,
            action,
            cancel,
            fields,
            summary: summary(ui, errors, &order),
        },
    )
}

/// How a failed venue save is shown: the form again with the errors, or an error page.
async fn venue_failure(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    edit: Option<&Venue>,
    form: &VenueForm,
    e: AppError,
) -> Response {
    match e {
        AppError::Validation(f) => {
            venue_form_page(
                s,
                ui,
                caller,
                edit,
                form,
                &f,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        other => error_page(ui, &other),
    }
}

/// `GET /venues/new`
pub async fn new_venue(State(s): State<AppState>, ui: Ui, caller: Caller) -> Response {
    let ui = ui.with_nav("venues");
    if let Err(e) = svc::may_create_venues(&caller) {
        return error_page(&ui, &e);
    }
    let form = VenueForm {
        free_of_charge: Some("on".into()),
        utilities_waived: Some("on".into()),
        obligation_hours_per_quarter: Some("0".into()),
        ..Default::default()
    };
    venue_form_page(
        &s,
        &ui,
        &caller,
        None,
        &form,
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /venues`
pub async fn create_venue(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    form: Result<CsrfForm<VenueForm>, ()>,
) -> Response {
    let ui = ui.with_nav("venues").at("/venues/new");
    let form = match form_body(&caller, form) {
        Ok(f) => f,
        Err(e) => return error_page(&ui, &e),
    };
    let r = svc::create_venue(
        &s.store,
        &caller,
        form.hub_id.as_deref(),
        &form.draft(),
        FieldErrors::new(),
    )
    .await;
    match r {
        Ok(v) => see_other(&format!("/venues/{}", v.id)),
        Err(e) => venue_failure(&s, &ui, &caller, None, &form, e).await,
    }
}

async fn managed_venue(s: &AppState, caller: &Caller, id: &str) -> Result<Venue, AppError> {
    let v = svc::get_venue(&s.store, parse_id(id)?).await?;
    caller.require(Action::ManageHub, &svc::venue_resource(&v))?;
    Ok(v)
}

/// `GET /venues/{id}/edit`
pub async fn edit_venue(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let ui = ui.with_nav("venues");
    let v = match managed_venue(&s, &caller, &id).await {
        Ok(v) => v,
        Err(e) => return error_page(&ui, &e),
    };
    let form = VenueForm::of(&svc::venue_draft(&v.data));
    venue_form_page(
        &s,
        &ui,
        &caller,
        Some(&v),
        &form,
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /venues/{id}/edit`
pub async fn update_venue(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<CsrfForm<VenueForm>, ()>,
) -> Response {
    let ui = ui.with_nav("venues");
    let v = match parse_id(&id) {
        Ok(id) => svc::get_venue(&s.store, id).await,
        Err(e) => Err(e),
    };
    let v = match v {
        Ok(v) => v,
        Err(e) => return error_page(&ui, &e),
    };
    let ui = ui.at(format!("/venues/{}/edit", v.id));
    let form = match form_body(&caller, form) {
        Ok(f) => f,
        Err(e) => return error_page(&ui, &e),
    };
    match svc::update_venue(&s.store, &caller, v.id, form.draft(), FieldErrors::new()).await {
        Ok(v) => see_other(&format!("/venues/{}", v.id)),
        Err(e) => venue_failure(&s, &ui, &caller, Some(&v), &form, e).await,
    }
}

// ---------------------------------------------------------------- venue page

pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

pub struct SpaceRow {
    pub href: String,
    pub name: String,
    pub kind: &'static str,
    pub capacity: u32,
    pub area: String,
    pub bookable: bool,
}

pub struct AllocRow {
    pub id: String,
    pub office: String,
    pub org: String,
    pub org_href: String,
    pub period: String,
    pub note: String,
    pub can_end: bool,
}

pub struct SumRow {
    pub quarter: String,
    pub target: i64,
    pub delivered: i64,
    pub residents: i64,
    pub reports: usize,
    /// Bar width, 0–100 (% of the target delivered).
    pub pct: i64,
    pub met: bool,
}

/// The three forms of the venue page: which one failed, with what was typed.
#[derive(Default)]
struct VenueForms {
    space: SpaceDraft,
    space_errors: FieldErrors,
    alloc: AllocationDraft,
    alloc_space: Option<String>,
    alloc_errors: FieldErrors,
    report: ObligationReportDraft,
    report_errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "parks/venue_detail.html")]
struct VenuePage {
    ui: Ui,
    id: String,
    name: String,
    facts: Vec<Fact>,
    can_manage: bool,
    can_report: bool,
    spaces: Vec<SpaceRow>,
    allocations: Vec<AllocRow>,
    has_target: bool,
    sums: Vec<SumRow>,
    space_fields: Vec<Field>,
    space_summary: Vec<SummaryItem>,
    alloc_fields: Vec<Field>,
    alloc_summary: Vec<SummaryItem>,
    has_offices: bool,
    alloc_action: String,
    report_fields: Vec<Field>,
    report_summary: Vec<SummaryItem>,
    report_for: Option<String>,
}

/// Organizations a manager may pick: the hub itself and its active members. `None`
/// when the hub has more members than a select should hold (200): the id is typed then.
async fn org_choices(s: &AppState, v: &Venue) -> Result<Option<Vec<(Uuid, String)>>, AppError> {
    let mut out = Vec::new();
    if let Some(hub_id) = v.hub_id {
        if let Some(h) = s.store.hub(hub_id).await? {
            out.push((h.organization_id, h.organization_name));
        }
        let members = s
            .store
            .hub_members(hub_id, Some(MembershipStatus::Active), 1, 200)
            .await?;
        if members.total > members.items.len() as i64 {
            return Ok(None);
        }
        out.extend(
            members
                .items
                .into_iter()
                .map(|m| (m.organization_id, m.organization_name)),
        );
    }
    Ok(Some(out))
}

/// The organization chooser: a select of `choices`, or an id to type when there are none.
fn org_field(
    ui: &Ui,
    errors: &FieldErrors,
    current: &Option<String>,
    choices: &[(Uuid, String)],
) -> Field {
    if choices.is_empty() {
        return field(ui, "organization_id", "input", errors)
            .value(current)
            .required()
            .hint(ui.t("park.hint.org_id"));
    }
    let cur = current.clone().unwrap_or_default();
    let mut opts = vec![Opt::new("", ui.t("form.choose"), cur.trim().is_empty())];
    for (id, name) in choices {
        let id = id.to_string();
        let sel = cur.trim() == id;
        opts.push(Opt::new(id, name.clone(), sel));
    }
    field(ui, "organization_id", "select", errors)
        .required()
        .options(opts)
}

/// The caller's own organization, named, if they act for one.
async fn own_org(s: &AppState, caller: &Caller) -> Result<Option<(Uuid, String)>, AppError> {
    let Some(org) = caller.actor().and_then(|a| a.organization_id) else {
        return Ok(None);
    };
    Ok(s.store
        .organization(org)
        .await?
        .map(|o| (o.id, o.data.name)))
}

async fn venue_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: Uuid,
    forms: VenueForms,
) -> Result<VenuePage, AppError> {
    let v = svc::get_venue(&s.store, id).await?;
    caller.require(Action::Read, &svc::venue_resource(&v))?;
    let lang = ui.lang;
    let can_manage = svc::can_manage(caller, &v);
    let own = own_org(s, caller).await?;
    let own_may_report = match &own {
        Some((org, _)) if !can_manage => {
            svc::require_book(&s.store, caller, &v, *org).await.is_ok()
        }
        _ => false,
    };
    let can_report = can_manage || own_may_report;
    let d = &v.data;
    let jname = match s.store.jurisdiction(d.jurisdiction.as_str()).await? {
        Some(j) => j.name(lang).to_string(),
        None => d.jurisdiction.to_string(),
    };
    let hub_name = match v.hub_id {
        Some(h) => s.store.hub(h).await?.map(|h| h.organization_name),
        None => None,
    };
    let dash = |x: &str| {
        if x.trim().is_empty() {
            "—".to_string()
        } else {
            x.to_string()
        }
    };
    let facts = vec![
        Fact {
            label: ui.t("park.f.address"),
            value: d.address.clone(),
        },
        Fact {
            label: ui.t("park.f.jurisdiction"),
            value: jname,
        },
        Fact {
            label: ui.t("park.detail.hub"),
            value: hub_name.unwrap_or_else(|| "—".into()),
        },
        Fact {
            label: ui.t("park.f.area_m2"),
            value: fmt_int(i64::from(d.area_m2)),
        },
        Fact {
            label: ui.t("park.f.owner"),
            value: d.owner.clone(),
        },
        Fact {
            label: ui.t("park.f.free_of_charge"),
            value: yes_no(ui, d.free_of_charge).into(),
        },
        Fact {
            label: ui.t("park.f.utilities_waived"),
            value: yes_no(ui, d.utilities_waived).into(),
        },
        Fact {
            label: ui.t("park.f.terms"),
            value: dash(&d.terms),
        },
        Fact {
            label: ui.t("park.f.obligation"),
            value: dash(&d.obligation),
        },
        Fact {
            label: ui.t("park.f.obligation_hours_per_quarter"),
            value: d.obligation_hours_per_quarter.to_string(),
        },
    ];
    let spaces = s.store.spaces_of(v.id).await?;
    let space_rows = spaces
        .iter()
        .map(|sp| SpaceRow {
            href: format!("/spaces/{}", sp.id),
            name: sp.data.name.clone(),
            kind: sp.data.kind.label(lang),
            capacity: sp.data.capacity,
            area: if sp.data.area_m2 == 0 {
                "—".into()
            } else {
                fmt_int(i64::from(sp.data.area_m2))
            },
            bookable: sp.data.kind.is_bookable(),
        })
        .collect();
    let space_name = |sid: Uuid| {
        spaces
            .iter()
            .find(|x| x.id == sid)
            .map(|x| x.data.name.clone())
            .unwrap_or_default()
    };
    let allocations = s
        .store
        .allocations_of_venue(v.id, today())
        .await?
        .into_iter()
        .map(|a| AllocRow {
            id: a.id.to_string(),
            office: space_name(a.space_id),
            org: a.organization_name.clone(),
            org_href: format!("/organizations/{}", a.organization_id),
            period: format!("{} – {}", a.starts_on, a.ends_on),
            note: a
                .ended_early_on
                .map(|e| ui.tf("park.detail.ended_early", &[&e.to_string()]))
                .unwrap_or_default(),
            can_end: can_manage && a.ended_early_on.is_none(),
        })
        .collect();
    let sums = s
        .store
        .obligation_summaries(v.id, &svc::last_quarters(4))
        .await?
        .iter()
        .map(|x| SumRow {
            quarter: x.quarter.to_string(),
            target: x.target_hours,
            delivered: x.delivered_hours,
            residents: x.residents_served,
            reports: x.reports.len(),
            pct: if x.target_hours > 0 {
                (x.delivered_hours * 100 / x.target_hours).clamp(0, 100)
            } else {
                0
            },
            met: x.target_hours > 0 && x.delivered_hours >= x.target_hours,
        })
        .collect();
    // Forms, with what was typed and the errors of the one that failed.
    let f = &forms;
    let se = &f.space_errors;
    let kind_cur = f.space.kind.clone().unwrap_or_default();
    let kinds = SpaceKind::ALL
        .iter()
        .map(|k| Opt::new(k.as_str(), k.label(lang), kind_cur.trim() == k.as_str()))
        .collect();
    let space_fields = vec![
        field(ui, "name", "input", se)
            .value(&f.space.name)
            .required(),
        field(ui, "kind", "select", se).required().options(kinds),
        field(ui, "capacity", "input", se)
            .value(&f.space.capacity)
            .required()
            .numeric(),
        field(ui, "area_m2", "input", se)
            .value(&f.space.area_m2)
            .numeric(),
    ];
    let choices = if can_manage {
        org_choices(s, &v).await?.unwrap_or_default()
    } else {
        vec![]
    };
    let ae = &f.alloc_errors;
    let offices: Vec<&Space> = spaces
        .iter()
        .filter(|x| x.data.kind == SpaceKind::Office)
        .collect();
    let cur_space = f.alloc_space.clone().unwrap_or_default();
    let mut office_opts = vec![];
    for o in &offices {
        let id = o.id.to_string();
        let sel = cur_space.trim() == id;
        office_opts.push(Opt::new(id, o.data.name.clone(), sel));
    }
    let mut space_field = field(ui, "space_id", "select", ae)
        .required()
        .options(office_opts);
    space_field.error = ae.get("space").map(|e| e.message(lang).to_string());
    let alloc_fields = vec![
        space_field,
        org_field(ui, ae, &f.alloc.organization_id, &choices),
        date_input(
            field(ui, "starts_on", "input", ae)
                .value(&f.alloc.starts_on)
                .required(),
        ),
        date_input(
            field(ui, "ends_on", "input", ae)
                .value(&f.alloc.ends_on)
                .required(),
        ),
    ];
    let re = &f.report_errors;
    let mut report_fields = Vec::new();
    let mut report_for = None;
    if can_manage {
        report_fields.push(org_field(ui, re, &f.report.organization_id, &choices));
    } else if let Some((_, name)) = &own {
        report_for = Some(name.clone());
    }
    let quarter = f
        .report
        .quarter
        .clone()
        .or_else(|| Some(shuniu_domain::parks::Quarter::of(today()).to_string()));
    report_fields.extend([
        field(ui, "quarter", "input", re)
            .value(&quarter)
            .required()
            .hint(ui.t("park.hint.quarter")),
        field(ui, "service_hours", "input", re)
            .value(&f.report.service_hours)
            .required()
            .numeric(),
        field(ui, "residents_served", "input", re)
            .value(&f.report.residents_served)
            .numeric(),
        field(ui, "note", "textarea", re)
            .value(&f.report.note)
            .wide(),
    ]);
    Ok(VenuePage {
        ui: ui.clone(),
        id: v.id.to_string(),
        name: d.name.clone(),
        facts,
        can_manage,
        can_report,
        spaces: space_rows,
        allocations,
        has_target: d.obligation_hours_per_quarter > 0,
        sums,
        space_fields,
        space_summary: summary(ui, se, &["name", "kind", "capacity", "area_m2"]),
        alloc_fields,
        alloc_summary: summary(
            ui,
            ae,
            &["space", "organization_id", "starts_on", "ends_on"],
        ),
        has_offices: !offices.is_empty(),
        alloc_action: offices
            .first()
            .map(|o| format!("/spaces/{}/allocations", o.id))
            .unwrap_or_default(),
        report_fields,
        report_summary: summary(
            ui,
            re,
            &[
                "organization_id",
                "quarter",
                "service_hours",
                "residents_served",
                "note",
            ],
        ),
        report_for,
    })
}

/// `GET /venues/{id}`
pub async fn detail(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let ui = ui.with_nav("venues");
    let r = match parse_id(&id) {
        Ok(id) => venue_page(&s, &ui, &caller, id, VenueForms::default()).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(p) => render(StatusCode::OK, &p),
        Err(e) => error_page(&ui, &e),
    }
}

/// The venue page again with a failed form's errors (422/409), or the error page.
async fn venue_again(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    venue_id: Uuid,
    forms: VenueForms,
    status: StatusCode,
) -> Response {
    match venue_page(s, ui, caller, venue_id, forms).await {
        Ok(p) => render(status, &p),
        Err(e) => error_page(ui, &e),
    }
}

/// Which status and errors a failed form write shows, or `None` for an error page.
fn form_errors(e: &AppError, conflict_msg: &str) -> Option<(StatusCode, FieldErrors)> {
    match e {
        AppError::Validation(f) => Some((StatusCode::UNPROCESSABLE_ENTITY, f.clone())),
        AppError::Conflict { field } => Some((
            StatusCode::CONFLICT,
            FieldErrors::single(
                field,
                shuniu_domain::FieldError::new(conflict_msg, conflict_msg),
            ),
        )),
        _ => None,
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct SpaceForm {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub capacity: Option<String>,
    pub area_m2: Option<String>,
}

/// `POST /venues/{id}/spaces`
pub async fn add_space(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<CsrfForm<SpaceForm>, ()>,
) -> Response {
    let ui = ui.with_nav("venues");
    let vid = match parse_id(&id) {
        Ok(v) => v,
        Err(e) => return error_page(&ui, &e),
    };
    let ui = ui.at(format!("/venues/{vid}"));
    let form = match form_body(&caller, form) {
        Ok(f) => f,
        Err(e) => return error_page(&ui, &e),
    };
    let draft = SpaceDraft {
        name: form.name,
        kind: form.kind,
        capacity: form.capacity,
        area_m2: form.area_m2,
    };
    match svc::add_space(&s.store, &caller, vid, &draft, FieldErrors::new()).await {
        Ok(_) => see_other(&format!("/venues/{vid}#spaces")),
        Err(e) => match form_errors(&e, ui.t("error.409.text")) {
            Some((status, errs)) => {
                let forms = VenueForms {
                    space: draft,
                    space_errors: errs,
                    ..Default::default()
                };
                venue_again(&s, &ui, &caller, vid, forms, status).await
            }
            None => error_page(&ui, &e),
        },
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct AllocForm {
    pub space_id: Option<String>,
    pub organization_id: Option<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
}

/// `POST /spaces/{id}/allocations` (the venue page's form posts to its office).
pub async fn allocate(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<CsrfForm<AllocForm>, ()>,
) -> Response {
    let ui = ui.with_nav("venues");
    let found = match parse_id(&id) {
        Ok(sid) => svc::get_space(&s.store, sid).await,
        Err(e) => Err(e),
    };
    let (space, v) = match found {
        Ok(x) => x,
        Err(e) => return error_page(&ui, &e),
    };
    let ui = ui.at(format!("/venues/{}", v.id));
    let form = match form_body(&caller, form) {
        Ok(f) => f,
        Err(e) => return error_page(&ui, &e),
    };
    // The venue page's form names the office in its body; it must be of the same venue.
    let mut space = space;
    if let Some(chosen) = form
        .space_id
        .as_deref()
        .and_then(|x| Uuid::parse_str(x.trim()).ok())
        && chosen != space.id
    {
        match svc::get_space(&s.store, chosen).await {
            Ok((other, ov)) if ov.id == v.id => space = other,
            Ok(_) => return error_page(&ui, &AppError::NotFound),
            Err(e) => return error_page(&ui, &e),
        }
    }
    let draft = AllocationDraft {
        organization_id: form.organization_id.clone(),
        starts_on: form.starts_on.clone(),
        ends_on: form.ends_on.clone(),
    };
    match svc::allocate_office(&s.store, &caller, space.id, &draft, FieldErrors::new()).await {
        Ok(_) => see_other(&format!("/venues/{}#allocations", v.id)),
        Err(e) => match form_errors(&e, ui.t("error.409.text")) {
            Some((status, errs)) => {
                let forms = VenueForms {
                    alloc: draft,
                    alloc_space: Some(space.id.to_string()),
                    alloc_errors: errs,
                    ..Default::default()
                };
                venue_again(&s, &ui, &caller, v.id, forms, status).await
            }
            None => error_page(&ui, &e),
        },
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct EndForm {
    pub ended_on: Option<String>,
}

/// `POST /allocations/{id}/end`
pub async fn end_allocation(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<CsrfForm<EndForm>, ()>,
) -> Response {
    let ui = ui.with_nav("venues");
    let form = match form_body(&caller, form) {
        Ok(f) => f,
        Err(e) => return error_page(&ui, &e),
    };
    let aid = match parse_id(&id) {
        Ok(a) => a,
        Err(e) => return error_page(&ui, &e),
    };
    match svc::end_allocation(&s.store, &caller, aid, form.ended_on.as_deref()).await {
        Ok(a) => match svc::get_space(&s.store, a.space_id).await {
            Ok((_, v)) => see_other(&format!("/venues/{}#allocations", v.id)),
            Err(e) => error_page(&ui, &e),
        },
        Err(e) => error_page(&ui, &e),
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct ReportForm {
    pub organization_id: Option<String>,
    pub quarter: Option<String>,
    pub service_hours: Option<String>,
    pub residents_served: Option<String>,
    pub note: Option<String>,
}

/// `POST /venues/{id}/reports`
pub async fn report(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<CsrfForm<ReportForm>, ()>,
) -> Response {
    let ui = ui.with_nav("venues");
    let vid = match parse_id(&id) {
        Ok(v) => v,
        Err(e) => return error_page(&ui, &e),
    };
    let ui = ui.at(format!("/venues/{vid}"));
    let form = match form_body(&caller, form) {
        Ok(f) => f,
        Err(e) => return error_page(&ui, &e),
    };
    let draft = ObligationReportDraft {
        organization_id: form.organization_id,
        quarter: form.quarter,
        service_hours: form.service_hours,
        residents_served: form.residents_served,
        note: form.note,
    };
    match svc::report(&s.store, &caller, vid, &draft, FieldErrors::new()).await {
        Ok(_) => see_other(&format!("/venues/{vid}#obligations")),
        Err(e) => match form_errors(&e, ui.t("error.409.text")) {
            Some((status, errs)) => {
                let forms = VenueForms {
                    report: draft,
                    report_errors: errs,
                    ..Default::default()
                };
                venue_again(&s, &ui, &caller, vid, forms, status).await
            }
            None => error_page(&ui, &e),
        },
    }
}

// ---------------------------------------------------------------- calendar

pub struct BookingItem {
    pub id: String,
    pub number: String,
    pub org: String,
    pub purpose: String,
    pub time: String,
    pub booked_by: Option<String>,
    pub can_cancel: bool,
}

/// One cell of the week grid. Slots covered by a booking that started above are not
/// emitted (the booking's cell spans them).
pub struct Cell {
    pub date: String,
    pub time: String,
    pub rowspan: usize,
    pub booking: Option<BookingItem>,
    pub past: bool,
}

pub struct SlotRow {
    pub time: String,
    pub cells: Vec<Cell>,
}

pub struct DayHead {
    pub date: String,
    pub label: String,
    pub today: bool,
}

pub struct DayList {
    pub date: String,
    pub label: String,
    pub today: bool,
    pub items: Vec<BookingItem>,
}

#[derive(Template)]
#[template(path = "parks/space_calendar.html")]
struct CalendarPage {
    ui: Ui,
    space_id: String,
    space_name: String,
    kind: &'static str,
    capacity: u32,
    venue_href: String,
    venue_name: String,
    bookable: bool,
    allocations: Vec<AllocRow>,
    week_label: String,
    prev_href: String,
    next_href: String,
    this_week_href: String,
    hours_note: String,
    days: Vec<DayHead>,
    rows: Vec<SlotRow>,
    day_lists: Vec<DayList>,
    can_book: bool,
    book_note: Option<String>,
    book_for: Option<String>,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

#[derive(Debug, Default, Deserialize)]
pub struct WeekQuery {
    pub week: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct BookForm {
    pub organization_id: Option<String>,
    pub date: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub purpose: Option<String>,
    pub attendees: Option<String>,
}

fn local_hm(t: chrono::DateTime<Utc>) -> (NaiveDate, NaiveTime) {
    let l = t.with_timezone(&shanghai());
    (l.date_naive(), l.time())
}

fn item(caller: &Caller, v: &Venue, b: &Booking, can_cancel: bool) -> BookingItem {
    let (_, s) = local_hm(b.starts_at);
    let (_, e) = local_hm(b.ends_at);
    BookingItem {
        id: b.id.to_string(),
        number: b.number.clone(),
        org: b.organization_name.clone(),
        purpose: b.purpose.clone(),
        time: format!("{}–{}", s.format("%H:%M"), e.format("%H:%M")),
        booked_by: svc::sees_booker(caller, v, b).then(|| b.booked_by.clone()),
        can_cancel,
    }
}

#[allow(clippy::too_many_arguments)]
async fn calendar_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    space_id: Uuid,
    week: Option<&str>,
    form: &BookForm,
    errors: &FieldErrors,
) -> Result<CalendarPage, AppError> {
    let (space, v) = svc::get_space(&s.store, space_id).await?;
    caller.require(Action::Read, &svc::venue_resource(&v))?;
    let lang = ui.lang;
    let rules = s.booking;
    let day0 = match week.map(str::trim).filter(|w| !w.is_empty()) {
        None => today(),
        Some(w) => NaiveDate::parse_from_str(w, "%Y-%m-%d").map_err(|_| {
            FieldErrors::single(
                "week",
                shuniu_domain::FieldError::new(
                    "日期格式应为 YYYY-MM-DD",
                    "must be a date YYYY-MM-DD",
                ),
            )
        })?,
    };
    let monday = svc::week_of(day0);
    let dates: Vec<NaiveDate> = (0..7).map(|i| monday + Duration::days(i)).collect();
    let now = Utc::now();
    let today = today();
    let can_manage = svc::can_manage(caller, &v);
    let own = own_org(s, caller).await?;
    let bookings = if space.data.kind.is_bookable() {
        svc::bookings_between(
            &s.store,
            space.id,
            svc::local_midnight(monday),
            svc::local_midnight(monday + Duration::days(7)),
        )
        .await?
    } else {
        vec![]
    };
    let may_cancel = |b: &Booking| {
        caller.user.is_some()
            && (can_manage || own.as_ref().is_some_and(|(o, _)| *o == b.organization_id))
            && b.ends_at > now
    };
    // The grid: one row per slot within opening hours.
    let slot = i64::from(rules.slot_minutes.max(1));
    let open = i64::from(rules.opens_at_hour) * 60;
    let close = i64::from(rules.closes_at_hour) * 60;
    let n_slots = ((close - open) / slot).max(0) as usize;
    let mut covered = vec![vec![false; 7]; n_slots];
    let mut starts: Vec<Vec<Option<(usize, &Booking)>>> = vec![vec![None; 7]; n_slots];
    for b in &bookings {
        let (ds, ts) = local_hm(b.starts_at);
        let (de, te) = local_hm(b.ends_at);
        let Some(col) = dates.iter().position(|d| *d == ds) else {
            continue;
        };
        let start_min = i64::from(ts.hour() * 60 + ts.minute());
        let end_min = if de > ds {
            close
        } else {
            i64::from(te.hour() * 60 + te.minute())
        };
        let first = ((start_min - open).max(0) / slot) as usize;
        let last = (((end_min.min(close) - open) + slot - 1) / slot).max(0) as usize;
        if first >= n_slots || last <= first {
            continue;
        }
        let last = last.min(n_slots);
        if covered[first][col] {
            continue;
        }
        starts[first][col] = Some((last - first, b));
        for row in covered.iter_mut().take(last).skip(first) {
            row[col] = true;
        }
    }
    let mut rows = Vec::with_capacity(n_slots);
    for (r, row_starts) in starts.iter().enumerate() {
        let minutes = open + r as i64 * slot;
        let time = format!("{:02}:{:02}", minutes / 60, minutes % 60);
        let mut cells = Vec::new();
        for (c, d) in dates.iter().enumerate() {
            match row_starts[c] {
                Some((span, b)) => cells.push(Cell {
                    date: d.to_string(),
                    time: time.clone(),
                    rowspan: span,
                    booking: Some(item(caller, &v, b, may_cancel(b))),
                    past: false,
                }),
                None if covered[r][c] => {}
                None => {
                    let t =
                        NaiveTime::from_hms_opt((minutes / 60) as u32, (minutes % 60) as u32, 0)
                            .unwrap_or_default();
                    let at = svc::local_midnight(*d)
                        + Duration::minutes(i64::from(t.hour() * 60 + t.minute()));
                    cells.push(Cell {
                        date: d.to_string(),
                        time: time.clone(),
                        rowspan: 1,
                        booking: None,
                        past: at <= now,
                    });
                }
            }
        }
        rows.push(SlotRow { time, cells });
    }
    let day_label = |d: &NaiveDate| format!("{} {}", weekday(ui, *d), d.format("%m-%d"));
    let days = dates
        .iter()
        .map(|d| DayHead {
            date: d.to_string(),
            label: day_label(d),
            today: *d == today,
        })
        .collect();
    let day_lists = dates
        .iter()
        .map(|d| DayList {
            date: d.to_string(),
            label: day_label(d),
            today: *d == today,
            items: bookings
                .iter()
                .filter(|b| local_hm(b.starts_at).0 == *d)
                .map(|b| item(caller, &v, b, may_cancel(b)))
                .collect(),
        })
        .collect();
    // Who may book, and for whom.
    let mut can_book = false;
    let mut book_note = None;
    let mut book_for = None;
    let mut org_fields = Vec::new();
    if space.data.kind.is_bookable() {
        if caller.user.is_none() {
            book_note = Some(ui.t("park.cal.login").to_string());
        } else if can_manage {
            can_book = true;
            let choices = match org_choices(s, &v).await? {
                Some(mut choices) => {
                    if let Some((o, n)) = &own
                        && !choices.iter().any(|(c, _)| c == o)
                    {
                        choices.insert(0, (*o, n.clone()));
                    }
                    choices
                }
                None => vec![],
            };
            org_fields.push(org_field(ui, errors, &form.organization_id, &choices));
        } else if let Some((o, n)) = &own {
            if svc::require_book(&s.store, caller, &v, *o).await.is_ok() {
                can_book = true;
                book_for = Some(ui.tf("park.cal.for_org", &[n]));
            } else {
                book_note = Some(ui.t("park.cal.not_member").to_string());
            }
        } else {
            book_note = Some(ui.t("park.cal.not_member").to_string());
        }
    }
    let hint = ui.t("park.hint.time");
    let time_field = |name: &'static str, val: &Option<String>| {
        let mut f = field(ui, name, "input", errors)
            .value(val)
            .required()
            .hint(hint);
        let typed = f.value.trim();
        if typed.is_empty() || NaiveTime::parse_from_str(typed, "%H:%M").is_ok() {
            f.input_type = "time";
        }
        f
    };
    let mut fields = org_fields;
    fields.extend([
        date_input(
            field(ui, "date", "input", errors)
                .value(&form.date)
                .required(),
        ),
        time_field("start", &form.start),
        time_field("end", &form.end),
        field(ui, "purpose", "input", errors)
            .value(&form.purpose)
            .required()
            .wide(),
        field(ui, "attendees", "input", errors)
            .value(&form.attendees)
            .required()
            .numeric(),
    ]);
    let allocations = if space.data.kind == SpaceKind::Office {
        svc::allocations_of_space(&s.store, &space)
            .await?
            .into_iter()
            .map(|a| AllocRow {
                id: a.id.to_string(),
                office: space.data.name.clone(),
                org: a.organization_name.clone(),
                org_href: format!("/organizations/{}", a.organization_id),
                period: format!("{} – {}", a.starts_on, a.ends_on),
                note: a
                    .ended_early_on
                    .map(|e| ui.tf("park.detail.ended_early", &[&e.to_string()]))
                    .unwrap_or_default(),
                can_end: false,
            })
            .collect()
    } else {
        vec![]
    };
    let href = |d: NaiveDate| format!("/spaces/{}?week={d}", space.id);
    Ok(CalendarPage {
        ui: ui.clone(),
        space_id: space.id.to_string(),
        space_name: space.data.name.clone(),
        kind: space.data.kind.label(lang),
        capacity: space.data.capacity,
        venue_href: format!("/venues/{}", v.id),
        venue_name: v.data.name.clone(),
        bookable: space.data.kind.is_bookable(),
        allocations,
        week_label: ui.tf(
            "park.cal.week",
            &[
                &monday.to_string(),
                &(monday + Duration::days(6)).to_string(),
            ],
        ),
        prev_href: href(monday - Duration::days(7)),
        next_href: href(monday + Duration::days(7)),
        this_week_href: href(svc::week_of(today)),
        hours_note: ui.tf(
            "park.cal.hours",
            &[
                &rules.opens_at_hour.to_string(),
                &rules.closes_at_hour.to_string(),
                &rules.slot_minutes.to_string(),
            ],
        ),
        days,
        rows,
        day_lists,
        can_book,
        book_note,
        book_for,
        summary: summary(
            ui,
            errors,
            &[
                "organization_id",
                "date",
                "start",
                "end",
                "purpose",
                "attendees",
            ],
        ),
        fields,
    })
}

/// `GET /spaces/{id}?week=YYYY-MM-DD`
pub async fn calendar(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    q: Result<Query<WeekQuery>, QueryRejection>,
) -> Response {
    let ui = ui.with_nav("venues");
    let week = q.ok().and_then(|Query(q)| q.week);
    let form = BookForm {
        date: Some(today().to_string()),
        attendees: Some("1".into()),
        ..Default::default()
    };
    let r = match parse_id(&id) {
        Ok(sid) => {
            calendar_page(
                &s,
                &ui,
                &caller,
                sid,
                week.as_deref(),
                &form,
                &FieldErrors::new(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match r {
        Ok(p) => render(StatusCode::OK, &p),
        Err(e) => error_page(&ui, &e),
    }
}

/// `POST /spaces/{id}/bookings`: 303 to the booking's week, or the calendar again with
/// the errors (422), an overlap on the start field (409).
pub async fn book(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<CsrfForm<BookForm>, ()>,
) -> Response {
    let ui = ui.with_nav("venues");
    let sid = match parse_id(&id) {
        Ok(x) => x,
        Err(e) => return error_page(&ui, &e),
    };
    let ui = ui.at(format!("/spaces/{sid}"));
    let form = match form_body(&caller, form) {
        Ok(f) => f,
        Err(e) => return error_page(&ui, &e),
    };
    let draft = BookingDraft {
        date: form.date.clone(),
        start: form.start.clone(),
        end: form.end.clone(),
        purpose: form.purpose.clone(),
        attendees: form.attendees.clone(),
    };
    let r = svc::book(
        &s,
        &caller,
        sid,
        form.organization_id.as_deref(),
        &draft,
        FieldErrors::new(),
    )
    .await;
    match r {
        Ok(b) => {
            let monday = svc::week_of(local_hm(b.starts_at).0);
            see_other(&format!("/spaces/{sid}?week={monday}#b-{}", b.id))
        }
        Err(e) => match form_errors(&e, ui.t("park.cal.overlap")) {
            Some((status, errs)) => {
                // Show the week the user was trying to book.
                let week = form
                    .date
                    .as_deref()
                    .filter(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").is_ok());
                match calendar_page(&s, &ui, &caller, sid, week, &form, &errs).await {
                    Ok(p) => render(status, &p),
                    Err(e) => error_page(&ui, &e),
                }
            }
            None => error_page(&ui, &e),
        },
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct CancelForm {}

/// `POST /bookings/{id}/cancel`: 303 back to the booking's week.
pub async fn cancel_booking(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<CsrfForm<CancelForm>, ()>,
) -> Response {
    let ui = ui.with_nav("venues");
    if let Err(e) = form_body(&caller, form) {
        return error_page(&ui, &e);
    }
    let bid = match parse_id(&id) {
        Ok(b) => b,
        Err(e) => return error_page(&ui, &e),
    };
    match svc::cancel(&s.store, &caller, bid).await {
        Ok(b) => {
            let monday = svc::week_of(local_hm(b.starts_at).0);
            see_other(&format!("/spaces/{}?week={monday}", b.space_id))
        }
        Err(e) => error_page(&ui, &e),
    }
}
