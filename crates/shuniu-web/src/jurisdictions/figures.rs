//! What a district's or a street's page shows beside its tree: for a street, its 1+1+X
//! at a glance (service park, promotion association, members); for both, the coverage
//! figures coloured by band, and the organizations by service domain as a bar chart
//! with the same numbers in a table beside it. A handful of queries, none per row.

use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_domain::party::Share;
use shuniu_store::CoverageScope;

use crate::kit::chart::{self, CountChart, LegendItem};
use crate::kit::ui::Ui;
use crate::kit::view::fmt_int;
use crate::{AppError, AppState};

/// A service park of the street.
pub struct Park {
    pub href: String,
    pub name: String,
    pub area: String,
}

/// A street's 1+1+X at a glance.
pub struct StreetFacts {
    pub parks: Vec<Park>,
    /// The promotion association (the street's regional hub): link and name.
    pub hub: Option<(String, String)>,
    pub members: String,
}

/// One coverage figure: the share, its bar and its band in words.
pub struct CoverageBar {
    pub label: &'static str,
    pub percent: String,
    pub permille: i64,
    pub detail: String,
    pub class: &'static str,
    pub band: &'static str,
}

/// One service domain's row of the table (and bar of the chart).
pub struct DomainRow {
    pub name: String,
    pub href: String,
    pub organizations: String,
}

/// Everything the figures part of the page shows; empty above district level.
#[derive(Default)]
pub struct Figures {
    pub street: Option<StreetFacts>,
    pub coverage: Vec<CoverageBar>,
    pub legend: Vec<LegendItem>,
    pub domains: Vec<DomainRow>,
    pub domain_chart: Option<CountChart>,
}

pub async fn figures(s: &AppState, ui: &Ui, j: &Jurisdiction) -> Result<Figures, AppError> {
    if !matches!(j.level, Level::District | Level::Street) {
        return Ok(Figures::default());
    }
    let street = match j.level {
        Level::Street => s
            .store
            .street_structure(j.code.as_str())
            .await?
            .map(|st| StreetFacts {
                parks: st
                    .venues
                    .iter()
                    .map(|v| Park {
                        href: format!("/venues/{}", v.id),
                        name: v.data.name.clone(),
                        area: ui.tf("structure.area", &[&fmt_int(v.data.area_m2.into())]),
                    })
                    .collect(),
                hub: st
                    .hub
                    .as_ref()
                    .map(|h| (format!("/hubs/{}", h.id), h.organization_name.clone())),
                members: st
                    .hub
                    .as_ref()
                    .map(|h| fmt_int(h.member_count))
                    .unwrap_or_else(|| "—".into()),
            }),
        _ => None,
    };
    let scope = CoverageScope::Subtree(j.path.clone());
    let party = s.store.party_coverage(&scope).await?;
    let hubs = s.store.hub_coverage(&scope).await?;
    let bar = |label, share: Share| CoverageBar {
        label,
        percent: share.percent_text(),
        permille: share.permille(),
        detail: ui.tf("cov.fig.of", &[&fmt_int(share.covered), &fmt_int(share.total)]),
        class: chart::band_class(share.band()),
        band: chart::band_label(ui, share.band()),
    };
    let coverage = vec![
        bar(ui.t("cov.fig.org"), party.organizations),
        bar(ui.t("cov.fig.work"), party.work),
        bar(ui.t("cov.fig.regional"), hubs.regional),
        bar(ui.t("cov.fig.industry"), hubs.industry),
    ];
    // The domains that hold organizations, most first (ties in the list's order).
    let mut counts: Vec<_> = s
        .store
        .domain_counts(j)
        .await?
        .into_iter()
        .filter(|c| c.organizations > 0)
        .collect();
    counts.sort_by_key(|c| std::cmp::Reverse(c.organizations));
    let items: Vec<(String, String, i64)> = counts
        .iter()
        .map(|c| {
            (
                c.domain.label(ui.lang).to_string(),
                format!(
                    "/organizations?jurisdiction={}&domain={}",
                    j.code,
                    c.domain.as_str()
                ),
                c.organizations,
            )
        })
        .collect();
    Ok(Figures {
        street,
        coverage,
        legend: chart::legend(ui),
        domain_chart: chart::count_chart(&items),
        domains: items
            .into_iter()
            .map(|(name, href, n)| DomainRow {
                name,
                href,
                organizations: fmt_int(n),
            })
            .collect(),
    })
}
