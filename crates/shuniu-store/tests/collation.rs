//! Subtree ranges need byte order on path columns, whatever the database's collation.

use shuniu_store::testing::{TestBackend, fresh_store};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_path_columns_compare_bytewise() {
    let store = fresh_store(TestBackend::Postgres).await;
    let cols = store.path_collations_for_tests().await;
    let tables: Vec<&str> = cols.iter().map(|(t, _, _)| t.as_str()).collect();
    for t in [
        "audit_log",
        "hubs",
        "jurisdictions",
        "organization_domains",
        "organizations",
        "party_instructors",
        "venues",
    ] {
        assert!(tables.contains(&t), "{t} has no path column: {cols:?}");
    }
    for (t, c, coll) in &cols {
        assert_eq!(coll.as_deref(), Some("C"), "{t}.{c} is not COLLATE \"C\"");
    }
}
