//! `shuniu user` and `shuniu token` on SQLite and PostgreSQL.

use super::*;

// ---------------------------------------------------------------------------------
// Accounts, API tokens, the audit trail, the audit key and security settings.

/// The value printed after `label` on its own line of `out`.
fn printed_after(out: &str, label: &str) -> String {
    out.lines()
        .find_map(|l| l.split_once(label).map(|(_, v)| v.trim().to_string()))
        .unwrap_or_else(|| panic!("no {label:?} in: {out}"))
}

pub(crate) async fn password_works(store: &Store, user: &str, password: &str) -> bool {
    let u = store.user_by_username(user).await.unwrap().expect("user");
    let hash = store.password_hash(u.id).await.unwrap().expect("hash");
    shuniu_web::auth::verify_password(&hash, password).await
}

async fn user_commands(dir: &TempDir, url: &str) {
    assert_ok(&run(shuniu(dir).args(["migrate", "--db", url])));

    // A generated password, shown once; the account must change it at first login.
    let out = run(shuniu(dir).args(["user", "add", "alice", "--role", "expert", "--db", url]));
    assert_ok(&out);
    let stdout = text(&out.stdout);
    let password = printed_after(&stdout, "Password (shown only this once):");
    assert!(
        !text(&out.stderr).contains(&password),
        "password in the log"
    );
    let store = Store::connect(url).await.unwrap();
    let alice = store.user_by_username("alice").await.unwrap().unwrap();
    assert!(alice.must_change_password);
    assert_eq!(alice.role.as_str(), "expert");
    assert!(password_works(&store, "alice", &password).await);
    assert!(!password_works(&store, "alice", "Wrong-Pass1").await);

    // A weak password from stdin is refused and nothing is written.
    let audit_before = store
        .audit_page(&Default::default(), 1, 1)
        .await
        .unwrap()
        .total;
    let out = run_with_stdin(
        shuniu(dir).args([
            "user",
            "add",
            "bob",
            "--role",
            "admin",
            "--password-stdin",
            "--db",
            url,
        ]),
        "weakpass\n",
    );
    assert_fails_with(&out, &["password", "refused"]);
    assert!(!text(&out.stderr).contains("weakpass"));
    assert!(store.user_by_username("bob").await.unwrap().is_none());
    let audit_after = store
        .audit_page(&Default::default(), 1, 1)
        .await
        .unwrap()
        .total;
    assert_eq!(audit_before, audit_after, "nothing written");
    // The user name inside the password is refused too.
    let out = run_with_stdin(
        shuniu(dir).args([
            "user",
            "add",
            "bob",
            "--role",
            "admin",
            "--password-stdin",
            "--db",
            url,
        ]),
        "Bob-Secret-42\n",
    );
    assert_fails_with(&out, &["user name"]);

    // An official needs a jurisdiction; given on stdin, the password is not echoed.
    let out = run_with_stdin(
        shuniu(dir).args([
            "user",
            "add",
            "carol",
            "--role",
            "official",
            "--password-stdin",
            "--db",
            url,
        ]),
        "Str0ng-Passw0rd\n",
    );
    assert_fails_with(&out, &["jurisdiction"]);
    let out = run_with_stdin(
        shuniu(dir).args([
            "user",
            "add",
            "carol",
            "--role",
            "official",
            "--jurisdiction",
            XUANWU,
            "--display-name",
            "Carol 玄武",
            "--password-stdin",
            "--db",
            url,
        ]),
        "Str0ng-Passw0rd\n",
    );
    assert_ok(&out);
    assert!(!text(&out.stdout).contains("Str0ng-Passw0rd"));
    assert!(!text(&out.stderr).contains("Str0ng-Passw0rd"));
    assert!(password_works(&store, "carol", "Str0ng-Passw0rd").await);
    let carol = store.user_by_username("carol").await.unwrap().unwrap();
    assert_eq!(carol.jurisdiction_code.as_deref(), Some(XUANWU));
    assert_eq!(carol.display_name, "Carol 玄武");
    // The same name twice, and an unknown role, are clear errors.
    let out = run(shuniu(dir).args(["user", "add", "carol", "--role", "expert", "--db", url]));
    assert_fails_with(&out, &["already taken"]);
    let out = run(shuniu(dir).args(["user", "add", "dave", "--role", "root", "--db", url]));
    assert_fails_with(&out, &["org_member"]);

    // Disable and enable.
    assert_ok(&run(
        shuniu(dir).args(["user", "disable", "alice", "--db", url])
    ));
    assert!(
        store
            .user_by_username("alice")
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
    let out = run(shuniu(dir).args(["user", "list", "--db", url]));
    assert_ok(&out);
    let list = text(&out.stdout);
    let row = |name: &str| -> Vec<String> {
        list.lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} not listed: {list}"))
            .split_whitespace()
            .map(String::from)
            .collect()
    };
    assert_eq!(row("alice")[..4], ["alice", "expert", "yes", "no"]);
    assert_eq!(row("carol")[..5], ["carol", "official", "no", "no", XUANWU]);
    assert!(list.contains("NAME") && list.contains("BINDING") && list.contains("LOCKED"));
    assert_ok(&run(
        shuniu(dir).args(["user", "enable", "alice", "--db", url])
    ));
    assert!(
        !store
            .user_by_username("alice")
            .await
            .unwrap()
            .unwrap()
            .disabled
    );

    // An admin reset: a new generated password, to be changed at next login.
    let out = run(shuniu(dir).args(["user", "passwd", "carol", "--db", url]));
    assert_ok(&out);
    let new = printed_after(&text(&out.stdout), "New password (shown only this once):");
    assert!(password_works(&store, "carol", &new).await);
    assert!(!password_works(&store, "carol", "Str0ng-Passw0rd").await);
    assert!(
        store
            .user_by_username("carol")
            .await
            .unwrap()
            .unwrap()
            .must_change_password
    );
    let out = run_with_stdin(
        shuniu(dir).args(["user", "passwd", "carol", "--password-stdin", "--db", url]),
        "short\n",
    );
    assert_fails_with(&out, &["refused"]);
    assert!(password_works(&store, "carol", &new).await, "unchanged");
    let out = run(shuniu(dir).args(["user", "passwd", "nobody", "--db", url]));
    assert_fails_with(&out, &["nobody"]);

    // Every write from the shell is in the audit trail, by the OS user, role cli.
    let filter = shuniu_store::AuditFilter {
        actor: Some("tester".into()),
        ..Default::default()
    };
    let records = store.audit_page(&filter, 1, 100).await.unwrap().items;
    let actions: Vec<&str> = records.iter().map(|r| r.event.action.as_str()).collect();
    for a in [
        "user.create",
        "user.disable",
        "user.enable",
        "user.password",
    ] {
        assert!(actions.contains(&a), "{a} not audited: {actions:?}");
    }
    assert!(
        records
            .iter()
            .all(|r| r.event.role == "cli" && r.event.source == "local")
    );
    for r in &records {
        assert!(!r.event.details.contains(&new) && !r.event.details.contains(&password));
    }
    store.close().await;

    // The chain written with the key file verifies.
    let out = run(shuniu(dir).args(["audit", "verify", "--db", url]));
    assert_ok(&out);
    assert!(
        text(&out.stdout).contains("intact"),
        "{}",
        text(&out.stdout)
    );
}

#[tokio::test]
async fn user_commands_on_sqlite() {
    let dir = TempDir::new();
    user_commands(&dir, &dir.sqlite_url("u.db")).await;
}

#[tokio::test]
async fn user_commands_on_postgres() {
    let dir = TempDir::new();
    user_commands(&dir, &fresh_postgres_url().await).await;
}

async fn token_commands(dir: &TempDir, url: &str) {
    assert_ok(&run(shuniu(dir).args(["migrate", "--db", url])));
    assert_ok(&run(
        shuniu(dir).args(["user", "add", "robot", "--role", "admin", "--db", url])
    ));
    let out = run(shuniu(dir).args([
        "token",
        "create",
        "--user",
        "robot",
        "--name",
        "ci export",
        "--days",
        "30",
        "--db",
        url,
    ]));
    assert_ok(&out);
    let stdout = text(&out.stdout);
    let token = printed_after(&stdout, "Token (shown only this once):");
    assert_eq!(token.len(), 64, "{stdout}");
    assert!(!text(&out.stderr).contains(&token));

    // Stored hashed only; the hash authenticates the user until revoked.
    let store = Store::connect(url).await.unwrap();
    let now = chrono_now();
    let hash = shuniu_web::auth::token_hash(&token);
    let user = store.api_token_user(&hash, now).await.unwrap();
    assert_eq!(user.map(|u| u.username).as_deref(), Some("robot"));
    let robot = store.user_by_username("robot").await.unwrap().unwrap();
    let tokens = store.api_tokens_of(robot.id).await.unwrap();
    assert_eq!(tokens.len(), 1);
    let days = (tokens[0].expires_at - tokens[0].created_at).num_days();
    assert!((29..=30).contains(&days), "expires in {days} days");

    let out = run(shuniu(dir).args(["token", "list", "--user", "robot", "--db", url]));
    assert_ok(&out);
    let list = text(&out.stdout);
    let id = tokens[0].id.to_string();
    assert!(
        list.contains(&id) && list.contains("active") && list.contains("ci export"),
        "{list}"
    );
    assert!(!list.contains(&token) && !list.contains(&hash));

    assert_ok(&run(shuniu(dir).args(["token", "revoke", &id, "--db", url])));
    assert!(store.api_token_user(&hash, now).await.unwrap().is_none());
    let out = run(shuniu(dir).args(["token", "list", "--user", "robot", "--db", url]));
    assert!(text(&out.stdout).contains("revoked"));
    let out = run(shuniu(dir).args(["token", "revoke", &id, "--db", url]));
    assert_fails_with(&out, &[&id]);
    let out = run(shuniu(dir).args([
        "token", "create", "--user", "ghost", "--name", "x", "--db", url,
    ]));
    assert_fails_with(&out, &["ghost"]);
    let out = run(shuniu(dir).args([
        "token", "create", "--user", "robot", "--name", "x", "--days", "0", "--db", url,
    ]));
    assert!(!out.status.success());

    let actions: Vec<String> = store
        .audit_page(&Default::default(), 1, 100)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|r| r.event.action)
        .collect();
    assert!(actions.iter().any(|a| a == "token.create"), "{actions:?}");
    assert!(actions.iter().any(|a| a == "token.revoke"), "{actions:?}");
    store.close().await;
}

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    shuniu_store::now()
}

#[tokio::test]
async fn token_commands_on_sqlite() {
    let dir = TempDir::new();
    token_commands(&dir, &dir.sqlite_url("t.db")).await;
}

#[tokio::test]
async fn token_commands_on_postgres() {
    let dir = TempDir::new();
    token_commands(&dir, &fresh_postgres_url().await).await;
}
