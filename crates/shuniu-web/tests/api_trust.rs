//! The credibility API over HTTP, on SQLite and PostgreSQL: the score with every part
//! (weight, points or not counted, source, notes in both languages), `404` for an
//! unknown organization, and the stored score recomputed by the events that change it
//! (a suspension, a contact declared), not by reading it.

use crate::common;

use common::{TestApp, org_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let r = app.anon.get(app.url(path)).send().await.unwrap();
    let st = r.status();
    let text = r.text().await.unwrap();
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}"));
    (st, v)
}

fn part<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["part"] == name)
        .unwrap_or_else(|| panic!("no part {name} in {v}"))
}

crate::http_test!(
    the_score_with_its_parts_and_recomputed_on_events,
    |app: TestApp| async move {
        let o = app.create_org(&org_json(901)).await;
        let id = o["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/organizations/{id}/credibility");
        let (st, v) = get(&app, &path).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["organization_id"], id.as_str());
        let parts = v["parts"].as_array().unwrap();
        assert_eq!(parts.len(), 8);
        let weights: u64 = parts.iter().map(|p| p["weight"].as_u64().unwrap()).sum();
        assert_eq!(weights, 100);
        for p in parts {
            assert!(!p["name_zh"].as_str().unwrap().is_empty());
            assert!(!p["name_en"].as_str().unwrap().is_empty());
            assert!(!p["source"].as_str().unwrap().is_empty());
            let notes = p["notes"].as_array().unwrap();
            assert!(!notes.is_empty(), "{p}");
            assert!(
                notes
                    .iter()
                    .all(|n| n["zh"].is_string() && n["en"].is_string())
            );
            assert_eq!(p["counted"].as_bool().unwrap(), !p["points"].is_null());
        }
        // Too few ratings: not counted, and said so.
        let ratings = part(&v, "ratings");
        assert!(ratings["points"].is_null());
        assert_eq!(ratings["counted"], false);
        assert_eq!(part(&v, "registration")["points"], 100);
        assert_eq!(part(&v, "disclosure")["points"], 0);
        assert!(["high", "fair", "low"].contains(&v["band"].as_str().unwrap()));
        assert!(v["as_of"].is_string());
        let before = v["score"].as_u64().unwrap();

        // Declaring the public contact raises the disclosure part at once.
        let contact = json!({"service_phone": "025-84123456", "service_hours": "周一至周五 9:00–17:00", "address": "长江路1号"});
        let r = app
            .client
            .put(app.url(&format!("/api/v1/organizations/{id}/contact")))
            .json(&contact)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
        let (_, v) = get(&app, &path).await;
        assert_eq!(part(&v, "disclosure")["points"], 75);
        assert!(v["score"].as_u64().unwrap() >= before);

        // A suspension caps the stored score at 20, with the reason.
        let r = app
            .post_json(
                &format!("/api/v1/organizations/{id}/status"),
                &json!({"status": "suspended", "reason": "责令暂停活动"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
        let (_, v) = get(&app, &path).await;
        assert!(v["score"].as_u64().unwrap() <= 20, "{v}");
        assert_eq!(v["band"], "low");
        assert!(v["cap"]["en"].as_str().unwrap().contains("suspended"));
        assert_eq!(part(&v, "registration")["points"], 0);

        // An unknown organization: 404, in JSON.
        let (st, v) = get(
            &app,
            "/api/v1/organizations/01900000-0000-7000-8000-000000000000/credibility",
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        assert!(v["error"].is_object() || v["error"].is_string(), "{v}");
    }
);
