//! Room bookings: no two bookings of a room overlap, under any concurrency.

use super::*;
use shuniu_store::At;

both_backends!(
    a_booking_names_the_bookers_display_name,
    |store: Store| async move {
        let (_, room, _) = park(&store).await;
        let o = new_org(&store, 1, "甲机构").await;
        let user = shuniu_store::accounts::NewUser {
            display_name: "王小梅".into(),
            organization_id: Some(o),
            ..shuniu_store::testing::new_user(
                "wang.xm",
                shuniu_domain::access::Role::OrgMember,
                "$argon2id$not-a-hash",
            )
        };
        store.create_user(&user, "test").await.unwrap();
        let b = store
            .book_space(room, o, &req(at(3, 9, 0), at(3, 10, 0)), SLOT, "wang.xm")
            .await
            .unwrap();
        // The account stays the record (audit, API); people read the display name.
        assert_eq!(b.booked_by, "wang.xm");
        assert_eq!(b.booked_by_name.as_deref(), Some("王小梅"));
        assert_eq!(store.booking(b.id).await.unwrap().unwrap(), b);
        let week = store
            .bookings_between(room, at(3, 0, 0), at(4, 0, 0))
            .await
            .unwrap();
        assert_eq!(week, vec![b.clone()]);
        let cancelled = store.cancel_booking(b.id, "wang.xm").await.unwrap();
        assert_eq!(cancelled.booked_by_name.as_deref(), Some("王小梅"));
    }
);

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
    // No account of that name (a system write): no display name, and not the login name.
    assert_eq!(b.booked_by_name, None);
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

    let mine = bookings_numbered(&store, o, at(1, 0, 0), 1, 1).await;
    assert_eq!((mine.total, mine.items.clone()), (2, vec![b.clone()]));
    let page2 = bookings_numbered(&store, o, at(1, 0, 0), 2, 1).await;
    assert_eq!(page2.items, vec![b2.clone()]);
    let later = bookings_numbered(&store, o, at(3, 10, 30), 1, 10).await;
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
            bookings_numbered(&store, other, at(1, 0, 0), 1, 10)
                .await
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
        // Standing is asked again inside the booking's transaction: a suspended
        // organization is refused by the store itself, whatever the caller checked.
        let suspended = new_org(&store, 4, "丁机构").await;
        store
            .change_status(
                suspended,
                &StatusChange::parse(Some("suspended"), Some("未按时年检"), None, today()).unwrap(),
                "t",
            )
            .await
            .unwrap();
        match store
            .book_space(room, suspended, &req(at(7, 10, 0), at(7, 11, 0)), SLOT, "t")
            .await
        {
            Err(StoreError::Invalid(e)) => {
                let msg = e.get("organization_id").expect("names the organization");
                assert!(msg.zh.contains("暂停"), "{msg:?}");
            }
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

/// Page `page` of `organization`'s bookings ending after `from`, `per_page` a page, as a
/// numbered page: the keyset page read at that page's offset.
async fn bookings_numbered(
    store: &Store,
    organization: Uuid,
    from: DateTime<Utc>,
    page: u32,
    per_page: u32,
) -> shuniu_store::Page<Booking> {
    let skip = u64::from(page.max(1) - 1) * u64::from(per_page);
    let p = store
        .bookings_page(organization, from, At::Offset(skip), per_page)
        .await
        .unwrap();
    shuniu_store::Page {
        items: p.items,
        total: p.total.count(),
        page,
        per_page,
    }
}
