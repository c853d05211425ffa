//! Annual reports 年报 / 年检 over HTTP (issue 9, item 3): the organization's own staff
//! (or an official over it) file; another organization's staff may not; bad fields are
//! a 422 naming each and nothing is stored; only the registration authority's own
//! official reviews, once; lateness is fixed when filed; the official's queue pages in
//! the database, unreviewed first. Both engines.

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

fn fields_of(v: &Value) -> Vec<String> {
    let mut f: Vec<String> = v["fields"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    f.sort();
    f
}

/// A report on `year` as the API takes it (money in yuan).
pub fn report_json(year: i32) -> Value {
    json!({
        "year": year,
        "activities": "为社区老人提供心理慰藉服务120次",
        "income": "200000",
        "expenditure": "180000.50",
        "net_assets": "-5000",
        "donations": "50000",
        "government_funding": "100000",
        "staff_full_time": 5,
        "staff_part_time": 2,
        "volunteers": 30,
        "party_building": "联合党支部开展主题党日活动6次",
        "major_events": ""
    })
}

/// Org A (a social service institution in Meiyuan, reviewed by Xuanwu) and a client
/// of its member.
async fn org_and_member(app: &TestApp, n: u32, name: &str) -> (String, reqwest::Client) {
    let org = app.create_org(&org_json(n)).await;
    let id = org["id"].as_str().unwrap().to_string();
    let member = app
        .client_as(name, Role::OrgMember, None, Some(id.parse().unwrap()))
        .await;
    (id, member)
}

async fn official(app: &TestApp, name: &str, code: &str) -> reqwest::Client {
    app.client_as(name, Role::Official, Some(code), None).await
}

async fn file(app: &TestApp, c: &reqwest::Client, id: &str, body: &Value) -> (StatusCode, Value) {
    send(
        c.post(app.url(&format!("/api/v1/organizations/{id}/annual-reports")))
            .json(body),
    )
    .await
}

async fn reports_of(app: &TestApp, id: &str) -> Vec<Value> {
    let (st, v) = send(
        app.anon
            .get(app.url(&format!("/api/v1/organizations/{id}/annual-reports"))),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    v["items"].as_array().unwrap().clone()
}

http_test!(
    own_staff_file_others_may_not_bad_fields_store_nothing,
    |app: TestApp| async move {
        let (a, member_a) = org_and_member(&app, 1, "member_a").await;
        let (_b, member_b) = org_and_member(&app, 2, "member_b").await;
        let qinhuai = official(&app, "official_qh", "320104").await;

        // Another organization's staff, an official elsewhere, an admin: refused.
        for c in [&member_b, &qinhuai, &app.client] {
            let (st, v) = file(&app, c, &a, &report_json(2025)).await;
            assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
        }
        let (st, _) = file(&app, &app.anon, &a, &report_json(2025)).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        assert!(reports_of(&app, &a).await.is_empty());

        // Bad fields: each named, nothing stored.
        let mut bad = report_json(2099);
        bad["income"] = json!("12.345");
        bad["donations"] = json!("-1");
        bad["activities"] = json!("");
        bad["volunteers"] = json!("many");
        bad["colour"] = json!("red");
        let (st, v) = file(&app, &member_a, &a, &bad).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            fields_of(&v),
            [
                "activities",
                "colour",
                "donations",
                "income",
                "volunteers",
                "year"
            ]
        );
        assert!(reports_of(&app, &a).await.is_empty());

        // The member files: 201 with its place; filed today, so after 31 May: late.
        let r = member_a
            .post(app.url(&format!("/api/v1/organizations/{a}/annual-reports")))
            .json(&report_json(2025))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            location,
            format!("/api/v1/annual-reports/{}", v["id"].as_str().unwrap())
        );
        assert_eq!(v["year"], 2025);
        assert_eq!(v["expenditure_fen"], 18_000_050);
        assert_eq!(v["net_assets_fen"], -500_000);
        assert_eq!(v["due_on"], "2026-05-31");
        assert_eq!(v["late"], true);
        assert_eq!(v["review_kind"], "full");
        assert!(v["outcome"].is_null());
        let (st, got) = send(app.anon.get(app.url(&location))).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(got["organization_name"], "测试服务中心1");
        assert_eq!(got["late"], true);

        // The same year twice: a 422 on the year.
        let (st, v) = file(&app, &member_a, &a, &report_json(2025)).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["year"]);
        // The official over it files on its behalf.
        let meiyuan = official(&app, "official_my", "320102002000").await;
        let (st, v) = file(&app, &meiyuan, &a, &report_json(2024)).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let years: Vec<i64> = reports_of(&app, &a)
            .await
            .iter()
            .map(|r| r["year"].as_i64().unwrap())
            .collect();
        assert_eq!(years, [2025, 2024]);
    }
);

http_test!(
    only_the_authority_reviews_and_only_once,
    |app: TestApp| async move {
        let (a, member_a) = org_and_member(&app, 1, "member_a").await;
        let (st, v) = file(&app, &member_a, &a, &report_json(2025)).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let url = app.url(&format!(
            "/api/v1/annual-reports/{}/review",
            v["id"].as_str().unwrap()
        ));
        let qinhuai = official(&app, "official_qh", "320104").await;
        let meiyuan = official(&app, "official_my", "320102002000").await;
        let xuanwu = official(&app, "official_xw", "320102").await;
        let verdict = json!({"outcome": "basically_qualified", "reasons": "财务报表未经审计"});

        // Not the registration authority: another district, the street below it, the
        // organization itself, an admin.
        for c in [&qinhuai, &meiyuan, &member_a, &app.client] {
            let (st, v) = send(c.post(&url).json(&verdict)).await;
            assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
        }
        let (st, _) = send(app.anon.post(&url).json(&verdict)).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        let unknown = app.url("/api/v1/annual-reports/01900000-0000-7000-8000-000000000000/review");
        let (st, _) = send(xuanwu.post(&unknown).json(&verdict)).await;
        assert_eq!(st, StatusCode::NOT_FOUND);

        // A bad outcome, or no reasons short of 合格: 422 naming them, nothing written.
        let (st, v) = send(xuanwu.post(&url).json(&json!({"outcome": "excellent"}))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["outcome"]);
        let (st, v) = send(xuanwu.post(&url).json(&json!({"outcome": "unqualified"}))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["reasons"]);
        assert!(reports_of(&app, &a).await[0]["outcome"].is_null());

        // The authority reviews; the result is public.
        let (st, v) = send(xuanwu.post(&url).json(&verdict)).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["outcome"], "basically_qualified");
        assert_eq!(v["reviewed_by"], "official_xw");
        let public = &reports_of(&app, &a).await[0];
        assert_eq!(public["outcome"], "basically_qualified");
        assert_eq!(public["review_reasons"], "财务报表未经审计");

        // A second review is refused, and changes nothing.
        let (st, v) = send(xuanwu.post(&url).json(&json!({"outcome": "qualified"}))).await;
        assert_eq!(st, StatusCode::CONFLICT, "{v}");
        assert_eq!(
            reports_of(&app, &a).await[0]["outcome"],
            "basically_qualified"
        );
    }
);

http_test!(
    the_queue_is_the_authoritys_unreviewed_first_and_pages,
    |app: TestApp| async move {
        let (a, member_a) = org_and_member(&app, 1, "member_a").await;
        let (b, member_b) = org_and_member(&app, 2, "member_b").await;
        let mut ids = vec![];
        for (id, c, year) in [
            (&a, &member_a, 2023),
            (&a, &member_a, 2024),
            (&a, &member_a, 2025),
            (&b, &member_b, 2025),
        ] {
            let (st, v) = file(&app, c, id, &report_json(year)).await;
            assert_eq!(st, StatusCode::CREATED, "{v}");
            ids.push(v["id"].as_str().unwrap().to_string());
        }
        let xuanwu = official(&app, "official_xw", "320102").await;
        // Review A's 2025 report: it goes after those still to review.
        let (st, _) = send(
            xuanwu
                .post(app.url(&format!("/api/v1/annual-reports/{}/review", ids[2])))
                .json(&json!({"outcome": "qualified"})),
        )
        .await;
        assert_eq!(st, StatusCode::OK);

        let queue = |q: &str| {
            let c = xuanwu.clone();
            let url = app.url(&format!("/api/v1/annual-reports{q}"));
            async move { send(c.get(url)).await }
        };
        let (st, p1) = queue("?per_page=3").await;
        assert_eq!(st, StatusCode::OK, "{p1}");
        assert_eq!(p1["total"], 4);
        let items = p1["items"].as_array().unwrap();
        assert_eq!(items.len(), 3);
        assert!(items.iter().all(|r| r["outcome"].is_null()), "{p1}");
        assert_eq!(items[0]["year"], 2025);
        assert!(
            items[0]["organization_name"]
                .as_str()
                .unwrap()
                .starts_with("测试服务中心")
        );
        let (_, p2) = queue("?per_page=3&page=2").await;
        let items = p2["items"].as_array().unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["id"], ids[2].as_str());
        assert_eq!(items[0]["outcome"], "qualified");

        // Filters.
        let (_, v) = queue("?year=2025").await;
        assert_eq!(v["total"], 2);
        let (_, v) = queue("?outcome=pending").await;
        assert_eq!(v["total"], 3);
        let (_, v) = queue("?outcome=qualified&year=2025").await;
        assert_eq!(v["total"], 1);
        let (st, v) = queue("?outcome=excellent&year=soon&page=0").await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["outcome", "page", "year"]);

        // Another district's, and the street's, queues are empty; others have none.
        for (name, code) in [("official_qh", "320104"), ("official_my", "320102002000")] {
            let c = official(&app, name, code).await;
            let (st, v) = send(c.get(app.url("/api/v1/annual-reports"))).await;
            assert_eq!(st, StatusCode::OK);
            assert_eq!(v["total"], 0, "{name}: {v}");
        }
        let (st, _) = send(member_a.get(app.url("/api/v1/annual-reports"))).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
    }
);
