//! The spaces of a venue: rooms that can be booked, offices that can be allocated.

use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::parks::{Space, SpaceData, SpaceKind};
use uuid::Uuid;

use super::{count, diff, today_local};
use crate::audit::append_in_tx;
use crate::{Result, Store, StoreError, WriteCtx, on_pool};

const SPACE_SELECT: &str = "SELECT id, venue_id, name, kind, capacity, area_m2 FROM spaces";

#[derive(sqlx::FromRow)]
struct SpaceRow {
    id: Uuid,
    venue_id: Uuid,
    name: String,
    kind: String,
    capacity: i64,
    area_m2: i64,
}

impl TryFrom<SpaceRow> for Space {
    type Error = StoreError;
    fn try_from(r: SpaceRow) -> Result<Self> {
        Ok(Space {
            id: r.id,
            venue_id: r.venue_id,
            data: SpaceData {
                name: r.name,
                kind: SpaceKind::parse(&r.kind).ok_or_else(|| {
                    StoreError::Corrupt(format!("corrupt space row {}: kind", r.id))
                })?,
                capacity: count(r.capacity, "capacity", r.id)?,
                area_m2: count(r.area_m2, "area_m2", r.id)?,
            },
        })
    }
}

impl Store {
    /// Audited as `space.create`.
    pub async fn add_space(
        &self,
        venue_id: Uuid,
        data: &SpaceData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Space> {
        let ctx = ctx.into();
        let now = crate::now();
        let id = Uuid::now_v7();
        let share = self.row_lock(" FOR SHARE");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let path: String = sqlx::query_scalar(&format!(
                "SELECT jurisdiction_path FROM venues WHERE id = $1{share}"
            ))
            .bind(venue_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            sqlx::query(
                "INSERT INTO spaces (id, venue_id, name, kind, capacity, area_m2, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(venue_id)
            .bind(&data.name)
            .bind(data.kind.as_str())
            .bind(i64::from(data.capacity))
            .bind(i64::from(data.area_m2))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "space.create",
                    format!("space:{id}"),
                    Outcome::Success,
                    json!({"venue_id": venue_id, "data": data}).to_string(),
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(Space {
                id,
                venue_id,
                data: data.clone(),
            })
        })
    }

    /// Audited as `space.update`. Changing an office into a room (or back) is refused
    /// (`State`) while it has current allocations or future bookings.
    pub async fn update_space(
        &self,
        space_id: Uuid,
        data: &SpaceData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Space> {
        let ctx = ctx.into();
        let now = crate::now();
        let today = today_local();
        let lock = self.row_lock(" FOR UPDATE");
        let select = format!("{SPACE_SELECT} WHERE id = $1{lock}");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            // The lock keeps bookings and allocations (which share-lock or lock the
            // space) out while the kind is checked and changed.
            let before: Space = sqlx::query_as::<_, SpaceRow>(&select)
                .bind(space_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?
                .try_into()?;
            if before.data.kind.is_bookable() != data.kind.is_bookable() {
                let busy: i64 = if before.data.kind.is_bookable() {
                    sqlx::query_scalar(
                        "SELECT COUNT(*) FROM bookings WHERE space_id = $1 AND status = 'confirmed' AND ends_at > $2",
                    )
                    .bind(space_id)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?
                } else {
                    sqlx::query_scalar(
                        "SELECT COUNT(*) FROM office_allocations WHERE space_id = $1 \
                         AND COALESCE(ended_early_on, ends_on) >= $2",
                    )
                    .bind(space_id)
                    .bind(today)
                    .fetch_one(&mut *tx)
                    .await?
                };
                if busy > 0 {
                    return Err(StoreError::State(if before.data.kind.is_bookable() {
                        "the room has future bookings; cancel them before making it an office"
                            .into()
                    } else {
                        "the office is allocated; end the allocations before making it a room"
                            .into()
                    }));
                }
            }
            let path: String =
                sqlx::query_scalar("SELECT jurisdiction_path FROM venues WHERE id = $1")
                    .bind(before.venue_id)
                    .fetch_one(&mut *tx)
                    .await?;
            sqlx::query(
                "UPDATE spaces SET name = $2, kind = $3, capacity = $4, area_m2 = $5 WHERE id = $1",
            )
            .bind(space_id)
            .bind(&data.name)
            .bind(data.kind.as_str())
            .bind(i64::from(data.capacity))
            .bind(i64::from(data.area_m2))
            .execute(&mut *tx)
            .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "space.update",
                    format!("space:{space_id}"),
                    Outcome::Success,
                    diff(&before.data, data),
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(Space {
                data: data.clone(),
                ..before
            })
        })
    }

    pub async fn space(&self, space_id: Uuid) -> Result<Option<Space>> {
        let sql = format!("{SPACE_SELECT} WHERE id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, SpaceRow>(&sql)
            .bind(space_id)
            .fetch_optional(p)
            .await)?;
        row.map(Space::try_from).transpose()
    }

    /// Spaces of a venue, offices first, then by name.
    pub async fn spaces_of(&self, venue_id: Uuid) -> Result<Vec<Space>> {
        let sql = format!(
            "{SPACE_SELECT} WHERE venue_id = $1 \
             ORDER BY CASE WHEN kind = 'office' THEN 0 ELSE 1 END, name, id"
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, SpaceRow>(&sql)
            .bind(venue_id)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(Space::try_from).collect()
    }
}
