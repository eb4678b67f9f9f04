//! Two-factor authentication by emailed code: whether an organization asks for it, issuing codes
//! (6 random digits, stored as SHA-256, valid 10 minutes, single use, 5 wrong tries void it) and
//! trusted devices for the "every N days" mode.

use diesel::prelude::*;
use rand::Rng;
use time::{Duration, PrimitiveDateTime};

use crate::auth::token::{constant_time_eq, hash_token, random_token};
use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::schema::{trusted_devices, two_factor_codes};
use crate::domain::outbox::{self, OutgoingEmail};
use crate::domain::policy::{self, TwoFactorMode};
use crate::i18n::Lang;
use crate::mail::compose;

pub const CODE_LIFETIME: Duration = Duration::minutes(10);
pub const MAX_ATTEMPTS: i32 = 5;
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
    account_id: i64,
    organization_id: i64,
    trusted_cookie: Option<&str>,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    let policy = policy::load(conn, organization_id)?;
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

/// Whether the session has an unused, unexpired, not voided code for the organization.
pub fn has_live_code(
    conn: &mut DbConnection,
    session_hash: &str,
    organization_id: i64,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    let count: i64 = two_factor_codes::table
        .filter(two_factor_codes::session_hash.eq(session_hash))
        .filter(two_factor_codes::organization_id.eq(organization_id))
        .filter(two_factor_codes::used_at.is_null())
        .filter(two_factor_codes::attempts.lt(MAX_ATTEMPTS))
        .filter(two_factor_codes::expires_at.gt(now))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Issues a new code (voiding the session's earlier unused ones for the organization) and queues
/// it by email, in the caller's transaction.
pub fn issue(
    conn: &mut DbConnection,
    session_hash: &str,
    organization_id: i64,
    recipient: &Recipient<'_>,
    settings: &Settings,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    use crate::db::schema::organizations;
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
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Verified,
    Wrong {
        remaining: i32,
    },
    /// Too many wrong tries (or no code at all): a new one must be sent.
    Voided,
    Expired,
}

/// Checks a code against the session's newest code for the organization; a right code is used up.
pub fn verify(
    conn: &mut DbConnection,
    session_hash: &str,
    organization_id: i64,
    code: &str,
    now: PrimitiveDateTime,
) -> QueryResult<Verification> {
    let newest: Option<(
        i64,
        String,
        i32,
        PrimitiveDateTime,
        Option<PrimitiveDateTime>,
    )> = two_factor_codes::table
        .filter(two_factor_codes::session_hash.eq(session_hash))
        .filter(two_factor_codes::organization_id.eq(organization_id))
        .order(two_factor_codes::id.desc())
        .select((
            two_factor_codes::id,
            two_factor_codes::code_hash,
            two_factor_codes::attempts,
            two_factor_codes::expires_at,
            two_factor_codes::used_at,
        ))
        .first(conn)
        .optional()?;
    let Some((id, code_hash, attempts, expires_at, used_at)) = newest else {
        return Ok(Verification::Voided);
    };
    if used_at.is_some() || attempts >= MAX_ATTEMPTS {
        return Ok(Verification::Voided);
    }
    if now >= expires_at {
        return Ok(Verification::Expired);
    }
    let code = code.trim();
    if constant_time_eq(&hash_token(code), &code_hash) {
        // Used once: the update only wins while the code is still unused.
        let used = diesel::update(
            two_factor_codes::table
                .find(id)
                .filter(two_factor_codes::used_at.is_null()),
        )
        .set(two_factor_codes::used_at.eq(now))
        .execute(conn)?;
        return Ok(if used == 1 {
            Verification::Verified
        } else {
            Verification::Voided
        });
    }
    diesel::update(two_factor_codes::table.find(id))
        .set(two_factor_codes::attempts.eq(two_factor_codes::attempts + 1))
        .execute(conn)?;
    let remaining = MAX_ATTEMPTS - attempts - 1;
    Ok(if remaining <= 0 {
        Verification::Voided
    } else {
        Verification::Wrong { remaining }
    })
}

/// Trusts this device for the organization for `days`; returns the new cookie value (the new
/// token added to those the cookie already held).
pub fn trust_device(
    conn: &mut DbConnection,
    account_id: i64,
    organization_id: i64,
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
