//! The hubs, service-parks and party-building web layer under bad input, on SQLite and
//! PostgreSQL: wrong types, odd values, bad queries and absurd dates never yield a 500,
//! are named, and change nothing.

use crate::common;
use crate::world;

use common::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shuniu_domain::audit::Outcome;
use world::{Fixture, MEIYUAN, day};

/// Successful (changing) audit records: the measure of "nothing changed".
pub(crate) async fn changes(app: &TestApp) -> i64 {
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
pub(crate) async fn send(
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
