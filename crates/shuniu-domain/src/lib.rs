//! Shuniu's domain: the types and rules of the hub-type social organization system.
//!
//! Pure: no I/O, no clock (callers pass `today`), no randomness. Everything that
//! parses user input returns either a value that is valid by construction or
//! [`FieldErrors`] naming each bad field.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod codes;
pub mod errors;
pub mod hubs;
pub mod jurisdiction;
pub mod lang;
pub mod money;
pub mod parks;
pub mod party;
pub mod registry;
pub mod supervision;

pub use errors::{FieldError, FieldErrors};
pub use lang::Lang;
