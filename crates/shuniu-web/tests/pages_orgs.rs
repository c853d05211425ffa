//! Pages: the organization list (filters, pagination, bad filters) and the detail page
//! — on SQLite and PostgreSQL.

use crate::common;
use crate::pages_support;

use common::TestApp;
use pages_support::*;
use reqwest::StatusCode;

http_test!(
    list_shows_organizations_in_both_languages,
    |app: TestApp| async move {
        let a = seed(&app, 1).await;
        let filed = seed_form(
            &app,
            &with(
                with(
                    with(org_form(2), "legal_form", "community_filed"),
                    "uscc",
                    "",
                ),
                "filing_number",
                "320102002000-2016-0007",
            ),
        )
        .await;
        let p = get(&app, "/organizations", Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_lang("zh-CN");
        p.assert_has("社会组织名录");
        p.assert_has(&format!(
            "<a href=\"/organizations/{}\">测试服务中心1</a>",
            a.id
        ));
        p.assert_has(&format!(
            "<a href=\"/organizations/{}\">测试服务中心2</a>",
            filed.id
        ));
        p.assert_has("民办非企业单位（社会服务机构）");
        p.assert_has(a.data.uscc.as_ref().unwrap().as_str());
        p.assert_has("320102002000-2016-0007");
        p.assert_has("梅园新村街道");
        p.assert_has("助老、公益服务");
        p.assert_has(">已登记</span>");
        p.assert_has(">已备案</span>");
        p.assert_has("共 2 个组织");
        // The filter form offers the tree and every closed set.
        p.assert_has("<option value=\"320102002000\">");
        p.assert_has("<option value=\"community_filed\">");
        p.assert_has("<option value=\"5A\">");
        p.assert_has("<option value=\"-staff\">");

        let p = get(&app, "/organizations", Some(EN)).await;
        p.assert_lang("en");
        p.assert_has("Social organizations");
        p.assert_has("Social service institution");
        p.assert_has("Elderly care, Public-welfare services");
        p.assert_has("Meiyuan Xincun Street");
        p.assert_has(">Registered</span>");
        p.assert_has(">Filed</span>");
        p.assert_has("2 organizations");
    }
);

http_test!(list_filters_search_and_sort, |app: TestApp| async move {
    for n in 1..=3 {
        seed(&app, n).await;
    }
    seed_form(
        &app,
        &with(
            with(
                with(org_form(4), "jurisdiction", "320102003000"),
                "domains",
                "culture_sports",
            ),
            "name",
            "新街口文化体育协会",
        ),
    )
    .await;
    let p = get(&app, "/organizations?jurisdiction=320102003000", None).await;
    assert_eq!(p.status, StatusCode::OK);
    p.assert_has("新街口文化体育协会");
    p.assert_lacks("测试服务中心1");
    // The chosen filter stays selected.
    p.assert_has("<option value=\"320102003000\" selected>");
    let p = get(
        &app,
        "/organizations?domain=elderly&q=%E4%B8%AD%E5%BF%832",
        None,
    )
    .await;
    p.assert_has("测试服务中心2");
    p.assert_lacks("测试服务中心1");
    p.assert_lacks("新街口文化体育协会");
    p.assert_has("value=\"中心2\"");
    let p = get(
        &app,
        "/organizations?sort=-name&jurisdiction=320102002000",
        None,
    )
    .await;
    let (i3, i1) = (
        p.text.find("测试服务中心3").unwrap(),
        p.text.find("测试服务中心1").unwrap(),
    );
    assert!(i3 < i1, "descending by name");
    let p = get(&app, "/organizations?status=deregistered", Some(ZH)).await;
    assert_eq!(p.status, StatusCode::OK);
    p.assert_has("没有符合条件的社会组织");
});

http_test!(
    pagination_links_keep_the_filters,
    |app: TestApp| async move {
        for n in 1..=25 {
            seed(&app, n).await;
        }
        let p = get(
            &app,
            "/organizations?jurisdiction=320102&domain=elderly&per_page=10&sort=name",
            Some(ZH),
        )
        .await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_has("共 25 个组织");
        // Next and previous follow cursors and keep the filters.
        let link = |t: &str, rel: &str| -> String {
            let end = t.find(&format!("\" rel=\"{rel}\"")).expect("the link");
            let start = t[..end].rfind("href=\"").unwrap() + 6;
            t[start..end].replace("&amp;", "&")
        };
        let page2 = link(&p.text, "next");
        assert!(
            page2.starts_with(
                "/organizations?jurisdiction=320102&domain=elderly&sort=name&per_page=10&cursor="
            ),
            "{page2}"
        );
        assert!(
            !p.text.contains("rel=\"prev\""),
            "the first page has no previous"
        );
        let p2 = get(&app, &page2, Some(EN)).await;
        assert_eq!(p2.status, StatusCode::OK);
        p2.assert_has("25 organizations");
        p2.assert_has("rel=\"prev\"");
        let p3 = get(&app, &link(&p2.text, "next"), Some(EN)).await;
        assert!(
            !p3.text.contains("rel=\"next\""),
            "the last page has no next"
        );
        assert_eq!(p3.text.matches(">测试服务中心").count(), 5);
        let back = get(&app, &link(&p3.text, "prev"), Some(EN)).await;
        // Page 2 holds the next ten, none of page 1's.
        let names = |t: &str| -> Vec<String> {
            t.split(">测试服务中心")
                .skip(1)
                .map(|s| s.chars().take_while(char::is_ascii_digit).collect())
                .collect()
        };
        let (n1, n2) = (names(&p.text), names(&p2.text));
        assert_eq!((n1.len(), n2.len()), (10, 10));
        assert!(n1.iter().all(|n| !n2.contains(n)), "{n1:?} {n2:?}");
        assert_eq!(names(&back.text), n2, "previous from page 3 is page 2");
        // Past the last page: a way back, not an error.
        let p9 = get(
            &app,
            "/organizations?domain=elderly&per_page=10&page=9",
            Some(ZH),
        )
        .await;
        assert_eq!(p9.status, StatusCode::OK);
        p9.assert_has("这一页已超出结果范围");
        p9.assert_has("href=\"/organizations?domain=elderly&per_page=10\"");
        // Numbered pages stop at the first 10,000 rows: past them, a message naming
        // the cursor.
        let deep = get(&app, "/organizations?page=600", Some(EN)).await;
        assert_eq!(deep.status, StatusCode::UNPROCESSABLE_ENTITY);
        deep.assert_has("follow the `next` cursor instead");
    }
);

http_test!(
    bad_filters_show_a_message_not_a_500,
    |app: TestApp| async move {
        seed(&app, 1).await;
        let p = get(
            &app,
            "/organizations?grade=9A&page=0&status=gone&jurisdiction=abc",
            Some(ZH),
        )
        .await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        p.assert_lang("zh-CN");
        p.assert_has("筛选条件有误");
        p.assert_has("评估等级：取值无效");
        p.assert_has("状态：取值无效");
        p.assert_has("页码：应为1到");
        p.assert_has("所属辖区：");
        p.assert_lacks("测试服务中心1");
        // The form is still there to fix the filters.
        p.assert_has("<form class=\"panel filters\"");
        let p = get(
            &app,
            "/organizations?per_page=5000&sort=sideways&legal_form=x&domain=y&stage=z",
            Some(EN),
        )
        .await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        p.assert_lang("en");
        p.assert_has("Some filters are not valid");
        p.assert_has("Items per page: must be a whole number from 1 to 200");
        p.assert_has("Sort by: is not one of");
        p.assert_has("Legal form: is not one of");
        p.assert_has("Service domain: is not one of");
        p.assert_has("Lifecycle stage: is not one of");
    }
);

http_test!(
    detail_shows_every_field_and_the_history,
    |app: TestApp| async move {
        let form = with(
            with(org_form(7), "grade", "4A"),
            "grade_awarded_on",
            "2024-02-29",
        );
        let o = seed_form(&app, &form).await;
        let path = format!("/organizations/{}", o.id);
        let p = get(&app, &path, Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_lang("zh-CN");
        for s in [
            "<h1>测试服务中心7</h1>",
            "民办非企业单位（社会服务机构）",
            o.data.uscc.as_ref().unwrap().as_str(),
            "<a href=\"/jurisdictions/320102002000\">梅园新村街道</a>",
            "梅园新村34号",
            "2015年3月1日",
            "王芳",
            "13812348000",
            "<span class=\"tag\">助老</span>",
            "<span class=\"tag\">公益服务</span>",
            "成长期",
            "联合党支部",
            "<strong>4A</strong>",
            "2024年2月29日 授予，有效期至 2029年2月28日",
            "已登记",
            "变更记录",
            "创建登记记录",
            "北京时间",
            &format!("href=\"{path}/edit\""),
            &format!("href=\"{path}/status\""),
        ] {
            p.assert_has(s);
        }
        // Staff: 4 + 2.
        p.assert_has("<dt>工作人员合计</dt>");
        // Times in Asia/Shanghai.
        p.assert_has(&shuniu_web::local_time(o.created_at));

        let p = get(&app, &path, Some(EN)).await;
        p.assert_lang("en");
        for s in [
            "Social service institution",
            "Unified social credit code (USCC)",
            "Meiyuan Xincun Street",
            "Elderly care",
            "Growth",
            "Joint branch",
            "awarded 29 Feb 2024, valid until 28 Feb 2029",
            "1 Mar 2015",
            "Registered",
            "Change history",
            "Record created",
            "Edit",
            "Change status",
        ] {
            p.assert_has(s);
        }
    }
);

http_test!(names_are_escaped, |app: TestApp| async move {
    let o = seed_form(
        &app,
        &with(org_form(1), "name", "<script>alert(1)</script>协会"),
    )
    .await;
    let p = get(&app, &format!("/organizations/{}", o.id), None).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(!p.raw.contains("<script>alert"), "unescaped name");
    assert!(p.raw.contains("&#60;script&#62;alert(1)") || p.raw.contains("&lt;script&gt;alert(1)"));
    let p = get(&app, "/organizations", None).await;
    assert!(!p.raw.contains("<script>alert"), "unescaped name in list");
});

http_test!(
    unknown_or_malformed_ids_are_404_pages,
    |app: TestApp| async move {
        let unknown = uuid::Uuid::now_v7();
        for path in [
            format!("/organizations/{unknown}"),
            format!("/organizations/{unknown}/edit"),
            format!("/organizations/{unknown}/status"),
            "/organizations/not-a-uuid".into(),
            "/organizations/1%27%20OR%201=1".into(),
            "/organizations/not-a-uuid/edit".into(),
        ] {
            let p = get(&app, &path, Some(ZH)).await;
            assert_eq!(p.status, StatusCode::NOT_FOUND, "{path}");
            p.assert_lang("zh-CN");
            p.assert_has("页面不存在");
            let p = get(&app, &path, Some(EN)).await;
            assert_eq!(p.status, StatusCode::NOT_FOUND, "{path}");
            p.assert_has("Page not found");
        }
        let p = post(
            &app,
            &format!("/organizations/{unknown}/edit"),
            &org_form(1),
            Some(EN),
        )
        .await;
        assert_eq!(p.status, StatusCode::NOT_FOUND);
        p.assert_has("Page not found");
        let p = post(
            &app,
            &format!("/organizations/{unknown}/status"),
            &[("status", "suspended".into()), ("reason", "x".into())],
            Some(EN),
        )
        .await;
        assert_eq!(p.status, StatusCode::NOT_FOUND);
        p.assert_has("Page not found");
        assert_eq!(count(&app).await, 0);
    }
);
