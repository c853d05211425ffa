//! Keyset pages of the organization list: forward by `next` and back by `prev` they
//! cover the list once and in order, by either plan, whatever the sort; a cursor keeps
//! its place when rows are inserted before it; a bad cursor, or one of another order,
//! is an invalid `cursor`; and the plans have the shape they promise (`EXPLAIN`).

use shuniu_domain::registry::{Organization, ServiceDomain};
use shuniu_store::{
    At, KeyPage, OrgFilter, OrgPlan, OrgSort, Store, StoreError, Total, both_backends,
};
use uuid::Uuid;

use crate::conformance::{filed, org};
use shuniu_store::testing::MEIYUAN;

const SUOJIN: &str = "320102007000";
const XUANWU: &str = "320102";

/// Eleven organizations in Meiyuan (ties on founding date and staff) and three filed in
/// Suojin.
async fn seed(store: &Store) {
    for n in 1..=11u32 {
        let mut d = org(700 + n, &format!("翻页测试组织{n:02}"), MEIYUAN);
        d.staff_full_time = n % 3;
        d.founded_on = chrono::NaiveDate::from_ymd_opt(2010 + (n % 2) as i32, 1, 1).unwrap();
        store.create_organization(&d, "test").await.unwrap();
    }
    for n in 1..=3u32 {
        store
            .create_organization(&filed(700 + n, &format!("翻页备案组织{n}"), SUOJIN), "test")
            .await
            .unwrap();
    }
}

fn ids(p: &KeyPage<Organization>) -> Vec<Uuid> {
    p.items.iter().map(|o| o.id).collect()
}

/// The whole list in its order, as the numbered page reads it.
async fn expected(store: &Store, filter: &OrgFilter) -> Vec<Uuid> {
    let p = store.list_organizations(filter, 1, 200).await.unwrap();
    p.items.iter().map(|o| o.id).collect()
}

/// Pages forward from the first by `next`, then back from the last by `prev`: the
/// pages (of `per_page`) forward, and the pages back in reverse, are the list.
async fn forward_and_back(store: &Store, filter: &OrgFilter, plan: OrgPlan, per_page: u32) {
    let want = expected(store, filter).await;
    let mut pages = vec![];
    let mut at = None;
    for _ in 0..100 {
        let p = store
            .organizations_page_by(filter, plan, At::Cursor(at.as_deref()), per_page)
            .await
            .unwrap();
        assert_eq!(p.total, Total::Exact(want.len() as i64));
        assert_eq!(p.prev.is_none(), pages.is_empty(), "{filter:?} {plan:?}");
        let next = p.next.clone();
        pages.push(p);
        match next {
            Some(n) => at = Some(n),
            None => break,
        }
    }
    let got: Vec<Uuid> = pages.iter().flat_map(ids).collect();
    assert_eq!(got, want, "forward, {filter:?} {plan:?}");
    assert!(
        pages
            .iter()
            .all(|p| p.items.len() == per_page as usize || p.next.is_none())
    );
    // Back from the last page, each `prev` gives the page before, the same rows.
    let mut back = pages.last().unwrap().prev.clone();
    for i in (0..pages.len() - 1).rev() {
        let p = store
            .organizations_page_by(filter, plan, At::Cursor(back.as_deref()), per_page)
            .await
            .unwrap();
        assert_eq!(
            ids(&p),
            ids(&pages[i]),
            "back to page {i}, {filter:?} {plan:?}"
        );
        assert_eq!(p.prev.is_none(), i == 0);
        assert!(p.next.is_some());
        back = p.prev;
    }
}

both_backends!(
    organization_pages_walk_forward_and_back,
    |store: Store| async move {
        seed(&store).await;
        for sort in OrgSort::ALL {
            for (jurisdiction, plans) in [
                (None, &[OrgPlan::SortIndex, OrgPlan::Lookup][..]),
                (
                    Some(MEIYUAN),
                    &[OrgPlan::SortIndex, OrgPlan::PathScan, OrgPlan::Lookup][..],
                ),
                (Some(XUANWU), &[OrgPlan::SortIndex, OrgPlan::PathScan][..]),
            ] {
                let filter = OrgFilter {
                    sort,
                    jurisdiction: jurisdiction.map(String::from),
                    ..Default::default()
                };
                for plan in plans {
                    forward_and_back(&store, &filter, *plan, 4).await;
                }
            }
        }
        // Filters are the same rows by either plan (written without indexes when walking
        // the sort's): status, legal form, stage, domain.
        let filter = OrgFilter {
            jurisdiction: Some(XUANWU.into()),
            domain: Some(ServiceDomain::Elderly),
            status: Some(shuniu_domain::registry::OrgStatus::Active),
            legal_form: Some(shuniu_domain::registry::LegalForm::SocialServiceInstitution),
            stage: Some(shuniu_domain::registry::Stage::Growth),
            ..Default::default()
        };
        assert_eq!(expected(&store, &filter).await.len(), 11);
        for plan in [OrgPlan::SortIndex, OrgPlan::PathScan] {
            forward_and_back(&store, &filter, plan, 3).await;
        }
        let culture = OrgFilter {
            domain: Some(ServiceDomain::CultureSports),
            ..Default::default()
        };
        forward_and_back(&store, &culture, OrgPlan::SortIndex, 2).await;
        assert_eq!(expected(&store, &culture).await.len(), 3);
    }
);

both_backends!(
    a_cursor_keeps_its_place_after_inserts_before_it,
    |store: Store| async move {
        seed(&store).await;
        let filter = OrgFilter {
            jurisdiction: Some(MEIYUAN.into()),
            ..Default::default()
        };
        let first = store
            .organizations_page(&filter, At::Cursor(None), 4)
            .await
            .unwrap();
        let next = first.next.clone().unwrap();
        let second = store
            .organizations_page(&filter, At::Cursor(Some(&next)), 4)
            .await
            .unwrap();
        // Two organizations that sort before every row of the first page.
        for n in 1..=2u32 {
            store
                .create_organization(&org(790 + n, &format!("0{n}号先到组织"), MEIYUAN), "test")
                .await
                .unwrap();
        }
        let again = store
            .organizations_page(&filter, At::Cursor(Some(&next)), 4)
            .await
            .unwrap();
        assert_eq!(ids(&again), ids(&second));
        assert_eq!(again.total, Total::Exact(13));
        // Back from the second page: the four rows just before it, and before them
        // the newcomers (the first page, full).
        let back = store
            .organizations_page(&filter, At::Cursor(again.prev.as_deref()), 4)
            .await
            .unwrap();
        assert_eq!(ids(&back), ids(&first));
        let front = store
            .organizations_page(&filter, At::Cursor(back.prev.as_deref()), 4)
            .await
            .unwrap();
        let names: Vec<&str> = front.items.iter().map(|o| o.data.name.as_str()).collect();
        assert_eq!(names[..2], ["01号先到组织", "02号先到组织"]);
        assert_eq!(front.items[2].id, first.items[0].id);
        assert!(front.prev.is_none());
    }
);

both_backends!(
    pages_at_an_offset_and_past_the_end,
    |store: Store| async move {
        seed(&store).await;
        let filter = OrgFilter::default();
        let want = expected(&store, &filter).await;
        let p = store
            .organizations_page(&filter, At::Offset(4), 4)
            .await
            .unwrap();
        assert_eq!(ids(&p), want[4..8]);
        // From a numbered page, the cursors carry on either side.
        let prev = store
            .organizations_page(&filter, At::Cursor(p.prev.as_deref()), 4)
            .await
            .unwrap();
        assert_eq!(ids(&prev), want[..4]);
        let next = store
            .organizations_page(&filter, At::Cursor(p.next.as_deref()), 4)
            .await
            .unwrap();
        assert_eq!(ids(&next), want[8..12]);
        let beyond = store
            .organizations_page(&filter, At::Offset(100), 4)
            .await
            .unwrap();
        assert!(beyond.items.is_empty() && beyond.next.is_none() && beyond.prev.is_none());
        // A list with nothing in it.
        let none = store
            .organizations_page(
                &OrgFilter {
                    status: Some(shuniu_domain::registry::OrgStatus::Suspended),
                    ..Default::default()
                },
                At::Cursor(None),
                4,
            )
            .await
            .unwrap();
        assert!(none.items.is_empty() && none.next.is_none() && none.prev.is_none());
        assert_eq!(none.total, Total::Exact(0));
        // Exactly one page: no cursor either side.
        let one = store
            .organizations_page(&filter, At::Cursor(None), 14)
            .await
            .unwrap();
        assert_eq!(
            (one.items.len(), one.next.is_none(), one.prev.is_none()),
            (14, true, true)
        );
    }
);

both_backends!(
    a_cursor_of_another_order_or_garbage_is_refused,
    |store: Store| async move {
        seed(&store).await;
        let by_name = OrgFilter::default();
        let p = store
            .organizations_page(&by_name, At::Cursor(None), 4)
            .await
            .unwrap();
        let cursor = p.next.unwrap();
        assert!(
            cursor
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "URL-safe: {cursor}"
        );
        let refused = |r: Result<KeyPage<Organization>, StoreError>| match r {
            Err(StoreError::Invalid(f)) => assert!(f.get("cursor").is_some(), "{f:?}"),
            other => panic!("not refused: {other:?}"),
        };
        for sort in [OrgSort::NameDesc, OrgSort::Founded, OrgSort::Staff] {
            let other = OrgFilter {
                sort,
                ..Default::default()
            };
            refused(
                store
                    .organizations_page(&other, At::Cursor(Some(&cursor)), 4)
                    .await,
            );
        }
        for garbage in [
            "",
            "!!!",
            "bm90IGpzb24",
            "WyJvcmc6bmFtZSIsIm4iLDFd",
            &cursor[1..],
        ] {
            refused(
                store
                    .organizations_page(&by_name, At::Cursor(Some(garbage)), 4)
                    .await,
            );
        }
    }
);

both_backends!(
    organization_plans_have_the_shape_they_promise,
    |store: Store| async move {
        seed(&store).await;
        // The counters choose: by name a street of eleven walks its small district's
        // entries (a page's worth); by another order, whose index spans every district,
        // it is scanned; the city walks the sort.
        let street = OrgFilter {
            jurisdiction: Some(MEIYUAN.into()),
            ..Default::default()
        };
        assert_eq!(store.org_plan(&street).await.unwrap(), OrgPlan::SortIndex);
        let street_by_date = OrgFilter {
            sort: OrgSort::Founded,
            ..street.clone()
        };
        assert_eq!(
            store.org_plan(&street_by_date).await.unwrap(),
            OrgPlan::PathScan
        );
        assert_eq!(
            store.org_plan(&OrgFilter::default()).await.unwrap(),
            OrgPlan::SortIndex
        );
        let exact = OrgFilter {
            q: Some("翻页测试组织01".into()),
            ..street.clone()
        };
        assert_eq!(store.org_plan(&exact).await.unwrap(), OrgPlan::Lookup);
        assert_eq!(
            OrgPlan::for_subtree(shuniu_store::SMALL_SUBTREE + 1),
            OrgPlan::SortIndex
        );
        // A large district: a common filter walks the sort's index, a rare combination
        // (a page would walk most of the index to find it) reads the district and sorts.
        let district = 90_000;
        assert_eq!(
            OrgPlan::for_counts(district, Some(88_000), 1_000_000),
            OrgPlan::SortIndex
        );
        assert_eq!(
            OrgPlan::for_counts(district, None, 1_000_000),
            OrgPlan::SortIndex
        );
        assert_eq!(
            OrgPlan::for_counts(district, Some(300), 1_000_000),
            OrgPlan::PathScan
        );
        assert_eq!(
            OrgPlan::for_counts(district, Some(0), 1_000_000),
            OrgPlan::PathScan
        );
        // The same rare combination, walked over its own district's entries only.
        assert_eq!(
            OrgPlan::for_counts(district, Some(300), district),
            OrgPlan::SortIndex
        );
        assert_eq!(
            OrgPlan::for_counts(shuniu_store::SMALL_SUBTREE, Some(2_000), 1_000_000),
            OrgPlan::PathScan
        );
        // A walk that checks the filter on the index entry (by name): a rare combination
        // in a large district walks the district's entries (at most 90,000 comparisons)
        // rather than read and sort its rows, even when nothing matches; a street's few
        // thousand rows are still read and sorted when the walk would pass far more.
        for m in [0, 35, 300, 88_000] {
            assert_eq!(
                OrgPlan::for_counts_checked(district, Some(m), district),
                OrgPlan::SortIndex,
                "{m} matching"
            );
        }
        assert_eq!(
            OrgPlan::for_counts_checked(4_000, Some(20), district),
            OrgPlan::PathScan
        );
        assert_eq!(
            OrgPlan::for_counts_checked(4_000, Some(3_000), district),
            OrgPlan::SortIndex
        );
        assert_eq!(
            OrgPlan::for_counts_checked(district, None, district),
            OrgPlan::SortIndex
        );
        // A small district's first page walks a page of its entries; a community of a
        // large district with few matches is read and sorted.
        assert_eq!(
            OrgPlan::for_counts_checked(1_379, Some(1_379), 1_379),
            OrgPlan::SortIndex
        );
        assert_eq!(
            OrgPlan::for_counts_checked(30, Some(30), district),
            OrgPlan::PathScan
        );

        let postgres = store.dialect() == shuniu_store::Dialect::Postgres;
        // With a grade, a district by name walks that grade's own entries (the partial
        // index of graded organizations by district and grade), in either direction.
        for sort in [OrgSort::Name, OrgSort::NameDesc] {
            let graded = OrgFilter {
                jurisdiction: Some(XUANWU.into()),
                grade: Some(shuniu_domain::registry::Grade::A3),
                domain: Some(ServiceDomain::Elderly),
                sort,
                ..Default::default()
            };
            let text = store
                .organizations_plan_for_tests(&graded, OrgPlan::SortIndex)
                .await
                .unwrap()
                .join("\n");
            assert!(
                text.contains("organizations_shard_grade_name"),
                "{sort:?} with a grade walks the graded index:\n{text}"
            );
            let sorts = if postgres {
                text.contains("Sort")
            } else {
                text.contains("TEMP B-TREE")
            };
            assert!(!sorts, "{sort:?} with a grade sorts nothing:\n{text}");
        }
        for (sort, index) in [
            // By name a district walks its own entries (the index leading with it).
            (OrgSort::Name, "organizations_shard_name"),
            (OrgSort::NameDesc, "organizations_shard_name"),
            (OrgSort::Founded, "organizations_founded_id"),
            (OrgSort::FoundedDesc, "organizations_founded_id"),
            (OrgSort::Updated, "organizations_updated_id"),
            (OrgSort::Staff, "organizations_staff_id"),
        ] {
            let district = OrgFilter {
                jurisdiction: Some(XUANWU.into()),
                status: Some(shuniu_domain::registry::OrgStatus::Active),
                sort,
                ..Default::default()
            };
            let large = store
                .organizations_plan_for_tests(&district, OrgPlan::SortIndex)
                .await
                .unwrap();
            let text = large.join("\n");
            assert!(text.contains(index), "{sort:?} walks {index}:\n{text}");
            let sorts = if postgres {
                text.contains("Sort")
            } else {
                text.contains("TEMP B-TREE")
            };
            assert!(!sorts, "{sort:?}, a large subtree, sorts nothing:\n{text}");

            let small = store
                .organizations_plan_for_tests(&district, OrgPlan::PathScan)
                .await
                .unwrap();
            let text = small.join("\n");
            let by_path = if postgres {
                text.contains("Index Cond") && text.contains("jurisdiction_path >=")
            } else {
                text.contains("jurisdiction_path>")
            };
            assert!(
                by_path,
                "{sort:?}, a small subtree, range-scans the path:\n{text}"
            );
            assert!(
                !text.contains(index),
                "{sort:?}: no walk of {index}:\n{text}"
            );
        }
    }
);

both_backends!(
    audit_pages_walk_forward_and_back,
    |store: Store| async move {
        seed(&store).await;
        let ctx = shuniu_store::WriteCtx::new("pager", "admin", "10.0.0.9");
        for i in 0..10 {
            store
                .audit(ctx.event_for_tests(&format!("paging.step{i}")))
                .await
                .unwrap();
        }
        let filter = shuniu_store::AuditFilter {
            actor: Some("pager".into()),
            ..Default::default()
        };
        let seqs = |p: &KeyPage<shuniu_domain::audit::AuditRecord>| -> Vec<i64> {
            p.items.iter().map(|r| r.seq).collect()
        };
        let mut pages = vec![];
        let mut at: Option<String> = None;
        loop {
            let p = store
                .audit_keyset(&filter, At::Cursor(at.as_deref()), 3)
                .await
                .unwrap();
            assert_eq!(p.total, Total::Exact(10));
            at = p.next.clone();
            pages.push(p);
            if at.is_none() {
                break;
            }
            assert!(pages.len() < 10, "the walk ends");
        }
        let all: Vec<i64> = pages.iter().flat_map(seqs).collect();
        assert_eq!(all.len(), 10);
        assert!(all.windows(2).all(|w| w[0] > w[1]), "newest first: {all:?}");
        let mut back = pages.last().unwrap().prev.clone();
        for i in (0..pages.len() - 1).rev() {
            let p = store
                .audit_keyset(&filter, At::Cursor(back.as_deref()), 3)
                .await
                .unwrap();
            assert_eq!(seqs(&p), seqs(&pages[i]), "back to page {i}");
            back = p.prev;
        }
        assert!(back.is_none());
        // New records come before the first page; the second stays where it was.
        let second = pages[0].next.clone().unwrap();
        store
            .audit(ctx.event_for_tests("paging.late"))
            .await
            .unwrap();
        let again = store
            .audit_keyset(&filter, At::Cursor(Some(&second)), 3)
            .await
            .unwrap();
        assert_eq!(seqs(&again), seqs(&pages[1]));
        // An organization list's cursor is not the audit trail's.
        let org_cursor = store
            .organizations_page(&OrgFilter::default(), At::Cursor(None), 1)
            .await
            .unwrap()
            .next
            .unwrap();
        assert!(
            store
                .audit_keyset(&filter, At::Cursor(Some(&org_cursor)), 3)
                .await
                .is_err()
        );
        match store
            .audit_keyset(&filter, At::Cursor(Some("xyz")), 3)
            .await
        {
            Err(StoreError::Invalid(f)) => assert!(f.get("cursor").is_some()),
            other => panic!("{other:?}"),
        }
    }
);

/// `plan` (from a `*_plan_for_tests`) walks `index` and sorts nothing: the page reads
/// the list's order off the index and stops.
pub(crate) fn assert_walks(store: &Store, plan: &[String], index: &str) {
    let text = plan.join("\n");
    assert!(text.contains(index), "walks {index}:\n{text}");
    let sorts = if store.dialect() == shuniu_store::Dialect::Postgres {
        text.contains("Sort")
    } else {
        text.contains("TEMP B-TREE")
    };
    assert!(!sorts, "sorts nothing:\n{text}");
}

/// A cursor of another list is refused as an invalid `cursor`.
pub(crate) fn assert_refused<T: std::fmt::Debug>(r: Result<KeyPage<T>, StoreError>) {
    match r {
        Err(StoreError::Invalid(f)) => assert!(f.get("cursor").is_some(), "{f:?}"),
        other => panic!("not refused: {other:?}"),
    }
}

both_backends!(
    booking_and_service_pages_walk_their_index,
    |store: Store| async move {
        let someone = Uuid::now_v7();
        let plan = store.bookings_plan_for_tests(someone).await.unwrap();
        assert_walks(&store, &plan, "bookings_org_start");
        let mut f = shuniu_store::services::ServiceFilter {
            jurisdiction_path: Some("320000/320100/320102/".into()),
            ..Default::default()
        };
        let (public, own) = store.services_plans_for_tests(&f, someone).await.unwrap();
        assert_walks(&store, &public, "services_place");
        assert_walks(&store, &own, "services_org");
        f.category = Some(ServiceDomain::Elderly);
        let (public, _) = store.services_plans_for_tests(&f, someone).await.unwrap();
        assert_walks(&store, &public, "services_category");
    }
);

both_backends!(
    the_directory_walks_the_organizations_key,
    |store: Store| async move {
        let plan = store.directory_plan_for_tests().await.unwrap();
        let key = if store.dialect() == shuniu_store::Dialect::Postgres {
            "organizations_pkey"
        } else {
            "sqlite_autoindex_organizations_1"
        };
        assert_walks(&store, &plan, key);
    }
);
