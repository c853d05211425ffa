//! Fixtures of the service-park tests: a street hub with member organizations, a venue
//! run by it with a meeting room and an office, and dates in local (Shanghai) time.
#![allow(dead_code)]

use chrono::{Duration, NaiveDate, Utc};
use serde_json::{Value, json};
use shuniu_domain::hubs::{HubFunction, HubKind, HubLevel, Recognition};
use shuniu_domain::jurisdiction::JurisdictionCode;
use shuniu_store::WriteCtx;
use uuid::Uuid;

use crate::common::{TestApp, org_json};

pub use crate::world::MEIYUAN;

/// Today in Asia/Shanghai (what the application calls today).
pub fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

/// A future local date `days` ahead, as `YYYY-MM-DD`.
pub fn day(days: i64) -> String {
    (today() + Duration::days(days)).to_string()
}

pub struct Park {
    pub hub_org: Uuid,
    pub hub_id: Uuid,
    /// Active members of the hub.
    pub member_a: Uuid,
    pub member_b: Uuid,
    /// Not a member of the hub.
    pub outsider: Uuid,
    pub venue: Uuid,
    pub room: Uuid,
    pub office: Uuid,
}

/// Registers organization `n` through the API (as admin); its id.
pub async fn org(app: &TestApp, n: u32) -> Uuid {
    let r = app
        .client
        .post(app.url("/api/v1/organizations"))
        .json(&org_json(n))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "seed organization {n}");
    let v: Value = r.json().await.unwrap();
    v["id"].as_str().unwrap().parse().unwrap()
}

pub fn venue_json(hub_id: Option<Uuid>) -> Value {
    json!({
        "hub_id": hub_id,
        "name": "梅园新村街道社会组织服务园",
        "address": "梅园新村34号",
        "jurisdiction": MEIYUAN,
        "area_m2": 400,
        "owner": "梅园新村街道办事处",
        "free_of_charge": true,
        "terms": "无偿提供给社会组织使用",
        "utilities_waived": true,
        "obligation": "服务本地居民",
        "obligation_hours_per_quarter": 120
    })
}

pub async fn post_json(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    let r = c.post(app.url(path)).json(body).send().await.unwrap();
    let status = r.status().as_u16();
    let v = r.json().await.unwrap_or(Value::Null);
    (status, v)
}

pub async fn get_json(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, Value) {
    let r = c.get(app.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    let v = r.json().await.unwrap_or(Value::Null);
    (status, v)
}

/// The whole fixture: hub on an organization of Meiyuan street, two members, an
/// outsider, a venue run by the hub with a meeting room (30 seats) and an office.
pub async fn park(app: &TestApp) -> Park {
    let hub_org = org(app, 1).await;
    let member_a = org(app, 2).await;
    let member_b = org(app, 3).await;
    let outsider = org(app, 4).await;
    let recognition = Recognition {
        kind: HubKind::Regional,
        level: HubLevel::Street,
        jurisdiction: JurisdictionCode::parse(MEIYUAN).unwrap(),
        base_body: String::new(),
        fields_mask: 0,
        recognizing_body: "玄武区民政局".into(),
        document_number: "玄民〔2012〕1号".into(),
        recognized_on: NaiveDate::from_ymd_opt(2012, 3, 1).unwrap(),
        functions_mask: HubFunction::mask(HubFunction::ALL),
    };
    let hub = app
        .store
        .recognize_hub(hub_org, &recognition, WriteCtx::system("test"))
        .await
        .expect("recognize hub");
    for m in [member_a, member_b] {
        app.store
            .add_member(hub.id, m, false, today(), WriteCtx::system("test"))
            .await
            .expect("add member");
    }
    let (st, v) = post_json(
        app,
        &app.client,
        "/api/v1/venues",
        &venue_json(Some(hub.id)),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let venue: Uuid = v["id"].as_str().unwrap().parse().unwrap();
    let (st, v) = post_json(
        app,
        &app.client,
        &format!("/api/v1/venues/{venue}/spaces"),
        &json!({"name": "多功能活动室", "kind": "meeting_room", "capacity": 30, "area_m2": 60}),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let room = v["id"].as_str().unwrap().parse().unwrap();
    let (st, v) = post_json(
        app,
        &app.client,
        &format!("/api/v1/venues/{venue}/spaces"),
        &json!({"name": "201办公室", "kind": "office", "capacity": 4}),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let office = v["id"].as_str().unwrap().parse().unwrap();
    Park {
        hub_org,
        hub_id: hub.id,
        member_a,
        member_b,
        outsider,
        venue,
        room,
        office,
    }
}

pub fn booking(org: Uuid, date: &str, start: &str, end: &str, purpose: &str) -> Value {
    json!({
        "organization_id": org,
        "date": date,
        "start": start,
        "end": end,
        "purpose": purpose,
        "attendees": 12
    })
}

// ---- page helpers shared by the parks and booking page tests

use crate::pages_support::{Page, read};

pub async fn get_as(app: &TestApp, c: &reqwest::Client, path: &str, accept: &str) -> Page {
    read(
        c.get(app.url(path))
            .header(reqwest::header::ACCEPT_LANGUAGE, accept)
            .send()
            .await
            .unwrap(),
    )
    .await
}

pub async fn post_form(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    form: &[(&str, String)],
    accept: &str,
) -> Page {
    read(
        c.post(app.url(path))
            .header(reqwest::header::ACCEPT_LANGUAGE, accept)
            .form(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

pub fn book_form(date: &str, start: &str, end: &str, purpose: &str) -> Vec<(&'static str, String)> {
    vec![
        ("date", date.into()),
        ("start", start.into()),
        ("end", end.into()),
        ("purpose", purpose.into()),
        ("attendees", "12".into()),
    ]
}

/// The HTML of the grid cell of `date` at `time` (its `<td …>` to `</td>`).
pub fn cell<'a>(p: &'a Page, date: &str, time: &str) -> &'a str {
    let key = format!("data-date=\"{date}\" data-time=\"{time}\"");
    let i = p
        .text
        .find(&key)
        .unwrap_or_else(|| panic!("no cell {date} {time}"));
    let start = p.text[..i].rfind("<td").unwrap();
    let end = i + p.text[i..].find("</td>").unwrap();
    &p.text[start..end]
}
