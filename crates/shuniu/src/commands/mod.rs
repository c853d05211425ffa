//! What each subcommand does: `run` sends it to its module, and the short ones are
//! written here.

mod backup;
mod demo;
mod serve;
mod supervise;

use crate::audit::AuditCommand;
use crate::cli::Command;
use crate::config::{Settings, redact};
use crate::connect::{Key, migrate, open, open_keyed};
use crate::{Failure, Outcome, audit, export, generate, grades, search, users};

use supervise::trust_settings;

/// Carries out `command` under the settings in force.
pub(crate) async fn run(command: Command, settings: Settings) -> Outcome {
    match command {
        Command::Serve { demo, .. } => serve::serve(&settings, demo).await,
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
            let loaded = demo::load_demo(&store).await?;
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
            let done = supervise::supervise(&store, &settings)
                .await
                .map(|line| println!("{line}"));
            store.close().await;
            done
        }
        Command::Backup { to, .. } => backup::backup(&settings, &to).await,
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
