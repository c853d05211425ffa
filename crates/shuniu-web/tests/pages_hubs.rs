//! Pages of the hubs capability: list, detail, forms, memberships and the structure
//! views — on SQLite and PostgreSQL.

use crate::common;
use crate::pages_support;

use common::TestApp;
use pages_support::accounts::{PASSWORD, csrf_in, get_with, make_user, post_with, signed_in};
use pages_support::*;
use reqwest::StatusCode;
use shuniu_domain::access::Role;
use shuniu_domain::hubs::{Hub, Membership, RecognitionDraft};
use shuniu_domain::jurisdiction::Level;
use shuniu_domain::registry::Organization;

async fn org_at(app: &TestApp, n: u32, place: &str, name: &str) -> Organization {
    seed_form(
        app,
        &with(with(org_form(n), "jurisdiction", place), "name", name),
    )
    .await
}

async fn hub(app: &TestApp, org: &Organization, kind: &str, place: &str, base: &str) -> Hub {
    let level = if place.len() == 12 {
        "street"
    } else {
        "district"
    };
    let d = RecognitionDraft {
        kind: Some(kind.into()),
        level: Some(level.into()),
        jurisdiction: Some(place.into()),
        base_body: Some(base.into()),
        fields: if kind == "industry" {
            vec!["disability".into()]
        } else {
            vec![]
        },
        recognizing_body: Some("玄武区民政局".into()),
        document_number: Some("玄民〔2012〕12号".into()),
        recognized_on: Some("2012-03-01".into()),
        functions: vec!["cultivation".into()],
    };
    let lv = if level == "street" {
        Level::Street
    } else {
        Level::District
    };
    let r = d
        .validate(chrono::Utc::now().date_naive(), Some(lv))
        .unwrap();
    app.store.recognize_hub(org.id, &r, "test").await.unwrap()
}

async fn add(app: &TestApp, h: &Hub, o: &Organization, initiating: bool) -> Membership {
    let today = chrono::Utc::now().date_naive();
    app.store
        .add_member(h.id, o.id, initiating, today, "test")
        .await
        .unwrap()
}

/// The `<svg>…</svg>` of a page.
fn svg_of(p: &Page) -> &str {
    let start = p.raw.find("<svg").expect("an <svg> on the page");
    let end = p.raw[start..].find("</svg>").expect("a closed svg") + start;
    &p.raw[start..end]
}

http_test!(
    list_and_detail_in_both_languages,
    |app: TestApp| async move {
        let a = org_at(&app, 1, "320102002000", "梅园新村街道社会组织发展促进会").await;
        let m = org_at(&app, 2, "320102002000", "玄武城市符号文化交流中心").await;
        let h = hub(&app, &a, "regional", "320102002000", "").await;
        add(&app, &h, &m, true).await;
        let p = get(&app, "/hubs", Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_lang("zh-CN");
        p.assert_has("枢纽型社会组织");
        p.assert_has(&format!(
            "<a href=\"/hubs/{}\">梅园新村街道社会组织发展促进会</a>",
            h.id
        ));
        p.assert_has("区域性枢纽");
        p.assert_has("梅园新村街道");
        // The navigation links the new capabilities.
        p.assert_has("href=\"/hubs\" aria-current=\"page\">枢纽组织</a>");
        p.assert_has("href=\"/venues\"");
        // The admin's coverage link leads to the report of the node the data cover.
        p.assert_has("href=\"/coverage\"");
        let p = get(&app, "/hubs?kind=industry", Some(EN)).await;
        p.assert_lang("en");
        p.assert_has("Hub organizations");
        p.assert_has("No hubs match these filters.");
        let p = get(&app, "/hubs?kind=axis", Some(EN)).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Detail: anonymous sees the recognition and the active members, no forms.
        let p = read(
            app.anon
                .get(app.url(&format!("/hubs/{}", h.id)))
                .header("accept-language", ZH)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_has("玄民〔2012〕12号");
        p.assert_has("培育发展");
        p.assert_has("玄武城市符号文化交流中心");
        p.assert_has("发起单位");
        p.assert_has(&format!("href=\"/venues?hub={}\"", h.id));
        p.assert_has(&format!("href=\"/hubs/{}/coverage\"", h.id));
        p.assert_lacks("action=\"/hubs/");
        let p = get(&app, &format!("/hubs/{}", h.id), Some(EN)).await;
        p.assert_lang("en");
        p.assert_has("Regional hub");
        p.assert_has("Cultivation and development");
        p.assert_has("Initiating unit");
        // The admin runs it: add-member and revoke forms.
        p.assert_has(&format!("action=\"/hubs/{}/members\"", h.id));
        p.assert_has(&format!("action=\"/hubs/{}/revoke\"", h.id));
        let p = get(&app, "/hubs/01900000-0000-7000-8000-000000000000", None).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND);

        // The member's page lists its membership.
        let p = get(&app, &format!("/organizations/{}", m.id), Some(EN)).await;
        p.assert_has("Hub memberships");
        p.assert_has(&format!(
            "<a href=\"/hubs/{}\">梅园新村街道社会组织发展促进会</a>",
            h.id
        ));
        p.assert_has(&format!("href=\"/organizations/{}/party\"", m.id));
    }
);

http_test!(
    the_structure_is_drawn_from_live_data,
    |app: TestApp| async move {
        let a = org_at(&app, 1, "320102002000", "梅园新村街道社会组织发展促进会").await;
        let b = org_at(&app, 2, "320102007000", "锁金村街道社会组织服务中心").await;
        let c = org_at(&app, 3, "320102", "玄武区残联社会组织服务中心").await;
        let ha = hub(&app, &a, "regional", "320102002000", "").await;
        let hb = hub(&app, &b, "regional", "320102007000", "").await;
        let hc = hub(&app, &c, "industry", "320102", "玄武区残疾人联合会").await;
        let mut n = 10;
        for (h, place, k) in [
            (&ha, "320102002000", 3),
            (&hb, "320102007000", 2),
            (&hc, "320102002000", 1),
        ] {
            for _ in 0..k {
                n += 1;
                let o = org_at(&app, n, place, &format!("成员单位{n}")).await;
                add(&app, h, &o, false).await;
            }
        }
        let p = read(
            app.anon
                .get(app.url("/structure/320102"))
                .header("accept-language", ZH)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(p.status, StatusCode::OK);
        let svg = svg_of(&p);
        assert!(svg.contains("viewBox=\"0 0 480 "), "{svg}");
        for h in [&ha, &hb, &hc] {
            assert!(
                svg.contains(&format!("href=\"/hubs/{}\"", h.id)),
                "{} not linked",
                h.id
            );
        }
        // Member counts from the data: 3 in Meiyuan (5 organizations there), 2 in Suojincun, 1 in the industry hub.
        assert!(svg.contains("成员 3 · 组织 5"), "{svg}");
        assert!(svg.contains("成员 2 · 组织 3"), "{svg}");
        assert!(svg.contains("成员 1"), "{svg}");
        assert!(svg.contains("href=\"/structure/320102002000\""));
        assert!(
            svg.contains("尚无区域性枢纽"),
            "streets without a hub are drawn too"
        );
        // The same data as a table for screen readers and small screens.
        p.assert_has("结构数据");
        p.assert_has("玄武区残疾人联合会");
        // English, and the street's 1+1+X.
        let p = get(&app, "/structure/320102", Some(EN)).await;
        assert!(svg_of(&p).contains("3 members · 5 orgs"));
        let p = get(&app, "/structure/320102002000", Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_has("1 · 服务园");
        p.assert_has(&format!(
            "<a href=\"/hubs/{}\"><strong>梅园新村街道社会组织发展促进会</strong></a>",
            ha.id
        ));
        p.assert_has("成员 3");
        p.assert_has("成员单位11");
        for code in ["320100", "999999"] {
            let p = get(&app, &format!("/structure/{code}"), None).await;
            assert_eq!(p.status, StatusCode::NOT_FOUND, "{code}");
        }
    }
);

http_test!(
    forms_keep_values_and_check_csrf,
    |app: TestApp| async move {
        let a = org_at(&app, 1, "320102002000", "梅园新村街道社会组织发展促进会").await;
        let far = org_at(&app, 2, "320102003000", "新街口某中心").await;
        make_user(
            &app,
            "xuanwu",
            Role::Official,
            Some("320102"),
            None,
            PASSWORD,
            false,
        )
        .await;
        let c = signed_in(&app, "xuanwu", PASSWORD).await;
        let form = get_with(&app, &c, &format!("/hubs/new?organization={}", a.id)).await;
        assert_eq!(form.status, StatusCode::OK);
        form.assert_has(&format!("value=\"{}\"", a.id));
        form.assert_has("<option value=\"320102002000\" selected>");
        let token = csrf_in(&form.raw);
        let bad = vec![
            ("_csrf", token.clone()),
            ("organization_id", a.id.to_string()),
            ("kind", "industry".into()),
            ("level", "district".into()),
            ("jurisdiction", "320102".into()),
            ("base_body", "".into()),
            ("recognizing_body", "玄武区民政局".into()),
            ("document_number", "玄民〔2012〕99号".into()),
            ("recognized_on", "2999-01-01".into()),
            ("functions", "cultivation".into()),
        ];
        let p = post_with(&app, &c, "/hubs", &bad).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(p.field("base_body").contains("field-error"));
        assert!(p.field("fields").contains("field-error"));
        assert!(p.field("recognized_on").contains("field-error"));
        p.assert_has("value=\"玄民〔2012〕99号\"");
        p.assert_has("value=\"2999-01-01\"");
        assert!(
            p.field("functions")
                .contains("value=\"cultivation\" checked")
        );
        // Without the token nothing is recognized.
        let mut good = bad.clone();
        good.retain(|(k, _)| {
            !matches!(
                *k,
                "kind" | "level" | "jurisdiction" | "recognized_on" | "_csrf"
            )
        });
        good.extend([
            ("kind", "regional".to_string()),
            ("level", "street".to_string()),
            ("jurisdiction", "320102002000".to_string()),
            ("recognized_on", "2012-03-01".to_string()),
        ]);
        let p = post_with(&app, &c, "/hubs", &good).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
        assert!(app.store.hub_of_organization(a.id).await.unwrap().is_none());
        good.push(("_csrf", token.clone()));
        let p = post_with(&app, &c, "/hubs", &good).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
        let h = app.store.hub_of_organization(a.id).await.unwrap().unwrap();
        assert_eq!(p.location(), format!("/hubs/{}", h.id));

        // Adding a member of another street breaks the regional rule: the form says so.
        let add = vec![
            ("_csrf", token.clone()),
            ("organization_id", far.id.to_string()),
        ];
        let p = post_with(&app, &c, &format!("/hubs/{}/members", h.id), &add).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(p.field("organization_id").contains("field-error"));
        assert!(p.field("organization_id").contains(&far.id.to_string()));
        assert_eq!(h.member_count, 0);
        // A member of the street: 303 back to the hub.
        let near = org_at(&app, 3, "320102002000", "梅园阳光家园残疾人托养中心").await;
        let add = vec![
            ("_csrf", token.clone()),
            ("organization_id", near.id.to_string()),
            ("initiating", "on".into()),
        ];
        let p = post_with(&app, &c, &format!("/hubs/{}/members", h.id), &add).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
        let h2 = app.store.hub(h.id).await.unwrap().unwrap();
        assert_eq!(h2.member_count, 1);

        // An organization member applies from its own page; the hub's staff decide.
        let applicant = org_at(&app, 4, "320102002000", "玄武一家圆心灵保姆服务中心").await;
        make_user(
            &app,
            "member4",
            Role::OrgMember,
            None,
            Some(applicant.id),
            PASSWORD,
            false,
        )
        .await;
        let mc = signed_in(&app, "member4", PASSWORD).await;
        let page = get_with(&app, &mc, &format!("/organizations/{}", applicant.id)).await;
        page.assert_has(&format!("action=\"/hubs/{}/applications\"", h.id));
        let t = csrf_in(&page.raw);
        let p = post_with(
            &app,
            &mc,
            &format!("/hubs/{}/applications", h.id),
            &[("_csrf", t), ("organization_id", applicant.id.to_string())],
        )
        .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
        let pending = app
            .store
            .hub_members(
                h.id,
                Some(shuniu_domain::hubs::MembershipStatus::Pending),
                1,
                10,
            )
            .await
            .unwrap();
        assert_eq!(pending.total, 1);
        let mid = pending.items[0].id;
        make_user(
            &app,
            "staff1",
            Role::HubStaff,
            None,
            Some(a.id),
            PASSWORD,
            false,
        )
        .await;
        let sc = signed_in(&app, "staff1", PASSWORD).await;
        let page = get_with(&app, &sc, &format!("/hubs/{}", h.id)).await;
        page.assert_has(&format!("action=\"/memberships/{mid}/decision\""));
        page.assert_lacks(&format!("action=\"/hubs/{}/revoke\"", h.id));
        let t = csrf_in(&page.raw);
        // Rejecting without a reason: 422 on the membership page.
        let p = post_with(
            &app,
            &sc,
            &format!("/memberships/{mid}/decision"),
            &[
                ("_csrf", t.clone()),
                ("action", "reject".into()),
                ("reason", "".into()),
            ],
        )
        .await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(p.field("reason").contains("field-error"));
        let p = post_with(
            &app,
            &sc,
            &format!("/memberships/{mid}/decision"),
            &[
                ("_csrf", t.clone()),
                ("action", "approve".into()),
                ("back", "hub".into()),
            ],
        )
        .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
        assert_eq!(p.location(), format!("/hubs/{}", h.id));
        let m = app.store.membership(mid).await.unwrap().unwrap();
        assert_eq!(m.status.as_str(), "active");
        let page = get_with(&app, &sc, &format!("/memberships/{mid}")).await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_has("提出入会申请");
        page.assert_has("批准");
        // Anonymous visitors are sent to sign in for membership records.
        let p = read(
            app.anon
                .get(app.url(&format!("/memberships/{mid}")))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        assert!(p.location().starts_with("/login"));
    }
);
