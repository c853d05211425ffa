//! The audit trail: appended in the same transaction as the write it records,
//! chained by HMAC (see `shuniu_domain::audit`), verified record by record.

use chrono::{DateTime, Utc};
use serde::Serialize;
use shuniu_domain::audit::{
    AuditEvent, AuditRecord, BreakKind, ChainBreak, ChainEnds, ChainVerifier, ChangeRef,
    Checkpoint, CheckpointError, CheckpointFinding, Outcome,
};

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
        shuniu_domain::audit::kinds::debug_assert_known(action);
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

/// A record's columns as read. `prev_hash` is not stored (migration `20261206110000`):
/// it is the previous record's hash, or the purge anchor's when that record was purged
/// (one lookup by primary key per row read).
const AUDIT_COLUMNS: &str = "seq, at, actor, role, source, action, object, outcome, details, jurisdiction_path, \
    COALESCE((SELECT p.hash FROM audit_log p WHERE p.seq = audit_log.seq - 1), \
             (SELECT h.base_hash FROM audit_head h WHERE h.id = 1 AND h.base_seq = audit_log.seq - 1), '') AS prev_hash, \
    hash";

/// Appends `$event` to the chain inside the open transaction `$tx`.
macro_rules! append_in_tx {
    ($store:expr, $tx:expr, $event:expr) => {{
        let store: &$crate::Store = $store;
        let lock = store.row_lock(" FOR UPDATE");
        let (seq, prev): (i64, String) =
            sqlx::query_as(&format!("SELECT seq, hash FROM audit_head WHERE id = 1{lock}"))
                .fetch_one(&mut *$tx)
                .await?;
        let rec = shuniu_domain::audit::AuditRecord::chain(&store.audit_key, seq + 1, $event, &prev);
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, role, source, action, object, outcome, details, jurisdiction_path, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
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
        .bind(&rec.hash)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2, head_mac = $3 WHERE id = 1")
            .bind(rec.seq)
            .bind(&rec.hash)
            .bind(shuniu_domain::audit::head_mac(&store.audit_key, rec.seq, &rec.hash))
            .execute(&mut *$tx)
            .await?;
        rec
    }};
}
pub(crate) use append_in_tx;

/// Appends `$events` (a `Vec<AuditEvent>`, in order) to the chain inside the open
/// transaction `$tx`: the head is read and moved once, the records are chained in
/// memory and inserted by multi-row statements — what a write in bulk costs per record
/// is its HMAC and its row, not three round trips.
macro_rules! append_all_in_tx {
    ($store:expr, $tx:expr, $events:expr) => {{
        let store: &$crate::Store = $store;
        let events: Vec<shuniu_domain::audit::AuditEvent> = $events;
        if !events.is_empty() {
            let lock = store.row_lock(" FOR UPDATE");
            let (mut seq, mut prev): (i64, String) =
                sqlx::query_as(&format!("SELECT seq, hash FROM audit_head WHERE id = 1{lock}"))
                    .fetch_one(&mut *$tx)
                    .await?;
            let mut records = Vec::with_capacity(events.len());
            for event in events {
                seq += 1;
                let rec = shuniu_domain::audit::AuditRecord::chain(&store.audit_key, seq, event, &prev);
                prev = rec.hash.clone();
                records.push(rec);
            }
            for chunk in records.chunks($crate::bulk::rows_per_statement(11)) {
                let sql = format!(
                    "INSERT INTO audit_log (seq, at, actor, role, source, action, object, outcome, details, jurisdiction_path, hash) VALUES {}",
                    $crate::bulk::values_sql(store.dialect(), 11, chunk.len())
                );
                let mut q = sqlx::query(&sql);
                for rec in chunk {
                    q = q
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
                        .bind(&rec.hash);
                }
                q.execute(&mut *$tx).await?;
            }
            sqlx::query("UPDATE audit_head SET seq = $1, hash = $2, head_mac = $3 WHERE id = 1")
                .bind(seq)
                .bind(&prev)
                .bind(shuniu_domain::audit::head_mac(&store.audit_key, seq, &prev))
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use append_all_in_tx;

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// The last record verified (the anchor's seq when none was).
    pub verified: i64,
    pub first_break: Option<ChainBreak>,
    /// The head of the snapshot verified: its last record's seq and hash.
    pub head_seq: i64,
    pub head_hash: String,
    /// What became of the checkpoint, when verified since one and no break was found first.
    pub checkpoint: Option<CheckpointFinding>,
}

impl VerifyReport {
    fn broken(mut self, verified: i64, b: ChainBreak) -> VerifyReport {
        self.verified = verified;
        self.first_break = Some(b);
        self
    }
}

#[derive(sqlx::FromRow)]
struct EndsRow {
    seq: i64,
    hash: String,
    head_mac: Option<String>,
    base_seq: i64,
    base_hash: String,
    base_mac: Option<String>,
}

impl From<EndsRow> for ChainEnds {
    fn from(r: EndsRow) -> Self {
        ChainEnds {
            head_seq: r.seq,
            head_hash: r.hash,
            head_mac: r.head_mac,
            base_seq: r.base_seq,
            base_hash: r.base_hash,
            base_mac: r.base_mac,
        }
    }
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
        let (where_sql, args) = audit_where(filter);
        let count_sql = format!("SELECT COUNT(*) FROM audit_log WHERE {where_sql}");
        let list_sql =
            format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE {where_sql} ORDER BY seq DESC");
        self.paged(
            crate::Paging::new(page, per_page, 500),
            (&count_sql, &args),
            (&list_sql, &args),
            |r: AuditRow| Ok(AuditRecord::from(r)),
        )
        .await
    }

    /// One keyset page of the records matching `filter`, newest first: from a cursor
    /// (or the newest), walking `seq` down and stopping after the page, with a bounded
    /// total. A cursor of another list is an invalid `cursor`.
    pub async fn audit_keyset(
        &self,
        filter: &AuditFilter,
        at: crate::At<'_>,
        per_page: u32,
    ) -> Result<crate::KeyPage<AuditRecord>> {
        let (where_sql, args) = audit_where(filter);
        let q = crate::paging::keyset::ListQuery::new(
            "audit",
            AUDIT_COLUMNS,
            format!("FROM audit_log WHERE {where_sql}"),
            args,
            &[("seq", crate::paging::Key::Int)],
        );
        let q = q.desc().max(500);
        self.list_page(q, at, per_page, |r: AuditRow| Ok(AuditRecord::from(r)))
            .await
    }

    /// The display names of the accounts among `usernames` (a page's actors): one query
    /// for the page, not one per row. Names without an account (`-`, the shell's user)
    /// are simply absent.
    pub async fn display_names(
        &self,
        usernames: &[String],
    ) -> Result<std::collections::HashMap<String, String>> {
        let mut names: Vec<&String> = usernames.iter().collect();
        names.sort();
        names.dedup();
        if names.is_empty() {
            return Ok(Default::default());
        }
        let marks: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT username, display_name FROM users WHERE username IN ({})",
            marks.join(", ")
        );
        let args: Vec<Arg> = names.iter().map(|n| Arg::Text((*n).clone())).collect();
        let rows: Vec<(String, String)> = on_pool!(self, |p| bind_args!(
            sqlx::query_as::<_, (String, String)>(&sql),
            args
        )
        .fetch_all(p)
        .await)?;
        Ok(rows.into_iter().collect())
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
    /// deleted or inserted, a chain cut at either end (the head and the purge anchor
    /// carry MACs under the key), or a record past the head.
    pub async fn audit_verify(&self) -> Result<VerifyReport> {
        self.verify_snapshot(None).await
    }

    /// [`audit_verify`](Self::audit_verify), and proves that the chain still holds the
    /// checkpoint's record with its hash (or that retention purged it: the anchor,
    /// authenticated, stands at or past it).
    pub async fn audit_verify_since(&self, cp: &Checkpoint) -> Result<VerifyReport> {
        self.verify_snapshot(Some(cp)).await
    }

    /// Reads a checkpoint line and checks its MAC with this store's audit key.
    pub fn audit_checkpoint_parse(&self, line: &str) -> Result<Checkpoint, CheckpointError> {
        Checkpoint::parse(line, &self.audit_key)
    }

    /// Verifies the chain and, if it is intact, signs a checkpoint of the head verified:
    /// the line to keep outside the database.
    pub async fn audit_checkpoint(&self) -> Result<(VerifyReport, Option<String>)> {
        let report = self.audit_verify().await?;
        let line = report.first_break.is_none().then(|| {
            Checkpoint::new(report.head_seq, &report.head_hash, chrono::Utc::now())
                .line(&self.audit_key)
        });
        Ok((report, line))
    }

    /// Verification of one consistent snapshot: the head and the records are read in one
    /// read transaction (SQLite: a deferred transaction, whose first read fixes the WAL
    /// snapshot; PostgreSQL: `REPEATABLE READ`), so appends going on meanwhile are not
    /// mistaken for records cut off the end. Every append moves the head in the same
    /// transaction, so a record past the head in a snapshot was not appended by Shuniu.
    async fn verify_snapshot(&self, cp: Option<&Checkpoint>) -> Result<VerifyReport> {
        let sql =
            format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 2000");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.read_snapshot_sql()).await?;
            let ends: ChainEnds = sqlx::query_as::<_, EndsRow>(
                "SELECT seq, hash, head_mac, base_seq, base_hash, base_mac FROM audit_head WHERE id = 1",
            )
            .fetch_one(&mut *tx)
            .await?
            .into();
            let mut report = VerifyReport {
                verified: ends.base_seq,
                first_break: None,
                head_seq: ends.head_seq,
                head_hash: ends.head_hash.clone(),
                checkpoint: None,
            };
            let mut v = match ChainVerifier::from_ends(&self.audit_key, &ends) {
                Ok(v) => v,
                Err(b) => return Ok(report.broken(ends.base_seq, b)),
            };
            // A checkpoint past the head is reported once the rest is known to hold.
            let pinned = cp.map(|cp| v.pin(cp, &ends)).transpose();
            let mut after = ends.base_seq;
            loop {
                let rows = sqlx::query_as::<_, AuditRow>(&sql)
                    .bind(after)
                    .fetch_all(&mut *tx)
                    .await?;
                if rows.is_empty() {
                    break;
                }
                // The changes these records refer to, in one query per chunk.
                let refs: Vec<(i64, ChangeRef)> = rows
                    .iter()
                    .filter_map(|r| ChangeRef::parse(&r.details).map(|c| (r.seq, c)))
                    .collect();
                let mut stored = std::collections::HashMap::with_capacity(refs.len());
                for ids in refs.chunks(500) {
                    let sql = format!(
                        "SELECT id, changes FROM organization_changes WHERE id IN ({})",
                        crate::bulk::values_sql(self.dialect(), ids.len(), 1)
                            .trim_matches(|c| c == '(' || c == ')')
                    );
                    let mut q = sqlx::query_as::<_, (uuid::Uuid, String)>(&sql);
                    for (_, c) in ids {
                        q = q.bind(c.change);
                    }
                    stored.extend(q.fetch_all(&mut *tx).await?);
                }
                // A creation not written is under its organization's id, and its text is
                // the row's as it stands, read in this same snapshot (see
                // `registry::creation`).
                let unwritten: Vec<uuid::Uuid> = refs
                    .iter()
                    .map(|(_, c)| c.change)
                    .filter(|id| !stored.contains_key(id))
                    .collect();
                for ids in unwritten.chunks(500) {
                    let sql = format!(
                        "SELECT {} FROM organizations WHERE id IN ({})",
                        crate::registry::COLUMNS,
                        crate::bulk::values_sql(self.dialect(), ids.len(), 1)
                            .trim_matches(|c| c == '(' || c == ')')
                    );
                    let mut q = sqlx::query_as::<_, crate::registry::OrgRow>(&sql);
                    for id in ids {
                        q = q.bind(*id);
                    }
                    for row in q.fetch_all(&mut *tx).await? {
                        let org = shuniu_domain::registry::Organization::try_from(row)?;
                        stored.insert(org.id, crate::registry::creation::creation_text(&org.data));
                    }
                }
                let mut refs = refs.into_iter().peekable();
                for r in rows {
                    let rec = AuditRecord::from(r);
                    after = rec.seq;
                    if let Err(b) = v.check(&rec) {
                        return Ok(report.broken(v.verified(), b));
                    }
                    if let Some((_, c)) = refs.next_if(|(seq, _)| *seq == rec.seq)
                        && !stored.get(&c.change).is_some_and(|t| c.matches(t))
                    {
                        let b = ChainBreak {
                            seq: rec.seq,
                            kind: BreakKind::ChangeAltered,
                            problem: format!(
                                "change {} that the record refers to is gone or was altered",
                                c.change
                            ),
                        };
                        return Ok(report.broken(rec.seq - 1, b));
                    }
                }
            }
            tx.commit().await?;
            if let Err(b) = v.finish_at(&ends) {
                return Ok(report.broken(v.verified(), b));
            }
            match pinned {
                Ok(found) => report.checkpoint = found,
                Err(b) => return Ok(report.broken(v.verified(), b)),
            }
            report.verified = v.verified();
            Ok::<_, StoreError>(report)
        })
    }

    /// Authenticates the chain's ends as they stand, with this store's key: run by
    /// `migrate` once, right after the migration that added the MAC columns.
    pub(crate) async fn audit_seal_ends(&self) -> Result<()> {
        let lock = self.row_lock(" FOR UPDATE");
        let sql =
            format!("SELECT seq, hash, base_seq, base_hash FROM audit_head WHERE id = 1{lock}");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let (seq, hash, base_seq, base_hash): (i64, String, i64, String) =
                sqlx::query_as(&sql).fetch_one(&mut *tx).await?;
            let ends = ChainEnds::sealed(&self.audit_key, (seq, &hash), (base_seq, &base_hash));
            sqlx::query("UPDATE audit_head SET head_mac = $1, base_mac = $2 WHERE id = 1")
                .bind(ends.head_mac)
                .bind(ends.base_mac)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
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
            let postgres = self.dialect() == crate::Dialect::Postgres;
            if postgres {
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
            if !postgres {
                sqlx::query("UPDATE audit_purge SET active = 0 WHERE id = 1")
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "UPDATE audit_head SET base_seq = $1, base_hash = $2, base_mac = $3 WHERE id = 1",
            )
            .bind(seq)
            .bind(&hash)
            .bind(shuniu_domain::audit::anchor_mac(
                &self.audit_key,
                seq,
                &hash,
            ))
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
