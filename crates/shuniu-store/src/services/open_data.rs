//! Open data (HSDS 3.0): the organizations that may offer services, each with its
//! public contact, by keyset pages in id order (the API) or by id (the export, bounded
//! memory).

use shuniu_domain::registry::Organization;
use shuniu_domain::services::PublicContact;
use uuid::Uuid;

use super::catalogue::{OFFERS, offers_on_the_walk};
use crate::paging::Key;
use crate::paging::keyset::ListQuery;
use crate::registry::{COLUMNS, OrgRow};
use crate::{At, KeyPage, Result, Store, on_pool};

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

    /// One keyset page of the directory's organizations in id order, from a cursor (or
    /// an offset within the first 10,000), with a bounded total.
    pub async fn directory_organizations_page(
        &self,
        at: At<'_>,
        per_page: u32,
    ) -> Result<KeyPage<DirectoryOrg>> {
        let p = self
            .list_page::<OrgRow, _>(directory_list(), at, per_page, Organization::try_from)
            .await?;
        Ok(KeyPage {
            items: self.with_contacts(p.items).await?,
            next: p.next,
            prev: p.prev,
            total: p.total,
            per_page: p.per_page,
        })
    }

    /// The plan of a page of the directory's organizations (see `Store::read_plan`).
    #[cfg(feature = "testing")]
    pub async fn directory_plan_for_tests(&self) -> Result<Vec<String>> {
        self.list_plan(&directory_list()).await
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

/// The directory's organizations in id order, walked on the primary key (the standing
/// checked on each row it reaches: [`offers_on_the_walk`]).
fn directory_list() -> ListQuery {
    const KEYS: &[(&str, Key)] = &[("o.id", Key::Uuid)];
    let select = format!("SELECT {} FROM organizations o", org_columns());
    ListQuery::filtered(
        "directory_organizations",
        (&select, "FROM organizations o"),
        &offers_on_the_walk(),
        Vec::new(),
        KEYS,
    )
}
