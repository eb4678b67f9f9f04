//! Checking credentials and starting sessions, shared by the sign-in and setup pages.

use diesel::QueryResult;
use time::{Duration, PrimitiveDateTime};

use crate::db::{DbConnection, write_transaction};
use crate::domain::account::{self, Account, EmailAddress};
use crate::domain::audit::{self, Actor};
use crate::domain::external_access::Standing;
use crate::domain::ids::AccountId;
use crate::domain::session::{self, NewSession};
use crate::domain::throttle::{self, Admission, ThrottleKey, ThrottleKeys};
use crate::domain::{organization, policy};
use crate::error::AppError;
use crate::state::AppState;

/// The account whose email and password match, or None. Unknown emails cost the same bcrypt
/// verification as wrong passwords, so timing does not tell which emails have accounts.
///
/// Brute-force protection (`domain::throttle`): the attempt is counted as a failure of the account
/// (or unknown email) and of the client address before the password is checked, atomically, so
/// parallel attempts cannot slip past the limit. While either is locked the password is not
/// checked, but the dummy hash still spends bcrypt's time and the answer is the same None as for
/// a wrong password. A right password gives both keys back their reserved attempt; the account's
/// earlier failures are forgotten only when the sign-in is complete (`start_session` without a
/// pending second factor, or the right two-factor code), so that someone who knows the password
/// cannot clear the failures their code guesses counted.
pub async fn authenticate(
    state: &AppState,
    email: &str,
    password: &str,
    client_ip: Option<&str>,
) -> Result<Option<Account>, AppError> {
    let now = state.now();
    let parsed = EmailAddress::parse(email);
    let unknown = ThrottleKey::unknown_email(email);
    let address = client_ip.map(ThrottleKey::address);
    let (account, keys, admission) = state
        .db(move |conn| {
            let account = match &parsed {
                Ok(email) => account::find_by_email(conn, email)?,
                Err(_) => None,
            };
            let keys = ThrottleKeys {
                subject: account
                    .as_ref()
                    .map_or(unknown, |account| ThrottleKey::account(account.id)),
                address,
            };
            let admission = throttle::admit(conn, &keys, now)?;
            Ok::<_, diesel::result::Error>((account, keys, admission))
        })
        .await?;
    let hash = match admission {
        Admission::Admitted => account.as_ref().and_then(|a| a.password_hash.as_deref()),
        // Locked: no password check, but the same time spent on the dummy hash.
        Admission::Locked { .. } => None,
    };
    let matches = state.hasher.verify(password, hash).await;
    match admission {
        Admission::Locked { until } => {
            tracing::info!(%until, "sign-in refused: too many failed attempts");
            Ok(None)
        }
        Admission::Admitted => match account.filter(|_| matches) {
            Some(account) => {
                state
                    .write(move |conn| throttle::release(conn, &keys))
                    .await?;
                Ok(Some(account))
            }
            // The failure was counted by `admit`.
            None => Ok(None),
        },
    }
}

/// Whether the account's password is older than the strictest expiry among its organizations
/// (never when that is 0, or when the account has no password date).
fn password_expired(
    conn: &mut DbConnection,
    account_id: AccountId,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    let rules = policy::password_rules_for_account(conn, account_id)?;
    if rules.expiry_days <= 0 {
        return Ok(false);
    }
    let changed_at = account::find(conn, account_id)?.and_then(|a| a.password_changed_at);
    Ok(changed_at.is_some_and(|at| now - at > Duration::days(i64::from(rules.expiry_days))))
}

/// Why an account whose password matched may still not sign in: it belongs to no organization
/// and its access as an external user was suspended or has expired. The message is shown only
/// after the right password, so it tells nothing to someone guessing.
pub fn access_refusal(
    conn: &mut DbConnection,
    account_id: AccountId,
    now: PrimitiveDateTime,
) -> QueryResult<Option<&'static str>> {
    if organization::default_for_account(conn, account_id)?.is_some() {
        return Ok(None);
    }
    Ok(
        match crate::domain::external_access::standing(conn, account_id, now)? {
            Standing::Suspended => Some("sign-in-access-suspended"),
            Standing::Expired => Some("sign-in-access-expired"),
            Standing::Active | Standing::NotExternal => None,
        },
    )
}

/// Who is starting a session and from where.
pub struct SessionStart {
    pub account_id: AccountId,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    /// The request's id, for the sign-in's audit event.
    pub request_id: Option<String>,
    /// The session the browser presented before, ended now so its id cannot be reused.
    pub previous_session_hash: Option<String>,
    /// The trusted-device cookie, for organizations that ask for two-factor every N days.
    pub trusted_device: Option<String>,
    /// Signed in through the organization's identity provider: no password expiry (Gatehouse's
    /// password rules do not apply), and a pending invitation there is accepted.
    pub through_sso: Option<crate::domain::ids::OrganizationId>,
}

/// Starts a fresh session (a new id at every sign-in) in the account's default organization and
/// returns the cookie value.
pub async fn start_session(state: &AppState, start: SessionStart) -> Result<String, AppError> {
    let now = state.now();
    let policy = state.session_policy();
    state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                if let Some(previous) = &start.previous_session_hash {
                    session::delete(conn, previous)?;
                }
                // Memberships idle past their organization's inactivity period end here, before
                // the session picks where the account acts.
                let system = crate::domain::audit::Actor::system(now);
                crate::domain::policy::inactivate_idle_members(
                    conn,
                    Some(start.account_id),
                    now,
                    &system,
                )?;
                if let Some(sso_organization) = start.through_sso {
                    let actor = Actor::person(start.account_id, start.ip.clone(), now);
                    crate::domain::invitation::accept_pending(
                        conn,
                        start.account_id,
                        sso_organization,
                        &actor,
                    )?;
                }
                let organization_id = organization::default_for_account(conn, start.account_id)?;
                let password_change_required =
                    start.through_sso.is_none() && password_expired(conn, start.account_id, now)?;
                // The chosen organization may ask for a code before anything else.
                let two_factor_pending_org = match organization_id {
                    Some(organization_id)
                        if crate::domain::two_factor::required(
                            conn,
                            start.account_id,
                            organization_id,
                            start.trusted_device.as_deref(),
                            now,
                        )? =>
                    {
                        Some(organization_id)
                    }
                    _ => None,
                };
                if two_factor_pending_org.is_none() {
                    throttle::reset(conn, &ThrottleKey::account(start.account_id))?;
                }
                let cookie = session::create(
                    conn,
                    &NewSession {
                        account_id: start.account_id,
                        organization_id,
                        user_agent: start.user_agent.clone(),
                        ip: start.ip.clone(),
                        password_change_required,
                        two_factor_pending_org,
                    },
                    now,
                    policy,
                )?;
                account::record_sign_in(conn, start.account_id, now)?;
                crate::domain::membership::record_sign_in(conn, start.account_id, now)?;
                crate::domain::external_access::record_sign_in(conn, start.account_id, now)?;
                let actor = Actor::person(start.account_id, start.ip.clone(), now).traced(
                    crate::domain::audit::Trace::new(
                        start.user_agent.as_deref(),
                        start.request_id.clone(),
                    ),
                );
                audit::record(
                    conn,
                    &actor.event(organization_id, "account.signed-in", None),
                )?;
                Ok::<_, diesel::result::Error>(cookie)
            })
        })
        .await
}

/// What signing in with an email and a password did.
#[derive(Debug, Clone)]
pub enum SignInOutcome {
    /// A wrong email or password, or a locked account or address: the same answer for each.
    Refused,
    /// The password was right but the account may not sign in (its access as an external user
    /// ended): the message key, shown only now that the password is known to be right.
    AccessEnded(&'static str),
    /// Signed in: the new session's cookie value.
    Started(String),
}

/// Where a sign-in comes from: the browser and the session it had (the `account_id` of
/// `SessionStart` is filled in once the password is right).
pub struct Client {
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    pub previous_session_hash: Option<String>,
    pub trusted_device: Option<String>,
}

/// Signs in with an email and a password: the brute-force limits and the password
/// (`authenticate`), whether the account may still sign in, then a fresh session.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    client: Client,
) -> Result<SignInOutcome, AppError> {
    let Some(account) = authenticate(state, email, password, client.ip.as_deref()).await? else {
        return Ok(SignInOutcome::Refused);
    };
    let (account_id, now) = (account.id, state.now());
    let refusal = state
        .db(move |conn| access_refusal(conn, account_id, now))
        .await?;
    if let Some(key) = refusal {
        return Ok(SignInOutcome::AccessEnded(key));
    }
    let cookie = start_session(
        state,
        SessionStart {
            account_id,
            user_agent: client.user_agent,
            ip: client.ip,
            request_id: client.request_id,
            previous_session_hash: client.previous_session_hash,
            trusted_device: client.trusted_device,
            through_sso: None,
        },
    )
    .await?;
    Ok(SignInOutcome::Started(cookie))
}
