//! Open data (HSDS 3.0): the organizations that may offer services, each with its
//! public contact, paged by number (the API) or by id (the export, bounded memory).

use shuniu_domain::registry::Organization;
use shuniu_domain::services::PublicContact;
use uuid::Uuid;

use super::catalogue::OFFERS;
use crate::registry::{COLUMNS, OrgRow};
use crate::{Arg, Page, Paging, Result, Store, on_pool};

/// An organization of the open directory with its declared contact.
#[derive(Debug, Clone)]
pub struct DirectoryOrg {
    pub org: Organization,
    pub contact: Option<PublicContact>,
}

fn org_columns() -> String {
    COLUMNS
        .split(',')
        .map(|c| format!("o.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    async fn with_contacts(&self, orgs: Vec<Organization>) -> Result<Vec<DirectoryOrg>> {
        let mut out = Vec::with_capacity(orgs.len());
        // One read per page, not per organization.
        let ids: Vec<Uuid> = orgs.iter().map(|o| o.id).collect();
        let contacts = self.public_contacts(&ids).await?;
        for org in orgs {
            let contact = contacts
                .iter()
                .find(|(id, _)| *id == org.id)
                .map(|(_, c)| c.clone());
            out.push(DirectoryOrg { org, contact });
        }
        Ok(out)
    }

    /// One page of the directory's organizations, by name.
    pub async fn directory_organizations(
        &self,
        page: u32,
        per_page: u32,
    ) -> Result<Page<DirectoryOrg>> {
        let paging = Paging::new(page, per_page, 200);
        let args: Vec<Arg> = Vec::new();
        let count = format!("SELECT COUNT(*) FROM organizations o WHERE {}", OFFERS);
        let list = format!(
            "SELECT {} FROM organizations o WHERE {} ORDER BY o.id",
            org_columns(),
            OFFERS
        );
        let p = self
            .paged::<OrgRow, _>(
                paging,
                (&count, &args),
                (&list, &args),
                Organization::try_from,
            )
            .await?;
        Ok(Page {
            items: self.with_contacts(p.items).await?,
            total: p.total,
            page: p.page,
            per_page: p.per_page,
        })
    }

    /// Up to `limit` directory organizations with ids after `after`, in id order.
    pub async fn directory_organizations_after(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<DirectoryOrg>> {
        let sql = format!(
            "SELECT {} FROM organizations o WHERE {} AND o.id > $1 ORDER BY o.id LIMIT {}",
            org_columns(),
            OFFERS,
            limit.clamp(1, 1000)
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, OrgRow>(&sql)
            .bind(after.unwrap_or(Uuid::nil()))
            .fetch_all(p)
            .await)?;
        let orgs = rows
            .into_iter()
            .map(Organization::try_from)
            .collect::<Result<Vec<_>>>()?;
        self.with_contacts(orgs).await
    }

    /// A directory organization (`None` when unknown or not in standing).
    pub async fn directory_organization(&self, id: Uuid) -> Result<Option<DirectoryOrg>> {
        let sql = format!(
            "SELECT {} FROM organizations o WHERE o.id = $1 AND {}",
            org_columns(),
            OFFERS
        );
        let row = on_pool!(self, |p| sqlx::query_as::<_, OrgRow>(&sql)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        let Some(row) = row else { return Ok(None) };
        Ok(self
            .with_contacts(vec![Organization::try_from(row)?])
            .await?
            .pop())
    }
}
