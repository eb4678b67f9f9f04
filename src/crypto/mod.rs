//! Secrets at the bottom of every layer: random tokens and their hashes, password hashing,
//! authenticator-app codes and sealed (encrypted) secrets.
//! Nothing here knows about people, sessions or HTTP.

pub mod password;
pub mod personal_token;
pub mod sealed;
pub mod token;
pub mod totp;
pub mod webhook_signature;
