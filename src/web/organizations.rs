//! Switching the organization the session acts in.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::app::access::Admin;
use crate::domain::organization;
use crate::domain::session;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::context::{CurrentAccount, CurrentMember, Guarded};
use crate::web::htmx;

#[derive(Deserialize)]
pub struct SwitchForm {
    organization_id: i64,
}

pub async fn switch(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
    form: web::Form<SwitchForm>,
) -> Result<HttpResponse, AppError> {
    let account_id = current.account.account_id;
    let session_hash = current.account.session_hash.clone();
    let organization_id = form.organization_id;
    let address = current.ctx.client_ip.clone();
    let trusted_device = req
        .cookie(&crate::web::cookies::CookieKind::TrustedDevice.name(&state.settings))
        .map(|cookie| cookie.value().to_owned());
    let verified = current
        .account
        .two_factor_verified
        .contains(&organization_id);
    let now = state.now();
    let switched = state
        .db(move |conn| {
            let Some(member) = organization::member_context(conn, account_id, organization_id)?
            else {
                return Ok::<_, diesel::result::Error>(None);
            };
            if !crate::domain::policy::address_allowed(&member.ip_allow_list, address.as_deref()) {
                return Ok(Some(Err(())));
            }
            session::set_organization(conn, &session_hash, organization_id)?;
            // Switching into an organization that asks for two-factor asks for the code now.
            let pending: bool = !verified
                && crate::domain::two_factor::required(
                    conn,
                    account_id,
                    organization_id,
                    trusted_device.as_deref(),
                    now,
                )?;
            session::set_two_factor_pending(
                conn,
                &session_hash,
                pending.then_some(organization_id),
            )?;
            Ok(Some(Ok(pending)))
        })
        .await?;
    match switched {
        // Not a member there: the same answer as for an organization that does not exist.
        None => return Err(AppError::NotFound),
        Some(Err(())) => {
            return Err(AppError::AddressNotAllowed);
        }
        Some(Ok(true)) => {
            return Ok(htmx::see_other(&req, crate::web::two_factor::PATH));
        }
        Some(Ok(false)) => {}
    }
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/",
        "flash-organization-switched",
    ))
}

pub struct OrganizationRow {
    pub id: i64,
    pub name: String,
    pub roles: String,
    pub current: bool,
}

#[derive(askama::Template)]
#[template(path = "organizations/organizations.html", blocks = ["content"])]
struct OrganizationsPage {
    t: crate::i18n::Tr,
    shell: crate::web::layout::Shell,
    rows: Vec<OrganizationRow>,
    can_edit: bool,
    edit_name: String,
    edit_error: String,
}

async fn organizations_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    edit_name: Option<String>,
    edit_error: String,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    let (account_id, current) = (member.account.account_id, member.organization_id());
    let (organizations, roles) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                organization::choices_for_account(conn, account_id)?,
                organization::role_names_by_organization(conn, account_id)?,
            ))
        })
        .await?;
    let rows = organizations
        .iter()
        .map(|choice| OrganizationRow {
            id: choice.id,
            name: choice.name.clone(),
            roles: roles
                .get(&choice.id)
                .map(|names| names.join(", "))
                .unwrap_or_default(),
            current: choice.id == current,
        })
        .collect();
    let page = OrganizationsPage {
        t: member.ctx.tr(),
        rows,
        can_edit: member.holds::<Admin>(),
        edit_name: edit_name.unwrap_or_else(|| member.member.organization_name.clone()),
        edit_error,
        shell: crate::web::layout::Shell::new(
            member,
            organizations,
            crate::web::layout::NavPage::Organizations,
        ),
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: CurrentMember,
) -> Result<HttpResponse, AppError> {
    organizations_page(
        &req,
        &state,
        &member,
        None,
        String::new(),
        actix_web::http::StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    name: String,
}

/// Renames the current organization (only the current one can be edited).
pub async fn rename(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    form: web::Form<RenameForm>,
) -> Result<HttpResponse, AppError> {
    let name = match organization::parse_name(&form.name) {
        Ok(name) => name,
        Err(key) => {
            let error = member.ctx.tr().t(key);
            return organizations_page(
                &req,
                &state,
                &member,
                Some(form.name.clone()),
                error,
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let organization_id = member.organization_id();
    let actor = crate::domain::audit::Actor {
        account_id: Some(member.account.account_id),
        ip: member.ctx.client_ip.clone(),
        at: state.now(),
    };
    state
        .db(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                organization::rename(conn, organization_id, &name, &actor)
            })
        })
        .await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/organizations",
        "flash-organization-renamed",
    ))
}
