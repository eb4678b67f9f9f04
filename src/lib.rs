//! Gatehouse: a self-hosted admin console for identity and access in organizations.
//! `main.rs` is a thin CLI over this library, so the tests drive the real application.

pub mod api;
pub mod app;
pub mod assets;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod mail;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod time_zone;
pub mod web;
pub mod wire;
