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
    rows: Vec<NodeRow>,
}

pub async fn home(State(s): State<AppState>, ui: Ui) -> PageResult {
    let ui = ui.with_nav("home");
    Ok(render(StatusCode::OK, &home_page(&s, &ui).await?))
}

async fn home_page(s: &AppState, ui: &Ui) -> Result<HomePage, AppError> {
    let mut rows = Vec::new();
    let mut figures = Vec::new();
    for root in s.store.jurisdiction_roots().await? {
        let stats = s.store.subtree_stats_under(&root).await?;
        let nodes = s.store.jurisdiction_subtree(&root, Level::Street).await?;
        let total = stats.get(root.code.as_str()).copied().unwrap_or_default();
        figures.push(Figure {
            value: fmt_int(total.organizations),
            label: ui.tf("home.fig.orgs", &[root.name(ui.lang)]),
        });
        figures.push(Figure {
            value: fmt_int(total.staff),
            label: ui.t("home.fig.staff").into(),
        });
        figures.push(Figure {
            value: fmt_int(nodes.len() as i64),
            label: ui.t("home.fig.nodes").into(),
        });
        rows.extend(nodes.iter().map(|j| NodeRow::new(ui, j, &stats, 0)));
    }
    Ok(HomePage {
        ui: ui.clone(),
        figures,
        rows,
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
    Ok(JurisdictionPage {
        ui: ui.clone(),
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
