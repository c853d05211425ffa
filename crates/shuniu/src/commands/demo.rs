//! `shuniu demo`'s loading of the demo data, also what `serve --demo` runs.

use shuniu_store::Store;

use crate::{Failure, Outcome};

/// Loads the demo data unless the database already has organizations (the demo crate
/// logs which); returns a sentence for the user.
pub(crate) async fn load_demo(store: &Store) -> Outcome<String> {
    let summary = shuniu_demo::load(store, shuniu_web::today())
        .await
        .map_err(|e| Failure::new(format!("cannot load the demo data: {e}")))?;
    Ok(if summary.loaded {
        let h = &summary.structure;
        format!(
            "Demo data loaded: {} organizations, {} staff; {} regional and {} industry hubs \
             with {} active memberships, {} venues with {} bookings, {} party-building instructors; \
             {} annual reports ({} late, {} due and never filed); {} resident requests ({} rated), \
             {} complaints ({} escalated); credibility {} high, {} fair, {} low.",
            summary.organizations,
            summary.staff,
            h.regional_hubs,
            h.industry_hubs,
            h.memberships,
            h.venues,
            h.bookings,
            h.instructors,
            summary.reports.filed,
            summary.reports.late,
            summary.reports.missing,
            summary.residents.requests,
            summary.residents.rated,
            summary.residents.complaints,
            summary.residents.escalated,
            summary.credibility.high,
            summary.credibility.fair,
            summary.credibility.low
        )
    } else {
        "The database already has organizations: demo data not loaded.".to_string()
    })
}
