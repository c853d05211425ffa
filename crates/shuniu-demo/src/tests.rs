//! The demo's figures against the article (DOMAIN.md §3) and the registry's rules.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate};
use shuniu_domain::jurisdiction::XUANWU_STREETS;
use shuniu_domain::registry::{
    Grade, LegalForm, OrganizationData, PartyOrg, ServiceDomain, Stage, add_years,
};

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// The article's date, a day in the future of the data set, and today.
fn todays() -> [NaiveDate; 3] {
    [
        NaiveDate::from_ymd_opt(2012, 8, 2).unwrap(),
        today(),
        NaiveDate::from_ymd_opt(2031, 2, 28).unwrap(),
    ]
}

fn staff(orgs: &[OrganizationData]) -> u64 {
    orgs.iter().map(|o| u64::from(o.staff_total())).sum()
}

fn find<'a>(orgs: &'a [OrganizationData], name: &str) -> &'a OrganizationData {
    orgs.iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("{name} is missing"))
}

fn street_codes() -> HashSet<&'static str> {
    XUANWU_STREETS.iter().map(|s| s.0).collect()
}

#[test]
fn exactly_1379_organizations_all_under_xuanwu() {
    let streets = street_codes();
    for t in todays() {
        let orgs = xuanwu_organizations(t);
        assert_eq!(orgs.len(), 1379);
        assert_eq!(orgs.len(), ORGANIZATIONS);
        for o in &orgs {
            let j = o.jurisdiction.as_str();
            assert!(j == XUANWU || streets.contains(j), "{} is in {j}", o.name);
        }
    }
}

#[test]
fn staff_is_25000_and_more() {
    for t in todays() {
        let n = staff(&xuanwu_organizations(t));
        assert!((MIN_STAFF..=MAX_STAFF).contains(&n), "{n} staff");
        assert!(n >= 25_000);
    }
}

#[test]
fn more_than_half_are_public_welfare() {
    let orgs = xuanwu_organizations(today());
    let any = orgs.iter().filter(|o| is_public_welfare(o)).count();
    assert!(any * 2 > orgs.len(), "{any} of {}", orgs.len());
    // Even counting only organizations whose every domain is public-welfare.
    let all = orgs
        .iter()
        .filter(|o| o.domains.iter().all(|d| d.is_public_welfare()))
        .count();
    assert!(all * 2 > orgs.len(), "{all} of {}", orgs.len());
    // And not trivially so: culture, sports and academic exchange are well represented.
    assert!(any * 100 < orgs.len() * 80, "{any} of {}", orgs.len());
}

#[test]
fn every_record_validates_as_a_draft() {
    for t in todays() {
        for o in xuanwu_organizations(t) {
            let back = o
                .to_draft()
                .validate(t)
                .unwrap_or_else(|e| panic!("{} on {t}: {e}", o.name));
            assert!(o.is_demo, "{}", o.name);
            assert_eq!(
                OrganizationData {
                    is_demo: true,
                    ..back
                },
                o
            );
        }
    }
}

#[test]
fn the_article_s_organizations_are_there() {
    let orgs = xuanwu_organizations(today());
    let meiyuan = "320102002000";
    let hub = find(&orgs, "梅园新村街道社会组织发展促进会");
    assert_eq!(hub.legal_form, LegalForm::SocialGroup);
    assert_eq!(hub.jurisdiction.as_str(), meiyuan);
    assert_eq!(hub.address, "梅园新村34号");
    assert_eq!(
        hub.founded_on,
        NaiveDate::from_ymd_opt(2011, 12, 28).unwrap()
    );
    // Its members' fields: social affairs, public welfare, culture and sports, academic
    // exchange, charity relief.
    for d in [
        ServiceDomain::SocialAffairs,
        ServiceDomain::PublicWelfare,
        ServiceDomain::CultureSports,
        ServiceDomain::Academic,
        ServiceDomain::CharityRelief,
    ] {
        assert!(hub.domains.contains(&d), "{d}");
    }
    for name in [
        "东南大学社区院士专家服务站",
        "南京玄武一家圆心灵保姆服务中心",
        "南京玄武城市符号文化交流中心",
        "梅园阳光家园残疾人托养中心",
        "玄武区社会工作服务中心",
    ] {
        let o = find(&orgs, name);
        assert_eq!(o.legal_form, LegalForm::SocialServiceInstitution, "{name}");
        assert!(
            o.founded_on < hub.founded_on,
            "{name} founded the association"
        );
        // A regional hub only takes organizations of its street.
        assert_eq!(o.jurisdiction.as_str(), meiyuan, "{name}");
    }
    assert!(
        find(&orgs, "梅园阳光家园残疾人托养中心")
            .domains
            .contains(&ServiceDomain::Disability)
    );
    let autism = find(&orgs, "南京市玄武区儿童孤独症训练中心");
    assert_eq!(autism.legal_form, LegalForm::SocialServiceInstitution);
    assert!(autism.domains.contains(&ServiceDomain::Children));
    assert!(autism.domains.contains(&ServiceDomain::Disability));
    let diabolo = find(&orgs, "玄武区空竹协会");
    assert_eq!(diabolo.legal_form, LegalForm::SocialGroup);
    assert_eq!(diabolo.domains, vec![ServiceDomain::CultureSports]);
    let books = find(&orgs, "南京玄武福禄贝尔童书馆");
    assert!(books.domains.contains(&ServiceDomain::Children));
    // Every street has its promotion association (1+1+X).
    for (code, street, _) in XUANWU_STREETS {
        let hub = find(&orgs, &format!("{street}社会组织发展促进会"));
        assert_eq!(hub.jurisdiction.as_str(), code);
        assert_eq!(hub.legal_form, LegalForm::SocialGroup);
    }
}

#[test]
fn the_hub_organizations_are_among_the_1379() {
    let orgs = xuanwu_organizations(today());
    for name in structure::MEIYUAN_INITIATING {
        assert_eq!(find(&orgs, name).jurisdiction.as_str(), structure::MEIYUAN);
    }
    // Industry hubs: district-level social groups whose fields match their base body's.
    for (name, field) in [
        ("玄武区助残社会组织联合会", ServiceDomain::Disability),
        ("玄武区青少年社会组织联合会", ServiceDomain::Children),
        ("玄武区妇女儿童社会组织联合会", ServiceDomain::Children),
        ("玄武区职工服务社会组织联合会", ServiceDomain::Employment),
    ] {
        let o = find(&orgs, name);
        assert_eq!(o.legal_form, LegalForm::SocialGroup, "{name}");
        assert_eq!(o.jurisdiction.as_str(), XUANWU, "{name}");
        assert!(o.domains.contains(&field), "{name}");
    }
    // Enough candidates for Meiyuan's 36 and Suojincun's 70+.
    let in_street = |code: &str| {
        orgs.iter()
            .filter(|o| o.jurisdiction.as_str() == code)
            .count()
    };
    assert!(in_street(structure::MEIYUAN) > structure::MEIYUAN_MEMBERS * 2);
    assert!(in_street(structure::SUOJIN) > structure::SUOJIN_MEMBERS + 5);
}

#[test]
fn the_named_cases_keep_their_dates_from_the_article_s_day_on() {
    let article = NaiveDate::from_ymd_opt(2012, 8, 2).unwrap();
    let orgs = xuanwu_organizations(article);
    let hub = find(&orgs, "梅园新村街道社会组织发展促进会");
    assert_eq!(
        hub.founded_on,
        NaiveDate::from_ymd_opt(2011, 12, 28).unwrap()
    );
    // Not yet two years registered in August 2012: no grade yet.
    assert_eq!(hub.grade, None);
    // Before its founding, the data stay valid (dates are clamped to `today`).
    let early = NaiveDate::from_ymd_opt(2011, 1, 1).unwrap();
    let orgs = xuanwu_organizations(early);
    assert!(find(&orgs, "梅园新村街道社会组织发展促进会").founded_on <= early);
}

#[test]
fn codes_and_names_are_valid_and_unique() {
    let orgs = xuanwu_organizations(today());
    let streets = street_codes();
    let mut names = HashSet::new();
    let mut usccs = HashSet::new();
    let mut filings = HashSet::new();
    let mut bodies = HashSet::new();
    for o in &orgs {
        assert!(names.insert(o.name.clone()), "name {}", o.name);
        match o.legal_form.uscc_kind() {
            Some(kind) => {
                let u = o.uscc.as_ref().expect("registered forms have a USCC");
                assert_eq!(
                    shuniu_domain::codes::Uscc::parse(u.as_str()).as_ref(),
                    Ok(u)
                );
                assert_eq!(u.authority(), '5');
                assert_eq!(u.kind(), kind);
                // Foundations are registered by the city, the others by the district.
                let division = if o.legal_form == LegalForm::Foundation {
                    tables::NANJING
                } else {
                    XUANWU
                };
                assert_eq!(u.division(), division, "{}", o.name);
                assert!(usccs.insert(u.clone()), "USCC {u}");
                assert!(bodies.insert(u.org_code()[..8].to_string()), "body {u}");
                assert!(o.filing_number.is_none());
            }
            None => {
                let f = o.filing_number.as_ref().expect("filed forms have a number");
                assert!(o.uscc.is_none());
                assert!(
                    streets.contains(o.jurisdiction.as_str()),
                    "{} is filed at district level",
                    o.name
                );
                assert_eq!(f.street_code(), o.jurisdiction.as_str(), "{}", o.name);
                let year: i32 = f.as_str()[13..17].parse().unwrap();
                assert!(
                    year >= o.founded_on.year() && year <= today().year(),
                    "{f} for {}",
                    o.name
                );
                assert!(filings.insert(f.clone()), "filing number {f}");
            }
        }
    }
}

#[test]
fn the_records_are_plausible() {
    let t = today();
    let orgs = xuanwu_organizations(t);
    let earliest = NaiveDate::from_ymd_opt(1995, 1, 1).unwrap();
    for o in &orgs {
        assert!(o.founded_on >= earliest && o.founded_on <= t, "{}", o.name);
        if o.party_org == PartyOrg::OwnBranch {
            assert!(o.party_members >= 3, "{}", o.name);
        }
        // Three or more members must be organized (in a branch of their own or a joint one).
        if o.party_org == PartyOrg::None {
            assert!(o.party_members < 3, "{}", o.name);
        }
        assert!(o.party_members <= o.staff_total(), "{}", o.name);
        if let Some(a) = o.grade_awarded_on {
            assert!(a >= add_years(o.founded_on, 2) && a <= t, "{}", o.name);
            assert_ne!(o.legal_form, LegalForm::CommunityFiled, "{}", o.name);
        }
        assert_eq!(o.grade.is_some(), o.grade_awarded_on.is_some());
        assert!(o.contact_phone.is_some() || o.legal_form == LegalForm::CommunityFiled);
        assert!(!o.address.is_empty() && !o.legal_representative.is_empty());
    }
    // Most organizations small, a few large.
    let mut sizes: Vec<u32> = orgs.iter().map(|o| o.staff_total()).collect();
    sizes.sort();
    assert!(
        sizes[sizes.len() / 2] <= 12,
        "median {}",
        sizes[sizes.len() / 2]
    );
    let large = sizes.iter().filter(|&&s| s >= 100).count();
    assert!((5..=60).contains(&large), "{large} with 100+ staff");
    // A mix of legal forms: filed community organizations and institutions the most,
    // some social groups, very few foundations.
    let forms = count_by(&orgs, |o| o.legal_form);
    assert!(forms[&LegalForm::CommunityFiled] > forms[&LegalForm::SocialGroup]);
    assert!(forms[&LegalForm::SocialServiceInstitution] > forms[&LegalForm::SocialGroup]);
    assert!(forms[&LegalForm::SocialGroup] >= 100);
    assert!((1..=5).contains(&forms[&LegalForm::Foundation]));
    // Every stage, every street, and Suojincun's 70+ organizations.
    let stages = count_by(&orgs, |o| o.stage);
    assert_eq!(stages.len(), Stage::ALL.len(), "{stages:?}");
    let places = count_by(&orgs, |o| o.jurisdiction.to_string());
    assert_eq!(places.len(), 8, "{places:?}");
    assert!(places["320102007000"] >= 70);
    // Elderly care, child care, disability support, employment — the article's services.
    for d in [
        ServiceDomain::Elderly,
        ServiceDomain::Children,
        ServiceDomain::Disability,
        ServiceDomain::Employment,
        ServiceDomain::CultureSports,
    ] {
        let n = orgs.iter().filter(|o| o.domains.contains(&d)).count();
        assert!(n >= 20, "{d}: {n}");
    }
}

#[test]
fn the_data_are_deterministic() {
    let a = xuanwu_organizations(today());
    assert_eq!(a, xuanwu_organizations(today()));
    // Another day changes dates, not the cast.
    let b = xuanwu_organizations(NaiveDate::from_ymd_opt(2020, 3, 1).unwrap());
    let names = |v: &[OrganizationData]| v.iter().map(|o| o.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    assert_eq!(staff(&a), staff(&b));
}

fn count_by<K: Ord>(
    orgs: &[OrganizationData],
    key: impl Fn(&OrganizationData) -> K,
) -> BTreeMap<K, usize> {
    let mut m = BTreeMap::new();
    for o in orgs {
        *m.entry(key(o)).or_default() += 1;
    }
    m
}

/// `cargo test -p shuniu-demo figures -- --nocapture` prints the data set's figures.
#[test]
fn figures() {
    let orgs = xuanwu_organizations(today());
    let pw = orgs.iter().filter(|o| is_public_welfare(o)).count();
    let pw_all = orgs
        .iter()
        .filter(|o| o.domains.iter().all(|d| d.is_public_welfare()))
        .count();
    println!(
        "organizations {} · staff {} · public-welfare {pw} ({:.1}%), all domains {pw_all} ({:.1}%)",
        orgs.len(),
        staff(&orgs),
        100.0 * pw as f64 / orgs.len() as f64,
        100.0 * pw_all as f64 / orgs.len() as f64
    );
    for (place, n) in count_by(&orgs, |o| o.jurisdiction.to_string()) {
        let s: u64 = orgs
            .iter()
            .filter(|o| o.jurisdiction.as_str() == place)
            .map(|o| u64::from(o.staff_total()))
            .sum();
        let name = XUANWU_STREETS
            .iter()
            .find(|x| x.0 == place)
            .map_or("玄武区 (district level)", |x| x.1);
        println!("  {place} {name}: {n} organizations, {s} staff");
    }
    println!("  forms {:?}", count_by(&orgs, |o| o.legal_form));
    println!("  stages {:?}", count_by(&orgs, |o| o.stage));
    println!("  grades {:?}", count_by(&orgs, |o| o.grade));
    println!("  party {:?}", count_by(&orgs, |o| o.party_org));
    let mut sizes: Vec<u32> = orgs.iter().map(|o| o.staff_total()).collect();
    sizes.sort();
    println!(
        "  staff per organization: median {}, p90 {}, max {}, 100+: {}",
        sizes[sizes.len() / 2],
        sizes[sizes.len() * 9 / 10],
        sizes[sizes.len() - 1],
        sizes.iter().filter(|&&s| s >= 100).count()
    );
    for d in ServiceDomain::ALL {
        print!(
            "{}={} ",
            d,
            orgs.iter().filter(|o| o.domains.contains(d)).count()
        );
    }
    println!();
}

fn weekday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
}

#[test]
fn founding_and_award_dates_are_working_days() {
    for t in todays() {
        for o in xuanwu_organizations(t) {
            // Dates clamped to an early `today` may fall on it, whatever the day.
            if o.founded_on < t {
                assert!(weekday(o.founded_on), "{} {}", o.name, o.founded_on);
            }
            if let Some(a) = o.grade_awarded_on {
                assert!(weekday(a), "{} {a}", o.name);
            }
        }
    }
}

#[test]
fn grades_come_in_round_batches_and_some_have_expired() {
    let t = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    assert_eq!(
        rounds(t),
        vec![2013, 2015, 2017, 2019, 2021, 2023, 2025],
        "rounds every other year since 2013"
    );
    let all = generate::Generator::new(t).run_with_awards();
    let mut expired = 0;
    let mut years = HashSet::new();
    for (o, award) in &all {
        let Some((grade, on)) = *award else {
            assert!(o.grade.is_none(), "{}", o.name);
            continue;
        };
        assert_eq!(on, round_award_day(on.year()), "{}", o.name);
        assert!(rounds(t).contains(&on.year()));
        years.insert(on.year());
        if Grade::expiry(on) <= t {
            // Five years or more: expired, no current grade.
            expired += 1;
            assert_eq!(o.grade, None, "{}", o.name);
        } else {
            assert_eq!((o.grade, o.grade_awarded_on), (Some(grade), Some(on)));
        }
    }
    assert!(expired >= 5, "{expired} expired");
    assert!(years.len() >= 4, "{years:?}");
    // No round before the first: nothing graded on the article's day.
    let article = NaiveDate::from_ymd_opt(2012, 8, 2).unwrap();
    assert!(
        xuanwu_organizations(article)
            .iter()
            .all(|o| o.grade.is_none())
    );
}

#[test]
fn promotion_associations_were_registered_in_2012() {
    let orgs = xuanwu_organizations(today());
    for (_, street, _) in XUANWU_STREETS {
        let hub = find(&orgs, &format!("{street}社会组织发展促进会"));
        assert!(
            hub.founded_on.year() == 2011 || hub.founded_on.year() == 2012,
            "{street}: {}",
            hub.founded_on
        );
    }
}

#[test]
fn foundations_are_registered_by_the_city() {
    use shuniu_domain::supervision::registration::authority_path;
    let orgs = xuanwu_organizations(today());
    let foundations: Vec<_> = orgs
        .iter()
        .filter(|o| o.legal_form == LegalForm::Foundation)
        .collect();
    assert!(!foundations.is_empty());
    for o in foundations {
        assert_eq!(
            authority_path(o.legal_form, "320000/320100/320102/"),
            "320000/320100/"
        );
        assert_eq!(o.uscc.as_ref().unwrap().division(), "320100", "{}", o.name);
    }
}

#[test]
fn every_street_s_communities_have_english_names() {
    for s in &tables::STREETS {
        assert!(s.communities.len() >= 3, "{}", s.name);
        for (c, _) in s.communities {
            assert_ne!(tables::community_en(c), *c, "{c} has no English name");
        }
    }
}
