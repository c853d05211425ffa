//! Downloads of a hub's members (`/hubs/{id}/members.csv|xlsx`,
//! `/api/v1/hubs/{id}/members.csv`), on the shared export kit, under the list's own
//! rule: active members are public; other statuses only for who sees them on the page.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use shuniu_domain::Lang;
use shuniu_domain::hubs::Hub;
use shuniu_store::Store;

use crate::auth::Caller;
use crate::hubs;
use crate::kit::api::access::ApiCaller;
use crate::kit::api::error::ErrorBody;
use crate::kit::export::{self, Chunk, Format, Spec, XLSX_CAP};
use crate::kit::extract::{RecordId, bad_query};
use crate::kit::ui::Ui;
use crate::kit::view::fmt_int;
use crate::{AppError, AppState, PageResult};

/// Rows per read: the list's largest page.
const PER_PAGE: u32 = 200;

const HEADER: [&str; 5] = [
    "hubs.col.organization",
    "hubs.col.membership",
    "hubs.initiating",
    "hubs.col.applied_on",
    "hubs.col.decided_on",
];

/// Query of a members download: the list's status filter.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembersDownloadQuery {
    /// A membership status; anonymous callers and callers outside the hub get `active` only.
    pub status: Option<String>,
}

async fn chunk(
    store: Store,
    caller: Caller,
    hub: Hub,
    status: Option<String>,
    page: u32,
    lang: Lang,
) -> Result<Chunk<u32>, AppError> {
    let p = hubs::members(
        &store,
        &caller,
        &hub,
        &status,
        &Some(page.to_string()),
        &Some(PER_PAGE.to_string()),
    )
    .await?;
    let yes = lang.pick("是", "yes");
    let rows = p
        .items
        .iter()
        .map(|m| {
            vec![
                m.organization_name.clone(),
                m.status.label(lang).to_string(),
                if m.initiating { yes.to_string() } else { String::new() },
                m.applied_on.to_string(),
                m.decided_on.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    Ok(export::paged(rows, page, PER_PAGE))
}

/// The download of `hub`'s members (pages and the API).
pub async fn download(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    hub: Hub,
    q: &MembersDownloadQuery,
    format: Format,
) -> Result<Response, AppError> {
    // Access and the status filter answer (401/403/422) before any record is written.
    hubs::members(&s.store, caller, &hub, &q.status, &None, &Some("1".into())).await?;
    let status = q.status.clone().filter(|x| !x.trim().is_empty());
    let spec = Spec {
        stem: format!("hub-{}-members", hub.id),
        title: format!("{} · {}", hub.organization_name, ui.t("hubs.members")),
        header: HEADER.iter().map(|k| ui.t(k).to_string()).collect(),
        widths: vec![36.0, 12.0, 10.0, 12.0, 12.0],
        kind: "list.export",
        object: format!("hub:{}", hub.id),
        details: serde_json::json!({
            "list": "hub_members",
            "filter": status.as_deref().map(|x| format!("status={x}")).unwrap_or_default(),
        }),
        capped: ui.tf("dl.capped", &[&fmt_int(XLSX_CAP as i64)]),
    };
    let store = s.store.clone();
    let lang = ui.lang;
    let who = caller.clone();
    export::download(s, caller, spec, format, move |page| {
        chunk(
            store.clone(),
            who.clone(),
            hub.clone(),
            status.clone(),
            page.unwrap_or(1),
            lang,
        )
    })
    .await
}

type MembersQ = Result<Query<MembersDownloadQuery>, QueryRejection>;

async fn page_download(
    s: AppState,
    ui: Ui,
    caller: Caller,
    id: uuid::Uuid,
    q: MembersQ,
    format: Format,
) -> Result<Response, AppError> {
    let hub = hubs::get(&s.store, id).await?;
    let Query(q) = q.map_err(|_| AppError::BadRequest("query".into()))?;
    download(&s, &ui, &caller, hub, &q, format).await
}

/// `GET /hubs/{id}/members.csv?status=`
pub async fn csv(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    q: MembersQ,
) -> PageResult {
    Ok(page_download(s, ui, caller, id, q, Format::Csv).await?)
}

/// `GET /hubs/{id}/members.xlsx?status=`
pub async fn xlsx(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    q: MembersQ,
) -> PageResult {
    Ok(page_download(s, ui, caller, id, q, Format::Xlsx).await?)
}

/// A hub's members as CSV. Public for active members; other statuses for the hub
/// side, officials over it, experts and admins.
#[utoipa::path(
    get,
    path = "/api/v1/hubs/{id}/members.csv",
    operation_id = "download_hub_members",
    tag = "hubs",
    params(("id" = uuid::Uuid, Path, description = "Hub id"), MembersDownloadQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Every membership of the status asked (default: what the caller may see) as CSV (UTF-8 with a byte-order mark, header in the caller's language, ISO dates), streamed", content_type = "text/csv", body = String),
        (status = 401, description = "Invalid token, or a non-active status asked for anonymously", body = ErrorBody),
        (status = 403, description = "The caller may not see memberships of that status", body = ErrorBody),
        (status = 404, description = "No such hub", body = ErrorBody),
        (status = 422, description = "A bad status, named", body = ErrorBody),
        (status = 503, description = "Too many downloads running; try again after `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn api_csv(
    State(s): State<AppState>,
    headers: HeaderMap,
    ApiCaller(caller): ApiCaller,
    RecordId(id): RecordId,
    q: MembersQ,
) -> Result<Response, AppError> {
    let hub = hubs::get(&s.store, id).await?;
    let Query(q) = q.map_err(bad_query)?;
    download(&s, &export::api_ui(&headers), &caller, hub, &q, Format::Csv).await
}
