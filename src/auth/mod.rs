//! Who is asking: passwords, sessions, CSRF, and the cookies that carry them.

pub mod cookies;
pub mod middleware;
pub mod password;
pub mod session;
pub mod sign_in;
pub mod token;
