//! Configuration layering, lowest to highest:
//! built-in defaults < `shuniu.toml` < `SHUNIU_*` environment < command-line flags.
//!
//! Each source is read into a [`Layer`] (every setting optional); [`resolve`] stacks
//! them. The file is `shuniu.toml` in the working directory if it exists, or the file
//! named by `--config` / `SHUNIU_CONFIG`, which then must exist.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use shuniu_domain::complaints::ComplaintSettings;
use shuniu_domain::credibility;
use shuniu_domain::parks::BookingRules;
use shuniu_domain::requests::TimeLimits;
use shuniu_domain::supervision::annual::AnnualSettings;
use shuniu_domain::supervision::credit::CreditSettings;
use shuniu_domain::supervision::tables::{IndicatorTables, TablesFile};

pub const DEFAULT_DB: &str = "sqlite://shuniu.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_LOG: &str = "info";
pub const DEFAULT_CONFIG_FILE: &str = "shuniu.toml";
pub const DEFAULT_AUDIT_KEY_FILE: &str = "shuniu-audit.key";
/// Audit records are kept at least this long (等保 2.0: 180 days); a lower setting is refused.
pub const MIN_AUDIT_RETENTION_DAYS: u32 = 180;
/// The password policy's floor; a setting may raise the minimum length, never lower it.
pub const MIN_PASSWORD_LENGTH: u32 = 8;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

impl LogFormat {
    fn parse(s: &str) -> Option<LogFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" => Some(LogFormat::Text),
            "json" => Some(LogFormat::Json),
            _ => None,
        }
    }
}

/// What one source says; `None` leaves the setting to the layers below.
/// The same keys are the keys of `shuniu.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Database URL: `sqlite://FILE` or `postgres://USER@HOST/DB`.
    pub db: Option<String>,
    /// Address the server listens on.
    pub bind: Option<String>,
    /// Log filter (`tracing_subscriber::EnvFilter` syntax).
    pub log: Option<String>,
    pub log_format: Option<LogFormat>,
    /// The HMAC key of the audit chain (created by `serve`, `migrate` and `demo` if missing).
    pub audit_key_file: Option<PathBuf>,
    /// Failed logins in a row that lock an account.
    pub lockout_failures: Option<u32>,
    /// How long a locked account stays locked.
    pub lockout_minutes: Option<u32>,
    /// A session ends after this long without a request.
    pub session_idle_minutes: Option<u32>,
    /// A session ends this long after login, whatever its use.
    pub session_absolute_hours: Option<u32>,
    pub password_min_length: Option<u32>,
    /// Mark session cookies `Secure` (set true behind TLS).
    pub secure_cookies: Option<bool>,
    /// `audit purge` removes records older than this (at least 180).
    pub audit_retention_days: Option<u32>,
    /// Failed sign-ins from one source address per window, past which it gets 429.
    pub login_failures_per_source: Option<u32>,
    /// Failed sign-ins for one account name (known or not) per window, past which it gets 429.
    pub login_failures_per_name: Option<u32>,
    /// The window of those limits, in minutes.
    pub login_limit_window_minutes: Option<u32>,
    /// How long a sign-in waits for its turn to hash a password before 503.
    pub hash_wait_seconds: Option<u32>,
    /// Rooms open at this local hour (0–23).
    pub booking_opens_at_hour: Option<u32>,
    /// Rooms close at this local hour (1–24, after the opening hour).
    pub booking_closes_at_hour: Option<u32>,
    /// How many days ahead a room may be booked.
    pub booking_horizon_days: Option<u32>,
    /// Longest single booking, in hours.
    pub booking_max_hours: Option<u32>,
    /// Month of the annual-report deadline (the year after the one reported on).
    pub annual_report_due_month: Option<u32>,
    /// Day of that month.
    pub annual_report_due_day: Option<u32>,
    /// The first report year the daily supervision job enforces.
    pub supervise_from_year: Option<u32>,
    /// Run the daily job when `serve` starts (if the database has annual reports).
    pub supervise_on_start: Option<bool>,
    /// A TOML file of assessment indicator tables (`[[table]]` entries by kind and
    /// authority prefix); none: the built-in tables.
    pub assessment_tables: Option<PathBuf>,
    /// Working days an organization has to give a complaint its first response (else
    /// it is escalated to the street).
    pub complaint_response_working_days: Option<u32>,
    /// Hours a resident's request may wait for the street hub's dispatcher, for the
    /// assigned organization's answer, and for the service once accepted; past them
    /// the request is flagged overdue.
    pub request_assign_hours: Option<u32>,
    pub request_accept_hours: Option<u32>,
    pub request_complete_hours: Option<u32>,
    /// The credibility score's weights, in percent, in the order of its parts:
    /// registration, annual reports, grade, credit lists, ratings, complaints,
    /// disclosure, obligations; eight numbers adding up to 100. In the environment,
    /// comma-separated (`SHUNIU_CREDIBILITY_WEIGHTS=10,20,15,20,15,10,5,5`).
    pub credibility_weights: Option<Vec<u32>>,
    /// Resident ratings count in the score only from this many on.
    pub credibility_min_ratings: Option<u32>,
    /// Where the search index lives (default: beside a SQLite file, `FILE.search`; for
    /// PostgreSQL `shuniu-search` in the working directory).
    pub search_dir: Option<PathBuf>,
}

/// The keys of `shuniu.toml`, for error messages.
const KNOWN_KEYS: &str = "db, bind, log, log_format, audit_key_file, lockout_failures, lockout_minutes, \
    session_idle_minutes, session_absolute_hours, password_min_length, secure_cookies, audit_retention_days, \
    login_failures_per_source, login_failures_per_name, login_limit_window_minutes, hash_wait_seconds, \
    booking_opens_at_hour, booking_closes_at_hour, booking_horizon_days, booking_max_hours, \
    annual_report_due_month, annual_report_due_day, supervise_from_year, supervise_on_start, \
    assessment_tables, complaint_response_working_days, credibility_weights, credibility_min_ratings, \
    search_dir, request_assign_hours, request_accept_hours, request_complete_hours";

fn parse_number(name: &str, v: &str) -> Result<u32, ConfigError> {
    v.trim().parse().map_err(|_| {
        ConfigError(format!(
            "{name}={v:?} is not a whole number of the expected range"
        ))
    })
}

fn parse_bool(name: &str, v: &str) -> Result<bool, ConfigError> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(ConfigError(format!(
            "{name}={v:?} is not a boolean (expected true or false)"
        ))),
    }
}

impl Layer {
    /// `self` where it has a value, `lower` elsewhere.
    pub fn over(self, lower: Layer) -> Layer {
        Layer {
            db: self.db.or(lower.db),
            bind: self.bind.or(lower.bind),
            log: self.log.or(lower.log),
            log_format: self.log_format.or(lower.log_format),
            audit_key_file: self.audit_key_file.or(lower.audit_key_file),
            search_dir: self.search_dir.or(lower.search_dir),
            lockout_failures: self.lockout_failures.or(lower.lockout_failures),
            lockout_minutes: self.lockout_minutes.or(lower.lockout_minutes),
            session_idle_minutes: self.session_idle_minutes.or(lower.session_idle_minutes),
            session_absolute_hours: self.session_absolute_hours.or(lower.session_absolute_hours),
            password_min_length: self.password_min_length.or(lower.password_min_length),
            secure_cookies: self.secure_cookies.or(lower.secure_cookies),
            audit_retention_days: self.audit_retention_days.or(lower.audit_retention_days),
            login_failures_per_source: self
                .login_failures_per_source
                .or(lower.login_failures_per_source),
            login_failures_per_name: self
                .login_failures_per_name
                .or(lower.login_failures_per_name),
            login_limit_window_minutes: self
                .login_limit_window_minutes
                .or(lower.login_limit_window_minutes),
            hash_wait_seconds: self.hash_wait_seconds.or(lower.hash_wait_seconds),
            booking_opens_at_hour: self.booking_opens_at_hour.or(lower.booking_opens_at_hour),
            booking_closes_at_hour: self.booking_closes_at_hour.or(lower.booking_closes_at_hour),
            booking_horizon_days: self.booking_horizon_days.or(lower.booking_horizon_days),
            booking_max_hours: self.booking_max_hours.or(lower.booking_max_hours),
            annual_report_due_month: self
                .annual_report_due_month
                .or(lower.annual_report_due_month),
            annual_report_due_day: self.annual_report_due_day.or(lower.annual_report_due_day),
            supervise_from_year: self.supervise_from_year.or(lower.supervise_from_year),
            supervise_on_start: self.supervise_on_start.or(lower.supervise_on_start),
            assessment_tables: self.assessment_tables.or(lower.assessment_tables),
            complaint_response_working_days: self
                .complaint_response_working_days
                .or(lower.complaint_response_working_days),
            request_assign_hours: self.request_assign_hours.or(lower.request_assign_hours),
            request_accept_hours: self.request_accept_hours.or(lower.request_accept_hours),
            request_complete_hours: self.request_complete_hours.or(lower.request_complete_hours),
            credibility_weights: self.credibility_weights.or(lower.credibility_weights),
            credibility_min_ratings: self
                .credibility_min_ratings
                .or(lower.credibility_min_ratings),
        }
    }

    /// The environment layer: `SHUNIU_DB`, `SHUNIU_BIND`, `SHUNIU_LOG` (else `RUST_LOG`),
    /// `SHUNIU_LOG_FORMAT`, and `SHUNIU_` + the upper-cased key for the others
    /// (`SHUNIU_AUDIT_KEY_FILE`, `SHUNIU_LOCKOUT_FAILURES`, …). Empty variables count as unset.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Layer, ConfigError> {
        let get = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let log_format = match get("SHUNIU_LOG_FORMAT") {
            None => None,
            Some(v) => Some(LogFormat::parse(&v).ok_or_else(|| {
                ConfigError(format!(
                    "SHUNIU_LOG_FORMAT={v:?} is not a log format (expected text or json)"
                ))
            })?),
        };
        let number = |name: &str| get(name).map(|v| parse_number(name, &v)).transpose();
        Ok(Layer {
            db: get("SHUNIU_DB"),
            bind: get("SHUNIU_BIND"),
            log: get("SHUNIU_LOG").or_else(|| get("RUST_LOG")),
            log_format,
            audit_key_file: get("SHUNIU_AUDIT_KEY_FILE").map(PathBuf::from),
            search_dir: get("SHUNIU_SEARCH_DIR").map(PathBuf::from),
            lockout_failures: number("SHUNIU_LOCKOUT_FAILURES")?,
            lockout_minutes: number("SHUNIU_LOCKOUT_MINUTES")?,
            session_idle_minutes: number("SHUNIU_SESSION_IDLE_MINUTES")?,
            session_absolute_hours: number("SHUNIU_SESSION_ABSOLUTE_HOURS")?,
            password_min_length: number("SHUNIU_PASSWORD_MIN_LENGTH")?,
            secure_cookies: get("SHUNIU_SECURE_COOKIES")
                .map(|v| parse_bool("SHUNIU_SECURE_COOKIES", &v))
                .transpose()?,
            audit_retention_days: number("SHUNIU_AUDIT_RETENTION_DAYS")?,
            login_failures_per_source: number("SHUNIU_LOGIN_FAILURES_PER_SOURCE")?,
            login_failures_per_name: number("SHUNIU_LOGIN_FAILURES_PER_NAME")?,
            login_limit_window_minutes: number("SHUNIU_LOGIN_LIMIT_WINDOW_MINUTES")?,
            hash_wait_seconds: number("SHUNIU_HASH_WAIT_SECONDS")?,
            booking_opens_at_hour: number("SHUNIU_BOOKING_OPENS_AT_HOUR")?,
            booking_closes_at_hour: number("SHUNIU_BOOKING_CLOSES_AT_HOUR")?,
            booking_horizon_days: number("SHUNIU_BOOKING_HORIZON_DAYS")?,
            booking_max_hours: number("SHUNIU_BOOKING_MAX_HOURS")?,
            annual_report_due_month: number("SHUNIU_ANNUAL_REPORT_DUE_MONTH")?,
            annual_report_due_day: number("SHUNIU_ANNUAL_REPORT_DUE_DAY")?,
            supervise_from_year: number("SHUNIU_SUPERVISE_FROM_YEAR")?,
            supervise_on_start: get("SHUNIU_SUPERVISE_ON_START")
                .map(|v| parse_bool("SHUNIU_SUPERVISE_ON_START", &v))
                .transpose()?,
            assessment_tables: get("SHUNIU_ASSESSMENT_TABLES").map(PathBuf::from),
            complaint_response_working_days: number("SHUNIU_COMPLAINT_RESPONSE_WORKING_DAYS")?,
            request_assign_hours: number("SHUNIU_REQUEST_ASSIGN_HOURS")?,
            request_accept_hours: number("SHUNIU_REQUEST_ACCEPT_HOURS")?,
            request_complete_hours: number("SHUNIU_REQUEST_COMPLETE_HOURS")?,
            credibility_weights: get("SHUNIU_CREDIBILITY_WEIGHTS")
                .map(|v| {
                    v.split(',')
                        .map(|w| parse_number("SHUNIU_CREDIBILITY_WEIGHTS", w))
                        .collect::<Result<Vec<u32>, _>>()
                })
                .transpose()?,
            credibility_min_ratings: number("SHUNIU_CREDIBILITY_MIN_RATINGS")?,
        })
    }

    /// Parses the text of a configuration file; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &Path) -> Result<Layer, ConfigError> {
        toml::from_str(text).map_err(|e| {
            ConfigError(format!(
                "{}: {} (known keys: {KNOWN_KEYS})",
                origin.display(),
                e.message()
            ))
        })
    }

    /// Reads the file layer: `explicit` (from `--config` / `SHUNIU_CONFIG`) must exist;
    /// without it, `shuniu.toml` in the working directory is read if present.
    pub fn from_file(explicit: Option<&Path>) -> Result<(Layer, Option<PathBuf>), ConfigError> {
        let (path, required) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from(DEFAULT_CONFIG_FILE), false),
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok((Layer::from_toml(&text, &path)?, Some(path))),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                Ok((Layer::default(), None))
            }
            Err(e) => Err(ConfigError(format!(
                "cannot read the configuration file {}: {e}",
                path.display()
            ))),
        }
    }
}

/// The settings in force, every one decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub db: String,
    pub bind: String,
    pub log: String,
    pub log_format: LogFormat,
    pub audit_key_file: PathBuf,
    /// The search index's directory, when set (`search_dir`); see `main::search_dir`.
    pub search_dir: Option<PathBuf>,
    pub security: Security,
    /// Room-booking rules. The slot size is not a setting: it stays
    /// [`BOOKING_SLOT_MINUTES`], see [`booking_rules`].
    pub booking: BookingRules,
    /// The supervision job's settings (`shuniu supervise`).
    pub supervision: Supervision,
}

/// What the daily supervision job (`shuniu supervise`) enforces, and the assessment
/// indicator tables the authorities score by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supervision {
    pub annual: AnnualSettings,
    /// Reports on years before this one are not judged (they predate the system's records).
    pub from_year: i32,
    pub on_start: bool,
    /// Read from the `assessment_tables` file, every table checked; empty without one.
    pub assessment_tables: IndicatorTables,
    /// Residents' complaints: the first-response limit in working days.
    pub complaints: ComplaintSettings,
    /// Residents' requests: the hours each step may take before it is overdue.
    pub requests: TimeLimits,
    /// The credibility score's weights and minimum number of ratings
    /// (`credibility_weights`, `credibility_min_ratings`).
    pub credibility: credibility::Settings,
}

/// The first report year the job enforces by default: the first year whose reports
/// the system holds (the demo's history starts with the reports on 2023); earlier
/// years are not judged, so a database without their reports does not list everyone.
pub const DEFAULT_SUPERVISE_FROM_YEAR: u32 = 2023;

impl Default for Supervision {
    fn default() -> Self {
        Supervision {
            annual: AnnualSettings::default(),
            from_year: DEFAULT_SUPERVISE_FROM_YEAR as i32,
            on_start: true,
            assessment_tables: IndicatorTables::default(),
            complaints: ComplaintSettings::default(),
            requests: TimeLimits::default(),
            credibility: credibility::Settings::default(),
        }
    }
}

impl Supervision {
    /// The domain's credit settings with these values.
    pub fn credit_settings(&self) -> CreditSettings {
        CreditSettings {
            annual: self.annual,
            from_year: self.from_year,
            ..CreditSettings::default()
        }
    }
}

/// The supervision settings of layer `l`, each within its range; the deadline must be
/// a day every year has (29 February is refused).
fn supervision(l: &Layer) -> Result<Supervision, ConfigError> {
    let d = Supervision::default();
    let due_month = in_range(
        "annual_report_due_month",
        l.annual_report_due_month.unwrap_or(d.annual.due_month),
        1..=12,
        "",
    )?;
    let due_day = in_range(
        "annual_report_due_day",
        l.annual_report_due_day.unwrap_or(d.annual.due_day),
        1..=31,
        "",
    )?;
    if chrono::NaiveDate::from_ymd_opt(2023, due_month, due_day).is_none() {
        return Err(ConfigError(format!(
            "annual_report_due_month = {due_month}, annual_report_due_day = {due_day} is refused: \
             not a day of every year"
        )));
    }
    let from_year = in_range(
        "supervise_from_year",
        l.supervise_from_year.unwrap_or(DEFAULT_SUPERVISE_FROM_YEAR),
        2000..=2100,
        "",
    )?;
    let assessment_tables = match l.assessment_tables.as_deref() {
        Some(p) if !p.as_os_str().is_empty() => assessment_tables(p)?,
        _ => IndicatorTables::default(),
    };
    Ok(Supervision {
        annual: AnnualSettings { due_month, due_day },
        from_year: from_year as i32,
        on_start: l.supervise_on_start.unwrap_or(d.on_start),
        assessment_tables,
        complaints: ComplaintSettings {
            response_working_days: in_range(
                "complaint_response_working_days",
                l.complaint_response_working_days
                    .unwrap_or(d.complaints.response_working_days),
                1..=30,
                "",
            )?,
        },
        requests: request_limits(l)?,
        credibility: credibility_settings(l)?,
    })
}

/// The time limits of residents' requests in layer `l`: each 1 hour to 30 days.
fn request_limits(l: &Layer) -> Result<TimeLimits, ConfigError> {
    let d = TimeLimits::default();
    let hours = |name: &str, v: Option<u32>, default: u32| {
        in_range(
            name,
            v.unwrap_or(default),
            1..=720,
            " (hours, at most 30 days)",
        )
    };
    Ok(TimeLimits {
        assign_hours: hours(
            "request_assign_hours",
            l.request_assign_hours,
            d.assign_hours,
        )?,
        accept_hours: hours(
            "request_accept_hours",
            l.request_accept_hours,
            d.accept_hours,
        )?,
        complete_hours: hours(
            "request_complete_hours",
            l.request_complete_hours,
            d.complete_hours,
        )?,
    })
}

/// The credibility settings of layer `l`: eight weights, each at most 100, adding up
/// to 100 (the domain's rule, `Weights::new`), and the minimum number of ratings.
fn credibility_settings(l: &Layer) -> Result<credibility::Settings, ConfigError> {
    let d = credibility::Settings::default();
    let weights = match &l.credibility_weights {
        None => d.weights,
        Some(given) => {
            let refused = |why: String| {
                ConfigError(format!(
                    "credibility_weights = {given:?} is refused: {why} (eight weights in percent, \
                     in the order registration, annual reports, grade, credit lists, ratings, \
                     complaints, disclosure, obligations, adding up to 100)"
                ))
            };
            let values: [u32; 8] = given
                .as_slice()
                .try_into()
                .map_err(|_| refused(format!("{} numbers given", given.len())))?;
            let mut small = [0u8; 8];
            for (s, v) in small.iter_mut().zip(values) {
                *s = u8::try_from(v).map_err(|_| refused(format!("{v} is over 100")))?;
            }
            credibility::Weights::new(small).map_err(|e| {
                let why: Vec<String> = e.0.values().map(|f| f.en.clone()).collect();
                refused(why.join("; "))
            })?
        }
    };
    let min_ratings = in_range(
        "credibility_min_ratings",
        l.credibility_min_ratings.unwrap_or(d.min_ratings),
        1..=1_000,
        "",
    )?;
    Ok(credibility::Settings {
        weights,
        min_ratings,
        ..d
    })
}

/// Reads and checks the indicator tables file: a file that cannot be read, is not
/// TOML of `[[table]]` entries, or holds a bad table is a configuration error naming
/// the file and the table — the server does not start to fail at the first scoring.
pub fn assessment_tables(path: &Path) -> Result<IndicatorTables, ConfigError> {
    let at = |what: String| ConfigError(format!("assessment_tables = {}: {what}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| at(format!("cannot read it: {e}")))?;
    let file: TablesFile = toml::from_str(&text).map_err(|e| at(e.message().to_string()))?;
    IndicatorTables::from_file(&file).map_err(at)
}

/// Bookings are claimed slot by slot on this fixed grid (one row per room and slot
/// start under a primary key): the no-overlap guarantee rests on every booking using
/// the same grid, so the slot size is deliberately not configurable.
pub const BOOKING_SLOT_MINUTES: u32 = 30;

/// The security settings (等保 2.0), every one decided and within its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Security {
    pub lockout_failures: u32,
    pub lockout_minutes: u32,
    pub session_idle_minutes: u32,
    pub session_absolute_hours: u32,
    pub password_min_length: u32,
    pub secure_cookies: bool,
    pub audit_retention_days: u32,
    pub login_failures_per_source: u32,
    pub login_failures_per_name: u32,
    pub login_limit_window_minutes: u32,
    pub hash_wait_seconds: u32,
}

impl Default for Security {
    fn default() -> Self {
        Security {
            lockout_failures: 5,
            lockout_minutes: 15,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            password_min_length: MIN_PASSWORD_LENGTH,
            secure_cookies: false,
            audit_retention_days: MIN_AUDIT_RETENTION_DAYS,
            login_failures_per_source: 100,
            login_failures_per_name: 20,
            login_limit_window_minutes: 15,
            hash_wait_seconds: 5,
        }
    }
}

impl Security {
    /// What the web layer is given.
    pub fn auth_settings(&self) -> shuniu_web::auth::AuthSettings {
        use chrono::Duration;
        use shuniu_domain::accounts::{LockoutPolicy, SessionPolicy};
        shuniu_web::auth::AuthSettings {
            lockout: LockoutPolicy {
                max_failures: self.lockout_failures,
                lock_for: Duration::minutes(i64::from(self.lockout_minutes)),
            },
            session: SessionPolicy {
                idle: Duration::minutes(i64::from(self.session_idle_minutes)),
                absolute: Duration::hours(i64::from(self.session_absolute_hours)),
            },
            password_min_len: self.password_min_length as usize,
            secure_cookies: self.secure_cookies,
            login_limits: shuniu_web::throttle::LoginLimits {
                per_source: self.login_failures_per_source,
                per_name: self.login_failures_per_name,
                window: std::time::Duration::from_secs(
                    60 * u64::from(self.login_limit_window_minutes),
                ),
            },
            hashing: shuniu_web::hashing::HashingSettings {
                wait: std::time::Duration::from_secs(u64::from(self.hash_wait_seconds)),
                ..Default::default()
            },
            ..shuniu_web::auth::AuthSettings::default()
        }
    }
}

/// Checks that `value` of `name` lies in `range`.
fn in_range(
    name: &str,
    value: u32,
    range: std::ops::RangeInclusive<u32>,
    why: &str,
) -> Result<u32, ConfigError> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError(format!(
            "{name} = {value} is refused: it must be between {} and {}{why}",
            range.start(),
            range.end()
        )))
    }
}

/// The booking rules of layer `l`, each within its range; opening hours must leave
/// the rooms open. The slot size is fixed at [`BOOKING_SLOT_MINUTES`].
fn booking_rules(l: &Layer) -> Result<BookingRules, ConfigError> {
    let d = BookingRules::default();
    let opens_at_hour = in_range(
        "booking_opens_at_hour",
        l.booking_opens_at_hour.unwrap_or(d.opens_at_hour),
        0..=23,
        "",
    )?;
    let closes_at_hour = in_range(
        "booking_closes_at_hour",
        l.booking_closes_at_hour.unwrap_or(d.closes_at_hour),
        1..=23,
        " (times are typed HH:MM, so the day's last end is 23:30)",
    )?;
    if closes_at_hour <= opens_at_hour {
        return Err(ConfigError(format!(
            "booking_closes_at_hour = {closes_at_hour} is refused: it must be later than \
             booking_opens_at_hour = {opens_at_hour}"
        )));
    }
    Ok(BookingRules {
        slot_minutes: BOOKING_SLOT_MINUTES,
        max_hours: in_range(
            "booking_max_hours",
            l.booking_max_hours.unwrap_or(d.max_hours),
            1..=24,
            "",
        )?,
        horizon_days: in_range(
            "booking_horizon_days",
            l.booking_horizon_days.unwrap_or(d.horizon_days),
            1..=730,
            "",
        )?,
        opens_at_hour,
        closes_at_hour,
    })
}

/// Stacks the layers: flags < environment < file < built-in defaults, first value wins;
/// a security or booking setting out of its range is an error.
pub fn resolve(flags: Layer, env: Layer, file: Layer) -> Result<Settings, ConfigError> {
    let l = flags.over(env).over(file);
    let booking = booking_rules(&l)?;
    let supervision = supervision(&l)?;
    let d = Security::default();
    let security = Security {
        lockout_failures: in_range(
            "lockout_failures",
            l.lockout_failures.unwrap_or(d.lockout_failures),
            1..=100,
            "",
        )?,
        lockout_minutes: in_range(
            "lockout_minutes",
            l.lockout_minutes.unwrap_or(d.lockout_minutes),
            1..=10_080,
            "",
        )?,
        session_idle_minutes: in_range(
            "session_idle_minutes",
            l.session_idle_minutes.unwrap_or(d.session_idle_minutes),
            1..=1_440,
            "",
        )?,
        session_absolute_hours: in_range(
            "session_absolute_hours",
            l.session_absolute_hours.unwrap_or(d.session_absolute_hours),
            1..=720,
            "",
        )?,
        password_min_length: in_range(
            "password_min_length",
            l.password_min_length.unwrap_or(d.password_min_length),
            MIN_PASSWORD_LENGTH..=128,
            " (the password policy's floor is 8)",
        )?,
        secure_cookies: l.secure_cookies.unwrap_or(d.secure_cookies),
        audit_retention_days: in_range(
            "audit_retention_days",
            l.audit_retention_days.unwrap_or(d.audit_retention_days),
            MIN_AUDIT_RETENTION_DAYS..=36_500,
            " (audit records are kept at least 180 days)",
        )?,
        login_failures_per_source: in_range(
            "login_failures_per_source",
            l.login_failures_per_source
                .unwrap_or(d.login_failures_per_source),
            1..=100_000,
            "",
        )?,
        login_failures_per_name: in_range(
            "login_failures_per_name",
            l.login_failures_per_name
                .unwrap_or(d.login_failures_per_name),
            1..=10_000,
            "",
        )?,
        login_limit_window_minutes: in_range(
            "login_limit_window_minutes",
            l.login_limit_window_minutes
                .unwrap_or(d.login_limit_window_minutes),
            1..=1_440,
            "",
        )?,
        hash_wait_seconds: in_range(
            "hash_wait_seconds",
            l.hash_wait_seconds.unwrap_or(d.hash_wait_seconds),
            1..=60,
            "",
        )?,
    };
    Ok(Settings {
        db: l.db.unwrap_or_else(|| DEFAULT_DB.to_string()),
        bind: l.bind.unwrap_or_else(|| DEFAULT_BIND.to_string()),
        log: l.log.unwrap_or_else(|| DEFAULT_LOG.to_string()),
        log_format: l.log_format.unwrap_or_default(),
        audit_key_file: l
            .audit_key_file
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from(DEFAULT_AUDIT_KEY_FILE)),
        search_dir: l.search_dir.filter(|p| !p.as_os_str().is_empty()),
        security,
        booking,
        supervision,
    })
}

/// A configuration problem, worded for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// A database URL fit for logs and messages: the password, if any, becomes `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
