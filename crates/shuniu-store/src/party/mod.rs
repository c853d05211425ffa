//! Party building and coverage: instructors, each organization's party facts, and the
//! coverage figures (party building; hubs) of a jurisdiction subtree or a hub, with
//! the organizations not covered.
//!
//! Coverage counts live organizations (not deregistered). Figures for a subtree are one
//! range scan of `organizations` on `jurisdiction_path` (per child: one such scan each,
//! all in one statement); hub coverage reads the
//! per-organization counters `regional_hub_id` / `industry_hubs`, kept by membership writes.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};
use shuniu_domain::audit::Outcome;
use shuniu_domain::codes::Phone;
use shuniu_domain::jurisdiction::{Jurisdiction, JurisdictionCode, subtree_range};
use shuniu_domain::party::{
    HubCoverage, Instructor, InstructorData, PartyBuilding, PartyCoverage, Share,
};
use shuniu_domain::registry::{OrgStatus, Organization};
use shuniu_domain::{FieldError, FieldErrors};
use uuid::Uuid;

use crate::audit::append_in_tx;
use crate::paging::Key;
use crate::paging::keyset::ListQuery;
use crate::registry::{COLUMNS, OrgRow};
use crate::{After, Arg, KeyChunk, Page, Paging, Result, Store, StoreError, WriteCtx, on_pool};

mod uncovered;

/// Whose coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CoverageScope {
    /// A jurisdiction subtree, by path (`320000/320100/320102/`).
    Subtree(String),
    /// The active members of a hub.
    Hub(Uuid),
}

/// Which organizations are "not covered".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gap {
    /// No party organization (own or joint).
    PartyOrganization,
    /// Neither a party organization nor an instructor.
    PartyWork,
    /// In no regional hub.
    RegionalHub,
    /// In no industry hub.
    IndustryHub,
}

impl Gap {
    pub const ALL: [Gap; 4] = [
        Gap::PartyOrganization,
        Gap::PartyWork,
        Gap::RegionalHub,
        Gap::IndustryHub,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Gap::PartyOrganization => "party_organization",
            Gap::PartyWork => "party_work",
            Gap::RegionalHub => "regional_hub",
            Gap::IndustryHub => "industry_hub",
        }
    }
    pub fn parse(s: &str) -> Option<Gap> {
        Gap::ALL.into_iter().find(|g| g.as_str() == s.trim())
    }
}

/// Coverage of one child node (a street of a district, a district of a city).
#[derive(Debug, Clone, Serialize)]
pub struct ChildCoverage {
    pub jurisdiction: Jurisdiction,
    pub party: PartyCoverage,
    pub hubs: HubCoverage,
}

#[derive(sqlx::FromRow)]
struct InstructorRow {
    id: Uuid,
    name: String,
    phone: Option<String>,
    jurisdiction_code: String,
    workplace: String,
    organizations: i64,
}

impl TryFrom<InstructorRow> for Instructor {
    type Error = StoreError;
    fn try_from(r: InstructorRow) -> Result<Self> {
        let bad =
            |what: &str| StoreError::Corrupt(format!("corrupt instructor row {}: {what}", r.id));
        Ok(Instructor {
            id: r.id,
            data: InstructorData {
                name: r.name.clone(),
                phone: r
                    .phone
                    .as_deref()
                    .map(Phone::parse)
                    .transpose()
                    .map_err(|_| bad("phone"))?,
                jurisdiction: JurisdictionCode::parse(&r.jurisdiction_code)
                    .map_err(|_| bad("jurisdiction"))?,
                workplace: r.workplace.clone(),
            },
            organizations: r.organizations,
        })
    }
}

/// The instructor list's order as keys: by name, then id.
const INSTRUCTOR_KEYS: &[(&str, Key)] = &[("i.name", Key::Text), ("i.id", Key::Uuid)];

/// Instructor columns with the count of live organizations assigned to each.
const INSTRUCTOR_COLUMNS: &str = "i.id, i.name, i.phone, i.jurisdiction_code, i.workplace, \
    (SELECT COUNT(*) FROM organizations o WHERE o.party_instructor_id = i.id AND o.status <> 'deregistered') AS organizations";

/// The instructors of a subtree by name, as pages and downloads read them.
fn instructors_list(path_prefix: &str) -> ListQuery {
    let (lo, hi) = range_of(path_prefix);
    ListQuery::new(
        "instructors",
        INSTRUCTOR_COLUMNS,
        "FROM party_instructors i WHERE i.jurisdiction_path >= $1 AND i.jurisdiction_path < $2"
            .into(),
        vec![Arg::Text(lo), Arg::Text(hi)],
        INSTRUCTOR_KEYS,
    )
}

/// The half-open path range of a subtree; an empty path is the whole tree.
fn range_of(path: &str) -> (String, String) {
    if path.is_empty() {
        (String::new(), "~".to_string())
    } else {
        subtree_range(path)
    }
}

/// What a scope's WHERE clause binds.
enum ScopeArgs {
    Range(String, String),
    Hub(Uuid),
}

/// The live organizations a scope covers, as a WHERE clause over `organizations` whose
/// placeholders start at `$first`, and what to bind to it.
fn scope_clause(scope: &CoverageScope, first: usize) -> (String, ScopeArgs) {
    match scope {
        CoverageScope::Subtree(path) => {
            let (lo, hi) = range_of(path);
            (
                format!(
                    "status <> 'deregistered' AND jurisdiction_path >= ${first} AND jurisdiction_path < ${}",
                    first + 1
                ),
                ScopeArgs::Range(lo, hi),
            )
        }
        CoverageScope::Hub(id) => (
            format!(
                "status <> 'deregistered' AND id IN (SELECT organization_id FROM hub_memberships WHERE hub_id = ${first} AND status = 'active')"
            ),
            ScopeArgs::Hub(*id),
        ),
    }
}

impl ScopeArgs {
    /// The same values, for a query built with [`bind_args!`](crate::bind_args).
    fn to_args(&self) -> Vec<Arg> {
        match self {
            ScopeArgs::Range(lo, hi) => vec![Arg::Text(lo.clone()), Arg::Text(hi.clone())],
            ScopeArgs::Hub(id) => vec![Arg::Uuid(*id)],
        }
    }
}

macro_rules! bind_scope {
    ($q:expr, $args:expr) => {
        match &$args {
            ScopeArgs::Range(lo, hi) => $q.bind(lo.clone()).bind(hi.clone()),
            ScopeArgs::Hub(id) => $q.bind(*id),
        }
    };
}

fn gap_clause(gap: Gap) -> &'static str {
    match gap {
        Gap::PartyOrganization => "party_org = 'none'",
        Gap::PartyWork => "party_org = 'none' AND party_instructor_id IS NULL",
        Gap::RegionalHub => "regional_hub_id IS NULL",
        Gap::IndustryHub => "industry_hubs = 0",
    }
}

/// Counts of one set of organizations' rows: total, with a party organization, reached
/// by party work, in a regional hub, in an industry hub. `SUM` of an empty set is NULL
/// and, on PostgreSQL, of integers a BIGINT: hence the COALESCE and CAST.
fn figures_sql() -> String {
    let count = |cond: &str| {
        format!("CAST(COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS BIGINT)")
    };
    [
        "COUNT(*)".to_string(),
        count("party_org <> 'none'"),
        count("party_org <> 'none' OR party_instructor_id IS NOT NULL"),
        count("regional_hub_id IS NOT NULL"),
        count("industry_hubs > 0"),
    ]
    .join(", ")
}

/// The same counts summed over the coverage counters (`organization_coverage`, kept by
/// triggers on `organizations`: one row per node with organizations filed there) of a
/// path range: a subtree's figures without reading its organizations. `SUM` of BIGINT is
/// NUMERIC on PostgreSQL: hence the CAST.
const COUNTER_SUMS: &str = "CAST(COALESCE(SUM(live), 0) AS BIGINT), \
    CAST(COALESCE(SUM(party_org), 0) AS BIGINT), CAST(COALESCE(SUM(party_work), 0) AS BIGINT), \
    CAST(COALESCE(SUM(regional), 0) AS BIGINT), CAST(COALESCE(SUM(industry), 0) AS BIGINT) \
    FROM organization_coverage";

/// Total, with a party organization, reached by party work, in a regional hub, in an
/// industry hub (see [`figures_sql`]).
pub(crate) type Figures = (i64, i64, i64, i64, i64);

fn party_of((total, org, work, _, _): Figures) -> PartyCoverage {
    PartyCoverage {
        organizations: Share {
            covered: org,
            total,
        },
        work: Share {
            covered: work,
            total,
        },
    }
}

fn hubs_of((total, _, _, regional, industry): Figures) -> HubCoverage {
    HubCoverage {
        regional: Share {
            covered: regional,
            total,
        },
        industry: Share {
            covered: industry,
            total,
        },
    }
}

impl Store {
    /// `Invalid(jurisdiction)` for an unknown jurisdiction. Audited as `instructor.create`.
    pub async fn create_instructor(
        &self,
        data: &InstructorData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Instructor> {
        let ctx = ctx.into();
        let j = self
            .jurisdiction(data.jurisdiction.as_str())
            .await?
            .ok_or_else(|| {
                StoreError::Invalid(FieldErrors::single(
                    "jurisdiction",
                    FieldError::unknown_jurisdiction(),
                ))
            })?;
        let id = Uuid::now_v7();
        let now = crate::now();
        let details = serde_json::to_string(data).expect("serializable");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            sqlx::query(
                "INSERT INTO party_instructors (id, shard_key, name, phone, jurisdiction_code, jurisdiction_path, workplace, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(j.shard_key())
            .bind(&data.name)
            .bind(data.phone.as_ref().map(|p| p.as_str()))
            .bind(data.jurisdiction.as_str())
            .bind(&j.path)
            .bind(&data.workplace)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "instructor.create",
                    format!("instructor:{id}"),
                    Outcome::Success,
                    details,
                    Some(j.path.clone())
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(Instructor {
            id,
            data: data.clone(),
            organizations: 0,
        })
    }

    pub async fn instructor(&self, id: Uuid) -> Result<Option<Instructor>> {
        let sql = format!("SELECT {INSTRUCTOR_COLUMNS} FROM party_instructors i WHERE i.id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, InstructorRow>(&sql)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        row.map(Instructor::try_from).transpose()
    }

    /// Instructors in a subtree, by name, with the count of live organizations each has.
    pub async fn instructors(
        &self,
        path_prefix: &str,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Instructor>> {
        let (lo, hi) = range_of(path_prefix);
        let args = [Arg::Text(lo), Arg::Text(hi)];
        let count_sql = "SELECT COUNT(*) FROM party_instructors WHERE jurisdiction_path >= $1 AND jurisdiction_path < $2";
        let list_sql = format!(
            "SELECT {INSTRUCTOR_COLUMNS} FROM party_instructors i WHERE i.jurisdiction_path >= $1 AND i.jurisdiction_path < $2 ORDER BY i.name, i.id"
        );
        self.paged::<InstructorRow, _>(
            Paging::new(page, per_page, 200),
            (count_sql, &args),
            (&list_sql, &args),
            Instructor::try_from,
        )
        .await
    }

    /// One keyset page of the instructors in a subtree, by name, from a cursor (or
    /// the first), with a bounded total.
    pub async fn instructors_keyset(
        &self,
        path_prefix: &str,
        at: crate::At<'_>,
        per_page: u32,
    ) -> Result<crate::KeyPage<Instructor>> {
        self.list_page::<InstructorRow, _>(
            instructors_list(path_prefix),
            at,
            per_page,
            Instructor::try_from,
        )
        .await
    }

    /// Instructors in a subtree by name, `limit` after `after` (a download's keyset
    /// walk: no count, no skipped rows).
    pub async fn instructors_chunk(
        &self,
        path_prefix: &str,
        after: Option<&After>,
        limit: u32,
    ) -> Result<KeyChunk<Instructor>> {
        let q = instructors_list(path_prefix);
        self.list_chunk::<InstructorRow, _>(q, after, limit, Instructor::try_from)
            .await
    }

    /// Sets an organization's party organization, party members and instructor
    /// (`Invalid(instructor_id)` for an unknown instructor). Recorded in the organization's
    /// change history and audited as `organization.party`.
    ///
    /// A deregistered organization cannot be changed (`State`); setting what is already
    /// there writes nothing.
    pub async fn set_party_building(
        &self,
        organization_id: Uuid,
        party: &PartyBuilding,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Organization> {
        let ctx = ctx.into();
        let now = crate::now();
        let lock = self.row_lock(" FOR UPDATE");
        let select = format!("SELECT {COLUMNS} FROM organizations WHERE id = $1{lock}");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let row = sqlx::query_as::<_, OrgRow>(&select)
                .bind(organization_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let before = Organization::try_from(row)?;
            if before.status == OrgStatus::Deregistered {
                return Err(StoreError::State(
                    "a deregistered organization cannot be edited".into(),
                ));
            }
            let (path, old_instructor): (String, Option<Uuid>) = sqlx::query_as(
                "SELECT jurisdiction_path, party_instructor_id FROM organizations WHERE id = $1",
            )
            .bind(organization_id)
            .fetch_one(&mut *tx)
            .await?;
            if let Some(i) = party.instructor_id {
                let known: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM party_instructors WHERE id = $1")
                        .bind(i)
                        .fetch_one(&mut *tx)
                        .await?;
                if known == 0 {
                    return Err(StoreError::Invalid(FieldErrors::single(
                        "instructor_id",
                        shuniu_domain::party::unknown_instructor(),
                    )));
                }
            }
            let mut changes = serde_json::Map::new();
            if before.data.party_org != party.party_org {
                changes.insert(
                    "party_org".into(),
                    json!({"from": before.data.party_org, "to": party.party_org}),
                );
            }
            if before.data.party_members != party.party_members {
                changes.insert(
                    "party_members".into(),
                    json!({"from": before.data.party_members, "to": party.party_members}),
                );
            }
            if old_instructor != party.instructor_id {
                changes.insert(
                    "instructor_id".into(),
                    json!({"from": old_instructor, "to": party.instructor_id}),
                );
            }
            if changes.is_empty() {
                return Ok(before);
            }
            let changes = Value::Object(changes).to_string();
            crate::registry::creation::keep_creation!(tx, organization_id);
            sqlx::query("UPDATE organizations SET party_org = $2, party_members = $3, party_instructor_id = $4, updated_at = $5 WHERE id = $1")
                .bind(organization_id)
                .bind(party.party_org.as_str())
                .bind(i64::from(party.party_members))
                .bind(party.instructor_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO organization_changes (id, organization_id, changed_at, actor, action, changes) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(Uuid::now_v7())
                .bind(organization_id)
                .bind(now)
                .bind(ctx.actor.as_str())
                .bind("party")
                .bind(&changes)
                .execute(&mut *tx)
                .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "organization.party",
                    format!("organization:{organization_id}"),
                    Outcome::Success,
                    changes,
                    Some(path)
                )
            );
            tx.commit().await?;
            let mut after = before;
            after.data.party_org = party.party_org;
            after.data.party_members = party.party_members;
            after.updated_at = now;
            Ok(after)
        })
    }

    /// The instructor assigned to an organization, if any.
    pub async fn instructor_of(&self, organization_id: Uuid) -> Result<Option<Instructor>> {
        let sql = format!(
            "SELECT {INSTRUCTOR_COLUMNS} FROM party_instructors i WHERE i.id = (SELECT party_instructor_id FROM organizations WHERE id = $1)"
        );
        let row = on_pool!(self, |p| sqlx::query_as::<_, InstructorRow>(&sql)
            .bind(organization_id)
            .fetch_optional(p)
            .await)?;
        row.map(Instructor::try_from).transpose()
    }

    /// All five counts of a scope in one aggregate query, kept until the next write
    /// (`figures_cache`): the page of a district and its coverage report ask for them
    /// on every visit; kept, they cost one read of the audit head instead of a sum over
    /// the subtree's counters (or a read of a hub's members).
    async fn figures(&self, scope: &CoverageScope) -> Result<Figures> {
        let key = match scope {
            CoverageScope::Subtree(path) => format!("path:{path}"),
            CoverageScope::Hub(id) => format!("hub:{id}"),
        };
        self.cached_until_write(&self.figures.coverage, &key, || self.count_figures(scope))
            .await
    }

    /// A subtree's figures from the coverage counters (bounded by its number of nodes);
    /// a hub's by reading its members' rows (bounded by the hub's size).
    async fn count_figures(&self, scope: &CoverageScope) -> Result<Figures> {
        let (clause, args) = scope_clause(scope, 1);
        let sql = match scope {
            CoverageScope::Subtree(_) => format!(
                "SELECT {COUNTER_SUMS} WHERE jurisdiction_path >= $1 AND jurisdiction_path < $2"
            ),
            CoverageScope::Hub(_) => {
                format!("SELECT {} FROM organizations WHERE {clause}", figures_sql())
            }
        };
        let figures = on_pool!(self, |p| bind_scope!(
            sqlx::query_as::<_, Figures>(&sql),
            args
        )
        .fetch_one(p)
        .await)?;
        Ok(figures)
    }

    pub async fn party_coverage(&self, scope: &CoverageScope) -> Result<PartyCoverage> {
        Ok(party_of(self.figures(scope).await?))
    }

    /// Hub coverage of a subtree (for `CoverageScope::Hub`: of that hub's members).
    pub async fn hub_coverage(&self, scope: &CoverageScope) -> Result<HubCoverage> {
        Ok(hubs_of(self.figures(scope).await?))
    }

    /// Coverage of each child node of `parent` (streets of a district …), in code order;
    /// one statement for up to 100 children, not one query per child.
    ///
    /// Organizations registered at `parent` itself lie in no child and are left out: the
    /// children's figures add up to `party_coverage(parent)` less those.
    pub async fn coverage_by_child(&self, parent: &Jurisdiction) -> Result<Vec<ChildCoverage>> {
        let children = self.jurisdiction_children(parent.code.as_str()).await?;
        // Kept until the next write (`figures_cache`); a node added below the parent
        // changes the children, so their codes are part of the key.
        let mut key = parent.code.to_string();
        for c in &children {
            key.push(',');
            key.push_str(c.code.as_str());
        }
        let figures = self
            .cached_until_write(&self.figures.by_child, &key, || {
                self.count_by_child(&children)
            })
            .await?;
        Ok(children
            .into_iter()
            .zip(figures)
            .map(|(j, f)| ChildCoverage {
                jurisdiction: j,
                party: party_of(f),
                hubs: hubs_of(f),
            })
            .collect())
    }

    /// The coverage counts of each of `children`, in their order.
    async fn count_by_child(&self, children: &[Jurisdiction]) -> Result<Vec<Figures>> {
        // One sum of the coverage counters per child over its own path range, glued by
        // UNION ALL: each is a range read of the counters' primary key, so the whole
        // reads each node of the parent's subtree once (reading the organizations' rows
        // took 3.8 s for a city of 593,000 at 1M). An aggregate yields a row even for an
        // empty child; the first column names the branch. Chunks keep under SQLite's
        // 500-term compound limit.
        let mut figures: Vec<Figures> = Vec::with_capacity(children.len());
        for chunk in children.chunks(100) {
            let sql = (0..chunk.len())
                .map(|i| {
                    format!(
                        "SELECT CAST({i} AS BIGINT), {COUNTER_SUMS} \
                         WHERE jurisdiction_path >= ${} AND jurisdiction_path < ${}",
                        2 * i + 1,
                        2 * i + 2
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ALL ");
            let ranges: Vec<(String, String)> = chunk.iter().map(|c| c.subtree_range()).collect();
            let rows = on_pool!(self, |p| {
                let mut q = sqlx::query_as::<_, (i64, i64, i64, i64, i64, i64)>(&sql);
                for (lo, hi) in &ranges {
                    q = q.bind(lo.as_str()).bind(hi.as_str());
                }
                q.fetch_all(p).await
            })?;
            // UNION ALL promises no order (PostgreSQL may run the branches in parallel).
            let by_branch: BTreeMap<i64, Figures> = rows
                .into_iter()
                .map(|(i, a, b, c, d, e)| (i, (a, b, c, d, e)))
                .collect();
            figures.extend(
                (0..chunk.len() as i64).map(|i| by_branch.get(&i).copied().unwrap_or_default()),
            );
        }
        Ok(figures)
    }
}
