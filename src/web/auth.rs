//! Sign-in and sign-out.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::access::Me;
use crate::app::sessions;
use crate::app::sign_in::{self, Client, SessionStart, SignInOutcome};
use crate::domain::ids::{AccountId, OrganizationId};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::context::RequestContext;
use crate::web::cookies::CookieKind;
use crate::web::htmx;
use crate::web::layout::AuthShell;

#[derive(Template)]
#[template(path = "auth/sign_in.html")]
struct SignInPage {
    t: Tr,
    shell: AuthShell,
    email: String,
    next: String,
    failed: bool,
    /// The password was right but the account may not sign in (its access ended).
    refusal: Option<String>,
    /// A field left empty: said as such, not as a wrong password.
    email_error: String,
    password_error: String,
    /// Some organization signs in through its provider: the password hint says how.
    sso_offered: bool,
}

async fn sso_offered(state: &AppState) -> Result<bool, AppError> {
    state.db(crate::domain::sso::offered).await
}

/// After signing out of a session that came through single sign-on.
#[derive(Template)]
#[template(path = "auth/signed_out.html")]
struct SignedOutPage {
    t: Tr,
    shell: AuthShell,
    provider_sign_out: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn sign_in_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: RequestContext,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    if ctx.signed_in.is_some() {
        return Ok(htmx::see_other(
            &req,
            &htmx::safe_next(query.next.as_deref()),
        ));
    }
    let page = SignInPage {
        t: ctx.tr(),
        shell: AuthShell::new(&ctx),
        email: String::new(),
        next: htmx::safe_next(query.next.as_deref()),
        failed: false,
        refusal: None,
        email_error: String::new(),
        password_error: String::new(),
        sso_offered: sso_offered(&state).await?,
    };
    htmx::render_page(&page, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: RequestContext,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let next = htmx::safe_next(form.next.as_deref());
    let t = ctx.tr();
    let missing = |value: &str, key: &str| {
        if value.trim().is_empty() {
            t.t(key)
        } else {
            String::new()
        }
    };
    let (email_error, password_error) = (
        missing(&form.email, "sign-in-email-missing"),
        missing(&form.password, "sign-in-password-missing"),
    );
    // Members of an organization that signs in through its provider go there, password or not.
    if email_error.is_empty() {
        match crate::app::sso::sign_in_redirect(&state, &form.email).await {
            Ok(Some(redirect)) => return to_provider(&req, &state, redirect),
            Ok(None) => {}
            Err(err) => {
                tracing::warn!(error = %err, "single sign-on could not start");
                let page = SignInPage {
                    refusal: Some(t.t(err.message_key())),
                    ..sent_back(&ctx, &form, next)
                };
                return htmx::render_page(&page, StatusCode::BAD_GATEWAY);
            }
        }
    }
    if !email_error.is_empty() || !password_error.is_empty() {
        let page = SignInPage {
            email_error,
            password_error,
            ..sent_back(&ctx, &form, next)
        };
        return htmx::render_page(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let outcome = sign_in::sign_in(
        &state,
        &form.email,
        &form.password,
        client(&req, &state, &ctx),
    )
    .await?;
    let (failed, refusal, status) = match outcome {
        SignInOutcome::Started(cookie) => {
            return with_session(htmx::see_other(&req, &next), &state, cookie);
        }
        SignInOutcome::Refused => (true, None, StatusCode::UNAUTHORIZED),
        SignInOutcome::AccessEnded(key) => (false, Some(ctx.tr().t(key)), StatusCode::FORBIDDEN),
    };
    let page = SignInPage {
        failed,
        refusal,
        ..sent_back(&ctx, &form, next)
    };
    htmx::render_page(&page, status)
}

/// The sign-in page shown again after a failed attempt, with the email as typed.
fn sent_back(ctx: &RequestContext, form: &SignInForm, next: String) -> SignInPage {
    SignInPage {
        t: ctx.tr(),
        shell: AuthShell::new(&RequestContext {
            session_ended: None,
            flash: None,
            ..ctx.clone()
        }),
        email: form.email.trim().to_owned(),
        next,
        failed: false,
        refusal: None,
        email_error: String::new(),
        password_error: String::new(),
        sso_offered: false,
    }
}

/// The browser a sign-in comes from: its user agent, address, the session it had and its
/// trusted-device cookie.
fn client(req: &HttpRequest, state: &AppState, ctx: &RequestContext) -> Client {
    Client {
        user_agent: user_agent(req),
        ip: ctx.client_ip.clone(),
        request_id: ctx.trace.request_id.clone(),
        previous_session_hash: ctx.signed_in.as_ref().map(|s| s.session_hash.clone()),
        trusted_device: req
            .cookie(&CookieKind::TrustedDevice.name(&state.settings))
            .map(|cookie| cookie.value().to_owned()),
    }
}

/// Sets the new session's cookie on a response.
fn with_session(
    mut response: HttpResponse,
    state: &AppState,
    cookie: String,
) -> Result<HttpResponse, AppError> {
    response
        .add_cookie(&CookieKind::Session.build(&state.settings, cookie))
        .map_err(|err| AppError::Internal(err.to_string()))?;
    Ok(response)
}

/// Starts a fresh session for the account (ending the one the browser had), sets its cookie and
/// redirects, optionally with a message for the next page.
pub async fn signed_in_redirect(
    req: &HttpRequest,
    state: &AppState,
    ctx: &RequestContext,
    account_id: AccountId,
    location: &str,
    flash: Option<&str>,
) -> Result<HttpResponse, AppError> {
    start_and_redirect(req, state, ctx, account_id, None, location, flash).await
}

/// The same after a sign-in through the organization's identity provider.
pub async fn signed_in_through_sso(
    req: &HttpRequest,
    state: &AppState,
    ctx: &RequestContext,
    account_id: AccountId,
    organization_id: OrganizationId,
) -> Result<HttpResponse, AppError> {
    start_and_redirect(
        req,
        state,
        ctx,
        account_id,
        Some(organization_id),
        "/",
        None,
    )
    .await
}

async fn start_and_redirect(
    req: &HttpRequest,
    state: &AppState,
    ctx: &RequestContext,
    account_id: AccountId,
    through_sso: Option<OrganizationId>,
    location: &str,
    flash: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let client = client(req, state, ctx);
    let cookie = sign_in::start_session(
        state,
        SessionStart {
            account_id,
            user_agent: client.user_agent,
            ip: client.ip,
            request_id: client.request_id,
            previous_session_hash: client.previous_session_hash,
            trusted_device: client.trusted_device,
            through_sso,
        },
    )
    .await?;
    let response = match flash {
        Some(key) => htmx::see_other_with_flash(req, &state.settings, location, key),
        None => htmx::see_other(req, location),
    };
    with_session(response, state, cookie)
}

pub async fn sign_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: RequestContext,
) -> Result<HttpResponse, AppError> {
    let mut provider_sign_out = None;
    if let Some(signed_in) = &ctx.signed_in {
        let me = Me::of(signed_in, ctx.client_ip.clone(), state.now());
        provider_sign_out = state.db(move |conn| sessions::sign_out(&me, conn)).await?;
    }
    let mut response = match provider_sign_out {
        // Signed out here; the identity provider's own session is theirs to end, when they wish.
        Some(link) => {
            let page = SignedOutPage {
                t: ctx.tr(),
                shell: AuthShell::new(&ctx),
                provider_sign_out: link,
            };
            htmx::render_page(&page, StatusCode::OK)?
        }
        None => htmx::see_other_with_flash(&req, &state.settings, "/sign-in", "flash-signed-out"),
    };
    response
        .add_cookie(&CookieKind::Session.removal(&state.settings))
        .map_err(|err| AppError::Internal(err.to_string()))?;
    Ok(response)
}

/// Sends the browser to the provider, with the state in a cookie for the way back.
pub fn to_provider(
    req: &HttpRequest,
    state: &AppState,
    redirect: crate::app::sso::Redirect,
) -> Result<HttpResponse, AppError> {
    let mut response = htmx::see_other(req, &redirect.url);
    response
        .add_cookie(&CookieKind::SsoState.build_for_minutes(
            &state.settings,
            redirect.state,
            crate::domain::sso::REQUEST_LIFETIME.whole_minutes(),
        ))
        .map_err(|err| AppError::Internal(err.to_string()))?;
    Ok(response)
}

pub fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}
