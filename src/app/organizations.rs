//! The organization itself: its name, its policies, its email deliveries.

use crate::app::access::{Acting, Admin, Me};
use crate::config::Settings;
use crate::db::{DbConnection, write_transaction};
use crate::domain::outbox::{self, OutgoingEmail};
use crate::domain::policy::{self, Policy};
use crate::domain::preferences;
use crate::domain::rules::DomainResult;
use crate::domain::{account, organization};
use crate::mail::compose;

/// Renames the organization (a name checked by `organization::parse_name`).
pub fn rename(by: &Acting<Admin>, name: &str, conn: &mut DbConnection) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        organization::rename(conn, by.organization_id(), name, &by.actor()).map_err(Into::into)
    })
}

/// Saves the organization's policy; returns the audit event that lists what changed, or None
/// when nothing did.
pub fn save_policy(
    by: &Acting<Admin>,
    policy: &Policy,
    conn: &mut DbConnection,
) -> DomainResult<Option<i64>> {
    write_transaction(conn, |conn| {
        policy::save(conn, by.organization_id(), policy, &by.actor()).map_err(Into::into)
    })
}

/// Queues a test email to the caller, shown on the deliveries page.
pub fn send_test_email(
    by: &Acting<Admin>,
    settings: &Settings,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        let recipient = account::find(conn, by.account_id())?
            .map(|account| account.email)
            .ok_or(crate::domain::rules::DomainError::NotFound)?;
        let organization_name = organization::name_of(conn, by.organization_id())?;
        let content = compose::test_message(
            by.inviter().language,
            &organization_name,
            &settings.absolute_url("/deliveries"),
        )?;
        outbox::enqueue(
            conn,
            &OutgoingEmail {
                organization_id: Some(by.organization_id()),
                kind: "test",
                recipient: &recipient,
                content,
                deadline: by.at() + time::Duration::hours(1),
            },
            settings.message_id_domain(),
            by.at(),
        )?;
        Ok(())
    })
}

/// Sends a failed email of the organization again; false when there is no such failed email.
pub fn send_email_again(
    by: &Acting<Admin>,
    message_id: i64,
    conn: &mut DbConnection,
) -> DomainResult<bool> {
    write_transaction(conn, |conn| {
        outbox::send_again(conn, by.organization_id(), message_id, by.at()).map_err(Into::into)
    })
}

/// Saves which columns the account shows in a table, in which order.
pub fn save_columns(
    me: &Me,
    table: &str,
    columns: &[&str],
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        preferences::save_columns(conn, me.account_id(), table, columns).map_err(Into::into)
    })
}
