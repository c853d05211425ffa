//! Service-park pages on SQLite and PostgreSQL: the venue page and the room calendar in
//! both languages, the booking form (errors kept, overlap on the start field, 303 on
//! success), and the venue and report forms.

use crate::common;
use crate::pages_support;
use crate::parks_support;

use common::TestApp;
use pages_support::{EN, ZH};
use parks_support::*;
use reqwest::StatusCode;
use shuniu_domain::access::Role;

http_test!(
    venue_page_and_calendar_in_both_languages,
    |app: TestApp| async move {
        let p = park(&app).await;
        let member = app
            .client_as("member_a", Role::OrgMember, None, Some(p.member_a))
            .await;
        let date = day(8);
        let (st, v) = post_json(
            &app,
            &member,
            &format!("/api/v1/spaces/{}/bookings", p.room),
            &booking(p.member_a, &date, "09:00", "10:30", "邻里议事会"),
        )
        .await;
        assert_eq!(st, 201, "{v}");
        let y = today().format("%Y").to_string();
        let (st, _) = post_json(
            &app,
            &app.client,
            &format!("/api/v1/spaces/{}/allocations", p.office),
            &serde_json::json!({"organization_id": p.member_b, "starts_on": format!("{y}-01-01"), "ends_on": format!("{y}-12-31")}),
        )
        .await;
        assert_eq!(st, 201);
        let now = shuniu_domain::parks::Quarter::of(today());
        let q = now.to_string();
        // The page shows the quarter in words (the API and the form take `2026Q4`).
        let q_zh = format!(
            "{}年第{}季度",
            now.year,
            ["一", "二", "三", "四"][usize::from(now.quarter) - 1]
        );
        let (st, _) = post_json(
            &app,
            &member,
            &format!("/api/v1/venues/{}/obligations", p.venue),
            &serde_json::json!({"quarter": q, "service_hours": 60}),
        )
        .await;
        assert_eq!(st, 201);

        // The list, public and filtered.
        let l = get_as(&app, &app.anon, &format!("/venues?hub={}", p.hub_id), ZH).await;
        assert_eq!(l.status, StatusCode::OK);
        l.assert_has(&format!(
            "<a href=\"/venues/{}\">梅园新村街道社会组织服务园</a>",
            p.venue
        ));
        l.assert_has("共 1 处场地");
        let l = get_as(&app, &app.anon, "/venues?jurisdiction=320104", EN).await;
        l.assert_has("No venues match.");
        let l = get_as(&app, &app.anon, "/venues?jurisdiction=abc", EN).await;
        assert_eq!(l.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The venue page, public, in Chinese and English.
        let vp = get_as(&app, &app.anon, &format!("/venues/{}", p.venue), ZH).await;
        assert_eq!(vp.status, StatusCode::OK);
        vp.assert_lang("zh-CN");
        for s in [
            "梅园新村街道社会组织服务园",
            "梅园新村34号",
            "梅园新村街道办事处",
            "无偿使用",
            "免收水电费",
            "服务本地居民",
            "多功能活动室",
            "会议室",
            "201办公室",
            "测试服务中心3",
            "义务履行情况",
            &q_zh,
        ] {
            vp.assert_has(s);
        }
        vp.assert_has(&format!("<a href=\"/spaces/{}\">多功能活动室</a>", p.room));
        vp.assert_has("<progress class=\"obl-bar\" max=\"100\" value=\"50\"");
        // Anonymous callers get no management forms.
        vp.assert_lacks(&format!("action=\"/venues/{}/spaces\"", p.venue));
        let vp = get_as(&app, &app.client, &format!("/venues/{}", p.venue), EN).await;
        vp.assert_lang("en");
        for s in [
            "Free of charge",
            "Utilities waived",
            "Meeting room",
            "Office allocations",
            "Obligation delivered",
            "Add a space",
        ] {
            vp.assert_has(s);
        }
        vp.assert_has(&format!("action=\"/venues/{}/spaces\"", p.venue));

        // The calendar of the booking's week: the cell of that day at 09:00 spans three
        // slots and names the organization and purpose — but not the account.
        let cal = get_as(
            &app,
            &app.anon,
            &format!("/spaces/{}?week={date}", p.room),
            ZH,
        )
        .await;
        assert_eq!(cal.status, StatusCode::OK);
        cal.assert_lang("zh-CN");
        let c = cell(&cal, &date, "09:00");
        assert!(
            c.contains("cal-booked") && c.contains("rowspan=\"3\""),
            "{c}"
        );
        assert!(
            c.contains("测试服务中心2") && c.contains("邻里议事会"),
            "{c}"
        );
        assert!(
            !cal.text
                .contains(&format!("data-date=\"{date}\" data-time=\"09:30\""))
        );
        assert!(!cell(&cal, &date, "10:30").contains("cal-booked"));
        cal.assert_lacks("member_a");
        cal.assert_has("登录后可预约");
        // The per-day list for phones holds the booking too.
        let list = &cal.text[cal.text.find("class=\"cal-days\"").unwrap()..];
        assert!(list.contains("09:00–10:30") && list.contains("邻里议事会"));
        // Monday first; previous and next week links.
        let monday = {
            let d = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap();
            use chrono::Datelike;
            d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()))
        };
        cal.assert_has(&format!("<th scope=\"col\" data-date=\"{monday}\""));
        cal.assert_has(&format!(
            "/spaces/{}?week={}",
            p.room,
            monday - chrono::Duration::days(7)
        ));
        // Its own people see who booked, in English.
        let cal = get_as(
            &app,
            &member,
            &format!("/spaces/{}?week={date}", p.room),
            EN,
        )
        .await;
        cal.assert_lang("en");
        cal.assert_has("booked by member_a");
        cal.assert_has("Book this room");
        cal.assert_has("Booking for 测试服务中心2");
        cal.assert_has("Cancel booking");
        // Another week does not show it; a bad week is a 422.
        let other = get_as(
            &app,
            &app.anon,
            &format!("/spaces/{}?week={}", p.room, day(30)),
            ZH,
        )
        .await;
        other.assert_lacks("邻里议事会");
        let bad = get_as(&app, &app.anon, &format!("/spaces/{}?week=x", p.room), ZH).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        // The office's page lists its allocation instead of a calendar.
        let office = get_as(&app, &app.anon, &format!("/spaces/{}", p.office), EN).await;
        office.assert_has("Offices are not booked by the slot");
        office.assert_has("测试服务中心3");
    }
);

http_test!(booking_form_errors_and_success, |app: TestApp| async move {
    let p = park(&app).await;
    let member = app
        .client_as("member_a", Role::OrgMember, None, Some(p.member_a))
        .await;
    let path = format!("/spaces/{}/bookings", p.room);
    // Bad input: 422, messages inline, what was typed kept.
    let r = post_form(
        &app,
        &member,
        &path,
        &book_form(&day(-1), "09:10", "10:00", "议事会筹备"),
        ZH,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_lang("zh-CN");
    assert!(
        r.field("date").contains("不能预约过去的时间"),
        "{}",
        r.field("date")
    );
    assert!(r.field("date").contains(&format!("value=\"{}\"", day(-1))));
    assert!(r.field("start").contains("须为整30分钟"));
    assert!(r.field("start").contains("value=\"09:10\""));
    assert!(r.field("purpose").contains("value=\"议事会筹备\""));
    r.assert_has("id=\"error-summary\"");
    let (_, list) = get_json(
        &app,
        &app.anon,
        &format!(
            "/api/v1/spaces/{}/bookings?from={}&to={}",
            p.room,
            day(-1),
            day(14)
        ),
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 0, "nothing written");

    // Success: 303 to the booking's page; the booking is on the calendar.
    let date = day(9);
    let week = format!("/spaces/{}?week={date}", p.room);
    let r = post_form(
        &app,
        &member,
        &path,
        &book_form(&date, "14:00", "15:00", "亲子阅读"),
        EN,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let loc = r.location().to_string();
    assert!(loc.starts_with("/bookings/"), "{loc}");
    let confirmation = get_as(&app, &member, &loc, EN).await;
    assert_eq!(confirmation.status, StatusCode::OK);
    confirmation.assert_has("亲子阅读");
    let cal = get_as(&app, &app.anon, &week, EN).await;
    let c = cell(&cal, &date, "14:00");
    assert!(c.contains("亲子阅读") && c.contains("测试服务中心2"), "{c}");

    // Overlap: the form again with the message on the start field, values kept.
    let member_b = app
        .client_as("member_b", Role::OrgMember, None, Some(p.member_b))
        .await;
    let r = post_form(
        &app,
        &member_b,
        &path,
        &book_form(&date, "14:30", "16:00", "培训"),
        ZH,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.field("start").contains("该时段已被预约"),
        "{}",
        r.field("start")
    );
    assert!(r.field("start").contains("value=\"14:30\""));
    assert!(r.field("end").contains("value=\"16:00\""));
    // An organization outside the hub is refused (403) and sees why on the calendar.
    let outsider = app
        .client_as("outsider", Role::OrgMember, None, Some(p.outsider))
        .await;
    let r = post_form(
        &app,
        &outsider,
        &path,
        &book_form(&date, "16:00", "17:00", "x"),
        ZH,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let cal = get_as(&app, &outsider, &format!("/spaces/{}", p.room), ZH).await;
    cal.assert_has("不是该场地运营枢纽的成员");

    // Hub staff book for a member chosen from the hub's members.
    let staff = app
        .client_as("staff", Role::HubStaff, None, Some(p.hub_org))
        .await;
    let cal = get_as(&app, &staff, &format!("/spaces/{}?week={date}", p.room), ZH).await;
    assert!(
        cal.field("organization_id")
            .contains(&format!("<option value=\"{}\">测试服务中心3", p.member_b))
    );
    let mut form = book_form(&date, "16:00", "17:00", "志愿者培训");
    form.push(("organization_id", p.member_b.to_string()));
    let r = post_form(&app, &staff, &path, &form, ZH).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/bookings/"), "{}", r.location());
    let cal = get_as(&app, &app.anon, &week, ZH).await;
    assert!(cell(&cal, &date, "16:00").contains("测试服务中心3"));

    // Cancelling through the page: 303 to the booking's page, the slot free again.
    let (_, list) = get_json(
        &app,
        &app.anon,
        &format!("/api/v1/spaces/{}/bookings?from={date}&to={date}", p.room),
    )
    .await;
    let mine = list
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["purpose"] == "亲子阅读")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = post_form(
        &app,
        &member_b,
        &format!("/bookings/{mine}/cancel"),
        &[],
        ZH,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post_form(&app, &member, &format!("/bookings/{mine}/cancel"), &[], ZH).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/bookings/{mine}"));
    let cal = get_as(&app, &app.anon, &week, ZH).await;
    assert!(!cell(&cal, &date, "14:00").contains("cal-booked"));
    cal.assert_lacks("亲子阅读");
});

http_test!(venue_space_and_report_forms, |app: TestApp| async move {
    let p = park(&app).await;
    let staff = app
        .client_as("staff", Role::HubStaff, None, Some(p.hub_org))
        .await;
    // New venue: the form, errors kept, then 303.
    let f = get_as(&app, &staff, "/venues/new", ZH).await;
    assert_eq!(f.status, StatusCode::OK);
    assert!(f.field("hub_id").contains(&p.hub_id.to_string()));
    let member = app
        .client_as("member_a", Role::OrgMember, None, Some(p.member_a))
        .await;
    let f = get_as(&app, &member, "/venues/new", ZH).await;
    assert_eq!(f.status, StatusCode::FORBIDDEN);
    let mut form = vec![
        ("hub_id", p.hub_id.to_string()),
        ("name", "梅园第二服务点".to_string()),
        ("address", "梅园新村36号".to_string()),
        ("jurisdiction", MEIYUAN.to_string()),
        ("area_m2", "很大".to_string()),
        ("owner", "街道".to_string()),
        ("free_of_charge", "on".to_string()),
        ("obligation_hours_per_quarter", "40".to_string()),
    ];
    let r = post_form(&app, &staff, "/venues", &form, EN).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field("area_m2").contains("value=\"很大\""));
    assert!(r.field("name").contains("value=\"梅园第二服务点\""));
    assert!(r.field("free_of_charge").contains("checked"));
    assert!(!r.field("utilities_waived").contains("checked"));
    form[4].1 = "80".into();
    let r = post_form(&app, &staff, "/venues", &form, EN).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let vp = get_as(&app, &app.anon, r.location(), EN).await;
    vp.assert_has("梅园第二服务点");
    vp.assert_has("梅园新村36号");
    let id = r.location().trim_start_matches("/venues/").to_string();
    let (_, v) = get_json(&app, &app.anon, &format!("/api/v1/venues/{id}")).await;
    assert_eq!(v["free_of_charge"], true);
    assert_eq!(v["utilities_waived"], false);

    // Edit: the form comes filled; a member may not.
    let e = get_as(&app, &staff, &format!("/venues/{id}/edit"), ZH).await;
    assert!(e.field("area_m2").contains("value=\"80\""));
    let e = get_as(&app, &member, &format!("/venues/{id}/edit"), ZH).await;
    assert_eq!(e.status, StatusCode::FORBIDDEN);
    form[4].1 = "90".into();
    form.push(("utilities_waived", "on".into()));
    let r = post_form(&app, &staff, &format!("/venues/{id}/edit"), &form, ZH).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (_, v) = get_json(&app, &app.anon, &format!("/api/v1/venues/{id}")).await;
    assert_eq!(v["area_m2"], 90);
    assert_eq!(v["utilities_waived"], true);

    // Add a space: errors on the venue page, then 303.
    let path = format!("/venues/{id}/spaces");
    let r = post_form(
        &app,
        &staff,
        &path,
        &[
            ("name", "亲子室".into()),
            ("kind", "meeting_room".into()),
            ("capacity", "0".into()),
        ],
        ZH,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("id=\"sp-field-capacity\""));
    assert!(r.text.contains("value=\"亲子室\""));
    let r = post_form(
        &app,
        &staff,
        &path,
        &[
            ("name", "亲子室".into()),
            ("kind", "activity_room".into()),
            ("capacity", "20".into()),
        ],
        ZH,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let vp = get_as(&app, &app.anon, &format!("/venues/{id}"), ZH).await;
    vp.assert_has("亲子室");
    vp.assert_has("活动室");

    // Report: a member for its own organization; a future quarter is refused inline.
    let rpath = format!("/venues/{}/reports", p.venue);
    let r = post_form(
        &app,
        &member,
        &rpath,
        &[("quarter", "2199Q1".into()), ("service_hours", "12".into())],
        ZH,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("不能填报未来的季度"));
    assert!(r.text.contains("value=\"2199Q1\""));
    let q = shuniu_domain::parks::Quarter::of(today()).to_string();
    let r = post_form(
        &app,
        &member,
        &rpath,
        &[
            ("quarter", q.clone()),
            ("service_hours", "30".into()),
            ("residents_served", "25".into()),
        ],
        ZH,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let vp = get_as(&app, &app.anon, &format!("/venues/{}", p.venue), ZH).await;
    vp.assert_has("<progress class=\"obl-bar\" max=\"100\" value=\"25\"");
    // The quarter reads as words in each language, not as the typed `2026Q4`.
    let now = shuniu_domain::parks::Quarter::of(today());
    let zh_q = ["一", "二", "三", "四"][usize::from(now.quarter) - 1];
    vp.assert_has(&format!("{}年第{zh_q}季度", now.year));
    assert!(!vp.text.contains(&format!(">{now}<")));
    let vp_en = get_as(&app, &app.anon, &format!("/venues/{}", p.venue), EN).await;
    vp_en.assert_has(&format!("Q{} {}", now.quarter, now.year));
    // An allocation through the venue page's form, then ended early.
    let y = today().format("%Y").to_string();
    let r = post_form(
        &app,
        &staff,
        &format!("/spaces/{}/allocations", p.office),
        &[
            ("space_id", p.office.to_string()),
            ("organization_id", p.member_a.to_string()),
            ("starts_on", format!("{y}-01-01")),
            ("ends_on", format!("{y}-12-31")),
        ],
        ZH,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let vp = get_as(&app, &staff, &format!("/venues/{}", p.venue), ZH).await;
    vp.assert_has(&format!("{y}年1月1日 – {y}年12月31日"));
    vp.assert_has("结束分配");
});

http_test!(
    venue_form_lists_the_callers_own_places,
    |app: TestApp| async move {
        use shuniu_domain::jurisdiction::{JurisdictionCode, child_of};
        let p = park(&app).await;
        // A Qinhuai street and a Xinjiekou community, beside the reference tree.
        let qinhuai = app.store.jurisdiction("320104").await.unwrap().unwrap();
        let fuzimiao = child_of(
            &qinhuai,
            JurisdictionCode::parse("320104001000").unwrap(),
            "夫子庙街道",
            "Fuzimiao Street",
        )
        .unwrap();
        app.store.add_jurisdiction(&fuzimiao).await.unwrap();
        let xinjiekou = app
            .store
            .jurisdiction("320102003000")
            .await
            .unwrap()
            .unwrap();
        let community = child_of(
            &xinjiekou,
            JurisdictionCode::parse("320102003001").unwrap(),
            "丹凤街社区",
            "Danfengjie Community",
        )
        .unwrap();
        app.store.add_jurisdiction(&community).await.unwrap();

        // An official of Xuanwu: Xuanwu and its streets and communities, nothing of Qinhuai.
        let official = app
            .client_as("gov.xw", Role::Official, Some("320102"), None)
            .await;
        let f = get_as(&app, &official, "/venues/new", ZH).await;
        assert_eq!(f.status, StatusCode::OK);
        let places = f.field("jurisdiction");
        for code in ["320102", MEIYUAN, "320102003000", "320102003001"] {
            assert!(
                places.contains(&format!("value=\"{code}\"")),
                "{code}: {places}"
            );
        }
        assert!(places.contains("新街口街道"));
        for code in ["320104001000", "320104", "320105", "320100"] {
            assert!(
                !places.contains(&format!("value=\"{code}\"")),
                "{code}: {places}"
            );
        }
        assert!(!places.contains("夫子庙街道"));

        // Hub staff: the hub's street (Meiyuan) and below, not the rest of Xuanwu.
        let staff = app
            .client_as("staff", Role::HubStaff, None, Some(p.hub_org))
            .await;
        let f = get_as(&app, &staff, "/venues/new", ZH).await;
        let places = f.field("jurisdiction");
        assert!(places.contains(&format!("value=\"{MEIYUAN}\"")), "{places}");
        assert!(!places.contains("value=\"320102003000\""), "{places}");
        // A value outside that area is kept selected when the form comes back with errors.
        let form = vec![
            ("hub_id", p.hub_id.to_string()),
            ("name", "新街口服务点".to_string()),
            ("address", "中山路1号".to_string()),
            ("jurisdiction", "320102003000".to_string()),
            ("area_m2", "60".to_string()),
            ("owner", "街道".to_string()),
        ];
        let before = app
            .store
            .list_venues(None, None, 1, 100)
            .await
            .unwrap()
            .total;
        let r = post_form(&app, &staff, "/venues", &form, ZH).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let places = r.field("jurisdiction");
        assert!(
            places.contains("value=\"320102003000\" selected"),
            "{places}"
        );
        assert!(places.contains("须在该枢纽的辖区之内"), "{places}");
        let after = app
            .store
            .list_venues(None, None, 1, 100)
            .await
            .unwrap()
            .total;
        assert_eq!(before, after);

        // Admins: the whole tree (it is small here), communities included.
        let f = get_as(&app, &app.client, "/venues/new", ZH).await;
        let places = f.field("jurisdiction");
        for code in ["320104001000", "320102003001", MEIYUAN] {
            assert!(
                places.contains(&format!("value=\"{code}\"")),
                "{code}: {places}"
            );
        }
    }
);
