//! Downloads of the venue list with its filters (`/venues.csv|xlsx`, `/api/v1/venues.csv`),
//! on the shared export kit. The list is public, so is its download.

use std::collections::HashMap;

use shuniu_domain::Lang;
use shuniu_store::{After, Store};
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::api::access::ApiCaller;
use crate::kit::export::{self, CHUNK_ROWS, Chunk, ListDownload, Spec};
use crate::kit::ui::Ui;
use crate::parks::service::{VenueQuery, parse_venue_query};
use crate::{AppError, AppState};


const HEADER: [&str; 6] = [
    "park.col.venue",
    "park.f.address",
    "park.f.jurisdiction",
    "dl.col.area_code",
    "park.col.area",
    "park.col.hub",
];


/// The list's filters as a query string (`key=value&…`), for links and the record.
pub fn query_string(q: &VenueQuery) -> String {
    export::filter_query(&[("jurisdiction", &q.jurisdiction), ("hub", &q.hub)])
}

/// The venue list's downloads.
pub struct Venues;

impl ListDownload for Venues {
    type Path = ();
    type Query = VenueQuery;
    type ApiWho = ApiCaller;
    type Filter = (Option<String>, Option<Uuid>);
    type Cursor = After;

    async fn prepare(
        s: &AppState,
        ui: &Ui,
        _: &Caller,
        _: (),
        q: VenueQuery,
    ) -> Result<(Spec, Self::Filter), AppError> {
        let (path, hub, _) = parse_venue_query(&s.store, &q).await?;
        let widths = [30.0, 30.0, 16.0, 14.0, 10.0, 30.0];
        let title = ui.t("park.list.title").to_string();
        let spec = Spec::list(ui, "venues", title, &HEADER, &widths, &query_string(&q));
        Ok((spec, (path, hub)))
    }

    async fn chunk(
        store: Store,
        (path, hub): (Option<String>, Option<Uuid>),
        after: Option<After>,
        lang: Lang,
    ) -> Result<Chunk<After>, AppError> {
        let p = store
            .venues_chunk(path.as_deref(), hub, after.as_ref(), CHUNK_ROWS)
            .await?;
        let codes: Vec<&str> = p.items.iter().map(|v| v.data.jurisdiction.as_str()).collect();
        let places = export::place_names(&store, &codes, lang).await?;
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
        Ok(Chunk { rows, next: p.next })
    }
}

/// The venue list as CSV, with the list's filters (served by
/// `kit::export::api_csv::<Venues>`).
#[utoipa::path(
    get,
    path = "/api/v1/venues.csv",
    operation_id = "download_venues",
    tag = "parks",
    params(VenueQuery),
    security((), ("bearer" = [])),
    responses(
        export::CsvResponses,
        crate::kit::api::responses::BadToken,
        (status = 422, description = "A bad filter or paging parameter, named", body = crate::kit::api::error::ErrorBody),
    )
)]
#[allow(dead_code)] // documents the operation
pub fn api_csv() {}
