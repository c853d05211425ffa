//! Accounts: signing in and out, one's own account (password, API tokens), user
//! administration, and `/api/v1/me`. Sessions, tokens and the policy check live in
//! `crate::auth` (shared by every capability); [`service`] holds what the pages and the
//! API do with accounts.

use crate::kit::capability::{Capability, NavItem};
use crate::kit::routes::Routes;

pub mod account;
pub mod admin;
pub mod api;
pub mod messages;
pub mod service;

pub use service::*;

pub const CAPABILITY: Capability = Capability {
    name: "accounts",
    routes,
    openapi: api::doc,
    messages: messages::MESSAGES,
    nav: &[NavItem {
        id: "users",
        href: "/admin/users",
        label: "nav.users",
        rank: 80,
        shows: |ui| ui.me.as_ref().is_some_and(|m| m.is_admin),
    }],
    org_sections: &[],
};

fn routes() -> Routes {
    Routes::new()
        .get("/login", account::login_form)
        .post("/login", account::login)
        .post("/logout", account::logout)
        .get("/account", account::account)
        .get("/account/password", account::password_form)
        .post("/account/password", account::change_password)
        .post("/account/tokens", account::create_token)
        .post("/account/tokens/{id}/revoke", account::revoke_token)
        .get("/admin/users", admin::users)
        .get("/admin/users/new", admin::new_user)
        .post("/admin/users", admin::create_user)
        .post("/admin/users/{id}/disable", admin::disable)
        .post("/admin/users/{id}/enable", admin::enable)
        .get("/admin/users/{id}/password", admin::reset_form)
        .post("/admin/users/{id}/password", admin::reset)
        .get("/api/v1/me", api::me)
}
