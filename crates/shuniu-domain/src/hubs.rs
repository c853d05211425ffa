//! Hubs 枢纽型社会组织 and their memberships: 一核两轴 at district level, 1+1+X at street level.
//!
//! A hub is a registered organization that holds a *recognition* 认定. Regional hubs
//! (the horizontal axis) are bound to a street or district; industry hubs (the vertical
//! axis) to a people's organization or industry association and a field. The rules of
//! membership are here as pure functions; the store asks them inside the transaction
//! that writes, and the database backs the ones that races could break (one regional
//! hub per organization, one live membership per pair, no self-membership).

use crate::jurisdiction::bad_code_error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::jurisdiction::{JurisdictionCode, Level, path_within};
use crate::registry::{
    OrgStatus, ServiceDomain, codes, given, labelled_enum, parse_date, parse_note, parse_text,
    required_choice,
};
use crate::{FieldError, FieldErrors, Lang};

labelled_enum!(
    /// The two axes of 一核两轴.
    HubKind {
        Regional = "regional", "区域性枢纽", "Regional hub";
        Industry = "industry", "行业性枢纽", "Industry hub";
    }
);

labelled_enum!(
    /// The level of the body that recognized the hub.
    HubLevel {
        Province = "province", "省级", "Province";
        City = "city", "市级", "City";
        District = "district", "区级", "District";
        Street = "street", "街道级", "Street";
    }
);

labelled_enum!(
    /// The four functions a hub takes on (DOMAIN.md §2).
    HubFunction {
        PoliticalGuidance = "political_guidance", "政治引领", "Political guidance";
        Cultivation = "cultivation", "培育发展", "Cultivation and development";
        CentralizedServices = "centralized_services", "集约服务", "Centralized services";
        ComprehensiveManagement = "comprehensive_management", "综合管理", "Comprehensive management";
    }
);

impl HubFunction {
    pub fn bit(self) -> i64 {
        1 << HubFunction::ALL
            .iter()
            .position(|f| *f == self)
            .unwrap_or(0)
    }
    pub fn mask(fs: &[HubFunction]) -> i64 {
        fs.iter().fold(0, |m, f| m | f.bit())
    }
    pub fn from_mask(mask: i64) -> Vec<HubFunction> {
        HubFunction::ALL
            .iter()
            .copied()
            .filter(|f| mask & f.bit() != 0)
            .collect()
    }
}

labelled_enum!(
    /// Whether a recognition stands.
    HubStatus {
        Recognized = "recognized", "已认定", "Recognized";
        Revoked = "revoked", "已撤销", "Revoked";
    }
);

impl HubLevel {
    /// The level a regional hub bound to a node of `level` has.
    pub fn of_jurisdiction(level: Level) -> Option<HubLevel> {
        match level {
            Level::Province => Some(HubLevel::Province),
            Level::City => Some(HubLevel::City),
            Level::District => Some(HubLevel::District),
            Level::Street => Some(HubLevel::Street),
            Level::Community => None,
        }
    }
}

/// A recognition 认定, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recognition {
    pub kind: HubKind,
    pub level: HubLevel,
    /// Regional: the street or district it serves. Industry: the jurisdiction of the
    /// recognizing body (its members may be anywhere below it).
    pub jurisdiction: JurisdictionCode,
    /// Industry hubs: the people's organization or association it is built on
    /// (区残联, 团区委 …). Regional hubs: empty.
    pub base_body: String,
    /// Industry hubs: the field(s) it leads (a `ServiceDomain` mask); regional: 0.
    pub fields_mask: i64,
    pub recognizing_body: String,
    pub document_number: String,
    pub recognized_on: NaiveDate,
    pub functions_mask: i64,
}

impl Recognition {
    pub fn fields(&self) -> Vec<ServiceDomain> {
        ServiceDomain::from_mask(self.fields_mask)
    }
    pub fn functions(&self) -> Vec<HubFunction> {
        HubFunction::from_mask(self.functions_mask)
    }
}

/// A recognition as typed into a form or sent to the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecognitionDraft {
    pub kind: Option<String>,
    pub level: Option<String>,
    pub jurisdiction: Option<String>,
    pub base_body: Option<String>,
    #[serde(default)]
    pub fields: Vec<String>,
    pub recognizing_body: Option<String>,
    pub document_number: Option<String>,
    pub recognized_on: Option<String>,
    #[serde(default)]
    pub functions: Vec<String>,
}

pub const RECOGNITION_FIELDS: &[&str] = &[
    "organization_id",
    "kind",
    "level",
    "jurisdiction",
    "base_body",
    "fields",
    "recognizing_body",
    "document_number",
    "recognized_on",
    "functions",
];

impl RecognitionDraft {
    /// Checks the draft on its own. `jurisdiction_level` is the level of the named
    /// node, when it exists (the caller looked it up); the store checks existence.
    pub fn validate(
        &self,
        today: NaiveDate,
        jurisdiction_level: Option<Level>,
    ) -> Result<Recognition, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = required_choice(
            &mut e,
            "kind",
            &self.kind,
            HubKind::parse,
            &codes(HubKind::ALL, HubKind::as_str),
        );
        let level = required_choice(
            &mut e,
            "level",
            &self.level,
            HubLevel::parse,
            &codes(HubLevel::ALL, HubLevel::as_str),
        );
        let jurisdiction = match given(&self.jurisdiction) {
            None => {
                e.add("jurisdiction", FieldError::required());
                None
            }
            Some(s) => match JurisdictionCode::parse(s) {
                Ok(c) => Some(c),
                Err(_) => {
                    e.add("jurisdiction", bad_code_error());
                    None
                }
            },
        };
        if jurisdiction.is_some() && jurisdiction_level.is_none() {
            e.add("jurisdiction", FieldError::unknown_jurisdiction());
        }
        let base_body = parse_text(&mut e, "base_body", &self.base_body, 100, false);
        let mut fields = Vec::new();
        for f in self
            .fields
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            match ServiceDomain::parse(f) {
                Some(d) => fields.push(d),
                None => e.add(
                    "fields",
                    FieldError::new(format!("未知领域“{f}”"), format!("unknown field '{f}'")),
                ),
            }
        }
        let recognizing_body = parse_text(
            &mut e,
            "recognizing_body",
            &self.recognizing_body,
            100,
            true,
        );
        let document_number =
            parse_text(&mut e, "document_number", &self.document_number, 60, true);
        let recognized_on = match given(&self.recognized_on) {
            None => {
                e.add("recognized_on", FieldError::required());
                None
            }
            Some(s) => parse_date(&mut e, "recognized_on", s, today),
        };
        let mut functions = Vec::new();
        for f in self
            .functions
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            match HubFunction::parse(f) {
                Some(x) => functions.push(x),
                None => e.add(
                    "functions",
                    FieldError::new(format!("未知职能“{f}”"), format!("unknown function '{f}'")),
                ),
            }
        }
        if functions.is_empty() && e.get("functions").is_none() {
            e.add(
                "functions",
                FieldError::new("至少选择一项职能", "choose at least one function"),
            );
        }
        // Rules that tie the fields together.
        match kind {
            Some(HubKind::Regional) => {
                if let (Some(lv), Some(jl)) = (level, jurisdiction_level) {
                    match HubLevel::of_jurisdiction(jl) {
                        Some(expected) if expected == lv => {}
                        _ => e.add(
                            "level",
                            FieldError::new(
                                "区域性枢纽的级别须与所在行政区划一致",
                                "a regional hub's level must match its jurisdiction's level",
                            ),
                        ),
                    }
                }
                if matches!(jurisdiction_level, Some(Level::Community)) {
                    e.add(
                        "jurisdiction",
                        FieldError::new(
                            "区域性枢纽应绑定街道或区",
                            "a regional hub is bound to a street or a district",
                        ),
                    );
                }
                if !fields.is_empty() {
                    e.add(
                        "fields",
                        FieldError::new("区域性枢纽不按领域划分", "a regional hub has no field"),
                    );
                }
            }
            Some(HubKind::Industry) => {
                if base_body.is_empty() && e.get("base_body").is_none() {
                    e.add(
                        "base_body",
                        FieldError::new(
                            "行业性枢纽须写明所依托的人民团体或行业协会",
                            "name the people's organization or association it is built on",
                        ),
                    );
                }
                if fields.is_empty() && e.get("fields").is_none() {
                    e.add(
                        "fields",
                        FieldError::new("至少选择一个领域", "choose at least one field"),
                    );
                }
                if matches!(jurisdiction_level, Some(Level::Community)) {
                    e.add(
                        "jurisdiction",
                        FieldError::new(
                            "认定机关不在社区一级",
                            "hubs are not recognized at community level",
                        ),
                    );
                }
            }
            None => {}
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Recognition {
            kind: kind.expect("checked"),
            level: level.expect("checked"),
            jurisdiction: jurisdiction.expect("checked"),
            base_body,
            fields_mask: ServiceDomain::mask(&fields),
            recognizing_body,
            document_number,
            recognized_on: recognized_on.expect("checked"),
            functions_mask: HubFunction::mask(&functions),
        })
    }
}

/// A hub as stored: the recognition plus the organization holding it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hub {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    pub recognition: Recognition,
    /// Path of `recognition.jurisdiction`.
    pub jurisdiction_path: String,
    pub status: HubStatus,
    pub revoked_on: Option<NaiveDate>,
    pub revoke_reason: Option<String>,
    /// Active members (kept in the same transaction as membership changes).
    pub member_count: i64,
}

/// The district's core 核: its social-organization party-building work committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubCore {
    pub jurisdiction: JurisdictionCode,
    pub name_zh: String,
    pub name_en: String,
}

labelled_enum!(
    /// Where a membership stands.
    MembershipStatus {
        Pending = "pending", "待审核", "Pending";
        Active = "active", "正式成员", "Active";
        Rejected = "rejected", "未通过", "Rejected";
        Suspended = "suspended", "暂停", "Suspended";
        Left = "left", "已退出", "Left";
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
);

impl MembershipStatus {
    /// Live memberships hold the pair (and, for regional hubs, the organization's one
    /// regional place); the others are history.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            MembershipStatus::Pending | MembershipStatus::Active | MembershipStatus::Suspended
        )
    }
    pub const LIVE: [MembershipStatus; 3] = [
        MembershipStatus::Pending,
        MembershipStatus::Active,
        MembershipStatus::Suspended,
    ];
}

labelled_enum!(
    /// What can be done to a membership. The hub side decides; the member side applies,
    /// withdraws or leaves.
    MembershipAction {
        Approve = "approve", "批准", "Approve";
        Reject = "reject", "驳回", "Reject";
        Suspend = "suspend", "暂停", "Suspend";
        Reinstate = "reinstate", "恢复", "Reinstate";
        Remove = "remove", "移出", "Remove";
        Withdraw = "withdraw", "撤回申请", "Withdraw";
        Leave = "leave", "退出", "Leave";
    }
);

/// Which side of a membership may take an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Hub,
    Member,
}

impl MembershipAction {
    pub fn side(self) -> Side {
        match self {
            MembershipAction::Withdraw | MembershipAction::Leave => Side::Member,
            _ => Side::Hub,
        }
    }
    /// Actions that must give a reason.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            MembershipAction::Reject | MembershipAction::Suspend | MembershipAction::Remove
        )
    }
    /// The membership state machine.
    pub fn apply(self, from: MembershipStatus) -> Option<MembershipStatus> {
        use MembershipAction as A;
        use MembershipStatus as S;
        match (self, from) {
            (A::Approve, S::Pending) => Some(S::Active),
            (A::Reject, S::Pending) => Some(S::Rejected),
            (A::Withdraw, S::Pending) => Some(S::Withdrawn),
            (A::Suspend, S::Active) => Some(S::Suspended),
            (A::Reinstate, S::Suspended) => Some(S::Active),
            (A::Remove, S::Active | S::Suspended) => Some(S::Left),
            (A::Leave, S::Active | S::Suspended) => Some(S::Left),
            _ => None,
        }
    }
    /// Actions possible from `from` for `side`, in display order.
    pub fn available(from: MembershipStatus, side: Side) -> Vec<MembershipAction> {
        MembershipAction::ALL
            .iter()
            .copied()
            .filter(|a| a.side() == side && a.apply(from).is_some())
            .collect()
    }
}

/// A membership decision, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipDecision {
    pub action: MembershipAction,
    pub reason: String,
}

impl MembershipDecision {
    pub fn parse(action: Option<&str>, reason: Option<&str>) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let action_s = action.map(String::from);
        let action = required_choice(
            &mut e,
            "action",
            &action_s,
            MembershipAction::parse,
            &codes(MembershipAction::ALL, MembershipAction::as_str),
        );
        let required = action.is_some_and(|a| a.needs_reason());
        let reason = parse_note(&mut e, "reason", &reason.map(String::from), 500, required);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(MembershipDecision {
            action: action.expect("checked"),
            reason,
        })
    }
}

/// A membership as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Membership {
    pub id: Uuid,
    pub hub_id: Uuid,
    pub hub_organization_id: Uuid,
    pub hub_name: String,
    pub hub_kind: HubKind,
    pub organization_id: Uuid,
    pub organization_name: String,
    pub status: MembershipStatus,
    /// 发起单位: one of the organizations that founded the hub.
    pub initiating: bool,
    pub reason: Option<String>,
    pub applied_on: NaiveDate,
    pub decided_on: Option<NaiveDate>,
}

/// What the join rules need to know, gathered by the store inside the writing
/// transaction.
#[derive(Debug, Clone)]
pub struct JoinFacts<'a> {
    pub organization_id: Uuid,
    pub organization_path: &'a str,
    pub organization_status: OrgStatus,
    pub hub_organization_id: Uuid,
    pub hub_kind: HubKind,
    pub hub_status: HubStatus,
    /// Path of the hub's jurisdiction.
    pub hub_path: &'a str,
    /// The organization's live memberships: (hub id, kind).
    pub live: &'a [(Uuid, HubKind)],
    pub hub_id: Uuid,
    /// Whether the hub's organization is already, directly or through other hubs, a
    /// member of the joining organization (joining would close a cycle).
    pub hub_is_below_organization: bool,
}

/// The membership rules (DOMAIN.md §2; issue 4). Errors name the field `hub`.
pub fn check_join(f: &JoinFacts<'_>) -> Result<(), FieldErrors> {
    let err = |zh: &str, en: &str| Err(FieldErrors::single("hub", FieldError::new(zh, en)));
    if f.organization_id == f.hub_organization_id {
        return err(
            "枢纽组织不能成为自己的成员",
            "a hub cannot be its own member",
        );
    }
    if f.hub_status != HubStatus::Recognized {
        return err(
            "该枢纽的认定已撤销",
            "this hub's recognition has been revoked",
        );
    }
    if f.organization_status == OrgStatus::Deregistered {
        return Err(FieldErrors::single("hub", deregistered_cannot_join()));
    }
    if f.live.iter().any(|(h, _)| *h == f.hub_id) {
        return Err(FieldErrors::single("hub", already_member()));
    }
    if f.hub_kind == HubKind::Regional {
        if !path_within(f.organization_path, f.hub_path) {
            return err(
                "区域性枢纽只接纳其辖区内的组织",
                "a regional hub only takes organizations within its jurisdiction",
            );
        }
        if f.live.iter().any(|(_, k)| *k == HubKind::Regional) {
            return Err(FieldErrors::single("hub", one_regional_hub()));
        }
    }
    if f.hub_is_below_organization {
        return err(
            "该枢纽已是本组织的（间接）成员，加入会形成循环",
            "that hub is already (indirectly) a member of this organization: joining would make a cycle",
        );
    }
    Ok(())
}

/// What the recognition rules need to know, gathered by the store inside the writing
/// transaction.
#[derive(Debug, Clone)]
pub struct RecognitionFacts<'a> {
    pub kind: HubKind,
    pub organization_status: OrgStatus,
    /// Path of the organization's registered jurisdiction.
    pub organization_path: &'a str,
    /// Whether the organization already holds a standing recognition.
    pub organization_recognized: bool,
    /// Level and path of the named jurisdiction; `None` when there is no such node.
    pub jurisdiction: Option<(Level, &'a str)>,
    /// Whether the node already has a standing regional hub (asked for regional hubs).
    pub jurisdiction_has_regional_hub: bool,
}

/// The recognition rules (DOMAIN.md §2): the organization is not deregistered and holds
/// no standing recognition; the jurisdiction exists; a regional hub is bound to a street
/// or a district, its organization is registered within it, and the node has no other
/// standing regional hub. Every broken rule is reported, on `organization_id` or
/// `jurisdiction` (the first per field).
pub fn check_recognition(f: &RecognitionFacts<'_>) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if f.organization_status == OrgStatus::Deregistered {
        e.add(
            "organization_id",
            FieldError::new(
                "已注销的组织不能认定为枢纽",
                "a deregistered organization cannot be recognized as a hub",
            ),
        );
    }
    if f.organization_recognized {
        e.add("organization_id", already_recognized());
    }
    match f.jurisdiction {
        None => e.add("jurisdiction", FieldError::unknown_jurisdiction()),
        Some((level, path)) if f.kind == HubKind::Regional => {
            if level == Level::Community {
                e.add(
                    "jurisdiction",
                    FieldError::new(
                        "区域性枢纽应绑定街道或区",
                        "a regional hub is bound to a street or a district",
                    ),
                );
            }
            if !path_within(f.organization_path, path) {
                e.add(
                    "organization_id",
                    FieldError::new(
                        "区域性枢纽组织须登记在其辖区内",
                        "a regional hub's organization must be registered within its jurisdiction",
                    ),
                );
            }
            if f.jurisdiction_has_regional_hub {
                e.add("jurisdiction", jurisdiction_has_regional_hub());
            }
        }
        Some(_) => {}
    }
    if e.is_empty() { Ok(()) } else { Err(e) }
}

/// The rules of a district's core 核: both names given (at most 100 characters, trimmed
/// by the caller), bound to a known district (`jurisdiction_level` is `None` when the
/// code names no node).
pub fn check_core(
    name_zh: &str,
    name_en: &str,
    jurisdiction_level: Option<Level>,
) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    for (field, v) in [("name_zh", name_zh), ("name_en", name_en)] {
        if v.is_empty() {
            e.add(field, FieldError::required());
        } else if v.chars().count() > 100 {
            e.add(
                field,
                FieldError::new("不超过100个字符", "at most 100 characters"),
            );
        }
    }
    if jurisdiction_level != Some(Level::District) {
        e.add(
            "jurisdiction",
            FieldError::new("应为已知的区", "must be a known district"),
        );
    }
    if e.is_empty() { Ok(()) } else { Err(e) }
}

// The messages of the rules that a unique index also enforces: the rules above return
// them, and the store answers the index's refusal (a race the rules lost) with the same.

/// The organization already holds a standing recognition (`organization_id`).
pub fn already_recognized() -> FieldError {
    FieldError::new(
        "该组织已被认定为枢纽",
        "this organization already holds a standing hub recognition",
    )
}

/// The node already has a standing regional hub (`jurisdiction`).
pub fn jurisdiction_has_regional_hub() -> FieldError {
    FieldError::new(
        "该行政区划已有区域性枢纽",
        "this jurisdiction already has a regional hub",
    )
}

/// A live membership of this pair exists (`hub`).
pub fn already_member() -> FieldError {
    FieldError::new(
        "已是该枢纽的成员或已提出申请",
        "already a member of this hub, or applied",
    )
}

/// The organization already has a live regional membership (`hub`).
pub fn one_regional_hub() -> FieldError {
    FieldError::new(
        "一个组织只能加入一个区域性枢纽",
        "an organization can belong to only one regional hub",
    )
}

/// A deregistered organization joins no hub, nor is approved into one (`hub`).
pub fn deregistered_cannot_join() -> FieldError {
    FieldError::new(
        "已注销的组织不能加入枢纽",
        "a deregistered organization cannot join a hub",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_paths::{MEIYUAN, SUOJIN, XUANWU};

    fn draft() -> RecognitionDraft {
        RecognitionDraft {
            kind: Some("regional".into()),
            level: Some("street".into()),
            jurisdiction: Some("320102002000".into()),
            base_body: None,
            fields: vec![],
            recognizing_body: Some("玄武区民政局".into()),
            document_number: Some("玄民〔2012〕12号".into()),
            recognized_on: Some("2012-03-01".into()),
            functions: vec!["cultivation".into(), "centralized_services".into()],
        }
    }
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn a_regional_recognition_validates() {
        let r = draft().validate(today(), Some(Level::Street)).unwrap();
        assert_eq!(r.kind, HubKind::Regional);
        assert_eq!(
            r.functions(),
            vec![HubFunction::Cultivation, HubFunction::CentralizedServices]
        );
    }

    #[test]
    fn regional_level_must_match_jurisdiction() {
        let mut d = draft();
        d.level = Some("district".into());
        let e = d.validate(today(), Some(Level::Street)).unwrap_err();
        assert!(e.get("level").is_some());
    }

    #[test]
    fn industry_hubs_need_a_base_body_and_a_field() {
        let mut d = draft();
        d.kind = Some("industry".into());
        d.level = Some("district".into());
        d.jurisdiction = Some("320102".into());
        let e = d.validate(today(), Some(Level::District)).unwrap_err();
        assert!(e.get("base_body").is_some() && e.get("fields").is_some());
        d.base_body = Some("玄武区残疾人联合会".into());
        d.fields = vec!["disability".into()];
        let r = d.validate(today(), Some(Level::District)).unwrap();
        assert_eq!(r.fields(), vec![ServiceDomain::Disability]);
    }

    #[test]
    fn bad_input_names_each_field() {
        let d = RecognitionDraft {
            kind: Some("axis".into()),
            recognized_on: Some("2999-01-01".into()),
            functions: vec!["dance".into()],
            ..Default::default()
        };
        let e = d.validate(today(), None).unwrap_err();
        for f in [
            "kind",
            "level",
            "jurisdiction",
            "recognizing_body",
            "document_number",
            "recognized_on",
            "functions",
        ] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
    }

    #[test]
    fn unknown_jurisdiction_is_reported() {
        let e = draft().validate(today(), None).unwrap_err();
        assert!(e.get("jurisdiction").is_some());
    }

    #[test]
    fn membership_state_machine() {
        use MembershipAction as A;
        use MembershipStatus as S;
        assert_eq!(A::Approve.apply(S::Pending), Some(S::Active));
        assert_eq!(A::Approve.apply(S::Active), None);
        assert_eq!(A::Reinstate.apply(S::Suspended), Some(S::Active));
        assert_eq!(A::Leave.apply(S::Pending), None);
        assert_eq!(A::Withdraw.apply(S::Pending), Some(S::Withdrawn));
        for s in MembershipStatus::ALL {
            for a in MembershipAction::ALL {
                if let Some(n) = a.apply(*s) {
                    assert!(s.is_live(), "{a} from a closed membership {s}");
                    assert_ne!(n, *s);
                }
            }
        }
        assert_eq!(
            MembershipAction::available(S::Active, Side::Hub),
            vec![A::Suspend, A::Remove]
        );
        assert_eq!(
            MembershipAction::available(S::Pending, Side::Member),
            vec![A::Withdraw]
        );
    }

    #[test]
    fn decisions_that_need_a_reason() {
        assert!(MembershipDecision::parse(Some("reject"), Some("  ")).is_err());
        assert!(MembershipDecision::parse(Some("approve"), None).is_ok());
        assert!(MembershipDecision::parse(Some("explode"), None).is_err());
        assert!(MembershipDecision::parse(None, None).is_err());
    }

    fn facts<'a>(
        live: &'a [(Uuid, HubKind)],
        hub_path: &'a str,
        org_path: &'a str,
    ) -> JoinFacts<'a> {
        JoinFacts {
            organization_id: Uuid::from_u128(1),
            organization_path: org_path,
            organization_status: OrgStatus::Active,
            hub_organization_id: Uuid::from_u128(2),
            hub_kind: HubKind::Regional,
            hub_status: HubStatus::Recognized,
            hub_path,
            live,
            hub_id: Uuid::from_u128(20),
            hub_is_below_organization: false,
        }
    }

    #[test]
    fn join_rules() {
        let org = "320000/320100/320102/320102002000/320102002001/";
        assert!(check_join(&facts(&[], MEIYUAN, org)).is_ok());
        // Regional hub of another street.
        assert!(check_join(&facts(&[], SUOJIN, org)).is_err());
        // A district-level regional hub contains the street's organizations.
        assert!(check_join(&facts(&[], XUANWU, org)).is_ok());
        // Already in a regional hub.
        let live = [(Uuid::from_u128(99), HubKind::Regional)];
        assert!(check_join(&facts(&live, MEIYUAN, org)).is_err());
        // …but any number of industry hubs.
        let live = [
            (Uuid::from_u128(97), HubKind::Industry),
            (Uuid::from_u128(98), HubKind::Industry),
        ];
        let mut f = facts(&live, XUANWU, org);
        f.hub_kind = HubKind::Industry;
        assert!(check_join(&f).is_ok());
        // Same hub twice.
        let live = [(Uuid::from_u128(20), HubKind::Industry)];
        let mut f = facts(&live, XUANWU, org);
        f.hub_kind = HubKind::Industry;
        assert!(check_join(&f).is_err());
        // Self, cycle, revoked, deregistered.
        let mut f = facts(&[], MEIYUAN, org);
        f.hub_organization_id = f.organization_id;
        assert!(check_join(&f).is_err());
        let mut f = facts(&[], MEIYUAN, org);
        f.hub_is_below_organization = true;
        assert!(check_join(&f).is_err());
        let mut f = facts(&[], MEIYUAN, org);
        f.hub_status = HubStatus::Revoked;
        assert!(check_join(&f).is_err());
        let mut f = facts(&[], MEIYUAN, org);
        f.organization_status = OrgStatus::Deregistered;
        assert!(check_join(&f).unwrap_err().get("hub").is_some());
    }

    fn recognition_facts(kind: HubKind, org_path: &str) -> RecognitionFacts<'_> {
        RecognitionFacts {
            kind,
            organization_status: OrgStatus::Active,
            organization_path: org_path,
            organization_recognized: false,
            jurisdiction: Some((Level::Street, MEIYUAN)),
            jurisdiction_has_regional_hub: false,
        }
    }

    #[test]
    fn recognition_rules() {
        let org = "320000/320100/320102/320102002000/320102002001/";
        assert!(check_recognition(&recognition_facts(HubKind::Regional, org)).is_ok());
        // Outside the street, a community node, a taken node: each on its field.
        let e = check_recognition(&recognition_facts(HubKind::Regional, SUOJIN)).unwrap_err();
        assert!(e.get("organization_id").is_some() && e.get("jurisdiction").is_none());
        let mut f = recognition_facts(HubKind::Regional, org);
        f.jurisdiction = Some((Level::Community, org));
        assert!(
            check_recognition(&f)
                .unwrap_err()
                .get("jurisdiction")
                .is_some()
        );
        let mut f = recognition_facts(HubKind::Regional, org);
        f.jurisdiction_has_regional_hub = true;
        assert_eq!(
            check_recognition(&f).unwrap_err().get("jurisdiction"),
            Some(&jurisdiction_has_regional_hub())
        );
        // An industry hub is bound anywhere, and its node may hold a regional hub.
        let mut f = recognition_facts(HubKind::Industry, SUOJIN);
        f.jurisdiction_has_regional_hub = true;
        assert!(check_recognition(&f).is_ok());
        // Unknown node; deregistered or already recognized organization.
        let mut f = recognition_facts(HubKind::Industry, org);
        f.jurisdiction = None;
        assert!(
            check_recognition(&f)
                .unwrap_err()
                .get("jurisdiction")
                .is_some()
        );
        let mut f = recognition_facts(HubKind::Industry, org);
        f.organization_recognized = true;
        assert_eq!(
            check_recognition(&f).unwrap_err().get("organization_id"),
            Some(&already_recognized())
        );
        let mut f = recognition_facts(HubKind::Industry, org);
        f.organization_status = OrgStatus::Deregistered;
        f.organization_recognized = true;
        // The first problem with a field is the one told.
        assert!(
            check_recognition(&f)
                .unwrap_err()
                .get("organization_id")
                .unwrap()
                .en
                .contains("deregistered")
        );
    }

    #[test]
    fn core_rules() {
        assert!(check_core("核", "Core", Some(Level::District)).is_ok());
        let e = check_core("", &"x".repeat(101), Some(Level::Street)).unwrap_err();
        assert!(e.get("name_zh").is_some() && e.get("name_en").is_some());
        assert!(e.get("jurisdiction").is_some());
        assert!(
            check_core("核", "Core", None)
                .unwrap_err()
                .get("jurisdiction")
                .is_some()
        );
    }
}
