//! Booking that reassures (issue 13), on SQLite and PostgreSQL: a free slot opens the
//! booking form filled in; booking lands on the booking's page (details, a printable
//! slip) seen by its organization and those who run the venue only; cancelling asks
//! first and says what happens; opening-hours errors sit on the field that is wrong;
//! a GET of a form action finds the page with the form; people by display name.

use crate::common;
use crate::pages_support;
use crate::parks_support;

use common::TestApp;
use pages_support::{EN, ZH};
use parks_support::*;
use reqwest::StatusCode;
use shuniu_domain::access::Role;

/// The `href` of the first link in `html`.
fn href_in(html: &str) -> Option<String> {
    let i = html.find("href=\"")? + "href=\"".len();
    let j = html[i..].find('"')?;
    Some(html[i..i + j].to_string())
}

/// The Monday of the week of `date` (`YYYY-MM-DD`).
fn monday_of(date: &str) -> String {
    use chrono::Datelike;
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    (d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()))).to_string()
}

http_test!(
    a_free_slot_opens_the_form_filled_in,
    |app: TestApp| async move {
        let p = park(&app).await;
        let member = app
            .client_as("member_a", Role::OrgMember, None, Some(p.member_a))
            .await;
        let date = day(8);
        let week = format!("/spaces/{}?week={date}", p.room);
        // A booking at 10:00 shortens the hour a slot just before it proposes.
        let (st, v) = post_json(
            &app,
            &app.client,
            &format!("/api/v1/spaces/{}/bookings", p.room),
            &booking(p.member_b, &date, "10:00", "11:00", "读书会"),
        )
        .await;
        assert_eq!(st, 201, "{v}");

        let cal = get_as(&app, &member, &week, EN).await;
        assert_eq!(cal.status, StatusCode::OK);
        cal.assert_has("Tap a free slot to book it.");
        let monday = monday_of(&date);
        // A free slot links to the form with the room, day, start and an hour later.
        let c = cell(&cal, &date, "09:00");
        assert!(c.contains("class=\"cal-book\""), "{c}");
        let link = href_in(c).expect("a free slot is a link");
        assert_eq!(
            link,
            format!(
                "/spaces/{}?week={monday}&date={date}&start=09:00&end=10:00#book",
                p.room
            )
        );
        // Its words for a screen reader name the day and time.
        assert!(c.contains("Book ") && c.contains(" at 09:00"), "{c}");
        // Half an hour before the next booking: the end stops at its start.
        let c = cell(&cal, &date, "09:30");
        assert!(
            href_in(c).unwrap().contains("&start=09:30&end=10:00#book"),
            "{c}"
        );
        // Half an hour before closing (21:00): the end is closing time.
        let c = cell(&cal, &date, "20:30");
        assert!(
            href_in(c).unwrap().contains("&start=20:30&end=21:00#book"),
            "{c}"
        );
        // A booked slot is no link to book; a slot in the past neither.
        assert!(!cell(&cal, &date, "10:00").contains("class=\"cal-book\""));
        let yesterday = day(-1);
        let past = get_as(
            &app,
            &member,
            &format!("/spaces/{}?week={yesterday}", p.room),
            EN,
        )
        .await;
        assert!(!cell(&past, &yesterday, "09:00").contains("class=\"cal-book\""));
        // Phones get a "book this day" link per day to come.
        let list = &cal.text[cal.text.find("class=\"cal-days\"").unwrap()..];
        assert!(
            list.contains(&format!(
                "/spaces/{}?week={monday}&date={date}#book",
                p.room
            )),
            "{list}"
        );

        // Following the link: the form holds that day and those times.
        let form = get_as(&app, &member, link.trim_end_matches("#book"), EN).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.field("date").contains(&format!("value=\"{date}\"")),
            "{}",
            form.field("date")
        );
        assert!(form.field("start").contains("value=\"09:00\""));
        assert!(form.field("end").contains("value=\"10:00\""));
        // The week shown is the slot's.
        assert!(cell(&form, &date, "10:00").contains("读书会"));
        // Only a start: the end proposed is an hour later, or closing time.
        let f = get_as(
            &app,
            &member,
            &format!("/spaces/{}?date={date}&start=14:30", p.room),
            EN,
        )
        .await;
        assert!(
            f.field("end").contains("value=\"15:30\""),
            "{}",
            f.field("end")
        );
        let f = get_as(
            &app,
            &member,
            &format!("/spaces/{}?date={date}&start=20:30", p.room),
            EN,
        )
        .await;
        assert!(
            f.field("end").contains("value=\"21:00\""),
            "{}",
            f.field("end")
        );

        // Nobody who may not book here gets links to book.
        let anon = get_as(&app, &app.anon, &week, ZH).await;
        assert!(!cell(&anon, &date, "09:00").contains("class=\"cal-book\""));
        let outsider = app
            .client_as("outsider", Role::OrgMember, None, Some(p.outsider))
            .await;
        let o = get_as(&app, &outsider, &week, ZH).await;
        assert!(!cell(&o, &date, "09:00").contains("class=\"cal-book\""));
        // Hub staff book for members: they get the links too.
        let staff = app
            .client_as("staff", Role::HubStaff, None, Some(p.hub_org))
            .await;
        let st = get_as(&app, &staff, &week, ZH).await;
        assert!(cell(&st, &date, "09:00").contains("class=\"cal-book\""));
        st.assert_has("点空闲格子即可预约该时段。");
    }
);

http_test!(
    booking_lands_on_its_confirmation,
    |app: TestApp| async move {
        let p = park(&app).await;
        let member = app
            .client_as_named(
                "member_a",
                "王小梅",
                Role::OrgMember,
                None,
                Some(p.member_a),
            )
            .await;
        let date = day(9);
        let r = post_form(
            &app,
            &member,
            &format!("/spaces/{}/bookings", p.room),
            &book_form(&date, "14:00", "15:30", "亲子阅读"),
            ZH,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let here = r.location().to_string();
        let id = here.strip_prefix("/bookings/").expect("the booking's page");
        let (_, v) = get_json(&app, &app.anon, &format!("/api/v1/bookings/{id}")).await;
        let number = v["number"].as_str().unwrap().to_string();

        // The confirmation in Chinese: what, where, when (Beijing time), for and by whom.
        let page = get_as(&app, &member, &here, ZH).await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_lang("zh-CN");
        page.assert_has("预约成功");
        page.assert_has(&format!("<span class=\"booking-no\">{number}</span>"));
        for s in [
            "梅园新村街道社会组织服务园",
            "梅园新村34号",
            "多功能活动室",
            &date,
            "14:00–15:30（北京时间）",
            "测试服务中心2",
            "亲子阅读",
            "王小梅",
            "已确认",
        ] {
            page.assert_has(s);
        }
        page.assert_lacks("member_a");
        // Links back to the room's week, the venue and the organization.
        page.assert_has(&format!(
            "href=\"/spaces/{}?week={}\"",
            p.room,
            monday_of(&date)
        ));
        page.assert_has(&format!("href=\"/venues/{}\"", p.venue));
        page.assert_has(&format!("href=\"/organizations/{}\"", p.member_a));
        // The slip prints: a print button the script shows, words for the browser's print
        // command, and a print section in the stylesheet that leaves the rest out.
        page.assert_has("data-print hidden");
        page.assert_has("浏览器菜单中的“打印”命令");
        page.assert_has("class=\"panel booking-slip\"");
        let css = app
            .anon
            .get(app.url("/static/style.css"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let print = &css[css.find("@media print").expect("a print section")..];
        assert!(print.contains(".site-header") && print.contains(".booking-slip"));
        assert!(css.contains(
            ".booking-no { font-family: var(--mono); font-size: .9em; white-space: nowrap;"
        ));
        let js = app
            .anon
            .get(app.url("/static/app.js"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(js.contains("[data-print]") && js.contains("window.print()"));

        // In English, the same booking.
        let page = get_as(&app, &member, &here, EN).await;
        page.assert_lang("en");
        page.assert_has("Booking confirmed");
        page.assert_has("14:00–15:30 (Beijing time)");
        page.assert_has("Booked by");
        page.assert_has("王小梅");
        page.assert_lacks("北京时间");

        // Seen by the venue's hub staff and the official over it (and admins).
        let staff = app
            .client_as("staff", Role::HubStaff, None, Some(p.hub_org))
            .await;
        let xuanwu = app
            .client_as("gov.xw", Role::Official, Some("320102"), None)
            .await;
        for c in [&staff, &xuanwu, &app.client] {
            let page = get_as(&app, c, &here, ZH).await;
            assert_eq!(page.status, StatusCode::OK);
            page.assert_has("王小梅");
        }
        // Not there for anyone else; an anonymous caller is asked to sign in.
        let member_b = app
            .client_as("member_b", Role::OrgMember, None, Some(p.member_b))
            .await;
        let qinhuai = app
            .client_as("gov.qh", Role::Official, Some("320104"), None)
            .await;
        for c in [&member_b, &qinhuai] {
            let page = get_as(&app, c, &here, ZH).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND);
            page.assert_lacks("亲子阅读");
        }
        let page = get_as(&app, &app.anon, &here, ZH).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert!(page.location().starts_with("/login"), "{}", page.location());
        let page = get_as(
            &app,
            &member,
            "/bookings/01900000-0000-7000-8000-000000000000",
            ZH,
        )
        .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);

        // The calendar names the booker by display name and links the booking's number.
        let cal = get_as(
            &app,
            &member,
            &format!("/spaces/{}?week={date}", p.room),
            ZH,
        )
        .await;
        let c = cell(&cal, &date, "14:00");
        assert!(c.contains("预约人 王小梅"), "{c}");
        assert!(!c.contains("member_a"), "{c}");
        assert!(
            c.contains(&format!(
                "<a class=\"booking-no\" href=\"/bookings/{id}\">{number}</a>"
            )),
            "{c}"
        );
        // Those who may not see who booked get no link to the booking either.
        let anon = get_as(
            &app,
            &app.anon,
            &format!("/spaces/{}?week={date}", p.room),
            ZH,
        )
        .await;
        let c = cell(&anon, &date, "14:00");
        assert!(c.contains(&number) && !c.contains("/bookings/"), "{c}");
        anon.assert_lacks("王小梅");
        // The API says the same, to the same people.
        let (_, v) = get_json(&app, &member, &format!("/api/v1/bookings/{id}")).await;
        assert_eq!(v["booked_by"], "member_a");
        assert_eq!(v["booked_by_name"], "王小梅");
        let (_, v) = get_json(&app, &app.anon, &format!("/api/v1/bookings/{id}")).await;
        assert!(v["booked_by_name"].is_null(), "{v}");
    }
);

http_test!(cancelling_asks_first, |app: TestApp| async move {
    let p = park(&app).await;
    let member = app
        .client_as("member_a", Role::OrgMember, None, Some(p.member_a))
        .await;
    let date = day(10);
    let r = post_form(
        &app,
        &member,
        &format!("/spaces/{}/bookings", p.room),
        &book_form(&date, "09:00", "10:00", "议事会"),
        EN,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let here = r.location().to_string();
    let ask = format!("{here}/cancel");
    let week = format!("/spaces/{}?week={date}", p.room);

    // The calendar's cancel is a link to the question, not a one-tap form.
    let cal = get_as(&app, &member, &week, EN).await;
    let c = cell(&cal, &date, "09:00");
    assert!(
        c.contains(&format!("href=\"{ask}\"")) && c.contains("Cancel booking"),
        "{c}"
    );
    assert!(!c.contains("method=\"post\""), "{c}");
    // So is the booking page's.
    get_as(&app, &member, &here, EN)
        .await
        .assert_has(&format!("href=\"{ask}\""));

    // The question: the booking, what happens, "Yes, cancel" (a POST with the CSRF
    // token) and "Keep it".
    let q = get_as(&app, &member, &ask, EN).await;
    assert_eq!(q.status, StatusCode::OK);
    q.assert_lang("en");
    for s in [
        "Cancel booking BK-",
        "议事会",
        "The time is freed at once",
        "stays on record as cancelled",
        "No message is sent",
        "Yes, cancel the booking",
        "Keep the booking",
    ] {
        q.assert_has(s);
    }
    q.assert_has(&format!(
        "<form class=\"form-actions\" method=\"post\" action=\"{ask}\">"
    ));
    q.assert_has("name=\"_csrf\"");
    q.assert_has(&format!("<a class=\"button secondary\" href=\"{here}\">"));
    let zh = get_as(&app, &member, &ask, ZH).await;
    zh.assert_has("该时段立即释放");
    zh.assert_has("确认取消预约");
    zh.assert_has("保留预约");
    // Asking cancels nothing.
    assert!(cell(&get_as(&app, &app.anon, &week, EN).await, &date, "09:00").contains("议事会"));
    // Someone who does not see the booking is not asked; nor is an anonymous caller.
    let member_b = app
        .client_as("member_b", Role::OrgMember, None, Some(p.member_b))
        .await;
    assert_eq!(
        get_as(&app, &member_b, &ask, EN).await.status,
        StatusCode::NOT_FOUND
    );
    let anon = get_as(&app, &app.anon, &ask, EN).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert!(anon.location().starts_with("/login"));

    // Yes: 303 to the booking's page, which says it is cancelled and what that means.
    let r = post_form(&app, &member, &ask, &[], EN).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), here);
    let page = get_as(&app, &member, &here, EN).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_has("Booking cancelled");
    page.assert_has("its time is free for others to book");
    page.assert_has("Cancelled");
    page.assert_lacks(&format!("href=\"{ask}\""));
    page.assert_lacks("data-print");
    // The slot is free again; asking again goes to the booking's page.
    assert!(!cell(&get_as(&app, &app.anon, &week, EN).await, &date, "09:00").contains("议事会"));
    let again = get_as(&app, &member, &ask, EN).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location(), here);
});

http_test!(
    errors_sit_on_the_field_that_is_wrong,
    |app: TestApp| async move {
        let p = park(&app).await;
        let member = app
            .client_as("member_a", Role::OrgMember, None, Some(p.member_a))
            .await;
        let date = day(5);
        let path = format!("/spaces/{}/bookings", p.room);
        // Past closing time (21:00): the end is wrong, the start is fine.
        let r = post_form(
            &app,
            &member,
            &path,
            &book_form(&date, "20:00", "21:30", "晚间活动"),
            ZH,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.field("end").contains("开放时间为8:00–21:00"),
            "{}",
            r.field("end")
        );
        assert!(
            !r.field("start").contains("开放时间为"),
            "{}",
            r.field("start")
        );
        assert!(r.field("end").contains("value=\"21:30\""));
        // Before opening: the start.
        let r = post_form(
            &app,
            &member,
            &path,
            &book_form(&date, "07:00", "09:00", "晨练"),
            EN,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.field("start").contains("open 8:00–21:00"),
            "{}",
            r.field("start")
        );
        assert!(!r.field("end").contains("open 8:00"), "{}", r.field("end"));
        // The API names the same fields.
        let url = format!("/api/v1/spaces/{}/bookings", p.room);
        for (start, end, field) in [("20:00", "21:30", "end"), ("07:00", "09:00", "start")] {
            let (st, v) = post_json(
                &app,
                &member,
                &url,
                &booking(p.member_a, &date, start, end, "x"),
            )
            .await;
            assert_eq!(st, 422, "{v}");
            let fields: Vec<&String> = v["fields"].as_object().unwrap().keys().collect();
            assert_eq!(fields, vec![field], "{start}–{end}: {v}");
        }
    }
);

http_test!(
    a_form_action_opened_directly_finds_its_form,
    |app: TestApp| async move {
        let p = park(&app).await;
        let y = today().format("%Y").to_string();
        let (st, v) = post_json(
        &app,
        &app.client,
        &format!("/api/v1/spaces/{}/allocations", p.office),
        &serde_json::json!({"organization_id": p.member_b, "starts_on": format!("{y}-01-01"), "ends_on": format!("{y}-12-31")}),
    )
    .await;
        assert_eq!(st, 201, "{v}");
        let allocation = v["id"].as_str().unwrap().to_string();
        let date = day(6);
        for (path, to) in [
            (
                format!("/spaces/{}/bookings", p.room),
                format!("/spaces/{}#book", p.room),
            ),
            (
                format!(
                    "/spaces/{}/bookings?date={date}&start=09:00&purpose=x",
                    p.room
                ),
                format!(
                    "/spaces/{}?week={date}&date={date}&start=09:00#book",
                    p.room
                ),
            ),
            // What is not a date or a time is left behind.
            (
                format!("/spaces/{}/bookings?date=soon&start=%3Cb%3E", p.room),
                format!("/spaces/{}#book", p.room),
            ),
            (
                format!("/venues/{}/spaces", p.venue),
                format!("/venues/{}#spaces", p.venue),
            ),
            (
                format!("/venues/{}/reports", p.venue),
                format!("/venues/{}#obligations", p.venue),
            ),
            (
                format!("/spaces/{}/allocations", p.office),
                format!("/venues/{}#allocations", p.venue),
            ),
            (
                format!("/allocations/{allocation}/end"),
                format!("/venues/{}#allocations", p.venue),
            ),
        ] {
            for c in [&app.anon, &app.client] {
                let r = get_as(&app, c, &path, ZH).await;
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
                assert_eq!(r.location(), to, "{path}");
            }
        }
        // The page the booking form's address leads to holds the form, filled in.
        let staff = app
            .client_as("staff", Role::HubStaff, None, Some(p.hub_org))
            .await;
        let f = get_as(
            &app,
            &staff,
            &format!("/spaces/{}?week={date}&date={date}&start=09:00", p.room),
            ZH,
        )
        .await;
        f.assert_has(&format!("action=\"/spaces/{}/bookings\"", p.room));
        assert!(f.field("start").contains("value=\"09:00\""));
        // Unknown records are not there.
        let unknown = "01900000-0000-7000-8000-000000000000";
        for path in [
            format!("/spaces/{unknown}/bookings"),
            format!("/venues/{unknown}/spaces"),
            format!("/venues/{unknown}/reports"),
            format!("/spaces/{unknown}/allocations"),
            format!("/allocations/{unknown}/end"),
            format!("/bookings/{unknown}/cancel"),
        ] {
            let r = get_as(&app, &app.client, &path, EN).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
            r.assert_lang("en");
        }
    }
);

http_test!(a_system_booking_names_no_login, |app: TestApp| async move {
    use shuniu_domain::parks::{BookingDraft, BookingRules};
    let p = park(&app).await;
    // The demo loader (and the shell) book under a system name that is no account.
    let date = day(4);
    let request = BookingDraft {
        date: Some(date.clone()),
        start: Some("09:00".into()),
        end: Some("10:00".into()),
        purpose: Some("演示预约".into()),
        attendees: Some("8".into()),
    }
    .validate(&BookingRules::default(), chrono::Utc::now(), 30)
    .unwrap();
    let b = app
        .store
        .book_space(
            p.room,
            p.member_a,
            &request,
            30,
            shuniu_store::WriteCtx::system("demo"),
        )
        .await
        .unwrap();
    let staff = app
        .client_as("staff", Role::HubStaff, None, Some(p.hub_org))
        .await;
    let cal = get_as(&app, &staff, &format!("/spaces/{}?week={date}", p.room), EN).await;
    let c = cell(&cal, &date, "09:00");
    assert!(c.contains("演示预约") && !c.contains("booked by"), "{c}");
    assert!(!c.contains("demo"), "{c}");
    let page = get_as(&app, &staff, &format!("/bookings/{}", b.id), EN).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_has("Entered by the system");
    page.assert_lacks(">demo<");
    let (_, v) = get_json(&app, &staff, &format!("/api/v1/bookings/{}", b.id)).await;
    assert_eq!(v["booked_by"], "demo");
    assert!(v["booked_by_name"].is_null(), "{v}");
});
