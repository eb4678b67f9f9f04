//! The page a session waiting for a two-factor code is held on (the session layer sends every
//! other page here): it emails a code when none is live, checks the code, and after the right one
//! renews the session id (and, for "every N days", trusts the device with a cookie).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::cookies::CookieKind;
use crate::auth::session;
use crate::db::write_transaction;
use crate::domain::policy::{self, TwoFactorMode};
use crate::domain::throttle::{self, ThrottleKey, ThrottleKeys};
use crate::domain::two_factor::{self, Recipient, Verification};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::context::CurrentAccount;
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
    };
    htmx::render_page(&page, status)
}

/// Issues and emails a code; with `only_if_none_live`, only when the session has no live one.
async fn send_code(
    state: &AppState,
    current: &CurrentAccount,
    organization_id: i64,
    only_if_none_live: bool,
) -> Result<(), AppError> {
    let session_hash = current.account.session_hash.clone();
    let (email, name, language) = (
        current.account.email.clone(),
        current.account.name.clone(),
        current.account.language.clone(),
    );
    let settings = state.settings.clone();
    let now = state.now();
    let sent = state
        .write(move |conn| {
            if only_if_none_live
                && two_factor::has_live_code(conn, &session_hash, organization_id, now)?
            {
                return Ok::<_, diesel::result::Error>(false);
            }
            two_factor::issue(
                conn,
                &session_hash,
                organization_id,
                &Recipient {
                    email: &email,
                    name: &name,
                    language: language.as_deref(),
                },
                &settings,
                now,
            )?;
            Ok(true)
        })
        .await?;
    if sent {
        state.outbox_wake.notify_one();
    }
    Ok(())
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
) -> Result<HttpResponse, AppError> {
    let Some(organization_id) = current.account.two_factor_pending_org else {
        return Ok(htmx::see_other(&req, "/"));
    };
    send_code(&state, &current, organization_id, true).await?;
    page(&current, String::new(), false, StatusCode::OK)
}

pub async fn resend(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
) -> Result<HttpResponse, AppError> {
    let Some(organization_id) = current.account.two_factor_pending_org else {
        return Ok(htmx::see_other(&req, "/"));
    };
    send_code(&state, &current, organization_id, false).await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        PATH,
        "two-factor-sent",
    ))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

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
    let code = form.code.clone();
    let now = state.now();
    let trusted_cookie = req
        .cookie(&CookieKind::TrustedDevice.name(&state.settings))
        .map(|cookie| cookie.value().to_owned());
    let outcome = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let outcome = two_factor::verify(conn, &session_hash, organization_id, &code, now)?;
                match outcome {
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
                        throttle::reset(conn, &ThrottleKey::account(account_id))?;
                        Ok::<_, diesel::result::Error>((outcome, Some((cookie, trusted))))
                    }
                    _ => Ok((outcome, None)),
                }
            })
            .and_then(|outcome| {
                // Wrong codes count toward the account's brute-force limit (in a transaction of
                // their own, as sign-in counts them).
                if matches!(outcome.0, Verification::Wrong { .. } | Verification::Voided) {
                    throttle::record_failure(
                        conn,
                        &ThrottleKeys {
                            account: ThrottleKey::account(account_id),
                            address: None,
                        },
                        now,
                    )?;
                }
                Ok(outcome)
            })
        })
        .await?;
    match outcome {
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
