//! Party-building and coverage pages: an organization's party facts, instructors, coverage of districts, streets and hubs.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use shuniu_domain::FieldErrors;
use shuniu_domain::access::{Action, Resource};
use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_domain::party::{InstructorDraft, PartyBuildingDraft, Share, org_covered, work_covered};
use shuniu_domain::registry::{Organization, PartyOrg};
use shuniu_store::{CoverageScope, Gap, Page};
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::forms::{CsrfForm, Field, SummaryItem};
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, error_page, render, see_other};
use crate::kit::view::{Opt, fmt_int, jurisdiction_options, options, pct, tree};
use crate::party::{self, Figures, GapQuery, InstructorQuery};
use crate::{AppError, AppState};

pub fn routes() -> Routes {
    Routes::new()
        .get("/organizations/{id}/party", party_page)
        .post("/organizations/{id}/party", party_post)
        .get("/instructors", instructors_page)
        .post("/instructors", instructors_post)
        .get("/coverage/{code}", jurisdiction_coverage)
        .get("/hubs/{id}/coverage", hub_coverage)
}

/// The label of one of this module's form fields (or query parameters).
fn label(ui: &Ui, field: &str) -> &'static str {
    match field {
        "party_org" => ui.t("cov.f.party_org"),
        "party_members" => ui.t("cov.f.party_members"),
        "instructor_id" => ui.t("cov.f.instructor_id"),
        "name" => ui.t("cov.f.name"),
        "phone" => ui.t("cov.f.phone"),
        "jurisdiction" => ui.t("cov.f.jurisdiction"),
        "workplace" => ui.t("cov.f.workplace"),
        "gap" => ui.t("cov.f.gap"),
        "page" => ui.t("cov.f.page"),
        "per_page" => ui.t("cov.f.per_page"),
        _ => "",
    }
}

fn field(ui: &Ui, name: &'static str, kind: &'static str, errors: &FieldErrors) -> Field {
    let mut f = Field::new(ui, name, kind, errors);
    f.label = label(ui, name);
    f
}

/// The error summary, in `order`, with this module's labels.
fn summary(ui: &Ui, errors: &FieldErrors, order: &[&str]) -> Vec<SummaryItem> {
    let mut keys: Vec<&String> = errors.0.keys().collect();
    keys.sort_by_key(|k| order.iter().position(|f| f == k).unwrap_or(usize::MAX));
    keys.into_iter()
        .map(|k| SummaryItem {
            name: k.clone(),
            label: match label(ui, k) {
                "" => k.clone(),
                l => l.to_string(),
            },
            message: errors.0[k].message(ui.lang).to_string(),
        })
        .collect()
}

/// Errors as lines `label: message`.
fn error_lines(ui: &Ui, errors: &FieldErrors) -> Vec<String> {
    summary(ui, errors, &[])
        .into_iter()
        .map(|s| format!("{}{}{}", s.label, ui.t("punct.colon"), s.message))
        .collect()
}

/// The CSRF check of these forms; an anonymous caller is refused by the policy instead.
fn check_csrf(caller: &Caller, token: Option<&str>) -> Result<(), AppError> {
    if caller.user.is_none() {
        return Ok(());
    }
    caller.check_csrf(token)
}

// ---------------------------------------------------------------------------
// An organization's party building

pub struct InstructorLine {
    pub name: String,
    pub workplace: String,
    pub phone: String,
}

#[derive(Template)]
#[template(path = "party/party_org.html")]
struct PartyPage {
    ui: Ui,
    title: String,
    id: String,
    name: String,
    party_org: &'static str,
    party_members: String,
    instructor: Option<InstructorLine>,
    org_covered: bool,
    work_covered: bool,
    can_edit: bool,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
    banner: Option<String>,
    no_instructors: bool,
}

async fn party_view(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: &str,
    typed: Option<&PartyBuildingDraft>,
    errors: &FieldErrors,
    banner: Option<String>,
) -> Result<PartyPage, AppError> {
    let id = Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    let v = party::view(&s.store, caller, id).await?;
    let lang = ui.lang;
    let d = &v.org.data;
    let mut fields = vec![];
    let mut no_instructors = false;
    if v.can_edit {
        let stored = PartyBuildingDraft {
            party_org: Some(d.party_org.as_str().into()),
            party_members: Some(d.party_members.to_string()),
            instructor_id: v.instructor.as_ref().map(|i| i.id.to_string()),
        };
        let draft = typed.unwrap_or(&stored);
        let s_ = |o: &Option<String>| o.clone().unwrap_or_default();
        let mut choices = party::instructor_choices(&s.store, &v.scope).await?;
        // The select holds the district's first 200 by name: keep the assigned one
        // selectable, or saving the form would silently unassign them.
        if let Some(i) = &v.instructor
            && !choices.iter().any(|c| c.id == i.id)
        {
            choices.push(i.clone());
        }
        no_instructors = choices.is_empty();
        let current = s_(&draft.instructor_id);
        let mut opts = vec![Opt::new(
            "",
            ui.t("cov.party.no_instructor"),
            current.trim().is_empty(),
        )];
        for i in &choices {
            let text = if i.data.workplace.is_empty() {
                i.data.name.clone()
            } else {
                format!("{}（{}）", i.data.name, i.data.workplace)
            };
            opts.push(Opt::new(
                i.id.to_string(),
                text,
                i.id.to_string() == current.trim(),
            ));
        }
        let members = field(ui, "party_members", "input", errors)
            .value(&draft.party_members)
            .numeric()
            .hint(ui.t("cov.party.hint.members"));
        fields = vec![
            field(ui, "party_org", "select", errors)
                .required()
                .options(options(
                    PartyOrg::ALL,
                    PartyOrg::as_str,
                    |x| x.label(lang).into(),
                    &s_(&draft.party_org),
                    None,
                )),
            members,
            field(ui, "instructor_id", "select", errors)
                .options(opts)
                .hint(ui.t("cov.party.hint.instructor"))
                .wide(),
        ];
    }
    let instructor = v.instructor.as_ref().map(|i| InstructorLine {
        name: i.data.name.clone(),
        workplace: i.data.workplace.clone(),
        phone: v.instructor_phone().unwrap_or_default(),
    });
    Ok(PartyPage {
        ui: ui.clone(),
        title: ui.tf("cov.party.title", &[&d.name]),
        id: v.org.id.to_string(),
        name: d.name.clone(),
        party_org: d.party_org.label(lang),
        party_members: d.party_members.to_string(),
        org_covered: org_covered(d.party_org),
        work_covered: work_covered(d.party_org, v.instructor.is_some()),
        instructor,
        can_edit: v.can_edit,
        fields,
        summary: summary(ui, errors, &["party_org", "party_members", "instructor_id"]),
        banner,
        no_instructors,
    })
}

/// `GET /organizations/{id}/party`
async fn party_page(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let ui = ui.with_nav("orgs");
    match party_view(&s, &ui, &caller, &id, None, &FieldErrors::new(), None).await {
        Ok(p) => render(StatusCode::OK, &p),
        Err(e) => error_page(&ui, &e),
    }
}

/// `POST /organizations/{id}/party` (form): 303 back to the page, or the form again.
async fn party_post(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<CsrfForm<PartyBuildingDraft>, ()>,
) -> Response {
    let ui = ui.with_nav("orgs");
    let Ok(oid) = Uuid::parse_str(id.trim()) else {
        return error_page(&ui, &AppError::NotFound);
    };
    let Ok(CsrfForm(draft, token)) = form else {
        return error_page(&ui, &AppError::BadRequest("form".into()));
    };
    if let Err(e) = check_csrf(&caller, token.as_deref()) {
        return error_page(&ui, &e);
    }
    let (errors, banner, status) =
        match party::set(&s.store, &caller, oid, &draft, FieldErrors::new()).await {
            Ok(o) => return see_other(&format!("/organizations/{}/party", o.id)),
            Err(AppError::Validation(f)) => (f, None, StatusCode::UNPROCESSABLE_ENTITY),
            Err(AppError::State(_)) => (
                FieldErrors::new(),
                Some(ui.t("cov.party.state_conflict").to_string()),
                StatusCode::CONFLICT,
            ),
            Err(e) => return error_page(&ui, &e),
        };
    match party_view(&s, &ui, &caller, &id, Some(&draft), &errors, banner).await {
        Ok(p) => render(status, &p),
        Err(e) => error_page(&ui, &e),
    }
}

// ---------------------------------------------------------------------------
// Instructors

pub struct InstructorRow {
    pub name: String,
    pub phone: String,
    pub jurisdiction: String,
    pub workplace: String,
    pub organizations: String,
}

#[derive(Template)]
#[template(path = "party/party_instructors.html")]
struct InstructorsPage {
    ui: Ui,
    place: String,
    code: String,
    places: Vec<Opt>,
    rows: Vec<InstructorRow>,
    count_line: String,
    prev: Option<String>,
    next: Option<String>,
    can_manage: bool,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

async fn instructors_view(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    q: &InstructorQuery,
    typed: Option<&InstructorDraft>,
    errors: &FieldErrors,
) -> Result<InstructorsPage, AppError> {
    let l = party::instructors(&s.store, caller, q).await?;
    let lang = ui.lang;
    let nodes = tree(&s.store, Level::Street).await?;
    let names: HashMap<&str, &str> = nodes
        .iter()
        .map(|j| (j.code.as_str(), j.name(lang)))
        .collect();
    let code = l.jurisdiction.code.to_string();
    let rows = l
        .page
        .items
        .iter()
        .map(|i| InstructorRow {
            name: i.data.name.clone(),
            phone: i
                .data
                .phone
                .as_ref()
                .map(|p| {
                    if l.can_manage {
                        p.to_string()
                    } else {
                        p.masked()
                    }
                })
                .unwrap_or_default(),
            jurisdiction: names
                .get(i.data.jurisdiction.as_str())
                .map(|n| n.to_string())
                .unwrap_or_else(|| i.data.jurisdiction.to_string()),
            workplace: i.data.workplace.clone(),
            organizations: fmt_int(i.organizations),
        })
        .collect();
    let pages = l.page.pages().max(1);
    let href = |n: u32| format!("/instructors?jurisdiction={code}&page={n}");
    let mut fields = vec![];
    if l.can_manage {
        let blank = InstructorDraft {
            jurisdiction: Some(code.clone()),
            ..Default::default()
        };
        let d = typed.unwrap_or(&blank);
        let mut phone = field(ui, "phone", "input", errors).value(&d.phone);
        phone.input_type = "tel";
        phone.autocomplete = "tel";
        // Only nodes the caller keeps instructors for are offered.
        let mine: Vec<Jurisdiction> = nodes
            .iter()
            .filter(|j| {
                caller
                    .decide(
                        Action::ManageInstructors,
                        &Resource::Jurisdiction { path: &j.path },
                    )
                    .is_allowed()
            })
            .cloned()
            .collect();
        fields = vec![
            field(ui, "name", "input", errors).value(&d.name).required(),
            phone,
            field(ui, "jurisdiction", "select", errors)
                .required()
                .options(jurisdiction_options(
                    &mine,
                    lang,
                    d.jurisdiction.as_deref().unwrap_or_default(),
                    ui.t("form.choose"),
                )),
            field(ui, "workplace", "input", errors).value(&d.workplace),
        ];
    }
    Ok(InstructorsPage {
        ui: ui.clone(),
        place: l.jurisdiction.name(lang).to_string(),
        code: code.clone(),
        places: jurisdiction_options(&nodes, lang, &code, ui.t("form.choose")),
        rows,
        count_line: ui.tf(
            "cov.instr.summary",
            &[
                &fmt_int(l.page.total),
                &l.page.page.to_string(),
                &pages.to_string(),
            ],
        ),
        prev: (l.page.page > 1).then(|| href((l.page.page - 1).min(pages))),
        next: (l.page.page < pages).then(|| href(l.page.page + 1)),
        can_manage: l.can_manage,
        fields,
        summary: summary(ui, errors, &["name", "phone", "jurisdiction", "workplace"]),
    })
}

/// `GET /instructors?jurisdiction=`
async fn instructors_page(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    q: Result<Query<InstructorQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(q)) = q else {
        return error_page(&ui, &AppError::BadRequest("query".into()));
    };
    match instructors_view(&s, &ui, &caller, &q, None, &FieldErrors::new()).await {
        Ok(p) => render(StatusCode::OK, &p),
        Err(AppError::Validation(f)) => {
            // A bad filter: the caller's own list, with the problem named.
            let mut page =
                match instructors_view(&s, &ui, &caller, &Default::default(), None, &f).await {
                    Ok(p) => p,
                    Err(e) => return error_page(&ui, &e),
                };
            page.summary = summary(&ui, &f, &["jurisdiction", "page", "per_page"]);
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => error_page(&ui, &e),
    }
}

/// `POST /instructors` (form): 303 to the list of its jurisdiction, or the form again.
async fn instructors_post(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    form: Result<CsrfForm<InstructorDraft>, ()>,
) -> Response {
    let ui = ui.at("/instructors");
    let Ok(CsrfForm(draft, token)) = form else {
        return error_page(&ui, &AppError::BadRequest("form".into()));
    };
    if let Err(e) = check_csrf(&caller, token.as_deref()) {
        return error_page(&ui, &e);
    }
    match party::create_instructor(&s.store, &caller, &draft, FieldErrors::new()).await {
        Ok(i) => see_other(&format!(
            "/instructors?jurisdiction={}",
            i.data.jurisdiction
        )),
        Err(AppError::Validation(f)) => {
            let q = InstructorQuery {
                jurisdiction: draft.jurisdiction.clone(),
                ..Default::default()
            };
            let page = match instructors_view(&s, &ui, &caller, &q, Some(&draft), &f).await {
                Ok(p) => Ok(p),
                Err(AppError::Validation(_)) => {
                    instructors_view(&s, &ui, &caller, &Default::default(), Some(&draft), &f).await
                }
                Err(e) => Err(e),
            };
            match page {
                Ok(p) => render(StatusCode::UNPROCESSABLE_ENTITY, &p),
                Err(e) => error_page(&ui, &e),
            }
        }
        Err(e) => error_page(&ui, &e),
    }
}

// ---------------------------------------------------------------------------
// Coverage reports

pub struct Crumb {
    pub name: String,
    pub href: String,
}

pub struct Bar {
    pub label: &'static str,
    pub note: &'static str,
    pub percent: String,
    pub permille: i64,
    pub detail: String,
}

pub struct ChildRow {
    pub name: String,
    pub href: String,
    pub organizations: String,
    pub org: String,
    pub work: String,
    pub regional: String,
    pub industry: String,
}

pub struct Tab {
    pub label: &'static str,
    pub href: String,
    pub count: String,
    pub current: bool,
}

pub struct GapRow {
    pub name: String,
    pub href: String,
    pub place: String,
    pub party_org: &'static str,
}

#[derive(Template)]
#[template(path = "party/coverage_report.html")]
struct CoveragePage {
    ui: Ui,
    heading: String,
    intro: &'static str,
    crumbs: Vec<Crumb>,
    bars: Vec<Bar>,
    show_children: bool,
    children_title: &'static str,
    children: Vec<ChildRow>,
    tabs: Vec<Tab>,
    gap_label: &'static str,
    errors: Vec<String>,
    rows: Vec<GapRow>,
    count_line: String,
    beyond: Option<String>,
    prev: Option<String>,
    next: Option<String>,
    instructors: Option<String>,
}

fn bars(ui: &Ui, f: &Figures) -> Vec<Bar> {
    let bar = |label, note, s: Share| Bar {
        label,
        note,
        percent: s.percent_text(),
        permille: s.permille(),
        detail: ui.tf("cov.fig.of", &[&fmt_int(s.covered), &fmt_int(s.total)]),
    };
    vec![
        bar(
            ui.t("cov.fig.org"),
            ui.t("cov.fig.org_note"),
            f.party.organizations,
        ),
        bar(
            ui.t("cov.fig.work"),
            ui.t("cov.fig.work_note"),
            f.party.work,
        ),
        bar(
            ui.t("cov.fig.regional"),
            ui.t("cov.fig.regional_note"),
            f.hubs.regional,
        ),
        bar(
            ui.t("cov.fig.industry"),
            ui.t("cov.fig.industry_note"),
            f.hubs.industry,
        ),
    ]
}

fn gap_label(ui: &Ui, g: Gap) -> &'static str {
    match g {
        Gap::PartyOrganization => ui.t("cov.gap.party_organization"),
        Gap::PartyWork => ui.t("cov.gap.party_work"),
        Gap::RegionalHub => ui.t("cov.gap.regional_hub"),
        Gap::IndustryHub => ui.t("cov.gap.industry_hub"),
    }
}

/// How many organizations fall in a gap, from the figures (no extra query).
fn gap_count(f: &Figures, g: Gap) -> i64 {
    let s = match g {
        Gap::PartyOrganization => f.party.organizations,
        Gap::PartyWork => f.party.work,
        Gap::RegionalHub => f.hubs.regional,
        Gap::IndustryHub => f.hubs.industry,
    };
    s.total - s.covered
}

/// The parts every coverage page shares: bars, gap tabs, the uncovered list.
#[allow(clippy::too_many_arguments)]
async fn report_page(
    s: &AppState,
    ui: &Ui,
    base: &str,
    scope: &CoverageScope,
    figures: &Figures,
    q: &GapQuery,
    heading: String,
    intro: &'static str,
    crumbs: Vec<Crumb>,
) -> Result<(StatusCode, CoveragePage), AppError> {
    let lang = ui.lang;
    let (gap, page, per_page, errors, status) = match q.parse() {
        Ok((g, p, pp)) => (
            g.unwrap_or(Gap::PartyOrganization),
            p,
            pp,
            vec![],
            StatusCode::OK,
        ),
        Err(e) => (
            Gap::PartyOrganization,
            1,
            20,
            error_lines(ui, &e),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    let tabs = Gap::ALL
        .iter()
        .map(|g| Tab {
            label: gap_label(ui, *g),
            href: format!("{base}?gap={}", g.as_str()),
            count: fmt_int(gap_count(figures, *g)),
            current: *g == gap,
        })
        .collect();
    let p: Page<Organization> = party::uncovered(&s.store, scope, gap, page, per_page).await?;
    // The rows' places in one query, not one per row.
    let codes: Vec<&str> = p
        .items
        .iter()
        .map(|o| o.data.jurisdiction.as_str())
        .collect();
    let mut places: HashMap<String, String> = s
        .store
        .jurisdictions_by_codes(&codes)
        .await?
        .into_iter()
        .map(|j| (j.code.to_string(), j.name(lang).to_string()))
        .collect();
    for c in codes {
        places.entry(c.to_string()).or_insert_with(|| c.to_string());
    }
    let rows = p
        .items
        .iter()
        .map(|o| GapRow {
            name: o.data.name.clone(),
            href: format!("/organizations/{}", o.id),
            place: places[o.data.jurisdiction.as_str()].clone(),
            party_org: o.data.party_org.label(lang),
        })
        .collect();
    let pages = p.pages().max(1);
    let pp = if per_page == 20 {
        String::new()
    } else {
        format!("&per_page={per_page}")
    };
    let href = |n: u32| format!("{base}?gap={}{pp}&page={n}", gap.as_str());
    Ok((
        status,
        CoveragePage {
            ui: ui.clone(),
            heading,
            intro,
            crumbs,
            bars: bars(ui, figures),
            show_children: false,
            children_title: ui.t("cov.children"),
            children: vec![],
            tabs,
            gap_label: gap_label(ui, gap),
            errors,
            rows,
            count_line: if p.total == 0 {
                String::new()
            } else {
                ui.tf(
                    "cov.gaps.summary",
                    &[&fmt_int(p.total), &p.page.to_string(), &pages.to_string()],
                )
            },
            beyond: (p.items.is_empty() && p.total > 0).then(|| href(1)),
            prev: (p.page > 1).then(|| href((p.page - 1).min(pages))),
            next: (p.page < pages).then(|| href(p.page + 1)),
            instructors: None,
        },
    ))
}

/// `GET /coverage/{code}?gap=&page=`: a district's or a street's coverage.
async fn jurisdiction_coverage(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(code): Path<String>,
    q: Result<Query<GapQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(q)) = q else {
        return error_page(&ui, &AppError::BadRequest("query".into()));
    };
    match jurisdiction_view(&s, &ui, &caller, &code, &q).await {
        Ok((status, p)) => render(status, &p),
        Err(e) => error_page(&ui, &e),
    }
}

async fn jurisdiction_view(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    code: &str,
    q: &GapQuery,
) -> Result<(StatusCode, CoveragePage), AppError> {
    let r = party::jurisdiction_report(&s.store, caller, code).await?;
    let lang = ui.lang;
    let j = &r.jurisdiction;
    // Ancestors: to their coverage where the caller may read it, else to their page.
    let mut crumbs = vec![];
    let mut at = String::new();
    for part in j.path.split('/').filter(|p| !p.is_empty()) {
        at.push_str(part);
        at.push('/');
        if part == j.code.as_str() {
            break;
        }
        if let Some(a) = s.store.jurisdiction(part).await? {
            let may = caller
                .decide(Action::ReadReports, &Resource::Jurisdiction { path: &at })
                .is_allowed();
            crumbs.push(Crumb {
                name: a.name(lang).to_string(),
                href: if may {
                    format!("/coverage/{part}")
                } else {
                    format!("/jurisdictions/{part}")
                },
            });
        }
    }
    let base = format!("/coverage/{}", j.code);
    let scope = CoverageScope::Subtree(j.path.clone());
    let (status, mut page) = report_page(
        s,
        ui,
        &base,
        &scope,
        &r.figures,
        q,
        ui.tf("cov.title", &[j.name(lang)]),
        ui.t("cov.intro"),
        crumbs,
    )
    .await?;
    page.show_children = true;
    if j.level == Level::District {
        page.children_title = ui.t("cov.children.streets");
    }
    let pc = |s: Share| s.percent_text();
    page.children = r
        .children
        .iter()
        .map(|c| ChildRow {
            name: c.jurisdiction.name(lang).to_string(),
            href: format!("/coverage/{}", c.jurisdiction.code),
            organizations: fmt_int(c.party.organizations.total),
            org: pc(c.party.organizations),
            work: pc(c.party.work),
            regional: pc(c.hubs.regional),
            industry: pc(c.hubs.industry),
        })
        .collect();
    page.instructors = Some(format!(
        "/instructors?jurisdiction={}",
        pct(j.code.as_str())
    ));
    Ok((status, page))
}

/// `GET /hubs/{id}/coverage?gap=&page=`: coverage of a hub's members.
async fn hub_coverage(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(id): Path<String>,
    q: Result<Query<GapQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(q)) = q else {
        return error_page(&ui, &AppError::BadRequest("query".into()));
    };
    let r = async {
        let hub = party::report_hub(&s.store, &caller, &id).await?;
        let scope = CoverageScope::Hub(hub.id);
        let f = party::figures(&s.store, &scope).await?;
        let crumbs = vec![Crumb {
            name: hub.organization_name.clone(),
            href: format!("/hubs/{}", hub.id),
        }];
        report_page(
            &s,
            &ui,
            &format!("/hubs/{}/coverage", hub.id),
            &scope,
            &f,
            &q,
            ui.tf("cov.hub.title", &[&hub.organization_name]),
            ui.t("cov.hub.intro"),
            crumbs,
        )
        .await
    }
    .await;
    match r {
        Ok((status, p)) => render(status, &p),
        Err(e) => error_page(&ui, &e),
    }
}
