//! A person's own authenticator app: setting it up (a secret, confirmed by a first code, then
//! recovery codes shown once), new recovery codes and turning it off (both with the current
//! password). Only the signed-in person does this, in the browser: the JSON API has no command
//! for it, as a token must not be able to change how its owner proves who they are.

use crate::app::access::Me;
use crate::app::passwords;
use crate::crypto::sealed::SecretKey;
use crate::crypto::totp::TotpSecret;
use crate::db::{DbConnection, write_transaction};
use crate::domain::account;
use crate::domain::authenticator::{self, AppState, Confirmation};
use crate::error::AppError;
use crate::state::AppState as Server;

/// What the setup page shows: the secret as text, the link the QR code holds, and the QR code.
pub struct SetupView {
    pub secret: TotpSecret,
    pub provisioning_uri: String,
}

fn setup_view(
    conn: &mut DbConnection,
    me: &Me,
    secret: TotpSecret,
) -> diesel::QueryResult<SetupView> {
    let email = account::find(conn, me.account_id())?
        .map(|account| account.email)
        .unwrap_or_default();
    let provisioning_uri = secret.provisioning_uri("Gatehouse", &email);
    Ok(SetupView {
        secret,
        provisioning_uri,
    })
}

/// The account's app, and for an unconfirmed setup its secret to show again.
pub fn current(
    me: &Me,
    key: &SecretKey,
    conn: &mut DbConnection,
) -> diesel::QueryResult<(AppState, Option<SetupView>)> {
    let state = authenticator::state(conn, me.account_id())?;
    let setup = match state {
        AppState::Pending => authenticator::pending_secret(conn, key, me.account_id())?
            .map(|secret| setup_view(conn, me, secret))
            .transpose()?,
        _ => None,
    };
    Ok((state, setup))
}

/// Starts the setup with a new secret (replacing one not confirmed); `false` when the account
/// already has an app.
pub fn begin_setup(me: &Me, key: &SecretKey, conn: &mut DbConnection) -> diesel::QueryResult<bool> {
    write_transaction(conn, |conn| {
        Ok(authenticator::begin_setup(conn, key, me.account_id(), me.at())?.is_some())
    })
}

/// Confirms the setup with the first code from the app.
pub fn confirm_setup(
    me: &Me,
    key: &SecretKey,
    code: &str,
    conn: &mut DbConnection,
) -> diesel::QueryResult<Confirmation> {
    write_transaction(conn, |conn| {
        authenticator::confirm_setup(conn, key, me.account_id(), code, &me.actor())
    })
}

pub fn cancel_setup(me: &Me, conn: &mut DbConnection) -> diesel::QueryResult<()> {
    write_transaction(conn, |conn| {
        authenticator::cancel_setup(conn, me.account_id()).map(drop)
    })
}

/// What a change that needs the current password did.
pub enum WithPassword<T> {
    Done(T),
    /// The password was wrong, missing or locked: its message key.
    PasswordProblem(&'static str),
    /// There is no app to change.
    NoApp,
}

/// Turns the app off after the current password (which counts toward the sign-in lock).
pub async fn turn_off(
    server: &Server,
    me: &Me,
    password: &str,
) -> Result<WithPassword<()>, AppError> {
    if let Some(problem) = passwords::check_current_password(server, me, password).await? {
        return Ok(WithPassword::PasswordProblem(problem));
    }
    let me = me.clone();
    let removed = server
        .write(move |conn| authenticator::remove(conn, me.account_id(), &me.actor()))
        .await?;
    Ok(if removed {
        WithPassword::Done(())
    } else {
        WithPassword::NoApp
    })
}

/// New recovery codes after the current password; the old ones stop working.
pub async fn renew_recovery_codes(
    server: &Server,
    me: &Me,
    password: &str,
) -> Result<WithPassword<Vec<String>>, AppError> {
    if let Some(problem) = passwords::check_current_password(server, me, password).await? {
        return Ok(WithPassword::PasswordProblem(problem));
    }
    let me = me.clone();
    let codes = server
        .write(move |conn| authenticator::renew_recovery_codes(conn, me.account_id(), &me.actor()))
        .await?;
    Ok(codes.map_or(WithPassword::NoApp, WithPassword::Done))
}
