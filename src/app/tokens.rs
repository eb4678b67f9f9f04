//! Personal access tokens: created by their owner for one organization, revoked by the owner, by
//! the organization's admins (the owner's tokens only by the owner), or all at once in an
//! incident; their owners are told by email when someone else revokes one and a week before one
//! expires.

use time::{Date, Duration, PrimitiveDateTime};

use crate::app::access::{Acting, Admin, ApiUser, Capabilities, Me};
use crate::config::Settings;
use crate::db::{DbConnection, write_transaction};
use crate::domain::audit::Actor;
use crate::domain::external_access::expiry_instant;
use crate::domain::ids::{AccountId, MembershipId, OrganizationId, TokenId};
use crate::domain::outbox::{self, OutgoingEmail};
use crate::domain::personal_token::{self, TokenScope, TokenSummary};
use crate::domain::rules::{DomainError, DomainResult, refuse};
use crate::domain::{account, membership, organization, policy, session};
use crate::i18n::Lang;
use crate::i18n::format::Viewer;
use crate::mail::compose::{self, TokenNotice};

/// When a new token ends: a number of days from now, or at 23:59 of a date in the owner's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    Days(i64),
    On(Date),
}

/// A new token as its owner asked for it (name checked by `personal_token::parse_name`).
#[derive(Debug, Clone)]
pub struct NewToken {
    pub name: String,
    pub organization_id: OrganizationId,
    pub scope: TokenScope,
    pub expiry: Expiry,
}

/// A token just made: its secret is shown once, now.
#[derive(Debug, Clone)]
pub struct CreatedToken {
    pub id: TokenId,
    pub secret: String,
    pub expires_at: PrimitiveDateTime,
}

/// Creates a token for the caller in an organization where they hold API access now. The
/// organization's rules apply as for a session acting there: its IP allow-list, and its
/// two-factor step, which this session must have passed there (`acting_in` is the organization
/// the session acts in with nothing pending, which the session layer has already vetted).
pub fn create(
    by: &Me,
    input: &NewToken,
    acting_in: Option<OrganizationId>,
    time_zone: &str,
    conn: &mut DbConnection,
) -> DomainResult<CreatedToken> {
    write_transaction(conn, |conn| {
        let organization_id = input.organization_id;
        let Some(member) = organization::member_context(conn, by.account_id(), organization_id)?
        else {
            return refuse("tokens-organization-invalid");
        };
        if Capabilities::of(by.account_id(), &member)
            .grant::<ApiUser>()
            .is_none()
        {
            return refuse("tokens-api-access-required");
        }
        if !policy::address_allowed(&member.ip_allow_list, by.ip()) {
            return refuse("tokens-address-not-allowed");
        }
        let two_factor_passed = member.two_factor_off
            || acting_in == Some(organization_id)
            || session::two_factor_entered(conn, by.session_hash(), organization_id)?;
        if !two_factor_passed {
            return refuse("tokens-two-factor-required");
        }
        let (max_days, _) = policy::token_settings(conn, organization_id)?;
        let expires_at = match input.expiry {
            Expiry::Days(days) => by.at() + Duration::days(days),
            Expiry::On(date) => expiry_instant(date, time_zone),
        };
        if expires_at <= by.at() {
            return refuse("tokens-expiry-past");
        }
        // A date may end later on its last day than "max days from now" does: a day of grace.
        if expires_at > by.at() + Duration::days(i64::from(max_days) + 1) {
            return refuse("tokens-expiry-too-long");
        }
        let (id, secret) = personal_token::create(
            conn,
            by.account_id(),
            organization_id,
            &input.name,
            input.scope,
            expires_at,
            &by.actor(),
        )?;
        Ok(CreatedToken {
            id,
            secret,
            expires_at,
        })
    })
}

/// Revokes one of the caller's own tokens.
pub fn revoke_own(by: &Me, token_id: TokenId, conn: &mut DbConnection) -> DomainResult<()> {
    revoke_of_account(by.account_id(), &by.actor(), token_id, conn)
}

/// Revokes one of the token owner's own tokens through the API, in any organization, as the
/// profile page does (the token the request is made with too).
pub fn revoke_own_through_token(
    by: &Acting<ApiUser>,
    token_id: TokenId,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    revoke_of_account(by.account_id(), &by.actor(), token_id, conn)
}

fn revoke_of_account(
    account_id: AccountId,
    actor: &Actor,
    token_id: TokenId,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        let token = personal_token::find(conn, token_id)?
            .filter(|token| token.account_id == account_id)
            .ok_or(DomainError::NotFound)?;
        personal_token::revoke(conn, &token, actor)?;
        Ok(())
    })
}

/// Revokes a member's token as an admin of its organization, and tells its owner by email. The
/// organization owner's tokens are the owner's alone to revoke.
pub fn revoke_member_token(
    by: &Acting<Admin>,
    membership_id: MembershipId,
    token_id: TokenId,
    settings: &Settings,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        let (_, token) = member_token(by, membership_id, token_id, conn)?;
        let owner = organization::owner_of(conn, by.organization_id())?;
        if owner == Some(token.account_id) && by.account_id() != token.account_id {
            return refuse("tokens-owner-only");
        }
        if personal_token::revoke(conn, &token, &by.actor())? && token.account_id != by.account_id()
        {
            tell_owner_of_revocation(conn, by, &token, settings)?;
        }
        Ok(())
    })
}

fn tell_owner_of_revocation(
    conn: &mut DbConnection,
    by: &Acting<Admin>,
    token: &TokenSummary,
    settings: &Settings,
) -> DomainResult<()> {
    let Some(holder) = account::find(conn, token.account_id)? else {
        return Ok(());
    };
    let lang = holder
        .language
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(by.inviter().language);
    let content = compose::token_notice(
        lang,
        &holder.name,
        &token.name,
        &token.organization_name,
        TokenNotice::Revoked {
            by: by.inviter().name,
        },
        &settings.absolute_url("/profile/tokens"),
    )?;
    outbox::enqueue(
        conn,
        &OutgoingEmail {
            organization_id: Some(by.organization_id()),
            kind: "token-revoked",
            recipient: &holder.email,
            content,
            deadline: by.at() + Duration::days(1),
        },
        settings.message_id_domain(),
        by.at(),
    )?;
    Ok(())
}

/// Revokes every live token of the organization (an incident); the owner's tokens too only when
/// the owner does it. Returns how many were revoked.
pub fn revoke_all(by: &Acting<Admin>, conn: &mut DbConnection) -> DomainResult<usize> {
    write_transaction(conn, |conn| {
        let owner = organization::owner_of(conn, by.organization_id())?;
        let spared = owner.filter(|owner| *owner != by.account_id());
        Ok(personal_token::revoke_all(
            conn,
            by.organization_id(),
            spared,
            &by.actor(),
        )?)
    })
}

/// Emails the owners of tokens that end within a week (once per token); returns how many were
/// queued. Run by the periodic clean-up; several instances may run it at once.
pub fn send_expiry_notices(
    settings: &Settings,
    now: PrimitiveDateTime,
    conn: &mut DbConnection,
) -> DomainResult<usize> {
    let mut sent = 0;
    for token in personal_token::due_expiry_notices(conn, now, 500)? {
        let queued = write_transaction(conn, |conn| -> DomainResult<bool> {
            if !personal_token::mark_expiry_notice_sent(conn, token.id, now)? {
                return Ok(false);
            }
            let lang = token
                .language
                .as_deref()
                .and_then(Lang::from_tag)
                .unwrap_or(Lang::En);
            let zone = token
                .time_zone
                .clone()
                .filter(|zone| !zone.is_empty())
                .unwrap_or_else(|| "UTC".to_owned());
            let expires = Viewer { lang, zone }.datetime(token.expires_at);
            let content = compose::token_notice(
                lang,
                &token.owner_name,
                &token.name,
                &token.organization_name,
                TokenNotice::Expiring { expires: &expires },
                &settings.absolute_url("/profile/tokens"),
            )?;
            outbox::enqueue(
                conn,
                &OutgoingEmail {
                    organization_id: Some(token.organization_id),
                    kind: "token-expiring",
                    recipient: &token.email,
                    content,
                    deadline: token.expires_at,
                },
                settings.message_id_domain(),
                now,
            )?;
            Ok(true)
        })?;
        sent += usize::from(queued);
    }
    Ok(sent)
}

/// The caller's tokens in every organization, newest first.
pub fn mine(by: &Me, conn: &mut DbConnection) -> DomainResult<Vec<TokenSummary>> {
    Ok(personal_token::of_account(conn, by.account_id())?)
}

/// One of a member's live tokens in the admin's organization, with the member's name; any other
/// token is not found.
pub fn member_token(
    by: &Acting<Admin>,
    membership_id: MembershipId,
    token_id: TokenId,
    conn: &mut DbConnection,
) -> DomainResult<(String, TokenSummary)> {
    let person = membership::find(conn, by.organization_id(), membership_id)?;
    let token = personal_token::find(conn, token_id)?
        .filter(|token| {
            token.organization_id == by.organization_id()
                && token.account_id == person.account_id
                && token.is_live(by.at())
        })
        .ok_or(DomainError::NotFound)?;
    Ok((person.name, token))
}

/// A member's live tokens in the admin's organization.
pub fn of_member(
    by: &Acting<Admin>,
    account_id: AccountId,
    conn: &mut DbConnection,
) -> DomainResult<Vec<TokenSummary>> {
    Ok(personal_token::live_of_member(
        conn,
        by.organization_id(),
        account_id,
        by.at(),
    )?)
}
