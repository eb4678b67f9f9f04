//! Single sign-on through an organization's OpenID Connect provider: the authorization code flow
//! with state, nonce and PKCE (S256) every time, run by the `openidconnect` crate (discovery, the
//! code exchange, the ID token's signature, issuer, audience, expiry and nonce), over an HTTP
//! client that follows no redirects and gives up after 10 seconds.
//!
//! The same round trip serves a sign-in (the returned email must be the account's, verified by
//! the provider) and an admin's test of the settings (it shows the claims received, signs nobody
//! in, and on success saves the tested settings as tested).

use std::time::Duration;

use openidconnect::core::{CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, ProviderMetadataWithLogout, RedirectUrl, Scope,
    TokenResponse,
};

use crate::app::access::{Acting, Admin};
use crate::config::Settings;
use crate::crypto::sealed::SecretKey;
use crate::db::write_transaction;
use crate::domain::account::{self, EmailAddress};
use crate::domain::ids::{AccountId, OrganizationId};
use crate::domain::sso::{self, PendingRequest, ProviderSettings};
use crate::error::AppError;
use crate::state::AppState;

pub const CALLBACK_PATH: &str = "/sso/callback";
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a round trip failed: each says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("the server has no secret key")]
    NoSecretKey,
    #[error("single sign-on is not set up")]
    NotConfigured,
    #[error("the provider could not be reached or described itself wrongly: {0}")]
    Discovery(String),
    #[error("the provider refused the sign-in: {0}")]
    Provider(String),
    #[error("the ID token is not valid: {0}")]
    IdToken(String),
    /// The state is unknown, was used already, has expired, or belongs to another browser.
    #[error("this sign-in link was already used or has expired")]
    UnknownState,
    #[error("the provider sent no email in the claim {0}")]
    NoEmail(String),
    #[error("the provider has not verified the email")]
    EmailNotVerified,
    #[error("the provider signed in someone else")]
    EmailMismatch,
    #[error(transparent)]
    App(#[from] AppError),
}

impl SsoError {
    /// The message key people see (details go to the log, not to the page).
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::NoSecretKey | Self::NotConfigured => "sso-error-not-configured",
            Self::Discovery(_) => "sso-error-discovery",
            Self::Provider(_) | Self::IdToken(_) => "sso-error-provider",
            Self::UnknownState => "sso-error-state",
            Self::NoEmail(_) => "sso-error-no-email",
            Self::EmailNotVerified => "sso-error-email-not-verified",
            Self::EmailMismatch => "sso-error-email-mismatch",
            Self::App(_) => "sso-error-provider",
        }
    }
}

fn secret_key(settings: &Settings) -> Result<&SecretKey, SsoError> {
    settings.secret_key.as_ref().ok_or(SsoError::NoSecretKey)
}

fn http_client() -> Result<openidconnect::reqwest::Client, SsoError> {
    openidconnect::reqwest::Client::builder()
        // Following redirects would let a provider send our requests anywhere.
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(PROVIDER_TIMEOUT)
        .connect_timeout(PROVIDER_TIMEOUT)
        .build()
        .map_err(|err| SsoError::Discovery(format!("{err:?}")))
}

async fn discover(
    settings: &ProviderSettings,
    http: &openidconnect::reqwest::Client,
) -> Result<ProviderMetadataWithLogout, SsoError> {
    let issuer = IssuerUrl::new(settings.issuer_url.clone())
        .map_err(|err| SsoError::Discovery(err.to_string()))?;
    ProviderMetadataWithLogout::discover_async(issuer, http)
        .await
        .map_err(|err| SsoError::Discovery(format!("{err:?}")))
}

fn redirect_url(server: &Settings) -> Result<RedirectUrl, SsoError> {
    RedirectUrl::new(server.absolute_url(CALLBACK_PATH))
        .map_err(|err| SsoError::Discovery(format!("{err:?}")))
}

/// Where to send the browser, and the state it must come back with (also set in a cookie by the
/// caller, so that only this browser can finish the round trip).
pub struct Redirect {
    pub url: String,
    pub state: String,
}

async fn start(
    server: &AppState,
    settings: &ProviderSettings,
    organization_id: OrganizationId,
    account_id: Option<AccountId>,
    test_settings: Option<String>,
) -> Result<Redirect, SsoError> {
    let http = http_client()?;
    let metadata = discover(settings, &http).await?;
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(settings.client_id.clone()),
        Some(ClientSecret::new(settings.client_secret.clone())),
    )
    .set_redirect_uri(redirect_url(&server.settings)?);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let request = PendingRequest {
        organization_id,
        account_id,
        test_settings,
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
    };
    let (state_text, now) = (state.secret().clone(), server.now());
    server
        .write(move |conn| sso::store_request(conn, &state_text, &request, now))
        .await?;
    Ok(Redirect {
        url: url.to_string(),
        state: state.secret().clone(),
    })
}

/// For the sign-in page: when the email's account signs in through its organization's provider
/// (SSO on, not on the bypass list), the round trip to start; `None` signs in with a password.
pub async fn sign_in_redirect(
    server: &AppState,
    email: &str,
) -> Result<Option<Redirect>, SsoError> {
    let Ok(email) = EmailAddress::parse(email) else {
        return Ok(None);
    };
    let Some(key) = server.settings.secret_key.clone() else {
        return Ok(None);
    };
    let found = server
        .db(move |conn| {
            let Some(account) = account::find_by_email(conn, &email)? else {
                return Ok::<_, diesel::result::Error>(None);
            };
            let Some(organization_id) = sso::organization_for_account(conn, account.id)? else {
                return Ok(None);
            };
            Ok(sso::settings(conn, &key, organization_id)?
                .map(|settings| (account.id, organization_id, settings)))
        })
        .await?;
    let Some((account_id, organization_id, settings)) = found else {
        return Ok(None);
    };
    start(server, &settings, organization_id, Some(account_id), None)
        .await
        .map(Some)
}

/// An admin's test of settings as typed (the secret left blank keeps the saved one).
pub async fn start_test(
    server: &AppState,
    by: &Acting<Admin>,
    settings: ProviderSettings,
) -> Result<Redirect, SsoError> {
    let key = secret_key(&server.settings)?.clone();
    let sealed = settings.seal(&key, by.organization_id());
    start(server, &settings, by.organization_id(), None, Some(sealed)).await
}

/// What came back from the provider.
#[derive(Debug)]
pub enum Returned {
    /// The account proved itself: start its session.
    SignIn {
        account_id: AccountId,
        organization_id: OrganizationId,
    },
    /// A test of the settings: what the provider said, and whether it would sign someone in
    /// (then `record_test` keeps the settings as tested).
    Tested {
        organization_id: OrganizationId,
        claims: Vec<(String, String)>,
        problem: Option<&'static str>,
        settings: ProviderSettings,
        end_session: Option<String>,
    },
}

/// Saves settings that just passed a test, as tested (SSO may then be turned on).
pub fn record_test(
    by: &Acting<Admin>,
    key: &SecretKey,
    settings: &ProviderSettings,
    end_session: Option<&str>,
    conn: &mut crate::db::DbConnection,
) -> crate::domain::rules::DomainResult<()> {
    write_transaction(conn, |conn| {
        sso::save_settings(
            conn,
            key,
            by.organization_id(),
            settings,
            Some((&settings.fingerprint(), end_session)),
            &by.actor(),
        )
    })
}

/// Saves settings as typed, without a test (refused while SSO is on, unless they were tested).
pub fn save_settings(
    by: &Acting<Admin>,
    key: &SecretKey,
    settings: &ProviderSettings,
    conn: &mut crate::db::DbConnection,
) -> crate::domain::rules::DomainResult<()> {
    write_transaction(conn, |conn| {
        sso::save_settings(conn, key, by.organization_id(), settings, None, &by.actor())
    })
}

/// Turns SSO on (after a test of the saved settings, with no member blocking it) or off.
pub fn set_enabled(
    by: &Acting<Admin>,
    key: &SecretKey,
    enabled: bool,
    conn: &mut crate::db::DbConnection,
) -> crate::domain::rules::DomainResult<()> {
    write_transaction(conn, |conn| {
        sso::set_enabled(conn, key, by.organization_id(), enabled, &by.actor())
    })
}

/// Adds a member to the bypass list, at once.
pub fn add_bypass(
    by: &Acting<Admin>,
    email: &EmailAddress,
    conn: &mut crate::db::DbConnection,
) -> crate::domain::rules::DomainResult<()> {
    write_transaction(conn, |conn| {
        sso::add_bypass(conn, by.organization_id(), email, &by.actor())
    })
}

pub fn remove_bypass(
    by: &Acting<Admin>,
    email: &str,
    conn: &mut crate::db::DbConnection,
) -> crate::domain::rules::DomainResult<bool> {
    write_transaction(conn, |conn| {
        sso::remove_bypass(conn, by.organization_id(), email, &by.actor()).map_err(Into::into)
    })
}

/// Finishes a round trip: the state (once, and from the browser that started it), the code
/// exchanged with the PKCE verifier, the ID token checked with the nonce, then the email.
pub async fn finish(
    server: &AppState,
    state: &str,
    browser_state: Option<&str>,
    code: &str,
) -> Result<Returned, SsoError> {
    let key = secret_key(&server.settings)?.clone();
    let (state_text, now) = (state.to_owned(), server.now());
    let request = server
        .write(move |conn| sso::take_request(conn, &state_text, now))
        .await?
        .ok_or(SsoError::UnknownState)?;
    // Login CSRF: a round trip started in another browser does not finish in this one.
    if browser_state != Some(state) {
        return Err(SsoError::UnknownState);
    }
    let organization_id = request.organization_id;
    let settings = match &request.test_settings {
        Some(sealed) => ProviderSettings::open(&key, organization_id, sealed),
        None => {
            let key = key.clone();
            server
                .db(move |conn| sso::settings(conn, &key, organization_id))
                .await?
        }
    }
    .ok_or(SsoError::NotConfigured)?;
    let http = http_client()?;
    let metadata = discover(&settings, &http).await?;
    let userinfo_url = metadata.userinfo_endpoint().map(|url| url.url().clone());
    let end_session = metadata
        .additional_metadata()
        .end_session_endpoint
        .as_ref()
        .map(|url| url.url().to_string());
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(settings.client_id.clone()),
        Some(ClientSecret::new(settings.client_secret.clone())),
    )
    .set_redirect_uri(redirect_url(&server.settings)?);
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|err| SsoError::Provider(err.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(request.pkce_verifier.clone()))
        .request_async(&http)
        .await
        .map_err(|err| SsoError::Provider(err.to_string()))?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| SsoError::IdToken("no ID token".to_owned()))?;
    let subject = id_token
        .claims(
            &client.id_token_verifier(),
            &Nonce::new(request.nonce.clone()),
        )
        .map_err(|err| SsoError::IdToken(err.to_string()))?
        .subject()
        .to_string();
    // Verified above: its payload is now read as plain JSON, for the configured claim and for
    // the test page.
    let mut payload = payload_of(&id_token.to_string())
        .ok_or_else(|| SsoError::IdToken("unreadable claims".to_owned()))?;
    // Many providers put the email in the ID token; others only at the userinfo endpoint.
    let missing = |payload: &serde_json::Value| {
        payload.get(&settings.email_claim).is_none() || payload.get("email_verified").is_none()
    };
    if missing(&payload)
        && let Some(url) = userinfo_url
    {
        let info = userinfo(&http, url, tokens.access_token().secret(), &subject).await?;
        if let (Some(claims), Some(extra)) = (payload.as_object_mut(), info.as_object()) {
            for (name, value) in extra {
                claims.entry(name.clone()).or_insert_with(|| value.clone());
            }
        }
    }
    let email = verified_email(&payload, &settings.email_claim);
    match request.account_id {
        Some(account_id) => {
            let email = email?;
            let stored = server
                .db(move |conn| account::find(conn, account_id))
                .await?
                .ok_or(SsoError::UnknownState)?;
            if !stored.email.eq_ignore_ascii_case(&email) {
                return Err(SsoError::EmailMismatch);
            }
            Ok(Returned::SignIn {
                account_id,
                organization_id,
            })
        }
        None => {
            let problem = email.as_ref().err().map(SsoError::message_key);
            let claims = payload
                .as_object()
                .map(|object| {
                    object
                        .iter()
                        .map(|(name, value)| {
                            let text = match value {
                                serde_json::Value::String(text) => text.clone(),
                                other => other.to_string(),
                            };
                            (name.clone(), text)
                        })
                        .collect()
                })
                .unwrap_or_default();
            Ok(Returned::Tested {
                organization_id,
                claims,
                problem,
                settings,
                end_session,
            })
        }
    }
}

/// The userinfo endpoint's claims, for the subject of the ID token only (a response about
/// anyone else is refused, as OpenID Connect Core 5.3.2 requires).
async fn userinfo(
    http: &openidconnect::reqwest::Client,
    url: url::Url,
    access_token: &str,
    subject: &str,
) -> Result<serde_json::Value, SsoError> {
    let response = http
        .get(url)
        .bearer_auth(access_token)
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|err| SsoError::Provider(err.to_string()))?;
    if !response.status().is_success() {
        return Err(SsoError::Provider(format!(
            "userinfo: {}",
            response.status()
        )));
    }
    let body = response
        .bytes()
        .await
        .map_err(|err| SsoError::Provider(err.to_string()))?;
    let info: serde_json::Value =
        serde_json::from_slice(&body).map_err(|err| SsoError::Provider(err.to_string()))?;
    if info.get("sub").and_then(serde_json::Value::as_str) != Some(subject) {
        return Err(SsoError::IdToken(
            "userinfo is about another subject".to_owned(),
        ));
    }
    Ok(info)
}

fn payload_of(jwt: &str) -> Option<serde_json::Value> {
    use base64::Engine;
    let body = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The email in `claim`, when the provider says it verified it (`email_verified` true, or the
/// string "true" some providers send).
fn verified_email(payload: &serde_json::Value, claim: &str) -> Result<String, SsoError> {
    let email = payload
        .get(claim)
        .and_then(serde_json::Value::as_str)
        .filter(|email| !email.is_empty())
        .ok_or_else(|| SsoError::NoEmail(claim.to_owned()))?;
    let verified = match payload.get("email_verified") {
        Some(serde_json::Value::Bool(verified)) => *verified,
        Some(serde_json::Value::String(text)) => text == "true",
        _ => false,
    };
    if !verified {
        return Err(SsoError::EmailNotVerified);
    }
    Ok(email.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_verified_email_in_the_chosen_claim_counts() {
        let verified = serde_json::json!({"email": "a@example.com", "email_verified": true, "upn": "b@example.com"});
        assert_eq!(verified_email(&verified, "email").unwrap(), "a@example.com");
        assert_eq!(verified_email(&verified, "upn").unwrap(), "b@example.com");
        assert!(matches!(
            verified_email(&verified, "mail"),
            Err(SsoError::NoEmail(_))
        ));
        let unverified = serde_json::json!({"email": "a@example.com", "email_verified": false});
        assert!(matches!(
            verified_email(&unverified, "email"),
            Err(SsoError::EmailNotVerified)
        ));
        let stringly = serde_json::json!({"email": "a@example.com", "email_verified": "true"});
        assert!(verified_email(&stringly, "email").is_ok());
        let silent = serde_json::json!({"email": "a@example.com"});
        assert!(verified_email(&silent, "email").is_err());
    }
}
