//! The organization list: its filters and orders, one keyset page at a time (from a
//! cursor, with a bounded total; [`Store::organizations_page`]), one numbered page
//! (`LIMIT … OFFSET` with an exact count, for the command line and tests), or a whole
//! walk in keyset chunks for a download, and the search index's hits in the index's rank.
//!
//! A keyset page of a jurisdiction is read one of two ways, chosen from the subtree's
//! size in the counters already kept (the tallies, read with the page's total in one
//! statement), not left to the planner's guess ([`OrgPlan`]): a large subtree walks the
//! sort's index with the subtree as a filter and stops after the page; a small one
//! range-scans the path index and sorts.

use serde::Serialize;
use shuniu_domain::codes::{FilingNumber, Uscc};
use shuniu_domain::jurisdiction::{Jurisdiction, district_of_path};
use shuniu_domain::registry::{Grade, LegalForm, OrgStatus, Organization, ServiceDomain, Stage};
use uuid::Uuid;

use super::tallies::EVERYWHERE;
use super::{COLUMNS, OrgRow};
use crate::paging::keyset::KeyList;
#[cfg(feature = "testing")]
use crate::paging::keyset::Read;
use crate::paging::{Key, Walk, unindexed};
use crate::{After, Arg, At, KeyChunk, KeyPage, Page, Paging, Result, Store, Total};

/// A subtree with more organizations than this is listed by walking the sort's index
/// (a page reads about `per_page × city / subtree` index entries, and stops); one with
/// fewer by range-scanning the path index and sorting it (at most this many rows, about
/// a millisecond), which beats walking the sort index past every other subtree's rows
/// to find a page of a street's 300. A street is below it, a district far above.
pub const SMALL_SUBTREE: i64 = 2_000;

/// How a page of the organization list is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgPlan {
    /// Walk the sort's index; the subtree and the other filters are written so that no
    /// other index can serve them ([`unindexed`]), so the planner cannot pick the path
    /// index and sort the whole range.
    SortIndex,
    /// Range-scan the subtree through the path index (a materialized `WITH`, which
    /// neither engine merges into the ordered query), then sort it.
    PathScan,
    /// Exact lookups (a whole name or code) and search hits: few rows, the planner's
    /// choice of index.
    Lookup,
}

impl OrgPlan {
    /// The plan for a jurisdiction filter whose subtree holds `organizations`.
    pub fn for_subtree(organizations: i64) -> OrgPlan {
        if organizations > SMALL_SUBTREE {
            OrgPlan::SortIndex
        } else {
            OrgPlan::PathScan
        }
    }

    /// The plan for a jurisdiction filter whose subtree holds `subtree` organizations,
    /// of which `matching` match the whole filter (from the tallies; `None` when they do
    /// not cover it), where the sort's index walk passes `walked` entries in all (the
    /// district's, when the index keeps each district's entries together; else every
    /// organization's). Walking visits about [`PAGE_ROWS`] × `walked` ÷ `matching`
    /// entries for a page, reading the subtree visits `subtree` rows: so a combination
    /// too rare for its walk is read through the path index and sorted.
    pub fn for_counts(subtree: i64, matching: Option<i64>, walked: i64) -> OrgPlan {
        match (OrgPlan::for_subtree(subtree), matching) {
            (OrgPlan::SortIndex, Some(m))
                if PAGE_ROWS.saturating_mul(walked) / m.max(1) > subtree =>
            {
                OrgPlan::PathScan
            }
            (plan, _) => plan,
        }
    }

    /// [`for_counts`](Self::for_counts) for a walk that checks the whole filter on the
    /// index entry (the name indexes carry path, status, grade, legal form, stage and the
    /// domain mask): an entry passed costs a comparison, a row of the subtree read through
    /// the path index costs a read of the table and a place in the sort, about
    /// [`ROW_COST`] entries. And a walk never passes more than its `walked` entries, so a
    /// combination too rare for a page is read by walking at most its district: at 1M,
    /// district + a rare domain, grade and stage (35 organizations of 90,910) took
    /// 180–230 ms read through the path index and sorted.
    ///
    /// The size of the subtree alone does not decide here: a small district's first page
    /// walks about a page of its entries where reading it sorts all of them (the demo's
    /// district of 1,379: 400 pages a second read and sorted).
    pub fn for_counts_checked(subtree: i64, matching: Option<i64>, walked: i64) -> OrgPlan {
        let Some(m) = matching else {
            return OrgPlan::for_subtree(subtree);
        };
        let walk = (PAGE_ROWS.saturating_mul(walked) / m.max(1)).min(walked);
        if walk > ROW_COST.saturating_mul(subtree) {
            OrgPlan::PathScan
        } else {
            OrgPlan::SortIndex
        }
    }
}

/// What a row read through the path index and sorted costs, in index entries checked
/// by a walk (see [`OrgPlan::for_counts_checked`]).
pub const ROW_COST: i64 = 8;

/// The page size the plan is weighed for: the pages' largest common size (a longer page
/// read by the sort index walks proportionally further).
pub const PAGE_ROWS: i64 = 50;

/// The district whose entries a name-ordered walk of a subtree under `j` keeps to: the
/// name index that leads with the district (`organizations_shard_name`) holds each
/// district's names together, where the plain name index spreads them among every
/// other district's (names begin with their community's, so a district's first
/// matches can lie hundreds of thousands of entries in). `None` above district level
/// (a city spans districts) and for the other orders (not clustered by place).
pub(crate) fn shard_walk(j: &Jurisdiction, sort: OrgSort) -> Option<&str> {
    let by_name = matches!(sort, OrgSort::Name | OrgSort::NameDesc);
    district_of_path(&j.path).filter(|_| by_name)
}

/// The materialized subtree a [`OrgPlan::PathScan`] page sorts.
const PATH_SCAN: &str = "listed";

/// Filters of the organization list; all optional, combined with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OrgFilter {
    /// A jurisdiction code: the node and its whole subtree.
    pub jurisdiction: Option<String>,
    pub legal_form: Option<LegalForm>,
    pub domain: Option<ServiceDomain>,
    pub status: Option<OrgStatus>,
    pub stage: Option<Stage>,
    pub grade: Option<Grade>,
    /// A whole USCC or filing number, or a whole name (exact, indexed). Words and parts
    /// of names are looked up in the search index, whose hits come here as `ids`.
    pub q: Option<String>,
    pub sort: OrgSort,
    /// Only these organizations (the search index's hits, best first), listed in this
    /// order whatever `sort` says. At most [`crate::MAX_RANKED_IDS`]; empty: nothing.
    #[serde(skip)]
    pub ids: Option<Vec<Uuid>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgSort {
    #[default]
    Name,
    NameDesc,
    Founded,
    FoundedDesc,
    Updated,
    Staff,
}

impl OrgSort {
    pub const ALL: [OrgSort; 6] = [
        OrgSort::Name,
        OrgSort::NameDesc,
        OrgSort::Founded,
        OrgSort::FoundedDesc,
        OrgSort::Updated,
        OrgSort::Staff,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            OrgSort::Name => "name",
            OrgSort::NameDesc => "-name",
            OrgSort::Founded => "founded_on",
            OrgSort::FoundedDesc => "-founded_on",
            OrgSort::Updated => "-updated_at",
            OrgSort::Staff => "-staff",
        }
    }
    pub fn parse(s: &str) -> Option<OrgSort> {
        OrgSort::ALL.into_iter().find(|o| o.as_str() == s)
    }
    /// Every order ends on `id`, so that pages are stable.
    fn order_by(self) -> &'static str {
        match self {
            OrgSort::Name => "name ASC, id ASC",
            OrgSort::NameDesc => "name DESC, id DESC",
            OrgSort::Founded => "founded_on ASC, id ASC",
            OrgSort::FoundedDesc => "founded_on DESC, id DESC",
            OrgSort::Updated => "updated_at DESC, id DESC",
            OrgSort::Staff => "(staff_full_time + staff_part_time) DESC, id ASC",
        }
    }
    /// The same order as a keyset walk (the staff count negated, to run one way).
    fn walk(self) -> Walk<'static> {
        const NAME: &[(&str, Key)] = &[("name", Key::Text), ("id", Key::Uuid)];
        const FOUNDED: &[(&str, Key)] = &[("founded_on", Key::Date), ("id", Key::Uuid)];
        const UPDATED: &[(&str, Key)] = &[("updated_at", Key::Time), ("id", Key::Uuid)];
        const STAFF: &[(&str, Key)] = &[
            ("-(staff_full_time + staff_part_time)", Key::Int),
            ("id", Key::Uuid),
        ];
        let (keys, desc) = match self {
            OrgSort::Name => (NAME, false),
            OrgSort::NameDesc => (NAME, true),
            OrgSort::Founded => (FOUNDED, false),
            OrgSort::FoundedDesc => (FOUNDED, true),
            OrgSort::Updated => (UPDATED, true),
            OrgSort::Staff => (STAFF, false),
        };
        Walk { keys, desc }
    }
}

/// A page of organizations as a statement: a `WITH` (when the plan scans the subtree
/// first), the select, its values, and the order it walks.
struct OrgRead {
    with: String,
    select: String,
    args: Vec<Arg>,
    /// The search index's rank, when the list is of its hits.
    rank: Option<String>,
    sort: OrgSort,
    tag: String,
}

/// The `WHERE` of a list of organizations, its values, and the search index's rank
/// when the list is of its hits.
struct OrgWhere {
    sql: String,
    args: Vec<Arg>,
    rank: Option<String>,
}

impl Store {
    /// One page of organizations matching `filter`; filtering, ordering and paging all
    /// happen in the database. An unknown jurisdiction yields an empty page.
    pub async fn list_organizations(
        &self,
        filter: &OrgFilter,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Organization>> {
        let paging = Paging::new(page, per_page, 200);
        let Some(OrgWhere {
            sql: where_sql,
            args,
            rank,
        }) = self.org_where(filter, OrgPlan::Lookup).await?
        else {
            return Ok(paging.empty());
        };
        let order = match rank {
            Some(rank) => format!("{rank}, id"),
            None => filter.sort.order_by().to_string(),
        };
        // The total from the maintained tallies when they count by this filter (handed
        // back by a constant query, no scan); otherwise counted.
        let (count_sql, count_args) = match self.organization_total(filter).await? {
            Some(total) => (
                "SELECT CAST($1 AS BIGINT)".to_string(),
                vec![Arg::Int(total)],
            ),
            None => (
                format!("SELECT COUNT(*) FROM organizations WHERE {where_sql}"),
                args.clone(),
            ),
        };
        let list_sql =
            format!("SELECT {COLUMNS} FROM organizations WHERE {where_sql} ORDER BY {order}");
        self.paged::<OrgRow, _>(
            paging,
            (&count_sql, &count_args),
            (&list_sql, &args),
            Organization::try_from,
        )
        .await
    }

    /// One keyset page of the organizations matching `filter` at `at`, with the cursors
    /// of the pages either side and a bounded total: what a page costs depends on the
    /// page, not on how many organizations match. A cursor of another order (or
    /// garbage) is an invalid `cursor`; an unknown jurisdiction yields an empty page.
    pub async fn organizations_page(
        &self,
        filter: &OrgFilter,
        at: At<'_>,
        per_page: u32,
    ) -> Result<KeyPage<Organization>> {
        let (plan, total) = self.org_plan_and_total(filter).await?;
        self.organizations_page_read(filter, plan, total, at, per_page)
            .await
    }

    /// [`Store::organizations_page`] read by the plan given rather than the one the
    /// counters choose: both must list the same rows (tests and benchmarks compare them).
    pub async fn organizations_page_by(
        &self,
        filter: &OrgFilter,
        plan: OrgPlan,
        at: At<'_>,
        per_page: u32,
    ) -> Result<KeyPage<Organization>> {
        self.organizations_page_read(filter, plan, None, at, per_page)
            .await
    }

    /// A keyset page of `filter` read by `plan`, with `total` when the tallies gave it
    /// already (else it is looked up or counted here).
    async fn organizations_page_read(
        &self,
        filter: &OrgFilter,
        plan: OrgPlan,
        total: Option<i64>,
        at: At<'_>,
        per_page: u32,
    ) -> Result<KeyPage<Organization>> {
        let per_page = per_page.clamp(1, 200);
        let Some(read) = self.org_read(filter, plan).await? else {
            return Ok(KeyPage {
                items: vec![],
                next: None,
                prev: None,
                total: Total::Exact(0),
                per_page,
            });
        };
        let total = match total {
            Some(n) => Total::Exact(n),
            None => self.org_total(filter).await?,
        };
        let ranked;
        let walk = match &read.rank {
            Some(rank) => {
                ranked = [(rank.as_str(), Key::Int), ("id", Key::Uuid)];
                Walk {
                    keys: &ranked,
                    desc: false,
                }
            }
            None => read.sort.walk(),
        };
        let list = KeyList {
            with: &read.with,
            select: (&read.select, &read.args),
            walk,
            tag: &read.tag,
            walk_index: plan == OrgPlan::SortIndex && read.rank.is_none(),
        };
        self.keyset_page::<OrgRow, _>(list, at, per_page, total, Organization::try_from)
            .await
    }

    /// How many organizations match `filter`. The one place the list's total comes
    /// from: the maintained tallies where they cover the filter, otherwise a count that
    /// stops at [`crate::TOTAL_BOUND`].
    async fn org_total(&self, filter: &OrgFilter) -> Result<Total> {
        // The maintained tallies answer every combination of the list's filters; only
        // exact lookups and search hits (few rows by nature) are counted, and boundedly.
        if let Some(n) = self.organization_total(filter).await? {
            return Ok(Total::Exact(n));
        }
        let Some(w) = self.org_where(filter, OrgPlan::Lookup).await? else {
            return Ok(Total::Exact(0));
        };
        let from = format!("FROM organizations WHERE {}", w.sql);
        self.bounded_count((&from, &w.args)).await
    }

    /// How a page of `filter` is read: by the subtree's size and how many match, from
    /// the tallies (kept with every write), the whole city as a large subtree; exact
    /// lookups and search hits name few rows whatever the subtree.
    pub async fn org_plan(&self, filter: &OrgFilter) -> Result<OrgPlan> {
        Ok(self.org_plan_and_total(filter).await?.0)
    }

    /// The plan of a page of `filter` and its total when the tallies count it: one
    /// statement ([`Store::tally_counts`]) answers both, so a page of a large district
    /// costs that lookup and the page's own query.
    async fn org_plan_and_total(&self, filter: &OrgFilter) -> Result<(OrgPlan, Option<i64>)> {
        let exact = filter.q.as_deref().is_some_and(|q| !q.trim().is_empty());
        if exact || filter.ids.is_some() {
            return Ok((OrgPlan::Lookup, None));
        }
        let walked = match &filter.jurisdiction {
            Some(code) => match self.jurisdiction(code).await? {
                // Nothing matches: the page is empty whatever the plan.
                None => return Ok((OrgPlan::Lookup, Some(0))),
                Some(j) => shard_walk(&j, filter.sort)
                    .unwrap_or(EVERYWHERE)
                    .to_string(),
            },
            None => EVERYWHERE.to_string(),
        };
        let Some(counts) = self.tally_counts(filter, &walked).await? else {
            return Ok((OrgPlan::Lookup, None));
        };
        let (subtree, matching, walked) = (counts.subtree, Some(counts.matching), counts.walked);
        let plan = match filter.jurisdiction {
            None => OrgPlan::SortIndex,
            // The name indexes carry every column the filter tests; the other orders'
            // indexes only the path, so their walk reads the table for each entry.
            Some(_) if matches!(filter.sort, OrgSort::Name | OrgSort::NameDesc) => {
                OrgPlan::for_counts_checked(subtree, matching, walked)
            }
            Some(_) => OrgPlan::for_counts(subtree, matching, walked),
        };
        Ok((plan, Some(counts.matching)))
    }

    /// The statement pieces of a page of `filter` read by `plan`; `None`: nothing matches.
    async fn org_read(&self, filter: &OrgFilter, plan: OrgPlan) -> Result<Option<OrgRead>> {
        let Some(w) = self.org_where(filter, plan).await? else {
            return Ok(None);
        };
        let (with, select) = match plan {
            OrgPlan::PathScan => (
                format!(
                    "WITH {PATH_SCAN} AS MATERIALIZED (SELECT * FROM organizations WHERE {}) ",
                    w.sql
                ),
                format!("SELECT {COLUMNS} FROM {PATH_SCAN} WHERE 1 = 1"),
            ),
            _ => (
                String::new(),
                format!("SELECT {COLUMNS} FROM organizations WHERE {}", w.sql),
            ),
        };
        let tag = match &w.rank {
            Some(_) => "org:rank".to_string(),
            None => format!("org:{}", filter.sort.as_str()),
        };
        Ok(Some(OrgRead {
            with,
            select,
            args: w.args,
            rank: w.rank,
            sort: filter.sort,
            tag,
        }))
    }

    /// The plan each engine makes for the first page of `filter` read by `plan`, one
    /// line per step (see [`Store::read_plan`]).
    #[cfg(feature = "testing")]
    pub async fn organizations_plan_for_tests(
        &self,
        filter: &OrgFilter,
        plan: OrgPlan,
    ) -> Result<Vec<String>> {
        let read = self
            .org_read(filter, plan)
            .await?
            .expect("a filter that matches");
        assert!(read.rank.is_none(), "a plan of a sort, not of search hits");
        let walk = read.sort.walk();
        self.read_plan(&Read {
            with: &read.with,
            select: (&read.select, &read.args),
            keys: walk.keys,
            desc: walk.desc,
            after: None,
            limit: 21,
            offset: 0,
            walk_index: plan == OrgPlan::SortIndex,
        })
        .await
    }

    /// The organizations matching `filter` in the list's order, `limit` after `after`
    /// (from the start if `None`): a download walks the whole list so, by its sort key
    /// and id, without counting or skipping rows.
    pub async fn organizations_chunk(
        &self,
        filter: &OrgFilter,
        after: Option<&After>,
        limit: u32,
    ) -> Result<KeyChunk<Organization>> {
        let Some(OrgWhere {
            sql: where_sql,
            args,
            rank,
        }) = self.org_where(filter, OrgPlan::Lookup).await?
        else {
            return Ok(KeyChunk {
                items: vec![],
                next: None,
            });
        };
        let select = format!("SELECT {COLUMNS} FROM organizations WHERE {where_sql}");
        // Search hits walk in the index's rank; other lists by their sort.
        let ranked;
        let walk = match &rank {
            Some(rank) => {
                ranked = [(rank.as_str(), Key::Int), ("id", Key::Uuid)];
                Walk {
                    keys: &ranked,
                    desc: false,
                }
            }
            None => filter.sort.walk(),
        };
        self.walk::<OrgRow, _>((&select, &args), walk, after, limit, Organization::try_from)
            .await
    }

    /// The `WHERE` of the organizations matching `filter`, with its values; `None` when
    /// it names a jurisdiction that does not exist (nothing matches).
    async fn org_where(&self, filter: &OrgFilter, plan: OrgPlan) -> Result<Option<OrgWhere>> {
        // Walking the sort's index, no filter may offer the planner another index.
        let hide = |column: &str| match plan {
            OrgPlan::SortIndex => unindexed(column),
            _ => column.to_string(),
        };
        let col = hide("jurisdiction_path");
        let mut where_ = vec!["1 = 1".to_string()];
        let mut args: Vec<Arg> = Vec::new();
        // Appends a clause, numbering its `?` placeholders after those already bound.
        let mut push_n = |clause: &str, new_args: Vec<Arg>, args: &mut Vec<Arg>| {
            let mut new_args = new_args.into_iter();
            let mut sql = String::with_capacity(clause.len() + 8);
            for c in clause.chars() {
                if c == '?' {
                    args.push(new_args.next().expect("one argument per placeholder"));
                    sql.push_str(&format!("${}", args.len()));
                } else {
                    sql.push(c);
                }
            }
            where_.push(sql);
        };
        let (range, shard) = match &filter.jurisdiction {
            Some(code) => match self.jurisdiction(code).await? {
                Some(j) => (
                    Some(j.subtree_range()),
                    shard_walk(&j, filter.sort).map(str::to_string),
                ),
                None => return Ok(None),
            },
            None => (None, None),
        };
        if plan == OrgPlan::SortIndex
            && let Some(shard) = shard.as_deref()
        {
            // The district's own entries of the sort's index, not every district's.
            push_n("shard_key = ?", vec![Arg::Text(shard.into())], &mut args);
        }
        if let Some((lo, hi)) = &range {
            push_n(
                &format!("{col} >= ?"),
                vec![Arg::Text(lo.clone())],
                &mut args,
            );
            push_n(
                &format!("{col} < ?"),
                vec![Arg::Text(hi.clone())],
                &mut args,
            );
        }
        // A district walked by name with a grade: the graded organizations' name index
        // (`organizations_shard_grade_name`, by district and grade) holds that grade's
        // names together, so the grade is left open to it and the walk passes only that
        // grade's entries of the district, not all of them.
        let graded_walk = plan == OrgPlan::SortIndex && shard.is_some();
        // The plain equality filters, each written as the plan wants.
        let equals = [
            (
                "legal_form",
                filter.legal_form.map(LegalForm::as_str),
                false,
            ),
            ("status", filter.status.map(OrgStatus::as_str), false),
            ("stage", filter.stage.map(Stage::as_str), false),
            ("grade", filter.grade.map(Grade::as_str), graded_walk),
        ];
        for (column, value, open) in equals {
            if let Some(v) = value {
                let column = if open {
                    column.to_string()
                } else {
                    hide(column)
                };
                push_n(
                    &format!("{column} = ?"),
                    vec![Arg::Text(v.into())],
                    &mut args,
                );
            }
        }
        if let Some(d) = filter.domain
            && plan == OrgPlan::SortIndex
        {
            // The record's own mask: a test per row walked, no index.
            push_n(
                "(domains_mask & ?) <> 0",
                vec![Arg::Int(d.bit())],
                &mut args,
            );
        } else if let Some(d) = filter.domain {
            // The domain index carries the path: domain-within-jurisdiction is one range.
            let (lo, hi) = range
                .clone()
                .unwrap_or_else(|| (String::new(), "~".to_string()));
            push_n(
                "id IN (SELECT organization_id FROM organization_domains WHERE domain = ? AND jurisdiction_path >= ? AND jurisdiction_path < ?)",
                vec![Arg::Text(d.as_str().into()), Arg::Text(lo), Arg::Text(hi)],
                &mut args,
            );
        }
        if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            // A whole code is an exact, indexed lookup; anything else searches names.
            if let Ok(u) = Uscc::parse(q) {
                push_n("uscc = ?", vec![Arg::Text(u.to_string())], &mut args);
            } else if let Ok(f) = FilingNumber::parse(q) {
                push_n(
                    "filing_number = ?",
                    vec![Arg::Text(f.to_string())],
                    &mut args,
                );
            } else {
                push_n("name = ?", vec![Arg::Text(q.to_string())], &mut args);
            }
        }
        // The search index's hits: restricted to them, ranked as the index ranked them.
        let mut rank = None;
        if let Some(ids) = &filter.ids {
            if ids.is_empty() {
                return Ok(None);
            }
            let (clause, r, more) = crate::paging::ranked_ids("id", ids, args.len());
            where_.push(clause);
            args.extend(more);
            rank = Some(r);
        }
        Ok(Some(OrgWhere {
            sql: where_.join(" AND "),
            args,
            rank,
        }))
    }
}
