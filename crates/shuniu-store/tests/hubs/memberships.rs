//! Memberships: the lifecycle and its counters, the join rules, and concurrent writes.

use super::*;

both_backends!(
    membership_lifecycle_keeps_counters_and_history,
    |store: Store| async move {
        let a = org(&store, 1, MEIYUAN).await;
        let m = org(&store, 2, MEIYUAN).await;
        let n = org(&store, 3, MEIYUAN).await;
        let hub = store
            .recognize_hub(a, &regional(MEIYUAN), ctx())
            .await
            .unwrap();
        let ms = store
            .apply_membership(hub.id, m, today(), ctx())
            .await
            .unwrap();
        assert_eq!(ms.status, MembershipStatus::Pending);
        assert_eq!(ms.hub_name, "枢纽测试组织01");
        assert_eq!(ms.organization_name, "枢纽测试组织02");
        assert_eq!(store.membership(ms.id).await.unwrap().unwrap(), ms);
        assert_eq!(counters(&store, hub.id, m).await, (0, None, 0));

        let steps = [
            ("approve", None, MembershipStatus::Active, (1, Some(hub.id))),
            (
                "suspend",
                Some("未按时年检"),
                MembershipStatus::Suspended,
                (0, None),
            ),
            (
                "reinstate",
                None,
                MembershipStatus::Active,
                (1, Some(hub.id)),
            ),
            ("leave", None, MembershipStatus::Left, (0, None)),
        ];
        for (action, reason, status, (count, regional_hub)) in steps {
            let after = store
                .decide_membership(ms.id, &decision(action, reason), today(), ctx())
                .await
                .unwrap();
            assert_eq!(after.status, status, "{action}");
            assert_eq!(after.reason.as_deref(), reason);
            assert_eq!(store.membership(ms.id).await.unwrap().unwrap(), after);
            assert_eq!(
                counters(&store, hub.id, m).await,
                (count, regional_hub, 0),
                "after {action}"
            );
            consistent(&store).await;
        }
        // A closed membership takes no more decisions.
        assert!(matches!(
            store
                .decide_membership(ms.id, &decision("approve", None), today(), ctx())
                .await,
            Err(StoreError::State(_))
        ));
        let history = store.membership_history(ms.id).await.unwrap();
        let actions: Vec<_> = history.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["apply", "approve", "suspend", "reinstate", "leave"]
        );
        assert_eq!(history[0].from_status, None);
        assert_eq!(history[0].to_status, MembershipStatus::Pending);
        assert_eq!(history[2].from_status, Some(MembershipStatus::Active));
        assert_eq!(history[2].to_status, MembershipStatus::Suspended);
        assert_eq!(history[2].reason.as_deref(), Some("未按时年检"));
        assert!(history.iter().all(|e| e.actor == "official"));

        // Rejected with a reason.
        let other = store
            .apply_membership(hub.id, n, today(), ctx())
            .await
            .unwrap();
        let rejected = store
            .decide_membership(
                other.id,
                &decision("reject", Some("业务范围不符")),
                today(),
                ctx(),
            )
            .await
            .unwrap();
        assert_eq!(rejected.status, MembershipStatus::Rejected);
        assert_eq!(rejected.reason.as_deref(), Some("业务范围不符"));
        assert_eq!(counters(&store, hub.id, n).await, (0, None, 0));

        // Having left, M may join again: directly, as an initiating unit.
        let back = store
            .add_member(hub.id, m, true, today(), ctx())
            .await
            .unwrap();
        assert_eq!(back.status, MembershipStatus::Active);
        assert!(back.initiating);
        assert_eq!(counters(&store, hub.id, m).await, (1, Some(hub.id), 0));
        let n2 = store
            .add_member(hub.id, n, false, today(), ctx())
            .await
            .unwrap();
        let unmarked = store.set_initiating(back.id, false, ctx()).await.unwrap();
        assert!(!unmarked.initiating);
        store.set_initiating(n2.id, true, ctx()).await.unwrap();
        assert!(matches!(
            store.set_initiating(ms.id, true, ctx()).await,
            Err(StoreError::State(_))
        ));
        // Initiating units first, then by name.
        let members = store
            .hub_members(hub.id, Some(MembershipStatus::Active), 1, 10)
            .await
            .unwrap();
        assert_eq!(members.total, 2);
        assert_eq!(
            members.items.iter().map(|x| x.id).collect::<Vec<_>>(),
            vec![n2.id, back.id]
        );
        let everyone = store.hub_members(hub.id, None, 1, 2).await.unwrap();
        assert_eq!((everyone.total, everyone.items.len()), (4, 2));
        let of_m = store.memberships_of(m).await.unwrap();
        assert_eq!(
            of_m.iter().map(|x| x.id).collect::<Vec<_>>(),
            vec![back.id, ms.id]
        );
        assert_eq!(store.active_hub_org_ids(m).await.unwrap(), vec![a]);
        assert_eq!(store.hub(hub.id).await.unwrap().unwrap().member_count, 2);
        consistent(&store).await;

        // Every write is in the chain, under the member organization's jurisdiction.
        let writes = store
            .audit_page(
                &AuditFilter {
                    action: Some("membership.".into()),
                    path_prefix: Some(format!("{XUANWU_PATH}{MEIYUAN}/")),
                    ..Default::default()
                },
                1,
                50,
            )
            .await
            .unwrap();
        // apply, 4 decisions, apply, reject, 2 adds, 2 initiating marks.
        assert_eq!(writes.total, 11);
        assert_eq!(audit_count(&store, "membership.suspend").await, 1);
        assert_eq!(audit_count(&store, "membership.initiating").await, 2);
        let v = store.audit_verify().await.unwrap();
        assert!(v.first_break.is_none());
        assert_eq!(v.verified, 3 + 1 + 11);
    }
);

both_backends!(
    one_regional_hub_per_organization_any_number_of_industry_hubs,
    |store: Store| async move {
        let m = org(&store, 1, MEIYUAN).await;
        let street_hub = store
            .recognize_hub(org(&store, 2, MEIYUAN).await, &regional(MEIYUAN), ctx())
            .await
            .unwrap();
        let district_hub = store
            .recognize_hub(org(&store, 3, XUANWU).await, &regional(XUANWU), ctx())
            .await
            .unwrap();
        let i1 = store
            .recognize_hub(
                org(&store, 4, XUANWU).await,
                &industry(XUANWU, "区残联"),
                ctx(),
            )
            .await
            .unwrap();
        let i2 = store
            .recognize_hub(
                org(&store, 5, XUANWU).await,
                &industry(XUANWU, "区妇联"),
                ctx(),
            )
            .await
            .unwrap();
        let i3 = store
            .recognize_hub(
                org(&store, 6, NANJING).await,
                &industry(NANJING, "市总工会"),
                ctx(),
            )
            .await
            .unwrap();
        let first = store
            .apply_membership(street_hub.id, m, today(), ctx())
            .await
            .unwrap();
        // A pending regional application already holds the one place.
        assert_eq!(
            invalid_field(
                store
                    .apply_membership(district_hub.id, m, today(), ctx())
                    .await
            ),
            "hub"
        );
        store
            .decide_membership(first.id, &decision("approve", None), today(), ctx())
            .await
            .unwrap();
        assert_eq!(
            invalid_field(
                store
                    .add_member(district_hub.id, m, false, today(), ctx())
                    .await
            ),
            "hub"
        );
        for (n, h) in [&i1, &i2, &i3].into_iter().enumerate() {
            store
                .add_member(h.id, m, false, today(), ctx())
                .await
                .unwrap();
            let (_, regional_hub, industry_hubs) = counters(&store, h.id, m).await;
            assert_eq!(regional_hub, Some(street_hub.id));
            assert_eq!(industry_hubs, n as i64 + 1);
        }
        // But each hub only once.
        assert_eq!(
            invalid_field(store.apply_membership(i1.id, m, today(), ctx()).await),
            "hub"
        );
        let left = store
            .memberships_of(m)
            .await
            .unwrap()
            .into_iter()
            .find(|x| x.hub_id == i2.id)
            .unwrap();
        store
            .decide_membership(left.id, &decision("leave", None), today(), ctx())
            .await
            .unwrap();
        assert_eq!(
            counters(&store, i2.id, m).await,
            (0, Some(street_hub.id), 2)
        );
        let mut hubs = store.active_hub_org_ids(m).await.unwrap();
        hubs.sort();
        let mut expected = vec![
            street_hub.organization_id,
            i1.organization_id,
            i3.organization_id,
        ];
        expected.sort();
        assert_eq!(hubs, expected);
        consistent(&store).await;
    }
);

both_backends!(
    regional_hub_takes_only_organizations_within_it,
    |store: Store| async move {
        let hub = store
            .recognize_hub(org(&store, 1, MEIYUAN).await, &regional(MEIYUAN), ctx())
            .await
            .unwrap();
        let suojin = org(&store, 2, SUOJIN).await;
        assert_eq!(
            invalid_field(store.apply_membership(hub.id, suojin, today(), ctx()).await),
            "hub"
        );
        assert_eq!(
            invalid_field(
                store
                    .add_member(hub.id, suojin, false, today(), ctx())
                    .await
            ),
            "hub"
        );
        // A community below the street is within it.
        let street = store.jurisdiction(MEIYUAN).await.unwrap().unwrap();
        let community = shuniu_domain::jurisdiction::child_of(
            &street,
            JurisdictionCode::parse("320102002001").unwrap(),
            "梅园新村社区",
            "Meiyuan Xincun Community",
        )
        .unwrap();
        store.add_jurisdiction(&community).await.unwrap();
        let local = org(&store, 3, "320102002001").await;
        store
            .apply_membership(hub.id, local, today(), ctx())
            .await
            .unwrap();
        assert!(matches!(
            store
                .apply_membership(Uuid::now_v7(), local, today(), ctx())
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .apply_membership(hub.id, Uuid::now_v7(), today(), ctx())
                .await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(audit_count(&store, "membership.apply").await, 1);
    }
);

both_backends!(a_hub_is_not_its_own_member, |store: Store| async move {
    let a = org(&store, 1, MEIYUAN).await;
    let hub = store
        .recognize_hub(a, &regional(MEIYUAN), ctx())
        .await
        .unwrap();
    assert_eq!(
        invalid_field(store.apply_membership(hub.id, a, today(), ctx()).await),
        "hub"
    );
    assert_eq!(
        invalid_field(store.add_member(hub.id, a, true, today(), ctx()).await),
        "hub"
    );
    assert!(store.memberships_of(a).await.unwrap().is_empty());
});

both_backends!(membership_cycles_are_refused, |store: Store| async move {
    let a = org(&store, 1, MEIYUAN).await;
    let b = org(&store, 2, MEIYUAN).await;
    let c = org(&store, 3, MEIYUAN).await;
    let hub_a = store
        .recognize_hub(a, &regional(MEIYUAN), ctx())
        .await
        .unwrap();
    let hub_b = store
        .recognize_hub(b, &industry(XUANWU, "团区委"), ctx())
        .await
        .unwrap();
    let hub_c = store
        .recognize_hub(c, &industry(XUANWU, "区妇联"), ctx())
        .await
        .unwrap();
    // A's organization is (pending) a member of B's hub: B may not join A's.
    store
        .apply_membership(hub_b.id, a, today(), ctx())
        .await
        .unwrap();
    assert_eq!(
        invalid_field(store.apply_membership(hub_a.id, b, today(), ctx()).await),
        "hub"
    );
    // Transitively: A in B, B in C; C may not join A.
    store
        .add_member(hub_c.id, b, false, today(), ctx())
        .await
        .unwrap();
    assert_eq!(
        invalid_field(store.add_member(hub_a.id, c, false, today(), ctx()).await),
        "hub"
    );
    // Once A leaves B's hub, the chain is broken and C may join A.
    let ab = store
        .memberships_of(a)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.hub_id == hub_b.id)
        .unwrap();
    store
        .decide_membership(ab.id, &decision("withdraw", None), today(), ctx())
        .await
        .unwrap();
    store
        .add_member(hub_a.id, c, false, today(), ctx())
        .await
        .unwrap();
    consistent(&store).await;
});

both_backends!(
    concurrent_regional_applications_admit_one,
    |store: Store| async move {
        let x = org(&store, 1, MEIYUAN).await;
        // Every regional hub that contains X: province, city, district, street.
        let mut hubs = Vec::new();
        for (n, code) in [JIANGSU, NANJING, XUANWU, MEIYUAN].into_iter().enumerate() {
            let holder = org(&store, 10 + n as u32, code).await;
            hubs.push(
                store
                    .recognize_hub(holder, &regional(code), ctx())
                    .await
                    .unwrap(),
            );
        }
        // Two attempts on each (an application and a direct add): eight at once.
        let mut tasks = Vec::new();
        for (i, hub) in hubs.iter().cycle().take(8).enumerate() {
            let store = store.clone();
            let hub_id = hub.id;
            tasks.push(tokio::spawn(async move {
                if i < 4 {
                    store.apply_membership(hub_id, x, today(), ctx()).await
                } else {
                    store.add_member(hub_id, x, false, today(), ctx()).await
                }
            }));
        }
        let mut won = Vec::new();
        for t in tasks {
            match t.await.unwrap() {
                Ok(m) => won.push(m),
                Err(StoreError::Invalid(e)) => assert!(e.get("hub").is_some(), "{e}"),
                Err(e) => panic!("expected a clear Invalid, got {e:?}"),
            }
        }
        assert_eq!(won.len(), 1, "exactly one regional membership");
        let m = &won[0];
        let live: Vec<_> = store
            .memberships_of(x)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.status.is_live())
            .collect();
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].id, m.id);
        let (count, regional_hub, _) = counters(&store, m.hub_id, x).await;
        if m.status == MembershipStatus::Active {
            assert_eq!((count, regional_hub), (1, Some(m.hub_id)));
        } else {
            assert_eq!((count, regional_hub), (0, None));
        }
        for h in &hubs {
            if h.id != m.hub_id {
                assert_eq!(store.hub(h.id).await.unwrap().unwrap().member_count, 0);
            }
        }
        consistent(&store).await;
        let writes = audit_count(&store, "membership.apply").await
            + audit_count(&store, "membership.add").await;
        assert_eq!(writes, 1);
        assert!(store.audit_verify().await.unwrap().first_break.is_none());
    }
);

both_backends!(concurrent_approvals_apply_once, |store: Store| async move {
    let hub = store
        .recognize_hub(org(&store, 1, MEIYUAN).await, &regional(MEIYUAN), ctx())
        .await
        .unwrap();
    let m = org(&store, 2, MEIYUAN).await;
    let pending = store
        .apply_membership(hub.id, m, today(), ctx())
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        let id = pending.id;
        tasks.push(tokio::spawn(async move {
            store
                .decide_membership(id, &decision("approve", None), today(), ctx())
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(x) => {
                assert_eq!(x.status, MembershipStatus::Active);
                ok += 1;
            }
            Err(StoreError::State(_)) => {}
            Err(e) => panic!("expected State, got {e:?}"),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(counters(&store, hub.id, m).await, (1, Some(hub.id), 0));
    let approvals = store
        .membership_history(pending.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "approve")
        .count();
    assert_eq!(approvals, 1);
    assert_eq!(audit_count(&store, "membership.approve").await, 1);
    consistent(&store).await;
});
