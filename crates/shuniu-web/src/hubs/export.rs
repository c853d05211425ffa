//! Downloads of the hub list with its filters (`/hubs.csv|xlsx`, `/api/v1/hubs.csv`),
//! on the shared export kit. The list is public, so is its download.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use shuniu_domain::Lang;
use shuniu_domain::hubs::Hub;
use shuniu_store::{HubFilter, Store};

use crate::auth::Caller;
use crate::hubs::HubListQuery;
use crate::kit::api::access::ApiCaller;
use crate::kit::export::{self, Cells, Chunk, Format, Spec, XLSX_CAP};
use crate::kit::extract::ApiQuery;
use crate::kit::ui::Ui;
use crate::kit::view::fmt_int;
use crate::{AppError, AppState, PageResult};

/// Rows per read: the list's largest page.
const PER_PAGE: u32 = 200;

const HEADER: [&str; 8] = [
    "hubs.col.hub",
    "hubs.col.kind",
    "hubs.col.level",
    "field.jurisdiction",
    "dl.col.area_code",
    "hubs.col.base_body",
    "hubs.col.members",
    "hubs.col.status",
];

fn cells(h: &Hub, place: &str, lang: Lang) -> Cells {
    vec![
        h.organization_name.clone(),
        h.recognition.kind.label(lang).to_string(),
        h.recognition.level.label(lang).to_string(),
        place.to_string(),
        h.recognition.jurisdiction.to_string(),
        h.recognition.base_body.clone(),
        h.member_count.to_string(),
        h.status.label(lang).to_string(),
    ]
}

async fn chunk(store: Store, filter: HubFilter, page: u32, lang: Lang) -> Result<Chunk<u32>, AppError> {
    let p = store.list_hubs(&filter, page, PER_PAGE).await?;
    let codes: Vec<String> = p
        .items
        .iter()
        .map(|h| h.recognition.jurisdiction.to_string())
        .collect();
    let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
    let names: HashMap<String, String> = store
        .jurisdictions_by_codes(&refs)
        .await?
        .into_iter()
        .map(|j| (j.code.to_string(), j.name(lang).to_string()))
        .collect();
    let rows = p
        .items
        .iter()
        .zip(&codes)
        .map(|(h, code)| cells(h, names.get(code).map(String::as_str).unwrap_or(code), lang))
        .collect();
    Ok(export::paged(rows, page, PER_PAGE))
}

/// The download of the hubs `q` selects (pages and the API).
pub async fn download(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    q: &HubListQuery,
    format: Format,
) -> Result<Response, AppError> {
    let (filter, _, _) = q.parse(&s.store).await?;
    let spec = Spec {
        stem: "hubs".into(),
        title: ui.t("hubs.title").to_string(),
        header: HEADER.iter().map(|k| ui.t(k).to_string()).collect(),
        widths: vec![36.0, 12.0, 10.0, 16.0, 14.0, 24.0, 10.0, 10.0],
        kind: "list.export",
        object: "list:hubs".into(),
        details: serde_json::json!({ "list": "hubs", "filter": query_string(q) }),
        capped: ui.tf("dl.capped", &[&fmt_int(XLSX_CAP as i64)]),
    };
    let store = s.store.clone();
    let lang = ui.lang;
    export::download(s, caller, spec, format, move |page| {
        chunk(store.clone(), filter.clone(), page.unwrap_or(1), lang)
    })
    .await
}

/// The list's filters as a query string (`key=value&…`), for links and the record.
pub fn query_string(q: &HubListQuery) -> String {
    let mut out = String::new();
    for (k, val) in [
        ("kind", &q.kind),
        ("jurisdiction", &q.jurisdiction),
        ("include_revoked", &q.include_revoked),
    ] {
        if let Some(x) = val.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
            out.push_str(&format!("{k}={}&", crate::kit::view::pct(x)));
        }
    }
    out.trim_end_matches('&').to_string()
}

type ListQ = Result<Query<HubListQuery>, QueryRejection>;

fn query(q: ListQ) -> Result<HubListQuery, AppError> {
    q.map(|Query(q)| q)
        .map_err(|_| AppError::BadRequest("query".into()))
}

/// `GET /hubs.csv?<the list's filters>`
pub async fn csv(State(s): State<AppState>, ui: Ui, caller: Caller, q: ListQ) -> PageResult {
    Ok(download(&s, &ui, &caller, &query(q)?, Format::Csv).await?)
}

/// `GET /hubs.xlsx?<the list's filters>`
pub async fn xlsx(State(s): State<AppState>, ui: Ui, caller: Caller, q: ListQ) -> PageResult {
    Ok(download(&s, &ui, &caller, &query(q)?, Format::Xlsx).await?)
}

/// The hub list as CSV, with the list's filters.
#[utoipa::path(
    get,
    path = "/api/v1/hubs.csv",
    operation_id = "download_hubs",
    tag = "hubs",
    params(HubListQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Every matching hub as CSV (UTF-8 with a byte-order mark, header in the caller's language), streamed; `page` and `per_page` are ignored", content_type = "text/csv", body = String),
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
    ApiQuery(q): ApiQuery<HubListQuery>,
) -> Result<Response, AppError> {
    download(&s, &export::api_ui(&headers), &caller, &q, Format::Csv).await
}
