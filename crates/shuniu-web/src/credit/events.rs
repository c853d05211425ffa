//! What the registration authority's official records about an organization — a
//! penalty, an order, a finding — and the removal of a listing on the organization's
//! application. The rules are the domain's (`supervision::events::EventDraft`,
//! `authority_decides`, `credit::check_*_removal`); the store applies the credit
//! rules in the same step, so a fine of ¥50,000 lists the organization at once.

use shuniu_domain::registry::Organization;
use shuniu_domain::supervision::authority_decides;
use shuniu_domain::supervision::events::EventDraft;
use shuniu_domain::supervision::registration::authority_path;
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::supervision::credit::{NewCreditEvent, StoredListing};
use shuniu_store::supervision::events::StoredEvent;
use uuid::Uuid;

use crate::auth::Caller;
use crate::{AppError, AppState, registry, today};

/// Whether this caller decides for the organization's registration authority.
pub fn is_authority(caller: &Caller, org: &Organization, org_path: &str) -> bool {
    let auth = authority_path(org.data.legal_form, org_path);
    authority_decides(caller.actor().as_ref(), &auth).is_allowed()
}

/// The organization (404 for an unknown id) and the answer to "may this caller decide
/// for its authority?".
async fn decided_by(
    s: &AppState,
    caller: &Caller,
    org_id: Uuid,
) -> Result<Organization, AppError> {
    let org = registry::get(&s.store, org_id).await?;
    let path = registry::path_of(&s.store, &org).await?;
    let auth = authority_path(org.data.legal_form, &path);
    AppError::unless_allowed(authority_decides(caller.actor().as_ref(), &auth))?;
    Ok(org)
}

/// Records an event about `org_id` and applies the credit rules at once. Returns the
/// event's id.
pub async fn record(
    s: &AppState,
    caller: &Caller,
    org_id: Uuid,
    draft: &EventDraft,
    found: FieldErrors,
) -> Result<Uuid, AppError> {
    let org = decided_by(s, caller, org_id).await?;
    let event = found
        .or_parsed(draft.validate(today()))
        .map_err(AppError::Validation)?;
    let new = NewCreditEvent {
        on: event.on,
        kind: event.kind,
        note: event.note,
    };
    let id = s
        .store
        .record_credit_event(org.id, &new, today(), &s.supervision, caller.ctx())
        .await?;
    s.refresh_credibility(org.id).await;
    Ok(id)
}

/// Every event recorded about an organization, newest first (public).
pub async fn events_of(s: &AppState, org_id: Uuid) -> Result<Vec<StoredEvent>, AppError> {
    let org = registry::get(&s.store, org_id).await?;
    Ok(s.store.credit_events_of(org.id).await?)
}

/// Removes a listing on the organization's application (the authority's decision, with
/// its reason). The domain says whether the removal is due; a refusal is a `422` on
/// `listing` with the rule's words.
pub async fn remove(
    s: &AppState,
    caller: &Caller,
    listing_id: Uuid,
    reason: Option<&str>,
    found: FieldErrors,
) -> Result<StoredListing, AppError> {
    let listing = s
        .store
        .credit_listing(listing_id)
        .await?
        .ok_or(AppError::NotFound)?;
    decided_by(s, caller, listing.organization_id).await?;
    if !found.is_empty() {
        return Err(AppError::Validation(found));
    }
    let reason = reason.map(str::trim).unwrap_or_default();
    if reason.is_empty() {
        return Err(AppError::Validation(FieldErrors::single(
            "reason",
            FieldError::required(),
        )));
    }
    if reason.chars().count() > 500 || reason.chars().any(char::is_control) {
        return Err(AppError::Validation(FieldErrors::single(
            "reason",
            FieldError::new(
                "不能超过500个字，且不能含控制字符",
                "must be at most 500 characters, without control characters",
            ),
        )));
    }
    let removed = s
        .store
        .remove_listing_on_application(listing_id, today(), reason, &s.supervision, caller.ctx())
        .await?;
    s.refresh_credibility(removed.organization_id).await;
    Ok(removed)
}
