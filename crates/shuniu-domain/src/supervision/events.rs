//! Events an official of the registration authority records about an organization —
//! a penalty, an order, a finding (DOMAIN.md §5) — as typed into a form or a JSON body.
//! What an event causes (a listing, a removal) is [`super::credit::supervise`]'s
//! business; here it is only made well formed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::money::Fen;
use crate::registry::{given, labelled_enum, parse_choice, parse_date, parse_note};
use crate::{FieldError, FieldErrors, Lang};

use super::credit::EventKind;

labelled_enum!(
    /// The kinds of event an official records (the codes `EventKind::code` stores).
    EventCode {
        Warning = "warning", "警告", "Warning";
        Fine = "fine", "罚款", "Fine";
        SuspendOrder = "suspend_order", "限期停止活动", "Ordered to suspend activities";
        Revocation = "revocation", "撤销登记", "Registration revoked";
        CourtDishonestDebtor = "court_dishonest_debtor", "纳入失信被执行人名单", "Put on the courts' list of dishonest debtors";
        FalseChangeRevoked = "false_change_revoked", "弄虚作假变更登记被撤销", "Falsified change registration revoked";
        CorrectionOrdered = "correction_ordered", "责令限期整改", "Corrections ordered";
        CorrectionDone = "correction_done", "整改完成", "Corrections done";
        Unreachable = "unreachable", "登记住所无法联系", "Unreachable at the registered address";
        Reachable = "reachable", "恢复联系", "Reachable again";
        PartyOrgMissing = "party_org_missing", "未按规定设立党组织", "Party organization not set up";
        PartyOrgSetUp = "party_org_set_up", "已设立党组织", "Party organization set up";
    }
);

impl EventCode {
    /// The code of a stored event's kind.
    pub fn of(kind: &EventKind) -> EventCode {
        EventCode::parse(kind.code()).expect("every kind has a code")
    }
}

/// An event as typed. `amount` (yuan) only for a fine, `due_on` only for a correction
/// order, `refers_to` (the order's id) only for corrections done.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct EventDraft {
    pub kind: Option<String>,
    pub occurred_on: Option<String>,
    pub amount: Option<String>,
    pub due_on: Option<String>,
    pub refers_to: Option<String>,
    /// Document number and what happened (e.g. 玄民罚字〔2026〕3号).
    pub note: Option<String>,
}

/// A well-formed event: when, what, and its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidEvent {
    pub on: NaiveDate,
    pub kind: EventKind,
    pub note: String,
}

/// The fields of the form and the body, in order.
pub const EVENT_FIELDS: [&str; 6] = [
    "kind",
    "occurred_on",
    "amount",
    "due_on",
    "refers_to",
    "note",
];

impl EventDraft {
    /// Checks every field; all problems at once.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidEvent, FieldErrors> {
        let mut e = FieldErrors::new();
        let codes: Vec<&str> = EventCode::ALL.iter().map(|c| c.as_str()).collect();
        let code = parse_choice(&mut e, "kind", &self.kind, EventCode::parse, &codes);
        if code.is_none() && e.get("kind").is_none() {
            e.add("kind", FieldError::required());
        }
        let on = match given(&self.occurred_on) {
            None => {
                e.add("occurred_on", FieldError::required());
                None
            }
            Some(s) => parse_date(&mut e, "occurred_on", s, today),
        };
        let note = parse_note(&mut e, "note", &self.note, 500, true);
        let unexpected = |e: &mut FieldErrors, field: &str| {
            e.add(
                field,
                FieldError::new("此类事件不填写该项", "does not apply to this kind of event"),
            );
        };
        let kind = match code {
            None => None,
            Some(EventCode::Fine) => match given(&self.amount) {
                None => {
                    e.add("amount", FieldError::required());
                    None
                }
                Some(s) => match Fen::parse_yuan(s) {
                    Some(f) if f.0 > 0 => Some(EventKind::Fine { amount: f }),
                    _ => {
                        e.add(
                            "amount",
                            FieldError::new(
                                "应为大于零的金额（元，最多两位小数）",
                                "must be an amount above zero (yuan, at most 2 decimals)",
                            ),
                        );
                        None
                    }
                },
            },
            Some(EventCode::CorrectionOrdered) => match given(&self.due_on) {
                None => {
                    e.add("due_on", FieldError::required());
                    None
                }
                Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                    Ok(due) if on.is_none_or(|on| due > on) => {
                        Some(EventKind::CorrectionOrdered { due })
                    }
                    Ok(_) => {
                        e.add(
                            "due_on",
                            FieldError::new(
                                "整改期限应晚于通知日期",
                                "must be after the date of the order",
                            ),
                        );
                        None
                    }
                    Err(_) => {
                        e.add(
                            "due_on",
                            FieldError::new("日期格式应为 YYYY-MM-DD", "must be a date YYYY-MM-DD"),
                        );
                        None
                    }
                },
            },
            Some(EventCode::CorrectionDone) => match given(&self.refers_to) {
                None => {
                    e.add("refers_to", FieldError::required());
                    None
                }
                Some(s) => match Uuid::parse_str(s) {
                    Ok(order) => Some(EventKind::CorrectionDone { order }),
                    Err(_) => {
                        e.add(
                            "refers_to",
                            FieldError::new(
                                "应为整改通知的编号",
                                "must be the id of a correction order",
                            ),
                        );
                        None
                    }
                },
            },
            Some(c) => Some(match c {
                EventCode::Warning => EventKind::Warning,
                EventCode::SuspendOrder => EventKind::SuspendOrder,
                EventCode::Revocation => EventKind::Revocation,
                EventCode::CourtDishonestDebtor => EventKind::CourtDishonestDebtor,
                EventCode::FalseChangeRevoked => EventKind::FalseChangeRevoked,
                EventCode::Unreachable => EventKind::Unreachable,
                EventCode::Reachable => EventKind::Reachable,
                EventCode::PartyOrgMissing => EventKind::PartyOrgMissing,
                _ => EventKind::PartyOrgSetUp,
            }),
        };
        // A detail that belongs to another kind is refused, not silently dropped.
        if let Some(c) = code {
            if c != EventCode::Fine && given(&self.amount).is_some() {
                unexpected(&mut e, "amount");
            }
            if c != EventCode::CorrectionOrdered && given(&self.due_on).is_some() {
                unexpected(&mut e, "due_on");
            }
            if c != EventCode::CorrectionDone && given(&self.refers_to).is_some() {
                unexpected(&mut e, "refers_to");
            }
        }
        match (kind, on) {
            (Some(kind), Some(on)) if e.is_empty() => Ok(ValidEvent { on, kind, note }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    fn draft(kind: &str) -> EventDraft {
        EventDraft {
            kind: Some(kind.into()),
            occurred_on: Some("2026-11-02".into()),
            note: Some("玄民罚字〔2026〕3号".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_fine_needs_a_positive_amount_in_yuan() {
        let mut d = draft("fine");
        assert!(d.validate(today()).unwrap_err().get("amount").is_some());
        d.amount = Some("0".into());
        assert!(d.validate(today()).unwrap_err().get("amount").is_some());
        d.amount = Some("60000.5".into());
        let v = d.validate(today()).unwrap();
        assert_eq!(
            v.kind,
            EventKind::Fine {
                amount: Fen(6_000_050)
            }
        );
        assert_eq!(v.on, NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
    }

    #[test]
    fn every_kind_maps_to_its_stored_code() {
        for c in EventCode::ALL {
            let mut d = draft(c.as_str());
            match c {
                EventCode::Fine => d.amount = Some("100".into()),
                EventCode::CorrectionOrdered => d.due_on = Some("2026-12-31".into()),
                EventCode::CorrectionDone => d.refers_to = Some(Uuid::nil().to_string()),
                _ => {}
            }
            let v = d.validate(today()).unwrap();
            assert_eq!(EventCode::of(&v.kind), *c);
        }
    }

    #[test]
    fn bad_fields_are_all_named() {
        let d = EventDraft {
            kind: Some("praise".into()),
            occurred_on: Some("2027-01-01".into()),
            note: None,
            ..Default::default()
        };
        let e = d.validate(today()).unwrap_err();
        for f in ["kind", "occurred_on", "note"] {
            assert!(e.get(f).is_some(), "{f} named");
        }
        let mut d = draft("warning");
        d.amount = Some("100".into());
        d.due_on = Some("2026-12-01".into());
        let e = d.validate(today()).unwrap_err();
        assert!(e.get("amount").is_some() && e.get("due_on").is_some());
        let mut d = draft("correction_ordered");
        d.due_on = Some("2026-11-01".into());
        assert!(d.validate(today()).unwrap_err().get("due_on").is_some());
    }
}
