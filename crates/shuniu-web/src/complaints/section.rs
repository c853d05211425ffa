//! The "Complaints and their handling" section of an organization's page: its
//! complaint record in counts (how many, answered within the limit, overdue,
//! escalated, each outcome) and its latest complaints with their outcome and public
//! text — never a complainant, a phone or a description. Public.

use askama::Template;
use shuniu_domain::complaints::ComplaintFacts;
use shuniu_domain::registry::Organization;

use crate::auth::Caller;
use crate::kit::ui::Ui;
use crate::{AppError, AppState, local_time};

/// Complaints the section lists.
const SECTION_ROWS: u32 = 5;

/// One complaint as the public reads it.
pub struct PublicLine {
    pub filed: String,
    pub category: &'static str,
    pub state: &'static str,
    pub in_time: bool,
    pub answered: bool,
    pub escalated: bool,
    pub outcome: String,
    pub outcome_text: String,
}

#[derive(Template)]
#[template(path = "complaints/org_section.html")]
struct SectionPage<'a> {
    ui: &'a Ui,
    id: String,
    f: ComplaintFacts,
    decided: u32,
    rows: Vec<PublicLine>,
}

pub fn public_line(ui: &Ui, p: &shuniu_store::complaints::PublicComplaint) -> PublicLine {
    PublicLine {
        filed: local_time(p.filed_at),
        category: p.category.label(ui.lang),
        state: p.state.label(ui.lang),
        answered: p.responded_at.is_some(),
        in_time: p.responded_at.is_some_and(|r| r < p.due_at),
        escalated: p.escalated,
        outcome: p
            .outcome
            .map(|o| o.label(ui.lang).to_string())
            .unwrap_or_default(),
        outcome_text: p.outcome_text.clone().unwrap_or_default(),
    }
}

pub fn org_section<'a>(
    s: &'a AppState,
    ui: &'a Ui,
    _caller: &'a Caller,
    org: &'a Organization,
    _org_path: &'a str,
) -> crate::kit::capability::SectionFuture<'a> {
    Box::pin(async move {
        let f = s.store.complaint_facts(org.id).await?;
        let page = s
            .store
            .public_complaints_keyset(org.id, shuniu_store::At::Cursor(None), SECTION_ROWS)
            .await?;
        SectionPage {
            ui,
            id: org.id.to_string(),
            decided: f.decided(),
            f,
            rows: page.items.iter().map(|p| public_line(ui, p)).collect(),
        }
        .render()
        .map_err(|e| AppError::Internal(format!("template failed to render: {e}")))
    })
}
