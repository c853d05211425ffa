//! The service-parks API over HTTP, on SQLite and PostgreSQL: venues and spaces, the
//! booking rules, concurrent overlapping bookings (exactly one wins), office
//! allocations and obligation reports — with who may do what.

use crate::common;
use crate::parks_support;

use common::TestApp;
use parks_support::*;
use serde_json::{Value, json};
use shuniu_domain::access::Role;

fn fields_of(v: &Value) -> Vec<String> {
    let mut f: Vec<String> = v["fields"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    f.sort();
    f
}

async fn venue_count(app: &TestApp) -> i64 {
    let (st, v) = get_json(app, &app.anon, "/api/v1/venues").await;
    assert_eq!(st, 200);
    v["total"].as_i64().unwrap()
}

http_test!(venue_crud_and_access, |app: TestApp| async move {
    let p = park(&app).await;
    // Public reads: the venue with its spaces, offices first.
    let (st, v) = get_json(&app, &app.anon, &format!("/api/v1/venues/{}", p.venue)).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["name"], "梅园新村街道社会组织服务园");
    assert_eq!(v["area_m2"], 400);
    assert_eq!(v["free_of_charge"], true);
    assert_eq!(v["utilities_waived"], true);
    assert_eq!(v["hub_id"], p.hub_id.to_string());
    assert_eq!(v["hub_organization_id"], p.hub_org.to_string());
    let spaces = v["spaces"].as_array().unwrap();
    assert_eq!(spaces.len(), 2);
    assert_eq!(spaces[0]["kind"], "office");
    assert_eq!(spaces[1]["capacity"], 30);
    assert_eq!(venue_count(&app).await, 1);

    // Every bad field named at once, nothing written.
    let (st, v) = post_json(
        &app,
        &app.client,
        "/api/v1/venues",
        &json!({"area_m2": "many", "jurisdiction": "12", "hub_id": "nope", "colour": "red"}),
    )
    .await;
    assert_eq!(st, 422, "{v}");
    let f = fields_of(&v);
    for name in [
        "name",
        "address",
        "jurisdiction",
        "area_m2",
        "owner",
        "hub_id",
        "colour",
    ] {
        assert!(f.contains(&name.to_string()), "{name} not named: {v}");
    }
    let (st, v) = post_json(
        &app,
        &app.client,
        "/api/v1/venues",
        &json!({"name": "x", "address": "y", "jurisdiction": "320102999000", "area_m2": 0, "owner": "z"}),
    )
    .await;
    assert_eq!(st, 422);
    assert_eq!(fields_of(&v), vec!["area_m2", "jurisdiction"], "{v}");
    assert_eq!(venue_count(&app).await, 1);

    // Anonymous: 401 with the scheme; a member: 403; nothing written.
    let r = app
        .anon
        .post(app.url("/api/v1/venues"))
        .json(&venue_json(None))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().contains_key("www-authenticate"));
    let member = app
        .client_as("member_a", Role::OrgMember, None, Some(p.member_a))
        .await;
    let (st, v) = post_json(&app, &member, "/api/v1/venues", &venue_json(Some(p.hub_id))).await;
    assert_eq!(st, 403, "{v}");
    // An official of another district may not create a hub-less venue in Meiyuan …
    let qinhuai = app
        .client_as("qinhuai", Role::Official, Some("320104"), None)
        .await;
    let (st, _) = post_json(&app, &qinhuai, "/api/v1/venues", &venue_json(None)).await;
    assert_eq!(st, 403);
    assert_eq!(venue_count(&app).await, 1);
    // … Xuanwu's may, and the hub's staff may create one run by their hub.
    let xuanwu = app
        .client_as("xuanwu", Role::Official, Some("320102"), None)
        .await;
    let (st, v) = post_json(&app, &xuanwu, "/api/v1/venues", &venue_json(None)).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["hub_id"], Value::Null);
    let staff = app
        .client_as("staff", Role::HubStaff, None, Some(p.hub_org))
        .await;
    let mut body = venue_json(Some(p.hub_id));
    body["name"] = json!("梅园第二服务点");
    let (st, v) = post_json(&app, &staff, "/api/v1/venues", &body).await;
    assert_eq!(st, 201, "{v}");
    let second = v["id"].as_str().unwrap().to_string();
    assert_eq!(venue_count(&app).await, 3);
    // Filters: by hub, by jurisdiction (a bad code is named).
    let (_, v) = get_json(&app, &app.anon, &format!("/api/v1/venues?hub={}", p.hub_id)).await;
    assert_eq!(v["total"], 2);
    let (_, v) = get_json(&app, &app.anon, "/api/v1/venues?jurisdiction=320104").await;
    assert_eq!(v["total"], 0);
    let (st, v) = get_json(
        &app,
        &app.anon,
        "/api/v1/venues?jurisdiction=abc&per_page=0",
    )
    .await;
    assert_eq!(st, 422);
    assert_eq!(fields_of(&v), vec!["jurisdiction", "per_page"]);
    // By cursor: one venue a page, forward by `next` and back by `prev`.
    let (st, one) = get_json(&app, &app.anon, "/api/v1/venues?per_page=1").await;
    assert_eq!(st, 200, "{one}");
    assert_eq!(
        (one["page"].clone(), one["total_is_lower_bound"].clone()),
        (json!(1), json!(false))
    );
    assert_eq!(one["prev"], Value::Null);
    let next = one["next"].as_str().unwrap().to_string();
    let (_, two) = get_json(
        &app,
        &app.anon,
        &format!("/api/v1/venues?per_page=1&cursor={next}"),
    )
    .await;
    assert_eq!(two["page"], Value::Null);
    assert_ne!(two["items"][0]["id"], one["items"][0]["id"]);
    let prev = two["prev"].as_str().unwrap().to_string();
    let (_, back) = get_json(
        &app,
        &app.anon,
        &format!("/api/v1/venues?per_page=1&cursor={prev}"),
    )
    .await;
    assert_eq!(back["items"], one["items"]);
    // A cursor of another list, garbage, or a page past the first 10,000 rows: 422.
    let (_, hubs) = get_json(
        &app,
        &app.anon,
        "/api/v1/hubs?per_page=1&include_revoked=true",
    )
    .await;
    let mut bad = vec!["bm90IGEgY3Vyc29y".to_string()];
    bad.extend(hubs["next"].as_str().map(String::from));
    for c in bad {
        let (st, v) = get_json(&app, &app.anon, &format!("/api/v1/venues?cursor={c}")).await;
        assert_eq!(st, 422, "{v}");
        assert_eq!(fields_of(&v), vec!["cursor"]);
    }
    let (st, v) = get_json(&app, &app.anon, "/api/v1/venues?page=600&per_page=20").await;
    assert_eq!(st, 422);
    assert_eq!(fields_of(&v), vec!["page"]);

    // PATCH: the hub's staff may, a member may not; bad values named.
    let url = app.url(&format!("/api/v1/venues/{second}"));
    let r = staff
        .patch(&url)
        .json(&json!({"area_m2": 120, "utilities_waived": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["area_m2"], 120);
    assert_eq!(v["utilities_waived"], false);
    assert_eq!(v["name"], "梅园第二服务点");
    let r = member
        .patch(&url)
        .json(&json!({"area_m2": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = staff
        .patch(&url)
        .json(&json!({"area_m2": "x", "name": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(fields_of(&v), vec!["area_m2", "name"]);
    let (_, v) = get_json(&app, &app.anon, &format!("/api/v1/venues/{second}")).await;
    assert_eq!(v["area_m2"], 120, "refused patches changed nothing");

    // Unknown and malformed ids: 404.
    let (st, _) = get_json(
        &app,
        &app.anon,
        &format!("/api/v1/venues/{}", uuid::Uuid::now_v7()),
    )
    .await;
    assert_eq!(st, 404);
    let (st, _) = get_json(&app, &app.anon, "/api/v1/venues/not-a-uuid").await;
    assert_eq!(st, 404);
    let (st, _) = get_json(
        &app,
        &app.anon,
        &format!("/api/v1/spaces/{}", uuid::Uuid::now_v7()),
    )
    .await;
    assert_eq!(st, 404);

    // Spaces: validation and access.
    let (st, v) = post_json(
        &app,
        &staff,
        &format!("/api/v1/venues/{}/spaces", p.venue),
        &json!({"name": "x", "kind": "ballroom", "capacity": 0}),
    )
    .await;
    assert_eq!(st, 422);
    assert_eq!(fields_of(&v), vec!["capacity", "kind"]);
    let (st, _) = post_json(
        &app,
        &member,
        &format!("/api/v1/venues/{}/spaces", p.venue),
        &json!({"name": "x", "kind": "meeting_room", "capacity": 5}),
    )
    .await;
    assert_eq!(st, 403);
    let r = staff
        .patch(app.url(&format!("/api/v1/spaces/{}", p.room)))
        .json(&json!({"capacity": 40}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, v) = get_json(&app, &app.anon, &format!("/api/v1/spaces/{}", p.room)).await;
    assert_eq!(v["capacity"], 40);
    assert_eq!(v["kind"], "meeting_room");
});

http_test!(booking_happy_path_and_rules, |app: TestApp| async move {
    let p = park(&app).await;
    let member = app
        .client_as("member_a", Role::OrgMember, None, Some(p.member_a))
        .await;
    let date = day(3);
    let url = format!("/api/v1/spaces/{}/bookings", p.room);
    let (st, v) = post_json(
        &app,
        &member,
        &url,
        &booking(p.member_a, &date, "09:00", "10:30", "邻里议事会"),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    assert!(v["number"].as_str().unwrap().starts_with("BK-"));
    assert_eq!(v["organization_id"], p.member_a.to_string());
    assert_eq!(v["local_start"], format!("{date} 09:00"));
    assert_eq!(v["local_end"], format!("{date} 10:30"));
    assert_eq!(v["status"], "confirmed");
    assert_eq!(v["booked_by"], "member_a");
    let id = v["id"].as_str().unwrap().to_string();

    // The calendar: public, organization shown, the booking account not to anonymous.
    let (st, list) = get_json(&app, &app.anon, &format!("{url}?from={date}&to={date}")).await;
    assert_eq!(st, 200);
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["organization_name"], "测试服务中心2");
    assert_eq!(list[0]["purpose"], "邻里议事会");
    assert_eq!(list[0]["booked_by"], Value::Null);
    let (_, one) = get_json(&app, &member, &format!("/api/v1/bookings/{id}")).await;
    assert_eq!(one["booked_by"], "member_a");
    let (_, one) = get_json(&app, &app.anon, &format!("/api/v1/bookings/{id}")).await;
    assert_eq!(one["booked_by"], Value::Null);
    // A range on another day shows nothing; a bad range is named.
    let (_, other) = get_json(
        &app,
        &app.anon,
        &format!("{url}?from={}&to={}", day(4), day(4)),
    )
    .await;
    assert_eq!(other.as_array().unwrap().len(), 0);
    let (st, v) = get_json(&app, &app.anon, &format!("{url}?from=soon&to=later")).await;
    assert_eq!(st, 422);
    assert_eq!(fields_of(&v), vec!["from", "to"]);

    // Past, misaligned, outside opening hours, over capacity: 422 naming the fields.
    let (st, v) = post_json(
        &app,
        &member,
        &url,
        &booking(p.member_a, &day(-1), "09:00", "10:00", "x"),
    )
    .await;
    assert_eq!(st, 422);
    assert_eq!(fields_of(&v), vec!["date"], "{v}");
    let (st, v) = post_json(
        &app,
        &member,
        &url,
        &booking(p.member_a, &date, "11:10", "12:00", "x"),
    )
    .await;
    assert_eq!(st, 422);
    assert_eq!(fields_of(&v), vec!["start"], "{v}");
    let (st, v) = post_json(
        &app,
        &member,
        &url,
        &booking(p.member_a, &date, "06:00", "07:00", "x"),
    )
    .await;
    assert_eq!(st, 422);
    assert!(fields_of(&v).contains(&"start".to_string()), "{v}");
    let mut big = booking(p.member_a, &date, "12:00", "13:00", "x");
    big["attendees"] = json!(31);
    let (st, v) = post_json(&app, &member, &url, &big).await;
    assert_eq!(st, 422);
    assert_eq!(fields_of(&v), vec!["attendees"]);
    let (st, v) = post_json(
        &app,
        &member,
        &url,
        &json!({"date": "tomorrow", "end": "9"}),
    )
    .await;
    assert_eq!(st, 422);
    for f in ["date", "start", "end", "purpose"] {
        assert!(fields_of(&v).contains(&f.to_string()), "{f}: {v}");
    }
    // An office is allocated, not booked.
    let (st, _) = post_json(
        &app,
        &member,
        &format!("/api/v1/spaces/{}/bookings", p.office),
        &booking(p.member_a, &date, "09:00", "10:00", "x"),
    )
    .await;
    assert_eq!(st, 409);

    // Access: anonymous 401; an outsider organization (not in the hub) 403; a member
    // booking for another organization 403.
    let r = app
        .anon
        .post(app.url(&url))
        .json(&booking(p.member_a, &date, "15:00", "16:00", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let outsider = app
        .client_as("outsider", Role::OrgMember, None, Some(p.outsider))
        .await;
    let (st, v) = post_json(
        &app,
        &outsider,
        &url,
        &booking(p.outsider, &date, "15:00", "16:00", "x"),
    )
    .await;
    assert_eq!(st, 403, "{v}");
    let (st, _) = post_json(
        &app,
        &member,
        &url,
        &booking(p.member_b, &date, "15:00", "16:00", "x"),
    )
    .await;
    assert_eq!(st, 403);
    let (_, list) = get_json(&app, &app.anon, &format!("{url}?from={date}&to={date}")).await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "refused bookings wrote nothing"
    );

    // Overlap: 409 naming start.
    let member_b = app
        .client_as("member_b", Role::OrgMember, None, Some(p.member_b))
        .await;
    let (st, v) = post_json(
        &app,
        &member_b,
        &url,
        &booking(p.member_b, &date, "10:00", "11:00", "培训"),
    )
    .await;
    assert_eq!(st, 409, "{v}");
    assert_eq!(fields_of(&v), vec!["start"]);
    assert_eq!(v["fields"]["start"], "overlaps another booking of the room");
    // Back to back is fine.
    let (st, v) = post_json(
        &app,
        &member_b,
        &url,
        &booking(p.member_b, &date, "10:30", "11:00", "培训"),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let b_id = v["id"].as_str().unwrap().to_string();

    // Cancel: not someone else's (403), one's own yes, twice no (409); then rebook.
    let cancel = |id: &str| format!("/api/v1/bookings/{id}/cancel");
    let (st, _) = post_json(&app, &member_b, &cancel(&id), &json!({})).await;
    assert_eq!(st, 403);
    let (st, v) = post_json(&app, &member, &cancel(&id), &json!({})).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["status"], "cancelled");
    let (st, _) = post_json(&app, &member, &cancel(&id), &json!({})).await;
    assert_eq!(st, 409);
    let (st, v) = post_json(
        &app,
        &member_b,
        &url,
        &booking(p.member_b, &date, "09:00", "10:30", "重新预约"),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    // The hub's staff cancel anyone's booking.
    let staff = app
        .client_as("staff", Role::HubStaff, None, Some(p.hub_org))
        .await;
    let (st, _) = post_json(&app, &staff, &cancel(&b_id), &json!({})).await;
    assert_eq!(st, 200);
    let (_, list) = get_json(&app, &app.anon, &format!("{url}?from={date}&to={date}")).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["purpose"], "重新预约");
    let (st, _) = post_json(
        &app,
        &member,
        &cancel(&uuid::Uuid::now_v7().to_string()),
        &json!({}),
    )
    .await;
    assert_eq!(st, 404);
});

// THE CONCURRENCY TEST: many overlapping bookings of one room at once — exactly one
// wins, on either backend.
http_test!(
    concurrent_overlapping_bookings_one_wins,
    |app: TestApp| async move {
        let p = park(&app).await;
        let a = app
            .client_as("member_a", Role::OrgMember, None, Some(p.member_a))
            .await;
        let b = app
            .client_as("member_b", Role::OrgMember, None, Some(p.member_b))
            .await;
        let date = day(5);
        let url = app.url(&format!("/api/v1/spaces/{}/bookings", p.room));
        // Twelve distinct requests that all contain 14:00–14:30: pairwise overlapping.
        let mut bodies = Vec::new();
        for i in 0..12u32 {
            let start = 14 * 60 - (i % 4) * 30;
            let end = 14 * 60 + 30 + (i / 4) * 30;
            let hm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
            let (client, org) = if i % 2 == 0 {
                (&a, p.member_a)
            } else {
                (&b, p.member_b)
            };
            bodies.push((
                client,
                booking(org, &date, &hm(start), &hm(end), &format!("并发{i}")),
            ));
        }
        let futures = bodies
            .iter()
            .map(|(c, body)| c.post(&url).json(body).send());
        let responses = futures_util::future::join_all(futures).await;
        let mut statuses = Vec::new();
        for r in responses {
            let r = r.unwrap();
            let st = r.status().as_u16();
            let v: Value = r.json().await.unwrap();
            if st == 409 {
                assert_eq!(fields_of(&v), vec!["start"], "{v}");
            }
            statuses.push(st);
        }
        statuses.sort();
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            1,
            "{statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == 409).count(),
            11,
            "{statuses:?}"
        );
        let (_, list) = get_json(
            &app,
            &app.anon,
            &format!("/api/v1/spaces/{}/bookings?from={date}&to={date}", p.room),
        )
        .await;
        assert_eq!(list.as_array().unwrap().len(), 1, "{list}");

        // Disjoint bookings fired at once all succeed.
        let date2 = day(6);
        let bodies: Vec<_> = (0..12u32)
            .map(|i| {
                let start = 8 * 60 + i * 60;
                let hm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
                let (client, org) = if i % 2 == 0 {
                    (&a, p.member_a)
                } else {
                    (&b, p.member_b)
                };
                (
                    client,
                    booking(
                        org,
                        &date2,
                        &hm(start),
                        &hm(start + 60),
                        &format!("分时{i}"),
                    ),
                )
            })
            .collect();
        let responses = futures_util::future::join_all(
            bodies
                .iter()
                .map(|(c, body)| c.post(&url).json(body).send()),
        )
        .await;
        for r in responses {
            let r = r.unwrap();
            assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        }
        let (_, list) = get_json(
            &app,
            &app.anon,
            &format!("/api/v1/spaces/{}/bookings?from={date2}&to={date2}", p.room),
        )
        .await;
        assert_eq!(list.as_array().unwrap().len(), 12);
    }
);

http_test!(office_allocations, |app: TestApp| async move {
    let p = park(&app).await;
    let staff = app
        .client_as("staff", Role::HubStaff, None, Some(p.hub_org))
        .await;
    let url = format!("/api/v1/spaces/{}/allocations", p.office);
    let y = super::parks_support::today()
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap();
    let d = |y: i32, md: &str| format!("{y}-{md}");
    let (st, v) = post_json(&app, &staff, &url, &json!({"organization_id": p.member_a, "starts_on": d(y, "01-01"), "ends_on": d(y, "12-31")})).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["organization_name"], "测试服务中心2");
    let alloc = v["id"].as_str().unwrap().to_string();
    // Overlapping period: 409 naming starts_on.
    let (st, v) = post_json(&app, &staff, &url, &json!({"organization_id": p.member_b, "starts_on": d(y, "06-01"), "ends_on": d(y + 1, "05-31")})).await;
    assert_eq!(st, 409, "{v}");
    assert_eq!(fields_of(&v), vec!["starts_on"]);
    // Bad input named; a room is not allocated; members may not allocate.
    let (st, v) = post_json(&app, &staff, &url, &json!({"organization_id": "x", "starts_on": d(y + 1, "06-01"), "ends_on": d(y + 1, "01-01")})).await;
    assert_eq!(st, 422);
    assert_eq!(fields_of(&v), vec!["ends_on", "organization_id"]);
    let (st, v) = post_json(&app, &staff, &format!("/api/v1/spaces/{}/allocations", p.room), &json!({"organization_id": p.member_b, "starts_on": d(y + 1, "01-01"), "ends_on": d(y + 1, "12-31")})).await;
    assert_eq!(st, 422, "{v}");
    let member = app
        .client_as("member_b", Role::OrgMember, None, Some(p.member_b))
        .await;
    let (st, _) = post_json(&app, &member, &url, &json!({"organization_id": p.member_b, "starts_on": d(y + 1, "01-01"), "ends_on": d(y + 1, "12-31")})).await;
    assert_eq!(st, 403);
    let (_, list) = get_json(&app, &app.anon, &url).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    // The next period is free.
    let (st, _) = post_json(&app, &staff, &url, &json!({"organization_id": p.member_b, "starts_on": d(y + 1, "01-01"), "ends_on": d(y + 1, "12-31")})).await;
    assert_eq!(st, 201);
    // Ending early: members may not, staff may; a bad date is named.
    let end = format!("/api/v1/allocations/{alloc}/end");
    let (st, _) = post_json(&app, &member, &end, &json!({"ended_on": d(y, "12-01")})).await;
    assert_eq!(st, 403);
    let (st, v) = post_json(&app, &staff, &end, &json!({"ended_on": "soon"})).await;
    assert_eq!(st, 422);
    assert_eq!(fields_of(&v), vec!["ended_on"]);
    let (st, v) = post_json(&app, &staff, &end, &json!({"ended_on": d(y, "12-01")})).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["ended_early_on"], d(y, "12-01"));
    let (st, _) = post_json(
        &app,
        &staff,
        &format!("/api/v1/allocations/{}/end", uuid::Uuid::now_v7()),
        &json!({}),
    )
    .await;
    assert_eq!(st, 404);
});

http_test!(obligation_reports_and_summary, |app: TestApp| async move {
    let p = park(&app).await;
    let today = super::parks_support::today();
    let q = shuniu_domain::parks::Quarter::of(today).to_string();
    let next = {
        let d = shuniu_domain::parks::Quarter::of(today).first_day() + chrono::Duration::days(100);
        shuniu_domain::parks::Quarter::of(d).to_string()
    };
    let url = format!("/api/v1/venues/{}/obligations", p.venue);
    let staff = app
        .client_as("staff", Role::HubStaff, None, Some(p.hub_org))
        .await;
    let member = app
        .client_as("member_b", Role::OrgMember, None, Some(p.member_b))
        .await;
    let outsider = app
        .client_as("outsider", Role::OrgMember, None, Some(p.outsider))
        .await;
    // Staff for any member; a member for its own organization (the default).
    let (st, v) = post_json(&app, &staff, &url, &json!({"organization_id": p.member_a, "quarter": q, "service_hours": 50, "residents_served": 30})).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["service_hours"], 50);
    let (st, v) = post_json(
        &app,
        &member,
        &url,
        &json!({"quarter": q, "service_hours": 40, "residents_served": 12, "note": "助老服务"}),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["organization_id"], p.member_b.to_string());
    // Refused: an outsider organization, a member for another organization, anonymous.
    let (st, _) = post_json(
        &app,
        &outsider,
        &url,
        &json!({"quarter": q, "service_hours": 999}),
    )
    .await;
    assert_eq!(st, 403);
    let (st, _) = post_json(
        &app,
        &member,
        &url,
        &json!({"organization_id": p.member_a, "quarter": q, "service_hours": 999}),
    )
    .await;
    assert_eq!(st, 403);
    let r = app
        .anon
        .post(app.url(&url))
        .json(&json!({"quarter": q, "service_hours": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // Bad input named.
    let (st, v) = post_json(
        &app,
        &staff,
        &url,
        &json!({"organization_id": p.member_a, "quarter": next, "service_hours": -3}),
    )
    .await;
    assert_eq!(st, 422);
    assert_eq!(fields_of(&v), vec!["quarter", "service_hours"], "{v}");

    // The summary: this quarter first, target 120, delivered 50 + 40.
    let (st, v) = get_json(&app, &app.anon, &url).await;
    assert_eq!(st, 200);
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(list[0]["quarter"], q);
    assert_eq!(list[0]["target_hours"], 120);
    assert_eq!(list[0]["delivered_hours"], 90);
    assert_eq!(list[0]["residents_served"], 42);
    assert_eq!(list[0]["reports"].as_array().unwrap().len(), 2);
    assert_eq!(
        list[0]["reports"][0]["reported_by"],
        Value::Null,
        "hidden from anonymous"
    );
    assert_eq!(list[1]["delivered_hours"], 0);
    // A new report of the same quarter replaces the organization's earlier one.
    let (st, _) = post_json(
        &app,
        &member,
        &url,
        &json!({"quarter": q, "service_hours": 70}),
    )
    .await;
    assert_eq!(st, 201);
    let (_, v) = get_json(&app, &staff, &format!("{url}?quarters=2")).await;
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["delivered_hours"], 120);
    assert!(v[0]["reports"][0]["reported_by"].is_string());
    // A signed-in member who does not run the venue does not see accounts either.
    let (_, v) = get_json(&app, &member, &format!("{url}?quarters=2")).await;
    assert_eq!(v[0]["reports"][0]["reported_by"], Value::Null);
    let (st, v) = get_json(&app, &app.anon, &format!("{url}?quarters=0")).await;
    assert_eq!(st, 422);
    assert_eq!(fields_of(&v), vec!["quarters"]);
});
