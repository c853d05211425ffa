//! The command line: the global flags, the subcommands, and the layer of the
//! configuration the flags make.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::audit::AuditCommand;
use crate::config::{Layer, LogFormat};
use crate::export::ExportCommand;
use crate::grades::GradesCommand;
use crate::users::{TokenCommand, UserCommand};

#[derive(Debug, Parser)]
#[command(
    name = "shuniu",
    version,
    about = "Shuniu 枢纽: the platform of a city's hub-type social organizations (枢纽型社会组织)",
    after_help = "Settings come from built-in defaults < shuniu.toml < SHUNIU_* environment < flags."
)]
pub(crate) struct Cli {
    /// Configuration file [default: ./shuniu.toml if it exists]
    #[arg(long, global = true, env = "SHUNIU_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

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
    pub command: Command,
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
pub(crate) struct BookingFlags {
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
pub(crate) enum Command {
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
    pub fn flags(&self) -> Layer {
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
}
