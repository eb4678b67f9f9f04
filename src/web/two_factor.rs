//! The page a session waiting for a two-factor code is held on (the session layer sends every
//! other page here): it emails a code when none is live, checks the code, and after the right one
//! renews the session id (and, for "every N days", trusts the device with a cookie).
//!
//! Every step first asks the sign-in lock (`domain::throttle`): a locked account or address gets
//! no code checked and none sent. A locked account, a pending sign-in that was sent every code it
//! may have, and one with too many voided codes all end the same way: the session is deleted and
//! the person is sent back to sign in with the password (which counts toward the lock), with one
//! message that does not say which limit was reached.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::{DbConnection, write_transaction};
use crate::domain::policy::{self, TwoFactorMode};
use crate::domain::session;
use crate::domain::throttle::{self, Admission, ThrottleKey, ThrottleKeys};
use crate::domain::two_factor::{self, CodeRequest, Occasion, Recipient, Verification};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::context::CurrentAccount;
use crate::web::cookies::CookieKind;
use crate::web::htmx;
use crate::web::layout::AuthShell;

pub const PATH: &str = "/two-factor";
pub const RESEND_PATH: &str = "/two-factor/resend";

#[derive(Template)]
#[template(path = "auth/two_factor.html")]
struct TwoFactorPage {
    t: Tr,
    shell: AuthShell,
    email: String,
    error: String,
    /// A voided or expired code: "Send a new code" becomes the main action.
    offer_new_code: bool,
    /// Why no new code can be sent yet, when a resend came too soon.
    wait: String,
}

fn page(
    current: &CurrentAccount,
    error: String,
    offer_new_code: bool,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let page = TwoFactorPage {
        t: current.ctx.tr(),
        shell: AuthShell::new(&current.ctx),
        email: current.account.email.clone(),
        error,
        offer_new_code,
        wait: String::new(),
    };
    htmx::render_page(&page, status)
}

fn too_soon_page(
    current: &CurrentAccount,
    wait_seconds: i64,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let t = current.ctx.tr();
    let page = TwoFactorPage {
        t,
        shell: AuthShell::new(&current.ctx),
        email: current.account.email.clone(),
        error: String::new(),
        offer_new_code: true,
        wait: t.t1("two-factor-wait", "count", wait_seconds),
    };
    htmx::render_page(&page, status)
}

fn keys(current: &CurrentAccount) -> ThrottleKeys {
    ThrottleKeys::identity(
        ThrottleKey::account(current.account.account_id),
        current.ctx.client_ip.as_deref(),
    )
}

/// Deletes the session and its codes: the person starts over with the password.
fn end_pending_sign_in(conn: &mut DbConnection, session_hash: &str) -> diesel::QueryResult<()> {
    two_factor::forget_codes(conn, session_hash)?;
    session::delete(conn, session_hash)
}

/// The one answer for every limit reached: back to sign-in, without saying which limit.
fn start_over(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, AppError> {
    let mut response =
        htmx::see_other_with_flash(req, &state.settings, "/sign-in", "two-factor-start-over");
    response
        .add_cookie(&CookieKind::Session.removal(&state.settings))
        .map_err(|err| AppError::Internal(err.to_string()))?;
    Ok(response)
}

/// Asks for a code (the lock, the cap and the cooldown decide); a locked or exhausted pending
/// sign-in is ended here. `None` when it ended.
async fn request_code(
    state: &AppState,
    current: &CurrentAccount,
    organization_id: i64,
    occasion: Occasion,
) -> Result<Option<CodeRequest>, AppError> {
    let session_hash = current.account.session_hash.clone();
    let (email, name, language) = (
        current.account.email.clone(),
        current.account.name.clone(),
        current.account.language.clone(),
    );
    let keys = keys(current);
    let settings = state.settings.clone();
    let now = state.now();
    let outcome = state
        .write(move |conn| {
            let outcome = if throttle::is_locked(conn, &keys, now)? {
                CodeRequest::Exhausted
            } else {
                two_factor::request_code(
                    conn,
                    &session_hash,
                    organization_id,
                    &Recipient {
                        email: &email,
                        name: &name,
                        language: language.as_deref(),
                    },
                    occasion,
                    &settings,
                    now,
                )?
            };
            if outcome == CodeRequest::Exhausted {
                end_pending_sign_in(conn, &session_hash)?;
            }
            Ok::<_, diesel::result::Error>(outcome)
        })
        .await?;
    match outcome {
        CodeRequest::Exhausted => Ok(None),
        CodeRequest::Sent => {
            state.outbox_wake.notify_one();
            Ok(Some(outcome))
        }
        other => Ok(Some(other)),
    }
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
) -> Result<HttpResponse, AppError> {
    let Some(organization_id) = current.account.two_factor_pending_org else {
        return Ok(htmx::see_other(&req, "/"));
    };
    match request_code(&state, &current, organization_id, Occasion::PageOpened).await? {
        None => start_over(&req, &state),
        Some(CodeRequest::TooSoon { wait_seconds }) => {
            too_soon_page(&current, wait_seconds, StatusCode::OK)
        }
        Some(_) => page(&current, String::new(), false, StatusCode::OK),
    }
}

pub async fn resend(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
) -> Result<HttpResponse, AppError> {
    let Some(organization_id) = current.account.two_factor_pending_org else {
        return Ok(htmx::see_other(&req, "/"));
    };
    match request_code(&state, &current, organization_id, Occasion::Resend).await? {
        None => start_over(&req, &state),
        Some(CodeRequest::TooSoon { wait_seconds }) => {
            too_soon_page(&current, wait_seconds, StatusCode::TOO_MANY_REQUESTS)
        }
        Some(_) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            PATH,
            "two-factor-sent",
        )),
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// The right code's new session cookie, and the trusted-device cookie value and its days.
type Renewed = (String, Option<(String, i32)>);

pub async fn verify(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let Some(organization_id) = current.account.two_factor_pending_org else {
        return Ok(htmx::see_other(&req, "/"));
    };
    let t = current.ctx.tr();
    let session_hash = current.account.session_hash.clone();
    let account_id = current.account.account_id;
    let keys = keys(&current);
    let code = form.code.clone();
    let now = state.now();
    let trusted_cookie = req
        .cookie(&CookieKind::TrustedDevice.name(&state.settings))
        .map(|cookie| cookie.value().to_owned());
    let outcome = state
        .db(move |conn| {
            // Counted as a failure before the code is compared, like a sign-in password, so
            // parallel guesses cannot pass the account's limit.
            if let Admission::Locked { .. } = throttle::admit(conn, &keys, now)? {
                write_transaction(conn, |conn| end_pending_sign_in(conn, &session_hash))?;
                return Ok::<_, diesel::result::Error>(None);
            }
            write_transaction(conn, |conn| {
                let outcome = two_factor::verify(conn, &session_hash, organization_id, &code, now)?;
                let renewed: Option<Renewed> = match outcome {
                    Verification::Verified => {
                        let cookie =
                            session::renew_after_two_factor(conn, &session_hash, organization_id)?;
                        let policy = policy::load(conn, organization_id)?;
                        let trusted = match policy.two_factor_mode {
                            TwoFactorMode::Periodic => Some((
                                two_factor::trust_device(
                                    conn,
                                    account_id,
                                    organization_id,
                                    policy.two_factor_days,
                                    trusted_cookie.as_deref(),
                                    now,
                                )?,
                                policy.two_factor_days,
                            )),
                            _ => None,
                        };
                        // The sign-in is complete: the account's failures are forgotten.
                        throttle::release(conn, &keys)?;
                        throttle::reset(conn, &keys.subject)?;
                        Some((cookie, trusted))
                    }
                    Verification::Voided { exhausted: true } => {
                        end_pending_sign_in(conn, &session_hash)?;
                        None
                    }
                    // Nothing was compared: the reserved attempt is given back.
                    other if !other.compared() => {
                        throttle::release(conn, &keys)?;
                        None
                    }
                    _ => None,
                };
                Ok(Some((outcome, renewed)))
            })
        })
        .await?;
    let Some((outcome, renewed)) = outcome else {
        return start_over(&req, &state);
    };
    match (outcome, renewed) {
        (Verification::Verified, Some((cookie, trusted))) => {
            let mut response = htmx::see_other(&req, "/");
            response
                .add_cookie(&CookieKind::Session.build(&state.settings, cookie))
                .map_err(|err| AppError::Internal(err.to_string()))?;
            if let Some((value, days)) = trusted {
                response
                    .add_cookie(&CookieKind::TrustedDevice.build_for_days(
                        &state.settings,
                        value,
                        days,
                    ))
                    .map_err(|err| AppError::Internal(err.to_string()))?;
            }
            Ok(response)
        }
        (Verification::Voided { exhausted: true }, _) => start_over(&req, &state),
        (Verification::Wrong { remaining }, _) => page(
            &current,
            t.t1("two-factor-wrong", "count", i64::from(remaining)),
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (Verification::Expired, _) => page(
            &current,
            t.t("two-factor-expired"),
            true,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        _ => page(
            &current,
            t.t("two-factor-voided"),
            true,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}
