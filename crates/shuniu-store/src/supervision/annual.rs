//! annual
