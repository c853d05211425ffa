//! The broad accessibility audit (issue 13): on the whole Xuanwu demo, every page a
//! person uses, as each kind of visitor, at desktop and phone width, in both languages,
//! goes through axe-core; the test fails on any WCAG 2.0/2.1 A or AA violation and lists
//! them all (rule, impact, elements, page). Then the elderly-mode pages, cookie set.

use super::*;
use serde_json::json;

const OFFICIAL: &str = "xw.official";
const HUB_STAFF: &str = "meiyuan.hub";
const PASSWORD: &str = "Browser-Audit-42";

/// Who visits: a login (None for anonymous) and a name for the report.
type Visitor = (&'static str, Option<&'static str>);

const VISITORS: [Visitor; 5] = [
    ("anonymous", None),
    ("member", Some(MEMBER)),
    ("hub staff", Some(HUB_STAFF)),
    ("official", Some(OFFICIAL)),
    ("admin", Some(ADMIN)),
];

/// The pages audited in elderly mode too (cookie `display=elder`), held to AAA
/// contrast there.
const ELDERLY_PAGES: [&str; 7] = [
    "/",
    "/my",
    "/organizations",
    "/hubs",
    "/venues",
    "/glossary",
    "/login",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_passes_axe_for_every_visitor() {
    let driver = Driver::start();
    let profile = Profile::new();
    let app = common::spawn_app(TestBackend::Sqlite).await;
    let today = shuniu_web::today();
    assert!(shuniu_demo::load(&app.store, today).await.unwrap().loaded);
    app.reindex().await;
    let org_named = |name: &'static str| {
        let store = app.store.clone();
        async move {
            store
                .list_organizations(
                    &shuniu_store::OrgFilter {
                        q: Some(name.into()),
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
                .unwrap_or_else(|| panic!("the demo holds {name}"))
        }
    };
    let member_org = org_named("南京玄武一家圆心灵保姆服务中心").await;
    let hub_org = org_named("梅园新村街道社会组织发展促进会").await;
    for (login, role, place, org) in [
        (MEMBER, Role::OrgMember, None, Some(member_org.id)),
        (HUB_STAFF, Role::HubStaff, None, Some(hub_org.id)),
        (OFFICIAL, Role::Official, Some("320102"), None),
        (ADMIN, Role::Admin, None, None),
    ] {
        let password = if login == ADMIN {
            ADMIN_PASSWORD
        } else {
            PASSWORD
        };
        make_user(&app, login, role, place, org, password, false).await;
    }
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
    let fixed = vec![
        "/".to_string(),
        "/organizations".into(),
        format!("/organizations/{}", member_org.id),
        format!("/organizations/{}", hub_org.id),
        "/organizations/new".into(),
        "/jurisdictions/320102".into(),
        "/hubs".into(),
        "/structure/320102".into(),
        "/structure/320102002000".into(),
        "/venues".into(),
        format!("/venues/{}", venue.id),
        format!("/spaces/{}", room.id),
        format!("/spaces/{}/bookings", room.id),
        "/coverage/320102".into(),
        "/annual-reports".into(),
        "/assessment-rounds".into(),
        "/credit-lists".into(),
        "/change-applications".into(),
        "/instructors".into(),
        "/audit".into(),
        "/glossary".into(),
        "/services".into(),
        "/where".into(),
        "/where?q=%E7%8F%A0%E6%B1%9F".into(),
        format!("/organizations/{}/services", member_org.id),
        format!("/organizations/{}/services/new", member_org.id),
        "/account".into(),
        "/my".into(),
        "/coverage".into(),
        "/admin/users".into(),
        "/login".into(),
        "/no-such-page".into(),
        // The forms (each visitor sees the form, or the page that refuses it).
        format!("/organizations/{}/edit", member_org.id),
        format!("/organizations/{}/status", member_org.id),
        format!("/organizations/{}/party", member_org.id),
        format!("/organizations/{}/annual-reports/new", member_org.id),
        format!("/organizations/{}/change-applications/new", member_org.id),
        format!("/organizations/{}/credit-events/new", member_org.id),
        format!("/venues/{}/edit", venue.id),
        "/venues/new".into(),
        "/hubs/new".into(),
        "/assessment-rounds/new".into(),
        "/account/password".into(),
        "/admin/users/new".into(),
    ];

    let client = connect(&driver, &profile.0).await;
    let steps = tokio::spawn(audit_everything(client.clone(), app.addr.clone(), fixed));
    let outcome = steps.await;
    let _ = client.close().await;
    drop(driver);
    drop(profile);
    match outcome {
        Err(e) => std::panic::resume_unwind(e.into_panic()),
        Ok((audited, failed)) => {
            eprintln!(
                "axe: {audited} page audits, {} with violations",
                failed.len()
            );
            assert!(
                failed.is_empty(),
                "{} of {audited} page audits found WCAG A/AA violations:\n{}",
                failed.len(),
                failed.join("\n")
            );
        }
    }
}

/// The first link on the current page whose path starts with `prefix` and is an id.
async fn first_link(c: &Client, prefix: &str) -> Option<String> {
    let v = c
        .execute(
            "for (const a of document.querySelectorAll('a[href^=\"' + arguments[0] + '\"]')) {
               const rest = a.getAttribute('href').slice(arguments[0].length).split(/[/?#]/)[0];
               if (/^[0-9a-f-]{36}$/.test(rest)) return arguments[0] + rest;
             }
             return null;",
            vec![json!(prefix)],
        )
        .await
        .unwrap();
    v.as_str().map(str::to_string)
}

/// Visits every page as every visitor; the number of audits and the failed reports.
async fn audit_everything(c: Client, base: String, fixed: Vec<String>) -> (usize, Vec<String>) {
    let url = |p: &str| format!("{base}{p}");
    // Pages found through the lists (as the admin, who sees them all).
    sign_in(&c, &base, ADMIN, ADMIN_PASSWORD, "/").await;
    let mut pages = fixed;
    for (list, prefix) in [
        ("/hubs", "/hubs/"),
        ("/assessment-rounds", "/assessment-rounds/"),
    ] {
        c.goto(&url(list)).await.unwrap();
        if let Some(p) = first_link(&c, prefix).await {
            if prefix == "/hubs/" {
                pages.push(format!("{p}/coverage"));
            }
            pages.push(p);
        }
    }
    c.delete_all_cookies().await.unwrap();
    // The supervision queues are the official's.
    sign_in(&c, &base, OFFICIAL, PASSWORD, "/").await;
    c.goto(&url("/annual-reports")).await.unwrap();
    pages.extend(first_link(&c, "/annual-reports/").await);
    c.delete_all_cookies().await.unwrap();
    eprintln!("axe: auditing {} pages: {}", pages.len(), pages.join(" "));

    let mut audited = 0;
    let mut failed = Vec::new();
    for (i, (who, login)) in VISITORS.into_iter().enumerate() {
        if let Some(login) = login {
            let password = if login == ADMIN {
                ADMIN_PASSWORD
            } else {
                PASSWORD
            };
            sign_in(&c, &base, login, password, "/").await;
        }
        // Each visitor sees both languages, each at one width, the pairing alternating
        // from one visitor to the next: every page meets every language and width
        // between them, in half the time of all four for everyone.
        let pairs = if i % 2 == 0 {
            [("zh", 375), ("en", 1280)]
        } else {
            [("zh", 1280), ("en", 375)]
        };
        for (lang, width) in pairs {
            c.goto(&url(&format!("/lang/{lang}?next=/"))).await.unwrap();
            c.set_window_size(width, 900).await.unwrap();
            for p in &pages {
                c.goto(&url(p)).await.unwrap();
                let found = Audit::run(&c, &format!("{who}, {lang}, {width} px")).await;
                audited += 1;
                if !found.is_clean() {
                    // As they come, too: the whole run takes minutes.
                    eprint!("{}", found.report());
                    failed.push(found.report());
                }
            }
        }
        // Elderly mode: the same visitor, the cookie set before visiting.
        set_mode(&c, Mode::Elderly).await;
        for p in ELDERLY_PAGES {
            c.goto(&url(p)).await.unwrap();
            let found = Audit::run(&c, &format!("{who}, elderly")).await;
            assert_eq!(found.mode, Mode::Elderly, "the cookie did not hold on {p}");
            audited += 1;
            if !found.is_clean() {
                eprint!("{}", found.report());
                failed.push(found.report());
            }
        }
        set_mode(&c, Mode::Standard).await;
        c.delete_all_cookies().await.unwrap();
    }
    (audited, failed)
}
