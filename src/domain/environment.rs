//! Environments of an organization, and the access each role has to each of them.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::db::schema::{environments, role_environment_access, roles};
use crate::domain::audit::{self, Actor, TargetKind};
use crate::domain::ids::{EnvironmentId, OrganizationId, RoleId};
use crate::domain::rules::{DomainError, DomainResult, refuse};

/// What a role may do in an environment. A bit set, like permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnvAccess {
    ViewLogs,
    Read,
    Execute,
    Write,
}

impl EnvAccess {
    pub const ALL: [EnvAccess; 4] = [Self::ViewLogs, Self::Read, Self::Execute, Self::Write];

    const fn bit(self) -> i32 {
        match self {
            Self::ViewLogs => 1,
            Self::Read => 1 << 1,
            Self::Execute => 1 << 2,
            Self::Write => 1 << 3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ViewLogs => "view-logs",
            Self::Read => "read",
            Self::Execute => "execute",
            Self::Write => "write",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|access| access.as_str() == value)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EnvAccessSet(i32);

impl EnvAccessSet {
    pub const EMPTY: Self = Self(0);

    pub fn from_bits(bits: i32) -> Self {
        Self(bits & 0b1111)
    }

    pub fn bits(self) -> i32 {
        self.0
    }

    pub fn of(accesses: &[EnvAccess]) -> Self {
        Self(accesses.iter().fold(0, |bits, a| bits | a.bit()))
    }

    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    pub fn has(self, access: EnvAccess) -> bool {
        self.0 & access.bit() != 0
    }

    pub fn with(self, access: EnvAccess, on: bool) -> Self {
        if on {
            Self(self.0 | access.bit())
        } else {
            Self(self.0 & !access.bit())
        }
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = EnvAccess> {
        EnvAccess::ALL.into_iter().filter(move |a| self.has(*a))
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = environments)]
pub struct Environment {
    pub id: EnvironmentId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub name_folded: String,
    pub created_at: PrimitiveDateTime,
}

/// An environment name: trimmed, 1 to 60 characters, no control characters.
pub fn parse_name(candidate: &str) -> Result<String, &'static str> {
    let name = candidate.trim();
    if name.is_empty() {
        Err("environment-name-required")
    } else if name.chars().count() > 60 || name.chars().any(char::is_control) {
        Err("environment-name-invalid")
    } else {
        Ok(name.to_owned())
    }
}

pub fn list(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<Vec<Environment>> {
    environments::table
        .filter(environments::organization_id.eq(organization_id))
        .order((environments::name_folded.asc(), environments::id.asc()))
        .select(Environment::as_select())
        .load(conn)
}

pub fn find(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: EnvironmentId,
) -> DomainResult<Environment> {
    environments::table
        .filter(environments::organization_id.eq(organization_id))
        .filter(environments::id.eq(id))
        .select(Environment::as_select())
        .first(conn)
        .optional()?
        .ok_or(DomainError::NotFound)
}

fn name_taken(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    folded: &str,
    except: Option<EnvironmentId>,
) -> QueryResult<bool> {
    let mut query = environments::table
        .filter(environments::organization_id.eq(organization_id))
        .filter(environments::name_folded.eq(folded))
        .select(environments::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(environments::id.ne(id));
    }
    Ok(query.first::<i64>(conn).optional()?.is_some())
}

pub fn create(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    name: &str,
    actor: &Actor,
) -> DomainResult<EnvironmentId> {
    let folded = name.to_lowercase();
    if name_taken(conn, organization_id, &folded, None)? {
        return refuse("environment-name-taken");
    }
    let id = diesel::insert_into(environments::table)
        .values((
            environments::organization_id.eq(organization_id),
            environments::name.eq(name),
            environments::name_folded.eq(&folded),
            environments::created_at.eq(actor.at),
        ))
        .returning(environments::id)
        .get_result(conn)?;
    audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "environment.created",
                Some(name.to_owned()),
            )
            .on(TargetKind::Environment, id),
    )?;
    Ok(id)
}

pub fn rename(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: EnvironmentId,
    name: &str,
    actor: &Actor,
) -> DomainResult<()> {
    let environment = find(conn, organization_id, id)?;
    let folded = name.to_lowercase();
    if name_taken(conn, organization_id, &folded, Some(id))? {
        return refuse("environment-name-taken");
    }
    diesel::update(environments::table.find(id))
        .set((
            environments::name.eq(name),
            environments::name_folded.eq(&folded),
        ))
        .execute(conn)?;
    let mut event = actor
        .event(
            Some(organization_id),
            "environment.renamed",
            Some(name.to_owned()),
        )
        .on(TargetKind::Environment, id);
    event.details = Some(format!("from {:?}", environment.name));
    audit::record(conn, &event)?;
    Ok(())
}

/// Deletes the environment and every role's access to it.
pub fn delete(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: EnvironmentId,
    actor: &Actor,
) -> DomainResult<()> {
    let environment = find(conn, organization_id, id)?;
    diesel::delete(environments::table.find(id)).execute(conn)?;
    audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "environment.deleted",
                Some(environment.name),
            )
            .on(TargetKind::Environment, id),
    )?;
    Ok(())
}

/// One role's access to one environment, for the environments page and the role panel.
#[derive(Debug, Clone, Queryable)]
pub struct RoleAccess {
    pub environment_id: EnvironmentId,
    pub role_id: RoleId,
    pub role_name: String,
    pub role_active: bool,
    pub access: i32,
}

/// Every non-empty role × environment access in the organization, by environment then role name.
pub fn access_in_organization(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<Vec<RoleAccess>> {
    role_environment_access::table
        .inner_join(roles::table)
        .filter(roles::organization_id.eq(organization_id))
        .order((
            role_environment_access::environment_id.asc(),
            roles::name_folded.asc(),
        ))
        .select((
            role_environment_access::environment_id,
            roles::id,
            roles::name,
            roles::active,
            role_environment_access::access,
        ))
        .load(conn)
}

/// The access a role has to each environment it reaches.
pub fn access_of_role(
    conn: &mut DbConnection,
    role_id: RoleId,
) -> QueryResult<Vec<(EnvironmentId, EnvAccessSet)>> {
    let rows: Vec<(EnvironmentId, i32)> = role_environment_access::table
        .filter(role_environment_access::role_id.eq(role_id))
        .select((
            role_environment_access::environment_id,
            role_environment_access::access,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(env, bits)| (env, EnvAccessSet::from_bits(bits)))
        .collect())
}

/// Sets what a role (of this organization) may do in an environment (of this organization).
pub fn set_role_access(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    role_id: RoleId,
    environment_id: EnvironmentId,
    access: EnvAccessSet,
    actor: &Actor,
) -> DomainResult<()> {
    let environment = find(conn, organization_id, environment_id)?;
    let role_name: String = roles::table
        .filter(roles::organization_id.eq(organization_id))
        .filter(roles::id.eq(role_id))
        .select(roles::name)
        .first(conn)
        .optional()?
        .ok_or(DomainError::NotFound)?;
    let row = role_environment_access::table.find((role_id, environment_id));
    diesel::delete(row).execute(conn)?;
    if !access.is_empty() {
        diesel::insert_into(role_environment_access::table)
            .values((
                role_environment_access::role_id.eq(role_id),
                role_environment_access::environment_id.eq(environment_id),
                role_environment_access::access.eq(access.bits()),
            ))
            .execute(conn)?;
    }
    let mut event = actor
        .event(
            Some(organization_id),
            "role.environment-access-changed",
            Some(role_name),
        )
        .on(TargetKind::Role, role_id);
    event.details = Some(format!(
        "{}: {}",
        environment.name,
        access
            .iter()
            .map(EnvAccess::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    ));
    audit::record(conn, &event)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_sets_toggle() {
        let set = EnvAccessSet::EMPTY
            .with(EnvAccess::Read, true)
            .with(EnvAccess::Write, true);
        assert!(
            set.has(EnvAccess::Read) && set.has(EnvAccess::Write) && !set.has(EnvAccess::Execute)
        );
        assert_eq!(
            set.with(EnvAccess::Read, false).iter().collect::<Vec<_>>(),
            vec![EnvAccess::Write]
        );
        assert_eq!(EnvAccess::parse("view-logs"), Some(EnvAccess::ViewLogs));
    }
}
