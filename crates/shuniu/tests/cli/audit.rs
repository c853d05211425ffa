//! `shuniu audit verify` and the audit key file: tampering is noticed, the key is private.

use super::*;

async fn audit_verify_notices_tampering(dir: &TempDir, url: &str) {
    assert_ok(&run(shuniu(dir).args(["migrate", "--db", url])));
    for name in ["ann", "ben", "cat"] {
        assert_ok(&run(
            shuniu(dir).args(["user", "add", name, "--role", "expert", "--db", url])
        ));
    }
    let out = run(shuniu(dir).args(["audit", "verify", "--db", url]));
    assert_ok(&out);
    assert!(
        text(&out.stdout).contains("3 record(s) verified"),
        "{}",
        text(&out.stdout)
    );

    // Purge keeps at least 180 days: nothing this young goes, and the chain still verifies.
    let out = run(shuniu(dir).args(["audit", "purge", "--db", url]));
    assert_ok(&out);
    assert!(
        text(&out.stdout).contains("Removed 0"),
        "{}",
        text(&out.stdout)
    );
    let out = run(shuniu(dir).args([
        "audit",
        "purge",
        "--audit-retention-days",
        "90",
        "--db",
        url,
    ]));
    assert_fails_with(&out, &["audit_retention_days", "180"]);
    let out = run(shuniu(dir).args(["audit", "verify", "--db", url]));
    assert_ok(&out);
    assert!(
        text(&out.stdout).contains("4 record(s) verified"),
        "{}",
        text(&out.stdout)
    );

    // Another key cannot vouch for the chain; a missing key is a clear error.
    std::fs::write(dir.path("other.key"), "ab".repeat(32)).unwrap();
    let out = run(shuniu(dir)
        .args(["audit", "verify", "--db", url])
        .env("SHUNIU_AUDIT_KEY_FILE", dir.path("other.key")));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let out = run(shuniu(dir)
        .args(["audit", "verify", "--db", url])
        .env("SHUNIU_AUDIT_KEY_FILE", dir.path("missing.key")));
    assert_fails_with(&out, &["missing.key", "does not exist"]);
    assert!(
        !dir.path("missing.key").exists(),
        "verify never creates a key"
    );

    // Edit record 2 directly (after dropping the append-only trigger).
    let drop_trigger = if url.starts_with("postgres") {
        "DROP TRIGGER audit_log_no_update ON audit_log"
    } else {
        "DROP TRIGGER audit_log_no_update"
    };
    tamper(
        url,
        &[
            drop_trigger,
            "UPDATE audit_log SET details = '{}' WHERE seq = 2",
        ],
    )
    .await;
    let out = run(shuniu(dir).args(["audit", "verify", "--db", url]));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("#2") && stdout.contains("altered"),
        "{stdout}"
    );
    assert!(stdout.contains("1 record(s) verified"), "{stdout}");
    assert!(
        text(&out.stderr).contains("tampered"),
        "{}",
        text(&out.stderr)
    );

    // And record 1 as the brief's example does.
    tamper(url, &["UPDATE audit_log SET details = '{}' WHERE seq = 1"]).await;
    let out = run(shuniu(dir).args(["audit", "verify", "--db", url]));
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stdout).contains("#1"), "{}", text(&out.stdout));
}

#[tokio::test]
async fn audit_verify_notices_tampering_on_sqlite() {
    let dir = TempDir::new();
    audit_verify_notices_tampering(&dir, &dir.sqlite_url("a.db")).await;
}

#[tokio::test]
async fn audit_verify_notices_tampering_on_postgres() {
    let dir = TempDir::new();
    audit_verify_notices_tampering(&dir, &fresh_postgres_url().await).await;
}

async fn audit_verify_notices_a_deleted_record(dir: &TempDir, url: &str, drop: &str) {
    assert_ok(&run(shuniu(dir).args(["migrate", "--db", url])));
    for name in ["ann", "ben", "cat"] {
        assert_ok(&run(
            shuniu(dir).args(["user", "add", name, "--role", "expert", "--db", url])
        ));
    }
    tamper(url, &[drop, "DELETE FROM audit_log WHERE seq = 2"]).await;
    let out = run(shuniu(dir).args(["audit", "verify", "--db", url]));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("#2") && stdout.contains("missing"),
        "{stdout}"
    );
}

#[tokio::test]
async fn audit_verify_notices_a_deleted_record_on_both_backends() {
    let dir = TempDir::new();
    audit_verify_notices_a_deleted_record(
        &dir,
        &dir.sqlite_url("d.db"),
        "DROP TRIGGER audit_log_no_delete",
    )
    .await;
    let dir = TempDir::new();
    audit_verify_notices_a_deleted_record(
        &dir,
        &fresh_postgres_url().await,
        "DROP TRIGGER audit_log_no_update ON audit_log",
    )
    .await;
}

#[test]
fn the_audit_key_file_is_created_private_once_and_required_elsewhere() {
    let dir = TempDir::new();
    let url = dir.sqlite_url("k.db");
    let key = dir.path("keys.hex");
    // A command that may not create it fails clearly and touches nothing.
    let out = run(shuniu(&dir)
        .args(["user", "list", "--db", &url, "--audit-key-file"])
        .arg(&key));
    assert_fails_with(&out, &["keys.hex", "does not exist"]);
    assert!(!key.exists() && !dir.path("k.db").exists());

    let out = run(shuniu(&dir)
        .args(["migrate", "--db", &url, "--audit-key-file"])
        .arg(&key));
    assert_ok(&out);
    assert!(
        text(&out.stderr).contains("audit key file created"),
        "{}",
        text(&out.stderr)
    );
    let meta = std::fs::metadata(&key).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
    let hex = std::fs::read_to_string(&key).unwrap();
    assert_eq!(hex.trim().len(), 64);
    assert!(hex.trim().bytes().all(|b| b.is_ascii_hexdigit()));

    // Used again, not replaced; no second "created".
    let out = run(shuniu(&dir)
        .args(["migrate", "--db", &url, "--audit-key-file"])
        .arg(&key));
    assert_ok(&out);
    assert!(!text(&out.stderr).contains("created"));
    assert_eq!(std::fs::read_to_string(&key).unwrap(), hex);

    // The default is shuniu-audit.key in the working directory.
    let out = run(shuniu(&dir)
        .args(["migrate", "--db", &url])
        .env_remove("SHUNIU_AUDIT_KEY_FILE"));
    assert_ok(&out);
    assert!(dir.path("shuniu-audit.key").exists());
}
