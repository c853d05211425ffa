//! `shuniu supervise`: the daily supervision job, also what `serve` runs at start.

use shuniu_store::Store;

use crate::config::Settings;
use crate::{Failure, Outcome};

/// The daily supervision job for today (Asia/Shanghai); returns what it did, for the user.
pub(crate) async fn supervise(store: &Store, settings: &Settings) -> Outcome<String> {
    let today = shuniu_web::today();
    let report = store
        .run_supervise(
            today,
            &settings.supervision.credit_settings(),
            shuniu_store::WriteCtx::system("shuniu supervise"),
        )
        .await
        .map_err(|e| Failure::new(format!("the supervision job failed: {e}")))?;
    // Listings, removals and expired grades change the credibility scores: recompute
    // every organization's, in chunks.
    let scored = store
        .refresh_all_credibility(&trust_settings(settings), today)
        .await
        .map_err(|e| Failure::new(format!("the credibility refresh failed: {e}")))?;
    Ok(format!(
        "Supervision on {today} (report years from {}): {} organizations checked, {} listed, {} removed, {} grades expired, {} complaints escalated, {} credibility scores computed.",
        settings.supervision.from_year,
        report.organizations,
        report.listed,
        report.removed,
        report.grades_expired,
        report.complaints_escalated,
        scored
    ))
}

/// What a credibility refresh follows, from the settings.
pub(crate) fn trust_settings(settings: &Settings) -> shuniu_store::trust::TrustSettings {
    shuniu_store::trust::TrustSettings {
        score: settings.supervision.credibility,
        credit: settings.supervision.credit_settings(),
    }
}
