//! Party building 社会组织党建 — the core 核 of 一核两轴 — and coverage figures.
//!
//! *Organization coverage* 组织覆盖: the share of organizations with a party
//! organization of their own or a joint branch 联合支部. *Work coverage* 工作覆盖: the
//! share reached by party work at all — a party organization, or an assigned
//! instructor 党建指导员 where there is none. The same [`Coverage`] shape also carries
//! hub coverage (share in a regional hub; share in at least one industry hub).

use crate::jurisdiction::bad_code_error;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::Phone;
use crate::jurisdiction::JurisdictionCode;
use crate::registry::{PartyOrg, given, parse_choice, parse_count, parse_phone, parse_text};
use crate::{FieldError, FieldErrors};

pub fn org_covered(party_org: PartyOrg) -> bool {
    party_org != PartyOrg::None
}

pub fn work_covered(party_org: PartyOrg, has_instructor: bool) -> bool {
    org_covered(party_org) || has_instructor
}

/// `covered` of `total`, with the share in per-mille for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Share {
    pub covered: i64,
    pub total: i64,
}

impl Share {
    /// Share in per-mille, rounded half up; 0 of 0 is 0.
    pub fn permille(self) -> i64 {
        if self.total <= 0 {
            0
        } else {
            (self.covered * 1000 + self.total / 2) / self.total
        }
    }
    /// `71.6%`
    pub fn percent_text(self) -> String {
        let p = self.permille();
        format!("{}.{}%", p / 10, p % 10)
    }
    /// Where the share stands against the thresholds [`Band::MIDDLE`] and [`Band::HIGH`].
    pub fn band(self) -> Band {
        let p = self.permille();
        if p >= Band::HIGH {
            Band::High
        } else if p >= Band::MIDDLE {
            Band::Middle
        } else {
            Band::Low
        }
    }
}

/// A coverage share judged against two thresholds: below half is low, 80% and above
/// is high. Reports colour by it and say it in words, so colour is never the only sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Low,
    Middle,
    High,
}

impl Band {
    /// The lower bound of [`Band::Middle`], per mille.
    pub const MIDDLE: i64 = 500;
    /// The lower bound of [`Band::High`], per mille.
    pub const HIGH: i64 = 800;
    pub const ALL: [Band; 3] = [Band::Low, Band::Middle, Band::High];
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Middle => "middle",
            Band::High => "high",
        }
    }
}

/// Party-building coverage of a set of live organizations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct PartyCoverage {
    pub organizations: Share,
    pub work: Share,
}

/// Hub coverage of a set of live organizations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct HubCoverage {
    pub regional: Share,
    pub industry: Share,
}

/// A party-building instructor 党建指导员, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstructorData {
    pub name: String,
    pub phone: Option<Phone>,
    pub jurisdiction: JurisdictionCode,
    /// Where they work from (e.g. 锁金村街道社会组织党建工作站).
    pub workplace: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstructorDraft {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub jurisdiction: Option<String>,
    pub workplace: Option<String>,
}

impl InstructorDraft {
    pub fn validate(&self) -> Result<InstructorData, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = parse_text(&mut e, "name", &self.name, 50, true);
        let phone = parse_phone(&mut e, "phone", &self.phone, false);
        let jurisdiction = match given(&self.jurisdiction) {
            None => {
                e.add("jurisdiction", FieldError::required());
                None
            }
            Some(s) => JurisdictionCode::parse(s).ok().or_else(|| {
                e.add("jurisdiction", bad_code_error());
                None
            }),
        };
        let workplace = parse_text(&mut e, "workplace", &self.workplace, 100, false);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(InstructorData {
            name,
            phone,
            jurisdiction: jurisdiction.expect("checked"),
            workplace,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instructor {
    pub id: Uuid,
    pub data: InstructorData,
    /// Organizations assigned (live ones).
    pub organizations: i64,
}

/// An organization's party-building facts, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyBuilding {
    pub party_org: PartyOrg,
    pub party_members: u32,
    pub instructor_id: Option<Uuid>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyBuildingDraft {
    pub party_org: Option<String>,
    pub party_members: Option<String>,
    /// Empty: no instructor.
    pub instructor_id: Option<String>,
}

impl PartyBuildingDraft {
    pub fn validate(&self) -> Result<PartyBuilding, FieldErrors> {
        let mut e = FieldErrors::new();
        let all: Vec<&str> = PartyOrg::ALL.iter().map(|p| p.as_str()).collect();
        let party_org = parse_choice(&mut e, "party_org", &self.party_org, PartyOrg::parse, &all);
        if party_org.is_none() && e.get("party_org").is_none() {
            e.add("party_org", FieldError::required());
        }
        let party_members = parse_count(&mut e, "party_members", &self.party_members);
        // A branch needs at least three full party members (党章 art. 30).
        if party_org == Some(PartyOrg::OwnBranch)
            && party_members < 3
            && e.get("party_members").is_none()
        {
            e.add(
                "party_members",
                FieldError::new(
                    "单独建立党支部须有3名以上正式党员",
                    "an own branch needs at least 3 party members",
                ),
            );
        }
        let instructor_id = match given(&self.instructor_id) {
            None => None,
            Some(s) => Uuid::parse_str(s).ok().or_else(|| {
                e.add(
                    "instructor_id",
                    FieldError::new("不是有效的指导员编号", "is not a valid instructor id"),
                );
                None
            }),
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(PartyBuilding {
            party_org: party_org.expect("checked"),
            party_members,
            instructor_id,
        })
    }
}

/// An instructor id that names no instructor (`instructor_id`).
pub fn unknown_instructor() -> FieldError {
    FieldError::new("没有这个党建指导员", "is not a known instructor")
}

#[cfg(test)]
mod tests {
    use super::{Band, Share};

    #[test]
    fn shares_fall_in_bands_at_the_thresholds() {
        let band = |covered, total| Share { covered, total }.band();
        assert_eq!(band(0, 0), Band::Low);
        assert_eq!(band(115, 1000), Band::Low);
        assert_eq!(band(499, 1000), Band::Low);
        assert_eq!(band(1, 2), Band::Middle);
        assert_eq!(band(799, 1000), Band::Middle);
        assert_eq!(band(4, 5), Band::High);
        assert_eq!(band(1, 1), Band::High);
    }

    use super::*;

    #[test]
    fn coverage_rules() {
        assert!(org_covered(PartyOrg::JointBranch));
        assert!(!org_covered(PartyOrg::None));
        assert!(work_covered(PartyOrg::None, true));
        assert!(!work_covered(PartyOrg::None, false));
    }

    #[test]
    fn shares() {
        let s = Share {
            covered: 987,
            total: 1379,
        };
        assert_eq!(s.permille(), 716);
        assert_eq!(s.percent_text(), "71.6%");
        assert_eq!(Share::default().permille(), 0);
    }

    #[test]
    fn party_building_draft() {
        let ok = PartyBuildingDraft {
            party_org: Some("joint_branch".into()),
            party_members: Some("1".into()),
            instructor_id: None,
        }
        .validate()
        .unwrap();
        assert_eq!(ok.party_org, PartyOrg::JointBranch);
        let e = PartyBuildingDraft {
            party_org: Some("own_branch".into()),
            party_members: Some("2".into()),
            instructor_id: Some("nope".into()),
        }
        .validate()
        .unwrap_err();
        assert!(e.get("party_members").is_some() && e.get("instructor_id").is_some());
    }

    #[test]
    fn instructor_draft() {
        let e = InstructorDraft {
            phone: Some("12345".into()),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        for f in ["name", "phone", "jurisdiction"] {
            assert!(e.get(f).is_some(), "{f}");
        }
    }
}
