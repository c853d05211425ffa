//! Input hardening (issue 10, items 6–9): control characters in queries and forms,
//! strict JSON bodies, every API error as JSON and every page error as HTML, a failed
//! export as an error, and a flood of refusals kept out of the audit trail.

use crate::common;

use common::{TestApp, org_json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shuniu_domain::access::Role;

fn is_json(r: &reqwest::Response) -> bool {
    r.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn is_html(r: &reqwest::Response) -> bool {
    r.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

async fn create(app: &TestApp, body: &Value) -> String {
    app.create_org(body).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn get_json(c: &reqwest::Client, url: String) -> Value {
    c.get(url).send().await.unwrap().json().await.unwrap()
}

async fn count_orgs(app: &TestApp) -> i64 {
    get_json(&app.anon, app.url("/api/v1/organizations")).await["total"]
        .as_i64()
        .unwrap()
}

/// A JSON error answer with `status`, `error` code and (if given) the named field.
async fn expect_json_error(r: reqwest::Response, status: u16, code: &str, field: Option<&str>) {
    assert_eq!(r.status().as_u16(), status, "{:?}", r.url().path());
    assert!(is_json(&r), "not JSON: {:?}", r.headers());
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], code, "{v}");
    if let Some(f) = field {
        assert!(v["fields"][f].is_string(), "{f} not named: {v}");
    }
}

http_test!(
    control_characters_in_queries_are_refused_naming_the_parameter,
    |app: TestApp| async move {
        for (path, param) in [
            ("/api/v1/organizations?q=%00", "q"),
            (
                "/api/v1/organizations?q=a&jurisdiction=3201%0002",
                "jurisdiction",
            ),
            ("/api/v1/audit?actor=%00", "actor"),
            ("/api/v1/audit?action=login%00", "action"),
            ("/api/v1/audit.csv?actor=x%01", "actor"),
            ("/api/v1/hubs?q=%1B", "q"),
        ] {
            let r = app.client.get(app.url(path)).send().await.unwrap();
            expect_json_error(r, 422, "validation_failed", Some(param)).await;
        }
        // Pages answer the HTML error page, naming the parameter too.
        for path in [
            "/organizations?q=%00",
            "/audit?actor=%00",
            "/audit.csv?action=%00",
        ] {
            let r = app.anon.get(app.url(path)).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
            assert!(is_html(&r), "{path}");
        }
        // A search with ordinary text still works.
        let r = app
            .anon
            .get(app.url("/api/v1/organizations?q=%E5%85%BB%E8%80%81"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
);

http_test!(
    control_characters_in_forms_are_refused_and_change_nothing,
    |app: TestApp| async move {
        let r = app
            .anon
            .post(app.url("/login"))
            .form(&[
                ("username", "adm\u{0}in"),
                ("password", "x"),
                ("_csrf", "0"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(is_html(&r));
        let body = r.text().await.unwrap();
        assert!(
            body.contains("控制字符"),
            "the field's problem is said: {body}"
        );
        // Nothing was attempted: no sign-in event.
        assert_eq!(app.audit_records("login.").await.total, 0);
    }
);

http_test!(
    wrong_json_types_are_refused_not_coerced,
    |app: TestApp| async move {
        let id = create(&app, &org_json(1)).await;
        let before = count_orgs(&app).await;
        let mut body = org_json(2);
        body["name"] = json!(12);
        body["address"] = json!(12345);
        body["volunteers"] = json!("10");
        let r = app.post_json("/api/v1/organizations", &body).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let v: Value = r.json().await.unwrap();
        for f in ["name", "address", "volunteers"] {
            assert!(v["fields"][f].is_string(), "{f} not named: {v}");
        }
        assert_eq!(count_orgs(&app).await, before, "nothing was created");
        // A PATCH with a number for text changes nothing either.
        let r = app
            .client
            .patch(app.url(&format!("/api/v1/organizations/{id}")))
            .json(&json!({"address": 12345}))
            .send()
            .await
            .unwrap();
        expect_json_error(r, 422, "validation_failed", Some("address")).await;
        let v = get_json(&app.client, app.url(&format!("/api/v1/organizations/{id}"))).await;
        assert_eq!(v["address"], "梅园新村34号");
        // A reason given as a number.
        let r = app
            .client
            .post(app.url(&format!("/api/v1/organizations/{id}/status")))
            .json(&json!({"status": "suspended", "reason": 0}))
            .send()
            .await
            .unwrap();
        expect_json_error(r, 422, "validation_failed", Some("reason")).await;
        // NUL inside a JSON string is a control character too.
        let r = app
            .client
            .patch(app.url(&format!("/api/v1/organizations/{id}")))
            .json(&json!({"address": "a\u{0}b"}))
            .send()
            .await
            .unwrap();
        expect_json_error(r, 422, "validation_failed", Some("address")).await;
    }
);

http_test!(
    duplicate_keys_and_other_media_types_are_refused,
    |app: TestApp| async move {
        let before = count_orgs(&app).await;
        let body = org_json(3).to_string();
        // The same key twice: which one counts would be a guess.
        let twice = body.replacen('{', "{\"name\": \"重复的名称\", ", 1);
        let r = app
            .client
            .post(app.url("/api/v1/organizations"))
            .header("content-type", "application/json")
            .body(twice)
            .send()
            .await
            .unwrap();
        expect_json_error(r, 422, "validation_failed", Some("name")).await;
        // Not JSON by its type, though JSON by its text: 415.
        for ctype in ["text/plain", "application/x-www-form-urlencoded"] {
            let r = app
                .client
                .post(app.url("/api/v1/organizations"))
                .header("content-type", ctype)
                .body(body.clone())
                .send()
                .await
                .unwrap();
            expect_json_error(r, 415, "unsupported_media_type", None).await;
        }
        let r = app
            .client
            .post(app.url("/api/v1/organizations"))
            .body(body.clone())
            .send()
            .await
            .unwrap();
        expect_json_error(r, 415, "unsupported_media_type", None).await;
        assert_eq!(count_orgs(&app).await, before, "nothing was created");
    }
);

http_test!(
    protocol_errors_are_json_from_the_api_and_html_from_pages,
    |app: TestApp| async move {
        // 405, keeping `Allow`.
        let r = app
            .client
            .delete(app.url("/api/v1/organizations"))
            .send()
            .await
            .unwrap();
        assert!(r.headers().contains_key("allow"), "{:?}", r.headers());
        expect_json_error(r, 405, "method_not_allowed", None).await;
        let r = app
            .anon
            .delete(app.url("/organizations"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert!(is_html(&r));
        // 414.
        let long = format!("/api/v1/organizations?q={}", "x".repeat(9000));
        let r = app.client.get(app.url(&long)).send().await.unwrap();
        expect_json_error(r, 414, "uri_too_long", None).await;
        let long = format!("/organizations?q={}", "x".repeat(9000));
        let r = app.anon.get(app.url(&long)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::URI_TOO_LONG);
        assert!(is_html(&r));
        // 413: a body over 2 MiB.
        let huge = json!({"name": "x".repeat(3 * 1024 * 1024)});
        let r = app.post_json("/api/v1/organizations", &huge).await;
        expect_json_error(r, 413, "payload_too_large", None).await;
        let r = app
            .anon
            .post(app.url("/login"))
            .form(&[("username", "x".repeat(3 * 1024 * 1024))])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert!(is_html(&r));
    }
);

http_test!(
    a_failed_export_is_an_error_not_an_empty_file,
    |app: TestApp| async move {
        // Break reading the trail (not writing it): the export's own record is written,
        // the first chunk cannot be read.
        app.store.disable_audit_guard_for_tests().await;
        let sql = if app.store.dialect() == shuniu_store::Dialect::Postgres {
            "ALTER TABLE audit_log ALTER COLUMN seq TYPE NUMERIC"
        } else {
            "UPDATE audit_log SET at = 'not a time' WHERE seq = 1"
        };
        app.store.execute_raw_for_tests(sql).await.unwrap();
        let r = app
            .client
            .get(app.url("/api/v1/audit.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(is_json(&r));
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"], "internal");
    }
);

http_test!(
    a_flood_of_refusals_is_recorded_once_with_its_count,
    |app: TestApp| async move {
        let id = create(&app, &org_json(4)).await;
        let expert = app.client_as("ex.pert", Role::Expert, None, None).await;
        for _ in 0..20 {
            let r = expert
                .patch(app.url(&format!("/api/v1/organizations/{id}")))
                .json(&json!({"address": "别处"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::FORBIDDEN);
        }
        let denied = app.audit_records("access.denied").await;
        assert_eq!(
            denied.total, 1,
            "one record for the minute: {:?}",
            denied.items
        );
        assert_eq!(denied.items[0].event.actor, "ex.pert");
        let details: Value = serde_json::from_str(&denied.items[0].event.details).unwrap();
        assert_eq!(
            details["suppressed"], 0,
            "the first of its minute: {details}"
        );
    }
);

http_test!(
    the_document_says_unknown_fields_are_refused,
    |app: TestApp| async move {
        let doc = get_json(&app.anon, app.url("/api/openapi.json")).await;
        let mut bodies = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let Some(r) = op.pointer("/requestBody/content/application~1json/schema/$ref")
                else {
                    continue;
                };
                let name = r
                    .as_str()
                    .unwrap()
                    .trim_start_matches("#/components/schemas/");
                let schema = &doc["components"]["schemas"][name];
                assert_eq!(
                    schema["additionalProperties"],
                    json!(false),
                    "{method} {path}: {name} does not say unknown fields are refused"
                );
                bodies += 1;
            }
        }
        assert!(bodies >= 10, "only {bodies} request bodies documented");
        // And the server does refuse them.
        let mut body = org_json(9);
        body["colour"] = json!("red");
        let r = app.post_json("/api/v1/organizations", &body).await;
        expect_json_error(r, 422, "validation_failed", Some("colour")).await;
    }
);
