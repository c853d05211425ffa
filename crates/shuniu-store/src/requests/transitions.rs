//! A request's transitions as conditional updates: `UPDATE … WHERE id = $1 AND state IN
//! (the states the transition starts from) [AND assigned_org = the acting organization]`.
//! Whoever comes second (a double click, another dispatcher, a second rating) updates no
//! row and gets a `State` error naming the state the request is in now. The history
//! row and the audit record are written in the same transaction.

use chrono::{DateTime, Utc};
use serde_json::json;
use shuniu_domain::FieldErrors;
use shuniu_domain::audit::Outcome;
use shuniu_domain::jurisdiction::{district_path, subtree_range};
use shuniu_domain::requests::{
    Rating, RequestState, TimeLimits, Transition, not_a_candidate, wrong_state,
};
use uuid::Uuid;

use super::ResidentRequest;
use crate::audit::append_in_tx;
use crate::services::OFFERS;
use crate::{Result, Store, StoreError, WriteCtx, on_pool};

/// What a transition carries.
#[derive(Debug, Clone, Default)]
pub struct TransitionInput {
    /// Assign: the organization chosen. Accept, decline, complete: the organization
    /// acting, which must be the one assigned (`None`: the dispatcher or an
    /// administrator acting for it is not allowed; the web passes the caller's).
    pub organization_id: Option<Uuid>,
    /// Decline, cancel, close: why.
    pub reason: String,
    /// Confirm: the resident's rating.
    pub rating: Option<Rating>,
}

impl Store {
    pub(super) async fn transition_request_inner(
        &self,
        id: Uuid,
        t: Transition,
        input: &TransitionInput,
        limits: &TimeLimits,
        at: DateTime<Utc>,
        ctx: WriteCtx,
    ) -> Result<ResidentRequest> {
        let before = self.request(id).await?.ok_or(StoreError::NotFound)?;
        let to = t.to();
        let due = limits.due(to, at);
        let from = t
            .from()
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        // What the row becomes: the assignee set on assignment, cleared on a decline
        // (the request goes back to the dispatcher); the rating on confirmation.
        // Accept, decline and complete are the assignee's: `$5` is the acting
        // organization; the dispatcher's cancel and close and the resident's
        // confirmation pass none.
        let guard = " AND ($5 IS NULL OR assigned_org = $5)";
        let (set_org, guard_org) = match t {
            Transition::Assign => ("assigned_org = $5", ""),
            Transition::Decline => ("assigned_org = NULL", guard),
            _ => ("assigned_org = assigned_org", guard),
        };
        let sql = format!(
            "UPDATE resident_requests SET state = $2, state_since = $3, due_at = $4, updated_at = $3, \
             {set_org}, rating = $6, rating_comment = $7 WHERE id = $1 AND state IN ({from}){guard_org}"
        );
        let org = match t {
            Transition::Assign
            | Transition::Accept
            | Transition::Decline
            | Transition::Complete => Some(input.organization_id.ok_or(StoreError::Invalid(
                FieldErrors::single("organization_id", shuniu_domain::FieldError::required()),
            ))?),
            _ => None,
        };
        let (rating, comment) = match (&input.rating, t) {
            (Some(r), Transition::Confirm) => (Some(i64::from(r.stars)), Some(r.comment.clone())),
            (None, Transition::Confirm) => {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "rating",
                    shuniu_domain::FieldError::required(),
                )));
            }
            _ => (None, None),
        };
        // The org named in the history: the one assigned, or the one acting, or the
        // one that held it.
        let event_org = org.or(before.assigned_org);
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            if t == Transition::Assign {
                // The assignee must be a candidate: it offers the category in the
                // request's district and may offer services (the standing rule).
                let district = district_path(&before.street_path);
                let (lo, hi) = subtree_range(&district);
                let ok: Option<i64> = sqlx::query_scalar(&format!(
                    "SELECT CAST(1 AS BIGINT) FROM organizations o WHERE o.id = $1 AND {OFFERS} AND EXISTS \
                     (SELECT 1 FROM services s WHERE s.organization_id = o.id AND s.category = $2 \
                     AND s.status = 'active' AND s.jurisdiction_path >= $3 AND s.jurisdiction_path < $4){}",
                    self.row_lock(" FOR SHARE OF o")
                ))
                .bind(org)
                .bind(before.data.category.as_str())
                .bind(&lo)
                .bind(&hi)
                .fetch_optional(&mut *tx)
                .await?;
                if ok.is_none() {
                    return Err(StoreError::Invalid(FieldErrors::single(
                        "organization_id",
                        not_a_candidate(),
                    )));
                }
            }
            let n = sqlx::query(&sql)
                .bind(id)
                .bind(to.as_str())
                .bind(at)
                .bind(due)
                .bind(org)
                .bind(rating)
                .bind(&comment)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n != 1 {
                let now: Option<String> =
                    sqlx::query_scalar("SELECT state FROM resident_requests WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let state = now
                    .as_deref()
                    .and_then(RequestState::parse)
                    .ok_or(StoreError::NotFound)?;
                let (_zh, en) = wrong_state(state);
                return Err(StoreError::State(en));
            }
            sqlx::query(
                "INSERT INTO request_events (id, request_id, transition, organization_id, reason, at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(Uuid::now_v7())
            .bind(id)
            .bind(t.as_str())
            .bind(event_org)
            .bind(&input.reason)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let mut details = json!({"number": before.number, "from": before.state, "to": to});
            if let Some(o) = event_org {
                details["organization"] = json!(o);
            }
            if !input.reason.is_empty() {
                details["reason"] = json!(input.reason);
            }
            if let Some(r) = rating {
                details["rating"] = json!(r);
            }
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    t.audit_kind(),
                    format!("request:{id}"),
                    Outcome::Success,
                    details.to_string(),
                    Some(before.street_path.clone())
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.request(id).await?.ok_or(StoreError::NotFound)
    }
}
