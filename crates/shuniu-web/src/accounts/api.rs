//! `/api/v1/me`: the account the API token belongs to.

use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppError;
use crate::kit::api::access::ApiAccount;
use crate::kit::api::responses::NeedsToken;

/// The OpenAPI part of the calling account, merged into `/api/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(paths(me), tags((name = "accounts", description = "The calling account")))]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

/// The calling account: who it is, its role and what the role is bound to.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Me {
    #[schema(example = "wang.fang")]
    pub username: String,
    pub display_name: String,
    /// `admin`, `official`, `hub_staff`, `org_member` or `expert`.
    #[schema(example = "official")]
    pub role: String,
    pub bindings: Bindings,
    /// The password must be changed at the next sign-in (accounts made by an admin).
    pub must_change_password: bool,
}

/// What a role acts on: an official's jurisdiction (and its whole subtree), or the
/// organization of hub staff and organization members. Both null for admins and experts.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Bindings {
    /// Jurisdiction code (officials).
    #[schema(required, example = "320102")]
    pub jurisdiction: Option<String>,
    /// Its path in the tree (`320000/320100/320102/`).
    #[schema(required, example = "320000/320100/320102/")]
    pub jurisdiction_path: Option<String>,
    /// Organization id (hub staff: their hub; organization members: their organization).
    #[schema(required)]
    pub organization: Option<Uuid>,
}

/// The caller's own account.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    operation_id = "get_me",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account of the token", body = Me),
        NeedsToken,
    )
)]
pub async fn me(ApiAccount(caller): ApiAccount) -> Result<Json<Me>, AppError> {
    let u = caller.user.as_ref().ok_or(AppError::Unauthenticated)?;
    Ok(Json(Me {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: u.role.as_str().into(),
        bindings: Bindings {
            jurisdiction: u.jurisdiction_code.clone(),
            jurisdiction_path: u.jurisdiction_path.clone(),
            organization: u.organization_id,
        },
        must_change_password: u.must_change_password,
    }))
}
