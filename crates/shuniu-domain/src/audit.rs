//! The tamper-evident audit trail: each record's hash covers its content and the
//! previous record's hash, so altering, deleting or inserting a record breaks the chain
//! at that point. The hash is HMAC-SHA-256 under a key kept outside the database, over
//! length-prefixed fields (no ambiguity): someone who can write the table but does not
//! hold the key cannot forge a record or re-chain the records after an edit.

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

/// Where a chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    /// The first record that is not what the chain says it should be.
    pub seq: i64,
    pub problem: String,
}

/// Incremental verifier: feed records in `seq` order.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    key: Vec<u8>,
    expected_seq: i64,
    prev_hash: String,
}

impl ChainVerifier {
    pub fn new(key: &[u8]) -> Self {
        ChainVerifier {
            key: key.to_vec(),
            expected_seq: 1,
            prev_hash: GENESIS.to_string(),
        }
    }
    /// Starts after an anchor: the last record purged for retention (seq 0 = genesis).
    pub fn starting_after(key: &[u8], seq: i64, hash: &str) -> Self {
        ChainVerifier {
            key: key.to_vec(),
            expected_seq: seq + 1,
            prev_hash: hash.to_string(),
        }
    }
    /// The sequence number of the last record verified so far.
    pub fn verified(&self) -> i64 {
        self.expected_seq - 1
    }
    pub fn check(&mut self, r: &AuditRecord) -> Result<(), ChainBreak> {
        let fail = |seq, problem: &str| {
            Err(ChainBreak {
                seq,
                problem: problem.to_string(),
            })
        };
        if r.seq > self.expected_seq {
            return fail(
                self.expected_seq,
                "missing: deleted record(s) before this point",
            );
        }
        if r.seq < self.expected_seq {
            return fail(r.seq, "out of order or duplicated sequence number");
        }
        if r.prev_hash != self.prev_hash {
            return fail(
                r.seq,
                "does not follow the previous record (inserted or reordered)",
            );
        }
        if chain_hash(&self.key, r.seq, &r.event, &r.prev_hash) != r.hash {
            return fail(r.seq, "content was altered");
        }
        self.expected_seq += 1;
        self.prev_hash = r.hash.clone();
        Ok(())
    }
    /// Checks the stored head (last seq and hash) against what was walked: catches
    /// records cut off the end.
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<(), ChainBreak> {
        if head_seq != self.expected_seq - 1 || head_hash != self.prev_hash {
            return Err(ChainBreak {
                seq: self.expected_seq,
                problem: format!(
                    "the chain ends at {} but its head says {head_seq}: records were removed from the end",
                    self.expected_seq - 1
                ),
            });
        }
        Ok(())
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
}
