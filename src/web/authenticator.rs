//! Profile → Two-factor: set up an authenticator app (QR code drawn here as SVG, the key as
//! text, a first code to confirm), see the recovery codes once, get new ones, turn it off; and an
//! administrator's reset of a member's app.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::access::Admin;
use crate::app::authenticator::{self, SetupView, WithPassword};
use crate::app::members;
use crate::crypto::totp;
use crate::domain::authenticator::{
    self as domain_authenticator, AppState, Confirmation, RECOVERY_CODES,
};
use crate::domain::ids::MembershipId;
use crate::domain::organization;
use crate::domain::rules::DomainError;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState as Server;
use crate::web::context::{CurrentAccount, Guarded};
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};

pub const PATH: &str = "/profile/two-factor";

/// What the page shows besides the app's state.
#[derive(Default)]
struct Shown {
    /// Recovery codes just made: shown this once.
    recovery_codes: Option<Vec<String>>,
    code_error: String,
    renew_error: String,
    turn_off_error: String,
}

#[derive(Template)]
#[template(path = "profile/two_factor.html", blocks = ["content"])]
struct TwoFactorPage {
    t: Tr,
    shell: Shell,
    /// The server has a secret key (without one, no app can be set up).
    available: bool,
    app: AppState,
    since: String,
    /// For a setup waiting for its first code: the key in groups of four and the QR code.
    setup_key: String,
    setup_qr: String,
    recovery_codes: Option<Vec<String>>,
    /// The codes as a plain-text file's contents (for the download link and the copy button).
    recovery_text: String,
    /// A `data:` link that downloads them as a file, without a script or another request.
    recovery_href: String,
    recovery_total: i64,
    code_error: String,
    renew_error: String,
    turn_off_error: String,
}

impl TwoFactorPage {
    fn codes_left(&self) -> i64 {
        match self.app {
            AppState::Confirmed {
                recovery_codes_left,
                ..
            } => recovery_codes_left,
            _ => 0,
        }
    }
}

fn grouped(secret_base32: &str) -> String {
    secret_base32
        .as_bytes()
        .chunks(4)
        .map(|chunk| std::str::from_utf8(chunk).expect("base32 is ASCII"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The QR code without the XML declaration (it is placed inside the HTML).
fn qr_markup(setup: &SetupView) -> String {
    let svg = totp::qr_svg(&setup.provisioning_uri).unwrap_or_default();
    match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    }
}

async fn render(
    req: &HttpRequest,
    state: &Server,
    current: &CurrentAccount,
    shown: Shown,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let account_id = current.account.account_id;
    let (me, key) = (current.me(state.now()), state.settings.secret_key.clone());
    let (choices, app, setup) = state
        .db(move |conn| {
            let choices = organization::choices_for_account(conn, account_id)?;
            let (app, setup) = match &key {
                Some(key) => authenticator::current(&me, key, conn)?,
                None => (AppState::None, None),
            };
            Ok::<_, diesel::result::Error>((choices, app, setup))
        })
        .await?;
    let viewer = current.ctx.viewer();
    let since = match app {
        AppState::Confirmed { since, .. } => viewer.datetime(since),
        _ => String::new(),
    };
    let recovery_text = shown
        .recovery_codes
        .as_ref()
        .map(|codes| codes.join("\n"))
        .unwrap_or_default();
    let page = TwoFactorPage {
        t: current.ctx.tr(),
        shell: Shell::for_account(current, choices, NavPage::Profile),
        available: state.settings.secret_key.is_some(),
        since,
        setup_key: setup
            .as_ref()
            .map(|setup| grouped(&setup.secret.to_base32()))
            .unwrap_or_default(),
        setup_qr: setup.as_ref().map(qr_markup).unwrap_or_default(),
        app,
        // The codes are base32 and dashes: only the line breaks need escaping.
        recovery_href: format!(
            "data:text/plain;charset=utf-8,{}",
            recovery_text.replace('\n', "%0A")
        ),
        recovery_codes: shown.recovery_codes,
        recovery_text,
        recovery_total: RECOVERY_CODES as i64,
        code_error: shown.code_error,
        renew_error: shown.renew_error,
        turn_off_error: shown.turn_off_error,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

/// The recovery codes just made, shown once.
fn codes_shown(codes: Vec<String>) -> (Shown, StatusCode) {
    let shown = Shown {
        recovery_codes: Some(codes),
        ..Shown::default()
    };
    (shown, StatusCode::OK)
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<Server>,
    current: CurrentAccount,
) -> Result<HttpResponse, AppError> {
    render(&req, &state, &current, Shown::default(), StatusCode::OK).await
}

/// The key, or the page saying the server has none.
fn secret_key(state: &Server) -> Result<crate::crypto::sealed::SecretKey, AppError> {
    state.settings.secret_key.clone().ok_or(AppError::NotFound)
}

pub async fn begin_setup(
    req: HttpRequest,
    state: web::Data<Server>,
    current: CurrentAccount,
) -> Result<HttpResponse, AppError> {
    let (me, key) = (current.me(state.now()), secret_key(&state)?);
    state
        .db(move |conn| authenticator::begin_setup(&me, &key, conn))
        .await?;
    Ok(htmx::see_other(&req, PATH))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn confirm_setup(
    req: HttpRequest,
    state: web::Data<Server>,
    current: CurrentAccount,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let (me, key) = (current.me(state.now()), secret_key(&state)?);
    let code = form.code.clone();
    let confirmation = state
        .db(move |conn| authenticator::confirm_setup(&me, &key, &code, conn))
        .await?;
    let t = current.ctx.tr();
    let (shown, status) = match confirmation {
        Confirmation::Confirmed(codes) => codes_shown(codes),
        Confirmation::WrongCode => (
            Shown {
                code_error: t.t(if form.code.trim().is_empty() {
                    "authenticator-code-required"
                } else {
                    "authenticator-code-wrong"
                }),
                ..Shown::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Confirmation::NoSetup => return Ok(htmx::see_other(&req, PATH)),
    };
    render(&req, &state, &current, shown, status).await
}

pub async fn cancel_setup(
    req: HttpRequest,
    state: web::Data<Server>,
    current: CurrentAccount,
) -> Result<HttpResponse, AppError> {
    let me = current.me(state.now());
    state
        .db(move |conn| authenticator::cancel_setup(&me, conn))
        .await?;
    Ok(htmx::see_other(&req, PATH))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
}

pub async fn renew_recovery_codes(
    req: HttpRequest,
    state: web::Data<Server>,
    current: CurrentAccount,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let me = current.me(state.now());
    let (shown, status) =
        match authenticator::renew_recovery_codes(&state, &me, &form.current_password).await? {
            WithPassword::Done(codes) => codes_shown(codes),
            WithPassword::PasswordProblem(key) => (
                Shown {
                    renew_error: current.ctx.tr().t(key),
                    ..Shown::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            WithPassword::NoApp => return Ok(htmx::see_other(&req, PATH)),
        };
    render(&req, &state, &current, shown, status).await
}

pub async fn turn_off(
    req: HttpRequest,
    state: web::Data<Server>,
    current: CurrentAccount,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let me = current.me(state.now());
    match authenticator::turn_off(&state, &me, &form.current_password).await? {
        WithPassword::Done(()) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            PATH,
            "flash-authenticator-removed",
        )),
        WithPassword::PasswordProblem(key) => {
            let shown = Shown {
                turn_off_error: current.ctx.tr().t(key),
                ..Shown::default()
            };
            render(
                &req,
                &state,
                &current,
                shown,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        WithPassword::NoApp => Ok(htmx::see_other(&req, PATH)),
    }
}

/// Users → ⋯ → Reset two-factor: an administrator resets a member's app (a lost phone).
#[derive(Template)]
#[template(path = "users/reset_two_factor.html", blocks = ["content"])]
struct ResetPage {
    t: Tr,
    shell: Shell,
    membership_id: MembershipId,
    email: String,
    has_app: bool,
    error: String,
}

async fn reset_page(
    req: &HttpRequest,
    state: &Server,
    member: &Guarded<Admin>,
    membership_id: MembershipId,
    error: String,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, (email, has_app)) = state
        .db(move |conn| {
            Ok::<_, DomainError>((
                organization::choices_for_account(conn, account_id)?,
                domain_authenticator::member_app(conn, organization_id, membership_id)?,
            ))
        })
        .await?;
    let page = ResetPage {
        t: member.ctx.tr(),
        shell: Shell::new(member, organizations, NavPage::Users),
        membership_id,
        email,
        has_app,
        error,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn confirm_reset(
    req: HttpRequest,
    state: web::Data<Server>,
    member: Guarded<Admin>,
    membership_id: web::Path<MembershipId>,
) -> Result<HttpResponse, AppError> {
    let membership_id = membership_id.into_inner();
    reset_page(
        &req,
        &state,
        &member,
        membership_id,
        String::new(),
        StatusCode::OK,
    )
    .await
}

pub async fn reset(
    req: HttpRequest,
    state: web::Data<Server>,
    member: Guarded<Admin>,
    membership_id: web::Path<MembershipId>,
) -> Result<HttpResponse, AppError> {
    let (by, membership_id) = (member.acting(state.now()), membership_id.into_inner());
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(members::reset_authenticator(&by, membership_id, conn)))
        .await?;
    match outcome {
        Ok(()) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            "/users",
            "flash-authenticator-reset",
        )),
        Err(DomainError::Rule(violation)) => {
            let error = member.ctx.tr().t(violation.message_key());
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            reset_page(&req, &state, &member, membership_id, error, status).await
        }
        Err(other) => Err(other.into()),
    }
}
