//! The district's latest assessment round 评估, run through the store as the
//! registration authority runs it: the round opened in September, organizations applied
//! (eligibility asked by the domain's rules against their annual reports and credit
//! record), experts scored them by the indicator table, the result went on public
//! notice 公示 and the grades were awarded in December under one decision number.
//! One application was refused at preliminary review and one scored below every grade.
//!
//! Older rounds (2013 …) predate the annual reports this system holds, so their grades
//! stay imports from the authority's register (see `history`); so do the awards of an
//! organization whose application the rules would refuse today, and the city's awards to
//! foundations.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use shuniu_domain::registry::{Grade, LegalForm, OrgStatus, Organization};
use shuniu_domain::supervision::add_working_days;
use shuniu_domain::supervision::assessment::{IndicatorTable, TableKind};
use shuniu_domain::supervision::registration::authority_path;
use shuniu_store::supervision::assessment::NewRound;
use shuniu_store::{Store, StoreError, WriteCtx};
use uuid::Uuid;

use crate::ACTOR;
use crate::calendar::{date, round_award_day, rounds, working_day_before, working_day_within};
use crate::reports::REPORTS_FROM;

/// The district whose official runs the demo's round.
const DISTRICT: &str = "320102";

/// What [`run`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Round {
    /// The round's year, when one was run.
    pub year: Option<i32>,
    pub applications: usize,
    pub awarded: usize,
    pub refused: usize,
    pub not_graded: usize,
    /// The organizations whose grade this round awarded (not to be imported again).
    #[serde(skip)]
    pub awarded_to: HashSet<Uuid>,
}

fn ctx() -> WriteCtx {
    WriteCtx::system(ACTOR)
}

/// Scores by area that add up to `total` (each area in proportion to its points; the
/// rounding goes to the largest area), no bonus.
fn scores_for(table: &IndicatorTable, total: u32) -> BTreeMap<String, u32> {
    let mut scores: BTreeMap<String, u32> = table
        .areas
        .iter()
        .map(|a| (a.code.clone(), a.points * total / table.max_total))
        .collect();
    let sum: u32 = scores.values().sum();
    if let Some(largest) = table.areas.iter().max_by_key(|a| a.points) {
        let s = scores.get_mut(&largest.code).expect("every area is scored");
        *s = (*s + total.saturating_sub(sum)).min(largest.points);
    }
    scores
}

/// A total that earns `grade` by `table`'s cut-offs (a little above its floor, varied).
fn total_for(table: &IndicatorTable, grade: Grade, i: usize) -> u32 {
    let floor = table
        .cutoffs
        .iter()
        .find(|(g, _)| *g == grade)
        .map_or(0, |(_, min)| *min);
    let ceiling = table
        .cutoffs
        .iter()
        .filter(|(_, min)| *min > floor)
        .map(|(_, min)| *min)
        .min()
        .unwrap_or(table.max_total + 1);
    (floor + 3 + (i as u32 * 7) % 40).min(ceiling - 1)
}

/// Runs the last biennial round announced by `today` whose eligibility this system can
/// judge (the year before it was reported on here). `awards`: the grades the demo's
/// register holds, by organization name, with their award dates.
pub(crate) async fn run(
    store: &Store,
    today: NaiveDate,
    orgs: &[Organization],
    awards: &HashMap<String, (Grade, NaiveDate)>,
) -> Result<Round, StoreError> {
    let mut out = Round::default();
    let Some(year) = rounds(today)
        .into_iter()
        .rev()
        // Its eligibility reads the previous year's report.
        .find(|&y| y > REPORTS_FROM)
    else {
        return Ok(out);
    };
    let Some(district) = store.jurisdiction(DISTRICT).await? else {
        return Ok(out);
    };
    let award_day = round_award_day(year);
    let opens_on = working_day_within(date(year, 9, 1), today);
    let closes_on = working_day_before(date(year, 10, 31));
    let round = store
        .open_assessment_round(
            &district,
            &NewRound {
                year,
                title: format!("玄武区{year}年度社会组织等级评估"),
                opens_on,
                closes_on,
                notice_days: 7,
            },
            ctx(),
        )
        .await?;
    out.year = Some(year);
    // The notice starts three weeks before the award day and ends before it.
    let notice_on = working_day_before(award_day - Duration::days(21));
    let document = format!("玄民〔{year}〕{}号", 60 + (year - 2010));
    let mut paths: HashMap<Uuid, String> = HashMap::new();
    for o in orgs {
        if let Some(j) = store.jurisdiction(o.data.jurisdiction.as_str()).await? {
            paths.insert(o.id, j.path);
        }
    }
    let by_district = |o: &Organization| {
        paths
            .get(&o.id)
            .is_some_and(|p| authority_path(o.data.legal_form, p) == district.path)
    };
    let mut applicants: Vec<(&Organization, Option<Grade>)> = orgs
        .iter()
        .filter(|o| o.data.legal_form != LegalForm::Foundation && by_district(o))
        .filter_map(|o| match awards.get(&o.data.name) {
            Some(&(g, on)) if on == award_day => Some((o, Some(g))),
            _ => None,
        })
        .collect();
    // Two more applicants without a grade to come: one refused, one below every grade.
    let ungraded: Vec<&Organization> = orgs
        .iter()
        .filter(|o| {
            o.status == OrgStatus::Active
                && o.data.legal_form == LegalForm::SocialServiceInstitution
                && by_district(o)
                && !awards.contains_key(&o.data.name)
        })
        .take(2)
        .collect();
    applicants.extend(ungraded.iter().map(|o| (*o, None)));
    for (i, (o, grade)) in applicants.into_iter().enumerate() {
        let applied_on = add_working_days(opens_on, (i % 25) as u32).min(closes_on);
        let kind = TableKind::for_form(o.data.legal_form);
        // The rules refuse some of today's register (a late or failed report, a
        // listing): their grade stays the register's import.
        let Ok(app) = store
            .apply_for_assessment(round.id, o.id, kind, applied_on, ctx())
            .await
        else {
            continue;
        };
        out.applications += 1;
        let table = IndicatorTable::jiangsu_default(kind);
        let Some(grade) = grade else {
            if out.refused == 0 {
                store
                    .refuse_assessment(app.id, "申报材料不全，未提供上年度财务审计报告", ctx())
                    .await?;
                out.refused += 1;
            } else {
                let low = table.cutoffs.last().map_or(0, |(_, min)| *min) - 40;
                store
                    .score_assessment(app.id, &table, &scores_for(&table, low), 0, ctx())
                    .await?;
                store.close_ungraded(app.id, ctx()).await?;
                out.not_graded += 1;
            }
            continue;
        };
        let scores = scores_for(&table, total_for(&table, grade, i));
        let scored = store
            .score_assessment(app.id, &table, &scores, 0, ctx())
            .await?;
        debug_assert_eq!(scored.grade, Some(grade), "{}", o.data.name);
        store
            .start_assessment_notice(app.id, notice_on, ctx())
            .await?;
        store
            .award_assessment_grade(app.id, award_day, &document, ctx())
            .await?;
        out.awarded += 1;
        out.awarded_to.insert(o.id);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_add_up_to_a_total_that_earns_the_grade() {
        for &kind in TableKind::ALL.iter() {
            let table = IndicatorTable::jiangsu_default(kind);
            for grade in [Grade::A5, Grade::A4, Grade::A3, Grade::A2, Grade::A1] {
                for i in 0..50 {
                    let total = total_for(&table, grade, i);
                    let scores = scores_for(&table, total);
                    assert_eq!(
                        table.total(&scores, 0).unwrap(),
                        total,
                        "{kind:?} {grade:?}"
                    );
                    assert_eq!(table.grade_for(total), Some(grade), "{total}");
                }
            }
        }
    }
}
