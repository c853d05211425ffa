//! `/where`: type a place or pick street → community (a GET form, no script needed);
//! the answer names the community, street and district, several candidates as links
//! when ambiguous; choosing one remembers it in the `place` cookie.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use shuniu_domain::FieldErrors;
use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_domain::places::PlaceNameKind;
use shuniu_store::places::PlaceHit;

use crate::kit::extract::ApiQuery;
use crate::kit::forms::Field;
use crate::kit::i18n::{HomePlace, PLACE_COOKIE};
use crate::kit::labels;
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render};
use crate::kit::view::{Crumb, Opt, pct, tree};
use crate::places::service::{self, Home};
use crate::{AppError, AppState, PageResult};

pub fn routes() -> Routes {
    Routes::new().get("/where", where_page)
}

/// The label scope of the page's fields (`where.f.<name>`).
pub(crate) const SCOPE: &str = "where";
/// The page's fields.
#[cfg(test)]
pub(crate) const FIELDS: [&str; 2] = ["q", "community"];

/// What `/where` takes: a fragment, a chosen community, or `forget`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WhereQuery {
    pub q: Option<String>,
    pub community: Option<String>,
    pub forget: Option<String>,
}

/// A candidate place as a line: where it is, what matched, the link choosing it.
pub struct Candidate {
    pub label: String,
    pub matched: String,
    pub href: String,
}

/// Communities of one street, for the select's group.
pub struct Group {
    pub label: String,
    pub options: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "places/where.html")]
struct WherePage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    q: Field,
    community_error: Option<String>,
    groups: Vec<Group>,
    /// The fragment looked up, when one was.
    asked: Option<String>,
    candidates: Vec<Candidate>,
    home: Option<String>,
    forgotten: bool,
}

/// "梅园新村社区，梅园新村街道，玄武区".
pub fn place_line(ui: &Ui, nodes: [Option<&Jurisdiction>; 3]) -> String {
    nodes
        .iter()
        .flatten()
        .map(|j| j.name(ui.lang).to_string())
        .collect::<Vec<_>>()
        .join(ui.t("where.sep"))
}

fn home_line(ui: &Ui, h: &Home) -> String {
    place_line(ui, [Some(&h.community), h.street.as_ref(), h.district.as_ref()])
}

fn kind_label(ui: &Ui, k: PlaceNameKind) -> &'static str {
    ui.t(match k {
        PlaceNameKind::Road => "where.kind.road",
        PlaceNameKind::Compound => "where.kind.compound",
        PlaceNameKind::Landmark => "where.kind.landmark",
        PlaceNameKind::Community => "where.kind.community",
    })
}

fn candidate(ui: &Ui, h: &PlaceHit) -> Option<Candidate> {
    let community = h.community.as_ref()?;
    Some(Candidate {
        label: place_line(ui, [Some(community), h.street.as_ref(), h.district.as_ref()]),
        matched: ui.tf("where.matched", &[&h.name, kind_label(ui, h.kind)]),
        href: format!("/where?community={}", pct(community.code.as_str())),
    })
}

fn cookie(value: &str, max_age: u32) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{PLACE_COOKIE}={value}; Path=/; Max-Age={max_age}; SameSite=Lax; HttpOnly"
    ))
    .ok()
}

/// The district's communities grouped by street, the chosen one selected.
async fn groups(s: &AppState, ui: &Ui, chosen: &str) -> Result<Vec<Group>, AppError> {
    let nodes = tree(&s.store, Level::Community).await?;
    let mut out: Vec<Group> = Vec::new();
    let mut street: Option<&Jurisdiction> = None;
    for j in nodes.iter() {
        match j.level {
            Level::Street => street = Some(j),
            Level::Community => {
                let label = street.map(|st| st.name(ui.lang).to_string()).unwrap_or_default();
                if out.last().map(|g| &g.label) != Some(&label) {
                    out.push(Group {
                        label,
                        options: vec![],
                    });
                }
                if let Some(g) = out.last_mut() {
                    g.options.push(Opt::new(
                        j.code.as_str(),
                        j.name(ui.lang),
                        j.code.as_str() == chosen.trim(),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// `GET /where`
pub async fn where_page(
    State(s): State<AppState>,
    ui: Ui,
    HomePlace(saved): HomePlace,
    ApiQuery(q): ApiQuery<WhereQuery>,
) -> PageResult {
    let ui = ui.with_nav("where");
    let mut errors = FieldErrors::new();
    let mut status = StatusCode::OK;
    let mut set: Option<HeaderValue> = None;
    let forgotten = q.forget.is_some();
    let chosen = q.community.as_deref().map(str::trim).unwrap_or("");
    let home = if forgotten {
        set = cookie("", 0);
        None
    } else if !chosen.is_empty() {
        match service::require_home(&s.store, "community", chosen).await {
            Ok(h) => {
                set = cookie(h.community.code.as_str(), 31_536_000);
                Some(h)
            }
            Err(AppError::Validation(e)) => {
                errors.absorb(e);
                status = StatusCode::UNPROCESSABLE_ENTITY;
                None
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        match &saved {
            Some(code) => service::home(&s.store, code).await?,
            None => None,
        }
    };
    let mut asked = None;
    let mut candidates = vec![];
    if q.q.is_some() {
        match service::lookup(&s.store, q.q.as_deref()).await {
            Ok((typed, hits)) => {
                candidates = hits.iter().filter_map(|h| candidate(&ui, h)).collect();
                asked = Some(typed);
            }
            Err(AppError::Validation(e)) => {
                errors.absorb(e);
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(e) => return Err(e.into()),
        }
    }
    let selected = home
        .as_ref()
        .map(|h| h.community.code.to_string())
        .unwrap_or_else(|| chosen.to_string());
    let page = WherePage {
        crumbs: vec![Crumb::home(&ui)],
        q: labels::field(&ui, SCOPE, "q", "input", &errors)
            .value(&q.q)
            .hint(ui.t("where.hint.q")),
        community_error: errors
            .get("community")
            .map(|e| e.message(ui.lang).to_string()),
        groups: groups(&s, &ui, &selected).await?,
        asked,
        candidates,
        home: home.as_ref().map(|h| home_line(&ui, h)),
        forgotten,
        ui: ui.clone(),
    };
    let mut res: Response = render(status, &page);
    if let Some(v) = set {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}
