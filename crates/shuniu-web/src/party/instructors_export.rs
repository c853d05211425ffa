//! Downloads of the instructor register (`/instructors.csv|xlsx`,
//! `/api/v1/instructors.csv`), on the shared export kit: the same rule as the list
//! (who may read reports on the jurisdiction), and phones masked unless the caller
//! keeps the register, as on the page.

use shuniu_domain::Lang;
use shuniu_store::{After, Store};

use crate::auth::Caller;
use crate::kit::api::access::ApiAccount;
use crate::kit::api::error::ErrorBody;
use crate::kit::api::responses::NeedsToken;
use crate::kit::export::{self, CHUNK_ROWS, Chunk, ListDownload, Spec};
use crate::kit::ui::Ui;
use crate::party::{self, InstructorQuery};
use crate::{AppError, AppState};


const HEADER: [&str; 6] = [
    "cov.f.name",
    "cov.f.phone",
    "cov.f.jurisdiction",
    "dl.col.area_code",
    "cov.f.workplace",
    "cov.instr.col.orgs",
];


/// The instructor register's downloads. The list is read once first: access
/// (401/403) and bad parameters (422) answer before any record.
pub struct Instructors;

impl ListDownload for Instructors {
    type Path = ();
    type Query = InstructorQuery;
    type ApiWho = ApiAccount;
    type Filter = (String, bool);
    type Cursor = After;

    async fn prepare(
        s: &AppState,
        ui: &Ui,
        caller: &Caller,
        _: (),
        q: InstructorQuery,
    ) -> Result<(Spec, Self::Filter), AppError> {
        let one = InstructorQuery {
            per_page: Some("1".into()),
            page: None,
            cursor: None,
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
        let (path, can_manage) = (first.jurisdiction.path.clone(), first.can_manage);
        Ok((spec, (path, can_manage)))
    }

    async fn chunk(
        store: Store,
        (path, can_manage): (String, bool),
        after: Option<After>,
        lang: Lang,
    ) -> Result<Chunk<After>, AppError> {
        let l = store
            .instructors_chunk(&path, after.as_ref(), CHUNK_ROWS)
            .await?;
        let codes: Vec<&str> = l
            .items
            .iter()
            .map(|i| i.data.jurisdiction.as_str())
            .collect();
        let places = export::place_names(&store, &codes, lang).await?;
        let rows = l
            .items
            .iter()
            .map(|i| {
                let code = i.data.jurisdiction.as_str();
                vec![
                    i.data.name.clone(),
                    i.data
                        .phone
                        .as_ref()
                        .map(|p| if can_manage { p.to_string() } else { p.masked() })
                        .unwrap_or_default(),
                    places.get(code).cloned().unwrap_or_else(|| code.to_string()),
                    code.to_string(),
                    i.data.workplace.clone(),
                    i.organizations.to_string(),
                ]
            })
            .collect();
        Ok(Chunk { rows, next: l.next })
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
