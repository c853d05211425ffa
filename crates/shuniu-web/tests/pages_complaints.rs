//! Complaint pages, both engines: the public form (no login; 422 naming fields; the
//! confirmation with the number and the private link), the complainant's page (phone
//! masked), the street's queue (phone in full) and the organization's page of the
//! complaint (answer form, no phone), the request link's form (no phone asked), and
//! the organization page's public section — never the phone.

use reqwest::StatusCode;

use crate::common::TestApp;
use crate::requests_support::*;

async fn page(r: reqwest::RequestBuilder) -> (StatusCode, String) {
    let r = r.send().await.expect("the app answers");
    (r.status(), r.text().await.unwrap_or_default())
}

fn link(html: &str, prefix: &str) -> String {
    html.split("href=\"")
        .find(|x| x.starts_with(prefix))
        .map(|x| x.split('"').next().unwrap().to_string())
        .unwrap_or_else(|| panic!("a link to {prefix} in {html}"))
}

http_test!(
    a_resident_complains_and_the_organization_answers,
    |app: TestApp| async move {
        let s = story(&app).await;
        let org = s.f.org_a.to_string();
        let (st, html) = page(app.anon.get(app.url(&format!("/organizations/{org}")))).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("id=\"complaints\""), "the section shows");
        let new = format!("/complaints/new?org={org}");
        assert!(html.contains(&new.replace('&', "&amp;")));
        let (st, html) = page(app.anon.get(app.url(&new))).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("name=\"phone\""));
        assert_eq!(
            page(app.anon.get(app.url("/complaints/new?org=nope")))
                .await
                .0,
            StatusCode::NOT_FOUND
        );

        let (st, html) = page(
            app.anon
                .post(app.url("/complaints/new"))
                .form(&[("organization_id", org.as_str()), ("phone", "12")]),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("err-phone") && html.contains("err-category"));
        let form = [
            ("organization_id", org.as_str()),
            ("category", "attitude"),
            ("description", "上门服务人员态度恶劣"),
            ("phone", PHONE),
        ];
        let (st, html) = page(app.anon.post(app.url("/complaints/new")).form(&form)).await;
        assert_eq!(st, StatusCode::OK, "{html}");
        assert!(html.contains("TS-320102-"));
        let track = link(&html, "/complaints/track/");
        let (st, html) = page(app.anon.get(app.url(&track))).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains(MASKED) && !html.contains(PHONE));

        // The street's queue shows the phone; the organization's page of it does not.
        let (st, html) = page(s.hub.get(app.url("/complaints"))).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains(PHONE));
        let href = link(&html, "/complaints/0");
        let (st, html) = page(s.member_a.get(app.url(&href))).await;
        assert_eq!(st, StatusCode::OK);
        assert!(!html.contains(PHONE) && html.contains("value=\"answer\""));
        let (st, html) = page(s.member_c.get(app.url(&href))).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        assert!(!html.contains(PHONE));
        let (st, _) = page(
            s.member_a
                .post(app.url(&format!("{href}/actions")))
                .form(&[("action", "answer"), ("response", "已联系居民并道歉")]),
        )
        .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        let (_, html) = page(app.anon.get(app.url(&track))).await;
        assert!(html.contains("已联系居民并道歉"));

        // The public section: counts, never the phone.
        let (_, html) = page(app.anon.get(app.url(&format!("/organizations/{org}")))).await;
        assert!(!html.contains(PHONE) && !html.contains(MASKED));
        assert!(!html.contains("上门服务人员态度恶劣"));
    }
);

http_test!(
    the_request_link_leads_to_a_complaint_without_a_phone,
    |app: TestApp| async move {
        let s = story(&app).await;
        let form = [
            ("category", "elderly"),
            ("community", COMMUNITY),
            ("description", "独居老人需要每天送餐上门"),
            ("phone", PHONE),
        ];
        let (_, html) = page(app.anon.post(app.url("/requests/new")).form(&form)).await;
        let track = link(&html, "/requests/track/");
        let token = track.trim_start_matches("/requests/track/").to_string();
        let (_, html) = page(app.anon.get(app.url(&track))).await;
        assert!(
            !html.contains("/complaints/about/"),
            "nobody handled it yet"
        );
        let about = format!("/complaints/about/{token}");
        assert_eq!(
            page(app.anon.get(app.url(&about))).await.0,
            StatusCode::NOT_FOUND
        );

        let (_, html) = page(s.hub.get(app.url("/requests"))).await;
        let href = link(&html, "/requests/0");
        let org_a = s.f.org_a.to_string();
        page(
            s.hub
                .post(app.url(&format!("{href}/actions")))
                .form(&[("action", "assign"), ("organization_id", org_a.as_str())]),
        )
        .await;
        let (_, html) = page(app.anon.get(app.url(&track))).await;
        assert!(html.contains(&about));
        let (st, html) = page(app.anon.get(app.url(&about))).await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            !html.contains("name=\"phone\""),
            "the link verifies the phone"
        );
        let (st, html) = page(
            app.anon
                .post(app.url(&about))
                .form(&[("category", "attitude"), ("description", "电话里态度很差")]),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{html}");
        assert!(html.contains("TS-320102-"));
    }
);
