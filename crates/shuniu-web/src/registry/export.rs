//! Downloads of the organization list with its filters (`/organizations.csv|xlsx`, and
//! `/api/v1/organizations.csv`), on the shared export kit. The list is public, so is its
//! download; it holds no person's data (only what the list page shows).

use shuniu_domain::Lang;
use shuniu_domain::registry::Organization;
use shuniu_store::{After, OrgFilter, Store};

use crate::auth::Caller;
use crate::kit::api::access::ApiCaller;
use crate::kit::export::{self, CHUNK_ROWS, Cells, Chunk, ListDownload, Spec};
use crate::kit::ui::Ui;
use crate::registry::pages::{domain_labels, org_code};
use crate::registry::{self, ListQuery};
use crate::{AppError, AppState};


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


/// The organization list's downloads.
pub struct Organizations;

impl ListDownload for Organizations {
    type Path = ();
    type Query = ListQuery;
    type ApiWho = ApiCaller;
    type Filter = OrgFilter;
    type Cursor = After;

    async fn prepare(
        s: &AppState,
        ui: &Ui,
        _: &Caller,
        _: (),
        q: ListQuery,
    ) -> Result<(Spec, Self::Filter), AppError> {
        let (mut filter, _) = q.parse()?;
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
            ..q
        });
        let widths = [36.0, 16.0, 22.0, 16.0, 14.0, 24.0, 10.0, 8.0];
        let title = ui.t("list.title").to_string();
        let spec = Spec::list(ui, "organizations", title, &HEADER, &widths, &filters);
        // Words are found through the search index: the download lists its best hits.
        registry::resolve_words(
            &s.store,
            &s.search,
            &mut filter,
            shuniu_store::MAX_RANKED_IDS,
            0,
        )
        .await?;
        Ok((spec, filter))
    }

    /// The chunk after `after` of the filtered list in its order, as cells, its places
    /// read in one query.
    async fn chunk(
        store: Store,
        filter: OrgFilter,
        after: Option<After>,
        lang: Lang,
    ) -> Result<Chunk<After>, AppError> {
        let p = store
            .organizations_chunk(&filter, after.as_ref(), CHUNK_ROWS)
            .await?;
        let codes: Vec<&str> = p.items.iter().map(|o| o.data.jurisdiction.as_str()).collect();
        let names = export::place_names(&store, &codes, lang).await?;
        let rows = p
            .items
            .iter()
            .map(|o| {
                let code = o.data.jurisdiction.as_str();
                cells(o, names.get(code).map(String::as_str).unwrap_or(code), lang)
            })
            .collect();
        Ok(Chunk { rows, next: p.next })
    }
}

/// The organization list as CSV, with the list's filters (served by
/// `kit::export::api_csv::<Organizations>`).
#[utoipa::path(
    get,
    path = "/api/v1/organizations.csv",
    operation_id = "download_organizations",
    tag = "organizations",
    params(ListQuery),
    security((), ("bearer" = [])),
    responses(
        export::CsvResponses,
        crate::kit::api::responses::BadToken,
        (status = 422, description = "A filter, sort or paging parameter is bad; each is named in `fields`", body = crate::kit::api::error::ErrorBody),
    )
)]
#[allow(dead_code)] // documents the operation
pub fn api_csv() {}
