//! The "Credibility" section of an organization's page.

use askama::Template;
use shuniu_domain::registry::{Grade, Organization};

use crate::auth::Caller;
use crate::kit::capability::SectionFuture;
use crate::kit::ui::Ui;
use crate::kit::view;
use crate::{AppError, AppState, today};

/// One row of the breakdown, in the page's language.
pub struct PartRow {
    pub part: &'static str,
    pub weight: String,
    /// `None`: not counted.
    pub points: Option<u8>,
    pub source: &'static str,
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "trust/org_section.html")]
struct SectionPage<'a> {
    ui: &'a Ui,
    score: String,
    band: &'static str,
    band_code: &'static str,
    cap: Option<String>,
    as_of: String,
    rows: Vec<PartRow>,
    any_not_counted: bool,
    grade: Option<String>,
    uscc: Option<String>,
}

/// The section: the stored score, band in words, the breakdown, the date, what the
/// score means and is not, what a grade means, and where to check the USCC.
pub fn org_section<'a>(
    s: &'a AppState,
    ui: &'a Ui,
    _caller: &'a Caller,
    org: &'a Organization,
    _org_path: &'a str,
) -> SectionFuture<'a> {
    Box::pin(async move {
        let lang = ui.lang;
        let c = super::service::credibility_of(s, org).await?;
        let rows: Vec<PartRow> = c
            .parts
            .iter()
            .map(|p| PartRow {
                part: p.part.label(lang),
                weight: ui.tf("trust.weight.value", &[&p.weight.to_string()]),
                points: p.points,
                source: p.source.label(lang),
                notes: p.notes.iter().map(|n| n.text(lang).to_string()).collect(),
            })
            .collect();
        // The grade in force today (the registry's columns, written by award paths).
        let grade = match (org.data.grade, org.data.grade_awarded_on) {
            (Some(g), Some(on)) if Grade::expiry(on) > today() => Some(g.as_str().to_string()),
            _ => None,
        };
        SectionPage {
            ui,
            score: ui.tf("trust.score.value", &[&c.score.to_string()]),
            band: c.band.label(lang),
            band_code: c.band.as_str(),
            cap: c.cap.as_ref().map(|n| n.text(lang).to_string()),
            as_of: view::date(lang, c.as_of),
            any_not_counted: rows.iter().any(|r| r.points.is_none()),
            rows,
            grade,
            uscc: org.data.uscc.as_ref().map(|u| u.to_string()),
        }
        .render()
        .map_err(|e| AppError::Internal(format!("template failed to render: {e}")))
    })
}
