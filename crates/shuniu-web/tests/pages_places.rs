//! Finding one's community (issue 12, item 3), page and API, both engines: a road, a
//! two-character fragment, a compound and a community name each give the community,
//! street and district; an ambiguous fragment gives several candidates as links, an
//! unknown one none with a friendly message; a bad fragment or community is a 422
//! naming it. Choosing a community sets the `place` cookie, and `/services` (and
//! `GET /api/v1/services?near=`) then lists the same community first, the same
//! street next, the rest of the district last, each with its reason.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shuniu_domain::jurisdiction::{Jurisdiction, JurisdictionCode, Level};
use shuniu_domain::places::PlaceNameKind;

use crate::common::{TestApp, org_json};

const MEIYUAN_ST: &str = "320102002000";
pub(crate) const MEIYUAN: &str = "320102002001";
pub(crate) const DABEI: &str = "320102002002";
pub(crate) const GUYILANG: &str = "320102003002";

pub(crate) async fn community(app: &TestApp, street: &str, code: &str, name: &str, en: &str) {
    let parent = app.store.jurisdiction(street).await.unwrap().unwrap();
    let j = Jurisdiction {
        path: format!("{}{code}/", parent.path),
        parent: Some(parent.code.clone()),
        code: JurisdictionCode::parse(code).unwrap(),
        name_zh: format!("{name}社区"),
        name_en: format!("{en} Community"),
        level: Level::Community,
    };
    app.store.add_jurisdiction(&j).await.unwrap();
}

/// Communities of three streets and the places residents know in them.
async fn world(app: &TestApp) {
    community(app, MEIYUAN_ST, MEIYUAN, "梅园新村", "Meiyuan Xincun").await;
    community(app, MEIYUAN_ST, DABEI, "大悲巷", "Dabeixiang").await;
    community(app, "320102003000", GUYILANG, "估衣廊", "Guyilang").await;
    community(
        app,
        "320102007000",
        "320102007001",
        "锁金一村",
        "Suojin No. 1",
    )
    .await;
    community(
        app,
        "320102007000",
        "320102007002",
        "锁金二村",
        "Suojin No. 2",
    )
    .await;
    let n = |code: &str, name: &str, kind| (code.to_string(), name.to_string(), kind);
    app.store
        .add_place_names(&[
            n(MEIYUAN, "汉府新村", PlaceNameKind::Compound),
            n(DABEI, "长江路", PlaceNameKind::Road),
            n(DABEI, "总统府", PlaceNameKind::Landmark),
            n(GUYILANG, "珠江路", PlaceNameKind::Road),
            n(MEIYUAN, "珠江路", PlaceNameKind::Road),
        ])
        .await
        .unwrap();
    let xuanwu = app.store.jurisdiction("320102").await.unwrap().unwrap();
    app.store.index_community_names(&xuanwu).await.unwrap();
}

async fn get(c: &reqwest::Client, url: String, cookie: &str) -> (StatusCode, String, String) {
    let mut r = c.get(url);
    if !cookie.is_empty() {
        r = r.header("cookie", cookie);
    }
    let r = r.send().await.unwrap();
    let set = r
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status(), set, r.text().await.unwrap())
}

async fn api(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let r = app.anon.get(app.url(path)).send().await.unwrap();
    (r.status(), r.json().await.unwrap())
}

fn communities(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["community"]["code"].as_str().unwrap().to_string())
        .collect()
}

/// The error's field names of a 422 answer.
fn fields(v: &Value) -> Vec<String> {
    v["fields"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

http_test!(fragments_find_the_community, |app: TestApp| async move {
    world(&app).await;
    // A road: its community, street and district.
    let (st, v) = api(&app, "/api/v1/places?q=%E9%95%BF%E6%B1%9F%E8%B7%AF").await; // 长江路
    assert_eq!(st, StatusCode::OK, "{v}");
    let one = &v["items"][0];
    assert_eq!(v["items"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(one["matched"], "长江路");
    assert_eq!(one["kind"], "road");
    assert_eq!(one["community"]["code"], DABEI);
    assert_eq!(one["community"]["name"], "大悲巷社区");
    assert_eq!(one["street"]["code"], MEIYUAN_ST);
    assert_eq!(one["street"]["name"], "梅园新村街道");
    assert_eq!(one["district"]["code"], "320102");
    // Two characters, on a road through two communities: both.
    let (_, v) = api(&app, "/api/v1/places?q=珠江").await;
    assert_eq!(communities(&v), vec![MEIYUAN, GUYILANG]);
    // A compound; a community's own name.
    let (_, v) = api(&app, "/api/v1/places?q=汉府新村").await;
    assert_eq!(communities(&v), vec![MEIYUAN]);
    assert_eq!(v["items"][0]["kind"], "compound");
    let (_, v) = api(&app, "/api/v1/places?q=梅园新村").await;
    assert_eq!(communities(&v), vec![MEIYUAN]);
    assert_eq!(v["items"][0]["kind"], "community");
    // Ambiguous: several; unknown: none.
    let (_, v) = api(&app, "/api/v1/places?q=锁金").await;
    assert_eq!(communities(&v), vec!["320102007001", "320102007002"]);
    let (st, v) = api(&app, "/api/v1/places?q=火星路").await;
    assert_eq!(st, StatusCode::OK);
    assert!(v["items"].as_array().unwrap().is_empty());
    // Bad input: named.
    let (st, v) = api(&app, "/api/v1/places").await;
    assert_eq!(
        (st, v["items"].as_array().unwrap().len()),
        (StatusCode::OK, 0)
    );
    for q in ["?q=", "?q=%20", &format!("?q={}", "路".repeat(41))] {
        let (st, v) = api(&app, &format!("/api/v1/places{q}")).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {v}");
        assert_eq!(fields(&v), vec!["q"], "{v}");
    }

    // The page: one answer says where you are, with the link choosing it.
    let (st, _, html) = get(&app.anon, app.url("/where?q=长江路"), "").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        html.contains("您在：大悲巷社区，梅园新村街道，玄武区"),
        "{html}"
    );
    assert!(html.contains("匹配：长江路（道路）"), "{html}");
    assert!(html.contains(&format!("href=\"/where?community={DABEI}\"")));
    // Several: each a link.
    let (_, _, html) = get(&app.anon, app.url("/where?q=锁金"), "").await;
    assert!(html.contains("“锁金”有 2 处"), "{html}");
    assert!(html.contains("href=\"/where?community=320102007001\""));
    assert!(html.contains("href=\"/where?community=320102007002\""));
    // In English.
    let (_, _, html) = get(&app.anon, app.url("/where?q=珠江"), "lang=en").await;
    assert!(
        html.contains("Meiyuan Xincun Community, Meiyuan Xincun Street"),
        "{html}"
    );
    assert!(html.contains("Matched: 珠江路 (road)"), "{html}");
    // None: a friendly message.
    let (st, _, html) = get(&app.anon, app.url("/where?q=火星路"), "").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("没有找到与“火星路”相符的地方"), "{html}");
    // Empty: the field's error.
    let (st, _, html) = get(&app.anon, app.url("/where?q="), "").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"err-q\""), "{html}");
    // The street → community select offers communities grouped by street.
    let (_, _, html) = get(&app.anon, app.url("/where"), "").await;
    assert!(html.contains("<optgroup label=\"梅园新村街道\">"), "{html}");
    assert!(html.contains(&format!("<option value=\"{DABEI}\">大悲巷社区</option>")));
});

pub(crate) async fn add_service(app: &TestApp, org: &str, name: &str, place: &str) {
    let body = json!({
        "name": name,
        "category": "elderly",
        "target_group": "辖区居民",
        "place_kind": "community",
        "jurisdiction": place,
        "schedule": "每周三 9:00",
        "fee": 0
    });
    let r = app
        .client
        .post(app.url(&format!("/api/v1/organizations/{org}/services")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
}

/// Where each name first occurs in `html`.
fn order(html: &str, names: &[&str]) -> Vec<usize> {
    names
        .iter()
        .map(|n| html.find(n).unwrap_or_else(|| panic!("{n} missing")))
        .collect()
}

http_test!(services_list_nearest_first, |app: TestApp| async move {
    world(&app).await;
    let org = app.create_org(&org_json(1)).await;
    let org = org["id"].as_str().unwrap().to_string();
    // Named so that by name they would come the other way round.
    add_service(&app, &org, "甲项目估衣廊", GUYILANG).await;
    add_service(&app, &org, "乙项目大悲巷", DABEI).await;
    add_service(&app, &org, "丙项目梅园", MEIYUAN).await;

    // API: sorted, each with its distance.
    let (st, v) = api(&app, &format!("/api/v1/services?near={MEIYUAN}")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let got: Vec<(&str, &str)> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["name"].as_str().unwrap(), i["distance"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("丙项目梅园", "same_community"),
            ("乙项目大悲巷", "same_street"),
            ("甲项目估衣廊", "same_district"),
        ]
    );
    let (_, v) = api(&app, "/api/v1/services").await;
    assert!(v["items"][0]["distance"].is_null(), "{v}");
    // Not a community: 422 naming `near`.
    for near in [MEIYUAN_ST, "999999999999", "abc"] {
        let (st, v) = api(&app, &format!("/api/v1/services?near={near}")).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{near}: {v}");
        assert_eq!(fields(&v), vec!["near"], "{v}");
    }

    // Choosing a community remembers it in a cookie.
    let (st, set, html) = get(
        &app.anon,
        app.url(&format!("/where?community={MEIYUAN}")),
        "",
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert!(set.starts_with(&format!("place={MEIYUAN};")), "{set}");
    assert!(
        set.contains("HttpOnly") && set.contains("Max-Age=31536000"),
        "{set}"
    );
    assert!(html.contains("已记住您所在的社区"), "{html}");
    assert!(html.contains("梅园新村社区，梅园新村街道，玄武区"));
    // The page then knows it; a street is not a community.
    let cookie = format!("place={MEIYUAN}");
    let (_, _, html) = get(&app.anon, app.url("/where"), &cookie).await;
    assert!(
        html.contains("梅园新村社区，梅园新村街道，玄武区"),
        "{html}"
    );
    let (st, set, html) = get(
        &app.anon,
        app.url(&format!("/where?community={MEIYUAN_ST}")),
        "",
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(set.is_empty());
    assert!(html.contains("请选择一个社区"), "{html}");
    // Forgetting clears it.
    let (_, set, _) = get(&app.anon, app.url("/where?forget=1"), &cookie).await;
    assert!(
        set.starts_with("place=;") && set.contains("Max-Age=0"),
        "{set}"
    );

    // /services with the cookie: nearest first, with the reasons.
    let (st, _, html) = get(&app.anon, app.url("/services"), &cookie).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        html.contains("离您近的服务排在前面：梅园新村社区。"),
        "{html}"
    );
    let at = order(
        &html,
        &[
            "丙项目梅园",
            "在您的社区",
            "乙项目大悲巷",
            "同街道",
            "甲项目估衣廊",
            "同区",
        ],
    );
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    let (_, _, html) = get(
        &app.anon,
        app.url("/services"),
        &format!("lang=en; {cookie}"),
    )
    .await;
    assert!(
        html.contains("In your community") && html.contains("Same street"),
        "{html}"
    );
    // Without it: by place, no reasons, an invitation to say where.
    let (_, _, html) = get(&app.anon, app.url("/services"), "").await;
    assert!(!html.contains("在您的社区"));
    assert!(html.contains("href=\"/where\""), "{html}");
    // A stale cookie is ignored; a bad `near` in the address is the filter's error.
    let (st, _, _) = get(&app.anon, app.url("/services"), "place=320102002999").await;
    assert_eq!(st, StatusCode::OK);
    let (st, _, _) = get(
        &app.anon,
        app.url(&format!("/services?near={MEIYUAN_ST}")),
        "",
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
});
