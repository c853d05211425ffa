//! The audit page reads in the page's language: events, roles and objects in words,
//! objects linked to their pages, details as labelled fields, the filter a choice of
//! named events, and records of kinds this version does not know still shown — on
//! SQLite and PostgreSQL.

use crate::common;
use crate::pages_support;

use common::TestApp;
use pages_support::accounts::*;
use pages_support::*;
use reqwest::StatusCode;
use shuniu_domain::access::Role;
use shuniu_store::WriteCtx;

/// The rows of the audit table (what the records say, without the filter's options).
pub fn rows(p: &Page) -> &str {
    let start = p.text.find("<tbody>").unwrap_or(p.text.len());
    let end = p.text[start..]
        .find("</tbody>")
        .map_or(p.text.len(), |i| start + i);
    &p.text[start..end]
}

/// The page without the event filter, whose option values are the stored codes.
fn without_filter(p: &Page) -> String {
    let start = p
        .text
        .find("<select id=\"f-action\"")
        .expect("the event filter");
    let end = start + p.text[start..].find("</select>").unwrap();
    format!("{}{}", &p.text[..start], &p.text[end..])
}

/// A trail with a registration, a member's sign-in, a failed sign-in, a denial and a
/// record of a kind no longer written; the organization's id.
async fn trail(app: &TestApp) -> uuid::Uuid {
    let p = post(app, "/organizations", &org_form(11), Some(ZH)).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let org = audit_of(app, "organization.create").await[0]
        .event
        .object
        .strip_prefix("organization:")
        .unwrap()
        .parse()
        .unwrap();
    make_user(
        app,
        "member.au",
        Role::OrgMember,
        None,
        Some(org),
        PASSWORD,
        false,
    )
    .await;
    signed_in(app, "member.au", PASSWORD).await;
    let p = submit_login(app, &browser(), "member.au", "Wrong-Horse8", "/").await;
    assert_ne!(p.status, StatusCode::SEE_OTHER);
    // A member's token asks for the trail: refused and recorded as a denial.
    let member = app
        .client_as("member.api", Role::OrgMember, None, Some(org))
        .await;
    let r = member.get(app.url("/api/v1/audit")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    app.store
        .audit(WriteCtx::new("old.tool", "robot", "local").event_for_tests("legacy.sync"))
        .await
        .unwrap();
    org
}

http_test!(
    the_audit_page_names_events_roles_and_objects,
    |app: TestApp| async move {
        let org = trail(&app).await;
        let name = app
            .store
            .organization(org)
            .await
            .unwrap()
            .unwrap()
            .data
            .name;
        for k in ["login.success", "login.failure", "access.denied"] {
            assert_eq!(audit_of(&app, k).await.len(), 1, "{k}");
        }

        let zh = get(&app, "/audit", Some(ZH)).await;
        assert_eq!(zh.status, StatusCode::OK);
        zh.assert_lang("zh-CN");
        let visible = without_filter(&zh);
        for code in [
            "login.success",
            "login.failure",
            "access.denied",
            "organization.create",
            "org_member",
            "{\"",
        ] {
            assert!(
                !visible.contains(code),
                "raw {code} on the page:\n{visible}"
            );
        }
        let body = rows(&zh);
        for words in [
            "登录成功",
            "登录失败",
            "拒绝访问",
            "登记社会组织",
            "社会组织工作人员",
            "平台管理员",
        ] {
            assert!(body.contains(words), "no {words} in:\n{body}");
        }
        // The actor's display name, the object by its name linked to its page, details labelled (reason,
        // and the denied request's own action in words).
        assert!(body.contains("member.au 测试"), "{body}");
        assert!(
            body.contains(&format!("<a href=\"/organizations/{org}\">{name}</a>")),
            "{body}"
        );
        assert!(body.contains("<dt>理由</dt><dd>密码错误</dd>"), "{body}");
        assert!(
            body.contains("<dt>操作</dt><dd>查看审计日志</dd>"),
            "{body}"
        );
        // The member's account binds the organization: named in the details too.
        assert!(
            body.contains(&format!("<dt>社会组织</dt><dd>{name}</dd>")),
            "{body}"
        );
        // A kind this version does not write is shown as stored, its role too.
        assert!(
            body.contains("legacy.sync") && body.contains("robot"),
            "{body}"
        );

        let en = get(&app, "/audit", Some(EN)).await;
        assert_eq!(en.status, StatusCode::OK);
        let body = rows(&en);
        for words in [
            "Signed in",
            "Sign-in failed",
            "Access denied",
            "Organization registered",
            "Organization member",
            "<dt>Reason</dt>",
        ] {
            assert!(body.contains(words), "no {words} in:\n{body}");
        }
        for words in ["登录成功", "社会组织工作人员", "理由"] {
            assert!(
                !body.contains(words),
                "{words} on the English page:\n{body}"
            );
        }

        // The API adds the words, in the caller's language (English by default), and
        // null for what this version does not know.
        let api = |path: &'static str, lang: Option<&'static str>| {
            let mut req = app.client.get(app.url(path));
            if let Some(l) = lang {
                req = req.header(reqwest::header::ACCEPT_LANGUAGE, l);
            }
            async move {
                req.send()
                    .await
                    .unwrap()
                    .json::<serde_json::Value>()
                    .await
                    .unwrap()
            }
        };
        let zh = api("/api/v1/audit?action=login.success", Some(ZH)).await;
        assert_eq!(zh["items"][0]["event_label"], "登录成功", "{zh}");
        assert_eq!(zh["items"][0]["role_label"], "社会组织工作人员", "{zh}");
        assert_eq!(zh["items"][0]["action"], "login.success", "{zh}");
        let en = api("/api/v1/audit?action=login.success", None).await;
        assert_eq!(en["items"][0]["event_label"], "Signed in", "{en}");
        let old = api("/api/v1/audit?action=legacy.sync", Some(ZH)).await;
        assert!(old["items"][0]["event_label"].is_null(), "{old}");
        assert!(old["items"][0]["role_label"].is_null(), "{old}");
    }
);

http_test!(
    the_event_filter_is_a_choice_of_named_events,
    |app: TestApp| async move {
        trail(&app).await;
        let p = get(&app, "/audit", Some(ZH)).await;
        p.assert_has("<optgroup label=\"账号与安全\">");
        p.assert_has("<option value=\"login.success\">登录成功</option>");
        p.assert_has("<option value=\"organization.create\">登记社会组织</option>");

        let p = get(&app, "/audit?action=login.success", Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_has("<option value=\"login.success\" selected>登录成功</option>");
        let body = rows(&p);
        assert!(body.contains("登录成功"), "{body}");
        for other in ["登录失败", "拒绝访问", "登记社会组织", "legacy.sync"] {
            assert!(
                !body.contains(other),
                "{other} in a login.success list:\n{body}"
            );
        }
        // A prefix from an address still filters, and the filter shows it.
        let p = get(&app, "/audit?action=login", Some(EN)).await;
        p.assert_has("<option value=\"login\" selected>login</option>");
        let body = rows(&p);
        assert!(
            body.contains("Signed in") && body.contains("Sign-in failed"),
            "{body}"
        );
        assert!(!body.contains("Organization registered"), "{body}");
        // An old kind can be asked for too.
        let p = get(&app, "/audit?action=legacy.sync", Some(EN)).await;
        assert!(rows(&p).contains("legacy.sync"));
        assert!(!rows(&p).contains("Signed in"));
    }
);
