//! Structure views: 一核两轴 of a district and 1+1+X of a street. They read across
//! capabilities (jurisdictions, hubs, memberships, venues), so they live here, apart
//! from each capability's own module, which never depends on them.

use serde::Serialize;
use shuniu_domain::hubs::{Hub, HubCore, HubKind, Membership};
use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_domain::parks::Venue;

use crate::hubs::{
    HUB_SELECT, HubRow, MEMBER_ORDER, MEMBERSHIP_SELECT, MembershipRow, placeholders,
};
use crate::parks::{VENUE_SELECT, VenueRow};
use crate::{Arg, Result, Store, bind_args, on_pool};

/// A street on the horizontal axis of a district's 一核两轴.
#[derive(Debug, Clone, Serialize)]
pub struct StreetAxis {
    pub street: Jurisdiction,
    /// The street's regional hub (at most one standing).
    pub hub: Option<Hub>,
    /// Live organizations registered in the street.
    pub organizations: i64,
    /// Whether the street has a service park: a venue in the street, or one its
    /// regional hub runs.
    pub park: bool,
}

/// 一核两轴 of one district, from live data.
#[derive(Debug, Clone, Serialize)]
pub struct DistrictStructure {
    pub district: Jurisdiction,
    pub core: Option<HubCore>,
    /// Regional hubs bound to the district itself (district level), if any.
    pub district_hubs: Vec<Hub>,
    /// Every street of the district, in code order, with its regional hub.
    pub streets: Vec<StreetAxis>,
    /// Standing industry hubs whose jurisdiction is the district or above it
    /// (they lead organizations in it) or within it.
    pub industry: Vec<Hub>,
    /// Live organizations in the district.
    pub organizations: i64,
}

/// 1+1+X of one street.
#[derive(Debug, Clone, Serialize)]
pub struct StreetStructure {
    pub street: Jurisdiction,
    /// The service park(s): venues in the street (the hub's first).
    pub venues: Vec<Venue>,
    /// The promotion association: the street's regional hub.
    pub hub: Option<Hub>,
    /// X: active members of the street's hub, initiating units first, then by name
    /// (at most 500; `hub.member_count` has the total).
    pub members: Vec<Membership>,
    /// Live organizations in the street (members or not).
    pub organizations: i64,
}

impl Store {
    /// `None` when the code is not a known district.
    pub async fn district_structure(
        &self,
        district_code: &str,
    ) -> Result<Option<DistrictStructure>> {
        let Some(district) = self
            .jurisdiction(district_code)
            .await?
            .filter(|j| j.level == Level::District)
        else {
            return Ok(None);
        };
        let core = self.hub_core(district_code).await?;
        let streets = self.jurisdiction_children(district_code).await?;
        let stats = self.subtree_stats_under(&district).await?;
        // Every standing hub within the district, and the industry hubs above it: one query.
        let (lo, hi) = district.subtree_range();
        let mut args = vec![Arg::Text(lo), Arg::Text(hi)];
        let ancestors: Vec<String> = {
            let codes: Vec<&str> = district.path.trim_end_matches('/').split('/').collect();
            (1..codes.len())
                .map(|n| format!("{}/", codes[..n].join("/")))
                .collect()
        };
        let above = if ancestors.is_empty() {
            String::new()
        } else {
            format!(
                " OR (h.kind = 'industry' AND h.jurisdiction_path IN ({}))",
                placeholders(&mut args, ancestors)
            )
        };
        let sql = format!(
            "{HUB_SELECT} WHERE h.status = 'recognized' AND \
             ((h.jurisdiction_path >= $1 AND h.jurisdiction_path < $2){above}) \
             ORDER BY h.jurisdiction_path, o.name, h.id"
        );
        let rows = on_pool!(self, |p| bind_args!(
            sqlx::query_as::<_, HubRow>(&sql),
            args
        )
        .fetch_all(p)
        .await)?;
        let mut district_hubs = Vec::new();
        let mut industry = Vec::new();
        let mut by_street: std::collections::HashMap<String, Hub> = Default::default();
        for row in rows {
            let hub = Hub::try_from(row)?;
            match hub.recognition.kind {
                HubKind::Industry => industry.push(hub),
                HubKind::Regional if hub.recognition.jurisdiction == district.code => {
                    district_hubs.push(hub)
                }
                HubKind::Regional => {
                    by_street.insert(hub.recognition.jurisdiction.to_string(), hub);
                }
            }
        }
        // The district's venues and those its streets' hubs run (one query), for the
        // streets without a service park.
        let (lo, hi) = district.subtree_range();
        let mut vargs = vec![Arg::Text(lo), Arg::Text(hi)];
        let hub_ids: Vec<String> = by_street
            .values()
            .map(|h| {
                vargs.push(Arg::Uuid(h.id));
                format!("${}", vargs.len())
            })
            .collect();
        let by_hub = if hub_ids.is_empty() {
            String::new()
        } else {
            format!(" OR hub_id IN ({})", hub_ids.join(", "))
        };
        let venue_sql = format!(
            "SELECT DISTINCT jurisdiction_path, hub_id FROM venues \
             WHERE (jurisdiction_path >= $1 AND jurisdiction_path < $2){by_hub}"
        );
        let venues: Vec<(String, Option<uuid::Uuid>)> = on_pool!(self, |p| bind_args!(
            sqlx::query_as::<_, (String, Option<uuid::Uuid>)>(&venue_sql),
            vargs
        )
        .fetch_all(p)
        .await)?;
        let count = |code: &str| stats.get(code).map(|s| s.organizations).unwrap_or(0);
        let streets = streets
            .into_iter()
            .map(|street| {
                let hub = by_street.remove(street.code.as_str());
                let park = venues.iter().any(|(path, hub_id)| {
                    path.starts_with(street.path.as_str())
                        || (hub_id.is_some() && *hub_id == hub.as_ref().map(|h| h.id))
                });
                StreetAxis {
                    hub,
                    organizations: count(street.code.as_str()),
                    park,
                    street,
                }
            })
            .collect();
        Ok(Some(DistrictStructure {
            organizations: count(district.code.as_str()),
            district,
            core,
            district_hubs,
            streets,
            industry,
        }))
    }

    /// `None` when the code is not a known street.
    pub async fn street_structure(&self, street_code: &str) -> Result<Option<StreetStructure>> {
        let Some(street) = self
            .jurisdiction(street_code)
            .await?
            .filter(|j| j.level == Level::Street)
        else {
            return Ok(None);
        };
        let hub_sql = format!(
            "{HUB_SELECT} WHERE h.jurisdiction_code = $1 AND h.kind = 'regional' AND h.status = 'recognized'"
        );
        let hub = on_pool!(self, |p| sqlx::query_as::<_, HubRow>(&hub_sql)
            .bind(street_code)
            .fetch_optional(p)
            .await)?
        .map(Hub::try_from)
        .transpose()?;
        let hub_id = hub.as_ref().map(|h| h.id);
        let (lo, hi) = street.subtree_range();
        // Venues in the street, and any the street's hub runs; the hub's first.
        let venue_sql = format!(
            "{VENUE_SELECT} WHERE (v.jurisdiction_path >= $1 AND v.jurisdiction_path < $2) OR v.hub_id = $3 \
             ORDER BY CASE WHEN v.hub_id = $3 THEN 0 ELSE 1 END, v.name, v.id LIMIT 100"
        );
        let venues = on_pool!(self, |p| sqlx::query_as::<_, VenueRow>(&venue_sql)
            .bind(&lo)
            .bind(&hi)
            .bind(hub_id)
            .fetch_all(p)
            .await)?
        .into_iter()
        .map(Venue::try_from)
        .collect::<Result<Vec<_>>>()?;
        let members = match hub_id {
            Some(id) => {
                let sql = format!(
                    "{MEMBERSHIP_SELECT} WHERE m.hub_id = $1 AND m.status = 'active' ORDER BY {MEMBER_ORDER} LIMIT 500"
                );
                on_pool!(self, |p| sqlx::query_as::<_, MembershipRow>(&sql)
                    .bind(id)
                    .fetch_all(p)
                    .await)?
                .into_iter()
                .map(Membership::try_from)
                .collect::<Result<Vec<_>>>()?
            }
            None => Vec::new(),
        };
        let organizations = self.subtree_stats(&street).await?.organizations;
        Ok(Some(StreetStructure {
            street,
            venues,
            hub,
            members,
            organizations,
        }))
    }
}
