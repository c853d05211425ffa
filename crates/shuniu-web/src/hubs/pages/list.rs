//! The hubs list.

use super::*;

pub struct HubRow {
    pub href: String,
    pub name: String,
    pub kind: &'static str,
    pub kind_class: &'static str,
    pub level: &'static str,
    pub jurisdiction: String,
    pub base_body: String,
    pub members: String,
    pub status: &'static str,
    pub status_class: &'static str,
}

#[derive(Template)]
#[template(path = "hubs/hub_list.html")]
pub(super) struct ListPage {
    ui: Ui,
    filters: Vec<Filter>,
    include_revoked: bool,
    errors: Vec<String>,
    rows: Vec<HubRow>,
    summary: String,
    prev: Option<String>,
    next: Option<String>,
    can_recognize: bool,
    /// The list with its filters as CSV and Excel.
    downloads: crate::kit::export::Links,
}

pub(super) fn hub_row(ui: &Ui, h: &Hub, place: String) -> HubRow {
    let lang = ui.lang;
    HubRow {
        href: format!("/hubs/{}", h.id),
        name: h.organization_name.clone(),
        kind: h.recognition.kind.label(lang),
        kind_class: kind_class(h.recognition.kind),
        level: h.recognition.level.label(lang),
        jurisdiction: place,
        base_body: h.recognition.base_body.clone(),
        members: fmt_int(h.member_count),
        status: h.status.label(lang),
        status_class: hub_status_class(h.status),
    }
}

/// The list's query errors, each named as its filter is.
pub(super) fn field_errors(ui: &Ui, f: &FieldErrors) -> Vec<String> {
    f.0.iter()
        .map(|(k, e)| {
            format!(
                "{}{}{}",
                label(ui.lang, Scope::Query, k),
                ui.t("punct.colon"),
                e.message(ui.lang)
            )
        })
        .collect()
}

pub async fn list(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    q: Result<Query<HubListQuery>, QueryRejection>,
) -> PageResult {
    let ui = ui.with_nav("hubs");
    let Query(q) = q.map_err(|_| AppError::BadRequest("query".into()))?;
    let nodes = tree(&s.store, Level::Street).await?;
    let lang = ui.lang;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let all = ui.t("filter.all");
    let filters = vec![
        Filter {
            name: "kind",
            label: ui.t("hubs.col.kind"),
            options: options(
                HubKind::ALL,
                HubKind::as_str,
                |x| x.label(lang).into(),
                &v(&q.kind),
                Some(all),
            ),
        },
        Filter {
            name: "jurisdiction",
            label: ui.t("field.jurisdiction"),
            options: place_filter_options(&nodes, lang, &v(&q.jurisdiction), all),
        },
    ];
    let mut page = ListPage {
        downloads: crate::kit::export::Links::new(
            &ui,
            "/hubs",
            &crate::hubs::export::query_string(&q),
        ),
        ui: ui.clone(),
        filters,
        include_revoked: matches!(q.include_revoked.as_deref(), Some("on" | "true" | "1")),
        errors: vec![],
        rows: vec![],
        summary: String::new(),
        prev: None,
        next: None,
        can_recognize: caller
            .decide(
                Action::Recognize,
                &Resource::NewHub {
                    jurisdiction_path: None,
                },
            )
            .is_allowed(),
    };
    match hubs::list(&s.store, &q).await {
        Ok((p, _)) => {
            let names: std::collections::BTreeMap<&str, &str> = nodes
                .iter()
                .map(|j| (j.code.as_str(), j.name(lang)))
                .collect();
            page.rows = p
                .items
                .iter()
                .map(|h| {
                    let code = h.recognition.jurisdiction.to_string();
                    let place = names
                        .get(code.as_str())
                        .map(|n| n.to_string())
                        .unwrap_or(code);
                    hub_row(&ui, h, place)
                })
                .collect();
            page.summary = ui.tf(
                "hubs.summary",
                &[&crate::kit::paging::total_text(&ui, p.total)],
            );
            let filters = crate::kit::export::filter_query(&[
                ("kind", &q.kind),
                ("jurisdiction", &q.jurisdiction),
                ("include_revoked", &q.include_revoked),
                ("per_page", &q.per_page),
            ]);
            (page.prev, page.next) = crate::kit::paging::links("/hubs", &filters, &p);
            Ok(render(StatusCode::OK, &page))
        }
        Err(AppError::Validation(f)) => {
            page.errors = field_errors(&ui, &f);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}
