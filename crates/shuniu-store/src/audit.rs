//! The audit trail: appended in the same transaction as the write it records,
//! chained by HMAC (see `shuniu_domain::audit`), verified record by record.

use chrono::{DateTime, Utc};
use serde::Serialize;
use shuniu_domain::audit::{AuditEvent, AuditRecord, ChainBreak, ChainVerifier, Outcome};

use crate::{Arg, Result, Store, StoreError, bind_args, on_pool};

/// Who is writing, from where: carried into every audit record of a write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WriteCtx {
    pub actor: String,
    pub role: String,
    pub source: String,
}

impl WriteCtx {
    pub fn new(
        actor: impl Into<String>,
        role: impl Into<String>,
        source: impl Into<String>,
    ) -> Self {
        WriteCtx {
            actor: actor.into(),
            role: role.into(),
            source: source.into(),
        }
    }
    /// The shell (`shuniu` subcommands) and system tasks.
    pub fn system(actor: &str) -> Self {
        WriteCtx::new(actor, "system", "local")
    }
    pub(crate) fn event(
        &self,
        action: &str,
        object: String,
        outcome: Outcome,
        details: String,
        path: Option<String>,
    ) -> AuditEvent {
        AuditEvent {
            at: AuditEvent::now_micros(),
            actor: self.actor.clone(),
            role: self.role.clone(),
            source: self.source.clone(),
            action: action.to_string(),
            object,
            outcome,
            details,
            jurisdiction_path: path,
        }
    }
}

impl From<&str> for WriteCtx {
    fn from(actor: &str) -> Self {
        WriteCtx::system(actor)
    }
}

impl From<&WriteCtx> for WriteCtx {
    fn from(c: &WriteCtx) -> Self {
        c.clone()
    }
}

/// Filters of the audit trail browser; all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AuditFilter {
    /// Only records within this jurisdiction path (officials see their subtree).
    pub path_prefix: Option<String>,
    pub actor: Option<String>,
    /// Exact action, or a prefix ending in `.` (`organization.`).
    pub action: Option<String>,
    pub outcome: Option<Outcome>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    seq: i64,
    at: DateTime<Utc>,
    actor: String,
    role: String,
    source: String,
    action: String,
    object: String,
    outcome: String,
    details: String,
    jurisdiction_path: Option<String>,
    prev_hash: String,
    hash: String,
}

impl From<AuditRow> for AuditRecord {
    fn from(r: AuditRow) -> Self {
        AuditRecord {
            seq: r.seq,
            event: AuditEvent {
                at: r.at,
                actor: r.actor,
                role: r.role,
                source: r.source,
                action: r.action,
                object: r.object,
                // An unknown outcome cannot verify: the hash covers the original text.
                outcome: Outcome::parse(&r.outcome).unwrap_or(Outcome::Failure),
                details: r.details,
                jurisdiction_path: r.jurisdiction_path,
            },
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

const AUDIT_COLUMNS: &str = "seq, at, actor, role, source, action, object, outcome, details, jurisdiction_path, prev_hash, hash";

/// Appends `$event` to the chain inside the open transaction `$tx`.
macro_rules! append_in_tx {
    ($store:expr, $tx:expr, $event:expr) => {{
        let store: &$crate::Store = $store;
        let lock = if store.backend_name() == "postgres" { " FOR UPDATE" } else { "" };
        let (seq, prev): (i64, String) =
            sqlx::query_as(&format!("SELECT seq, hash FROM audit_head WHERE id = 1{lock}"))
                .fetch_one(&mut *$tx)
                .await?;
        let rec = shuniu_domain::audit::AuditRecord::chain(&store.audit_key, seq + 1, $event, &prev);
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, role, source, action, object, outcome, details, jurisdiction_path, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(rec.seq)
        .bind(rec.event.at)
        .bind(&rec.event.actor)
        .bind(&rec.event.role)
        .bind(&rec.event.source)
        .bind(&rec.event.action)
        .bind(&rec.event.object)
        .bind(rec.event.outcome.as_str())
        .bind(&rec.event.details)
        .bind(&rec.event.jurisdiction_path)
        .bind(&rec.prev_hash)
        .bind(&rec.hash)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(rec.seq)
            .bind(&rec.hash)
            .execute(&mut *$tx)
            .await?;
        rec
    }};
}
pub(crate) use append_in_tx;

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub verified: i64,
    pub first_break: Option<ChainBreak>,
}

impl Store {
    /// Appends one event (security events: logins, denials, exports) in its own transaction.
    pub async fn audit(&self, event: AuditEvent) -> Result<AuditRecord> {
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let rec = append_in_tx!(self, tx, event);
            tx.commit().await?;
            Ok::<_, StoreError>(rec)
        })
    }

    /// Records matching `filter`, newest first, paged in the database.
    pub async fn audit_page(
        &self,
        filter: &AuditFilter,
        page: u32,
        per_page: u32,
    ) -> Result<crate::Page<AuditRecord>> {
        let page = page.max(1);
        let per_page = per_page.clamp(1, 500);
        let (where_sql, args) = audit_where(filter);
        let count_sql = format!("SELECT COUNT(*) FROM audit_log WHERE {where_sql}");
        let list_sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE {where_sql} ORDER BY seq DESC LIMIT {per_page} OFFSET {}",
            (u64::from(page) - 1) * u64::from(per_page)
        );
        let (total, rows) = on_pool!(self, |p| {
            let total: i64 = bind_args!(sqlx::query_scalar::<_, i64>(&count_sql), args)
                .fetch_one(p)
                .await?;
            let rows = bind_args!(sqlx::query_as::<_, AuditRow>(&list_sql), args)
                .fetch_all(p)
                .await?;
            Ok::<_, sqlx::Error>((total, rows))
        })?;
        Ok(crate::Page {
            items: rows.into_iter().map(AuditRecord::from).collect(),
            total,
            page,
            per_page,
        })
    }

    /// Records matching `filter` with `seq < before` (all if `None`), newest first, at
    /// most `limit`: for streaming an export without loading the whole trail.
    pub async fn audit_chunk(
        &self,
        filter: &AuditFilter,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>> {
        let (where_sql, mut args) = audit_where(filter);
        args.push(Arg::Int(before.unwrap_or(i64::MAX)));
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE {where_sql} AND seq < ${} ORDER BY seq DESC LIMIT {}",
            args.len(),
            limit.clamp(1, 10_000)
        );
        let rows = on_pool!(self, |p| bind_args!(
            sqlx::query_as::<_, AuditRow>(&sql),
            args
        )
        .fetch_all(p)
        .await)?;
        Ok(rows.into_iter().map(AuditRecord::from).collect())
    }

    /// Walks the whole chain in order and reports the first record that was altered,
    /// deleted or inserted (or cut off the end).
    pub async fn audit_verify(&self) -> Result<VerifyReport> {
        let (head_seq, head_hash, base_seq, base_hash): (i64, String, i64, String) =
            on_pool!(self, |p| {
                sqlx::query_as("SELECT seq, hash, base_seq, base_hash FROM audit_head WHERE id = 1")
                    .fetch_one(p)
                    .await
            })?;
        let mut v = ChainVerifier::starting_after(&self.audit_key, base_seq, &base_hash);
        let mut after = base_seq;
        loop {
            let sql = format!(
                "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 2000"
            );
            let rows = on_pool!(self, |p| sqlx::query_as::<_, AuditRow>(&sql)
                .bind(after)
                .fetch_all(p)
                .await)?;
            if rows.is_empty() {
                break;
            }
            for r in rows {
                let rec = AuditRecord::from(r);
                after = rec.seq;
                if let Err(b) = v.check(&rec) {
                    return Ok(VerifyReport {
                        verified: v.verified(),
                        first_break: Some(b),
                    });
                }
            }
        }
        let first_break = v.finish(head_seq, &head_hash).err();
        Ok(VerifyReport {
            verified: v.verified(),
            first_break,
        })
    }

    /// Removes records older than `cutoff` (retention), keeping the chain verifiable
    /// from the first remaining record. Callers enforce the minimum retention.
    pub async fn audit_purge_before(&self, cutoff: DateTime<Utc>) -> Result<i64> {
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let last: Option<(i64, String)> = sqlx::query_as(
                "SELECT seq, hash FROM audit_log WHERE at < $1 ORDER BY seq DESC LIMIT 1",
            )
            .bind(cutoff)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((seq, hash)) = last else {
                return Ok(0);
            };
            if self.backend_name() == "postgres" {
                sqlx::query("SET LOCAL shuniu.audit_purge = 'on'")
                    .execute(&mut *tx)
                    .await?;
            } else {
                sqlx::query("UPDATE audit_purge SET active = 1 WHERE id = 1")
                    .execute(&mut *tx)
                    .await?;
            }
            let n = sqlx::query("DELETE FROM audit_log WHERE seq <= $1")
                .bind(seq)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if self.backend_name() != "postgres" {
                sqlx::query("UPDATE audit_purge SET active = 0 WHERE id = 1")
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("UPDATE audit_head SET base_seq = $1, base_hash = $2 WHERE id = 1")
                .bind(seq)
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(n as i64)
        })
    }
}

fn audit_where(f: &AuditFilter) -> (String, Vec<Arg>) {
    let mut clauses = vec!["1 = 1".to_string()];
    let mut args = Vec::new();
    let mut push = |clause: &str, a: Arg| {
        args.push(a);
        clauses.push(clause.replace('?', &format!("${}", args.len())));
    };
    if let Some(p) = &f.path_prefix {
        let (lo, hi) = shuniu_domain::jurisdiction::subtree_range(p);
        push("jurisdiction_path >= ?", Arg::Text(lo));
        push("jurisdiction_path < ?", Arg::Text(hi));
    }
    if let Some(a) = f.actor.as_deref().filter(|s| !s.is_empty()) {
        push("actor = ?", Arg::Text(a.to_string()));
    }
    if let Some(a) = f.action.as_deref().filter(|s| !s.is_empty()) {
        if let Some(prefix) = a.strip_suffix('.') {
            push("action >= ?", Arg::Text(format!("{prefix}.")));
            push("action < ?", Arg::Text(format!("{prefix}/")));
        } else {
            push("action = ?", Arg::Text(a.to_string()));
        }
    }
    if let Some(o) = f.outcome {
        push("outcome = ?", Arg::Text(o.as_str().to_string()));
    }
    if let Some(t) = f.from {
        push("at >= ?", Arg::Time(t));
    }
    if let Some(t) = f.to {
        push("at < ?", Arg::Time(t));
    }
    (clauses.join(" AND "), args)
}
