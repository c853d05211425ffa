//! A small world for the coverage tests: organizations in two Xuanwu streets with
//! different party facts, instructors, a regional and an industry hub with real
//! memberships — and the model the expected figures are computed from.
#![allow(dead_code)]

use shuniu_domain::codes::Phone;
use shuniu_domain::hubs::{Hub, RecognitionDraft};
use shuniu_domain::jurisdiction::JurisdictionCode;
use shuniu_domain::party::{Instructor, InstructorData, PartyBuilding, Share};
use shuniu_domain::registry::{Organization, PartyOrg, StatusChange};

use crate::common::TestApp;
use crate::pages_support::{org_form, seed_form, with};

pub const XUANWU: &str = "320102";
pub use crate::world::MEIYUAN;
pub const XINJIEKOU: &str = "320102003000";
pub const QINHUAI: &str = "320104";
pub const INSTRUCTOR_PHONE: &str = "13912345678";

/// What the world holds about one organization; the figures follow from these.
#[derive(Debug, Clone)]
pub struct Spec {
    pub name: &'static str,
    pub street: &'static str,
    pub party_org: &'static str,
    pub party_members: u32,
    pub instructor: bool,
    pub regional: bool,
    pub industry: bool,
    pub live: bool,
}

const fn spec(
    name: &'static str,
    street: &'static str,
    party_org: &'static str,
    party_members: u32,
    instructor: bool,
    regional: bool,
    industry: bool,
) -> Spec {
    Spec {
        name,
        street,
        party_org,
        party_members,
        instructor,
        regional,
        industry,
        live: true,
    }
}

pub const M1: usize = 0;
pub const M2: usize = 1;
pub const M3: usize = 2;
pub const HUB_M: usize = 3;
pub const X1: usize = 4;
pub const X2: usize = 5;
pub const HUB_I: usize = 6;
pub const X3: usize = 7;

pub fn specs() -> Vec<Spec> {
    let mut v = vec![
        // In the Meiyuan hub and the industry hub.
        spec("梅园甲服务中心", MEIYUAN, "none", 0, false, true, true),
        // In the Meiyuan hub.
        spec(
            "梅园乙服务中心",
            MEIYUAN,
            "joint_branch",
            1,
            false,
            true,
            false,
        ),
        // In no hub; reached by an instructor.
        spec("梅园丙服务中心", MEIYUAN, "none", 0, true, false, false),
        // The Meiyuan promotion association itself (not its own member).
        spec("梅园促进会", MEIYUAN, "own_branch", 3, false, false, false),
        // In the industry hub.
        spec(
            "新街口甲服务中心",
            XINJIEKOU,
            "own_branch",
            5,
            false,
            false,
            true,
        ),
        // Covered by nothing.
        spec(
            "新街口乙服务中心",
            XINJIEKOU,
            "none",
            0,
            false,
            false,
            false,
        ),
        // The industry hub's own organization; reached by an instructor.
        spec("残疾人服务联合会", XINJIEKOU, "none", 0, true, false, false),
        // Deregistered: counted nowhere.
        spec(
            "新街口丙服务中心",
            XINJIEKOU,
            "none",
            0,
            false,
            false,
            false,
        ),
    ];
    v[X3].live = false;
    v
}

pub struct World {
    pub specs: Vec<Spec>,
    pub orgs: Vec<Organization>,
    pub hub_m: Hub,
    pub hub_i: Hub,
    /// Of Meiyuan street (assigned to the `instructor` specs).
    pub instructor: Instructor,
    /// Of Qinhuai district: not one Xuanwu organizations may be given.
    pub qinhuai_instructor: Instructor,
}

impl World {
    pub fn id(&self, i: usize) -> uuid::Uuid {
        self.orgs[i].id
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

async fn recognize(app: &TestApp, org: &Organization, d: RecognitionDraft) -> Hub {
    let j = app
        .store
        .jurisdiction(d.jurisdiction.as_deref().unwrap())
        .await
        .unwrap()
        .unwrap();
    let r = d
        .validate(today(), Some(j.level))
        .expect("valid recognition");
    app.store
        .recognize_hub(org.id, &r, "test")
        .await
        .expect("recognized")
}

pub async fn build(app: &TestApp) -> World {
    let specs = specs();
    let mut orgs = Vec::new();
    for (n, s) in specs.iter().enumerate() {
        let form = with(
            with(
                with(
                    with(org_form(900 + n as u32), "name", s.name),
                    "jurisdiction",
                    s.street,
                ),
                "party_org",
                s.party_org,
            ),
            "party_members",
            &s.party_members.to_string(),
        );
        orgs.push(seed_form(app, &form).await);
    }
    let instructor = app
        .store
        .create_instructor(
            &InstructorData {
                name: "王党建".into(),
                phone: Some(Phone::parse(INSTRUCTOR_PHONE).unwrap()),
                jurisdiction: JurisdictionCode::parse(MEIYUAN).unwrap(),
                workplace: "梅园新村街道党建工作站".into(),
            },
            "test",
        )
        .await
        .expect("instructor");
    let qinhuai_instructor = app
        .store
        .create_instructor(
            &InstructorData {
                name: "秦指导".into(),
                phone: None,
                jurisdiction: JurisdictionCode::parse(QINHUAI).unwrap(),
                workplace: String::new(),
            },
            "test",
        )
        .await
        .expect("instructor");
    for (i, s) in specs.iter().enumerate() {
        if s.instructor {
            app.store
                .set_party_building(
                    orgs[i].id,
                    &PartyBuilding {
                        party_org: PartyOrg::parse(s.party_org).unwrap(),
                        party_members: s.party_members,
                        instructor_id: Some(instructor.id),
                    },
                    "test",
                )
                .await
                .expect("instructor assigned");
        }
    }
    let hub_m = recognize(
        app,
        &orgs[HUB_M],
        RecognitionDraft {
            kind: Some("regional".into()),
            level: Some("street".into()),
            jurisdiction: Some(MEIYUAN.into()),
            base_body: None,
            fields: vec![],
            recognizing_body: Some("玄武区民政局".into()),
            document_number: Some("玄民〔2012〕12号".into()),
            recognized_on: Some("2012-03-01".into()),
            functions: vec!["cultivation".into()],
        },
    )
    .await;
    let hub_i = recognize(
        app,
        &orgs[HUB_I],
        RecognitionDraft {
            kind: Some("industry".into()),
            level: Some("district".into()),
            jurisdiction: Some(XUANWU.into()),
            base_body: Some("区残联".into()),
            fields: vec!["disability".into()],
            recognizing_body: Some("玄武区民政局".into()),
            document_number: Some("玄民〔2012〕13号".into()),
            recognized_on: Some("2012-03-01".into()),
            functions: vec!["centralized_services".into()],
        },
    )
    .await;
    for (i, s) in specs.iter().enumerate() {
        if s.regional {
            app.store
                .add_member(hub_m.id, orgs[i].id, false, today(), "test")
                .await
                .expect("regional member");
        }
        if s.industry {
            app.store
                .add_member(hub_i.id, orgs[i].id, false, today(), "test")
                .await
                .expect("industry member");
        }
    }
    for (i, s) in specs.iter().enumerate() {
        if !s.live {
            let change =
                StatusChange::parse(Some("deregistered"), Some("自行解散"), None, today()).unwrap();
            orgs[i] = app
                .store
                .change_status(orgs[i].id, &change, "test")
                .await
                .expect("deregistered");
        }
    }
    // Re-read: the rows as they stand after every write.
    for o in orgs.iter_mut() {
        *o = app.store.organization(o.id).await.unwrap().unwrap();
    }
    World {
        specs,
        orgs,
        hub_m,
        hub_i,
        instructor,
        qinhuai_instructor,
    }
}

/// The four figures of the live organizations `pick` selects, from the model:
/// party organization, party work, regional hub, industry hub.
pub fn expected(specs: &[Spec], pick: impl Fn(usize, &Spec) -> bool) -> [Share; 4] {
    let chosen: Vec<&Spec> = specs
        .iter()
        .enumerate()
        .filter(|(i, s)| s.live && pick(*i, s))
        .map(|(_, s)| s)
        .collect();
    let total = chosen.len() as i64;
    let count = |f: &dyn Fn(&Spec) -> bool| chosen.iter().filter(|s| f(s)).count() as i64;
    let share = |covered| Share { covered, total };
    [
        share(count(&|s| s.party_org != "none")),
        share(count(&|s| s.party_org != "none" || s.instructor)),
        share(count(&|s| s.regional)),
        share(count(&|s| s.industry)),
    ]
}

/// Names of the live organizations `pick` selects that fall in `gap`, sorted.
pub fn gap_names(specs: &[Spec], gap: &str, pick: impl Fn(usize, &Spec) -> bool) -> Vec<String> {
    let mut v: Vec<String> = specs
        .iter()
        .enumerate()
        .filter(|(i, s)| s.live && pick(*i, s))
        .filter(|(_, s)| match gap {
            "party_organization" => s.party_org == "none",
            "party_work" => s.party_org == "none" && !s.instructor,
            "regional_hub" => !s.regional,
            "industry_hub" => !s.industry,
            other => panic!("gap {other}"),
        })
        .map(|(_, s)| s.name.to_string())
        .collect();
    v.sort();
    v
}

/// Members of a hub in the model.
pub fn in_hub_m(_: usize, s: &Spec) -> bool {
    s.regional
}
pub fn in_hub_i(_: usize, s: &Spec) -> bool {
    s.industry
}
pub fn everyone(_: usize, _: &Spec) -> bool {
    true
}
pub fn in_street(street: &'static str) -> impl Fn(usize, &Spec) -> bool {
    move |_, s| s.street == street
}
