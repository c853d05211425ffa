//! Credit events over HTTP (issue 9, item 5): the registration authority's official
//! records a penalty or an order and the credit rules apply at once; nobody else may;
//! bad input is named and changes nothing; a listing is removed on application only
//! once its cause is put right, with its reason published. Pages and API, both engines.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shuniu_domain::access::Role;

use crate::common::{TestApp, org_json};

async fn send(r: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let r = r.send().await.expect("the app answers");
    let st = r.status();
    let v = r.json().await.unwrap_or(Value::Null);
    (st, v)
}

async fn text(c: &reqwest::Client, url: String) -> (StatusCode, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
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
    a_large_fine_lists_at_once_and_only_the_authority_records_it,
    |app: TestApp| async move {
        let org = app.create_org(&org_json(1)).await;
        let id = org["id"].as_str().unwrap().to_string();
        let member = app
            .client_as("member_a", Role::OrgMember, None, Some(id.parse().unwrap()))
            .await;
        let xuanwu = app
            .client_as("official_xw", Role::Official, Some("320102"), None)
            .await;
        let qinhuai = app
            .client_as("official_qh", Role::Official, Some("320104"), None)
            .await;
        let url = app.url(&format!("/api/v1/organizations/{id}/credit-events"));
        let fine = json!({
            "kind": "fine",
            "occurred_on": "2026-11-02",
            "amount": "60000",
            "note": "玄民罚字〔2026〕3号"
        });
        // Not the authority: the organization itself, another district, the platform.
        for c in [&member, &qinhuai, &app.client] {
            let (st, v) = send(c.post(&url).json(&fine)).await;
            assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
        }
        let (st, _) = send(app.anon.post(&url).json(&fine)).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        // Bad input: every field named, nothing written.
        let (st, v) = send(xuanwu.post(&url).json(&json!({
            "kind": "praise",
            "occurred_on": "2099-01-01",
            "amount": "-5",
            "colour": "red"
        })))
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["colour", "kind", "note", "occurred_on"]);
        let (st, v) = send(xuanwu.post(&url).json(&json!({
            "kind": "fine",
            "occurred_on": "2026-11-02",
            "note": "罚款"
        })))
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["amount"]);
        let (_, v) = send(app.anon.get(&url)).await;
        assert_eq!(v, json!([]));

        // The authority's official records it: the serious list at once.
        let (st, v) = send(xuanwu.post(&url).json(&fine)).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        assert_eq!(v["event"]["kind"], "fine");
        assert_eq!(v["event"]["amount_fen"], 6_000_000);
        assert_eq!(v["listings"][0]["list"], "serious");
        assert_eq!(v["listings"][0]["trigger"], "large_fine");
        let (_, events) = send(app.anon.get(&url)).await;
        assert_eq!(events.as_array().unwrap().len(), 1);
        assert_eq!(events[0]["note"], "玄民罚字〔2026〕3号");
        let (_, sup) = send(
            app.anon
                .get(app.url(&format!("/api/v1/organizations/{id}/supervision"))),
        )
        .await;
        assert_eq!(sup["on_serious_list"], true, "{sup}");
        let (_, list) = send(app.anon.get(app.url("/api/v1/credit-lists?list=serious"))).await;
        assert!(list.to_string().contains(&id), "{list}");
        // The audit trail has it.
        let audit = app.audit_records("credit.event").await;
        assert_eq!(audit.items.len(), 1);

        // The public page shows the event in words, in both languages; only the
        // authority sees the form's link.
        let (_, html) = text(&app.anon, app.url(&format!("/organizations/{id}"))).await;
        assert!(html.contains("玄民罚字〔2026〕3号"));
        assert!(html.contains("罚款 ¥60,000.00"), "the fine in words");
        assert!(!html.contains("credit-events/new"));
        let html = reqwest::Client::new()
            .get(app.url(&format!("/organizations/{id}")))
            .header("Accept-Language", "en")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("fine of ¥60,000.00"), "English page");
        let (_, html) = text(&xuanwu, app.url(&format!("/organizations/{id}"))).await;
        assert!(html.contains(&format!("/organizations/{id}/credit-events/new")));
    }
);

http_test!(
    the_event_form_names_each_problem_and_records,
    |app: TestApp| async move {
        let org = app.create_org(&org_json(2)).await;
        let id = org["id"].as_str().unwrap().to_string();
        let xuanwu = app
            .client_as("official_xw", Role::Official, Some("320102"), None)
            .await;
        let (st, html) = text(
            &xuanwu,
            app.url(&format!("/organizations/{id}/credit-events/new")),
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("事件类型") && html.contains("警告"));
        let post = |f: Vec<(&'static str, &'static str)>| {
            xuanwu
                .post(app.url(&format!("/organizations/{id}/credit-events")))
                .form(&f)
                .send()
        };
        let r = post(vec![
            ("kind", "correction_ordered"),
            ("occurred_on", "2026-06-01"),
        ])
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        assert!(html.contains("error-summary"));
        assert!(html.contains("整改期限") && html.contains("文书编号及说明"));
        let r = post(vec![
            ("kind", "correction_ordered"),
            ("occurred_on", "2026-06-01"),
            ("due_on", "2026-07-01"),
            ("note", "玄民责改〔2026〕1号"),
        ])
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        // The order was not done by its date: the abnormal list.
        let (_, sup) = send(
            app.anon
                .get(app.url(&format!("/api/v1/organizations/{id}/supervision"))),
        )
        .await;
        assert_eq!(sup["on_abnormal_list"], true, "{sup}");
    }
);

http_test!(
    a_listing_is_removed_on_application_once_put_right,
    |app: TestApp| async move {
        let org = app.create_org(&org_json(3)).await;
        let id = org["id"].as_str().unwrap().to_string();
        let member = app
            .client_as("member_a", Role::OrgMember, None, Some(id.parse().unwrap()))
            .await;
        let xuanwu = app
            .client_as("official_xw", Role::Official, Some("320102"), None)
            .await;
        let url = app.url(&format!("/api/v1/organizations/{id}/credit-events"));
        let (st, v) = send(xuanwu.post(&url).json(&json!({
            "kind": "correction_ordered",
            "occurred_on": "2026-06-01",
            "due_on": "2026-07-01",
            "note": "玄民责改〔2026〕2号"
        })))
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let order = v["event"]["id"].as_str().unwrap().to_string();
        let listing = v["listings"][0]["id"].as_str().unwrap().to_string();
        assert_eq!(v["listings"][0]["list"], "abnormal");
        let removal = app.url(&format!("/api/v1/credit-listings/{listing}/removal"));
        let why = json!({"reason": "已完成整改"});
        // Not the organization's own decision.
        let (st, _) = send(member.post(&removal).json(&why)).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        // Not before the cause is put right; not without a reason.
        let (st, v) = send(xuanwu.post(&removal).json(&why)).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["listing"]);
        let (st, v) = send(xuanwu.post(&url).json(&json!({
            "kind": "correction_done",
            "occurred_on": "2026-11-20",
            "refers_to": order,
            "note": "整改验收"
        })))
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let (st, v) = send(xuanwu.post(&removal).json(&json!({"reason": " "}))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["reason"]);
        let (st, v) = send(xuanwu.post(&removal).json(&why)).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert!(v["removed_on"].is_string(), "{v}");
        assert!(
            v["removal_reason_zh"]
                .as_str()
                .unwrap()
                .contains("已完成整改")
        );
        // Once only.
        let (st, _) = send(xuanwu.post(&removal).json(&why)).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        // The listing shows as removed, with its reason, on the public record (the
        // organization's missing annual reports keep their own listings).
        let (_, sup) = send(
            app.anon
                .get(app.url(&format!("/api/v1/organizations/{id}/supervision"))),
        )
        .await;
        let removed = sup["listings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == listing.as_str())
            .expect("the listing is still on the record");
        assert!(removed["removed_on"].is_string(), "{removed}");
        assert_eq!(removed["trigger"], "correction_not_done");
    }
);
