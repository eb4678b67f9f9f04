//! Accounts: the first one (setup), registering as an external user, resetting a forgotten
//! password, and an account's own details and password.

use crate::app::access::{Me, Visitor};
use crate::config::Settings;
use crate::db::{DbConnection, write_transaction};
use crate::domain::account::{self, Account, EmailAddress};
use crate::domain::external_registration::{
    self, OpenRegistration, Registration, RegistrationProblem,
};
use crate::domain::organization::Organization;
use crate::domain::password_reset::{self, ResetError};
use crate::domain::profile::{self, ProfileDetails};
use crate::domain::rules::DomainResult;
use crate::domain::setup::{self, FirstAdmin, SetupError};

/// Creates the first organization and its administrator with the one-time setup link.
pub fn complete_setup(
    by: &Visitor,
    token: &str,
    admin: &FirstAdmin<'_>,
    conn: &mut DbConnection,
) -> Result<(Account, Organization), SetupError> {
    setup::complete(conn, token, admin, by.origin(), by.at())
}

/// Emails a reset link when an account with a password has the address and the request limits
/// allow; true when one was queued (never shown to the visitor).
pub fn request_password_reset(
    by: &Visitor,
    email: &EmailAddress,
    settings: &Settings,
    conn: &mut DbConnection,
) -> Result<bool, ResetError> {
    password_reset::request(conn, email, settings, by.origin(), by.at())
}

/// Sets a new password (already hashed) with a reset link; every session of the account ends.
/// Returns the account's email, or None for a bad link.
pub fn reset_password(
    by: &Visitor,
    token: &str,
    password_hash: &str,
    conn: &mut DbConnection,
) -> diesel::QueryResult<Option<String>> {
    password_reset::complete(conn, token, password_hash, by.origin(), by.at())
}

/// Registers an invited external user with their link.
pub fn register_external_user(
    by: &Visitor,
    token: &str,
    registration: &Registration<'_>,
    conn: &mut DbConnection,
) -> DomainResult<Result<OpenRegistration, RegistrationProblem>> {
    write_transaction(conn, |conn| {
        external_registration::accept(conn, token, registration, by.origin(), by.at())
    })
}

/// Saves the account's name, language and time zone.
pub fn save_profile(
    me: &Me,
    details: &ProfileDetails,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        profile::update_details(conn, me.account_id(), details, &me.actor()).map_err(Into::into)
    })
}

/// Sets the account's new password (checked and hashed by `app::passwords`): its history and
/// date, the end of its other sessions, and this session's "change required" mark lifted.
pub fn set_password(me: &Me, new_hash: &str, conn: &mut DbConnection) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        account::change_password(
            conn,
            me.account_id(),
            new_hash,
            me.session_hash(),
            &me.actor(),
        )
        .map_err(Into::into)
    })
}
