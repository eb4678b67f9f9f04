//! The second step of signing in: sending a code and checking it, under the sign-in lock.
//!
//! Every step first asks the lock (`domain::throttle`): a locked account or address gets no
//! code checked and none sent. A locked account, a pending sign-in that was sent every code it
//! may have, and one with too many voided codes all end the same way: the session is deleted and
//! the person signs in again with the password (which counts toward the lock).

use diesel::QueryResult;

use crate::app::access::Me;
use crate::config::Settings;
use crate::db::{DbConnection, write_transaction};
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

/// Asks for a code for the organization the session waits on (the lock, the cap and the
/// cooldown decide). `Exhausted` means the pending sign-in was ended.
pub fn request_code(
    me: &Me,
    organization_id: OrganizationId,
    recipient: &Recipient<'_>,
    occasion: Occasion,
    settings: &Settings,
    conn: &mut DbConnection,
) -> QueryResult<CodeRequest> {
    write_transaction(conn, |conn| {
        let outcome = if throttle::is_locked(conn, &keys(me), me.at())? {
            CodeRequest::Exhausted
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
        Ok(outcome)
    })
}

/// After the right code: the renewed session's cookie value, and for "every N days" the
/// trusted-device cookie value with its days.
#[derive(Debug, Clone)]
pub struct Renewed {
    pub session_cookie: String,
    pub trusted_device: Option<(String, i32)>,
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

/// Checks a code for the organization the session waits on. The attempt counts toward the
/// account's lock before the code is compared (as a sign-in password does), so parallel guesses
/// cannot pass the limit; an attempt that compared nothing is given back.
pub fn enter_code(
    me: &Me,
    organization_id: OrganizationId,
    code: &str,
    trusted_cookie: Option<&str>,
    conn: &mut DbConnection,
) -> QueryResult<Entered> {
    let keys = keys(me);
    if let Admission::Locked { .. } = throttle::admit(conn, &keys, me.at())? {
        write_transaction(conn, |conn| end_pending_sign_in(conn, me))?;
        return Ok(Entered::StartOver);
    }
    write_transaction(conn, |conn| {
        let outcome = two_factor::verify(conn, me.session_hash(), organization_id, code, me.at())?;
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
