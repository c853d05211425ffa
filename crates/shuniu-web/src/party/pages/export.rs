//! Downloads of a coverage report's uncovered organizations, on the shared export kit
//! (`kit::export`): CSV streamed in keyset chunks, Excel capped. Same access rule as
//! the report; each download is recorded (`coverage.export`) before any row is sent.
//! The API's twin (`/api/v1/coverage/{code}/gaps.csv`) calls [`jurisdiction_download`].

use shuniu_domain::Lang;
use shuniu_store::{After, KeyChunk, Store};

use super::*;
use crate::kit::api::access::ApiAccount;
use crate::kit::export::{CHUNK_ROWS, Cells, Chunk, ListDownload, Spec, XLSX_CAP};

/// One row as the downloads write it: name, code, place, area code, party organization.
fn cells(o: &Organization, place: &str, lang: Lang) -> Cells {
    vec![
        o.data.name.clone(),
        o.data
            .uscc
            .as_ref()
            .map(|u| u.to_string())
            .unwrap_or_default(),
        place.to_string(),
        o.data.jurisdiction.to_string(),
        o.data.party_org.label(lang).to_string(),
    ]
}

fn header_row(ui: &Ui) -> Vec<String> {
    [
        "cov.col.org_name",
        "cov.dl.col.uscc",
        "cov.col.area",
        "cov.dl.col.code",
        "cov.f.party_org",
    ]
    .iter()
    .map(|k| ui.t(k).to_string())
    .collect()
}

/// The next chunk after `after`, its places read in one query.
async fn chunk(
    store: Store,
    (scope, gap): (CoverageScope, Gap),
    after: Option<After>,
    lang: Lang,
) -> Result<Chunk<After>, AppError> {
    let KeyChunk { items: rows, next } = store
        .uncovered_chunk(&scope, gap, after.as_ref(), CHUNK_ROWS)
        .await?;
    let codes: Vec<&str> = rows.iter().map(|o| o.data.jurisdiction.as_str()).collect();
    let names: HashMap<String, String> = store
        .jurisdictions_by_codes(&codes)
        .await?
        .into_iter()
        .map(|j| (j.code.to_string(), j.name(lang).to_string()))
        .collect();
    let rows = rows
        .iter()
        .map(|o| {
            let code = o.data.jurisdiction.as_str();
            let place = names.get(code).map(String::as_str).unwrap_or(code);
            cells(o, place, lang)
        })
        .collect();
    Ok(Chunk { rows, next })
}

/// The file of the gaps `q` selects in `scope` (the jurisdiction's or hub's `title`),
/// recorded as `coverage.export` of `object`, named for `slug`.
fn gap_spec(
    ui: &Ui,
    scope: CoverageScope,
    object: String,
    q: &GapQuery,
    slug: &str,
    title: String,
) -> Result<(Spec, (CoverageScope, Gap)), AppError> {
    let (gap, _) = q.parse().map_err(AppError::Validation)?;
    let gap = gap.unwrap_or(Gap::PartyOrganization);
    let spec = Spec {
        stem: format!("gaps-{slug}-{}", gap.as_str()),
        title: format!("{title} · {}", gap_label(ui, gap)),
        header: header_row(ui),
        widths: vec![40.0, 22.0, 16.0, 12.0, 14.0],
        kind: "coverage.export",
        object,
        details: serde_json::json!({ "gap": gap.as_str() }),
        capped: ui.tf("cov.dl.capped", &[&fmt_int(XLSX_CAP as i64)]),
    };
    Ok((spec, (scope, gap)))
}

/// A jurisdiction's uncovered organizations' downloads (`/coverage/{code}/gaps.*`),
/// under the report's access rule.
pub struct JurisdictionGaps;

impl ListDownload for JurisdictionGaps {
    type Path = PathCode;
    type Query = GapQuery;
    type ApiWho = ApiAccount;
    type Filter = (CoverageScope, Gap);
    type Cursor = After;

    async fn prepare(
        s: &AppState,
        ui: &Ui,
        caller: &Caller,
        PathCode(code): PathCode,
        q: GapQuery,
    ) -> Result<(Spec, Self::Filter), AppError> {
        let j = party::report_jurisdiction(&s.store, caller, &code).await?;
        let title = ui.tf("cov.title", &[j.name(ui.lang)]);
        let object = format!("jurisdiction:{}", j.code);
        let scope = CoverageScope::Subtree(j.path.clone());
        gap_spec(ui, scope, object, &q, j.code.as_str(), title)
    }

    async fn chunk(
        store: Store,
        filter: Self::Filter,
        after: Option<After>,
        lang: Lang,
    ) -> Result<Chunk<After>, AppError> {
        chunk(store, filter, after, lang).await
    }
}

/// A hub's uncovered members' downloads (`/hubs/{id}/coverage/gaps.*`), under the
/// hub report's access rule.
pub struct HubGaps;

impl ListDownload for HubGaps {
    type Path = PathCode;
    type Query = GapQuery;
    type ApiWho = ApiAccount;
    type Filter = (CoverageScope, Gap);
    type Cursor = After;

    async fn prepare(
        s: &AppState,
        ui: &Ui,
        caller: &Caller,
        PathCode(id): PathCode,
        q: GapQuery,
    ) -> Result<(Spec, Self::Filter), AppError> {
        let hub = party::report_hub(&s.store, caller, &id).await?;
        let title = ui.tf("cov.hub.title", &[&hub.organization_name]);
        let object = format!("hub:{}", hub.id);
        let slug = format!("hub-{}", hub.id);
        gap_spec(ui, CoverageScope::Hub(hub.id), object, &q, &slug, title)
    }

    async fn chunk(
        store: Store,
        filter: Self::Filter,
        after: Option<After>,
        lang: Lang,
    ) -> Result<Chunk<After>, AppError> {
        chunk(store, filter, after, lang).await
    }
}
