//! Residents' complaints over HTTP (issue 12, item 7), both engines: a resident files
//! without an account (phone given) or through a request's private link (phone
//! verified); the organization answers once (parallel answers: one lands); a
//! complaint unanswered past its limit is escalated when the street's queue is read;
//! the official records the outcome, public on the organization's record without the
//! complainant. The phone is in full only for the street official and the street
//! hub's dispatcher: never the organization complained about, another organization,
//! or the public.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shuniu_domain::access::Role;

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

pub fn complaint(org: uuid::Uuid) -> Value {
    json!({
        "organization_id": org.to_string(),
        "category": "not_delivered",
        "description": "约好的助餐连续三天没有送到",
        "phone": PHONE,
    })
}

http_test!(
    a_complaint_from_filing_to_a_public_outcome,
    |app: TestApp| async move {
        let s = story(&app).await;
        let official = app
            .client_as("xw.official", Role::Official, Some("320102"), None)
            .await;
        let qinhuai = app
            .client_as("qh.official", Role::Official, Some("320104"), None)
            .await;
        let submit = app.url("/api/v1/complaints");

        // Bad input: every field named.
        let (st, v, _) = send(app.anon.post(&submit).json(&json!({"phone": "12"}))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            fields_of(&v),
            ["category", "description", "organization_id", "phone"]
        );
        let mut unknown = complaint(s.f.org_a);
        unknown["organization_id"] = json!(uuid::Uuid::now_v7().to_string());
        let (st, v, _) = send(app.anon.post(&submit).json(&unknown)).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["organization_id"]);

        // No login needed.
        let (st, v, _) = send(app.anon.post(&submit).json(&complaint(s.f.org_a))).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        assert!(v["number"].as_str().unwrap().starts_with("TS-320102-"));
        let token = v["token"].as_str().unwrap().to_string();
        let track = app.url(&format!("/api/v1/complaints/track/{token}"));
        let (st, v, text) = send(app.anon.get(&track)).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["phone_masked"], MASKED);
        assert!(!text.contains(PHONE));
        assert_eq!(v["state"], "submitted");

        // The street: official and dispatcher see the phone; the organization
        // complained about sees the complaint, masked; others nothing.
        for c in [&official, &s.hub] {
            let (st, v, _) = send(c.get(app.url("/api/v1/complaints"))).await;
            assert_eq!(st, StatusCode::OK, "{v}");
            assert_eq!(v["total"], 1);
            assert_eq!(v["items"][0]["phone"], PHONE);
        }
        let (st, v, text) = send(s.member_a.get(app.url("/api/v1/complaints"))).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["total"], 1);
        assert!(!text.contains(PHONE));
        let id = v["items"][0]["id"].as_str().unwrap().to_string();
        let one = app.url(&format!("/api/v1/complaints/{id}"));
        let (st, v, text) = send(s.member_a.get(&one)).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert!(!text.contains(PHONE) && v["phone"] == MASKED);
        for c in [&s.member_c, &qinhuai, &s.expert] {
            let (st, _, text) = send(c.get(&one)).await;
            assert_eq!(st, StatusCode::NOT_FOUND);
            assert!(!text.contains(PHONE));
        }
        let (_, v, text) = send(s.member_c.get(app.url("/api/v1/complaints"))).await;
        assert_eq!(v["total"], 0);
        assert!(!text.contains(PHONE));
        assert_eq!(
            send(s.expert.get(app.url("/api/v1/complaints"))).await.0,
            StatusCode::FORBIDDEN
        );

        // Moves: the official cannot answer for the organization, C cannot either;
        // two answers at once: one lands.
        let actions = format!("{one}/actions");
        let answer = json!({"action": "answer", "response": "已联系居民，明日起恢复送餐"});
        assert_eq!(
            send(official.post(&actions).json(&answer)).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            send(s.member_c.post(&actions).json(&answer)).await.0,
            StatusCode::NOT_FOUND
        );
        let (st, v, _) = send(
            s.member_a
                .post(&actions)
                .json(&json!({"action": "answer", "response": "短"})),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["response"]);
        let (x, y) = tokio::join!(
            send(s.member_a.post(&actions).json(&answer)),
            send(s.member_a.post(&actions).json(&answer))
        );
        let mut got = [x.0, y.0];
        got.sort();
        assert_eq!(got, [StatusCode::OK, StatusCode::CONFLICT], "{x:?} {y:?}");

        // The dispatcher does not decide; the official does, once.
        let decide = json!({"action": "resolve", "outcome": "partly_upheld",
                            "outcome_text": "经街道核实，组织已整改并向居民致歉"});
        assert_eq!(
            send(s.hub.post(&actions).json(&decide)).await.0,
            StatusCode::FORBIDDEN
        );
        let (st, v, _) = send(
            official
                .post(&actions)
                .json(&json!({"action": "resolve", "outcome": "maybe"})),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields_of(&v), ["outcome", "outcome_text"]);
        let (st, v, _) = send(official.post(&actions).json(&decide)).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["state"], "resolved");
        assert_eq!(
            send(official.post(&actions).json(&decide)).await.0,
            StatusCode::CONFLICT
        );

        // Public: the record and outcome, never the phone or the complainant's words.
        let record = app.url(&format!("/api/v1/organizations/{}/complaints", s.f.org_a));
        let (st, v, text) = send(app.anon.get(&record)).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["facts"]["total"], 1);
        assert_eq!(v["facts"]["partly_upheld"], 1);
        assert_eq!(v["facts"]["answered_in_time"], 1);
        assert_eq!(v["items"][0]["outcome"], "partly_upheld");
        assert!(!text.contains(PHONE) && !text.contains(MASKED));
        assert!(!text.contains("约好的助餐"));
        let (st, _, _) = send(app.anon.get(format!("{record}?page=x"))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, v, _) = send(app.anon.get(&track)).await;
        assert_eq!(v["outcome"], "partly_upheld");
    }
);

http_test!(
    overdue_complaints_are_escalated_when_the_street_reads_its_queue,
    |app: TestApp| async move {
        use shuniu_domain::complaints::{ComplaintDraft, ComplaintSettings};
        use shuniu_store::complaints::Against;
        let s = story(&app).await;
        let d = ComplaintDraft {
            category: Some("attitude".into()),
            description: Some("上门人员态度恶劣".into()),
            phone: Some(PHONE.into()),
        }
        .validate(None)
        .unwrap();
        let long_ago = chrono::Utc::now() - chrono::Duration::days(15);
        app.store
            .submit_complaint(
                Against::Organization(s.f.org_a),
                &d,
                &shuniu_domain::requests::token_hash(&"7".repeat(64)),
                &ComplaintSettings::default(),
                long_ago,
                shuniu_store::WriteCtx::system("test"),
            )
            .await
            .unwrap();
        // The organization's queue does not escalate; the street's does.
        let (_, v, _) = send(s.member_a.get(app.url("/api/v1/complaints?escalated=1"))).await;
        assert_eq!(v["total"], 0, "{v}");
        let (st, v, _) = send(s.hub.get(app.url("/api/v1/complaints?overdue=1"))).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["total"], 1);
        assert_eq!(v["items"][0]["escalated"], true);
        assert_eq!(v["items"][0]["overdue"], true);
        let (st, v, _) = send(s.hub.get(app.url("/api/v1/complaints?overdue=2"))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields_of(&v), ["overdue"]);
        let record = app.url(&format!("/api/v1/organizations/{}/complaints", s.f.org_a));
        let (_, v, _) = send(app.anon.get(&record)).await;
        assert_eq!(v["facts"]["escalated"], 1);
        assert_eq!(v["facts"]["overdue"], 1);
    }
);

http_test!(
    a_complaint_through_a_request_link_has_a_verified_phone,
    |app: TestApp| async move {
        let s = story(&app).await;
        let (_, v, _) = send(app.anon.post(app.url("/api/v1/requests")).json(&need())).await;
        let token = v["token"].as_str().unwrap().to_string();
        let about = app.url(&format!("/api/v1/complaints/about-request/{token}"));
        let body = json!({"category": "attitude", "description": "电话里态度很差，直接拒绝"});
        // Nobody handled it yet: nothing to complain about.
        let (st, v, _) = send(app.anon.post(&about).json(&body)).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["organization_id"]);
        let (_, v, _) = send(s.hub.get(app.url("/api/v1/requests"))).await;
        let rid = v["items"][0]["id"].as_str().unwrap().to_string();
        let assign = json!({"action": "assign", "organization_id": s.f.org_a.to_string()});
        let (st, _, _) = send(
            s.hub
                .post(app.url(&format!("/api/v1/requests/{rid}/actions")))
                .json(&assign),
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        let (st, v, _) = send(app.anon.post(&about).json(&body)).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let (_, v, _) = send(s.hub.get(app.url("/api/v1/complaints"))).await;
        assert_eq!(v["items"][0]["phone_source"], "verified");
        assert_eq!(v["items"][0]["phone"], PHONE);
        assert_eq!(v["items"][0]["request_id"], rid.as_str());
        let wrong = app.url(&format!(
            "/api/v1/complaints/about-request/{}",
            "e".repeat(64)
        ));
        assert_eq!(
            send(app.anon.post(&wrong).json(&body)).await.0,
            StatusCode::NOT_FOUND
        );
    }
);
