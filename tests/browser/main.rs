//! The console in a real browser: headless Chromium, driven through ChromeDriver, against the
//! real server (SQLite, or PostgreSQL with TEST_DATABASE_URL). Every page is checked by axe-core
//! at desktop and phone widths, and the keyboard-only flows are walked key by key.
//!
//! Run with `.ci/browser-tests`, which installs Chromium, ChromeDriver and axe-core first; the
//! target is left out of plain `cargo test` (`test = false`), which needs none of them.

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;
#[allow(dead_code)]
#[path = "../api/smtp_sink.rs"]
mod smtp_sink;

#[allow(dead_code)]
#[path = "../api/scenario.rs"]
mod scenario;

mod accessibility;
mod browser;
mod keyboard;
