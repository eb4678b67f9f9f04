//! Server-side sessions. The cookie carries a random id; the database keeps only its hash, so a
//! copy of the database cannot be replayed as cookies. Sign-out deletes the row, so a replayed
//! cookie is anonymous.

use diesel::prelude::*;
use time::{Duration, PrimitiveDateTime};

use crate::crypto::token::{hash_token, random_token};
use crate::db::DbConnection;
use crate::db::schema::{accounts, session_two_factor_verifications, sessions};
use crate::domain::ids::{AccountId, OrganizationId};

/// Writing `last_seen_at` on every request would make every page view a write; a minute of
/// slack on a 30-minute idle timeout is invisible to people.
const TOUCH_INTERVAL: Duration = Duration::minutes(1);

#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub lifetime: Duration,
}

pub struct NewSession {
    pub account_id: AccountId,
    pub organization_id: Option<OrganizationId>,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    /// The password expired: the session may only change it (and sign out).
    pub password_change_required: bool,
    /// The organization that asks for a two-factor code first.
    pub two_factor_pending_org: Option<OrganizationId>,
}

/// Starts a session and returns the id for the cookie (the only place it ever exists in clear).
pub fn create(
    conn: &mut DbConnection,
    session: &NewSession,
    now: PrimitiveDateTime,
    policy: SessionPolicy,
) -> QueryResult<String> {
    let id = random_token();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(hash_token(&id)),
            sessions::account_id.eq(session.account_id),
            sessions::organization_id.eq(session.organization_id),
            sessions::csrf_token.eq(random_token()),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::expires_at.eq(now + policy.lifetime),
            sessions::user_agent.eq(session.user_agent.as_deref().map(|ua| truncate(ua, 256))),
            sessions::ip.eq(session.ip.as_deref()),
            sessions::password_change_required.eq(session.password_change_required),
            sessions::two_factor_pending_org.eq(session.two_factor_pending_org),
        ))
        .execute(conn)?;
    Ok(id)
}

fn truncate(value: &str, max_chars: usize) -> String {
    value.chars().take(max_chars).collect()
}

/// A session's row with its account's name, email and preferences.
#[derive(Debug, Clone, Queryable)]
pub struct SessionRecord {
    pub id_hash: String,
    pub account_id: AccountId,
    pub organization_id: Option<OrganizationId>,
    pub csrf_token: String,
    pub last_seen_at: PrimitiveDateTime,
    pub expires_at: PrimitiveDateTime,
    pub email: String,
    pub name: String,
    pub language: Option<String>,
    pub time_zone: Option<String>,
    pub password_change_required: bool,
    pub two_factor_pending_org: Option<OrganizationId>,
}

/// What a cookie names.
pub enum Found {
    Live(Box<SessionRecord>),
    /// It timed out (idle or too old); the row is deleted now.
    Expired,
    /// No such session: never existed, signed out, or ended by an admin.
    Unknown,
}

/// Resolves a cookie to its session, ending it when it has been idle or alive too long, and
/// noting that it was seen (at most once a minute).
pub fn find_live(
    conn: &mut DbConnection,
    cookie_value: &str,
    now: PrimitiveDateTime,
    policy: SessionPolicy,
) -> QueryResult<Found> {
    let id_hash = hash_token(cookie_value);
    let record: Option<SessionRecord> = sessions::table
        .inner_join(accounts::table)
        .filter(sessions::id_hash.eq(&id_hash))
        .select((
            sessions::id_hash,
            sessions::account_id,
            sessions::organization_id,
            sessions::csrf_token,
            sessions::last_seen_at,
            sessions::expires_at,
            accounts::email,
            accounts::name,
            accounts::language,
            accounts::time_zone,
            sessions::password_change_required,
            sessions::two_factor_pending_org,
        ))
        .first(conn)
        .optional()?;
    let Some(record) = record else {
        return Ok(Found::Unknown);
    };
    if now >= record.expires_at || now - record.last_seen_at >= policy.idle {
        delete(conn, &record.id_hash)?;
        return Ok(Found::Expired);
    }
    if now - record.last_seen_at >= TOUCH_INTERVAL {
        diesel::update(sessions::table.find(&record.id_hash))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok(Found::Live(Box::new(record)))
}

/// Whether this session entered the organization's two-factor code (asked only where the
/// organization's policy wants one, so most requests never read it).
pub fn two_factor_entered(
    conn: &mut DbConnection,
    session_hash: &str,
    organization_id: OrganizationId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        session_two_factor_verifications::table.find((session_hash, organization_id)),
    ))
    .get_result(conn)
}

/// Marks (or clears) the organization waiting for a two-factor code.
pub fn set_two_factor_pending(
    conn: &mut DbConnection,
    session_hash: &str,
    organization_id: Option<OrganizationId>,
) -> QueryResult<()> {
    diesel::update(sessions::table.find(session_hash))
        .set(sessions::two_factor_pending_org.eq(organization_id))
        .execute(conn)
        .map(|_| ())
}

/// After a right two-factor code: a new session id (a copy of the row under a new id, with the
/// organization verified and nothing pending); the old row is deleted. Returns the new cookie.
pub fn renew_after_two_factor(
    conn: &mut DbConnection,
    session_hash: &str,
    organization_id: OrganizationId,
) -> QueryResult<String> {
    /// What the new session keeps of the old one.
    #[derive(Queryable)]
    struct Kept {
        account_id: AccountId,
        organization_id: Option<OrganizationId>,
        created_at: PrimitiveDateTime,
        last_seen_at: PrimitiveDateTime,
        expires_at: PrimitiveDateTime,
        user_agent: Option<String>,
        ip: Option<String>,
        password_change_required: bool,
    }
    let kept: Kept = sessions::table
        .find(session_hash)
        .select((
            sessions::account_id,
            sessions::organization_id,
            sessions::created_at,
            sessions::last_seen_at,
            sessions::expires_at,
            sessions::user_agent,
            sessions::ip,
            sessions::password_change_required,
        ))
        .first(conn)?;
    let mut verified: Vec<OrganizationId> = session_two_factor_verifications::table
        .filter(session_two_factor_verifications::session_hash.eq(session_hash))
        .select(session_two_factor_verifications::organization_id)
        .load(conn)?;
    if !verified.contains(&organization_id) {
        verified.push(organization_id);
    }
    let id = random_token();
    let new_hash = hash_token(&id);
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(&new_hash),
            sessions::account_id.eq(kept.account_id),
            sessions::organization_id.eq(kept.organization_id),
            // A new token as well as a new id: the session's privilege just changed.
            sessions::csrf_token.eq(random_token()),
            sessions::created_at.eq(kept.created_at),
            sessions::last_seen_at.eq(kept.last_seen_at),
            sessions::expires_at.eq(kept.expires_at),
            sessions::user_agent.eq(kept.user_agent),
            sessions::ip.eq(kept.ip),
            sessions::password_change_required.eq(kept.password_change_required),
            sessions::two_factor_pending_org.eq(None::<OrganizationId>),
        ))
        .execute(conn)?;
    // One row at a time: a multi-row insert does not build for both backends at once; a
    // session verifies a handful of organizations at most.
    for organization in verified {
        diesel::insert_into(session_two_factor_verifications::table)
            .values((
                session_two_factor_verifications::session_hash.eq(&new_hash),
                session_two_factor_verifications::organization_id.eq(organization),
            ))
            .execute(conn)?;
    }
    delete(conn, session_hash)?;
    Ok(id)
}

pub fn delete(conn: &mut DbConnection, session_hash: &str) -> QueryResult<()> {
    diesel::delete(sessions::table.find(session_hash))
        .execute(conn)
        .map(|_| ())
}

/// Ends every session of an account (after a password reset, for example).
pub fn delete_all_for_account(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::account_id.eq(account_id))).execute(conn)
}

/// Lifts the "password change required" mark of a session (its password was just changed).
pub fn clear_password_change_required(
    conn: &mut DbConnection,
    session_hash: &str,
) -> QueryResult<()> {
    diesel::update(sessions::table.find(session_hash))
        .set(sessions::password_change_required.eq(false))
        .execute(conn)
        .map(|_| ())
}

pub fn set_organization(
    conn: &mut DbConnection,
    session_hash: &str,
    organization_id: OrganizationId,
) -> QueryResult<()> {
    diesel::update(sessions::table.find(session_hash))
        .set(sessions::organization_id.eq(organization_id))
        .execute(conn)
        .map(|_| ())
}

/// Removes sessions past their absolute lifetime; idle ones are removed when next presented.
pub fn purge_expired(conn: &mut DbConnection, now: PrimitiveDateTime) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)
}

/// A session as its account sees it on the profile page. `handle` stands in for the id hash,
/// which never reaches a page.
#[derive(Debug, Clone)]
pub struct SessionSummary {
    pub handle: String,
    pub current: bool,
    pub created_at: PrimitiveDateTime,
    pub last_seen_at: PrimitiveDateTime,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

/// The public handle of a session: the first 16 hex characters of SHA-256 of its id hash.
pub fn public_handle(id_hash: &str) -> String {
    let mut handle = hash_token(id_hash);
    handle.truncate(16);
    handle
}

#[derive(Queryable)]
struct SummaryRow {
    id_hash: String,
    created_at: PrimitiveDateTime,
    last_seen_at: PrimitiveDateTime,
    user_agent: Option<String>,
    ip: Option<String>,
}

/// The account's unexpired sessions, newest first; `current_hash` is marked as the current one.
pub fn list_for_account(
    conn: &mut DbConnection,
    account_id: AccountId,
    current_hash: &str,
    now: PrimitiveDateTime,
) -> QueryResult<Vec<SessionSummary>> {
    let rows: Vec<SummaryRow> = sessions::table
        .filter(sessions::account_id.eq(account_id))
        .filter(sessions::expires_at.gt(now))
        .order((sessions::created_at.desc(), sessions::last_seen_at.desc()))
        .select((
            sessions::id_hash,
            sessions::created_at,
            sessions::last_seen_at,
            sessions::user_agent,
            sessions::ip,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| SessionSummary {
            handle: public_handle(&row.id_hash),
            current: row.id_hash == current_hash,
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
            user_agent: row.user_agent,
            ip: row.ip,
        })
        .collect())
}

/// Ends the account's session with this public handle, unless it is `current_hash`. Returns
/// whether one was ended; a handle of another account's session is never found.
pub fn delete_by_handle(
    conn: &mut DbConnection,
    account_id: AccountId,
    handle: &str,
    current_hash: &str,
) -> QueryResult<bool> {
    let hashes: Vec<String> = sessions::table
        .filter(sessions::account_id.eq(account_id))
        .select(sessions::id_hash)
        .load(conn)?;
    match hashes
        .into_iter()
        .find(|id_hash| id_hash != current_hash && public_handle(id_hash) == handle)
    {
        Some(id_hash) => delete(conn, &id_hash).map(|()| true),
        None => Ok(false),
    }
}

/// Ends every session of the account but `keep_hash` (after a password change, or "sign out
/// everywhere else").
pub fn delete_others(
    conn: &mut DbConnection,
    account_id: AccountId,
    keep_hash: &str,
) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::account_id.eq(account_id))
            .filter(sessions::id_hash.ne(keep_hash)),
    )
    .execute(conn)
}
