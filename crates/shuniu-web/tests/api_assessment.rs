//! Assessment 评估 over HTTP (issue 9, item 4), on both engines: the authority's
//! official opens a round, the organization applies (an ineligible one is told the
//! rule), only the authority scores, gives notice and awards — not before the notice
//! ends; the grade shows in the public history with its source and expiry; lowering
//! records the reason and the public record shows the lower grade.

use chrono::{Datelike, Duration, NaiveDate};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shuniu_domain::access::Role;
use shuniu_domain::money::Fen;
use shuniu_domain::supervision::annual::{ReportContents, Review};
use shuniu_domain::supervision::credit::CreditSettings;
use shuniu_store::WriteCtx;
use uuid::Uuid;

use crate::common::{TestApp, org_json};

const XUANWU: &str = "320102";
const QINHUAI: &str = "320104";

pub(crate) async fn send(r: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let r = r.send().await.expect("the app answers");
    let st = r.status();
    let v = r.json().await.unwrap_or(Value::Null);
    (st, v)
}

fn today() -> NaiveDate {
    shuniu_web::today()
}

/// Files organization `org`'s annual report on last year, on time, reviewed
/// qualified (what eligibility asks of last year); earlier years are not judged.
pub(crate) async fn report_filed(app: &TestApp, org: Uuid) {
    let year = today().year() - 1;
    let contents = ReportContents {
        activities: "开展助老服务".into(),
        income: Fen::yuan(100_000),
        expenditure: Fen::yuan(90_000),
        net_assets: Fen::yuan(20_000),
        donations: Fen::yuan(10_000),
        government_funding: Fen::yuan(50_000),
        staff_full_time: 4,
        staff_part_time: 1,
        volunteers: 12,
        party_building: String::new(),
        major_events: String::new(),
    };
    let settings = CreditSettings {
        from_year: year,
        ..Default::default()
    };
    let filed_on = NaiveDate::from_ymd_opt(year + 1, 3, 1).unwrap();
    let r = app
        .store
        .file_annual_report(
            org,
            year,
            &contents,
            filed_on,
            &settings,
            WriteCtx::system("test"),
        )
        .await
        .unwrap();
    app.store
        .review_annual_report(
            r.id,
            &Review::parse(Some("qualified"), None).unwrap(),
            filed_on + Duration::days(30),
            WriteCtx::system("test"),
        )
        .await
        .unwrap();
}

/// Org `n` (a social service institution in Meiyuan, registered by Xuanwu, founded
/// 2015), with last year's report reviewed qualified when `reported`; and a client of
/// its own member.
pub(crate) async fn eligible_org(
    app: &TestApp,
    n: u32,
    reported: bool,
) -> (String, reqwest::Client) {
    let org = app.create_org(&org_json(n)).await;
    let id = org["id"].as_str().unwrap().to_string();
    let uuid: Uuid = id.parse().unwrap();
    if reported {
        report_filed(app, uuid).await;
    }
    let member = app
        .client_as(&format!("member_{n}"), Role::OrgMember, None, Some(uuid))
        .await;
    (id, member)
}

pub(crate) async fn official(app: &TestApp, name: &str, code: &str) -> reqwest::Client {
    app.client_as(name, Role::Official, Some(code), None).await
}

/// A round of Xuanwu open around today, with a 7-day notice.
pub(crate) async fn open_round(app: &TestApp, xuanwu: &reqwest::Client) -> String {
    let (st, v) = send(
        xuanwu
            .post(app.url("/api/v1/assessment-rounds"))
            .json(&json!({
                "year": today().year(),
                "title": "玄武区社会组织等级评估",
                "opens_on": (today() - Duration::days(30)).to_string(),
                "closes_on": (today() + Duration::days(30)).to_string(),
                "notice_days": 7
            })),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["authority"], XUANWU);
    v["id"].as_str().unwrap().to_string()
}

pub(crate) async fn decide(
    app: &TestApp,
    c: &reqwest::Client,
    id: &str,
    body: Value,
) -> (StatusCode, Value) {
    send(
        c.post(app.url(&format!("/api/v1/assessment-applications/{id}/decision")))
            .json(&body),
    )
    .await
}

fn scores() -> Value {
    // 90 + 90 + 220 + 360 + 130 = 890, with 10 bonus points 900: 4A (from 850).
    json!({
        "basic_conditions": 90,
        "party_building": 90,
        "internal_governance": 220,
        "work_performance": 360,
        "social_evaluation": 130
    })
}

http_test!(
    open_apply_score_notice_award_then_lower,
    |app: TestApp| async move {
        let xuanwu = official(&app, "official_xw", XUANWU).await;
        let qinhuai = official(&app, "official_qh", QINHUAI).await;
        let (org, member) = eligible_org(&app, 1, true).await;
        let round = open_round(&app, &xuanwu).await;
        // Public list and detail.
        let (st, v) = send(app.anon.get(app.url("/api/v1/assessment-rounds"))).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["total"], 1);
        assert_eq!(v["items"][0]["id"], round.as_str());

        let (st, a) = send(
            member
                .post(app.url(&format!("/api/v1/assessment-rounds/{round}/applications")))
                .json(&json!({"organization_id": org})),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        assert_eq!(a["stage"], "applied");
        assert_eq!(a["table"], "service_institution");
        let app_id = a["id"].as_str().unwrap().to_string();

        // Neither the organization nor another district's official scores.
        let body = json!({"action": "score", "scores": scores(), "bonus": 10});
        for c in [&member, &qinhuai, &app.client] {
            let (st, v) = decide(&app, c, &app_id, body.clone()).await;
            assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
        }
        // A score above an area's points is named.
        let mut too_much = scores();
        too_much["party_building"] = json!(150);
        let (st, v) = decide(
            &app,
            &xuanwu,
            &app_id,
            json!({"action": "score", "scores": too_much}),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["fields"]["party_building"].is_string(), "{v}");

        let (st, v) = decide(&app, &xuanwu, &app_id, body.clone()).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["stage"], "scored");
        assert_eq!(v["total"], 900);
        assert_eq!(v["grade"], "4A");

        // Notice from today: the award today is early, and refused by name.
        let (st, v) = decide(&app, &xuanwu, &app_id, json!({"action": "notice"})).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["stage"], "notice");
        assert_eq!(
            v["notice_ends_on"],
            (today() + Duration::days(6)).to_string()
        );
        let (st, v) = send(
            app.anon
                .get(app.url(&format!("/api/v1/assessment-rounds/{round}"))),
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(v["applications"][0]["stage"], "notice");
        assert_eq!(v["applications"][0]["grade"], "4A");
        assert_eq!(v["applications"][0]["organization_name"], "测试服务中心1");
        let award = json!({"action": "award", "document": "玄民〔2026〕12号"});
        let (st, v) = decide(&app, &xuanwu, &app_id, award.clone()).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["fields"]["awarded_on"].is_string(), "{v}");
        let (st, v) = decide(&app, &member, &app_id, award.clone()).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{v}");

        // Re-scored and given notice from ten days ago: the notice is over.
        let (st, v) = decide(&app, &xuanwu, &app_id, body.clone()).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let started = today() - Duration::days(10);
        let (st, v) = decide(
            &app,
            &xuanwu,
            &app_id,
            json!({"action": "notice", "starts_on": started.to_string()}),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let (st, v) = decide(&app, &xuanwu, &app_id, award.clone()).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["stage"], "awarded");
        // Awarded once.
        let (st, _) = decide(&app, &xuanwu, &app_id, award).await;
        assert_eq!(st, StatusCode::CONFLICT);

        let grades_url = app.url(&format!("/api/v1/organizations/{org}/grades"));
        let (st, g) = send(app.anon.get(&grades_url)).await;
        assert_eq!(st, StatusCode::OK, "{g}");
        assert_eq!(g["grade"], "4A");
        assert_eq!(g["items"][0]["source"], "assessment");
        assert_eq!(g["items"][0]["document"], "玄民〔2026〕12号");
        assert_eq!(g["items"][0]["application_id"], app_id.as_str());
        let expires = NaiveDate::from_ymd_opt(today().year() + 5, today().month(), today().day())
            .unwrap_or(today() + Duration::days(5 * 365));
        assert_eq!(g["items"][0]["expires_on"], expires.to_string());
        assert_eq!(g["items"][0]["in_force"], true);

        // Lowering: not the organization, not another district; the authority with a reason.
        let changes = app.url(&format!("/api/v1/organizations/{org}/grade-changes"));
        let lower = json!({"to": "3A", "reason": "年检基本合格，财务制度不健全"});
        for c in [&member, &qinhuai, &app.client] {
            let (st, v) = send(c.post(&changes).json(&lower)).await;
            assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
        }
        let (st, v) = send(
            xuanwu
                .post(&changes)
                .json(&json!({"to": "5A", "reason": "x"})),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["fields"]["to"].is_string(), "{v}");
        let (st, v) = send(xuanwu.post(&changes).json(&json!({"to": "3A"}))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["fields"]["reason"].is_string(), "{v}");
        let (st, h) = send(xuanwu.post(&changes).json(&lower)).await;
        assert_eq!(st, StatusCode::OK, "{h}");
        assert_eq!(h["grade"], "3A");
        assert_eq!(h["items"][0]["end_reason"], "年检基本合格，财务制度不健全");
        assert_eq!(h["items"][1]["source"], "lowered");
        assert_eq!(h["items"][1]["expires_on"], expires.to_string());
        let (_, o) = send(
            app.anon
                .get(app.url(&format!("/api/v1/organizations/{org}"))),
        )
        .await;
        assert_eq!(o["grade"], "3A", "{o}");
    }
);

http_test!(
    an_ineligible_application_names_the_rule,
    |app: TestApp| async move {
        let xuanwu = official(&app, "official_xw", XUANWU).await;
        let (org, member) = eligible_org(&app, 2, false).await;
        let round = open_round(&app, &xuanwu).await;
        let url = app.url(&format!("/api/v1/assessment-rounds/{round}/applications"));
        let (st, v) = send(member.post(&url).json(&json!({"organization_id": org}))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let msg = v["fields"]["organization_id"].as_str().unwrap_or_default();
        assert!(
            msg.contains("年检") || msg.contains("annual inspection"),
            "{v}"
        );
        // Nothing was written.
        let (_, r) = send(
            app.anon
                .get(app.url(&format!("/api/v1/assessment-rounds/{round}"))),
        )
        .await;
        assert_eq!(r["applications"], json!([]));
        // Another organization's member may not apply for it.
        let (other, other_member) = eligible_org(&app, 3, true).await;
        let (st, _) = send(
            other_member
                .post(&url)
                .json(&json!({"organization_id": org})),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        // Only an official opens rounds; an official's bad round names each field.
        let (st, _) = send(
            member
                .post(app.url("/api/v1/assessment-rounds"))
                .json(&json!({})),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, v) = send(
            xuanwu
                .post(app.url("/api/v1/assessment-rounds"))
                .json(&json!({"year": 2026, "title": "", "opens_on": "2026-02-30", "closes_on": "2026-01-01"})),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        for f in ["title", "opens_on"] {
            assert!(v["fields"][f].is_string(), "{f}: {v}");
        }
        let _ = other;
    }
);
