//! `shuniu`: the one binary of Shuniu 枢纽 — serve the site and API, migrate the
//! database, load the demo data, back up SQLite, manage accounts and API tokens,
//! import the authority's register of grades, and verify, checkpoint or purge the
//! audit trail.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use shuniu_store::{Store, StoreError};

mod audit;
mod config;
mod export;
mod generate;
mod grades;
mod keyfile;
mod search;
mod users;

use audit::AuditCommand;
use config::{Layer, LogFormat, Settings, redact};
use export::ExportCommand;
use grades::GradesCommand;
use users::{TokenCommand, UserCommand};

#[derive(Debug, Parser)]
#[command(
    name = "shuniu",
    version,
    about = "Shuniu 枢纽: the platform of a city's hub-type social organizations (枢纽型社会组织)",
    after_help = "Settings come from built-in defaults < shuniu.toml < SHUNIU_* environment < flags."
)]
struct Cli {
    /// Configuration file [default: ./shuniu.toml if it exists]
    #[arg(long, global = true, env = "SHUNIU_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    /// Log filter, e.g. `info` or `shuniu_web=debug` [env: SHUNIU_LOG or RUST_LOG] [default: info]
    #[arg(long, global = true, value_name = "FILTER")]
    log: Option<String>,

    /// Log format [env: SHUNIU_LOG_FORMAT] [default: text]
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    log_format: Option<LogFormat>,

    /// HMAC key of the audit chain; serve, migrate and demo create it if missing
    /// [env: SHUNIU_AUDIT_KEY_FILE] [default: ./shuniu-audit.key]
    #[arg(long, global = true, value_name = "FILE")]
    audit_key_file: Option<PathBuf>,

    #[command(flatten)]
    security: SecurityFlags,

    #[command(subcommand)]
    command: Command,
}

/// The security settings as flags; each also has a `SHUNIU_…` variable and a
/// `shuniu.toml` key of the same name.
#[derive(Debug, Args)]
#[command(next_help_heading = "Security settings")]
struct SecurityFlags {
    /// Failed sign-ins from one source address per window, past which it gets 429 [env: SHUNIU_LOGIN_FAILURES_PER_SOURCE] [default: 100]
    #[arg(long, global = true, value_name = "N")]
    login_failures_per_source: Option<u32>,
    /// Failed sign-ins for one account name (known or not) per window, past which it gets 429 [env: SHUNIU_LOGIN_FAILURES_PER_NAME] [default: 20]
    #[arg(long, global = true, value_name = "N")]
    login_failures_per_name: Option<u32>,
    /// The window of those limits, in minutes [env: SHUNIU_LOGIN_LIMIT_WINDOW_MINUTES] [default: 15]
    #[arg(long, global = true, value_name = "MIN")]
    login_limit_window_minutes: Option<u32>,
    /// How long a sign-in waits for its turn to hash a password before 503 [env: SHUNIU_HASH_WAIT_SECONDS] [default: 5]
    #[arg(long, global = true, value_name = "SECS")]
    hash_wait_seconds: Option<u32>,
    /// Failed logins in a row that lock an account [env: SHUNIU_LOCKOUT_FAILURES] [default: 5]
    #[arg(long, global = true, value_name = "N")]
    lockout_failures: Option<u32>,
    /// Minutes a locked account stays locked [env: SHUNIU_LOCKOUT_MINUTES] [default: 15]
    #[arg(long, global = true, value_name = "MIN")]
    lockout_minutes: Option<u32>,
    /// Idle minutes that end a session [env: SHUNIU_SESSION_IDLE_MINUTES] [default: 30]
    #[arg(long, global = true, value_name = "MIN")]
    session_idle_minutes: Option<u32>,
    /// Hours after login that end a session [env: SHUNIU_SESSION_ABSOLUTE_HOURS] [default: 12]
    #[arg(long, global = true, value_name = "H")]
    session_absolute_hours: Option<u32>,
    /// Minimum password length, 8 or more [env: SHUNIU_PASSWORD_MIN_LENGTH] [default: 8]
    #[arg(long, global = true, value_name = "N")]
    password_min_length: Option<u32>,
    /// Mark session cookies Secure: set true behind TLS [env: SHUNIU_SECURE_COOKIES] [default: false]
    #[arg(long, global = true, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    secure_cookies: Option<bool>,
    /// Days audit records are kept, 180 or more [env: SHUNIU_AUDIT_RETENTION_DAYS] [default: 180]
    #[arg(long, global = true, value_name = "DAYS")]
    audit_retention_days: Option<u32>,
}

/// The room-booking rules as flags of `serve`; each also has a `SHUNIU_…` variable and
/// a `shuniu.toml` key of the same name. Bookings are claimed on a fixed 30-minute
/// grid, which is what keeps them from overlapping: the slot size is not a setting.
#[derive(Debug, Args)]
#[command(next_help_heading = "Booking settings")]
struct BookingFlags {
    /// Local hour rooms open, 0–23 [env: SHUNIU_BOOKING_OPENS_AT_HOUR] [default: 8]
    #[arg(long, value_name = "H")]
    booking_opens_at_hour: Option<u32>,
    /// Local hour rooms close, 1–24, after opening [env: SHUNIU_BOOKING_CLOSES_AT_HOUR] [default: 21]
    #[arg(long, value_name = "H")]
    booking_closes_at_hour: Option<u32>,
    /// Days ahead a room may be booked, 1–730 [env: SHUNIU_BOOKING_HORIZON_DAYS] [default: 90]
    #[arg(long, value_name = "DAYS")]
    booking_horizon_days: Option<u32>,
    /// Longest single booking in hours, 1–24 [env: SHUNIU_BOOKING_MAX_HOURS] [default: 8]
    #[arg(long, value_name = "H")]
    booking_max_hours: Option<u32>,
}

#[derive(Debug, Args)]
pub(crate) struct DbArg {
    /// Database URL: sqlite://FILE or postgres://USER@HOST/DB [env: SHUNIU_DB] [default: sqlite://shuniu.db]
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web site and the API (migrations are applied at start)
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Address to listen on [env: SHUNIU_BIND] [default: 127.0.0.1:8080]
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
        /// Load the demo data (Xuanwu district, 玄武区) if the database has no organizations
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        booking: BookingFlags,
    },
    /// Apply the database migrations
    Migrate {
        #[command(flatten)]
        db: DbArg,
        /// Revert every migration instead, dropping all data (for development)
        #[arg(long)]
        down: bool,
    },
    /// Load the demo data into a database that has no organizations yet
    Demo {
        #[command(flatten)]
        db: DbArg,
    },
    /// Generate a province-scale data set (organizations, hubs, memberships) into an
    /// empty registry through the ordinary audited writes, in batches
    Generate {
        #[command(flatten)]
        db: DbArg,
        /// How many organizations (at least 165)
        #[arg(long, value_name = "N")]
        orgs: u64,
        /// The seed: the same seed gives the same data set
        #[arg(long, value_name = "S", default_value_t = 2012)]
        seed: u64,
        /// Organizations per transaction (1–100000)
        #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
        batch: u64,
    },
    /// Run the daily supervision job for today (Asia/Shanghai): credit-list listings and
    /// removals, grades past their five years, and residents' complaints unanswered past
    /// their limit escalated to the street. Idempotent.
    Supervise {
        #[command(flatten)]
        db: DbArg,
    },
    /// Write a consistent copy of a SQLite database (VACUUM INTO)
    Backup {
        #[command(flatten)]
        db: DbArg,
        /// The new file to write; it must not exist yet
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Manage accounts: add, passwd, disable, enable, list
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens: create, list, revoke
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the audit trail's integrity, take a checkpoint, or purge records past retention
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Import grades from the registration authority's existing register (CSV)
    #[command(subcommand)]
    Grades(GradesCommand),
    /// Export open data: the service directory as HSDS 3.0 files
    #[command(subcommand)]
    Export(ExportCommand),
    /// Rebuild the search index from the database (`search_dir`, or FILE.search beside
    /// a SQLite file); run it with the server stopped
    Reindex {
        #[command(flatten)]
        db: DbArg,
    },
}

impl Cli {
    /// The flags layer of the configuration.
    fn flags(&self) -> Layer {
        let (db, bind, booking) = match &self.command {
            Command::Serve {
                db, bind, booking, ..
            } => (db.db.clone(), bind.clone(), Some(booking)),
            Command::Migrate { db, .. }
            | Command::Demo { db }
            | Command::Generate { db, .. }
            | Command::Reindex { db }
            | Command::Supervise { db }
            | Command::Backup { db, .. } => (db.db.clone(), None, None),
            Command::User(c) => (c.db().db.clone(), None, None),
            Command::Token(c) => (c.db().db.clone(), None, None),
            Command::Audit(c) => (c.db().db.clone(), None, None),
            Command::Grades(c) => (c.db().db.clone(), None, None),
            Command::Export(c) => (c.db().db.clone(), None, None),
        };
        let s = &self.security;
        Layer {
            db,
            bind,
            log: self.log.clone(),
            log_format: self.log_format,
            audit_key_file: self.audit_key_file.clone(),
            lockout_failures: s.lockout_failures,
            lockout_minutes: s.lockout_minutes,
            session_idle_minutes: s.session_idle_minutes,
            session_absolute_hours: s.session_absolute_hours,
            password_min_length: s.password_min_length,
            secure_cookies: s.secure_cookies,
            audit_retention_days: s.audit_retention_days,
            login_failures_per_source: s.login_failures_per_source,
            login_failures_per_name: s.login_failures_per_name,
            login_limit_window_minutes: s.login_limit_window_minutes,
            hash_wait_seconds: s.hash_wait_seconds,
            booking_opens_at_hour: booking.and_then(|b| b.booking_opens_at_hour),
            booking_closes_at_hour: booking.and_then(|b| b.booking_closes_at_hour),
            booking_horizon_days: booking.and_then(|b| b.booking_horizon_days),
            booking_max_hours: booking.and_then(|b| b.booking_max_hours),
            ..Layer::default()
        }
    }
}

/// A failure worded for the user; the process exits with `code` (1 unless said).
#[derive(Debug)]
pub(crate) struct Failure {
    pub msg: String,
    pub code: u8,
}

impl Failure {
    pub fn new(msg: impl Into<String>) -> Failure {
        Failure {
            msg: msg.into(),
            code: 1,
        }
    }
}

pub(crate) type Outcome<T = ()> = Result<T, Failure>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (settings, config_file) = match settings(&cli) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = init_logging(&settings) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    if let Some(file) = &config_file {
        tracing::debug!(file = %file.display(), "configuration file read");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { msg, code }) => {
            eprintln!("error: {msg}");
            ExitCode::from(code)
        }
    }
}

/// The settings in force, and the configuration file they came from, if any.
fn settings(cli: &Cli) -> Result<(Settings, Option<PathBuf>), config::ConfigError> {
    let config_path = cli.config.as_deref().filter(|p| !p.as_os_str().is_empty());
    let (file, path) = Layer::from_file(config_path)?;
    let env = Layer::from_env(|name| std::env::var(name).ok())?;
    Ok((config::resolve(cli.flags(), env, file)?, path))
}

/// Logs go to stderr, so that what a command prints on stdout stays clean.
fn init_logging(s: &Settings) -> Result<(), String> {
    let filter = tracing_subscriber::EnvFilter::try_new(&s.log)
        .map_err(|e| format!("invalid log filter {:?}: {e}", s.log))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match s.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    }
    .map_err(|e| format!("cannot set up logging: {e}"))
}

async fn run(command: Command, settings: Settings) -> Outcome {
    match command {
        Command::Serve { demo, .. } => serve(&settings, demo).await,
        Command::Migrate { down: false, .. } => {
            let store = open_keyed(&settings, Key::CreateIfMissing).await?;
            migrate(&store).await?;
            println!(
                "Migrations applied ({}): {}",
                store.backend_name(),
                redact(&settings.db)
            );
            store.close().await;
            Ok(())
        }
        Command::Migrate { down: true, .. } => {
            let store = open_keyed(&settings, Key::CreateIfMissing).await?;
            tracing::warn!(db = %redact(&settings.db), "reverting every migration");
            store
                .migrate_down_all()
                .await
                .map_err(|e| Failure::new(format!("cannot revert the migrations: {e}")))?;
            println!("Every migration reverted: {}", redact(&settings.db));
            store.close().await;
            Ok(())
        }
        Command::Demo { .. } => {
            let store = open_keyed(&settings, Key::CreateIfMissing).await?;
            migrate(&store).await?;
            let loaded = load_demo(&store).await?;
            println!("{loaded}");
            let min_len = settings.security.password_min_length as usize;
            users::create_demo_accounts(&store, min_len).await?;
            let index = search::open_index(&settings)?;
            let done = search::reindex(&store, &index).await;
            store.close().await;
            println!("{}", done?);
            Ok(())
        }
        Command::Generate {
            orgs, seed, batch, ..
        } => generate::command(&settings, orgs, seed, batch as usize).await,
        // Reads the database only: no audit key needed.
        Command::Reindex { .. } => {
            let store = open(&settings).await?;
            let index = search::open_index(&settings)?;
            let done = search::reindex(&store, &index).await;
            store.close().await;
            println!("{}", done?);
            Ok(())
        }
        Command::Supervise { .. } => {
            let store = open_keyed(&settings, Key::Required).await?;
            let done = supervise(&store, &settings)
                .await
                .map(|line| println!("{line}"));
            store.close().await;
            done
        }
        Command::Backup { to, .. } => backup(&settings, &to).await,
        Command::User(c) => {
            let store = open_keyed(&settings, Key::Required).await?;
            let min_len = settings.security.password_min_length as usize;
            let done = users::user(&store, c, min_len).await;
            store.close().await;
            done
        }
        Command::Token(c) => {
            let store = open_keyed(&settings, Key::Required).await?;
            let done = users::token(&store, c).await;
            store.close().await;
            done
        }
        Command::Audit(c) => {
            let store = open_keyed(&settings, Key::Required).await?;
            let done = match c {
                AuditCommand::Verify {
                    since_checkpoint, ..
                } => audit::verify(&store, since_checkpoint.as_deref()).await,
                AuditCommand::Checkpoint { .. } => audit::checkpoint(&store).await,
                AuditCommand::Purge { .. } => {
                    audit::purge(&store, settings.security.audit_retention_days).await
                }
            };
            store.close().await;
            done
        }
        Command::Grades(c) => {
            let store = open_keyed(&settings, Key::Required).await?;
            let done = grades::run(&store, c, &trust_settings(&settings)).await;
            store.close().await;
            done
        }
        // Reads only: no audit key needed.
        Command::Export(c) => {
            let store = open(&settings).await?;
            let done = export::run(&store, c).await;
            store.close().await;
            done
        }
    }
}

/// Whether a command may create a missing audit key file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// `serve`, `migrate`, `demo`: the commands that set a database up.
    CreateIfMissing,
    /// Every other command: a missing key is an error (a new key could not verify
    /// the chain written with the old one).
    Required,
}

/// The audit key of `settings`, read (or created) before the database is touched.
fn audit_key(settings: &Settings, mode: Key) -> Outcome<Vec<u8>> {
    let path = &settings.audit_key_file;
    match mode {
        Key::CreateIfMissing => {
            let (key, created) =
                keyfile::read_or_create(path).map_err(|e| Failure::new(e.0))?;
            if created {
                tracing::warn!(
                    file = %path.display(),
                    "audit key file created (mode 0600): back it up — without it `shuniu audit verify` cannot prove the audit trail's integrity"
                );
            }
            Ok(key)
        }
        Key::Required => keyfile::read(path)
            .map_err(|e| Failure::new(e.0))?
            .ok_or_else(|| {
                Failure::new(format!(
                    "the audit key file {} does not exist: set --audit-key-file / SHUNIU_AUDIT_KEY_FILE to the key \
                     this database's audit trail was written with (restore it from backup), or run `shuniu migrate` \
                     to create a key for a new database; without the key the audit chain cannot be verified or extended",
                    path.display()
                ))
            }),
    }
}

/// Opens the store with the audit key: every write it makes is chained with it.
async fn open_keyed(settings: &Settings, mode: Key) -> Outcome<Store> {
    let key = audit_key(settings, mode)?;
    Ok(open(settings).await?.with_audit_key(&key))
}

async fn open(settings: &Settings) -> Outcome<Store> {
    open_tuned(settings, shuniu_store::Tuning::Serve).await
}

async fn open_tuned(settings: &Settings, tuning: shuniu_store::Tuning) -> Outcome<Store> {
    let shown = redact(&settings.db);
    tracing::debug!(db = %shown, "connecting");
    Store::connect_tuned(&settings.db, tuning)
        .await
        .map_err(|e| match e {
            // The message may quote the URL: never its password.
            StoreError::Url(why) if why.contains(&settings.db) => Failure::new(format!(
                "bad database URL: {}",
                why.replace(&settings.db, &shown)
            )),
            StoreError::Url(why) => Failure::new(format!("bad database URL {shown}: {why}")),
            _ => {
                let hint = if shown.starts_with("postgres") {
                    " (is the server running, and are the host, port, user and database right?)"
                } else {
                    " (does its directory exist, and may this user write there?)"
                };
                Failure::new(format!("cannot connect to the database {shown}: {e}{hint}"))
            }
        })
}

async fn migrate(store: &Store) -> Outcome {
    store
        .migrate()
        .await
        .map_err(|e| Failure::new(format!("cannot apply the migrations: {e}")))?;
    tracing::info!(backend = store.backend_name(), "migrations applied");
    Ok(())
}

/// Loads the demo data unless the database already has organizations (the demo crate
/// logs which); returns a sentence for the user.
async fn load_demo(store: &Store) -> Outcome<String> {
    let summary = shuniu_demo::load(store, shuniu_web::today())
        .await
        .map_err(|e| Failure::new(format!("cannot load the demo data: {e}")))?;
    Ok(if summary.loaded {
        let h = &summary.structure;
        format!(
            "Demo data loaded: {} organizations, {} staff; {} regional and {} industry hubs \
             with {} active memberships, {} venues with {} bookings, {} party-building instructors; \
             {} annual reports ({} late, {} due and never filed); {} resident requests ({} rated), \
             {} complaints ({} escalated); credibility {} high, {} fair, {} low.",
            summary.organizations,
            summary.staff,
            h.regional_hubs,
            h.industry_hubs,
            h.memberships,
            h.venues,
            h.bookings,
            h.instructors,
            summary.reports.filed,
            summary.reports.late,
            summary.reports.missing,
            summary.residents.requests,
            summary.residents.rated,
            summary.residents.complaints,
            summary.residents.escalated,
            summary.credibility.high,
            summary.credibility.fair,
            summary.credibility.low
        )
    } else {
        "The database already has organizations: demo data not loaded.".to_string()
    })
}

/// The daily supervision job for today (Asia/Shanghai); returns what it did, for the user.
async fn supervise(store: &Store, settings: &Settings) -> Outcome<String> {
    let today = shuniu_web::today();
    let report = store
        .run_supervise(
            today,
            &settings.supervision.credit_settings(),
            shuniu_store::WriteCtx::system("shuniu supervise"),
        )
        .await
        .map_err(|e| Failure::new(format!("the supervision job failed: {e}")))?;
    // Listings, removals and expired grades change the credibility scores: recompute
    // every organization's, in chunks.
    let scored = store
        .refresh_all_credibility(&trust_settings(settings), today)
        .await
        .map_err(|e| Failure::new(format!("the credibility refresh failed: {e}")))?;
    Ok(format!(
        "Supervision on {today} (report years from {}): {} organizations checked, {} listed, {} removed, {} grades expired, {} complaints escalated, {} credibility scores computed.",
        settings.supervision.from_year,
        report.organizations,
        report.listed,
        report.removed,
        report.grades_expired,
        report.complaints_escalated,
        scored
    ))
}

/// What a credibility refresh follows, from the settings.
fn trust_settings(settings: &Settings) -> shuniu_store::trust::TrustSettings {
    shuniu_store::trust::TrustSettings {
        score: settings.supervision.credibility,
        credit: settings.supervision.credit_settings(),
    }
}

async fn serve(settings: &Settings, demo: bool) -> Outcome {
    let store = open_keyed(settings, Key::CreateIfMissing).await?;
    migrate(&store).await?;
    // Bind before loading anything, so that a taken port fails at once.
    let listener = tokio::net::TcpListener::bind(&settings.bind)
        .await
        .map_err(|e| Failure::new(format!("cannot listen on {}: {e}", settings.bind)))?;
    if demo {
        load_demo(&store).await?;
        let min_len = settings.security.password_min_length as usize;
        users::create_demo_accounts(&store, min_len).await?;
    }
    let search = search::index_for_serving(&store, settings, demo).await?;
    if settings.supervision.on_start {
        let has_history = store
            .has_annual_reports()
            .await
            .map_err(|e| Failure::new(format!("cannot read the annual reports: {e}")))?;
        if has_history {
            let line = supervise(&store, settings).await?;
            tracing::info!("{line}");
        } else {
            tracing::info!("no annual reports yet: the supervision job did not run at start");
        }
    }
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(url = %format!("http://{addr}"), db = %redact(&settings.db), "Shuniu is up");
    }
    let b = settings.booking;
    tracing::info!(
        opens_at_hour = b.opens_at_hour,
        closes_at_hour = b.closes_at_hour,
        horizon_days = b.horizon_days,
        max_hours = b.max_hours,
        slot_minutes = b.slot_minutes,
        "room-booking rules"
    );
    tracing::info!(
        tables_set = settings.supervision.assessment_tables.entries().len(),
        "assessment indicator tables"
    );
    let served = tokio::select! {
        r = shuniu_web::serve_state(listener, {
            let mut state = shuniu_web::AppState::new(
                store.clone(),
                settings.security.auth_settings(),
                settings.booking,
            );
            state.supervision = settings.supervision.credit_settings();
            state.complaints = settings.supervision.complaints;
            state.requests = settings.supervision.requests;
            state.credibility = settings.supervision.credibility;
            state.assessment_tables =
                std::sync::Arc::new(settings.supervision.assessment_tables.clone());
            state.search = search;
            state
        }) => r,
        () = terminated() => {
            tracing::info!("SIGTERM received: stopping");
            Ok(())
        }
    };
    store.close().await;
    served.map_err(|e| Failure::new(format!("the server stopped: {e}")))?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGTERM (what `docker stop` and systemd send); Ctrl-C is handled by
/// `shuniu_web::serve` itself, which then drains open requests.
async fn terminated() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            term.recv().await;
            return;
        }
    }
    std::future::pending::<()>().await
}

async fn backup(settings: &Settings, to: &Path) -> Outcome {
    if to.exists() {
        return Err(Failure::new(format!(
            "{} already exists: back up to a new file",
            to.display()
        )));
    }
    if let Some(source) = sqlite_file(&settings.db) {
        // Connecting would create an empty database where none was meant.
        if !source.exists() {
            return Err(Failure::new(format!(
                "there is no SQLite database at {}",
                source.display()
            )));
        }
    }
    let store = open(settings).await?;
    let target = to.to_string_lossy();
    let result = store.backup_sqlite(&target).await;
    store.close().await;
    match result {
        Ok(()) => {
            let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
            println!(
                "Backed up {} to {} ({bytes} bytes).",
                redact(&settings.db),
                to.display()
            );
            Ok(())
        }
        Err(StoreError::State(why)) => Err(Failure::new(format!(
            "backup writes SQLite databases only: {why}"
        ))),
        Err(e) => Err(Failure::new(format!(
            "cannot write the backup to {}: {e}",
            to.display()
        ))),
    }
}

/// The file behind a `sqlite:` URL (`None` for in-memory databases and other schemes).
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn flags_layer_takes_db_and_bind_from_the_subcommand() {
        let cli = Cli::parse_from([
            "shuniu",
            "serve",
            "--db",
            "sqlite://a.db",
            "--bind",
            "0.0.0.0:1",
            "--log-format",
            "json",
        ]);
        assert_eq!(
            cli.flags(),
            Layer {
                db: Some("sqlite://a.db".into()),
                bind: Some("0.0.0.0:1".into()),
                log: None,
                log_format: Some(LogFormat::Json),
                ..Layer::default()
            }
        );
        let cli = Cli::parse_from([
            "shuniu",
            "user",
            "list",
            "--db",
            "sqlite://u.db",
            "--audit-key-file",
            "/k",
            "--lockout-failures",
            "3",
            "--secure-cookies",
        ]);
        let l = cli.flags();
        assert_eq!(l.db.as_deref(), Some("sqlite://u.db"));
        assert_eq!(l.audit_key_file, Some(PathBuf::from("/k")));
        assert_eq!(l.lockout_failures, Some(3));
        assert_eq!(l.secure_cookies, Some(true));
        let cli = Cli::parse_from(["shuniu", "--secure-cookies", "false", "audit", "verify"]);
        assert_eq!(cli.flags().secure_cookies, Some(false));
        let cli = Cli::parse_from([
            "shuniu",
            "serve",
            "--booking-opens-at-hour",
            "6",
            "--booking-closes-at-hour",
            "12",
            "--booking-horizon-days",
            "14",
            "--booking-max-hours",
            "2",
        ]);
        let l = cli.flags();
        assert_eq!(
            (
                l.booking_opens_at_hour,
                l.booking_closes_at_hour,
                l.booking_horizon_days,
                l.booking_max_hours
            ),
            (Some(6), Some(12), Some(14), Some(2))
        );
        // Booking flags belong to `serve` only.
        assert!(Cli::try_parse_from(["shuniu", "migrate", "--booking-max-hours", "2"]).is_err());
        let cli = Cli::parse_from(["shuniu", "--log", "debug", "backup", "--to", "x.db"]);
        assert_eq!(cli.flags().log.as_deref(), Some("debug"));
        assert_eq!(cli.flags().db, None);
    }

    #[test]
    fn sqlite_file_of_urls() {
        assert_eq!(
            sqlite_file("sqlite://shuniu.db"),
            Some(PathBuf::from("shuniu.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///var/lib/shuniu/s.db?mode=rwc"),
            Some(PathBuf::from("/var/lib/shuniu/s.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://u@h/db"), None);
    }
}
