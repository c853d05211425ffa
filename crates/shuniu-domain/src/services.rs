//! The service catalogue 服务目录 and an organization's public contact 对外服务联系方式
//! (issue 12, items 1 and 2). Both are the organization's own disclosure (自行申报):
//! shown in full and at once, written by its own staff or the authority over it. A
//! person's data (a legal representative's mobile, a resident's phone) is never here.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::Phone;
use crate::jurisdiction::{JurisdictionCode, bad_code_error};
use crate::money::Fen;
use crate::registry::{
    ServiceDomain, codes, given, labelled_enum, parse_choice, parse_phone, parse_text,
    required_choice,
};
use crate::supervision::standing::{Activity, StandingFacts, check};
use crate::{FieldError, FieldErrors, Lang};

labelled_enum!(
    /// Whether a service is offered now.
    ServiceStatus {
        Active = "active", "提供中", "Active";
        Paused = "paused", "暂停", "Paused";
        Ended = "ended", "已结束", "Ended";
    }
);

labelled_enum!(
    /// Where a service is given.
    PlaceKind {
        Venue = "venue", "服务阵地", "At a venue";
        Community = "community", "社区（辖区）", "In a community";
        Home = "home", "上门服务", "At home";
    }
);

/// Where a service is given: a venue of the parks capability, a community or other
/// jurisdiction node, or at the resident's home (within the organization's node).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Place {
    Venue { venue_id: Uuid },
    Community { jurisdiction: JurisdictionCode },
    Home,
}

impl Place {
    pub fn kind(&self) -> PlaceKind {
        match self {
            Place::Venue { .. } => PlaceKind::Venue,
            Place::Community { .. } => PlaceKind::Community,
            Place::Home => PlaceKind::Home,
        }
    }
}

/// A validated service, as the organization declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceData {
    pub name: String,
    /// One of the registry's service domains (助老, 辅幼, 助残, 就业创业 …).
    pub category: ServiceDomain,
    pub target_group: String,
    pub eligibility: String,
    pub place: Place,
    pub schedule: String,
    /// 0: free.
    pub fee: Fen,
    pub capacity: Option<u32>,
    pub status: ServiceStatus,
}

/// What a person typed or sent, every field as text (`fee` in yuan, e.g. `12.50`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDraft {
    pub name: Option<String>,
    pub category: Option<String>,
    pub target_group: Option<String>,
    pub eligibility: Option<String>,
    pub place_kind: Option<String>,
    pub venue_id: Option<String>,
    pub jurisdiction: Option<String>,
    pub schedule: Option<String>,
    pub fee: Option<String>,
    pub capacity: Option<String>,
    pub status: Option<String>,
}

/// The draft's field names, in form order.
pub const SERVICE_FIELDS: [&str; 11] = [
    "name",
    "category",
    "target_group",
    "eligibility",
    "place_kind",
    "venue_id",
    "jurisdiction",
    "schedule",
    "fee",
    "capacity",
    "status",
];

/// The highest fee a service may declare (¥100,000), and the largest capacity.
const MAX_FEE: Fen = Fen::yuan(100_000);
const MAX_CAPACITY: u32 = 100_000;

impl ServiceDraft {
    /// Checks every field, collecting all problems. Whether the venue and the
    /// jurisdiction exist is the store's question.
    pub fn validate(&self) -> Result<ServiceData, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = parse_text(&mut e, "name", &self.name, 100, true);
        let category = required_choice(
            &mut e,
            "category",
            &self.category,
            ServiceDomain::parse,
            &codes(ServiceDomain::ALL, ServiceDomain::as_str),
        );
        let target_group = parse_text(&mut e, "target_group", &self.target_group, 200, true);
        let eligibility = parse_text(&mut e, "eligibility", &self.eligibility, 1000, false);
        let kind = required_choice(
            &mut e,
            "place_kind",
            &self.place_kind,
            PlaceKind::parse,
            &codes(PlaceKind::ALL, PlaceKind::as_str),
        );
        let place = match kind {
            Some(PlaceKind::Venue) => match given(&self.venue_id) {
                None => {
                    e.add("venue_id", FieldError::required());
                    None
                }
                Some(s) => match Uuid::parse_str(s) {
                    Ok(venue_id) => Some(Place::Venue { venue_id }),
                    Err(_) => {
                        e.add("venue_id", unknown_venue());
                        None
                    }
                },
            },
            Some(PlaceKind::Community) => match given(&self.jurisdiction) {
                None => {
                    e.add("jurisdiction", FieldError::required());
                    None
                }
                Some(s) => match JurisdictionCode::parse(s) {
                    Ok(jurisdiction) => Some(Place::Community { jurisdiction }),
                    Err(_) => {
                        e.add("jurisdiction", bad_code_error());
                        None
                    }
                },
            },
            Some(PlaceKind::Home) => Some(Place::Home),
            None => None,
        };
        let schedule = parse_text(&mut e, "schedule", &self.schedule, 200, true);
        let fee = match given(&self.fee) {
            None => Fen(0),
            Some(s) => match Fen::parse_yuan(s) {
                Some(f) if f.0 < 0 => {
                    e.add("fee", FieldError::new("不能为负数", "must not be negative"));
                    Fen(0)
                }
                Some(f) if f > MAX_FEE => {
                    e.add(
                        "fee",
                        FieldError::new("不能超过100000元", "must be at most ¥100,000"),
                    );
                    Fen(0)
                }
                Some(f) => f,
                None => {
                    e.add(
                        "fee",
                        FieldError::new(
                            "应为金额（元），最多两位小数，如 12.50",
                            "must be an amount in yuan with at most 2 decimals, such as 12.50",
                        ),
                    );
                    Fen(0)
                }
            },
        };
        let capacity = match given(&self.capacity) {
            None => None,
            Some(s) => match s.parse::<u32>() {
                Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Some(n),
                _ => {
                    e.add(
                        "capacity",
                        FieldError::new(
                            "应为1到100000之间的整数",
                            "must be a whole number from 1 to 100000",
                        ),
                    );
                    None
                }
            },
        };
        let status = match given(&self.status) {
            // A new service is offered unless it says otherwise.
            None => Some(ServiceStatus::Active),
            Some(_) => parse_choice(
                &mut e,
                "status",
                &self.status,
                ServiceStatus::parse,
                &codes(ServiceStatus::ALL, ServiceStatus::as_str),
            ),
        };
        match (category, place, status) {
            (Some(category), Some(place), Some(status)) if e.is_empty() => Ok(ServiceData {
                name,
                category,
                target_group,
                eligibility,
                place,
                schedule,
                fee,
                capacity,
                status,
            }),
            _ => Err(e),
        }
    }
}

impl ServiceData {
    /// The fields as text — the inverse of [`ServiceDraft::validate`] (a form's values).
    pub fn to_draft(&self) -> ServiceDraft {
        let (venue_id, jurisdiction) = match &self.place {
            Place::Venue { venue_id } => (Some(venue_id.to_string()), None),
            Place::Community { jurisdiction } => (None, Some(jurisdiction.to_string())),
            Place::Home => (None, None),
        };
        ServiceDraft {
            name: Some(self.name.clone()),
            category: Some(self.category.as_str().into()),
            target_group: Some(self.target_group.clone()),
            eligibility: Some(self.eligibility.clone()),
            place_kind: Some(self.place.kind().as_str().into()),
            venue_id,
            jurisdiction,
            schedule: Some(self.schedule.clone()),
            fee: Some(fee_input(self.fee)),
            capacity: self.capacity.map(|c| c.to_string()),
            status: Some(self.status.as_str().into()),
        }
    }
}

/// A fee as typed in a form: `12.50`, `0`.
pub fn fee_input(f: Fen) -> String {
    if f.0 % 100 == 0 {
        (f.0 / 100).to_string()
    } else {
        format!("{}.{:02}", f.0 / 100, f.0 % 100)
    }
}

pub fn unknown_venue() -> FieldError {
    FieldError::new("没有这个服务阵地", "is not a known venue")
}

/// A venue or community outside the organization's district: an organization serves
/// where it is registered (its registration authority supervises it there).
pub fn outside_district() -> FieldError {
    FieldError::new("不在本组织所在区", "is outside the organization's district")
}

/// An organization that does not stand may not offer services to the public:
/// the domain's one rule of consequences (suspended, deregistered, seriously listed).
pub fn may_offer(f: &StandingFacts) -> bool {
    check(f, Activity::OfferServices).is_ok()
}

/// An organization's public contact for residents: its own declaration, shown in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicContact {
    pub service_phone: Phone,
    pub service_hours: String,
    pub address: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDraft {
    pub service_phone: Option<String>,
    pub service_hours: Option<String>,
    pub address: Option<String>,
}

pub const CONTACT_FIELDS: [&str; 3] = ["service_phone", "service_hours", "address"];

impl ContactDraft {
    pub fn validate(&self) -> Result<PublicContact, FieldErrors> {
        let mut e = FieldErrors::new();
        let phone = parse_phone(&mut e, "service_phone", &self.service_phone, true);
        let service_hours = parse_text(&mut e, "service_hours", &self.service_hours, 200, true);
        let address = parse_text(&mut e, "address", &self.address, 200, true);
        match phone {
            Some(service_phone) if e.is_empty() => Ok(PublicContact {
                service_phone,
                service_hours,
                address,
            }),
            _ => Err(e),
        }
    }
}

impl PublicContact {
    pub fn to_draft(&self) -> ContactDraft {
        ContactDraft {
            service_phone: Some(self.service_phone.to_string()),
            service_hours: Some(self.service_hours.clone()),
            address: Some(self.address.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::OrgStatus;

    fn draft() -> ServiceDraft {
        ServiceDraft {
            name: Some("助餐配送".into()),
            category: Some("elderly".into()),
            target_group: Some("80岁以上独居老人".into()),
            eligibility: Some("本街道户籍".into()),
            place_kind: Some("home".into()),
            schedule: Some("周一至周五 11:00–12:30".into()),
            fee: Some("12.50".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_full_draft_validates_with_fee_in_fen() {
        let s = draft().validate().unwrap();
        assert_eq!(s.fee, Fen(1250));
        assert_eq!(s.status, ServiceStatus::Active);
        assert_eq!(s.place, Place::Home);
        assert_eq!(s.to_draft().validate().unwrap(), s);
        assert_eq!(fee_input(Fen(1250)), "12.50");
        assert_eq!(fee_input(Fen(0)), "0");
    }

    #[test]
    fn every_bad_field_is_named() {
        let d = ServiceDraft {
            category: Some("cooking".into()),
            place_kind: Some("venue".into()),
            fee: Some("12.345".into()),
            capacity: Some("0".into()),
            status: Some("sleeping".into()),
            ..Default::default()
        };
        let e = d.validate().unwrap_err();
        for f in [
            "name",
            "category",
            "target_group",
            "venue_id",
            "schedule",
            "fee",
            "capacity",
            "status",
        ] {
            assert!(e.get(f).is_some(), "{f} not named: {e:?}");
        }
        let mut d = draft();
        d.place_kind = Some("community".into());
        d.fee = Some("-1".into());
        let e = d.validate().unwrap_err();
        assert!(e.get("jurisdiction").is_some() && e.get("fee").is_some());
    }

    #[test]
    fn only_an_organization_in_standing_offers_services() {
        let f = |status| StandingFacts {
            status,
            on_abnormal_list: false,
            on_serious_list: false,
        };
        assert!(may_offer(&f(OrgStatus::Active)));
        assert!(!may_offer(&f(OrgStatus::Suspended)));
        assert!(!may_offer(&f(OrgStatus::Deregistered)));
        let mut listed = f(OrgStatus::Active);
        listed.on_serious_list = true;
        assert!(!may_offer(&listed));
        listed.on_serious_list = false;
        listed.on_abnormal_list = true;
        assert!(
            may_offer(&listed),
            "the abnormal list limits funding, not services"
        );
    }

    #[test]
    fn contact_needs_a_valid_phone_hours_and_address() {
        let e = ContactDraft {
            service_phone: Some("12345".into()),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        for f in CONTACT_FIELDS {
            assert!(e.get(f).is_some(), "{f}");
        }
        let c = ContactDraft {
            service_phone: Some("025-84123456".into()),
            service_hours: Some("周一至周五 9:00–17:00".into()),
            address: Some("梅园新村街道长江路1号".into()),
        }
        .validate()
        .unwrap();
        assert_eq!(c.service_phone.to_string(), "025-84123456");
    }
}
