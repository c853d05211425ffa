//! `/api/v1/jurisdictions`: the jurisdiction tree with live counts per subtree.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use shuniu_domain::access::{Action, Resource};
use shuniu_domain::jurisdiction::Jurisdiction;
use shuniu_store::Store;
use utoipa::ToSchema;

use crate::kit::api::access::ApiCaller;
use crate::kit::api::error::ErrorBody;
use crate::kit::api::responses::BadToken;
use crate::kit::api::schema;
use crate::kit::extract::PathCode;
use crate::{AppError, AppState};

/// The OpenAPI part of jurisdictions, merged into `/api/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(paths(roots, one), tags((name = "jurisdictions", description = "Province → city → district → street → community")))]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

/// A child node with the totals of its own subtree.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JurisdictionChild {
    #[schema(example = "320102002000")]
    pub code: String,
    #[schema(example = "梅园新村街道")]
    pub name_zh: String,
    pub name_en: String,
    #[schema(schema_with = schema::level)]
    pub level: String,
    /// Organizations in this child's subtree that are not deregistered.
    pub organizations: i64,
    /// Their full-time plus part-time staff.
    pub staff: i64,
}

/// A node of the jurisdiction tree, its children, and totals over its subtree.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JurisdictionNode {
    #[schema(example = "320102")]
    pub code: String,
    #[schema(example = "玄武区")]
    pub name_zh: String,
    #[schema(example = "Xuanwu District")]
    pub name_en: String,
    #[schema(schema_with = schema::level)]
    pub level: String,
    /// The parent's code; null for a root.
    #[schema(required, example = "320100")]
    pub parent: Option<String>,
    /// Ancestors' codes and its own, each followed by `/`.
    #[schema(example = "320000/320100/320102/")]
    pub path: String,
    pub children: Vec<JurisdictionChild>,
    /// Organizations in the subtree that are not deregistered.
    pub organizations: i64,
    /// Their full-time plus part-time staff.
    pub staff: i64,
}

async fn node(store: &Store, j: Jurisdiction) -> Result<JurisdictionNode, AppError> {
    // One query over the maintained counters gives every node's subtree totals.
    let stats = store.subtree_stats_under(&j).await?;
    let of = |code: &str| stats.get(code).copied().unwrap_or_default();
    let children = store
        .jurisdiction_children(j.code.as_str())
        .await?
        .into_iter()
        .map(|c| {
            let st = of(c.code.as_str());
            JurisdictionChild {
                code: c.code.to_string(),
                name_zh: c.name_zh,
                name_en: c.name_en,
                level: c.level.as_str().into(),
                organizations: st.organizations,
                staff: st.staff,
            }
        })
        .collect();
    let st = of(j.code.as_str());
    Ok(JurisdictionNode {
        code: j.code.to_string(),
        name_zh: j.name_zh,
        name_en: j.name_en,
        level: j.level.as_str().into(),
        parent: j.parent.map(|p| p.to_string()),
        path: j.path,
        children,
        organizations: st.organizations,
        staff: st.staff,
    })
}

/// The roots of the jurisdiction tree, each with its children and totals.
#[utoipa::path(
    get,
    path = "/api/v1/jurisdictions",
    operation_id = "jurisdiction_roots",
    tag = "jurisdictions",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The root nodes", body = Vec<JurisdictionNode>),
        BadToken,
    )
)]
pub async fn roots(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<Vec<JurisdictionNode>>, AppError> {
    let mut out = Vec::new();
    for j in s.store.jurisdiction_roots().await? {
        caller.require(Action::Read, &Resource::Jurisdiction { path: &j.path })?;
        out.push(node(&s.store, j).await?);
    }
    Ok(Json(out))
}

/// One node of the jurisdiction tree, its children, and totals over its subtree.
#[utoipa::path(
    get,
    path = "/api/v1/jurisdictions/{code}",
    operation_id = "get_jurisdiction",
    tag = "jurisdictions",
    params(("code" = String, Path, description = "Division code, 6 or 12 digits", example = "320102")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The node", body = JurisdictionNode),
        BadToken,
        (status = 404, description = "No such jurisdiction", body = ErrorBody),
    )
)]
pub async fn one(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    PathCode(code): PathCode,
) -> Result<Json<JurisdictionNode>, AppError> {
    let j = s
        .store
        .jurisdiction(code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    caller.require(Action::Read, &Resource::Jurisdiction { path: &j.path })?;
    Ok(Json(node(&s.store, j).await?))
}
