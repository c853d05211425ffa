//! The hubs, service-parks and party-building web layer under hostile use, on SQLite and
//! PostgreSQL: bad input never yields a 500 (and changes nothing), refused callers learn
//! nothing they may not see, page forms check the CSRF token, and changes are audited
//! under the caller's name.

use crate::common;
use crate::pages_support;
use crate::world;

use common::TestApp;
use pages_support::accounts::{PASSWORD, csrf_in, get_with, make_user, post_with, signed_in};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shuniu_domain::access::Role;
use shuniu_domain::audit::Outcome;
use world::{Fixture, MEIYUAN, day};

/// Successful (changing) audit records: the measure of "nothing changed".
async fn changes(app: &TestApp) -> i64 {
    app.store
        .audit_page(
            &shuniu_store::AuditFilter {
                outcome: Some(Outcome::Success),
                ..Default::default()
            },
            1,
            1,
        )
        .await
        .unwrap()
        .total
}

/// One request: the status and the body (JSON if it is JSON, else `Value::String`).
async fn send(
    app: &TestApp,
    c: &reqwest::Client,
    method: &Method,
    path: &str,
    body: Option<&str>,
) -> (u16, Value, String) {
    let mut req = c.request(method.clone(), app.url(path));
    if let Some(b) = body {
        req = req
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(b.to_string());
    }
    let r = req
        .send()
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = r.text().await.unwrap_or_default();
    let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, v, ct)
}

/// Sends each case; collects every answer that is a 5xx (or a dropped connection), an
/// API error that is not JSON, or a refusal that nevertheless changed something.
async fn probe(
    app: &TestApp,
    c: &reqwest::Client,
    cases: &[(Method, String, Option<String>)],
) -> Vec<String> {
    let mut bad = Vec::new();
    for (m, path, body) in cases {
        let before = changes(app).await;
        let mut req = c.request(m.clone(), app.url(path));
        if let Some(b) = body {
            req = req
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(b.clone());
        }
        let r = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                bad.push(format!("{m} {path} {body:?}: connection failed ({e})"));
                continue;
            }
        };
        let st = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        let after = changes(app).await;
        if st >= 500 {
            bad.push(format!("{m} {path} {body:?}: {st} {text}"));
        } else if st >= 400 {
            if after != before {
                bad.push(format!("{m} {path} {body:?}: {st} yet changed something"));
            }
            if path.starts_with("/api/") {
                match serde_json::from_str::<Value>(&text) {
                    Ok(v) if v["error"].is_string() => {
                        if st == 422 && v["fields"].as_object().is_none_or(|f| f.is_empty()) {
                            bad.push(format!("{m} {path} {body:?}: 422 naming no field: {v}"));
                        }
                    }
                    _ => bad.push(format!(
                        "{m} {path} {body:?}: {st} without a JSON error: {text}"
                    )),
                }
            }
        }
    }
    bad
}

const BAD_IDS: &[&str] = &[
    "not-a-uuid",
    "00000000-0000-0000-0000-00000000000g",
    "1",
    "%00",
    "%E2%80%8B",
    "null",
    "0196a7a0-0000-7000-8000-000000000000",
];

/// Every issue-4 API route with an id, the id replaced by `{}`.
const ID_ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v1/hubs/{}"),
    ("POST", "/api/v1/hubs/{}/revoke"),
    ("GET", "/api/v1/hubs/{}/members"),
    ("POST", "/api/v1/hubs/{}/members"),
    ("POST", "/api/v1/hubs/{}/applications"),
    ("GET", "/api/v1/hubs/{}/coverage"),
    ("GET", "/api/v1/memberships/{}"),
    ("POST", "/api/v1/memberships/{}/decision"),
    ("POST", "/api/v1/memberships/{}/initiating"),
    ("GET", "/api/v1/organizations/{}/memberships"),
    ("GET", "/api/v1/organizations/{}/party"),
    ("POST", "/api/v1/organizations/{}/party"),
    ("GET", "/api/v1/structure/{}"),
    ("POST", "/api/v1/structure/{}/core"),
    ("GET", "/api/v1/coverage/{}"),
    ("GET", "/api/v1/coverage/{}/uncovered"),
    ("GET", "/api/v1/venues/{}"),
    ("PATCH", "/api/v1/venues/{}"),
    ("POST", "/api/v1/venues/{}/spaces"),
    ("GET", "/api/v1/venues/{}/obligations"),
    ("POST", "/api/v1/venues/{}/obligations"),
    ("GET", "/api/v1/spaces/{}"),
    ("PATCH", "/api/v1/spaces/{}"),
    ("GET", "/api/v1/spaces/{}/bookings"),
    ("POST", "/api/v1/spaces/{}/bookings"),
    ("GET", "/api/v1/spaces/{}/allocations"),
    ("POST", "/api/v1/spaces/{}/allocations"),
    ("GET", "/api/v1/bookings/{}"),
    ("POST", "/api/v1/bookings/{}/cancel"),
    ("POST", "/api/v1/allocations/{}/end"),
];

/// JSON values of every wrong kind, sent in place of each field.
fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!([]),
        json!(["x"]),
        json!({}),
        json!(true),
        json!(1.5),
        json!(-1),
        json!(1e300),
        json!(u64::MAX),
        json!(""),
        json!("\u{0}"),
        json!("a\u{7}b\u{202e}"),
        json!("x".repeat(5000)),
        json!("2026-02-30"),
        json!("+99999-01-01"),
        json!("-200000-01-01"),
        json!("+262143-12-31"),
        json!("24:00"),
        json!("7:5"),
        json!("2026Q0"),
        json!("99999Q1"),
        json!("00000000-0000-0000-0000-00000000000g"),
    ]
}

/// The write routes with a valid body each: every field is replaced in turn.
fn write_routes(f: &Fixture) -> Vec<(Method, String, Value)> {
    vec![
        (
            Method::POST,
            "/api/v1/hubs".into(),
            world::regional_json(f.org_a, "320102007000"),
        ),
        (
            Method::POST,
            format!("/api/v1/hubs/{}/revoke", f.hub),
            json!({"reason": "撤销", "revoked_on": day(0)}),
        ),
        (
            Method::POST,
            format!("/api/v1/hubs/{}/members", f.hub),
            json!({"organization_id": f.org_a, "initiating": true}),
        ),
        (
            Method::POST,
            format!("/api/v1/hubs/{}/applications", f.hub),
            json!({"organization_id": f.org_a}),
        ),
        (
            Method::POST,
            format!("/api/v1/memberships/{}/decision", f.membership),
            json!({"action": "suspend", "reason": "暂停"}),
        ),
        (
            Method::POST,
            format!("/api/v1/memberships/{}/initiating", f.membership),
            json!({"initiating": true}),
        ),
        (
            Method::POST,
            "/api/v1/structure/320102/core".into(),
            json!({"name_zh": "玄武区社会组织党建工作委员会", "name_en": "Xuanwu core"}),
        ),
        (
            Method::POST,
            "/api/v1/venues".into(),
            world::venue_json(f.hub),
        ),
        (
            Method::PATCH,
            format!("/api/v1/venues/{}", f.venue),
            json!({"name": "新名字", "area_m2": 401, "jurisdiction": MEIYUAN}),
        ),
        (
            Method::POST,
            format!("/api/v1/venues/{}/spaces", f.venue),
            json!({"name": "会议室", "kind": "meeting_room", "capacity": 10, "area_m2": 20}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/spaces/{}", f.room),
            json!({"name": "活动室", "capacity": 20}),
        ),
        (
            Method::POST,
            format!("/api/v1/spaces/{}/bookings", f.room),
            world::booking_json(f.org_c, 3, 4),
        ),
        (
            Method::POST,
            format!("/api/v1/spaces/{}/allocations", f.office),
            json!({"organization_id": f.org_a, "starts_on": day(200), "ends_on": day(300)}),
        ),
        (
            Method::POST,
            format!("/api/v1/allocations/{}/end", f.allocation),
            json!({"ended_on": day(10)}),
        ),
        (
            Method::POST,
            format!("/api/v1/bookings/{}/cancel", f.booking),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/venues/{}/obligations", f.venue),
            json!({"organization_id": f.org_c, "quarter": "2026Q1", "service_hours": 10, "residents_served": 5, "note": "ok"}),
        ),
        (
            Method::POST,
            format!("/api/v1/organizations/{}/party", f.org_a),
            json!({"party_org": "joint_branch", "party_members": 1, "instructor_id": f.instructor}),
        ),
        (
            Method::POST,
            "/api/v1/instructors".into(),
            json!({"name": "王芳", "phone": "13912340000", "jurisdiction": "320102", "workplace": "党建工作站"}),
        ),
    ]
}

/// Query strings of every bad kind for every issue-4 list route.
fn query_cases(f: &Fixture) -> Vec<String> {
    let mut out = Vec::new();
    let paged = [
        "/api/v1/hubs".to_string(),
        format!("/api/v1/hubs/{}/members", f.hub),
        "/api/v1/venues".into(),
        "/api/v1/instructors".into(),
        "/api/v1/coverage/320102/uncovered".into(),
        format!("/api/v1/hubs/{}/coverage", f.hub),
    ];
    for p in &paged {
        for q in [
            "page=0",
            "page=-1",
            "page=99999999999999999999",
            "per_page=100000",
            "per_page=0",
            "page=1&page=2",
            "page[]=1",
            "page=%00",
            "status=nope",
            "kind=nope",
            "jurisdiction=99",
            "jurisdiction=999999",
            "hub=nope",
            "gap=nope",
            "gap=%E2%80%AE",
        ] {
            out.push(format!("{p}?{q}"));
        }
    }
    let cal = format!("/api/v1/spaces/{}/bookings", f.room);
    for q in [
        "from=2026-02-30",
        "from=+262143-12-31",
        "from=-262144-01-01",
        "to=+262143-12-31",
        "from=-262144-01-01&to=-262144-01-02",
        "from=+262143-12-30&to=+262143-12-31",
        "from=2026-01-01T24:00",
        "from=2026-01-01T7:5",
        "from=9999-12-31T23:59:59Z",
        "from=2026-01-02&to=2026-01-01",
        "from=2000-01-01&to=2026-01-01",
    ] {
        out.push(format!("{cal}?{q}"));
    }
    let obl = format!("/api/v1/venues/{}/obligations", f.venue);
    for q in ["quarters=0", "quarters=-1", "quarters=100000", "quarters=x"] {
        out.push(format!("{obl}?{q}"));
    }
    out
}

// ---------------------------------------------------------------- 1. bad input

http_test!(
    api_bad_ids_and_queries_never_500,
    |app: TestApp| async move {
        let f = world::build(&app).await;
        let mut cases = Vec::new();
        for (m, route) in ID_ROUTES {
            for id in BAD_IDS {
                let m: Method = m.parse().unwrap();
                let body = (m != Method::GET).then(|| "{}".to_string());
                cases.push((m, route.replace("{}", id), body));
            }
        }
        for q in query_cases(&f) {
            cases.push((Method::GET, q, None));
        }
        let bad = probe(&app, &app.client, &cases).await;
        assert!(
            bad.is_empty(),
            "{} bad answers:\n{}",
            bad.len(),
            bad.join("\n")
        );
        // Malformed ids are unknown ids: 404 with a JSON error.
        let (st, v, _) = send(
            &app,
            &app.client,
            &Method::GET,
            "/api/v1/hubs/not-a-uuid",
            None,
        )
        .await;
        assert_eq!(st, 404, "{v}");
        assert_eq!(v["error"], "not_found");
        let (st, v, _) = send(
            &app,
            &app.client,
            &Method::GET,
            "/api/v1/hubs?page=0&per_page=100000",
            None,
        )
        .await;
        assert_eq!(st, 422, "{v}");
        assert!(
            v["fields"]["page"].is_string() && v["fields"]["per_page"].is_string(),
            "{v}"
        );
    }
);

http_test!(api_bad_bodies_never_500, |app: TestApp| async move {
    let f = world::build(&app).await;
    let mut cases = Vec::new();
    for (m, path, base) in write_routes(&f) {
        for raw in [
            "",
            "null",
            "[]",
            "\"x\"",
            "{",
            "{\"zzz\": 1}",
            "1e999",
            "{\"a\":1,\"a\":2}",
        ] {
            cases.push((m.clone(), path.clone(), Some(raw.to_string())));
        }
        let obj = base.as_object().unwrap();
        for key in obj.keys() {
            for v in odd_values() {
                let mut b = obj.clone();
                b.insert(key.clone(), v);
                cases.push((m.clone(), path.clone(), Some(Value::Object(b).to_string())));
            }
        }
    }
    let bad = probe(&app, &app.client, &cases).await;
    assert!(
        bad.is_empty(),
        "{} bad answers:\n{}",
        bad.len(),
        bad.join("\n")
    );
});

// Values that look like data but are not: each must be a 422 naming its field.
http_test!(api_weird_values_are_named, |app: TestApp| async move {
    let f = world::build(&app).await;
    let room = format!("/api/v1/spaces/{}/bookings", f.room);
    let office = format!("/api/v1/spaces/{}/allocations", f.office);
    let revoke = format!("/api/v1/hubs/{}/revoke", f.hub);
    let report = format!("/api/v1/venues/{}/obligations", f.venue);
    let book = |k: &str, v: Value| {
        let mut b = world::booking_json(f.org_c, 3, 4);
        b[k] = v;
        b
    };
    let rep = |k: &str, v: Value| {
        let mut b = json!({"organization_id": f.org_c, "quarter": "2026Q1", "service_hours": 10});
        b[k] = v;
        b
    };
    let cases: Vec<(String, Value, &str)> = vec![
        (room.clone(), book("date", json!("2026-02-30")), "date"),
        (room.clone(), book("date", json!("+99999-01-01")), "date"),
        (room.clone(), book("date", json!("-200000-01-01")), "date"),
        (room.clone(), book("start", json!("24:00")), "start"),
        (room.clone(), book("start", json!("7:5")), "start"),
        (
            room.clone(),
            book("attendees", json!(u64::MAX)),
            "attendees",
        ),
        // A count sent as a string is refused, not coerced (issue 10).
        (room.clone(), book("attendees", json!("12")), "attendees"),
        (
            room.clone(),
            book("organization_id", json!(["x"])),
            "organization_id",
        ),
        (room.clone(), book("purpose", json!("a\u{0}b")), "purpose"),
        (
            office.clone(),
            json!({"organization_id": f.org_a, "starts_on": "-200000-01-01", "ends_on": day(1)}),
            "starts_on",
        ),
        (
            office.clone(),
            json!({"organization_id": f.org_a, "starts_on": day(400), "ends_on": "+200000-01-01"}),
            "ends_on",
        ),
        (
            office.clone(),
            json!({"organization_id": f.org_a, "starts_on": "2026-02-30", "ends_on": day(1)}),
            "starts_on",
        ),
        (revoke.clone(), json!({"reason": "a\u{0}b"}), "reason"),
        (
            revoke.clone(),
            json!({"reason": "r", "revoked_on": "-200000-01-01"}),
            "revoked_on",
        ),
        (
            revoke.clone(),
            json!({"reason": "r", "revoked_on": "1000-01-01"}),
            "revoked_on",
        ),
        (
            revoke.clone(),
            json!({"reason": "r", "revoked_on": "2026-02-30"}),
            "revoked_on",
        ),
        (
            "/api/v1/structure/320102/core".into(),
            json!({"name_zh": "核\u{0}心", "name_en": "core"}),
            "name_zh",
        ),
        (report.clone(), rep("quarter", json!("2026Q0")), "quarter"),
        (report.clone(), rep("quarter", json!("99999Q1")), "quarter"),
        (
            report.clone(),
            rep("service_hours", json!(-1)),
            "service_hours",
        ),
        (
            report.clone(),
            rep("service_hours", json!(1e20)),
            "service_hours",
        ),
        (
            format!("/api/v1/allocations/{}/end", f.allocation),
            json!({"ended_on": "+200000-01-01"}),
            "ended_on",
        ),
        (
            format!("/api/v1/allocations/{}/end", f.allocation),
            json!({"ended_on": "-200000-01-01"}),
            "ended_on",
        ),
    ];
    let mut bad = Vec::new();
    for (path, body, field) in &cases {
        let before = changes(&app).await;
        let (st, v, _) = send(
            &app,
            &app.client,
            &Method::POST,
            path,
            Some(&body.to_string()),
        )
        .await;
        if st != 422 || !v["fields"][*field].is_string() {
            bad.push(format!(
                "{path} {body}: expected 422 naming {field}, got {st} {v}"
            ));
        }
        if changes(&app).await != before {
            bad.push(format!("{path} {body}: changed something"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} wrong answers:\n{}",
        bad.len(),
        bad.join("\n")
    );
    // A reason typed on two lines (the page's textarea) is not a control character.
    let (st, v, _) = send(
        &app,
        &app.client,
        &Method::POST,
        &revoke,
        Some(&json!({"reason": "合并\r\n另设枢纽"}).to_string()),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["revoke_reason"], "合并\r\n另设枢纽");
});

http_test!(pages_bad_input_never_500, |app: TestApp| async move {
    let f = world::build(&app).await;
    // The admin's bearer client: no CSRF needed, so every form reaches its checks.
    let mut bad = Vec::new();
    let gets = [
        "/hubs?page=0&per_page=100000&kind=x&jurisdiction=99".to_string(),
        "/hubs?page=-1".into(),
        "/hubs/new?organization=nope".into(),
        "/hubs/not-a-uuid".into(),
        format!("/hubs/{}?status=nope&page=-1", f.hub),
        format!("/hubs/{}?page=99999999999999999999", f.hub),
        "/memberships/nope".into(),
        "/structure/nope".into(),
        "/structure/320102002000".into(),
        "/structure/999999".into(),
        "/venues?page=0&hub=nope&jurisdiction=1".into(),
        "/venues/nope".into(),
        "/venues/nope/edit".into(),
        "/spaces/nope".into(),
        format!("/spaces/{}?week=2026-02-30", f.room),
        format!("/spaces/{}?week=%2B262143-12-31", f.room),
        format!("/spaces/{}?week=-262144-01-01", f.room),
        format!("/spaces/{}?week=%2B99999-06-01", f.room),
        format!("/spaces/{}?week=0001-01-01", f.room),
        "/organizations/nope/party".into(),
        "/instructors?page=0&per_page=100000&jurisdiction=x".into(),
        "/coverage/nope".into(),
        "/coverage/320102?gap=nope&page=-1".into(),
        "/hubs/nope/coverage".into(),
        format!("/hubs/{}/coverage?gap=nope&per_page=100000", f.hub),
    ];
    for p in &gets {
        let r = app.client.get(app.url(p)).send().await;
        match r {
            Ok(r) if r.status().as_u16() < 500 => {}
            Ok(r) => bad.push(format!("GET {p}: {}", r.status())),
            Err(e) => bad.push(format!("GET {p}: {e}")),
        }
    }
    let odd = [
        "",
        "\u{0}",
        "x\u{7}\u{202e}",
        "2026-02-30",
        "+262143-12-31",
        "-262144-01-01",
        "+99999-01-01",
        "24:00",
        "7:5",
        "2026Q0",
        "-1",
        "99999999999999999999",
        "nope",
    ];
    let forms: Vec<(String, Vec<&str>)> = vec![
        (
            "/hubs".into(),
            vec![
                "organization_id",
                "kind",
                "level",
                "jurisdiction",
                "recognized_on",
                "functions",
                "fields",
            ],
        ),
        (
            format!("/hubs/{}/revoke", f.hub),
            vec!["reason", "revoked_on"],
        ),
        (
            format!("/hubs/{}/members", f.hub),
            vec!["organization_id", "initiating"],
        ),
        (
            format!("/hubs/{}/applications", f.hub),
            vec!["organization_id"],
        ),
        (
            format!("/memberships/{}/decision", f.membership),
            vec!["action", "reason", "back"],
        ),
        (
            format!("/memberships/{}/initiating", f.membership),
            vec!["initiating"],
        ),
        ("/structure/320102/core".into(), vec!["name_zh", "name_en"]),
        (
            "/venues".into(),
            vec![
                "hub_id",
                "name",
                "jurisdiction",
                "area_m2",
                "obligation_hours_per_quarter",
            ],
        ),
        (
            format!("/venues/{}/edit", f.venue),
            vec!["name", "jurisdiction", "area_m2"],
        ),
        (
            format!("/venues/{}/spaces", f.venue),
            vec!["name", "kind", "capacity", "area_m2"],
        ),
        (
            format!("/spaces/{}/allocations", f.office),
            vec!["space_id", "organization_id", "starts_on", "ends_on"],
        ),
        (
            format!("/allocations/{}/end", f.allocation),
            vec!["ended_on"],
        ),
        (
            format!("/spaces/{}/bookings", f.room),
            vec!["organization_id", "date", "start", "end", "attendees"],
        ),
        (
            format!("/venues/{}/reports", f.venue),
            vec![
                "organization_id",
                "quarter",
                "service_hours",
                "residents_served",
            ],
        ),
        (
            format!("/organizations/{}/party", f.org_a),
            vec!["party_org", "party_members", "instructor_id"],
        ),
        ("/instructors".into(), vec!["name", "phone", "jurisdiction"]),
    ];
    for (path, keys) in &forms {
        for key in keys {
            for v in odd {
                let before = changes(&app).await;
                let form = [(*key, v.to_string())];
                let r = app.client.post(app.url(path)).form(&form).send().await;
                let st = match r {
                    Ok(r) => r.status().as_u16(),
                    Err(e) => {
                        bad.push(format!("POST {path} {key}={v:?}: {e}"));
                        continue;
                    }
                };
                if st >= 500 {
                    bad.push(format!("POST {path} {key}={v:?}: {st}"));
                } else if st >= 400 && changes(&app).await != before {
                    bad.push(format!(
                        "POST {path} {key}={v:?}: {st} yet changed something"
                    ));
                }
            }
        }
        // Not a form at all, and a form with repeated keys.
        for (ct, body) in [
            ("application/json", "{\"a\": 1}"),
            ("application/x-www-form-urlencoded", "%ZZ=%"),
            (
                "application/x-www-form-urlencoded",
                "date=1&date=2&start=1&start=2",
            ),
        ] {
            let r = app
                .client
                .post(app.url(path))
                .header(reqwest::header::CONTENT_TYPE, ct)
                .body(body)
                .send()
                .await
                .unwrap();
            if r.status().as_u16() >= 500 {
                bad.push(format!("POST {path} {ct} {body}: {}", r.status()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} bad answers:\n{}",
        bad.len(),
        bad.join("\n")
    );
});

// The booking form shows a bad date inline (422 page) instead of failing.
http_test!(
    page_booking_with_absurd_date_is_inline,
    |app: TestApp| async move {
        let f = world::build(&app).await;
        let before = changes(&app).await;
        for date in ["-262144-01-01", "+262143-12-31", "2026-02-30"] {
            let r = app
                .client
                .post(app.url(&format!("/spaces/{}/bookings", f.room)))
                .form(&[
                    ("organization_id", f.org_c.to_string()),
                    ("date", date.to_string()),
                    ("start", "09:00".into()),
                    ("end", "10:00".into()),
                    ("purpose", "议事会".into()),
                    ("attendees", "5".into()),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{date}");
            let html = r.text().await.unwrap();
            assert!(html.contains("id=\"field-date\""), "{date}: no date field");
            assert!(html.contains(date), "{date}: the typed value is not kept");
        }
        assert_eq!(changes(&app).await, before);
    }
);

// ---------------------------------------------------------------- 2. access

http_test!(
    anonymous_callers_see_no_bookers_or_phones,
    |app: TestApp| async move {
        let f = world::build(&app).await;
        // The instructor is C's, so C's party page carries a phone.
        let (st, v) = world::admin_post(
        &app,
        &format!("/api/v1/organizations/{}/party", f.org_c),
        &json!({"party_org": "joint_branch", "party_members": 2, "instructor_id": f.instructor}),
    )
    .await;
        assert_eq!(st, 200, "{v}");
        let (_, v, _) = send(
            &app,
            &app.anon,
            &Method::GET,
            &format!("/api/v1/bookings/{}", f.booking),
            None,
        )
        .await;
        assert!(v["booked_by"].is_null(), "anonymous sees the booker: {v}");
        let range = format!(
            "/api/v1/spaces/{}/bookings?from={}&to={}",
            f.room,
            day(0),
            day(14)
        );
        let (st, v, _) = send(&app, &app.anon, &Method::GET, &range, None).await;
        assert_eq!(st, 200, "{v}");
        let items = v.as_array().unwrap();
        assert!(!items.is_empty());
        assert!(items.iter().all(|b| b["booked_by"].is_null()), "{v}");
        // The admin who booked sees it.
        let (_, v, _) = send(
            &app,
            &app.client,
            &Method::GET,
            &format!("/api/v1/bookings/{}", f.booking),
            None,
        )
        .await;
        assert_eq!(v["booked_by"], "admin");
        // Instructor phone masked for the anonymous.
        let (st, v, _) = send(
            &app,
            &app.anon,
            &Method::GET,
            &format!("/api/v1/organizations/{}/party", f.org_c),
            None,
        )
        .await;
        assert_eq!(st, 200, "{v}");
        let phone = v["instructor"]["phone"].as_str().unwrap();
        assert_ne!(phone, "13912345678");
        assert!(phone.contains('*'), "{phone}");
        // Pages: no booker's name, no phone.
        let week = world::today() + chrono::Duration::days(7);
        let html = app
            .anon
            .get(app.url(&format!("/spaces/{}?week={week}", f.room)))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("社区议事会"),
            "the booking is on the calendar"
        );
        assert!(
            !html.contains(">admin<") && !html.contains("admin"),
            "booker leaked"
        );
        let html = app
            .anon
            .get(app.url(&format!("/organizations/{}/party", f.org_c)))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("李明"));
        assert!(!html.contains("13912345678"), "phone leaked");
        // The instructor register is not public at all.
        let (st, _, _) = send(&app, &app.anon, &Method::GET, "/api/v1/instructors", None).await;
        assert_eq!(st, 401);
    }
);

http_test!(
    anonymous_callers_see_only_active_members,
    |app: TestApp| async move {
        let f = world::build(&app).await;
        // A pending application by A, and C suspended.
        let a_staff = app
            .client_as("a_staff", Role::OrgMember, None, Some(f.org_a))
            .await;
        let (st, v, _) = send(
            &app,
            &a_staff,
            &Method::POST,
            &format!("/api/v1/hubs/{}/applications", f.hub),
            Some(&json!({"organization_id": f.org_a}).to_string()),
        )
        .await;
        assert_eq!(st, 201, "{v}");
        let pending = v["id"].as_str().unwrap().to_string();
        let members = format!("/api/v1/hubs/{}/members", f.hub);
        let (st, v, _) = send(&app, &app.anon, &Method::GET, &members, None).await;
        assert_eq!(st, 200, "{v}");
        assert!(
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["status"] == "active"),
            "{v}"
        );
        let (st, _, _) = send(
            &app,
            &app.anon,
            &Method::GET,
            &format!("{members}?status=pending"),
            None,
        )
        .await;
        assert_eq!(st, 401);
        let (st, v, _) = send(
            &app,
            &app.anon,
            &Method::GET,
            &format!("/api/v1/organizations/{}/memberships", f.org_a),
            None,
        )
        .await;
        assert_eq!(st, 200);
        assert_eq!(
            v.as_array().unwrap().len(),
            0,
            "a pending membership shown: {v}"
        );
        let (st, _, _) = send(
            &app,
            &app.anon,
            &Method::GET,
            &format!("/api/v1/memberships/{pending}"),
            None,
        )
        .await;
        assert_eq!(st, 401);
        // Pages: the hub page and the organization's memberships do not list A to the anonymous.
        let a_name = "测试服务中心1";
        let html = app
            .anon
            .get(app.url(&format!("/hubs/{}?status=pending", f.hub)))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !html.contains(a_name),
            "pending member listed on the hub page"
        );
        let html = app
            .anon
            .get(app.url(&format!("/memberships/{pending}")))
            .send()
            .await
            .unwrap();
        assert!(
            html.status() == StatusCode::SEE_OTHER || html.status() == StatusCode::UNAUTHORIZED,
            "{}",
            html.status()
        );
        // The hub sees it.
        let (st, v, _) = send(
            &app,
            &app.client,
            &Method::GET,
            &format!("{members}?status=pending"),
            None,
        )
        .await;
        assert_eq!(st, 200);
        assert_eq!(v["items"].as_array().unwrap().len(), 1, "{v}");
    }
);

// Staff of another hub (same street: an industry hub) manage nothing of this one;
// an organization acts only for itself; an official of another district sees 403/404.
http_test!(
    staff_and_members_act_only_for_their_own,
    |app: TestApp| async move {
        let f = world::build(&app).await;
        // A second hub: an industry hub of Xuanwu on org X.
        let org_x = world::association(&app, 7).await;
        let (st, v) =
            world::admin_post(&app, "/api/v1/hubs", &world::industry_json(org_x, "区残联")).await;
        assert_eq!(st, 201, "{v}");
        let other_staff = app
            .client_as("x_staff", Role::HubStaff, None, Some(org_x))
            .await;
        let a_member = app
            .client_as("a_member", Role::OrgMember, None, Some(f.org_a))
            .await;
        let qinhuai = app
            .client_as("qinhuai", Role::Official, Some("320104"), None)
            .await;
        let before = changes(&app).await;
        let hub = f.hub;
        let cases: Vec<(&reqwest::Client, Method, String, Value)> = vec![
            (
                &other_staff,
                Method::POST,
                format!("/api/v1/hubs/{hub}/members"),
                json!({"organization_id": f.org_a}),
            ),
            (
                &other_staff,
                Method::POST,
                format!("/api/v1/memberships/{}/decision", f.membership),
                json!({"action": "suspend", "reason": "x"}),
            ),
            (
                &other_staff,
                Method::POST,
                format!("/api/v1/memberships/{}/initiating", f.membership),
                json!({"initiating": true}),
            ),
            (
                &other_staff,
                Method::PATCH,
                format!("/api/v1/venues/{}", f.venue),
                json!({"name": "夺取"}),
            ),
            (
                &other_staff,
                Method::POST,
                format!("/api/v1/venues/{}/spaces", f.venue),
                json!({"name": "r", "kind": "meeting_room", "capacity": 2}),
            ),
            (
                &other_staff,
                Method::PATCH,
                format!("/api/v1/spaces/{}", f.room),
                json!({"capacity": 2}),
            ),
            (
                &other_staff,
                Method::POST,
                format!("/api/v1/spaces/{}/allocations", f.office),
                json!({"organization_id": org_x, "starts_on": day(200), "ends_on": day(300)}),
            ),
            (
                &other_staff,
                Method::POST,
                format!("/api/v1/allocations/{}/end", f.allocation),
                json!({}),
            ),
            (
                &other_staff,
                Method::POST,
                format!("/api/v1/bookings/{}/cancel", f.booking),
                json!({}),
            ),
            (
                &other_staff,
                Method::POST,
                format!("/api/v1/spaces/{}/bookings", f.room),
                world::booking_json(f.org_c, 4, 4),
            ),
            (
                &other_staff,
                Method::POST,
                "/api/v1/venues".into(),
                world::venue_json(hub),
            ),
            (
                &other_staff,
                Method::POST,
                format!("/api/v1/hubs/{hub}/revoke"),
                json!({"reason": "x"}),
            ),
            // An organization member for an organization that is not its own.
            (
                &a_member,
                Method::POST,
                format!("/api/v1/hubs/{hub}/applications"),
                json!({"organization_id": org_x}),
            ),
            (
                &a_member,
                Method::POST,
                format!("/api/v1/spaces/{}/bookings", f.room),
                world::booking_json(f.org_c, 4, 6),
            ),
            (
                &a_member,
                Method::POST,
                format!("/api/v1/spaces/{}/bookings", f.room),
                world::booking_json(f.org_a, 4, 8),
            ),
            (
                &a_member,
                Method::POST,
                format!("/api/v1/venues/{}/obligations", f.venue),
                json!({"organization_id": f.org_c, "quarter": "2026Q1", "service_hours": 1}),
            ),
            (
                &a_member,
                Method::POST,
                format!("/api/v1/bookings/{}/cancel", f.booking),
                json!({}),
            ),
            (
                &a_member,
                Method::POST,
                format!("/api/v1/memberships/{}/decision", f.membership),
                json!({"action": "leave"}),
            ),
            (
                &a_member,
                Method::POST,
                format!("/api/v1/organizations/{}/party", f.org_c),
                json!({"party_org": "none"}),
            ),
            // An official of Qinhuai over a Xuanwu hub.
            (
                &qinhuai,
                Method::POST,
                format!("/api/v1/hubs/{hub}/revoke"),
                json!({"reason": "x"}),
            ),
            (
                &qinhuai,
                Method::POST,
                format!("/api/v1/hubs/{hub}/members"),
                json!({"organization_id": f.org_a}),
            ),
            (
                &qinhuai,
                Method::POST,
                "/api/v1/hubs".into(),
                world::regional_json(f.org_a, "320102007000"),
            ),
            (
                &qinhuai,
                Method::POST,
                "/api/v1/structure/320102/core".into(),
                json!({"name_zh": "核", "name_en": "core"}),
            ),
            (
                &qinhuai,
                Method::PATCH,
                format!("/api/v1/venues/{}", f.venue),
                json!({"name": "夺取"}),
            ),
            (
                &qinhuai,
                Method::POST,
                "/api/v1/instructors".into(),
                json!({"name": "赵", "jurisdiction": "320102"}),
            ),
            (
                &qinhuai,
                Method::POST,
                format!("/api/v1/organizations/{}/party", f.org_c),
                json!({"party_org": "none"}),
            ),
        ];
        let mut bad = Vec::new();
        for (c, m, path, body) in &cases {
            let (st, v, _) = send(&app, c, m, path, Some(&body.to_string())).await;
            if st != 403 && st != 404 {
                bad.push(format!("{m} {path} {body}: {st} {v}"));
            }
        }
        assert!(bad.is_empty(), "{} holes:\n{}", bad.len(), bad.join("\n"));
        assert_eq!(
            changes(&app).await,
            before,
            "a refused request changed something"
        );
        // Reads beyond the public: the membership of another hub, reports, the instructors.
        for (c, path) in [
            (
                &other_staff,
                format!("/api/v1/memberships/{}", f.membership),
            ),
            (&other_staff, format!("/api/v1/hubs/{hub}/coverage")),
            (&a_member, format!("/api/v1/memberships/{}", f.membership)),
            (&qinhuai, format!("/api/v1/memberships/{}", f.membership)),
            (&qinhuai, "/api/v1/coverage/320102".to_string()),
            (
                &qinhuai,
                "/api/v1/instructors?jurisdiction=320102".to_string(),
            ),
            (&qinhuai, format!("/api/v1/hubs/{hub}/coverage")),
        ] {
            let (st, v, _) = send(&app, c, &Method::GET, &path, None).await;
            assert!(st == 403 || st == 404, "{path}: {st} {v}");
        }
        // The hub's staff of other hub see pending members of their own hub only.
        let (st, _, _) = send(
            &app,
            &other_staff,
            &Method::GET,
            &format!("/api/v1/hubs/{hub}/members?status=pending"),
            None,
        )
        .await;
        assert_eq!(st, 403);
    }
);

// ---------------------------------------------------------------- CSRF

http_test!(page_posts_need_the_csrf_token, |app: TestApp| async move {
    let f = world::build(&app).await;
    make_user(&app, "rev_admin", Role::Admin, None, None, PASSWORD, false).await;
    let c = signed_in(&app, "rev_admin", PASSWORD).await;
    let before = changes(&app).await;
    let posts: Vec<(String, Vec<(&str, String)>)> = vec![
        (
            "/hubs".into(),
            vec![
                ("organization_id", f.org_a.to_string()),
                ("kind", "regional".into()),
            ],
        ),
        (
            format!("/hubs/{}/revoke", f.hub),
            vec![("reason", "x".into())],
        ),
        (
            format!("/hubs/{}/members", f.hub),
            vec![("organization_id", f.org_a.to_string())],
        ),
        (
            format!("/hubs/{}/applications", f.hub),
            vec![("organization_id", f.org_a.to_string())],
        ),
        (
            format!("/memberships/{}/decision", f.membership),
            vec![("action", "suspend".into()), ("reason", "x".into())],
        ),
        (
            format!("/memberships/{}/initiating", f.membership),
            vec![("initiating", "true".into())],
        ),
        (
            "/structure/320102/core".into(),
            vec![("name_zh", "核".into()), ("name_en", "core".into())],
        ),
        ("/venues".into(), vec![("name", "x".into())]),
        (
            format!("/venues/{}/edit", f.venue),
            vec![("name", "x".into())],
        ),
        (
            format!("/venues/{}/spaces", f.venue),
            vec![
                ("name", "x".into()),
                ("kind", "meeting_room".into()),
                ("capacity", "3".into()),
            ],
        ),
        (
            format!("/spaces/{}/allocations", f.office),
            vec![
                ("organization_id", f.org_a.to_string()),
                ("starts_on", day(200)),
                ("ends_on", day(300)),
            ],
        ),
        (format!("/allocations/{}/end", f.allocation), vec![]),
        (
            format!("/spaces/{}/bookings", f.room),
            vec![
                ("organization_id", f.org_c.to_string()),
                ("date", day(3)),
                ("start", "09:00".into()),
                ("end", "10:00".into()),
                ("purpose", "x".into()),
                ("attendees", "3".into()),
            ],
        ),
        (format!("/bookings/{}/cancel", f.booking), vec![]),
        (
            format!("/venues/{}/reports", f.venue),
            vec![
                ("organization_id", f.org_c.to_string()),
                ("quarter", "2026Q1".into()),
                ("service_hours", "3".into()),
            ],
        ),
        (
            format!("/organizations/{}/party", f.org_a),
            vec![("party_org", "none".into())],
        ),
        (
            "/instructors".into(),
            vec![("name", "赵".into()), ("jurisdiction", "320102".into())],
        ),
    ];
    for (path, form) in &posts {
        for token in [None, Some("0000")] {
            let mut form = form.clone();
            if let Some(t) = token {
                form.push(("_csrf", t.to_string()));
            }
            let p = post_with(&app, &c, path, &form).await;
            assert_eq!(
                p.status,
                StatusCode::FORBIDDEN,
                "{path} with token {token:?}: {}",
                p.text
            );
        }
    }
    assert_eq!(
        changes(&app).await,
        before,
        "a post without the token changed something"
    );
    // With the page's token the same session gets through (the check is not a blanket refusal).
    let page = get_with(&app, &c, &format!("/hubs/{}", f.hub)).await;
    let token = csrf_in(&page.raw);
    let p = post_with(
        &app,
        &c,
        &format!("/memberships/{}/initiating", f.membership),
        &[("_csrf", token), ("initiating", "true".into())],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
});

// ---------------------------------------------------------------- 3. audit

/// Sends a change as `who`; asserts it succeeded and that `GET /api/v1/audit` (as the
/// admin) shows one more successful record by `who`. The answer's body.
async fn assert_audited(
    app: &TestApp,
    c: &reqwest::Client,
    who: &str,
    m: &Method,
    path: &str,
    body: &Value,
) -> Value {
    let count = |page: &Value| {
        page["items"]
            .as_array()
            .expect("audit items")
            .iter()
            .filter(|r| r["actor"] == who && r["outcome"] == "success")
            .count()
    };
    let audit = format!("/api/v1/audit?actor={who}&per_page=200");
    let (_, page, _) = send(app, &app.client, &Method::GET, &audit, None).await;
    let before = count(&page);
    let (st, v, _) = send(app, c, m, path, Some(&body.to_string())).await;
    assert!(st == 200 || st == 201, "{m} {path} as {who}: {st} {v}");
    let (st, page, _) = send(app, &app.client, &Method::GET, &audit, None).await;
    assert_eq!(st, 200, "{page}");
    assert!(
        count(&page) > before,
        "{m} {path} as {who} left no audit record: {page}"
    );
    v
}

http_test!(
    changes_are_audited_under_the_callers_name,
    |app: TestApp| async move {
        let f = world::build(&app).await;
        let h_staff = app
            .client_as("h_staff", Role::HubStaff, None, Some(f.org_h))
            .await;
        let c_member = app
            .client_as("c_member", Role::OrgMember, None, Some(f.org_c))
            .await;
        let xuanwu = app
            .client_as("xuanwu", Role::Official, Some("320102"), None)
            .await;
        let a_member = app
            .client_as("a_member", Role::OrgMember, None, Some(f.org_a))
            .await;
        let pending = assert_audited(
            &app,
            &a_member,
            "a_member",
            &Method::POST,
            &format!("/api/v1/hubs/{}/applications", f.hub),
            &json!({"organization_id": f.org_a}),
        )
        .await;
        let steps: Vec<(&reqwest::Client, &str, Method, String, Value)> = vec![
            (
                &h_staff,
                "h_staff",
                Method::POST,
                format!("/api/v1/memberships/{}/initiating", f.membership),
                json!({"initiating": true}),
            ),
            (
                &h_staff,
                "h_staff",
                Method::PATCH,
                format!("/api/v1/venues/{}", f.venue),
                json!({"terms": "无偿"}),
            ),
            (
                &h_staff,
                "h_staff",
                Method::POST,
                format!("/api/v1/venues/{}/spaces", f.venue),
                json!({"name": "小会议室", "kind": "meeting_room", "capacity": 8}),
            ),
            (
                &h_staff,
                "h_staff",
                Method::POST,
                format!("/api/v1/allocations/{}/end", f.allocation),
                json!({"ended_on": day(30)}),
            ),
            (
                &c_member,
                "c_member",
                Method::POST,
                format!("/api/v1/spaces/{}/bookings", f.room),
                world::booking_json(f.org_c, 5, 6),
            ),
            (
                &c_member,
                "c_member",
                Method::POST,
                format!("/api/v1/bookings/{}/cancel", f.booking),
                json!({}),
            ),
            (
                &c_member,
                "c_member",
                Method::POST,
                format!("/api/v1/venues/{}/obligations", f.venue),
                json!({"quarter": "2026Q1", "service_hours": 12}),
            ),
            (
                &h_staff,
                "h_staff",
                Method::POST,
                format!("/api/v1/organizations/{}/party", f.org_c),
                json!({"party_org": "own_branch", "party_members": 3}),
            ),
            (
                &xuanwu,
                "xuanwu",
                Method::POST,
                "/api/v1/instructors".into(),
                json!({"name": "赵敏", "jurisdiction": "320102"}),
            ),
            (
                &xuanwu,
                "xuanwu",
                Method::POST,
                "/api/v1/structure/320102/core".into(),
                json!({"name_zh": "玄武区社会组织党建工作委员会", "name_en": "Xuanwu Party Work Committee"}),
            ),
        ];
        for (c, who, m, path, body) in &steps {
            assert_audited(&app, c, who, m, path, body).await;
        }
        let a_org = world::org(&app, 8).await;
        let hub = f.hub;
        assert_audited(
            &app,
            &h_staff,
            "h_staff",
            &Method::POST,
            &format!("/api/v1/hubs/{hub}/members"),
            &json!({"organization_id": a_org}),
        )
        .await;
        let m = pending["id"].as_str().unwrap();
        assert_audited(
            &app,
            &h_staff,
            "h_staff",
            &Method::POST,
            &format!("/api/v1/memberships/{m}/decision"),
            &json!({"action": "approve"}),
        )
        .await;
        // A district industry hub is an association (the hub fit rules).
        let association = world::association(&app, 9).await;
        assert_audited(
            &app,
            &xuanwu,
            "xuanwu",
            &Method::POST,
            "/api/v1/hubs",
            &world::industry_json(association, "区妇联"),
        )
        .await;
        assert_audited(
            &app,
            &xuanwu,
            "xuanwu",
            &Method::POST,
            &format!("/api/v1/hubs/{hub}/revoke"),
            &json!({"reason": "合并"}),
        )
        .await;
    }
);
