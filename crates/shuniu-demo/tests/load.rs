//! Loading the demo data into a fresh database, on SQLite and on PostgreSQL.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use shuniu_domain::jurisdiction::XUANWU_STREETS;
use shuniu_domain::registry::OrganizationData;
use shuniu_store::{OrgFilter, Store, both_backends};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

async fn all_organizations(store: &Store) -> Vec<OrganizationData> {
    let mut out = Vec::new();
    for page in 1.. {
        let p = store
            .list_organizations(&OrgFilter::default(), page, 200)
            .await
            .unwrap();
        let pages = p.pages();
        out.extend(p.items.into_iter().map(|o| o.data));
        if page >= pages {
            break;
        }
    }
    out
}

both_backends!(loads_xuanwu_once, |store: Store| async move {
    let expected = shuniu_demo::xuanwu_organizations(today());
    let staff: u64 = expected.iter().map(|o| u64::from(o.staff_total())).sum();

    let s = shuniu_demo::load(&store, today()).await.unwrap();
    assert!(s.loaded);
    assert_eq!(s.organizations, 1379);
    assert_eq!(s.staff, staff);
    assert!(s.staff >= 25_000);

    let xuanwu = store.jurisdiction("320102").await.unwrap().unwrap();
    let stats = store.subtree_stats(&xuanwu).await.unwrap();
    assert_eq!(
        (stats.organizations, stats.staff),
        (1379, i64::try_from(staff).unwrap())
    );

    // Per street, the counters agree with the data.
    let by_place = store.subtree_stats_under(&xuanwu).await.unwrap();
    for (code, name, _) in XUANWU_STREETS {
        let n = expected
            .iter()
            .filter(|o| o.jurisdiction.as_str() == code)
            .count();
        assert_eq!(by_place[code].organizations, n as i64, "{name}");
    }

    // What was stored is exactly the data set, flagged as demo.
    let mut stored = all_organizations(&store).await;
    assert_eq!(stored.len(), 1379);
    let mut expected = expected;
    stored.sort_by(|a, b| a.name.cmp(&b.name));
    expected.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(stored.iter().all(|o| o.is_demo));
    assert_eq!(stored, expected);

    // The named cases can be found by name.
    for q in ["促进会", "空竹协会", "福禄贝尔", "孤独症"] {
        let p = store
            .list_organizations(
                &OrgFilter {
                    q: Some(q.into()),
                    ..Default::default()
                },
                1,
                50,
            )
            .await
            .unwrap();
        assert!(p.total >= 1, "{q}");
    }

    // A second load does nothing.
    let again = shuniu_demo::load(&store, today()).await.unwrap();
    assert!(!again.loaded);
    assert_eq!((again.organizations, again.staff), (0, 0));
    let stats = store.subtree_stats(&xuanwu).await.unwrap();
    assert_eq!(stats.organizations, 1379);
    assert_eq!(store.recount_by_jurisdiction().await.unwrap(), {
        let mut m: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for o in shuniu_demo::xuanwu_organizations(today()) {
            let e = m.entry(o.jurisdiction.to_string()).or_default();
            e.0 += 1;
            e.1 += i64::from(o.staff_total());
        }
        m
    });
});

both_backends!(
    does_not_load_into_a_database_with_organizations,
    |store: Store| async move {
        let mut one = shuniu_demo::xuanwu_organizations(today()).remove(0);
        one.is_demo = false;
        store.create_organization(&one, "test").await.unwrap();
        let s = shuniu_demo::load(&store, today()).await.unwrap();
        assert!(!s.loaded);
        let xuanwu = store.jurisdiction("320102").await.unwrap().unwrap();
        assert_eq!(store.subtree_stats(&xuanwu).await.unwrap().organizations, 1);
    }
);
