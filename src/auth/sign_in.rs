//! Checking credentials and starting sessions, shared by the sign-in and setup pages.

use crate::auth::session::{self, NewSession};
use crate::db::write_transaction;
use crate::domain::account::{self, Account, EmailAddress};
use crate::domain::audit::{self, Actor};
use crate::domain::organization;
use crate::error::AppError;
use crate::state::AppState;

/// The account whose email and password match, or None. Unknown emails cost the same bcrypt
/// verification as wrong passwords, so timing does not tell which emails have accounts.
pub async fn authenticate(
    state: &AppState,
    email: &str,
    password: &str,
) -> Result<Option<Account>, AppError> {
    let account = match EmailAddress::parse(email) {
        Ok(email) => {
            state
                .db(move |conn| account::find_by_email(conn, &email))
                .await?
        }
        Err(_) => None,
    };
    let hash = account.as_ref().and_then(|a| a.password_hash.as_deref());
    let matches = state.hasher.verify(password, hash).await;
    Ok(account.filter(|_| matches))
}

/// Who is starting a session and from where.
pub struct SessionStart {
    pub account_id: i64,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    /// The session the browser presented before, ended now so its id cannot be reused.
    pub previous_session_hash: Option<String>,
}

/// Starts a fresh session (a new id at every sign-in) in the account's default organization and
/// returns the cookie value.
pub async fn start_session(state: &AppState, start: SessionStart) -> Result<String, AppError> {
    let now = state.now();
    let policy = state.session_policy();
    state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                if let Some(previous) = &start.previous_session_hash {
                    session::delete(conn, previous)?;
                }
                let organization_id = organization::default_for_account(conn, start.account_id)?;
                let cookie = session::create(
                    conn,
                    &NewSession {
                        account_id: start.account_id,
                        organization_id,
                        user_agent: start.user_agent.clone(),
                        ip: start.ip.clone(),
                    },
                    now,
                    policy,
                )?;
                account::record_sign_in(conn, start.account_id, now)?;
                let actor = Actor {
                    account_id: Some(start.account_id),
                    ip: start.ip.clone(),
                    at: now,
                };
                audit::record(
                    conn,
                    &actor.event(organization_id, "account.signed-in", None),
                )?;
                Ok::<_, diesel::result::Error>(cookie)
            })
        })
        .await
}
