//! The search index on disk: where it lives (`search_dir`, else beside the SQLite file),
//! opened at start and rebuilt from the store when empty, and `shuniu reindex`.

use std::path::PathBuf;
use std::sync::Arc;

use shuniu_search::Search;
use shuniu_store::Store;
use shuniu_web::kit::search::{SearchIndex, catch_up, rebuild};

use crate::config::Settings;
use crate::connect::sqlite_file;
use crate::{Failure, Outcome};

/// The index's directory: the `search_dir` setting; else `FILE.search` beside a SQLite
/// file; else `shuniu-search` in the working directory. `None`: an in-memory SQLite
/// database, whose index is kept in memory too.
pub fn search_dir(settings: &Settings) -> Option<PathBuf> {
    if let Some(dir) = &settings.search_dir {
        return Some(dir.clone());
    }
    if settings.db.starts_with("sqlite:") {
        return sqlite_file(&settings.db).map(|f| {
            let mut name = f.file_name().unwrap_or_default().to_os_string();
            name.push(".search");
            f.with_file_name(name)
        });
    }
    Some(PathBuf::from("shuniu-search"))
}

/// Opens the index (created if missing).
pub fn open_index(settings: &Settings) -> Outcome<SearchIndex> {
    match search_dir(settings) {
        None => Ok(shuniu_web::kit::search::in_memory()),
        Some(dir) => Search::open(&dir).map(Arc::new).map_err(|e| {
            Failure::new(format!(
                "cannot open the search index in {}: {e} (is another shuniu process using it?)",
                dir.display()
            ))
        }),
    }
}

/// Rebuilds the index from the store; returns what it did, for the user.
pub async fn reindex(store: &Store, search: &Search) -> Outcome<String> {
    let started = std::time::Instant::now();
    let done = rebuild(store, search)
        .await
        .map_err(|e| Failure::new(format!("cannot rebuild the search index: {e}")))?;
    Ok(format!(
        "Search index rebuilt: {} organizations, {} services in {:.1} s.",
        done.organizations,
        done.services,
        started.elapsed().as_secs_f64()
    ))
}

/// The index `serve` uses: opened, and rebuilt when it is empty (new, lost, or written by
/// another version of the analysis) or `fresh_data` was just loaded; otherwise brought up
/// to what the store wrote since shortly before its last commit (`catch_up`).
pub async fn index_for_serving(
    store: &Store,
    settings: &Settings,
    fresh_data: bool,
) -> Outcome<SearchIndex> {
    let search = open_index(settings)?;
    if search.is_empty() || fresh_data {
        let line = reindex(store, &search).await?;
        tracing::info!("{line}");
    } else {
        let done = catch_up(store, &search)
            .await
            .map_err(|e| Failure::new(format!("cannot bring the search index up to date: {e}")))?;
        tracing::info!(
            organizations = done.organizations,
            services = done.services,
            "search index: read again what was written since shortly before its last commit"
        );
    }
    Ok(search)
}
