//! The timed reads of the benchmark.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use shuniu_domain::hubs::{HubKind, MembershipStatus};
use shuniu_domain::parks::BookingRequest;
use shuniu_store::{CoverageScope, Gap, HubFilter, Store};

use super::*;

/// Issue 4's reads, then (after a fresh load) the timed writes that cannot repeat.
pub(crate) async fn reads(store: &Store, n: u64, setup: &Setup, loaded: Option<&Loaded>) {
    let Setup {
        street0,
        street0_org,
        street_hub,
        big_hub,
        rooms,
    } = setup;
    let day = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let start0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let province = store.jurisdiction("320000").await.unwrap().unwrap();
    let city = store.jurisdiction("320100").await.unwrap().unwrap();
    let district = store.jurisdiction(&street0[..6]).await.unwrap().unwrap();
    let dist = CoverageScope::Subtree(district.path.clone());
    let prov = CoverageScope::Subtree(province.path.clone());
    let cov = time("party_coverage(district)", 10, async || {
        store.party_coverage(&dist).await.unwrap()
    })
    .await;
    assert!(cov.organizations.total > 0);
    time("hub_coverage(district)", 10, async || {
        store.hub_coverage(&dist).await.unwrap()
    })
    .await;
    let cov = time("party_coverage(province)", 5, async || {
        store.party_coverage(&prov).await.unwrap()
    })
    .await;
    assert_eq!(cov.organizations.total as u64, n);
    let hc = time("hub_coverage(province)", 5, async || {
        store.hub_coverage(&prov).await.unwrap()
    })
    .await;
    println!(
        "    province: party org {}/{}, regional hub {}, industry hub {}",
        cov.organizations.covered,
        cov.organizations.total,
        hc.regional.covered,
        hc.industry.covered
    );
    time(
        "coverage_by_child(district) — its streets",
        10,
        async || store.coverage_by_child(&district).await.unwrap().len(),
    )
    .await;
    time("coverage_by_child(city) — its districts", 5, async || {
        store.coverage_by_child(&city).await.unwrap().len()
    })
    .await;
    for (label, scope, gap, page) in [
        (
            "uncovered(district, party_work), page 1",
            &dist,
            Gap::PartyWork,
            1,
        ),
        (
            "uncovered(district, party_work), page 50",
            &dist,
            Gap::PartyWork,
            50,
        ),
        (
            "uncovered(district, regional_hub), page 1",
            &dist,
            Gap::RegionalHub,
            1,
        ),
        (
            "uncovered(province, regional_hub), page 1",
            &prov,
            Gap::RegionalHub,
            1,
        ),
        (
            "uncovered(province, regional_hub), page 50",
            &prov,
            Gap::RegionalHub,
            50,
        ),
        (
            "uncovered(province, party_organization), page 1",
            &prov,
            Gap::PartyOrganization,
            1,
        ),
    ] {
        time(label, 5, async || {
            store.uncovered(scope, gap, page, 20).await.unwrap().total
        })
        .await;
    }
    let big = store.hub(*big_hub).await.unwrap().unwrap();
    let hub_scope = CoverageScope::Hub(big.id);
    let hc = time(
        &format!("party_coverage(hub with {} members)", big.member_count),
        10,
        async || store.party_coverage(&hub_scope).await.unwrap(),
    )
    .await;
    assert_eq!(hc.organizations.total, big.member_count);
    time("hub_coverage(same hub)", 10, async || {
        store.hub_coverage(&hub_scope).await.unwrap()
    })
    .await;
    time("uncovered(same hub, party_work), page 1", 10, async || {
        store
            .uncovered(&hub_scope, Gap::PartyWork, 1, 20)
            .await
            .unwrap()
            .total
    })
    .await;
    let ds = time("district_structure(district)", 10, async || {
        store
            .district_structure(district.code.as_str())
            .await
            .unwrap()
            .unwrap()
    })
    .await;
    assert!(ds.streets.iter().all(|s| s.hub.is_some()));
    let ss = time("street_structure(street with hub, venue)", 10, async || {
        store.street_structure(street0).await.unwrap().unwrap()
    })
    .await;
    assert!(ss.hub.is_some() && !ss.venues.is_empty());
    time(
        &format!("hub_members(big hub), page 1 of {}", big.member_count),
        10,
        async || {
            store
                .hub_members(big.id, None, 1, 20)
                .await
                .unwrap()
                .items
                .len()
        },
    )
    .await;
    let late = u32::try_from(big.member_count / 20).unwrap().max(1);
    time(
        &format!("hub_members(big hub), page {late}"),
        10,
        async || {
            store
                .hub_members(big.id, None, late, 20)
                .await
                .unwrap()
                .items
                .len()
        },
    )
    .await;
    time("hub_members(street hub, active), page 1", 10, async || {
        store
            .hub_members(*street_hub, Some(MembershipStatus::Active), 1, 20)
            .await
            .unwrap()
            .total
    })
    .await;
    time("list_hubs(all), page 1", 10, async || {
        store
            .list_hubs(&HubFilter::default(), 1, 20)
            .await
            .unwrap()
            .total
    })
    .await;
    time("list_hubs(district, industry), page 1", 10, async || {
        store
            .list_hubs(
                &HubFilter {
                    path_prefix: Some(district.path.clone()),
                    kind: Some(HubKind::Industry),
                    include_revoked: false,
                },
                1,
                20,
            )
            .await
            .unwrap()
            .total
    })
    .await;
    time(
        "memberships_of(street hub's organization)",
        20,
        async || store.memberships_of(*street0_org).await.unwrap().len(),
    )
    .await;
    let week_from = start0 + Duration::days(60);
    let got = time("bookings_between(room, one week)", 20, async || {
        store
            .bookings_between(rooms[0], week_from, week_from + Duration::days(7))
            .await
            .unwrap()
            .len()
    })
    .await;
    assert_eq!(got, 28);
    time("instructors(district), page 1", 10, async || {
        store
            .instructors(&district.path, 1, 20)
            .await
            .unwrap()
            .items
            .len()
    })
    .await;
    let Some(Loaded {
        places,
        ids,
        hub_orgs,
        regional,
        industry,
        streets,
        ..
    }) = loaded
    else {
        println!("(reused database: the writes that cannot repeat are left out)");
        return;
    };
    let p = places.len();
    let street_of = |code: &str| format!("{}000", &code[..9]);
    let request = |day: i64, hour: i64| BookingRequest {
        starts_at: start0 + Duration::days(day) + Duration::hours(hour),
        ends_at: start0 + Duration::days(day) + Duration::hours(hour) + Duration::minutes(90),
        purpose: "活动".into(),
        attendees: 20,
    };
    let mut next = 0i64;
    time(
        "book_space (one more, 90 min on a 30-min grid)",
        20,
        async || {
            next += 1;
            store
                .book_space(
                    rooms[1],
                    ids[next as usize],
                    &request(400 + next, 1),
                    30,
                    "bench",
                )
                .await
                .unwrap()
                .number
        },
    )
    .await;
    let mut k = p + 1000;
    time("add_member (one more, regional)", 20, async || {
        k += 5;
        while hub_orgs.contains(&k) || k % 5 == 1 {
            k += 1;
        }
        let hub = regional[&street_of(&places[k % p].0)];
        store
            .add_member(hub, ids[k], false, day, "bench")
            .await
            .unwrap()
            .status
    })
    .await;
    // Revocations end every live membership and clear the members' counters: one run each.
    let (last_street, _) = streets.last().unwrap().clone();
    let last = regional[&last_street];
    time(
        "revoke_hub(street hub, members' counters cleared)",
        1,
        async || {
            store
                .revoke_hub(last, "bench", day, "bench")
                .await
                .unwrap()
                .member_count
        },
    )
    .await;
    time("revoke_hub(industry hub)", 1, async || {
        store
            .revoke_hub(industry[19], "bench", day, "bench")
            .await
            .unwrap()
            .member_count
    })
    .await;
}
