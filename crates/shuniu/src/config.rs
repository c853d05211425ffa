//! Configuration layering, lowest to highest:
//! built-in defaults < `shuniu.toml` < `SHUNIU_*` environment < command-line flags.
//!
//! Each source is read into a [`Layer`] (every setting optional); [`resolve`] stacks
//! them. The file is `shuniu.toml` in the working directory if it exists, or the file
//! named by `--config` / `SHUNIU_CONFIG`, which then must exist.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub const DEFAULT_DB: &str = "sqlite://shuniu.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_LOG: &str = "info";
pub const DEFAULT_CONFIG_FILE: &str = "shuniu.toml";

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
}

impl Layer {
    /// `self` where it has a value, `lower` elsewhere.
    pub fn over(self, lower: Layer) -> Layer {
        Layer {
            db: self.db.or(lower.db),
            bind: self.bind.or(lower.bind),
            log: self.log.or(lower.log),
            log_format: self.log_format.or(lower.log_format),
        }
    }

    /// The environment layer: `SHUNIU_DB`, `SHUNIU_BIND`, `SHUNIU_LOG` (else `RUST_LOG`),
    /// `SHUNIU_LOG_FORMAT`. Empty variables count as unset.
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
        Ok(Layer {
            db: get("SHUNIU_DB"),
            bind: get("SHUNIU_BIND"),
            log: get("SHUNIU_LOG").or_else(|| get("RUST_LOG")),
            log_format,
        })
    }

    /// Parses the text of a configuration file; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &Path) -> Result<Layer, ConfigError> {
        toml::from_str(text).map_err(|e| {
            ConfigError(format!(
                "{}: {} (known keys: db, bind, log, log_format)",
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
}

/// Stacks the layers: flags < environment < file < built-in defaults, first value wins.
pub fn resolve(flags: Layer, env: Layer, file: Layer) -> Settings {
    let l = flags.over(env).over(file);
    Settings {
        db: l.db.unwrap_or_else(|| DEFAULT_DB.to_string()),
        bind: l.bind.unwrap_or_else(|| DEFAULT_BIND.to_string()),
        log: l.log.unwrap_or_else(|| DEFAULT_LOG.to_string()),
        log_format: l.log_format.unwrap_or_default(),
    }
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
            log_format: None,
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
        let s = resolve(Layer::default(), Layer::default(), Layer::default());
        assert_eq!(
            s,
            Settings {
                db: "sqlite://shuniu.db".into(),
                bind: "127.0.0.1:8080".into(),
                log: "info".into(),
                log_format: LogFormat::Text,
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
        let s = resolve(flags.clone(), env.clone(), file.clone());
        assert_eq!(s.db, "sqlite://flag.db");
        assert_eq!(s.bind, "0.0.0.0:2");
        assert_eq!(s.log, "debug");
        assert_eq!(s.log_format, LogFormat::Json);

        let s = resolve(Layer::default(), env, file.clone());
        assert_eq!(s.db, "sqlite://env.db");
        let s = resolve(Layer::default(), Layer::default(), file);
        assert_eq!(s.db, "sqlite://file.db");
        assert_eq!(s.bind, "0.0.0.0:1");
        let s = resolve(flags, Layer::default(), Layer::default());
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
