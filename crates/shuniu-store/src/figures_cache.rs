//! Figures computed over many rows (coverage of a district, the tree's totals), kept in
//! memory until the next write, shared by every clone of a `Store`.
//!
//! What makes a kept figure exact: every write of the application appends an audit
//! record in its own transaction, which moves `audit_head.seq` (the chain's head), so
//! the head's sequence number names the state of the whole database — in this process
//! or any other writing to it. A figure is kept with the sequence number read *before*
//! it was computed, and served while the head still has that number:
//!
//! - a write committed before that read is in the figure (it was computed later);
//! - a write committed after it moves the head, so the figure is not served again;
//! - a write committed between the read and the computation is in the figure too, but
//!   moved the head past the number kept: the figure is recomputed once more, never
//!   served stale.
//!
//! So a request costs one primary-key read of `audit_head` while nothing is written,
//! instead of a scan whose length grows with the registry.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

use crate::jurisdictions::SubtreeStats;
use crate::{Result, Store, on_pool};

/// Subtree totals of every node under a root, by code.
pub(crate) type StatsUnder = std::sync::Arc<std::collections::BTreeMap<String, SubtreeStats>>;

/// The figures kept, one cache per kind.
#[derive(Debug, Default)]
pub(crate) struct FigureCaches {
    /// Coverage counts of a scope (`party::Figures`), by scope.
    pub coverage: HeadCache<crate::party::Figures>,
    /// Coverage counts of each child of a node, by the node's code.
    pub by_child: HeadCache<Vec<crate::party::Figures>>,
    /// [`Store::subtree_stats_under`], by the root's code.
    pub stats_under: HeadCache<StatsUnder>,
}

impl FigureCaches {
    /// The tables are gone (`migrate_down_all`): forget everything.
    pub(crate) fn clear(&self) {
        self.coverage.clear();
        self.by_child.clear();
        self.stats_under.clear();
    }
}

/// Entries kept at most per kind of figure; past it they are all dropped (a crawler
/// visiting every node must not grow the cache without end).
const MAX_ENTRIES: usize = 4_096;

/// Figures of one kind by key (a scope, a node), each with the head it was read at.
pub(crate) struct HeadCache<V> {
    entries: Mutex<HashMap<String, (i64, V)>>,
}

impl<V> Default for HeadCache<V> {
    fn default() -> Self {
        HeadCache {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<V> std::fmt::Debug for HeadCache<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeadCache").finish_non_exhaustive()
    }
}

impl<V: Clone> HeadCache<V> {
    fn get(&self, key: &str, head: i64) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(at, _)| *at == head)
            .map(|(_, v)| v.clone())
    }

    fn keep(&self, key: String, head: i64, value: V) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
                entries.clear();
            }
            entries.insert(key, (head, value));
        }
    }

    fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

impl Store {
    /// The audit chain's head sequence number: moves with every write (see the module).
    async fn write_mark(&self) -> Result<Option<i64>> {
        Ok(on_pool!(self, |p| sqlx::query_scalar::<_, i64>(
            "SELECT seq FROM audit_head WHERE id = 1"
        )
        .fetch_optional(p)
        .await)?)
    }

    /// `compute`'s value for `key`, from `cache` while no write happened since it was
    /// computed; else computed now and kept.
    pub(crate) async fn cached_until_write<V, F, Fut>(
        &self,
        cache: &HeadCache<V>,
        key: &str,
        compute: F,
    ) -> Result<V>
    where
        V: Clone,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V>>,
    {
        let Some(head) = self.write_mark().await? else {
            return compute().await;
        };
        if let Some(v) = cache.get(key, head) {
            return Ok(v);
        }
        let v = compute().await?;
        cache.keep(key.to_string(), head, v.clone());
        Ok(v)
    }
}
