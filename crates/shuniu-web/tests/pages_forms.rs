//! Pages: the create, edit and status forms — success redirects, inline errors that
//! keep what was typed, conflicts — on SQLite and PostgreSQL.

use crate::common;
use crate::pages_support;

use common::TestApp;
use pages_support::*;
use reqwest::StatusCode;

http_test!(
    new_form_renders_in_both_languages,
    |app: TestApp| async move {
        let p = get(&app, "/organizations/new", Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_lang("zh-CN");
        p.assert_has("<h1>登记新组织</h1>");
        p.assert_has(
            "<form class=\"org-form\" method=\"post\" action=\"/organizations\" novalidate",
        );
        for f in shuniu_domain::registry::ORGANIZATION_FIELDS {
            p.field(f);
        }
        p.assert_has("统一社会信用代码");
        p.assert_has("<input type=\"checkbox\" name=\"domains\" value=\"elderly\"");
        p.assert_has("<option value=\"320102002000\">");
        p.assert_has("提交登记");
        let p = get(&app, "/organizations/new", Some(EN)).await;
        p.assert_lang("en");
        p.assert_has("<h1>Register an organization</h1>");
        p.assert_has("Unified social credit code (USCC)");
        p.assert_has("Elderly care");
        p.assert_has("Fields marked * are required.");
    }
);

http_test!(
    create_through_the_form_then_find_it_in_the_list,
    |app: TestApp| async move {
        let p = post(&app, "/organizations", &org_form(42), Some(ZH)).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
        let location = p.location().to_string();
        assert!(location.starts_with("/organizations/"), "{location}");
        let d = get(&app, &location, Some(ZH)).await;
        assert_eq!(d.status, StatusCode::OK);
        d.assert_has("<h1>测试服务中心42</h1>");
        d.assert_has("<span class=\"tag\">助老</span>");
        d.assert_has("<span class=\"tag\">公益服务</span>");
        d.assert_has("创建登记记录");
        let list = get(
            &app,
            "/organizations?q=%E6%B5%8B%E8%AF%95%E6%9C%8D%E5%8A%A1%E4%B8%AD%E5%BF%8342",
            None,
        )
        .await;
        list.assert_has(&format!("<a href=\"{location}\">测试服务中心42</a>"));
        assert_eq!(count(&app).await, 1);
        let stored = app
            .store
            .list_organizations(&Default::default(), 1, 10)
            .await
            .unwrap();
        assert_eq!(stored.items[0].data.staff_full_time, 4);
        assert_eq!(stored.items[0].data.domains.len(), 2);
    }
);

http_test!(
    create_with_bad_input_shows_inline_errors_and_keeps_the_input,
    |app: TestApp| async move {
        let mut form = org_form(1);
        form = with(form, "name", "测");
        form = with(form, "uscc", "51320102MJ5000A1X9");
        form = with(form, "founded_on", "2099-01-01");
        form = with(form, "staff_full_time", "-1");
        form = with(form, "volunteers", "many");
        form = with(form, "contact_phone", "12345");
        form = with(form, "domains", "elderly");
        form = with(form, "address", "梅园新村<34>号 & \"院\"");
        let p = post(&app, "/organizations", &form, Some(ZH)).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        p.assert_lang("zh-CN");
        p.assert_has("提交的信息有误");
        // Each message sits in its own field, next to what was typed.
        let f = p.field("name");
        assert!(
            f.contains("class=\"field-error\"")
                && f.contains("至少2个字")
                && f.contains("value=\"测\""),
            "{f}"
        );
        let f = p.field("uscc");
        assert!(
            f.contains("校验") && f.contains("value=\"51320102MJ5000A1X9\""),
            "{f}"
        );
        let f = p.field("founded_on");
        assert!(
            f.contains("不能晚于今天") && f.contains("value=\"2099-01-01\""),
            "{f}"
        );
        let f = p.field("staff_full_time");
        assert!(
            f.contains("不能为负数")
                && f.contains("value=\"-1\"")
                && f.contains("aria-invalid=\"true\""),
            "{f}"
        );
        let f = p.field("volunteers");
        assert!(
            f.contains("应为整数") && f.contains("value=\"many\""),
            "{f}"
        );
        let f = p.field("contact_phone");
        assert!(
            f.contains("应为手机号") && f.contains("value=\"12345\""),
            "{f}"
        );
        // Fields without problems keep their values too, and carry no error.
        let f = p.field("address");
        assert!(
            f.contains("value=\"梅园新村<34>号 & \"院\"\"") && !f.contains("field-error"),
            "{f}"
        );
        assert!(p.raw.contains("梅园新村&#60;34&#62;号") || p.raw.contains("梅园新村&lt;34&gt;号"));
        let f = p.field("domains");
        assert!(
            f.contains("value=\"elderly\" checked")
                && !f.contains("value=\"public_welfare\" checked"),
            "{f}"
        );
        let f = p.field("jurisdiction");
        assert!(
            f.contains("<option value=\"320102002000\" selected>"),
            "{f}"
        );
        let f = p.field("legal_form");
        assert!(
            f.contains("<option value=\"social_service_institution\" selected>"),
            "{f}"
        );
        // The summary links to the fields.
        p.assert_has("<a href=\"#f-uscc\">统一社会信用代码</a>");
        assert_eq!(count(&app).await, 0, "nothing written");

        // In English, the same errors in English.
        let p = post(&app, "/organizations", &form, Some(EN)).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        p.assert_lang("en");
        assert!(p.field("name").contains("must be at least 2 characters"));
        assert!(p.field("uscc").contains("check character"));
        assert!(p.field("staff_full_time").contains("must not be negative"));
        assert!(p.field("founded_on").contains("must not be in the future"));

        // An empty form: every required field is named, none is written.
        let p = post(&app, "/organizations", &[], Some(ZH)).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        for f in [
            "name",
            "legal_form",
            "domains",
            "jurisdiction",
            "address",
            "founded_on",
            "legal_representative",
            "stage",
        ] {
            assert!(p.field(f).contains("field-error"), "{f} has no error");
        }
        assert!(p.field("domains").contains("至少选择一个服务领域"));
        assert_eq!(count(&app).await, 0, "nothing written");
    }
);

http_test!(
    duplicate_uscc_is_an_inline_error_on_that_field,
    |app: TestApp| async move {
        seed(&app, 5).await;
        let form = with(org_form(5), "name", "另一个名称");
        let p = post(&app, "/organizations", &form, Some(ZH)).await;
        assert_eq!(p.status, StatusCode::CONFLICT);
        p.assert_lang("zh-CN");
        let f = p.field("uscc");
        assert!(f.contains("该统一社会信用代码已被登记"), "{f}");
        assert!(p.field("name").contains("value=\"另一个名称\""));
        assert_eq!(count(&app).await, 1);
        let p = post(&app, "/organizations", &form, Some(EN)).await;
        assert_eq!(p.status, StatusCode::CONFLICT);
        assert!(p.field("uscc").contains("is already registered"));
    }
);

http_test!(
    edit_form_is_prefilled_and_saves,
    |app: TestApp| async move {
        let o = seed(&app, 3).await;
        let path = format!("/organizations/{}/edit", o.id);
        let p = get(&app, &path, Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_has("<h1>修改：测试服务中心3</h1>");
        p.assert_has(&format!("action=\"{path}\""));
        assert!(p.field("name").contains("value=\"测试服务中心3\""));
        assert!(
            p.field("uscc")
                .contains(&format!("value=\"{}\"", o.data.uscc.as_ref().unwrap()))
        );
        assert!(p.field("domains").contains("value=\"elderly\" checked"));
        assert!(
            p.field("domains")
                .contains("value=\"public_welfare\" checked")
        );
        assert!(
            p.field("party_org")
                .contains("<option value=\"joint_branch\" selected>")
        );
        assert!(
            p.field("founded_on")
                .contains("type=\"date\" value=\"2015-03-01\"")
        );
        let p = get(&app, &path, Some(EN)).await;
        p.assert_lang("en");
        p.assert_has("<h1>Edit: 测试服务中心3</h1>");
        p.assert_has("Save changes");

        // A new name and a grade are refused, for every role (issue 9: a registered
        // fact changes only by change registration, a grade only by an assessment);
        // the form comes back naming both and nothing is written.
        let refused = with(
            with(with(org_form(3), "name", "梅园为老服务中心"), "grade", "3A"),
            "grade_awarded_on",
            "2023-06-01",
        );
        let p = post(&app, &path, &refused, Some(ZH)).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.text);
        assert!(p.field("name").contains("变更登记"), "{}", p.field("name"));
        assert!(
            p.field("grade").contains("评估结论"),
            "{}",
            p.field("grade")
        );
        assert_eq!(app.store.organization(o.id).await.unwrap().unwrap(), o);

        // Save: one domain fewer (self-declared).
        let form = with(org_form(3), "domains", "children");
        let p = post(&app, &path, &form, Some(ZH)).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
        assert_eq!(p.location(), format!("/organizations/{}", o.id));
        let d = get(&app, p.location(), Some(ZH)).await;
        d.assert_has("<h1>测试服务中心3</h1>");
        d.assert_has("<span class=\"tag\">辅幼</span>");
        d.assert_lacks("<span class=\"tag\">助老</span>");
        // The history names what changed.
        d.assert_has("修改信息");
        d.assert_has("<span class=\"change-field\">");
        let stored = app.store.organization(o.id).await.unwrap().unwrap();
        assert_eq!(stored.data.name, "测试服务中心3");
    }
);

http_test!(
    edit_with_bad_input_keeps_it_and_writes_nothing,
    |app: TestApp| async move {
        let o = seed(&app, 3).await;
        let path = format!("/organizations/{}/edit", o.id);
        // No domain ticked sends no `domains` at all: that is "none", not "unchanged".
        let form = with(
            without(org_form(3), "domains"),
            "uscc",
            "51320102MJ0000039X",
        );
        let form = with(form, "name", "改过的名称");
        let p = post(&app, &path, &form, Some(EN)).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        p.assert_lang("en");
        assert!(
            p.field("domains").contains("choose at least one domain"),
            "{}",
            p.field("domains")
        );
        assert!(p.field("uscc").contains("value=\"51320102MJ0000039X\""));
        assert!(p.field("uscc").contains("field-error"));
        assert!(p.field("name").contains("value=\"改过的名称\""));
        p.assert_has(&format!("action=\"{path}\""));
        let stored = app.store.organization(o.id).await.unwrap().unwrap();
        assert_eq!(stored, o, "nothing written");
        // Another organization's USCC: a registered fact, refused on that field before
        // anything is looked up (issue 9: only change registration changes it).
        let other = seed(&app, 4).await;
        let form = with(
            org_form(3),
            "uscc",
            other.data.uscc.as_ref().unwrap().as_str(),
        );
        let p = post(&app, &path, &form, Some(ZH)).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(p.field("uscc").contains("变更登记"), "{}", p.field("uscc"));
    }
);

http_test!(status_changes_through_the_form, |app: TestApp| async move {
    let o = seed(&app, 8).await;
    let path = format!("/organizations/{}/status", o.id);
    let p = get(&app, &path, Some(ZH)).await;
    assert_eq!(p.status, StatusCode::OK);
    p.assert_lang("zh-CN");
    p.assert_has("<h1>变更状态</h1>");
    p.assert_has("已登记");
    // From active: suspend or deregister, not "reactivate".
    p.assert_has("value=\"suspended\"");
    p.assert_has("value=\"deregistered\"");
    p.assert_lacks("value=\"active\"");
    let p = get(&app, &path, Some(EN)).await;
    p.assert_lang("en");
    p.assert_has("Suspend");
    p.assert_has("Deregister");

    // Missing reason, a future date: inline, nothing changes, the input is kept.
    let p = post(
        &app,
        &path,
        &[
            ("status", "suspended".into()),
            ("reason", " ".into()),
            ("effective_on", "2099-01-01".into()),
        ],
        Some(ZH),
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.field("reason").contains("必填"), "{}", p.field("reason"));
    assert!(p.field("effective_on").contains("不能晚于今天"));
    assert!(p.field("effective_on").contains("value=\"2099-01-01\""));
    assert!(p.field("status").contains("value=\"suspended\" checked"));
    let p = post(&app, &path, &[("reason", "x".into())], Some(EN)).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.field("status").contains("is required"));
    assert_eq!(
        app.store.organization(o.id).await.unwrap().unwrap().status,
        o.status
    );

    // Suspend.
    let p = post(
        &app,
        &path,
        &[
            ("status", "suspended".into()),
            ("reason", "未按期整改".into()),
            ("effective_on", "2025-01-02".into()),
        ],
        Some(ZH),
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    let d = get(&app, &format!("/organizations/{}", o.id), Some(ZH)).await;
    d.assert_has("暂停活动");
    d.assert_has("该组织自 2025年1月2日 起暂停活动。原因：未按期整改");
    d.assert_has("状态变更为“暂停活动”");

    // Suspending again is a state conflict, shown as a message.
    let p = post(
        &app,
        &path,
        &[("status", "suspended".into()), ("reason", "再次".into())],
        Some(ZH),
    )
    .await;
    assert_eq!(p.status, StatusCode::CONFLICT);
    p.assert_has("当前状态为“暂停活动”，不能变更为“暂停活动”");
    let p = post(
        &app,
        &path,
        &[("status", "suspended".into()), ("reason", "again".into())],
        Some(EN),
    )
    .await;
    assert_eq!(p.status, StatusCode::CONFLICT);
    p.assert_has("cannot change to “Suspended”");

    // Reactivate, then deregister.
    let p = post(
        &app,
        &path,
        &[("status", "active".into()), ("reason", "整改完成".into())],
        None,
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let p = post(
        &app,
        &path,
        &[
            ("status", "deregistered".into()),
            ("reason", "自行解散".into()),
        ],
        None,
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let d = get(&app, &format!("/organizations/{}", o.id), Some(EN)).await;
    d.assert_has("Deregistered");
    d.assert_has("its record is kept. Reason: 自行解散");
    d.assert_lacks(&format!("href=\"/organizations/{}/edit\"", o.id));

    // Deregistration is final: the status page says so, edits are refused.
    let p = get(&app, &path, Some(ZH)).await;
    assert_eq!(p.status, StatusCode::OK);
    p.assert_has("该组织已注销，状态不能再变更");
    p.assert_lacks("<form class=\"status-form");
    let p = post(
        &app,
        &path,
        &[("status", "active".into()), ("reason", "x".into())],
        Some(ZH),
    )
    .await;
    assert_eq!(p.status, StatusCode::CONFLICT);
    p.assert_has("当前状态为“已注销”，不能变更为“正常”");
    let edit = format!("/organizations/{}/edit", o.id);
    let p = get(&app, &edit, Some(ZH)).await;
    assert_eq!(p.status, StatusCode::CONFLICT);
    p.assert_has("已注销的组织不能修改信息");
    let p = post(&app, &edit, &org_form(8), Some(EN)).await;
    assert_eq!(p.status, StatusCode::CONFLICT);
    p.assert_has("A deregistered organization cannot be edited.");
    // Still listed, never deleted.
    let l = get(&app, "/organizations?status=deregistered", Some(ZH)).await;
    l.assert_has("测试服务中心8");
});
