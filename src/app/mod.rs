//! The application layer: who is asking (`access`), and what they may do, as one command per
//! action. Every entry point (pages, the JSON API, the CLI) calls these; nothing about an action
//! lives above them.

pub mod access;
pub mod accounts;
pub mod apis;
pub mod client_tokens;
pub mod environments;
pub mod external_users;
pub mod invitations;
pub mod members;
pub mod organizations;
pub mod outbox_worker;
pub mod partners;
pub mod passwords;
pub mod roles;
pub mod sessions;
pub mod sign_in;
pub mod two_factor;
