//! The application layer: who is asking (`access`), and what they may do, as one command per
//! action. Every entry point (pages, the JSON API, the CLI) calls these; nothing about an action
//! lives above them.
//!
//! A command is `fn(by, input.., conn) -> Result<Outcome, Error>`: `by` is the caller's guard with
//! the request's facts (`access::Acting<G>`, `access::Me`, `access::Visitor`), and the command
//! opens its own write transaction, so its rules, rows, audit event and queued mail commit
//! together or not at all.

/// Commands that change one row of the organization found by its id, each with the domain
/// function that does it: `name(by, id, conn)` (the id of the type in parentheses) runs `domain(conn, organization, id, actor)` in a
/// write transaction. Another organization's id is not found.
macro_rules! row_commands {
    ($guard:ident: $($(#[$doc:meta])* $name:ident($id:ty) => $domain:path;)*) => {$(
        $(#[$doc])*
        pub fn $name(
            by: &$crate::app::access::Acting<$guard>,
            id: $id,
            conn: &mut $crate::db::DbConnection,
        ) -> $crate::domain::rules::DomainResult<()> {
            $crate::db::write_transaction(conn, |conn| {
                $domain(conn, by.organization_id(), id, &by.actor())
                    .map(|_| ())
                    .map_err(Into::into)
            })
        }
    )*};
}

pub mod access;
pub mod accounts;
pub mod apis;
pub mod audit_log;
pub mod authenticator;
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
pub mod sso;
pub mod tokens;
pub mod two_factor;
pub mod webhook_worker;
pub mod webhooks;

/// Brings the database up to date: pending migrations, then the hash chain over audit events
/// written before events were chained. Everything that opens the database for writing calls
/// this first, so no new event is chained before an old one.
pub fn migrate(conn: &mut crate::db::DbConnection) -> Result<usize, crate::db::DbSetupError> {
    let applied = crate::db::run_migrations(conn)?;
    let chained = crate::domain::audit::chain_unhashed(conn)
        .map_err(|err| crate::db::DbSetupError::Migration(err.to_string()))?;
    if chained > 0 {
        tracing::info!(
            chained,
            "audit events written before chaining are now chained"
        );
    }
    Ok(applied)
}
