//! Switching the organization the session acts in.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::app::access::Admin;
use crate::app::organizations;
use crate::app::sessions::{self, Switched};
use crate::domain::ids::OrganizationId;
use crate::domain::organization;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::context::{CurrentAccount, CurrentMember, Guarded};
use crate::web::htmx;

#[derive(Deserialize)]
pub struct SwitchForm {
    organization_id: OrganizationId,
}

pub async fn switch(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
    form: web::Form<SwitchForm>,
) -> Result<HttpResponse, AppError> {
    let organization_id = form.organization_id;
    let trusted_device = req
        .cookie(&crate::web::cookies::CookieKind::TrustedDevice.name(&state.settings))
        .map(|cookie| cookie.value().to_owned());
    let me = current.me(state.now());
    let switched = state
        .db(move |conn| {
            sessions::switch_organization(&me, organization_id, trusted_device.as_deref(), conn)
        })
        .await?;
    match switched {
        Switched::NotMember => return Err(AppError::NotFound),
        Switched::AddressRefused => return Err(AppError::AddressNotAllowed),
        Switched::CodeRequired => {
            return Ok(htmx::see_other(&req, crate::web::two_factor::PATH));
        }
        Switched::Done => {}
    }
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/",
        "flash-organization-switched",
    ))
}

pub struct OrganizationRow {
    pub id: OrganizationId,
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
    let by = member.acting(state.now());
    state
        .db(move |conn| organizations::rename(&by, &name, conn))
        .await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/organizations",
        "flash-organization-renamed",
    ))
}
