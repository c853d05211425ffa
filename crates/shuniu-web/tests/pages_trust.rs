//! The organization page's credibility section over HTTP, on SQLite and PostgreSQL:
//! score and band in words, the breakdown with "not counted" parts, the date, what it
//! means and is not, what a grade means, and the national platforms to check the USCC.

use crate::common;

use common::{TestApp, org_json};
use reqwest::StatusCode;

async fn page(app: &TestApp, path: &str, lang: &str) -> (StatusCode, String) {
    let r = reqwest::Client::new()
        .get(app.url(path))
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

crate::http_test!(
    the_organization_page_explains_its_credibility,
    |app: TestApp| async move {
        let o = app.create_org(&org_json(911)).await;
        let id = o["id"].as_str().unwrap();
        let uscc = o["uscc"].as_str().unwrap();
        let (st, zh) = page(&app, &format!("/organizations/{id}"), "zh-CN").await;
        assert_eq!(st, StatusCode::OK);
        let section = &zh[zh.find("id=\"credibility\"").expect("the section")..];
        for words in [
            "可信度",
            "得分构成",
            "暂不计入",
            "居民评价",
            "年报合规",
            "计算日期",
            "它不是什么",
            "评估等级的含义",
            "https://www.creditchina.gov.cn/",
            "https://xxgs.chinanpo.mca.gov.cn/",
            uscc,
        ] {
            assert!(section.contains(words), "{words} missing");
        }
        // The band is in words, not colour alone.
        assert!(
            ["可信度高", "可信度一般", "可信度较低"]
                .iter()
                .any(|b| section.contains(b))
        );
        assert!(section.contains("class=\"table-wrap\" tabindex=\"0\" role=\"region\""));

        let (_, en) = page(&app, &format!("/organizations/{id}"), "en").await;
        let section = &en[en.find("id=\"credibility\"").expect("the section")..];
        for words in [
            "Credibility",
            "Not counted",
            "Resident ratings",
            "Annual reports",
            "What it is not",
            "Credit China",
        ] {
            assert!(section.contains(words), "{words} missing");
        }
        // The resident's mobile of the legal representative never shows in full.
        assert!(!en.contains("13812348000"));
    }
);
