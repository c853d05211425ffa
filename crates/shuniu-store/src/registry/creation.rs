//! A registration's `created` change, stored once.
//!
//! Most organizations are never changed after they are registered. A copy of the record
//! in a `created` change for each was the largest table of a province (595 MB of 3 GB at
//! 1,000,000 organizations, and 190 MB more for the changes' rows and indexes). So a
//! registration writes no change: while the row still holds what was registered, the
//! history reads the creation from it ([`Registered`]: `created_at`, `created_by` and
//! the registered fields). The first write that changes a registered field writes the
//! change first, in its own transaction ([`keep_creation!`]), under the organization's
//! id; from then on the history reads it like any other change.
//!
//! The registration's audit record refers to that change by the organization's id,
//! with the SHA-256 of its text, written or not. `audit verify` recomputes the text of
//! a change not written from the row, so a registered field rewritten under it is a
//! break. A trigger (migration `20261206100000`, both engines) refuses to change a
//! registered field of an organization whose creation is not written, so a writer that
//! forgets [`keep_creation!`] fails its tests instead of losing history.
//!
//! The text is computed by [`creation_text`] from the row read back. A field added to
//! [`OrganizationData`] later must therefore serialize to `null` (left out) for the
//! organizations registered before it, or its migration must write their creations
//! first.

use chrono::{DateTime, Utc};
use serde_json::Value;
use shuniu_domain::registry::{OrganizationData, ServiceDomain};

use super::OrgRow;

/// The text of a registration's change: the fields set, `{field: value}`, the diff
/// from nothing without repeating `{"from":null,"to":…}` for every field (a third of
/// the text). The domains are put in the order the row gives them back, so the text
/// computed at registration and the one computed later from the row are the same.
pub(crate) fn creation_text(d: &OrganizationData) -> String {
    let mut d = d.clone();
    d.domains = ServiceDomain::from_mask(ServiceDomain::mask(&d.domains));
    let mut fields = match serde_json::to_value(&d).expect("serializable") {
        Value::Object(m) => m,
        _ => unreachable!("a record serializes to an object"),
    };
    fields.retain(|_, v| !v.is_null());
    serde_json::to_string(&fields).expect("serializable")
}

/// An organization's row with who registered it: what its creation is read from.
#[derive(sqlx::FromRow)]
pub(crate) struct Registered {
    #[sqlx(flatten)]
    pub(crate) org: OrgRow,
    /// `None` for registrations made before the column (they have their change).
    pub(crate) created_by: Option<String>,
}

impl Registered {
    /// The columns of [`Registered`], to follow `SELECT`.
    pub(crate) fn columns() -> String {
        format!("{}, created_by", super::COLUMNS)
    }
    /// The registration's time (the row's `created_at`).
    pub(crate) fn at(&self) -> DateTime<Utc> {
        self.org.created_at
    }
}

/// Whether an organization's creation is written (an indexed read).
pub(crate) const KEPT_SELECT: &str = "SELECT id FROM organization_changes \
    WHERE organization_id = $1 AND action = 'created'";

/// Writes a creation under the organization's id; a no-op when already written, so
/// two writers racing to write it write it once.
pub(crate) const KEEP_INSERT: &str = "INSERT INTO organization_changes \
    (id, organization_id, changed_at, actor, action, changes) VALUES ($1, $1, $2, $3, 'created', $4) \
    ON CONFLICT (id) DO NOTHING";

/// Writes the creation of organization `$id` inside `$tx`, before a write that changes
/// one of its registered fields, unless it is written already: its row still holds
/// what was registered.
macro_rules! keep_creation {
    ($tx:expr, $id:expr) => {{
        let id: uuid::Uuid = $id;
        let kept: Option<uuid::Uuid> = sqlx::query_scalar($crate::registry::creation::KEPT_SELECT)
            .bind(id)
            .fetch_optional(&mut *$tx)
            .await?;
        if kept.is_none() {
            let r: $crate::registry::creation::Registered = sqlx::query_as(&format!(
                "SELECT {} FROM organizations WHERE id = $1",
                $crate::registry::creation::Registered::columns()
            ))
            .bind(id)
            .fetch_one(&mut *$tx)
            .await?;
            let at = r.at();
            let actor = r.created_by.clone().unwrap_or_default();
            let org = shuniu_domain::registry::Organization::try_from(r.org)?;
            sqlx::query($crate::registry::creation::KEEP_INSERT)
                .bind(id)
                .bind(at)
                .bind(actor)
                .bind($crate::registry::creation::creation_text(&org.data))
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use keep_creation;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use shuniu_domain::jurisdiction::JurisdictionCode;
    use shuniu_domain::registry::{LegalForm, PartyOrg, Stage};

    fn data(domains: Vec<ServiceDomain>) -> OrganizationData {
        OrganizationData {
            name: "玄武区测试社".into(),
            legal_form: LegalForm::SocialGroup,
            uscc: None,
            filing_number: None,
            domains,
            jurisdiction: JurisdictionCode::parse("320102").unwrap(),
            address: "中山路1号".into(),
            founded_on: NaiveDate::from_ymd_opt(2012, 3, 1).unwrap(),
            legal_representative: "王芳".into(),
            contact_phone: None,
            staff_full_time: 3,
            staff_part_time: 0,
            volunteers: 12,
            party_org: PartyOrg::None,
            party_members: 0,
            stage: Stage::Growth,
            grade: None,
            grade_awarded_on: None,
            is_demo: false,
        }
    }

    #[test]
    fn the_text_does_not_depend_on_the_order_domains_were_given_in() {
        let a = creation_text(&data(vec![
            ServiceDomain::Elderly,
            ServiceDomain::Disability,
        ]));
        let b = creation_text(&data(vec![
            ServiceDomain::Disability,
            ServiceDomain::Elderly,
        ]));
        assert_eq!(a, b);
        assert!(a.contains(r#""domains":["elderly","disability"]"#), "{a}");
    }

    #[test]
    fn fields_not_set_are_left_out() {
        let t = creation_text(&data(vec![]));
        assert!(!t.contains("uscc") && !t.contains("grade"), "{t}");
        assert!(t.contains("\"volunteers\":12"), "{t}");
    }
}
