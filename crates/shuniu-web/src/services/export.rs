//! Downloads of the public service list with its filters (`/services.csv|xlsx`,
//! `/api/v1/services.csv`), on the shared export kit: the same rows as the list —
//! services not ended, of organizations in good standing (not suspended, deregistered
//! or on the serious list) — and no person's data.

use shuniu_domain::Lang;
use shuniu_store::{After, Store};
use shuniu_store::services::ServiceFilter;

use crate::auth::Caller;
use crate::kit::api::access::ApiCaller;
use crate::kit::export::{self, CHUNK_ROWS, Chunk, ListDownload, Spec};
use crate::kit::ui::Ui;
use crate::services::pages::line;
use crate::services::service::ListQuery;
use crate::{AppError, AppState};


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


/// The list's filters as a query string (`key=value&…`), for links and the record.
pub fn query_string(q: &ListQuery) -> String {
    export::filter_query(&[
        ("category", &q.category),
        ("jurisdiction", &q.jurisdiction),
        ("q", &q.q),
    ])
}

/// The public service list's downloads.
pub struct Services;

impl ListDownload for Services {
    type Path = ();
    type Query = ListQuery;
    type ApiWho = ApiCaller;
    type Filter = ServiceFilter;
    type Cursor = After;

    async fn prepare(
        s: &AppState,
        ui: &Ui,
        _: &Caller,
        _: (),
        q: ListQuery,
    ) -> Result<(Spec, Self::Filter), AppError> {
        let (mut filter, _) = q.parse(&s.store).await?;
        crate::services::service::find_words(&s.search, &q, &mut filter);
        let widths = [24.0, 30.0, 12.0, 20.0, 24.0, 20.0, 10.0, 24.0];
        let title = ui.t("svc.list.title").to_string();
        let spec = Spec::list(ui, "services", title, &HEADER, &widths, &query_string(&q));
        Ok((spec, filter))
    }

    async fn chunk(
        store: Store,
        filter: ServiceFilter,
        after: Option<After>,
        lang: Lang,
    ) -> Result<Chunk<After>, AppError> {
        let p = store
            .public_services_chunk(&filter, after.as_ref(), CHUNK_ROWS)
            .await?;
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
        Ok(Chunk { rows, next: p.next })
    }
}

/// The public service list as CSV, with the list's filters (served by
/// `kit::export::api_csv::<Services>`).
#[utoipa::path(
    get,
    path = "/api/v1/services.csv",
    operation_id = "download_services",
    tag = "services",
    params(ListQuery),
    security((), ("bearer" = [])),
    responses(
        export::CsvResponses,
        crate::kit::api::responses::BadToken,
        (status = 422, description = "A bad query parameter, named", body = crate::kit::api::error::ErrorBody),
    )
)]
#[allow(dead_code)] // documents the operation
pub fn api_csv() {}
