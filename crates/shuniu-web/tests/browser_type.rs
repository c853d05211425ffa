//! Type that follows the browser, and the elderly mode (长辈版), in headless Chromium
//! at 375 px (issue 13): computed sizes, tap targets, no sideways scrolling; then a
//! browser whose default font size is 24 px gets larger body text. Screenshots of the
//! pages go to `SHUNIU_SHOTS_DIR` when it is set.

use super::*;
use serde_json::json;

/// What one page looked like to the browser.
#[derive(Debug, serde::Deserialize)]
struct Measure {
    elder: bool,
    body: f64,
    /// Visible text smaller than the floor: "tag.class: size text".
    small: Vec<String>,
    /// Visible tap targets lower than the floor: "tag.class: height text".
    low: Vec<String>,
    /// How far the page is wider than the window.
    overflow: f64,
    /// The innermost elements sticking out on the right, if it is.
    wide: Vec<String>,
}

const MEASURE: &str = r#"
const [minText, minTarget] = arguments;
const visible = (el) => {
  const r = el.getBoundingClientRect();
  if (r.width <= 1 || r.height <= 1) return null;
  const cs = getComputedStyle(el);
  if (cs.visibility === 'hidden' || cs.display === 'none') return null;
  return r;
};
const name = (el) => el.tagName.toLowerCase() + (el.getAttribute('class') ? '.' + el.getAttribute('class').replace(/ /g, '.') : '');
const small = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const n = walker.currentNode;
  const text = n.textContent.trim();
  if (!text) continue;
  const el = n.parentElement;
  if (!el || el.closest('title, option, script, style') || !visible(el)) continue;
  let size = parseFloat(getComputedStyle(el).fontSize);
  // SVG text is drawn scaled with its picture.
  if (el instanceof SVGElement) { const m = el.getScreenCTM(); if (m) size *= Math.hypot(m.a, m.b); }
  if (size < minText - 0.05) small.push(name(el) + ': ' + size.toFixed(1) + ' ' + text.slice(0, 40));
}
const low = [];
const targets = '.site-nav a, .breadcrumbs a, .header-tools a, .header-tools button, .button, button, select, textarea, '
  + 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]), .pagination a, .cal-nav a, a.cal-book, .choice';
for (const el of document.querySelectorAll(targets)) {
  const r = visible(el);
  if (r && r.height < minTarget - 0.5) low.push(name(el) + ': ' + r.height.toFixed(1) + ' ' + (el.textContent || el.getAttribute('name') || '').trim().slice(0, 30));
}
const width = document.documentElement.clientWidth;
const wide = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = visible(el);
  if (r && r.right > width + 0.5 && ![...el.children].some((k) => k.getBoundingClientRect().right > width + 0.5))
    wide.push(name(el) + ': ' + r.right.toFixed(0) + ' ' + (el.textContent || '').trim().slice(0, 30));
  if (wide.length >= 8) break;
}
return {
  wide,
  elder: document.documentElement.classList.contains('elder'),
  body: parseFloat(getComputedStyle(document.body).fontSize),
  small, low,
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
};
"#;

async fn measure(c: &Client, min_text: f64, min_target: f64) -> Measure {
    let v = c
        .execute(MEASURE, vec![json!(min_text), json!(min_target)])
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

/// Sets the language and display mode cookies through the switches.
async fn set_mode(c: &Client, base: &str, lang: &str, mode: &str) {
    c.goto(&format!("{base}/lang/{lang}?next=/")).await.unwrap();
    wait_for_path(c, |p| p == "/").await;
    c.goto(&format!("{base}/display/{mode}?next=/"))
        .await
        .unwrap();
    wait_for_path(c, |p| p == "/").await;
}

/// Chromium with its default font size (Settings → Appearance → Font size) set to
/// `px`: written into the fresh profile's preferences before the browser starts.
async fn connect_with_font_size(driver: &Driver, profile: &Path, px: u32) -> Client {
    let default = profile.join("Default");
    std::fs::create_dir_all(&default).unwrap();
    std::fs::write(
        default.join("Preferences"),
        json!({"webkit": {"webprefs": {"default_font_size": px}}}).to_string(),
    )
    .unwrap();
    connect(driver, profile).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn type_follows_the_browser_and_the_elderly_mode() {
    let driver = Driver::start();
    let profile = Profile::new();
    let app = common::spawn_app(TestBackend::Sqlite).await;
    let today = shuniu_web::today();
    assert!(shuniu_demo::load(&app.store, today).await.unwrap().loaded);
    app.reindex().await;
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
    let pages = vec![
        ("home", "/".to_string()),
        ("organizations", "/organizations".to_string()),
        ("organization", format!("/organizations/{}", member_org.id)),
        ("structure", "/structure/320102".to_string()),
        ("calendar", format!("/spaces/{}", room.id)),
        ("book", format!("/spaces/{}/bookings", room.id)),
        ("login", "/login".to_string()),
    ];
    let shots = std::env::var_os("SHUNIU_SHOTS_DIR").map(PathBuf::from);
    if let Some(dir) = &shots {
        std::fs::create_dir_all(dir).unwrap();
    }

    let client = connect(&driver, &profile.0).await;
    let steps = tokio::spawn(sizes_in_both_modes(
        client.clone(),
        app.addr.clone(),
        pages,
        shots,
    ));
    let outcome = steps.await;
    let _ = client.close().await;
    drop(profile);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }

    // A browser set to 24 px type: the page's text grows with it, labels with values.
    let profile = Profile::new();
    let client = connect_with_font_size(&driver, &profile.0, 24).await;
    let steps = tokio::spawn(type_follows_the_font_size(client.clone(), app.addr.clone()));
    let outcome = steps.await;
    let _ = client.close().await;
    drop(driver);
    drop(profile);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn sizes_in_both_modes(
    c: Client,
    base: String,
    pages: Vec<(&'static str, String)>,
    shots: Option<PathBuf>,
) {
    sign_in(&c, &base, MEMBER, MEMBER_PASSWORD, "/").await;
    for (mode, body_min, target_min) in [("standard", 16.0, 44.0), ("elder", 20.0, 60.0)] {
        for lang in ["zh", "en"] {
            set_mode(&c, &base, lang, mode).await;
            for (name, path) in &pages {
                c.set_window_size(375, 900).await.unwrap();
                c.goto(&format!("{base}{path}")).await.unwrap();
                let m = measure(&c, 14.0, target_min).await;
                let at = format!("{path} ({lang}, {mode}, 375 px)");
                assert_eq!(m.elder, mode == "elder", "{at}");
                assert!(m.body >= body_min, "{at}: body text {} px", m.body);
                assert!(m.small.is_empty(), "{at}: text under 14 px: {:#?}", m.small);
                assert!(
                    m.low.is_empty(),
                    "{at}: targets under {target_min} px: {:#?}",
                    m.low
                );
                assert!(
                    m.overflow <= 0.5,
                    "{at}: scrolls sideways by {} px: {:#?}",
                    m.overflow,
                    m.wide
                );
                if let Some(dir) = &shots {
                    for width in [375, 1280] {
                        shoot(&c, dir, &format!("{name}-{lang}-{mode}-{width}"), width).await;
                    }
                }
            }
        }
    }
}

async fn type_follows_the_font_size(c: Client, base: String) {
    c.set_window_size(375, 900).await.unwrap();
    for lang in ["zh", "en"] {
        set_mode(&c, &base, lang, "standard").await;
        let m = measure(&c, 0.875 * 24.0, 0.0).await;
        assert!(
            m.body >= 24.0,
            "{lang}: body text {} px at a 24 px default",
            m.body
        );
        assert!(
            m.small.is_empty(),
            "{lang}: text under 21 px: {:#?}",
            m.small
        );
        assert!(
            m.overflow <= 0.5,
            "{lang}: scrolls sideways by {} px: {:#?}",
            m.overflow,
            m.wide
        );
        // A figure's label stays smaller than its value.
        let sizes = c
            .execute(
                "const f = (s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize); \
                 return [f('.figure-value'), f('.figure-label')];",
                vec![],
            )
            .await
            .unwrap();
        let (value, label) = (sizes[0].as_f64().unwrap(), sizes[1].as_f64().unwrap());
        assert!(
            value > label && label >= 21.0,
            "{lang}: value {value} px, label {label} px"
        );
        set_mode(&c, &base, lang, "elder").await;
        let m = measure(&c, 0.875 * 30.0, 0.0).await;
        assert!(
            m.body >= 30.0,
            "{lang}: elderly body text {} px at a 24 px default",
            m.body
        );
    }
}
