//! The audit chain's ends and checkpoints, from the command line, on both backends:
//! cutting records off either end and moving the head or the anchor is found; a
//! checkpoint kept outside the database proves the chain still reaches it.

use super::*;

/// The statement that lets `DELETE FROM audit_log` through on this backend.
fn drop_delete_guard(url: &str) -> &'static str {
    if url.starts_with("postgres") {
        "DROP TRIGGER audit_log_no_update ON audit_log"
    } else {
        "DROP TRIGGER audit_log_no_delete"
    }
}

/// A migrated database at `url` with one audit record per user added.
fn trail(dir: &TempDir, url: &str, users: &[&str]) {
    assert_ok(&run(shuniu(dir).args(["migrate", "--db", url])));
    for name in users {
        assert_ok(&run(
            shuniu(dir).args(["user", "add", name, "--role", "expert", "--db", url])
        ));
    }
}

fn verify(dir: &TempDir, url: &str) -> Output {
    run(shuniu(dir).args(["audit", "verify", "--db", url]))
}

fn verify_since(dir: &TempDir, url: &str, line: &str) -> Output {
    run(shuniu(dir).args(["audit", "verify", "--db", url, "--since-checkpoint", line]))
}

fn assert_broken(out: &Output, needles: &[&str]) {
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for n in needles {
        assert!(stdout.contains(n), "stdout lacks {n:?}: {stdout}");
    }
}

async fn cut_ends_are_found(dir: &TempDir, end_url: &str, start_url: &str) {
    // (a) The last two records deleted and the head moved back onto record 3.
    trail(dir, end_url, &["ann", "ben", "cat", "dan", "eve"]);
    assert_ok(&verify(dir, end_url));
    tamper(
        end_url,
        &[
            drop_delete_guard(end_url),
            "DELETE FROM audit_log WHERE seq > 3",
            "UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3) WHERE id = 1",
        ],
    )
    .await;
    assert_broken(&verify(dir, end_url), &["#4", "head", "MAC"]);

    // (b) The first two records deleted and the anchor moved up onto them.
    trail(dir, start_url, &["ann", "ben", "cat", "dan", "eve"]);
    tamper(
        start_url,
        &[
            drop_delete_guard(start_url),
            "UPDATE audit_head SET base_seq = 2, base_hash = (SELECT hash FROM audit_log WHERE seq = 2) WHERE id = 1",
            "DELETE FROM audit_log WHERE seq <= 2",
        ],
    )
    .await;
    assert_broken(&verify(dir, start_url), &["#3", "anchor", "MAC"]);
}

#[tokio::test]
async fn audit_verify_notices_cut_ends_on_sqlite() {
    let dir = TempDir::new();
    cut_ends_are_found(&dir, &dir.sqlite_url("end.db"), &dir.sqlite_url("start.db")).await;
}

#[tokio::test]
async fn audit_verify_notices_cut_ends_on_postgres() {
    let dir = TempDir::new();
    let (end, start) = (fresh_postgres_url().await, fresh_postgres_url().await);
    cut_ends_are_found(&dir, &end, &start).await;
}

/// The one checkpoint line `audit checkpoint` prints, which it also logs.
fn checkpoint(dir: &TempDir, url: &str) -> String {
    let out = run(shuniu(dir).args(["audit", "checkpoint", "--db", url]));
    assert_ok(&out);
    let stdout = text(&out.stdout);
    let line = stdout.trim().to_string();
    assert!(
        line.starts_with("shuniu-audit-checkpoint v1 seq=") && !line.contains('\n'),
        "{stdout}"
    );
    assert!(text(&out.stderr).contains(&line), "{}", text(&out.stderr));
    line
}

async fn checkpoints_prove_the_chain_reaches_them(dir: &TempDir, url: &str) {
    trail(dir, url, &["ann", "ben", "cat"]);
    // Someone with database access keeps a copy of the head as it is now.
    tamper(
        url,
        &["CREATE TABLE saved_head AS SELECT seq, hash, head_mac FROM audit_head"],
    )
    .await;
    // (e) Untampered: the checkpoint is in the chain.
    let at3 = checkpoint(dir, url);
    assert!(at3.contains(" seq=3 "), "{at3}");
    let out = verify_since(dir, url, &at3);
    assert_ok(&out);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("3 record(s) verified") && stdout.contains("Checkpoint #3"),
        "{stdout}"
    );
    assert!(stdout.contains("is in the chain"), "{stdout}");

    // (d) A forged or altered line is refused, and so is what is not a checkpoint.
    let flipped = match (&at3[..at3.len() - 1], at3.chars().last().unwrap()) {
        (head, '0') => format!("{head}1"),
        (head, _) => format!("{head}0"),
    };
    for forged in [at3.replace(" seq=3 ", " seq=2 "), flipped] {
        let out = verify_since(dir, url, &forged);
        assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
        assert_fails_with(&out, &["checkpoint line is refused", "MAC does not match"]);
    }
    let out = verify_since(dir, url, "seq=3");
    assert_eq!(out.status.code(), Some(4));
    assert_fails_with(&out, &["not a checkpoint line"]);
    std::fs::write(dir.path("other.key"), "ab".repeat(32)).unwrap();
    let out = run(shuniu(dir)
        .args(["audit", "verify", "--db", url, "--since-checkpoint", &at3])
        .env("SHUNIU_AUDIT_KEY_FILE", dir.path("other.key")));
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));

    // (c) Two more records and a checkpoint of them; then the chain is cut back to the
    // saved head, whose MAC is genuine: only the checkpoint tells.
    trail(dir, url, &["dan", "eve"]);
    let at5 = checkpoint(dir, url);
    assert!(at5.contains(" seq=5 "), "{at5}");
    assert_ok(&verify_since(dir, url, &at3));
    tamper(
        url,
        &[
            drop_delete_guard(url),
            "DELETE FROM audit_log WHERE seq > 3",
            "UPDATE audit_head SET seq = (SELECT seq FROM saved_head), hash = (SELECT hash FROM saved_head), \
             head_mac = (SELECT head_mac FROM saved_head) WHERE id = 1",
        ],
    )
    .await;
    assert_ok(&verify(dir, url));
    assert_broken(
        &verify_since(dir, url, &at5),
        &["#4", "checkpoint #5", "cut off the end"],
    );
    assert_ok(&verify_since(dir, url, &at3));

    // A broken chain is not checkpointed.
    tamper(
        url,
        &[if url.starts_with("postgres") {
            "UPDATE audit_log SET details = '{}' WHERE seq = 2"
        } else {
            "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET details = '{}' WHERE seq = 2"
        }],
    )
    .await;
    let out = run(shuniu(dir).args(["audit", "checkpoint", "--db", url]));
    assert_broken(&out, &["#2", "altered"]);
    assert!(!text(&out.stdout).contains("shuniu-audit-checkpoint"));
}

#[tokio::test]
async fn audit_checkpoints_on_sqlite() {
    let dir = TempDir::new();
    checkpoints_prove_the_chain_reaches_them(&dir, &dir.sqlite_url("c.db")).await;
}

#[tokio::test]
async fn audit_checkpoints_on_postgres() {
    let dir = TempDir::new();
    checkpoints_prove_the_chain_reaches_them(&dir, &fresh_postgres_url().await).await;
}
