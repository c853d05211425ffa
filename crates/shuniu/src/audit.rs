//! `shuniu audit verify` and `shuniu audit purge`.

use chrono::{Duration, Utc};
use clap::Subcommand;
use shuniu_domain::audit::{AuditEvent, Outcome as AuditOutcome};
use shuniu_store::Store;

use crate::users::shell_ctx;
use crate::{DbArg, Failure, Outcome};

/// Exit status of `audit verify` when the chain is broken.
pub const EXIT_CHAIN_BROKEN: u8 = 3;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit chain; exit status 3 names the first altered, deleted or inserted record
    Verify {
        #[command(flatten)]
        db: DbArg,
    },
    /// Remove audit records older than the retention setting (at least 180 days)
    Purge {
        #[command(flatten)]
        db: DbArg,
    },
}

impl AuditCommand {
    pub fn db(&self) -> &DbArg {
        match self {
            AuditCommand::Verify { db } | AuditCommand::Purge { db } => db,
        }
    }
}

pub async fn verify(store: &Store) -> Outcome {
    let report = store
        .audit_verify()
        .await
        .map_err(|e| Failure::new(format!("cannot read the audit trail: {e}")))?;
    match report.first_break {
        None => {
            println!(
                "Audit chain intact: {} record(s) verified.",
                report.verified
            );
            Ok(())
        }
        Some(b) => {
            println!(
                "Audit chain BROKEN at record #{}: {}. {} record(s) verified before it.",
                b.seq, b.problem, report.verified
            );
            Err(Failure {
                msg: format!(
                    "the audit trail was tampered with: record #{} {}",
                    b.seq, b.problem
                ),
                code: EXIT_CHAIN_BROKEN,
            })
        }
    }
}

pub async fn purge(store: &Store, retention_days: u32) -> Outcome {
    let cutoff = Utc::now() - Duration::days(i64::from(retention_days));
    let removed = store
        .audit_purge_before(cutoff)
        .await
        .map_err(|e| Failure::new(format!("cannot purge the audit trail: {e}")))?;
    let ctx = shell_ctx();
    // The purge is itself a security event.
    store
        .audit(AuditEvent {
            at: AuditEvent::now_micros(),
            actor: ctx.actor,
            role: ctx.role,
            source: ctx.source,
            action: "audit.purge".into(),
            object: "audit_log".into(),
            outcome: AuditOutcome::Success,
            details: format!(
                "{{\"retention_days\":{retention_days},\"before\":\"{}\",\"removed\":{removed}}}",
                cutoff.to_rfc3339()
            ),
            jurisdiction_path: None,
        })
        .await
        .map_err(|e| Failure::new(format!("cannot record the purge: {e}")))?;
    println!(
        "Removed {removed} audit record(s) older than {retention_days} days (before {}).",
        cutoff.format("%Y-%m-%d %H:%M UTC")
    );
    Ok(())
}
