//! Every storage test in one binary (one link instead of one per file): the
//! conformance stories, each capability's store, the audit chain, accounts, the
//! migration parity check. Each file is a module named for what it tests.

mod audit_accounts;
mod audit_changes;
mod bulk_indexes;
mod collation;
mod complaints;
mod conformance;
mod export_chunks;
mod figures_kept;
mod file_modes;
mod hubs;
mod keyset_pages;
mod login_lockout;
mod migration_parity;
mod parks;
mod party;
mod party_pages;
mod places;
mod queue_pages;
mod requests;
mod search_feed;
mod services;
mod supervision_changes;
mod supervision_credit;
mod supervision_grades;
mod supervision_support;
mod tallies;
mod trust;
mod unique_constraints;
mod walk;
