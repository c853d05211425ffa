//! New live memberships, one or thousands at a time (`apply_membership`, `add_member`,
//! `add_members`): the one path of every join. The facts the join rules need are read
//! for the whole batch in a few `IN (…)` queries (the hubs, the organizations, their
//! credit listings, their live memberships, and the hub graph above the hubs named),
//! the rules are then asked for each join in turn against those facts kept up to date
//! in memory (a later join sees the earlier ones), and the rows, events, counters and
//! audit records go in by multi-row statements. A batch costs a dozen statements,
//! not eight per membership.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::hubs::{
    HubKind, HubStatus, JoinFacts, Membership, MembershipStatus, check_join,
};
use shuniu_domain::jurisdiction::shard_key_of_path;
use shuniu_domain::registry::OrgStatus;
use shuniu_domain::supervision::standing::{Activity, StandingFacts, check};
use uuid::Uuid;

use super::{LIVE_SQL, corrupt, lock_memberships};
use crate::audit::append_all_in_tx;
use crate::bulk::{in_marks as marks, rows_per_statement, values_sql};
use crate::supervision::credit::{LISTING_COLUMNS, ListingRow, StoredListing};
use crate::{Result, Store, StoreError, WriteCtx, on_pool};

/// Ids per `IN (…)` list of a fact query.
const IDS_PER_QUERY: usize = 500;

/// Runs `$sql` (a function of the `IN` list's marks) over `$ids` in chunks inside `$tx`,
/// collecting the rows of type `$row`.
macro_rules! fetch_in {
    ($tx:expr, $row:ty, $ids:expr, $sql:expr) => {{
        let mut rows: Vec<$row> = Vec::new();
        for chunk in $ids.chunks(IDS_PER_QUERY) {
            let sql = $sql(marks(chunk.len()));
            let mut q = sqlx::query_as::<_, $row>(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            rows.extend(q.fetch_all(&mut *$tx).await?);
        }
        rows
    }};
}

/// A hub as the join rules see it.
struct HubFacts {
    organization_id: Uuid,
    organization_name: String,
    kind: HubKind,
    status: HubStatus,
    path: String,
}

/// The joining organization as the rules see it.
struct OrgFacts {
    name: String,
    path: String,
    status: String,
}

/// Is `target` reached walking up from `from` through live memberships (member → hub
/// organization)? The graph holds every edge above the hubs of the batch.
fn reaches(up: &HashMap<Uuid, Vec<Uuid>>, from: Uuid, target: Uuid) -> bool {
    let mut seen = HashSet::new();
    let mut stack = vec![from];
    while let Some(node) = stack.pop() {
        for &next in up.get(&node).into_iter().flatten() {
            if next == target {
                return true;
            }
            if seen.insert(next) {
                stack.push(next);
            }
        }
    }
    false
}

/// Runs `$sql` (an `UPDATE … FROM (VALUES {}) AS v` whose `{}` takes the rows' marks)
/// over `$rows`, `(id, value)` pairs, a chunk of rows per statement.
macro_rules! update_by_id {
    ($store:expr, $tx:expr, $sql:literal, $rows:expr) => {
        for chunk in $rows.chunks(rows_per_statement(2)) {
            let sql = format!($sql, values_sql($store.dialect(), 2, chunk.len()));
            let mut q = sqlx::query(&sql);
            for (id, value) in chunk {
                q = q.bind(*id).bind(*value);
            }
            q.execute(&mut *$tx).await?;
        }
    };
}

/// The counters that new active memberships `$made` move, summed over the batch: each
/// hub's `member_count`, and the members' `regional_hub_id` and `industry_hubs`, one
/// `UPDATE … FROM (VALUES …)` per counter and chunk.
macro_rules! move_join_counters {
    ($store:expr, $tx:expr, $made:expr) => {{
        let made: &[Membership] = &$made;
        let mut per_hub: std::collections::BTreeMap<Uuid, i64> = Default::default();
        let mut regional: Vec<(Uuid, Uuid)> = Vec::new();
        let mut industry: std::collections::BTreeMap<Uuid, i64> = Default::default();
        for m in made {
            *per_hub.entry(m.hub_id).or_default() += 1;
            match m.hub_kind {
                HubKind::Regional => regional.push((m.organization_id, m.hub_id)),
                HubKind::Industry => *industry.entry(m.organization_id).or_default() += 1,
            }
        }
        let per_hub: Vec<_> = per_hub.into_iter().collect();
        update_by_id!(
            $store,
            $tx,
            "UPDATE hubs SET member_count = member_count + v.column2 FROM (VALUES {}) AS v WHERE hubs.id = v.column1",
            per_hub
        );
        update_by_id!(
            $store,
            $tx,
            "UPDATE organizations SET regional_hub_id = v.column2 FROM (VALUES {}) AS v WHERE organizations.id = v.column1",
            regional
        );
        let industry: Vec<_> = industry.into_iter().collect();
        update_by_id!(
            $store,
            $tx,
            "UPDATE organizations SET industry_hubs = industry_hubs + v.column2 FROM (VALUES {}) AS v WHERE organizations.id = v.column1",
            industry
        );
    }};
}

impl Store {
    /// New live memberships in one transaction (all or none), `active` when the hub side
    /// adds them, `pending` when applied for, each after the join rules (asked in turn,
    /// so a later one sees the earlier ones).
    pub(super) async fn join_hubs(
        &self,
        items: &[(Uuid, Uuid, bool)],
        add: bool,
        today: NaiveDate,
        ctx: WriteCtx,
    ) -> Result<Vec<Membership>> {
        let (action, status) = if add {
            ("add", MembershipStatus::Active)
        } else {
            ("apply", MembershipStatus::Pending)
        };
        let now = crate::now();
        let mut hub_ids: Vec<Uuid> = items.iter().map(|i| i.0).collect();
        hub_ids.sort_unstable();
        hub_ids.dedup();
        let mut org_ids: Vec<Uuid> = items.iter().map(|i| i.1).collect();
        org_ids.sort_unstable();
        org_ids.dedup();
        let share = self.row_lock(" FOR SHARE");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            lock_memberships!(self, tx);
            let mut hubs = HashMap::with_capacity(hub_ids.len());
            for (id, org, name, kind, st, path) in fetch_in!(
                tx,
                (Uuid, Uuid, String, String, String, String),
                hub_ids,
                |m| format!(
                    "SELECT h.id, h.organization_id, o.name, h.kind, h.status, h.jurisdiction_path \
                     FROM hubs h JOIN organizations o ON o.id = h.organization_id WHERE h.id IN ({m})"
                )
            ) {
                let facts = HubFacts {
                    organization_id: org,
                    organization_name: name,
                    kind: HubKind::parse(&kind).ok_or_else(|| corrupt("hub kind"))?,
                    status: HubStatus::parse(&st).ok_or_else(|| corrupt("hub status"))?,
                    path,
                };
                hubs.insert(id, facts);
            }
            let mut orgs = HashMap::with_capacity(org_ids.len());
            for (id, name, path, status) in fetch_in!(
                tx,
                (Uuid, String, String, String),
                org_ids,
                |m| format!(
                    "SELECT id, name, jurisdiction_path, status FROM organizations WHERE id IN ({m}){share}"
                )
            ) {
                orgs.insert(id, OrgFacts { name, path, status });
            }
            let mut listings: HashMap<Uuid, Vec<_>> = HashMap::new();
            for row in fetch_in!(tx, ListingRow, org_ids, |m| format!(
                "SELECT {LISTING_COLUMNS} FROM credit_listings WHERE organization_id IN ({m}) AND removed_on IS NULL"
            )) {
                let stored = StoredListing::try_from(row)?;
                listings
                    .entry(stored.organization_id)
                    .or_default()
                    .push(stored.listing());
            }
            let mut live: HashMap<Uuid, Vec<(Uuid, HubKind)>> = HashMap::new();
            for (org, hub, kind) in fetch_in!(tx, (Uuid, Uuid, String), org_ids, |m| format!(
                "SELECT organization_id, hub_id, hub_kind FROM hub_memberships \
                 WHERE organization_id IN ({m}) AND status IN {LIVE_SQL}"
            )) {
                let kind = HubKind::parse(&kind).ok_or_else(|| corrupt("hub kind"))?;
                live.entry(org).or_default().push((hub, kind));
            }
            // The graph above the hubs' organizations: every live edge reachable upwards.
            let mut hub_orgs: Vec<Uuid> = hubs.values().map(|h| h.organization_id).collect();
            hub_orgs.sort_unstable();
            hub_orgs.dedup();
            let mut up: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
            for (member, hub_org) in fetch_in!(tx, (Uuid, Uuid), hub_orgs, |m| format!(
                "WITH RECURSIVE above (org_id) AS ( \
                   SELECT hub_organization_id FROM hub_memberships WHERE organization_id IN ({m}) AND status IN {LIVE_SQL} \
                   UNION \
                   SELECT h.hub_organization_id FROM hub_memberships h JOIN above a ON h.organization_id = a.org_id \
                   WHERE h.status IN {LIVE_SQL}) \
                 SELECT organization_id, hub_organization_id FROM hub_memberships \
                 WHERE status IN {LIVE_SQL} AND (organization_id IN ({m}) OR organization_id IN (SELECT org_id FROM above))"
            )) {
                let edges = up.entry(member).or_default();
                if !edges.contains(&hub_org) {
                    edges.push(hub_org);
                }
            }
            let mut out = Vec::with_capacity(items.len());
            let mut events = Vec::with_capacity(items.len());
            let mut shards = Vec::with_capacity(items.len());
            for &(hub_id, organization_id, initiating) in items {
                let hub = hubs.get(&hub_id).ok_or(StoreError::NotFound)?;
                let org = orgs.get(&organization_id).ok_or(StoreError::NotFound)?;
                let org_status =
                    OrgStatus::parse(&org.status).ok_or_else(|| corrupt("organization status"))?;
                let standing = StandingFacts::from_listings(
                    org_status,
                    listings.get(&organization_id).map_or(&[][..], |l| l),
                    today,
                );
                check(&standing, Activity::ApplyToHub)
                    .map_err(|r| StoreError::Invalid(r.on_field("organization_id")))?;
                let org_live = live.entry(organization_id).or_default();
                check_join(&JoinFacts {
                    organization_id,
                    organization_path: &org.path,
                    organization_status: org_status,
                    hub_organization_id: hub.organization_id,
                    hub_kind: hub.kind,
                    hub_status: hub.status,
                    hub_path: &hub.path,
                    live: org_live,
                    hub_id,
                    hub_is_below_organization: reaches(&up, hub.organization_id, organization_id),
                })
                .map_err(StoreError::Invalid)?;
                org_live.push((hub_id, hub.kind));
                up.entry(organization_id)
                    .or_default()
                    .push(hub.organization_id);
                let m = Membership {
                    id: Uuid::now_v7(),
                    hub_id,
                    hub_organization_id: hub.organization_id,
                    hub_name: hub.organization_name.clone(),
                    hub_kind: hub.kind,
                    organization_id,
                    organization_name: org.name.clone(),
                    status,
                    initiating,
                    reason: None,
                    applied_on: today,
                    decided_on: add.then_some(today),
                };
                let details = json!({
                    "hub_id": hub_id,
                    "organization_id": organization_id,
                    "status": status,
                    "initiating": initiating,
                })
                .to_string();
                events.push(ctx.event(
                    &format!("membership.{action}"),
                    format!("membership:{}", m.id),
                    Outcome::Success,
                    details,
                    Some(org.path.clone()),
                ));
                shards.push(shard_key_of_path(&org.path));
                out.push(m);
            }
            for (chunk, keys) in out
                .chunks(rows_per_statement(13))
                .zip(shards.chunks(rows_per_statement(13)))
            {
                // The member's name is kept on the membership so that one index holds
                // the member list's order (renamed with the organization).
                let sql = format!(
                    "INSERT INTO hub_memberships (id, shard_key, hub_id, hub_organization_id, hub_kind, organization_id, \
                     status, initiating, applied_on, decided_on, created_at, updated_at, member_name) VALUES {}",
                    values_sql(self.dialect(), 13, chunk.len())
                );
                let mut q = sqlx::query(&sql);
                for (m, key) in chunk.iter().zip(keys) {
                    q = q
                        .bind(m.id)
                        .bind(*key)
                        .bind(m.hub_id)
                        .bind(m.hub_organization_id)
                        .bind(m.hub_kind.as_str())
                        .bind(m.organization_id)
                        .bind(m.status.as_str())
                        .bind(m.initiating)
                        .bind(m.applied_on)
                        .bind(m.decided_on)
                        .bind(now)
                        .bind(now)
                        .bind(&m.organization_name);
                }
                q.execute(&mut *tx).await?;
            }
            for chunk in out.chunks(rows_per_statement(6)) {
                let sql = format!(
                    "INSERT INTO membership_events (id, membership_id, at, actor, action, to_status) VALUES {}",
                    values_sql(self.dialect(), 6, chunk.len())
                );
                let mut q = sqlx::query(&sql);
                for m in chunk {
                    q = q
                        .bind(Uuid::now_v7())
                        .bind(m.id)
                        .bind(now)
                        .bind(ctx.actor.as_str())
                        .bind(action)
                        .bind(m.status.as_str());
                }
                q.execute(&mut *tx).await?;
            }
            if status == MembershipStatus::Active {
                move_join_counters!(self, tx, out);
            }
            append_all_in_tx!(self, tx, events);
            tx.commit().await?;
            Ok(out)
        })
    }
}
