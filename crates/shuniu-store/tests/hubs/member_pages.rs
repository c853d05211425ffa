//! A hub's member list by keyset pages: forward by `next`, back by `prev`, every member
//! once and in the list's order (initiating units first, then by name), and a cursor
//! that keeps its place when a member joins before it.

use super::*;
use crate::walk::pages_both_ways;
use shuniu_store::{At, KeyPage};

fn ids(p: &KeyPage<shuniu_domain::hubs::Membership>) -> Vec<Uuid> {
    p.items.iter().map(|m| m.id).collect()
}

both_backends!(
    member_pages_walk_forward_and_back,
    |store: Store| async move {
        let a = org(&store, 1, MEIYUAN).await;
        let hub = store
            .recognize_hub(a, &regional(MEIYUAN), ctx())
            .await
            .unwrap();
        for n in 2..=9 {
            let o = org(&store, n, MEIYUAN).await;
            store
                .add_member(hub.id, o, n % 4 == 0, today(), ctx())
                .await
                .unwrap();
        }
        let want: Vec<Uuid> = store
            .hub_members(hub.id, None, 1, 200)
            .await
            .unwrap()
            .items
            .iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(want.len(), 8);
        let read = async |at: Option<String>| {
            store
                .hub_members_keyset(hub.id, None, At::Cursor(at.as_deref()), 3)
                .await
                .unwrap()
        };
        let pages = pages_both_ways(read, |m| m.id, &want).await;
        // A new initiating member sorts first: the second page stays where it was.
        let second = pages[0].next.clone().unwrap();
        let late = org(&store, 20, MEIYUAN).await;
        store
            .add_member(hub.id, late, true, today(), ctx())
            .await
            .unwrap();
        let again = store
            .hub_members_keyset(hub.id, None, At::Cursor(Some(&second)), 3)
            .await
            .unwrap();
        assert_eq!(ids(&again), ids(&pages[1]));
        assert_eq!(again.total, shuniu_store::Total::Exact(9));
        // A status filter is kept, and a cursor of another list refused.
        let active = store
            .hub_members_keyset(hub.id, Some(MembershipStatus::Active), At::Cursor(None), 50)
            .await
            .unwrap();
        assert_eq!(active.items.len(), 9);
        assert!(matches!(
            store
                .hub_members_keyset(hub.id, None, At::Cursor(Some("bm9wZQ")), 3)
                .await,
            Err(StoreError::Invalid(_))
        ));
    }
);
