//! Every HTTP-level test of the web crate in one binary: one link instead of one per
//! file (on two cores the links took most of the build), the shared fixtures compiled
//! once. Each file is a module named for what it tests; `browser` (headless Chromium) is
//! its own target, so that it runs apart from this crowd.

#[macro_use]
mod common;
mod coverage_support;
mod pages_support;
mod parks_support;
mod requests_support;
mod world;

mod abandoned_requests;
mod access_matrix;
mod api_access;
mod api_annual;
mod api_assessment;
mod api_assessment_tables;
mod api_complaints;
mod api_coverage;
mod api_credit;
mod api_credit_events;
mod api_downloads;
mod api_hubs;
mod api_jurisdictions;
mod api_openapi;
mod api_org_pages;
mod api_organizations;
mod api_parks;
mod api_queue_pages;
mod api_requests;
mod api_service_pages;
mod api_services;
mod api_supervision;
mod api_trust;
mod auth_boundaries;
mod bad_input;
mod booking_settings;
mod credit_races;
mod login_hardening;
mod pages_accounts;
mod pages_admin;
mod pages_annual;
mod pages_assessment;
mod pages_audit;
mod pages_booking;
mod pages_complaints;
mod pages_coverage;
mod pages_coverage_chart;
mod pages_coverage_export;
mod pages_desk;
mod pages_display;
mod pages_downloads;
mod pages_figures;
mod pages_forms;
mod pages_home;
mod pages_hubs;
mod pages_orgs;
mod pages_parks;
mod pages_places;
mod pages_requests;
mod pages_services;
mod pages_supervision;
mod pages_trust;
mod refused_callers;
mod search;
mod strict_input;
mod supervision_rules;
