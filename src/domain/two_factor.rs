//! Two-factor authentication by emailed code: whether an organization asks for it, issuing codes
//! and checking them, and trusted devices for the "every N days" mode.
//!
//! Guessing a code is made hopeless by four limits (each wrong code also counts toward the
//! account's sign-in lock in `domain::throttle`, which the caller checks first):
//! - a code is 6 random digits, stored as SHA-256, valid 10 minutes, used once;
//! - a code takes [`MAX_ATTEMPTS`] tries, each reserved atomically before the comparison;
//! - one pending sign-in (a session waiting for a code for one organization) is sent at most
//!   [`MAX_CODES`] codes, at least [`RESEND_COOLDOWN`] apart;
//! - after [`MAX_VOIDED_CODES`] codes used up their tries, the pending sign-in must start over
//!   with the password.

use diesel::prelude::*;
use rand::Rng;
use time::{Duration, PrimitiveDateTime};

use crate::config::Settings;
use crate::crypto::token::{constant_time_eq, hash_token, random_token};
use crate::db::DbConnection;
use crate::db::schema::{trusted_devices, two_factor_codes};
use crate::domain::ids::{AccountId, OrganizationId};
use crate::domain::outbox::{self, OutgoingEmail};
use crate::domain::policy::{self, TwoFactorMode};
use crate::i18n::Lang;
use crate::mail::compose;

pub const CODE_LIFETIME: Duration = Duration::minutes(10);
/// Tries one code takes before it is void.
pub const MAX_ATTEMPTS: i32 = 5;
/// Codes one pending sign-in is sent: the first and five more on request.
pub const MAX_CODES: usize = 6;
/// Codes of one pending sign-in that may be voided by wrong tries before it must start over.
pub const MAX_VOIDED_CODES: usize = 2;
/// The shortest time between two codes for one pending sign-in.
pub const RESEND_COOLDOWN: Duration = Duration::seconds(30);
/// Tokens kept in one trusted-device cookie (one per organization verified on the device).
const MAX_TRUSTED_TOKENS: usize = 8;

/// The tokens of a trusted-device cookie value.
pub fn cookie_tokens(cookie: Option<&str>) -> Vec<&str> {
    cookie
        .unwrap_or_default()
        .split('.')
        .filter(|token| !token.is_empty())
        .collect()
}

/// Whether acting in the organization needs a code now.
pub fn required(
    conn: &mut DbConnection,
    account_id: AccountId,
    organization_id: OrganizationId,
    trusted_cookie: Option<&str>,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    let policy = policy::load(conn, organization_id)?;
    if policy.two_factor_mode != TwoFactorMode::Off
        && crate::domain::sso::exempts_from_two_factor(conn, account_id, organization_id)?
    {
        return Ok(false);
    }
    match policy.two_factor_mode {
        TwoFactorMode::Off => Ok(false),
        TwoFactorMode::Always => Ok(true),
        TwoFactorMode::Periodic => {
            let hashes: Vec<String> = cookie_tokens(trusted_cookie)
                .into_iter()
                .map(hash_token)
                .collect();
            if hashes.is_empty() {
                return Ok(true);
            }
            let trusted: i64 = trusted_devices::table
                .filter(trusted_devices::token_hash.eq_any(&hashes))
                .filter(trusted_devices::account_id.eq(account_id))
                .filter(trusted_devices::organization_id.eq(organization_id))
                .filter(trusted_devices::expires_at.gt(now))
                .count()
                .get_result(conn)?;
            Ok(trusted == 0)
        }
    }
}

/// Who receives the code.
pub struct Recipient<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub language: Option<&'a str>,
}

fn random_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// The codes one pending sign-in was sent, oldest first.
struct SentCodes(Vec<SentCode>);

#[derive(Queryable)]
struct SentCode {
    issued_at: PrimitiveDateTime,
    attempts: i32,
    expires_at: PrimitiveDateTime,
    used_at: Option<PrimitiveDateTime>,
}

impl SentCodes {
    fn load(
        conn: &mut DbConnection,
        session_hash: &str,
        organization_id: OrganizationId,
    ) -> QueryResult<Self> {
        two_factor_codes::table
            .filter(two_factor_codes::session_hash.eq(session_hash))
            .filter(two_factor_codes::organization_id.eq(organization_id))
            .order(two_factor_codes::id.asc())
            .select((
                two_factor_codes::issued_at,
                two_factor_codes::attempts,
                two_factor_codes::expires_at,
                two_factor_codes::used_at,
            ))
            .load(conn)
            .map(Self)
    }

    fn has_live(&self, now: PrimitiveDateTime) -> bool {
        self.0.last().is_some_and(|code| {
            code.used_at.is_none() && code.attempts < MAX_ATTEMPTS && code.expires_at > now
        })
    }

    fn voided(&self) -> usize {
        self.0
            .iter()
            .filter(|code| code.attempts >= MAX_ATTEMPTS)
            .count()
    }
}

/// When a code is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    /// The code page was opened: send one only when the session has no live code.
    PageOpened,
    /// The person asked for a new code.
    Resend,
}

/// What asking for a code did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRequest {
    Sent,
    /// The page was opened while a code is live: nothing sent.
    AlreadyLive,
    /// The last code went out less than [`RESEND_COOLDOWN`] ago: nothing sent.
    TooSoon {
        wait_seconds: i64,
    },
    /// The pending sign-in was sent every code it may have, or too many were voided: it must
    /// start over with the password.
    Exhausted,
    /// Not sent: a member with an authenticator app is asked for the app's code first, and is
    /// never emailed one when the organization turned that fallback off.
    NotOffered,
}

/// Issues a new code when the limits allow (voiding the session's earlier unused ones for the
/// organization) and queues it by email. Run it in a write transaction: the session's row is
/// locked first, so parallel requests of one session are counted one after the other.
pub fn request_code(
    conn: &mut DbConnection,
    session_hash: &str,
    organization_id: OrganizationId,
    recipient: &Recipient<'_>,
    occasion: Occasion,
    settings: &Settings,
    now: PrimitiveDateTime,
) -> QueryResult<CodeRequest> {
    use crate::db::schema::organizations;
    crate::db::lock_session_row(conn, session_hash)?;
    let sent = SentCodes::load(conn, session_hash, organization_id)?;
    if occasion == Occasion::PageOpened && sent.has_live(now) {
        return Ok(CodeRequest::AlreadyLive);
    }
    if sent.0.len() >= MAX_CODES || sent.voided() >= MAX_VOIDED_CODES {
        return Ok(CodeRequest::Exhausted);
    }
    if let Some(last) = sent.0.last() {
        let ready_at = last.issued_at + RESEND_COOLDOWN;
        if ready_at > now {
            let wait = ready_at - now;
            // Whole seconds, rounded up, so "wait 0 seconds" is never shown.
            let wait_seconds = wait.whole_seconds() + i64::from(wait.subsec_nanoseconds() > 0);
            return Ok(CodeRequest::TooSoon { wait_seconds });
        }
    }
    diesel::update(
        two_factor_codes::table
            .filter(two_factor_codes::session_hash.eq(session_hash))
            .filter(two_factor_codes::organization_id.eq(organization_id))
            .filter(two_factor_codes::used_at.is_null()),
    )
    .set(two_factor_codes::used_at.eq(now))
    .execute(conn)?;
    let code = random_code();
    let expires_at = now + CODE_LIFETIME;
    diesel::insert_into(two_factor_codes::table)
        .values((
            two_factor_codes::session_hash.eq(session_hash),
            two_factor_codes::organization_id.eq(organization_id),
            two_factor_codes::code_hash.eq(hash_token(&code)),
            two_factor_codes::attempts.eq(0),
            two_factor_codes::issued_at.eq(now),
            two_factor_codes::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    let organization: String = organizations::table
        .find(organization_id)
        .select(organizations::name)
        .first(conn)?;
    let lang = recipient
        .language
        .and_then(Lang::from_tag)
        .unwrap_or_default();
    let content = compose::two_factor_code(lang, recipient.name, &organization, &code)
        .map_err(|err| diesel::result::Error::QueryBuilderError(Box::new(err)))?;
    outbox::enqueue(
        conn,
        &OutgoingEmail {
            organization_id: Some(organization_id),
            kind: "two-factor-code",
            recipient: recipient.email,
            content,
            deadline: expires_at,
        },
        settings.message_id_domain(),
        now,
    )?;
    Ok(CodeRequest::Sent)
}

/// Whether the pending sign-in was sent a code by email (a member with an authenticator app
/// asked for one instead).
pub fn was_sent_code(
    conn: &mut DbConnection,
    session_hash: &str,
    organization_id: OrganizationId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        two_factor_codes::table
            .filter(two_factor_codes::session_hash.eq(session_hash))
            .filter(two_factor_codes::organization_id.eq(organization_id)),
    ))
    .get_result(conn)
}

/// Forgets every code of a session (its pending sign-in ended).
pub fn forget_codes(conn: &mut DbConnection, session_hash: &str) -> QueryResult<usize> {
    diesel::delete(two_factor_codes::table.filter(two_factor_codes::session_hash.eq(session_hash)))
        .execute(conn)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Verified,
    Wrong {
        remaining: i32,
    },
    /// This wrong code used up the code's last try; `exhausted` when too many codes of the
    /// pending sign-in are now void and it must start over.
    Voided {
        exhausted: bool,
    },
    /// The newest code expired: nothing was compared.
    Expired,
    /// No code to compare with (none sent, used, or already void): nothing was compared.
    NoCode,
    /// A member with an authenticator app typed a code that is neither the app's (for now, and
    /// not used before), nor a recovery code, nor a live emailed code.
    WrongAppCode,
}

impl Verification {
    /// Whether a code was compared (and so the attempt counts toward the sign-in lock).
    pub fn compared(self) -> bool {
        !matches!(self, Self::Expired | Self::NoCode)
    }
}

/// Checks a code against the session's newest code for the organization; a right code is used
/// up. Run it in a write transaction. The try is reserved on the code before the comparison (a
/// conditional update), so parallel tries cannot exceed [`MAX_ATTEMPTS`].
pub fn verify(
    conn: &mut DbConnection,
    session_hash: &str,
    organization_id: OrganizationId,
    code: &str,
    now: PrimitiveDateTime,
) -> QueryResult<Verification> {
    crate::db::lock_session_row(conn, session_hash)?;
    let newest: Option<(i64, String, PrimitiveDateTime)> = two_factor_codes::table
        .filter(two_factor_codes::session_hash.eq(session_hash))
        .filter(two_factor_codes::organization_id.eq(organization_id))
        .filter(two_factor_codes::used_at.is_null())
        .filter(two_factor_codes::attempts.lt(MAX_ATTEMPTS))
        .order(two_factor_codes::id.desc())
        .select((
            two_factor_codes::id,
            two_factor_codes::code_hash,
            two_factor_codes::expires_at,
        ))
        .first(conn)
        .optional()?;
    let Some((id, code_hash, expires_at)) = newest else {
        return Ok(Verification::NoCode);
    };
    if now >= expires_at {
        return Ok(Verification::Expired);
    }
    let reserved = diesel::update(
        two_factor_codes::table
            .find(id)
            .filter(two_factor_codes::used_at.is_null())
            .filter(two_factor_codes::attempts.lt(MAX_ATTEMPTS)),
    )
    .set(two_factor_codes::attempts.eq(two_factor_codes::attempts + 1))
    .execute(conn)?;
    if reserved == 0 {
        return Ok(Verification::NoCode);
    }
    if constant_time_eq(&hash_token(code.trim()), &code_hash) {
        diesel::update(two_factor_codes::table.find(id))
            .set(two_factor_codes::used_at.eq(now))
            .execute(conn)?;
        return Ok(Verification::Verified);
    }
    let attempts: i32 = two_factor_codes::table
        .find(id)
        .select(two_factor_codes::attempts)
        .first(conn)?;
    let remaining = MAX_ATTEMPTS - attempts;
    if remaining > 0 {
        return Ok(Verification::Wrong { remaining });
    }
    let sent = SentCodes::load(conn, session_hash, organization_id)?;
    Ok(Verification::Voided {
        exhausted: sent.voided() >= MAX_VOIDED_CODES || sent.0.len() >= MAX_CODES,
    })
}

/// Trusts this device for the organization for `days`; returns the new cookie value (the new
/// token added to those the cookie already held).
pub fn trust_device(
    conn: &mut DbConnection,
    account_id: AccountId,
    organization_id: OrganizationId,
    days: i32,
    existing_cookie: Option<&str>,
    now: PrimitiveDateTime,
) -> QueryResult<String> {
    let token = random_token();
    diesel::insert_into(trusted_devices::table)
        .values((
            trusted_devices::token_hash.eq(hash_token(&token)),
            trusted_devices::account_id.eq(account_id),
            trusted_devices::organization_id.eq(organization_id),
            trusted_devices::expires_at.eq(now + Duration::days(i64::from(days))),
        ))
        .execute(conn)?;
    let mut tokens = cookie_tokens(existing_cookie);
    tokens.truncate(MAX_TRUSTED_TOKENS - 1);
    tokens.insert(0, &token);
    Ok(tokens.join("."))
}

/// Removes expired codes and trusted devices.
pub fn purge_expired(conn: &mut DbConnection, now: PrimitiveDateTime) -> QueryResult<usize> {
    let codes =
        diesel::delete(two_factor_codes::table.filter(two_factor_codes::expires_at.le(now)))
            .execute(conn)?;
    let devices =
        diesel::delete(trusted_devices::table.filter(trusted_devices::expires_at.le(now)))
            .execute(conn)?;
    Ok(codes + devices)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_six_digits() {
        for _ in 0..100 {
            let code = random_code();
            assert_eq!(code.len(), 6);
            assert!(code.chars().all(|c| c.is_ascii_digit()));
        }
    }
}
