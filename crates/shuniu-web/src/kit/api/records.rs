//! Records the API answers in more than one capability: one shape for one kind of fact.

use serde::{Deserialize, Serialize};
use shuniu_domain::jurisdiction::Jurisdiction;
use utoipa::ToSchema;

use super::schema;

/// A jurisdiction node, briefly: how every answer names a place.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PlaceRecord {
    #[schema(example = "320102")]
    pub code: String,
    #[schema(example = "玄武区")]
    pub name_zh: String,
    #[schema(example = "Xuanwu District")]
    pub name_en: String,
    #[schema(schema_with = schema::level)]
    pub level: String,
}

impl From<&Jurisdiction> for PlaceRecord {
    fn from(j: &Jurisdiction) -> Self {
        PlaceRecord {
            code: j.code.to_string(),
            name_zh: j.name_zh.clone(),
            name_en: j.name_en.clone(),
            level: j.level.as_str().into(),
        }
    }
}
