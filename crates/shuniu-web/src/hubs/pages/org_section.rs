//! The "Hub memberships" section of an organization's page (`Capability::org_sections`).

use super::*;

/// A membership on an organization's page.
pub struct OrgMembershipRow {
    pub hub_href: String,
    pub hub_name: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub status_class: &'static str,
    pub initiating: bool,
    pub since: String,
    pub href: Option<String>,
}

pub struct JoinRow {
    pub hub_id: String,
    pub name: String,
    pub kind: &'static str,
}

/// The "Hub memberships" section of an organization's page.
pub struct OrgHubSection {
    pub memberships: Vec<OrgMembershipRow>,
    pub can_apply: bool,
    pub joinable: Vec<JoinRow>,
    /// The organization's own recognition, if it is a hub.
    pub own_hub: Option<(String, String)>,
    pub can_recognize: bool,
}

#[derive(Template)]
#[template(path = "hubs/org_section.html")]
pub(super) struct OrgSectionPage<'a> {
    ui: &'a Ui,
    id: String,
    hubs: OrgHubSection,
}

/// The "Hub memberships" section of an organization's page, rendered
/// (`Capability::org_sections`).
pub fn org_section<'a>(
    s: &'a AppState,
    ui: &'a Ui,
    caller: &'a Caller,
    org: &'a shuniu_domain::registry::Organization,
    org_path: &'a str,
) -> crate::kit::capability::SectionFuture<'a> {
    Box::pin(async move {
        let hubs = org_hub_section(s, ui, caller, org, org_path).await?;
        let page = OrgSectionPage {
            ui,
            id: org.id.to_string(),
            hubs,
        };
        page.render()
            .map_err(|e| AppError::Internal(format!("template failed to render: {e}")))
    })
}

pub(super) async fn org_hub_section(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    org: &shuniu_domain::registry::Organization,
    org_path: &str,
) -> Result<OrgHubSection, AppError> {
    let lang = ui.lang;
    let ms = hubs::memberships_of(&s.store, caller, org.id).await?;
    let memberships = ms
        .iter()
        .map(|(m, h)| OrgMembershipRow {
            hub_href: format!("/hubs/{}", m.hub_id),
            hub_name: m.hub_name.clone(),
            kind: m.hub_kind.label(lang),
            status: m.status.label(lang),
            status_class: status_class(m.status),
            initiating: m.initiating,
            since: view::date(lang, m.decided_on.unwrap_or(m.applied_on)),
            href: hubs::may_membership(caller, Action::Read, h, m.organization_id)
                .then(|| format!("/memberships/{}", m.id)),
        })
        .collect();
    // Own staff (and admins) apply for the organization; a nil hub is no hub's.
    let can_apply = caller.user.is_some()
        && org.status != shuniu_domain::registry::OrgStatus::Deregistered
        && caller
            .decide(
                Action::Apply,
                &Resource::Membership {
                    hub_organization_id: Uuid::nil(),
                    hub_path: "",
                    member_id: org.id,
                },
            )
            .is_allowed();
    let joinable = if can_apply {
        hubs::joinable_hubs(&s.store, org, org_path, &ms)
            .await?
            .iter()
            .map(|h| JoinRow {
                hub_id: h.id.to_string(),
                name: h.organization_name.clone(),
                kind: h.recognition.kind.label(lang),
            })
            .collect()
    } else {
        vec![]
    };
    let own_hub = s.store.hub_of_organization(org.id).await?.map(|h| {
        (
            format!("/hubs/{}", h.id),
            h.recognition.kind.label(lang).to_string(),
        )
    });
    let can_recognize = own_hub.is_none()
        && caller
            .decide(
                Action::Recognize,
                &Resource::NewHub {
                    jurisdiction_path: Some(org_path),
                },
            )
            .is_allowed();
    Ok(OrgHubSection {
        memberships,
        can_apply,
        joinable,
        own_hub,
        can_recognize,
    })
}
