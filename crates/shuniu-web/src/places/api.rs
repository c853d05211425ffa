//! `GET /api/v1/places?q=`: the places whose names hold a typed fragment, each with
//! its community, street and district (codes and names), what matched and its kind.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use shuniu_domain::jurisdiction::Jurisdiction;
use shuniu_store::places::PlaceHit;
use utoipa::{IntoParams, ToSchema};

use crate::kit::api::access::ApiCaller;
use crate::kit::api::error::ErrorBody;
use crate::kit::api::responses::BadToken;
use crate::kit::extract::ApiQuery;
use crate::kit::routes::Routes;
use crate::places::service;
use crate::{AppError, AppState};

pub fn routes() -> Routes {
    Routes::new().get("/api/v1/places", find)
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(find),
    components(schemas(PlaceOut, PlaceNode, PlaceList)),
    tags((name = "places", description = "Places residents know 找社区: compounds, roads, landmarks and communities, and the community and street they lie in"))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

/// The lookup's parameter.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlacesQuery {
    /// A fragment of a compound, road, landmark or community name (1–40 characters;
    /// two or more are looked up by their bigrams, one as a prefix). Absent: no
    /// candidates.
    #[param(example = "珠江")]
    pub q: Option<String>,
}

/// A jurisdiction node: code and names.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PlaceNode {
    #[schema(example = "320102002001")]
    pub code: String,
    #[schema(example = "梅园新村社区")]
    pub name: String,
    pub name_en: String,
}

impl PlaceNode {
    fn of(j: &Option<Jurisdiction>) -> Option<PlaceNode> {
        j.as_ref().map(|j| PlaceNode {
            code: j.code.to_string(),
            name: j.name_zh.clone(),
            name_en: j.name_en.clone(),
        })
    }
}

/// One candidate: the community a name lies in, its street and district.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PlaceOut {
    /// The name that matched, as stored.
    #[schema(example = "珠江路")]
    pub matched: String,
    /// `road`, `compound` (小区), `landmark` or `community`.
    #[schema(example = "road")]
    pub kind: String,
    pub community: Option<PlaceNode>,
    pub street: Option<PlaceNode>,
    pub district: Option<PlaceNode>,
}

impl PlaceOut {
    fn new(h: &PlaceHit) -> Self {
        PlaceOut {
            matched: h.name.clone(),
            kind: h.kind.as_str().into(),
            community: PlaceNode::of(&h.community),
            street: PlaceNode::of(&h.street),
            district: PlaceNode::of(&h.district),
        }
    }
}

/// The candidates, one per community, in tree order (at most 20); none when nothing matches.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PlaceList {
    pub items: Vec<PlaceOut>,
}

/// Find a community by a compound, road, landmark or community name fragment. Public.
#[utoipa::path(
    get,
    path = "/api/v1/places",
    operation_id = "find_places",
    tag = "places",
    params(PlacesQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The candidates (several when the fragment is ambiguous, none when unknown)", body = PlaceList),
        BadToken,
        (status = 422, description = "`q` empty or longer than 40 characters, named in `fields`", body = ErrorBody),
    )
)]
pub async fn find(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    ApiQuery(q): ApiQuery<PlacesQuery>,
) -> Result<Json<PlaceList>, AppError> {
    // No question, no candidates; a question asked empty or too long is a 422.
    if q.q.is_none() {
        return Ok(Json(PlaceList { items: vec![] }));
    }
    let (_, hits) = service::lookup(&s.store, q.q.as_deref()).await?;
    Ok(Json(PlaceList {
        items: hits.iter().map(PlaceOut::new).collect(),
    }))
}
