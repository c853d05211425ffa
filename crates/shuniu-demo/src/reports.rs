//! Annual reports 年报 for the demo's registered organizations (filed community
//! organizations report to their street, not under this system), from the first year
//! the system enforces ([`REPORTS_FROM`]) to last year, filed and reviewed through the
//! store's own methods so that history, audit and the credit rules are the real ones.
//!
//! Most organizations file on time (April–May, working days) and are reviewed 合格 in
//! June or July; a few get 基本合格 or 不合格 with reasons; a few file late (and go on
//! the abnormal list until six months have passed); two never file last year's report,
//! and one has filed nothing since the system began — after two years on the abnormal
//! list it is on the serious list once the daily job (`shuniu supervise`) runs.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use shuniu_domain::money::Fen;
use shuniu_domain::registry::{LegalForm, OrgStatus, Organization};
use shuniu_domain::supervision::annual::{ReportContents, Review, ReviewOutcome};
use shuniu_domain::supervision::credit::CreditSettings;
use shuniu_store::{Store, StoreError, WriteCtx};

use crate::ACTOR;

/// The first report year the demo's history (and the binary's default
/// `supervise_from_year`) covers.
pub const REPORTS_FROM: i32 = 2023;

/// The credit settings the demo's history was written under.
pub fn settings() -> CreditSettings {
    CreditSettings {
        from_year: REPORTS_FROM,
        ..CreditSettings::default()
    }
}

/// What [`build`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Reports {
    pub filed: usize,
    pub late: usize,
    pub basically_qualified: usize,
    pub unqualified: usize,
    /// Reports due and never filed.
    pub missing: usize,
}

/// Who the report history singles out, for the rest of the demo's history.
#[derive(Debug, Default)]
pub(crate) struct Story {
    /// Organizations reviewed 不合格, with the review's date.
    pub unqualified: Vec<(uuid::Uuid, NaiveDate)>,
    /// Organizations with a report due and never filed.
    pub missing: std::collections::HashSet<uuid::Uuid>,
}

/// The first working day (Monday–Friday) on or after `d`.
fn working_day(d: NaiveDate) -> NaiveDate {
    let mut out = d;
    while matches!(out.weekday(), Weekday::Sat | Weekday::Sun) {
        out += Duration::days(1);
    }
    out
}

fn on(y: i32, m: u32, d: u32) -> NaiveDate {
    working_day(NaiveDate::from_ymd_opt(y, m, d).expect("a valid date"))
}

/// What one organization's report on `year` says (plausible for its size).
fn contents(org: &Organization, year: i32, i: usize) -> ReportContents {
    let staff = org.data.staff_full_time + org.data.staff_part_time;
    let base = 20_000 + 15_000 * i64::from(staff) + (i as i64 % 7) * 3_000;
    let grow = i64::from(year - REPORTS_FROM) * 2_000;
    ReportContents {
        activities: format!("{year}年度围绕章程宗旨开展服务活动，服务辖区居民。"),
        income: Fen::yuan(base + grow),
        expenditure: Fen::yuan(base + grow - 2_000),
        net_assets: Fen::yuan(10_000 + base / 4),
        donations: Fen::yuan((i as i64 % 5) * 1_000),
        government_funding: Fen::yuan(base / 2),
        staff_full_time: org.data.staff_full_time,
        staff_part_time: org.data.staff_part_time,
        volunteers: org.data.volunteers,
        party_building: if org.data.party_members > 0 {
            "按规定开展党的组织生活".into()
        } else {
            "无党员，由党建指导员联系".into()
        },
        major_events: "无".into(),
    }
}

/// Files and reviews the reports of the registered organizations among `orgs` (the
/// demo just loaded) for the years due by `today`.
pub(crate) async fn build(
    store: &Store,
    today: NaiveDate,
    orgs: &[Organization],
) -> Result<(Reports, Story), StoreError> {
    let s = settings();
    let mut out = Reports::default();
    let mut story = Story::default();
    let registered: Vec<&Organization> = orgs
        .iter()
        .filter(|o| o.data.legal_form != LegalForm::CommunityFiled && o.status == OrgStatus::Active)
        .collect();
    let n = registered.len();
    // Chosen by position, so the same demo gives the same story: one organization
    // that has filed nothing, two that skipped last year's report, a few late ones.
    let silent = n / 2 + 3;
    let skipped_last = [n / 3 + 1, 2 * n / 3 + 2];
    for (i, org) in registered.iter().enumerate() {
        let ctx = || WriteCtx::system(ACTOR);
        let first = org.data.founded_on.year().max(REPORTS_FROM);
        for year in first..today.year() {
            let due = s.annual.due_on(year);
            if due >= today {
                continue;
            }
            let last = year == today.year() - 1;
            if i == silent || (last && skipped_last.contains(&i)) {
                out.missing += 1;
                story.missing.insert(org.id);
                continue;
            }
            // A few late: in August of the due year (for last year's: July).
            let late = (i * 7 + year as usize) % 97 == 5;
            let submitted_on = if late {
                on(year + 1, if last { 7 } else { 8 }, 10 + (i % 15) as u32)
            } else {
                on(year + 1, 3 + (i % 3) as u32, 1 + (i * 13 % 27) as u32)
            };
            if submitted_on > today {
                continue;
            }
            let report = store
                .file_annual_report(
                    org.id,
                    year,
                    &contents(org, year, i),
                    submitted_on,
                    &s,
                    ctx(),
                )
                .await?;
            out.filed += 1;
            out.late += usize::from(report.late);
            let reviewed_on =
                working_day(submitted_on.max(due) + Duration::days(14 + (i % 30) as i64));
            if reviewed_on > today {
                continue;
            }
            let review = match (i + year as usize) % 41 {
                3 => Review {
                    outcome: ReviewOutcome::BasicallyQualified,
                    reasons: "财务会计报告未经审计，业务活动记录不完整，限期整改".into(),
                },
                17 if year != today.year() - 1 => Review {
                    outcome: ReviewOutcome::Unqualified,
                    reasons: "未按章程召开会员（理事）大会，财务收支未纳入法定账簿".into(),
                },
                _ => Review {
                    outcome: ReviewOutcome::Qualified,
                    reasons: String::new(),
                },
            };
            match review.outcome {
                ReviewOutcome::BasicallyQualified => out.basically_qualified += 1,
                ReviewOutcome::Unqualified => {
                    out.unqualified += 1;
                    story.unqualified.push((org.id, reviewed_on));
                }
                ReviewOutcome::Qualified => {}
            }
            store
                .review_annual_report(report.id, &review, reviewed_on, ctx())
                .await?;
        }
    }
    Ok((out, story))
}
