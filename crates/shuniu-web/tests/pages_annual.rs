//! Annual-report pages: the organization page's section (public results; the filing
//! link for its own staff), the filing form with its field errors, the report's page
//! with the authority's review form, the outcome in words in both languages, and an
//! official's queue with its navigation entry (officials only). Both engines.

use reqwest::StatusCode;
use shuniu_domain::access::Role;

use crate::api_annual::report_json;
use crate::common::{TestApp, org_json};

async fn page(c: &reqwest::Client, url: String) -> (StatusCode, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn page_en(c: &reqwest::Client, url: String) -> String {
    let r = c
        .get(url)
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

fn form_of(year: &str) -> Vec<(String, String)> {
    let mut f = vec![("year".to_string(), year.to_string())];
    for (k, v) in report_json(0).as_object().unwrap() {
        if k != "year" {
            let v = v
                .as_str()
                .map(String::from)
                .unwrap_or_else(|| v.to_string());
            f.push((k.clone(), v));
        }
    }
    f
}

http_test!(
    file_on_the_page_review_on_the_report_page,
    |app: TestApp| async move {
        let org = app.create_org(&org_json(1)).await;
        let id = org["id"].as_str().unwrap().to_string();
        let member = app
            .client_as("member_a", Role::OrgMember, None, Some(id.parse().unwrap()))
            .await;
        let other = app.create_org(&org_json(2)).await;
        let member_b = app
            .client_as(
                "member_b",
                Role::OrgMember,
                None,
                Some(other["id"].as_str().unwrap().parse().unwrap()),
            )
            .await;
        let xuanwu = app
            .client_as("official_xw", Role::Official, Some("320102"), None)
            .await;
        let org_url = app.url(&format!("/organizations/{id}"));
        let new_url = app.url(&format!("/organizations/{id}/annual-reports/new"));

        // The member sees the section and the link; the public the section only.
        let (st, html) = page(&member, org_url.clone()).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("id=\"annual-reports\""));
        assert!(html.contains(&format!("/organizations/{id}/annual-reports/new")));
        assert!(
            html.contains("报送 2015 年度工作报告"),
            "the oldest year due"
        );
        assert!(
            !html.contains("href=\"/annual-reports\""),
            "no queue for members"
        );
        let (_, html) = page(&app.anon, org_url.clone()).await;
        assert!(html.contains("id=\"annual-reports\""));
        assert!(!html.contains("annual-reports/new"));
        let (_, html) = page(&member_b, org_url.clone()).await;
        assert!(!html.contains("annual-reports/new"));
        let (st, _) = page(&member_b, new_url.clone()).await;
        assert_eq!(st, StatusCode::FORBIDDEN);

        // The form, labelled in Chinese; blank money fields are named, nothing stored.
        let (st, html) = page(&member, new_url.clone()).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("总收入（元）") && html.contains("党建工作情况"));
        let mut bad = form_of("2025");
        bad.retain(|(k, _)| k != "income");
        bad.push(("income".into(), "十万".into()));
        let r = member
            .post(new_url.clone())
            .form(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        assert!(html.contains("error-summary") && html.contains("金额格式应为元"));
        assert!(html.contains("十万"), "what was typed is kept");
        assert!(
            app.store
                .annual_reports_of(id.parse().unwrap())
                .await
                .unwrap()
                .is_empty()
        );
        let r = member_b
            .post(new_url.clone())
            .form(&form_of("2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);

        // Filed: to the report's page, late, under review.
        let r = member
            .post(new_url.clone())
            .form(&form_of("2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let to = r.headers()["location"].to_str().unwrap().to_string();
        assert!(to.starts_with("/annual-reports/"), "{to}");
        let (st, html) = page(&app.anon, app.url(&to)).await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            html.contains("逾期报送") && html.contains("待审查"),
            "{html}"
        );
        assert!(html.contains("¥180,000.50"), "money shown in yuan");
        assert!(!html.contains("/review\""), "no review form for the public");
        let (_, html) = page(&member, app.url(&to)).await;
        assert!(!html.contains("/review\""), "nor for the organization");

        // The authority's official reviews on the page.
        let (_, html) = page(&xuanwu, app.url(&to)).await;
        assert!(html.contains(&format!("{to}/review")));
        assert!(html.contains("适用全面检查"));
        let review = app.url(&format!("{to}/review"));
        let r = xuanwu
            .post(review.clone())
            .form(&[("outcome", "unqualified"), ("reasons", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("error-summary"));
        let r = member
            .post(review.clone())
            .form(&[("outcome", "qualified")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = xuanwu
            .post(review.clone())
            .form(&[("outcome", "unqualified"), ("reasons", "未按规定换届")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);

        // The outcome in words, in both languages, on the report and the organization.
        let (_, html) = page(&app.anon, app.url(&to)).await;
        assert!(html.contains("不合格") && html.contains("未按规定换届"));
        assert!(!html.contains(">unqualified<"), "no raw codes");
        let html = page_en(&app.anon, app.url(&to)).await;
        assert!(html.contains("Unqualified") && html.contains("Filed late"));
        let (_, html) = page(&app.anon, org_url.clone()).await;
        assert!(html.contains("不合格"));
        let html = page_en(&app.anon, org_url.clone()).await;
        assert!(html.contains("Unqualified"));
        // The organization's history says what was decided, in words: no event code,
        // no empty "— → —" lines, no ids.
        let history = &html[html.find("id=\"history\"").expect("a history")..];
        assert!(
            history.contains("Annual report reviewed: Unqualified"),
            "{history}"
        );
        assert!(!history.contains("annual_report."), "{history}");
        assert!(
            !history.contains("— <span aria-hidden=\"true\">→</span>"),
            "{history}"
        );
        let (_, html) = page(&app.anon, org_url.clone()).await;
        let history = &html[html.find("id=\"history\"").unwrap()..];
        assert!(history.contains("年度报告审查结论：不合格"), "{history}");

        // Reviewing twice is refused.
        let r = xuanwu
            .post(review)
            .form(&[("outcome", "qualified")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("不能再次审查"));
    }
);

http_test!(
    the_officials_queue_page_filters_and_pages,
    |app: TestApp| async move {
        let org = app.create_org(&org_json(1)).await;
        let id = org["id"].as_str().unwrap().to_string();
        let member = app
            .client_as("member_a", Role::OrgMember, None, Some(id.parse().unwrap()))
            .await;
        for year in ["2024", "2025"] {
            let r = member
                .post(app.url(&format!("/organizations/{id}/annual-reports/new")))
                .form(&form_of(year))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        }
        let xuanwu = app
            .client_as("official_xw", Role::Official, Some("320102"), None)
            .await;
        let (st, html) = page(&xuanwu, app.url("/annual-reports")).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("href=\"/annual-reports\""), "the nav link");
        assert!(html.contains("测试服务中心1") && html.contains("待审查"));
        assert!(html.contains("共 2 份报告"));
        let (_, html) = page(&xuanwu, app.url("/annual-reports?per_page=1")).await;
        assert!(html.contains("per_page=1&#38;cursor="), "{html}");
        let (_, html) = page(&xuanwu, app.url("/annual-reports?year=2024")).await;
        assert!(html.contains("共 1 份报告"));
        let (st, html) = page(&xuanwu, app.url("/annual-reports?outcome=excellent")).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("审查结论"));
        let html = page_en(&xuanwu, app.url("/annual-reports")).await;
        assert!(html.contains("Annual reports to review") && html.contains("Under review"));
        let (st, _) = page(&member, app.url("/annual-reports")).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let qinhuai = app
            .client_as("official_qh", Role::Official, Some("320104"), None)
            .await;
        let (_, html) = page(&qinhuai, app.url("/annual-reports")).await;
        assert!(!html.contains("测试服务中心1"));
    }
);

// The queue downloads as the other lists do (CSV and Excel from the page, CSV from the
// API), under the queue's own rule and filters, each download recorded.
http_test!(
    the_queue_downloads_as_the_queue,
    |app: TestApp| async move {
        let org = app.create_org(&org_json(1)).await;
        let id = org["id"].as_str().unwrap().to_string();
        let member = app
            .client_as("member_a", Role::OrgMember, None, Some(id.parse().unwrap()))
            .await;
        for year in ["2024", "2025"] {
            let r = member
                .post(app.url(&format!("/organizations/{id}/annual-reports/new")))
                .form(&form_of(year))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        }
        let xuanwu = app
            .client_as("official_xw", Role::Official, Some("320102"), None)
            .await;
        let (_, html) = page(&xuanwu, app.url("/annual-reports?year=2024")).await;
        assert!(
            html.contains("href=\"/annual-reports.csv?year=2024\""),
            "{html}"
        );
        assert!(html.contains("href=\"/annual-reports.xlsx?year=2024\""));

        let r = xuanwu
            .get(app.url("/annual-reports.csv?year=2024"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
        let text = r.text().await.unwrap();
        let lines: Vec<&str> = text.trim_start_matches('\u{FEFF}').lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].starts_with("社会组织,报告年度"), "{text}");
        assert!(lines[1].contains("测试服务中心1,2024") && lines[1].contains("待审查"));
        let r = xuanwu
            .get(app.url("/annual-reports.xlsx"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.bytes().await.unwrap().starts_with(b"PK\x03\x04"));
        let r = xuanwu
            .get(app.url("/api/v1/annual-reports.csv"))
            .header("accept-language", "en")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let text = r.text().await.unwrap();
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(text.contains("Organization,Year") && text.contains("Under review"));

        // As the queue: a bad filter is named; members and other offices get nothing.
        let r = xuanwu
            .get(app.url("/api/v1/annual-reports.csv?outcome=excellent"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let (st, _) = page(&member, app.url("/annual-reports.csv")).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let qinhuai = app
            .client_as("official_qh", Role::Official, Some("320104"), None)
            .await;
        let (st, text) = page(&qinhuai, app.url("/annual-reports.csv")).await;
        assert_eq!(st, StatusCode::OK);
        assert!(!text.contains("测试服务中心1"));

        let recs = app.audit_records("list.export").await.items;
        assert_eq!(recs.len(), 4, "the refusals are not downloads");
        assert!(recs.iter().all(|r| r.event.object == "list:annual_reports"));
        assert!(recs.iter().any(|r| r.event.details.contains("year=2024")
            && r.event.details.contains("\"format\":\"csv\"")));
    }
);
