//! Downloads of a public credit list with its filters (`/credit-lists.csv|xlsx`,
//! `/api/v1/credit-lists.csv`), on the shared export kit: the rows the page shows, with
//! dates as ISO dates.

use shuniu_domain::Lang;
use shuniu_store::{After, Store};

use crate::auth::Caller;
use crate::credit::CreditListQuery;
use crate::credit::service::CreditListFilter;
use crate::kit::api::access::ApiCaller;
use crate::kit::export::{self, CHUNK_ROWS, Chunk, ListDownload, Spec};
use crate::kit::ui::Ui;
use crate::{AppError, AppState};


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


/// The list's filters as a query string (`key=value&…`), for links and the record.
pub fn query_string(q: &CreditListQuery) -> String {
    export::filter_query(&[("list", &q.list), ("jurisdiction", &q.jurisdiction)])
}

/// The public credit lists' downloads.
pub struct CreditLists;

impl ListDownload for CreditLists {
    type Path = ();
    type Query = CreditListQuery;
    type ApiWho = ApiCaller;
    type Filter = CreditListFilter;
    type Cursor = After;

    async fn prepare(
        s: &AppState,
        ui: &Ui,
        _: &Caller,
        _: (),
        q: CreditListQuery,
    ) -> Result<(Spec, Self::Filter), AppError> {
        let f = q.parse(&s.store).await?;
        let widths = [32.0, 16.0, 14.0, 12.0, 30.0, 30.0, 12.0, 30.0];
        let title = f.list.label(ui.lang).to_string();
        let spec = Spec {
            stem: format!("credit-{}", f.list.as_str()),
            ..Spec::list(ui, "credit_lists", title, &HEADER, &widths, &query_string(&q))
        };
        Ok((spec, f))
    }

    async fn chunk(
        store: Store,
        f: CreditListFilter,
        after: Option<After>,
        lang: Lang,
    ) -> Result<Chunk<After>, AppError> {
        let p = store
            .credit_list_chunk(f.list, f.path.as_deref(), after.as_ref(), CHUNK_ROWS)
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
        let places = export::place_names(&store, &refs, lang).await?;
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
        Ok(Chunk { rows, next: p.next })
    }
}

/// A public credit list as CSV, with the list's filters (served by
/// `kit::export::api_csv::<CreditLists>`).
#[utoipa::path(
    get,
    path = "/api/v1/credit-lists.csv",
    operation_id = "download_credit_list",
    tag = "credit",
    params(CreditListQuery),
    security((), ("bearer" = [])),
    responses(
        export::CsvResponses,
        crate::kit::api::responses::BadToken,
        (status = 422, description = "A bad query parameter, named", body = crate::kit::api::error::ErrorBody),
    )
)]
#[allow(dead_code)] // documents the operation
pub fn api_csv() {}
