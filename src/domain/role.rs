//! Roles of an organization: their permissions, status, members and rules. The built-in
//! Administrator and User roles cannot be renamed, changed, deactivated or removed.

use std::collections::HashMap;

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::db::schema::{memberships, organizations, role_assignments, roles};
use crate::domain::audit::{self, Actor, FieldChange, TargetKind};
use crate::domain::ids::{MembershipId, OrganizationId, RoleId};
use crate::domain::kinds::BuiltinRole;
use crate::domain::kinds::OrganizationKind;
use crate::domain::membership::{self, DirectoryScope};
use crate::domain::permission::{Permission, PermissionSet};
use crate::domain::rules::{DomainError, DomainResult, refuse};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = roles)]
pub struct Role {
    pub id: RoleId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub name_folded: String,
    pub permissions: i32,
    pub builtin: Option<BuiltinRole>,
    pub active: bool,
    pub created_at: PrimitiveDateTime,
}

impl Role {
    pub fn permission_set(&self) -> PermissionSet {
        PermissionSet::from_bits(self.permissions)
    }

    pub fn is_builtin(&self) -> bool {
        self.builtin.is_some()
    }
}

/// A role name: trimmed, 1 to 60 characters, no control characters.
pub fn parse_name(candidate: &str) -> Result<String, &'static str> {
    let name = candidate.trim();
    if name.is_empty() {
        Err("role-name-required")
    } else if name.chars().count() > 60 || name.chars().any(char::is_control) {
        Err("role-name-invalid")
    } else {
        Ok(name.to_owned())
    }
}

/// The permissions offered for a role; App Developer is deprecated and only kept where present.
pub fn parse_permissions(
    values: &[String],
    previous: Option<PermissionSet>,
) -> Result<PermissionSet, &'static str> {
    let mut chosen = Vec::new();
    for value in values {
        let permission: Permission = value.parse().map_err(|_| "role-permissions-invalid")?;
        let kept_deprecated = permission == Permission::AppDeveloper
            && previous.is_some_and(|set| set.iter().any(|p| p == Permission::AppDeveloper));
        if permission == Permission::AppDeveloper && !kept_deprecated {
            return Err("role-permissions-invalid");
        }
        chosen.push(permission);
    }
    if chosen.is_empty() {
        return Err("role-permissions-required");
    }
    Ok(PermissionSet::of(&chosen))
}

pub fn find(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: RoleId,
) -> DomainResult<Role> {
    roles::table
        .filter(roles::organization_id.eq(organization_id))
        .filter(roles::id.eq(id))
        .select(Role::as_select())
        .first(conn)
        .optional()?
        .ok_or(DomainError::NotFound)
}

/// Every role of the organization by name.
pub fn list(conn: &mut DbConnection, organization_id: OrganizationId) -> QueryResult<Vec<Role>> {
    roles::table
        .filter(roles::organization_id.eq(organization_id))
        .order((roles::name_folded.asc(), roles::id.asc()))
        .select(Role::as_select())
        .load(conn)
}

/// How many members hold each role (assignments active or not), in one grouped query.
pub fn member_counts(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<HashMap<RoleId, i64>> {
    let rows: Vec<(RoleId, i64)> = role_assignments::table
        .inner_join(roles::table)
        .filter(roles::organization_id.eq(organization_id))
        .group_by(role_assignments::role_id)
        .select((role_assignments::role_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

fn name_taken(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    folded: &str,
    except: Option<RoleId>,
) -> QueryResult<bool> {
    let mut query = roles::table
        .filter(roles::organization_id.eq(organization_id))
        .filter(roles::name_folded.eq(folded))
        .select(roles::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(roles::id.ne(id));
    }
    Ok(query.first::<i64>(conn).optional()?.is_some())
}

/// A partner company's organization (created by a client's registration) has two fixed roles,
/// Admin and Member: none can be added, renamed, changed or removed.
fn refuse_fixed_roles(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> DomainResult<()> {
    let kind: Option<OrganizationKind> = organizations::table
        .find(organization_id)
        .select(organizations::kind)
        .first(conn)
        .optional()?;
    if kind == Some(OrganizationKind::Partner) {
        return refuse("partners-roles-fixed");
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    name: &str,
    permissions: PermissionSet,
    actor: &Actor,
) -> DomainResult<RoleId> {
    refuse_fixed_roles(conn, organization_id)?;
    let folded = name.to_lowercase();
    if name_taken(conn, organization_id, &folded, None)? {
        return refuse("role-name-taken");
    }
    let id = diesel::insert_into(roles::table)
        .values((
            roles::organization_id.eq(organization_id),
            roles::name.eq(name),
            roles::name_folded.eq(&folded),
            roles::permissions.eq(permissions.bits()),
            roles::active.eq(true),
            roles::created_at.eq(actor.at),
        ))
        .returning(roles::id)
        .get_result(conn)?;
    let mut event = actor
        .event(Some(organization_id), "role.created", Some(name.to_owned()))
        .on(TargetKind::Role, id);
    event.details = Some(permission_list(permissions));
    audit::record(conn, &event)?;
    Ok(id)
}

fn permission_list(permissions: PermissionSet) -> String {
    permissions
        .iter()
        .map(Permission::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

fn editable(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: RoleId,
) -> DomainResult<Role> {
    let role = find(conn, organization_id, id)?;
    refuse_fixed_roles(conn, organization_id)?;
    if role.is_builtin() {
        return refuse("role-builtin");
    }
    Ok(role)
}

/// Renames a role and sets its permissions.
pub fn update(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: RoleId,
    name: &str,
    permissions: PermissionSet,
    actor: &Actor,
) -> DomainResult<()> {
    let role = editable(conn, organization_id, id)?;
    let folded = name.to_lowercase();
    if name_taken(conn, organization_id, &folded, Some(id))? {
        return refuse("role-name-taken");
    }
    diesel::update(roles::table.find(id))
        .set((
            roles::name.eq(name),
            roles::name_folded.eq(&folded),
            roles::permissions.eq(permissions.bits()),
        ))
        .execute(conn)?;
    if role.name != name {
        membership::refresh_directory(conn, DirectoryScope::Role(id))?;
    }
    let mut changes = Vec::new();
    if role.name != name {
        changes.push(FieldChange::new("name", role.name.clone(), name));
    }
    if role.permission_set() != permissions {
        changes.push(FieldChange::new(
            "permissions",
            permission_list(role.permission_set()),
            permission_list(permissions),
        ));
    }
    let event = actor
        .event(Some(organization_id), "role.updated", Some(name.to_owned()))
        .on(TargetKind::Role, id)
        .with_changes(&changes);
    audit::record(conn, &event)?;
    Ok(())
}

/// Deactivating suspends everything the role grants, environment access included; reactivating
/// brings it back as it was.
pub fn set_active(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: RoleId,
    active: bool,
    actor: &Actor,
) -> DomainResult<()> {
    let role = editable(conn, organization_id, id)?;
    diesel::update(roles::table.find(id))
        .set(roles::active.eq(active))
        .execute(conn)?;
    let action = if active {
        "role.reactivated"
    } else {
        "role.deactivated"
    };
    audit::record(
        conn,
        &actor
            .event(Some(organization_id), action, Some(role.name))
            .on(TargetKind::Role, id),
    )?;
    Ok(())
}

/// Removes a role with its assignments and environment access. Members for whom it was the last
/// role leave the organization (a member cannot exist without a role). Returns how many left.
pub fn remove(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: RoleId,
    actor: &Actor,
) -> DomainResult<usize> {
    let role = editable(conn, organization_id, id)?;
    let holders: Vec<MembershipId> = role_assignments::table
        .filter(role_assignments::role_id.eq(id))
        .select(role_assignments::membership_id)
        .load(conn)?;
    diesel::delete(roles::table.find(id)).execute(conn)?;
    let mut left = 0;
    for chunk in holders.chunks(500) {
        let orphans: Vec<MembershipId> = memberships::table
            .filter(memberships::id.eq_any(chunk))
            .filter(diesel::dsl::not(diesel::dsl::exists(
                role_assignments::table.filter(role_assignments::membership_id.eq(memberships::id)),
            )))
            .select(memberships::id)
            .load(conn)?;
        for membership_id in &orphans {
            membership::delete_membership(
                conn,
                organization_id,
                *membership_id,
                actor,
                "member.removed-with-last-role",
            )?;
        }
        left += orphans.len();
        let remaining: Vec<MembershipId> = chunk
            .iter()
            .copied()
            .filter(|m| !orphans.contains(m))
            .collect();
        membership::refresh_directory(conn, DirectoryScope::Memberships(&remaining))?;
    }
    audit::record(
        conn,
        &actor
            .event(Some(organization_id), "role.removed", Some(role.name))
            .on(TargetKind::Role, id),
    )?;
    Ok(left)
}

/// The roles before and after this one in name order, for stepping through the role panel.
pub fn neighbours(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: RoleId,
) -> QueryResult<(Option<RoleId>, Option<RoleId>)> {
    let ids: Vec<RoleId> = roles::table
        .filter(roles::organization_id.eq(organization_id))
        .order((roles::name_folded.asc(), roles::id.asc()))
        .select(roles::id)
        .load(conn)?;
    let position = ids.iter().position(|role| *role == id);
    Ok(match position {
        Some(at) => (
            at.checked_sub(1).map(|before| ids[before]),
            ids.get(at + 1).copied(),
        ),
        None => (None, None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_need_one_and_refuse_the_deprecated_one_for_new_roles() {
        assert_eq!(
            parse_permissions(&[], None),
            Err("role-permissions-required")
        );
        assert_eq!(
            parse_permissions(&["app-developer".into()], None),
            Err("role-permissions-invalid")
        );
        assert_eq!(
            parse_permissions(&["nonsense".into()], None),
            Err("role-permissions-invalid")
        );
        let kept = PermissionSet::of(&[Permission::AppDeveloper]);
        assert!(parse_permissions(&["app-developer".into()], Some(kept)).is_ok());
        let set = parse_permissions(&["read".into(), "api-consumer".into()], None).unwrap();
        assert!(set.allows(Permission::ApiConsumer) && !set.allows(Permission::Admin));
    }

    #[test]
    fn role_names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  Developers "), Ok("Developers".to_owned()));
        assert_eq!(parse_name(" "), Err("role-name-required"));
        assert_eq!(parse_name(&"x".repeat(61)), Err("role-name-invalid"));
    }
}
