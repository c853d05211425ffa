//! The demo's hub structure, loaded into a real database on both backends.

use std::collections::BTreeSet;
use std::time::Instant;

use chrono::{Duration, NaiveDate, Utc};
use shuniu_demo::structure::{
    CORE_NAME, MEIYUAN, MEIYUAN_INITIATING, MEIYUAN_MEMBERS, MEIYUAN_VENUE_ADDRESS, SUOJIN,
};
use shuniu_domain::hubs::{HubKind, MembershipStatus};
use shuniu_domain::parks::SpaceKind;
use shuniu_domain::registry::Organization;
use shuniu_store::{CoverageScope, HubFilter, OrgFilter, Store, both_backends};

/// Today in Shanghai: bookings are made for the days after it.
fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

const XUANWU_PATH: &str = "320000/320100/320102/";

async fn named(store: &Store, name: &str) -> Organization {
    let page = store
        .list_organizations(
            &OrgFilter {
                q: Some(name.into()),
                ..Default::default()
            },
            1,
            50,
        )
        .await
        .unwrap();
    page.items
        .into_iter()
        .find(|o| o.data.name == name)
        .unwrap_or_else(|| panic!("{name} is missing"))
}

both_backends!(demo_builds_the_hub_structure, |store: Store| async move {
    let started = Instant::now();
    let summary = shuniu_demo::load(&store, today()).await.unwrap();
    println!(
        "{} demo load: {:?} — {:?}",
        store.backend_name(),
        started.elapsed(),
        summary.structure
    );
    assert!(summary.loaded);
    assert_eq!(summary.organizations, 1379);
    let s = summary.structure;
    assert!(s.core);
    assert_eq!((s.regional_hubs, s.industry_hubs), (7, 4));

    // Still 1,379 organizations: every hub is one of them.
    let all = store
        .list_organizations(&OrgFilter::default(), 1, 1)
        .await
        .unwrap();
    assert_eq!(all.total, 1379);

    // 一核两轴: the core, a regional hub in every street, four industry hubs.
    let district = store.district_structure("320102").await.unwrap().unwrap();
    assert_eq!(district.core.as_ref().unwrap().name_zh, CORE_NAME);
    assert_eq!(district.streets.len(), 7);
    for street in &district.streets {
        let hub = street
            .hub
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no regional hub", street.street.name_zh));
        assert_eq!(
            hub.organization_name,
            format!("{}社会组织发展促进会", street.street.name_zh)
        );
        assert_eq!(hub.recognition.recognizing_body, "玄武区民政局");
        assert!(hub.recognition.document_number.starts_with("玄民〔"));
        assert!(hub.member_count > 0, "{}", street.street.name_zh);
    }
    let regional = store
        .list_hubs(
            &HubFilter {
                path_prefix: Some(XUANWU_PATH.into()),
                kind: Some(HubKind::Regional),
                include_revoked: false,
            },
            1,
            50,
        )
        .await
        .unwrap();
    assert_eq!(regional.total, 7);
    let industry = store
        .list_hubs(
            &HubFilter {
                path_prefix: Some(XUANWU_PATH.into()),
                kind: Some(HubKind::Industry),
                include_revoked: false,
            },
            1,
            50,
        )
        .await
        .unwrap();
    assert_eq!(industry.total, 4);
    let bases: BTreeSet<&str> = industry
        .items
        .iter()
        .map(|h| h.recognition.base_body.as_str())
        .collect();
    for base in ["残疾人联合会", "玄武区委员会", "妇女联合会", "总工会"] {
        assert!(bases.iter().any(|b| b.contains(base)), "{base}: {bases:?}");
    }
    for hub in &industry.items {
        assert!(hub.member_count >= 12, "{}", hub.organization_name);
        // Members are drawn from the hub's fields.
        let fields = hub.recognition.fields();
        let members = store
            .hub_members(hub.id, Some(MembershipStatus::Active), 1, 200)
            .await
            .unwrap();
        assert_eq!(members.total, hub.member_count);
        for m in &members.items {
            let o = store
                .organization(m.organization_id)
                .await
                .unwrap()
                .unwrap();
            assert!(
                o.data.domains.iter().any(|d| fields.contains(d)),
                "{} in {}",
                o.data.name,
                hub.organization_name
            );
        }
    }

    // Meiyuan: 36 member units, 5 of them the initiating units the article names.
    let meiyuan_org = named(&store, "梅园新村街道社会组织发展促进会").await;
    let meiyuan = store
        .hub_of_organization(meiyuan_org.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(meiyuan.member_count, MEIYUAN_MEMBERS as i64);
    let members = store
        .hub_members(meiyuan.id, Some(MembershipStatus::Active), 1, 100)
        .await
        .unwrap();
    assert_eq!(members.total, 36);
    let initiating: BTreeSet<&str> = members
        .items
        .iter()
        .filter(|m| m.initiating)
        .map(|m| m.organization_name.as_str())
        .collect();
    assert_eq!(initiating, MEIYUAN_INITIATING.into_iter().collect());
    // Initiating units first.
    assert!(members.items[..5].iter().all(|m| m.initiating));
    let pending = store
        .hub_members(meiyuan.id, Some(MembershipStatus::Pending), 1, 100)
        .await
        .unwrap();
    assert!(pending.total >= 1);

    // Suojincun's workstation serves 70+ organizations; history has a rejection and a leave.
    let suojin = district
        .streets
        .iter()
        .find(|s| s.street.code.as_str() == SUOJIN)
        .unwrap()
        .hub
        .clone()
        .unwrap();
    assert!(suojin.member_count >= 70, "{}", suojin.member_count);
    for status in [MembershipStatus::Rejected, MembershipStatus::Left] {
        let page = store
            .hub_members(suojin.id, Some(status), 1, 10)
            .await
            .unwrap();
        assert_eq!(page.total, 1, "{status:?}");
    }
    // Every active member of a regional hub is counted as covered.
    let hubs = store
        .hub_coverage(&CoverageScope::Subtree(XUANWU_PATH.into()))
        .await
        .unwrap();
    let regional_members: i64 = district
        .streets
        .iter()
        .map(|s| s.hub.as_ref().unwrap().member_count)
        .sum();
    assert_eq!(hubs.regional.covered, regional_members);
    assert!(hubs.industry.covered > 0);
    // Coverage counts the live organizations: all but those the history deregistered.
    assert_eq!(
        hubs.regional.total,
        (shuniu_demo::ORGANIZATIONS - summary.history.deregistered) as i64
    );

    // The service park at 梅园新村34号: 400 m², free, run by the Meiyuan hub.
    let street = store.street_structure(MEIYUAN).await.unwrap().unwrap();
    let venue = street
        .venues
        .iter()
        .find(|v| v.data.address == MEIYUAN_VENUE_ADDRESS)
        .unwrap();
    assert_eq!(venue.data.area_m2, 400);
    assert_eq!(venue.hub_id, Some(meiyuan.id));
    assert!(venue.data.free_of_charge && venue.data.utilities_waived);
    assert_eq!(venue.data.owner, "梅园新村街道办事处");
    let spaces = store.spaces_of(venue.id).await.unwrap();
    for kind in [
        SpaceKind::Office,
        SpaceKind::ActivityRoom,
        SpaceKind::MeetingRoom,
    ] {
        assert!(spaces.iter().any(|s| s.data.kind == kind), "{kind:?}");
    }
    let allocations = store.allocations_of_venue(venue.id, today()).await.unwrap();
    assert!(!allocations.is_empty());
    let now = Utc::now();
    let mut future = 0;
    for room in spaces.iter().filter(|s| s.data.kind.is_bookable()) {
        future += store
            .bookings_between(room.id, now, now + Duration::days(30))
            .await
            .unwrap()
            .len();
    }
    assert!(future > 0);
    let reports = store
        .obligation_summaries(
            venue.id,
            &[shuniu_domain::parks::Quarter::of(
                today() - Duration::days(92),
            )],
        )
        .await
        .unwrap();
    assert!(reports[0].delivered_hours > 0);
    // Suojincun has a venue too.
    let suojin_street = store.street_structure(SUOJIN).await.unwrap().unwrap();
    assert!(!suojin_street.venues.is_empty());

    // Party-building instructors: Suojincun's workstation takes every organization of the
    // street without a party organization.
    let instructors = store
        .instructors("320000/320100/320102/320102007000/", 1, 50)
        .await
        .unwrap();
    assert!(instructors.total >= 3);
    let suojin_path = "320000/320100/320102/320102007000/".to_string();
    let gap = store
        .uncovered(
            &CoverageScope::Subtree(suojin_path.clone()),
            shuniu_store::Gap::PartyWork,
            1,
            10,
        )
        .await
        .unwrap();
    assert_eq!(gap.total, 0);
    let party = store
        .party_coverage(&CoverageScope::Subtree(suojin_path))
        .await
        .unwrap();
    assert!(party.work.covered > party.organizations.covered);

    // Everything was audited, and the chain holds.
    let report = store.audit_verify().await.unwrap();
    assert_eq!(report.first_break, None);
    assert!(report.verified > 1379);

    // A second load writes nothing.
    let again = shuniu_demo::load(&store, today()).await.unwrap();
    assert!(!again.loaded);
    assert_eq!(again.structure.regional_hubs, 0);
});
