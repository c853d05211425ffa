//! The venues list.

use shuniu_domain::FieldError;

use super::*;

pub struct VenueRow {
    pub href: String,
    pub name: String,
    pub address: String,
    pub jurisdiction: String,
    pub area: String,
    pub hub: String,
}

#[derive(Template)]
#[template(path = "parks/venue_list.html")]
pub(super) struct ListPage {
    ui: Ui,
    filters: Vec<Filter>,
    errors: Vec<String>,
    rows: Vec<VenueRow>,
    summary: String,
    prev: Option<String>,
    next: Option<String>,
    can_create: bool,
    /// The list with its filters as CSV and Excel.
    downloads: crate::kit::export::Links,
}

/// The hub filter's choices: the first 200 hubs (by kind, place, name) of the chosen
/// jurisdiction, or of all when none is chosen, plus the chosen hub. A province has
/// more hubs than a select can hold: narrowing by jurisdiction reaches the others.
pub(super) async fn hub_names(
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
) -> PageResult {
    let ui = ui.with_nav("venues");
    let Query(q) = query.map_err(|_| AppError::BadRequest("query".into()))?;
    let (status, p) = list_page(&s, &ui, &caller, &q).await?;
    Ok(render(status, &p))
}

pub(super) async fn list_page(
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
            label: label(lang, "jurisdiction"),
            options: place_filter_options(&nodes, lang, &v(&q.jurisdiction), all),
        },
        Filter {
            name: "hub",
            label: label(lang, "hub"),
            options: hub_opts,
        },
    ];
    let mut page = ListPage {
        downloads: crate::kit::export::Links::new(
            ui,
            "/venues",
            &crate::parks::export::query_string(q),
        ),
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
        Ok((p, _)) => p,
        Err(AppError::Validation(f)) => {
            let colon = ui.t("punct.colon");
            let line = |(k, e): (&String, &FieldError)| {
                format!("{}{colon}{}", label(lang, k), e.message(lang))
            };
            page.errors = f.0.iter().map(line).collect();
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
    page.summary = ui.tf(
        "park.list.summary",
        &[&crate::kit::paging::total_text(ui, p.total)],
    );
    let filters = crate::kit::export::filter_query(&[
        ("jurisdiction", &q.jurisdiction),
        ("hub", &q.hub),
        ("per_page", &q.per_page),
    ]);
    (page.prev, page.next) = crate::kit::paging::links("/venues", &filters, &p);
    Ok((StatusCode::OK, page))
}
