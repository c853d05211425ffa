//! Resident requests over HTTP (issue 12, item 6), both engines: a resident submits
//! without an account and follows a private link; the street hub's staff see the
//! candidates with reasons and assign; the organization accepts and completes; the
//! resident rates once. The phone is in full only for the dispatcher and the assigned
//! organization; everyone else meets a 404 or a masked number.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::requests_support::*;

async fn send(r: reqwest::RequestBuilder) -> (StatusCode, Value, String) {
    let r = r.send().await.expect("the app answers");
    let st = r.status();
    let text = r.text().await.unwrap_or_default();
    let v = serde_json::from_str(&text).unwrap_or(Value::Null);
    (st, v, text)
}

fn fields_of(v: &Value) -> Vec<String> {
    let mut f: Vec<String> = v["fields"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    f.sort();
    f
}

http_test!(
    the_whole_story_masked_for_everyone_else,
    |app: TestApp| async move {
        let s = story(&app).await;
        let submit = app.url("/api/v1/requests");

        // Bad input: every field named; nothing stored.
        let (st, v, _) = send(
            app.anon
                .post(&submit)
                .json(&json!({"category": "cooking", "phone": "123"})),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            fields_of(&v),
            ["category", "community", "description", "phone"]
        );
        let mut street = need();
        street["community"] = json!("320102002000");
        let (st, v, _) = send(app.anon.post(&submit).json(&street)).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["community"]);

        // No login needed.
        let (st, v, _) = send(app.anon.post(&submit).json(&need())).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let number = v["number"].as_str().unwrap().to_string();
        assert!(number.starts_with("QZ-320102-"), "{number}");
        let token = v["token"].as_str().unwrap().to_string();
        let track = app.url(&format!("/api/v1/requests/track/{token}"));
        let (st, v, text) = send(app.anon.get(&track)).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["phone_masked"], MASKED);
        assert!(!text.contains(PHONE));
        assert_eq!(v["state"], "submitted");

        // A wrong token is not found; a rating before completion is refused.
        let wrong = app.url(&format!("/api/v1/requests/track/{}", "f".repeat(64)));
        assert_eq!(send(app.anon.get(&wrong)).await.0, StatusCode::NOT_FOUND);
        let confirm = format!("{track}/confirm");
        let (st, v, _) = send(app.anon.post(&confirm).json(&json!({"rating": "5"}))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["rating"]);

        // The hub's queue shows it, with the phone; other organizations and experts don't.
        let (st, v, _) = send(s.hub.get(app.url("/api/v1/requests"))).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["total"], 1);
        assert_eq!(v["items"][0]["phone"], PHONE);
        let id = v["items"][0]["id"].as_str().unwrap().to_string();
        let one = app.url(&format!("/api/v1/requests/{id}"));
        for c in [&s.member_a, &s.member_c] {
            let (st, _, text) = send(c.get(&one)).await;
            assert_eq!(st, StatusCode::NOT_FOUND);
            assert!(!text.contains(PHONE));
            let (_, _, text) = send(c.get(app.url("/api/v1/requests"))).await;
            assert!(!text.contains(PHONE));
        }
        assert_eq!(send(s.expert.get(&one)).await.0, StatusCode::NOT_FOUND);
        assert_eq!(
            send(s.expert.get(app.url("/api/v1/requests"))).await.0,
            StatusCode::FORBIDDEN
        );

        // Candidates with reasons; assign; a second assignment is a conflict.
        let (st, v, _) = send(s.hub.get(format!("{one}/candidates"))).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["items"][0]["organization_id"], s.f.org_a.to_string());
        let reasons: Vec<&str> = v["items"][0]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        assert!(
            reasons.contains(&"same_community") && reasons.contains(&"has_capacity"),
            "{reasons:?}"
        );
        let actions = format!("{one}/actions");
        let (st, v, _) = send(s.hub.post(&actions).json(&json!({"action": "assign"}))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["organization_id"]);
        let (st, v, _) = send(
            s.hub
                .post(&actions)
                .json(&json!({"action": "assign", "organization_id": s.f.org_c.to_string()})),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::UNPROCESSABLE_ENTITY,
            "C offers nothing: {v}"
        );
        let assign = json!({"action": "assign", "organization_id": s.f.org_a.to_string()});
        let (st, v, _) = send(s.hub.post(&actions).json(&assign)).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["state"], "assigned");
        assert_eq!(
            send(s.hub.post(&actions).json(&assign)).await.0,
            StatusCode::CONFLICT
        );

        // The assignee sees the phone; C still doesn't; the hub may not accept for it.
        let (st, v, _) = send(s.member_a.get(&one)).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["phone"], PHONE);
        assert_eq!(send(s.member_c.get(&one)).await.0, StatusCode::NOT_FOUND);
        assert_eq!(
            send(s.hub.post(&actions).json(&json!({"action": "accept"})))
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        let (st, v, _) = send(
            s.member_a
                .post(&actions)
                .json(&json!({"action": "decline"})),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a decline needs a reason: {v}"
        );
        assert_eq!(fields_of(&v), ["reason"]);
        for a in ["accept", "complete"] {
            let (st, v, _) = send(s.member_a.post(&actions).json(&json!({"action": a}))).await;
            assert_eq!(st, StatusCode::OK, "{a}: {v}");
        }

        // The resident rates once.
        let (st, v, text) = send(
            app.anon
                .post(&confirm)
                .json(&json!({"rating": "5", "comment": "很及时"})),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["state"], "confirmed");
        assert_eq!(v["rating"], 5);
        assert!(!text.contains(PHONE));
        let kinds: Vec<&str> = v["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["action"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["submit", "assign", "accept", "complete", "confirm"]);
        // The completion and the rating were counted in A's stored credibility at once.
        let c = app.store.credibility(s.f.org_a).await.unwrap().unwrap();
        let part = |p| c.parts.iter().find(|x| x.part == p).unwrap();
        use shuniu_domain::credibility::Part;
        assert!(part(Part::Ratings).notes[0].en.starts_with("1 rating(s)"));
        assert_eq!(part(Part::Complaints).points, Some(100));
        let (st, _, _) = send(app.anon.post(&confirm).json(&json!({"rating": "1"}))).await;
        assert!(
            st == StatusCode::CONFLICT || st == StatusCode::UNPROCESSABLE_ENTITY,
            "{st}"
        );
        assert_eq!(
            app.store
                .request_events(id.parse().unwrap())
                .await
                .unwrap()
                .len(),
            5
        );
    }
);
