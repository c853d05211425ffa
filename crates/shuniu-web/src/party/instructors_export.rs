//! Downloads of the instructor register (`/instructors.csv|xlsx`,
//! `/api/v1/instructors.csv`), on the shared export kit: the same rule as the list
//! (who may read reports on the jurisdiction), and phones masked unless the caller
//! keeps the register, as on the page.

use axum::response::Response;
use shuniu_domain::Lang;
use shuniu_store::Store;

use crate::auth::Caller;
use crate::kit::api::access::ApiAccount;
use crate::kit::api::error::ErrorBody;
use crate::kit::api::responses::NeedsToken;
use crate::kit::export::{self, Chunk, Format, ListDownload, Spec};
use crate::kit::ui::Ui;
use crate::party::{self, InstructorQuery};
use crate::{AppError, AppState};

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
    let places = export::place_names(&store, &codes, lang).await?;
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

/// The instructor register's downloads. The list is read once first: access
/// (401/403) and bad parameters (422) answer before any record.
pub struct Instructors;

impl ListDownload for Instructors {
    type Path = ();
    type Query = InstructorQuery;
    type ApiWho = ApiAccount;

    async fn answer(
        s: &AppState,
        ui: &Ui,
        caller: &Caller,
        _: (),
        q: InstructorQuery,
        format: Format,
    ) -> Result<Response, AppError> {
        let one = InstructorQuery {
            per_page: Some("1".into()),
            page: None,
            ..q
        };
        let first = party::instructors(&s.store, caller, &one).await?;
        let code = first.jurisdiction.code.to_string();
        let widths = [16.0, 16.0, 16.0, 14.0, 30.0, 10.0];
        let place = first.jurisdiction.name(ui.lang);
        let title = format!("{} · {place}", ui.t("cov.instr.title"));
        let filter = format!("jurisdiction={code}");
        let spec = Spec {
            stem: format!("instructors-{code}"),
            ..Spec::list(ui, "instructors", title, &HEADER, &widths, &filter)
        };
        let store = s.store.clone();
        let lang = ui.lang;
        let who = caller.clone();
        export::download(s, caller, spec, format, move |page| {
            chunk(store.clone(), who.clone(), code.clone(), page.unwrap_or(1), lang)
        })
        .await
    }
}

/// The instructor register of a jurisdiction as CSV (phones masked unless the caller
/// keeps the register; served by `kit::export::api_csv::<Instructors>`).
#[utoipa::path(
    get,
    path = "/api/v1/instructors.csv",
    operation_id = "download_instructors",
    tag = "party",
    params(InstructorQuery),
    security(("bearer" = [])),
    responses(
        export::CsvResponses,
        NeedsToken,
        (status = 403, description = "The caller may not read reports on this jurisdiction", body = ErrorBody),
        (status = 422, description = "A bad query parameter, named", body = ErrorBody),
    )
)]
#[allow(dead_code)] // documents the operation
pub fn api_csv() {}
