use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 12, 1)
}

fn report(year: i32, outcome: Option<ReviewOutcome>, late: bool) -> ReportFact {
    ReportFact {
        year,
        filed: true,
        late,
        outcome,
    }
}

/// A well-run organization: everything on time, graded 4A, rated well, no complaints.
fn good() -> Facts {
    Facts {
        status: OrgStatus::Active,
        community_filed: false,
        reports: vec![
            report(2025, Some(ReviewOutcome::Qualified), false),
            report(2024, Some(ReviewOutcome::Qualified), false),
            report(2023, Some(ReviewOutcome::Qualified), false),
        ],
        grade: Some((Grade::A4, d(2028, 6, 30))),
        on_serious_list: false,
        on_abnormal_list: false,
        past_listings: 0,
        ratings_count: 20,
        ratings_sum: 92,
        completed_requests: 25,
        complaints: 0,
        complaints_answered_in_time: 0,
        complaints_upheld: 0,
        discloses_phone: true,
        discloses_hours: true,
        discloses_address: true,
        lists_services: true,
        obligations: Some((4, 4)),
    }
}

/// A filed community organization is judged on what applies to it: no annual report
/// or grade is owed, so neither part counts (unless it has one to show).
#[test]
fn a_filed_community_organization_owes_no_report_and_no_grade() {
    let f = Facts {
        community_filed: true,
        reports: vec![],
        grade: None,
        ..good()
    };
    let c = assess(&f, &Settings::default(), d(2026, 11, 30));
    for p in [Part::AnnualReports, Part::Grade] {
        let s = c.parts.iter().find(|x| x.part == p).unwrap();
        assert_eq!(s.points, None, "{p:?}");
        assert!(s.notes[0].en.contains("filed community organizations"));
    }
    assert_eq!(c.band, Band::High);
    let graded = Facts {
        grade: Some((Grade::A3, d(2028, 1, 1))),
        ..f
    };
    let c = assess(&graded, &Settings::default(), d(2026, 11, 30));
    assert_eq!(
        c.parts
            .iter()
            .find(|x| x.part == Part::Grade)
            .unwrap()
            .points,
        Some(75)
    );
}

/// A new organization with nothing to show yet.
fn young() -> Facts {
    Facts {
        reports: vec![],
        grade: None,
        ratings_count: 2,
        ratings_sum: 10,
        completed_requests: 0,
        obligations: None,
        ..good()
    }
}

fn part(c: &Credibility, p: Part) -> &PartScore {
    c.parts.iter().find(|x| x.part == p).unwrap()
}

#[test]
fn default_weights_add_up_and_every_part_is_weighed() {
    let w = Weights::DEFAULT;
    let sum: u32 = Part::ALL.iter().map(|&p| u32::from(w.of(p))).sum();
    assert_eq!(sum, 100);
    assert!(Part::ALL.iter().all(|&p| w.of(p) > 0));
}

#[test]
fn weights_that_do_not_add_up_are_refused_by_name() {
    let e = Weights::new([10, 10, 10, 10, 10, 10, 10, 10]).unwrap_err();
    assert!(e.get("weights").unwrap().message(Lang::En).contains("80"));
    let e = Weights::new([101, 0, 0, 0, 0, 0, 0, 0]).unwrap_err();
    assert!(e.get("weights.registration").is_some());
    assert!(Weights::new([100, 0, 0, 0, 0, 0, 0, 0]).is_ok());
}

#[test]
fn a_well_run_organization_scores_high_with_every_part_counted() {
    let c = assess(&good(), &Settings::default(), today());
    assert!(c.score >= 85, "{}", c.score);
    assert_eq!(c.band, Band::High);
    assert!(c.cap.is_none());
    assert_eq!(c.parts.len(), Part::ALL.len());
    assert!(c.parts.iter().all(|p| p.points.is_some()));
    assert_eq!(part(&c, Part::Grade).points, Some(90));
    assert_eq!(part(&c, Part::Ratings).points, Some(90), "4.6 of 5");
    assert!(
        part(&c, Part::Ratings).notes[0].en.contains("4.6 of 5"),
        "{:?}",
        part(&c, Part::Ratings).notes
    );
    assert!(part(&c, Part::Grade).notes[0].zh.contains("2028年6月30日"));
}

#[test]
fn parts_without_evidence_are_not_counted_and_say_why() {
    let c = assess(&young(), &Settings::default(), today());
    for p in [
        Part::AnnualReports,
        Part::Ratings,
        Part::Complaints,
        Part::Obligations,
    ] {
        let s = part(&c, p);
        assert_eq!(s.points, None, "{p:?}");
        assert!(s.notes[0].en.contains("not counted"), "{:?}", s.notes);
        assert!(s.notes[0].zh.contains("暂不计入"));
    }
    // Registration 100 ×10, grade 30 ×15, credit 100 ×20, disclosure 100 ×5 over 50.
    assert_eq!(u32::from(c.score), ((1000 + 450 + 2000 + 500) + 25) / 50);
}

#[test]
fn too_few_ratings_do_not_count_until_the_minimum() {
    let mut f = good();
    f.ratings_count = 4;
    f.ratings_sum = 4;
    let s = Settings::default();
    assert_eq!(part(&assess(&f, &s, today()), Part::Ratings).points, None);
    f.ratings_count = 5;
    f.ratings_sum = 5;
    assert_eq!(
        part(&assess(&f, &s, today()), Part::Ratings).points,
        Some(0)
    );
    let lenient = Settings {
        min_ratings: 1,
        ..s
    };
    f.ratings_count = 1;
    f.ratings_sum = 5;
    assert_eq!(
        part(&assess(&f, &lenient, today()), Part::Ratings).points,
        Some(100)
    );
}

#[test]
fn late_and_failed_reports_cost_points_year_by_year() {
    let mut f = good();
    f.reports = vec![
        report(2025, Some(ReviewOutcome::Qualified), true),
        report(2024, Some(ReviewOutcome::Unqualified), false),
        ReportFact {
            year: 2023,
            filed: false,
            late: false,
            outcome: None,
        },
    ];
    let c = assess(&f, &Settings::default(), today());
    let r = part(&c, Part::AnnualReports);
    assert_eq!(r.points, Some(((70 + 1) / 3) as u8));
    assert_eq!(r.notes.len(), 3);
    assert!(r.notes[0].zh.contains("逾期"));
    assert!(r.notes[1].en.contains("unqualified"));
    assert!(r.notes[2].en.contains("not filed"));
}

#[test]
fn only_the_set_number_of_years_is_judged() {
    let mut f = good();
    f.reports.push(ReportFact {
        year: 2022,
        filed: false,
        late: false,
        outcome: None,
    });
    let c = assess(&f, &Settings::default(), today());
    assert_eq!(part(&c, Part::AnnualReports).points, Some(100));
}

#[test]
fn an_expired_grade_counts_as_none() {
    let mut f = good();
    f.grade = Some((Grade::A5, d(2026, 11, 30)));
    let c = assess(&f, &Settings::default(), today());
    assert_eq!(part(&c, Part::Grade).points, Some(30));
}

#[test]
fn the_serious_list_caps_the_score_whatever_else_is_good() {
    let mut f = good();
    f.on_serious_list = true;
    let c = assess(&f, &Settings::default(), today());
    assert!(c.score <= 40);
    assert_eq!(c.band, Band::Low);
    assert!(c.cap.as_ref().unwrap().zh.contains("严重违法失信"));
    assert_eq!(part(&c, Part::Credit).points, Some(0));
}

#[test]
fn suspension_and_deregistration_cap_lower() {
    let mut f = good();
    f.status = OrgStatus::Suspended;
    assert!(assess(&f, &Settings::default(), today()).score <= 20);
    f.status = OrgStatus::Deregistered;
    assert_eq!(assess(&f, &Settings::default(), today()).score, 0);
}

#[test]
fn complaints_cost_by_rate_and_by_late_answers() {
    let mut f = good();
    f.complaints = 2;
    f.complaints_upheld = 1;
    f.complaints_answered_in_time = 1;
    f.completed_requests = 20;
    let c = assess(&f, &Settings::default(), today());
    // 1 upheld in 20 costs 6; one of two answered late costs 20.
    assert_eq!(part(&c, Part::Complaints).points, Some(74));
    f.complaints_answered_in_time = 2;
    assert_eq!(
        part(&assess(&f, &Settings::default(), today()), Part::Complaints).points,
        Some(94)
    );
}

#[test]
fn disclosure_names_what_is_missing() {
    let mut f = good();
    f.discloses_hours = false;
    f.lists_services = false;
    let c = assess(&f, &Settings::default(), today());
    let p = part(&c, Part::Disclosure);
    assert_eq!(p.points, Some(50));
    assert!(p.notes[0].zh.contains("服务时间、服务项目"));
    assert!(p.notes[0].en.contains("hours, services"));
    assert_eq!(p.source, Source::SelfDeclared);
}

#[test]
fn bands_follow_the_score() {
    assert_eq!(Band::of(100), Band::High);
    assert_eq!(Band::of(80), Band::High);
    assert_eq!(Band::of(79), Band::Fair);
    assert_eq!(Band::of(60), Band::Fair);
    assert_eq!(Band::of(59), Band::Low);
    assert_eq!(Band::of(0), Band::Low);
}

fn facts() -> impl Strategy<Value = Facts> {
    (
        prop::sample::select(OrgStatus::ALL.to_vec()),
        prop::collection::vec(
            (
                any::<bool>(),
                any::<bool>(),
                prop::option::of(prop::sample::select(ReviewOutcome::ALL.to_vec())),
            ),
            0..5,
        ),
        prop::option::of((prop::sample::select(Grade::ALL.to_vec()), 0i64..4000)),
        (any::<bool>(), any::<bool>(), 0u32..10),
        (0u32..500, 0u32..3000, 0u32..500),
        (0u32..50, 0u32..60, 0u32..60),
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        prop::option::of((0u32..20, 0u32..20)),
    )
        .prop_map(
            |(status, reports, grade, credit, ratings, complaints, disclosure, obligations)| {
                Facts {
                    status,
                    community_filed: false,
                    reports: reports
                        .into_iter()
                        .enumerate()
                        .map(|(i, (filed, late, outcome))| ReportFact {
                            year: 2025 - i as i32,
                            filed,
                            late,
                            outcome,
                        })
                        .collect(),
                    grade: grade.map(|(g, days)| (g, d(2022, 1, 1) + chrono::Duration::days(days))),
                    on_serious_list: credit.0,
                    on_abnormal_list: credit.1,
                    past_listings: credit.2,
                    ratings_count: ratings.0,
                    ratings_sum: ratings.1,
                    completed_requests: ratings.2,
                    complaints: complaints.0,
                    complaints_answered_in_time: complaints.1,
                    complaints_upheld: complaints.2,
                    discloses_phone: disclosure.0,
                    discloses_hours: disclosure.1,
                    discloses_address: disclosure.2,
                    lists_services: disclosure.3,
                    obligations,
                }
            },
        )
}

proptest! {
    #[test]
    fn every_score_and_part_is_within_0_and_100_and_explained(f in facts()) {
        let c = assess(&f, &Settings::default(), today());
        prop_assert!(c.score <= 100);
        prop_assert_eq!(c.band, Band::of(c.score));
        prop_assert_eq!(c.parts.len(), Part::ALL.len());
        for p in &c.parts {
            prop_assert!(p.points.is_none_or(|x| x <= 100));
            prop_assert!(!p.notes.is_empty());
            prop_assert_eq!(p.weight, Settings::default().weights.of(p.part));
        }
    }

    #[test]
    fn a_listing_never_raises_the_score(f in facts()) {
        let s = Settings::default();
        let before = assess(&f, &s, today()).score;
        let mut listed = f.clone();
        listed.on_serious_list = true;
        prop_assert!(assess(&listed, &s, today()).score <= before);
        let mut abnormal = f;
        abnormal.on_abnormal_list = true;
        prop_assert!(assess(&abnormal, &s, today()).score <= before);
    }

    #[test]
    fn a_better_rating_never_lowers_the_score(f in facts()) {
        let s = Settings::default();
        let before = assess(&f, &s, today()).score;
        let mut better = f.clone();
        // Raise every rating that can be raised: same count, larger sum within 5 each.
        better.ratings_sum = (f.ratings_sum.max(f.ratings_count) + 1).min(5 * f.ratings_count);
        prop_assert!(assess(&better, &s, today()).score >= before);
    }
}
