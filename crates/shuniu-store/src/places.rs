//! Places a resident knows (issue 12, item 3): road, compound and landmark names under
//! their community, and the communities' own names, looked up by a typed fragment.
//!
//! Every name's two-character grams sit in `place_grams (gram, place_id)`, so a
//! fragment of two or more characters is a lookup of its grams by the primary key
//! (the names holding all of them), checked for the whole fragment afterwards; one
//! character is a prefix range over `place_names_name`. No `LIKE '%…%'` scan.

use std::collections::{HashMap, HashSet};

use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_domain::places::{PlaceNameKind, bigrams, normalize};
use uuid::Uuid;

use crate::{Result, Store, StoreError, on_pool};

/// One name a fragment matched, with the community, street and district it lies in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlaceHit {
    /// The name as stored (梅园新村, 珠江路, 锁金一村社区 …).
    pub name: String,
    pub kind: PlaceNameKind,
    pub community: Option<Jurisdiction>,
    pub street: Option<Jurisdiction>,
    pub district: Option<Jurisdiction>,
}

#[derive(sqlx::FromRow)]
struct MatchRow {
    name: String,
    kind: String,
    path: String,
}

/// How many names one lookup reads before keeping those holding the whole fragment.
const READ_LIMIT: i64 = 400;

impl Store {
    /// Adds place names (`(jurisdiction code, name, kind)`) with their grams, in one
    /// transaction; a name already under that node with that kind is left as it is.
    /// Returns how many were added.
    pub async fn add_place_names(
        &self,
        names: &[(String, String, PlaceNameKind)],
    ) -> Result<usize> {
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let mut added = 0;
            for (code, name, kind) in names {
                let id: Option<Uuid> = sqlx::query_scalar(
                    "INSERT INTO place_names (id, jurisdiction_code, name, kind) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (jurisdiction_code, name, kind) DO NOTHING RETURNING id",
                )
                .bind(Uuid::now_v7())
                .bind(code)
                .bind(name)
                .bind(kind.as_str())
                .fetch_optional(&mut *tx)
                .await?;
                let Some(id) = id else { continue };
                for g in bigrams(name) {
                    sqlx::query(
                        "INSERT INTO place_grams (gram, place_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(g)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
                added += 1;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(added)
        })
    }

    /// Indexes the names of the communities under `root` (their `name_zh`), so that
    /// typing a community's name finds it like any other place. Idempotent.
    pub async fn index_community_names(&self, root: &Jurisdiction) -> Result<usize> {
        let nodes = self.jurisdiction_subtree(root, Level::Community).await?;
        let names: Vec<_> = nodes
            .into_iter()
            .filter(|j| j.level == Level::Community)
            .map(|j| (j.code.to_string(), j.name_zh, PlaceNameKind::Community))
            .collect();
        self.add_place_names(&names).await
    }

    /// The places whose names contain `fragment` (normalized), nearest the root of the
    /// tree first, one per community (the first name matched there), at most `limit`.
    pub async fn find_places(&self, fragment: &str, limit: usize) -> Result<Vec<PlaceHit>> {
        let q = normalize(fragment);
        let grams = bigrams(&q);
        let rows: Vec<MatchRow> = if q.is_empty() {
            vec![]
        } else if grams.is_empty() {
            // One character: the names starting with it (a range of the name index).
            let first = q.chars().next().unwrap_or('\0');
            let next = char::from_u32(first as u32 + 1).unwrap_or(char::MAX);
            let sql = format!(
                "SELECT n.name, n.kind, j.path FROM place_names n JOIN jurisdictions j ON j.code = n.jurisdiction_code \
                 WHERE n.name >= $1 AND n.name < $2 ORDER BY j.path, n.kind, n.name LIMIT {READ_LIMIT}"
            );
            on_pool!(self, |p| sqlx::query_as::<_, MatchRow>(&sql)
                .bind(first.to_string())
                .bind(next.to_string())
                .fetch_all(p)
                .await)?
        } else {
            // The names holding every gram of the fragment: one primary-key range per gram.
            let marks: Vec<String> = (1..=grams.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT n.name, n.kind, j.path FROM place_names n JOIN jurisdictions j ON j.code = n.jurisdiction_code \
                 WHERE n.id IN (SELECT g.place_id FROM place_grams g WHERE g.gram IN ({}) \
                 GROUP BY g.place_id HAVING COUNT(*) = {}) \
                 ORDER BY j.path, n.kind, n.name LIMIT {READ_LIMIT}",
                marks.join(", "),
                grams.len()
            );
            on_pool!(self, |p| {
                let mut query = sqlx::query_as::<_, MatchRow>(&sql);
                for g in &grams {
                    query = query.bind(g.clone());
                }
                query.fetch_all(p).await
            })?
        };
        // Every gram present does not make the fragment present (梅园 … 园新 apart):
        // keep the names that hold it whole, one per node.
        let mut seen = HashSet::new();
        let mut kept: Vec<(MatchRow, PlaceNameKind)> = Vec::new();
        for r in rows {
            if !normalize(&r.name).contains(&q) || !seen.insert(r.path.clone()) {
                continue;
            }
            let kind = PlaceNameKind::parse(&r.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("corrupt place kind {}", r.kind)))?;
            kept.push((r, kind));
            if kept.len() >= limit {
                break;
            }
        }
        // The nodes of every path, read at once.
        let codes: HashSet<&str> = kept
            .iter()
            .flat_map(|(r, _)| r.path.trim_end_matches('/').split('/'))
            .collect();
        let codes: Vec<&str> = codes.into_iter().collect();
        let nodes: HashMap<String, Jurisdiction> = self
            .jurisdictions_by_codes(&codes)
            .await?
            .into_iter()
            .map(|j| (j.code.to_string(), j))
            .collect();
        Ok(kept
            .into_iter()
            .map(|(r, kind)| {
                let at = |level: Level| {
                    r.path
                        .trim_end_matches('/')
                        .split('/')
                        .filter_map(|c| nodes.get(c))
                        .find(|j| j.level == level)
                        .cloned()
                };
                PlaceHit {
                    name: r.name,
                    kind,
                    community: at(Level::Community),
                    street: at(Level::Street),
                    district: at(Level::District),
                }
            })
            .collect())
    }

    /// How many grams a name has in the index (for tests of the index itself).
    pub async fn place_gram_count(&self, name: &str) -> Result<i64> {
        let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM place_grams g JOIN place_names n ON n.id = g.place_id WHERE n.name = $1";
        Ok(on_pool!(self, |p| sqlx::query_scalar::<_, i64>(sql)
            .bind(name)
            .fetch_one(p)
            .await)?)
    }
}
