//! Supervision of the registry (DOMAIN.md §5, issue 9): what makes the registry
//! authoritative rather than self-declared.
//!
//! - [`changes`]: registered facts change only by a change application 变更登记 that
//!   the registration authority decides; which fields are registered, self-declared,
//!   written by assessments only.
//! - [`registration`]: the rules the authority applies when it registers (USCC division,
//!   foundation level, who the authority is, name clashes).
//! - [`annual`]: annual reports 年报/年检, deadlines, reviews.
//! - [`assessment`]: assessment rounds 评估, eligibility, indicator tables, grades and
//!   their expiry.
//! - [`credit`]: the two credit lists and the daily `supervise` step.
//! - [`standing`]: the consequences, asked in one place by every capability.
//! - [`service`]: bounds on service reports.
//! - [`tables`]: the indicator tables in force, a per-locality setting.
//!
//! Pure like the rest of the domain: callers pass `today` and the facts.

pub mod annual;
pub mod assessment;
pub mod changes;
pub mod credit;
pub mod events;
pub mod registration;
pub mod service;
pub mod standing;
pub mod tables;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

use crate::access::{Actor, Decision, Role};
use crate::{FieldError, FieldErrors, Lang};

/// Who may take the authority's decisions — approve or return a change application,
/// review an annual report, open an assessment round, score, give notice, award,
/// lower or withdraw a grade, record a penalty or finding, remove a listing: an
/// official of the registration authority's own node (`authority_path`), nobody else —
/// not an official above or below it, not a platform administrator (the platform
/// keeps the register, it does not decide registrations), not the organization.
pub fn authority_decides(actor: Option<&Actor>, authority_path: &str) -> Decision {
    match actor {
        None => Decision::Login,
        Some(a)
            if a.role == Role::Official
                && a.jurisdiction_path.as_deref() == Some(authority_path) =>
        {
            Decision::Allow
        }
        Some(_) => Decision::Forbidden,
    }
}

/// A rule said no: a stable code naming the rule (for tests, logs and API clients) and
/// the bilingual message a person reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub rule: &'static str,
    pub zh: String,
    pub en: String,
}

impl Refusal {
    pub fn new(rule: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Refusal {
            rule,
            zh: zh.into(),
            en: en.into(),
        }
    }
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
    pub fn field_error(&self) -> FieldError {
        FieldError::new(self.zh.clone(), self.en.clone())
    }
    /// The refusal as the field errors a form or the API shows (`422`).
    pub fn on_field(&self, field: &str) -> FieldErrors {
        FieldErrors::single(field, self.field_error())
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.en, self.rule)
    }
}

impl std::error::Error for Refusal {}

/// `n` working days after `d` (Monday to Friday). Public holidays and the make-up
/// working weekends of the Chinese calendar are not modelled: deadlines computed here
/// are the earliest the rule allows, never later.
pub fn add_working_days(d: NaiveDate, n: u32) -> NaiveDate {
    let mut out = d;
    let mut left = n;
    while left > 0 {
        out += Duration::days(1);
        if !matches!(out.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    out
}

/// Same day `months` later; the last day of a shorter month when it has no such day.
pub fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    let total = d.year() * 12 + d.month0() as i32 + months as i32;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    (0..4)
        .find_map(|back| NaiveDate::from_ymd_opt(y, m, d.day() - back))
        .expect("one of the last four days exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn working_days_skip_weekends() {
        // Friday + 1 working day is Monday.
        assert_eq!(add_working_days(d(2026, 11, 27), 1), d(2026, 11, 30));
        assert_eq!(add_working_days(d(2026, 11, 30), 5), d(2026, 12, 7));
        assert_eq!(add_working_days(d(2026, 11, 30), 0), d(2026, 11, 30));
    }

    #[test]
    fn months_clamp_to_the_month_end() {
        assert_eq!(add_months(d(2026, 8, 31), 6), d(2027, 2, 28));
        assert_eq!(add_months(d(2026, 6, 1), 6), d(2026, 12, 1));
        assert_eq!(add_months(d(2027, 8, 29), 6), d(2028, 2, 29));
    }
}

/// Fixtures shared by the supervision tests.
#[cfg(test)]
pub(crate) mod testkit {
    use chrono::NaiveDate;

    use crate::codes::Uscc;
    use crate::registry::{OrganizationData, OrganizationDraft};

    pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub fn today() -> NaiveDate {
        d(2026, 11, 30)
    }

    pub fn draft() -> OrganizationDraft {
        OrganizationDraft {
            name: Some("南京玄武一家圆心灵保姆服务中心".into()),
            legal_form: Some("social_service_institution".into()),
            uscc: Some(
                Uscc::assemble('5', '2', "320102", "MJ5000A1")
                    .unwrap()
                    .to_string(),
            ),
            domains: Some(vec!["elderly".into()]),
            jurisdiction: Some("320102002000".into()),
            address: Some("梅园新村34号".into()),
            founded_on: Some("2010-05-04".into()),
            legal_representative: Some("张三".into()),
            staff_full_time: Some("5".into()),
            stage: Some("growth".into()),
            ..Default::default()
        }
    }

    pub fn org() -> OrganizationData {
        draft().validate(today()).unwrap()
    }
}

#[cfg(test)]
mod authority_tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn only_the_authoritys_own_official_decides() {
        let xuanwu = "320000/320100/320102/";
        let a = |role, path: Option<&str>| Actor {
            user_id: Uuid::nil(),
            username: "u".into(),
            role,
            jurisdiction_path: path.map(String::from),
            organization_id: None,
        };
        assert!(authority_decides(Some(&a(Role::Official, Some(xuanwu))), xuanwu).is_allowed());
        for other in [
            a(Role::Official, Some("320000/320100/")),
            a(Role::Official, Some("320000/320100/320102/320102002000/")),
            a(Role::Admin, None),
            a(Role::Expert, None),
            a(Role::HubStaff, None),
        ] {
            assert_eq!(authority_decides(Some(&other), xuanwu), Decision::Forbidden);
        }
        assert_eq!(authority_decides(None, xuanwu), Decision::Login);
    }
}
