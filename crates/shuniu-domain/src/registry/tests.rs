//! Unit tests of the registry record and its validation.
use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

pub(crate) fn good() -> OrganizationDraft {
    OrganizationDraft {
        name: Some("南京玄武一家圆心灵保姆服务中心".into()),
        legal_form: Some("social_service_institution".into()),
        uscc: Some(
            Uscc::assemble('5', '2', "320102", "MJ5000A1")
                .unwrap()
                .to_string(),
        ),
        domains: Some(vec!["elderly".into(), "public_welfare".into()]),
        jurisdiction: Some("320102002000".into()),
        address: Some("梅园新村34号".into()),
        founded_on: Some("2010-05-01".into()),
        legal_representative: Some("张三".into()),
        contact_phone: Some("13812348000".into()),
        staff_full_time: Some("5".into()),
        staff_part_time: Some("3".into()),
        stage: Some("growth".into()),
        ..Default::default()
    }
}

#[test]
fn a_good_draft_validates() {
    let d = good().validate(today()).unwrap();
    assert_eq!(d.staff_total(), 8);
    assert_eq!(
        d.domains,
        vec![ServiceDomain::Elderly, ServiceDomain::PublicWelfare]
    );
    assert_eq!(d.to_draft().validate(today()).unwrap(), d);
}

#[test]
fn every_bad_field_is_named() {
    let mut d = good();
    d.uscc = Some("51320102MJ5000A1X9".into());
    d.founded_on = Some("2099-01-01".into());
    d.staff_full_time = Some("-1".into());
    d.contact_phone = Some("12345".into());
    d.domains = Some(vec!["bogus".into()]);
    d.name = None;
    let e = d.validate(today()).unwrap_err();
    for f in [
        "uscc",
        "founded_on",
        "staff_full_time",
        "contact_phone",
        "domains",
        "name",
    ] {
        assert!(e.get(f).is_some(), "{f} not reported: {e}");
    }
}

#[test]
fn uscc_type_must_fit_the_legal_form() {
    let mut d = good();
    d.legal_form = Some("foundation".into());
    let e = d.validate(today()).unwrap_err();
    assert!(e.get("uscc").unwrap().en.contains("must be 3"), "{e}");
    let mut d = good();
    d.uscc = Some("91350100M000100Y43".into());
    assert!(
        d.validate(today())
            .unwrap_err()
            .get("uscc")
            .unwrap()
            .en
            .contains("civil affairs")
    );
}

#[test]
fn filed_organizations_need_a_filing_number_not_a_uscc() {
    let mut d = good();
    d.legal_form = Some("community_filed".into());
    let e = d.validate(today()).unwrap_err();
    assert!(e.get("filing_number").is_some());
    assert!(e.get("uscc").is_some());
    d.uscc = None;
    d.filing_number = Some("320102002000-2011-0007".into());
    assert!(d.validate(today()).is_ok());
    d.filing_number = Some("320102003000-2011-0007".into());
    assert!(
        d.validate(today())
            .unwrap_err()
            .get("filing_number")
            .is_some()
    );
}

#[test]
fn grade_and_party_rules() {
    let mut d = good();
    d.grade = Some("4a".into());
    assert!(
        d.validate(today())
            .unwrap_err()
            .get("grade_awarded_on")
            .is_some()
    );
    d.grade_awarded_on = Some("2024-02-29".into());
    let v = d.validate(today()).unwrap();
    assert_eq!(v.grade, Some(Grade::A4));
    assert_eq!(v.grade_expires_on(), NaiveDate::from_ymd_opt(2029, 2, 28));
    d.party_org = Some("own_branch".into());
    d.party_members = Some("2".into());
    assert!(
        d.validate(today())
            .unwrap_err()
            .get("party_members")
            .is_some()
    );
}

#[test]
fn filing_and_grade_rules_of_the_regulations() {
    let mut d = good();
    d.legal_form = Some("community_filed".into());
    d.uscc = None;
    d.filing_number = Some("320102002000-2011-0007".into());
    d.jurisdiction = Some("320102".into());
    assert!(
        d.validate(today())
            .unwrap_err()
            .get("jurisdiction")
            .is_some(),
        "district level"
    );
    d.jurisdiction = Some("320102002003".into());
    assert!(
        d.validate(today()).is_ok(),
        "a community of the filing street"
    );
    d.filing_number = Some("320102002000-2009-0007".into());
    assert!(
        d.validate(today())
            .unwrap_err()
            .get("filing_number")
            .is_some(),
        "filed before founding"
    );
    d.filing_number = Some("320102002000-2030-0007".into());
    assert!(
        d.validate(today())
            .unwrap_err()
            .get("filing_number")
            .is_some(),
        "filed in the future"
    );
    d.filing_number = Some("320102002000-2011-0007".into());
    d.grade = Some("3A".into());
    d.grade_awarded_on = Some("2020-01-01".into());
    assert!(
        d.validate(today()).unwrap_err().get("grade").is_some(),
        "filed orgs are not graded"
    );
    let mut g = good();
    g.grade = Some("3A".into());
    g.grade_awarded_on = Some("2011-05-01".into());
    assert!(
        g.validate(today())
            .unwrap_err()
            .get("grade_awarded_on")
            .is_some(),
        "less than two years"
    );
    g.grade_awarded_on = Some("2012-05-01".into());
    assert!(g.validate(today()).is_ok());
}

#[test]
fn merge_overlays_given_fields_only() {
    let patch = OrganizationDraft {
        staff_full_time: Some("9".into()),
        ..Default::default()
    };
    let merged = good().merge(patch);
    assert_eq!(merged.staff_full_time.as_deref(), Some("9"));
    assert_eq!(merged.name, good().name);
}

#[test]
fn domain_mask_round_trips() {
    let ds = vec![ServiceDomain::Elderly, ServiceDomain::Other];
    assert_eq!(ServiceDomain::from_mask(ServiceDomain::mask(&ds)), ds);
}
