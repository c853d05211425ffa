//! Annual reports 年报 and their review 年检. One report per organization and year (a
//! unique key); lateness is fixed when it is filed; 4A+ organizations (grade in force
//! then) get the simplified review. Filing a late report is an event for the credit
//! rules, which run for the organization in the same call.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::jurisdiction::subtree_range;
use shuniu_domain::money::Fen;
use shuniu_domain::registry::OrgStatus;
use shuniu_domain::supervision::annual::{
    ReportContents, Review, ReviewKind, ReviewOutcome, authority_scope, review_kind,
};
use shuniu_domain::supervision::assessment::{GradeAward, GradeSource, effective_grade};
use shuniu_domain::supervision::credit::CreditSettings;
use uuid::Uuid;

use super::{corrupt, invalid, org_from, org_select};
use crate::audit::append_in_tx;
use crate::paging::keyset::ListQuery;
use crate::paging::{Key, unindexed};
use crate::registry::OrgRow;
use crate::{
    After, Arg, At, KeyChunk, KeyPage, Page, Paging, Result, Store, StoreError, Total, WriteCtx,
    on_pool,
};

/// A stored report with its review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnualReport {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub year: i32,
    pub contents: ReportContents,
    pub submitted_on: NaiveDate,
    pub due_on: NaiveDate,
    pub late: bool,
    pub review_kind: ReviewKind,
    pub outcome: Option<ReviewOutcome>,
    pub review_reasons: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_on: Option<NaiveDate>,
}

/// A report in an authority's queue, with its organization's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueuedReport {
    pub report: AnnualReport,
    pub organization_name: String,
}

/// The queue's outcome filter: not yet reviewed, or reviewed with this outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueOutcome {
    Pending,
    Is(ReviewOutcome),
}

#[derive(sqlx::FromRow)]
struct QueuedRow {
    #[sqlx(flatten)]
    report: ReportRow,
    organization_name: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ReportRow {
    id: Uuid,
    organization_id: Uuid,
    year: i64,
    activities: String,
    income_fen: i64,
    expenditure_fen: i64,
    net_assets_fen: i64,
    donations_fen: i64,
    government_funding_fen: i64,
    staff_full_time: i64,
    staff_part_time: i64,
    volunteers: i64,
    party_building: String,
    major_events: String,
    submitted_on: NaiveDate,
    due_on: NaiveDate,
    late: bool,
    review_kind: String,
    outcome: Option<String>,
    review_reasons: Option<String>,
    reviewed_by: Option<String>,
    reviewed_on: Option<NaiveDate>,
}

pub(crate) const REPORT_COLUMNS: &str = "id, organization_id, year, activities, income_fen, expenditure_fen, net_assets_fen, donations_fen, \
    government_funding_fen, staff_full_time, staff_part_time, volunteers, party_building, major_events, submitted_on, due_on, late, \
    review_kind, outcome, review_reasons, reviewed_by, reviewed_on";

impl TryFrom<ReportRow> for AnnualReport {
    type Error = StoreError;
    fn try_from(r: ReportRow) -> Result<Self> {
        let count = |v: i64| u32::try_from(v).map_err(|_| corrupt("report count"));
        Ok(AnnualReport {
            id: r.id,
            organization_id: r.organization_id,
            year: i32::try_from(r.year).map_err(|_| corrupt("report year"))?,
            contents: ReportContents {
                activities: r.activities,
                income: Fen(r.income_fen),
                expenditure: Fen(r.expenditure_fen),
                net_assets: Fen(r.net_assets_fen),
                donations: Fen(r.donations_fen),
                government_funding: Fen(r.government_funding_fen),
                staff_full_time: count(r.staff_full_time)?,
                staff_part_time: count(r.staff_part_time)?,
                volunteers: count(r.volunteers)?,
                party_building: r.party_building,
                major_events: r.major_events,
            },
            submitted_on: r.submitted_on,
            due_on: r.due_on,
            late: r.late,
            review_kind: ReviewKind::parse(&r.review_kind).ok_or_else(|| corrupt("review kind"))?,
            outcome: r
                .outcome
                .map(|o| ReviewOutcome::parse(&o).ok_or_else(|| corrupt("outcome")))
                .transpose()?,
            review_reasons: r.review_reasons,
            reviewed_by: r.reviewed_by,
            reviewed_on: r.reviewed_on,
        })
    }
}

impl Store {
    /// Files the report on `year` (validated by `ReportDraft::validate`), on
    /// `submitted_on`; then applies the credit rules for the organization (a late report
    /// that was listed can now be removed after six months).
    pub async fn file_annual_report(
        &self,
        organization_id: Uuid,
        year: i32,
        contents: &ReportContents,
        submitted_on: NaiveDate,
        settings: &CreditSettings,
        ctx: impl Into<WriteCtx>,
    ) -> Result<AnnualReport> {
        let ctx = ctx.into();
        let due_on = settings.annual.due_on(year);
        let late = settings.annual.is_late(year, submitted_on);
        let awards: Vec<GradeAward> = self
            .grade_awards(organization_id)
            .await?
            .into_iter()
            .map(|a| a.award)
            .collect();
        let id = Uuid::now_v7();
        let kind = on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let org = org_from(
                sqlx::query_as::<_, OrgRow>(&org_select(self))
                    .bind(organization_id)
                    .fetch_optional(&mut *tx)
                    .await?,
            )?;
            if org.status == OrgStatus::Deregistered {
                return Err(invalid(
                    "year",
                    "已注销的组织不再报送年度报告",
                    "a deregistered organization files no reports",
                ));
            }
            // The grade in force when filed decides the review; a grade from before
            // award rows existed counts by its registry columns.
            let grade = effective_grade(&awards, submitted_on)
                .map(|a| a.grade)
                .or_else(|| {
                    let a = GradeAward::new(
                        org.data.grade?,
                        org.data.grade_awarded_on?,
                        GradeSource::Import,
                    );
                    a.in_force_on(submitted_on).then_some(a.grade)
                });
            let kind = review_kind(grade);
            let c = contents;
            sqlx::query(&format!(
                "INSERT INTO annual_reports ({REPORT_COLUMNS}, shard_key, created_at) VALUES \
                 ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, NULL, NULL, NULL, NULL, \
                 (SELECT shard_key FROM organizations WHERE id = $2), $19)"
            ))
            .bind(id)
            .bind(organization_id)
            .bind(i64::from(year))
            .bind(&c.activities)
            .bind(c.income.0)
            .bind(c.expenditure.0)
            .bind(c.net_assets.0)
            .bind(c.donations.0)
            .bind(c.government_funding.0)
            .bind(i64::from(c.staff_full_time))
            .bind(i64::from(c.staff_part_time))
            .bind(i64::from(c.volunteers))
            .bind(&c.party_building)
            .bind(&c.major_events)
            .bind(submitted_on)
            .bind(due_on)
            .bind(late)
            .bind(kind.as_str())
            .bind(crate::now())
            .execute(&mut *tx)
            .await
            .map_err(|e| match e.as_database_error() {
                Some(db) if db.is_unique_violation() => invalid("year", "该年度的报告已报送", "the report on this year is already filed"),
                _ => e.into(),
            })?;
            let path: String =
                sqlx::query_scalar("SELECT jurisdiction_path FROM organizations WHERE id = $1")
                    .bind(organization_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let details = json!({"report": id, "year": year, "submitted_on": submitted_on, "due_on": due_on, "late": late, "review": kind}).to_string();
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "annual_report.file",
                    format!("organization:{organization_id}"),
                    Outcome::Success,
                    details,
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(kind)
        })?;
        self.supervise_organization(organization_id, submitted_on, settings, &ctx)
            .await?;
        Ok(AnnualReport {
            id,
            organization_id,
            year,
            contents: contents.clone(),
            submitted_on,
            due_on,
            late,
            review_kind: kind,
            outcome: None,
            review_reasons: None,
            reviewed_by: None,
            reviewed_on: None,
        })
    }

    /// The authority's review of a filed report, once. Results are public.
    pub async fn review_annual_report(
        &self,
        report_id: Uuid,
        review: &Review,
        reviewed_on: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<AnnualReport> {
        let ctx = ctx.into();
        let details = json!({"report": report_id, "outcome": review.outcome, "reasons": review.reasons, "on": reviewed_on}).to_string();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let res = sqlx::query(
                "UPDATE annual_reports SET outcome = $2, review_reasons = $3, reviewed_by = $4, reviewed_on = $5 \
                 WHERE id = $1 AND outcome IS NULL AND submitted_on <= $5",
            )
            .bind(report_id)
            .bind(review.outcome.as_str())
            .bind(&review.reasons)
            .bind(&ctx.actor)
            .bind(reviewed_on)
            .execute(&mut *tx)
            .await?;
            if res.rows_affected() != 1 {
                return Err(StoreError::State(
                    "the report is unknown, already reviewed, or filed after that date".into(),
                ));
            }
            let (org_id, path): (Uuid, String) = sqlx::query_as(
                "SELECT r.organization_id, o.jurisdiction_path FROM annual_reports r JOIN organizations o ON o.id = r.organization_id WHERE r.id = $1",
            )
            .bind(report_id)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO organization_changes (id, organization_id, changed_at, actor, action, changes) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(Uuid::now_v7())
                .bind(org_id)
                .bind(crate::now())
                .bind(&ctx.actor)
                .bind(format!("annual_report.{}", review.outcome))
                .bind(&details)
                .execute(&mut *tx)
                .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "annual_report.review",
                    format!("annual_report:{report_id}"),
                    Outcome::Success,
                    details,
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.annual_report(report_id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Whether any annual report is recorded (the daily job runs at start only then).
    pub async fn has_annual_reports(&self) -> Result<bool> {
        let n: i64 = on_pool!(self, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM annual_reports LIMIT 1) AS t"
        )
        .fetch_one(p)
        .await)?;
        Ok(n > 0)
    }

    pub async fn annual_report(&self, id: Uuid) -> Result<Option<AnnualReport>> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM annual_reports WHERE id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, ReportRow>(&sql)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        row.map(AnnualReport::try_from).transpose()
    }

    /// An organization's reports, newest year first (public, with their results).
    pub async fn annual_reports_of(&self, organization_id: Uuid) -> Result<Vec<AnnualReport>> {
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM annual_reports WHERE organization_id = $1 ORDER BY year DESC"
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, ReportRow>(&sql)
            .bind(organization_id)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(AnnualReport::try_from).collect()
    }

    /// The reports the registration authority at `authority_path` reviews
    /// (`annual::authority_scope`: its forms in its subtree, every form placed on the
    /// node itself), unreviewed first, then newest year; each with its organization's
    /// name (one join), paged in the database. The organizations are found by the
    /// `(legal_form, jurisdiction_path)` index and their reports by the
    /// `(organization_id, year)` key.
    pub async fn annual_report_queue(
        &self,
        authority_path: &str,
        year: Option<i32>,
        outcome: Option<QueueOutcome>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<QueuedReport>> {
        let paging = Paging::new(page, per_page, 200);
        let Some((where_sql, args)) = queue_where(authority_path, year, outcome) else {
            return Ok(paging.empty());
        };
        let count_sql = format!("SELECT COUNT(*) {QUEUE_FROM} WHERE {where_sql}");
        let list_sql = format!(
            "{} WHERE {where_sql} \
             ORDER BY CASE WHEN r.outcome IS NULL THEN 0 ELSE 1 END, r.year DESC, r.submitted_on ASC, r.id ASC",
            queue_select()
        );
        self.paged::<QueuedRow, _>(paging, (&count_sql, &args), (&list_sql, &args), queued)
            .await
    }

    /// One keyset page of the same queue in the same order (walking
    /// `annual_reports_queue_order`, each report's organization read by its key to
    /// filter the authority's scope), from a cursor or an offset, with a bounded total.
    pub async fn annual_report_queue_keyset(
        &self,
        authority_path: &str,
        year: Option<i32>,
        outcome: Option<QueueOutcome>,
        at: At<'_>,
        per_page: u32,
    ) -> Result<KeyPage<QueuedReport>> {
        let per_page = per_page.clamp(1, 200);
        let Some(list) = annual_queue_list(authority_path, year, outcome) else {
            return Ok(KeyPage {
                items: vec![],
                next: None,
                prev: None,
                total: Total::Exact(0),
                per_page,
            });
        };
        self.list_page::<QueuedRow, _>(list, at, per_page, queued)
            .await
    }

    /// The same queue in the same order, `limit` after `after` (a download's keyset
    /// walk: no count, no skipped rows).
    pub async fn annual_report_queue_chunk(
        &self,
        authority_path: &str,
        year: Option<i32>,
        outcome: Option<QueueOutcome>,
        after: Option<&After>,
        limit: u32,
    ) -> Result<KeyChunk<QueuedReport>> {
        let Some(list) = annual_queue_list(authority_path, year, outcome) else {
            return Ok(KeyChunk {
                items: vec![],
                next: None,
            });
        };
        self.list_chunk::<QueuedRow, _>(list, after, limit, queued)
            .await
    }
}

/// Unreviewed first, then the newest year (negated to run one way), then the order they
/// came in: the columns of `annual_reports_queue_order`.
const QUEUE_KEYS: &[(&str, Key)] = &[
    ("(CASE WHEN r.outcome IS NULL THEN 0 ELSE 1 END)", Key::Int),
    ("(-r.year)", Key::Int),
    ("r.submitted_on", Key::Date),
    ("r.id", Key::Uuid),
];

/// The review queue as its keyset page and its download read it, counted over the
/// reports alone (`None`: the authority reviews no form).
pub(crate) fn annual_queue_list(
    authority_path: &str,
    year: Option<i32>,
    outcome: Option<QueueOutcome>,
) -> Option<ListQuery> {
    let (where_sql, args) = queue_where(authority_path, year, outcome)?;
    let select = queue_select();
    let tables = (select.as_str(), QUEUE_FROM);
    Some(ListQuery::filtered(
        "annual-queue",
        tables,
        &where_sql,
        args,
        QUEUE_KEYS,
    ))
}

const QUEUE_FROM: &str = "FROM annual_reports r";

fn queue_select() -> String {
    let columns = REPORT_COLUMNS
        .split(", ")
        .map(|c| format!("r.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT {columns}, (SELECT o.name FROM organizations o WHERE o.id = r.organization_id) \
         AS organization_name {QUEUE_FROM}"
    )
}

fn queued(r: QueuedRow) -> Result<QueuedReport> {
    Ok(QueuedReport {
        report: AnnualReport::try_from(r.report)?,
        organization_name: r.organization_name,
    })
}

/// The `WHERE` of the queue of the authority at `authority_path`, with its values;
/// `None` when the node reviews nothing. A page walks `annual_reports_queue_order`
/// and reads each report's organization by its key: the scope is a correlated subquery
/// (it cannot drive the join) and the year and outcome are written so that no other
/// index can serve them (`+ 0`, [`unindexed`]), else the planner would read the authority's whole range of organizations
/// (or a year's reports) and sort them.
fn queue_where(
    authority_path: &str,
    year: Option<i32>,
    outcome: Option<QueueOutcome>,
) -> Option<(String, Vec<Arg>)> {
    let scope = authority_scope(authority_path);
    if scope.below.is_empty() && scope.here.is_empty() {
        return None;
    }
    let mut args: Vec<Arg> = Vec::new();
    let forms = |args: &mut Vec<Arg>, list: &[shuniu_domain::registry::LegalForm]| {
        // A fixed number of places; a legal form is never ''.
        let mut marks = Vec::new();
        for i in 0..shuniu_domain::registry::LegalForm::ALL.len() {
            args.push(Arg::Text(
                list.get(i)
                    .map(|f| f.as_str().to_string())
                    .unwrap_or_default(),
            ));
            marks.push(format!("${}", args.len()));
        }
        marks.join(", ")
    };
    let below = forms(&mut args, &scope.below);
    let (lo, hi) = subtree_range(authority_path);
    args.push(Arg::Text(lo));
    args.push(Arg::Text(hi));
    let range = format!(
        "o.jurisdiction_path >= ${} AND o.jurisdiction_path < ${}",
        args.len() - 1,
        args.len()
    );
    let here = forms(&mut args, &scope.here);
    args.push(Arg::Text(authority_path.to_string()));
    let mut clauses = vec![format!(
        "(SELECT COUNT(*) FROM organizations o WHERE o.id = r.organization_id AND \
         ((o.legal_form IN ({below}) AND {range}) OR (o.legal_form IN ({here}) AND o.jurisdiction_path = ${}))) = 1",
        args.len()
    )];
    if let Some(y) = year {
        args.push(Arg::Int(i64::from(y)));
        clauses.push(format!("r.year + 0 = ${}", args.len()));
    }
    match outcome {
        None => {}
        Some(QueueOutcome::Pending) => clauses.push(format!("{} IS NULL", unindexed("r.outcome"))),
        Some(QueueOutcome::Is(o)) => {
            args.push(Arg::Text(o.as_str().to_string()));
            clauses.push(format!("{} = ${}", unindexed("r.outcome"), args.len()));
        }
    }
    Some((clauses.join(" AND "), args))
}
