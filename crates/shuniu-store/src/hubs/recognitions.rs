//! Recognitions 认定: a registered organization recognized as a regional or an industry
//! hub, and revoked; the reads and the paged list of hubs.

use chrono::NaiveDate;
use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::hubs::{
    Hub, HubKind, HubStatus, MembershipStatus, Recognition, RecognitionFacts, check_recognition,
};
use shuniu_domain::jurisdiction::{Level, shard_key_of_path, subtree_range};
use shuniu_domain::registry::OrgStatus;
use uuid::Uuid;

use super::{HUB_SELECT, HubFilter, HubRow, LIVE_SQL, lock_memberships, placeholders};
use crate::audit::append_in_tx;
use crate::paging::keyset::ListQuery;
use crate::paging::{Key, unindexed};
use crate::supervision::credit::require_standing;
use crate::{After, Arg, KeyChunk, Page, Result, Store, StoreError, WriteCtx, bind_args, on_pool};
use shuniu_domain::supervision::standing::Activity;

const REVOKED_REASON: &str = "hub recognition revoked";

impl Store {
    /// Recognizes `organization_id` as a hub. Rules (errors are `Invalid` naming the
    /// field): the organization exists (`NotFound` otherwise) and is not deregistered
    /// (`organization_id`); it holds no standing recognition (`organization_id`); the
    /// jurisdiction exists (`jurisdiction`); a regional hub's organization is registered
    /// within the jurisdiction (`organization_id`) and the node has no standing regional
    /// hub (`jurisdiction`) — also a unique index, so a race yields the same error.
    /// Audited as `hub.recognize`.
    pub async fn recognize_hub(
        &self,
        organization_id: Uuid,
        recognition: &Recognition,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Hub> {
        let ctx = ctx.into();
        let r = recognition;
        let now = crate::now();
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let (org_name, org_path, org_status): (String, String, String) =
                sqlx::query_as(&format!(
                    "SELECT name, jurisdiction_path, status FROM organizations WHERE id = $1{}",
                    self.row_lock(" FOR SHARE")
                ))
                .bind(organization_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            require_standing!(
                tx,
                organization_id,
                &org_status,
                Activity::BeRecognized,
                crate::parks::today_local()
            );
            let node: Option<(String, String)> =
                sqlx::query_as("SELECT level, path FROM jurisdictions WHERE code = $1")
                    .bind(r.jurisdiction.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            let standing: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM hubs WHERE organization_id = $1 AND status = 'recognized'",
            )
            .bind(organization_id)
            .fetch_one(&mut *tx)
            .await?;
            let node = node
                .map(|(level, path)| {
                    Level::parse(&level)
                        .map(|level| (level, path))
                        .ok_or_else(|| {
                            StoreError::Corrupt(format!("corrupt jurisdiction level {level}"))
                        })
                })
                .transpose()?;
            // Asked only where the rule needs it: a regional hub at a known node.
            let taken = match &node {
                Some(_) if r.kind == HubKind::Regional => {
                    sqlx::query_scalar::<_, i64>(
                        "SELECT COUNT(*) FROM hubs WHERE jurisdiction_code = $1 AND kind = 'regional' AND status = 'recognized'",
                    )
                    .bind(r.jurisdiction.as_str())
                    .fetch_one(&mut *tx)
                    .await?
                }
                _ => 0,
            };
            check_recognition(&RecognitionFacts {
                kind: r.kind,
                organization_status: OrgStatus::parse(&org_status).ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "corrupt organization row {organization_id}: status"
                    ))
                })?,
                organization_path: &org_path,
                organization_recognized: standing > 0,
                jurisdiction: node.as_ref().map(|(level, path)| (*level, path.as_str())),
                jurisdiction_has_regional_hub: taken > 0,
            })
            .map_err(StoreError::Invalid)?;
            let path = node.map(|(_, path)| path).unwrap_or_default();
            let hub = Hub {
                id: Uuid::now_v7(),
                organization_id,
                organization_name: org_name,
                recognition: r.clone(),
                jurisdiction_path: path.clone(),
                status: HubStatus::Recognized,
                revoked_on: None,
                revoke_reason: None,
                member_count: 0,
            };
            sqlx::query(
                "INSERT INTO hubs (id, shard_key, organization_id, kind, level, jurisdiction_code, jurisdiction_path, \
                 base_body, fields_mask, recognizing_body, document_number, recognized_on, functions_mask, status, \
                 revoked_on, revoke_reason, member_count, created_at, updated_at, name) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULL, NULL, 0, $15, $15, $16)",
            )
            .bind(hub.id)
            .bind(shard_key_of_path(&path))
            .bind(organization_id)
            .bind(r.kind.as_str())
            .bind(r.level.as_str())
            .bind(r.jurisdiction.as_str())
            .bind(&path)
            .bind(&r.base_body)
            .bind(r.fields_mask)
            .bind(&r.recognizing_body)
            .bind(&r.document_number)
            .bind(r.recognized_on)
            .bind(r.functions_mask)
            .bind(HubStatus::Recognized.as_str())
            .bind(now)
            .bind(&hub.organization_name)
            .execute(&mut *tx)
            .await?;
            let details = json!({"organization_id": organization_id, "recognition": r}).to_string();
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "hub.recognize",
                    format!("hub:{}", hub.id),
                    Outcome::Success,
                    details,
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(hub)
        })
    }

    /// Revokes a standing recognition (`State` if already revoked). Its live memberships
    /// end (`left`, reason "hub recognition revoked", with events), and the members'
    /// coverage counters follow. Audited as `hub.revoke`.
    pub async fn revoke_hub(
        &self,
        hub_id: Uuid,
        reason: &str,
        on: NaiveDate,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Hub> {
        let ctx = ctx.into();
        let reason = Some(reason.trim().to_string()).filter(|r| !r.is_empty());
        let now = crate::now();
        let select = format!("{HUB_SELECT} WHERE h.id = $1");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            lock_memberships!(self, tx);
            let row = sqlx::query_as::<_, HubRow>(&select)
                .bind(hub_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let before = Hub::try_from(row)?;
            if before.status == HubStatus::Revoked {
                return Err(StoreError::State(
                    "this hub's recognition is already revoked".into(),
                ));
            }
            // Counters first, while the memberships still say who was active.
            match before.recognition.kind {
                HubKind::Regional => {
                    sqlx::query(
                        "UPDATE organizations SET regional_hub_id = NULL WHERE regional_hub_id = $1",
                    )
                    .bind(hub_id)
                    .execute(&mut *tx)
                    .await?;
                }
                HubKind::Industry => {
                    sqlx::query(
                        "UPDATE organizations SET industry_hubs = industry_hubs - 1 WHERE id IN \
                         (SELECT organization_id FROM hub_memberships WHERE hub_id = $1 AND status = 'active')",
                    )
                    .bind(hub_id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            let ended: Vec<(Uuid, String)> = sqlx::query_as(&format!(
                "SELECT id, status FROM hub_memberships WHERE hub_id = $1 AND status IN {LIVE_SQL} ORDER BY id"
            ))
            .bind(hub_id)
            .fetch_all(&mut *tx)
            .await?;
            sqlx::query(&format!(
                "UPDATE hub_memberships SET status = 'left', reason = $2, decided_on = $3, updated_at = $4 \
                 WHERE hub_id = $1 AND status IN {LIVE_SQL}"
            ))
            .bind(hub_id)
            .bind(REVOKED_REASON)
            .bind(on)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            // One multi-row insert per 100 events, not one statement per member.
            for chunk in ended.chunks(100) {
                let values = (0..chunk.len())
                    .map(|i| {
                        let b = 5 + 3 * i;
                        format!("(${}, ${}, $1, $2, $4, ${}, $5, $3)", b + 1, b + 2, b + 3)
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql = format!(
                    "INSERT INTO membership_events (id, membership_id, at, actor, action, from_status, \
                     to_status, reason) VALUES {values}"
                );
                let mut q = sqlx::query(&sql)
                    .bind(now)
                    .bind(ctx.actor.as_str())
                    .bind(REVOKED_REASON)
                    .bind("hub_revoked")
                    .bind(MembershipStatus::Left.as_str());
                for (mid, from) in chunk {
                    q = q.bind(Uuid::now_v7()).bind(*mid).bind(from.as_str());
                }
                q.execute(&mut *tx).await?;
            }
            sqlx::query(
                "UPDATE hubs SET status = 'revoked', revoked_on = $2, revoke_reason = $3, member_count = 0, \
                 updated_at = $4 WHERE id = $1",
            )
            .bind(hub_id)
            .bind(on)
            .bind(&reason)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let details = json!({
                "reason": reason,
                "revoked_on": on,
                "memberships_ended": ended.len(),
            })
            .to_string();
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "hub.revoke",
                    format!("hub:{hub_id}"),
                    Outcome::Success,
                    details,
                    Some(before.jurisdiction_path.clone())
                )
            );
            tx.commit().await?;
            Ok(Hub {
                status: HubStatus::Revoked,
                revoked_on: Some(on),
                revoke_reason: reason,
                member_count: 0,
                ..before
            })
        })
    }

    pub async fn hub(&self, hub_id: Uuid) -> Result<Option<Hub>> {
        let sql = format!("{HUB_SELECT} WHERE h.id = $1");
        let row = on_pool!(self, |p| sqlx::query_as::<_, HubRow>(&sql)
            .bind(hub_id)
            .fetch_optional(p)
            .await)?;
        row.map(Hub::try_from).transpose()
    }

    /// The standing recognition held by an organization, if any.
    pub async fn hub_of_organization(&self, organization_id: Uuid) -> Result<Option<Hub>> {
        let sql = format!("{HUB_SELECT} WHERE h.organization_id = $1 AND h.status = 'recognized'");
        let row = on_pool!(self, |p| sqlx::query_as::<_, HubRow>(&sql)
            .bind(organization_id)
            .fetch_optional(p)
            .await)?;
        row.map(Hub::try_from).transpose()
    }

    /// Hubs by id, any status; unknown ids are left out. One query per 500 ids, for pages
    /// that show the hubs of many rows (never one query per row).
    pub async fn hubs_by_ids(&self, ids: &[Uuid]) -> Result<Vec<Hub>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks = crate::bulk::in_marks(chunk.len());
            let sql = format!("{HUB_SELECT} WHERE h.id IN ({marks})");
            let rows = on_pool!(self, |p| {
                let mut q = sqlx::query_as::<_, HubRow>(&sql);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.fetch_all(p).await
            })?;
            for row in rows {
                out.push(Hub::try_from(row)?);
            }
        }
        Ok(out)
    }

    /// Standing hubs bound to the node at `path` or to one above it (whose jurisdiction
    /// contains an organization registered at `path`), by kind, then path, then name; at
    /// most `limit`. An index lookup per ancestor path, not a walk over every hub.
    pub async fn hubs_over_path(&self, path: &str, limit: u32) -> Result<Vec<Hub>> {
        let mut at = String::new();
        let mut paths = Vec::new();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            at.push_str(part);
            at.push('/');
            paths.push(at.clone());
        }
        if paths.is_empty() {
            return Ok(vec![]);
        }
        let mut args = Vec::new();
        let list = placeholders(&mut args, paths);
        let sql = format!(
            "{HUB_SELECT} WHERE h.status = 'recognized' AND h.jurisdiction_path IN ({list}) \
             ORDER BY CASE h.kind WHEN 'regional' THEN 0 ELSE 1 END, h.jurisdiction_path, o.name, h.id \
             LIMIT {}",
            limit.clamp(1, 1000)
        );
        let rows = on_pool!(self, |p| bind_args!(
            sqlx::query_as::<_, HubRow>(&sql),
            args
        )
        .fetch_all(p)
        .await)?;
        rows.into_iter().map(Hub::try_from).collect()
    }

    /// Hubs matching `filter`, by kind, then jurisdiction path, then name; a numbered
    /// page (choosers and the command line).
    pub async fn list_hubs(
        &self,
        filter: &HubFilter,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Hub>> {
        self.list_numbered::<HubRow, _>(hubs_list(filter), page, per_page, Hub::try_from)
            .await
    }

    /// One keyset page of the hubs matching `filter` in the list's order, from a cursor
    /// (or the first), with a bounded total.
    pub async fn hubs_page(
        &self,
        filter: &HubFilter,
        at: crate::At<'_>,
        per_page: u32,
    ) -> Result<crate::KeyPage<Hub>> {
        self.list_page::<HubRow, _>(hubs_list(filter), at, per_page, Hub::try_from)
            .await
    }

    /// The hubs matching `filter` in the list's order, `limit` after `after` (a
    /// download's keyset walk: no count, no skipped rows).
    pub async fn hubs_chunk(
        &self,
        filter: &HubFilter,
        after: Option<&After>,
        limit: u32,
    ) -> Result<KeyChunk<Hub>> {
        self.list_chunk::<HubRow, _>(hubs_list(filter), after, limit, Hub::try_from)
            .await
    }

    /// The plan of a page of the hub list (see `Store::read_plan`).
    #[cfg(feature = "testing")]
    pub async fn hubs_plan_for_tests(&self, filter: &HubFilter) -> Result<Vec<String>> {
        self.list_plan(&hubs_list(filter)).await
    }
}

/// The hub list: regional hubs first, then by place, then by name (the hub
/// organization's, kept on the hub so that `hubs_page` holds the whole order).
fn hubs_list(filter: &HubFilter) -> ListQuery {
    const KEYS: &[(&str, Key)] = &[
        ("CASE h.kind WHEN 'regional' THEN 0 ELSE 1 END", Key::Int),
        ("h.jurisdiction_path", Key::Text),
        ("h.name", Key::Text),
        ("h.id", Key::Uuid),
    ];
    let (where_sql, args) = hub_where(filter);
    ListQuery::filtered("hubs", (HUB_SELECT, "FROM hubs h"), &where_sql, args, KEYS)
}

/// The `WHERE` of the hubs matching `filter`, with its values.
fn hub_where(filter: &HubFilter) -> (String, Vec<Arg>) {
    // Each filter's column `unindexed`: no index serves it, so a page walks
    // `hubs_page` in the list's order and stops (hubs are a few thousand at most).
    let mut where_ = vec!["1 = 1".to_string()];
    let mut args: Vec<Arg> = Vec::new();
    if let Some(prefix) = &filter.path_prefix {
        let (lo, hi) = subtree_range(prefix);
        args.push(Arg::Text(lo));
        args.push(Arg::Text(hi));
        let path = unindexed("h.jurisdiction_path");
        where_.push(format!(
            "{path} >= ${} AND {path} < ${}",
            args.len() - 1,
            args.len()
        ));
    }
    if let Some(k) = filter.kind {
        args.push(Arg::Text(k.as_str().into()));
        where_.push(format!("{} = ${}", unindexed("h.kind"), args.len()));
    }
    if !filter.include_revoked {
        where_.push(format!("{} = 'recognized'", unindexed("h.status")));
    }
    (where_.join(" AND "), args)
}
