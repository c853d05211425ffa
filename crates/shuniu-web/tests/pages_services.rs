//! Service-catalogue pages: the organization's staff add a service through the form
//! (place, venue and community as choices; the fee in yuan or "free"), it shows at
//! once on the organization's page marked self-declared and in `/services` by
//! category; a bad form names each field, keeps what was typed and stores nothing;
//! another organization's member is refused; a suspended organization's services
//! leave `/services` but stay on its own pages; an edit pauses a service; the
//! organization's full list is paged. Both engines.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shuniu_domain::access::Role;

use crate::common::{TestApp, org_json};
use crate::parks_support::venue_json;

async fn page(c: &reqwest::Client, url: String) -> (StatusCode, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// Posts a form: the status, the `Location` of a redirect, and the body.
async fn post(
    c: &reqwest::Client,
    url: String,
    form: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let r = c.post(url).form(form).send().await.unwrap();
    let to = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status(), to, r.text().await.unwrap())
}

async fn venue_in(app: &TestApp, jurisdiction: &str, name: &str) -> String {
    let mut v = venue_json(None);
    v["jurisdiction"] = json!(jurisdiction);
    v["name"] = json!(name);
    let r = app
        .client
        .post(app.url("/api/v1/venues"))
        .json(&v)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    v["id"].as_str().unwrap().to_string()
}

async fn services_total(app: &TestApp, q: &str) -> i64 {
    let r = app
        .anon
        .get(app.url(&format!("/api/v1/services{q}")))
        .send()
        .await
        .unwrap();
    r.json::<Value>().await.unwrap()["total"].as_i64().unwrap()
}

/// How many times `needle` occurs in `hay`.
fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

http_test!(
    staff_add_a_service_through_the_form,
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
        let here = venue_in(&app, "320102002000", "梅园新村服务园").await;
        let elsewhere = venue_in(&app, "320104", "秦淮区服务园").await;
        let new_url = app.url(&format!("/organizations/{id}/services/new"));
        let org_url = app.url(&format!("/organizations/{id}"));

        // The form offers choices: the place as radios, the district's venues (not
        // another district's) and communities as selects, "free" as a box.
        let (st, html) = page(&member, new_url.clone()).await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            html.contains(r#"type="radio" name="place_kind" value="venue""#),
            "{html}"
        );
        assert!(html.contains(&format!(r#"<option value="{here}">"#)));
        assert!(
            !html.contains(&elsewhere),
            "another district's venue is not offered"
        );
        assert!(
            html.contains(r#"<option value="320102002000">"#),
            "a street of the district"
        );
        assert!(
            !html.contains(r#"<option value="320104">"#),
            "not another district"
        );
        assert!(html.contains(r#"type="checkbox" name="free" value="1""#));
        assert!(html.contains("以元为单位"));

        // Another organization's member may not add one; the public must sign in.
        let good = [
            ("name", "助餐配送"),
            ("category", "elderly"),
            ("target_group", "80岁以上独居老人"),
            ("eligibility", ""),
            ("place_kind", "venue"),
            ("venue_id", here.as_str()),
            ("jurisdiction", ""),
            ("schedule", "周一至周五 11:00–12:30"),
            ("fee", "12.50"),
            ("capacity", "40"),
            ("status", "active"),
        ];
        let (st, _, _) = post(&member_b, new_url.clone(), &good).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, _) = page(&member_b, new_url.clone()).await;
        assert_eq!(st, StatusCode::FORBIDDEN);

        // A bad form names each field on the field, keeps what was typed, stores nothing.
        let mut bad = good.to_vec();
        bad[0] = ("name", "");
        bad[5] = ("venue_id", elsewhere.as_str());
        bad[8] = ("fee", "abc");
        let (st, _, html) = post(&member, new_url.clone(), &bad).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        for f in ["name", "venue_id", "fee"] {
            assert!(
                html.contains(&format!(r#"id="err-{f}""#)),
                "{f} named: {html}"
            );
        }
        assert_eq!(
            count(&html, r#"class="field-error""#),
            3,
            "only those three"
        );
        assert!(html.contains("不在本组织所在区"));
        assert!(html.contains(r#"value="abc""#), "the fee as typed");
        assert!(
            html.contains(r#"value="80岁以上独居老人""#),
            "the rest as typed"
        );
        assert!(html.contains(r#"value="venue" checked"#));
        assert_eq!(services_total(&app, "").await, 0);

        // A good one: at once on the page, marked self-declared, and in the list.
        let (st, to, _) = post(&member, new_url.clone(), &good).await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        assert_eq!(to, format!("/organizations/{id}#services"));
        let (_, html) = page(&app.anon, org_url.clone()).await;
        assert!(
            html.contains("助餐配送") && html.contains("梅园新村服务园"),
            "{html}"
        );
        assert!(html.contains("自行申报"));
        assert!(html.contains("12.50"));
        let (_, html) = page(&app.anon, app.url("/services?category=elderly")).await;
        assert!(html.contains("助餐配送"));
        let (_, html) = page(&app.anon, app.url("/services?category=children")).await;
        assert!(!html.contains("助餐配送"));

        // Free, at home: the box stands for a fee of 0 whatever the fee field says.
        let mut home = good.to_vec();
        home[0] = ("name", "上门理发");
        home[4] = ("place_kind", "home");
        home[8] = ("fee", "");
        home.push(("free", "1"));
        let (st, _, body) = post(&member, new_url.clone(), &home).await;
        assert_eq!(st, StatusCode::SEE_OTHER, "{body}");
        let (_, html) = page(&app.anon, app.url("/services?category=elderly")).await;
        assert!(html.contains("上门理发") && html.contains("免费"));

        // Edit: the form is filled in; paused, it is marked so on the page.
        let (_, html) = page(&member, org_url.clone()).await;
        let edit = html
            .split("href=\"")
            .filter_map(|s| s.split('"').next())
            .find(|h| h.starts_with("/services/") && h.ends_with("/edit"))
            .expect("an edit link")
            .to_string();
        let (st, form) = page(&member, app.url(&edit)).await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            form.contains(r#"value="home" checked"#) || form.contains(r#"value="venue" checked"#)
        );
        let (st, _) = page(&member_b, app.url(&edit)).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let target = if form.contains("上门理发") {
            home.clone()
        } else {
            good.to_vec()
        };
        let mut paused = target.clone();
        for (k, v) in paused.iter_mut() {
            if *k == "status" {
                *v = "paused";
            }
        }
        let (st, _, body) = post(&member, app.url(&edit), &paused).await;
        assert_eq!(st, StatusCode::SEE_OTHER, "{body}");
        let (_, html) = page(&app.anon, org_url.clone()).await;
        assert!(
            html.contains(r#"class="status status-paused">暂停"#),
            "{html}"
        );

        // Suspended: gone from /services, still on its own page for its staff.
        let r = app
            .client
            .post(app.url(&format!("/api/v1/organizations/{id}/status")))
            .json(&json!({"status": "suspended", "reason": "责令暂停活动", "effective_on": "2026-11-30"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let (_, html) = page(&app.anon, app.url("/services")).await;
        assert!(!html.contains("助餐配送") && !html.contains("上门理发"));
        let (_, html) = page(&member, org_url.clone()).await;
        assert!(html.contains("助餐配送") && html.contains("上门理发"));
        assert_eq!(app.audit_records("service.create").await.total, 2);
        assert_eq!(app.audit_records("service.update").await.total, 1);
    }
);

http_test!(
    the_page_shows_twenty_and_links_to_all_paged,
    |app: TestApp| async move {
        let org = app.create_org(&org_json(1)).await;
        let id = org["id"].as_str().unwrap().to_string();
        let url = app.url(&format!("/api/v1/organizations/{id}/services"));
        for n in 0..23 {
            let body = json!({
                "name": format!("服务{n:02}"),
                "category": "elderly",
                "target_group": "老人",
                "place_kind": "home",
                "schedule": "每周一",
                "fee": "0"
            });
            let r = app.client.post(&url).json(&body).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::CREATED);
        }
        let (_, html) = page(&app.anon, app.url(&format!("/organizations/{id}"))).await;
        assert!(
            html.contains("服务19") && !html.contains("服务20"),
            "first 20 by name"
        );
        let all = format!("/organizations/{id}/services");
        assert!(
            html.contains(&format!(r#"href="{all}""#)),
            "links to the list, not the API"
        );

        let (st, html) = page(&app.anon, app.url(&all)).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("服务00") && !html.contains("服务20"));
        assert!(html.contains("共 23 项服务"));
        // Next by cursor; the second page's Previous leads back to the first.
        let next = html
            .split(&format!("href=\"{all}?cursor="))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a Next link by cursor");
        let (st, html) = page(&app.anon, app.url(&format!("{all}?cursor={next}"))).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("服务22") && !html.contains("服务19"));
        assert!(
            html.contains(&format!("href=\"{all}?cursor=")),
            "a Previous link"
        );
        assert!(html.contains("rel=\"prev\"") && !html.contains("rel=\"next\""));
        let (st, html) = page(&app.anon, app.url(&format!("{all}?page=2"))).await;
        assert_eq!(
            st,
            StatusCode::OK,
            "numbered pages within the first 10,000 still serve"
        );
        assert!(html.contains("服务22") && !html.contains("服务19"));
        for bad in ["page=x", "cursor=garbage", "page=10001"] {
            let (st, _) = page(&app.anon, app.url(&format!("{all}?{bad}"))).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        }
        let (st, _) = page(
            &app.anon,
            app.url("/organizations/00000000-0000-7000-8000-000000000000/services"),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
    }
);
