//! The registry capability's service code, shared by pages and API: parse what came
//! in, ask the domain, call the store.

use crate::kit::paging::Asked;
use crate::kit::params::given;
use serde::Deserialize;
use shuniu_domain::jurisdiction::JurisdictionCode;
use shuniu_domain::jurisdiction::bad_code_error;
use shuniu_domain::registry::{
    Grade, LegalForm, ORGANIZATION_FIELDS, OrgStatus, Organization, OrganizationData,
    OrganizationDraft, ServiceDomain, Stage, StatusChange,
};
use shuniu_domain::supervision::changes::direct_edit_refusals;
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_domain::codes::{FilingNumber, Uscc};
use shuniu_search::{Filter, Kind, Search};
use shuniu_store::MAX_RANKED_IDS;
use shuniu_store::{At, KeyPage, OrgFilter, OrgSort, Store, Total};

use crate::kit::search;
use uuid::Uuid;

use shuniu_domain::access::{Action, Resource};

use crate::auth::Caller;
use crate::{AppError, AppState, today};
use shuniu_domain::supervision::registration::{authority_path, check_registration};

/// Query parameters of the organization list, as they come (UI and API alike).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Jurisdiction code: that node and everything below it.
    pub jurisdiction: Option<String>,
    /// `social_group`, `social_service_institution`, `foundation`, `community_filed`.
    #[param(schema_with = crate::kit::api::schema::legal_form)]
    pub legal_form: Option<String>,
    /// A service domain code, e.g. `elderly`.
    #[param(schema_with = crate::kit::api::schema::service_domain)]
    pub domain: Option<String>,
    /// `active`, `suspended`, `deregistered`.
    #[param(schema_with = crate::kit::api::schema::status)]
    pub status: Option<String>,
    /// `germination`, `start_up`, `growth`, `mature`.
    #[param(schema_with = crate::kit::api::schema::stage)]
    pub stage: Option<String>,
    /// `1A` … `5A`.
    #[param(schema_with = crate::kit::api::schema::grade_filter)]
    pub grade: Option<String>,
    /// Part of the name, or a whole USCC or filing number.
    pub q: Option<String>,
    /// `name`, `-name`, `founded_on`, `-founded_on`, `-updated_at`, `-staff`.
    #[param(schema_with = crate::kit::api::schema::sort)]
    pub sort: Option<String>,
    /// Where the page starts: the `next` or `prev` of a page read before (an opaque
    /// token of this list's sort). Takes precedence over `page`.
    #[param(value_type = Option<String>, max_length = 512)]
    pub cursor: Option<String>,
    /// 1-based page number, for the first 10,000 rows (search results: their pages);
    /// past them, follow the `next` cursors.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–200 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub per_page: Option<String>,
}

/// The message for a well-formed jurisdiction code that is not in the tree.
pub fn unknown_jurisdiction() -> FieldError {
    FieldError::new("没有这个行政区划", "is not a known jurisdiction")
}

fn choice<T: Copy>(
    errs: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    all: &[T],
    code: impl Fn(T) -> &'static str,
) -> Option<T> {
    let s = given(v)?;
    let found = all
        .iter()
        .copied()
        .find(|x| code(*x).eq_ignore_ascii_case(s));
    if found.is_none() {
        let codes: Vec<&str> = all.iter().map(|x| code(*x)).collect();
        errs.add(
            field,
            FieldError::new(
                format!("取值无效，可选：{}", codes.join("、")),
                format!("is not one of: {}", codes.join(", ")),
            ),
        );
    }
    found
}

impl ListQuery {
    /// The filter and where the page starts; a bad parameter is a 422 naming it.
    pub fn parse(&self) -> Result<(OrgFilter, Asked), FieldErrors> {
        let mut e = FieldErrors::new();
        let jurisdiction = given(&self.jurisdiction).map(String::from);
        if let Some(code) = &jurisdiction
            && JurisdictionCode::parse(code).is_err()
        {
            e.add("jurisdiction", bad_code_error());
        }
        let filter = OrgFilter {
            jurisdiction,
            legal_form: choice(
                &mut e,
                "legal_form",
                &self.legal_form,
                LegalForm::ALL,
                LegalForm::as_str,
            ),
            domain: choice(
                &mut e,
                "domain",
                &self.domain,
                ServiceDomain::ALL,
                ServiceDomain::as_str,
            ),
            status: choice(
                &mut e,
                "status",
                &self.status,
                OrgStatus::ALL,
                OrgStatus::as_str,
            ),
            stage: choice(&mut e, "stage", &self.stage, Stage::ALL, Stage::as_str),
            grade: choice(&mut e, "grade", &self.grade, Grade::ALL, Grade::as_str),
            q: given(&self.q).map(|q| q.chars().take(100).collect()),
            sort: choice(&mut e, "sort", &self.sort, &OrgSort::ALL, OrgSort::as_str)
                .unwrap_or_default(),
            ids: None,
        };
        let asked = crate::kit::paging::asked(
            &mut e,
            &self.cursor,
            &self.page,
            &self.per_page,
            (20, 200),
        );
        if e.is_empty() {
            Ok((filter, asked))
        } else {
            Err(e)
        }
    }
}

/// The words of `filter.q` when they are not a whole USCC or filing number (which the
/// store looks up exactly): what goes to the search index.
fn search_words(filter: &OrgFilter) -> Option<String> {
    let q = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty())?;
    (Uscc::parse(q).is_err() && FilingNumber::parse(q).is_err()).then(|| q.to_string())
}

/// Turns the words of `filter.q` into the index's hits (`filter.ids`, best first, up to
/// `MAX_RANKED_IDS`): the jurisdiction as the index's subtree, the status as its filter;
/// the other filters the store applies over the hits. `None`: no words to search.
pub async fn resolve_words(
    store: &Store,
    search: &Search,
    filter: &mut OrgFilter,
    limit: usize,
    offset: usize,
) -> Result<Option<search::Ranked>, AppError> {
    let Some(words) = search_words(filter) else {
        return Ok(None);
    };
    filter.q = None;
    let path = match &filter.jurisdiction {
        Some(code) => match store.jurisdiction(code).await? {
            Some(j) => Some(j.path),
            None => {
                filter.ids = Some(Vec::new());
                return Ok(Some(search::Ranked::default()));
            }
        },
        None => None,
    };
    let statuses: Vec<&str> = filter.status.map(OrgStatus::as_str).into_iter().collect();
    let f = Filter { kind: Some(Kind::Organization), subtree: path.as_deref(), statuses: &statuses };
    let ranked = search::ranked(search, &words, &f, limit, offset);
    filter.ids = Some(ranked.ids.clone());
    Ok(Some(ranked))
}

/// One page of the organization list as found.
pub struct Listed {
    pub page: KeyPage<Organization>,
    /// The page's number when it was asked for by number (search results always are);
    /// `None` when read from a cursor.
    pub number: Option<u32>,
    /// With words: the search index's hits, each with why it matched.
    pub ranked: Option<search::Ranked>,
}

/// One page of the list: from a cursor (or the first), walking the sort's index; a
/// numbered page within the first [`TOTAL_BOUND`] rows; with words, the search index's
/// hits in its order, paged by number (at most [`MAX_RANKED_IDS`] of them).
pub async fn list(store: &Store, search: &Search, q: &ListQuery) -> Result<Listed, AppError> {
    let (mut filter, asked) = q.parse()?;
    let (page, per_page) = (asked.page, asked.per_page);
    let offset = (u64::from(page) - 1) * u64::from(per_page);
    // Filters the index holds (place, status) page in the index; the others are applied
    // by the store over the best hits.
    let in_index = filter.legal_form.is_none()
        && filter.domain.is_none()
        && filter.stage.is_none()
        && filter.grade.is_none();
    if in_index
        && let Some(ranked) =
            resolve_words(store, search, &mut filter, per_page as usize, offset as usize).await?
    {
        let mut p = store.organizations_page(&filter, At::Offset(0), per_page).await?;
        (p.next, p.prev, p.total) = (None, None, Total::Exact(ranked.total as i64));
        return Ok(Listed { page: p, number: Some(page), ranked: Some(ranked) });
    }
    if let Some(ranked) = resolve_words(store, search, &mut filter, MAX_RANKED_IDS, 0).await? {
        let mut p = store.organizations_page(&filter, At::Offset(offset), per_page).await?;
        (p.next, p.prev) = (None, None);
        return Ok(Listed { page: p, number: Some(page), ranked: Some(ranked) });
    }
    let (at, number) = asked.position();
    let p = store.organizations_page(&filter, at, per_page).await?;
    Ok(Listed { page: p, number, ranked: None })
}

pub async fn get(store: &Store, id: Uuid) -> Result<Organization, AppError> {
    store.organization(id).await?.ok_or(AppError::NotFound)
}

/// The jurisdiction path of an organization (what the policy scopes by).
pub async fn path_of(store: &Store, org: &Organization) -> Result<String, AppError> {
    Ok(store
        .jurisdiction(org.data.jurisdiction.as_str())
        .await?
        .map(|j| j.path)
        .unwrap_or_default())
}

/// Organization ids of the hubs `org` is an active member of, as the policy's
/// `hub_ids`. Only hub staff's rights depend on them, so others skip the query.
pub async fn hub_ids_for(store: &Store, caller: &Caller, org: Uuid) -> Result<Vec<Uuid>, AppError> {
    let hub_staff = caller
        .user
        .as_ref()
        .is_some_and(|u| u.role == shuniu_domain::access::Role::HubStaff);
    if !hub_staff {
        return Ok(vec![]);
    }
    Ok(store.active_hub_org_ids(org).await?)
}

/// Asks the policy about `action` on a stored organization.
pub async fn require_on(
    store: &Store,
    caller: &Caller,
    action: Action,
    org: &Organization,
) -> Result<(), AppError> {
    let path = path_of(store, org).await?;
    let hub_ids = hub_ids_for(store, caller, org.id).await?;
    caller.require(
        action,
        &Resource::Organization {
            id: org.id,
            jurisdiction_path: &path,
            hub_ids: &hub_ids,
        },
    )
}

/// Whether this caller sees each organization's personal data (phones) unmasked.
/// One jurisdiction lookup per distinct jurisdiction on the page, not per row.
pub async fn personal_data_visible(
    store: &Store,
    caller: &Caller,
    orgs: &[Organization],
) -> Result<Vec<bool>, AppError> {
    let mut paths: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(orgs.len());
    for o in orgs {
        if caller.user.is_none() {
            out.push(false);
            continue;
        }
        let code = o.data.jurisdiction.to_string();
        if !paths.contains_key(&code) {
            let p = store
                .jurisdiction(&code)
                .await?
                .map(|j| j.path)
                .unwrap_or_default();
            paths.insert(code.clone(), p);
        }
        let hub_ids = hub_ids_for(store, caller, o.id).await?;
        let r = Resource::Organization {
            id: o.id,
            jurisdiction_path: &paths[&code],
            hub_ids: &hub_ids,
        };
        out.push(caller.decide(Action::ReadPersonalData, &r).is_allowed());
    }
    Ok(out)
}

/// The contact phone as this caller may see it: full, or masked (`138****8000`).
pub fn phone_for(org: &Organization, visible: bool) -> Option<String> {
    org.data
        .contact_phone
        .as_ref()
        .map(|p| if visible { p.to_string() } else { p.masked() })
}

pub async fn create(
    store: &Store,
    search: &Search,
    draft: &OrganizationDraft,
    caller: &Caller,
) -> Result<Organization, AppError> {
    create_with(store, search, draft, FieldErrors::new(), caller).await
}

/// [`create`], with problems the caller already found in the input (e.g. a JSON value
/// of the wrong type), so that one answer names every bad field.
pub async fn create_with(
    store: &Store,
    search: &Search,
    draft: &OrganizationDraft,
    found: FieldErrors,
    caller: &Caller,
) -> Result<Organization, AppError> {
    // Whether this caller may register at all, before looking at the input…
    caller.require(
        Action::Create,
        &Resource::NewOrganization {
            jurisdiction_path: None,
        },
    )?;
    let data = check(store, draft, found).await?;
    // …and whether at this place.
    let path = store
        .jurisdiction(data.jurisdiction.as_str())
        .await?
        .map(|j| j.path)
        .unwrap_or_default();
    caller.require(
        Action::Create,
        &Resource::NewOrganization {
            jurisdiction_path: Some(&path),
        },
    )?;
    registration_rules(store, &data, None).await?;
    let created = store.create_organization(&data, caller.ctx()).await;
    let created = name_holder(store, &data, None, created).await?;
    search::organization_written(store, search, created.id).await?;
    Ok(created)
}

/// The registration authority's rules (`supervision::registration::check_registration`):
/// the USCC's division lies in the authority's area, the legal form registers at the
/// authority's level. At creation both; on an edit (`before`) only what the edit
/// changes: a code that changed, a place or legal form that changed (a record that
/// moved keeps its code).
async fn registration_rules(
    store: &Store,
    data: &OrganizationData,
    before: Option<&OrganizationData>,
) -> Result<(), AppError> {
    let Some(node) = store.jurisdiction(data.jurisdiction.as_str()).await? else {
        return Ok(());
    };
    let authority = authority_path(data.legal_form, &node.path);
    // The level the organization registers at: its own node, or the district (the
    // lowest level that registers) above it; a filed one with its street.
    let depth = if data.legal_form == LegalForm::CommunityFiled {
        4
    } else {
        3
    };
    let registering = node
        .path
        .trim_end_matches('/')
        .split('/')
        .take(depth)
        .last()
        .unwrap_or_default()
        .to_string();
    let level = match store.jurisdiction(&registering).await? {
        Some(j) => j.level,
        None => node.level,
    };
    let Err(mut e) = check_registration(data, level, &authority) else {
        return Ok(());
    };
    if let Some(b) = before {
        if b.uscc == data.uscc {
            e.0.remove("uscc");
        }
        if b.jurisdiction == data.jurisdiction && b.legal_form == data.legal_form {
            e.0.remove("jurisdiction");
        }
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(e))
    }
}

/// A name another live organization of the same authority holds: `422` on `name`,
/// naming the holder (`Store::name_taken_error`).
async fn name_holder(
    store: &Store,
    data: &OrganizationData,
    except: Option<Uuid>,
    written: shuniu_store::Result<Organization>,
) -> Result<Organization, AppError> {
    match written {
        Err(shuniu_store::StoreError::Conflict { field }) if field == "name" => {
            match store
                .name_taken_error(data.jurisdiction.as_str(), &data.name, except)
                .await?
            {
                Some(e) => Err(AppError::Validation(e)),
                None => Err(AppError::Conflict { field }),
            }
        }
        other => Ok(other?),
    }
}

/// Applies the given fields over the stored record and validates the whole result.
pub async fn update(
    store: &Store,
    search: &Search,
    id: Uuid,
    patch: OrganizationDraft,
    caller: &Caller,
) -> Result<Organization, AppError> {
    update_with(store, search, id, patch, FieldErrors::new(), caller).await
}

/// [`update`], with problems the caller already found in the input.
/// Unknown id → 404; a deregistered record → 409; bad fields → 422.
pub async fn update_with(
    store: &Store,
    search: &Search,
    id: Uuid,
    patch: OrganizationDraft,
    found: FieldErrors,
    caller: &Caller,
) -> Result<Organization, AppError> {
    let current = get(store, id).await?;
    require_on(store, caller, Action::Edit, &current).await?;
    if current.status == OrgStatus::Deregistered {
        return Err(AppError::State(
            "a deregistered organization cannot be edited".into(),
        ));
    }
    let before = current.data.to_draft();
    let draft = before.clone().merge(patch.clone());
    // Registered facts and the grade never change by a direct edit, whoever asks
    // (`direct_edit_refusals`): only by a change application or an assessment.
    let data = match check(store, &draft, found).await {
        Ok(data) => {
            let refused = direct_edit_refusals(changed_fields(&before, &data.to_draft()));
            if !refused.is_empty() {
                return Err(AppError::Validation(refused));
            }
            data
        }
        Err(AppError::Validation(mut e)) => {
            for (field, err) in direct_edit_refusals(given_changes(&before, &patch)).0 {
                if e.get(&field).is_none() {
                    e.add(&field, err);
                }
            }
            return Err(AppError::Validation(e));
        }
        Err(other) => return Err(other),
    };
    // Moving an organization needs the right at its new place as well.
    if data.jurisdiction != current.data.jurisdiction {
        let path = store
            .jurisdiction(data.jurisdiction.as_str())
            .await?
            .map(|j| j.path)
            .unwrap_or_default();
        caller.require(
            Action::Edit,
            &Resource::Organization {
                id,
                jurisdiction_path: &path,
                hub_ids: &[],
            },
        )?;
    }
    registration_rules(store, &data, Some(&current.data)).await?;
    let updated = store.update_organization(id, &data, caller.ctx()).await;
    let updated = name_holder(store, &data, Some(id), updated).await?;
    search::organization_written(store, search, id).await?;
    Ok(updated)
}

/// A draft's fields, each as JSON (`null` when not given; text trimmed, empty = not given).
fn draft_fields(d: &OrganizationDraft) -> serde_json::Map<String, serde_json::Value> {
    let serde_json::Value::Object(mut m) = serde_json::to_value(d).expect("serializable") else {
        return serde_json::Map::new();
    };
    for v in m.values_mut() {
        if let serde_json::Value::String(s) = v {
            let t = s.trim();
            *v = if t.is_empty() {
                serde_json::Value::Null
            } else {
                serde_json::Value::String(t.to_string())
            };
        }
    }
    m
}

/// The fields whose (normalized) value differs between two complete drafts.
fn changed_fields<'a>(before: &OrganizationDraft, after: &OrganizationDraft) -> Vec<&'a str> {
    let (b, a) = (draft_fields(before), draft_fields(after));
    ORGANIZATION_FIELDS
        .iter()
        .copied()
        .filter(|f| b.get(*f) != a.get(*f))
        .collect()
}

/// The fields a patch gives with a value other than the record's, as typed (used when
/// the patch does not validate, so the answer still names every refused field).
fn given_changes<'a>(before: &OrganizationDraft, patch: &OrganizationDraft) -> Vec<&'a str> {
    let raw = serde_json::to_value(patch).expect("serializable");
    let (b, p) = (draft_fields(before), draft_fields(patch));
    ORGANIZATION_FIELDS
        .iter()
        .copied()
        .filter(|f| !raw.get(*f).is_none_or(|v| v.is_null()) && b.get(*f) != p.get(*f))
        .collect()
}

/// Validates a draft in the domain and checks what only the store knows (that the
/// jurisdiction exists), adding every problem to `found`.
pub async fn check(
    store: &Store,
    draft: &OrganizationDraft,
    mut found: FieldErrors,
) -> Result<OrganizationData, AppError> {
    let validated = draft.validate(today());
    let jurisdiction_ok = match &validated {
        Err(e) => e.get("jurisdiction").is_none(),
        Ok(_) => true,
    };
    if jurisdiction_ok
        && found.get("jurisdiction").is_none()
        && let Some(code) = given(&draft.jurisdiction)
        && store.jurisdiction(code).await?.is_none()
    {
        found.add("jurisdiction", unknown_jurisdiction());
    }
    match validated {
        Ok(data) if found.is_empty() => Ok(data),
        Ok(_) => Err(AppError::Validation(found)),
        Err(e) => {
            for (field, err) in e.0 {
                found.add(&field, err);
            }
            Err(AppError::Validation(found))
        }
    }
}

pub async fn change_status(
    s: &AppState,
    id: Uuid,
    status: Option<&str>,
    reason: Option<&str>,
    effective_on: Option<&str>,
    caller: &Caller,
) -> Result<Organization, AppError> {
    let store = &s.store;
    let current = get(store, id).await?;
    require_on(store, caller, Action::ChangeStatus, &current).await?;
    let change = StatusChange::parse(status, reason, effective_on, today())?;
    let changed = store.change_status(id, &change, caller.ctx()).await?;
    s.refresh_credibility(id).await;
    search::organization_written(store, &s.search, id).await?;
    Ok(changed)
}
