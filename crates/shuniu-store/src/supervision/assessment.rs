//! assessment
