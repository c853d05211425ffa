//! Service parks: venues, their spaces, office allocations, room bookings, and the
//! quarterly reports against a venue's obligation.
//!
//! No two bookings of a room overlap: each booking claims its slots in `booking_slots`
//! (primary key `(space_id, slot_start)`) in the same transaction as the booking row,
//! so the database refuses the second of two overlapping bookings on either engine,
//! whatever the interleaving. Office allocations are checked for overlap after locking
//! the space (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: `SELECT … FOR UPDATE`).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use shuniu_domain::audit::Outcome;
use shuniu_domain::jurisdiction::{JurisdictionCode, shard_key_of_path, subtree_range};
use shuniu_domain::parks::{
    Allocation, AllocationRequest, Booking, BookingRequest, BookingStatus, ObligationReportData,
    Quarter, Space, SpaceData, SpaceKind, Venue, VenueData, shanghai, slots,
};
use shuniu_domain::{FieldError, FieldErrors};
use uuid::Uuid;

use crate::audit::append_in_tx;
use crate::{Page, Result, Store, StoreError, WriteCtx, on_pool};

/// A stored obligation report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationReport {
    pub id: Uuid,
    pub venue_id: Uuid,
    pub organization_name: String,
    pub data: ObligationReportData,
    pub reported_by: String,
    pub reported_at: DateTime<Utc>,
}

/// A venue's obligation in one quarter: what was expected and what was reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationSummary {
    pub quarter: Quarter,
    pub target_hours: i64,
    pub delivered_hours: i64,
    pub residents_served: i64,
    pub reports: Vec<ObligationReport>,
}

const VENUE_SELECT: &str = "SELECT v.id, v.hub_id, h.organization_id AS hub_organization_id, v.name, v.address, \
    v.jurisdiction_code, v.jurisdiction_path, v.area_m2, v.owner, v.free_of_charge, v.terms, v.utilities_waived, \
    v.obligation, v.obligation_hours_per_quarter FROM venues v LEFT JOIN hubs h ON h.id = v.hub_id";

const SPACE_SELECT: &str = "SELECT id, venue_id, name, kind, capacity, area_m2 FROM spaces";

const BOOKING_SELECT: &str = "SELECT b.id, b.number, b.space_id, b.organization_id, o.name AS organization_name, \
    b.starts_at, b.ends_at, b.purpose, b.attendees, b.status, b.booked_by \
    FROM bookings b JOIN organizations o ON o.id = b.organization_id";

const ALLOCATION_SELECT: &str = "SELECT a.id, a.space_id, a.organization_id, o.name AS organization_name, \
    a.starts_on, a.ends_on, a.ended_early_on \
    FROM office_allocations a JOIN organizations o ON o.id = a.organization_id";

const REPORT_SELECT: &str = "SELECT r.id, r.venue_id, r.organization_id, o.name AS organization_name, r.year, \
    r.quarter, r.service_hours, r.residents_served, r.note, r.reported_by, r.reported_at \
    FROM obligation_reports r JOIN organizations o ON o.id = r.organization_id";

#[derive(sqlx::FromRow)]
struct VenueRow {
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

fn count(v: i64, what: &str, id: Uuid) -> Result<u32> {
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("corrupt row {id}: {what}")))
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

#[derive(sqlx::FromRow)]
struct SpaceRow {
    id: Uuid,
    venue_id: Uuid,
    name: String,
    kind: String,
    capacity: i64,
    area_m2: i64,
}

impl TryFrom<SpaceRow> for Space {
    type Error = StoreError;
    fn try_from(r: SpaceRow) -> Result<Self> {
        Ok(Space {
            id: r.id,
            venue_id: r.venue_id,
            data: SpaceData {
                name: r.name,
                kind: SpaceKind::parse(&r.kind).ok_or_else(|| {
                    StoreError::Corrupt(format!("corrupt space row {}: kind", r.id))
                })?,
                capacity: count(r.capacity, "capacity", r.id)?,
                area_m2: count(r.area_m2, "area_m2", r.id)?,
            },
        })
    }
}

#[derive(sqlx::FromRow)]
struct BookingRow {
    id: Uuid,
    number: String,
    space_id: Uuid,
    organization_id: Uuid,
    organization_name: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    purpose: String,
    attendees: i64,
    status: String,
    booked_by: String,
}

impl TryFrom<BookingRow> for Booking {
    type Error = StoreError;
    fn try_from(r: BookingRow) -> Result<Self> {
        Ok(Booking {
            id: r.id,
            number: r.number,
            space_id: r.space_id,
            organization_id: r.organization_id,
            organization_name: r.organization_name,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            purpose: r.purpose,
            attendees: count(r.attendees, "attendees", r.id)?,
            status: BookingStatus::parse(&r.status).ok_or_else(|| {
                StoreError::Corrupt(format!("corrupt booking row {}: status", r.id))
            })?,
            booked_by: r.booked_by,
        })
    }
}

#[derive(sqlx::FromRow)]
struct AllocationRow {
    id: Uuid,
    space_id: Uuid,
    organization_id: Uuid,
    organization_name: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    ended_early_on: Option<NaiveDate>,
}

impl From<AllocationRow> for Allocation {
    fn from(r: AllocationRow) -> Self {
        Allocation {
            id: r.id,
            space_id: r.space_id,
            organization_id: r.organization_id,
            organization_name: r.organization_name,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            ended_early_on: r.ended_early_on,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    id: Uuid,
    venue_id: Uuid,
    organization_id: Uuid,
    organization_name: String,
    year: i64,
    quarter: i64,
    service_hours: i64,
    residents_served: i64,
    note: String,
    reported_by: String,
    reported_at: DateTime<Utc>,
}

impl TryFrom<ReportRow> for ObligationReport {
    type Error = StoreError;
    fn try_from(r: ReportRow) -> Result<Self> {
        let bad = || StoreError::Corrupt(format!("corrupt obligation report row {}", r.id));
        Ok(ObligationReport {
            id: r.id,
            venue_id: r.venue_id,
            organization_name: r.organization_name,
            data: ObligationReportData {
                organization_id: r.organization_id,
                quarter: Quarter {
                    year: i32::try_from(r.year).map_err(|_| bad())?,
                    quarter: u8::try_from(r.quarter).map_err(|_| bad())?,
                },
                service_hours: count(r.service_hours, "service_hours", r.id)?,
                residents_served: count(r.residents_served, "residents_served", r.id)?,
                note: r.note,
            },
            reported_by: r.reported_by,
            reported_at: r.reported_at,
        })
    }
}

fn invalid(field: &str, zh: &str, en: &str) -> StoreError {
    StoreError::Invalid(FieldErrors::single(field, FieldError::new(zh, en)))
}

fn unknown_jurisdiction() -> StoreError {
    invalid(
        "jurisdiction",
        "没有这个行政区划",
        "is not a known jurisdiction",
    )
}

fn unknown_organization() -> StoreError {
    invalid(
        "organization_id",
        "没有这个社会组织",
        "is not a known organization",
    )
}

fn slot_taken() -> StoreError {
    StoreError::Conflict {
        field: "start".into(),
    }
}

/// Fields whose values differ between two versions (audit details of an update).
fn diff(before: &impl Serialize, after: &impl Serialize) -> String {
    let b = serde_json::to_value(before).expect("serializable");
    let a = serde_json::to_value(after).expect("serializable");
    let mut out = BTreeMap::new();
    if let (Some(b), Some(a)) = (b.as_object(), a.as_object()) {
        for (k, av) in a {
            let bv = b.get(k).unwrap_or(&Value::Null);
            if bv != av {
                out.insert(k.clone(), json!({"from": bv, "to": av}));
            }
        }
    }
    serde_json::to_string(&out).expect("serializable")
}

/// Today in Shanghai: allocations are in local dates.
fn today_local() -> NaiveDate {
    crate::now().with_timezone(&shanghai()).date_naive()
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

    /// Venues in a jurisdiction subtree and/or run by a hub, by name; paged in the database.
    pub async fn list_venues(
        &self,
        path_prefix: Option<&str>,
        hub_id: Option<Uuid>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Venue>> {
        let page = page.max(1);
        let per_page = per_page.clamp(1, 200);
        let range = path_prefix.map(subtree_range);
        let mut clauses = vec!["1 = 1".to_string()];
        let mut n = 0;
        if range.is_some() {
            clauses.push(format!(
                "v.jurisdiction_path >= ${} AND v.jurisdiction_path < ${}",
                n + 1,
                n + 2
            ));
            n += 2;
        }
        if hub_id.is_some() {
            clauses.push(format!("v.hub_id = ${}", n + 1));
        }
        let where_sql = clauses.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) FROM venues v WHERE {where_sql}");
        let list_sql = format!(
            "{VENUE_SELECT} WHERE {where_sql} ORDER BY v.name, v.id LIMIT {per_page} OFFSET {}",
            (u64::from(page) - 1) * u64::from(per_page)
        );
        // Binds the optional filters in the order their placeholders were numbered.
        macro_rules! bind_filters {
            ($q:expr) => {{
                let mut q = $q;
                if let Some((lo, hi)) = &range {
                    q = q.bind(lo.clone()).bind(hi.clone());
                }
                if let Some(h) = hub_id {
                    q = q.bind(h);
                }
                q
            }};
        }
        let (total, rows) = on_pool!(self, |p| {
            let total: i64 = bind_filters!(sqlx::query_scalar::<_, i64>(&count_sql))
                .fetch_one(p)
                .await?;
            let rows = bind_filters!(sqlx::query_as::<_, VenueRow>(&list_sql))
                .fetch_all(p)
                .await?;
            Ok::<_, sqlx::Error>((total, rows))
        })?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(Venue::try_from)
                .collect::<Result<_>>()?,
            total,
            page,
            per_page,
        })
    }

    /// Audited as `space.create`.
    pub async fn add_space(
        &self,
        venue_id: Uuid,
        data: &SpaceData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Space> {
        let ctx = ctx.into();
        let now = crate::now();
        let id = Uuid::now_v7();
        let share = self.row_lock(" FOR SHARE");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let path: String = sqlx::query_scalar(&format!(
                "SELECT jurisdiction_path FROM venues WHERE id = $1{share}"
            ))
            .bind(venue_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            sqlx::query(
                "INSERT INTO spaces (id, venue_id, name, kind, capacity, area_m2, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(venue_id)
            .bind(&data.name)
            .bind(data.kind.as_str())
            .bind(i64::from(data.capacity))
            .bind(i64::from(data.area_m2))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "space.create",
                    format!("space:{id}"),
                    Outcome::Success,
                    json!({"venue_id": venue_id, "data": data}).to_string(),
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(Space {
                id,
                venue_id,
                data: data.clone(),
            })
        })
    }

    /// Audited as `space.update`. Changing an office into a room (or back) is refused
    /// (`State`) while it has current allocations or future bookings.
    pub async fn update_space(
        &self,
        space_id: Uuid,
        data: &SpaceData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Space> {
        let ctx = ctx.into();
        let now = crate::now();
        let today = today_local();
        let lock = self.row_lock(" FOR UPDATE");
        let select = format!("{SPACE_SELECT} WHERE id = $1{lock}");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            // The lock keeps bookings and allocations (which share-lock or lock the
            // space) out while the kind is checked and changed.
            let before: Space = sqlx::query_as::<_, SpaceRow>(&select)
                .bind(space_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?
                .try_into()?;
            if before.data.kind.is_bookable() != data.kind.is_bookable() {
                let busy: i64 = if before.data.kind.is_bookable() {
                    sqlx::query_scalar(
                        "SELECT COUNT(*) FROM bookings WHERE space_id = $1 AND status = 'confirmed' AND ends_at > $2",
                    )
                    .bind(space_id)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?
                } else {
                    sqlx::query_scalar(
                        "SELECT COUNT(*) FROM office_allocations WHERE space_id = $1 \
                         AND COALESCE(ended_early_on, ends_on) >= $2",
                    )
                    .bind(space_id)
                    .bind(today)
                    .fetch_one(&mut *tx)
                    .await?
                };
                if busy > 0 {
                    return Err(StoreError::State(if before.data.kind.is_bookable() {
                        "the room has future bookings; cancel them before making it an office"
                            .into()
                    } else {
                        "the office is allocated; end the allocations before making it a room"
                            .into()
                    }));
                }
            }
            let path: String =
                sqlx::query_scalar("SELECT jurisdiction_path FROM venues WHERE id = $1")
                    .bind(before.venue_id)
                    .fetch_one(&mut *tx)
                    .await?;
            sqlx::query(
                "UPDATE spaces SET name = $2, kind = $3, capacity = $4, area_m2 = $5 WHERE id = $1",
            )
            .bind(space_id)
            .bind(&data.name)
            .bind(data.kind.as_str())
            .bind(i64::from(data.capacity))
            .bind(i64::from(data.area_m2))
            .execute(&mut *tx)
            .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "space.update",
                    format!("space:{space_id}"),
                    Outcome::Success,
                    diff(&before.data, data),
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(Space {
                data: data.clone(),
                ..before
            })
        })
    }

    pub async fn space(&self, space_id: Uuid) -> Result<Option<Space>> {
        let sql = format!("{SPACE_SELECT} WHERE id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, SpaceRow>(&sql)
            .bind(space_id)
            .fetch_optional(p)
            .await)?;
        row.map(Space::try_from).transpose()
    }

    /// Spaces of a venue, offices first, then by name.
    pub async fn spaces_of(&self, venue_id: Uuid) -> Result<Vec<Space>> {
        let sql = format!(
            "{SPACE_SELECT} WHERE venue_id = $1 \
             ORDER BY CASE WHEN kind = 'office' THEN 0 ELSE 1 END, name, id"
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, SpaceRow>(&sql)
            .bind(venue_id)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(Space::try_from).collect()
    }

    /// Allocates an office for a period. `Invalid(organization_id)` for an unknown or
    /// deregistered organization; `State` if the space is not an office; `Conflict
    /// {field: "starts_on"}` if the period overlaps a current allocation of the office.
    /// Audited as `office.allocate`.
    pub async fn allocate_office(
        &self,
        space_id: Uuid,
        request: &AllocationRequest,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Allocation> {
        let ctx = ctx.into();
        if request.ends_on < request.starts_on {
            return Err(invalid(
                "ends_on",
                "结束日期不能早于开始日期",
                "must not be before the start",
            ));
        }
        let now = crate::now();
        let id = Uuid::now_v7();
        let lock = self.row_lock(" FOR UPDATE");
        let share = self.row_lock(" FOR SHARE");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            // Locking the space serializes allocations of one office, so the overlap
            // check below sees every allocation committed before ours.
            let (kind, venue_id): (String, Uuid) = sqlx::query_as(&format!(
                "SELECT kind, venue_id FROM spaces WHERE id = $1{lock}"
            ))
            .bind(space_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            if kind != SpaceKind::Office.as_str() {
                return Err(StoreError::State(
                    "only an office is allocated; rooms are booked".into(),
                ));
            }
            let (org_name, org_status): (String, String) = sqlx::query_as(&format!(
                "SELECT name, status FROM organizations WHERE id = $1{share}"
            ))
            .bind(request.organization_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(unknown_organization)?;
            if org_status == "deregistered" {
                return Err(invalid(
                    "organization_id",
                    "该组织已注销",
                    "the organization is deregistered",
                ));
            }
            let overlapping: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM office_allocations WHERE space_id = $1 \
                 AND starts_on <= $3 AND COALESCE(ended_early_on, ends_on) >= $2",
            )
            .bind(space_id)
            .bind(request.starts_on)
            .bind(request.ends_on)
            .fetch_one(&mut *tx)
            .await?;
            if overlapping > 0 {
                return Err(StoreError::Conflict {
                    field: "starts_on".into(),
                });
            }
            let path: String =
                sqlx::query_scalar("SELECT jurisdiction_path FROM venues WHERE id = $1")
                    .bind(venue_id)
                    .fetch_one(&mut *tx)
                    .await?;
            sqlx::query(
                "INSERT INTO office_allocations (id, space_id, organization_id, starts_on, ends_on, ended_early_on, created_at) \
                 VALUES ($1, $2, $3, $4, $5, NULL, $6)",
            )
            .bind(id)
            .bind(space_id)
            .bind(request.organization_id)
            .bind(request.starts_on)
            .bind(request.ends_on)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "office.allocate",
                    format!("allocation:{id}"),
                    Outcome::Success,
                    json!({"space_id": space_id, "request": request}).to_string(),
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(Allocation {
                id,
                space_id,
                organization_id: request.organization_id,
                organization_name: org_name,
                starts_on: request.starts_on,
                ends_on: request.ends_on,
                ended_early_on: None,
            })
        })
    }

    /// Ends an allocation early on `on` (not before it starts: `Invalid(ended_on)`).
    /// Audited as `office.end`.
    pub async fn end_allocation(
        &self,
        allocation_id: Uuid,
        on: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Allocation> {
        let ctx = ctx.into();
        let lock = self.row_lock(" FOR UPDATE OF a");
        let select = format!("{ALLOCATION_SELECT} WHERE a.id = $1{lock}");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let before: Allocation = sqlx::query_as::<_, AllocationRow>(&select)
                .bind(allocation_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?
                .into();
            if before.ended_early_on.is_some() {
                return Err(StoreError::State("the allocation has already ended".into()));
            }
            if on < before.starts_on {
                return Err(invalid(
                    "ended_on",
                    "不能早于分配开始日期",
                    "must not be before the allocation starts",
                ));
            }
            // Ending "early" after the agreed end would lengthen the period past what
            // the overlap check allowed.
            if on > before.ends_on {
                return Err(invalid(
                    "ended_on",
                    "不能晚于分配结束日期",
                    "must not be after the allocation ends",
                ));
            }
            sqlx::query("UPDATE office_allocations SET ended_early_on = $2 WHERE id = $1")
                .bind(allocation_id)
                .bind(on)
                .execute(&mut *tx)
                .await?;
            let path: String = sqlx::query_scalar(
                "SELECT v.jurisdiction_path FROM spaces s JOIN venues v ON v.id = s.venue_id WHERE s.id = $1",
            )
            .bind(before.space_id)
            .fetch_one(&mut *tx)
            .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "office.end",
                    format!("allocation:{allocation_id}"),
                    Outcome::Success,
                    json!({"space_id": before.space_id, "ended_on": on}).to_string(),
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(Allocation {
                ended_early_on: Some(on),
                ..before
            })
        })
    }

    /// One allocation by id (the web layer finds its venue to ask the policy).
    pub async fn allocation(&self, allocation_id: Uuid) -> Result<Option<Allocation>> {
        let sql = format!("{ALLOCATION_SELECT} WHERE a.id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, AllocationRow>(&sql)
            .bind(allocation_id)
            .fetch_optional(p)
            .await)?;
        Ok(row.map(Allocation::from))
    }

    /// Allocations of a venue's offices that are current on `on` or start later, by start.
    pub async fn allocations_of_venue(
        &self,
        venue_id: Uuid,
        on: NaiveDate,
    ) -> Result<Vec<Allocation>> {
        let sql = format!(
            "{ALLOCATION_SELECT} JOIN spaces s ON s.id = a.space_id \
             WHERE s.venue_id = $1 AND COALESCE(a.ended_early_on, a.ends_on) >= $2 \
             ORDER BY a.starts_on, a.id"
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, AllocationRow>(&sql)
            .bind(venue_id)
            .bind(on)
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().map(Allocation::from).collect())
    }

    /// Books a room. `State` if the space is an office; `Invalid(organization_id)` for an
    /// unknown or deregistered organization; `Conflict {field: "start"}` if any slot is
    /// taken — guaranteed by `booking_slots`' primary key under any concurrency.
    /// Assigns a human number `BK-<year>-<6 digits>`. Audited as `booking.create`.
    pub async fn book_space(
        &self,
        space_id: Uuid,
        organization_id: Uuid,
        request: &BookingRequest,
        slot_minutes: u32,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Booking> {
        let ctx = ctx.into();
        if slot_minutes == 0 || 60 % slot_minutes != 0 {
            return Err(StoreError::State(format!(
                "a slot of {slot_minutes} minutes does not divide the hour"
            )));
        }
        if request.ends_at <= request.starts_at {
            return Err(invalid(
                "end",
                "结束时间须晚于开始时间",
                "must be after the start",
            ));
        }
        // Slots are claimed on a grid: a start off the grid would claim keys that
        // never collide with its neighbours'. (Shanghai is a whole number of hours
        // from UTC, so the local and UTC grids agree.)
        let step = i64::from(slot_minutes) * 60;
        for (field, t) in [("start", request.starts_at), ("end", request.ends_at)] {
            if t.timestamp().rem_euclid(step) != 0 || t.timestamp_subsec_nanos() != 0 {
                return Err(invalid(
                    field,
                    &format!("须为整{slot_minutes}分钟"),
                    &format!("must be on a {slot_minutes}-minute boundary"),
                ));
            }
        }
        let now = crate::now();
        let id = Uuid::now_v7();
        let claimed = slots(request.starts_at, request.ends_at, slot_minutes);
        let sequence = format!("booking-{}", now.with_timezone(&shanghai()).year());
        let share = self.row_lock(" FOR SHARE");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let (kind, venue_id): (String, Uuid) = sqlx::query_as(&format!(
                "SELECT kind, venue_id FROM spaces WHERE id = $1{share}"
            ))
            .bind(space_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            if !SpaceKind::parse(&kind).is_some_and(SpaceKind::is_bookable) {
                return Err(StoreError::State(
                    "an office is allocated, not booked".into(),
                ));
            }
            let (org_name, org_status): (String, String) = sqlx::query_as(&format!(
                "SELECT name, status FROM organizations WHERE id = $1{share}"
            ))
            .bind(organization_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(unknown_organization)?;
            if org_status == "deregistered" {
                return Err(invalid(
                    "organization_id",
                    "该组织已注销",
                    "the organization is deregistered",
                ));
            }
            // A friendly early answer (and a guard should the slot length be changed
            // between bookings); the slots' primary key below is the guarantee.
            let overlapping: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM bookings WHERE space_id = $1 AND status = 'confirmed' \
                 AND starts_at < $3 AND ends_at > $2",
            )
            .bind(space_id)
            .bind(request.starts_at)
            .bind(request.ends_at)
            .fetch_one(&mut *tx)
            .await?;
            if overlapping > 0 {
                return Err(slot_taken());
            }
            let value: i64 = sqlx::query_scalar(
                "INSERT INTO number_sequences (name, value) VALUES ($1, 1) \
                 ON CONFLICT (name) DO UPDATE SET value = number_sequences.value + 1 RETURNING value",
            )
            .bind(&sequence)
            .fetch_one(&mut *tx)
            .await?;
            let number = format!("BK-{}-{value:06}", &sequence["booking-".len()..]);
            sqlx::query(
                "INSERT INTO bookings (id, number, space_id, organization_id, starts_at, ends_at, purpose, \
                 attendees, status, booked_by, created_at, cancelled_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL)",
            )
            .bind(id)
            .bind(&number)
            .bind(space_id)
            .bind(organization_id)
            .bind(request.starts_at)
            .bind(request.ends_at)
            .bind(&request.purpose)
            .bind(i64::from(request.attendees))
            .bind(BookingStatus::Confirmed.as_str())
            .bind(&ctx.actor)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            // In ascending order, so two transactions claiming common slots never
            // wait on each other in a cycle.
            for slot in &claimed {
                let res = sqlx::query(
                    "INSERT INTO booking_slots (space_id, slot_start, booking_id) VALUES ($1, $2, $3)",
                )
                .bind(space_id)
                .bind(*slot)
                .bind(id)
                .execute(&mut *tx)
                .await;
                if let Err(e) = res {
                    // Dropping `tx` rolls back the booking row and the number.
                    return Err(
                        if e.as_database_error()
                            .is_some_and(|d| d.is_unique_violation())
                        {
                            slot_taken()
                        } else {
                            e.into()
                        },
                    );
                }
            }
            let path: String =
                sqlx::query_scalar("SELECT jurisdiction_path FROM venues WHERE id = $1")
                    .bind(venue_id)
                    .fetch_one(&mut *tx)
                    .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "booking.create",
                    format!("booking:{id}"),
                    Outcome::Success,
                    json!({
                        "number": number,
                        "space_id": space_id,
                        "organization_id": organization_id,
                        "starts_at": request.starts_at,
                        "ends_at": request.ends_at,
                        "attendees": request.attendees,
                    })
                    .to_string(),
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(Booking {
                id,
                number,
                space_id,
                organization_id,
                organization_name: org_name,
                starts_at: request.starts_at,
                ends_at: request.ends_at,
                purpose: request.purpose.clone(),
                attendees: request.attendees,
                status: BookingStatus::Confirmed,
                booked_by: ctx.actor.clone(),
            })
        })
    }

    /// Cancels a confirmed booking and frees its slots (`State` if already cancelled).
    /// Audited as `booking.cancel`.
    pub async fn cancel_booking(
        &self,
        booking_id: Uuid,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Booking> {
        let ctx = ctx.into();
        let now = crate::now();
        let lock = self.row_lock(" FOR UPDATE OF b");
        let select = format!("{BOOKING_SELECT} WHERE b.id = $1{lock}");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let before: Booking = sqlx::query_as::<_, BookingRow>(&select)
                .bind(booking_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?
                .try_into()?;
            if before.status != BookingStatus::Confirmed {
                return Err(StoreError::State("the booking is already cancelled".into()));
            }
            sqlx::query("DELETE FROM booking_slots WHERE booking_id = $1")
                .bind(booking_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE bookings SET status = $2, cancelled_at = $3 WHERE id = $1 AND status = $4",
            )
            .bind(booking_id)
            .bind(BookingStatus::Cancelled.as_str())
            .bind(now)
            .bind(BookingStatus::Confirmed.as_str())
            .execute(&mut *tx)
            .await?;
            let path: String = sqlx::query_scalar(
                "SELECT v.jurisdiction_path FROM spaces s JOIN venues v ON v.id = s.venue_id WHERE s.id = $1",
            )
            .bind(before.space_id)
            .fetch_one(&mut *tx)
            .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "booking.cancel",
                    format!("booking:{booking_id}"),
                    Outcome::Success,
                    json!({"number": before.number, "space_id": before.space_id}).to_string(),
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(Booking {
                status: BookingStatus::Cancelled,
                ..before
            })
        })
    }

    pub async fn booking(&self, booking_id: Uuid) -> Result<Option<Booking>> {
        let sql = format!("{BOOKING_SELECT} WHERE b.id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, BookingRow>(&sql)
            .bind(booking_id)
            .fetch_optional(p)
            .await)?;
        row.map(Booking::try_from).transpose()
    }

    /// Confirmed bookings of a space that overlap `[from, to)`, by start (the calendar).
    pub async fn bookings_between(
        &self,
        space_id: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Booking>> {
        // Found through the claimed slots (primary key (space, slot start)): a confirmed
        // booking overlapping [from, to) holds a slot starting in (from - 1 h, to), slots
        // being at most an hour long. `bookings (space_id, starts_at)` alone bounds only
        // the start, and would read the room's whole past.
        let sql = format!(
            "{BOOKING_SELECT} WHERE b.id IN (SELECT booking_id FROM booking_slots \
             WHERE space_id = $1 AND slot_start > $4 AND slot_start < $3) \
             AND b.space_id = $1 AND b.status = 'confirmed' \
             AND b.starts_at < $3 AND b.ends_at > $2 ORDER BY b.starts_at, b.id LIMIT 2000"
        );
        let slot_floor = from
            .checked_sub_signed(chrono::Duration::hours(1))
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        let rows = on_pool!(self, |p| sqlx::query_as::<_, BookingRow>(&sql)
            .bind(space_id)
            .bind(from)
            .bind(to)
            .bind(slot_floor)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(Booking::try_from).collect()
    }

    /// An organization's bookings ending after `from`, by start; paged in the database.
    pub async fn bookings_of_organization(
        &self,
        organization_id: Uuid,
        from: DateTime<Utc>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Booking>> {
        let page = page.max(1);
        let per_page = per_page.clamp(1, 200);
        let count_sql = "SELECT COUNT(*) FROM bookings WHERE organization_id = $1 AND ends_at > $2";
        let list_sql = format!(
            "{BOOKING_SELECT} WHERE b.organization_id = $1 AND b.ends_at > $2 \
             ORDER BY b.starts_at, b.id LIMIT {per_page} OFFSET {}",
            (u64::from(page) - 1) * u64::from(per_page)
        );
        let (total, rows) = on_pool!(self, |p| {
            let total: i64 = sqlx::query_scalar(count_sql)
                .bind(organization_id)
                .bind(from)
                .fetch_one(p)
                .await?;
            let rows = sqlx::query_as::<_, BookingRow>(&list_sql)
                .bind(organization_id)
                .bind(from)
                .fetch_all(p)
                .await?;
            Ok::<_, sqlx::Error>((total, rows))
        })?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(Booking::try_from)
                .collect::<Result<_>>()?,
            total,
            page,
            per_page,
        })
    }

    /// Records (or replaces) an organization's report for a quarter against a venue's
    /// obligation. `Invalid(organization_id)` for an unknown organization. Audited as
    /// `obligation.report`.
    pub async fn report_obligation(
        &self,
        venue_id: Uuid,
        report: &ObligationReportData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<ObligationReport> {
        let ctx = ctx.into();
        let now = crate::now();
        let share = self.row_lock(" FOR SHARE");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let path: String = sqlx::query_scalar(&format!(
                "SELECT jurisdiction_path FROM venues WHERE id = $1{share}"
            ))
            .bind(venue_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            let org_name: String = sqlx::query_scalar(&format!(
                "SELECT name FROM organizations WHERE id = $1{share}"
            ))
            .bind(report.organization_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(unknown_organization)?;
            // A second report of the quarter replaces the first and keeps its id.
            let id: Uuid = sqlx::query_scalar(
                "INSERT INTO obligation_reports (id, venue_id, organization_id, year, quarter, service_hours, \
                 residents_served, note, reported_by, reported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (venue_id, organization_id, year, quarter) DO UPDATE SET \
                 service_hours = excluded.service_hours, residents_served = excluded.residents_served, \
                 note = excluded.note, reported_by = excluded.reported_by, reported_at = excluded.reported_at \
                 RETURNING id",
            )
            .bind(Uuid::now_v7())
            .bind(venue_id)
            .bind(report.organization_id)
            .bind(i64::from(report.quarter.year))
            .bind(i64::from(report.quarter.quarter))
            .bind(i64::from(report.service_hours))
            .bind(i64::from(report.residents_served))
            .bind(&report.note)
            .bind(&ctx.actor)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "obligation.report",
                    format!("venue:{venue_id}"),
                    Outcome::Success,
                    json!({
                        "report_id": id,
                        "organization_id": report.organization_id,
                        "quarter": report.quarter.to_string(),
                        "service_hours": report.service_hours,
                        "residents_served": report.residents_served,
                    })
                    .to_string(),
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(ObligationReport {
                id,
                venue_id,
                organization_name: org_name,
                data: report.clone(),
                reported_by: ctx.actor.clone(),
                reported_at: now,
            })
        })
    }

    /// The venue's obligation in each of the `quarters`, newest first.
    pub async fn obligation_summaries(
        &self,
        venue_id: Uuid,
        quarters: &[Quarter],
    ) -> Result<Vec<ObligationSummary>> {
        let venue = self.venue(venue_id).await?.ok_or(StoreError::NotFound)?;
        let mut wanted: Vec<Quarter> = quarters.to_vec();
        wanted.sort_unstable_by(|a, b| b.cmp(a));
        wanted.dedup();
        let (Some(newest), Some(oldest)) = (wanted.first(), wanted.last()) else {
            return Ok(vec![]);
        };
        let sql = format!(
            "{REPORT_SELECT} WHERE r.venue_id = $1 AND r.year >= $2 AND r.year <= $3 \
             ORDER BY o.name, r.id"
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, ReportRow>(&sql)
            .bind(venue_id)
            .bind(i64::from(oldest.year))
            .bind(i64::from(newest.year))
            .fetch_all(p)
            .await)?;
        let mut by_quarter: BTreeMap<Quarter, Vec<ObligationReport>> = BTreeMap::new();
        for r in rows {
            let r = ObligationReport::try_from(r)?;
            by_quarter.entry(r.data.quarter).or_default().push(r);
        }
        let target = i64::from(venue.data.obligation_hours_per_quarter);
        Ok(wanted
            .into_iter()
            .map(|q| {
                let reports = by_quarter.remove(&q).unwrap_or_default();
                ObligationSummary {
                    quarter: q,
                    target_hours: target,
                    delivered_hours: reports
                        .iter()
                        .map(|r| i64::from(r.data.service_hours))
                        .sum(),
                    residents_served: reports
                        .iter()
                        .map(|r| i64::from(r.data.residents_served))
                        .sum(),
                    reports,
                }
            })
            .collect())
    }

    /// The booking rows and claimed slots (start, booking) of a space, as stored
    /// (tests check that a refused booking left nothing behind).
    #[doc(hidden)]
    pub async fn booking_rows_for_tests(
        &self,
        space_id: Uuid,
    ) -> Result<(i64, Vec<(DateTime<Utc>, Uuid)>)> {
        let (n, slots) = on_pool!(self, |p| {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bookings WHERE space_id = $1")
                .bind(space_id)
                .fetch_one(p)
                .await?;
            let slots: Vec<(DateTime<Utc>, Uuid)> = sqlx::query_as(
                "SELECT slot_start, booking_id FROM booking_slots WHERE space_id = $1 ORDER BY slot_start",
            )
            .bind(space_id)
            .fetch_all(p)
            .await?;
            Ok::<_, sqlx::Error>((n, slots))
        })?;
        Ok((n, slots))
    }
}
