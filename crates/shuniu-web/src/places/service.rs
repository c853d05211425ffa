//! Places, shared by the page and the API: the typed fragment checked by the domain,
//! the store's bigram lookup, and a community code resolved to the resident's
//! community, street and district.

use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_domain::FieldErrors;
use shuniu_domain::places::{not_a_community, parse_query};
use shuniu_store::Store;
use shuniu_store::places::PlaceHit;

use crate::AppError;

/// The most candidates a lookup answers.
pub const MAX_CANDIDATES: usize = 20;

/// The places whose names hold the fragment `q`, one per community (422 when `q` is
/// empty or too long).
pub async fn lookup(store: &Store, q: Option<&str>) -> Result<(String, Vec<PlaceHit>), AppError> {
    let q = parse_query(q).map_err(AppError::Validation)?;
    let hits = store.find_places(&q, MAX_CANDIDATES).await?;
    Ok((q, hits))
}

/// A resident's community with the street and district above it.
#[derive(Debug, Clone)]
pub struct Home {
    pub community: Jurisdiction,
    pub street: Option<Jurisdiction>,
    pub district: Option<Jurisdiction>,
}

/// The community `code` names, with its street and district; `None` when the code
/// is not a known community.
pub async fn home(store: &Store, code: &str) -> Result<Option<Home>, AppError> {
    let Some(community) = store.jurisdiction(code).await? else {
        return Ok(None);
    };
    if community.level != Level::Community {
        return Ok(None);
    }
    let codes: Vec<&str> = community.path.trim_end_matches('/').split('/').collect();
    let above = store.jurisdictions_by_codes(&codes).await?;
    let at = |level: Level| above.iter().find(|j| j.level == level).cloned();
    Ok(Some(Home {
        street: at(Level::Street),
        district: at(Level::District),
        community,
    }))
}

/// The community `code` names, or a 422 naming `field`.
pub async fn require_home(store: &Store, field: &str, code: &str) -> Result<Home, AppError> {
    home(store, code.trim())
        .await?
        .ok_or_else(|| AppError::Validation(FieldErrors::single(field, not_a_community())))
}
