//! Partnerships: a client organization grants, a partner organization's members receive. Both
//! ways in (a client registering a partner company, a partner issuing a client access token)
//! end in one `partnerships` row; this module holds what both share: statuses, lookups, the
//! partner users' rights inside a client (never above the client's rules), and audit events
//! written to both organizations.

use std::collections::BTreeMap;

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::db::schema::{
    accounts, memberships, organizations, partner_domains, partner_profiles, partnership_grants,
    partnership_roles, partnerships, roles,
};
use crate::domain::audit::{self, Actor, TargetKind};
use crate::domain::ids::{AccountId, OrganizationId, RoleId};
use crate::domain::kinds::{MembershipStatus, OrganizationKind};
use crate::domain::permission::PermissionSet;
use crate::domain::rules::{DomainError, DomainResult};
use crate::domain::stored::stored_enum;

stored_enum! {
    pub enum Origin {
        /// The client registered the partner company (Partners page).
        Registration = "registration",
        /// The partner issued a client access token (My Clients page).
        Token = "token",
    }
}

stored_enum! {
    pub enum PartnershipStatus {
        /// A token no client accepted yet, or a registered partner whose admin has not registered.
        Pending = "pending",
        Active = "active",
        /// Suspended by the client; it can resume.
        Suspended = "suspended",
        /// A token the partner switched off; it can switch it on again.
        Deactivated = "deactivated",
        /// Ended for good (the client ended it, or deactivated the registered partner).
        Ended = "ended",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = partnerships)]
pub struct Partnership {
    pub id: i64,
    pub partner_organization_id: OrganizationId,
    pub client_organization_id: Option<OrganizationId>,
    pub origin: Origin,
    pub status: PartnershipStatus,
    pub token_hint: Option<String>,
    pub created_by_account_id: Option<AccountId>,
    pub created_at: PrimitiveDateTime,
    pub activated_at: Option<PrimitiveDateTime>,
    pub ended_at: Option<PrimitiveDateTime>,
}

// ---------------------------------------------------------------------------------------------
// The state machine. A partnership is created Pending by either way in (a partner's client
// token, or a client's registration of a partner company); every later change of its status
// is one of these transitions, applied by `apply` and nowhere else.

/// What moves a partnership from one status to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// A client accepted the partner's token: the partnership becomes that client's.
    Accept {
        client: OrganizationId,
    },
    /// The registered partner company's admin registered.
    AdminRegistered,
    /// The partner switches its token off.
    Deactivate,
    /// ... and on again: Active when a client holds it, else Pending.
    Reactivate,
    /// The client stops its partner users for a while.
    Suspend,
    Resume,
    /// For good, by the client.
    End,
}

impl Transition {
    /// The statuses it may start from.
    pub fn allowed_from(self) -> &'static [PartnershipStatus] {
        use PartnershipStatus::*;
        match self {
            Self::Accept { .. } | Self::AdminRegistered => &[Pending],
            Self::Deactivate => &[Pending, Active],
            Self::Reactivate => &[Deactivated],
            Self::Suspend => &[Active],
            Self::Resume => &[Suspended],
            Self::End => &[Pending, Active, Suspended, Deactivated],
        }
    }

    /// Where it leads from this partnership.
    pub fn target(self, partnership: &Partnership) -> PartnershipStatus {
        match self {
            Self::Accept { .. } | Self::AdminRegistered | Self::Resume => PartnershipStatus::Active,
            Self::Deactivate => PartnershipStatus::Deactivated,
            Self::Reactivate if partnership.client_organization_id.is_some() => {
                PartnershipStatus::Active
            }
            Self::Reactivate => PartnershipStatus::Pending,
            Self::Suspend => PartnershipStatus::Suspended,
            Self::End => PartnershipStatus::Ended,
        }
    }
}

/// Applies a transition: the partnership as it is now, or None when its status does not allow
/// it (also when another request moved it first: the update is conditional on the status).
/// Accepting by a client that is already this partner's client fails with the database's
/// unique violation, which the caller turns into its message.
pub fn apply(
    conn: &mut DbConnection,
    partnership: &Partnership,
    transition: Transition,
    at: PrimitiveDateTime,
) -> QueryResult<Option<Partnership>> {
    let from = transition.allowed_from();
    if !from.contains(&partnership.status) {
        return Ok(None);
    }
    let to = transition.target(partnership);
    let target = partnerships::table
        .find(partnership.id)
        .filter(partnerships::status.eq_any(from.to_vec()));
    let changed = match transition {
        Transition::Accept { client } => {
            diesel::update(target.filter(partnerships::client_organization_id.is_null()))
                .set((
                    partnerships::client_organization_id.eq(Some(client)),
                    partnerships::status.eq(to),
                    partnerships::activated_at.eq(Some(at)),
                ))
                .execute(conn)?
        }
        Transition::AdminRegistered => diesel::update(target)
            .set((
                partnerships::status.eq(to),
                partnerships::activated_at.eq(Some(at)),
            ))
            .execute(conn)?,
        Transition::End => diesel::update(target)
            .set((
                partnerships::status.eq(to),
                partnerships::ended_at.eq(Some(at)),
            ))
            .execute(conn)?,
        Transition::Deactivate
        | Transition::Reactivate
        | Transition::Suspend
        | Transition::Resume => diesel::update(target)
            .set(partnerships::status.eq(to))
            .execute(conn)?,
    };
    if changed == 0 {
        return Ok(None);
    }
    reload(conn, partnership.id).map(Some)
}

pub fn reload(conn: &mut DbConnection, id: i64) -> QueryResult<Partnership> {
    partnerships::table
        .find(id)
        .select(Partnership::as_select())
        .first(conn)
}

/// A partnership seen from the partner's side: one of its own; another organization's id is
/// not found.
pub fn find_for_partner(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
    id: i64,
) -> DomainResult<Partnership> {
    partnerships::table
        .filter(partnerships::id.eq(id))
        .filter(partnerships::partner_organization_id.eq(partner_organization_id))
        .select(Partnership::as_select())
        .first(conn)
        .optional()?
        .ok_or(DomainError::NotFound)
}

/// A partnership seen from the client's side.
pub fn find_for_client(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
) -> DomainResult<Partnership> {
    partnerships::table
        .filter(partnerships::id.eq(id))
        .filter(partnerships::client_organization_id.eq(client_organization_id))
        .select(Partnership::as_select())
        .first(conn)
        .optional()?
        .ok_or(DomainError::NotFound)
}

/// The name a partner goes by: the registered profile's name, else its organization's name.
pub fn partner_name(conn: &mut DbConnection, partnership: &Partnership) -> QueryResult<String> {
    let registered: Option<String> = partner_profiles::table
        .find(partnership.id)
        .select(partner_profiles::name)
        .first(conn)
        .optional()?;
    match registered {
        Some(name) => Ok(name),
        None => organization_name(conn, partnership.partner_organization_id),
    }
}

pub fn organization_name(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<String> {
    organizations::table
        .find(organization_id)
        .select(organizations::name)
        .first(conn)
}

/// Whether the organization may issue client tokens: it was created by a partner registration,
/// or an operator enabled it (`gatehouse partner enable ORG`).
pub fn is_partner_organization(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<bool> {
    let (enabled, kind): (bool, OrganizationKind) = organizations::table
        .find(organization_id)
        .select((organizations::partner_enabled, organizations::kind))
        .first(conn)?;
    Ok(enabled || kind == OrganizationKind::Partner)
}

/// Makes an organization a partner (the operator's CLI command). Returns false when it already
/// was one.
pub fn enable_partner(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    actor: &Actor,
) -> QueryResult<bool> {
    let changed = diesel::update(
        organizations::table
            .find(organization_id)
            .filter(organizations::partner_enabled.eq(false)),
    )
    .set(organizations::partner_enabled.eq(true))
    .execute(conn)?;
    if changed > 0 {
        audit::record(
            conn,
            &actor.event(Some(organization_id), "partner.enabled", None),
        )?;
    }
    Ok(changed > 0)
}

/// A partner organization created by a registration takes members only from the email domains
/// its client registered; any other organization takes anyone (as far as this rule goes).
pub fn email_in_registered_domains(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    email: &crate::domain::account::EmailAddress,
) -> QueryResult<bool> {
    let domains: Vec<String> = partner_domains::table
        .inner_join(partner_profiles::table.inner_join(partnerships::table))
        .filter(partnerships::partner_organization_id.eq(organization_id))
        .filter(partnerships::origin.eq(Origin::Registration))
        .select(partner_domains::domain)
        .load(conn)?;
    if domains.is_empty() {
        return Ok(true);
    }
    let domain = email
        .as_str()
        .rsplit_once('@')
        .map(|(_, domain)| domain)
        .unwrap_or_default();
    Ok(domains
        .iter()
        .any(|allowed| allowed.eq_ignore_ascii_case(domain)))
}

/// Records one event in each organization the partnership concerns (the partner's, and the
/// client's once there is one).
pub fn record_in_both(
    conn: &mut DbConnection,
    partnership: &Partnership,
    actor: &Actor,
    action: &str,
    target: Option<String>,
    details: Option<String>,
) -> QueryResult<()> {
    let organizations = [
        Some(partnership.partner_organization_id),
        partnership.client_organization_id,
    ];
    for organization_id in organizations.into_iter().flatten() {
        let mut event = actor
            .event(Some(organization_id), action, target.clone())
            .on(TargetKind::Partner, partnership.id);
        event.details = details.clone();
        audit::record(conn, &event)?;
    }
    Ok(())
}

/// What a partner user holds inside a client: the client roles granted to them through active
/// partnerships, kept only while each role is still among that partnership's rules and active,
/// the partner organization is not deactivated and their membership there is active.
#[derive(Debug, Clone)]
pub struct PartnerAccess {
    pub role_ids: Vec<RoleId>,
    pub permissions: PermissionSet,
    /// The partners the access comes through, by name ("via Acme").
    pub partner_names: Vec<String>,
}

type GrantRow = (i64, RoleId, i32);

pub fn partner_access(
    conn: &mut DbConnection,
    account_id: AccountId,
    client_organization_id: OrganizationId,
) -> QueryResult<Option<PartnerAccess>> {
    let rows: Vec<GrantRow> = partnership_grants::table
        .inner_join(partnerships::table)
        .inner_join(memberships::table)
        .inner_join(roles::table)
        .inner_join(
            partnership_roles::table.on(partnership_roles::partnership_id
                .eq(partnership_grants::partnership_id)
                .and(partnership_roles::role_id.eq(partnership_grants::role_id))),
        )
        .inner_join(
            organizations::table.on(organizations::id.eq(partnerships::partner_organization_id)),
        )
        .filter(memberships::account_id.eq(account_id))
        .filter(memberships::status.eq(MembershipStatus::Active))
        .filter(partnerships::client_organization_id.eq(client_organization_id))
        .filter(partnerships::status.eq(PartnershipStatus::Active))
        .filter(organizations::deactivated_at.is_null())
        .filter(roles::active.eq(true))
        .filter(roles::organization_id.eq(client_organization_id))
        .select((partnerships::id, roles::id, roles::permissions))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut role_ids: Vec<RoleId> = rows.iter().map(|(_, role_id, _)| *role_id).collect();
    role_ids.sort_unstable();
    role_ids.dedup();
    let permissions = rows.iter().fold(PermissionSet::EMPTY, |set, (_, _, bits)| {
        set.union(PermissionSet::from_bits(*bits))
    });
    let mut partnership_ids: Vec<i64> = rows.iter().map(|(id, _, _)| *id).collect();
    partnership_ids.sort_unstable();
    partnership_ids.dedup();
    let mut partner_names = Vec::new();
    for id in partnership_ids {
        let partnership: Partnership = partnerships::table
            .find(id)
            .select(Partnership::as_select())
            .first(conn)?;
        partner_names.push(partner_name(conn, &partnership)?);
    }
    Ok(Some(PartnerAccess {
        role_ids,
        permissions,
        partner_names,
    }))
}

/// The clients an account may act in as a partner user, with the partner each is reached
/// through: (client organization id, client name, partner name), by client name.
pub fn clients_of_account(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<Vec<(OrganizationId, String, String)>> {
    let client_ids: Vec<OrganizationId> = partnership_grants::table
        .inner_join(partnerships::table)
        .inner_join(memberships::table)
        .filter(memberships::account_id.eq(account_id))
        .filter(memberships::status.eq(MembershipStatus::Active))
        .filter(partnerships::status.eq(PartnershipStatus::Active))
        .select(partnerships::client_organization_id)
        .distinct()
        .load::<Option<OrganizationId>>(conn)?
        .into_iter()
        .flatten()
        .collect();
    let mut clients = Vec::new();
    for client_id in client_ids {
        if let Some(access) = partner_access(conn, account_id, client_id)? {
            clients.push((
                client_id,
                organization_name(conn, client_id)?,
                access.partner_names.join(", "),
            ));
        }
    }
    clients.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(clients)
}

/// A partner user as the client's users page lists them.
#[derive(Debug, Clone)]
pub struct PartnerUser {
    pub name: String,
    pub email: String,
    /// Effective roles (granted and still allowed by the rules).
    pub roles: Vec<String>,
}

/// The partner users of a client, grouped under their partner (by partner name): the partner,
/// its partnership's status, and its users with their effective roles.
pub fn partner_users_of_client(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
) -> QueryResult<Vec<(String, PartnershipStatus, Vec<PartnerUser>)>> {
    let partnerships: Vec<Partnership> = partnerships::table
        .filter(partnerships::client_organization_id.eq(client_organization_id))
        .select(Partnership::as_select())
        .load(conn)?;
    let mut groups = Vec::new();
    for partnership in partnerships {
        let rows: Vec<(i64, String, String, String)> = partnership_grants::table
            .inner_join(memberships::table.inner_join(accounts::table))
            .inner_join(roles::table)
            .inner_join(
                partnership_roles::table.on(partnership_roles::partnership_id
                    .eq(partnership_grants::partnership_id)
                    .and(partnership_roles::role_id.eq(partnership_grants::role_id))),
            )
            .filter(partnership_grants::partnership_id.eq(partnership.id))
            .filter(memberships::status.eq(MembershipStatus::Active))
            .order((accounts::email.asc(), roles::name_folded.asc()))
            .select((accounts::id, accounts::name, accounts::email, roles::name))
            .load(conn)?;
        if rows.is_empty() {
            continue;
        }
        let mut users: BTreeMap<(String, i64), PartnerUser> = BTreeMap::new();
        for (account_id, name, email, role) in rows {
            users
                .entry((email.clone(), account_id))
                .or_insert_with(|| PartnerUser {
                    name,
                    email,
                    roles: Vec::new(),
                })
                .roles
                .push(role);
        }
        groups.push((
            partner_name(conn, &partnership)?,
            partnership.status,
            users.into_values().collect(),
        ));
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partnership(status: PartnershipStatus, client: Option<i64>) -> Partnership {
        let at = time::macros::datetime!(2026-12-01 10:00);
        Partnership {
            id: 1,
            partner_organization_id: OrganizationId::new(2),
            client_organization_id: client.map(OrganizationId::new),
            origin: Origin::Token,
            status,
            token_hint: None,
            created_by_account_id: None,
            created_at: at,
            activated_at: None,
            ended_at: None,
        }
    }

    #[test]
    fn every_transition_starts_only_from_its_statuses_and_nothing_leaves_ended() {
        use PartnershipStatus::*;
        let client = OrganizationId::new(3);
        let table = [
            (Transition::Accept { client }, vec![Pending]),
            (Transition::AdminRegistered, vec![Pending]),
            (Transition::Deactivate, vec![Pending, Active]),
            (Transition::Reactivate, vec![Deactivated]),
            (Transition::Suspend, vec![Active]),
            (Transition::Resume, vec![Suspended]),
            (
                Transition::End,
                vec![Pending, Active, Suspended, Deactivated],
            ),
        ];
        for (transition, from) in table {
            assert_eq!(transition.allowed_from(), from.as_slice(), "{transition:?}");
            assert!(!transition.allowed_from().contains(&Ended));
        }
    }

    #[test]
    fn a_reactivated_token_is_active_only_when_a_client_holds_it() {
        let held = partnership(PartnershipStatus::Deactivated, Some(3));
        let unheld = partnership(PartnershipStatus::Deactivated, None);
        assert_eq!(
            Transition::Reactivate.target(&held),
            PartnershipStatus::Active
        );
        assert_eq!(
            Transition::Reactivate.target(&unheld),
            PartnershipStatus::Pending
        );
        assert_eq!(Transition::End.target(&held), PartnershipStatus::Ended);
    }

    #[test]
    fn statuses_round_trip() {
        for status in [
            PartnershipStatus::Pending,
            PartnershipStatus::Active,
            PartnershipStatus::Suspended,
            PartnershipStatus::Deactivated,
            PartnershipStatus::Ended,
        ] {
            assert_eq!(PartnershipStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(Origin::parse("token"), Some(Origin::Token));
        assert_eq!(PartnershipStatus::parse("nope"), None);
    }
}
