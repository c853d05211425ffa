//! What a resident sends: the request itself, its human number, the private link's
//! token, the rating and the reasons given with a transition.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::RequestState;
use crate::codes::Phone;
use crate::jurisdiction::{JurisdictionCode, bad_code_error};
use crate::registry::{ServiceDomain, codes, given, parse_note, parse_phone, required_choice};
use crate::{FieldError, FieldErrors};

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

impl RequestDraft {
    /// Checks every field, collecting all problems. Whether the community exists (and
    /// is a community node) is the store's question; the code's form is checked here.
    pub fn validate(&self) -> Result<RequestData, FieldErrors> {
        let mut e = FieldErrors::new();
        let category = required_choice(
            &mut e,
            "category",
            &self.category,
            ServiceDomain::parse,
            &codes(ServiceDomain::ALL, ServiceDomain::as_str),
        );
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
        let phone = parse_phone(&mut e, "phone", &self.phone, true);
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

#[cfg(test)]
mod tests {
    use super::*;
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

    proptest! {
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

    }
}
