//! The home page (what Shuniu is, the jurisdiction tree with its counts) and the page
//! of one jurisdiction.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_store::SubtreeStats;

use crate::kit::extract::PathCode;
use crate::kit::ui::{Ui, render};
use crate::kit::view::{Crumb, depth, fmt_int};
use crate::{AppError, AppState, PageResult};

/// One node in a table of the tree.
pub struct NodeRow {
    pub code: String,
    pub name: String,
    pub level: &'static str,
    pub depth: usize,
    pub organizations: String,
    pub staff: String,
}

impl NodeRow {
    fn new(ui: &Ui, j: &Jurisdiction, stats: &BTreeMap<String, SubtreeStats>, top: usize) -> Self {
        let s = stats.get(j.code.as_str()).copied().unwrap_or_default();
        NodeRow {
            code: j.code.to_string(),
            name: j.name(ui.lang).to_string(),
            level: j.level.label(ui.lang),
            depth: depth(j.level).saturating_sub(top),
            organizations: fmt_int(s.organizations),
            staff: fmt_int(s.staff),
        }
    }
}

/// A headline figure.
pub struct Figure {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "jurisdictions/home.html")]
struct HomePage {
    ui: Ui,
    figures: Vec<Figure>,
    /// From the top of the tree to the node the data cover.
    scope: Vec<Crumb>,
    rows: Vec<NodeRow>,
}

pub async fn home(State(s): State<AppState>, ui: Ui) -> PageResult {
    let ui = ui.with_nav("home");
    Ok(render(StatusCode::OK, &home_page(&s, &ui).await?))
}

/// The home page answers for the node the data cover (`data_node`: the demo's Xuanwu,
/// not the province whose other districts are empty): its figures, the number of areas
/// below holding organizations, and the table of it and its areas down to streets. The
/// ancestors above it are links, so the rest of the tree is a click away.
async fn home_page(s: &AppState, ui: &Ui) -> Result<HomePage, AppError> {
    let Some(node) = crate::kit::view::data_node(&s.store).await? else {
        return Ok(HomePage {
            ui: ui.clone(),
            figures: vec![],
            scope: vec![],
            rows: vec![],
        });
    };
    let stats = s.store.subtree_stats_under(&node).await?;
    let nodes = s
        .store
        .jurisdiction_subtree_shared(&node, Level::Street)
        .await?;
    let total = stats.get(node.code.as_str()).copied().unwrap_or_default();
    let children: Vec<&Jurisdiction> = nodes
        .iter()
        .filter(|j| depth(j.level) == depth(node.level) + 1)
        .collect();
    let holding = children
        .iter()
        .filter(|c| {
            stats
                .get(c.code.as_str())
                .is_some_and(|s| s.organizations > 0)
        })
        .count();
    let mut figures = vec![
        Figure {
            value: fmt_int(total.organizations),
            label: ui.tf("home.fig.orgs", &[node.name(ui.lang)]),
        },
        Figure {
            value: fmt_int(total.staff),
            label: ui.t("home.fig.staff").into(),
        },
    ];
    if !children.is_empty() {
        figures.push(Figure {
            value: format!("{} / {}", fmt_int(holding as i64), fmt_int(children.len() as i64)),
            label: ui.t("home.fig.children").into(),
        });
    }
    // The way down to the node, each a link to its jurisdiction page.
    let mut scope = Vec::new();
    for code in node.path.trim_end_matches('/').split('/') {
        if let Some(a) = s.store.jurisdiction(code).await? {
            scope.push(Crumb::new(a.name(ui.lang), format!("/jurisdictions/{}", a.code)));
        }
    }
    let top = depth(node.level);
    Ok(HomePage {
        ui: ui.clone(),
        figures,
        scope,
        rows: nodes
            .iter()
            .map(|j| NodeRow::new(ui, j, &stats, top))
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "jurisdictions/jurisdiction.html")]
struct JurisdictionPage {
    ui: Ui,
    code: String,
    name: String,
    other_name: String,
    level: &'static str,
    crumbs: Vec<Crumb>,
    organizations: String,
    staff: String,
    children: Vec<NodeRow>,
    /// The hub structure of a district (一核两轴) or a street (1+1+X): link and label.
    structure: Option<(String, String)>,
    /// Districts and streets have coverage reports.
    has_coverage: bool,
    /// A district's or a street's figures: 1+1+X, coverage, organizations by domain.
    figures: super::figures::Figures,
}

pub async fn jurisdiction(
    State(s): State<AppState>,
    ui: Ui,
    PathCode(code): PathCode,
) -> PageResult {
    Ok(render(
        StatusCode::OK,
        &jurisdiction_page(&s, &ui, &code).await?,
    ))
}

async fn jurisdiction_page(
    s: &AppState,
    ui: &Ui,
    code: &str,
) -> Result<JurisdictionPage, AppError> {
    if code.len() > 12 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::NotFound);
    }
    let j = s
        .store
        .jurisdiction(code)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut crumbs = vec![Crumb::home(ui)];
    for anc in j.path.trim_end_matches('/').split('/') {
        if anc == j.code.as_str() {
            break;
        }
        if let Some(a) = s.store.jurisdiction(anc).await? {
            crumbs.push(Crumb::new(
                a.name(ui.lang),
                format!("/jurisdictions/{}", a.code),
            ));
        }
    }
    let stats = s.store.subtree_stats_under(&j).await?;
    let total = stats.get(j.code.as_str()).copied().unwrap_or_default();
    let children = s
        .store
        .jurisdiction_children(j.code.as_str())
        .await?
        .iter()
        .map(|c| NodeRow::new(ui, c, &stats, depth(c.level)))
        .collect();
    let other = match ui.lang {
        shuniu_domain::Lang::Zh => shuniu_domain::Lang::En,
        shuniu_domain::Lang::En => shuniu_domain::Lang::Zh,
    };
    let figures = super::figures::figures(s, ui, &j).await?;
    Ok(JurisdictionPage {
        ui: ui.clone(),
        figures,
        code: j.code.to_string(),
        name: j.name(ui.lang).to_string(),
        other_name: j.name(other).to_string(),
        level: j.level.label(ui.lang),
        crumbs,
        organizations: fmt_int(total.organizations),
        staff: fmt_int(total.staff),
        children,
        structure: match j.level {
            Level::District => Some((
                format!("/structure/{}", j.code),
                ui.t("jurisdiction.structure_district").to_string(),
            )),
            Level::Street => Some((
                format!("/structure/{}", j.code),
                ui.t("jurisdiction.structure_street").to_string(),
            )),
            _ => None,
        },
        has_coverage: matches!(j.level, Level::District | Level::Street),
    })
}
