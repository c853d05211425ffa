//! The elderly mode switch (长辈版): `/display/{elder|standard}?next=` remembers the
//! choice in a `display` cookie and goes back to a path of this site; pages then carry
//! `class="elder"`, and every page shows the switch in its language — on SQLite and
//! PostgreSQL.

use crate::common;
use crate::pages_support;

use common::TestApp;
use pages_support::*;
use reqwest::StatusCode;

/// `GET path` with the `display` cookie set to `mode` and `Accept-Language: accept`.
async fn get_in(app: &TestApp, path: &str, mode: &str, accept: &str) -> Page {
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url(path))
        .header(reqwest::header::COOKIE, format!("display={mode}"))
        .header(reqwest::header::ACCEPT_LANGUAGE, accept)
        .send()
        .await
        .unwrap();
    read(res).await
}

http_test!(
    display_switch_sets_a_cookie_for_a_year_and_goes_back,
    |app: TestApp| async move {
        let res = get(
            &app,
            "/display/elder?next=%2Forganizations%3Fq%3D%E6%A2%85",
            Some(ZH),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(res.location(), "/organizations?q=%E6%A2%85");
        let cookie = res.headers[reqwest::header::SET_COOKIE].to_str().unwrap();
        assert!(cookie.starts_with("display=elder;"), "{cookie}");
        for part in ["Path=/", "Max-Age=31536000", "SameSite=Lax"] {
            assert!(cookie.contains(part), "{part} missing from {cookie}");
        }
        // The test client keeps cookies: every later page is in the elderly mode and
        // offers the way back to the standard one, coming back to the same page.
        for path in [
            "/",
            "/organizations",
            "/jurisdictions/320102",
            "/glossary",
            "/account",
        ] {
            let p = get(&app, path, Some(ZH)).await;
            assert!(
                p.raw.contains("<html lang=\"zh-CN\" class=\"elder\">"),
                "{path}"
            );
            assert!(p.raw.contains("<body class=\"elder\">"), "{path}");
            p.assert_has("标准版");
        }
        let p = get(&app, "/organizations?grade=5A", Some(ZH)).await;
        p.assert_has("href=\"/display/standard?next=%2Forganizations%3Fgrade%3D5A\"");
        // An error page keeps the mode too.
        let p = get(&app, "/no/such/page", Some(ZH)).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND);
        assert!(p.raw.contains("class=\"elder\""));
        // Back to standard.
        let res = get(&app, "/display/standard?next=/", Some(ZH)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let cookie = res.headers[reqwest::header::SET_COOKIE].to_str().unwrap();
        assert!(cookie.starts_with("display=standard;"), "{cookie}");
        let p = get(&app, "/", Some(ZH)).await;
        p.assert_lang("zh-CN");
        assert!(!p.raw.contains("class=\"elder\""));
        p.assert_has("href=\"/display/elder?next=%2F\"");
    }
);

http_test!(
    display_switch_only_goes_to_local_paths,
    |app: TestApp| async move {
        for mode in ["elder", "standard"] {
            for next in [
                "https://evil.example/",
                "//evil.example/",
                "/%5Cevil.example",
                "javascript:alert(1)",
                "",
            ] {
                let res = get(&app, &format!("/display/{mode}?next={next}"), None).await;
                assert_eq!(res.status, StatusCode::SEE_OTHER, "{next}");
                assert_eq!(res.location(), "/", "{next}");
            }
            let res = get(&app, &format!("/display/{mode}"), None).await;
            assert_eq!(res.location(), "/");
        }
        // Only the two modes exist; nothing is set for anything else.
        let res = get(&app, "/display/huge?next=/", None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert!(!res.headers.contains_key(reqwest::header::SET_COOKIE));
        res.assert_html();
    }
);

http_test!(
    every_page_shows_the_switch_in_its_language,
    |app: TestApp| async move {
        seed(&app, 1).await;
        for path in [
            "/",
            "/organizations",
            "/jurisdictions/320102",
            "/glossary",
            "/login",
            "/hubs",
        ] {
            // Standard: the switch offers the elderly mode.
            let p = get_in(&app, path, "standard", ZH).await;
            assert_eq!(p.status, StatusCode::OK, "{path}");
            p.assert_lang("zh-CN");
            p.assert_has("class=\"display-switch\"");
            p.assert_has("长辈版");
            let p = get_in(&app, path, "standard", EN).await;
            p.assert_lang("en");
            p.assert_has("Large text");
            p.assert_lacks("长辈版");
            // Elderly: the page is marked and the switch offers the standard mode.
            let p = get_in(&app, path, "elder", ZH).await;
            assert!(
                p.raw.contains("<html lang=\"zh-CN\" class=\"elder\">"),
                "{path}"
            );
            p.assert_has("标准版");
            p.assert_lacks(">长辈版<");
            let p = get_in(&app, path, "elder", EN).await;
            assert!(
                p.raw.contains("<html lang=\"en\" class=\"elder\">"),
                "{path}"
            );
            p.assert_has(">Standard</a>");
            p.assert_lacks("标准版");
        }
        // A cookie value that is not a mode is the standard mode.
        let p = get_in(&app, "/", "giant", ZH).await;
        p.assert_lang("zh-CN");
    }
);
