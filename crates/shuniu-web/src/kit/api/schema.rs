//! OpenAPI schemas for the domain's closed code sets, built from the domain's own lists
//! (`LegalForm::ALL` …) so that the document cannot drift from what the API accepts.

use shuniu_domain::jurisdiction::Level;
use shuniu_domain::registry::{Grade, LegalForm, OrgStatus, PartyOrg, ServiceDomain, Stage};
use shuniu_store::OrgSort;
use utoipa::openapi::schema::{ArrayBuilder, Object, ObjectBuilder, SchemaType, Type};

fn codes(values: Vec<&'static str>, nullable: bool, description: &str) -> Object {
    let mut enum_values: Vec<serde_json::Value> = values.into_iter().map(Into::into).collect();
    let ty = if nullable {
        enum_values.push(serde_json::Value::Null);
        SchemaType::Array(vec![Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(ty)
        .enum_values(Some(enum_values))
        .description(Some(description))
        .build()
}

pub fn legal_form() -> Object {
    codes(
        LegalForm::ALL.iter().map(|x| x.as_str()).collect(),
        false,
        "Legal form: social group 社会团体, social service institution 民办非企业单位, foundation 基金会, \
         filed community organization 备案的社区社会组织.",
    )
}

pub fn service_domain() -> Object {
    codes(
        ServiceDomain::ALL.iter().map(|x| x.as_str()).collect(),
        false,
        "Service domain code.",
    )
}

pub fn domains() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .items(service_domain())
        .min_items(Some(1))
        .unique_items(true)
        .description(Some("One or more service domains."))
        .build()
}

pub fn status() -> Object {
    codes(
        OrgStatus::ALL.iter().map(|x| x.as_str()).collect(),
        false,
        "Registration status: active (registered or filed), suspended, deregistered.",
    )
}

pub fn stage() -> Object {
    codes(
        Stage::ALL.iter().map(|x| x.as_str()).collect(),
        false,
        "Lifecycle stage.",
    )
}

pub fn party_org() -> Object {
    codes(
        PartyOrg::ALL.iter().map(|x| x.as_str()).collect(),
        false,
        "Party organization: none, own branch, joint branch.",
    )
}

pub fn grade() -> Object {
    codes(
        Grade::ALL.iter().map(|x| x.as_str()).collect(),
        true,
        "Assessment grade 评估等级, valid 5 years from its award; null when not graded.",
    )
}

/// A grade as a filter (not nullable).
pub fn grade_filter() -> Object {
    codes(
        Grade::ALL.iter().map(|x| x.as_str()).collect(),
        false,
        "Assessment grade.",
    )
}

pub fn sort() -> Object {
    codes(
        OrgSort::ALL.iter().map(|x| x.as_str()).collect(),
        false,
        "Order of the list (default `name`); `-` means descending.",
    )
}

pub fn level() -> Object {
    codes(
        Level::ALL.iter().map(|x| x.as_str()).collect(),
        false,
        "Level of the node in the jurisdiction tree.",
    )
}
