//! What every handler can reach, and the clock and time zone people read.

use shuniu_domain::parks::BookingRules;
use shuniu_domain::supervision::credit::CreditSettings;
use shuniu_domain::supervision::tables::IndicatorTables;
use shuniu_store::Store;

use crate::{auth, hashing, throttle};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub auth: auth::AuthSettings,
    /// Room-booking rules (opening hours, horizon, longest booking): settings. The
    /// slot size stays the default 30 minutes: the store claims slots on that grid.
    pub booking: BookingRules,
    /// Supervision settings (the annual-report deadline, the first year enforced …):
    /// what `shuniu supervise` uses, so filing on the web judges lateness alike.
    pub supervision: CreditSettings,
    /// Residents' complaints: the organization's first-response limit in working days
    /// (`complaint_response_working_days`, 3 by default).
    pub complaints: shuniu_domain::complaints::ComplaintSettings,
    /// Residents' requests: the hours each step may take before it is flagged overdue
    /// (`request_assign_hours`, `request_accept_hours`, `request_complete_hours`).
    pub requests: shuniu_domain::requests::TimeLimits,
    /// The credibility score's weights and minimum number of ratings
    /// (`credibility_weights`, `credibility_min_ratings`).
    pub credibility: shuniu_domain::credibility::Settings,
    /// The assessment indicator tables set for this locality (`assessment_tables`);
    /// empty: the built-in ones everywhere.
    pub assessment_tables: std::sync::Arc<IndicatorTables>,
    /// Keeps failed API authentications from flooding the audit trail.
    pub auth_failures: std::sync::Arc<auth::FailureThrottle>,
    /// Keeps refused requests (403, and 404 outside the caller's scope) from flooding
    /// the audit trail.
    pub denials: std::sync::Arc<auth::FailureThrottle>,
    /// Signs the login form's CSRF tokens: random per process (a restart only makes
    /// open login forms ask again).
    pub csrf_key: std::sync::Arc<[u8; 32]>,
    /// Bounds the password hashes computed at once, and their memory.
    pub hashing: std::sync::Arc<hashing::PasswordHashing>,
    /// Bounds the list downloads (CSV, Excel) running at once.
    pub exports: std::sync::Arc<crate::kit::export::ExportSlots>,
    /// Failed sign-ins per source address and per account name.
    pub login_throttle: std::sync::Arc<throttle::LoginThrottle>,
    /// Keeps failed sign-ins with unknown names from flooding the audit trail.
    pub unknown_logins: std::sync::Arc<auth::FailureThrottle>,
    /// The search index of organizations and services (in memory unless the binary
    /// opens one on disk), kept in step by every write (`kit::search`).
    pub search: crate::kit::search::SearchIndex,
}

impl AppState {
    /// What a credibility refresh follows: the score's settings and the annual-report
    /// deadline and first supervised year.
    pub fn trust_settings(&self) -> shuniu_store::trust::TrustSettings {
        shuniu_store::trust::TrustSettings {
            score: self.credibility,
            credit: self.supervision.clone(),
        }
    }

    /// Recomputes an organization's credibility after a write that changed its facts
    /// (called once the write has committed, in the same request). A failure here does
    /// not undo the write: it is logged, and the next event or the daily job recomputes.
    /// Counts one anonymous submission (a request, a complaint) from `source`: `429`
    /// with the wait when the source has used up its hour.
    pub fn admit_submission(&self, source: &str) -> Result<(), crate::AppError> {
        match self
            .login_throttle
            .submissions(source, std::time::Instant::now())
        {
            Some(secs) => Err(crate::AppError::TooManyRequests {
                retry_after_secs: secs,
            }),
            None => Ok(()),
        }
    }

    pub async fn refresh_credibility(&self, organization_id: uuid::Uuid) {
        if let Err(e) = self
            .store
            .refresh_credibility(organization_id, &self.trust_settings(), today())
            .await
        {
            tracing::warn!(%organization_id, error = %e, "credibility refresh failed");
        }
    }
}

/// Today's date in Asia/Shanghai: dates people type are local dates.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
}

/// Formats a stored UTC time for people: Asia/Shanghai, minutes.
pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}
