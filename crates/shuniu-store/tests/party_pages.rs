//! The party-building lists by keyset pages: the organizations outside a coverage axis
//! and the instructors of a subtree, forward by `next` and back by `prev`, each row once
//! and in order, and a cursor that keeps its place after an insert before it.

use shuniu_domain::party::Instructor;
use shuniu_domain::registry::Organization;
use shuniu_store::{At, CoverageScope, Gap, OrgPlan, Store, StoreError, Total, both_backends};
use uuid::Uuid;

use crate::keyset_pages::assert_walks;
use crate::party::{build, instructor_data, path_of, world};
use crate::walk::pages_both_ways;

const XUANWU: &str = "320102";
const SUOJIN: &str = "320102007000";

both_backends!(
    uncovered_pages_walk_forward_and_back,
    |store: Store| async move {
        let plans = world();
        build(&store, &plans).await;
        let scope = CoverageScope::Subtree(path_of(XUANWU));
        for gap in [Gap::PartyOrganization, Gap::RegionalHub] {
            let want: Vec<Uuid> = store
                .uncovered(&scope, gap, 1, 200)
                .await
                .unwrap()
                .items
                .iter()
                .map(|o| o.id)
                .collect();
            assert!(want.len() > 4, "{gap:?}: more than two pages of two");
            pages_both_ways(
                |at: Option<String>| {
                    let (store, scope) = (store.clone(), scope.clone());
                    async move {
                        store
                            .uncovered_keyset(&scope, gap, At::Cursor(at.as_deref()), 2)
                            .await
                            .unwrap()
                    }
                },
                |o: &Organization| o.id,
                &want,
            )
            .await;
        }
        assert!(matches!(
            store
                .uncovered_keyset(&scope, Gap::PartyWork, At::Cursor(Some("e30")), 2)
                .await,
            Err(StoreError::Invalid(_))
        ));
    }
);

both_backends!(
    instructor_pages_walk_forward_and_back,
    |store: Store| async move {
        for name in ["甲指导", "乙指导", "丙指导", "丁指导", "戊指导"] {
            store
                .create_instructor(&instructor_data(name, SUOJIN), "test")
                .await
                .unwrap();
        }
        let path = path_of(XUANWU);
        let want: Vec<Uuid> = store
            .instructors(&path, 1, 200)
            .await
            .unwrap()
            .items
            .iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(want.len(), 5);
        let read = |at: Option<String>| {
            let (store, path) = (store.clone(), path.clone());
            async move {
                store
                    .instructors_keyset(&path, At::Cursor(at.as_deref()), 2)
                    .await
                    .unwrap()
            }
        };
        let pages = pages_both_ways(&read, |i: &Instructor| i.id, &want).await;
        // An instructor inserted before the cursor moves nothing after it.
        let second = pages[0].next.clone().unwrap();
        store
            .create_instructor(&instructor_data("一号指导", SUOJIN), "test")
            .await
            .unwrap();
        let again = read(Some(second)).await;
        let ids: Vec<Uuid> = again.items.iter().map(|i| i.id).collect();
        assert_eq!(ids, pages[1].items.iter().map(|i| i.id).collect::<Vec<_>>());
        assert_eq!(again.total, Total::Exact(6));
    }
);

both_backends!(
    uncovered_plans_list_the_same_rows_and_walk_their_index,
    |store: Store| async move {
        let plans = world();
        build(&store, &plans).await;
        let district = CoverageScope::Subtree(path_of(XUANWU));
        let everywhere = CoverageScope::Subtree(String::new());
        for scope in [&district, &everywhere] {
            for gap in Gap::ALL {
                let want: Vec<Uuid> = store
                    .uncovered_chunk(scope, gap, None, 5_000)
                    .await
                    .unwrap()
                    .items
                    .iter()
                    .map(|o| o.id)
                    .collect();
                for plan in [OrgPlan::SortIndex, OrgPlan::PathScan, OrgPlan::Lookup] {
                    let total = Total::Exact(want.len() as i64);
                    pages_both_ways(
                        async |at: Option<String>| {
                            store
                                .uncovered_keyset_by(
                                    scope,
                                    gap,
                                    plan,
                                    total,
                                    At::Cursor(at.as_deref()),
                                    2,
                                )
                                .await
                                .unwrap()
                        },
                        |o: &Organization| o.id,
                        &want,
                    )
                    .await;
                }
            }
        }
        // The test world's district is small: read through its path and sorted.
        let (plan, _) = store
            .uncovered_plan(&district, Gap::PartyOrganization)
            .await
            .unwrap();
        assert_eq!(plan, OrgPlan::PathScan);
        let (plan, _) = store
            .uncovered_plan(&everywhere, Gap::PartyOrganization)
            .await
            .unwrap();
        assert_eq!(plan, OrgPlan::SortIndex);

        // A large subtree walks the name index and sorts nothing; a small one reads
        // its path range (the coverage index) and no walk of the name index.
        let postgres = store.dialect() == shuniu_store::Dialect::Postgres;
        for gap in Gap::ALL {
            // A district walks its own entries (the name index leading with it).
            for (scope, index) in [
                (&district, "organizations_shard_name"),
                (&everywhere, "organizations_name_id"),
            ] {
                let walked = store
                    .uncovered_plan_for_tests(scope, gap, OrgPlan::SortIndex)
                    .await
                    .unwrap();
                assert_walks(&store, &walked, index);
            }
            let scanned = store
                .uncovered_plan_for_tests(&district, gap, OrgPlan::PathScan)
                .await
                .unwrap();
            let text = scanned.join("\n");
            let by_path = if postgres {
                text.contains("Index Cond") && text.contains("jurisdiction_path >=")
            } else {
                text.contains("jurisdiction_path>")
            };
            assert!(by_path, "{gap:?}: the path range is scanned:\n{text}");
            assert!(
                !text.contains("organizations_name_id"),
                "{gap:?}: no walk of the name index:\n{text}"
            );
        }
    }
);
