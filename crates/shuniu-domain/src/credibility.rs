//! Credibility 可信度 (issue 12 item 8): one score per organization that a resident can
//! read part by part — what each part is, what it weighs, where its facts come from and
//! why it scored what it did.
//!
//! Pure: the store gathers [`Facts`] when an event changes them (a review, a grade, a
//! listing, a rating, a complaint, an edit of the disclosure) and stores the
//! [`Credibility`] this module computes; pages read the stored result, never recompute
//! per view. Weights and the minimum number of ratings are settings ([`Settings`]).
//!
//! A part with nothing to judge yet (no annual report due, fewer ratings than the
//! minimum, no obligations) is *not counted*: its weight is shared among the parts that
//! are, and the breakdown says so, so a young organization is neither rewarded nor
//! punished for what it could not yet show.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Lang;
use crate::registry::{Grade, OrgStatus, labelled_enum};
use crate::supervision::annual::ReviewOutcome;
use crate::{FieldError, FieldErrors};

labelled_enum!(
    /// The parts of the score, in the order the breakdown shows them.
    Part {
        Registration = "registration", "登记状态", "Registration";
        AnnualReports = "annual_reports", "年报合规", "Annual reports";
        Grade = "grade", "评估等级", "Assessment grade";
        Credit = "credit", "信用名单", "Credit lists";
        Ratings = "ratings", "居民评价", "Resident ratings";
        Complaints = "complaints", "投诉与处理", "Complaints and their handling";
        Disclosure = "disclosure", "信息公开", "Disclosure";
        Obligations = "obligations", "承诺履行", "Obligations kept";
    }
);

labelled_enum!(
    /// Who stands behind a part's facts.
    Source {
        Authority = "authority", "登记管理机关的决定", "the registration authority's decisions";
        Residents = "residents", "居民的评价与投诉", "residents' ratings and complaints";
        SelfDeclared = "self_declared", "组织自行申报", "the organization's own declaration";
        Hubs = "hubs", "枢纽组织与阵地的记录", "hubs' and parks' records";
    }
);

impl Part {
    pub fn source(self) -> Source {
        match self {
            Part::Registration | Part::AnnualReports | Part::Grade | Part::Credit => {
                Source::Authority
            }
            Part::Ratings | Part::Complaints => Source::Residents,
            Part::Disclosure => Source::SelfDeclared,
            Part::Obligations => Source::Hubs,
        }
    }
}

labelled_enum!(
    /// How the score reads in words (never colour alone).
    Band {
        High = "high", "可信度高", "High credibility";
        Fair = "fair", "可信度一般", "Fair credibility";
        Low = "low", "可信度较低", "Low credibility";
    }
);

impl Band {
    pub fn of(score: u8) -> Band {
        match score {
            80..=100 => Band::High,
            60..=79 => Band::Fair,
            _ => Band::Low,
        }
    }
}

/// A sentence in both languages: why a part scored what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub zh: String,
    pub en: String,
}

impl Note {
    fn new(zh: impl Into<String>, en: impl Into<String>) -> Note {
        Note {
            zh: zh.into(),
            en: en.into(),
        }
    }
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// The weight of each part, in percent; they add up to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weights([u8; 8]);

impl Weights {
    /// Registration 10, annual reports 20, grade 15, credit lists 20, ratings 15,
    /// complaints 10, disclosure 5, obligations 5: what the authority decides weighs
    /// most, residents' voice next, what an organization says of itself least.
    pub const DEFAULT: Weights = Weights([10, 20, 15, 20, 15, 10, 5, 5]);

    /// Weights in [`Part::ALL`] order; each at most 100, together exactly 100.
    pub fn new(values: [u8; 8]) -> Result<Weights, FieldErrors> {
        let mut e = FieldErrors::new();
        for (part, w) in Part::ALL.iter().zip(values) {
            if w > 100 {
                e.add(
                    &format!("weights.{}", part.as_str()),
                    FieldError::new("权重不能超过 100", "a weight is at most 100"),
                );
            }
        }
        let sum: u32 = values.iter().map(|&w| u32::from(w)).sum();
        if e.is_empty() && sum != 100 {
            e.add(
                "weights",
                FieldError::new(
                    format!("各部分权重之和须为 100，现为 {sum}"),
                    format!("the weights must add up to 100, not {sum}"),
                ),
            );
        }
        if e.is_empty() {
            Ok(Weights(values))
        } else {
            Err(e)
        }
    }

    pub fn of(&self, part: Part) -> u8 {
        self.0[part as usize]
    }
}

impl Default for Weights {
    fn default() -> Self {
        Weights::DEFAULT
    }
}

/// The settings the score follows (a locality may set its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub weights: Weights,
    /// Ratings count only from this many on: a handful of votes says little.
    pub min_ratings: u32,
    /// How many past years of annual reports are judged.
    pub report_years: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            weights: Weights::DEFAULT,
            min_ratings: 5,
            report_years: 3,
        }
    }
}

/// One annual report that was due, as the record shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFact {
    pub year: i32,
    pub filed: bool,
    pub late: bool,
    /// `None` while the authority has not reviewed it.
    pub outcome: Option<ReviewOutcome>,
}

/// Everything the score depends on, gathered by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub status: OrgStatus,
    /// A community organization filed with its street 备案的社区社会组织: it neither
    /// reports to the registration authority under Order 60 nor may be assessed, so
    /// the annual-report and grade parts are not counted for it unless it has reports
    /// or a grade to show.
    pub community_filed: bool,
    /// Reports of the years that were due, newest first (the store reads at most
    /// [`Settings::report_years`] of them).
    pub reports: Vec<ReportFact>,
    /// The grade in force today and its expiry.
    pub grade: Option<(Grade, NaiveDate)>,
    pub on_serious_list: bool,
    pub on_abnormal_list: bool,
    /// Listings ended within the last five years.
    pub past_listings: u32,
    pub ratings_count: u32,
    /// Sum of the ratings (each 1–5).
    pub ratings_sum: u32,
    /// Requests the organization completed in the last twelve months.
    pub completed_requests: u32,
    /// Complaints received in the last twelve months, and of them answered within the
    /// first-response limit, and upheld.
    pub complaints: u32,
    pub complaints_answered_in_time: u32,
    pub complaints_upheld: u32,
    pub discloses_phone: bool,
    pub discloses_hours: bool,
    pub discloses_address: bool,
    pub lists_services: bool,
    /// Obligations (park or post) kept and due; `None` when none apply.
    pub obligations: Option<(u32, u32)>,
}

/// One part of the breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartScore {
    pub part: Part,
    /// The part's weight in the settings (percent).
    pub weight: u8,
    /// 0–100 within the part; `None` when the part is not counted.
    pub points: Option<u8>,
    pub source: Source,
    pub notes: Vec<Note>,
}

/// The score and its breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credibility {
    /// 0–100.
    pub score: u8,
    pub band: Band,
    pub parts: Vec<PartScore>,
    /// A limit that overrode the weighted sum (suspension, the serious list).
    pub cap: Option<Note>,
    /// The date the facts were read.
    pub as_of: NaiveDate,
}

/// Computes the score of an organization from its facts, as of `today`.
pub fn assess(facts: &Facts, settings: &Settings, today: NaiveDate) -> Credibility {
    let parts: Vec<PartScore> = Part::ALL
        .iter()
        .map(|&part| {
            let (points, notes) = judge(part, facts, settings, today);
            PartScore {
                part,
                weight: settings.weights.of(part),
                points,
                source: part.source(),
                notes,
            }
        })
        .collect();
    let (num, den) = parts.iter().fold((0u32, 0u32), |(n, d), p| match p.points {
        Some(pts) => (
            n + u32::from(pts) * u32::from(p.weight),
            d + u32::from(p.weight),
        ),
        None => (n, d),
    });
    let weighted = (num + den / 2).checked_div(den).unwrap_or(0) as u8;
    let cap = cap_of(facts);
    let score = match &cap {
        Some((limit, _)) => weighted.min(*limit),
        None => weighted,
    };
    Credibility {
        score,
        band: Band::of(score),
        parts,
        cap: cap.map(|(_, note)| note),
        as_of: today,
    }
}

/// Consequences that no good rating can outweigh.
fn cap_of(f: &Facts) -> Option<(u8, Note)> {
    match f.status {
        OrgStatus::Deregistered => Some((
            0,
            Note::new(
                "该组织已注销，不再提供服务",
                "the organization is deregistered",
            ),
        )),
        OrgStatus::Suspended => Some((
            20,
            Note::new(
                "该组织被暂停活动，可信度不超过 20",
                "the organization is suspended: at most 20",
            ),
        )),
        OrgStatus::Active if f.on_serious_list => Some((
            40,
            Note::new(
                "列入严重违法失信名单，可信度不超过 40",
                "on the serious-violation list: at most 40",
            ),
        )),
        OrgStatus::Active => None,
    }
}

fn judge(part: Part, f: &Facts, s: &Settings, today: NaiveDate) -> (Option<u8>, Vec<Note>) {
    match part {
        Part::Registration => registration(f),
        Part::AnnualReports => annual_reports(f, s),
        Part::Grade => grade(f, today),
        Part::Credit => credit(f),
        Part::Ratings => ratings(f, s),
        Part::Complaints => complaints(f),
        Part::Disclosure => disclosure(f),
        Part::Obligations => obligations(f),
    }
}

fn registration(f: &Facts) -> (Option<u8>, Vec<Note>) {
    let (points, note) = match f.status {
        OrgStatus::Active => (
            100,
            Note::new("依法登记，状态正常", "registered and active"),
        ),
        OrgStatus::Suspended => (0, Note::new("被暂停活动", "suspended")),
        OrgStatus::Deregistered => (0, Note::new("已注销", "deregistered")),
    };
    (Some(points), vec![note])
}

fn annual_reports(f: &Facts, s: &Settings) -> (Option<u8>, Vec<Note>) {
    let judged: Vec<&ReportFact> = f.reports.iter().take(s.report_years as usize).collect();
    if judged.is_empty() && f.community_filed {
        return (
            None,
            vec![Note::new(
                "备案的社区社会组织不向登记管理机关报送年度报告，暂不计入",
                "filed community organizations do not report to the authority: not counted",
            )],
        );
    }
    if judged.is_empty() {
        return (
            None,
            vec![Note::new(
                "尚无到期的年度报告，暂不计入",
                "no annual report was due yet: not counted",
            )],
        );
    }
    let mut total = 0u32;
    let mut notes = Vec::new();
    for r in &judged {
        let (points, zh, en): (u32, &str, &str) = if !r.filed {
            (0, "未报送", "not filed")
        } else {
            match r.outcome {
                Some(ReviewOutcome::Qualified) => (100, "合格", "qualified"),
                Some(ReviewOutcome::BasicallyQualified) => (70, "基本合格", "basically qualified"),
                Some(ReviewOutcome::Unqualified) => (0, "不合格", "unqualified"),
                None => (80, "已报送，待审查", "filed, awaiting review"),
            }
        };
        let points = if r.filed && r.late {
            points.saturating_sub(30)
        } else {
            points
        };
        total += points;
        let (late_zh, late_en) = if r.filed && r.late {
            ("（逾期报送）", " (filed late)")
        } else {
            ("", "")
        };
        notes.push(Note::new(
            format!("{}年度：{zh}{late_zh}", r.year),
            format!("{}: {en}{late_en}", r.year),
        ));
    }
    let avg = (total + judged.len() as u32 / 2) / judged.len() as u32;
    (Some(avg as u8), notes)
}

fn grade(f: &Facts, today: NaiveDate) -> (Option<u8>, Vec<Note>) {
    match f.grade {
        Some((g, expiry)) if expiry > today => {
            let points = match g {
                Grade::A5 => 100,
                Grade::A4 => 90,
                Grade::A3 => 75,
                Grade::A2 => 60,
                Grade::A1 => 50,
            };
            let expiry_en = format!("{} {} {}", expiry.day(), month_en(expiry), expiry.year());
            (
                Some(points),
                vec![Note::new(
                    format!(
                        "评估等级 {}，有效期至{}年{}月{}日",
                        g.as_str(),
                        expiry.year(),
                        expiry.month(),
                        expiry.day()
                    ),
                    format!("graded {} until {expiry_en}", g.as_str()),
                )],
            )
        }
        _ if f.community_filed => (
            None,
            vec![Note::new(
                "备案的社区社会组织不参加等级评估，暂不计入",
                "filed community organizations are not assessed: not counted",
            )],
        ),
        _ => (
            Some(30),
            vec![Note::new(
                "未评估或等级已过期",
                "not graded, or the grade has expired",
            )],
        ),
    }
}

fn month_en(d: NaiveDate) -> &'static str {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS[d.month0() as usize]
}

fn credit(f: &Facts) -> (Option<u8>, Vec<Note>) {
    if f.on_serious_list {
        return (
            Some(0),
            vec![Note::new(
                "列入严重违法失信名单",
                "on the serious-violation list",
            )],
        );
    }
    if f.on_abnormal_list {
        return (
            Some(30),
            vec![Note::new(
                "列入活动异常名录",
                "on the abnormal-operation list",
            )],
        );
    }
    let past = f.past_listings.min(4);
    let points = 100 - 10 * past as u8;
    let note = if past == 0 {
        Note::new(
            "未列入信用名单，近五年无记录",
            "on no credit list, none in five years",
        )
    } else {
        Note::new(
            format!("现未列入名单；近五年曾列入 {} 次", f.past_listings),
            format!(
                "on no list now; listed {} time(s) in five years",
                f.past_listings
            ),
        )
    };
    (Some(points), vec![note])
}

fn ratings(f: &Facts, s: &Settings) -> (Option<u8>, Vec<Note>) {
    if f.ratings_count == 0 || f.ratings_count < s.min_ratings {
        return (
            None,
            vec![Note::new(
                format!(
                    "居民评价 {} 条，少于 {} 条，暂不计入",
                    f.ratings_count, s.min_ratings
                ),
                format!(
                    "{} rating(s), fewer than {}: not counted",
                    f.ratings_count, s.min_ratings
                ),
            )],
        );
    }
    // Average a in 1..=5 mapped to 0..=100: (a − 1) / 4.
    let sum = f.ratings_sum.clamp(f.ratings_count, 5 * f.ratings_count);
    let points = (100 * (sum - f.ratings_count) + 2 * f.ratings_count) / (4 * f.ratings_count);
    let tenths = (10 * sum + f.ratings_count / 2) / f.ratings_count;
    (
        Some(points as u8),
        vec![Note::new(
            format!(
                "{} 条评价，平均 {}.{} 分（满分 5 分）",
                f.ratings_count,
                tenths / 10,
                tenths % 10
            ),
            format!(
                "{} ratings, {}.{} of 5 on average",
                f.ratings_count,
                tenths / 10,
                tenths % 10
            ),
        )],
    )
}

fn complaints(f: &Facts) -> (Option<u8>, Vec<Note>) {
    if f.complaints == 0 && f.completed_requests == 0 {
        return (
            None,
            vec![Note::new(
                "近一年无服务记录和投诉，暂不计入",
                "no service record and no complaint in a year: not counted",
            )],
        );
    }
    if f.complaints == 0 {
        return (
            Some(100),
            vec![Note::new(
                format!("近一年完成 {} 项求助，无投诉", f.completed_requests),
                format!(
                    "{} request(s) completed in a year, no complaint",
                    f.completed_requests
                ),
            )],
        );
    }
    // Upheld complaints per completed request cost up to 60 points; complaints not
    // answered in time up to 40 more.
    let base = f.completed_requests.max(f.complaints);
    let upheld = f.complaints_upheld.min(f.complaints);
    let in_time = f.complaints_answered_in_time.min(f.complaints);
    let rate_cost = (60 * upheld * 2 / base).min(60);
    let late_cost = 40 * (f.complaints - in_time) / f.complaints;
    let points = 100 - rate_cost - late_cost;
    (
        Some(points as u8),
        vec![
            Note::new(
                format!(
                    "近一年投诉 {} 件，经核实 {} 件（完成求助 {} 项）",
                    f.complaints, upheld, f.completed_requests
                ),
                format!(
                    "{} complaint(s) in a year, {} upheld ({} request(s) completed)",
                    f.complaints, upheld, f.completed_requests
                ),
            ),
            Note::new(
                format!("按时答复 {} 件", in_time),
                format!("{} answered in time", in_time),
            ),
        ],
    )
}

fn disclosure(f: &Facts) -> (Option<u8>, Vec<Note>) {
    let items = [
        (f.discloses_phone, "服务电话", "service phone"),
        (f.discloses_hours, "服务时间", "hours"),
        (f.discloses_address, "服务地址", "address"),
        (f.lists_services, "服务项目", "services"),
    ];
    let shown = items.iter().filter(|(on, _, _)| *on).count() as u8;
    let missing: Vec<&(bool, &str, &str)> = items.iter().filter(|(on, _, _)| !*on).collect();
    let note = if missing.is_empty() {
        Note::new(
            "已公开服务电话、时间、地址和服务项目",
            "phone, hours, address and services are public",
        )
    } else {
        Note::new(
            format!(
                "未公开：{}",
                missing.iter().map(|m| m.1).collect::<Vec<_>>().join("、")
            ),
            format!(
                "not public: {}",
                missing.iter().map(|m| m.2).collect::<Vec<_>>().join(", ")
            ),
        )
    };
    (Some(shown * 25), vec![note])
}

fn obligations(f: &Facts) -> (Option<u8>, Vec<Note>) {
    match f.obligations {
        Some((kept, due)) if due > 0 => {
            let kept = kept.min(due);
            (
                Some(((100 * kept + due / 2) / due) as u8),
                vec![Note::new(
                    format!("应履行 {due} 项，已履行 {kept} 项"),
                    format!("{kept} of {due} obligation(s) kept"),
                )],
            )
        }
        _ => (
            None,
            vec![Note::new(
                "无入驻或岗位承诺，暂不计入",
                "no park or post obligations: not counted",
            )],
        ),
    }
}

#[cfg(test)]
#[path = "credibility_tests.rs"]
mod tests;
