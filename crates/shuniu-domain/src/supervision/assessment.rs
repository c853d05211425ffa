//! Assessment 评估 (MCA Order 39; Jiangsu practice): rounds opened by the authority,
//! eligibility as named rules, indicator tables as data, a public notice 公示 before the
//! award, grades valid five years — an expired grade counts nowhere.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::registry::{Grade, LegalForm, OrgStatus, add_years, labelled_enum, parse_note};
use crate::{FieldError, FieldErrors, Lang};

use super::Refusal;
use super::annual::ReviewOutcome;

labelled_enum!(
    /// Which indicator table applies (one per kind of organization).
    TableKind {
        IndustryAssociation = "industry_association", "行业协会商会", "Industry associations";
        AcademicGroup = "academic_group", "学术类社团", "Academic social groups";
        PublicWelfareGroup = "public_welfare_group", "公益类及其他社团", "Public-welfare and other social groups";
        ServiceInstitution = "service_institution", "社会服务机构", "Social service institutions";
        Foundation = "foundation", "基金会", "Foundations";
    }
);

impl TableKind {
    /// The table an organization of this legal form is scored by, unless it asks for
    /// another (an association may be scored as an industry or academic group).
    pub fn for_form(form: LegalForm) -> TableKind {
        match form {
            LegalForm::SocialServiceInstitution => TableKind::ServiceInstitution,
            LegalForm::Foundation => TableKind::Foundation,
            LegalForm::SocialGroup | LegalForm::CommunityFiled => TableKind::PublicWelfareGroup,
        }
    }
}

/// A first-level area of an indicator table and the points it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub points: u32,
}

/// An indicator table: areas with their points, bonus points, and the grade cut-offs
/// (lowest total that earns each grade). All of it is a local setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorTable {
    pub kind: TableKind,
    pub areas: Vec<Area>,
    pub max_total: u32,
    pub max_bonus: u32,
    /// Highest grade first, each with the lowest total that earns it.
    pub cutoffs: Vec<(Grade, u32)>,
}

impl IndicatorTable {
    /// A Jiangsu-like default: 1,000 points in five areas, party building 100, up to 30
    /// bonus points capped at 1,000. The cut-offs are an example of a local setting.
    pub fn jiangsu_default(kind: TableKind) -> IndicatorTable {
        let area = |code: &str, zh: &str, en: &str, points| Area {
            code: code.into(),
            zh: zh.into(),
            en: en.into(),
            points,
        };
        // Service institutions are judged on their business more than on their members.
        let (governance, performance) = match kind {
            TableKind::ServiceInstitution | TableKind::Foundation => (250, 400),
            _ => (300, 350),
        };
        IndicatorTable {
            kind,
            areas: vec![
                area("basic_conditions", "基础条件", "Basic conditions", 100),
                area("party_building", "党的建设", "Party building", 100),
                area(
                    "internal_governance",
                    "内部治理",
                    "Internal governance",
                    governance,
                ),
                area(
                    "work_performance",
                    "工作绩效",
                    "Work performance",
                    performance,
                ),
                area("social_evaluation", "社会评价", "Social evaluation", 150),
            ],
            max_total: 1000,
            max_bonus: 30,
            cutoffs: vec![
                (Grade::A5, 950),
                (Grade::A4, 850),
                (Grade::A3, 700),
                (Grade::A2, 600),
                (Grade::A1, 500),
            ],
        }
    }

    /// A table is usable when its areas are named (codes unique, fit for a field name,
    /// not a field of the scoring form; both labels given; some points each), add up to
    /// its total, the bonus stays within it, and at least one cut-off falls from the
    /// highest grade to the lowest within the total. Tables are local settings: this
    /// is what makes a bad one fail at start rather than at a scoring.
    pub fn check(&self) -> Result<(), String> {
        if self.areas.is_empty() {
            return Err("a table needs at least one area".into());
        }
        let mut codes = std::collections::BTreeSet::new();
        for a in &self.areas {
            let fit = a.code.starts_with(|c: char| c.is_ascii_lowercase())
                && a.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !fit {
                return Err(format!(
                    "area code {:?} must be lower-case letters, digits and _, starting with a letter",
                    a.code
                ));
            }
            if super::tables::RESERVED_AREA_CODES.contains(&a.code.as_str()) {
                return Err(format!(
                    "area code {:?} is a field of the scoring form",
                    a.code
                ));
            }
            if !codes.insert(a.code.as_str()) {
                return Err(format!("area code {:?} appears twice", a.code));
            }
            if a.zh.trim().is_empty() || a.en.trim().is_empty() {
                return Err(format!("area {:?} needs both zh and en names", a.code));
            }
            if a.points == 0 {
                return Err(format!("area {:?} carries no points", a.code));
            }
        }
        let sum: u32 = self.areas.iter().map(|a| a.points).sum();
        if sum != self.max_total {
            return Err(format!("areas add up to {sum}, not {}", self.max_total));
        }
        if self.max_bonus > self.max_total {
            return Err(format!(
                "max_bonus {} is above the total {}",
                self.max_bonus, self.max_total
            ));
        }
        if self.cutoffs.is_empty() {
            return Err("a table needs at least one grade cut-off".into());
        }
        let mut last: Option<(Grade, u32)> = None;
        for &(g, min) in &self.cutoffs {
            if min > self.max_total {
                return Err(format!("{g} cut-off {min} is above the total"));
            }
            if min == 0 {
                return Err(format!("{g} cut-off 0 would grade every total"));
            }
            if let Some((lg, lmin)) = last
                && (g >= lg || min >= lmin)
            {
                return Err(format!(
                    "cut-offs must fall from the highest grade: {lg} {lmin}, {g} {min}"
                ));
            }
            last = Some((g, min));
        }
        Ok(())
    }

    /// The total of the experts' scores: each area within its points, bonus within its
    /// maximum, the sum capped at the table's total.
    pub fn total(&self, scores: &BTreeMap<String, u32>, bonus: u32) -> Result<u32, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut sum = 0;
        for a in &self.areas {
            match scores.get(&a.code) {
                None => e.add(&a.code, FieldError::required()),
                Some(&s) if s > a.points => e.add(
                    &a.code,
                    FieldError::new(
                        format!("不能超过本项分值{}分", a.points),
                        format!("must not exceed the area's {} points", a.points),
                    ),
                ),
                Some(&s) => sum += s,
            }
        }
        for k in scores.keys() {
            if !self.areas.iter().any(|a| &a.code == k) {
                e.add(
                    k,
                    FieldError::new("不是本评估表的指标", "is not an area of this table"),
                );
            }
        }
        if bonus > self.max_bonus {
            e.add(
                "bonus",
                FieldError::new(
                    format!("加分不能超过{}分", self.max_bonus),
                    format!("must not exceed {} points", self.max_bonus),
                ),
            );
        }
        if e.is_empty() {
            Ok((sum + bonus).min(self.max_total))
        } else {
            Err(e)
        }
    }

    /// The grade a total earns; `None` below the lowest cut-off.
    pub fn grade_for(&self, total: u32) -> Option<Grade> {
        self.cutoffs
            .iter()
            .find(|(_, min)| total >= *min)
            .map(|(g, _)| *g)
    }
}

/// What eligibility needs to know about an applicant, as of the round's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EligibilityFacts {
    pub legal_form: LegalForm,
    pub status: OrgStatus,
    pub registered_on: NaiveDate,
    /// The grade in force on the round's date, with its expiry.
    pub grade: Option<(Grade, NaiveDate)>,
    /// The review outcomes of the last two years' reports: `[last year, the year before]`;
    /// `None` where no report was filed (or it is not reviewed yet).
    pub last_reviews: [Option<ReviewOutcome>; 2],
    pub penalized_last_year: bool,
    pub under_investigation: bool,
    pub on_credit_list: bool,
}

/// DOMAIN.md §5: who may be assessed. The first rule that fails is named.
pub fn check_eligibility(f: &EligibilityFacts, on: NaiveDate) -> Result<(), Refusal> {
    if f.legal_form == LegalForm::CommunityFiled {
        return Err(Refusal::new(
            "filed_not_assessed",
            "备案的社区社会组织不参加等级评估",
            "filed community organizations are not assessed",
        ));
    }
    if f.status != OrgStatus::Active {
        return Err(Refusal::new(
            "not_active",
            "只有正常活动的组织可以参加评估",
            "only an active organization can be assessed",
        ));
    }
    if on < add_years(f.registered_on, 2) {
        return Err(Refusal::new(
            "two_full_years",
            "登记未满两年，不能参加评估",
            "registered less than two full years ago",
        ));
    }
    // A grade in force blocks a new assessment until its last year (renewal).
    if let Some((g, expires)) = f.grade
        && add_years(on, 1) < expires
    {
        return Err(Refusal::new(
            "grade_in_force",
            format!("评估等级{g}有效期至{expires}，有效期最后一年内方可重新申请"),
            format!("its grade {g} is valid until {expires}: apply again in its last year"),
        ));
    }
    match f.last_reviews[0] {
        None => {
            return Err(Refusal::new(
                "annual_report_missing",
                "上一年度未参加年检（未报送年度报告）",
                "missed last year's annual inspection (no report filed)",
            ));
        }
        Some(ReviewOutcome::Unqualified) => {
            return Err(Refusal::new(
                "annual_report_failed",
                "上一年度年检不合格",
                "failed last year's annual inspection",
            ));
        }
        Some(ReviewOutcome::BasicallyQualified)
            if f.last_reviews[1] == Some(ReviewOutcome::BasicallyQualified) =>
        {
            return Err(Refusal::new(
                "two_basically_qualified",
                "连续两年年检基本合格",
                "two years in a row \"basically qualified\"",
            ));
        }
        _ => {}
    }
    if f.penalized_last_year {
        return Err(Refusal::new(
            "penalized",
            "上一年度受到行政处罚",
            "penalized last year",
        ));
    }
    if f.under_investigation {
        return Err(Refusal::new(
            "under_investigation",
            "正在被有关部门立案调查",
            "under investigation",
        ));
    }
    if f.on_credit_list {
        return Err(Refusal::new(
            "credit_listed",
            "被列入活动异常名录或严重违法失信名单",
            "on a credit list",
        ));
    }
    Ok(())
}

labelled_enum!(
    /// Where an application of a round stands.
    ApplicationStage {
        Applied = "applied", "已申请", "Applied";
        Refused = "refused", "初审未通过", "Refused at preliminary review";
        Scored = "scored", "已评分", "Scored";
        Notice = "notice", "公示中", "Public notice";
        Awarded = "awarded", "已授予等级", "Grade awarded";
        NotGraded = "not_graded", "未达等级", "No grade earned";
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
);

impl ApplicationStage {
    /// Self-assessment and application → preliminary review → expert scoring →
    /// public notice → award. A score below every cut-off ends at `NotGraded`.
    pub fn can_become(self, next: ApplicationStage) -> bool {
        use ApplicationStage::*;
        matches!(
            (self, next),
            (Applied, Refused | Scored | Withdrawn)
                | (Scored, Notice | NotGraded | Scored)
                | (Notice, Awarded | Scored)
        )
    }
}

/// The public notice period: `days` calendar days from `starts_on` (inclusive); the
/// award comes after it ends.
pub fn notice_ends_on(starts_on: NaiveDate, days: u32) -> NaiveDate {
    starts_on + Duration::days(i64::from(days.max(1)) - 1)
}

pub fn check_award_date(
    notice_starts_on: NaiveDate,
    days: u32,
    award_on: NaiveDate,
) -> Result<(), Refusal> {
    let ends = notice_ends_on(notice_starts_on, days);
    if award_on > ends {
        Ok(())
    } else {
        Err(Refusal::new(
            "notice_not_over",
            format!("公示期至{ends}结束，结束后方可授予等级"),
            format!("the public notice runs until {ends}: the grade is awarded after it"),
        ))
    }
}

labelled_enum!(
    /// Where a grade came from.
    GradeSource {
        Assessment = "assessment", "评估结论", "Assessment";
        Import = "import", "登记管理机关既有名册导入", "Imported from the authority's register";
        Lowered = "lowered", "降级", "Lowered";
    }
);

/// One award of a grade, as the register keeps it: an award never changes; lowering
/// ends it and awards the lower grade (keeping the original expiry), withdrawal ends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeAward {
    pub grade: Grade,
    pub awarded_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub source: GradeSource,
    pub ended_on: Option<NaiveDate>,
}

impl GradeAward {
    pub fn new(grade: Grade, awarded_on: NaiveDate, source: GradeSource) -> GradeAward {
        GradeAward {
            grade,
            awarded_on,
            expires_on: Grade::expiry(awarded_on),
            source,
            ended_on: None,
        }
    }
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.awarded_on <= date && date < self.expires_on && self.ended_on.is_none_or(|e| date < e)
    }
}

/// The grade that counts on `date` (lists, filters, figures, eligibility, annual
/// review): the latest award in force then; expired, ended or future awards do not count.
pub fn effective_grade(awards: &[GradeAward], date: NaiveDate) -> Option<&GradeAward> {
    awards
        .iter()
        .filter(|a| a.in_force_on(date))
        .max_by_key(|a| a.awarded_on)
}

/// Lowering or withdrawing a grade in force, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum GradeChange {
    Lower { to: Grade, reason: String },
    Withdraw { reason: String },
}

impl GradeChange {
    pub fn parse(
        current: Grade,
        to: Option<&str>,
        reason: Option<&str>,
    ) -> Result<GradeChange, FieldErrors> {
        let mut e = FieldErrors::new();
        let reason = parse_note(&mut e, "reason", &reason.map(String::from), 1000, true);
        let to = match to.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match Grade::parse(&s.to_ascii_uppercase()) {
                Some(g) if g < current => Some(g),
                Some(_) => {
                    e.add(
                        "to",
                        FieldError::new("只能降低等级", "must be lower than the current grade"),
                    );
                    None
                }
                None => {
                    e.add("to", FieldError::new("不是有效的等级", "is not a grade"));
                    None
                }
            },
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(match to {
            Some(to) => GradeChange::Lower { to, reason },
            None => GradeChange::Withdraw { reason },
        })
    }

    /// The awards after the change on `on`: the award in force ends; a lowering adds
    /// the lower grade with the same expiry.
    pub fn apply(&self, current: &GradeAward, on: NaiveDate) -> (GradeAward, Option<GradeAward>) {
        let ended = GradeAward {
            ended_on: Some(on),
            ..current.clone()
        };
        let lower = match self {
            GradeChange::Lower { to, .. } => Some(GradeAward {
                grade: *to,
                awarded_on: on,
                expires_on: current.expires_on,
                source: GradeSource::Lowered,
                ended_on: None,
            }),
            GradeChange::Withdraw { .. } => None,
        };
        (ended, lower)
    }
}

#[cfg(test)]
#[path = "assessment_tests.rs"]
mod tests;
