//! `/api/v1/venues` and `/api/v1/spaces`: venues and their spaces.

use super::*;

/// List venues, by name, one keyset page at a time (`cursor` from `next`/`prev`). Public.
#[utoipa::path(
    get, path = "/api/v1/venues", operation_id = "list_venues", tag = "parks",
    params(VenueQuery),
    security((), ("bearer" = [])),
    responses(
        BadToken,
        (status = 200, description = "One page of venues", body = VenuePage),
        (status = 422, description = "A bad filter or paging parameter, named", body = ErrorBody),
    )
)]
pub async fn list_venues(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    ApiQuery(q): ApiQuery<VenueQuery>,
) -> Result<Json<VenuePage>, AppError> {
    let (p, number) = svc::list_venues(&s.store, &q).await?;
    Ok(Json(VenuePage {
        items: p.items.iter().map(VenueRecord::from).collect(),
        paging: crate::kit::paging::PageInfo::of(&p, number),
    }))
}

/// Create a venue: the hub's staff, officials over its jurisdiction, admins.
#[utoipa::path(
    post, path = "/api/v1/venues", operation_id = "create_venue", tag = "parks",
    request_body = VenueCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = VenueDetail),
        NeedsToken,
        (status = 403, description = "The caller may not create venues (there, or for this hub)", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written", body = ErrorBody),
    )
)]
pub async fn create_venue(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    body: Bytes,
) -> Result<Response, AppError> {
    svc::may_create_venues(&caller)?;
    let mut allowed = VENUE_FIELDS.to_vec();
    allowed.push("hub_id");
    let (f, found) = fields(&body, &allowed, Mode::Create)?;
    let r = svc::create_venue(
        &s.store,
        &caller,
        f.get("hub_id").map(String::as_str),
        &venue_draft(&f),
        found,
    )
    .await;
    let v = note_denial(&s, &caller, "venue.create", "venue:new".into(), r).await?;
    let d = venue_detail(&s, &v).await?;
    Ok(created(format!("/api/v1/venues/{}", v.id), d))
}

/// One venue with its spaces. Public.
#[utoipa::path(
    get, path = "/api/v1/venues/{id}", operation_id = "get_venue", tag = "parks",
    params(("id" = Uuid, Path, description = "Venue id")),
    security((), ("bearer" = [])),
    responses(
        BadToken,
        (status = 200, description = "The venue and its spaces", body = VenueDetail),
        (status = 404, description = "No such venue", body = ErrorBody),
    )
)]
pub async fn get_venue(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<VenueDetail>, AppError> {
    let v = svc::get_venue(&s.store, id).await?;
    caller.require(
        shuniu_domain::access::Action::Read,
        &svc::venue_resource(&v),
    )?;
    Ok(Json(venue_detail(&s, &v).await?))
}

/// Change some fields of a venue.
#[utoipa::path(
    patch, path = "/api/v1/venues/{id}", operation_id = "update_venue", tag = "parks",
    params(("id" = Uuid, Path, description = "Venue id")),
    request_body = VenuePatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated venue", body = VenueDetail),
        NeedsToken,
        (status = 403, description = "The caller does not run this venue", body = ErrorBody),
        (status = 404, description = "No such venue", body = ErrorBody),
        (status = 422, description = "Every bad field named; nothing was written", body = ErrorBody),
    )
)]
pub async fn update_venue(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<VenueDetail>, AppError> {
    svc::get_venue(&s.store, id).await?;
    let (f, found) = fields(&body, VENUE_FIELDS, Mode::Patch)?;
    let r = svc::update_venue(&s.store, &caller, id, venue_draft(&f), found).await;
    let v = note_denial(&s, &caller, "venue.update", format!("venue:{id}"), r).await?;
    Ok(Json(venue_detail(&s, &v).await?))
}

// ---------------------------------------------------------------- spaces

/// Add a space (office, activity room, meeting room) to a venue.
#[utoipa::path(
    post, path = "/api/v1/venues/{id}/spaces", operation_id = "add_space", tag = "parks",
    params(("id" = Uuid, Path, description = "Venue id")),
    request_body = SpaceInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = SpaceRecord),
        NeedsToken,
        (status = 403, description = "The caller does not run this venue", body = ErrorBody),
        (status = 404, description = "No such venue", body = ErrorBody),
        (status = 422, description = "Every bad field named", body = ErrorBody),
    )
)]
pub async fn add_space(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Response, AppError> {
    svc::get_venue(&s.store, id).await?;
    let (f, found) = fields(&body, SPACE_FIELDS, Mode::Create)?;
    let r = svc::add_space(&s.store, &caller, id, &space_draft(&f), found).await;
    let sp = note_denial(&s, &caller, "space.create", format!("venue:{id}"), r).await?;
    Ok(created(
        format!("/api/v1/spaces/{}", sp.id),
        SpaceRecord::from(&sp),
    ))
}

/// One space. Public.
#[utoipa::path(
    get, path = "/api/v1/spaces/{id}", operation_id = "get_space", tag = "parks",
    params(("id" = Uuid, Path, description = "Space id")),
    security((), ("bearer" = [])),
    responses(
        BadToken,
        (status = 200, description = "The space", body = SpaceRecord),
        (status = 404, description = "No such space", body = ErrorBody),
    )
)]
pub async fn get_space(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<SpaceRecord>, AppError> {
    let (sp, v) = svc::get_space(&s.store, id).await?;
    caller.require(
        shuniu_domain::access::Action::Read,
        &svc::venue_resource(&v),
    )?;
    Ok(Json(SpaceRecord::from(&sp)))
}

/// Change some fields of a space. Turning an office into a room (or back) is refused
/// (`409`) while it has current allocations or future bookings.
#[utoipa::path(
    patch, path = "/api/v1/spaces/{id}", operation_id = "update_space", tag = "parks",
    params(("id" = Uuid, Path, description = "Space id")),
    request_body = SpaceInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated space", body = SpaceRecord),
        NeedsToken,
        (status = 403, description = "The caller does not run this venue", body = ErrorBody),
        (status = 404, description = "No such space", body = ErrorBody),
        (status = 409, description = "The kind cannot change now", body = ErrorBody),
        (status = 422, description = "Every bad field named", body = ErrorBody),
    )
)]
pub async fn update_space(
    State(s): State<AppState>,
    ApiAccount(caller): ApiAccount,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<SpaceRecord>, AppError> {
    svc::get_space(&s.store, id).await?;
    let (f, found) = fields(&body, SPACE_FIELDS, Mode::Patch)?;
    let r = svc::update_space(&s.store, &caller, id, space_draft(&f), found).await;
    let sp = note_denial(&s, &caller, "space.update", format!("space:{id}"), r).await?;
    Ok(Json(SpaceRecord::from(&sp)))
}
