//! Downloads of the hub list with its filters (`/hubs.csv|xlsx`, `/api/v1/hubs.csv`),
//! on the shared export kit. The list is public, so is its download.

use shuniu_domain::Lang;
use shuniu_domain::hubs::Hub;
use shuniu_store::{After, HubFilter, Store};

use crate::auth::Caller;
use crate::hubs::HubListQuery;
use crate::kit::api::access::ApiCaller;
use crate::kit::export::{self, CHUNK_ROWS, Cells, Chunk, ListDownload, Spec};
use crate::kit::ui::Ui;
use crate::{AppError, AppState};


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


/// The list's filters as a query string (`key=value&…`), for links and the record.
pub fn query_string(q: &HubListQuery) -> String {
    export::filter_query(&[
        ("kind", &q.kind),
        ("jurisdiction", &q.jurisdiction),
        ("include_revoked", &q.include_revoked),
    ])
}

/// The hub list's downloads.
pub struct Hubs;

impl ListDownload for Hubs {
    type Path = ();
    type Query = HubListQuery;
    type ApiWho = ApiCaller;
    type Filter = HubFilter;
    type Cursor = After;

    async fn prepare(
        s: &AppState,
        ui: &Ui,
        _: &Caller,
        _: (),
        q: HubListQuery,
    ) -> Result<(Spec, Self::Filter), AppError> {
        let (filter, _) = q.parse(&s.store).await?;
        let widths = [36.0, 12.0, 10.0, 16.0, 14.0, 24.0, 10.0, 10.0];
        let title = ui.t("hubs.title").to_string();
        let spec = Spec::list(ui, "hubs", title, &HEADER, &widths, &query_string(&q));
        Ok((spec, filter))
    }

    async fn chunk(
        store: Store,
        filter: HubFilter,
        after: Option<After>,
        lang: Lang,
    ) -> Result<Chunk<After>, AppError> {
        let p = store.hubs_chunk(&filter, after.as_ref(), CHUNK_ROWS).await?;
        let codes: Vec<String> = p
            .items
            .iter()
            .map(|h| h.recognition.jurisdiction.to_string())
            .collect();
        let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
        let names = export::place_names(&store, &refs, lang).await?;
        let rows = p
            .items
            .iter()
            .zip(&codes)
            .map(|(h, code)| cells(h, names.get(code).map(String::as_str).unwrap_or(code), lang))
            .collect();
        Ok(Chunk { rows, next: p.next })
    }
}

/// The hub list as CSV, with the list's filters (served by
/// `kit::export::api_csv::<Hubs>`).
#[utoipa::path(
    get,
    path = "/api/v1/hubs.csv",
    operation_id = "download_hubs",
    tag = "hubs",
    params(HubListQuery),
    security((), ("bearer" = [])),
    responses(
        export::CsvResponses,
        crate::kit::api::responses::BadToken,
        (status = 422, description = "A bad filter or paging parameter, named", body = crate::kit::api::error::ErrorBody),
    )
)]
#[allow(dead_code)] // documents the operation
pub fn api_csv() {}
