//! Brute-force protection: attempts at a secret counted per person and per client address.
//!
//! The same counter guards every place where a person types something to prove who they are, and
//! the requests that send mail to an address somebody typed:
//! - **Proofs of identity** ([`Scope::Account`], [`Scope::Address`]): sign-in passwords, two-factor
//!   codes, and the "current password" of the profile and the expired-password page. The subject
//!   of an account is its id, or, when no account has the email, the normalised email (`invalid:`
//!   and the input for input that is not an email at all), so unknown emails lock exactly like
//!   known ones and locking does not tell which emails exist. The 10th failure of an account
//!   locks it, the 50th of an address (so one address cannot sweep many accounts either).
//! - **Client access tokens** typed on My Partner ([`Scope::ClientTokenAccount`] per account,
//!   [`Scope::ClientTokenAddress`] per address): 10 and 50 unknown tokens.
//! - **"Forgot password" requests** ([`Scope::ResetEmail`] per typed email, [`Scope::ResetAddress`]
//!   per address): every request counts, not only failures; the 3rd for one email (20th from one
//!   address) locks it, so a victim's mailbox cannot be flooded.
//! - **Schedule** ([`lock_delay`]): the attempt that reaches the threshold locks the subject for
//!   1 minute, and each one after it (once the lock has passed) for twice as long, capped at 15
//!   minutes. For an account: failure 10 → 1 min, 11 → 2 min, 12 → 4 min, 13 → 8 min, 14 and on →
//!   15 min.
//! - **While locked** an attempt is refused without checking the secret (sign-in still spends the
//!   bcrypt time on the dummy hash and answers exactly like a wrong password); it is not counted
//!   and does not extend the lock.
//! - **Window**: a count starts over after 15 quiet minutes, that is when its last attempt, and
//!   the end of its lock if it had one, are both at least 15 minutes old ([`WINDOW`]).
//! - **Success** gives back the attempt [`admit`] reserved ([`release`]); earlier failures stay.
//!   Only a *complete* sign-in forgets the account's failures ([`reset`]): after the password
//!   when no second factor is asked, else after the right code. So knowing the password does not
//!   buy fresh two-factor guesses.
//!
//! **Atomic, before the check.** [`admit`] counts an attempt as a failure *before* the secret is
//! checked, in one write transaction over both keys: an upsert that increments the count unless
//! the subject is locked (`db::count_sign_in_failure`), then the lock once the count reaches the
//! threshold. Parallel attempts therefore cannot all pass a check that reads 9: the attempt that
//! counts the 10th failure locks the account, and every attempt counted after it is refused, so at
//! most 10 secrets are ever checked before the lock, however many requests run at once.

use diesel::prelude::*;
use time::{Duration, PrimitiveDateTime};

use crate::db::schema::sign_in_throttles;
use crate::db::{self, DbConnection, write_transaction};
use crate::domain::account::EmailAddress;
use crate::domain::ids::AccountId;

/// Failures of one account (or unknown email) before it is locked.
pub const ACCOUNT_THRESHOLD: i32 = 10;
/// Failures from one client address before it is locked.
pub const ADDRESS_THRESHOLD: i32 = 50;
/// "Forgot password" requests for one email before it is locked.
pub const RESET_EMAIL_THRESHOLD: i32 = 3;
/// "Forgot password" requests from one address before it is locked.
pub const RESET_ADDRESS_THRESHOLD: i32 = 20;
/// The lock of the failure that reaches the threshold; each further failure doubles it.
pub const FIRST_DELAY: Duration = Duration::minutes(1);
/// The longest lock.
pub const MAX_DELAY: Duration = Duration::minutes(15);
/// Quiet time after which a count starts over.
pub const WINDOW: Duration = Duration::minutes(15);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Proofs of identity (password, two-factor code, current password) of one account.
    Account,
    /// Proofs of identity from one client address.
    Address,
    /// Unknown client access tokens typed by one account.
    ClientTokenAccount,
    /// Unknown client access tokens typed from one address.
    ClientTokenAddress,
    /// "Forgot password" requests for one email.
    ResetEmail,
    /// "Forgot password" requests from one address.
    ResetAddress,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Address => "address",
            Self::ClientTokenAccount => "client-token-account",
            Self::ClientTokenAddress => "client-token-address",
            Self::ResetEmail => "reset-email",
            Self::ResetAddress => "reset-address",
        }
    }

    pub fn threshold(self) -> i32 {
        match self {
            Self::Account | Self::ClientTokenAccount => ACCOUNT_THRESHOLD,
            Self::Address | Self::ClientTokenAddress => ADDRESS_THRESHOLD,
            Self::ResetEmail => RESET_EMAIL_THRESHOLD,
            Self::ResetAddress => RESET_ADDRESS_THRESHOLD,
        }
    }
}

/// One counted subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleKey {
    pub scope: Scope,
    pub subject: String,
}

impl ThrottleKey {
    /// A known account.
    pub fn account(account_id: AccountId) -> Self {
        Self {
            scope: Scope::Account,
            subject: account_id.to_string(),
        }
    }

    /// An email no account has, normalised as accounts store theirs. Input that is not an email
    /// at all gets an `invalid:` prefix, so it can never name an account id or a real email.
    pub fn unknown_email(input: &str) -> Self {
        Self {
            scope: Scope::Account,
            subject: email_subject(input),
        }
    }

    /// A client address.
    pub fn address(ip: &str) -> Self {
        Self {
            scope: Scope::Address,
            subject: ip.to_owned(),
        }
    }
}

/// A typed email as a subject: normalised like accounts store theirs, or `invalid:` and the
/// (bounded) input.
fn email_subject(input: &str) -> String {
    match EmailAddress::parse(input) {
        Ok(email) => email.as_str().to_owned(),
        Err(_) => {
            // Control characters become U+FFFD: PostgreSQL refuses NUL in text.
            let input: String = input
                .trim()
                .to_lowercase()
                .chars()
                .take(254)
                .map(|c| if c.is_control() { '\u{fffd}' } else { c })
                .collect();
            format!("invalid:{input}")
        }
    }
}

/// What one attempt is counted against: who (an account, or a typed email) and, when known, the
/// client address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleKeys {
    pub subject: ThrottleKey,
    /// None when the client address is unknown.
    pub address: Option<ThrottleKey>,
}

impl ThrottleKeys {
    /// A proof of identity: a sign-in password, a two-factor code, a current password.
    pub fn identity(subject: ThrottleKey, ip: Option<&str>) -> Self {
        Self {
            subject,
            address: ip.map(ThrottleKey::address),
        }
    }

    /// A client access token typed by an account.
    pub fn client_token(account_id: AccountId, ip: Option<&str>) -> Self {
        Self {
            subject: ThrottleKey {
                scope: Scope::ClientTokenAccount,
                subject: account_id.to_string(),
            },
            address: ip.map(|ip| ThrottleKey {
                scope: Scope::ClientTokenAddress,
                subject: ip.to_owned(),
            }),
        }
    }

    /// A "forgot password" request for a typed email, whether or not an account has it.
    pub fn reset_request(email: &str, ip: Option<&str>) -> Self {
        Self {
            subject: ThrottleKey {
                scope: Scope::ResetEmail,
                subject: email_subject(email),
            },
            address: ip.map(|ip| ThrottleKey {
                scope: Scope::ResetAddress,
                subject: ip.to_owned(),
            }),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &ThrottleKey> {
        std::iter::once(&self.subject).chain(self.address.as_ref())
    }
}

/// How long the `failures`-th failure locks a subject of this scope, if at all: nothing below the
/// threshold, then 1 min at the threshold, doubling with each further failure, capped at 15 min
/// (account: 10 → 1, 11 → 2, 12 → 4, 13 → 8, 14+ → 15 minutes).
pub fn lock_delay(scope: Scope, failures: i32) -> Option<Duration> {
    let beyond = failures.checked_sub(scope.threshold())?;
    if beyond < 0 {
        return None;
    }
    // 1 min × 2^beyond, without overflow: from 2^4 = 16 min on, the cap applies.
    let delay = if beyond >= 4 {
        MAX_DELAY
    } else {
        FIRST_DELAY * (1 << beyond)
    };
    Some(delay.min(MAX_DELAY))
}

/// Whether an attempt may go on to the password check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Counted as a failure in advance; undo with [`reset`] / [`release`] if it succeeds.
    Admitted,
    /// A key is locked until then; nothing was counted.
    Locked { until: PrimitiveDateTime },
}

enum Refusal {
    Locked(PrimitiveDateTime),
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for Refusal {
    fn from(err: diesel::result::Error) -> Self {
        Self::Db(err)
    }
}

/// Counts this attempt as a failure of every key, atomically and before the password is checked,
/// unless a key is locked (then nothing is counted). Locks each key whose count reaches its
/// threshold. Opens its own write transaction: do not call it inside one.
pub fn admit(
    conn: &mut DbConnection,
    keys: &ThrottleKeys,
    now: PrimitiveDateTime,
) -> QueryResult<Admission> {
    let counted = write_transaction(conn, |conn| {
        for key in keys.iter() {
            let scope = key.scope.as_str();
            let Some(failures) =
                db::count_sign_in_failure(conn, scope, &key.subject, now, now - WINDOW)?
            else {
                let until: Option<Option<PrimitiveDateTime>> = sign_in_throttles::table
                    .find((scope, &key.subject))
                    .select(sign_in_throttles::locked_until)
                    .first(conn)
                    .optional()?;
                // Rolls back what an earlier key counted.
                return Err(Refusal::Locked(until.flatten().unwrap_or(now)));
            };
            if let Some(delay) = lock_delay(key.scope, failures) {
                diesel::update(sign_in_throttles::table.find((scope, &key.subject)))
                    .set(sign_in_throttles::locked_until.eq(now + delay))
                    .execute(conn)?;
            }
        }
        Ok(())
    });
    match counted {
        Ok(()) => Ok(Admission::Admitted),
        Err(Refusal::Locked(until)) => Ok(Admission::Locked { until }),
        Err(Refusal::Db(err)) => Err(err),
    }
}

/// Whether a key is locked now, without counting anything: for steps that check no secret but
/// must not go on for a locked account (sending a two-factor code).
pub fn is_locked(
    conn: &mut DbConnection,
    keys: &ThrottleKeys,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    for key in keys.iter() {
        let until: Option<Option<PrimitiveDateTime>> = sign_in_throttles::table
            .find((key.scope.as_str(), &key.subject))
            .select(sign_in_throttles::locked_until)
            .first(conn)
            .optional()?;
        if until.flatten().is_some_and(|until| until > now) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// After a complete sign-in: forgets the account's failures (and any lock).
pub fn reset(conn: &mut DbConnection, subject: &ThrottleKey) -> QueryResult<()> {
    diesel::delete(sign_in_throttles::table.find((subject.scope.as_str(), &subject.subject)))
        .execute(conn)?;
    Ok(())
}

/// After a right secret (or an attempt that checked none): gives every key back the failure
/// [`admit`] counted in advance, and lifts the lock that reservation set if it reached the
/// threshold. Earlier failures stay.
pub fn release(conn: &mut DbConnection, keys: &ThrottleKeys) -> QueryResult<()> {
    for key in keys.iter() {
        diesel::update(
            sign_in_throttles::table
                .find((key.scope.as_str(), &key.subject))
                .filter(sign_in_throttles::failures.gt(0)),
        )
        .set((
            sign_in_throttles::failures.eq(sign_in_throttles::failures - 1),
            sign_in_throttles::locked_until.eq(None::<PrimitiveDateTime>),
        ))
        .execute(conn)?;
    }
    Ok(())
}

/// Deletes counts that no longer matter (quiet for [`WINDOW`]); returns how many.
pub fn purge_stale(conn: &mut DbConnection, now: PrimitiveDateTime) -> QueryResult<usize> {
    let stale_before = now - WINDOW;
    diesel::delete(
        sign_in_throttles::table
            .filter(sign_in_throttles::updated_at.le(stale_before))
            .filter(
                sign_in_throttles::locked_until
                    .is_null()
                    .or(sign_in_throttles::locked_until.le(stale_before)),
            ),
    )
    .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_lock_from_the_tenth_failure_with_growing_delays() {
        let minutes = |failures| lock_delay(Scope::Account, failures).map(|d| d.whole_minutes());
        assert_eq!(minutes(0), None);
        assert_eq!(minutes(9), None);
        assert_eq!(minutes(10), Some(1));
        assert_eq!(minutes(11), Some(2));
        assert_eq!(minutes(12), Some(4));
        assert_eq!(minutes(13), Some(8));
        assert_eq!(minutes(14), Some(15));
        assert_eq!(minutes(15), Some(15));
        assert_eq!(minutes(1_000), Some(15));
        assert_eq!(minutes(i32::MAX), Some(15));
    }

    #[test]
    fn addresses_lock_from_the_fiftieth_failure() {
        let minutes = |failures| lock_delay(Scope::Address, failures).map(|d| d.whole_minutes());
        assert_eq!(minutes(10), None);
        assert_eq!(minutes(49), None);
        assert_eq!(minutes(50), Some(1));
        assert_eq!(minutes(51), Some(2));
        assert_eq!(minutes(54), Some(15));
        assert_eq!(minutes(i32::MAX), Some(15));
    }

    #[test]
    fn reset_requests_lock_from_the_third_per_email() {
        let minutes = |failures| lock_delay(Scope::ResetEmail, failures).map(|d| d.whole_minutes());
        assert_eq!(minutes(2), None);
        assert_eq!(minutes(3), Some(1));
        assert_eq!(minutes(4), Some(2));
        assert_eq!(lock_delay(Scope::ResetAddress, 19), None);
        assert_eq!(lock_delay(Scope::ResetAddress, 20), Some(FIRST_DELAY));
    }

    #[test]
    fn the_scopes_of_one_secret_never_share_a_row() {
        let token =
            ThrottleKeys::client_token(crate::domain::ids::AccountId::new(7), Some("10.0.0.1"));
        let reset = ThrottleKeys::reset_request("Ada@Example.com", Some("10.0.0.1"));
        let identity = ThrottleKeys::identity(
            ThrottleKey::account(crate::domain::ids::AccountId::new(7)),
            Some("10.0.0.1"),
        );
        let scopes: std::collections::HashSet<&str> = [token, reset, identity]
            .iter()
            .flat_map(|keys| keys.iter().map(|key| key.scope.as_str()))
            .collect();
        assert_eq!(scopes.len(), 6);
        assert_eq!(
            ThrottleKeys::reset_request(" Ada@Example.com", None)
                .subject
                .subject,
            "ada@example.com"
        );
    }

    #[test]
    fn negative_counts_never_lock() {
        assert_eq!(lock_delay(Scope::Account, -1), None);
        assert_eq!(lock_delay(Scope::Account, i32::MIN), None);
    }

    #[test]
    fn unknown_emails_are_normalised_and_never_look_like_ids() {
        assert_eq!(
            ThrottleKey::unknown_email("  Nobody@Example.COM ").subject,
            "nobody@example.com"
        );
        assert_eq!(ThrottleKey::unknown_email(" 42 ").subject, "invalid:42");
        assert_eq!(
            ThrottleKey::unknown_email("a\u{0}b").subject,
            "invalid:a\u{fffd}b"
        );
        assert_eq!(
            ThrottleKey::account(crate::domain::ids::AccountId::new(42)).subject,
            "42"
        );
        assert_eq!(
            ThrottleKey::unknown_email(&"x".repeat(1_000)).subject.len(),
            "invalid:".len() + 254
        );
    }
}
