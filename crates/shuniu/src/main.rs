//! `shuniu`: the one binary of Shuniu 枢纽 — serve the site and API, migrate the
//! database, load the demo data, back up SQLite.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use shuniu_store::{Store, StoreError};

mod config;

use config::{Layer, LogFormat, Settings, redact};

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

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct DbArg {
    /// Database URL: sqlite://FILE or postgres://USER@HOST/DB [env: SHUNIU_DB] [default: sqlite://shuniu.db]
    #[arg(long, value_name = "URL")]
    db: Option<String>,
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
    /// Write a consistent copy of a SQLite database (VACUUM INTO)
    Backup {
        #[command(flatten)]
        db: DbArg,
        /// The new file to write; it must not exist yet
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
}

impl Cli {
    /// The flags layer of the configuration.
    fn flags(&self) -> Layer {
        let (db, bind) = match &self.command {
            Command::Serve { db, bind, .. } => (db.db.clone(), bind.clone()),
            Command::Migrate { db, .. } | Command::Demo { db } | Command::Backup { db, .. } => {
                (db.db.clone(), None)
            }
        };
        Layer {
            db,
            bind,
            log: self.log.clone(),
            log_format: self.log_format,
        }
    }
}

/// A failure worded for the user; the process exits with status 1.
#[derive(Debug)]
struct Failure(String);

type Outcome<T = ()> = Result<T, Failure>;

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
        Err(Failure(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// The settings in force, and the configuration file they came from, if any.
fn settings(cli: &Cli) -> Result<(Settings, Option<PathBuf>), config::ConfigError> {
    let config_path = cli.config.as_deref().filter(|p| !p.as_os_str().is_empty());
    let (file, path) = Layer::from_file(config_path)?;
    let env = Layer::from_env(|name| std::env::var(name).ok())?;
    Ok((config::resolve(cli.flags(), env, file), path))
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
            let store = open(&settings).await?;
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
            let store = open(&settings).await?;
            tracing::warn!(db = %redact(&settings.db), "reverting every migration");
            store
                .migrate_down_all()
                .await
                .map_err(|e| Failure(format!("cannot revert the migrations: {e}")))?;
            println!("Every migration reverted: {}", redact(&settings.db));
            store.close().await;
            Ok(())
        }
        Command::Demo { .. } => {
            let store = open(&settings).await?;
            migrate(&store).await?;
            let loaded = load_demo(&store).await?;
            println!("{loaded}");
            store.close().await;
            Ok(())
        }
        Command::Backup { to, .. } => backup(&settings, &to).await,
    }
}

async fn open(settings: &Settings) -> Outcome<Store> {
    let shown = redact(&settings.db);
    tracing::debug!(db = %shown, "connecting");
    Store::connect(&settings.db).await.map_err(|e| match e {
        // The message may quote the URL: never its password.
        StoreError::Url(why) if why.contains(&settings.db) => Failure(format!(
            "bad database URL: {}",
            why.replace(&settings.db, &shown)
        )),
        StoreError::Url(why) => Failure(format!("bad database URL {shown}: {why}")),
        _ => {
            let hint = if shown.starts_with("postgres") {
                " (is the server running, and are the host, port, user and database right?)"
            } else {
                " (does its directory exist, and may this user write there?)"
            };
            Failure(format!("cannot connect to the database {shown}: {e}{hint}"))
        }
    })
}

async fn migrate(store: &Store) -> Outcome {
    store
        .migrate()
        .await
        .map_err(|e| Failure(format!("cannot apply the migrations: {e}")))?;
    tracing::info!(backend = store.backend_name(), "migrations applied");
    Ok(())
}

/// Loads the demo data unless the database already has organizations (the demo crate
/// logs which); returns a sentence for the user.
async fn load_demo(store: &Store) -> Outcome<String> {
    let summary = shuniu_demo::load(store, shuniu_web::today())
        .await
        .map_err(|e| Failure(format!("cannot load the demo data: {e}")))?;
    Ok(if summary.loaded {
        format!(
            "Demo data loaded: {} organizations, {} staff.",
            summary.organizations, summary.staff
        )
    } else {
        "The database already has organizations: demo data not loaded.".to_string()
    })
}

async fn serve(settings: &Settings, demo: bool) -> Outcome {
    let store = open(settings).await?;
    migrate(&store).await?;
    // Bind before loading anything, so that a taken port fails at once.
    let listener = tokio::net::TcpListener::bind(&settings.bind)
        .await
        .map_err(|e| Failure(format!("cannot listen on {}: {e}", settings.bind)))?;
    if demo {
        load_demo(&store).await?;
    }
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(url = %format!("http://{addr}"), db = %redact(&settings.db), "Shuniu is up");
    }
    let served = tokio::select! {
        r = shuniu_web::serve(listener, store.clone()) => r,
        () = terminated() => {
            tracing::info!("SIGTERM received: stopping");
            Ok(())
        }
    };
    store.close().await;
    served.map_err(|e| Failure(format!("the server stopped: {e}")))?;
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
        return Err(Failure(format!(
            "{} already exists: back up to a new file",
            to.display()
        )));
    }
    if let Some(source) = sqlite_file(&settings.db) {
        // Connecting would create an empty database where none was meant.
        if !source.exists() {
            return Err(Failure(format!(
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
        Err(StoreError::State(why)) => Err(Failure(format!(
            "backup writes SQLite databases only: {why}"
        ))),
        Err(e) => Err(Failure(format!(
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
            }
        );
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
