//! Builds the 1,379 organizations: the named cases first, then the generated rest.
//!
//! Two kinds of randomness, both seeded: one stream decides *what* each organization is
//! (name, place, kind, size), another one per organization decides *when* (founding,
//! grade award, filing year) — so the cast of organizations does not change with
//! `today`, only their dates and what depends on them.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shuniu_domain::codes::{FilingNumber, Phone, Uscc};
use shuniu_domain::jurisdiction::JurisdictionCode;
use shuniu_domain::registry::{Grade, LegalForm, OrganizationData, PartyOrg, ServiceDomain};

use crate::calendar::*;
use crate::tables::{self, Service, Size, Street, Theme};

const STRUCTURE_SEED: u64 = 0x5855_414E_5755_2012; // "XUANWU" 2012
const DATES_SEED: u64 = 0x4E4A_4442_0802; // Nanjing Daily, 08-02

/// The article's figures (Nanjing Daily, 2012-08-02).
pub const ORGANIZATIONS: usize = 1379;
pub const MIN_STAFF: u64 = 25_000;
/// "25000多人": more than 25,000 and fewer than 26,000.
pub const MAX_STAFF: u64 = 25_999;

/// Assessment grades as awarded: mostly 3A and 4A.
const GRADES: [(Grade, u32); 5] = [
    (Grade::A1, 2),
    (Grade::A2, 10),
    (Grade::A3, 45),
    (Grade::A4, 32),
    (Grade::A5, 11),
];

/// What the structure stream decided about one organization.
struct Proto {
    name: String,
    form: LegalForm,
    domains: Vec<ServiceDomain>,
    jurisdiction: &'static str,
    address: String,
    size: Size,
    era: Era,
    /// Probability of holding an assessment grade (registered forms only).
    graded: f64,
}

/// An organization under construction.
struct Pending {
    data: OrganizationData,
    /// The organization's last assessment grade and its batch date, in force or not
    /// (`data` holds it only while it is in force).
    award: Option<(Grade, NaiveDate)>,
    /// Named cases keep the figures given for them.
    named: bool,
    filing_year: Option<i32>,
}

pub(crate) struct Generator {
    today: NaiveDate,
    rng: ChaCha8Rng,
    names: HashSet<String>,
    /// 字号 + 行业: a registration authority does not register the same twice.
    trade_names: HashSet<(&'static str, &'static str)>,
    org_bodies: HashSet<String>,
    /// Each community's activity centre, where most of its organizations meet.
    centres: BTreeMap<&'static str, String>,
    out: Vec<Pending>,
}

fn code(s: &str) -> JurisdictionCode {
    JurisdictionCode::parse(s).expect("reference code")
}

fn sorted(domains: &[ServiceDomain]) -> Vec<ServiceDomain> {
    let mut v = domains.to_vec();
    v.sort();
    v.dedup();
    v
}

/// The registration authority's division in a USCC: foundations are registered by the
/// city (南京市, 320100), the other registered forms by the district.
pub(crate) fn uscc_division(form: LegalForm) -> &'static str {
    if form == LegalForm::Foundation {
        tables::NANJING
    } else {
        tables::XUANWU
    }
}

impl Generator {
    pub(crate) fn new(today: NaiveDate) -> Self {
        Generator {
            today,
            rng: ChaCha8Rng::seed_from_u64(STRUCTURE_SEED),
            names: HashSet::new(),
            trade_names: HashSet::new(),
            org_bodies: HashSet::new(),
            centres: BTreeMap::new(),
            out: Vec::new(),
        }
    }

    pub(crate) fn run(self) -> Vec<OrganizationData> {
        self.run_with_awards().into_iter().map(|(d, _)| d).collect()
    }

    /// The organizations with their last assessment award, in force or expired.
    pub(crate) fn run_with_awards(mut self) -> Vec<(OrganizationData, Option<(Grade, NaiveDate)>)> {
        self.named();
        self.district();
        for street in &tables::STREETS {
            self.street(street);
        }
        assert_eq!(self.out.len(), ORGANIZATIONS, "quotas add up to 1,379");
        self.calibrate_staff();
        self.assign_filing_numbers();
        self.out.into_iter().map(|p| (p.data, p.award)).collect()
    }

    // ---------------------------------------------------------------- named cases

    fn named(&mut self) {
        let t = self.today;
        let meiyuan = "320102002000";
        struct N {
            name: &'static str,
            form: LegalForm,
            domains: &'static [ServiceDomain],
            place: &'static str,
            address: &'static str,
            founded: NaiveDate,
            rep: &'static str,
            phone: &'static str,
            staff: (u32, u32, u32),
            party: (PartyOrg, u32),
            grade: Option<(Grade, i32)>,
            body: &'static str,
        }
        use ServiceDomain::*;
        let named = [
            // The promotion association and its five initiating units (梅园新村, end of 2011).
            N {
                name: "梅园新村街道社会组织发展促进会",
                form: LegalForm::SocialGroup,
                domains: &[
                    SocialAffairs,
                    PublicWelfare,
                    CultureSports,
                    Academic,
                    CharityRelief,
                ],
                place: meiyuan,
                address: "梅园新村34号",
                founded: date(2011, 12, 28),
                rep: "周建华",
                phone: "025-84539036",
                staff: (3, 5, 60),
                party: (PartyOrg::OwnBranch, 5),
                grade: Some((Grade::A4, 1)),
                body: "51088416",
            },
            N {
                name: "东南大学社区院士专家服务站",
                form: LegalForm::SocialServiceInstitution,
                domains: &[Academic, PublicWelfare, Elderly],
                place: meiyuan,
                address: "梅园新村34号",
                founded: date(2010, 9, 10),
                rep: "陆志强",
                phone: "025-83792216",
                staff: (2, 9, 46),
                party: (PartyOrg::OwnBranch, 7),
                grade: Some((Grade::A3, 2)),
                body: "50812264",
            },
            N {
                name: "南京玄武一家圆心灵保姆服务中心",
                form: LegalForm::SocialServiceInstitution,
                domains: &[Elderly, PublicWelfare, SocialAffairs],
                place: meiyuan,
                address: "梅园新村34号",
                founded: date(2010, 5, 18),
                rep: "沈慧",
                phone: "025-84506127",
                staff: (12, 20, 160),
                party: (PartyOrg::OwnBranch, 4),
                grade: Some((Grade::A4, 0)),
                body: "50876142",
            },
            N {
                name: "南京玄武城市符号文化交流中心",
                form: LegalForm::SocialServiceInstitution,
                domains: &[CultureSports, Academic],
                place: meiyuan,
                address: "梅园新村34号",
                founded: date(2011, 3, 8),
                rep: "顾明",
                phone: "13951781426",
                staff: (5, 6, 30),
                party: (PartyOrg::JointBranch, 1),
                grade: Some((Grade::A3, 3)),
                body: "69120573",
            },
            N {
                name: "梅园阳光家园残疾人托养中心",
                form: LegalForm::SocialServiceInstitution,
                domains: &[Disability, PublicWelfare],
                place: meiyuan,
                address: "雍园21号",
                founded: date(2009, 6, 26),
                rep: "王秀英",
                phone: "025-84418732",
                staff: (10, 6, 40),
                party: (PartyOrg::OwnBranch, 3),
                grade: Some((Grade::A4, 2)),
                body: "67903158",
            },
            N {
                name: "玄武区社会工作服务中心",
                form: LegalForm::SocialServiceInstitution,
                domains: &[SocialAffairs, PublicWelfare],
                // In Meiyuan: an initiating unit of the street's regional hub, which only
                // takes organizations of its street.
                place: meiyuan,
                address: "长江后街6号",
                founded: date(2008, 11, 12),
                rep: "李宁",
                phone: "025-83358810",
                staff: (24, 15, 300),
                party: (PartyOrg::OwnBranch, 9),
                grade: Some((Grade::A5, 1)),
                body: "66178402",
            },
            // Nationally known Xuanwu organizations.
            N {
                name: "南京市玄武区儿童孤独症训练中心",
                form: LegalForm::SocialServiceInstitution,
                domains: &[Children, Disability, Education],
                place: "320102005000",
                address: "百子亭15号",
                founded: date(2004, 6, 1),
                rep: "钱玲",
                phone: "025-83609251",
                staff: (28, 10, 120),
                party: (PartyOrg::OwnBranch, 5),
                grade: Some((Grade::A5, 0)),
                body: "74351927",
            },
            N {
                name: "玄武区空竹协会",
                form: LegalForm::SocialGroup,
                domains: &[CultureSports],
                place: tables::XUANWU,
                address: "龙蟠中路269号",
                founded: date(2003, 9, 20),
                rep: "孙长荣",
                phone: "13505182937",
                staff: (2, 12, 350),
                party: (PartyOrg::OwnBranch, 6),
                grade: Some((Grade::A4, 3)),
                body: "77204855",
            },
            N {
                name: "南京玄武福禄贝尔童书馆",
                form: LegalForm::SocialServiceInstitution,
                domains: &[Children, CultureSports, Education],
                place: "320102003000",
                address: "丹凤街39号",
                founded: date(2008, 4, 23),
                rep: "徐婷",
                phone: "025-83217465",
                staff: (9, 6, 80),
                party: (PartyOrg::JointBranch, 2),
                grade: Some((Grade::A4, 1)),
                body: "79615230",
            },
        ];
        for n in named {
            let founded_on = working_day_within(n.founded, t);
            let all = n
                .grade
                .and_then(|(g, ago)| recent_award(t, ago, founded_on).map(|d| (g, d)));
            let award = in_force(all, t);
            self.names.insert(n.name.to_string());
            self.org_bodies.insert(n.body.to_string());
            let kind = n.form.uscc_kind().expect("named cases are registered");
            let data = OrganizationData {
                name: n.name.to_string(),
                legal_form: n.form,
                uscc: Some(
                    Uscc::assemble('5', kind, uscc_division(n.form), n.body).expect("valid"),
                ),
                filing_number: None,
                domains: sorted(n.domains),
                jurisdiction: code(n.place),
                address: n.address.to_string(),
                founded_on,
                legal_representative: n.rep.to_string(),
                contact_phone: Some(Phone::parse(n.phone).expect("valid")),
                staff_full_time: n.staff.0,
                staff_part_time: n.staff.1,
                volunteers: n.staff.2,
                party_org: n.party.0,
                party_members: n.party.1,
                stage: stage_for_age(founded_on, t),
                grade: award.map(|a| a.0),
                grade_awarded_on: award.map(|a| a.1),
                is_demo: true,
            };
            self.out.push(Pending {
                data,
                award: all,
                named: true,
                filing_year: None,
            });
        }
    }

    fn named_in(&self, place: &str) -> usize {
        self.out
            .iter()
            .filter(|p| p.named && p.data.jurisdiction.as_str() == place)
            .count()
    }

    // ------------------------------------------------------------- district level

    fn district(&mut self) {
        let mut left = tables::DISTRICT_QUOTA - self.named_in(tables::XUANWU);
        for (name, domains) in tables::FOUNDATIONS {
            let address = self.address(tables::DISTRICT_ROADS);
            self.add(Proto {
                name: name.to_string(),
                form: LegalForm::Foundation,
                domains: domains.to_vec(),
                jurisdiction: tables::XUANWU,
                address,
                size: Size::Assoc,
                era: Era::Normal,
                graded: 0.6,
            });
            left -= 1;
        }
        for (ending, domains) in tables::DISTRICT_GROUPS {
            let address = self.address(tables::DISTRICT_ROADS);
            self.add(Proto {
                name: format!("玄武区{ending}"),
                form: LegalForm::SocialGroup,
                domains: domains.to_vec(),
                jurisdiction: tables::XUANWU,
                address,
                size: Size::Assoc,
                era: Era::Old,
                graded: 0.3,
            });
            left -= 1;
        }
        // The district's incubator (孵化器) for organizations in germination and start-up.
        let address = self.address(tables::DISTRICT_ROADS);
        self.add(Proto {
            name: "南京市玄武区社会组织培育发展中心".into(),
            form: LegalForm::SocialServiceInstitution,
            domains: vec![ServiceDomain::SocialAffairs, ServiceDomain::PublicWelfare],
            jurisdiction: tables::XUANWU,
            address,
            size: Size::Mid,
            era: Era::HubRollout,
            graded: 1.0,
        });
        left -= 1;
        for _ in 0..left {
            self.branded_institution(tables::XUANWU, tables::DISTRICT_ROADS);
        }
    }

    // ---------------------------------------------------------------- street level

    fn street(&mut self, s: &'static Street) {
        let start = self.out.len();
        let named = self.named_in(s.code);
        let has_named_hub = self
            .out
            .iter()
            .any(|p| p.named && p.data.name == format!("{}社会组织发展促进会", s.name));
        // 1+1+X: the street's promotion association (Meiyuan's is a named case) …
        if !has_named_hub {
            let address = self.address(s.roads);
            self.add(Proto {
                name: format!("{}社会组织发展促进会", s.name),
                form: LegalForm::SocialGroup,
                domains: vec![
                    ServiceDomain::SocialAffairs,
                    ServiceDomain::PublicWelfare,
                    ServiceDomain::CharityRelief,
                ],
                jurisdiction: s.code,
                address,
                size: Size::Assoc,
                era: Era::HubRollout,
                graded: 0.6,
            });
        }
        // … the street's other associations …
        let mut groups: Vec<usize> = (0..tables::STREET_GROUPS.len()).collect();
        groups.shuffle(&mut self.rng);
        let n_groups = self.rng.gen_range(7..=9);
        for &g in &groups[..n_groups] {
            let (ending, domains) = tables::STREET_GROUPS[g];
            let address = self.address(s.roads);
            self.add(Proto {
                name: format!("{}{ending}", s.name),
                form: LegalForm::SocialGroup,
                domains: domains.to_vec(),
                jurisdiction: s.code,
                address,
                size: Size::Assoc,
                era: Era::Normal,
                graded: 0.2,
            });
        }
        // … a custody home for disabled people (阳光家园; Meiyuan's is a named case) …
        let sunshine = format!("{}阳光家园残疾人托养中心", s.short);
        if !self.names.contains(&sunshine) {
            let address = self.address(s.roads);
            self.add(Proto {
                name: sunshine,
                form: LegalForm::SocialServiceInstitution,
                domains: vec![ServiceDomain::Disability, ServiceDomain::PublicWelfare],
                jurisdiction: s.code,
                address,
                size: Size::Mid,
                era: Era::Normal,
                graded: 0.6,
            });
        }
        // … a home-care centre in every community, run by a social organization …
        for &(community, road) in s.communities {
            let address = self.community_address((community, road), 0.5);
            self.add(Proto {
                name: format!("南京市玄武区{community}社区居家养老服务中心"),
                form: LegalForm::SocialServiceInstitution,
                domains: vec![ServiceDomain::Elderly, ServiceDomain::PublicWelfare],
                jurisdiction: s.code,
                address,
                size: Size::Small,
                era: Era::Young,
                graded: 0.25,
            });
        }
        // … Xinjiekou's incubator, co-built with the Amity Foundation …
        if s.code == "320102003000" {
            let address = self.address(s.roads);
            self.add(Proto {
                name: "南京玄武新街口社会组织孵化服务中心".into(),
                form: LegalForm::SocialServiceInstitution,
                domains: vec![ServiceDomain::SocialAffairs, ServiceDomain::PublicWelfare],
                jurisdiction: s.code,
                address,
                size: Size::Small,
                era: Era::HubRollout,
                graded: 0.5,
            });
        }
        // … and X: institutions and filed community organizations.
        let fixed = self.out.len() - start + named;
        let rest = s.quota - fixed;
        let institutions = rest * 9 / 20;
        for _ in 0..institutions {
            self.branded_institution(s.code, s.roads);
        }
        for _ in institutions..rest {
            self.community_organization(s);
        }
    }

    /// A social service institution 民办非企业单位 named 前缀 + 字号 + 行业.
    fn branded_institution(&mut self, place: &'static str, roads: &[&str]) {
        loop {
            let service = pick_weighted(&mut self.rng, tables::SERVICES, |s| s.weight);
            let brand = self.brand(service);
            if self.trade_names.contains(&(brand, service.ending)) {
                continue;
            }
            let prefix = pick_weighted(&mut self.rng, tables::SSI_PREFIXES, |p| p.1).0;
            let name = format!("{prefix}{brand}{}", service.ending);
            if self.names.contains(&name) {
                continue;
            }
            self.trade_names.insert((brand, service.ending));
            let mut domains = service.domains.to_vec();
            // Many elderly, child and disability services also run free public-welfare work.
            if domains.iter().any(|d| {
                matches!(
                    d,
                    ServiceDomain::Elderly | ServiceDomain::Children | ServiceDomain::Disability
                )
            }) && self.rng.gen_bool(0.3)
            {
                domains.push(ServiceDomain::PublicWelfare);
            }
            let era = match service.size {
                Size::Large | Size::Xl => Era::Old,
                _ => Era::Normal,
            };
            let address = self.address(roads);
            self.add(Proto {
                name,
                form: LegalForm::SocialServiceInstitution,
                domains,
                jurisdiction: place,
                address,
                size: service.size,
                era,
                graded: 0.3,
            });
            return;
        }
    }

    fn brand(&mut self, service: &Service) -> &'static str {
        let themed: &[&str] = match service.theme {
            Theme::General => &[],
            Theme::Elderly => tables::ELDERLY_BRANDS,
            Theme::Children => tables::CHILDREN_BRANDS,
        };
        if !themed.is_empty() && self.rng.gen_bool(0.6) {
            themed.choose(&mut self.rng).expect("non-empty")
        } else {
            tables::GENERAL_BRANDS
                .choose(&mut self.rng)
                .expect("non-empty")
        }
    }

    /// A community organization 社区社会组织 filed with the street.
    fn community_organization(&mut self, s: &'static Street) {
        loop {
            let (community, road) = *s.communities.choose(&mut self.rng).expect("non-empty");
            let activity = pick_weighted(&mut self.rng, tables::ACTIVITIES, |a| a.weight);
            let name = format!("{community}社区{}", activity.ending);
            if self.names.contains(&name) {
                continue;
            }
            let address = self.community_address((community, road), 0.75);
            self.add(Proto {
                name,
                form: LegalForm::CommunityFiled,
                domains: activity.domains.to_vec(),
                jurisdiction: s.code,
                address,
                size: Size::Team,
                era: Era::Young,
                graded: 0.0,
            });
            return;
        }
    }

    // ------------------------------------------------------------- the attributes

    fn house_number(&mut self) -> u32 {
        1 + (self.rng.gen_range(0.0f64..1.0).powf(1.6) * 260.0) as u32
    }

    fn address(&mut self, roads: &[&str]) -> String {
        let road = roads.choose(&mut self.rng).expect("non-empty");
        let number = self.house_number();
        if self.rng.gen_bool(0.2) {
            format!("{road}{number}号{}楼", self.rng.gen_range(2..=6))
        } else {
            format!("{road}{number}号")
        }
    }

    /// The community's activity centre (with probability `at_centre`) or another
    /// address in the community.
    fn community_address(
        &mut self,
        (community, road): (&'static str, &'static str),
        at_centre: f64,
    ) -> String {
        if !self.centres.contains_key(community) {
            let number = self.house_number();
            self.centres.insert(
                community,
                format!("{road}{number}号{community}社区活动中心"),
            );
        }
        if self.rng.gen_bool(at_centre) {
            self.centres[community].clone()
        } else {
            format!("{road}{}号", self.house_number())
        }
    }

    fn person(&mut self) -> String {
        let i =
            (self.rng.gen_range(0.0f64..1.0).powf(1.8) * tables::SURNAMES.len() as f64) as usize;
        let mut name = tables::SURNAMES[i].to_string();
        let chars = if self.rng.gen_bool(0.65) { 2 } else { 1 };
        for _ in 0..chars {
            name.push_str(tables::GIVEN.choose(&mut self.rng).expect("non-empty"));
        }
        name
    }

    fn phone(&mut self, size: Size) -> Option<Phone> {
        let landline = match size {
            Size::Team => {
                if self.rng.gen_bool(0.06) {
                    return None;
                }
                0.05
            }
            Size::Assoc => 0.5,
            _ => 0.65,
        };
        let s = if self.rng.gen_bool(landline) {
            let exchange = *[3, 4, 5, 6, 7].choose(&mut self.rng).expect("non-empty");
            format!("025-8{exchange}{:06}", self.rng.gen_range(0..1_000_000))
        } else {
            let prefix = tables::MOBILE_PREFIXES
                .choose(&mut self.rng)
                .expect("non-empty");
            format!("{prefix}{:08}", self.rng.gen_range(0..100_000_000))
        };
        Some(Phone::parse(&s).expect("generated phones are valid"))
    }

    /// Full-time staff, part-time staff, volunteers: most organizations small, a few large.
    fn staff(&mut self, size: Size) -> (u32, u32, u32) {
        let (ft, pt, vol) = match size {
            Size::Team => ((0, 0), (3, 20), (5, 60)),
            Size::Assoc => ((1, 4), (2, 10), (20, 300)),
            Size::Small => ((2, 10), (1, 12), (0, 60)),
            Size::Mid => ((6, 32), (3, 20), (5, 120)),
            Size::Large => ((20, 90), (8, 40), (0, 80)),
            Size::Xl => ((80, 260), (15, 80), (0, 150)),
        };
        let ft = if size == Size::Team {
            match self.rng.gen_range(0..100) {
                0..=84 => 0,
                85..=96 => 1,
                _ => 2,
            }
        } else {
            self.skewed(ft)
        };
        (ft, self.skewed(pt), self.skewed(vol))
    }

    /// A count in `lo..=hi`, small values more likely.
    fn skewed(&mut self, (lo, hi): (u32, u32)) -> u32 {
        let u: f64 = self.rng.gen_range(0.0..1.0);
        lo + (u.powf(1.5) * f64::from(hi - lo + 1)) as u32
    }

    fn party(&mut self, size: Size, staff: u32) -> (PartyOrg, u32) {
        let cap = match size {
            Size::Team => 6,
            Size::Assoc => 6,
            Size::Small => 5,
            Size::Mid => 8,
            Size::Large => 15,
            Size::Xl => 30,
        }
        .min(staff);
        let members = if self.rng.gen_bool(0.35) {
            0
        } else {
            self.skewed((0, cap))
        };
        // A branch of its own needs three full members; fewer join a joint branch
        // (e.g. the Suojincun party-building workstation's).
        let own = if size == Size::Team { 0.4 } else { 0.85 };
        let org = match members {
            0 => PartyOrg::None,
            1 | 2 if self.rng.gen_bool(0.75) => PartyOrg::JointBranch,
            1 | 2 => PartyOrg::None,
            _ if self.rng.gen_bool(own) => PartyOrg::OwnBranch,
            _ => PartyOrg::JointBranch,
        };
        (org, members)
    }

    fn add(&mut self, p: Proto) {
        assert!(self.names.insert(p.name.clone()), "duplicate {}", p.name);
        let index = self.out.len() as u64;
        // What the organization is: from the structure stream.
        let (ft, pt, vol) = self.staff(p.size);
        let (party_org, party_members) = self.party(p.size, ft + pt);
        let legal_representative = self.person();
        let contact_phone = self.phone(p.size);
        let graded = p.form != LegalForm::CommunityFiled && self.rng.gen_bool(p.graded);
        let grade = pick_weighted(&mut self.rng, &GRADES, |g| g.1).0;
        // When: from the organization's own date stream.
        let mut dates = ChaCha8Rng::seed_from_u64(DATES_SEED.wrapping_add(index));
        let founded_on = founding_date(&mut dates, p.era, self.today);
        let stage = noisy_stage(&mut dates, founded_on, self.today, p.size);
        let grade_awarded_on = if graded {
            award_date(&mut dates, founded_on, self.today)
        } else {
            None
        };
        let (uscc, filing_year) = match p.form.uscc_kind() {
            Some(kind) => {
                let body = self.org_body(&mut dates, founded_on);
                let uscc =
                    Uscc::assemble('5', kind, uscc_division(p.form), &body).expect("valid body");
                (Some(uscc), None)
            }
            None => {
                let first = founded_on.year().max(2008).min(self.today.year());
                let year = if first < self.today.year() && dates.gen_bool(0.3) {
                    first + 1
                } else {
                    first
                };
                (None, Some(year.max(founded_on.year())))
            }
        };
        let award = grade_awarded_on.map(|d| (grade, d));
        let current = in_force(award, self.today);
        let data = OrganizationData {
            name: p.name,
            legal_form: p.form,
            uscc,
            filing_number: None,
            domains: sorted(&p.domains),
            jurisdiction: code(p.jurisdiction),
            address: p.address,
            founded_on,
            legal_representative,
            contact_phone,
            staff_full_time: ft,
            staff_part_time: pt,
            volunteers: vol,
            party_org,
            party_members,
            stage,
            grade: current.map(|a| a.0),
            grade_awarded_on: current.map(|a| a.1),
            is_demo: true,
        };
        self.out.push(Pending {
            data,
            award,
            named: false,
            filing_year,
        });
    }

    /// The 8 body characters of a GB 11714 organization code: codes issued before the
    /// unified code (2016) are numeric; civil affairs has since issued `MJ…` codes.
    fn org_body(&mut self, dates: &mut ChaCha8Rng, founded_on: NaiveDate) -> String {
        loop {
            let body = if founded_on.year() >= 2016 {
                format!("MJ5{:05}", dates.gen_range(0..100_000))
            } else {
                let prefix = tables::OLD_ORG_CODE_PREFIXES
                    .choose(dates)
                    .expect("non-empty");
                format!("{prefix}{:06}", dates.gen_range(0..1_000_000))
            };
            if self.org_bodies.insert(body.clone()) {
                return body;
            }
        }
    }

    // ----------------------------------------------------------- whole-set passes

    /// Brings the total staff to the article's "25,000 and more" (25,500–25,949) by
    /// adjusting part-time staff of generated institutions one person at a time.
    fn calibrate_staff(&mut self) {
        let target = 25_500 + self.rng.gen_range(0..450u64);
        let adjustable: Vec<usize> = self
            .out
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.named && p.data.legal_form == LegalForm::SocialServiceInstitution)
            .map(|(i, _)| i)
            .collect();
        let mut total: u64 = self
            .out
            .iter()
            .map(|p| u64::from(p.data.staff_total()))
            .sum();
        while total != target {
            let i = *adjustable.choose(&mut self.rng).expect("non-empty");
            let d = &mut self.out[i].data;
            if total < target {
                d.staff_part_time += 1;
                total += 1;
            } else if d.staff_part_time > 0 && d.staff_total() > d.party_members.max(1) {
                d.staff_part_time -= 1;
                total -= 1;
            }
        }
    }

    /// Filing numbers per street and year, in order of founding.
    fn assign_filing_numbers(&mut self) {
        let mut by_street_year: BTreeMap<(String, i32), Vec<usize>> = BTreeMap::new();
        for (i, p) in self.out.iter().enumerate() {
            if let Some(year) = p.filing_year {
                by_street_year
                    .entry((p.data.jurisdiction.to_string(), year))
                    .or_default()
                    .push(i);
            }
        }
        for ((street, year), mut members) in by_street_year {
            members.sort_by(|&a, &b| {
                let (a, b) = (&self.out[a].data, &self.out[b].data);
                (a.founded_on, &a.name).cmp(&(b.founded_on, &b.name))
            });
            for (seq, i) in members.into_iter().enumerate() {
                let number = format!("{street}-{year}-{:04}", seq + 1);
                self.out[i].data.filing_number =
                    Some(FilingNumber::parse(&number).expect("valid filing number"));
            }
        }
    }
}
