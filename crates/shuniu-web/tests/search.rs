//! Search that understands Chinese (issue 12, item 4) over HTTP, on both backends: the
//! organization and service lists (pages and API) go through the app's search index,
//! which every write keeps in step in the same request.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{TestApp, org_json};

async fn send(r: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let r = r.send().await.expect("the app answers");
    let st = r.status();
    let v = r.json().await.unwrap_or(Value::Null);
    (st, v)
}

/// An organization named `name` with `domains`, created through the API.
async fn org(app: &TestApp, n: u32, name: &str, domains: &[&str]) -> String {
    let mut body = org_json(n);
    body["name"] = json!(name);
    body["domains"] = json!(domains);
    let made = app.create_org(&body).await;
    made["id"].as_str().unwrap().to_string()
}

/// The names and reasons of `/api/v1/organizations?<query>`.
async fn found(app: &TestApp, query: &str) -> Vec<(String, String)> {
    let (st, v) = send(
        app.anon
            .get(app.url(&format!("/api/v1/organizations?{query}"))),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let items = v["items"].as_array().unwrap();
    let matches = v["matches"].as_array().cloned().unwrap_or_default();
    assert_eq!(matches.len(), items.len(), "one reason per item: {v}");
    items
        .iter()
        .zip(matches)
        .map(|(i, m)| {
            assert_eq!(i["id"], m["id"]);
            (
                i["name"].as_str().unwrap().to_string(),
                m["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const YANGLAO: &str = "玄武区阳光养老服务中心";

http_test!(
    two_character_words_pinyin_and_initials_find_organizations,
    |app: TestApp| async move {
        org(&app, 1, YANGLAO, &["elderly"]).await;
        org(&app, 2, "玄武区助残服务社", &["disability"]).await;
        org(&app, 3, "梅园新村托育之家", &["children"]).await;

        let hits = found(&app, "q=%E5%85%BB%E8%80%81").await; // 养老
        assert_eq!(hits, vec![(YANGLAO.to_string(), "name".to_string())]);
        assert_eq!(
            found(&app, "q=yanglao").await,
            vec![(YANGLAO.into(), "pinyin".into())]
        );
        assert_eq!(
            found(&app, "q=yl").await,
            vec![(YANGLAO.into(), "initials".into())]
        );
        assert_eq!(
            found(&app, "q=托育").await,
            vec![("梅园新村托育之家".into(), "name".into())]
        );
        // A domain's words find it too (助老 is the elderly domain), by its description.
        assert_eq!(
            found(&app, "q=助老").await,
            vec![(YANGLAO.into(), "description".into())]
        );
        // Every organization of the tree is under Xuanwu; none under Qinhuai.
        assert_eq!(found(&app, "q=服务&jurisdiction=320102").await.len(), 2);
        assert!(found(&app, "q=服务&jurisdiction=320104").await.is_empty());
        // Other filters apply over the hits.
        assert_eq!(found(&app, "q=服务&domain=disability").await.len(), 1);
        // A whole USCC is still an exact lookup.
        let uscc = org_json(2)["uscc"].as_str().unwrap().to_string();
        let (_, v) = send(
            app.anon
                .get(app.url(&format!("/api/v1/organizations?q={uscc}"))),
        )
        .await;
        assert_eq!(
            (v["total"].as_i64(), v.get("matches")),
            (Some(1), None),
            "{v}"
        );

        // The page shows the reason in the reader's language.
        let (st, html) = page(&app, "/organizations?q=yanglao", "zh-CN").await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            html.contains(YANGLAO) && html.contains("名称拼音相符"),
            "{html}"
        );
        let (_, html) = page(&app, "/organizations?q=yl", "en").await;
        assert!(html.contains("Matched the initials of the name"), "{html}");
    }
);

async fn page(app: &TestApp, path: &str, lang: &str) -> (StatusCode, String) {
    let r = app
        .anon
        .get(app.url(path))
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

http_test!(
    a_rename_is_found_at_once_and_a_deregistration_is_marked,
    |app: TestApp| async move {
        let id = org(&app, 1, "测试服务中心1", &["elderly"]).await;
        assert!(found(&app, "q=托老").await.is_empty());
        // Renamed by an approved change application: found by the new name in the next request.
        let member = app
            .client_as(
                "member_a",
                shuniu_domain::access::Role::OrgMember,
                None,
                Some(id.parse().unwrap()),
            )
            .await;
        let (st, a) = send(
            member
                .post(app.url(&format!("/api/v1/organizations/{id}/change-applications")))
                .json(&json!({"changes": {"name": "玄武区夕阳红托老所"}, "attachments": ["决议"], "note": "更名"})),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        let official = app
            .client_as(
                "official_xw",
                shuniu_domain::access::Role::Official,
                Some("320102"),
                None,
            )
            .await;
        let decision = app.url(&format!(
            "/api/v1/change-applications/{}/decision",
            a["id"].as_str().unwrap()
        ));
        let (st, v) = send(official.post(&decision).json(&json!({"action": "approve"}))).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(
            found(&app, "q=托老").await,
            vec![("玄武区夕阳红托老所".into(), "name".into())]
        );
        assert_eq!(found(&app, "q=tuolao").await.len(), 1);
        assert!(
            found(&app, "q=测试服务").await.is_empty(),
            "the old name is gone"
        );

        // Deregistered: still found (marked by its status), and out of the live list.
        let (st, v) = send(
            app.client
                .post(app.url(&format!("/api/v1/organizations/{id}/status")))
                .json(&json!({"status": "deregistered", "reason": "自行解散"})),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let (_, v) = send(app.anon.get(app.url("/api/v1/organizations?q=托老"))).await;
        assert_eq!(v["items"][0]["status"], "deregistered");
        assert!(found(&app, "q=托老&status=active").await.is_empty());
        assert_eq!(found(&app, "q=托老&status=deregistered").await.len(), 1);
        let (_, html) = page(&app, "/organizations?q=托老", "zh-CN").await;
        assert!(html.contains("已注销"), "{html}");
    }
);

http_test!(
    services_are_found_by_words_pinyin_and_description,
    |app: TestApp| async move {
        let id = org(&app, 1, "玄武区阳光社工服务中心", &["elderly"]).await;
        let url = app.url(&format!("/api/v1/organizations/{id}/services"));
        let service = |name: &str, target: &str| {
            json!({
                "name": name, "category": "elderly", "target_group": target,
                "place_kind": "home", "schedule": "周一至周五", "fee": "0"
            })
        };
        let (st, v) = send(
            app.client
                .post(&url)
                .json(&service("上门助浴", "失能养老对象")),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let (st, v) = send(
            app.client
                .post(&url)
                .json(&service("养老助餐配送", "独居老人")),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let meal = v["id"].as_str().unwrap().to_string();

        let list = |q: &'static str| {
            let app = &app;
            async move {
                let (st, v) = send(app.anon.get(app.url(&format!("/api/v1/services?q={q}")))).await;
                assert_eq!(st, StatusCode::OK, "{v}");
                let names: Vec<String> = v["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["name"].as_str().unwrap().to_string())
                    .collect();
                let reasons: Vec<String> = v["matches"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .map(|m| m["reason"].as_str().unwrap().to_string())
                    .collect();
                (names, reasons)
            }
        };
        // The name outranks the target group.
        assert_eq!(
            list("养老").await,
            (
                vec!["养老助餐配送".into(), "上门助浴".into()],
                vec!["name".into(), "description".into()]
            )
        );
        assert_eq!(list("zhucan").await.0, vec!["养老助餐配送".to_string()]);
        assert_eq!(list("szyy").await.0, Vec::<String>::new());
        // Ending a service drops it from the public list at once.
        let (st, v) = send(
            app.client
                .patch(app.url(&format!("/api/v1/organizations/{id}/services/{meal}")))
                .json(&json!({"status": "ended"})),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(list("养老").await.0, vec!["上门助浴".to_string()]);
        // The page shows the reason.
        let (st, html) = page(&app, "/services?q=%E5%85%BB%E8%80%81", "zh-CN").await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("领域或说明相符"), "{html}");
    }
);

http_test!(
    a_start_finds_again_what_the_index_lost,
    |app: TestApp| async move {
        let id = org(&app, 1, "玄武区断电测试养老服务社", &["elderly"]).await;
        let (st, v) = send(
            app.client
                .post(app.url(&format!("/api/v1/organizations/{id}/services")))
                .json(&json!({
                    "name": "断电测试助浴", "category": "elderly", "target_group": "失能老人",
                    "place_kind": "home", "schedule": "周一至周五", "fee": "0"
                })),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let service = v["id"].as_str().unwrap().to_string();
        let services = |app: &TestApp| {
            let url = app.url("/api/v1/services?q=%E6%96%AD%E7%94%B5%E6%B5%8B%E8%AF%95");
            let anon = app.anon.clone();
            async move {
                let (st, v) = send(anon.get(url)).await;
                assert_eq!(st, StatusCode::OK, "{v}");
                v["items"].as_array().unwrap().len()
            }
        };
        assert_eq!(found(&app, "q=断电测试").await.len(), 1);
        assert_eq!(services(&app).await, 1);
        // As if the process had stopped between the store's commits and the index's.
        app.search.delete(&id).unwrap();
        app.search.delete(&service).unwrap();
        assert!(found(&app, "q=断电测试").await.is_empty());
        assert_eq!(services(&app).await, 0);
        let done = shuniu_web::kit::search::catch_up(&app.store, &app.search)
            .await
            .unwrap();
        assert!(done.organizations >= 1 && done.services >= 1, "{done:?}");
        assert_eq!(found(&app, "q=断电测试").await.len(), 1);
        assert_eq!(services(&app).await, 1);
    }
);

http_test!(
    a_start_right_after_a_rebuild_reads_nothing_again,
    |app: TestApp| async move {
        org(&app, 1, "玄武区重建测试养老服务社", &["elderly"]).await;
        // Written a minute before the rebuild: within a serving commit's ten minutes'
        // allowance, but not within a rebuild's.
        let a_minute_ago = (chrono::Utc::now() - chrono::Duration::seconds(60))
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, false);
        app.store
            .execute_raw_for_tests(&format!(
                "UPDATE organizations SET updated_at = '{a_minute_ago}' WHERE id = (SELECT id FROM organizations WHERE name = '玄武区重建测试养老服务社')"
            ))
            .await
            .unwrap();
        let rebuilt = shuniu_web::kit::search::rebuild(&app.store, &app.search)
            .await
            .unwrap();
        assert!(rebuilt.organizations >= 1, "{rebuilt:?}");
        // Everything written before the rebuild began is in it: a start now (after
        // `generate` or `reindex`) has nothing to read again, not the whole registry.
        let done = shuniu_web::kit::search::catch_up(&app.store, &app.search)
            .await
            .unwrap();
        assert_eq!((done.organizations, done.services), (0, 0), "{done:?}");
        assert_eq!(found(&app, "q=重建测试").await.len(), 1);
    }
);
