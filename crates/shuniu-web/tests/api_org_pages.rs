//! `/api/v1/organizations` by cursor: `next` and `prev` walk the list and back, a
//! cursor keeps its place after an insert before it, the total says when it is a lower
//! bound, and a bad cursor or a numbered page past the first 10,000 rows is a 422
//! naming it — on SQLite and PostgreSQL.

use crate::common;

use common::{TestApp, org_json};
use reqwest::StatusCode;
use serde_json::Value;

async fn get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let r = app.client.get(app.url(path)).send().await.unwrap();
    (r.status(), r.json().await.unwrap())
}

fn names(p: &Value) -> Vec<String> {
    p["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_string())
        .collect()
}

async fn create(app: &TestApp, n: u32) {
    let r = app
        .client
        .post(app.url("/api/v1/organizations"))
        .json(&org_json(n))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
}

http_test!(cursors_walk_the_list_and_back, |app: TestApp| async move {
    for n in 10..=19 {
        create(&app, n).await;
    }
    let base = "/api/v1/organizations?jurisdiction=320102&sort=-name&per_page=3";
    let (st, first) = get(&app, base).await;
    assert_eq!(st, StatusCode::OK, "{first}");
    assert_eq!(
        (
            first["total"].as_i64(),
            first["total_is_lower_bound"].as_bool()
        ),
        (Some(10), Some(false))
    );
    assert!(first["prev"].is_null());
    let mut pages = vec![first];
    while let Some(next) = pages.last().unwrap()["next"].as_str().map(String::from) {
        let (st, p) = get(&app, &format!("{base}&cursor={next}")).await;
        assert_eq!(st, StatusCode::OK, "{p}");
        assert!(
            p["page"].is_null(),
            "a page read by cursor has no number: {p}"
        );
        pages.push(p);
        assert!(pages.len() <= 4, "the walk ends");
    }
    assert_eq!(pages.len(), 4);
    let all: Vec<String> = pages.iter().flat_map(names).collect();
    let want: Vec<String> = (10..=19)
        .rev()
        .map(|n| format!("测试服务中心{n}"))
        .collect();
    assert_eq!(all, want);
    // Back by `prev` from the last page: the same pages, in reverse.
    let mut back = pages[3]["prev"].as_str().unwrap().to_string();
    for i in (0..3).rev() {
        let (_, p) = get(&app, &format!("{base}&cursor={back}")).await;
        assert_eq!(names(&p), names(&pages[i]), "page {i}");
        match p["prev"].as_str() {
            Some(c) => back = c.to_string(),
            None => assert_eq!(i, 0),
        }
    }
    // An insert before the cursor moves nothing after it.
    create(&app, 30).await;
    let second = pages[0]["next"].as_str().unwrap();
    let (_, again) = get(&app, &format!("{base}&cursor={second}")).await;
    assert_eq!(names(&again), names(&pages[1]));
    assert_eq!(again["total"], 11);
});

http_test!(
    bad_cursors_and_deep_pages_are_422,
    |app: TestApp| async move {
        for n in 1..=3 {
            create(&app, n).await;
        }
        let (_, p) = get(&app, "/api/v1/organizations?per_page=1").await;
        let cursor = p["next"].as_str().unwrap().to_string();
        let long = "A".repeat(600);
        for (query, field) in [
            ("cursor=garbage!", "cursor"),
            (
                &format!("sort=founded_on&cursor={cursor}") as &str,
                "cursor",
            ),
            (&format!("sort=-name&cursor={cursor}"), "cursor"),
            (&format!("cursor={long}"), "cursor"),
            ("page=501", "page"),
            ("per_page=200&page=51", "page"),
        ] {
            let (st, v) = get(&app, &format!("/api/v1/organizations?{query}")).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {v}");
            assert!(v["fields"][field].is_string(), "{query}: {v}");
        }
        // The last numbered page within the bound is still served, with a cursor onwards.
        let (st, v) = get(&app, "/api/v1/organizations?page=500").await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let (st, v) = get(
            &app,
            &format!("/api/v1/organizations?per_page=1&page=9999&cursor={cursor}"),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::OK,
            "a cursor takes precedence over page: {v}"
        );
        assert_eq!(names(&v), ["测试服务中心2"]);
    }
);

http_test!(the_audit_trail_pages_by_cursor, |app: TestApp| async move {
    for n in 1..=5 {
        create(&app, n).await;
    }
    let base = "/api/v1/audit?action=organization.&per_page=2";
    let seqs = |p: &Value| -> Vec<i64> {
        p["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["seq"].as_i64().unwrap())
            .collect()
    };
    let (st, first) = get(&app, base).await;
    assert_eq!(st, StatusCode::OK, "{first}");
    assert_eq!(
        (
            first["total"].as_i64(),
            first["total_is_lower_bound"].as_bool()
        ),
        (Some(5), Some(false))
    );
    let mut pages = vec![first];
    while let Some(next) = pages.last().unwrap()["next"].as_str().map(String::from) {
        let (st, p) = get(&app, &format!("{base}&cursor={next}")).await;
        assert_eq!(st, StatusCode::OK, "{p}");
        pages.push(p);
        assert!(pages.len() <= 3, "the walk ends");
    }
    let all: Vec<i64> = pages.iter().flat_map(seqs).collect();
    assert_eq!(all.len(), 5);
    assert!(all.windows(2).all(|w| w[0] > w[1]), "newest first: {all:?}");
    let prev = pages[1]["prev"].as_str().unwrap();
    let (_, back) = get(&app, &format!("{base}&cursor={prev}")).await;
    assert_eq!(seqs(&back), seqs(&pages[0]));
    for (query, field) in [("cursor=nonsense", "cursor"), ("page=201", "page")] {
        let (st, v) = get(&app, &format!("/api/v1/audit?{query}")).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {v}");
        assert!(v["fields"][field].is_string(), "{query}: {v}");
    }
});
