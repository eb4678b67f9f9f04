//! The Environments page: the organization's environments, which roles reach each and with what
//! access; create, rename, and delete with a typed confirmation.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::app::access::Admin;
use crate::app::environments;
use crate::domain::environment::{self, EnvAccessSet, RoleAccess};
use crate::domain::ids::{EnvironmentId, RoleId};
use crate::domain::organization;
use crate::domain::rules::DomainError;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::context::{CurrentMember, Guarded};
use crate::web::form::FormFields;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};
use crate::web::roles::access_key;

pub const DELETE_WORD: crate::web::confirm::ConfirmWord = crate::web::confirm::ConfirmWord::Delete;

/// One role that reaches an environment, and how.
pub struct Reach {
    pub role_id: RoleId,
    pub role_name: String,
    pub role_active: bool,
    pub access_keys: Vec<&'static str>,
}

pub struct EnvironmentRow {
    pub id: EnvironmentId,
    pub name: String,
    pub reach: Vec<Reach>,
    /// The rename form: what was typed and what was wrong, when it came back with an error.
    pub rename_value: String,
    pub rename_error: String,
}

#[derive(Template)]
#[template(path = "environments/environments.html", blocks = ["content"])]
struct EnvironmentsPage {
    t: Tr,
    shell: Shell,
    rows: Vec<EnvironmentRow>,
    new_name: String,
    new_error: String,
}

/// The environments page, with a form's input and error when it came back.
enum Kept {
    Nothing,
    New {
        name: String,
        error: String,
    },
    Rename {
        id: EnvironmentId,
        name: String,
        error: String,
    },
}

fn reach_by_environment(accesses: Vec<RoleAccess>) -> HashMap<EnvironmentId, Vec<Reach>> {
    let mut by_environment: HashMap<EnvironmentId, Vec<Reach>> = HashMap::new();
    for access in accesses {
        by_environment
            .entry(access.environment_id)
            .or_default()
            .push(Reach {
                role_id: access.role_id,
                role_name: access.role_name,
                role_active: access.role_active,
                access_keys: EnvAccessSet::from_bits(access.access)
                    .iter()
                    .map(access_key)
                    .collect(),
            });
    }
    by_environment
}

async fn environments_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    kept: Kept,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, environments, accesses) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                organization::choices_for_account(conn, account_id)?,
                environment::list(conn, organization_id)?,
                // Every role × environment access in one query, not one per environment.
                environment::access_in_organization(conn, organization_id)?,
            ))
        })
        .await?;
    let mut reach = reach_by_environment(accesses);
    let (new_name, new_error) = match &kept {
        Kept::New { name, error } => (name.clone(), error.clone()),
        _ => (String::new(), String::new()),
    };
    let rows = environments
        .into_iter()
        .map(|env| {
            let (rename_value, rename_error) = match &kept {
                Kept::Rename { id, name, error } if *id == env.id => (name.clone(), error.clone()),
                _ => (env.name.clone(), String::new()),
            };
            EnvironmentRow {
                reach: reach.remove(&env.id).unwrap_or_default(),
                id: env.id,
                name: env.name,
                rename_value,
                rename_error,
            }
        })
        .collect();
    let page = EnvironmentsPage {
        t: member.ctx.tr(),
        rows,
        new_name,
        new_error,
        shell: Shell::new(member, organizations, NavPage::Environments),
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
) -> Result<HttpResponse, AppError> {
    environments_page(&req, &state, &member, Kept::Nothing, StatusCode::OK).await
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let t = member.ctx.tr();
    let typed = fields.text("name").to_owned();
    let name = match environment::parse_name(&typed) {
        Ok(name) => name,
        Err(key) => {
            let kept = Kept::New {
                name: typed,
                error: t.t(key),
            };
            return environments_page(
                &req,
                &state,
                &member,
                kept,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let by = member.acting(state.now());
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(environments::create(&by, &name, conn)))
        .await?;
    match outcome {
        Ok(id) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            &format!("/environments#environment-{id}"),
            "flash-environments-created",
        )),
        Err(DomainError::Rule(violation)) => {
            let kept = Kept::New {
                name: typed,
                error: t.t(violation.message_key()),
            };
            environments_page(
                &req,
                &state,
                &member,
                kept,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn rename(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<EnvironmentId>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let t = member.ctx.tr();
    let organization_id = member.organization_id();
    let typed = fields.text("name").to_owned();
    let name = match environment::parse_name(&typed) {
        Ok(name) => name,
        Err(key) => {
            // Another organization's id answers 404, not a form error.
            state
                .db(move |conn| environment::find(conn, organization_id, id))
                .await?;
            let kept = Kept::Rename {
                id,
                name: typed,
                error: t.t(key),
            };
            return environments_page(
                &req,
                &state,
                &member,
                kept,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let by = member.acting(state.now());
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(environments::rename(&by, id, &name, conn)))
        .await?;
    match outcome {
        Ok(()) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            &format!("/environments#environment-{id}"),
            "flash-environments-renamed",
        )),
        Err(DomainError::Rule(violation)) => {
            let kept = Kept::Rename {
                id,
                name: typed,
                error: t.t(violation.message_key()),
            };
            environments_page(
                &req,
                &state,
                &member,
                kept,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Deletion, with a typed confirmation.

#[derive(Template)]
#[template(path = "environments/delete.html", blocks = ["content"])]
struct DeletePage {
    t: Tr,
    shell: Shell,
    id: EnvironmentId,
    name: String,
    reach: Vec<Reach>,
    word: &'static str,
    error: String,
}

async fn delete_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    id: EnvironmentId,
    error: String,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, env, accesses) = state
        .db(move |conn| {
            Ok::<_, DomainError>((
                organization::choices_for_account(conn, account_id)?,
                environment::find(conn, organization_id, id)?,
                environment::access_in_organization(conn, organization_id)?,
            ))
        })
        .await?;
    let reach = reach_by_environment(accesses)
        .remove(&id)
        .unwrap_or_default();
    let page = DeletePage {
        t: member.ctx.tr(),
        id,
        name: env.name,
        reach,
        word: DELETE_WORD.text(member.ctx.tr()),
        error,
        shell: Shell::new(member, organizations, NavPage::Environments),
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn confirm_delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<EnvironmentId>,
) -> Result<HttpResponse, AppError> {
    delete_page(
        &req,
        &state,
        &member,
        id.into_inner(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<EnvironmentId>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let t = member.ctx.tr();
    if !DELETE_WORD.matches(t, fields.text("confirm")) {
        let error = t.t1("confirm-word-mismatch", "word", DELETE_WORD.text(t));
        return delete_page(
            &req,
            &state,
            &member,
            id,
            error,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let by = member.acting(state.now());
    state
        .db(move |conn| environments::delete(&by, id, conn))
        .await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/environments",
        "flash-environments-deleted",
    ))
}
