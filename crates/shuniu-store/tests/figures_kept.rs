//! Figures kept in memory until the next write (`figures_cache`: coverage, the uncovered
//! lists' totals, the tree's totals) and the domain counts read from the tallies, on both
//! engines: after each write of a story through the store's write paths, every figure a
//! page of the tree shows equals what walking the registry's rows gives — read twice, so
//! that the second answer (from memory when nothing was written between) is checked too.
//! The coverage figures are sums of `organization_coverage`, which triggers keep: a
//! write past the store (the last step) moves them as well.

use shuniu_domain::jurisdiction::Level;
use shuniu_domain::party::PartyBuilding;
use shuniu_domain::registry::{OrgStatus, Organization, PartyOrg, ServiceDomain, StatusChange};
use shuniu_store::testing::MEIYUAN;
use shuniu_store::{CoverageScope, Gap, OrgFilter, Store, SubtreeStats, both_backends};

use crate::party::{build, world};

const SUOJIN: &str = "320102007000";
/// The nodes whose figures are checked: the province down to two streets.
const NODES: [&str; 5] = ["320000", "320100", "320102", MEIYUAN, SUOJIN];

/// The live (not deregistered) organizations of `code`'s subtree, walked row by row.
async fn live(store: &Store, code: &str, domain: Option<ServiceDomain>) -> Vec<Organization> {
    let mut out = Vec::new();
    for status in [OrgStatus::Active, OrgStatus::Suspended] {
        let filter = OrgFilter {
            jurisdiction: Some(code.into()),
            status: Some(status),
            domain,
            ..Default::default()
        };
        out.extend(
            store
                .organizations_chunk(&filter, None, 10_000)
                .await
                .unwrap()
                .items,
        );
    }
    out
}

/// Organizations of `scope` in `gap`, walked row by row.
async fn walked_gap(store: &Store, scope: &CoverageScope, gap: Gap) -> i64 {
    store
        .uncovered_chunk(scope, gap, None, 5_000)
        .await
        .unwrap()
        .items
        .len() as i64
}

/// A scope's coverage, with the uncovered totals, against its walked rows.
async fn assert_coverage_exact(store: &Store, scope: &CoverageScope, live: i64, what: &str) {
    let party = store.party_coverage(scope).await.unwrap();
    let hubs = store.hub_coverage(scope).await.unwrap();
    assert_eq!(party.organizations.total, live, "{what}: live");
    assert_eq!(hubs.regional.total, live, "{what}: live (hubs)");
    for (gap, covered) in [
        (Gap::PartyOrganization, party.organizations.covered),
        (Gap::PartyWork, party.work.covered),
        (Gap::RegionalHub, hubs.regional.covered),
        (Gap::IndustryHub, hubs.industry.covered),
    ] {
        let walked = walked_gap(store, scope, gap).await;
        assert_eq!(live - covered, walked, "{what}: {gap:?} covered");
        assert_eq!(
            store.uncovered_count(scope, gap).await.unwrap(),
            walked,
            "{what}: {gap:?} count"
        );
        let page = store.uncovered(scope, gap, 1, 3).await.unwrap();
        assert_eq!(page.total, walked, "{what}: {gap:?} page total");
        let keyset = store
            .uncovered_keyset(scope, gap, shuniu_store::At::Offset(0), 3)
            .await
            .unwrap();
        assert_eq!(
            keyset.total,
            shuniu_store::Total::Exact(walked),
            "{what}: {gap:?} keyset total"
        );
    }
}

/// Every figure of every node in [`NODES`] against the registry's rows, twice.
async fn assert_figures_exact(store: &Store, step: &str) {
    for round in 0..2 {
        for code in NODES {
            let what = format!("{step}, {code}, read {round}");
            let j = store.jurisdiction(code).await.unwrap().unwrap();
            let rows = live(store, code, None).await;
            let scope = CoverageScope::Subtree(j.path.clone());
            assert_coverage_exact(store, &scope, rows.len() as i64, &what).await;
            for c in store.coverage_by_child(&j).await.unwrap() {
                let own = CoverageScope::Subtree(c.jurisdiction.path.clone());
                let n = live(store, c.jurisdiction.code.as_str(), None).await.len() as i64;
                assert_eq!(c.party.organizations.total, n, "{what}: child {own:?}");
                assert_eq!(
                    n - c.party.work.covered,
                    walked_gap(store, &own, Gap::PartyWork).await,
                    "{what}: child {own:?} party work"
                );
                assert_eq!(
                    n - c.hubs.regional.covered,
                    walked_gap(store, &own, Gap::RegionalHub).await,
                    "{what}: child {own:?} regional"
                );
            }
            // The tree's totals of every node below, from the rows' own staff.
            let under = store.subtree_stats_under(&j).await.unwrap();
            for node in store
                .jurisdiction_subtree(&j, Level::Community)
                .await
                .unwrap()
            {
                let rows = live(store, node.code.as_str(), None).await;
                let expected = SubtreeStats {
                    organizations: rows.len() as i64,
                    staff: rows.iter().map(|o| i64::from(o.data.staff_total())).sum(),
                };
                let kept = under.get(node.code.as_str()).copied().unwrap_or_default();
                assert_eq!(kept, expected, "{what}: tree totals of {}", node.code);
            }
            for dc in store.domain_counts(&j).await.unwrap() {
                let n = live(store, code, Some(dc.domain)).await.len() as i64;
                assert_eq!(dc.organizations, n, "{what}: domain {:?}", dc.domain);
            }
        }
    }
}

both_backends!(kept_figures_follow_every_write, |store: Store| async move {
    let plans = world();
    let (orgs, teacher) = build(&store, &plans).await;
    assert_figures_exact(&store, "the world built").await;
    // Sanity: the figures are not vacuous.
    let xuanwu = store.jurisdiction("320102").await.unwrap().unwrap();
    let cov = store
        .party_coverage(&CoverageScope::Subtree(xuanwu.path.clone()))
        .await
        .unwrap();
    assert!(
        cov.organizations.total >= 8 && cov.work.covered >= 3,
        "{cov:?}"
    );

    // Party building: an organization without one gets a branch and an instructor.
    let plain = plans
        .iter()
        .position(|p| p.name == "梅园丁养老服务中心")
        .unwrap();
    store
        .set_party_building(
            orgs[plain].id,
            &PartyBuilding {
                party_org: PartyOrg::OwnBranch,
                party_members: 3,
                instructor_id: Some(teacher),
            },
            "test",
        )
        .await
        .unwrap();
    assert_figures_exact(&store, "after party building").await;

    // A deregistration takes an organization out of every figure.
    store
        .change_status(
            orgs[0].id,
            &StatusChange {
                status: OrgStatus::Deregistered,
                reason: "自行解散".into(),
                effective_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            },
            "test",
        )
        .await
        .unwrap();
    assert_figures_exact(&store, "after a deregistration").await;

    // An edit that moves an organization to another street, with more staff.
    let moved = &orgs[1];
    let mut data = moved.data.clone();
    data.jurisdiction = shuniu_domain::jurisdiction::JurisdictionCode::parse(SUOJIN).unwrap();
    data.staff_full_time += 5;
    data.domains = vec![ServiceDomain::Children];
    store
        .update_organization(moved.id, &data, "test")
        .await
        .unwrap();
    assert_figures_exact(&store, "after a move").await;

    // Hubs recognized and members added through the hub store: the regional hub
    // counters move.
    let hub = crate::hubs::seed_hubs_for_chunks(&store).await;
    assert_figures_exact(&store, "after hubs and memberships").await;
    let meiyuan = CoverageScope::Subtree(store.jurisdiction(MEIYUAN).await.unwrap().unwrap().path);
    let in_regional_hubs = async || {
        let hubs = store.hub_coverage(&meiyuan).await.unwrap();
        hubs.regional.covered
    };
    let regional_before = in_regional_hubs().await;
    assert!(regional_before >= 4, "the hub's members: {regional_before}");

    // A revocation clears every member's regional hub in one set-based UPDATE.
    store
        .revoke_hub(
            hub,
            "撤销认定",
            chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            "test",
        )
        .await
        .unwrap();
    assert_figures_exact(&store, "after a hub's revocation").await;
    let regional_after = in_regional_hubs().await;
    assert!(
        regional_after < regional_before,
        "{regional_after} < {regional_before}"
    );

    // A write past the store (a tamper hook) forgets what was kept.
    store
        .execute_raw_for_tests("UPDATE organizations SET industry_hubs = 1")
        .await
        .unwrap();
    assert_figures_exact(&store, "after a raw write").await;
});
