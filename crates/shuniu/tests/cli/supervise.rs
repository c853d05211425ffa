//! `shuniu supervise`, the daily supervision job: idempotent on both backends.

use super::*;

/// `shuniu supervise` on a database with one registered organization that never filed
/// an annual report: the first run lists it (per report year due, then after two years
/// on the abnormal list on the serious one); the second run changes nothing.
async fn supervise_twice(dir: &TempDir, url: &str) {
    assert_ok(&run(shuniu(dir).args(["migrate", "--db", url])));
    let key = hex::decode(
        std::fs::read_to_string(dir.path("audit.key"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    let store = Store::connect(url).await.unwrap().with_audit_key(&key);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let org = shuniu_demo::xuanwu_organizations(today)
        .into_iter()
        .find(|o| {
            o.uscc.is_some() && o.founded_on < chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()
        })
        .unwrap();
    store.create_organizations(&[org], "test").await.unwrap();
    store.close().await;

    let first = run(shuniu(dir).args(["supervise", "--db", url]));
    assert_ok(&first);
    let line = text(&first.stdout);
    assert!(line.contains("1 organizations checked"), "{line}");
    assert!(!line.contains(" 0 listed"), "nothing listed: {line}");
    let second = run(shuniu(dir).args(["supervise", "--db", url]));
    assert_ok(&second);
    let line = text(&second.stdout);
    assert!(
        line.contains("0 listed, 0 removed, 0 grades expired"),
        "{line}"
    );
    let out = run(shuniu(dir).args(["audit", "verify", "--db", url]));
    assert_ok(&out);
}

#[tokio::test]
async fn supervise_is_idempotent_on_sqlite() {
    let dir = TempDir::new();
    supervise_twice(&dir, &dir.sqlite_url("s.db")).await;
}

#[tokio::test]
async fn supervise_is_idempotent_on_postgres() {
    let dir = TempDir::new();
    supervise_twice(&dir, &fresh_postgres_url().await).await;
}
