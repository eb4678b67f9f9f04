//! The Partners page's rules: a client organization (its owner) registers a partner company.
//! Registering creates the partner's own organization (kind `partner`: fixed Admin and Member
//! roles), a `partnerships` row (origin registration, Pending until the partner admin accepts
//! the invitation, then Active), and the client's `partner_profiles` row (name, logo, email
//! domains, partner admin). The wizard keeps what was typed in `partner_drafts` between steps.
//! Afterwards the client edits the profile, changes the partner admin (effective when the new
//! admin accepts), links catalog APIs and groups, and deactivates the partner for good.
//!
//! Every change is an audit event in both organizations (`partnership::record_in_both`).

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::schema::{
    accounts, api_groups, apis, environments, invitations, memberships, organizations,
    partner_drafts, partner_profiles, partnership_api_groups, partnership_apis, partnerships,
    role_assignments, roles,
};
use crate::domain::account::EmailAddress;
use crate::domain::audit::Actor;
use crate::domain::ids::{AccountId, MembershipId, OrganizationId, RoleId};
use crate::domain::invitation::{self, Inviter};
use crate::domain::kinds::{BuiltinRole, MembershipStatus};
use crate::domain::membership::{self, Added, DirectoryScope};
use crate::domain::organization;
use crate::domain::partnership::{self, Origin, Partnership, PartnershipStatus, Transition};
use crate::domain::rules::{DomainError, DomainResult, refuse};

/// The largest logo accepted (512 KiB).
pub const MAX_LOGO_BYTES: usize = 512 * 1024;
/// The most email domains one partner may have.
pub const MAX_DOMAINS: usize = 20;
const MAX_PARTNER_NAME: usize = 100;
const MAX_PERSON_NAME: usize = 50;

// ---------------------------------------------------------------------------------------------
// What people type: the partner's name, its logo, its email domains, the partner admin.

/// A partner's name: trimmed, 1 to 100 characters, no control characters.
pub fn parse_partner_name(candidate: &str) -> Result<String, &'static str> {
    let name = candidate.trim();
    if name.is_empty() {
        Err("partners-name-required")
    } else if name.chars().count() > MAX_PARTNER_NAME || name.chars().any(char::is_control) {
        Err("partners-name-invalid")
    } else {
        Ok(name.to_owned())
    }
}

/// What a logo's content says it is: PNG, JPEG or WebP by their magic bytes, whatever the file
/// is called. Returns the content type to store, or the message key of the refusal.
pub fn check_logo(bytes: &[u8]) -> Result<&'static str, &'static str> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err("partners-logo-too-large");
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok("image/png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok("image/jpeg");
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok("image/webp");
    }
    if looks_like_svg(bytes) {
        return Err("partners-logo-svg");
    }
    Err("partners-logo-type")
}

/// SVG can carry scripts; it is refused with its own message so people know why.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    String::from_utf8_lossy(head)
        .to_ascii_lowercase()
        .contains("<svg")
}

/// Why a list of domains was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainsProblem {
    Required,
    /// The piece as typed (shortened).
    Invalid(String),
    TooMany,
}

impl DomainsProblem {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Required => "partners-domains-required",
            Self::Invalid(_) => "partners-domain-invalid",
            Self::TooMany => "partners-domains-too-many",
        }
    }
}

/// Email domains, one per line or separated by commas or spaces, each `@partner.example` or
/// `partner.example`: lower-cased, de-duplicated (in the order typed), at most `MAX_DOMAINS`.
pub fn parse_domains(text: &str) -> Result<Vec<String>, DomainsProblem> {
    let mut domains: Vec<String> = Vec::new();
    for piece in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        if piece.is_empty() {
            continue;
        }
        let candidate = piece
            .strip_prefix('@')
            .unwrap_or(piece)
            .trim_end_matches('.')
            .to_ascii_lowercase();
        if !valid_domain(&candidate) {
            return Err(DomainsProblem::Invalid(piece.chars().take(80).collect()));
        }
        if !domains.contains(&candidate) {
            domains.push(candidate);
        }
    }
    if domains.is_empty() {
        Err(DomainsProblem::Required)
    } else if domains.len() > MAX_DOMAINS {
        Err(DomainsProblem::TooMany)
    } else {
        Ok(domains)
    }
}

/// A domain name in its ASCII form (internationalized names as `xn--`): two labels or more, each
/// 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen, the last one not a
/// number.
fn valid_domain(domain: &str) -> bool {
    if domain.is_empty() || domain.len() > 253 || !domain.is_ascii() {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let labels_ok = labels.iter().all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    let top = labels.last().copied().unwrap_or_default();
    labels_ok && top.len() >= 2 && !top.chars().all(|c| c.is_ascii_digit())
}

/// The domain of an email address.
fn domain_of(email: &str) -> &str {
    email
        .rsplit_once('@')
        .map(|(_, domain)| domain)
        .unwrap_or_default()
}

pub fn email_in_domains(email: &EmailAddress, domains: &[String]) -> bool {
    let domain = domain_of(email.as_str());
    domains.iter().any(|allowed| allowed == domain)
}

fn parse_person_name(candidate: &str, required: &'static str) -> Result<String, &'static str> {
    let name = candidate.trim();
    if name.is_empty() {
        Err(required)
    } else if name.chars().count() > MAX_PERSON_NAME || name.chars().any(char::is_control) {
        Err("partners-person-name-invalid")
    } else {
        Ok(name.to_owned())
    }
}

/// The partner admin as typed: first and last name, and an email in the partner's domains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminInput {
    pub first_name: String,
    pub last_name: String,
    pub email: EmailAddress,
}

impl AdminInput {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// The message key of each field's refusal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminErrors {
    pub first_name: Option<&'static str>,
    pub last_name: Option<&'static str>,
    pub email: Option<&'static str>,
}

impl AdminErrors {
    pub fn first(&self) -> Option<&'static str> {
        self.first_name.or(self.last_name).or(self.email)
    }
}

pub fn parse_admin(
    first_name: &str,
    last_name: &str,
    email: &str,
    domains: &[String],
) -> Result<AdminInput, AdminErrors> {
    let first_name = parse_person_name(first_name, "partners-first-name-required");
    let last_name = parse_person_name(last_name, "partners-last-name-required");
    let email = EmailAddress::parse(email).and_then(|email| {
        if email_in_domains(&email, domains) {
            Ok(email)
        } else {
            Err("partners-admin-email-outside")
        }
    });
    match (first_name, last_name, email) {
        (Ok(first_name), Ok(last_name), Ok(email)) => Ok(AdminInput {
            first_name,
            last_name,
            email,
        }),
        (first_name, last_name, email) => Err(AdminErrors {
            first_name: first_name.err(),
            last_name: last_name.err(),
            email: email.err(),
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// The wizard's draft: one per owner and organization, kept between steps (the logo too).

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = partner_drafts)]
pub struct Draft {
    pub id: i64,
    pub organization_id: OrganizationId,
    pub account_id: AccountId,
    pub name: String,
    pub logo_content_type: Option<String>,
    pub domains: String,
    pub admin_first_name: String,
    pub admin_last_name: String,
    pub admin_email: String,
    pub updated_at: PrimitiveDateTime,
}

impl Draft {
    pub fn domain_list(&self) -> Vec<String> {
        self.domains.split_whitespace().map(str::to_owned).collect()
    }

    pub fn has_logo(&self) -> bool {
        self.logo_content_type.is_some()
    }
}

/// What happens to a stored logo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogoChange {
    Keep,
    /// Checked bytes and their content type.
    Replace(Vec<u8>, String),
    Remove,
}

pub fn find_draft(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    account_id: AccountId,
) -> QueryResult<Option<Draft>> {
    partner_drafts::table
        .filter(partner_drafts::organization_id.eq(organization_id))
        .filter(partner_drafts::account_id.eq(account_id))
        .order(partner_drafts::id.desc())
        .select(Draft::as_select())
        .first(conn)
        .optional()
}

/// Saves step 1 (the name when given, and the logo change), starting a draft if there is none.
/// Returns the draft's id.
pub fn save_draft_info(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    account_id: AccountId,
    name: Option<&str>,
    logo: &LogoChange,
    at: PrimitiveDateTime,
) -> QueryResult<i64> {
    let id = match find_draft(conn, organization_id, account_id)? {
        Some(draft) => draft.id,
        None => diesel::insert_into(partner_drafts::table)
            .values((
                partner_drafts::organization_id.eq(organization_id),
                partner_drafts::account_id.eq(account_id),
                partner_drafts::name.eq(""),
                partner_drafts::domains.eq(""),
                partner_drafts::admin_first_name.eq(""),
                partner_drafts::admin_last_name.eq(""),
                partner_drafts::admin_email.eq(""),
                partner_drafts::updated_at.eq(at),
            ))
            .returning(partner_drafts::id)
            .get_result(conn)?,
    };
    let draft = partner_drafts::table.find(id);
    if let Some(name) = name {
        diesel::update(draft)
            .set(partner_drafts::name.eq(name))
            .execute(conn)?;
    }
    match logo {
        LogoChange::Keep => {}
        LogoChange::Replace(bytes, content_type) => {
            diesel::update(draft)
                .set((
                    partner_drafts::logo.eq(Some(bytes.as_slice())),
                    partner_drafts::logo_content_type.eq(Some(content_type.as_str())),
                ))
                .execute(conn)?;
        }
        LogoChange::Remove => {
            diesel::update(draft)
                .set((
                    partner_drafts::logo.eq(None::<Vec<u8>>),
                    partner_drafts::logo_content_type.eq(None::<String>),
                ))
                .execute(conn)?;
        }
    }
    diesel::update(draft)
        .set(partner_drafts::updated_at.eq(at))
        .execute(conn)?;
    Ok(id)
}

pub fn save_draft_domains(
    conn: &mut DbConnection,
    draft_id: i64,
    domains: &[String],
    at: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(partner_drafts::table.find(draft_id))
        .set((
            partner_drafts::domains.eq(domains.join(" ")),
            partner_drafts::updated_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Saves step 3 as typed (the review checks it again).
pub fn save_draft_admin(
    conn: &mut DbConnection,
    draft_id: i64,
    first_name: &str,
    last_name: &str,
    email: &str,
    at: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(partner_drafts::table.find(draft_id))
        .set((
            partner_drafts::admin_first_name.eq(first_name.trim()),
            partner_drafts::admin_last_name.eq(last_name.trim()),
            partner_drafts::admin_email.eq(email.trim()),
            partner_drafts::updated_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn draft_logo(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    account_id: AccountId,
) -> QueryResult<Option<(Vec<u8>, String)>> {
    let row: Option<(Option<Vec<u8>>, Option<String>)> = partner_drafts::table
        .filter(partner_drafts::organization_id.eq(organization_id))
        .filter(partner_drafts::account_id.eq(account_id))
        .order(partner_drafts::id.desc())
        .select((partner_drafts::logo, partner_drafts::logo_content_type))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((Some(bytes), Some(content_type))) => Some((bytes, content_type)),
        _ => None,
    })
}

pub fn delete_drafts(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    account_id: AccountId,
) -> QueryResult<()> {
    diesel::delete(
        partner_drafts::table
            .filter(partner_drafts::organization_id.eq(organization_id))
            .filter(partner_drafts::account_id.eq(account_id)),
    )
    .execute(conn)
    .map(|_| ())
}

/// What a draft still lacks, step by step (message keys), for the review.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftCheck {
    pub info: Option<&'static str>,
    pub domains: Option<&'static str>,
    pub admin: Option<&'static str>,
}

impl DraftCheck {
    pub fn complete(&self) -> bool {
        self.info.is_none() && self.domains.is_none() && self.admin.is_none()
    }
}

pub fn check_draft(draft: &Draft) -> DraftCheck {
    let domains = parse_domains(&draft.domains);
    let admin = match &domains {
        Ok(list) => parse_admin(
            &draft.admin_first_name,
            &draft.admin_last_name,
            &draft.admin_email,
            list,
        )
        .err()
        .and_then(|errors| errors.first()),
        Err(_) => Some("partners-admin-needs-domains"),
    };
    DraftCheck {
        info: parse_partner_name(&draft.name).err(),
        domains: domains.err().map(|problem| problem.message_key()),
        admin,
    }
}

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

type ProfileRow = (
    Partnership,
    String,
    bool,
    String,
    Option<AccountId>,
    Option<AccountId>,
    PrimitiveDateTime,
);

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

fn summary(conn: &mut DbConnection, row: ProfileRow) -> QueryResult<PartnerSummary> {
    let (partnership, name, has_logo, domains, admin, pending, updated_at) = row;
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
        status: partnership.status(),
        logo_version: has_logo.then(|| updated_at.assume_utc().unix_timestamp()),
        domains: domains.split_whitespace().map(str::to_owned).collect(),
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
            partner_profiles::domains,
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
    let mut partners = Vec::new();
    for row in profile_rows(conn, client_organization_id, None)? {
        partners.push(summary(conn, row)?);
    }
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
    Ok(summary(conn, row)?)
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
    if partnership.origin() != Origin::Registration {
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
    if partnership.status() == PartnershipStatus::Ended {
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
    if partnership.status() == PartnershipStatus::Pending {
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
    // A write to the client's row: PostgreSQL holds its lock to the end of the transaction
    // (SQLite's write transactions are serialized already).
    diesel::update(organizations::table.find(client_organization_id))
        .set(organizations::member_count.eq(organizations::member_count))
        .execute(conn)?;
    if registered_count(conn, client_organization_id)? >= max_partners {
        return refuse("partners-limit-reached");
    }
    let draft =
        find_draft(conn, client_organization_id, owner_account_id)?.ok_or(DomainError::NotFound)?;
    if !check_draft(&draft).complete() {
        return refuse("partners-draft-incomplete");
    }
    let name = parse_partner_name(&draft.name).map_err(refused)?;
    if name_taken(conn, client_organization_id, &name, None)? {
        return refuse("partners-name-taken");
    }
    let domains =
        parse_domains(&draft.domains).map_err(|problem| refused(problem.message_key()))?;
    let admin = parse_admin(
        &draft.admin_first_name,
        &draft.admin_last_name,
        &draft.admin_email,
        &domains,
    )
    .map_err(|errors| refused(errors.first().unwrap_or("partners-draft-incomplete")))?;
    let logo = draft_logo(conn, client_organization_id, owner_account_id)?;

    let partner = organization::create_partner_organization(conn, &name, actor)?;
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
            partner_profiles::name.eq(&name),
            partner_profiles::logo.eq(logo.as_ref().map(|(bytes, _)| bytes.as_slice())),
            partner_profiles::logo_content_type
                .eq(logo.as_ref().map(|(_, content_type)| content_type.as_str())),
            partner_profiles::domains.eq(domains.join(" ")),
            partner_profiles::updated_at.eq(actor.at),
        ))
        .execute(conn)?;
    let partnership: Partnership = partnerships::table
        .find(partnership_id)
        .select(Partnership::as_select())
        .first(conn)?;
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
    let invited = invite_admin(conn, &partnership, &admin, inviter, settings, actor)?;
    delete_drafts(conn, client_organization_id, owner_account_id)?;
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
            if pending == account_id && partnership.status() != PartnershipStatus::Ended =>
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
    match logo {
        LogoChange::Keep => {}
        LogoChange::Replace(bytes, content_type) => {
            diesel::update(profile)
                .set((
                    partner_profiles::logo.eq(Some(bytes.as_slice())),
                    partner_profiles::logo_content_type.eq(Some(content_type.as_str())),
                ))
                .execute(conn)?;
            changes.push("logo replaced".to_owned());
        }
        LogoChange::Remove => {
            diesel::update(profile)
                .set((
                    partner_profiles::logo.eq(None::<Vec<u8>>),
                    partner_profiles::logo_content_type.eq(None::<String>),
                ))
                .execute(conn)?;
            changes.push("logo removed".to_owned());
        }
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
    let previous: String = partner_profiles::table
        .find(id)
        .select(partner_profiles::domains)
        .first(conn)?;
    diesel::update(partner_profiles::table.find(id))
        .set((
            partner_profiles::domains.eq(domains.join(" ")),
            partner_profiles::updated_at.eq(actor.at),
        ))
        .execute(conn)?;
    partnership::record_in_both(
        conn,
        &partnership,
        actor,
        "partner.domains-updated",
        Some(domains.join(", ")),
        Some(format!(
            "was {}",
            previous.split_whitespace().collect::<Vec<_>>().join(", ")
        )),
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
    let (domains, current, pending): (String, Option<AccountId>, Option<AccountId>) =
        partner_profiles::table
            .find(id)
            .select((
                partner_profiles::domains,
                partner_profiles::admin_account_id,
                partner_profiles::pending_admin_account_id,
            ))
            .first(conn)?;
    let domains: Vec<String> = domains.split_whitespace().map(str::to_owned).collect();
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
pub fn links(conn: &mut DbConnection, id: i64) -> QueryResult<(Vec<i64>, Vec<i64>)> {
    Ok((
        partnership_apis::table
            .filter(partnership_apis::partnership_id.eq(id))
            .select(partnership_apis::api_id)
            .load(conn)?,
        partnership_api_groups::table
            .filter(partnership_api_groups::partnership_id.eq(id))
            .select(partnership_api_groups::api_group_id)
            .load(conn)?,
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logos_are_recognised_by_their_content() {
        assert_eq!(check_logo(b"\x89PNG\r\n\x1a\nrest"), Ok("image/png"));
        assert_eq!(
            check_logo(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            Ok("image/jpeg")
        );
        assert_eq!(check_logo(b"RIFF\x10\0\0\0WEBPVP8 "), Ok("image/webp"));
        assert_eq!(
            check_logo(b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Err("partners-logo-svg")
        );
        assert_eq!(check_logo(b"  <SVG></SVG>"), Err("partners-logo-svg"));
        assert_eq!(
            check_logo(b"just text, named logo.png"),
            Err("partners-logo-type")
        );
        assert_eq!(check_logo(b""), Err("partners-logo-type"));
        assert_eq!(
            check_logo(b"RIFF\0\0\0\0WAVEfmt "),
            Err("partners-logo-type")
        );
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_LOGO_BYTES, 0);
        assert_eq!(check_logo(&big), Ok("image/png"));
        big.push(0);
        assert_eq!(check_logo(&big), Err("partners-logo-too-large"));
    }

    #[test]
    fn domains_are_read_from_lines_commas_and_spaces() {
        assert_eq!(
            parse_domains("@Partner.example, partner.example\nsub.partner.example  @b.example."),
            Ok(vec![
                "partner.example".to_owned(),
                "sub.partner.example".to_owned(),
                "b.example".to_owned(),
            ])
        );
        assert_eq!(parse_domains(" \n, "), Err(DomainsProblem::Required));
        assert_eq!(
            parse_domains("partner.example localhost"),
            Err(DomainsProblem::Invalid("localhost".to_owned()))
        );
        for bad in [
            "-a.example",
            "a-.example",
            "a..example",
            "a.b_c.example",
            "bücher.example",
            "10.0.0.1",
            "@",
            "a.x",
        ] {
            assert!(
                matches!(parse_domains(bad), Err(DomainsProblem::Invalid(_))),
                "{bad}"
            );
        }
        assert!(parse_domains("xn--bcher-kva.example").is_ok());
        let many: Vec<String> = (0..21).map(|i| format!("d{i}.example")).collect();
        assert_eq!(parse_domains(&many.join(" ")), Err(DomainsProblem::TooMany));
        assert_eq!(parse_domains(&many[..20].join(",")).unwrap().len(), 20);
    }

    #[test]
    fn the_partner_admin_needs_names_and_an_email_in_the_domains() {
        let domains = vec!["partner.example".to_owned()];
        let admin = parse_admin(" Lin ", "Chen", "LIN@Partner.example", &domains).unwrap();
        assert_eq!(admin.full_name(), "Lin Chen");
        assert_eq!(admin.email.as_str(), "lin@partner.example");
        let errors = parse_admin("", " ", "lin@elsewhere.example", &domains).unwrap_err();
        assert_eq!(errors.first_name, Some("partners-first-name-required"));
        assert_eq!(errors.last_name, Some("partners-last-name-required"));
        assert_eq!(errors.email, Some("partners-admin-email-outside"));
        let errors = parse_admin("Lin", "Chen", "lin", &domains).unwrap_err();
        assert_eq!(errors.email, Some("email-invalid"));
        assert_eq!(errors.first(), Some("email-invalid"));
        let long = "x".repeat(51);
        let errors = parse_admin(&long, "Chen", "lin@partner.example", &domains).unwrap_err();
        assert_eq!(errors.first_name, Some("partners-person-name-invalid"));
        // A subdomain is another domain.
        assert!(parse_admin("Lin", "Chen", "lin@eu.partner.example", &domains).is_err());
    }

    #[test]
    fn partner_names_are_trimmed_and_bounded() {
        assert_eq!(parse_partner_name("  Acme  "), Ok("Acme".to_owned()));
        assert_eq!(parse_partner_name("   "), Err("partners-name-required"));
        assert_eq!(
            parse_partner_name(&"a".repeat(101)),
            Err("partners-name-invalid")
        );
        assert_eq!(parse_partner_name("a\nb"), Err("partners-name-invalid"));
    }
}
