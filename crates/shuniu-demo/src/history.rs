//! The demo's registry history since the hub system began (2011–2012), written through
//! the store's ordinary (audited) functions after the organizations, the hub structure
//! and the annual reports:
//!
//! * the communities 社区 under each street, as jurisdiction nodes;
//! * the assessment grades, in yearly batches (rounds of 2013, 2015, … announced each
//!   December by the registration authority — the district, or the city 南京市 for
//!   foundations): the latest district round run through the store
//!   ([`crate::assessments`]), the others recorded from the authorities' registers;
//!   awards five years old or more have expired, so some organizations show an expired
//!   grade and no current one;
//! * a few organizations suspended after failing annual inspection (one of them
//!   reinstated after correcting), a few deregistered, with dates and reasons;
//! * change registrations 变更登记: some approved (the record changed), one returned
//!   with a reason, a few pending in the officials' queue.
//!
//! Every date is a working day; document numbers follow their dates.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Days, NaiveDate};
use shuniu_domain::jurisdiction::{Jurisdiction, JurisdictionCode, Level};
use shuniu_domain::registry::{Grade, LegalForm, OrgStatus, Organization, StatusChange};
use shuniu_domain::supervision::add_working_days;
use shuniu_domain::supervision::changes::{ChangeAction, ChangeDecision, ChangeDraft};
use shuniu_store::{HubFilter, Store, StoreError, WriteCtx};
use uuid::Uuid;

use crate::ACTOR;
use crate::calendar::{working_day_before, working_day_within};
use crate::reports::Story;
use crate::tables;

/// What [`build`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct History {
    pub communities: usize,
    /// Grade awards recorded (in force or since expired).
    pub grade_awards: usize,
    /// Of those, expired by today.
    pub grades_expired: usize,
    /// The latest round run through the store: applications, and grades it awarded.
    pub round_applications: usize,
    pub round_awards: usize,
    pub suspended: usize,
    pub reinstated: usize,
    pub deregistered: usize,
    pub changes_approved: usize,
    pub changes_returned: usize,
    pub changes_pending: usize,
}

/// The article's organizations (and the demo accounts' own): their records stay as the
/// article describes them.
const NAMED: [&str; 9] = [
    "梅园新村街道社会组织发展促进会",
    "东南大学社区院士专家服务站",
    "南京玄武一家圆心灵保姆服务中心",
    "南京玄武城市符号文化交流中心",
    "梅园阳光家园残疾人托养中心",
    "玄武区社会工作服务中心",
    "南京市玄武区儿童孤独症训练中心",
    "玄武区空竹协会",
    "南京玄武福禄贝尔童书馆",
];

fn ctx() -> WriteCtx {
    WriteCtx::system(ACTOR)
}

/// The working day `n` working days after `d`, never after `today`.
fn later(d: NaiveDate, n: u32, today: NaiveDate) -> NaiveDate {
    working_day_within(add_working_days(d, n).min(today), today).max(d.min(today))
}

pub(crate) async fn build(
    store: &Store,
    today: NaiveDate,
    orgs: &[Organization],
    awards: &HashMap<String, (Grade, NaiveDate)>,
    story: &Story,
) -> Result<History, StoreError> {
    let mut h = History::default();
    communities(store, &mut h).await?;
    grades(store, today, orgs, awards, &mut h).await?;
    // Organizations the rest of the story leaves alone: hubs, the article's named cases
    // and those whose missing reports the credit story is about.
    let mut spared: HashSet<Uuid> = story.missing.clone();
    let filter = HubFilter {
        include_revoked: true,
        ..HubFilter::default()
    };
    let hubs = store.list_hubs(&filter, 1, 200).await?;
    spared.extend(hubs.items.iter().map(|h| h.organization_id));
    spared.extend(
        orgs.iter()
            .filter(|o| NAMED.contains(&o.data.name.as_str()))
            .map(|o| o.id),
    );
    statuses(store, today, orgs, story, &mut spared, &mut h).await?;
    changes(store, today, orgs, &spared, &mut h).await?;
    Ok(h)
}

/// Each street's communities (the tables' names), coded street + 001, 002, …
async fn communities(store: &Store, h: &mut History) -> Result<(), StoreError> {
    for s in &tables::STREETS {
        let Some(street) = store.jurisdiction(s.code).await? else {
            continue;
        };
        let existing: HashSet<String> = store
            .jurisdiction_children(s.code)
            .await?
            .into_iter()
            .map(|j| j.code.to_string())
            .collect();
        for (i, (name, _)) in s.communities.iter().enumerate() {
            let code = format!("{}{:03}", &s.code[..9], i + 1);
            if existing.contains(&code) {
                continue;
            }
            let code = JurisdictionCode::parse(&code).expect("a 12-digit code");
            let j = Jurisdiction {
                path: format!("{}{}/", street.path, code.as_str()),
                parent: Some(street.code.clone()),
                code,
                name_zh: format!("{name}社区"),
                name_en: format!("{} Community", tables::community_en(name)),
                level: Level::Community,
            };
            store.add_jurisdiction(&j).await?;
            h.communities += 1;
        }
    }
    Ok(())
}

/// The grades of each round, as recorded in the authority's register: one decision per
/// authority and round (its number later in the year than the year's other decisions),
/// then the awards of five years or more expire.
async fn grades(
    store: &Store,
    today: NaiveDate,
    orgs: &[Organization],
    awards: &HashMap<String, (Grade, NaiveDate)>,
    h: &mut History,
) -> Result<(), StoreError> {
    // The latest round as the authority ran it; the rest from the registers.
    let round = crate::assessments::run(store, today, orgs, awards).await?;
    h.round_applications = round.applications;
    h.round_awards = round.awarded;
    for o in orgs {
        let Some(&(grade, on)) = awards.get(&o.data.name) else {
            continue;
        };
        if round.awarded_to.contains(&o.id) {
            h.grade_awards += 1;
            continue;
        }
        let year = on.year();
        // One decision a round: the district's 玄民〔Y〕6x号, the city's 宁民〔Y〕1xx号.
        let document = if o.data.legal_form == LegalForm::Foundation {
            format!("宁民〔{year}〕{}号", 100 + (year - 2000))
        } else {
            format!("玄民〔{year}〕{}号", 60 + (year - 2010))
        };
        store
            .import_grade(o.id, grade, on, &document, ctx())
            .await?;
        h.grade_awards += 1;
        if Grade::expiry(on) <= today {
            h.grades_expired += 1;
        }
    }
    store.expire_grades(today, ctx()).await?;
    Ok(())
}

/// Suspensions after failed annual inspections (the first reinstated after correcting)
/// and deregistrations: filed community organizations that stopped meeting, and one
/// institution that dissolved.
async fn statuses(
    store: &Store,
    today: NaiveDate,
    orgs: &[Organization],
    story: &Story,
    spared: &mut HashSet<Uuid>,
    h: &mut History,
) -> Result<(), StoreError> {
    let mut suspended = 0;
    for &(id, reviewed_on) in &story.unqualified {
        if suspended == 3 || spared.contains(&id) {
            continue;
        }
        let on = later(reviewed_on, 20, today);
        let change = StatusChange {
            status: OrgStatus::Suspended,
            reason: "年度检查不合格，责令停止活动，限期整改".into(),
            effective_on: on,
        };
        store.change_status(id, &change, ctx()).await?;
        spared.insert(id);
        h.suspended += 1;
        if suspended == 0 {
            let back = later(on, 60, today);
            if back > on {
                let change = StatusChange {
                    status: OrgStatus::Active,
                    reason: "整改完毕，经复查合格，恢复活动".into(),
                    effective_on: back,
                };
                store.change_status(id, &change, ctx()).await?;
                h.reinstated += 1;
            }
        }
        suspended += 1;
    }
    // Deregistered: by position, so the same demo tells the same story.
    let filed: Vec<&Organization> = orgs
        .iter()
        .filter(|o| o.data.legal_form == LegalForm::CommunityFiled && !spared.contains(&o.id))
        .collect();
    let institutions: Vec<&Organization> = orgs
        .iter()
        .filter(|o| {
            o.data.legal_form == LegalForm::SocialServiceInstitution
                && o.data.grade.is_none()
                && !spared.contains(&o.id)
        })
        .collect();
    let mut chosen: Vec<(&Organization, &str)> = Vec::new();
    for k in [7, 3, 5] {
        if let Some(o) = filed.get(filed.len() * k / 11) {
            chosen.push((o, "团队活动长期停止，经社区同意注销备案"));
        }
    }
    if let Some(o) = institutions.get(institutions.len() * 5 / 9) {
        chosen.push((o, "理事会决议解散，清算完毕，申请注销登记"));
    }
    for (i, (o, reason)) in chosen.into_iter().enumerate() {
        if !store.memberships_of(o.id).await?.is_empty() {
            continue;
        }
        // In the past few years, each a while after its founding.
        let wanted = NaiveDate::from_ymd_opt(2020 + 2 * i as i32, 3 + 2 * i as u32, 14)
            .expect("a valid date")
            .max(o.data.founded_on + Days::new(400));
        let on = working_day_within(wanted.min(today), today);
        let change = StatusChange {
            status: OrgStatus::Deregistered,
            reason: reason.into(),
            effective_on: on,
        };
        store.change_status(o.id, &change, ctx()).await?;
        spared.insert(o.id);
        h.deregistered += 1;
    }
    Ok(())
}

/// One change registration of the demo: which candidate, what it changes, how many
/// days before today it was submitted, and the decision (none: pending).
struct Plan {
    which: usize,
    changes: &'static [(&'static str, &'static str)],
    days_ago: u64,
    decision: Option<(ChangeAction, &'static str)>,
}

/// Change registrations of district-registered organizations: three approved and one
/// returned in the past two years, three pending (submitted in the last fortnight).
async fn changes(
    store: &Store,
    today: NaiveDate,
    orgs: &[Organization],
    spared: &HashSet<Uuid>,
    h: &mut History,
) -> Result<(), StoreError> {
    let candidates: Vec<&Organization> = orgs
        .iter()
        .filter(|o| {
            matches!(
                o.data.legal_form,
                LegalForm::SocialGroup | LegalForm::SocialServiceInstitution
            ) && !spared.contains(&o.id)
                && o.data.founded_on < today - Days::new(800)
        })
        .collect();
    if candidates.len() < 20 {
        return Ok(());
    }
    let pick = |k: usize| candidates[candidates.len() * k / 23];
    let plans = [
        Plan {
            which: 2,
            changes: &[("legal_representative", "许文静")],
            days_ago: 420,
            decision: Some((ChangeAction::Approve, "")),
        },
        Plan {
            which: 5,
            changes: &[(
                "business_scope",
                "社区居家养老服务、助餐服务、适老化改造咨询",
            )],
            days_ago: 300,
            decision: Some((ChangeAction::Approve, "")),
        },
        Plan {
            which: 8,
            changes: &[("registered_capital", "50000")],
            days_ago: 150,
            decision: Some((ChangeAction::Approve, "")),
        },
        Plan {
            which: 11,
            changes: &[("legal_representative", "孙立新")],
            days_ago: 90,
            decision: Some((
                ChangeAction::Return,
                "会员（代表）大会决议缺少到会人员签到表，请补正后重新申请",
            )),
        },
        Plan {
            which: 14,
            changes: &[("legal_representative", "钱晓燕")],
            days_ago: 12,
            decision: None,
        },
        Plan {
            which: 17,
            changes: &[(
                "business_scope",
                "青少年课后托管、亲子阅读推广、家庭教育指导",
            )],
            days_ago: 8,
            decision: None,
        },
        Plan {
            which: 20,
            changes: &[("registered_capital", "30000")],
            days_ago: 3,
            decision: None,
        },
    ];
    for Plan {
        which,
        changes: pairs,
        days_ago,
        decision,
    } in plans
    {
        let o = pick(which);
        let submitted = working_day_before(today - Days::new(days_ago));
        let extras = store.registration_extras(o.id).await?;
        let draft = ChangeDraft {
            changes: pairs
                .iter()
                .map(|(f, v)| (f.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>(),
            attachments: vec![
                format!("理事会（会员大会）决议（{}年）", submitted.year()),
                "变更登记申请表".into(),
            ],
            note: None,
        };
        // A value the record already holds is not a change: skip that plan.
        let Ok(req) = draft.validate(&o.data, &extras, submitted) else {
            continue;
        };
        let app = store
            .submit_change_application(o.id, &req, submitted, ctx())
            .await?;
        match decision {
            None => h.changes_pending += 1,
            Some((action, reason)) => {
                let decided = later(submitted, 10, today);
                let d = ChangeDecision {
                    action,
                    reason: (!reason.is_empty()).then(|| reason.to_string()),
                };
                store
                    .decide_change_application(app.id, &d, decided, ctx())
                    .await?;
                match action {
                    ChangeAction::Approve => h.changes_approved += 1,
                    _ => h.changes_returned += 1,
                }
            }
        }
    }
    Ok(())
}
