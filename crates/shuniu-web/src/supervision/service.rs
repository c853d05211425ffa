//! Change registration 变更登记, shared by pages and API: parse what came in, ask the
//! domain's rules (`may_read`, `may_submit`, `may_decide`, `ChangeDraft::validate`)
//! and call the store, which decides each application once.

use shuniu_domain::access::Role;
use shuniu_domain::registry::Organization;
use shuniu_domain::supervision::changes::{
    ChangeDecision, ChangeDraft, ChangeStatus, may_decide, may_read, may_submit,
};
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::Store;
use shuniu_store::supervision::ChangeApplication;
use uuid::Uuid;

use crate::auth::Caller;
use crate::{AppError, registry, today};

/// An organization and its jurisdiction path (404 for an unknown id).
pub async fn organization(store: &Store, id: Uuid) -> Result<(Organization, String), AppError> {
    let org = registry::get(store, id).await?;
    let path = registry::path_of(store, &org).await?;
    Ok((org, path))
}

/// Whether this caller may apply for changes of this organization.
pub fn can_submit(caller: &Caller, org: &Organization, path: &str) -> bool {
    may_submit(caller.actor().as_ref(), org.id, path).is_allowed()
}

/// Whether this caller may read this organization's applications.
pub fn can_read(caller: &Caller, org: &Organization, path: &str) -> bool {
    may_read(caller.actor().as_ref(), org.id, path).is_allowed()
}

/// An organization's applications, newest first (the organization, its officials,
/// admins; anyone else gets a 404).
pub async fn applications_of(
    store: &Store,
    caller: &Caller,
    org_id: Uuid,
) -> Result<(Organization, Vec<ChangeApplication>), AppError> {
    let (org, path) = organization(store, org_id).await?;
    AppError::unless_allowed(may_read(caller.actor().as_ref(), org.id, &path))?;
    let apps = store.change_applications_of(org.id).await?;
    Ok((org, apps))
}

/// Submits a change application for `org_id` (its own staff, or an official over it).
pub async fn submit(
    store: &Store,
    caller: &Caller,
    org_id: Uuid,
    draft: &ChangeDraft,
    found: FieldErrors,
) -> Result<ChangeApplication, AppError> {
    let (org, path) = organization(store, org_id).await?;
    AppError::unless_allowed(may_submit(caller.actor().as_ref(), org.id, &path))?;
    let extras = store.registration_extras(org.id).await?;
    let req = found
        .or_parsed(draft.validate(&org.data, &extras, today()))
        .map_err(AppError::Validation)?;
    Ok(store
        .submit_change_application(org.id, &req, today(), caller.ctx())
        .await?)
}

/// One application with its organization (404 for those who may not read it).
pub async fn application(
    store: &Store,
    caller: &Caller,
    id: Uuid,
) -> Result<(ChangeApplication, Organization, String), AppError> {
    let app = store
        .change_application(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (org, path) = organization(store, app.organization_id).await?;
    AppError::unless_allowed(may_read(caller.actor().as_ref(), org.id, &path))?;
    Ok((app, org, path))
}

/// Decides an application: approve or return (the registration authority's own
/// official), withdraw (whoever may submit). The store lets it happen once.
pub async fn decide(
    store: &Store,
    search: &shuniu_search::Search,
    caller: &Caller,
    id: Uuid,
    action: Option<&str>,
    reason: Option<&str>,
    found: FieldErrors,
) -> Result<ChangeApplication, AppError> {
    let (app, org, path) = application(store, caller, id).await?;
    let decision = found
        .or_parsed(ChangeDecision::parse(action, reason))
        .map_err(AppError::Validation)?;
    AppError::unless_allowed(may_decide(
        caller.actor().as_ref(),
        decision.action,
        &app.authority_path,
        org.id,
        &path,
    ))?;
    let decided = store
        .decide_change_application(id, &decision, today(), caller.ctx())
        .await?;
    // An approval may rename or move the organization.
    crate::kit::search::organization_written(store, search, org.id).await?;
    Ok(decided)
}

/// The `status` filter of a queue (`None`: every status).
pub fn parse_status(status: Option<&str>) -> Result<Option<ChangeStatus>, FieldErrors> {
    match status.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => ChangeStatus::parse(s).map(Some).ok_or_else(|| {
            let codes: Vec<&str> = ChangeStatus::ALL.iter().map(|c| c.as_str()).collect();
            FieldErrors::single(
                "status",
                FieldError::new(
                    format!("取值无效，可选：{}", codes.join("、")),
                    format!("is not one of: {}", codes.join(", ")),
                ),
            )
        }),
    }
}

/// Whether this caller has a queue: officials (of their own node).
pub fn has_queue(caller: &Caller) -> bool {
    caller
        .user
        .as_ref()
        .is_some_and(|u| u.role == Role::Official && u.jurisdiction_code.is_some())
}

/// The calling official's queue: the applications their node decides as the
/// registration authority, oldest first, each with its organization's name (one query
/// for the names, not one per application).
pub async fn queue(
    store: &Store,
    caller: &Caller,
    status: Option<ChangeStatus>,
) -> Result<Vec<(ChangeApplication, String)>, AppError> {
    let j = queue_node(store, caller).await?;
    let apps = store.change_applications_for_authority(&j, status).await?;
    named(store, apps).await
}

/// A summary of the queue (the desk's panel): how many there are, counted in the
/// database, and the first `limit`, oldest first.
pub async fn queue_head(
    store: &Store,
    caller: &Caller,
    status: Option<ChangeStatus>,
    limit: u32,
) -> Result<(i64, Vec<(ChangeApplication, String)>), AppError> {
    let j = queue_node(store, caller).await?;
    let total = store
        .count_change_applications_for_authority(&j, status)
        .await?;
    let apps = store.change_applications_head(&j, status, limit).await?;
    Ok((total, named(store, apps).await?))
}

/// The node whose queue this caller reads: officials only (anonymous: 401; else 403).
async fn queue_node(
    store: &Store,
    caller: &Caller,
) -> Result<shuniu_domain::jurisdiction::Jurisdiction, AppError> {
    let Some(user) = &caller.user else {
        return Err(AppError::Unauthenticated);
    };
    if !has_queue(caller) {
        return Err(AppError::Forbidden);
    }
    let code = user.jurisdiction_code.as_deref().unwrap_or_default();
    store.jurisdiction(code).await?.ok_or(AppError::Forbidden)
}

/// Applications with their organizations' names (read in one query).
async fn named(
    store: &Store,
    apps: Vec<ChangeApplication>,
) -> Result<Vec<(ChangeApplication, String)>, AppError> {
    let ids: Vec<Uuid> = apps.iter().map(|a| a.organization_id).collect();
    let names = store.organization_names(&ids).await?;
    Ok(apps
        .into_iter()
        .filter_map(|a| names.get(&a.organization_id).cloned().map(|n| (a, n)))
        .collect())
}
