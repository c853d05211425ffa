//! Resident-request pages, both engines: the public form without login (422 naming
//! fields, the confirmation with the number and the private link), the private page
//! (phone masked, rating refused before completion), the hub's queue and request page
//! with candidates, and the phone absent from every page of others.

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::TestApp;
use crate::requests_support::*;

async fn page(r: reqwest::RequestBuilder) -> (StatusCode, String) {
    let r = r.send().await.expect("the app answers");
    (r.status(), r.text().await.unwrap_or_default())
}

http_test!(
    a_resident_asks_without_login_and_the_hub_dispatches,
    |app: TestApp| async move {
        let s = story(&app).await;
        let (st, html) = page(app.anon.get(app.url("/requests/new"))).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("梅园社区"), "the community is offered");

        let (st, html) = page(
            app.anon
                .post(app.url("/requests/new"))
                .form(&[("phone", "12")]),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("err-phone") && html.contains("err-community"));

        let form = [
            ("category", "elderly"),
            ("community", COMMUNITY),
            ("description", "独居老人需要每天送餐上门"),
            ("phone", PHONE),
        ];
        let (st, html) = page(app.anon.post(app.url("/requests/new")).form(&form)).await;
        assert_eq!(st, StatusCode::OK, "{html}");
        assert!(html.contains("QZ-320102-"));
        let link = html
            .split("href=\"")
            .find(|x| x.starts_with("/requests/track/"))
            .map(|x| x.split('"').next().unwrap().to_string())
            .expect("the private link");

        let (st, html) = page(app.anon.get(app.url(&link))).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains(MASKED) && !html.contains(PHONE));
        assert!(
            !html.contains("name=\"rating\""),
            "no rating before completion"
        );
        let (st, _) = page(app.anon.post(app.url(&link)).form(&[("rating", "5")])).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        let (st, _) = page(
            app.anon
                .get(app.url(&format!("/requests/track/{}", "e".repeat(64)))),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);

        // The hub's queue and the request's page, with the phone and the candidates.
        let (st, html) = page(s.hub.get(app.url("/requests"))).await;
        assert_eq!(st, StatusCode::OK);
        let href = html
            .split("href=\"")
            .find(|x| x.starts_with("/requests/0") || x.starts_with("/requests/1"))
            .map(|x| x.split('"').next().unwrap().to_string())
            .expect("a request in the queue");
        let (st, html) = page(s.hub.get(app.url(&href))).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains(PHONE));
        assert!(html.contains(&s.f.org_a.to_string()), "A is a candidate");
        // Others: not found, and never the phone.
        for c in [&s.member_a, &s.member_c, &s.expert] {
            let (st, html) = page(c.get(app.url(&href))).await;
            assert_eq!(st, StatusCode::NOT_FOUND);
            assert!(!html.contains(PHONE));
        }
        let (st, _) = page(app.anon.get(app.url("/requests"))).await;
        assert!(
            st == StatusCode::SEE_OTHER || st == StatusCode::UNAUTHORIZED,
            "{st}"
        );

        // Assign by the form; the assignee's page shows the phone and the accept form.
        let org_a = s.f.org_a.to_string();
        let (st, _) = page(
            s.hub
                .post(app.url(&format!("{href}/actions")))
                .form(&[("action", "assign"), ("organization_id", org_a.as_str())]),
        )
        .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        let (st, html) = page(s.member_a.get(app.url(&href))).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains(PHONE) && html.contains("value=\"accept\""));
        let (st, _) = page(s.member_c.get(app.url(&href))).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let _: Option<Value> = None;
    }
);
