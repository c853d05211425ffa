//! Change applications 变更登记: submitted by the organization (or an official for it),
//! decided once by the registration authority; approval writes the record, its
//! history and the audit trail in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::jurisdiction::Jurisdiction;
use shuniu_domain::money::Fen;
use shuniu_domain::registry::OrgStatus;
use shuniu_domain::supervision::changes::{
    ChangeAction, ChangeDecision, ChangeRequest, ChangeStatus, FieldChange, RegisteredField,
    RegistrationExtras, apply_changes,
};
use shuniu_domain::supervision::registration::authority_path;
use uuid::Uuid;

use super::{corrupt, invalid, org_from, org_select};
use crate::audit::append_in_tx;
use crate::registry::tallies::{tally_key, tally_moved};
use crate::registry::{OrgRow, STATS_UPSERT};
use crate::{Result, Store, StoreError, WriteCtx, on_pool};

/// A stored change application with its field changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeApplication {
    pub id: Uuid,
    pub organization_id: Uuid,
    /// Path of the registration authority that decides it.
    pub authority_path: String,
    pub status: ChangeStatus,
    pub changes: Vec<FieldChange>,
    pub attachments: Vec<String>,
    pub note: String,
    pub submitted_by: String,
    pub submitted_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub decision_reason: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AppRow {
    id: Uuid,
    organization_id: Uuid,
    authority_path: String,
    status: String,
    attachments: String,
    note: String,
    submitted_by: String,
    submitted_at: DateTime<Utc>,
    decided_by: Option<String>,
    decided_on: Option<NaiveDate>,
    decision_reason: Option<String>,
}

const APP_COLUMNS: &str = "id, organization_id, authority_path, status, attachments, note, submitted_by, submitted_at, decided_by, decided_on, decision_reason";

fn app_from(r: AppRow, fields: Vec<(String, String, String)>) -> Result<ChangeApplication> {
    let changes = fields
        .into_iter()
        .map(|(f, from, to)| {
            Ok(FieldChange {
                field: RegisteredField::parse(&f).ok_or_else(|| corrupt("change field"))?,
                from,
                to,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ChangeApplication {
        id: r.id,
        organization_id: r.organization_id,
        authority_path: r.authority_path,
        status: ChangeStatus::parse(&r.status).ok_or_else(|| corrupt("change status"))?,
        changes,
        attachments: serde_json::from_str(&r.attachments)
            .map_err(|_| corrupt("change attachments"))?,
        note: r.note,
        submitted_by: r.submitted_by,
        submitted_at: r.submitted_at,
        decided_by: r.decided_by,
        decided_on: r.decided_on,
        decision_reason: r.decision_reason,
    })
}

#[derive(sqlx::FromRow)]
struct ExtrasRow {
    business_scope: String,
    competent_unit: Option<String>,
    registered_capital_fen: Option<i64>,
}

impl From<ExtrasRow> for RegistrationExtras {
    fn from(r: ExtrasRow) -> Self {
        RegistrationExtras {
            business_scope: r.business_scope,
            competent_unit: r.competent_unit,
            registered_capital: r.registered_capital_fen.map(Fen),
        }
    }
}

const EXTRAS_SELECT: &str = "SELECT business_scope, competent_unit, registered_capital_fen FROM organization_registration WHERE organization_id = $1";
const EXTRAS_UPSERT: &str = "INSERT INTO organization_registration (organization_id, business_scope, competent_unit, registered_capital_fen, updated_at) \
    VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organization_id) DO UPDATE SET business_scope = excluded.business_scope, \
    competent_unit = excluded.competent_unit, registered_capital_fen = excluded.registered_capital_fen, updated_at = excluded.updated_at";
const FIELDS_SELECT: &str = "SELECT field, from_value, to_value FROM change_application_fields WHERE application_id = $1 ORDER BY field";
const HISTORY_INSERT: &str = "INSERT INTO organization_changes (id, organization_id, changed_at, actor, action, changes) VALUES ($1, $2, $3, $4, $5, $6)";

fn changes_json(changes: &[FieldChange]) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for c in changes {
        m.insert(
            c.field.as_str().to_string(),
            json!({"from": c.from, "to": c.to}),
        );
    }
    serde_json::Value::Object(m)
}

/// The one open application per organization is a partial unique index.
fn open_application_exists(e: sqlx::Error) -> StoreError {
    if let Some(db) = e.as_database_error()
        && db.is_unique_violation()
    {
        return invalid(
            "changes",
            "该组织已有待审核的变更申请",
            "this organization already has an application waiting for a decision",
        );
    }
    e.into()
}

impl Store {
    /// Registered facts the organization row does not hold (empty until registered).
    pub async fn registration_extras(&self, organization_id: Uuid) -> Result<RegistrationExtras> {
        let row = on_pool!(self, |p| sqlx::query_as::<_, ExtrasRow>(EXTRAS_SELECT)
            .bind(organization_id)
            .fetch_optional(p)
            .await)?;
        Ok(row.map(Into::into).unwrap_or_default())
    }

    /// Records registered facts as the authority registered them (registration, import).
    pub async fn set_registration_extras(
        &self,
        organization_id: Uuid,
        extras: &RegistrationExtras,
        ctx: impl Into<WriteCtx>,
    ) -> Result<()> {
        let ctx = ctx.into();
        let now = crate::now();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let org = org_from(
                sqlx::query_as::<_, OrgRow>(&org_select(self))
                    .bind(organization_id)
                    .fetch_optional(&mut *tx)
                    .await?,
            )?;
            sqlx::query(EXTRAS_UPSERT)
                .bind(organization_id)
                .bind(&extras.business_scope)
                .bind(&extras.competent_unit)
                .bind(extras.registered_capital.map(|f| f.0))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let details = serde_json::to_string(extras).expect("serializable");
            sqlx::query(HISTORY_INSERT)
                .bind(Uuid::now_v7())
                .bind(organization_id)
                .bind(now)
                .bind(&ctx.actor)
                .bind("registration_recorded")
                .bind(&details)
                .execute(&mut *tx)
                .await?;
            let path: Option<String> =
                sqlx::query_scalar("SELECT path FROM jurisdictions WHERE code = $1")
                    .bind(org.data.jurisdiction.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "registration.record",
                    format!("organization:{organization_id}"),
                    Outcome::Success,
                    details,
                    path
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Submits a change application validated by `ChangeDraft::validate`. Its "from"
    /// values are checked again against the record inside the transaction.
    pub async fn submit_change_application(
        &self,
        organization_id: Uuid,
        req: &ChangeRequest,
        today: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<ChangeApplication> {
        let ctx = ctx.into();
        let now = crate::now();
        let id = Uuid::now_v7();
        let attachments = serde_json::to_string(&req.attachments).expect("serializable");
        let app = on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let org = org_from(
                sqlx::query_as::<_, OrgRow>(&org_select(self))
                    .bind(organization_id)
                    .fetch_optional(&mut *tx)
                    .await?,
            )?;
            if org.status == OrgStatus::Deregistered {
                return Err(invalid(
                    "changes",
                    "已注销的组织不能申请变更登记",
                    "a deregistered organization cannot apply for changes",
                ));
            }
            let extras: RegistrationExtras = sqlx::query_as::<_, ExtrasRow>(EXTRAS_SELECT)
                .bind(organization_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(Into::into)
                .unwrap_or_default();
            if let Err(e) = apply_changes(&org.data, &extras, &req.changes, today) {
                return Err(StoreError::Invalid(e.refusal().on_field("changes")));
            }
            let (shard_key, path): (String, String) = sqlx::query_as(
                "SELECT shard_key, jurisdiction_path FROM organizations WHERE id = $1",
            )
            .bind(organization_id)
            .fetch_one(&mut *tx)
            .await?;
            let authority = authority_path(org.data.legal_form, &path);
            sqlx::query(
                "INSERT INTO change_applications (id, shard_key, organization_id, authority_path, status, attachments, note, submitted_by, submitted_at) \
                 VALUES ($1, $2, $3, $4, 'submitted', $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(&shard_key)
            .bind(organization_id)
            .bind(&authority)
            .bind(&attachments)
            .bind(&req.note)
            .bind(&ctx.actor)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(open_application_exists)?;
            for c in &req.changes {
                sqlx::query("INSERT INTO change_application_fields (application_id, field, from_value, to_value) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(c.field.as_str())
                    .bind(&c.from)
                    .bind(&c.to)
                    .execute(&mut *tx)
                    .await?;
            }
            let details = json!({"application": id, "changes": changes_json(&req.changes), "attachments": req.attachments}).to_string();
            sqlx::query(HISTORY_INSERT)
                .bind(Uuid::now_v7())
                .bind(organization_id)
                .bind(now)
                .bind(&ctx.actor)
                .bind("change_application.submitted")
                .bind(&details)
                .execute(&mut *tx)
                .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "change_application.submit",
                    format!("change_application:{id}"),
                    Outcome::Success,
                    details,
                    Some(path.clone())
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(ChangeApplication {
                id,
                organization_id,
                authority_path: authority,
                status: ChangeStatus::Submitted,
                changes: req.changes.clone(),
                attachments: req.attachments.clone(),
                note: req.note.clone(),
                submitted_by: ctx.actor.clone(),
                submitted_at: now,
                decided_by: None,
                decided_on: None,
                decision_reason: None,
            })
        })?;
        Ok(app)
    }

    /// Decides a submitted application, once: approve (writes the changes to the record
    /// with its history), return (with a reason) or withdraw. Who may decide is the
    /// caller's question (`changes::may_decide`); the store makes sure it happens once.
    pub async fn decide_change_application(
        &self,
        application_id: Uuid,
        decision: &ChangeDecision,
        decided_on: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<ChangeApplication> {
        let ctx = ctx.into();
        let now = crate::now();
        let lock = self.row_lock(" FOR UPDATE");
        let select = format!("SELECT {APP_COLUMNS} FROM change_applications WHERE id = $1{lock}");
        let to = decision
            .action
            .apply(ChangeStatus::Submitted)
            .expect("from submitted");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let row = sqlx::query_as::<_, AppRow>(&select)
                .bind(application_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let fields: Vec<(String, String, String)> = sqlx::query_as(FIELDS_SELECT)
                .bind(application_id)
                .fetch_all(&mut *tx)
                .await?;
            let app = app_from(row, fields)?;
            if decision.action.apply(app.status).is_none() {
                return Err(StoreError::State(format!(
                    "the application is already {}",
                    app.status
                )));
            }
            let org = org_from(
                sqlx::query_as::<_, OrgRow>(&org_select(self))
                    .bind(app.organization_id)
                    .fetch_optional(&mut *tx)
                    .await?,
            )?;
            let (mut path,): (String,) =
                sqlx::query_as("SELECT jurisdiction_path FROM organizations WHERE id = $1")
                    .bind(app.organization_id)
                    .fetch_one(&mut *tx)
                    .await?;
            // The approved change's effect on the list's tallies (legal form, jurisdiction).
            let mut tally_before = None;
            // A move's counters: (from, to, staff), written after the audit record.
            let mut stats_moved = None;
            if decision.action == ChangeAction::Approve {
                if org.status == OrgStatus::Deregistered {
                    return Err(invalid(
                        "changes",
                        "组织已注销，不能核准变更",
                        "the organization is deregistered: nothing to change",
                    ));
                }
                let extras: RegistrationExtras = sqlx::query_as::<_, ExtrasRow>(EXTRAS_SELECT)
                    .bind(app.organization_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(Into::into)
                    .unwrap_or_default();
                let (data, new_extras) =
                    apply_changes(&org.data, &extras, &app.changes, decided_on)
                        .map_err(|e| StoreError::Invalid(e.refusal().on_field("changes")))?;
                let j: Option<(String, String, String, String, String)> = sqlx::query_as(
                    "SELECT code, name_zh, name_en, level, path FROM jurisdictions WHERE code = $1",
                )
                .bind(data.jurisdiction.as_str())
                .fetch_optional(&mut *tx)
                .await?;
                let Some((_, _, _, _, new_path)) = j else {
                    return Err(invalid(
                        "jurisdiction",
                        "没有这个行政区划",
                        "is not a known jurisdiction",
                    ));
                };
                let shard_key =
                    shuniu_domain::jurisdiction::shard_key_of_path(&new_path).to_string();
                tally_before = Some(tally_key!(self, tx, app.organization_id));
                crate::registry::creation::keep_creation!(tx, app.organization_id);
                sqlx::query(
                    "UPDATE organizations SET shard_key = $2, jurisdiction_path = $3, jurisdiction_code = $4, name = $5, \
                     legal_form = $6, uscc = $7, filing_number = $8, address = $9, founded_on = $10, \
                     legal_representative = $11, updated_at = $12 WHERE id = $1",
                )
                .bind(app.organization_id)
                .bind(&shard_key)
                .bind(&new_path)
                .bind(data.jurisdiction.as_str())
                .bind(&data.name)
                .bind(data.legal_form.as_str())
                .bind(data.uscc.as_ref().map(|u| u.as_str()))
                .bind(data.filing_number.as_ref().map(|f| f.as_str()))
                .bind(&data.address)
                .bind(data.founded_on)
                .bind(&data.legal_representative)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if data.name != org.data.name {
                    crate::hubs::rename_in_hubs!(tx, app.organization_id, &data.name);
                }
                if new_path != path {
                    // A move: the domain index and the counters follow the record.
                    crate::registry::replace_domains!(
                        tx,
                        app.organization_id,
                        (&path, org.data.domains),
                        (&new_path, data.domains)
                    );
                    stats_moved = Some((
                        org.data.jurisdiction.clone(),
                        data.jurisdiction.clone(),
                        i64::from(org.data.staff_total()),
                    ));
                    path = new_path;
                }
                sqlx::query(EXTRAS_UPSERT)
                    .bind(app.organization_id)
                    .bind(&new_extras.business_scope)
                    .bind(&new_extras.competent_unit)
                    .bind(new_extras.registered_capital.map(|f| f.0))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                // The effect, field by field, as every other registry write records it.
                sqlx::query(HISTORY_INSERT)
                    .bind(Uuid::now_v7())
                    .bind(app.organization_id)
                    .bind(now)
                    .bind(&ctx.actor)
                    .bind("change_registration")
                    .bind(changes_json(&app.changes).to_string())
                    .execute(&mut *tx)
                    .await?;
            }
            // Guarded by the status read above: two racing decisions cannot both land.
            let res = sqlx::query(
                "UPDATE change_applications SET status = $2, decided_by = $3, decided_on = $4, decided_at = $5, decision_reason = $6 \
                 WHERE id = $1 AND status = 'submitted'",
            )
            .bind(application_id)
            .bind(to.as_str())
            .bind(&ctx.actor)
            .bind(decided_on)
            .bind(now)
            .bind(&decision.reason)
            .execute(&mut *tx)
            .await?;
            if res.rows_affected() != 1 {
                return Err(StoreError::State(
                    "the application was decided meanwhile".into(),
                ));
            }
            let details = json!({
                "application": application_id,
                "decision": decision.action,
                "reason": decision.reason,
                "changes": changes_json(&app.changes),
            })
            .to_string();
            sqlx::query(HISTORY_INSERT)
                .bind(Uuid::now_v7())
                .bind(app.organization_id)
                .bind(now)
                .bind(&ctx.actor)
                .bind(format!("change_application.{to}"))
                .bind(&details)
                .execute(&mut *tx)
                .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    &format!("change_application.{}", decision.action),
                    format!("change_application:{application_id}"),
                    Outcome::Success,
                    details,
                    Some(path)
                )
            );
            // Counters after the audit record, as in every write (see `registry::tallies`).
            if let Some((from, to, staff)) = stats_moved {
                for (code, n) in [(from.as_str(), -1i64), (to.as_str(), 1)] {
                    sqlx::query(STATS_UPSERT)
                        .bind(code)
                        .bind(n)
                        .bind(n * staff)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            if let Some(before) = tally_before {
                tally_moved!(self, tx, app.organization_id, before);
            }
            tx.commit().await?;
            Ok::<_, StoreError>(ChangeApplication {
                status: to,
                decided_by: Some(ctx.actor.clone()),
                decided_on: Some(decided_on),
                decision_reason: decision.reason.clone(),
                ..app
            })
        })
    }

    pub async fn change_application(&self, id: Uuid) -> Result<Option<ChangeApplication>> {
        let sql = format!("SELECT {APP_COLUMNS} FROM change_applications WHERE id = $1");
        let (row, fields) = on_pool!(self, |p| {
            let row = sqlx::query_as::<_, AppRow>(&sql)
                .bind(id)
                .fetch_optional(p)
                .await?;
            let fields: Vec<(String, String, String)> =
                sqlx::query_as(FIELDS_SELECT).bind(id).fetch_all(p).await?;
            Ok::<_, sqlx::Error>((row, fields))
        })?;
        row.map(|r| app_from(r, fields)).transpose()
    }

    /// An organization's applications, newest first.
    pub async fn change_applications_of(
        &self,
        organization_id: Uuid,
    ) -> Result<Vec<ChangeApplication>> {
        let sql = format!(
            "SELECT {APP_COLUMNS} FROM change_applications WHERE organization_id = $1 ORDER BY submitted_at DESC, id DESC"
        );
        self.load_applications(&sql, &organization_id.to_string(), None)
            .await
    }

    /// The applications an authority decides (its own node exactly), oldest first;
    /// `status` filters (e.g. the submitted ones waiting for a decision).
    pub async fn change_applications_for_authority(
        &self,
        authority: &Jurisdiction,
        status: Option<ChangeStatus>,
    ) -> Result<Vec<ChangeApplication>> {
        self.change_applications_head(authority, status, 500).await
    }

    /// The first `limit` of those applications (oldest first), for a summary.
    pub async fn change_applications_head(
        &self,
        authority: &Jurisdiction,
        status: Option<ChangeStatus>,
        limit: u32,
    ) -> Result<Vec<ChangeApplication>> {
        let sql = format!(
            "SELECT {APP_COLUMNS} FROM change_applications WHERE authority_path = $1 AND ($2 = '' OR status = $2) \
             ORDER BY submitted_at ASC, id ASC LIMIT {}",
            limit.clamp(1, 500)
        );
        self.load_applications(
            &sql,
            &authority.path,
            Some(status.map(|s| s.as_str()).unwrap_or("")),
        )
        .await
    }

    /// How many applications the authority has (of one status, or all): counted in
    /// the database on the `(authority_path, status, …)` index, never capped.
    pub async fn count_change_applications_for_authority(
        &self,
        authority: &Jurisdiction,
        status: Option<ChangeStatus>,
    ) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM change_applications WHERE authority_path = $1 AND ($2 = '' OR status = $2)";
        let status = status.map(|s| s.as_str()).unwrap_or("");
        Ok(on_pool!(self, |p| sqlx::query_scalar::<_, i64>(sql)
            .bind(&authority.path)
            .bind(status)
            .fetch_one(p)
            .await)?)
    }

    async fn load_applications(
        &self,
        sql: &str,
        key: &str,
        status: Option<&str>,
    ) -> Result<Vec<ChangeApplication>> {
        let rows = on_pool!(self, |p| {
            let mut q = sqlx::query_as::<_, AppRow>(sql);
            q = match Uuid::parse_str(key) {
                Ok(id) => q.bind(id),
                Err(_) => q.bind(key.to_string()),
            };
            if let Some(s) = status {
                q = q.bind(s.to_string());
            }
            q.fetch_all(p).await
        })?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let fields: Vec<(String, String, String)> =
                on_pool!(self, |p| sqlx::query_as(FIELDS_SELECT)
                    .bind(r.id)
                    .fetch_all(p)
                    .await)?;
            out.push(app_from(r, fields)?);
        }
        Ok(out)
    }
}
