//! The hubs, service-parks and party-building web layer against callers who should not
//! pass, on SQLite and PostgreSQL: anonymous and out-of-scope callers learn nothing they
//! may not see, staff and members act only for their own, page forms check the CSRF
//! token, and changes are audited under the caller's name.

use crate::common;
use crate::pages_support;
use crate::world;

use crate::bad_input::{changes, send};
use common::TestApp;
use pages_support::accounts::{PASSWORD, csrf_in, get_with, make_user, post_with, signed_in};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shuniu_domain::access::Role;
use world::day;
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
