//! Service parks on both backends: venues, spaces, office allocations, room bookings
//! (no two bookings of a room overlap, under any concurrency), obligation reports.

mod bookings;
mod obligations;
mod offices;
mod venues;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use shuniu_domain::codes::Uscc;
use shuniu_domain::jurisdiction::JurisdictionCode;
use shuniu_domain::parks::{
    AllocationRequest, Booking, BookingRequest, BookingStatus, ObligationReportData, Quarter,
    SpaceData, SpaceKind, VenueData, shanghai,
};
use shuniu_domain::registry::{OrganizationData, OrganizationDraft, StatusChange};
use shuniu_store::{AuditFilter, Store, StoreError, both_backends};
use uuid::Uuid;

use shuniu_store::testing::MEIYUAN;
const SUOJIN: &str = "320102007000";
const QINHUAI: &str = "320104";
const SLOT: u32 = 30;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn org(n: u32, name: &str) -> OrganizationData {
    let uscc = Uscc::assemble('5', '2', "320102", &format!("PK{n:06}")).unwrap();
    OrganizationDraft {
        name: Some(name.into()),
        legal_form: Some("social_service_institution".into()),
        uscc: Some(uscc.to_string()),
        domains: Some(vec!["elderly".into()]),
        jurisdiction: Some(MEIYUAN.into()),
        address: Some("梅园新村34号".into()),
        founded_on: Some("2012-01-15".into()),
        legal_representative: Some("李华".into()),
        contact_phone: Some("025-84123456".into()),
        staff_full_time: Some("5".into()),
        stage: Some("growth".into()),
        ..Default::default()
    }
    .validate(today())
    .unwrap()
}

async fn new_org(store: &Store, n: u32, name: &str) -> Uuid {
    store
        .create_organization(&org(n, name), "t")
        .await
        .unwrap()
        .id
}

fn venue_data(name: &str, code: &str) -> VenueData {
    VenueData {
        name: name.into(),
        address: "梅园新村34号".into(),
        jurisdiction: JurisdictionCode::parse(code).unwrap(),
        area_m2: 400,
        owner: "梅园新村街道办事处".into(),
        free_of_charge: true,
        terms: "免费使用三年".into(),
        utilities_waived: true,
        obligation: "服务本地居民".into(),
        obligation_hours_per_quarter: 120,
    }
}

fn space_data(name: &str, kind: SpaceKind) -> SpaceData {
    SpaceData {
        name: name.into(),
        kind,
        capacity: 20,
        area_m2: 40,
    }
}

/// Shanghai local time on a day of March 2031 (well in the future).
fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    shanghai()
        .with_ymd_and_hms(2031, 3, day, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn req(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> BookingRequest {
    BookingRequest {
        starts_at,
        ends_at,
        purpose: "邻里议事会".into(),
        attendees: 12,
    }
}

/// A venue without a hub, one activity room and one office.
async fn park(store: &Store) -> (Uuid, Uuid, Uuid) {
    let v = store
        .create_venue(None, &venue_data("梅园新村服务园", MEIYUAN), "t")
        .await
        .unwrap();
    let room = store
        .add_space(v.id, &space_data("活动室", SpaceKind::ActivityRoom), "t")
        .await
        .unwrap();
    let office = store
        .add_space(v.id, &space_data("101办公室", SpaceKind::Office), "t")
        .await
        .unwrap();
    (v.id, room.id, office.id)
}

async fn audited(store: &Store, action: &str) -> Vec<shuniu_domain::audit::AuditRecord> {
    store
        .audit_page(
            &AuditFilter {
                action: Some(action.into()),
                ..Default::default()
            },
            1,
            500,
        )
        .await
        .unwrap()
        .items
}

async fn chain_is_clean(store: &Store) {
    let report = store.audit_verify().await.unwrap();
    assert!(report.first_break.is_none(), "{report:?}");
    assert!(report.verified > 0);
}

fn is_slot_conflict<T: std::fmt::Debug>(r: &Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::Conflict { field }) if field == "start")
}

use shuniu_store::testing::uuid_literal;
