//! The shared kit: what every capability's pages and API use, and nothing of any one
//! capability. The kit knows no capability by name: `crate::capabilities()` hands it
//! the list ([`capability::install`]), from which it serves the message catalog, the
//! site navigation and the sections of an organization's page.
//!
//! - [`state`]: `AppState`, today's date, local times;
//! - [`capability`]: the `Capability` a folder exports, and the installed list;
//! - [`error`]: `AppError`, every outcome's status; [`params`]: query parameters;
//! - [`routes`]: the route table; [`i18n`] and [`messages`]: the language and the words;
//! - [`ui`]: `Ui`, rendering, error pages; [`view`], [`forms`]: widgets;
//! - [`paging`]: a keyset list's `cursor`/`page`/`per_page`, its JSON paging, its
//!   Previous/Next links, the page bar;
//! - [`chart`]: small server-drawn SVG charts and the threshold bands' colours and words;
//! - [`standing`]: may this organization book / join / receive an office / be recognized;
//! - [`labels`]: the one lookup of a form field's label (`field.<name>`, `<scope>.f.<name>`);
//! - [`extract`]: record ids, codes, CSRF-checked forms, query parameters;
//! - [`glossary`]: `/glossary`, the model's terms in both languages;
//! - [`export`]: lists as CSV (streamed) and Excel (capped), bounded and audited;
//! - [`search`]: the search index kept in step with the store, its rebuild, ranked hits;
//! - [`api`]: the JSON API's plumbing (caller, errors, strict input, OpenAPI frame).

pub mod abandoned;
pub mod api;
pub mod capability;
pub mod chart;
pub mod error;
pub mod export;
pub mod extract;
pub mod forms;
pub mod glossary;
pub mod i18n;
pub mod labels;
pub mod messages;
pub mod paging;
pub mod params;
pub mod routes;
pub mod search;
pub mod standing;
pub mod state;
pub mod ui;
pub mod view;

#[cfg(test)]
mod words_tests;

pub use capability::{Capability, NavItem, OrgSection};
pub use error::AppError;
pub use state::{AppState, local_time, today};
