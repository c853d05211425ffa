//! Service parks: venues, their spaces, office allocations, room bookings, and the
//! quarterly reports against a venue's obligation.
//!
//! No two bookings of a room overlap: each booking claims its slots in `booking_slots`
//! (primary key `(space_id, slot_start)`) in the same transaction as the booking row,
//! so the database refuses the second of two overlapping bookings on either engine,
//! whatever the interleaving. Office allocations are checked for overlap after locking
//! the space (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: `SELECT … FOR UPDATE`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use shuniu_domain::parks::{
    Allocation, AllocationRequest, Booking, BookingRequest, ObligationReportData, Quarter, Space,
    SpaceData, Venue, VenueData,
};
use uuid::Uuid;

use crate::{Page, Result, Store, WriteCtx};

/// A stored obligation report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationReport {
    pub id: Uuid,
    pub venue_id: Uuid,
    pub organization_name: String,
    pub data: ObligationReportData,
    pub reported_by: String,
    pub reported_at: DateTime<Utc>,
}

/// A venue's obligation in one quarter: what was expected and what was reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationSummary {
    pub quarter: Quarter,
    pub target_hours: i64,
    pub delivered_hours: i64,
    pub residents_served: i64,
    pub reports: Vec<ObligationReport>,
}

impl Store {
    /// A venue, optionally run by a hub (`NotFound` for an unknown hub; `Invalid(jurisdiction)`
    /// for an unknown jurisdiction). Audited as `venue.create`.
    pub async fn create_venue(
        &self,
        hub_id: Option<Uuid>,
        data: &VenueData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Venue> {
        let _ = (hub_id, data, ctx.into());
        todo!()
    }

    /// Audited as `venue.update`.
    pub async fn update_venue(
        &self,
        venue_id: Uuid,
        data: &VenueData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Venue> {
        let _ = (venue_id, data, ctx.into());
        todo!()
    }

    pub async fn venue(&self, venue_id: Uuid) -> Result<Option<Venue>> {
        let _ = venue_id;
        todo!()
    }

    /// Venues in a jurisdiction subtree and/or run by a hub, by name; paged in the database.
    pub async fn list_venues(
        &self,
        path_prefix: Option<&str>,
        hub_id: Option<Uuid>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Venue>> {
        let _ = (path_prefix, hub_id, page, per_page);
        todo!()
    }

    /// Audited as `space.create`.
    pub async fn add_space(
        &self,
        venue_id: Uuid,
        data: &SpaceData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Space> {
        let _ = (venue_id, data, ctx.into());
        todo!()
    }

    /// Audited as `space.update`. Changing an office into a room (or back) is refused
    /// (`State`) while it has current allocations or future bookings.
    pub async fn update_space(
        &self,
        space_id: Uuid,
        data: &SpaceData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Space> {
        let _ = (space_id, data, ctx.into());
        todo!()
    }

    pub async fn space(&self, space_id: Uuid) -> Result<Option<Space>> {
        let _ = space_id;
        todo!()
    }

    /// Spaces of a venue, offices first, then by name.
    pub async fn spaces_of(&self, venue_id: Uuid) -> Result<Vec<Space>> {
        let _ = venue_id;
        todo!()
    }

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
        let _ = (space_id, request, ctx.into());
        todo!()
    }

    /// Ends an allocation early on `on` (not before it starts: `Invalid(ended_on)`).
    /// Audited as `office.end`.
    pub async fn end_allocation(
        &self,
        allocation_id: Uuid,
        on: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Allocation> {
        let _ = (allocation_id, on, ctx.into());
        todo!()
    }

    /// Allocations of a venue's offices that are current on `on` or start later, by start.
    pub async fn allocations_of_venue(
        &self,
        venue_id: Uuid,
        on: NaiveDate,
    ) -> Result<Vec<Allocation>> {
        let _ = (venue_id, on);
        todo!()
    }

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
        let _ = (space_id, organization_id, request, slot_minutes, ctx.into());
        todo!()
    }

    /// Cancels a confirmed booking and frees its slots (`State` if already cancelled).
    /// Audited as `booking.cancel`.
    pub async fn cancel_booking(
        &self,
        booking_id: Uuid,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Booking> {
        let _ = (booking_id, ctx.into());
        todo!()
    }

    pub async fn booking(&self, booking_id: Uuid) -> Result<Option<Booking>> {
        let _ = booking_id;
        todo!()
    }

    /// Confirmed bookings of a space that overlap `[from, to)`, by start (the calendar).
    pub async fn bookings_between(
        &self,
        space_id: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Booking>> {
        let _ = (space_id, from, to);
        todo!()
    }

    /// An organization's bookings ending after `from`, by start; paged in the database.
    pub async fn bookings_of_organization(
        &self,
        organization_id: Uuid,
        from: DateTime<Utc>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Booking>> {
        let _ = (organization_id, from, page, per_page);
        todo!()
    }

    /// Records (or replaces) an organization's report for a quarter against a venue's
    /// obligation. `Invalid(organization_id)` for an unknown organization. Audited as
    /// `obligation.report`.
    pub async fn report_obligation(
        &self,
        venue_id: Uuid,
        report: &ObligationReportData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<ObligationReport> {
        let _ = (venue_id, report, ctx.into());
        todo!()
    }

    /// The venue's obligation in each of the `quarters`, newest first.
    pub async fn obligation_summaries(
        &self,
        venue_id: Uuid,
        quarters: &[Quarter],
    ) -> Result<Vec<ObligationSummary>> {
        let _ = (venue_id, quarters);
        todo!()
    }
}
