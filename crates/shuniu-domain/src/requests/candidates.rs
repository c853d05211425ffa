//! The organizations a request may be assigned to, ranked by fit with the reasons in
//! words.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::registry::{Grade, labelled_enum};
use crate::supervision::standing::{Activity, StandingFacts, check};
use crate::{FieldError, Lang};

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

/// The assignee is not a candidate (does not offer the category in the district, or
/// does not stand).
pub fn not_a_candidate() -> FieldError {
    FieldError::new(
        "该组织不是本求助的候选组织",
        "is not a candidate for this request",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::OrgStatus;
    use crate::test_paths::MEIYUAN;
    use proptest::prelude::*;

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

    proptest! {
        #[test]
        fn score_never_rewards_load(k in 0u32..20) {
            let mut a = facts("甲", 2);
            let base = score(&a);
            a.open_requests = k;
            prop_assert!(score(&a) <= base);
        }
    }
}
