//! The registry of social organizations: records, their change history, listing
//! (`list`), and the counters of its totals (`tallies`).

pub(crate) mod creation;
mod list;
mod status;
pub(crate) mod tallies;

pub use list::{OrgFilter, OrgPlan, OrgSort, SMALL_SUBTREE};

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use shuniu_domain::codes::{FilingNumber, Phone, Uscc};
use shuniu_domain::jurisdiction::{Jurisdiction, JurisdictionCode};
use shuniu_domain::registry::{
    Grade, LegalForm, OrgStatus, Organization, OrganizationData, PartyOrg, ServiceDomain, Stage,
};
use shuniu_domain::{FieldError, FieldErrors};
use uuid::Uuid;

use crate::audit::{append_all_in_tx, append_in_tx};
use crate::bulk::{rows_per_statement, values_sql};
use crate::{Result, Store, StoreError, Taken, Unique, WriteCtx, on_pool};
use shuniu_domain::audit::{ChangeRef, Outcome};
use tallies::{TallyDeltas, TallyKey, apply_tallies};

pub(crate) const COLUMNS: &str = "id, name, legal_form, uscc, filing_number, domains_mask, jurisdiction_code, address, \
    founded_on, legal_representative, contact_phone, staff_full_time, staff_part_time, volunteers, party_org, \
    party_members, stage, grade, grade_awarded_on, is_demo, status, status_reason, status_changed_on, \
    created_at, updated_at";

#[derive(sqlx::FromRow)]
pub(crate) struct OrgRow {
    id: Uuid,
    name: String,
    legal_form: String,
    uscc: Option<String>,
    filing_number: Option<String>,
    domains_mask: i64,
    jurisdiction_code: String,
    address: String,
    founded_on: NaiveDate,
    legal_representative: String,
    contact_phone: Option<String>,
    staff_full_time: i64,
    staff_part_time: i64,
    volunteers: i64,
    party_org: String,
    party_members: i64,
    stage: String,
    grade: Option<String>,
    grade_awarded_on: Option<NaiveDate>,
    is_demo: bool,
    status: String,
    status_reason: Option<String>,
    status_changed_on: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// An organization's row with its path, as an edit reads (and locks) it before changing
/// it: the record and its [`TallyKey`] from one read.
#[derive(sqlx::FromRow)]
struct LockedOrgRow {
    #[sqlx(flatten)]
    org: OrgRow,
    jurisdiction_path: String,
}

impl TryFrom<OrgRow> for Organization {
    type Error = StoreError;
    /// Rows were validated on the way in; a row that does not parse is corruption.
    fn try_from(r: OrgRow) -> Result<Self> {
        let bad =
            |what: &str| StoreError::Corrupt(format!("corrupt organization row {}: {what}", r.id));
        let count = |v: i64, what: &str| u32::try_from(v).map_err(|_| bad(what));
        let data = OrganizationData {
            name: r.name.clone(),
            legal_form: LegalForm::parse(&r.legal_form).ok_or_else(|| bad("legal_form"))?,
            uscc: r
                .uscc
                .as_deref()
                .map(Uscc::parse)
                .transpose()
                .map_err(|_| bad("uscc"))?,
            filing_number: r
                .filing_number
                .as_deref()
                .map(FilingNumber::parse)
                .transpose()
                .map_err(|_| bad("filing_number"))?,
            domains: ServiceDomain::from_mask(r.domains_mask),
            jurisdiction: JurisdictionCode::parse(&r.jurisdiction_code)
                .map_err(|_| bad("jurisdiction"))?,
            address: r.address.clone(),
            founded_on: r.founded_on,
            legal_representative: r.legal_representative.clone(),
            contact_phone: r
                .contact_phone
                .as_deref()
                .map(Phone::parse)
                .transpose()
                .map_err(|_| bad("contact_phone"))?,
            staff_full_time: count(r.staff_full_time, "staff_full_time")?,
            staff_part_time: count(r.staff_part_time, "staff_part_time")?,
            volunteers: count(r.volunteers, "volunteers")?,
            party_org: PartyOrg::parse(&r.party_org).ok_or_else(|| bad("party_org"))?,
            party_members: count(r.party_members, "party_members")?,
            stage: Stage::parse(&r.stage).ok_or_else(|| bad("stage"))?,
            grade: r
                .grade
                .as_deref()
                .map(|g| Grade::parse(g).ok_or_else(|| bad("grade")))
                .transpose()?,
            grade_awarded_on: r.grade_awarded_on,
            is_demo: r.is_demo,
        };
        Ok(Organization {
            id: r.id,
            data,
            status: OrgStatus::parse(&r.status).ok_or_else(|| bad("status"))?,
            status_reason: r.status_reason,
            status_changed_on: r.status_changed_on,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// The unique codes of an organization: a code held by another is a `Conflict` on it.
pub(crate) const UNIQUES: &[Unique] = &[
    Unique {
        pg: "organizations_uscc_key",
        sqlite: "organizations.uscc",
        taken: Taken::Conflict("uscc"),
    },
    Unique {
        pg: "organizations_filing_number_key",
        sqlite: "organizations.filing_number",
        taken: Taken::Conflict("filing_number"),
    },
    // A live registered organization of the same registration authority holds the
    // name (see `supervision::registration`); the caller names the holder.
    Unique {
        pg: "organizations_live_name",
        sqlite: "organizations.shard_key, organizations.name",
        taken: Taken::Conflict("name"),
    },
];

/// One entry of an organization's change history.
#[derive(Debug, Clone, Serialize)]
pub struct OrgChange {
    pub id: Uuid,
    pub changed_at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    /// field → {"from": …, "to": …}
    pub changes: Value,
}

struct ChangeRow {
    id: Uuid,
    changed_at: DateTime<Utc>,
    actor: String,
    action: String,
    changes: String,
}

/// An organization's row joined with one of its changes (none: `NULL`s).
#[derive(sqlx::FromRow)]
struct HistoryRow {
    #[sqlx(flatten)]
    registered: creation::Registered,
    change_id: Option<Uuid>,
    changed_at: Option<DateTime<Utc>>,
    actor: Option<String>,
    action: Option<String>,
    changes: Option<String>,
}

/// Field-by-field differences between two versions of a record.
fn diff(before: &Value, after: &Value) -> BTreeMap<String, Value> {
    let empty = serde_json::Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut out = BTreeMap::new();
    for (k, av) in a {
        let bv = b.get(k).unwrap_or(&Value::Null);
        if bv != av {
            out.insert(k.clone(), json!({"from": bv, "to": av}));
        }
    }
    out
}

/// A stored change as a diff `{field: {from, to}}`: a registration's compact text
/// (`{field: value}`) read as set from nothing; every other change is stored so.
fn as_diff(action: &str, changes: Value) -> Value {
    match changes {
        Value::Object(m)
            if action == "created"
                && !m
                    .values()
                    .all(|v| v.as_object().is_some_and(|o| o.contains_key("from"))) =>
        {
            Value::Object(
                m.into_iter()
                    .map(|(k, v)| (k, json!({"from": null, "to": v})))
                    .collect(),
            )
        }
        other => other,
    }
}

/// Binds an `OrganizationData`'s columns, `name` … `grade_awarded_on`, in `COLUMNS` order
/// (shared by the INSERT and the UPDATE so the two cannot drift apart).
macro_rules! bind_data {
    ($q:expr, $d:expr) => {
        $q.bind(&$d.name)
            .bind($d.legal_form.as_str())
            .bind($d.uscc.as_ref().map(|u| u.as_str()))
            .bind($d.filing_number.as_ref().map(|f| f.as_str()))
            .bind(ServiceDomain::mask(&$d.domains))
            .bind($d.jurisdiction.as_str())
            .bind(&$d.address)
            .bind($d.founded_on)
            .bind(&$d.legal_representative)
            .bind($d.contact_phone.as_ref().map(|p| p.as_str()))
            .bind(i64::from($d.staff_full_time))
            .bind(i64::from($d.staff_part_time))
            .bind(i64::from($d.volunteers))
            .bind($d.party_org.as_str())
            .bind(i64::from($d.party_members))
            .bind($d.stage.as_str())
            .bind($d.grade.map(|g| g.as_str()))
            .bind($d.grade_awarded_on)
    };
}

impl Store {
    async fn require_jurisdiction(&self, code: &JurisdictionCode) -> Result<Jurisdiction> {
        self.jurisdiction(code.as_str()).await?.ok_or_else(|| {
            StoreError::Invalid(FieldErrors::single(
                "jurisdiction",
                FieldError::unknown_jurisdiction(),
            ))
        })
    }

    /// Registers a new organization; a taken USCC or filing number is a `Conflict`.
    pub async fn create_organization(
        &self,
        data: &OrganizationData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Organization> {
        let mut created = self
            .create_organizations(std::slice::from_ref(data), ctx)
            .await?;
        Ok(created.pop().expect("one in, one out"))
    }

    /// Registers many organizations in one transaction (imports, demo data, `shuniu
    /// generate`): all or none. The one path of every registration, a single one
    /// included: each organization gets its row, its domain rows and an audit record
    /// referring to its `created` change ([`ChangeRef`]; the change itself is read from
    /// the row until a registered field first changes: see `creation`), and the counters
    /// move. Rows go in by multi-row statements and the audit chain's head is read and
    /// moved once, so a batch of thousands costs a few dozen statements.
    pub async fn create_organizations(
        &self,
        items: &[OrganizationData],
        ctx: impl Into<WriteCtx>,
    ) -> Result<Vec<Organization>> {
        let ctx = ctx.into();
        let actor = ctx.actor.as_str();
        // The jurisdictions named, in one query.
        let mut codes: Vec<&str> = items.iter().map(|d| d.jurisdiction.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        let places: BTreeMap<String, Jurisdiction> = self
            .jurisdictions_by_codes(&codes)
            .await?
            .into_iter()
            .map(|j| (j.code.to_string(), j))
            .collect();
        if places.len() != codes.len() {
            return Err(StoreError::Invalid(FieldErrors::single(
                "jurisdiction",
                FieldError::unknown_jurisdiction(),
            )));
        }
        let now = crate::now();
        let mut out = Vec::with_capacity(items.len());
        let mut domains: Vec<(&'static str, &str, Uuid)> = Vec::new();
        let mut events = Vec::with_capacity(items.len());
        for d in items {
            let j = &places[d.jurisdiction.as_str()];
            let org = Organization {
                id: Uuid::now_v7(),
                data: d.clone(),
                status: OrgStatus::Active,
                status_reason: None,
                status_changed_on: None,
                created_at: now,
                updated_at: now,
            };
            for dom in &d.domains {
                domains.push((dom.as_str(), j.path.as_str(), org.id));
            }
            // The audit record vouches for the whole text of the creation, which is not
            // written until a registered field first changes (see `creation`): it will
            // be written under the organization's id.
            let text = creation::creation_text(d);
            events.push(ctx.event(
                "organization.create",
                format!("organization:{}", org.id),
                Outcome::Success,
                ChangeRef::to(org.id, &text).details(),
                Some(j.path.clone()),
            ));
            out.push(org);
        }
        let insert = format!(
            "INSERT INTO organizations (shard_key, jurisdiction_path, created_by, {COLUMNS}) VALUES "
        );
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            for chunk in out.chunks(rows_per_statement(28)) {
                let sql = format!("{insert}{}", values_sql(self.dialect(), 28, chunk.len()));
                let mut q = sqlx::query(&sql);
                for org in chunk {
                    let (d, j) = (&org.data, &places[org.data.jurisdiction.as_str()]);
                    q = bind_data!(
                        q.bind(j.shard_key()).bind(&j.path).bind(actor).bind(org.id),
                        d
                    )
                    .bind(d.is_demo)
                    .bind(org.status.as_str())
                    .bind(None::<String>)
                    .bind(None::<NaiveDate>)
                    .bind(now)
                    .bind(now);
                }
                q.execute(&mut *tx).await?;
            }
            for chunk in domains.chunks(rows_per_statement(3)) {
                let sql = format!(
                    "INSERT INTO organization_domains (domain, jurisdiction_path, organization_id) VALUES {}",
                    values_sql(self.dialect(), 3, chunk.len())
                );
                let mut q = sqlx::query(&sql);
                for (dom, path, id) in chunk {
                    q = q.bind(*dom).bind(*path).bind(*id);
                }
                q.execute(&mut *tx).await?;
            }
            append_all_in_tx!(self, tx, events);
            // Counters: one multi-row upsert of the touched jurisdictions.
            let mut deltas: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
            for d in items {
                let e = deltas.entry(d.jurisdiction.as_str()).or_default();
                e.0 += 1;
                e.1 += i64::from(d.staff_total());
            }
            for (sql, args) in stats_upserts(self.dialect(), &deltas) {
                crate::bind_args!(sqlx::query(&sql), args)
                    .execute(&mut *tx)
                    .await?;
            }
            // Tallies of the list's totals: one upsert per touched row, summed over the batch.
            apply_tallies!(
                self,
                tx,
                TallyDeltas::created(
                    items
                        .iter()
                        .map(|d| (d, places[d.jurisdiction.as_str()].path.as_str()))
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(out)
    }

    pub async fn organization(&self, id: Uuid) -> Result<Option<Organization>> {
        let sql = format!("SELECT {COLUMNS} FROM organizations WHERE id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, OrgRow>(&sql)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        row.map(Organization::try_from).transpose()
    }

    pub async fn organization_by_uscc(&self, uscc: &str) -> Result<Option<Organization>> {
        if uscc.contains('\0') {
            return Ok(None);
        }
        let sql = format!("SELECT {COLUMNS} FROM organizations WHERE uscc = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, OrgRow>(&sql)
            .bind(uscc)
            .fetch_optional(p)
            .await)?;
        row.map(Organization::try_from).transpose()
    }

    /// The organization holding a unified social credit code or a filing number (both
    /// unique and indexed): how people name an organization in a form.
    pub async fn organization_by_code(&self, code: &str) -> Result<Option<Organization>> {
        if code.contains('\0') {
            return Ok(None);
        }
        let sql =
            format!("SELECT {COLUMNS} FROM organizations WHERE uscc = $1 OR filing_number = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, OrgRow>(&sql)
            .bind(code)
            .fetch_optional(p)
            .await)?;
        row.map(Organization::try_from).transpose()
    }

    /// Names of organizations by id; unknown ids are left out. One query per 500 ids,
    /// for pages that name the organizations of many rows.
    pub async fn organization_names(
        &self,
        ids: &[Uuid],
    ) -> Result<std::collections::HashMap<Uuid, String>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut out = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks = (1..=chunk.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("SELECT id, name FROM organizations WHERE id IN ({marks})");
            let rows = on_pool!(self, |p| {
                let mut q = sqlx::query_as::<_, (Uuid, String)>(&sql);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.fetch_all(p).await
            })?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// Replaces an organization's data; records the changed fields. A deregistered
    /// organization cannot be edited.
    pub async fn update_organization(
        &self,
        id: Uuid,
        data: &OrganizationData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Organization> {
        let ctx = ctx.into();
        let actor = ctx.actor.as_str();
        let j = self.require_jurisdiction(&data.jurisdiction).await?;
        let now = crate::now();
        let update = "UPDATE organizations SET shard_key = $2, jurisdiction_path = $3, name = $4, legal_form = $5, uscc = $6, \
            filing_number = $7, domains_mask = $8, jurisdiction_code = $9, address = $10, founded_on = $11, \
            legal_representative = $12, contact_phone = $13, staff_full_time = $14, staff_part_time = $15, volunteers = $16, \
            party_org = $17, party_members = $18, stage = $19, grade = $20, grade_awarded_on = $21, updated_at = $22 WHERE id = $1";
        // The record and its tally key from one read, locking the row on PostgreSQL;
        // SQLite's write lock is taken by the UPDATE below.
        let read_before = format!(
            "SELECT {COLUMNS}, jurisdiction_path FROM organizations WHERE id = $1{}",
            self.row_lock(" FOR UPDATE")
        );
        let updated = on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let row = sqlx::query_as::<_, LockedOrgRow>(&read_before)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let before = Organization::try_from(row.org)?;
            let tally_before = TallyKey::of(&before, &row.jurisdiction_path);
            if before.status == OrgStatus::Deregistered {
                return Err(StoreError::State(
                    "a deregistered organization cannot be edited".into(),
                ));
            }
            let mut data = data.clone();
            data.is_demo = before.data.is_demo;
            let changes = diff(
                &serde_json::to_value(&before.data).expect("serializable"),
                &serde_json::to_value(&data).expect("serializable"),
            );
            if changes.is_empty() {
                return Ok::<_, StoreError>(before);
            }
            creation::keep_creation!(tx, id);
            bind_data!(
                sqlx::query(update)
                    .bind(id)
                    .bind(j.shard_key())
                    .bind(&j.path),
                data
            )
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if before.data.name != data.name {
                crate::hubs::rename_in_hubs!(tx, id, &data.name);
            }
            if before.data.domains != data.domains || before.data.jurisdiction != data.jurisdiction
            {
                replace_domains!(
                    tx,
                    id,
                    (&row.jurisdiction_path, before.data.domains),
                    (&j.path, data.domains)
                );
            }
            let text = serde_json::to_string(&changes).expect("serializable");
            let change_id = Uuid::now_v7();
            sqlx::query("INSERT INTO organization_changes (id, organization_id, changed_at, actor, action, changes) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(change_id)
                .bind(id)
                .bind(now)
                .bind(actor)
                .bind("updated")
                .bind(&text)
                .execute(&mut *tx)
                .await?;
            // Officials of both the old and the new jurisdiction see a move: record the new one.
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "organization.update",
                    format!("organization:{id}"),
                    Outcome::Success,
                    ChangeRef::to(change_id, &text).details(),
                    Some(j.path.clone())
                )
            );
            // Move the counters: out of the old node, into the new one. Counters come
            // after the audit record in every write (see `tallies`: one lock order).
            sqlx::query(STATS_UPSERT)
                .bind(before.data.jurisdiction.as_str())
                .bind(-1i64)
                .bind(-i64::from(before.data.staff_total()))
                .execute(&mut *tx)
                .await?;
            sqlx::query(STATS_UPSERT)
                .bind(data.jurisdiction.as_str())
                .bind(1i64)
                .bind(i64::from(data.staff_total()))
                .execute(&mut *tx)
                .await?;
            let after = Organization {
                data,
                updated_at: now,
                ..before
            };
            let deltas =
                TallyDeltas::moved(Some(&tally_before), Some(&TallyKey::of(&after, &j.path)));
            apply_tallies!(self, tx, deltas);
            tx.commit().await?;
            Ok::<_, StoreError>(after)
        })?;
        Ok(updated)
    }

    /// The change history of one organization, newest first. A creation not written
    /// (see `creation`) is read from the row, by the same statement as the changes (a
    /// join: one read, one snapshot).
    pub async fn organization_history(&self, id: Uuid) -> Result<Vec<OrgChange>> {
        const MAX: usize = 500;
        // Built once: the organization's page asks for it on every request.
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            let org_columns: Vec<String> = creation::Registered::columns()
                .split(',')
                .map(|c| format!("o.{}", c.trim()))
                .collect();
            format!(
                "SELECT {}, c.id AS change_id, c.changed_at, c.actor, c.action, c.changes \
                 FROM organizations o LEFT JOIN organization_changes c ON c.organization_id = o.id \
                 WHERE o.id = $1 ORDER BY c.changed_at DESC, c.id DESC LIMIT {MAX}",
                org_columns.join(", ")
            )
        });
        let joined = on_pool!(self, |p| sqlx::query_as::<_, HistoryRow>(SQL.as_str())
            .bind(id)
            .fetch_all(p)
            .await)?;
        let mut registered = None;
        let mut rows = Vec::with_capacity(joined.len());
        for r in joined {
            if let (Some(id), Some(changed_at), Some(actor), Some(action), Some(changes)) =
                (r.change_id, r.changed_at, r.actor, r.action, r.changes)
            {
                rows.push(ChangeRow {
                    id,
                    changed_at,
                    actor,
                    action,
                    changes,
                });
            }
            registered = Some(r.registered);
        }
        // The creation is the oldest change: when a full page ends before it, it is not
        // shown either way.
        let registered =
            registered.filter(|_| rows.len() < MAX && !rows.iter().any(|r| r.action == "created"));
        let mut out = rows
            .into_iter()
            .map(|r| {
                let stored = serde_json::from_str(&r.changes).map_err(|_| {
                    StoreError::Corrupt(format!("corrupt organization change {}", r.id))
                })?;
                Ok(OrgChange {
                    changes: as_diff(&r.action, stored),
                    id: r.id,
                    changed_at: r.changed_at,
                    actor: r.actor,
                    action: r.action,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if let Some(r) = registered {
            let (changed_at, actor) = (r.at(), r.created_by.unwrap_or_default());
            let org = Organization::try_from(r.org)?;
            let text = creation::creation_text(&org.data);
            out.push(OrgChange {
                changes: as_diff(
                    "created",
                    serde_json::from_str(&text).expect("a JSON object"),
                ),
                id: org.id,
                changed_at,
                actor,
                action: "created".into(),
            });
        }
        Ok(out)
    }

    /// Recounts live organizations per jurisdiction straight from the registry
    /// (for tests and `shuniu admin check`: must equal the maintained counters).
    pub async fn recount_by_jurisdiction(&self) -> Result<BTreeMap<String, (i64, i64)>> {
        let sql = "SELECT jurisdiction_code, COUNT(*), CAST(SUM(staff_full_time + staff_part_time) AS BIGINT) FROM organizations WHERE status <> 'deregistered' GROUP BY jurisdiction_code";
        let rows = on_pool!(self, |p| sqlx::query_as::<_, (String, i64, i64)>(sql)
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().map(|(c, n, s)| (c, (n, s))).collect())
    }

    /// The maintained counters, non-zero rows only.
    pub async fn stats_counters(&self) -> Result<BTreeMap<String, (i64, i64)>> {
        let sql = "SELECT jurisdiction_code, organizations, staff FROM jurisdiction_stats WHERE organizations <> 0 OR staff <> 0";
        let rows = on_pool!(self, |p| sqlx::query_as::<_, (String, i64, i64)>(sql)
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().map(|(c, n, s)| (c, (n, s))).collect())
    }
}

/// Replaces an organization's rows in `organization_domains` (one per domain, under its
/// path) after its domains or its path changed: `(old path, old domains)` out, `(new
/// path, new domains)` in. Each old row is deleted by its whole key, the table's primary
/// key, so the table needs no second index by organization (120 MB at 1M).
macro_rules! replace_domains {
    ($tx:expr, $id:expr, ($old_path:expr, $old:expr), ($new_path:expr, $new:expr)) => {{
        for dom in $old.iter() {
            sqlx::query(
                "DELETE FROM organization_domains WHERE domain = $1 AND jurisdiction_path = $2 AND organization_id = $3",
            )
            .bind(dom.as_str())
            .bind($old_path)
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        }
        for dom in $new.iter() {
            sqlx::query(
                "INSERT INTO organization_domains (domain, jurisdiction_path, organization_id) VALUES ($1, $2, $3)",
            )
            .bind(dom.as_str())
            .bind($new_path)
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}
pub(crate) use replace_domains;

/// The conflict clause of the counters' upserts: adds to the row already there.
macro_rules! stats_on_conflict {
    () => {
        "ON CONFLICT (jurisdiction_code) DO UPDATE SET organizations = jurisdiction_stats.organizations + excluded.organizations, \
         staff = jurisdiction_stats.staff + excluded.staff"
    };
}
/// Adds deltas to a jurisdiction's counters, creating the row on first use; atomic on both engines.
pub(crate) const STATS_UPSERT: &str = concat!(
    "INSERT INTO jurisdiction_stats (jurisdiction_code, organizations, staff) VALUES ($1, $2, $3) ",
    stats_on_conflict!()
);
const STATS_ON_CONFLICT: &str = stats_on_conflict!();

/// The upserts that add `deltas` (code → (organizations, staff)) to the jurisdictions'
/// counters: [`STATS_UPSERT`] as multi-row statements, one per chunk of codes.
pub(crate) fn stats_upserts(
    dialect: crate::Dialect,
    deltas: &BTreeMap<&str, (i64, i64)>,
) -> Vec<(String, Vec<crate::Arg>)> {
    let rows: Vec<_> = deltas.iter().filter(|(_, d)| **d != (0, 0)).collect();
    rows.chunks(rows_per_statement(3))
        .map(|chunk| {
            let sql = format!(
                "INSERT INTO jurisdiction_stats (jurisdiction_code, organizations, staff) VALUES {} {STATS_ON_CONFLICT}",
                values_sql(dialect, 3, chunk.len())
            );
            let args = chunk
                .iter()
                .flat_map(|(code, (n, staff))| {
                    [
                        crate::Arg::Text(code.to_string()),
                        crate::Arg::Int(*n),
                        crate::Arg::Int(*staff),
                    ]
                })
                .collect();
            (sql, args)
        })
        .collect()
}
