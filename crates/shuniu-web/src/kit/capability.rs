//! A capability is one folder per layer (`src/<capability>/`, `templates/<capability>/`).
//! What it adds to the application it exports as one [`Capability`] value; the one list
//! of them is `crate::capabilities()`, which the kit is handed at start
//! ([`install`]): the kit itself names no capability.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use shuniu_domain::registry::Organization;

use crate::auth::Caller;
use crate::kit::routes::Routes;
use crate::kit::ui::Ui;
use crate::{AppError, AppState};

/// Interface words: key, Chinese, English.
pub type Messages = &'static [(&'static str, &'static str, &'static str)];

/// A link of the site navigation (`templates/base.html`).
pub struct NavItem {
    /// The `Ui::nav` of the pages on which this link is the current one.
    pub id: &'static str,
    pub href: &'static str,
    /// The message key of the link's text.
    pub label: &'static str,
    /// Its place in the navigation, ascending (links of one capability need not be
    /// next to each other).
    pub rank: u8,
    /// Whether the link shows on a page ([`always`], or what the signed-in user may do).
    pub shows: fn(&Ui) -> bool,
}

/// A navigation link every visitor sees.
pub fn always(_: &Ui) -> bool {
    true
}

/// A nav link for officials only (anyone else would meet a 403 there).
pub fn officials(ui: &Ui) -> bool {
    ui.me.as_ref().is_some_and(|m| m.is_official)
}

/// The future of an [`OrgSection`]: the section's HTML.
pub type SectionFuture<'a> = Pin<Box<dyn Future<Output = Result<String, AppError>> + Send + 'a>>;

/// A section a capability adds to an organization's page (the registry's), given the
/// organization and its jurisdiction path; it renders its own template.
pub type OrgSection =
    for<'a> fn(&'a AppState, &'a Ui, &'a Caller, &'a Organization, &'a str) -> SectionFuture<'a>;

/// What one capability adds to the application.
pub struct Capability {
    /// The folder's name (`registry`, `hubs` …); the access-matrix test keys its
    /// expectations by it.
    pub name: &'static str,
    /// Its pages' and its API's routes.
    pub routes: fn() -> Routes,
    /// Its part of `/api/openapi.json` (paths, schemas, its tag).
    pub openapi: fn() -> utoipa::openapi::OpenApi,
    /// Its interface words.
    pub messages: Messages,
    /// Its links in the site navigation.
    pub nav: &'static [NavItem],
    /// Its sections of an organization's page, in order.
    pub org_sections: &'static [OrgSection],
}

struct Site {
    capabilities: &'static [Capability],
    nav: Vec<&'static NavItem>,
    messages: HashMap<&'static str, (&'static str, &'static str)>,
}

static SITE: OnceLock<Site> = OnceLock::new();

/// Hands the kit the capability list (the first call wins; `AppState::new` makes it).
pub fn install(capabilities: &'static [Capability]) {
    SITE.get_or_init(|| {
        let mut nav: Vec<&'static NavItem> =
            capabilities.iter().flat_map(|c| c.nav.iter()).collect();
        nav.sort_by_key(|n| n.rank);
        let messages = all_messages(capabilities)
            .map(|(k, zh, en)| (*k, (*zh, *en)))
            .collect();
        Site {
            capabilities,
            nav,
            messages,
        }
    });
}

fn site() -> &'static Site {
    SITE.get()
        .expect("the capability list is installed (AppState::new) before a page is served")
}

/// The kit's words and every capability's, in list order.
pub fn all_messages(
    capabilities: &'static [Capability],
) -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    crate::kit::messages::MESSAGES
        .iter()
        .chain(capabilities.iter().flat_map(|c| c.messages.iter()))
}

/// The message index of the installed capabilities.
pub(crate) fn message_index() -> &'static HashMap<&'static str, (&'static str, &'static str)> {
    &site().messages
}

/// The site navigation, in order.
pub fn nav() -> &'static [&'static NavItem] {
    &site().nav
}

/// Every capability's sections of an organization's page, in list order.
pub fn org_sections() -> impl Iterator<Item = &'static OrgSection> {
    site()
        .capabilities
        .iter()
        .flat_map(|c| c.org_sections.iter())
}
