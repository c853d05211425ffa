//! Downloads of the organization list with its filters (`/organizations.csv|xlsx`, and
//! `/api/v1/organizations.csv`), on the shared export kit. The list is public, so is its
//! download; it holds no person's data (only what the list page shows).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::Response;
use shuniu_domain::Lang;
use shuniu_domain::registry::Organization;
use shuniu_store::{OrgFilter, Store};

use crate::auth::Caller;
use crate::kit::export::{self, Cells, Chunk, Format, Spec, XLSX_CAP};
use crate::kit::extract::ApiQuery;
use crate::kit::api::access::ApiCaller;
use crate::kit::ui::Ui;
use crate::kit::view::fmt_int;
use crate::registry::pages::{domain_labels, org_code};
use crate::registry::{self, ListQuery};
use crate::{AppError, AppState, PageResult};

/// Rows per read: the list's largest page.
const PER_PAGE: u32 = 200;

const HEADER: [&str; 8] = [
    "field.name",
    "field.legal_form",
    "col.code",
    "field.jurisdiction",
    "dl.col.area_code",
    "field.domains",
    "field.status",
    "field.grade",
];

fn cells(o: &Organization, place: &str, lang: Lang) -> Cells {
    vec![
        o.data.name.clone(),
        o.data.legal_form.label(lang).to_string(),
        org_code(o),
        place.to_string(),
        o.data.jurisdiction.to_string(),
        domain_labels(lang, &o.data.domains),
        o.status.label_for(o.data.legal_form, lang).to_string(),
        o.data
            .grade
            .map(|g| g.as_str().to_string())
            .unwrap_or_default(),
    ]
}

/// Page `page` of the filtered list, as cells, its places read in one query.
async fn chunk(
    store: Store,
    filter: OrgFilter,
    page: u32,
    lang: Lang,
) -> Result<Chunk<u32>, AppError> {
    let p = store.list_organizations(&filter, page, PER_PAGE).await?;
    let codes: Vec<&str> = p.items.iter().map(|o| o.data.jurisdiction.as_str()).collect();
    let names: HashMap<String, String> = store
        .jurisdictions_by_codes(&codes)
        .await?
        .into_iter()
        .map(|j| (j.code.to_string(), j.name(lang).to_string()))
        .collect();
    let rows = p
        .items
        .iter()
        .map(|o| {
            let code = o.data.jurisdiction.as_str();
            cells(o, names.get(code).map(String::as_str).unwrap_or(code), lang)
        })
        .collect();
    Ok(export::paged(rows, page, PER_PAGE))
}

/// The download of the list `q` selects (pages and the API).
pub async fn download(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    q: &ListQuery,
    format: Format,
) -> Result<Response, AppError> {
    let (mut filter, _, _) = q.parse()?;
    // A well-formed code that is not in the tree is a bad filter value too.
    if let Some(code) = &filter.jurisdiction
        && s.store.jurisdiction(code).await?.is_none()
    {
        return Err(AppError::Validation(shuniu_domain::FieldErrors::single(
            "jurisdiction",
            registry::unknown_jurisdiction(),
        )));
    }
    let filters = registry::pages::filter_query(&ListQuery {
        page: None,
        per_page: None,
        ..q.clone()
    });
    let spec = Spec {
        stem: "organizations".into(),
        title: ui.t("list.title").to_string(),
        header: HEADER.iter().map(|k| ui.t(k).to_string()).collect(),
        widths: vec![36.0, 16.0, 22.0, 16.0, 14.0, 24.0, 10.0, 8.0],
        kind: "list.export",
        object: "list:organizations".into(),
        details: serde_json::json!({
            "list": "organizations",
            "filter": filters.trim_end_matches('&'),
        }),
        capped: ui.tf("dl.capped", &[&fmt_int(XLSX_CAP as i64)]),
    };
    // Words are found through the search index: the download lists its best hits.
    registry::resolve_words(
        &s.store,
        &s.search,
        &mut filter,
        shuniu_store::MAX_RANKED_IDS,
        0,
    )
    .await?;
    let store = s.store.clone();
    let lang = ui.lang;
    export::download(s, caller, spec, format, move |page| {
        chunk(store.clone(), filter.clone(), page.unwrap_or(1), lang)
    })
    .await
}

type ListQ = Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>;

fn query(q: ListQ) -> Result<ListQuery, AppError> {
    q.map(|Query(q)| q)
        .map_err(|_| AppError::BadRequest("query".into()))
}

/// `GET /organizations.csv?<the list's filters>`
pub async fn csv(State(s): State<AppState>, ui: Ui, caller: Caller, q: ListQ) -> PageResult {
    Ok(download(&s, &ui, &caller, &query(q)?, Format::Csv).await?)
}

/// `GET /organizations.xlsx?<the list's filters>`
pub async fn xlsx(State(s): State<AppState>, ui: Ui, caller: Caller, q: ListQ) -> PageResult {
    Ok(download(&s, &ui, &caller, &query(q)?, Format::Xlsx).await?)
}

/// The organization list as CSV, with the list's filters.
#[utoipa::path(
    get,
    path = "/api/v1/organizations.csv",
    operation_id = "download_organizations",
    tag = "organizations",
    params(ListQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Every matching organization as CSV (UTF-8 with a byte-order mark, header in the caller's language), streamed; `page` and `per_page` are ignored", content_type = "text/csv", body = String),
        crate::kit::api::responses::BadToken,
        (status = 422, description = "A filter, sort or paging parameter is bad; each is named in `fields`", body = crate::kit::api::error::ErrorBody),
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
