//! Changing one's own password (the profile and the expired-password page): the current
//! password, the strictest rules among the account's organizations, the confirmation and the
//! password history. Hashing runs on the blocking pool, never on the async executor.

use crate::app::access::Me;
use crate::app::accounts;
use crate::crypto::password::NewPassword;
use crate::domain::ids::AccountId;
use crate::domain::throttle::{self, Admission, ThrottleKey, ThrottleKeys};
use crate::domain::{account, password_history, policy};
use crate::error::AppError;
use crate::state::AppState;

/// A password change as typed.
#[derive(Debug, Clone, Default)]
pub struct PasswordChange {
    pub current_password: String,
    pub password: String,
    pub confirmation: String,
}

/// Why the new password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewPasswordProblem {
    /// A rule (length, special characters): its message key.
    Rule(&'static str),
    /// One of the last `count` passwords of the account.
    Reused(i32),
}

/// What was wrong with each field; nothing set means the change was made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeProblems {
    /// The message key for the current password.
    pub current_password: Option<&'static str>,
    pub password: Option<NewPasswordProblem>,
    /// The confirmation differs from the new password.
    pub confirmation: bool,
}

/// Checks and makes a password change of the signed-in account (see `accounts::set_password`).
///
/// The current password is checked as [`check_current_password`] does, even when the new
/// password is refused, so a typo in both is reported at once.
pub async fn change(
    state: &AppState,
    me: &Me,
    input: &PasswordChange,
) -> Result<Result<(), ChangeProblems>, AppError> {
    let account_id = me.account_id();
    let current_problem = check_current_password(state, me, &input.current_password).await?;
    let rules = state
        .db(move |conn| policy::password_rules_for_account(conn, account_id))
        .await?;
    let password = NewPassword::parse_with(&input.password, rules);
    let mismatch = password.is_ok() && input.password != input.confirmation;
    let password = match password {
        Ok(password) if current_problem.is_none() && !mismatch => password,
        result => {
            return Ok(Err(ChangeProblems {
                current_password: current_problem,
                password: result
                    .err()
                    .map(|err| NewPasswordProblem::Rule(err.message_key())),
                confirmation: mismatch,
            }));
        }
    };
    if let Some(count) = reused(state, account_id, rules.history, &password).await? {
        return Ok(Err(ChangeProblems {
            password: Some(NewPasswordProblem::Reused(count)),
            ..ChangeProblems::default()
        }));
    }
    let new_hash = state.hasher.hash(&password).await?;
    let me = me.clone();
    state
        .db(move |conn| accounts::set_password(&me, &new_hash, conn))
        .await?;
    Ok(Ok(()))
}

/// Checks the signed-in account's current password, typed to prove it is them (a password
/// change, turning off an authenticator app): the message key of the problem, if any.
///
/// It is a proof of identity like a sign-in: the attempt counts toward the account's (and the
/// address's) sign-in lock before it is checked, and while either is locked it is not checked at
/// all, so holding someone's session does not let one guess their password.
pub async fn check_current_password(
    state: &AppState,
    me: &Me,
    typed: &str,
) -> Result<Option<&'static str>, AppError> {
    if typed.is_empty() {
        return Ok(Some("profile-current-password-required"));
    }
    let account_id = me.account_id();
    let keys = ThrottleKeys::identity(ThrottleKey::account(account_id), me.ip());
    let (admission_keys, now) = (keys.clone(), me.at());
    let (stored_hash, admission) = state
        .db(move |conn| {
            let admission = throttle::admit(conn, &admission_keys, now)?;
            Ok::<_, diesel::result::Error>((account::password_hash(conn, account_id)?, admission))
        })
        .await?;
    if let Admission::Locked { .. } = admission {
        return Ok(Some("profile-current-password-locked"));
    }
    if !state.hasher.verify(typed, stored_hash.as_deref()).await {
        return Ok(Some("profile-current-password-wrong"));
    }
    state
        .write(move |conn| throttle::release(conn, &keys))
        .await?;
    Ok(None)
}

/// When the password is one of the account's last `history` ones: `Some(history)`.
pub async fn reused(
    state: &AppState,
    account_id: AccountId,
    history: i32,
    password: &NewPassword,
) -> Result<Option<i32>, AppError> {
    if history <= 0 {
        return Ok(None);
    }
    let hashes = state
        .db(move |conn| password_history::recent(conn, account_id, history))
        .await?;
    Ok(state
        .hasher
        .matches_any(password.expose(), hashes)
        .await
        .then_some(history))
}
