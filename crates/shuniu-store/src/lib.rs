//! Shuniu's storage: one interface ([`Store`]), two backends (SQLite and PostgreSQL).
//!
//! The SQL is written once in the dialect both engines share (`$1` placeholders,
//! `RETURNING`, `ON CONFLICT`, half-open range scans instead of `LIKE`), and each query
//! is compiled for both drivers by [`on_pool!`]; where the engines differ, the
//! difference is spelled out next to the query. Schema migrations are embedded per
//! backend (`migrations/sqlite`, `migrations/postgres`) and are reversible.
//!
//! Invariants that must hold under concurrency live in the database: unique codes,
//! check constraints, and counters updated in the same transaction as the rows. Each
//! module lists its unique constraints ([`Unique`]) with what a refusal tells the
//! client; [`StoreError`]'s `From<sqlx::Error>` is the one place that reads them.
//!
//! Modules by capability (`registry`, `accounts`, `audit`, `hubs/`, `parks/`, `party`,
//! `jurisdictions`); read views that join several (the district and street structure)
//! live in `views/`, which depends on them and never the other way round.

use std::str::FromStr;
use std::time::Duration;

use shuniu_domain::{FieldError, FieldErrors};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, PgPool, SqlitePool};

pub mod accounts;
pub mod audit;
mod bulk;
pub mod complaints;
mod figures_cache;
pub mod hubs;
mod jurisdiction_cache;
pub mod jurisdictions;
pub mod list_plans;
mod loads;
mod paging;
pub mod parks;
pub mod party;
pub mod places;
pub mod registry;
pub mod requests;
/// What the migration-parity test compares (tests only).
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod schema_facts;
pub mod search_feed;
pub mod services;
pub mod supervision;
/// Test support (fresh databases, `both_backends!`, tamper hooks): compiled only with
/// the `testing` feature, which only dev-dependencies turn on, so none of it is in the
/// production binary.
#[cfg(feature = "testing")]
pub mod testing;
/// Credibility 可信度: the stored score and its breakdown (issue 12 item 8).
pub mod trust;
pub mod views;

pub use audit::{AuditFilter, VerifyReport, WriteCtx};

pub use hubs::{HubFilter, MembershipEvent};
pub use jurisdictions::SubtreeStats;
pub use loads::BulkLoad;
pub(crate) use paging::Paging;
pub use paging::{After, At, KeyChunk, KeyPage, MAX_RANKED_IDS, Page, TOTAL_BOUND, Total};
pub use parks::{ObligationReport, ObligationSummary};
pub use party::{ChildCoverage, CoverageScope, Gap};
pub use registry::{OrgChange, OrgFilter, OrgPlan, OrgSort, SMALL_SUBTREE};
pub use views::figures::DomainCount;
pub use views::structure::{DistrictStructure, StreetAxis, StreetStructure};

/// The audit key used when none is configured (tests, demos).
/// The statement that takes the next number of a per-district, per-year sequence kept in
/// the table `counters (shard_key, year, last_seq)`: one upsert, so that two submissions
/// at once never share a number. Binds the shard key and the year; returns the number.
pub(crate) fn next_seq_sql(counters: &str) -> String {
    format!(
        "INSERT INTO {counters} (shard_key, year, last_seq) VALUES ($1, $2, 1) \
         ON CONFLICT (shard_key, year) DO UPDATE SET last_seq = {counters}.last_seq + 1 \
         RETURNING last_seq"
    )
}

pub const DEV_AUDIT_KEY: &[u8] = b"shuniu development audit key - not for production";

/// The migration that adds `audit_head.head_mac` and `base_mac` (see [`Store::migrate`]).
const AUDIT_END_MACS_MIGRATION: i64 = 20261130140000;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique field already holds this value (`409`).
    #[error("{field} is already taken")]
    Conflict { field: String },
    /// The input is well formed but does not fit what is stored (`422`).
    #[error("invalid: {0}")]
    Invalid(FieldErrors),
    /// The request is not allowed in the record's current state (`409`).
    #[error("{0}")]
    State(String),
    /// A stored row does not parse: the database holds what no write of the
    /// application could have put there. An internal error (`500`, logged), never a
    /// conflict shown to the client.
    #[error("{0}")]
    Corrupt(String),
    #[error("unsupported database URL: {0}")]
    Url(String),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Db(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    /// A unique violation is answered as the table of the constraint says (a unique
    /// constraint found in no table is a conflict on `id`); any other error is `Db`.
    fn from(e: sqlx::Error) -> Self {
        if let Some(db) = e.as_database_error()
            && db.is_unique_violation()
        {
            let refused = |u: &&Unique| {
                // PostgreSQL names the constraint or index; SQLite lists the columns.
                db.constraint() == Some(u.pg)
                    || db.message().strip_prefix("UNIQUE constraint failed: ") == Some(u.sqlite)
            };
            return match UNIQUES.iter().flat_map(|t| t.iter()).find(refused) {
                Some(Unique {
                    taken: Taken::Conflict(field),
                    ..
                }) => StoreError::Conflict {
                    field: field.to_string(),
                },
                Some(Unique {
                    taken: Taken::Rule(field, message),
                    ..
                }) => StoreError::Invalid(FieldErrors::single(field, message())),
                None => StoreError::Conflict { field: "id".into() },
            };
        }
        StoreError::Db(e)
    }
}

/// One unique constraint of the schema, as each engine names it when it refuses a row,
/// and what the refusal tells the client. Each module keeps the table of its own.
#[derive(Debug)]
pub(crate) struct Unique {
    /// PostgreSQL: the constraint's or the unique index's name.
    pub pg: &'static str,
    /// SQLite: the columns its message lists (`UNIQUE constraint failed: <columns>`).
    pub sqlite: &'static str,
    pub taken: Taken,
}

/// What a refused row tells the client.
#[derive(Debug)]
pub(crate) enum Taken {
    /// The value belongs to another record: `Conflict { field }` (409).
    Conflict(&'static str),
    /// A rule of the domain, read a moment earlier in the same transaction, allowed the
    /// row and a concurrent write got there first: answered as the rule answers,
    /// `Invalid` on the field with the domain's message (422).
    Rule(&'static str, fn() -> FieldError),
}

/// Every module's table of unique constraints.
const UNIQUES: &[&[Unique]] = &[
    jurisdictions::UNIQUES,
    registry::UNIQUES,
    accounts::UNIQUES,
    hubs::UNIQUES,
    parks::UNIQUES,
];

/// `(PostgreSQL name, SQLite columns)` of every listed unique constraint, for the test
/// that each one exists in the schema (a renamed index would silently fall back to `id`).
#[cfg(feature = "testing")]
#[doc(hidden)]
pub fn unique_constraints_for_tests() -> Vec<(&'static str, &'static str)> {
    UNIQUES
        .iter()
        .flat_map(|t| t.iter())
        .map(|u| (u.pg, u.sqlite))
        .collect()
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The SQL dialect of a store's engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub(crate) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool of either backend, so that one
/// query text is type-checked and compiled for both drivers.
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite($pool) => $body,
            $crate::Backend::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// A value bound to a dynamically built query.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
    Time(chrono::DateTime<chrono::Utc>),
    Date(chrono::NaiveDate),
    Uuid(uuid::Uuid),
}

/// Binds every [`Arg`] in order; works for `query`, `query_as` and `query_scalar`.
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args.iter() {
            q = match a {
                $crate::Arg::Text(s) => q.bind(s.clone()),
                $crate::Arg::Int(i) => q.bind(*i),
                $crate::Arg::Time(t) => q.bind(*t),
                $crate::Arg::Date(d) => q.bind(*d),
                $crate::Arg::Uuid(u) => q.bind(*u),
            };
        }
        q
    }};
}
pub(crate) use bind_args;

/// What a store's connections are sized for.
///
/// Serving: eight connections (writers wait for SQLite's one write lock holding theirs,
/// and some writes read through a second one meanwhile), each with 8 MiB of page cache —
/// the upper levels of every index and the hot pages of the counters — 64 MiB in all,
/// which holds the process under 200 MB at 1,000,000 organizations; the rest of the
/// file is read from the operating system's cache, shared and not counted as ours. Bulk: one writer that inserts into a dozen
/// indexes at once keeps their pages in 512 MiB of cache, not re-reading them per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tuning {
    Serve,
    Bulk,
}

impl Tuning {
    /// SQLite's `cache_size` pragma: negative is KiB.
    fn sqlite_cache_kib(self) -> &'static str {
        match self {
            Tuning::Serve => "-8192",
            Tuning::Bulk => "-524288",
        }
    }
    /// Serving: `NORMAL`, a commit survives the process and, once checkpointed, a power
    /// loss. Bulk: `OFF`, no `fsync` per batch — a killed load loses nothing the
    /// operating system was handed, and resumes (`shuniu generate` reruns); a power loss
    /// mid-load may lose the file, which a load can be run again to rebuild.
    fn sqlite_synchronous(self) -> SqliteSynchronous {
        match self {
            Tuning::Serve => SqliteSynchronous::Normal,
            Tuning::Bulk => SqliteSynchronous::Off,
        }
    }
    /// Where temporary tables, sorts and statement journals live. Bulk: in memory — a
    /// multi-row `INSERT` keeps a statement journal (to undo itself alone on a failed
    /// constraint), which on disk cost a `pwrite` per page it touched (7 % of a load's
    /// time at 200,000 organizations).
    fn sqlite_temp_store(self) -> &'static str {
        match self {
            Tuning::Serve => "default",
            Tuning::Bulk => "memory",
        }
    }
    /// Pages in the WAL before a commit copies them into the file. Bulk: 65,536 (256
    /// MiB): an index page rewritten by every batch is copied once per checkpoint, so
    /// fewer checkpoints copy less (checkpointing took 9 % of a load at the default 1,000).
    fn sqlite_wal_autocheckpoint(self) -> &'static str {
        match self {
            Tuning::Serve => "1000",
            Tuning::Bulk => "65536",
        }
    }
    fn sqlite_connections(self) -> u32 {
        match self {
            Tuning::Serve => 8,
            Tuning::Bulk => 2,
        }
    }
}

/// The storage interface: every read and write of Shuniu's data goes through it.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) backend: Backend,
    /// HMAC key of the audit chain; kept outside the database (see `with_audit_key`).
    pub(crate) audit_key: std::sync::Arc<Vec<u8>>,
    /// The jurisdiction nodes read so far (see `jurisdiction_cache`), shared by clones.
    pub(crate) jurisdictions: std::sync::Arc<jurisdiction_cache::JurisdictionCache>,
    /// Figures computed over many rows, kept until the next write (`figures_cache`).
    pub(crate) figures: std::sync::Arc<figures_cache::FigureCaches>,
}

impl Store {
    /// Opens `sqlite://path` (created if missing; WAL, busy timeout, foreign keys on),
    /// `sqlite::memory:`, or `postgres://…`, tuned for serving ([`Tuning::Serve`]).
    pub async fn connect(url: &str) -> Result<Store> {
        Store::connect_tuned(url, Tuning::Serve).await
    }

    /// [`connect`](Self::connect) for a given use: serving many small reads, or one
    /// writer in bulk (`shuniu generate`, imports).
    pub async fn connect_tuned(url: &str, tuning: Tuning) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts =
                PgConnectOptions::from_str(url).map_err(|e| StoreError::Url(e.to_string()))?;
            let opts = match tuning {
                Tuning::Serve => opts,
                Tuning::Bulk => opts.disable_statement_logging(),
            };
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Store::new(Backend::Postgres(pool)))
        } else if url.starts_with("sqlite:") {
            let memory = url.contains(":memory:") || url.contains("mode=memory");
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::Url(e.to_string()))?
                .create_if_missing(true)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .journal_mode(if memory {
                    SqliteJournalMode::Memory
                } else {
                    SqliteJournalMode::Wal
                })
                .synchronous(tuning.sqlite_synchronous())
                .pragma("cache_size", tuning.sqlite_cache_kib())
                .pragma("temp_store", tuning.sqlite_temp_store())
                .pragma("wal_autocheckpoint", tuning.sqlite_wal_autocheckpoint())
                // No memory-mapped I/O: mapped pages a read touches count in the
                // process's resident set, and at 1M organizations the file is 1+ GB.
                // Pages come from the operating system's cache through `read`
                // instead (microseconds), which is shared and not ours to hold.
                .pragma("mmap_size", "0");
            // A multi-row statement of a bulk write takes its time by design: not a
            // slow statement to log, with its thousands of placeholders.
            let opts = match tuning {
                Tuning::Serve => opts,
                Tuning::Bulk => opts.disable_statement_logging(),
            };
            if !memory {
                // Created here, private (0600), before SQLite would create it with the
                // process's umask; SQLite gives its -wal and -shm files the same mode.
                // If it cannot be created (no such directory…), connecting says so.
                let _ = create_private_file(opts.get_filename());
            }
            let pool = SqlitePoolOptions::new()
                // An in-memory database lives in one connection.
                .max_connections(if memory {
                    1
                } else {
                    tuning.sqlite_connections()
                })
                .min_connections(if memory { 1 } else { 0 })
                .idle_timeout(if memory {
                    None
                } else {
                    Some(Duration::from_secs(600))
                })
                .max_lifetime(if memory {
                    None
                } else {
                    Some(Duration::from_secs(3600))
                })
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts)
                .await?;
            Ok(Store::new(Backend::Sqlite(pool)))
        } else {
            Err(StoreError::Url(format!(
                "{url} (expected sqlite://… or postgres://…)"
            )))
        }
    }

    /// Connects to an existing Postgres pool (tests use one schema per test).
    pub fn from_pg_pool(pool: PgPool) -> Store {
        Store::new(Backend::Postgres(pool))
    }

    fn new(backend: Backend) -> Store {
        Store {
            backend,
            audit_key: std::sync::Arc::new(DEV_AUDIT_KEY.to_vec()),
            jurisdictions: Default::default(),
            figures: Default::default(),
        }
    }

    /// Sets the audit chain's HMAC key (from a key file or the environment). Without
    /// one, a fixed development key is used — fine for tests and demos only.
    pub fn with_audit_key(mut self, key: &[u8]) -> Store {
        self.audit_key = std::sync::Arc::new(key.to_vec());
        self
    }

    /// SQLite transactions that will write take the write lock up front (`IMMEDIATE`),
    /// so that a read-then-write never fails half-way with `SQLITE_BUSY`.
    pub(crate) fn begin_sql(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "BEGIN IMMEDIATE",
            Backend::Postgres(_) => "BEGIN",
        }
    }

    /// A read-only transaction that sees one consistent snapshot. SQLite: a plain
    /// (deferred) `BEGIN`, whose first read fixes the snapshot in WAL mode without taking
    /// the write lock; PostgreSQL: `REPEATABLE READ`.
    pub(crate) fn read_snapshot_sql(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "BEGIN",
            Backend::Postgres(_) => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        }
    }

    /// Which SQL dialect this store speaks: where the engines differ, code asks this
    /// (never compares backend names as strings).
    pub fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::Postgres(_) => Dialect::Postgres,
        }
    }

    /// `lock` (`" FOR UPDATE"`, `" FOR SHARE"`) where rows can be locked (PostgreSQL);
    /// nothing on SQLite, whose writing transactions hold the database's write lock
    /// from `BEGIN IMMEDIATE` on.
    pub(crate) fn row_lock(&self, lock: &'static str) -> &'static str {
        match self.dialect() {
            Dialect::Postgres => lock,
            Dialect::Sqlite => "",
        }
    }

    /// `sqlite` or `postgres`, for logs and people.
    pub fn backend_name(&self) -> &'static str {
        match self.dialect() {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }

    /// Applies pending migrations, then the reference jurisdiction tree.
    ///
    /// The migration that adds the MACs of the audit chain's ends cannot compute them
    /// (the key is outside the database): when this call applied it, the ends are sealed
    /// here, with this store's key, as they stand. Only then — a later `migrate` never
    /// re-seals, or anyone who can write the database could clear a MAC and have the
    /// next start-up vouch for a head they moved.
    pub async fn migrate(&self) -> Result<()> {
        // Indexes a stopped bulk load set aside are built back first: a migration may
        // change them, and a registry is never served without them.
        if self.has_deferred_index_table().await {
            self.restore_deferred_indexes().await?;
        }
        let sealed_before = self.migration_applied(AUDIT_END_MACS_MIGRATION).await;
        match &self.backend {
            Backend::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Backend::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        if !sealed_before {
            self.audit_seal_ends().await?;
        }
        self.ensure_reference_tree().await
    }

    /// Whether migration `version` is recorded as applied (false before any migration).
    async fn migration_applied(&self, version: i64) -> bool {
        on_pool!(self, |p| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM _sqlx_migrations WHERE version = $1 AND success"
        )
        .bind(version)
        .fetch_one(p)
        .await)
        .is_ok_and(|n| n > 0)
    }

    /// Reverts every migration (used to test that migrations go down as well as up).
    pub async fn migrate_down_all(&self) -> Result<()> {
        if self.has_deferred_index_table().await {
            self.restore_deferred_indexes().await?;
        }
        match &self.backend {
            Backend::Sqlite(p) => SQLITE_MIGRATIONS.undo(p, 0).await?,
            Backend::Postgres(p) => POSTGRES_MIGRATIONS.undo(p, 0).await?,
        }
        // The tree is gone with its table: nothing read before is kept.
        self.jurisdictions.forget_all();
        self.figures.clear();
        Ok(())
    }

    /// Names of the tables in the current schema (for migration tests).
    pub async fn table_names(&self) -> Result<Vec<String>> {
        let names = match &self.backend {
            Backend::Sqlite(p) => {
                sqlx::query_scalar::<_, String>(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
                )
                .fetch_all(p)
                .await?
            }
            Backend::Postgres(p) => {
                sqlx::query_scalar::<_, String>(
                    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations' ORDER BY table_name",
                )
                .fetch_all(p)
                .await?
            }
        };
        Ok(names)
    }

    /// Answers once the database can be reached (health checks).
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, |p| sqlx::query("SELECT 1")
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Writes a consistent copy of a SQLite database to `path` (`VACUUM INTO`).
    pub async fn backup_sqlite(&self, path: &str) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(p) => {
                // An empty file is a valid target of `VACUUM INTO`: make it private first.
                let target = std::path::Path::new(path);
                if target.exists() {
                    return Err(StoreError::State(format!("{path} already exists")));
                }
                create_private_file(target).map_err(|e| StoreError::Db(sqlx::Error::Io(e)))?;
                let r = sqlx::query("VACUUM INTO $1").bind(path).execute(p).await;
                if let Err(e) = r {
                    let _ = std::fs::remove_file(target);
                    return Err(e.into());
                }
                Ok(())
            }
            Backend::Postgres(_) => Err(StoreError::State(
                "use pg_dump to back up a PostgreSQL database".into(),
            )),
        }
    }

    pub async fn close(&self) {
        on_pool!(self, |p| p.close().await)
    }
}

/// Creates `path` empty with mode 0600 (owner only) if it does not exist.
fn create_private_file(path: &std::path::Path) -> std::io::Result<()> {
    if path.as_os_str().is_empty() || path.exists() {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// The current time at the precision both databases keep (microseconds), so that what
/// a write returns equals what a later read returns.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}
