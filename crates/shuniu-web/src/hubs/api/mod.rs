//! Hubs API: recognitions, cores, memberships, structure views.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use shuniu_domain::hubs::{Hub, HubCore, Membership, RecognitionDraft};
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::{DistrictStructure, KeyPage, MembershipEvent, StreetStructure};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::hubs::{self, HubListQuery, RecognitionInput, Structure};
use crate::kit::api::access::{ApiAccount, ApiCaller, note_denial};
use crate::kit::api::created;
use crate::kit::api::error::ErrorBody;
use crate::kit::api::input::{self, Mode};
use crate::kit::api::responses::{BadToken, NeedsToken};
use crate::kit::extract::{ApiQuery, PathCode, RecordId, bad_query};
use crate::kit::routes::Routes;
use crate::{AppError, AppState};

pub mod records;
use records::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/hubs", list)
        .get("/api/v1/hubs.csv", crate::kit::export::api_csv::<crate::hubs::export::Hubs>)
        .post("/api/v1/hubs", create)
        .get("/api/v1/hubs/{id}", get)
        .post("/api/v1/hubs/{id}/revoke", revoke)
        .get("/api/v1/hubs/{id}/members", members)
        .get(
            "/api/v1/hubs/{id}/members.csv",
            crate::kit::export::api_csv::<crate::hubs::members_export::HubMembers>,
        )
        .post("/api/v1/hubs/{id}/members", add_member)
        .post("/api/v1/hubs/{id}/applications", apply)
        .get("/api/v1/memberships/{id}", membership)
        .post("/api/v1/memberships/{id}/decision", decide)
        .post("/api/v1/memberships/{id}/initiating", initiating)
        .get("/api/v1/organizations/{id}/memberships", memberships_of)
        .get("/api/v1/structure/{code}", structure)
        .post("/api/v1/structure/{code}/core", set_core)
}

/// This capability's part of the OpenAPI document (merged into `/api/openapi.json`).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        list,
        crate::hubs::export::api_csv,
        create,
        get,
        revoke,
        members,
        crate::hubs::members_export::api_csv,
        add_member,
        apply,
        membership,
        decide,
        initiating,
        memberships_of,
        structure,
        set_core
    ),
    components(schemas(
        HubRecord,
        HubPage,
        MembershipRecord,
        MembershipPage,
        MembershipEventRecord,
        MembershipDetail,
        DistrictStructureRecord,
        StreetStructureRecord,
        StructureRecord,
        StreetAxisRecord,
        PlaceRecord,
        CoreRecord,
        VenueSummary,
        HubCreate,
        RevokeRequest,
        MemberAdd,
        ApplicationRequest,
        DecisionRequest,
        InitiatingRequest,
        CoreRequest
    )),
    tags((name = "hubs", description = "Hubs 枢纽型社会组织: recognitions, memberships, 一核两轴 and 1+1+X"))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

// ---------------------------------------------------------------- handlers

// A string field (other JSON types are named): the kit's reader.
use input::text_of as text;

/// An array of codes (absent: none).
fn codes(e: &mut FieldErrors, body: &Map<String, Value>, field: &str) -> Vec<String> {
    body.get(field)
        .and_then(|v| input::text_list(e, field, v, Mode::Create))
        .unwrap_or_default()
}

/// `true` or `false` (absent: not given).
fn boolean(e: &mut FieldErrors, body: &Map<String, Value>, field: &str) -> Option<bool> {
    body.get(field)
        .and_then(|v| input::value(e, field, v, input::Kind::Flag, Mode::Create))
        .map(|b| b == "true")
}

/// List hubs, filtered and paged. Public.
#[utoipa::path(
    get,
    path = "/api/v1/hubs",
    operation_id = "list_hubs",
    tag = "hubs",
    params(HubListQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "One page of hubs", body = HubPage),
        BadToken,
        (status = 422, description = "A bad filter or paging parameter, named", body = ErrorBody),
    )
)]
pub async fn list(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    ApiQuery(q): ApiQuery<HubListQuery>,
) -> Result<Json<HubPage>, AppError> {
    let (p, number) = hubs::list(&s.store, &q).await?;
    Ok(Json(HubPage {
        items: p.items.iter().map(HubRecord::from).collect(),
        paging: crate::kit::paging::PageInfo::of(&p, number),
    }))
}

/// Recognize an organization as a hub (officials over the jurisdiction, admins).
#[utoipa::path(
    post,
    path = "/api/v1/hubs",
    operation_id = "recognize_hub",
    tag = "hubs",
    request_body = HubCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recognized; `Location` names the hub", body = HubRecord,
            headers(("Location" = String, description = "/api/v1/hubs/{id}"))),
        NeedsToken,
        (status = 403, description = "The caller may not recognize hubs (there)", body = ErrorBody),
        (status = 422, description = "Every bad field named (also: the street already has a regional hub; `organization_id` when its standing or the hub fit rules refuse it: not registered, legal form, level, staff)", body = ErrorBody),
    )
)]
pub async fn create(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    body: Bytes,
) -> Result<Response, AppError> {
    let body = input::object(&body)?;
    let mut e = FieldErrors::new();
    input::unknown_fields(&mut e, &body, shuniu_domain::hubs::RECOGNITION_FIELDS);
    let input = RecognitionInput {
        organization_id: text(&mut e, &body, "organization_id"),
        draft: RecognitionDraft {
            kind: text(&mut e, &body, "kind"),
            level: text(&mut e, &body, "level"),
            jurisdiction: text(&mut e, &body, "jurisdiction"),
            base_body: text(&mut e, &body, "base_body"),
            fields: codes(&mut e, &body, "fields"),
            recognizing_body: text(&mut e, &body, "recognizing_body"),
            document_number: text(&mut e, &body, "document_number"),
            recognized_on: text(&mut e, &body, "recognized_on"),
            functions: codes(&mut e, &body, "functions"),
        },
    };
    let made = hubs::recognize(&s.store, &input, e, &caller).await;
    let hub = note_denial(&s, &caller, "hub.recognize", "hub:new".into(), made).await?;
    Ok(created(
        format!("/api/v1/hubs/{}", hub.id),
        HubRecord::from(&hub),
    ))
}

/// One hub. Public.
#[utoipa::path(
    get,
    path = "/api/v1/hubs/{id}",
    operation_id = "get_hub",
    tag = "hubs",
    params(("id" = Uuid, Path, description = "Hub id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The hub", body = HubRecord),
        BadToken,
        (status = 404, description = "No such hub", body = ErrorBody),
    )
)]
pub async fn get(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<HubRecord>, AppError> {
    let hub = hubs::get(&s.store, id).await?;
    hubs::require_hub(&caller, shuniu_domain::access::Action::Read, &hub)?;
    Ok(Json(HubRecord::from(&hub)))
}

/// Revoke a recognition; its live memberships end.
#[utoipa::path(
    post,
    path = "/api/v1/hubs/{id}/revoke",
    operation_id = "revoke_hub",
    tag = "hubs",
    params(("id" = Uuid, Path, description = "Hub id")),
    request_body = RevokeRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The revoked hub", body = HubRecord),
        NeedsToken,
        (status = 403, description = "The caller may not revoke this recognition", body = ErrorBody),
        (status = 404, description = "No such hub", body = ErrorBody),
        (status = 409, description = "Already revoked", body = ErrorBody),
        (status = 422, description = "Every bad field named", body = ErrorBody),
    )
)]
pub async fn revoke(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<HubRecord>, AppError> {
    hubs::get(&s.store, id).await?;
    let body = input::object(&body)?;
    let mut e = FieldErrors::new();
    input::unknown_fields(&mut e, &body, &["reason", "revoked_on"]);
    let reason = text(&mut e, &body, "reason");
    let on = text(&mut e, &body, "revoked_on");
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let r = hubs::revoke(&s.store, id, &reason, &on, &caller).await;
    let hub = note_denial(&s, &caller, "hub.revoke", format!("hub:{id}"), r).await?;
    Ok(Json(HubRecord::from(&hub)))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembersQuery {
    /// A membership status; anonymous callers and callers outside the hub see `active` only.
    pub status: Option<String>,
    /// Where the page starts: the `next` or `prev` of a page read before (opaque).
    /// Takes precedence over `page`.
    #[param(value_type = Option<String>, max_length = 512)]
    pub cursor: Option<String>,
    /// 1-based page number within the first 10,000 memberships (past them, follow `next`).
    #[param(value_type = Option<u32>, minimum = 1)]
    pub page: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub per_page: Option<String>,
}

/// A hub's members. Public for active members; other statuses for the hub side,
/// officials over it, experts and admins.
#[utoipa::path(
    get,
    path = "/api/v1/hubs/{id}/members",
    operation_id = "hub_members",
    tag = "hubs",
    params(("id" = Uuid, Path, description = "Hub id"), MembersQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "One page of memberships, initiating units first", body = MembershipPage),
        (status = 401, description = "Invalid token, or a non-active status asked for anonymously", body = ErrorBody),
        (status = 403, description = "The caller may not see memberships of that status", body = ErrorBody),
        (status = 404, description = "No such hub", body = ErrorBody),
        (status = 422, description = "A bad status or paging parameter: a `cursor` not of this list, a `page` past the first 10,000 (follow `next`)", body = ErrorBody),
    )
)]
pub async fn members(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    RecordId(id): RecordId,
    q: Result<Query<MembersQuery>, QueryRejection>,
) -> Result<Json<MembershipPage>, AppError> {
    let hub = hubs::get(&s.store, id).await?;
    let Query(q) = q.map_err(bad_query)?;
    let paging = (&q.cursor, &q.page);
    let (p, number) = hubs::members(&s.store, &caller, &hub, &q.status, paging, &q.per_page).await?;
    Ok(Json(MembershipPage::new(&p, number)))
}

fn membership_created(m: &Membership) -> Response {
    created(
        format!("/api/v1/memberships/{}", m.id),
        MembershipRecord::from(m),
    )
}

/// The hub side adds a member directly (active), optionally as an initiating unit.
#[utoipa::path(
    post,
    path = "/api/v1/hubs/{id}/members",
    operation_id = "add_hub_member",
    tag = "hubs",
    params(("id" = Uuid, Path, description = "Hub id")),
    request_body = MemberAdd,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new membership", body = MembershipRecord),
        NeedsToken,
        (status = 403, description = "The caller does not run this hub", body = ErrorBody),
        (status = 404, description = "No such hub", body = ErrorBody),
        (status = 422, description = "A membership rule or a bad field, named (`hub` for the rules; `organization_id` when its standing bars joining)", body = ErrorBody),
    )
)]
pub async fn add_member(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Response, AppError> {
    hubs::get(&s.store, id).await?;
    let body = input::object(&body)?;
    let mut e = FieldErrors::new();
    input::unknown_fields(&mut e, &body, &["organization_id", "initiating"]);
    let org = text(&mut e, &body, "organization_id");
    let initiating = boolean(&mut e, &body, "initiating").unwrap_or(false);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let r = hubs::add_member(&s.store, id, &org, initiating, &caller).await;
    let m = note_denial(&s, &caller, "membership.add", format!("hub:{id}"), r).await?;
    Ok(membership_created(&m))
}

/// An organization applies to a hub (its own staff).
#[utoipa::path(
    post,
    path = "/api/v1/hubs/{id}/applications",
    operation_id = "apply_to_hub",
    tag = "hubs",
    params(("id" = Uuid, Path, description = "Hub id")),
    request_body = ApplicationRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The pending membership", body = MembershipRecord),
        NeedsToken,
        (status = 403, description = "The caller does not act for that organization", body = ErrorBody),
        (status = 404, description = "No such hub", body = ErrorBody),
        (status = 422, description = "A membership rule or a bad field, named (`hub` for the rules; `organization_id` when its standing bars joining)", body = ErrorBody),
    )
)]
pub async fn apply(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Response, AppError> {
    hubs::get(&s.store, id).await?;
    let body = input::object(&body)?;
    let mut e = FieldErrors::new();
    input::unknown_fields(&mut e, &body, &["organization_id"]);
    let org = text(&mut e, &body, "organization_id");
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let r = hubs::apply(&s.store, id, &org, &caller).await;
    let m = note_denial(&s, &caller, "membership.apply", format!("hub:{id}"), r).await?;
    Ok(membership_created(&m))
}

/// A membership and its history (the two sides, officials over the hub, experts).
#[utoipa::path(
    get,
    path = "/api/v1/memberships/{id}",
    operation_id = "get_membership",
    tag = "hubs",
    params(("id" = Uuid, Path, description = "Membership id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The membership and its history", body = MembershipDetail),
        NeedsToken,
        (status = 403, description = "The caller is neither side of it nor oversees it", body = ErrorBody),
        (status = 404, description = "No such membership", body = ErrorBody),
    )
)]
pub async fn membership(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
) -> Result<Json<MembershipDetail>, AppError> {
    let (m, _) = hubs::membership(&s.store, &caller, id).await?;
    let history = hubs::history(&s.store, id).await?;
    Ok(Json(MembershipDetail {
        membership: MembershipRecord::from(&m),
        history: history.iter().map(MembershipEventRecord::from).collect(),
    }))
}

/// Decide on a membership: approve, reject (with a reason), suspend, reinstate, remove
/// (hub side); withdraw, leave (member side).
#[utoipa::path(
    post,
    path = "/api/v1/memberships/{id}/decision",
    operation_id = "decide_membership",
    tag = "hubs",
    params(("id" = Uuid, Path, description = "Membership id")),
    request_body = DecisionRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The membership after the decision", body = MembershipRecord),
        NeedsToken,
        (status = 403, description = "Not the caller's side to decide", body = ErrorBody),
        (status = 404, description = "No such membership", body = ErrorBody),
        (status = 409, description = "The action does not apply to the current status", body = ErrorBody),
        (status = 422, description = "A bad action, or a missing reason; `organization_id` when approving an organization whose standing bars joining", body = ErrorBody),
    )
)]
pub async fn decide(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<MembershipRecord>, AppError> {
    let body = input::object(&body)?;
    let mut e = FieldErrors::new();
    input::unknown_fields(&mut e, &body, &["action", "reason"]);
    let action = text(&mut e, &body, "action");
    let reason = text(&mut e, &body, "reason");
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let r = hubs::decide(&s.store, id, action.as_deref(), reason.as_deref(), &caller).await;
    let m = note_denial(
        &s,
        &caller,
        "membership.decide",
        format!("membership:{id}"),
        r,
    )
    .await?;
    Ok(Json(MembershipRecord::from(&m)))
}

/// Mark or unmark a membership as an initiating unit 发起单位 (hub side).
#[utoipa::path(
    post,
    path = "/api/v1/memberships/{id}/initiating",
    operation_id = "set_membership_initiating",
    tag = "hubs",
    params(("id" = Uuid, Path, description = "Membership id")),
    request_body = InitiatingRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The membership", body = MembershipRecord),
        NeedsToken,
        (status = 403, description = "The caller does not run the hub", body = ErrorBody),
        (status = 404, description = "No such membership", body = ErrorBody),
        (status = 409, description = "The membership is no longer live", body = ErrorBody),
        (status = 422, description = "`initiating` is missing or not a boolean", body = ErrorBody),
    )
)]
pub async fn initiating(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<MembershipRecord>, AppError> {
    let body = input::object(&body)?;
    let mut e = FieldErrors::new();
    input::unknown_fields(&mut e, &body, &["initiating"]);
    let flag = boolean(&mut e, &body, "initiating");
    if flag.is_none() && e.get("initiating").is_none() {
        e.add("initiating", FieldError::required());
    }
    let Some(flag) = flag.filter(|_| e.is_empty()) else {
        return Err(AppError::Validation(e));
    };
    let r = hubs::set_initiating(&s.store, id, flag, &caller).await;
    let m = note_denial(
        &s,
        &caller,
        "membership.initiating",
        format!("membership:{id}"),
        r,
    )
    .await?;
    Ok(Json(MembershipRecord::from(&m)))
}

/// An organization's memberships: active ones for everyone, all of them (with past
/// ones) for its own staff, the hubs' side, officials and experts.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}/memberships",
    operation_id = "organization_memberships",
    tag = "hubs",
    params(("id" = Uuid, Path, description = "Organization id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Memberships, newest first", body = Vec<MembershipRecord>),
        BadToken,
        (status = 404, description = "No such organization", body = ErrorBody),
    )
)]
pub async fn memberships_of(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Vec<MembershipRecord>>, AppError> {
    let ms = hubs::memberships_of(&s.store, &caller, id).await?;
    Ok(Json(
        ms.iter().map(|(m, _)| MembershipRecord::from(m)).collect(),
    ))
}

/// The structure of a district (一核两轴) or a street (1+1+X), from live data. Public.
#[utoipa::path(
    get,
    path = "/api/v1/structure/{code}",
    operation_id = "structure",
    tag = "hubs",
    params(("code" = String, Path, description = "A district (6 digits) or street (12 digits) code")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "`level` = `district`: core, district hubs, streets, industry hubs; `street`: venues, hub, members", body = StructureRecord),
        BadToken,
        (status = 404, description = "Not a known district or street", body = ErrorBody),
    )
)]
pub async fn structure(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    PathCode(code): PathCode,
) -> Result<Json<StructureRecord>, AppError> {
    let st = hubs::structure(&s.store, code.trim()).await?;
    Ok(Json(match st {
        Structure::District(d) => {
            StructureRecord::District(Box::new(DistrictStructureRecord::from(&*d)))
        }
        Structure::Street(st) => {
            StructureRecord::Street(Box::new(StreetStructureRecord::from(&*st)))
        }
    }))
}

/// Name (or rename) a district's core 核 (officials over the district, admins).
#[utoipa::path(
    post,
    path = "/api/v1/structure/{code}/core",
    operation_id = "set_structure_core",
    tag = "hubs",
    params(("code" = String, Path, description = "District code")),
    request_body = CoreRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The core", body = CoreRecord),
        NeedsToken,
        (status = 403, description = "The caller may not name this district's core", body = ErrorBody),
        (status = 404, description = "Not a known district", body = ErrorBody),
        (status = 422, description = "Every bad field named", body = ErrorBody),
    )
)]
pub async fn set_core(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    PathCode(code): PathCode,
    body: Bytes,
) -> Result<Json<CoreRecord>, AppError> {
    let body = input::object(&body)?;
    let mut e = FieldErrors::new();
    input::unknown_fields(&mut e, &body, &["name_zh", "name_en"]);
    let zh = text(&mut e, &body, "name_zh");
    let en = text(&mut e, &body, "name_en");
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let r = hubs::set_core(&s.store, code.trim(), &zh, &en, &caller).await;
    let core = note_denial(&s, &caller, "hub.core", format!("structure:{code}"), r).await?;
    Ok(Json(CoreRecord::from(&core)))
}
