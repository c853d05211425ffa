//! The tamper-evident audit trail: each record's hash covers its content and the
//! previous record's hash, so altering, deleting or inserting a record breaks the chain
//! at that point. The hash is HMAC-SHA-256 under a key kept outside the database, over
//! length-prefixed fields (no ambiguity): someone who can write the table but does not
//! hold the key cannot forge a record or re-chain the records after an edit.

pub mod kinds;

use chrono::{DateTime, SubsecRound, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

/// The hash that stands before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
        }
    }
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "success" => Some(Outcome::Success),
            "failure" => Some(Outcome::Failure),
            _ => None,
        }
    }
}

/// What happened, before it is chained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    /// Stored UTC, whole microseconds (what both databases keep).
    pub at: DateTime<Utc>,
    /// User name, or `-` for anonymous, `cli` for the shell.
    pub actor: String,
    pub role: String,
    /// Source address of the request.
    pub source: String,
    /// e.g. `organization.update`, `login.failure`, `token.create`.
    pub action: String,
    /// e.g. `organization:0192…`, `user:alice`.
    pub object: String,
    pub outcome: Outcome,
    /// JSON: changed fields `{field: {from, to}}` or other details.
    pub details: String,
    /// Jurisdiction path the event belongs to (officials see their subtree), if any.
    pub jurisdiction_path: Option<String>,
}

impl AuditEvent {
    pub fn now_micros() -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}

/// A chained record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    pub seq: i64,
    #[serde(flatten)]
    pub event: AuditEvent,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of record `seq` with content `e` following `prev_hash`.
pub fn chain_hash(key: &[u8], seq: i64, e: &AuditEvent, prev_hash: &str) -> String {
    let mut h = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    let at = e.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let seq = seq.to_string();
    let path = e.jurisdiction_path.clone().unwrap_or_default();
    for field in [
        seq.as_str(),
        at.as_str(),
        &e.actor,
        &e.role,
        &e.source,
        &e.action,
        &e.object,
        e.outcome.as_str(),
        &e.details,
        &path,
        prev_hash,
    ] {
        h.update(&(field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize().into_bytes())
}

impl AuditRecord {
    pub fn chain(key: &[u8], seq: i64, event: AuditEvent, prev_hash: &str) -> AuditRecord {
        let hash = chain_hash(key, seq, &event, prev_hash);
        AuditRecord {
            seq,
            event,
            prev_hash: prev_hash.to_string(),
            hash,
        }
    }
}

/// What an audit record of a registry write carries instead of a second copy of the
/// change: the change's id and the SHA-256 of its stored text. The reference is inside
/// the HMAC'd details, so the chain vouches for the digest, and the digest for the
/// change (verification recomputes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ChangeRef {
    pub change: uuid::Uuid,
    pub sha256: String,
}

impl ChangeRef {
    /// The reference to change `id` whose stored text is `changes`.
    pub fn to(id: uuid::Uuid, changes: &str) -> ChangeRef {
        ChangeRef {
            change: id,
            sha256: change_digest(changes),
        }
    }
    /// The details text (`{"change":"…","sha256":"…"}`).
    pub fn details(&self) -> String {
        serde_json::to_string(self).expect("serializable")
    }
    /// The reference in a record's details, if they are one (cheap for the others).
    pub fn parse(details: &str) -> Option<ChangeRef> {
        if !details.starts_with("{\"change\":") {
            return None;
        }
        serde_json::from_str(details).ok()
    }
    /// Whether `changes` is the text this reference was made for.
    pub fn matches(&self, changes: &str) -> bool {
        same_mac(&self.sha256, &change_digest(changes))
    }
}

/// SHA-256 of a change's stored text, hex.
pub fn change_digest(changes: &str) -> String {
    use sha2::Digest;
    hex::encode(Sha256::digest(changes.as_bytes()))
}

/// HMAC-SHA-256 under `key` over length-prefixed `fields`, hex.
fn mac(key: &[u8], fields: &[&str]) -> String {
    let mut h = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    for field in fields {
        h.update(&(field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize().into_bytes())
}

/// The MAC that authenticates the chain's head (its last record's seq and hash): without
/// the key, nobody can cut records off the end and move the head back to match.
pub fn head_mac(key: &[u8], seq: i64, hash: &str) -> String {
    mac(key, &["shuniu-audit-head", &seq.to_string(), hash])
}

/// The MAC that authenticates the purge anchor (the last record removed for retention):
/// without the key, nobody can cut records off the start and move the anchor up.
pub fn anchor_mac(key: &[u8], base_seq: i64, base_hash: &str) -> String {
    mac(
        key,
        &["shuniu-audit-anchor", &base_seq.to_string(), base_hash],
    )
}

/// Compares two MACs in time independent of where they differ.
fn same_mac(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The chain's two ends as stored (`audit_head`), with their MACs (`None`: never sealed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainEnds {
    pub head_seq: i64,
    pub head_hash: String,
    pub head_mac: Option<String>,
    pub base_seq: i64,
    pub base_hash: String,
    pub base_mac: Option<String>,
}

impl ChainEnds {
    /// Ends sealed with `key` (what the store writes).
    pub fn sealed(key: &[u8], head: (i64, &str), base: (i64, &str)) -> ChainEnds {
        ChainEnds {
            head_seq: head.0,
            head_hash: head.1.to_string(),
            head_mac: Some(head_mac(key, head.0, head.1)),
            base_seq: base.0,
            base_hash: base.1.to_string(),
            base_mac: Some(anchor_mac(key, base.0, base.1)),
        }
    }
    fn head_is_authentic(&self, key: &[u8]) -> bool {
        self.head_mac
            .as_deref()
            .is_some_and(|m| same_mac(m, &head_mac(key, self.head_seq, &self.head_hash)))
    }
    fn anchor_is_authentic(&self, key: &[u8]) -> bool {
        self.base_mac
            .as_deref()
            .is_some_and(|m| same_mac(m, &anchor_mac(key, self.base_seq, &self.base_hash)))
    }
}

/// What kind of break verification found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// A record is missing (deleted).
    Missing,
    /// Sequence numbers out of order or duplicated.
    Disordered,
    /// A record does not follow its predecessor (inserted or reordered).
    Unlinked,
    /// A record's content does not match its hash.
    Altered,
    /// The records end before the head says.
    CutAtEnd,
    /// The head's MAC does not match: the head was rewritten without the key.
    ForgedHead,
    /// The purge anchor's MAC does not match: the chain's start was moved without the key.
    ForgedAnchor,
    /// A record lies past the head: appended without the key.
    PastHead,
    /// The checkpoint's record is no longer in the chain, or differs from it.
    CheckpointLost,
    /// The change a record refers to (`ChangeRef`) is gone or no longer has the digest
    /// the record carries: the history was rewritten under the audit trail.
    ChangeAltered,
}

/// Where a chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    /// The first record that is not what the chain says it should be.
    pub seq: i64,
    pub kind: BreakKind,
    pub problem: String,
}

fn broken<T>(seq: i64, kind: BreakKind, problem: impl Into<String>) -> Result<T, ChainBreak> {
    Err(ChainBreak {
        seq,
        kind,
        problem: problem.into(),
    })
}

/// Incremental verifier: feed records in `seq` order.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    key: Vec<u8>,
    expected_seq: i64,
    prev_hash: String,
    /// The head's seq when started from authenticated ends: records past it are refused.
    head_seq: Option<i64>,
    /// A record the chain must contain with this hash (a checkpoint).
    pinned: Option<(i64, String)>,
}

impl ChainVerifier {
    pub fn new(key: &[u8]) -> Self {
        Self::starting_after(key, 0, GENESIS)
    }
    /// Starts after an anchor: the last record purged for retention (seq 0 = genesis).
    pub fn starting_after(key: &[u8], seq: i64, hash: &str) -> Self {
        ChainVerifier {
            key: key.to_vec(),
            expected_seq: seq + 1,
            prev_hash: hash.to_string(),
            head_seq: None,
            pinned: None,
        }
    }
    /// Starts from stored ends, once the anchor's MAC proves the key holder set it.
    pub fn from_ends(key: &[u8], ends: &ChainEnds) -> Result<Self, ChainBreak> {
        if !ends.anchor_is_authentic(key) {
            return broken(
                ends.base_seq + 1,
                BreakKind::ForgedAnchor,
                format!(
                    "the purge anchor (after #{}) does not carry the key's MAC: records were cut off \
                     the start and the anchor moved, or this is not the key that wrote the chain",
                    ends.base_seq
                ),
            );
        }
        let mut v = Self::starting_after(key, ends.base_seq, &ends.base_hash);
        v.head_seq = Some(ends.head_seq);
        Ok(v)
    }
    /// Requires the chain to still hold the checkpoint's record (call before `check`).
    /// Returns what became of it: `Contained`, or purged by retention under an
    /// authenticated anchor at or past it.
    pub fn pin(
        &mut self,
        cp: &Checkpoint,
        ends: &ChainEnds,
    ) -> Result<CheckpointFinding, ChainBreak> {
        if cp.seq > ends.head_seq {
            return broken(
                ends.head_seq + 1,
                BreakKind::CheckpointLost,
                format!(
                    "the chain ends at #{} but checkpoint #{} was taken at {}: records were cut off the end",
                    ends.head_seq,
                    cp.seq,
                    cp.at_text()
                ),
            );
        }
        if cp.seq == 0 && cp.hash == GENESIS {
            return Ok(CheckpointFinding::Contained);
        }
        if cp.seq == ends.base_seq && cp.hash != ends.base_hash {
            return broken(
                cp.seq,
                BreakKind::CheckpointLost,
                format!("the anchor at #{} differs from the checkpoint", cp.seq),
            );
        }
        if cp.seq <= ends.base_seq {
            return Ok(CheckpointFinding::PurgedByRetention {
                anchor_seq: ends.base_seq,
            });
        }
        self.pinned = Some((cp.seq, cp.hash.clone()));
        Ok(CheckpointFinding::Contained)
    }
    /// The sequence number of the last record verified so far.
    pub fn verified(&self) -> i64 {
        self.expected_seq - 1
    }
    pub fn check(&mut self, r: &AuditRecord) -> Result<(), ChainBreak> {
        if let Some(head) = self.head_seq.filter(|h| r.seq > *h) {
            return broken(
                r.seq,
                BreakKind::PastHead,
                format!(
                    "the record lies past the chain's head (#{head}): appended without the key"
                ),
            );
        }
        if r.seq > self.expected_seq {
            return broken(
                self.expected_seq,
                BreakKind::Missing,
                "missing: deleted record(s) before this point",
            );
        }
        if r.seq < self.expected_seq {
            return broken(
                r.seq,
                BreakKind::Disordered,
                "out of order or duplicated sequence number",
            );
        }
        if r.prev_hash != self.prev_hash {
            return broken(
                r.seq,
                BreakKind::Unlinked,
                "does not follow the previous record (inserted or reordered)",
            );
        }
        if chain_hash(&self.key, r.seq, &r.event, &r.prev_hash) != r.hash {
            return broken(r.seq, BreakKind::Altered, "content was altered");
        }
        if let Some((seq, hash)) = &self.pinned
            && *seq == r.seq
            && *hash != r.hash
        {
            return broken(
                r.seq,
                BreakKind::CheckpointLost,
                "the record differs from the checkpoint: the chain was rewritten from here",
            );
        }
        self.expected_seq += 1;
        self.prev_hash = r.hash.clone();
        Ok(())
    }
    /// Checks the stored head (last seq and hash) against what was walked: catches
    /// records cut off the end.
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<(), ChainBreak> {
        if head_seq != self.expected_seq - 1 || head_hash != self.prev_hash {
            return broken(
                self.expected_seq,
                BreakKind::CutAtEnd,
                format!(
                    "the chain ends at {} but its head says {head_seq}: records were removed from the end",
                    self.expected_seq - 1
                ),
            );
        }
        Ok(())
    }
    /// [`finish`](Self::finish), and the head's MAC: catches records cut off the end
    /// with the head moved back to match.
    pub fn finish_at(&self, ends: &ChainEnds) -> Result<(), ChainBreak> {
        self.finish(ends.head_seq, &ends.head_hash)?;
        if !ends.head_is_authentic(&self.key) {
            return broken(
                ends.head_seq + 1,
                BreakKind::ForgedHead,
                format!(
                    "the chain's head (#{}) does not carry the key's MAC: records were cut off the end \
                     and the head rewritten",
                    ends.head_seq
                ),
            );
        }
        Ok(())
    }
}

/// What became of a checkpoint's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum CheckpointFinding {
    /// The chain still holds the record with the checkpoint's hash.
    Contained,
    /// Retention purged it: the authenticated anchor stands at or past it.
    PurgedByRetention { anchor_seq: i64 },
}

/// A signed statement "record `seq` had hash `hash` at `at`", kept outside the database
/// so that a later verification can prove the chain still reaches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    /// Whole seconds, UTC.
    pub at: DateTime<Utc>,
}

/// Why a checkpoint line was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error(
        "not a checkpoint line ({0}); expected `{CHECKPOINT_PREFIX} seq=N hash=HEX at=TIME mac=HEX`"
    )]
    Malformed(String),
    #[error(
        "the checkpoint's MAC does not match: it was not signed with this audit key (forged or altered)"
    )]
    BadMac,
}

/// The first word and version of a checkpoint line.
pub const CHECKPOINT_PREFIX: &str = "shuniu-audit-checkpoint v1";

impl Checkpoint {
    pub fn new(seq: i64, hash: &str, at: DateTime<Utc>) -> Checkpoint {
        Checkpoint {
            seq,
            hash: hash.to_string(),
            at: at.trunc_subsecs(0),
        }
    }
    fn at_text(&self) -> String {
        self.at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
    fn mac(&self, key: &[u8]) -> String {
        mac(
            key,
            &[
                CHECKPOINT_PREFIX,
                &self.seq.to_string(),
                &self.hash,
                &self.at_text(),
            ],
        )
    }
    /// The signed line: `shuniu-audit-checkpoint v1 seq=… hash=… at=… mac=…`.
    pub fn line(&self, key: &[u8]) -> String {
        format!(
            "{CHECKPOINT_PREFIX} seq={} hash={} at={} mac={}",
            self.seq,
            self.hash,
            self.at_text(),
            self.mac(key)
        )
    }
    /// Reads a line written by [`line`](Self::line) and checks its MAC with `key`.
    pub fn parse(line: &str, key: &[u8]) -> Result<Checkpoint, CheckpointError> {
        let bad = |why: &str| CheckpointError::Malformed(why.to_string());
        let rest = line
            .trim()
            .strip_prefix(CHECKPOINT_PREFIX)
            .ok_or_else(|| bad("it does not start with the format's name and version"))?;
        let mut fields = rest.split_whitespace();
        let mut field = |name: &str| {
            fields
                .next()
                .and_then(|f| f.strip_prefix(name))
                .and_then(|f| f.strip_prefix('='))
                .filter(|v| !v.is_empty())
                .ok_or_else(|| bad(&format!("{name}= is missing or out of place")))
        };
        let seq = field("seq")?;
        let hash = field("hash")?;
        let at = field("at")?;
        let mac = field("mac")?.to_string();
        if fields.next().is_some() {
            return Err(bad("text after mac="));
        }
        let seq: i64 = seq
            .parse()
            .ok()
            .filter(|s| *s >= 0)
            .ok_or_else(|| bad("seq= is not a record number"))?;
        let is_hex64 = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
        if !is_hex64(hash) || !is_hex64(&mac) {
            return Err(bad("hash= and mac= are 64 hex digits"));
        }
        let at = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%SZ")
            .map_err(|_| bad("at= is not a UTC time like 2026-11-30T14:00:00Z"))?
            .and_utc();
        let cp = Checkpoint::new(seq, hash, at);
        if !same_mac(&cp.mac(key), &mac.to_ascii_lowercase()) {
            return Err(CheckpointError::BadMac);
        }
        Ok(cp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(action: &str) -> AuditEvent {
        AuditEvent {
            at: AuditEvent::now_micros(),
            actor: "admin".into(),
            role: "admin".into(),
            source: "127.0.0.1".into(),
            action: action.into(),
            object: "organization:x".into(),
            outcome: Outcome::Success,
            details: "{}".into(),
            jurisdiction_path: Some("320000/".into()),
        }
    }

    const KEY: &[u8] = b"test key";

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|i| {
                let r = AuditRecord::chain(KEY, i, ev(&format!("a{i}")), &prev);
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    fn verify(rs: &[AuditRecord]) -> Result<(), ChainBreak> {
        let mut v = ChainVerifier::new(KEY);
        for r in rs {
            v.check(r)?;
        }
        Ok(())
    }

    #[test]
    fn intact_chain_verifies() {
        let rs = chain(5);
        assert!(verify(&rs).is_ok());
        let mut v = ChainVerifier::new(KEY);
        rs.iter().for_each(|r| v.check(r).unwrap());
        assert!(v.finish(5, &rs[4].hash).is_ok());
        assert_eq!(v.finish(6, "x").unwrap_err().seq, 6);
    }

    #[test]
    fn alteration_deletion_insertion_are_found() {
        let mut rs = chain(5);
        rs[2].event.details = "{\"x\":1}".into();
        assert_eq!(verify(&rs).unwrap_err().seq, 3);

        let mut rs = chain(5);
        rs.remove(1);
        assert_eq!(verify(&rs).unwrap_err().seq, 2);

        // A record inserted without the key is found where it stands.
        let mut rs = chain(5);
        let forged = AuditRecord::chain(b"guessed key", 3, ev("forged"), &rs[1].hash);
        rs.insert(2, forged);
        for (i, r) in rs.iter_mut().enumerate() {
            r.seq = i as i64 + 1;
        }
        assert_eq!(verify(&rs).unwrap_err().seq, 3);
    }

    #[test]
    fn fields_are_unambiguous() {
        let mut a = ev("x");
        let mut b = ev("x");
        a.actor = "ab".into();
        a.role = "c".into();
        b.actor = "a".into();
        b.role = "bc".into();
        b.at = a.at;
        assert_ne!(
            chain_hash(KEY, 1, &a, GENESIS),
            chain_hash(KEY, 1, &b, GENESIS)
        );
        assert_ne!(
            chain_hash(KEY, 1, &a, GENESIS),
            chain_hash(b"other", 1, &a, GENESIS)
        );
    }

    fn ends_of(rs: &[AuditRecord], base: usize) -> ChainEnds {
        let head = rs.last().unwrap();
        let (bs, bh) = if base == 0 {
            (0, GENESIS.to_string())
        } else {
            (rs[base - 1].seq, rs[base - 1].hash.clone())
        };
        ChainEnds::sealed(KEY, (head.seq, &head.hash), (bs, &bh))
    }

    /// Verifies `rs[base..]` from `ends`, optionally pinned to a checkpoint.
    fn verify_ends(
        rs: &[AuditRecord],
        base: usize,
        ends: &ChainEnds,
        cp: Option<&Checkpoint>,
    ) -> Result<Option<CheckpointFinding>, ChainBreak> {
        let mut v = ChainVerifier::from_ends(KEY, ends)?;
        let found = cp.map(|cp| v.pin(cp, ends)).transpose()?;
        for r in &rs[base..] {
            v.check(r)?;
        }
        v.finish_at(ends)?;
        Ok(found)
    }

    #[test]
    fn sealed_ends_verify_and_forged_ends_do_not() {
        let rs = chain(6);
        let ends = ends_of(&rs, 0);
        assert_eq!(verify_ends(&rs, 0, &ends, None), Ok(None));
        let purged = ends_of(&rs, 2);
        assert_eq!(verify_ends(&rs, 2, &purged, None), Ok(None));

        // Cut two records off the end and move the head back: the old MAC does not fit.
        let mut cut = ends.clone();
        cut.head_seq = 4;
        cut.head_hash = rs[3].hash.clone();
        let b = verify_ends(&rs[..4], 0, &cut, None).unwrap_err();
        assert_eq!((b.kind, b.seq), (BreakKind::ForgedHead, 5));
        // A MAC made with another key does not fit either, nor a missing one.
        cut.head_mac = Some(head_mac(b"guessed key", 4, &rs[3].hash));
        assert_eq!(
            verify_ends(&rs[..4], 0, &cut, None).unwrap_err().kind,
            BreakKind::ForgedHead
        );
        cut.head_mac = None;
        assert_eq!(
            verify_ends(&rs[..4], 0, &cut, None).unwrap_err().kind,
            BreakKind::ForgedHead
        );

        // Cut two records off the start and move the anchor up.
        let mut moved = ends.clone();
        moved.base_seq = 2;
        moved.base_hash = rs[1].hash.clone();
        let b = verify_ends(&rs, 2, &moved, None).unwrap_err();
        assert_eq!((b.kind, b.seq), (BreakKind::ForgedAnchor, 3));

        // A record past the head, and a head the records fall short of.
        let short = ends_of(&rs[..5], 0);
        let b = verify_ends(&rs, 0, &short, None).unwrap_err();
        assert_eq!((b.kind, b.seq), (BreakKind::PastHead, 6));
        assert_eq!(
            verify_ends(&rs[..5], 0, &ends, None).unwrap_err().kind,
            BreakKind::CutAtEnd
        );
        // Head and anchor MACs are not interchangeable.
        assert_ne!(
            head_mac(KEY, 3, &rs[2].hash),
            anchor_mac(KEY, 3, &rs[2].hash)
        );
    }

    #[test]
    fn checkpoints_round_trip_and_refuse_forgeries() {
        let rs = chain(3);
        let at = "2026-11-30T14:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let cp = Checkpoint::new(3, &rs[2].hash, at);
        let line = cp.line(KEY);
        assert!(
            line.starts_with(&format!(
                "shuniu-audit-checkpoint v1 seq=3 hash={} at=2026-11-30T14:00:00Z mac=",
                rs[2].hash
            )),
            "{line}"
        );
        assert_eq!(
            Checkpoint::parse(&format!("  {line}\n"), KEY),
            Ok(cp.clone())
        );
        assert_eq!(
            Checkpoint::parse(&line, b"other key"),
            Err(CheckpointError::BadMac)
        );
        // Any field changed breaks the MAC.
        for forged in [
            line.replace("seq=3", "seq=2"),
            line.replace("14:00:00Z", "14:00:01Z"),
            line.replace(&rs[2].hash, &rs[1].hash),
        ] {
            assert_eq!(
                Checkpoint::parse(&forged, KEY),
                Err(CheckpointError::BadMac),
                "{forged}"
            );
        }
        for junk in [
            "",
            "shuniu-audit-checkpoint v2 seq=3",
            &line.replace("seq=3", "seq=-3"),
            &line.replace("seq=3 ", ""),
            &format!("{line} extra"),
            &line.replace("mac=", "mac=zz"),
        ] {
            assert!(
                matches!(
                    Checkpoint::parse(junk, KEY),
                    Err(CheckpointError::Malformed(_))
                ),
                "{junk}"
            );
        }
    }

    #[test]
    fn a_checkpoint_is_contained_purged_or_lost() {
        let rs = chain(6);
        let at = Utc::now();
        let cp = Checkpoint::new(4, &rs[3].hash, at);
        let ends = ends_of(&rs, 0);
        assert_eq!(
            verify_ends(&rs, 0, &ends, Some(&cp)),
            Ok(Some(CheckpointFinding::Contained))
        );
        let genesis = Checkpoint::new(0, GENESIS, at);
        assert_eq!(
            verify_ends(&rs, 0, &ends, Some(&genesis)),
            Ok(Some(CheckpointFinding::Contained))
        );
        // Purged by retention: the authenticated anchor stands at or past it.
        for base in [4, 5] {
            assert_eq!(
                verify_ends(&rs, base, &ends_of(&rs, base), Some(&cp)),
                Ok(Some(CheckpointFinding::PurgedByRetention {
                    anchor_seq: base as i64
                }))
            );
        }
        // Rolled back below it with an old, genuinely sealed head.
        let old = ends_of(&rs[..3], 0);
        let b = verify_ends(&rs[..3], 0, &old, Some(&cp)).unwrap_err();
        assert_eq!((b.kind, b.seq), (BreakKind::CheckpointLost, 4));
        assert_eq!(verify_ends(&rs[..3], 0, &old, None), Ok(None));
        // Rewritten from the checkpoint on (with the key): the record differs.
        let mut other = rs[..3].to_vec();
        let mut prev = rs[2].hash.clone();
        for i in 4..=6 {
            let r = AuditRecord::chain(KEY, i, ev("rewritten"), &prev);
            prev = r.hash.clone();
            other.push(r);
        }
        let b = verify_ends(&other, 0, &ends_of(&other, 0), Some(&cp)).unwrap_err();
        assert_eq!((b.kind, b.seq), (BreakKind::CheckpointLost, 4));
        // An anchor at the checkpoint with another hash.
        let b = verify_ends(&other, 4, &ends_of(&other, 4), Some(&cp)).unwrap_err();
        assert_eq!(b.kind, BreakKind::CheckpointLost);
    }
}
