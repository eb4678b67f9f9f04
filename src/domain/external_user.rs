//! External users of an organization: people outside it (a customer's developer, a consultant)
//! who reach only its API portal, for a limited time. The users page's "External users" tab
//! reads the directory here (search, sort and pages over copies of the sort keys kept on each
//! row); admins invite people (a single-use registration link by email), resend links, change
//! the expiry, suspend, reactivate, delete, and choose what each person may reach.
//!
//! When a person's access ends (suspension, deletion) and nothing else is left to the account
//! (no active membership anywhere, no other Active external-user row), its sessions end in the
//! same transaction.

use std::collections::HashMap;

use diesel::prelude::*;
use time::{Date, PrimitiveDateTime};

use crate::config::Settings;
use crate::crypto::token::{hash_token, random_token};
use crate::db::DbConnection;
use crate::db::schema::{
    accounts, api_groups, apis, environments, external_invitations, external_user_api_groups,
    external_user_apis, external_users, memberships, organizations,
};
use crate::domain::account::{self, EmailAddress, NewAccount};
use crate::domain::audit::{self, Actor, TargetKind};
use crate::domain::external_access::{self, ExternalStatus, StoredExternalStatus};
use crate::domain::ids::{AccountId, OrganizationId};
use crate::domain::invitation::Inviter;
use crate::domain::kinds::MembershipStatus;
use crate::domain::membership;
use crate::domain::outbox::{self, OutgoingEmail};
use crate::domain::rules::{DomainError, DomainResult, refuse};
use crate::domain::session;
use crate::i18n::Lang;
use crate::mail::compose;

// ---------------------------------------------------------------------------------------------
// The expiry fields.

/// Reads the expiry fields of a form: `expiry` is `never` or `date`, `expires_on` a
/// `YYYY-MM-DD` date. Without `expiry`, a date typed means that date and none means never.
/// Errors are message keys for the date field.
pub fn parse_expiry(expiry: &str, expires_on: &str) -> Result<Option<Date>, &'static str> {
    let typed = expires_on.trim();
    match expiry.trim() {
        "never" => Ok(None),
        "date" if typed.is_empty() => Err("external-date-required"),
        "" if typed.is_empty() => Ok(None),
        _ => parse_date(typed).map(Some).ok_or("external-date-invalid"),
    }
}

fn parse_date(typed: &str) -> Option<Date> {
    let mut parts = typed.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if !(2000..=9999).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// Access may only be set to end in the future: on `date` at 23:59 in `zone`, after `now`
/// (so today is fine until its last minute).
pub fn check_future(
    date: Option<Date>,
    zone: &str,
    now: PrimitiveDateTime,
) -> Result<(), &'static str> {
    match date {
        Some(date) if external_access::expiry_instant(date, zone) <= now => {
            Err("external-date-past")
        }
        _ => Ok(()),
    }
}

/// Today's date in `zone` (for the date input's `min`).
pub fn today_in(zone: &str, now: PrimitiveDateTime) -> Date {
    crate::time_zone::local_time(now, zone).date()
}

fn expiry_detail(date: Option<Date>) -> String {
    date.map(|date| {
        format!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        )
    })
    .unwrap_or_else(|| "never".to_owned())
}

// ---------------------------------------------------------------------------------------------
// One external user.

/// An external-user row with its account, as pages and rules need it.
#[derive(Debug, Clone, Queryable)]
pub struct ExternalUser {
    pub id: i64,
    pub organization_id: OrganizationId,
    pub account_id: AccountId,
    pub email: String,
    pub name: String,
    pub company: String,
    /// `requested`, `active` or `suspended` (Expired is read from the date).
    pub stored_status: StoredExternalStatus,
    pub expires_on: Option<Date>,
    pub invited_time_zone: String,
    pub registered_at: Option<PrimitiveDateTime>,
    pub account_time_zone: Option<String>,
    pub last_sign_in_at: Option<PrimitiveDateTime>,
    pub created_at: PrimitiveDateTime,
}

impl ExternalUser {
    /// The zone the expiry is read in: the person's once registered, the inviter's until then.
    pub fn zone(&self) -> &str {
        external_access::effective_zone(
            self.registered_at.is_some(),
            self.account_time_zone.as_deref(),
            &self.invited_time_zone,
        )
    }

    /// Whether the expiry is read in the person's own zone (they registered with one).
    pub fn has_own_zone(&self) -> bool {
        self.registered_at.is_some()
            && self
                .account_time_zone
                .as_deref()
                .is_some_and(|zone| !zone.is_empty())
    }

    pub fn status_at(&self, now: PrimitiveDateTime) -> ExternalStatus {
        external_access::status_at(self.stored_status, self.expires_on, self.zone(), now)
    }

    /// When access ends (23:59 of the date in the person's zone), if it ever does.
    pub fn ends_at(&self) -> Option<PrimitiveDateTime> {
        self.expires_on
            .map(|date| external_access::expiry_instant(date, self.zone()))
    }
}

macro_rules! user_columns {
    () => {
        // In the order of `ExternalUser`'s fields.
        (
            external_users::id,
            external_users::organization_id,
            external_users::account_id,
            external_users::email,
            accounts::name,
            external_users::company,
            external_users::status,
            external_users::access_expires_on,
            external_users::invited_time_zone,
            external_users::registered_at,
            accounts::time_zone,
            external_users::last_sign_in_at,
            external_users::created_at,
        )
    };
}

/// One of the organization's external users; another organization's id is not found.
pub fn find(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    external_user_id: i64,
) -> DomainResult<ExternalUser> {
    let row: Option<ExternalUser> = external_users::table
        .inner_join(accounts::table)
        .filter(external_users::organization_id.eq(organization_id))
        .filter(external_users::id.eq(external_user_id))
        .select(user_columns!())
        .first(conn)
        .optional()?;
    row.ok_or(DomainError::NotFound)
}

// ---------------------------------------------------------------------------------------------
// The directory.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Email,
    Name,
    Company,
    /// The stored status (Expired is not stored).
    Status,
    Expires,
    LastSignIn,
    MemberSince,
}

impl SortColumn {
    pub const ALL: [SortColumn; 7] = [
        Self::Email,
        Self::Name,
        Self::Company,
        Self::Status,
        Self::Expires,
        Self::LastSignIn,
        Self::MemberSince,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Name => "name",
            Self::Company => "company",
            Self::Status => "status",
            Self::Expires => "expires",
            Self::LastSignIn => "last-sign-in",
            Self::MemberSince => "member-since",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|column| column.as_str() == value)
    }
}

#[derive(Debug, Clone)]
pub struct DirectoryQuery {
    /// Words matched as prefixes of the words of email, name and company.
    pub search: Option<String>,
    pub sort: SortColumn,
    pub descending: bool,
    /// Zero-based.
    pub page: i64,
    pub per_page: i64,
}

/// A group granted to an external user.
#[derive(Debug, Clone)]
pub struct GrantedGroup {
    pub id: i64,
    pub name: String,
}

/// An API granted on its own to an external user.
#[derive(Debug, Clone)]
pub struct GrantedApi {
    pub id: i64,
    pub name: String,
    pub version: String,
    pub environment_name: String,
}

/// What an external user may reach.
#[derive(Debug, Clone, Default)]
pub struct Access {
    pub groups: Vec<GrantedGroup>,
    pub apis: Vec<GrantedApi>,
}

#[derive(Debug, Clone)]
pub struct DirectoryRow {
    pub user: ExternalUser,
    pub access: Access,
}

#[derive(Debug, Clone)]
pub struct DirectoryPage {
    pub rows: Vec<DirectoryRow>,
    /// External users that match (all of the organization's without a search).
    pub total: i64,
    pub has_next: bool,
}

/// What was typed, as the words to match.
fn query_words(search: &str) -> Vec<String> {
    search
        .to_lowercase()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// A LIKE pattern for "some word starts with `word`" over the space-led `search_text`.
/// `%` and `_` in what people type are literal characters, not wildcards.
fn word_prefix_pattern(word: &str) -> String {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("% {escaped}%")
}

type Backend = <DbConnection as diesel::Connection>::Backend;

fn matching(
    organization_id: OrganizationId,
    words: &[String],
) -> external_users::BoxedQuery<'static, Backend> {
    let mut query = external_users::table
        .filter(external_users::organization_id.eq(organization_id))
        .into_boxed();
    for word in words {
        query = query.filter(
            external_users::search_text
                .like(word_prefix_pattern(word))
                .escape('\\'),
        );
    }
    query
}

pub fn directory(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    query: &DirectoryQuery,
) -> QueryResult<DirectoryPage> {
    use external_users::dsl as e;
    let words = query.search.as_deref().map(query_words).unwrap_or_default();
    let total: i64 = matching(organization_id, &words).count().get_result(conn)?;
    // Ids first, from the sort index, then the page's rows by id.
    let mut select = matching(organization_id, &words).select(e::id);
    select = match (query.sort, query.descending) {
        (SortColumn::Email, false) => select.order((e::email.asc(), e::id.asc())),
        (SortColumn::Email, true) => select.order((e::email.desc(), e::id.desc())),
        (SortColumn::Name, false) => select.order((e::name_folded.asc(), e::id.asc())),
        (SortColumn::Name, true) => select.order((e::name_folded.desc(), e::id.desc())),
        (SortColumn::Company, false) => select.order((e::company_folded.asc(), e::id.asc())),
        (SortColumn::Company, true) => select.order((e::company_folded.desc(), e::id.desc())),
        (SortColumn::Status, false) => select.order((e::status.asc(), e::id.asc())),
        (SortColumn::Status, true) => select.order((e::status.desc(), e::id.desc())),
        (SortColumn::Expires, false) => select.order((e::access_expires_on.asc(), e::id.asc())),
        (SortColumn::Expires, true) => select.order((e::access_expires_on.desc(), e::id.desc())),
        (SortColumn::LastSignIn, false) => select.order((e::last_sign_in_at.asc(), e::id.asc())),
        (SortColumn::LastSignIn, true) => select.order((e::last_sign_in_at.desc(), e::id.desc())),
        (SortColumn::MemberSince, false) => select.order((e::created_at.asc(), e::id.asc())),
        (SortColumn::MemberSince, true) => select.order((e::created_at.desc(), e::id.desc())),
    };
    let per_page = query.per_page.clamp(1, 500);
    let mut ids: Vec<i64> = select
        .offset(query.page.max(0) * per_page)
        .limit(per_page + 1)
        .load(conn)?;
    let has_next = ids.len() as i64 > per_page;
    ids.truncate(per_page as usize);
    let mut users: Vec<ExternalUser> = external_users::table
        .inner_join(accounts::table)
        .filter(e::id.eq_any(&ids))
        .select(user_columns!())
        .load::<ExternalUser>(conn)?;
    users.sort_by_key(|user| ids.iter().position(|id| *id == user.id));
    let mut access = access_of(conn, &ids)?;
    let rows = users
        .into_iter()
        .map(|user| DirectoryRow {
            access: access.remove(&user.id).unwrap_or_default(),
            user,
        })
        .collect();
    Ok(DirectoryPage {
        rows,
        total,
        has_next,
    })
}

/// One external user with what they may reach, as the directory lists them.
pub fn directory_row(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    external_user_id: i64,
) -> DomainResult<DirectoryRow> {
    let user = find(conn, organization_id, external_user_id)?;
    let access = access_of(conn, &[user.id])?
        .remove(&user.id)
        .unwrap_or_default();
    Ok(DirectoryRow { user, access })
}

/// What each of these external users may reach, groups and APIs by name.
pub fn access_of(
    conn: &mut DbConnection,
    external_user_ids: &[i64],
) -> QueryResult<HashMap<i64, Access>> {
    let mut by_user: HashMap<i64, Access> = HashMap::new();
    if external_user_ids.is_empty() {
        return Ok(by_user);
    }
    let groups: Vec<(i64, i64, String)> = external_user_api_groups::table
        .inner_join(api_groups::table)
        .filter(external_user_api_groups::external_user_id.eq_any(external_user_ids))
        .order((api_groups::name_folded.asc(), api_groups::id.asc()))
        .select((
            external_user_api_groups::external_user_id,
            api_groups::id,
            api_groups::name,
        ))
        .load(conn)?;
    for (user_id, id, name) in groups {
        by_user
            .entry(user_id)
            .or_default()
            .groups
            .push(GrantedGroup { id, name });
    }
    let granted: Vec<(i64, i64, String, String, String)> = external_user_apis::table
        .inner_join(apis::table.inner_join(environments::table))
        .filter(external_user_apis::external_user_id.eq_any(external_user_ids))
        .order((
            environments::name_folded.asc(),
            apis::name_folded.asc(),
            apis::version.asc(),
            apis::id.asc(),
        ))
        .select((
            external_user_apis::external_user_id,
            apis::id,
            apis::name,
            apis::version,
            environments::name,
        ))
        .load(conn)?;
    for (user_id, id, name, version, environment_name) in granted {
        by_user.entry(user_id).or_default().apis.push(GrantedApi {
            id,
            name,
            version,
            environment_name,
        });
    }
    Ok(by_user)
}

/// Recomputes the copied sort and search keys (email, folded name and company, search words)
/// of one external user from the account and the company. Runs in the transaction of every
/// change to them (invitation, registration, the profile).
pub fn refresh_directory(conn: &mut DbConnection, external_user_id: i64) -> QueryResult<()> {
    let found: Option<(String, String, String)> = external_users::table
        .inner_join(accounts::table)
        .filter(external_users::id.eq(external_user_id))
        .select((accounts::email, accounts::name, external_users::company))
        .first(conn)
        .optional()?;
    let Some((email, name, company)) = found else {
        return Ok(());
    };
    let name_folded = name.to_lowercase();
    let company_folded = company.trim().to_lowercase();
    let words =
        membership::search_words(&email, &name_folded, std::slice::from_ref(&company_folded));
    diesel::update(external_users::table.find(external_user_id))
        .set((
            external_users::email.eq(&email),
            external_users::name_folded.eq(&name_folded),
            external_users::company_folded.eq(&company_folded),
            external_users::search_text.eq(format!(" {}", words.join(" "))),
        ))
        .execute(conn)?;
    Ok(())
}

/// `refresh_directory` for every external-user row of an account (after a change of its email
/// or name).
pub fn refresh_directory_for_account(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<()> {
    let ids: Vec<i64> = external_users::table
        .filter(external_users::account_id.eq(account_id))
        .select(external_users::id)
        .load(conn)?;
    for id in ids {
        refresh_directory(conn, id)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Invitations.

/// Invites someone as an external user: a row in Requested, and a registration link by email.
/// People who are members of the organization (in any status), or external users here already,
/// are refused. The organization's member-domain policy does not apply. Returns the row's id.
#[allow(clippy::too_many_arguments)]
pub fn invite(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    email: &EmailAddress,
    expires_on: Option<Date>,
    invited_time_zone: &str,
    inviter: &Inviter<'_>,
    settings: &Settings,
    actor: &Actor,
) -> DomainResult<i64> {
    if let Err(key) = check_future(expires_on, invited_time_zone, actor.at) {
        return refuse(key);
    }
    let account = match account::find_by_email(conn, email)? {
        Some(account) => {
            let member: bool = diesel::select(diesel::dsl::exists(
                memberships::table
                    .filter(memberships::organization_id.eq(organization_id))
                    .filter(memberships::account_id.eq(account.id)),
            ))
            .get_result(conn)?;
            if member {
                return refuse("external-is-member");
            }
            let external: bool = diesel::select(diesel::dsl::exists(
                external_users::table
                    .filter(external_users::organization_id.eq(organization_id))
                    .filter(external_users::account_id.eq(account.id)),
            ))
            .get_result(conn)?;
            if external {
                return refuse("external-already-invited");
            }
            account
        }
        None => account::insert(
            conn,
            &NewAccount {
                email: email.as_str(),
                name: email.local_part(),
                password_hash: None,
                language: None,
                created_at: actor.at,
                password_changed_at: None,
            },
        )?,
    };
    let id: i64 = diesel::insert_into(external_users::table)
        .values((
            external_users::organization_id.eq(organization_id),
            external_users::account_id.eq(account.id),
            external_users::status.eq(StoredExternalStatus::Requested),
            external_users::company.eq(""),
            external_users::access_expires_on.eq(expires_on),
            external_users::invited_time_zone.eq(invited_time_zone),
            external_users::invited_by_account_id.eq(actor.account_id),
            external_users::created_at.eq(actor.at),
            external_users::email.eq(&account.email),
            external_users::name_folded.eq(""),
            external_users::company_folded.eq(""),
            external_users::search_text.eq(""),
        ))
        .returning(external_users::id)
        .get_result(conn)?;
    refresh_directory(conn, id)?;
    let user = find(conn, organization_id, id)?;
    issue_link(conn, &user, inviter, settings, actor)?;
    let mut event = actor
        .event(
            Some(organization_id),
            "external-user.invited",
            Some(user.email.clone()),
        )
        .on(TargetKind::ExternalUser, user.id);
    event.details = Some(format!("expires: {}", expiry_detail(expires_on)));
    audit::record(conn, &event)?;
    Ok(id)
}

/// Issues a new registration link (older ones stop working) and queues the email, in the
/// recipient's language if known, else the inviter's.
fn issue_link(
    conn: &mut DbConnection,
    user: &ExternalUser,
    inviter: &Inviter<'_>,
    settings: &Settings,
    actor: &Actor,
) -> DomainResult<()> {
    let token = random_token();
    let expires_at = actor.at + settings.invitation_lifetime;
    diesel::delete(
        external_invitations::table.filter(external_invitations::external_user_id.eq(user.id)),
    )
    .execute(conn)?;
    diesel::insert_into(external_invitations::table)
        .values((
            external_invitations::token_hash.eq(hash_token(&token)),
            external_invitations::external_user_id.eq(user.id),
            external_invitations::invited_by_account_id.eq(actor.account_id),
            external_invitations::created_at.eq(actor.at),
            external_invitations::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    let organization: String = organizations::table
        .find(user.organization_id)
        .select(organizations::name)
        .first(conn)?;
    let language: Option<String> = accounts::table
        .find(user.account_id)
        .select(accounts::language)
        .first(conn)?;
    let lang = language
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(inviter.language);
    let link = settings.absolute_url(&format!("/portal/register/{token}"));
    let content = compose::external_invitation(
        lang,
        &organization,
        inviter.name,
        &link,
        expires_at,
        user.expires_on,
        user.zone(),
    )?;
    outbox::enqueue(
        conn,
        &OutgoingEmail {
            organization_id: Some(user.organization_id),
            kind: "external_invitation",
            recipient: &user.email,
            content,
            deadline: expires_at,
        },
        settings.message_id_domain(),
        actor.at,
    )?;
    Ok(())
}

/// Sends a new registration link to a Requested or Expired external user. An Expired one needs
/// a new expiry (`new_expiry`: never, or a future date) and goes back to Requested.
pub fn resend(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    external_user_id: i64,
    new_expiry: Option<Option<Date>>,
    inviter: &Inviter<'_>,
    settings: &Settings,
    actor: &Actor,
) -> DomainResult<()> {
    let mut user = find(conn, organization_id, external_user_id)?;
    let mut event = actor
        .event(
            Some(organization_id),
            "external-user.invitation-resent",
            Some(user.email.clone()),
        )
        .on(TargetKind::ExternalUser, user.id);
    match user.status_at(actor.at) {
        ExternalStatus::Requested => {}
        ExternalStatus::Expired => {
            let Some(expires_on) = new_expiry else {
                return refuse("external-resend-needs-expiry");
            };
            if let Err(key) = check_future(expires_on, user.zone(), actor.at) {
                return refuse(key);
            }
            diesel::update(external_users::table.find(user.id))
                .set((
                    external_users::status.eq(StoredExternalStatus::Requested),
                    external_users::access_expires_on.eq(expires_on),
                ))
                .execute(conn)?;
            event.details = Some(format!(
                "expires: {} -> {}",
                expiry_detail(user.expires_on),
                expiry_detail(expires_on)
            ));
            user.stored_status = StoredExternalStatus::Requested;
            user.expires_on = expires_on;
        }
        _ => return refuse("external-resend-not-allowed"),
    }
    issue_link(conn, &user, inviter, settings, actor)?;
    audit::record(conn, &event)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Changes by an admin.

/// Changes when an Active or Suspended external user's access ends (never, or a future date).
pub fn change_expiry(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    external_user_id: i64,
    expires_on: Option<Date>,
    actor: &Actor,
) -> DomainResult<()> {
    let user = find(conn, organization_id, external_user_id)?;
    if !matches!(
        user.status_at(actor.at),
        ExternalStatus::Active | ExternalStatus::Suspended
    ) {
        return refuse("external-edit-not-allowed");
    }
    if let Err(key) = check_future(expires_on, user.zone(), actor.at) {
        return refuse(key);
    }
    diesel::update(external_users::table.find(user.id))
        .set(external_users::access_expires_on.eq(expires_on))
        .execute(conn)?;
    let mut event = actor
        .event(
            Some(organization_id),
            "external-user.expiry-changed",
            Some(user.email),
        )
        .on(TargetKind::ExternalUser, user.id);
    event.details = Some(format!(
        "expires: {} -> {}",
        expiry_detail(user.expires_on),
        expiry_detail(expires_on)
    ));
    audit::record(conn, &event)?;
    Ok(())
}

/// Suspends an Active external user: access to the portal ends at once.
pub fn suspend(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    external_user_id: i64,
    actor: &Actor,
) -> DomainResult<()> {
    let user = find(conn, organization_id, external_user_id)?;
    if user.status_at(actor.at) != ExternalStatus::Active {
        return refuse("external-suspend-not-allowed");
    }
    diesel::update(external_users::table.find(user.id))
        .set(external_users::status.eq(StoredExternalStatus::Suspended))
        .execute(conn)?;
    end_sessions_without_access(conn, user.account_id, actor.at)?;
    audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "external-user.suspended",
                Some(user.email),
            )
            .on(TargetKind::ExternalUser, user.id),
    )?;
    Ok(())
}

/// Lifts a suspension: the person is Active again (Requested if they never registered), or
/// Expired if the date passed meanwhile.
pub fn reactivate(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    external_user_id: i64,
    actor: &Actor,
) -> DomainResult<()> {
    let user = find(conn, organization_id, external_user_id)?;
    if user.status_at(actor.at) != ExternalStatus::Suspended {
        return refuse("external-reactivate-not-allowed");
    }
    let status = if user.registered_at.is_some() {
        StoredExternalStatus::Active
    } else {
        StoredExternalStatus::Requested
    };
    diesel::update(external_users::table.find(user.id))
        .set(external_users::status.eq(status))
        .execute(conn)?;
    audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "external-user.reactivated",
                Some(user.email),
            )
            .on(TargetKind::ExternalUser, user.id),
    )?;
    Ok(())
}

/// Deletes an external user (links and grants go with the row): access ends at once, sessions
/// included. An account left with nothing (no membership in any organization, no other
/// external-user row) goes too, so the person cannot sign in again.
pub fn delete(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    external_user_id: i64,
    actor: &Actor,
) -> DomainResult<()> {
    let user = find(conn, organization_id, external_user_id)?;
    diesel::delete(external_users::table.find(user.id)).execute(conn)?;
    let memberships_left: i64 = memberships::table
        .filter(memberships::account_id.eq(user.account_id))
        .count()
        .get_result(conn)?;
    let rows_left: i64 = external_users::table
        .filter(external_users::account_id.eq(user.account_id))
        .count()
        .get_result(conn)?;
    if memberships_left == 0 && rows_left == 0 {
        // Its sessions, links and password history go with it (ON DELETE CASCADE).
        diesel::delete(accounts::table.find(user.account_id)).execute(conn)?;
    } else {
        end_sessions_without_access(conn, user.account_id, actor.at)?;
    }
    audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "external-user.deleted",
                Some(user.email),
            )
            .on(TargetKind::ExternalUser, user.id),
    )?;
    Ok(())
}

/// Ends every session of the account when nothing is left to it: no active membership in any
/// organization, and no Active external-user row. Returns whether it did.
pub fn end_sessions_without_access(
    conn: &mut DbConnection,
    account_id: AccountId,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    let member: bool = diesel::select(diesel::dsl::exists(
        memberships::table
            .filter(memberships::account_id.eq(account_id))
            .filter(memberships::status.eq(MembershipStatus::Active)),
    ))
    .get_result(conn)?;
    if member || !external_access::active_grants(conn, account_id, now)?.is_empty() {
        return Ok(false);
    }
    session::delete_all_for_account(conn, account_id)?;
    Ok(true)
}

/// Replaces what an external user may reach: whole API groups, and single APIs. Only the
/// organization's own groups and APIs are accepted (another's ids are not found).
pub fn set_access(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    external_user_id: i64,
    group_ids: &[i64],
    api_ids: &[i64],
    actor: &Actor,
) -> DomainResult<()> {
    let user = find(conn, organization_id, external_user_id)?;
    let mut group_ids = group_ids.to_vec();
    group_ids.sort_unstable();
    group_ids.dedup();
    let mut api_ids = api_ids.to_vec();
    api_ids.sort_unstable();
    api_ids.dedup();
    let group_names: Vec<String> = api_groups::table
        .filter(api_groups::organization_id.eq(organization_id))
        .filter(api_groups::id.eq_any(&group_ids))
        .order((api_groups::name_folded.asc(), api_groups::id.asc()))
        .select(api_groups::name)
        .load(conn)?;
    let api_names: Vec<(String, String, String)> = apis::table
        .inner_join(environments::table)
        .filter(apis::organization_id.eq(organization_id))
        .filter(apis::id.eq_any(&api_ids))
        .order((
            environments::name_folded.asc(),
            apis::name_folded.asc(),
            apis::version.asc(),
        ))
        .select((apis::name, apis::version, environments::name))
        .load(conn)?;
    if group_names.len() != group_ids.len() || api_names.len() != api_ids.len() {
        return Err(DomainError::NotFound);
    }
    diesel::delete(
        external_user_api_groups::table
            .filter(external_user_api_groups::external_user_id.eq(user.id)),
    )
    .execute(conn)?;
    diesel::delete(
        external_user_apis::table.filter(external_user_apis::external_user_id.eq(user.id)),
    )
    .execute(conn)?;
    // One row at a time: diesel's multi-backend connection has no batch insert.
    for group_id in &group_ids {
        diesel::insert_into(external_user_api_groups::table)
            .values((
                external_user_api_groups::external_user_id.eq(user.id),
                external_user_api_groups::api_group_id.eq(group_id),
            ))
            .execute(conn)?;
    }
    for api_id in &api_ids {
        diesel::insert_into(external_user_apis::table)
            .values((
                external_user_apis::external_user_id.eq(user.id),
                external_user_apis::api_id.eq(api_id),
            ))
            .execute(conn)?;
    }
    let mut event = actor
        .event(
            Some(organization_id),
            "external-user.access-changed",
            Some(user.email),
        )
        .on(TargetKind::ExternalUser, user.id);
    let apis_label: Vec<String> = api_names
        .into_iter()
        .map(|(name, version, environment)| format!("{name} {version} ({environment})"))
        .collect();
    event.details = Some(format!(
        "groups: [{}]; apis: [{}]",
        group_names.join(", "),
        apis_label.join(", ")
    ));
    audit::record(conn, &event)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn expiry_fields_read_never_or_a_date() {
        assert_eq!(parse_expiry("never", "2026-11-30"), Ok(None));
        assert_eq!(
            parse_expiry("date", "2026-11-30"),
            Ok(Some(date!(2026 - 11 - 30)))
        );
        assert_eq!(parse_expiry("date", " "), Err("external-date-required"));
        assert_eq!(
            parse_expiry("date", "2026-02-30"),
            Err("external-date-invalid")
        );
        assert_eq!(
            parse_expiry("date", "30/11/2026"),
            Err("external-date-invalid")
        );
        assert_eq!(parse_expiry("", ""), Ok(None));
        assert_eq!(
            parse_expiry("", "2026-11-30"),
            Ok(Some(date!(2026 - 11 - 30)))
        );
    }

    #[test]
    fn a_date_is_accepted_until_its_last_minute_in_the_zone() {
        let zone = "America/Sao_Paulo";
        let day = Some(date!(2026 - 11 - 30));
        assert_eq!(check_future(day, zone, datetime!(2026-12-01 02:58)), Ok(()));
        assert_eq!(
            check_future(day, zone, datetime!(2026-12-01 02:59)),
            Err("external-date-past")
        );
        assert_eq!(
            check_future(None, zone, datetime!(2099-01-01 00:00)),
            Ok(())
        );
        assert_eq!(
            today_in(zone, datetime!(2026-12-01 02:00)),
            date!(2026 - 11 - 30)
        );
    }

    #[test]
    fn search_wildcards_are_literal() {
        assert_eq!(word_prefix_pattern("50%_a\\"), "% 50\\%\\_a\\\\%");
        assert_eq!(query_words("  Ada  ACME "), vec!["ada", "acme"]);
    }

    #[test]
    fn sort_columns_round_trip() {
        for column in SortColumn::ALL {
            assert_eq!(SortColumn::parse(column.as_str()), Some(column));
        }
        assert_eq!(SortColumn::parse("access"), None);
    }
}
