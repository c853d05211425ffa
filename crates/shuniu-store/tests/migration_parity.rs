//! The SQLite and PostgreSQL migrations are written twice, by hand, in each engine's
//! dialect. What the store relies on — unique codes, one live membership per pair, one
//! regional hub per street, slot-claimed bookings, the audit trail's append-only
//! triggers — exists only if both say the same. This test migrates one database of each
//! engine and compares what they built: tables, columns and nullability, primary keys,
//! unique and partial indexes (with their predicates), CHECK constraints, foreign keys
//! and triggers. Differences that are meant are listed below, each with its reason.

use std::collections::BTreeSet;
use std::fmt::Debug;

use shuniu_store::schema_facts::SchemaFacts;
use shuniu_store::testing::{TestBackend, fresh_store};

/// Triggers whose names differ because the engines express the same rule differently.
/// PostgreSQL: one `BEFORE UPDATE OR DELETE` trigger calls a function that refuses both
/// (a purge sets `shuniu.audit_purge` in its transaction). SQLite: a trigger per event,
/// since a trigger there fires on one event only; the delete trigger reads the
/// `audit_purge` row instead of a session setting.
const TRIGGERS_ONLY_IN_SQLITE: &[(&str, &str)] = &[("audit_log", "audit_log_no_delete")];
const TRIGGERS_ONLY_IN_POSTGRES: &[(&str, &str)] = &[];

/// Tables only one engine has: SQLite's `audit_purge` is the flag its delete trigger
/// reads (PostgreSQL uses a transaction-local setting instead).
const TABLES_ONLY_IN_SQLITE: &[&str] = &["audit_purge"];

fn differences<T: Ord + Clone + Debug>(
    what: &str,
    sqlite: &BTreeSet<T>,
    postgres: &BTreeSet<T>,
    out: &mut Vec<String>,
) {
    for x in sqlite.difference(postgres) {
        out.push(format!("{what} only in SQLite: {x:?}"));
    }
    for x in postgres.difference(sqlite) {
        out.push(format!("{what} only in PostgreSQL: {x:?}"));
    }
}

/// Leaves out what the allow-lists name.
fn without_meant_differences(mut f: SchemaFacts, sqlite: bool) -> SchemaFacts {
    let only_here: &[&str] = if sqlite { TABLES_ONLY_IN_SQLITE } else { &[] };
    f.tables.retain(|t| !only_here.contains(&t.as_str()));
    f.columns.retain(|c| !only_here.contains(&c.table.as_str()));
    f.primary_keys
        .retain(|(t, _)| !only_here.contains(&t.as_str()));
    f.indexes.retain(|i| !only_here.contains(&i.table.as_str()));
    f.checks.retain(|c| !only_here.contains(&c.table.as_str()));
    f.foreign_keys
        .retain(|k| !only_here.contains(&k.table.as_str()));
    let triggers = if sqlite {
        TRIGGERS_ONLY_IN_SQLITE
    } else {
        TRIGGERS_ONLY_IN_POSTGRES
    };
    f.triggers
        .retain(|(t, n)| !triggers.contains(&(t.as_str(), n.as_str())));
    f
}

/// Every difference between two schemas, one line each.
fn compare(sqlite: &SchemaFacts, postgres: &SchemaFacts) -> Vec<String> {
    let mut out = Vec::new();
    differences("table", &sqlite.tables, &postgres.tables, &mut out);
    differences("column", &sqlite.columns, &postgres.columns, &mut out);
    differences(
        "primary key",
        &sqlite.primary_keys,
        &postgres.primary_keys,
        &mut out,
    );
    differences("index", &sqlite.indexes, &postgres.indexes, &mut out);
    differences(
        "foreign key",
        &sqlite.foreign_keys,
        &postgres.foreign_keys,
        &mut out,
    );
    differences("trigger", &sqlite.triggers, &postgres.triggers, &mut out);
    // CHECK constraints may repeat within a table: compare as sorted lists.
    let (mut s, mut p) = (sqlite.checks.clone(), postgres.checks.clone());
    for c in sqlite.checks.iter() {
        if let Some(i) = p.iter().position(|x| x == c) {
            p.remove(i);
            let j = s.iter().position(|x| x == c).expect("present");
            s.remove(j);
        }
    }
    out.extend(s.iter().map(|c| format!("check only in SQLite: {c:?}")));
    out.extend(p.iter().map(|c| format!("check only in PostgreSQL: {c:?}")));
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let sqlite = fresh_store(TestBackend::Sqlite)
        .await
        .schema_facts_for_tests()
        .await
        .expect("read the SQLite schema");
    let postgres = fresh_store(TestBackend::Postgres)
        .await
        .schema_facts_for_tests()
        .await
        .expect("read the PostgreSQL schema");
    // The reading itself must see something, or an empty comparison would pass.
    assert!(sqlite.tables.len() >= 20, "{:?}", sqlite.tables);
    assert!(sqlite.indexes.iter().any(|i| i.predicate.is_some()));
    assert!(!sqlite.checks.is_empty() && !sqlite.foreign_keys.is_empty());
    assert!(!postgres.triggers.is_empty());
    let diff = compare(
        &without_meant_differences(sqlite, true),
        &without_meant_differences(postgres, false),
    );
    assert!(
        diff.is_empty(),
        "the migrations of the two engines differ in {} ways:\n{}",
        diff.len(),
        diff.join("\n")
    );
}

/// A schema that differs in one index is caught (the comparison is not vacuous).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_index_is_a_difference() {
    let store = fresh_store(TestBackend::Sqlite).await;
    let before = store.schema_facts_for_tests().await.unwrap();
    store
        .execute_raw_for_tests(
            "DROP INDEX hub_memberships_one_regional; \
             CREATE UNIQUE INDEX hub_memberships_one_regional ON hub_memberships (organization_id) \
             WHERE status IN ('pending','active','suspended')",
        )
        .await
        .unwrap();
    let after = store.schema_facts_for_tests().await.unwrap();
    let diff = compare(&before, &after);
    assert_eq!(diff.len(), 2, "{diff:?}");
    assert!(
        diff.iter()
            .all(|d| d.contains("hub_memberships_one_regional"))
    );
}

#[test]
fn every_migration_has_its_twin() {
    let names = |engine: &str| -> BTreeSet<String> {
        let dir = format!("{}/migrations/{engine}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let (sqlite, postgres) = (names("sqlite"), names("postgres"));
    assert!(sqlite.len() >= 12, "{sqlite:?}");
    assert_eq!(
        sqlite.symmetric_difference(&postgres).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "each migration (up and down) exists for both engines under the same name"
    );
    for n in &sqlite {
        let twin = n.replace(".up.sql", ".down.sql");
        assert!(sqlite.contains(&twin), "{n} has no down migration");
    }
}

/// Two migrations with the same version would be applied as one (sqlx keys on the
/// version): a version belongs to one name, in each engine's folder.
#[test]
fn no_two_migrations_share_a_version() {
    for engine in ["sqlite", "postgres"] {
        let dir = format!("{}/migrations/{engine}", env!("CARGO_MANIFEST_DIR"));
        let mut names: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
        for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
            let file = e.unwrap().file_name().to_string_lossy().into_owned();
            let stem = file
                .strip_suffix(".up.sql")
                .or_else(|| file.strip_suffix(".down.sql"))
                .unwrap_or_else(|| panic!("{engine}/{file} is not a `.up.sql` or `.down.sql`"));
            let (version, name) = stem
                .split_once('_')
                .unwrap_or_else(|| panic!("{engine}/{file} has no `<version>_<name>`"));
            assert!(
                version.len() >= 14 && version.chars().all(|c| c.is_ascii_digit()),
                "{engine}/{file}: the version is a timestamp"
            );
            names
                .entry(version.to_string())
                .or_default()
                .insert(name.to_string());
        }
        let shared: Vec<_> = names.iter().filter(|(_, n)| n.len() > 1).collect();
        assert!(
            shared.is_empty(),
            "{engine}: migrations sharing a version: {shared:?}"
        );
    }
}
