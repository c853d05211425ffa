//! Change registration 变更登记: registered facts change only through an application
//! the registration authority decides. Which fields are registered, which an
//! organization declares itself, and which only an assessment writes, is data here
//! ([`FIELD_CLASSES`]), so the web layer's edit paths ask one table.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::{Actor, Decision, Role};
use crate::jurisdiction::path_within;
use crate::money::Fen;
use crate::registry::{
    OrganizationData, OrganizationDraft, given, labelled_enum, parse_choice, parse_note, parse_text,
};
use crate::{FieldError, FieldErrors, Lang};

labelled_enum!(
    /// A registered fact 登记事项: changes only by an approved change application.
    RegisteredField {
        Name = "name", "名称", "Name";
        LegalForm = "legal_form", "组织类型", "Legal form";
        LegalRepresentative = "legal_representative", "法定代表人", "Legal representative";
        Address = "address", "住所", "Registered address";
        BusinessScope = "business_scope", "业务范围", "Business scope";
        CompetentUnit = "competent_unit", "业务主管单位", "Competent business unit";
        RegisteredCapital = "registered_capital", "注册资金（开办资金）", "Registered capital";
        FoundedOn = "founded_on", "成立日期", "Founding date";
        Jurisdiction = "jurisdiction", "登记辖区", "Jurisdiction";
        Uscc = "uscc", "统一社会信用代码", "Unified social credit code";
        FilingNumber = "filing_number", "备案编号", "Filing number";
    }
);

labelled_enum!(
    /// How a field of an organization's record may be written.
    FieldClass {
        Registered = "registered", "登记事项（须经变更登记）", "Registered fact (change registration)";
        SelfDeclared = "self_declared", "自行申报", "Self-declared";
        Assessment = "assessment", "评估结论", "Assessment result";
        PartyBuilding = "party_building", "党建信息", "Party building";
        Status = "status", "登记状态", "Registration status";
    }
);

/// Every field of an organization's record and how it may be written. Registered facts
/// are the registration certificate's; self-declared fields are the organization's own
/// disclosure (shown as such); grades come only from assessment decisions (or the
/// authority's import of its register); party facts are kept by officials and hubs
/// (`Action::EditPartyBuilding`); status changes are the authority's decisions.
pub const FIELD_CLASSES: &[(&str, FieldClass)] = &[
    ("name", FieldClass::Registered),
    ("legal_form", FieldClass::Registered),
    ("legal_representative", FieldClass::Registered),
    ("address", FieldClass::Registered),
    ("business_scope", FieldClass::Registered),
    ("competent_unit", FieldClass::Registered),
    ("registered_capital", FieldClass::Registered),
    ("founded_on", FieldClass::Registered),
    ("jurisdiction", FieldClass::Registered),
    ("uscc", FieldClass::Registered),
    ("filing_number", FieldClass::Registered),
    ("contact_phone", FieldClass::SelfDeclared),
    ("public_hours", FieldClass::SelfDeclared),
    ("staff_full_time", FieldClass::SelfDeclared),
    ("staff_part_time", FieldClass::SelfDeclared),
    ("volunteers", FieldClass::SelfDeclared),
    ("website", FieldClass::SelfDeclared),
    ("introduction", FieldClass::SelfDeclared),
    ("domains", FieldClass::SelfDeclared),
    ("stage", FieldClass::SelfDeclared),
    ("party_org", FieldClass::PartyBuilding),
    ("party_members", FieldClass::PartyBuilding),
    ("grade", FieldClass::Assessment),
    ("grade_awarded_on", FieldClass::Assessment),
    ("status", FieldClass::Status),
];

pub fn field_class(field: &str) -> Option<FieldClass> {
    FIELD_CLASSES
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, c)| *c)
}

/// The fields an organization edits itself, marked "self-declared" where shown.
pub fn self_declared_fields() -> impl Iterator<Item = &'static str> {
    FIELD_CLASSES
        .iter()
        .filter(|(_, c)| *c == FieldClass::SelfDeclared)
        .map(|(f, _)| *f)
}

/// Asked by every direct edit (form or `PATCH`), whoever the caller: the fields it
/// changed that a direct edit may not change, each named with the way it does change.
/// Empty when the edit may go ahead.
pub fn direct_edit_refusals<'a>(changed: impl IntoIterator<Item = &'a str>) -> FieldErrors {
    let mut e = FieldErrors::new();
    for f in changed {
        let msg = match field_class(f) {
            Some(FieldClass::Registered) => FieldError::new(
                "登记事项只能通过变更登记申请，经登记管理机关核准后变更",
                "is a registered fact: it changes only by a change application approved by the registration authority",
            ),
            Some(FieldClass::Assessment) => FieldError::new(
                "评估等级只能由评估结论产生",
                "a grade is written only by an assessment decision",
            ),
            Some(FieldClass::Status) => FieldError::new(
                "登记状态由登记管理机关决定",
                "the registration status is decided by the registration authority",
            ),
            Some(FieldClass::SelfDeclared | FieldClass::PartyBuilding) => continue,
            None => FieldError::new("不是可修改的字段", "is not a field that can be changed"),
        };
        e.add(f, msg);
    }
    e
}

/// Registered facts that the organization record itself does not hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationExtras {
    pub business_scope: String,
    /// 业务主管单位, where one applies (dual management); `None` for direct registration.
    pub competent_unit: Option<String>,
    /// 注册资金 / 开办资金 in fen; filed organizations have none.
    pub registered_capital: Option<Fen>,
}

/// The value of a registered fact as stored in an application and shown to people.
pub fn current_value(
    org: &OrganizationData,
    extras: &RegistrationExtras,
    f: RegisteredField,
) -> String {
    match f {
        RegisteredField::Name => org.name.clone(),
        RegisteredField::LegalForm => org.legal_form.as_str().into(),
        RegisteredField::LegalRepresentative => org.legal_representative.clone(),
        RegisteredField::Address => org.address.clone(),
        RegisteredField::BusinessScope => extras.business_scope.clone(),
        RegisteredField::CompetentUnit => extras.competent_unit.clone().unwrap_or_default(),
        RegisteredField::RegisteredCapital => extras
            .registered_capital
            .map(|f| f.0.to_string())
            .unwrap_or_default(),
        RegisteredField::FoundedOn => org.founded_on.to_string(),
        RegisteredField::Jurisdiction => org.jurisdiction.to_string(),
        RegisteredField::Uscc => org.uscc.as_ref().map(|u| u.to_string()).unwrap_or_default(),
        RegisteredField::FilingNumber => org
            .filing_number
            .as_ref()
            .map(|f| f.to_string())
            .unwrap_or_default(),
    }
}

/// One field's change: from → to, both in [`current_value`]'s form (money in fen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: RegisteredField,
    pub from: String,
    pub to: String,
}

/// A validated change application, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeRequest {
    pub changes: Vec<FieldChange>,
    /// Descriptions of the documents handed in (resolution of the members' assembly,
    /// new articles, the legal representative's ID …): the files stay with the authority.
    pub attachments: Vec<String>,
    pub note: String,
}

/// A change application as typed or sent: field → new value (money in yuan).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeDraft {
    pub changes: BTreeMap<String, String>,
    pub attachments: Vec<String>,
    pub note: Option<String>,
}

/// The record after a set of changes: what validation checks and approval writes.
fn overlay(
    org: &OrganizationData,
    extras: &RegistrationExtras,
    changes: &[(RegisteredField, String)],
    today: NaiveDate,
) -> Result<(OrganizationData, RegistrationExtras), FieldErrors> {
    let mut draft: OrganizationDraft = org.to_draft();
    let mut ex = extras.clone();
    let mut e = FieldErrors::new();
    for (f, v) in changes {
        let v = Some(v.clone());
        match f {
            RegisteredField::Name => draft.name = v,
            RegisteredField::LegalForm => draft.legal_form = v,
            RegisteredField::LegalRepresentative => draft.legal_representative = v,
            RegisteredField::Address => draft.address = v,
            RegisteredField::FoundedOn => draft.founded_on = v,
            RegisteredField::Jurisdiction => draft.jurisdiction = v,
            RegisteredField::Uscc => draft.uscc = v,
            RegisteredField::FilingNumber => draft.filing_number = v,
            RegisteredField::BusinessScope => {
                ex.business_scope = parse_note(&mut e, f.as_str(), &v, 1000, true);
            }
            RegisteredField::CompetentUnit => {
                let s = parse_text(&mut e, f.as_str(), &v, 100, false);
                ex.competent_unit = (!s.is_empty()).then_some(s);
            }
            RegisteredField::RegisteredCapital => {
                ex.registered_capital = match given(&v) {
                    None => None,
                    Some(s) => match s.parse::<i64>().ok().map(Fen) {
                        Some(f) if f.0 >= 0 => Some(f),
                        _ => {
                            e.add(
                                f.as_str(),
                                FieldError::new(
                                    "应为不小于0的金额（分）",
                                    "must be an amount in fen, not negative",
                                ),
                            );
                            None
                        }
                    },
                };
            }
        }
    }
    let data = draft.validate(today);
    match data {
        Ok(mut d) if e.is_empty() => {
            d.is_demo = org.is_demo;
            Ok((d, ex))
        }
        Ok(_) => Err(e),
        Err(more) => {
            for (k, v) in more.0 {
                e.add(&k, v);
            }
            Err(e)
        }
    }
}

impl ChangeDraft {
    /// Checks every changed field against the current record: a known registered fact,
    /// a valid new value, different from the old one; the record as it would become
    /// must still validate as a whole (a new legal form with the old code fails here).
    pub fn validate(
        &self,
        org: &OrganizationData,
        extras: &RegistrationExtras,
        today: NaiveDate,
    ) -> Result<ChangeRequest, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut wanted: Vec<(RegisteredField, String)> = Vec::new();
        for (name, value) in &self.changes {
            let Some(f) = RegisteredField::parse(name) else {
                let mut d = direct_edit_refusals([name.as_str()]);
                if d.is_empty() {
                    d.add(
                        name,
                        FieldError::new(
                            "自行申报的信息由组织直接修改，无需变更登记",
                            "is self-declared: the organization edits it directly",
                        ),
                    );
                }
                for (k, v) in d.0 {
                    e.add(&k, v);
                }
                continue;
            };
            // Money is typed in yuan and stored in fen.
            let v = if f == RegisteredField::RegisteredCapital && !value.trim().is_empty() {
                match Fen::parse_yuan(value) {
                    Some(fen) => fen.0.to_string(),
                    None => {
                        e.add(
                            name,
                            FieldError::new(
                                "金额格式应为元，最多两位小数",
                                "must be an amount in yuan, at most 2 decimals",
                            ),
                        );
                        continue;
                    }
                }
            } else {
                value.trim().to_string()
            };
            wanted.push((f, v));
        }
        if self.changes.is_empty() {
            e.add(
                "changes",
                FieldError::new(
                    "至少变更一项登记事项",
                    "change at least one registered fact",
                ),
            );
        }
        let attachments: Vec<String> = self
            .attachments
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
            .map(String::from)
            .collect();
        if attachments.is_empty() {
            e.add(
                "attachments",
                FieldError::new(
                    "请说明随申请提交的材料（如会员大会决议、章程修正案）",
                    "describe the documents handed in (resolution, amended articles …)",
                ),
            );
        }
        for a in &attachments {
            let _ = parse_text(&mut e, "attachments", &Some(a.clone()), 200, true);
        }
        let note = parse_note(&mut e, "note", &self.note, 1000, false);
        let after = overlay(org, extras, &wanted, today);
        let (new_org, new_ex) = match after {
            Ok(x) => x,
            Err(more) => {
                for (k, v) in more.0 {
                    e.add(&k, v);
                }
                return Err(e);
            }
        };
        let mut changes = Vec::new();
        for (f, _) in &wanted {
            let from = current_value(org, extras, *f);
            let to = current_value(&new_org, &new_ex, *f);
            if from == to {
                e.add(
                    f.as_str(),
                    FieldError::new("与现登记内容相同", "is the same as registered"),
                );
            } else {
                changes.push(FieldChange {
                    field: *f,
                    from,
                    to,
                });
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        changes.sort_by_key(|c| c.field);
        Ok(ChangeRequest {
            changes,
            attachments,
            note,
        })
    }
}

/// Why an approved application cannot be applied as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyError {
    /// The record no longer holds an application's "from" value (changed since).
    Stale { field: RegisteredField },
    /// The record with the changes no longer validates.
    Invalid(FieldErrors),
}

impl ApplyError {
    pub fn refusal(&self) -> super::Refusal {
        match self {
            ApplyError::Stale { field } => super::Refusal::new(
                "change_stale",
                format!(
                    "“{}”在申请后已变更，请退回后重新申请",
                    field.label(Lang::Zh)
                ),
                format!(
                    "{} changed after the application: return it and apply again",
                    field.label(Lang::En)
                ),
            ),
            ApplyError::Invalid(e) => super::Refusal::new(
                "change_invalid",
                format!("变更后的登记信息无效：{e}"),
                format!("the record with these changes is not valid: {e}"),
            ),
        }
    }
}

/// What approval writes: the record with the changes, checked against what it holds now.
pub fn apply_changes(
    org: &OrganizationData,
    extras: &RegistrationExtras,
    changes: &[FieldChange],
    today: NaiveDate,
) -> Result<(OrganizationData, RegistrationExtras), ApplyError> {
    for c in changes {
        if current_value(org, extras, c.field) != c.from {
            return Err(ApplyError::Stale { field: c.field });
        }
    }
    let wanted: Vec<_> = changes.iter().map(|c| (c.field, c.to.clone())).collect();
    overlay(org, extras, &wanted, today).map_err(ApplyError::Invalid)
}

labelled_enum!(
    /// Where a change application stands.
    ChangeStatus {
        Submitted = "submitted", "待审核", "Submitted";
        Approved = "approved", "已核准", "Approved";
        Returned = "returned", "已退回", "Returned";
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
);

labelled_enum!(
    /// What can be done to a submitted application.
    ChangeAction {
        Approve = "approve", "核准", "Approve";
        Return = "return", "退回", "Return";
        Withdraw = "withdraw", "撤回", "Withdraw";
    }
);

impl ChangeAction {
    /// Only a submitted application moves, and only once: every outcome is final.
    pub fn apply(self, from: ChangeStatus) -> Option<ChangeStatus> {
        match (self, from) {
            (ChangeAction::Approve, ChangeStatus::Submitted) => Some(ChangeStatus::Approved),
            (ChangeAction::Return, ChangeStatus::Submitted) => Some(ChangeStatus::Returned),
            (ChangeAction::Withdraw, ChangeStatus::Submitted) => Some(ChangeStatus::Withdrawn),
            _ => None,
        }
    }
    /// Returning says why, so the organization knows what to fix.
    pub fn needs_reason(self) -> bool {
        self == ChangeAction::Return
    }
    /// Approving and returning are the authority's decisions; withdrawing the applicant's.
    pub fn by_authority(self) -> bool {
        self != ChangeAction::Withdraw
    }
}

/// A decision as typed, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeDecision {
    pub action: ChangeAction,
    pub reason: Option<String>,
}

impl ChangeDecision {
    pub fn parse(action: Option<&str>, reason: Option<&str>) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let codes: Vec<&str> = ChangeAction::ALL.iter().map(|a| a.as_str()).collect();
        let action = parse_choice(
            &mut e,
            "action",
            &action.map(String::from),
            ChangeAction::parse,
            &codes,
        );
        if action.is_none() && e.get("action").is_none() {
            e.add("action", FieldError::required());
        }
        let needs = action.is_some_and(|a| a.needs_reason());
        let reason = parse_note(&mut e, "reason", &reason.map(String::from), 500, needs);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ChangeDecision {
            action: action.expect("checked"),
            reason: (!reason.is_empty()).then_some(reason),
        })
    }
}

/// Who may submit a change application for an organization: its own staff, or an
/// official whose jurisdiction covers it (on its behalf, e.g. at the service window).
pub fn may_submit(actor: Option<&Actor>, org_id: Uuid, org_path: &str) -> Decision {
    let Some(a) = actor else {
        return Decision::Login;
    };
    let own =
        matches!(a.role, Role::OrgMember | Role::HubStaff) && a.organization_id == Some(org_id);
    let official = a.role == Role::Official
        && a.jurisdiction_path
            .as_deref()
            .is_some_and(|scope| path_within(org_path, scope));
    if own || official {
        Decision::Allow
    } else {
        Decision::Forbidden
    }
}

/// Who may act on a submitted application. Approve and return: only an official of the
/// registration authority itself — the node that registered the organization, not one
/// above or below it, and not a platform administrator (the platform keeps the register;
/// it does not decide registrations). Withdraw: whoever may submit.
pub fn may_decide(
    actor: Option<&Actor>,
    action: ChangeAction,
    authority_path: &str,
    org_id: Uuid,
    org_path: &str,
) -> Decision {
    if action.by_authority() {
        super::authority_decides(actor, authority_path)
    } else {
        may_submit(actor, org_id, org_path)
    }
}

/// Who may read an organization's change applications: whoever may submit for it (its
/// own staff, officials whose jurisdiction covers it — the authority among them) and
/// platform administrators. Anyone else is not told they exist.
pub fn may_read(actor: Option<&Actor>, org_id: Uuid, org_path: &str) -> Decision {
    match actor {
        None => Decision::Login,
        Some(a) if a.role == Role::Admin => Decision::Allow,
        Some(_) => match may_submit(actor, org_id, org_path) {
            Decision::Allow => Decision::Allow,
            _ => Decision::Hidden,
        },
    }
}

#[cfg(test)]
#[path = "changes_tests.rs"]
mod tests;
