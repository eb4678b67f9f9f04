//! Client access tokens, from both sides. A partner organization's admins issue tokens and say
//! which of their members act in each client (My Clients); a client's admins accept a token
//! with the roles the partner may hand out, and suspend, resume or end it (My Partner).

use crate::app::access::{Acting, ClientAdmin, PartnerAdmin};
use crate::db::{DbConnection, write_transaction};
use crate::domain::ids::{MembershipId, RoleId};
use crate::domain::partner_token::{self, Preview};
use crate::domain::rules::DomainResult;
use crate::domain::throttle::ThrottleKeys;

// ---------------------------------------------------------------------------------------------
// The partner's side.

/// Issues a new token; returns its id and the token itself, which is shown once and never
/// stored.
pub fn issue(by: &Acting<PartnerAdmin>, conn: &mut DbConnection) -> DomainResult<(i64, String)> {
    write_transaction(conn, |conn| {
        partner_token::issue(conn, by.organization_id(), &by.actor())
    })
}

/// Gives partner members roles in the client (each grant: membership id, client role id), within
/// the client's rules; returns how many grants were added.
pub fn authorize(
    by: &Acting<PartnerAdmin>,
    token_id: i64,
    grants: &[(MembershipId, RoleId)],
    conn: &mut DbConnection,
) -> DomainResult<usize> {
    write_transaction(conn, |conn| {
        partner_token::authorize(conn, by.organization_id(), token_id, grants, &by.actor())
    })
}

/// Replaces the roles one partner member holds in the client.
pub fn set_user_roles(
    by: &Acting<PartnerAdmin>,
    token_id: i64,
    membership_id: MembershipId,
    role_ids: &[RoleId],
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        partner_token::set_user_roles(
            conn,
            by.organization_id(),
            token_id,
            membership_id,
            role_ids,
            &by.actor(),
        )
    })
}

/// Ends what one partner member may do in the client.
pub fn revoke_user(
    by: &Acting<PartnerAdmin>,
    token_id: i64,
    membership_id: MembershipId,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        partner_token::revoke_user(
            conn,
            by.organization_id(),
            token_id,
            membership_id,
            &by.actor(),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// The client's side.

/// Whose a typed token is, before accepting it. Typed tokens count toward the limits of the admin
/// and of their address (`partner_token::with_token_limit`).
pub fn preview(
    by: &Acting<ClientAdmin>,
    token: &str,
    limit: &ThrottleKeys,
    conn: &mut DbConnection,
) -> DomainResult<Preview> {
    partner_token::with_token_limit(conn, limit, by.at(), |conn| {
        partner_token::preview(conn, by.organization_id(), token)
    })
}

/// Accepts a typed token with the client roles the partner may hand out; returns the
/// partnership's id.
pub fn accept(
    by: &Acting<ClientAdmin>,
    token: &str,
    role_ids: &[RoleId],
    limit: &ThrottleKeys,
    conn: &mut DbConnection,
) -> DomainResult<i64> {
    partner_token::with_token_limit(conn, limit, by.at(), |conn| {
        write_transaction(conn, |conn| {
            partner_token::accept(conn, by.organization_id(), token, role_ids, &by.actor())
        })
    })
}

/// Replaces the roles the partner may hand out; grants outside them are deleted. Returns how
/// many grants were.
pub fn set_rules(
    by: &Acting<ClientAdmin>,
    partnership_id: i64,
    role_ids: &[RoleId],
    conn: &mut DbConnection,
) -> DomainResult<usize> {
    write_transaction(conn, |conn| {
        partner_token::set_rules(
            conn,
            by.organization_id(),
            partnership_id,
            role_ids,
            &by.actor(),
        )
    })
}

row_commands! {
    PartnerAdmin:
    /// Switches a token off: its partner users act in the client no more until it is activated.
    deactivate(i64) => partner_token::deactivate;
    activate(i64) => partner_token::activate;
    /// Deletes a token (and, with it, the partnership it started).
    delete(i64) => partner_token::delete;
}

row_commands! {
    ClientAdmin:
    suspend(i64) => partner_token::suspend;
    resume(i64) => partner_token::resume;
    /// Ends the partnership for good: every grant goes.
    end(i64) => partner_token::end;
}
