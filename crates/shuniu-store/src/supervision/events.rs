//! The events recorded about an organization, read back for its public record (the
//! writing side, which applies the credit rules at once, is
//! [`Store::record_credit_event`](crate::Store::record_credit_event)).

use chrono::NaiveDate;
use serde::Serialize;
use shuniu_domain::supervision::credit::{CreditEvent, EventKind};
use uuid::Uuid;

use super::credit::EventRow;
use crate::{Result, Store, on_pool};

/// An event as recorded: what, when, its document, and who recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredEvent {
    pub id: Uuid,
    pub on: NaiveDate,
    pub kind: EventKind,
    pub note: String,
    pub recorded_by: String,
}

#[derive(sqlx::FromRow)]
struct NotedRow {
    #[sqlx(flatten)]
    event: EventRow,
    note: String,
    recorded_by: String,
}

impl Store {
    /// Every event recorded about an organization, newest first (public: penalties and
    /// findings are published with the lists they cause).
    pub async fn credit_events_of(&self, organization_id: Uuid) -> Result<Vec<StoredEvent>> {
        let rows = on_pool!(self, |p| sqlx::query_as::<_, NotedRow>(
            "SELECT id, occurred_on, kind, amount_fen, due_on, refers_to, note, recorded_by \
             FROM credit_events WHERE organization_id = $1 ORDER BY occurred_on DESC, id DESC"
        )
        .bind(organization_id)
        .fetch_all(p)
        .await)?;
        rows.into_iter()
            .map(|r| {
                let e = CreditEvent::try_from(r.event)?;
                Ok(StoredEvent {
                    id: e.id,
                    on: e.on,
                    kind: e.kind,
                    note: r.note,
                    recorded_by: r.recorded_by,
                })
            })
            .collect()
    }
}

impl Store {
    /// One listing by id (the removal form and its authority check need it).
    pub async fn credit_listing(&self, id: Uuid) -> Result<Option<super::credit::StoredListing>> {
        let sql = format!(
            "SELECT {} FROM credit_listings WHERE id = $1",
            super::credit::LISTING_COLUMNS
        );
        let row = on_pool!(self, |p| sqlx::query_as::<_, super::credit::ListingRow>(
            &sql
        )
        .bind(id)
        .fetch_optional(p)
        .await)?;
        row.map(super::credit::StoredListing::try_from).transpose()
    }
}
