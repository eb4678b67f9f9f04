//! An organization's webhooks: their settings (URL, events, basic authentication, extra headers
//! whose hidden values are never read back out, the signing secret and its rotation), their
//! deliveries and attempts, and the rules of retrying: the schedule, 410 Gone, `Retry-After`, and
//! disabling after 5 days of only failures. The sending itself is `app::webhook_worker`.

use std::collections::HashMap;
use std::net::IpAddr;

use diesel::prelude::*;
use time::{Duration, PrimitiveDateTime};
use url::Url;

use crate::crypto::webhook_signature;
use crate::db::schema::{
    webhook_attempts, webhook_deliveries, webhook_event_types, webhook_events, webhook_headers,
    webhook_secrets, webhooks,
};
use crate::db::{self, DbConnection};
use crate::domain::audit::{self, Actor, TargetKind};
use crate::domain::ids::{OrganizationId, WebhookId};
use crate::domain::lists::{load_list, replace_list};
use crate::domain::outbound::{self, AllowedNetworks};
use crate::domain::rules::{DomainError, DomainResult};
use crate::domain::webhook_events::{self as events, is_event_type};
pub use crate::domain::webhook_events::{WebhookDeliveryStatus, WebhookStatus};

/// The most webhooks one organization may have.
pub const MAX_WEBHOOKS: i64 = 20;
pub const MAX_HEADERS: usize = 10;
const MAX_URL: usize = 2000;
const MAX_DESCRIPTION: usize = 200;
const MAX_HEADER_VALUE: usize = 1000;
const MAX_BASIC_AUTH: usize = 200;
/// How long the previous secret still signs after a rotation.
pub const ROTATION_OVERLAP: Duration = Duration::hours(24);
/// A webhook that has only failed for this long is disabled.
pub const FAILING_LIMIT: Duration = Duration::days(5);
/// How long a worker may hold a claimed delivery: one attempt (15 s in all) and its recording.
/// A worker that died holding one lets another send it again after this, with the same id.
pub const CLAIM_LEASE: Duration = Duration::seconds(20);
/// The first 4 KB of an answer are kept with its attempt.
pub const RESPONSE_BODY_KEPT: usize = 4096;
/// Headers the sender sets itself; a webhook cannot set them.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "content-type",
    "content-length",
    "transfer-encoding",
    "connection",
    "user-agent",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
];

/// Waits before each attempt after the first: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (eight
/// attempts in all, over about a day and a half).
const RETRY_WAITS: [Duration; 7] = [
    Duration::seconds(5),
    Duration::minutes(5),
    Duration::minutes(30),
    Duration::hours(2),
    Duration::hours(5),
    Duration::hours(10),
    Duration::hours(10),
];

/// Which events a webhook receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventChoice {
    All,
    Only(Vec<String>),
}

/// An extra header as typed. `value: None` keeps the stored value of a hidden header of the
/// same name (the form never shows it, so an untouched field comes back empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderInput {
    pub name: String,
    pub value: Option<String>,
    pub hidden: bool,
}

/// Basic authentication as typed; `password: None` keeps the stored one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicAuthInput {
    pub user: String,
    pub password: Option<String>,
}

/// A webhook's settings as typed on the page or sent to the API.
#[derive(Debug, Clone)]
pub struct WebhookInput {
    pub url: String,
    pub description: String,
    pub events: EventChoice,
    pub basic_auth: Option<BasicAuthInput>,
    pub headers: Vec<HeaderInput>,
}

/// What is wrong with typed settings, field by field (message keys).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputErrors {
    pub url: Option<&'static str>,
    pub description: Option<&'static str>,
    pub events: Option<&'static str>,
    pub basic_auth: Option<&'static str>,
    pub headers: Option<&'static str>,
}

impl InputErrors {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Each refused field with its message key, in the form's order.
    pub fn fields(&self) -> Vec<(&'static str, &'static str)> {
        [
            ("url", self.url),
            ("description", self.description),
            ("events", self.events),
            ("basic_auth", self.basic_auth),
            ("headers", self.headers),
        ]
        .into_iter()
        .filter_map(|(field, key)| key.map(|key| (field, key)))
        .collect()
    }
}

/// The outcome of saving settings.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("the settings were refused")]
    Invalid(InputErrors),
    #[error(transparent)]
    Domain(#[from] DomainError),
}

impl From<diesel::result::Error> for SaveError {
    fn from(err: diesel::result::Error) -> Self {
        Self::Domain(err.into())
    }
}

/// A webhook's URL: https, or http only to an address the operator allows; no credentials in it
/// (basic authentication has its own fields) and no literal address the rules refuse.
pub fn parse_url(text: &str, allowed: &AllowedNetworks) -> Result<Url, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err("webhook-url-required");
    }
    if text.len() > MAX_URL {
        return Err("webhook-url-too-long");
    }
    let url = Url::parse(text).map_err(|_| "webhook-url-invalid")?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("webhook-url-credentials");
    }
    let literal = match url.host() {
        Some(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
        Some(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
        Some(url::Host::Domain(_)) => None,
        None => return Err("webhook-url-invalid"),
    };
    match url.scheme() {
        "https" => {}
        "http" if literal.is_some_and(|address| allowed.contains(address)) => {}
        "http" => return Err("webhook-url-http"),
        _ => return Err("webhook-url-invalid"),
    }
    if let Some(address) = literal
        && outbound::check(address, allowed).is_err()
    {
        return Err("webhook-url-address");
    }
    Ok(url)
}

fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn is_header_value(value: &str) -> bool {
    value.len() <= MAX_HEADER_VALUE
        && value
            .chars()
            .all(|c| c == '\t' || (!c.is_control() && c != '\u{7f}'))
}

/// Checks typed settings. `kept` are the names of hidden headers already stored, whose value
/// may be left empty to keep it; `has_password` says whether a basic-auth password is stored.
pub fn check_input(
    input: &WebhookInput,
    allowed: &AllowedNetworks,
    kept: &[String],
    has_password: bool,
) -> InputErrors {
    let mut errors = InputErrors {
        url: parse_url(&input.url, allowed).err(),
        ..InputErrors::default()
    };
    if input.description.chars().count() > MAX_DESCRIPTION
        || input.description.chars().any(char::is_control)
    {
        errors.description = Some("webhook-description-invalid");
    }
    if let EventChoice::Only(types) = &input.events {
        if types.is_empty() {
            errors.events = Some("webhook-events-required");
        } else if !types.iter().all(|event_type| is_event_type(event_type)) {
            errors.events = Some("webhook-events-unknown");
        }
    }
    if let Some(auth) = &input.basic_auth {
        let password_ok = match &auth.password {
            Some(password) => !password.is_empty() && password.len() <= MAX_BASIC_AUTH,
            None => has_password,
        };
        if auth.user.trim().is_empty()
            || auth.user.contains(':')
            || auth.user.len() > MAX_BASIC_AUTH
            || auth.user.chars().any(char::is_control)
            || !password_ok
        {
            errors.basic_auth = Some("webhook-basic-auth-invalid");
        }
    }
    errors.headers = check_headers(input, kept).err();
    errors
}

fn check_headers(input: &WebhookInput, kept: &[String]) -> Result<(), &'static str> {
    if input.headers.len() > MAX_HEADERS {
        return Err("webhook-headers-too-many");
    }
    let mut seen: Vec<String> = Vec::new();
    for header in &input.headers {
        let lower = header.name.trim().to_ascii_lowercase();
        if !is_header_name(&lower) {
            return Err("webhook-header-name-invalid");
        }
        if RESERVED_HEADERS.contains(&lower.as_str())
            || (lower == "authorization" && input.basic_auth.is_some())
        {
            return Err("webhook-header-reserved");
        }
        if seen.contains(&lower) {
            return Err("webhook-header-twice");
        }
        match &header.value {
            Some(value) if !is_header_value(value) => return Err("webhook-header-value-invalid"),
            Some(_) => {}
            None if header.hidden && kept.iter().any(|name| name.eq_ignore_ascii_case(&lower)) => {}
            None => return Err("webhook-header-value-required"),
        }
        seen.push(lower);
    }
    Ok(())
}

/// A webhook as lists and pages show it (never a secret or a hidden value).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    pub id: WebhookId,
    pub organization_id: OrganizationId,
    pub url: String,
    pub description: String,
    pub all_events: bool,
    pub status: WebhookStatus,
    pub disabled_reason: Option<String>,
    pub basic_auth_user: Option<String>,
    pub failing_since: Option<PrimitiveDateTime>,
    pub last_attempt_at: Option<PrimitiveDateTime>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: PrimitiveDateTime,
    pub updated_at: PrimitiveDateTime,
}

/// What people see of a webhook's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Active,
    /// Active, but its last attempts failed.
    Failing,
    Paused,
    Disabled,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Failing => "failing",
            Self::Paused => "paused",
            Self::Disabled => "disabled",
        }
    }
}

/// An extra header as shown: a hidden one without its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownHeader {
    pub name: String,
    pub value: Option<String>,
    pub hidden: bool,
}

#[derive(Debug, Clone)]
pub struct Webhook {
    pub row: WebhookRow,
    /// Until when the previous secret signs too, after a rotation.
    pub rotation_ends: Option<PrimitiveDateTime>,
    /// Empty when `row.all_events`.
    pub event_types: Vec<String>,
    pub headers: Vec<ShownHeader>,
}

impl Webhook {
    pub fn health(&self) -> Health {
        match self.row.status {
            WebhookStatus::Paused => Health::Paused,
            WebhookStatus::Disabled => Health::Disabled,
            WebhookStatus::Active if self.row.failing_since.is_some() => Health::Failing,
            WebhookStatus::Active => Health::Active,
        }
    }

    pub fn events(&self) -> EventChoice {
        if self.row.all_events {
            EventChoice::All
        } else {
            EventChoice::Only(self.event_types.clone())
        }
    }
}

/// The organization's webhooks, oldest first, with their events and headers (three queries).
pub fn list(conn: &mut DbConnection, organization_id: OrganizationId) -> QueryResult<Vec<Webhook>> {
    let rows: Vec<WebhookRow> = webhooks::table
        .filter(webhooks::organization_id.eq(organization_id))
        .order(webhooks::id)
        .select(WebhookRow::as_select())
        .load(conn)?;
    let ids: Vec<WebhookId> = rows.iter().map(|row| row.id).collect();
    let mut types: HashMap<WebhookId, Vec<String>> = HashMap::new();
    for (webhook_id, event_type) in webhook_event_types::table
        .filter(webhook_event_types::webhook_id.eq_any(&ids))
        .order((
            webhook_event_types::webhook_id,
            webhook_event_types::position,
        ))
        .select((
            webhook_event_types::webhook_id,
            webhook_event_types::event_type,
        ))
        .load::<(WebhookId, String)>(conn)?
    {
        types.entry(webhook_id).or_default().push(event_type);
    }
    let mut headers: HashMap<WebhookId, Vec<ShownHeader>> = HashMap::new();
    for (webhook_id, name, value, hidden) in webhook_headers::table
        .filter(webhook_headers::webhook_id.eq_any(&ids))
        .order((webhook_headers::webhook_id, webhook_headers::position))
        .select((
            webhook_headers::webhook_id,
            webhook_headers::name,
            webhook_headers::value,
            webhook_headers::hidden,
        ))
        .load::<(WebhookId, String, String, bool)>(conn)?
    {
        headers.entry(webhook_id).or_default().push(ShownHeader {
            name,
            value: (!hidden).then_some(value),
            hidden,
        });
    }
    let mut rotations: HashMap<WebhookId, PrimitiveDateTime> = HashMap::new();
    for (webhook_id, ends) in webhook_secrets::table
        .filter(webhook_secrets::webhook_id.eq_any(&ids))
        .filter(webhook_secrets::expires_at.is_not_null())
        .select((webhook_secrets::webhook_id, webhook_secrets::expires_at))
        .load::<(WebhookId, Option<PrimitiveDateTime>)>(conn)?
    {
        if let Some(ends) = ends {
            let latest = rotations.entry(webhook_id).or_insert(ends);
            *latest = (*latest).max(ends);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| Webhook {
            rotation_ends: rotations.remove(&row.id),
            event_types: types.remove(&row.id).unwrap_or_default(),
            headers: headers.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

/// One webhook of the organization.
pub fn find(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: WebhookId,
) -> DomainResult<Webhook> {
    let row: WebhookRow = webhooks::table
        .filter(webhooks::id.eq(id))
        .filter(webhooks::organization_id.eq(organization_id))
        .select(WebhookRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(DomainError::NotFound)?;
    let event_types = load_list!(conn, webhook_event_types, event_type; webhook_id = id)?;
    let headers = webhook_headers::table
        .filter(webhook_headers::webhook_id.eq(id))
        .order(webhook_headers::position)
        .select((
            webhook_headers::name,
            webhook_headers::value,
            webhook_headers::hidden,
        ))
        .load::<(String, String, bool)>(conn)?
        .into_iter()
        .map(|(name, value, hidden)| ShownHeader {
            name,
            value: (!hidden).then_some(value),
            hidden,
        })
        .collect();
    let rotation_ends = webhook_secrets::table
        .filter(webhook_secrets::webhook_id.eq(id))
        .select(diesel::dsl::max(webhook_secrets::expires_at))
        .first::<Option<PrimitiveDateTime>>(conn)?;
    Ok(Webhook {
        row,
        rotation_ends,
        event_types,
        headers,
    })
}

/// The names of a webhook's hidden headers and whether it stores a basic-auth password: what an
/// edit may leave empty to keep.
pub fn kept_secrets(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: WebhookId,
) -> DomainResult<(Vec<String>, bool)> {
    let password: Option<String> = webhooks::table
        .filter(webhooks::id.eq(id))
        .filter(webhooks::organization_id.eq(organization_id))
        .select(webhooks::basic_auth_password)
        .first::<Option<String>>(conn)
        .optional()?
        .ok_or(DomainError::NotFound)?;
    let hidden = webhook_headers::table
        .filter(webhook_headers::webhook_id.eq(id))
        .filter(webhook_headers::hidden.eq(true))
        .select(webhook_headers::name)
        .load(conn)?;
    Ok((hidden, password.is_some()))
}

fn event_list(events: &EventChoice) -> (bool, Vec<String>) {
    match events {
        EventChoice::All => (true, Vec::new()),
        EventChoice::Only(types) => {
            let mut unique: Vec<String> = Vec::new();
            for event_type in types {
                if !unique.contains(event_type) {
                    unique.push(event_type.clone());
                }
            }
            (false, unique)
        }
    }
}

/// Creates a webhook; returns it with its signing secret, shown once.
pub fn create(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    input: &WebhookInput,
    allowed: &AllowedNetworks,
    actor: &Actor,
) -> Result<(WebhookId, String), SaveError> {
    let errors = check_input(input, allowed, &[], false);
    if !errors.is_empty() {
        return Err(SaveError::Invalid(errors));
    }
    let count: i64 = webhooks::table
        .filter(webhooks::organization_id.eq(organization_id))
        .count()
        .get_result(conn)?;
    if count >= MAX_WEBHOOKS {
        return Err(SaveError::Invalid(InputErrors {
            url: Some("webhook-too-many"),
            ..InputErrors::default()
        }));
    }
    let secret = webhook_signature::new_secret();
    let (all_events, types) = event_list(&input.events);
    let (user, password) = match &input.basic_auth {
        Some(auth) => (Some(auth.user.trim().to_owned()), auth.password.clone()),
        None => (None, None),
    };
    let id: WebhookId = diesel::insert_into(webhooks::table)
        .values((
            webhooks::organization_id.eq(organization_id),
            webhooks::url.eq(input.url.trim()),
            webhooks::description.eq(input.description.trim()),
            webhooks::all_events.eq(all_events),
            webhooks::status.eq(WebhookStatus::Active),
            webhooks::basic_auth_user.eq(user),
            webhooks::basic_auth_password.eq(password),
            webhooks::created_at.eq(actor.at),
            webhooks::updated_at.eq(actor.at),
        ))
        .returning(webhooks::id)
        .get_result(conn)?;
    diesel::insert_into(webhook_secrets::table)
        .values((
            webhook_secrets::webhook_id.eq(id),
            webhook_secrets::secret.eq(&secret),
            webhook_secrets::created_at.eq(actor.at),
        ))
        .execute(conn)?;
    replace_list!(conn, webhook_event_types, event_type, &types; webhook_id = id);
    store_headers(conn, id, &input.headers, &[])?;
    let mut event = actor
        .event(
            Some(organization_id),
            "webhook.created",
            Some(input.url.trim().to_owned()),
        )
        .on(TargetKind::Webhook, id);
    event.details = Some(change_details(input));
    audit::record(conn, &event)?;
    Ok((id, secret))
}

/// What an audit event says about saved settings: never a password or a header value.
fn change_details(input: &WebhookInput) -> String {
    serde_json::json!({
        "url": input.url.trim(),
        "events": match &input.events {
            EventChoice::All => vec!["*".to_owned()],
            EventChoice::Only(types) => types.clone(),
        },
        "basic_auth_user": input.basic_auth.as_ref().map(|auth| auth.user.trim()),
        "headers": input.headers.iter().map(|header| header.name.trim()).collect::<Vec<_>>(),
    })
    .to_string()
}

/// Replaces the headers, keeping the stored value of each hidden header left empty.
fn store_headers(
    conn: &mut DbConnection,
    id: WebhookId,
    headers: &[HeaderInput],
    stored: &[(String, String, bool)],
) -> QueryResult<()> {
    diesel::delete(webhook_headers::table.filter(webhook_headers::webhook_id.eq(id)))
        .execute(conn)?;
    for (position, header) in (0..).zip(headers) {
        let name = header.name.trim();
        let value = match &header.value {
            Some(value) => value.clone(),
            None => stored
                .iter()
                .find(|(stored_name, _, hidden)| *hidden && stored_name.eq_ignore_ascii_case(name))
                .map(|(_, value, _)| value.clone())
                .unwrap_or_default(),
        };
        diesel::insert_into(webhook_headers::table)
            .values((
                webhook_headers::webhook_id.eq(id),
                webhook_headers::position.eq::<i32>(position),
                webhook_headers::name.eq(name),
                webhook_headers::value.eq(value),
                webhook_headers::hidden.eq(header.hidden),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Changes a webhook's settings (not its status or secret).
pub fn update(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: WebhookId,
    input: &WebhookInput,
    allowed: &AllowedNetworks,
    actor: &Actor,
) -> Result<(), SaveError> {
    let (kept, has_password) = kept_secrets(conn, organization_id, id)?;
    let errors = check_input(input, allowed, &kept, has_password);
    if !errors.is_empty() {
        return Err(SaveError::Invalid(errors));
    }
    let stored: Vec<(String, String, bool)> = webhook_headers::table
        .filter(webhook_headers::webhook_id.eq(id))
        .select((
            webhook_headers::name,
            webhook_headers::value,
            webhook_headers::hidden,
        ))
        .load(conn)?;
    let (all_events, types) = event_list(&input.events);
    let row = webhooks::table.find(id);
    match &input.basic_auth {
        Some(auth) => {
            diesel::update(row)
                .set(webhooks::basic_auth_user.eq(auth.user.trim()))
                .execute(conn)?;
            if let Some(password) = &auth.password {
                diesel::update(row)
                    .set(webhooks::basic_auth_password.eq(password))
                    .execute(conn)?;
            }
        }
        None => {
            diesel::update(row)
                .set((
                    webhooks::basic_auth_user.eq(None::<String>),
                    webhooks::basic_auth_password.eq(None::<String>),
                ))
                .execute(conn)?;
        }
    }
    diesel::update(row)
        .set((
            webhooks::url.eq(input.url.trim()),
            webhooks::description.eq(input.description.trim()),
            webhooks::all_events.eq(all_events),
            webhooks::updated_at.eq(actor.at),
        ))
        .execute(conn)?;
    replace_list!(conn, webhook_event_types, event_type, &types; webhook_id = id);
    store_headers(conn, id, &input.headers, &stored)?;
    let mut event = actor
        .event(
            Some(organization_id),
            "webhook.updated",
            Some(input.url.trim().to_owned()),
        )
        .on(TargetKind::Webhook, id);
    event.details = Some(change_details(input));
    audit::record(conn, &event)?;
    Ok(())
}

/// A new signing secret; the previous one keeps signing for 24 hours beside it.
pub fn rotate_secret(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: WebhookId,
    actor: &Actor,
) -> DomainResult<String> {
    let webhook = find(conn, organization_id, id)?;
    // At most two secrets sign: a second rotation within the day drops the oldest.
    diesel::delete(
        webhook_secrets::table
            .filter(webhook_secrets::webhook_id.eq(id))
            .filter(webhook_secrets::expires_at.is_not_null()),
    )
    .execute(conn)?;
    diesel::update(
        webhook_secrets::table
            .filter(webhook_secrets::webhook_id.eq(id))
            .filter(webhook_secrets::expires_at.is_null()),
    )
    .set(webhook_secrets::expires_at.eq(actor.at + ROTATION_OVERLAP))
    .execute(conn)?;
    let secret = webhook_signature::new_secret();
    diesel::insert_into(webhook_secrets::table)
        .values((
            webhook_secrets::webhook_id.eq(id),
            webhook_secrets::secret.eq(&secret),
            webhook_secrets::created_at.eq(actor.at),
        ))
        .execute(conn)?;
    diesel::update(webhooks::table.find(id))
        .set(webhooks::updated_at.eq(actor.at))
        .execute(conn)?;
    audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "webhook.secret-rotated",
                Some(webhook.row.url),
            )
            .on(TargetKind::Webhook, id),
    )?;
    Ok(secret)
}

/// Pauses an active (or failing) webhook: it receives nothing new and sends nothing until resumed.
pub fn pause(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: WebhookId,
    actor: &Actor,
) -> DomainResult<()> {
    let webhook = find(conn, organization_id, id)?;
    if webhook.row.status != WebhookStatus::Active {
        return crate::domain::rules::refuse("webhook-not-active");
    }
    set_status(conn, id, WebhookStatus::Paused, None, actor.at)?;
    Ok(audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "webhook.paused",
                Some(webhook.row.url),
            )
            .on(TargetKind::Webhook, id),
    )?)
}

/// Resumes a paused or disabled webhook. For a disabled one, `replay` sends again every delivery
/// that failed since its failures began. Returns how many were queued again.
pub fn resume(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: WebhookId,
    replay: bool,
    actor: &Actor,
) -> DomainResult<usize> {
    let webhook = find(conn, organization_id, id)?;
    if webhook.row.status == WebhookStatus::Active {
        return crate::domain::rules::refuse("webhook-already-active");
    }
    let failing_since = webhook.row.failing_since;
    set_status(conn, id, WebhookStatus::Active, None, actor.at)?;
    diesel::update(webhooks::table.find(id))
        .set(webhooks::failing_since.eq(None::<PrimitiveDateTime>))
        .execute(conn)?;
    let replayed = match (replay, failing_since) {
        (true, Some(since)) => replay_failed(conn, id, since, actor.at)?,
        _ => 0,
    };
    let mut event = actor
        .event(
            Some(organization_id),
            "webhook.resumed",
            Some(webhook.row.url),
        )
        .on(TargetKind::Webhook, id);
    event.details = Some(serde_json::json!({ "replayed": replayed }).to_string());
    audit::record(conn, &event)?;
    Ok(replayed)
}

fn set_status(
    conn: &mut DbConnection,
    id: WebhookId,
    status: WebhookStatus,
    reason: Option<&str>,
    at: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(webhooks::table.find(id))
        .set((
            webhooks::status.eq(status),
            webhooks::disabled_reason.eq(reason),
            webhooks::updated_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Deletes a webhook with its deliveries.
pub fn delete(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: WebhookId,
    actor: &Actor,
) -> DomainResult<()> {
    let webhook = find(conn, organization_id, id)?;
    // Deliveries first: their events go with the last delivery that points at them.
    let event_ids: Vec<i64> = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(id))
        .select(webhook_deliveries::event_id)
        .load(conn)?;
    diesel::delete(webhooks::table.find(id)).execute(conn)?;
    for chunk in event_ids.chunks(500) {
        diesel::delete(
            webhook_events::table
                .filter(webhook_events::id.eq_any(chunk))
                .filter(diesel::dsl::not(diesel::dsl::exists(
                    webhook_deliveries::table
                        .filter(webhook_deliveries::event_id.eq(webhook_events::id)),
                ))),
        )
        .execute(conn)?;
    }
    Ok(audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "webhook.deleted",
                Some(webhook.row.url),
            )
            .on(TargetKind::Webhook, id),
    )?)
}

/// Queues a test event for the webhook (whatever its status: people test a paused one too; it
/// goes out once the webhook is active).
pub fn send_test_event(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    organization_name: &str,
    id: WebhookId,
    actor: &Actor,
) -> DomainResult<i64> {
    let webhook = find(conn, organization_id, id)?;
    let delivery_id =
        events::queue_test_event(conn, organization_id, id.get(), organization_name, actor.at)?;
    audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "webhook.test-sent",
                Some(webhook.row.url),
            )
            .on(TargetKind::Webhook, id),
    )?;
    Ok(delivery_id)
}

/// One delivery as the deliveries page lists it.
#[derive(Debug, Clone, Queryable)]
pub struct DeliveryRow {
    pub id: i64,
    pub status: WebhookDeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: PrimitiveDateTime,
    pub created_at: PrimitiveDateTime,
    pub finished_at: Option<PrimitiveDateTime>,
    pub message_id: String,
    pub event_type: String,
}

#[derive(Debug, Clone, Queryable)]
pub struct AttemptRow {
    pub delivery_id: i64,
    pub attempted_at: PrimitiveDateTime,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub latency_ms: i32,
    pub response_body: Option<String>,
}

/// A webhook's deliveries, newest first, before the delivery `before` when given (keyset
/// paging), each with its attempts (one query for the page's attempts).
pub fn deliveries(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: WebhookId,
    before: Option<i64>,
    limit: i64,
) -> DomainResult<Vec<(DeliveryRow, Vec<AttemptRow>)>> {
    find(conn, organization_id, id)?;
    let mut query = webhook_deliveries::table
        .inner_join(webhook_events::table)
        .filter(webhook_deliveries::webhook_id.eq(id))
        .order(webhook_deliveries::id.desc())
        .limit(limit)
        .select((
            webhook_deliveries::id,
            webhook_deliveries::status,
            webhook_deliveries::attempts,
            webhook_deliveries::next_attempt_at,
            webhook_deliveries::created_at,
            webhook_deliveries::finished_at,
            webhook_events::message_id,
            webhook_events::event_type,
        ))
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(webhook_deliveries::id.lt(before));
    }
    let rows: Vec<DeliveryRow> = query.load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let mut attempts: HashMap<i64, Vec<AttemptRow>> = HashMap::new();
    for attempt in webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(&ids))
        .order((webhook_attempts::delivery_id, webhook_attempts::id.desc()))
        .select((
            webhook_attempts::delivery_id,
            webhook_attempts::attempted_at,
            webhook_attempts::status_code,
            webhook_attempts::error,
            webhook_attempts::latency_ms,
            webhook_attempts::response_body,
        ))
        .load::<AttemptRow>(conn)?
    {
        attempts
            .entry(attempt.delivery_id)
            .or_default()
            .push(attempt);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let its = attempts.remove(&row.id).unwrap_or_default();
            (row, its)
        })
        .collect())
}

/// Sends one delivery of the webhook again, now, with the same id and body (one still waiting
/// goes now instead of at its next retry).
pub fn redeliver(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: WebhookId,
    delivery_id: i64,
    actor: &Actor,
) -> DomainResult<()> {
    let webhook = find(conn, organization_id, id)?;
    let updated = diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::id.eq(delivery_id))
            .filter(webhook_deliveries::webhook_id.eq(id)),
    )
    .set(requeue(actor.at))
    .execute(conn)?;
    if updated == 0 {
        return Err(DomainError::NotFound);
    }
    let mut event = actor
        .event(
            Some(organization_id),
            "webhook.redelivered",
            Some(webhook.row.url),
        )
        .on(TargetKind::Webhook, id);
    event.details = Some(serde_json::json!({ "delivery": delivery_id }).to_string());
    Ok(audit::record(conn, &event)?)
}

/// Sends again every failed delivery of the webhook created at or after `since`.
pub fn replay_failed_since(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: WebhookId,
    since: PrimitiveDateTime,
    actor: &Actor,
) -> DomainResult<usize> {
    let webhook = find(conn, organization_id, id)?;
    let count = replay_failed(conn, id, since, actor.at)?;
    let mut event = actor
        .event(
            Some(organization_id),
            "webhook.replayed",
            Some(webhook.row.url),
        )
        .on(TargetKind::Webhook, id);
    event.details =
        Some(serde_json::json!({ "since": events::rfc3339(since), "count": count }).to_string());
    audit::record(conn, &event)?;
    Ok(count)
}

fn replay_failed(
    conn: &mut DbConnection,
    id: WebhookId,
    since: PrimitiveDateTime,
    now: PrimitiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::webhook_id.eq(id))
            .filter(webhook_deliveries::status.eq(WebhookDeliveryStatus::Failed))
            .filter(webhook_deliveries::created_at.ge(since)),
    )
    .set(requeue(now))
    .execute(conn)
}

#[allow(clippy::type_complexity)]
fn requeue(
    now: PrimitiveDateTime,
) -> (
    diesel::dsl::Eq<webhook_deliveries::status, WebhookDeliveryStatus>,
    diesel::dsl::Eq<webhook_deliveries::attempts, i32>,
    diesel::dsl::Eq<webhook_deliveries::next_attempt_at, PrimitiveDateTime>,
    diesel::dsl::Eq<webhook_deliveries::claimed_until, Option<PrimitiveDateTime>>,
    diesel::dsl::Eq<webhook_deliveries::finished_at, Option<PrimitiveDateTime>>,
) {
    (
        webhook_deliveries::status.eq(WebhookDeliveryStatus::Pending),
        webhook_deliveries::attempts.eq(0),
        webhook_deliveries::next_attempt_at.eq(now),
        webhook_deliveries::claimed_until.eq(None),
        webhook_deliveries::finished_at.eq(None),
    )
}

/// Everything one attempt needs, read when it is claimed.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    pub id: i64,
    pub attempts: i32,
    pub webhook_id: WebhookId,
    pub organization_id: OrganizationId,
    pub url: String,
    pub basic_auth: Option<(String, String)>,
    /// Name and value of each extra header, hidden ones included.
    pub headers: Vec<(String, String)>,
    /// The current secret first, then the previous one during a rotation.
    pub secrets: Vec<String>,
    pub message_id: String,
    pub payload: String,
}

#[derive(Queryable)]
struct DueRow {
    id: i64,
    attempts: i32,
    webhook_id: WebhookId,
    organization_id: OrganizationId,
    url: String,
    basic_auth_user: Option<String>,
    basic_auth_password: Option<String>,
    message_id: String,
    payload: String,
}

/// Claims due deliveries of active webhooks for one worker pass (a lease, so several workers and
/// instances never attempt the same delivery at once).
pub fn claim_due(
    conn: &mut DbConnection,
    now: PrimitiveDateTime,
    limit: i64,
) -> QueryResult<Vec<DueDelivery>> {
    // A read first: polling an idle queue every second must not take the write lock each time.
    let any_due: bool = diesel::select(diesel::dsl::exists(
        webhook_deliveries::table
            .filter(webhook_deliveries::status.eq(WebhookDeliveryStatus::Pending))
            .filter(webhook_deliveries::next_attempt_at.le(now))
            .filter(
                webhook_deliveries::claimed_until
                    .is_null()
                    .or(webhook_deliveries::claimed_until.le(now)),
            ),
    ))
    .get_result(conn)?;
    if !any_due {
        return Ok(Vec::new());
    }
    let ids = db::claim_due_webhook_deliveries(conn, now, now + CLAIM_LEASE, limit)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<DueRow> = webhook_deliveries::table
        .inner_join(webhooks::table)
        .inner_join(webhook_events::table)
        .filter(webhook_deliveries::id.eq_any(&ids))
        .order((webhook_deliveries::next_attempt_at, webhook_deliveries::id))
        .select((
            webhook_deliveries::id,
            webhook_deliveries::attempts,
            webhooks::id,
            webhooks::organization_id,
            webhooks::url,
            webhooks::basic_auth_user,
            webhooks::basic_auth_password,
            webhook_events::message_id,
            webhook_events::payload,
        ))
        .load(conn)?;
    let webhook_ids: Vec<WebhookId> = rows.iter().map(|row| row.webhook_id).collect();
    let mut headers: HashMap<WebhookId, Vec<(String, String)>> = HashMap::new();
    for (webhook_id, name, value) in webhook_headers::table
        .filter(webhook_headers::webhook_id.eq_any(&webhook_ids))
        .order((webhook_headers::webhook_id, webhook_headers::position))
        .select((
            webhook_headers::webhook_id,
            webhook_headers::name,
            webhook_headers::value,
        ))
        .load::<(WebhookId, String, String)>(conn)?
    {
        headers.entry(webhook_id).or_default().push((name, value));
    }
    let mut secrets: HashMap<WebhookId, Vec<(Option<PrimitiveDateTime>, String)>> = HashMap::new();
    for (webhook_id, secret, expires_at) in webhook_secrets::table
        .filter(webhook_secrets::webhook_id.eq_any(&webhook_ids))
        .filter(
            webhook_secrets::expires_at
                .is_null()
                .or(webhook_secrets::expires_at.gt(now)),
        )
        .select((
            webhook_secrets::webhook_id,
            webhook_secrets::secret,
            webhook_secrets::expires_at,
        ))
        .load::<(WebhookId, String, Option<PrimitiveDateTime>)>(conn)?
    {
        secrets
            .entry(webhook_id)
            .or_default()
            .push((expires_at, secret));
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            // The current secret (no end) first.
            let mut signing = secrets.get(&row.webhook_id).cloned().unwrap_or_default();
            signing.sort_by_key(|(expires_at, _)| expires_at.is_some());
            let secrets = signing.into_iter().map(|(_, secret)| secret).collect();
            DueDelivery {
                id: row.id,
                attempts: row.attempts,
                webhook_id: row.webhook_id,
                organization_id: row.organization_id,
                basic_auth: row.basic_auth_user.zip(row.basic_auth_password),
                headers: headers.get(&row.webhook_id).cloned().unwrap_or_default(),
                url: row.url,
                secrets,
                message_id: row.message_id,
                payload: row.payload,
            }
        })
        .collect())
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub enum AttemptResult {
    /// The receiver answered. `retry_after` from a 429 or 503.
    Answered {
        status: u16,
        body: String,
        retry_after: Option<Duration>,
    },
    /// No answer: refused address, DNS, connection, TLS, timeout.
    NoAnswer(String),
}

/// What recording an attempt did to the webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Delivered,
    WillRetry,
    GaveUp,
    /// The receiver answered 410 Gone: the webhook is disabled.
    DisabledGone,
    /// Five days of only failures: the webhook is disabled (its owner is told).
    DisabledFailing,
}

/// The wait before the next attempt after `failures` failed ones, or None after the eighth.
/// `jitter` in [-1, 1] moves it by up to a tenth, so receivers that come back are not hit by
/// every retry at once.
pub fn retry_wait(failures: i32, jitter: f64) -> Option<Duration> {
    let index = usize::try_from(failures).ok()?.checked_sub(1)?;
    let wait = *RETRY_WAITS.get(index)?;
    Some(wait + wait * (jitter.clamp(-1.0, 1.0) * 0.1))
}

/// Records an attempt and decides what follows: delivered, a retry (by the schedule, or when a
/// 429 or 503 said, up to 10 h), given up, or the webhook disabled.
pub fn record_attempt(
    conn: &mut DbConnection,
    delivery: &DueDelivery,
    result: &AttemptResult,
    latency_ms: i32,
    jitter: f64,
    now: PrimitiveDateTime,
) -> QueryResult<Recorded> {
    let (status_code, error, body) = match result {
        AttemptResult::Answered { status, body, .. } => {
            (Some(i32::from(*status)), None, Some(kept_body(body)))
        }
        AttemptResult::NoAnswer(error) => (
            None,
            Some(error.chars().take(500).collect::<String>()),
            None,
        ),
    };
    diesel::insert_into(webhook_attempts::table)
        .values((
            webhook_attempts::delivery_id.eq(delivery.id),
            webhook_attempts::attempted_at.eq(now),
            webhook_attempts::status_code.eq(status_code),
            webhook_attempts::error.eq(&error),
            webhook_attempts::latency_ms.eq(latency_ms),
            webhook_attempts::response_body.eq(body),
        ))
        .execute(conn)?;
    diesel::update(webhooks::table.find(delivery.webhook_id))
        .set((
            webhooks::last_attempt_at.eq(now),
            webhooks::last_status_code.eq(status_code),
            webhooks::last_error.eq(&error),
        ))
        .execute(conn)?;
    let attempts = delivery.attempts + 1;
    let this = webhook_deliveries::table.find(delivery.id);
    let success =
        matches!(result, AttemptResult::Answered { status, .. } if (200..300).contains(status));
    if success {
        diesel::update(this)
            .set((
                webhook_deliveries::status.eq(WebhookDeliveryStatus::Delivered),
                webhook_deliveries::attempts.eq(attempts),
                webhook_deliveries::claimed_until.eq(None::<PrimitiveDateTime>),
                webhook_deliveries::finished_at.eq(now),
            ))
            .execute(conn)?;
        diesel::update(webhooks::table.find(delivery.webhook_id))
            .set(webhooks::failing_since.eq(None::<PrimitiveDateTime>))
            .execute(conn)?;
        return Ok(Recorded::Delivered);
    }
    let failing_since: Option<PrimitiveDateTime> = webhooks::table
        .find(delivery.webhook_id)
        .select(webhooks::failing_since)
        .first(conn)?;
    if failing_since.is_none() {
        diesel::update(webhooks::table.find(delivery.webhook_id))
            .set(webhooks::failing_since.eq(now))
            .execute(conn)?;
    }
    let gone = matches!(result, AttemptResult::Answered { status: 410, .. });
    let failing_too_long = failing_since.is_some_and(|since| now - since >= FAILING_LIMIT);
    if gone || failing_too_long {
        finish(conn, delivery.id, attempts, now)?;
        disable(
            conn,
            delivery.webhook_id,
            if gone { "gone" } else { "failing" },
            now,
        )?;
        return Ok(if gone {
            Recorded::DisabledGone
        } else {
            Recorded::DisabledFailing
        });
    }
    let asked = match result {
        AttemptResult::Answered {
            status: 429 | 503,
            retry_after: Some(wait),
            ..
        } => Some((*wait).clamp(Duration::ZERO, Duration::hours(10))),
        _ => None,
    };
    match retry_wait(attempts, jitter) {
        Some(scheduled) => {
            diesel::update(this)
                .set((
                    webhook_deliveries::attempts.eq(attempts),
                    webhook_deliveries::next_attempt_at.eq(now + asked.unwrap_or(scheduled)),
                    webhook_deliveries::claimed_until.eq(None::<PrimitiveDateTime>),
                ))
                .execute(conn)?;
            Ok(Recorded::WillRetry)
        }
        None => {
            finish(conn, delivery.id, attempts, now)?;
            Ok(Recorded::GaveUp)
        }
    }
}

fn finish(
    conn: &mut DbConnection,
    delivery_id: i64,
    attempts: i32,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(webhook_deliveries::table.find(delivery_id))
        .set((
            webhook_deliveries::status.eq(WebhookDeliveryStatus::Failed),
            webhook_deliveries::attempts.eq(attempts),
            webhook_deliveries::claimed_until.eq(None::<PrimitiveDateTime>),
            webhook_deliveries::finished_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Disables a webhook; what still waited for it fails (re-enabling can replay it).
fn disable(
    conn: &mut DbConnection,
    id: WebhookId,
    reason: &str,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    set_status(conn, id, WebhookStatus::Disabled, Some(reason), now)?;
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::webhook_id.eq(id))
            .filter(webhook_deliveries::status.eq(WebhookDeliveryStatus::Pending)),
    )
    .set((
        webhook_deliveries::status.eq(WebhookDeliveryStatus::Failed),
        webhook_deliveries::claimed_until.eq(None::<PrimitiveDateTime>),
        webhook_deliveries::finished_at.eq(now),
    ))
    .execute(conn)?;
    let (organization_id, url): (OrganizationId, String) = webhooks::table
        .find(id)
        .select((webhooks::organization_id, webhooks::url))
        .first(conn)?;
    let system = Actor::system(now);
    let mut event = system
        .event(Some(organization_id), "webhook.disabled", Some(url))
        .on(TargetKind::Webhook, id);
    event.details = Some(serde_json::json!({ "reason": reason }).to_string());
    audit::record(conn, &event)
}

/// The first 4 KB of an answer, cut at a character boundary.
fn kept_body(body: &str) -> String {
    let mut end = body.len().min(RESPONSE_BODY_KEPT);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    body[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed() -> AllowedNetworks {
        AllowedNetworks::new(vec!["127.0.0.1/32".parse().unwrap()])
    }

    #[test]
    fn urls_are_https_or_http_to_allowed_addresses() {
        let none = AllowedNetworks::default();
        assert!(parse_url("https://hooks.example.com/in", &none).is_ok());
        assert_eq!(
            parse_url("http://hooks.example.com/in", &none),
            Err("webhook-url-http")
        );
        assert_eq!(
            parse_url("http://127.0.0.1:9/in", &none),
            Err("webhook-url-http")
        );
        assert!(parse_url("http://127.0.0.1:9/in", &allowed()).is_ok());
        assert_eq!(
            parse_url("https://169.254.169.254/latest", &allowed()),
            Err("webhook-url-address")
        );
        assert_eq!(
            parse_url("https://user:pw@hooks.example.com/", &none),
            Err("webhook-url-credentials")
        );
        assert_eq!(
            parse_url("ftp://example.com/", &none),
            Err("webhook-url-invalid")
        );
        assert_eq!(parse_url("  ", &none), Err("webhook-url-required"));
    }

    fn input(headers: Vec<HeaderInput>) -> WebhookInput {
        WebhookInput {
            url: "https://hooks.example.com/in".into(),
            description: String::new(),
            events: EventChoice::All,
            basic_auth: None,
            headers,
        }
    }

    fn header(name: &str, value: Option<&str>, hidden: bool) -> HeaderInput {
        HeaderInput {
            name: name.into(),
            value: value.map(str::to_owned),
            hidden,
        }
    }

    #[test]
    fn headers_are_checked_and_hidden_values_may_be_kept() {
        let none = AllowedNetworks::default();
        let check =
            |headers, kept: &[String]| check_input(&input(headers), &none, kept, false).headers;
        assert_eq!(check(vec![header("X-Api-Key", Some("k"), true)], &[]), None);
        assert_eq!(
            check(vec![header("X-Api-Key", None, true)], &[]),
            Some("webhook-header-value-required")
        );
        assert_eq!(
            check(
                vec![header("x-api-key", None, true)],
                &["X-Api-Key".to_owned()]
            ),
            None
        );
        assert_eq!(
            check(vec![header("Webhook-Signature", Some("x"), false)], &[]),
            Some("webhook-header-reserved")
        );
        assert_eq!(
            check(vec![header("Bad Name", Some("x"), false)], &[]),
            Some("webhook-header-name-invalid")
        );
        assert_eq!(
            check(vec![header("X-A", Some("a\r\nInjected: 1"), false)], &[]),
            Some("webhook-header-value-invalid")
        );
        assert_eq!(
            check(
                vec![
                    header("X-A", Some("1"), false),
                    header("x-a", Some("2"), false)
                ],
                &[]
            ),
            Some("webhook-header-twice")
        );
    }

    #[test]
    fn events_must_be_known() {
        let none = AllowedNetworks::default();
        let mut typed = input(Vec::new());
        typed.events = EventChoice::Only(vec!["member.invited".into()]);
        assert!(check_input(&typed, &none, &[], false).is_empty());
        typed.events = EventChoice::Only(vec!["account.signed-in".into()]);
        assert_eq!(
            check_input(&typed, &none, &[], false).events,
            Some("webhook-events-unknown")
        );
        typed.events = EventChoice::Only(Vec::new());
        assert_eq!(
            check_input(&typed, &none, &[], false).events,
            Some("webhook-events-required")
        );
    }

    #[test]
    fn retries_follow_the_schedule_with_a_tenth_of_jitter() {
        assert_eq!(retry_wait(1, 0.0), Some(Duration::seconds(5)));
        assert_eq!(retry_wait(2, 0.0), Some(Duration::minutes(5)));
        assert_eq!(retry_wait(4, 0.0), Some(Duration::hours(2)));
        assert_eq!(retry_wait(7, 0.0), Some(Duration::hours(10)));
        assert_eq!(retry_wait(8, 0.0), None);
        assert_eq!(retry_wait(0, 0.0), None);
        assert_eq!(retry_wait(3, 1.0), Some(Duration::minutes(33)));
        assert_eq!(retry_wait(3, -1.0), Some(Duration::minutes(27)));
    }

    #[test]
    fn kept_bodies_end_on_a_character() {
        let long = "é".repeat(3000);
        let kept = kept_body(&long);
        assert!(kept.len() <= RESPONSE_BODY_KEPT && kept.chars().all(|c| c == 'é'));
    }
}
