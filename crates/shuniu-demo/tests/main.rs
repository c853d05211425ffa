//! The demo data's tests in one binary: loading it, and the hub structure it builds.

mod history;
mod load;
mod reports;
mod structure;
