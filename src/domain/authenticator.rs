//! Authenticator apps (TOTP, RFC 6238) and recovery codes: one app per account, set up in two
//! steps (a secret waiting for its first code, then confirmed), and ten single-use recovery codes
//! for a lost phone.
//!
//! The shared secret must be read back to check codes, so it is sealed with the server's secret
//! key (`crypto::sealed`) and bound to its account; recovery codes are random (80 bits) and only
//! their SHA-256 is kept, as for tokens. Each app code is accepted once: the step it matched is
//! stored, and a conditional update makes two requests with the same code race to one winner.

use data_encoding::BASE32_NOPAD;
use diesel::prelude::*;
use rand::RngCore;
use time::PrimitiveDateTime;

use crate::crypto::sealed::SecretKey;
use crate::crypto::token::hash_token;
use crate::crypto::totp::TotpSecret;
use crate::db::DbConnection;
use crate::db::schema::{accounts, authenticator_apps, memberships, organizations, recovery_codes};
use crate::domain::audit::{self, Actor, TargetKind};
use crate::domain::ids::{AccountId, MembershipId, OrganizationId};
use crate::domain::membership;
use crate::domain::rules::{DomainResult, refuse};

/// Recovery codes given at setup (and each time new ones are asked for).
pub const RECOVERY_CODES: usize = 10;
/// 80 random bits, 16 base32 characters: out of reach of guessing (behind the sign-in lock) and
/// of brute force on a leaked hash.
const RECOVERY_CODE_BYTES: usize = 10;

/// What a sealed secret is bound to: a secret copied to another account's row does not open.
fn seal_context(account_id: AccountId) -> String {
    format!("totp:{account_id}")
}

/// The account's app as the profile shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppState {
    None,
    /// Set up but not confirmed with a first code yet.
    Pending,
    Confirmed {
        since: PrimitiveDateTime,
        recovery_codes_left: i64,
    },
}

pub fn state(conn: &mut DbConnection, account_id: AccountId) -> QueryResult<AppState> {
    let confirmed: Option<Option<PrimitiveDateTime>> = authenticator_apps::table
        .find(account_id)
        .select(authenticator_apps::confirmed_at)
        .first(conn)
        .optional()?;
    Ok(match confirmed {
        None => AppState::None,
        Some(None) => AppState::Pending,
        Some(Some(since)) => AppState::Confirmed {
            since,
            recovery_codes_left: recovery_codes::table
                .filter(recovery_codes::account_id.eq(account_id))
                .filter(recovery_codes::used_at.is_null())
                .count()
                .get_result(conn)?,
        },
    })
}

/// Whether the account signs in with an app code (a confirmed app).
pub fn is_confirmed(conn: &mut DbConnection, account_id: AccountId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        authenticator_apps::table
            .find(account_id)
            .filter(authenticator_apps::confirmed_at.is_not_null()),
    ))
    .get_result(conn)
}

/// Starts a setup with a new secret, replacing an unconfirmed one (a new QR code each time the
/// setup starts over). `None` when the account already has a confirmed app: it is turned off
/// first, never replaced silently.
pub fn begin_setup(
    conn: &mut DbConnection,
    key: &SecretKey,
    account_id: AccountId,
    now: PrimitiveDateTime,
) -> QueryResult<Option<TotpSecret>> {
    if is_confirmed(conn, account_id)? {
        return Ok(None);
    }
    let secret = TotpSecret::generate();
    diesel::delete(authenticator_apps::table.find(account_id)).execute(conn)?;
    diesel::insert_into(authenticator_apps::table)
        .values((
            authenticator_apps::account_id.eq(account_id),
            authenticator_apps::secret_sealed
                .eq(key.seal(secret.as_bytes(), &seal_context(account_id))),
            authenticator_apps::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some(secret))
}

/// The secret of the account's unconfirmed setup, to show again (QR code and text).
pub fn pending_secret(
    conn: &mut DbConnection,
    key: &SecretKey,
    account_id: AccountId,
) -> QueryResult<Option<TotpSecret>> {
    let sealed: Option<String> = authenticator_apps::table
        .find(account_id)
        .filter(authenticator_apps::confirmed_at.is_null())
        .select(authenticator_apps::secret_sealed)
        .first(conn)
        .optional()?;
    Ok(sealed.and_then(|sealed| open(key, account_id, &sealed)))
}

fn open(key: &SecretKey, account_id: AccountId, sealed: &str) -> Option<TotpSecret> {
    let opened = key.open(sealed, &seal_context(account_id));
    if opened.is_none() {
        // A different GATEHOUSE_SECRET_KEY than the one that sealed it: the app cannot be used
        // until it is set up again. Logged, as only the operator can mend it.
        tracing::error!(%account_id, "an authenticator secret does not open with the secret key");
    }
    opened.map(TotpSecret::from_bytes)
}

/// What confirming a setup did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    /// The app is on: the recovery codes to show once.
    Confirmed(Vec<String>),
    /// The code does not match the pending secret now.
    WrongCode,
    /// No setup waits for a code (never started, cancelled, or already confirmed).
    NoSetup,
}

/// Confirms the pending setup with a first code; gives the recovery codes and records
/// `account.authenticator-added`. Run it in a write transaction.
pub fn confirm_setup(
    conn: &mut DbConnection,
    key: &SecretKey,
    account_id: AccountId,
    typed: &str,
    actor: &Actor,
) -> QueryResult<Confirmation> {
    let Some(secret) = pending_secret(conn, key, account_id)? else {
        return Ok(Confirmation::NoSetup);
    };
    let Some(step) = secret.verify(typed, actor.at, None) else {
        return Ok(Confirmation::WrongCode);
    };
    let confirmed = diesel::update(
        authenticator_apps::table
            .find(account_id)
            .filter(authenticator_apps::confirmed_at.is_null()),
    )
    .set((
        authenticator_apps::confirmed_at.eq(actor.at),
        authenticator_apps::last_used_step.eq(step),
    ))
    .execute(conn)?;
    if confirmed == 0 {
        return Ok(Confirmation::NoSetup);
    }
    let codes = replace_recovery_codes(conn, account_id)?;
    record(conn, account_id, actor, "account.authenticator-added")?;
    Ok(Confirmation::Confirmed(codes))
}

/// Forgets an unconfirmed setup (a confirmed app stays).
pub fn cancel_setup(conn: &mut DbConnection, account_id: AccountId) -> QueryResult<usize> {
    diesel::delete(
        authenticator_apps::table
            .find(account_id)
            .filter(authenticator_apps::confirmed_at.is_null()),
    )
    .execute(conn)
}

/// Turns the app off: its secret and recovery codes are deleted, and
/// `account.authenticator-removed` recorded. Whether it was on.
pub fn remove(conn: &mut DbConnection, account_id: AccountId, actor: &Actor) -> QueryResult<bool> {
    let was_confirmed = is_confirmed(conn, account_id)?;
    delete_app(conn, account_id)?;
    if was_confirmed {
        record(conn, account_id, actor, "account.authenticator-removed")?;
    }
    Ok(was_confirmed)
}

/// The account's app and its recovery codes, gone.
fn delete_app(conn: &mut DbConnection, account_id: AccountId) -> QueryResult<()> {
    diesel::delete(authenticator_apps::table.find(account_id)).execute(conn)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::account_id.eq(account_id)))
        .execute(conn)?;
    Ok(())
}

/// Whether a member of the organization has an app, and their email (for the reset page).
pub fn member_app(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    membership_id: MembershipId,
) -> DomainResult<(String, bool)> {
    let member = membership::find(conn, organization_id, membership_id)?;
    Ok((member.email, is_confirmed(conn, member.account_id)?))
}

/// An administrator resets a member's app (a lost phone and lost recovery codes): the member
/// signs in with emailed codes until they set one up again. The app guards the account in every
/// organization, so only an account of this organization alone can be reset here, and never the
/// owner's (the owner turns theirs off). Recorded `member.authenticator-reset`.
pub fn reset_for_member(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    membership_id: MembershipId,
    actor: &Actor,
) -> DomainResult<()> {
    let member = membership::find(conn, organization_id, membership_id)?;
    let owner: Option<AccountId> = organizations::table
        .find(organization_id)
        .select(organizations::owner_account_id)
        .first(conn)?;
    if owner == Some(member.account_id) {
        return refuse("authenticator-reset-owner");
    }
    let elsewhere: i64 = memberships::table
        .filter(memberships::account_id.eq(member.account_id))
        .filter(memberships::organization_id.ne(organization_id))
        .count()
        .get_result(conn)?;
    if elsewhere > 0 {
        return refuse("authenticator-reset-other-organizations");
    }
    if !is_confirmed(conn, member.account_id)? {
        return refuse("authenticator-reset-none");
    }
    delete_app(conn, member.account_id)?;
    audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "member.authenticator-reset",
                Some(member.email),
            )
            .on(TargetKind::Member, membership_id),
    )?;
    Ok(())
}

/// New recovery codes for a confirmed app (the old ones stop working); `None` without one.
pub fn renew_recovery_codes(
    conn: &mut DbConnection,
    account_id: AccountId,
    actor: &Actor,
) -> QueryResult<Option<Vec<String>>> {
    if !is_confirmed(conn, account_id)? {
        return Ok(None);
    }
    let codes = replace_recovery_codes(conn, account_id)?;
    record(conn, account_id, actor, "account.recovery-codes-renewed")?;
    Ok(Some(codes))
}

fn replace_recovery_codes(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<Vec<String>> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::account_id.eq(account_id)))
        .execute(conn)?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    // One insert per code: the two backends share no batch-insert syntax through diesel.
    for code in &codes {
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::account_id.eq(account_id),
                recovery_codes::code_hash.eq(hash_token(&normalize_recovery_code(code))),
            ))
            .execute(conn)?;
    }
    Ok(codes)
}

/// `abcd-efgh-ijkl-mnop`: lower-case base32 in groups of four, easy to read out and type.
fn new_recovery_code() -> String {
    let mut bytes = [0u8; RECOVERY_CODE_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    let text = BASE32_NOPAD.encode(&bytes).to_ascii_lowercase();
    text.as_bytes()
        .chunks(4)
        .map(|chunk| std::str::from_utf8(chunk).expect("base32 is ASCII"))
        .collect::<Vec<_>>()
        .join("-")
}

/// A recovery code as typed, without the dashes, spaces and case people add or drop.
fn normalize_recovery_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn looks_like_recovery_code(typed: &str) -> bool {
    normalize_recovery_code(typed).len() == RECOVERY_CODE_BYTES * 8 / 5
}

/// What a code typed at sign-in was, for an account with a confirmed app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInCode {
    /// The app's code for now (the step before or after), not used before.
    AppCode,
    /// One of the unused recovery codes: it is used up now.
    RecoveryCode { left: i64 },
    /// Neither (or already used).
    Refused,
    /// The account has no confirmed app (or its secret does not open): not checked.
    NoApp,
}

/// Checks a sign-in code against the account's app or its recovery codes and uses it up.
/// Run it in a write transaction.
pub fn check_sign_in_code(
    conn: &mut DbConnection,
    key: &SecretKey,
    account_id: AccountId,
    typed: &str,
    actor: &Actor,
) -> QueryResult<SignInCode> {
    let app: Option<(String, Option<i64>)> = authenticator_apps::table
        .find(account_id)
        .filter(authenticator_apps::confirmed_at.is_not_null())
        .select((
            authenticator_apps::secret_sealed,
            authenticator_apps::last_used_step,
        ))
        .first(conn)
        .optional()?;
    let Some((sealed, last_used_step)) = app else {
        return Ok(SignInCode::NoApp);
    };
    let Some(secret) = open(key, account_id, &sealed) else {
        return Ok(SignInCode::NoApp);
    };
    if looks_like_recovery_code(typed) {
        return use_recovery_code(conn, account_id, typed, actor);
    }
    let Some(step) = secret.verify(typed, actor.at, last_used_step) else {
        return Ok(SignInCode::Refused);
    };
    // Only a step later than the stored one is taken: of two requests with one code, one wins.
    let taken = diesel::update(
        authenticator_apps::table.find(account_id).filter(
            authenticator_apps::last_used_step
                .is_null()
                .or(authenticator_apps::last_used_step.lt(step)),
        ),
    )
    .set(authenticator_apps::last_used_step.eq(step))
    .execute(conn)?;
    Ok(if taken == 1 {
        SignInCode::AppCode
    } else {
        SignInCode::Refused
    })
}

fn use_recovery_code(
    conn: &mut DbConnection,
    account_id: AccountId,
    typed: &str,
    actor: &Actor,
) -> QueryResult<SignInCode> {
    let hash = hash_token(&normalize_recovery_code(typed));
    let used = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::account_id.eq(account_id))
            .filter(recovery_codes::code_hash.eq(&hash))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(actor.at))
    .execute(conn)?;
    if used == 0 {
        return Ok(SignInCode::Refused);
    }
    record(conn, account_id, actor, "account.recovery-code-used")?;
    let left = recovery_codes::table
        .filter(recovery_codes::account_id.eq(account_id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(SignInCode::RecoveryCode { left })
}

fn record(
    conn: &mut DbConnection,
    account_id: AccountId,
    actor: &Actor,
    action: &str,
) -> QueryResult<()> {
    let email: String = accounts::table
        .find(account_id)
        .select(accounts::email)
        .first(conn)?;
    audit::record(
        conn,
        &actor
            .event(None, action, Some(email))
            .on(TargetKind::Account, account_id),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_grouped_and_read_back_however_typed() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 19, "{code}");
        assert_eq!(code.matches('-').count(), 3);
        assert!(looks_like_recovery_code(&code));
        let sloppy = code.replace('-', " ").to_ascii_uppercase();
        assert_eq!(
            normalize_recovery_code(&sloppy),
            normalize_recovery_code(&code)
        );
        assert!(!looks_like_recovery_code("123456"));
        assert_ne!(new_recovery_code(), code);
    }
}
