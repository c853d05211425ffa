//! Services: written by the organization (or the authority over it), read on its page,
//! in the public list and as open data.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use shuniu_domain::FieldError;
use shuniu_domain::audit::Outcome;
use shuniu_domain::jurisdiction::{JurisdictionCode, subtree_range};
use shuniu_domain::money::Fen;
use shuniu_domain::places::{Nearness, near_scopes};
use shuniu_domain::registry::{OrgStatus, ServiceDomain};
use shuniu_domain::services::{Place, PlaceKind, ServiceData, ServiceStatus, unknown_venue};
use uuid::Uuid;

use crate::audit::append_in_tx;
use crate::paging::keyset::ListQuery;
use crate::paging::{Key, unindexed};
use crate::{After, Arg, KeyChunk, Result, Store, StoreError, WriteCtx, on_pool};

/// A stored service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub data: ServiceData,
    /// Where it is given: the node's code and path.
    pub jurisdiction_code: String,
    pub jurisdiction_path: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A service with what a list shows beside it (one join, no lookups per row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceListing {
    pub service: Service,
    pub organization_name: String,
    pub jurisdiction_name_zh: String,
    pub jurisdiction_name_en: String,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    /// How near the resident's community it is given, when the list was asked
    /// nearest-first ([`ServiceFilter::near`]).
    pub nearness: Option<Nearness>,
}

/// The public list's filters.
#[derive(Debug, Clone, Default)]
pub struct ServiceFilter {
    pub category: Option<ServiceDomain>,
    /// A jurisdiction path: services given there and below.
    pub jurisdiction_path: Option<String>,
    pub organization_id: Option<Uuid>,
    /// The path of the resident's community: the list keeps to its district and sorts
    /// the same community first, then the same street, then the rest of the district.
    pub near: Option<String>,
    /// Only these services (the search index's hits, best first), listed in this order
    /// (before nearness). At most [`crate::MAX_RANKED_IDS`]; empty: nothing.
    pub ids: Option<Vec<Uuid>>,
    pub page: u32,
    pub per_page: u32,
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: Uuid,
    organization_id: Uuid,
    name: String,
    category: String,
    target_group: String,
    eligibility: String,
    place_kind: String,
    venue_id: Option<Uuid>,
    jurisdiction_code: String,
    jurisdiction_path: String,
    schedule: String,
    fee_fen: i64,
    capacity: Option<i64>,
    status: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ListingRow {
    #[sqlx(flatten)]
    service: ServiceRow,
    organization_name: String,
    jurisdiction_name_zh: String,
    jurisdiction_name_en: String,
    venue_name: Option<String>,
    venue_address: Option<String>,
    /// 0 same community, 1 same street, 2 same district (only in a nearest-first list).
    #[sqlx(default)]
    nearness_rank: Option<i64>,
}

const COLUMNS: &str = "id, organization_id, name, category, target_group, eligibility, place_kind, venue_id, \
    jurisdiction_code, jurisdiction_path, schedule, fee_fen, capacity, status, created_at, updated_at";

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("corrupt service row: {what}"))
}

impl TryFrom<ServiceRow> for Service {
    type Error = StoreError;
    fn try_from(r: ServiceRow) -> Result<Self> {
        let place = match PlaceKind::parse(&r.place_kind).ok_or_else(|| corrupt("place"))? {
            PlaceKind::Venue => Place::Venue {
                venue_id: r.venue_id.ok_or_else(|| corrupt("venue"))?,
            },
            PlaceKind::Community => Place::Community {
                jurisdiction: JurisdictionCode::parse(&r.jurisdiction_code)
                    .map_err(|_| corrupt("jurisdiction"))?,
            },
            PlaceKind::Home => Place::Home,
        };
        Ok(Service {
            id: r.id,
            organization_id: r.organization_id,
            data: ServiceData {
                name: r.name,
                category: ServiceDomain::parse(&r.category).ok_or_else(|| corrupt("category"))?,
                target_group: r.target_group,
                eligibility: r.eligibility,
                place,
                schedule: r.schedule,
                fee: Fen(r.fee_fen),
                capacity: r
                    .capacity
                    .map(|c| u32::try_from(c).map_err(|_| corrupt("capacity")))
                    .transpose()?,
                status: ServiceStatus::parse(&r.status).ok_or_else(|| corrupt("status"))?,
            },
            jurisdiction_code: r.jurisdiction_code,
            jurisdiction_path: r.jurisdiction_path,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

impl TryFrom<ListingRow> for ServiceListing {
    type Error = StoreError;
    fn try_from(r: ListingRow) -> Result<Self> {
        Ok(ServiceListing {
            service: Service::try_from(r.service)?,
            organization_name: r.organization_name,
            jurisdiction_name_zh: r.jurisdiction_name_zh,
            jurisdiction_name_en: r.jurisdiction_name_en,
            venue_name: r.venue_name,
            venue_address: r.venue_address,
            nearness: r.nearness_rank.and_then(Nearness::from_rank),
        })
    }
}

fn invalid(field: &str, e: FieldError) -> StoreError {
    StoreError::Invalid(shuniu_domain::FieldErrors::single(field, e))
}

/// The listing's `SELECT … FROM … JOIN …`, columns qualified.
fn listing_select() -> String {
    let cols = COLUMNS
        .split(", ")
        .map(|c| format!("s.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT {cols}, o.name AS organization_name, j.name_zh AS jurisdiction_name_zh, \
         j.name_en AS jurisdiction_name_en, v.name AS venue_name, v.address AS venue_address \
         FROM services s JOIN organizations o ON o.id = s.organization_id \
         JOIN jurisdictions j ON j.code = s.jurisdiction_code \
         LEFT JOIN venues v ON v.id = s.venue_id"
    )
}

/// The SQL form of `services::may_offer` (the standing rule for offering services):
/// the organization is active and not on the serious list. A domain test keeps the
/// two in step (`may_offer` refuses exactly suspended, deregistered and serious).
pub(crate) const OFFERS: &str = "o.status = 'active' AND NOT EXISTS (SELECT 1 FROM credit_listings l \
     WHERE l.organization_id = o.id AND l.list_kind = 'serious' AND l.removed_on IS NULL)";

/// [`OFFERS`] with the organization's status [`unindexed`]: no index serves it, so a
/// list in another order is driven from that order's index (not from every active
/// organization, sorted).
pub(crate) fn offers_on_the_walk() -> String {
    OFFERS.replacen("o.status =", &format!("{} =", unindexed("o.status")), 1)
}

impl Store {
    /// Adds a service to `organization_id`'s catalogue (not to a deregistered one: 409).
    pub async fn create_service(
        &self,
        organization_id: Uuid,
        d: &ServiceData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Service> {
        self.write_service(None, organization_id, d, ctx.into())
            .await
    }

    /// Replaces service `id` of `organization_id` whole (unknown or another's: 404).
    pub async fn update_service(
        &self,
        id: Uuid,
        organization_id: Uuid,
        d: &ServiceData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Service> {
        self.write_service(Some(id), organization_id, d, ctx.into())
            .await
    }

    async fn write_service(
        &self,
        existing: Option<Uuid>,
        organization_id: Uuid,
        d: &ServiceData,
        ctx: WriteCtx,
    ) -> Result<Service> {
        let id = existing.unwrap_or_else(Uuid::now_v7);
        let venue_id = match &d.place {
            Place::Venue { venue_id } => Some(*venue_id),
            _ => None,
        };
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            // The organization's row, share-locked: a status change waits for this write.
            let org: Option<(String, String, String, String)> = sqlx::query_as(&format!(
                "SELECT status, jurisdiction_code, jurisdiction_path, shard_key FROM organizations WHERE id = $1{}",
                self.row_lock(" FOR SHARE")
            ))
            .bind(organization_id)
            .fetch_optional(&mut *tx)
            .await?;
            let (status, org_code, org_path, shard_key) = org.ok_or(StoreError::NotFound)?;
            if status == OrgStatus::Deregistered.as_str() {
                return Err(StoreError::State(
                    "a deregistered organization offers no services".into(),
                ));
            }
            // Where it is given: the venue's node, the community, or (at home) the
            // organization's own; an unknown venue or community is the field's error.
            let (code, path): (String, String) = match &d.place {
                Place::Home => (org_code.clone(), org_path.clone()),
                Place::Venue { venue_id } => sqlx::query_as(
                    "SELECT jurisdiction_code, jurisdiction_path FROM venues WHERE id = $1",
                )
                .bind(*venue_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| invalid("venue_id", unknown_venue()))?,
                Place::Community { jurisdiction } => {
                    sqlx::query_as("SELECT code, path FROM jurisdictions WHERE code = $1")
                        .bind(jurisdiction.to_string())
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or_else(|| {
                            invalid("jurisdiction", FieldError::unknown_jurisdiction())
                        })?
                }
            };
            let now = crate::now();
            let sql = if existing.is_some() {
                "UPDATE services SET name = $3, category = $4, target_group = $5, eligibility = $6, place_kind = $7, \
                 venue_id = $8, jurisdiction_code = $9, jurisdiction_path = $10, schedule = $11, fee_fen = $12, \
                 capacity = $13, status = $14, updated_at = $15 WHERE id = $1 AND organization_id = $2"
            } else {
                "INSERT INTO services (id, organization_id, name, category, target_group, eligibility, place_kind, venue_id, \
                 jurisdiction_code, jurisdiction_path, schedule, fee_fen, capacity, status, created_at, updated_at, shard_key) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16)"
            };
            let mut q = sqlx::query(sql)
                .bind(id)
                .bind(organization_id)
                .bind(&d.name)
                .bind(d.category.as_str())
                .bind(&d.target_group)
                .bind(&d.eligibility)
                .bind(d.place.kind().as_str())
                .bind(venue_id)
                .bind(&code)
                .bind(&path)
                .bind(&d.schedule)
                .bind(d.fee.0)
                .bind(d.capacity.map(i64::from))
                .bind(d.status.as_str())
                .bind(now);
            if existing.is_none() {
                q = q.bind(&shard_key);
            }
            if q.execute(&mut *tx).await?.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            let action = if existing.is_some() {
                "service.update"
            } else {
                "service.create"
            };
            let details =
                json!({"service": id, "name": d.name, "category": d.category, "status": d.status})
                    .to_string();
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    action,
                    format!("service:{id}"),
                    Outcome::Success,
                    details,
                    Some(org_path)
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.service(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn service(&self, id: Uuid) -> Result<Option<Service>> {
        let sql = format!("SELECT {COLUMNS} FROM services WHERE id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, ServiceRow>(&sql)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        row.map(Service::try_from).transpose()
    }

    /// One service as the public list shows it (`None` when unknown or when its
    /// organization may not offer services now).
    pub async fn public_service(&self, id: Uuid) -> Result<Option<ServiceListing>> {
        self.listing_where(id, &format!(" AND s.status <> 'ended' AND {OFFERS}"))
            .await
    }

    /// One service as its organization's catalogue shows it, whatever its status.
    pub async fn service_listing(&self, id: Uuid) -> Result<Option<ServiceListing>> {
        self.listing_where(id, "").await
    }

    /// The listing of service `id`, if it also meets `and` (` AND …`, or empty).
    async fn listing_where(&self, id: Uuid, and: &str) -> Result<Option<ServiceListing>> {
        let sql = format!("{} WHERE s.id = $1{and}", listing_select());
        let row = on_pool!(self, |p| sqlx::query_as::<_, ListingRow>(&sql)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        row.map(ServiceListing::try_from).transpose()
    }

    /// One keyset page of an organization's services by name, from a cursor (or the
    /// first), with a bounded total.
    pub async fn services_of_page(
        &self,
        organization_id: Uuid,
        at: crate::At<'_>,
        per_page: u32,
    ) -> Result<crate::KeyPage<ServiceListing>> {
        let q = services_of_list(organization_id);
        self.list_page::<ListingRow, _>(q, at, per_page, ServiceListing::try_from)
            .await
    }

    /// One keyset page of the public list (`f.page` is not read), from a cursor (or
    /// the first), with a bounded total.
    pub async fn public_services_page(
        &self,
        f: &ServiceFilter,
        at: crate::At<'_>,
        per_page: u32,
    ) -> Result<crate::KeyPage<ServiceListing>> {
        let q = public_query(f).list();
        self.list_page::<ListingRow, _>(q, at, per_page, ServiceListing::try_from)
            .await
    }

    /// The public list in its order (nearest first when `near` is given), `limit`
    /// after `after` (a download's keyset walk: no count, no skipped rows); `page` and
    /// `per_page` are not read.
    pub async fn public_services_chunk(
        &self,
        f: &ServiceFilter,
        after: Option<&After>,
        limit: u32,
    ) -> Result<KeyChunk<ServiceListing>> {
        let q = public_query(f).list();
        self.list_chunk::<ListingRow, _>(q, after, limit, ServiceListing::try_from)
            .await
    }

    /// The plans of a page of the public list and of an organization's services (see
    /// `Store::read_plan`).
    #[cfg(feature = "testing")]
    pub async fn services_plans_for_tests(
        &self,
        f: &ServiceFilter,
        organization_id: Uuid,
    ) -> Result<(Vec<String>, Vec<String>)> {
        let public = self.list_plan(&public_query(f).list()).await?;
        let own = self.list_plan(&services_of_list(organization_id)).await?;
        Ok((public, own))
    }

    /// Open data: up to `limit` public services with ids after `after`, in id order
    /// (keyset paging, so an export of the whole directory reads in bounded memory).
    pub async fn public_services_after(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<ServiceListing>> {
        let sql = format!(
            "{} WHERE s.status = 'active' AND {OFFERS} AND s.id > $1 ORDER BY s.id LIMIT {}",
            listing_select(),
            limit.clamp(1, 1000)
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, ListingRow>(&sql)
            .bind(after.unwrap_or(Uuid::nil()))
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(ServiceListing::try_from).collect()
    }
}

/// The public list's query: its select, filters, values (the count's may be fewer)
/// and sort keys.
struct PublicQuery {
    select: String,
    where_sql: String,
    args: Vec<Arg>,
    count_args: Vec<Arg>,
    keys: Vec<(String, Key)>,
    /// Ordered by the search index's hits first.
    ranked: bool,
}

impl PublicQuery {
    /// The list as keyset pages read it; the tag names its order's shape (search hits,
    /// nearness), so that a cursor of one shape is refused by another.
    fn list(self) -> ListQuery {
        let tag = match (self.keys.len(), self.ranked) {
            (3, _) => "services",
            (4, true) => "services_hits",
            (4, false) => "services_near",
            _ => "services_hits_near",
        };
        let keys: Vec<(&str, Key)> = self.keys.iter().map(|(k, t)| (k.as_str(), *t)).collect();
        let count_from = "FROM services s JOIN organizations o ON o.id = s.organization_id";
        let count_args = self.count_args;
        ListQuery::filtered(
            tag,
            (&self.select, count_from),
            &self.where_sql,
            self.args,
            &keys,
        )
        .count(format!("{count_from} WHERE {}", self.where_sql), count_args)
    }
}

/// An organization's own services by name, every status (`services_org`).
fn services_of_list(organization_id: Uuid) -> ListQuery {
    const KEYS: &[(&str, Key)] = &[("s.name", Key::Text), ("s.id", Key::Uuid)];
    let tables = (listing_select(), "FROM services s");
    ListQuery::filtered(
        "services_of",
        (&tables.0, tables.1),
        "s.organization_id = $1",
        vec![Arg::Uuid(organization_id)],
        KEYS,
    )
}

fn public_query(f: &ServiceFilter) -> PublicQuery {
    let mut args: Vec<Arg> = Vec::new();
    // Driven from the services' index in the list's order.
    let mut clauses = vec!["s.status <> 'ended'".to_string(), offers_on_the_walk()];
    if let Some(c) = f.category {
        args.push(Arg::Text(c.as_str().into()));
        clauses.push(format!("s.category = ${}", args.len()));
    }
    if let Some(path) = &f.jurisdiction_path {
        let (lo, hi) = subtree_range(path);
        args.push(Arg::Text(lo));
        args.push(Arg::Text(hi));
        clauses.push(format!(
            "s.jurisdiction_path >= ${} AND s.jurisdiction_path < ${}",
            args.len() - 1,
            args.len()
        ));
    }
    if let Some(o) = f.organization_id {
        args.push(Arg::Uuid(o));
        clauses.push(format!("s.organization_id = ${}", args.len()));
    }
    // The search index's hits, in its order (ahead of nearness): bound before the
    // rank's arguments, so that the count binds the same.
    let mut ids_rank = None;
    if let Some(ids) = &f.ids {
        if ids.is_empty() {
            clauses.push("1 = 0".to_string());
        } else {
            let (clause, rank, more) = crate::paging::ranked_ids("s.id", ids, args.len());
            clauses.push(clause);
            args.extend(more);
            ids_rank = Some(rank);
        }
    }
    // Nearest first: kept to the community's district (one range of the path
    // indexes), ranked by which of the community's, street's or district's range
    // the place falls in, paged in the database.
    let mut select = listing_select();
    let mut count_args = args.clone();
    let mut keys = vec![
        ("s.jurisdiction_path".to_string(), Key::Text),
        ("s.name".to_string(), Key::Text),
        ("s.id".to_string(), Key::Uuid),
    ];
    if let Some(home) = &f.near {
        let scopes = near_scopes(home);
        let (dlo, dhi) = subtree_range(&scopes.district);
        args.push(Arg::Text(dlo));
        args.push(Arg::Text(dhi));
        clauses.push(format!(
            "s.jurisdiction_path >= ${} AND s.jurisdiction_path < ${}",
            args.len() - 1,
            args.len()
        ));
        // The count binds what the filter binds; the list binds the rank's too.
        count_args = args.clone();
        let mut rank = String::from("CASE");
        for (i, scope) in [&scopes.community, &scopes.street].into_iter().enumerate() {
            let (lo, hi) = subtree_range(scope);
            args.push(Arg::Text(lo));
            args.push(Arg::Text(hi));
            rank.push_str(&format!(
                " WHEN s.jurisdiction_path >= ${} AND s.jurisdiction_path < ${} THEN {i}",
                args.len() - 1,
                args.len()
            ));
        }
        rank.push_str(" ELSE 2 END");
        select = select.replacen(
            " FROM services s",
            &format!(", CAST({rank} AS BIGINT) AS nearness_rank FROM services s"),
            1,
        );
        keys.insert(0, (rank, Key::Int));
    }
    let ranked = ids_rank.is_some();
    if let Some(rank) = ids_rank {
        keys.insert(0, (rank, Key::Int));
    }
    PublicQuery {
        select,
        where_sql: clauses.join(" AND "),
        args,
        count_args,
        keys,
        ranked,
    }
}
