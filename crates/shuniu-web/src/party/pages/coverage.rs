//! The coverage reports of a jurisdiction or a hub.

use super::*;

pub struct Bar {
    pub label: &'static str,
    pub note: &'static str,
    pub percent: String,
    pub permille: i64,
    pub detail: String,
    /// The band's colour class and its words (shown, so colour is not the only sign).
    pub class: &'static str,
    pub band: &'static str,
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
pub(super) struct CoveragePage {
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
    legend: Vec<chart::LegendItem>,
    /// The areas below compared on party organization coverage (the table has the rest).
    chart: Option<chart::Chart>,
    /// The CSV and Excel downloads of the current gap, and the note on the Excel cap.
    downloads: Option<(String, String, String)>,
}

pub(super) fn bars(ui: &Ui, f: &Figures) -> Vec<Bar> {
    let bar = |label, note, s: Share| Bar {
        label,
        note,
        percent: s.percent_text(),
        permille: s.permille(),
        detail: ui.tf("cov.fig.of", &[&fmt_int(s.covered), &fmt_int(s.total)]),
        class: chart::band_class(s.band()),
        band: chart::band_label(ui, s.band()),
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

pub(super) fn gap_label(ui: &Ui, g: Gap) -> &'static str {
    match g {
        Gap::PartyOrganization => ui.t("cov.gap.party_organization"),
        Gap::PartyWork => ui.t("cov.gap.party_work"),
        Gap::RegionalHub => ui.t("cov.gap.regional_hub"),
        Gap::IndustryHub => ui.t("cov.gap.industry_hub"),
    }
}

/// How many organizations fall in a gap, from the figures (no extra query).
pub(super) fn gap_count(f: &Figures, g: Gap) -> i64 {
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
pub(super) async fn report_page(
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
    let (gap, paging, errors, status) = match q.parse() {
        Ok((g, paging)) => (
            g.unwrap_or(Gap::PartyOrganization),
            paging,
            vec![],
            StatusCode::OK,
        ),
        Err(e) => (
            Gap::PartyOrganization,
            GapQuery::default().parse().expect("the defaults are good").1,
            labels::error_lines(ui, COV, &e),
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
    let (p, _) = party::uncovered(&s.store, scope, gap, &paging).await?;
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
    let gap_code = Some(gap.as_str().to_string());
    let filters = dl::filter_query(&[("gap", &gap_code), ("per_page", &q.per_page)]);
    let (prev, next) = crate::kit::paging::links(base, &filters, &p);
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
            count_line: if p.total.count() == 0 {
                String::new()
            } else {
                ui.tf(
                    "cov.gaps.summary",
                    &[&crate::kit::paging::total_text(ui, p.total)],
                )
            },
            beyond: (p.items.is_empty() && p.total.count() > 0)
                .then(|| format!("{base}?{filters}")),
            prev,
            next,
            instructors: None,
            legend: chart::legend(ui),
            chart: None,
            downloads: (p.total.count() > 0).then(|| {
                let q = format!("?gap={}", gap.as_str());
                (
                    format!("{base}/gaps.csv{q}"),
                    format!("{base}/gaps.xlsx{q}"),
                    ui.tf("cov.dl.note", &[&fmt_int(crate::kit::export::XLSX_CAP as i64)]),
                )
            }),
        },
    ))
}

/// `GET /coverage/{code}?gap=&cursor=`: a district's or a street's coverage.
pub(super) async fn jurisdiction_coverage(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    PathCode(code): PathCode,
    q: Result<Query<GapQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Query(q) = q.map_err(|_| AppError::BadRequest("query".into()))?;
    let (status, page) = jurisdiction_view(&s, &ui, &caller, &code, &q).await?;
    Ok(render(status, &page))
}

pub(super) async fn jurisdiction_view(
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
    let mut crumbs = vec![Crumb::home(ui)];
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
            crumbs.push(Crumb::new(
                a.name(lang),
                if may {
                    format!("/coverage/{part}")
                } else {
                    format!("/jurisdictions/{part}")
                },
            ));
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
    let compared: Vec<(String, String, Share)> = r
        .children
        .iter()
        .map(|c| {
            (
                c.jurisdiction.name(lang).to_string(),
                format!("/coverage/{}", c.jurisdiction.code),
                c.party.organizations,
            )
        })
        .collect();
    page.chart = chart::chart(&compared, ui);
    page.instructors = Some(format!(
        "/instructors?jurisdiction={}",
        pct(j.code.as_str())
    ));
    Ok((status, page))
}

/// `GET /hubs/{id}/coverage?gap=&page=`: coverage of a hub's members.
pub(super) async fn hub_coverage(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    PathCode(id): PathCode,
    q: Result<Query<GapQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Query(q) = q.map_err(|_| AppError::BadRequest("query".into()))?;
    let hub = party::report_hub(&s.store, &caller, &id).await?;
    let scope = CoverageScope::Hub(hub.id);
    let f = party::figures(&s.store, &scope).await?;
    let crumbs = vec![
        Crumb::home(&ui),
        Crumb::new(hub.organization_name.clone(), format!("/hubs/{}", hub.id)),
    ];
    let (status, page) = report_page(
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
    .await?;
    Ok(render(status, &page))
}

/// `GET /coverage`: the caller's own report, as the navigation links it — an
/// official's node, a hub's staff their hub's members, an expert or an admin the node
/// the data cover. Members and visitors read no report: sign in, or 403.
pub(super) async fn own_coverage(State(s): State<AppState>, caller: Caller) -> PageResult {
    use shuniu_domain::access::Role;
    let Some(user) = &caller.user else {
        return Err(AppError::Unauthenticated.into());
    };
    let to = match user.role {
        Role::Official => user.jurisdiction_code.as_ref().map(|c| format!("/coverage/{}", pct(c))),
        Role::HubStaff => match user.organization_id {
            Some(org) => Some(match s.store.hub_of_organization(org).await? {
                Some(hub) => format!("/hubs/{}/coverage", hub.id),
                // Not a recognized hub (any more): the desk says so.
                None => "/my".to_string(),
            }),
            None => None,
        },
        Role::Expert | Role::Admin => crate::kit::view::data_node(&s.store)
            .await?
            .map(|j| format!("/coverage/{}", j.code.as_str())),
        Role::OrgMember => None,
    };
    match to {
        Some(to) => Ok(see_other(&to)),
        None => Err(AppError::Forbidden.into()),
    }
}
