//! Credit-list pages: the public lists (one tab per list) and the organization-page
//! section of supervision facts.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use shuniu_domain::Lang;
use shuniu_domain::jurisdiction::Level;
use shuniu_domain::registry::Organization;
use shuniu_domain::supervision::credit::ListKind;
use shuniu_store::supervision::credit::StoredListing;

use crate::auth::Caller;
use crate::credit::{self, CreditListQuery};
use crate::kit::capability::SectionFuture;
use crate::kit::extract::ApiQuery;
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render};
use crate::kit::view::{self, Crumb, Filter, pct, place_filter_options, tree};
use crate::{AppError, AppState, PageResult, today};

pub fn routes() -> Routes {
    Routes::new()
        .get("/credit-lists", list)
        .get("/credit-lists.csv", crate::kit::export::page_csv::<crate::credit::export::CreditLists>)
        .get("/credit-lists.xlsx", crate::kit::export::page_xlsx::<crate::credit::export::CreditLists>)
}

/// A tab of the lists page.
pub struct Tab {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

/// A listing as the pages show it.
pub struct ListingRow {
    pub id: String,
    pub org_href: String,
    pub organization: String,
    pub jurisdiction: String,
    pub list: &'static str,
    pub listed_on: String,
    pub reason: String,
    pub basis: String,
    pub removed_on: Option<String>,
    pub removal_reason: Option<String>,
}

fn listing_row(
    lang: Lang,
    l: &StoredListing,
    organization: String,
    jurisdiction: String,
) -> ListingRow {
    let pick = |zh: &str, en: &str| match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    };
    ListingRow {
        id: l.id.to_string(),
        org_href: format!("/organizations/{}", l.organization_id),
        organization,
        jurisdiction,
        list: l.list.label(lang),
        listed_on: view::date(lang, l.listed_on),
        reason: pick(&l.reason_zh, &l.reason_en),
        basis: pick(&l.basis_zh, &l.basis_en),
        removed_on: l.removed_on.map(|d| view::date(lang, d)),
        removal_reason: match (&l.removal_reason_zh, &l.removal_reason_en) {
            (Some(zh), Some(en)) => Some(pick(zh, en)),
            _ => None,
        },
    }
}

#[derive(Template)]
#[template(path = "credit/list.html")]
struct ListPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    tabs: Vec<Tab>,
    list: String,
    filters: Vec<Filter>,
    errors: Vec<String>,
    rows: Vec<ListingRow>,
    summary: String,
    prev: Option<String>,
    next: Option<String>,
    /// The list with its filters as CSV and Excel.
    downloads: crate::kit::export::Links,
}

/// `/credit-lists`: one list (tab) at a time, filtered by jurisdiction, paged.
pub async fn list(
    State(s): State<AppState>,
    ui: Ui,
    ApiQuery(q): ApiQuery<CreditListQuery>,
) -> PageResult {
    let ui = ui.with_nav("credit");
    let lang = ui.lang;
    let nodes = tree(&s.store, Level::Street).await?;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let jurisdiction = v(&q.jurisdiction);
    let current = ListKind::parse(v(&q.list).trim()).unwrap_or(ListKind::Abnormal);
    let tabs = ListKind::ALL
        .iter()
        .map(|k| {
            let mut href = format!("/credit-lists?list={}", k.as_str());
            if !jurisdiction.trim().is_empty() {
                href.push_str(&format!("&jurisdiction={}", pct(jurisdiction.trim())));
            }
            Tab {
                href,
                label: k.label(lang),
                current: *k == current,
            }
        })
        .collect();
    let mut page = ListPage {
        ui: ui.clone(),
        crumbs: vec![Crumb::home(&ui)],
        tabs,
        list: current.as_str().to_string(),
        filters: vec![Filter {
            name: "jurisdiction",
            label: ui.t("field.jurisdiction"),
            options: place_filter_options(&nodes, lang, &jurisdiction, ui.t("filter.all")),
        }],
        errors: vec![],
        rows: vec![],
        summary: String::new(),
        prev: None,
        next: None,
        downloads: crate::kit::export::Links::new(
            &ui,
            "/credit-lists",
            &crate::credit::export::query_string(&CreditListQuery {
                list: Some(current.as_str().to_string()),
                jurisdiction: q.jurisdiction.clone(),
                ..Default::default()
            }),
        ),
    };
    match credit::list(&s.store, &q).await {
        Ok((_, p, _)) => {
            let names: std::collections::BTreeMap<&str, &str> = nodes
                .iter()
                .map(|j| (j.code.as_str(), j.name(lang)))
                .collect();
            page.rows = p
                .items
                .iter()
                .map(|e| {
                    let code = e
                        .jurisdiction_path
                        .trim_end_matches('/')
                        .rsplit('/')
                        .next()
                        .unwrap_or_default();
                    let place = names
                        .get(code)
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| code.to_string());
                    listing_row(lang, &e.listing, e.organization_name.clone(), place)
                })
                .collect();
            if p.total.count() > 0 {
                page.summary = ui.tf(
                    "credit.summary",
                    &[&crate::kit::paging::total_text(&ui, p.total)],
                );
            }
            let filters = crate::kit::export::filter_query(&[
                ("list", &Some(current.as_str().to_string())),
                ("jurisdiction", &q.jurisdiction),
                ("per_page", &q.per_page),
            ]);
            (page.prev, page.next) =
                crate::kit::paging::links("/credit-lists", &filters, &p);
            Ok(render(StatusCode::OK, &page))
        }
        Err(AppError::Validation(f)) => {
            page.errors = crate::kit::labels::error_lines(&ui, "credit", &f);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

fn event_row(ui: &Ui, e: &shuniu_store::supervision::events::StoredEvent) -> EventRow {
    use shuniu_domain::supervision::credit::EventKind;
    use shuniu_domain::supervision::events::EventCode;
    let detail = match &e.kind {
        EventKind::Fine { amount } => ui.tf("credit.amount", &[&amount.to_string()]),
        EventKind::CorrectionOrdered { due } => ui.tf("credit.due", &[&due.to_string()]),
        _ => String::new(),
    };
    EventRow {
        id: e.id.to_string(),
        on: e.on.to_string(),
        kind: EventCode::of(&e.kind).label(ui.lang),
        detail,
        note: e.note.clone(),
    }
}

#[derive(Template)]
#[template(path = "credit/org_section.html")]
struct SectionPage<'a> {
    ui: &'a Ui,
    authority: String,
    on_abnormal: bool,
    on_serious: bool,
    listings: Vec<ListingRow>,
    events: Vec<EventRow>,
    /// The registration authority's official: may record events and remove listings.
    decides: bool,
    id: String,
}

/// An event's line in the section.
pub struct EventRow {
    pub id: String,
    pub on: String,
    pub kind: &'static str,
    pub detail: String,
    pub note: String,
}

/// The "Registration authority and credit record" section of an organization's page
/// (`Capability::org_sections`). Public facts only.
pub fn org_section<'a>(
    s: &'a AppState,
    ui: &'a Ui,
    caller: &'a Caller,
    org: &'a Organization,
    org_path: &'a str,
) -> SectionFuture<'a> {
    Box::pin(async move {
        let lang = ui.lang;
        let decides = credit::events::is_authority(caller, org, org_path);
        let events = s
            .store
            .credit_events_of(org.id)
            .await?
            .iter()
            .map(|e| event_row(ui, e))
            .collect();
        let today = today();
        let f = credit::supervision_of(&s.store, org, org_path, today).await?;
        let authority = f
            .authority
            .as_ref()
            .map(|j| j.name(lang).to_string())
            .unwrap_or_default();
        let listings = f
            .listings
            .iter()
            .map(|l| listing_row(lang, l, org.data.name.clone(), String::new()))
            .collect();
        SectionPage {
            ui,
            authority,
            on_abnormal: f.on_abnormal,
            on_serious: f.on_serious,
            listings,
            events,
            decides,
            id: org.id.to_string(),
        }
        .render()
        .map_err(|e| AppError::Internal(format!("template failed to render: {e}")))
    })
}
