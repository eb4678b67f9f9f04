//! "Forgot password": a single-use link, stored hashed, valid for an hour. Asking always answers
//! the same way, whether or not the email has an account. Using the link ends every session.
//!
//! Requests are limited per typed email and per client address (`domain::throttle`, counted
//! whether or not an account has the email, so the limit tells nothing), and an account has one
//! live link at a time: a new link voids the earlier ones.

use diesel::prelude::*;
use time::{Duration, PrimitiveDateTime};

use crate::config::Settings;
use crate::crypto::token::{hash_token, random_token};
use crate::db::schema::{accounts, password_reset_tokens};
use crate::db::{DbConnection, write_transaction};
use crate::domain::account::{self, EmailAddress};
use crate::domain::audit::{self, Actor, Origin};
use crate::domain::ids::AccountId;
use crate::domain::outbox::{self, OutgoingEmail};
use crate::domain::password_history;
use crate::domain::session;
use crate::domain::throttle::{self, Admission, ThrottleKeys};
use crate::i18n::Lang;
use crate::mail::compose;

pub const LIFETIME: Duration = Duration::hours(1);

#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("email could not be composed: {0}")]
    Compose(#[from] askama::Error),
}

/// Queues a reset email when the address belongs to an account that has a password (people who
/// were invited but never registered use their invitation instead) and the request limits allow.
/// Returns whether one was queued; callers must not tell the visitor.
pub fn request(
    conn: &mut DbConnection,
    email: &EmailAddress,
    settings: &Settings,
    origin: &Origin,
    now: PrimitiveDateTime,
) -> Result<bool, ResetError> {
    let keys = ThrottleKeys::reset_request(email.as_str(), origin.ip.as_deref());
    if let Admission::Locked { until } = throttle::admit(conn, &keys, now)? {
        tracing::info!(%until, "password reset not sent: too many requests");
        return Ok(false);
    }
    write_transaction(conn, |conn| {
        let Some(account) = account::find_by_email(conn, email)? else {
            return Ok(false);
        };
        if account.password_hash.is_none() {
            return Ok(false);
        }
        // One live link per account: the newest.
        diesel::update(
            password_reset_tokens::table
                .filter(password_reset_tokens::account_id.eq(account.id))
                .filter(password_reset_tokens::used_at.is_null()),
        )
        .set(password_reset_tokens::used_at.eq(now))
        .execute(conn)?;
        let token = random_token();
        let expires_at = now + LIFETIME;
        diesel::insert_into(password_reset_tokens::table)
            .values((
                password_reset_tokens::token_hash.eq(hash_token(&token)),
                password_reset_tokens::account_id.eq(account.id),
                password_reset_tokens::created_at.eq(now),
                password_reset_tokens::expires_at.eq(expires_at),
            ))
            .execute(conn)?;
        let lang = account
            .language
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or_default();
        let link = settings.absolute_url(&format!("/reset-password/{token}"));
        outbox::enqueue(
            conn,
            &OutgoingEmail {
                organization_id: None,
                kind: "password-reset",
                recipient: &account.email,
                content: compose::password_reset(lang, &account.name, &link)?,
                deadline: expires_at,
            },
            settings.message_id_domain(),
            now,
        )?;
        let actor = Actor::from_origin(account.id, origin, now);
        audit::record(
            conn,
            &actor.event(
                None,
                "account.password-reset-requested",
                Some(account.email.clone()),
            ),
        )?;
        Ok(true)
    })
}

/// The account a reset link belongs to, if the link is unused and not expired.
pub fn account_for_token(
    conn: &mut DbConnection,
    token: &str,
    now: PrimitiveDateTime,
) -> QueryResult<Option<AccountId>> {
    password_reset_tokens::table
        .filter(password_reset_tokens::token_hash.eq(hash_token(token)))
        .filter(password_reset_tokens::used_at.is_null())
        .filter(password_reset_tokens::expires_at.gt(now))
        .select(password_reset_tokens::account_id)
        .first(conn)
        .optional()
}

/// Sets the new password if the link is still good: the link and every other pending link of the
/// account stop working, and all its sessions end. Returns the account's email, or None for a bad
/// link.
pub fn complete(
    conn: &mut DbConnection,
    token: &str,
    password_hash: &str,
    origin: &Origin,
    now: PrimitiveDateTime,
) -> QueryResult<Option<String>> {
    write_transaction(conn, |conn| {
        let Some(account_id) = account_for_token(conn, token, now)? else {
            return Ok(None);
        };
        diesel::update(accounts::table.find(account_id))
            .set((
                accounts::password_hash.eq(password_hash),
                accounts::password_changed_at.eq(now),
            ))
            .execute(conn)?;
        password_history::record(conn, account_id, password_hash, now)?;
        diesel::update(
            password_reset_tokens::table
                .filter(password_reset_tokens::account_id.eq(account_id))
                .filter(password_reset_tokens::used_at.is_null()),
        )
        .set(password_reset_tokens::used_at.eq(now))
        .execute(conn)?;
        session::delete_all_for_account(conn, account_id)?;
        let email: String = accounts::table
            .find(account_id)
            .select(accounts::email)
            .first(conn)?;
        let actor = Actor::from_origin(account_id, origin, now);
        audit::record(
            conn,
            &actor.event(None, "account.password-reset", Some(email.clone())),
        )?;
        Ok(Some(email))
    })
}
