//! The pages that residents and the people at the desk use most (issue 13, item 7), as
//! each of them sees them: both languages, both display modes (standard and 长辈版),
//! 1280 and 375 px. Every visit goes through axe (A/AA, and AAA contrast in elderly
//! mode), nothing may scroll sideways at 375 px, and each view is written to
//! `screenshots/views/` so that a person can look at it before an issue is closed.

use super::*;

const OFFICIAL: &str = "shots.official";
const HUB_STAFF: &str = "shots.hub";
const PASSWORD: &str = "Browser-Shots-42";

/// One visitor: a name for the files, a login (None for anonymous), the pages.
struct Visit {
    who: &'static str,
    login: Option<&'static str>,
    pages: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resident_and_desk_pages_in_every_language_mode_and_width() {
    let driver = Driver::start();
    let profile = Profile::new();
    let app = common::spawn_app(TestBackend::Sqlite).await;
    assert!(
        shuniu_demo::load(&app.store, shuniu_web::today())
            .await
            .unwrap()
            .loaded
    );
    // What `shuniu demo` does after loading: the search index from the store.
    app.reindex().await;
    let named = |name: &'static str| {
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
    let member_org = named("南京玄武一家圆心灵保姆服务中心").await;
    let hub_org = named("梅园新村街道社会组织发展促进会").await;
    for (login, role, place, org) in [
        (MEMBER, Role::OrgMember, None, Some(member_org.id)),
        (HUB_STAFF, Role::HubStaff, None, Some(hub_org.id)),
        (OFFICIAL, Role::Official, Some("320102"), None),
    ] {
        make_user(&app, login, role, place, org, PASSWORD, false).await;
    }
    let visits = vec![
        Visit {
            who: "resident",
            login: None,
            pages: [
                "/",
                "/services",
                "/services?q=yanglao",
                "/organizations?q=%E5%85%BB%E8%80%81",
                "/where?q=%E7%8F%A0%E6%B1%9F",
                "/requests/new",
                "/jurisdictions/320102",
                "/jurisdictions/320102002000",
                "/structure/320102",
                "/structure/320102002000",
                "/glossary",
            ]
            .map(String::from)
            .into_iter()
            .chain([
                format!("/organizations/{}", member_org.id),
                format!("/complaints/new?org={}", member_org.id),
            ])
            .collect(),
        },
        Visit {
            who: "member",
            login: Some(MEMBER),
            pages: vec!["/my".into()],
        },
        Visit {
            who: "hub",
            login: Some(HUB_STAFF),
            pages: vec![
                "/my".into(),
                "/requests".into(),
                format!("/requests/{}", first_request(&app).await),
            ],
        },
        Visit {
            who: "official",
            login: Some(OFFICIAL),
            pages: vec![
                "/my".into(),
                "/audit".into(),
                "/coverage/320102".into(),
                "/complaints".into(),
            ],
        },
    ];
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../screenshots/views");
    std::fs::create_dir_all(&shots).unwrap();

    let client = connect(&driver, &profile.0).await;
    let steps = tokio::spawn(look_at_everything(
        client.clone(),
        app.addr.clone(),
        visits,
        shots,
    ));
    let outcome = steps.await;
    let _ = client.close().await;
    drop(driver);
    drop(profile);
    match outcome {
        Err(e) => std::panic::resume_unwind(e.into_panic()),
        Ok(seen) => eprintln!("views: {seen} looked at, audited and written"),
    }
}

/// A request of the demo at the Meiyuan street, which its hub dispatches.
async fn first_request(app: &common::TestApp) -> uuid::Uuid {
    app.store
        .request_queue(&shuniu_store::requests::RequestFilter {
            street_path: Some("320000/320100/320102/320102002000/".into()),
            page: 1,
            per_page: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .items
        .first()
        .expect("the demo has requests at Meiyuan")
        .request
        .id
}

/// The file name of a page: its path without the characters a file name should not hold.
fn slug(page: &str) -> String {
    // An id differs from run to run: the file is named for what the page is.
    let (path, query) = page.split_once('?').unwrap_or((page, ""));
    let searched = query.starts_with("q=");
    let s: String = path
        .split('/')
        .filter(|seg| !seg.is_empty())
        .map(|seg| {
            if uuid::Uuid::parse_str(seg).is_ok() {
                "one"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("_")
        .chars()
        .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '_' })
        .collect();
    match (s.is_empty(), searched) {
        (true, _) => "home".into(),
        (false, true) => format!("{s}_search"),
        (false, false) => s,
    }
}

/// Visits every page of every visitor in every language, mode and width; the number
/// of views. Panics on the first axe violation or a page that scrolls sideways.
async fn look_at_everything(c: Client, base: String, visits: Vec<Visit>, dir: PathBuf) -> usize {
    let url = |p: &str| format!("{base}{p}");
    let mut seen = 0;
    for v in visits {
        c.goto(&url("/")).await.unwrap();
        c.delete_all_cookies().await.unwrap();
        if let Some(login) = v.login {
            sign_in(&c, &base, login, PASSWORD, "/").await;
        }
        for lang in ["zh", "en"] {
            c.goto(&url(&format!("/lang/{lang}?next=/"))).await.unwrap();
            for (mode, mode_name) in [(Mode::Standard, "std"), (Mode::Elderly, "elder")] {
                set_mode(&c, mode).await;
                for width in [1280u32, 375] {
                    c.set_window_size(width, 900).await.unwrap();
                    for p in &v.pages {
                        let label = format!("{} {p} {lang} {mode_name} {width}px", v.who);
                        goto(&c, &url(p)).await;
                        let html_lang = c
                            .find(Locator::Css("html"))
                            .await
                            .unwrap()
                            .attr("lang")
                            .await
                            .unwrap()
                            .unwrap_or_default();
                        assert!(
                            html_lang.starts_with(lang),
                            "{label}: html lang {html_lang}"
                        );
                        // A search for a word of the demo finds something.
                        if p.contains("?q=") && !p.starts_with("/where") {
                            let rows = c
                                .execute(
                                    "return document.querySelectorAll('main table tbody tr').length;",
                                    vec![],
                                )
                                .await
                                .unwrap()
                                .as_u64()
                                .unwrap_or(0);
                            assert!(rows > 0, "{label}: the search found nothing");
                        }
                        if width == 375 {
                            let overflow = c
                                .execute(
                                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                                    vec![],
                                )
                                .await
                                .unwrap()
                                .as_i64()
                                .unwrap_or(0);
                            assert!(overflow <= 0, "{label}: scrolls sideways by {overflow}px");
                        }
                        let name = format!("{}-{}-{lang}-{mode_name}-{width}", v.who, slug(p));
                        shoot(&c, &dir, &name, width).await;
                        seen += 1;
                    }
                }
            }
        }
    }
    seen
}
