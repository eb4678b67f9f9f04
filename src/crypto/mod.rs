//! Secrets at the bottom of every layer: random tokens and their hashes, and password hashing.
//! Nothing here knows about people, sessions or HTTP.

pub mod password;
pub mod personal_token;
pub mod token;
pub mod webhook_signature;
