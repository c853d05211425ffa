//! The chunk readers of downloads: a list walked by its sort key and id, chunk after
//! chunk, gives every row of the list exactly once and in the list's order, whatever
//! the chunk size (ties on the sort key broken by id), on both engines.

use shuniu_domain::hubs::HubKind;
use shuniu_store::{After, HubFilter, OrgFilter, OrgSort, Store, both_backends};
use uuid::Uuid;

use crate::conformance::{filed, org};
use crate::party::instructor_data;
use crate::walk::chunk_keys;
use shuniu_store::testing::MEIYUAN;

const SUOJIN: &str = "320102007000";
const XUANWU: &str = "320102";

both_backends!(
    organization_chunks_cover_the_list_once,
    |store: Store| async move {
        // Ties on the keys but the name: equal staff counts, equal founding dates.
        for n in 1..=5u32 {
            let mut d = org(900 + n, &format!("分块测试组织{n}"), MEIYUAN);
            d.staff_full_time = n % 2;
            d.founded_on = chrono::NaiveDate::from_ymd_opt(2010 + (n % 2) as i32, 1, 1).unwrap();
            store.create_organization(&d, "test").await.unwrap();
        }
        for n in 1..=3u32 {
            store
                .create_organization(&filed(900 + n, &format!("分块备案组织{n}"), SUOJIN), "test")
                .await
                .unwrap();
        }
        for sort in OrgSort::ALL {
            for jurisdiction in [None, Some(MEIYUAN.to_string())] {
                let filter = OrgFilter {
                    sort,
                    jurisdiction: jurisdiction.clone(),
                    ..Default::default()
                };
                let expected: Vec<Uuid> = store
                    .list_organizations(&filter, 1, 200)
                    .await
                    .unwrap()
                    .items
                    .iter()
                    .map(|o| o.id)
                    .collect();
                assert!(expected.len() >= 5);
                for limit in [1, 2, 3, 500] {
                    let got = chunk_keys(
                        |after: Option<After>| {
                            let (store, filter) = (store.clone(), filter.clone());
                            async move {
                                store
                                    .organizations_chunk(&filter, after.as_ref(), limit)
                                    .await
                                    .unwrap()
                            }
                        },
                        |o| o.id,
                    )
                    .await;
                    assert_eq!(got, expected, "{sort:?} {jurisdiction:?} by {limit}");
                }
            }
        }
        // A jurisdiction that is not in the tree: nothing.
        let none = OrgFilter {
            jurisdiction: Some("320102999000".into()),
            ..Default::default()
        };
        let c = store.organizations_chunk(&none, None, 10).await.unwrap();
        assert!(c.items.is_empty() && c.next.is_none());
    }
);

both_backends!(
    hub_and_venue_chunks_cover_the_list_once,
    |store: Store| async move {
        let hub = crate::hubs::seed_hubs_for_chunks(&store).await;
        for filter in [
            HubFilter::default(),
            HubFilter {
                kind: Some(HubKind::Regional),
                ..Default::default()
            },
        ] {
            let expected: Vec<Uuid> = store
                .list_hubs(&filter, 1, 200)
                .await
                .unwrap()
                .items
                .iter()
                .map(|h| h.id)
                .collect();
            assert!(!expected.is_empty());
            for limit in [1, 2, 500] {
                let got = chunk_keys(
                    |after: Option<After>| {
                        let (store, filter) = (store.clone(), filter.clone());
                        async move {
                            store
                                .hubs_chunk(&filter, after.as_ref(), limit)
                                .await
                                .unwrap()
                        }
                    },
                    |h| h.id,
                )
                .await;
                assert_eq!(got, expected, "{filter:?} by {limit}");
            }
        }
        let expected: Vec<Uuid> = store
            .list_venues(None, None, 1, 200)
            .await
            .unwrap()
            .items
            .iter()
            .map(|v| v.id)
            .collect();
        assert_eq!(expected.len(), 3);
        for limit in [1, 2, 500] {
            let got = chunk_keys(
                |after: Option<After>| {
                    let store = store.clone();
                    async move {
                        store
                            .venues_chunk(None, None, after.as_ref(), limit)
                            .await
                            .unwrap()
                    }
                },
                |v| v.id,
            )
            .await;
            assert_eq!(got, expected, "venues by {limit}");
        }
        let expected: Vec<Uuid> = store
            .hub_members(hub, None, 1, 500)
            .await
            .unwrap()
            .items
            .iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(expected.len(), 4);
        for limit in [1, 3, 500] {
            let got = chunk_keys(
                |after: Option<After>| {
                    let store = store.clone();
                    async move {
                        store
                            .hub_members_chunk(hub, None, after.as_ref(), limit)
                            .await
                            .unwrap()
                    }
                },
                |m| m.id,
            )
            .await;
            assert_eq!(got, expected, "members by {limit}");
        }
    }
);

// A download walks the register by name and id: every instructor once, in the page's
// order, whatever the chunk size (two of one name tie on the name).
both_backends!(
    instructor_chunks_cover_the_register_once,
    |store: Store| async move {
        for (name, place) in [
            ("钱指导", SUOJIN),
            ("钱指导", MEIYUAN),
            ("孙指导", SUOJIN),
            ("李指导", XUANWU),
        ] {
            store
                .create_instructor(&instructor_data(name, place), "test")
                .await
                .unwrap();
        }
        let path = "320000/320100/320102/";
        let expected: Vec<Uuid> = store
            .instructors(path, 1, 200)
            .await
            .unwrap()
            .items
            .iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(expected.len(), 4);
        for limit in [1, 3, 500] {
            let chunk = async |after: Option<After>| {
                store
                    .instructors_chunk(path, after.as_ref(), limit)
                    .await
                    .unwrap()
            };
            let got = chunk_keys(chunk, |i| i.id).await;
            assert_eq!(got, expected, "by {limit}");
        }
    }
);
