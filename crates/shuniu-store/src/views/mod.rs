//! Read views that span capabilities, each in one place.

pub mod figures;
pub mod structure;
