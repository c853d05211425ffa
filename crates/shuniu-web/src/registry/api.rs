//! `/api/v1/organizations`: the registry of social organizations as JSON.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use shuniu_domain::FieldErrors;
use shuniu_domain::codes::Phone;
use shuniu_domain::registry::{Organization, StatusChange};
use shuniu_store::OrgChange;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::api::access::{ApiAccount, ApiCaller, note_denial};
use crate::kit::api::created;
use crate::kit::api::error::ErrorBody;
use crate::kit::api::input::{self, Mode};
use crate::kit::api::responses::{BadToken, NeedsToken};
use crate::kit::api::schema;
use crate::kit::extract::{ApiQuery, RecordId};
use crate::registry::{self, ListQuery};
use crate::{AppError, AppState, today};

/// A phone number as text, masked (`138****8000`) unless `visible`. Text that does
/// not parse as a phone is masked character-wise all the same.
pub fn phone_text(phone: &str, visible: bool) -> String {
    if visible {
        return phone.to_string();
    }
    match Phone::parse(phone) {
        Ok(p) => p.masked(),
        Err(_) => shuniu_domain::codes::mask_middle(phone, 3, 4),
    }
}

/// Whether this caller may see one organization's personal data unmasked.
pub async fn visible_one(
    s: &AppState,
    caller: &Caller,
    org: &Organization,
) -> Result<bool, AppError> {
    Ok(
        crate::registry::personal_data_visible(&s.store, caller, std::slice::from_ref(org))
            .await?
            .first()
            .copied()
            .unwrap_or(false),
    )
}

/// The OpenAPI part of organizations, merged into `/api/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(paths(list, super::export::api_csv, create, get, update, change_status, history), tags((name = "organizations", description = "The registry of social organizations 社会组织登记备案")))]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

/// A registered or filed social organization.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrganizationRecord {
    pub id: Uuid,
    #[schema(example = "梅园新村街道社会组织发展促进会")]
    pub name: String,
    #[schema(schema_with = schema::legal_form)]
    pub legal_form: String,
    /// Unified social credit code 统一社会信用代码 (GB 32100); null for filed community
    /// organizations.
    #[schema(required, example = "51100000500002862F")]
    pub uscc: Option<String>,
    /// Filing number of a filed community organization, `street code-year-sequence`.
    #[schema(required, example = "320102002000-2011-0007")]
    pub filing_number: Option<String>,
    #[schema(schema_with = schema::domains)]
    pub domains: Vec<String>,
    /// Jurisdiction code (6 or 12 digits).
    #[schema(example = "320102002000")]
    pub jurisdiction: String,
    pub address: String,
    pub founded_on: NaiveDate,
    pub legal_representative: String,
    /// Personal data: masked (`138****8000`) unless the caller may see it in full
    /// (officials over the organization's jurisdiction, its own members, admins).
    #[schema(required, example = "138****8000")]
    pub contact_phone: Option<String>,
    pub staff_full_time: u32,
    pub staff_part_time: u32,
    pub volunteers: u32,
    #[schema(schema_with = schema::party_org)]
    pub party_org: String,
    pub party_members: u32,
    #[schema(schema_with = schema::stage)]
    pub stage: String,
    #[schema(required, schema_with = schema::grade)]
    pub grade: Option<String>,
    #[schema(required)]
    pub grade_awarded_on: Option<NaiveDate>,
    /// Five years after the award.
    #[schema(required)]
    pub grade_expires_on: Option<NaiveDate>,
    /// Marks records of the demo data set.
    pub is_demo: bool,
    #[schema(schema_with = schema::status)]
    pub status: String,
    /// Reason of the last status change (e.g. why it was deregistered).
    #[schema(required)]
    pub status_reason: Option<String>,
    #[schema(required)]
    pub status_changed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Times at the precision both databases store (microseconds), so that the record a
/// write answers equals the one read back later.
fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

impl OrganizationRecord {
    /// The record as a caller sees it: personal data in full only if `visible`.
    pub fn for_caller(o: &Organization, visible: bool) -> Self {
        let mut r = OrganizationRecord::from(o);
        r.contact_phone = registry::phone_for(o, visible);
        r
    }
}

/// The full record (no masking): only for callers known to see personal data.
impl From<&Organization> for OrganizationRecord {
    fn from(o: &Organization) -> Self {
        let d = &o.data;
        OrganizationRecord {
            id: o.id,
            name: d.name.clone(),
            legal_form: d.legal_form.as_str().into(),
            uscc: d.uscc.as_ref().map(|u| u.to_string()),
            filing_number: d.filing_number.as_ref().map(|f| f.to_string()),
            domains: d.domains.iter().map(|x| x.as_str().to_string()).collect(),
            jurisdiction: d.jurisdiction.to_string(),
            address: d.address.clone(),
            founded_on: d.founded_on,
            legal_representative: d.legal_representative.clone(),
            contact_phone: d.contact_phone.as_ref().map(|p| p.to_string()),
            staff_full_time: d.staff_full_time,
            staff_part_time: d.staff_part_time,
            volunteers: d.volunteers,
            party_org: d.party_org.as_str().into(),
            party_members: d.party_members,
            stage: d.stage.as_str().into(),
            grade: d.grade.map(|g| g.as_str().into()),
            grade_awarded_on: d.grade_awarded_on,
            grade_expires_on: d.grade_expires_on(),
            is_demo: d.is_demo,
            status: o.status.as_str().into(),
            status_reason: o.status_reason.clone(),
            status_changed_on: o.status_changed_on,
            created_at: micros(o.created_at),
            updated_at: micros(o.updated_at),
        }
    }
}

/// One page of organizations.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OrganizationPage {
    pub items: Vec<OrganizationRecord>,
    /// How many organizations match the filters (over all pages); past 10,000 the
    /// count stops and `total_is_lower_bound` is true ("10,000 or more").
    pub total: i64,
    /// Whether `total` is a lower bound rather than the exact count.
    pub total_is_lower_bound: bool,
    /// The page's number when asked for by `page` (or the first); `null` when read
    /// from a `cursor`.
    pub page: Option<u32>,
    pub per_page: u32,
    /// The cursor of the next page (pass it as `cursor`); `null` on the last page and
    /// for search results, which are paged by `page`.
    pub next: Option<String>,
    /// The cursor of the page before; `null` on the first page and for search results.
    pub prev: Option<String>,
    /// When searched by `q`: why each listed organization matched, in the items' order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<crate::kit::search::SearchMatch>,
}

impl OrganizationPage {
    /// `visible[i]`: whether the caller sees item `i`'s personal data in full.
    fn for_caller(l: &registry::Listed, visible: &[bool]) -> Self {
        let p = &l.page;
        OrganizationPage {
            items: p
                .items
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    OrganizationRecord::for_caller(o, visible.get(i).copied().unwrap_or(false))
                })
                .collect(),
            total: p.total.count(),
            total_is_lower_bound: p.total.is_lower_bound(),
            page: l.number,
            per_page: p.per_page,
            next: p.next.clone(),
            prev: p.prev.clone(),
            matches: Vec::new(),
        }
    }
}

/// A new organization. Counts may also be sent as numeric strings; `null` means
/// "not given". Every bad field is reported at once (`422`); nothing is written then.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationCreate {
    #[schema(min_length = 2, max_length = 100)]
    pub name: String,
    #[schema(schema_with = schema::legal_form)]
    pub legal_form: String,
    /// Required for social groups, social service institutions and foundations
    /// (authority `5`, type `1`/`2`/`3` to match); absent for `community_filed`.
    pub uscc: Option<String>,
    /// Required for `community_filed` only.
    pub filing_number: Option<String>,
    #[schema(schema_with = schema::domains)]
    pub domains: Vec<String>,
    /// Code of an existing jurisdiction node.
    pub jurisdiction: String,
    #[schema(max_length = 200)]
    pub address: String,
    /// Not in the future.
    pub founded_on: NaiveDate,
    #[schema(max_length = 50)]
    pub legal_representative: String,
    /// Mobile (`13812348000`, optional `+86`) or landline with area code (`025-84123456`).
    pub contact_phone: Option<String>,
    #[schema(maximum = 1000000)]
    pub staff_full_time: Option<u32>,
    #[schema(maximum = 1000000)]
    pub staff_part_time: Option<u32>,
    #[schema(maximum = 1000000)]
    pub volunteers: Option<u32>,
    #[schema(schema_with = schema::party_org)]
    pub party_org: Option<String>,
    /// An own branch needs at least 3.
    #[schema(maximum = 1000000)]
    pub party_members: Option<u32>,
    #[schema(schema_with = schema::stage)]
    pub stage: String,
    #[schema(schema_with = schema::grade)]
    pub grade: Option<String>,
    /// Required with a grade; not before the founding date.
    pub grade_awarded_on: Option<NaiveDate>,
}

/// A partial update: only the fields given change; `null` clears an optional field.
/// The merged record is validated as a whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationPatch {
    pub name: Option<String>,
    #[schema(schema_with = schema::legal_form)]
    pub legal_form: Option<String>,
    pub uscc: Option<String>,
    pub filing_number: Option<String>,
    #[schema(schema_with = schema::domains)]
    pub domains: Option<Vec<String>>,
    pub jurisdiction: Option<String>,
    pub address: Option<String>,
    pub founded_on: Option<NaiveDate>,
    pub legal_representative: Option<String>,
    pub contact_phone: Option<String>,
    pub staff_full_time: Option<u32>,
    pub staff_part_time: Option<u32>,
    pub volunteers: Option<u32>,
    #[schema(schema_with = schema::party_org)]
    pub party_org: Option<String>,
    pub party_members: Option<u32>,
    #[schema(schema_with = schema::stage)]
    pub stage: Option<String>,
    #[schema(schema_with = schema::grade)]
    pub grade: Option<String>,
    pub grade_awarded_on: Option<NaiveDate>,
}

/// A registration status change. Deregistration is final and keeps the record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChangeRequest {
    #[schema(schema_with = schema::status)]
    pub status: String,
    #[schema(example = "自行解散", max_length = 500)]
    pub reason: String,
    /// Defaults to today (Asia/Shanghai); not in the future.
    pub effective_on: Option<NaiveDate>,
}

/// One entry of an organization's change history.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChangeRecord {
    pub id: Uuid,
    pub changed_at: DateTime<Utc>,
    /// Who made the change (the account's user name).
    pub actor: String,
    /// `created`, `updated`, or `status:<new status>`.
    #[schema(example = "updated")]
    pub action: String,
    /// Changed fields: `{"field": {"from": old, "to": new}}`. Personal data
    /// (`contact_phone`) is masked unless the caller may see it in full.
    #[schema(value_type = Object, example = json!({"staff_full_time": {"from": 4, "to": 9}}))]
    pub changes: serde_json::Value,
}

/// Personal-data fields of the change history, masked like the record.
const PERSONAL_FIELDS: &[&str] = &["contact_phone"];

fn mask_changes(mut changes: serde_json::Value) -> serde_json::Value {
    fn mask(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => *s = phone_text(s, false),
            serde_json::Value::Object(m) => m.values_mut().for_each(mask),
            serde_json::Value::Array(a) => a.iter_mut().for_each(mask),
            _ => {}
        }
    }
    if let Some(m) = changes.as_object_mut() {
        for f in PERSONAL_FIELDS {
            if let Some(v) = m.get_mut(*f) {
                mask(v);
            }
        }
    }
    changes
}

impl ChangeRecord {
    fn for_caller(c: OrgChange, visible: bool) -> Self {
        ChangeRecord {
            id: c.id,
            changed_at: micros(c.changed_at),
            actor: c.actor,
            action: c.action,
            changes: if visible {
                c.changes
            } else {
                mask_changes(c.changes)
            },
        }
    }
}

/// The record as this caller may see it.
async fn record(
    s: &AppState,
    caller: &Caller,
    o: &Organization,
) -> Result<Json<OrganizationRecord>, AppError> {
    let visible = visible_one(s, caller, o).await?;
    Ok(Json(OrganizationRecord::for_caller(o, visible)))
}

/// List organizations, filtered, searched, sorted and paginated in the database.
/// Public: no token needed; contact phones are masked unless the caller may see them.
#[utoipa::path(
    get,
    path = "/api/v1/organizations",
    operation_id = "list_organizations",
    tag = "organizations",
    params(ListQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "One page of matching organizations", body = OrganizationPage),
        BadToken,
        (status = 422, description = "A filter, sort or paging parameter is bad; each is named in `fields`: a `cursor` that is not one of this list's and sort's, a `page` past the first 10,000 rows (follow `next` instead)", body = ErrorBody),
    )
)]
pub async fn list(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<OrganizationPage>, AppError> {
    // A well-formed code that is not in the tree is a bad filter value too.
    if let Ok((filter, _)) = q.parse()
        && let Some(code) = &filter.jurisdiction
        && s.store.jurisdiction(code).await?.is_none()
    {
        return Err(AppError::Validation(FieldErrors::single(
            "jurisdiction",
            registry::unknown_jurisdiction(),
        )));
    }
    let listed = registry::list(&s.store, &s.search, &q).await?;
    let items = &listed.page.items;
    let visible = registry::personal_data_visible(&s.store, &caller, items).await?;
    let mut answer = OrganizationPage::for_caller(&listed, &visible);
    answer.matches =
        crate::kit::search::matches(listed.ranked.as_ref(), items.iter().map(|o| o.id));
    Ok(Json(answer))
}

/// Register (or file) an organization.
#[utoipa::path(
    post,
    path = "/api/v1/organizations",
    operation_id = "create_organization",
    tag = "organizations",
    request_body = OrganizationCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names the new record", body = OrganizationRecord,
            headers(("Location" = String, description = "/api/v1/organizations/{id}"))),
        NeedsToken,
        (status = 403, description = "The caller may not register organizations (there)", body = ErrorBody),
        (status = 409, description = "The USCC or filing number is already registered", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written. Also the registration authority's rules (`uscc`: its division outside the authority's area; `jurisdiction`: a foundation below city level) and a name another live organization of the authority holds (`name`, the holder named)", body = ErrorBody),
    )
)]
pub async fn create(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    body: Bytes,
) -> Result<Response, AppError> {
    let body = input::object(&body)?;
    let (draft, found) = input::organization_draft(&body, Mode::Create);
    let made = registry::create_with(&s.store, &s.search, &draft, found, &caller).await;
    let org = note_denial(
        &s,
        &caller,
        "organization.create",
        "organization:new".into(),
        made,
    )
    .await?;
    let rec = record(&s, &caller, &org).await?;
    Ok(created(format!("/api/v1/organizations/{}", org.id), rec.0))
}

/// One organization.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}",
    operation_id = "get_organization",
    tag = "organizations",
    params(("id" = Uuid, Path, description = "Organization id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The record (personal data masked unless the caller may see it)", body = OrganizationRecord),
        BadToken,
        (status = 404, description = "No such organization (or not a UUID)", body = ErrorBody),
    )
)]
pub async fn get(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<OrganizationRecord>, AppError> {
    let org = registry::get(&s.store, id).await?;
    registry::require_on(&s.store, &caller, shuniu_domain::access::Action::Read, &org).await?;
    record(&s, &caller, &org).await
}

/// Change some fields of an organization.
#[utoipa::path(
    patch,
    path = "/api/v1/organizations/{id}",
    operation_id = "update_organization",
    tag = "organizations",
    params(("id" = Uuid, Path, description = "Organization id")),
    request_body = OrganizationPatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated record", body = OrganizationRecord),
        NeedsToken,
        (status = 403, description = "The caller may read this organization but not edit it", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 409, description = "The USCC or filing number is taken, or the organization is deregistered", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written. Also the registration rules for a changed code, place or legal form, and a name another live organization of the authority holds (`name`, the holder named)", body = ErrorBody),
    )
)]
pub async fn update(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<OrganizationRecord>, AppError> {
    // An unknown id is a 404 whatever the body says.
    registry::get(&s.store, id).await?;
    let body = input::object(&body)?;
    let (patch, found) = input::organization_draft(&body, Mode::Patch);
    let updated = registry::update_with(&s.store, &s.search, id, patch, found, &caller).await;
    let org = note_denial(
        &s,
        &caller,
        "organization.update",
        format!("organization:{id}"),
        updated,
    )
    .await?;
    record(&s, &caller, &org).await
}

/// Suspend, reactivate or deregister an organization (never a hard delete).
#[utoipa::path(
    post,
    path = "/api/v1/organizations/{id}/status",
    operation_id = "change_organization_status",
    tag = "organizations",
    params(("id" = Uuid, Path, description = "Organization id")),
    request_body = StatusChangeRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The record in its new status", body = OrganizationRecord),
        NeedsToken,
        (status = 403, description = "The caller may read this organization but not change its status", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 409, description = "The change is not allowed from the current status (deregistration is final)", body = ErrorBody),
        (status = 422, description = "Every bad field named", body = ErrorBody),
    )
)]
pub async fn change_status(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<OrganizationRecord>, AppError> {
    registry::get(&s.store, id).await?;
    let body = input::object(&body)?;
    let mut found = FieldErrors::new();
    input::unknown_fields(&mut found, &body, &["status", "reason", "effective_on"]);
    let mut field = |name: &str| {
        body.get(name)
            .and_then(|v| input::text(&mut found, name, v, Mode::Create))
    };
    let (status, reason, effective_on) = (field("status"), field("reason"), field("effective_on"));
    if !found.is_empty() {
        // Name every bad field, not only the ones of the wrong type.
        if let Err(e) = StatusChange::parse(
            status.as_deref(),
            reason.as_deref(),
            effective_on.as_deref(),
            today(),
        ) {
            for (f, err) in e.0 {
                found.add(&f, err);
            }
        }
        return Err(AppError::Validation(found));
    }
    let changed = registry::change_status(
        &s,
        id,
        status.as_deref(),
        reason.as_deref(),
        effective_on.as_deref(),
        &caller,
    )
    .await;
    let org = note_denial(
        &s,
        &caller,
        "organization.status",
        format!("organization:{id}"),
        changed,
    )
    .await?;
    record(&s, &caller, &org).await
}

/// The change history of an organization, newest first. Public like the record
/// itself (and like the history on the organization's page); personal data in the
/// changes (`contact_phone`) is masked unless the caller may see it in full.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}/history",
    operation_id = "organization_history",
    tag = "organizations",
    params(("id" = Uuid, Path, description = "Organization id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Changes, newest first", body = Vec<ChangeRecord>),
        BadToken,
        (status = 404, description = "No such organization", body = ErrorBody),
    )
)]
pub async fn history(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Vec<ChangeRecord>>, AppError> {
    let org = registry::get(&s.store, id).await?;
    registry::require_on(&s.store, &caller, shuniu_domain::access::Action::Read, &org).await?;
    let visible = visible_one(&s, &caller, &org).await?;
    let changes = s.store.organization_history(id).await?;
    Ok(Json(
        changes
            .into_iter()
            .map(|c| ChangeRecord::for_caller(c, visible))
            .collect(),
    ))
}
