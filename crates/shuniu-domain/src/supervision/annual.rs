//! Annual reports 年报 / annual inspection 年检: each year an organization reports on
//! the previous one by a deadline (a setting: 31 May in Jiangsu); the authority reviews
//! it — 合格 / 基本合格 / 不合格 — in full, or simplified for 4A and above.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use uuid::Uuid;

use crate::access::{Actor, Decision};
use crate::money::Fen;
use crate::registry::{
    Grade, LegalForm, given, labelled_enum, parse_choice, parse_count, parse_note,
};
use crate::supervision::registration::authority_path;
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

/// Who may file an organization's annual report: its own staff (members, hub staff),
/// or an official whose jurisdiction covers it (filing on its behalf) — the same people
/// who may apply for its changes. Anyone else signed in is refused (`Forbidden`: the
/// organization is public), the anonymous are asked to sign in.
pub fn may_file(actor: Option<&Actor>, org_id: Uuid, org_path: &str) -> Decision {
    super::changes::may_submit(actor, org_id, org_path)
}

/// Who may review a report: only an official of the registration authority's own node.
pub fn may_review(actor: Option<&Actor>, authority_path: &str) -> Decision {
    super::authority_decides(actor, authority_path)
}

/// Which organizations a node reviews as their registration authority, as two sets
/// of legal forms: `below` — of these forms, every organization in the node's subtree;
/// `here` — of these forms, the organizations filed at the node itself (a node above
/// the form's usual level registers those placed directly on it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityScope {
    pub below: Vec<LegalForm>,
    pub here: Vec<LegalForm>,
}

/// The scope of the authority at `path` (asks `registration::authority_path`, the one
/// rule saying who registers what).
pub fn authority_scope(path: &str) -> AuthorityScope {
    let deeper = format!("{path}x/y/z/");
    AuthorityScope {
        below: LegalForm::ALL
            .iter()
            .copied()
            .filter(|f| authority_path(*f, &deeper) == path)
            .collect(),
        here: LegalForm::ALL
            .iter()
            .copied()
            .filter(|f| authority_path(*f, path) == path)
            .collect(),
    }
}

/// The years due and not filed at `today` (oldest first): what the "file the report"
/// link offers.
pub fn years_unfiled(
    settings: &AnnualSettings,
    founded_on: NaiveDate,
    from_year: i32,
    today: NaiveDate,
    filed: &[i32],
) -> Vec<i32> {
    // The year just ended may be filed before its deadline too.
    let mut years = settings.years_due(founded_on, from_year, today);
    let last = today.year() - 1;
    if last >= founded_on.year().max(from_year) && !years.contains(&last) {
        years.push(last);
    }
    years.retain(|y| !filed.contains(y));
    years
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::supervision::testkit::{d, today};
    use crate::test_paths::{MEIYUAN, QINHUAI, SUOJIN, XUANWU};

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

    fn actor(role: Role, path: Option<&str>, org: Option<Uuid>) -> Actor {
        Actor {
            user_id: Uuid::nil(),
            username: "u".into(),
            role,
            jurisdiction_path: path.map(String::from),
            organization_id: org,
        }
    }

    #[test]
    fn own_staff_and_officials_over_it_file_the_authority_reviews() {
        let org = Uuid::from_u128(1);
        let other = Uuid::from_u128(2);
        let allowed = |a: &Actor| may_file(Some(a), org, MEIYUAN) == Decision::Allow;
        assert!(allowed(&actor(Role::OrgMember, None, Some(org))));
        assert!(allowed(&actor(Role::HubStaff, None, Some(org))));
        assert!(allowed(&actor(Role::Official, Some(XUANWU), None)));
        assert!(allowed(&actor(Role::Official, Some(MEIYUAN), None)));
        assert!(!allowed(&actor(Role::OrgMember, None, Some(other))));
        assert!(!allowed(&actor(Role::Official, Some(QINHUAI), None)));
        assert!(!allowed(&actor(Role::Official, Some(SUOJIN), None)));
        assert!(!allowed(&actor(Role::Admin, None, None)));
        assert_eq!(may_file(None, org, MEIYUAN), Decision::Login);

        let reviews = |a: &Actor| may_review(Some(a), XUANWU) == Decision::Allow;
        assert!(reviews(&actor(Role::Official, Some(XUANWU), None)));
        assert!(!reviews(&actor(Role::Official, Some(MEIYUAN), None)));
        assert!(!reviews(&actor(Role::Official, Some(QINHUAI), None)));
        assert!(!reviews(&actor(Role::OrgMember, None, Some(org))));
        assert!(!reviews(&actor(Role::Admin, None, None)));
        assert_eq!(may_review(None, XUANWU), Decision::Login);
    }

    #[test]
    fn an_authority_reviews_its_forms_below_and_every_form_placed_on_it() {
        let district = authority_scope(XUANWU);
        assert_eq!(
            district.below,
            [LegalForm::SocialGroup, LegalForm::SocialServiceInstitution]
        );
        assert!(district.here.contains(&LegalForm::CommunityFiled));
        assert!(!district.here.contains(&LegalForm::Foundation));
        let street = authority_scope(MEIYUAN);
        assert_eq!(street.below, [LegalForm::CommunityFiled]);
        assert_eq!(street.here, [LegalForm::CommunityFiled]);
        let city = authority_scope("320000/320100/");
        assert_eq!(city.below, [LegalForm::Foundation]);
        assert_eq!(city.here.len(), LegalForm::ALL.len());
        // Every form at every level: the scope agrees with `authority_path`.
        for f in LegalForm::ALL.iter().copied() {
            for p in [MEIYUAN, XUANWU, "320000/320100/"] {
                let a = authority_path(f, p);
                assert!(
                    authority_scope(&a).below.contains(&f) || authority_scope(&a).here.contains(&f)
                );
            }
        }
    }

    #[test]
    fn the_link_offers_the_years_due_and_the_last_not_yet_filed() {
        let s = AnnualSettings::default();
        assert_eq!(
            years_unfiled(&s, d(2010, 1, 1), 2023, today(), &[2023, 2025]),
            [2024]
        );
        // Before the deadline the year just ended may be filed already.
        assert_eq!(
            years_unfiled(&s, d(2010, 1, 1), 2025, d(2026, 3, 1), &[]),
            [2025]
        );
        assert!(years_unfiled(&s, d(2026, 2, 1), 2023, today(), &[]).is_empty());
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
