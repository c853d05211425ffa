//! Hubs and memberships: the same stories on SQLite and PostgreSQL.

mod list_pages;
mod member_pages;
mod memberships;
mod recognitions;
mod scale;
mod structure;

use chrono::NaiveDate;
use shuniu_domain::codes::Uscc;
use shuniu_domain::hubs::{
    HubCore, HubKind, HubStatus, MembershipDecision, MembershipStatus, Recognition,
    RecognitionDraft,
};
use shuniu_domain::jurisdiction::{JurisdictionCode, Level};
use shuniu_domain::registry::{OrganizationData, OrganizationDraft};
use shuniu_store::{AuditFilter, HubFilter, Store, StoreError, WriteCtx, both_backends};
use uuid::Uuid;

const JIANGSU: &str = "320000";
const NANJING: &str = "320100";
const XUANWU: &str = "320102";
const QINHUAI: &str = "320104";
use shuniu_store::testing::MEIYUAN;
const XINJIEKOU: &str = "320102003000";
const SUOJIN: &str = "320102007000";
const XUANWU_PATH: &str = "320000/320100/320102/";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn ctx() -> WriteCtx {
    WriteCtx::new("official", "official", "10.0.0.9")
}

fn org_data(n: u32, name: &str, jurisdiction: &str) -> OrganizationData {
    OrganizationDraft {
        name: Some(name.into()),
        legal_form: Some("social_group".into()),
        uscc: Some(
            Uscc::assemble('5', '1', "320102", &format!("HB{n:06}"))
                .unwrap()
                .to_string(),
        ),
        domains: Some(vec!["public_welfare".into()]),
        jurisdiction: Some(jurisdiction.into()),
        address: Some("梅园新村34号".into()),
        founded_on: Some("2011-12-20".into()),
        legal_representative: Some("王芳".into()),
        stage: Some("growth".into()),
        ..Default::default()
    }
    .validate(today())
    .unwrap()
}

async fn org(store: &Store, n: u32, jurisdiction: &str) -> Uuid {
    store
        .create_organization(
            &org_data(n, &format!("枢纽测试组织{n:02}"), jurisdiction),
            ctx(),
        )
        .await
        .unwrap()
        .id
}

fn level_of(code: &str) -> Level {
    match code {
        JIANGSU => Level::Province,
        c if c.len() == 12 => Level::Street,
        c if c.ends_with("0000") => Level::Province,
        c if c.ends_with("00") => Level::City,
        _ => Level::District,
    }
}

fn regional(code: &str) -> Recognition {
    let level = level_of(code);
    RecognitionDraft {
        kind: Some("regional".into()),
        level: Some(level.as_str().into()),
        jurisdiction: Some(code.into()),
        recognizing_body: Some("玄武区民政局".into()),
        document_number: Some(format!("玄民〔2012〕{code}号")),
        recognized_on: Some("2012-03-01".into()),
        functions: vec!["cultivation".into(), "centralized_services".into()],
        ..Default::default()
    }
    .validate(today(), Some(level))
    .unwrap()
}

fn industry(code: &str, base_body: &str) -> Recognition {
    let level = level_of(code);
    RecognitionDraft {
        kind: Some("industry".into()),
        level: Some(level.as_str().into()),
        jurisdiction: Some(code.into()),
        base_body: Some(base_body.into()),
        fields: vec!["disability".into()],
        recognizing_body: Some("玄武区民政局".into()),
        document_number: Some(format!("玄民〔2013〕{base_body}号")),
        recognized_on: Some("2013-05-01".into()),
        functions: vec!["political_guidance".into()],
    }
    .validate(today(), Some(level))
    .unwrap()
}

fn decision(action: &str, reason: Option<&str>) -> MembershipDecision {
    MembershipDecision::parse(Some(action), reason).unwrap()
}

/// The field an `Invalid` error names (panics on any other outcome).
fn invalid_field<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Invalid(e)) => {
            assert_eq!(e.0.len(), 1, "one field expected: {e}");
            e.0.keys().next().unwrap().clone()
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

/// (member_count of the hub, regional hub of the organization, its industry hub count)
async fn counters(store: &Store, hub: Uuid, org: Uuid) -> (i64, Option<Uuid>, i64) {
    let h = store.hub(hub).await.unwrap().unwrap();
    let (regional, industry) = store.hub_coverage_counters(org).await.unwrap().unwrap();
    (h.member_count, regional, industry)
}

async fn consistent(store: &Store) {
    let bad = store.hub_counter_mismatches().await.unwrap();
    assert!(bad.is_empty(), "counters drifted: {bad:?}");
}

async fn audit_count(store: &Store, action: &str) -> i64 {
    store
        .audit_page(
            &AuditFilter {
                action: Some(action.into()),
                ..Default::default()
            },
            1,
            1,
        )
        .await
        .unwrap()
        .total
}

/// Three hubs (two regional, one industry) and three venues, two of one name: the
/// lists the download chunk test walks.
pub(crate) async fn seed_hubs_for_chunks(store: &Store) -> Uuid {
    let (a, b, c) = (
        org(store, 81, MEIYUAN).await,
        org(store, 82, XINJIEKOU).await,
        org(store, 83, XUANWU).await,
    );
    let h = store
        .recognize_hub(a, &regional(MEIYUAN), ctx())
        .await
        .unwrap();
    store
        .recognize_hub(b, &regional(XINJIEKOU), ctx())
        .await
        .unwrap();
    store
        .recognize_hub(c, &industry(XUANWU, "玄武区残疾人联合会"), ctx())
        .await
        .unwrap();
    structure::venue(store, "同名服务园", MEIYUAN, Some(h.id)).await;
    structure::venue(store, "同名服务园", XINJIEKOU, None).await;
    structure::venue(store, "另一服务园", SUOJIN, None).await;
    // Members of the first hub: two initiating units, two others.
    for n in 84..=87 {
        let m = org(store, n, MEIYUAN).await;
        store
            .add_member(h.id, m, n % 2 == 0, today(), ctx())
            .await
            .unwrap();
    }
    h.id
}
