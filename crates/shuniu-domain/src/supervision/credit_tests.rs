use super::*;
use crate::supervision::testkit::d;
use proptest::prelude::*;

fn facts() -> CreditFacts {
    CreditFacts {
        legal_form: Some(LegalForm::SocialGroup),
        founded_on: d(2020, 3, 2),
        reports_filed: (2020..=2024).map(|y| (y, d(y + 1, 4, 20))).collect(),
        ..Default::default()
    }
}

fn s() -> CreditSettings {
    CreditSettings {
        from_year: 2020,
        ..Default::default()
    }
}

fn event(on: NaiveDate, kind: EventKind) -> CreditEvent {
    CreditEvent {
        id: Uuid::now_v7(),
        on,
        kind,
    }
}

fn lists(changes: &[ListingChange]) -> Vec<(Trigger, NaiveDate)> {
    changes
        .iter()
        .filter_map(|c| match c {
            ListingChange::List { trigger, on, .. } => Some((*trigger, *on)),
            _ => None,
        })
        .collect()
}

fn removals(changes: &[ListingChange]) -> Vec<(Trigger, NaiveDate)> {
    changes
        .iter()
        .filter_map(|c| match c {
            ListingChange::Remove { trigger, on, .. } => Some((*trigger, *on)),
            _ => None,
        })
        .collect()
}

fn run(f: &mut CreditFacts, today: NaiveDate) -> Vec<ListingChange> {
    let c = supervise(f, today, &s());
    apply(f, &c);
    assert!(supervise(f, today, &s()).is_empty(), "idempotent");
    c
}

#[test]
fn a_late_report_lists_the_day_after_the_deadline() {
    let mut f = facts();
    assert!(run(&mut f, d(2026, 5, 31)).is_empty());
    let c = run(&mut f, d(2026, 6, 1));
    assert_eq!(lists(&c), vec![(Trigger::LateAnnualReport, d(2026, 6, 1))]);
    match &c[0] {
        ListingChange::List {
            reason_zh,
            reason_en,
            cause,
            ..
        } => {
            assert_eq!(cause, "year:2025");
            assert!(reason_zh.contains("2025年度") && reason_en.contains("2026-05-31"));
        }
        _ => unreachable!(),
    }
    // Filed late: still listed until six months have passed, then removed.
    f.reports_filed.insert(2025, d(2026, 7, 1));
    assert!(run(&mut f, d(2026, 11, 30)).is_empty());
    let c = run(&mut f, d(2026, 12, 1));
    assert_eq!(
        removals(&c),
        vec![(Trigger::LateAnnualReport, d(2026, 12, 1))]
    );
    assert!(!is_listed(&f.listings, ListKind::Abnormal, d(2026, 12, 1)));
    assert!(is_listed(&f.listings, ListKind::Abnormal, d(2026, 11, 30)));
}

#[test]
fn a_report_filed_after_six_months_is_removed_when_filed() {
    let mut f = facts();
    run(&mut f, d(2026, 6, 1));
    assert!(
        run(&mut f, d(2027, 1, 5)).is_empty(),
        "not corrected: stays"
    );
    f.reports_filed.insert(2025, d(2027, 1, 10));
    assert_eq!(
        removals(&run(&mut f, d(2027, 1, 10))),
        vec![(Trigger::LateAnnualReport, d(2027, 1, 10))]
    );
}

#[test]
fn two_years_uncorrected_goes_onto_the_serious_list() {
    let mut f = facts();
    // A job that never ran catches up, with the dates it would have used.
    let c = run(&mut f, d(2028, 6, 2));
    let l = lists(&c);
    assert!(l.contains(&(Trigger::LateAnnualReport, d(2026, 6, 1))));
    assert!(l.contains(&(Trigger::LateAnnualReport, d(2027, 6, 1))));
    assert!(l.contains(&(Trigger::LateAnnualReport, d(2028, 6, 1))));
    assert!(l.contains(&(Trigger::AbnormalTwoYears, d(2028, 6, 1))));
    assert!(is_listed(&f.listings, ListKind::Serious, d(2028, 6, 1)));
}

#[test]
fn penalties_list_by_amount_and_repetition() {
    let mut f = facts();
    f.reports_filed.insert(2025, d(2026, 3, 1));
    f.events.push(event(d(2026, 2, 1), EventKind::Warning));
    f.events.push(event(
        d(2026, 3, 1),
        EventKind::Fine {
            amount: Fen::yuan(50_000),
        },
    ));
    let c = run(&mut f, d(2026, 3, 5));
    assert_eq!(
        lists(&c),
        vec![
            (Trigger::WarningOrSmallFine, d(2026, 2, 1)),
            (Trigger::LargeFine, d(2026, 3, 1))
        ]
    );
    f.events.push(event(
        d(2028, 12, 1),
        EventKind::Fine {
            amount: Fen::yuan(49_999),
        },
    ));
    let c = run(&mut f, d(2028, 12, 2));
    assert!(
        lists(&c).contains(&(Trigger::RepeatedPenalties, d(2028, 12, 1))),
        "{c:?}"
    );
    // The warning's abnormal listing was removed after six months.
    assert!(!is_listed(
        &f.listings[..1],
        ListKind::Abnormal,
        d(2026, 8, 1)
    ));
}

#[test]
fn a_correction_not_done_lists_and_done_removes() {
    let mut f = facts();
    f.reports_filed.insert(2025, d(2026, 3, 1));
    let order = event(
        d(2026, 3, 1),
        EventKind::CorrectionOrdered {
            due: d(2026, 4, 30),
        },
    );
    f.events.push(order.clone());
    assert!(run(&mut f, d(2026, 4, 30)).is_empty());
    assert_eq!(
        lists(&run(&mut f, d(2026, 5, 1))),
        vec![(Trigger::CorrectionNotDone, d(2026, 5, 1))]
    );
    f.events.push(event(
        d(2026, 5, 20),
        EventKind::CorrectionDone { order: order.id },
    ));
    let l = f.listings[0].clone();
    assert_eq!(
        check_abnormal_removal(&l, &f, d(2026, 5, 22), &s()).unwrap(),
        d(2026, 5, 29)
    );
    assert_eq!(
        removals(&run(&mut f, d(2026, 11, 1))),
        vec![(Trigger::CorrectionNotDone, d(2026, 11, 1))]
    );
    // Done on time: never listed.
    let mut g = facts();
    let order = event(
        d(2026, 3, 1),
        EventKind::CorrectionOrdered {
            due: d(2026, 4, 30),
        },
    );
    g.events.push(event(
        d(2026, 4, 2),
        EventKind::CorrectionDone { order: order.id },
    ));
    g.events.push(order);
    g.reports_filed.insert(2025, d(2026, 3, 1));
    assert!(run(&mut g, d(2026, 6, 1)).is_empty());
}

#[test]
fn removal_applications_follow_the_rules() {
    let mut f = facts();
    run(&mut f, d(2026, 6, 1));
    let abnormal = f.listings[0].clone();
    assert_eq!(
        check_abnormal_removal(&abnormal, &f, d(2026, 6, 5), &s())
            .unwrap_err()
            .rule,
        "not_corrected"
    );
    f.events.push(event(d(2026, 7, 1), EventKind::SuspendOrder));
    run(&mut f, d(2026, 7, 2));
    let serious = f
        .listings
        .iter()
        .find(|l| l.list == ListKind::Serious)
        .unwrap()
        .clone();
    assert_eq!(
        check_serious_removal(&serious, &f, d(2027, 7, 1), &s())
            .unwrap_err()
            .rule,
        "serious_two_years"
    );
    assert!(check_serious_removal(&serious, &f, d(2028, 7, 1), &s()).is_ok());
    f.events.push(event(d(2027, 1, 1), EventKind::Warning));
    assert_eq!(
        check_serious_removal(&serious, &f, d(2028, 7, 1), &s())
            .unwrap_err()
            .rule,
        "new_event"
    );
    assert_eq!(
        check_serious_removal(&abnormal, &f, d(2028, 7, 1), &s())
            .unwrap_err()
            .rule,
        "not_listed"
    );
}

#[test]
fn filed_and_deregistered_organizations_owe_no_reports() {
    let mut f = facts();
    f.legal_form = Some(LegalForm::CommunityFiled);
    f.reports_filed.clear();
    assert!(run(&mut f, d(2026, 6, 2)).is_empty());
    let mut g = facts();
    g.deregistered_on = Some(d(2026, 2, 1));
    assert!(run(&mut g, d(2026, 6, 2)).is_empty());
}

fn arb_kind() -> impl Strategy<Value = EventKind> {
    prop_oneof![
        Just(EventKind::Warning),
        (0i64..10_000_000).prop_map(|f| EventKind::Fine { amount: Fen(f) }),
        Just(EventKind::SuspendOrder),
        Just(EventKind::Unreachable),
        Just(EventKind::Reachable),
        Just(EventKind::PartyOrgMissing),
        Just(EventKind::PartyOrgSetUp),
        Just(EventKind::CourtDishonestDebtor),
        (0i64..200).prop_map(|n| EventKind::CorrectionOrdered {
            due: d(2021, 1, 1) + Duration::days(n * 7)
        }),
    ]
}

proptest! {
    /// Applying `supervise`'s answer and asking again answers nothing, whatever the
    /// history; and a later day never un-lists what an earlier day listed.
    #[test]
    fn supervise_is_idempotent_and_keeps_history(
        events in proptest::collection::vec((0i64..2500, arb_kind()), 0..8),
        reports in proptest::collection::vec((2020i32..2027, 0i64..800), 0..7),
        day1 in 0i64..2500,
        later in 0i64..1500,
        done_on in proptest::option::of(0i64..2500),
    ) {
        let base = d(2020, 1, 1);
        let mut f = facts();
        f.reports_filed.clear();
        for (y, late) in reports {
            f.reports_filed.insert(y, d(y + 1, 1, 1) + Duration::days(late));
        }
        for (n, (day, kind)) in events.into_iter().enumerate() {
            let id = Uuid::from_u128(n as u128 + 1);
            f.events.push(CreditEvent { id, on: base + Duration::days(day), kind: kind.clone() });
            if let (EventKind::CorrectionOrdered { .. }, Some(done)) = (&kind, done_on) {
                f.events.push(CreditEvent {
                    id: Uuid::from_u128(1000 + n as u128),
                    on: base + Duration::days(done),
                    kind: EventKind::CorrectionDone { order: id },
                });
            }
        }
        let t1 = base + Duration::days(day1);
        let c1 = supervise(&f, t1, &s());
        apply(&mut f, &c1);
        prop_assert!(supervise(&f, t1, &s()).is_empty());
        let before = f.listings.clone();
        let t2 = t1 + Duration::days(later);
        let c2 = supervise(&f, t2, &s());
        apply(&mut f, &c2);
        prop_assert!(supervise(&f, t2, &s()).is_empty());
        for l in &before {
            prop_assert!(f.listings.iter().any(|m| m.cause == l.cause && m.trigger == l.trigger && m.listed_on == l.listed_on));
        }
        for c in c1.iter().chain(&c2) {
            prop_assert!(c.on() <= t2);
        }
    }
}
