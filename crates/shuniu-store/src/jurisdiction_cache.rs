//! The jurisdiction tree in memory, shared by every clone of a `Store`.
//!
//! Every list page asks for nodes: the filter's tree, the node a `jurisdiction=` names,
//! the breadcrumbs' ancestors; pages of the tree ask for a node's children. They were a query each, several per request, for rows
//! that hardly ever change. What makes caching them safe:
//!
//! - a stored node never changes and is never deleted (there is no `UPDATE` or `DELETE`
//!   of `jurisdictions`; only `migrate --down` drops the table), so a node read once by
//!   its code is kept for the life of the store; a code that was *not* found is not
//!   remembered, so a node added later is found at once;
//! - nodes are added (`add_jurisdiction`, the reference tree at migration) through the
//!   store, which empties the cached lists (roots, subtrees) in the same process; a
//!   list being read while a node is added is not kept (the generation moved);
//!   `migrate_down_all` forgets everything;
//! - another process adding nodes to the same database (the `demo` command beside a
//!   running server) is seen after at most [`LIST_TTL`]: lists expire.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use shuniu_domain::jurisdiction::{Jurisdiction, Level};

/// How long a list of nodes (roots, a subtree) is served from memory at most.
pub(crate) const LIST_TTL: Duration = Duration::from_secs(10);

/// Subtrees kept at most; past it they are all dropped (a page per node visited by a
/// crawler must not grow the cache without end).
const MAX_SUBTREES: usize = 256;

/// Nodes kept by code at most (the tree of a province with its communities is some ten
/// thousand nodes; the bound only guards against a bug).
const MAX_NODES: usize = 200_000;

pub(crate) type Nodes = Arc<Vec<Jurisdiction>>;

struct Cached {
    at: Instant,
    nodes: Nodes,
}

#[derive(Default)]
pub(crate) struct JurisdictionCache {
    by_code: RwLock<HashMap<String, Jurisdiction>>,
    roots: Mutex<Option<Cached>>,
    subtrees: Mutex<HashMap<(String, Level), Cached>>,
    /// A node's children, by the node's code (pages of the tree ask on every visit).
    children: Mutex<HashMap<String, Cached>>,
    /// Moves on every node added: a list read before it is not kept.
    generation: AtomicU64,
}

impl std::fmt::Debug for JurisdictionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JurisdictionCache").finish_non_exhaustive()
    }
}

fn fresh(c: &Cached) -> Option<Nodes> {
    (c.at.elapsed() < LIST_TTL).then(|| c.nodes.clone())
}

impl JurisdictionCache {
    pub(crate) fn node(&self, code: &str) -> Option<Jurisdiction> {
        self.by_code.read().ok()?.get(code).cloned()
    }

    pub(crate) fn keep_node(&self, j: &Jurisdiction) {
        if let Ok(mut m) = self.by_code.write() {
            if m.len() >= MAX_NODES {
                m.clear();
            }
            m.insert(j.code.as_str().to_string(), j.clone());
        }
    }

    /// The generation to pass back to `keep_…` after reading from the database.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub(crate) fn roots(&self) -> Option<Nodes> {
        self.roots.lock().ok()?.as_ref().and_then(fresh)
    }

    pub(crate) fn keep_roots(&self, read_at: u64, nodes: Nodes) {
        if let Ok(mut r) = self.roots.lock()
            && self.generation() == read_at
        {
            *r = Some(Cached {
                at: Instant::now(),
                nodes,
            });
        }
    }

    pub(crate) fn subtree(&self, root: &str, max_level: Level) -> Option<Nodes> {
        self.subtrees
            .lock()
            .ok()?
            .get(&(root.to_string(), max_level))
            .and_then(fresh)
    }

    pub(crate) fn keep_subtree(&self, read_at: u64, root: &str, max_level: Level, nodes: Nodes) {
        if let Ok(mut m) = self.subtrees.lock()
            && self.generation() == read_at
        {
            if m.len() >= MAX_SUBTREES {
                m.clear();
            }
            m.insert(
                (root.to_string(), max_level),
                Cached {
                    at: Instant::now(),
                    nodes,
                },
            );
        }
    }

    pub(crate) fn children(&self, parent: &str) -> Option<Nodes> {
        self.children.lock().ok()?.get(parent).and_then(fresh)
    }

    pub(crate) fn keep_children(&self, read_at: u64, parent: &str, nodes: Nodes) {
        if let Ok(mut m) = self.children.lock()
            && self.generation() == read_at
        {
            if m.len() >= MAX_SUBTREES {
                m.clear();
            }
            m.insert(
                parent.to_string(),
                Cached {
                    at: Instant::now(),
                    nodes,
                },
            );
        }
    }

    /// A node was added: every list may have changed (nodes kept by code have not).
    pub(crate) fn node_added(&self) {
        // Under the locks, so that no list read before the change is kept after it.
        let mut roots = self.roots.lock().unwrap_or_else(|e| e.into_inner());
        let mut subtrees = self.subtrees.lock().unwrap_or_else(|e| e.into_inner());
        let mut children = self.children.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        *roots = None;
        subtrees.clear();
        children.clear();
    }

    /// The table is gone (`migrate_down_all`): forget every node too.
    pub(crate) fn forget_all(&self) {
        self.node_added();
        if let Ok(mut m) = self.by_code.write() {
            m.clear();
        }
    }
}
