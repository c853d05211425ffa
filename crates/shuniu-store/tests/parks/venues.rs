//! Venues and their spaces.

use super::*;

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
