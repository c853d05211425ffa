//! Supervision of the registry (issue 9): change applications, annual reports,
//! assessment and grades, credit lists. The rules are the domain's
//! (`shuniu_domain::supervision`); here they are asked inside the writing transaction,
//! and what a race could break is a constraint: one open change application per
//! organization, one report per organization and year, one open grade award per
//! organization, one listing per cause.

pub mod annual;
pub mod assessment;
pub mod changes;
pub mod credit;
pub mod events;
pub mod grades;
pub mod record;

use shuniu_domain::jurisdiction::Jurisdiction;
use shuniu_domain::registry::Organization;
use shuniu_domain::supervision::registration::authority_path;
use shuniu_domain::{FieldError, FieldErrors};
use uuid::Uuid;

use crate::registry::{COLUMNS, OrgRow};
use crate::{Result, Store, StoreError, on_pool};

pub use changes::ChangeApplication;

pub(crate) fn invalid(field: &str, zh: &str, en: &str) -> StoreError {
    StoreError::Invalid(FieldErrors::single(field, FieldError::new(zh, en)))
}

pub(crate) fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("corrupt supervision row: {what}"))
}

/// `SELECT … FROM organizations WHERE id = $1`, with the row lock where there is one.
pub(crate) fn org_select(store: &Store) -> String {
    format!(
        "SELECT {COLUMNS} FROM organizations WHERE id = $1{}",
        store.row_lock(" FOR UPDATE")
    )
}

pub(crate) fn org_from(row: Option<OrgRow>) -> Result<Organization> {
    Organization::try_from(row.ok_or(StoreError::NotFound)?)
}

impl Store {
    /// The registration authority 登记管理机关 of an organization: the jurisdiction node
    /// that registered (or, for a filed organization, filed) it.
    pub async fn registration_authority(&self, org: &Organization) -> Result<Jurisdiction> {
        let j = self
            .jurisdiction(org.data.jurisdiction.as_str())
            .await?
            .ok_or_else(|| corrupt("organization without jurisdiction"))?;
        let path = authority_path(org.data.legal_form, &j.path);
        let code = path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        self.jurisdiction(&code)
            .await?
            .ok_or_else(|| corrupt("authority not in the jurisdiction tree"))
    }

    /// The live registered organization of the same registration authority that holds
    /// `name`, if any (to name the holder after a `Conflict { field: "name" }`).
    pub async fn live_name_holder(
        &self,
        shard_key: &str,
        name: &str,
    ) -> Result<Option<Organization>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM organizations WHERE shard_key = $1 AND name = $2 \
             AND status <> 'deregistered' AND legal_form <> 'community_filed'"
        );
        let row = on_pool!(self, |p| sqlx::query_as::<_, OrgRow>(&sql)
            .bind(shard_key)
            .bind(name.trim())
            .fetch_optional(p)
            .await)?;
        row.map(Organization::try_from).transpose()
    }

    /// The field error for a registration whose name is taken, naming the holder
    /// (`None` when no other live organization holds it).
    pub async fn name_taken_error(
        &self,
        jurisdiction_code: &str,
        name: &str,
        except: Option<Uuid>,
    ) -> Result<Option<FieldErrors>> {
        let Some(j) = self.jurisdiction(jurisdiction_code).await? else {
            return Ok(None);
        };
        let holder = self
            .live_name_holder(j.shard_key(), name)
            .await?
            .filter(|o| Some(o.id) != except);
        Ok(holder.map(|h| {
            let code = h
                .data
                .uscc
                .as_ref()
                .map(|u| u.to_string())
                .unwrap_or_default();
            FieldErrors::single(
                "name",
                shuniu_domain::supervision::registration::name_taken(&h.data.name, &code),
            )
        }))
    }
}
