//! Change registration 变更登记 over HTTP (issue 9, item 1): registered facts and the
//! grade refuse direct edits for every role; the organization (or an official for it)
//! applies; only the registration authority's own official decides; approval changes
//! the public record and its history, a returned application changes nothing; two
//! parallel decisions decide once.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shuniu_domain::access::Role;

use crate::common::{TestApp, org_json};

const XUANWU: &str = "320102";
const QINHUAI: &str = "320104";
const MEIYUAN: &str = "320102002000";

fn fields_of(v: &Value) -> Vec<String> {
    let mut f: Vec<String> = v["fields"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    f.sort();
    f
}

async fn send(r: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let r = r.send().await.expect("the app answers");
    let st = r.status();
    let v = r.json().await.unwrap_or(Value::Null);
    (st, v)
}

/// Org A (a social service institution in Meiyuan, registered by Xuanwu) and a
/// client of its member.
async fn org_and_member(app: &TestApp) -> (String, reqwest::Client) {
    let org = app.create_org(&org_json(1)).await;
    let id = org["id"].as_str().unwrap().to_string();
    let member = app
        .client_as("member_a", Role::OrgMember, None, Some(id.parse().unwrap()))
        .await;
    (id, member)
}

async fn official(app: &TestApp, name: &str, code: &str) -> reqwest::Client {
    app.client_as(name, Role::Official, Some(code), None).await
}

async fn submit_rename(
    app: &TestApp,
    c: &reqwest::Client,
    id: &str,
    name: &str,
) -> (StatusCode, Value) {
    send(
        c.post(app.url(&format!("/api/v1/organizations/{id}/change-applications")))
            .json(&json!({
                "changes": {"name": name, "legal_representative": "李明"},
                "attachments": ["会员大会决议", "章程修正案"],
                "note": "更名"
            })),
    )
    .await
}

async fn public_name(app: &TestApp, id: &str) -> String {
    let (st, v) = send(
        app.anon
            .get(app.url(&format!("/api/v1/organizations/{id}"))),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    v["name"].as_str().unwrap().to_string()
}

http_test!(
    nobody_patches_registered_facts_or_the_grade,
    |app: TestApp| async move {
        let (id, member) = org_and_member(&app).await;
        let xuanwu = official(&app, "official_xw", XUANWU).await;
        let url = app.url(&format!("/api/v1/organizations/{id}"));
        for c in [&member, &xuanwu, &app.client] {
            let (st, v) = send(c.patch(&url).json(&json!({
                "name": "改过的名字服务中心",
                "legal_representative": "张三",
                "grade": "5A",
                "grade_awarded_on": "2026-01-05",
                "volunteers": 40
            })))
            .await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
            assert_eq!(
                fields_of(&v),
                ["grade", "grade_awarded_on", "legal_representative", "name"]
            );
            assert!(
                v["fields"]["name"].as_str().unwrap().contains("变更登记")
                    || v["fields"]["name"]
                        .as_str()
                        .unwrap()
                        .contains("change application"),
                "{v}"
            );
        }
        // Nothing was written.
        let (_, v) = send(app.anon.get(&url)).await;
        assert_eq!(v["name"], "测试服务中心1");
        assert!(v["grade"].is_null(), "{v}");
        assert_eq!(v["volunteers"], 10);
        // Self-declared facts stay the organization's (and the official's) to edit; a
        // registered fact sent unchanged is no change.
        let (st, v) = send(
            member
                .patch(&url)
                .json(&json!({"volunteers": 40, "name": "测试服务中心1"})),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["volunteers"], 40);
        let (st, _) = send(xuanwu.patch(&url).json(&json!({"staff_full_time": 6}))).await;
        assert_eq!(st, StatusCode::OK);
    }
);

http_test!(
    the_authority_approves_and_the_public_record_changes,
    |app: TestApp| async move {
        let (id, member) = org_and_member(&app).await;
        let (st, a) = submit_rename(&app, &member, &id, "梅园新名称服务中心").await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        assert_eq!(a["status"], "submitted");
        assert_eq!(a["changes"][0]["field"], "name");
        assert_eq!(a["changes"][0]["to"], "梅园新名称服务中心");
        assert_eq!(a["changes"][1]["field"], "legal_representative");
        assert_eq!(a["changes"][1]["from"], "王芳");
        let app_id = a["id"].as_str().unwrap().to_string();
        // A second open application is refused.
        let (st, v) = submit_rename(&app, &member, &id, "又一个名称服务中心").await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

        let xuanwu = official(&app, "official_xw", XUANWU).await;
        let qinhuai = official(&app, "official_qh", QINHUAI).await;
        let street = official(&app, "official_my", MEIYUAN).await;
        // The queues: Xuanwu registered it; Qinhuai's is empty; a member has none.
        let (st, q) =
            send(xuanwu.get(app.url("/api/v1/change-applications?status=submitted"))).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(q["items"].as_array().unwrap().len(), 1);
        assert_eq!(q["items"][0]["id"], app_id.as_str());
        let (_, q) =
            send(qinhuai.get(app.url("/api/v1/change-applications?status=submitted"))).await;
        assert!(q["items"].as_array().unwrap().is_empty());
        let (st, _) = send(member.get(app.url("/api/v1/change-applications"))).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, v) = send(xuanwu.get(app.url("/api/v1/change-applications?status=nope"))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields_of(&v), ["status"]);

        // Reading: the organization, its officials, admins; others are not told.
        let one = format!("/api/v1/change-applications/{app_id}");
        for c in [&member, &xuanwu, &street, &app.client] {
            let (st, _) = send(c.get(app.url(&one))).await;
            assert_eq!(st, StatusCode::OK);
        }
        let (st, _) = send(qinhuai.get(app.url(&one))).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, l) =
            send(member.get(app.url(&format!("/api/v1/organizations/{id}/change-applications"))))
                .await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(l["items"].as_array().unwrap().len(), 1);

        // Deciding: not another district (404), not the street, the member or an
        // admin (403); the authority does.
        let decision = app.url(&format!("{one}/decision"));
        let approve = json!({"action": "approve"});
        let (st, _) = send(qinhuai.post(&decision).json(&approve)).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        for c in [&street, &member, &app.client] {
            let (st, v) = send(c.post(&decision).json(&approve)).await;
            assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
        }
        assert_eq!(public_name(&app, &id).await, "测试服务中心1");
        let (st, v) = send(xuanwu.post(&decision).json(&approve)).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "approved");
        assert!(v["decided_by"].is_string());

        // The public record and its history.
        assert_eq!(public_name(&app, &id).await, "梅园新名称服务中心");
        let (_, rec) = send(
            app.anon
                .get(app.url(&format!("/api/v1/organizations/{id}"))),
        )
        .await;
        assert_eq!(rec["legal_representative"], "李明");
        let (st, h) = send(
            app.anon
                .get(app.url(&format!("/api/v1/organizations/{id}/history"))),
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        let text = h.to_string();
        for needle in [
            "change_application.submitted",
            "change_application.approved",
            "change_registration",
            "梅园新名称服务中心",
        ] {
            assert!(text.contains(needle), "{needle} not in the history: {text}");
        }
        // And the audit trail.
        assert_eq!(
            app.audit_records("change_application.approve").await.total,
            1
        );
        // Decided once.
        let (st, _) = send(xuanwu.post(&decision).json(&approve)).await;
        assert_eq!(st, StatusCode::CONFLICT);
    }
);

http_test!(
    a_returned_application_changes_nothing,
    |app: TestApp| async move {
        let (id, member) = org_and_member(&app).await;
        let (_, a) = submit_rename(&app, &member, &id, "退回的名称服务中心").await;
        let app_id = a["id"].as_str().unwrap();
        let xuanwu = official(&app, "official_xw", XUANWU).await;
        let decision = app.url(&format!("/api/v1/change-applications/{app_id}/decision"));
        // Returning needs a reason; a bad action is named.
        let (st, v) = send(xuanwu.post(&decision).json(&json!({"action": "return"}))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields_of(&v), ["reason"]);
        let (st, v) = send(
            xuanwu
                .post(&decision)
                .json(&json!({"action": "maybe", "extra": 1})),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields_of(&v), ["action", "extra"]);
        let (st, v) = send(
            xuanwu
                .post(&decision)
                .json(&json!({"action": "return", "reason": "缺少会员大会决议原件"})),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "returned");
        assert_eq!(v["decision_reason"], "缺少会员大会决议原件");
        assert_eq!(public_name(&app, &id).await, "测试服务中心1");
        let (_, rec) = send(
            app.anon
                .get(app.url(&format!("/api/v1/organizations/{id}"))),
        )
        .await;
        assert_eq!(rec["legal_representative"], "王芳");
        // The organization may apply again.
        let (st, _) = submit_rename(&app, &member, &id, "再次申请的名称服务中心").await;
        assert_eq!(st, StatusCode::CREATED);
    }
);

http_test!(
    bad_applications_name_each_field,
    |app: TestApp| async move {
        let (id, member) = org_and_member(&app).await;
        let url = app.url(&format!("/api/v1/organizations/{id}/change-applications"));
        let (st, v) = send(member.post(&url).json(&json!({}))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields_of(&v), ["attachments", "changes"]);
        let (st, v) = send(member.post(&url).json(&json!({
            "changes": {"grade": "5A", "volunteers": "3", "founded_on": "someday"},
            "attachments": "not a list"
        })))
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            fields_of(&v),
            ["attachments", "founded_on", "grade", "volunteers"]
        );
        // Someone else's organization: public, so 403.
        let b = app.create_org(&org_json(2)).await;
        let other = app
            .client_as(
                "member_b",
                Role::OrgMember,
                None,
                Some(b["id"].as_str().unwrap().parse().unwrap()),
            )
            .await;
        let (st, _) = submit_rename(&app, &other, &id, "别人的名称服务中心").await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, _) = send(app.anon.post(&url).json(&json!({}))).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
    }
);

http_test!(
    two_parallel_decisions_decide_once,
    |app: TestApp| async move {
        let (id, member) = org_and_member(&app).await;
        let (_, a) = submit_rename(&app, &member, &id, "并发的名称服务中心").await;
        let app_id = a["id"].as_str().unwrap();
        let xuanwu = official(&app, "official_xw", XUANWU).await;
        let decision = app.url(&format!("/api/v1/change-applications/{app_id}/decision"));
        let approve = send(xuanwu.post(&decision).json(&json!({"action": "approve"})));
        let ret = send(
            xuanwu
                .post(&decision)
                .json(&json!({"action": "return", "reason": "重复"})),
        );
        let ((s1, v1), (s2, v2)) = tokio::join!(approve, ret);
        let mut statuses = [s1.as_u16(), s2.as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{v1} {v2}");
        let (_, v) =
            send(xuanwu.get(app.url(&format!("/api/v1/change-applications/{app_id}")))).await;
        let renamed = public_name(&app, &id).await == "并发的名称服务中心";
        assert_eq!(renamed, v["status"] == "approved", "{v}");
        assert_eq!(
            app.audit_records("change_application.").await.total,
            2,
            "one submission, one decision"
        );
    }
);
