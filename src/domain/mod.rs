//! The rules and queries of each area. Nothing here knows about HTTP.

pub mod account;
pub mod api_catalog;
pub mod audit;
pub mod environment;
pub mod external_access;
pub mod external_registration;
pub mod external_user;
pub mod invitation;
pub mod membership;
pub mod openapi;
pub mod organization;
pub mod outbox;
pub mod partnership;
pub mod password_history;
pub mod password_reset;
pub mod permission;
pub mod policy;
pub mod portal;
pub mod preferences;
pub mod profile;
pub mod role;
pub mod rules;
pub mod setup;
pub mod throttle;
pub mod two_factor;
