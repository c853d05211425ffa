//! The hub list, venues and a hub's members by keyset pages: forward by `next` and back
//! by `prev` they are the whole list in its order; a cursor of another list is refused;
//! each page walks its list's index without sorting (`EXPLAIN`, both engines); and a
//! renamed member or hub moves to its new place in the order.

use super::*;
use crate::keyset_pages::{assert_refused, assert_walks};
use crate::walk::pages_both_ways;
use shuniu_store::At;

both_backends!(
    hub_venue_and_member_lists_walk_forward_and_back,
    |store: Store| async move {
        let hub = seed_hubs_for_chunks(&store).await;
        for n in 90..=95 {
            let o = org(&store, n, MEIYUAN).await;
            store
                .add_member(hub, o, n % 3 == 0, today(), ctx())
                .await
                .unwrap();
        }
        let all = HubFilter {
            include_revoked: true,
            ..Default::default()
        };
        let want: Vec<Uuid> = store
            .list_hubs(&all, 1, 200)
            .await
            .unwrap()
            .items
            .iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(want.len(), 3);
        let read = async |c: Option<String>| {
            store
                .hubs_page(&all, At::Cursor(c.as_deref()), 2)
                .await
                .unwrap()
        };
        pages_both_ways(read, |h| h.id, &want).await;

        let want: Vec<Uuid> = store
            .list_venues(None, None, 1, 200)
            .await
            .unwrap()
            .items
            .iter()
            .map(|v| v.id)
            .collect();
        assert_eq!(want.len(), 3);
        let read = async |c: Option<String>| {
            store
                .venues_page(None, None, At::Cursor(c.as_deref()), 1)
                .await
                .unwrap()
        };
        pages_both_ways(read, |v| v.id, &want).await;

        let members = store.hub_members(hub, None, 1, 200).await.unwrap().items;
        assert_eq!(members.len(), 10);
        // Initiating units first, then by name.
        let keys: Vec<(bool, String)> = members
            .iter()
            .map(|m| (!m.initiating, m.organization_name.clone()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        let want: Vec<Uuid> = members.iter().map(|m| m.id).collect();
        let read = async |c: Option<String>| {
            store
                .hub_members_keyset(hub, None, At::Cursor(c.as_deref()), 3)
                .await
                .unwrap()
        };
        pages_both_ways(read, |m| m.id, &want).await;

        // Cursors are their list's own.
        let hub_cursor = store
            .hubs_page(&all, At::Cursor(None), 1)
            .await
            .unwrap()
            .next
            .unwrap();
        let venue_cursor = store
            .venues_page(None, None, At::Cursor(None), 1)
            .await
            .unwrap()
            .next
            .unwrap();
        assert_refused(
            store
                .venues_page(None, None, At::Cursor(Some(&hub_cursor)), 1)
                .await,
        );
        assert_refused(
            store
                .hubs_page(&all, At::Cursor(Some(&venue_cursor)), 1)
                .await,
        );
        assert_refused(
            store
                .hub_members_keyset(hub, None, At::Cursor(Some(&hub_cursor)), 1)
                .await,
        );
    }
);

both_backends!(
    a_renamed_member_moves_in_the_member_list,
    |store: Store| async move {
        let hub = seed_hubs_for_chunks(&store).await;
        let members = store.hub_members(hub, None, 1, 200).await.unwrap().items;
        // The last non-initiating member, renamed to sort first among them.
        let last = members.last().unwrap().clone();
        assert!(!last.initiating);
        let current = store
            .organization(last.organization_id)
            .await
            .unwrap()
            .unwrap();
        let mut data = current.data.clone();
        data.name = "0号改名组织".into();
        store
            .update_organization(last.organization_id, &data, ctx())
            .await
            .unwrap();
        let after = store.hub_members(hub, None, 1, 200).await.unwrap().items;
        let first_other = after.iter().find(|m| !m.initiating).unwrap();
        assert_eq!(first_other.id, last.id);
        assert_eq!(first_other.organization_name, "0号改名组织");
    }
);

both_backends!(
    hub_venue_and_member_pages_walk_their_index,
    |store: Store| async move {
        let hub = seed_hubs_for_chunks(&store).await;
        for status in [None, Some(MembershipStatus::Active)] {
            let plan = store.hub_members_plan_for_tests(hub, status).await.unwrap();
            assert_walks(&store, &plan, "hub_memberships_page");
        }
        for filter in [
            HubFilter::default(),
            HubFilter {
                path_prefix: Some("320000/320100/320102/".into()),
                kind: Some(HubKind::Regional),
                include_revoked: false,
            },
        ] {
            let plan = store.hubs_plan_for_tests(&filter).await.unwrap();
            assert_walks(&store, &plan, "hubs_page");
        }
        let plan = store
            .venues_plan_for_tests(Some("320000/320100/320102/"), None)
            .await
            .unwrap();
        assert_walks(&store, &plan, "venues_name_id");
        let plan = store.venues_plan_for_tests(None, Some(hub)).await.unwrap();
        assert_walks(&store, &plan, "venues_hub_name");
    }
);
