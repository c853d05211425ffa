//! Streaming the audit trail as CSV, shared by the page (`/audit.csv`) and the API
//! (`/api/v1/audit.csv`), which differ only in how a row is written.
//!
//! The first chunk is read before the answer starts: a query that fails is then an
//! error answer, never a `200` with an empty file. Later chunks stream; a failure there
//! ends the stream with an error, so the client sees a broken transfer, not a short
//! file that looks complete.

use axum::body::{Body, Bytes};
use shuniu_domain::audit::AuditRecord;
use shuniu_store::{AuditFilter, Store, StoreError};

/// Writes `rows` as CSV (`header`: the first chunk, which carries the header row).
pub type RowWriter = fn(&[AuditRecord], bool) -> Result<Vec<u8>, csv::Error>;

struct Export {
    store: Store,
    filter: AuditFilter,
    chunk: u32,
    write: RowWriter,
    /// Rows read but not yet sent (the first chunk).
    pending: Option<Vec<AuditRecord>>,
    before: Option<i64>,
    header: bool,
    done: bool,
}

/// The CSV body of the records `filter` selects, newest first, `chunk` at a time.
pub async fn csv_body(
    store: Store,
    filter: AuditFilter,
    chunk: u32,
    write: RowWriter,
) -> Result<Body, StoreError> {
    let first = store.audit_chunk(&filter, None, chunk).await?;
    let start = Export {
        store,
        filter,
        chunk,
        write,
        pending: Some(first),
        before: None,
        header: true,
        done: false,
    };
    let stream = futures_util::stream::unfold(start, |mut st| async move {
        if st.done {
            return None;
        }
        let rows = match st.pending.take() {
            Some(rows) => rows,
            None => match st.store.audit_chunk(&st.filter, st.before, st.chunk).await {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::error!(error = %e, "audit export failed");
                    st.done = true;
                    return Some((Err(std::io::Error::other("audit export failed")), st));
                }
            },
        };
        st.done = rows.len() < st.chunk as usize;
        if let Some(last) = rows.last() {
            st.before = Some(last.seq);
        }
        let bytes = (st.write)(&rows, st.header)
            .map(Bytes::from)
            .map_err(std::io::Error::other);
        st.header = false;
        Some((bytes, st))
    });
    // Fused: a reader may poll once more after the end (the compression layer does, to
    // flush its encoder), and an unfused `unfold` panics when polled past its end.
    Ok(Body::from_stream(futures_util::StreamExt::fuse(stream)))
}
