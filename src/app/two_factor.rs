//! The second step of signing in: sending a code and checking it, under the sign-in lock.
//!
//! Every step first asks the lock (`domain::throttle`): a locked account or address gets no
//! code checked and none sent. A locked account, a pending sign-in that was sent every code it
//! may have, and one with too many voided codes all end the same way: the session is deleted and
//! the person signs in again with the password (which counts toward the lock).

use diesel::QueryResult;

use crate::app::access::Me;
use crate::config::Settings;
use crate::crypto::sealed::SecretKey;
use crate::db::{DbConnection, write_transaction};
use crate::domain::authenticator::{self, SignInCode};
use crate::domain::ids::OrganizationId;
use crate::domain::policy::{self, TwoFactorMode};
use crate::domain::session;
use crate::domain::throttle::{self, Admission, ThrottleKey, ThrottleKeys};
use crate::domain::two_factor::{self, CodeRequest, Occasion, Recipient, Verification};

fn keys(me: &Me) -> ThrottleKeys {
    ThrottleKeys::identity(ThrottleKey::account(me.account_id()), me.ip())
}

/// Deletes the session and its codes: the person starts over with the password.
fn end_pending_sign_in(conn: &mut DbConnection, me: &Me) -> QueryResult<()> {
    two_factor::forget_codes(conn, me.session_hash())?;
    session::delete(conn, me.session_hash())
}

/// How the code page asks for the second step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prompt {
    /// The member has an authenticator app: its code (or a recovery code) is asked for.
    pub app: bool,
    /// A member with an app may ask for an emailed code instead.
    pub email_fallback: bool,
    /// A code was emailed for this pending sign-in.
    pub email_sent: bool,
}

impl Prompt {
    fn of(
        conn: &mut DbConnection,
        me: &Me,
        organization_id: OrganizationId,
        key: Option<&SecretKey>,
    ) -> QueryResult<Self> {
        // Without the key an app's secret cannot be read: its members get emailed codes.
        let app = key.is_some() && authenticator::is_confirmed(conn, me.account_id())?;
        Ok(Self {
            app,
            email_fallback: !app || policy::load(conn, organization_id)?.two_factor_email_fallback,
            email_sent: two_factor::was_sent_code(conn, me.session_hash(), organization_id)?,
        })
    }
}

/// How the code page asks for the second step now.
pub fn prompt(
    me: &Me,
    organization_id: OrganizationId,
    key: Option<&SecretKey>,
    conn: &mut DbConnection,
) -> QueryResult<Prompt> {
    Prompt::of(conn, me, organization_id, key)
}

/// Asks for an emailed code for the organization the session waits on (the lock, the cap and
/// the cooldown decide; a member with an app is emailed one only on request, and only when the
/// organization allows it). `Exhausted` means the pending sign-in was ended.
pub fn request_code(
    me: &Me,
    organization_id: OrganizationId,
    recipient: &Recipient<'_>,
    occasion: Occasion,
    settings: &Settings,
    conn: &mut DbConnection,
) -> QueryResult<(CodeRequest, Prompt)> {
    write_transaction(conn, |conn| {
        let prompt = Prompt::of(conn, me, organization_id, settings.secret_key.as_ref())?;
        let outcome = if throttle::is_locked(conn, &keys(me), me.at())? {
            CodeRequest::Exhausted
        } else if prompt.app && (occasion == Occasion::PageOpened || !prompt.email_fallback) {
            CodeRequest::NotOffered
        } else {
            two_factor::request_code(
                conn,
                me.session_hash(),
                organization_id,
                recipient,
                occasion,
                settings,
                me.at(),
            )?
        };
        if outcome == CodeRequest::Exhausted {
            end_pending_sign_in(conn, me)?;
        }
        let email_sent = prompt.email_sent || outcome == CodeRequest::Sent;
        Ok((
            outcome,
            Prompt {
                email_sent,
                ..prompt
            },
        ))
    })
}

/// After the right code: the renewed session's cookie value, and for "every N days" the
/// trusted-device cookie value with its days.
#[derive(Debug, Clone)]
pub struct Renewed {
    pub session_cookie: String,
    pub trusted_device: Option<(String, i32)>,
    /// Signed in with a recovery code: how many are left.
    pub recovery_codes_left: Option<i64>,
}

/// What entering a code did.
#[derive(Debug, Clone)]
pub enum Entered {
    /// Signed in: the session was renewed.
    Verified(Renewed),
    /// Not signed in yet (a wrong, expired or void code): the page says which.
    Refused(Verification),
    /// The pending sign-in ended (a lock, or too many voided codes).
    StartOver,
}

/// Checks a code for the organization the session waits on: for a member with an authenticator
/// app, the app's code or a recovery code, then (when the organization allows it) an emailed
/// one. The attempt counts toward the account's lock before the code is compared (as a sign-in
/// password does), so parallel guesses cannot pass the limit; an attempt that compared nothing
/// is given back.
pub fn enter_code(
    me: &Me,
    organization_id: OrganizationId,
    code: &str,
    trusted_cookie: Option<&str>,
    key: Option<&SecretKey>,
    conn: &mut DbConnection,
) -> QueryResult<Entered> {
    let keys = keys(me);
    if let Admission::Locked { .. } = throttle::admit(conn, &keys, me.at())? {
        write_transaction(conn, |conn| end_pending_sign_in(conn, me))?;
        return Ok(Entered::StartOver);
    }
    write_transaction(conn, |conn| {
        let app = match key {
            Some(key) => {
                authenticator::check_sign_in_code(conn, key, me.account_id(), code, &me.actor())?
            }
            None => SignInCode::NoApp,
        };
        let email = |conn: &mut DbConnection| {
            two_factor::verify(conn, me.session_hash(), organization_id, code, me.at())
        };
        let (outcome, recovery_codes_left) = match app {
            SignInCode::AppCode => (Verification::Verified, None),
            SignInCode::RecoveryCode { left } => (Verification::Verified, Some(left)),
            SignInCode::NoApp => (email(conn)?, None),
            SignInCode::Refused => {
                let emailed = if policy::load(conn, organization_id)?.two_factor_email_fallback {
                    email(conn)?
                } else {
                    Verification::NoCode
                };
                let outcome = match emailed {
                    Verification::NoCode | Verification::Expired => Verification::WrongAppCode,
                    other => other,
                };
                (outcome, None)
            }
        };
        Ok(match outcome {
            Verification::Verified => {
                let session_cookie =
                    session::renew_after_two_factor(conn, me.session_hash(), organization_id)?;
                let policy = policy::load(conn, organization_id)?;
                let trusted_device = match policy.two_factor_mode {
                    TwoFactorMode::Periodic => Some((
                        two_factor::trust_device(
                            conn,
                            me.account_id(),
                            organization_id,
                            policy.two_factor_days,
                            trusted_cookie,
                            me.at(),
                        )?,
                        policy.two_factor_days,
                    )),
                    _ => None,
                };
                // The sign-in is complete: the account's failures are forgotten.
                throttle::release(conn, &keys)?;
                throttle::reset(conn, &keys.subject)?;
                Entered::Verified(Renewed {
                    session_cookie,
                    trusted_device,
                    recovery_codes_left,
                })
            }
            Verification::Voided { exhausted: true } => {
                end_pending_sign_in(conn, me)?;
                Entered::StartOver
            }
            other => {
                // Nothing was compared: the reserved attempt is given back.
                if !other.compared() {
                    throttle::release(conn, &keys)?;
                }
                Entered::Refused(other)
            }
        })
    })
}
