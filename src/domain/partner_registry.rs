//! The Partners page's rules: a client organization (its owner) registers a partner company.
//! Registering creates the partner's own organization (kind `partner`: fixed Admin and Member
//! roles), a `partnerships` row (origin registration, Pending until the partner admin accepts
//! the invitation, then Active), and the client's `partner_profiles` row (name, logo, email
//! domains, partner admin). What is typed is checked in `partner_input`; the wizard keeps it
//! between steps in `partner_draft`; status changes go through `partnership::apply`.
//! Afterwards the client edits the profile, changes the partner admin (effective when the new
//! admin accepts), links catalog APIs and groups, and deactivates the partner for good.
//!
//! Every change is an audit event in both organizations (`partnership::record_in_both`).

use std::collections::HashMap;

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::schema::{
    accounts, api_groups, apis, environments, invitations, memberships, organizations,
    partner_domains, partner_profiles, partnership_api_groups, partnership_apis, partnerships,
    role_assignments, roles,
};
use crate::domain::audit::Actor;
use crate::domain::ids::{AccountId, MembershipId, OrganizationId, RoleId};
use crate::domain::invitation::{self, Inviter};
use crate::domain::kinds::{BuiltinRole, MembershipStatus};
use crate::domain::lists::{load_list, replace_list};
use crate::domain::membership::{self, Added, DirectoryScope};
use crate::domain::organization;
use crate::domain::partner_draft::{check_draft, delete_drafts, draft_logo, find_draft};
use crate::domain::partner_input::{
    AdminInput, LogoChange, domain_of, email_in_domains, parse_admin, parse_domains,
    parse_partner_name,
};
use crate::domain::partnership::{self, Origin, Partnership, PartnershipStatus, Transition};
use crate::domain::rules::{DomainError, DomainResult, refuse};

// ---------------------------------------------------------------------------------------------
// The organization's registrations: the limit, the list, one partner's details.

/// Registrations that still count against the limit: every one not deactivated.
pub fn registered_count(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
) -> QueryResult<i64> {
    partnerships::table
        .filter(partnerships::client_organization_id.eq(client_organization_id))
        .filter(partnerships::origin.eq(Origin::Registration))
        .filter(partnerships::status.ne(PartnershipStatus::Ended))
        .count()
        .get_result(conn)
}

/// How many more partners the organization may register.
pub fn remaining(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    max_partners: i64,
) -> QueryResult<i64> {
    Ok((max_partners - registered_count(conn, client_organization_id)?).max(0))
}

/// Whether another registration of the client (not deactivated) has this name, any case.
pub fn name_taken(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    name: &str,
    except: Option<i64>,
) -> QueryResult<bool> {
    let names: Vec<(i64, String)> = partner_profiles::table
        .inner_join(partnerships::table)
        .filter(partnerships::client_organization_id.eq(client_organization_id))
        .filter(partnerships::status.ne(PartnershipStatus::Ended))
        .select((partnerships::id, partner_profiles::name))
        .load(conn)?;
    let folded = name.to_lowercase();
    Ok(names
        .iter()
        .any(|(id, other)| Some(*id) != except && other.to_lowercase() == folded))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: String,
    /// Has registered (set a password).
    pub registered: bool,
}

/// A registered partner as the client sees it.
#[derive(Debug, Clone)]
pub struct PartnerSummary {
    pub id: i64,
    pub partner_organization_id: OrganizationId,
    pub name: String,
    pub status: PartnershipStatus,
    /// The logo's last change, to version its URL; None without a logo.
    pub logo_version: Option<i64>,
    pub domains: Vec<String>,
    pub admin: Option<Person>,
    pub pending_admin: Option<Person>,
    pub linked_apis: i64,
    pub linked_groups: i64,
    pub created_at: PrimitiveDateTime,
    pub activated_at: Option<PrimitiveDateTime>,
    pub ended_at: Option<PrimitiveDateTime>,
}

impl PartnerSummary {
    pub fn deactivated(&self) -> bool {
        self.status == PartnershipStatus::Ended
    }

    pub fn linked_count(&self) -> i64 {
        self.linked_apis + self.linked_groups
    }
}

#[derive(Queryable)]
struct ProfileRow {
    partnership: Partnership,
    name: String,
    has_logo: bool,
    admin: Option<AccountId>,
    pending: Option<AccountId>,
    updated_at: PrimitiveDateTime,
}

/// The partner's email domains, in the order the client typed them.
pub fn domains_of(conn: &mut DbConnection, partnership_id: i64) -> QueryResult<Vec<String>> {
    load_list!(conn, partner_domains, domain; partnership_id = partnership_id)
}

fn replace_domains(
    conn: &mut DbConnection,
    partnership_id: i64,
    domains: &[String],
) -> QueryResult<()> {
    replace_list!(
        conn, partner_domains, domain, domains; partnership_id = partnership_id
    );
    Ok(())
}

fn person(conn: &mut DbConnection, account_id: Option<AccountId>) -> QueryResult<Option<Person>> {
    let Some(account_id) = account_id else {
        return Ok(None);
    };
    let row: Option<(String, String, Option<String>)> = accounts::table
        .find(account_id)
        .select((accounts::name, accounts::email, accounts::password_hash))
        .first(conn)
        .optional()?;
    Ok(row.map(|(name, email, hash)| Person {
        name,
        email,
        registered: hash.is_some(),
    }))
}

/// The summaries of these profiles, with all their domains read in one query.
fn summaries(conn: &mut DbConnection, rows: Vec<ProfileRow>) -> QueryResult<Vec<PartnerSummary>> {
    let ids: Vec<i64> = rows.iter().map(|row| row.partnership.id).collect();
    let mut domains: HashMap<i64, Vec<String>> = HashMap::new();
    for (partnership_id, domain) in partner_domains::table
        .filter(partner_domains::partnership_id.eq_any(&ids))
        .order((partner_domains::partnership_id, partner_domains::position))
        .select((partner_domains::partnership_id, partner_domains::domain))
        .load::<(i64, String)>(conn)?
    {
        domains.entry(partnership_id).or_default().push(domain);
    }
    rows.into_iter()
        .map(|row| {
            let of_row = domains.remove(&row.partnership.id).unwrap_or_default();
            summary(conn, row, of_row)
        })
        .collect()
}

fn summary(
    conn: &mut DbConnection,
    row: ProfileRow,
    domains: Vec<String>,
) -> QueryResult<PartnerSummary> {
    let ProfileRow {
        partnership,
        name,
        has_logo,
        admin,
        pending,
        updated_at,
    } = row;
    let linked_apis = partnership_apis::table
        .filter(partnership_apis::partnership_id.eq(partnership.id))
        .count()
        .get_result(conn)?;
    let linked_groups = partnership_api_groups::table
        .filter(partnership_api_groups::partnership_id.eq(partnership.id))
        .count()
        .get_result(conn)?;
    Ok(PartnerSummary {
        id: partnership.id,
        partner_organization_id: partnership.partner_organization_id,
        name,
        status: partnership.status,
        logo_version: has_logo.then(|| updated_at.assume_utc().unix_timestamp()),
        domains,
        admin: person(conn, admin)?,
        pending_admin: person(conn, pending)?,
        linked_apis,
        linked_groups,
        created_at: partnership.created_at,
        activated_at: partnership.activated_at,
        ended_at: partnership.ended_at,
    })
}

fn profile_rows(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: Option<i64>,
) -> QueryResult<Vec<ProfileRow>> {
    let mut query = partnerships::table
        .inner_join(partner_profiles::table)
        .filter(partnerships::client_organization_id.eq(client_organization_id))
        .filter(partnerships::origin.eq(Origin::Registration))
        .select((
            Partnership::as_select(),
            partner_profiles::name,
            partner_profiles::logo_content_type.is_not_null(),
            partner_profiles::admin_account_id,
            partner_profiles::pending_admin_account_id,
            partner_profiles::updated_at,
        ))
        .into_boxed();
    if let Some(id) = id {
        query = query.filter(partnerships::id.eq(id));
    }
    query.load(conn)
}

/// The partners the organization registered: the ones in force by name, then the deactivated.
pub fn list(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
) -> QueryResult<Vec<PartnerSummary>> {
    let rows = profile_rows(conn, client_organization_id, None)?;
    let mut partners = summaries(conn, rows)?;
    partners.sort_by(|a, b| {
        a.deactivated()
            .cmp(&b.deactivated())
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then(a.id.cmp(&b.id))
    });
    Ok(partners)
}

/// One registered partner of the client; anything else is not found.
pub fn details(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
) -> DomainResult<PartnerSummary> {
    let row = profile_rows(conn, client_organization_id, Some(id))?
        .pop()
        .ok_or(DomainError::NotFound)?;
    let domains = domains_of(conn, id)?;
    Ok(summary(conn, row, domains)?)
}

pub fn logo(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
) -> DomainResult<Option<(Vec<u8>, String)>> {
    registered(conn, client_organization_id, id)?;
    let row: (Option<Vec<u8>>, Option<String>) = partner_profiles::table
        .find(id)
        .select((partner_profiles::logo, partner_profiles::logo_content_type))
        .first(conn)?;
    Ok(match row {
        (Some(bytes), Some(content_type)) => Some((bytes, content_type)),
        _ => None,
    })
}

/// A partnership the client registered.
fn registered(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
) -> DomainResult<Partnership> {
    let partnership = partnership::find_for_client(conn, client_organization_id, id)?;
    if partnership.origin != Origin::Registration {
        return Err(DomainError::NotFound);
    }
    Ok(partnership)
}

/// A registered partnership that may still change: a deactivated partner is read-only.
fn writable(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
) -> DomainResult<Partnership> {
    let partnership = registered(conn, client_organization_id, id)?;
    if partnership.status == PartnershipStatus::Ended {
        return refuse("partners-deactivated-read-only");
    }
    Ok(partnership)
}

fn builtin_role_id(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    builtin: BuiltinRole,
) -> QueryResult<RoleId> {
    roles::table
        .filter(roles::organization_id.eq(organization_id))
        .filter(roles::builtin.eq(builtin))
        .select(roles::id)
        .first(conn)
}

/// The partner organization's Admin role.
pub fn admin_role_id(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
) -> QueryResult<RoleId> {
    builtin_role_id(conn, partner_organization_id, BuiltinRole::Administrator)
}

/// Someone invited who has not registered yet goes by the name the client typed.
fn name_unregistered(
    conn: &mut DbConnection,
    account_id: AccountId,
    name: &str,
) -> QueryResult<()> {
    let changed = diesel::update(
        accounts::table
            .find(account_id)
            .filter(accounts::password_hash.is_null()),
    )
    .set(accounts::name.eq(name))
    .execute(conn)?;
    if changed > 0 {
        membership::refresh_directory(conn, DirectoryScope::Account(account_id))?;
    }
    Ok(())
}

fn email_of(conn: &mut DbConnection, account_id: AccountId) -> QueryResult<String> {
    accounts::table
        .find(account_id)
        .select(accounts::email)
        .first(conn)
}

/// Makes `account_id` the partner admin: a Pending partnership becomes Active with it (the
/// first admin accepted); an Active one records the change of admin.
fn install_admin(
    conn: &mut DbConnection,
    partnership: &Partnership,
    account_id: AccountId,
    actor: &Actor,
) -> QueryResult<()> {
    let previous: Option<AccountId> = partner_profiles::table
        .find(partnership.id)
        .select(partner_profiles::admin_account_id)
        .first(conn)?;
    diesel::update(partner_profiles::table.find(partnership.id))
        .set((
            partner_profiles::admin_account_id.eq(Some(account_id)),
            partner_profiles::pending_admin_account_id.eq(None::<AccountId>),
            partner_profiles::updated_at.eq(actor.at),
        ))
        .execute(conn)?;
    let email = email_of(conn, account_id)?;
    if partnership.status == PartnershipStatus::Pending {
        partnership::apply(conn, partnership, Transition::AdminRegistered, actor.at)?;
        partnership::record_in_both(
            conn,
            partnership,
            actor,
            "partner.activated",
            Some(email),
            None,
        )
    } else {
        let details = match previous {
            Some(previous) if previous != account_id => {
                Some(format!("was {}", email_of(conn, previous)?))
            }
            _ => None,
        };
        partnership::record_in_both(
            conn,
            partnership,
            actor,
            "partner.admin-changed",
            Some(email),
            details,
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Registering.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registered {
    pub partnership_id: i64,
    /// The partner admin was invited (Pending); otherwise they had an account and the partner
    /// is Active already.
    pub invited: bool,
}

/// "Add partner": everything of the owner's draft, in the caller's write transaction. The limit
/// is checked again here, with the client's row locked so that two registrations at once
/// cannot both take the last place.
pub fn register(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    owner_account_id: AccountId,
    max_partners: i64,
    inviter: &Inviter<'_>,
    settings: &Settings,
    actor: &Actor,
) -> DomainResult<Registered> {
    lock_partner_count(conn, client_organization_id, max_partners)?;
    let draft =
        find_draft(conn, client_organization_id, owner_account_id)?.ok_or(DomainError::NotFound)?;
    if !check_draft(&draft).complete() {
        return refuse("partners-draft-incomplete");
    }
    let name = parse_partner_name(&draft.name).map_err(refused)?;
    let domains =
        parse_domains(&draft.domains).map_err(|problem| refused(problem.message_key()))?;
    let admin = parse_admin(
        &draft.admin_first_name,
        &draft.admin_last_name,
        &draft.admin_email,
        &domains,
    )
    .map_err(|errors| refused(errors.first().unwrap_or("partners-draft-incomplete")))?;
    let registration = Registration {
        name,
        domains,
        admin,
        logo: draft_logo(conn, client_organization_id, owner_account_id)?,
    };
    let registered = register_checked(
        conn,
        client_organization_id,
        &registration,
        max_partners,
        inviter,
        settings,
        actor,
    )?;
    delete_drafts(conn, client_organization_id, owner_account_id)?;
    Ok(registered)
}

/// A partner to register in one go (the API's way; the page's wizard builds one from its
/// draft): checked name, domains and admin (`partner_input`), and a checked logo with its
/// content type.
#[derive(Debug, Clone)]
pub struct Registration {
    pub name: String,
    pub domains: Vec<String>,
    pub admin: AdminInput,
    pub logo: Option<(Vec<u8>, String)>,
}

/// Holds the client's row until the end of the transaction and refuses past the limit, so two
/// registrations at once cannot both take the last place.
fn lock_partner_count(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    max_partners: i64,
) -> DomainResult<()> {
    // A write to the client's row: PostgreSQL holds its lock to the end of the transaction
    // (SQLite's write transactions are serialized already).
    diesel::update(organizations::table.find(client_organization_id))
        .set(organizations::member_count.eq(organizations::member_count))
        .execute(conn)?;
    if registered_count(conn, client_organization_id)? >= max_partners {
        return refuse("partners-limit-reached");
    }
    Ok(())
}

/// Registers a partner: its organization, profile and domains, the partnership (Pending), and
/// its admin (invited, or admin at once when they have an account).
pub fn register_checked(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    registration: &Registration,
    max_partners: i64,
    inviter: &Inviter<'_>,
    settings: &Settings,
    actor: &Actor,
) -> DomainResult<Registered> {
    lock_partner_count(conn, client_organization_id, max_partners)?;
    let Registration {
        name,
        domains,
        admin,
        logo,
    } = registration;
    if name_taken(conn, client_organization_id, name, None)? {
        return refuse("partners-name-taken");
    }
    let partner = organization::create_partner_organization(conn, name, actor)?;
    let partnership_id: i64 = diesel::insert_into(partnerships::table)
        .values((
            partnerships::partner_organization_id.eq(partner.id),
            partnerships::client_organization_id.eq(Some(client_organization_id)),
            partnerships::origin.eq(Origin::Registration),
            partnerships::status.eq(PartnershipStatus::Pending),
            partnerships::created_by_account_id.eq(actor.account_id),
            partnerships::created_at.eq(actor.at),
        ))
        .returning(partnerships::id)
        .get_result(conn)?;
    // The profile first: its domains are what `membership::add` checks the admin against.
    diesel::insert_into(partner_profiles::table)
        .values((
            partner_profiles::partnership_id.eq(partnership_id),
            partner_profiles::name.eq(name),
            partner_profiles::logo.eq(logo.as_ref().map(|(bytes, _)| bytes.as_slice())),
            partner_profiles::logo_content_type
                .eq(logo.as_ref().map(|(_, content_type)| content_type.as_str())),
            partner_profiles::updated_at.eq(actor.at),
        ))
        .execute(conn)?;
    replace_domains(conn, partnership_id, domains)?;
    let partnership = partnership::reload(conn, partnership_id)?;
    partnership::record_in_both(
        conn,
        &partnership,
        actor,
        "partner.registered",
        Some(name.clone()),
        Some(format!(
            "domains: {}; partner admin: {}",
            domains.join(", "),
            admin.email.as_str()
        )),
    )?;
    let invited = invite_admin(conn, &partnership, admin, inviter, settings, actor)?;
    Ok(Registered {
        partnership_id,
        invited,
    })
}

fn refused(key: &'static str) -> DomainError {
    DomainError::Rule(crate::domain::rules::RuleViolation(key))
}

/// Makes the person the partner admin, or the one waiting to become it: someone new (or who
/// never registered) is invited and becomes the admin on accepting; someone with an account
/// already is an Active member at once, so the change applies now. Returns whether an
/// invitation went out.
fn invite_admin(
    conn: &mut DbConnection,
    partnership: &Partnership,
    admin: &AdminInput,
    inviter: &Inviter<'_>,
    settings: &Settings,
    actor: &Actor,
) -> DomainResult<bool> {
    let partner_organization_id = partnership.partner_organization_id;
    let admin_role = admin_role_id(conn, partner_organization_id)?;
    let existing: Option<(MembershipId, AccountId, MembershipStatus)> = memberships::table
        .inner_join(accounts::table)
        .filter(memberships::organization_id.eq(partner_organization_id))
        .filter(accounts::email.eq(admin.email.as_str()))
        .select((
            memberships::id,
            memberships::account_id,
            memberships::status,
        ))
        .first(conn)
        .optional()?;
    let (membership_id, account_id, pending) = match existing {
        None => match membership::add(
            conn,
            partner_organization_id,
            &admin.email,
            &[admin_role],
            Some(inviter.language.tag()),
            actor,
        )? {
            Added::Invited {
                membership_id,
                account_id,
            } => (membership_id, account_id, true),
            Added::Granted {
                membership_id,
                account_id,
            } => {
                invitation::notify_access_granted(
                    conn,
                    partner_organization_id,
                    account_id,
                    inviter,
                    settings,
                    actor.at,
                )?;
                (membership_id, account_id, false)
            }
        },
        Some((membership_id, account_id, status)) => {
            // A member already: they hold the Admin role from now on (switched on).
            membership::assign(
                conn,
                partner_organization_id,
                membership_id,
                &[admin_role],
                actor,
            )?;
            diesel::update(
                role_assignments::table
                    .filter(role_assignments::membership_id.eq(membership_id))
                    .filter(role_assignments::role_id.eq(admin_role)),
            )
            .set(role_assignments::active.eq(true))
            .execute(conn)?;
            if status == MembershipStatus::Inactive {
                membership::reactivate(conn, partner_organization_id, membership_id, actor)?;
            }
            (
                membership_id,
                account_id,
                status == MembershipStatus::Pending,
            )
        }
    };
    if pending {
        name_unregistered(conn, account_id, &admin.full_name())?;
        invitation::send(
            conn,
            partner_organization_id,
            membership_id,
            inviter,
            settings,
            actor,
        )?;
        diesel::update(partner_profiles::table.find(partnership.id))
            .set((
                partner_profiles::pending_admin_account_id.eq(Some(account_id)),
                partner_profiles::updated_at.eq(actor.at),
            ))
            .execute(conn)?;
    } else {
        install_admin(conn, partnership, account_id, actor)?;
    }
    Ok(pending)
}

/// Called when someone accepts an invitation into `organization_id` (their membership just
/// became Active): when it is a registered partner's organization and they are its pending
/// admin, they become the partner admin, and a Pending partnership becomes Active.
pub fn on_member_accepted(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    account_id: AccountId,
    actor: &Actor,
) -> QueryResult<()> {
    let found: Option<(Partnership, Option<AccountId>)> = partnerships::table
        .inner_join(partner_profiles::table)
        .filter(partnerships::partner_organization_id.eq(organization_id))
        .filter(partnerships::origin.eq(Origin::Registration))
        .select((
            Partnership::as_select(),
            partner_profiles::pending_admin_account_id,
        ))
        .first(conn)
        .optional()?;
    match found {
        Some((partnership, Some(pending)))
            if pending == account_id && partnership.status != PartnershipStatus::Ended =>
        {
            install_admin(conn, &partnership, account_id, actor)
        }
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// Settings: general information, domains, the partner admin, linked APIs.

/// Renames the partner (its organization too) and replaces or removes its logo.
pub fn update_info(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
    name: &str,
    logo: &LogoChange,
    actor: &Actor,
) -> DomainResult<()> {
    let partnership = writable(conn, client_organization_id, id)?;
    if name_taken(conn, client_organization_id, name, Some(id))? {
        return refuse("partners-name-taken");
    }
    let previous: String = partner_profiles::table
        .find(id)
        .select(partner_profiles::name)
        .first(conn)?;
    let profile = partner_profiles::table.find(id);
    diesel::update(profile)
        .set((
            partner_profiles::name.eq(name),
            partner_profiles::updated_at.eq(actor.at),
        ))
        .execute(conn)?;
    let mut changes = Vec::new();
    if previous != name {
        organization::rename(conn, partnership.partner_organization_id, name, actor)?;
        changes.push(format!("name was {previous:?}"));
    }
    if let Some((bytes, content_type)) = logo.to_store() {
        diesel::update(profile)
            .set((
                partner_profiles::logo.eq(bytes),
                partner_profiles::logo_content_type.eq(content_type),
            ))
            .execute(conn)?;
        changes.push(
            if bytes.is_some() {
                "logo replaced"
            } else {
                "logo removed"
            }
            .to_owned(),
        );
    }
    partnership::record_in_both(
        conn,
        &partnership,
        actor,
        "partner.info-updated",
        Some(name.to_owned()),
        (!changes.is_empty()).then(|| changes.join("; ")),
    )?;
    Ok(())
}

/// The domains the partner admin's email (and the pending admin's) use: they cannot be removed.
pub fn domains_in_use(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<String>> {
    let (admin, pending): (Option<AccountId>, Option<AccountId>) = partner_profiles::table
        .find(id)
        .select((
            partner_profiles::admin_account_id,
            partner_profiles::pending_admin_account_id,
        ))
        .first(conn)?;
    let mut domains = Vec::new();
    for account_id in [admin, pending].into_iter().flatten() {
        let domain = domain_of(&email_of(conn, account_id)?).to_owned();
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    Ok(domains)
}

pub fn update_domains(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
    domains: &[String],
    actor: &Actor,
) -> DomainResult<()> {
    let partnership = writable(conn, client_organization_id, id)?;
    if domains_in_use(conn, id)?
        .iter()
        .any(|domain| !domains.contains(domain))
    {
        return refuse("partners-domain-in-use");
    }
    let previous = domains_of(conn, id)?;
    diesel::update(partner_profiles::table.find(id))
        .set(partner_profiles::updated_at.eq(actor.at))
        .execute(conn)?;
    replace_domains(conn, id, domains)?;
    partnership::record_in_both(
        conn,
        &partnership,
        actor,
        "partner.domains-updated",
        Some(domains.join(", ")),
        Some(format!("was {}", previous.join(", "))),
    )?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminChange {
    /// Invited: the change applies when they accept.
    Invited,
    /// They had an account (or were a member already): they are the partner admin now.
    Applied,
}

/// Changes the partner admin. A previous pending admin who never accepted loses their
/// invitation; the current admin stays a member.
pub fn change_admin(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
    admin: &AdminInput,
    inviter: &Inviter<'_>,
    settings: &Settings,
    actor: &Actor,
) -> DomainResult<AdminChange> {
    let partnership = writable(conn, client_organization_id, id)?;
    let (current, pending): (Option<AccountId>, Option<AccountId>) = partner_profiles::table
        .find(id)
        .select((
            partner_profiles::admin_account_id,
            partner_profiles::pending_admin_account_id,
        ))
        .first(conn)?;
    let domains = domains_of(conn, id)?;
    if !email_in_domains(&admin.email, &domains) {
        return refuse("partners-admin-email-outside");
    }
    if let Some(current) = current
        && email_of(conn, current)? == admin.email.as_str()
    {
        return refuse("partners-admin-same");
    }
    // The one waiting before, when it is someone else and they never accepted, is withdrawn.
    if let Some(pending) = pending
        && email_of(conn, pending)? != admin.email.as_str()
    {
        let waiting: Option<MembershipId> = memberships::table
            .filter(memberships::organization_id.eq(partnership.partner_organization_id))
            .filter(memberships::account_id.eq(pending))
            .filter(memberships::status.eq(MembershipStatus::Pending))
            .select(memberships::id)
            .first(conn)
            .optional()?;
        if let Some(membership_id) = waiting {
            invitation::revoke(
                conn,
                partnership.partner_organization_id,
                membership_id,
                actor,
            )?;
        }
        diesel::update(partner_profiles::table.find(id))
            .set(partner_profiles::pending_admin_account_id.eq(None::<AccountId>))
            .execute(conn)?;
    }
    partnership::record_in_both(
        conn,
        &partnership,
        actor,
        "partner.admin-change-requested",
        Some(admin.email.as_str().to_owned()),
        None,
    )?;
    let invited = invite_admin(conn, &partnership, admin, inviter, settings, actor)?;
    Ok(if invited {
        AdminChange::Invited
    } else {
        AdminChange::Applied
    })
}

/// Sends the pending partner admin a new link.
pub fn resend_admin_invitation(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
    inviter: &Inviter<'_>,
    settings: &Settings,
    actor: &Actor,
) -> DomainResult<()> {
    let partnership = writable(conn, client_organization_id, id)?;
    let pending: Option<AccountId> = partner_profiles::table
        .find(id)
        .select(partner_profiles::pending_admin_account_id)
        .first(conn)?;
    let waiting: Option<MembershipId> = match pending {
        Some(account_id) => memberships::table
            .filter(memberships::organization_id.eq(partnership.partner_organization_id))
            .filter(memberships::account_id.eq(account_id))
            .filter(memberships::status.eq(MembershipStatus::Pending))
            .select(memberships::id)
            .first(conn)
            .optional()?,
        None => None,
    };
    let Some(membership_id) = waiting else {
        return refuse("partners-admin-not-pending");
    };
    invitation::resend(
        conn,
        partnership.partner_organization_id,
        membership_id,
        inviter,
        settings,
        actor,
    )?;
    let email = email_of(conn, pending.ok_or(DomainError::NotFound)?)?;
    partnership::record_in_both(
        conn,
        &partnership,
        actor,
        "partner.invitation-resent",
        Some(email),
        None,
    )?;
    Ok(())
}

/// The catalog entries linked to a partner: (API ids, group ids).
pub type Links = (Vec<i64>, Vec<i64>);

/// One partner's links.
pub fn links(conn: &mut DbConnection, id: i64) -> QueryResult<Links> {
    Ok(links_of_each(conn, &[id])?.remove(&id).unwrap_or_default())
}

/// The API ids and API group ids linked to each of these partners, in two queries.
pub fn links_of_each(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<HashMap<i64, Links>> {
    let apis: Vec<(i64, i64)> = partnership_apis::table
        .filter(partnership_apis::partnership_id.eq_any(ids))
        .select((partnership_apis::partnership_id, partnership_apis::api_id))
        .load(conn)?;
    let groups: Vec<(i64, i64)> = partnership_api_groups::table
        .filter(partnership_api_groups::partnership_id.eq_any(ids))
        .select((
            partnership_api_groups::partnership_id,
            partnership_api_groups::api_group_id,
        ))
        .load(conn)?;
    let mut links: HashMap<i64, Links> = HashMap::new();
    for (id, api_id) in apis {
        links.entry(id).or_default().0.push(api_id);
    }
    for (id, group_id) in groups {
        links.entry(id).or_default().1.push(group_id);
    }
    Ok(links)
}

/// What is linked, by name: APIs ("Name 1.0 (Environment)") then groups, each sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkedNames {
    pub apis: Vec<String>,
    pub groups: Vec<String>,
}

impl LinkedNames {
    pub fn is_empty(&self) -> bool {
        self.apis.is_empty() && self.groups.is_empty()
    }
}

pub fn linked_names(conn: &mut DbConnection, id: i64) -> QueryResult<LinkedNames> {
    let mut apis_linked: Vec<String> = partnership_apis::table
        .inner_join(apis::table.inner_join(environments::table))
        .filter(partnership_apis::partnership_id.eq(id))
        .select((apis::name, apis::version, environments::name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(name, version, environment)| format!("{name} {version} ({environment})"))
        .collect();
    apis_linked.sort();
    let mut groups: Vec<String> = partnership_api_groups::table
        .inner_join(api_groups::table)
        .filter(partnership_api_groups::partnership_id.eq(id))
        .select(api_groups::name)
        .load(conn)?;
    groups.sort();
    Ok(LinkedNames {
        apis: apis_linked,
        groups,
    })
}

/// Links exactly these APIs and groups of the client's catalog to the partner: its members see
/// them in the API portal. Ids that are not the client's are not found.
pub fn set_links(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
    api_ids: &[i64],
    group_ids: &[i64],
    actor: &Actor,
) -> DomainResult<()> {
    let partnership = writable(conn, client_organization_id, id)?;
    let api_ids = crate::domain::api_catalog::own_api_ids(conn, client_organization_id, api_ids)?;
    let mut group_ids = group_ids.to_vec();
    group_ids.sort_unstable();
    group_ids.dedup();
    let own_groups: i64 = api_groups::table
        .filter(api_groups::organization_id.eq(client_organization_id))
        .filter(api_groups::id.eq_any(&group_ids))
        .count()
        .get_result(conn)?;
    if own_groups != group_ids.len() as i64 {
        return Err(DomainError::NotFound);
    }
    diesel::delete(partnership_apis::table.filter(partnership_apis::partnership_id.eq(id)))
        .execute(conn)?;
    diesel::delete(
        partnership_api_groups::table.filter(partnership_api_groups::partnership_id.eq(id)),
    )
    .execute(conn)?;
    for api_id in &api_ids {
        diesel::insert_into(partnership_apis::table)
            .values((
                partnership_apis::partnership_id.eq(id),
                partnership_apis::api_id.eq(api_id),
            ))
            .execute(conn)?;
    }
    for group_id in &group_ids {
        diesel::insert_into(partnership_api_groups::table)
            .values((
                partnership_api_groups::partnership_id.eq(id),
                partnership_api_groups::api_group_id.eq(group_id),
            ))
            .execute(conn)?;
    }
    let names = linked_names(conn, id)?;
    let name = partnership::partner_name(conn, &partnership)?;
    partnership::record_in_both(
        conn,
        &partnership,
        actor,
        "partner.apis-linked",
        Some(name),
        Some(format!(
            "APIs: {}; groups: {}",
            if names.apis.is_empty() {
                "none".to_owned()
            } else {
                names.apis.join(", ")
            },
            if names.groups.is_empty() {
                "none".to_owned()
            } else {
                names.groups.join(", ")
            },
        )),
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Deactivating, for good.

/// Ends the partnership and deactivates the partner's organization: its members lose every
/// access at once (member rights and the portal ignore deactivated organizations), pending
/// invitations into it stop working, and nothing turns it back on. Refused while any API or
/// group is still linked.
pub fn deactivate(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
    actor: &Actor,
) -> DomainResult<()> {
    let partnership = writable(conn, client_organization_id, id)?;
    if !linked_names(conn, id)?.is_empty() {
        return refuse("partners-deactivate-links-remain");
    }
    if partnership::apply(conn, &partnership, Transition::End, actor.at)?.is_none() {
        return refuse("partners-deactivated-read-only");
    }
    diesel::update(organizations::table.find(partnership.partner_organization_id))
        .set(organizations::deactivated_at.eq(Some(actor.at)))
        .execute(conn)?;
    let pending_memberships = memberships::table
        .filter(memberships::organization_id.eq(partnership.partner_organization_id))
        .select(memberships::id);
    diesel::delete(
        invitations::table.filter(invitations::membership_id.eq_any(pending_memberships)),
    )
    .execute(conn)?;
    let name = partnership::partner_name(conn, &partnership)?;
    partnership::record_in_both(
        conn,
        &partnership,
        actor,
        "partner.deactivated",
        Some(name),
        None,
    )?;
    Ok(())
}
