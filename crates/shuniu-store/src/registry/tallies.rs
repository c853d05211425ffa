//! Maintained counters of organizations by the list's filters (issue 11, item 2): the
//! total of a list is read from them, never counted over the range it lists.
//!
//! `organization_tallies` holds, per (node, status, legal form, grade, stage), how many
//! organizations are filed at the node or below it; `organization_domain_tallies` the
//! same per service domain. An organization is counted at every ancestor of its
//! jurisdiction, itself included, and at the root marker [`EVERYWHERE`]: a total is one
//! indexed lookup of one node's rows (at most 288 of them), whatever the size of the
//! subtree. Counting at every ancestor costs a write a handful of upserts (five levels
//! and the root), and keeps reads free of any join with the tree.
//!
//! Every write that changes a counted column (creation, edit, status, grade, change
//! registration) reads the organization's [`TallyKey`] before and after, in its own
//! transaction, and adds the difference with one upsert per touched row
//! (`n = n + excluded.n`): atomic in the database, no read-modify-write in Rust. The
//! upserts come after the write's audit record, in key order: every writer takes the
//! audit head first and the tally rows second, so two writers never wait on each other
//! in opposite orders (PostgreSQL); SQLite's writers are serialized anyway.

use std::collections::BTreeMap;

use shuniu_domain::registry::{Organization, OrganizationData, ServiceDomain};

use super::OrgFilter;
use crate::bulk::values_sql;
use crate::{Arg, Dialect, Result, Store, bind_args, on_pool};

/// The node code of the rows that count every organization (no jurisdiction filter).
/// No jurisdiction code is empty (they are 6 or 12 digits).
pub(crate) const EVERYWHERE: &str = "";

/// What the tallies count an organization by: its path (whose nodes are its ancestors)
/// and its counted columns, as stored (no grade: `""`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TallyKey {
    pub path: String,
    pub status: String,
    pub legal_form: String,
    pub grade: String,
    pub stage: String,
    pub domains: Vec<&'static str>,
}

/// The columns of a [`TallyKey`], read from `organizations` (see [`tally_key!`]).
pub(crate) const TALLY_KEY_SELECT: &str = "SELECT jurisdiction_path, status, legal_form, \
    COALESCE(grade, ''), stage, domains_mask FROM organizations WHERE id = $1";

pub(crate) type TallyRow = (String, String, String, String, String, i64);

impl TallyKey {
    pub(crate) fn from_row(r: TallyRow) -> TallyKey {
        let (path, status, legal_form, grade, stage, mask) = r;
        TallyKey {
            path,
            status,
            legal_form,
            grade,
            stage,
            domains: ServiceDomain::from_mask(mask)
                .into_iter()
                .map(ServiceDomain::as_str)
                .collect(),
        }
    }

    /// A new registration's key (registrations start active).
    pub(crate) fn created(d: &OrganizationData, path: &str) -> TallyKey {
        TallyKey {
            path: path.to_string(),
            status: shuniu_domain::registry::OrgStatus::Active.as_str().into(),
            legal_form: d.legal_form.as_str().into(),
            grade: d.grade.map(|g| g.as_str()).unwrap_or("").into(),
            stage: d.stage.as_str().into(),
            domains: d.domains.iter().map(|d| d.as_str()).collect(),
        }
    }

    /// An organization's key from its record as read (with its path): a write that
    /// read the row already builds the key from it rather than reading it again.
    pub(crate) fn of(org: &Organization, path: &str) -> TallyKey {
        TallyKey {
            path: path.to_string(),
            status: org.status.as_str().into(),
            legal_form: org.data.legal_form.as_str().into(),
            grade: org.data.grade.map(|g| g.as_str()).unwrap_or("").into(),
            stage: org.data.stage.as_str().into(),
            domains: org.data.domains.iter().map(|d| d.as_str()).collect(),
        }
    }

    /// The nodes that count this organization: the root marker and every code of its path.
    fn nodes(&self) -> impl Iterator<Item = &str> {
        std::iter::once(EVERYWHERE).chain(
            self.path
                .trim_end_matches('/')
                .split('/')
                .filter(|c| !c.is_empty()),
        )
    }
}

/// The columns of a tally row's key joined by [`SEP`]: `node SEP status SEP form SEP
/// grade SEP stage` (plain) or `node SEP domain SEP status …` (by domain). One string
/// per row, looked up by `&str` and allocated only when new: a batch of 10,000
/// registrations adds about 200,000 deltas to a few thousand rows, and keys of five
/// owned strings each cost a third of a bulk load's time outside SQLite in allocation
/// and comparison. The unit separator sorts below every character of a code, so rows
/// keep the order of their columns (the upserts' lock order).
const SEP: char = '\u{1f}';

/// Differences to add to the tallies, summed per row in memory so that a batch writes
/// each touched row once (and an edit that changes no counted column writes nothing).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct TallyDeltas {
    plain: BTreeMap<String, i64>,
    domain: BTreeMap<String, i64>,
}

/// Rows per upsert statement (7 values each: well under either engine's bind limit).
const ROWS_PER_UPSERT: usize = 200;

/// Adds `sign` to the row `key`, allocating the key only for a row not seen yet.
fn bump(rows: &mut BTreeMap<String, i64>, key: &str, sign: i64) {
    match rows.get_mut(key) {
        Some(n) => *n += sign,
        None => {
            rows.insert(key.to_owned(), sign);
        }
    }
}

/// The columns of a row's key, in order.
fn columns(key: &str) -> impl Iterator<Item = &str> {
    key.split(SEP)
}

impl TallyDeltas {
    /// Adds `sign` (1: counted from now on, -1: no longer) for `key` at all its nodes.
    pub(crate) fn add(&mut self, key: &TallyKey, sign: i64) {
        // `SEP status SEP form SEP grade SEP stage`, shared by every row of this key.
        let mut counted = String::with_capacity(48);
        for c in [&key.status, &key.legal_form, &key.grade, &key.stage] {
            counted.push(SEP);
            counted.push_str(c);
        }
        let mut row = String::with_capacity(96);
        for node in key.nodes() {
            row.clear();
            row.push_str(node);
            row.push_str(&counted);
            bump(&mut self.plain, &row, sign);
            for d in &key.domains {
                row.clear();
                row.push_str(node);
                row.push(SEP);
                row.push_str(d);
                row.push_str(&counted);
                bump(&mut self.domain, &row, sign);
            }
        }
    }

    /// One organization changed from `before` to `after` (`None`: did not exist).
    pub(crate) fn moved(before: Option<&TallyKey>, after: Option<&TallyKey>) -> TallyDeltas {
        let mut out = TallyDeltas::default();
        if let Some(b) = before {
            out.add(b, -1);
        }
        if let Some(a) = after {
            out.add(a, 1);
        }
        out
    }

    /// New registrations, each with the path of its jurisdiction.
    pub(crate) fn created<'a>(
        items: impl IntoIterator<Item = (&'a OrganizationData, &'a str)>,
    ) -> TallyDeltas {
        let mut out = TallyDeltas::default();
        for (d, path) in items {
            out.add(&TallyKey::created(d, path), 1);
        }
        out
    }

    /// The upserts that add these differences (rows that sum to 0 left out), each with
    /// its values, in key order.
    pub(crate) fn statements(&self, dialect: Dialect) -> Vec<(String, Vec<Arg>)> {
        let mut out = Vec::new();
        let plain: Vec<_> = self.plain.iter().filter(|(_, n)| **n != 0).collect();
        for chunk in plain.chunks(ROWS_PER_UPSERT) {
            let mut args = Vec::with_capacity(chunk.len() * 6);
            for (key, n) in chunk {
                args.extend(columns(key).map(|c| Arg::Text(c.to_owned())));
                args.push(Arg::Int(**n));
            }
            out.push((
                upsert_sql(
                    dialect,
                    "organization_tallies",
                    "jurisdiction_code, status, legal_form, grade, stage",
                    6,
                    chunk.len(),
                ),
                args,
            ));
        }
        let domain: Vec<_> = self.domain.iter().filter(|(_, n)| **n != 0).collect();
        for chunk in domain.chunks(ROWS_PER_UPSERT) {
            let mut args = Vec::with_capacity(chunk.len() * 7);
            for (key, n) in chunk {
                args.extend(columns(key).map(|c| Arg::Text(c.to_owned())));
                args.push(Arg::Int(**n));
            }
            out.push((
                upsert_sql(
                    dialect,
                    "organization_domain_tallies",
                    "jurisdiction_code, domain, status, legal_form, grade, stage",
                    7,
                    chunk.len(),
                ),
                args,
            ));
        }
        out
    }
}

/// `INSERT … VALUES (…), (…) ON CONFLICT (key) DO UPDATE SET n = n + excluded.n` for
/// `rows` rows of `width` values (the key's columns, then `n`). Keys within one
/// statement are distinct (summed beforehand), as PostgreSQL requires.
fn upsert_sql(dialect: Dialect, table: &str, key: &str, width: usize, rows: usize) -> String {
    format!(
        "INSERT INTO {table} ({key}, n) VALUES {} ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + excluded.n",
        values_sql(dialect, width, rows)
    )
}

/// Reads the [`TallyKey`] of organization `$id` inside `$tx`, locking its row on
/// PostgreSQL (the write that follows changes it): before and after a write.
macro_rules! tally_key {
    ($store:expr, $tx:expr, $id:expr) => {{
        let lock = $store.row_lock(" FOR UPDATE");
        let row: $crate::registry::tallies::TallyRow = sqlx::query_as(&format!(
            "{}{lock}",
            $crate::registry::tallies::TALLY_KEY_SELECT
        ))
        .bind($id)
        .fetch_one(&mut *$tx)
        .await?;
        $crate::registry::tallies::TallyKey::from_row(row)
    }};
}
pub(crate) use tally_key;

/// Adds `$deltas` (a [`TallyDeltas`]) to the tallies inside `$tx`. After the write's
/// audit record (see the module's note on lock order).
macro_rules! apply_tallies {
    ($store:expr, $tx:expr, $deltas:expr) => {{
        for (sql, args) in $deltas.statements($store.dialect()) {
            $crate::bind_args!(sqlx::query(&sql), args)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use apply_tallies;

/// Organization `$id` was changed inside `$tx` and `$before` is its key from before the
/// change: reads the key after and adds the difference. After the audit record.
macro_rules! tally_moved {
    ($store:expr, $tx:expr, $id:expr, $before:expr) => {{
        let after = $crate::registry::tallies::tally_key!($store, $tx, $id);
        let deltas = $crate::registry::tallies::TallyDeltas::moved(Some(&$before), Some(&after));
        $crate::registry::tallies::apply_tallies!($store, $tx, deltas);
    }};
}
pub(crate) use tally_moved;

/// The counts the tallies should hold, straight from the registry: the ancestors of an
/// organization are the nodes whose subtree range holds its path (the migration's
/// backfill is the same query).
const PLAIN_RECOUNT: &str = "SELECT j.code, o.status, o.legal_form, COALESCE(o.grade, ''), o.stage, COUNT(*) \
    FROM organizations o JOIN jurisdictions j \
      ON o.jurisdiction_path >= j.path AND o.jurisdiction_path < substr(j.path, 1, length(j.path) - 1) || '0' \
    GROUP BY j.code, o.status, o.legal_form, COALESCE(o.grade, ''), o.stage \
    UNION ALL \
    SELECT '', o.status, o.legal_form, COALESCE(o.grade, ''), o.stage, COUNT(*) FROM organizations o \
    GROUP BY o.status, o.legal_form, COALESCE(o.grade, ''), o.stage";

const DOMAIN_RECOUNT: &str = "SELECT j.code, d.domain, o.status, o.legal_form, COALESCE(o.grade, ''), o.stage, COUNT(*) \
    FROM organizations o JOIN organization_domains d ON d.organization_id = o.id JOIN jurisdictions j \
      ON o.jurisdiction_path >= j.path AND o.jurisdiction_path < substr(j.path, 1, length(j.path) - 1) || '0' \
    GROUP BY j.code, d.domain, o.status, o.legal_form, COALESCE(o.grade, ''), o.stage \
    UNION ALL \
    SELECT '', d.domain, o.status, o.legal_form, COALESCE(o.grade, ''), o.stage, COUNT(*) \
    FROM organizations o JOIN organization_domains d ON d.organization_id = o.id \
    GROUP BY d.domain, o.status, o.legal_form, COALESCE(o.grade, ''), o.stage";

const PLAIN_KEPT: &str = "SELECT jurisdiction_code, status, legal_form, grade, stage, n \
    FROM organization_tallies WHERE n <> 0";
const DOMAIN_KEPT: &str = "SELECT jurisdiction_code, domain, status, legal_form, grade, stage, n \
    FROM organization_domain_tallies WHERE n <> 0";

/// Whether `s` is a jurisdiction code as stored (6 or 12 digits, nothing around them).
fn is_code(s: &str) -> bool {
    (s.len() == 6 || s.len() == 12) && s.bytes().all(|c| c.is_ascii_digit())
}

/// The counts a page of the organization list is weighed and totalled by
/// ([`Store::tally_counts`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TallyCounts {
    /// Organizations of the filter's subtree (every organization without one).
    pub subtree: i64,
    /// Organizations matching the whole filter: the list's total.
    pub matching: i64,
    /// Organizations of the node the sort's index walk passes through: the district's
    /// when the walk keeps to one district's entries, else all registered.
    pub walked: i64,
}

/// The sum of the rows' counts; SUM of BIGINT is NUMERIC on PostgreSQL: cast back so
/// both drivers decode i64.
fn sum_n() -> &'static str {
    "CAST(COALESCE(SUM(n), 0) AS BIGINT)"
}

/// A lookup of tally rows: the table, the WHERE and its values.
type TallyLookup = (&'static str, String, Vec<Arg>);

/// The tally rows that count `filter`: their table, the WHERE (`$1` is always the node)
/// and its values. `None`: the tallies do not count by it (a code or name in `q`, the
/// search index's hits in `ids`); `Some(None)`: it names no jurisdiction code, so
/// nothing matches.
fn tally_lookup(filter: &OrgFilter) -> Option<Option<TallyLookup>> {
    if filter.ids.is_some() || filter.q.as_deref().is_some_and(|q| !q.trim().is_empty()) {
        return None;
    }
    let node = match filter.jurisdiction.as_deref() {
        Some(code) if !is_code(code) => return Some(None),
        Some(code) => code,
        None => EVERYWHERE,
    };
    let mut args = vec![Arg::Text(node.into())];
    let mut clauses = vec!["jurisdiction_code = $1".to_string()];
    let table = match filter.domain {
        Some(d) => {
            args.push(Arg::Text(d.as_str().into()));
            clauses.push("domain = $2".into());
            "organization_domain_tallies"
        }
        None => "organization_tallies",
    };
    let dims = [
        ("status", filter.status.map(|s| s.as_str())),
        ("legal_form", filter.legal_form.map(|f| f.as_str())),
        ("grade", filter.grade.map(|g| g.as_str())),
        ("stage", filter.stage.map(|s| s.as_str())),
    ];
    for (column, value) in dims {
        if let Some(v) = value {
            args.push(Arg::Text(v.into()));
            clauses.push(format!("{column} = ${}", args.len()));
        }
    }
    Some(Some((table, clauses.join(" AND "), args)))
}

impl Store {
    /// The number of organizations matching `filter`, from the tallies: `Some` when
    /// the filter is one they count by (any of jurisdiction, status, legal form, grade,
    /// stage and domain), `None` when it is not (a code or name in `q`, or the search
    /// index's hits in `ids`): then the caller counts. An unknown jurisdiction: `Some(0)`,
    /// as its list is empty. One indexed lookup of at most a few hundred rows.
    pub async fn organization_total(&self, filter: &OrgFilter) -> Result<Option<i64>> {
        let Some(lookup) = tally_lookup(filter) else {
            return Ok(None);
        };
        let Some((table, clauses, args)) = lookup else {
            return Ok(Some(0));
        };
        let sql = format!("SELECT {} FROM {table} WHERE {clauses}", sum_n());
        let total = on_pool!(self, |p| bind_args!(
            sqlx::query_scalar::<_, i64>(&sql),
            args
        )
        .fetch_one(p)
        .await)?;
        Ok(Some(total))
    }

    /// What a keyset page of `filter` is planned and totalled by, in one statement of
    /// three indexed lookups: the organizations of the filter's subtree (the city when
    /// it names none), those matching the whole filter, and those of the node `walked`
    /// (a district code, or [`EVERYWHERE`]: what a walk of the sort's index passes).
    /// `None` when the tallies do not count by the filter (a code or name in `q`, search
    /// hits). Counts every status: a walk of the sort's index passes deregistered rows too.
    pub(crate) async fn tally_counts(
        &self,
        filter: &OrgFilter,
        walked: &str,
    ) -> Result<Option<TallyCounts>> {
        let Some(lookup) = tally_lookup(filter) else {
            return Ok(None);
        };
        let Some((table, clauses, mut args)) = lookup else {
            return Ok(Some(TallyCounts::default()));
        };
        args.push(Arg::Text(walked.into()));
        // `$1` is the node in every lookup (see `tally_lookup`), the walked node last.
        let sql = format!(
            "SELECT (SELECT {sum} FROM organization_tallies WHERE jurisdiction_code = $1), \
                    (SELECT {sum} FROM {table} WHERE {clauses}), \
                    (SELECT {sum} FROM organization_tallies WHERE jurisdiction_code = ${walked})",
            sum = sum_n(),
            walked = args.len()
        );
        let (subtree, matching, walked) = on_pool!(self, |p| bind_args!(
            sqlx::query_as::<_, (i64, i64, i64)>(&sql),
            args
        )
        .fetch_one(p)
        .await)?;
        Ok(Some(TallyCounts {
            subtree,
            matching,
            walked,
        }))
    }

    /// Rebuilds the tallies from the registry in one transaction (repair: after a bulk
    /// load outside the store, or if `tally_mismatches` finds any). PostgreSQL: the
    /// tallies are locked first, so a write under way either finishes before the recount
    /// reads the registry or adds its difference after it.
    pub async fn recount_tallies(&self) -> Result<()> {
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            if self.dialect() == crate::Dialect::Postgres {
                sqlx::query(
                    "LOCK TABLE organization_tallies, organization_domain_tallies IN EXCLUSIVE MODE",
                )
                .execute(&mut *tx)
                .await?;
            }
            for sql in [
                "DELETE FROM organization_tallies".to_string(),
                "DELETE FROM organization_domain_tallies".to_string(),
                format!(
                    "INSERT INTO organization_tallies (jurisdiction_code, status, legal_form, grade, stage, n) {PLAIN_RECOUNT}"
                ),
                format!(
                    "INSERT INTO organization_domain_tallies (jurisdiction_code, domain, status, legal_form, grade, stage, n) {DOMAIN_RECOUNT}"
                ),
            ] {
                sqlx::query(&sql).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, crate::StoreError>(())
        })
    }

    /// The tally rows that differ from a recount of the registry, one line each (for
    /// tests and checks; empty when the tallies are exact). Zero rows count as absent.
    pub async fn tally_mismatches(&self) -> Result<Vec<String>> {
        type Plain = (String, String, String, String, String, i64);
        type Domain = (String, String, String, String, String, String, i64);
        let (plain_real, plain_kept, domain_real, domain_kept) = on_pool!(self, |p| {
            let mut tx = p.begin_with(self.read_snapshot_sql()).await?;
            let a = sqlx::query_as::<_, Plain>(PLAIN_RECOUNT)
                .fetch_all(&mut *tx)
                .await?;
            let b = sqlx::query_as::<_, Plain>(PLAIN_KEPT)
                .fetch_all(&mut *tx)
                .await?;
            let c = sqlx::query_as::<_, Domain>(DOMAIN_RECOUNT)
                .fetch_all(&mut *tx)
                .await?;
            let d = sqlx::query_as::<_, Domain>(DOMAIN_KEPT)
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>((a, b, c, d))
        })?;
        let mut out = differences(
            "organization_tallies",
            plain_real
                .into_iter()
                .map(|(a, b, c, d, e, n)| (vec![a, b, c, d, e], n)),
            plain_kept
                .into_iter()
                .map(|(a, b, c, d, e, n)| (vec![a, b, c, d, e], n)),
        );
        out.extend(differences(
            "organization_domain_tallies",
            domain_real
                .into_iter()
                .map(|(a, b, c, d, e, f, n)| (vec![a, b, c, d, e, f], n)),
            domain_kept
                .into_iter()
                .map(|(a, b, c, d, e, f, n)| (vec![a, b, c, d, e, f], n)),
        ));
        Ok(out)
    }
}

/// The keys whose `kept` count differs from the `real` one, as lines.
fn differences(
    table: &str,
    real: impl Iterator<Item = (Vec<String>, i64)>,
    kept: impl Iterator<Item = (Vec<String>, i64)>,
) -> Vec<String> {
    let real: BTreeMap<_, _> = real.collect();
    let kept: BTreeMap<_, _> = kept.collect();
    let mut keys: Vec<&Vec<String>> = real.keys().chain(kept.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (r, c) = (
                real.get(k).copied().unwrap_or(0),
                kept.get(k).copied().unwrap_or(0),
            );
            (r != c).then(|| format!("{table} {k:?}: kept {c}, registry {r}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(path: &str, status: &str, grade: &str, domains: &[&'static str]) -> TallyKey {
        TallyKey {
            path: path.into(),
            status: status.into(),
            legal_form: "social_group".into(),
            grade: grade.into(),
            stage: "growth".into(),
            domains: domains.to_vec(),
        }
    }

    #[test]
    fn an_organization_counts_at_the_root_and_every_node_of_its_path() {
        let k = key("320000/320100/320102/", "active", "", &["elderly"]);
        let nodes: Vec<&str> = k.nodes().collect();
        assert_eq!(nodes, ["", "320000", "320100", "320102"]);
        let d = TallyDeltas::moved(None, Some(&k));
        assert_eq!(d.plain.len(), 4);
        assert_eq!(d.domain.len(), 4);
        assert!(d.plain.values().all(|n| *n == 1));
    }

    #[test]
    fn a_change_of_an_uncounted_column_writes_nothing() {
        let k = key("320000/320100/", "active", "3A", &["elderly", "children"]);
        assert!(
            TallyDeltas::moved(Some(&k), Some(&k))
                .statements(Dialect::Postgres)
                .is_empty()
        );
    }

    #[test]
    fn a_move_within_a_district_touches_only_the_streets() {
        let a = key(
            "320000/320100/320102/320102002000/",
            "active",
            "",
            &["elderly"],
        );
        let b = key(
            "320000/320100/320102/320102007000/",
            "active",
            "",
            &["elderly"],
        );
        let d = TallyDeltas::moved(Some(&a), Some(&b));
        let touched: Vec<(&str, i64)> = d
            .plain
            .iter()
            .filter(|(_, n)| **n != 0)
            .map(|(k, n)| (columns(k).next().unwrap(), *n))
            .collect();
        assert_eq!(touched, [("320102002000", -1), ("320102007000", 1)]);
    }

    #[test]
    fn a_batch_sums_its_rows_and_chunks_its_upserts() {
        let mut d = TallyDeltas::default();
        for i in 0..300 {
            // 300 distinct streets under one district: 300 + 4 plain rows.
            let k = key(
                &format!("320000/320100/320102/320102{i:06}/"),
                "active",
                "",
                &[],
            );
            d.add(&k, 1);
        }
        assert_eq!(
            d.plain[&["320102", "active", "social_group", "", "growth"].join(&SEP.to_string())],
            300
        );
        let statements = d.statements(Dialect::Postgres);
        assert_eq!(
            statements.len(),
            2,
            "304 rows in chunks of {ROWS_PER_UPSERT}"
        );
        assert_eq!(statements[0].1.len(), ROWS_PER_UPSERT * 6);
        assert!(
            statements[0]
                .0
                .contains(&format!("${}", ROWS_PER_UPSERT * 6))
        );
        assert!(
            statements[0]
                .0
                .ends_with("n = organization_tallies.n + excluded.n")
        );
    }

    #[test]
    fn rows_keep_the_order_of_their_columns() {
        // A node whose code is a prefix of another's sorts first, as its column did; the
        // columns come back apart, in order.
        let mut d = TallyDeltas::default();
        d.add(&key("320000/320100/", "active", "3A", &["elderly"]), 1);
        d.add(&key("320000/3201/", "suspended", "", &[]), 1);
        let keys: Vec<Vec<&str>> = d.plain.keys().map(|k| columns(k).collect()).collect();
        assert_eq!(keys[0], ["", "active", "social_group", "3A", "growth"]);
        let nodes: Vec<&str> = keys.iter().map(|k| k[0]).collect();
        assert_eq!(nodes, ["", "", "320000", "320000", "3201", "320100"]);
        let domain: Vec<Vec<&str>> = d.domain.keys().map(|k| columns(k).collect()).collect();
        assert_eq!(
            domain[0],
            ["", "elderly", "active", "social_group", "3A", "growth"]
        );
        assert_eq!(d.statements(Dialect::Sqlite)[0].1.len(), 6 * 6);
    }

    #[test]
    fn only_whole_codes_are_looked_up() {
        assert!(is_code("320102") && is_code("320102002000"));
        assert!(!is_code("") && !is_code(" 320102") && !is_code("32010a"));
    }
}
