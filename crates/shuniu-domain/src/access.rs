//! Who may do what: roles, scopes and the one access policy every handler asks.
//!
//! The policy answers with a [`Decision`]: `Allow`; `Login` (anonymous, and an
//! account could be allowed); `Forbidden` (403: the caller may know the thing exists
//! but may not do this); `Hidden` (404: the caller may not even learn it exists).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Lang;
use crate::jurisdiction::path_within;

/// Roles of DOMAIN.md §7 plus the platform administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the platform: accounts, reference data, everything.
    Admin,
    /// Government official bound to a jurisdiction node; acts on its whole subtree.
    Official,
    /// Staff of a hub organization; acts on the hub's members and programmes.
    HubStaff,
    /// Staff of one social organization; keeps its profile.
    OrgMember,
    /// Expert: guidance and review; reads, does not administer.
    Expert,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Official,
        Role::HubStaff,
        Role::OrgMember,
        Role::Expert,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Official => "official",
            Role::HubStaff => "hub_staff",
            Role::OrgMember => "org_member",
            Role::Expert => "expert",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Admin => lang.pick("平台管理员", "Platform admin"),
            Role::Official => lang.pick("政府工作人员", "Government official"),
            Role::HubStaff => lang.pick("枢纽组织工作人员", "Hub staff"),
            Role::OrgMember => lang.pick("社会组织工作人员", "Organization member"),
            Role::Expert => lang.pick("专家", "Expert"),
        }
    }
    /// What a role must be bound to.
    pub fn binding(self) -> Binding {
        match self {
            Role::Admin | Role::Expert => Binding::None,
            Role::Official => Binding::Jurisdiction,
            Role::HubStaff | Role::OrgMember => Binding::Organization,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    None,
    Jurisdiction,
    Organization,
}

/// A signed-in caller, as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Uuid,
    pub username: String,
    pub role: Role,
    /// Officials: the path of their jurisdiction node (`320000/320100/320102/`).
    pub jurisdiction_path: Option<String>,
    /// Hub staff: their hub; organization members: their organization.
    pub organization_id: Option<Uuid>,
}

impl Actor {
    fn covers_path(&self, path: &str) -> bool {
        match &self.jurisdiction_path {
            Some(scope) => path_within(path, scope),
            None => false,
        }
    }
}

/// What is being done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read what the public may read.
    Read,
    /// See personal data (phones, ID numbers) unmasked.
    ReadPersonalData,
    Create,
    Edit,
    ChangeStatus,
    /// Browse and export the audit trail.
    ReadAudit,
    /// Verify the whole audit chain (it spans every jurisdiction: platform admins only).
    VerifyAudit,
    ManageUsers,
    ManageJurisdictions,
    /// Recognize a hub or revoke its recognition; name a district's core.
    Recognize,
    /// Run a hub: decide on memberships, keep its venues, spaces, offices and bookings.
    ManageHub,
    /// Apply to a hub, withdraw the application, or leave — for one's own organization.
    Apply,
    /// Book a shared room (or cancel the booking) for an organization.
    Book,
    /// Keep an organization's party-building facts (party organization, instructor).
    EditPartyBuilding,
    /// Keep the register of party-building instructors of a jurisdiction.
    ManageInstructors,
    /// Coverage reports (party building, hubs) with the lists of who is not covered.
    ReadReports,
}

/// What it is done to, with the facts the policy needs about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource<'a> {
    /// An organization of the public registry.
    Organization {
        id: Uuid,
        jurisdiction_path: &'a str,
        /// Hubs it is a member of (filled once hubs exist).
        hub_ids: &'a [Uuid],
    },
    /// A registration being created at this jurisdiction (`None`: not known yet —
    /// may this caller create anywhere at all?).
    NewOrganization { jurisdiction_path: Option<&'a str> },
    /// A jurisdiction node (communities are added below one).
    Jurisdiction { path: &'a str },
    /// The audit trail, or the part of it about one jurisdiction subtree.
    AuditTrail,
    /// Accounts and tokens.
    Accounts,
    /// One account, by id (an administrator's business: nobody else may learn it exists).
    Account { id: Uuid },
    /// A recognized hub: `organization_id` is the hub's own organization (the one hub
    /// staff are bound to).
    Hub {
        organization_id: Uuid,
        jurisdiction_path: &'a str,
    },
    /// A recognition being made at this jurisdiction (`None`: anywhere at all?).
    NewHub { jurisdiction_path: Option<&'a str> },
    /// One organization's membership of one hub.
    Membership {
        hub_organization_id: Uuid,
        hub_path: &'a str,
        member_id: Uuid,
    },
    /// A venue (service park) and its spaces; `hub_organization_id` runs it.
    Venue {
        hub_organization_id: Option<Uuid>,
        jurisdiction_path: &'a str,
    },
    /// A booking of a room of a venue for organization `for_org`, which belongs to the
    /// hubs `for_org_hub_ids` (organization ids of hubs, active memberships).
    Booking {
        hub_organization_id: Option<Uuid>,
        jurisdiction_path: &'a str,
        for_org: Uuid,
        for_org_hub_ids: &'a [Uuid],
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Anonymous caller: sign in first (401 / redirect to the login page).
    Login,
    /// 403
    Forbidden,
    /// 404
    Hidden,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

/// The access policy. Pure: everything it needs is in its arguments.
pub fn decide(actor: Option<&Actor>, action: Action, resource: &Resource<'_>) -> Decision {
    use Action::*;
    use Decision::*;
    // The registry is public: anyone may read it (personal data masked).
    if action == Read
        && matches!(
            resource,
            Resource::Organization { .. }
                | Resource::Jurisdiction { .. }
                | Resource::Hub { .. }
                | Resource::Venue { .. }
        )
    {
        return Allow;
    }
    let Some(a) = actor else {
        return Login;
    };
    if a.role == Role::Admin {
        return Allow;
    }
    match resource {
        Resource::Organization {
            id,
            jurisdiction_path,
            hub_ids,
        } => {
            let official = a.role == Role::Official && a.covers_path(jurisdiction_path);
            let own = a.role == Role::OrgMember && a.organization_id == Some(*id);
            let hub = a.role == Role::HubStaff
                && a.organization_id
                    .is_some_and(|h| hub_ids.contains(&h) || h == *id);
            let ok = match action {
                Read => true,
                ReadPersonalData => official || own || hub,
                Edit => official || own,
                ChangeStatus => official,
                // Hubs with a party-building role (Suojincun's workstation) keep their
                // members' party facts.
                EditPartyBuilding => official || (hub && a.organization_id != Some(*id)),
                _ => false,
            };
            if ok { Allow } else { Forbidden }
        }
        Resource::NewOrganization { jurisdiction_path } => {
            let in_scope = jurisdiction_path.is_none_or(|p| a.covers_path(p));
            if action == Create && a.role == Role::Official && in_scope {
                Allow
            } else {
                Forbidden
            }
        }
        Resource::Jurisdiction { path } => {
            let official = a.role == Role::Official && a.covers_path(path);
            let ok = match action {
                ManageJurisdictions | ManageInstructors => official,
                ReadReports => official || a.role == Role::Expert,
                _ => false,
            };
            if ok { Allow } else { Forbidden }
        }
        Resource::Hub {
            organization_id,
            jurisdiction_path,
        } => {
            let official = a.role == Role::Official && a.covers_path(jurisdiction_path);
            let staff = a.role == Role::HubStaff && a.organization_id == Some(*organization_id);
            let ok = match action {
                Recognize => official,
                ManageHub | ReadPersonalData => official || staff,
                ReadReports => official || staff || a.role == Role::Expert,
                _ => false,
            };
            if ok { Allow } else { Forbidden }
        }
        Resource::NewHub { jurisdiction_path } => {
            let in_scope = jurisdiction_path.is_none_or(|p| a.covers_path(p));
            if action == Recognize && a.role == Role::Official && in_scope {
                Allow
            } else {
                Forbidden
            }
        }
        Resource::Membership {
            hub_organization_id,
            hub_path,
            member_id,
        } => {
            let official = a.role == Role::Official && a.covers_path(hub_path);
            let staff = a.role == Role::HubStaff && a.organization_id == Some(*hub_organization_id);
            // A hub may itself join another hub: its staff act for it then.
            let member = matches!(a.role, Role::OrgMember | Role::HubStaff)
                && a.organization_id == Some(*member_id);
            let reads = official || staff || member || a.role == Role::Expert;
            let ok = match action {
                Read => reads,
                Apply => member,
                ManageHub => official || staff,
                _ => false,
            };
            // A membership is not public: who may not read it may not learn it exists.
            // (Applying names a membership that does not exist yet: nothing to hide.)
            match (ok, reads) {
                (true, _) => Allow,
                (false, false) if action != Apply => Hidden,
                (false, _) => Forbidden,
            }
        }
        Resource::Venue {
            hub_organization_id,
            jurisdiction_path,
        } => {
            let official = a.role == Role::Official && a.covers_path(jurisdiction_path);
            let staff = a.role == Role::HubStaff
                && hub_organization_id.is_some()
                && a.organization_id == *hub_organization_id;
            if matches!(action, ManageHub | ReadPersonalData) && (official || staff) {
                Allow
            } else {
                Forbidden
            }
        }
        Resource::Booking {
            hub_organization_id,
            jurisdiction_path,
            for_org,
            for_org_hub_ids,
        } => {
            let official = a.role == Role::Official && a.covers_path(jurisdiction_path);
            let staff = a.role == Role::HubStaff
                && hub_organization_id.is_some()
                && a.organization_id == *hub_organization_id;
            // Members book for their own organization, in venues of a hub it belongs to.
            let member = matches!(a.role, Role::OrgMember | Role::HubStaff)
                && a.organization_id == Some(*for_org)
                && hub_organization_id.is_some_and(|h| for_org_hub_ids.contains(&h));
            if action == Book && (official || staff || member) {
                Allow
            } else {
                Forbidden
            }
        }
        Resource::AuditTrail => {
            // Officials read the part of the trail within their jurisdiction (the store filters).
            if action == ReadAudit && a.role == Role::Official {
                Allow
            } else {
                Forbidden
            }
        }
        Resource::Accounts => Forbidden,
        // One's own account is known to one; anyone else's is not.
        Resource::Account { id } if *id == a.user_id => Forbidden,
        Resource::Account { .. } => Hidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_paths::{MEIYUAN, QINHUAI, XUANWU};

    fn actor(role: Role, path: Option<&str>, org: Option<Uuid>) -> Actor {
        Actor {
            user_id: Uuid::nil(),
            username: "u".into(),
            role,
            jurisdiction_path: path.map(String::from),
            organization_id: org,
        }
    }

    #[test]
    fn officials_act_on_their_subtree_only() {
        let o = actor(Role::Official, Some(XUANWU), None);
        let id = Uuid::now_v7();
        let inside = Resource::Organization {
            id,
            jurisdiction_path: MEIYUAN,
            hub_ids: &[],
        };
        let outside = Resource::Organization {
            id,
            jurisdiction_path: QINHUAI,
            hub_ids: &[],
        };
        assert_eq!(decide(Some(&o), Action::Edit, &inside), Decision::Allow);
        assert_eq!(
            decide(Some(&o), Action::ChangeStatus, &inside),
            Decision::Allow
        );
        assert_eq!(
            decide(Some(&o), Action::Edit, &outside),
            Decision::Forbidden
        );
        assert_eq!(
            decide(Some(&o), Action::ReadPersonalData, &outside),
            Decision::Forbidden
        );
        assert_eq!(
            decide(
                Some(&o),
                Action::Create,
                &Resource::NewOrganization {
                    jurisdiction_path: Some(MEIYUAN)
                }
            ),
            Decision::Allow
        );
        assert_eq!(
            decide(
                Some(&o),
                Action::Create,
                &Resource::NewOrganization {
                    jurisdiction_path: Some(QINHUAI)
                }
            ),
            Decision::Forbidden
        );
        // A sibling code that shares a prefix is not inside.
        let o2 = actor(
            Role::Official,
            Some("320000/320100/320102/320102002000/"),
            None,
        );
        assert_eq!(
            decide(
                Some(&o2),
                Action::Edit,
                &Resource::Organization {
                    id,
                    jurisdiction_path: "320000/320100/320102/320102002001/",
                    hub_ids: &[]
                }
            ),
            Decision::Forbidden
        );
    }

    #[test]
    fn members_edit_their_own_organization_only() {
        let mine = Uuid::now_v7();
        let m = actor(Role::OrgMember, None, Some(mine));
        let own = Resource::Organization {
            id: mine,
            jurisdiction_path: MEIYUAN,
            hub_ids: &[],
        };
        let other = Resource::Organization {
            id: Uuid::now_v7(),
            jurisdiction_path: MEIYUAN,
            hub_ids: &[],
        };
        assert_eq!(decide(Some(&m), Action::Edit, &own), Decision::Allow);
        assert_eq!(
            decide(Some(&m), Action::ChangeStatus, &own),
            Decision::Forbidden
        );
        assert_eq!(decide(Some(&m), Action::Edit, &other), Decision::Forbidden);
        assert_eq!(decide(Some(&m), Action::Read, &other), Decision::Allow);
    }

    #[test]
    fn anonymous_reads_the_public_registry_and_must_sign_in_for_the_rest() {
        let r = Resource::Organization {
            id: Uuid::now_v7(),
            jurisdiction_path: MEIYUAN,
            hub_ids: &[],
        };
        assert_eq!(decide(None, Action::Read, &r), Decision::Allow);
        assert_eq!(decide(None, Action::ReadPersonalData, &r), Decision::Login);
        assert_eq!(decide(None, Action::Edit, &r), Decision::Login);
        assert_eq!(
            decide(None, Action::ReadAudit, &Resource::AuditTrail),
            Decision::Login
        );
    }

    #[test]
    fn only_admins_manage_accounts() {
        for role in Role::ALL {
            let a = actor(role, Some(XUANWU), Some(Uuid::now_v7()));
            let d = decide(Some(&a), Action::ManageUsers, &Resource::Accounts);
            assert_eq!(d.is_allowed(), role == Role::Admin, "{role:?}");
        }
    }

    #[test]
    fn hub_staff_see_their_members_personal_data() {
        let hub = Uuid::now_v7();
        let s = actor(Role::HubStaff, None, Some(hub));
        let member = Resource::Organization {
            id: Uuid::now_v7(),
            jurisdiction_path: MEIYUAN,
            hub_ids: &[hub],
        };
        let stranger = Resource::Organization {
            id: Uuid::now_v7(),
            jurisdiction_path: MEIYUAN,
            hub_ids: &[],
        };
        assert_eq!(
            decide(Some(&s), Action::ReadPersonalData, &member),
            Decision::Allow
        );
        assert_eq!(
            decide(Some(&s), Action::ReadPersonalData, &stranger),
            Decision::Forbidden
        );
        assert_eq!(decide(Some(&s), Action::Edit, &member), Decision::Forbidden);
    }

    #[test]
    fn hubs_are_recognized_by_officials_in_scope_and_run_by_their_staff() {
        let hub_org = Uuid::now_v7();
        let hub = Resource::Hub {
            organization_id: hub_org,
            jurisdiction_path: MEIYUAN,
        };
        let xuanwu = actor(Role::Official, Some(XUANWU), None);
        let qinhuai = actor(Role::Official, Some(QINHUAI), None);
        let staff = actor(Role::HubStaff, None, Some(hub_org));
        let other_staff = actor(Role::HubStaff, None, Some(Uuid::now_v7()));
        let expert = actor(Role::Expert, None, None);
        assert!(decide(None, Action::Read, &hub).is_allowed());
        assert_eq!(decide(None, Action::ManageHub, &hub), Decision::Login);
        assert!(decide(Some(&xuanwu), Action::Recognize, &hub).is_allowed());
        assert!(!decide(Some(&qinhuai), Action::Recognize, &hub).is_allowed());
        assert!(!decide(Some(&staff), Action::Recognize, &hub).is_allowed());
        assert!(decide(Some(&staff), Action::ManageHub, &hub).is_allowed());
        assert!(!decide(Some(&other_staff), Action::ManageHub, &hub).is_allowed());
        assert!(decide(Some(&expert), Action::ReadReports, &hub).is_allowed());
        assert!(!decide(Some(&expert), Action::ManageHub, &hub).is_allowed());
        let new_here = Resource::NewHub {
            jurisdiction_path: Some(MEIYUAN),
        };
        assert!(decide(Some(&xuanwu), Action::Recognize, &new_here).is_allowed());
        assert!(!decide(Some(&qinhuai), Action::Recognize, &new_here).is_allowed());
    }

    #[test]
    fn members_apply_for_their_own_organization_only() {
        let hub_org = Uuid::now_v7();
        let org = Uuid::now_v7();
        let m = Resource::Membership {
            hub_organization_id: hub_org,
            hub_path: MEIYUAN,
            member_id: org,
        };
        let own = actor(Role::OrgMember, None, Some(org));
        let stranger = actor(Role::OrgMember, None, Some(Uuid::now_v7()));
        let staff = actor(Role::HubStaff, None, Some(hub_org));
        assert!(decide(Some(&own), Action::Apply, &m).is_allowed());
        assert!(!decide(Some(&own), Action::ManageHub, &m).is_allowed());
        assert!(!decide(Some(&stranger), Action::Apply, &m).is_allowed());
        assert!(!decide(Some(&stranger), Action::Read, &m).is_allowed());
        assert!(decide(Some(&staff), Action::ManageHub, &m).is_allowed());
        assert!(!decide(Some(&staff), Action::Apply, &m).is_allowed());
    }

    #[test]
    fn records_outside_the_callers_scope_are_hidden_not_forbidden() {
        let hub_org = Uuid::now_v7();
        let m = Resource::Membership {
            hub_organization_id: hub_org,
            hub_path: MEIYUAN,
            member_id: Uuid::now_v7(),
        };
        let stranger = actor(Role::OrgMember, None, Some(Uuid::now_v7()));
        let qinhuai = actor(Role::Official, Some(QINHUAI), None);
        let expert = actor(Role::Expert, None, None);
        // Who may not read it may not learn it exists: 404, whatever the action.
        for a in [Action::Read, Action::ManageHub] {
            assert_eq!(decide(Some(&stranger), a, &m), Decision::Hidden);
            assert_eq!(decide(Some(&qinhuai), a, &m), Decision::Hidden);
        }
        // Applying for another's organization: the application is not there yet.
        assert_eq!(
            decide(Some(&stranger), Action::Apply, &m),
            Decision::Forbidden
        );
        // Who may read it but not change it is told so: 403.
        assert_eq!(decide(Some(&expert), Action::Read, &m), Decision::Allow);
        assert_eq!(
            decide(Some(&expert), Action::ManageHub, &m),
            Decision::Forbidden
        );
        assert_eq!(decide(None, Action::Read, &m), Decision::Login);
        // Public records stay 403 outside the scope: their existence is no secret.
        let org = Resource::Organization {
            id: Uuid::now_v7(),
            jurisdiction_path: MEIYUAN,
            hub_ids: &[],
        };
        assert_eq!(
            decide(Some(&qinhuai), Action::Edit, &org),
            Decision::Forbidden
        );
        // Accounts: only admins know them; one's own is known to one.
        let other = Resource::Account { id: Uuid::now_v7() };
        assert_eq!(
            decide(Some(&expert), Action::ManageUsers, &other),
            Decision::Hidden
        );
        let own = Resource::Account { id: expert.user_id };
        assert_eq!(
            decide(Some(&expert), Action::ManageUsers, &own),
            Decision::Forbidden
        );
        let admin = actor(Role::Admin, None, None);
        assert!(decide(Some(&admin), Action::ManageUsers, &other).is_allowed());
    }

    #[test]
    fn bookings_need_membership_of_the_venues_hub() {
        let hub_org = Uuid::now_v7();
        let org = Uuid::now_v7();
        let member_of_hub = [hub_org];
        let booking = |hubs: &'static [Uuid]| Resource::Booking {
            hub_organization_id: Some(hub_org),
            jurisdiction_path: MEIYUAN,
            for_org: org,
            for_org_hub_ids: hubs,
        };
        let own = actor(Role::OrgMember, None, Some(org));
        let in_hub = Resource::Booking {
            hub_organization_id: Some(hub_org),
            jurisdiction_path: MEIYUAN,
            for_org: org,
            for_org_hub_ids: &member_of_hub,
        };
        assert!(decide(Some(&own), Action::Book, &in_hub).is_allowed());
        assert!(!decide(Some(&own), Action::Book, &booking(&[])).is_allowed());
        let staff = actor(Role::HubStaff, None, Some(hub_org));
        assert!(decide(Some(&staff), Action::Book, &booking(&[])).is_allowed());
        let other = actor(Role::OrgMember, None, Some(Uuid::now_v7()));
        assert!(!decide(Some(&other), Action::Book, &in_hub).is_allowed());
    }

    #[test]
    fn party_building_is_kept_by_officials_and_the_members_hubs() {
        let hub_org = Uuid::now_v7();
        let id = Uuid::now_v7();
        let hubs = [hub_org];
        let r = Resource::Organization {
            id,
            jurisdiction_path: MEIYUAN,
            hub_ids: &hubs,
        };
        let staff = actor(Role::HubStaff, None, Some(hub_org));
        let own = actor(Role::OrgMember, None, Some(id));
        let xuanwu = actor(Role::Official, Some(XUANWU), None);
        assert!(decide(Some(&staff), Action::EditPartyBuilding, &r).is_allowed());
        assert!(decide(Some(&xuanwu), Action::EditPartyBuilding, &r).is_allowed());
        assert!(!decide(Some(&own), Action::EditPartyBuilding, &r).is_allowed());
        let j = Resource::Jurisdiction { path: MEIYUAN };
        assert!(decide(Some(&xuanwu), Action::ReadReports, &j).is_allowed());
        assert!(decide(Some(&xuanwu), Action::ManageInstructors, &j).is_allowed());
        assert!(!decide(Some(&staff), Action::ReadReports, &j).is_allowed());
        assert_eq!(decide(None, Action::ReadReports, &j), Decision::Login);
    }

    #[test]
    fn only_admins_verify_the_whole_audit_chain() {
        let admin = actor(Role::Admin, None, None);
        let official = actor(Role::Official, Some(XUANWU), None);
        assert!(decide(Some(&admin), Action::VerifyAudit, &Resource::AuditTrail).is_allowed());
        assert!(decide(Some(&official), Action::ReadAudit, &Resource::AuditTrail).is_allowed());
        assert_eq!(
            decide(Some(&official), Action::VerifyAudit, &Resource::AuditTrail),
            Decision::Forbidden
        );
        assert_eq!(
            decide(None, Action::VerifyAudit, &Resource::AuditTrail),
            Decision::Login
        );
    }
}
