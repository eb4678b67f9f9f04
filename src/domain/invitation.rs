//! Invitations: the emailed, single-use link that turns a Pending member into an Active one, and
//! the "access granted" notice for people who already have an account.

use diesel::prelude::*;
use time::{Duration, PrimitiveDateTime};

use crate::config::Settings;
use crate::crypto::token::{hash_token, random_token};
use crate::db::DbConnection;
use crate::db::schema::{accounts, invitations, memberships, organizations};
use crate::domain::audit::{self, Actor, Origin, TargetKind};
use crate::domain::ids::{AccountId, MembershipId, OrganizationId};
use crate::domain::kinds::MembershipStatus;
use crate::domain::membership::{self, DirectoryScope};
use crate::domain::outbox::{self, OutgoingEmail};
use crate::domain::rules::{DomainError, DomainResult, refuse};
use crate::i18n::Lang;
use crate::mail::compose;

/// Who sends, for the email's wording and language.
pub struct Inviter<'a> {
    pub name: &'a str,
    pub language: Lang,
}

fn recipient(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<(String, String, Option<String>)> {
    accounts::table
        .find(account_id)
        .select((accounts::email, accounts::name, accounts::language))
        .first(conn)
}

/// Issues a new link for a pending member (older links stop working) and queues the email.
pub fn send(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    membership_id: MembershipId,
    inviter: &Inviter<'_>,
    settings: &Settings,
    actor: &Actor,
) -> DomainResult<()> {
    let member = membership::find(conn, organization_id, membership_id)?;
    if member.status != MembershipStatus::Pending {
        return refuse("invitation-not-pending");
    }
    let token = random_token();
    let expires_at = actor.at + settings.invitation_lifetime;
    diesel::delete(invitations::table.filter(invitations::membership_id.eq(membership_id)))
        .execute(conn)?;
    diesel::insert_into(invitations::table)
        .values((
            invitations::token_hash.eq(hash_token(&token)),
            invitations::membership_id.eq(membership_id),
            invitations::invited_by_account_id.eq(actor.account_id),
            invitations::created_at.eq(actor.at),
            invitations::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    let organization = crate::domain::organization::name_of(conn, organization_id)?;
    let (email, _, language) = recipient(conn, member.account_id)?;
    let lang = language
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(inviter.language);
    let link = settings.absolute_url(&format!("/invitations/{token}"));
    let content = compose::invitation(lang, &organization, inviter.name, &link, expires_at)?;
    outbox::enqueue(
        conn,
        &OutgoingEmail {
            organization_id: Some(organization_id),
            kind: "invitation",
            recipient: &email,
            content,
            deadline: expires_at,
        },
        settings.message_id_domain(),
        actor.at,
    )?;
    Ok(())
}

/// Resends a pending invitation with a fresh link.
pub fn resend(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    membership_id: MembershipId,
    inviter: &Inviter<'_>,
    settings: &Settings,
    actor: &Actor,
) -> DomainResult<()> {
    send(
        conn,
        organization_id,
        membership_id,
        inviter,
        settings,
        actor,
    )?;
    let member = membership::find(conn, organization_id, membership_id)?;
    audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "member.invitation-resent",
                Some(member.email),
            )
            .on(TargetKind::Member, membership_id),
    )?;
    Ok(())
}

/// Withdraws a pending invitation: the membership and its link go.
pub fn revoke(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    membership_id: MembershipId,
    actor: &Actor,
) -> DomainResult<()> {
    let member = membership::find(conn, organization_id, membership_id)?;
    if member.status != MembershipStatus::Pending {
        return refuse("invitation-not-pending");
    }
    membership::delete_membership(
        conn,
        organization_id,
        membership_id,
        actor,
        "member.invitation-revoked",
    )
}

/// Queues the "you now have access" notice for someone added with an existing account.
pub fn notify_access_granted(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    account_id: AccountId,
    inviter: &Inviter<'_>,
    settings: &Settings,
    at: PrimitiveDateTime,
) -> DomainResult<()> {
    let organization = crate::domain::organization::name_of(conn, organization_id)?;
    let (email, name, language) = recipient(conn, account_id)?;
    let lang = language
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(inviter.language);
    let content = compose::access_granted(
        lang,
        &organization,
        &name,
        inviter.name,
        &settings.absolute_url("/"),
    )?;
    outbox::enqueue(
        conn,
        &OutgoingEmail {
            organization_id: Some(organization_id),
            kind: "access-granted",
            recipient: &email,
            content,
            deadline: at + Duration::days(3),
        },
        settings.message_id_domain(),
        at,
    )?;
    Ok(())
}

/// What an invitation link leads to.
#[derive(Debug, Clone)]
pub struct OpenInvitation {
    pub membership_id: MembershipId,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub account_id: AccountId,
    pub email: String,
    /// The person has a password already (registered through another organization).
    pub registered: bool,
}

/// Why a link does not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// Not a link we issued, or one replaced by a newer one, or revoked.
    Unknown,
    Used,
    Expired,
}

#[derive(Queryable)]
struct InvitationRow {
    membership_id: MembershipId,
    expires_at: PrimitiveDateTime,
    used_at: Option<PrimitiveDateTime>,
    organization_id: OrganizationId,
    organization_name: String,
    account_id: AccountId,
    email: String,
    password_hash: Option<String>,
}

pub fn open(
    conn: &mut DbConnection,
    token: &str,
    now: PrimitiveDateTime,
) -> QueryResult<Result<OpenInvitation, LinkProblem>> {
    let row: Option<InvitationRow> = invitations::table
        .inner_join(
            memberships::table
                .inner_join(organizations::table)
                .inner_join(accounts::table),
        )
        .filter(invitations::token_hash.eq(hash_token(token)))
        .select((
            invitations::membership_id,
            invitations::expires_at,
            invitations::used_at,
            memberships::organization_id,
            organizations::name,
            memberships::account_id,
            accounts::email,
            accounts::password_hash,
        ))
        .first(conn)
        .optional()?;
    let Some(InvitationRow {
        membership_id,
        expires_at,
        used_at,
        organization_id,
        organization_name,
        account_id,
        email,
        password_hash,
    }) = row
    else {
        return Ok(Err(LinkProblem::Unknown));
    };
    if used_at.is_some() {
        return Ok(Err(LinkProblem::Used));
    }
    if now >= expires_at {
        return Ok(Err(LinkProblem::Expired));
    }
    Ok(Ok(OpenInvitation {
        membership_id,
        organization_id,
        organization_name,
        account_id,
        email,
        registered: password_hash.is_some(),
    }))
}

/// Accepts an invitation: the member becomes Active and the link is spent. For a person without
/// an account yet, `registration` sets their name, password and language.
pub fn accept(
    conn: &mut DbConnection,
    token: &str,
    registration: Option<(&str, &str, &str)>,
    origin: &Origin,
    now: PrimitiveDateTime,
) -> DomainResult<Result<OpenInvitation, LinkProblem>> {
    let invitation = match open(conn, token, now)? {
        Ok(invitation) => invitation,
        Err(problem) => return Ok(Err(problem)),
    };
    match registration {
        Some((name, password_hash, language)) if !invitation.registered => {
            diesel::update(accounts::table.find(invitation.account_id))
                .set((
                    accounts::name.eq(name),
                    accounts::password_hash.eq(password_hash),
                    accounts::password_changed_at.eq(now),
                    accounts::language.eq(language),
                ))
                .execute(conn)?;
            crate::domain::password_history::record(
                conn,
                invitation.account_id,
                password_hash,
                now,
            )?;
            membership::refresh_directory(conn, DirectoryScope::Account(invitation.account_id))?;
        }
        None if invitation.registered => {}
        _ => return Err(DomainError::NotFound),
    }
    let actor = Actor::from_origin(invitation.account_id, origin, now);
    activate(
        conn,
        invitation.organization_id,
        invitation.membership_id,
        &invitation.email,
        &actor,
    )?;
    Ok(Ok(invitation))
}

/// The member becomes Active, their invitation link is spent, and `member.invitation-accepted`
/// is recorded.
fn activate(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    membership_id: MembershipId,
    email: &str,
    actor: &Actor,
) -> QueryResult<()> {
    diesel::update(memberships::table.find(membership_id))
        .set(memberships::status.eq(MembershipStatus::Active))
        .execute(conn)?;
    diesel::update(invitations::table.filter(invitations::membership_id.eq(membership_id)))
        .set(invitations::used_at.eq(actor.at))
        .execute(conn)?;
    audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "member.invitation-accepted",
                Some(email.to_owned()),
            )
            .on(TargetKind::Member, membership_id),
    )
}

/// Accepts the account's pending invitation to the organization, if it has one, without its
/// link: at the first sign-in through the organization's identity provider, which vouches for
/// the person (no registration).
pub fn accept_pending(
    conn: &mut DbConnection,
    account_id: AccountId,
    organization_id: OrganizationId,
    actor: &Actor,
) -> QueryResult<()> {
    let pending: Option<(MembershipId, String)> = memberships::table
        .inner_join(accounts::table)
        .filter(memberships::account_id.eq(account_id))
        .filter(memberships::organization_id.eq(organization_id))
        .filter(memberships::status.eq(MembershipStatus::Pending))
        .select((memberships::id, accounts::email))
        .first(conn)
        .optional()?;
    match pending {
        Some((membership_id, email)) => {
            activate(conn, organization_id, membership_id, &email, actor)
        }
        None => Ok(()),
    }
}
