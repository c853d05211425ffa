//! Province-scale reads and writes of hubs.

use super::*;

// Province-scale reads: the hubs over a place by ancestor path (what an organization
// there may join), hubs by id in one query, and a revoke whose events are inserted in
// batches (more members than one batch).
both_backends!(
    hubs_over_a_place_by_ids_and_a_large_revoke,
    |store: Store| async move {
        let ids =
            |v: Vec<shuniu_domain::hubs::Hub>| v.into_iter().map(|h| h.id).collect::<Vec<_>>();
        let mei = store
            .recognize_hub(org(&store, 1, MEIYUAN).await, &regional(MEIYUAN), ctx())
            .await
            .unwrap();
        let xin = store
            .recognize_hub(org(&store, 2, XINJIEKOU).await, &regional(XINJIEKOU), ctx())
            .await
            .unwrap();
        let dis = store
            .recognize_hub(
                org(&store, 3, XUANWU).await,
                &industry(XUANWU, "区残联"),
                ctx(),
            )
            .await
            .unwrap();
        let qin = store
            .recognize_hub(
                org(&store, 4, QINHUAI).await,
                &industry(QINHUAI, "秦淮区残联"),
                ctx(),
            )
            .await
            .unwrap();
        let mei_path = format!("{XUANWU_PATH}{MEIYUAN}/");
        // Regional first, then by path: the sibling street's and the other district's are not over it.
        assert_eq!(
            ids(store.hubs_over_path(&mei_path, 10).await.unwrap()),
            vec![mei.id, dis.id]
        );
        assert_eq!(
            ids(store.hubs_over_path(XUANWU_PATH, 10).await.unwrap()),
            vec![dis.id]
        );
        assert_eq!(
            ids(store.hubs_over_path(&mei_path, 1).await.unwrap()),
            vec![mei.id]
        );
        assert!(store.hubs_over_path("", 10).await.unwrap().is_empty());

        let mut got = ids(store
            .hubs_by_ids(&[qin.id, mei.id, Uuid::now_v7(), mei.id, xin.id])
            .await
            .unwrap());
        got.sort();
        let mut want = vec![qin.id, mei.id, xin.id];
        want.sort();
        assert_eq!(got, want);
        assert!(store.hubs_by_ids(&[]).await.unwrap().is_empty());

        let mut members = Vec::new();
        for n in 0..130 {
            let o = org(&store, 100 + n, MEIYUAN).await;
            let m = store
                .add_member(mei.id, o, false, today(), ctx())
                .await
                .unwrap();
            members.push(m.id);
        }
        assert_eq!(store.hub(mei.id).await.unwrap().unwrap().member_count, 130);
        store
            .revoke_hub(mei.id, "撤销", today(), ctx())
            .await
            .unwrap();
        for id in &members {
            let history = store.membership_history(*id).await.unwrap();
            assert_eq!(history.len(), 2, "add, then the revoke");
            let last = &history[1];
            assert_eq!(last.action, "hub_revoked");
            assert_eq!(last.from_status, Some(MembershipStatus::Active));
            assert_eq!(last.to_status, MembershipStatus::Left);
            assert_eq!(last.reason.as_deref(), Some("hub recognition revoked"));
            assert_eq!(last.actor, "official");
        }
        // Revoked: no longer over the place, still found by id.
        assert_eq!(
            ids(store.hubs_over_path(&mei_path, 10).await.unwrap()),
            vec![dis.id]
        );
        let revoked = store.hubs_by_ids(&[mei.id]).await.unwrap();
        assert_eq!(revoked[0].status, HubStatus::Revoked);
        consistent(&store).await;
    }
);
