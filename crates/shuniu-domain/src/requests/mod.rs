//! Resident requests 居民求助/需求 (issue 12, item 6): a resident, without an account,
//! submits a need; the street hub's dispatcher assigns it to an organization ranked by
//! fit; the organization accepts or declines, completes; the resident confirms and
//! rates it through a private link. The resident's phone is personal data: shown in
//! full only to the dispatcher and the assigned organization, masked everywhere else.
//!
//! Pure: the caller passes the time, the random bytes of a token and the facts of the
//! candidates.
//!
//! This module holds the state machine, its time limits and who sees and does what;
//! `submission` what the resident sends (the request, its number and private link, the
//! rating), `candidates` the ranking of organizations to assign it to.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Lang;
use crate::access::{Actor, Role};
use crate::jurisdiction::path_within;
use crate::registry::labelled_enum;

mod candidates;
mod submission;

pub use candidates::*;
pub use submission::*;

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

/// Words of the history line of a transition, for the resident's page.
pub fn history_words(t: Transition, lang: Lang) -> &'static str {
    t.label(lang)
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
    use crate::test_paths::{MEIYUAN, SUOJIN, XUANWU};
    use proptest::prelude::*;

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

    }
}
