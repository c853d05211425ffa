//! Standing: the consequences of supervision, decided in one place. Every capability
//! that lets an organization do something (book a room, join a hub, receive an office,
//! be recognized, be funded …) asks [`check`] with the organization's facts, so a
//! suspended, revoked or seriously-listed organization is refused the same way
//! everywhere — on either backend, through pages or the API.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Lang;
use crate::hubs::{HubKind, HubLevel};
use crate::jurisdiction::Level;
use crate::registry::{Grade, LegalForm, OrgStatus, labelled_enum};

use super::Refusal;
use super::credit::{ListKind, Listing, is_listed};

labelled_enum!(
    /// What an organization asks to do.
    Activity {
        BookRoom = "book_room", "预约场地", "book a room";
        ApplyToHub = "apply_to_hub", "申请加入枢纽组织", "apply to a hub";
        ReceiveOffice = "receive_office", "获得办公用房", "receive an office";
        BeRecognized = "be_recognized", "被认定为枢纽型社会组织", "be recognized as a hub";
        ReceiveFunding = "receive_funding", "获得资助", "receive funding";
        GovernmentPurchase = "government_purchase", "承接政府购买服务", "take on government service purchases";
        ReceiveHonour = "receive_honour", "获得表彰", "receive honours";
        ApplyForAssessment = "apply_for_assessment", "申请等级评估", "apply for assessment";
        OfferServices = "offer_services", "向居民公开提供服务", "offer services to residents";
    }
);

/// What standing depends on, as of one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandingFacts {
    pub status: OrgStatus,
    pub on_abnormal_list: bool,
    pub on_serious_list: bool,
}

impl StandingFacts {
    pub fn from_listings(status: OrgStatus, listings: &[Listing], date: NaiveDate) -> Self {
        StandingFacts {
            status,
            on_abnormal_list: is_listed(listings, ListKind::Abnormal, date),
            on_serious_list: is_listed(listings, ListKind::Serious, date),
        }
    }
}

fn refuse(rule: &'static str, why_zh: &str, why_en: &str, a: Activity) -> Refusal {
    Refusal::new(
        rule,
        format!("{why_zh}，不能{}", a.label(Lang::Zh)),
        format!("{why_en}: it cannot {}", a.label(Lang::En)),
    )
}

/// May the organization do `a`? One rule table for every capability:
/// - deregistered (注销, 撤销登记): nothing;
/// - suspended (暂停活动): nothing new;
/// - on the serious list: nothing new (key supervision; no funding, purchase, honours);
/// - on the abnormal list: no funding, government purchase, honours or recognition
///   (hubs must be in good standing), no assessment; it may still book and join.
pub fn check(f: &StandingFacts, a: Activity) -> Result<(), Refusal> {
    use Activity::*;
    match f.status {
        OrgStatus::Deregistered => {
            return Err(refuse(
                "deregistered",
                "该组织已注销",
                "the organization is deregistered",
                a,
            ));
        }
        OrgStatus::Suspended => {
            return Err(refuse(
                "suspended",
                "该组织被暂停活动",
                "the organization is suspended",
                a,
            ));
        }
        OrgStatus::Active => {}
    }
    if f.on_serious_list {
        return Err(refuse(
            "serious_list",
            "该组织被列入严重违法失信名单",
            "the organization is on the serious illegal and dishonest list",
            a,
        ));
    }
    if f.on_abnormal_list
        && matches!(
            a,
            ReceiveFunding | GovernmentPurchase | ReceiveHonour | BeRecognized | ApplyForAssessment
        )
    {
        return Err(refuse(
            "abnormal_list",
            "该组织被列入活动异常名录",
            "the organization is on the abnormal activity list",
            a,
        ));
    }
    Ok(())
}

/// Why an organization's existing bookings and office allocations should be flagged
/// for its hub (they are not cancelled: the hub decides), or `None`.
pub fn flag_for_hub(f: &StandingFacts) -> Option<Refusal> {
    check(f, Activity::BookRoom).err()
}

/// One rule of hub fit: which organizations may be recognized as a hub of this kind
/// and level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HubFitRule {
    pub kind: HubKind,
    pub level: HubLevel,
    pub forms: &'static [LegalForm],
    /// Levels of the organization's own registration (its jurisdiction's level).
    pub org_levels: &'static [Level],
    pub min_full_time_staff: u32,
}

/// The hub fit rules (a setting; this is the Nanjing-like default). Only registered
/// organizations are hubs — a filed community group is not; a regional hub is a social
/// group or service institution of its street or district (the promotion association
/// is a social group); an industry hub is an association (social group) or, above
/// district level, a foundation; staff grow with the level.
pub const HUB_FIT_RULES: &[HubFitRule] = &[
    HubFitRule {
        kind: HubKind::Regional,
        level: HubLevel::Street,
        forms: &[LegalForm::SocialGroup, LegalForm::SocialServiceInstitution],
        org_levels: &[Level::Street, Level::District],
        min_full_time_staff: 1,
    },
    HubFitRule {
        kind: HubKind::Regional,
        level: HubLevel::District,
        forms: &[LegalForm::SocialGroup, LegalForm::SocialServiceInstitution],
        org_levels: &[Level::District],
        min_full_time_staff: 3,
    },
    HubFitRule {
        kind: HubKind::Industry,
        level: HubLevel::Street,
        forms: &[LegalForm::SocialGroup, LegalForm::SocialServiceInstitution],
        org_levels: &[Level::Street, Level::District],
        min_full_time_staff: 1,
    },
    HubFitRule {
        kind: HubKind::Industry,
        level: HubLevel::District,
        forms: &[LegalForm::SocialGroup],
        org_levels: &[Level::Street, Level::District],
        min_full_time_staff: 3,
    },
    HubFitRule {
        kind: HubKind::Industry,
        level: HubLevel::City,
        forms: &[LegalForm::SocialGroup, LegalForm::Foundation],
        org_levels: &[Level::City, Level::District],
        min_full_time_staff: 5,
    },
    HubFitRule {
        kind: HubKind::Regional,
        level: HubLevel::City,
        forms: &[LegalForm::SocialGroup, LegalForm::SocialServiceInstitution],
        org_levels: &[Level::City],
        min_full_time_staff: 5,
    },
    HubFitRule {
        kind: HubKind::Industry,
        level: HubLevel::Province,
        forms: &[LegalForm::SocialGroup, LegalForm::Foundation],
        org_levels: &[Level::Province, Level::City],
        min_full_time_staff: 5,
    },
    HubFitRule {
        kind: HubKind::Regional,
        level: HubLevel::Province,
        forms: &[LegalForm::SocialGroup],
        org_levels: &[Level::Province],
        min_full_time_staff: 5,
    },
];

/// The candidate for a recognition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubCandidate {
    pub legal_form: LegalForm,
    /// The level of the organization's jurisdiction.
    pub level: Level,
    pub staff_full_time: u32,
    pub standing: StandingFacts,
    pub grade: Option<Grade>,
}

/// Whether `c` may be recognized as a `kind` hub at `level`: good standing first, then
/// the fit rules. Errors name the rule.
pub fn check_hub_fit(
    c: &HubCandidate,
    kind: HubKind,
    level: HubLevel,
    rules: &[HubFitRule],
) -> Result<(), Refusal> {
    check(&c.standing, Activity::BeRecognized)?;
    if c.legal_form == LegalForm::CommunityFiled {
        return Err(Refusal::new(
            "hub_not_registered",
            "只有依法登记的社会组织才能被认定为枢纽，备案的社区社会组织不能",
            "only a registered organization can be a hub, not a filed community organization",
        ));
    }
    let Some(rule) = rules.iter().find(|r| r.kind == kind && r.level == level) else {
        return Err(Refusal::new(
            "hub_no_rule",
            format!(
                "没有{}{}的认定条件",
                level.label(Lang::Zh),
                kind.label(Lang::Zh)
            ),
            format!(
                "there are no rules for a {} {}",
                level.label(Lang::En).to_lowercase(),
                kind.label(Lang::En).to_lowercase()
            ),
        ));
    };
    if !rule.forms.contains(&c.legal_form) {
        let forms = |l: Lang| rule.forms.iter().map(|f| f.label(l)).collect::<Vec<_>>();
        return Err(Refusal::new(
            "hub_legal_form",
            format!(
                "{}{}应为{}",
                level.label(Lang::Zh),
                kind.label(Lang::Zh),
                forms(Lang::Zh).join("或")
            ),
            format!(
                "a {} {} must be a {}",
                level.label(Lang::En).to_lowercase(),
                kind.label(Lang::En).to_lowercase(),
                forms(Lang::En).join(" or ").to_lowercase()
            ),
        ));
    }
    if !rule.org_levels.contains(&c.level) {
        return Err(Refusal::new(
            "hub_level",
            format!(
                "{}级组织不能被认定为{}{}",
                c.level.label(Lang::Zh),
                level.label(Lang::Zh),
                kind.label(Lang::Zh)
            ),
            format!(
                "an organization at {} level cannot be a {} {}",
                c.level.label(Lang::En).to_lowercase(),
                level.label(Lang::En).to_lowercase(),
                kind.label(Lang::En).to_lowercase()
            ),
        ));
    }
    if c.staff_full_time < rule.min_full_time_staff {
        return Err(Refusal::new(
            "hub_staff",
            format!(
                "{}{}至少需要{}名专职工作人员",
                level.label(Lang::Zh),
                kind.label(Lang::Zh),
                rule.min_full_time_staff
            ),
            format!(
                "a {} {} needs at least {} full-time staff",
                level.label(Lang::En).to_lowercase(),
                kind.label(Lang::En).to_lowercase(),
                rule.min_full_time_staff
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> StandingFacts {
        StandingFacts {
            status: OrgStatus::Active,
            on_abnormal_list: false,
            on_serious_list: false,
        }
    }

    #[test]
    fn suspended_revoked_and_seriously_listed_organizations_are_refused_everything() {
        for a in Activity::ALL {
            assert!(check(&good(), *a).is_ok());
            for (f, rule) in [
                (
                    StandingFacts {
                        status: OrgStatus::Suspended,
                        ..good()
                    },
                    "suspended",
                ),
                (
                    StandingFacts {
                        status: OrgStatus::Deregistered,
                        ..good()
                    },
                    "deregistered",
                ),
                (
                    StandingFacts {
                        on_serious_list: true,
                        ..good()
                    },
                    "serious_list",
                ),
            ] {
                let r = check(&f, *a).unwrap_err();
                assert_eq!(r.rule, rule);
                assert!(r.zh.contains(a.label(Lang::Zh)) && r.en.contains(a.label(Lang::En)));
            }
        }
    }

    #[test]
    fn the_abnormal_list_bars_funding_honours_and_recognition_only() {
        let f = StandingFacts {
            on_abnormal_list: true,
            ..good()
        };
        assert!(check(&f, Activity::BookRoom).is_ok());
        assert!(check(&f, Activity::ApplyToHub).is_ok());
        for a in [
            Activity::ReceiveFunding,
            Activity::GovernmentPurchase,
            Activity::ReceiveHonour,
            Activity::BeRecognized,
        ] {
            assert_eq!(check(&f, a).unwrap_err().rule, "abnormal_list");
        }
        assert!(flag_for_hub(&f).is_none());
        assert!(
            flag_for_hub(&StandingFacts {
                status: OrgStatus::Suspended,
                ..good()
            })
            .is_some()
        );
    }

    fn candidate(form: LegalForm, level: Level, staff: u32) -> HubCandidate {
        HubCandidate {
            legal_form: form,
            level,
            staff_full_time: staff,
            standing: good(),
            grade: None,
        }
    }

    #[test]
    fn a_filed_fitness_team_is_no_district_industry_hub() {
        let team = candidate(LegalForm::CommunityFiled, Level::Community, 0);
        let r =
            check_hub_fit(&team, HubKind::Industry, HubLevel::District, HUB_FIT_RULES).unwrap_err();
        assert_eq!(r.rule, "hub_not_registered");
        let small = candidate(LegalForm::SocialGroup, Level::District, 1);
        assert_eq!(
            check_hub_fit(&small, HubKind::Industry, HubLevel::District, HUB_FIT_RULES)
                .unwrap_err()
                .rule,
            "hub_staff"
        );
        let institution = candidate(LegalForm::SocialServiceInstitution, Level::District, 9);
        assert_eq!(
            check_hub_fit(
                &institution,
                HubKind::Industry,
                HubLevel::District,
                HUB_FIT_RULES
            )
            .unwrap_err()
            .rule,
            "hub_legal_form"
        );
        let association = candidate(LegalForm::SocialGroup, Level::District, 4);
        assert!(
            check_hub_fit(
                &association,
                HubKind::Industry,
                HubLevel::District,
                HUB_FIT_RULES
            )
            .is_ok()
        );
        let promo = candidate(LegalForm::SocialGroup, Level::Street, 2);
        assert!(check_hub_fit(&promo, HubKind::Regional, HubLevel::Street, HUB_FIT_RULES).is_ok());
        assert_eq!(
            check_hub_fit(&promo, HubKind::Regional, HubLevel::District, HUB_FIT_RULES)
                .unwrap_err()
                .rule,
            "hub_level"
        );
        let listed = HubCandidate {
            standing: StandingFacts {
                on_abnormal_list: true,
                ..good()
            },
            ..association
        };
        assert_eq!(
            check_hub_fit(
                &listed,
                HubKind::Industry,
                HubLevel::District,
                HUB_FIT_RULES
            )
            .unwrap_err()
            .rule,
            "abnormal_list"
        );
    }

    #[test]
    fn every_hub_kind_and_level_has_a_rule_and_none_admits_filed_groups() {
        for k in HubKind::ALL {
            for l in HubLevel::ALL {
                let n = HUB_FIT_RULES
                    .iter()
                    .filter(|r| r.kind == *k && r.level == *l)
                    .count();
                assert_eq!(n, 1, "{k:?} {l:?}");
            }
        }
        assert!(
            HUB_FIT_RULES
                .iter()
                .all(|r| !r.forms.contains(&LegalForm::CommunityFiled))
        );
    }
}
