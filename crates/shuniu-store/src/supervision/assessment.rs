//! Assessment rounds and applications: open a round, apply (eligibility asked with the
//! facts read in the writing transaction), refuse, score by the indicator table, give
//! public notice, award — the award itself is written by `grades`.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::jurisdiction::Jurisdiction;
use shuniu_domain::registry::Grade;
use shuniu_domain::supervision::annual::ReviewOutcome;
use shuniu_domain::supervision::assessment::{
    ApplicationStage, EligibilityFacts, GradeAward, GradeSource, IndicatorTable, TableKind,
    check_award_date, check_eligibility, effective_grade,
};
use shuniu_domain::supervision::registration::authority_path;
use uuid::Uuid;

use super::grades::{AWARD_COLUMNS, AwardRow, StoredAward, write_award};
use super::{corrupt, invalid, org_from, org_select};
use crate::audit::append_in_tx;
use crate::paging::Key;
use crate::paging::keyset::ListQuery;
use crate::registry::OrgRow;
use crate::{At, KeyPage, Page, Paging};
use crate::{Result, Store, StoreError, WriteCtx, on_pool};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AssessmentRound {
    pub id: Uuid,
    pub authority_code: String,
    pub authority_path: String,
    pub year: i64,
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub notice_days: i64,
    pub created_at: DateTime<Utc>,
}

const ROUND_COLUMNS: &str =
    "id, authority_code, authority_path, year, title, opens_on, closes_on, notice_days, created_at";

/// A round as the authority opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewRound {
    pub year: i32,
    pub title: String,
    pub opens_on: NaiveDate,
    /// Last day of applications.
    pub closes_on: NaiveDate,
    /// Length of the public notice 公示, in days.
    pub notice_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentApplication {
    pub id: Uuid,
    pub round_id: Uuid,
    pub organization_id: Uuid,
    pub table_kind: TableKind,
    pub stage: ApplicationStage,
    pub applied_on: NaiveDate,
    pub scores: Option<BTreeMap<String, u32>>,
    pub total: Option<u32>,
    pub grade: Option<Grade>,
    pub notice_starts_on: Option<NaiveDate>,
    pub reason: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AppRow {
    id: Uuid,
    round_id: Uuid,
    organization_id: Uuid,
    table_kind: String,
    stage: String,
    applied_on: NaiveDate,
    scores: Option<String>,
    total: Option<i64>,
    grade: Option<String>,
    notice_starts_on: Option<NaiveDate>,
    reason: Option<String>,
}

const APP_COLUMNS: &str = "id, round_id, organization_id, table_kind, stage, applied_on, scores, total, grade, notice_starts_on, reason";

/// [`APP_COLUMNS`] qualified by a table alias, for joins.
fn app_columns_of(alias: &str) -> String {
    APP_COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl TryFrom<AppRow> for AssessmentApplication {
    type Error = StoreError;
    fn try_from(r: AppRow) -> Result<Self> {
        Ok(AssessmentApplication {
            id: r.id,
            round_id: r.round_id,
            organization_id: r.organization_id,
            table_kind: TableKind::parse(&r.table_kind).ok_or_else(|| corrupt("table_kind"))?,
            stage: ApplicationStage::parse(&r.stage).ok_or_else(|| corrupt("stage"))?,
            applied_on: r.applied_on,
            scores: r
                .scores
                .map(|s| serde_json::from_str(&s).map_err(|_| corrupt("scores")))
                .transpose()?,
            total: r.total.map(|t| t as u32),
            grade: r
                .grade
                .map(|g| Grade::parse(&g).ok_or_else(|| corrupt("grade")))
                .transpose()?,
            notice_starts_on: r.notice_starts_on,
            reason: r.reason,
        })
    }
}

impl Store {
    /// Opens an assessment round of the authority at `authority` (its officials decide).
    pub async fn open_assessment_round(
        &self,
        authority: &Jurisdiction,
        new: &NewRound,
        ctx: impl Into<WriteCtx>,
    ) -> Result<AssessmentRound> {
        let ctx = ctx.into();
        let NewRound {
            year,
            ref title,
            opens_on,
            closes_on,
            notice_days,
        } = *new;
        if closes_on < opens_on {
            return Err(invalid(
                "closes_on",
                "截止日期早于开始日期",
                "is before the opening date",
            ));
        }
        if title.trim().is_empty() {
            return Err(invalid("title", "必填", "is required"));
        }
        let round = AssessmentRound {
            id: Uuid::now_v7(),
            authority_code: authority.code.to_string(),
            authority_path: authority.path.clone(),
            year: i64::from(year),
            title: title.trim().to_string(),
            opens_on,
            closes_on,
            notice_days: i64::from(notice_days.max(1)),
            created_at: crate::now(),
        };
        let details = serde_json::to_string(&round).expect("serializable");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            sqlx::query(&format!("INSERT INTO assessment_rounds ({ROUND_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
                .bind(round.id)
                .bind(&round.authority_code)
                .bind(&round.authority_path)
                .bind(round.year)
                .bind(&round.title)
                .bind(round.opens_on)
                .bind(round.closes_on)
                .bind(round.notice_days)
                .bind(round.created_at)
                .execute(&mut *tx)
                .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "assessment.round.open",
                    format!("assessment_round:{}", round.id),
                    Outcome::Success,
                    details,
                    Some(round.authority_path.clone())
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(round)
    }

    pub async fn assessment_round(&self, id: Uuid) -> Result<Option<AssessmentRound>> {
        let sql = format!("SELECT {ROUND_COLUMNS} FROM assessment_rounds WHERE id = $1");
        Ok(on_pool!(self, |p| sqlx::query_as::<_, AssessmentRound>(
            &sql
        )
        .bind(id)
        .fetch_optional(p)
        .await)?)
    }

    /// An organization applies to a round of its own registration authority; the
    /// eligibility rules are asked with the facts read in the same transaction.
    pub async fn apply_for_assessment(
        &self,
        round_id: Uuid,
        organization_id: Uuid,
        table_kind: TableKind,
        applied_on: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<AssessmentApplication> {
        let ctx = ctx.into();
        let round = self
            .assessment_round(round_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if applied_on < round.opens_on || applied_on > round.closes_on {
            return Err(invalid(
                "applied_on",
                "不在本轮评估的申报期内",
                "is outside the round's application period",
            ));
        }
        let app = AssessmentApplication {
            id: Uuid::now_v7(),
            round_id,
            organization_id,
            table_kind,
            stage: ApplicationStage::Applied,
            applied_on,
            scores: None,
            total: None,
            grade: None,
            notice_starts_on: None,
            reason: None,
        };
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let org = org_from(
                sqlx::query_as::<_, OrgRow>(&org_select(self))
                    .bind(organization_id)
                    .fetch_optional(&mut *tx)
                    .await?,
            )?;
            let path: String =
                sqlx::query_scalar("SELECT jurisdiction_path FROM organizations WHERE id = $1")
                    .bind(organization_id)
                    .fetch_one(&mut *tx)
                    .await?;
            if authority_path(org.data.legal_form, &path) != round.authority_path {
                return Err(invalid(
                    "round",
                    "该组织不由本轮评估的登记管理机关登记",
                    "the organization is not registered by this round's authority",
                ));
            }
            let awards = sqlx::query_as::<_, AwardRow>(&format!(
                "SELECT {AWARD_COLUMNS} FROM grade_awards WHERE organization_id = $1"
            ))
            .bind(organization_id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(StoredAward::try_from)
            .collect::<Result<Vec<_>>>()?;
            let awards: Vec<GradeAward> = awards.into_iter().map(|a| a.award).collect();
            let year = i64::from(chrono::Datelike::year(&applied_on));
            let reviews: Vec<(i64, Option<String>)> = sqlx::query_as("SELECT year, outcome FROM annual_reports WHERE organization_id = $1 AND year >= $2")
                .bind(organization_id)
                .bind(year - 2)
                .fetch_all(&mut *tx)
                .await?;
            let review = |y: i64| {
                reviews
                    .iter()
                    .find(|(ry, _)| *ry == y)
                    .and_then(|(_, o)| o.as_deref().and_then(ReviewOutcome::parse))
            };
            let penalties: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM credit_events WHERE organization_id = $1 AND kind IN ('warning','fine','suspend_order','revocation') AND occurred_on >= $2 AND occurred_on <= $3",
            )
            .bind(organization_id)
            .bind(NaiveDate::from_ymd_opt(year as i32 - 1, 1, 1).expect("valid"))
            .bind(NaiveDate::from_ymd_opt(year as i32 - 1, 12, 31).expect("valid"))
            .fetch_one(&mut *tx)
            .await?;
            let listed: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM credit_listings WHERE organization_id = $1 AND listed_on <= $2 AND (removed_on IS NULL OR removed_on > $2)",
            )
            .bind(organization_id)
            .bind(applied_on)
            .fetch_one(&mut *tx)
            .await?;
            let facts = EligibilityFacts {
                legal_form: org.data.legal_form,
                status: org.status,
                registered_on: org.data.founded_on,
                grade: effective_grade(&awards, applied_on)
                    .map(|a| (a.grade, a.expires_on))
                    .or_else(|| {
                        // A grade from before award rows existed: its registry columns.
                        let (g, on) = (org.data.grade?, org.data.grade_awarded_on?);
                        let a = GradeAward::new(g, on, GradeSource::Import);
                        a.in_force_on(applied_on).then_some((g, a.expires_on))
                    }),
                last_reviews: [review(year - 1), review(year - 2)],
                penalized_last_year: penalties > 0,
                // Investigations are not recorded in this system yet.
                under_investigation: false,
                on_credit_list: listed > 0,
            };
            if let Err(r) = check_eligibility(&facts, applied_on) {
                return Err(StoreError::Invalid(r.on_field("organization")));
            }
            sqlx::query(&format!("INSERT INTO assessment_applications ({APP_COLUMNS}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, NULL, NULL, NULL, $7)"))
                .bind(app.id)
                .bind(round_id)
                .bind(organization_id)
                .bind(table_kind.as_str())
                .bind(app.stage.as_str())
                .bind(applied_on)
                .bind(crate::now())
                .execute(&mut *tx)
                .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event("assessment.apply", format!("assessment_application:{}", app.id), Outcome::Success, json!({"round": round_id, "organization": organization_id, "table": table_kind}).to_string(), Some(path))
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(app)
    }

    pub async fn assessment_application(&self, id: Uuid) -> Result<Option<AssessmentApplication>> {
        let sql = format!("SELECT {APP_COLUMNS} FROM assessment_applications WHERE id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, AppRow>(&sql)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        row.map(AssessmentApplication::try_from).transpose()
    }

    /// Moves an application one step (guarded by its current stage), writing `set`.
    async fn advance_application(
        &self,
        id: Uuid,
        to: ApplicationStage,
        scores: Option<(&BTreeMap<String, u32>, u32, Option<Grade>)>,
        notice_starts_on: Option<NaiveDate>,
        reason: Option<&str>,
        ctx: WriteCtx,
    ) -> Result<AssessmentApplication> {
        let app = self
            .assessment_application(id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !app.stage.can_become(to) {
            return Err(StoreError::State(format!(
                "an application at {} cannot become {to}",
                app.stage
            )));
        }
        let scores_json = scores.map(|(s, _, _)| serde_json::to_string(s).expect("serializable"));
        let total = scores.map(|(_, t, _)| i64::from(t));
        let grade = scores.and_then(|(_, _, g)| g);
        let details = json!({"application": id, "from": app.stage, "to": to, "total": total, "grade": grade, "reason": reason}).to_string();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let res = sqlx::query(
                "UPDATE assessment_applications SET stage = $3, scores = COALESCE($4, scores), total = COALESCE($5, total), \
                 grade = CASE WHEN $5 IS NULL THEN grade ELSE $6 END, notice_starts_on = COALESCE($7, notice_starts_on), \
                 reason = COALESCE($8, reason), updated_at = $9 WHERE id = $1 AND stage = $2",
            )
            .bind(id)
            .bind(app.stage.as_str())
            .bind(to.as_str())
            .bind(&scores_json)
            .bind(total)
            .bind(grade.map(|g| g.as_str()))
            .bind(notice_starts_on)
            .bind(reason)
            .bind(crate::now())
            .execute(&mut *tx)
            .await?;
            if res.rows_affected() != 1 {
                return Err(StoreError::State("the application moved meanwhile".into()));
            }
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    &format!("assessment.{to}"),
                    format!("assessment_application:{id}"),
                    Outcome::Success,
                    details,
                    None
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.assessment_application(id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Preliminary review refused the application (the rule or reason is recorded).
    pub async fn refuse_assessment(
        &self,
        id: Uuid,
        reason: &str,
        ctx: impl Into<WriteCtx>,
    ) -> Result<AssessmentApplication> {
        self.advance_application(
            id,
            ApplicationStage::Refused,
            None,
            None,
            Some(reason),
            ctx.into(),
        )
        .await
    }

    /// The experts' scores: totalled and graded by the table (a setting per locality);
    /// a total below every cut-off ends the application without a grade.
    pub async fn score_assessment(
        &self,
        id: Uuid,
        table: &IndicatorTable,
        scores: &BTreeMap<String, u32>,
        bonus: u32,
        ctx: impl Into<WriteCtx>,
    ) -> Result<AssessmentApplication> {
        let total = table.total(scores, bonus).map_err(StoreError::Invalid)?;
        let grade = table.grade_for(total);
        let app = self
            .advance_application(
                id,
                ApplicationStage::Scored,
                Some((scores, total, grade)),
                None,
                None,
                ctx.into(),
            )
            .await?;
        Ok(app)
    }

    /// Closes a scored application that earned no grade.
    pub async fn close_ungraded(
        &self,
        id: Uuid,
        ctx: impl Into<WriteCtx>,
    ) -> Result<AssessmentApplication> {
        let app = self
            .assessment_application(id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if app.grade.is_some() {
            return Err(StoreError::State("the application earned a grade".into()));
        }
        self.advance_application(
            id,
            ApplicationStage::NotGraded,
            None,
            None,
            Some("below the lowest cut-off"),
            ctx.into(),
        )
        .await
    }

    /// Starts the public notice 公示 of a scored application's grade.
    pub async fn start_assessment_notice(
        &self,
        id: Uuid,
        starts_on: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<AssessmentApplication> {
        let app = self
            .assessment_application(id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if app.grade.is_none() {
            return Err(invalid(
                "grade",
                "未达到任何等级，不能公示",
                "earned no grade: nothing to give notice of",
            ));
        }
        self.advance_application(
            id,
            ApplicationStage::Notice,
            None,
            Some(starts_on),
            None,
            ctx.into(),
        )
        .await
    }

    /// Awards the grade after the notice period: the only way an assessment writes a grade.
    pub async fn award_assessment_grade(
        &self,
        id: Uuid,
        award_on: NaiveDate,
        document: &str,
        ctx: impl Into<WriteCtx>,
    ) -> Result<StoredAward> {
        let ctx = ctx.into();
        let app = self
            .assessment_application(id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let round = self
            .assessment_round(app.round_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (Some(grade), Some(notice)) = (app.grade, app.notice_starts_on) else {
            return Err(StoreError::State(
                "the application is not under public notice".into(),
            ));
        };
        if app.stage != ApplicationStage::Notice {
            return Err(StoreError::State(format!(
                "the application is {}",
                app.stage
            )));
        }
        check_award_date(notice, round.notice_days as u32, award_on)
            .map_err(|r| StoreError::Invalid(r.on_field("award_on")))?;
        let award = GradeAward::new(grade, award_on, GradeSource::Assessment);
        let award_id = on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let res = sqlx::query("UPDATE assessment_applications SET stage = 'awarded', updated_at = $2 WHERE id = $1 AND stage = 'notice'")
                .bind(id)
                .bind(crate::now())
                .execute(&mut *tx)
                .await?;
            if res.rows_affected() != 1 {
                return Err(StoreError::State(
                    "the application was decided meanwhile".into(),
                ));
            }
            let award_id = write_award!(
                self,
                tx,
                ctx,
                app.organization_id,
                &award,
                Some(id),
                document,
                "grade.award"
            );
            tx.commit().await?;
            Ok::<_, StoreError>(award_id)
        })?;
        Ok(StoredAward {
            id: award_id,
            organization_id: app.organization_id,
            award,
            application_id: Some(id),
            document: document.to_string(),
            end_reason: None,
        })
    }
}

/// An application of a round with its organization's name (one join, no N+1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundApplication {
    pub application: AssessmentApplication,
    pub organization_name: String,
}

#[derive(sqlx::FromRow)]
struct RoundAppRow {
    #[sqlx(flatten)]
    app: AppRow,
    organization_name: String,
}

impl Store {
    /// Assessment rounds, newest year first, one page of them (read by everyone).
    pub async fn assessment_rounds_page(
        &self,
        page: u32,
        per_page: u32,
    ) -> Result<Page<AssessmentRound>> {
        let paging = Paging::new(page, per_page, 200);
        let count_sql = "SELECT COUNT(*) FROM assessment_rounds";
        let list_sql = format!(
            "SELECT {ROUND_COLUMNS} FROM assessment_rounds ORDER BY year DESC, opens_on DESC, id DESC"
        );
        self.paged::<AssessmentRound, _>(paging, (count_sql, &[]), (&list_sql, &[]), Ok)
            .await
    }

    /// One keyset page of the assessment rounds, newest year first (walking
    /// `assessment_rounds_order`), with a bounded total.
    pub async fn assessment_rounds_keyset(
        &self,
        at: At<'_>,
        per_page: u32,
    ) -> Result<KeyPage<AssessmentRound>> {
        self.list_page::<AssessmentRound, _>(rounds_list(), at, per_page, Ok)
            .await
    }

    /// The applications of a round, each with its organization's name, in the order
    /// they came in.
    pub async fn round_applications(&self, round_id: Uuid) -> Result<Vec<RoundApplication>> {
        let columns = app_columns_of("a");
        let sql = format!(
            "SELECT {columns}, o.name AS organization_name FROM assessment_applications a \
             JOIN organizations o ON o.id = a.organization_id WHERE a.round_id = $1 \
             ORDER BY a.applied_on, a.id"
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, RoundAppRow>(&sql)
            .bind(round_id)
            .fetch_all(p)
            .await)?;
        rows.into_iter()
            .map(|r| {
                Ok(RoundApplication {
                    application: AssessmentApplication::try_from(r.app)?,
                    organization_name: r.organization_name,
                })
            })
            .collect()
    }
}

/// One of an organization's applications with its round's year and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgApplication {
    pub application: AssessmentApplication,
    pub round_year: i64,
    pub round_title: String,
    pub round_notice_days: i64,
}

#[derive(sqlx::FromRow)]
struct OrgAppRow {
    #[sqlx(flatten)]
    app: AppRow,
    round_year: i64,
    round_title: String,
    round_notice_days: i64,
}

impl Store {
    /// The rounds of the authority at `authority_path` that take applications on `on`
    /// (an authority opens a handful a year: the index on the path bounds the read).
    pub async fn open_rounds_of(
        &self,
        authority_path: &str,
        on: NaiveDate,
    ) -> Result<Vec<AssessmentRound>> {
        let sql = format!(
            "SELECT {ROUND_COLUMNS} FROM assessment_rounds WHERE authority_path = $1 \
             AND opens_on <= $2 AND closes_on >= $2 ORDER BY closes_on, id"
        );
        Ok(on_pool!(self, |p| sqlx::query_as::<_, AssessmentRound>(
            &sql
        )
        .bind(authority_path)
        .bind(on)
        .fetch_all(p)
        .await)?)
    }

    /// An organization's applications, newest round first, each with its round's year
    /// and title (one join).
    pub async fn applications_of(&self, organization_id: Uuid) -> Result<Vec<OrgApplication>> {
        let columns = app_columns_of("a");
        let sql = format!(
            "SELECT {columns}, r.year AS round_year, r.title AS round_title, \
             r.notice_days AS round_notice_days \
             FROM assessment_applications a JOIN assessment_rounds r ON r.id = a.round_id \
             WHERE a.organization_id = $1 ORDER BY r.year DESC, a.applied_on DESC, a.id"
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, OrgAppRow>(&sql)
            .bind(organization_id)
            .fetch_all(p)
            .await)?;
        rows.into_iter()
            .map(|r| {
                Ok(OrgApplication {
                    application: AssessmentApplication::try_from(r.app)?,
                    round_year: r.round_year,
                    round_title: r.round_title,
                    round_notice_days: r.round_notice_days,
                })
            })
            .collect()
    }
}

/// The rounds as their keyset page reads them: newest year, then latest opening.
pub(crate) fn rounds_list() -> ListQuery {
    const KEYS: &[(&str, Key)] = &[
        ("year", Key::Int),
        ("opens_on", Key::Date),
        ("id", Key::Uuid),
    ];
    let from = "FROM assessment_rounds WHERE 1 = 1".to_string();
    ListQuery::new("assessment-rounds", ROUND_COLUMNS, from, vec![], KEYS).desc()
}
