//! An organization's public contact: service phone, hours and address, one row per
//! organization, replaced whole.

use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::codes::Phone;
use shuniu_domain::services::PublicContact;
use uuid::Uuid;

use crate::audit::append_in_tx;
use crate::{Result, Store, StoreError, WriteCtx, on_pool};

impl Store {
    /// The organization's public contact, if it has declared one.
    pub async fn public_contact(&self, organization_id: Uuid) -> Result<Option<PublicContact>> {
        let row: Option<(String, String, String)> = on_pool!(self, |p| {
            sqlx::query_as(
            "SELECT service_phone, service_hours, address FROM organization_contacts WHERE organization_id = $1"
        )
        .bind(organization_id)
        .fetch_optional(p)
        .await
        })?;
        row.map(|(phone, service_hours, address)| {
            Ok(PublicContact {
                service_phone: Phone::parse(&phone)
                    .map_err(|_| StoreError::Corrupt("stored service phone".into()))?,
                service_hours,
                address,
            })
        })
        .transpose()
    }

    /// The public contacts of these organizations (one query; at most a page of ids).
    pub async fn public_contacts(&self, ids: &[Uuid]) -> Result<Vec<(Uuid, PublicContact)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT organization_id, service_phone, service_hours, address FROM organization_contacts WHERE organization_id IN ({})",
            marks.join(", ")
        );
        let args: Vec<crate::Arg> = ids.iter().map(|u| crate::Arg::Uuid(*u)).collect();
        let rows: Vec<(Uuid, String, String, String)> =
            on_pool!(self, |p| crate::bind_args!(sqlx::query_as(&sql), &args)
                .fetch_all(p)
                .await)?;
        rows.into_iter()
            .map(|(id, phone, service_hours, address)| {
                Ok((
                    id,
                    PublicContact {
                        service_phone: Phone::parse(&phone)
                            .map_err(|_| StoreError::Corrupt("stored service phone".into()))?,
                        service_hours,
                        address,
                    },
                ))
            })
            .collect()
    }

    /// Declares (or replaces) the organization's public contact; audited.
    pub async fn set_public_contact(
        &self,
        organization_id: Uuid,
        c: &PublicContact,
        ctx: impl Into<WriteCtx>,
    ) -> Result<PublicContact> {
        let ctx = ctx.into();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let path: Option<String> =
                sqlx::query_scalar("SELECT jurisdiction_path FROM organizations WHERE id = $1")
                    .bind(organization_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let path = path.ok_or(StoreError::NotFound)?;
            sqlx::query(
                "INSERT INTO organization_contacts (organization_id, service_phone, service_hours, address, updated_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organization_id) DO UPDATE SET \
                 service_phone = excluded.service_phone, service_hours = excluded.service_hours, \
                 address = excluded.address, updated_at = excluded.updated_at",
            )
            .bind(organization_id)
            .bind(c.service_phone.to_string())
            .bind(&c.service_hours)
            .bind(&c.address)
            .bind(crate::now())
            .execute(&mut *tx)
            .await?;
            let details =
                json!({"service_phone": c.service_phone.to_string(), "address": c.address})
                    .to_string();
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "organization.contact",
                    format!("organization:{organization_id}"),
                    Outcome::Success,
                    details,
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(c.clone())
    }
}
