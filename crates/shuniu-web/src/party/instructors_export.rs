//! Downloads of the instructor register (`/instructors.csv|xlsx`,
//! `/api/v1/instructors.csv`), on the shared export kit: the same rule as the list
//! (who may read reports on the jurisdiction), and phones masked unless the caller
//! keeps the register, as on the page.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use shuniu_domain::Lang;
use shuniu_store::Store;

use crate::auth::Caller;
use crate::kit::api::access::ApiAccount;
use crate::kit::api::error::ErrorBody;
use crate::kit::api::responses::NeedsToken;
use crate::kit::export::{self, Chunk, Format, Spec, XLSX_CAP};
use crate::kit::extract::ApiQuery;
use crate::kit::ui::Ui;
use crate::kit::view::fmt_int;
use crate::party::{self, InstructorQuery};
use crate::{AppError, AppState, PageResult};

/// Rows per read: the list's largest page.
const PER_PAGE: u32 = 200;

const HEADER: [&str; 6] = [
    "cov.f.name",
    "cov.f.phone",
    "cov.f.jurisdiction",
    "dl.col.area_code",
    "cov.f.workplace",
    "cov.instr.col.orgs",
];

async fn chunk(
    store: Store,
    caller: Caller,
    code: String,
    page: u32,
    lang: Lang,
) -> Result<Chunk<u32>, AppError> {
    let q = InstructorQuery {
        jurisdiction: Some(code),
        page: Some(page.to_string()),
        per_page: Some(PER_PAGE.to_string()),
    };
    let l = party::instructors(&store, &caller, &q).await?;
    let codes: Vec<&str> = l
        .page
        .items
        .iter()
        .map(|i| i.data.jurisdiction.as_str())
        .collect();
    let places: HashMap<String, String> = store
        .jurisdictions_by_codes(&codes)
        .await?
        .into_iter()
        .map(|j| (j.code.to_string(), j.name(lang).to_string()))
        .collect();
    let rows = l
        .page
        .items
        .iter()
        .map(|i| {
            let code = i.data.jurisdiction.as_str();
            vec![
                i.data.name.clone(),
                i.data
                    .phone
                    .as_ref()
                    .map(|p| if l.can_manage { p.to_string() } else { p.masked() })
                    .unwrap_or_default(),
                places.get(code).cloned().unwrap_or_else(|| code.to_string()),
                code.to_string(),
                i.data.workplace.clone(),
                i.organizations.to_string(),
            ]
        })
        .collect();
    Ok(export::paged(rows, page, PER_PAGE))
}

/// The download of the register `q` selects (pages and the API). The list is read
/// once first: access (401/403) and bad parameters (422) answer before any record.
pub async fn download(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    q: &InstructorQuery,
    format: Format,
) -> Result<Response, AppError> {
    let first = party::instructors(
        &s.store,
        caller,
        &InstructorQuery {
            per_page: Some("1".into()),
            page: None,
            ..q.clone()
        },
    )
    .await?;
    let code = first.jurisdiction.code.to_string();
    let spec = Spec {
        stem: format!("instructors-{code}"),
        title: format!("{} · {}", ui.t("cov.instr.title"), first.jurisdiction.name(ui.lang)),
        header: HEADER.iter().map(|k| ui.t(k).to_string()).collect(),
        widths: vec![16.0, 16.0, 16.0, 14.0, 30.0, 10.0],
        kind: "list.export",
        object: "list:instructors".into(),
        details: serde_json::json!({ "list": "instructors", "filter": format!("jurisdiction={code}") }),
        capped: ui.tf("dl.capped", &[&fmt_int(XLSX_CAP as i64)]),
    };
    let store = s.store.clone();
    let lang = ui.lang;
    let who = caller.clone();
    export::download(s, caller, spec, format, move |page| {
        chunk(store.clone(), who.clone(), code.clone(), page.unwrap_or(1), lang)
    })
    .await
}

type ListQ = Result<Query<InstructorQuery>, QueryRejection>;

fn query(q: ListQ) -> Result<InstructorQuery, AppError> {
    q.map(|Query(q)| q)
        .map_err(|_| AppError::BadRequest("query".into()))
}

/// `GET /instructors.csv?jurisdiction=`
pub async fn csv(State(s): State<AppState>, ui: Ui, caller: Caller, q: ListQ) -> PageResult {
    Ok(download(&s, &ui, &caller, &query(q)?, Format::Csv).await?)
}

/// `GET /instructors.xlsx?jurisdiction=`
pub async fn xlsx(State(s): State<AppState>, ui: Ui, caller: Caller, q: ListQ) -> PageResult {
    Ok(download(&s, &ui, &caller, &query(q)?, Format::Xlsx).await?)
}

/// The instructor register of a jurisdiction as CSV (phones masked unless the caller
/// keeps the register).
#[utoipa::path(
    get,
    path = "/api/v1/instructors.csv",
    operation_id = "download_instructors",
    tag = "party",
    params(InstructorQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every instructor of the jurisdiction and below as CSV (UTF-8 with a byte-order mark, header in the caller's language), streamed; `page` and `per_page` are ignored", content_type = "text/csv", body = String),
        NeedsToken,
        (status = 403, description = "The caller may not read reports on this jurisdiction", body = ErrorBody),
        (status = 422, description = "A bad query parameter, named", body = ErrorBody),
        (status = 503, description = "Too many downloads running; try again after `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn api_csv(
    State(s): State<AppState>,
    headers: HeaderMap,
    ApiAccount(caller): ApiAccount,
    ApiQuery(q): ApiQuery<InstructorQuery>,
) -> Result<Response, AppError> {
    download(&s, &export::api_ui(&headers), &caller, &q, Format::Csv).await
}
