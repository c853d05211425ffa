//! Keyset pages of the complaint and request queues, an organization's public
//! complaints, the annual-report review queue, the assessment rounds, the public credit
//! lists and the accounts: forward by `next` and back by `prev` each is the numbered
//! list's order, every row once; a cursor of another list is an invalid `cursor`; and
//! the first page walks an index in the list's order (`EXPLAIN`: no sort step).

use chrono::{Duration, TimeZone, Utc};
use shuniu_domain::access::Role;
use shuniu_domain::complaints::{ComplaintDraft, ComplaintSettings, ComplaintState};
use shuniu_domain::requests::{RequestDraft, RequestState, TimeLimits, token_hash};
use shuniu_domain::supervision::credit::ListKind;
use shuniu_store::complaints::{Against, ComplaintFilter, PublicComplaint};
use shuniu_store::list_plans::PlannedList;
use shuniu_store::requests::RequestFilter;
use shuniu_store::supervision::assessment::NewRound;
use shuniu_store::{At, KeyPage, Store, StoreError, both_backends};
use uuid::Uuid;

use crate::requests::{COMMUNITY, community};
use crate::supervision_credit::{contents, job, settings};
use crate::supervision_support::*;
use crate::walk::pages_both_ways;

const XUANWU: &str = "320000/320100/320102/";

fn refused<T: std::fmt::Debug>(r: Result<KeyPage<T>, StoreError>) {
    match r {
        Err(StoreError::Invalid(f)) => assert!(f.get("cursor").is_some(), "{f:?}"),
        other => panic!("not refused: {other:?}"),
    }
}

/// Seven complaints against two organizations, two of them filed at the same instant.
async fn complaints(store: &Store) -> (Uuid, Uuid) {
    let a = org(store, 91).await.id;
    let b = org(store, 92).await.id;
    let d = ComplaintDraft {
        category: Some("not_delivered".into()),
        description: Some("约好的助餐没有送到".into()),
        phone: Some("13800138000".into()),
    }
    .validate(None)
    .unwrap();
    let start = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap();
    for (i, minutes) in [0, 5, 5, 30, 60, 61, 90].iter().enumerate() {
        let against = Against::Organization(if i % 3 == 0 { b } else { a });
        store
            .submit_complaint(
                against,
                &d,
                &token_hash(&format!("{i}").repeat(64)),
                &ComplaintSettings::default(),
                start + Duration::minutes(*minutes),
                "-",
            )
            .await
            .unwrap();
    }
    (a, b)
}

both_backends!(
    complaint_pages_walk_forward_and_back,
    |store: Store| async move {
        let (a, _) = complaints(&store).await;
        for f in [
            ComplaintFilter::default(),
            ComplaintFilter {
                street_path: Some(XUANWU.into()),
                state: Some(ComplaintState::Submitted),
                ..Default::default()
            },
            ComplaintFilter {
                organization_id: Some(a),
                ..Default::default()
            },
        ] {
            let want: Vec<Uuid> = store
                .complaint_queue(&ComplaintFilter {
                    page: 1,
                    per_page: 200,
                    ..f.clone()
                })
                .await
                .unwrap()
                .items
                .iter()
                .map(|l| l.complaint.id)
                .collect();
            assert!(want.len() >= 4, "{f:?}");
            let read = |at: Option<String>| {
                let (store, f) = (store.clone(), f.clone());
                async move {
                    store
                        .complaint_queue_keyset(&f, At::Cursor(at.as_deref()), 2)
                        .await
                        .unwrap()
                }
            };
            pages_both_ways(read, |l| l.complaint.id, &want).await;
        }
        // The public record walks the same order (it carries no id: compared by time).
        let want = store.public_complaints(a, 1, 100).await.unwrap().items;
        let read = async |at: Option<String>| {
            store
                .public_complaints_keyset(a, At::Cursor(at.as_deref()), 2)
                .await
                .unwrap()
        };
        pages_both_ways(read, PublicComplaint::clone, &want).await;
        // A queue's cursor is not the public record's, nor the other way round.
        let queue = store
            .complaint_queue_keyset(&ComplaintFilter::default(), At::Cursor(None), 2)
            .await
            .unwrap();
        refused(
            store
                .public_complaints_keyset(a, At::Cursor(queue.next.as_deref()), 2)
                .await,
        );
        let public = store
            .public_complaints_keyset(a, At::Cursor(None), 2)
            .await
            .unwrap();
        refused(
            store
                .complaint_queue_keyset(
                    &ComplaintFilter::default(),
                    At::Cursor(public.next.as_deref()),
                    2,
                )
                .await,
        );
    }
);

both_backends!(
    request_pages_walk_forward_and_back,
    |store: Store| async move {
        community(&store).await;
        let d = RequestDraft {
            category: Some("elderly".into()),
            community: Some(COMMUNITY.into()),
            description: Some("独居老人需要助餐上门".into()),
            phone: Some("13800138000".into()),
        }
        .validate()
        .unwrap();
        let start = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap();
        for (i, minutes) in [0, 3, 3, 3, 20, 40, 41].iter().enumerate() {
            store
                .submit_request(
                    &d,
                    &token_hash(&format!("{i}").repeat(64)),
                    &TimeLimits::default(),
                    start + Duration::minutes(*minutes),
                    "-",
                )
                .await
                .unwrap();
        }
        for f in [
            RequestFilter::default(),
            RequestFilter {
                street_path: Some(XUANWU.into()),
                state: Some(RequestState::Submitted),
                ..Default::default()
            },
        ] {
            let want: Vec<Uuid> = store
                .request_queue(&RequestFilter {
                    page: 1,
                    per_page: 200,
                    ..f.clone()
                })
                .await
                .unwrap()
                .items
                .iter()
                .map(|l| l.request.id)
                .collect();
            assert_eq!(want.len(), 7);
            let read = |at: Option<String>| {
                let (store, f) = (store.clone(), f.clone());
                async move {
                    store
                        .request_queue_keyset(&f, At::Cursor(at.as_deref()), 3)
                        .await
                        .unwrap()
                }
            };
            pages_both_ways(read, |l| l.request.id, &want).await;
        }
        // The accounts' cursor is not the queue's.
        for name in ["amy", "bob"] {
            store
                .create_user(
                    &shuniu_store::testing::new_user(name, Role::Admin, "-"),
                    "test",
                )
                .await
                .unwrap();
        }
        let users = store.users_keyset(At::Cursor(None), 1).await.unwrap();
        assert!(users.next.is_some());
        refused(
            store
                .request_queue_keyset(
                    &RequestFilter::default(),
                    At::Cursor(users.next.as_deref()),
                    3,
                )
                .await,
        );
    }
);

both_backends!(
    supervision_pages_walk_forward_and_back,
    |store: Store| async move {
        // Six reports filed on two dates, listed on the abnormal list on two days.
        for (batch, day) in [(61..=64, 1), (65..=66, 3)] {
            for n in batch {
                let o = org(&store, n).await;
                store
                    .file_annual_report(
                        o.id,
                        2024,
                        &contents(),
                        d(2025, 4, day),
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
        let want: Vec<Uuid> = store
            .annual_report_queue(XUANWU, None, None, 1, 200)
            .await
            .unwrap()
            .items
            .iter()
            .map(|q| q.report.id)
            .collect();
        assert_eq!(want.len(), 6);
        let read = |at: Option<String>| {
            let store = store.clone();
            async move {
                store
                    .annual_report_queue_keyset(XUANWU, None, None, At::Cursor(at.as_deref()), 4)
                    .await
                    .unwrap()
            }
        };
        pages_both_ways(read, |q| q.report.id, &want).await;

        for path in [None, Some(XUANWU)] {
            let want: Vec<Uuid> = store
                .credit_list_page(ListKind::Abnormal, path, 1, 200)
                .await
                .unwrap()
                .items
                .iter()
                .map(|e| e.listing.id)
                .collect();
            assert_eq!(want.len(), 6);
            let read = |at: Option<String>| {
                let store = store.clone();
                async move {
                    store
                        .credit_list_keyset(ListKind::Abnormal, path, At::Cursor(at.as_deref()), 4)
                        .await
                        .unwrap()
                }
            };
            pages_both_ways(read, |e| e.listing.id, &want).await;
        }

        let xuanwu = store.jurisdiction("320102").await.unwrap().unwrap();
        for (year, month) in [(2025, 3), (2026, 3), (2026, 3), (2026, 5), (2024, 1)] {
            store
                .open_assessment_round(
                    &xuanwu,
                    &NewRound {
                        year,
                        title: format!("玄武区{year}年度社会组织等级评估"),
                        opens_on: d(year, month, 1),
                        closes_on: d(year, month + 1, 28),
                        notice_days: 7,
                    },
                    official(),
                )
                .await
                .unwrap();
        }
        let want: Vec<Uuid> = store
            .assessment_rounds_page(1, 200)
            .await
            .unwrap()
            .items
            .iter()
            .map(|r| r.id)
            .collect();
        let read = |at: Option<String>| {
            let store = store.clone();
            async move {
                store
                    .assessment_rounds_keyset(At::Cursor(at.as_deref()), 2)
                    .await
                    .unwrap()
            }
        };
        pages_both_ways(read, |r| r.id, &want).await;

        // A credit list's cursor is not the review queue's nor the rounds'.
        let credit = store
            .credit_list_keyset(ListKind::Abnormal, None, At::Cursor(None), 1)
            .await
            .unwrap()
            .next;
        refused(
            store
                .annual_report_queue_keyset(XUANWU, None, None, At::Cursor(credit.as_deref()), 4)
                .await,
        );
        refused(
            store
                .assessment_rounds_keyset(At::Cursor(credit.as_deref()), 2)
                .await,
        );
        refused(
            store
                .credit_list_keyset(ListKind::Serious, None, At::Cursor(Some("e30")), 4)
                .await,
        );
    }
);

both_backends!(
    account_pages_walk_forward_and_back,
    |store: Store| async move {
        for name in ["zoe", "amy", "bob", "carl", "dora"] {
            store
                .create_user(
                    &shuniu_store::testing::new_user(name, Role::Admin, "$argon2id$fake"),
                    "test",
                )
                .await
                .unwrap();
        }
        let want: Vec<Uuid> = store
            .list_users(1, 200)
            .await
            .unwrap()
            .items
            .iter()
            .map(|u| u.id)
            .collect();
        let read = |at: Option<String>| {
            let store = store.clone();
            async move {
                store
                    .users_keyset(At::Cursor(at.as_deref()), 2)
                    .await
                    .unwrap()
            }
        };
        pages_both_ways(read, |u| u.id, &want).await;
        refused(store.users_keyset(At::Cursor(Some("bm90IGpzb24")), 2).await);
    }
);

both_backends!(
    queue_and_report_pages_walk_their_index_without_sorting,
    |store: Store| async move {
        let postgres = store.dialect() == shuniu_store::Dialect::Postgres;
        let now = Utc::now();
        let org = Uuid::now_v7();
        let street = |state| ComplaintFilter {
            street_path: Some(XUANWU.into()),
            state,
            ..Default::default()
        };
        let requests = |state| RequestFilter {
            street_path: Some(XUANWU.into()),
            state,
            ..Default::default()
        };
        let cases: Vec<(PlannedList, &str)> = vec![
            (
                PlannedList::ComplaintQueue(ComplaintFilter::default()),
                "complaints_filed",
            ),
            (
                PlannedList::ComplaintQueue(street(None)),
                "complaints_filed",
            ),
            (
                PlannedList::ComplaintQueue(street(Some(ComplaintState::Answered))),
                "complaints_filed",
            ),
            (
                PlannedList::ComplaintQueue(ComplaintFilter {
                    overdue_at: Some(now),
                    escalated: true,
                    ..street(None)
                }),
                "complaints_filed",
            ),
            (
                PlannedList::ComplaintQueue(ComplaintFilter {
                    organization_id: Some(org),
                    ..Default::default()
                }),
                "complaints_org_filed",
            ),
            (
                PlannedList::ComplaintQueue(ComplaintFilter {
                    organization_id: Some(org),
                    state: Some(ComplaintState::Submitted),
                    ..Default::default()
                }),
                "complaints_org",
            ),
            (PlannedList::PublicComplaints(org), "complaints_org_filed"),
            (
                PlannedList::RequestQueue(RequestFilter::default()),
                "resident_requests_created",
            ),
            (
                PlannedList::RequestQueue(requests(None)),
                "resident_requests_created",
            ),
            (
                PlannedList::RequestQueue(RequestFilter {
                    overdue_at: Some(now),
                    ..requests(Some(RequestState::Assigned))
                }),
                "resident_requests_created",
            ),
            (
                PlannedList::RequestQueue(RequestFilter {
                    organization_id: Some(org),
                    ..Default::default()
                }),
                "resident_requests_org_created",
            ),
            (
                PlannedList::RequestQueue(RequestFilter {
                    organization_id: Some(org),
                    state: Some(RequestState::Accepted),
                    ..Default::default()
                }),
                "resident_requests_org",
            ),
            (
                PlannedList::AnnualQueue {
                    authority_path: XUANWU.into(),
                    year: None,
                    outcome: None,
                },
                "annual_reports_queue_order",
            ),
            (
                PlannedList::AnnualQueue {
                    authority_path: XUANWU.into(),
                    year: Some(2024),
                    outcome: Some(shuniu_store::supervision::annual::QueueOutcome::Pending),
                },
                "annual_reports_queue_order",
            ),
            (PlannedList::AssessmentRounds, "assessment_rounds_order"),
            (
                PlannedList::CreditList {
                    list: ListKind::Abnormal,
                    path: None,
                },
                "credit_listings_kind_listed",
            ),
            (
                PlannedList::CreditList {
                    list: ListKind::Serious,
                    path: Some(XUANWU.into()),
                },
                "credit_listings_kind_listed",
            ),
            (
                PlannedList::Users,
                if postgres {
                    "users_username_key"
                } else {
                    "sqlite_autoindex_users"
                },
            ),
        ];
        for (list, index) in cases {
            let text = store.list_plan_for_tests(&list).await.unwrap().join("\n");
            assert!(text.contains(index), "{list:?} walks {index}:\n{text}");
            let sorts = if postgres {
                text.contains("Sort")
            } else {
                text.contains("TEMP B-TREE")
            };
            assert!(!sorts, "{list:?} sorts nothing:\n{text}");
        }
    }
);
