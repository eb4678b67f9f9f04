//! Environments (production, staging, ...): the places roles get access to.

use crate::app::access::{Acting, Admin};
use crate::db::{DbConnection, write_transaction};
use crate::domain::environment;
use crate::domain::ids::EnvironmentId;
use crate::domain::rules::DomainResult;

/// Creates an environment (a name checked by `environment::parse_name`); returns its id.
pub fn create(
    by: &Acting<Admin>,
    name: &str,
    conn: &mut DbConnection,
) -> DomainResult<EnvironmentId> {
    write_transaction(conn, |conn| {
        environment::create(conn, by.organization_id(), name, &by.actor())
    })
}

pub fn rename(
    by: &Acting<Admin>,
    environment_id: EnvironmentId,
    name: &str,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        environment::rename(
            conn,
            by.organization_id(),
            environment_id,
            name,
            &by.actor(),
        )
    })
}

row_commands! {
    Admin:
    /// Deletes an environment with every role's access to it and its APIs.
    delete(EnvironmentId) => environment::delete;
}
