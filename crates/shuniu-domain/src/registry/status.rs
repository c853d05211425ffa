//! A stored organization and its registration status: the state machine of
//! 登记 (active ⇄ suspended, either → deregistered) and a status change.

use chrono::NaiveDate;
use serde::Serialize;

use super::{OrgStatus, OrganizationData, parse_choice, parse_date, parse_note};
use crate::{FieldError, FieldErrors};

impl OrgStatus {
    /// The registration state machine: active ⇄ suspended, either → deregistered, which is final.
    pub fn can_become(self, next: OrgStatus) -> bool {
        matches!(
            (self, next),
            (OrgStatus::Active, OrgStatus::Suspended)
                | (OrgStatus::Suspended, OrgStatus::Active)
                | (
                    OrgStatus::Active | OrgStatus::Suspended,
                    OrgStatus::Deregistered
                )
        )
    }
}

/// A stored organization: its data plus identity, status and bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organization {
    pub id: uuid::Uuid,
    #[serde(flatten)]
    pub data: OrganizationData,
    pub status: OrgStatus,
    /// Why and when the status last changed (deregistration reason and date).
    pub status_reason: Option<String>,
    pub status_changed_on: Option<NaiveDate>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A status change request, validated: reason required, date not in the future.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub status: OrgStatus,
    pub reason: String,
    pub effective_on: NaiveDate,
}

impl StatusChange {
    pub fn parse(
        status: Option<&str>,
        reason: Option<&str>,
        effective_on: Option<&str>,
        today: NaiveDate,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let codes: Vec<&str> = OrgStatus::ALL.iter().map(|s| s.as_str()).collect();
        let status = parse_choice(
            &mut e,
            "status",
            &status.map(String::from),
            OrgStatus::parse,
            &codes,
        );
        if status.is_none() && e.get("status").is_none() {
            e.add("status", FieldError::required());
        }
        let reason = parse_note(&mut e, "reason", &reason.map(String::from), 500, true);
        let effective_on = match effective_on.map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(today),
            Some(s) => parse_date(&mut e, "effective_on", s, today),
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(StatusChange {
            status: status.expect("checked"),
            reason,
            effective_on: effective_on.expect("checked"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deregistration_is_final() {
        use OrgStatus::*;
        assert!(Active.can_become(Suspended));
        assert!(Suspended.can_become(Active));
        assert!(Active.can_become(Deregistered));
        for s in OrgStatus::ALL {
            assert!(!Deregistered.can_become(*s));
            assert!(!s.can_become(*s));
        }
    }

    #[test]
    fn status_change_needs_a_reason() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let e = StatusChange::parse(Some("deregistered"), Some(" "), Some("2030-01-01"), today)
            .unwrap_err();
        assert!(e.get("reason").is_some() && e.get("effective_on").is_some());
        let ok = StatusChange::parse(Some("deregistered"), Some("自行解散"), None, today).unwrap();
        assert_eq!(ok.effective_on, today);
        assert!(
            StatusChange::parse(Some("gone"), Some("x"), None, today)
                .unwrap_err()
                .get("status")
                .is_some()
        );
    }
}
