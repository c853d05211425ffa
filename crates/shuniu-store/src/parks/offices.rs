//! Office allocations: an office of a venue given to an organization for a span of
//! dates; no two allocations of one office overlap.

use chrono::NaiveDate;
use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::parks::{self as rules};
use shuniu_domain::parks::{Allocation, AllocationRequest, SpaceKind};
use uuid::Uuid;

use super::{invalid, unknown_organization};
use crate::audit::append_in_tx;
use crate::supervision::credit::require_standing;
use crate::{Result, Store, StoreError, WriteCtx, on_pool};
use shuniu_domain::supervision::standing::Activity;

const ALLOCATION_SELECT: &str = "SELECT a.id, a.space_id, a.organization_id, o.name AS organization_name, \
    a.starts_on, a.ends_on, a.ended_early_on \
    FROM office_allocations a JOIN organizations o ON o.id = a.organization_id";

#[derive(sqlx::FromRow)]
struct AllocationRow {
    id: Uuid,
    space_id: Uuid,
    organization_id: Uuid,
    organization_name: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    ended_early_on: Option<NaiveDate>,
}

impl From<AllocationRow> for Allocation {
    fn from(r: AllocationRow) -> Self {
        Allocation {
            id: r.id,
            space_id: r.space_id,
            organization_id: r.organization_id,
            organization_name: r.organization_name,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            ended_early_on: r.ended_early_on,
        }
    }
}

impl Store {
    /// Allocates an office for a period. `Invalid(organization_id)` for an unknown or
    /// deregistered organization; `State` if the space is not an office; `Conflict
    /// {field: "starts_on"}` if the period overlaps a current allocation of the office.
    /// Audited as `office.allocate`.
    pub async fn allocate_office(
        &self,
        space_id: Uuid,
        request: &AllocationRequest,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Allocation> {
        let ctx = ctx.into();
        if request.ends_on < request.starts_on {
            return Err(invalid("ends_on", rules::ends_before_start()));
        }
        let now = crate::now();
        let id = Uuid::now_v7();
        let lock = self.row_lock(" FOR UPDATE");
        let share = self.row_lock(" FOR SHARE");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            // Locking the space serializes allocations of one office, so the overlap
            // check below sees every allocation committed before ours.
            let (kind, venue_id): (String, Uuid) = sqlx::query_as(&format!(
                "SELECT kind, venue_id FROM spaces WHERE id = $1{lock}"
            ))
            .bind(space_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            if kind != SpaceKind::Office.as_str() {
                return Err(StoreError::State(
                    "only an office is allocated; rooms are booked".into(),
                ));
            }
            let (org_name, org_status): (String, String) = sqlx::query_as(&format!(
                "SELECT name, status FROM organizations WHERE id = $1{share}"
            ))
            .bind(request.organization_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(unknown_organization)?;
            require_standing!(
                tx,
                request.organization_id,
                &org_status,
                Activity::ReceiveOffice,
                super::today_local()
            );
            let overlapping: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM office_allocations WHERE space_id = $1 \
                 AND starts_on <= $3 AND COALESCE(ended_early_on, ends_on) >= $2",
            )
            .bind(space_id)
            .bind(request.starts_on)
            .bind(request.ends_on)
            .fetch_one(&mut *tx)
            .await?;
            if overlapping > 0 {
                return Err(StoreError::Conflict {
                    field: "starts_on".into(),
                });
            }
            let path: String =
                sqlx::query_scalar("SELECT jurisdiction_path FROM venues WHERE id = $1")
                    .bind(venue_id)
                    .fetch_one(&mut *tx)
                    .await?;
            sqlx::query(
                "INSERT INTO office_allocations (id, space_id, organization_id, starts_on, ends_on, ended_early_on, created_at) \
                 VALUES ($1, $2, $3, $4, $5, NULL, $6)",
            )
            .bind(id)
            .bind(space_id)
            .bind(request.organization_id)
            .bind(request.starts_on)
            .bind(request.ends_on)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "office.allocate",
                    format!("allocation:{id}"),
                    Outcome::Success,
                    json!({"space_id": space_id, "request": request}).to_string(),
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(Allocation {
                id,
                space_id,
                organization_id: request.organization_id,
                organization_name: org_name,
                starts_on: request.starts_on,
                ends_on: request.ends_on,
                ended_early_on: None,
            })
        })
    }

    /// Ends an allocation early on `on` (not before it starts: `Invalid(ended_on)`).
    /// Audited as `office.end`.
    pub async fn end_allocation(
        &self,
        allocation_id: Uuid,
        on: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Allocation> {
        let ctx = ctx.into();
        let lock = self.row_lock(" FOR UPDATE OF a");
        let select = format!("{ALLOCATION_SELECT} WHERE a.id = $1{lock}");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let before: Allocation = sqlx::query_as::<_, AllocationRow>(&select)
                .bind(allocation_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?
                .into();
            if before.ended_early_on.is_some() {
                return Err(StoreError::State("the allocation has already ended".into()));
            }
            if on < before.starts_on {
                return Err(invalid("ended_on", rules::ended_outside_allocation(true)));
            }
            // Ending "early" after the agreed end would lengthen the period past what
            // the overlap check allowed.
            if on > before.ends_on {
                return Err(invalid("ended_on", rules::ended_outside_allocation(false)));
            }
            sqlx::query("UPDATE office_allocations SET ended_early_on = $2 WHERE id = $1")
                .bind(allocation_id)
                .bind(on)
                .execute(&mut *tx)
                .await?;
            let path: String = sqlx::query_scalar(
                "SELECT v.jurisdiction_path FROM spaces s JOIN venues v ON v.id = s.venue_id WHERE s.id = $1",
            )
            .bind(before.space_id)
            .fetch_one(&mut *tx)
            .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "office.end",
                    format!("allocation:{allocation_id}"),
                    Outcome::Success,
                    json!({"space_id": before.space_id, "ended_on": on}).to_string(),
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(Allocation {
                ended_early_on: Some(on),
                ..before
            })
        })
    }

    /// One allocation by id (the web layer finds its venue to ask the policy).
    pub async fn allocation(&self, allocation_id: Uuid) -> Result<Option<Allocation>> {
        let sql = format!("{ALLOCATION_SELECT} WHERE a.id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, AllocationRow>(&sql)
            .bind(allocation_id)
            .fetch_optional(p)
            .await)?;
        Ok(row.map(Allocation::from))
    }

    /// Allocations of a venue's offices that are current on `on` or start later, by start.
    pub async fn allocations_of_venue(
        &self,
        venue_id: Uuid,
        on: NaiveDate,
    ) -> Result<Vec<Allocation>> {
        let sql = format!(
            "{ALLOCATION_SELECT} JOIN spaces s ON s.id = a.space_id \
             WHERE s.venue_id = $1 AND COALESCE(a.ended_early_on, a.ends_on) >= $2 \
             ORDER BY a.starts_on, a.id"
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, AllocationRow>(&sql)
            .bind(venue_id)
            .bind(on)
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().map(Allocation::from).collect())
    }
}
