//! Service parks on both backends: venues, spaces, office allocations, room bookings
//! (no two bookings of a room overlap, under any concurrency), obligation reports.

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

const MEIYUAN: &str = "320102002000";
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

fn uuid_literal(store: &Store, id: Uuid) -> String {
    match store.backend_name() {
        "postgres" => format!("'{id}'"),
        _ => format!("X'{}'", id.simple()),
    }
}

both_backends!(venues_create_update_get_list, |store: Store| async move {
    let meiyuan = store.jurisdiction(MEIYUAN).await.unwrap().unwrap();
    let xuanwu = store.jurisdiction("320102").await.unwrap().unwrap();
    let a = store
        .create_venue(None, &venue_data("C 丙服务园", MEIYUAN), "t")
        .await
        .unwrap();
    assert_eq!(a.jurisdiction_path, meiyuan.path);
    assert_eq!(a.hub_id, None);
    assert_eq!(store.venue(a.id).await.unwrap().unwrap(), a);
    for name in ["A 甲服务园", "B 乙服务园"] {
        store
            .create_venue(None, &venue_data(name, MEIYUAN), "t")
            .await
            .unwrap();
    }
    store
        .create_venue(None, &venue_data("锁金村工作站", SUOJIN), "t")
        .await
        .unwrap();
    store
        .create_venue(None, &venue_data("秦淮服务园", QINHUAI), "t")
        .await
        .unwrap();

    // A hub-run venue carries the hub's organization (hub row inserted directly).
    let hub_org = new_org(&store, 1, "梅园新村社会组织促进会").await;
    let hub_id = Uuid::now_v7();
    store
        .execute_raw_for_tests(&format!(
            "INSERT INTO hubs (id, shard_key, organization_id, kind, level, jurisdiction_code, jurisdiction_path, \
             base_body, fields_mask, recognizing_body, document_number, recognized_on, functions_mask, status, \
             created_at, updated_at) VALUES ({}, '320102', {}, 'regional', 'street', '{MEIYUAN}', '{}', \
             '街道', 1, '玄武区民政局', '玄民〔2026〕1号', '2026-01-01', 1, 'recognized', \
             '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
            uuid_literal(&store, hub_id),
            uuid_literal(&store, hub_org),
            meiyuan.path
        ))
        .await
        .unwrap();
    let run = store
        .create_venue(Some(hub_id), &venue_data("D 丁服务园", MEIYUAN), "t")
        .await
        .unwrap();
    assert_eq!(run.hub_organization_id, Some(hub_org));
    let read = store.venue(run.id).await.unwrap().unwrap();
    assert_eq!(read.hub_id, Some(hub_id));
    assert_eq!(read.hub_organization_id, Some(hub_org));
    let by_hub = store.list_venues(None, Some(hub_id), 1, 10).await.unwrap();
    assert_eq!(by_hub.total, 1);
    assert_eq!(by_hub.items[0].id, run.id);

    // Subtree filter and paging, by name.
    let street = store
        .list_venues(Some(&meiyuan.path), None, 1, 10)
        .await
        .unwrap();
    assert_eq!(street.total, 4);
    let names: Vec<_> = street.items.iter().map(|v| v.data.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let p1 = store
        .list_venues(Some(&xuanwu.path), None, 1, 3)
        .await
        .unwrap();
    let p2 = store
        .list_venues(Some(&xuanwu.path), None, 2, 3)
        .await
        .unwrap();
    assert_eq!((p1.total, p1.items.len(), p2.items.len()), (5, 3, 2));
    assert_eq!(p1.pages(), 2);
    assert!(p2.items.iter().all(|v| !p1.items.contains(v)));
    assert!(
        p1.items
            .iter()
            .chain(&p2.items)
            .all(|v| v.jurisdiction_path.starts_with(&xuanwu.path))
    );
    assert_eq!(store.list_venues(None, None, 1, 50).await.unwrap().total, 6);

    // Update: moves with its jurisdiction, keeps its hub.
    let mut moved = venue_data("丁服务园（新址）", SUOJIN);
    moved.obligation_hours_per_quarter = 200;
    let updated = store.update_venue(run.id, &moved, "t").await.unwrap();
    assert_eq!(updated.data, moved);
    assert_eq!(updated.hub_organization_id, Some(hub_org));
    let read = store.venue(run.id).await.unwrap().unwrap();
    assert_eq!(read, updated);
    assert!(read.jurisdiction_path.ends_with(&format!("{SUOJIN}/")));
    assert_eq!(
        store
            .list_venues(Some(&meiyuan.path), None, 1, 10)
            .await
            .unwrap()
            .total,
        3
    );

    // Refusals.
    match store
        .create_venue(None, &venue_data("无名", "320102099000"), "t")
        .await
    {
        Err(StoreError::Invalid(e)) => assert!(e.get("jurisdiction").is_some()),
        other => panic!("expected Invalid(jurisdiction), got {other:?}"),
    }
    assert!(matches!(
        store
            .create_venue(Some(Uuid::now_v7()), &venue_data("无名", MEIYUAN), "t")
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.update_venue(Uuid::now_v7(), &moved, "t").await,
        Err(StoreError::NotFound)
    ));
    assert!(store.venue(Uuid::now_v7()).await.unwrap().is_none());

    let creates = audited(&store, "venue.create").await;
    assert_eq!(creates.len(), 6);
    assert!(
        creates
            .iter()
            .any(|r| r.event.object == format!("venue:{}", run.id)
                && r.event.jurisdiction_path.as_deref() == Some(meiyuan.path.as_str()))
    );
    let updates = audited(&store, "venue.update").await;
    assert_eq!(updates.len(), 1);
    assert!(
        updates[0]
            .event
            .details
            .contains("obligation_hours_per_quarter")
    );
    assert!(
        updates[0]
            .event
            .jurisdiction_path
            .as_deref()
            .unwrap()
            .ends_with(&format!("{SUOJIN}/"))
    );
    chain_is_clean(&store).await;
});

both_backends!(spaces_and_kind_changes, |store: Store| async move {
    let v = store
        .create_venue(None, &venue_data("梅园新村服务园", MEIYUAN), "t")
        .await
        .unwrap();
    let meeting = store
        .add_space(v.id, &space_data("B 会议室", SpaceKind::MeetingRoom), "t")
        .await
        .unwrap();
    let activity = store
        .add_space(v.id, &space_data("A 活动室", SpaceKind::ActivityRoom), "t")
        .await
        .unwrap();
    let office_b = store
        .add_space(v.id, &space_data("102 办公室", SpaceKind::Office), "t")
        .await
        .unwrap();
    let office_a = store
        .add_space(v.id, &space_data("101 办公室", SpaceKind::Office), "t")
        .await
        .unwrap();
    let order: Vec<Uuid> = store
        .spaces_of(v.id)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    // Offices first, then by name.
    assert_eq!(
        order,
        vec![office_a.id, office_b.id, activity.id, meeting.id]
    );
    assert_eq!(store.space(meeting.id).await.unwrap().unwrap(), meeting);
    assert!(matches!(
        store
            .add_space(Uuid::now_v7(), &space_data("x", SpaceKind::Office), "t")
            .await,
        Err(StoreError::NotFound)
    ));

    // Renaming is fine; a room with a future booking cannot become an office.
    let mut renamed = meeting.data.clone();
    renamed.name = "大会议室".into();
    renamed.capacity = 40;
    let up = store.update_space(meeting.id, &renamed, "t").await.unwrap();
    assert_eq!(store.space(meeting.id).await.unwrap().unwrap(), up);
    let o = new_org(&store, 1, "甲机构").await;
    let b = store
        .book_space(meeting.id, o, &req(at(3, 10, 0), at(3, 11, 0)), SLOT, "t")
        .await
        .unwrap();
    let mut as_office = renamed.clone();
    as_office.kind = SpaceKind::Office;
    assert!(matches!(
        store.update_space(meeting.id, &as_office, "t").await,
        Err(StoreError::State(_))
    ));
    store.cancel_booking(b.id, "t").await.unwrap();
    let now_office = store
        .update_space(meeting.id, &as_office, "t")
        .await
        .unwrap();
    assert_eq!(now_office.data.kind, SpaceKind::Office);

    // An allocated office cannot become a room until the allocation has ended.
    let alloc = store
        .allocate_office(
            office_a.id,
            &AllocationRequest {
                organization_id: o,
                starts_on: d(2026, 1, 1),
                ends_on: d(2035, 12, 31),
            },
            "t",
        )
        .await
        .unwrap();
    let mut as_room = office_a.data.clone();
    as_room.kind = SpaceKind::MeetingRoom;
    assert!(matches!(
        store.update_space(office_a.id, &as_room, "t").await,
        Err(StoreError::State(_))
    ));
    store
        .end_allocation(alloc.id, d(2026, 1, 31), "t")
        .await
        .unwrap();
    store
        .update_space(office_a.id, &as_room, "t")
        .await
        .unwrap();
    assert!(matches!(
        store.update_space(Uuid::now_v7(), &as_room, "t").await,
        Err(StoreError::NotFound)
    ));

    assert_eq!(audited(&store, "space.create").await.len(), 4);
    let updates = audited(&store, "space.update").await;
    assert_eq!(updates.len(), 3);
    assert!(updates.iter().all(|r| r.event.object.starts_with("space:")
        && r.event.jurisdiction_path.as_deref() == Some(v.jurisdiction_path.as_str())));
    chain_is_clean(&store).await;
});

both_backends!(booking_happy_path_and_calendar, |store: Store| async move {
    let (venue, room, _) = park(&store).await;
    let path = store.venue(venue).await.unwrap().unwrap().jurisdiction_path;
    let o = new_org(&store, 1, "甲机构").await;
    let b = store
        .book_space(room, o, &req(at(3, 9, 0), at(3, 10, 30)), SLOT, "alice")
        .await
        .unwrap();
    let year = shuniu_store::now().with_timezone(&shanghai()).year();
    assert_eq!(b.number, format!("BK-{year}-000001"));
    assert_eq!(b.status, BookingStatus::Confirmed);
    assert_eq!(b.organization_name, "甲机构");
    assert_eq!(b.booked_by, "alice");
    assert_eq!(store.booking(b.id).await.unwrap().unwrap(), b);
    let (n, slots) = store.booking_rows_for_tests(room).await.unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        slots,
        vec![
            (at(3, 9, 0), b.id),
            (at(3, 9, 30), b.id),
            (at(3, 10, 0), b.id)
        ]
    );
    let b2 = store
        .book_space(room, o, &req(at(4, 14, 0), at(4, 15, 0)), SLOT, "alice")
        .await
        .unwrap();
    assert_eq!(b2.number, format!("BK-{year}-000002"));

    // The calendar: what overlaps the window, by start.
    let day3 = store
        .bookings_between(room, at(3, 0, 0), at(4, 0, 0))
        .await
        .unwrap();
    assert_eq!(day3, vec![b.clone()]);
    let both = store
        .bookings_between(room, at(3, 10, 0), at(4, 14, 30))
        .await
        .unwrap();
    assert_eq!(both, vec![b.clone(), b2.clone()]);
    // Touching the window's edges is not overlapping it.
    assert!(
        store
            .bookings_between(room, at(3, 10, 30), at(4, 14, 0))
            .await
            .unwrap()
            .is_empty()
    );

    let mine = store
        .bookings_of_organization(o, at(1, 0, 0), 1, 1)
        .await
        .unwrap();
    assert_eq!((mine.total, mine.items.clone()), (2, vec![b.clone()]));
    let page2 = store
        .bookings_of_organization(o, at(1, 0, 0), 2, 1)
        .await
        .unwrap();
    assert_eq!(page2.items, vec![b2.clone()]);
    let later = store
        .bookings_of_organization(o, at(3, 10, 30), 1, 10)
        .await
        .unwrap();
    assert_eq!(later.items, vec![b2.clone()]);

    let created = audited(&store, "booking.create").await;
    assert_eq!(created.len(), 2);
    assert!(
        created
            .iter()
            .any(|r| r.event.object == format!("booking:{}", b.id)
                && r.event.actor == "alice"
                && r.event.jurisdiction_path.as_deref() == Some(path.as_str())
                && r.event.details.contains(&b.number))
    );
    chain_is_clean(&store).await;
});

both_backends!(adjacent_bookings_both_succeed, |store: Store| async move {
    let (_, room, _) = park(&store).await;
    let o = new_org(&store, 1, "甲机构").await;
    let a = store
        .book_space(room, o, &req(at(5, 10, 0), at(5, 11, 0)), SLOT, "t")
        .await
        .unwrap();
    let b = store
        .book_space(room, o, &req(at(5, 11, 0), at(5, 12, 0)), SLOT, "t")
        .await
        .unwrap();
    let c = store
        .book_space(room, o, &req(at(5, 9, 0), at(5, 10, 0)), SLOT, "t")
        .await
        .unwrap();
    assert_ne!(a.number, b.number);
    let cal = store
        .bookings_between(room, at(5, 0, 0), at(6, 0, 0))
        .await
        .unwrap();
    assert_eq!(cal, vec![c, a, b]);
    let (n, slots) = store.booking_rows_for_tests(room).await.unwrap();
    assert_eq!((n, slots.len()), (3, 6));
    chain_is_clean(&store).await;
});

both_backends!(
    overlapping_booking_is_refused_and_leaves_nothing,
    |store: Store| async move {
        let (_, room, office) = park(&store).await;
        let o = new_org(&store, 1, "甲机构").await;
        let other = new_org(&store, 2, "乙机构").await;
        let first = store
            .book_space(room, o, &req(at(6, 10, 0), at(6, 12, 0)), SLOT, "t")
            .await
            .unwrap();
        let before = store.booking_rows_for_tests(room).await.unwrap();
        let audit_before = store.audit_verify().await.unwrap().verified;
        for (s, e) in [
            (at(6, 10, 0), at(6, 12, 0)),
            (at(6, 9, 0), at(6, 10, 30)),
            (at(6, 11, 30), at(6, 13, 0)),
            (at(6, 10, 30), at(6, 11, 0)),
            (at(6, 8, 0), at(6, 14, 0)),
        ] {
            let r = store.book_space(room, other, &req(s, e), SLOT, "t").await;
            assert!(is_slot_conflict(&r), "{s}–{e}: {r:?}");
        }
        assert_eq!(store.booking_rows_for_tests(room).await.unwrap(), before);
        assert_eq!(before.0, 1);
        assert_eq!(
            store
                .bookings_of_organization(other, at(1, 0, 0), 1, 10)
                .await
                .unwrap()
                .total,
            0
        );
        assert_eq!(store.audit_verify().await.unwrap().verified, audit_before);

        // Another room is free at the same time; an office is not bookable at all.
        let v = store.space(room).await.unwrap().unwrap().venue_id;
        let room2 = store
            .add_space(v, &space_data("会议室", SpaceKind::MeetingRoom), "t")
            .await
            .unwrap();
        store
            .book_space(room2.id, other, &req(at(6, 10, 0), at(6, 12, 0)), SLOT, "t")
            .await
            .unwrap();
        assert!(matches!(
            store
                .book_space(office, o, &req(at(6, 10, 0), at(6, 11, 0)), SLOT, "t")
                .await,
            Err(StoreError::State(_))
        ));
        assert_eq!(
            store.booking_rows_for_tests(office).await.unwrap(),
            (0, vec![])
        );

        // Unknown room, unknown or deregistered organization, slots off the grid.
        assert!(matches!(
            store
                .book_space(
                    Uuid::now_v7(),
                    o,
                    &req(at(7, 10, 0), at(7, 11, 0)),
                    SLOT,
                    "t"
                )
                .await,
            Err(StoreError::NotFound)
        ));
        match store
            .book_space(
                room,
                Uuid::now_v7(),
                &req(at(7, 10, 0), at(7, 11, 0)),
                SLOT,
                "t",
            )
            .await
        {
            Err(StoreError::Invalid(e)) => assert!(e.get("organization_id").is_some()),
            r => panic!("expected Invalid(organization_id), got {r:?}"),
        }
        let gone = new_org(&store, 3, "丙机构").await;
        store
            .change_status(
                gone,
                &StatusChange::parse(Some("deregistered"), Some("解散"), None, today()).unwrap(),
                "t",
            )
            .await
            .unwrap();
        match store
            .book_space(room, gone, &req(at(7, 10, 0), at(7, 11, 0)), SLOT, "t")
            .await
        {
            Err(StoreError::Invalid(e)) => assert!(e.get("organization_id").is_some()),
            r => panic!("expected Invalid(organization_id), got {r:?}"),
        }
        match store
            .book_space(room, o, &req(at(7, 10, 10), at(7, 11, 0)), SLOT, "t")
            .await
        {
            Err(StoreError::Invalid(e)) => assert!(e.get("start").is_some()),
            r => panic!("expected Invalid(start), got {r:?}"),
        }
        // A booking of 30-minute slots still blocks an hour-slot booking over it.
        store
            .book_space(room, o, &req(at(8, 10, 30), at(8, 11, 0)), SLOT, "t")
            .await
            .unwrap();
        let r = store
            .book_space(room, other, &req(at(8, 10, 0), at(8, 11, 0)), 60, "t")
            .await;
        assert!(is_slot_conflict(&r), "{r:?}");
        assert_eq!(store.booking(first.id).await.unwrap().unwrap(), first);
        chain_is_clean(&store).await;
    }
);

both_backends!(the_slot_key_is_the_guarantee, |store: Store| async move {
    // Hide a booking from the friendly pre-check (its status says cancelled but its
    // slots are still claimed): the primary key alone must refuse the overlap.
    let (_, room, _) = park(&store).await;
    let o = new_org(&store, 1, "甲机构").await;
    let hidden = store
        .book_space(room, o, &req(at(9, 14, 0), at(9, 15, 0)), SLOT, "t")
        .await
        .unwrap();
    store
        .execute_raw_for_tests(&format!(
            "UPDATE bookings SET status = 'cancelled' WHERE number = '{}'",
            hidden.number
        ))
        .await
        .unwrap();
    let before = store.booking_rows_for_tests(room).await.unwrap();
    let audit_before = store.audit_verify().await.unwrap().verified;
    let r = store
        .book_space(room, o, &req(at(9, 14, 30), at(9, 16, 0)), SLOT, "t")
        .await;
    assert!(is_slot_conflict(&r), "{r:?}");
    assert_eq!(store.booking_rows_for_tests(room).await.unwrap(), before);
    assert_eq!(store.audit_verify().await.unwrap().verified, audit_before);
    // The number was not used up either: the next booking takes it.
    let next = store
        .book_space(room, o, &req(at(9, 15, 0), at(9, 16, 0)), SLOT, "t")
        .await
        .unwrap();
    assert!(next.number.ends_with("-000002"), "{}", next.number);
});

both_backends!(cancelling_frees_the_slot, |store: Store| async move {
    let (venue, room, _) = park(&store).await;
    let path = store.venue(venue).await.unwrap().unwrap().jurisdiction_path;
    let o = new_org(&store, 1, "甲机构").await;
    let other = new_org(&store, 2, "乙机构").await;
    let b = store
        .book_space(room, o, &req(at(10, 10, 0), at(10, 11, 0)), SLOT, "t")
        .await
        .unwrap();
    let r = store
        .book_space(room, other, &req(at(10, 10, 0), at(10, 11, 0)), SLOT, "t")
        .await;
    assert!(is_slot_conflict(&r));
    let cancelled = store.cancel_booking(b.id, "bob").await.unwrap();
    assert_eq!(cancelled.status, BookingStatus::Cancelled);
    assert_eq!(
        store.booking(b.id).await.unwrap().unwrap().status,
        BookingStatus::Cancelled
    );
    assert!(
        store
            .bookings_between(room, at(10, 0, 0), at(11, 0, 0))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        store.cancel_booking(b.id, "bob").await,
        Err(StoreError::State(_))
    ));
    assert!(matches!(
        store.cancel_booking(Uuid::now_v7(), "bob").await,
        Err(StoreError::NotFound)
    ));
    let again = store
        .book_space(room, other, &req(at(10, 10, 0), at(10, 11, 0)), SLOT, "t")
        .await
        .unwrap();
    let (n, slots) = store.booking_rows_for_tests(room).await.unwrap();
    assert_eq!(n, 2);
    assert_eq!(
        slots,
        vec![(at(10, 10, 0), again.id), (at(10, 10, 30), again.id)]
    );
    let cal: Vec<Booking> = store
        .bookings_between(room, at(10, 0, 0), at(11, 0, 0))
        .await
        .unwrap();
    assert_eq!(cal, vec![again]);
    let cancels = audited(&store, "booking.cancel").await;
    assert_eq!(cancels.len(), 1);
    assert_eq!(cancels[0].event.object, format!("booking:{}", b.id));
    assert_eq!(cancels[0].event.actor, "bob");
    assert_eq!(
        cancels[0].event.jurisdiction_path.as_deref(),
        Some(path.as_str())
    );
    chain_is_clean(&store).await;
});

both_backends!(
    concurrent_overlapping_bookings_one_wins,
    |store: Store| async move {
        let (_, room, _) = park(&store).await;
        let orgs = [
            new_org(&store, 1, "甲机构").await,
            new_org(&store, 2, "乙机构").await,
        ];
        // Every interval covers 14:00–15:00, each with its own start and end.
        let mut tasks = Vec::new();
        for i in 0..16u32 {
            let store = store.clone();
            let org = orgs[(i % 2) as usize];
            let start = at(12, 14, 0) - Duration::minutes(30 * i64::from(i % 8));
            let end = at(12, 15, 0) + Duration::minutes(30 * i64::from(i / 8));
            tasks.push(tokio::spawn(async move {
                store
                    .book_space(room, org, &req(start, end), SLOT, format!("u{i}").as_str())
                    .await
            }));
        }
        let mut won = Vec::new();
        for t in tasks {
            match t.await.unwrap() {
                Ok(b) => won.push(b),
                r => assert!(is_slot_conflict(&r), "{r:?}"),
            }
        }
        assert_eq!(won.len(), 1, "exactly one booking wins: {won:?}");
        let w = &won[0];
        let (n, slots) = store.booking_rows_for_tests(room).await.unwrap();
        assert_eq!(n, 1);
        let expected: Vec<_> = shuniu_domain::parks::slots(w.starts_at, w.ends_at, SLOT)
            .into_iter()
            .map(|s| (s, w.id))
            .collect();
        assert_eq!(slots, expected);
        assert!(w.number.ends_with("-000001"), "{}", w.number);
        assert_eq!(audited(&store, "booking.create").await.len(), 1);
        chain_is_clean(&store).await;
    }
);

both_backends!(
    concurrent_disjoint_bookings_all_succeed,
    |store: Store| async move {
        let (_, room, _) = park(&store).await;
        let o = new_org(&store, 1, "甲机构").await;
        let mut tasks = Vec::new();
        for i in 0..16i64 {
            let store = store.clone();
            let start = at(13, 8, 0) + Duration::minutes(30 * i);
            tasks.push(tokio::spawn(async move {
                store
                    .book_space(
                        room,
                        o,
                        &req(start, start + Duration::minutes(30)),
                        SLOT,
                        "t",
                    )
                    .await
            }));
        }
        let mut numbers = Vec::new();
        for t in tasks {
            numbers.push(t.await.unwrap().unwrap().number);
        }
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), 16);
        let year = shuniu_store::now().with_timezone(&shanghai()).year();
        let expected: Vec<String> = (1..=16).map(|k| format!("BK-{year}-{k:06}")).collect();
        assert_eq!(numbers, expected, "numbers are distinct and gapless");
        let (n, slots) = store.booking_rows_for_tests(room).await.unwrap();
        assert_eq!((n, slots.len()), (16, 16));
        assert_eq!(
            store
                .bookings_between(room, at(13, 0, 0), at(14, 0, 0))
                .await
                .unwrap()
                .len(),
            16
        );
        assert_eq!(audited(&store, "booking.create").await.len(), 16);
        chain_is_clean(&store).await;
    }
);

both_backends!(office_allocations, |store: Store| async move {
    let (venue, room, office) = park(&store).await;
    let path = store.venue(venue).await.unwrap().unwrap().jurisdiction_path;
    let a = new_org(&store, 1, "甲机构").await;
    let b = new_org(&store, 2, "乙机构").await;
    let alloc = |o: Uuid, s: NaiveDate, e: NaiveDate| AllocationRequest {
        organization_id: o,
        starts_on: s,
        ends_on: e,
    };
    let first = store
        .allocate_office(office, &alloc(a, d(2026, 1, 1), d(2026, 12, 31)), "t")
        .await
        .unwrap();
    assert_eq!(first.organization_name, "甲机构");
    assert_eq!(first.ended_early_on, None);
    for (s, e) in [
        (d(2026, 12, 31), d(2027, 6, 30)),
        (d(2025, 1, 1), d(2026, 1, 1)),
        (d(2026, 3, 1), d(2026, 3, 31)),
        (d(2025, 1, 1), d(2028, 1, 1)),
    ] {
        match store.allocate_office(office, &alloc(b, s, e), "t").await {
            Err(StoreError::Conflict { field }) => assert_eq!(field, "starts_on"),
            r => panic!("{s}–{e}: expected a conflict, got {r:?}"),
        }
    }
    let next = store
        .allocate_office(office, &alloc(b, d(2027, 1, 1), d(2027, 12, 31)), "t")
        .await
        .unwrap();

    // Ending early frees the rest of the period.
    match store.end_allocation(first.id, d(2025, 12, 31), "t").await {
        Err(StoreError::Invalid(e)) => assert!(e.get("ended_on").is_some()),
        r => panic!("expected Invalid(ended_on), got {r:?}"),
    }
    match store.end_allocation(first.id, d(2027, 3, 1), "t").await {
        Err(StoreError::Invalid(e)) => assert!(e.get("ended_on").is_some()),
        r => panic!("expected Invalid(ended_on), got {r:?}"),
    }
    let ended = store
        .end_allocation(first.id, d(2026, 6, 30), "t")
        .await
        .unwrap();
    assert_eq!(ended.ended_early_on, Some(d(2026, 6, 30)));
    assert!(matches!(
        store.end_allocation(first.id, d(2026, 5, 31), "t").await,
        Err(StoreError::State(_))
    ));
    assert!(matches!(
        store
            .allocate_office(office, &alloc(b, d(2026, 6, 30), d(2026, 8, 31)), "t")
            .await,
        Err(StoreError::Conflict { .. })
    ));
    let third = store
        .allocate_office(office, &alloc(b, d(2026, 7, 1), d(2026, 12, 31)), "t")
        .await
        .unwrap();

    let current = store
        .allocations_of_venue(venue, d(2026, 7, 15))
        .await
        .unwrap();
    assert_eq!(current, vec![third.clone(), next.clone()]);
    let all = store
        .allocations_of_venue(venue, d(2026, 6, 30))
        .await
        .unwrap();
    assert_eq!(all, vec![ended.clone(), third, next]);

    // Refusals: a room, an unknown office, unknown or deregistered organization,
    // an end before the start.
    assert!(matches!(
        store
            .allocate_office(room, &alloc(a, d(2030, 1, 1), d(2030, 2, 1)), "t")
            .await,
        Err(StoreError::State(_))
    ));
    assert!(matches!(
        store
            .allocate_office(Uuid::now_v7(), &alloc(a, d(2030, 1, 1), d(2030, 2, 1)), "t")
            .await,
        Err(StoreError::NotFound)
    ));
    match store
        .allocate_office(
            office,
            &alloc(Uuid::now_v7(), d(2030, 1, 1), d(2030, 2, 1)),
            "t",
        )
        .await
    {
        Err(StoreError::Invalid(e)) => assert!(e.get("organization_id").is_some()),
        r => panic!("expected Invalid(organization_id), got {r:?}"),
    }
    store
        .change_status(
            a,
            &StatusChange::parse(Some("deregistered"), Some("解散"), None, today()).unwrap(),
            "t",
        )
        .await
        .unwrap();
    match store
        .allocate_office(office, &alloc(a, d(2030, 1, 1), d(2030, 2, 1)), "t")
        .await
    {
        Err(StoreError::Invalid(e)) => assert!(e.get("organization_id").is_some()),
        r => panic!("expected Invalid(organization_id), got {r:?}"),
    }
    match store
        .allocate_office(office, &alloc(b, d(2030, 2, 1), d(2030, 1, 1)), "t")
        .await
    {
        Err(StoreError::Invalid(e)) => assert!(e.get("ends_on").is_some()),
        r => panic!("expected Invalid(ends_on), got {r:?}"),
    }

    let allocs = audited(&store, "office.allocate").await;
    assert_eq!(allocs.len(), 3);
    assert!(
        allocs
            .iter()
            .all(|r| r.event.object.starts_with("allocation:")
                && r.event.jurisdiction_path.as_deref() == Some(path.as_str()))
    );
    let ends = audited(&store, "office.end").await;
    assert_eq!(ends.len(), 1);
    assert_eq!(ends[0].event.object, format!("allocation:{}", first.id));
    chain_is_clean(&store).await;
});

both_backends!(
    concurrent_overlapping_allocations_one_wins,
    |store: Store| async move {
        let (venue, _, office) = park(&store).await;
        let mut orgs = Vec::new();
        for i in 0..8u32 {
            orgs.push(new_org(&store, 10 + i, &format!("机构{i}")).await);
        }
        let mut tasks = Vec::new();
        for (i, o) in orgs.iter().copied().enumerate() {
            let store = store.clone();
            // Each period contains all of June 2027.
            let req = AllocationRequest {
                organization_id: o,
                starts_on: d(2027, 6 - (i as u32 % 4), 1),
                ends_on: d(2027, 6 + (i as u32 / 4), 30),
            };
            tasks.push(tokio::spawn(async move {
                store.allocate_office(office, &req, "t").await
            }));
        }
        let mut won = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => won += 1,
                Err(StoreError::Conflict { field }) => assert_eq!(field, "starts_on"),
                Err(e) => panic!("{e:?}"),
            }
        }
        assert_eq!(won, 1);
        assert_eq!(
            store
                .allocations_of_venue(venue, d(2020, 1, 1))
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(audited(&store, "office.allocate").await.len(), 1);
        chain_is_clean(&store).await;
    }
);

both_backends!(
    obligation_reports_and_summaries,
    |store: Store| async move {
        let (venue, _, _) = park(&store).await;
        let a = new_org(&store, 1, "甲机构").await;
        let b = new_org(&store, 2, "乙机构").await;
        let q3 = Quarter {
            year: 2026,
            quarter: 3,
        };
        let q4 = Quarter {
            year: 2026,
            quarter: 4,
        };
        let q1 = Quarter {
            year: 2027,
            quarter: 1,
        };
        let report = |o: Uuid, q: Quarter, hours: u32, served: u32| ObligationReportData {
            organization_id: o,
            quarter: q,
            service_hours: hours,
            residents_served: served,
            note: format!("{q} 社区服务"),
        };
        let first = store
            .report_obligation(venue, &report(a, q3, 50, 200), "alice")
            .await
            .unwrap();
        assert_eq!(first.organization_name, "甲机构");
        assert_eq!(first.reported_by, "alice");
        // Reporting the same quarter again replaces the report (and keeps its id).
        let replaced = store
            .report_obligation(venue, &report(a, q3, 70, 260), "bob")
            .await
            .unwrap();
        assert_eq!(replaced.id, first.id);
        store
            .report_obligation(venue, &report(b, q3, 40, 100), "t")
            .await
            .unwrap();
        store
            .report_obligation(venue, &report(b, q4, 30, 90), "t")
            .await
            .unwrap();
        // Another venue's report does not count here.
        let other = store
            .create_venue(None, &venue_data("锁金村工作站", SUOJIN), "t")
            .await
            .unwrap();
        store
            .report_obligation(other.id, &report(a, q4, 999, 999), "t")
            .await
            .unwrap();

        let sums = store
            .obligation_summaries(venue, &[q3, q1, q4])
            .await
            .unwrap();
        let quarters: Vec<Quarter> = sums.iter().map(|s| s.quarter).collect();
        assert_eq!(quarters, vec![q1, q4, q3]);
        assert!(sums.iter().all(|s| s.target_hours == 120));
        assert_eq!(
            sums.iter()
                .map(|s| (s.delivered_hours, s.residents_served, s.reports.len()))
                .collect::<Vec<_>>(),
            vec![(0, 0, 0), (30, 90, 1), (110, 360, 2)]
        );
        let q3_reports = &sums[2].reports;
        let mine = q3_reports
            .iter()
            .find(|r| r.data.organization_id == a)
            .unwrap();
        assert_eq!(mine.data, report(a, q3, 70, 260));
        assert_eq!(mine.reported_by, "bob");

        match store
            .report_obligation(venue, &report(Uuid::now_v7(), q3, 1, 1), "t")
            .await
        {
            Err(StoreError::Invalid(e)) => assert!(e.get("organization_id").is_some()),
            r => panic!("expected Invalid(organization_id), got {r:?}"),
        }
        assert!(matches!(
            store
                .report_obligation(Uuid::now_v7(), &report(a, q3, 1, 1), "t")
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(
            store
                .obligation_summaries(venue, &[])
                .await
                .unwrap()
                .is_empty()
        );
        let audits = audited(&store, "obligation.report").await;
        assert_eq!(audits.len(), 5);
        assert!(
            audits
                .iter()
                .filter(|r| r.event.object == format!("venue:{venue}"))
                .count()
                == 4
        );
        chain_is_clean(&store).await;
    }
);
