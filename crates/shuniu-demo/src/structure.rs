//! The hub structure on top of the 1,379 organizations (DOMAIN.md §2–3): Xuanwu's core,
//! a regional hub in every street with its members, four industry hubs, the service
//! parks with rooms and bookings, and party-building instructors.
//!
//! Everything is written through the `Store`'s ordinary functions, so it is validated,
//! kept in the change histories and audited like any user's work. Choices are drawn from
//! a seeded generator: the same `today` gives the same structure.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shuniu_domain::codes::Phone;
use shuniu_domain::hubs::{
    HubCore, HubFunction, HubKind, HubLevel, MembershipAction, MembershipDecision, Recognition,
};
use shuniu_domain::jurisdiction::JurisdictionCode;
use shuniu_domain::parks::{
    AllocationRequest, BookingRequest, BookingRules, ObligationReportData, Quarter, SpaceData,
    SpaceKind, VenueData, shanghai,
};
use shuniu_domain::party::{InstructorData, PartyBuilding};
use shuniu_domain::registry::{Organization, PartyOrg, ServiceDomain};
use shuniu_store::{Store, StoreError, WriteCtx};
use uuid::Uuid;

use crate::ACTOR;
use crate::calendar::working_day_within;
use crate::tables::{self, XUANWU};
use shuniu_domain::supervision::add_working_days;

const STRUCTURE_SEED: u64 = 0x0011_2012_0802; // "1+1", the article's day

pub const MEIYUAN: &str = "320102002000";
pub const SUOJIN: &str = "320102007000";

/// The district's core 核.
pub const CORE_NAME: &str = "玄武区社会组织党建工作委员会";

/// The five initiating units 发起单位 of Meiyuan's promotion association (end of 2011).
pub const MEIYUAN_INITIATING: [&str; 5] = [
    "东南大学社区院士专家服务站",
    "南京玄武一家圆心灵保姆服务中心",
    "南京玄武城市符号文化交流中心",
    "梅园阳光家园残疾人托养中心",
    "玄武区社会工作服务中心",
];

/// Meiyuan's member units, initiating units included (DOMAIN.md §3).
pub const MEIYUAN_MEMBERS: usize = 36;
/// Suojincun's party-building workstation serves "70+" organizations.
pub const SUOJIN_MEMBERS: usize = 76;

/// The service park at 梅园新村34号.
pub const MEIYUAN_VENUE_ADDRESS: &str = "梅园新村34号";

/// An industry hub 行业性枢纽: the organization, the people's organization it is built
/// on, the fields it leads.
struct Industry {
    organization: &'static str,
    base_body: &'static str,
    fields: &'static [ServiceDomain],
    recognized: (i32, u32, u32),
    document: &'static str,
}

const INDUSTRY: [Industry; 4] = [
    Industry {
        organization: "玄武区助残社会组织联合会",
        base_body: "玄武区残疾人联合会",
        fields: &[ServiceDomain::Disability],
        recognized: (2013, 5, 16),
        document: "玄民〔2013〕31号",
    },
    Industry {
        organization: "玄武区青少年社会组织联合会",
        base_body: "共青团南京市玄武区委员会",
        fields: &[ServiceDomain::Children, ServiceDomain::Education],
        recognized: (2013, 5, 16),
        document: "玄民〔2013〕32号",
    },
    Industry {
        organization: "玄武区妇女儿童社会组织联合会",
        base_body: "玄武区妇女联合会",
        fields: &[ServiceDomain::Children, ServiceDomain::SocialAffairs],
        recognized: (2013, 9, 10),
        document: "玄民〔2013〕47号",
    },
    Industry {
        organization: "玄武区职工服务社会组织联合会",
        base_body: "玄武区总工会",
        fields: &[ServiceDomain::Employment],
        recognized: (2013, 11, 20),
        document: "玄民〔2013〕58号",
    },
];

/// Party-building instructors: name, phone, where they work, jurisdiction, how many
/// organizations without a party organization they take on (`usize::MAX`: all of them,
/// shared with the others of the same place).
const INSTRUCTORS: [(&str, &str, &str, &str, usize); 7] = [
    (
        "陈卫东",
        "13913801526",
        "锁金村街道社会组织党建工作站",
        SUOJIN,
        usize::MAX,
    ),
    (
        "刘海燕",
        "13770612348",
        "锁金村街道社会组织党建工作站",
        SUOJIN,
        usize::MAX,
    ),
    (
        "吴建国",
        "15105183367",
        "锁金村街道社会组织党建工作站",
        SUOJIN,
        usize::MAX,
    ),
    ("周慧", "13851725590", "梅园新村街道党工委", MEIYUAN, 12),
    (
        "郑丽",
        "18951709263",
        "新街口街道党工委",
        "320102003000",
        10,
    ),
    (
        "孙志强",
        "13605171842",
        "红山街道党工委",
        "320102008000",
        10,
    ),
    ("黄明", "13813960275", CORE_NAME, XUANWU, 8),
];

/// What the structure holds, for the load summary.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Built {
    pub core: bool,
    pub regional_hubs: usize,
    pub industry_hubs: usize,
    /// Active memberships (regional and industry).
    pub memberships: usize,
    /// Applications waiting for a decision.
    pub pending: usize,
    pub venues: usize,
    pub spaces: usize,
    pub office_allocations: usize,
    pub bookings: usize,
    pub obligation_reports: usize,
    pub instructors: usize,
    /// Organizations with an instructor assigned.
    pub instructed: usize,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid literal date")
}

fn code(s: &str) -> JurisdictionCode {
    JurisdictionCode::parse(s).expect("reference code")
}

fn previous(q: Quarter) -> Quarter {
    if q.quarter == 1 {
        Quarter {
            year: q.year - 1,
            quarter: 4,
        }
    } else {
        Quarter {
            year: q.year,
            quarter: q.quarter - 1,
        }
    }
}

/// A local time in Shanghai on `day`, as UTC.
fn at(day: NaiveDate, minutes: u32) -> DateTime<Utc> {
    let t = day
        .and_hms_opt(minutes / 60, minutes % 60, 0)
        .expect("valid time");
    shanghai()
        .from_local_datetime(&t)
        .single()
        .expect("fixed offset")
        .with_timezone(&Utc)
}

struct Builder<'a> {
    store: &'a Store,
    today: NaiveDate,
    ctx: WriteCtx,
    rng: ChaCha8Rng,
    orgs: &'a [Organization],
    by_name: HashMap<&'a str, &'a Organization>,
    /// Organizations that hold a recognition: never anyone's member here.
    hubs: HashSet<Uuid>,
    /// Each hub's recognition date: no membership is older.
    since: HashMap<Uuid, NaiveDate>,
    built: Built,
}

/// Builds the structure over `orgs` (the organizations just loaded).
pub(crate) async fn build(
    store: &Store,
    today: NaiveDate,
    orgs: &[Organization],
) -> Result<Built, StoreError> {
    let mut b = Builder {
        store,
        today,
        ctx: WriteCtx::system(ACTOR),
        rng: ChaCha8Rng::seed_from_u64(STRUCTURE_SEED),
        orgs,
        by_name: orgs.iter().map(|o| (o.data.name.as_str(), o)).collect(),
        hubs: HashSet::new(),
        since: HashMap::new(),
        built: Built::default(),
    };
    b.core().await?;
    let regional = b.regional_hubs().await?;
    b.regional_members(&regional).await?;
    b.industry_hubs().await?;
    b.venues(&regional).await?;
    b.instructors().await?;
    Ok(b.built)
}

impl<'a> Builder<'a> {
    fn named(&self, name: &str) -> Result<&'a Organization, StoreError> {
        self.by_name
            .get(name)
            .copied()
            .ok_or_else(|| StoreError::State(format!("demo organization {name} is missing")))
    }

    /// Recognition dates follow the organization's founding and stay within `today`,
    /// on a working day.
    fn on_or_after(&self, wanted: NaiveDate, org: &Organization) -> NaiveDate {
        working_day_within(wanted.max(org.data.founded_on), self.today)
    }

    /// A working day between `from` and `today`, earlier days more likely (most members
    /// joined in the hub's first years).
    fn day_after(&mut self, from: NaiveDate) -> NaiveDate {
        let from = from.min(self.today);
        let span = (self.today - from).num_days().max(0) as f64;
        let u: f64 = self.rng.gen_range(0.0..1.0);
        let d = from + Days::new((u * u * span) as u64);
        working_day_within(d, self.today).max(from)
    }

    /// When `org` could first join `hub`: the later of the hub's recognition and the
    /// organization's founding.
    fn joinable(&self, hub: Uuid, org: &Organization) -> NaiveDate {
        self.since
            .get(&hub)
            .copied()
            .unwrap_or(self.today)
            .max(org.data.founded_on)
    }

    /// A decision `days` working days after `applied`, never after today.
    fn decided(&self, applied: NaiveDate, days: u32) -> NaiveDate {
        working_day_within(add_working_days(applied, days).min(self.today), self.today).max(applied)
    }

    async fn core(&mut self) -> Result<(), StoreError> {
        let core = HubCore {
            jurisdiction: code(XUANWU),
            name_zh: CORE_NAME.into(),
            name_en: "Xuanwu District Social Organization Party-Building Work Committee".into(),
        };
        self.store.set_hub_core(&core, &self.ctx).await?;
        self.built.core = true;
        Ok(())
    }

    /// The street's promotion association is its regional hub; Meiyuan's was the pilot.
    /// Returns the hub ids by street code.
    async fn regional_hubs(&mut self) -> Result<HashMap<&'static str, Uuid>, StoreError> {
        let mut out = HashMap::new();
        let mut planned = Vec::new();
        for (i, s) in tables::STREETS.iter().enumerate() {
            let org = self.named(&format!("{}社会组织发展促进会", s.name))?;
            let wanted = if s.code == MEIYUAN {
                date(2012, 3, 1)
            } else {
                // Rolled out street by street once the association was registered.
                org.data.founded_on + Days::new(40 + 15 * i as u64)
            };
            planned.push((self.on_or_after(wanted, org), s, org));
        }
        // Document numbers follow the dates: Meiyuan's pilot was 〔2012〕12号, the
        // others' numbers in the order of their decisions, per year.
        planned.sort_by_key(|p| (p.0, p.1.code));
        let mut next: HashMap<i32, u32> = HashMap::new();
        for (on, s, org) in planned {
            let number = if s.code == MEIYUAN {
                12
            } else {
                let n = next
                    .entry(on.year())
                    .or_insert(if on.year() == 2012 { 20 } else { 2 });
                *n += 1;
                *n - 1
            };
            let recognition = Recognition {
                kind: HubKind::Regional,
                level: HubLevel::Street,
                jurisdiction: code(s.code),
                base_body: String::new(),
                fields_mask: 0,
                recognizing_body: "玄武区民政局".into(),
                document_number: format!("玄民〔{}〕{number}号", on.year()),
                recognized_on: on,
                functions_mask: HubFunction::mask(HubFunction::ALL),
            };
            let hub = self
                .store
                .recognize_hub(org.id, &recognition, &self.ctx)
                .await?;
            self.hubs.insert(org.id);
            self.since.insert(hub.id, on);
            out.insert(s.code, hub.id);
            self.built.regional_hubs += 1;
        }
        Ok(out)
    }

    /// Live organizations of a street that are not hubs, shuffled.
    fn street_candidates(&mut self, street: &str) -> Vec<&'a Organization> {
        let mut v: Vec<&Organization> = self
            .orgs
            .iter()
            .filter(|o| o.data.jurisdiction.as_str() == street && !self.hubs.contains(&o.id))
            .collect();
        v.shuffle(&mut self.rng);
        v
    }

    async fn regional_members(
        &mut self,
        hubs: &HashMap<&'static str, Uuid>,
    ) -> Result<(), StoreError> {
        for s in &tables::STREETS {
            let hub = hubs[s.code];
            let mut candidates = self.street_candidates(s.code);
            if s.code == MEIYUAN {
                let initiating: Vec<&Organization> = MEIYUAN_INITIATING
                    .iter()
                    .map(|n| self.named(n))
                    .collect::<Result<_, _>>()?;
                for o in &initiating {
                    // The initiating units were members from the hub's first day.
                    let on = self.joinable(hub, o);
                    self.store
                        .add_member(hub, o.id, true, on, &self.ctx)
                        .await?;
                    self.built.memberships += 1;
                }
                // The other members in the association's five fields.
                use ServiceDomain::*;
                let fields = [
                    SocialAffairs,
                    PublicWelfare,
                    CultureSports,
                    Academic,
                    CharityRelief,
                ];
                candidates.retain(|o| {
                    !initiating.iter().any(|i| i.id == o.id)
                        && o.data.domains.iter().any(|d| fields.contains(d))
                });
                self.populate(
                    hub,
                    &candidates,
                    MEIYUAN_MEMBERS - initiating.len(),
                    2,
                    0,
                    0,
                )
                .await?;
            } else {
                let active = if s.code == SUOJIN {
                    SUOJIN_MEMBERS
                } else {
                    // A realistic share: a third or so of the street's organizations.
                    (candidates.len() as f64 * self.rng.gen_range(0.28..0.42)) as usize
                };
                let pending = self.rng.gen_range(2..=3);
                self.populate(hub, &candidates, active, pending, 1, 1)
                    .await?;
            }
        }
        Ok(())
    }

    /// From `candidates`, in order: `active` members (most added by the hub, some
    /// through an approved application), `pending` applications, `rejected` ones, and
    /// members who `left` — distinct organizations, so the regional rule holds.
    async fn populate(
        &mut self,
        hub: Uuid,
        candidates: &[&Organization],
        active: usize,
        pending: usize,
        rejected: usize,
        left: usize,
    ) -> Result<(), StoreError> {
        // Each on its own dates: joined (or applied, decided a few working days later)
        // between the hub's recognition and today; pending applications are recent.
        let mut it = candidates.iter();
        let (store, today, ctx) = (self.store, self.today, self.ctx.clone());
        for k in 0..active {
            let Some(o) = it.next() else { break };
            let on = self.day_after(self.joinable(hub, o));
            if k % 4 == 3 {
                let m = store.apply_membership(hub, o.id, on, &ctx).await?;
                let approve = MembershipDecision {
                    action: MembershipAction::Approve,
                    reason: String::new(),
                };
                let wait = self.rng.gen_range(2..=8);
                let decided = self.decided(on, wait);
                store
                    .decide_membership(m.id, &approve, decided, &ctx)
                    .await?;
            } else {
                store.add_member(hub, o.id, false, on, &ctx).await?;
            }
            self.built.memberships += 1;
        }
        for _ in 0..pending {
            let Some(o) = it.next() else { break };
            let recent = today - Days::new(self.rng.gen_range(3..=20));
            let on = working_day_within(recent, today).max(self.joinable(hub, o));
            store.apply_membership(hub, o.id, on, &ctx).await?;
            self.built.pending += 1;
        }
        for _ in 0..rejected {
            let Some(o) = it.next() else { break };
            let on = self.day_after(self.joinable(hub, o));
            let m = store.apply_membership(hub, o.id, on, &ctx).await?;
            let reject = MembershipDecision {
                action: MembershipAction::Reject,
                reason: "备案信息未更新，请更新后重新申请".into(),
            };
            let wait = self.rng.gen_range(3..=10);
            let decided = self.decided(on, wait);
            store
                .decide_membership(m.id, &reject, decided, &ctx)
                .await?;
        }
        for _ in 0..left {
            let Some(o) = it.next() else { break };
            let on = self.day_after(self.joinable(hub, o));
            let m = store.add_member(hub, o.id, false, on, &ctx).await?;
            let leave = MembershipDecision {
                action: MembershipAction::Leave,
                reason: "活动场所迁出本街道".into(),
            };
            let left_on = self.day_after(on);
            store.decide_membership(m.id, &leave, left_on, &ctx).await?;
        }
        Ok(())
    }

    async fn industry_hubs(&mut self) -> Result<(), StoreError> {
        let mut recognized = Vec::new();
        for ind in &INDUSTRY {
            let org = self.named(ind.organization)?;
            let (y, m, d) = ind.recognized;
            let recognition = Recognition {
                kind: HubKind::Industry,
                level: HubLevel::District,
                jurisdiction: code(XUANWU),
                base_body: ind.base_body.into(),
                fields_mask: ServiceDomain::mask(ind.fields),
                recognizing_body: "玄武区民政局".into(),
                document_number: ind.document.into(),
                recognized_on: self.on_or_after(date(y, m, d), org),
                functions_mask: HubFunction::mask(&[
                    HubFunction::PoliticalGuidance,
                    HubFunction::Cultivation,
                    HubFunction::CentralizedServices,
                ]),
            };
            let hub = self
                .store
                .recognize_hub(org.id, &recognition, &self.ctx)
                .await?;
            self.hubs.insert(org.id);
            self.since.insert(hub.id, recognition.recognized_on);
            recognized.push((hub.id, ind.fields));
            self.built.industry_hubs += 1;
        }
        // Members from the hub's fields, anywhere in the district.
        for (hub, fields) in recognized {
            let mut candidates: Vec<&Organization> = self
                .orgs
                .iter()
                .filter(|o| {
                    !self.hubs.contains(&o.id) && o.data.domains.iter().any(|d| fields.contains(d))
                })
                .collect();
            candidates.shuffle(&mut self.rng);
            let active = ((candidates.len() as f64 * 0.4) as usize).clamp(12, 60);
            self.populate(hub, &candidates, active, 1, 0, 0).await?;
        }
        Ok(())
    }

    async fn venues(&mut self, hubs: &HashMap<&'static str, Uuid>) -> Result<(), StoreError> {
        // 梅园新村34号: one of Nanjing's hundred Republic-era buildings, lent free.
        let meiyuan = VenueData {
            name: "梅园新村街道社会组织服务园".into(),
            address: MEIYUAN_VENUE_ADDRESS.into(),
            jurisdiction: code(MEIYUAN),
            area_m2: 400,
            owner: "梅园新村街道办事处".into(),
            free_of_charge: true,
            terms: "街道无偿提供使用，水电费全免；入驻组织须服务本地居民。".into(),
            utilities_waived: true,
            obligation: "服务本地居民".into(),
            obligation_hours_per_quarter: 120,
        };
        let spaces = [
            ("101 办公室", SpaceKind::Office, 4, 18),
            ("102 办公室", SpaceKind::Office, 4, 18),
            ("103 办公室", SpaceKind::Office, 6, 24),
            ("201 办公室", SpaceKind::Office, 6, 24),
            ("一楼多功能活动室", SpaceKind::ActivityRoom, 40, 80),
            ("二楼书画活动室", SpaceKind::ActivityRoom, 20, 45),
            ("二楼会议室", SpaceKind::MeetingRoom, 16, 36),
        ];
        let tenants = &MEIYUAN_INITIATING[..3];
        self.venue(hubs[MEIYUAN], &meiyuan, &spaces, tenants, 10)
            .await?;
        // Suojincun: the party-building workstation's rooms.
        let suojin = VenueData {
            name: "锁金村街道社会组织党建工作站".into(),
            address: "龙蟠路158号".into(),
            jurisdiction: code(SUOJIN),
            area_m2: 260,
            owner: "锁金村街道办事处".into(),
            free_of_charge: true,
            terms: "街道无偿提供，水电费全免；认领公益岗位的组织优先使用。".into(),
            utilities_waived: true,
            obligation: "认领公益岗位，服务社区居民".into(),
            obligation_hours_per_quarter: 90,
        };
        let spaces = [
            ("公益岗位服务站", SpaceKind::Office, 4, 20),
            ("党建活动室", SpaceKind::ActivityRoom, 30, 60),
            ("议事室", SpaceKind::MeetingRoom, 12, 25),
        ];
        self.venue(hubs[SUOJIN], &suojin, &spaces, &[], 7).await?;
        Ok(())
    }

    /// A venue with its spaces; offices go to `tenants` (or to members of the hub), rooms
    /// are booked by the hub's members over the next `days` days, and the last two
    /// quarters are reported against the obligation.
    async fn venue(
        &mut self,
        hub: Uuid,
        data: &VenueData,
        spaces: &[(&str, SpaceKind, u32, u32)],
        tenants: &[&str],
        days: u64,
    ) -> Result<(), StoreError> {
        let (store, today, ctx) = (self.store, self.today, self.ctx.clone());
        let venue = store.create_venue(Some(hub), data, &ctx).await?;
        self.built.venues += 1;
        // The hub's active members book and report.
        let members: Vec<Uuid> = {
            let page = store
                .hub_members(
                    hub,
                    Some(shuniu_domain::hubs::MembershipStatus::Active),
                    1,
                    200,
                )
                .await?;
            page.items.into_iter().map(|m| m.organization_id).collect()
        };
        if members.is_empty() {
            return Err(StoreError::State("a demo hub without members".into()));
        }
        let mut tenant_ids: Vec<Uuid> = tenants
            .iter()
            .map(|n| self.named(n).map(|o| o.id))
            .collect::<Result<_, _>>()?;
        let mut rooms = Vec::new();
        let mut offices = 0;
        for &(name, kind, capacity, area_m2) in spaces {
            let space = store
                .add_space(
                    venue.id,
                    &SpaceData {
                        name: name.into(),
                        kind,
                        capacity,
                        area_m2,
                    },
                    &ctx,
                )
                .await?;
            self.built.spaces += 1;
            if kind.is_bookable() {
                rooms.push((space.id, capacity));
                continue;
            }
            offices += 1;
            // One office stays free for newcomers.
            if offices == spaces.iter().filter(|s| s.1 == SpaceKind::Office).count() && offices > 1
            {
                continue;
            }
            let tenant = if tenant_ids.is_empty() {
                *members.choose(&mut self.rng).expect("non-empty")
            } else {
                tenant_ids.remove(0)
            };
            let starts_on = date(today.year() - 1, 1, 1);
            let ends_on = date(today.year() + 1, 12, 31);
            store
                .allocate_office(
                    space.id,
                    &AllocationRequest {
                        organization_id: tenant,
                        starts_on,
                        ends_on,
                    },
                    &ctx,
                )
                .await?;
            self.built.office_allocations += 1;
        }
        // Bookings in the coming days, in opening hours, on the slot grid.
        let rules = BookingRules::default();
        const PURPOSES: [&str; 10] = [
            "老年人健康讲座",
            "亲子阅读活动",
            "书画公益课",
            "志愿者培训",
            "理事会会议",
            "居民议事会",
            "心理健康沙龙",
            "社区文艺排练",
            "公益项目路演",
            "助残手工课堂",
        ];
        // Windows that never overlap: (first start, last start, shortest, longest), minutes.
        let windows = [
            (9 * 60, 9 * 60 + 30, 60, 120, 0.5),
            (14 * 60, 15 * 60, 60, 120, 0.6),
            (18 * 60 + 30, 19 * 60, 60, 90, 0.3),
        ];
        let slot = rules.slot_minutes;
        for d in 1..=days {
            let day = today + Days::new(d);
            for &(space, capacity) in &rooms {
                for &(first, last, shortest, longest, p) in &windows {
                    if !self.rng.gen_bool(p) {
                        continue;
                    }
                    let start = first + slot * self.rng.gen_range(0..=(last - first) / slot);
                    let length =
                        shortest + slot * self.rng.gen_range(0..=(longest - shortest) / slot);
                    let end = (start + length).min(rules.closes_at_hour * 60);
                    let request = BookingRequest {
                        starts_at: at(day, start),
                        ends_at: at(day, end),
                        purpose: PURPOSES
                            .choose(&mut self.rng)
                            .expect("non-empty")
                            .to_string(),
                        attendees: self.rng.gen_range(capacity.min(6)..=capacity),
                    };
                    let by = *members.choose(&mut self.rng).expect("non-empty");
                    store.book_space(space, by, &request, slot, &ctx).await?;
                    self.built.bookings += 1;
                }
            }
        }
        // The last two quarters' service to residents.
        let mut reporters: Vec<Uuid> = tenants
            .iter()
            .map(|n| self.named(n).map(|o| o.id))
            .collect::<Result<_, _>>()?;
        for m in members.choose_multiple(&mut self.rng, 3) {
            if !reporters.contains(m) {
                reporters.push(*m);
            }
        }
        let q1 = previous(Quarter::of(today));
        for quarter in [q1, previous(q1)] {
            for &org in &reporters {
                let hours = self.rng.gen_range(18..=42);
                let report = ObligationReportData {
                    organization_id: org,
                    quarter,
                    service_hours: hours,
                    residents_served: hours * self.rng.gen_range(3..=9),
                    note: format!("{}季度面向本地居民的公益服务", quarter),
                };
                store.report_obligation(venue.id, &report, &ctx).await?;
                self.built.obligation_reports += 1;
            }
        }
        Ok(())
    }

    async fn instructors(&mut self) -> Result<(), StoreError> {
        let (store, ctx) = (self.store, self.ctx.clone());
        // Instructors by place, in order.
        let mut by_place: Vec<(&str, Vec<(Uuid, usize)>)> = Vec::new();
        for (name, phone, workplace, place, quota) in INSTRUCTORS {
            let data = InstructorData {
                name: name.into(),
                phone: Some(Phone::parse(phone).expect("valid phone")),
                jurisdiction: code(place),
                workplace: workplace.into(),
            };
            let i = store.create_instructor(&data, &ctx).await?;
            self.built.instructors += 1;
            match by_place.iter_mut().find(|(p, _)| *p == place) {
                Some((_, v)) => v.push((i.id, quota)),
                None => by_place.push((place, vec![(i.id, quota)])),
            }
        }
        // Organizations without a party organization get one; Suojincun's workstation
        // takes on every one of its street's, shared round the instructors.
        for (place, instructors) in by_place {
            let limit: usize = instructors
                .iter()
                .map(|i| i.1)
                .fold(0, usize::saturating_add);
            let without: Vec<&Organization> = self
                .orgs
                .iter()
                .filter(|o| {
                    o.data.jurisdiction.as_str() == place && o.data.party_org == PartyOrg::None
                })
                .take(limit)
                .collect();
            for (k, o) in without.into_iter().enumerate() {
                let party = PartyBuilding {
                    party_org: o.data.party_org,
                    party_members: o.data.party_members,
                    instructor_id: Some(instructors[k % instructors.len()].0),
                };
                store.set_party_building(o.id, &party, &ctx).await?;
                self.built.instructed += 1;
            }
        }
        Ok(())
    }
}
