//! First run: while no account exists, a one-time setup link creates the first organization and its
//! owner. There are no default credentials; without the link nobody can create that account.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::crypto::token::{hash_token, random_token};
use crate::db::schema::setup_tokens;
use crate::db::{DbConnection, write_transaction};
use crate::domain::account::{self, Account, EmailAddress, NewAccount};
use crate::domain::audit::{Actor, Origin};
use crate::domain::organization::{self, Organization};
use crate::domain::password_history;

/// Issues a fresh setup token when the instance has no account yet; earlier tokens stop working.
pub fn issue_token_if_needed(
    conn: &mut DbConnection,
    now: PrimitiveDateTime,
) -> QueryResult<Option<String>> {
    write_transaction(conn, |conn| {
        if account::any_exists(conn)? {
            diesel::delete(setup_tokens::table).execute(conn)?;
            return Ok(None);
        }
        let token = random_token();
        diesel::delete(setup_tokens::table).execute(conn)?;
        diesel::insert_into(setup_tokens::table)
            .values((
                setup_tokens::token_hash.eq(hash_token(&token)),
                setup_tokens::created_at.eq(now),
            ))
            .execute(conn)?;
        Ok(Some(token))
    })
}

/// Whether the token opens the setup page: it was issued and no account exists yet.
pub fn token_is_valid(conn: &mut DbConnection, token: &str) -> QueryResult<bool> {
    let issued: bool = diesel::select(diesel::dsl::exists(
        setup_tokens::table.filter(setup_tokens::token_hash.eq(hash_token(token))),
    ))
    .get_result(conn)?;
    Ok(issued && !account::any_exists(conn)?)
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("the setup link is not valid (already used, or replaced by a newer one)")]
    InvalidToken,
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

pub struct FirstAdmin<'a> {
    pub organization_name: &'a str,
    pub email: &'a EmailAddress,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub language: Option<&'a str>,
}

/// Creates an organization whose owner is a new account, an active Administrator.
/// Used by the setup page and by `gatehouse create-admin`; any setup token stops working.
pub fn create_organization_with_admin(
    conn: &mut DbConnection,
    admin: &FirstAdmin<'_>,
    origin: &Origin,
    at: PrimitiveDateTime,
) -> Result<(Account, Organization), SetupError> {
    if account::find_by_email(conn, admin.email)?.is_some() {
        return Err(SetupError::EmailTaken);
    }
    let account = account::insert(
        conn,
        &NewAccount {
            email: admin.email.as_str(),
            name: admin.name,
            password_hash: Some(admin.password_hash),
            language: admin.language,
            created_at: at,
            password_changed_at: Some(at),
        },
    )?;
    password_history::record(conn, account.id, admin.password_hash, at)?;
    let actor = Actor::from_origin(account.id, origin, at);
    let organization =
        organization::create_with_owner(conn, admin.organization_name, account.id, &actor)?;
    diesel::delete(setup_tokens::table).execute(conn)?;
    Ok((account, organization))
}

/// Completes first-run setup with the token from the link. The check and the creation share one
/// write transaction, so two people racing with the same link cannot both succeed.
pub fn complete(
    conn: &mut DbConnection,
    token: &str,
    admin: &FirstAdmin<'_>,
    origin: &Origin,
    at: PrimitiveDateTime,
) -> Result<(Account, Organization), SetupError> {
    write_transaction(conn, |conn| {
        if !token_is_valid(conn, token)? {
            return Err(SetupError::InvalidToken);
        }
        create_organization_with_admin(conn, admin, origin, at)
    })
}
