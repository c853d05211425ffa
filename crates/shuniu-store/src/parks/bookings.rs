//! Room bookings: each claims its slots in `booking_slots` in the same transaction, so
//! the database refuses the second of two overlapping bookings.

use chrono::{DateTime, Datelike, Utc};
use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::parks::{self as rules};
use shuniu_domain::parks::{Booking, BookingRequest, BookingStatus, SpaceKind, shanghai, slots};
use uuid::Uuid;

use super::{count, invalid, unknown_organization};
use crate::audit::append_in_tx;
use crate::paging::Key;
use crate::paging::keyset::ListQuery;
use crate::supervision::credit::require_standing;
use crate::{Arg, Result, Store, StoreError, WriteCtx, on_pool};
use shuniu_domain::supervision::standing::Activity;

/// `booked_by` holds the user name (what the audit trail names); people are shown by
/// their display name, joined here (user names are unique). A system writer (the
/// shell, the demo loader) has no account: no display name, not its login name.
const BOOKING_SELECT: &str = "SELECT b.id, b.number, b.space_id, b.organization_id, o.name AS organization_name, \
    b.starts_at, b.ends_at, b.purpose, b.attendees, b.status, b.booked_by, \
    u.display_name AS booked_by_name \
    FROM bookings b JOIN organizations o ON o.id = b.organization_id \
    LEFT JOIN users u ON u.username = b.booked_by";

#[derive(sqlx::FromRow)]
struct BookingRow {
    id: Uuid,
    number: String,
    space_id: Uuid,
    organization_id: Uuid,
    organization_name: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    purpose: String,
    attendees: i64,
    status: String,
    booked_by: String,
    booked_by_name: Option<String>,
}

impl TryFrom<BookingRow> for Booking {
    type Error = StoreError;
    fn try_from(r: BookingRow) -> Result<Self> {
        Ok(Booking {
            id: r.id,
            number: r.number,
            space_id: r.space_id,
            organization_id: r.organization_id,
            organization_name: r.organization_name,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            purpose: r.purpose,
            attendees: count(r.attendees, "attendees", r.id)?,
            status: BookingStatus::parse(&r.status).ok_or_else(|| {
                StoreError::Corrupt(format!("corrupt booking row {}: status", r.id))
            })?,
            booked_by: r.booked_by,
            booked_by_name: r.booked_by_name,
        })
    }
}

fn slot_taken() -> StoreError {
    StoreError::Conflict {
        field: "start".into(),
    }
}

impl Store {
    /// Books a room. `State` if the space is an office; `Invalid(organization_id)` for an
    /// unknown or deregistered organization; `Conflict {field: "start"}` if any slot is
    /// taken — guaranteed by `booking_slots`' primary key under any concurrency.
    /// Assigns a human number `BK-<year>-<6 digits>`. Audited as `booking.create`.
    pub async fn book_space(
        &self,
        space_id: Uuid,
        organization_id: Uuid,
        request: &BookingRequest,
        slot_minutes: u32,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Booking> {
        let ctx = ctx.into();
        if slot_minutes == 0 || 60 % slot_minutes != 0 {
            return Err(StoreError::State(format!(
                "a slot of {slot_minutes} minutes does not divide the hour"
            )));
        }
        if request.ends_at <= request.starts_at {
            return Err(invalid("end", rules::end_not_after_start()));
        }
        // Slots are claimed on a grid: a start off the grid would claim keys that
        // never collide with its neighbours'. (Shanghai is a whole number of hours
        // from UTC, so the local and UTC grids agree.)
        let step = i64::from(slot_minutes) * 60;
        for (field, t) in [("start", request.starts_at), ("end", request.ends_at)] {
            if t.timestamp().rem_euclid(step) != 0 || t.timestamp_subsec_nanos() != 0 {
                return Err(invalid(field, rules::off_slot_boundary(slot_minutes)));
            }
        }
        let now = crate::now();
        let id = Uuid::now_v7();
        let claimed = slots(request.starts_at, request.ends_at, slot_minutes);
        let sequence = format!("booking-{}", now.with_timezone(&shanghai()).year());
        let share = self.row_lock(" FOR SHARE");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let (kind, venue_id): (String, Uuid) = sqlx::query_as(&format!(
                "SELECT kind, venue_id FROM spaces WHERE id = $1{share}"
            ))
            .bind(space_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            if !SpaceKind::parse(&kind).is_some_and(SpaceKind::is_bookable) {
                return Err(StoreError::State(
                    "an office is allocated, not booked".into(),
                ));
            }
            let (org_name, org_status): (String, String) = sqlx::query_as(&format!(
                "SELECT name, status FROM organizations WHERE id = $1{share}"
            ))
            .bind(organization_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(unknown_organization)?;
            let booked_by_name: Option<String> =
                sqlx::query_scalar("SELECT display_name FROM users WHERE username = $1")
                    .bind(&ctx.actor)
                    .fetch_optional(&mut *tx)
                    .await?;
            require_standing!(
                tx,
                organization_id,
                &org_status,
                Activity::BookRoom,
                super::today_local()
            );
            // A friendly early answer (and a guard should the slot length be changed
            // between bookings); the slots' primary key below is the guarantee.
            let overlapping: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM bookings WHERE space_id = $1 AND status = 'confirmed' \
                 AND starts_at < $3 AND ends_at > $2",
            )
            .bind(space_id)
            .bind(request.starts_at)
            .bind(request.ends_at)
            .fetch_one(&mut *tx)
            .await?;
            if overlapping > 0 {
                return Err(slot_taken());
            }
            let value: i64 = sqlx::query_scalar(
                "INSERT INTO number_sequences (name, value) VALUES ($1, 1) \
                 ON CONFLICT (name) DO UPDATE SET value = number_sequences.value + 1 RETURNING value",
            )
            .bind(&sequence)
            .fetch_one(&mut *tx)
            .await?;
            let number = format!("BK-{}-{value:06}", &sequence["booking-".len()..]);
            sqlx::query(
                "INSERT INTO bookings (id, number, space_id, organization_id, starts_at, ends_at, purpose, \
                 attendees, status, booked_by, created_at, cancelled_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL)",
            )
            .bind(id)
            .bind(&number)
            .bind(space_id)
            .bind(organization_id)
            .bind(request.starts_at)
            .bind(request.ends_at)
            .bind(&request.purpose)
            .bind(i64::from(request.attendees))
            .bind(BookingStatus::Confirmed.as_str())
            .bind(&ctx.actor)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            // In ascending order, so two transactions claiming common slots never
            // wait on each other in a cycle.
            for slot in &claimed {
                // A slot already claimed is refused by the primary key: `Conflict` on
                // `start` (see `UNIQUES`). Dropping `tx` rolls back the booking row and
                // the number.
                sqlx::query(
                    "INSERT INTO booking_slots (space_id, slot_start, booking_id) VALUES ($1, $2, $3)",
                )
                .bind(space_id)
                .bind(*slot)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            let path: String =
                sqlx::query_scalar("SELECT jurisdiction_path FROM venues WHERE id = $1")
                    .bind(venue_id)
                    .fetch_one(&mut *tx)
                    .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "booking.create",
                    format!("booking:{id}"),
                    Outcome::Success,
                    json!({
                        "number": number,
                        "space_id": space_id,
                        "organization_id": organization_id,
                        "starts_at": request.starts_at,
                        "ends_at": request.ends_at,
                        "attendees": request.attendees,
                    })
                    .to_string(),
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(Booking {
                id,
                number,
                space_id,
                organization_id,
                organization_name: org_name,
                starts_at: request.starts_at,
                ends_at: request.ends_at,
                purpose: request.purpose.clone(),
                attendees: request.attendees,
                status: BookingStatus::Confirmed,
                booked_by_name,
                booked_by: ctx.actor.clone(),
            })
        })
    }

    /// Cancels a confirmed booking and frees its slots (`State` if already cancelled).
    /// Audited as `booking.cancel`.
    pub async fn cancel_booking(
        &self,
        booking_id: Uuid,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Booking> {
        let ctx = ctx.into();
        let now = crate::now();
        let lock = self.row_lock(" FOR UPDATE OF b");
        let select = format!("{BOOKING_SELECT} WHERE b.id = $1{lock}");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let before: Booking = sqlx::query_as::<_, BookingRow>(&select)
                .bind(booking_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?
                .try_into()?;
            if before.status != BookingStatus::Confirmed {
                return Err(StoreError::State("the booking is already cancelled".into()));
            }
            sqlx::query("DELETE FROM booking_slots WHERE booking_id = $1")
                .bind(booking_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE bookings SET status = $2, cancelled_at = $3 WHERE id = $1 AND status = $4",
            )
            .bind(booking_id)
            .bind(BookingStatus::Cancelled.as_str())
            .bind(now)
            .bind(BookingStatus::Confirmed.as_str())
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
                    "booking.cancel",
                    format!("booking:{booking_id}"),
                    Outcome::Success,
                    json!({"number": before.number, "space_id": before.space_id}).to_string(),
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(Booking {
                status: BookingStatus::Cancelled,
                ..before
            })
        })
    }

    pub async fn booking(&self, booking_id: Uuid) -> Result<Option<Booking>> {
        let sql = format!("{BOOKING_SELECT} WHERE b.id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, BookingRow>(&sql)
            .bind(booking_id)
            .fetch_optional(p)
            .await)?;
        row.map(Booking::try_from).transpose()
    }

    /// Confirmed bookings of a space that overlap `[from, to)`, by start (the calendar).
    pub async fn bookings_between(
        &self,
        space_id: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Booking>> {
        // Found through the claimed slots (primary key (space, slot start)): a confirmed
        // booking overlapping [from, to) holds a slot starting in (from - 1 h, to), slots
        // being at most an hour long. `bookings (space_id, starts_at)` alone bounds only
        // the start, and would read the room's whole past.
        let sql = format!(
            "{BOOKING_SELECT} WHERE b.id IN (SELECT booking_id FROM booking_slots \
             WHERE space_id = $1 AND slot_start > $4 AND slot_start < $3) \
             AND b.space_id = $1 AND b.status = 'confirmed' \
             AND b.starts_at < $3 AND b.ends_at > $2 ORDER BY b.starts_at, b.id LIMIT 2000"
        );
        let slot_floor = from
            .checked_sub_signed(chrono::Duration::hours(1))
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        let rows = on_pool!(self, |p| sqlx::query_as::<_, BookingRow>(&sql)
            .bind(space_id)
            .bind(from)
            .bind(to)
            .bind(slot_floor)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(Booking::try_from).collect()
    }

    /// One keyset page of an organization's bookings ending after `from`, by start,
    /// from a cursor (or the first), with a bounded total.
    pub async fn bookings_page(
        &self,
        organization_id: Uuid,
        from: DateTime<Utc>,
        at: crate::At<'_>,
        per_page: u32,
    ) -> Result<crate::KeyPage<Booking>> {
        let q = bookings_list(organization_id, from);
        self.list_page::<BookingRow, _>(q, at, per_page, Booking::try_from)
            .await
    }

    /// The plan of a page of an organization's bookings (see `Store::read_plan`).
    #[cfg(feature = "testing")]
    pub async fn bookings_plan_for_tests(&self, organization_id: Uuid) -> Result<Vec<String>> {
        self.list_plan(&bookings_list(organization_id, crate::now()))
            .await
    }

    /// The booking rows and claimed slots (start, booking) of a space, as stored
    /// (tests check that a refused booking left nothing behind).
    #[cfg(feature = "testing")]
    #[doc(hidden)]
    pub async fn booking_rows_for_tests(
        &self,
        space_id: Uuid,
    ) -> Result<(i64, Vec<(DateTime<Utc>, Uuid)>)> {
        let (n, slots) = on_pool!(self, |p| {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bookings WHERE space_id = $1")
                .bind(space_id)
                .fetch_one(p)
                .await?;
            let slots: Vec<(DateTime<Utc>, Uuid)> = sqlx::query_as(
                "SELECT slot_start, booking_id FROM booking_slots WHERE space_id = $1 ORDER BY slot_start",
            )
            .bind(space_id)
            .fetch_all(p)
            .await?;
            Ok::<_, sqlx::Error>((n, slots))
        })?;
        Ok((n, slots))
    }
}

/// An organization's bookings ending after `from`, by start: `bookings_org_start` walked
/// from the organization's first booking.
fn bookings_list(organization_id: Uuid, from: DateTime<Utc>) -> ListQuery {
    const KEYS: &[(&str, Key)] = &[("b.starts_at", Key::Time), ("b.id", Key::Uuid)];
    ListQuery::filtered(
        "bookings",
        (BOOKING_SELECT, "FROM bookings b"),
        "b.organization_id = $1 AND b.ends_at > $2",
        vec![Arg::Uuid(organization_id), Arg::Time(from)],
        KEYS,
    )
}
