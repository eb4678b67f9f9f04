//! Organizations, their members, and the rights a member holds in one of them.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::db::schema::{
    memberships, organizations, role_assignments, role_environment_access, roles,
};
use crate::domain::audit::{self, Actor};
use crate::domain::environment::EnvAccessSet;
use crate::domain::ids::{AccountId, MembershipId, OrganizationId, RoleId};
use crate::domain::kinds::{BuiltinRole, MembershipStatus, OrganizationKind};
use crate::domain::membership::{self, DirectoryScope};
use crate::domain::permission::PermissionSet;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organizations)]
pub struct Organization {
    pub id: OrganizationId,
    pub name: String,
    pub owner_account_id: Option<AccountId>,
    pub created_at: PrimitiveDateTime,
}

/// An organization name: trimmed, 1 to 100 characters, no control characters.
pub fn parse_name(candidate: &str) -> Result<String, &'static str> {
    let name = candidate.trim();
    if name.is_empty() {
        Err("organization-name-required")
    } else if name.chars().count() > 100 || name.chars().any(char::is_control) {
        Err("organization-name-invalid")
    } else {
        Ok(name.to_owned())
    }
}

/// Creates an organization with its built-in roles and makes `owner_account_id` its owner and an
/// active Administrator, all in the caller's transaction.
pub fn create_with_owner(
    conn: &mut DbConnection,
    name: &str,
    owner_account_id: AccountId,
    actor: &Actor,
) -> QueryResult<Organization> {
    let now = actor.at;
    let id: OrganizationId = diesel::insert_into(organizations::table)
        .values((
            organizations::name.eq(name),
            organizations::owner_account_id.eq(owner_account_id),
            organizations::created_at.eq(now),
        ))
        .returning(organizations::id)
        .get_result(conn)?;
    let organization = Organization {
        id,
        name: name.to_owned(),
        owner_account_id: Some(owner_account_id),
        created_at: now,
    };

    let mut administrator_role_id = RoleId::new(0);
    for builtin in [BuiltinRole::Administrator, BuiltinRole::User] {
        let role_id: RoleId = diesel::insert_into(roles::table)
            .values((
                roles::organization_id.eq(organization.id),
                roles::name.eq(builtin.name()),
                roles::name_folded.eq(builtin.name().to_lowercase()),
                roles::permissions.eq(builtin.permissions().bits()),
                roles::builtin.eq(builtin),
                roles::active.eq(true),
                roles::created_at.eq(now),
            ))
            .returning(roles::id)
            .get_result(conn)?;
        if builtin == BuiltinRole::Administrator {
            administrator_role_id = role_id;
        }
    }

    let membership_id: MembershipId = diesel::insert_into(memberships::table)
        .values((
            memberships::organization_id.eq(organization.id),
            memberships::account_id.eq(owner_account_id),
            memberships::status.eq(MembershipStatus::Active),
            memberships::created_at.eq(now),
        ))
        .returning(memberships::id)
        .get_result(conn)?;
    diesel::insert_into(role_assignments::table)
        .values((
            role_assignments::membership_id.eq(membership_id),
            role_assignments::role_id.eq(administrator_role_id),
            role_assignments::active.eq(true),
            role_assignments::created_at.eq(now),
        ))
        .execute(conn)?;
    membership::refresh_directory(conn, DirectoryScope::Memberships(&[membership_id]))?;
    membership::count_members(conn, organization.id, 1)?;

    audit::record(
        conn,
        &actor.event(
            Some(organization.id),
            "organization.created",
            Some(organization.name.clone()),
        ),
    )?;
    Ok(organization)
}

/// Creates a partner company's organization (kind `partner`) for a client's registration: no
/// owner, and two fixed roles, "Admin" (the built-in Administrator: Admin, so it may invite
/// members) and "Member" (the built-in User: Read). Members come later, by invitation.
pub fn create_partner_organization(
    conn: &mut DbConnection,
    name: &str,
    actor: &Actor,
) -> QueryResult<Organization> {
    let now = actor.at;
    let id: OrganizationId = diesel::insert_into(organizations::table)
        .values((
            organizations::name.eq(name),
            organizations::kind.eq(OrganizationKind::Partner),
            organizations::created_at.eq(now),
        ))
        .returning(organizations::id)
        .get_result(conn)?;
    for (builtin, role_name) in [
        (BuiltinRole::Administrator, "Admin"),
        (BuiltinRole::User, "Member"),
    ] {
        diesel::insert_into(roles::table)
            .values((
                roles::organization_id.eq(id),
                roles::name.eq(role_name),
                roles::name_folded.eq(role_name.to_lowercase()),
                roles::permissions.eq(builtin.permissions().bits()),
                roles::builtin.eq(builtin),
                roles::active.eq(true),
                roles::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    audit::record(
        conn,
        &actor.event(Some(id), "organization.created", Some(name.to_owned())),
    )?;
    Ok(Organization {
        id,
        name: name.to_owned(),
        owner_account_id: None,
        created_at: now,
    })
}

/// One organization an account can act in, as the switcher shows it.
#[derive(Debug, Clone)]
pub struct OrganizationChoice {
    pub id: OrganizationId,
    pub name: String,
    /// A client reached as a partner user: the partner it is reached through.
    pub via: Option<String>,
}

/// The organizations where the account is an active member (of an organization that is not
/// deactivated), by name.
fn memberships_of_account(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<Vec<OrganizationChoice>> {
    Ok(organizations::table
        .inner_join(memberships::table)
        .filter(memberships::account_id.eq(account_id))
        .filter(memberships::status.eq(MembershipStatus::Active))
        .filter(organizations::deactivated_at.is_null())
        .order((organizations::name.asc(), organizations::id.asc()))
        .select((organizations::id, organizations::name))
        .load::<(OrganizationId, String)>(conn)?
        .into_iter()
        .map(|(id, name)| OrganizationChoice {
            id,
            name,
            via: None,
        })
        .collect())
}

/// Every organization the account can act in: its memberships, then the clients it reaches as
/// a partner user (marked with the partner), each group by name.
pub fn choices_for_account(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<Vec<OrganizationChoice>> {
    let mut choices = memberships_of_account(conn, account_id)?;
    for (id, name, partner) in crate::domain::partnership::clients_of_account(conn, account_id)? {
        if !choices.iter().any(|choice| choice.id == id) {
            choices.push(OrganizationChoice {
                id,
                name,
                via: Some(partner),
            });
        }
    }
    Ok(choices)
}

/// The organization an account acts in by default: the first of its active memberships, else
/// the first client it reaches as a partner user.
pub fn default_for_account(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<Option<OrganizationId>> {
    Ok(choices_for_account(conn, account_id)?
        .first()
        .map(|choice| choice.id))
}

/// What a request needs to know about the member acting in an organization.
#[derive(Debug, Clone)]
pub struct MemberContext {
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub is_owner: bool,
    pub permissions: PermissionSet,
    /// The union of the access the member's active roles have to any environment.
    pub environment_access: EnvAccessSet,
    /// The member's active roles (active assignments of active roles).
    pub role_ids: Vec<RoleId>,
    /// The organization's IP allow-list (empty allows any address).
    pub ip_allow_list: Vec<String>,
    /// Whether the organization asks for a second step at all (spares the check when it is off).
    pub two_factor_off: bool,
    /// Acting as a partner user (no membership here): the partners the rights come through.
    pub via_partner: Option<String>,
    /// The organization is a partner: created by a partner registration (`kind` partner, fixed
    /// roles), or enabled by an operator. Its admins issue client tokens (My Clients).
    pub is_partner_organization: bool,
    /// Created by a partner registration: roles are fixed (Admin, Member).
    pub is_registered_partner: bool,
}

impl MemberContext {
    /// Admins manage members; members whose roles reach any environment with Execute or View
    /// Logs may look at the list.
    pub fn may_view_users(&self) -> bool {
        self.permissions
            .allows(crate::domain::permission::Permission::Admin)
            || self
                .environment_access
                .has(crate::domain::environment::EnvAccess::Execute)
            || self
                .environment_access
                .has(crate::domain::environment::EnvAccess::ViewLogs)
    }
}

/// The account's standing in the organization, or None when it is neither an active member
/// there nor a partner user with granted roles. Effective rights are the union over active
/// assignments of active roles (for a partner user: of granted roles the client's rules still
/// allow). A deactivated organization gives nobody anything.
pub fn member_context(
    conn: &mut DbConnection,
    account_id: AccountId,
    organization_id: OrganizationId,
) -> QueryResult<Option<MemberContext>> {
    #[derive(Queryable)]
    struct Standing {
        membership_id: i64,
        organization_name: String,
        owner_account_id: Option<AccountId>,
        partner_enabled: bool,
        kind: OrganizationKind,
    }
    let standing: Option<Standing> = memberships::table
        .inner_join(organizations::table)
        .filter(memberships::account_id.eq(account_id))
        .filter(memberships::organization_id.eq(organization_id))
        .filter(memberships::status.eq(MembershipStatus::Active))
        .filter(organizations::deactivated_at.is_null())
        .select((
            memberships::id,
            organizations::name,
            organizations::owner_account_id,
            organizations::partner_enabled,
            organizations::kind,
        ))
        .first(conn)
        .optional()?;
    let Some(Standing {
        membership_id,
        organization_name,
        owner_account_id,
        partner_enabled,
        kind,
    }) = standing
    else {
        return partner_user_context(conn, account_id, organization_id);
    };
    let grants: Vec<(RoleId, i32)> = role_assignments::table
        .inner_join(roles::table)
        .filter(role_assignments::membership_id.eq(membership_id))
        .filter(role_assignments::active.eq(true))
        .filter(roles::active.eq(true))
        .select((roles::id, roles::permissions))
        .load(conn)?;
    let permissions = grants.iter().fold(PermissionSet::EMPTY, |set, (_, bits)| {
        set.union(PermissionSet::from_bits(*bits))
    });
    let role_ids: Vec<RoleId> = grants.iter().map(|(id, _)| *id).collect();
    let environment_access = environment_access_of(conn, &role_ids)?;
    let (two_factor_mode, ip_allow_list) =
        crate::domain::policy::access_rules(conn, organization_id)?;
    Ok(Some(MemberContext {
        organization_id,
        organization_name,
        is_owner: owner_account_id == Some(account_id),
        permissions,
        environment_access,
        role_ids,
        two_factor_off: two_factor_mode == crate::domain::policy::TwoFactorMode::Off,
        ip_allow_list,
        via_partner: None,
        is_partner_organization: partner_enabled || kind == OrganizationKind::Partner,
        is_registered_partner: kind == OrganizationKind::Partner,
    }))
}

/// A partner user's standing in a client: the client's policy applies to them as to members.
fn partner_user_context(
    conn: &mut DbConnection,
    account_id: AccountId,
    organization_id: OrganizationId,
) -> QueryResult<Option<MemberContext>> {
    let Some(access) =
        crate::domain::partnership::partner_access(conn, account_id, organization_id)?
    else {
        return Ok(None);
    };
    let (organization_name, partner_enabled, kind): (String, bool, OrganizationKind) =
        organizations::table
            .find(organization_id)
            .select((
                organizations::name,
                organizations::partner_enabled,
                organizations::kind,
            ))
            .first(conn)?;
    let environment_access = environment_access_of(conn, &access.role_ids)?;
    let (two_factor_mode, ip_allow_list) =
        crate::domain::policy::access_rules(conn, organization_id)?;
    Ok(Some(MemberContext {
        organization_id,
        organization_name,
        is_owner: false,
        permissions: access.permissions,
        environment_access,
        role_ids: access.role_ids,
        two_factor_off: two_factor_mode == crate::domain::policy::TwoFactorMode::Off,
        ip_allow_list,
        via_partner: Some(access.partner_names.join(", ")),
        is_partner_organization: partner_enabled || kind == OrganizationKind::Partner,
        is_registered_partner: kind == OrganizationKind::Partner,
    }))
}

fn environment_access_of(
    conn: &mut DbConnection,
    role_ids: &[RoleId],
) -> QueryResult<EnvAccessSet> {
    Ok(role_environment_access::table
        .filter(role_environment_access::role_id.eq_any(role_ids))
        .select(role_environment_access::access)
        .load::<i32>(conn)?
        .into_iter()
        .fold(EnvAccessSet::EMPTY, |set, bits| {
            set.union(EnvAccessSet::from_bits(bits))
        }))
}

/// Counts for the overview page.
pub fn member_count(conn: &mut DbConnection, organization_id: OrganizationId) -> QueryResult<i64> {
    memberships::table
        .filter(memberships::organization_id.eq(organization_id))
        .count()
        .get_result(conn)
}

pub fn role_count(conn: &mut DbConnection, organization_id: OrganizationId) -> QueryResult<i64> {
    roles::table
        .filter(roles::organization_id.eq(organization_id))
        .count()
        .get_result(conn)
}

/// The names of the roles an account holds, per organization (for the organizations page).
pub fn role_names_by_organization(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<std::collections::HashMap<OrganizationId, Vec<String>>> {
    let rows: Vec<(OrganizationId, String)> = memberships::table
        .inner_join(role_assignments::table.inner_join(roles::table))
        .filter(memberships::account_id.eq(account_id))
        .order((memberships::organization_id.asc(), roles::name_folded.asc()))
        .select((memberships::organization_id, roles::name))
        .load(conn)?;
    let mut names: std::collections::HashMap<OrganizationId, Vec<String>> = Default::default();
    for (organization_id, name) in rows {
        names.entry(organization_id).or_default().push(name);
    }
    Ok(names)
}

/// The organization's owner, when it has one.
pub fn owner_of(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<Option<AccountId>> {
    Ok(organizations::table
        .find(organization_id)
        .select(organizations::owner_account_id)
        .first::<Option<AccountId>>(conn)
        .optional()?
        .flatten())
}

pub fn name_of(conn: &mut DbConnection, organization_id: OrganizationId) -> QueryResult<String> {
    organizations::table
        .find(organization_id)
        .select(organizations::name)
        .first(conn)
}

/// Renames an organization.
pub fn rename(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    name: &str,
    actor: &Actor,
) -> QueryResult<()> {
    let previous: String = organizations::table
        .find(organization_id)
        .select(organizations::name)
        .first(conn)?;
    diesel::update(organizations::table.find(organization_id))
        .set(organizations::name.eq(name))
        .execute(conn)?;
    let mut event = actor.event(
        Some(organization_id),
        "organization.renamed",
        Some(name.to_owned()),
    );
    event.details = Some(format!("was {previous:?}"));
    audit::record(conn, &event)
}

/// The first of the account's organizations (by name) that accepts requests from `address`.
pub fn first_reachable(
    conn: &mut DbConnection,
    account_id: AccountId,
    address: Option<&str>,
) -> QueryResult<Option<MemberContext>> {
    for choice in choices_for_account(conn, account_id)? {
        if let Some(member) = member_context(conn, account_id, choice.id)?
            && crate::domain::policy::address_allowed(&member.ip_allow_list, address)
        {
            return Ok(Some(member));
        }
    }
    Ok(None)
}
