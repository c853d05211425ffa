//! A complaint's moves as conditional updates: the organization's first response
//! (`WHERE state = 'submitted' AND organization_id = the acting organization`), the
//! official's outcome (`WHERE state IN ('submitted','answered')`), and the escalation
//! sweep (one `UPDATE … WHERE state = 'submitted' AND escalated_at IS NULL AND due_at
//! <= now RETURNING …`, idempotent). Whoever comes second updates no row and gets a
//! `State` error naming the state the complaint is in now. Audit in the same
//! transaction.

use chrono::{DateTime, Utc};
use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::complaints::{ComplaintAction, ComplaintState, Decision, wrong_state};
use uuid::Uuid;

use super::Complaint;
use crate::audit::append_in_tx;
use crate::{Result, Store, StoreError, WriteCtx, on_pool};

/// What a move carries.
#[derive(Debug, Clone)]
pub enum ComplaintStep {
    /// The organization's first response; `organization_id` is the acting one (it
    /// must be the one complained about).
    Answer {
        organization_id: Uuid,
        response: String,
    },
    /// The official's outcome (resolve or close).
    Decide {
        action: ComplaintAction,
        decision: Decision,
    },
}

impl Store {
    /// Moves a complaint: see [`ComplaintStep`].
    pub async fn act_on_complaint(
        &self,
        id: Uuid,
        step: &ComplaintStep,
        at: DateTime<Utc>,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Complaint> {
        let ctx = ctx.into();
        let before = self.complaint(id).await?.ok_or(StoreError::NotFound)?;
        let (action, sql) = match step {
            ComplaintStep::Answer { .. } => (
                ComplaintAction::Answer,
                "UPDATE complaints SET state = 'answered', response = $2, responded_at = $3, \
                 updated_at = $3 WHERE id = $1 AND state = 'submitted' AND organization_id = $4",
            ),
            ComplaintStep::Decide { action, .. } => (
                *action,
                "UPDATE complaints SET state = $4, outcome = $5, outcome_text = $2, decided_at = $3, \
                 updated_at = $3 WHERE id = $1 AND state IN ('submitted', 'answered')",
            ),
        };
        if matches!(step, ComplaintStep::Decide { action, .. } if !action.is_officials()) {
            return Err(StoreError::State("an answer is not a decision".into()));
        }
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let q = sqlx::query(sql).bind(id);
            let q = match step {
                ComplaintStep::Answer {
                    organization_id,
                    response,
                } => q.bind(response).bind(at).bind(*organization_id),
                ComplaintStep::Decide { action, decision } => q
                    .bind(&decision.outcome_text)
                    .bind(at)
                    .bind(action.to().as_str())
                    .bind(decision.outcome.as_str()),
            };
            let n = q.execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                let now: Option<String> =
                    sqlx::query_scalar("SELECT state FROM complaints WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let state = now
                    .as_deref()
                    .and_then(ComplaintState::parse)
                    .ok_or(StoreError::NotFound)?;
                let (_zh, en) = wrong_state(state);
                return Err(StoreError::State(en));
            }
            let mut details = json!({
                "number": before.number, "from": before.state, "to": action.to(),
                "organization": before.organization_id,
            });
            if let ComplaintStep::Decide { decision, .. } = step {
                details["outcome"] = json!(decision.outcome);
            }
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    action.audit_kind(),
                    format!("complaint:{id}"),
                    Outcome::Success,
                    details.to_string(),
                    Some(before.street_path.clone())
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.complaint(id).await?.ok_or(StoreError::NotFound)
    }

    /// Escalates to the street every complaint still unanswered at `now` past its due
    /// time: one conditional `UPDATE` (`escalated_at IS NULL`), so a second run, or two
    /// at once, escalate nothing twice; one audit record per complaint escalated, in
    /// the same transaction. Returns how many were escalated.
    pub async fn escalate_overdue_complaints(
        &self,
        now: DateTime<Utc>,
        ctx: impl Into<WriteCtx>,
    ) -> Result<usize> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: Uuid,
            number: String,
            street_path: String,
            organization_id: Uuid,
        }
        let ctx = ctx.into();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let rows = sqlx::query_as::<_, Row>(
                "UPDATE complaints SET escalated_at = $1, updated_at = $1 \
                 WHERE state = 'submitted' AND escalated_at IS NULL AND due_at <= $1 \
                 RETURNING id, number, street_path, organization_id",
            )
            .bind(now)
            .fetch_all(&mut *tx)
            .await?;
            for r in &rows {
                let details =
                    json!({"number": r.number, "organization": r.organization_id}).to_string();
                append_in_tx!(
                    self,
                    tx,
                    ctx.event(
                        "complaint.escalate",
                        format!("complaint:{}", r.id),
                        Outcome::Success,
                        details,
                        Some(r.street_path.clone())
                    )
                );
            }
            tx.commit().await?;
            Ok::<_, StoreError>(rows.len())
        })
    }
}
