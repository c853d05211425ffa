//! Standing, asked in one place: every capability that lets an organization do
//! something (book a room, receive an office, apply to or be added to a hub, be
//! recognized) calls [`require`] before it writes. The rule is the domain's
//! (`shuniu_domain::supervision::standing::check`); the facts are the store's
//! (`Store::standing_facts`). A refusal is a `422` on the form's organization field
//! with the domain's bilingual reason, so pages show it next to the field.

use shuniu_domain::supervision::Refusal;
use shuniu_domain::supervision::standing::{Activity, check};
use shuniu_store::Store;
use uuid::Uuid;

use crate::{AppError, today};

/// The organization field of the capabilities' forms and bodies.
pub const FIELD: &str = "organization_id";

/// A refusal as the `422` naming the organization field.
pub fn refused(r: &Refusal) -> AppError {
    AppError::Validation(r.on_field(FIELD))
}

/// May `org` do `activity` today? `Err` is the `422` naming [`FIELD`].
pub async fn require(store: &Store, org: Uuid, activity: Activity) -> Result<(), AppError> {
    let facts = store.standing_facts(org, today()).await?;
    check(&facts, activity).map_err(|r| refused(&r))
}

/// The same question for a form that gathers every field's problem first: the refusal
/// is added to `errors` on [`FIELD`] (unless that field already has one).
pub async fn gather(
    store: &Store,
    org: Uuid,
    activity: Activity,
    errors: &mut shuniu_domain::FieldErrors,
) -> Result<(), AppError> {
    let facts = store.standing_facts(org, today()).await?;
    if let Err(r) = check(&facts, activity)
        && errors.get(FIELD).is_none()
    {
        errors.add(FIELD, r.field_error());
    }
    Ok(())
}
