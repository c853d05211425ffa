//! Recognitions: recognizing, listing and revoking hubs, and the rules that bind a
//! regional hub to its jurisdiction.

use super::*;

both_backends!(recognize_list_and_revoke, |store: Store| async move {
    let a = org(&store, 1, MEIYUAN).await;
    let b = org(&store, 2, XUANWU).await;
    let hub = store
        .recognize_hub(a, &regional(MEIYUAN), ctx())
        .await
        .unwrap();
    assert_eq!(hub.status, HubStatus::Recognized);
    assert_eq!(hub.organization_name, "枢纽测试组织01");
    assert_eq!(
        hub.jurisdiction_path,
        format!("{XUANWU_PATH}{MEIYUAN}/").as_str()
    );
    assert_eq!(store.hub(hub.id).await.unwrap().unwrap(), hub);
    assert_eq!(store.hub_of_organization(a).await.unwrap().unwrap(), hub);
    assert!(store.hub_of_organization(b).await.unwrap().is_none());
    let ind = store
        .recognize_hub(b, &industry(XUANWU, "玄武区残疾人联合会"), ctx())
        .await
        .unwrap();
    assert_eq!(ind.recognition.kind, HubKind::Industry);

    // Regional first, then industry; filters by subtree and kind.
    let all = store
        .list_hubs(
            &HubFilter {
                path_prefix: Some(XUANWU_PATH.into()),
                ..Default::default()
            },
            1,
            20,
        )
        .await
        .unwrap();
    assert_eq!(all.total, 2);
    assert_eq!(
        all.items.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![hub.id, ind.id]
    );
    let paged = store.list_hubs(&HubFilter::default(), 2, 1).await.unwrap();
    assert_eq!((paged.total, paged.items.len()), (2, 1));
    assert_eq!(paged.items[0].id, ind.id);
    let only_industry = store
        .list_hubs(
            &HubFilter {
                kind: Some(HubKind::Industry),
                ..Default::default()
            },
            1,
            20,
        )
        .await
        .unwrap();
    assert_eq!(only_industry.items.len(), 1);
    assert_eq!(only_industry.items[0].id, ind.id);
    let elsewhere = store
        .list_hubs(
            &HubFilter {
                path_prefix: Some(format!("320000/320100/{QINHUAI}/")),
                ..Default::default()
            },
            1,
            20,
        )
        .await
        .unwrap();
    assert_eq!(elsewhere.total, 0);

    let revoked = store
        .revoke_hub(hub.id, "重组", today(), ctx())
        .await
        .unwrap();
    assert_eq!(revoked.status, HubStatus::Revoked);
    assert_eq!(revoked.revoked_on, Some(today()));
    assert_eq!(store.hub(hub.id).await.unwrap().unwrap(), revoked);
    assert!(store.hub_of_organization(a).await.unwrap().is_none());
    let standing = store.list_hubs(&HubFilter::default(), 1, 20).await.unwrap();
    assert_eq!(standing.total, 1);
    let history = store
        .list_hubs(
            &HubFilter {
                include_revoked: true,
                ..Default::default()
            },
            1,
            20,
        )
        .await
        .unwrap();
    assert_eq!(history.total, 2);
    assert!(matches!(
        store.revoke_hub(hub.id, "again", today(), ctx()).await,
        Err(StoreError::State(_))
    ));
    // The street's place is free again, and the organization may be recognized anew.
    let again = store
        .recognize_hub(a, &regional(MEIYUAN), ctx())
        .await
        .unwrap();
    assert_ne!(again.id, hub.id);

    assert_eq!(audit_count(&store, "hub.recognize").await, 3);
    assert_eq!(audit_count(&store, "hub.revoke").await, 1);
    let v = store.audit_verify().await.unwrap();
    assert!(v.first_break.is_none());
    assert_eq!(v.verified, 2 + 3 + 1);
});

both_backends!(one_regional_hub_per_street, |store: Store| async move {
    let a = org(&store, 1, MEIYUAN).await;
    let b = org(&store, 2, MEIYUAN).await;
    store
        .recognize_hub(a, &regional(MEIYUAN), ctx())
        .await
        .unwrap();
    assert_eq!(
        invalid_field(store.recognize_hub(b, &regional(MEIYUAN), ctx()).await),
        "jurisdiction"
    );
    // An organization holds one standing recognition.
    assert_eq!(
        invalid_field(
            store
                .recognize_hub(a, &industry(XUANWU, "团区委"), ctx())
                .await
        ),
        "organization_id"
    );
    // B may still be an industry hub.
    store
        .recognize_hub(b, &industry(XUANWU, "团区委"), ctx())
        .await
        .unwrap();
    assert!(matches!(
        store
            .recognize_hub(Uuid::now_v7(), &regional(SUOJIN), ctx())
            .await,
        Err(StoreError::NotFound)
    ));
    let mut unknown = regional(SUOJIN);
    unknown.jurisdiction = JurisdictionCode::parse("320102099000").unwrap();
    let c = org(&store, 3, SUOJIN).await;
    assert_eq!(
        invalid_field(store.recognize_hub(c, &unknown, ctx()).await),
        "jurisdiction"
    );
    assert_eq!(audit_count(&store, "hub.recognize").await, 2);
});

both_backends!(
    regional_hub_organization_lies_in_its_jurisdiction,
    |store: Store| async move {
        let suojin_org = org(&store, 1, SUOJIN).await;
        assert_eq!(
            invalid_field(
                store
                    .recognize_hub(suojin_org, &regional(MEIYUAN), ctx())
                    .await
            ),
            "organization_id"
        );
        // A district-level regional hub may be held by an organization of one of its streets.
        let meiyuan_org = org(&store, 2, MEIYUAN).await;
        let hub = store
            .recognize_hub(meiyuan_org, &regional(XUANWU), ctx())
            .await
            .unwrap();
        assert_eq!(hub.jurisdiction_path, XUANWU_PATH);
        // Industry hubs are not bound that way.
        store
            .recognize_hub(suojin_org, &industry(NANJING, "市残联"), ctx())
            .await
            .unwrap();
    }
);

both_backends!(
    revoking_a_hub_ends_its_memberships,
    |store: Store| async move {
        let hub = store
            .recognize_hub(org(&store, 1, MEIYUAN).await, &regional(MEIYUAN), ctx())
            .await
            .unwrap();
        let ind = store
            .recognize_hub(
                org(&store, 2, XUANWU).await,
                &industry(XUANWU, "区残联"),
                ctx(),
            )
            .await
            .unwrap();
        let m1 = org(&store, 3, MEIYUAN).await;
        let m2 = org(&store, 4, MEIYUAN).await;
        let m3 = org(&store, 5, MEIYUAN).await;
        let a1 = store
            .add_member(hub.id, m1, true, today(), ctx())
            .await
            .unwrap();
        let a2 = store
            .apply_membership(hub.id, m2, today(), ctx())
            .await
            .unwrap();
        let a3 = store
            .add_member(hub.id, m3, false, today(), ctx())
            .await
            .unwrap();
        store
            .decide_membership(a3.id, &decision("suspend", Some("整改")), today(), ctx())
            .await
            .unwrap();
        store
            .add_member(ind.id, m1, false, today(), ctx())
            .await
            .unwrap();
        assert_eq!(counters(&store, hub.id, m1).await, (1, Some(hub.id), 1));

        store
            .revoke_hub(hub.id, "不再履行枢纽职能", today(), ctx())
            .await
            .unwrap();
        for id in [a1.id, a2.id, a3.id] {
            let m = store.membership(id).await.unwrap().unwrap();
            assert_eq!(m.status, MembershipStatus::Left);
            assert_eq!(m.reason.as_deref(), Some("hub recognition revoked"));
            let last = store.membership_history(id).await.unwrap().pop().unwrap();
            assert_eq!(last.action, "hub_revoked");
            assert_eq!(last.to_status, MembershipStatus::Left);
        }
        assert_eq!(counters(&store, hub.id, m1).await, (0, None, 1));
        assert_eq!(
            invalid_field(store.apply_membership(hub.id, m2, today(), ctx()).await),
            "hub"
        );
        store
            .revoke_hub(ind.id, "撤销", today(), ctx())
            .await
            .unwrap();
        assert_eq!(counters(&store, ind.id, m1).await, (0, None, 0));
        assert!(store.active_hub_org_ids(m1).await.unwrap().is_empty());
        // The organizations are free to join another regional hub.
        let district = store
            .recognize_hub(org(&store, 6, XUANWU).await, &regional(XUANWU), ctx())
            .await
            .unwrap();
        store
            .add_member(district.id, m1, false, today(), ctx())
            .await
            .unwrap();
        assert_eq!(
            counters(&store, district.id, m1).await,
            (1, Some(district.id), 0)
        );
        consistent(&store).await;
        assert!(store.audit_verify().await.unwrap().first_break.is_none());
    }
);
