//! The organization list (filters, pagination) and the detail page (every field, the
//! status and the change history).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde_json::Value;
use shuniu_domain::Lang;
use shuniu_domain::jurisdiction::Level;
use shuniu_domain::registry::{
    Grade, LegalForm, OrgStatus, Organization, PartyOrg, ServiceDomain, Stage,
};
use shuniu_store::OrgSort;

use crate::auth::Caller;
use crate::kit::extract::RecordId;
use crate::kit::labels::{self, SITE, label};
use crate::kit::paging::PageLink;
use crate::kit::ui::{Ui, render};
use crate::kit::view::{self, Crumb, Filter, fmt_int, options, place_filter_options, tree};
use crate::registry::{self, ListQuery};
use crate::{AppError, AppState, PageResult, local_time};
use shuniu_domain::access::{Action, Resource};

/// One organization in the list.
pub struct OrgRow {
    pub href: String,
    pub name: String,
    pub legal_form: &'static str,
    pub code: String,
    pub jurisdiction: String,
    pub domains: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub grade: String,
    /// Why it matched the words searched (empty when not searched).
    pub reason: String,
}

#[derive(Template)]
#[template(path = "registry/list.html")]
struct ListPage {
    ui: Ui,
    q: String,
    filters: Vec<Filter>,
    errors: Vec<String>,
    rows: Vec<OrgRow>,
    summary: String,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
    filtered: bool,
    /// Set when the page asked for lies past the last one: a link to the first.
    beyond: Option<String>,
    /// The list with its filters as CSV and Excel.
    downloads: crate::kit::export::Links,
}

pub fn status_class(s: OrgStatus) -> &'static str {
    match s {
        OrgStatus::Active => "ok",
        OrgStatus::Suspended => "warn",
        OrgStatus::Deregistered => "off",
    }
}

pub(crate) fn domain_labels(lang: Lang, ds: &[ServiceDomain]) -> String {
    let sep = lang.pick("、", ", ");
    ds.iter()
        .map(|d| d.label(lang))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The filters of `q` as a query string (without the paging), `key=value` joined by `&`.
pub(crate) fn filter_query(q: &ListQuery) -> String {
    crate::kit::export::filter_query(&[
        ("jurisdiction", &q.jurisdiction),
        ("legal_form", &q.legal_form),
        ("domain", &q.domain),
        ("status", &q.status),
        ("stage", &q.stage),
        ("grade", &q.grade),
        ("q", &q.q),
        ("sort", &q.sort),
        ("per_page", &q.per_page),
    ])
}

/// Page numbers to show: first, last, and two either side of the current one.
fn page_window(current: u32, last: u32) -> Vec<Option<u32>> {
    let mut out = Vec::new();
    let mut prev = 0;
    for p in 1..=last {
        if p == 1 || p == last || p.abs_diff(current) <= 2 {
            if p > prev + 1 {
                out.push(None);
            }
            out.push(Some(p));
            prev = p;
        }
    }
    out
}

/// "N organizations" ("10,000+" past the bound), and the page of how many when the
/// pages are numbered (search results).
fn summary(ui: &Ui, listed: &registry::Listed) -> String {
    let p = &listed.page;
    let total = p.total.count();
    if total == 0 {
        return String::new();
    }
    let shown = crate::kit::paging::total_text(ui, p.total);
    match (listed.ranked.is_some(), listed.number) {
        (true, Some(n)) => {
            let pages = (total as u64).div_ceil(u64::from(p.per_page.max(1))).max(1);
            ui.tf("list.summary", &[&shown, &n.to_string(), &pages.to_string()])
        }
        _ => ui.tf("list.count", &[&shown]),
    }
}

/// Previous, next and a window of page numbers for a numbered list (search results).
fn number_links(page: &mut ListPage, listed: &registry::Listed, base: &str) {
    let p = &listed.page;
    let current = listed.number.unwrap_or(1);
    let pages = (p.total.count().max(0) as u64).div_ceil(u64::from(p.per_page.max(1))) as u32;
    let href = |n: u32| format!("{base}page={n}");
    if p.items.is_empty() && p.total.count() > 0 {
        page.beyond = Some(href(1));
    }
    if current > 1 {
        page.prev = Some(href((current - 1).min(pages.max(1))));
    }
    if current < pages {
        page.next = Some(href(current + 1));
    }
    if pages > 1 {
        page.pages = page_window(current, pages)
            .into_iter()
            .map(|n| match n {
                Some(n) => PageLink {
                    label: n.to_string(),
                    href: href(n),
                    current: n == current,
                },
                None => PageLink {
                    label: "…".into(),
                    href: String::new(),
                    current: false,
                },
            })
            .collect();
    }
}

pub async fn list(
    State(s): State<AppState>,
    ui: Ui,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let Query(lq) = query.map_err(|_| AppError::BadRequest("query".into()))?;
    let nodes = tree(&s.store, Level::Community).await?;
    let lang = ui.lang;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let all = ui.t("filter.all");
    let filters = vec![
        Filter {
            name: "jurisdiction",
            label: ui.t("field.jurisdiction"),
            options: place_filter_options(&nodes, lang, &v(&lq.jurisdiction), all),
        },
        Filter {
            name: "legal_form",
            label: ui.t("field.legal_form"),
            options: options(
                LegalForm::ALL,
                LegalForm::as_str,
                |x| x.label(lang).into(),
                &v(&lq.legal_form),
                Some(all),
            ),
        },
        Filter {
            name: "domain",
            label: ui.t("filter.domain"),
            options: options(
                ServiceDomain::ALL,
                ServiceDomain::as_str,
                |x| x.label(lang).into(),
                &v(&lq.domain),
                Some(all),
            ),
        },
        Filter {
            name: "status",
            label: ui.t("field.status"),
            options: options(
                OrgStatus::ALL,
                OrgStatus::as_str,
                |x| x.label(lang).into(),
                &v(&lq.status),
                Some(all),
            ),
        },
        Filter {
            name: "stage",
            label: ui.t("field.stage"),
            options: options(
                Stage::ALL,
                Stage::as_str,
                |x| x.label(lang).into(),
                &v(&lq.stage),
                Some(all),
            ),
        },
        Filter {
            name: "grade",
            label: ui.t("field.grade"),
            options: options(
                Grade::ALL,
                Grade::as_str,
                |x| x.label(lang).into(),
                &v(&lq.grade),
                Some(all),
            ),
        },
        Filter {
            name: "sort",
            label: ui.t("filter.sort"),
            options: options(
                &OrgSort::ALL,
                OrgSort::as_str,
                |x| ui.t(&format!("sort.{}", x.as_str())).into(),
                &v(&lq.sort),
                None,
            ),
        },
    ];
    let filtered = !filter_query(&ListQuery {
        sort: None,
        per_page: None,
        ..lq.clone()
    })
    .is_empty();
    let mut page = ListPage {
        ui: ui.clone(),
        q: v(&lq.q),
        filters,
        errors: vec![],
        rows: vec![],
        summary: String::new(),
        prev: None,
        next: None,
        pages: vec![],
        filtered,
        beyond: None,
        downloads: crate::kit::export::Links::new(
            &ui,
            "/organizations",
            &filter_query(&ListQuery {
                per_page: None,
                page: None,
                ..lq.clone()
            }),
        ),
    };
    match registry::list(&s.store, &s.search, &lq).await {
        Ok(listed) => {
            let (p, ranked) = (&listed.page, listed.ranked.as_ref());
            let names: BTreeMap<&str, &str> = nodes
                .iter()
                .map(|j| (j.code.as_str(), j.name(lang)))
                .collect();
            page.rows = p
                .items
                .iter()
                .map(|o| OrgRow {
                    href: format!("/organizations/{}", o.id),
                    name: o.data.name.clone(),
                    legal_form: o.data.legal_form.label(lang),
                    code: org_code(o),
                    jurisdiction: names
                        .get(o.data.jurisdiction.as_str())
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| o.data.jurisdiction.to_string()),
                    domains: domain_labels(lang, &o.data.domains),
                    status: o.status.label_for(o.data.legal_form, lang),
                    status_class: status_class(o.status),
                    grade: o
                        .data
                        .grade
                        .map(|g| g.as_str().to_string())
                        .unwrap_or_default(),
                    reason: ranked
                        .and_then(|r| r.reason(o.id))
                        .map(|r| ui.t(crate::kit::search::reason_key(r)).to_string())
                        .unwrap_or_default(),
                })
                .collect();
            let filters = filter_query(&lq);
            page.summary = summary(&ui, &listed);
            if ranked.is_some() {
                // Search results: numbered pages within the index's hits.
                let sep = if filters.is_empty() { "" } else { "&" };
                number_links(&mut page, &listed, &format!("/organizations?{filters}{sep}"));
            } else {
                (page.prev, page.next) = crate::kit::paging::links("/organizations", &filters, p);
                if p.items.is_empty() && p.total.count() > 0 {
                    page.beyond = Some(format!("/organizations?{filters}"));
                }
            }
            Ok(render(StatusCode::OK, &page))
        }
        Err(AppError::Validation(f)) => {
            page.errors = labels::error_lines(&ui, SITE, &f);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

/// The USCC, or the filing number of a filed community organization.
pub(crate) fn org_code(o: &Organization) -> String {
    o.data
        .uscc
        .as_ref()
        .map(|u| u.to_string())
        .or_else(|| o.data.filing_number.as_ref().map(|f| f.to_string()))
        .unwrap_or_default()
}

/// One labelled value on the detail page.
pub struct Item {
    pub label: &'static str,
    pub value: String,
    pub href: Option<String>,
    pub tags: Vec<&'static str>,
    pub mono: bool,
}

impl Item {
    fn text(label: &'static str, value: impl Into<String>) -> Self {
        let value = value.into();
        Item {
            label,
            value: if value.trim().is_empty() {
                "—".into()
            } else {
                value
            },
            href: None,
            tags: vec![],
            mono: false,
        }
    }
    fn mono(mut self) -> Self {
        self.mono = true;
        self
    }
    fn link(mut self, href: String) -> Self {
        self.href = Some(href);
        self
    }
}

pub struct Section {
    pub title: &'static str,
    pub items: Vec<Item>,
}

pub struct ChangeLine {
    pub field: String,
    /// `None`: a fact recorded by a decision, not a field's change.
    pub from: Option<String>,
    pub to: String,
}

pub struct HistoryRow {
    pub when: String,
    pub actor: String,
    pub action: String,
    pub changes: Vec<ChangeLine>,
}

#[derive(Template)]
#[template(path = "registry/detail.html")]
struct DetailPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    id: String,
    name: String,
    status: &'static str,
    status_class: &'static str,
    legal_form: &'static str,
    is_demo: bool,
    notice: Option<String>,
    can_edit: bool,
    can_change_status: bool,
    sections: Vec<Section>,
    history: Vec<HistoryRow>,
    /// What other capabilities add to the page (`Capability::org_sections`), as HTML.
    org_sections: Vec<String>,
}

pub async fn detail(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let page = detail_page(&s, &ui, &caller, id).await?;
    Ok(render(StatusCode::OK, &page))
}

async fn detail_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: uuid::Uuid,
) -> Result<DetailPage, AppError> {
    let o = registry::get(&s.store, id).await?;
    let path = registry::path_of(&s.store, &o).await?;
    let hub_ids = registry::hub_ids_for(&s.store, caller, o.id).await?;
    let resource = Resource::Organization {
        id: o.id,
        jurisdiction_path: &path,
        hub_ids: &hub_ids,
    };
    let can_edit =
        o.status != OrgStatus::Deregistered && caller.decide(Action::Edit, &resource).is_allowed();
    let can_change_status = caller.decide(Action::ChangeStatus, &resource).is_allowed();
    let phone_visible = registry::personal_data_visible(&s.store, caller, std::slice::from_ref(&o))
        .await?
        .first()
        .copied()
        .unwrap_or(false);
    let history = s.store.organization_history(id).await?;
    let lang = ui.lang;
    let d = &o.data;
    let jname = match s.store.jurisdiction(d.jurisdiction.as_str()).await? {
        Some(j) => j.name(lang).to_string(),
        None => d.jurisdiction.to_string(),
    };
    let date = |x: Option<chrono::NaiveDate>| x.map(|d| view::date(lang, d)).unwrap_or_default();
    let code_item = match (&d.uscc, &d.filing_number) {
        (_, Some(f)) => Item::text(ui.t("field.filing_number"), f.to_string()).mono(),
        (u, None) => Item::text(
            ui.t("field.uscc"),
            u.as_ref().map(|u| u.to_string()).unwrap_or_default(),
        )
        .mono(),
    };
    let status_label = o.status.label_for(d.legal_form, lang);
    let mut domains = Item::text(ui.t("field.domains"), "");
    domains.tags = d.domains.iter().map(|x| x.label(lang)).collect();
    let sections = vec![
        Section {
            title: ui.t("form.group.basic"),
            items: vec![
                Item::text(ui.t("field.name"), d.name.clone()),
                Item::text(ui.t("field.legal_form"), d.legal_form.label(lang)),
                code_item,
                Item::text(ui.t("field.jurisdiction"), jname)
                    .link(format!("/jurisdictions/{}", d.jurisdiction)),
                Item::text(ui.t("field.address"), d.address.clone()),
                Item::text(ui.t("field.founded_on"), view::date(lang, d.founded_on)),
                Item::text(
                    ui.t("field.legal_representative"),
                    d.legal_representative.clone(),
                ),
                Item::text(
                    ui.t("field.contact_phone"),
                    registry::phone_for(&o, phone_visible).unwrap_or_default(),
                ),
            ],
        },
        Section {
            title: ui.t("form.group.services"),
            items: vec![
                domains,
                Item::text(ui.t("field.stage"), d.stage.label(lang)),
            ],
        },
        Section {
            title: ui.t("form.group.people"),
            items: vec![
                Item::text(
                    ui.t("field.staff_full_time"),
                    fmt_int(d.staff_full_time.into()),
                ),
                Item::text(
                    ui.t("field.staff_part_time"),
                    fmt_int(d.staff_part_time.into()),
                ),
                Item::text(ui.t("detail.staff_total"), fmt_int(d.staff_total().into())),
                Item::text(ui.t("field.volunteers"), fmt_int(d.volunteers.into())),
                Item::text(ui.t("field.party_org"), d.party_org.label(lang)),
                Item::text(ui.t("field.party_members"), fmt_int(d.party_members.into())),
            ],
        },
        Section {
            title: ui.t("detail.group.status"),
            items: vec![
                Item::text(ui.t("field.status"), status_label),
                Item::text(
                    ui.t("field.status_reason"),
                    o.status_reason.clone().unwrap_or_default(),
                ),
                Item::text(ui.t("field.status_changed_on"), date(o.status_changed_on)),
                Item::text(ui.t("detail.created_at"), local_time(o.created_at)),
                Item::text(ui.t("detail.updated_at"), local_time(o.updated_at)),
            ],
        },
    ];
    let notice = match o.status {
        OrgStatus::Active => None,
        st => Some(ui.tf(
            if st == OrgStatus::Suspended {
                "detail.notice.suspended"
            } else {
                "detail.notice.deregistered"
            },
            &[
                &date(o.status_changed_on),
                o.status_reason.as_deref().unwrap_or("—"),
            ],
        )),
    };
    let history = history
        .iter()
        .map(|h| HistoryRow {
            when: local_time(h.changed_at),
            actor: h.actor.clone(),
            action: action_label(ui, &h.action),
            changes: if h.action == "created" {
                vec![]
            } else {
                change_lines(lang, &h.changes, !phone_visible)
            },
        })
        .collect();
    let mut org_sections = Vec::new();
    for section in crate::kit::capability::org_sections() {
        org_sections.push(section(s, ui, caller, &o, &path).await?);
    }
    Ok(DetailPage {
        crumbs: vec![Crumb::home(ui), Crumb::organizations(ui)],
        ui: ui.clone(),
        org_sections,
        id: o.id.to_string(),
        name: d.name.clone(),
        status: status_label,
        status_class: status_class(o.status),
        legal_form: d.legal_form.label(lang),
        is_demo: d.is_demo,
        notice,
        can_edit,
        can_change_status,
        sections,
        history,
    })
}

fn action_label(ui: &Ui, action: &str) -> String {
    match action {
        "created" => ui.t("history.created").into(),
        "updated" => ui.t("history.updated").into(),
        a => {
            use shuniu_domain::audit::kinds::event_label;
            use shuniu_domain::supervision::annual::ReviewOutcome;
            if let Some(s) = a.strip_prefix("status:").and_then(OrgStatus::parse) {
                return ui.tf("history.status", &[s.label(ui.lang)]);
            }
            // A review's history entry names its outcome (`annual_report.qualified`).
            if let Some(o) = a.strip_prefix("annual_report.").and_then(ReviewOutcome::parse) {
                return ui.tf("history.annual", &[o.label(ui.lang)]);
            }
            match a {
                "party" => ui.t("history.party").into(),
                "registration_recorded" => ui.t("history.registration_recorded").into(),
                // Every other writer names its entry by its audit event kind.
                _ => event_label(a, ui.lang).unwrap_or(a).to_string(),
            }
        }
    }
}

fn change_lines(lang: Lang, changes: &Value, mask_phone: bool) -> Vec<ChangeLine> {
    let Some(obj) = changes.as_object() else {
        return vec![];
    };
    let order = |k: &str| {
        shuniu_domain::registry::ORGANIZATION_FIELDS
            .iter()
            .position(|f| *f == k)
            .unwrap_or(usize::MAX)
    };
    // Ids (the report, the decision) are links elsewhere on the page, not facts to read.
    let is_id = |v: &Value| v.as_str().is_some_and(|s| uuid::Uuid::parse_str(s).is_ok());
    // Nothing on either side (a grade's first award has no earlier document): no line.
    let blank = |v: &Value| {
        v.is_null() || v.as_str() == Some("") || (v.is_object() && v["from"].is_null() && v["to"].is_null())
    };
    let mut keys: Vec<&String> = obj
        .keys()
        .filter(|k| *k != "is_demo" && !is_id(&obj[*k]) && !blank(&obj[*k]))
        .collect();
    keys.sort_by_key(|k| order(k));
    keys.into_iter()
        .map(|k| {
            let c = &obj[k];
            // Decisions other than edits (a review, a grade, a listing) record what was
            // decided, not a field's old and new value: one labelled fact each.
            if !(c.is_object() && c.get("to").is_some()) {
                let field = shuniu_domain::audit::kinds::detail_label(k, lang)
                    .unwrap_or_else(|| label(lang, SITE, k));
                let value = match c.as_str() {
                    Some(v) => shuniu_domain::audit::kinds::value_label(k, v, lang)
                        .map(str::to_string)
                        .unwrap_or_else(|| show_value(lang, k, c)),
                    None => show_value(lang, k, c),
                };
                return ChangeLine {
                    field: field.to_string(),
                    from: None,
                    to: value,
                };
            }
            let field = match k.as_str() {
                "reason" => "status_reason",
                "effective_on" => "status_changed_on",
                f => f,
            };
            let show = |v: &Value| {
                let shown = show_value(lang, k, v);
                if mask_phone && k == "contact_phone" && !v.is_null() {
                    mask_phone_text(&shown)
                } else {
                    shown
                }
            };
            ChangeLine {
                field: label(lang, SITE, field).to_string(),
                from: Some(show(&c["from"])),
                to: show(&c["to"]),
            }
        })
        .collect()
}

/// A phone number from the history, masked as the record's phone is (`138****8000`).
fn mask_phone_text(s: &str) -> String {
    match shuniu_domain::codes::Phone::parse(s) {
        Ok(p) => p.masked(),
        Err(_) => shuniu_domain::codes::mask_middle(s, 3, 4),
    }
}

/// A stored value of `field` as a person reads it.
fn show_value(lang: Lang, field: &str, v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => {
            let label = match field {
                "legal_form" => LegalForm::parse(s).map(|x| x.label(lang)),
                "party_org" => PartyOrg::parse(s).map(|x| x.label(lang)),
                "stage" => Stage::parse(s).map(|x| x.label(lang)),
                "status" => OrgStatus::parse(s).map(|x| x.label(lang)),
                "domains" => ServiceDomain::parse(s).map(|x| x.label(lang)),
                // Codes other writers record (a grade, a list, an outcome …).
                _ => shuniu_domain::audit::kinds::value_label(field, s, lang),
            };
            label.map(str::to_string).unwrap_or_else(|| s.clone())
        }
        Value::Array(xs) => xs
            .iter()
            .map(|x| show_value(lang, field, x))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", ")),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_window_elides() {
        let w = page_window(10, 69);
        assert_eq!(
            w,
            vec![
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(69)
            ]
        );
        assert_eq!(page_window(1, 2), vec![Some(1), Some(2)]);
    }

    #[test]
    fn values_read_as_labels() {
        let v = serde_json::json!(["elderly", "public_welfare"]);
        assert_eq!(show_value(Lang::Zh, "domains", &v), "助老、公益服务");
        assert_eq!(
            show_value(Lang::En, "staff_full_time", &serde_json::json!(4)),
            "4"
        );
        assert_eq!(show_value(Lang::En, "grade", &Value::Null), "—");
    }
}
