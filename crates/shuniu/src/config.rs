//! Configuration layering, lowest to highest:
//! built-in defaults < `shuniu.toml` < `SHUNIU_*` environment < command-line flags.
//!
//! Each source is read into a [`Layer`] (every setting optional); [`resolve`] stacks
//! them. The file is `shuniu.toml` in the working directory if it exists, or the file
//! named by `--config` / `SHUNIU_CONFIG`, which then must exist.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use shuniu_domain::parks::BookingRules;

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
    /// Rooms open at this local hour (0–23).
    pub booking_opens_at_hour: Option<u32>,
    /// Rooms close at this local hour (1–24, after the opening hour).
    pub booking_closes_at_hour: Option<u32>,
    /// How many days ahead a room may be booked.
    pub booking_horizon_days: Option<u32>,
    /// Longest single booking, in hours.
    pub booking_max_hours: Option<u32>,
}

/// The keys of `shuniu.toml`, for error messages.
const KNOWN_KEYS: &str = "db, bind, log, log_format, audit_key_file, lockout_failures, lockout_minutes, \
    session_idle_minutes, session_absolute_hours, password_min_length, secure_cookies, audit_retention_days, \
    booking_opens_at_hour, booking_closes_at_hour, booking_horizon_days, booking_max_hours";

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
            lockout_failures: self.lockout_failures.or(lower.lockout_failures),
            lockout_minutes: self.lockout_minutes.or(lower.lockout_minutes),
            session_idle_minutes: self.session_idle_minutes.or(lower.session_idle_minutes),
            session_absolute_hours: self.session_absolute_hours.or(lower.session_absolute_hours),
            password_min_length: self.password_min_length.or(lower.password_min_length),
            secure_cookies: self.secure_cookies.or(lower.secure_cookies),
            audit_retention_days: self.audit_retention_days.or(lower.audit_retention_days),
            booking_opens_at_hour: self.booking_opens_at_hour.or(lower.booking_opens_at_hour),
            booking_closes_at_hour: self.booking_closes_at_hour.or(lower.booking_closes_at_hour),
            booking_horizon_days: self.booking_horizon_days.or(lower.booking_horizon_days),
            booking_max_hours: self.booking_max_hours.or(lower.booking_max_hours),
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
            lockout_failures: number("SHUNIU_LOCKOUT_FAILURES")?,
            lockout_minutes: number("SHUNIU_LOCKOUT_MINUTES")?,
            session_idle_minutes: number("SHUNIU_SESSION_IDLE_MINUTES")?,
            session_absolute_hours: number("SHUNIU_SESSION_ABSOLUTE_HOURS")?,
            password_min_length: number("SHUNIU_PASSWORD_MIN_LENGTH")?,
            secure_cookies: get("SHUNIU_SECURE_COOKIES")
                .map(|v| parse_bool("SHUNIU_SECURE_COOKIES", &v))
                .transpose()?,
            audit_retention_days: number("SHUNIU_AUDIT_RETENTION_DAYS")?,
            booking_opens_at_hour: number("SHUNIU_BOOKING_OPENS_AT_HOUR")?,
            booking_closes_at_hour: number("SHUNIU_BOOKING_CLOSES_AT_HOUR")?,
            booking_horizon_days: number("SHUNIU_BOOKING_HORIZON_DAYS")?,
            booking_max_hours: number("SHUNIU_BOOKING_MAX_HOURS")?,
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
    pub security: Security,
    /// Room-booking rules. The slot size is not a setting: it stays
    /// [`BOOKING_SLOT_MINUTES`], see [`booking_rules`].
    pub booking: BookingRules,
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
        security,
        booking,
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
mod tests {
    use super::*;

    fn layer(db: Option<&str>, bind: Option<&str>, log: Option<&str>) -> Layer {
        Layer {
            db: db.map(String::from),
            bind: bind.map(String::from),
            log: log.map(String::from),
            ..Layer::default()
        }
    }

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn nothing_given_means_the_defaults() {
        let s = resolve(Layer::default(), Layer::default(), Layer::default()).unwrap();
        assert_eq!(
            s,
            Settings {
                db: "sqlite://shuniu.db".into(),
                bind: "127.0.0.1:8080".into(),
                log: "info".into(),
                log_format: LogFormat::Text,
                audit_key_file: PathBuf::from("shuniu-audit.key"),
                security: Security {
                    lockout_failures: 5,
                    lockout_minutes: 15,
                    session_idle_minutes: 30,
                    session_absolute_hours: 12,
                    password_min_length: 8,
                    secure_cookies: false,
                    audit_retention_days: 180,
                },
                booking: BookingRules {
                    slot_minutes: 30,
                    max_hours: 8,
                    horizon_days: 90,
                    opens_at_hour: 8,
                    closes_at_hour: 21,
                },
            }
        );
    }

    #[test]
    fn each_layer_beats_the_ones_below_setting_by_setting() {
        let file = Layer {
            log_format: Some(LogFormat::Json),
            ..layer(Some("sqlite://file.db"), Some("0.0.0.0:1"), Some("debug"))
        };
        let env = layer(Some("sqlite://env.db"), Some("0.0.0.0:2"), None);
        let flags = layer(Some("sqlite://flag.db"), None, None);
        let s = resolve(flags.clone(), env.clone(), file.clone()).unwrap();
        assert_eq!(s.db, "sqlite://flag.db");
        assert_eq!(s.bind, "0.0.0.0:2");
        assert_eq!(s.log, "debug");
        assert_eq!(s.log_format, LogFormat::Json);

        let s = resolve(Layer::default(), env, file.clone()).unwrap();
        assert_eq!(s.db, "sqlite://env.db");
        let s = resolve(Layer::default(), Layer::default(), file).unwrap();
        assert_eq!(s.db, "sqlite://file.db");
        assert_eq!(s.bind, "0.0.0.0:1");
        let s = resolve(flags, Layer::default(), Layer::default()).unwrap();
        assert_eq!(
            (s.db.as_str(), s.bind.as_str()),
            ("sqlite://flag.db", DEFAULT_BIND)
        );
    }

    #[test]
    fn environment_layer_reads_shuniu_variables() {
        let l = Layer::from_env(env_of(&[
            ("SHUNIU_DB", "postgres://u@h/db"),
            ("SHUNIU_BIND", "0.0.0.0:80"),
            ("SHUNIU_LOG", "shuniu=debug"),
            ("RUST_LOG", "trace"),
            ("SHUNIU_LOG_FORMAT", "JSON"),
        ]))
        .unwrap();
        assert_eq!(
            l,
            Layer {
                log_format: Some(LogFormat::Json),
                ..layer(
                    Some("postgres://u@h/db"),
                    Some("0.0.0.0:80"),
                    Some("shuniu=debug")
                )
            }
        );
    }

    #[test]
    fn rust_log_is_the_fallback_filter_and_empty_variables_are_unset() {
        let l = Layer::from_env(env_of(&[
            ("SHUNIU_DB", ""),
            ("SHUNIU_LOG", " "),
            ("RUST_LOG", "warn"),
        ]))
        .unwrap();
        assert_eq!(l, layer(None, None, Some("warn")));
    }

    #[test]
    fn a_bad_log_format_in_the_environment_is_an_error() {
        let e = Layer::from_env(env_of(&[("SHUNIU_LOG_FORMAT", "xml")])).unwrap_err();
        assert!(
            e.0.contains("SHUNIU_LOG_FORMAT") && e.0.contains("json"),
            "{e}"
        );
    }

    #[test]
    fn toml_file_keys() {
        let l = Layer::from_toml(
            "db = \"sqlite://x.db\"\nbind = \"127.0.0.1:9\"\nlog = \"debug\"\nlog_format = \"json\"\n",
            Path::new("shuniu.toml"),
        )
        .unwrap();
        assert_eq!(
            l,
            Layer {
                log_format: Some(LogFormat::Json),
                ..layer(Some("sqlite://x.db"), Some("127.0.0.1:9"), Some("debug"))
            }
        );
        assert_eq!(
            Layer::from_toml("", Path::new("shuniu.toml")).unwrap(),
            Layer::default()
        );
    }

    #[test]
    fn toml_errors_name_the_file_and_the_problem() {
        let e = Layer::from_toml("database = \"x\"", Path::new("conf/shuniu.toml")).unwrap_err();
        assert!(e.0.contains("conf/shuniu.toml"), "{e}");
        assert!(e.0.contains("database"), "{e}");
        let e = Layer::from_toml("log_format = \"xml\"", Path::new("a.toml")).unwrap_err();
        assert!(e.0.contains("a.toml") && e.0.contains("xml"), "{e}");
    }

    #[test]
    fn missing_default_file_is_fine_but_a_named_one_is_not() {
        let missing = Path::new("/nonexistent/shuniu-config-test.toml");
        let e = Layer::from_file(Some(missing)).unwrap_err();
        assert!(e.0.contains("/nonexistent/shuniu-config-test.toml"), "{e}");
    }

    #[test]
    fn security_settings_come_from_every_layer_and_are_checked() {
        let file = Layer::from_toml(
            "lockout_failures = 7\nsecure_cookies = true\naudit_retention_days = 365\n\
             audit_key_file = \"/etc/shuniu/audit.key\"\n",
            Path::new("shuniu.toml"),
        )
        .unwrap();
        let env = Layer::from_env(env_of(&[
            ("SHUNIU_LOCKOUT_FAILURES", "9"),
            ("SHUNIU_SESSION_IDLE_MINUTES", "10"),
            ("SHUNIU_SECURE_COOKIES", "off"),
            ("SHUNIU_AUDIT_KEY_FILE", "/run/key"),
        ]))
        .unwrap();
        let flags = Layer {
            lockout_failures: Some(3),
            ..Layer::default()
        };
        let s = resolve(flags, env.clone(), file.clone()).unwrap();
        assert_eq!(s.security.lockout_failures, 3);
        assert_eq!(s.security.session_idle_minutes, 10);
        assert!(!s.security.secure_cookies);
        assert_eq!(s.security.audit_retention_days, 365);
        assert_eq!(s.audit_key_file, PathBuf::from("/run/key"));
        let s = resolve(Layer::default(), env, file.clone()).unwrap();
        assert_eq!(s.security.lockout_failures, 9);
        let s = resolve(Layer::default(), Layer::default(), file).unwrap();
        assert_eq!(s.security.lockout_failures, 7);
        assert!(s.security.secure_cookies);
        assert_eq!(s.audit_key_file, PathBuf::from("/etc/shuniu/audit.key"));

        let a = s.security.auth_settings();
        assert_eq!(a.lockout.max_failures, 7);
        assert_eq!(a.lockout.lock_for, chrono::Duration::minutes(15));
        assert_eq!(a.session.absolute, chrono::Duration::hours(12));
        assert!(a.secure_cookies);
    }

    #[test]
    fn retention_below_180_days_and_short_passwords_are_refused() {
        let e = resolve(
            Layer {
                audit_retention_days: Some(90),
                ..Layer::default()
            },
            Layer::default(),
            Layer::default(),
        )
        .unwrap_err();
        assert!(
            e.0.contains("audit_retention_days") && e.0.contains("180"),
            "{e}"
        );
        let e = resolve(
            Layer::default(),
            Layer::from_env(env_of(&[("SHUNIU_PASSWORD_MIN_LENGTH", "6")])).unwrap(),
            Layer::default(),
        )
        .unwrap_err();
        assert!(e.0.contains("password_min_length"), "{e}");
        let e = Layer::from_env(env_of(&[("SHUNIU_LOCKOUT_MINUTES", "soon")])).unwrap_err();
        assert!(e.0.contains("SHUNIU_LOCKOUT_MINUTES"), "{e}");
        let e = Layer::from_env(env_of(&[("SHUNIU_SECURE_COOKIES", "maybe")])).unwrap_err();
        assert!(e.0.contains("SHUNIU_SECURE_COOKIES"), "{e}");
    }

    #[test]
    fn booking_rules_come_from_every_layer_with_a_fixed_slot() {
        let file = Layer::from_toml(
            "booking_opens_at_hour = 7\nbooking_closes_at_hour = 22\nbooking_horizon_days = 365\n",
            Path::new("shuniu.toml"),
        )
        .unwrap();
        let env = Layer::from_env(env_of(&[
            ("SHUNIU_BOOKING_OPENS_AT_HOUR", "6"),
            ("SHUNIU_BOOKING_MAX_HOURS", "4"),
        ]))
        .unwrap();
        let flags = Layer {
            booking_max_hours: Some(2),
            ..Layer::default()
        };
        let b = resolve(flags, env.clone(), file.clone()).unwrap().booking;
        assert_eq!(
            b,
            BookingRules {
                slot_minutes: BOOKING_SLOT_MINUTES,
                max_hours: 2,
                horizon_days: 365,
                opens_at_hour: 6,
                closes_at_hour: 22,
            }
        );
        let b = resolve(Layer::default(), env, file.clone())
            .unwrap()
            .booking;
        assert_eq!((b.opens_at_hour, b.max_hours), (6, 4));
        let b = resolve(Layer::default(), Layer::default(), file)
            .unwrap()
            .booking;
        assert_eq!((b.opens_at_hour, b.max_hours), (7, 8));
        // The slot is no key of the file.
        let e =
            Layer::from_toml("booking_slot_minutes = 15", Path::new("shuniu.toml")).unwrap_err();
        assert!(
            e.0.contains("booking_slot_minutes") && e.0.contains("booking_max_hours"),
            "{e}"
        );
    }

    #[test]
    fn booking_rules_out_of_range_are_refused_by_name() {
        let refused = |l: Layer| {
            resolve(l, Layer::default(), Layer::default())
                .unwrap_err()
                .0
        };
        for (l, name) in [
            (
                Layer {
                    booking_opens_at_hour: Some(24),
                    ..Layer::default()
                },
                "booking_opens_at_hour",
            ),
            (
                Layer {
                    booking_closes_at_hour: Some(0),
                    ..Layer::default()
                },
                "booking_closes_at_hour",
            ),
            (
                Layer {
                    booking_closes_at_hour: Some(24),
                    ..Layer::default()
                },
                "booking_closes_at_hour",
            ),
            (
                Layer {
                    booking_closes_at_hour: Some(25),
                    ..Layer::default()
                },
                "booking_closes_at_hour",
            ),
            (
                Layer {
                    booking_horizon_days: Some(0),
                    ..Layer::default()
                },
                "booking_horizon_days",
            ),
            (
                Layer {
                    booking_horizon_days: Some(731),
                    ..Layer::default()
                },
                "booking_horizon_days",
            ),
            (
                Layer {
                    booking_max_hours: Some(0),
                    ..Layer::default()
                },
                "booking_max_hours",
            ),
            (
                Layer {
                    booking_max_hours: Some(25),
                    ..Layer::default()
                },
                "booking_max_hours",
            ),
        ] {
            let e = refused(l);
            assert!(e.contains(name) && e.contains("between"), "{name}: {e}");
        }
        // Closing at or before opening leaves no time to book.
        let e = refused(Layer {
            booking_opens_at_hour: Some(12),
            booking_closes_at_hour: Some(12),
            ..Layer::default()
        });
        assert!(
            e.contains("booking_closes_at_hour") && e.contains("booking_opens_at_hour = 12"),
            "{e}"
        );
        let e = resolve(
            Layer::default(),
            Layer::default(),
            Layer {
                booking_opens_at_hour: Some(22),
                ..Layer::default()
            },
        )
        .unwrap_err();
        assert!(e.0.contains("later than"), "{e}");
        // The edges are accepted.
        let b = resolve(
            Layer {
                booking_opens_at_hour: Some(0),
                booking_closes_at_hour: Some(23),
                booking_horizon_days: Some(730),
                booking_max_hours: Some(24),
                ..Layer::default()
            },
            Layer::default(),
            Layer::default(),
        )
        .unwrap()
        .booking;
        assert_eq!(
            (
                b.opens_at_hour,
                b.closes_at_hour,
                b.horizon_days,
                b.max_hours
            ),
            (0, 23, 730, 24)
        );
        let e = Layer::from_env(env_of(&[("SHUNIU_BOOKING_HORIZON_DAYS", "a year")])).unwrap_err();
        assert!(e.0.contains("SHUNIU_BOOKING_HORIZON_DAYS"), "{e}");
    }

    #[test]
    fn redact_hides_passwords_only() {
        assert_eq!(
            redact("postgres://app:s3cr:et@db.example:5432/shuniu?sslmode=require"),
            "postgres://app:***@db.example:5432/shuniu?sslmode=require"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/x"),
            "postgres://postgres@127.0.0.1/x"
        );
        assert_eq!(redact("sqlite://shuniu.db"), "sqlite://shuniu.db");
        assert_eq!(redact("sqlite::memory:"), "sqlite::memory:");
        assert_eq!(redact("sqlite:///tmp/a@b.db"), "sqlite:///tmp/a@b.db");
    }
}
