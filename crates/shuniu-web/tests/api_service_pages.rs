//! The service lists by cursor over HTTP, both engines (issue 11): the public list (by
//! place, nearest first with `near`, the search's hits with `q`), an organization's
//! services and the open-data (HSDS) lists walk forward by `next` and back by `prev`
//! through the same order a single long page has; a garbage cursor, a cursor of
//! another list or order, or a numbered page past the first 10,000 rows is a 422
//! naming it; the HTML list's Previous/Next keep its filters.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::Value;

use crate::api_openapi::document;
use crate::api_queue_pages::walk;
use crate::common::{TestApp, org_json};
use crate::pages_places::{DABEI, GUYILANG, MEIYUAN, add_service, community};

async fn get(client: &reqwest::Client, url: String) -> (StatusCode, Value) {
    let r = client.get(url).send().await.unwrap();
    let st = r.status();
    (st, r.json().await.unwrap_or(Value::Null))
}

/// The `id`s of `v`'s `field` (`items`, or HSDS's `contents`), as `walk` reads them.
fn ids(v: &Value, field: &str) -> Vec<String> {
    v[field]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].to_string())
        .collect()
}

/// Three communities of two streets, one organization, five services among them
/// (named so that neither nearness nor place is their order by name): the
/// organization's id.
async fn services(app: &TestApp) -> String {
    community(app, "320102002000", MEIYUAN, "梅园新村", "Meiyuan Xincun").await;
    community(app, "320102002000", DABEI, "大悲巷", "Dabeixiang").await;
    community(app, "320102003000", GUYILANG, "估衣廊", "Guyilang").await;
    let org = app.create_org(&org_json(1)).await;
    let org = org["id"].as_str().unwrap().to_string();
    for (name, place) in [
        ("助餐甲估衣廊", GUYILANG),
        ("助餐乙大悲巷", DABEI),
        ("助餐丙梅园", MEIYUAN),
        ("助餐丁梅园", MEIYUAN),
        ("助餐戊估衣廊", GUYILANG),
    ] {
        add_service(app, &org, name, place).await;
    }
    org
}

http_test!(
    service_lists_walk_by_cursor_in_each_order,
    |app: TestApp| async move {
        let org = services(&app).await;
        // Each list: its path and filters; `with` adds more to its query.
        let lists = [
            (
                "/api/v1/services".to_string(),
                "category=elderly".to_string(),
            ),
            ("/api/v1/services".to_string(), format!("near={MEIYUAN}")),
            (
                "/api/v1/services".to_string(),
                "q=%E5%8A%A9%E9%A4%90".to_string(),
            ),
            (
                format!("/api/v1/organizations/{org}/services"),
                String::new(),
            ),
        ];
        let with = |(path, filters): &(String, String), more: &str| {
            let sep = if filters.is_empty() { "" } else { "&" };
            format!("{path}?{filters}{sep}{more}")
        };
        for list in &lists {
            let walked = walk(&app.anon, &app, &with(list, "per_page=2"), "id").await;
            let (st, whole) = get(&app.anon, app.url(&with(list, "per_page=200"))).await;
            assert_eq!(st, StatusCode::OK, "{list:?}: {whole}");
            assert_eq!(
                walked,
                ids(&whole, "items"),
                "{list:?}: the walk is the order"
            );
            assert_eq!(walked.len(), 5, "{list:?}: {whole}");
            assert_eq!(
                (
                    whole["total"].as_i64(),
                    whole["total_is_lower_bound"].as_bool()
                ),
                (Some(5), Some(false)),
                "{list:?}"
            );
        }
        // Nearest first across the pages: the community's two, the street's, the rest.
        let (_, near) = get(&app.anon, app.url(&with(&lists[1], "per_page=200"))).await;
        let distances: Vec<&str> = near["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["distance"].as_str().unwrap())
            .collect();
        assert_eq!(
            distances,
            [
                "same_community",
                "same_community",
                "same_street",
                "same_district",
                "same_district"
            ]
        );
        // With words, each page's items carry their reasons.
        let (_, hits) = get(&app.anon, app.url(&with(&lists[2], "per_page=2"))).await;
        assert_eq!(hits["matches"].as_array().map(Vec::len), Some(2), "{hits}");

        // Bad paging is a 422 naming the field; a cursor of another list or order too.
        let mut next_of = vec![];
        for list in &lists[..2] {
            let (_, v) = get(&app.anon, app.url(&with(list, "per_page=1"))).await;
            next_of.push(v["next"].as_str().unwrap().to_string());
        }
        let (by_place, by_nearness) = (&next_of[0], &next_of[1]);
        for (list, other) in [
            (&lists[0], by_nearness),
            (&lists[1], by_place),
            (&lists[2], by_place),
            (&lists[3], by_place),
        ] {
            for (query, field) in [
                ("cursor=garbage!".to_string(), "cursor"),
                (format!("cursor={}", "A".repeat(600)), "cursor"),
                (format!("cursor={other}"), "cursor"),
                ("page=501".to_string(), "page"),
                ("per_page=100&page=101".to_string(), "page"),
            ] {
                let url = with(list, &query);
                let (st, v) = get(&app.anon, app.url(&url)).await;
                assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {v}");
                assert!(v["fields"][field].is_string(), "{url}: {v}");
            }
        }
    }
);

http_test!(
    the_service_page_links_previous_and_next_with_its_filters,
    |app: TestApp| async move {
        services(&app).await;
        let page = |url: String| {
            let app = &app;
            async move {
                let r = app.anon.get(app.url(&url)).send().await.unwrap();
                (r.status(), r.text().await.unwrap())
            }
        };
        let kept = "/services?category=elderly&#38;jurisdiction=320102&#38;per_page=2&#38;cursor=";
        let (st, html) =
            page("/services?category=elderly&jurisdiction=320102&per_page=2".into()).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("共 5 项服务"), "{html}");
        let next = html
            .split(&format!("href=\"{kept}"))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("a Next link keeping the filters: {html}"));
        assert!(
            !html.contains("rel=\"prev\""),
            "the first page has no Previous"
        );
        let (st, html) = page(format!(
            "/services?category=elderly&jurisdiction=320102&per_page=2&cursor={next}"
        ))
        .await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains(&format!("href=\"{kept}")), "{html}");
        assert!(html.contains("rel=\"prev\"") && html.contains("rel=\"next\""));
        let (st, _) = page("/services?cursor=garbage!".into()).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

http_test!(open_data_lists_walk_by_cursor, |app: TestApp| async move {
    services(&app).await;
    app.create_org(&org_json(2)).await;
    // Services two a page (2, 2, 1), organizations one (1, 1).
    for (list, count, per) in [
        ("/api/v1/hsds/services", 5, 2),
        ("/api/v1/hsds/organizations", 2, 1),
    ] {
        let (st, whole) = get(&app.anon, app.url(&format!("{list}?per_page=200"))).await;
        assert_eq!(st, StatusCode::OK, "{list}: {whole}");
        let want = ids(&whole, "contents");
        assert_eq!(want.len(), count, "{list}: {whole}");
        assert_eq!(
            (whole["total_items"].as_i64(), whole["page_number"].as_u64()),
            (Some(count as i64), Some(1))
        );
        let first = format!("{list}?per_page={per}");
        let (_, mut p) = get(&app.anon, app.url(&first)).await;
        assert!(p["first_page"] == true && p["prev"].is_null(), "{p}");
        let mut pages = vec![ids(&p, "contents")];
        while let Some(next) = p["next"].as_str().map(String::from) {
            (_, p) = get(&app.anon, app.url(&format!("{first}&cursor={next}"))).await;
            assert!(
                p.get("page_number").is_none() && p["first_page"] == false,
                "{p}"
            );
            pages.push(ids(&p, "contents"));
            assert!(pages.len() <= count, "the walk ends");
        }
        assert!(p["last_page"] == true, "{p}");
        assert_eq!(pages.concat(), want, "{list}");
        let prev = p["prev"].as_str().unwrap();
        let (_, back) = get(&app.anon, app.url(&format!("{first}&cursor={prev}"))).await;
        assert_eq!(
            ids(&back, "contents"),
            pages[pages.len() - 2],
            "{list}: back one page"
        );
        for (query, field) in [("cursor=garbage!", "cursor"), ("page=201", "page")] {
            let (st, v) = get(&app.anon, app.url(&format!("{list}?{query}"))).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{list}?{query}: {v}");
            assert!(v["fields"][field].is_string(), "{list}?{query}: {v}");
        }
    }
});

/// The property names of schema `name`, through `allOf` and `$ref` (a flattened part,
/// as the pages' `PageInfo` is).
fn fields_of(doc: &Value, name: &str) -> BTreeSet<String> {
    let s = &doc["components"]["schemas"][name];
    assert!(s.is_object(), "schema {name} is missing");
    let mut out: BTreeSet<String> = s["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    for part in s["allOf"].as_array().into_iter().flatten() {
        match part["$ref"].as_str() {
            Some(r) => out.extend(fields_of(doc, r.rsplit('/').next().unwrap())),
            None => out.extend(
                part["properties"]
                    .as_object()
                    .into_iter()
                    .flat_map(|p| p.keys().cloned()),
            ),
        }
    }
    out
}

http_test!(
    the_service_lists_document_their_cursors,
    |app: TestApp| async move {
        let doc = document(&app).await;
        // The service lists page as every list does; the open data keeps HSDS's own
        // page fields beside the cursors.
        assert_eq!(
            fields_of(&doc, "ServicePage"),
            fields_of(&doc, "OrganizationPage")
        );
        let mut hsds = fields_of(&doc, "OrganizationPage");
        hsds.remove("items");
        hsds.remove("matches");
        for f in [
            "contents",
            "empty",
            "first_page",
            "last_page",
            "page_number",
            "size",
            "total_items",
            "total_pages",
        ] {
            hsds.insert(f.to_string());
        }
        assert_eq!(fields_of(&doc, "HsdsPage"), hsds);
        for path in [
            "/api/v1/services",
            "/api/v1/organizations/{id}/services",
            "/api/v1/hsds/services",
            "/api/v1/hsds/organizations",
        ] {
            let params = doc["paths"][path]["get"]["parameters"].as_array().unwrap();
            for name in ["cursor", "page", "per_page"] {
                assert!(
                    params.iter().any(|p| p["name"] == name),
                    "{path}: {name} undocumented"
                );
            }
        }
    }
);
