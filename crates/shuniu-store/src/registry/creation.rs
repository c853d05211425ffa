//! A registration's `created` change, stored once.
//!
//! Most organizations are never changed after they are registered, and a copy of the
//! record in their `created` change was the largest table of a province (595 MB of
//! 3 GB at 1,000,000 organizations). So a registration leaves its change's text empty
//! ("unkept") while the row itself still holds what was registered, and the text is
//! computed from the row when it is read. The first write that changes a registered
//! field keeps the text first, in its own transaction ([`keep_creation!`]): from then
//! on the change holds it, as before.
//!
//! The audit record of the registration carries the SHA-256 of the full text either
//! way, so `audit verify` recomputes an unkept text from the row and finds a registered
//! field rewritten under it. A trigger (migration `20261206100000`, both engines)
//! refuses to change a registered field while the creation is unkept, so a writer that
//! forgets [`keep_creation!`] fails its tests instead of losing history.
//!
//! The text of an unkept creation is computed by [`creation_text`] from the row read
//! back. A field added to [`OrganizationData`] later must therefore serialize to `null`
//! (left out) for the organizations registered before it, or its migration must keep
//! their creations first.

use serde_json::Value;
use shuniu_domain::registry::{OrganizationData, ServiceDomain};

/// The stored text of an unkept creation.
pub(crate) const UNKEPT: &str = "";

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

/// The unkept creation of an organization, if it has one (an indexed read).
pub(crate) const UNKEPT_SELECT: &str = "SELECT id FROM organization_changes \
    WHERE organization_id = $1 AND action = 'created' AND changes = ''";

/// Writes the text of an unkept creation; a no-op once kept, so two writers racing
/// to keep it write it once (the second's `WHERE` no longer matches).
pub(crate) const KEEP_UPDATE: &str =
    "UPDATE organization_changes SET changes = $2 WHERE id = $1 AND changes = ''";

/// Keeps the creation of organization `$id` inside `$tx`, before a write that changes
/// one of its registered fields: if its text is still unkept, the row (which still
/// holds what was registered) is read and its text written.
macro_rules! keep_creation {
    ($tx:expr, $id:expr) => {{
        let id: uuid::Uuid = $id;
        let unkept: Option<uuid::Uuid> =
            sqlx::query_scalar($crate::registry::creation::UNKEPT_SELECT)
                .bind(id)
                .fetch_optional(&mut *$tx)
                .await?;
        if let Some(change_id) = unkept {
            let row: $crate::registry::OrgRow = sqlx::query_as(&format!(
                "SELECT {} FROM organizations WHERE id = $1",
                $crate::registry::COLUMNS
            ))
            .bind(id)
            .fetch_one(&mut *$tx)
            .await?;
            let org = shuniu_domain::registry::Organization::try_from(row)?;
            sqlx::query($crate::registry::creation::KEEP_UPDATE)
                .bind(change_id)
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
