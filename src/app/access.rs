//! Who is asking. The session layer resolves the cookie once per request into a `SignedIn`: the
//! account, and the organization it acts in with the rights its roles give there
//! (`MemberContext`), or the API portal only for an external user.

use diesel::QueryResult;
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::domain::external_access::{self, Standing};
use crate::domain::organization::{self, MemberContext};
use crate::domain::session::{self, Found, SessionPolicy};

/// Who is signed in, as every handler of the request sees it.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub session_hash: String,
    pub account_id: i64,
    pub email: String,
    pub name: String,
    pub language: Option<String>,
    /// The account's IANA time zone, for showing times (None: UTC).
    pub time_zone: Option<String>,
    pub csrf_token: String,
    /// The organization the session acts in, when the account is an active member there.
    pub member: Option<MemberContext>,
    /// The password expired: until it is changed, the session only opens the change page.
    pub password_change_required: bool,
    /// The organization waiting for a two-factor code: until it is entered, the session only
    /// opens the code page (and signs out).
    pub two_factor_pending_org: Option<i64>,
    /// Organizations whose two-factor code this session entered.
    pub two_factor_verified: Vec<i64>,
    /// The account is no member anywhere but an Active external user: it has the API portal
    /// and nothing of the console.
    pub portal_only: bool,
}

pub enum Lookup {
    Valid(Box<SignedIn>),
    /// The cookie named a session that timed out (it is deleted now).
    Expired,
    /// No such session: never existed, signed out, or ended by an admin.
    Unknown,
    /// The account's only access was as an external user, and it expired or was suspended: the
    /// session is deleted now.
    AccessEnded,
}

/// Resolves a cookie to who is signed in: the session (ended when idle or too old), the
/// organization it acts in (another of the account's when the chosen one went away), or the
/// portal for an external user whose access is still on.
pub fn load(
    conn: &mut DbConnection,
    cookie_value: &str,
    now: PrimitiveDateTime,
    policy: SessionPolicy,
) -> QueryResult<Lookup> {
    let record = match session::find_live(conn, cookie_value, now, policy)? {
        Found::Live(record) => record,
        Found::Expired => return Ok(Lookup::Expired),
        Found::Unknown => return Ok(Lookup::Unknown),
    };
    let account_id = record.account_id;
    let mut member = match record.organization_id {
        Some(organization_id) => organization::member_context(conn, account_id, organization_id)?,
        None => None,
    };
    // The selected organization went away (membership ended): fall back to another one.
    if member.is_none()
        && let Some(fallback) = organization::default_for_account(conn, account_id)?
    {
        session::set_organization(conn, &record.id_hash, fallback)?;
        member = organization::member_context(conn, account_id, fallback)?;
    }
    // Without an organization, an external user's access is all the account has: when it
    // expires (a date, so nothing else notices) or is suspended, the session ends here.
    let portal_only = match member {
        Some(_) => false,
        None => match external_access::standing(conn, account_id, now)? {
            Standing::Active => true,
            Standing::NotExternal => false,
            Standing::Suspended | Standing::Expired => {
                session::delete(conn, &record.id_hash)?;
                return Ok(Lookup::AccessEnded);
            }
        },
    };
    let two_factor_verified = record.two_factor_verified();
    let record = *record;
    Ok(Lookup::Valid(Box::new(SignedIn {
        session_hash: record.id_hash,
        account_id,
        email: record.email,
        name: record.name,
        language: record.language,
        time_zone: record.time_zone,
        csrf_token: record.csrf_token,
        member,
        password_change_required: record.password_change_required,
        two_factor_pending_org: record.two_factor_pending_org,
        two_factor_verified,
        portal_only,
    })))
}
