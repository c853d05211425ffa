//! Resident requests 居民求助/需求 (issue 12, item 6): a resident, without an account,
//! submits a need; the street hub's dispatcher assigns it to an organization ranked by
//! fit; the organization accepts or declines, completes; the resident confirms and
//! rates it through a private link. The resident's phone is personal data: shown in
//! full only to the dispatcher and the assigned organization, masked everywhere else.
//!
//! Pure: the caller passes the time, the random bytes of a token and the facts of the
//! candidates.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::access::{Actor, Role};
use crate::codes::Phone;
use crate::jurisdiction::{JurisdictionCode, bad_code_error, path_within};
use crate::registry::{Grade, ServiceDomain, given, labelled_enum, parse_choice, parse_note};
use crate::supervision::standing::{Activity, StandingFacts, check};
use crate::{FieldError, FieldErrors, Lang};

labelled_enum!(
    /// Where a request stands.
    RequestState {
        Submitted = "submitted", "待派单", "Waiting for dispatch";
        Assigned = "assigned", "已派单", "Assigned";
        Accepted = "accepted", "已接单", "Accepted";
        Declined = "declined", "被婉拒，待重新派单", "Declined, to be reassigned";
        Completed = "completed", "已完成，待确认", "Completed, to be confirmed";
        Confirmed = "confirmed", "已确认并评价", "Confirmed and rated";
        Cancelled = "cancelled", "已取消", "Cancelled";
        Closed = "closed", "已关闭", "Closed";
    }
);

labelled_enum!(
    /// What happens to a request, and by whom.
    Transition {
        Assign = "assign", "派单", "Assigned";
        Accept = "accept", "接单", "Accepted";
        Decline = "decline", "婉拒", "Declined";
        Complete = "complete", "完成服务", "Completed";
        Confirm = "confirm", "居民确认并评价", "Confirmed and rated by the resident";
        Cancel = "cancel", "取消", "Cancelled";
        Close = "close", "关闭", "Closed";
    }
);

impl Transition {
    /// The states it may start from.
    pub fn from(self) -> &'static [RequestState] {
        use RequestState::*;
        match self {
            Transition::Assign => &[Submitted, Declined],
            Transition::Accept | Transition::Decline => &[Assigned],
            Transition::Complete => &[Accepted],
            Transition::Confirm => &[Completed],
            Transition::Cancel => &[Submitted, Declined, Assigned],
            Transition::Close => &[Accepted, Completed],
        }
    }
    /// The state it leads to.
    pub fn to(self) -> RequestState {
        use RequestState::*;
        match self {
            Transition::Assign => Assigned,
            Transition::Accept => Accepted,
            Transition::Decline => Declined,
            Transition::Complete => Completed,
            Transition::Confirm => Confirmed,
            Transition::Cancel => Cancelled,
            Transition::Close => Closed,
        }
    }
    /// Its audit event kind (`request.assign` …).
    pub fn audit_kind(self) -> &'static str {
        match self {
            Transition::Assign => "request.assign",
            Transition::Accept => "request.accept",
            Transition::Decline => "request.decline",
            Transition::Complete => "request.complete",
            Transition::Confirm => "request.confirm",
            Transition::Cancel => "request.cancel",
            Transition::Close => "request.close",
        }
    }
    /// Whether a reason must be given (declining, cancelling, closing).
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Transition::Decline | Transition::Cancel | Transition::Close
        )
    }
}

/// Whether `t` may happen to a request in `state`.
pub fn can(state: RequestState, t: Transition) -> bool {
    t.from().contains(&state)
}

impl RequestState {
    /// Open: someone still has to act.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            RequestState::Confirmed | RequestState::Cancelled | RequestState::Closed
        )
    }
    /// The states the dispatcher acts on.
    pub fn waits_for_dispatcher(self) -> bool {
        matches!(self, RequestState::Submitted | RequestState::Declined)
    }
}

/// A validated request as the resident submitted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestData {
    pub category: ServiceDomain,
    pub community: JurisdictionCode,
    pub description: String,
    pub phone: Phone,
}

/// What a resident typed, every field as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDraft {
    pub category: Option<String>,
    pub community: Option<String>,
    pub description: Option<String>,
    pub phone: Option<String>,
}

/// The draft's field names, in form order.
pub const REQUEST_FIELDS: [&str; 4] = ["category", "community", "description", "phone"];

/// A description's bounds, in characters.
pub const DESCRIPTION_MIN: usize = 5;
pub const DESCRIPTION_MAX: usize = 1000;

/// The error for a code that is not a community (a 12-digit node below a street).
pub fn not_a_community() -> FieldError {
    FieldError::new("请选择一个社区", "must be a community")
}

fn all_codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| code(*x)).collect()
}

impl RequestDraft {
    /// Checks every field, collecting all problems. Whether the community exists (and
    /// is a community node) is the store's question; the code's form is checked here.
    pub fn validate(&self) -> Result<RequestData, FieldErrors> {
        let mut e = FieldErrors::new();
        let category = if given(&self.category).is_none() {
            e.add("category", FieldError::required());
            None
        } else {
            parse_choice(
                &mut e,
                "category",
                &self.category,
                ServiceDomain::parse,
                &all_codes(ServiceDomain::ALL, ServiceDomain::as_str),
            )
        };
        let community = match given(&self.community) {
            None => {
                e.add("community", FieldError::required());
                None
            }
            Some(s) => match JurisdictionCode::parse(s) {
                // Streets and communities carry 12 digits; the store checks the level.
                Ok(c) if c.as_str().len() == 12 => Some(c),
                Ok(_) => {
                    e.add("community", not_a_community());
                    None
                }
                Err(_) => {
                    e.add("community", bad_code_error());
                    None
                }
            },
        };
        let description = parse_note(
            &mut e,
            "description",
            &self.description,
            DESCRIPTION_MAX,
            true,
        );
        if e.get("description").is_none() && description.chars().count() < DESCRIPTION_MIN {
            e.add(
                "description",
                FieldError::new(
                    format!("请至少写{DESCRIPTION_MIN}个字"),
                    format!("must be at least {DESCRIPTION_MIN} characters"),
                ),
            );
        }
        let phone = match given(&self.phone) {
            None => {
                e.add("phone", FieldError::required());
                None
            }
            Some(s) => Phone::parse(s).ok().or_else(|| {
                e.add(
                    "phone",
                    FieldError::new("电话号码格式不对", "is not a valid phone number"),
                );
                None
            }),
        };
        match (category, community, phone) {
            (Some(category), Some(community), Some(phone)) if e.is_empty() => Ok(RequestData {
                category,
                community,
                description,
                phone,
            }),
            _ => Err(e),
        }
    }
}

/// The phone as someone who may not see it reads it (`138****8000`).
pub fn masked_phone(p: &Phone) -> String {
    p.masked()
}

// ---------------------------------------------------------------------------
// Request numbers: `QZ-320102-2026-000123`, per district per year.

/// The human number of the `seq`-th request of `year` in district `district_code`.
pub fn request_number(district_code: &str, year: i32, seq: i64) -> String {
    format!("QZ-{district_code}-{year}-{seq:06}")
}

/// Reads a request number back into (district, year, seq), or `None`.
pub fn parse_request_number(s: &str) -> Option<(String, i32, i64)> {
    let mut it = s.trim().split('-');
    let (qz, d, y, n) = (it.next()?, it.next()?, it.next()?, it.next()?);
    if qz != "QZ" || it.next().is_some() {
        return None;
    }
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
    if d.len() != 6 || !digits(d) || y.len() != 4 || !digits(y) || n.len() < 6 || !digits(n) {
        return None;
    }
    Some((d.to_string(), y.parse().ok()?, n.parse().ok()?))
}

// ---------------------------------------------------------------------------
// The private link's token: 32 random bytes the caller draws, shown once; only its
// SHA-256 is stored.

/// The token as it appears in the link: 64 lowercase hex characters.
pub fn token_text(bytes: &[u8; 32]) -> String {
    hex::encode(bytes)
}

/// Whether `s` has the form of a token (so a malformed one is not even looked up).
pub fn is_token(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|c| c.is_ascii_hexdigit())
}

/// The stored hash of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().to_ascii_lowercase().as_bytes()))
}

/// Whether `token` hashes to `stored`, compared in constant time.
pub fn token_matches(stored: &str, token: &str) -> bool {
    let h = token_hash(token);
    let (a, b) = (stored.as_bytes(), h.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

// ---------------------------------------------------------------------------
// Ratings: 1–5 with an optional comment, only for a completed request.

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    pub stars: u8,
    pub comment: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingDraft {
    pub rating: Option<String>,
    pub comment: Option<String>,
}

pub const RATING_FIELDS: [&str; 2] = ["rating", "comment"];

pub fn not_completed() -> FieldError {
    FieldError::new(
        "服务完成后才能确认和评价",
        "can be given only once the service is completed",
    )
}

impl RatingDraft {
    /// The rating, if `state` allows one (completed, not yet rated).
    pub fn validate(&self, state: RequestState) -> Result<Rating, FieldErrors> {
        let mut e = FieldErrors::new();
        if state != RequestState::Completed {
            e.add("rating", not_completed());
        }
        let stars = match given(&self.rating).map(str::parse::<u8>) {
            None => {
                if e.is_empty() {
                    e.add("rating", FieldError::required());
                }
                0
            }
            Some(Ok(n)) if (1..=5).contains(&n) => n,
            Some(_) => {
                if e.is_empty() {
                    e.add(
                        "rating",
                        FieldError::new("应为1到5之间的整数", "must be a whole number from 1 to 5"),
                    );
                }
                0
            }
        };
        let comment = parse_note(&mut e, "comment", &self.comment, 500, false);
        if e.is_empty() {
            Ok(Rating { stars, comment })
        } else {
            Err(e)
        }
    }
}

/// A reason given with a decline, cancellation or closing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonDraft {
    pub reason: Option<String>,
}

impl ReasonDraft {
    pub fn validate(&self, required: bool) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        let r = parse_note(&mut e, "reason", &self.reason, 500, required);
        if e.is_empty() { Ok(r) } else { Err(e) }
    }
}

// ---------------------------------------------------------------------------
// Time limits (settings) and "overdue".

/// Hours allowed in each waiting state: to assign (from submission or a decline), to
/// accept (from assignment), to complete (from acceptance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimits {
    pub assign_hours: u32,
    pub accept_hours: u32,
    pub complete_hours: u32,
}

impl Default for TimeLimits {
    fn default() -> Self {
        TimeLimits {
            assign_hours: 24,
            accept_hours: 24,
            complete_hours: 72,
        }
    }
}

impl TimeLimits {
    /// By when whoever holds a request in `state` (entered at `since`) must act;
    /// `None` when no one waits (completed: the resident is never late).
    pub fn due(&self, state: RequestState, since: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let h = match state {
            RequestState::Submitted | RequestState::Declined => self.assign_hours,
            RequestState::Assigned => self.accept_hours,
            RequestState::Accepted => self.complete_hours,
            _ => return None,
        };
        Some(since + Duration::hours(i64::from(h)))
    }
    /// Whether a request in `state` since `since` is overdue at `now`.
    pub fn overdue(&self, state: RequestState, since: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        self.due(state, since).is_some_and(|d| now > d)
    }
}

// ---------------------------------------------------------------------------
// Who sees and does what.

/// Where a request is: its community's path and its street's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPlace<'a> {
    pub community_path: &'a str,
    pub street_path: &'a str,
    /// The organization of the street's standing regional hub, if any.
    pub street_hub: Option<Uuid>,
    /// The organization assigned now, if any.
    pub assigned: Option<Uuid>,
}

/// The dispatcher: the staff of the street's regional hub, officials over the street,
/// administrators.
pub fn may_dispatch(actor: Option<&Actor>, p: &RequestPlace<'_>) -> bool {
    let Some(a) = actor else { return false };
    match a.role {
        Role::Admin => true,
        Role::Official => a
            .jurisdiction_path
            .as_deref()
            .is_some_and(|scope| path_within(p.street_path, scope)),
        Role::HubStaff => a.organization_id.is_some() && a.organization_id == p.street_hub,
        _ => false,
    }
}

/// The assigned organization's own people (members or its hub staff).
pub fn is_assignee(actor: Option<&Actor>, p: &RequestPlace<'_>) -> bool {
    let Some(a) = actor else { return false };
    matches!(a.role, Role::OrgMember | Role::HubStaff)
        && a.organization_id.is_some()
        && a.organization_id == p.assigned
}

/// Who may see the resident's phone in full: the dispatcher and the assigned
/// organization, nobody else (not another organization, not the public).
pub fn sees_phone(actor: Option<&Actor>, p: &RequestPlace<'_>) -> bool {
    may_dispatch(actor, p) || is_assignee(actor, p)
}

// ---------------------------------------------------------------------------
// Candidates ranked by fit.

labelled_enum!(
    /// Why a candidate fits.
    Reason {
        OffersCategory = "offers_category", "提供该类别服务", "Offers services in this category";
        SameCommunity = "same_community", "在本社区提供服务或登记", "Serves or is registered in this community";
        SameStreet = "same_street", "在本街道", "In this street";
        SameDistrict = "same_district", "在本区", "In this district";
        HasCapacity = "has_capacity", "有服务名额", "Has places free";
        Busy = "busy", "手头待办求助较多", "Already has many open requests";
        GoodGrade = "good_grade", "评估等级3A及以上", "Assessment grade 3A or higher";
        AbnormalList = "abnormal_list", "被列入活动异常名录", "On the abnormal activity list";
        Rated = "rated", "居民评价良好", "Well rated by residents";
        HighCredibility = "high_credibility", "可信度高（80 分及以上）", "High credibility (80 or more)";
        FairCredibility = "fair_credibility", "可信度一般（60 至 79 分）", "Fair credibility (60 to 79)";
        LowCredibility = "low_credibility", "可信度较低（低于 60 分）", "Low credibility (under 60)";
    }
);

/// What the ranking knows of an organization (one row of the store's query).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateFacts {
    pub organization_id: Uuid,
    pub name: String,
    /// The organization's own jurisdiction path.
    pub path: String,
    /// Services offered in the request's category (active).
    pub services: u32,
    /// The nearest of its services' places and its own node: 3 same community, 2 same
    /// street, 1 same district.
    pub proximity: u8,
    /// Places declared on its active services in the category (0: none declared).
    pub capacity: u32,
    /// Its open requests (assigned or accepted).
    pub open_requests: u32,
    pub grade: Option<Grade>,
    pub on_abnormal_list: bool,
    /// Average rating ×10 (e.g. 45 for 4.5), if rated.
    pub rating_x10: Option<u32>,
    /// The stored credibility score (0–100), which weighs the grade, the lists, the
    /// ratings and the rest; `None` if it was never computed.
    pub credibility: Option<u8>,
}

/// The weights of the fit score; the store's SQL uses the same numbers.
pub mod weights {
    pub const PER_PROXIMITY: i64 = 30;
    pub const CAPACITY: i64 = 20;
    pub const PER_OPEN_REQUEST: i64 = 5;
    pub const MAX_LOAD_PENALTY: i64 = 40;
    /// Points for a credibility score of 100 (in proportion below; none when unknown).
    /// The score already weighs the grade, the credit lists and the ratings, so they
    /// are not counted again.
    pub const CREDIBILITY: i64 = 40;
    /// Open requests from which an organization counts as busy.
    pub const BUSY_FROM: u32 = 3;
    /// Average rating (×10) from which it counts as well rated.
    pub const GOOD_RATING_FROM: u32 = 40;
}

/// A ranked candidate: the facts, the score and the reasons in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub facts: CandidateFacts,
    pub score: i64,
    pub reasons: Vec<Reason>,
}

/// The fit score of a candidate (higher fits better).
pub fn score(f: &CandidateFacts) -> i64 {
    use weights::*;
    let mut s = i64::from(f.proximity) * PER_PROXIMITY;
    if f.capacity > 0 {
        s += CAPACITY;
    }
    s -= (i64::from(f.open_requests) * PER_OPEN_REQUEST).min(MAX_LOAD_PENALTY);
    s + i64::from(f.credibility.unwrap_or(0)) * CREDIBILITY / 100
}

/// The reasons shown beside a candidate, best first.
pub fn reasons(f: &CandidateFacts) -> Vec<Reason> {
    let mut r = Vec::new();
    if f.services > 0 {
        r.push(Reason::OffersCategory);
    }
    r.push(match f.proximity {
        3.. => Reason::SameCommunity,
        2 => Reason::SameStreet,
        _ => Reason::SameDistrict,
    });
    if f.capacity > 0 {
        r.push(Reason::HasCapacity);
    }
    if let Some(c) = f.credibility {
        r.push(match crate::credibility::Band::of(c) {
            crate::credibility::Band::High => Reason::HighCredibility,
            crate::credibility::Band::Fair => Reason::FairCredibility,
            crate::credibility::Band::Low => Reason::LowCredibility,
        });
    }
    if f.grade.is_some_and(|g| g >= Grade::A3) {
        r.push(Reason::GoodGrade);
    }
    if f.rating_x10.is_some_and(|x| x >= weights::GOOD_RATING_FROM) {
        r.push(Reason::Rated);
    }
    if f.open_requests >= weights::BUSY_FROM {
        r.push(Reason::Busy);
    }
    if f.on_abnormal_list {
        r.push(Reason::AbnormalList);
    }
    r
}

/// Whether an organization may be a candidate at all: the shared standing rule for
/// offering services (suspended, deregistered and seriously listed never are).
pub fn may_be_candidate(f: &StandingFacts) -> bool {
    check(f, Activity::OfferServices).is_ok()
}

/// Ranks candidates: by score, then name, then id (stable for paging).
pub fn rank(facts: Vec<CandidateFacts>) -> Vec<Candidate> {
    let mut c: Vec<Candidate> = facts
        .into_iter()
        .map(|f| Candidate {
            score: score(&f),
            reasons: reasons(&f),
            facts: f,
        })
        .collect();
    c.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.facts.name.cmp(&b.facts.name))
            .then_with(|| a.facts.organization_id.cmp(&b.facts.organization_id))
    });
    c
}

/// Words of the history line of a transition, for the resident's page.
pub fn history_words(t: Transition, lang: Lang) -> &'static str {
    t.label(lang)
}

/// The assignee is not a candidate (does not offer the category in the district, or
/// does not stand).
pub fn not_a_candidate() -> FieldError {
    FieldError::new(
        "该组织不是本求助的候选组织",
        "is not a candidate for this request",
    )
}

/// The error of a transition the state does not allow (a second click, a race).
pub fn wrong_state(state: RequestState) -> (String, String) {
    (
        format!("求助当前状态为“{}”，不能进行此操作", state.label(Lang::Zh)),
        format!(
            "the request is {} now; this cannot be done",
            state.label(Lang::En).to_lowercase()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::OrgStatus;
    use crate::test_paths::{MEIYUAN, SUOJIN, XUANWU};
    use proptest::prelude::*;

    fn draft() -> RequestDraft {
        RequestDraft {
            category: Some("elderly".into()),
            community: Some("320102002001".into()),
            description: Some("家中老人行动不便，需要助餐上门".into()),
            phone: Some("+86 138 0013 8000".into()),
        }
    }

    #[test]
    fn a_full_draft_validates_and_the_phone_masks() {
        let d = draft().validate().unwrap();
        assert_eq!(d.category, ServiceDomain::Elderly);
        assert_eq!(d.phone.as_str(), "13800138000");
        assert_eq!(masked_phone(&d.phone), "138****8000");
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = RequestDraft::default().validate().unwrap_err();
        for f in REQUEST_FIELDS {
            assert!(e.get(f).is_some(), "{f}");
        }
        let e = RequestDraft {
            category: Some("cooking".into()),
            community: Some("320102".into()),
            description: Some("短".into()),
            phone: Some("12345".into()),
        }
        .validate()
        .unwrap_err();
        for f in REQUEST_FIELDS {
            assert!(e.get(f).is_some(), "{f}");
        }
        let mut d = draft();
        d.description = Some("字".repeat(DESCRIPTION_MAX + 1));
        assert!(d.validate().unwrap_err().get("description").is_some());
    }

    #[test]
    fn the_state_machine() {
        use RequestState::*;
        use Transition::*;
        assert!(can(Submitted, Assign) && can(Declined, Assign));
        assert!(!can(Assigned, Assign), "no double assignment");
        assert!(can(Assigned, Accept) && can(Assigned, Decline));
        assert!(!can(Submitted, Accept));
        assert!(can(Accepted, Complete) && !can(Assigned, Complete));
        assert!(can(Completed, Confirm));
        for s in [
            Submitted, Assigned, Accepted, Declined, Confirmed, Cancelled, Closed,
        ] {
            assert!(!can(s, Confirm), "{s} cannot be rated");
        }
        assert!(can(Submitted, Cancel) && !can(Accepted, Cancel));
        assert!(can(Accepted, Close) && can(Completed, Close) && !can(Confirmed, Close));
        for t in Transition::ALL {
            assert!(t.audit_kind().starts_with("request."));
            assert!(crate::audit::kinds::kind(t.audit_kind()).is_some());
        }
    }

    #[test]
    fn request_numbers_round_trip() {
        let n = request_number("320102", 2026, 123);
        assert_eq!(n, "QZ-320102-2026-000123");
        assert_eq!(parse_request_number(&n), Some(("320102".into(), 2026, 123)));
        assert_eq!(parse_request_number("QZ-320102-2026-12"), None);
        assert_eq!(parse_request_number("XX-320102-2026-000123"), None);
    }

    #[test]
    fn tokens_store_only_their_hash() {
        let t = token_text(&[7u8; 32]);
        assert!(is_token(&t));
        let h = token_hash(&t);
        assert_ne!(h, t);
        assert!(token_matches(&h, &t));
        assert!(!token_matches(&h, &token_text(&[8u8; 32])));
        assert!(!is_token("abc"));
    }

    #[test]
    fn a_rating_needs_a_completed_request() {
        let r = RatingDraft {
            rating: Some("5".into()),
            comment: Some("很及时".into()),
        };
        assert_eq!(r.validate(RequestState::Completed).unwrap().stars, 5);
        for s in [
            RequestState::Submitted,
            RequestState::Accepted,
            RequestState::Confirmed,
        ] {
            assert!(r.validate(s).unwrap_err().get("rating").is_some());
        }
        let bad = RatingDraft {
            rating: Some("6".into()),
            comment: None,
        };
        assert!(bad.validate(RequestState::Completed).is_err());
    }

    #[test]
    fn overdue_follows_the_limits() {
        let l = TimeLimits::default();
        let t0 = DateTime::parse_from_rfc3339("2026-11-30T02:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert!(!l.overdue(RequestState::Submitted, t0, t0 + Duration::hours(24)));
        assert!(l.overdue(RequestState::Submitted, t0, t0 + Duration::hours(25)));
        assert!(!l.overdue(RequestState::Accepted, t0, t0 + Duration::hours(70)));
        assert!(!l.overdue(RequestState::Completed, t0, t0 + Duration::days(300)));
    }

    fn facts(name: &str, proximity: u8) -> CandidateFacts {
        CandidateFacts {
            organization_id: Uuid::now_v7(),
            name: name.into(),
            path: MEIYUAN.into(),
            services: 1,
            proximity,
            capacity: 0,
            open_requests: 0,
            grade: None,
            on_abnormal_list: false,
            rating_x10: None,
            credibility: None,
        }
    }

    #[test]
    fn nearer_fits_better_and_reasons_say_why() {
        let mut near = facts("乙", 3);
        near.capacity = 10;
        near.grade = Some(Grade::A4);
        let far = facts("甲", 1);
        let ranked = rank(vec![far.clone(), near.clone()]);
        assert_eq!(ranked[0].facts.name, "乙");
        assert!(ranked[0].reasons.contains(&Reason::SameCommunity));
        assert!(ranked[0].reasons.contains(&Reason::HasCapacity));
        assert!(ranked[0].reasons.contains(&Reason::GoodGrade));
        assert!(ranked[1].reasons.contains(&Reason::SameDistrict));
        // The stored credibility weighs in, and is shown in words.
        let mut trusted = facts("戊", 1);
        trusted.credibility = Some(90);
        let mut doubted = facts("己", 1);
        doubted.credibility = Some(30);
        assert!(score(&trusted) > score(&doubted));
        assert!(reasons(&trusted).contains(&Reason::HighCredibility));
        assert!(reasons(&doubted).contains(&Reason::LowCredibility));
        let mut busy = facts("丙", 3);
        busy.open_requests = 5;
        assert!(reasons(&busy).contains(&Reason::Busy));
        assert!(score(&busy) < score(&facts("丁", 3)));
    }

    #[test]
    fn suspended_and_serious_are_never_candidates() {
        let f = |status, serious| StandingFacts {
            status,
            on_abnormal_list: false,
            on_serious_list: serious,
        };
        assert!(may_be_candidate(&f(OrgStatus::Active, false)));
        assert!(!may_be_candidate(&f(OrgStatus::Suspended, false)));
        assert!(!may_be_candidate(&f(OrgStatus::Active, true)));
    }

    #[test]
    fn the_phone_is_for_the_dispatcher_and_the_assignee() {
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
        let p = RequestPlace {
            community_path: &format!("{MEIYUAN}320102002001/"),
            street_path: MEIYUAN,
            street_hub: Some(hub),
            assigned: Some(org),
        };
        assert!(sees_phone(
            Some(&actor(Role::HubStaff, Some(hub), None)),
            &p
        ));
        assert!(sees_phone(
            Some(&actor(Role::OrgMember, Some(org), None)),
            &p
        ));
        assert!(sees_phone(
            Some(&actor(Role::Official, None, Some(XUANWU))),
            &p
        ));
        assert!(!sees_phone(
            Some(&actor(Role::Official, None, Some(SUOJIN))),
            &p
        ));
        assert!(!sees_phone(
            Some(&actor(Role::OrgMember, Some(other), None)),
            &p
        ));
        assert!(!sees_phone(Some(&actor(Role::Expert, None, None)), &p));
        assert!(!sees_phone(None, &p));
        assert!(!may_dispatch(
            Some(&actor(Role::OrgMember, Some(org), None)),
            &p
        ));
    }

    proptest! {
        #[test]
        fn every_transition_leads_somewhere_it_could_not_repeat(i in 0usize..7, j in 0usize..8) {
            let t = Transition::ALL[i];
            let s = RequestState::ALL[j];
            if can(s, t) {
                // Landing in the target, the same transition is refused (double click).
                prop_assert!(!can(t.to(), t));
            }
        }

        #[test]
        fn ratings_outside_one_to_five_are_refused(n in -100i32..100) {
            let r = RatingDraft { rating: Some(n.to_string()), comment: None };
            prop_assert_eq!(r.validate(RequestState::Completed).is_ok(), (1..=5).contains(&n));
        }

        #[test]
        fn numbers_parse_back(d in 110000u32..660000, y in 2000i32..2100, n in 1i64..9_999_999) {
            let s = request_number(&d.to_string(), y, n);
            prop_assert_eq!(parse_request_number(&s), Some((d.to_string(), y, n)));
        }

        #[test]
        fn masked_phones_hide_the_middle(mid in 0u32..100_000_000) {
            let p = Phone::parse(&format!("139{mid:08}")).unwrap();
            let m = masked_phone(&p);
            prop_assert!(m.contains("****"));
            prop_assert_ne!(m, p.as_str().to_string());
        }

        #[test]
        fn score_never_rewards_load(k in 0u32..20) {
            let mut a = facts("甲", 2);
            let base = score(&a);
            a.open_requests = k;
            prop_assert!(score(&a) <= base);
        }
    }
}
