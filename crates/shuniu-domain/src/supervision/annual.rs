//! Annual reports 年报 / annual inspection 年检: each year an organization reports on
//! the previous one by a deadline (a setting: 31 May in Jiangsu); the authority reviews
//! it — 合格 / 基本合格 / 不合格 — in full, or simplified for 4A and above.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::money::Fen;
use crate::registry::{Grade, given, labelled_enum, parse_choice, parse_count, parse_note};
use crate::{FieldError, FieldErrors, Lang};

/// When reports are due: day and month of the year after the one reported on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualSettings {
    pub due_month: u32,
    pub due_day: u32,
}

impl Default for AnnualSettings {
    /// Jiangsu: 31 May.
    fn default() -> Self {
        AnnualSettings {
            due_month: 5,
            due_day: 31,
        }
    }
}

impl AnnualSettings {
    /// The last day to file the report on `year`.
    pub fn due_on(&self, year: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year + 1, self.due_month, self.due_day)
            .or_else(|| NaiveDate::from_ymd_opt(year + 1, self.due_month, 28))
            .expect("a valid month")
    }
    pub fn is_late(&self, year: i32, submitted_on: NaiveDate) -> bool {
        submitted_on > self.due_on(year)
    }
    /// Whether the report on `year` is overdue at `today` (not yet filed).
    pub fn is_overdue(&self, year: i32, today: NaiveDate) -> bool {
        today > self.due_on(year)
    }
    /// The years an organization founded on `founded_on` has had to report on by
    /// `today`, counting from `from_year` (when supervision on this system began).
    pub fn years_due(&self, founded_on: NaiveDate, from_year: i32, today: NaiveDate) -> Vec<i32> {
        (founded_on.year().max(from_year)..today.year())
            .filter(|y| self.is_overdue(*y, today))
            .collect()
    }
}

/// What a report says, money in fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportContents {
    pub activities: String,
    pub income: Fen,
    pub expenditure: Fen,
    pub net_assets: Fen,
    pub donations: Fen,
    pub government_funding: Fen,
    pub staff_full_time: u32,
    pub staff_part_time: u32,
    pub volunteers: u32,
    pub party_building: String,
    pub major_events: String,
}

/// A report as typed (money in yuan).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDraft {
    pub year: Option<String>,
    pub activities: Option<String>,
    pub income: Option<String>,
    pub expenditure: Option<String>,
    pub net_assets: Option<String>,
    pub donations: Option<String>,
    pub government_funding: Option<String>,
    pub staff_full_time: Option<String>,
    pub staff_part_time: Option<String>,
    pub volunteers: Option<String>,
    pub party_building: Option<String>,
    pub major_events: Option<String>,
}

fn money(e: &mut FieldErrors, field: &str, v: &Option<String>, signed: bool) -> Fen {
    match given(v) {
        None => {
            e.add(field, FieldError::required());
            Fen(0)
        }
        Some(s) => match Fen::parse_yuan(s) {
            Some(f) if f.0 < 0 && !signed => {
                e.add(field, FieldError::new("不能为负数", "must not be negative"));
                Fen(0)
            }
            Some(f) => f,
            None => {
                e.add(
                    field,
                    FieldError::new(
                        "金额格式应为元，最多两位小数",
                        "must be an amount in yuan, at most 2 decimals",
                    ),
                );
                Fen(0)
            }
        },
    }
}

impl ReportDraft {
    /// A report is on a past year, not before the organization was founded.
    pub fn validate(
        &self,
        founded_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<(i32, ReportContents), FieldErrors> {
        let mut e = FieldErrors::new();
        let year = match given(&self.year).map(str::parse::<i32>) {
            None => {
                e.add("year", FieldError::required());
                0
            }
            Some(Ok(y)) if y >= today.year() => {
                e.add(
                    "year",
                    FieldError::new("只能报送已结束年度的报告", "must be a year that has ended"),
                );
                0
            }
            Some(Ok(y)) if y < founded_on.year() => {
                e.add(
                    "year",
                    FieldError::new("早于成立年份", "is before the founding year"),
                );
                0
            }
            Some(Ok(y)) => y,
            Some(Err(_)) => {
                e.add("year", FieldError::new("应为年份", "must be a year"));
                0
            }
        };
        let c = ReportContents {
            activities: parse_note(&mut e, "activities", &self.activities, 5000, true),
            income: money(&mut e, "income", &self.income, false),
            expenditure: money(&mut e, "expenditure", &self.expenditure, false),
            // Net assets may be negative (debts above assets): that is what review is for.
            net_assets: money(&mut e, "net_assets", &self.net_assets, true),
            donations: money(&mut e, "donations", &self.donations, false),
            government_funding: money(
                &mut e,
                "government_funding",
                &self.government_funding,
                false,
            ),
            staff_full_time: parse_count(&mut e, "staff_full_time", &self.staff_full_time),
            staff_part_time: parse_count(&mut e, "staff_part_time", &self.staff_part_time),
            volunteers: parse_count(&mut e, "volunteers", &self.volunteers),
            party_building: parse_note(&mut e, "party_building", &self.party_building, 2000, false),
            major_events: parse_note(&mut e, "major_events", &self.major_events, 2000, false),
        };
        if e.get("income").is_none()
            && e.get("donations").is_none()
            && e.get("government_funding").is_none()
            && c.donations.0.saturating_add(c.government_funding.0) > c.income.0
        {
            e.add(
                "income",
                FieldError::new(
                    "总收入不能少于捐赠与政府资助之和",
                    "must be at least donations plus government funding",
                ),
            );
        }
        if e.is_empty() { Ok((year, c)) } else { Err(e) }
    }
}

labelled_enum!(
    /// The outcome of the authority's review.
    ReviewOutcome {
        Qualified = "qualified", "合格", "Qualified";
        BasicallyQualified = "basically_qualified", "基本合格", "Basically qualified";
        Unqualified = "unqualified", "不合格", "Unqualified";
    }
);

labelled_enum!(
    /// How thoroughly a report is reviewed.
    ReviewKind {
        Full = "full", "全面检查", "Full review";
        Simplified = "simplified", "简化检查", "Simplified review";
    }
);

/// MCA Order 39: organizations graded 4A and above get the simplified annual inspection.
/// `grade` is the grade in force when the report is filed (expired grades do not count).
pub fn review_kind(grade: Option<Grade>) -> ReviewKind {
    match grade {
        Some(g) if g >= Grade::A4 => ReviewKind::Simplified,
        _ => ReviewKind::Full,
    }
}

/// A review as typed: anything short of 合格 says why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub outcome: ReviewOutcome,
    pub reasons: String,
}

impl Review {
    pub fn parse(outcome: Option<&str>, reasons: Option<&str>) -> Result<Review, FieldErrors> {
        let mut e = FieldErrors::new();
        let codes: Vec<&str> = ReviewOutcome::ALL.iter().map(|o| o.as_str()).collect();
        let outcome = parse_choice(
            &mut e,
            "outcome",
            &outcome.map(String::from),
            ReviewOutcome::parse,
            &codes,
        );
        if outcome.is_none() && e.get("outcome").is_none() {
            e.add("outcome", FieldError::required());
        }
        let needs = outcome.is_some_and(|o| o != ReviewOutcome::Qualified);
        let reasons = parse_note(&mut e, "reasons", &reasons.map(String::from), 2000, needs);
        if e.is_empty() {
            Ok(Review {
                outcome: outcome.expect("checked"),
                reasons,
            })
        } else {
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::supervision::testkit::{d, today};

    fn report() -> ReportDraft {
        ReportDraft {
            year: Some("2025".into()),
            activities: Some("为老人提供心理慰藉服务120次".into()),
            income: Some("200000".into()),
            expenditure: Some("180000.50".into()),
            net_assets: Some("-5000".into()),
            donations: Some("50000".into()),
            government_funding: Some("100000".into()),
            staff_full_time: Some("5".into()),
            ..Default::default()
        }
    }

    #[test]
    fn deadline_is_a_setting_defaulting_to_31_may() {
        let s = AnnualSettings::default();
        assert_eq!(s.due_on(2025), d(2026, 5, 31));
        assert!(!s.is_late(2025, d(2026, 5, 31)));
        assert!(s.is_late(2025, d(2026, 6, 1)));
        let beijing = AnnualSettings {
            due_month: 6,
            due_day: 30,
        };
        assert!(!beijing.is_late(2025, d(2026, 6, 1)));
        assert_eq!(
            s.years_due(d(2010, 5, 4), 2020, today()),
            (2020..=2025).collect::<Vec<_>>()
        );
        assert_eq!(s.years_due(d(2026, 1, 4), 2020, today()), Vec::<i32>::new());
        assert_eq!(
            s.years_due(d(2025, 1, 4), 2020, d(2026, 5, 31)),
            Vec::<i32>::new()
        );
    }

    #[test]
    fn a_report_validates_money_in_fen() {
        let (y, c) = report().validate(d(2010, 5, 4), today()).unwrap();
        assert_eq!(y, 2025);
        assert_eq!(c.expenditure, Fen(18_000_050));
        assert_eq!(c.net_assets, Fen::yuan(-5000));
        let mut r = report();
        r.year = Some("2026".into());
        r.income = Some("100000".into());
        r.donations = Some("-1".into());
        r.activities = None;
        let e = r.validate(d(2010, 5, 4), today()).unwrap_err();
        for f in ["year", "donations", "activities"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
        let mut r = report();
        r.income = Some("100000".into());
        assert!(
            r.validate(d(2010, 5, 4), today())
                .unwrap_err()
                .get("income")
                .is_some()
        );
        assert!(report().validate(d(2026, 1, 1), today()).is_err());
    }

    #[test]
    fn reviews_short_of_qualified_say_why() {
        assert!(Review::parse(Some("qualified"), None).is_ok());
        assert!(Review::parse(Some("basically_qualified"), Some("")).is_err());
        let r = Review::parse(Some("unqualified"), Some("未按规定换届")).unwrap();
        assert_eq!(r.outcome, ReviewOutcome::Unqualified);
        assert_eq!(review_kind(Some(Grade::A4)), ReviewKind::Simplified);
        assert_eq!(review_kind(Some(Grade::A3)), ReviewKind::Full);
        assert_eq!(review_kind(None), ReviewKind::Full);
    }
}
