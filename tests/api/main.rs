//! One test binary that drives the real server over HTTP, on SQLite by default or on PostgreSQL
//! when TEST_DATABASE_URL is set.

mod helpers;
mod smtp_sink;

mod cli;
mod csrf;
mod headers;
mod health;
mod htmx;
mod i18n;
mod mail;
mod migrations;
mod organizations;
mod sessions;
mod setup;
mod users;
mod sign_in;
