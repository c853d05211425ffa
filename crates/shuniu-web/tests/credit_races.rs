//! Credit lists under parallel attack, over HTTP, on both engines: fifty officials'
//! requests at once against one listing or one organization. A removal lands once,
//! with one reason; fifty events list each of their causes exactly once, and the causes
//! every run shares (the late reports, their two-year marks) once too; never a `500`.

use std::collections::BTreeSet;

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shuniu_domain::access::Role;
use shuniu_domain::supervision::credit::{CreditSettings, ListingChange, supervise};
use shuniu_store::supervision::credit::StoredListing;

use crate::common::{TestApp, org_json};

const ATTACKERS: usize = 50;

async fn send(r: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let r = r.send().await.expect("the app answers");
    let st = r.status();
    let v = r.json().await.unwrap_or(Value::Null);
    (st, v)
}

/// Fires every request at once and returns the answers in order.
async fn all_at_once(requests: Vec<reqwest::RequestBuilder>) -> Vec<(StatusCode, Value)> {
    futures_util::future::join_all(requests.into_iter().map(send)).await
}

/// A registered organization and its registration authority's official.
async fn org_and_official(app: &TestApp, n: u32) -> (String, reqwest::Client) {
    let org = app.create_org(&org_json(n)).await;
    let id = org["id"].as_str().unwrap().to_string();
    let xuanwu = app
        .client_as("official_xw", Role::Official, Some("320102"), None)
        .await;
    (id, xuanwu)
}

http_test!(
    fifty_parallel_removals_of_one_listing_remove_it_once,
    |app: TestApp| async move {
        let (id, xuanwu) = org_and_official(&app, 1).await;
        let today = shuniu_web::today();
        let events = app.url(&format!("/api/v1/organizations/{id}/credit-events"));
        // A correction ordered and not done by its date: an abnormal listing; done
        // since, so the listing may be removed on application.
        let (st, v) = send(xuanwu.post(&events).json(&json!({
            "kind": "correction_ordered",
            "occurred_on": (today - Duration::days(60)).to_string(),
            "due_on": (today - Duration::days(30)).to_string(),
            "note": "玄民责改〔2026〕9号"
        })))
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let order = v["event"]["id"].as_str().unwrap().to_string();
        let listing = v["listings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["trigger"] == "correction_not_done")
            .expect("the order's listing")["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (st, v) = send(xuanwu.post(&events).json(&json!({
            "kind": "correction_done",
            "occurred_on": today.to_string(),
            "refers_to": order,
            "note": "整改验收"
        })))
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");

        let removal = app.url(&format!("/api/v1/credit-listings/{listing}/removal"));
        let answers = all_at_once(
            (0..ATTACKERS)
                .map(|i| {
                    xuanwu
                        .post(&removal)
                        .json(&json!({"reason": format!("第{i}份申请")}))
                })
                .collect(),
        )
        .await;
        // Were the removal not guarded (the listing locked, `removed_on IS NULL` in the
        // update), several requests would read it open and each write its own removal:
        // more than one 200, the reason of whichever wrote last, one audit record each.
        let won: Vec<&Value> = answers
            .iter()
            .filter(|(st, _)| *st == StatusCode::OK)
            .map(|(_, v)| v)
            .collect();
        assert_eq!(won.len(), 1, "exactly one removal: {answers:?}");
        for (st, v) in &answers {
            assert!(
                [
                    StatusCode::OK,
                    StatusCode::CONFLICT,
                    StatusCode::UNPROCESSABLE_ENTITY
                ]
                .contains(st),
                "a refusal, never a {st}: {v}"
            );
        }
        let stored = app
            .store
            .credit_listing(listing.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.removed_on, Some(today));
        assert_eq!(
            stored.removal_reason_zh.as_deref(),
            won[0]["removal_reason_zh"].as_str(),
            "the winner's reason is the one recorded"
        );
        let removals: Vec<_> = app
            .audit_records("credit.remove")
            .await
            .items
            .into_iter()
            .filter(|r| r.event.object == format!("credit_listing:{listing}"))
            .collect();
        assert_eq!(removals.len(), 1, "one removal audited: {removals:?}");
        let history = app
            .store
            .organization_history(id.parse().unwrap())
            .await
            .unwrap();
        assert_eq!(
            history
                .iter()
                .filter(|c| c.action == "credit.remove")
                .count(),
            1
        );
    }
);

/// A listing's identity: the same cause is listed once.
fn key(l: &StoredListing) -> String {
    format!("{}/{}/{}", l.list, l.trigger, l.cause)
}

http_test!(
    fifty_parallel_large_fines_list_each_cause_once,
    |app: TestApp| async move {
        let (id, xuanwu) = org_and_official(&app, 2).await;
        let org_id: uuid::Uuid = id.parse().unwrap();
        let today = shuniu_web::today();
        let events = app.url(&format!("/api/v1/organizations/{id}/credit-events"));
        // Each fine is its own cause (`event:<id>`): the serious list holds one listing
        // per fine, each with its own date and removal clock. Every request also applies
        // the rules to the organization, never supervised before, so all fifty race to
        // list the same late annual reports and their two-year marks as well.
        let answers = all_at_once(
            (0..ATTACKERS)
                .map(|i| {
                    xuanwu.post(&events).json(&json!({
                        "kind": "fine",
                        "occurred_on": (today - Duration::days(i as i64)).to_string(),
                        "amount": "60000",
                        "note": format!("玄民罚字〔2026〕{i}号")
                    }))
                })
                .collect(),
        )
        .await;
        for (st, v) in &answers {
            assert_eq!(*st, StatusCode::CREATED, "{v}");
        }
        let fines: BTreeSet<String> = answers
            .iter()
            .map(|(_, v)| format!("event:{}", v["event"]["id"].as_str().unwrap()))
            .collect();
        assert_eq!(fines.len(), ATTACKERS);

        let listings = app.store.credit_listings_of(org_id).await.unwrap();
        // No cause twice: were the listing not keyed by its cause in the database (or the
        // insert not `ON CONFLICT … DO NOTHING` inside the organization's lock), runs
        // that read the facts before each other's commit would each list it.
        let keys: Vec<String> = listings.iter().map(key).collect();
        let distinct: BTreeSet<&String> = keys.iter().collect();
        assert_eq!(
            distinct.len(),
            keys.len(),
            "a cause listed twice: {keys:#?}"
        );
        // Every fine listed, on the serious list, once.
        let large: BTreeSet<String> = listings
            .iter()
            .filter(|l| l.trigger.as_str() == "large_fine")
            .inspect(|l| assert_eq!(l.list.as_str(), "serious"))
            .map(|l| l.cause.clone())
            .collect();
        assert_eq!(large, fines, "each fine listed exactly once");
        // Nothing missing either: the listings are exactly what the rules call for on
        // these facts from scratch, and applying the rules again changes nothing (a run
        // that lost a race and dropped what it meant to write would leave a gap here).
        let settings = CreditSettings::default();
        let mut facts = app.store.credit_facts(org_id).await.unwrap();
        assert_eq!(supervise(&facts, today, &settings), vec![], "a fixpoint");
        facts.listings.clear();
        let expected: BTreeSet<String> = supervise(&facts, today, &settings)
            .iter()
            .filter_map(|c| match c {
                ListingChange::List {
                    list,
                    trigger,
                    cause,
                    ..
                } => Some(format!("{list}/{trigger}/{cause}")),
                ListingChange::Remove { .. } => None,
            })
            .collect();
        assert_eq!(
            distinct.into_iter().cloned().collect::<BTreeSet<_>>(),
            expected
        );
        assert!(
            keys.iter()
                .any(|k| k.starts_with("serious/abnormal_two_years/")),
            "the shared causes were raced for too: {keys:#?}"
        );
        // Each listing audited once, each event once.
        assert_eq!(
            app.audit_records("credit.list").await.total,
            keys.len() as i64
        );
        assert_eq!(
            app.audit_records("credit.event").await.total,
            ATTACKERS as i64
        );
        let (_, sup) = send(
            app.anon
                .get(app.url(&format!("/api/v1/organizations/{id}/supervision"))),
        )
        .await;
        assert_eq!(sup["on_serious_list"], true, "{sup}");
    }
);
