//! Personal access tokens as stored: who owns one, where it acts, what it may do, until when, and
//! when it was last used. The secret itself is never stored, only its SHA-256.

use diesel::prelude::*;
use time::{Duration, PrimitiveDateTime};

use crate::crypto::personal_token;
use crate::crypto::token::{constant_time_eq, hash_token};
use crate::db::DbConnection;
use crate::db::schema::{accounts, organization_policies, organizations, personal_access_tokens};
use crate::domain::audit::{self, Actor, TargetKind};
use crate::domain::ids::{AccountId, OrganizationId, TokenId};

/// The longest name a token may have.
pub const NAME_MAX_CHARS: usize = 100;
/// How long before its end a token's owner is warned.
pub const EXPIRY_NOTICE: Duration = Duration::days(7);
/// A token's last use is written at most this often (and whenever the address changes), so a
/// busy integration does not turn every read into a write of the same row.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// What a token may do, on top of what its owner may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenScope {
    Read,
    ReadWrite,
}

impl TokenScope {
    pub fn can_write(self) -> bool {
        self == Self::ReadWrite
    }

    pub fn of(can_write: bool) -> Self {
        if can_write {
            Self::ReadWrite
        } else {
            Self::Read
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::ReadWrite => "read-write",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "read" => Some(Self::Read),
            "read-write" => Some(Self::ReadWrite),
            _ => None,
        }
    }
}

/// A token as its lists show it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = personal_access_tokens)]
pub struct TokenSummary {
    pub id: TokenId,
    pub account_id: AccountId,
    pub organization_id: OrganizationId,
    #[diesel(select_expression = organizations::name)]
    #[diesel(select_expression_type = organizations::name)]
    pub organization_name: String,
    pub name: String,
    pub can_write: bool,
    pub created_at: PrimitiveDateTime,
    pub expires_at: PrimitiveDateTime,
    pub last_used_at: Option<PrimitiveDateTime>,
    pub last_used_ip: Option<String>,
    pub revoked_at: Option<PrimitiveDateTime>,
}

impl TokenSummary {
    pub fn scope(&self) -> TokenScope {
        TokenScope::of(self.can_write)
    }

    pub fn is_live(&self, now: PrimitiveDateTime) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

/// A live token presented with a request: whose it is, where it acts, what it may do.
#[derive(Debug, Clone, Queryable)]
pub struct Bearer {
    pub token_id: TokenId,
    pub account_id: AccountId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub can_write: bool,
    token_hash: String,
    pub expires_at: PrimitiveDateTime,
    revoked_at: Option<PrimitiveDateTime>,
    last_used_at: Option<PrimitiveDateTime>,
    last_used_ip: Option<String>,
    /// The owner's name and language, for the emails a change made through the token sends.
    pub owner_name: String,
    pub owner_language: Option<String>,
    /// The organization's quota per token (None before its policy was first saved).
    pub requests_per_minute: Option<i32>,
}

impl Bearer {
    /// Whether this use should be written down: the last one is older than a minute or came from
    /// another address. Decided from the row already read, so most requests write nothing.
    pub fn use_is_news(&self, ip: Option<&str>, now: PrimitiveDateTime) -> bool {
        self.last_used_at.is_none_or(|at| at <= now - TOUCH_EVERY)
            || self.last_used_ip.as_deref() != ip
    }
}

/// Why a presented token does not act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a token, or no token has this secret.
    Unknown,
    Expired,
    Revoked,
}

/// A new token for `account_id` in `organization_id`; returns its id and the secret, which is
/// shown once and never again.
#[allow(clippy::too_many_arguments)]
pub fn create(
    conn: &mut DbConnection,
    account_id: AccountId,
    organization_id: OrganizationId,
    name: &str,
    scope: TokenScope,
    expires_at: PrimitiveDateTime,
    actor: &Actor,
) -> QueryResult<(TokenId, String)> {
    let secret = personal_token::generate();
    let id: TokenId = diesel::insert_into(personal_access_tokens::table)
        .values((
            personal_access_tokens::account_id.eq(account_id),
            personal_access_tokens::organization_id.eq(organization_id),
            personal_access_tokens::name.eq(name),
            personal_access_tokens::token_hash.eq(hash_token(&secret)),
            personal_access_tokens::can_write.eq(scope.can_write()),
            personal_access_tokens::created_at.eq(actor.at),
            personal_access_tokens::expires_at.eq(expires_at),
        ))
        .returning(personal_access_tokens::id)
        .get_result(conn)?;
    let mut event = actor
        .event(
            Some(organization_id),
            "token.created",
            Some(name.to_owned()),
        )
        .on(TargetKind::Token, id);
    event.details = Some(
        serde_json::json!({
            "token_id": id,
            "owner_account_id": account_id,
            "scopes": scope.as_str(),
            "expires_at": expires_at.assume_utc().unix_timestamp(),
        })
        .to_string(),
    );
    audit::record(conn, &event)?;
    Ok((id, secret))
}

/// An account's tokens (live, expired and revoked), newest first.
pub fn of_account(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<Vec<TokenSummary>> {
    personal_access_tokens::table
        .inner_join(organizations::table)
        .filter(personal_access_tokens::account_id.eq(account_id))
        .order(personal_access_tokens::id.desc())
        .select(TokenSummary::as_select())
        .load(conn)
}

/// The live tokens an account holds in one organization, newest first (for its admins).
pub fn live_of_member(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    account_id: AccountId,
    now: PrimitiveDateTime,
) -> QueryResult<Vec<TokenSummary>> {
    personal_access_tokens::table
        .inner_join(organizations::table)
        .filter(personal_access_tokens::organization_id.eq(organization_id))
        .filter(personal_access_tokens::account_id.eq(account_id))
        .filter(personal_access_tokens::revoked_at.is_null())
        .filter(personal_access_tokens::expires_at.gt(now))
        .order(personal_access_tokens::id.desc())
        .select(TokenSummary::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, token_id: TokenId) -> QueryResult<Option<TokenSummary>> {
    personal_access_tokens::table
        .inner_join(organizations::table)
        .filter(personal_access_tokens::id.eq(token_id))
        .select(TokenSummary::as_select())
        .first(conn)
        .optional()
}

/// The token a request presents, when it is one of ours and still acts. Malformed input (a
/// wrong checksum) is refused without a query; the stored hash is compared in constant time
/// although the index already matched it, so that no code path compares secrets any other way.
pub fn authenticate(
    conn: &mut DbConnection,
    presented: &str,
    now: PrimitiveDateTime,
) -> QueryResult<Result<Bearer, Refusal>> {
    if !personal_token::is_well_formed(presented) {
        return Ok(Err(Refusal::Unknown));
    }
    let hash = hash_token(presented);
    // One read for everything a request needs to know about its token, its owner and its quota.
    let found: Option<Bearer> =
        personal_access_tokens::table
            .inner_join(accounts::table.on(accounts::id.eq(personal_access_tokens::account_id)))
            .left_join(organization_policies::table.on(
                organization_policies::organization_id.eq(personal_access_tokens::organization_id),
            ))
            .filter(personal_access_tokens::token_hash.eq(&hash))
            .select((
                personal_access_tokens::id,
                personal_access_tokens::account_id,
                personal_access_tokens::organization_id,
                personal_access_tokens::name,
                personal_access_tokens::can_write,
                personal_access_tokens::token_hash,
                personal_access_tokens::expires_at,
                personal_access_tokens::revoked_at,
                personal_access_tokens::last_used_at,
                personal_access_tokens::last_used_ip,
                accounts::name,
                accounts::language,
                organization_policies::api_requests_per_minute.nullable(),
            ))
            .first(conn)
            .optional()?;
    Ok(match found {
        Some(bearer) if !constant_time_eq(&bearer.token_hash, &hash) => Err(Refusal::Unknown),
        Some(bearer) if bearer.revoked_at.is_some() => Err(Refusal::Revoked),
        Some(bearer) if bearer.expires_at <= now => Err(Refusal::Expired),
        Some(bearer) => Ok(bearer),
        None => Err(Refusal::Unknown),
    })
}

/// Notes when and from where a token was used (at most once a minute per address).
pub fn touch(
    conn: &mut DbConnection,
    token_id: TokenId,
    ip: Option<&str>,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    let stale = now - TOUCH_EVERY;
    diesel::update(
        personal_access_tokens::table
            .filter(personal_access_tokens::id.eq(token_id))
            .filter(
                personal_access_tokens::last_used_at
                    .is_null()
                    .or(personal_access_tokens::last_used_at.le(stale))
                    .or(personal_access_tokens::last_used_ip.is_null())
                    .or(personal_access_tokens::last_used_ip.ne(ip.unwrap_or_default())),
            ),
    )
    .set((
        personal_access_tokens::last_used_at.eq(now),
        personal_access_tokens::last_used_ip.eq(ip),
    ))
    .execute(conn)?;
    Ok(())
}

/// Revokes a live token; false when it was already revoked.
pub fn revoke(conn: &mut DbConnection, token: &TokenSummary, actor: &Actor) -> QueryResult<bool> {
    let revoked = diesel::update(
        personal_access_tokens::table
            .filter(personal_access_tokens::id.eq(token.id))
            .filter(personal_access_tokens::revoked_at.is_null()),
    )
    .set((
        personal_access_tokens::revoked_at.eq(actor.at),
        personal_access_tokens::revoked_by_account_id.eq(actor.account_id),
    ))
    .execute(conn)?
        > 0;
    if revoked {
        let mut event = actor
            .event(
                Some(token.organization_id),
                "token.revoked",
                Some(token.name.clone()),
            )
            .on(TargetKind::Token, token.id);
        event.details = Some(
            serde_json::json!({"token_id": token.id, "owner_account_id": token.account_id})
                .to_string(),
        );
        audit::record(conn, &event)?;
    }
    Ok(revoked)
}

/// Revokes every live token of an organization, except those of `spared` (the owner's, when
/// someone else does it); returns how many.
pub fn revoke_all(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    spared: Option<AccountId>,
    actor: &Actor,
) -> QueryResult<usize> {
    let live = personal_access_tokens::table
        .filter(personal_access_tokens::organization_id.eq(organization_id))
        .filter(personal_access_tokens::revoked_at.is_null())
        .filter(personal_access_tokens::expires_at.gt(actor.at));
    let count = match spared {
        Some(spared) => diesel::update(live.filter(personal_access_tokens::account_id.ne(spared)))
            .set((
                personal_access_tokens::revoked_at.eq(actor.at),
                personal_access_tokens::revoked_by_account_id.eq(actor.account_id),
            ))
            .execute(conn)?,
        None => diesel::update(live)
            .set((
                personal_access_tokens::revoked_at.eq(actor.at),
                personal_access_tokens::revoked_by_account_id.eq(actor.account_id),
            ))
            .execute(conn)?,
    };
    let mut event = actor.event(Some(organization_id), "token.revoked-all", None);
    event.details = Some(serde_json::json!({ "count": count }).to_string());
    audit::record(conn, &event)?;
    Ok(count)
}

/// A token whose owner should be told it ends soon.
#[derive(Debug, Clone, Queryable)]
pub struct ExpiringToken {
    pub id: TokenId,
    pub name: String,
    pub expires_at: PrimitiveDateTime,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub email: String,
    pub owner_name: String,
    pub language: Option<String>,
    pub time_zone: Option<String>,
}

/// Live tokens ending within `EXPIRY_NOTICE` whose owner has not been told yet.
pub fn due_expiry_notices(
    conn: &mut DbConnection,
    now: PrimitiveDateTime,
    limit: i64,
) -> QueryResult<Vec<ExpiringToken>> {
    personal_access_tokens::table
        .inner_join(organizations::table)
        .inner_join(accounts::table.on(accounts::id.eq(personal_access_tokens::account_id)))
        .filter(personal_access_tokens::revoked_at.is_null())
        .filter(personal_access_tokens::expiry_notice_sent_at.is_null())
        .filter(personal_access_tokens::expires_at.gt(now))
        .filter(personal_access_tokens::expires_at.le(now + EXPIRY_NOTICE))
        .order(personal_access_tokens::expires_at)
        .limit(limit)
        .select((
            personal_access_tokens::id,
            personal_access_tokens::name,
            personal_access_tokens::expires_at,
            personal_access_tokens::organization_id,
            organizations::name,
            accounts::email,
            accounts::name,
            accounts::language,
            accounts::time_zone,
        ))
        .load(conn)
}

/// Marks a token's expiry notice as sent; false when another worker did it first.
pub fn mark_expiry_notice_sent(
    conn: &mut DbConnection,
    token_id: TokenId,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    Ok(diesel::update(
        personal_access_tokens::table
            .filter(personal_access_tokens::id.eq(token_id))
            .filter(personal_access_tokens::expiry_notice_sent_at.is_null()),
    )
    .set(personal_access_tokens::expiry_notice_sent_at.eq(now))
    .execute(conn)?
        > 0)
}

/// A token's name, as typed: trimmed, 1 to 100 characters, no control characters.
pub fn parse_name(input: &str) -> Result<String, &'static str> {
    let name = input.trim();
    if name.is_empty() {
        return Err("tokens-name-required");
    }
    if name.chars().count() > NAME_MAX_CHARS || name.chars().any(char::is_control) {
        return Err("tokens-name-invalid");
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  deploy bot ").unwrap(), "deploy bot");
        assert_eq!(parse_name("   "), Err("tokens-name-required"));
        assert_eq!(parse_name(&"x".repeat(101)), Err("tokens-name-invalid"));
        assert_eq!(parse_name("a\u{7}b"), Err("tokens-name-invalid"));
    }

    #[test]
    fn scopes_round_trip() {
        for scope in [TokenScope::Read, TokenScope::ReadWrite] {
            assert_eq!(TokenScope::parse(scope.as_str()), Some(scope));
        }
        assert_eq!(TokenScope::parse("write"), None);
    }
}
