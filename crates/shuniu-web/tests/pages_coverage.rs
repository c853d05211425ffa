//! Pages: coverage reports of a district, a street and a hub (zh and en, percentages,
//! the organizations not covered), an organization's party-building form and the
//! instructor register — on SQLite and PostgreSQL.

use crate::common;
use crate::coverage_support;
use crate::pages_support;

use common::TestApp;
use coverage_support::*;
use pages_support::*;
use reqwest::StatusCode;
use shuniu_domain::access::Role;

async fn get_as(app: &TestApp, c: &reqwest::Client, path: &str) -> Page {
    read(c.get(app.url(path)).send().await.unwrap()).await
}

async fn post_as(app: &TestApp, c: &reqwest::Client, path: &str, form: &[(&str, String)]) -> Page {
    read(c.post(app.url(path)).form(form).send().await.unwrap()).await
}

fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{href}\">{text}</a>")
}

http_test!(
    district_coverage_page_in_both_languages,
    |app: TestApp| async move {
        let w = build(&app).await;
        let all = expected(&w.specs, everyone);
        let p = get(&app, "/coverage/320102", Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.text);
        p.assert_lang("zh-CN");
        p.assert_has("覆盖情况：玄武区");
        for label in [
            "党的组织覆盖率",
            "党的工作覆盖率",
            "区域性枢纽覆盖率",
            "行业性枢纽覆盖率",
        ] {
            p.assert_has(label);
        }
        // Each headline figure as a percentage with its bar.
        for s in all {
            p.assert_has(&format!(
                "<span class=\"figure-value\">{}</span>",
                s.percent_text()
            ));
            p.assert_has(&format!(
                "<rect class=\"band-{}\" width=\"{}\" height=\"12\"/>",
                s.band().as_str(),
                s.permille()
            ));
            p.assert_has(&format!("{} / {} 个组织", s.covered, s.total));
        }
        // A row per street, linking to its own report, with its four figures.
        p.assert_has("各街道覆盖情况");
        p.assert_has(&link("/coverage/320102002000", "梅园新村街道"));
        p.assert_has(&link("/coverage/320102003000", "新街口街道"));
        let row = &p.text[p
            .text
            .find("<th scope=\"row\"><a href=\"/coverage/320102002000\"")
            .unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        for s in expected(&w.specs, in_street(MEIYUAN)) {
            assert!(row.contains(&s.percent_text()), "{row}");
        }
        // Tabs per gap, and the first gap's organizations, each linking to its record.
        for g in [
            "party_organization",
            "party_work",
            "regional_hub",
            "industry_hub",
        ] {
            p.assert_has(&format!("href=\"/coverage/320102?gap={g}#gaps\""));
        }
        p.assert_has("未建党组织");
        let uncovered = gap_names(&w.specs, "party_organization", everyone);
        for (i, s) in w.specs.iter().enumerate() {
            let shown = p.has(&link(&format!("/organizations/{}", w.id(i)), s.name));
            assert_eq!(shown, uncovered.contains(&s.name.to_string()), "{}", s.name);
        }
        p.assert_has(&format!("共 {} 个<", uncovered.len()));
        p.assert_has("/instructors?jurisdiction=320102");

        let p = get(&app, "/coverage/320102?gap=regional_hub", Some(EN)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_lang("en");
        p.assert_has("Coverage: Xuanwu District");
        p.assert_has("Party organization coverage");
        p.assert_has("Industry-hub coverage");
        p.assert_has("Coverage by street");
        p.assert_has(&link("/coverage/320102002000", "Meiyuan Xincun Street"));
        p.assert_has("In no regional hub");
        for s in all {
            p.assert_has(&format!("{} of {} organizations", s.covered, s.total));
        }
        let uncovered = gap_names(&w.specs, "regional_hub", everyone);
        for (i, s) in w.specs.iter().enumerate() {
            let shown = p.has(&link(&format!("/organizations/{}", w.id(i)), s.name));
            assert_eq!(shown, uncovered.contains(&s.name.to_string()), "{}", s.name);
        }
        p.assert_has(&format!("{} organizations<", uncovered.len()));
    }
);

http_test!(
    street_and_hub_pages_paging_and_bad_gaps,
    |app: TestApp| async move {
        let w = build(&app).await;
        let p = get(&app, "/coverage/320102003000?gap=party_work", Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_has("覆盖情况：新街口街道");
        // Up to the district in the breadcrumbs.
        p.assert_has(&link("/coverage/320102", "玄武区"));
        for s in expected(&w.specs, in_street(XINJIEKOU)) {
            p.assert_has(&s.percent_text());
        }
        let want = gap_names(&w.specs, "party_work", in_street(XINJIEKOU));
        for n in &want {
            p.assert_has(n);
        }
        p.assert_lacks(w.specs[X3].name);

        // Paged one at a time: page 2 shows another organization, with links both ways.
        let all = gap_names(&w.specs, "party_organization", everyone);
        let p1 = get(
            &app,
            "/coverage/320102?gap=party_organization&per_page=1",
            Some(ZH),
        )
        .await;
        let p2 = get(
            &app,
            "/coverage/320102?gap=party_organization&per_page=1&page=2",
            Some(ZH),
        )
        .await;
        let on = |p: &Page| -> Vec<String> {
            all.iter()
                .filter(|n| p.has(&format!("\">{n}</a>")))
                .cloned()
                .collect()
        };
        assert_eq!(on(&p1).len(), 1, "{:?}", on(&p1));
        assert_eq!(on(&p2).len(), 1);
        assert_ne!(on(&p1), on(&p2));
        // Previous/Next by cursor keep the gap and the page size.
        p1.assert_has("gap=party_organization&per_page=1&cursor=");
        p1.assert_has("rel=\"next\"");
        p1.assert_lacks("rel=\"prev\"");
        p2.assert_has("rel=\"prev\"");
        p2.assert_has(&format!("共 {} 个<", all.len()));

        // A bad gap is named on the page.
        let p = get(&app, "/coverage/320102?gap=everyone", Some(ZH)).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        p.assert_has("查询参数有误");
        p.assert_has("未覆盖类型：取值无效");

        // A hub's members.
        let p = get(&app, &format!("/hubs/{}/coverage", w.hub_m.id), Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.text);
        p.assert_has("梅园促进会：成员覆盖情况");
        p.assert_has(&format!(
            "href=\"/hubs/{}/coverage?gap=party_work#gaps\"",
            w.hub_m.id
        ));
        for s in expected(&w.specs, in_hub_m) {
            p.assert_has(&format!(
                "<span class=\"figure-value\">{}</span>",
                s.percent_text()
            ));
        }
        let want = gap_names(&w.specs, "party_organization", in_hub_m);
        for (i, s) in w.specs.iter().enumerate() {
            let shown = p.has(&link(&format!("/organizations/{}", w.id(i)), s.name));
            assert_eq!(shown, want.contains(&s.name.to_string()), "{}", s.name);
        }
        let p = get(&app, &format!("/hubs/{}/coverage", w.hub_i.id), Some(EN)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_has("残疾人服务联合会: coverage of its members");

        // Who may look.
        let p = get_as(&app, &app.anon, "/coverage/320102").await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        assert!(p.location().starts_with("/login?next="), "{}", p.location());
        let member = app
            .client_as("member", Role::OrgMember, None, Some(w.id(M1)))
            .await;
        let p = get_as(&app, &member, "/coverage/320102").await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
        p.assert_lacks("党的组织覆盖率");
        let staff = app
            .client_as("staff", Role::HubStaff, None, Some(w.hub_m.organization_id))
            .await;
        let p = get_as(&app, &staff, &format!("/hubs/{}/coverage", w.hub_m.id)).await;
        assert_eq!(p.status, StatusCode::OK);
        let p = get_as(&app, &staff, &format!("/hubs/{}/coverage", w.hub_i.id)).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
        for bad in ["/coverage/320199", "/coverage/nope", "/hubs/nope/coverage"] {
            assert_eq!(
                get(&app, bad, None).await.status,
                StatusCode::NOT_FOUND,
                "{bad}"
            );
        }
    }
);

http_test!(
    party_form_shows_field_errors_and_saves,
    |app: TestApp| async move {
        let w = build(&app).await;
        let path = format!("/organizations/{}/party", w.id(X2));
        let p = get(&app, &path, Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_has("党建情况：新街口乙服务中心");
        p.assert_has("未建立");
        // The instructors of the district are offered, others not.
        p.assert_has(&format!(
            "<option value=\"{}\">王党建（梅园新村街道党建工作站）</option>",
            w.instructor.id
        ));
        p.assert_lacks("秦指导");

        // An own branch with 2 members: the message next to the field, the values kept.
        let bad = vec![
            ("party_org", "own_branch".to_string()),
            ("party_members", "2".to_string()),
            ("instructor_id", w.instructor.id.to_string()),
        ];
        let p = post(&app, &path, &bad, Some(ZH)).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        let f = p.field("party_members");
        assert!(f.contains("单独建立党支部须有3名以上正式党员"), "{f}");
        assert!(f.contains("value=\"2\""), "{f}");
        assert!(
            p.field("party_org")
                .contains("<option value=\"own_branch\" selected>")
        );
        assert!(
            p.field("instructor_id")
                .contains(&format!("<option value=\"{}\" selected>", w.instructor.id))
        );
        p.assert_has("提交的信息有误");
        let o = app.store.organization(w.id(X2)).await.unwrap().unwrap();
        assert_eq!(o.data.party_org.as_str(), "none");
        assert_eq!(app.store.instructor_of(w.id(X2)).await.unwrap(), None);
        let p = post(&app, &path, &bad, Some(EN)).await;
        assert!(
            p.field("party_members")
                .contains("an own branch needs at least 3 party members")
        );

        // A good post: 303 back to the page, which shows the new values.
        let good = vec![
            ("party_org", "own_branch".to_string()),
            ("party_members", "4".to_string()),
            ("instructor_id", w.instructor.id.to_string()),
        ];
        let p = post(&app, &path, &good, Some(ZH)).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
        assert_eq!(p.location(), path);
        let p = get(&app, &path, Some(ZH)).await;
        assert!(p.text.contains("<dd id=\"party-org\">单独建立党支部</dd>"));
        assert!(p.text.contains("<dd id=\"party-members\">4</dd>"));
        p.assert_has("王党建 · 梅园新村街道党建工作站");
        let o = app.store.organization(w.id(X2)).await.unwrap().unwrap();
        assert_eq!(o.data.party_members, 4);
        // The coverage report follows.
        let before = expected(&w.specs, everyone)[0];
        let c = get(&app, "/coverage/320102", Some(ZH)).await;
        c.assert_has(&format!("{} / {} 个组织", before.covered + 1, before.total));

        // The public sees the facts, no form, the phone masked; posting asks to sign in.
        let p = get_as(
            &app,
            &app.anon,
            &format!("/organizations/{}/party", w.id(M3)),
        )
        .await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_has("139****5678");
        p.assert_lacks(INSTRUCTOR_PHONE);
        p.assert_lacks("name=\"party_org\"");
        let p = post_as(&app, &app.anon, &path, &good).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        assert!(p.location().starts_with("/login"));
        // A member of another organization sees no form and may not post.
        let member = app
            .client_as("member", Role::OrgMember, None, Some(w.id(M3)))
            .await;
        let p = get_as(&app, &member, &path).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_lacks("name=\"party_org\"");
        let p = post_as(&app, &member, &path, &bad).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
        let o = app.store.organization(w.id(X2)).await.unwrap().unwrap();
        assert_eq!(o.data.party_members, 4);
    }
);

http_test!(
    instructor_register_page_adds_with_field_errors,
    |app: TestApp| async move {
        let w = build(&app).await;
        let official = app
            .client_as("xw_official", Role::Official, Some(XUANWU), None)
            .await;
        let p = get_as(&app, &official, "/instructors").await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.text);
        p.assert_has("王党建");
        p.assert_has(INSTRUCTOR_PHONE);
        p.assert_lacks("秦指导");
        p.assert_has("name=\"workplace\"");
        let bad = vec![
            ("name", "".to_string()),
            ("phone", "12345".to_string()),
            ("jurisdiction", "320102007000".to_string()),
            ("workplace", "锁金村街道社会组织党建工作站".to_string()),
        ];
        let p = post_as(&app, &official, "/instructors", &bad).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            p.field("phone").contains("电话号码格式不对"),
            "{}",
            p.field("phone")
        );
        assert!(p.field("phone").contains("value=\"12345\""));
        assert!(p.field("name").contains("field-error"));
        assert!(
            p.field("workplace")
                .contains("value=\"锁金村街道社会组织党建工作站\"")
        );
        let mut good = bad.clone();
        good[0].1 = "李指导".into();
        good[1].1 = "13800001111".into();
        let p = post_as(&app, &official, "/instructors", &good).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
        assert_eq!(p.location(), "/instructors?jurisdiction=320102007000");
        let p = get_as(&app, &official, "/instructors?jurisdiction=320102007000").await;
        p.assert_has("李指导");
        p.assert_has("锁金村街道社会组织党建工作站");
        p.assert_lacks("王党建");
        // Experts read (phones masked) without the form; members may not.
        let expert = app.client_as("expert", Role::Expert, None, None).await;
        let p = get_as(&app, &expert, "/instructors?jurisdiction=320102").await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_has("139****5678");
        p.assert_lacks("name=\"workplace\"");
        let member = app
            .client_as("member", Role::OrgMember, None, Some(w.id(M1)))
            .await;
        assert_eq!(
            get_as(&app, &member, "/instructors").await.status,
            StatusCode::FORBIDDEN
        );
        let p = post_as(&app, &expert, "/instructors", &good).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
        let n = app
            .store
            .instructors("320000/", 1, 100)
            .await
            .unwrap()
            .total;
        assert_eq!(n, 3);
    }
);
