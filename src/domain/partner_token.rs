//! Client access tokens: the second way into a partnership. A partner organization issues a
//! random token for one future client (My Clients); the client's admin enters it, sees whose it
//! is, picks which of its roles the partner may hand out (the rules) and accepts (My Partner).
//! From then on the partner authorizes its own members in the client with roles among the
//! rules, and either side can switch the partnership off: the client suspends or ends it, the
//! partner deactivates or deletes its token.
//!
//! What partner users may do inside the client is computed by `partnership::partner_access`
//! from the rows written here, at every request: a change here takes effect at once.
//!
//! Every change records an audit event in both organizations (the partner's, and the client's
//! once there is one) in the caller's transaction.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::crypto::token::{hash_token, random_token};
use crate::db::DbConnection;
use crate::db::schema::{
    accounts, memberships, organizations, partnership_grants, partnership_roles, partnerships,
    roles,
};
use crate::domain::audit::Actor;
use crate::domain::ids::{MembershipId, OrganizationId, RoleId};
use crate::domain::kinds::MembershipStatus;
use crate::domain::partnership::{
    self as shared, Origin, Partnership, PartnershipStatus, Transition, is_partner_organization,
    organization_name, partner_name, record_in_both,
};
use crate::domain::rules::{DomainError, DomainResult, refuse};
use crate::domain::throttle::{self, Admission, ThrottleKeys};

/// Every client access token starts with this, so people (and secret scanners) recognise one.
pub const TOKEN_PREFIX: &str = "gh_ct_";

/// How many characters of a token its hint keeps (the last ones).
const HINT_LENGTH: usize = 4;

/// A new token: the prefix and 256 random bits.
pub fn new_token() -> String {
    format!("{TOKEN_PREFIX}{}", random_token())
}

/// The last characters of a token, kept to tell tokens apart without storing them.
pub fn hint_of(token: &str) -> String {
    let chars: Vec<char> = token.chars().collect();
    chars[chars.len().saturating_sub(HINT_LENGTH)..]
        .iter()
        .collect()
}

/// How pages show a hint: `…a1b2`.
pub fn hint_label(hint: Option<&str>) -> String {
    format!("…{}", hint.unwrap_or_default())
}

fn audit_target(partnership: &Partnership) -> Option<String> {
    Some(hint_label(partnership.token_hint.as_deref()))
}

/// "partner: Acme; client: Globex", for the details of an event.
fn parties(conn: &mut DbConnection, partnership: &Partnership) -> QueryResult<String> {
    let partner = partner_name(conn, partnership)?;
    Ok(match partnership.client_organization_id {
        Some(client) => format!(
            "partner: {partner}; client: {}",
            organization_name(conn, client)?
        ),
        None => format!("partner: {partner}"),
    })
}

fn record(
    conn: &mut DbConnection,
    partnership: &Partnership,
    actor: &Actor,
    action: &str,
    target: Option<String>,
    extra: Option<String>,
) -> QueryResult<()> {
    let mut details = parties(conn, partnership)?;
    if let Some(extra) = extra {
        details.push_str("; ");
        details.push_str(&extra);
    }
    record_in_both(conn, partnership, actor, action, target, Some(details))
}

/// Only partnerships that started with a token are this module's: one that came from a
/// registration (the Partners page's) is not found here.
fn token_only(found: Partnership) -> DomainResult<Partnership> {
    if found.origin == Origin::Token {
        Ok(found)
    } else {
        Err(DomainError::NotFound)
    }
}

/// A token of this partner organization (another organization's id is not found).
pub fn find_for_partner(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
    id: i64,
) -> DomainResult<Partnership> {
    token_only(shared::find_for_partner(conn, partner_organization_id, id)?)
}

/// A token this client organization accepted.
pub fn find_for_client(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
) -> DomainResult<Partnership> {
    token_only(shared::find_for_client(conn, client_organization_id, id)?)
}

/// The client's name, once a client accepted the token.
fn client_name(conn: &mut DbConnection, partnership: &Partnership) -> QueryResult<Option<String>> {
    partnership
        .client_organization_id
        .map(|client| organization_name(conn, client))
        .transpose()
}

/// Applies a transition; refuses with `refusal` when the partnership's status does not allow
/// it (also when another request changed it first).
fn transition(
    conn: &mut DbConnection,
    partnership: &Partnership,
    transition: Transition,
    at: PrimitiveDateTime,
    refusal: &'static str,
) -> DomainResult<Partnership> {
    match shared::apply(conn, partnership, transition, at)? {
        Some(changed) => Ok(changed),
        None => refuse(refusal),
    }
}

/// A `transition` that is the whole change (deactivate, activate, suspend, resume), recorded as
/// `action` on both sides.
fn switch(
    conn: &mut DbConnection,
    partnership: &Partnership,
    change: Transition,
    refusal: &'static str,
    action: &str,
    actor: &Actor,
) -> DomainResult<()> {
    let changed = transition(conn, partnership, change, actor.at, refusal)?;
    record(conn, &changed, actor, action, audit_target(&changed), None)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// What both sides read.

/// A role among a partnership's rules.
#[derive(Debug, Clone)]
pub struct AllowedRole {
    pub id: RoleId,
    pub name: String,
    pub active: bool,
}

/// A partner user authorized in the client, with the client roles granted to them.
#[derive(Debug, Clone)]
pub struct AuthorizedUser {
    pub membership_id: MembershipId,
    pub name: String,
    pub email: String,
    /// Their membership in the partner organization is active (otherwise the grants give
    /// nothing until it is again).
    pub active: bool,
    pub roles: Vec<AllowedRole>,
}

/// The client's rules for one partnership, by role name.
pub fn rules_of(conn: &mut DbConnection, partnership_id: i64) -> QueryResult<Vec<AllowedRole>> {
    Ok(rules_of_each(conn, &[partnership_id])?
        .remove(&partnership_id)
        .unwrap_or_default())
}

/// The client's rules of each of these partnerships, by role name, in one query.
pub fn rules_of_each(
    conn: &mut DbConnection,
    partnership_ids: &[i64],
) -> QueryResult<HashMap<i64, Vec<AllowedRole>>> {
    let rows: Vec<(i64, RoleId, String, bool)> = partnership_roles::table
        .inner_join(roles::table)
        .filter(partnership_roles::partnership_id.eq_any(partnership_ids))
        .order((roles::name_folded.asc(), roles::id.asc()))
        .select((
            partnership_roles::partnership_id,
            roles::id,
            roles::name,
            roles::active,
        ))
        .load(conn)?;
    let mut rules: HashMap<i64, Vec<AllowedRole>> = HashMap::new();
    for (partnership_id, id, name, active) in rows {
        rules
            .entry(partnership_id)
            .or_default()
            .push(AllowedRole { id, name, active });
    }
    Ok(rules)
}

/// The partner users authorized through one partnership, by email, with their roles.
pub fn authorized_users(
    conn: &mut DbConnection,
    partnership_id: i64,
) -> QueryResult<Vec<AuthorizedUser>> {
    Ok(authorized_users_of_each(conn, &[partnership_id])?
        .remove(&partnership_id)
        .unwrap_or_default())
}

/// The partner users authorized through each of these partnerships, by email, with their
/// roles, in one query.
pub fn authorized_users_of_each(
    conn: &mut DbConnection,
    partnership_ids: &[i64],
) -> QueryResult<HashMap<i64, Vec<AuthorizedUser>>> {
    #[derive(Queryable)]
    struct Grant {
        partnership_id: i64,
        membership_id: MembershipId,
        name: String,
        email: String,
        status: MembershipStatus,
        role_id: RoleId,
        role_name: String,
        role_active: bool,
    }
    let grants: Vec<Grant> = partnership_grants::table
        .inner_join(memberships::table.inner_join(accounts::table))
        .inner_join(roles::table)
        .filter(partnership_grants::partnership_id.eq_any(partnership_ids))
        .order((
            accounts::email.asc(),
            memberships::id.asc(),
            roles::name_folded.asc(),
        ))
        .select((
            partnership_grants::partnership_id,
            memberships::id,
            accounts::name,
            accounts::email,
            memberships::status,
            roles::id,
            roles::name,
            roles::active,
        ))
        .load(conn)?;
    let mut users: HashMap<i64, Vec<AuthorizedUser>> = HashMap::new();
    for grant in grants {
        let role = AllowedRole {
            id: grant.role_id,
            name: grant.role_name,
            active: grant.role_active,
        };
        let of_partnership = users.entry(grant.partnership_id).or_default();
        match of_partnership.last_mut() {
            Some(user) if user.membership_id == grant.membership_id => user.roles.push(role),
            _ => of_partnership.push(AuthorizedUser {
                membership_id: grant.membership_id,
                name: grant.name,
                email: grant.email,
                active: grant.status == MembershipStatus::Active,
                roles: vec![role],
            }),
        }
    }
    Ok(users)
}

/// What both sides' lists count per partnership: the rules' role names and the partner users
/// authorized.
struct Tallies {
    rules: HashMap<i64, Vec<String>>,
    users: HashMap<i64, i64>,
}

impl Tallies {
    fn of(conn: &mut DbConnection, rows: &[Partnership]) -> QueryResult<Self> {
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        Ok(Self {
            rules: rule_names(conn, &ids)?,
            users: user_counts(conn, &ids)?,
        })
    }

    /// The role names and the user count of one partnership.
    fn take(&mut self, id: i64) -> (Vec<String>, i64) {
        let users = self.users.get(&id).copied().unwrap_or(0);
        (self.rules.remove(&id).unwrap_or_default(), users)
    }
}

/// How many partner users each partnership authorizes.
fn user_counts(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<HashMap<i64, i64>> {
    let mut counts = HashMap::new();
    for chunk in ids.chunks(500) {
        let pairs: Vec<(i64, i64)> = partnership_grants::table
            .filter(partnership_grants::partnership_id.eq_any(chunk))
            .select((
                partnership_grants::partnership_id,
                partnership_grants::membership_id,
            ))
            .distinct()
            .load(conn)?;
        for (partnership_id, _) in pairs {
            *counts.entry(partnership_id).or_insert(0) += 1;
        }
    }
    Ok(counts)
}

/// The rules' role names per partnership.
fn rule_names(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<HashMap<i64, Vec<String>>> {
    let mut names: HashMap<i64, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String)> = partnership_roles::table
            .inner_join(roles::table)
            .filter(partnership_roles::partnership_id.eq_any(chunk))
            .order((roles::name_folded.asc(), roles::id.asc()))
            .select((partnership_roles::partnership_id, roles::name))
            .load(conn)?;
        for (partnership_id, name) in rows {
            names.entry(partnership_id).or_default().push(name);
        }
    }
    Ok(names)
}

// ---------------------------------------------------------------------------------------------
// The partner's side: issuing tokens and authorizing users.

/// A token as the partner's list shows it.
#[derive(Debug, Clone)]
pub struct TokenSummary {
    pub id: i64,
    /// None while no client accepted it.
    pub client_name: Option<String>,
    pub status: PartnershipStatus,
    pub hint: String,
    pub roles: Vec<String>,
    pub users: i64,
    pub created_at: PrimitiveDateTime,
}

/// The partner organization's tokens, newest first.
pub fn list_for_partner(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
) -> QueryResult<Vec<TokenSummary>> {
    let rows: Vec<Partnership> = partnerships::table
        .filter(partnerships::partner_organization_id.eq(partner_organization_id))
        .filter(partnerships::origin.eq(Origin::Token))
        .order((partnerships::created_at.desc(), partnerships::id.desc()))
        .select(Partnership::as_select())
        .load(conn)?;
    let mut tallies = Tallies::of(conn, &rows)?;
    let mut summaries = Vec::with_capacity(rows.len());
    for row in rows {
        let (roles, users) = tallies.take(row.id);
        summaries.push(TokenSummary {
            id: row.id,
            client_name: client_name(conn, &row)?,
            status: row.status,
            hint: hint_label(row.token_hint.as_deref()),
            roles,
            users,
            created_at: row.created_at,
        });
    }
    Ok(summaries)
}

/// Issues a token for one future client: stores only its hash and hint, status Pending, and
/// returns the partnership id with the token (shown once, never again).
pub fn issue(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
    actor: &Actor,
) -> DomainResult<(i64, String)> {
    if !is_partner_organization(conn, partner_organization_id)? {
        return refuse("clients-not-partner");
    }
    let token = new_token();
    let id: i64 = diesel::insert_into(partnerships::table)
        .values((
            partnerships::partner_organization_id.eq(partner_organization_id),
            partnerships::origin.eq(Origin::Token),
            partnerships::status.eq(PartnershipStatus::Pending),
            partnerships::token_hash.eq(Some(hash_token(&token))),
            partnerships::token_hint.eq(Some(hint_of(&token))),
            partnerships::created_by_account_id.eq(actor.account_id),
            partnerships::created_at.eq(actor.at),
        ))
        .returning(partnerships::id)
        .get_result(conn)?;
    let created = shared::reload(conn, id)?;
    record(
        conn,
        &created,
        actor,
        "client-token.created",
        audit_target(&created),
        None,
    )?;
    Ok((id, token))
}

/// One token as the partner's client page shows it.
#[derive(Debug, Clone)]
pub struct TokenDetails {
    pub partnership: Partnership,
    pub client_name: Option<String>,
    pub roles: Vec<AllowedRole>,
    pub users: Vec<AuthorizedUser>,
}

pub fn details_for_partner(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
    id: i64,
) -> DomainResult<TokenDetails> {
    let partnership = find_for_partner(conn, partner_organization_id, id)?;
    Ok(TokenDetails {
        client_name: client_name(conn, &partnership)?,
        roles: rules_of(conn, id)?,
        users: authorized_users(conn, id)?,
        partnership,
    })
}

/// A member of the partner organization who could be authorized.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub membership_id: MembershipId,
    pub name: String,
    pub email: String,
}

/// Active members of the partner organization not yet authorized through this partnership,
/// by email, at most `limit`.
pub fn candidates(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
    partnership_id: i64,
    limit: i64,
) -> QueryResult<Vec<Candidate>> {
    let authorized = partnership_grants::table
        .filter(partnership_grants::partnership_id.eq(partnership_id))
        .select(partnership_grants::membership_id);
    Ok(memberships::table
        .inner_join(accounts::table)
        .filter(memberships::organization_id.eq(partner_organization_id))
        .filter(memberships::status.eq(MembershipStatus::Active))
        .filter(memberships::id.ne_all(authorized))
        .order((accounts::email.asc(), memberships::id.asc()))
        .limit(limit)
        .select((memberships::id, accounts::name, accounts::email))
        .load::<(MembershipId, String, String)>(conn)?
        .into_iter()
        .map(|(membership_id, name, email)| Candidate {
            membership_id,
            name,
            email,
        })
        .collect())
}

/// A partnership the partner may hand roles out in: accepted and not ended.
fn grantable(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
    id: i64,
) -> DomainResult<Partnership> {
    let partnership = find_for_partner(conn, partner_organization_id, id)?;
    if partnership.status == PartnershipStatus::Ended {
        return refuse("clients-ended");
    }
    if partnership.client_organization_id.is_none() {
        return refuse("clients-not-accepted");
    }
    Ok(partnership)
}

/// The ids of the roles in a partnership's rules.
fn rule_ids(conn: &mut DbConnection, partnership_id: i64) -> QueryResult<Vec<RoleId>> {
    partnership_roles::table
        .filter(partnership_roles::partnership_id.eq(partnership_id))
        .select(partnership_roles::role_id)
        .load(conn)
}

/// Refuses any role outside the client's rules: a partner never hands out more.
fn check_allowed(
    conn: &mut DbConnection,
    partnership_id: i64,
    role_ids: &[RoleId],
) -> DomainResult<()> {
    let allowed = rule_ids(conn, partnership_id)?;
    if role_ids.iter().all(|id| allowed.contains(id)) {
        Ok(())
    } else {
        refuse("clients-role-not-allowed")
    }
}

/// The email of an active member of the partner organization (anyone else is not found).
fn partner_member_email(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
    membership_id: MembershipId,
    active_only: bool,
) -> DomainResult<String> {
    let (email, status): (String, MembershipStatus) = memberships::table
        .inner_join(accounts::table)
        .filter(memberships::id.eq(membership_id))
        .filter(memberships::organization_id.eq(partner_organization_id))
        .select((accounts::email, memberships::status))
        .first(conn)
        .optional()?
        .ok_or(DomainError::NotFound)?;
    if active_only && status != MembershipStatus::Active {
        return Err(DomainError::NotFound);
    }
    Ok(email)
}

fn granted_role_ids(
    conn: &mut DbConnection,
    partnership_id: i64,
    membership_id: MembershipId,
) -> QueryResult<Vec<RoleId>> {
    partnership_grants::table
        .filter(partnership_grants::partnership_id.eq(partnership_id))
        .filter(partnership_grants::membership_id.eq(membership_id))
        .select(partnership_grants::role_id)
        .load(conn)
}

/// Takes every role of one partner user in one partnership away; returns how many grants went.
fn delete_grants(
    conn: &mut DbConnection,
    partnership_id: i64,
    membership_id: MembershipId,
) -> QueryResult<usize> {
    diesel::delete(
        partnership_grants::table
            .filter(partnership_grants::partnership_id.eq(partnership_id))
            .filter(partnership_grants::membership_id.eq(membership_id)),
    )
    .execute(conn)
}

fn role_names(conn: &mut DbConnection, role_ids: &[RoleId]) -> QueryResult<String> {
    let names: Vec<String> = roles::table
        .filter(roles::id.eq_any(role_ids))
        .order((roles::name_folded.asc(), roles::id.asc()))
        .select(roles::name)
        .load(conn)?;
    Ok(names.join(", "))
}

fn insert_grants(
    conn: &mut DbConnection,
    partnership_id: i64,
    membership_id: MembershipId,
    role_ids: &[RoleId],
    at: PrimitiveDateTime,
) -> QueryResult<()> {
    for role_id in role_ids {
        diesel::insert_into(partnership_grants::table)
            .values((
                partnership_grants::partnership_id.eq(partnership_id),
                partnership_grants::membership_id.eq(membership_id),
                partnership_grants::role_id.eq(role_id),
                partnership_grants::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Authorizes members of the partner organization in the client: each (membership, role)
/// pair is a grant; roles must be among the client's rules. A member already authorized gets
/// the roles added. Returns how many members were authorized or changed.
pub fn authorize(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
    id: i64,
    grants: &[(MembershipId, RoleId)],
    actor: &Actor,
) -> DomainResult<usize> {
    let partnership = grantable(conn, partner_organization_id, id)?;
    let mut by_member: BTreeMap<MembershipId, Vec<RoleId>> = BTreeMap::new();
    for (membership_id, role_id) in grants {
        let roles = by_member.entry(*membership_id).or_default();
        if !roles.contains(role_id) {
            roles.push(*role_id);
        }
    }
    if by_member.is_empty() {
        return refuse("clients-authorize-none");
    }
    let all_roles: Vec<RoleId> = by_member.values().flatten().copied().collect();
    check_allowed(conn, id, &all_roles)?;
    let mut changed = 0;
    for (membership_id, role_ids) in by_member {
        let email = partner_member_email(conn, partner_organization_id, membership_id, true)?;
        let before = granted_role_ids(conn, id, membership_id)?;
        let new: Vec<RoleId> = role_ids
            .into_iter()
            .filter(|role_id| !before.contains(role_id))
            .collect();
        if new.is_empty() {
            continue;
        }
        insert_grants(conn, id, membership_id, &new, actor.at)?;
        let now_granted = granted_role_ids(conn, id, membership_id)?;
        let action = if before.is_empty() {
            "client-token.user-authorized"
        } else {
            "client-token.user-edited"
        };
        let roles = format!("roles: {}", role_names(conn, &now_granted)?);
        record(conn, &partnership, actor, action, Some(email), Some(roles))?;
        changed += 1;
    }
    Ok(changed)
}

/// Replaces an authorized user's roles (at least one, all among the rules).
pub fn set_user_roles(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
    id: i64,
    membership_id: MembershipId,
    role_ids: &[RoleId],
    actor: &Actor,
) -> DomainResult<()> {
    let partnership = grantable(conn, partner_organization_id, id)?;
    let email = partner_member_email(conn, partner_organization_id, membership_id, false)?;
    let before = granted_role_ids(conn, id, membership_id)?;
    if before.is_empty() {
        return Err(DomainError::NotFound);
    }
    let role_ids = sorted(role_ids);
    if role_ids.is_empty() {
        return refuse("clients-user-roles-none");
    }
    check_allowed(conn, id, &role_ids)?;
    delete_grants(conn, id, membership_id)?;
    insert_grants(conn, id, membership_id, &role_ids, actor.at)?;
    let roles = format!("roles: {}", role_names(conn, &role_ids)?);
    record(
        conn,
        &partnership,
        actor,
        "client-token.user-edited",
        Some(email),
        Some(roles),
    )?;
    Ok(())
}

/// Takes every role of one partner user in the client away.
pub fn revoke_user(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
    id: i64,
    membership_id: MembershipId,
    actor: &Actor,
) -> DomainResult<()> {
    let partnership = find_for_partner(conn, partner_organization_id, id)?;
    let email = partner_member_email(conn, partner_organization_id, membership_id, false)?;
    let removed = delete_grants(conn, id, membership_id)?;
    if removed == 0 {
        return Err(DomainError::NotFound);
    }
    record(
        conn,
        &partnership,
        actor,
        "client-token.user-revoked",
        Some(email),
        None,
    )?;
    Ok(())
}

/// Switches a token off: an accepted one stops giving its partner users anything at once; a
/// pending one can no longer be accepted.
pub fn deactivate(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
    id: i64,
    actor: &Actor,
) -> DomainResult<()> {
    let partnership = find_for_partner(conn, partner_organization_id, id)?;
    let refusal = match partnership.status {
        PartnershipStatus::Suspended => "clients-deactivate-suspended",
        _ => "clients-deactivate-not-allowed",
    };
    switch(
        conn,
        &partnership,
        Transition::Deactivate,
        refusal,
        "client-token.deactivated",
        actor,
    )
}

/// Switches a deactivated token back on: Active with the same authorizations, or Pending when
/// no client accepted it yet.
pub fn activate(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
    id: i64,
    actor: &Actor,
) -> DomainResult<()> {
    let partnership = find_for_partner(conn, partner_organization_id, id)?;
    switch(
        conn,
        &partnership,
        Transition::Reactivate,
        "clients-activate-not-allowed",
        "client-token.activated",
        actor,
    )
}

/// Deletes a token for good: the partnership, its rules and its grants (by cascade). The
/// events are recorded first, while both sides are still known.
pub fn delete(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
    id: i64,
    actor: &Actor,
) -> DomainResult<()> {
    let partnership = find_for_partner(conn, partner_organization_id, id)?;
    record(
        conn,
        &partnership,
        actor,
        "client-token.deleted",
        audit_target(&partnership),
        Some(format!("status: {}", partnership.status.as_str())),
    )?;
    diesel::delete(partnerships::table.find(id)).execute(conn)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The client's side: entering a token, the rules, suspending and ending.

/// A token about to be accepted: whose it is.
#[derive(Debug, Clone)]
pub struct Preview {
    pub partnership_id: i64,
    pub partner_name: String,
}

/// The token a client's admin typed, checked for this organization: known, waiting for a
/// client, not this organization's own, and from a partner this organization has no
/// partnership with yet. Each refusal names what went wrong.
/// Client tokens are secrets a person types: each try counts toward the limits of the person and
/// of their address (`domain::throttle`) before the token is looked up; only an unknown token
/// keeps its count, and while a limit is locked no token is looked up. Opens transactions of its
/// own: call it outside one, with `work` doing the lookup.
pub fn with_token_limit<T>(
    conn: &mut DbConnection,
    keys: &ThrottleKeys,
    now: PrimitiveDateTime,
    work: impl FnOnce(&mut DbConnection) -> DomainResult<T>,
) -> DomainResult<T> {
    if let Admission::Locked { .. } = throttle::admit(conn, keys, now)? {
        return refuse("my-partner-token-locked");
    }
    let outcome = work(conn);
    let unknown = matches!(
        &outcome,
        Err(DomainError::Rule(violation)) if violation.message_key() == "my-partner-token-unknown"
    );
    if !unknown {
        throttle::release(conn, keys)?;
    }
    outcome
}

fn lookup(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    token: &str,
) -> DomainResult<Partnership> {
    let token = token.trim();
    if token.is_empty() {
        return refuse("my-partner-token-required");
    }
    let found: Option<Partnership> = partnerships::table
        .filter(partnerships::token_hash.eq(hash_token(token)))
        .filter(partnerships::origin.eq(Origin::Token))
        .select(Partnership::as_select())
        .first(conn)
        .optional()?;
    let Some(found) = found else {
        return refuse("my-partner-token-unknown");
    };
    if found.partner_organization_id == client_organization_id {
        return refuse("my-partner-token-own");
    }
    if found.client_organization_id == Some(client_organization_id) {
        return refuse("my-partner-already-partner");
    }
    if found.client_organization_id.is_some() {
        return refuse("my-partner-token-used");
    }
    match found.status {
        PartnershipStatus::Pending => {}
        PartnershipStatus::Deactivated => return refuse("my-partner-token-inactive"),
        PartnershipStatus::Ended => return refuse("my-partner-token-ended"),
        _ => return refuse("my-partner-token-used"),
    }
    let partner_gone: Option<Option<PrimitiveDateTime>> = organizations::table
        .find(found.partner_organization_id)
        .select(organizations::deactivated_at)
        .first(conn)
        .optional()?;
    if !matches!(partner_gone, Some(None)) {
        return refuse("my-partner-token-inactive");
    }
    let existing: i64 = partnerships::table
        .filter(partnerships::partner_organization_id.eq(found.partner_organization_id))
        .filter(partnerships::client_organization_id.eq(client_organization_id))
        .count()
        .get_result(conn)?;
    if existing > 0 {
        return refuse("my-partner-already-partner");
    }
    Ok(found)
}

/// What the client's admin sees before accepting.
pub fn preview(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    token: &str,
) -> DomainResult<Preview> {
    let found = lookup(conn, client_organization_id, token)?;
    Ok(Preview {
        partnership_id: found.id,
        partner_name: partner_name(conn, &found)?,
    })
}

/// Role ids the client offers as rules: its own, and active unless already in the rules.
fn check_client_roles(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    role_ids: &[RoleId],
    already: &[RoleId],
) -> DomainResult<()> {
    for chunk in role_ids.chunks(500) {
        let found: Vec<(RoleId, bool)> = roles::table
            .filter(roles::organization_id.eq(client_organization_id))
            .filter(roles::id.eq_any(chunk))
            .select((roles::id, roles::active))
            .load(conn)?;
        let offered = found
            .iter()
            .filter(|(id, active)| *active || already.contains(id))
            .count();
        if offered != chunk.len() {
            return Err(DomainError::NotFound);
        }
    }
    Ok(())
}

fn sorted(role_ids: &[RoleId]) -> Vec<RoleId> {
    let mut role_ids = role_ids.to_vec();
    role_ids.sort_unstable();
    role_ids.dedup();
    role_ids
}

fn insert_rules(conn: &mut DbConnection, id: i64, role_ids: &[RoleId]) -> QueryResult<()> {
    for role_id in role_ids {
        diesel::insert_into(partnership_roles::table)
            .values((
                partnership_roles::partnership_id.eq(id),
                partnership_roles::role_id.eq(role_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Accepts a token: the partnership becomes this organization's, Active, with the chosen roles
/// (at least one, active roles of this organization) as its rules.
pub fn accept(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    token: &str,
    role_ids: &[RoleId],
    actor: &Actor,
) -> DomainResult<i64> {
    let found = lookup(conn, client_organization_id, token)?;
    let role_ids = sorted(role_ids);
    if role_ids.is_empty() {
        return refuse("my-partner-roles-required");
    }
    check_client_roles(conn, client_organization_id, &role_ids, &[])?;
    let accepting = Transition::Accept {
        client: client_organization_id,
    };
    let accepted = match shared::apply(conn, &found, accepting, actor.at) {
        Ok(None) => return refuse("my-partner-token-used"),
        Ok(Some(accepted)) => accepted,
        // Two tokens of one partner accepted at once: one client, one partnership.
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => return refuse("my-partner-already-partner"),
        Err(err) => return Err(err.into()),
    };
    insert_rules(conn, found.id, &role_ids)?;
    let roles = format!("roles: {}", role_names(conn, &role_ids)?);
    record(
        conn,
        &accepted,
        actor,
        "client-token.accepted",
        audit_target(&accepted),
        Some(roles),
    )?;
    Ok(found.id)
}

/// A partner as the client's list shows it.
#[derive(Debug, Clone)]
pub struct PartnerSummary {
    pub id: i64,
    pub partner_name: String,
    pub status: PartnershipStatus,
    pub roles: Vec<String>,
    pub users: i64,
    pub activated_at: Option<PrimitiveDateTime>,
}

/// The partners this organization accepted a token from, by name.
pub fn list_for_client(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
) -> QueryResult<Vec<PartnerSummary>> {
    let rows: Vec<Partnership> = partnerships::table
        .filter(partnerships::client_organization_id.eq(client_organization_id))
        .filter(partnerships::origin.eq(Origin::Token))
        .order(partnerships::id.asc())
        .select(Partnership::as_select())
        .load(conn)?;
    let mut tallies = Tallies::of(conn, &rows)?;
    let mut summaries = Vec::with_capacity(rows.len());
    for row in rows {
        let (roles, users) = tallies.take(row.id);
        summaries.push(PartnerSummary {
            id: row.id,
            partner_name: partner_name(conn, &row)?,
            status: row.status,
            roles,
            users,
            activated_at: row.activated_at,
        });
    }
    summaries.sort_by(|a, b| a.partner_name.cmp(&b.partner_name).then(a.id.cmp(&b.id)));
    Ok(summaries)
}

/// One partner as the client's page shows it.
#[derive(Debug, Clone)]
pub struct PartnerDetails {
    pub partnership: Partnership,
    pub partner_name: String,
    pub roles: Vec<AllowedRole>,
    pub users: Vec<AuthorizedUser>,
}

pub fn details_for_client(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
) -> DomainResult<PartnerDetails> {
    let partnership = find_for_client(conn, client_organization_id, id)?;
    Ok(PartnerDetails {
        partner_name: partner_name(conn, &partnership)?,
        roles: rules_of(conn, id)?,
        users: authorized_users(conn, id)?,
        partnership,
    })
}

/// Replaces the client's rules (at least one role). Grants of roles no longer in the rules
/// are deleted with them: giving a role back to the rules later lets the partner hand it out
/// again, it does not hand it back by itself. Returns how many grants were deleted.
pub fn set_rules(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
    role_ids: &[RoleId],
    actor: &Actor,
) -> DomainResult<usize> {
    let partnership = find_for_client(conn, client_organization_id, id)?;
    if partnership.status == PartnershipStatus::Ended {
        return refuse("my-partner-ended");
    }
    let role_ids = sorted(role_ids);
    if role_ids.is_empty() {
        return refuse("my-partner-roles-required");
    }
    let before = rule_ids(conn, id)?;
    check_client_roles(conn, client_organization_id, &role_ids, &before)?;
    if sorted(&before) == role_ids {
        return Ok(0);
    }
    diesel::delete(partnership_roles::table.filter(partnership_roles::partnership_id.eq(id)))
        .execute(conn)?;
    insert_rules(conn, id, &role_ids)?;
    let dropped = diesel::delete(
        partnership_grants::table
            .filter(partnership_grants::partnership_id.eq(id))
            .filter(partnership_grants::role_id.ne_all(role_ids.clone())),
    )
    .execute(conn)?;
    let details = format!(
        "roles: {}; grants removed: {dropped}",
        role_names(conn, &role_ids)?
    );
    record(
        conn,
        &partnership,
        actor,
        "client-token.rules-changed",
        audit_target(&partnership),
        Some(details),
    )?;
    Ok(dropped)
}

/// The client suspends an active partnership: its partner users lose access at once.
pub fn suspend(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
    actor: &Actor,
) -> DomainResult<()> {
    let partnership = find_for_client(conn, client_organization_id, id)?;
    switch(
        conn,
        &partnership,
        Transition::Suspend,
        "my-partner-suspend-not-allowed",
        "client-token.suspended",
        actor,
    )
}

/// The client resumes a suspended partnership: the same authorizations count again.
pub fn resume(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
    actor: &Actor,
) -> DomainResult<()> {
    let partnership = find_for_client(conn, client_organization_id, id)?;
    let refusal = match partnership.status {
        PartnershipStatus::Deactivated => "my-partner-resume-deactivated",
        _ => "my-partner-resume-not-allowed",
    };
    switch(
        conn,
        &partnership,
        Transition::Resume,
        refusal,
        "client-token.resumed",
        actor,
    )
}

/// The client ends a partnership for good: status Ended, every authorization deleted. The
/// row stays (both sides see it ended) until the partner deletes its token.
pub fn end(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
    actor: &Actor,
) -> DomainResult<()> {
    let partnership = find_for_client(conn, client_organization_id, id)?;
    let changed = transition(
        conn,
        &partnership,
        Transition::End,
        actor.at,
        "my-partner-ended",
    )?;
    let removed =
        diesel::delete(partnership_grants::table.filter(partnership_grants::partnership_id.eq(id)))
            .execute(conn)?;
    record(
        conn,
        &changed,
        actor,
        "client-token.ended",
        audit_target(&changed),
        Some(format!("grants removed: {removed}")),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_the_prefix_and_enough_randomness() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX));
        assert_eq!(a.len(), TOKEN_PREFIX.len() + 43);
    }

    #[test]
    fn hints_keep_the_last_four_characters() {
        assert_eq!(hint_of("gh_ct_abcdef"), "cdef");
        assert_eq!(hint_of("ab"), "ab");
        assert_eq!(hint_label(Some("a1b2")), "…a1b2");
        assert_eq!(hint_label(None), "…");
    }
}
