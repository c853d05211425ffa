//! HTTP tests of the hubs API (recognitions, memberships, structure) on SQLite and PostgreSQL.

use crate::common;

use common::{TestApp, org_json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shuniu_domain::access::Role;

use crate::world::MEIYUAN;
const XINJIEKOU: &str = "320102003000";

async fn send(
    c: &reqwest::Client,
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut rq = c.request(method, app.url(path));
    if let Some(b) = body {
        rq = rq.json(b);
    }
    let resp = rq.send().await.expect("request sent");
    let status = resp.status();
    let text = resp.text().await.unwrap();
    let v = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text:?} ({status})"));
    (status, v)
}

async fn get(c: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, Value) {
    send(c, app, reqwest::Method::GET, path, None).await
}

async fn post(c: &reqwest::Client, app: &TestApp, path: &str, b: &Value) -> (StatusCode, Value) {
    send(c, app, reqwest::Method::POST, path, Some(b)).await
}

/// An organization `n` registered in `place`; its id.
async fn org_in(app: &TestApp, n: u32, place: &str) -> String {
    let mut body = org_json(n);
    body["jurisdiction"] = json!(place);
    registered(app, body).await
}

/// An association (social group) `n` of `place`: what a district industry hub must be.
async fn association_in(app: &TestApp, n: u32, place: &str) -> String {
    let mut body = org_json(n);
    body["jurisdiction"] = json!(place);
    body["legal_form"] = json!("social_group");
    body["uscc"] = json!(crate::world::social_group_uscc(n));
    registered(app, body).await
}

async fn registered(app: &TestApp, body: Value) -> String {
    let (st, v) = post(&app.client, app, "/api/v1/organizations", &body).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().to_string()
}

fn regional(org: &str, place: &str) -> Value {
    json!({
        "organization_id": org,
        "kind": "regional",
        "level": if place.len() == 12 { "street" } else { "district" },
        "jurisdiction": place,
        "recognizing_body": "玄武区民政局",
        "document_number": "玄民〔2012〕12号",
        "recognized_on": "2012-03-01",
        "functions": ["cultivation", "centralized_services"]
    })
}

fn industry(org: &str, base: &str) -> Value {
    json!({
        "organization_id": org,
        "kind": "industry",
        "level": "district",
        "jurisdiction": "320102",
        "base_body": base,
        "fields": ["disability"],
        "recognizing_body": "玄武区民政局",
        "document_number": "玄民〔2013〕3号",
        "recognized_on": "2013-05-01",
        "functions": ["political_guidance"]
    })
}

async fn recognize(app: &TestApp, body: &Value) -> Value {
    let (st, v) = post(&app.client, app, "/api/v1/hubs", body).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    v
}

fn bad_fields(v: &Value) -> Vec<String> {
    assert_eq!(v["error"], "validation_failed", "{v}");
    let mut f: Vec<String> = v["fields"].as_object().unwrap().keys().cloned().collect();
    f.sort();
    f
}

async fn hub_total(app: &TestApp) -> i64 {
    let (st, v) = get(&app.anon, app, "/api/v1/hubs?include_revoked=true").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    v["total"].as_i64().unwrap()
}

http_test!(
    recognition_is_validated_and_guarded,
    |app: TestApp| async move {
        let org = org_in(&app, 1, MEIYUAN).await;
        // Every bad field is named at once.
        let (st, v) = post(&app.client, &app, "/api/v1/hubs", &json!({})).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        let f = bad_fields(&v);
        for name in [
            "organization_id",
            "kind",
            "level",
            "jurisdiction",
            "recognizing_body",
            "document_number",
            "recognized_on",
            "functions",
        ] {
            assert!(f.contains(&name.to_string()), "{name} missing from {f:?}");
        }
        let mut wrong = regional(&org, MEIYUAN);
        wrong["level"] = json!("district");
        wrong["fields"] = json!(["elderly"]);
        wrong["colour"] = json!("red");
        let (st, v) = post(&app.client, &app, "/api/v1/hubs", &wrong).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_fields(&v), vec!["colour", "fields", "level"]);
        // Hub staff and organization members may not recognize; anonymous must sign in.
        let staff = app
            .client_as("staff1", Role::HubStaff, None, Some(org.parse().unwrap()))
            .await;
        let member = app
            .client_as("member1", Role::OrgMember, None, Some(org.parse().unwrap()))
            .await;
        let body = regional(&org, MEIYUAN);
        for c in [&staff, &member] {
            let (st, v) = post(c, &app, "/api/v1/hubs", &body).await;
            assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
        }
        let (st, _) = post(&app.anon, &app, "/api/v1/hubs", &body).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        // An official of another district may not either.
        let other = app
            .client_as("qinhuai", Role::Official, Some("320104"), None)
            .await;
        let (st, _) = post(&other, &app, "/api/v1/hubs", &body).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        assert_eq!(hub_total(&app).await, 0, "refused requests wrote nothing");
        // The official over the street recognizes.
        let official = app
            .client_as("xuanwu", Role::Official, Some("320102"), None)
            .await;
        let (st, v) = post(&official, &app, "/api/v1/hubs", &body).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        assert_eq!(v["kind"], "regional");
        assert_eq!(v["jurisdiction"], MEIYUAN);
        assert_eq!(v["organization_id"], json!(org));
        assert_eq!(v["status"], "recognized");
        assert_eq!(v["member_count"], 0);
        assert_eq!(
            v["functions"],
            json!(["cultivation", "centralized_services"])
        );
        let id = v["id"].as_str().unwrap();
        let (st, got) = get(&app.anon, &app, &format!("/api/v1/hubs/{id}")).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(got, v);
        let (st, _) = get(&app.anon, &app, "/api/v1/hubs/not-a-uuid").await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        // Listed, and filtered by kind.
        let (_, l) = get(
            &app.anon,
            &app,
            "/api/v1/hubs?kind=regional&jurisdiction=320102",
        )
        .await;
        assert_eq!(l["total"], 1);
        let (_, l) = get(&app.anon, &app, "/api/v1/hubs?kind=industry").await;
        assert_eq!(l["total"], 0);
        let (st, l) = get(&app.anon, &app, "/api/v1/hubs?kind=axis&page=0").await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_fields(&l), vec!["kind", "page"]);
        // Keyset paging: the answer carries its cursors; a bad cursor or a page past
        // the first 10,000 rows is named.
        let (st, l) = get(&app.anon, &app, "/api/v1/hubs?per_page=1").await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(
            (l["page"].clone(), l["next"].clone(), l["prev"].clone()),
            (json!(1), Value::Null, Value::Null)
        );
        assert_eq!(l["total_is_lower_bound"], false);
        let (st, l) = get(
            &app.anon,
            &app,
            "/api/v1/hubs?cursor=WyJ4Il0&page=20000&per_page=1",
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_fields(&l), vec!["cursor"]);
        let (st, l) = get(&app.anon, &app, "/api/v1/hubs?page=20000&per_page=1").await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_fields(&l), vec!["page"]);
    }
);

http_test!(
    membership_rules_hold_end_to_end,
    |app: TestApp| async move {
        let o1 = org_in(&app, 1, MEIYUAN).await;
        let o2 = org_in(&app, 2, MEIYUAN).await;
        let o3 = org_in(&app, 3, MEIYUAN).await;
        let o4 = org_in(&app, 4, XINJIEKOU).await;
        let a = recognize(&app, &regional(&o1, MEIYUAN)).await;
        let a = a["id"].as_str().unwrap().to_string();
        // A second regional hub in the same street.
        let (st, v) = post(&app.client, &app, "/api/v1/hubs", &regional(&o2, MEIYUAN)).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(bad_fields(&v).contains(&"jurisdiction".to_string()));
        let b = recognize(&app, &regional(&o4, XINJIEKOU)).await;
        let b = b["id"].as_str().unwrap().to_string();
        // o3's own member applies to A.
        let m3 = app
            .client_as("member3", Role::OrgMember, None, Some(o3.parse().unwrap()))
            .await;
        let apply = json!({"organization_id": o3});
        let (st, v) = post(&m3, &app, &format!("/api/v1/hubs/{a}/applications"), &apply).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        assert_eq!(v["status"], "pending");
        assert_eq!(v["hub_id"], json!(a));
        // Twice.
        let (st, v) = post(&m3, &app, &format!("/api/v1/hubs/{a}/applications"), &apply).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(bad_fields(&v), vec!["hub"]);
        // A regional hub of another street.
        let (st, v) = post(&m3, &app, &format!("/api/v1/hubs/{b}/applications"), &apply).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(bad_fields(&v), vec!["hub"]);
        // Applying for someone else's organization.
        let (st, _) = post(
            &m3,
            &app,
            &format!("/api/v1/hubs/{a}/applications"),
            &json!({"organization_id": o2}),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        // A hub cannot be its own member.
        let (st, v) = post(
            &app.client,
            &app,
            &format!("/api/v1/hubs/{a}/members"),
            &json!({"organization_id": o1}),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(bad_fields(&v), vec!["hub"]);
        // Only one regional hub: o2 joins A, then a district-level regional hub refuses it.
        let staff_a = app
            .client_as("staffa", Role::HubStaff, None, Some(o1.parse().unwrap()))
            .await;
        let (st, v) = post(
            &staff_a,
            &app,
            &format!("/api/v1/hubs/{a}/members"),
            &json!({"organization_id": o2, "initiating": true}),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        assert_eq!(v["status"], "active");
        assert_eq!(v["initiating"], true);
        let o5 = org_in(&app, 5, "320102").await;
        let d = recognize(&app, &regional(&o5, "320102")).await;
        let d = d["id"].as_str().unwrap();
        let (st, v) = post(
            &app.client,
            &app,
            &format!("/api/v1/hubs/{d}/members"),
            &json!({"organization_id": o2}),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        // …but any number of industry hubs.
        let o6 = association_in(&app, 6, "320102").await;
        let i = recognize(&app, &industry(&o6, "玄武区残疾人联合会")).await;
        let i = i["id"].as_str().unwrap();
        let (st, v) = post(
            &app.client,
            &app,
            &format!("/api/v1/hubs/{i}/members"),
            &json!({"organization_id": o2}),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        // People name an organization by its credit code (any case), not only by id.
        let o7 = org_in(&app, 7, "320102").await;
        let (_, rec) = get(&app.client, &app, &format!("/api/v1/organizations/{o7}")).await;
        let uscc = rec["uscc"].as_str().unwrap().to_lowercase();
        let (st, v) = post(
            &app.client,
            &app,
            &format!("/api/v1/hubs/{i}/members"),
            &json!({"organization_id": uscc}),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        assert_eq!(v["organization_id"], json!(o7));
        let (st, v) = post(
            &app.client,
            &app,
            &format!("/api/v1/hubs/{i}/members"),
            &json!({"organization_id": "51320102MJ0000000X"}),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(bad_fields(&v), vec!["organization_id".to_string()]);
        // Staff of hub A may not add members to hub B.
        let (st, _) = post(
            &staff_a,
            &app,
            &format!("/api/v1/hubs/{b}/members"),
            &json!({"organization_id": o4}),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        // The organization's memberships.
        let (st, v) = get(
            &app.anon,
            &app,
            &format!("/api/v1/organizations/{o2}/memberships"),
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(v.as_array().unwrap().len(), 2, "{v}");
        // Anonymous callers see o3's pending application not at all.
        let (_, v) = get(
            &app.anon,
            &app,
            &format!("/api/v1/organizations/{o3}/memberships"),
        )
        .await;
        assert_eq!(v.as_array().unwrap().len(), 0, "{v}");
        let (_, v) = get(
            &m3,
            &app,
            &format!("/api/v1/organizations/{o3}/memberships"),
        )
        .await;
        assert_eq!(v[0]["status"], "pending", "{v}");
    }
);

http_test!(
    applications_are_approved_or_rejected,
    |app: TestApp| async move {
        let o1 = org_in(&app, 1, MEIYUAN).await;
        let o2 = org_in(&app, 2, MEIYUAN).await;
        let o3 = org_in(&app, 3, MEIYUAN).await;
        let hub = recognize(&app, &regional(&o1, MEIYUAN)).await;
        let hub = hub["id"].as_str().unwrap().to_string();
        let staff = app
            .client_as("staff", Role::HubStaff, None, Some(o1.parse().unwrap()))
            .await;
        let mut ids = vec![];
        for (name, o) in [("member2", &o2), ("member3", &o3)] {
            let c = app
                .client_as(name, Role::OrgMember, None, Some(o.parse().unwrap()))
                .await;
            let (st, v) = post(
                &c,
                &app,
                &format!("/api/v1/hubs/{hub}/applications"),
                &json!({"organization_id": o}),
            )
            .await;
            assert_eq!(st, StatusCode::CREATED, "{v}");
            ids.push(v["id"].as_str().unwrap().to_string());
        }
        let members = |q: &'static str| format!("/api/v1/hubs/{hub}/members{q}");
        let (_, v) = get(&staff, &app, &members("?status=pending")).await;
        assert_eq!(v["total"], 2);
        // The public sees active members only, and may not ask for pending ones.
        let (_, v) = get(&app.anon, &app, &members("")).await;
        assert_eq!(v["total"], 0);
        let (st, _) = get(&app.anon, &app, &members("?status=pending")).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        // A member of the applicant may not approve its own application.
        let m2 = app
            .client_as("member2b", Role::OrgMember, None, Some(o2.parse().unwrap()))
            .await;
        let decision = |id: &str| format!("/api/v1/memberships/{id}/decision");
        let (st, _) = post(&m2, &app, &decision(&ids[0]), &json!({"action": "approve"})).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, v) = post(
            &staff,
            &app,
            &decision(&ids[0]),
            &json!({"action": "approve"}),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "active");
        // Rejecting needs a reason.
        let (st, v) = post(
            &staff,
            &app,
            &decision(&ids[1]),
            &json!({"action": "reject"}),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_fields(&v), vec!["reason"]);
        let (st, v) = post(
            &staff,
            &app,
            &decision(&ids[1]),
            &json!({"action": "reject", "reason": "不在服务范围"}),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "rejected");
        assert_eq!(v["reason"], "不在服务范围");
        // Approving a rejected application is a state conflict.
        let (st, _) = post(
            &staff,
            &app,
            &decision(&ids[1]),
            &json!({"action": "approve"}),
        )
        .await;
        assert_eq!(st, StatusCode::CONFLICT);
        // Counts follow.
        let (_, h) = get(&app.anon, &app, &format!("/api/v1/hubs/{hub}")).await;
        assert_eq!(h["member_count"], 1);
        let (_, v) = get(&app.anon, &app, &members("")).await;
        assert_eq!(v["total"], 1);
        assert_eq!(v["items"][0]["organization_id"], json!(o2));
        let (_, v) = get(&staff, &app, &members("?status=rejected")).await;
        assert_eq!(v["total"], 1);
        // History of a membership, for its two sides.
        let (st, v) = get(&m2, &app, &format!("/api/v1/memberships/{}", ids[0])).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let actions: Vec<&str> = v["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, vec!["apply", "approve"]);
        let (st, _) = get(&app.anon, &app, &format!("/api/v1/memberships/{}", ids[0])).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        let m3 = app
            .client_as("member3b", Role::OrgMember, None, Some(o3.parse().unwrap()))
            .await;
        // Another organization's membership is not there for m3 (issue 10: 404, not 403).
        let (st, _) = get(&m3, &app, &format!("/api/v1/memberships/{}", ids[0])).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        // Initiating mark, by the hub side.
        let (st, v) = post(
            &staff,
            &app,
            &format!("/api/v1/memberships/{}/initiating", ids[0]),
            &json!({"initiating": true}),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["initiating"], true);
        // The member leaves.
        let (st, v) = post(&m2, &app, &decision(&ids[0]), &json!({"action": "leave"})).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "left");
        let (_, h) = get(&app.anon, &app, &format!("/api/v1/hubs/{hub}")).await;
        assert_eq!(h["member_count"], 0);
    }
);

http_test!(revocation_ends_memberships, |app: TestApp| async move {
    let o1 = org_in(&app, 1, MEIYUAN).await;
    let o2 = org_in(&app, 2, MEIYUAN).await;
    let hub = recognize(&app, &regional(&o1, MEIYUAN)).await;
    let hub = hub["id"].as_str().unwrap().to_string();
    let (st, m) = post(
        &app.client,
        &app,
        &format!("/api/v1/hubs/{hub}/members"),
        &json!({"organization_id": o2}),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED);
    let staff = app
        .client_as("staff", Role::HubStaff, None, Some(o1.parse().unwrap()))
        .await;
    let url = format!("/api/v1/hubs/{hub}/revoke");
    let (st, _) = post(&staff, &app, &url, &json!({"reason": "自行撤销"})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, v) = post(
        &app.client,
        &app,
        &url,
        &json!({"revoked_on": "2999-01-01"}),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_fields(&v), vec!["reason", "revoked_on"]);
    let (_, h) = get(&app.anon, &app, &format!("/api/v1/hubs/{hub}")).await;
    assert_eq!(
        h["status"], "recognized",
        "refused revocations changed nothing"
    );
    let (st, v) = post(
        &app.client,
        &app,
        &url,
        &json!({"reason": "不再履行枢纽职能"}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "revoked");
    assert_eq!(v["revoke_reason"], "不再履行枢纽职能");
    assert_eq!(v["member_count"], 0);
    let (_, v) = get(
        &app.client,
        &app,
        &format!("/api/v1/memberships/{}", m["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(v["membership"]["status"], "left", "{v}");
    let (st, _) = post(&app.client, &app, &url, &json!({"reason": "again"})).await;
    assert_eq!(st, StatusCode::CONFLICT);
    // Revoked hubs leave the default list and take no applications.
    let (_, l) = get(&app.anon, &app, "/api/v1/hubs").await;
    assert_eq!(l["total"], 0);
    let (st, _) = post(
        &app.client,
        &app,
        &format!("/api/v1/hubs/{hub}/applications"),
        &json!({"organization_id": o2}),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
});

http_test!(structure_comes_from_live_data, |app: TestApp| async move {
    let o1 = org_in(&app, 1, MEIYUAN).await;
    let o2 = org_in(&app, 2, MEIYUAN).await;
    let o3 = org_in(&app, 3, MEIYUAN).await;
    let o6 = association_in(&app, 6, "320102").await;
    let hub = recognize(&app, &regional(&o1, MEIYUAN)).await;
    let hub = hub["id"].as_str().unwrap().to_string();
    let ind = recognize(&app, &industry(&o6, "玄武区残疾人联合会")).await;
    let ind = ind["id"].as_str().unwrap().to_string();
    for (h, o) in [(&hub, &o2), (&hub, &o3), (&ind, &o2)] {
        let (st, v) = post(
            &app.client,
            &app,
            &format!("/api/v1/hubs/{h}/members"),
            &json!({"organization_id": o, "initiating": o == &o3}),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
    }
    let (st, v) = post(
        &app.client,
        &app,
        "/api/v1/structure/320102/core",
        &json!({"name_zh": "玄武区社会组织党建工作委员会", "name_en": "Xuanwu social-organization party-building committee"}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, v) = post(
        &app.client,
        &app,
        "/api/v1/structure/320102/core",
        &json!({}),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_fields(&v), vec!["name_en", "name_zh"]);
    let (st, _) = post(&app.anon, &app, "/api/v1/structure/320102/core", &json!({})).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);

    let (st, d) = get(&app.anon, &app, "/api/v1/structure/320102").await;
    assert_eq!(st, StatusCode::OK, "{d}");
    assert_eq!(d["level"], "district");
    assert_eq!(d["core"]["name_zh"], "玄武区社会组织党建工作委员会");
    let streets = d["streets"].as_array().unwrap();
    assert_eq!(streets.len(), 7, "every Xuanwu street is on the axis");
    let meiyuan = streets
        .iter()
        .find(|s| s["street"]["code"] == MEIYUAN)
        .unwrap();
    assert_eq!(meiyuan["hub"]["id"], json!(hub));
    assert_eq!(meiyuan["hub"]["member_count"], 2);
    assert_eq!(meiyuan["organizations"], 3);
    let xjk = streets
        .iter()
        .find(|s| s["street"]["code"] == XINJIEKOU)
        .unwrap();
    assert!(xjk["hub"].is_null());
    assert_eq!(d["industry"][0]["id"], json!(ind));
    assert_eq!(d["industry"][0]["member_count"], 1);
    assert_eq!(d["organizations"], 4);

    let (st, s) = get(&app.anon, &app, &format!("/api/v1/structure/{MEIYUAN}")).await;
    assert_eq!(st, StatusCode::OK, "{s}");
    assert_eq!(s["level"], "street");
    assert_eq!(s["hub"]["id"], json!(hub));
    let members = s["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(
        members[0]["organization_id"],
        json!(o3),
        "initiating units first"
    );
    assert_eq!(members[0]["initiating"], true);
    for code in ["320100", "999999", "abc", "320102002001"] {
        let (st, _) = get(&app.anon, &app, &format!("/api/v1/structure/{code}")).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{code}");
    }
});

http_test!(openapi_documents_the_hub_paths, |app: TestApp| async move {
    let (st, doc) = get(&app.anon, &app, "/api/openapi.json").await;
    assert_eq!(st, StatusCode::OK);
    for (path, method) in [
        ("/api/v1/hubs", "get"),
        ("/api/v1/hubs", "post"),
        ("/api/v1/hubs/{id}", "get"),
        ("/api/v1/hubs/{id}/revoke", "post"),
        ("/api/v1/hubs/{id}/members", "get"),
        ("/api/v1/hubs/{id}/members", "post"),
        ("/api/v1/hubs/{id}/applications", "post"),
        ("/api/v1/memberships/{id}", "get"),
        ("/api/v1/memberships/{id}/decision", "post"),
        ("/api/v1/memberships/{id}/initiating", "post"),
        ("/api/v1/organizations/{id}/memberships", "get"),
        ("/api/v1/structure/{code}", "get"),
        ("/api/v1/structure/{code}/core", "post"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} undocumented"
        );
    }
    assert!(doc["components"]["schemas"]["HubRecord"]["properties"]["member_count"].is_object());
});
