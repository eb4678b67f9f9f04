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

use crate::app::two_factor::{self, Entered, Prompt};
use crate::domain::ids::OrganizationId;
use crate::domain::two_factor::{CodeRequest, Occasion, Recipient, Verification};
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
    prompt: Prompt,
}

fn page(
    current: &CurrentAccount,
    prompt: Prompt,
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
        prompt,
    };
    htmx::render_page(&page, status)
}

fn too_soon_page(
    current: &CurrentAccount,
    prompt: Prompt,
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
        prompt,
    };
    htmx::render_page(&page, status)
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

/// Asks for a code (the lock, the cap and the cooldown decide); `None` when the pending sign-in
/// ended.
async fn request_code(
    state: &AppState,
    current: &CurrentAccount,
    organization_id: OrganizationId,
    occasion: Occasion,
) -> Result<Option<(CodeRequest, Prompt)>, AppError> {
    let (email, name, language) = (
        current.account.email.clone(),
        current.account.name.clone(),
        current.account.language.clone(),
    );
    let (me, settings) = (current.me(state.now()), state.settings.clone());
    let outcome = state
        .db(move |conn| {
            let recipient = Recipient {
                email: &email,
                name: &name,
                language: language.as_deref(),
            };
            two_factor::request_code(&me, organization_id, &recipient, occasion, &settings, conn)
        })
        .await?;
    match outcome.0 {
        CodeRequest::Exhausted => Ok(None),
        CodeRequest::Sent => {
            state.outbox_wake.notify_one();
            Ok(Some(outcome))
        }
        _ => Ok(Some(outcome)),
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
        Some((CodeRequest::TooSoon { wait_seconds }, prompt)) => {
            too_soon_page(&current, prompt, wait_seconds, StatusCode::OK)
        }
        Some((_, prompt)) => page(&current, prompt, String::new(), false, StatusCode::OK),
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
        Some((CodeRequest::TooSoon { wait_seconds }, prompt)) => too_soon_page(
            &current,
            prompt,
            wait_seconds,
            StatusCode::TOO_MANY_REQUESTS,
        ),
        // The organization does not email codes to members with an app: the page as it was.
        Some((CodeRequest::NotOffered, _)) => Ok(htmx::see_other(&req, PATH)),
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
    let (me, code) = (current.me(state.now()), form.code.clone());
    let trusted_cookie = req
        .cookie(&CookieKind::TrustedDevice.name(&state.settings))
        .map(|cookie| cookie.value().to_owned());
    let key = state.settings.secret_key.clone();
    let entered = state
        .db(move |conn| {
            two_factor::enter_code(
                &me,
                organization_id,
                &code,
                trusted_cookie.as_deref(),
                key.as_ref(),
                conn,
            )
        })
        .await?;
    let outcome = match entered {
        Entered::StartOver => return start_over(&req, &state),
        Entered::Verified(renewed) => {
            let mut response = match renewed.recovery_codes_left {
                Some(_) => htmx::see_other_with_flash(
                    &req,
                    &state.settings,
                    "/profile/two-factor",
                    "flash-recovery-code-used",
                ),
                None => htmx::see_other(&req, "/"),
            };
            response
                .add_cookie(&CookieKind::Session.build(&state.settings, renewed.session_cookie))
                .map_err(|err| AppError::Internal(err.to_string()))?;
            if let Some((value, days)) = renewed.trusted_device {
                response
                    .add_cookie(&CookieKind::TrustedDevice.build_for_days(
                        &state.settings,
                        value,
                        days,
                    ))
                    .map_err(|err| AppError::Internal(err.to_string()))?;
            }
            return Ok(response);
        }
        Entered::Refused(outcome) => outcome,
    };
    let (me, key) = (current.me(state.now()), state.settings.secret_key.clone());
    let prompt = state
        .db(move |conn| two_factor::prompt(&me, organization_id, key.as_ref(), conn))
        .await?;
    let (error, offer_new_code) = match outcome {
        Verification::Wrong { remaining } => (
            t.t1("two-factor-wrong", "count", i64::from(remaining)),
            false,
        ),
        Verification::Expired => (t.t("two-factor-expired"), true),
        Verification::WrongAppCode => (t.t("two-factor-wrong-app-code"), false),
        _ => (t.t("two-factor-voided"), true),
    };
    page(
        &current,
        prompt,
        error,
        offer_new_code,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}
