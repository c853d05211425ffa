//! The public credit lists: who is on a list on a date, and every listing of a list in
//! a subtree, newest first — by numbered page, by keyset page (walking
//! `credit_listings_kind_listed` from a cursor, with a bounded total) and by a
//! download's chunks.

use chrono::NaiveDate;
use serde::Serialize;
use shuniu_domain::jurisdiction::subtree_range;
use shuniu_domain::supervision::credit::ListKind;

use super::{LISTING_COLUMNS, ListingRow, StoredListing};
use crate::paging::keyset::ListQuery;
use crate::paging::{Key, unindexed};
use crate::{After, Arg, At, KeyChunk, KeyPage, Page, Paging, Result, Store, on_pool};

/// A line of the public lists: the listing and whom it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreditListEntry {
    pub organization_name: String,
    /// The organization's jurisdiction path when it was listed.
    pub jurisdiction_path: String,
    pub listing: StoredListing,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    #[sqlx(flatten)]
    listing: ListingRow,
    organization_name: String,
    listing_path: String,
}

impl Store {
    /// The public list: who is on `list` on `date` within a jurisdiction subtree
    /// (`path`), newest listing first.
    pub async fn credit_list(
        &self,
        list: ListKind,
        path: &str,
        date: NaiveDate,
        limit: u32,
    ) -> Result<Vec<StoredListing>> {
        let (lo, hi) = subtree_range(path);
        let sql = format!(
            "SELECT {LISTING_COLUMNS} FROM credit_listings WHERE list_kind = $1 AND jurisdiction_path >= $2 AND jurisdiction_path < $3 \
             AND listed_on <= $4 AND (removed_on IS NULL OR removed_on > $4) ORDER BY listed_on DESC, id DESC LIMIT {}",
            limit.clamp(1, 1000)
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, ListingRow>(&sql)
            .bind(list.as_str())
            .bind(&lo)
            .bind(&hi)
            .bind(date)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(StoredListing::try_from).collect()
    }

    /// The public lists, one page: every listing (current and removed) of `list`
    /// within a jurisdiction subtree (`path`, or everywhere), newest listing first,
    /// with the organization's name. Paged in the database.
    pub async fn credit_list_page(
        &self,
        list: ListKind,
        path: Option<&str>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<CreditListEntry>> {
        let paging = Paging::new(page, per_page, 200);
        let (where_sql, args) = listing_where(list, path);
        let count_sql = format!("SELECT COUNT(*) FROM credit_listings l WHERE {where_sql}");
        let list_sql = format!(
            "{} WHERE {where_sql} ORDER BY l.listed_on DESC, l.id DESC",
            entry_select()
        );
        self.paged::<EntryRow, _>(paging, (&count_sql, &args), (&list_sql, &args), entry)
            .await
    }

    /// The listings of a public list, newest first, `limit` after `after` (a
    /// download's keyset walk: no count, no skipped rows).
    pub async fn credit_list_chunk(
        &self,
        list: ListKind,
        path: Option<&str>,
        after: Option<&After>,
        limit: u32,
    ) -> Result<KeyChunk<CreditListEntry>> {
        self.list_chunk::<EntryRow, _>(credit_list(list, path), after, limit, entry)
            .await
    }

    /// One keyset page of a public list's listings (see [`Store::credit_list_page`]),
    /// from a cursor or an offset, with a bounded total.
    pub async fn credit_list_keyset(
        &self,
        list: ListKind,
        path: Option<&str>,
        at: At<'_>,
        per_page: u32,
    ) -> Result<KeyPage<CreditListEntry>> {
        self.list_page::<EntryRow, _>(credit_list(list, path), at, per_page, entry)
            .await
    }
}

/// Newest listing first: the listing date, then the id (`credit_listings_kind_listed`).
const LISTED_KEYS: &[(&str, Key)] = &[("l.listed_on", Key::Date), ("l.id", Key::Uuid)];

/// A public list as its keyset page and its download read it, counted over the
/// listings alone.
pub(crate) fn credit_list(list: ListKind, path: Option<&str>) -> ListQuery {
    let (where_sql, args) = listing_where(list, path);
    let select = entry_select();
    let tables = (select.as_str(), "FROM credit_listings l");
    ListQuery::filtered("credit-list", tables, &where_sql, args, LISTED_KEYS).desc()
}

fn entry(r: EntryRow) -> Result<CreditListEntry> {
    Ok(CreditListEntry {
        organization_name: r.organization_name,
        jurisdiction_path: r.listing_path,
        listing: StoredListing::try_from(r.listing)?,
    })
}

/// The listings' columns with their organization's name.
fn entry_select() -> String {
    let columns = LISTING_COLUMNS
        .split(", ")
        .map(|c| format!("l.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT {columns}, o.name AS organization_name, l.jurisdiction_path AS listing_path FROM credit_listings l \
         JOIN organizations o ON o.id = l.organization_id"
    )
}

/// The `WHERE` of a public list's listings in a subtree (or everywhere), with its values.
/// A page walks `credit_listings_kind_listed`: the subtree is written so that no other
/// index can serve it ([`unindexed`]), else the planner would read the subtree's range through
/// `credit_listings_list_path` and sort it.
fn listing_where(list: ListKind, path: Option<&str>) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::Text(list.as_str().to_string())];
    let mut clauses = vec!["l.list_kind = $1".to_string()];
    if let Some(path) = path {
        let (lo, hi) = subtree_range(path);
        args.push(Arg::Text(lo));
        args.push(Arg::Text(hi));
        let column = unindexed("l.jurisdiction_path");
        clauses.push(format!(
            "{column} >= ${} AND {column} < ${}",
            args.len() - 1,
            args.len()
        ));
    }
    (clauses.join(" AND "), args)
}
