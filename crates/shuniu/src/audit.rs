//! `shuniu audit verify`, `shuniu audit checkpoint` and `shuniu audit purge`.

use chrono::{Duration, Utc};
use clap::Subcommand;
use shuniu_domain::audit::{AuditEvent, CheckpointFinding, Outcome as AuditOutcome};
use shuniu_store::{Store, VerifyReport};

use crate::cli::DbArg;
use crate::users::shell_ctx;
use crate::{Failure, Outcome};

/// Exit status of `audit verify` when the chain is broken.
pub const EXIT_CHAIN_BROKEN: u8 = 3;
/// Exit status of `audit verify --since-checkpoint` when the line is not a checkpoint
/// signed with this audit key.
pub const EXIT_CHECKPOINT_REFUSED: u8 = 4;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit chain; exit status 3 names the first altered, deleted or inserted record,
    /// or a chain cut at either end
    Verify {
        #[command(flatten)]
        db: DbArg,
        /// Also prove the chain still holds this checkpoint (a line `audit checkpoint`
        /// printed); exit status 4 if the line is not signed with the audit key
        #[arg(long, value_name = "LINE")]
        since_checkpoint: Option<String>,
    },
    /// Verify the chain and print a signed checkpoint of its last record (seq, hash, time):
    /// keep the line outside the database, for `verify --since-checkpoint`
    Checkpoint {
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
            AuditCommand::Verify { db, .. }
            | AuditCommand::Checkpoint { db }
            | AuditCommand::Purge { db } => db,
        }
    }
}

pub async fn verify(store: &Store, since_checkpoint: Option<&str>) -> Outcome {
    let checkpoint = since_checkpoint
        .map(|line| {
            store.audit_checkpoint_parse(line).map_err(|e| Failure {
                msg: format!("the checkpoint line is refused: {e}"),
                code: EXIT_CHECKPOINT_REFUSED,
            })
        })
        .transpose()?;
    let report = match &checkpoint {
        None => store.audit_verify().await,
        Some(cp) => store.audit_verify_since(cp).await,
    }
    .map_err(|e| Failure::new(format!("cannot read the audit trail: {e}")))?;
    if report.first_break.is_some() {
        return broken(&report);
    }
    println!(
        "Audit chain intact: {} record(s) verified.",
        report.verified
    );
    if let Some(cp) = &checkpoint {
        let taken = cp.at.format("%Y-%m-%d %H:%M:%S UTC");
        match report.checkpoint {
            Some(CheckpointFinding::PurgedByRetention { anchor_seq }) => println!(
                "Checkpoint #{} (taken {taken}) was purged by retention, anchor at #{anchor_seq}: \
                 the chain is intact from the anchor on.",
                cp.seq
            ),
            _ => println!(
                "Checkpoint #{} (taken {taken}) is in the chain with its hash.",
                cp.seq
            ),
        }
    }
    Ok(())
}

/// Prints where the chain breaks and fails with [`EXIT_CHAIN_BROKEN`].
fn broken(report: &VerifyReport) -> Outcome {
    let b = report.first_break.as_ref().expect("a break to report");
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

/// Verifies the chain and, if it is intact, prints a signed checkpoint of its head
/// (and logs it): a line for the operator to keep outside the database.
pub async fn checkpoint(store: &Store) -> Outcome {
    let (report, line) = store
        .audit_checkpoint()
        .await
        .map_err(|e| Failure::new(format!("cannot read the audit trail: {e}")))?;
    let Some(line) = line else {
        return broken(&report);
    };
    tracing::info!(checkpoint = %line, "audit checkpoint: keep this line outside the database");
    println!("{line}");
    Ok(())
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
