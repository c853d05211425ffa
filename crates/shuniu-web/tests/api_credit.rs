//! HTTP tests of the credit lists (pages and API) and the organization's supervision
//! section, on SQLite and PostgreSQL.

use crate::common;

use chrono::NaiveDate;
use common::{TestApp, org_json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shuniu_domain::money::Fen;
use shuniu_domain::registry::Grade;
use shuniu_domain::supervision::annual::{ReportContents, Review, ReviewOutcome};
use shuniu_domain::supervision::credit::CreditSettings;
use shuniu_store::WriteCtx;
use uuid::Uuid;

const XINJIEKOU: &str = "320102003000";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn settings() -> CreditSettings {
    CreditSettings {
        from_year: 2023,
        ..CreditSettings::default()
    }
}

fn contents() -> ReportContents {
    ReportContents {
        activities: "开展社区养老服务".into(),
        income: Fen::yuan(120_000),
        expenditure: Fen::yuan(110_000),
        net_assets: Fen::yuan(30_000),
        donations: Fen::yuan(5_000),
        government_funding: Fen::yuan(60_000),
        staff_full_time: 4,
        staff_part_time: 2,
        volunteers: 10,
        party_building: "联合党支部".into(),
        major_events: "无".into(),
    }
}

async fn get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let r = app.client.get(app.url(path)).send().await.unwrap();
    let st = r.status();
    let text = r.text().await.unwrap();
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}"));
    (st, v)
}

async fn page(app: &TestApp, path: &str) -> (StatusCode, String) {
    let r = reqwest::Client::new()
        .get(app.url(path))
        .header("Accept-Language", "zh-CN")
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// A in Meiyuan files 2023 (合格) and 2024 (基本合格) on time, 2025 never; B in
/// Xinjiekou never files and has an imported grade long expired. The job lists A
/// once, B three times and then on the serious list.
async fn world(app: &TestApp) -> (Uuid, Uuid) {
    let a = app.create_org(&org_json(701)).await;
    let mut b = org_json(702);
    b["jurisdiction"] = json!(XINJIEKOU);
    let b = app.create_org(&b).await;
    let a: Uuid = a["id"].as_str().unwrap().parse().unwrap();
    let b: Uuid = b["id"].as_str().unwrap().parse().unwrap();
    let s = &app.store;
    let ctx = || WriteCtx::system("test");
    let r23 = s
        .file_annual_report(a, 2023, &contents(), d(2024, 4, 15), &settings(), ctx())
        .await
        .unwrap();
    let r24 = s
        .file_annual_report(a, 2024, &contents(), d(2025, 5, 20), &settings(), ctx())
        .await
        .unwrap();
    let ok = Review {
        outcome: ReviewOutcome::Qualified,
        reasons: String::new(),
    };
    s.review_annual_report(r23.id, &ok, d(2024, 6, 20), ctx())
        .await
        .unwrap();
    let basic = Review {
        outcome: ReviewOutcome::BasicallyQualified,
        reasons: "财务报表附注不完整".into(),
    };
    s.review_annual_report(r24.id, &basic, d(2025, 6, 18), ctx())
        .await
        .unwrap();
    s.import_grade(b, Grade::A3, d(2018, 12, 20), "玄民〔2018〕88号", ctx())
        .await
        .unwrap();
    let first = s
        .run_supervise(d(2026, 11, 30), &settings(), ctx())
        .await
        .unwrap();
    assert_eq!((first.listed, first.removed), (5, 0), "{first:?}");
    let again = s
        .run_supervise(d(2026, 11, 30), &settings(), ctx())
        .await
        .unwrap();
    assert_eq!(
        (again.listed, again.removed, again.grades_expired),
        (0, 0, 0)
    );
    (a, b)
}

http_test!(
    credit_lists_api_filters_and_pages,
    |app: TestApp| async move {
        let (a, b) = world(&app).await;
        let (st, v) = get(&app, "/api/v1/credit-lists").await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["list"], "abnormal");
        assert_eq!(v["total"], 4, "{v}");
        let (_, v) = get(
            &app,
            &format!("/api/v1/credit-lists?list=abnormal&jurisdiction={XINJIEKOU}"),
        )
        .await;
        assert_eq!(v["total"], 3, "{v}");
        assert!(
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["organization_id"] == b.to_string())
        );
        assert_eq!(v["items"][0]["listed_on"], "2026-06-01");
        assert_eq!(v["items"][0]["trigger"], "late_annual_report");
        assert_eq!(v["items"][0]["jurisdiction"], XINJIEKOU);
        let (_, v) = get(
            &app,
            "/api/v1/credit-lists?list=abnormal&jurisdiction=320102002000",
        )
        .await;
        assert_eq!(v["total"], 1);
        assert_eq!(v["items"][0]["organization_id"], a.to_string());
        let (_, v) = get(&app, "/api/v1/credit-lists?list=abnormal&per_page=3&page=2").await;
        assert_eq!(
            (v["total"].as_i64(), v["items"].as_array().unwrap().len()),
            (Some(4), 1)
        );
        let (_, v) = get(&app, "/api/v1/credit-lists?list=serious").await;
        assert_eq!(v["total"], 1, "{v}");
        assert_eq!(v["items"][0]["trigger"], "abnormal_two_years");
        assert!(
            v["items"][0]["basis_zh"].as_str().unwrap().contains("第"),
            "{v}"
        );
        assert_eq!(v["items"][0]["removed_on"], Value::Null);
        // Bad parameters are 422s naming each.
        let (st, v) = get(
            &app,
            "/api/v1/credit-lists?list=grey&jurisdiction=999999&page=0",
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let text = v.to_string();
        for f in ["list", "jurisdiction", "page"] {
            assert!(text.contains(&format!("\"{f}\"")), "{f} not named: {text}");
        }
        let (st, _) = get(&app, "/api/v1/credit-lists?jurisdiction=320104").await;
        assert_eq!(st, StatusCode::OK);
    }
);

http_test!(supervision_api_and_org_section, |app: TestApp| async move {
    let (a, b) = world(&app).await;
    let (st, v) = get(&app, &format!("/api/v1/organizations/{a}/supervision")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["registration_authority"]["code"], "320102");
    assert_eq!(v["on_abnormal_list"], true);
    assert_eq!(v["on_serious_list"], false);
    let reports = v["annual_reports"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["year"], 2024);
    assert_eq!(reports[0]["outcome"], "basically_qualified");
    assert_eq!(reports[0]["review_reasons"], "财务报表附注不完整");
    assert_eq!(reports[1]["outcome"], "qualified");
    assert_eq!(reports[1]["late"], false);
    let (_, v) = get(&app, &format!("/api/v1/organizations/{b}/supervision")).await;
    assert_eq!(v["on_serious_list"], true);
    assert_eq!(v["listings"].as_array().unwrap().len(), 4);
    let grades = v["grades"].as_array().unwrap();
    assert_eq!(grades.len(), 1, "{v}");
    assert_eq!(grades[0]["grade"], "3A");
    assert_eq!(grades[0]["expired"], true);
    assert_eq!(grades[0]["in_force"], false);
    assert!(!v.to_string().contains("王芳"), "no personal data: {v}");
    let (st, _) = get(
        &app,
        &format!("/api/v1/organizations/{}/supervision", Uuid::now_v7()),
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // The pages, anonymous.
    let (st, html) = page(&app, "/credit-lists").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        html.contains("活动异常名录") && html.contains("测试服务中心702"),
        "{html}"
    );
    // Dates read as words on the page (the API above keeps ISO).
    assert!(html.contains("2026年6月1日"));
    let (st, html) = page(&app, "/credit-lists?list=serious").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("被列入活动异常名录满2年"), "{html}");
    assert!(!html.contains("测试服务中心701"));
    let (st, html) = page(&app, "/credit-lists?list=serious&jurisdiction=abc").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("所属辖区"), "{html}");
    let (st, html) = page(&app, &format!("/organizations/{a}")).await;
    assert_eq!(st, StatusCode::OK);
    for needle in [
        "登记管理机关",
        "玄武区",
        "列入活动异常名录",
        "基本合格",
        "财务报表附注不完整",
    ] {
        assert!(html.contains(needle), "{needle} missing");
    }
    let (_, html) = page(&app, &format!("/organizations/{b}")).await;
    for needle in ["列入严重违法失信名单", "3A", "已过期"] {
        assert!(html.contains(needle), "{needle} missing");
    }
});
