//! One real-browser test: headless Chromium, driven through chromedriver, registers an
//! organization through the form and finds it in the list. On the way it writes
//! screenshots of the main pages (zh-CN and English, 1280 px and 375 px wide) into
//! `screenshots/` at the workspace root.
//!
//! Needs `chromedriver` and Chromium (Debian: `apt-get install chromium chromium-driver`);
//! `SHUNIU_CHROMEDRIVER` / `SHUNIU_CHROME` override where they are. Without them the
//! test fails: it never skips.

mod browser_kit;
mod common;
mod pages_support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use shuniu_domain::codes::Uscc;
use shuniu_store::testing::TestBackend;

use common::TestApp;
use pages_support::accounts::make_user;
use pages_support::{org_form, seed_form, with};
use shuniu_domain::access::Role;

use browser_kit::*;

/// The admin the browser signs in as, through the login form.
const ADMIN: &str = "ops.admin";
const ADMIN_PASSWORD: &str = "Browser-Test-42";

/// Name, legal form, USCC type, street, domains, full-time and part-time staff, grade.
type DemoOrg = (
    &'static str,
    &'static str,
    char,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
);

/// A few organizations from the article, so that the pages look like the real thing.
async fn seed_demo(app: &TestApp) {
    let orgs: [DemoOrg; 10] = [
        (
            "梅园新村街道社会组织发展促进会",
            "social_group",
            '1',
            "320102002000",
            &["social_affairs", "public_welfare"],
            "12",
            "8",
            "4A",
        ),
        (
            "东南大学社区院士专家服务站",
            "social_service_institution",
            '2',
            "320102002000",
            &["academic", "public_welfare"],
            "6",
            "14",
            "",
        ),
        (
            "南京玄武一家圆心灵保姆服务中心",
            "social_service_institution",
            '2',
            "320102002000",
            &["elderly", "disability"],
            "9",
            "5",
            "3A",
        ),
        (
            "南京玄武城市符号文化交流中心",
            "social_service_institution",
            '2',
            "320102002000",
            &["culture_sports"],
            "4",
            "6",
            "",
        ),
        (
            "梅园阳光家园残疾人托养中心",
            "social_service_institution",
            '2',
            "320102002000",
            &["disability", "charity_relief"],
            "15",
            "3",
            "5A",
        ),
        (
            "玄武区社会工作服务中心",
            "social_service_institution",
            '2',
            "320102003000",
            &["social_affairs", "employment"],
            "20",
            "10",
            "5A",
        ),
        (
            "儿童孤独症训练中心",
            "social_service_institution",
            '2',
            "320102005000",
            &["children", "disability"],
            "18",
            "4",
            "4A",
        ),
        (
            "玄武区空竹协会",
            "social_group",
            '1',
            "320102007000",
            &["culture_sports"],
            "2",
            "11",
            "",
        ),
        (
            "福禄贝尔童书馆",
            "social_service_institution",
            '2',
            "320102009000",
            &["children", "education"],
            "7",
            "6",
            "3A",
        ),
        (
            "新街口助老服务社",
            "social_service_institution",
            '2',
            "320102003000",
            &["elderly", "public_welfare"],
            "5",
            "9",
            "",
        ),
    ];
    for (i, (name, form, kind, place, domains, ft, pt, grade)) in orgs.into_iter().enumerate() {
        let uscc = Uscc::assemble('5', kind, "320102", &format!("MJ{:06}", 900 + i)).unwrap();
        let mut f = org_form(900 + i as u32);
        for (k, v) in [
            ("name", name),
            ("legal_form", form),
            ("uscc", uscc.as_str()),
            ("jurisdiction", place),
            ("staff_full_time", ft),
            ("staff_part_time", pt),
            ("grade", grade),
            (
                "grade_awarded_on",
                if grade.is_empty() { "" } else { "2023-03-15" },
            ),
        ] {
            f = with(f, k, v);
        }
        f.retain(|(k, _)| *k != "domains");
        for d in domains {
            f.push(("domains", d.to_string()));
        }
        seed_form(app, &f).await;
    }
    let filed = with(
        with(
            with(
                with(org_form(990), "legal_form", "community_filed"),
                "uscc",
                "",
            ),
            "filing_number",
            "320102007000-2016-0031",
        ),
        "jurisdiction",
        "320102007000",
    );
    seed_form(app, &with(filed, "name", "锁金村邻里守望志愿队")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_through_the_form_and_find_it_in_the_list() {
    let driver = Driver::start();
    let profile = Profile::new();
    let app = common::spawn_app(TestBackend::Sqlite).await;
    seed_demo(&app).await;
    make_user(&app, ADMIN, Role::Admin, None, None, ADMIN_PASSWORD, false).await;
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    let client = connect(&driver, &profile.0).await;
    // Run the steps in a task so that the browser is closed even if a step fails.
    let steps = tokio::spawn(run(client.clone(), app.addr.clone(), shots));
    let outcome = steps.await;
    let _ = client.close().await;
    drop(driver);
    drop(profile);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn run(c: Client, base: String, shots: PathBuf) {
    let url = |p: &str| format!("{base}{p}");
    let name = "玄武区银发互助服务中心";
    let uscc = Uscc::assemble('5', '2', "320102", "MJ777001").unwrap();

    // The login page, both languages, desktop and phone widths.
    for lang in ["en", "zh"] {
        goto(&c, &url(&format!("/lang/{lang}?next=/login"))).await;
        wait_for_path(&c, |p| p == "/login").await;
        for width in [1280, 375] {
            goto(&c, &url("/login")).await;
            shoot(&c, &shots, &format!("login-{lang}-{width}"), width).await;
        }
    }
    // Registering needs an account: the form sends an anonymous visitor to sign in,
    // and back afterwards.
    goto(&c, &url("/organizations/new")).await;
    wait_for_path(&c, |p| p == "/login").await;
    type_into(&c, "username", ADMIN).await;
    type_into(&c, "password", ADMIN_PASSWORD).await;
    c.find(Locator::Css("form.login-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&c, |p| p == "/organizations/new").await;
    let who = c
        .find(Locator::Css(".whoami"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(who.contains(ADMIN), "{who}");

    // English first, through the language switch.
    goto(&c, &url("/lang/en?next=/")).await;
    wait_for_path(&c, |p| p == "/").await;
    let html_lang = c
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap();
    assert_eq!(html_lang.as_deref(), Some("en"));

    // A form with mistakes comes back with the messages and what was typed.
    goto(&c, &url("/organizations/new")).await;
    type_into(&c, "name", "X").await;
    type_into(&c, "uscc", "51320102MJ7770010X").await;
    type_into(&c, "staff_full_time", "-3").await;
    c.find(Locator::Css("form.org-form button[type=submit]"))
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
    assert!(summary.text().await.unwrap().contains("There is a problem"));
    audit(&c, "registration form with errors").await;
    let typed = c
        .find(Locator::Css("[name=uscc]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(typed.as_deref(), Some("51320102MJ7770010X"));
    let err = c
        .find(Locator::Css("#err-name"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(err.contains("at least 2 characters"), "{err}");

    // Now fill it in properly and register.
    type_into(&c, "name", name).await;
    choose(&c, "legal_form", "social_service_institution").await;
    type_into(&c, "uscc", uscc.as_str()).await;
    choose(&c, "jurisdiction", "320102007000").await;
    type_into(&c, "address", "南京市玄武区锁金村10号").await;
    set_date(&c, "founded_on", "2018-05-20").await;
    type_into(&c, "legal_representative", "李静").await;
    type_into(&c, "contact_phone", "025-84123456").await;
    for d in ["elderly", "public_welfare"] {
        let b = c
            .find(Locator::Css(&format!("input[name=domains][value={d}]")))
            .await
            .unwrap();
        if b.prop("checked").await.unwrap().as_deref() != Some("true") {
            b.click().await.unwrap();
        }
    }
    choose(&c, "stage", "start_up").await;
    type_into(&c, "staff_full_time", "3").await;
    type_into(&c, "staff_part_time", "2").await;
    type_into(&c, "volunteers", "40").await;
    c.find(Locator::Css("form.org-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let detail = wait_for_path(&c, |p| {
        p.strip_prefix("/organizations/")
            .is_some_and(|id| uuid::Uuid::parse_str(id).is_ok())
    })
    .await;
    let h1 = c
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(h1, name);
    audit(&c, "organization just registered").await;

    // Find it in the list through the search box.
    goto(&c, &url("/organizations")).await;
    type_into(&c, "q", "银发互助").await;
    c.find(Locator::Css("form.filters button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Wait for the filtered page itself: the unfiltered one lists the name too.
    let deadline = Instant::now() + Duration::from_secs(15);
    while !c
        .current_url()
        .await
        .unwrap()
        .query()
        .is_some_and(|q| q.contains("q="))
    {
        assert!(Instant::now() < deadline, "the search was not submitted");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let link = c.wait().for_element(Locator::LinkText(name)).await.unwrap();
    assert_eq!(
        link.attr("href").await.unwrap().as_deref(),
        Some(detail.as_str())
    );
    let rows = c
        .find_all(Locator::Css("table.org-list tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    audit(&c, "organization search results").await;
    link.click().await.unwrap();
    wait_for_path(&c, |p| p == detail).await;

    // Screenshots: every main page, both languages, desktop and phone widths.
    for lang in ["en", "zh"] {
        goto(&c, &url(&format!("/lang/{lang}?next=/"))).await;
        wait_for_path(&c, |p| p == "/").await;
        let want = if lang == "zh" { "zh-CN" } else { "en" };
        let got = c
            .find(Locator::Css("html"))
            .await
            .unwrap()
            .attr("lang")
            .await
            .unwrap();
        assert_eq!(got.as_deref(), Some(want));
        for width in [1280, 375] {
            goto(&c, &url("/")).await;
            shoot(&c, &shots, &format!("home-{lang}-{width}"), width).await;
            goto(&c, &url("/jurisdictions/320102")).await;
            shoot(&c, &shots, &format!("jurisdiction-{lang}-{width}"), width).await;
            goto(&c, &url("/organizations")).await;
            shoot(&c, &shots, &format!("list-{lang}-{width}"), width).await;
            goto(&c, &url(&detail)).await;
            shoot(&c, &shots, &format!("detail-{lang}-{width}"), width).await;
            goto(&c, &url(&format!("{detail}/status"))).await;
            shoot(&c, &shots, &format!("status-{lang}-{width}"), width).await;
            goto(&c, &url("/organizations/new")).await;
            type_into(&c, "name", "X").await;
            type_into(&c, "uscc", "51320102MJ7770010X").await;
            type_into(&c, "staff_full_time", "-3").await;
            c.find(Locator::Css("form.org-form button[type=submit]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            c.wait()
                .for_element(Locator::Css("#error-summary"))
                .await
                .unwrap();
            shoot(&c, &shots, &format!("create-errors-{lang}-{width}"), width).await;
            goto(&c, &url("/account")).await;
            shoot(&c, &shots, &format!("account-{lang}-{width}"), width).await;
            goto(&c, &url("/admin/users")).await;
            shoot(&c, &shots, &format!("users-{lang}-{width}"), width).await;
            goto(&c, &url("/audit")).await;
            shoot(&c, &shots, &format!("audit-{lang}-{width}"), width).await;
        }
    }
    // The page still fits a phone: nothing wider than the viewport.
    c.set_window_size(375, 900).await.unwrap();
    for p in [
        "/",
        "/organizations",
        detail.as_str(),
        "/organizations/new",
        "/account",
        "/admin/users",
        "/audit",
    ] {
        goto(&c, &url(p)).await;
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
            "{p} scrolls sideways by {overflow}px at 375px"
        );
    }
    // Signing out ends the session: the form asks to sign in again.
    goto(&c, &url("/")).await;
    c.find(Locator::Css("form.logout-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&c, |p| p == "/").await;
    c.wait()
        .for_element(Locator::Css("a.signin"))
        .await
        .unwrap();
    audit(&c, "home after signing out").await;
    goto(&c, &url("/account")).await;
    wait_for_path(&c, |p| p == "/login").await;
}

/// A member of a Meiyuan organization, for the booking story.
const MEMBER: &str = "yijiayuan.staff";
const MEMBER_PASSWORD: &str = "Browser-Member-42";

/// Issue 4 in a real browser, on the whole Xuanwu demo: the district's 一核两轴 diagram
/// is live (its nodes are links that lead to the hub), the street's 1+1+X, and a member
/// taps a free hour on the calendar, books it through the form it fills, lands on the
/// booking's confirmation — then cannot book the same slot twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_structure_and_room_booking() {
    let driver = Driver::start();
    let profile = Profile::new();
    let app = common::spawn_app(TestBackend::Sqlite).await;
    let today = shuniu_web::today();
    let summary = shuniu_demo::load(&app.store, today).await.unwrap();
    assert!(summary.loaded);
    app.reindex().await;
    let member_org = app
        .store
        .list_organizations(
            &shuniu_store::OrgFilter {
                q: Some("南京玄武一家圆心灵保姆服务中心".into()),
                ..Default::default()
            },
            1,
            5,
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .next()
        .expect("the demo holds the initiating unit");
    make_user(
        &app,
        MEMBER,
        Role::OrgMember,
        None,
        Some(member_org.id),
        MEMBER_PASSWORD,
        false,
    )
    .await;
    make_user(&app, ADMIN, Role::Admin, None, None, ADMIN_PASSWORD, false).await;
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    // The venue at 梅园新村34号 and its first activity room.
    let venue = app
        .store
        .list_venues(Some("320000/320100/320102/320102002000/"), None, 1, 10)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|v| v.data.address.contains("梅园新村34号"))
        .expect("the Meiyuan service park");
    let room = app
        .store
        .spaces_of(venue.id)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.data.kind.is_bookable())
        .expect("a bookable room");
    // A free hour a week ahead (the demo books the coming ten days at random).
    let day = today + chrono::Duration::days(7);
    let tz = shuniu_domain::parks::shanghai();
    let at = |h: u32| {
        use chrono::TimeZone;
        tz.from_local_datetime(&day.and_hms_opt(h, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let taken = app
        .store
        .bookings_between(room.id, at(8), at(21))
        .await
        .unwrap();
    let hour = (8..20)
        .rev()
        .find(|h| {
            taken
                .iter()
                .all(|b| b.ends_at <= at(*h) || b.starts_at >= at(h + 1))
        })
        .expect("a free hour");

    let client = connect(&driver, &profile.0).await;
    let steps = tokio::spawn(booking_story(
        client.clone(),
        app.addr.clone(),
        shots,
        venue.id.to_string(),
        room.id.to_string(),
        day.to_string(),
        hour,
    ));
    let outcome = steps.await;
    let _ = client.close().await;
    drop(driver);
    drop(profile);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
    // What the browser booked is in the database, once.
    let booked = app
        .store
        .bookings_between(room.id, at(hour), at(hour + 1))
        .await
        .unwrap();
    assert_eq!(booked.len(), 1, "{booked:?}");
    assert_eq!(booked[0].organization_id, member_org.id);
    assert_eq!(booked[0].purpose, "浏览器测试：邻里议事会");
}

// Type sizes, tap targets and the elderly mode (issue 13).
mod browser_type;

// The booking story lives in its own file: it is the longest of the stories.
mod browser_booking;
use browser_booking::booking_story;

// Every page, every role, both widths and languages, through axe.
mod browser_audit;

// The resident and desk pages in both languages, modes and widths, written for review.
mod browser_shots;
