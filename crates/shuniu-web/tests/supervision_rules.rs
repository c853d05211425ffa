//! The supervision rules enforced through HTTP on SQLite and PostgreSQL (issue 9, items
//! 2, 6 and 7): a suspended organization cannot book, receive an office, join a hub or
//! be recognized (API and pages); hub fit at recognition; the registration authority's
//! rules at registration; plausible service reports. Every refusal is a `422` naming
//! the field, and nothing changes.

use crate::common;
use crate::pages_support;
use crate::parks_support;

use common::{TestApp, org_json};
use pages_support::{Page, ZH, read};
use parks_support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shuniu_domain::access::Role;
use shuniu_domain::registry::StatusChange;
use shuniu_store::WriteCtx;
use uuid::Uuid;

async fn suspend(app: &TestApp, org: Uuid) {
    let change = StatusChange::parse(Some("suspended"), Some("未按时年检"), None, today())
        .expect("a status change");
    app.store
        .change_status(org, &change, WriteCtx::system("test"))
        .await
        .expect("suspend");
}

fn refused_for_suspension(st: u16, v: &Value) {
    assert_eq!(st, 422, "{v}");
    assert_eq!(v["error"], "validation_failed", "{v}");
    let msg = v["fields"]["organization_id"].as_str().unwrap_or_default();
    assert!(msg.contains("suspended"), "{v}");
}

async fn post_form(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    form: &[(&str, String)],
) -> Page {
    read(
        c.post(app.url(path))
            .header(reqwest::header::ACCEPT_LANGUAGE, ZH)
            .form(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn org_total(app: &TestApp) -> u64 {
    let (_, v) = get_json(app, &app.anon, "/api/v1/organizations").await;
    v["total"].as_u64().expect("a total")
}

http_test!(
    a_suspended_organization_cannot_book_or_receive_an_office,
    |app: TestApp| async move {
        let p = park(&app).await;
        // Booked while in good standing; then suspended.
        let member = app
            .client_as("member_a", Role::OrgMember, None, Some(p.member_a))
            .await;
        let (st, v) = post_json(
            &app,
            &member,
            &format!("/api/v1/spaces/{}/bookings", p.room),
            &booking(p.member_a, &day(9), "09:00", "10:00", "议事会"),
        )
        .await;
        assert_eq!(st, 201, "{v}");
        suspend(&app, p.member_a).await;
        let date = day(8);
        // API, as the admin and as the organization's own member.
        let url = format!("/api/v1/spaces/{}/bookings", p.room);
        let (st, v) = post_json(
            &app,
            &app.client,
            &url,
            &booking(p.member_a, &date, "09:00", "10:00", "议事会"),
        )
        .await;
        refused_for_suspension(st, &v);
        let (st, v) = post_json(
            &app,
            &member,
            &url,
            &booking(p.member_a, &date, "09:00", "10:00", "议事会"),
        )
        .await;
        refused_for_suspension(st, &v);
        // The page: 422, the reason in Chinese.
        let page = post_form(
            &app,
            &member,
            &format!("/spaces/{}/bookings", p.room),
            &[
                ("date", date.clone()),
                ("start", "09:00".into()),
                ("end", "10:00".into()),
                ("purpose", "议事会".into()),
                ("attendees", "12".into()),
            ],
        )
        .await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            page.text
        );
        page.assert_has("该组织被暂停活动");
        // Nothing was booked.
        let (_, list) = get_json(&app, &app.client, &format!("{url}?from={date}&to={date}")).await;
        assert_eq!(list.as_array().map(Vec::len).unwrap_or(0), 0, "{list}");
        // An office: refused; a member in good standing still gets one.
        let staff = app
            .client_as("staff", Role::HubStaff, None, Some(p.hub_org))
            .await;
        let alloc = format!("/api/v1/spaces/{}/allocations", p.office);
        let (st, v) = post_json(
            &app,
            &staff,
            &alloc,
            &json!({"organization_id": p.member_a, "starts_on": day(1), "ends_on": day(200)}),
        )
        .await;
        refused_for_suspension(st, &v);
        let (_, list) = get_json(&app, &app.anon, &alloc).await;
        assert_eq!(list.as_array().unwrap().len(), 0, "{list}");
        let (st, v) = post_json(
            &app,
            &staff,
            &alloc,
            &json!({"organization_id": p.member_b, "starts_on": day(1), "ends_on": day(200)}),
        )
        .await;
        assert_eq!(st, 201, "{v}");
        let (st, v) = post_json(
            &app,
            &member,
            &url,
            &booking(p.member_b, &date, "09:00", "10:00", "议事会"),
        )
        .await;
        assert_eq!(st, 403, "{v}");
        // The hub sees the suspended member flagged with what it still holds; the public
        // does not.
        let hub_page = read(
            staff
                .get(app.url(&format!("/hubs/{}", p.hub_id)))
                .header(reqwest::header::ACCEPT_LANGUAGE, ZH)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(hub_page.status, StatusCode::OK);
        hub_page.assert_has("需关注的成员");
        hub_page.assert_has("未结束的预约 1 个，办公用房 0 间");
        let public = read(
            app.anon
                .get(app.url(&format!("/hubs/{}", p.hub_id)))
                .send()
                .await
                .unwrap(),
        )
        .await;
        public.assert_lacks("standing-flags");
    }
);

http_test!(
    a_suspended_organization_cannot_join_or_be_recognized,
    |app: TestApp| async move {
        let p = park(&app).await;
        // An application made in good standing, then the suspension.
        let own = app
            .client_as("outsider", Role::OrgMember, None, Some(p.outsider))
            .await;
        let (st, pending) = post_json(
            &app,
            &own,
            &format!("/api/v1/hubs/{}/applications", p.hub_id),
            &json!({"organization_id": p.outsider}),
        )
        .await;
        assert_eq!(st, 201, "{pending}");
        suspend(&app, p.outsider).await;
        let before = app.store.hub(p.hub_id).await.unwrap().unwrap().member_count;
        // The hub approves it: refused, still pending.
        let (st, v) = post_json(
            &app,
            &app.client,
            &format!(
                "/api/v1/memberships/{}/decision",
                pending["id"].as_str().unwrap()
            ),
            &json!({"action": "approve"}),
        )
        .await;
        refused_for_suspension(st, &v);
        // The hub adds it (API): refused.
        let (st, v) = post_json(
            &app,
            &app.client,
            &format!("/api/v1/hubs/{}/members", p.hub_id),
            &json!({"organization_id": p.outsider}),
        )
        .await;
        refused_for_suspension(st, &v);
        // It applies again (API and page): refused.
        let (st, v) = post_json(
            &app,
            &own,
            &format!("/api/v1/hubs/{}/applications", p.hub_id),
            &json!({"organization_id": p.outsider}),
        )
        .await;
        refused_for_suspension(st, &v);
        let page = post_form(
            &app,
            &own,
            &format!("/hubs/{}/applications", p.hub_id),
            &[("organization_id", p.outsider.to_string())],
        )
        .await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            page.text
        );
        page.assert_has("该组织被暂停活动，不能申请加入枢纽组织");
        assert_eq!(
            app.store.hub(p.hub_id).await.unwrap().unwrap().member_count,
            before
        );
        let ms = app.store.memberships_of(p.outsider).await.unwrap();
        assert_eq!(ms.len(), 1);
        assert_eq!(ms[0].status, shuniu_domain::hubs::MembershipStatus::Pending);
        // Recognized as a hub: refused.
        let (st, v) = post_json(
            &app,
            &app.client,
            "/api/v1/hubs",
            &crate::world::regional_json(p.outsider, "320102"),
        )
        .await;
        assert_eq!(st, 422, "{v}");
        assert!(
            v["fields"]["organization_id"]
                .as_str()
                .unwrap()
                .contains("suspended"),
            "{v}"
        );
        assert!(
            app.store
                .hub_of_organization(p.outsider)
                .await
                .unwrap()
                .is_none()
        );
    }
);

http_test!(a_filed_team_is_no_district_hub, |app: TestApp| async move {
    let filed = json!({
        "name": "梅园社区健身队",
        "legal_form": "community_filed",
        "filing_number": "320102002000-2011-0007",
        "domains": ["public_security"],
        "jurisdiction": "320102002000",
        "address": "梅园新村",
        "founded_on": "2011-05-01",
        "legal_representative": "李明",
        "stage": "start_up"
    });
    let (st, v) = post_json(&app, &app.client, "/api/v1/organizations", &filed).await;
    assert_eq!(st, 201, "{v}");
    let id: Uuid = v["id"].as_str().unwrap().parse().unwrap();
    let (st, v) = post_json(
        &app,
        &app.client,
        "/api/v1/hubs",
        &crate::world::industry_json(id, "区体育总会"),
    )
    .await;
    assert_eq!(st, 422, "{v}");
    assert!(
        v["fields"]["organization_id"]
            .as_str()
            .unwrap()
            .contains("only a registered organization"),
        "{v}"
    );
    assert!(app.store.hub_of_organization(id).await.unwrap().is_none());
});

http_test!(
    the_registration_authoritys_rules_hold_at_registration,
    |app: TestApp| async move {
        // A Gulou-coded USCC registered in Xuanwu.
        let mut gulou = org_json(1);
        gulou["uscc"] = json!(
            shuniu_domain::codes::Uscc::assemble('5', '2', "320106", "MJ000001")
                .unwrap()
                .as_str()
        );
        let (st, v) = post_json(&app, &app.client, "/api/v1/organizations", &gulou).await;
        assert_eq!(st, 422, "{v}");
        assert!(
            v["fields"]["uscc"].as_str().unwrap().contains("320106"),
            "{v}"
        );
        // A foundation registered at district level.
        let mut foundation = org_json(2);
        foundation["legal_form"] = json!("foundation");
        foundation["uscc"] = json!(
            shuniu_domain::codes::Uscc::assemble('5', '3', "320102", "MJ000002")
                .unwrap()
                .as_str()
        );
        foundation["jurisdiction"] = json!("320102");
        let (st, v) = post_json(&app, &app.client, "/api/v1/organizations", &foundation).await;
        assert_eq!(st, 422, "{v}");
        assert!(
            v["fields"]["jurisdiction"]
                .as_str()
                .unwrap()
                .contains("province or city"),
            "{v}"
        );
        assert_eq!(org_total(&app).await, 0, "nothing was written");
        // At city level it registers.
        foundation["jurisdiction"] = json!("320100");
        let (st, v) = post_json(&app, &app.client, "/api/v1/organizations", &foundation).await;
        assert_eq!(st, 201, "{v}");
        // A name another live organization of the authority holds: the holder named.
        let first = org(&app, 3).await;
        let mut same = org_json(4);
        same["name"] = json!("测试服务中心3");
        let (st, v) = post_json(&app, &app.client, "/api/v1/organizations", &same).await;
        assert_eq!(st, 422, "{v}");
        let msg = v["fields"]["name"].as_str().unwrap();
        assert!(
            msg.contains("测试服务中心3") && msg.contains("MJ000003"),
            "{v}"
        );
        assert_eq!(org_total(&app).await, 2);
        // An edit that moves the code to Gulou is refused too.
        let r = app
            .client
            .patch(app.url(&format!("/api/v1/organizations/{first}")))
            .json(&json!({"uscc": gulou["uscc"]}))
            .send()
            .await
            .unwrap();
        let st = r.status().as_u16();
        let v: Value = r.json().await.unwrap();
        assert_eq!(st, 422, "{v}");
        assert!(v["fields"]["uscc"].is_string(), "{v}");
    }
);

http_test!(
    an_implausible_service_report_is_refused,
    |app: TestApp| async move {
        let p = park(&app).await;
        let q = shuniu_domain::parks::Quarter::of(today()).to_string();
        let url = format!("/api/v1/venues/{}/obligations", p.venue);
        let (st, v) = post_json(
            &app,
            &app.client,
            &url,
            &json!({"organization_id": p.member_a, "quarter": q, "service_hours": 50000, "residents_served": 999999}),
        )
        .await;
        assert_eq!(st, 422, "{v}");
        assert!(v["fields"]["service_hours"].is_string(), "{v}");
        assert!(v["fields"]["residents_served"].is_string(), "{v}");
        let (_, s) = get_json(&app, &app.anon, &format!("{url}?quarters=1")).await;
        assert!(!s.to_string().contains("50000"), "{s}");
        let (st, v) = post_json(
            &app,
            &app.client,
            &url,
            &json!({"organization_id": p.member_a, "quarter": q, "service_hours": 20, "residents_served": 40}),
        )
        .await;
        assert_eq!(st, 201, "{v}");
    }
);
