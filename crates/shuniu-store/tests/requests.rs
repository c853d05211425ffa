//! Resident requests on both engines: numbers from the database's counter (no gaps, no
//! duplicates under parallel submissions), the state machine as conditional updates
//! (parallel double assignment and double rating: exactly one lands), candidates ranked
//! in SQL with suspended organizations left out, the queues and the overdue filter.

use chrono::{Duration, Utc};
use shuniu_domain::jurisdiction::{Jurisdiction, JurisdictionCode, Level};
use shuniu_domain::registry::StatusChange;
use shuniu_domain::requests::{
    Rating, RequestData, RequestDraft, RequestState, TimeLimits, Transition, token_hash,
};
use shuniu_domain::services::ServiceDraft;
use shuniu_store::requests::{RequestFilter, TransitionInput};
use shuniu_store::{Store, StoreError, both_backends};
use uuid::Uuid;

use crate::supervision_support::*;

pub const COMMUNITY: &str = "320102002001";

pub async fn community(store: &Store) {
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

fn data() -> RequestData {
    RequestDraft {
        category: Some("elderly".into()),
        community: Some(COMMUNITY.into()),
        description: Some("独居老人需要助餐上门".into()),
        phone: Some("13800138000".into()),
    }
    .validate()
    .unwrap()
}

async fn offering(store: &Store, n: u32, capacity: &str) -> Uuid {
    let o = org(store, n).await;
    let s = ServiceDraft {
        name: Some("助餐配送".into()),
        category: Some("elderly".into()),
        target_group: Some("老人".into()),
        place_kind: Some("community".into()),
        jurisdiction: Some(COMMUNITY.into()),
        schedule: Some("每天".into()),
        capacity: Some(capacity.into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    store.create_service(o.id, &s, member()).await.unwrap();
    o.id
}

fn with_org(o: Uuid) -> TransitionInput {
    TransitionInput {
        organization_id: Some(o),
        ..Default::default()
    }
}

both_backends!(the_whole_story_and_its_guards, |store: Store| async move {
    community(&store).await;
    let a = offering(&store, 81, "20").await;
    let b = offering(&store, 82, "5").await;
    let l = TimeLimits::default();
    let now = Utc::now();
    let r = store
        .submit_request(&data(), &token_hash(&"a".repeat(64)), &l, now, "-")
        .await
        .unwrap();
    assert_eq!(r.state, RequestState::Submitted);
    assert!(
        r.number
            .starts_with(&format!("QZ-320102-{}-", now.format("%Y")))
    );
    assert_eq!(
        store
            .request_by_token_hash(&token_hash(&"a".repeat(64)))
            .await
            .unwrap()
            .unwrap()
            .id,
        r.id
    );
    // A street is not a community.
    let mut d = data();
    d.community = JurisdictionCode::parse(MEIYUAN).unwrap();
    let e = store
        .submit_request(&d, "x", &l, now, "-")
        .await
        .unwrap_err();
    assert!(matches!(&e, StoreError::Invalid(f) if f.get("community").is_some()));

    // Candidates: both, each with reasons.
    let c = store.request_candidates(&r, 1, 20).await.unwrap();
    assert_eq!(c.total, 2);
    assert!(c.items.iter().all(|x| !x.reasons.is_empty()));
    // Rating before completion is refused by state.
    let rate = TransitionInput {
        rating: Some(Rating {
            stars: 5,
            comment: String::new(),
        }),
        ..Default::default()
    };
    let e = store
        .transition_request(r.id, Transition::Confirm, &rate, &l, now, "-")
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::State(_)), "{e:?}");

    let t = |tr, input: TransitionInput| {
        let store = store.clone();
        async move {
            store
                .transition_request(r.id, tr, &input, &l, Utc::now(), official())
                .await
        }
    };
    t(Transition::Assign, with_org(a)).await.unwrap();
    // Only the assignee accepts.
    assert!(t(Transition::Accept, with_org(b)).await.is_err());
    let declined = t(
        Transition::Decline,
        TransitionInput {
            organization_id: Some(a),
            reason: "人手不足".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(declined.state, RequestState::Declined);
    assert_eq!(declined.assigned_org, None);
    t(Transition::Assign, with_org(b)).await.unwrap();
    t(Transition::Accept, with_org(b)).await.unwrap();
    t(Transition::Complete, with_org(b)).await.unwrap();
    let done = t(Transition::Confirm, rate.clone()).await.unwrap();
    assert_eq!(done.state, RequestState::Confirmed);
    assert_eq!(done.rating, Some(5));
    let h = store.request_events(r.id).await.unwrap();
    let kinds: Vec<&str> = h.iter().map(|e| e.transition.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "submit", "assign", "decline", "assign", "accept", "complete", "confirm"
        ]
    );
    assert_eq!(h[2].reason, "人手不足");
    // Queues: the organization's, the street's.
    let q = store
        .request_queue(&RequestFilter {
            organization_id: Some(b),
            page: 1,
            per_page: 20,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(q.total, 1);
    let q = store
        .request_queue(&RequestFilter {
            organization_id: Some(a),
            page: 1,
            per_page: 20,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(q.total, 0, "a declining organization no longer holds it");
    assert_eq!(store.audit_verify().await.unwrap().first_break, None);
});

both_backends!(
    parallel_numbers_assignments_and_ratings,
    |store: Store| async move {
        community(&store).await;
        let a = offering(&store, 83, "20").await;
        let b = offering(&store, 84, "20").await;
        let l = TimeLimits::default();
        // Parallel submissions: distinct, consecutive numbers.
        let mut handles = vec![];
        for i in 0..8 {
            let store = store.clone();
            handles.push(tokio::spawn(async move {
                store
                    .submit_request(&data(), &format!("{i:064}"), &l, Utc::now(), "-")
                    .await
                    .unwrap()
            }));
        }
        let mut numbers = vec![];
        let mut first = None;
        for h in handles {
            let r = h.await.unwrap();
            first.get_or_insert(r.id);
            numbers.push(r.number);
        }
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), 8);
        assert!(numbers[7].ends_with("-000008"), "{numbers:?}");
        let id = first.unwrap();

        // Two dispatchers assign at once: one lands.
        let race = |t: Transition, input: TransitionInput| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .transition_request(id, t, &input, &l, Utc::now(), official())
                    .await
            })
        };
        let (x, y) = (
            race(Transition::Assign, with_org(a)),
            race(Transition::Assign, with_org(b)),
        );
        let (x, y) = (x.await.unwrap(), y.await.unwrap());
        assert!(x.is_ok() != y.is_ok(), "{x:?} {y:?}");
        let holder = store
            .request(id)
            .await
            .unwrap()
            .unwrap()
            .assigned_org
            .unwrap();
        store
            .transition_request(
                id,
                Transition::Accept,
                &with_org(holder),
                &l,
                Utc::now(),
                member(),
            )
            .await
            .unwrap();
        store
            .transition_request(
                id,
                Transition::Complete,
                &with_org(holder),
                &l,
                Utc::now(),
                member(),
            )
            .await
            .unwrap();
        // Two ratings at once (a double click): one lands.
        let rate = |stars| TransitionInput {
            rating: Some(Rating {
                stars,
                comment: "好".into(),
            }),
            ..Default::default()
        };
        let (x, y) = (
            race(Transition::Confirm, rate(5)),
            race(Transition::Confirm, rate(1)),
        );
        let (x, y) = (x.await.unwrap(), y.await.unwrap());
        assert!(x.is_ok() != y.is_ok(), "{x:?} {y:?}");
        let events = store.request_events(id).await.unwrap();
        assert_eq!(
            events.iter().filter(|e| e.transition == "confirm").count(),
            1
        );
        assert_eq!(
            events.iter().filter(|e| e.transition == "assign").count(),
            1
        );
    }
);

both_backends!(
    candidates_rank_and_exclude_and_overdue_is_flagged,
    |store: Store| async move {
        community(&store).await;
        let a = offering(&store, 85, "20").await;
        let b = offering(&store, 86, "20").await;
        let l = TimeLimits::default();
        let old = Utc::now() - Duration::hours(48);
        let r = store
            .submit_request(&data(), "t1", &l, old, "-")
            .await
            .unwrap();
        store
            .change_status(
                b,
                &StatusChange::parse(Some("suspended"), Some("责令暂停活动"), None, today())
                    .unwrap(),
                "official",
            )
            .await
            .unwrap();
        let c = store.request_candidates(&r, 1, 20).await.unwrap();
        assert_eq!(c.total, 1);
        assert_eq!(c.items[0].facts.organization_id, a);
        assert_eq!(c.items[0].facts.proximity, 3);
        // A suspended organization cannot be assigned either.
        let e = store
            .transition_request(
                r.id,
                Transition::Assign,
                &with_org(b),
                &l,
                Utc::now(),
                official(),
            )
            .await
            .unwrap_err();
        assert!(matches!(&e, StoreError::Invalid(f) if f.get("organization_id").is_some()));
        let overdue = |at| RequestFilter {
            street_path: Some(r.street_path.clone()),
            overdue_at: Some(at),
            page: 1,
            per_page: 20,
            ..Default::default()
        };
        assert_eq!(
            store
                .request_queue(&overdue(Utc::now()))
                .await
                .unwrap()
                .total,
            1
        );
        assert_eq!(store.request_queue(&overdue(old)).await.unwrap().total, 0);
    }
);
