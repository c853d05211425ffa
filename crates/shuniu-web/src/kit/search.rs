//! The search index (`shuniu-search`) kept in step with the store: every write of an
//! organization's name, status or place, and of a service, re-reads the record and
//! replaces its document right after the store's commit, in the same request, so the
//! next request finds it; `rebuild` reads everything back in keyset chunks (at start
//! when the index is empty, `shuniu reindex`, the demo). The lists use [`ranked`].

use std::sync::Arc;

use shuniu_domain::Lang;
use shuniu_search::{Doc, Filter, Hits, Kind, Reason, Search};
use shuniu_store::Store;
use shuniu_store::search_feed::{OrgForIndex, ServiceForIndex};
use uuid::Uuid;

use crate::kit::error::AppError;

/// The index an application searches.
pub type SearchIndex = Arc<Search>;

/// A fresh index in memory (tests, and an application given no directory).
pub fn in_memory() -> SearchIndex {
    Arc::new(Search::in_memory().expect("an index in memory opens"))
}

fn org_doc(o: &OrgForIndex) -> Doc {
    let words: Vec<&str> = o
        .domains
        .iter()
        .flat_map(|d| [d.label(Lang::Zh), d.label(Lang::En)])
        .collect();
    Doc {
        kind: Kind::Organization,
        id: o.id.to_string(),
        name: o.name.clone(),
        text: words.join(" "),
        also_named: String::new(),
        path: o.jurisdiction_path.clone(),
        status: o.status.clone(),
    }
}

fn service_doc(s: &ServiceForIndex) -> Doc {
    let mut text = vec![
        s.target_group.as_str(),
        s.eligibility.as_str(),
        s.organization_name.as_str(),
    ];
    if let Some(c) = s.category {
        text.extend([c.label(Lang::Zh), c.label(Lang::En)]);
    }
    Doc {
        kind: Kind::Service,
        id: s.id.to_string(),
        name: s.name.clone(),
        text: text.join(" "),
        also_named: s.organization_name.clone(),
        path: s.jurisdiction_path.clone(),
        status: s.status.clone(),
    }
}

fn index_failed(what: &str, e: impl std::fmt::Display) {
    // The store holds the truth: a failed index write is logged, and `shuniu reindex`
    // (or the next write of the record) repairs it.
    tracing::error!(error = %e, "search index: could not update {what}");
}

/// Re-reads organization `id` and replaces (or removes) its document.
pub async fn organization_written(
    store: &Store,
    search: &Search,
    id: Uuid,
) -> Result<(), AppError> {
    let row = store.organization_for_index(id).await?;
    let done = match row {
        Some(o) => search.upsert(&org_doc(&o)),
        None => search.delete(&id.to_string()),
    };
    if let Err(e) = done {
        index_failed("an organization", e);
    }
    Ok(())
}

/// Re-reads service `id` and replaces (or removes) its document.
pub async fn service_written(store: &Store, search: &Search, id: Uuid) -> Result<(), AppError> {
    let row = store.service_for_index(id).await?;
    let done = match row {
        Some(s) => search.upsert(&service_doc(&s)),
        None => search.delete(&id.to_string()),
    };
    if let Err(e) = done {
        index_failed("a service", e);
    }
    Ok(())
}

/// How many records a rebuild indexed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rebuilt {
    pub organizations: usize,
    pub services: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    #[error(transparent)]
    Store(#[from] shuniu_store::StoreError),
    #[error(transparent)]
    Index(#[from] shuniu_search::SearchError),
}

const CHUNK: u32 = 2000;

/// Brings an index that was kept by an earlier process up to the store: every
/// organization written since the time the index's last commit recorded as complete
/// (shortly before that commit, or before the rebuild that made it: see
/// [`Search::complete_from`]), with its services, and every service created since, is
/// read again and its document replaced. A process stopped between a store's commit and
/// the index's (killed, the power cut) leaves those records unfindable otherwise. A
/// service edited (not created) since, of an organization not written since, is not
/// read again: `shuniu reindex` repairs that. An index that never committed is left
/// alone (a start rebuilds an empty one). Returns how many records were read again.
pub async fn catch_up(store: &Store, search: &Search) -> Result<Rebuilt, RebuildError> {
    let mut done = Rebuilt::default();
    let Some(at) = search.complete_from()? else {
        return Ok(done);
    };
    let since = chrono::DateTime::<chrono::Utc>::from(at);
    let mut after = None;
    loop {
        let chunk = store
            .organizations_for_index_since(since, after, CHUNK)
            .await?;
        let Some((written, last)) = chunk.last() else {
            break;
        };
        after = Some((*written, last.id));
        let orgs: Vec<_> = chunk.into_iter().map(|(_, o)| o).collect();
        search.upsert_all(&orgs.iter().map(org_doc).collect::<Vec<_>>())?;
        done.organizations += orgs.len();
        let ids: Vec<Uuid> = orgs.iter().map(|o| o.id).collect();
        let services = store.services_for_index_of(&ids).await?;
        search.upsert_all(&services.iter().map(service_doc).collect::<Vec<_>>())?;
        done.services += services.len();
    }
    // A service's id is a UUIDv7, its first 48 bits the milliseconds of its creation:
    // the services created since are a range of the primary key.
    let ms = u128::try_from(since.timestamp_millis().max(0)).unwrap_or(0);
    let created_since = Uuid::from_u128(ms << 80);
    done.services +=
        services_after(store, Some(created_since), |docs| search.upsert_all(docs)).await?;
    Ok(done)
}

/// Hands `write` the documents of every service with an id after `after` (all: `None`),
/// in keyset chunks; returns how many there were.
async fn services_after(
    store: &Store,
    mut after: Option<Uuid>,
    write: impl Fn(&[Doc]) -> shuniu_search::Result<()>,
) -> Result<usize, RebuildError> {
    let mut n = 0;
    loop {
        let chunk = store.services_for_index(after, CHUNK).await?;
        let Some(last) = chunk.last() else { break };
        after = Some(last.id);
        write(&chunk.iter().map(service_doc).collect::<Vec<_>>())?;
        n += chunk.len();
    }
    Ok(n)
}

/// Replaces the index's content with the store's, read in keyset chunks.
pub async fn rebuild(store: &Store, search: &Search) -> Result<Rebuilt, RebuildError> {
    let mut done = Rebuilt::default();
    search.clear()?;
    let mut after = None;
    loop {
        let chunk = store.organizations_for_index(after, CHUNK).await?;
        let Some(last) = chunk.last() else { break };
        after = Some(last.id);
        search.stage(&chunk.iter().map(org_doc).collect::<Vec<_>>())?;
        done.organizations += chunk.len();
    }
    done.services += services_after(store, None, |docs| search.stage(docs)).await?;
    search.commit()?;
    Ok(done)
}

/// The message key of a hit's reason (`search.reason.name` …).
pub fn reason_key(reason: Reason) -> &'static str {
    match reason {
        Reason::Name => "search.reason.name",
        Reason::Description => "search.reason.description",
        Reason::Pinyin => "search.reason.pinyin",
        Reason::Initials => "search.reason.initials",
    }
}

/// Ranked hits of `q`: ids best first and each one's reason.
#[derive(Debug, Default, Clone)]
pub struct Ranked {
    pub total: usize,
    pub ids: Vec<Uuid>,
    pub reasons: std::collections::HashMap<Uuid, Reason>,
}

impl Ranked {
    pub fn reason(&self, id: Uuid) -> Option<Reason> {
        self.reasons.get(&id).copied()
    }
}

fn ranked_from(h: Hits) -> Ranked {
    let mut r = Ranked {
        total: h.total,
        ..Ranked::default()
    };
    for hit in h.hits {
        if let Ok(id) = Uuid::parse_str(&hit.id) {
            r.ids.push(id);
            r.reasons.insert(id, hit.reason);
        }
    }
    r
}

/// The hits `offset..offset + limit` of `q` in `filter`. A failing index is logged and
/// finds nothing (the list still answers).
pub fn ranked(
    search: &Search,
    q: &str,
    filter: &Filter<'_>,
    limit: usize,
    offset: usize,
) -> Ranked {
    match search.query_with(q, filter, limit, offset) {
        Ok(h) => ranked_from(h),
        Err(e) => {
            tracing::error!(error = %e, "search index: query failed");
            Ranked::default()
        }
    }
}

/// Why a listed record matched the words searched (API lists searched by `q`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SearchMatch {
    pub id: Uuid,
    /// `name`, `description` (its other text: domains, a service's target group …),
    /// `pinyin` (the name's full pinyin, e.g. `yanglao`) or `initials` (`yl`).
    #[schema(example = "pinyin")]
    pub reason: String,
}

/// The matches of `ids` (a page's items, in order) in `ranked`.
pub fn matches(ranked: Option<&Ranked>, ids: impl IntoIterator<Item = Uuid>) -> Vec<SearchMatch> {
    let Some(r) = ranked else { return Vec::new() };
    ids.into_iter()
        .filter_map(|id| {
            r.reason(id).map(|reason| SearchMatch {
                id,
                reason: reason.code().to_string(),
            })
        })
        .collect()
}
