//! Downloads of an official's annual-report queue (`/annual-reports.csv|xlsx`,
//! `/api/v1/annual-reports.csv`), on the shared export kit: the same rule as the queue
//! (officials, each of their own node), the same filters, dates as ISO dates.

use shuniu_domain::Lang;
use shuniu_store::{After, Store};

use crate::annual::service::{self, QueueFilter, QueueQuery};
use crate::auth::Caller;
use crate::kit::api::access::ApiAccount;
use crate::kit::api::error::ErrorBody;
use crate::kit::api::responses::NeedsToken;
use crate::kit::export::{self, CHUNK_ROWS, Chunk, ListDownload, Spec};
use crate::kit::ui::Ui;
use crate::{AppError, AppState};


const HEADER: [&str; 7] = [
    "ann.col.organization",
    "ann.col.year",
    "ann.col.submitted_on",
    "ann.col.timeliness",
    "ann.col.review_kind",
    "ann.col.outcome",
    "ann.col.reasons",
];


/// The queue's downloads: who may see the queue may download it.
pub struct Queue;

impl ListDownload for Queue {
    type Path = ();
    type Query = QueueQuery;
    type ApiWho = ApiAccount;
    type Filter = (String, QueueFilter);
    type Cursor = After;

    async fn prepare(
        s: &AppState,
        ui: &Ui,
        caller: &Caller,
        _: (),
        q: QueueQuery,
    ) -> Result<(Spec, Self::Filter), AppError> {
        // As the queue: anyone else is told so before the parameters are read.
        let authority = service::queue_path(&s.store, caller).await?;
        let f = q.parse()?;
        let filter = export::filter_query(&[("year", &q.year), ("outcome", &q.outcome)]);
        let widths = [36.0, 10.0, 12.0, 10.0, 12.0, 12.0, 36.0];
        let title = ui.t("ann.queue.title").to_string();
        let spec = Spec::list(ui, "annual_reports", title, &HEADER, &widths, &filter);
        Ok((spec, (authority, f)))
    }

    async fn chunk(
        store: Store,
        (authority, f): (String, QueueFilter),
        after: Option<After>,
        lang: Lang,
    ) -> Result<Chunk<After>, AppError> {
        let p = store
            .annual_report_queue_chunk(&authority, f.year, f.outcome, after.as_ref(), CHUNK_ROWS)
            .await?;
        let ui = Ui::new(lang, "");
        let rows = p
            .items
            .iter()
            .map(|q| {
                let r = &q.report;
                vec![
                    q.organization_name.clone(),
                    r.year.to_string(),
                    r.submitted_on.to_string(),
                    ui.t(if r.late { "ann.late" } else { "ann.on_time" }).to_string(),
                    r.review_kind.label(lang).to_string(),
                    match r.outcome {
                        Some(o) => o.label(lang).to_string(),
                        None => ui.t("ann.pending").to_string(),
                    },
                    r.review_reasons.clone().unwrap_or_default(),
                ]
            })
            .collect();
        Ok(Chunk { rows, next: p.next })
    }
}

/// The calling official's queue as CSV, with its filters (served by
/// `kit::export::api_csv::<Queue>`).
#[utoipa::path(
    get,
    path = "/api/v1/annual-reports.csv",
    operation_id = "download_annual_report_queue",
    tag = "annual",
    params(QueueQuery),
    security(("bearer" = [])),
    responses(
        export::CsvResponses,
        NeedsToken,
        (status = 403, description = "Only officials have a queue", body = ErrorBody),
        (status = 422, description = "A bad query parameter, named", body = ErrorBody),
    )
)]
#[allow(dead_code)] // documents the operation
pub fn api_csv() {}
