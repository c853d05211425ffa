//! The service catalogue and public contacts, shared by pages and API: who may write
//! (the organization's own staff, the authority over it, administrators — the policy's
//! `Edit` of the organization), the drafts parsed by the domain, the store's calls.

use serde::Deserialize;
use shuniu_domain::access::{Action, Resource};
use shuniu_domain::registry::{OrgStatus, Organization, ServiceDomain};
use shuniu_domain::jurisdiction::{JurisdictionCode, Level, district_path, path_within};
use shuniu_domain::places::not_a_community;
use shuniu_domain::services::{
    ContactDraft, PlaceKind, PublicContact, ServiceDraft, ServiceStatus, outside_district,
    unknown_venue,
};
use shuniu_search::{Filter, Kind};
use shuniu_store::MAX_RANKED_IDS;
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::services::{Service, ServiceFilter, ServiceListing};
use shuniu_store::{KeyPage, Store};
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::paging::{Asked, asked};
use crate::kit::params::{choice_error, given};
use crate::kit::search::Ranked;
use crate::{AppError, AppState, registry};

/// An organization and its jurisdiction path (404 for an unknown id).
pub async fn organization(store: &Store, id: Uuid) -> Result<(Organization, String), AppError> {
    let org = registry::get(store, id).await?;
    let path = registry::path_of(store, &org).await?;
    Ok((org, path))
}

fn resource<'a>(org: &Organization, path: &'a str) -> Resource<'a> {
    Resource::Organization {
        id: org.id,
        jurisdiction_path: path,
        hub_ids: &[],
    }
}

/// Whether this caller keeps the organization's catalogue and contact.
pub fn can_edit(caller: &Caller, org: &Organization, path: &str) -> bool {
    org.status != OrgStatus::Deregistered
        && caller.user.is_some()
        && caller.decide(Action::Edit, &resource(org, path)).is_allowed()
}

async fn writable(
    store: &Store,
    caller: &Caller,
    id: Uuid,
) -> Result<(Organization, String), AppError> {
    let (org, path) = organization(store, id).await?;
    caller.require(Action::Edit, &resource(&org, &path))?;
    if org.status == OrgStatus::Deregistered {
        return Err(AppError::State(
            "a deregistered organization offers no services".into(),
        ));
    }
    Ok((org, path))
}

/// Declares the organization's public contact; `found` holds what the input already
/// got wrong.
pub async fn set_contact(
    s: &AppState,
    caller: &Caller,
    id: Uuid,
    draft: &ContactDraft,
    found: FieldErrors,
) -> Result<PublicContact, AppError> {
    let store = &s.store;
    let (org, _) = writable(store, caller, id).await?;
    let c = found
        .or_parsed(draft.validate())
        .map_err(AppError::Validation)?;
    let saved = store.set_public_contact(org.id, &c, caller.ctx()).await?;
    s.refresh_credibility(org.id).await;
    Ok(saved)
}

/// Adds a service to the organization's catalogue.
pub async fn create(
    s: &AppState,
    caller: &Caller,
    org_id: Uuid,
    draft: &ServiceDraft,
    found: FieldErrors,
) -> Result<Service, AppError> {
    let store = &s.store;
    let (org, path) = writable(store, caller, org_id).await?;
    let mut found = found;
    check_place(store, &path, draft, &mut found).await?;
    let d = found
        .or_parsed(draft.validate())
        .map_err(AppError::Validation)?;
    let made = store.create_service(org.id, &d, caller.ctx()).await?;
    s.refresh_credibility(org.id).await;
    crate::kit::search::service_written(store, &s.search, made.id).await?;
    Ok(made)
}

/// Where the draft says the service is given, against the organization's district
/// (`org_path`'s): an unknown venue or community, or one in another district, is
/// that field's error, collected with the rest of the form's. A malformed id or code
/// is left to the domain's check.
pub async fn check_place(
    store: &Store,
    org_path: &str,
    draft: &ServiceDraft,
    e: &mut FieldErrors,
) -> Result<(), AppError> {
    let district = district_path(org_path);
    match given(&draft.place_kind).and_then(PlaceKind::parse) {
        Some(PlaceKind::Venue) => {
            if let Some(id) = given(&draft.venue_id).and_then(|v| Uuid::parse_str(v).ok()) {
                match store.venue(id).await? {
                    None => e.add("venue_id", unknown_venue()),
                    Some(v) if !path_within(&v.jurisdiction_path, &district) => {
                        e.add("venue_id", outside_district())
                    }
                    Some(_) => {}
                }
            }
        }
        Some(PlaceKind::Community) => {
            let code = given(&draft.jurisdiction).filter(|c| JurisdictionCode::parse(c).is_ok());
            if let Some(code) = code {
                match store.jurisdiction(code).await? {
                    None => e.add("jurisdiction", FieldError::unknown_jurisdiction()),
                    Some(j) if !path_within(&j.path, &district) => {
                        e.add("jurisdiction", outside_district())
                    }
                    Some(_) => {}
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// A service of this organization (404 when unknown or another's).
pub async fn service_of(store: &Store, org_id: Uuid, id: Uuid) -> Result<Service, AppError> {
    store
        .service(id)
        .await?
        .filter(|s| s.organization_id == org_id)
        .ok_or(AppError::NotFound)
}

/// Changes a service: `patch` fills the fields not given from the stored service.
pub async fn update(
    s: &AppState,
    caller: &Caller,
    org_id: Uuid,
    id: Uuid,
    draft: &ServiceDraft,
    patch: bool,
    found: FieldErrors,
) -> Result<Service, AppError> {
    let store = &s.store;
    let (org, path) = writable(store, caller, org_id).await?;
    let stored = service_of(store, org.id, id).await?;
    let draft = if patch {
        merge(&stored.data.to_draft(), draft)
    } else {
        draft.clone()
    };
    let mut found = found;
    check_place(store, &path, &draft, &mut found).await?;
    let d = found
        .or_parsed(draft.validate())
        .map_err(AppError::Validation)?;
    let saved = store.update_service(id, org.id, &d, caller.ctx()).await?;
    s.refresh_credibility(org.id).await;
    crate::kit::search::service_written(store, &s.search, id).await?;
    Ok(saved)
}

/// `base` with every field `over` gives (a place kind given alone drops the old
/// venue or community, which belonged to the old kind).
fn merge(base: &ServiceDraft, over: &ServiceDraft) -> ServiceDraft {
    let pick = |b: &Option<String>, o: &Option<String>| o.clone().or_else(|| b.clone());
    let kind_changed = over.place_kind.is_some() && over.place_kind != base.place_kind;
    let place = |b: &Option<String>, o: &Option<String>| {
        if kind_changed { o.clone() } else { pick(b, o) }
    };
    ServiceDraft {
        name: pick(&base.name, &over.name),
        category: pick(&base.category, &over.category),
        target_group: pick(&base.target_group, &over.target_group),
        eligibility: pick(&base.eligibility, &over.eligibility),
        place_kind: pick(&base.place_kind, &over.place_kind),
        venue_id: place(&base.venue_id, &over.venue_id),
        jurisdiction: place(&base.jurisdiction, &over.jurisdiction),
        schedule: pick(&base.schedule, &over.schedule),
        fee: pick(&base.fee, &over.fee),
        capacity: pick(&base.capacity, &over.capacity),
        status: pick(&base.status, &over.status),
    }
}

/// The public list's filters and paging, as sent.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A service domain code (`elderly`, `children`, `disability`, `employment` …).
    pub category: Option<String>,
    /// A jurisdiction code: services given there and below.
    pub jurisdiction: Option<String>,
    /// A community code: the list keeps to its district and sorts nearest first
    /// (same community, same street, the rest of the district), each item with its
    /// `distance`.
    #[param(example = "320102002001")]
    pub near: Option<String>,
    /// Words to search for in the service's name, target group, eligibility, domain and
    /// organization (two-character words inside longer text), or the name's pinyin
    /// (`yanglao`) or initials (`yl`); up to 100 characters. Hits come best first, each
    /// with its reason in `matches`.
    #[param(example = "养老")]
    pub q: Option<String>,
    /// Where the page starts: the `next` or `prev` of a page read before with the same
    /// filters (opaque). Takes precedence over `page`.
    #[param(value_type = Option<String>, max_length = 512)]
    pub cursor: Option<String>,
    /// 1-based page number within the first 10,000 (past them, follow `next`).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–200 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub per_page: Option<String>,
}

/// The public list's query fields, in order.
pub const LIST_QUERY: [&str; 7] =
    ["category", "jurisdiction", "near", "q", "cursor", "page", "per_page"];

impl ListQuery {
    /// The store's filter and where the page starts; a bad parameter is a 422 naming
    /// it.
    pub async fn parse(&self, store: &Store) -> Result<(ServiceFilter, Asked), AppError> {
        let mut e = FieldErrors::new();
        let category = match given(&self.category) {
            None => None,
            Some(c) => ServiceDomain::parse(c).or_else(|| {
                let all: Vec<&str> = ServiceDomain::ALL.iter().map(|d| d.as_str()).collect();
                e.add("category", choice_error(&all));
                None
            }),
        };
        let jurisdiction_path = match given(&self.jurisdiction) {
            None => None,
            Some(code) => match store.jurisdiction(code).await? {
                Some(j) => Some(j.path),
                None => {
                    e.add("jurisdiction", FieldError::unknown_jurisdiction());
                    None
                }
            },
        };
        let near = match given(&self.near) {
            None => None,
            Some(code) => match store.jurisdiction(code).await? {
                Some(j) if j.level == Level::Community => Some(j.path),
                _ => {
                    e.add("near", not_a_community());
                    None
                }
            },
        };
        let asked = asked(&mut e, &self.cursor, &self.page, &self.per_page, (20, 200));
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        let filter = ServiceFilter {
            category,
            jurisdiction_path,
            organization_id: None,
            near,
            ids: None,
            page: asked.page,
            per_page: asked.per_page,
        };
        Ok((filter, asked))
    }
}

/// The paging of an organization's own list of services, as sent (its page and the
/// API alike).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgServicesQuery {
    /// Where the page starts: the `next` or `prev` of a page read before (opaque).
    /// Takes precedence over `page`.
    #[param(value_type = Option<String>, max_length = 512)]
    pub cursor: Option<String>,
    /// 1-based page number within the first 10,000 (past them, follow `next`).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–200 (default 50 in the API, 20 on the page).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub per_page: Option<String>,
}

/// An organization's list's query fields, in order.
pub const ORG_SERVICES_QUERY: [&str; 3] = ["cursor", "page", "per_page"];

/// One keyset page of `org`'s services, every status, by name (from `cursor`, else the
/// numbered `page` within the first 10,000, else the first; `default` long unless
/// `per_page` says), and the page's number when it has one.
pub async fn services_of(
    store: &Store,
    org: &Organization,
    q: &OrgServicesQuery,
    default: u32,
) -> Result<(KeyPage<ServiceListing>, Option<u32>), AppError> {
    let mut e = FieldErrors::new();
    let asked = asked(&mut e, &q.cursor, &q.page, &q.per_page, (default, 200));
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let (at, number) = asked.position();
    Ok((store.services_of_page(org.id, at, asked.per_page).await?, number))
}

/// The words of `q.q`, found in the search index: its best hits (up to
/// `MAX_RANKED_IDS`) become `f.ids`, the place the index's subtree, not ended its filter.
pub fn find_words(search: &shuniu_search::Search, q: &ListQuery, f: &mut ServiceFilter) -> Option<Ranked> {
    let words = given(&q.q).map(|w| w.chars().take(100).collect::<String>())?;
    let district = f.near.as_deref().map(district_path);
    let subtree = f.jurisdiction_path.as_deref().or(district.as_deref());
    let filter = Filter {
        kind: Some(Kind::Service),
        subtree,
        statuses: &[ServiceStatus::Active.as_str(), ServiceStatus::Paused.as_str()],
    };
    let r = crate::kit::search::ranked(search, &words, &filter, MAX_RANKED_IDS, 0);
    f.ids = Some(r.ids.clone());
    Some(r)
}

/// One keyset page of the public list as found.
pub struct Listed {
    pub page: KeyPage<ServiceListing>,
    /// The page's number when it was asked for by number (or is the first); `None` when
    /// read from a cursor.
    pub number: Option<u32>,
    /// With words: the search index's hits, each with why it matched.
    pub ranked: Option<Ranked>,
}

/// One keyset page of the public list (from `cursor`, else the numbered `page` within
/// the first 10,000, else the first); with words (`q`), the search index's best hits
/// (a bounded set, at most [`MAX_RANKED_IDS`]) in its order, each with its reason, the
/// other filters applied by the store over them. A cursor keeps to the list's shape
/// (hits, nearest first, or by place): another's is a 422 naming `cursor`.
pub async fn public_list(
    store: &Store,
    search: &shuniu_search::Search,
    q: &ListQuery,
) -> Result<Listed, AppError> {
    let (mut f, asked) = q.parse(store).await?;
    let ranked = find_words(search, q, &mut f);
    let (at, number) = asked.position();
    let page = store.public_services_page(&f, at, asked.per_page).await?;
    Ok(Listed {
        page,
        number,
        ranked,
    })
}
