//! The `shuniu` binary as a user runs it: subcommands, configuration layering, errors,
//! and the server on SQLite and PostgreSQL.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use shuniu_store::testing::fresh_postgres_url;
use shuniu_store::{OrgFilter, Store};

const XUANWU: &str = "320102";

/// A directory of its own for each test, removed at the end.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let dir = std::env::temp_dir().join(format!(
            "shuniu-cli-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn sqlite_url(&self, name: &str) -> String {
        format!("sqlite://{}", self.path(name).display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every setting's environment variable.
const SHUNIU_VARS: [&str; 18] = [
    "SHUNIU_DB",
    "SHUNIU_BIND",
    "SHUNIU_LOG",
    "SHUNIU_LOG_FORMAT",
    "SHUNIU_CONFIG",
    "RUST_LOG",
    "SHUNIU_AUDIT_KEY_FILE",
    "SHUNIU_LOCKOUT_FAILURES",
    "SHUNIU_LOCKOUT_MINUTES",
    "SHUNIU_SESSION_IDLE_MINUTES",
    "SHUNIU_SESSION_ABSOLUTE_HOURS",
    "SHUNIU_PASSWORD_MIN_LENGTH",
    "SHUNIU_SECURE_COOKIES",
    "SHUNIU_AUDIT_RETENTION_DAYS",
    "SHUNIU_BOOKING_OPENS_AT_HOUR",
    "SHUNIU_BOOKING_CLOSES_AT_HOUR",
    "SHUNIU_BOOKING_HORIZON_DAYS",
    "SHUNIU_BOOKING_MAX_HOURS",
];

/// The binary, run in `dir` with none of the caller's Shuniu settings, and the audit
/// key file `dir/audit.key` (never the working directory's default).
fn shuniu(dir: &TempDir) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shuniu"));
    c.current_dir(&dir.0);
    for var in SHUNIU_VARS {
        c.env_remove(var);
    }
    c.env("SHUNIU_AUDIT_KEY_FILE", dir.path("audit.key"));
    c.env("USER", "tester");
    c
}

/// Runs `cmd` with `input` on stdin.
fn run_with_stdin(cmd: &mut Command, input: &str) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run shuniu");
    // A command that stops before reading its input (a configuration error, exit 2)
    // closes the pipe: that is its answer, not a failure of the test.
    if let Err(e) = child.stdin.take().unwrap().write_all(input.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run shuniu")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "shuniu failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// Asserts a clean failure: non-zero status, no panic, and `needles` in the message.
fn assert_fails_with(out: &Output, needles: &[&str]) {
    let err = text(&out.stderr);
    assert!(!out.status.success(), "expected a failure, stderr: {err}");
    assert_ne!(out.status.code(), Some(101), "panicked: {err}");
    assert!(!err.contains("panicked"), "panicked: {err}");
    for n in needles {
        assert!(err.contains(n), "stderr lacks {n:?}: {err}");
    }
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A running `shuniu serve`, killed if the test ends early.
struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Server {
    /// Starts `shuniu serve` with `args` (plus `--bind` on a free port unless `port` is given).
    fn start(dir: &TempDir, args: &[&str], envs: &[(&str, &str)], port: Option<u16>) -> Server {
        let mut cmd = shuniu(dir);
        cmd.arg("serve").args(args);
        let port = match port {
            Some(p) => p,
            None => {
                let p = free_port();
                cmd.args(["--bind", &format!("127.0.0.1:{p}")]);
                p
            }
        };
        cmd.envs(envs.iter().copied());
        let log = dir.path(&format!("serve-{port}.log"));
        let out = File::create(&log).unwrap();
        let child = cmd
            .stdout(Stdio::from(out.try_clone().unwrap()))
            .stderr(Stdio::from(out))
            .spawn()
            .expect("start shuniu serve");
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Polls `GET /healthz` until it answers 200.
    async fn wait_healthy(&mut self) {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(180);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("shuniu serve exited ({status}):\n{}", self.log());
            }
            if let Ok(r) = client.get(format!("{}/healthz", self.base)).send().await
                && r.status() == 200
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no healthy server at {}:\n{}",
                self.base,
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Stops the server with `signal` (`INT` or `TERM`) and returns how it exited.
    fn stop(mut self, signal: &str) -> ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -{signal} {pid}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "shuniu did not stop on SIG{signal}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn xuanwu_organizations(url: &str) -> (i64, i64) {
    let store = Store::connect(url).await.unwrap();
    let filter = OrgFilter {
        jurisdiction: Some(XUANWU.into()),
        ..OrgFilter::default()
    };
    let total = store.list_organizations(&filter, 1, 1).await.unwrap().total;
    let xuanwu = store.jurisdiction(XUANWU).await.unwrap().expect("Xuanwu");
    let staff = store.subtree_stats(&xuanwu).await.unwrap().staff;
    store.close().await;
    (total, staff)
}

#[test]
fn version_and_help() {
    let dir = TempDir::new();
    let out = run(shuniu(&dir).arg("--version"));
    assert_ok(&out);
    assert_eq!(
        text(&out.stdout).trim(),
        format!("shuniu {}", env!("CARGO_PKG_VERSION"))
    );
    let out = run(shuniu(&dir).arg("--help"));
    assert_ok(&out);
    let help = text(&out.stdout);
    for word in [
        "serve",
        "migrate",
        "demo",
        "backup",
        "--config",
        "--log-format",
    ] {
        assert!(help.contains(word), "help lacks {word}: {help}");
    }
    let out = run(shuniu(&dir).args(["serve", "--help"]));
    let help = text(&out.stdout);
    for word in ["--db", "SHUNIU_DB", "--bind", "--demo"] {
        assert!(help.contains(word), "serve --help lacks {word}: {help}");
    }
}

/// `migrate` creates the schema and the reference tree; `--down` removes it; again up.
async fn migrate_up_down_up(dir: &TempDir, url: &str) {
    let out = run(shuniu(dir).args(["migrate", "--db", url]));
    assert_ok(&out);
    assert!(text(&out.stdout).contains("Migrations applied"));
    let store = Store::connect(url).await.unwrap();
    let tables = store.table_names().await.unwrap();
    for t in ["jurisdictions", "organizations", "jurisdiction_stats"] {
        assert!(tables.iter().any(|n| n == t), "{t} missing from {tables:?}");
    }
    assert!(store.jurisdiction(XUANWU).await.unwrap().is_some());
    store.close().await;

    let out = run(shuniu(dir).args(["migrate", "--down", "--db", url]));
    assert_ok(&out);
    let store = Store::connect(url).await.unwrap();
    assert_eq!(store.table_names().await.unwrap(), Vec::<String>::new());
    store.close().await;

    assert_ok(&run(shuniu(dir).args(["migrate", "--db", url])));
    assert_ok(&run(shuniu(dir).args(["migrate", "--db", url]))); // idempotent
}

#[tokio::test]
async fn migrate_on_sqlite() {
    let dir = TempDir::new();
    migrate_up_down_up(&dir, &dir.sqlite_url("m.db")).await;
    assert!(dir.path("m.db").exists());
}

#[tokio::test]
async fn migrate_on_postgres() {
    let dir = TempDir::new();
    migrate_up_down_up(&dir, &fresh_postgres_url().await).await;
}

#[tokio::test]
async fn serve_answers_healthz_on_sqlite_and_stops_on_ctrl_c() {
    let dir = TempDir::new();
    let url = dir.sqlite_url("s.db");
    let mut server = Server::start(&dir, &["--db", &url], &[], None);
    server.wait_healthy().await;
    let home = reqwest::get(format!("{}/", server.base)).await.unwrap();
    assert!(home.status().is_success(), "GET / → {}", home.status());
    let status = server.stop("INT");
    assert!(status.success(), "exit after SIGINT: {status}");
}

#[tokio::test]
async fn serve_answers_healthz_on_postgres_and_stops_on_sigterm() {
    let dir = TempDir::new();
    let url = fresh_postgres_url().await;
    let mut server = Server::start(&dir, &["--db", &url], &[], None);
    server.wait_healthy().await;
    let log = server.log();
    assert!(log.contains("Shuniu is up"), "{log}");
    let status = server.stop("TERM");
    assert!(status.success(), "exit after SIGTERM: {status}");
}

#[tokio::test]
async fn demo_command_loads_xuanwu_into_postgres() {
    let dir = TempDir::new();
    let url = fresh_postgres_url().await;
    let out = run(shuniu(&dir).args(["demo", "--db", &url]));
    assert_ok(&out);
    assert!(
        text(&out.stdout).contains("1379 organizations"),
        "{}",
        text(&out.stdout)
    );
    let (orgs, staff) = xuanwu_organizations(&url).await;
    assert_eq!(orgs, 1379);
    assert!(staff >= 25_000, "staff {staff}");

    // One account per role, printed once, never logged.
    let stdout = text(&out.stdout);
    let accounts = demo_accounts(&stdout);
    assert_eq!(accounts.len(), 5, "{stdout}");
    for (_, _, password) in &accounts {
        assert!(
            !text(&out.stderr).contains(password.as_str()),
            "password logged"
        );
    }
    let store = Store::connect(&url).await.unwrap();
    assert!(password_works(&store, "admin", &accounts[0].2).await);
    assert!(password_works(&store, "member", &accounts[3].2).await);
    store.close().await;
    let out = run(shuniu(&dir).args(["demo", "--db", &url]));
    assert_ok(&out);
    assert!(!text(&out.stdout).contains("Demo accounts"));
    let out = run(shuniu(&dir).args(["audit", "verify", "--db", &url]));
    assert_ok(&out);
}

#[tokio::test]
async fn config_layers_defaults_file_environment_flags() {
    let dir = TempDir::new();
    let created = |name: &str| dir.path(name).exists();

    // Built-in default: sqlite://shuniu.db in the working directory.
    assert_ok(&run(shuniu(&dir).arg("migrate")));
    assert!(created("shuniu.db"));

    // shuniu.toml in the working directory beats the default.
    std::fs::write(dir.path("shuniu.toml"), "db = \"sqlite://from-toml.db\"\n").unwrap();
    assert_ok(&run(shuniu(&dir).arg("migrate")));
    assert!(created("from-toml.db"));

    // SHUNIU_DB beats the file.
    assert_ok(&run(shuniu(&dir)
        .arg("migrate")
        .env("SHUNIU_DB", "sqlite://from-env.db")));
    assert!(created("from-env.db"));

    // --db beats the environment.
    assert_ok(&run(shuniu(&dir)
        .args(["migrate", "--db", "sqlite://from-flag.db"])
        .env("SHUNIU_DB", "sqlite://not-this.db")));
    assert!(created("from-flag.db"));
    assert!(!created("not-this.db"));

    // --config and SHUNIU_CONFIG name another file instead of ./shuniu.toml.
    std::fs::write(dir.path("other.toml"), "db = \"sqlite://from-other.db\"\n").unwrap();
    assert_ok(&run(shuniu(&dir).args([
        "migrate",
        "--config",
        "other.toml",
    ])));
    assert!(created("from-other.db"));
    std::fs::write(dir.path("third.toml"), "db = \"sqlite://from-third.db\"\n").unwrap();
    assert_ok(&run(shuniu(&dir)
        .arg("migrate")
        .env("SHUNIU_CONFIG", "third.toml")));
    assert!(created("from-third.db"));

    // The server's address: SHUNIU_BIND beats the file's `bind`.
    let (file_port, env_port) = (free_port(), free_port());
    std::fs::write(
        dir.path("shuniu.toml"),
        format!("db = \"sqlite://from-toml.db\"\nbind = \"127.0.0.1:{file_port}\"\n"),
    )
    .unwrap();
    let env_bind = format!("127.0.0.1:{env_port}");
    let mut server = Server::start(&dir, &[], &[("SHUNIU_BIND", &env_bind)], Some(env_port));
    server.wait_healthy().await;
    assert!(server.stop("INT").success());

    // A named file that is missing, and a key that does not exist, are errors.
    let out = run(shuniu(&dir).args(["migrate", "--config", "missing.toml"]));
    assert_fails_with(&out, &["missing.toml"]);
    std::fs::write(dir.path("bad.toml"), "database = \"sqlite://x.db\"\n").unwrap();
    let out = run(shuniu(&dir).args(["migrate", "--config", "bad.toml"]));
    assert_fails_with(&out, &["bad.toml", "database"]);
    assert!(!created("x.db"));
}

#[test]
fn json_logs_are_one_object_per_line() {
    let dir = TempDir::new();
    let url = dir.sqlite_url("j.db");
    let out = run(shuniu(&dir).args(["--log-format", "json", "migrate", "--db", &url]));
    assert_ok(&out);
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty(), "no log lines");
    for line in lines {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON log line");
        assert!(v.get("level").is_some(), "{line}");
    }
}

#[test]
fn bad_database_urls_are_clear_errors() {
    let dir = TempDir::new();
    let out = run(shuniu(&dir).args(["migrate", "--db", "mysql://root@localhost/x"]));
    assert_fails_with(
        &out,
        &["mysql://root@localhost/x", "sqlite://", "postgres://"],
    );

    let missing_dir = dir.path("no/such/dir/x.db");
    let url = format!("sqlite://{}", missing_dir.display());
    let out = run(shuniu(&dir).args(["migrate", "--db", &url]));
    assert_fails_with(&out, &["cannot connect to the database", &url]);

    let out = run(shuniu(&dir).args(["--log", "=[", "migrate"]));
    assert_fails_with(&out, &["invalid log filter"]);
}

#[test]
fn unreachable_postgres_is_a_clear_error_with_the_password_hidden() {
    let dir = TempDir::new();
    let out = run(shuniu(&dir).args([
        "serve",
        "--db",
        "postgres://shuniu:hunter2@127.0.0.1:1/nowhere",
    ]));
    assert_fails_with(
        &out,
        &[
            "cannot connect to the database",
            "postgres://shuniu:***@127.0.0.1:1/nowhere",
        ],
    );
    assert!(!text(&out.stderr).contains("hunter2"));
}

#[tokio::test]
async fn backup_copies_a_sqlite_database() {
    let dir = TempDir::new();
    let url = dir.sqlite_url("live.db");
    assert_ok(&run(shuniu(&dir).args(["demo", "--db", &url])));
    let out = run(shuniu(&dir).args(["backup", "--db", &url, "--to", "copy.db"]));
    assert_ok(&out);
    assert!(text(&out.stdout).contains("copy.db"));
    assert_eq!(
        xuanwu_organizations(&dir.sqlite_url("copy.db")).await.0,
        1379
    );

    let out = run(shuniu(&dir).args(["backup", "--db", &url, "--to", "copy.db"]));
    assert_fails_with(&out, &["copy.db", "already exists"]);
    let out = run(shuniu(&dir).args(["backup", "--db", "sqlite://absent.db", "--to", "b.db"]));
    assert_fails_with(&out, &["no SQLite database", "absent.db"]);
    assert!(!Path::new(&dir.path("absent.db")).exists());
}

#[tokio::test]
async fn backup_refuses_postgres_clearly() {
    let dir = TempDir::new();
    let url = fresh_postgres_url().await;
    let out = run(shuniu(&dir).args(["backup", "--db", &url, "--to", "pg.db"]));
    assert_fails_with(&out, &["SQLite", "pg_dump"]);
    assert!(!dir.path("pg.db").exists());
}

// ---------------------------------------------------------------------------------
// Accounts, API tokens, the audit trail, the audit key and security settings.

/// The value printed after `label` on its own line of `out`.
fn printed_after(out: &str, label: &str) -> String {
    out.lines()
        .find_map(|l| l.split_once(label).map(|(_, v)| v.trim().to_string()))
        .unwrap_or_else(|| panic!("no {label:?} in: {out}"))
}

async fn password_works(store: &Store, user: &str, password: &str) -> bool {
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

/// Runs raw SQL against the database behind the store's back, as an attacker would.
async fn tamper(url: &str, statements: &[&str]) {
    use sqlx::{ConnectOptions, Executor};
    use std::str::FromStr;
    if url.starts_with("postgres") {
        let mut c = sqlx::postgres::PgConnectOptions::from_str(url)
            .unwrap()
            .connect()
            .await
            .unwrap();
        for s in statements {
            c.execute(*s).await.unwrap();
        }
    } else {
        let mut c = sqlx::sqlite::SqliteConnectOptions::from_str(url)
            .unwrap()
            .connect()
            .await
            .unwrap();
        for s in statements {
            c.execute(*s).await.unwrap();
        }
    }
}

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

#[test]
fn security_settings_layer_defaults_file_environment_flags() {
    let dir = TempDir::new();
    let url = dir.sqlite_url("p.db");
    assert_ok(&run(shuniu(&dir).args(["migrate", "--db", &url])));
    let add = |name: &str, envs: &[(&str, &str)], flags: &[&str]| {
        run_with_stdin(
            shuniu(&dir)
                .args([
                    "user",
                    "add",
                    name,
                    "--role",
                    "expert",
                    "--password-stdin",
                    "--db",
                    &url,
                ])
                .args(flags)
                .envs(envs.iter().copied()),
            "Twelve-Char1\n",
        )
    };
    // Default minimum 8: a 12-character password is fine.
    assert_ok(&add("user1", &[], &[]));
    // The file raises it to 14: refused.
    std::fs::write(dir.path("shuniu.toml"), "password_min_length = 14\n").unwrap();
    assert_fails_with(&add("user2", &[], &[]), &["at least 14"]);
    // The environment beats the file.
    assert_ok(&add("user3", &[("SHUNIU_PASSWORD_MIN_LENGTH", "10")], &[]));
    // The flag beats the environment.
    let out = add(
        "user4",
        &[("SHUNIU_PASSWORD_MIN_LENGTH", "10")],
        &["--password-min-length", "13"],
    );
    assert_fails_with(&out, &["at least 13"]);
    // Below the floor, and an unknown value, are configuration errors (status 2).
    let out = add("user5", &[("SHUNIU_PASSWORD_MIN_LENGTH", "6")], &[]);
    assert_fails_with(&out, &["password_min_length"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::write(dir.path("shuniu.toml"), "audit_retention_days = 30\n").unwrap();
    let out = run(shuniu(&dir).args(["audit", "purge", "--db", &url]));
    assert_fails_with(&out, &["audit_retention_days", "180"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The booking rules `serve` logs at start (text logs: `key=value`).
fn logged_booking_rules(log: &str) -> Vec<String> {
    let line = log
        .lines()
        .find(|l| l.contains("room-booking rules"))
        .unwrap_or_else(|| panic!("no booking rules logged:\n{log}"));
    [
        "opens_at_hour",
        "closes_at_hour",
        "horizon_days",
        "max_hours",
        "slot_minutes",
    ]
    .iter()
    .map(|k| {
        let at = line
            .find(&format!("{k}="))
            .unwrap_or_else(|| panic!("{k}: {line}"));
        line[at..].split_whitespace().next().unwrap().to_string()
    })
    .collect()
}

#[tokio::test]
async fn booking_settings_layer_defaults_file_environment_flags() {
    let dir = TempDir::new();
    let url = dir.sqlite_url("b.db");
    let out = run(shuniu(&dir).args(["serve", "--help"]));
    let help = text(&out.stdout);
    for word in [
        "Booking settings",
        "--booking-opens-at-hour",
        "--booking-closes-at-hour",
        "SHUNIU_BOOKING_HORIZON_DAYS",
        "--booking-max-hours",
    ] {
        assert!(help.contains(word), "serve --help lacks {word}: {help}");
    }

    // Defaults, and the slot fixed at 30 minutes.
    let mut server = Server::start(&dir, &["--db", &url], &[], None);
    server.wait_healthy().await;
    assert_eq!(
        logged_booking_rules(&server.log()),
        [
            "opens_at_hour=8",
            "closes_at_hour=21",
            "horizon_days=90",
            "max_hours=8",
            "slot_minutes=30"
        ]
    );
    assert!(server.stop("INT").success());

    // The file sets the hours and the horizon; the environment beats it on the
    // closing hour and the longest booking; a flag beats the environment on the latter.
    std::fs::write(
        dir.path("shuniu.toml"),
        "booking_opens_at_hour = 7\nbooking_closes_at_hour = 20\nbooking_horizon_days = 30\n",
    )
    .unwrap();
    let mut server = Server::start(
        &dir,
        &["--db", &url, "--booking-max-hours", "3"],
        &[
            ("SHUNIU_BOOKING_CLOSES_AT_HOUR", "13"),
            ("SHUNIU_BOOKING_MAX_HOURS", "5"),
        ],
        None,
    );
    server.wait_healthy().await;
    assert_eq!(
        logged_booking_rules(&server.log()),
        [
            "opens_at_hour=7",
            "closes_at_hour=13",
            "horizon_days=30",
            "max_hours=3",
            "slot_minutes=30"
        ]
    );
    assert!(server.stop("INT").success());

    // Out of range, closing before opening, and a slot size are configuration errors.
    let out = run(shuniu(&dir).args(["serve", "--db", &url, "--booking-horizon-days", "1000"]));
    assert_fails_with(&out, &["booking_horizon_days", "730"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(shuniu(&dir)
        .args(["serve", "--db", &url])
        .env("SHUNIU_BOOKING_CLOSES_AT_HOUR", "6"));
    assert_fails_with(
        &out,
        &["booking_closes_at_hour", "booking_opens_at_hour = 7"],
    );
    assert_eq!(out.status.code(), Some(2));
    std::fs::write(dir.path("shuniu.toml"), "booking_slot_minutes = 15\n").unwrap();
    let out = run(shuniu(&dir).args(["serve", "--db", &url]));
    assert_fails_with(&out, &["shuniu.toml", "booking_slot_minutes"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The demo accounts table printed by `serve --demo` / `demo`: (user, role, password).
fn demo_accounts(out: &str) -> Vec<(String, String, String)> {
    let mut lines = out.lines().skip_while(|l| !l.starts_with("Demo accounts"));
    lines.next();
    lines.next(); // the header
    lines
        .take(5)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[0].to_string(), f[1].to_string(), f[2].to_string())
        })
        .collect()
}

#[tokio::test]
async fn serve_demo_loads_xuanwu_and_one_account_per_role_into_an_empty_sqlite_database_once() {
    let dir = TempDir::new();
    let url = dir.sqlite_url("demo.db");
    let mut server = Server::start(&dir, &["--db", &url, "--demo"], &[], None);
    server.wait_healthy().await;
    let log = server.log();
    assert!(server.stop("INT").success());
    let (orgs, staff) = xuanwu_organizations(&url).await;
    assert_eq!(orgs, 1379);
    assert!(staff >= 25_000, "staff {staff}");
    let accounts = demo_accounts(&log);
    let roles: Vec<(&str, &str)> = accounts
        .iter()
        .map(|(u, r, _)| (u.as_str(), r.as_str()))
        .collect();
    assert_eq!(
        roles,
        [
            ("admin", "admin"),
            ("official", "official"),
            ("hub", "hub_staff"),
            ("member", "org_member"),
            ("expert", "expert")
        ],
        "{log}"
    );
    let store = Store::connect(&url).await.unwrap();
    for (user, _, password) in &accounts {
        assert!(password_works(&store, user, password).await, "{user}");
        let u = store.user_by_username(user).await.unwrap().unwrap();
        assert!(!u.must_change_password, "{user}");
    }
    let official = store.user_by_username("official").await.unwrap().unwrap();
    assert_eq!(official.jurisdiction_code.as_deref(), Some(XUANWU));
    for (user, org) in [
        ("hub", "梅园新村街道社会组织发展促进会"),
        ("member", "南京玄武一家圆心灵保姆服务中心"),
    ] {
        let id = store
            .user_by_username(user)
            .await
            .unwrap()
            .unwrap()
            .organization_id
            .expect("bound");
        let o = store.organization(id).await.unwrap().unwrap();
        assert_eq!(o.data.name, org);
    }
    store.close().await;

    // The admin's printed password logs in (POST /login if the site has it).
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut server = Server::start(&dir, &["--db", &url, "--demo"], &[], None);
    server.wait_healthy().await;
    let login = client
        .get(format!("{}/login", server.base))
        .send()
        .await
        .unwrap();
    if login.status() == 200 {
        let page = login.text().await.unwrap();
        let csrf = page
            .split("name=\"_csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_default()
            .to_string();
        let admin_password = &accounts[0].2;
        let r = client
            .post(format!("{}/login", server.base))
            .form(&[
                ("username", "admin"),
                ("password", admin_password.as_str()),
                ("_csrf", csrf.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert!(r.status().is_redirection(), "login → {}", r.status());
    }
    // A second run neither recreates nor prints them.
    let log = server.log();
    assert!(server.stop("INT").success());
    assert!(!log.contains("Demo accounts"), "{log}");
    let out = run(shuniu(&dir).args(["demo", "--db", &url]));
    assert_ok(&out);
    assert!(!text(&out.stdout).contains("Demo accounts"));
    assert!(
        text(&out.stdout).contains("not loaded"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(xuanwu_organizations(&url).await.0, 1379);
}

#[path = "cli/audit_ends.rs"]
mod audit_ends;

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
