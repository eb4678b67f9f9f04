//! Members of an organization: the directory the users page pages through, adding people
//! (invitation or immediate access), their role assignments, and removal, with the rules that
//! keep an organization manageable (a member always has a role; Administrator keeps one active
//! member).

use std::collections::HashMap;

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::db::schema::{
    accounts, member_search_terms, memberships, organizations, role_assignments, roles,
};
use crate::domain::account::{self, EmailAddress, NewAccount};
use crate::domain::audit::{self, Actor, FieldChange, TargetKind};
use crate::domain::ids::{AccountId, MembershipId, OrganizationId, RoleId};
use crate::domain::kinds::{BuiltinRole, MembershipStatus};
use crate::domain::rules::{DomainError, DomainResult, refuse};

// ---------------------------------------------------------------------------------------------
// The directory: search, sort and pages over the copies of the sort keys kept on memberships.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Email,
    Name,
    Roles,
    Status,
    LastSignIn,
    MemberSince,
}

impl SortColumn {
    pub const ALL: [SortColumn; 6] = [
        Self::Email,
        Self::Name,
        Self::Roles,
        Self::Status,
        Self::LastSignIn,
        Self::MemberSince,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Name => "name",
            Self::Roles => "roles",
            Self::Status => "status",
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
    /// Matched anywhere in email, name and role names, case-insensitively.
    pub search: Option<String>,
    pub sort: SortColumn,
    pub descending: bool,
    /// Zero-based (ignored when `after` is set).
    pub page: i64,
    pub per_page: i64,
    /// Keyset paging (the JSON API): the rows after this one in the sort order.
    pub after: Option<After>,
}

/// Where a keyset page starts: the sort key and id of the last row of the previous page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct After {
    pub key: SortKey,
    pub id: MembershipId,
}

/// A row's value in the sort column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SortKey {
    Text(String),
    /// Microseconds since the epoch.
    Time(i64),
    /// The last sign-in: None for someone who never signed in.
    MaybeTime(Option<i64>),
}

#[derive(Debug, Clone, Queryable)]
pub struct AssignedRole {
    pub role_id: RoleId,
    pub name: String,
    /// The assignment's switch.
    pub active: bool,
    /// The role's own status.
    pub role_active: bool,
    pub builtin: bool,
}

#[derive(Debug, Clone)]
pub struct MemberRow {
    pub membership_id: MembershipId,
    pub account_id: AccountId,
    pub email: String,
    pub name: String,
    pub status: MembershipStatus,
    pub last_sign_in_at: Option<PrimitiveDateTime>,
    pub created_at: PrimitiveDateTime,
    pub roles: Vec<AssignedRole>,
}

#[derive(Debug, Clone)]
pub struct DirectoryPage {
    pub rows: Vec<MemberRow>,
    /// Members in the organization; counted only without a search, where it is one index count.
    pub total: Option<i64>,
    pub has_next: bool,
}

/// The words a member is found by: the email, its local part and domain and their pieces, the
/// words of the name, and the words of each role name, all lower-case. A search matches members
/// with, for every word typed, a word that starts with it.
pub fn search_words(email: &str, name_folded: &str, role_names_folded: &[String]) -> Vec<String> {
    let mut words: Vec<String> = vec![email.to_owned()];
    if let Some((local, domain)) = email.split_once('@') {
        words.push(local.to_owned());
        words.push(domain.to_owned());
        words.extend(local.split(['.', '_', '-', '+']).map(str::to_owned));
    }
    words.extend(name_folded.split_whitespace().map(str::to_owned));
    for role in role_names_folded {
        words.extend(role.split_whitespace().map(str::to_owned));
    }
    words.retain(|word| !word.is_empty());
    words.sort();
    words.dedup();
    words
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

/// Past this many members holding a matching word, walking the sort index and testing each row
/// finds a page sooner than collecting the matches first.
const SELECTIVE_MATCHES: i64 = 2000;

/// The members whose words start with `word`, if there are at most SELECTIVE_MATCHES of them.
fn members_with_word(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    word: &str,
) -> QueryResult<Option<Vec<MembershipId>>> {
    let upper = format!("{word}{}", char::MAX);
    let ids: Vec<MembershipId> = member_search_terms::table
        .filter(member_search_terms::organization_id.eq(organization_id))
        .filter(member_search_terms::term.ge(word))
        .filter(member_search_terms::term.lt(upper))
        .select(member_search_terms::membership_id)
        .limit(SELECTIVE_MATCHES * 4)
        .load(conn)?;
    let mut ids = ids;
    ids.sort_unstable();
    ids.dedup();
    Ok((ids.len() as i64 <= SELECTIVE_MATCHES).then_some(ids))
}

/// The columns of `DirectoryRow`.
const DIRECTORY_COLUMNS: (
    memberships::id,
    memberships::account_id,
    memberships::email,
    accounts::name,
    memberships::status,
    memberships::last_sign_in_at,
    memberships::created_at,
) = (
    memberships::id,
    memberships::account_id,
    memberships::email,
    accounts::name,
    memberships::status,
    memberships::last_sign_in_at,
    memberships::created_at,
);

impl DirectoryRow {
    fn with_roles(self, roles: Vec<AssignedRole>) -> MemberRow {
        MemberRow {
            roles,
            membership_id: self.membership_id,
            account_id: self.account_id,
            email: self.email,
            name: self.name,
            status: self.status,
            last_sign_in_at: self.last_sign_in_at,
            created_at: self.created_at,
        }
    }
}

#[derive(Queryable)]
struct DirectoryRow {
    membership_id: MembershipId,
    account_id: AccountId,
    email: String,
    name: String,
    status: MembershipStatus,
    last_sign_in_at: Option<PrimitiveDateTime>,
    created_at: PrimitiveDateTime,
}

pub fn directory(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    query: &DirectoryQuery,
) -> QueryResult<DirectoryPage> {
    use memberships::dsl as m;
    // Ids first, from the sort index alone, then the page's rows by id: skipping to page 1,000
    // then walks index entries instead of building and discarding 50,000 joined rows.
    let mut select = m::memberships
        .filter(m::organization_id.eq(organization_id))
        .select(m::id)
        .into_boxed();
    let words = query.search.as_deref().map(query_words).unwrap_or_default();
    let searching = !words.is_empty();
    // The rarest word decides the plan: few matches are fetched by id through the word index;
    // otherwise every word is tested on the rows met while walking the sort index.
    let mut candidates: Option<Vec<MembershipId>> = None;
    for word in &words {
        if let Some(ids) = members_with_word(conn, organization_id, word)? {
            candidates = Some(match candidates {
                Some(previous) => previous
                    .into_iter()
                    .filter(|id| ids.binary_search(id).is_ok())
                    .collect(),
                None => ids,
            });
        }
    }
    if let Some(ids) = candidates {
        select = select.filter(m::id.eq_any(ids));
    }
    for word in &words {
        select = select.filter(m::search_text.like(word_prefix_pattern(word)).escape('\\'));
    }
    if let Some(after) = &query.after {
        select = after_key(select, query.sort, query.descending, after);
    }
    select = match (query.sort, query.descending) {
        (SortColumn::Email, false) => select.order((m::email.asc(), m::id.asc())),
        (SortColumn::Email, true) => select.order((m::email.desc(), m::id.desc())),
        (SortColumn::Name, false) => select.order((m::name_folded.asc(), m::id.asc())),
        (SortColumn::Name, true) => select.order((m::name_folded.desc(), m::id.desc())),
        (SortColumn::Roles, false) => select.order((m::roles_label.asc(), m::id.asc())),
        (SortColumn::Roles, true) => select.order((m::roles_label.desc(), m::id.desc())),
        (SortColumn::Status, false) => select.order((m::status.asc(), m::id.asc())),
        (SortColumn::Status, true) => select.order((m::status.desc(), m::id.desc())),
        // Never signed in counts as the oldest, on both databases (their NULLs sort apart).
        (SortColumn::LastSignIn, false) => select.order((
            m::last_sign_in_at.is_not_null().asc(),
            m::last_sign_in_at.asc(),
            m::id.asc(),
        )),
        (SortColumn::LastSignIn, true) => select.order((
            m::last_sign_in_at.is_not_null().desc(),
            m::last_sign_in_at.desc(),
            m::id.desc(),
        )),
        (SortColumn::MemberSince, false) => select.order((m::created_at.asc(), m::id.asc())),
        (SortColumn::MemberSince, true) => select.order((m::created_at.desc(), m::id.desc())),
    };
    let per_page = query.per_page.clamp(1, 500);
    let offset = if query.after.is_some() {
        0
    } else {
        query.page.max(0) * per_page
    };
    let mut ids: Vec<MembershipId> = select.offset(offset).limit(per_page + 1).load(conn)?;
    let has_next = ids.len() as i64 > per_page;
    ids.truncate(per_page as usize);
    let mut found: Vec<DirectoryRow> = m::memberships
        .inner_join(accounts::table)
        .filter(m::id.eq_any(&ids))
        .select(DIRECTORY_COLUMNS)
        .load(conn)?;
    found.sort_by_key(|row| ids.iter().position(|id| *id == row.membership_id));

    let mut roles_by_member = assigned_roles(conn, &ids)?;
    let rows = found
        .into_iter()
        .map(|row| {
            let roles = roles_by_member
                .remove(&row.membership_id)
                .unwrap_or_default();
            row.with_roles(roles)
        })
        .collect();
    let total = if searching {
        None
    } else {
        Some(
            organizations::table
                .find(organization_id)
                .select(organizations::member_count)
                .first(conn)?,
        )
    };
    Ok(DirectoryPage {
        rows,
        total,
        has_next,
    })
}

type DirectorySelect<'a> = memberships::BoxedQuery<
    'a,
    <DbConnection as diesel::Connection>::Backend,
    diesel::sql_types::BigInt,
>;

/// Keeps the rows after `after` in the order (key, id), ascending or descending.
fn after_key<'a>(
    select: DirectorySelect<'a>,
    sort: SortColumn,
    descending: bool,
    after: &After,
) -> DirectorySelect<'a> {
    use memberships::dsl as m;
    macro_rules! past {
        ($column:expr, $value:expr) => {{
            let (value, id) = ($value, after.id);
            if descending {
                select.filter(
                    $column
                        .lt(value.clone())
                        .or($column.eq(value).and(m::id.lt(id))),
                )
            } else {
                select.filter(
                    $column
                        .gt(value.clone())
                        .or($column.eq(value).and(m::id.gt(id))),
                )
            }
        }};
    }
    let time = |micros: i64| {
        let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        PrimitiveDateTime::new(at.date(), at.time())
    };
    match (&after.key, sort) {
        (SortKey::Text(value), SortColumn::Email) => past!(m::email, value.clone()),
        (SortKey::Text(value), SortColumn::Name) => past!(m::name_folded, value.clone()),
        (SortKey::Text(value), SortColumn::Roles) => past!(m::roles_label, value.clone()),
        (SortKey::Text(value), SortColumn::Status) => match MembershipStatus::parse(value) {
            Some(status) => past!(m::status, status),
            None => select.filter(m::id.ne(m::id)),
        },
        (SortKey::Time(micros), SortColumn::MemberSince) => past!(m::created_at, time(*micros)),
        // Those who never signed in come before everyone else ascending, after descending.
        (SortKey::MaybeTime(None), SortColumn::LastSignIn) => {
            if descending {
                select.filter(m::last_sign_in_at.is_null().and(m::id.lt(after.id)))
            } else {
                select.filter(
                    m::last_sign_in_at
                        .is_null()
                        .and(m::id.gt(after.id))
                        .or(m::last_sign_in_at.is_not_null()),
                )
            }
        }
        (SortKey::MaybeTime(Some(micros)), SortColumn::LastSignIn) => {
            let at = time(*micros);
            let id = after.id;
            if descending {
                select.filter(
                    m::last_sign_in_at
                        .lt(at)
                        .or(m::last_sign_in_at.eq(at).and(m::id.lt(id)))
                        .or(m::last_sign_in_at.is_null()),
                )
            } else {
                select.filter(
                    m::last_sign_in_at
                        .gt(at)
                        .or(m::last_sign_in_at.eq(at).and(m::id.gt(id))),
                )
            }
        }
        // A cursor that does not fit the sort (made up, or another sort's) matches nothing.
        _ => select.filter(m::id.ne(m::id)),
    }
}

/// The sort key of a member's row in a column, for the cursor after it.
pub fn sort_key_of(
    conn: &mut DbConnection,
    membership_id: MembershipId,
    sort: SortColumn,
) -> QueryResult<Option<SortKey>> {
    use memberships::dsl as m;
    #[allow(clippy::type_complexity)]
    let row: Option<(
        String,
        String,
        String,
        MembershipStatus,
        PrimitiveDateTime,
        Option<PrimitiveDateTime>,
    )> = m::memberships
        .find(membership_id)
        .select((
            m::email,
            m::name_folded,
            m::roles_label,
            m::status,
            m::created_at,
            m::last_sign_in_at,
        ))
        .first(conn)
        .optional()?;
    let micros = |at: PrimitiveDateTime| (at.assume_utc().unix_timestamp_nanos() / 1000) as i64;
    Ok(
        row.map(|(email, name, roles, status, created, last)| match sort {
            SortColumn::Email => SortKey::Text(email),
            SortColumn::Name => SortKey::Text(name),
            SortColumn::Roles => SortKey::Text(roles),
            SortColumn::Status => SortKey::Text(status.as_str().to_owned()),
            SortColumn::MemberSince => SortKey::Time(micros(created)),
            SortColumn::LastSignIn => SortKey::MaybeTime(last.map(micros)),
        }),
    )
}

/// One member as the directory shows them, with their roles.
pub fn row(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    membership_id: MembershipId,
) -> DomainResult<MemberRow> {
    use memberships::dsl as m;
    let found: Option<DirectoryRow> = m::memberships
        .inner_join(accounts::table)
        .filter(m::organization_id.eq(organization_id))
        .filter(m::id.eq(membership_id))
        .select(DIRECTORY_COLUMNS)
        .first(conn)
        .optional()?;
    let row = found.ok_or(DomainError::NotFound)?;
    let roles = assigned_roles(conn, &[membership_id])?
        .remove(&membership_id)
        .unwrap_or_default();
    Ok(row.with_roles(roles))
}

/// The roles of several members, by role name, in one query.
pub fn assigned_roles(
    conn: &mut DbConnection,
    membership_ids: &[MembershipId],
) -> QueryResult<HashMap<MembershipId, Vec<AssignedRole>>> {
    let assignments: Vec<(MembershipId, AssignedRole)> = role_assignments::table
        .inner_join(roles::table)
        .filter(role_assignments::membership_id.eq_any(membership_ids))
        .order((
            role_assignments::membership_id.asc(),
            roles::name_folded.asc(),
        ))
        .select((
            role_assignments::membership_id,
            (
                roles::id,
                roles::name,
                role_assignments::active,
                roles::active,
                roles::builtin.is_not_null(),
            ),
        ))
        .load(conn)?;
    let mut by_member: HashMap<MembershipId, Vec<AssignedRole>> = HashMap::new();
    for (membership_id, role) in assignments {
        by_member.entry(membership_id).or_default().push(role);
    }
    Ok(by_member)
}

/// Which memberships to bring the directory copies up to date for.
pub enum DirectoryScope<'a> {
    Memberships(&'a [MembershipId]),
    Role(RoleId),
    Account(AccountId),
}

/// Recomputes the copied sort and search keys (email, folded name, role names) of the
/// memberships in scope from their sources. Called in the transaction of every change to them.
pub fn refresh_directory(conn: &mut DbConnection, scope: DirectoryScope<'_>) -> QueryResult<()> {
    let ids: Vec<MembershipId> = match scope {
        DirectoryScope::Memberships(ids) => ids.to_vec(),
        DirectoryScope::Role(role_id) => role_assignments::table
            .filter(role_assignments::role_id.eq(role_id))
            .select(role_assignments::membership_id)
            .load(conn)?,
        DirectoryScope::Account(account_id) => memberships::table
            .filter(memberships::account_id.eq(account_id))
            .select(memberships::id)
            .load(conn)?,
    };
    // Bounded IN lists: SQLite and PostgreSQL both cap bind parameters per statement.
    for chunk in ids.chunks(500) {
        let people: Vec<(MembershipId, i64, String, String)> = memberships::table
            .inner_join(accounts::table)
            .filter(memberships::id.eq_any(chunk))
            .select((
                memberships::id,
                memberships::organization_id,
                accounts::email,
                accounts::name,
            ))
            .load(conn)?;
        let role_names: Vec<(MembershipId, String, String)> = role_assignments::table
            .inner_join(roles::table)
            .filter(role_assignments::membership_id.eq_any(chunk))
            .order((
                role_assignments::membership_id.asc(),
                roles::name_folded.asc(),
            ))
            .select((
                role_assignments::membership_id,
                roles::name,
                roles::name_folded,
            ))
            .load(conn)?;
        let mut labels: HashMap<MembershipId, (Vec<String>, Vec<String>)> = HashMap::new();
        for (membership_id, name, folded) in role_names {
            let entry = labels.entry(membership_id).or_default();
            entry.0.push(name);
            entry.1.push(folded);
        }
        diesel::delete(
            member_search_terms::table.filter(member_search_terms::membership_id.eq_any(chunk)),
        )
        .execute(conn)?;
        for (membership_id, organization_id, email, name) in people {
            let (names, folded) = labels.remove(&membership_id).unwrap_or_default();
            let name_folded = name.to_lowercase();
            let words = search_words(&email, &name_folded, &folded);
            let search_text = format!(" {}", words.join(" "));
            let terms: Vec<_> = words
                .iter()
                .map(|term| {
                    (
                        member_search_terms::organization_id.eq(organization_id),
                        member_search_terms::term.eq(term),
                        member_search_terms::membership_id.eq(membership_id),
                    )
                })
                .collect();
            // One row at a time: diesel's multi-backend connection has no batch insert.
            for term in terms {
                diesel::insert_into(member_search_terms::table)
                    .values(term)
                    .execute(conn)?;
            }
            diesel::update(memberships::table.find(membership_id))
                .set((
                    memberships::email.eq(&email),
                    memberships::name_folded.eq(&name_folded),
                    memberships::roles_label.eq(names.join(", ")),
                    memberships::search_text.eq(search_text),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Keeps `organizations.member_count` in step; every insert and delete of a membership calls it.
pub(crate) fn count_members(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    change: i64,
) -> QueryResult<()> {
    diesel::update(organizations::table.find(organization_id))
        .set(organizations::member_count.eq(organizations::member_count + change))
        .execute(conn)
        .map(|_| ())
}

/// Copies an account's sign-in time to its memberships, for the directory's column.
pub fn record_sign_in(
    conn: &mut DbConnection,
    account_id: AccountId,
    at: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(memberships::table.filter(memberships::account_id.eq(account_id)))
        .set(memberships::last_sign_in_at.eq(at))
        .execute(conn)
        .map(|_| ())
}

// ---------------------------------------------------------------------------------------------
// One member.

#[derive(Debug, Clone, Queryable)]
pub struct Member {
    pub membership_id: MembershipId,
    pub account_id: AccountId,
    pub email: String,
    pub name: String,
    pub status: MembershipStatus,
    pub has_password: bool,
}

pub fn find(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    membership_id: MembershipId,
) -> DomainResult<Member> {
    let row: Option<(
        MembershipId,
        AccountId,
        String,
        String,
        MembershipStatus,
        Option<String>,
    )> = memberships::table
        .inner_join(accounts::table)
        .filter(memberships::organization_id.eq(organization_id))
        .filter(memberships::id.eq(membership_id))
        .select((
            memberships::id,
            memberships::account_id,
            accounts::email,
            accounts::name,
            memberships::status,
            accounts::password_hash,
        ))
        .first(conn)
        .optional()?;
    let (membership_id, account_id, email, name, status, password_hash) =
        row.ok_or(DomainError::NotFound)?;
    Ok(Member {
        membership_id,
        account_id,
        email,
        name,
        status,
        has_password: password_hash.is_some(),
    })
}

/// Active members holding an active assignment of the built-in Administrator role.
fn active_administrators(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<Vec<MembershipId>> {
    memberships::table
        .inner_join(role_assignments::table.inner_join(roles::table))
        .filter(memberships::organization_id.eq(organization_id))
        .filter(memberships::status.eq(MembershipStatus::Active))
        .filter(role_assignments::active.eq(true))
        .filter(roles::builtin.eq(BuiltinRole::Administrator))
        .select(memberships::id)
        .load(conn)
}

/// Refuses a change that would leave the Administrator role without an active member.
fn keep_an_administrator(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    losing: MembershipId,
) -> DomainResult<()> {
    let administrators = active_administrators(conn, organization_id)?;
    if administrators.contains(&losing) && administrators.len() == 1 {
        return refuse("last-administrator");
    }
    Ok(())
}

fn is_administrator_role(conn: &mut DbConnection, role_id: RoleId) -> QueryResult<bool> {
    let builtin: Option<Option<BuiltinRole>> = roles::table
        .find(role_id)
        .select(roles::builtin)
        .first(conn)
        .optional()?;
    Ok(builtin.flatten() == Some(BuiltinRole::Administrator))
}

/// Roles that can be handed out: the organization's, active. Refuses an empty choice.
fn checked_roles(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    role_ids: &[RoleId],
) -> DomainResult<Vec<RoleId>> {
    if role_ids.is_empty() {
        return refuse("member-needs-role");
    }
    let found: Vec<RoleId> = roles::table
        .filter(roles::organization_id.eq(organization_id))
        .filter(roles::id.eq_any(role_ids))
        .filter(roles::active.eq(true))
        .select(roles::id)
        .load(conn)?;
    if found.len()
        != role_ids
            .iter()
            .collect::<std::collections::HashSet<_>>()
            .len()
    {
        return Err(DomainError::NotFound);
    }
    Ok(found)
}

fn insert_assignments(
    conn: &mut DbConnection,
    membership_id: MembershipId,
    role_ids: &[RoleId],
    at: PrimitiveDateTime,
) -> QueryResult<()> {
    let existing: Vec<RoleId> = role_assignments::table
        .filter(role_assignments::membership_id.eq(membership_id))
        .select(role_assignments::role_id)
        .load(conn)?;
    for role_id in role_ids.iter().filter(|id| !existing.contains(id)) {
        diesel::insert_into(role_assignments::table)
            .values((
                role_assignments::membership_id.eq(membership_id),
                role_assignments::role_id.eq(role_id),
                role_assignments::active.eq(true),
                role_assignments::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// What adding a person did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// A new person, or one who never registered: Pending, with an invitation to send.
    Invited {
        membership_id: MembershipId,
        account_id: AccountId,
    },
    /// Someone with an account already: Active at once, with an "access granted" email to send.
    Granted {
        membership_id: MembershipId,
        account_id: AccountId,
    },
}

/// Adds a person by email with one or more active roles (every way in: the Users page, the API,
/// a partner's first admin), under the organization's rules for who may join.
pub fn add(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    email: &EmailAddress,
    role_ids: &[RoleId],
    language: Option<&str>,
    actor: &Actor,
) -> DomainResult<Added> {
    // Nobody is in an organization with single sign-on and in one without at once.
    if let Some(key) = crate::domain::sso::joining_refusal(conn, organization_id, email.as_str())? {
        return refuse(key);
    }
    let role_ids = checked_roles(conn, organization_id, role_ids)?;
    if !crate::domain::policy::email_allowed(
        &crate::domain::policy::load(conn, organization_id)?,
        email.as_str(),
    ) {
        return refuse("member-domain-refused");
    }
    if !crate::domain::partnership::email_in_registered_domains(conn, organization_id, email)? {
        return refuse("partner-domain-refused");
    }
    let account = match account::find_by_email(conn, email)? {
        Some(account) => {
            let already: Option<MembershipStatus> = memberships::table
                .filter(memberships::organization_id.eq(organization_id))
                .filter(memberships::account_id.eq(account.id))
                .select(memberships::status)
                .first(conn)
                .optional()?;
            if let Some(status) = already {
                return refuse(if status == MembershipStatus::Pending {
                    "member-already-invited"
                } else {
                    "member-already-exists"
                });
            }
            account
        }
        None => account::insert(
            conn,
            &NewAccount {
                email: email.as_str(),
                name: email.local_part(),
                password_hash: None,
                language,
                created_at: actor.at,
                password_changed_at: None,
            },
        )?,
    };
    let registered = account.password_hash.is_some();
    let status = if registered {
        MembershipStatus::Active
    } else {
        MembershipStatus::Pending
    };
    let membership_id: MembershipId = diesel::insert_into(memberships::table)
        .values((
            memberships::organization_id.eq(organization_id),
            memberships::account_id.eq(account.id),
            memberships::status.eq(status),
            memberships::created_at.eq(actor.at),
            memberships::last_sign_in_at.eq(account.last_sign_in_at),
        ))
        .returning(memberships::id)
        .get_result(conn)?;
    insert_assignments(conn, membership_id, &role_ids, actor.at)?;
    refresh_directory(conn, DirectoryScope::Memberships(&[membership_id]))?;
    count_members(conn, organization_id, 1)?;
    let action = if registered {
        "member.added"
    } else {
        "member.invited"
    };
    audit::record(
        conn,
        &actor
            .event(Some(organization_id), action, Some(account.email.clone()))
            .on(TargetKind::Member, membership_id),
    )?;
    Ok(if registered {
        Added::Granted {
            membership_id,
            account_id: account.id,
        }
    } else {
        Added::Invited {
            membership_id,
            account_id: account.id,
        }
    })
}

/// Deletes a membership (its assignments go with it). An account that never registered and
/// belongs nowhere else goes too.
pub(crate) fn delete_membership(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    membership_id: MembershipId,
    actor: &Actor,
    action: &str,
) -> DomainResult<()> {
    let member = find(conn, organization_id, membership_id)?;
    diesel::delete(memberships::table.find(membership_id)).execute(conn)?;
    count_members(conn, organization_id, -1)?;
    if !member.has_password {
        let elsewhere: i64 = memberships::table
            .filter(memberships::account_id.eq(member.account_id))
            .count()
            .get_result(conn)?;
        if elsewhere == 0 {
            diesel::delete(accounts::table.find(member.account_id)).execute(conn)?;
        }
    }
    audit::record(
        conn,
        &actor
            .event(Some(organization_id), action, Some(member.email))
            .on(TargetKind::Member, membership_id),
    )?;
    Ok(())
}

/// Removes a member from the organization: every role goes, and access ends at once (sessions
/// resolve the member's rights on every request).
pub fn remove(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    membership_id: MembershipId,
    actor: &Actor,
) -> DomainResult<()> {
    find(conn, organization_id, membership_id)?;
    keep_an_administrator(conn, organization_id, membership_id)?;
    delete_membership(
        conn,
        organization_id,
        membership_id,
        actor,
        "member.removed",
    )
}

/// Assigns more active roles to a member.
pub fn assign(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    membership_id: MembershipId,
    role_ids: &[RoleId],
    actor: &Actor,
) -> DomainResult<()> {
    let member = find(conn, organization_id, membership_id)?;
    let role_ids = checked_roles(conn, organization_id, role_ids)?;
    let before = role_labels(conn, membership_id)?;
    insert_assignments(conn, membership_id, &role_ids, actor.at)?;
    refresh_directory(conn, DirectoryScope::Memberships(&[membership_id]))?;
    audit_roles(
        conn,
        organization_id,
        actor,
        "member.roles-assigned",
        (membership_id, &member.email),
        &role_ids,
        before,
    )
}

fn audit_roles(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    actor: &Actor,
    action: &str,
    (membership_id, email): (MembershipId, &str),
    role_ids: &[RoleId],
    before: Vec<String>,
) -> DomainResult<()> {
    let names: Vec<String> = roles::table
        .filter(roles::id.eq_any(role_ids))
        .order(roles::name_folded.asc())
        .select(roles::name)
        .load(conn)?;
    let after = role_labels(conn, membership_id)?;
    let mut event = actor
        .event(Some(organization_id), action, Some(email.to_owned()))
        .on(TargetKind::Member, membership_id);
    event.details = Some(
        serde_json::json!({
            "roles": names.join(", "),
            "changes": [FieldChange::new("roles", before.join(", "), after.join(", "))],
        })
        .to_string(),
    );
    audit::record(conn, &event)?;
    Ok(())
}

/// A member's roles as the log records them: by name, "(off)" after a switched-off assignment.
fn role_labels(conn: &mut DbConnection, membership_id: MembershipId) -> QueryResult<Vec<String>> {
    let rows: Vec<(String, bool)> = role_assignments::table
        .inner_join(roles::table)
        .filter(role_assignments::membership_id.eq(membership_id))
        .order(roles::name_folded.asc())
        .select((roles::name, role_assignments::active))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(name, active)| {
            if active {
                name
            } else {
                format!("{name} (off)")
            }
        })
        .collect())
}

fn assignment_exists(
    conn: &mut DbConnection,
    membership_id: MembershipId,
    role_id: RoleId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        role_assignments::table.find((membership_id, role_id)),
    ))
    .get_result(conn)
}

/// Switches one of a member's assignments on or off.
pub fn set_assignment_active(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    membership_id: MembershipId,
    role_id: RoleId,
    active: bool,
    actor: &Actor,
) -> DomainResult<()> {
    let member = find(conn, organization_id, membership_id)?;
    if !assignment_exists(conn, membership_id, role_id)? {
        return Err(DomainError::NotFound);
    }
    if !active && is_administrator_role(conn, role_id)? {
        keep_an_administrator(conn, organization_id, membership_id)?;
    }
    let before = role_labels(conn, membership_id)?;
    diesel::update(role_assignments::table.find((membership_id, role_id)))
        .set(role_assignments::active.eq(active))
        .execute(conn)?;
    let action = if active {
        "member.role-activated"
    } else {
        "member.role-deactivated"
    };
    audit_roles(
        conn,
        organization_id,
        actor,
        action,
        (membership_id, &member.email),
        &[role_id],
        before,
    )
}

/// Brings an Inactive member back; the inactivity period counts again from now.
pub fn reactivate(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    membership_id: MembershipId,
    actor: &Actor,
) -> DomainResult<()> {
    let member = find(conn, organization_id, membership_id)?;
    if member.status != MembershipStatus::Inactive {
        return refuse("member-not-inactive");
    }
    diesel::update(memberships::table.find(membership_id))
        .set((
            memberships::status.eq(MembershipStatus::Active),
            memberships::reactivated_at.eq(actor.at),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "member.reactivated",
                Some(member.email),
            )
            .on(TargetKind::Member, membership_id),
    )?;
    Ok(())
}

/// What unassigning did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unassigned {
    RoleRemoved,
    /// It was the member's last role, so they left the organization.
    MemberRemoved,
}

pub fn unassign(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    membership_id: MembershipId,
    role_id: RoleId,
    actor: &Actor,
) -> DomainResult<Unassigned> {
    let member = find(conn, organization_id, membership_id)?;
    if !assignment_exists(conn, membership_id, role_id)? {
        return Err(DomainError::NotFound);
    }
    if is_administrator_role(conn, role_id)? {
        keep_an_administrator(conn, organization_id, membership_id)?;
    }
    let before = role_labels(conn, membership_id)?;
    diesel::delete(role_assignments::table.find((membership_id, role_id))).execute(conn)?;
    audit_roles(
        conn,
        organization_id,
        actor,
        "member.role-unassigned",
        (membership_id, &member.email),
        &[role_id],
        before,
    )?;
    let left: i64 = role_assignments::table
        .filter(role_assignments::membership_id.eq(membership_id))
        .count()
        .get_result(conn)?;
    if left == 0 {
        delete_membership(
            conn,
            organization_id,
            membership_id,
            actor,
            "member.removed-with-last-role",
        )?;
        return Ok(Unassigned::MemberRemoved);
    }
    refresh_directory(conn, DirectoryScope::Memberships(&[membership_id]))?;
    Ok(Unassigned::RoleRemoved)
}

/// Members of the organization who hold a role, with the assignment's switch, by email.
pub fn holders_of_role(
    conn: &mut DbConnection,
    role_id: RoleId,
) -> QueryResult<Vec<(MembershipId, String, String, bool)>> {
    memberships::table
        .inner_join(role_assignments::table)
        .inner_join(accounts::table)
        .filter(role_assignments::role_id.eq(role_id))
        .order(memberships::email.asc())
        .select((
            memberships::id,
            memberships::email,
            accounts::name,
            role_assignments::active,
        ))
        .load(conn)
}

/// Members who do not hold a role, to offer in "assign members" (by email, at most `limit`).
pub fn non_holders_of_role(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    role_id: RoleId,
    limit: i64,
) -> QueryResult<Vec<(MembershipId, String, String)>> {
    memberships::table
        .inner_join(accounts::table)
        .filter(memberships::organization_id.eq(organization_id))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            role_assignments::table
                .filter(role_assignments::membership_id.eq(memberships::id))
                .filter(role_assignments::role_id.eq(role_id)),
        )))
        .order(memberships::email.asc())
        .limit(limit)
        .select((memberships::id, memberships::email, accounts::name))
        .load(conn)
}

/// Assigns one role to several members at once.
pub fn assign_role_to_members(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    role_id: RoleId,
    membership_ids: &[MembershipId],
    actor: &Actor,
) -> DomainResult<usize> {
    checked_roles(conn, organization_id, &[role_id])?;
    let members: Vec<(MembershipId, String)> = memberships::table
        .filter(memberships::organization_id.eq(organization_id))
        .filter(memberships::id.eq_any(membership_ids))
        .select((memberships::id, memberships::email))
        .load(conn)?;
    if members.len() != membership_ids.len() {
        return Err(DomainError::NotFound);
    }
    for (membership_id, email) in &members {
        let before = role_labels(conn, *membership_id)?;
        insert_assignments(conn, *membership_id, &[role_id], actor.at)?;
        audit_roles(
            conn,
            organization_id,
            actor,
            "member.roles-assigned",
            (*membership_id, email),
            &[role_id],
            before,
        )?;
    }
    let ids: Vec<MembershipId> = members.iter().map(|(id, _)| *id).collect();
    refresh_directory(conn, DirectoryScope::Memberships(&ids))?;
    Ok(members.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_wildcards_are_literal() {
        assert_eq!(word_prefix_pattern("50%_a\\"), "% 50\\%\\_a\\\\%");
        assert_eq!(query_words("  Ada  LOVE "), vec!["ada", "love"]);
    }

    #[test]
    fn members_are_found_by_every_piece_of_email_name_and_roles() {
        let words = search_words(
            "ada.lovelace@example.com",
            "ada king",
            &["night shift".to_owned()],
        );
        for word in [
            "ada.lovelace@example.com",
            "ada.lovelace",
            "example.com",
            "ada",
            "lovelace",
            "king",
            "night",
            "shift",
        ] {
            assert!(
                words.contains(&word.to_owned()),
                "{word} missing from {words:?}"
            );
        }
        assert_eq!(
            words.iter().filter(|w| *w == "ada").count(),
            1,
            "no duplicates"
        );
    }

    #[test]
    fn sort_columns_round_trip() {
        for column in SortColumn::ALL {
            assert_eq!(SortColumn::parse(column.as_str()), Some(column));
        }
        assert_eq!(SortColumn::parse("password"), None);
    }
}
