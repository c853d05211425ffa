//! Annual reports and the credit lists on both engines: lateness, review, the daily
//! job (idempotent, and two concurrent runs list once), events, removal, standing.

use std::sync::Arc;

use shuniu_domain::money::Fen;
use shuniu_domain::registry::{OrgStatus, StatusChange};
use shuniu_domain::supervision::annual::{ReportContents, Review, ReviewKind, ReviewOutcome};
use shuniu_domain::supervision::credit::{CreditSettings, EventKind, ListKind, Trigger};
use shuniu_domain::supervision::standing::{Activity, check};
use shuniu_store::supervision::credit::NewCreditEvent;
use shuniu_store::{After, Store, StoreError, WriteCtx, both_backends};
use uuid::Uuid;

use crate::supervision_support::*;
use crate::walk::chunk_keys;

pub fn settings() -> CreditSettings {
    CreditSettings {
        from_year: 2024,
        ..Default::default()
    }
}

pub fn contents() -> ReportContents {
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

/// A regional hub recognition at 梅园新村街道 (where the fixtures are registered).
fn regional_meiyuan() -> shuniu_domain::hubs::Recognition {
    shuniu_domain::hubs::RecognitionDraft {
        kind: Some("regional".into()),
        level: Some("street".into()),
        jurisdiction: Some(MEIYUAN.into()),
        recognizing_body: Some("玄武区民政局".into()),
        document_number: Some("玄民〔2012〕8号".into()),
        recognized_on: Some("2012-03-01".into()),
        functions: vec!["cultivation".into()],
        ..Default::default()
    }
    .validate(today(), Some(shuniu_domain::jurisdiction::Level::Street))
    .unwrap()
}

pub fn job() -> WriteCtx {
    WriteCtx::system("supervise")
}

both_backends!(
    reports_are_filed_once_and_reviewed_once,
    |store: Store| async move {
        let o = org(&store, 40).await;
        let r = store
            .file_annual_report(
                o.id,
                2024,
                &contents(),
                d(2025, 4, 1),
                &settings(),
                member(),
            )
            .await
            .unwrap();
        assert!(!r.late);
        assert_eq!(r.due_on, d(2025, 5, 31));
        assert_eq!(r.review_kind, ReviewKind::Full);
        let again = store
            .file_annual_report(
                o.id,
                2024,
                &contents(),
                d(2025, 4, 2),
                &settings(),
                member(),
            )
            .await;
        assert!(matches!(again, Err(StoreError::Invalid(e)) if e.get("year").is_some()));
        let reviewed = store
            .review_annual_report(
                r.id,
                &Review::parse(Some("basically_qualified"), Some("财务制度不健全")).unwrap(),
                d(2025, 7, 1),
                official(),
            )
            .await
            .unwrap();
        assert_eq!(reviewed.outcome, Some(ReviewOutcome::BasicallyQualified));
        assert!(
            store
                .review_annual_report(
                    r.id,
                    &Review::parse(Some("qualified"), None).unwrap(),
                    d(2025, 7, 2),
                    official()
                )
                .await
                .is_err()
        );
        // A 4A organization gets the simplified review.
        store
            .import_grade(
                o.id,
                shuniu_domain::registry::Grade::A4,
                d(2023, 12, 1),
                "玄民〔2023〕9号",
                official(),
            )
            .await
            .unwrap();
        let late = store
            .file_annual_report(
                o.id,
                2025,
                &contents(),
                d(2026, 6, 3),
                &settings(),
                member(),
            )
            .await
            .unwrap();
        assert!(late.late);
        assert_eq!(late.review_kind, ReviewKind::Simplified);
        assert_eq!(store.annual_reports_of(o.id).await.unwrap().len(), 2);
    }
);

both_backends!(
    the_daily_job_lists_and_removes_once,
    |store: Store| async move {
        let o = org(&store, 41).await;
        store
            .file_annual_report(
                o.id,
                2024,
                &contents(),
                d(2025, 4, 1),
                &settings(),
                member(),
            )
            .await
            .unwrap();
        let r = store
            .run_supervise(d(2026, 6, 1), &settings(), job())
            .await
            .unwrap();
        assert_eq!((r.organizations, r.listed, r.removed), (1, 1, 0));
        assert_eq!(
            store
                .run_supervise(d(2026, 6, 1), &settings(), job())
                .await
                .unwrap()
                .listed,
            0,
            "idempotent"
        );
        let l = store.credit_listings_of(o.id).await.unwrap();
        assert_eq!(l.len(), 1);
        assert_eq!(
            (l[0].list, l[0].trigger, l[0].listed_on),
            (ListKind::Abnormal, Trigger::LateAnnualReport, d(2026, 6, 1))
        );
        assert!(l[0].basis_zh.contains("民政部令第60号"));
        assert_eq!(
            store
                .credit_list(
                    ListKind::Abnormal,
                    "320000/320100/320102/",
                    d(2026, 6, 2),
                    50
                )
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            store
                .credit_list(
                    ListKind::Abnormal,
                    "320000/320100/320104/",
                    d(2026, 6, 2),
                    50
                )
                .await
                .unwrap()
                .is_empty()
        );
        // Removal on application needs the cause put right.
        let refused = store
            .remove_listing_on_application(
                l[0].id,
                d(2026, 6, 10),
                "已补报",
                &settings(),
                official(),
            )
            .await;
        assert!(
            matches!(refused, Err(StoreError::Invalid(e)) if e.get("listing").unwrap().en.contains("not yet"))
        );
        store
            .file_annual_report(
                o.id,
                2025,
                &contents(),
                d(2026, 6, 20),
                &settings(),
                member(),
            )
            .await
            .unwrap();
        let removed = store
            .remove_listing_on_application(
                l[0].id,
                d(2026, 6, 24),
                "已补报2025年度报告",
                &settings(),
                official(),
            )
            .await
            .unwrap();
        assert_eq!(removed.removed_on, Some(d(2026, 6, 24)));
        assert!(
            store
                .credit_list(ListKind::Abnormal, "320000/", d(2026, 6, 25), 50)
                .await
                .unwrap()
                .is_empty()
        );
        let history: Vec<String> = store
            .organization_history(o.id)
            .await
            .unwrap()
            .into_iter()
            .map(|h| h.action)
            .collect();
        assert!(
            history.contains(&"credit.list".to_string())
                && history.contains(&"credit.remove".to_string())
        );
        assert!(store.audit_verify().await.unwrap().first_break.is_none());
    }
);

both_backends!(
    two_concurrent_supervise_runs_list_once,
    |store: Store| async move {
        let store = Arc::new(store);
        let mut ids = Vec::new();
        for n in 0..5 {
            ids.push(org(&store, 50 + n).await.id);
        }
        let mut tasks = Vec::new();
        for _ in 0..2 {
            let s = store.clone();
            tasks.push(tokio::spawn(async move {
                s.run_supervise(d(2026, 6, 1), &settings(), job())
                    .await
                    .unwrap()
            }));
        }
        let mut listed = 0;
        for t in tasks {
            listed += t.await.unwrap().listed;
        }
        // Reports on 2024 and 2025 are missing for each of the five.
        assert_eq!(listed, 10);
        for id in ids {
            assert_eq!(store.credit_listings_of(id).await.unwrap().len(), 2);
        }
        assert!(store.audit_verify().await.unwrap().first_break.is_none());
    }
);

both_backends!(
    events_list_at_once_and_standing_follows,
    |store: Store| async move {
        let o = org(&store, 60).await;
        for y in [2024, 2025] {
            store
                .file_annual_report(o.id, y, &contents(), d(y + 1, 3, 1), &settings(), member())
                .await
                .unwrap();
        }
        let today = d(2026, 9, 1);
        assert!(
            check(
                &store.standing_facts(o.id, today).await.unwrap(),
                Activity::BookRoom
            )
            .is_ok()
        );
        store
            .record_credit_event(
                o.id,
                &NewCreditEvent {
                    on: d(2026, 8, 20),
                    kind: EventKind::Fine {
                        amount: Fen::yuan(60_000),
                    },
                    note: "玄民罚字〔2026〕3号".into(),
                },
                today,
                &settings(),
                official(),
            )
            .await
            .unwrap();
        let l = store.credit_listings_of(o.id).await.unwrap();
        assert_eq!(l.len(), 1);
        assert_eq!(
            (l[0].list, l[0].trigger),
            (ListKind::Serious, Trigger::LargeFine)
        );
        let f = store.standing_facts(o.id, today).await.unwrap();
        for a in [
            Activity::BookRoom,
            Activity::ApplyToHub,
            Activity::ReceiveOffice,
            Activity::BeRecognized,
        ] {
            assert_eq!(check(&f, a).unwrap_err().rule, "serious_list");
        }
        // The store asks the same rule again inside its writing transactions, so a
        // caller that skipped the early check is still refused.
        let hub_org = org(&store, 61).await;
        let hub = store
            .recognize_hub(hub_org.id, &regional_meiyuan(), official())
            .await
            .unwrap();
        let refusals = [
            store
                .apply_membership(hub.id, o.id, today, member())
                .await
                .map(|_| ()),
            store
                .add_member(hub.id, o.id, false, today, official())
                .await
                .map(|_| ()),
            store
                .recognize_hub(o.id, &regional_meiyuan(), official())
                .await
                .map(|_| ()),
        ];
        for r in refusals {
            match r {
                Err(StoreError::Invalid(e)) => {
                    let m = e.get("organization_id").expect("names the organization");
                    assert!(m.zh.contains("严重违法失信"), "{m:?}");
                }
                r => panic!("expected a standing refusal, got {r:?}"),
            }
        }
        assert!(store.memberships_of(o.id).await.unwrap().is_empty());
        // The public record reads the same facts in one snapshot.
        let record = store.supervision_record(o.id).await.unwrap();
        assert_eq!(
            record.listings,
            store.credit_listings_of(o.id).await.unwrap()
        );
        assert_eq!(record.reports, store.annual_reports_of(o.id).await.unwrap());
        assert_eq!(record.reports.len(), 2);
        assert_eq!(record.awards, store.grade_awards(o.id).await.unwrap());
        // A correction order not done on time lists on the abnormal list the day after.
        let order = store
            .record_credit_event(
                o.id,
                &NewCreditEvent {
                    on: d(2026, 8, 1),
                    kind: EventKind::CorrectionOrdered {
                        due: d(2026, 8, 31),
                    },
                    note: "责令整改".into(),
                },
                today,
                &settings(),
                official(),
            )
            .await
            .unwrap();
        assert!(
            store
                .credit_listings_of(o.id)
                .await
                .unwrap()
                .iter()
                .any(|l| l.trigger == Trigger::CorrectionNotDone && l.listed_on == d(2026, 9, 1))
        );
        let bad = store
            .record_credit_event(
                o.id,
                &NewCreditEvent {
                    on: today,
                    kind: EventKind::CorrectionDone {
                        order: Uuid::now_v7(),
                    },
                    note: "x".into(),
                },
                today,
                &settings(),
                official(),
            )
            .await;
        assert!(matches!(bad, Err(StoreError::Invalid(_))));
        store
            .record_credit_event(
                o.id,
                &NewCreditEvent {
                    on: today,
                    kind: EventKind::CorrectionDone { order },
                    note: "已整改".into(),
                },
                today,
                &settings(),
                official(),
            )
            .await
            .unwrap();
        let r = store
            .run_supervise(d(2027, 3, 1), &settings(), job())
            .await
            .unwrap();
        assert_eq!(
            r.removed, 1,
            "removed six months after listing, the cause corrected"
        );
        // Suspension refuses too, whatever the lists say.
        let p = store.organization(o.id).await.unwrap().unwrap();
        assert_eq!(p.status, OrgStatus::Active);
        store
            .change_status(
                o.id,
                &StatusChange::parse(Some("suspended"), Some("责令暂停活动"), None, today).unwrap(),
                "official",
            )
            .await
            .unwrap();
        assert_eq!(
            check(
                &store.standing_facts(o.id, today).await.unwrap(),
                Activity::BookRoom
            )
            .unwrap_err()
            .rule,
            "suspended"
        );
    }
);

both_backends!(
    a_hub_sees_its_members_that_lost_standing,
    |store: Store| async move {
        use shuniu_domain::hubs::RecognitionDraft;
        use shuniu_domain::jurisdiction::Level;
        let hub_org = org(&store, 80).await;
        let recognition = RecognitionDraft {
            kind: Some("regional".into()),
            level: Some("street".into()),
            jurisdiction: Some(MEIYUAN.into()),
            recognizing_body: Some("玄武区民政局".into()),
            document_number: Some("玄民〔2012〕12号".into()),
            recognized_on: Some("2012-03-01".into()),
            functions: vec!["cultivation".into()],
            ..Default::default()
        }
        .validate(today(), Some(Level::Street))
        .unwrap();
        let hub = store
            .recognize_hub(hub_org.id, &recognition, official())
            .await
            .unwrap();
        let good = org(&store, 81).await;
        let bad = org(&store, 82).await;
        for m in [&good, &bad] {
            store
                .add_member(hub.id, m.id, false, today(), official())
                .await
                .unwrap();
        }
        assert!(
            store
                .standing_flags_of_hub(hub_org.id, today())
                .await
                .unwrap()
                .is_empty()
        );
        store
            .change_status(
                bad.id,
                &StatusChange::parse(Some("suspended"), Some("未按时年检"), None, today()).unwrap(),
                "official",
            )
            .await
            .unwrap();
        let flags = store
            .standing_flags_of_hub(hub_org.id, today())
            .await
            .unwrap();
        assert_eq!(flags.len(), 1);
        assert_eq!(
            (flags[0].organization_id, flags[0].refusal.rule),
            (bad.id, "suspended")
        );
        assert_eq!((flags[0].bookings, flags[0].offices), (0, 0));
    }
);

// A download walks a public list by listing date (newest first) and id: every listing
// once, in the page's order, whatever the chunk size (listings of one day tie).
both_backends!(
    credit_list_chunks_cover_the_list_once,
    |store: Store| async move {
        for (batch, day) in [(61..=64, 1), (65..=66, 3)] {
            for n in batch {
                let o = org(&store, n).await;
                store
                    .file_annual_report(
                        o.id,
                        2024,
                        &contents(),
                        d(2025, 4, 1),
                        &settings(),
                        member(),
                    )
                    .await
                    .unwrap();
            }
            store
                .run_supervise(d(2026, 6, day), &settings(), job())
                .await
                .unwrap();
        }
        let expected: Vec<Uuid> = store
            .credit_list_page(ListKind::Abnormal, None, 1, 200)
            .await
            .unwrap()
            .items
            .iter()
            .map(|e| e.listing.id)
            .collect();
        assert_eq!(expected.len(), 6);
        for limit in [1, 2, 4, 500] {
            let chunk = async |after: Option<After>| {
                store
                    .credit_list_chunk(ListKind::Abnormal, None, after.as_ref(), limit)
                    .await
                    .unwrap()
            };
            let got = chunk_keys(chunk, |e| e.listing.id).await;
            assert_eq!(got, expected, "by {limit}");
        }
        // The district's annual-report queue walks the same way (unreviewed first,
        // newest year, filing date, id).
        let district = "320000/320100/320102/";
        let expected: Vec<Uuid> = store
            .annual_report_queue(district, None, None, 1, 200)
            .await
            .unwrap()
            .items
            .iter()
            .map(|q| q.report.id)
            .collect();
        assert_eq!(expected.len(), 6);
        for limit in [1, 4, 500] {
            let chunk = async |after: Option<After>| {
                store
                    .annual_report_queue_chunk(district, None, None, after.as_ref(), limit)
                    .await
                    .unwrap()
            };
            let got = chunk_keys(chunk, |q| q.report.id).await;
            assert_eq!(got, expected, "queue by {limit}");
        }
    }
);
