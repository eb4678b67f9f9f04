//! `/api/v1/sso`: the organization's single sign-on, with the same commands as Policies →
//! Single sign-on. "Test the connection" is a sign-in at the provider in a browser, so it has no
//! API twin: settings changed here are untested (refused while SSO is on) until an admin tests
//! them on the page.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

use crate::api::auth::ApiCaller;
use crate::api::db;
use crate::api::problem::{FieldError, Problem};
use crate::app::access::Admin;
use crate::app::sso as commands;
use crate::crypto::sealed::SecretKey;
use crate::domain::account::EmailAddress;
use crate::domain::sso::{self, ProviderSettings};
use crate::i18n::{Lang, Tr};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SingleSignOn {
    /// Whether members sign in through the provider.
    pub enabled: bool,
    /// Null until settings are saved.
    pub issuer_url: Option<String>,
    pub client_id: Option<String>,
    pub email_claim: Option<String>,
    /// A client secret is saved (it is never returned).
    pub has_client_secret: bool,
    /// When the saved settings passed a test on the page (RFC 3339); null when untested.
    pub tested_at: Option<String>,
    /// Members who keep signing in with their Gatehouse password.
    pub bypass: Vec<String>,
    /// Members who also belong to an organization without SSO (they block turning it on).
    pub blocking_members: Vec<String>,
}

/// The fields to change; the others keep their values.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SingleSignOnChange {
    #[schema(max_length = 2000)]
    pub issuer_url: Option<String>,
    #[schema(max_length = 255)]
    pub client_id: Option<String>,
    /// Write-only.
    #[schema(max_length = 1024)]
    pub client_secret: Option<String>,
    #[schema(max_length = 100)]
    pub email_claim: Option<String>,
    /// Turning it on needs settings that passed a test and no blocking member.
    pub enabled: Option<bool>,
}

fn key(state: &AppState, lang: Lang) -> Result<SecretKey, Problem> {
    state.settings.secret_key.clone().ok_or_else(|| {
        Problem::new(
            actix_web::http::StatusCode::CONFLICT,
            "sso-unavailable",
            &Tr(lang).t("sso-unavailable"),
        )
    })
}

fn current(
    conn: &mut crate::db::DbConnection,
    key: &SecretKey,
    organization_id: crate::domain::ids::OrganizationId,
) -> Result<SingleSignOn, Problem> {
    let connection = sso::connection(conn, key, organization_id)?;
    Ok(SingleSignOn {
        enabled: connection.as_ref().is_some_and(|c| c.enabled),
        issuer_url: connection.as_ref().map(|c| c.issuer_url.clone()),
        client_id: connection.as_ref().map(|c| c.client_id.clone()),
        email_claim: connection.as_ref().map(|c| c.email_claim.clone()),
        has_client_secret: connection.is_some(),
        tested_at: connection
            .as_ref()
            .and_then(|c| c.tested_at)
            .and_then(|at| at.assume_utc().format(&Rfc3339).ok()),
        bypass: sso::bypass_list(conn, organization_id)?,
        blocking_members: sso::blocking_members(conn, organization_id)?,
    })
}

/// The organization's single sign-on.
#[utoipa::path(
    get, path = "/api/v1/sso", tag = "sso",
    operation_id = "sso_show",
    responses((status = 200, description = "Single sign-on", body = SingleSignOn)),
    security(("token" = []))
)]
pub async fn show(state: web::Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let key = key(&state, caller.lang)?;
    let shown = db(&state, caller.lang, move |conn| {
        current(conn, &key, by.organization_id())
    })
    .await?;
    Ok(HttpResponse::Ok().json(shown))
}

/// Changes the provider's settings and turns single sign-on on or off.
#[utoipa::path(
    patch, path = "/api/v1/sso", tag = "sso",
    operation_id = "sso_update",
    request_body = SingleSignOnChange,
    responses(
        (status = 200, description = "Single sign-on after the change", body = SingleSignOn),
        (status = 422, description = "A field is not valid, or the change is refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn update(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<SingleSignOnChange>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, key) = (caller.lang, key(&state, caller.lang)?);
    let change = body.into_inner();
    let shown = db(&state, lang, move |conn| {
        let organization_id = by.organization_id();
        let touches_settings = change.issuer_url.is_some()
            || change.client_id.is_some()
            || change.client_secret.is_some()
            || change.email_claim.is_some();
        if touches_settings {
            let saved = sso::settings(conn, &key, organization_id)?;
            let pick = |new: &Option<String>, old: Option<&String>| {
                new.clone().or_else(|| old.cloned()).unwrap_or_default()
            };
            let settings = ProviderSettings::parse(
                &pick(&change.issuer_url, saved.as_ref().map(|s| &s.issuer_url)),
                &pick(&change.client_id, saved.as_ref().map(|s| &s.client_id)),
                &pick(
                    &change.client_secret,
                    saved.as_ref().map(|s| &s.client_secret),
                ),
                &pick(&change.email_claim, saved.as_ref().map(|s| &s.email_claim)),
            )
            .map_err(|(field, message)| {
                Problem::invalid(vec![FieldError {
                    field: field.into(),
                    code: "invalid".into(),
                    message: Tr(lang).t(message),
                }])
            })?;
            commands::save_settings(&by, &key, &settings, conn)
                .map_err(|err| Problem::from_domain(err, lang))?;
        }
        if let Some(enabled) = change.enabled {
            commands::set_enabled(&by, &key, enabled, conn)
                .map_err(|err| Problem::from_domain(err, lang))?;
        }
        current(conn, &key, organization_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(shown))
}

fn email_in_path(email: &str, lang: Lang) -> Result<EmailAddress, Problem> {
    EmailAddress::parse(email).map_err(|key| {
        Problem::invalid(vec![FieldError {
            field: "email".into(),
            code: "invalid".into(),
            message: Tr(lang).t(key),
        }])
    })
}

/// Adds a member to the bypass list (saved at once).
#[utoipa::path(
    put, path = "/api/v1/sso/bypass/{email}", tag = "sso",
    operation_id = "sso_bypass_add",
    params(("email" = String, Path, description = "The member's email")),
    responses(
        (status = 204, description = "The member bypasses single sign-on"),
        (status = 422, description = "Not an email, or not a member", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn add_bypass(
    state: web::Data<AppState>,
    caller: ApiCaller,
    email: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let lang = caller.lang;
    let email = email_in_path(&email, lang)?;
    db(&state, lang, move |conn| {
        commands::add_bypass(&by, &email, conn).map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Removes a member from the bypass list.
#[utoipa::path(
    delete, path = "/api/v1/sso/bypass/{email}", tag = "sso",
    operation_id = "sso_bypass_remove",
    params(("email" = String, Path, description = "The member's email")),
    responses(
        (status = 204, description = "The member signs in through the provider again"),
        (status = 404, description = "Not on the list", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn remove_bypass(
    state: web::Data<AppState>,
    caller: ApiCaller,
    email: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let lang = caller.lang;
    let email = email_in_path(&email, lang)?;
    let removed = db(&state, lang, move |conn| {
        commands::remove_bypass(&by, email.as_str(), conn)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    if removed {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(Problem::not_found())
    }
}
