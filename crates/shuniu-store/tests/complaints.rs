//! Residents' complaints on both engines: numbers from the database's counter, the
//! first response as a conditional update (parallel double answer: exactly one lands;
//! another organization cannot answer), the escalation sweep (one conditional update,
//! idempotent, audited), the official's outcome, the queues and filters, the public
//! record without the phone, and the facts credibility reads.

use chrono::{Duration, Utc};
use shuniu_domain::complaints::{
    ComplaintAction, ComplaintData, ComplaintDraft, ComplaintOutcome, ComplaintSettings,
    ComplaintState, Decision, PhoneSource,
};
use shuniu_domain::requests::{RequestDraft, TimeLimits, Transition, token_hash};
use shuniu_domain::services::ServiceDraft;
use shuniu_store::complaints::{Against, ComplaintFilter, ComplaintStep};
use shuniu_store::requests::TransitionInput;
use shuniu_store::{Store, StoreError, both_backends};
use uuid::Uuid;

use crate::requests::COMMUNITY;
use crate::supervision_support::*;

const XUANWU: &str = "320000/320100/320102/";
const MEIYUAN_PATH: &str = "320000/320100/320102/320102002000/";
const SUOJIN: &str = "320000/320100/320102/320102007000/";

fn data() -> ComplaintData {
    ComplaintDraft {
        category: Some("not_delivered".into()),
        description: Some("约好的助餐三天没有送到".into()),
        phone: Some("13800138000".into()),
    }
    .validate(None)
    .unwrap()
}

fn answer(o: Uuid) -> ComplaintStep {
    ComplaintStep::Answer {
        organization_id: o,
        response: "已联系居民，明日起恢复送餐".into(),
    }
}

fn decide(action: ComplaintAction, outcome: ComplaintOutcome) -> ComplaintStep {
    ComplaintStep::Decide {
        action,
        decision: Decision {
            outcome,
            outcome_text: "经街道核实，组织已整改并致歉".into(),
        },
    }
}

both_backends!(
    a_complaint_from_filing_to_outcome,
    |store: Store| async move {
        let a = org(&store, 71).await.id;
        let b = org(&store, 72).await.id;
        let s = ComplaintSettings::default();
        let now = Utc::now();
        let c = store
            .submit_complaint(
                Against::Organization(a),
                &data(),
                &token_hash(&"a".repeat(64)),
                &s,
                now,
                "-",
            )
            .await
            .unwrap();
        assert_eq!(c.state, ComplaintState::Submitted);
        assert!(c.number.starts_with("TS-320102-"), "{}", c.number);
        assert_eq!(c.street_path, MEIYUAN_PATH);
        assert_eq!(c.data.phone_source, PhoneSource::Given);
        assert!(c.due_at > now + Duration::days(3));
        assert_eq!(
            store
                .complaint_by_token_hash(&token_hash(&"a".repeat(64)))
                .await
                .unwrap()
                .unwrap()
                .id,
            c.id
        );
        // An unknown organization is a field error.
        let e = store
            .submit_complaint(
                Against::Organization(Uuid::now_v7()),
                &data(),
                "x",
                &s,
                now,
                "-",
            )
            .await
            .unwrap_err();
        assert!(matches!(&e, StoreError::Invalid(f) if f.get("organization_id").is_some()));

        // Another organization cannot answer; the one complained about answers once.
        let e = store
            .act_on_complaint(c.id, &answer(b), now, member())
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::State(_)), "{e:?}");
        let c2 = store
            .act_on_complaint(c.id, &answer(a), now, member())
            .await
            .unwrap();
        assert_eq!(c2.state, ComplaintState::Answered);
        assert!(c2.response.is_some() && c2.responded_at.is_some());
        let e = store
            .act_on_complaint(c.id, &answer(a), now, member())
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::State(_)));

        // The official decides once.
        let d = store
            .act_on_complaint(
                c.id,
                &decide(ComplaintAction::Resolve, ComplaintOutcome::PartlyUpheld),
                now,
                official(),
            )
            .await
            .unwrap();
        assert_eq!(d.state, ComplaintState::Resolved);
        assert_eq!(d.outcome, Some(ComplaintOutcome::PartlyUpheld));
        assert!(
            store
                .act_on_complaint(
                    c.id,
                    &decide(ComplaintAction::Close, ComplaintOutcome::NotUpheld),
                    now,
                    official(),
                )
                .await
                .is_err()
        );

        // The public record: the outcome, never the phone.
        let p = store.public_complaints(a, 1, 20).await.unwrap();
        assert_eq!(p.total, 1);
        assert_eq!(p.items[0].outcome, Some(ComplaintOutcome::PartlyUpheld));
        let json = serde_json::to_string(&p.items).unwrap();
        assert!(!json.contains("13800138000") && !json.contains("138****8000"));
        let f = store.complaint_facts(a).await.unwrap();
        assert_eq!(
            (
                f.total,
                f.answered_in_time,
                f.overdue,
                f.partly_upheld,
                f.open
            ),
            (1, 1, 0, 1, 0)
        );
        assert_eq!(store.complaint_facts(b).await.unwrap().total, 0);
        assert_eq!(store.audit_verify().await.unwrap().first_break, None);
    }
);

both_backends!(
    overdue_complaints_are_escalated_once,
    |store: Store| async move {
        let a = org(&store, 73).await.id;
        let s = ComplaintSettings::default();
        let long_ago = Utc::now() - Duration::days(20);
        let mut ids = vec![];
        for i in 0..3 {
            let c = store
                .submit_complaint(
                    Against::Organization(a),
                    &data(),
                    &format!("{i:064}"),
                    &s,
                    long_ago,
                    "-",
                )
                .await
                .unwrap();
            ids.push(c.id);
        }
        // One answered in time, one still open and overdue, one recent.
        store
            .act_on_complaint(ids[0], &answer(a), long_ago + Duration::hours(2), member())
            .await
            .unwrap();
        store
            .submit_complaint(
                Against::Organization(a),
                &data(),
                &"9".repeat(64),
                &s,
                Utc::now(),
                "-",
            )
            .await
            .unwrap();
        let now = Utc::now();
        let queue = |overdue: bool, escalated: bool| ComplaintFilter {
            street_path: Some(XUANWU.into()),
            overdue_at: overdue.then_some(now),
            escalated,
            page: 1,
            per_page: 20,
            ..Default::default()
        };
        assert_eq!(
            store
                .complaint_queue(&queue(true, false))
                .await
                .unwrap()
                .total,
            2
        );
        // Two sweeps at once, then a third: each overdue complaint escalated once.
        let (x, y) = tokio::join!(
            store.escalate_overdue_complaints(now, "sweep-1"),
            store.escalate_overdue_complaints(now, "sweep-2")
        );
        assert_eq!(x.unwrap() + y.unwrap(), 2);
        assert_eq!(
            store.escalate_overdue_complaints(now, "-").await.unwrap(),
            0
        );
        let esc = store.complaint_queue(&queue(false, true)).await.unwrap();
        assert_eq!(esc.total, 2);
        assert!(esc.items.iter().all(|l| l.complaint.escalated_at.is_some()));
        let f = store.complaint_facts(a).await.unwrap();
        assert_eq!(
            (f.total, f.answered_in_time, f.overdue, f.escalated, f.open),
            (4, 1, 2, 2, 4)
        );
        // The run of the daily job escalates too (nothing left here).
        let r = store
            .run_supervise(
                now.date_naive(),
                &Default::default(),
                shuniu_store::WriteCtx::system("test"),
            )
            .await
            .unwrap();
        assert_eq!(r.complaints_escalated, 0);
        // Filters: by state and organization.
        let by_org = ComplaintFilter {
            organization_id: Some(a),
            state: Some(ComplaintState::Answered),
            page: 1,
            per_page: 20,
            ..Default::default()
        };
        assert_eq!(store.complaint_queue(&by_org).await.unwrap().total, 1);
        let elsewhere = ComplaintFilter {
            street_path: Some(SUOJIN.into()),
            page: 1,
            per_page: 20,
            ..Default::default()
        };
        assert_eq!(store.complaint_queue(&elsewhere).await.unwrap().total, 0);
        assert_eq!(store.audit_verify().await.unwrap().first_break, None);
    }
);

both_backends!(
    a_parallel_double_answer_lands_once,
    |store: Store| async move {
        let a = org(&store, 74).await.id;
        let c = store
            .submit_complaint(
                Against::Organization(a),
                &data(),
                &"b".repeat(64),
                &ComplaintSettings::default(),
                Utc::now(),
                "-",
            )
            .await
            .unwrap();
        let mut handles = vec![];
        for _ in 0..6 {
            let store = store.clone();
            handles.push(tokio::spawn(async move {
                store
                    .act_on_complaint(c.id, &answer(a), Utc::now(), member())
                    .await
            }));
        }
        let mut ok = 0;
        for h in handles {
            match h.await.unwrap() {
                Ok(_) => ok += 1,
                Err(StoreError::State(_)) => {}
                Err(e) => panic!("{e:?}"),
            }
        }
        assert_eq!(ok, 1);
        let f = shuniu_store::audit::AuditFilter {
            action: Some("complaint.answer".into()),
            ..Default::default()
        };
        assert_eq!(store.audit_page(&f, 1, 50).await.unwrap().total, 1);
    }
);

both_backends!(
    a_complaint_about_a_request_is_handled_at_its_street,
    |store: Store| async move {
        crate::requests::community(&store).await;
        let o = org(&store, 75).await.id;
        let s = ServiceDraft {
            name: Some("助餐配送".into()),
            category: Some("elderly".into()),
            target_group: Some("老人".into()),
            place_kind: Some("community".into()),
            jurisdiction: Some(COMMUNITY.into()),
            schedule: Some("每天".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        store.create_service(o, &s, member()).await.unwrap();
        let d = RequestDraft {
            category: Some("elderly".into()),
            community: Some(COMMUNITY.into()),
            description: Some("独居老人需要助餐上门".into()),
            phone: Some("13800138000".into()),
        }
        .validate()
        .unwrap();
        let l = TimeLimits::default();
        let r = store
            .submit_request(&d, &token_hash(&"c".repeat(64)), &l, Utc::now(), "-")
            .await
            .unwrap();
        assert_eq!(store.request_handler(r.id).await.unwrap(), None);
        let by = TransitionInput {
            organization_id: Some(o),
            reason: "人手不足".into(),
            ..Default::default()
        };
        for t in [Transition::Assign, Transition::Decline] {
            store
                .transition_request(r.id, t, &by, &l, Utc::now(), "-")
                .await
                .unwrap();
        }
        // Declined: no one assigned now, but the history names who handled it.
        assert_eq!(store.request_handler(r.id).await.unwrap(), Some(o));
        let verified = ComplaintDraft {
            category: Some("attitude".into()),
            description: Some("电话里态度很差，直接拒绝".into()),
            phone: None,
        }
        .validate(Some(&r.data.phone))
        .unwrap();
        let c = store
            .submit_complaint(
                Against::Request {
                    request_id: r.id,
                    organization_id: o,
                },
                &verified,
                &"d".repeat(64),
                &ComplaintSettings::default(),
                Utc::now(),
                "-",
            )
            .await
            .unwrap();
        assert_eq!(c.request_id, Some(r.id));
        assert_eq!(c.street_path, r.street_path);
        assert_eq!(c.data.phone_source, PhoneSource::Verified);
    }
);
