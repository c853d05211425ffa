//! Grade awards: an award never changes but for its end; the registry's grade columns
//! are written only here (award, import, lowering, withdrawal) and cleared by the daily
//! job when a grade's five years are over, so lists and figures stop counting it.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::registry::{Grade, OrgStatus};
use shuniu_domain::supervision::assessment::{GradeAward, GradeChange, GradeSource};
use uuid::Uuid;

use super::{corrupt, invalid, org_from, org_select};
use crate::audit::append_in_tx;
use crate::registry::OrgRow;
use crate::registry::tallies::{TallyDeltas, TallyKey, apply_tallies, tally_key, tally_moved};
use crate::{Result, Store, StoreError, WriteCtx, on_pool};

/// A stored grade award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAward {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub award: GradeAward,
    pub application_id: Option<Uuid>,
    pub document: String,
    pub end_reason: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct AwardRow {
    id: Uuid,
    organization_id: Uuid,
    grade: String,
    awarded_on: NaiveDate,
    expires_on: NaiveDate,
    source: String,
    application_id: Option<Uuid>,
    document: String,
    ended_on: Option<NaiveDate>,
    end_reason: Option<String>,
}

pub(crate) const AWARD_COLUMNS: &str = "id, organization_id, grade, awarded_on, expires_on, source, application_id, document, ended_on, end_reason";

impl TryFrom<AwardRow> for StoredAward {
    type Error = StoreError;
    fn try_from(r: AwardRow) -> Result<Self> {
        Ok(StoredAward {
            id: r.id,
            organization_id: r.organization_id,
            award: GradeAward {
                grade: Grade::parse(&r.grade).ok_or_else(|| corrupt("award grade"))?,
                awarded_on: r.awarded_on,
                expires_on: r.expires_on,
                source: GradeSource::parse(&r.source).ok_or_else(|| corrupt("award source"))?,
                ended_on: r.ended_on,
            },
            application_id: r.application_id,
            document: r.document,
            end_reason: r.end_reason,
        })
    }
}

/// Writes a new award inside `$tx`: ends the open one (superseded), inserts the award,
/// sets the registry's grade columns, records history and audit.
macro_rules! write_award {
    ($store:expr, $tx:expr, $ctx:expr, $org_id:expr, $award:expr, $app:expr, $doc:expr, $action:expr) => {{
        let store: &$crate::Store = $store;
        let award: &shuniu_domain::supervision::assessment::GradeAward = $award;
        let org_id: uuid::Uuid = $org_id;
        let now = $crate::now();
        sqlx::query("UPDATE grade_awards SET ended_on = $2, end_reason = COALESCE(end_reason, $3) WHERE organization_id = $1 AND ended_on IS NULL")
            .bind(org_id)
            .bind(award.awarded_on)
            .bind("superseded")
            .execute(&mut *$tx)
            .await?;
        let id = uuid::Uuid::now_v7();
        sqlx::query(&format!("INSERT INTO grade_awards ({}, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", $crate::supervision::grades::AWARD_COLUMNS))
            .bind(id)
            .bind(org_id)
            .bind(award.grade.as_str())
            .bind(award.awarded_on)
            .bind(award.expires_on)
            .bind(award.source.as_str())
            .bind($app)
            .bind($doc)
            .bind(None::<chrono::NaiveDate>)
            .bind(None::<String>)
            .bind(now)
            .execute(&mut *$tx)
            .await?;
        let (old_grade, old_on, path): (Option<String>, Option<chrono::NaiveDate>, String) =
            sqlx::query_as("SELECT grade, grade_awarded_on, jurisdiction_path FROM organizations WHERE id = $1")
                .bind(org_id)
                .fetch_one(&mut *$tx)
                .await?;
        let tally_before = $crate::registry::tallies::tally_key!(store, $tx, org_id);
        $crate::registry::creation::keep_creation!($tx, org_id);
        sqlx::query("UPDATE organizations SET grade = $2, grade_awarded_on = $3, updated_at = $4 WHERE id = $1")
            .bind(org_id)
            .bind(award.grade.as_str())
            .bind(award.awarded_on)
            .bind(now)
            .execute(&mut *$tx)
            .await?;
        let details = serde_json::json!({
            "grade": {"from": old_grade, "to": award.grade.as_str()},
            "grade_awarded_on": {"from": old_on, "to": award.awarded_on},
            "expires_on": award.expires_on,
            "source": award.source,
            "document": $doc,
        })
        .to_string();
        sqlx::query("INSERT INTO organization_changes (id, organization_id, changed_at, actor, action, changes) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(uuid::Uuid::now_v7())
            .bind(org_id)
            .bind(now)
            .bind(&$ctx.actor)
            .bind($action)
            .bind(&details)
            .execute(&mut *$tx)
            .await?;
        $crate::audit::append_in_tx!(
            store,
            $tx,
            $ctx.event($action, format!("organization:{org_id}"), shuniu_domain::audit::Outcome::Success, details, Some(path))
        );
        $crate::registry::tallies::tally_moved!(store, $tx, org_id, tally_before);
        id
    }};
}
pub(crate) use write_award;

impl Store {
    /// The authority's import of a grade from its existing register, recorded as such.
    pub async fn import_grade(
        &self,
        organization_id: Uuid,
        grade: Grade,
        awarded_on: NaiveDate,
        document: &str,
        ctx: impl Into<WriteCtx>,
    ) -> Result<StoredAward> {
        let ctx = ctx.into();
        let award = GradeAward::new(grade, awarded_on, GradeSource::Import);
        let id = on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let org = org_from(
                sqlx::query_as::<_, OrgRow>(&org_select(self))
                    .bind(organization_id)
                    .fetch_optional(&mut *tx)
                    .await?,
            )?;
            if org.status == OrgStatus::Deregistered {
                return Err(invalid(
                    "grade",
                    "已注销的组织没有等级",
                    "a deregistered organization holds no grade",
                ));
            }
            let id = write_award!(
                self,
                tx,
                ctx,
                organization_id,
                &award,
                None::<Uuid>,
                document,
                "grade.import"
            );
            tx.commit().await?;
            Ok::<_, StoreError>(id)
        })?;
        Ok(StoredAward {
            id,
            organization_id,
            award,
            application_id: None,
            document: document.into(),
            end_reason: None,
        })
    }

    /// Lowers or withdraws the grade in force on `on`, with its reason.
    pub async fn change_grade(
        &self,
        organization_id: Uuid,
        change: &GradeChange,
        on: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Vec<StoredAward>> {
        let ctx = ctx.into();
        let awards = self.grade_awards(organization_id).await?;
        let current = awards
            .iter()
            .find(|a| a.award.ended_on.is_none() && a.award.in_force_on(on))
            .ok_or_else(|| {
                invalid(
                    "grade",
                    "该组织没有有效的评估等级",
                    "the organization holds no grade in force",
                )
            })?
            .clone();
        let (ended, lower) = change.apply(&current.award, on);
        let reason = match change {
            GradeChange::Lower { reason, .. } | GradeChange::Withdraw { reason } => reason.clone(),
        };
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let res = sqlx::query("UPDATE grade_awards SET ended_on = $2, end_reason = $3 WHERE id = $1 AND ended_on IS NULL")
                .bind(current.id)
                .bind(ended.ended_on)
                .bind(&reason)
                .execute(&mut *tx)
                .await?;
            if res.rows_affected() != 1 {
                return Err(StoreError::State("the grade changed meanwhile".into()));
            }
            match &lower {
                Some(l) => {
                    write_award!(
                        self,
                        tx,
                        ctx,
                        organization_id,
                        l,
                        None::<Uuid>,
                        reason.as_str(),
                        "grade.lower"
                    );
                }
                None => {
                    let path: String = sqlx::query_scalar(
                        "SELECT jurisdiction_path FROM organizations WHERE id = $1",
                    )
                    .bind(organization_id)
                    .fetch_one(&mut *tx)
                    .await?;
                    let tally_before = tally_key!(self, tx, organization_id);
                    crate::registry::creation::keep_creation!(tx, organization_id);
                    sqlx::query("UPDATE organizations SET grade = NULL, grade_awarded_on = NULL, updated_at = $2 WHERE id = $1")
                        .bind(organization_id)
                        .bind(crate::now())
                        .execute(&mut *tx)
                        .await?;
                    let details = json!({"grade": {"from": current.award.grade, "to": null}, "reason": reason}).to_string();
                    sqlx::query("INSERT INTO organization_changes (id, organization_id, changed_at, actor, action, changes) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(Uuid::now_v7())
                        .bind(organization_id)
                        .bind(crate::now())
                        .bind(&ctx.actor)
                        .bind("grade.withdraw")
                        .bind(&details)
                        .execute(&mut *tx)
                        .await?;
                    append_in_tx!(
                        self,
                        tx,
                        ctx.event(
                            "grade.withdraw",
                            format!("organization:{organization_id}"),
                            Outcome::Success,
                            details,
                            Some(path)
                        )
                    );
                    tally_moved!(self, tx, organization_id, tally_before);
                }
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.grade_awards(organization_id).await
    }

    /// Every award of an organization, oldest first.
    pub async fn grade_awards(&self, organization_id: Uuid) -> Result<Vec<StoredAward>> {
        let sql = format!(
            "SELECT {AWARD_COLUMNS} FROM grade_awards WHERE organization_id = $1 ORDER BY awarded_on, id"
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, AwardRow>(&sql)
            .bind(organization_id)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(StoredAward::try_from).collect()
    }

    /// Grades whose five years have passed stop counting: the registry's `grade`
    /// columns (which lists, filters and figures read) are cleared, with history and
    /// audit; a grade from before award rows existed is first recorded as imported, so
    /// its award stays in the grade history. Idempotent.
    pub async fn expire_grades(&self, today: NaiveDate, ctx: impl Into<WriteCtx>) -> Result<usize> {
        let ctx = ctx.into();
        let graded: Vec<(Uuid, String, Option<NaiveDate>)> = on_pool!(self, |p| sqlx::query_as(
            "SELECT id, grade, grade_awarded_on FROM organizations WHERE grade IS NOT NULL"
        )
        .fetch_all(p)
        .await)?;
        let mut n = 0;
        for (id, grade, awarded_on) in graded {
            let awards = self.grade_awards(id).await?;
            let open = awards.iter().find(|a| a.award.ended_on.is_none());
            let expires = match (open, awarded_on) {
                (Some(a), _) => a.award.expires_on,
                (None, Some(on)) => Grade::expiry(on),
                (None, None) => today,
            };
            if expires > today {
                continue;
            }
            let legacy = open.is_none();
            let grade = Grade::parse(&grade).ok_or_else(|| corrupt("organization grade"))?;
            let done = on_pool!(self, |p| {
                let mut tx = p.begin_with(self.begin_sql()).await?;
                if legacy && let Some(on) = awarded_on {
                    sqlx::query(&format!("INSERT INTO grade_awards ({AWARD_COLUMNS}, created_at) VALUES ($1, $2, $3, $4, $5, 'import', NULL, $6, NULL, NULL, $7)"))
                        .bind(Uuid::now_v7())
                        .bind(id)
                        .bind(grade.as_str())
                        .bind(on)
                        .bind(Grade::expiry(on))
                        .bind("登记簿既有等级 / grade on the register before award records")
                        .bind(crate::now())
                        .execute(&mut *tx)
                        .await?;
                }
                crate::registry::creation::keep_creation!(tx, id);
                let res = sqlx::query("UPDATE organizations SET grade = NULL, grade_awarded_on = NULL, updated_at = $3 WHERE id = $1 AND grade = $2")
                    .bind(id)
                    .bind(grade.as_str())
                    .bind(crate::now())
                    .execute(&mut *tx)
                    .await?;
                // Guarded by the grade read above: a run racing this one clears it once.
                if res.rows_affected() == 1 {
                    // The guarded UPDATE cleared exactly this grade: before differs from
                    // after in it alone.
                    let tally_after = tally_key!(self, tx, id);
                    let tally_before = TallyKey {
                        grade: grade.as_str().into(),
                        ..tally_after.clone()
                    };
                    let path = tally_after.path.clone();
                    let details = json!({"grade": {"from": grade, "to": null}, "grade_awarded_on": {"from": awarded_on, "to": null}, "expired_on": expires}).to_string();
                    sqlx::query("INSERT INTO organization_changes (id, organization_id, changed_at, actor, action, changes) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(Uuid::now_v7())
                    .bind(id)
                    .bind(crate::now())
                    .bind(&ctx.actor)
                    .bind("grade.expire")
                    .bind(&details)
                    .execute(&mut *tx)
                    .await?;
                    append_in_tx!(
                        self,
                        tx,
                        ctx.event(
                            "grade.expire",
                            format!("organization:{id}"),
                            Outcome::Success,
                            details,
                            Some(path)
                        )
                    );
                    apply_tallies!(
                        self,
                        tx,
                        TallyDeltas::moved(Some(&tally_before), Some(&tally_after))
                    );
                    tx.commit().await?;
                    true
                } else {
                    false
                }
            });
            n += usize::from(done);
        }
        Ok(n)
    }
}
