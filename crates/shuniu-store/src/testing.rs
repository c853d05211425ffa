//! Fresh, migrated databases for tests, on either backend.
//!
//! PostgreSQL tests use one schema per test inside the `shuniu_test` database of the
//! server at `SHUNIU_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432`).
//! If that server cannot be reached the test fails: the Postgres suite never skips.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection};

use crate::Store;
use crate::accounts::NewUser;

/// Meiyuan Xincun street (梅园新村街道) of Xuanwu district: the street most tests
/// register their organizations in.
pub const MEIYUAN: &str = "320102002000";

/// An account of `role` bound to nothing, named `name`, with `password_hash` stored as
/// given; bindings and flags are set with struct-update syntax where a test needs them.
pub fn new_user(name: &str, role: shuniu_domain::access::Role, password_hash: &str) -> NewUser {
    NewUser {
        username: shuniu_domain::accounts::Username::parse(name).expect("a valid user name"),
        display_name: name.to_string(),
        role,
        jurisdiction_code: None,
        organization_id: None,
        password_hash: password_hash.to_string(),
        must_change_password: false,
    }
}

/// A UUID as a literal of the store's column type, for tests that write raw SQL
/// (PostgreSQL: `uuid`; SQLite: a 16-byte blob).
pub fn uuid_literal(store: &Store, id: uuid::Uuid) -> String {
    match store.dialect() {
        crate::Dialect::Postgres => format!("'{id}'"),
        crate::Dialect::Sqlite => format!("X'{}'", id.simple()),
    }
}

/// Which engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

pub fn postgres_server_url() -> String {
    std::env::var("SHUNIU_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_string())
}

/// A migrated, empty store of the given backend.
pub async fn fresh_store(backend: TestBackend) -> Store {
    let store = match backend {
        TestBackend::Sqlite => {
            let path = std::env::temp_dir()
                .join(format!("shuniu-test-{}.db", uuid::Uuid::now_v7().simple()));
            Store::connect(&format!("sqlite://{}", path.display()))
                .await
                .expect("open a temporary SQLite database")
        }
        TestBackend::Postgres => fresh_postgres_store().await,
    };
    store.migrate().await.expect("migrations apply");
    store
}

/// The URL of a fresh Postgres schema (for tests that start the whole binary).
pub async fn fresh_postgres_url() -> String {
    let schema = create_test_schema().await;
    format!(
        "{}/shuniu_test?options=-c%20search_path%3D{schema}",
        postgres_server_url()
    )
}

async fn create_test_schema() -> String {
    let server = postgres_server_url();
    let admin_opts =
        PgConnectOptions::from_str(&format!("{server}/postgres")).expect("valid Postgres URL");
    let mut admin = admin_opts.connect().await.unwrap_or_else(|e| {
        panic!("PostgreSQL at {server} cannot be reached ({e}); start it (see README) — the Postgres suite never skips")
    });
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'shuniu_test')",
    )
    .fetch_one(&mut admin)
    .await
    .expect("query pg_database");
    if !exists {
        // Parallel tests may race to create it; losing the race is fine.
        let _ = sqlx::query("CREATE DATABASE shuniu_test")
            .execute(&mut admin)
            .await;
    }
    admin.close().await.ok();
    let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
    let mut conn = PgConnectOptions::from_str(&format!("{server}/shuniu_test"))
        .expect("valid Postgres URL")
        .connect()
        .await
        .expect("connect to shuniu_test");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut conn)
        .await
        .expect("create test schema");
    conn.close().await.ok();
    schema
}

async fn fresh_postgres_store() -> Store {
    let schema = create_test_schema().await;
    let opts = PgConnectOptions::from_str(&format!("{}/shuniu_test", postgres_server_url()))
        .expect("valid Postgres URL")
        .options([("search_path", schema.as_str())]);
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .connect_with(opts)
        .await
        .expect("connect to the test schema");
    Store::from_pg_pool(pool)
}

/// Declares an async test once and runs it on both backends:
/// `both_backends!(name, |store| async move { ... });` makes `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let store =
                    $crate::testing::fresh_store($crate::testing::TestBackend::Sqlite).await;
                ($body)(store).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let store =
                    $crate::testing::fresh_store($crate::testing::TestBackend::Postgres).await;
                ($body)(store).await;
            }
        }
    };
}

impl Store {
    /// Runs raw SQL, as someone with direct database access could (tamper tests). It
    /// writes past the audit trail, whose head is what kept figures are checked against
    /// (`figures_cache`): they are forgotten.
    #[doc(hidden)]
    pub async fn execute_raw_for_tests(&self, sql: &str) -> Result<(), sqlx::Error> {
        let done = crate::on_pool!(self, |p| sqlx::raw_sql(sql).execute(p).await.map(|_| ()));
        self.figures.clear();
        done
    }

    /// The text columns of `sql`'s rows (a test's look at what is stored).
    #[doc(hidden)]
    pub async fn texts_for_tests(&self, sql: &str) -> Vec<String> {
        crate::on_pool!(self, |p| sqlx::query_scalar::<_, String>(sql)
            .fetch_all(p)
            .await)
        .expect("a test's query")
    }

    /// Removes the append-only triggers, as an attacker with DDL rights could.
    #[doc(hidden)]
    pub async fn disable_audit_guard_for_tests(&self) {
        let sql = match self.dialect() {
            crate::Dialect::Postgres => "DROP TRIGGER audit_log_no_update ON audit_log",
            crate::Dialect::Sqlite => {
                "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
            }
        };
        self.execute_raw_for_tests(sql)
            .await
            .expect("drop audit triggers");
    }
}

impl crate::WriteCtx {
    /// A security event of this actor (tests). Any `action`, known or not: records of
    /// kinds this version no longer writes must still be shown.
    #[doc(hidden)]
    pub fn event_for_tests(&self, action: &str) -> shuniu_domain::audit::AuditEvent {
        shuniu_domain::audit::AuditEvent {
            at: shuniu_domain::audit::AuditEvent::now_micros(),
            actor: self.actor.clone(),
            role: self.role.clone(),
            source: self.source.clone(),
            action: action.to_string(),
            object: "test".into(),
            outcome: shuniu_domain::audit::Outcome::Success,
            details: "{}".into(),
            jurisdiction_path: None,
        }
    }
}

impl Store {
    /// `(table, column, collation)` of every path column (PostgreSQL only; tests).
    #[doc(hidden)]
    pub async fn path_collations_for_tests(&self) -> Vec<(String, String, Option<String>)> {
        match &self.backend {
            crate::Backend::Postgres(p) => sqlx::query_as(
                "SELECT table_name::text, column_name::text, collation_name::text \
                 FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND column_name IN ('path', 'jurisdiction_path') \
                 ORDER BY 1, 2",
            )
            .fetch_all(p)
            .await
            .expect("information_schema"),
            crate::Backend::Sqlite(_) => Vec::new(),
        }
    }
}

impl Store {
    /// Whether the schema holds a unique constraint named `pg` (PostgreSQL) or one over
    /// exactly the columns `sqlite` lists (`table.a, table.b`; SQLite) — what a unique
    /// violation names on each engine.
    #[doc(hidden)]
    pub async fn has_unique_for_tests(&self, pg: &str, sqlite: &str) -> bool {
        match &self.backend {
            crate::Backend::Postgres(p) => sqlx::query_scalar::<_, bool>(
                "SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() \
                 AND indexname = $1 AND indexdef LIKE 'CREATE UNIQUE%')",
            )
            .bind(pg)
            .fetch_one(p)
            .await
            .expect("pg_indexes"),
            crate::Backend::Sqlite(p) => {
                let Some((table, _)) = sqlite.split_once('.') else {
                    return false;
                };
                let indexes: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM pragma_index_list($1) WHERE \"unique\" = 1",
                )
                .bind(table)
                .fetch_all(p)
                .await
                .expect("pragma_index_list");
                for index in indexes {
                    let columns: Vec<String> =
                        sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                            .bind(&index)
                            .fetch_all(p)
                            .await
                            .expect("pragma_index_info");
                    let listed = columns
                        .iter()
                        .map(|c| format!("{table}.{c}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    if listed == sqlite {
                        return true;
                    }
                }
                false
            }
        }
    }
}
