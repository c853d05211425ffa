//! Reading an organization's credibility: the stored one, or computed and stored once
//! if it never was.

use shuniu_domain::credibility::Credibility;
use shuniu_domain::registry::Organization;

use crate::{AppError, AppState, today};

/// The organization's stored credibility; computed and stored now if it has none yet.
pub async fn credibility_of(s: &AppState, org: &Organization) -> Result<Credibility, AppError> {
    match s.store.credibility(org.id).await? {
        Some(c) => Ok(c),
        None => Ok(s
            .store
            .refresh_credibility(org.id, &s.trust_settings(), today())
            .await?),
    }
}
