//! Downloads of the venue list with its filters (`/venues.csv|xlsx`, `/api/v1/venues.csv`),
//! on the shared export kit. The list is public, so is its download.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use shuniu_domain::Lang;
use shuniu_store::Store;
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::api::access::ApiCaller;
use crate::kit::export::{self, Chunk, Format, Spec, XLSX_CAP};
use crate::kit::extract::ApiQuery;
use crate::kit::ui::Ui;
use crate::kit::view::fmt_int;
use crate::parks::service::{VenueQuery, parse_venue_query};
use crate::{AppError, AppState, PageResult};

/// Rows per read: the list's largest page.
const PER_PAGE: u32 = 200;

const HEADER: [&str; 6] = [
    "park.col.venue",
    "park.f.address",
    "park.f.jurisdiction",
    "dl.col.area_code",
    "park.col.area",
    "park.col.hub",
];

async fn chunk(
    store: Store,
    path: Option<String>,
    hub: Option<Uuid>,
    page: u32,
    lang: Lang,
) -> Result<Chunk<u32>, AppError> {
    let p = store
        .list_venues(path.as_deref(), hub, page, PER_PAGE)
        .await?;
    let codes: Vec<&str> = p.items.iter().map(|v| v.data.jurisdiction.as_str()).collect();
    let places: HashMap<String, String> = store
        .jurisdictions_by_codes(&codes)
        .await?
        .into_iter()
        .map(|j| (j.code.to_string(), j.name(lang).to_string()))
        .collect();
    let ids: Vec<Uuid> = p.items.iter().filter_map(|v| v.hub_id).collect();
    let hubs: HashMap<Uuid, String> = store
        .hubs_by_ids(&ids)
        .await?
        .into_iter()
        .map(|h| (h.id, h.organization_name))
        .collect();
    let rows = p
        .items
        .iter()
        .map(|v| {
            let code = v.data.jurisdiction.as_str();
            vec![
                v.data.name.clone(),
                v.data.address.clone(),
                places.get(code).cloned().unwrap_or_else(|| code.to_string()),
                code.to_string(),
                v.data.area_m2.to_string(),
                v.hub_id
                    .and_then(|id| hubs.get(&id).cloned())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    Ok(export::paged(rows, page, PER_PAGE))
}

/// The list's filters as a query string (`key=value&…`), for links and the record.
pub fn query_string(q: &VenueQuery) -> String {
    let mut out = String::new();
    for (k, val) in [("jurisdiction", &q.jurisdiction), ("hub", &q.hub)] {
        if let Some(x) = val.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
            out.push_str(&format!("{k}={}&", crate::kit::view::pct(x)));
        }
    }
    out.trim_end_matches('&').to_string()
}

/// The download of the venues `q` selects (pages and the API).
pub async fn download(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    q: &VenueQuery,
    format: Format,
) -> Result<Response, AppError> {
    let (path, hub, _, _) = parse_venue_query(&s.store, q).await?;
    let spec = Spec {
        stem: "venues".into(),
        title: ui.t("park.list.title").to_string(),
        header: HEADER.iter().map(|k| ui.t(k).to_string()).collect(),
        widths: vec![30.0, 30.0, 16.0, 14.0, 10.0, 30.0],
        kind: "list.export",
        object: "list:venues".into(),
        details: serde_json::json!({ "list": "venues", "filter": query_string(q) }),
        capped: ui.tf("dl.capped", &[&fmt_int(XLSX_CAP as i64)]),
    };
    let store = s.store.clone();
    let lang = ui.lang;
    export::download(s, caller, spec, format, move |page| {
        chunk(store.clone(), path.clone(), hub, page.unwrap_or(1), lang)
    })
    .await
}

type ListQ = Result<Query<VenueQuery>, QueryRejection>;

fn query(q: ListQ) -> Result<VenueQuery, AppError> {
    q.map(|Query(q)| q)
        .map_err(|_| AppError::BadRequest("query".into()))
}

/// `GET /venues.csv?<the list's filters>`
pub async fn csv(State(s): State<AppState>, ui: Ui, caller: Caller, q: ListQ) -> PageResult {
    Ok(download(&s, &ui, &caller, &query(q)?, Format::Csv).await?)
}

/// `GET /venues.xlsx?<the list's filters>`
pub async fn xlsx(State(s): State<AppState>, ui: Ui, caller: Caller, q: ListQ) -> PageResult {
    Ok(download(&s, &ui, &caller, &query(q)?, Format::Xlsx).await?)
}

/// The venue list as CSV, with the list's filters.
#[utoipa::path(
    get,
    path = "/api/v1/venues.csv",
    operation_id = "download_venues",
    tag = "parks",
    params(VenueQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Every matching venue as CSV (UTF-8 with a byte-order mark, header in the caller's language), streamed; `page` and `per_page` are ignored", content_type = "text/csv", body = String),
        crate::kit::api::responses::BadToken,
        (status = 422, description = "A bad filter or paging parameter, named", body = crate::kit::api::error::ErrorBody),
        (status = 503, description = "Too many downloads running; try again after `Retry-After` seconds", body = crate::kit::api::error::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn api_csv(
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<VenueQuery>,
) -> Result<Response, AppError> {
    download(&s, &export::api_ui(&headers), &caller, &q, Format::Csv).await
}
