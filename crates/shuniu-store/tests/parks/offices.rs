//! Office allocations.

use super::*;

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
