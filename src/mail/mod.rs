//! Email: composing messages from templates, the transports that send them, and the outbox worker
//! that delivers what the domain wrote into the outbox.

pub mod compose;
pub mod transport;

pub use compose::RenderedEmail;
pub use transport::{Mailer, SendError};
