//! The indicator tables in force (public, read-only): which areas, points and grade
//! cut-offs score an assessment for an authority — the locality's setting
//! (`assessment_tables`) or the built-in tables. Organizations read them before they
//! apply; experts and officials before they score.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use shuniu_domain::jurisdiction::{JurisdictionCode, bad_code_error};
use shuniu_domain::supervision::assessment::TableKind;
use shuniu_domain::supervision::tables::{IndicatorTables, LocalTable};
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::Store;
use utoipa::ToSchema;

use crate::kit::api::access::ApiCaller;
use crate::kit::api::error::ErrorBody;
use crate::kit::api::responses::BadToken;
use crate::kit::extract::ApiQuery;
use crate::kit::params::{choice_error, given};
use crate::kit::routes::Routes;
use crate::{AppError, AppState};

pub fn routes() -> Routes {
    Routes::new().get("/api/v1/assessment-tables", list_tables)
}

/// This part of the assessment OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list_tables),
    components(schemas(TableRecord, TableAreaRecord, TableCutoffRecord, TableList))
)]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

/// The tables in force for `authority` (a jurisdiction code that must exist) and
/// `kind`, as typed; either may be absent (see [`IndicatorTables::in_force`]).
pub async fn in_force(
    store: &Store,
    tables: &IndicatorTables,
    authority: &Option<String>,
    kind: &Option<String>,
) -> Result<Vec<LocalTable>, AppError> {
    let mut e = FieldErrors::new();
    let kind = given(kind).and_then(|k| {
        TableKind::parse(k).or_else(|| {
            let codes: Vec<&str> = TableKind::ALL.iter().map(|t| t.as_str()).collect();
            e.add("kind", choice_error(&codes));
            None
        })
    });
    let authority = match given(authority).map(JurisdictionCode::parse) {
        None => None,
        Some(Err(_)) => {
            e.add("authority", bad_code_error());
            None
        }
        Some(Ok(code)) => match store.jurisdiction(code.as_str()).await? {
            Some(_) => Some(code),
            None => {
                e.add(
                    "authority",
                    FieldError::new("没有这个行政区划", "names no jurisdiction"),
                );
                None
            }
        },
    };
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    Ok(tables.in_force(authority.as_ref().map(JurisdictionCode::as_str), kind))
}

/// An area of a table and the points it carries.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TableAreaRecord {
    /// The field name of its score when scoring.
    #[schema(example = "party_building")]
    pub code: String,
    pub zh: String,
    pub en: String,
    pub points: u32,
}

/// The lowest total that earns a grade.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TableCutoffRecord {
    #[schema(example = "5A")]
    pub grade: String,
    #[schema(example = 950)]
    pub min_total: u32,
}

/// An indicator table in force.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TableRecord {
    /// `industry_association`, `academic_group`, `public_welfare_group`,
    /// `service_institution`, `foundation`.
    #[schema(example = "service_institution")]
    pub kind: String,
    /// The jurisdiction-code prefix of the authorities it serves; none: every authority.
    #[schema(example = "320102")]
    pub authority: Option<String>,
    /// `setting` (the locality's `assessment_tables`) or `built_in`.
    #[schema(example = "setting")]
    pub source: String,
    pub areas: Vec<TableAreaRecord>,
    pub max_bonus: u32,
    /// The areas' points together; a total with bonus is capped at it.
    pub max_total: u32,
    /// Highest grade first.
    pub cutoffs: Vec<TableCutoffRecord>,
}

impl From<&LocalTable> for TableRecord {
    fn from(t: &LocalTable) -> Self {
        TableRecord {
            kind: t.table.kind.as_str().into(),
            authority: t.authority.clone(),
            source: t.source.as_str().into(),
            areas: t
                .table
                .areas
                .iter()
                .map(|a| TableAreaRecord {
                    code: a.code.clone(),
                    zh: a.zh.clone(),
                    en: a.en.clone(),
                    points: a.points,
                })
                .collect(),
            max_bonus: t.table.max_bonus,
            max_total: t.table.max_total,
            cutoffs: t
                .table
                .cutoffs
                .iter()
                .map(|(g, min)| TableCutoffRecord {
                    grade: g.as_str().into(),
                    min_total: *min,
                })
                .collect(),
        }
    }
}

/// The tables in force.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TableList {
    pub items: Vec<TableRecord>,
}

/// Which tables to answer.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TablesQuery {
    /// A registration authority's jurisdiction code: the one table per kind that
    /// scores its rounds. Absent: every table set, and the built-in one of each kind
    /// without a table for every authority.
    #[param(value_type = Option<String>, example = "320102")]
    pub authority: Option<String>,
    /// One kind of table only.
    #[param(value_type = Option<String>, example = "service_institution")]
    pub kind: Option<String>,
}

/// The indicator tables in force (public): areas, points and grade cut-offs, for a
/// registration authority or all of them.
#[utoipa::path(
    get,
    path = "/api/v1/assessment-tables",
    operation_id = "list_assessment_tables",
    tag = "assessment",
    security((), ("bearer" = [])),
    params(TablesQuery),
    responses(
        (status = 200, description = "The tables in force", body = TableList),
        BadToken,
        (status = 422, description = "A bad `authority` or `kind`, named", body = ErrorBody),
    )
)]
pub async fn list_tables(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    ApiQuery(q): ApiQuery<TablesQuery>,
) -> Result<Json<TableList>, AppError> {
    let tables = in_force(&s.store, &s.assessment_tables, &q.authority, &q.kind).await?;
    Ok(Json(TableList {
        items: tables.iter().map(TableRecord::from).collect(),
    }))
}
