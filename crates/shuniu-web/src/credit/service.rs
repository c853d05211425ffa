//! Credit lists and supervision facts: parse what came in, ask the store.

use serde::Deserialize;
use shuniu_domain::FieldErrors;
use shuniu_domain::jurisdiction::{Jurisdiction, JurisdictionCode};
use shuniu_domain::registry::Organization;
use shuniu_domain::supervision::assessment::effective_grade;
use shuniu_domain::supervision::credit::{ListKind, is_listed};
use shuniu_domain::supervision::registration::authority_path;
use shuniu_store::supervision::annual::AnnualReport;
use shuniu_store::supervision::credit::{CreditListEntry, StoredListing};
use shuniu_store::supervision::grades::StoredAward;
use shuniu_store::{KeyPage, Store};
use utoipa::IntoParams;

use crate::AppError;
use crate::kit::paging::Asked;
use crate::kit::params::{choice_error, given};

/// Filters and paging of the public lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreditListQuery {
    /// `abnormal` (活动异常名录, the default) or `serious` (严重违法失信名单).
    pub list: Option<String>,
    /// Jurisdiction code: listings of organizations there or below.
    pub jurisdiction: Option<String>,
    /// Where the page starts: the `next` or `prev` of a page read before (opaque).
    /// Takes precedence over `page`.
    #[param(value_type = Option<String>, max_length = 512)]
    pub cursor: Option<String>,
    /// 1-based page number within the first 10,000 (past them, follow `next`).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–200 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub per_page: Option<String>,
}

/// What a list query asks for.
#[derive(Debug, Clone)]
pub struct CreditListFilter {
    pub list: ListKind,
    pub path: Option<String>,
    pub paging: Asked,
}

impl CreditListQuery {
    /// The list, subtree and page; a bad parameter is a 422 naming it.
    pub async fn parse(&self, store: &Store) -> Result<CreditListFilter, AppError> {
        let mut e = FieldErrors::new();
        let list = match given(&self.list) {
            None => ListKind::Abnormal,
            Some(l) => ListKind::parse(l).unwrap_or_else(|| {
                e.add("list", choice_error(&["abnormal", "serious"]));
                ListKind::Abnormal
            }),
        };
        let path = match given(&self.jurisdiction) {
            None => None,
            Some(code) if JurisdictionCode::parse(code).is_err() => {
                e.add("jurisdiction", crate::registry::unknown_jurisdiction());
                None
            }
            Some(code) => match store.jurisdiction(code).await? {
                Some(j) => Some(j.path),
                None => {
                    e.add("jurisdiction", crate::registry::unknown_jurisdiction());
                    None
                }
            },
        };
        let paging = crate::kit::paging::asked(&mut e, &self.cursor, &self.page, &self.per_page, (20, 200));
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(CreditListFilter { list, path, paging })
    }
}

/// One page of a public list, by cursor (or by a number within the first 10,000), and
/// the page's number when it has one.
pub async fn list(
    store: &Store,
    q: &CreditListQuery,
) -> Result<(ListKind, KeyPage<CreditListEntry>, Option<u32>), AppError> {
    let f = q.parse(store).await?;
    let (at, number) = f.paging.position();
    let page = store
        .credit_list_keyset(f.list, f.path.as_deref(), at, f.paging.per_page)
        .await?;
    Ok((f.list, page, number))
}

/// The public supervision facts of an organization.
pub struct Supervision {
    /// The registration authority 登记管理机关 (its jurisdiction node).
    pub authority: Option<Jurisdiction>,
    pub on_abnormal: bool,
    pub on_serious: bool,
    /// Every listing, newest first.
    pub listings: Vec<StoredListing>,
    /// Reports, newest year first.
    pub reports: Vec<AnnualReport>,
    /// Grade awards, newest first, with whether each is in force today.
    pub awards: Vec<(StoredAward, bool)>,
}

pub async fn supervision_of(
    store: &Store,
    org: &Organization,
    org_path: &str,
    today: chrono::NaiveDate,
) -> Result<Supervision, AppError> {
    let auth_path = authority_path(org.data.legal_form, org_path);
    let code = auth_path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let authority = store.jurisdiction(&code).await?;
    // One snapshot: the listings, reports and grades shown together agree.
    let record = store.supervision_record(org.id).await?;
    let mut listings = record.listings;
    let plain: Vec<_> = listings.iter().map(StoredListing::listing).collect();
    listings.reverse();
    let reports = record.reports;
    let stored = record.awards;
    let all: Vec<_> = stored.iter().map(|a| a.award.clone()).collect();
    let current = effective_grade(&all, today).cloned();
    let mut awards: Vec<(StoredAward, bool)> = stored
        .into_iter()
        .map(|a| {
            let in_force = current.as_ref() == Some(&a.award);
            (a, in_force)
        })
        .collect();
    awards.reverse();
    Ok(Supervision {
        authority,
        on_abnormal: is_listed(&plain, ListKind::Abnormal, today),
        on_serious: is_listed(&plain, ListKind::Serious, today),
        listings,
        reports,
        awards,
    })
}
