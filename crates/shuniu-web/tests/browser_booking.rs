//! The browser test's booking story: a member books a free slot, sees the
//! confirmation, and the hub sees the booking (part of `hub_structure_and_room_booking`).

use super::*;

pub(super) async fn booking_story(
    c: Client,
    base: String,
    shots: PathBuf,
    venue: String,
    room: String,
    day: String,
    hour: u32,
) {
    let url = |p: &str| format!("{base}{p}");
    // The diagram is drawn from live data: the Meiyuan street node names its hub and
    // its 36 members, and following the hub's node leads to the hub's page.
    goto(&c, &url("/lang/zh?next=/structure/320102")).await;
    wait_for_path(&c, |p| p == "/structure/320102").await;
    let svg = c.find(Locator::Css("svg.structure-diagram")).await.unwrap();
    let text = svg.text().await.unwrap();
    assert!(text.contains("玄武区社会组织党建工作委员会"), "{text}");
    assert!(text.contains("梅园新村街道社会组织发展促进会"), "{text}");
    assert!(text.contains("36"), "{text}");
    let links = c
        .find_all(Locator::Css("svg.structure-diagram a"))
        .await
        .unwrap();
    // The core, 7 streets with their hubs, 4 industry hubs.
    let nodes = 1 + 7 * 2 + 4;
    assert!(links.len() >= nodes, "only {} node links", links.len());
    let mut hub_href = None;
    for a in &links {
        let t = a.text().await.unwrap_or_default();
        let href = a.attr("href").await.unwrap().unwrap_or_default();
        if t.contains("梅园新村街道社会组织发展促进会") && href.starts_with("/hubs/")
        {
            hub_href = Some(href);
            a.click().await.unwrap();
            break;
        }
    }
    let hub_href = hub_href.expect("the Meiyuan hub node is a link");
    let on = wait_for_path(&c, |p| p.starts_with("/hubs/")).await;
    audit(&c, "hub reached from the diagram").await;
    assert_eq!(on, hub_href);
    let body = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("东南大学社区院士专家服务站"), "{body}");

    // The member signs in and taps the free hour on the calendar: the form comes
    // filled with the room, day, start and an hour later.
    let calendar = format!("/spaces/{room}?week={day}");
    sign_in(&c, &base, MEMBER, MEMBER_PASSWORD, &calendar).await;
    goto(&c, &url(&calendar)).await;
    let start = format!("{hour:02}:00");
    let end = format!("{:02}:00", hour + 1);
    c.find(Locator::Css(&format!(
        "td[data-date=\"{day}\"][data-time=\"{start}\"] a.cal-book"
    )))
    .await
    .expect("the free hour is a link")
    .click()
    .await
    .unwrap();
    let value = |name: &'static str| {
        let c = c.clone();
        async move {
            c.find(Locator::Css(&format!("[name={name}]")))
                .await
                .unwrap()
                .prop("value")
                .await
                .unwrap()
                .unwrap_or_default()
        }
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while value("start").await != start {
        assert!(
            Instant::now() < deadline,
            "the form is not filled with {start}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(value("date").await, day);
    assert_eq!(value("end").await, end);
    audit(&c, "booking form filled from the calendar").await;
    type_into(&c, "purpose", "浏览器测试：邻里议事会").await;
    type_into(&c, "attendees", "12").await;
    c.find(Locator::Css(&format!(
        "form[action=\"/spaces/{room}/bookings\"] button[type=submit]"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    // The booking's own page confirms it, with the details and a print button.
    wait_for_path(&c, |p| p.starts_with("/bookings/")).await;
    assert!(
        wait_for_text(&c, "main", "预约成功").await,
        "no confirmation"
    );
    audit(&c, "booking confirmation").await;
    let confirmation = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for s in [
        "浏览器测试：邻里议事会",
        day.as_str(),
        start.as_str(),
        "BK-",
    ] {
        assert!(confirmation.contains(s), "{s}: {confirmation}");
    }
    let print = c.find(Locator::Css("button[data-print]")).await.unwrap();
    assert!(
        print.is_displayed().await.unwrap(),
        "the script shows print"
    );
    shoot(&c, &shots, "booking-confirmed-zh-1280", 1280).await;
    // Back on the calendar, the hour is booked.
    goto(&c, &url(&calendar)).await;
    assert!(
        wait_for_text(&c, "main", "浏览器测试：邻里议事会").await,
        "the booking is not on the calendar"
    );

    // The same hour again: refused, with the message at the start time.
    set_date(&c, "date", &day).await;
    set_date(&c, "start", &start).await;
    set_date(&c, "end", &end).await;
    type_into(&c, "purpose", "重复预约").await;
    c.find(Locator::Css(&format!(
        "form[action=\"/spaces/{room}/bookings\"] button[type=submit]"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let summary = c
        .wait()
        .for_element(Locator::Css("#error-summary"))
        .await
        .unwrap();
    let msg = summary.text().await.unwrap();
    assert!(!msg.trim().is_empty());
    audit(&c, "booking form refusing a taken hour").await;
    // Not on the calendar; still in the form, as typed.
    let page = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("重复预约"), "{page}");
    let typed = c
        .find(Locator::Css("[name=purpose]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(typed.as_deref(), Some("重复预约"));

    // Screenshots of the pages, both languages, desktop and phone; an admin
    // sees the coverage report too.
    c.find(Locator::Css("form.logout-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("a.signin"))
        .await
        .unwrap();
    sign_in(&c, &base, ADMIN, ADMIN_PASSWORD, "/").await;
    for lang in ["zh", "en"] {
        goto(&c, &url(&format!("/lang/{lang}?next=/"))).await;
        wait_for_path(&c, |p| p == "/").await;
        for width in [1280, 375] {
            for (name, path) in [
                ("structure-district", "/structure/320102".to_string()),
                ("structure-street", "/structure/320102002000".to_string()),
                ("hub", hub_href.clone()),
                ("hubs", "/hubs".to_string()),
                ("venue", format!("/venues/{venue}")),
                ("calendar", calendar.clone()),
                ("coverage", "/coverage/320102".to_string()),
            ] {
                goto(&c, &url(&path)).await;
                shoot(&c, &shots, &format!("{name}-{lang}-{width}"), width).await;
                if width == 375 {
                    let overflow = c
                        .execute(
                            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                            vec![],
                        )
                        .await
                        .unwrap()
                        .as_i64()
                        .unwrap();
                    assert!(
                        overflow <= 0,
                        "{path} scrolls sideways by {overflow}px at 375px"
                    );
                }
            }
        }
    }
}
