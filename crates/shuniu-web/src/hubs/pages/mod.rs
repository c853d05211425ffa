//! Hub pages: hub list and detail, recognition, memberships, the district's 一核两轴 diagram and the street's 1+1+X.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use shuniu_domain::access::{Action, Resource};
use shuniu_domain::hubs::{
    Hub, HubFunction, HubKind, HubLevel, HubStatus, MembershipAction, MembershipStatus,
    RecognitionDraft,
};
use shuniu_domain::jurisdiction::Level;
use shuniu_domain::registry::ServiceDomain;
use shuniu_domain::{FieldErrors, Lang};
use shuniu_store::{DistrictStructure, StreetStructure};
use uuid::Uuid;

use crate::auth::Caller;
use crate::hubs::{self, HubListQuery, RecognitionInput, Structure};
use crate::kit::extract::{CheckedForm, PathCode, RecordId};
use crate::kit::forms::{Field, SummaryItem};
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::view::{self, Filter, Opt, fmt_int, jurisdiction_options, options, place_filter_options, tree};
use crate::{AppError, AppState, PageResult, local_time, today};

pub mod detail;
pub mod diagram;
pub mod labels;
pub mod list;
pub mod membership;
pub mod org_section;
pub mod oox;
pub mod recognition;
pub mod structure;
use detail::*;
use diagram::*;
use labels::{Scope, field, label, summary};
use list::*;
use membership::*;
use oox::*;
pub use org_section::org_section;
use recognition::*;
use structure::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/hubs", list)
        .get("/hubs.csv", crate::kit::export::page_csv::<crate::hubs::export::Hubs>)
        .get("/hubs.xlsx", crate::kit::export::page_xlsx::<crate::hubs::export::Hubs>)
        .get("/hubs/{id}/members.csv", crate::kit::export::page_csv::<crate::hubs::members_export::HubMembers>)
        .get("/hubs/{id}/members.xlsx", crate::kit::export::page_xlsx::<crate::hubs::members_export::HubMembers>)
        .post("/hubs", create)
        .get("/hubs/new", new)
        .get("/hubs/{id}", detail)
        .post("/hubs/{id}/revoke", revoke)
        .post("/hubs/{id}/members", add_member)
        .post("/hubs/{id}/applications", apply)
        .get("/memberships/{id}", membership)
        .post("/memberships/{id}/decision", decide)
        .post("/memberships/{id}/initiating", initiating)
        .get("/structure/{code}", structure)
        .post("/structure/{code}/core", set_core)
}

fn kind_class(k: HubKind) -> &'static str {
    match k {
        HubKind::Regional => "regional",
        HubKind::Industry => "industry",
    }
}

fn status_class(s: MembershipStatus) -> &'static str {
    match s {
        MembershipStatus::Active => "ok",
        MembershipStatus::Pending | MembershipStatus::Suspended => "warn",
        _ => "off",
    }
}

fn hub_status_class(s: HubStatus) -> &'static str {
    match s {
        HubStatus::Recognized => "ok",
        HubStatus::Revoked => "off",
    }
}

fn labels<T: Copy>(lang: Lang, xs: &[T], f: impl Fn(T, Lang) -> &'static str) -> Vec<&'static str> {
    xs.iter().map(|x| f(*x, lang)).collect()
}
