//! The list's totals from maintained tallies (issue 11, item 2), on both engines: after a
//! story of writes through every path that changes a counted column, the tallies give
//! for each filter what counting the registry gives, and concurrent writes leave them
//! exact.

use chrono::NaiveDate;
use shuniu_domain::codes::Uscc;
use shuniu_domain::registry::{
    Grade, LegalForm, OrgStatus, Organization, OrganizationData, OrganizationDraft, ServiceDomain,
    Stage, StatusChange,
};
use shuniu_domain::supervision::assessment::GradeChange;
use shuniu_domain::supervision::changes::{ChangeDecision, ChangeDraft};
use shuniu_store::testing::MEIYUAN;
use shuniu_store::{Dialect, OrgFilter, Store, WriteCtx, both_backends};

const SUOJIN: &str = "320102007000";
/// A community of Xuanwu (the deepest level).
const COMMUNITY: &str = "320102010001";
/// Qinhuai, a district filed at directly.
const QINHUAI: &str = "320104";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 11, 30)
}

pub(crate) fn official() -> WriteCtx {
    WriteCtx::new("xuanwu-official", "official", "127.0.0.1")
}

/// Organization `n` of `form` in `place`, with `domains` and `stage`.
pub(crate) fn data(
    n: u32,
    form: LegalForm,
    place: &str,
    domains: &[&str],
    stage: &str,
) -> OrganizationData {
    let (uscc, filing_number) = match form.uscc_kind() {
        Some(kind) => (
            Some(
                Uscc::assemble('5', kind, "320102", &format!("TL{n:06}"))
                    .unwrap()
                    .to_string(),
            ),
            None,
        ),
        // A filing number names the street (of a community: its street).
        None => (None, Some(format!("{}000-2016-{n:04}", &place[..9]))),
    };
    OrganizationDraft {
        name: Some(format!("计数测试组织{n}")),
        legal_form: Some(form.as_str().into()),
        uscc,
        filing_number,
        domains: Some(domains.iter().map(|d| d.to_string()).collect()),
        jurisdiction: Some(place.into()),
        address: Some("中山路1号".into()),
        founded_on: Some("2014-05-01".into()),
        legal_representative: Some("陈静".into()),
        staff_full_time: Some("2".into()),
        stage: Some(stage.into()),
        ..Default::default()
    }
    .validate(today())
    .unwrap()
}

/// Every filter of a grid (jurisdictions, including unknown ones, × status × domain ×
/// form, grade, stage and pairs of them): the tallies' total equals the number of rows
/// the list's own `WHERE` selects (walked, not counted from the tallies), and the list's
/// page says the same total.
async fn assert_totals_exact(store: &Store) {
    let places = [
        None,
        Some("320000"),
        Some("320100"),
        Some("320102"),
        Some(MEIYUAN),
        Some(SUOJIN),
        Some("320102010000"),
        Some(COMMUNITY),
        Some(QINHUAI),
        Some("320105"),
        Some("999999"),
        Some("abc"),
    ];
    let statuses = [
        None,
        Some(OrgStatus::Active),
        Some(OrgStatus::Suspended),
        Some(OrgStatus::Deregistered),
    ];
    let domains = [
        None,
        Some(ServiceDomain::Elderly),
        Some(ServiceDomain::CultureSports),
        Some(ServiceDomain::Children),
    ];
    let mut variants: Vec<OrgFilter> = vec![OrgFilter::default()];
    for f in LegalForm::ALL {
        variants.push(OrgFilter {
            legal_form: Some(*f),
            ..Default::default()
        });
    }
    for g in Grade::ALL {
        variants.push(OrgFilter {
            grade: Some(*g),
            ..Default::default()
        });
    }
    for s in Stage::ALL {
        variants.push(OrgFilter {
            stage: Some(*s),
            ..Default::default()
        });
    }
    variants.push(OrgFilter {
        legal_form: Some(LegalForm::SocialServiceInstitution),
        grade: Some(Grade::A3),
        ..Default::default()
    });
    variants.push(OrgFilter {
        legal_form: Some(LegalForm::SocialGroup),
        stage: Some(Stage::Growth),
        ..Default::default()
    });
    let mut checked = 0;
    let mut nonzero = 0;
    for place in places {
        for status in statuses {
            for domain in domains {
                for (i, v) in variants.iter().enumerate() {
                    let filter = OrgFilter {
                        jurisdiction: place.map(String::from),
                        status,
                        domain,
                        ..v.clone()
                    };
                    let real = store
                        .organizations_chunk(&filter, None, 5000)
                        .await
                        .unwrap()
                        .items
                        .len() as i64;
                    let total = store.organization_total(&filter).await.unwrap();
                    assert_eq!(total, Some(real), "{filter:?}");
                    if i == 0 {
                        let page = store.list_organizations(&filter, 1, 5).await.unwrap();
                        assert_eq!(page.total, real, "list total of {filter:?}");
                    }
                    checked += 1;
                    nonzero += usize::from(real > 0);
                }
            }
        }
    }
    // The grid is not vacuous: many of its filters match something.
    assert!(
        nonzero > 200,
        "{nonzero} of {checked} filters matched anything"
    );
    assert_eq!(
        store.tally_mismatches().await.unwrap(),
        Vec::<String>::new()
    );
}

/// A fresh store with the community [`COMMUNITY`] added under its street.
async fn with_community(store: Store) -> Store {
    let street = store.jurisdiction("320102010000").await.unwrap().unwrap();
    let community = shuniu_domain::jurisdiction::child_of(
        &street,
        shuniu_domain::jurisdiction::JurisdictionCode::parse(COMMUNITY).unwrap(),
        "计数社区",
        "Tally Community",
    )
    .unwrap();
    store.add_jurisdiction(&community).await.unwrap();
    store
}

async fn suspend(store: &Store, o: &Organization) {
    let change = StatusChange {
        status: OrgStatus::Suspended,
        reason: "年检未通过".into(),
        effective_on: today(),
    };
    store
        .change_status(o.id, &change, official())
        .await
        .unwrap();
}

both_backends!(totals_follow_every_write_path, |store: Store| async move {
    let store = with_community(store).await;
    use LegalForm::*;
    let batch = vec![
        data(
            1,
            SocialServiceInstitution,
            MEIYUAN,
            &["elderly", "public_welfare"],
            "growth",
        ),
        data(2, SocialServiceInstitution, MEIYUAN, &["elderly"], "mature"),
        data(3, SocialGroup, MEIYUAN, &["culture_sports"], "growth"),
        data(
            4,
            SocialGroup,
            SUOJIN,
            &["children", "education"],
            "start_up",
        ),
        data(5, Foundation, SUOJIN, &["charity_relief"], "mature"),
        data(
            6,
            CommunityFiled,
            COMMUNITY,
            &["culture_sports", "elderly"],
            "germination",
        ),
        data(7, CommunityFiled, COMMUNITY, &["elderly"], "germination"),
        data(
            8,
            SocialServiceInstitution,
            QINHUAI,
            &["children"],
            "growth",
        ),
        data(
            9,
            SocialServiceInstitution,
            "320102",
            &["elderly", "children"],
            "start_up",
        ),
        data(10, SocialGroup, QINHUAI, &["academic"], "mature"),
    ];
    let o = store
        .create_organizations(&batch, "registrar")
        .await
        .unwrap();
    let extra = store
        .create_organization(
            &data(
                11,
                SocialServiceInstitution,
                SUOJIN,
                &["disability"],
                "growth",
            ),
            "registrar",
        )
        .await
        .unwrap();
    assert_eq!(
        store.tally_mismatches().await.unwrap(),
        Vec::<String>::new()
    );

    // Status: suspended, deregistered, suspended and reactivated.
    suspend(&store, &o[0]).await;
    let deregister = StatusChange {
        status: OrgStatus::Deregistered,
        reason: "自行解散".into(),
        effective_on: today(),
    };
    store
        .change_status(o[9].id, &deregister, official())
        .await
        .unwrap();
    suspend(&store, &o[3]).await;
    let reactivate = StatusChange {
        status: OrgStatus::Active,
        reason: "整改完成".into(),
        effective_on: today(),
    };
    store
        .change_status(o[3].id, &reactivate, official())
        .await
        .unwrap();

    // Grades through the supervision paths: imported, lowered, withdrawn, expired.
    for (org, grade, on) in [
        (&o[1], Grade::A3, d(2026, 1, 10)),
        (&o[2], Grade::A5, d(2025, 6, 1)),
        (&o[4], Grade::A4, d(2026, 3, 1)),
        (&o[7], Grade::A2, d(2019, 6, 1)),
        (&extra, Grade::A3, d(2024, 9, 1)),
    ] {
        store
            .import_grade(org.id, grade, on, "民政局评估等级名录", official())
            .await
            .unwrap();
    }
    let lower = GradeChange::parse(Grade::A5, Some("3A"), Some("列入活动异常名录")).unwrap();
    store
        .change_grade(o[2].id, &lower, d(2026, 2, 1), official())
        .await
        .unwrap();
    let withdraw = GradeChange::parse(Grade::A4, None, Some("严重违法失信")).unwrap();
    store
        .change_grade(o[4].id, &withdraw, d(2026, 6, 1), official())
        .await
        .unwrap();
    assert_eq!(store.expire_grades(today(), official()).await.unwrap(), 1);
    assert_eq!(
        store.tally_mismatches().await.unwrap(),
        Vec::<String>::new()
    );

    // An edit: another stage, other domains, another place (a graded organization).
    let mut edited = o[1].data.clone();
    edited.stage = Stage::Mature;
    edited.domains = vec![ServiceDomain::Children, ServiceDomain::CultureSports];
    edited.jurisdiction = shuniu_domain::jurisdiction::JurisdictionCode::parse(SUOJIN).unwrap();
    edited.grade = Some(Grade::A3);
    edited.grade_awarded_on = Some(d(2026, 1, 10));
    store
        .update_organization(o[1].id, &edited, "registrar")
        .await
        .unwrap();
    // An edit that changes no counted column leaves the tallies as they are.
    let mut renamed = o[5].data.clone();
    renamed.address = "锁金村5号".into();
    store
        .update_organization(o[5].id, &renamed, "registrar")
        .await
        .unwrap();

    // Change registration: a move from the district's own level to a street, approved.
    let extras = store.registration_extras(o[8].id).await.unwrap();
    let draft = ChangeDraft {
        changes: [("jurisdiction".to_string(), MEIYUAN.to_string())]
            .into_iter()
            .collect(),
        attachments: vec!["理事会决议".into()],
        note: None,
    };
    let req = draft.validate(&o[8].data, &extras, today()).unwrap();
    let app = store
        .submit_change_application(o[8].id, &req, today(), "org-member")
        .await
        .unwrap();
    store
        .decide_change_application(
            app.id,
            &ChangeDecision::parse(Some("approve"), None).unwrap(),
            today(),
            official(),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .organization(o[8].id)
            .await
            .unwrap()
            .unwrap()
            .data
            .jurisdiction
            .as_str(),
        MEIYUAN
    );

    assert_totals_exact(&store).await;
    // Spot checks that do not depend on the oracle.
    let xuanwu = OrgFilter {
        jurisdiction: Some("320102".into()),
        ..Default::default()
    };
    // 1–7, 9 and 11 (8 and 10 are in Qinhuai), whatever their status.
    assert_eq!(store.organization_total(&xuanwu).await.unwrap(), Some(9));
    let everywhere_live_elderly = OrgFilter {
        domain: Some(ServiceDomain::Elderly),
        status: Some(OrgStatus::Active),
        ..Default::default()
    };
    // 6, 7 and 9 (1 is suspended; 2's domains were edited away from elderly).
    assert_eq!(
        store
            .organization_total(&everywhere_live_elderly)
            .await
            .unwrap(),
        Some(3)
    );
});

both_backends!(
    searches_are_not_covered_and_unknown_places_are_empty,
    |store: Store| async move {
        store
            .create_organization(
                &data(20, LegalForm::SocialGroup, MEIYUAN, &["elderly"], "growth"),
                "registrar",
            )
            .await
            .unwrap();
        let q = OrgFilter {
            q: Some("计数测试组织20".into()),
            ..Default::default()
        };
        assert_eq!(store.organization_total(&q).await.unwrap(), None);
        let ids = OrgFilter {
            ids: Some(vec![]),
            ..Default::default()
        };
        assert_eq!(store.organization_total(&ids).await.unwrap(), None);
        // A blank `q` filters nothing, as in the list.
        let blank = OrgFilter {
            q: Some("  ".into()),
            ..Default::default()
        };
        assert_eq!(store.organization_total(&blank).await.unwrap(), Some(1));
        for place in ["999999", "", " 320102", "3201\u{0}2"] {
            let f = OrgFilter {
                jurisdiction: Some(place.into()),
                ..Default::default()
            };
            assert_eq!(
                store.organization_total(&f).await.unwrap(),
                Some(0),
                "{place:?}"
            );
        }
        // The list still counts a search by scanning, and agrees.
        assert_eq!(store.list_organizations(&q, 1, 20).await.unwrap().total, 1);
    }
);

both_backends!(
    recount_repairs_and_the_migration_backfills,
    |store: Store| async move {
        let store = with_community(store).await;
        let batch: Vec<OrganizationData> = (0..6)
            .map(|n| {
                let place = [MEIYUAN, SUOJIN, COMMUNITY][n as usize % 3];
                data(
                    30 + n,
                    LegalForm::SocialServiceInstitution,
                    place,
                    &["elderly", "children"],
                    "growth",
                )
            })
            .collect();
        store
            .create_organizations(&batch, "registrar")
            .await
            .unwrap();
        // Someone with database access breaks the tallies: the check names the rows.
        store
            .execute_raw_for_tests(
                "UPDATE organization_tallies SET n = n + 5 WHERE jurisdiction_code = '320102'",
            )
            .await
            .unwrap();
        store
            .execute_raw_for_tests(
                "DELETE FROM organization_domain_tallies WHERE jurisdiction_code = ''",
            )
            .await
            .unwrap();
        let bad = store.tally_mismatches().await.unwrap();
        assert_eq!(bad.len(), 3, "{bad:#?}");
        assert!(bad[0].contains("kept 11, registry 6"), "{bad:#?}");
        store.recount_tallies().await.unwrap();
        assert_eq!(
            store.tally_mismatches().await.unwrap(),
            Vec::<String>::new()
        );
        // The migration's backfill builds the same tallies from the registry.
        let up = match store.dialect() {
            Dialect::Sqlite => {
                include_str!("../migrations/sqlite/20261201160000_organization_tallies.up.sql")
            }
            Dialect::Postgres => {
                include_str!("../migrations/postgres/20261201160000_organization_tallies.up.sql")
            }
        };
        store
            .execute_raw_for_tests(
                "DROP TABLE organization_tallies; DROP TABLE organization_domain_tallies;",
            )
            .await
            .unwrap();
        store.execute_raw_for_tests(up).await.unwrap();
        assert_eq!(
            store.tally_mismatches().await.unwrap(),
            Vec::<String>::new()
        );
        let meiyuan = OrgFilter {
            jurisdiction: Some(MEIYUAN.into()),
            domain: Some(ServiceDomain::Children),
            ..Default::default()
        };
        assert_eq!(store.organization_total(&meiyuan).await.unwrap(), Some(2));
    }
);

both_backends!(
    concurrent_writes_leave_the_tallies_exact,
    |store: Store| async move {
        let store = with_community(store).await;
        let places = [MEIYUAN, SUOJIN, COMMUNITY, QINHUAI];
        let mut tasks = Vec::new();
        for n in 0..16u32 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let place = places[n as usize % places.len()];
                let o = store
                    .create_organization(
                        &data(
                            100 + n,
                            LegalForm::SocialServiceInstitution,
                            place,
                            &["elderly"],
                            "growth",
                        ),
                        "registrar",
                    )
                    .await
                    .unwrap();
                match n % 4 {
                    0 => suspend(&store, &o).await,
                    1 => {
                        store
                            .import_grade(o.id, Grade::A4, d(2026, 2, 1), "名录", official())
                            .await
                            .unwrap();
                    }
                    2 => {
                        let mut e = o.data.clone();
                        e.stage = Stage::Mature;
                        store
                            .update_organization(o.id, &e, "registrar")
                            .await
                            .unwrap();
                    }
                    _ => {}
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(
            store.tally_mismatches().await.unwrap(),
            Vec::<String>::new()
        );
        let graded = OrgFilter {
            grade: Some(Grade::A4),
            ..Default::default()
        };
        assert_eq!(store.organization_total(&graded).await.unwrap(), Some(4));
        let suspended_xuanwu = OrgFilter {
            jurisdiction: Some("320102".into()),
            status: Some(OrgStatus::Suspended),
            ..Default::default()
        };
        // n = 0, 4, 8 and 12, all in Meiyuan (n % 4 = 0).
        assert_eq!(
            store.organization_total(&suspended_xuanwu).await.unwrap(),
            Some(4)
        );
    }
);
