//! The queues, reports, credit lists, accounts and the uncovered list by cursor, over
//! HTTP on both engines: `next` walks the complaint queue and an organization's public
//! complaints and `prev` comes back, a page read by cursor has no number, and on every
//! converted list a garbage cursor, another list's cursor or a numbered page past the
//! first 10,000 rows is a 422 naming it; the pages' Previous/Next keep the filters.

use chrono::{Duration, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::Value;
use shuniu_domain::access::Role;
use shuniu_domain::complaints::{ComplaintDraft, ComplaintSettings};
use shuniu_domain::requests::token_hash;
use shuniu_store::complaints::Against;

use crate::common::TestApp;
use crate::world;

async fn get(client: &reqwest::Client, url: String) -> (StatusCode, Value) {
    let r = client.get(url).send().await.unwrap();
    let st = r.status();
    (st, r.json().await.unwrap_or(Value::Null))
}

/// Five complaints against org A, filed a minute apart (two at the same instant).
async fn complaints(app: &TestApp, org: uuid::Uuid) {
    let d = ComplaintDraft {
        category: Some("not_delivered".into()),
        description: Some("约好的助餐没有送到".into()),
        phone: Some("13912345678".into()),
    }
    .validate(None)
    .unwrap();
    let start = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap();
    for (i, minutes) in [0, 1, 1, 2, 3].iter().enumerate() {
        app.store
            .submit_complaint(
                Against::Organization(org),
                &d,
                &token_hash(&format!("{i}").repeat(64)),
                &ComplaintSettings::default(),
                start + Duration::minutes(*minutes),
                "-",
            )
            .await
            .unwrap();
    }
}

/// Every page of `base` (a URL with its filters) by `next`, then back by `prev`:
/// returns the items in order and checks the way back gives the same pages.
pub(crate) async fn walk(
    client: &reqwest::Client,
    app: &TestApp,
    base: &str,
    key: &str,
) -> Vec<String> {
    let keys = |p: &Value| -> Vec<String> {
        p["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i[key].to_string())
            .collect()
    };
    let (st, first) = get(client, app.url(base)).await;
    assert_eq!(st, StatusCode::OK, "{base}: {first}");
    assert!(first["prev"].is_null() && first["page"] == 1, "{first}");
    let mut pages = vec![first];
    while let Some(next) = pages.last().unwrap()["next"].as_str().map(String::from) {
        let (st, p) = get(client, app.url(&format!("{base}&cursor={next}"))).await;
        assert_eq!(st, StatusCode::OK, "{p}");
        assert!(p["page"].is_null(), "read by cursor: no number: {p}");
        pages.push(p);
        assert!(pages.len() <= 10, "the walk ends");
    }
    for i in (1..pages.len()).rev() {
        let prev = pages[i]["prev"].as_str().unwrap();
        let (_, p) = get(client, app.url(&format!("{base}&cursor={prev}"))).await;
        assert_eq!(keys(&p), keys(&pages[i - 1]), "back to page {i}");
    }
    pages.iter().flat_map(keys).collect()
}

http_test!(
    the_complaint_queue_and_record_walk_by_cursor,
    |app: TestApp| async move {
        let f = world::build(&app).await;
        complaints(&app, f.org_a).await;
        let official = app
            .client_as("xw.official", Role::Official, Some("320102"), None)
            .await;
        let all = walk(&official, &app, "/api/v1/complaints?per_page=2", "number").await;
        let (_, whole) = get(&official, app.url("/api/v1/complaints?per_page=200")).await;
        let want: Vec<String> = whole["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["number"].to_string())
            .collect();
        assert_eq!(all, want);
        assert_eq!(
            (
                whole["total"].as_i64(),
                whole["total_is_lower_bound"].as_bool()
            ),
            (Some(5), Some(false))
        );
        let record = format!("/api/v1/organizations/{}/complaints?per_page=2", f.org_a);
        let filed = walk(&app.anon, &app, &record, "filed_at").await;
        assert_eq!(filed.len(), 5);
        assert!(
            filed.windows(2).all(|w| w[0] >= w[1]),
            "newest first: {filed:?}"
        );

        // The queue's page keeps its filters in Previous/Next.
        let html = official
            .get(app.url("/complaints?state=submitted&per_page=2"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("/complaints?state=submitted&#38;per_page=2&#38;cursor="),
            "{html}"
        );
    }
);

http_test!(
    every_converted_list_refuses_bad_cursors_and_deep_pages,
    |app: TestApp| async move {
        let f = world::build(&app).await;
        complaints(&app, f.org_a).await;
        let official = app
            .client_as("xw.official", Role::Official, Some("320102"), None)
            .await;
        let (_, q) = get(&official, app.url("/api/v1/complaints?per_page=1")).await;
        let queue_cursor = q["next"].as_str().unwrap().to_string();
        let record = format!("/api/v1/organizations/{}/complaints", f.org_a);
        let lists: Vec<(&reqwest::Client, String)> = vec![
            (&official, "/api/v1/complaints".into()),
            (&app.anon, record),
            (&official, "/api/v1/requests".into()),
            (&official, "/api/v1/annual-reports".into()),
            (&app.anon, "/api/v1/assessment-rounds".into()),
            (&app.anon, "/api/v1/credit-lists".into()),
            (&official, "/api/v1/coverage/320102/uncovered".into()),
        ];
        for (client, path) in lists {
            let (st, v) = get(client, app.url(&format!("{path}?per_page=1"))).await;
            assert_eq!(st, StatusCode::OK, "{path}: {v}");
            for k in [
                "total",
                "total_is_lower_bound",
                "next",
                "prev",
                "page",
                "per_page",
            ] {
                assert!(v.get(k).is_some(), "{path} answers {k}: {v}");
            }
            let mut bad = vec![
                ("cursor=garbage!".to_string(), "cursor"),
                (format!("cursor={}", "A".repeat(600)), "cursor"),
                ("page=501".to_string(), "page"),
                ("per_page=100&page=101".to_string(), "page"),
            ];
            if path != "/api/v1/complaints" {
                bad.push((format!("cursor={queue_cursor}"), "cursor"));
            }
            for (query, field) in bad {
                let (st, v) = get(client, app.url(&format!("{path}?{query}"))).await;
                assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{path}?{query}: {v}");
                assert!(v["fields"][field].is_string(), "{path}?{query}: {v}");
            }
            // The last numbered page within the first 10,000 rows is served.
            let (st, v) = get(client, app.url(&format!("{path}?per_page=20&page=500"))).await;
            assert_eq!(st, StatusCode::OK, "{path}: {v}");
            assert!(v["items"].as_array().unwrap().is_empty(), "{path}: {v}");
        }
    }
);
