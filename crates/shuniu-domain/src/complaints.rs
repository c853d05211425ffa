//! Residents' complaints 投诉 (issue 12, item 7): a resident complains about an
//! organization, or about a request it handled. The organization owes a first
//! response within a number of working days (a setting, 3 by default); a complaint
//! left unanswered past that limit is escalated to the street official. The official
//! records the outcome — upheld, partly upheld, not upheld — with a text that is
//! public on the organization's page, without the complainant's identity.
//!
//! The complainant's phone is verified when the complaint is filed through the
//! request's private link (the phone the request carries), otherwise given. It is
//! shown in full only to the street official and the street hub's dispatcher: never
//! to the public, never to the organization complained about, never to another.
//!
//! Pure: the caller passes the time and the facts.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::{Actor, Role};
use crate::codes::Phone;
use crate::jurisdiction::path_within;
use crate::parks::shanghai;
use crate::registry::{codes, labelled_enum, parse_note, parse_phone, required_choice};
use crate::supervision::add_working_days;
use crate::{FieldError, FieldErrors, Lang};

labelled_enum!(
    /// Where a complaint stands.
    ComplaintState {
        Submitted = "submitted", "待组织答复", "Waiting for the organization's response";
        Answered = "answered", "组织已答复，待办结", "Answered, waiting for the outcome";
        Resolved = "resolved", "已办结", "Resolved";
        Closed = "closed", "已关闭", "Closed";
    }
);

labelled_enum!(
    /// What the complaint is about.
    ComplaintCategory {
        ServiceQuality = "service_quality", "服务质量", "Quality of the service";
        Attitude = "attitude", "服务态度", "Staff attitude";
        NotDelivered = "not_delivered", "未按约定提供服务", "Service not delivered as agreed";
        Fees = "fees", "收费问题", "Fees";
        Safety = "safety", "安全隐患", "Safety";
        Other = "other", "其他", "Other";
    }
);

labelled_enum!(
    /// The official's finding, public on the organization's page.
    ComplaintOutcome {
        Upheld = "upheld", "投诉成立", "Upheld";
        PartlyUpheld = "partly_upheld", "部分成立", "Partly upheld";
        NotUpheld = "not_upheld", "投诉不成立", "Not upheld";
    }
);

labelled_enum!(
    /// How the complainant's phone came to be known.
    PhoneSource {
        Verified = "verified", "经求助专属链接核实", "Verified through the request's private link";
        Given = "given", "投诉人自报", "Given by the complainant";
    }
);

labelled_enum!(
    /// What happens to a complaint, and by whom.
    ComplaintAction {
        Answer = "answer", "组织答复", "Answered by the organization";
        Resolve = "resolve", "办结", "Resolved";
        Close = "close", "关闭", "Closed";
    }
);

impl ComplaintAction {
    /// The states it may start from.
    pub fn from(self) -> &'static [ComplaintState] {
        use ComplaintState::*;
        match self {
            ComplaintAction::Answer => &[Submitted],
            ComplaintAction::Resolve | ComplaintAction::Close => &[Submitted, Answered],
        }
    }
    /// The state it leads to.
    pub fn to(self) -> ComplaintState {
        match self {
            ComplaintAction::Answer => ComplaintState::Answered,
            ComplaintAction::Resolve => ComplaintState::Resolved,
            ComplaintAction::Close => ComplaintState::Closed,
        }
    }
    /// Its audit event kind.
    pub fn audit_kind(self) -> &'static str {
        match self {
            ComplaintAction::Answer => "complaint.answer",
            ComplaintAction::Resolve => "complaint.resolve",
            ComplaintAction::Close => "complaint.close",
        }
    }
    /// Whether the official decides it (else the organization).
    pub fn is_officials(self) -> bool {
        !matches!(self, ComplaintAction::Answer)
    }
}

/// Whether `a` may happen to a complaint in `state`.
pub fn can(state: ComplaintState, a: ComplaintAction) -> bool {
    a.from().contains(&state)
}

impl ComplaintState {
    /// Still open: an outcome is to be recorded.
    pub fn is_open(self) -> bool {
        matches!(self, ComplaintState::Submitted | ComplaintState::Answered)
    }
}

// ---------------------------------------------------------------------------
// The first-response limit.

/// The complaint settings: working days the organization has for a first response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintSettings {
    pub response_working_days: u32,
}

impl Default for ComplaintSettings {
    fn default() -> Self {
        ComplaintSettings {
            response_working_days: 3,
        }
    }
}

/// When the first response is due: the end of the `n`-th working day (Monday to
/// Friday, Asia/Shanghai) after the day the complaint was filed — as the instant the
/// next day begins there, in UTC.
pub fn due_at(filed_at: DateTime<Utc>, s: &ComplaintSettings) -> DateTime<Utc> {
    let tz = shanghai();
    let day = filed_at.with_timezone(&tz).date_naive();
    let last = add_working_days(day, s.response_working_days);
    let next = (last + Duration::days(1)).and_time(NaiveTime::MIN);
    tz.from_local_datetime(&next)
        .single()
        .expect("a fixed offset maps every local time once")
        .with_timezone(&Utc)
}

/// Whether a complaint's first response is overdue at `now`: still unanswered (and
/// undecided) at or after its due time.
pub fn is_overdue(state: ComplaintState, due: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    state == ComplaintState::Submitted && now >= due
}

/// Whether the daily sweep escalates it now: overdue and not escalated yet.
pub fn should_escalate(
    state: ComplaintState,
    escalated: bool,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    !escalated && is_overdue(state, due, now)
}

/// Whether a response given at `responded_at` came within the limit.
pub fn answered_in_time(due: DateTime<Utc>, responded_at: DateTime<Utc>) -> bool {
    responded_at < due
}

// ---------------------------------------------------------------------------
// What the complainant types.

/// A validated complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintData {
    pub category: ComplaintCategory,
    pub description: String,
    pub phone: Phone,
    pub phone_source: PhoneSource,
}

/// What a complainant typed, every field as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintDraft {
    pub category: Option<String>,
    pub description: Option<String>,
    pub phone: Option<String>,
}

/// The draft's field names, in form order.
pub const COMPLAINT_FIELDS: [&str; 3] = ["category", "description", "phone"];

pub const DESCRIPTION_MIN: usize = 5;
pub const DESCRIPTION_MAX: usize = 1000;
pub const TEXT_MAX: usize = 1000;

fn too_short(min: usize) -> FieldError {
    FieldError::new(
        format!("请至少写{min}个字"),
        format!("must be at least {min} characters"),
    )
}

fn long_text(e: &mut FieldErrors, field: &str, v: &Option<String>, min: usize) -> String {
    let t = parse_note(e, field, v, TEXT_MAX, true);
    if e.get(field).is_none() && t.chars().count() < min {
        e.add(field, too_short(min));
    }
    t
}

impl ComplaintDraft {
    /// Checks every field. `verified`: the phone of the request the complaint is filed
    /// through (its private link proves it); then no phone is asked and any typed is
    /// ignored.
    pub fn validate(&self, verified: Option<&Phone>) -> Result<ComplaintData, FieldErrors> {
        let mut e = FieldErrors::new();
        let category = required_choice(
            &mut e,
            "category",
            &self.category,
            ComplaintCategory::parse,
            &codes(ComplaintCategory::ALL, ComplaintCategory::as_str),
        );
        let description = long_text(&mut e, "description", &self.description, DESCRIPTION_MIN);
        let phone = match verified {
            Some(p) => Some((p.clone(), PhoneSource::Verified)),
            None => {
                parse_phone(&mut e, "phone", &self.phone, true).map(|p| (p, PhoneSource::Given))
            }
        };
        match (category, phone) {
            (Some(category), Some((phone, phone_source))) if e.is_empty() => Ok(ComplaintData {
                category,
                description,
                phone,
                phone_source,
            }),
            _ => Err(e),
        }
    }
}

/// The organization's first response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseDraft {
    pub response: Option<String>,
}

pub const RESPONSE_MIN: usize = 5;

impl ResponseDraft {
    pub fn validate(&self, state: ComplaintState) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        let r = long_text(&mut e, "response", &self.response, RESPONSE_MIN);
        if e.is_empty() && !can(state, ComplaintAction::Answer) {
            e.add("response", already_answered());
        }
        if e.is_empty() { Ok(r) } else { Err(e) }
    }
}

/// The official's decision: the outcome and its public text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub outcome: ComplaintOutcome,
    pub outcome_text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionDraft {
    pub outcome: Option<String>,
    pub outcome_text: Option<String>,
}

pub const DECISION_FIELDS: [&str; 2] = ["outcome", "outcome_text"];

impl DecisionDraft {
    pub fn validate(&self) -> Result<Decision, FieldErrors> {
        let mut e = FieldErrors::new();
        let outcome = required_choice(
            &mut e,
            "outcome",
            &self.outcome,
            ComplaintOutcome::parse,
            &codes(ComplaintOutcome::ALL, ComplaintOutcome::as_str),
        );
        let outcome_text = long_text(&mut e, "outcome_text", &self.outcome_text, RESPONSE_MIN);
        match outcome {
            Some(outcome) if e.is_empty() => Ok(Decision {
                outcome,
                outcome_text,
            }),
            _ => Err(e),
        }
    }
}

pub fn already_answered() -> FieldError {
    FieldError::new(
        "该投诉已答复或已办结，不能再次答复",
        "the complaint has been answered or decided already",
    )
}

/// The error of an action the state does not allow (a second click, a race).
pub fn wrong_state(state: ComplaintState) -> (String, String) {
    (
        format!("投诉当前状态为“{}”，不能进行此操作", state.label(Lang::Zh)),
        format!(
            "the complaint is {} now; this cannot be done",
            state.label(Lang::En).to_lowercase()
        ),
    )
}

/// The organization complained about cannot be found (or is not public).
pub fn unknown_organization() -> FieldError {
    FieldError::unknown_organization()
}

/// A request no organization ever handled: there is no one to complain about.
pub fn nobody_to_complain_about() -> FieldError {
    FieldError::new(
        "该求助尚未派给任何组织，无法投诉",
        "no organization has handled this request yet",
    )
}

// ---------------------------------------------------------------------------
// Complaint numbers: `TS-320102-2026-000045`, per district per year.

pub fn complaint_number(district_code: &str, year: i32, seq: i64) -> String {
    format!("TS-{district_code}-{year}-{seq:06}")
}

/// The street a path belongs to (its first four nodes), or the path itself when it
/// lies above street level: where a complaint is handled.
pub fn handling_path(path: &str) -> String {
    crate::jurisdiction::street_path(path)
}

// ---------------------------------------------------------------------------
// Who sees and does what.

/// Where a complaint is handled, and against whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintPlace<'a> {
    /// The street (or, for an organization above street level, its own node).
    pub handling_path: &'a str,
    /// The organization of the street's standing regional hub, if any.
    pub street_hub: Option<Uuid>,
    /// The organization complained about.
    pub organization_id: Uuid,
}

fn official_over(a: &Actor, p: &ComplaintPlace<'_>) -> bool {
    a.role == Role::Official
        && a.jurisdiction_path
            .as_deref()
            .is_some_and(|scope| path_within(p.handling_path, scope))
}

/// The street hub's dispatcher — unless the hub is the organization complained about.
fn street_dispatcher(a: &Actor, p: &ComplaintPlace<'_>) -> bool {
    a.role == Role::HubStaff
        && a.organization_id.is_some()
        && a.organization_id == p.street_hub
        && p.street_hub != Some(p.organization_id)
}

/// Who decides the outcome: officials over the street, and administrators.
pub fn may_decide(actor: Option<&Actor>, p: &ComplaintPlace<'_>) -> bool {
    actor.is_some_and(|a| a.role == Role::Admin || official_over(a, p))
}

/// The organization complained about: its members, or its hub staff.
pub fn is_respondent(actor: Option<&Actor>, p: &ComplaintPlace<'_>) -> bool {
    actor.is_some_and(|a| {
        matches!(a.role, Role::OrgMember | Role::HubStaff)
            && a.organization_id == Some(p.organization_id)
    })
}

/// Who may read the complaint (without the phone for some): the deciders, the
/// street's dispatcher and the organization complained about.
pub fn may_read(actor: Option<&Actor>, p: &ComplaintPlace<'_>) -> bool {
    may_decide(actor, p)
        || is_respondent(actor, p)
        || actor.is_some_and(|a| street_dispatcher(a, p))
}

/// Who sees the complainant's phone in full: the street official and the street hub's
/// dispatcher. Never the public, never the organization complained about (it answers
/// in writing, through the platform), never another organization.
pub fn sees_phone(actor: Option<&Actor>, p: &ComplaintPlace<'_>) -> bool {
    actor.is_some_and(|a| official_over(a, p) || street_dispatcher(a, p))
}

// ---------------------------------------------------------------------------
// What the public reads, and what credibility counts.

/// An organization's complaint record: counts only, never a complainant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintFacts {
    pub total: u32,
    /// First responses given within the limit.
    pub answered_in_time: u32,
    /// First responses late, and complaints unanswered past the limit.
    pub overdue: u32,
    pub escalated: u32,
    pub upheld: u32,
    pub partly_upheld: u32,
    pub not_upheld: u32,
    /// Still waiting for an outcome.
    pub open: u32,
}

impl ComplaintFacts {
    /// Complaints with an outcome.
    pub fn decided(&self) -> u32 {
        self.upheld + self.partly_upheld + self.not_upheld
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_paths::{MEIYUAN, SUOJIN, XUANWU};
    use chrono::{Datelike, Weekday};
    use proptest::prelude::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn due_is_the_end_of_the_third_working_day() {
        let s = ComplaintSettings::default();
        // Friday 27 Nov 2026, 10:00 in Shanghai: Mon, Tue, Wed → due when Thursday begins.
        let filed = t("2026-11-27T02:00:00Z");
        assert_eq!(due_at(filed, &s), t("2026-12-02T16:00:00Z"));
        // Late on Monday evening Shanghai time (still Monday there, 15:30 UTC).
        let filed = t("2026-11-30T15:30:00Z");
        assert_eq!(due_at(filed, &s), t("2026-12-03T16:00:00Z"));
        // 23:30 Monday UTC is Tuesday in Shanghai.
        let filed = t("2026-11-30T23:30:00Z");
        assert_eq!(due_at(filed, &s), t("2026-12-04T16:00:00Z"));
        let one = ComplaintSettings {
            response_working_days: 1,
        };
        assert_eq!(
            due_at(t("2026-11-27T02:00:00Z"), &one),
            t("2026-11-30T16:00:00Z")
        );
    }

    #[test]
    fn overdue_only_while_unanswered() {
        let due = t("2026-12-02T16:00:00Z");
        let before = due - Duration::seconds(1);
        assert!(!is_overdue(ComplaintState::Submitted, due, before));
        assert!(is_overdue(ComplaintState::Submitted, due, due));
        for s in [
            ComplaintState::Answered,
            ComplaintState::Resolved,
            ComplaintState::Closed,
        ] {
            assert!(!is_overdue(s, due, due + Duration::days(9)));
        }
        assert!(should_escalate(ComplaintState::Submitted, false, due, due));
        assert!(!should_escalate(ComplaintState::Submitted, true, due, due));
        assert!(answered_in_time(due, before));
        assert!(!answered_in_time(due, due));
    }

    #[test]
    fn the_state_machine() {
        use ComplaintAction::*;
        use ComplaintState::*;
        assert!(can(Submitted, Answer) && !can(Answered, Answer));
        assert!(can(Submitted, Resolve) && can(Answered, Resolve) && can(Answered, Close));
        assert!(!can(Resolved, Resolve) && !can(Closed, Answer) && !can(Resolved, Close));
        for a in ComplaintAction::ALL {
            assert!(crate::audit::kinds::kind(a.audit_kind()).is_some(), "{a}");
        }
        assert!(crate::audit::kinds::kind("complaint.submit").is_some());
        assert!(crate::audit::kinds::kind("complaint.escalate").is_some());
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = ComplaintDraft::default().validate(None).unwrap_err();
        for f in COMPLAINT_FIELDS {
            assert!(e.get(f).is_some(), "{f}");
        }
        let e = ComplaintDraft {
            category: Some("noise".into()),
            description: Some("短".into()),
            phone: Some("123".into()),
        }
        .validate(None)
        .unwrap_err();
        for f in COMPLAINT_FIELDS {
            assert!(e.get(f).is_some(), "{f}");
        }
    }

    #[test]
    fn a_verified_phone_needs_no_typing() {
        let p = Phone::parse("13912345678").unwrap();
        let d = ComplaintDraft {
            category: Some("attitude".into()),
            description: Some("上门服务人员态度恶劣".into()),
            phone: Some("not a phone".into()),
        };
        let ok = d.validate(Some(&p)).unwrap();
        assert_eq!(ok.phone, p);
        assert_eq!(ok.phone_source, PhoneSource::Verified);
        let given = ComplaintDraft {
            phone: Some("13800138000".into()),
            ..d
        }
        .validate(None)
        .unwrap();
        assert_eq!(given.phone_source, PhoneSource::Given);
    }

    #[test]
    fn decisions_and_responses_validate() {
        let d = DecisionDraft {
            outcome: Some("partly_upheld".into()),
            outcome_text: Some("已责成组织整改并向居民致歉".into()),
        };
        assert_eq!(
            d.validate().unwrap().outcome,
            ComplaintOutcome::PartlyUpheld
        );
        let e = DecisionDraft::default().validate().unwrap_err();
        for f in DECISION_FIELDS {
            assert!(e.get(f).is_some(), "{f}");
        }
        let r = ResponseDraft {
            response: Some("已联系居民，明日重新上门".into()),
        };
        assert!(r.validate(ComplaintState::Submitted).is_ok());
        assert!(r.validate(ComplaintState::Answered).is_err());
    }

    #[test]
    fn handling_is_at_the_street() {
        assert_eq!(handling_path(&format!("{MEIYUAN}320102002001/")), MEIYUAN);
        assert_eq!(handling_path(MEIYUAN), MEIYUAN);
        assert_eq!(handling_path(XUANWU), XUANWU);
    }

    #[test]
    fn the_phone_is_for_the_street_official_and_dispatcher_only() {
        let hub = Uuid::now_v7();
        let org = Uuid::now_v7();
        let other = Uuid::now_v7();
        let actor = |role, org_id: Option<Uuid>, path: Option<&str>| Actor {
            user_id: Uuid::now_v7(),
            username: "u".into(),
            role,
            jurisdiction_path: path.map(str::to_string),
            organization_id: org_id,
        };
        let p = ComplaintPlace {
            handling_path: MEIYUAN,
            street_hub: Some(hub),
            organization_id: org,
        };
        let official = actor(Role::Official, None, Some(XUANWU));
        let dispatcher = actor(Role::HubStaff, Some(hub), None);
        let respondent = actor(Role::OrgMember, Some(org), None);
        assert!(sees_phone(Some(&official), &p) && may_decide(Some(&official), &p));
        assert!(sees_phone(Some(&dispatcher), &p) && !may_decide(Some(&dispatcher), &p));
        assert!(may_read(Some(&respondent), &p) && !sees_phone(Some(&respondent), &p));
        assert!(is_respondent(Some(&respondent), &p));
        for a in [
            actor(Role::Official, None, Some(SUOJIN)),
            actor(Role::OrgMember, Some(other), None),
            actor(Role::Expert, None, None),
            actor(Role::Admin, None, None),
        ] {
            assert!(!sees_phone(Some(&a), &p), "{:?}", a.role);
        }
        assert!(!sees_phone(None, &p) && !may_read(None, &p));
        // A complaint against the hub itself: its staff answer it, see no phone.
        let against_hub = ComplaintPlace {
            organization_id: hub,
            ..p
        };
        assert!(!sees_phone(Some(&dispatcher), &against_hub));
        assert!(is_respondent(Some(&dispatcher), &against_hub));
    }

    proptest! {
        #[test]
        fn due_falls_on_a_working_day_after_filing(secs in 0i64..(3 * 365 * 86_400), n in 1u32..10) {
            let filed = t("2026-01-01T00:00:00Z") + Duration::seconds(secs);
            let s = ComplaintSettings { response_working_days: n };
            let due = due_at(filed, &s);
            prop_assert!(due > filed + Duration::days(i64::from(n)));
            let last = (due - Duration::seconds(1)).with_timezone(&shanghai());
            prop_assert!(!matches!(last.weekday(), Weekday::Sat | Weekday::Sun));
            prop_assert!(due <= filed + Duration::days(i64::from(n) * 2 + 4));
        }

        #[test]
        fn no_action_repeats(i in 0usize..3, j in 0usize..4) {
            let a = ComplaintAction::ALL[i];
            let s = ComplaintState::ALL[j];
            if can(s, a) {
                prop_assert!(!can(a.to(), a));
                prop_assert!(!a.to().is_open() || a == ComplaintAction::Answer);
            }
        }

        #[test]
        fn overdue_is_monotonic(a in 0i64..1_000_000, b in 0i64..1_000_000) {
            let due = t("2026-12-02T16:00:00Z");
            let (x, y) = (due - Duration::seconds(500_000) + Duration::seconds(a.min(b)),
                          due - Duration::seconds(500_000) + Duration::seconds(a.max(b)));
            if is_overdue(ComplaintState::Submitted, due, x) {
                prop_assert!(is_overdue(ComplaintState::Submitted, due, y));
            }
        }
    }
}
