//! Downloads of a coverage report's uncovered organizations: CSV, streamed from the
//! database a chunk at a time, and Excel, built in memory and capped at
//! [`XLSX_CAP`] rows (the sheet says so when it is cut). Same access rule as the report;
//! each download is recorded in the audit trail before any row is sent.

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use chrono_tz::Asia::Shanghai;
use shuniu_domain::Lang;
use shuniu_domain::audit::Outcome;
use shuniu_store::Store;

use super::*;

/// Rows read per query while streaming.
const CHUNK: u32 = 1_000;
/// At most this many rows in an Excel file: it is built in memory; the CSV has them all.
pub const XLSX_CAP: usize = 100_000;

/// One row as the downloads write it: name, code, place, party organization.
fn cells(o: &Organization, place: &str, lang: Lang) -> [String; 5] {
    [
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

fn header_row(ui: &Ui) -> [&'static str; 5] {
    [
        ui.t("cov.col.org_name"),
        ui.t("cov.dl.col.uscc"),
        ui.t("cov.col.area"),
        ui.t("cov.dl.col.code"),
        ui.t("cov.f.party_org"),
    ]
}

/// The names of the rows' places, one query per chunk (never one per row).
async fn places(
    store: &Store,
    rows: &[Organization],
    lang: Lang,
) -> Result<HashMap<String, String>, shuniu_store::StoreError> {
    let codes: Vec<&str> = rows.iter().map(|o| o.data.jurisdiction.as_str()).collect();
    Ok(store
        .jurisdictions_by_codes(&codes)
        .await?
        .into_iter()
        .map(|j| (j.code.to_string(), j.name(lang).to_string()))
        .collect())
}

/// The next chunk after `after`, with its places.
async fn chunk(
    store: &Store,
    scope: &CoverageScope,
    gap: Gap,
    after: &Option<(String, Uuid)>,
    lang: Lang,
) -> Result<(Vec<Organization>, HashMap<String, String>), shuniu_store::StoreError> {
    let key = after.as_ref().map(|(n, id)| (n.as_str(), *id));
    let rows = store.uncovered_chunk(scope, gap, key, CHUNK).await?;
    let names = places(store, &rows, lang).await?;
    Ok((rows, names))
}

fn place<'a>(names: &'a HashMap<String, String>, o: &'a Organization) -> &'a str {
    let code = o.data.jurisdiction.as_str();
    names.get(code).map(String::as_str).unwrap_or(code)
}

fn csv_chunk(
    rows: &[Organization],
    names: &HashMap<String, String>,
    lang: Lang,
    header: Option<[&'static str; 5]>,
) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::new();
    if header.is_some() {
        // The byte-order mark lets Excel open the UTF-8 file as UTF-8 (else it garbles Chinese).
        out.extend_from_slice("\u{FEFF}".as_bytes());
    }
    let mut w = csv::Writer::from_writer(out);
    if let Some(h) = header {
        w.write_record(h)?;
    }
    for o in rows {
        w.write_record(cells(o, place(names, o), lang))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

struct Stream {
    store: Store,
    scope: CoverageScope,
    gap: Gap,
    lang: Lang,
    header: Option<[&'static str; 5]>,
    pending: Option<(Vec<Organization>, HashMap<String, String>)>,
    after: Option<(String, Uuid)>,
    done: bool,
}

/// The CSV body. The first chunk is read before the answer starts, so a failing query
/// is an error answer; a later failure breaks the transfer rather than ending it short.
async fn csv_body(
    store: Store,
    scope: CoverageScope,
    gap: Gap,
    ui: &Ui,
) -> Result<Body, AppError> {
    let first = chunk(&store, &scope, gap, &None, ui.lang).await?;
    let start = Stream {
        store,
        scope,
        gap,
        lang: ui.lang,
        header: Some(header_row(ui)),
        pending: Some(first),
        after: None,
        done: false,
    };
    let stream = futures_util::stream::unfold(start, |mut st| async move {
        if st.done {
            return None;
        }
        let (rows, names) = match st.pending.take() {
            Some(c) => c,
            None => match chunk(&st.store, &st.scope, st.gap, &st.after, st.lang).await {
                Ok(c) => c,
                Err(e) => {
                    tracing::error!(error = %e, "coverage export failed");
                    st.done = true;
                    return Some((Err(std::io::Error::other("coverage export failed")), st));
                }
            },
        };
        st.done = rows.len() < CHUNK as usize;
        if let Some(last) = rows.last() {
            st.after = Some((last.data.name.clone(), last.id));
        }
        let bytes = csv_chunk(&rows, &names, st.lang, st.header.take())
            .map(Bytes::from)
            .map_err(std::io::Error::other);
        Some((bytes, st))
    });
    // Fused: the compression layer polls once more after the end, and an unfused
    // `unfold` panics when polled past its end.
    Ok(Body::from_stream(futures_util::StreamExt::fuse(stream)))
}

/// The Excel file: at most [`XLSX_CAP`] rows, and a last line saying so when there are more.
async fn xlsx_bytes(
    store: &Store,
    scope: &CoverageScope,
    gap: Gap,
    ui: &Ui,
    title: &str,
) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let xl = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let bold = Format::new().set_bold();
    sheet.write_string(0, 0, title).map_err(xl)?;
    for (c, h) in header_row(ui).iter().enumerate() {
        sheet
            .write_string_with_format(1, c as u16, *h, &bold)
            .map_err(xl)?;
    }
    let widths = [40.0, 22.0, 16.0, 12.0, 14.0];
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(xl)?;
    }
    let mut row: u32 = 2;
    let mut written = 0usize;
    let mut after = None;
    loop {
        let (rows, names) = chunk(store, scope, gap, &after, ui.lang).await?;
        let last_chunk = rows.len() < CHUNK as usize;
        for o in &rows {
            if written == XLSX_CAP {
                sheet
                    .write_string(row, 0, ui.tf("cov.dl.capped", &[&fmt_int(XLSX_CAP as i64)]))
                    .map_err(xl)?;
                return book.save_to_buffer().map_err(xl);
            }
            for (c, v) in cells(o, place(&names, o), ui.lang).iter().enumerate() {
                sheet.write_string(row, c as u16, v).map_err(xl)?;
            }
            row += 1;
            written += 1;
        }
        if last_chunk {
            break;
        }
        after = rows.last().map(|o| (o.data.name.clone(), o.id));
    }
    book.save_to_buffer().map_err(xl)
}

#[derive(Clone, Copy)]
enum Format {
    Csv,
    Xlsx,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
    fn mime(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// Records the download, then answers it as an attachment named for `slug`.
#[allow(clippy::too_many_arguments)]
async fn download(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    scope: CoverageScope,
    object: String,
    q: &GapQuery,
    slug: &str,
    title: String,
    format: Format,
) -> Result<Response, AppError> {
    let (gap, _, _) = q.parse().map_err(AppError::Validation)?;
    let gap = gap.unwrap_or(Gap::PartyOrganization);
    let details = serde_json::json!({ "gap": gap.as_str(), "format": format.ext() });
    s.store
        .audit(caller.event(
            "coverage.export",
            object,
            Outcome::Success,
            details.to_string(),
        ))
        .await?;
    let body = match format {
        Format::Csv => csv_body(s.store.clone(), scope, gap, ui).await?,
        Format::Xlsx => {
            let title = format!("{title} · {}", gap_label(ui, gap));
            Body::from(xlsx_bytes(&s.store, &scope, gap, ui, &title).await?)
        }
    };
    let name = format!(
        "attachment; filename=\"shuniu-gaps-{slug}-{}-{}.{}\"",
        gap.as_str(),
        Utc::now().with_timezone(&Shanghai).format("%Y%m%d-%H%M%S"),
        format.ext()
    );
    let mut res = (
        [
            (header::CONTENT_TYPE, format.mime()),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&name) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

type GapQ = Result<Query<GapQuery>, axum::extract::rejection::QueryRejection>;

async fn jurisdiction_download(
    s: AppState,
    ui: Ui,
    caller: Caller,
    code: String,
    q: GapQ,
    format: Format,
) -> Result<Response, AppError> {
    let Query(q) = q.map_err(|_| AppError::BadRequest("query".into()))?;
    let j = party::report_jurisdiction(&s.store, &caller, &code).await?;
    let title = ui.tf("cov.title", &[j.name(ui.lang)]);
    let object = format!("jurisdiction:{}", j.code);
    let scope = CoverageScope::Subtree(j.path.clone());
    let slug = j.code.to_string();
    download(&s, &ui, &caller, scope, object, &q, &slug, title, format).await
}

async fn hub_download(
    s: AppState,
    ui: Ui,
    caller: Caller,
    id: String,
    q: GapQ,
    format: Format,
) -> Result<Response, AppError> {
    let Query(q) = q.map_err(|_| AppError::BadRequest("query".into()))?;
    let hub = party::report_hub(&s.store, &caller, &id).await?;
    let title = ui.tf("cov.hub.title", &[&hub.organization_name]);
    let object = format!("hub:{}", hub.id);
    let slug = format!("hub-{}", hub.id);
    let scope = CoverageScope::Hub(hub.id);
    download(&s, &ui, &caller, scope, object, &q, &slug, title, format).await
}

/// `GET /coverage/{code}/gaps.csv?gap=`
pub(super) async fn jurisdiction_csv(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    PathCode(code): PathCode,
    q: GapQ,
) -> PageResult {
    Ok(jurisdiction_download(s, ui, caller, code, q, Format::Csv).await?)
}

/// `GET /coverage/{code}/gaps.xlsx?gap=`
pub(super) async fn jurisdiction_xlsx(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    PathCode(code): PathCode,
    q: GapQ,
) -> PageResult {
    Ok(jurisdiction_download(s, ui, caller, code, q, Format::Xlsx).await?)
}

/// `GET /hubs/{id}/coverage/gaps.csv?gap=`
pub(super) async fn hub_csv(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    PathCode(id): PathCode,
    q: GapQ,
) -> PageResult {
    Ok(hub_download(s, ui, caller, id, q, Format::Csv).await?)
}

/// `GET /hubs/{id}/coverage/gaps.xlsx?gap=`
pub(super) async fn hub_xlsx(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    PathCode(id): PathCode,
    q: GapQ,
) -> PageResult {
    Ok(hub_download(s, ui, caller, id, q, Format::Xlsx).await?)
}
