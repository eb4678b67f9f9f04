//! One test binary that drives the real server over HTTP, on SQLite by default or on PostgreSQL
//! when TEST_DATABASE_URL is set.

mod helpers;
mod oidc_provider;
mod smtp_sink;
mod webhook_receiver;

mod apis;
mod architecture;
mod attempt_limits;
mod audit_log;
mod authenticator;
mod authorization;
mod cli;
mod csrf;
mod environments;
mod external_users;
mod headers;
mod health;
mod hostile_input;
mod htmx;
mod i18n;
mod mail;
mod migrations;
mod organizations;
mod partner_access;
mod partner_tokens;
mod partners;
mod password_policy;
mod personal_tokens;
mod policies;
mod portal;
mod profile;
mod roles;
mod route_fuzz;
mod scenario;
mod sessions;
mod setup;
mod sign_in;
mod sso;
mod throttle;
mod two_factor;
mod users;
mod webhooks;
