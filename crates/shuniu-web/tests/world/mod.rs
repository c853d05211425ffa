//! The records the route-walking tests address: org A and hub organization H in
//! Meiyuan street, H recognized as Meiyuan's regional hub, org C an active member of
//! H, a venue run by H with a meeting room and an office (allocated to C), a booking
//! of the room by C, and a party-building instructor of Xuanwu.
#![allow(dead_code)]

use chrono::{Duration, NaiveDate, Utc};
use serde_json::{Value, json};
use shuniu_domain::hubs::{HubFunction, HubKind, HubLevel, Recognition};
use shuniu_domain::jurisdiction::JurisdictionCode;
use shuniu_store::WriteCtx;
use uuid::Uuid;

use crate::common::{TestApp, org_json};

pub const MEIYUAN: &str = "320102002000";

pub struct Fixture {
    /// Org A (n = 1): in Meiyuan, a member of no hub.
    pub org_a: Uuid,
    /// Org H (n = 2): the regional hub's own organization (hub staff are bound to it).
    pub org_h: Uuid,
    /// Org C (n = 3): an active member of H.
    pub org_c: Uuid,
    pub hub: Uuid,
    /// C's membership of H.
    pub membership: Uuid,
    pub venue: Uuid,
    /// A meeting room of the venue (bookable).
    pub room: Uuid,
    /// An office of the venue, allocated to C.
    pub office: Uuid,
    pub allocation: Uuid,
    /// C's booking of the room.
    pub booking: Uuid,
    pub instructor: Uuid,
}

/// Today in Asia/Shanghai (what the application calls today).
pub fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

/// A local date `days` from today, as `YYYY-MM-DD`.
pub fn day(days: i64) -> String {
    (today() + Duration::days(days)).to_string()
}

/// `POST` as the admin; the status and the JSON answer.
pub async fn admin_post(app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    let r = app
        .client
        .post(app.url(path))
        .json(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn id_of(v: &Value) -> Uuid {
    v["id"].as_str().expect("an id").parse().unwrap()
}

/// Registers organization `n` (in Meiyuan) as the admin.
pub async fn org(app: &TestApp, n: u32) -> Uuid {
    let (st, v) = admin_post(app, "/api/v1/organizations", &org_json(n)).await;
    assert_eq!(st, 201, "organization {n}: {v}");
    id_of(&v)
}

/// Registers organization `n` (in Meiyuan) as the admin, as a social group (an
/// association): what a district industry hub must be (`HUB_FIT_RULES`).
pub async fn association(app: &TestApp, n: u32) -> Uuid {
    let mut body = org_json(n);
    body["legal_form"] = json!("social_group");
    body["uscc"] = json!(social_group_uscc(n));
    let (st, v) = admin_post(app, "/api/v1/organizations", &body).await;
    assert_eq!(st, 201, "organization {n}: {v}");
    id_of(&v)
}

/// The USCC of association `n` (type 51: a social group registered by civil affairs).
pub fn social_group_uscc(n: u32) -> String {
    shuniu_domain::codes::Uscc::assemble('5', '1', "320102", &format!("MJ{n:06}"))
        .unwrap()
        .to_string()
}

/// A recognition of `org` as the regional hub of `place` (JSON body).
pub fn regional_json(org: Uuid, place: &str) -> Value {
    json!({
        "organization_id": org,
        "kind": "regional",
        "level": if place.len() == 12 { "street" } else { "district" },
        "jurisdiction": place,
        "recognizing_body": "玄武区民政局",
        "document_number": "玄民〔2012〕12号",
        "recognized_on": "2012-03-01",
        "functions": ["cultivation", "centralized_services"]
    })
}

/// A recognition of `org` as an industry hub of Xuanwu (JSON body).
pub fn industry_json(org: Uuid, base: &str) -> Value {
    json!({
        "organization_id": org,
        "kind": "industry",
        "level": "district",
        "jurisdiction": "320102",
        "base_body": base,
        "fields": ["disability"],
        "recognizing_body": "玄武区民政局",
        "document_number": "玄民〔2013〕3号",
        "recognized_on": "2013-05-01",
        "functions": ["political_guidance"]
    })
}

pub fn venue_json(hub: Uuid) -> Value {
    json!({
        "hub_id": hub,
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

/// A booking of one slot for `org`: `days` ahead, starting `slot` half hours after 08:00.
pub fn booking_json(org: Uuid, days: i64, slot: u32) -> Value {
    let at = |m: u32| format!("{:02}:{:02}", 8 + m / 60, m % 60);
    json!({
        "organization_id": org,
        "date": day(days),
        "start": at(slot * 30),
        "end": at(slot * 30 + 30),
        "purpose": "社区议事会",
        "attendees": 12
    })
}

/// Books the room for C through the API (as the admin); the booking's id.
pub async fn book(app: &TestApp, f: &Fixture, days: i64, slot: u32) -> Uuid {
    let (st, v) = admin_post(
        app,
        &format!("/api/v1/spaces/{}/bookings", f.room),
        &booking_json(f.org_c, days, slot),
    )
    .await;
    assert_eq!(st, 201, "booking: {v}");
    id_of(&v)
}

pub async fn build(app: &TestApp) -> Fixture {
    let org_a = org(app, 1).await;
    let org_h = org(app, 2).await;
    let org_c = org(app, 3).await;
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
        .recognize_hub(org_h, &recognition, WriteCtx::system("test"))
        .await
        .expect("recognize H")
        .id;
    let membership = app
        .store
        .add_member(hub, org_c, false, today(), WriteCtx::system("test"))
        .await
        .expect("C joins H")
        .id;
    let (st, v) = admin_post(app, "/api/v1/venues", &venue_json(hub)).await;
    assert_eq!(st, 201, "venue: {v}");
    let venue = id_of(&v);
    let spaces = format!("/api/v1/venues/{venue}/spaces");
    let (st, v) = admin_post(
        app,
        &spaces,
        &json!({"name": "多功能活动室", "kind": "meeting_room", "capacity": 30, "area_m2": 60}),
    )
    .await;
    assert_eq!(st, 201, "room: {v}");
    let room = id_of(&v);
    let (st, v) = admin_post(
        app,
        &spaces,
        &json!({"name": "201办公室", "kind": "office", "capacity": 4}),
    )
    .await;
    assert_eq!(st, 201, "office: {v}");
    let office = id_of(&v);
    let (st, v) = admin_post(
        app,
        &format!("/api/v1/spaces/{office}/allocations"),
        &json!({"organization_id": org_c, "starts_on": day(0), "ends_on": day(180)}),
    )
    .await;
    assert_eq!(st, 201, "allocation: {v}");
    let allocation = id_of(&v);
    let (st, v) = admin_post(
        app,
        "/api/v1/instructors",
        &json!({"name": "李明", "phone": "13912345678", "jurisdiction": "320102", "workplace": "玄武区社会组织党建工作委员会"}),
    )
    .await;
    assert_eq!(st, 201, "instructor: {v}");
    let instructor = id_of(&v);
    let mut f = Fixture {
        org_a,
        org_h,
        org_c,
        hub,
        membership,
        venue,
        room,
        office,
        allocation,
        booking: Uuid::nil(),
        instructor,
    };
    f.booking = book(app, &f, 7, 2).await;
    f
}
