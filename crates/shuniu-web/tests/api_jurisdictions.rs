//! HTTP tests of `/api/v1/jurisdictions` on SQLite and PostgreSQL.

use crate::common;

use common::{TestApp, org_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let resp = app.client.get(app.url(path)).send().await.unwrap();
    let st = resp.status();
    (st, resp.json().await.expect("JSON body"))
}

async fn create(app: &TestApp, body: Value) -> String {
    let resp = app
        .client
        .post(app.url("/api/v1/organizations"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let v: Value = resp.json().await.unwrap();
    v["id"].as_str().unwrap().to_string()
}

fn with(mut v: Value, changes: Value) -> Value {
    for (k, x) in changes.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

/// `(organizations, staff)` of the child `code` of a node.
fn child(node: &Value, code: &str) -> (i64, i64) {
    let c = node["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("{code} is not a child of {}", node["code"]));
    (
        c["organizations"].as_i64().unwrap(),
        c["staff"].as_i64().unwrap(),
    )
}

fn totals(node: &Value) -> (i64, i64) {
    (
        node["organizations"].as_i64().unwrap(),
        node["staff"].as_i64().unwrap(),
    )
}

use crate::world::MEIYUAN;
const XINJIEKOU: &str = "320102003000";

http_test!(
    roots_and_nodes_describe_the_tree,
    |app: TestApp| async move {
        let (st, roots) = get(&app, "/api/v1/jurisdictions").await;
        assert_eq!(st, StatusCode::OK);
        let roots = roots.as_array().expect("a list of roots");
        assert_eq!(roots.len(), 1, "{roots:?}");
        let js = &roots[0];
        assert_eq!(js["code"], "320000");
        assert_eq!(js["name_zh"], "江苏省");
        assert_eq!(js["level"], "province");
        assert_eq!(js["parent"], Value::Null);
        assert_eq!(js["path"], "320000/");
        assert_eq!(child(js, "320100"), (0, 0));

        let (st, xw) = get(&app, "/api/v1/jurisdictions/320102").await;
        assert_eq!(st, StatusCode::OK);
        let mut keys: Vec<&str> = xw.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "children",
                "code",
                "level",
                "name_en",
                "name_zh",
                "organizations",
                "parent",
                "path",
                "staff"
            ]
        );
        assert_eq!(xw["name_zh"], "玄武区");
        assert_eq!(xw["level"], "district");
        assert_eq!(xw["parent"], "320100");
        assert_eq!(xw["path"], "320000/320100/320102/");
        assert_eq!(totals(&xw), (0, 0));
        let children: Vec<&str> = xw["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            children,
            [
                "320102002000",
                "320102003000",
                "320102005000",
                "320102007000",
                "320102008000",
                "320102009000",
                "320102010000"
            ]
        );
        let c0 = &xw["children"][0];
        let mut ckeys: Vec<&str> = c0.as_object().unwrap().keys().map(String::as_str).collect();
        ckeys.sort();
        assert_eq!(
            ckeys,
            [
                "code",
                "level",
                "name_en",
                "name_zh",
                "organizations",
                "staff"
            ]
        );
        assert_eq!(c0["name_zh"], "梅园新村街道");
        assert_eq!(c0["level"], "street");

        let (st, nj) = get(&app, "/api/v1/jurisdictions/320100").await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(
            nj["children"].as_array().unwrap().len(),
            11,
            "Nanjing's 11 districts"
        );

        let (st, street) = get(&app, &format!("/api/v1/jurisdictions/{MEIYUAN}")).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(street["parent"], "320102");
        assert_eq!(street["path"], "320000/320100/320102/320102002000/");
        assert_eq!(street["children"], json!([]));
    }
);

http_test!(unknown_jurisdictions_are_404, |app: TestApp| async move {
    for code in ["320102999000", "999999", "abc", "%E6%A2%85"] {
        let (st, v) = get(&app, &format!("/api/v1/jurisdictions/{code}")).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{code}");
        assert_eq!(v["error"], "not_found", "{code}");
    }
});

http_test!(
    subtree_counts_follow_creations_edits_and_deregistration,
    |app: TestApp| async move {
        // Two in Meiyuan (6 staff each), one in Xinjiekou (10 + 5).
        let m1 = create(&app, org_json(1)).await;
        let _m2 = create(&app, org_json(2)).await;
        let _x1 = create(
            &app,
            with(
                org_json(3),
                json!({"jurisdiction": XINJIEKOU, "staff_full_time": 10, "staff_part_time": 5}),
            ),
        )
        .await;
        let (_, xw) = get(&app, "/api/v1/jurisdictions/320102").await;
        assert_eq!(totals(&xw), (3, 27));
        assert_eq!(child(&xw, MEIYUAN), (2, 12));
        assert_eq!(child(&xw, XINJIEKOU), (1, 15));
        assert_eq!(child(&xw, "320102005000"), (0, 0));

        // Deregistering one in Meiyuan takes it out of every count up the tree.
        let resp = app
        .client
        .post(app.url(&format!("/api/v1/organizations/{m1}/status")))
        .json(&json!({"status": "deregistered", "reason": "自行解散", "effective_on": "2024-06-30"}))
        .send()
        .await
        .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let (_, xw) = get(&app, "/api/v1/jurisdictions/320102").await;
        assert_eq!(totals(&xw), (2, 21));
        assert_eq!(child(&xw, MEIYUAN), (1, 6));
        assert_eq!(child(&xw, XINJIEKOU), (1, 15));
        let (_, street) = get(&app, &format!("/api/v1/jurisdictions/{MEIYUAN}")).await;
        assert_eq!(totals(&street), (1, 6));
        let (_, nj) = get(&app, "/api/v1/jurisdictions/320100").await;
        assert_eq!(totals(&nj), (2, 21));
        assert_eq!(child(&nj, "320102"), (2, 21));
        assert_eq!(child(&nj, "320104"), (0, 0));
        let (_, roots) = get(&app, "/api/v1/jurisdictions").await;
        assert_eq!(totals(&roots[0]), (2, 21));
        assert_eq!(child(&roots[0], "320100"), (2, 21));

        // Moving the Xinjiekou one to Meiyuan with more staff moves its count. Staff is
        // the organization's own declaration; the move is a registered fact and goes
        // through a change application the district (the authority) approves (issue 9).
        let resp = app
            .client
            .patch(app.url(&format!("/api/v1/organizations/{_x1}")))
            .json(&json!({"staff_part_time": 7}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let authority = app
            .client_as(
                "authority",
                shuniu_domain::access::Role::Official,
                Some("320102"),
                None,
            )
            .await;
        let resp = authority
            .post(app.url(&format!("/api/v1/organizations/{_x1}/change-applications")))
            .json(&json!({"changes": {"jurisdiction": MEIYUAN}, "attachments": ["新住所证明"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::CREATED);
        let application: Value = resp.json().await.unwrap();
        let resp = authority
            .post(app.url(&format!(
                "/api/v1/change-applications/{}/decision",
                application["id"].as_str().unwrap()
            )))
            .json(&json!({"action": "approve"}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let (_, xw) = get(&app, "/api/v1/jurisdictions/320102").await;
        assert_eq!(totals(&xw), (2, 23));
        assert_eq!(child(&xw, MEIYUAN), (2, 23));
        assert_eq!(child(&xw, XINJIEKOU), (0, 0));
    }
);
