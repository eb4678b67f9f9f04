//! Single sign-on per organization (OpenID Connect): the provider's settings, whether SSO is on,
//! the members who bypass it, the rule that nobody is a member of an SSO organization and of a
//! non-SSO one at once, and the round trips to the provider under way.
//!
//! The client secret is sealed with the server's secret key (bound to `sso:<organization>`) and
//! never shown again. SSO can be turned on only after a round trip with exactly the saved
//! settings succeeded (their fingerprint is kept with the test), and while it is on, settings
//! that were not tested are refused: a typo never locks an organization out.

use diesel::prelude::*;
use sha2::{Digest, Sha256};
use time::{Duration, PrimitiveDateTime};

use crate::crypto::sealed::SecretKey;
use crate::crypto::token::hash_token;
use crate::db::DbConnection;
use crate::db::schema::{
    accounts, memberships, organizations, sso_bypass, sso_connections, sso_requests,
};
use crate::domain::account::EmailAddress;
use crate::domain::audit::{self, Actor, FieldChange};
use crate::domain::ids::{AccountId, OrganizationId};
use crate::domain::rules::{DomainResult, refuse};

pub const DEFAULT_EMAIL_CLAIM: &str = "email";
/// How long a round trip to the provider may take, from the redirect to the return.
pub const REQUEST_LIFETIME: Duration = Duration::minutes(10);

fn seal_context(organization_id: OrganizationId) -> String {
    format!("sso:{organization_id}")
}

/// Settings under test travel sealed apart from the saved secret.
fn test_seal_context(organization_id: OrganizationId) -> String {
    format!("sso-test:{organization_id}")
}

/// The provider's settings, the secret in the clear (only ever in memory).
#[derive(Clone, PartialEq, Eq)]
pub struct ProviderSettings {
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub email_claim: String,
}

impl std::fmt::Debug for ProviderSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderSettings")
            .field("issuer_url", &self.issuer_url)
            .field("client_id", &self.client_id)
            .field("email_claim", &self.email_claim)
            .finish_non_exhaustive()
    }
}

impl ProviderSettings {
    /// What a test proved: these exact settings (the secret only as part of a hash).
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        for part in [
            &self.issuer_url,
            &self.client_id,
            &self.client_secret,
            &self.email_claim,
        ] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        hex::encode(hasher.finalize())
    }

    /// Settings as typed: a trimmed http(s) issuer URL (http only for this machine, as a test
    /// provider is), a client id, a secret and a claim name. The message key of the first
    /// problem.
    pub fn parse(
        issuer_url: &str,
        client_id: &str,
        client_secret: &str,
        email_claim: &str,
    ) -> Result<Self, (&'static str, &'static str)> {
        let issuer_url = issuer_url.trim().trim_end_matches('/').to_owned();
        let parsed =
            url::Url::parse(&issuer_url).map_err(|_| ("issuer_url", "sso-issuer-invalid"))?;
        let local = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        if !(parsed.scheme() == "https" || (parsed.scheme() == "http" && local))
            || parsed.query().is_some()
            || parsed.fragment().is_some()
        {
            return Err(("issuer_url", "sso-issuer-invalid"));
        }
        let client_id = client_id.trim().to_owned();
        if client_id.is_empty() || client_id.len() > 255 || client_id.chars().any(char::is_control)
        {
            return Err(("client_id", "sso-client-id-required"));
        }
        if client_secret.is_empty() || client_secret.len() > 1024 {
            return Err(("client_secret", "sso-client-secret-required"));
        }
        let email_claim = match email_claim.trim() {
            "" => DEFAULT_EMAIL_CLAIM.to_owned(),
            claim
                if claim.len() <= 100
                    && claim
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_-.:/".contains(c)) =>
            {
                claim.to_owned()
            }
            _ => return Err(("email_claim", "sso-email-claim-invalid")),
        };
        Ok(Self {
            issuer_url,
            client_id,
            client_secret: client_secret.to_owned(),
            email_claim,
        })
    }

    /// For a test round trip of settings not saved yet: sealed, as the stored secret is.
    pub fn seal(&self, key: &SecretKey, organization_id: OrganizationId) -> String {
        let text = serde_json::json!([
            self.issuer_url,
            self.client_id,
            self.client_secret,
            self.email_claim
        ])
        .to_string();
        key.seal(text.as_bytes(), &test_seal_context(organization_id))
    }

    pub fn open(key: &SecretKey, organization_id: OrganizationId, sealed: &str) -> Option<Self> {
        let plain = key.open(sealed, &test_seal_context(organization_id))?;
        let [issuer_url, client_id, client_secret, email_claim]: [String; 4] =
            serde_json::from_slice(&plain).ok()?;
        Some(Self {
            issuer_url,
            client_id,
            client_secret,
            email_claim,
        })
    }
}

/// The organization's SSO as its policy page shows it (never the secret).
#[derive(Debug, Clone)]
pub struct Connection {
    pub issuer_url: String,
    pub client_id: String,
    pub email_claim: String,
    pub enabled: bool,
    /// When the saved settings last passed a test (none when they changed since).
    pub tested_at: Option<PrimitiveDateTime>,
    pub end_session_url: Option<String>,
}

#[derive(Queryable)]
struct Row {
    issuer_url: String,
    client_id: String,
    client_secret_sealed: String,
    email_claim: String,
    enabled: bool,
    tested_fingerprint: Option<String>,
    tested_at: Option<PrimitiveDateTime>,
    end_session_url: Option<String>,
}

fn row(conn: &mut DbConnection, organization_id: OrganizationId) -> QueryResult<Option<Row>> {
    sso_connections::table
        .find(organization_id)
        .select((
            sso_connections::issuer_url,
            sso_connections::client_id,
            sso_connections::client_secret_sealed,
            sso_connections::email_claim,
            sso_connections::enabled,
            sso_connections::tested_fingerprint,
            sso_connections::tested_at,
            sso_connections::end_session_url,
        ))
        .first(conn)
        .optional()
}

/// The saved settings, with the secret opened (`None` when none are saved, or the secret does
/// not open with this key).
pub fn settings(
    conn: &mut DbConnection,
    key: &SecretKey,
    organization_id: OrganizationId,
) -> QueryResult<Option<ProviderSettings>> {
    Ok(row(conn, organization_id)?.and_then(|row| opened(&row, key, organization_id)))
}

fn opened(row: &Row, key: &SecretKey, organization_id: OrganizationId) -> Option<ProviderSettings> {
    let secret = key.open(&row.client_secret_sealed, &seal_context(organization_id))?;
    Some(ProviderSettings {
        issuer_url: row.issuer_url.clone(),
        client_id: row.client_id.clone(),
        client_secret: String::from_utf8(secret).ok()?,
        email_claim: row.email_claim.clone(),
    })
}

pub fn connection(
    conn: &mut DbConnection,
    key: &SecretKey,
    organization_id: OrganizationId,
) -> QueryResult<Option<Connection>> {
    Ok(row(conn, organization_id)?.map(|row| {
        let current = opened(&row, key, organization_id).map(|s| s.fingerprint());
        Connection {
            tested_at: row
                .tested_at
                .filter(|_| current.is_some() && row.tested_fingerprint == current),
            issuer_url: row.issuer_url,
            client_id: row.client_id,
            email_claim: row.email_claim,
            enabled: row.enabled,
            end_session_url: row.end_session_url,
        }
    }))
}

/// Whether any organization signs in through its provider (the sign-in page then says that
/// its members leave the password empty).
pub fn offered(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        sso_connections::table.filter(sso_connections::enabled.eq(true)),
    ))
    .get_result(conn)
}

/// Whether the organization signs its members in through its provider.
pub fn is_enabled(conn: &mut DbConnection, organization_id: OrganizationId) -> QueryResult<bool> {
    Ok(sso_connections::table
        .find(organization_id)
        .select(sso_connections::enabled)
        .first(conn)
        .optional()?
        .unwrap_or(false))
}

/// Saves the settings (a blank secret keeps the saved one: the caller fills it in). While SSO is
/// on, only settings that passed a test are taken. Records `sso.settings-changed`.
pub fn save_settings(
    conn: &mut DbConnection,
    key: &SecretKey,
    organization_id: OrganizationId,
    new: &ProviderSettings,
    tested: Option<(&str, Option<&str>)>,
    actor: &Actor,
) -> DomainResult<()> {
    let before = row(conn, organization_id)?;
    let fingerprint = new.fingerprint();
    let already_tested = before
        .as_ref()
        .and_then(|row| row.tested_fingerprint.as_deref())
        == Some(fingerprint.as_str());
    let is_tested = already_tested || tested.is_some_and(|(print, _)| print == fingerprint);
    if before.as_ref().is_some_and(|row| row.enabled) && !is_tested {
        return refuse("sso-test-before-saving");
    }
    let sealed = key.seal(new.client_secret.as_bytes(), &seal_context(organization_id));
    let end_session_url = match tested {
        Some((print, end_session)) if print == fingerprint => end_session.map(str::to_owned),
        _ => before.as_ref().and_then(|row| row.end_session_url.clone()),
    };
    let (tested_fingerprint, tested_at) = match (&before, tested) {
        (_, Some((print, _))) if print == fingerprint => {
            (Some(fingerprint.clone()), Some(actor.at))
        }
        (Some(row), _) => (row.tested_fingerprint.clone(), row.tested_at),
        (None, _) => (None, None),
    };
    let enabled = before.as_ref().is_some_and(|row| row.enabled);
    diesel::delete(sso_connections::table.find(organization_id)).execute(conn)?;
    diesel::insert_into(sso_connections::table)
        .values((
            sso_connections::organization_id.eq(organization_id),
            sso_connections::issuer_url.eq(&new.issuer_url),
            sso_connections::client_id.eq(&new.client_id),
            sso_connections::client_secret_sealed.eq(&sealed),
            sso_connections::email_claim.eq(&new.email_claim),
            sso_connections::enabled.eq(enabled),
            sso_connections::tested_fingerprint.eq(tested_fingerprint),
            sso_connections::tested_at.eq(tested_at),
            sso_connections::end_session_url.eq(end_session_url),
            sso_connections::updated_at.eq(actor.at),
        ))
        .execute(conn)?;
    let (old_issuer, old_client, old_claim, old_secret) = before
        .as_ref()
        .map(|row| {
            (
                row.issuer_url.clone(),
                row.client_id.clone(),
                row.email_claim.clone(),
                opened(row, key, organization_id).map(|old| old.client_secret),
            )
        })
        .unwrap_or_default();
    let mut changes = Vec::new();
    if old_issuer != new.issuer_url {
        changes.push(FieldChange::new(
            "issuer-url",
            old_issuer,
            new.issuer_url.clone(),
        ));
    }
    if old_client != new.client_id {
        changes.push(FieldChange::new(
            "client-id",
            old_client,
            new.client_id.clone(),
        ));
    }
    if old_claim != new.email_claim {
        changes.push(FieldChange::new(
            "email-claim",
            old_claim,
            new.email_claim.clone(),
        ));
    }
    if old_secret.as_deref() != Some(new.client_secret.as_str()) {
        changes.push(FieldChange::secret("client-secret"));
    }
    if !changes.is_empty() {
        audit::record(
            conn,
            &actor
                .event(Some(organization_id), "sso.settings-changed", None)
                .with_changes(&changes),
        )?;
    }
    Ok(())
}

/// Members of the organization who also belong to an organization without SSO and are not on
/// its bypass list: they block turning SSO on (a person is in SSO organizations or in others,
/// never both). Their emails, sorted.
pub fn blocking_members(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<Vec<String>> {
    // Three queries whatever the size of the organization: its members, those of them with a
    // membership in an organization whose SSO is not on, and the bypass list.
    let ours = diesel::alias!(memberships as ours);
    let members = ours
        .filter(ours.field(memberships::organization_id).eq(organization_id))
        .select(ours.field(memberships::account_id));
    let in_non_sso: std::collections::HashSet<AccountId> = memberships::table
        .left_join(
            sso_connections::table.on(sso_connections::organization_id
                .eq(memberships::organization_id)
                .and(sso_connections::enabled.eq(true))),
        )
        .filter(memberships::organization_id.ne(organization_id))
        .filter(sso_connections::organization_id.nullable().is_null())
        .filter(memberships::account_id.eq_any(members))
        .select(memberships::account_id)
        .load(conn)?
        .into_iter()
        .collect();
    if in_non_sso.is_empty() {
        return Ok(Vec::new());
    }
    let bypassed = bypass_list(conn, organization_id)?;
    let emails: Vec<(AccountId, String)> = memberships::table
        .inner_join(accounts::table)
        .filter(memberships::organization_id.eq(organization_id))
        .select((accounts::id, accounts::email))
        .order(accounts::email.asc())
        .load(conn)?;
    Ok(emails
        .into_iter()
        .filter(|(account_id, email)| in_non_sso.contains(account_id) && !bypassed.contains(email))
        .map(|(_, email)| email)
        .collect())
}

/// Why someone may not join the organization, under the SSO membership rule: they belong to an
/// organization with the other setting (the bypass list of the SSO side exempts them).
pub fn joining_refusal(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    email: &str,
) -> QueryResult<Option<&'static str>> {
    let Ok(parsed) = EmailAddress::parse(email) else {
        return Ok(None);
    };
    let Some(account) = crate::domain::account::find_by_email(conn, &parsed)? else {
        return Ok(None);
    };
    let joining_sso = is_enabled(conn, organization_id)?;
    let others: Vec<OrganizationId> = memberships::table
        .filter(memberships::account_id.eq(account.id))
        .filter(memberships::organization_id.ne(organization_id))
        .select(memberships::organization_id)
        .load(conn)?;
    for other in others {
        let other_sso = is_enabled(conn, other)?;
        if other_sso == joining_sso {
            continue;
        }
        let sso_side = if joining_sso { organization_id } else { other };
        if !is_bypassed(conn, sso_side, &account.email)? {
            return Ok(Some(if joining_sso {
                "sso-member-of-organization-without-sso"
            } else {
                "sso-member-of-sso-organization"
            }));
        }
    }
    Ok(None)
}

/// The provider's end-session address with the client id, when its discovery named one.
pub fn end_session_link(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<Option<String>> {
    let found: Option<(Option<String>, String)> = sso_connections::table
        .find(organization_id)
        .select((sso_connections::end_session_url, sso_connections::client_id))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(url, client_id)| {
        let mut url = url::Url::parse(&url?).ok()?;
        url.query_pairs_mut().append_pair("client_id", &client_id);
        Some(url.to_string())
    }))
}

/// Turns SSO on (after a test of the saved settings, and with no blocking member) or off.
/// Records `sso.enabled` / `sso.disabled`.
pub fn set_enabled(
    conn: &mut DbConnection,
    key: &SecretKey,
    organization_id: OrganizationId,
    enabled: bool,
    actor: &Actor,
) -> DomainResult<()> {
    let Some(current) = connection(conn, key, organization_id)? else {
        return refuse("sso-test-before-enabling");
    };
    if current.enabled == enabled {
        return Ok(());
    }
    if enabled {
        if current.tested_at.is_none() {
            return refuse("sso-test-before-enabling");
        }
        if !blocking_members(conn, organization_id)?.is_empty() {
            return refuse("sso-members-block");
        }
    }
    diesel::update(sso_connections::table.find(organization_id))
        .set((
            sso_connections::enabled.eq(enabled),
            sso_connections::updated_at.eq(actor.at),
        ))
        .execute(conn)?;
    let action = if enabled {
        "sso.enabled"
    } else {
        "sso.disabled"
    };
    audit::record(conn, &actor.event(Some(organization_id), action, None))?;
    Ok(())
}

pub fn bypass_list(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<Vec<String>> {
    sso_bypass::table
        .filter(sso_bypass::organization_id.eq(organization_id))
        .order(sso_bypass::email.asc())
        .select(sso_bypass::email)
        .load(conn)
}

pub fn is_bypassed(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    email: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        sso_bypass::table
            .filter(sso_bypass::organization_id.eq(organization_id))
            .filter(sso_bypass::email.eq(email.to_lowercase())),
    ))
    .get_result(conn)
}

/// Adds a member's email to the bypass list (saved at once, audited `sso.bypass-added`).
pub fn add_bypass(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    email: &EmailAddress,
    actor: &Actor,
) -> DomainResult<()> {
    let email = email.as_str().to_lowercase();
    let member: bool = diesel::select(diesel::dsl::exists(
        memberships::table
            .inner_join(accounts::table)
            .filter(memberships::organization_id.eq(organization_id))
            .filter(accounts::email.eq(&email)),
    ))
    .get_result(conn)?;
    if !member {
        return refuse("sso-bypass-not-a-member");
    }
    if is_bypassed(conn, organization_id, &email)? {
        return Ok(());
    }
    diesel::insert_into(sso_bypass::table)
        .values((
            sso_bypass::organization_id.eq(organization_id),
            sso_bypass::email.eq(&email),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        &actor.event(Some(organization_id), "sso.bypass-added", Some(email)),
    )?;
    Ok(())
}

/// Removes an email from the bypass list (audited `sso.bypass-removed`); whether it was there.
pub fn remove_bypass(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    email: &str,
    actor: &Actor,
) -> QueryResult<bool> {
    let email = email.trim().to_lowercase();
    let removed = diesel::delete(
        sso_bypass::table
            .filter(sso_bypass::organization_id.eq(organization_id))
            .filter(sso_bypass::email.eq(&email)),
    )
    .execute(conn)?;
    if removed > 0 {
        audit::record(
            conn,
            &actor.event(Some(organization_id), "sso.bypass-removed", Some(email)),
        )?;
    }
    Ok(removed > 0)
}

/// The SSO organization an account signs in through: one with SSO on where it is a member and
/// not bypassed (by the membership rule, all of its organizations are such, or none).
pub fn organization_for_account(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<Option<OrganizationId>> {
    let candidates: Vec<(OrganizationId, String)> = memberships::table
        .inner_join(accounts::table)
        .inner_join(organizations::table)
        .inner_join(
            sso_connections::table
                .on(sso_connections::organization_id.eq(memberships::organization_id)),
        )
        .filter(memberships::account_id.eq(account_id))
        .filter(sso_connections::enabled.eq(true))
        .order(memberships::organization_id.asc())
        .select((memberships::organization_id, accounts::email))
        .load(conn)?;
    for (organization_id, email) in candidates {
        if !is_bypassed(conn, organization_id, &email)? {
            return Ok(Some(organization_id));
        }
    }
    Ok(None)
}

/// Whether the organization's two-factor rules pass the member by: SSO is on and they are not on
/// the bypass list (their provider does its own second step).
pub fn exempts_from_two_factor(
    conn: &mut DbConnection,
    account_id: AccountId,
    organization_id: OrganizationId,
) -> QueryResult<bool> {
    if !is_enabled(conn, organization_id)? {
        return Ok(false);
    }
    let email: String = accounts::table
        .find(account_id)
        .select(accounts::email)
        .first(conn)?;
    Ok(!is_bypassed(conn, organization_id, &email)?)
}

#[derive(Queryable)]
struct StoredRequest {
    organization_id: OrganizationId,
    account_id: Option<AccountId>,
    test_settings: Option<String>,
    nonce: String,
    pkce_verifier: String,
}

impl From<StoredRequest> for PendingRequest {
    fn from(stored: StoredRequest) -> Self {
        Self {
            organization_id: stored.organization_id,
            account_id: stored.account_id,
            test_settings: stored.test_settings,
            nonce: stored.nonce,
            pkce_verifier: stored.pkce_verifier,
        }
    }
}

/// A round trip to the provider, as stored until it comes back.
#[derive(Debug, Clone)]
pub struct PendingRequest {
    pub organization_id: OrganizationId,
    /// The account signing in; none for a test of the settings.
    pub account_id: Option<AccountId>,
    /// A test's settings (sealed), when they are not the saved ones.
    pub test_settings: Option<String>,
    pub nonce: String,
    pub pkce_verifier: String,
}

pub fn store_request(
    conn: &mut DbConnection,
    state: &str,
    request: &PendingRequest,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::delete(sso_requests::table.filter(sso_requests::expires_at.le(now))).execute(conn)?;
    diesel::insert_into(sso_requests::table)
        .values((
            sso_requests::state_hash.eq(hash_token(state)),
            sso_requests::organization_id.eq(request.organization_id),
            sso_requests::account_id.eq(request.account_id),
            sso_requests::test_settings.eq(&request.test_settings),
            sso_requests::nonce.eq(&request.nonce),
            sso_requests::pkce_verifier.eq(&request.pkce_verifier),
            sso_requests::expires_at.eq(now + REQUEST_LIFETIME),
        ))
        .execute(conn)?;
    Ok(())
}

/// Takes the round trip with this state, once: a replayed or expired state finds nothing.
pub fn take_request(
    conn: &mut DbConnection,
    state: &str,
    now: PrimitiveDateTime,
) -> QueryResult<Option<PendingRequest>> {
    let hash = hash_token(state);
    let found: Option<(StoredRequest, PrimitiveDateTime)> = sso_requests::table
        .find(&hash)
        .select((
            (
                sso_requests::organization_id,
                sso_requests::account_id,
                sso_requests::test_settings,
                sso_requests::nonce,
                sso_requests::pkce_verifier,
            ),
            sso_requests::expires_at,
        ))
        .first(conn)
        .optional()?;
    // Deleting is what makes it single-use: of two requests with one state, one deletes it.
    let deleted = diesel::delete(sso_requests::table.find(&hash)).execute(conn)?;
    Ok(match found {
        Some((request, expires_at)) if deleted == 1 && expires_at > now => Some(request.into()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_and_fingerprinted() {
        let settings =
            ProviderSettings::parse("https://id.example.com/ ", " app ", "s3cret", "").unwrap();
        assert_eq!(settings.issuer_url, "https://id.example.com");
        assert_eq!(settings.client_id, "app");
        assert_eq!(settings.email_claim, "email");
        let mut other = settings.clone();
        other.client_secret = "other".into();
        assert_ne!(settings.fingerprint(), other.fingerprint());
        assert!(ProviderSettings::parse("http://id.example.com", "a", "s", "").is_err());
        assert!(ProviderSettings::parse("http://127.0.0.1:9000", "a", "s", "").is_ok());
        assert!(ProviderSettings::parse("https://id.example.com", "", "s", "").is_err());
        assert!(ProviderSettings::parse("https://id.example.com", "a", "", "").is_err());
        assert!(ProviderSettings::parse("https://id.example.com", "a", "s", "bad claim").is_err());
    }
}
