//! Party building and coverage, on SQLite and PostgreSQL.

use chrono::NaiveDate;
use shuniu_domain::codes::Uscc;
use shuniu_domain::party::{InstructorDraft, PartyBuilding};
use shuniu_domain::registry::{
    OrgStatus, Organization, OrganizationData, OrganizationDraft, PartyOrg, StatusChange,
};
use shuniu_store::{AuditFilter, CoverageScope, Gap, Store, StoreError, both_backends};
use uuid::Uuid;

const XUANWU: &str = "320102";
use shuniu_store::testing::MEIYUAN;
const SUOJIN: &str = "320102007000";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn org(n: u32, name: &str, place: &str, party_org: PartyOrg, members: u32) -> OrganizationData {
    let uscc = Uscc::assemble('5', '2', "320102", &format!("MJ{n:06}")).unwrap();
    OrganizationDraft {
        name: Some(name.into()),
        legal_form: Some("social_service_institution".into()),
        uscc: Some(uscc.to_string()),
        domains: Some(vec!["elderly".into()]),
        jurisdiction: Some(place.into()),
        address: Some("锁金村1号".into()),
        founded_on: Some("2012-01-15".into()),
        legal_representative: Some("李华".into()),
        contact_phone: Some("025-84123456".into()),
        staff_full_time: Some("8".into()),
        party_org: Some(party_org.as_str().into()),
        party_members: Some(members.to_string()),
        stage: Some("growth".into()),
        ..Default::default()
    }
    .validate(today())
    .unwrap()
}

pub(crate) fn instructor_data(name: &str, place: &str) -> shuniu_domain::party::InstructorData {
    InstructorDraft {
        name: Some(name.into()),
        phone: Some("13951781426".into()),
        jurisdiction: Some(place.into()),
        workplace: Some("锁金村街道社会组织党建工作站".into()),
    }
    .validate()
    .unwrap()
}

/// One organization of the test world, as planned.
pub(crate) struct Plan {
    pub(crate) name: &'static str,
    place: &'static str,
    party_org: PartyOrg,
    instructor: bool,
    live: bool,
    regional: bool,
    industry: i64,
}

const fn plan(
    name: &'static str,
    place: &'static str,
    party_org: PartyOrg,
    instructor: bool,
    live: bool,
) -> Plan {
    Plan {
        name,
        place,
        party_org,
        instructor,
        live,
        regional: false,
        industry: 0,
    }
}

/// Two streets and the district level; one deregistered organization in each street.
pub(crate) fn world() -> Vec<Plan> {
    use PartyOrg::*;
    vec![
        plan("梅园甲养老服务中心", MEIYUAN, OwnBranch, false, true),
        plan("梅园乙养老服务中心", MEIYUAN, JointBranch, false, true),
        plan("梅园丙养老服务中心", MEIYUAN, None, true, true),
        plan("梅园丁养老服务中心", MEIYUAN, None, false, true),
        plan("梅园戊养老服务中心", MEIYUAN, JointBranch, false, false),
        plan("锁金甲养老服务中心", SUOJIN, None, true, true),
        plan("锁金乙养老服务中心", SUOJIN, None, false, true),
        plan("锁金丙养老服务中心", SUOJIN, OwnBranch, false, true),
        plan("锁金丁养老服务中心", SUOJIN, None, true, false),
        plan("锁金戊养老服务中心", SUOJIN, None, false, true),
        plan("玄武区甲养老服务中心", XUANWU, None, false, true),
    ]
}

/// Builds the planned world; returns the organizations in plan order and the instructor.
pub(crate) async fn build(store: &Store, plans: &[Plan]) -> (Vec<Organization>, Uuid) {
    let teacher = store
        .create_instructor(&instructor_data("赵党建", SUOJIN), "test")
        .await
        .unwrap();
    let mut out = Vec::new();
    for (i, p) in plans.iter().enumerate() {
        let members = match p.party_org {
            PartyOrg::OwnBranch => 3,
            PartyOrg::JointBranch => 1,
            PartyOrg::None => 0,
        };
        let o = store
            .create_organization(
                &org(i as u32 + 1, p.name, p.place, p.party_org, members),
                "test",
            )
            .await
            .unwrap();
        if p.instructor {
            store
                .set_party_building(
                    o.id,
                    &PartyBuilding {
                        party_org: p.party_org,
                        party_members: members,
                        instructor_id: Some(teacher.id),
                    },
                    "test",
                )
                .await
                .unwrap();
        }
        if !p.live {
            store
                .change_status(
                    o.id,
                    &StatusChange {
                        status: OrgStatus::Deregistered,
                        reason: "自行解散".into(),
                        effective_on: today(),
                    },
                    "test",
                )
                .await
                .unwrap();
        }
        out.push(o);
    }
    (out, teacher.id)
}

pub(crate) fn path_of(place: &str) -> String {
    match place {
        XUANWU => "320000/320100/320102/".to_string(),
        street => format!("320000/320100/320102/{street}/"),
    }
}

fn in_scope(p: &Plan, place: &str) -> bool {
    p.live && path_of(p.place).starts_with(&path_of(place))
}

fn count(plans: &[Plan], place: &str, f: impl Fn(&Plan) -> bool) -> i64 {
    plans.iter().filter(|p| in_scope(p, place) && f(p)).count() as i64
}

/// A UUID as a literal of the backend's column type (tests write raw SQL).
fn uuid_lit(store: &Store, id: Uuid) -> String {
    shuniu_store::testing::uuid_literal(store, id)
}

both_backends!(
    instructors_are_created_listed_and_counted,
    |store: Store| async move {
        let e = store
            .create_instructor(&instructor_data("钱指导", "320102099000"), "test")
            .await
            .unwrap_err();
        assert!(
            matches!(&e, StoreError::Invalid(f) if f.get("jurisdiction").is_some()),
            "{e:?}"
        );
        let a = store
            .create_instructor(&instructor_data("孙指导", SUOJIN), "test")
            .await
            .unwrap();
        let b = store
            .create_instructor(&instructor_data("李指导", SUOJIN), "test")
            .await
            .unwrap();
        let c = store
            .create_instructor(&instructor_data("周指导", MEIYUAN), "test")
            .await
            .unwrap();
        assert_eq!(a.organizations, 0);
        let read = store.instructor(a.id).await.unwrap().unwrap();
        assert_eq!(read, a);
        assert!(store.instructor(Uuid::now_v7()).await.unwrap().is_none());

        let xuanwu = store.instructors(&path_of(XUANWU), 1, 50).await.unwrap();
        assert_eq!(xuanwu.total, 3);
        let mut names: Vec<&str> = [&a, &b, &c].iter().map(|i| i.data.name.as_str()).collect();
        names.sort();
        assert_eq!(
            xuanwu
                .items
                .iter()
                .map(|i| i.data.name.as_str())
                .collect::<Vec<_>>(),
            names
        );
        // An empty prefix is the whole tree.
        assert_eq!(store.instructors("", 1, 50).await.unwrap().total, 3);
        let suojin = store.instructors(&path_of(SUOJIN), 1, 1).await.unwrap();
        assert_eq!(
            (suojin.total, suojin.items.len(), suojin.pages()),
            (2, 1, 2)
        );
        let page2 = store.instructors(&path_of(SUOJIN), 2, 1).await.unwrap();
        assert_ne!(page2.items[0].id, suojin.items[0].id);
        assert_eq!(
            store
                .instructors("320000/320100/320104/", 1, 50)
                .await
                .unwrap()
                .total,
            0
        );

        // Assign a to two organizations, then deregister one: only live ones count.
        let mut orgs = Vec::new();
        for i in 0..2u32 {
            let o = store
                .create_organization(
                    &org(
                        i + 1,
                        &format!("锁金第{i}服务中心"),
                        SUOJIN,
                        PartyOrg::None,
                        0,
                    ),
                    "test",
                )
                .await
                .unwrap();
            let pb = PartyBuilding {
                party_org: PartyOrg::None,
                party_members: 0,
                instructor_id: Some(a.id),
            };
            store.set_party_building(o.id, &pb, "test").await.unwrap();
            orgs.push(o);
        }
        assert_eq!(
            store.instructor(a.id).await.unwrap().unwrap().organizations,
            2
        );
        assert_eq!(
            store.instructor_of(orgs[0].id).await.unwrap().unwrap().id,
            a.id
        );
        store
            .change_status(
                orgs[1].id,
                &StatusChange {
                    status: OrgStatus::Deregistered,
                    reason: "注销".into(),
                    effective_on: today(),
                },
                "test",
            )
            .await
            .unwrap();
        let listed = store.instructors(&path_of(SUOJIN), 1, 50).await.unwrap();
        let counted = listed.items.iter().find(|i| i.id == a.id).unwrap();
        assert_eq!(counted.organizations, 1);
        assert_eq!(
            listed
                .items
                .iter()
                .find(|i| i.id == b.id)
                .unwrap()
                .organizations,
            0
        );
        let audit = store
            .audit_page(
                &AuditFilter {
                    action: Some("instructor.create".into()),
                    ..Default::default()
                },
                1,
                50,
            )
            .await
            .unwrap();
        assert_eq!(audit.total, 3);
    }
);

both_backends!(
    party_building_is_recorded_and_audited,
    |store: Store| async move {
        let teacher = store
            .create_instructor(&instructor_data("赵党建", SUOJIN), "test")
            .await
            .unwrap();
        let o = store
            .create_organization(
                &org(1, "锁金乐龄服务中心", SUOJIN, PartyOrg::None, 0),
                "test",
            )
            .await
            .unwrap();
        assert!(store.instructor_of(o.id).await.unwrap().is_none());
        // An unknown instructor names the field, and writes nothing.
        let e = store
            .set_party_building(
                o.id,
                &PartyBuilding {
                    party_org: PartyOrg::JointBranch,
                    party_members: 2,
                    instructor_id: Some(Uuid::now_v7()),
                },
                "alice",
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&e, StoreError::Invalid(f) if f.get("instructor_id").is_some()),
            "{e:?}"
        );
        assert_eq!(
            store
                .organization(o.id)
                .await
                .unwrap()
                .unwrap()
                .data
                .party_org,
            PartyOrg::None
        );
        let e = store
            .set_party_building(
                Uuid::now_v7(),
                &PartyBuilding {
                    party_org: PartyOrg::None,
                    party_members: 0,
                    instructor_id: None,
                },
                "alice",
            )
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::NotFound), "{e:?}");

        let pb = PartyBuilding {
            party_org: PartyOrg::JointBranch,
            party_members: 2,
            instructor_id: Some(teacher.id),
        };
        let after = store.set_party_building(o.id, &pb, "alice").await.unwrap();
        assert_eq!(after.data.party_org, PartyOrg::JointBranch);
        assert_eq!(after.data.party_members, 2);
        let read = store.organization(o.id).await.unwrap().unwrap();
        assert_eq!(read, after);
        assert_eq!(
            store.instructor_of(o.id).await.unwrap().unwrap().id,
            teacher.id
        );

        let history = store.organization_history(o.id).await.unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[0].action, "party");
        assert_eq!(history[0].actor, "alice");
        assert_eq!(history[0].changes["party_org"]["from"], "none");
        assert_eq!(history[0].changes["party_org"]["to"], "joint_branch");
        assert_eq!(history[0].changes["party_members"]["to"], 2);
        assert_eq!(
            history[0].changes["instructor_id"]["to"],
            teacher.id.to_string()
        );
        // The same facts again change nothing.
        store.set_party_building(o.id, &pb, "alice").await.unwrap();
        assert_eq!(store.organization_history(o.id).await.unwrap().len(), 2);
        // Removing the instructor is a change.
        let without = PartyBuilding {
            instructor_id: None,
            ..pb.clone()
        };
        store
            .set_party_building(o.id, &without, "bob")
            .await
            .unwrap();
        let history = store.organization_history(o.id).await.unwrap();
        assert_eq!(history.len(), 3);
        assert!(history[0].changes["instructor_id"]["to"].is_null());
        assert!(history[0].changes.get("party_org").is_none());
        assert!(store.instructor_of(o.id).await.unwrap().is_none());

        let audit = store
            .audit_page(
                &AuditFilter {
                    action: Some("organization.party".into()),
                    ..Default::default()
                },
                1,
                50,
            )
            .await
            .unwrap();
        assert_eq!(audit.total, 2);
        assert_eq!(audit.items[1].event.actor, "alice");
        assert_eq!(
            audit.items[1].event.object,
            format!("organization:{}", o.id)
        );
        assert_eq!(
            audit.items[1].event.jurisdiction_path.as_deref(),
            Some(path_of(SUOJIN).as_str())
        );
        let report = store.audit_verify().await.unwrap();
        assert_eq!(report.first_break, None);

        // A deregistered organization's party facts stay as they were.
        store
            .change_status(
                o.id,
                &StatusChange {
                    status: OrgStatus::Deregistered,
                    reason: "注销".into(),
                    effective_on: today(),
                },
                "test",
            )
            .await
            .unwrap();
        let e = store
            .set_party_building(o.id, &pb, "alice")
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::State(_)), "{e:?}");
    }
);

both_backends!(
    coverage_of_streets_and_district,
    |store: Store| async move {
        let plans = world();
        build(&store, &plans).await;
        for place in [XUANWU, MEIYUAN, SUOJIN] {
            let cov = store
                .party_coverage(&CoverageScope::Subtree(path_of(place)))
                .await
                .unwrap();
            let total = count(&plans, place, |_| true);
            let org = count(&plans, place, |p| p.party_org != PartyOrg::None);
            let work = count(&plans, place, |p| {
                p.party_org != PartyOrg::None || p.instructor
            });
            assert_eq!(cov.organizations.total, total, "{place}");
            assert_eq!(cov.organizations.covered, org, "{place}");
            assert_eq!(cov.work.total, total, "{place}");
            assert_eq!(cov.work.covered, work, "{place}");
            assert!(
                org < work && work < total,
                "the world tells the figures apart"
            );
        }
        // Numbers as planned: Xuanwu has 9 live organizations, 3 with a party organization.
        let x = store
            .party_coverage(&CoverageScope::Subtree(path_of(XUANWU)))
            .await
            .unwrap();
        assert_eq!((x.organizations.covered, x.organizations.total), (3, 9));
        assert_eq!(x.work.covered, 5);
        // An empty subtree is 0 of 0.
        let empty = store
            .party_coverage(&CoverageScope::Subtree("320000/320100/320104/".into()))
            .await
            .unwrap();
        assert_eq!(empty, Default::default());

        let children = store
            .coverage_by_child(&store.jurisdiction(XUANWU).await.unwrap().unwrap())
            .await
            .unwrap();
        assert_eq!(children.len(), 7);
        let codes: Vec<&str> = children
            .iter()
            .map(|c| c.jurisdiction.code.as_str())
            .collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
        for c in &children {
            let place = c.jurisdiction.code.as_str();
            let direct = store
                .party_coverage(&CoverageScope::Subtree(c.jurisdiction.path.clone()))
                .await
                .unwrap();
            assert_eq!(c.party, direct, "{place}");
            assert_eq!(c.party.organizations.total, count(&plans, place, |_| true));
            assert_eq!(
                c.hubs,
                store
                    .hub_coverage(&CoverageScope::Subtree(c.jurisdiction.path.clone()))
                    .await
                    .unwrap()
            );
        }
        // District-level organizations belong to no street.
        let in_streets: i64 = children.iter().map(|c| c.party.organizations.total).sum();
        assert_eq!(in_streets + count(&plans, XUANWU, |p| p.place == XUANWU), 9);
        // Down to communities: a street has none seeded, so no children.
        let street = store.jurisdiction(SUOJIN).await.unwrap().unwrap();
        assert!(store.coverage_by_child(&street).await.unwrap().is_empty());
    }
);

both_backends!(
    uncovered_organizations_are_paged_by_name,
    |store: Store| async move {
        let plans = world();
        build(&store, &plans).await;
        for gap in [Gap::PartyOrganization, Gap::PartyWork] {
            let mut expected: Vec<&str> = plans
                .iter()
                .filter(|p| in_scope(p, XUANWU))
                .filter(|p| match gap {
                    Gap::PartyOrganization => p.party_org == PartyOrg::None,
                    _ => p.party_org == PartyOrg::None && !p.instructor,
                })
                .map(|p| p.name)
                .collect();
            expected.sort();
            let scope = CoverageScope::Subtree(path_of(XUANWU));
            let mut seen = Vec::new();
            let first = store.uncovered(&scope, gap, 1, 2).await.unwrap();
            assert_eq!(first.total, expected.len() as i64, "{gap:?}");
            for page in 1..=first.pages() {
                let p = store.uncovered(&scope, gap, page, 2).await.unwrap();
                assert!(p.items.len() <= 2);
                seen.extend(p.items.into_iter().map(|o| o.data.name));
            }
            assert_eq!(seen, expected, "{gap:?}");
        }
        // Nobody is in a hub yet: every live organization is outside both axes.
        let suojin = CoverageScope::Subtree(path_of(SUOJIN));
        let live = count(&plans, SUOJIN, |_| true);
        for gap in [Gap::RegionalHub, Gap::IndustryHub] {
            assert_eq!(
                store.uncovered(&suojin, gap, 1, 50).await.unwrap().total,
                live
            );
        }
        // Past the last page: empty, with the total.
        let past = store
            .uncovered(&suojin, Gap::PartyOrganization, 9, 2)
            .await
            .unwrap();
        assert!(past.items.is_empty());
        assert_eq!(
            past.total,
            count(&plans, SUOJIN, |p| p.party_org == PartyOrg::None)
        );
    }
);

both_backends!(
    hub_coverage_follows_the_counters,
    |store: Store| async move {
        let mut plans = world();
        // Suojin's 甲 and 乙 in the regional hub, 甲 and Meiyuan's 甲 in industry hubs; the
        // deregistered 丁 too, which must not count.
        for p in plans.iter_mut() {
            match p.name {
                "锁金甲养老服务中心" => {
                    p.regional = true;
                    p.industry = 2;
                }
                "锁金乙养老服务中心" | "锁金丁养老服务中心" => p.regional = true,
                "梅园甲养老服务中心" => p.industry = 1,
                _ => {}
            }
        }
        let (orgs, _) = build(&store, &plans).await;
        // The hub: Suojin's 戊, recognized for the street (written raw: the counters are what
        // coverage reads; memberships are kept by the hub store).
        let hub_org = orgs[plans
            .iter()
            .position(|p| p.name == "锁金戊养老服务中心")
            .unwrap()]
        .id;
        let hub_id = Uuid::now_v7();
        let now = "2026-11-26T08:00:00Z";
        store
        .execute_raw_for_tests(&format!(
            "INSERT INTO hubs (id, shard_key, organization_id, kind, level, jurisdiction_code, jurisdiction_path, \
             base_body, fields_mask, recognizing_body, document_number, recognized_on, functions_mask, status, \
             member_count, created_at, updated_at) VALUES ({}, '320102', {}, 'regional', 'street', '{SUOJIN}', \
             '{}', '', 0, '玄武区民政局', '玄民〔2012〕7号', '2012-06-01', 3, 'recognized', 0, '{now}', '{now}')",
            uuid_lit(&store, hub_id),
            uuid_lit(&store, hub_org),
            path_of(SUOJIN)
        ))
        .await
        .unwrap();
        for (p, o) in plans.iter().zip(&orgs) {
            if p.regional {
                store
                .execute_raw_for_tests(&format!(
                    "INSERT INTO hub_memberships (id, shard_key, hub_id, hub_organization_id, hub_kind, organization_id, \
                     status, initiating, applied_on, decided_on, created_at, updated_at) VALUES ({}, '320102', {}, {}, \
                     'regional', {}, 'active', FALSE, '2013-01-01', '2013-01-01', '{now}', '{now}')",
                    uuid_lit(&store, Uuid::now_v7()),
                    uuid_lit(&store, hub_id),
                    uuid_lit(&store, hub_org),
                    uuid_lit(&store, o.id)
                ))
                .await
                .unwrap();
            }
            let regional = if p.regional {
                uuid_lit(&store, hub_id)
            } else {
                "NULL".into()
            };
            store
            .execute_raw_for_tests(&format!(
                "UPDATE organizations SET regional_hub_id = {regional}, industry_hubs = {} WHERE id = {}",
                p.industry,
                uuid_lit(&store, o.id)
            ))
            .await
            .unwrap();
        }
        for place in [XUANWU, MEIYUAN, SUOJIN] {
            let cov = store
                .hub_coverage(&CoverageScope::Subtree(path_of(place)))
                .await
                .unwrap();
            let total = count(&plans, place, |_| true);
            assert_eq!(cov.regional.total, total);
            assert_eq!(cov.regional.covered, count(&plans, place, |p| p.regional));
            assert_eq!(
                cov.industry.covered,
                count(&plans, place, |p| p.industry > 0)
            );
            let outside = store
                .uncovered(
                    &CoverageScope::Subtree(path_of(place)),
                    Gap::RegionalHub,
                    1,
                    50,
                )
                .await
                .unwrap();
            assert_eq!(outside.total, total - cov.regional.covered);
            assert!(outside.items.iter().all(|o| o.id != orgs[5].id));
        }
        // The hub's own coverage: its live active members (the deregistered one drops out).
        let scope = CoverageScope::Hub(hub_id);
        let members = plans.iter().filter(|p| p.regional && p.live);
        let expected_total = members.clone().count() as i64;
        let hubs = store.hub_coverage(&scope).await.unwrap();
        assert_eq!(hubs.regional.total, expected_total);
        assert_eq!(hubs.regional.covered, expected_total);
        assert_eq!(
            hubs.industry.covered,
            members.clone().filter(|p| p.industry > 0).count() as i64
        );
        let party = store.party_coverage(&scope).await.unwrap();
        assert_eq!(
            party.work.covered,
            members
                .clone()
                .filter(|p| p.party_org != PartyOrg::None || p.instructor)
                .count() as i64
        );
        let gap = store
            .uncovered(&scope, Gap::PartyWork, 1, 50)
            .await
            .unwrap();
        assert_eq!(
            gap.items
                .iter()
                .map(|o| o.data.name.as_str())
                .collect::<Vec<_>>(),
            members
                .filter(|p| p.party_org == PartyOrg::None && !p.instructor)
                .map(|p| p.name)
                .collect::<Vec<_>>()
        );
        // An unknown hub has nobody.
        let none = store
            .party_coverage(&CoverageScope::Hub(Uuid::now_v7()))
            .await
            .unwrap();
        assert_eq!(none.organizations.total, 0);
    }
);

const PROVINCE: &str = "320000";
const CITY: &str = "320100";
const QINHUAI: &str = "320104";
const MEIYUAN_1: &str = "320102002001";

/// The five figures of a coverage, as one tuple to add up.
fn five(
    p: &shuniu_domain::party::PartyCoverage,
    h: &shuniu_domain::party::HubCoverage,
) -> [i64; 5] {
    assert_eq!(p.organizations.total, h.regional.total);
    [
        p.organizations.total,
        p.organizations.covered,
        p.work.covered,
        h.regional.covered,
        h.industry.covered,
    ]
}

both_backends!(
    coverage_by_child_adds_up_to_the_parent,
    |store: Store| async move {
        use PartyOrg::*;
        let meiyuan = store.jurisdiction(MEIYUAN).await.unwrap().unwrap();
        let community = shuniu_domain::jurisdiction::child_of(
            &meiyuan,
            shuniu_domain::jurisdiction::JurisdictionCode::parse(MEIYUAN_1).unwrap(),
            "梅园一社区",
            "Meiyuan Community 1",
        )
        .unwrap();
        store.add_jurisdiction(&community).await.unwrap();
        // Organizations at every depth from the province to a community, some at each
        // parent asked about below, some deregistered, some in hubs.
        let mut plans = vec![
            plan("省级甲协会", PROVINCE, OwnBranch, false, true),
            plan("市级甲协会", CITY, JointBranch, false, true),
            plan("市级乙协会", CITY, None, true, true),
            plan("市级丙协会", CITY, OwnBranch, false, false),
            plan("秦淮甲协会", QINHUAI, None, false, true),
            plan("玄武甲协会", XUANWU, None, true, true),
            plan("玄武乙协会", XUANWU, OwnBranch, false, true),
            plan("梅园甲中心", MEIYUAN, None, false, true),
            plan("梅园乙中心", MEIYUAN, JointBranch, false, false),
            plan("锁金甲中心", SUOJIN, None, true, true),
            plan("锁金乙中心", SUOJIN, OwnBranch, false, true),
            plan("梅园一社区甲", MEIYUAN_1, None, false, true),
            plan("梅园一社区乙", MEIYUAN_1, JointBranch, true, true),
        ];
        for (i, p) in plans.iter_mut().enumerate() {
            p.regional = i % 3 == 0;
            p.industry = (i % 2) as i64;
        }
        let (orgs, _) = build(&store, &plans).await;
        // Hub counters written raw: coverage reads only them (no hub row is needed).
        let hub = Uuid::now_v7();
        for (p, o) in plans.iter().zip(&orgs) {
            let regional = if p.regional {
                uuid_lit(&store, hub)
            } else {
                "NULL".into()
            };
            store
                .execute_raw_for_tests(&format!(
                    "UPDATE organizations SET regional_hub_id = {regional}, industry_hubs = {} WHERE id = {}",
                    p.industry,
                    uuid_lit(&store, o.id)
                ))
                .await
                .unwrap();
        }
        let direct = |code: &str| {
            let at: Vec<&Plan> = plans.iter().filter(|p| p.live && p.place == code).collect();
            [
                at.len() as i64,
                at.iter().filter(|p| p.party_org != None).count() as i64,
                at.iter()
                    .filter(|p| p.party_org != None || p.instructor)
                    .count() as i64,
                at.iter().filter(|p| p.regional).count() as i64,
                at.iter().filter(|p| p.industry > 0).count() as i64,
            ]
        };
        for code in [PROVINCE, CITY, XUANWU, MEIYUAN] {
            let parent = store.jurisdiction(code).await.unwrap().unwrap();
            let scope = CoverageScope::Subtree(parent.path.clone());
            let whole = five(
                &store.party_coverage(&scope).await.unwrap(),
                &store.hub_coverage(&scope).await.unwrap(),
            );
            let children = store.coverage_by_child(&parent).await.unwrap();
            let expected: Vec<_> = store
                .jurisdiction_children(code)
                .await
                .unwrap()
                .into_iter()
                .map(|j| j.code)
                .collect();
            let got: Vec<_> = children
                .iter()
                .map(|c| c.jurisdiction.code.clone())
                .collect();
            assert_eq!(got, expected, "{code}: every child, in code order");
            let mut sum = direct(code);
            assert!(
                sum[0] > 0,
                "{code}: the world has organizations at the parent"
            );
            for c in &children {
                let own = CoverageScope::Subtree(c.jurisdiction.path.clone());
                assert_eq!(c.party, store.party_coverage(&own).await.unwrap(), "{code}");
                assert_eq!(c.hubs, store.hub_coverage(&own).await.unwrap(), "{code}");
                for (s, v) in sum.iter_mut().zip(five(&c.party, &c.hubs)) {
                    *s += v;
                }
            }
            // Organizations registered at the parent itself are in no child.
            assert_eq!(sum, whole, "{code}: children plus the parent's own");
            assert!(
                whole[1] > 0 && whole[1] < whole[0],
                "{code}: figures differ"
            );
        }
        // The children with organizations are really told apart (not all in one).
        let city = store.jurisdiction(CITY).await.unwrap().unwrap();
        let by_child = store.coverage_by_child(&city).await.unwrap();
        let totals: Vec<i64> = by_child
            .iter()
            .filter(|c| c.party.organizations.total > 0)
            .map(|c| c.party.organizations.total)
            .collect();
        assert_eq!(totals.len(), 2);
    }
);

both_backends!(
    uncovered_over_the_whole_tree_lists_by_name,
    |store: Store| async move {
        use PartyOrg::*;
        let plans = vec![
            plan("丙省级协会", PROVINCE, None, false, true),
            plan("甲市级协会", CITY, None, true, true),
            plan("乙玄武协会", XUANWU, OwnBranch, false, true),
            plan("丁梅园中心", MEIYUAN, None, false, true),
            plan("戊锁金中心", SUOJIN, None, false, false),
            plan("己锁金中心", SUOJIN, None, false, true),
        ];
        build(&store, &plans).await;
        let jiangsu = store.jurisdiction(PROVINCE).await.unwrap().unwrap();
        let listed = async |scope: &CoverageScope, gap: Gap| {
            let first = store.uncovered(scope, gap, 1, 2).await.unwrap();
            let mut names = Vec::new();
            for page in 1..=first.pages() {
                let p = store.uncovered(scope, gap, page, 2).await.unwrap();
                assert_eq!(p.total, first.total);
                names.extend(p.items.into_iter().map(|o| o.data.name));
            }
            assert_eq!(names.len() as i64, first.total);
            names
        };
        let expect = |gap: Gap, extra: &[&str]| {
            let mut names: Vec<String> = plans
                .iter()
                .filter(|p| p.live)
                .filter(|p| match gap {
                    Gap::PartyOrganization => p.party_org == None,
                    _ => p.party_org == None && !p.instructor,
                })
                .map(|p| p.name.to_string())
                .chain(extra.iter().map(|s| s.to_string()))
                .collect();
            names.sort();
            names
        };
        let root = CoverageScope::Subtree(jiangsu.path.clone());
        let all = CoverageScope::Subtree(String::new());
        for gap in [Gap::PartyOrganization, Gap::PartyWork] {
            assert_eq!(listed(&root, gap).await, expect(gap, &[]), "{gap:?}");
            assert_eq!(listed(&all, gap).await, expect(gap, &[]), "{gap:?}");
        }
        // A second root: Jiangsu's subtree no longer holds everything and must keep its
        // bounds; the empty path still lists everyone.
        let zhejiang = shuniu_domain::jurisdiction::Jurisdiction {
            code: shuniu_domain::jurisdiction::JurisdictionCode::parse("330000").unwrap(),
            name_zh: "浙江省".into(),
            name_en: "Zhejiang Province".into(),
            level: shuniu_domain::jurisdiction::Level::Province,
            parent: Option::None,
            path: "330000/".into(),
        };
        store.add_jurisdiction(&zhejiang).await.unwrap();
        store
            .create_organization(&org(90, "乙浙江协会", "330000", None, 0), "test")
            .await
            .unwrap();
        for gap in [Gap::PartyOrganization, Gap::PartyWork] {
            assert_eq!(listed(&root, gap).await, expect(gap, &[]), "{gap:?}");
            assert_eq!(
                listed(&all, gap).await,
                expect(gap, &["乙浙江协会"]),
                "{gap:?}"
            );
        }
    }
);

both_backends!(
    coverage_by_child_of_more_than_a_hundred_children,
    |store: Store| async move {
        let suojin = store.jurisdiction(SUOJIN).await.unwrap().unwrap();
        let codes: Vec<String> = (1..=105).map(|i| format!("320102007{i:03}")).collect();
        for code in &codes {
            let c = shuniu_domain::jurisdiction::child_of(
                &suojin,
                shuniu_domain::jurisdiction::JurisdictionCode::parse(code).unwrap(),
                &format!("社区{code}"),
                &format!("Community {code}"),
            )
            .unwrap();
            store.add_jurisdiction(&c).await.unwrap();
        }
        // Two in the first community, one in the 101st (past the first statement), one
        // in the last; one at the street itself.
        let at = [&codes[0], &codes[0], &codes[100], &codes[104], SUOJIN];
        for (i, place) in at.iter().enumerate() {
            store
                .create_organization(
                    &org(
                        i as u32 + 1,
                        &format!("社区协会{i}"),
                        place,
                        PartyOrg::None,
                        0,
                    ),
                    "test",
                )
                .await
                .unwrap();
        }
        let children = store.coverage_by_child(&suojin).await.unwrap();
        assert_eq!(children.len(), codes.len());
        for (c, code) in children.iter().zip(&codes) {
            assert_eq!(c.jurisdiction.code.as_str(), code);
            let expected = at.iter().filter(|p| **p == code.as_str()).count() as i64;
            assert_eq!(c.party.organizations.total, expected, "{code}");
        }
    }
);
