//! A province-scale data set for `shuniu generate`: Jiangsu's reference tree filled out
//! with synthetic streets and communities (ten streets per Nanjing district, ten
//! communities per street), and any number of organizations spread over them with the
//! demo's vocabulary — place words, trade names 字号 and the endings of their kind
//! (养老服务中心, 促进会, 协会, 基金会 …), valid unified social credit codes and filing
//! numbers, founding dates since the late 1990s, grades on a share, a few organizations
//! to be suspended or deregistered, the hubs (a regional hub per street, four industry
//! hubs per district) and who joins which. Deterministic for a seed and a `today`.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shuniu_domain::codes::uscc::USCC_CHARSET;
use shuniu_domain::codes::{FilingNumber, Phone, Uscc};
use shuniu_domain::jurisdiction::{
    Jurisdiction, JurisdictionCode, Level, child_of, reference_tree,
};
use shuniu_domain::registry::{Grade, LegalForm, OrganizationData, PartyOrg, ServiceDomain, Stage};

use crate::calendar::{Era, award_date, founding_date, in_force, noisy_stage, pick_weighted};
use crate::tables::{self, Size, Theme};

/// Streets per district and communities per street of the generated tree.
pub const STREETS_PER_DISTRICT: usize = 10;
pub const COMMUNITIES_PER_STREET: usize = 10;

/// The first characters of synthetic place names, and the second.
const PLACE_FIRST: &[&str] = &[
    "龙", "凤", "金", "银", "玉", "清", "东", "西", "南", "北", "新", "安", "宁", "和", "平", "华",
    "兴", "长", "永", "福", "康", "泰", "丰", "乐", "春", "秋", "梅", "兰", "竹", "桂", "柳", "桃",
    "石", "翠", "锦", "瑞", "祥", "明", "光", "红",
];
const PLACE_SECOND: &[&str] = &[
    "华", "安", "山", "湖", "桥", "门", "港", "园", "村", "塘", "坊", "岗", "洲", "庄", "林", "泉",
    "苑", "湾", "亭", "城",
];
const ROAD_ENDINGS: &[&str] = &["路", "街", "大道", "巷", "北路", "南路"];
const ESTATE_ENDINGS: &[&str] = &["苑", "里", "小区", "花园", "新村", "家园"];

/// A hub to be recognized over the generated organizations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubRole {
    /// The regional hub of the street with this code (its promotion association).
    Regional(String),
    /// An industry hub of the district with this code, serving these domains.
    Industry(String, Vec<ServiceDomain>),
}

/// One generated organization and what it is to become after registration.
#[derive(Debug, Clone)]
pub struct Generated {
    pub data: OrganizationData,
    /// Recognized as a hub right after registration.
    pub hub: Option<HubRole>,
    /// The street whose regional hub it joins.
    pub joins_street: Option<String>,
    /// The industry hub it joins: index among its district's industry hubs.
    pub joins_industry: Option<usize>,
    /// Suspended (`Some(false)`) or deregistered (`Some(true)`) after registration.
    pub ends: Option<bool>,
}

/// The industry hubs of each district: the federation's name ending and its domains.
pub const INDUSTRY_HUBS: [(&str, &[ServiceDomain]); 4] = [
    ("助残社会组织联合会", &[ServiceDomain::Disability]),
    (
        "青少年社会组织联合会",
        &[ServiceDomain::Children, ServiceDomain::Education],
    ),
    ("养老服务社会组织联合会", &[ServiceDomain::Elderly]),
    (
        "职工服务社会组织联合会",
        &[ServiceDomain::Employment, ServiceDomain::SocialAffairs],
    ),
];

struct Street {
    code: String,
    name: String,
    short: String,
    roads: Vec<String>,
    communities: Vec<(String, String)>,
}

struct District {
    code: String,
    /// 玄武区 → 玄武.
    short: String,
    name: String,
    roads: Vec<String>,
    streets: Vec<Street>,
}

/// The generator: the tree first ([`Province::new_nodes`]), then organizations in
/// batches ([`Province::next_batch`]), district after district.
pub struct Province {
    today: NaiveDate,
    rng: ChaCha8Rng,
    districts: Vec<District>,
    new_nodes: Vec<Jurisdiction>,
    total: u64,
    made: u64,
    /// Names held per registration authority (the district), as the unique index wants.
    names: HashMap<String, HashSet<String>>,
    filed_names: HashSet<String>,
    filing_seq: HashMap<(String, i32), u32>,
    bodies: u64,
    hubs_done: Vec<bool>,
}

fn place_word(i: usize) -> String {
    let n = PLACE_FIRST.len() * PLACE_SECOND.len();
    let i = (i * 97) % n;
    format!(
        "{}{}",
        PLACE_FIRST[i % PLACE_FIRST.len()],
        PLACE_SECOND[i / PLACE_FIRST.len()]
    )
}

/// The pinyin of [`place_word`] as a place is named in English: `Longhua`, `Xi'an` (an
/// apostrophe before a syllable that starts with a vowel, as in 西安 Xi'an).
fn place_word_en(i: usize) -> String {
    use pinyin::ToPinyin;
    let mut out = String::new();
    for c in place_word(i).chars() {
        let syllable = c.to_pinyin().map_or("", |p| p.plain());
        if out.is_empty() {
            out.extend(syllable.chars().take(1).flat_map(char::to_uppercase));
            out.push_str(syllable.get(1..).unwrap_or(""));
        } else {
            if syllable.starts_with(['a', 'e', 'o']) {
                out.push('\'');
            }
            out.push_str(syllable);
        }
    }
    out
}

impl Province {
    /// `total` organizations over Jiangsu's reference tree, filled out; `seed` decides
    /// everything, `today` bounds the dates.
    pub fn new(total: u64, seed: u64, today: NaiveDate) -> Province {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let tree = reference_tree();
        let mut new_nodes = Vec::new();
        let mut districts = Vec::new();
        let mut word = rng.gen_range(0..800usize);
        let mut next_index = || {
            word += 1;
            word
        };
        for d in tree.iter().filter(|j| j.level == Level::District) {
            let mut streets: Vec<Jurisdiction> = tree
                .iter()
                .filter(|j| j.parent.as_ref() == Some(&d.code))
                .cloned()
                .collect();
            for s in streets.len()..STREETS_PER_DISTRICT {
                let code = format!("{}{:03}000", d.code, 100 + s);
                let i = next_index();
                let st = child_of(
                    d,
                    JurisdictionCode::parse(&code).expect("valid"),
                    &format!("{}街道", place_word(i)),
                    &format!("{} Street", place_word_en(i)),
                )
                .expect("a street of a district");
                new_nodes.push(st.clone());
                streets.push(st);
            }
            let mut out_streets = Vec::new();
            for st in &streets {
                let mut communities = Vec::new();
                for c in 1..=COMMUNITIES_PER_STREET {
                    let code = format!("{}{c:03}", &st.code.as_str()[..9]);
                    let i = next_index();
                    let word = place_word(i);
                    let cm = child_of(
                        st,
                        JurisdictionCode::parse(&code).expect("valid"),
                        &format!("{word}社区"),
                        &format!("{} Community", place_word_en(i)),
                    )
                    .expect("a community of a street");
                    new_nodes.push(cm);
                    communities.push((code, word));
                }
                let roads = (0..6)
                    .map(|k| {
                        format!(
                            "{}{}",
                            place_word(next_index()),
                            ROAD_ENDINGS[k % ROAD_ENDINGS.len()]
                        )
                    })
                    .collect();
                out_streets.push(Street {
                    code: st.code.to_string(),
                    short: st.name_zh.trim_end_matches("街道").to_string(),
                    name: st.name_zh.clone(),
                    roads,
                    communities,
                });
            }
            districts.push(District {
                code: d.code.to_string(),
                short: d.name_zh.trim_end_matches('区').to_string(),
                name: d.name_zh.clone(),
                roads: (0..8)
                    .map(|_| format!("{}路", place_word(next_index())))
                    .collect(),
                streets: out_streets,
            });
        }
        let districts_len = districts.len();
        Province {
            today,
            rng,
            districts,
            new_nodes,
            total,
            made: 0,
            names: HashMap::new(),
            filed_names: HashSet::new(),
            filing_seq: HashMap::new(),
            hubs_done: vec![false; districts_len],
            bodies: 0,
        }
    }

    /// The streets and communities to add to the reference tree, parents first.
    pub fn new_nodes(&self) -> &[Jurisdiction] {
        &self.new_nodes
    }

    /// Organizations made so far.
    pub fn made(&self) -> u64 {
        self.made
    }

    /// Up to `max` more organizations (empty when all are made). Each district's hubs
    /// come first in its share, so they exist before anything joins them.
    pub fn next_batch(&mut self, max: usize) -> Vec<Generated> {
        let mut out = Vec::with_capacity(max);
        let last = self.districts.len() - 1;
        let per = (self.total / self.districts.len() as u64).max(1);
        while out.len() < max && self.made < self.total {
            let d = ((self.made / per) as usize).min(last);
            if !self.hubs_done[d] {
                self.hubs_done[d] = true;
                let hubs = self.district_hubs(d);
                self.made += hubs.len() as u64;
                out.extend(hubs);
            } else {
                out.push(self.ordinary(d));
                self.made += 1;
            }
        }
        out
    }

    /// The smallest `total` that leaves every district room for its hubs.
    pub fn minimum_total() -> u64 {
        let districts = reference_tree()
            .iter()
            .filter(|j| j.level == Level::District)
            .count();
        (districts * (STREETS_PER_DISTRICT + INDUSTRY_HUBS.len() + 1)) as u64
    }

    /// A district's hub organizations: each street's promotion association, and the
    /// district's industry federations.
    fn district_hubs(&mut self, d: usize) -> Vec<Generated> {
        let mut out = Vec::new();
        for s in 0..self.districts[d].streets.len() {
            let (code, name) = {
                let st = &self.districts[d].streets[s];
                (st.code.clone(), format!("{}社会组织发展促进会", st.name))
            };
            let roads = self.districts[d].streets[s].roads.clone();
            let mut g = self.registered(
                d,
                &code,
                name,
                LegalForm::SocialGroup,
                vec![
                    ServiceDomain::SocialAffairs,
                    ServiceDomain::PublicWelfare,
                    ServiceDomain::CharityRelief,
                ],
                &roads,
                (Size::Assoc, Era::HubRollout, 0.6),
            );
            g.hub = Some(HubRole::Regional(code));
            out.push(g);
        }
        let district = self.districts[d].code.clone();
        for (ending, domains) in INDUSTRY_HUBS {
            let name = format!("{}{ending}", self.districts[d].name);
            let roads = self.districts[d].roads.clone();
            let mut g = self.registered(
                d,
                &district,
                name,
                LegalForm::SocialGroup,
                domains.to_vec(),
                &roads,
                (Size::Assoc, Era::Normal, 0.6),
            );
            g.hub = Some(HubRole::Industry(district.clone(), domains.to_vec()));
            out.push(g);
        }
        out
    }

    /// Any other organization of district `d`: 3 % at the district itself, 40 % in a
    /// street, the rest (filed community organizations, community home-care centres)
    /// in a community.
    fn ordinary(&mut self, d: usize) -> Generated {
        let r: f64 = self.rng.gen_range(0.0..1.0);
        let s = self.rng.gen_range(0..self.districts[d].streets.len());
        let mut g = if r < 0.03 {
            self.district_level(d)
        } else if r < 0.43 {
            let code = self.districts[d].streets[s].code.clone();
            self.institution(d, s, &code)
        } else {
            let c = self
                .rng
                .gen_range(0..self.districts[d].streets[s].communities.len());
            if r < 0.48 {
                let code = self.districts[d].streets[s].communities[c].0.clone();
                self.institution(d, s, &code)
            } else {
                self.community_organization(d, s, c)
            }
        };
        // Who joins what, and who ends: the deregistered and suspended join nothing.
        let fate: f64 = self.rng.gen_range(0.0..1.0);
        if fate < 0.02 {
            g.ends = Some(true);
        } else if fate < 0.03 {
            g.ends = Some(false);
        } else {
            let street = &self.districts[d].streets[s].code;
            if g.data.jurisdiction.as_str().starts_with(&street[..9]) && fate < 0.25 {
                g.joins_street = Some(street.clone());
            }
            if (0.25..0.38).contains(&fate) {
                g.joins_industry = INDUSTRY_HUBS
                    .iter()
                    .position(|(_, ds)| ds.iter().any(|x| g.data.domains.contains(x)));
            }
        }
        g
    }

    fn district_level(&mut self, d: usize) -> Generated {
        let district = self.districts[d].code.clone();
        let roads = self.districts[d].roads.clone();
        if self.rng.gen_bool(0.1) {
            let (ending, domains) = *[
                (
                    "公益基金会",
                    &[ServiceDomain::CharityRelief, ServiceDomain::PublicWelfare][..],
                ),
                (
                    "教育发展基金会",
                    &[ServiceDomain::CharityRelief, ServiceDomain::Education][..],
                ),
                (
                    "助学基金会",
                    &[ServiceDomain::Children, ServiceDomain::CharityRelief][..],
                ),
            ]
            .choose(&mut self.rng)
            .expect("non-empty");
            let brand = *tables::GENERAL_BRANDS
                .choose(&mut self.rng)
                .expect("non-empty");
            let name = format!("南京{}{brand}{ending}", self.districts[d].short);
            return self.registered(
                d,
                &district,
                name,
                LegalForm::Foundation,
                domains.to_vec(),
                &roads,
                (Size::Assoc, Era::Normal, 0.5),
            );
        }
        let (ending, domains) = *tables::DISTRICT_GROUPS
            .choose(&mut self.rng)
            .expect("non-empty");
        let word = self.rng.gen_range(0..800);
        let name = if self.rng.gen_bool(0.3) {
            format!("{}{ending}", self.districts[d].name)
        } else {
            format!("{}{}{ending}", self.districts[d].name, place_word(word))
        };
        self.registered(
            d,
            &district,
            name,
            LegalForm::SocialGroup,
            domains.to_vec(),
            &roads,
            (Size::Assoc, Era::Old, 0.3),
        )
    }

    /// A social service institution 民办非企业单位 named 前缀 + place + 字号 + 行业.
    fn institution(&mut self, d: usize, s: usize, place: &str) -> Generated {
        let service = pick_weighted(&mut self.rng, tables::SERVICES, |s| s.weight);
        // Trade names that suit the service (乐龄 for elderly care, 童心 for children's).
        let themed: &[&str] = match service.theme {
            Theme::General => &[],
            Theme::Elderly => tables::ELDERLY_BRANDS,
            Theme::Children => tables::CHILDREN_BRANDS,
        };
        let brand = if !themed.is_empty() && self.rng.gen_bool(0.6) {
            themed
        } else {
            tables::GENERAL_BRANDS
        }
        .choose(&mut self.rng)
        .expect("non-empty");
        let dist = &self.districts[d];
        let street = &dist.streets[s];
        let locality = match self.rng.gen_range(0..3) {
            0 => String::new(),
            1 => street.short.clone(),
            _ => street
                .communities
                .choose(&mut self.rng)
                .expect("non-empty")
                .1
                .clone(),
        };
        let prefix = match self.rng.gen_range(0..3) {
            0 => format!("南京{}", dist.short),
            1 => format!("南京市{}", dist.name),
            _ => dist.name.clone(),
        };
        let name = format!("{prefix}{locality}{brand}{}", service.ending);
        let mut domains = service.domains.to_vec();
        if self.rng.gen_bool(0.2) {
            domains.push(ServiceDomain::PublicWelfare);
        }
        let era = match service.size {
            Size::Large | Size::Xl => Era::Old,
            _ => Era::Normal,
        };
        let roads = street.roads.clone();
        self.registered(
            d,
            place,
            name,
            LegalForm::SocialServiceInstitution,
            domains,
            &roads,
            (service.size, era, 0.3),
        )
    }

    /// A community organization 社区社会组织 filed with its street.
    fn community_organization(&mut self, d: usize, s: usize, c: usize) -> Generated {
        let activity = pick_weighted(&mut self.rng, tables::ACTIVITIES, |a| a.weight);
        let street = &self.districts[d].streets[s];
        let (code, community) = street.communities[c].clone();
        let street_code = street.code.clone();
        let roads = street.roads.clone();
        let mut name = format!("{community}社区{}", activity.ending);
        while !self.filed_names.insert(name.clone()) {
            let estate = format!(
                "{}{}",
                place_word(self.rng.gen_range(0..800)),
                ESTATE_ENDINGS.choose(&mut self.rng).expect("non-empty")
            );
            name = format!("{community}社区{estate}{}", activity.ending);
        }
        let mut g = self.attributes(
            &code,
            name,
            LegalForm::CommunityFiled,
            activity.domains.to_vec(),
            &roads,
            (Size::Team, Era::Young, 0.0),
        );
        let year = g.data.founded_on.year().max(2008).min(self.today.year());
        let seq = self
            .filing_seq
            .entry((street_code.clone(), year))
            .or_insert(0);
        *seq += 1;
        let number = format!("{street_code}-{year}-{:04}", (*seq - 1) % 9999 + 1);
        g.data.filing_number = Some(FilingNumber::parse(&number).expect("valid filing number"));
        g
    }

    /// A registered organization: its name made unique with its registration authority
    /// (the district), and a unified social credit code of its own.
    #[allow(clippy::too_many_arguments)]
    fn registered(
        &mut self,
        d: usize,
        place: &str,
        name: String,
        form: LegalForm,
        domains: Vec<ServiceDomain>,
        roads: &[String],
        kind: (Size, Era, f64),
    ) -> Generated {
        let authority = self.districts[d].code.clone();
        let taken = self.names.entry(authority).or_default();
        let mut unique = name.clone();
        let mut n = 1;
        while !taken.insert(unique.clone()) {
            n += 1;
            // A second organization of the same name and authority is told apart by
            // its branch, as registration authorities do.
            unique = format!("{}（{}）", name, place_word(n * 13));
        }
        let mut g = self.attributes(place, unique, form, domains, roads, kind);
        let division = if form == LegalForm::Foundation {
            "320100".to_string()
        } else {
            self.districts[d].code.clone()
        };
        let body = self.next_body(g.data.founded_on.year());
        let k = form.uscc_kind().expect("registered forms have a USCC kind");
        g.data.uscc = Some(Uscc::assemble('5', k, &division, &body).expect("valid body"));
        g
    }

    /// The next 8-character organization code: numeric before the unified code (2016),
    /// `MJ…` since; unique by construction (a bijection of a counter).
    fn next_body(&mut self, founded_year: i32) -> String {
        let k = self.bodies;
        self.bodies += 1;
        if founded_year >= 2016 {
            let cs: Vec<char> = USCC_CHARSET.chars().collect();
            let mut x = (k * 387_420_489 + 12_345) % 887_503_681; // 31^6
            let mut out = String::from("MJ");
            let mut tail = Vec::new();
            for _ in 0..6 {
                tail.push(cs[(x % 31) as usize]);
                x /= 31;
            }
            out.extend(tail.iter().rev());
            out
        } else {
            let prefix = tables::OLD_ORG_CODE_PREFIXES[(k % 9) as usize];
            format!("{prefix}{:06}", ((k / 9) * 611_953 + 4_321) % 1_000_000)
        }
    }

    fn attributes(
        &mut self,
        place: &str,
        name: String,
        form: LegalForm,
        mut domains: Vec<ServiceDomain>,
        roads: &[String],
        (size, era, graded): (Size, Era, f64),
    ) -> Generated {
        domains.sort();
        domains.dedup();
        let today = self.today;
        let rng = &mut self.rng;
        let founded_on = founding_date(rng, era, today);
        let stage = if founded_on > today {
            Stage::Germination
        } else {
            noisy_stage(rng, founded_on, today, size)
        };
        let award = if form != LegalForm::CommunityFiled && rng.gen_bool(graded) {
            let g = pick_weighted(
                rng,
                &[
                    (Grade::A2, 10u32),
                    (Grade::A3, 45),
                    (Grade::A4, 32),
                    (Grade::A5, 11),
                    (Grade::A1, 2),
                ],
                |g| g.1,
            )
            .0;
            award_date(rng, founded_on, today).map(|d| (g, d))
        } else {
            None
        };
        let award = in_force(award, today);
        let (lo_ft, hi_ft, hi_pt, hi_vol) = match size {
            Size::Team => (0, 1, 20, 60),
            Size::Assoc => (1, 4, 10, 300),
            Size::Small => (2, 10, 12, 60),
            Size::Mid => (6, 32, 20, 120),
            Size::Large => (20, 90, 40, 80),
            Size::Xl => (80, 260, 80, 150),
        };
        let skew = |rng: &mut ChaCha8Rng, lo: u32, hi: u32| {
            lo + (rng.gen_range(0.0f64..1.0).powf(1.5) * f64::from(hi - lo + 1)) as u32
        };
        let ft = skew(rng, lo_ft, hi_ft);
        let pt = skew(rng, 0, hi_pt);
        let vol = skew(rng, 0, hi_vol);
        let members = if rng.gen_bool(0.4) {
            0
        } else {
            skew(rng, 0, 6.min(ft + pt))
        };
        let party_org = match members {
            0 => PartyOrg::None,
            1 | 2 => PartyOrg::JointBranch,
            _ => PartyOrg::OwnBranch,
        };
        let road = roads.choose(rng).expect("non-empty");
        let address = format!(
            "{road}{}号",
            1 + (rng.gen_range(0.0f64..1.0).powf(1.6) * 260.0) as u32
        );
        let surname = tables::SURNAMES
            [(rng.gen_range(0.0f64..1.0).powf(1.8) * tables::SURNAMES.len() as f64) as usize];
        let mut rep = surname.to_string();
        for _ in 0..if rng.gen_bool(0.65) { 2 } else { 1 } {
            rep.push_str(tables::GIVEN.choose(rng).expect("non-empty"));
        }
        let phone = if rng.gen_bool(0.4) {
            format!(
                "025-8{}{:06}",
                rng.gen_range(3..8),
                rng.gen_range(0..1_000_000)
            )
        } else {
            format!(
                "{}{:08}",
                tables::MOBILE_PREFIXES.choose(rng).expect("non-empty"),
                rng.gen_range(0..100_000_000)
            )
        };
        Generated {
            data: OrganizationData {
                name,
                legal_form: form,
                uscc: None,
                filing_number: None,
                domains,
                jurisdiction: JurisdictionCode::parse(place).expect("a generated code"),
                address,
                founded_on,
                legal_representative: rep,
                contact_phone: Some(Phone::parse(&phone).expect("generated phones are valid")),
                staff_full_time: ft,
                staff_part_time: pt,
                volunteers: vol,
                party_org,
                party_members: members,
                stage,
                grade: award.map(|a| a.0),
                grade_awarded_on: award.map(|a| a.1),
                is_demo: false,
            },
            hub: None,
            joins_street: None,
            joins_industry: None,
            ends: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_places_are_named_in_both_languages() {
        // Every character a place word is made of has a reading.
        for c in PLACE_FIRST
            .iter()
            .chain(PLACE_SECOND)
            .flat_map(|w| w.chars())
        {
            assert!(pinyin::ToPinyin::to_pinyin(&c).is_some(), "{c}");
        }
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let p = Province::new(1_000, 7, today);
        assert!(p.new_nodes().len() > 1_000, "{}", p.new_nodes().len());
        for j in p.new_nodes() {
            let suffix = match j.level {
                Level::Street => " Street",
                Level::Community => " Community",
                other => panic!("a generated {other:?}"),
            };
            let word = j
                .name_en
                .strip_suffix(suffix)
                .unwrap_or_else(|| panic!("{}", j.name_en));
            assert!(
                word.is_ascii() && word.starts_with(|c: char| c.is_ascii_uppercase()),
                "{}",
                j.name_en
            );
            assert!(
                !word.contains(|c: char| c.is_ascii_digit()),
                "{}",
                j.name_en
            );
        }
        let at = |zh: &str| (0..800).find(|&i| place_word(i) == zh).unwrap();
        assert_eq!(place_word_en(at("西安")), "Xi'an");
        assert_eq!(place_word_en(at("龙华")), "Longhua");
    }
}
