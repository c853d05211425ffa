//! Pages: signing in and out, lockout, the forced password change, CSRF on every form,
//! the account page and its API tokens — on SQLite and PostgreSQL.

use crate::common;
use crate::pages_support;

use common::TestApp;
use pages_support::accounts::*;
use pages_support::*;
use reqwest::StatusCode;
use shuniu_domain::access::Role;

http_test!(login_page_sets_a_csrf_cookie, |app: TestApp| async move {
    let c = browser();
    let p = get_with(&app, &c, "/login?next=/organizations").await;
    assert_eq!(p.status, StatusCode::OK);
    p.assert_html();
    p.assert_has("name=\"username\"");
    p.assert_has("type=\"password\"");
    p.assert_has("name=\"next\" value=\"/organizations\"");
    let token = csrf_in(&p.raw);
    assert_eq!(token.len(), 64);
    let cookie = p.headers[reqwest::header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.starts_with(&format!("shuniu_csrf={token}")),
        "{cookie}"
    );
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    // English too.
    let p = get(&app, "/login", Some(EN)).await;
    assert_eq!(
        p.status,
        StatusCode::SEE_OTHER,
        "the admin client is signed in"
    );
    let p = read(
        app.anon
            .get(app.url("/login"))
            .header(reqwest::header::ACCEPT_LANGUAGE, EN)
            .send()
            .await
            .unwrap(),
    )
    .await;
    p.assert_lang("en");
    p.assert_has("Sign in");
});

http_test!(
    login_success_opens_a_session_cookie,
    |app: TestApp| async move {
        make_user(&app, "wang.fang", Role::Expert, None, None, PASSWORD, false).await;
        let c = browser();
        let p = submit_login(&app, &c, "Wang.Fang", PASSWORD, "/organizations").await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
        assert_eq!(p.location(), "/organizations");
        let cookie = session_cookie_of(&p).expect("a session cookie");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(cookie.contains("Path=/"), "{cookie}");
        assert!(!cookie.contains("Secure"), "no TLS in tests: {cookie}");
        // Signed in: the nav names the user and offers sign-out (a POST form).
        let home = get_with(&app, &c, "/").await;
        assert_eq!(home.status, StatusCode::OK);
        home.assert_has("wang.fang 测试");
        home.assert_has("action=\"/logout\"");
        home.assert_has("href=\"/account\"");
        home.assert_lacks("href=\"/admin/users\"");
        home.assert_lacks("href=\"/audit\"");
        let acct = get_with(&app, &c, "/account").await;
        assert_eq!(acct.status, StatusCode::OK);
        acct.assert_has("wang.fang");
        // Audited as the user, password nowhere.
        let ok = audit_of(&app, "login.success").await;
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].event.actor, "wang.fang");
        assert_eq!(ok[0].event.object, "user:wang.fang");
        let all = app
            .store
            .audit_chunk(&Default::default(), None, 1000)
            .await
            .unwrap();
        assert!(all.iter().all(|r| !format!("{r:?}").contains(PASSWORD)));
        // Only local `next` targets are followed.
        let c2 = browser();
        let p = submit_login(&app, &c2, "wang.fang", PASSWORD, "//evil.example/x").await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        assert_eq!(p.location(), "/");
    }
);

http_test!(
    wrong_password_and_unknown_user_look_the_same,
    |app: TestApp| async move {
        make_user(&app, "li.na", Role::Expert, None, None, PASSWORD, false).await;
        let c = browser();
        let wrong = submit_login(&app, &c, "li.na", "Wrong-Pass9", "/").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(session_cookie_of(&wrong).is_none());
        let unknown = submit_login(&app, &c, "nobody.here", "Wrong-Pass9", "/").await;
        assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
        let msg = "登录失败：用户名或密码错误";
        wrong.assert_has(msg);
        unknown.assert_has(msg);
        wrong.assert_lacks("Wrong-Pass9");
        // The typed name is kept, the password is not.
        wrong.assert_has("value=\"li.na\"");
        // Still anonymous.
        let p = get_with(&app, &c, "/account").await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        assert!(p.location().starts_with("/login?next="), "{}", p.location());
        let failures = audit_of(&app, "login.failure").await;
        assert_eq!(failures.len(), 2);
        assert!(failures.iter().any(|r| r.event.object == "user:li.na"));
        assert!(failures.iter().any(|r| r.event.object == "user:?"));
        for r in &failures {
            assert!(!r.event.details.contains("Wrong-Pass9"));
            assert!(!r.event.object.contains("nobody.here"));
        }
    }
);

http_test!(five_failures_lock_the_account, |app: TestApp| async move {
    let u = make_user(&app, "zhao.lei", Role::Expert, None, None, PASSWORD, false).await;
    let c = browser();
    for _ in 0..5 {
        let p = submit_login(&app, &c, "zhao.lei", "Wrong-Pass9", "/").await;
        assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    }
    let stored = app.store.user_by_id(u.id).await.unwrap().unwrap();
    assert!(
        stored
            .login
            .locked_until
            .is_some_and(|t| t > chrono::Utc::now())
    );
    assert_eq!(audit_of(&app, "login.lockout").await.len(), 1);
    // Even the right password fails while locked, with the same message.
    let p = submit_login(&app, &c, "zhao.lei", PASSWORD, "/").await;
    assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    assert!(session_cookie_of(&p).is_none());
    p.assert_has("登录失败");
    let last = &audit_of(&app, "login.failure").await[0];
    assert!(
        last.event.details.contains("locked"),
        "{}",
        last.event.details
    );
});

http_test!(
    a_disabled_account_cannot_sign_in,
    |app: TestApp| async move {
        let u = make_user(&app, "sun.li", Role::Expert, None, None, PASSWORD, false).await;
        let c = signed_in(&app, "sun.li", PASSWORD).await;
        app.store
            .set_user_disabled(u.id, true, shuniu_store::WriteCtx::system("test"))
            .await
            .unwrap();
        // Its session ended with it…
        let p = get_with(&app, &c, "/account").await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        // …and it cannot sign in again.
        let p = submit_login(&app, &browser(), "sun.li", PASSWORD, "/").await;
        assert_eq!(p.status, StatusCode::UNAUTHORIZED);
        assert!(session_cookie_of(&p).is_none());
    }
);

http_test!(
    login_without_csrf_token_is_refused,
    |app: TestApp| async move {
        make_user(&app, "qian.yu", Role::Expert, None, None, PASSWORD, false).await;
        let c = browser();
        // No cookie and no field.
        let p = post_with(
            &app,
            &c,
            "/login",
            &[
                ("username", "qian.yu".into()),
                ("password", PASSWORD.into()),
            ],
        )
        .await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
        assert!(session_cookie_of(&p).is_none());
        // A cookie but a wrong field.
        let _ = get_with(&app, &c, "/login").await;
        let p = post_with(
            &app,
            &c,
            "/login",
            &[
                ("_csrf", "0".repeat(64)),
                ("username", "qian.yu".into()),
                ("password", PASSWORD.into()),
            ],
        )
        .await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
        assert!(session_cookie_of(&p).is_none());
        assert!(audit_of(&app, "login.success").await.is_empty());
    }
);

http_test!(
    logout_ends_the_session_server_side,
    |app: TestApp| async move {
        make_user(&app, "zhou.min", Role::Expert, None, None, PASSWORD, false).await;
        let c = browser();
        let p = submit_login(&app, &c, "zhou.min", PASSWORD, "/").await;
        let cookie = session_cookie_of(&p).unwrap();
        let pair = cookie.split(';').next().unwrap().to_string();
        // A copy of the cookie, as a thief would hold it.
        let thief = |path: &str| {
            app.anon
                .get(app.url(path))
                .header(reqwest::header::COOKIE, pair.clone())
                .send()
        };
        assert_eq!(thief("/account").await.unwrap().status(), StatusCode::OK);
        let account = get_with(&app, &c, "/account").await;
        // Without the token, logout is refused and the session lives on.
        let p = post_with(&app, &c, "/logout", &[("_csrf", "x".into())]).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
        assert_eq!(thief("/account").await.unwrap().status(), StatusCode::OK);
        let p = post_with(&app, &c, "/logout", &[("_csrf", csrf_in(&account.raw))]).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        let cleared = session_cookie_of(&p).unwrap();
        assert!(cleared.contains("Max-Age=0"), "{cleared}");
        // The old cookie no longer works anywhere.
        let r = thief("/account").await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(audit_of(&app, "logout").await.len(), 1);
    }
);

http_test!(
    a_temporary_password_must_be_changed_first,
    |app: TestApp| async move {
        let u = make_user(&app, "chen.jie", Role::Expert, None, None, PASSWORD, true).await;
        let c = browser();
        let p = submit_login(&app, &c, "chen.jie", PASSWORD, "/organizations").await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        assert_eq!(p.location(), "/account/password");
        for path in ["/", "/organizations", "/account", "/audit"] {
            let p = get_with(&app, &c, path).await;
            assert_eq!(p.status, StatusCode::SEE_OTHER, "{path}");
            assert_eq!(p.location(), "/account/password", "{path}");
        }
        let form = get_with(&app, &c, "/account/password").await;
        assert_eq!(form.status, StatusCode::OK);
        form.assert_has("临时密码");
        let token = csrf_in(&form.raw);
        let send = |cur: &str, new: &str, rep: &str| {
            let f = vec![
                ("_csrf", token.clone()),
                ("current_password", cur.to_string()),
                ("new_password", new.to_string()),
                ("repeat_password", rep.to_string()),
            ];
            let c = c.clone();
            let url = app.url("/account/password");
            async move { read(c.post(url).form(&f).send().await.unwrap()).await }
        };
        // Policy errors, each next to its field.
        let p = send("Wrong-Pass9", "short", "other").await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(p.field("current_password").contains("当前密码不正确"));
        assert!(p.field("new_password").contains("密码至少8位"));
        assert!(p.field("repeat_password").contains("不一致"));
        let p = send(PASSWORD, "alllowercase1", "alllowercase1").await;
        assert!(p.field("new_password").contains("至少三类"), "{}", p.text);
        let p = send(PASSWORD, "Chen.Jie-2024", "Chen.Jie-2024").await;
        assert!(p.field("new_password").contains("不能包含用户名"));
        assert!(
            app.store
                .user_by_id(u.id)
                .await
                .unwrap()
                .unwrap()
                .must_change_password
        );
        // Without the CSRF token: refused.
        let p = post_with(
            &app,
            &c,
            "/account/password",
            &[
                ("current_password", PASSWORD.into()),
                ("new_password", "Brand-New-77".into()),
                ("repeat_password", "Brand-New-77".into()),
            ],
        )
        .await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
        // A good one.
        let p = send(PASSWORD, "Brand-New-77", "Brand-New-77").await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
        assert!(
            !app.store
                .user_by_id(u.id)
                .await
                .unwrap()
                .unwrap()
                .must_change_password
        );
        assert_eq!(get_with(&app, &c, "/").await.status, StatusCode::OK);
        assert!(!audit_of(&app, "user.password").await.is_empty());
        // The new password signs in, the old one does not.
        signed_in(&app, "chen.jie", "Brand-New-77").await;
        let p = submit_login(&app, &browser(), "chen.jie", PASSWORD, "/").await;
        assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    }
);

http_test!(
    registry_forms_need_the_csrf_token,
    |app: TestApp| async move {
        make_user(&app, "ops.admin", Role::Admin, None, None, PASSWORD, false).await;
        let c = signed_in(&app, "ops.admin", PASSWORD).await;
        let form = get_with(&app, &c, "/organizations/new").await;
        assert_eq!(form.status, StatusCode::OK);
        let token = csrf_in(&form.raw);
        let before = count(&app).await;
        let mut body: Vec<(&str, String)> = org_form(1).into_iter().collect();
        let p = post_with(&app, &c, "/organizations", &body).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN, "no token");
        body.push(("_csrf", "f".repeat(64)));
        let p = post_with(&app, &c, "/organizations", &body).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN, "wrong token");
        assert_eq!(count(&app).await, before, "nothing was stored");
        body.retain(|(k, _)| *k != "_csrf");
        body.push(("_csrf", token.clone()));
        let p = post_with(&app, &c, "/organizations", &body).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
        assert_eq!(count(&app).await, before + 1);

        let o = seed(&app, 2).await;
        // Edit and status forms carry the token; without it nothing changes.
        let edit = get_with(&app, &c, &format!("/organizations/{}/edit", o.id)).await;
        assert_eq!(csrf_in(&edit.raw), token);
        let renamed: Vec<(&str, String)> =
            with(org_form(2), "name", "改名了").into_iter().collect();
        let p = post_with(&app, &c, &format!("/organizations/{}/edit", o.id), &renamed).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
        let status = get_with(&app, &c, &format!("/organizations/{}/status", o.id)).await;
        assert_eq!(csrf_in(&status.raw), token);
        let p = post_with(
            &app,
            &c,
            &format!("/organizations/{}/status", o.id),
            &[
                ("status", "suspended".into()),
                ("reason", "检查".into()),
                ("_csrf", "bad".into()),
            ],
        )
        .await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
        let after = app.store.organization(o.id).await.unwrap().unwrap();
        assert_eq!(after.data.name, o.data.name);
        assert_eq!(after.status, o.status);
    }
);

http_test!(
    account_page_creates_shows_once_and_revokes_tokens,
    |app: TestApp| async move {
        make_user(&app, "he.ping", Role::Expert, None, None, PASSWORD, false).await;
        let c = signed_in(&app, "he.ping", PASSWORD).await;
        let acct = get_with(&app, &c, "/account").await;
        acct.assert_has("还没有 API 令牌");
        let token = csrf_in(&acct.raw);
        let p = post_with(
            &app,
            &c,
            "/account/tokens",
            &[
                ("_csrf", token.clone()),
                ("token_name", "".into()),
                ("token_days", "999".into()),
            ],
        )
        .await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(p.field("token_days").contains("1–365"));
        let p = post_with(
            &app,
            &c,
            "/account/tokens",
            &[
                ("_csrf", token.clone()),
                ("token_name", "数据同步".into()),
                ("token_days", "30".into()),
            ],
        )
        .await;
        assert_eq!(p.status, StatusCode::OK);
        assert_eq!(p.headers[reqwest::header::CACHE_CONTROL], "no-store");
        let secret = {
            let at = p.raw.find("id=\"new-token\">").expect("the new token") + 15;
            p.raw[at..at + 64].to_string()
        };
        // It works as a bearer token (on the API: pages take sessions only), and is
        // not shown again.
        let api = |t: &str| {
            app.anon
                .get(app.url("/api/v1/me"))
                .header(reqwest::header::AUTHORIZATION, format!("Bearer {t}"))
                .send()
        };
        assert_eq!(api(&secret).await.unwrap().status(), StatusCode::OK);
        let again = get_with(&app, &c, "/account").await;
        again.assert_has("数据同步");
        again.assert_lacks(&secret);
        let created = audit_of(&app, "token.create").await;
        assert_eq!(created[0].event.actor, "he.ping");
        assert!(
            !format!("{created:?}").contains(&secret),
            "the secret is not audited"
        );
        // Revoke: without the token refused; with it, the token stops working.
        let t = app
            .store
            .api_tokens_of(
                app.store
                    .user_by_username("he.ping")
                    .await
                    .unwrap()
                    .unwrap()
                    .id,
            )
            .await
            .unwrap()[0]
            .id;
        let path = format!("/account/tokens/{t}/revoke");
        assert_eq!(
            post_with(&app, &c, &path, &[]).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(api(&secret).await.unwrap().status(), StatusCode::OK);
        let p = post_with(&app, &c, &path, &[("_csrf", token.clone())]).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        assert_ne!(api(&secret).await.unwrap().status(), StatusCode::OK);
        assert_eq!(
            audit_of(&app, "token.revoke").await[0].event.actor,
            "he.ping"
        );
        // Someone else's token: 404.
        make_user(&app, "other.one", Role::Expert, None, None, PASSWORD, false).await;
        let other = signed_in(&app, "other.one", PASSWORD).await;
        let o_acct = get_with(&app, &other, "/account").await;
        let p = post_with(&app, &other, &path, &[("_csrf", csrf_in(&o_acct.raw))]).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND);
    }
);

http_test!(security_headers_on_every_page, |app: TestApp| async move {
    for path in ["/", "/login", "/organizations", "/nope"] {
        let r = app.anon.get(app.url(path)).send().await.unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(h.contains_key("referrer-policy"));
        let body = r.text().await.unwrap();
        assert!(!body.contains("<script>"), "no inline script on {path}");
        assert!(!body.contains("style=\""), "no style attributes on {path}");
    }
});
