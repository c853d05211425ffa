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
    /// From the maintained tallies (`organization_domain_tallies`, which count each
    /// organization at every ancestor): one indexed lookup of the node's rows, whatever
    /// the size of its subtree.
    pub async fn domain_counts(&self, root: &Jurisdiction) -> Result<Vec<DomainCount>> {
        // SUM of BIGINT is NUMERIC on PostgreSQL: cast back so both drivers decode i64.
        let sql = "SELECT domain, CAST(SUM(n) AS BIGINT) FROM organization_domain_tallies \
                   WHERE jurisdiction_code = $1 AND status <> 'deregistered' GROUP BY domain";
        let rows = on_pool!(self, |p| sqlx::query_as::<_, (String, i64)>(sql)
            .bind(root.code.as_str())
            .fetch_all(p)
            .await)?;
        let mut counts: Vec<DomainCount> = ServiceDomain::ALL
            .iter()
            .map(|d| DomainCount {
                domain: *d,
                organizations: 0,
            })
            .collect();
        for (domain, n) in rows {
            if let Some(c) = counts.iter_mut().find(|c| c.domain.as_str() == domain) {
                c.organizations = n;
            }
        }
        Ok(counts)
    }
}
