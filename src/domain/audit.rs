//! Audit events are rows written in the same transaction as the change they record. Each keeps
//! who acted and what it acted on as they were then (an email, a role's name), so the log reads
//! the same after renames and deletions; and each carries the hash of the event before it in its
//! organization, so an edited, inserted or deleted row breaks the chain (`verify`).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::db::schema::{accounts, audit_chains, audit_events, external_users, organizations};
use crate::domain::ids::{AccountId, OrganizationId};
use crate::domain::stored::stored_enum;
use crate::domain::webhook_events;

stored_enum! {
    /// Who made a change, as the log names them.
    pub enum ActorKind {
        /// A member of the organization, in the console.
        Member = "member",
        /// A personal access token (the JSON API): its name, and its owner's email.
        Token = "token",
        /// A partner's user acting in a client organization: "via <partner>".
        Partner = "partner",
        /// An external user of the organization's API portal.
        External = "external",
        /// A person acting on their own account (events of no organization).
        Account = "account",
        /// A job of the server (inactivation, disabling a failing webhook, retention).
        System = "system",
    }
}

stored_enum! {
    /// What an event acted on, for links to it and for its Activity tab.
    pub enum TargetKind {
        Member = "member",
        Role = "role",
        Partner = "partner",
        ExternalUser = "external-user",
        Environment = "environment",
        Api = "api",
        ApiGroup = "api-group",
        Token = "token",
        ClientToken = "client-token",
        Webhook = "webhook",
        Organization = "organization",
        Account = "account",
    }
}

/// The parts of a request that tie an event to the logs: its id and the browser or client.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

/// Where a request came from: its address and trace, for the events of a visitor's actions.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub trace: Trace,
}

impl Trace {
    /// A user agent longer than this is cut: it is for people to read, not a place to store.
    const MAX_USER_AGENT: usize = 300;

    pub fn new(user_agent: Option<&str>, request_id: Option<String>) -> Self {
        Self {
            user_agent: user_agent
                .map(|agent| agent.chars().take(Self::MAX_USER_AGENT).collect::<String>())
                .filter(|agent| !agent.trim().is_empty()),
            request_id,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewAuditEvent {
    pub organization_id: Option<OrganizationId>,
    pub actor_account_id: Option<AccountId>,
    pub action: String,
    /// The target's name as it is now (an email, a role's name).
    pub target: Option<String>,
    pub target_kind: Option<TargetKind>,
    pub target_id: Option<i64>,
    pub details: Option<String>,
    pub ip: Option<String>,
    pub created_at: PrimitiveDateTime,
    pub actor_token_id: Option<i64>,
    /// The partners a partner user acts through.
    pub actor_via: Option<String>,
    pub trace: Trace,
}

impl NewAuditEvent {
    /// The same event, naming the row it acted on (for links and Activity tabs).
    pub fn on(mut self, kind: TargetKind, id: impl Into<i64>) -> Self {
        self.target_kind = Some(kind);
        self.target_id = Some(id.into());
        self
    }

    /// The same event with the fields the change set, old value and new.
    pub fn with_changes(mut self, changes: &[FieldChange]) -> Self {
        self.details = Some(changes_json(changes));
        self
    }

    fn as_happened(&self) -> webhook_events::Happened<'_> {
        webhook_events::Happened {
            organization_id: self.organization_id,
            action: &self.action,
            target: self.target.as_deref(),
            target_kind: self.target_kind.map(TargetKind::as_str),
            target_id: self.target_id,
            details: self.details.as_deref(),
            actor_account_id: self.actor_account_id,
            actor_token_id: self.actor_token_id,
            at: self.created_at,
        }
    }
}

/// One field a change set: its value before and after (None where it had none). Secrets are
/// never stored: their change reads "changed" on both sides' behalf (`FieldChange::secret`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl FieldChange {
    pub fn new(field: &str, before: impl Into<String>, after: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            before: Some(before.into()),
            after: Some(after.into()),
        }
    }

    /// A secret that changed: recorded as changed, with neither value.
    pub fn secret(field: &str) -> Self {
        Self {
            field: field.to_owned(),
            before: None,
            after: None,
        }
    }
}

/// The details of an event that changed fields: `{"changes": [...]}`.
pub fn changes_json(changes: &[FieldChange]) -> String {
    serde_json::json!({ "changes": changes }).to_string()
}

/// Who acted, from where, and when: the part every event of one request shares.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: Option<AccountId>,
    pub ip: Option<String>,
    pub at: PrimitiveDateTime,
    /// The personal access token the change came with (through the JSON API).
    pub token_id: Option<i64>,
    /// A partner user's partners ("via Acme").
    pub via: Option<String>,
    pub trace: Trace,
}

impl Actor {
    /// A job of the server at `at`: no person, no request.
    pub fn system(at: PrimitiveDateTime) -> Self {
        Self {
            account_id: None,
            ip: None,
            at,
            token_id: None,
            via: None,
            trace: Trace::default(),
        }
    }

    /// A person acting on their own account (signed in or not) from `ip`.
    pub fn person(account_id: AccountId, ip: Option<String>, at: PrimitiveDateTime) -> Self {
        Self {
            account_id: Some(account_id),
            ip,
            at,
            token_id: None,
            via: None,
            trace: Trace::default(),
        }
    }

    pub fn traced(mut self, trace: Trace) -> Self {
        self.trace = trace;
        self
    }

    /// A person acting from a request that is not signed in yet (setup, registration, a reset,
    /// an invitation): its address, browser and request id.
    pub fn from_origin(account_id: AccountId, origin: &Origin, at: PrimitiveDateTime) -> Self {
        Self::person(account_id, origin.ip.clone(), at).traced(origin.trace.clone())
    }

    pub fn event(
        &self,
        organization_id: Option<OrganizationId>,
        action: &str,
        target: Option<String>,
    ) -> NewAuditEvent {
        NewAuditEvent {
            organization_id,
            actor_account_id: self.account_id,
            action: action.to_owned(),
            target,
            target_kind: None,
            target_id: None,
            details: None,
            ip: self.ip.clone(),
            created_at: self.at,
            actor_token_id: self.token_id,
            actor_via: self.via.clone(),
            trace: self.trace.clone(),
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = audit_events)]
struct StoredEvent {
    organization_id: Option<OrganizationId>,
    actor_account_id: Option<AccountId>,
    action: String,
    target: Option<String>,
    details: Option<String>,
    ip: Option<String>,
    created_at: PrimitiveDateTime,
    actor_token_id: Option<i64>,
    actor_kind: ActorKind,
    actor_name: Option<String>,
    actor_detail: Option<String>,
    target_kind: Option<TargetKind>,
    target_id: Option<i64>,
    target_key: Option<String>,
    user_agent: Option<String>,
    request_id: Option<String>,
    prev_hash: Option<String>,
    hash: Option<String>,
}

/// The fields a hash covers, in a fixed order. The actor's account id is left out on purpose:
/// deleting an account sets it to NULL (ON DELETE SET NULL), which is not tampering; the
/// actor's email at the time is covered instead.
#[derive(Serialize)]
struct Hashed<'a>(
    &'a str,
    Option<i64>,
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<i64>,
    Option<&'a str>,
    Option<i64>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    i64,
);

/// The hex SHA-256 of an event's fields and the hash of the event before it.
#[allow(clippy::too_many_arguments)]
fn hash_of(prev_hash: &str, event: &ChainedFields<'_>) -> String {
    let hashed = Hashed(
        prev_hash,
        event.organization_id,
        event.action,
        event.actor_kind,
        event.actor_name,
        event.actor_detail,
        event.actor_token_id,
        event.target_kind,
        event.target_id,
        event.target,
        event.details,
        event.ip,
        event.user_agent,
        event.request_id,
        micros(event.created_at),
    );
    let text = serde_json::to_string(&hashed).expect("a tuple of strings and numbers serializes");
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// What the hash of an event covers, borrowed from a new or a stored row.
struct ChainedFields<'a> {
    organization_id: Option<i64>,
    action: &'a str,
    actor_kind: &'a str,
    actor_name: Option<&'a str>,
    actor_detail: Option<&'a str>,
    actor_token_id: Option<i64>,
    target_kind: Option<&'a str>,
    target_id: Option<i64>,
    target: Option<&'a str>,
    details: Option<&'a str>,
    ip: Option<&'a str>,
    user_agent: Option<&'a str>,
    request_id: Option<&'a str>,
    created_at: PrimitiveDateTime,
}

impl StoredEvent {
    fn fields(&self) -> ChainedFields<'_> {
        ChainedFields {
            organization_id: self.organization_id.map(Into::into),
            action: &self.action,
            actor_kind: self.actor_kind.as_str(),
            actor_name: self.actor_name.as_deref(),
            actor_detail: self.actor_detail.as_deref(),
            actor_token_id: self.actor_token_id,
            target_kind: self.target_kind.map(TargetKind::as_str),
            target_id: self.target_id,
            target: self.target.as_deref(),
            details: self.details.as_deref(),
            ip: self.ip.as_deref(),
            user_agent: self.user_agent.as_deref(),
            request_id: self.request_id.as_deref(),
            created_at: self.created_at,
        }
    }
}

pub fn micros(at: PrimitiveDateTime) -> i64 {
    (at.assume_utc().unix_timestamp_nanos() / 1000) as i64
}

/// Both databases keep microseconds; the hash is taken over what a read gives back.
fn to_micros(at: PrimitiveDateTime) -> PrimitiveDateTime {
    at.replace_nanosecond(at.nanosecond() / 1000 * 1000)
        .unwrap_or(at)
}

/// The chain an organization's events are in (0: events of no organization).
fn chain_of(organization_id: Option<OrganizationId>) -> i64 {
    organization_id.map_or(0, Into::into)
}

#[derive(QueryableByName)]
struct ChainHead {
    #[diesel(sql_type = Text)]
    last_hash: String,
}

/// The hash of the chain's newest event, with the chain locked until the transaction ends
/// (PostgreSQL holds the upserted row; SQLite writes one at a time), so two changes of one
/// organization cannot both chain onto the same event.
fn lock_chain(conn: &mut DbConnection, chain: i64) -> QueryResult<String> {
    let sql = match conn {
        DbConnection::Pg(_) => {
            "INSERT INTO audit_chains (chain) VALUES ($1) \
             ON CONFLICT (chain) DO UPDATE SET last_hash = audit_chains.last_hash \
             RETURNING last_hash"
        }
        DbConnection::Sqlite(_) => {
            "INSERT INTO audit_chains (chain) VALUES (?1) \
             ON CONFLICT (chain) DO UPDATE SET last_hash = audit_chains.last_hash \
             RETURNING last_hash"
        }
    };
    let head: ChainHead = diesel::sql_query(sql)
        .bind::<BigInt, _>(chain)
        .get_result(conn)?;
    Ok(head.last_hash)
}

/// How the log names the actor of a new event: looked up now, so it stays as it was.
fn describe_actor(
    conn: &mut DbConnection,
    event: &NewAuditEvent,
) -> QueryResult<(ActorKind, Option<String>, Option<String>)> {
    let Some(account_id) = event.actor_account_id else {
        return Ok((ActorKind::System, None, None));
    };
    let email: Option<String> = accounts::table
        .find(account_id)
        .select(accounts::email)
        .first(conn)
        .optional()?;
    let email = email.map(|email| email.to_lowercase());
    if let Some(token_id) = event.actor_token_id {
        let name: Option<String> = crate::db::schema::personal_access_tokens::table
            .find(token_id)
            .select(crate::db::schema::personal_access_tokens::name)
            .first(conn)
            .optional()?;
        return Ok((ActorKind::Token, email, name));
    }
    if let Some(via) = &event.actor_via {
        return Ok((ActorKind::Partner, email, Some(via.clone())));
    }
    let Some(organization_id) = event.organization_id else {
        return Ok((ActorKind::Account, email, None));
    };
    let external = diesel::select(diesel::dsl::exists(
        external_users::table
            .filter(external_users::organization_id.eq(organization_id))
            .filter(external_users::account_id.eq(account_id)),
    ))
    .get_result::<bool>(conn)?;
    let kind = if external && event.action.starts_with("external-user.") {
        ActorKind::External
    } else {
        ActorKind::Member
    };
    Ok((kind, email, None))
}

/// Records an event, and queues it for every webhook of its organization that subscribed to
/// it: in the caller's transaction, so a change that rolls back records and sends nothing.
pub fn record(conn: &mut DbConnection, event: &NewAuditEvent) -> QueryResult<()> {
    record_returning_id(conn, event).map(drop)
}

/// Records an event and returns its id (for pages that show what an event recorded).
pub fn record_returning_id(conn: &mut DbConnection, event: &NewAuditEvent) -> QueryResult<i64> {
    let (actor_kind, actor_name, actor_detail) = describe_actor(conn, event)?;
    let mut stored = StoredEvent {
        organization_id: event.organization_id,
        actor_account_id: event.actor_account_id,
        action: event.action.clone(),
        target: event.target.clone(),
        details: event.details.clone(),
        ip: event.ip.clone(),
        created_at: to_micros(event.created_at),
        actor_token_id: event.actor_token_id,
        actor_kind,
        actor_name,
        actor_detail,
        target_kind: event.target_kind,
        target_id: event.target_id,
        target_key: event.target.as_deref().map(str::to_lowercase),
        user_agent: event.trace.user_agent.clone(),
        request_id: event.trace.request_id.clone(),
        prev_hash: None,
        hash: None,
    };
    let chain = chain_of(event.organization_id);
    let prev_hash = lock_chain(conn, chain)?;
    let hash = hash_of(&prev_hash, &stored.fields());
    stored.prev_hash = Some(prev_hash);
    stored.hash = Some(hash.clone());
    let id = diesel::insert_into(audit_events::table)
        .values(&stored)
        .returning(audit_events::id)
        .get_result(conn)?;
    diesel::update(audit_chains::table.find(chain))
        .set(audit_chains::last_hash.eq(&hash))
        .execute(conn)?;
    webhook_events::fan_out(conn, &event.as_happened())?;
    Ok(id)
}

/// The details of one event of an organization with the given action, if it exists.
pub fn details_of(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    event_id: i64,
    action: &str,
) -> QueryResult<Option<String>> {
    Ok(audit_events::table
        .filter(audit_events::id.eq(event_id))
        .filter(audit_events::organization_id.eq(organization_id))
        .filter(audit_events::action.eq(action))
        .select(audit_events::details)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// An event as the chain sees it.
#[derive(Queryable, Selectable)]
#[diesel(table_name = audit_events)]
struct ChainedRow {
    id: i64,
    organization_id: Option<i64>,
    action: String,
    actor_kind: String,
    actor_name: Option<String>,
    actor_detail: Option<String>,
    actor_token_id: Option<i64>,
    target_kind: Option<String>,
    target_id: Option<i64>,
    target: Option<String>,
    details: Option<String>,
    ip: Option<String>,
    user_agent: Option<String>,
    request_id: Option<String>,
    created_at: PrimitiveDateTime,
    prev_hash: Option<String>,
    hash: Option<String>,
}

impl ChainedRow {
    fn fields(&self) -> ChainedFields<'_> {
        ChainedFields {
            organization_id: self.organization_id,
            action: &self.action,
            actor_kind: &self.actor_kind,
            actor_name: self.actor_name.as_deref(),
            actor_detail: self.actor_detail.as_deref(),
            actor_token_id: self.actor_token_id,
            target_kind: self.target_kind.as_deref(),
            target_id: self.target_id,
            target: self.target.as_deref(),
            details: self.details.as_deref(),
            ip: self.ip.as_deref(),
            user_agent: self.user_agent.as_deref(),
            request_id: self.request_id.as_deref(),
            created_at: self.created_at,
        }
    }
}

/// Events are read and written in batches of this many (chaining old rows, verifying, deleting).
const BATCH: i64 = 1000;

/// Chains events written before events were hashed (once, when a server first starts on an
/// upgraded database), oldest first; returns how many. Each batch is one transaction, with the
/// chains it touches locked as a new event would lock them.
pub fn chain_unhashed(conn: &mut DbConnection) -> QueryResult<usize> {
    let mut chained = 0;
    loop {
        let done = crate::db::write_transaction(conn, |conn| {
            let rows: Vec<ChainedRow> = audit_events::table
                .filter(audit_events::hash.is_null())
                .order(audit_events::id.asc())
                .limit(BATCH)
                .select(ChainedRow::as_select())
                .load(conn)?;
            let mut heads: std::collections::HashMap<i64, String> = Default::default();
            for row in &rows {
                let chain = row.organization_id.unwrap_or(0);
                let prev_hash = match heads.get(&chain) {
                    Some(hash) => hash.clone(),
                    None => lock_chain(conn, chain)?,
                };
                let hash = hash_of(&prev_hash, &row.fields());
                diesel::update(audit_events::table.find(row.id))
                    .set((
                        audit_events::prev_hash.eq(&prev_hash),
                        audit_events::hash.eq(&hash),
                    ))
                    .execute(conn)?;
                heads.insert(chain, hash);
            }
            for (chain, hash) in &heads {
                diesel::update(audit_chains::table.find(chain))
                    .set(audit_chains::last_hash.eq(hash))
                    .execute(conn)?;
            }
            Ok::<_, diesel::result::Error>(rows.len())
        })?;
        chained += done;
        if done < BATCH as usize {
            return Ok(chained);
        }
    }
}

/// What `verify` found in one chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Intact {
        events: u64,
    },
    /// The first event whose link does not hold, and how.
    Broken {
        event_id: Option<i64>,
        reason: Broken,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    /// Its fields are not what its hash covered: the row was edited.
    Edited,
    /// It does not point to the event before it: an event was deleted or inserted before it.
    Unlinked,
    /// The chain's newest event is not the one last written: events were deleted at the end.
    TailMissing,
}

impl Broken {
    pub fn describe(self) -> &'static str {
        match self {
            Broken::Edited => "its fields do not match its hash (the row was edited)",
            Broken::Unlinked => {
                "it does not point to the event before it (an event was deleted or inserted)"
            }
            Broken::TailMissing => {
                "the newest events are missing (deleted after they were written)"
            }
        }
    }
}

/// Walks an organization's events oldest first, checking each against its hash and its link to
/// the one before; the first event is checked against the newest one retention deleted.
pub fn verify(conn: &mut DbConnection, organization_id: OrganizationId) -> QueryResult<Verdict> {
    let chain = chain_of(Some(organization_id));
    let head: Option<(String, String)> = audit_chains::table
        .find(chain)
        .select((audit_chains::anchor_hash, audit_chains::last_hash))
        .first(conn)
        .optional()?;
    let (mut expected, last_hash) = head.unwrap_or_default();
    let mut after = 0_i64;
    let mut events = 0_u64;
    loop {
        let rows: Vec<ChainedRow> = audit_events::table
            .filter(audit_events::organization_id.eq(organization_id))
            .filter(audit_events::id.gt(after))
            .order(audit_events::id.asc())
            .limit(BATCH)
            .select(ChainedRow::as_select())
            .load(conn)?;
        for row in &rows {
            if row.prev_hash.as_deref() != Some(expected.as_str()) {
                return Ok(Verdict::Broken {
                    event_id: Some(row.id),
                    reason: Broken::Unlinked,
                });
            }
            let hash = hash_of(&expected, &row.fields());
            if row.hash.as_deref() != Some(hash.as_str()) {
                return Ok(Verdict::Broken {
                    event_id: Some(row.id),
                    reason: Broken::Edited,
                });
            }
            expected = hash;
            events += 1;
        }
        match rows.last() {
            Some(row) if rows.len() == BATCH as usize => after = row.id,
            _ => break,
        }
    }
    if expected != last_hash {
        return Ok(Verdict::Broken {
            event_id: None,
            reason: Broken::TailMissing,
        });
    }
    Ok(Verdict::Intact { events })
}

/// The shortest and default time an organization keeps its events.
pub const MIN_RETENTION_DAYS: i32 = 30;
pub const DEFAULT_RETENTION_DAYS: i32 = 365;
pub const MAX_RETENTION_DAYS: i32 = 3650;

/// A clean-up runs at most once a day per organization.
const CLEAN_UP_EVERY: time::Duration = time::Duration::DAY;
/// Deleted per transaction, so a clean-up never holds the chain (and the writers) for long.
const DELETE_BATCH: i64 = 500;

/// Claims the next organization whose events are due a clean-up (none in the last day); the
/// claim is the `cleaned_at` stamp itself, so of several servers only one cleans each.
pub fn claim_clean_up(
    conn: &mut DbConnection,
    now: PrimitiveDateTime,
) -> QueryResult<Option<OrganizationId>> {
    let due: Option<i64> = audit_chains::table
        .filter(audit_chains::chain.gt(0))
        .filter(
            audit_chains::cleaned_at
                .is_null()
                .or(audit_chains::cleaned_at.le(now - CLEAN_UP_EVERY)),
        )
        .select(audit_chains::chain)
        .order(audit_chains::chain.asc())
        .first(conn)
        .optional()?;
    let Some(chain) = due else {
        return Ok(None);
    };
    let claimed = diesel::update(
        audit_chains::table.find(chain).filter(
            audit_chains::cleaned_at
                .is_null()
                .or(audit_chains::cleaned_at.le(now - CLEAN_UP_EVERY)),
        ),
    )
    .set(audit_chains::cleaned_at.eq(now))
    .execute(conn)?;
    Ok((claimed == 1).then(|| OrganizationId::new(chain)))
}

/// Deletes up to one batch of the organization's events older than its retention, oldest
/// first, and moves the chain's anchor to the newest one deleted; returns how many went. Only
/// the oldest events go, in the chain's order, so what is left still verifies.
pub fn delete_expired_batch(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    now: PrimitiveDateTime,
) -> QueryResult<usize> {
    crate::db::write_transaction(conn, |conn| {
        let retention_days: i32 = organizations::table
            .find(organization_id)
            .select(organizations::audit_retention_days)
            .first(conn)?;
        let before = now - time::Duration::days(i64::from(retention_days));
        let chain = chain_of(Some(organization_id));
        lock_chain(conn, chain)?;
        let oldest: Vec<(i64, PrimitiveDateTime, Option<String>)> = audit_events::table
            .filter(audit_events::organization_id.eq(organization_id))
            .order(audit_events::id.asc())
            .limit(DELETE_BATCH)
            .select((
                audit_events::id,
                audit_events::created_at,
                audit_events::hash,
            ))
            .load(conn)?;
        let expired: Vec<&(i64, PrimitiveDateTime, Option<String>)> = oldest
            .iter()
            .take_while(|(_, created_at, _)| *created_at < before)
            .collect();
        let Some((last_id, _, last_hash)) = expired.last() else {
            diesel::update(audit_chains::table.find(chain))
                .set(audit_chains::cleaned_before.eq(before))
                .execute(conn)?;
            return Ok(0);
        };
        let deleted = diesel::delete(
            audit_events::table
                .filter(audit_events::organization_id.eq(organization_id))
                .filter(audit_events::id.le(last_id)),
        )
        .execute(conn)?;
        diesel::update(audit_chains::table.find(chain))
            .set((
                audit_chains::anchor_hash.eq(last_hash.clone().unwrap_or_default()),
                audit_chains::cleaned_before.eq(before),
            ))
            .execute(conn)?;
        Ok(deleted)
    })
}

/// How far back an organization's log goes, and when the last clean-up ran.
#[derive(Debug, Clone)]
pub struct Retention {
    pub days: i32,
    pub cleaned_at: Option<PrimitiveDateTime>,
    pub oldest_event_at: Option<PrimitiveDateTime>,
}

pub fn retention(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<Retention> {
    let days: i32 = organizations::table
        .find(organization_id)
        .select(organizations::audit_retention_days)
        .first(conn)?;
    let cleaned_at: Option<PrimitiveDateTime> = audit_chains::table
        .find(chain_of(Some(organization_id)))
        .select(audit_chains::cleaned_at)
        .first(conn)
        .optional()?
        .flatten();
    let oldest_event_at: Option<PrimitiveDateTime> = audit_events::table
        .filter(audit_events::organization_id.eq(organization_id))
        .order((audit_events::created_at.asc(), audit_events::id.asc()))
        .select(audit_events::created_at)
        .first(conn)
        .optional()?;
    Ok(Retention {
        days,
        cleaned_at,
        oldest_event_at,
    })
}

/// Sets how long the organization keeps its events, recording the change.
pub fn set_retention(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    days: i32,
    actor: &Actor,
) -> Result<bool, RetentionOutOfRange> {
    if !(MIN_RETENTION_DAYS..=MAX_RETENTION_DAYS).contains(&days) {
        return Err(RetentionOutOfRange::OutOfRange);
    }
    let before: i32 = organizations::table
        .find(organization_id)
        .select(organizations::audit_retention_days)
        .first(conn)?;
    if before == days {
        return Ok(false);
    }
    diesel::update(organizations::table.find(organization_id))
        .set(organizations::audit_retention_days.eq(days))
        .execute(conn)?;
    let event = actor
        .event(Some(organization_id), "audit.retention-changed", None)
        .on(TargetKind::Organization, organization_id)
        .with_changes(&[FieldChange::new(
            "retention_days",
            before.to_string(),
            days.to_string(),
        )]);
    record(conn, &event)?;
    Ok(true)
}

#[derive(Debug)]
pub enum RetentionOutOfRange {
    OutOfRange,
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for RetentionOutOfRange {
    fn from(err: diesel::result::Error) -> Self {
        RetentionOutOfRange::Db(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> PrimitiveDateTime {
        time::macros::datetime!(2026-11-30 10:00:00.123456789)
    }

    fn fields<'a>(action: &'a str, details: Option<&'a str>) -> ChainedFields<'a> {
        ChainedFields {
            organization_id: Some(7),
            action,
            actor_kind: "member",
            actor_name: Some("ada@acme.test"),
            actor_detail: None,
            actor_token_id: None,
            target_kind: Some("role"),
            target_id: Some(3),
            target: Some("Field Agents"),
            details,
            ip: Some("203.0.113.9"),
            user_agent: None,
            request_id: None,
            created_at: to_micros(at()),
        }
    }

    #[test]
    fn every_field_and_the_previous_hash_change_the_hash() {
        let base = hash_of("", &fields("role.updated", None));
        assert_eq!(base.len(), 64);
        assert_eq!(base, hash_of("", &fields("role.updated", None)));
        assert_ne!(base, hash_of("x", &fields("role.updated", None)));
        assert_ne!(base, hash_of("", &fields("role.created", None)));
        assert_ne!(base, hash_of("", &fields("role.updated", Some("{}"))));
    }

    #[test]
    fn timestamps_keep_microseconds_as_both_databases_do() {
        assert_eq!(to_micros(at()).nanosecond(), 123_456_000);
    }

    #[test]
    fn long_user_agents_are_cut_and_blank_ones_dropped() {
        let long = "x".repeat(1000);
        assert_eq!(
            Trace::new(Some(&long), None)
                .user_agent
                .map(|a| a.chars().count()),
            Some(300)
        );
        assert_eq!(Trace::new(Some("  "), None).user_agent, None);
    }
}
