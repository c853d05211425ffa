//! Service parks: venues (`venues`), their spaces (`spaces`), office allocations
//! (`offices`), room bookings (`bookings`), and the quarterly reports against a venue's
//! obligation (`obligations`).
//!
//! No two bookings of a room overlap: each booking claims its slots in `booking_slots`
//! (primary key `(space_id, slot_start)`) in the same transaction as the booking row,
//! so the database refuses the second of two overlapping bookings on either engine,
//! whatever the interleaving. Office allocations are checked for overlap after locking
//! the space (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: `SELECT … FOR UPDATE`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};
use shuniu_domain::parks::shanghai;
use shuniu_domain::{FieldError, FieldErrors};
use uuid::Uuid;

use crate::{Result, StoreError, Taken, Unique};

mod bookings;
mod obligations;
mod offices;
mod spaces;
mod venues;

pub use obligations::{ObligationReport, ObligationSummary};
pub(crate) use venues::{VENUE_SELECT, VenueRow};

/// The unique constraints of parks. A slot already claimed is a booking that overlaps
/// another: `Conflict` on `start`.
pub(crate) const UNIQUES: &[Unique] = &[Unique {
    pg: "booking_slots_pkey",
    sqlite: "booking_slots.space_id, booking_slots.slot_start",
    taken: Taken::Conflict("start"),
}];

pub(super) fn count(v: i64, what: &str, id: Uuid) -> Result<u32> {
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("corrupt row {id}: {what}")))
}

/// `Invalid` on one field, with the domain's message.
pub(super) fn invalid(field: &str, message: FieldError) -> StoreError {
    StoreError::Invalid(FieldErrors::single(field, message))
}

pub(super) fn unknown_jurisdiction() -> StoreError {
    invalid("jurisdiction", FieldError::unknown_jurisdiction())
}

pub(super) fn unknown_organization() -> StoreError {
    invalid("organization_id", FieldError::unknown_organization())
}

/// Fields whose values differ between two versions (audit details of an update).
pub(super) fn diff(before: &impl Serialize, after: &impl Serialize) -> String {
    let b = serde_json::to_value(before).expect("serializable");
    let a = serde_json::to_value(after).expect("serializable");
    let mut out = BTreeMap::new();
    if let (Some(b), Some(a)) = (b.as_object(), a.as_object()) {
        for (k, av) in a {
            let bv = b.get(k).unwrap_or(&Value::Null);
            if bv != av {
                out.insert(k.clone(), json!({"from": bv, "to": av}));
            }
        }
    }
    serde_json::to_string(&out).expect("serializable")
}

/// Today in Shanghai: allocations are in local dates.
pub(super) fn today_local() -> NaiveDate {
    crate::now().with_timezone(&shanghai()).date_naive()
}
