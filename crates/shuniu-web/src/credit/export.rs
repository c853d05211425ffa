//! Downloads of a public credit list with its filters (`/credit-lists.csv|xlsx`,
//! `/api/v1/credit-lists.csv`), on the shared export kit: the rows the page shows, with
//! dates as ISO dates.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use shuniu_domain::Lang;
use shuniu_store::Store;

use crate::auth::Caller;
use crate::credit::CreditListQuery;
use crate::credit::service::CreditListFilter;
use crate::kit::api::access::ApiCaller;
use crate::kit::export::{self, Chunk, Format, Spec, XLSX_CAP};
use crate::kit::extract::ApiQuery;
use crate::kit::ui::Ui;
use crate::kit::view::fmt_int;
use crate::{AppError, AppState, PageResult};

/// Rows per read: the list's largest page.
const PER_PAGE: u32 = 200;

const HEADER: [&str; 8] = [
    "credit.col.organization",
    "field.jurisdiction",
    "dl.col.area_code",
    "credit.col.listed_on",
    "credit.col.reason",
    "credit.col.basis",
    "credit.col.removed_on",
    "credit.col.removal_reason",
];

async fn chunk(
    store: Store,
    f: CreditListFilter,
    page: u32,
    lang: Lang,
) -> Result<Chunk<u32>, AppError> {
    let p = store
        .credit_list_page(f.list, f.path.as_deref(), page, PER_PAGE)
        .await?;
    let code_of = |path: &str| {
        path.trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let codes: Vec<String> = p.items.iter().map(|e| code_of(&e.jurisdiction_path)).collect();
    let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
    let places: HashMap<String, String> = store
        .jurisdictions_by_codes(&refs)
        .await?
        .into_iter()
        .map(|j| (j.code.to_string(), j.name(lang).to_string()))
        .collect();
    let pick = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let rows = p
        .items
        .iter()
        .zip(&codes)
        .map(|(e, code)| {
            let l = &e.listing;
            vec![
                e.organization_name.clone(),
                places.get(code).cloned().unwrap_or_else(|| code.clone()),
                code.clone(),
                l.listed_on.to_string(),
                pick(&l.reason_zh, &l.reason_en),
                pick(&l.basis_zh, &l.basis_en),
                l.removed_on.map(|d| d.to_string()).unwrap_or_default(),
                match (&l.removal_reason_zh, &l.removal_reason_en) {
                    (Some(zh), Some(en)) => pick(zh, en),
                    _ => String::new(),
                },
            ]
        })
        .collect();
    Ok(export::paged(rows, page, PER_PAGE))
}

/// The list's filters as a query string (`key=value&…`), for links and the record.
pub fn query_string(q: &CreditListQuery) -> String {
    let mut out = String::new();
    for (k, val) in [("list", &q.list), ("jurisdiction", &q.jurisdiction)] {
        if let Some(x) = val.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
            out.push_str(&format!("{k}={}&", crate::kit::view::pct(x)));
        }
    }
    out.trim_end_matches('&').to_string()
}

/// The download of the listings `q` selects (pages and the API).
pub async fn download(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    q: &CreditListQuery,
    format: Format,
) -> Result<Response, AppError> {
    let f = q.parse(&s.store).await?;
    let spec = Spec {
        stem: format!("credit-{}", f.list.as_str()),
        title: f.list.label(ui.lang).to_string(),
        header: HEADER.iter().map(|k| ui.t(k).to_string()).collect(),
        widths: vec![32.0, 16.0, 14.0, 12.0, 30.0, 30.0, 12.0, 30.0],
        kind: "list.export",
        object: "list:credit_lists".into(),
        details: serde_json::json!({ "list": "credit_lists", "filter": query_string(q) }),
        capped: ui.tf("dl.capped", &[&fmt_int(XLSX_CAP as i64)]),
    };
    let store = s.store.clone();
    let lang = ui.lang;
    export::download(s, caller, spec, format, move |page| {
        chunk(store.clone(), f.clone(), page.unwrap_or(1), lang)
    })
    .await
}

/// `GET /credit-lists.csv?<the list's filters>`
pub async fn csv(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    ApiQuery(q): ApiQuery<CreditListQuery>,
) -> PageResult {
    Ok(download(&s, &ui, &caller, &q, Format::Csv).await?)
}

/// `GET /credit-lists.xlsx?<the list's filters>`
pub async fn xlsx(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    ApiQuery(q): ApiQuery<CreditListQuery>,
) -> PageResult {
    Ok(download(&s, &ui, &caller, &q, Format::Xlsx).await?)
}

/// A public credit list as CSV, with the list's filters.
#[utoipa::path(
    get,
    path = "/api/v1/credit-lists.csv",
    operation_id = "download_credit_list",
    tag = "credit",
    params(CreditListQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Every listing of the list as CSV (UTF-8 with a byte-order mark, header in the caller's language, ISO dates), streamed; `page` and `per_page` are ignored", content_type = "text/csv", body = String),
        crate::kit::api::responses::BadToken,
        (status = 422, description = "A bad query parameter, named", body = crate::kit::api::error::ErrorBody),
        (status = 503, description = "Too many downloads running; try again after `Retry-After` seconds", body = crate::kit::api::error::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn api_csv(
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<CreditListQuery>,
) -> Result<Response, AppError> {
    download(&s, &export::api_ui(&headers), &caller, &q, Format::Csv).await
}
