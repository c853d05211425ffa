//! Figures that compare: the counts a jurisdiction's page draws as a chart beside its
//! table (organizations by service domain).

use serde::Serialize;
use shuniu_domain::jurisdiction::Jurisdiction;
use shuniu_domain::registry::ServiceDomain;

use crate::{Result, Store, on_pool};

/// Live organizations of a subtree in one service domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DomainCount {
    pub domain: ServiceDomain,
    pub organizations: i64,
}

impl Store {
    /// Live (not deregistered) organizations of `root`'s subtree in each service
    /// domain, every domain in `ServiceDomain::ALL` order, zeros included. An
    /// organization serving several domains counts in each, so the counts may add up
    /// to more than the subtree's organizations.
    ///
    /// One statement: one branch per domain glued by `UNION ALL`, each a range of the
    /// `organization_domains` key `(domain, jurisdiction_path, organization_id)` joined
    /// to the organization's row by its key for the status.
    pub async fn domain_counts(&self, root: &Jurisdiction) -> Result<Vec<DomainCount>> {
        let (lo, hi) = root.subtree_range();
        let domains = ServiceDomain::ALL;
        let sql = (0..domains.len())
            .map(|i| {
                format!(
                    "SELECT CAST({i} AS BIGINT), COUNT(*) FROM organization_domains d \
                     JOIN organizations o ON o.id = d.organization_id \
                     WHERE d.domain = ${} AND d.jurisdiction_path >= $1 AND d.jurisdiction_path < $2 \
                     AND o.status <> 'deregistered'",
                    i + 3
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let rows = on_pool!(self, |p| {
            let mut q = sqlx::query_as::<_, (i64, i64)>(&sql)
                .bind(lo.as_str())
                .bind(hi.as_str());
            for d in domains {
                q = q.bind(d.as_str());
            }
            q.fetch_all(p).await
        })?;
        // UNION ALL promises no order: each row names its branch.
        let mut counts: Vec<DomainCount> = domains
            .iter()
            .map(|d| DomainCount {
                domain: *d,
                organizations: 0,
            })
            .collect();
        for (i, n) in rows {
            if let Some(c) = usize::try_from(i).ok().and_then(|i| counts.get_mut(i)) {
                c.organizations = n;
            }
        }
        Ok(counts)
    }
}
