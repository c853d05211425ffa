//! Venues 阵地: the service parks, optionally run by a hub; the paged list.

use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::jurisdiction::{JurisdictionCode, shard_key_of_path, subtree_range};
use shuniu_domain::parks::{Venue, VenueData};
use uuid::Uuid;

use super::{count, diff, unknown_jurisdiction};
use crate::audit::append_in_tx;
use crate::paging::keyset::ListQuery;
use crate::paging::{Key, unindexed};
use crate::{After, Arg, KeyChunk, Page, Result, Store, StoreError, WriteCtx, on_pool};

pub(crate) const VENUE_SELECT: &str = "SELECT v.id, v.hub_id, h.organization_id AS hub_organization_id, v.name, v.address, \
    v.jurisdiction_code, v.jurisdiction_path, v.area_m2, v.owner, v.free_of_charge, v.terms, v.utilities_waived, \
    v.obligation, v.obligation_hours_per_quarter FROM venues v LEFT JOIN hubs h ON h.id = v.hub_id";

#[derive(sqlx::FromRow)]
pub(crate) struct VenueRow {
    id: Uuid,
    hub_id: Option<Uuid>,
    hub_organization_id: Option<Uuid>,
    name: String,
    address: String,
    jurisdiction_code: String,
    jurisdiction_path: String,
    area_m2: i64,
    owner: String,
    free_of_charge: bool,
    terms: String,
    utilities_waived: bool,
    obligation: String,
    obligation_hours_per_quarter: i64,
}

impl TryFrom<VenueRow> for Venue {
    type Error = StoreError;
    fn try_from(r: VenueRow) -> Result<Self> {
        Ok(Venue {
            id: r.id,
            hub_id: r.hub_id,
            hub_organization_id: r.hub_organization_id,
            data: VenueData {
                name: r.name,
                address: r.address,
                jurisdiction: JurisdictionCode::parse(&r.jurisdiction_code).map_err(|_| {
                    StoreError::Corrupt(format!("corrupt venue row {}: jurisdiction", r.id))
                })?,
                area_m2: count(r.area_m2, "area_m2", r.id)?,
                owner: r.owner,
                free_of_charge: r.free_of_charge,
                terms: r.terms,
                utilities_waived: r.utilities_waived,
                obligation: r.obligation,
                obligation_hours_per_quarter: count(
                    r.obligation_hours_per_quarter,
                    "obligation_hours_per_quarter",
                    r.id,
                )?,
            },
            jurisdiction_path: r.jurisdiction_path,
        })
    }
}

/// Binds a venue's columns, in the order both INSERT and UPDATE name them: shard key,
/// name, address, jurisdiction code and path, area, owner, the terms, `updated_at`.
macro_rules! bind_venue {
    ($q:expr, $d:expr, $path:expr, $now:expr) => {
        $q.bind(shard_key_of_path($path))
            .bind(&$d.name)
            .bind(&$d.address)
            .bind($d.jurisdiction.as_str())
            .bind($path)
            .bind(i64::from($d.area_m2))
            .bind(&$d.owner)
            .bind($d.free_of_charge)
            .bind(&$d.terms)
            .bind($d.utilities_waived)
            .bind(&$d.obligation)
            .bind(i64::from($d.obligation_hours_per_quarter))
            .bind($now)
    };
}

impl Store {
    /// A venue, optionally run by a hub (`NotFound` for an unknown hub; `Invalid(jurisdiction)`
    /// for an unknown jurisdiction). Audited as `venue.create`.
    pub async fn create_venue(
        &self,
        hub_id: Option<Uuid>,
        data: &VenueData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Venue> {
        let ctx = ctx.into();
        let now = crate::now();
        let id = Uuid::now_v7();
        let share = self.row_lock(" FOR SHARE");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let path: String = sqlx::query_scalar("SELECT path FROM jurisdictions WHERE code = $1")
                .bind(data.jurisdiction.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(unknown_jurisdiction)?;
            let hub_org: Option<Uuid> = match hub_id {
                Some(h) => Some(
                    sqlx::query_scalar(&format!(
                        "SELECT organization_id FROM hubs WHERE id = $1{share}"
                    ))
                    .bind(h)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?,
                ),
                None => None,
            };
            let q = sqlx::query(
                "INSERT INTO venues (id, hub_id, shard_key, name, address, jurisdiction_code, jurisdiction_path, \
                 area_m2, owner, free_of_charge, terms, utilities_waived, obligation, obligation_hours_per_quarter, \
                 updated_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            );
            bind_venue!(q.bind(id).bind(hub_id), data, &path, now)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "venue.create",
                    format!("venue:{id}"),
                    Outcome::Success,
                    json!({"hub_id": hub_id, "data": data}).to_string(),
                    Some(path.clone())
                )
            );
            tx.commit().await?;
            Ok(Venue {
                id,
                hub_id,
                hub_organization_id: hub_org,
                data: data.clone(),
                jurisdiction_path: path,
            })
        })
    }

    /// Audited as `venue.update`.
    pub async fn update_venue(
        &self,
        venue_id: Uuid,
        data: &VenueData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Venue> {
        let ctx = ctx.into();
        let now = crate::now();
        let lock = self.row_lock(" FOR UPDATE OF v");
        let select = format!("{VENUE_SELECT} WHERE v.id = $1{lock}");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let before: Venue = sqlx::query_as::<_, VenueRow>(&select)
                .bind(venue_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?
                .try_into()?;
            let path: String = sqlx::query_scalar("SELECT path FROM jurisdictions WHERE code = $1")
                .bind(data.jurisdiction.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(unknown_jurisdiction)?;
            let q = sqlx::query(
                "UPDATE venues SET shard_key = $2, name = $3, address = $4, jurisdiction_code = $5, \
                 jurisdiction_path = $6, area_m2 = $7, owner = $8, free_of_charge = $9, terms = $10, \
                 utilities_waived = $11, obligation = $12, obligation_hours_per_quarter = $13, updated_at = $14 \
                 WHERE id = $1",
            );
            bind_venue!(q.bind(venue_id), data, &path, now)
                .execute(&mut *tx)
                .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "venue.update",
                    format!("venue:{venue_id}"),
                    Outcome::Success,
                    diff(&before.data, data),
                    Some(path.clone())
                )
            );
            tx.commit().await?;
            Ok(Venue {
                data: data.clone(),
                jurisdiction_path: path,
                ..before
            })
        })
    }

    pub async fn venue(&self, venue_id: Uuid) -> Result<Option<Venue>> {
        let sql = format!("{VENUE_SELECT} WHERE v.id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, VenueRow>(&sql)
            .bind(venue_id)
            .fetch_optional(p)
            .await)?;
        row.map(Venue::try_from).transpose()
    }

    /// Venues in a jurisdiction subtree and/or run by a hub, by name; a numbered page
    /// (choosers and sections that show the first few).
    pub async fn list_venues(
        &self,
        path_prefix: Option<&str>,
        hub_id: Option<Uuid>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Venue>> {
        let q = venues_list(path_prefix, hub_id);
        self.list_numbered::<VenueRow, _>(q, page, per_page, Venue::try_from)
            .await
    }

    /// One keyset page of the venues in a subtree and/or of a hub, by name, from a
    /// cursor (or the first), with a bounded total.
    pub async fn venues_page(
        &self,
        path_prefix: Option<&str>,
        hub_id: Option<Uuid>,
        at: crate::At<'_>,
        per_page: u32,
    ) -> Result<crate::KeyPage<Venue>> {
        let q = venues_list(path_prefix, hub_id);
        self.list_page::<VenueRow, _>(q, at, per_page, Venue::try_from)
            .await
    }

    /// The venues of the list's filters by name, `limit` after `after` (a download's
    /// keyset walk: no count, no skipped rows).
    pub async fn venues_chunk(
        &self,
        path_prefix: Option<&str>,
        hub_id: Option<Uuid>,
        after: Option<&After>,
        limit: u32,
    ) -> Result<KeyChunk<Venue>> {
        let q = venues_list(path_prefix, hub_id);
        self.list_chunk::<VenueRow, _>(q, after, limit, Venue::try_from)
            .await
    }

    /// The plan of a page of the venue list (see `Store::read_plan`).
    #[cfg(feature = "testing")]
    pub async fn venues_plan_for_tests(
        &self,
        path_prefix: Option<&str>,
        hub_id: Option<Uuid>,
    ) -> Result<Vec<String>> {
        self.list_plan(&venues_list(path_prefix, hub_id)).await
    }
}

/// The venue list by name. It walks `venues_name_id` (or a hub's `venues_hub_name`) with
/// the subtree as a filter: venues are few per city, so a page stops early, and no
/// subtree's venues are read whole and sorted.
fn venues_list(path_prefix: Option<&str>, hub_id: Option<Uuid>) -> ListQuery {
    const KEYS: &[(&str, Key)] = &[("v.name", Key::Text), ("v.id", Key::Uuid)];
    let (where_sql, args) = venue_where(path_prefix, hub_id);
    ListQuery::filtered(
        "venues",
        (VENUE_SELECT, "FROM venues v"),
        &where_sql,
        args,
        KEYS,
    )
}

/// The `WHERE` of the venues in a subtree and/or of a hub, with its values.
fn venue_where(path_prefix: Option<&str>, hub_id: Option<Uuid>) -> (String, Vec<Arg>) {
    let mut clauses = vec!["1 = 1".to_string()];
    let mut args = Vec::new();
    if let Some((lo, hi)) = path_prefix.map(subtree_range) {
        args.push(Arg::Text(lo));
        args.push(Arg::Text(hi));
        // No index serves the range, so the page walks the name's index.
        let path = unindexed("v.jurisdiction_path");
        clauses.push(format!(
            "{path} >= ${} AND {path} < ${}",
            args.len() - 1,
            args.len()
        ));
    }
    if let Some(h) = hub_id {
        args.push(Arg::Uuid(h));
        clauses.push(format!("v.hub_id = ${}", args.len()));
    }
    (clauses.join(" AND "), args)
}
