//! Party building and coverage: instructors, each organization's party facts, and the
//! coverage figures (party building; hubs) of a jurisdiction subtree or a hub, with
//! the organizations not covered.
//!
//! Coverage counts live organizations (not deregistered). Figures for a subtree are one
//! range scan of `organizations` on `jurisdiction_path`; hub coverage reads the
//! per-organization counters `regional_hub_id` / `industry_hubs`, kept by membership writes.

use serde::Serialize;
use shuniu_domain::jurisdiction::Jurisdiction;
use shuniu_domain::party::{HubCoverage, Instructor, InstructorData, PartyBuilding, PartyCoverage};
use shuniu_domain::registry::Organization;
use uuid::Uuid;

use crate::{Page, Result, Store, WriteCtx};

/// Whose coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CoverageScope {
    /// A jurisdiction subtree, by path (`320000/320100/320102/`).
    Subtree(String),
    /// The active members of a hub.
    Hub(Uuid),
}

/// Which organizations are "not covered".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gap {
    /// No party organization (own or joint).
    PartyOrganization,
    /// Neither a party organization nor an instructor.
    PartyWork,
    /// In no regional hub.
    RegionalHub,
    /// In no industry hub.
    IndustryHub,
}

impl Gap {
    pub const ALL: [Gap; 4] = [
        Gap::PartyOrganization,
        Gap::PartyWork,
        Gap::RegionalHub,
        Gap::IndustryHub,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Gap::PartyOrganization => "party_organization",
            Gap::PartyWork => "party_work",
            Gap::RegionalHub => "regional_hub",
            Gap::IndustryHub => "industry_hub",
        }
    }
    pub fn parse(s: &str) -> Option<Gap> {
        Gap::ALL.into_iter().find(|g| g.as_str() == s.trim())
    }
}

/// Coverage of one child node (a street of a district, a district of a city).
#[derive(Debug, Clone, Serialize)]
pub struct ChildCoverage {
    pub jurisdiction: Jurisdiction,
    pub party: PartyCoverage,
    pub hubs: HubCoverage,
}

impl Store {
    /// `Invalid(jurisdiction)` for an unknown jurisdiction. Audited as `instructor.create`.
    pub async fn create_instructor(
        &self,
        data: &InstructorData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Instructor> {
        let _ = (data, ctx.into());
        todo!()
    }

    pub async fn instructor(&self, id: Uuid) -> Result<Option<Instructor>> {
        let _ = id;
        todo!()
    }

    /// Instructors in a subtree, by name, with the count of live organizations each has.
    pub async fn instructors(
        &self,
        path_prefix: &str,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Instructor>> {
        let _ = (path_prefix, page, per_page);
        todo!()
    }

    /// Sets an organization's party organization, party members and instructor
    /// (`Invalid(instructor_id)` for an unknown instructor). Recorded in the organization's
    /// change history and audited as `organization.party`.
    pub async fn set_party_building(
        &self,
        organization_id: Uuid,
        party: &PartyBuilding,
        ctx: impl Into<WriteCtx>,
    ) -> Result<Organization> {
        let _ = (organization_id, party, ctx.into());
        todo!()
    }

    /// The instructor assigned to an organization, if any.
    pub async fn instructor_of(&self, organization_id: Uuid) -> Result<Option<Instructor>> {
        let _ = organization_id;
        todo!()
    }

    pub async fn party_coverage(&self, scope: &CoverageScope) -> Result<PartyCoverage> {
        let _ = scope;
        todo!()
    }

    /// Hub coverage of a subtree (for `CoverageScope::Hub`: of that hub's members).
    pub async fn hub_coverage(&self, scope: &CoverageScope) -> Result<HubCoverage> {
        let _ = scope;
        todo!()
    }

    /// Coverage of each child node of `parent` (streets of a district …), in code order;
    /// one grouped query per figure, not one per child.
    pub async fn coverage_by_child(&self, parent: &Jurisdiction) -> Result<Vec<ChildCoverage>> {
        let _ = parent;
        todo!()
    }

    /// Live organizations in `scope` that fall in `gap`, by name; paged in the database.
    pub async fn uncovered(
        &self,
        scope: &CoverageScope,
        gap: Gap,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Organization>> {
        let _ = (scope, gap, page, per_page);
        todo!()
    }
}
