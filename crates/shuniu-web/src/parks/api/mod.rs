//! Service parks API: venues, spaces, allocations, bookings, obligation reports.
//!
//! Reading venues, spaces and calendars is public (organization names on bookings are
//! registry facts); who made a booking (the account) is shown only to the venue's
//! managers and the booking organization's own people.

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use shuniu_domain::FieldErrors;
use shuniu_domain::parks::{
    Allocation, AllocationDraft, Booking, BookingDraft, ObligationReportDraft, Space, SpaceDraft,
    VENUE_FIELDS, Venue, VenueDraft,
};
use shuniu_store::parks::{ObligationReport, ObligationSummary};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::api::access::{ApiAccount, ApiCaller, note_denial};
use crate::kit::api::error::ErrorBody;
use crate::kit::api::input::{self, Mode};
use crate::kit::api::responses::{BadToken, NeedsToken};
use crate::kit::extract::{ApiQuery, RecordId, bad_query};
use crate::kit::routes::Routes;
use crate::parks::{self as svc, VenueQuery};
use crate::{AppError, AppState, local_time};

pub mod bookings;
pub mod records;
pub mod venues;
use bookings::*;
use records::*;
use venues::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/venues", list_venues)
        .get("/api/v1/venues.csv", crate::kit::export::api_csv::<crate::parks::export::Venues>)
        .post("/api/v1/venues", create_venue)
        .get("/api/v1/venues/{id}", get_venue)
        .patch("/api/v1/venues/{id}", update_venue)
        .post("/api/v1/venues/{id}/spaces", add_space)
        .get("/api/v1/spaces/{id}", get_space)
        .patch("/api/v1/spaces/{id}", update_space)
        .get("/api/v1/spaces/{id}/bookings", list_bookings)
        .post("/api/v1/spaces/{id}/bookings", create_booking)
        .get("/api/v1/bookings/{id}", get_booking)
        .post("/api/v1/bookings/{id}/cancel", cancel_booking)
        .get("/api/v1/spaces/{id}/allocations", list_allocations)
        .post("/api/v1/spaces/{id}/allocations", allocate)
        .post("/api/v1/allocations/{id}/end", end_allocation)
        .get("/api/v1/venues/{id}/obligations", obligations)
        .post("/api/v1/venues/{id}/obligations", report_obligation)
}

/// This capability's part of the OpenAPI document (merged into `/api/openapi.json`).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        list_venues,
        crate::parks::export::api_csv,
        create_venue,
        get_venue,
        update_venue,
        add_space,
        get_space,
        update_space,
        list_bookings,
        create_booking,
        get_booking,
        cancel_booking,
        list_allocations,
        allocate,
        end_allocation,
        obligations,
        report_obligation,
    ),
    tags((name = "parks", description = "Service parks 服务园: venues, spaces, office allocations, room bookings, obligation reports"))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}
