//! Change registration pages: the organization page's section and link, the form,
//! an official's queue with approve / return, and the navigation entry (officials only).

use reqwest::StatusCode;
use shuniu_domain::access::Role;

use crate::common::{TestApp, org_json};

async fn page(c: &reqwest::Client, url: String) -> (StatusCode, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

http_test!(
    apply_on_the_page_and_decide_in_the_queue,
    |app: TestApp| async move {
        let org = app.create_org(&org_json(1)).await;
        let id = org["id"].as_str().unwrap().to_string();
        let member = app
            .client_as("member_a", Role::OrgMember, None, Some(id.parse().unwrap()))
            .await;
        let xuanwu = app
            .client_as("official_xw", Role::Official, Some("320102"), None)
            .await;

        // The member sees the link and the form; no queue in their navigation.
        let (st, html) = page(&member, app.url(&format!("/organizations/{id}"))).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains(&format!("/organizations/{id}/change-applications/new")));
        assert!(!html.contains("href=\"/change-applications\""));
        let (st, _) = page(&member, app.url("/change-applications")).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        // The public sees neither the section nor the link.
        let (_, html) = page(&app.anon, app.url(&format!("/organizations/{id}"))).await;
        assert!(!html.contains("change-applications/new"));

        let (st, form) = page(
            &member,
            app.url(&format!("/organizations/{id}/change-applications/new")),
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        assert!(form.contains("测试服务中心1"));
        let base = vec![
            ("name", "测试服务中心1"),
            ("legal_form", "social_service_institution"),
            ("legal_representative", "王芳"),
            ("address", "梅园新村34号"),
            ("business_scope", ""),
            ("competent_unit", ""),
            ("registered_capital", ""),
            ("founded_on", "2015-03-01"),
            ("jurisdiction", "320102002000"),
            ("uscc", org["uscc"].as_str().unwrap()),
            ("filing_number", ""),
        ];
        let submit = |extra: Vec<(&'static str, &'static str)>| {
            let mut f: Vec<(String, String)> = base
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            for (k, v) in extra {
                f.retain(|(n, _)| n != k);
                f.push((k.into(), v.into()));
            }
            member
                .post(app.url(&format!("/organizations/{id}/change-applications")))
                .form(&f)
                .send()
        };
        // Nothing changed and no documents: the form again, naming both.
        let r = submit(vec![]).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        assert!(html.contains("error-summary"));
        let r = submit(vec![
            ("address", "梅园新村36号"),
            ("attachments", "会员大会决议\n住所证明"),
        ])
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, html) = page(&member, app.url(&format!("/organizations/{id}"))).await;
        assert!(html.contains("梅园新村34号 → 梅园新村36号"), "{html}");

        // The official's navigation leads to the queue; approving changes the record.
        let (st, html) = page(&xuanwu, app.url("/change-applications")).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("href=\"/change-applications\""));
        assert!(html.contains("梅园新村36号"));
        let (_, a) = {
            let r = xuanwu
                .get(app.url(&format!("/api/v1/organizations/{id}/change-applications")))
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<serde_json::Value>().await.unwrap())
        };
        let app_id = a["items"][0]["id"].as_str().unwrap();
        let r = xuanwu
            .post(app.url(&format!("/change-applications/{app_id}/decision")))
            .form(&[("action", "return")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = xuanwu
            .post(app.url(&format!("/change-applications/{app_id}/decision")))
            .form(&[("action", "approve")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, html) = page(&app.anon, app.url(&format!("/organizations/{id}"))).await;
        assert!(html.contains("梅园新村36号"));
    }
);
