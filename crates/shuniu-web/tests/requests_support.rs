//! Fixtures of the resident-request tests: the world, a community of Meiyuan, and
//! org A offering elderly care there (a candidate); org C offers nothing.
#![allow(dead_code)]

use shuniu_domain::access::Role;
use shuniu_domain::jurisdiction::{Jurisdiction, JurisdictionCode, Level};
use shuniu_domain::services::ServiceDraft;
use shuniu_store::WriteCtx;

use crate::common::TestApp;
use crate::world::{self, Fixture};

pub const COMMUNITY: &str = "320102002001";
pub const PHONE: &str = "13912345678";
pub const MASKED: &str = "139****5678";

pub struct Story {
    pub f: Fixture,
    pub hub: reqwest::Client,
    pub member_a: reqwest::Client,
    pub member_c: reqwest::Client,
    pub expert: reqwest::Client,
}

pub async fn story(app: &TestApp) -> Story {
    let f = world::build(app).await;
    let street = app
        .store
        .jurisdiction(world::MEIYUAN)
        .await
        .unwrap()
        .unwrap();
    app.store
        .add_jurisdiction(&Jurisdiction {
            code: JurisdictionCode::parse(COMMUNITY).unwrap(),
            name_zh: "梅园社区".into(),
            name_en: "Meiyuan Community".into(),
            level: Level::Community,
            parent: Some(street.code.clone()),
            path: format!("{}{COMMUNITY}/", street.path),
        })
        .await
        .unwrap();
    let s = ServiceDraft {
        name: Some("助餐配送".into()),
        category: Some("elderly".into()),
        target_group: Some("老人".into()),
        place_kind: Some("community".into()),
        jurisdiction: Some(COMMUNITY.into()),
        schedule: Some("每天".into()),
        capacity: Some("30".into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    app.store
        .create_service(f.org_a, &s, WriteCtx::system("test"))
        .await
        .unwrap();
    Story {
        hub: app
            .client_as("hub_staff", Role::HubStaff, None, Some(f.org_h))
            .await,
        member_a: app
            .client_as("member_a", Role::OrgMember, None, Some(f.org_a))
            .await,
        member_c: app
            .client_as("member_c", Role::OrgMember, None, Some(f.org_c))
            .await,
        expert: app.client_as("expert", Role::Expert, None, None).await,
        f,
    }
}

pub fn need() -> serde_json::Value {
    serde_json::json!({
        "category": "elderly",
        "community": COMMUNITY,
        "description": "独居老人行动不便，需要每天送餐上门",
        "phone": PHONE,
    })
}

/// For the OpenAPI walk: a community, an organization offering elderly care there, a
/// completed request (its private token: confirmed by the walk) and a submitted one
/// (its id: read, ranked and cancelled by the walk).
pub async fn seeded(app: &TestApp) -> (String, uuid::Uuid) {
    use shuniu_domain::requests::{RequestDraft, TimeLimits, Transition, token_hash};
    use shuniu_store::requests::TransitionInput;
    let street = app
        .store
        .jurisdiction(world::MEIYUAN)
        .await
        .unwrap()
        .unwrap();
    app.store
        .add_jurisdiction(&Jurisdiction {
            code: JurisdictionCode::parse(COMMUNITY).unwrap(),
            name_zh: "梅园社区".into(),
            name_en: "Meiyuan Community".into(),
            level: Level::Community,
            parent: Some(street.code.clone()),
            path: format!("{}{COMMUNITY}/", street.path),
        })
        .await
        .unwrap();
    let org = world::org(app, 60).await;
    let s = ServiceDraft {
        name: Some("助餐配送".into()),
        category: Some("elderly".into()),
        target_group: Some("老人".into()),
        place_kind: Some("community".into()),
        jurisdiction: Some(COMMUNITY.into()),
        schedule: Some("每天".into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let ctx = || WriteCtx::system("test");
    app.store.create_service(org, &s, ctx()).await.unwrap();
    let d = RequestDraft {
        category: Some("elderly".into()),
        community: Some(COMMUNITY.into()),
        description: Some("独居老人需要每天送餐上门".into()),
        phone: Some(PHONE.into()),
    }
    .validate()
    .unwrap();
    let l = TimeLimits::default();
    let now = chrono::Utc::now();
    let token = "c".repeat(64);
    let done = app
        .store
        .submit_request(&d, &token_hash(&token), &l, now, ctx())
        .await
        .unwrap();
    let by = TransitionInput {
        organization_id: Some(org),
        ..Default::default()
    };
    for t in [Transition::Assign, Transition::Accept, Transition::Complete] {
        app.store
            .transition_request(done.id, t, &by, &l, now, ctx())
            .await
            .unwrap();
    }
    let open = app
        .store
        .submit_request(&d, &token_hash(&"d".repeat(64)), &l, now, ctx())
        .await
        .unwrap();
    (token, open.id)
}
