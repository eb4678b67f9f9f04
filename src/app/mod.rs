//! The application layer: who is asking (`access`), and what they may do, as one command per
//! action. Every entry point (pages, the JSON API, the CLI) calls these; nothing about an action
//! lives above them.

pub mod access;
pub mod invitations;
pub mod outbox_worker;
pub mod sign_in;
