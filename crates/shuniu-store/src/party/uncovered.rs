//! The organizations a coverage axis misses (no party organization, no party work, no
//! regional or industry hub): a page by keyset, planned like the organization list
//! ([`OrgPlan`]); a numbered page for the command line and tests; a download's chunks.
//!
//! A page of a subtree is read one of two ways, chosen from the kept figures (how many
//! live organizations the subtree holds, how many of them the gap holds) and the
//! tallies (how many there are in all): a large subtree with a common gap walks the name
//! index with the subtree and the gap as filters and stops after the page (about
//! `per_page × all ÷ uncovered` entries); a rare gap, or a small subtree, reads the
//! subtree through the coverage index (which carries every gap's columns) and sorts the
//! few that match. Neither depends on how many organizations there are in all.

use shuniu_domain::jurisdiction::{district_of_path, district_path};
use shuniu_domain::registry::Organization;

use super::{COLUMNS, CoverageScope, Figures, Gap, OrgRow, gap_clause, range_of, scope_clause};
use crate::paging::keyset::ListQuery;
use crate::paging::{Key, unindexed};
use crate::registry::tallies::EVERYWHERE;
use crate::registry::{OrgFilter, OrgPlan};
use crate::{After, Arg, At, KeyChunk, KeyPage, Page, Paging, Result, Store, Total};

/// The list's order: by name, then id.
const NAME_KEYS: &[(&str, Key)] = &[("name", Key::Text), ("id", Key::Uuid)];

/// The materialized subtree a [`OrgPlan::PathScan`] page sorts.
const PATH_SCAN: &str = "uncovered";

/// The gap's terms as the name-index walk writes them: each column [`unindexed`], so
/// that neither engine reads the coverage index and sorts the range, nor (SQLite,
/// without statistics) takes an equality for a selective term and sorts a table scan.
fn walked_gap(gap: Gap) -> String {
    let party = format!("{} = 'none'", unindexed("party_org"));
    match gap {
        Gap::PartyOrganization => party,
        Gap::PartyWork => format!("{party} AND {} IS NULL", unindexed("party_instructor_id")),
        Gap::RegionalHub => format!("{} IS NULL", unindexed("regional_hub_id")),
        Gap::IndustryHub => format!("{} = 0", unindexed("industry_hubs")),
    }
}

/// How many of a scope's live organizations fall in `gap`: its figures less those
/// covered (each gap is the negation of one covered count; `party_org` is never NULL and
/// `industry_hubs` never negative).
fn in_gap((total, org, work, regional, industry): Figures, gap: Gap) -> i64 {
    total
        - match gap {
            Gap::PartyOrganization => org,
            Gap::PartyWork => work,
            Gap::RegionalHub => regional,
            Gap::IndustryHub => industry,
        }
}

/// The uncovered of `scope` in `gap` as a list read by `plan`.
fn uncovered_list(scope: &CoverageScope, gap: Gap, plan: OrgPlan) -> ListQuery {
    let keyed = |from_where: String, args: Vec<Arg>| {
        ListQuery::new("uncovered", COLUMNS, from_where, args, NAME_KEYS)
    };
    match (scope, plan) {
        (CoverageScope::Subtree(path), OrgPlan::SortIndex) => {
            let live = format!(
                "{} <> 'deregistered' AND {}",
                unindexed("status"),
                walked_gap(gap)
            );
            let hidden_path = unindexed("jurisdiction_path");
            match district_of_path(path) {
                None if path.is_empty() => {
                    keyed(format!("FROM organizations WHERE {live}"), vec![]).walking_index()
                }
                shard => {
                    let (lo, hi) = range_of(path);
                    let mut args = vec![Arg::Text(lo), Arg::Text(hi)];
                    // The district's own entries of the name index (see `shard_walk`).
                    let own = match shard {
                        Some(key) => {
                            args.push(Arg::Text(key.into()));
                            " AND shard_key = $3"
                        }
                        None => "",
                    };
                    keyed(
                        format!(
                            "FROM organizations WHERE {live}{own} \
                             AND {hidden_path} >= $1 AND {hidden_path} < $2"
                        ),
                        args,
                    )
                    .walking_index()
                }
            }
        }
        (CoverageScope::Subtree(_), OrgPlan::PathScan) => {
            let (clause, args) = scope_clause(scope, 1);
            keyed(
                format!("FROM {PATH_SCAN} WHERE 1 = 1"),
                args.to_args(),
            )
            .with(format!(
                "WITH {PATH_SCAN} AS MATERIALIZED (SELECT * FROM organizations WHERE {clause} AND {}) ",
                gap_clause(gap)
            ))
        }
        _ => {
            let (clause, args) = scope_clause(scope, 1);
            keyed(
                format!("FROM organizations WHERE {clause} AND {}", gap_clause(gap)),
                args.to_args(),
            )
        }
    }
}

impl Store {
    /// How many live organizations of `scope` fall in `gap` (see [`in_gap`]).
    pub async fn uncovered_count(&self, scope: &CoverageScope, gap: Gap) -> Result<i64> {
        Ok(in_gap(self.figures(scope).await?, gap))
    }

    /// How a page of the uncovered of `scope` in `gap` is read, and how many there are:
    /// from the kept figures and the tallies, as the organization list's plan is (a hub's
    /// members are found through its memberships, whatever their number).
    pub async fn uncovered_plan(&self, scope: &CoverageScope, gap: Gap) -> Result<(OrgPlan, i64)> {
        // One read of the kept figures gives both the scope's live count and the gap's.
        let figures = self.figures(scope).await?;
        let uncovered = in_gap(figures, gap);
        let plan = match scope {
            CoverageScope::Hub(_) => OrgPlan::Lookup,
            CoverageScope::Subtree(path) if path.is_empty() => OrgPlan::SortIndex,
            CoverageScope::Subtree(path) => {
                let live = figures.0;
                // What the walk passes: the district's entries, or every organization's.
                let walked = match district_of_path(path) {
                    Some(_) => {
                        let district = CoverageScope::Subtree(district_path(path));
                        self.figures(&district).await?.0
                    }
                    None => self
                        .tally_counts(&OrgFilter::default(), EVERYWHERE)
                        .await?
                        .map_or(live, |c| c.walked),
                };
                OrgPlan::for_counts(live, Some(uncovered), walked)
            }
        };
        Ok((plan, uncovered))
    }

    /// Live organizations in `scope` that fall in `gap`, by name; a numbered page (the
    /// command line, tests), read as the keyset page is.
    pub async fn uncovered(
        &self,
        scope: &CoverageScope,
        gap: Gap,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Organization>> {
        let (plan, total) = self.uncovered_plan(scope, gap).await?;
        let paging = Paging::new(page, per_page, 200);
        let skip = u64::from(paging.page - 1) * u64::from(paging.per_page);
        let p = self
            .list_page_totalled::<OrgRow, _>(
                uncovered_list(scope, gap, plan),
                At::Offset(skip),
                paging.per_page,
                Total::Exact(total),
                Organization::try_from,
            )
            .await?;
        Ok(Page {
            items: p.items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    /// One keyset page of the live organizations in `scope` that fall in `gap`, by
    /// name, from a cursor (or the first), with the exact total (kept).
    pub async fn uncovered_keyset(
        &self,
        scope: &CoverageScope,
        gap: Gap,
        at: At<'_>,
        per_page: u32,
    ) -> Result<KeyPage<Organization>> {
        let (plan, total) = self.uncovered_plan(scope, gap).await?;
        self.uncovered_keyset_by(scope, gap, plan, Total::Exact(total), at, per_page)
            .await
    }

    /// [`Store::uncovered_keyset`] read by the plan given rather than the one the
    /// figures choose: every plan must list the same rows (tests compare them).
    pub async fn uncovered_keyset_by(
        &self,
        scope: &CoverageScope,
        gap: Gap,
        plan: OrgPlan,
        total: Total,
        at: At<'_>,
        per_page: u32,
    ) -> Result<KeyPage<Organization>> {
        let q = uncovered_list(scope, gap, plan);
        self.list_page_totalled::<OrgRow, _>(q, at, per_page, total, Organization::try_from)
            .await
    }

    /// The plan each engine makes for the first page of the uncovered of `scope` in
    /// `gap` read by `plan` (see [`Store::read_plan`]).
    #[cfg(feature = "testing")]
    pub async fn uncovered_plan_for_tests(
        &self,
        scope: &CoverageScope,
        gap: Gap,
        plan: OrgPlan,
    ) -> Result<Vec<String>> {
        self.list_plan(&uncovered_list(scope, gap, plan)).await
    }

    /// Live organizations in `scope` that fall in `gap`, in the pages' order (by name
    /// then id), after `after` (from the start if `None`), at most `limit`: a download
    /// walks the list by the same keys as its pages, each chunk one keyset read.
    pub async fn uncovered_chunk(
        &self,
        scope: &CoverageScope,
        gap: Gap,
        after: Option<&After>,
        limit: u32,
    ) -> Result<KeyChunk<Organization>> {
        // The engine's own plan: a chunk reads thousands of rows, where the walk of a
        // sort index and a scan of the range cost alike.
        let q = uncovered_list(scope, gap, OrgPlan::Lookup);
        self.list_chunk::<OrgRow, _>(q, after, limit, Organization::try_from)
            .await
    }
}
