//! The demo's annual-report history and the small credit story the daily job tells
//! over it, on SQLite and on PostgreSQL.

use std::collections::BTreeSet;
use std::time::Instant;

use chrono::NaiveDate;
use shuniu_domain::supervision::credit::{ListKind, Trigger};
use shuniu_store::{Store, WriteCtx, both_backends};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

const PROVINCE: &str = "320000/";

both_backends!(the_demo_lists_a_handful, |store: Store| async move {
    let started = Instant::now();
    let s = shuniu_demo::load(&store, today()).await.unwrap();
    println!(
        "{} demo load: {:?} — {:?}",
        store.backend_name(),
        started.elapsed(),
        s.reports
    );
    let r = s.reports;
    assert!(r.filed > 1000, "{r:?}");
    assert!((3..=40).contains(&r.late), "{r:?}");
    assert!(r.basically_qualified >= 3 && r.unqualified >= 2, "{r:?}");
    // The silent one (3 years) and two that skipped last year's report.
    assert_eq!(r.missing, 5, "{r:?}");

    let settings = shuniu_demo::reports::settings();
    let ctx = || WriteCtx::system("test");
    let first = store
        .run_supervise(today(), &settings, ctx())
        .await
        .unwrap();
    let again = store
        .run_supervise(today(), &settings, ctx())
        .await
        .unwrap();
    assert_eq!(
        (again.listed, again.removed, again.grades_expired),
        (0, 0, 0),
        "{first:?}"
    );

    let abnormal = store
        .credit_list(ListKind::Abnormal, PROVINCE, today(), 1000)
        .await
        .unwrap();
    let listed: BTreeSet<_> = abnormal.iter().map(|l| l.organization_id).collect();
    assert!(
        (3..=12).contains(&listed.len()),
        "{} on the abnormal list",
        listed.len()
    );
    let serious = store
        .credit_list(ListKind::Serious, PROVINCE, today(), 1000)
        .await
        .unwrap();
    assert_eq!(serious.len(), 1, "{serious:?}");
    assert_eq!(serious[0].trigger, Trigger::AbnormalTwoYears);
    // Late filers of earlier years were listed and are off again.
    let all = store
        .credit_list_page(ListKind::Abnormal, None, 1, 200)
        .await
        .unwrap();
    assert!(
        all.items.iter().any(|e| e.listing.removed_on.is_some()),
        "no removal"
    );
    assert!(all.total as usize > abnormal.len());
});
