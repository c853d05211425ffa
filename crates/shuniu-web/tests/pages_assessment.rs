//! Assessment pages 评估 (issue 9, item 4), on both engines: the public list of rounds
//! and its navigation entry; an official opens a round on a form that names each bad
//! field; an organization's own staff applies on the round's page and an ineligible one
//! is told the rule in words; only the round's authority sees and uses the decision
//! forms (score, notice, award); the organization page's grade section shows the grade
//! in force and its history; the authority lowers it on a form with a reason.

use chrono::{Datelike, Duration};
use reqwest::StatusCode;
use shuniu_domain::access::Role;

use crate::api_assessment::eligible_org;
use crate::common::TestApp;

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

async fn post(
    c: &reqwest::Client,
    url: String,
    form: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let r = c.post(url).form(form).send().await.unwrap();
    let st = r.status();
    let to = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (st, to, r.text().await.unwrap())
}

fn today() -> chrono::NaiveDate {
    shuniu_web::today()
}

http_test!(
    open_apply_decide_and_lower_through_the_pages,
    |app: TestApp| async move {
        let xuanwu = app
            .client_as("official_xw", Role::Official, Some("320102"), None)
            .await;
        let qinhuai = app
            .client_as("official_qh", Role::Official, Some("320104"), None)
            .await;
        let (org, member) = eligible_org(&app, 1, true).await;
        let (_, unreported) = eligible_org(&app, 2, false).await;

        // The public list, linked from the navigation; no "open" button for the public.
        let (st, html) = page(&app.anon, app.url("/")).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("href=\"/assessment-rounds\""), "nav entry");
        let (st, html) = page(&app.anon, app.url("/assessment-rounds")).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("尚无评估轮次"));
        assert!(!html.contains("/assessment-rounds/new"));
        let (_, html) = page(&xuanwu, app.url("/assessment-rounds")).await;
        assert!(html.contains("/assessment-rounds/new"));

        // Only an official opens a round; a bad form names each field and stores nothing.
        let new = app.url("/assessment-rounds/new");
        assert_eq!(page(&member, new.clone()).await.0, StatusCode::FORBIDDEN);
        assert_eq!(page(&app.anon, new.clone()).await.0, StatusCode::SEE_OTHER);
        let (st, html) = page(&xuanwu, new.clone()).await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            html.contains("申报截止日期") && html.contains("玄武区"),
            "{html}"
        );
        let opens = (today() - Duration::days(30)).to_string();
        let closes = (today() + Duration::days(30)).to_string();
        let year = today().year().to_string();
        let (st, _, html) = post(
            &xuanwu,
            new.clone(),
            &[
                ("year", &year),
                ("title", ""),
                ("opens_on", &closes),
                ("closes_on", &opens),
            ],
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("error-summary") && html.contains("截止日期早于开始日期"));
        assert!(html.contains("href=\"#f-title\""), "the title is named");
        assert_eq!(
            app.store.assessment_rounds_page(1, 20).await.unwrap().total,
            0
        );
        let (st, _, _) = post(&member, new.clone(), &[("year", &year)]).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, round_url, _) = post(
            &xuanwu,
            new,
            &[
                ("year", &year),
                ("title", "玄武区社会组织等级评估"),
                ("opens_on", &opens),
                ("closes_on", &closes),
                ("notice_days", "7"),
            ],
        )
        .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        assert!(round_url.starts_with("/assessment-rounds/"), "{round_url}");
        let (_, html) = page(&app.anon, app.url("/assessment-rounds")).await;
        assert!(html.contains("玄武区社会组织等级评估") && html.contains("申报中"));

        // The member applies from the round's page; the ineligible one is told why.
        let (_, html) = page(&member, app.url(&round_url)).await;
        assert!(
            html.contains("以 测试服务中心1 的名义申报本轮评估"),
            "{html}"
        );
        let (_, html) = page(&app.anon, app.url(&round_url)).await;
        assert!(!html.contains("/apply\""), "no apply button for the public");
        let apply = app.url(&format!("{round_url}/apply"));
        let (_, html) = page(&unreported, app.url(&round_url)).await;
        let other = html
            .split("name=\"organization\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let (st, _, html) = post(&unreported, apply.clone(), &[("organization", &other)]).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("未能申报") && html.contains("年检"), "{html}");
        let (st, _, _) = post(&member, apply.clone(), &[("organization", &other)]).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "not for another organization");
        let (st, app_url, _) = post(&member, apply.clone(), &[("organization", &org)]).await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        assert!(
            app_url.starts_with("/assessment-applications/"),
            "{app_url}"
        );
        let (st, _, html) = post(&member, apply, &[("organization", &org)]).await;
        assert_eq!(st, StatusCode::CONFLICT, "one application per round");
        assert!(html.contains("已申报本轮评估"));

        // Decision forms for the round's authority only.
        let decision = app.url(&format!("{app_url}/decision"));
        for c in [&app.anon, &member, &qinhuai] {
            let (st, html) = page(c, app.url(&app_url)).await;
            assert_eq!(st, StatusCode::OK);
            assert!(!html.contains("/decision\""), "no decision form");
        }
        let (_, html) = page(&xuanwu, app.url(&app_url)).await;
        assert!(html.contains("录入专家评分") && html.contains("初审不通过"));
        assert!(
            html.contains("党的建设（满分 100）"),
            "areas labelled with their points"
        );
        let mut score = vec![
            ("action", "score"),
            ("basic_conditions", "90"),
            ("party_building", "150"),
            ("internal_governance", "220"),
            ("work_performance", "360"),
            ("social_evaluation", "130"),
            ("bonus", "10"),
        ];
        let (st, _, html) = post(&xuanwu, decision.clone(), &score).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("href=\"#f-party_building\""), "{html}");
        assert!(html.contains("value=\"150\""), "what was typed is kept");
        score[2] = ("party_building", "90");
        let (st, _, _) = post(&member, decision.clone(), &score).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, _, _) = post(&qinhuai, decision.clone(), &score).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, to, _) = post(&xuanwu, decision.clone(), &score).await;
        assert_eq!((st, to.as_str()), (StatusCode::SEE_OTHER, app_url.as_str()));
        let (_, html) = page(&app.anon, app.url(&app_url)).await;
        assert!(
            html.contains("已评分") && html.contains(">900<") && html.contains("4A"),
            "{html}"
        );

        // Notice started ten days ago: over; the award on the page.
        let started = (today() - Duration::days(10)).to_string();
        let (st, _, _) = post(
            &xuanwu,
            decision.clone(),
            &[("action", "notice"), ("starts_on", &started)],
        )
        .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        let (_, html) = page(&xuanwu, app.url(&app_url)).await;
        assert!(html.contains("授予等级") && html.contains("公示中"));
        let (st, _, html) = post(
            &xuanwu,
            decision.clone(),
            &[("action", "award"), ("document", "")],
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("href=\"#f-document\""));
        let (st, _, _) = post(
            &xuanwu,
            decision.clone(),
            &[("action", "award"), ("document", "玄民〔2026〕12号")],
        )
        .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        let (st, _, html) =
            post(&xuanwu, decision, &[("action", "award"), ("document", "x")]).await;
        assert_eq!(st, StatusCode::CONFLICT, "awarded once");
        assert!(html.contains("已授予等级"));

        // The organization page: the grade in force and its history, in both languages.
        let org_url = app.url(&format!("/organizations/{org}"));
        let (_, html) = page(&app.anon, org_url.clone()).await;
        assert!(html.contains("id=\"assessment\"") && html.contains("<strong>4A</strong>"));
        assert!(html.contains("grade-in_force"));
        assert!(
            !html.contains("grade-changes/new"),
            "the public does not lower grades"
        );
        let html = page_en(&app.anon, org_url.clone()).await;
        assert!(html.contains("Grade in force") && html.contains("Grade awarded"));
        let (_, html) = page(&qinhuai, org_url.clone()).await;
        assert!(!html.contains("grade-changes/new"));
        let (_, html) = page(&xuanwu, org_url.clone()).await;
        assert!(html.contains(&format!("/organizations/{org}/grade-changes/new")));

        // Lowering: the authority's official only, with a reason.
        let change = app.url(&format!("/organizations/{org}/grade-changes/new"));
        assert_eq!(page(&member, change.clone()).await.0, StatusCode::FORBIDDEN);
        assert_eq!(
            page(&qinhuai, change.clone()).await.0,
            StatusCode::FORBIDDEN
        );
        let (st, html) = page(&xuanwu, change.clone()).await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            html.contains("撤销等级")
                && html.contains("value=\"3A\"")
                && !html.contains("value=\"5A\"")
        );
        let (st, _, html) = post(&xuanwu, change.clone(), &[("to", "3A"), ("reason", "")]).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("href=\"#f-reason\""));
        let (st, _, _) = post(&member, change.clone(), &[("to", "3A"), ("reason", "x")]).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, to, _) = post(
            &xuanwu,
            change,
            &[("to", "3A"), ("reason", "财务制度不健全")],
        )
        .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        assert!(to.ends_with("#assessment"), "{to}");
        let (_, html) = page(&app.anon, org_url).await;
        assert!(
            html.contains("<strong>3A</strong>") && html.contains("grade-ended"),
            "{html}"
        );
    }
);
