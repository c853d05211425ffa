//! Shuniu's domain: the types and rules of the hub-type social organization system.
//!
//! Pure: no I/O, no clock (callers pass `today`), no randomness. Everything that
//! parses user input returns either a value that is valid by construction or
//! [`FieldErrors`] naming each bad field.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod codes;
pub mod complaints;
pub mod credibility;
pub mod errors;
pub mod hubs;
pub mod jurisdiction;
pub mod lang;
pub mod money;
pub mod parks;
pub mod party;
pub mod places;
pub mod registry;
pub mod requests;
pub mod services;
pub mod supervision;

pub use errors::{FieldError, FieldErrors};
pub use lang::Lang;

/// Materialised paths of the places the unit tests use (Nanjing, Jiangsu).
#[cfg(test)]
pub(crate) mod test_paths {
    /// 玄武区 Xuanwu district.
    pub const XUANWU: &str = "320000/320100/320102/";
    /// 梅园新村街道 Meiyuan Xincun street, Xuanwu.
    pub const MEIYUAN: &str = "320000/320100/320102/320102002000/";
    /// 锁金村街道 Suojincun street, Xuanwu.
    pub const SUOJIN: &str = "320000/320100/320102/320102007000/";
    /// 秦淮区 Qinhuai district.
    pub const QINHUAI: &str = "320000/320100/320104/";
}
