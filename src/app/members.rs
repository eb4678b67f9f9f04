//! The organization's members: adding people (an invitation, or access granted at once),
//! invitations, their roles, reactivation and removal.

use crate::app::access::{Acting, Admin};
use crate::app::roles::RoleInput;
use crate::config::Settings;
use crate::db::{DbConnection, write_transaction};
use crate::domain::account::EmailAddress;
use crate::domain::ids::{MembershipId, RoleId};
use crate::domain::invitation;
use crate::domain::membership::{self, Added, Unassigned};
use crate::domain::role;
use crate::domain::rules::DomainResult;

/// Someone to add, by email, with the roles they get.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub email: EmailAddress,
    pub role_ids: Vec<RoleId>,
}

/// Adds a person with roles. Someone without an account (or who never registered) becomes a
/// Pending member and is sent an invitation; an existing account becomes Active at once and is
/// told by email. The organization's member domains, a registered partner's email domains and
/// the single sign-on membership rule apply (`membership::add`).
pub fn add(
    by: &Acting<Admin>,
    input: &NewMember,
    settings: &Settings,
    conn: &mut DbConnection,
) -> DomainResult<Added> {
    write_transaction(conn, |conn| {
        let (organization_id, actor) = (by.organization_id(), by.actor());
        let language = by.inviter().language;
        let added = membership::add(
            conn,
            organization_id,
            &input.email,
            &input.role_ids,
            Some(language.tag()),
            &actor,
        )?;
        match &added {
            Added::Invited { membership_id, .. } => invitation::send(
                conn,
                organization_id,
                *membership_id,
                &by.inviter(),
                settings,
                &actor,
            )?,
            Added::Granted { account_id, .. } => invitation::notify_access_granted(
                conn,
                organization_id,
                *account_id,
                &by.inviter(),
                settings,
                actor.at,
            )?,
        }
        Ok(added)
    })
}

/// Sends a Pending member a new invitation (the old link stops working).
pub fn resend_invitation(
    by: &Acting<Admin>,
    membership_id: MembershipId,
    settings: &Settings,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        invitation::resend(
            conn,
            by.organization_id(),
            membership_id,
            &by.inviter(),
            settings,
            &by.actor(),
        )
    })
}

/// Gives a member more roles.
pub fn assign_roles(
    by: &Acting<Admin>,
    membership_id: MembershipId,
    role_ids: &[RoleId],
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        membership::assign(
            conn,
            by.organization_id(),
            membership_id,
            role_ids,
            &by.actor(),
        )
    })
}

/// Creates a role and gives it to the member, in one step.
pub fn create_and_assign_role(
    by: &Acting<Admin>,
    membership_id: MembershipId,
    input: &RoleInput,
    conn: &mut DbConnection,
) -> DomainResult<RoleId> {
    write_transaction(conn, |conn| {
        let (organization_id, actor) = (by.organization_id(), by.actor());
        let role_id = role::create(
            conn,
            organization_id,
            &input.name,
            input.permissions,
            &actor,
        )?;
        membership::assign(conn, organization_id, membership_id, &[role_id], &actor)?;
        Ok(role_id)
    })
}

/// Switches one of the member's assignments off or on.
pub fn set_assignment_active(
    by: &Acting<Admin>,
    membership_id: MembershipId,
    role_id: RoleId,
    active: bool,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        membership::set_assignment_active(
            conn,
            by.organization_id(),
            membership_id,
            role_id,
            active,
            &by.actor(),
        )
    })
}

/// Takes a role from the member (without roles, they leave the organization).
pub fn unassign_role(
    by: &Acting<Admin>,
    membership_id: MembershipId,
    role_id: RoleId,
    conn: &mut DbConnection,
) -> DomainResult<Unassigned> {
    write_transaction(conn, |conn| {
        membership::unassign(
            conn,
            by.organization_id(),
            membership_id,
            role_id,
            &by.actor(),
        )
    })
}

row_commands! {
    Admin:
    /// Withdraws a Pending member's invitation; they leave the organization.
    revoke_invitation(MembershipId) => invitation::revoke;
    /// Brings an Inactive member back to Active.
    reactivate(MembershipId) => membership::reactivate;
    /// Removes a member from the organization (never the last active Administrator).
    remove(MembershipId) => membership::remove;
    /// Resets a member's authenticator app (an account of this organization alone, not the
    /// owner's).
    reset_authenticator(MembershipId) => crate::domain::authenticator::reset_for_member;
}
