//! Pages: home (the jurisdiction tree), jurisdiction pages, the language switch,
//! static files and error pages — on SQLite and PostgreSQL.

use crate::common;
use crate::pages_support;

use common::TestApp;
use pages_support::*;
use reqwest::StatusCode;

const DISTRICTS: [(&str, &str, &str); 11] = [
    ("320102", "玄武区", "Xuanwu District"),
    ("320104", "秦淮区", "Qinhuai District"),
    ("320105", "建邺区", "Jianye District"),
    ("320106", "鼓楼区", "Gulou District"),
    ("320111", "浦口区", "Pukou District"),
    ("320113", "栖霞区", "Qixia District"),
    ("320114", "雨花台区", "Yuhuatai District"),
    ("320115", "江宁区", "Jiangning District"),
    ("320116", "六合区", "Luhe District"),
    ("320117", "溧水区", "Lishui District"),
    ("320118", "高淳区", "Gaochun District"),
];

http_test!(
    home_shows_the_tree_with_counts_in_chinese,
    |app: TestApp| async move {
        seed(&app, 1).await;
        seed(&app, 2).await;
        let p = get(&app, "/", Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_lang("zh-CN");
        p.assert_has("枢纽型社会组织服务平台");
        p.assert_has("<h1>让社会组织的服务更简便、更可信</h1>");
        p.assert_has("辖区与社会组织分布");
        // The data are all in Xuanwu: the page answers for Xuanwu, its ancestors links
        // above, its streets in the table, and no row of the empty districts.
        p.assert_has(
            "数据范围</span> <a href=\"/jurisdictions/320000\">江苏省</a> › \
             <a href=\"/jurisdictions/320100\">南京市</a> › <a href=\"/jurisdictions/320102\">玄武区</a></p>",
        );
        for (code, zh, _) in &DISTRICTS[1..] {
            p.assert_lacks(&format!("<a href=\"/jurisdictions/{code}\">{zh}</a>"));
        }
        p.assert_has("<a href=\"/jurisdictions/320102\">玄武区</a></th>");
        let streets = shuniu_domain::jurisdiction::XUANWU_STREETS;
        for (code, zh, _) in streets {
            p.assert_has(&format!("<a href=\"/jurisdictions/{code}\">{zh}</a>"));
            p.assert_has(&format!("/organizations?jurisdiction={code}"));
        }
        // The headline figures are Xuanwu's: two organizations, 12 staff, one street of
        // all holding organizations.
        p.assert_has(
            "<span class=\"figure-value\">2</span><span class=\"figure-label\">玄武区登记备案的社会组织</span>",
        );
        p.assert_has("<span class=\"figure-value\">12</span>");
        p.assert_has(&format!(
            "<span class=\"figure-value\">1 / {}</span><span class=\"figure-label\">有社会组织的下级辖区</span>",
            streets.len()
        ));
        p.assert_lacks("江苏省登记备案的社会组织");
        // Two organizations of 6 staff each, in Meiyuan Xincun: the district counts them.
        let row = row_of(&p.text, "320102002000");
        assert!(row.contains(">2</a>") && row.contains(">12</td>"), "{row}");
        let table = &p.text[p.text.find("<tbody>").unwrap()..];
        let row = row_of(table, "320102");
        assert!(row.contains(">2</a>") && row.contains(">12</td>"), "{row}");
        let row = row_of(&p.text, "320102003000");
        assert!(row.contains(">0</a>"), "{row}");
    }
);

/// The table row whose first link goes to jurisdiction `code`.
fn row_of<'a>(html: &'a str, code: &str) -> &'a str {
    let i = html
        .find(&format!("href=\"/jurisdictions/{code}\""))
        .unwrap_or_else(|| panic!("no row for {code}"));
    let end = html[i..].find("</tr>").unwrap();
    &html[i..i + end]
}

http_test!(
    home_in_english_from_accept_language,
    |app: TestApp| async move {
        let p = get(&app, "/", Some(EN)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_lang("en");
        p.assert_has("Hub organization service platform");
        p.assert_has("Organizations by jurisdiction");
        p.assert_has("Jiangsu Province");
        for (code, _, en) in DISTRICTS {
            p.assert_has(&format!("<a href=\"/jurisdictions/{code}\">{en}</a>"));
        }
        p.assert_has("Meiyuan Xincun Street");
        p.assert_lacks("辖区与社会组织分布");
        // No Accept-Language at all: Chinese.
        let p = get(&app, "/", None).await;
        p.assert_lang("zh-CN");
    }
);

http_test!(
    language_switch_sets_a_cookie_that_sticks,
    |app: TestApp| async move {
        let res = get(
            &app,
            "/lang/en?next=%2Forganizations%3Fq%3D%E6%A2%85",
            Some(ZH),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(res.location(), "/organizations?q=%E6%A2%85");
        let cookie = res.headers[reqwest::header::SET_COOKIE].to_str().unwrap();
        assert!(
            cookie.starts_with("lang=en;") && cookie.contains("Path=/"),
            "{cookie}"
        );
        // The cookie wins over Accept-Language on every later page.
        for path in [
            "/",
            "/organizations",
            "/organizations/new",
            "/jurisdictions/320102",
        ] {
            let p = get(&app, path, Some(ZH)).await;
            p.assert_lang("en");
        }
        // The switch on a page links back to that page.
        let p = get(&app, "/organizations?grade=5A", None).await;
        p.assert_has("href=\"/lang/zh?next=%2Forganizations%3Fgrade%3D5A\"");
        // Back to Chinese.
        let res = get(&app, "/lang/zh?next=/", Some(EN)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let p = get(&app, "/", Some(EN)).await;
        p.assert_lang("zh-CN");
    }
);

http_test!(
    language_switch_only_goes_to_local_paths,
    |app: TestApp| async move {
        for next in [
            "https://evil.example/",
            "//evil.example/",
            "/%5Cevil.example",
            "javascript:alert(1)",
            "",
        ] {
            let res = get(&app, &format!("/lang/en?next={next}"), None).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{next}");
            assert_eq!(res.location(), "/", "{next}");
        }
        let res = get(&app, "/lang/en", None).await;
        assert_eq!(res.location(), "/");
        let res = get(&app, "/lang/fr?next=/", None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        res.assert_html();
    }
);

http_test!(
    jurisdiction_page_in_both_languages,
    |app: TestApp| async move {
        seed(&app, 1).await;
        let p = get(&app, "/jurisdictions/320102", Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_lang("zh-CN");
        p.assert_has("<h1>玄武区</h1>");
        // Breadcrumbs: the ancestors, in order.
        let crumbs = &p.text[p.text.find("breadcrumbs").unwrap()..];
        let (a, b) = (
            crumbs.find("江苏省").unwrap(),
            crumbs.find("南京市").unwrap(),
        );
        assert!(a < b);
        p.assert_has("<a href=\"/jurisdictions/320100\">南京市</a>");
        p.assert_has("下级辖区");
        for (code, zh, _) in shuniu_domain::jurisdiction::XUANWU_STREETS {
            p.assert_has(&format!("<a href=\"/jurisdictions/{code}\">{zh}</a>"));
        }
        p.assert_has("href=\"/organizations?jurisdiction=320102\"");
        p.assert_has("合计（含本级）");
        // The district's hub structure and coverage are one click away.
        p.assert_has("href=\"/structure/320102\"");
        p.assert_has("href=\"/coverage/320102\"");
        let p = get(&app, "/jurisdictions/320102002000", Some(EN)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_lang("en");
        p.assert_has("<h1>Meiyuan Xincun Street</h1>");
        p.assert_has("Street");
        p.assert_has("No sub-jurisdictions.");
        p.assert_has("<a href=\"/jurisdictions/320102\">Xuanwu District</a>");
        p.assert_has("href=\"/structure/320102002000\"");
        let p = get(&app, "/jurisdictions/320100", Some(EN)).await;
        assert!(
            !p.text.contains("href=\"/structure/"),
            "a city has no hub structure page"
        );
    }
);

http_test!(
    unknown_pages_are_html_404s_in_the_users_language,
    |app: TestApp| async move {
        for path in [
            "/jurisdictions/999999",
            "/jurisdictions/abc",
            "/jurisdictions/3201020020001234",
            "/static/nope.css",
        ] {
            let p = get(&app, path, Some(ZH)).await;
            assert_eq!(p.status, StatusCode::NOT_FOUND, "{path}");
            p.assert_lang("zh-CN");
            p.assert_has("页面不存在");
            let p = get(&app, path, Some(EN)).await;
            assert_eq!(p.status, StatusCode::NOT_FOUND, "{path}");
            p.assert_lang("en");
            p.assert_has("Page not found");
        }
    }
);

http_test!(
    static_files_are_served_and_pages_have_no_inline_script,
    |app: TestApp| async move {
        let css = get(&app, "/static/style.css", None).await;
        assert_eq!(css.status, StatusCode::OK);
        assert!(
            css.headers[reqwest::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/css")
        );
        assert!(css.raw.contains("@media (max-width: 640px)"));
        let js = get(&app, "/static/app.js", None).await;
        assert_eq!(js.status, StatusCode::OK);
        assert!(
            js.headers[reqwest::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains("javascript")
        );
        let o = seed(&app, 1).await;
        for path in [
            "/".to_string(),
            "/jurisdictions/320102".into(),
            "/organizations".into(),
            "/organizations/new".into(),
            format!("/organizations/{}", o.id),
            format!("/organizations/{}/edit", o.id),
            format!("/organizations/{}/status", o.id),
        ] {
            let p = get(&app, &path, None).await;
            assert_eq!(p.status, StatusCode::OK, "{path}");
            assert!(p.raw.contains(
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            ));
            assert!(p.raw.contains("<script src=\"/static/app.js"), "{path}");
            assert!(!p.raw.contains("<script>"), "{path}: inline script");
            assert!(!p.raw.contains(" style=\""), "{path}: inline style");
            assert!(!p.raw.contains(" onclick="), "{path}: inline handler");
        }
    }
);

http_test!(
    pages_and_json_are_compressed_for_browsers_that_accept_it,
    |app: TestApp| async move {
        use std::io::Read;
        for n in 1..=5 {
            app.create_org(&common::org_json(n)).await;
        }
        for path in ["/", "/api/v1/organizations", "/static/style.css"] {
            let plain = app.anon.get(app.url(path)).send().await.unwrap();
            assert_eq!(plain.status(), StatusCode::OK);
            assert!(plain.headers().get("content-encoding").is_none(), "{path}");
            let plain = plain.bytes().await.unwrap();

            let r = app
                .anon
                .get(app.url(path))
                .header("accept-encoding", "gzip")
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            assert_eq!(r.headers()["content-encoding"], "gzip", "{path}");
            let packed = r.bytes().await.unwrap();
            let mut unpacked = Vec::new();
            flate2::read::GzDecoder::new(&packed[..])
                .read_to_end(&mut unpacked)
                .unwrap();
            // The same document (the home page carries no per-request token for anonymous
            // visitors), and smaller on the wire.
            assert_eq!(unpacked.len(), plain.len(), "{path}");
            assert!(
                packed.len() * 2 < plain.len(),
                "{path}: {} of {}",
                packed.len(),
                plain.len()
            );

            let r = app
                .anon
                .get(app.url(path))
                .header("accept-encoding", "br")
                .send()
                .await
                .unwrap();
            assert_eq!(r.headers()["content-encoding"], "br", "{path}");
        }
        // A few bytes are not worth it.
        let r = app
            .anon
            .get(app.url("/healthz"))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert!(r.headers().get("content-encoding").is_none());
        assert_eq!(r.text().await.unwrap(), "ok");
    }
);

http_test!(
    streamed_exports_arrive_whole_when_compressed,
    |app: TestApp| async move {
        use std::io::Read;
        for n in 1..=5 {
            app.create_org(&common::org_json(n)).await;
        }
        // The audit exports stream in chunks; the compression layer reads the stream to
        // its end and once more to flush, which must end the body cleanly (it once
        // broke the transfer half-way).
        for path in ["/api/v1/audit.csv", "/audit.csv"] {
            let plain = app.client.get(app.url(path)).send().await.unwrap();
            assert_eq!(plain.status(), StatusCode::OK, "{path}");
            let plain = plain.text().await.unwrap();
            let r = app
                .client
                .get(app.url(path))
                .header("accept-encoding", "gzip")
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            assert_eq!(r.headers()["content-encoding"], "gzip", "{path}");
            let packed = r.bytes().await.expect("the whole compressed body");
            let mut unpacked = String::new();
            flate2::read::GzDecoder::new(&packed[..])
                .read_to_string(&mut unpacked)
                .expect("a complete gzip stream");
            let lines = |t: &str| t.lines().count();
            // The second export also lists the first one's own record.
            assert_eq!(lines(&unpacked), lines(&plain) + 1, "{path}");
            assert!(lines(&plain) > 5, "{path}: {plain}");
        }
    }
);

http_test!(
    glossary_lists_the_model_terms_in_each_language,
    |app: TestApp| async move {
        use shuniu_web::kit::glossary::TERMS;
        // Every page's footer leads to it.
        get(&app, "/", Some(EN))
            .await
            .assert_has("<a href=\"/glossary\">Glossary</a>");
        let zh = get(&app, "/glossary", Some(ZH)).await;
        assert_eq!(zh.status, StatusCode::OK);
        zh.assert_lang("zh-CN");
        zh.assert_has("<h1>术语表</h1>");
        let en = get(&app, "/glossary", Some(EN)).await;
        assert_eq!(en.status, StatusCode::OK);
        en.assert_lang("en");
        en.assert_has("<h1>Glossary</h1>");
        for t in TERMS {
            // The page's language leads; the other is beside it, marked as such.
            zh.assert_has(&format!(">{}</th>", t.zh));
            zh.assert_has(&format!("lang=\"en\">{}</td>", t.en));
            zh.assert_has(t.zh_meaning);
            en.assert_has(&format!(">{}</th>", t.en));
            en.assert_has(&format!("lang=\"zh-CN\">{}</td>", t.zh));
            en.assert_has(t.en_meaning);
            en.assert_lacks(t.zh_meaning);
        }
        zh.assert_has("lang=\"en\">supported by</td>");
        en.assert_has(">one core, two axes</th>");
    }
);
