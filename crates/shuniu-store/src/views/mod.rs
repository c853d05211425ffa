//! Read views that span capabilities, each in one place.

pub mod structure;
