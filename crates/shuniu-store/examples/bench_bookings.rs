//! Booking throughput under contention, and a check that no two bookings overlap.
//!
//! `cargo run --release -p shuniu-store --example bench_bookings -- [sqlite|postgres] [bookings] [tasks]`
//! (Postgres: a fresh schema on `SHUNIU_TEST_POSTGRES_URL`, as the tests use.)

use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use shuniu_domain::codes::Uscc;
use shuniu_domain::jurisdiction::JurisdictionCode;
use shuniu_domain::parks::{BookingRequest, SpaceData, SpaceKind, VenueData, shanghai};
use shuniu_domain::registry::OrganizationDraft;
use shuniu_store::StoreError;
use shuniu_store::testing::{TestBackend, fresh_store};

const ROOMS: u64 = 8;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let backend = match args.get(1).map(String::as_str) {
        Some("postgres") => TestBackend::Postgres,
        _ => TestBackend::Sqlite,
    };
    let total: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let tasks: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(16);
    let store = fresh_store(backend).await;

    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let org = OrganizationDraft {
        name: Some("基准测试机构".into()),
        legal_form: Some("social_service_institution".into()),
        uscc: Some(
            Uscc::assemble('5', '2', "320102", "BN000001")
                .unwrap()
                .to_string(),
        ),
        domains: Some(vec!["elderly".into()]),
        jurisdiction: Some("320102002000".into()),
        address: Some("梅园新村34号".into()),
        founded_on: Some("2012-01-15".into()),
        legal_representative: Some("李华".into()),
        stage: Some("growth".into()),
        ..Default::default()
    }
    .validate(today)
    .expect("valid organization");
    let org = store.create_organization(&org, "bench").await.unwrap().id;
    let venue = store
        .create_venue(
            None,
            &VenueData {
                name: "基准服务园".into(),
                address: "梅园新村34号".into(),
                jurisdiction: JurisdictionCode::parse("320102002000").unwrap(),
                area_m2: 400,
                owner: "街道".into(),
                free_of_charge: true,
                terms: String::new(),
                utilities_waived: true,
                obligation: String::new(),
                obligation_hours_per_quarter: 0,
            },
            "bench",
        )
        .await
        .unwrap();
    let mut rooms = Vec::new();
    for r in 0..ROOMS {
        let data = SpaceData {
            name: format!("Room {r}"),
            kind: SpaceKind::MeetingRoom,
            capacity: 30,
            area_m2: 40,
        };
        rooms.push(store.add_space(venue.id, &data, "bench").await.unwrap().id);
    }

    // Deterministic pseudo-random requests: many collide on purpose.
    let slot = |n: u64| -> (usize, DateTime<Utc>, DateTime<Utc>) {
        let x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 16;
        let room = (x % ROOMS) as usize;
        let day = 1 + (x / ROOMS) % 28;
        let half_hour = 16 + (x / (ROOMS * 28)) % 24; // 08:00–19:30
        let len = 1 + (x / (ROOMS * 28 * 24)) % 4;
        let start = shanghai()
            .with_ymd_and_hms(2031, 3, day as u32, 0, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
            + Duration::minutes(30 * half_hour as i64);
        (room, start, start + Duration::minutes(30 * len as i64))
    };

    let began = Instant::now();
    let mut handles = Vec::new();
    for t in 0..tasks {
        let store = store.clone();
        let rooms = rooms.clone();
        handles.push(tokio::spawn(async move {
            let (mut ok, mut conflicts) = (0u64, 0u64);
            let mut n = t;
            while n < total {
                let (room, s, e) = slot(n);
                let req = BookingRequest {
                    starts_at: s,
                    ends_at: e,
                    purpose: "bench".into(),
                    attendees: 5,
                };
                match store.book_space(rooms[room], org, &req, 30, "bench").await {
                    Ok(_) => ok += 1,
                    Err(StoreError::Conflict { .. }) => conflicts += 1,
                    Err(e) => panic!("booking failed: {e}"),
                }
                n += tasks;
            }
            (ok, conflicts)
        }));
    }
    let (mut ok, mut conflicts) = (0, 0);
    for h in handles {
        let (a, b) = h.await.unwrap();
        ok += a;
        conflicts += b;
    }
    let secs = began.elapsed().as_secs_f64();
    println!(
        "{}: {total} requests by {tasks} tasks in {secs:.2}s ({:.0}/s): {ok} booked, {conflicts} conflicts",
        store.backend_name(),
        total as f64 / secs
    );

    // The invariant, checked from the calendar: no two confirmed bookings overlap.
    let from = shanghai()
        .with_ymd_and_hms(2031, 3, 1, 0, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let mut seen = 0;
    for room in &rooms {
        let cal = store
            .bookings_between(*room, from, from + Duration::days(31))
            .await
            .unwrap();
        for w in cal.windows(2) {
            assert!(w[0].ends_at <= w[1].starts_at, "overlap: {w:?}");
        }
        seen += cal.len() as u64;
    }
    assert_eq!(seen, ok);
    let report = store.audit_verify().await.unwrap();
    assert!(report.first_break.is_none());
    println!(
        "no overlaps among {seen} bookings; audit chain of {} records verifies",
        report.verified
    );
}
