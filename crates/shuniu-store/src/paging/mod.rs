//! Paged lists. The lists people browse read keyset pages ([`keyset`]: from a cursor,
//! walking the sort's index, with a bounded total). Lists not converted yet, and the
//! numbered pages the command line and tests read, count their matches and read one
//! page through [`Store::paged`] (`LIMIT … OFFSET …` and an exact count, written once). A list of the search index's hits comes as ranked ids
//! ([`ranked_ids`]): restricted to them and ordered as they are.
//!
//! A download walks a whole list instead, in chunks by the list's sort key and id
//! ([`Store::walk`]): each chunk starts after the last row of the one before (keyset,
//! no `OFFSET`, no count), so reading the millionth row costs what the first did.

use serde::Serialize;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use uuid::Uuid;

use crate::{Arg, Result, Store, bind_args, on_pool};

pub(crate) mod keyset;
pub use keyset::{At, KeyPage, TOTAL_BOUND, Total};

/// The most ranked ids a list takes at once (`OrgFilter::ids`, `ServiceFilter::ids`).
pub const MAX_RANKED_IDS: usize = 1000;

/// `id IN (…)` over `ids` and the order that keeps theirs, numbering placeholders after
/// the `bound` already bound: (clause, order, args).
pub(crate) fn ranked_ids(column: &str, ids: &[Uuid], bound: usize) -> (String, String, Vec<Arg>) {
    let ids = &ids[..ids.len().min(MAX_RANKED_IDS)];
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${}", bound + i)).collect();
    let clause = format!("{column} IN ({})", marks.join(", "));
    let mut order = String::from("CASE");
    for (i, m) in marks.iter().enumerate() {
        order.push_str(&format!(" WHEN {column} = {m} THEN {i}"));
    }
    order.push_str(" END");
    (clause, order, ids.iter().map(|id| Arg::Uuid(*id)).collect())
}

/// `column` as a term the query planner cannot serve from an index: its value, read
/// through `COALESCE(column, NULL)`, which neither engine matches to an index on the
/// column. A list's filter written through it leaves the planner one way to read the
/// page: walk the order's index, checking the filter on each row, and stop after the
/// page — rather than read the filter's whole range through the column's own index
/// (a large street's, a state's) and sort it. `COALESCE(x, NULL)` keeps the value and
/// type of every column on both engines (unlike `x || ''`, text only, or `x + 0`,
/// numbers only).
pub(crate) fn unindexed(column: &str) -> String {
    format!("COALESCE({column}, NULL)")
}

/// One page of a list.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        ((self.total.max(0) as u64).div_ceil(self.per_page.max(1) as u64)) as u32
    }
}

/// A page asked for, clamped: `page` from 1, `per_page` from 1 to the list's maximum
/// (a client cannot ask for the whole table in one page).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    pub page: u32,
    pub per_page: u32,
}

impl Paging {
    pub fn new(page: u32, per_page: u32, max_per_page: u32) -> Paging {
        Paging {
            page: page.max(1),
            per_page: per_page.clamp(1, max_per_page),
        }
    }

    /// No matches (a filter that names nothing), without asking the database.
    pub fn empty<T>(self) -> Page<T> {
        Page {
            items: Vec::new(),
            total: 0,
            page: self.page,
            per_page: self.per_page,
        }
    }

    fn limit_offset(self) -> String {
        format!(
            " LIMIT {} OFFSET {}",
            self.per_page,
            (u64::from(self.page) - 1) * u64::from(self.per_page)
        )
    }
}

/// A query text and the values of its `$n`, in order.
pub(crate) type Sql<'a> = (&'a str, &'a [Arg]);

impl Store {
    /// `count` (a `SELECT COUNT(*) …`) gives the total; `list` (ordered, ending on a
    /// unique column so that pages are stable; no `LIMIT`) gives the rows, of which the
    /// page asked for is read and turned into items by `item`. The two statements may
    /// bind different values (a listing may drop a filter the count keeps).
    pub(crate) async fn paged<R, T>(
        &self,
        paging: Paging,
        count: Sql<'_>,
        list: Sql<'_>,
        item: impl Fn(R) -> Result<T>,
    ) -> Result<Page<T>>
    where
        R: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    {
        let (count_sql, count_args) = count;
        let list_sql = format!("{}{}", list.0, paging.limit_offset());
        let list_args = list.1;
        let (total, rows) = on_pool!(self, |p| {
            let total: i64 = bind_args!(sqlx::query_scalar::<_, i64>(count_sql), count_args)
                .fetch_one(p)
                .await?;
            let rows = bind_args!(sqlx::query_as::<_, R>(&list_sql), list_args)
                .fetch_all(p)
                .await?;
            Ok::<_, sqlx::Error>((total, rows))
        })?;
        Ok(Page {
            items: rows.into_iter().map(item).collect::<Result<Vec<_>>>()?,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }
}

/// The type of one sort key of a walk (to read it back from the last row).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Key {
    Text,
    /// An integer expression (read as a `BIGINT`).
    Int,
    Date,
    Time,
    Uuid,
}

/// The order of a walk: its sort keys (SQL expressions, the last one unique: the id),
/// all ascending or all descending (a key that runs the other way is negated).
pub(crate) struct Walk<'a> {
    pub keys: &'a [(&'a str, Key)],
    pub desc: bool,
}

/// Where the next chunk of a walk starts: the sort keys of the last row read.
#[derive(Debug, Clone)]
pub struct After(Vec<Arg>);

/// One chunk of a list walked by its sort key: its rows and where the next starts
/// (`None`: that was the last).
#[derive(Debug)]
pub struct KeyChunk<T> {
    pub items: Vec<T>,
    pub next: Option<After>,
}

/// Rows read at most per chunk.
pub const MAX_CHUNK: u32 = 5_000;

impl Store {
    /// The rows of `select` (`SELECT … FROM … WHERE <filters>`, no order) after `after`
    /// in the order `walk`, at most `limit` of them.
    pub(crate) async fn walk<R, T>(
        &self,
        select: Sql<'_>,
        walk: Walk<'_>,
        after: Option<&After>,
        limit: u32,
        item: impl Fn(R) -> Result<T>,
    ) -> Result<KeyChunk<T>>
    where
        R: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    {
        let limit = limit.clamp(1, MAX_CHUNK);
        let read = keyset::Read {
            with: "",
            select,
            keys: walk.keys,
            desc: walk.desc,
            after: after.map(|After(keys)| keys.as_slice()),
            limit,
            offset: 0,
            // A download's chunks are thousands of rows: the engine's own plan.
            walk_index: false,
        };
        let rows = self.keyed_rows::<R>(read).await?;
        let next = (rows.len() >= limit as usize)
            .then(|| rows.last().map(|(keys, _)| After(keys.clone())))
            .flatten();
        Ok(KeyChunk {
            items: rows
                .into_iter()
                .map(|(_, r)| item(r))
                .collect::<Result<Vec<_>>>()?,
            next,
        })
    }
}
