//! `shuniu generate`: a province data set written through the ordinary audited writes,
//! on both backends — counters equal to a recount, a change and an audit record for
//! every organization, the chain verifying, the same names for the same seed.

use super::*;

/// One number a query answers, on the database at `url` (SQLite or PostgreSQL).
async fn scalar(url: &str, sql: &str) -> i64 {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
        pool.close().await;
        n
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
        pool.close().await;
        n
    }
}

/// The organizations' names, sorted.
async fn names(url: &str) -> Vec<String> {
    let sql = "SELECT name FROM organizations ORDER BY name";
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap()
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap()
    }
}

/// Generates 2,000 organizations with seed 7 into `url` and checks what was written.
async fn generate_2000(dir: &TempDir, url: &str) -> Vec<String> {
    let out = run(shuniu(dir).args(["generate", "--orgs", "2000", "--seed", "7", "--db", url]));
    assert_ok(&out);
    let said = text(&out.stdout);
    assert!(said.contains("Generated 2000 organizations"), "{said}");
    assert!(said.contains("organizations/s"), "{said}");

    assert_eq!(
        scalar(url, "SELECT COUNT(*) FROM organizations").await,
        2000
    );
    let key = hex::decode(
        std::fs::read_to_string(dir.path("audit.key"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    let store = Store::connect(url).await.unwrap().with_audit_key(&key);
    let counters = store.stats_counters().await.unwrap();
    assert!(!counters.is_empty());
    assert_eq!(counters, store.recount_by_jurisdiction().await.unwrap());
    store.close().await;
    // A `created` change and an `organization.create` record for every organization.
    assert_eq!(
        scalar(url, "SELECT COUNT(DISTINCT organization_id) FROM organization_changes WHERE action = 'created'").await,
        2000
    );
    assert_eq!(
        scalar(
            url,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'organization.create'"
        )
        .await,
        2000
    );
    // Hubs, memberships, a few suspended or deregistered; names not numbered.
    assert!(scalar(url, "SELECT COUNT(*) FROM hubs WHERE kind = 'regional'").await >= 110);
    let members = scalar(
        url,
        "SELECT COUNT(*) FROM hub_memberships WHERE status = 'active'",
    )
    .await;
    assert!((200..=900).contains(&members), "{members} memberships");
    assert!(
        scalar(
            url,
            "SELECT COUNT(*) FROM organizations WHERE status <> 'active'"
        )
        .await
            > 10
    );
    assert_eq!(
        scalar(
            url,
            "SELECT COUNT(*) FROM organizations WHERE name LIKE '%基准测试%'"
        )
        .await,
        0
    );
    let out = run(shuniu(dir).args(["audit", "verify", "--db", url]));
    assert_ok(&out);
    // A second run refuses: the registry is no longer empty.
    let again = run(shuniu(dir).args(["generate", "--orgs", "2000", "--db", url]));
    assert_fails_with(&again, &["already holds 2000 organizations"]);
    names(url).await
}

#[tokio::test]
async fn generate_on_sqlite_is_complete_and_deterministic() {
    let dir = TempDir::new();
    let first = generate_2000(&dir, &dir.sqlite_url("a.db")).await;
    let second = generate_2000(&dir, &dir.sqlite_url("b.db")).await;
    assert_eq!(first, second, "the same seed gives the same names");
    assert!(first.iter().any(|n| n.ends_with("社会组织发展促进会")));
    let other = dir.sqlite_url("c.db");
    let out = run(shuniu(&dir).args(["generate", "--orgs", "2000", "--seed", "8", "--db", &other]));
    assert_ok(&out);
    assert_ne!(names(&other).await, first, "another seed, other names");
}

#[tokio::test]
async fn generate_on_postgres_matches_sqlite() {
    let dir = TempDir::new();
    let pg = generate_2000(&dir, &fresh_postgres_url().await).await;
    let lite = generate_2000(&dir, &dir.sqlite_url("g.db")).await;
    assert_eq!(
        pg, lite,
        "the same seed gives the same names on both backends"
    );
}
