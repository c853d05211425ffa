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
const SHUNIU_VARS: [&str; 19] = [
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
    "SHUNIU_SEARCH_DIR",
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

    /// Stops the server with `signal` and asserts that it exited cleanly; a failure
    /// names the exit status and shows the server's log.
    fn stop_ok(self, signal: &str) {
        let log = self.log.clone();
        let status = self.stop(signal);
        assert!(
            status.success(),
            "shuniu exited with {status} on SIG{signal}:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
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
    server.stop_ok("INT");

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

/// The search index: built by `demo` beside the SQLite file, rebuilt by `reindex` (also
/// into `search_dir`), and by `serve` at start when it is missing; the lists search it.
#[tokio::test]
async fn reindex_rebuilds_the_search_index_and_serve_rebuilds_a_missing_one() {
    let dir = TempDir::new();
    let url = dir.sqlite_url("live.db");
    let out = run(shuniu(&dir).args(["demo", "--db", &url]));
    assert_ok(&out);
    assert!(
        text(&out.stdout).contains("Search index rebuilt: 1379 organizations"),
        "{}",
        text(&out.stdout)
    );
    let beside = dir.path("live.db.search");
    assert!(
        beside.join("meta.json").exists(),
        "no index beside the database"
    );

    let out = run(shuniu(&dir).args(["reindex", "--db", &url]));
    assert_ok(&out);
    assert!(
        text(&out.stdout).contains("1379 organizations"),
        "{}",
        text(&out.stdout)
    );
    let elsewhere = dir.path("index");
    let out = run(shuniu(&dir)
        .args(["reindex", "--db", &url])
        .env("SHUNIU_SEARCH_DIR", &elsewhere));
    assert_ok(&out);
    assert!(elsewhere.join("meta.json").exists());

    std::fs::remove_dir_all(&beside).unwrap();
    let mut server = Server::start(&dir, &["--db", &url], &[], None);
    server.wait_healthy().await;
    assert!(
        server.log().contains("Search index rebuilt"),
        "{}",
        server.log()
    );
    for q in ["%E5%85%BB%E8%80%81", "yanglao", "yl"] {
        let v: serde_json::Value =
            reqwest::get(format!("{}/api/v1/organizations?q={q}", server.base))
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
        assert!(v["total"].as_i64().unwrap() > 0, "{q}: {v}");
        assert!(
            v["matches"].as_array().is_some_and(|m| !m.is_empty()),
            "{q}: {v}"
        );
    }
    server.stop_ok("INT");
}

#[tokio::test]
async fn backup_refuses_postgres_clearly() {
    let dir = TempDir::new();
    let url = fresh_postgres_url().await;
    let out = run(shuniu(&dir).args(["backup", "--db", &url, "--to", "pg.db"]));
    assert_fails_with(&out, &["SQLite", "pg_dump"]);
    assert!(!dir.path("pg.db").exists());
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

use accounts::password_works;

#[path = "cli/accounts.rs"]
mod accounts;
#[path = "cli/audit.rs"]
mod audit;
#[path = "cli/audit_ends.rs"]
mod audit_ends;
#[path = "cli/export.rs"]
mod export;
#[path = "cli/generate.rs"]
mod generate;
#[path = "cli/grades.rs"]
mod grades;
#[path = "cli/settings.rs"]
mod settings;
#[path = "cli/supervise.rs"]
mod supervise;
