//! The service catalogue, public contacts and open data over HTTP (issue 12, items 1,
//! 2 and 9): the organization's own staff write, others may not; bad fields are a 422
//! naming each; what is written is listed at once, filtered by category and place; a
//! suspended organization's services leave the list; the public contact is shown in
//! full while the registry's personal phone stays masked; the HSDS 3.0 answers are
//! valid against the specification's schemas and carry no person's phone. Both engines.

use std::path::PathBuf;

use reqwest::StatusCode;
use serde_json::{Value, json};
use shuniu_domain::access::Role;

use crate::common::{TestApp, org_json};

async fn send(r: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let r = r.send().await.expect("the app answers");
    let st = r.status();
    let v = r.json().await.unwrap_or(Value::Null);
    (st, v)
}

fn fields_of(v: &Value) -> Vec<String> {
    let mut f: Vec<String> = v["fields"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    f.sort();
    f
}

/// A service as the domain's draft reads it (every field text).
pub fn meal_text() -> Value {
    let mut v = meal();
    v["capacity"] = json!("40");
    v
}

pub fn meal() -> Value {
    json!({
        "name": "助餐配送",
        "category": "elderly",
        "target_group": "80岁以上独居老人",
        "eligibility": "梅园新村街道常住老人",
        "place_kind": "home",
        "schedule": "周一至周五 11:00–12:30",
        "fee": "12.50",
        "capacity": 40
    })
}

async fn org_and_member(app: &TestApp, n: u32, name: &str) -> (String, reqwest::Client) {
    let org = app.create_org(&org_json(n)).await;
    let id = org["id"].as_str().unwrap().to_string();
    let member = app
        .client_as(name, Role::OrgMember, None, Some(id.parse().unwrap()))
        .await;
    (id, member)
}

http_test!(
    own_staff_keep_the_catalogue_and_it_is_listed_at_once,
    |app: TestApp| async move {
        let (a, member_a) = org_and_member(&app, 1, "member_a").await;
        let (_b, member_b) = org_and_member(&app, 2, "member_b").await;
        let url = app.url(&format!("/api/v1/organizations/{a}/services"));

        let (st, v) = send(member_b.post(&url).json(&meal())).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
        let (st, _) = send(app.anon.post(&url).json(&meal())).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);

        // Every bad field named, nothing stored.
        let bad = json!({"category": "cooking", "place_kind": "venue", "fee": "1.234", "capacity": 0, "colour": "red"});
        let (st, v) = send(member_a.post(&url).json(&bad)).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            fields_of(&v),
            [
                "capacity",
                "category",
                "colour",
                "fee",
                "name",
                "schedule",
                "target_group",
                "venue_id"
            ]
        );
        let mut unknown_place = meal();
        unknown_place["place_kind"] = json!("community");
        unknown_place["jurisdiction"] = json!("320102999999");
        let (st, v) = send(member_a.post(&url).json(&unknown_place)).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["jurisdiction"]);

        let (st, created) = send(member_a.post(&url).json(&meal())).await;
        assert_eq!(st, StatusCode::CREATED, "{created}");
        assert_eq!(created["fee_fen"], 1250);
        assert_eq!(created["self_declared"], true);
        assert_eq!(created["jurisdiction"], "320102002000");
        let sid = created["id"].as_str().unwrap().to_string();

        // Listed at once, by category and place; not under another category or district.
        let list = |q: &str| app.anon.get(app.url(&format!("/api/v1/services{q}")));
        let (st, v) = send(list("?category=elderly&jurisdiction=320102")).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["total"], 1);
        assert_eq!(v["items"][0]["name"], "助餐配送");
        for q in ["?category=children", "?jurisdiction=320104"] {
            assert_eq!(send(list(q)).await.1["total"], 0, "{q}");
        }
        let (st, v) = send(list("?category=cooking&jurisdiction=999999&page=0")).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["category", "jurisdiction", "page"]);

        // PATCH changes what it names; PUT replaces; another's service is not found.
        let one = app.url(&format!("/api/v1/organizations/{a}/services/{sid}"));
        let (st, v) = send(member_a.patch(&one).json(&json!({"status": "paused"}))).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(
            (v["status"].as_str(), v["fee_fen"].as_i64()),
            (Some("paused"), Some(1250))
        );
        let mut free = meal();
        free["fee"] = json!(0);
        let (st, v) = send(member_a.put(&one).json(&free)).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(
            (v["status"].as_str(), v["fee_fen"].as_i64()),
            (Some("active"), Some(0))
        );
        let (st, _) = send(member_b.patch(&one).json(&json!({"status": "ended"}))).await;
        assert_eq!(st, StatusCode::FORBIDDEN);

        // A suspended organization's services are not listed (its own list keeps them).
        let (st, v) = send(app.client.post(app.url(&format!("/api/v1/organizations/{a}/status"))).json(
            &json!({"status": "suspended", "reason": "责令暂停活动", "effective_on": "2026-11-30"}),
        ))
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(send(list("")).await.1["total"], 0);
        assert_eq!(send(app.anon.get(&url)).await.1["total"], 1);
        let (st, _) = send(
            app.anon
                .get(app.url(&format!("/api/v1/hsds/services/{sid}"))),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);

        assert_eq!(app.audit_records("service.create").await.total, 1);
        assert_eq!(app.audit_records("service.update").await.total, 2);
    }
);

/// The HSDS schemas: `SHUNIU_HSDS_SCHEMAS`, else `<workspace>/../shared/hsds-3.0`. A
/// missing directory fails the test.
fn schemas_dir() -> PathBuf {
    let dir = std::env::var_os("SHUNIU_HSDS_SCHEMAS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/hsds-3.0")
        });
    assert!(
        dir.join("compiled/service.json").is_file(),
        "the HSDS 3.0 schemas are not at {} (set SHUNIU_HSDS_SCHEMAS)",
        dir.display()
    );
    dir
}

pub fn validator(name: &str) -> jsonschema::Validator {
    let path = schemas_dir().join("compiled").join(name);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn assert_valid(v: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{doc:#}");
}

http_test!(
    public_contact_in_full_and_hsds_is_valid_without_persons_phones,
    |app: TestApp| async move {
        let (a, member_a) = org_and_member(&app, 3, "member_c").await;
        let contact = json!({"service_phone": "025-84123456", "service_hours": "周一至周五 9:00–17:00", "address": "长江路1号"});
        let curl = app.url(&format!("/api/v1/organizations/{a}/contact"));
        let (st, v) = send(member_a.put(&curl).json(&json!({"service_phone": "12345"}))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(fields_of(&v), ["address", "service_hours", "service_phone"]);
        let (st, v) = send(member_a.put(&curl).json(&contact)).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        // The organization's own phone in full to anyone; the registry's personal phone masked.
        let (_, v) = send(app.anon.get(&curl)).await;
        assert_eq!(v["service_phone"], "025-84123456");
        let (_, rec) = send(app.anon.get(app.url(&format!("/api/v1/organizations/{a}")))).await;
        assert_eq!(rec["contact_phone"], "138****8000");

        let url = app.url(&format!("/api/v1/organizations/{a}/services"));
        let mut at_venue_less = meal();
        at_venue_less["place_kind"] = json!("community");
        at_venue_less["jurisdiction"] = json!("320102002000");
        at_venue_less["fee"] = json!("0");
        for body in [meal(), at_venue_less] {
            let (st, v) = send(member_a.post(&url).json(&body)).await;
            assert_eq!(st, StatusCode::CREATED, "{v}");
        }

        let service_schema = validator("service.json");
        let org_schema = validator("organization.json");
        let (st, page) = send(app.anon.get(app.url("/api/v1/hsds/services?per_page=1"))).await;
        assert_eq!(st, StatusCode::OK, "{page}");
        assert_eq!(
            (page["total_items"].as_i64(), page["total_pages"].as_u64()),
            (Some(2), Some(2))
        );
        let (_, page) = send(app.anon.get(app.url("/api/v1/hsds/services"))).await;
        for s in page["contents"].as_array().unwrap() {
            assert_valid(&service_schema, s);
            let id = s["id"].as_str().unwrap();
            let (st, one) = send(
                app.anon
                    .get(app.url(&format!("/api/v1/hsds/services/{id}"))),
            )
            .await;
            assert_eq!(st, StatusCode::OK, "{one}");
            assert_valid(&service_schema, &one);
            assert_eq!(one["organization"]["phones"][0]["number"], "025-84123456");
        }
        let (_, orgs) = send(app.anon.get(app.url("/api/v1/hsds/organizations"))).await;
        for o in orgs["contents"].as_array().unwrap() {
            assert_valid(&org_schema, o);
        }
        let (st, one) = send(
            app.anon
                .get(app.url(&format!("/api/v1/hsds/organizations/{a}"))),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{one}");
        assert_valid(&org_schema, &one);
        assert_eq!(one["services"].as_array().unwrap().len(), 2);
        // Never a person's phone: the legal representative's mobile appears nowhere.
        for doc in [page.to_string(), orgs.to_string(), one.to_string()] {
            assert!(
                !doc.contains("13812348000") && !doc.contains("8000\""),
                "{doc}"
            );
        }
    }
);
