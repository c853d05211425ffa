//! The party-building lists by keyset pages: the organizations outside a coverage axis
//! and the instructors of a subtree, forward by `next` and back by `prev`, each row once
//! and in order, and a cursor that keeps its place after an insert before it.

use shuniu_domain::party::Instructor;
use shuniu_domain::registry::Organization;
use shuniu_store::{At, CoverageScope, Gap, Store, StoreError, Total, both_backends};
use uuid::Uuid;

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
