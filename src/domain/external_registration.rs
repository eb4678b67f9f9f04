//! The registration link an external user receives: it opens a page that asks for name, company,
//! time zone and (for a person without an account yet) a password, and makes the access Active.

use diesel::prelude::*;
use time::{Date, PrimitiveDateTime};

use crate::crypto::token::hash_token;
use crate::db::DbConnection;
use crate::db::schema::{accounts, external_invitations, external_users, organizations};
use crate::domain::audit::{self, Actor, Origin};
use crate::domain::external_access::{
    ExternalStatus, StoredExternalStatus, effective_zone, status_at,
};
use crate::domain::ids::{AccountId, OrganizationId};
use crate::domain::invitation::LinkProblem;
use crate::domain::membership::{self, DirectoryScope};
use crate::domain::rules::{DomainError, DomainResult};

/// What a registration link leads to.
#[derive(Debug, Clone)]
pub struct OpenRegistration {
    pub external_user_id: i64,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub account_id: AccountId,
    pub email: String,
    pub name: String,
    pub company: String,
    /// The zone the page suggests: the account's, else the inviting admin's.
    pub time_zone: String,
    pub expires_on: Option<Date>,
    /// The person has a password already (a member or external user elsewhere).
    pub registered: bool,
}

/// Why a registration link does not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationProblem {
    Link(LinkProblem),
    /// The access it grants ended before the person registered.
    AccessEnded,
}

#[derive(Queryable)]
struct RegistrationRow {
    link_expires_at: PrimitiveDateTime,
    used_at: Option<PrimitiveDateTime>,
    external_user_id: i64,
    organization_id: OrganizationId,
    status: StoredExternalStatus,
    company: String,
    expires_on: Option<Date>,
    invited_time_zone: String,
    organization_name: String,
    account_id: AccountId,
    email: String,
    name: String,
    account_time_zone: Option<String>,
    password_hash: Option<String>,
}

pub fn open(
    conn: &mut DbConnection,
    token: &str,
    now: PrimitiveDateTime,
) -> QueryResult<Result<OpenRegistration, RegistrationProblem>> {
    let row: Option<RegistrationRow> = external_invitations::table
        .inner_join(
            external_users::table
                .inner_join(organizations::table)
                .inner_join(accounts::table),
        )
        .filter(external_invitations::token_hash.eq(hash_token(token)))
        .select((
            external_invitations::expires_at,
            external_invitations::used_at,
            external_users::id,
            external_users::organization_id,
            external_users::status,
            external_users::company,
            external_users::access_expires_on,
            external_users::invited_time_zone,
            organizations::name,
            accounts::id,
            accounts::email,
            accounts::name,
            accounts::time_zone,
            accounts::password_hash,
        ))
        .first(conn)
        .optional()?;
    let Some(RegistrationRow {
        link_expires_at,
        used_at,
        external_user_id,
        organization_id,
        status,
        company,
        expires_on,
        invited_time_zone,
        organization_name,
        account_id,
        email,
        name,
        account_time_zone,
        password_hash,
    }) = row
    else {
        return Ok(Err(RegistrationProblem::Link(LinkProblem::Unknown)));
    };
    if used_at.is_some() {
        return Ok(Err(RegistrationProblem::Link(LinkProblem::Used)));
    }
    if now >= link_expires_at {
        return Ok(Err(RegistrationProblem::Link(LinkProblem::Expired)));
    }
    // Only a Requested row waits for registration; links of a row an admin moved on are spent.
    if status != StoredExternalStatus::Requested {
        return Ok(Err(RegistrationProblem::Link(LinkProblem::Unknown)));
    }
    if status_at(
        StoredExternalStatus::Requested,
        expires_on,
        &invited_time_zone,
        now,
    ) == ExternalStatus::Expired
    {
        return Ok(Err(RegistrationProblem::AccessEnded));
    }
    let registered = password_hash.is_some();
    Ok(Ok(OpenRegistration {
        external_user_id,
        organization_id,
        organization_name,
        account_id,
        email,
        name,
        company,
        time_zone: effective_zone(registered, account_time_zone.as_deref(), &invited_time_zone)
            .to_owned(),
        expires_on,
        registered,
    }))
}

/// What the registration form gives, already checked.
pub struct Registration<'a> {
    pub name: &'a str,
    pub company: &'a str,
    pub time_zone: &'a str,
    pub language: &'a str,
    /// The new password's hash, for a person without an account yet (None otherwise).
    pub password_hash: Option<&'a str>,
}

/// Spends the link and makes the access Active: a newcomer's account gets its name, password,
/// language and time zone; a person with an account keeps their password.
pub fn accept(
    conn: &mut DbConnection,
    token: &str,
    registration: &Registration<'_>,
    origin: &Origin,
    now: PrimitiveDateTime,
) -> DomainResult<Result<OpenRegistration, RegistrationProblem>> {
    let open = match open(conn, token, now)? {
        Ok(open) => open,
        Err(problem) => return Ok(Err(problem)),
    };
    // Single use even when two submissions race: only one can mark the link.
    let spent = diesel::update(
        external_invitations::table
            .filter(external_invitations::token_hash.eq(hash_token(token)))
            .filter(external_invitations::used_at.is_null()),
    )
    .set(external_invitations::used_at.eq(now))
    .execute(conn)?;
    if spent != 1 {
        return Ok(Err(RegistrationProblem::Link(LinkProblem::Used)));
    }
    match registration.password_hash {
        Some(password_hash) if !open.registered => {
            diesel::update(accounts::table.find(open.account_id))
                .set((
                    accounts::name.eq(registration.name),
                    accounts::password_hash.eq(password_hash),
                    accounts::password_changed_at.eq(now),
                    accounts::language.eq(registration.language),
                    accounts::time_zone.eq(registration.time_zone),
                ))
                .execute(conn)?;
            crate::domain::password_history::record(conn, open.account_id, password_hash, now)?;
        }
        None if open.registered => {
            diesel::update(accounts::table.find(open.account_id))
                .set((
                    accounts::name.eq(registration.name),
                    accounts::time_zone.eq(registration.time_zone),
                ))
                .execute(conn)?;
        }
        _ => return Err(DomainError::NotFound),
    }
    diesel::update(external_users::table.find(open.external_user_id))
        .set((
            external_users::status.eq(StoredExternalStatus::Active),
            external_users::company.eq(registration.company),
            external_users::registered_at.eq(now),
        ))
        .execute(conn)?;
    // The name may have changed: every table that sorts by it follows.
    membership::refresh_directory(conn, DirectoryScope::Account(open.account_id))?;
    crate::domain::external_user::refresh_directory_for_account(conn, open.account_id)?;
    let actor = Actor::from_origin(open.account_id, origin, now);
    audit::record(
        conn,
        &actor.event(
            Some(open.organization_id),
            "external-user.registered",
            Some(open.email.clone()),
        ),
    )?;
    Ok(Ok(open))
}

/// A company name: trimmed, 1 to 100 characters, no control characters.
pub fn parse_company(candidate: &str) -> Result<String, &'static str> {
    let company = candidate.trim();
    if company.is_empty() {
        Err("portal-company-required")
    } else if company.chars().count() > 100 || company.chars().any(char::is_control) {
        Err("portal-company-invalid")
    } else {
        Ok(company.to_owned())
    }
}
