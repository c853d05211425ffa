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

/// The lines `sql` answers (one text column), sorted.
async fn lines(url: &str, sql: &str) -> Vec<String> {
    let mut out: Vec<String> = if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let rows = sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let rows = sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    };
    out.sort();
    out
}

/// The organizations' names, sorted.
async fn names(url: &str) -> Vec<String> {
    lines(url, "SELECT name FROM organizations").await
}

/// Everything a generated set holds but its ids and times (which differ between any
/// two runs): organizations, hubs, memberships, history, audit records by action,
/// tallies and counters — as sorted lines.
async fn contents(url: &str) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT name || '|' || COALESCE(uscc, filing_number) || '|' || status || '|' || COALESCE(status_reason, '') \
         || '|' || CAST(industry_hubs AS TEXT) || '|' || CASE WHEN regional_hub_id IS NULL THEN '-' ELSE 'r' END FROM organizations",
        "SELECT 'hub|' || o.name || '|' || h.kind || '|' || h.document_number || '|' || CAST(h.member_count AS TEXT) \
         FROM hubs h JOIN organizations o ON o.id = h.organization_id",
        "SELECT 'member|' || ho.name || '|' || o.name || '|' || m.status FROM hub_memberships m \
         JOIN organizations o ON o.id = m.organization_id JOIN organizations ho ON ho.id = m.hub_organization_id",
        "SELECT 'change|' || o.name || '|' || c.action || '|' || c.changes FROM organization_changes c \
         JOIN organizations o ON o.id = c.organization_id",
        "SELECT 'audit|' || action || '|' || CAST(COUNT(*) AS TEXT) FROM audit_log GROUP BY action",
        "SELECT 'tally|' || jurisdiction_code || '|' || status || '|' || legal_form || '|' || grade || '|' || stage \
         || '|' || CAST(n AS TEXT) FROM organization_tallies WHERE n <> 0",
        "SELECT 'stats|' || jurisdiction_code || '|' || CAST(organizations AS TEXT) || '|' || CAST(staff AS TEXT) \
         FROM jurisdiction_stats WHERE organizations <> 0",
    ] {
        out.extend(lines(url, sql).await);
    }
    out
}

/// `generate --orgs 2000 --seed 7 --batch 300` into `url`, killed (abort: no unwinding,
/// no cleanup, as `kill -9`) right after its `crash_after`-th write, then rerun: the
/// rerun resumes, and the set equals `expected`, an uninterrupted run's.
async fn killed_and_resumed(dir: &TempDir, url: &str, crash_after: u32, expected: &[String]) {
    let args = [
        "generate", "--orgs", "2000", "--seed", "7", "--batch", "300", "--db", url,
    ];
    let killed = run(shuniu(dir)
        .args(args)
        .env("SHUNIU_GENERATE_CRASH_AFTER", crash_after.to_string()));
    assert!(!killed.status.success(), "killed after write {crash_after}");
    let held = scalar(url, "SELECT COUNT(*) FROM organizations").await;
    assert!(held > 0 && held < 2000, "stopped halfway: {held}");
    // The load had set its indexes aside; the next migrate (here: the refused run's)
    // builds them back.
    assert!(scalar(url, "SELECT COUNT(*) FROM bulk_deferred_indexes").await >= 10);
    // Another seed is not this run: refused, nothing written.
    let other = run(shuniu(dir).args([
        "generate", "--orgs", "2000", "--seed", "8", "--batch", "300", "--db", url,
    ]));
    assert_fails_with(&other, &["already holds", "--seed 7"]);
    let resumed = run(shuniu(dir).args(args));
    assert_ok(&resumed);
    let said = text(&resumed.stdout);
    assert!(said.contains("Generated 2000 organizations"), "{said}");
    assert_eq!(
        scalar(url, "SELECT COUNT(*) FROM bulk_deferred_indexes").await,
        0
    );
    assert_eq!(
        contents(url).await,
        expected,
        "killed after write {crash_after}"
    );
    let out = run(shuniu(dir).args(["audit", "verify", "--db", url]));
    assert_ok(&out);
    // Finished: a third run has nothing left to write.
    let again = run(shuniu(dir).args(args));
    assert_ok(&again);
    assert_eq!(contents(url).await, expected);
}

/// Generates 2,000 organizations with seed 7 into `url` and checks what was written.
async fn generate_2000(dir: &TempDir, url: &str) -> Vec<String> {
    let out = run(shuniu(dir).args(["generate", "--orgs", "2000", "--seed", "7", "--db", url]));
    assert_ok(&out);
    let said = text(&out.stdout);
    assert!(said.contains("Generated 2000 organizations"), "{said}");
    assert!(said.contains("organizations/s"), "{said}");
    assert!(said.contains("after the load"), "{said}");
    // Every index the load set aside is back.
    assert_eq!(
        scalar(url, "SELECT COUNT(*) FROM bulk_deferred_indexes").await,
        0
    );

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
    // An `organization.create` record for every organization, and no copy of what was
    // registered in the history (read from the row: see `registry::creation`).
    assert_eq!(
        scalar(
            url,
            "SELECT COUNT(*) FROM organization_changes WHERE action = 'created'"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            url,
            "SELECT COUNT(*) FROM organizations WHERE created_by = 'generate'"
        )
        .await,
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
    let url = fresh_postgres_url().await;
    let pg = generate_2000(&dir, &url).await;
    // The load left the planner statistics of what it filled (the server's autovacuum
    // may be off, as on our machines).
    assert_eq!(
        scalar(
            &url,
            "SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = 'organizations' \
             AND schemaname = current_schema() AND last_analyze IS NOT NULL \
             AND last_vacuum IS NOT NULL"
        )
        .await,
        1
    );
    let lite = generate_2000(&dir, &dir.sqlite_url("g.db")).await;
    assert_eq!(
        pg, lite,
        "the same seed gives the same names on both backends"
    );
}

#[tokio::test]
async fn generate_resumes_after_a_kill_on_sqlite() {
    let dir = TempDir::new();
    let whole = dir.sqlite_url("whole.db");
    let out = run(shuniu(&dir).args([
        "generate", "--orgs", "2000", "--seed", "7", "--batch", "300", "--db", &whole,
    ]));
    assert_ok(&out);
    let expected = contents(&whole).await;
    assert!(expected.len() > 4000, "{} lines", expected.len());
    // After the first registrations; among the first batch's hubs; after a later
    // batch's memberships or status changes or progress (whichever the count hits).
    for k in [1, 7, 63, 70, 71, 72, 73] {
        killed_and_resumed(&dir, &dir.sqlite_url(&format!("k{k}.db")), k, &expected).await;
    }
}

#[tokio::test]
async fn generate_resumes_after_a_kill_on_postgres() {
    let dir = TempDir::new();
    let whole = fresh_postgres_url().await;
    let out = run(shuniu(&dir).args([
        "generate", "--orgs", "2000", "--seed", "7", "--batch", "300", "--db", &whole,
    ]));
    assert_ok(&out);
    let expected = contents(&whole).await;
    killed_and_resumed(&dir, &fresh_postgres_url().await, 5, &expected).await;
}
