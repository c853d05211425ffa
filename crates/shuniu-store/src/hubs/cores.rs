//! The district core 核 of 一核两轴: its social-organization party-building work
//! committee, named per district.

use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::hubs::{HubCore, check_core};
use shuniu_domain::jurisdiction::{JurisdictionCode, Level};

use super::corrupt;
use crate::audit::append_in_tx;
use crate::{Result, Store, StoreError, WriteCtx, on_pool};

impl Store {
    /// Names (or renames) a district's core. `Invalid(jurisdiction)` unless the code is a
    /// known district. Audited as `hub.core`.
    pub async fn set_hub_core(&self, core: &HubCore, ctx: impl Into<WriteCtx>) -> Result<()> {
        let ctx = ctx.into();
        let name_zh = core.name_zh.trim();
        let name_en = core.name_en.trim();
        let now = crate::now();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let node: Option<(String, String)> =
                sqlx::query_as("SELECT level, path FROM jurisdictions WHERE code = $1")
                    .bind(core.jurisdiction.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            let (level, path) = match node {
                Some((level, path)) => {
                    let level = Level::parse(&level).ok_or_else(|| {
                        StoreError::Corrupt(format!("corrupt jurisdiction level {level}"))
                    })?;
                    (Some(level), Some(path))
                }
                None => (None, None),
            };
            check_core(name_zh, name_en, level).map_err(StoreError::Invalid)?;
            sqlx::query(
                "INSERT INTO hub_cores (jurisdiction_code, name_zh, name_en, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (jurisdiction_code) DO UPDATE SET name_zh = excluded.name_zh, \
                 name_en = excluded.name_en, updated_at = excluded.updated_at",
            )
            .bind(core.jurisdiction.as_str())
            .bind(name_zh)
            .bind(name_en)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let details = json!({"name_zh": name_zh, "name_en": name_en}).to_string();
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "hub.core",
                    format!("hub_core:{}", core.jurisdiction),
                    Outcome::Success,
                    details,
                    path
                )
            );
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn hub_core(&self, district_code: &str) -> Result<Option<HubCore>> {
        let row: Option<(String, String, String)> = on_pool!(self, |p| {
            sqlx::query_as(
            "SELECT jurisdiction_code, name_zh, name_en FROM hub_cores WHERE jurisdiction_code = $1"
        )
        .bind(district_code)
        .fetch_optional(p)
        .await
        })?;
        row.map(|(code, name_zh, name_en)| {
            Ok(HubCore {
                jurisdiction: JurisdictionCode::parse(&code).map_err(|_| corrupt("hub core"))?,
                name_zh,
                name_en,
            })
        })
        .transpose()
    }
}
