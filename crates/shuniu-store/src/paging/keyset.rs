//! Keyset pages: a list read by walking its sort index from a cursor and stopping after
//! the page, so page 500 costs what page 1 does and a row inserted before the cursor
//! neither repeats nor hides a row of the next page.
//!
//! A cursor is an opaque, URL-safe token: base64url of a small JSON array — the list's
//! order tag, the direction (`n`ext: rows after the keys, `p`revious: rows before), and
//! the sort keys' values, typed by the walk's [`Key`]s. A token of another list or order,
//! or garbage, is refused as an invalid `cursor` (the web answers 422 naming it).
//!
//! Totals are never a `COUNT(*)` over the whole range: [`Store::bounded_count`] stops at
//! [`TOTAL_BOUND`] + 1 rows and says "at least" past it.

use serde::Serialize;
use serde_json::Value;
use shuniu_domain::{FieldError, FieldErrors};
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use super::{Key, Sql, Walk};
use crate::{Arg, Result, Store, StoreError, bind_args, on_pool};

/// Counting stops past this many rows: a total above it is shown as "10,000+".
pub const TOTAL_BOUND: i64 = 10_000;

/// How many rows a list has: exactly, or at least this many (the count stopped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Total {
    Exact(i64),
    AtLeast(i64),
}

impl Total {
    /// The number (a lower bound when [`Total::is_lower_bound`]).
    pub fn count(self) -> i64 {
        match self {
            Total::Exact(n) | Total::AtLeast(n) => n,
        }
    }
    pub fn is_lower_bound(self) -> bool {
        matches!(self, Total::AtLeast(_))
    }
    /// From a count of at most [`TOTAL_BOUND`] + 1 rows.
    pub fn from_bounded(n: i64) -> Total {
        if n > TOTAL_BOUND {
            Total::AtLeast(TOTAL_BOUND)
        } else {
            Total::Exact(n)
        }
    }
}

/// One page of a list read by keyset: its rows, the cursors of the pages either side
/// (`None`: there is none), and how many rows the list has.
#[derive(Debug, Clone, Serialize)]
pub struct KeyPage<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
    pub prev: Option<String>,
    pub total: Total,
    pub per_page: u32,
}

/// Where a keyset page starts.
#[derive(Debug, Clone, Copy)]
pub enum At<'a> {
    /// From a cursor (`None`: the first page).
    Cursor(Option<&'a str>),
    /// After skipping this many rows: page numbers kept for old links, bounded by the
    /// caller (a deep offset reads every row it skips).
    Offset(u64),
}

/// A list as a keyset page reads it.
pub(crate) struct KeyList<'a> {
    /// A `WITH … ` prefix the select reads from (empty when none).
    pub with: &'a str,
    /// `SELECT … FROM … WHERE <filters>`, no order.
    pub select: Sql<'a>,
    pub walk: Walk<'a>,
    /// Names the list and its order in the cursor, so that a cursor of another list or
    /// order is refused rather than read with the wrong keys.
    pub tag: &'a str,
    /// The store planned this read as a walk of the order's index (see [`Read`]).
    pub walk_index: bool,
}

/// One read of rows in key order: what [`Store::keyed_rows`] builds a statement from.
pub(crate) struct Read<'a> {
    pub with: &'a str,
    pub select: Sql<'a>,
    pub keys: &'a [(&'a str, Key)],
    pub desc: bool,
    /// Only rows strictly after these keys, in the read's direction.
    pub after: Option<&'a [Arg]>,
    pub limit: u32,
    pub offset: u64,
    /// The store planned this read as a walk of the order's index, stopping after the
    /// page (its filters hidden from every other index, `paging::unindexed`). SQLite
    /// then has no other way; PostgreSQL could still scan the table and sort when its
    /// estimate of the hidden filters is tiny (a district's 3A public-welfare page: a
    /// parallel scan of 1,000,000 rows, 0.5 s), so it is read with scans and sorts
    /// priced out for that statement ([`WALK_INDEX_SETTINGS`]).
    pub walk_index: bool,
}

/// PostgreSQL's settings for a read planned as an index walk, local to its transaction:
/// sequential and bitmap scans and sorts priced out, leaving the ordered index scan; and
/// no JIT compilation, which the walk's inflated cost estimate would trigger for a read
/// that stops after a page (8 ms of compiling for a 17 ms read).
const WALK_INDEX_SETTINGS: &str = "SELECT set_config('enable_seqscan', 'off', true), \
    set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true), \
    set_config('jit', 'off', true)";

const NEXT: &str = "n";
const PREV: &str = "p";

fn bad_cursor() -> StoreError {
    StoreError::Invalid(FieldErrors::single(
        "cursor",
        FieldError::new(
            "翻页位置无效或已不适用于当前排序，请从第一页重新浏览",
            "is not a cursor of this list and order; start again from the first page",
        ),
    ))
}

/// The token of a page boundary: `dir` from the row whose sort keys are `keys`.
pub(crate) fn encode_cursor(tag: &str, dir: &str, keys: &[Arg]) -> String {
    use base64::Engine;
    let mut out = vec![Value::from(tag), Value::from(dir)];
    out.extend(keys.iter().map(|k| match k {
        Arg::Text(s) => Value::from(s.as_str()),
        Arg::Int(i) => Value::from(*i),
        Arg::Date(d) => Value::from(d.to_string()),
        Arg::Time(t) => Value::from(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
        Arg::Uuid(u) => Value::from(u.to_string()),
    }));
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Value::Array(out).to_string())
}

/// The direction (`n` or `p`) and keys of a cursor of the list `tag` ordered by `keys`.
pub(crate) fn decode_cursor(
    token: &str,
    tag: &str,
    keys: &[(&str, Key)],
) -> Result<(bool, Vec<Arg>)> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.trim())
        .map_err(|_| bad_cursor())?;
    let Ok(Value::Array(parts)) = serde_json::from_slice::<Value>(&bytes) else {
        return Err(bad_cursor());
    };
    if parts.len() != keys.len() + 2 || parts[0].as_str() != Some(tag) {
        return Err(bad_cursor());
    }
    let forward = match parts[1].as_str() {
        Some(NEXT) => true,
        Some(PREV) => false,
        _ => return Err(bad_cursor()),
    };
    let mut out = Vec::with_capacity(keys.len());
    for ((_, k), v) in keys.iter().zip(&parts[2..]) {
        let arg = match (k, v) {
            (Key::Int, Value::Number(n)) => n.as_i64().map(Arg::Int),
            (Key::Text, Value::String(s)) => Some(Arg::Text(s.clone())),
            (Key::Date, Value::String(s)) => s.parse().ok().map(Arg::Date),
            (Key::Time, Value::String(s)) => chrono::DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| Arg::Time(t.with_timezone(&chrono::Utc))),
            (Key::Uuid, Value::String(s)) => s.parse().ok().map(Arg::Uuid),
            _ => None,
        };
        out.push(arg.ok_or_else(bad_cursor)?);
    }
    Ok((forward, out))
}

/// The statement of `read` and its values: the select with its sort keys as `walk_k<i>`
/// columns, the keyset condition, the order and the limit.
pub(crate) fn read_sql(read: &Read<'_>) -> (String, Vec<Arg>) {
    let (sql, args) = read.select;
    let mut args = args.to_vec();
    let cols: Vec<String> = read
        .keys
        .iter()
        .enumerate()
        .map(|(i, (e, k))| match k {
            Key::Int => format!("CAST({e} AS BIGINT) AS walk_k{i}"),
            _ => format!("{e} AS walk_k{i}"),
        })
        .collect();
    let body = sql
        .strip_prefix("SELECT ")
        .expect("a walk's query starts with SELECT");
    let mut sql = format!("{}SELECT {}, {body}", read.with, cols.join(", "));
    let exprs: Vec<&str> = read.keys.iter().map(|(e, _)| *e).collect();
    if let Some(keys) = read.after {
        let marks: Vec<String> = (0..keys.len())
            .map(|i| format!("${}", args.len() + 1 + i))
            .collect();
        let op = if read.desc { "<" } else { ">" };
        sql.push_str(&format!(
            " AND ({}) {op} ({})",
            exprs.join(", "),
            marks.join(", ")
        ));
        args.extend(keys.iter().cloned());
    }
    let dir = if read.desc { "DESC" } else { "ASC" };
    let order: Vec<String> = exprs.iter().map(|e| format!("{e} {dir}")).collect();
    sql.push_str(&format!(
        " ORDER BY {} LIMIT {}",
        order.join(", "),
        read.limit
    ));
    if read.offset > 0 {
        sql.push_str(&format!(" OFFSET {}", read.offset));
    }
    (sql, args)
}

impl Store {
    /// The rows of `read.select` in key order, each with its sort keys.
    pub(crate) async fn keyed_rows<R>(&self, read: Read<'_>) -> Result<Vec<(Vec<Arg>, R)>>
    where
        R: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    {
        let (sql, args) = read_sql(&read);
        macro_rules! read {
            ($rows:expr) => {{
                let mut out = Vec::with_capacity($rows.len());
                for r in $rows.iter() {
                    let mut keys = Vec::with_capacity(read.keys.len());
                    for (i, (_, k)) in read.keys.iter().enumerate() {
                        let c = format!("walk_k{i}");
                        keys.push(match k {
                            Key::Text => Arg::Text(r.try_get(c.as_str())?),
                            Key::Int => Arg::Int(r.try_get(c.as_str())?),
                            Key::Date => Arg::Date(r.try_get(c.as_str())?),
                            Key::Time => Arg::Time(r.try_get(c.as_str())?),
                            Key::Uuid => Arg::Uuid(r.try_get(c.as_str())?),
                        });
                    }
                    out.push((keys, R::from_row(r)?));
                }
                out
            }};
        }
        Ok(match &self.backend {
            crate::Backend::Sqlite(p) => {
                let rows = bind_args!(sqlx::query(&sql), args).fetch_all(p).await?;
                read!(rows)
            }
            crate::Backend::Postgres(p) if read.walk_index => {
                let mut tx = p.begin().await?;
                sqlx::query(WALK_INDEX_SETTINGS).execute(&mut *tx).await?;
                let rows = bind_args!(sqlx::query(&sql), args)
                    .fetch_all(&mut *tx)
                    .await?;
                tx.commit().await?;
                read!(rows)
            }
            crate::Backend::Postgres(p) => {
                let rows = bind_args!(sqlx::query(&sql), args).fetch_all(p).await?;
                read!(rows)
            }
        })
    }

    /// One page of `list` at `at`, `per_page` rows: reads one row more than the page to
    /// know whether a next one exists; a previous page walks backwards from the page's
    /// first row (the walk's direction flipped, the rows turned back). `total` is the
    /// caller's (a bounded count or a maintained counter).
    pub(crate) async fn keyset_page<R, T>(
        &self,
        list: KeyList<'_>,
        at: At<'_>,
        per_page: u32,
        total: Total,
        item: impl Fn(R) -> Result<T>,
    ) -> Result<KeyPage<T>>
    where
        R: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    {
        let per_page = per_page.max(1);
        let read = |after, desc, offset| Read {
            with: list.with,
            select: list.select,
            keys: list.walk.keys,
            desc,
            after,
            limit: per_page + 1,
            offset,
            walk_index: list.walk_index,
        };
        let (offset, cursor) = match at {
            At::Offset(n) => (n, None),
            At::Cursor(None) => (0, None),
            At::Cursor(Some(token)) => (0, Some(decode_cursor(token, list.tag, list.walk.keys)?)),
        };
        let desc = list.walk.desc;
        let (rows, next, prev) = match cursor {
            Some((false, keys)) => {
                let mut rows = self.keyed_rows::<R>(read(Some(&keys), !desc, 0)).await?;
                if rows.len() <= per_page as usize {
                    // Back at the start: the first page, full.
                    let mut rows = self.keyed_rows::<R>(read(None, desc, 0)).await?;
                    let more = rows.len() > per_page as usize;
                    rows.truncate(per_page as usize);
                    let next = more.then(|| rows.last()).flatten().map(|(k, _)| k.clone());
                    (rows, next, None)
                } else {
                    rows.truncate(per_page as usize);
                    rows.reverse();
                    let prev = rows.first().map(|(k, _)| k.clone());
                    let next = rows.last().map(|(k, _)| k.clone());
                    (rows, next, prev)
                }
            }
            forward => {
                let after = forward.as_ref().map(|(_, keys)| keys.as_slice());
                let mut rows = self.keyed_rows::<R>(read(after, desc, offset)).await?;
                let more = rows.len() > per_page as usize;
                rows.truncate(per_page as usize);
                let next = more.then(|| rows.last()).flatten().map(|(k, _)| k.clone());
                // Rows before this page exist when it started after a cursor or offset;
                // an empty page past the end walks back from where it was asked to start.
                let prev = match (&forward, rows.first()) {
                    (Some(_), Some((k, _))) => Some(k.clone()),
                    (Some((_, keys)), None) => Some(keys.clone()),
                    (None, Some((k, _))) if offset > 0 => Some(k.clone()),
                    _ => None,
                };
                (rows, next, prev)
            }
        };
        Ok(KeyPage {
            next: next.map(|k| encode_cursor(list.tag, NEXT, &k)),
            prev: prev.map(|k| encode_cursor(list.tag, PREV, &k)),
            items: rows
                .into_iter()
                .map(|(_, r)| item(r))
                .collect::<Result<Vec<_>>>()?,
            total,
            per_page,
        })
    }

    /// How many rows `from` (`FROM … WHERE …`) has, counting no further than
    /// [`TOTAL_BOUND`] + 1: the cost of a total is bounded whatever the range.
    pub(crate) async fn bounded_count(&self, from: Sql<'_>) -> Result<Total> {
        let (from, args) = from;
        let sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 AS one {from} LIMIT {}) bounded",
            TOTAL_BOUND + 1
        );
        let n: i64 = on_pool!(self, |p| bind_args!(
            sqlx::query_scalar::<_, i64>(&sql),
            args
        )
        .fetch_one(p)
        .await)?;
        Ok(Total::from_bounded(n))
    }
}

/// A list as keyset pages read it: its rows (`SELECT … FROM … WHERE <filters>`, no
/// order), its order, what its total counts (boundedly), and the most rows a page takes.
/// One value serves the list's page ([`Store::list_page`]), its download's chunks
/// ([`Store::list_chunk`]) and its plan in tests, so the three read the same rows.
///
/// ```ignore
/// let q = ListQuery::new(
///     "venues",
///     "v.id, v.name",
///     "FROM venues v WHERE v.jurisdiction_path >= $1".into(),
///     vec![Arg::Text(lo)],
///     &[("v.name", Key::Text), ("v.id", Key::Uuid)],
/// );
/// self.list_page(q.max(200), at, per_page, Venue::try_from).await
/// ```
pub(crate) struct ListQuery {
    /// Names the list (and its order, when it has several) in its cursors.
    pub tag: &'static str,
    /// A `WITH … ` prefix `select` reads from (empty when none): a page only, a
    /// download's chunks walk `select` without it.
    pub with: String,
    pub select: String,
    pub args: Vec<Arg>,
    /// The order: SQL expressions, the last one unique (the id), all one direction.
    pub keys: Vec<(String, Key)>,
    pub desc: bool,
    /// `FROM … WHERE …` counted for the total, and its values.
    pub count: (String, Vec<Arg>),
    /// Most rows a page takes (`per_page` is clamped to 1..=max).
    pub max: u32,
    /// Planned as a walk of the order's index (see [`Read::walk_index`]).
    pub walk_index: bool,
}

impl ListQuery {
    /// The common case: rows `SELECT {columns} {from_where}`, counted over
    /// `from_where`, ascending by `keys`, at most 200 a page.
    pub fn new(
        tag: &'static str,
        columns: &str,
        from_where: String,
        args: Vec<Arg>,
        keys: &[(&str, Key)],
    ) -> ListQuery {
        ListQuery {
            tag,
            with: String::new(),
            select: format!("SELECT {columns} {from_where}"),
            keys: keys.iter().map(|(k, t)| (k.to_string(), *t)).collect(),
            desc: false,
            count: (from_where, args.clone()),
            args,
            max: 200,
            walk_index: false,
        }
    }
    /// A list whose rows need joins its count does not: rows `{select} WHERE {filter}`
    /// (`select` a whole `SELECT … FROM … JOIN …`), counted over `{count_from} WHERE
    /// {filter}` (`count_from` the filtered table alone, under the same alias).
    pub fn filtered(
        tag: &'static str,
        (select, count_from): (&str, &str),
        filter: &str,
        args: Vec<Arg>,
        keys: &[(&str, Key)],
    ) -> ListQuery {
        ListQuery {
            tag,
            with: String::new(),
            select: format!("{select} WHERE {filter}"),
            keys: keys.iter().map(|(k, t)| (k.to_string(), *t)).collect(),
            desc: false,
            count: (format!("{count_from} WHERE {filter}"), args.clone()),
            args,
            max: 200,
            walk_index: false,
        }
    }
    /// Walked by its keys descending.
    pub fn desc(mut self) -> ListQuery {
        self.desc = true;
        self
    }
    /// At most `max` rows a page.
    pub fn max(mut self, max: u32) -> ListQuery {
        self.max = max;
        self
    }
    /// Read from `with` (`WITH name AS MATERIALIZED (…) `, which neither engine merges
    /// into the ordered query), so that the page sorts what `with` found rather than
    /// walking an index; `select` then names the `WITH`'s table.
    pub fn with(mut self, with: String) -> ListQuery {
        self.with = with;
        self
    }
    /// Planned as a walk of the order's index, stopping after the page (see
    /// [`Read::walk_index`]).
    pub fn walking_index(mut self) -> ListQuery {
        self.walk_index = true;
        self
    }
    /// Counted over `from_where` (the same rows, fewer joins) with `args`.
    pub fn count(mut self, from_where: String, args: Vec<Arg>) -> ListQuery {
        self.count = (from_where, args);
        self
    }
    fn key_refs(&self) -> Vec<(&str, Key)> {
        self.keys.iter().map(|(k, t)| (k.as_str(), *t)).collect()
    }
}

impl Store {
    /// One keyset page of `q` at `at` with a bounded total: the shape every list's page
    /// has (see [`ListQuery`]).
    pub(crate) async fn list_page<R, T>(
        &self,
        q: ListQuery,
        at: At<'_>,
        per_page: u32,
        item: impl Fn(R) -> Result<T>,
    ) -> Result<KeyPage<T>>
    where
        R: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    {
        let total = self.bounded_count((&q.count.0, &q.count.1)).await?;
        self.list_page_totalled(q, at, per_page, total, item).await
    }

    /// [`Store::list_page`] for a list whose total is known already (from counters or
    /// kept figures): `q`'s count is not run.
    pub(crate) async fn list_page_totalled<R, T>(
        &self,
        q: ListQuery,
        at: At<'_>,
        per_page: u32,
        total: Total,
        item: impl Fn(R) -> Result<T>,
    ) -> Result<KeyPage<T>>
    where
        R: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    {
        let keys = q.key_refs();
        let list = KeyList {
            with: &q.with,
            select: (&q.select, &q.args),
            walk: Walk {
                keys: &keys,
                desc: q.desc,
            },
            tag: q.tag,
            walk_index: q.walk_index,
        };
        self.keyset_page(list, at, per_page.clamp(1, q.max.max(1)), total, item)
            .await
    }

    /// A numbered page of `q` for the callers that count pages (choosers, the command
    /// line, tests): the rows after `(page - 1) × per_page`, and the bounded total.
    pub(crate) async fn list_numbered<R, T>(
        &self,
        q: ListQuery,
        page: u32,
        per_page: u32,
        item: impl Fn(R) -> Result<T>,
    ) -> Result<super::Page<T>>
    where
        R: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    {
        let paging = super::Paging::new(page, per_page, q.max.max(1));
        let skip = u64::from(paging.page - 1) * u64::from(paging.per_page);
        let p = self
            .list_page(q, At::Offset(skip), paging.per_page, item)
            .await?;
        Ok(super::Page {
            items: p.items,
            total: p.total.count(),
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    /// `limit` rows of `q` after `after` (a download's walk: no count, no skipped rows).
    pub(crate) async fn list_chunk<R, T>(
        &self,
        q: ListQuery,
        after: Option<&super::After>,
        limit: u32,
        item: impl Fn(R) -> Result<T>,
    ) -> Result<super::KeyChunk<T>>
    where
        R: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    {
        assert!(q.with.is_empty(), "a chunk walks `select` alone");
        let keys = q.key_refs();
        let walk = Walk {
            keys: &keys,
            desc: q.desc,
        };
        self.walk((&q.select, &q.args), walk, after, limit, item)
            .await
    }

    /// The plan each engine makes for the first page of `q`, one line per step: see
    /// [`Store::read_plan`].
    #[cfg(feature = "testing")]
    pub(crate) async fn list_plan(&self, q: &ListQuery) -> Result<Vec<String>> {
        self.read_plan(&Read {
            with: &q.with,
            select: (&q.select, &q.args),
            keys: &q.key_refs(),
            desc: q.desc,
            after: None,
            limit: 21,
            offset: 0,
            walk_index: q.walk_index,
        })
        .await
    }

    /// The plan each engine makes for `read`, one line per step (SQLite's `EXPLAIN
    /// QUERY PLAN` details, PostgreSQL's `EXPLAIN`). PostgreSQL's planner is asked with
    /// sequential scans priced out (`enable_seqscan` off, in a transaction rolled back):
    /// on a test's few hundred rows a sequential scan beats any index, and what a test
    /// asks is which index a plan's shape lets it use and whether it sorts.
    #[cfg(feature = "testing")]
    pub(crate) async fn read_plan(&self, read: &Read<'_>) -> Result<Vec<String>> {
        let (sql, args) = read_sql(read);
        Ok(match &self.backend {
            crate::Backend::Sqlite(p) => {
                let sql = format!("EXPLAIN QUERY PLAN {sql}");
                let rows = bind_args!(sqlx::query(&sql), args).fetch_all(p).await?;
                rows.iter()
                    .map(|r| r.try_get::<String, _>(3))
                    .collect::<std::result::Result<_, _>>()?
            }
            crate::Backend::Postgres(p) => {
                let mut tx = p.begin().await?;
                // A bitmap scan reads a few rows' pages out of order and sorts them:
                // cheaper on a test's few rows, never what a page of many does. An
                // index walk is planned as it is served (sorts priced out too).
                if read.walk_index {
                    sqlx::query(WALK_INDEX_SETTINGS).execute(&mut *tx).await?;
                }
                for off in ["enable_seqscan", "enable_bitmapscan"] {
                    sqlx::query(&format!("SET LOCAL {off} = off"))
                        .execute(&mut *tx)
                        .await?;
                }
                let sql = format!("EXPLAIN {sql}");
                let rows = bind_args!(sqlx::query(&sql), args)
                    .fetch_all(&mut *tx)
                    .await?;
                tx.rollback().await?;
                rows.iter()
                    .map(|r| r.try_get::<String, _>(0))
                    .collect::<std::result::Result<_, _>>()?
            }
        })
    }
}
