//! Downloads of the public service list with its filters (`/services.csv|xlsx`,
//! `/api/v1/services.csv`), on the shared export kit: the same rows as the list —
//! services not ended, of organizations in good standing (not suspended, deregistered
//! or on the serious list) — and no person's data.

use axum::extract::State;
use axum::response::Response;
use shuniu_domain::Lang;
use shuniu_store::Store;
use shuniu_store::services::ServiceFilter;

use crate::auth::Caller;
use crate::kit::api::access::ApiCaller;
use crate::kit::export::{self, Chunk, Format, Spec, XLSX_CAP};
use crate::kit::extract::ApiQuery;
use crate::kit::ui::Ui;
use crate::kit::view::fmt_int;
use crate::services::pages::line;
use crate::services::service::ListQuery;
use crate::{AppError, AppState, PageResult};

/// Rows per read: the list's largest page.
const PER_PAGE: u32 = 200;

const HEADER: [&str; 8] = [
    "svc.f.name",
    "svc.col.organization",
    "svc.f.category",
    "svc.f.target_group",
    "svc.col.place",
    "svc.f.schedule",
    "svc.col.fee",
    "svc.f.eligibility",
];

async fn chunk(
    store: Store,
    mut filter: ServiceFilter,
    page: u32,
    lang: Lang,
) -> Result<Chunk<u32>, AppError> {
    filter.page = page;
    filter.per_page = PER_PAGE;
    let p = store.public_services(&filter).await?;
    let ui = Ui::new(lang, "");
    let rows = p
        .items
        .iter()
        .map(|l| {
            let r = line(&ui, l);
            vec![
                r.name,
                r.organization,
                r.category.to_string(),
                r.target_group,
                r.place,
                r.schedule,
                r.fee,
                r.eligibility,
            ]
        })
        .collect();
    Ok(export::paged(rows, page, PER_PAGE))
}

/// The list's filters as a query string (`key=value&…`), for links and the record.
pub fn query_string(q: &ListQuery) -> String {
    let mut out = String::new();
    for (k, val) in [("category", &q.category), ("jurisdiction", &q.jurisdiction), ("q", &q.q)] {
        if let Some(x) = val.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
            out.push_str(&format!("{k}={}&", crate::kit::view::pct(x)));
        }
    }
    out.trim_end_matches('&').to_string()
}

/// The download of the services `q` selects (pages and the API).
pub async fn download(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    q: &ListQuery,
    format: Format,
) -> Result<Response, AppError> {
    let mut filter = q.parse(&s.store).await?;
    crate::services::service::find_words(&s.search, q, &mut filter);
    let spec = Spec {
        stem: "services".into(),
        title: ui.t("svc.list.title").to_string(),
        header: HEADER.iter().map(|k| ui.t(k).to_string()).collect(),
        widths: vec![24.0, 30.0, 12.0, 20.0, 24.0, 20.0, 10.0, 24.0],
        kind: "list.export",
        object: "list:services".into(),
        details: serde_json::json!({ "list": "services", "filter": query_string(q) }),
        capped: ui.tf("dl.capped", &[&fmt_int(XLSX_CAP as i64)]),
    };
    let store = s.store.clone();
    let lang = ui.lang;
    export::download(s, caller, spec, format, move |page| {
        chunk(store.clone(), filter.clone(), page.unwrap_or(1), lang)
    })
    .await
}

/// `GET /services.csv?<the list's filters>`
pub async fn csv(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> PageResult {
    Ok(download(&s, &ui, &caller, &q, Format::Csv).await?)
}

/// `GET /services.xlsx?<the list's filters>`
pub async fn xlsx(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> PageResult {
    Ok(download(&s, &ui, &caller, &q, Format::Xlsx).await?)
}

/// The public service list as CSV, with the list's filters.
#[utoipa::path(
    get,
    path = "/api/v1/services.csv",
    operation_id = "download_services",
    tag = "services",
    params(ListQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Every service of the public list as CSV (UTF-8 with a byte-order mark, header in the caller's language), streamed; `page` and `per_page` are ignored", content_type = "text/csv", body = String),
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
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, AppError> {
    download(&s, &export::api_ui(&headers), &caller, &q, Format::Csv).await
}
