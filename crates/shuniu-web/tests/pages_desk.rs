//! Navigation by role and the desk (`/my`): every link a role's menu shows opens for
//! that role (never a sign-in wall or a 403), and each role's desk shows its own work.

use crate::common::TestApp;
use crate::coverage_support::{self, HUB_M, M1, M3, XUANWU};
use reqwest::StatusCode;
use shuniu_domain::access::Role;

/// The links of the site navigation on a page.
fn nav_hrefs(html: &str) -> Vec<String> {
    let start = html
        .find("<nav class=\"site-nav\"")
        .expect("a site navigation");
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    nav.split("href=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].replace("&amp;", "&"))
        .collect()
}

/// `GET path`, following redirects as a browser would: the final path and status.
async fn follow(app: &TestApp, c: &reqwest::Client, path: &str) -> (String, StatusCode) {
    let mut path = path.to_string();
    for _ in 0..5 {
        let r = c.get(app.url(&path)).send().await.unwrap();
        if !r.status().is_redirection() {
            return (path, r.status());
        }
        path = r.headers()["location"].to_str().unwrap().to_string();
    }
    panic!("redirect loop from {path}");
}

http_test!(
    every_menu_item_opens_for_the_role_that_sees_it,
    |app: TestApp| async move {
        let w = coverage_support::build(&app).await;
        let roles = [
            ("anonymous", app.anon.clone()),
            ("admin", app.client.clone()),
            (
                "official",
                app.client_as("nav.official", Role::Official, Some(XUANWU), None)
                    .await,
            ),
            (
                "expert",
                app.client_as("nav.expert", Role::Expert, None, None).await,
            ),
            (
                "member",
                app.client_as("nav.member", Role::OrgMember, None, Some(w.id(M1)))
                    .await,
            ),
            (
                "hub staff",
                app.client_as("nav.hub", Role::HubStaff, None, Some(w.id(HUB_M)))
                    .await,
            ),
        ];
        for (who, c) in &roles {
            let home = c
                .get(app.url("/"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let links = nav_hrefs(&home);
            assert!(links.len() >= 4, "{who}: {links:?}");
            let signed_in = *who != "anonymous";
            assert_eq!(links.contains(&"/my".to_string()), signed_in, "{who}");
            for link in &links {
                let (at, status) = follow(&app, c, link).await;
                assert_eq!(status, StatusCode::OK, "{who}: {link} → {at}");
                assert!(!at.starts_with("/login"), "{who}: {link} asks to sign in");
            }
        }
        // What each role's menu offers, and where its coverage link leads.
        let menu = |i: usize| {
            let c = roles[i].1.clone();
            let app = &app;
            async move {
                let home = c
                    .get(app.url("/"))
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                nav_hrefs(&home)
            }
        };
        let anon = menu(0).await;
        assert!(!anon.iter().any(|l| l.starts_with("/coverage")), "{anon:?}");
        assert!(
            !anon.contains(&"/organizations/new".to_string()),
            "{anon:?}"
        );
        let member = menu(4).await;
        assert!(
            !member.iter().any(|l| l.starts_with("/coverage")),
            "{member:?}"
        );
        assert!(menu(2).await.contains(&"/organizations/new".to_string()));
        let leads = |i: usize| follow(&app, &roles[i].1, "/coverage");
        assert_eq!(
            leads(2).await,
            (format!("/coverage/{XUANWU}"), StatusCode::OK)
        );
        assert_eq!(
            leads(5).await,
            (format!("/hubs/{}/coverage", w.hub_m.id), StatusCode::OK)
        );
        // Experts and admins: the node the data cover (the district), not the province.
        assert_eq!(
            leads(3).await,
            (format!("/coverage/{XUANWU}"), StatusCode::OK)
        );
        assert_eq!(leads(4).await.1, StatusCode::FORBIDDEN);
        assert!(leads(0).await.0.starts_with("/login"));
    }
);

http_test!(
    each_role_finds_its_own_work_on_its_desk,
    |app: TestApp| async move {
        let w = coverage_support::build(&app).await;
        let today = chrono::Utc::now().date_naive();
        app.store
            .apply_membership(w.hub_m.id, w.id(M3), today, "test")
            .await
            .expect("a pending application");
        let page = |c: reqwest::Client| {
            let app = &app;
            async move {
                let r = c
                    .get(app.url("/my"))
                    .header("accept-language", "zh-CN")
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::OK);
                r.text().await.unwrap()
            }
        };
        // A member: their organization, its hubs, where to book.
        let member = page(
            app.client_as("desk.member", Role::OrgMember, None, Some(w.id(M1)))
                .await,
        )
        .await;
        assert!(member.contains("<h1>我的工作台</h1>"), "{member}");
        assert!(member.contains(&w.orgs[M1].data.name), "{member}");
        assert!(member.contains(&format!("href=\"/hubs/{}\"", w.hub_m.id)));
        assert!(member.contains("没有即将使用的预约。"));
        assert!(member.contains(&format!(
            "href=\"/organizations/{}/services/new\"",
            w.id(M1)
        )));
        assert!(member.contains("aria-current=\"page\">我的工作台</a>"));

        // Hub staff: the pending application, linked to its decision page.
        let hub = page(
            app.client_as("desk.hub", Role::HubStaff, None, Some(w.id(HUB_M)))
                .await,
        )
        .await;
        assert!(hub.contains("待审核的入会申请"), "{hub}");
        assert!(hub.contains(&w.orgs[M3].data.name), "{hub}");
        assert!(hub.contains("共 1 项"), "{hub}");
        assert!(hub.contains(&format!("href=\"/hubs/{}/coverage\"", w.hub_m.id)));

        // An official: the queues of the office and the district's coverage.
        let official = page(
            app.client_as("desk.official", Role::Official, Some(XUANWU), None)
                .await,
        )
        .await;
        for panel in [
            "待审核的变更申请",
            "待审查的年度报告",
            "列入活动异常名录的组织",
        ] {
            assert!(official.contains(panel), "{panel}: {official}");
        }
        assert!(official.contains(&format!("href=\"/coverage/{XUANWU}\"")));

        // A member of staff whose organization is not (or no longer) a hub is told so.
        let not_a_hub = page(
            app.client_as("desk.nohub", Role::HubStaff, None, Some(w.id(M3)))
                .await,
        )
        .await;
        assert!(
            not_a_hub.contains("目前不是获认定的枢纽型社会组织"),
            "{not_a_hub}"
        );

        // Nobody signed in: the sign-in page, coming back here.
        let r = app.anon.get(app.url("/my")).send().await.unwrap();
        assert!(r.status().is_redirection(), "{}", r.status());
        assert!(
            r.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/login?next=%2Fmy")
        );
    }
);
