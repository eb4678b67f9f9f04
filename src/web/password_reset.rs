//! "Forgot password?" and the page its emailed link opens.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::accounts;
use crate::crypto::password::NewPassword;
use crate::domain::account::EmailAddress;
use crate::domain::password_reset::{self, ResetError};
use crate::domain::policy;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::context::RequestContext;
use crate::web::cookies::CookieKind;
use crate::web::layout::AuthShell;
use crate::web::{htmx, password_expired};

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    t: Tr,
    shell: AuthShell,
    email: String,
    email_error: String,
}

#[derive(Template)]
#[template(path = "auth/forgot_sent.html")]
struct ForgotSentPage {
    t: Tr,
    shell: AuthShell,
}

#[derive(Template)]
#[template(path = "auth/reset.html")]
struct ResetPage {
    t: Tr,
    shell: AuthShell,
    token: String,
    password_error: String,
    confirmation_error: String,
}

#[derive(Template)]
#[template(path = "auth/reset_invalid.html")]
struct ResetInvalidPage {
    t: Tr,
    shell: AuthShell,
}

pub async fn forgot_page(ctx: RequestContext) -> Result<HttpResponse, AppError> {
    let page = ForgotPage {
        t: ctx.tr(),
        shell: AuthShell::new(&ctx),
        email: String::new(),
        email_error: String::new(),
    };
    htmx::render_page(&page, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

pub async fn request_reset(
    state: web::Data<AppState>,
    ctx: RequestContext,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let email = match EmailAddress::parse(&form.email) {
        Ok(email) => email,
        Err(key) => {
            let page = ForgotPage {
                t: ctx.tr(),
                shell: AuthShell::new(&ctx),
                email: form.email.trim().to_owned(),
                email_error: ctx.tr().t(key),
            };
            return htmx::render_page(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (settings, visitor) = (state.settings.clone(), ctx.visitor(state.now()));
    let queued = state
        .db(move |conn| {
            accounts::request_password_reset(&visitor, &email, &settings, conn).map_err(internal)
        })
        .await?;
    if queued {
        state.outbox_wake.notify_one();
    }
    // The same page whether or not the address has an account.
    let page = ForgotSentPage {
        t: ctx.tr(),
        shell: AuthShell::new(&ctx),
    };
    htmx::render_page(&page, StatusCode::OK)
}

fn internal(err: ResetError) -> AppError {
    match err {
        ResetError::Database(err) => AppError::Database(err),
        ResetError::Compose(err) => AppError::from(err),
    }
}

fn invalid_link(ctx: &RequestContext) -> Result<HttpResponse, AppError> {
    let page = ResetInvalidPage {
        t: ctx.tr(),
        shell: AuthShell::new(ctx),
    };
    htmx::render_page(&page, StatusCode::NOT_FOUND)
}

pub async fn reset_page(
    state: web::Data<AppState>,
    ctx: RequestContext,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let (probe, now) = (token.clone(), state.now());
    if state
        .db(move |conn| password_reset::account_for_token(conn, &probe, now))
        .await?
        .is_none()
    {
        return invalid_link(&ctx);
    }
    let page = ResetPage {
        t: ctx.tr(),
        shell: AuthShell::new(&ctx),
        token,
        password_error: String::new(),
        confirmation_error: String::new(),
    };
    htmx::render_page(&page, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirmation: String,
}

pub async fn reset_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: RequestContext,
    token: web::Path<String>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let t = ctx.tr();
    // The new password must satisfy the strictest policy among the account's organizations.
    let (probe, now) = (token.clone(), state.now());
    let (account_id, rules) = state
        .db(
            move |conn| match password_reset::account_for_token(conn, &probe, now)? {
                Some(account_id) => Ok((
                    Some(account_id),
                    policy::password_rules_for_account(conn, account_id)?,
                )),
                None => Ok::<_, diesel::result::Error>((None, Default::default())),
            },
        )
        .await?;
    let password = NewPassword::parse_with(&form.password, rules);
    let mismatch = password.is_ok() && form.password != form.password_confirmation;
    let password = match password {
        Ok(password) if !mismatch => password,
        result => {
            let page = ResetPage {
                t,
                shell: AuthShell::new(&ctx),
                token,
                password_error: result
                    .err()
                    .map(|err| t.t(err.message_key()))
                    .unwrap_or_default(),
                confirmation_error: if mismatch {
                    t.t("password-mismatch")
                } else {
                    String::new()
                },
            };
            return htmx::render_page(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    // Nor may it be one of the account's recent passwords.
    if let Some(account_id) = account_id
        && let Some(count) =
            crate::app::passwords::reused(&state, account_id, rules.history, &password).await?
    {
        let page = ResetPage {
            t,
            shell: AuthShell::new(&ctx),
            token,
            password_error: password_expired::reused_message(t, count),
            confirmation_error: String::new(),
        };
        return htmx::render_page(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let hash = state.hasher.hash(&password).await?;
    let visitor = ctx.visitor(state.now());
    let changed = state
        .db(move |conn| accounts::reset_password(&visitor, &token, &hash, conn))
        .await?;
    if changed.is_none() {
        return invalid_link(&ctx);
    }
    let mut response =
        htmx::see_other_with_flash(&req, &state.settings, "/sign-in", "flash-password-reset");
    response
        .add_cookie(&CookieKind::Session.removal(&state.settings))
        .map_err(|err| AppError::Internal(err.to_string()))?;
    Ok(response)
}
