//! What the search index (`shuniu-search`, kept by the web layer) reads of the registry
//! and the service catalogue: one record after a write, or the whole set in keyset chunks
//! for a rebuild (bounded memory, each chunk one indexed range of the primary key).

use chrono::{DateTime, Utc};
use shuniu_domain::registry::ServiceDomain;
use uuid::Uuid;

use crate::{Result, Store, on_pool};

/// An organization as the index holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgForIndex {
    pub id: Uuid,
    pub name: String,
    pub domains: Vec<ServiceDomain>,
    pub jurisdiction_path: String,
    pub status: String,
}

/// A service as the index holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceForIndex {
    pub id: Uuid,
    pub name: String,
    pub category: Option<ServiceDomain>,
    pub target_group: String,
    pub eligibility: String,
    pub organization_name: String,
    pub jurisdiction_path: String,
    pub status: String,
}

type OrgTuple = (Uuid, String, i64, String, String);
type OrgSinceTuple = (Uuid, String, i64, String, String, DateTime<Utc>);
type ServiceTuple = (Uuid, String, String, String, String, String, String, String);

const ORG_SELECT: &str =
    "SELECT id, name, domains_mask, jurisdiction_path, status FROM organizations";
const SERVICE_SELECT: &str = "SELECT s.id, s.name, s.category, s.target_group, s.eligibility, o.name, \
    s.jurisdiction_path, s.status FROM services s JOIN organizations o ON o.id = s.organization_id";

fn org((id, name, mask, jurisdiction_path, status): OrgTuple) -> OrgForIndex {
    OrgForIndex {
        id,
        name,
        domains: ServiceDomain::from_mask(mask),
        jurisdiction_path,
        status,
    }
}

fn service(t: ServiceTuple) -> ServiceForIndex {
    let (
        id,
        name,
        category,
        target_group,
        eligibility,
        organization_name,
        jurisdiction_path,
        status,
    ) = t;
    ServiceForIndex {
        id,
        name,
        category: ServiceDomain::parse(&category),
        target_group,
        eligibility,
        organization_name,
        jurisdiction_path,
        status,
    }
}

impl Store {
    /// One organization as the index holds it; `None` if there is none.
    pub async fn organization_for_index(&self, id: Uuid) -> Result<Option<OrgForIndex>> {
        let sql = format!("{ORG_SELECT} WHERE id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, OrgTuple>(&sql)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        Ok(row.map(org))
    }

    /// Up to `limit` organizations with ids after `after`, in id order.
    pub async fn organizations_for_index(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<OrgForIndex>> {
        let sql = format!(
            "{ORG_SELECT} WHERE id > $1 ORDER BY id LIMIT {}",
            limit.clamp(1, 5000)
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, OrgTuple>(&sql)
            .bind(after.unwrap_or(Uuid::nil()))
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().map(org).collect())
    }

    /// Up to `limit` organizations written at or after `since` (their `updated_at`), in
    /// (`updated_at`, id) order after `after` (the last one read): what a start re-reads
    /// for an index that may have missed the last writes before a stop. A range of the
    /// `updated_at` index, so its cost is what was written since, not the registry.
    pub async fn organizations_for_index_since(
        &self,
        since: DateTime<Utc>,
        after: Option<(DateTime<Utc>, Uuid)>,
        limit: u32,
    ) -> Result<Vec<(DateTime<Utc>, OrgForIndex)>> {
        let sql = format!(
            "SELECT id, name, domains_mask, jurisdiction_path, status, updated_at FROM organizations \
             WHERE updated_at >= $1 AND (updated_at > $2 OR (updated_at = $2 AND id > $3)) \
             ORDER BY updated_at, id LIMIT {}",
            limit.clamp(1, 5000)
        );
        let (from, id) = after.unwrap_or((since, Uuid::nil()));
        let rows = on_pool!(self, |p| sqlx::query_as::<_, OrgSinceTuple>(&sql)
            .bind(since)
            .bind(from)
            .bind(id)
            .fetch_all(p)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, mask, path, status, at)| (at, org((id, name, mask, path, status))))
            .collect())
    }

    /// The services of the organizations `ids`, as the index holds them (a service's
    /// document carries its organization's name).
    pub async fn services_for_index_of(&self, ids: &[Uuid]) -> Result<Vec<ServiceForIndex>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!(
            "{SERVICE_SELECT} WHERE s.organization_id IN ({}) ORDER BY s.id",
            crate::bulk::in_marks(ids.len())
        );
        let args: Vec<crate::Arg> = ids.iter().map(|id| crate::Arg::Uuid(*id)).collect();
        let rows = on_pool!(self, |p| crate::bind_args!(
            sqlx::query_as::<_, ServiceTuple>(&sql),
            args
        )
        .fetch_all(p)
        .await)?;
        Ok(rows.into_iter().map(service).collect())
    }

    /// One service as the index holds it; `None` if there is none.
    pub async fn service_for_index(&self, id: Uuid) -> Result<Option<ServiceForIndex>> {
        let sql = format!("{SERVICE_SELECT} WHERE s.id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, ServiceTuple>(&sql)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        Ok(row.map(service))
    }

    /// Up to `limit` services with ids after `after`, in id order.
    pub async fn services_for_index(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<ServiceForIndex>> {
        let sql = format!(
            "{SERVICE_SELECT} WHERE s.id > $1 ORDER BY s.id LIMIT {}",
            limit.clamp(1, 5000)
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, ServiceTuple>(&sql)
            .bind(after.unwrap_or(Uuid::nil()))
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().map(service).collect())
    }
}
