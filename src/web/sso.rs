//! Single sign-on pages: Policies → Single sign-on (the provider's settings, "Test the
//! connection", turning SSO on and off, the bypass list), and the address the provider sends the
//! browser back to.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::access::Admin;
use crate::app::sso::{self, Returned, SsoError};
use crate::domain::account::EmailAddress;
use crate::domain::organization;
use crate::domain::rules::DomainError;
use crate::domain::sso::{self as sso_rules, Connection, ProviderSettings};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::context::{Guarded, RequestContext};
use crate::web::cookies::CookieKind;
use crate::web::htmx;
use crate::web::layout::{AuthShell, NavPage, Shell};

pub const PATH: &str = "/policies/sso";

/// What the settings form shows: saved values, or what was typed with the problem.
#[derive(Default)]
struct Typed {
    issuer_url: String,
    client_id: String,
    email_claim: String,
    /// The field the problem is about (`issuer_url`, `client_id`, ...).
    field: &'static str,
    error: String,
}

/// What a test round trip brought back.
struct TestResult {
    claims: Vec<(String, String)>,
    problem: String,
}

#[derive(Template)]
#[template(path = "policies/sso.html", blocks = ["content"])]
struct SsoPage {
    t: Tr,
    shell: Shell,
    available: bool,
    connection: Option<Connection>,
    has_secret: bool,
    typed: Typed,
    tested: String,
    test: Option<TestResult>,
    /// Why turning SSO on was refused, and the members that block it.
    enable_error: String,
    blocking: Vec<String>,
    bypass: Vec<String>,
    bypass_email: String,
    bypass_error: String,
    callback_url: String,
}

impl SsoPage {
    fn enabled(&self) -> bool {
        self.connection.as_ref().is_some_and(|c| c.enabled)
    }

    fn error_for(&self, field: &str) -> &str {
        if self.typed.field == field {
            &self.typed.error
        } else {
            ""
        }
    }
}

/// What else the page shows this time.
#[derive(Default)]
struct Shown {
    typed: Option<Typed>,
    test: Option<TestResult>,
    enable_error: String,
    bypass_email: String,
    bypass_error: String,
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    member: &Guarded<Admin>,
    shown: Shown,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let key = state.settings.secret_key.clone();
    let (organizations, connection, bypass, blocking) = state
        .db(move |conn| {
            let connection = match &key {
                Some(key) => sso_rules::connection(conn, key, organization_id)?,
                None => None,
            };
            Ok::<_, diesel::result::Error>((
                organization::choices_for_account(conn, account_id)?,
                connection,
                sso_rules::bypass_list(conn, organization_id)?,
                sso_rules::blocking_members(conn, organization_id)?,
            ))
        })
        .await?;
    let viewer = member.ctx.viewer();
    let typed = shown.typed.unwrap_or_else(|| Typed {
        issuer_url: connection
            .as_ref()
            .map(|c| c.issuer_url.clone())
            .unwrap_or_default(),
        client_id: connection
            .as_ref()
            .map(|c| c.client_id.clone())
            .unwrap_or_default(),
        email_claim: connection.as_ref().map_or_else(
            || sso_rules::DEFAULT_EMAIL_CLAIM.to_owned(),
            |c| c.email_claim.clone(),
        ),
        ..Typed::default()
    });
    let page = SsoPage {
        t: member.ctx.tr(),
        shell: Shell::new(member, organizations, NavPage::Policies),
        available: state.settings.secret_key.is_some(),
        has_secret: connection.is_some(),
        tested: connection
            .as_ref()
            .and_then(|c| c.tested_at)
            .map(|at| viewer.datetime(at))
            .unwrap_or_default(),
        connection,
        typed,
        test: shown.test,
        enable_error: shown.enable_error,
        blocking,
        bypass,
        bypass_email: shown.bypass_email,
        bypass_error: shown.bypass_error,
        callback_url: state.settings.absolute_url(sso::CALLBACK_PATH),
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

impl Shown {
    fn typed(typed: Typed) -> Self {
        Self {
            typed: Some(typed),
            ..Self::default()
        }
    }
}

/// The page again with what was refused (422).
async fn refused(
    req: &HttpRequest,
    state: &AppState,
    member: &Guarded<Admin>,
    shown: Shown,
) -> Result<HttpResponse, AppError> {
    render(req, state, member, shown, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
) -> Result<HttpResponse, AppError> {
    render(&req, &state, &member, Shown::default(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    issuer_url: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    email_claim: String,
}

/// The settings as typed; a blank secret means the saved one.
async fn typed_settings(
    state: &AppState,
    member: &Guarded<Admin>,
    form: &SettingsForm,
) -> Result<Result<ProviderSettings, Typed>, AppError> {
    let key = state
        .settings
        .secret_key
        .clone()
        .ok_or(AppError::NotFound)?;
    let secret = if form.client_secret.is_empty() {
        let organization_id = member.organization_id();
        state
            .db(move |conn| sso_rules::settings(conn, &key, organization_id))
            .await?
            .map(|saved| saved.client_secret)
            .unwrap_or_default()
    } else {
        form.client_secret.clone()
    };
    Ok(ProviderSettings::parse(
        &form.issuer_url,
        &form.client_id,
        &secret,
        &form.email_claim,
    )
    .map_err(|(field, key)| typed_as_sent(member, form, field, key)))
}

/// The form as sent, with the message of what was refused (`field` "form" for the whole form).
fn typed_as_sent(
    member: &Guarded<Admin>,
    form: &SettingsForm,
    field: &'static str,
    key: &'static str,
) -> Typed {
    Typed {
        issuer_url: form.issuer_url.trim().to_owned(),
        client_id: form.client_id.trim().to_owned(),
        email_claim: form.email_claim.trim().to_owned(),
        field,
        error: member.ctx.tr().t(key),
    }
}

pub async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let settings = match typed_settings(&state, &member, &form).await? {
        Ok(settings) => settings,
        Err(typed) => return refused(&req, &state, &member, Shown::typed(typed)).await,
    };
    let key = state
        .settings
        .secret_key
        .clone()
        .ok_or(AppError::NotFound)?;
    let by = member.acting(state.now());
    let saved = state
        .db(move |conn| Ok::<_, AppError>(sso::save_settings(&by, &key, &settings, conn)))
        .await?;
    match saved {
        Ok(()) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            PATH,
            "sso-flash-saved",
        )),
        Err(DomainError::Rule(violation)) => {
            let typed = typed_as_sent(&member, &form, "form", violation.message_key());
            refused(&req, &state, &member, Shown::typed(typed)).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn test(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let settings = match typed_settings(&state, &member, &form).await? {
        Ok(settings) => settings,
        Err(typed) => return refused(&req, &state, &member, Shown::typed(typed)).await,
    };
    let by = member.acting(state.now());
    match sso::start_test(&state, &by, settings).await {
        Ok(redirect) => crate::web::auth::to_provider(&req, &state, redirect),
        Err(err) => {
            tracing::warn!(error = %err, "a single sign-on test could not start");
            let shown = Shown {
                typed: Some(typed_as_sent(&member, &form, "form", err.message_key())),
                ..Shown::default()
            };
            render(&req, &state, &member, shown, StatusCode::BAD_GATEWAY).await
        }
    }
}

#[derive(Deserialize)]
pub struct EnabledForm {
    #[serde(default)]
    enabled: String,
}

pub async fn set_enabled(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    form: web::Form<EnabledForm>,
) -> Result<HttpResponse, AppError> {
    let key = state
        .settings
        .secret_key
        .clone()
        .ok_or(AppError::NotFound)?;
    let enabled = form.enabled == "true";
    let by = member.acting(state.now());
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(sso::set_enabled(&by, &key, enabled, conn)))
        .await?;
    match outcome {
        Ok(()) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            PATH,
            if enabled {
                "sso-flash-enabled"
            } else {
                "sso-flash-disabled"
            },
        )),
        Err(DomainError::Rule(violation)) => {
            let shown = Shown {
                enable_error: member.ctx.tr().t(violation.message_key()),
                ..Shown::default()
            };
            refused(&req, &state, &member, shown).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct BypassForm {
    #[serde(default)]
    email: String,
}

pub async fn add_bypass(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    form: web::Form<BypassForm>,
) -> Result<HttpResponse, AppError> {
    let bypass_refused = |key: &'static str| Shown {
        bypass_email: form.email.trim().to_owned(),
        bypass_error: member.ctx.tr().t(key),
        ..Shown::default()
    };
    let email = match EmailAddress::parse(&form.email) {
        Ok(email) => email,
        Err(key) => return refused(&req, &state, &member, bypass_refused(key)).await,
    };
    let by = member.acting(state.now());
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(sso::add_bypass(&by, &email, conn)))
        .await?;
    match outcome {
        Ok(()) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            PATH,
            "sso-flash-bypass-added",
        )),
        Err(DomainError::Rule(violation)) => {
            let shown = bypass_refused(violation.message_key());
            refused(&req, &state, &member, shown).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn remove_bypass(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    form: web::Form<BypassForm>,
) -> Result<HttpResponse, AppError> {
    // Nothing that is not an email address is on the list.
    if let Ok(email) = EmailAddress::parse(&form.email) {
        let by = member.acting(state.now());
        state
            .db(move |conn| sso::remove_bypass(&by, email.as_str(), conn))
            .await?;
    }
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        PATH,
        "sso-flash-bypass-removed",
    ))
}

#[derive(Template)]
#[template(path = "auth/sso_error.html")]
struct SsoErrorPage {
    t: Tr,
    shell: AuthShell,
    message: String,
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    code: String,
    error: Option<String>,
}

/// Where the provider sends the browser back: a sign-in, or an admin's test of the settings.
pub async fn callback(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: RequestContext,
    admin: Option<Guarded<Admin>>,
    query: web::Query<CallbackQuery>,
) -> Result<HttpResponse, AppError> {
    let browser_state = req
        .cookie(&CookieKind::SsoState.name(&state.settings))
        .map(|cookie| cookie.value().to_owned());
    let returned = if let Some(error) = &query.error {
        // Cancelled or refused at the provider: the round trip is spent all the same.
        tracing::info!(%error, "the identity provider returned an error");
        let (state_text, now) = (query.state.clone(), state.now());
        state
            .write(move |conn| sso_rules::take_request(conn, &state_text, now))
            .await?;
        Err(SsoError::Provider(error.clone()))
    } else {
        sso::finish(&state, &query.state, browser_state.as_deref(), &query.code).await
    };
    let mut response = match returned {
        Ok(Returned::SignIn {
            account_id,
            organization_id,
        }) => {
            crate::web::auth::signed_in_through_sso(&req, &state, &ctx, account_id, organization_id)
                .await?
        }
        Ok(Returned::Tested {
            organization_id,
            claims,
            problem,
            settings,
            end_session,
        }) => {
            // Only an admin of that organization, in this browser, sees what came back.
            let Some(member) = admin.filter(|m| m.organization_id() == organization_id) else {
                return Err(AppError::Forbidden);
            };
            if problem.is_none() {
                let key = state
                    .settings
                    .secret_key
                    .clone()
                    .ok_or(AppError::NotFound)?;
                let by = member.acting(state.now());
                state
                    .db(move |conn| {
                        sso::record_test(&by, &key, &settings, end_session.as_deref(), conn)
                    })
                    .await?;
            }
            let t = member.ctx.tr();
            let shown = Shown {
                test: Some(TestResult {
                    claims,
                    problem: problem.map(|key| t.t(key)).unwrap_or_default(),
                }),
                ..Shown::default()
            };
            render(&req, &state, &member, shown, StatusCode::OK).await?
        }
        Err(err) => {
            tracing::warn!(error = %err, "single sign-on did not complete");
            let status = match err {
                SsoError::UnknownState => StatusCode::BAD_REQUEST,
                SsoError::EmailMismatch | SsoError::EmailNotVerified | SsoError::NoEmail(_) => {
                    StatusCode::FORBIDDEN
                }
                _ => StatusCode::BAD_GATEWAY,
            };
            let page = SsoErrorPage {
                t: ctx.tr(),
                shell: AuthShell::new(&ctx),
                message: ctx.tr().t(err.message_key()),
            };
            htmx::render_page(&page, status)?
        }
    };
    response
        .add_cookie(&CookieKind::SsoState.removal(&state.settings))
        .map_err(|err| AppError::Internal(err.to_string()))?;
    Ok(response)
}
