//! The service catalogue 服务目录 of the demo: the named organizations of the article
//! with the services the article describes (心灵保姆's companionship for elderly people
//! living alone, 阳光家园's day care for adults with disabilities, the autism training
//! centre's classes …), and for every other live organization one to three services
//! of its own domains, at a venue of its street, in its community or at home, with
//! believable schedules, fees and places; each declares its public contact (service
//! phone, hours, address). Written through the store's ordinary, audited writes.

use shuniu_domain::jurisdiction::JurisdictionCode;
use shuniu_domain::money::Fen;
use shuniu_domain::registry::{Organization, ServiceDomain};
use shuniu_domain::services::{Place, PublicContact, ServiceData, ServiceStatus};
use shuniu_store::{Store, StoreError, WriteCtx};

use crate::ACTOR;

/// What [`build`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Catalogue {
    pub services: usize,
    pub contacts: usize,
}

/// (name, target group, eligibility, schedule, fee in fen, capacity) per domain.
type Template = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<u32>,
);

fn templates(d: ServiceDomain) -> &'static [Template] {
    use ServiceDomain::*;
    match d {
        Elderly => &[
            (
                "老年助餐配送",
                "80岁以上及独居、失能老人",
                "本街道常住老人，经社区登记",
                "周一至周五 11:00–12:30",
                1200,
                Some(60),
            ),
            (
                "居家上门助浴",
                "失能、半失能老人",
                "经社区评估的失能老人",
                "每周二、周四 9:00–16:00，需提前预约",
                3000,
                Some(20),
            ),
            (
                "银龄智能手机课堂",
                "60岁以上老人",
                "",
                "每周三 14:30–16:00",
                0,
                Some(30),
            ),
            (
                "独居老人电话探访",
                "独居、空巢老人",
                "本街道户籍或常住",
                "每周一次，工作日 9:00–17:00",
                0,
                None,
            ),
        ],
        Children => &[
            (
                "四点半课堂",
                "小学一至四年级学生",
                "双职工家庭优先",
                "上学日 16:30–18:00",
                0,
                Some(40),
            ),
            (
                "周末亲子阅读",
                "3–8岁儿童及家长",
                "",
                "每周六 9:30–11:00",
                0,
                Some(25),
            ),
            (
                "暑期托管班",
                "小学生",
                "本街道常住家庭",
                "7月8日–8月23日 工作日 8:30–17:00",
                50000,
                Some(50),
            ),
        ],
        Disability => &[
            (
                "残疾人日间照料",
                "16–59岁智力、精神残疾人",
                "持残疾人证，本区户籍",
                "工作日 8:30–16:30",
                0,
                Some(30),
            ),
            (
                "康复训练指导",
                "肢体残疾人及家属",
                "持残疾人证",
                "每周一、三、五 9:00–11:30",
                0,
                Some(15),
            ),
            (
                "辅具适配上门服务",
                "行动不便的残疾人",
                "",
                "预约后两个工作日内上门",
                0,
                None,
            ),
        ],
        Employment => &[
            (
                "就业创业政策咨询",
                "失业人员、高校毕业生",
                "",
                "工作日 9:00–17:00",
                0,
                None,
            ),
            (
                "家政服务技能培训",
                "有就业意愿的居民",
                "本区常住，16–55岁",
                "每月第一周 周一至周五 9:00–16:00",
                0,
                Some(30),
            ),
            (
                "小微创业沙龙",
                "初创团队与个体工商户",
                "",
                "每月最后一个周四 19:00–21:00",
                2000,
                Some(40),
            ),
        ],
        Education => &[
            (
                "社区学堂·书法",
                "社区居民",
                "",
                "每周二 19:00–20:30",
                1500,
                Some(20),
            ),
            (
                "家庭教育讲座",
                "中小学生家长",
                "",
                "每月第二个周六 10:00–11:30",
                0,
                Some(80),
            ),
        ],
        CultureSports => &[
            (
                "空竹与健身操教学",
                "社区居民",
                "",
                "每天 7:00–8:30",
                0,
                Some(50),
            ),
            (
                "社区合唱团排练",
                "社区居民",
                "有一定演唱基础",
                "每周四 14:00–16:00",
                0,
                Some(40),
            ),
        ],
        SocialAffairs => &[
            (
                "邻里纠纷调解",
                "辖区居民",
                "",
                "工作日 9:00–17:00，可预约晚间",
                0,
                None,
            ),
            (
                "社区议事协商",
                "辖区居民与驻区单位",
                "",
                "每月第一个周三 19:00",
                0,
                Some(30),
            ),
        ],
        PublicWelfare => &[
            (
                "志愿服务对接",
                "有志愿服务意愿的居民",
                "年满16周岁",
                "工作日 9:00–17:00",
                0,
                None,
            ),
            (
                "困难家庭入户关怀",
                "低保、低边家庭",
                "经社区认定",
                "每月一次",
                0,
                Some(40),
            ),
        ],
        CharityRelief => &[
            (
                "临时困难救助申请受理",
                "遭遇突发困难的家庭",
                "本区户籍或常住满一年",
                "工作日 9:00–17:00",
                0,
                None,
            ),
            (
                "爱心衣物募集发放",
                "困难群众",
                "",
                "每月15日 9:00–11:00",
                0,
                None,
            ),
        ],
        Environment => &[
            (
                "垃圾分类入户指导",
                "社区居民",
                "",
                "每周六 9:00–11:00",
                0,
                None,
            ),
            (
                "旧物改造工作坊",
                "社区居民及青少年",
                "",
                "每月第三个周日 14:00–16:00",
                500,
                Some(20),
            ),
        ],
        PublicSecurity => &[
            ("平安巡防", "辖区居民", "", "每天 19:00–21:00", 0, None),
            (
                "防诈骗宣讲",
                "老年人及家属",
                "",
                "每月第二个周二 9:30–10:30",
                0,
                Some(60),
            ),
        ],
        Academic => &[(
            "专家公益讲座",
            "社区居民",
            "",
            "每季度一次，周六上午",
            0,
            Some(100),
        )],
        Other => &[("公益咨询", "社区居民", "", "工作日 9:00–17:00", 0, None)],
    }
}

/// The article's organizations and what they do (name fragment → services).
/// (name, category, target group, eligibility, schedule, fee in fen, capacity).
type Named = (
    &'static str,
    ServiceDomain,
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<u32>,
);

const NAMED: &[(&str, &[Named])] = &[
    (
        "心灵保姆",
        &[
            (
                "独居老人心灵陪护",
                ServiceDomain::Elderly,
                "独居、空巢及失独老人",
                "经社区或家属申请",
                "每周一至周五 9:00–17:00，上门陪伴每次约2小时",
                0,
                Some(80),
            ),
            (
                "临终关怀志愿服务",
                ServiceDomain::Elderly,
                "终末期老人及家属",
                "经医疗机构或社区转介",
                "预约后安排",
                0,
                Some(10),
            ),
        ],
    ),
    (
        "阳光家园",
        &[
            (
                "智力残疾人日间托养",
                ServiceDomain::Disability,
                "16–59岁智力、精神残疾人",
                "持残疾人证，本区户籍",
                "工作日 8:30–16:30，含午餐",
                800,
                Some(45),
            ),
            (
                "手工辅助性就业",
                ServiceDomain::Employment,
                "有劳动能力的残疾人",
                "持残疾人证",
                "工作日 9:00–15:00",
                0,
                Some(20),
            ),
        ],
    ),
    (
        "孤独症训练",
        &[
            (
                "孤独症儿童康复训练",
                ServiceDomain::Children,
                "2–12岁孤独症谱系儿童",
                "经医院诊断，需家长陪同评估",
                "工作日 8:30–17:00，每节课40分钟",
                15000,
                Some(30),
            ),
            (
                "家长喘息与培训",
                ServiceDomain::Disability,
                "孤独症儿童家长",
                "",
                "每月最后一个周六 9:00–12:00",
                0,
                Some(25),
            ),
        ],
    ),
    (
        "童书馆",
        &[(
            "绘本共读",
            ServiceDomain::Children,
            "3–8岁儿童及家长",
            "",
            "每周六、周日 10:00–11:00",
            0,
            Some(30),
        )],
    ),
    (
        "空竹协会",
        &[(
            "空竹公益教学",
            ServiceDomain::CultureSports,
            "社区居民，老少皆宜",
            "",
            "每天 7:00–8:30，玄武湖公园",
            0,
            Some(60),
        )],
    ),
    (
        "社会工作服务中心",
        &[
            (
                "个案社会工作服务",
                ServiceDomain::SocialAffairs,
                "困境家庭、青少年、老人",
                "经社区转介或自行申请",
                "工作日 9:00–17:30",
                0,
                None,
            ),
            (
                "困境儿童关爱",
                ServiceDomain::Children,
                "困境儿童及其家庭",
                "经民政部门认定",
                "每周随访",
                0,
                Some(40),
            ),
        ],
    ),
    (
        "院士专家服务站",
        &[(
            "院士专家科普讲座",
            ServiceDomain::Academic,
            "社区居民与青少年",
            "",
            "每月第二个周六 9:30–11:00",
            0,
            Some(120),
        )],
    ),
];

/// A stable small number from an organization's name, so that the demo's catalogue is
/// the same run to run and on either engine. (Not from its id: ids are UUIDv7, new on
/// every run, and picking by them gave 2,320 services on one load and 2,318 on another.)
fn pick(o: &Organization, salt: u64) -> u64 {
    // FNV-1a over the name's bytes, then the salt mixed in before the multiply.
    let h = o.data.name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (h ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(6_364_136_223_846_793_005) >> 33
}

fn contact(o: &Organization) -> PublicContact {
    // An organization's landline is its own; a mobile is a person's, so the public
    // service line is a landline of its own.
    let phone = match &o.data.contact_phone {
        Some(p) if !p.is_mobile() => p.clone(),
        _ => shuniu_domain::codes::Phone::parse(&format!("025-8{:07}", pick(o, 7) % 10_000_000))
            .expect("a Nanjing landline"),
    };
    let hours = [
        "周一至周五 8:30–17:30",
        "周一至周六 9:00–17:00",
        "每天 8:00–20:00",
        "工作日 9:00–17:00，周末预约",
    ];
    PublicContact {
        service_phone: phone,
        service_hours: hours[(pick(o, 3) % 4) as usize].into(),
        address: o.data.address.clone(),
    }
}

/// Writes the catalogue for the live organizations of `created`; `venues` are
/// (venue id, street path) of the demo's venues.
pub(crate) async fn build(
    store: &Store,
    created: &[Organization],
    venues: &[(uuid::Uuid, String)],
) -> Result<Catalogue, StoreError> {
    let ctx = || WriteCtx::system(ACTOR);
    let mut out = Catalogue::default();
    for o in created {
        store.set_public_contact(o.id, &contact(o), ctx()).await?;
        out.contacts += 1;
        let path = store
            .jurisdiction(o.data.jurisdiction.as_str())
            .await?
            .map(|j| j.path)
            .unwrap_or_default();
        // A venue of the organization's street (paths share the street's prefix).
        let venue = venues
            .iter()
            .find(|(_, p)| {
                let street: String = p.split_inclusive('/').take(4).collect();
                street.matches('/').count() == 4 && path.starts_with(&street)
            })
            .map(|(id, _)| *id);
        let mut list: Vec<ServiceData> = Vec::new();
        if let Some((_, named)) = NAMED.iter().find(|(n, _)| o.data.name.contains(n)) {
            for (i, (name, category, target, elig, schedule, fee, cap)) in named.iter().enumerate()
            {
                list.push(ServiceData {
                    name: (*name).into(),
                    category: *category,
                    target_group: (*target).into(),
                    eligibility: (*elig).into(),
                    place: place(o, venue, i as u64),
                    schedule: (*schedule).into(),
                    fee: Fen(*fee),
                    capacity: *cap,
                    status: ServiceStatus::Active,
                });
            }
        } else {
            // One to three services from the organization's own domains.
            let n = 1 + (pick(o, 1) % 3) as usize;
            for i in 0..n {
                let d = o
                    .data
                    .domains
                    .get(i % o.data.domains.len().max(1))
                    .copied()
                    .unwrap_or(ServiceDomain::Other);
                let ts = templates(d);
                let (name, target, elig, schedule, fee, cap) =
                    ts[((pick(o, 2) as usize) + i) % ts.len()];
                if list.iter().any(|s| s.name == name) {
                    continue;
                }
                list.push(ServiceData {
                    name: name.into(),
                    category: d,
                    target_group: target.into(),
                    eligibility: elig.into(),
                    place: place(o, venue, i as u64 + pick(o, 5)),
                    schedule: schedule.into(),
                    fee: Fen(fee),
                    capacity: cap,
                    // A few are paused or over.
                    status: match pick(o, 11 + i as u64) % 20 {
                        0 => ServiceStatus::Paused,
                        1 => ServiceStatus::Ended,
                        _ => ServiceStatus::Active,
                    },
                });
            }
        }
        for s in &list {
            match store.create_service(o.id, s, ctx()).await {
                Ok(_) => out.services += 1,
                // Deregistered by the demo's history after it was created: no services.
                Err(StoreError::State(_)) => break,
                Err(e) => return Err(e),
            }
        }
    }
    Ok(out)
}

/// At the street's venue, in the organization's community, or at home, in turn.
fn place(o: &Organization, venue: Option<uuid::Uuid>, i: u64) -> Place {
    match (i % 3, venue) {
        (0, Some(venue_id)) => Place::Venue { venue_id },
        (1, _) => Place::Community {
            jurisdiction: JurisdictionCode::parse(o.data.jurisdiction.as_str())
                .expect("a stored code"),
        },
        _ => Place::Home,
    }
}
