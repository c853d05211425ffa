//! Downloads of lists, shared by every capability: a list as CSV, streamed from the
//! database a chunk at a time, or as Excel, built in memory and capped at [`XLSX_CAP`]
//! rows (the sheet says so when it is cut).
//!
//! A capability gives a [`Spec`] (the file's name, the header in the reader's language,
//! the audit record) and a chunk reader: a function from the position after the last
//! chunk (`None` first) to the next chunk's rows, already turned into cells, and the
//! position after them (`None`: that was the last). [`download`] then:
//!
//! - takes an export slot ([`ExportSlots`], in `AppState`): exports run a few at a
//!   time; when all slots are taken the answer is `503` with `Retry-After`;
//! - records the download in the audit trail before any row is sent;
//! - reads the first chunk before the answer starts, so a failing query is an error
//!   answer, never a `200` with an empty file; a later failure breaks the transfer
//!   rather than ending it short;
//! - writes the CSV with a byte-order mark (Excel then reads UTF-8), quoted by the `csv`
//!   crate, and cells that a spreadsheet would run as a formula (starting with `=`, `+`,
//!   `-`, `@`, a tab or a carriage return) behind a `'`;
//! - names the file `shuniu-<stem>-<Beijing date and time>.<ext>` as an attachment.

use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use chrono_tz::Asia::Shanghai;
use shuniu_domain::audit::Outcome;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use serde::de::DeserializeOwned;

use crate::PageResult;
use crate::auth::Caller;
use crate::kit::extract::ApiQuery;
use crate::kit::ui::Ui;
use crate::kit::view::fmt_int;
use crate::kit::{AppError, AppState};

/// Rows read per query while streaming: one keyset chunk of the list.
pub const CHUNK_ROWS: u32 = 1_000;
/// At most this many rows in an Excel file: it is built in memory; the CSV has them all.
pub const XLSX_CAP: usize = 100_000;
/// Seconds a client is asked to wait when every export slot is taken.
pub const RETRY_AFTER_SECS: u64 = 10;

/// One row of a download, as text cells.
pub type Cells = Vec<String>;

/// The file asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// What a download is: its file, its header and how it is recorded.
pub struct Spec {
    /// The file name's stem, after `shuniu-` (`organizations`, `gaps-320102-party_work` …).
    pub stem: String,
    /// The Excel sheet's first line.
    pub title: String,
    /// The column heads, in the reader's language.
    pub header: Vec<String>,
    /// Column widths of the Excel sheet (characters); missing ones keep the default.
    pub widths: Vec<f64>,
    /// The audit record's kind (`list.export`, `coverage.export` …), object and details
    /// (the format is added).
    pub kind: &'static str,
    pub object: String,
    pub details: serde_json::Value,
    /// The Excel sheet's last line when it is cut at [`XLSX_CAP`] rows.
    pub capped: String,
}

impl Spec {
    /// The download of the list `name` (`organizations`, `hub_members` …): recorded as
    /// `list.export` of `list:<name>` with the list's filters (`key=value&…`), the
    /// header in the reader's language from `header_keys`. A list whose file or record
    /// names more (a hub, a jurisdiction) overrides `stem` or `object` after.
    pub fn list(
        ui: &Ui,
        name: &str,
        title: String,
        header_keys: &[&str],
        widths: &[f64],
        filter: &str,
    ) -> Spec {
        Spec {
            stem: name.to_string(),
            title,
            header: header_keys.iter().map(|k| ui.t(k).to_string()).collect(),
            widths: widths.to_vec(),
            kind: "list.export",
            object: format!("list:{name}"),
            details: serde_json::json!({ "list": name, "filter": filter.trim_end_matches('&') }),
            capped: ui.tf("dl.capped", &[&fmt_int(XLSX_CAP as i64)]),
        }
    }
}

/// A list's filters as a query string (`key=value&…`, the empty ones left out), for
/// the page's download links and the audit record.
pub fn filter_query(pairs: &[(&str, &Option<String>)]) -> String {
    let mut out = String::new();
    for (k, val) in pairs {
        if let Some(x) = val.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(&format!("{k}={}", crate::kit::view::pct(x)));
        }
    }
    out
}

/// The names of the places `codes` name, in `lang`, read in one query (a chunk's
/// rows carry codes; the file shows names beside them).
pub async fn place_names(
    store: &shuniu_store::Store,
    codes: &[&str],
    lang: shuniu_domain::Lang,
) -> Result<HashMap<String, String>, AppError> {
    Ok(store
        .jurisdictions_by_codes(codes)
        .await?
        .into_iter()
        .map(|j| (j.code.to_string(), j.name(lang).to_string()))
        .collect())
}

/// A list with downloads, served by [`page_csv`], [`page_xlsx`] and [`api_csv`]: the
/// list keeps its columns and chunk reader, the kit the handlers and the walk. Its
/// query is read as the API's lists read theirs (a malformed one: `422`).
pub trait ListDownload: Send + Sync + 'static {
    /// What the path names (`()` for a list at a fixed path, a `RecordId` …).
    type Path: FromRequestParts<AppState> + Send;
    /// The list's filters, as sent.
    type Query: DeserializeOwned + Send;
    /// Who may call the API's twin: `ApiCaller` (anyone) or `ApiAccount`.
    type ApiWho: FromRequestParts<AppState> + Into<Caller> + Send;
    /// What the chunk reader needs: the parsed filters, the scope …
    type Filter: Clone + Send + Sync + 'static;
    /// Where a chunk starts (the last row's sort key).
    type Cursor: Send + 'static;

    /// Checks access and the filters (401/403/404/422 before anything is recorded);
    /// the file's [`Spec`] and the reader's filter.
    fn prepare(
        s: &AppState,
        ui: &Ui,
        caller: &Caller,
        path: Self::Path,
        q: Self::Query,
    ) -> impl Future<Output = Result<(Spec, Self::Filter), AppError>> + Send;

    /// The chunk after `after` (from the start if `None`), as cells in `lang`.
    fn chunk(
        store: shuniu_store::Store,
        filter: Self::Filter,
        after: Option<Self::Cursor>,
        lang: shuniu_domain::Lang,
    ) -> impl Future<Output = Result<Chunk<Self::Cursor>, AppError>> + Send;
}

/// The download of the list `L` that `path` and `q` select, in `format`.
async fn answer<L: ListDownload>(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    path: L::Path,
    q: L::Query,
    format: Format,
) -> Result<Response, AppError> {
    let (spec, filter) = L::prepare(s, ui, caller, path, q).await?;
    let store = s.store.clone();
    let lang = ui.lang;
    download(s, caller, spec, format, move |after| {
        L::chunk(store.clone(), filter.clone(), after, lang)
    })
    .await
}

/// `GET <list>.csv?<the list's filters>` on the site.
pub async fn page_csv<L: ListDownload>(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    path: L::Path,
    ApiQuery(q): ApiQuery<L::Query>,
) -> PageResult {
    Ok(answer::<L>(&s, &ui, &caller, path, q, Format::Csv).await?)
}

/// `GET <list>.xlsx?<the list's filters>` on the site.
pub async fn page_xlsx<L: ListDownload>(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    path: L::Path,
    ApiQuery(q): ApiQuery<L::Query>,
) -> PageResult {
    Ok(answer::<L>(&s, &ui, &caller, path, q, Format::Xlsx).await?)
}

/// `GET /api/v1/<list>.csv?<the list's filters>`: the header in the language of
/// `Accept-Language`, else English. (Each list documents it with a `#[utoipa::path]`
/// of its own, listing [`CsvResponses`].)
pub async fn api_csv<L: ListDownload>(
    State(s): State<AppState>,
    headers: HeaderMap,
    who: L::ApiWho,
    path: L::Path,
    ApiQuery(q): ApiQuery<L::Query>,
) -> Result<Response, AppError> {
    let caller: Caller = who.into();
    answer::<L>(&s, &api_ui(&headers), &caller, path, q, Format::Csv).await
}

/// The answers every CSV download of the API documents: the file and `503` when busy.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // documents the answers; `download` builds them
pub enum CsvResponses {
    /// Every row the list's filters select.
    #[response(
        status = 200,
        description = "Every row the filters select as CSV (UTF-8 with a byte-order mark, header in the caller's language, ISO dates), streamed; `page` and `per_page` are ignored",
        content_type = "text/csv"
    )]
    Csv(String),
    /// Every export slot is taken.
    #[response(
        status = 503,
        description = "Too many downloads running; try again after `Retry-After` seconds",
        headers(("Retry-After" = u64, description = "Seconds to wait"))
    )]
    Busy(crate::kit::api::error::ErrorBody),
}

/// One chunk read: its rows and the position after them (`None`: the last chunk).
pub struct Chunk<C> {
    pub rows: Vec<Cells>,
    pub next: Option<C>,
}

/// Bounds the exports running at once (each holds a database connection and, for
/// Excel, a file in memory): a slot is held until the download's last byte is sent.
#[derive(Debug)]
pub struct ExportSlots {
    slots: Arc<Semaphore>,
}

impl Default for ExportSlots {
    /// One slot per core, at least two.
    fn default() -> Self {
        ExportSlots::new(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .max(2),
        )
    }
}

impl ExportSlots {
    pub fn new(slots: usize) -> Self {
        ExportSlots {
            slots: Arc::new(Semaphore::new(slots)),
        }
    }

    /// A free slot now, or `503` with `Retry-After` (no queue: a download can wait
    /// on the client's side as well as here).
    pub fn take(&self) -> Result<OwnedSemaphorePermit, AppError> {
        self.slots
            .clone()
            .try_acquire_owned()
            .map_err(|_| AppError::Busy {
                retry_after_secs: RETRY_AFTER_SECS,
            })
    }
}

/// A list page's download links, carrying the list's filters.
pub struct Links {
    pub csv: String,
    pub xlsx: String,
    pub note: String,
}

impl Links {
    /// Links to `<path>.csv?<query>` and `<path>.xlsx?<query>` (`query` as the page's
    /// filters, `key=value&…`, maybe empty).
    pub fn new(ui: &Ui, path: &str, query: &str) -> Links {
        let q = query.trim_end_matches('&');
        let sep = if q.is_empty() { "" } else { "?" };
        Links {
            csv: format!("{path}.csv{sep}{q}"),
            xlsx: format!("{path}.xlsx{sep}{q}"),
            note: ui.tf("dl.note", &[&fmt_int(XLSX_CAP as i64)]),
        }
    }
}

/// The words of an API download's header: the language of `Accept-Language`, else
/// English (as the API's errors).
pub fn api_ui(headers: &HeaderMap) -> Ui {
    let lang = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(shuniu_domain::Lang::from_accept_language)
        .unwrap_or(shuniu_domain::Lang::En);
    Ui::new(lang, "")
}

/// A cell a spreadsheet would read as a formula, behind a `'` (CSV injection).
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Rows as CSV; with `header`, the byte-order mark and the header row first.
pub fn csv_rows(header: Option<&[String]>, rows: &[Cells]) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::new();
    if header.is_some() {
        // The byte-order mark lets Excel open the UTF-8 file as UTF-8 (else it garbles Chinese).
        out.extend_from_slice("\u{FEFF}".as_bytes());
    }
    let mut w = csv::Writer::from_writer(out);
    if let Some(h) = header {
        w.write_record(h.iter().map(|c| neutralise(c).into_owned()))?;
    }
    for r in rows {
        w.write_record(r.iter().map(|c| neutralise(c).into_owned()))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Answers the download of a list: takes a slot, records it, reads `read`'s chunks.
pub async fn download<C, F, Fut>(
    s: &AppState,
    caller: &Caller,
    spec: Spec,
    format: Format,
    read: F,
) -> Result<Response, AppError>
where
    C: Send + 'static,
    F: Fn(Option<C>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Chunk<C>, AppError>> + Send + 'static,
{
    let slot = s.exports.take()?;
    let mut details = spec.details.clone();
    if let Some(m) = details.as_object_mut() {
        m.insert("format".into(), format.ext().into());
    }
    s.store
        .audit(caller.event(
            spec.kind,
            spec.object.clone(),
            Outcome::Success,
            details.to_string(),
        ))
        .await?;
    let name = format!(
        "attachment; filename=\"shuniu-{}-{}.{}\"",
        spec.stem,
        Utc::now().with_timezone(&Shanghai).format("%Y%m%d-%H%M%S"),
        format.ext()
    );
    let body = match format {
        Format::Csv => csv_body(spec.header, read, slot).await?,
        Format::Xlsx => {
            let bytes = xlsx_bytes(&spec, &read).await?;
            drop(slot);
            Body::from(bytes)
        }
    };
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

struct CsvStream<C, F> {
    read: F,
    header: Option<Vec<String>>,
    pending: Option<Vec<Cells>>,
    next: Option<C>,
    done: bool,
    /// Held until the stream is dropped (sent or abandoned).
    _slot: OwnedSemaphorePermit,
}

async fn csv_body<C, F, Fut>(
    header: Vec<String>,
    read: F,
    slot: OwnedSemaphorePermit,
) -> Result<Body, AppError>
where
    C: Send + 'static,
    F: Fn(Option<C>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Chunk<C>, AppError>> + Send + 'static,
{
    let first = read(None).await?;
    let start = CsvStream {
        read,
        header: Some(header),
        done: first.next.is_none(),
        pending: Some(first.rows),
        next: first.next,
        _slot: slot,
    };
    let stream = futures_util::stream::unfold(Some(start), |st| async move {
        let mut st = st?;
        let rows = match st.pending.take() {
            Some(rows) => rows,
            None => {
                if st.done {
                    return None;
                }
                match (st.read)(st.next.take()).await {
                    Ok(c) => {
                        st.done = c.next.is_none();
                        st.next = c.next;
                        c.rows
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "export failed");
                        return Some((Err(std::io::Error::other("export failed")), None));
                    }
                }
            }
        };
        let bytes = csv_rows(st.header.take().as_deref(), &rows)
            .map(Bytes::from)
            .map_err(std::io::Error::other);
        Some((bytes, Some(st)))
    });
    // Fused: the compression layer polls once more after the end, and an unfused
    // `unfold` panics when polled past its end.
    Ok(Body::from_stream(futures_util::StreamExt::fuse(stream)))
}

/// The Excel file: the title, the header, at most [`XLSX_CAP`] rows, and a last line
/// saying so when there are more.
async fn xlsx_bytes<C, F, Fut>(spec: &Spec, read: &F) -> Result<Vec<u8>, AppError>
where
    F: Fn(Option<C>) -> Fut,
    Fut: Future<Output = Result<Chunk<C>, AppError>>,
{
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let xl = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let bold = Format::new().set_bold();
    sheet.write_string(0, 0, &spec.title).map_err(xl)?;
    for (c, h) in spec.header.iter().enumerate() {
        sheet
            .write_string_with_format(1, c as u16, h, &bold)
            .map_err(xl)?;
    }
    for (c, w) in spec.widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(xl)?;
    }
    let mut row: u32 = 2;
    let mut written = 0usize;
    let mut at = None;
    loop {
        let chunk = read(at).await?;
        for cells in &chunk.rows {
            if written == XLSX_CAP {
                sheet.write_string(row, 0, &spec.capped).map_err(xl)?;
                return book.save_to_buffer().map_err(xl);
            }
            for (c, v) in cells.iter().enumerate() {
                sheet.write_string(row, c as u16, v).map_err(xl)?;
            }
            row += 1;
            written += 1;
        }
        match chunk.next {
            Some(n) => at = Some(n),
            None => break,
        }
    }
    book.save_to_buffer().map_err(xl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_text_kept() {
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("+86"), "'+86");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("梅园新村"), "梅园新村");
        assert_eq!(neutralise(""), "");
        let out = csv_rows(
            Some(&["名称".to_string(), "b".to_string()]),
            &[vec!["a,\"b\"".into(), "=cmd|' /C calc'!A0".into()]],
        )
        .unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(s, "\u{FEFF}名称,b\n\"a,\"\"b\"\"\",'=cmd|' /C calc'!A0\n");
    }

    #[test]
    fn slots_run_out_and_come_back() {
        let slots = ExportSlots::new(1);
        let held = slots.take().unwrap();
        assert!(matches!(
            slots.take(),
            Err(AppError::Busy {
                retry_after_secs: RETRY_AFTER_SECS
            })
        ));
        drop(held);
        assert!(slots.take().is_ok());
    }
}
