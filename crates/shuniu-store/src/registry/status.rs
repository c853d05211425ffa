//! Registration states (suspend, reactivate, deregister), one change or thousands in
//! one transaction: the one path of every status change. The rows are read and locked
//! with one `IN (…)` query, the changes applied in turn in memory, and the rows, history,
//! audit records and counters written by multi-row statements.

use std::collections::{BTreeMap, HashMap};

use serde_json::json;
use shuniu_domain::audit::{ChangeRef, Outcome};
use shuniu_domain::registry::{OrgStatus, Organization, StatusChange};
use uuid::Uuid;

use super::tallies::{TallyDeltas, TallyKey, apply_tallies};
use super::{COLUMNS, OrgRow, stats_upserts};
use crate::audit::append_all_in_tx;
use crate::bulk::{rows_per_statement, values_sql};
use crate::{Result, Store, StoreError, WriteCtx, bind_args, on_pool};

#[derive(sqlx::FromRow)]
struct LockedRow {
    #[sqlx(flatten)]
    row: OrgRow,
    jurisdiction_path: String,
}

/// Ids per `IN (…)` list when reading the rows to change.
const IDS_PER_QUERY: usize = 500;

impl Store {
    /// Moves an organization through its registration states (suspend, reactivate,
    /// deregister). Never deletes: a deregistered record stays, with reason and date.
    pub async fn change_status(
        &self,
        id: Uuid,
        change: &StatusChange,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Organization> {
        let mut done = self.change_statuses(&[(id, change.clone())], ctx).await?;
        Ok(done.pop().expect("one in, one out"))
    }

    /// Many status changes in one transaction (all or none), applied in turn (a second
    /// change of the same organization sees the first); returns each organization as
    /// its change left it. `NotFound` for an unknown id, `State` for a move the state
    /// machine refuses.
    pub async fn change_statuses(
        &self,
        items: &[(Uuid, StatusChange)],
        ctx: impl Into<WriteCtx>,
    ) -> Result<Vec<Organization>> {
        let ctx = ctx.into();
        let now = crate::now();
        let mut ids: Vec<Uuid> = items.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        let lock = self.row_lock(" FOR UPDATE");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            // id → (as read, as changed so far, path)
            let mut held: HashMap<Uuid, (Organization, Organization, String)> = HashMap::new();
            for chunk in ids.chunks(IDS_PER_QUERY) {
                let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "SELECT {COLUMNS}, jurisdiction_path FROM organizations WHERE id IN ({}){lock}",
                    marks.join(", ")
                );
                let mut q = sqlx::query_as::<_, LockedRow>(&sql);
                for id in chunk {
                    q = q.bind(*id);
                }
                for r in q.fetch_all(&mut *tx).await? {
                    let org = Organization::try_from(r.row)?;
                    held.insert(org.id, (org.clone(), org, r.jurisdiction_path));
                }
            }
            let mut out = Vec::with_capacity(items.len());
            let mut history = Vec::with_capacity(items.len());
            let mut events = Vec::with_capacity(items.len());
            for (id, change) in items {
                let (_, before, path) = held.get_mut(id).ok_or(StoreError::NotFound)?;
                if !before.status.can_become(change.status) {
                    return Err(StoreError::State(format!(
                        "cannot change status from {} to {}",
                        before.status, change.status
                    )));
                }
                let text = json!({
                    "status": {"from": before.status, "to": change.status},
                    "reason": {"from": before.status_reason, "to": change.reason},
                    "effective_on": {"from": before.status_changed_on, "to": change.effective_on},
                })
                .to_string();
                let change_id = Uuid::now_v7();
                events.push(ctx.event(
                    "organization.status",
                    format!("organization:{id}"),
                    Outcome::Success,
                    ChangeRef::to(change_id, &text).details(),
                    Some(path.clone()),
                ));
                history.push((change_id, *id, format!("status:{}", change.status), text));
                before.status = change.status;
                before.status_reason = Some(change.reason.clone());
                before.status_changed_on = Some(change.effective_on);
                before.updated_at = now;
                out.push(before.clone());
            }
            // Each row once, to where its last change left it, guarded by the status it
            // was read with (a racing change makes the count fall short).
            let rows: Vec<_> = held.values().collect();
            for chunk in rows.chunks(rows_per_statement(6)) {
                let sql = format!(
                    "UPDATE organizations SET status = v.column2, status_reason = v.column3, \
                     status_changed_on = v.column4, updated_at = v.column5 \
                     FROM (VALUES {}) AS v WHERE organizations.id = v.column1 AND organizations.status = v.column6",
                    values_sql(self.dialect(), 6, chunk.len())
                );
                let mut q = sqlx::query(&sql);
                for (read, changed, _) in chunk {
                    q = q
                        .bind(changed.id)
                        .bind(changed.status.as_str())
                        .bind(changed.status_reason.as_deref())
                        .bind(changed.status_changed_on)
                        .bind(changed.updated_at)
                        .bind(read.status.as_str());
                }
                if q.execute(&mut *tx).await?.rows_affected() != chunk.len() as u64 {
                    return Err(StoreError::State(
                        "the status changed meanwhile; try again".into(),
                    ));
                }
            }
            for chunk in history.chunks(rows_per_statement(6)) {
                let sql = format!(
                    "INSERT INTO organization_changes (id, organization_id, changed_at, actor, action, changes) VALUES {}",
                    values_sql(self.dialect(), 6, chunk.len())
                );
                let mut q = sqlx::query(&sql);
                for (change_id, id, action, text) in chunk {
                    q = q
                        .bind(*change_id)
                        .bind(*id)
                        .bind(now)
                        .bind(ctx.actor.as_str())
                        .bind(action.as_str())
                        .bind(text.as_str());
                }
                q.execute(&mut *tx).await?;
            }
            append_all_in_tx!(self, tx, events);
            // After the audit record, like every counter (see `tallies`: one lock order).
            let live = |s: OrgStatus| i64::from(s != OrgStatus::Deregistered);
            let mut stats: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
            let mut tallies = TallyDeltas::default();
            for (read, changed, path) in held.values() {
                let dn = live(changed.status) - live(read.status);
                if dn != 0 {
                    let e = stats.entry(read.data.jurisdiction.as_str()).or_default();
                    e.0 += dn;
                    e.1 += dn * i64::from(read.data.staff_total());
                }
                let mut key = TallyKey::created(&read.data, path);
                key.status = read.status.as_str().into();
                tallies.add(&key, -1);
                key.status = changed.status.as_str().into();
                tallies.add(&key, 1);
            }
            for (sql, args) in stats_upserts(self.dialect(), &stats) {
                bind_args!(sqlx::query(&sql), args)
                    .execute(&mut *tx)
                    .await?;
            }
            apply_tallies!(self, tx, tallies);
            tx.commit().await?;
            Ok(out)
        })
    }
}
