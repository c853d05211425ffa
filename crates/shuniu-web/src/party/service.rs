//! The party-building and coverage capability's service code, shared by pages and API:
//! an organization's party facts (party organization, members, instructor), the
//! register of instructors, and the coverage reports of a jurisdiction or a hub with
//! the organizations not covered.

use crate::kit::paging::Asked;
use crate::kit::params::given;
use serde::Deserialize;
use shuniu_domain::access::{Action, Resource};
use shuniu_domain::hubs::Hub;
use shuniu_domain::jurisdiction::bad_code_error;
use shuniu_domain::jurisdiction::path_within;
use shuniu_domain::jurisdiction::{Jurisdiction, JurisdictionCode};
use shuniu_domain::party::{
    HubCoverage, Instructor, InstructorDraft, PartyBuildingDraft, PartyCoverage,
};
use shuniu_domain::registry::{OrgStatus, Organization};
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::{ChildCoverage, CoverageScope, Gap, KeyPage, Store};
use uuid::Uuid;

use crate::auth::Caller;
use crate::{AppError, registry};

/// What the policy needs about an organization: where it is and which hubs it is an
/// active member of (hub staff keep their members' party facts).
pub struct OrgScope {
    pub path: String,
    pub hub_ids: Vec<Uuid>,
}

impl OrgScope {
    pub async fn of(store: &Store, org: &Organization) -> Result<Self, AppError> {
        Ok(OrgScope {
            path: registry::path_of(store, org).await?,
            hub_ids: store.active_hub_org_ids(org.id).await?,
        })
    }
    pub fn resource(&self, id: Uuid) -> Resource<'_> {
        Resource::Organization {
            id,
            jurisdiction_path: &self.path,
            hub_ids: &self.hub_ids,
        }
    }
}

/// `320000/320100/320102/320102002000/` → `320000/320100/320102/`: the district an
/// organization's instructors come from (a node above district level is its own).
pub fn district_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let mut out = String::new();
    for p in parts.iter().take(3) {
        out.push_str(p);
        out.push('/');
    }
    out
}

/// An organization's party facts as one caller sees them.
pub struct PartyView {
    pub org: Organization,
    pub scope: OrgScope,
    pub instructor: Option<Instructor>,
    /// The instructor's phone unmasked.
    pub phone_visible: bool,
    pub can_edit: bool,
}

impl PartyView {
    /// The instructor's phone as this caller may see it.
    pub fn instructor_phone(&self) -> Option<String> {
        let i = self.instructor.as_ref()?;
        i.data.phone.as_ref().map(|p| {
            if self.phone_visible {
                p.to_string()
            } else {
                p.masked()
            }
        })
    }
}

/// Public like the record itself; the instructor's phone needs `ReadPersonalData`.
pub async fn view(store: &Store, caller: &Caller, id: Uuid) -> Result<PartyView, AppError> {
    let org = registry::get(store, id).await?;
    let scope = OrgScope::of(store, &org).await?;
    let r = scope.resource(org.id);
    caller.require(Action::Read, &r)?;
    let phone_visible =
        caller.user.is_some() && caller.decide(Action::ReadPersonalData, &r).is_allowed();
    let can_edit = org.status != OrgStatus::Deregistered
        && caller.decide(Action::EditPartyBuilding, &r).is_allowed();
    let instructor = store.instructor_of(org.id).await?;
    Ok(PartyView {
        org,
        scope,
        instructor,
        phone_visible,
        can_edit,
    })
}

/// Instructors an organization may be assigned: those of its district (by name).
pub async fn instructor_choices(
    store: &Store,
    scope: &OrgScope,
) -> Result<Vec<Instructor>, AppError> {
    Ok(store
        .instructors(&district_path(&scope.path), 1, 200)
        .await?
        .items)
}

/// Sets an organization's party facts. Unknown id → 404; not the caller's to keep →
/// 403; deregistered → 409; bad fields (with those already `found`) → 422.
pub async fn set(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    draft: &PartyBuildingDraft,
    mut found: FieldErrors,
) -> Result<Organization, AppError> {
    let org = registry::get(store, id).await?;
    let scope = OrgScope::of(store, &org).await?;
    caller.require(Action::EditPartyBuilding, &scope.resource(org.id))?;
    if org.status == OrgStatus::Deregistered {
        return Err(AppError::State(
            "a deregistered organization cannot be changed".into(),
        ));
    }
    let validated = draft.validate();
    if let Err(e) = &validated {
        for (f, err) in &e.0 {
            found.add(f, err.clone());
        }
    }
    // The instructor must exist and work in the organization's district (or above it).
    if let Ok(pb) = &validated
        && let Some(iid) = pb.instructor_id
        && found.get("instructor_id").is_none()
    {
        match store.instructor(iid).await? {
            None => found.add(
                "instructor_id",
                FieldError::new("没有这名党建指导员", "is not a known instructor"),
            ),
            Some(i) => {
                let ipath = store
                    .jurisdiction(i.data.jurisdiction.as_str())
                    .await?
                    .map(|j| j.path)
                    .unwrap_or_default();
                let fits = path_within(&ipath, &district_path(&scope.path))
                    || (!ipath.is_empty() && path_within(&scope.path, &ipath));
                if !fits {
                    found.add(
                        "instructor_id",
                        FieldError::new(
                            "该指导员不属于本组织所在的区",
                            "is not an instructor of this organization's district",
                        ),
                    );
                }
            }
        }
    }
    match validated {
        Ok(pb) if found.is_empty() => Ok(store.set_party_building(id, &pb, caller.ctx()).await?),
        _ => Err(AppError::Validation(found)),
    }
}

/// Query of the instructor list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InstructorQuery {
    /// Jurisdiction code: instructors of that node and below (default: the caller's
    /// own jurisdiction, or the whole tree).
    pub jurisdiction: Option<String>,
    /// Where the page starts: the `next` or `prev` of a page read before (opaque).
    /// Takes precedence over `page`.
    #[param(value_type = Option<String>, max_length = 512)]
    pub cursor: Option<String>,
    /// 1-based page number within the first 10,000 (past them, follow `next`).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub per_page: Option<String>,
}

/// One page of the instructor register, for one caller.
pub struct InstructorList {
    pub jurisdiction: Jurisdiction,
    pub page: KeyPage<Instructor>,
    /// The page's number when asked for by number (or the first); `None` from a cursor.
    pub number: Option<u32>,
    /// May add instructors here (and sees their phones unmasked).
    pub can_manage: bool,
}

/// The node a caller works on when they name none: an official's own, else the root.
async fn default_jurisdiction(store: &Store, caller: &Caller) -> Result<Jurisdiction, AppError> {
    if let Some(code) = caller
        .user
        .as_ref()
        .and_then(|u| u.jurisdiction_code.as_deref())
        && let Some(j) = store.jurisdiction(code).await?
    {
        return Ok(j);
    }
    store
        .jurisdiction_roots()
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)
}

/// Instructors of a subtree (`ReadReports` on it). A bad or unknown code → 422.
pub async fn instructors(
    store: &Store,
    caller: &Caller,
    q: &InstructorQuery,
) -> Result<InstructorList, AppError> {
    let mut e = FieldErrors::new();
    let asked = crate::kit::paging::asked(&mut e, &q.cursor, &q.page, &q.per_page, (50, 200));
    let mut jurisdiction = None;
    match given(&q.jurisdiction) {
        None => {}
        Some(code) if JurisdictionCode::parse(code).is_err() => {
            e.add("jurisdiction", bad_code_error())
        }
        Some(code) => match store.jurisdiction(code).await? {
            None => e.add("jurisdiction", registry::unknown_jurisdiction()),
            Some(j) => jurisdiction = Some(j),
        },
    }
    // Whether the caller may read reports at all comes before what the query says.
    let j = match jurisdiction {
        Some(j) => j,
        None => default_jurisdiction(store, caller).await?,
    };
    let r = Resource::Jurisdiction { path: &j.path };
    caller.require(Action::ReadReports, &r)?;
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let can_manage = caller.decide(Action::ManageInstructors, &r).is_allowed();
    let (at, number) = asked.position();
    let page = store.instructors_keyset(&j.path, at, asked.per_page).await?;
    Ok(InstructorList {
        jurisdiction: j,
        page,
        number,
        can_manage,
    })
}

/// May this caller keep instructors anywhere at all (officials over their own node)?
pub fn may_manage_instructors(caller: &Caller) -> Result<(), AppError> {
    let own = caller
        .user
        .as_ref()
        .and_then(|u| u.jurisdiction_path.clone())
        .unwrap_or_default();
    caller.require(
        Action::ManageInstructors,
        &Resource::Jurisdiction { path: &own },
    )
}

/// Adds an instructor (`ManageInstructors` on their jurisdiction); bad fields → 422.
pub async fn create_instructor(
    store: &Store,
    caller: &Caller,
    draft: &InstructorDraft,
    mut found: FieldErrors,
) -> Result<Instructor, AppError> {
    if caller.user.is_none() {
        return Err(AppError::Unauthenticated);
    }
    may_manage_instructors(caller)?;
    let validated = draft.validate();
    let mut path = None;
    match &validated {
        Err(e) => {
            for (f, err) in &e.0 {
                found.add(f, err.clone());
            }
        }
        Ok(d) if found.get("jurisdiction").is_none() => {
            match store.jurisdiction(d.jurisdiction.as_str()).await? {
                None => found.add("jurisdiction", registry::unknown_jurisdiction()),
                Some(j) => path = Some(j.path),
            }
        }
        Ok(_) => {}
    }
    match (validated, path) {
        (Ok(data), Some(path)) if found.is_empty() => {
            caller.require(
                Action::ManageInstructors,
                &Resource::Jurisdiction { path: &path },
            )?;
            Ok(store.create_instructor(&data, caller.ctx()).await?)
        }
        _ => Err(AppError::Validation(found)),
    }
}

/// Query of a list of organizations not covered.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GapQuery {
    /// `party_organization` (no party organization), `party_work` (neither a party
    /// organization nor an instructor), `regional_hub` (in no regional hub),
    /// `industry_hub` (in no industry hub).
    #[param(value_type = Option<String>, example = "party_organization")]
    pub gap: Option<String>,
    /// Where the page starts: the `next` or `prev` of a page read before (opaque).
    /// Takes precedence over `page`.
    #[param(value_type = Option<String>, max_length = 512)]
    pub cursor: Option<String>,
    /// 1-based page number within the first 10,000 (past them, follow `next`).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–200 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub per_page: Option<String>,
}

impl GapQuery {
    /// The gap (if named) and the paging; a bad value is a 422 naming it.
    pub fn parse(&self) -> Result<(Option<Gap>, Asked), FieldErrors> {
        let mut e = FieldErrors::new();
        let gap = match given(&self.gap) {
            None => None,
            Some(s) => {
                let g = Gap::parse(s);
                if g.is_none() {
                    let codes: Vec<&str> = Gap::ALL.iter().map(|g| g.as_str()).collect();
                    e.add(
                        "gap",
                        FieldError::new(
                            format!("取值无效，可选：{}", codes.join("、")),
                            format!("is not one of: {}", codes.join(", ")),
                        ),
                    );
                }
                g
            }
        };
        let paging = crate::kit::paging::asked(&mut e, &self.cursor, &self.page, &self.per_page, (20, 200));
        if e.is_empty() {
            Ok((gap, paging))
        } else {
            Err(e)
        }
    }
}

/// The four headline figures of a set of organizations.
#[derive(Debug, Clone, Copy, Default)]
pub struct Figures {
    pub party: PartyCoverage,
    pub hubs: HubCoverage,
}

pub async fn figures(store: &Store, scope: &CoverageScope) -> Result<Figures, AppError> {
    Ok(Figures {
        party: store.party_coverage(scope).await?,
        hubs: store.hub_coverage(scope).await?,
    })
}

/// A jurisdiction the caller may read reports on. Unknown or malformed code → 404.
pub async fn report_jurisdiction(
    store: &Store,
    caller: &Caller,
    code: &str,
) -> Result<Jurisdiction, AppError> {
    let code = code.trim();
    if JurisdictionCode::parse(code).is_err() {
        return Err(AppError::NotFound);
    }
    let j = store.jurisdiction(code).await?.ok_or(AppError::NotFound)?;
    caller.require(
        Action::ReadReports,
        &Resource::Jurisdiction { path: &j.path },
    )?;
    Ok(j)
}

/// Coverage of a jurisdiction subtree and of each child node.
pub struct JurisdictionReport {
    pub jurisdiction: Jurisdiction,
    pub figures: Figures,
    pub children: Vec<ChildCoverage>,
}

pub async fn jurisdiction_report(
    store: &Store,
    caller: &Caller,
    code: &str,
) -> Result<JurisdictionReport, AppError> {
    let j = report_jurisdiction(store, caller, code).await?;
    let figures = figures(store, &CoverageScope::Subtree(j.path.clone())).await?;
    let children = store.coverage_by_child(&j).await?;
    Ok(JurisdictionReport {
        jurisdiction: j,
        figures,
        children,
    })
}

/// A hub the caller may read reports on (its staff, officials over it, experts). Unknown
/// or malformed id → 404.
pub async fn report_hub(store: &Store, caller: &Caller, id: &str) -> Result<Hub, AppError> {
    let id = Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    let hub = store.hub(id).await?.ok_or(AppError::NotFound)?;
    caller.require(
        Action::ReadReports,
        &Resource::Hub {
            organization_id: hub.organization_id,
            jurisdiction_path: &hub.jurisdiction_path,
        },
    )?;
    Ok(hub)
}

/// Organizations of `scope` in `gap`, by name, one page by cursor (or by a number
/// within the first 10,000), and the page's number when it has one (access already
/// checked by the caller).
pub async fn uncovered(
    store: &Store,
    scope: &CoverageScope,
    gap: Gap,
    paging: &Asked,
) -> Result<(KeyPage<Organization>, Option<u32>), AppError> {
    let (at, number) = paging.position();
    let page = store
        .uncovered_keyset(scope, gap, at, paging.per_page)
        .await?;
    Ok((page, number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn district_of_a_path() {
        assert_eq!(
            district_path("320000/320100/320102/320102002000/"),
            "320000/320100/320102/"
        );
        assert_eq!(district_path("320000/320100/"), "320000/320100/");
    }

    #[test]
    fn gap_query() {
        let q = GapQuery {
            gap: Some("party_work".into()),
            page: Some("2".into()),
            ..Default::default()
        };
        let (gap, paging) = q.parse().unwrap();
        assert_eq!((gap, paging.per_page), (Some(Gap::PartyWork), 20));
        assert_eq!(paging.position().1, Some(2));
        let e = GapQuery {
            gap: Some("nope".into()),
            page: Some("0".into()),
            per_page: Some("500".into()),
            cursor: Some("x".repeat(600)),
        }
        .parse()
        .unwrap_err();
        for f in ["gap", "page", "per_page", "cursor"] {
            assert!(e.get(f).is_some(), "{f}");
        }
    }
}
