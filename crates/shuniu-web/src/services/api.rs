//! Service catalogue API: the public list, an organization's services, adding and
//! changing one (`PUT` replaces, `PATCH` changes the fields given), and the
//! organization's public contact. Open data (HSDS 3.0) is in [`super::hsds`].

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use shuniu_domain::FieldErrors;
use shuniu_domain::services::{ContactDraft, Place, PublicContact, SERVICE_FIELDS, ServiceDraft};
use shuniu_store::services::ServiceListing;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::kit::api::access::{ApiAccount, ApiCaller, note_denial};
use crate::kit::api::error::ErrorBody;
use crate::kit::api::input::{self, Mode};
use crate::kit::api::responses::{BadToken, NeedsToken};
use crate::kit::extract::{ApiQuery, RecordId};
use crate::kit::routes::Routes;
use crate::services::service::{self, ListQuery, OrgServicesQuery};
use crate::{AppError, AppState};

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/services", list)
        .get("/api/v1/services.csv", crate::kit::export::api_csv::<crate::services::export::Services>)
        .get("/api/v1/organizations/{id}/services", list_of_organization)
        .post("/api/v1/organizations/{id}/services", create)
        .put("/api/v1/organizations/{id}/services/{sid}", replace)
        .patch("/api/v1/organizations/{id}/services/{sid}", patch)
        .get("/api/v1/organizations/{id}/contact", get_contact)
        .put("/api/v1/organizations/{id}/contact", put_contact)
        .merge(super::hsds::routes())
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list, crate::services::export::api_csv, list_of_organization, create, replace, patch, get_contact, put_contact),
    components(schemas(ServiceOut, ServicePage, ServiceInput, ContactOut, ContactInput)),
    tags((name = "services", description = "The service catalogue 服务目录 and public contacts: organizations' own declarations (自行申报)"))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    let mut d = <Doc as utoipa::OpenApi>::openapi();
    d.merge(super::hsds::doc());
    d
}

/// A service as its organization declares it (self-declared, 自行申报).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ServiceOut {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    pub name: String,
    /// A service domain code: `elderly` 助老, `children` 辅幼, `disability` 助残, `employment` 就业创业 …
    #[schema(example = "elderly")]
    pub category: String,
    pub target_group: String,
    pub eligibility: String,
    /// `venue`, `community` or `home`.
    #[schema(example = "venue")]
    pub place_kind: String,
    pub venue_id: Option<Uuid>,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    /// The node where it is given (the venue's, the community, or the organization's own for `home`).
    pub jurisdiction: String,
    pub jurisdiction_name: String,
    pub jurisdiction_name_en: String,
    pub schedule: String,
    /// 0: free.
    pub fee_fen: i64,
    pub capacity: Option<u32>,
    /// `active`, `paused` or `ended`.
    pub status: String,
    /// Always true: the organization's own declaration, not verified by the authority.
    pub self_declared: bool,
    /// With `near`: `same_community`, `same_street` or `same_district`; else null.
    #[schema(example = "same_community")]
    pub distance: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl ServiceOut {
    pub fn new(l: &ServiceListing) -> Self {
        let s = &l.service;
        ServiceOut {
            id: s.id,
            organization_id: s.organization_id,
            organization_name: l.organization_name.clone(),
            name: s.data.name.clone(),
            category: s.data.category.as_str().into(),
            target_group: s.data.target_group.clone(),
            eligibility: s.data.eligibility.clone(),
            place_kind: s.data.place.kind().as_str().into(),
            venue_id: match s.data.place {
                Place::Venue { venue_id } => Some(venue_id),
                _ => None,
            },
            venue_name: l.venue_name.clone(),
            venue_address: l.venue_address.clone(),
            jurisdiction: s.jurisdiction_code.clone(),
            jurisdiction_name: l.jurisdiction_name_zh.clone(),
            jurisdiction_name_en: l.jurisdiction_name_en.clone(),
            schedule: s.data.schedule.clone(),
            fee_fen: s.data.fee.0,
            capacity: s.data.capacity,
            status: s.data.status.as_str().into(),
            self_declared: true,
            distance: l.nearness.map(|n| n.as_str().to_string()),
            updated_at: s.updated_at,
        }
    }
}

/// One keyset page of services.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ServicePage {
    pub items: Vec<ServiceOut>,
    #[serde(flatten)]
    pub paging: crate::kit::paging::PageInfo,
    /// When searched by `q`: why each listed service matched, in the items' order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<crate::kit::search::SearchMatch>,
}

/// A service as sent: `fee` in yuan (text or number, at most 2 decimals; 0 or absent:
/// free). `PUT` and `POST` need the required fields; `PATCH` only those it changes.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ServiceInput {
    #[schema(example = "助餐配送")]
    pub name: String,
    #[schema(example = "elderly")]
    pub category: String,
    #[schema(example = "80岁以上独居老人")]
    pub target_group: String,
    pub eligibility: Option<String>,
    /// `venue` (give `venue_id`), `community` (give `jurisdiction`) or `home`.
    #[schema(example = "home")]
    pub place_kind: String,
    pub venue_id: Option<String>,
    pub jurisdiction: Option<String>,
    #[schema(example = "周一至周五 11:00–12:30")]
    pub schedule: String,
    #[schema(example = "12.50")]
    pub fee: Option<String>,
    pub capacity: Option<u32>,
    /// `active` (default), `paused` or `ended`.
    pub status: Option<String>,
}

/// An organization's public contact (its own declaration, shown in full).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContactOut {
    pub organization_id: Uuid,
    #[schema(example = "025-84123456")]
    pub service_phone: String,
    pub service_hours: String,
    pub address: String,
    pub self_declared: bool,
}

impl ContactOut {
    fn new(organization_id: Uuid, c: &PublicContact) -> Self {
        ContactOut {
            organization_id,
            service_phone: c.service_phone.to_string(),
            service_hours: c.service_hours.clone(),
            address: c.address.clone(),
            self_declared: true,
        }
    }
}

/// The public contact as sent.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContactInput {
    #[schema(example = "025-84123456")]
    pub service_phone: String,
    #[schema(example = "周一至周五 9:00–17:00")]
    pub service_hours: String,
    pub address: String,
}

fn service_draft(body: &[u8]) -> (ServiceDraft, FieldErrors) {
    let (b, mut e): (Map<String, Value>, FieldErrors) = input::fields_of(body, &SERVICE_FIELDS);
    let mut d = ServiceDraft::default();
    for name in SERVICE_FIELDS {
        let Some(v) = b.get(name) else { continue };
        let text = match (name, v) {
            ("capacity", v) => input::count(&mut e, name, v, Mode::Create),
            ("fee", Value::Number(n)) => Some(n.to_string()),
            (_, v) => input::text(&mut e, name, v, Mode::Create),
        };
        let slot = match name {
            "name" => &mut d.name,
            "category" => &mut d.category,
            "target_group" => &mut d.target_group,
            "eligibility" => &mut d.eligibility,
            "place_kind" => &mut d.place_kind,
            "venue_id" => &mut d.venue_id,
            "jurisdiction" => &mut d.jurisdiction,
            "schedule" => &mut d.schedule,
            "fee" => &mut d.fee,
            "capacity" => &mut d.capacity,
            _ => &mut d.status,
        };
        *slot = text;
    }
    (d, e)
}

/// A service as its organization's catalogue shows it (what a write answers with).
async fn listing(s: &AppState, id: Uuid) -> Result<ServiceListing, AppError> {
    s.store.service_listing(id).await?.ok_or(AppError::NotFound)
}

/// The public service list: services not ended, of organizations in good standing
/// (not suspended, deregistered or on the serious list), filtered, one keyset page at a
/// time (`cursor` from `next`/`prev`); with `near`, kept to that community's district
/// and sorted nearest first; with `q`, the search index's best hits (up to 1,000), best
/// first.
#[utoipa::path(
    get,
    path = "/api/v1/services",
    operation_id = "list_services",
    tag = "services",
    params(ListQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "One page of services", body = ServicePage),
        BadToken,
        (status = 422, description = "A bad query parameter, each named in `fields`: `near` not a community, a `cursor` that is not one of this list's with these filters, a `page` past the first 10,000 services (follow `next` instead) …", body = ErrorBody),
    )
)]
pub async fn list(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<ServicePage>, AppError> {
    let listed = service::public_list(&s.store, &s.search, &q).await?;
    let p = &listed.page;
    Ok(Json(ServicePage {
        items: p.items.iter().map(ServiceOut::new).collect(),
        paging: crate::kit::paging::PageInfo::of(p, listed.number),
        matches: crate::kit::search::matches(
            listed.ranked.as_ref(),
            p.items.iter().map(|l| l.service.id),
        ),
    }))
}

/// An organization's services, every status (its own catalogue), by name, one keyset
/// page at a time (`cursor` from `next`/`prev`). Public.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}/services",
    operation_id = "list_organization_services",
    tag = "services",
    params(("id" = Uuid, Path, description = "Organization id"), OrgServicesQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The organization's services", body = ServicePage),
        BadToken,
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 422, description = "A bad `cursor` (not one of this list's), `page` (past the first 10,000: follow `next`) or `per_page`, each named in `fields`", body = ErrorBody),
    )
)]
pub async fn list_of_organization(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    RecordId(id): RecordId,
    ApiQuery(q): ApiQuery<OrgServicesQuery>,
) -> Result<Json<ServicePage>, AppError> {
    let (org, _) = service::organization(&s.store, id).await?;
    let (p, number) = service::services_of(&s.store, &org, &q, 50).await?;
    Ok(Json(ServicePage {
        items: p.items.iter().map(ServiceOut::new).collect(),
        paging: crate::kit::paging::PageInfo::of(&p, number),
        matches: Vec::new(),
    }))
}

/// Add a service (the organization's own staff, the official over it, administrators).
#[utoipa::path(
    post,
    path = "/api/v1/organizations/{id}/services",
    operation_id = "create_service",
    tag = "services",
    params(("id" = Uuid, Path, description = "Organization id")),
    request_body = ServiceInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added, listed at once", body = ServiceOut),
        NeedsToken,
        (status = 403, description = "Not the caller's organization to keep", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 409, description = "The organization is deregistered", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written", body = ErrorBody),
    )
)]
pub async fn create(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Response, AppError> {
    let (draft, found) = service_draft(&body);
    let r = service::create(&s, &caller, id, &draft, found).await;
    let svc = note_denial(&s, &caller, "service.create", format!("organization:{id}"), r).await?;
    let l = listing(&s, svc.id).await?;
    Ok(crate::kit::api::created(
        format!("/api/v1/organizations/{id}/services/{}", svc.id),
        ServiceOut::new(&l),
    ))
}

async fn write(
    s: AppState,
    caller: crate::auth::Caller,
    (id, sid): (String, String),
    body: Bytes,
    patch: bool,
) -> Result<Json<ServiceOut>, AppError> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let sid = Uuid::parse_str(&sid).map_err(|_| AppError::NotFound)?;
    let (draft, found) = service_draft(&body);
    let r = service::update(&s, &caller, id, sid, &draft, patch, found).await;
    let svc = note_denial(&s, &caller, "service.update", format!("service:{sid}"), r).await?;
    Ok(Json(ServiceOut::new(&listing(&s, svc.id).await?)))
}

/// Replace a service whole.
#[utoipa::path(
    put,
    path = "/api/v1/organizations/{id}/services/{sid}",
    operation_id = "replace_service",
    tag = "services",
    params(("id" = Uuid, Path, description = "Organization id"), ("sid" = Uuid, Path, description = "Service id")),
    request_body = ServiceInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The service as stored", body = ServiceOut),
        NeedsToken,
        (status = 403, description = "Not the caller's organization to keep", body = ErrorBody),
        (status = 404, description = "No such organization, or no such service of it", body = ErrorBody),
        (status = 409, description = "The organization is deregistered", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written", body = ErrorBody),
    )
)]
pub async fn replace(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    Path(ids): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<ServiceOut>, AppError> {
    write(s, caller, ids, body, false).await
}

/// Change the fields given of a service (e.g. `{"status": "paused"}`).
#[utoipa::path(
    patch,
    path = "/api/v1/organizations/{id}/services/{sid}",
    operation_id = "patch_service",
    tag = "services",
    params(("id" = Uuid, Path, description = "Organization id"), ("sid" = Uuid, Path, description = "Service id")),
    request_body = ServiceInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The service as stored", body = ServiceOut),
        NeedsToken,
        (status = 403, description = "Not the caller's organization to keep", body = ErrorBody),
        (status = 404, description = "No such organization, or no such service of it", body = ErrorBody),
        (status = 409, description = "The organization is deregistered", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written", body = ErrorBody),
    )
)]
pub async fn patch(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    Path(ids): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<ServiceOut>, AppError> {
    write(s, caller, ids, body, true).await
}

/// The organization's public contact: service phone, hours, address — its own
/// disclosure, in full. 404 when it has declared none.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}/contact",
    operation_id = "get_organization_contact",
    tag = "services",
    params(("id" = Uuid, Path, description = "Organization id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The public contact", body = ContactOut),
        BadToken,
        (status = 404, description = "No such organization, or no contact declared", body = ErrorBody),
    )
)]
pub async fn get_contact(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<ContactOut>, AppError> {
    let (org, _) = service::organization(&s.store, id).await?;
    let c = s.store.public_contact(org.id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(ContactOut::new(org.id, &c)))
}

/// Declare the public contact (replaces it whole).
#[utoipa::path(
    put,
    path = "/api/v1/organizations/{id}/contact",
    operation_id = "put_organization_contact",
    tag = "services",
    params(("id" = Uuid, Path, description = "Organization id")),
    request_body = ContactInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contact as stored", body = ContactOut),
        NeedsToken,
        (status = 403, description = "Not the caller's organization to keep", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 409, description = "The organization is deregistered", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written", body = ErrorBody),
    )
)]
pub async fn put_contact(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<ContactOut>, AppError> {
    let ([service_phone, service_hours, address], found) =
        input::texts(&body, ["service_phone", "service_hours", "address"]);
    let draft = ContactDraft {
        service_phone,
        service_hours,
        address,
    };
    let r = service::set_contact(&s, &caller, id, &draft, found).await;
    let c = note_denial(&s, &caller, "organization.contact", format!("organization:{id}"), r).await?;
    Ok(Json(ContactOut::new(id, &c)))
}
