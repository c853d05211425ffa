//! The service catalogue 服务目录 and organizations' public contacts (issue 12, items 1
//! and 2): the organization's own declarations, visible at once. The public list
//! leaves out organizations that may not offer services (the domain's standing rule,
//! `services::may_offer`: suspended, deregistered, on the serious list), in SQL so
//! that it pages in the database.

mod catalogue;
mod contact;
mod open_data;

pub(crate) use catalogue::OFFERS;
pub use catalogue::{Service, ServiceFilter, ServiceListing};
pub use open_data::DirectoryOrg;
