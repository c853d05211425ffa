//! Credibility on both engines: the facts read from the supervision record, the
//! requests and the disclosure, scored by the domain and stored; caps for the serious
//! list and suspension; ratings counted only from the minimum on; the whole registry
//! refreshed in chunks.
//!
//! Fixtures are built deliberately: an organization founded in 2012 with no reports
//! would owe every report since `from_year` and could be on the abnormal list for it,
//! so the settings here supervise from 2023 and the clean organization files 2023–2025
//! on time.

use chrono::Utc;
use shuniu_domain::credibility::{Band, Credibility, Part, PartScore};
use shuniu_domain::jurisdiction::{Jurisdiction, JurisdictionCode, Level};
use shuniu_domain::money::Fen;
use shuniu_domain::registry::{Grade, StatusChange};
use shuniu_domain::requests::{Rating, RequestDraft, TimeLimits, Transition, token_hash};
use shuniu_domain::services::{ContactDraft, ServiceDraft};
use shuniu_domain::supervision::annual::{ReportContents, Review};
use shuniu_domain::supervision::credit::{CreditSettings, EventKind};
use shuniu_store::requests::TransitionInput;
use shuniu_store::supervision::credit::NewCreditEvent;
use shuniu_store::trust::TrustSettings;
use shuniu_store::{Store, both_backends};
use uuid::Uuid;

use crate::supervision_support::*;

const COMMUNITY: &str = "320102002001";

fn settings() -> TrustSettings {
    TrustSettings {
        credit: CreditSettings {
            from_year: 2023,
            ..Default::default()
        },
        ..Default::default()
    }
}

fn contents() -> ReportContents {
    ReportContents {
        activities: "开展助老服务".into(),
        income: Fen::yuan(100_000),
        expenditure: Fen::yuan(90_000),
        net_assets: Fen::yuan(20_000),
        donations: Fen::yuan(10_000),
        government_funding: Fen::yuan(50_000),
        staff_full_time: 4,
        staff_part_time: 1,
        volunteers: 12,
        party_building: String::new(),
        major_events: String::new(),
    }
}

fn part(c: &Credibility, p: Part) -> &PartScore {
    c.parts.iter().find(|x| x.part == p).unwrap()
}

/// Files a report on `year` on `filed_on` and reviews it as `outcome`.
async fn report(store: &Store, org: Uuid, year: i32, filed_on: chrono::NaiveDate, outcome: &str) {
    let r = store
        .file_annual_report(
            org,
            year,
            &contents(),
            filed_on,
            &settings().credit,
            member(),
        )
        .await
        .unwrap();
    store
        .review_annual_report(
            r.id,
            &Review::parse(Some(outcome), Some("审查意见")).unwrap(),
            filed_on,
            official(),
        )
        .await
        .unwrap();
}

/// Every report of 2023–2025 filed on time and qualified, a 4A grade, the contact
/// disclosed and one active service: what a clean organization shows.
async fn clean(store: &Store, n: u32) -> Uuid {
    let o = org(store, n).await;
    for y in 2023..=2025 {
        report(store, o.id, y, d(y + 1, 4, 1), "qualified").await;
    }
    store
        .import_grade(
            o.id,
            Grade::A4,
            d(2024, 12, 1),
            "玄民〔2024〕9号",
            official(),
        )
        .await
        .unwrap();
    let contact = ContactDraft {
        service_phone: Some("025-84401234".into()),
        service_hours: Some("周一至周五 9:00–17:00".into()),
        address: Some("梅园新村34号".into()),
    }
    .validate()
    .unwrap();
    store
        .set_public_contact(o.id, &contact, member())
        .await
        .unwrap();
    let s = ServiceDraft {
        name: Some("助餐配送".into()),
        category: Some("elderly".into()),
        target_group: Some("老人".into()),
        place_kind: Some("home".into()),
        schedule: Some("每天".into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    store.create_service(o.id, &s, member()).await.unwrap();
    o.id
}

async fn community(store: &Store) {
    let street = store.jurisdiction(MEIYUAN).await.unwrap().unwrap();
    store
        .add_jurisdiction(&Jurisdiction {
            code: JurisdictionCode::parse(COMMUNITY).unwrap(),
            name_zh: "梅园社区".into(),
            name_en: "Meiyuan Community".into(),
            level: Level::Community,
            parent: Some(street.code.clone()),
            path: format!("{}{COMMUNITY}/", street.path),
        })
        .await
        .unwrap();
}

/// A request the organization completes and the resident rates `stars`.
async fn rated(store: &Store, org: Uuid, stars: u8, n: usize) {
    let l = TimeLimits::default();
    let now = Utc::now();
    let data = RequestDraft {
        category: Some("elderly".into()),
        community: Some(COMMUNITY.into()),
        description: Some("独居老人需要助餐上门".into()),
        phone: Some("13800138000".into()),
    }
    .validate()
    .unwrap();
    let r = store
        .submit_request(&data, &token_hash(&format!("{n:064}")), &l, now, "-")
        .await
        .unwrap();
    let with_org = TransitionInput {
        organization_id: Some(org),
        ..Default::default()
    };
    for t in [Transition::Assign, Transition::Accept, Transition::Complete] {
        store
            .transition_request(r.id, t, &with_org, &l, now, "-")
            .await
            .unwrap();
    }
    let rate = TransitionInput {
        rating: Some(Rating {
            stars,
            comment: String::new(),
        }),
        ..Default::default()
    };
    store
        .transition_request(r.id, Transition::Confirm, &rate, &l, now, "-")
        .await
        .unwrap();
}

both_backends!(
    a_clean_organization_scores_high,
    |store: Store| async move {
        let id = clean(&store, 301).await;
        let c = store
            .refresh_credibility(id, &settings(), today())
            .await
            .unwrap();
        assert_eq!(part(&c, Part::Registration).points, Some(100));
        assert_eq!(part(&c, Part::AnnualReports).points, Some(100));
        assert_eq!(part(&c, Part::Grade).points, Some(90));
        // Built on no list: the credit part is full.
        assert_eq!(part(&c, Part::Credit).points, Some(100));
        assert_eq!(part(&c, Part::Disclosure).points, Some(100));
        assert_eq!(part(&c, Part::Ratings).points, None);
        assert_eq!(part(&c, Part::Obligations).points, None);
        assert!(c.score >= 90, "{c:?}");
        assert_eq!(c.band, Band::High);
        // Stored, and read back as computed.
        assert_eq!(store.credibility(id).await.unwrap(), Some(c));
        assert_eq!(store.credibility(Uuid::now_v7()).await.unwrap(), None);
        assert!(
            store
                .refresh_credibility(Uuid::now_v7(), &settings(), today())
                .await
                .is_err()
        );
    }
);

both_backends!(
    late_or_failed_reports_lower_the_annual_part,
    |store: Store| async move {
        let good = clean(&store, 311).await;
        let o = org(&store, 312).await;
        report(&store, o.id, 2023, d(2024, 4, 1), "qualified").await;
        report(&store, o.id, 2024, d(2025, 7, 1), "qualified").await; // late
        report(&store, o.id, 2025, d(2026, 4, 1), "unqualified").await;
        let s = settings();
        let c = store.refresh_credibility(o.id, &s, today()).await.unwrap();
        let g = store.refresh_credibility(good, &s, today()).await.unwrap();
        let annual = part(&c, Part::AnnualReports);
        // 100, 100 − 30 (late), 0: 57.
        assert_eq!(annual.points, Some(57));
        assert!(annual.notes.iter().any(|n| n.en.contains("filed late")));
        assert!(annual.notes.iter().any(|n| n.en.contains("unqualified")));
        assert!(c.score < g.score);
        // A report never filed counts as nothing.
        let none = org(&store, 313).await;
        let c = store
            .refresh_credibility(none.id, &s, today())
            .await
            .unwrap();
        assert_eq!(part(&c, Part::AnnualReports).points, Some(0));
        assert_eq!(part(&c, Part::AnnualReports).notes.len(), 3);
    }
);

both_backends!(
    the_serious_list_caps_at_40_and_suspension_at_20,
    |store: Store| async move {
        let s = settings();
        let listed = clean(&store, 321).await;
        // A fine over the large-fine threshold puts it on the serious list.
        store
            .record_credit_event(
                listed,
                &NewCreditEvent {
                    on: d(2026, 8, 20),
                    kind: EventKind::Fine {
                        amount: Fen::yuan(60_000),
                    },
                    note: "玄民罚字〔2026〕3号".into(),
                },
                today(),
                &s.credit,
                official(),
            )
            .await
            .unwrap();
        let c = store
            .refresh_credibility(listed, &s, today())
            .await
            .unwrap();
        assert_eq!(part(&c, Part::Credit).points, Some(0));
        assert_eq!(c.score, 40);
        assert_eq!(c.band, Band::Low);
        assert!(c.cap.is_some());

        let suspended = clean(&store, 322).await;
        store
            .change_status(
                suspended,
                &StatusChange::parse(Some("suspended"), Some("责令暂停活动"), None, today())
                    .unwrap(),
                "official",
            )
            .await
            .unwrap();
        let c = store
            .refresh_credibility(suspended, &s, today())
            .await
            .unwrap();
        assert_eq!(c.score, 20);
        assert_eq!(part(&c, Part::Registration).points, Some(0));
    }
);

both_backends!(
    ratings_count_only_from_the_minimum,
    |store: Store| async move {
        community(&store).await;
        let s = settings();
        let id = clean(&store, 331).await;
        for n in 0..4 {
            rated(&store, id, 2, n).await;
        }
        let c = store.refresh_credibility(id, &s, today()).await.unwrap();
        let r = part(&c, Part::Ratings);
        assert_eq!(r.points, None);
        assert!(r.notes[0].en.contains("4 rating(s), fewer than 5"));
        // Completed requests without complaints make the complaints part count.
        assert_eq!(part(&c, Part::Complaints).points, Some(100));
        rated(&store, id, 2, 4).await;
        let c2 = store.refresh_credibility(id, &s, today()).await.unwrap();
        // Five ratings of 2: (2 − 1) / 4 = 25.
        assert_eq!(part(&c2, Part::Ratings).points, Some(25));
        assert!(c2.score < c.score);
    }
);

both_backends!(
    refresh_all_walks_every_organization,
    |store: Store| async move {
        let a = clean(&store, 341).await;
        let b = org(&store, 342).await.id;
        let n = store
            .refresh_all_credibility(&settings(), today())
            .await
            .unwrap();
        assert!(n >= 2);
        let ca = store.credibility(a).await.unwrap().unwrap();
        let cb = store.credibility(b).await.unwrap().unwrap();
        assert!(ca.score > cb.score);
        // The same as one organization's refresh.
        assert_eq!(
            store
                .refresh_credibility(b, &settings(), today())
                .await
                .unwrap(),
            cb
        );
    }
);

both_backends!(
    the_candidates_rank_by_the_stored_credibility,
    |store: Store| async move {
        use shuniu_domain::requests::Reason;
        community(&store).await;
        let s = settings();
        let trusted = clean(&store, 351).await;
        let doubted = org(&store, 352).await.id;
        let svc = ServiceDraft {
            name: Some("助餐配送".into()),
            category: Some("elderly".into()),
            target_group: Some("老人".into()),
            place_kind: Some("home".into()),
            schedule: Some("每天".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        store.create_service(doubted, &svc, member()).await.unwrap();
        store.refresh_all_credibility(&s, today()).await.unwrap();
        let data = RequestDraft {
            category: Some("elderly".into()),
            community: Some(COMMUNITY.into()),
            description: Some("独居老人需要助餐上门".into()),
            phone: Some("13800138000".into()),
        }
        .validate()
        .unwrap();
        let r = store
            .submit_request(
                &data,
                &token_hash(&"c".repeat(64)),
                &TimeLimits::default(),
                Utc::now(),
                "-",
            )
            .await
            .unwrap();
        let c = store.request_candidates(&r, 1, 20).await.unwrap();
        assert_eq!(c.total, 2);
        assert_eq!(c.items[0].facts.organization_id, trusted);
        assert!(c.items[0].facts.credibility.unwrap() >= 80);
        assert!(c.items[0].reasons.contains(&Reason::HighCredibility));
        assert_eq!(c.items[1].facts.organization_id, doubted);
        assert!(c.items[1].reasons.contains(&Reason::LowCredibility));
        // The SQL's score is the domain's.
        for x in &c.items {
            assert_eq!(x.score, shuniu_domain::requests::score(&x.facts));
        }
    }
);

both_backends!(
    a_filed_community_organization_owes_no_report_and_no_grade,
    |store: Store| async move {
        let data = shuniu_domain::registry::OrganizationDraft {
            name: Some("梅园社区书画社".into()),
            legal_form: Some("community_filed".into()),
            filing_number: Some(format!("{MEIYUAN}-2015-0007")),
            domains: Some(vec!["culture_sports".into()]),
            jurisdiction: Some(MEIYUAN.into()),
            address: Some("梅园新村".into()),
            founded_on: Some("2015-06-01".into()),
            legal_representative: Some("赵敏".into()),
            staff_part_time: Some("3".into()),
            stage: Some("germination".into()),
            ..Default::default()
        }
        .validate(today())
        .unwrap();
        let o = store.create_organization(&data, "registrar").await.unwrap();
        let c = store
            .refresh_credibility(o.id, &settings(), today())
            .await
            .unwrap();
        // Founded in 2015, yet no report of 2023–2025 is owed to the authority.
        assert_eq!(part(&c, Part::AnnualReports).points, None);
        assert_eq!(part(&c, Part::Grade).points, None);
        assert_eq!(part(&c, Part::Registration).points, Some(100));
        assert_eq!(part(&c, Part::Credit).points, Some(100));
    }
);

both_backends!(
    complaints_of_the_year_weigh_on_the_complaints_part,
    |store: Store| async move {
        use shuniu_domain::complaints::{
            ComplaintAction, ComplaintDraft, ComplaintOutcome, ComplaintSettings, Decision,
        };
        use shuniu_store::complaints::{Against, ComplaintStep};
        community(&store).await;
        let id = clean(&store, 341).await;
        rated(&store, id, 5, 3310).await;
        rated(&store, id, 4, 3311).await;
        let s = settings();
        let before = store.refresh_credibility(id, &s, today()).await.unwrap();
        // Two requests completed, no complaint: the part is counted, and full.
        assert_eq!(part(&before, Part::Complaints).points, Some(100));

        // A complaint left unanswered past its due time, then upheld.
        let filed = Utc::now() - chrono::Duration::days(20);
        let data = ComplaintDraft {
            category: Some("not_delivered".into()),
            description: Some("约好的助餐没有送到".into()),
            phone: Some("13800138000".into()),
        }
        .validate(None)
        .unwrap();
        let c = store
            .submit_complaint(
                Against::Organization(id),
                &data,
                &token_hash(&"c".repeat(64)),
                &ComplaintSettings::default(),
                filed,
                "-",
            )
            .await
            .unwrap();
        let upheld = ComplaintStep::Decide {
            action: ComplaintAction::Resolve,
            decision: Decision {
                outcome: ComplaintOutcome::Upheld,
                outcome_text: "经街道核实，投诉属实".into(),
            },
        };
        store
            .act_on_complaint(c.id, &upheld, Utc::now(), official())
            .await
            .unwrap();
        let after = store.refresh_credibility(id, &s, today()).await.unwrap();
        let p = part(&after, Part::Complaints);
        assert!(p.points.unwrap() < 100, "{p:?}");
        assert!(p.notes.iter().any(|n| n.en.contains("1 upheld")), "{p:?}");
        assert!(after.score < before.score);
    }
);
