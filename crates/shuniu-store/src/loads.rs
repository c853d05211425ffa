//! The progress of bulk loads (`shuniu generate`): one row per load, written after each
//! of its batches, so that a rerun after a crash knows where the last one stopped.

use crate::{Result, Store, on_pool};

/// A bulk load as recorded: what was asked and how many organizations its finished
/// batches hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkLoad {
    pub params: String,
    pub done: u64,
}

impl Store {
    /// The recorded progress of the load `name`, if one was started here.
    pub async fn bulk_load(&self, name: &str) -> Result<Option<BulkLoad>> {
        let row: Option<(String, i64)> = on_pool!(self, |p| sqlx::query_as(
            "SELECT params, done FROM bulk_loads WHERE name = $1"
        )
        .bind(name)
        .fetch_optional(p)
        .await)?;
        Ok(row.map(|(params, done)| BulkLoad {
            params,
            done: done.max(0) as u64,
        }))
    }

    /// Records that the load `name` (asked as `params`) has finished batches holding
    /// `done` organizations.
    pub async fn record_bulk_load(&self, name: &str, params: &str, done: u64) -> Result<()> {
        on_pool!(self, |p| sqlx::query(
            "INSERT INTO bulk_loads (name, params, done) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET params = excluded.params, done = excluded.done"
        )
        .bind(name)
        .bind(params)
        .bind(done as i64)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }
}
