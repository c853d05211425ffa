//! Open data: the service directory as Open Referral HSDS 3.0 JSON (organization,
//! service, location, service_at_location; the phone of the ORGANIZATION only — its
//! declared public contact, never a person's phone). The same builders serve the API
//! (`/api/v1/hsds/…`, paged as HSDS's own API pages: `contents`, `total_items` …, and
//! by cursor as every list of ours is: `next`, `prev` …) and `shuniu export hsds DIR`.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use shuniu_domain::FieldErrors;
use shuniu_domain::Lang;
use shuniu_domain::services::{Place, ServiceStatus};
use shuniu_store::{At, KeyPage};
use shuniu_store::services::{DirectoryOrg, ServiceFilter, ServiceListing};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kit::api::access::ApiCaller;
use crate::kit::api::error::ErrorBody;
use crate::kit::api::responses::BadToken;
use crate::kit::extract::{ApiQuery, RecordId};
use crate::kit::paging::PageInfo;
use crate::kit::routes::Routes;
use crate::{AppError, AppState};

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/hsds/organizations", organizations)
        .get("/api/v1/hsds/organizations/{id}", organization)
        .get("/api/v1/hsds/services", services)
        .get("/api/v1/hsds/services/{id}", service)
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(organizations, organization, services, service),
    components(schemas(HsdsPage)),
    tags((name = "hsds", description = "Open data: the service directory as Open Referral HSDS 3.0"))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

/// An id derived from another (HSDS wants a UUID for each phone, location, link …):
/// stable across exports, distinct per `salt`.
fn derived(id: Uuid, salt: u128) -> Uuid {
    Uuid::from_u128(id.as_u128() ^ (salt << 64 | salt))
}

const PHONE: u128 = 1;
const LOCATION: u128 = 2;
const LINK: u128 = 3;
const SCHEDULE: u128 = 4;
const COST: u128 = 5;

/// The organization's own phone (its declared public contact), if any.
fn org_phones(d: &DirectoryOrg) -> Vec<Value> {
    d.contact
        .iter()
        .map(|c| {
            json!({
                "id": derived(d.org.id, PHONE),
                "organization_id": d.org.id,
                "number": c.service_phone.to_string(),
                "type": "voice",
                "description": format!("服务电话（自行申报）；服务时间：{}", c.service_hours),
            })
        })
        .collect()
}

/// An HSDS `organization`.
pub fn organization_json(d: &DirectoryOrg) -> Value {
    let o = &d.org;
    let domains: Vec<&str> = o.data.domains.iter().map(|x| x.label(Lang::Zh)).collect();
    let address = d
        .contact
        .as_ref()
        .map(|c| c.address.clone())
        .unwrap_or_else(|| o.data.address.clone());
    let mut v = json!({
        "id": o.id,
        "name": o.data.name,
        "description": format!("{}；服务领域：{}", o.data.legal_form.label(Lang::Zh), domains.join("、")),
        "legal_status": o.data.legal_form.label(Lang::Zh),
        "year_incorporated": chrono::Datelike::year(&o.data.founded_on),
        "phones": org_phones(d),
        "locations": [{
            "id": derived(o.id, LOCATION),
            "location_type": "physical",
            "organization_id": o.id,
            "name": o.data.name,
            "description": address,
        }],
    });
    if let Some(u) = &o.data.uscc {
        v["tax_id"] = json!(u.to_string());
    }
    v
}

fn hsds_status(s: ServiceStatus) -> &'static str {
    match s {
        ServiceStatus::Active => "active",
        ServiceStatus::Paused => "temporarily closed",
        ServiceStatus::Ended => "inactive",
    }
}

/// An HSDS `service`, with its organization (and the organization's phone), its
/// location and the link between them.
pub fn service_json(l: &ServiceListing, org: Option<&DirectoryOrg>) -> Value {
    let s = &l.service;
    let d = &s.data;
    let (loc_name, loc_desc) = match (&d.place, &l.venue_name) {
        (Place::Venue { .. }, Some(v)) => (
            v.clone(),
            format!("{}（{}）", l.venue_address.clone().unwrap_or_default(), l.jurisdiction_name_zh),
        ),
        (Place::Home, _) => (format!("上门服务：{}", l.jurisdiction_name_zh), "在居民家中提供".to_string()),
        _ => (l.jurisdiction_name_zh.clone(), "在社区（辖区）内提供".to_string()),
    };
    let location_id = match d.place {
        Place::Venue { venue_id } => venue_id,
        _ => derived(s.id, LOCATION),
    };
    let fees = if d.fee.0 == 0 {
        "免费".to_string()
    } else {
        format!("收费：每次 {} 元", shuniu_domain::services::fee_input(d.fee))
    };
    let mut v = json!({
        "id": s.id,
        "organization_id": s.organization_id,
        "name": d.name,
        "description": format!("{}。服务对象：{}（自行申报）", d.category.label(Lang::Zh), d.target_group),
        "status": hsds_status(d.status),
        "eligibility_description": d.eligibility,
        "fees_description": fees,
        "last_modified": s.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "schedules": [{ "id": derived(s.id, SCHEDULE), "service_id": s.id, "description": d.schedule }],
        "service_at_locations": [{
            "id": derived(s.id, LINK),
            "service_id": s.id,
            "location_id": location_id,
            "location": {
                "id": location_id,
                "location_type": "physical",
                "name": loc_name,
                "description": loc_desc,
            },
        }],
        "organization": {
            "id": s.organization_id,
            "name": l.organization_name,
            "description": l.organization_name,
        },
    });
    if d.fee.0 > 0 {
        v["cost_options"] = json!([{
            "id": derived(s.id, COST),
            "service_id": s.id,
            "currency": "CNY",
            "amount": d.fee.0 as f64 / 100.0,
            "option": "每次",
        }]);
    }
    if let Some(o) = org {
        v["organization"] = organization_json(o);
    }
    v
}

/// A page of HSDS objects, as HSDS's own API pages them, with our lists' keyset paging
/// beside (`next`/`prev` cursors; a count that stops at 10,000).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HsdsPage {
    /// As `total`: past 10,000 a lower bound.
    pub total_items: i64,
    pub total_pages: u32,
    /// The page's number when asked for by `page` (or the first); absent from a `cursor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_number: Option<u32>,
    pub size: u32,
    pub first_page: bool,
    pub last_page: bool,
    pub empty: bool,
    /// HSDS 3.0 objects.
    #[schema(value_type = Vec<Object>)]
    pub contents: Vec<Value>,
    #[serde(flatten)]
    pub paging: PageInfo,
}

fn page_of<T>(p: &KeyPage<T>, number: Option<u32>, contents: Vec<Value>) -> HsdsPage {
    let paging = PageInfo::of(p, number);
    let size = u64::from(p.per_page.max(1));
    HsdsPage {
        total_items: paging.total,
        total_pages: (paging.total.max(0) as u64).div_ceil(size) as u32,
        page_number: number,
        size: p.per_page,
        first_page: p.prev.is_none(),
        last_page: p.next.is_none(),
        empty: contents.is_empty(),
        contents,
        paging,
    }
}

/// Paging of the open-data lists.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HsdsQuery {
    /// Where the page starts: the `next` or `prev` of a page read before (opaque).
    /// Takes precedence over `page`.
    #[param(value_type = Option<String>, max_length = 512)]
    pub cursor: Option<String>,
    /// 1-based page number within the first 10,000 items (past them, follow `next`).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub per_page: Option<String>,
}

impl HsdsQuery {
    fn parse(&self) -> Result<crate::kit::paging::Asked, AppError> {
        let mut e = FieldErrors::new();
        let asked = crate::kit::paging::asked(
            &mut e,
            &self.cursor,
            &self.page,
            &self.per_page,
            (50, 200),
        );
        if e.is_empty() {
            Ok(asked)
        } else {
            Err(AppError::Validation(e))
        }
    }
}

/// The directory's organizations (in good standing), HSDS 3.0, paged.
#[utoipa::path(
    get,
    path = "/api/v1/hsds/organizations",
    operation_id = "hsds_organizations",
    tag = "hsds",
    params(HsdsQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "One page of HSDS organizations", body = HsdsPage),
        BadToken,
        (status = 422, description = "A bad query parameter, named: a `cursor` not of this list, a `page` past the first 10,000 (follow `next`) …", body = ErrorBody),
    )
)]
pub async fn organizations(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    ApiQuery(q): ApiQuery<HsdsQuery>,
) -> Result<Json<HsdsPage>, AppError> {
    let asked = q.parse()?;
    let (at, number) = asked.position();
    let p = s
        .store
        .directory_organizations_page(at, asked.per_page)
        .await?;
    let contents = p.items.iter().map(organization_json).collect();
    Ok(Json(page_of(&p, number, contents)))
}

/// One organization of the directory, HSDS 3.0, with its services.
#[utoipa::path(
    get,
    path = "/api/v1/hsds/organizations/{id}",
    operation_id = "hsds_organization",
    tag = "hsds",
    params(("id" = Uuid, Path, description = "Organization id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "An HSDS organization", body = Object),
        BadToken,
        (status = 404, description = "No such organization in the directory", body = ErrorBody),
    )
)]
pub async fn organization(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Value>, AppError> {
    let d = s
        .store
        .directory_organization(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut v = organization_json(&d);
    let f = ServiceFilter {
        organization_id: Some(id),
        ..Default::default()
    };
    // Its first 200, as before: an organization's page, not a walk of the directory.
    let services = s
        .store
        .public_services_page(&f, At::Cursor(None), 200)
        .await?;
    v["services"] = Value::Array(services.items.iter().map(|l| service_json(l, None)).collect());
    Ok(Json(v))
}

/// The directory's services (not ended, of organizations in good standing), HSDS 3.0, paged.
#[utoipa::path(
    get,
    path = "/api/v1/hsds/services",
    operation_id = "hsds_services",
    tag = "hsds",
    params(HsdsQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "One page of HSDS services", body = HsdsPage),
        BadToken,
        (status = 422, description = "A bad query parameter, named: a `cursor` not of this list, a `page` past the first 10,000 (follow `next`) …", body = ErrorBody),
    )
)]
pub async fn services(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    ApiQuery(q): ApiQuery<HsdsQuery>,
) -> Result<Json<HsdsPage>, AppError> {
    let asked = q.parse()?;
    let (at, number) = asked.position();
    let p = s
        .store
        .public_services_page(&ServiceFilter::default(), at, asked.per_page)
        .await?;
    let contents = p.items.iter().map(|l| service_json(l, None)).collect();
    Ok(Json(page_of(&p, number, contents)))
}

/// One service of the directory, HSDS 3.0, with its organization and that
/// organization's phone.
#[utoipa::path(
    get,
    path = "/api/v1/hsds/services/{id}",
    operation_id = "hsds_service",
    tag = "hsds",
    params(("id" = Uuid, Path, description = "Service id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "An HSDS service", body = Object),
        BadToken,
        (status = 404, description = "No such service in the directory", body = ErrorBody),
    )
)]
pub async fn service(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Value>, AppError> {
    let l = s.store.public_service(id).await?.ok_or(AppError::NotFound)?;
    let org = s
        .store
        .directory_organization(l.service.organization_id)
        .await?;
    Ok(Json(service_json(&l, org.as_ref())))
}
