//! Shuniu's demo data: Xuanwu district 玄武区 as the Nanjing Daily described it on
//! 2 August 2012 (DOMAIN.md §3).
//!
//! * exactly **1,379** registered or filed organizations under Xuanwu (320102 and its
//!   seven streets), with **25,000 and more** full- and part-time staff ("25000多人");
//! * more than half of them in public-welfare domains;
//! * every organization the article names, with plausible attributes: the Meiyuan
//!   promotion association 梅园新村街道社会组织发展促进会 at 梅园新村34号 and its five
//!   initiating units, 儿童孤独症训练中心, 玄武区空竹协会 and 福禄贝尔童书馆;
//! * the rest generated across the seven streets (the "1+1+X" of each street: its
//!   promotion association, associations, a custody home, community home-care centres,
//!   institutions and filed community organizations) and at district level;
//! * once loaded, the hub structure over them ([`structure`]): the core, a regional hub
//!   in every street (Meiyuan's with its 36 member units, Suojincun's workstation with
//!   70+), industry hubs on 区残联, 团区委, 区妇联 and 区总工会, the service parks with
//!   rooms and bookings, and party-building instructors;
//! * annual reports on 2023 and later for the registered organizations ([`reports`]):
//!   most on time and 合格, a few 基本合格/不合格 or late, a few never filed — the daily
//!   job then lists a handful on the abnormal list and one on the serious list.
//! * a history since the hub system began ([`history`]): memberships applied and decided
//!   on their own dates after the hubs' recognitions (2012–2013), assessment grades in
//!   round batches every other year since 2013 (the city's for foundations; awards of
//!   five years or more expired), a few organizations suspended or deregistered, change
//!   registrations decided and pending, and the communities under each street.
//!   Founding and decision dates fall on working days.
//!
//! Every record passes [`OrganizationDraft::validate`](shuniu_domain::registry::OrganizationDraft::validate)
//! for the `today` it was generated for, carries a valid unified social credit code or a
//! filing number of its own street, and is flagged `is_demo`. The data are deterministic:
//! the same `today` gives the same records.

use std::collections::HashMap;

use chrono::NaiveDate;
use shuniu_domain::registry::OrganizationData;
use shuniu_store::trust::{BandCounts, TrustSettings};
use shuniu_store::{OrgFilter, Store, StoreError};

mod assessments;
mod calendar;
mod generate;
pub mod history;
pub mod places;
pub mod province;
pub mod reports;
pub mod residents;
pub mod services;
pub mod structure;
mod tables;

pub use calendar::{FIRST_ROUND, round_award_day, rounds};
pub use generate::{MAX_STAFF, MIN_STAFF, ORGANIZATIONS};
pub use history::History;
pub use reports::Reports;
pub use services::Catalogue;
pub use structure::Built;
pub use tables::XUANWU;

/// Who the change history names as the author of demo records.
pub const ACTOR: &str = "demo";

/// What [`load`] did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoSummary {
    /// `false` when the database already held organizations and nothing was written.
    pub loaded: bool,
    /// Organizations written (0 when nothing was loaded).
    pub organizations: usize,
    /// Their full- plus part-time staff (0 when nothing was loaded).
    pub staff: u64,
    /// The hub structure written over them (all zero when nothing was loaded).
    pub structure: Built,
    /// The annual reports filed and reviewed (all zero when nothing was loaded).
    pub reports: Reports,
    /// The registry's history: communities, grades, status changes, change
    /// registrations (all zero when nothing was loaded).
    pub history: History,
    /// Services and public contacts declared (all zero when nothing was loaded).
    pub catalogue: Catalogue,
    /// Place names residents know (roads, compounds, landmarks, communities) written.
    pub places: usize,
    /// Residents' requests and complaints written.
    pub residents: residents::Residents,
    /// The credibility scores computed at the end, by band.
    pub credibility: BandCounts,
}

/// The demo organizations of Xuanwu district, valid as of `today`.
///
/// `today` bounds every date (founding, grade award, filing year); dates the article
/// fixes (the promotion association at the end of 2011 …) are kept when `today` is the
/// article's date or later.
pub fn xuanwu_organizations(today: NaiveDate) -> Vec<OrganizationData> {
    generate::Generator::new(today).run()
}

/// Whether an organization counts as public-welfare 公益: at least one of its domains is
/// ([`ServiceDomain::is_public_welfare`](shuniu_domain::registry::ServiceDomain::is_public_welfare)).
pub fn is_public_welfare(org: &OrganizationData) -> bool {
    org.domains.iter().any(|d| d.is_public_welfare())
}

/// Loads the demo data into a database that has no organizations yet: the organizations
/// in one transaction, then the hub structure over them through the store's ordinary
/// (audited) writes. If any organization exists (live or deregistered), writes nothing
/// and returns `loaded: false`.
pub async fn load(store: &Store, today: NaiveDate) -> Result<DemoSummary, StoreError> {
    let skipped = DemoSummary {
        loaded: false,
        organizations: 0,
        staff: 0,
        structure: Built::default(),
        reports: Reports::default(),
        history: History::default(),
        catalogue: Catalogue::default(),
        places: 0,
        residents: residents::Residents::default(),
        credibility: BandCounts::default(),
    };
    let existing = existing_organizations(store).await?;
    if existing > 0 {
        tracing::info!(
            existing,
            "the database already has organizations: demo data not loaded"
        );
        return Ok(skipped);
    }
    let (orgs, awards): (Vec<OrganizationData>, Vec<_>) = generate::Generator::new(today)
        .run_with_awards()
        .into_iter()
        .unzip();
    let awards: HashMap<String, _> = orgs
        .iter()
        .zip(awards)
        .filter_map(|(o, a)| Some((o.name.clone(), a?)))
        .collect();
    let staff = orgs.iter().map(|o| u64::from(o.staff_total())).sum();
    match store.create_organizations(&orgs, ACTOR).await {
        Ok(created) => {
            tracing::info!(
                organizations = created.len(),
                staff,
                "demo data loaded: Xuanwu district"
            );
            let structure = structure::build(store, today, &created).await?;
            tracing::info!(
                regional_hubs = structure.regional_hubs,
                industry_hubs = structure.industry_hubs,
                memberships = structure.memberships,
                bookings = structure.bookings,
                "demo hub structure built"
            );
            let (reports, story) = reports::build(store, today, &created).await?;
            tracing::info!(
                filed = reports.filed,
                late = reports.late,
                missing = reports.missing,
                "demo annual reports filed and reviewed"
            );
            let history = history::build(store, today, &created, &awards, &story).await?;
            tracing::info!(
                grade_awards = history.grade_awards,
                suspended = history.suspended,
                deregistered = history.deregistered,
                changes_pending = history.changes_pending,
                "demo registry history written"
            );
            let venues: Vec<(uuid::Uuid, String)> = store
                .list_venues(None, None, 1, 200)
                .await?
                .items
                .into_iter()
                .map(|v| (v.id, v.jurisdiction_path))
                .collect();
            let catalogue = services::build(store, &created, &venues).await?;
            tracing::info!(
                services = catalogue.services,
                contacts = catalogue.contacts,
                "demo service catalogue declared"
            );
            let places = places::build(store).await?;
            tracing::info!(places, "demo place names indexed");
            let residents = residents::build(store, today).await?;
            tracing::info!(
                requests = residents.requests,
                rated = residents.rated,
                complaints = residents.complaints,
                escalated = residents.escalated,
                "demo residents' requests and complaints written"
            );
            // Last, every organization's credibility from what the demo wrote.
            let trust = TrustSettings {
                credit: reports::settings(),
                ..TrustSettings::default()
            };
            store.refresh_all_credibility(&trust, today).await?;
            let credibility = store.credibility_bands().await?;
            tracing::info!(
                high = credibility.high,
                fair = credibility.fair,
                low = credibility.low,
                "demo credibility computed"
            );
            Ok(DemoSummary {
                residents,
                catalogue,
                places,
                credibility,
                loaded: true,
                organizations: created.len(),
                staff,
                structure,
                reports,
                history,
            })
        }
        // Another loader got there first (same codes): the database is no longer empty.
        Err(StoreError::Conflict { field }) if existing_organizations(store).await? > 0 => {
            tracing::info!(%field, "demo data loaded concurrently by another process");
            Ok(skipped)
        }
        Err(e) => Err(e),
    }
}

async fn existing_organizations(store: &Store) -> Result<i64, StoreError> {
    Ok(store
        .list_organizations(&OrgFilter::default(), 1, 1)
        .await?
        .total)
}

#[cfg(test)]
mod tests;
