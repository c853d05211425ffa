//! The jurisdiction tree and its per-node counters.

use std::collections::BTreeMap;

use serde::Serialize;
use shuniu_domain::jurisdiction::{Jurisdiction, JurisdictionCode, Level, reference_tree};

use crate::{Result, Store, StoreError, Taken, Unique, on_pool};

#[derive(sqlx::FromRow)]
struct JurisdictionRow {
    code: String,
    name_zh: String,
    name_en: String,
    level: String,
    parent_code: Option<String>,
    path: String,
}

impl TryFrom<JurisdictionRow> for Jurisdiction {
    type Error = StoreError;
    fn try_from(r: JurisdictionRow) -> Result<Self> {
        let bad = |what: &str| {
            StoreError::Corrupt(format!("corrupt jurisdiction row {}: {what}", r.code))
        };
        Ok(Jurisdiction {
            code: JurisdictionCode::parse(&r.code).map_err(|_| bad("code"))?,
            name_zh: r.name_zh.clone(),
            name_en: r.name_en.clone(),
            level: Level::parse(&r.level).ok_or_else(|| bad("level"))?,
            parent: match &r.parent_code {
                Some(p) => Some(JurisdictionCode::parse(p).map_err(|_| bad("parent"))?),
                None => None,
            },
            path: r.path.clone(),
        })
    }
}

/// Live organizations (not deregistered) and their staff (full- plus part-time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SubtreeStats {
    pub organizations: i64,
    pub staff: i64,
}

/// A node's code and path are its own: a second node with either is a `Conflict`.
pub(crate) const UNIQUES: &[Unique] = &[
    Unique {
        pg: "jurisdictions_pkey",
        sqlite: "jurisdictions.code",
        taken: Taken::Conflict("code"),
    },
    Unique {
        pg: "jurisdictions_path_key",
        sqlite: "jurisdictions.path",
        taken: Taken::Conflict("path"),
    },
];

const COLUMNS: &str = "code, name_zh, name_en, level, parent_code, path";

impl Store {
    /// Inserts the reference tree (DOMAIN.md §4) where it is missing; idempotent.
    pub(crate) async fn ensure_reference_tree(&self) -> Result<()> {
        for j in reference_tree() {
            self.insert_jurisdiction_row(&j, true).await?;
        }
        Ok(())
    }

    async fn insert_jurisdiction_row(&self, j: &Jurisdiction, ignore_existing: bool) -> Result<()> {
        let sql = format!(
            "INSERT INTO jurisdictions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6){}",
            if ignore_existing {
                " ON CONFLICT (code) DO NOTHING"
            } else {
                ""
            }
        );
        on_pool!(self, |p| sqlx::query(&sql)
            .bind(j.code.as_str())
            .bind(&j.name_zh)
            .bind(&j.name_en)
            .bind(j.level.as_str())
            .bind(j.parent.as_ref().map(|c| c.as_str()))
            .bind(&j.path)
            .execute(p)
            .await
            .map(|_| ()))?;
        self.jurisdictions.node_added();
        Ok(())
    }

    /// Adds a node (communities are added by users); its parent must exist.
    pub async fn add_jurisdiction(&self, j: &Jurisdiction) -> Result<()> {
        self.insert_jurisdiction_row(j, false).await
    }

    pub async fn jurisdiction(&self, code: &str) -> Result<Option<Jurisdiction>> {
        // PostgreSQL refuses NUL in text; no code holds one, so nothing is found.
        if code.contains('\0') {
            return Ok(None);
        }
        // Stored nodes never change: one read by its code is kept (`jurisdiction_cache`).
        if let Some(j) = self.jurisdictions.node(code) {
            return Ok(Some(j));
        }
        let sql = format!("SELECT {COLUMNS} FROM jurisdictions WHERE code = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, JurisdictionRow>(&sql)
            .bind(code)
            .fetch_optional(p)
            .await)?;
        let found = row.map(Jurisdiction::try_from).transpose()?;
        if let Some(j) = &found {
            self.jurisdictions.keep_node(j);
        }
        Ok(found)
    }

    /// Nodes by code, in code order; unknown codes are left out. One query per 500 codes,
    /// for pages that name the places of many rows.
    pub async fn jurisdictions_by_codes(&self, codes: &[&str]) -> Result<Vec<Jurisdiction>> {
        let mut codes = codes.to_vec();
        codes.sort_unstable();
        codes.dedup();
        let mut out = Vec::with_capacity(codes.len());
        for chunk in codes.chunks(500) {
            let marks = crate::bulk::in_marks(chunk.len());
            let sql = format!(
                "SELECT {COLUMNS} FROM jurisdictions WHERE code IN ({marks}) ORDER BY code"
            );
            let rows = on_pool!(self, |p| {
                let mut q = sqlx::query_as::<_, JurisdictionRow>(&sql);
                for c in chunk {
                    q = q.bind(*c);
                }
                q.fetch_all(p).await
            })?;
            for r in rows {
                out.push(Jurisdiction::try_from(r)?);
            }
        }
        Ok(out)
    }

    /// A node's children in code order, from memory when read lately.
    pub async fn jurisdiction_children(&self, code: &str) -> Result<Vec<Jurisdiction>> {
        if let Some(nodes) = self.jurisdictions.children(code) {
            return Ok(nodes.as_ref().clone());
        }
        let read_at = self.jurisdictions.generation();
        let sql =
            format!("SELECT {COLUMNS} FROM jurisdictions WHERE parent_code = $1 ORDER BY code");
        let rows = on_pool!(self, |p| sqlx::query_as::<_, JurisdictionRow>(&sql)
            .bind(code)
            .fetch_all(p)
            .await)?;
        let nodes: Vec<Jurisdiction> = rows
            .into_iter()
            .map(Jurisdiction::try_from)
            .collect::<Result<_>>()?;
        self.jurisdictions
            .keep_children(read_at, code, std::sync::Arc::new(nodes.clone()));
        Ok(nodes)
    }

    /// The roots of the tree (nodes without a parent), from memory when read lately.
    pub async fn jurisdiction_roots(&self) -> Result<Vec<Jurisdiction>> {
        if let Some(roots) = self.jurisdictions.roots() {
            return Ok(roots.as_ref().clone());
        }
        let read_at = self.jurisdictions.generation();
        let sql =
            format!("SELECT {COLUMNS} FROM jurisdictions WHERE parent_code IS NULL ORDER BY code");
        let rows = on_pool!(self, |p| sqlx::query_as::<_, JurisdictionRow>(&sql)
            .fetch_all(p)
            .await)?;
        let roots: Vec<Jurisdiction> = rows
            .into_iter()
            .map(Jurisdiction::try_from)
            .collect::<Result<_>>()?;
        self.jurisdictions
            .keep_roots(read_at, std::sync::Arc::new(roots.clone()));
        Ok(roots)
    }

    /// Every node in `root`'s subtree down to `max_level`, in path order (a pre-order walk).
    pub async fn jurisdiction_subtree(
        &self,
        root: &Jurisdiction,
        max_level: Level,
    ) -> Result<Vec<Jurisdiction>> {
        Ok(self
            .jurisdiction_subtree_shared(root, max_level)
            .await?
            .as_ref()
            .clone())
    }

    /// [`Store::jurisdiction_subtree`] without copying it: from memory when read lately
    /// (what every list page's filter shows).
    pub async fn jurisdiction_subtree_shared(
        &self,
        root: &Jurisdiction,
        max_level: Level,
    ) -> Result<std::sync::Arc<Vec<Jurisdiction>>> {
        let root_code = root.code.as_str();
        if let Some(nodes) = self.jurisdictions.subtree(root_code, max_level) {
            return Ok(nodes);
        }
        let read_at = self.jurisdictions.generation();
        let (lo, hi) = root.subtree_range();
        let levels: Vec<&str> = Level::ALL
            .iter()
            .filter(|l| **l <= max_level)
            .map(|l| l.as_str())
            .collect();
        let sql = format!(
            "SELECT {COLUMNS} FROM jurisdictions WHERE path >= $1 AND path < $2 AND level IN ('{}') ORDER BY path LIMIT 5000",
            levels.join("','")
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, JurisdictionRow>(&sql)
            .bind(&lo)
            .bind(&hi)
            .fetch_all(p)
            .await)?;
        let nodes: Vec<Jurisdiction> = rows
            .into_iter()
            .map(Jurisdiction::try_from)
            .collect::<Result<_>>()?;
        let nodes = std::sync::Arc::new(nodes);
        self.jurisdictions
            .keep_subtree(read_at, root_code, max_level, nodes.clone());
        Ok(nodes)
    }

    /// Totals over a node and everything below it, from the per-node counters.
    pub async fn subtree_stats(&self, root: &Jurisdiction) -> Result<SubtreeStats> {
        let (lo, hi) = root.subtree_range();
        // SUM of BIGINT is NUMERIC on Postgres: cast back so both drivers decode i64.
        let sql = "SELECT CAST(COALESCE(SUM(s.organizations), 0) AS BIGINT), CAST(COALESCE(SUM(s.staff), 0) AS BIGINT)
                   FROM jurisdiction_stats s JOIN jurisdictions j ON j.code = s.jurisdiction_code
                   WHERE j.path >= $1 AND j.path < $2";
        let (organizations, staff) = on_pool!(self, |p| sqlx::query_as::<_, (i64, i64)>(sql)
            .bind(&lo)
            .bind(&hi)
            .fetch_one(p)
            .await)?;
        Ok(SubtreeStats {
            organizations,
            staff,
        })
    }

    /// Subtree totals for every node under `root` (and `root` itself), keyed by code:
    /// one query over the counters, rolled up along each node's path. Its length is the
    /// subtree's nodes (thousands under a province, each page of the tree asks): kept
    /// until the next write (`figures_cache`).
    pub async fn subtree_stats_under(
        &self,
        root: &Jurisdiction,
    ) -> Result<std::sync::Arc<BTreeMap<String, SubtreeStats>>> {
        self.cached_until_write(&self.figures.stats_under, root.code.as_str(), || async {
            Ok(std::sync::Arc::new(self.count_stats_under(root).await?))
        })
        .await
    }

    async fn count_stats_under(
        &self,
        root: &Jurisdiction,
    ) -> Result<BTreeMap<String, SubtreeStats>> {
        let (lo, hi) = root.subtree_range();
        let sql = "SELECT j.path, s.organizations, s.staff
                   FROM jurisdiction_stats s JOIN jurisdictions j ON j.code = s.jurisdiction_code
                   WHERE j.path >= $1 AND j.path < $2";
        let rows = on_pool!(self, |p| sqlx::query_as::<_, (String, i64, i64)>(sql)
            .bind(&lo)
            .bind(&hi)
            .fetch_all(p)
            .await)?;
        let mut out: BTreeMap<String, SubtreeStats> = BTreeMap::new();
        for (path, orgs, staff) in rows {
            for code in path.trim_end_matches('/').split('/') {
                let e = out.entry(code.to_string()).or_default();
                e.organizations += orgs;
                e.staff += staff;
            }
        }
        Ok(out)
    }
}
