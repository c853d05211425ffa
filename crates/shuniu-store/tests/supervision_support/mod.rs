//! Fixtures of the supervision tests.

use chrono::NaiveDate;
use shuniu_domain::codes::Uscc;
use shuniu_domain::registry::{Organization, OrganizationData, OrganizationDraft};
use shuniu_store::{Store, WriteCtx};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn today() -> NaiveDate {
    d(2026, 11, 30)
}

pub use shuniu_store::testing::MEIYUAN;

/// A registered social service institution of Xuanwu, its code and name from `n`.
pub fn org_data(n: u32, jurisdiction: &str) -> OrganizationData {
    let uscc = Uscc::assemble('5', '2', "320102", &format!("MT{n:06}")).unwrap();
    OrganizationDraft {
        name: Some(format!("玄武区督导测试中心{n}")),
        legal_form: Some("social_service_institution".into()),
        uscc: Some(uscc.to_string()),
        domains: Some(vec!["elderly".into()]),
        jurisdiction: Some(jurisdiction.into()),
        address: Some("梅园新村34号".into()),
        founded_on: Some("2012-03-05".into()),
        legal_representative: Some("王芳".into()),
        staff_full_time: Some("4".into()),
        stage: Some("growth".into()),
        ..Default::default()
    }
    .validate(today())
    .unwrap()
}

pub async fn org(store: &Store, n: u32) -> Organization {
    store
        .create_organization(&org_data(n, MEIYUAN), "registrar")
        .await
        .unwrap()
}

pub fn official() -> WriteCtx {
    WriteCtx::new("xuanwu-official", "official", "127.0.0.1")
}

pub fn member() -> WriteCtx {
    WriteCtx::new("org-member", "org_member", "127.0.0.1")
}

/// The public list's page `f.page` of `f.per_page` as a numbered page: the keyset page
/// read at that page's offset.
pub async fn public_page(
    store: &Store,
    f: &shuniu_store::services::ServiceFilter,
) -> shuniu_store::Page<shuniu_store::services::ServiceListing> {
    let skip = u64::from(f.page.max(1) - 1) * u64::from(f.per_page);
    let p = store
        .public_services_page(f, shuniu_store::At::Offset(skip), f.per_page)
        .await
        .unwrap();
    shuniu_store::Page {
        items: p.items,
        total: p.total.count(),
        page: f.page,
        per_page: f.per_page,
    }
}
