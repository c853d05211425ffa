//! `shuniu`: the one binary of Shuniu 枢纽 — serve the site and API, migrate the
//! database, load the demo data, back up SQLite, manage accounts and API tokens,
//! import the authority's register of grades, and verify, checkpoint or purge the
//! audit trail.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

mod audit;
mod cli;
mod commands;
mod config;
mod connect;
mod export;
mod generate;
mod grades;
mod keyfile;
mod search;
mod users;

use cli::Cli;
use config::{Layer, LogFormat, Settings};

/// mimalloc, not glibc's malloc, for every allocation of the process — SQLite's too
/// (the `override` feature replaces `malloc` and `free`). A page of a list is made on
/// a SQLite connection's thread (each column of each row copied) and freed on a
/// request's thread; glibc returns each such block to the arena of the thread that
/// made it, under that arena's lock. With 8 connections and the request threads on 2
/// cores, the allocator took a third of the serving process's time on the demo's
/// district page; mimalloc frees across threads without a lock.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    match runtime.block_on(commands::run(cli.command, settings)) {
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

/// The log filter with tantivy's at `warn` unless the filter names tantivy itself: at
/// `info` it logs five lines of its own for each commit, and the index commits on every
/// write (a start on the demo printed them between the accounts and "Shuniu is up").
fn quiet_search_engine(filter: &str) -> String {
    if filter.contains("tantivy") {
        filter.to_string()
    } else {
        format!("{filter},tantivy=warn")
    }
}

/// Logs go to stderr, so that what a command prints on stdout stays clean.
fn init_logging(s: &Settings) -> Result<(), String> {
    let filter = tracing_subscriber::EnvFilter::try_new(quiet_search_engine(&s.log))
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

#[cfg(test)]
mod tests {
    use super::quiet_search_engine;

    #[test]
    fn the_search_engine_logs_warnings_unless_asked_for_more() {
        assert_eq!(quiet_search_engine("info"), "info,tantivy=warn");
        assert_eq!(
            quiet_search_engine("shuniu_web=debug"),
            "shuniu_web=debug,tantivy=warn"
        );
        assert_eq!(
            quiet_search_engine("info,tantivy=debug"),
            "info,tantivy=debug"
        );
        // What it makes is a filter tracing accepts.
        assert!(tracing_subscriber::EnvFilter::try_new(quiet_search_engine("warn")).is_ok());
    }
}
