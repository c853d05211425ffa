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

/// The indexes a bulk load sets aside, as `(name, table, definition)`: the non-unique
/// secondary indexes of the tables that get a row (or several) per organization written
/// — organizations, their history, the audit trail — which no write of a load reads
/// (a load finds rows by primary key and by the unique codes). Primary keys and unique
/// indexes guard what a load writes and are never set aside.
macro_rules! deferrable_tables {
    () => {
        "('organizations', 'organization_changes', 'audit_log')"
    };
}
const DEFERRABLE_SQLITE: &str = concat!(
    "SELECT name, tbl_name, sql FROM sqlite_master \
     WHERE type = 'index' AND sql IS NOT NULL AND upper(sql) NOT LIKE 'CREATE UNIQUE%' \
     AND tbl_name IN ",
    deferrable_tables!(),
    " ORDER BY name"
);
const DEFERRABLE_POSTGRES: &str = concat!(
    "SELECT indexname::text, tablename::text, indexdef FROM pg_indexes \
     WHERE schemaname = current_schema() AND upper(indexdef) NOT LIKE 'CREATE UNIQUE%' \
     AND tablename IN ",
    deferrable_tables!(),
    " ORDER BY indexname"
);

impl Store {
    /// Sets aside the non-unique secondary indexes of the tables a bulk load fills
    /// (organizations, their history, the audit trail): each is recorded with its
    /// definition in `bulk_deferred_indexes` and dropped, in one transaction. A load then
    /// writes each row into its table and the unique indexes only; its end calls
    /// [`restore_deferred_indexes`](Self::restore_deferred_indexes). Returns how many were
    /// set aside now (none when they already are).
    pub async fn defer_indexes(&self) -> Result<usize> {
        let sql = match self.dialect() {
            crate::Dialect::Sqlite => DEFERRABLE_SQLITE,
            crate::Dialect::Postgres => DEFERRABLE_POSTGRES,
        };
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let found: Vec<(String, String, String)> =
                sqlx::query_as(sql).fetch_all(&mut *tx).await?;
            for (name, table, definition) in &found {
                sqlx::query(
                    "INSERT INTO bulk_deferred_indexes (name, table_name, definition) VALUES ($1, $2, $3)",
                )
                .bind(name)
                .bind(table)
                .bind(definition)
                .execute(&mut *tx)
                .await?;
                // The name comes from the catalogue, not from a caller.
                sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', "")))
                    .persistent(false)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<_, crate::StoreError>(found.len())
        })
    }

    /// Builds back every index a bulk load set aside, one transaction each (an index
    /// built is no longer listed, so a stop midway resumes with the rest). Returns how
    /// many were built. Asked at the end of a load and by every `migrate`, so a load
    /// that stopped for good never leaves the registry without its indexes.
    pub async fn restore_deferred_indexes(&self) -> Result<usize> {
        let deferred: Vec<(String, String)> = on_pool!(self, |p| sqlx::query_as(
            "SELECT name, definition FROM bulk_deferred_indexes ORDER BY name"
        )
        .fetch_all(p)
        .await)?;
        let mut built = 0;
        for (name, definition) in &deferred {
            tracing::info!(index = %name, "building an index a bulk load set aside");
            built += on_pool!(self, |p| {
                let mut tx = p.begin_with(self.begin_sql()).await?;
                // Read in the transaction first: a SQLite connection checks that the
                // schema it holds is current when a statement starts, not when one is
                // prepared, and one that last saw this index (dropped since by another
                // connection) would refuse to create it ("already exists").
                let still: Option<String> = sqlx::query_scalar(
                    "SELECT definition FROM bulk_deferred_indexes WHERE name = $1",
                )
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
                // Gone: built meanwhile by another process's migrate.
                if still.as_deref() == Some(definition.as_str()) {
                    sqlx::query(definition)
                        .persistent(false)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM bulk_deferred_indexes WHERE name = $1")
                        .bind(name)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok::<_, crate::StoreError>(1)
                } else {
                    Ok::<_, crate::StoreError>(0)
                }
            })?;
        }
        Ok(built)
    }

    /// PostgreSQL: `ANALYZE` — the planner's row counts and value spreads — of the
    /// tables a bulk load fills, in this schema, as the load grows them by orders of
    /// magnitude: a server without autovacuum (or before it gets there) plans the load's
    /// own joins, and the first requests after it, as if the tables were empty
    /// (memberships at 1M went in at 473 a second). `vacuum` (a load's end) also
    /// vacuums them, which marks their pages all-visible so that an index walk reads the
    /// index alone (a district's page by name: 11,756 table reads less). SQLite: no
    /// statistics — its planner uses none unless `ANALYZE` was run, and the lists' plans
    /// are chosen by the store from its counters — but `vacuum` repacks the file: rows
    /// that grew after the load (a member's hub, a status) split their pages half empty,
    /// 94 MB of 2.38 GB at 1M (24 s).
    pub async fn refresh_planner_statistics(&self, vacuum: bool) -> Result<()> {
        const FILLED: &str = "organizations, organization_domains, organization_changes, \
            audit_log, hubs, hub_memberships, membership_events, organization_tallies, \
            organization_domain_tallies, organization_coverage, jurisdictions";
        if let crate::Backend::Postgres(p) = &self.backend {
            let sql = match vacuum {
                // Not in a transaction, so by the simple protocol.
                true => format!("VACUUM (ANALYZE) {FILLED}"),
                false => format!("ANALYZE {FILLED}"),
            };
            sqlx::raw_sql(&sql).execute(p).await?;
            if vacuum {
                // The per-node counters are rewritten by every registration: at 1M,
                // 1,221 live rows of `organization_coverage` sat in 129 MB that a plain
                // vacuum marks free but keeps. Rewriting the small tables returns it.
                sqlx::raw_sql("VACUUM FULL organization_coverage, jurisdiction_stats")
                    .execute(p)
                    .await?;
            }
        }
        if let (crate::Backend::Sqlite(p), true) = (&self.backend, vacuum) {
            sqlx::raw_sql("VACUUM").execute(p).await?;
        }
        Ok(())
    }

    /// Whether the store's schema has the table of set-aside indexes (a database
    /// migrated before it has none to build back).
    pub(crate) async fn has_deferred_index_table(&self) -> bool {
        let sql = match self.dialect() {
            crate::Dialect::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'bulk_deferred_indexes'"
            }
            crate::Dialect::Postgres => {
                "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'bulk_deferred_indexes'"
            }
        };
        on_pool!(self, |p| sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(p)
            .await)
        .is_ok_and(|n| n > 0)
    }
}
