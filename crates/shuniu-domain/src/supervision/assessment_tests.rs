use super::*;
use crate::supervision::testkit::d;
use proptest::prelude::*;

fn facts() -> EligibilityFacts {
    EligibilityFacts {
        legal_form: LegalForm::SocialGroup,
        status: OrgStatus::Active,
        registered_on: d(2020, 3, 2),
        grade: None,
        last_reviews: [Some(ReviewOutcome::Qualified), None],
        penalized_last_year: false,
        under_investigation: false,
        on_credit_list: false,
    }
}

#[test]
fn the_default_tables_are_consistent() {
    for k in TableKind::ALL {
        let t = IndicatorTable::jiangsu_default(*k);
        t.check().unwrap();
        assert_eq!(
            t.areas
                .iter()
                .find(|a| a.code == "party_building")
                .unwrap()
                .points,
            100
        );
    }
    let mut t = IndicatorTable::jiangsu_default(TableKind::Foundation);
    t.cutoffs.swap(0, 1);
    assert!(t.check().is_err());
    t = IndicatorTable::jiangsu_default(TableKind::Foundation);
    t.areas[0].points += 1;
    assert!(t.check().is_err());
}

#[test]
fn scores_make_a_total_and_a_grade() {
    let t = IndicatorTable::jiangsu_default(TableKind::PublicWelfareGroup);
    let full: BTreeMap<String, u32> = t.areas.iter().map(|a| (a.code.clone(), a.points)).collect();
    assert_eq!(
        t.total(&full, 30).unwrap(),
        1000,
        "bonus is capped at the total"
    );
    let mut s = full.clone();
    s.insert("work_performance".into(), 250);
    assert_eq!(t.total(&s, 0).unwrap(), 900);
    assert_eq!(t.grade_for(900), Some(Grade::A4));
    assert_eq!(t.grade_for(950), Some(Grade::A5));
    assert_eq!(t.grade_for(499), None);
    s.insert("social_evaluation".into(), 151);
    s.insert("made_up".into(), 1);
    s.remove("party_building");
    let e = t.total(&s, 31).unwrap_err();
    for f in ["social_evaluation", "made_up", "party_building", "bonus"] {
        assert!(e.get(f).is_some(), "{f}: {e}");
    }
}

#[test]
fn eligibility_names_the_rule_that_failed() {
    let on = d(2026, 9, 1);
    assert!(check_eligibility(&facts(), on).is_ok());
    let rule = |f: EligibilityFacts| check_eligibility(&f, on).unwrap_err().rule;
    assert_eq!(
        rule(EligibilityFacts {
            registered_on: d(2025, 1, 1),
            ..facts()
        }),
        "two_full_years"
    );
    assert_eq!(
        rule(EligibilityFacts {
            legal_form: LegalForm::CommunityFiled,
            ..facts()
        }),
        "filed_not_assessed"
    );
    assert_eq!(
        rule(EligibilityFacts {
            status: OrgStatus::Suspended,
            ..facts()
        }),
        "not_active"
    );
    assert_eq!(
        rule(EligibilityFacts {
            last_reviews: [None, None],
            ..facts()
        }),
        "annual_report_missing"
    );
    assert_eq!(
        rule(EligibilityFacts {
            last_reviews: [Some(ReviewOutcome::Unqualified), None],
            ..facts()
        }),
        "annual_report_failed"
    );
    assert_eq!(
        rule(EligibilityFacts {
            last_reviews: [Some(ReviewOutcome::BasicallyQualified); 2],
            ..facts()
        }),
        "two_basically_qualified"
    );
    assert_eq!(
        rule(EligibilityFacts {
            penalized_last_year: true,
            ..facts()
        }),
        "penalized"
    );
    assert_eq!(
        rule(EligibilityFacts {
            under_investigation: true,
            ..facts()
        }),
        "under_investigation"
    );
    assert_eq!(
        rule(EligibilityFacts {
            on_credit_list: true,
            ..facts()
        }),
        "credit_listed"
    );
    assert_eq!(
        rule(EligibilityFacts {
            grade: Some((Grade::A3, d(2029, 1, 1))),
            ..facts()
        }),
        "grade_in_force"
    );
    // In its last year a grade may be renewed.
    assert!(
        check_eligibility(
            &EligibilityFacts {
                grade: Some((Grade::A3, d(2027, 6, 1))),
                ..facts()
            },
            on
        )
        .is_ok()
    );
}

#[test]
fn an_application_moves_through_its_steps() {
    use ApplicationStage::*;
    assert!(Applied.can_become(Scored));
    assert!(Scored.can_become(Notice));
    assert!(Notice.can_become(Awarded));
    assert!(
        !Applied.can_become(Awarded),
        "no award without scoring and notice"
    );
    assert!(!Scored.can_become(Awarded), "no award without notice");
    assert!(!Awarded.can_become(Scored));
    assert!(
        Notice.can_become(Scored),
        "a review of the result during the notice re-scores"
    );
}

#[test]
fn grades_are_awarded_after_the_notice() {
    assert_eq!(notice_ends_on(d(2026, 10, 1), 7), d(2026, 10, 7));
    assert!(check_award_date(d(2026, 10, 1), 7, d(2026, 10, 7)).is_err());
    assert!(check_award_date(d(2026, 10, 1), 7, d(2026, 10, 8)).is_ok());
}

#[test]
fn expired_grades_do_not_count() {
    let old = GradeAward::new(Grade::A5, d(2015, 12, 1), GradeSource::Import);
    let new = GradeAward::new(Grade::A3, d(2021, 12, 1), GradeSource::Assessment);
    let awards = vec![old.clone(), new.clone()];
    assert_eq!(
        effective_grade(&awards, d(2018, 1, 1)).unwrap().grade,
        Grade::A5
    );
    assert_eq!(
        effective_grade(&awards, d(2020, 12, 1)),
        None,
        "expired on its fifth anniversary"
    );
    assert_eq!(
        effective_grade(&awards, d(2024, 1, 1)).unwrap().grade,
        Grade::A3
    );
    assert_eq!(effective_grade(&awards, d(2026, 12, 1)), None);
    assert_eq!(effective_grade(&awards, d(2010, 1, 1)), None);
}

#[test]
fn lowering_keeps_the_expiry_and_withdrawal_ends_the_grade() {
    let a = GradeAward::new(Grade::A4, d(2023, 6, 1), GradeSource::Assessment);
    let ch = GradeChange::parse(Grade::A4, Some("2a"), Some("被列入活动异常名录")).unwrap();
    let (ended, lower) = ch.apply(&a, d(2025, 1, 10));
    let lower = lower.unwrap();
    assert_eq!((lower.grade, lower.expires_on), (Grade::A2, a.expires_on));
    let awards = vec![ended.clone(), lower];
    assert_eq!(
        effective_grade(&awards, d(2025, 1, 9)).unwrap().grade,
        Grade::A4
    );
    assert_eq!(
        effective_grade(&awards, d(2025, 1, 10)).unwrap().grade,
        Grade::A2
    );
    let w = GradeChange::parse(Grade::A4, None, Some("严重违法失信")).unwrap();
    let (ended, none) = w.apply(&a, d(2025, 1, 10));
    assert!(none.is_none());
    assert_eq!(effective_grade(&[ended], d(2025, 2, 1)), None);
    assert!(GradeChange::parse(Grade::A4, Some("5A"), Some("x")).is_err());
    assert!(GradeChange::parse(Grade::A4, None, Some(" ")).is_err());
}

proptest! {
    /// Whatever the awards, the effective grade is one in force on that date, and no
    /// award in force is newer.
    #[test]
    fn the_effective_grade_is_the_newest_in_force(
        awards in proptest::collection::vec((0usize..5, 0i64..6000, proptest::option::of(0i64..2000)), 0..6),
        probe in 0i64..9000,
    ) {
        let base = d(2010, 1, 1);
        let awards: Vec<GradeAward> = awards
            .into_iter()
            .map(|(g, day, end)| {
                let mut a = GradeAward::new(Grade::ALL[g], base + Duration::days(day), GradeSource::Assessment);
                a.ended_on = end.map(|e| a.awarded_on + Duration::days(e));
                a
            })
            .collect();
        let on = base + Duration::days(probe);
        match effective_grade(&awards, on) {
            None => prop_assert!(awards.iter().all(|a| !a.in_force_on(on))),
            Some(g) => {
                prop_assert!(g.in_force_on(on));
                prop_assert!(on < add_years(g.awarded_on, 5));
                prop_assert!(awards.iter().filter(|a| a.in_force_on(on)).all(|a| a.awarded_on <= g.awarded_on));
            }
        }
    }
}
