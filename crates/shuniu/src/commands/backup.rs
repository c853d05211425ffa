//! `shuniu backup`: a consistent copy of a SQLite database.

use std::path::Path;

use shuniu_store::StoreError;

use crate::config::{Settings, redact};
use crate::connect::{open, sqlite_file};
use crate::{Failure, Outcome};

pub(crate) async fn backup(settings: &Settings, to: &Path) -> Outcome {
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
