//! External users: people from outside the organization with expiring access to the API portal.

use time::Date;

use crate::app::access::{Acting, Admin};
use crate::config::Settings;
use crate::db::{DbConnection, write_transaction};
use crate::domain::account::EmailAddress;
use crate::domain::external_user;
use crate::domain::rules::DomainResult;

/// Someone to invite: their email, when their access ends (None: never), and the time zone that
/// date is read in until they register (the inviting admin's).
#[derive(Debug, Clone)]
pub struct Invitation {
    pub email: EmailAddress,
    pub expires_on: Option<Date>,
    pub time_zone: String,
}

/// Invites an external user and emails them a registration link; returns their id.
pub fn invite(
    by: &Acting<Admin>,
    input: &Invitation,
    settings: &Settings,
    conn: &mut DbConnection,
) -> DomainResult<i64> {
    write_transaction(conn, |conn| {
        external_user::invite(
            conn,
            by.organization_id(),
            &input.email,
            input.expires_on,
            &input.time_zone,
            &by.inviter(),
            settings,
            &by.actor(),
        )
    })
}

/// Sends a new registration link; an Expired person needs a new expiry (`new_expiry`).
pub fn resend(
    by: &Acting<Admin>,
    external_user_id: i64,
    new_expiry: Option<Option<Date>>,
    settings: &Settings,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        external_user::resend(
            conn,
            by.organization_id(),
            external_user_id,
            new_expiry,
            &by.inviter(),
            settings,
            &by.actor(),
        )
    })
}

/// Changes when an Active or Suspended external user's access ends.
pub fn change_expiry(
    by: &Acting<Admin>,
    external_user_id: i64,
    expires_on: Option<Date>,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        external_user::change_expiry(
            conn,
            by.organization_id(),
            external_user_id,
            expires_on,
            &by.actor(),
        )
    })
}

/// Replaces what an external user may reach: whole API groups, and single APIs.
pub fn set_access(
    by: &Acting<Admin>,
    external_user_id: i64,
    group_ids: &[i64],
    api_ids: &[i64],
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        external_user::set_access(
            conn,
            by.organization_id(),
            external_user_id,
            group_ids,
            api_ids,
            &by.actor(),
        )
    })
}

row_commands! {
    Admin:
    /// Suspends an Active external user: their sessions end at the next request.
    suspend(i64) => external_user::suspend;
    reactivate(i64) => external_user::reactivate;
    /// Deletes an external user (their account too when it has nothing else).
    delete(i64) => external_user::delete;
}
