//! Service parks API: venues, spaces, allocations, bookings, obligation reports.

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
}

/// This capability's part of the OpenAPI document (merged into `/api/openapi.json`).
#[derive(utoipa::OpenApi)]
#[openapi(paths())]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}
