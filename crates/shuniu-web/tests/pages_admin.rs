//! Pages: user administration, the audit browser and its CSV export, and the registry
//! pages as the policy presents them (links, masking) — on SQLite and PostgreSQL.

use crate::common;
use crate::pages_support;

use crate::pages_audit::rows;
use common::TestApp;
use pages_support::accounts::*;
use pages_support::*;
use reqwest::StatusCode;
use shuniu_domain::access::Role;

async fn page_as(app: &TestApp, c: &reqwest::Client, path: &str) -> Page {
    read(c.get(app.url(path)).send().await.unwrap()).await
}

http_test!(admin_pages_are_for_admins_only, |app: TestApp| async move {
    let o = seed(&app, 1).await;
    let official = app
        .client_as("gov.xw", Role::Official, Some("320102"), None)
        .await;
    let member = app
        .client_as("member.one", Role::OrgMember, None, Some(o.id))
        .await;
    for path in ["/admin/users", "/admin/users/new"] {
        let p = get(&app, path, Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK, "{path}");
        for c in [&official, &member] {
            let p = page_as(&app, c, path).await;
            assert_eq!(p.status, StatusCode::FORBIDDEN, "{path}");
            p.assert_has("无权操作");
        }
        let r = app.anon.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let list = get(&app, "/admin/users", Some(ZH)).await;
    list.assert_has("gov.xw");
    list.assert_has("member.one");
    list.assert_has("政府工作人员");
    // Bindings are named: the organization (linked to its page) and the official's place,
    // never the raw id or code as text.
    list.assert_has(&format!(
        "<a href=\"/organizations/{}\">{}</a>",
        o.id, o.data.name
    ));
    list.assert_lacks(&format!(">{}<", o.id));
    list.assert_has(">玄武区</td>");
    list.assert_lacks(">320102</td>");
    // Non-admins cannot create, disable or reset either.
    let u = app
        .store
        .user_by_username("member.one")
        .await
        .unwrap()
        .unwrap();
    for (path, form) in [
        (
            "/admin/users".to_string(),
            vec![
                ("username", "x.y".to_string()),
                ("role", "admin".into()),
                ("display_name", "X".into()),
                ("password", "Temp-Pass-123".into()),
            ],
        ),
        (format!("/admin/users/{}/disable", u.id), vec![]),
        (
            format!("/admin/users/{}/password", u.id),
            vec![("password", "Temp-Pass-123".to_string())],
        ),
    ] {
        let r = official
            .post(app.url(&path))
            .form(&form)
            .send()
            .await
            .unwrap();
        // Someone else's account is not there for a non-admin (404); the list is refused.
        let expected = if path.ends_with("/users") {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(r.status(), expected, "{path}");
    }
    assert!(app.store.user_by_username("x.y").await.unwrap().is_none());
    assert!(!app.store.user_by_id(u.id).await.unwrap().unwrap().disabled);
    // Every denial is in the audit trail, with who asked for what.
    let denied = audit_of(&app, "access.denied").await;
    assert!(
        denied
            .iter()
            .any(|r| r.event.actor == "gov.xw" && r.event.object == "page:/admin/users"),
        "{denied:?}"
    );
    assert!(
        denied
            .iter()
            .any(|r| r.event.actor == "member.one" && r.event.object == "page:/admin/users")
    );
    // One record per caller and source a minute, however many refusals (issue 10).
    assert_eq!(
        denied.iter().filter(|r| r.event.actor == "gov.xw").count(),
        1,
        "{denied:?}"
    );
    assert!(
        denied
            .iter()
            .all(|r| r.event.outcome == shuniu_domain::audit::Outcome::Failure)
    );
});

http_test!(
    admin_creates_disables_and_resets_accounts,
    |app: TestApp| async move {
        let o = seed(&app, 1).await;
        // Validation: role bindings and the password policy.
        let p = post(
            &app,
            "/admin/users",
            &[
                ("username", "1bad".into()),
                ("display_name", "".into()),
                ("role", "official".into()),
                ("jurisdiction", "".into()),
                ("password", "short".into()),
            ],
            Some(ZH),
        )
        .await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        p.assert_has("用户名为3–32位");
        assert!(p.field("jurisdiction").contains("须绑定辖区"));
        assert!(p.field("password").contains("密码至少8位"));
        let p = post(
            &app,
            "/admin/users",
            &[
                ("username", "staff.one".into()),
                ("display_name", "工作人员一".into()),
                ("role", "org_member".into()),
                ("organization", o.id.to_string()),
                ("password", "Temp-Pass-123".into()),
            ],
            Some(ZH),
        )
        .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
        let u = app
            .store
            .user_by_username("staff.one")
            .await
            .unwrap()
            .unwrap();
        assert!(u.must_change_password);
        assert_eq!(u.organization_id, Some(o.id));
        assert_eq!(audit_of(&app, "user.create").await[0].event.actor, "admin");
        // Taken user name.
        let p = post(
            &app,
            "/admin/users",
            &[
                ("username", "staff.one".into()),
                ("display_name", "重复".into()),
                ("role", "expert".into()),
                ("password", "Temp-Pass-123".into()),
            ],
            Some(EN),
        )
        .await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        p.assert_has("is already taken");
        // The new user signs in and must change the password first.
        let c = browser();
        let p = submit_login(&app, &c, "staff.one", "Temp-Pass-123", "/").await;
        assert_eq!(p.location(), "/account/password");
        // Disable: its session ends, sign-in fails; enable again.
        let p = post(
            &app,
            &format!("/admin/users/{}/disable", u.id),
            &[],
            Some(ZH),
        )
        .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        assert!(app.store.user_by_id(u.id).await.unwrap().unwrap().disabled);
        assert_eq!(
            get_with(&app, &c, "/account/password").await.status,
            StatusCode::SEE_OTHER
        );
        let p = submit_login(&app, &browser(), "staff.one", "Temp-Pass-123", "/").await;
        assert_eq!(p.status, StatusCode::UNAUTHORIZED);
        let list = get(&app, "/admin/users", Some(ZH)).await;
        list.assert_has("已停用");
        let p = post(
            &app,
            &format!("/admin/users/{}/enable", u.id),
            &[],
            Some(ZH),
        )
        .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        // Reset: policy checked, then must change at next sign-in.
        let path = format!("/admin/users/{}/password", u.id);
        assert_eq!(get(&app, &path, Some(ZH)).await.status, StatusCode::OK);
        let p = post(&app, &path, &[("password", "weak".into())], Some(ZH)).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        let p = post(
            &app,
            &path,
            &[("password", "Another-Temp-9".into())],
            Some(ZH),
        )
        .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        let p = submit_login(&app, &browser(), "staff.one", "Another-Temp-9", "/").await;
        assert_eq!(p.location(), "/account/password");
        // An admin cannot disable themself.
        let me = app.store.user_by_username("admin").await.unwrap().unwrap();
        let p = post(
            &app,
            &format!("/admin/users/{}/disable", me.id),
            &[],
            Some(ZH),
        )
        .await;
        assert_eq!(p.status, StatusCode::CONFLICT);
        // Unknown id: 404.
        let p = post(
            &app,
            &format!("/admin/users/{}/disable", uuid::Uuid::now_v7()),
            &[],
            Some(ZH),
        )
        .await;
        assert_eq!(p.status, StatusCode::NOT_FOUND);
    }
);

http_test!(
    the_audit_trail_is_scoped_filtered_and_exported,
    |app: TestApp| async move {
        // A Xuanwu (320102) organization, created through the page by the admin.
        let p = post(&app, "/organizations", &org_form(7), Some(ZH)).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        let created = &audit_of(&app, "organization.create").await[0];
        let xuanwu = app
            .client_as("gov.xuanwu", Role::Official, Some("320102"), None)
            .await;
        let qinhuai = app
            .client_as("gov.qinhuai", Role::Official, Some("320104"), None)
            .await;
        let expert = app.client_as("expert.one", Role::Expert, None, None).await;

        // Rows name events in words (`登记社会组织` is organization.create, `创建用户`
        // user.create) and link the object by its id.
        let object = created.event.object.strip_prefix("organization:").unwrap();
        let all = get(&app, "/audit", Some(ZH)).await;
        assert_eq!(all.status, StatusCode::OK);
        assert!(rows(&all).contains("登记社会组织"));
        assert!(rows(&all).contains(&format!("/organizations/{object}")));
        assert!(rows(&all).contains("创建用户"));

        let mine = page_as(&app, &xuanwu, "/audit").await;
        assert_eq!(mine.status, StatusCode::OK);
        assert!(rows(&mine).contains(object));
        assert!(!rows(&mine).contains("创建用户"));

        let theirs = page_as(&app, &qinhuai, "/audit").await;
        assert_eq!(theirs.status, StatusCode::OK);
        assert!(!rows(&theirs).contains(object));
        assert!(!rows(&theirs).contains("登记社会组织"));
        theirs.assert_has("秦淮区");

        assert_eq!(
            page_as(&app, &expert, "/audit").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.anon
                .get(app.url("/audit"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::SEE_OTHER
        );

        // Filters: action prefix, outcome, actor, dates (Asia/Shanghai).
        let p = get(&app, "/audit?action=organization", Some(ZH)).await;
        assert!(rows(&p).contains("登记社会组织"));
        assert!(!rows(&p).contains("创建用户"));
        let p = get(&app, "/audit?outcome=failure", Some(ZH)).await;
        assert!(!rows(&p).contains("登记社会组织"));
        let p = get(&app, "/audit?actor=nobody", Some(ZH)).await;
        p.assert_has("没有符合条件的记录");
        let today = shuniu_web::today();
        let p = get(&app, &format!("/audit?from={today}&to={today}"), Some(ZH)).await;
        assert!(rows(&p).contains("登记社会组织"));
        let p = get(&app, "/audit?from=2000-01-01&to=2000-01-02", Some(ZH)).await;
        assert!(!rows(&p).contains("登记社会组织"));
        let p = get(&app, "/audit?from=yesterday", Some(EN)).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        p.assert_has("must be a date");
        // Times are shown in Asia/Shanghai.
        let local = shuniu_web::local_time(created.event.at);
        all.assert_has(&local);

        // CSV: same filters, scoped, and the export is itself recorded.
        let r = app
            .client
            .get(app.url("/audit.csv?action=organization"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        let body = r.text().await.unwrap();
        let mut lines = body.lines();
        assert_eq!(
            lines.next().unwrap(),
            "seq,time_asia_shanghai,actor,role,source,action,object,outcome,details,jurisdiction_path,hash"
        );
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), 1, "{body}");
        assert!(rows[0].contains("organization.create"));
        assert!(rows[0].contains(&created.event.object));
        assert!(rows[0].contains("+08:00"));
        assert!(rows[0].contains(&created.hash));
        let exports = audit_of(&app, "audit.export").await;
        assert_eq!(exports.len(), 1);
        assert_eq!(exports[0].event.actor, "admin");
        assert!(exports[0].event.details.contains("organization."));

        let theirs = qinhuai
            .get(app.url("/audit.csv"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!theirs.contains("organization.create"), "{theirs}");
        let exports = audit_of(&app, "audit.export").await;
        assert_eq!(exports.len(), 2);
        assert_eq!(exports[0].event.actor, "gov.qinhuai");
        assert_eq!(
            expert
                .get(app.url("/audit.csv"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::FORBIDDEN
        );
    }
);

http_test!(
    registry_pages_follow_the_policy,
    |app: TestApp| async move {
        let o = seed(&app, 1).await;
        let path = format!("/organizations/{}", o.id);
        // Anonymous: masked phone, no edit or status links, a sign-in link.
        let r = app.anon.get(app.url(&path)).send().await.unwrap();
        let p = read(r).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_has("138****8000");
        p.assert_lacks("13812348000");
        p.assert_lacks("/edit\"");
        p.assert_lacks("/status\"");
        p.assert_has("href=\"/login?next=");
        // Admin: the full number and both links.
        let p = get(&app, &path, Some(ZH)).await;
        p.assert_has("13812348000");
        p.assert_has(&format!("href=\"{path}/edit\""));
        p.assert_has(&format!("href=\"{path}/status\""));
        p.assert_has("href=\"/admin/users\"");
        p.assert_has("href=\"/audit\"");
        // An official elsewhere: masked, no links; in scope: full, both links.
        let qinhuai = app
            .client_as("gov.qh", Role::Official, Some("320104"), None)
            .await;
        let p = page_as(&app, &qinhuai, &path).await;
        p.assert_has("138****8000");
        p.assert_lacks("/edit\"");
        p.assert_has("href=\"/audit\"");
        p.assert_lacks("href=\"/admin/users\"");
        let xuanwu = app
            .client_as("gov.xw", Role::Official, Some("320102"), None)
            .await;
        let p = page_as(&app, &xuanwu, &path).await;
        p.assert_has("13812348000");
        p.assert_has(&format!("href=\"{path}/status\""));
        // The organization's own member: may edit, not change status.
        let member = app
            .client_as("member.one", Role::OrgMember, None, Some(o.id))
            .await;
        let p = page_as(&app, &member, &path).await;
        p.assert_has("13812348000");
        p.assert_has(&format!("href=\"{path}/edit\""));
        p.assert_lacks(&format!("href=\"{path}/status\""));
        assert_eq!(
            page_as(&app, &member, &format!("{path}/status"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            page_as(&app, &qinhuai, &format!("{path}/edit"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        // The registration form: anonymous → sign in; a role without Create → 403.
        let r = app
            .anon
            .get(app.url("/organizations/new"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            r.headers()["location"],
            "/login?next=%2Forganizations%2Fnew"
        );
        let expert = app.client_as("expert.x", Role::Expert, None, None).await;
        let p = page_as(&app, &expert, "/organizations/new").await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
        p.assert_lacks("href=\"/organizations/new\"");
        assert_eq!(
            page_as(&app, &xuanwu, "/organizations/new").await.status,
            StatusCode::OK
        );
    }
);

http_test!(history_masks_phone_changes, |app: TestApp| async move {
    let o = seed(&app, 3).await;
    let p = post(
        &app,
        &format!("/organizations/{}/edit", o.id),
        &with(org_form(3), "contact_phone", "13912345678"),
        Some(ZH),
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    let path = format!("/organizations/{}", o.id);
    let p = read(app.anon.get(app.url(&path)).send().await.unwrap()).await;
    p.assert_lacks("13912345678");
    p.assert_lacks("13812348000");
    p.assert_has("139****5678");
    let p = get(&app, &path, Some(ZH)).await;
    p.assert_has("13912345678");
});
