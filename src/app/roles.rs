//! Roles: creating and changing them, who holds them, and their access to environments.

use crate::app::access::{Acting, Admin};
use crate::db::{DbConnection, write_transaction};
use crate::domain::environment::{self, EnvAccessSet};
use crate::domain::ids::{EnvironmentId, MembershipId, RoleId};
use crate::domain::membership::{self, Unassigned};
use crate::domain::permission::PermissionSet;
use crate::domain::role;
use crate::domain::rules::{DomainResult, refuse};

/// A role's name and permissions, as checked by `role::parse_name` and `role::parse_permissions`.
#[derive(Debug, Clone)]
pub struct RoleInput {
    pub name: String,
    pub permissions: PermissionSet,
}

/// Creates a role; returns its id.
pub fn create(
    by: &Acting<Admin>,
    input: &RoleInput,
    conn: &mut DbConnection,
) -> DomainResult<RoleId> {
    write_transaction(conn, |conn| {
        role::create(
            conn,
            by.organization_id(),
            &input.name,
            input.permissions,
            &by.actor(),
        )
    })
}

pub fn update(
    by: &Acting<Admin>,
    role_id: RoleId,
    input: &RoleInput,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        role::update(
            conn,
            by.organization_id(),
            role_id,
            &input.name,
            input.permissions,
            &by.actor(),
        )
    })
}

/// Switches a role off (its holders keep their assignments, without its rights) or back on.
pub fn set_active(
    by: &Acting<Admin>,
    role_id: RoleId,
    active: bool,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        role::set_active(conn, by.organization_id(), role_id, active, &by.actor())
    })
}

/// Removes a role; returns how many members it removed (those for whom it was the last role).
pub fn remove(by: &Acting<Admin>, role_id: RoleId, conn: &mut DbConnection) -> DomainResult<usize> {
    write_transaction(conn, |conn| {
        role::remove(conn, by.organization_id(), role_id, &by.actor())
    })
}

/// Gives an active role to members; returns how many were given it.
pub fn assign_members(
    by: &Acting<Admin>,
    role_id: RoleId,
    membership_ids: &[MembershipId],
    conn: &mut DbConnection,
) -> DomainResult<usize> {
    write_transaction(conn, |conn| {
        let role = role::find(conn, by.organization_id(), role_id)?;
        if !role.active {
            return refuse("roles-assign-inactive");
        }
        if membership_ids.is_empty() {
            return refuse("roles-assign-none-selected");
        }
        membership::assign_role_to_members(
            conn,
            by.organization_id(),
            role_id,
            membership_ids,
            &by.actor(),
        )
    })
}

/// Switches one member's assignment of the role off or on.
pub fn set_assignment_active(
    by: &Acting<Admin>,
    role_id: RoleId,
    membership_id: MembershipId,
    active: bool,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        role::find(conn, by.organization_id(), role_id)?;
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

/// Takes the role from a member (a member without roles leaves the organization).
pub fn unassign(
    by: &Acting<Admin>,
    role_id: RoleId,
    membership_id: MembershipId,
    conn: &mut DbConnection,
) -> DomainResult<Unassigned> {
    write_transaction(conn, |conn| {
        role::find(conn, by.organization_id(), role_id)?;
        membership::unassign(
            conn,
            by.organization_id(),
            membership_id,
            role_id,
            &by.actor(),
        )
    })
}

/// Sets what the role may do in one environment.
pub fn set_environment_access(
    by: &Acting<Admin>,
    role_id: RoleId,
    environment_id: EnvironmentId,
    access: EnvAccessSet,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        environment::set_role_access(
            conn,
            by.organization_id(),
            role_id,
            environment_id,
            access,
            &by.actor(),
        )
    })
}
