//! The first-run setup page, opened by the one-time link the server prints.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::accounts;
use crate::crypto::password::NewPassword;
use crate::domain::account::{self, EmailAddress};
use crate::domain::organization;
use crate::domain::setup::{self, FirstAdmin, SetupError};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::auth::signed_in_redirect;
use crate::web::context::RequestContext;
use crate::web::htmx;
use crate::web::layout::AuthShell;

#[derive(Debug, Default, Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    organization: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirmation: String,
}

/// One message per field, empty when the field is fine.
#[derive(Debug, Default)]
struct SetupErrors {
    organization: String,
    name: String,
    email: String,
    password: String,
    password_confirmation: String,
}

impl SetupErrors {
    fn is_empty(&self) -> bool {
        [
            &self.organization,
            &self.name,
            &self.email,
            &self.password,
            &self.password_confirmation,
        ]
        .iter()
        .all(|e| e.is_empty())
    }
}

#[derive(Template)]
#[template(path = "setup/setup.html")]
struct SetupPage {
    t: Tr,
    shell: AuthShell,
    token: String,
    form: SetupForm,
    errors: SetupErrors,
}

#[derive(Template)]
#[template(path = "setup/invalid.html")]
struct SetupInvalidPage {
    t: Tr,
    shell: AuthShell,
}

fn invalid_link(ctx: &RequestContext) -> Result<HttpResponse, AppError> {
    let page = SetupInvalidPage {
        t: ctx.tr(),
        shell: AuthShell::new(ctx),
    };
    htmx::render_page(&page, StatusCode::NOT_FOUND)
}

pub async fn setup_page(
    state: web::Data<AppState>,
    ctx: RequestContext,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let probe = token.clone();
    if !state
        .db(move |conn| setup::token_is_valid(conn, &probe))
        .await?
    {
        return invalid_link(&ctx);
    }
    let page = SetupPage {
        t: ctx.tr(),
        shell: AuthShell::new(&ctx),
        token,
        form: SetupForm::default(),
        errors: SetupErrors::default(),
    };
    htmx::render_page(&page, StatusCode::OK)
}

pub async fn complete_setup(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: RequestContext,
    token: web::Path<String>,
    form: web::Form<SetupForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let form = form.into_inner();
    let t = ctx.tr();
    let mut errors = SetupErrors::default();

    let organization_name = organization::parse_name(&form.organization)
        .map_err(|key| errors.organization = t.t(key))
        .ok();
    let name = account::parse_name(&form.name)
        .map_err(|key| errors.name = t.t(key))
        .ok();
    let email = EmailAddress::parse(&form.email)
        .map_err(|key| errors.email = t.t(key))
        .ok();
    let password = NewPassword::parse(&form.password)
        .map_err(|err| errors.password = t.t(err.message_key()))
        .ok();
    if password.is_some() && form.password != form.password_confirmation {
        errors.password_confirmation = t.t("password-mismatch");
    }

    let (Some(organization_name), Some(name), Some(email), Some(password)) =
        (organization_name, name, email, password)
    else {
        return setup_form_again(&ctx, token, form, errors);
    };
    if !errors.is_empty() {
        return setup_form_again(&ctx, token, form, errors);
    }

    let password_hash = state.hasher.hash(&password).await?;
    let visitor = ctx.visitor(state.now());
    let language = ctx.lang.tag();
    let setup_token = token.clone();
    let outcome = state
        .db(move |conn| {
            Ok::<_, AppError>(accounts::complete_setup(
                &visitor,
                &setup_token,
                &FirstAdmin {
                    organization_name: &organization_name,
                    email: &email,
                    name: &name,
                    password_hash: &password_hash,
                    language: Some(language),
                },
                conn,
            ))
        })
        .await?;
    let account = match outcome {
        Ok((account, _)) => account,
        // While the link is valid no account exists, so a taken email also means it was spent.
        Err(SetupError::InvalidToken | SetupError::EmailTaken) => return invalid_link(&ctx),
        Err(SetupError::Database(err)) => return Err(err.into()),
    };

    signed_in_redirect(
        &req,
        &state,
        &ctx,
        account.id,
        "/",
        Some("flash-setup-complete"),
    )
    .await
}

fn setup_form_again(
    ctx: &RequestContext,
    token: String,
    form: SetupForm,
    errors: SetupErrors,
) -> Result<HttpResponse, AppError> {
    let page = SetupPage {
        t: ctx.tr(),
        shell: AuthShell::new(ctx),
        token,
        form: SetupForm {
            password: String::new(),
            password_confirmation: String::new(),
            ..form
        },
        errors,
    };
    htmx::render_page(&page, StatusCode::UNPROCESSABLE_ENTITY)
}
