//! The demo's calendar: eras of founding, working days, the district's assessment
//! rounds and when grades were awarded and expire. Deterministic given the random
//! stream the generator passes in.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use shuniu_domain::registry::{Grade, Stage, add_years};

use crate::tables::Size;

/// When the organization was founded, as a distribution over eras.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Era {
    /// Long-established: kindergartens, schools, district associations.
    Old,
    Normal,
    /// Mostly founded in the community-organization boom after 2008.
    Young,
    /// Street promotion associations: after Meiyuan's pilot (end of 2011).
    HubRollout,
}

impl Era {
    /// Weights of the buckets 1995–2003, 2004–2007, 2008–2012, 2013–2018, 2019–.
    fn weights(self) -> [u32; 5] {
        match self {
            Era::Old => [6, 6, 5, 3, 1],
            Era::Normal => [2, 4, 10, 10, 6],
            Era::Young => [1, 2, 8, 12, 8],
            Era::HubRollout => [0, 0, 0, 1, 0],
        }
    }
}

pub(crate) const BUCKETS: [(i32, i32); 5] = [
    (1995, 2003),
    (2004, 2007),
    (2008, 2012),
    (2013, 2018),
    (2019, 9999),
];

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid literal date")
}

/// The last working day (Monday–Friday) on or before `d`.
pub(crate) fn working_day_before(d: NaiveDate) -> NaiveDate {
    let mut out = d;
    while matches!(out.weekday(), Weekday::Sat | Weekday::Sun) {
        out = out.pred_opt().expect("a date after the epoch");
    }
    out
}

/// The first working day on or after `d`, or the last one before it if that would pass
/// `today` (registration decisions are taken on working days).
pub(crate) fn working_day_within(d: NaiveDate, today: NaiveDate) -> NaiveDate {
    let mut out = d;
    while matches!(out.weekday(), Weekday::Sat | Weekday::Sun) {
        out = out.succ_opt().expect("a date before the end of time");
    }
    if out > today {
        working_day_before(d.min(today))
    } else {
        out
    }
}

/// Lifecycle stage from the organization's age, deterministic (named cases).
pub(crate) fn stage_for_age(founded_on: NaiveDate, today: NaiveDate) -> Stage {
    let years = (today - founded_on).num_days() as f64 / 365.25;
    match years {
        y if y < 1.0 => Stage::Germination,
        y if y < 3.0 => Stage::StartUp,
        y if y < 8.0 => Stage::Growth,
        _ => Stage::Mature,
    }
}

/// The first assessment round of the district (2013); rounds follow every other year.
pub const FIRST_ROUND: i32 = 2013;

/// The day a round's grades were announced: the last working day on or before
/// 20 December of its year.
pub fn round_award_day(year: i32) -> NaiveDate {
    working_day_before(date(year, 12, 20))
}

/// The assessment rounds announced by `today`, oldest first (2013, 2015, …).
pub fn rounds(today: NaiveDate) -> Vec<i32> {
    (FIRST_ROUND..=today.year())
        .step_by(2)
        .filter(|&y| round_award_day(y) <= today)
        .collect()
}

/// The round at least `years_ago` years before the last round held by `today`, if the
/// organization had been registered two full years by then (MCA Order 39).
pub(crate) fn recent_award(
    today: NaiveDate,
    years_ago: i32,
    founded_on: NaiveDate,
) -> Option<NaiveDate> {
    let last = *rounds(today).last()?;
    let year = rounds(today)
        .into_iter()
        .rev()
        .find(|&y| y <= last - years_ago)?;
    let award = round_award_day(year);
    (award >= add_years(founded_on, 2)).then_some(award)
}

/// The grade columns of the record: the award while it is in force on `today`.
pub(crate) fn in_force(
    award: Option<(Grade, NaiveDate)>,
    today: NaiveDate,
) -> Option<(Grade, NaiveDate)> {
    award.filter(|a| Grade::expiry(a.1) > today)
}

pub(crate) fn pick_weighted<'a, T>(
    rng: &mut ChaCha8Rng,
    items: &'a [T],
    weight: impl Fn(&T) -> u32,
) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut x = rng.gen_range(0..total);
    for item in items {
        let w = weight(item);
        if x < w {
            return item;
        }
        x -= w;
    }
    unreachable!("x < total")
}

/// A founding date of `era`, on a working day (the day the authority registered it).
pub(crate) fn founding_date(rng: &mut ChaCha8Rng, era: Era, today: NaiveDate) -> NaiveDate {
    let d = match era {
        // The street promotion associations were registered in 2012, after Meiyuan's
        // pilot and before the streets' hubs were recognized (2012–2013).
        Era::HubRollout => {
            let from = date(2012, 3, 1);
            let days = (date(2012, 8, 31) - from).num_days() as u64;
            let d = from + Days::new(rng.gen_range(0..=days));
            if d > today { today } else { d }
        }
        _ => any_founding_date(rng, era, today),
    };
    working_day_within(d, today)
}

pub(crate) fn any_founding_date(rng: &mut ChaCha8Rng, era: Era, today: NaiveDate) -> NaiveDate {
    let earliest = date(1995, 1, 1);
    if today <= earliest {
        return today;
    }
    let candidates: Vec<(NaiveDate, NaiveDate, u32)> = BUCKETS
        .iter()
        .zip(era.weights())
        .filter(|(_, w)| *w > 0)
        .map(|(&(from, to), w)| {
            (
                date(from, 1, 1),
                date(to.min(today.year()), 12, 31).min(today),
                w,
            )
        })
        .filter(|(from, to, _)| from <= to)
        .collect();
    let (from, to) = if candidates.is_empty() {
        (earliest, today)
    } else {
        let c = pick_weighted(rng, &candidates, |c| c.2);
        (c.0, c.1)
    };
    let days = (to - from).num_days() as u64;
    from + Days::new(rng.gen_range(0..=days))
}

pub(crate) fn noisy_stage(
    rng: &mut ChaCha8Rng,
    founded_on: NaiveDate,
    today: NaiveDate,
    size: Size,
) -> Stage {
    let by_age = stage_for_age(founded_on, today);
    let r: f64 = rng.gen_range(0.0..1.0);
    match by_age {
        Stage::Germination if r < 0.3 => Stage::StartUp,
        Stage::StartUp if r < 0.15 => Stage::Germination,
        Stage::Growth if r < 0.12 => Stage::StartUp,
        Stage::Growth if r > 0.85 && size != Size::Team => Stage::Mature,
        // Volunteer teams often stay small for good.
        Stage::Mature if r < 0.3 || (size == Size::Team && r < 0.5) => Stage::Growth,
        s => s,
    }
}

/// The organization's last grade: from one of the last five rounds it was eligible
/// for (two full years after founding), recent rounds more likely; awards of five years
/// or more have expired (and were not renewed).
pub(crate) fn award_date(
    rng: &mut ChaCha8Rng,
    founded_on: NaiveDate,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let eligible = add_years(founded_on, 2);
    let rounds: Vec<i32> = rounds(today)
        .into_iter()
        .rev()
        .take(5)
        .filter(|&y| round_award_day(y) >= eligible)
        .collect();
    if rounds.is_empty() {
        return None;
    }
    // Newest first: weights 5, 4, 3, 2, 1.
    let weighted: Vec<(i32, u32)> = rounds
        .iter()
        .enumerate()
        .map(|(i, &y)| (y, 5 - i as u32))
        .collect();
    Some(round_award_day(pick_weighted(rng, &weighted, |w| w.1).0))
}
