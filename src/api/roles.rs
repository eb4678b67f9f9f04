//! `/api/v1/roles`: the organization's roles, through the same commands as the Roles page.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::auth::ApiCaller;
use crate::api::problem::{FieldError, Problem};
use crate::api::{check_precondition, db, delete_if_match, if_match, with_etag};
use crate::app::access::Admin;
use crate::app::roles::{self as commands, RoleInput};
use crate::db::write_transaction;
use crate::domain::ids::RoleId;
use crate::domain::permission::Permission;
use crate::domain::role::{self, Role as StoredRole};
use crate::i18n::{Lang, Tr};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Role {
    pub id: i64,
    pub name: String,
    /// Among `read`, `admin`, `agent-install`, `api-consumer`, `api-access` (and the deprecated
    /// `app-developer` where a role still has it).
    pub permissions: Vec<String>,
    pub active: bool,
    /// `administrator` or `user` for the built-in roles, which cannot be renamed or removed.
    pub builtin: Option<String>,
}

impl Role {
    fn of(role: &StoredRole) -> Self {
        Self {
            id: role.id.get(),
            name: role.name.clone(),
            permissions: role
                .permission_set()
                .iter()
                .map(|permission| permission.as_str().to_owned())
                .collect(),
            active: role.active,
            builtin: role.builtin.map(|builtin| builtin.as_str().to_owned()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleList {
    pub data: Vec<Role>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRole {
    #[schema(min_length = 1, max_length = 60)]
    pub name: String,
    #[schema(min_items = 1, inline, value_type = Vec<PermissionName>)]
    pub permissions: Vec<String>,
}

/// A permission a role may be given.
#[derive(Debug, ToSchema)]
#[schema(as = PermissionName)]
#[allow(dead_code)]
#[serde(rename_all = "kebab-case")]
pub enum PermissionName {
    Read,
    Admin,
    AgentInstall,
    ApiConsumer,
    ApiAccess,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    #[schema(min_length = 1, max_length = 60)]
    pub name: Option<String>,
    #[schema(min_items = 1, value_type = Option<Vec<PermissionName>>)]
    pub permissions: Option<Vec<String>>,
    /// Deactivate (false) or reactivate (true) the role.
    pub active: Option<bool>,
}

fn field(lang: Lang, field: &str, key: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: key.to_owned(),
        message: Tr(lang).t(key),
    }
}

/// Checks a role's name and permissions as the role form does.
fn input(
    lang: Lang,
    name: &str,
    permissions: &[String],
    previous: Option<crate::domain::permission::PermissionSet>,
) -> Result<RoleInput, Problem> {
    let name = role::parse_name(name);
    let permissions = role::parse_permissions(permissions, previous);
    match (name, permissions) {
        (Ok(name), Ok(permissions)) => Ok(RoleInput { name, permissions }),
        (name, permissions) => {
            let mut errors = Vec::new();
            if let Err(key) = name {
                errors.push(field(lang, "name", key));
            }
            if let Err(key) = permissions {
                errors.push(field(lang, "permissions", key));
            }
            Err(Problem::invalid(errors))
        }
    }
}

/// Lists the organization's roles.
#[utoipa::path(
    operation_id = "roles_list",
    get, path = "/api/v1/roles", tag = "roles",
    responses(
        (status = 200, description = "Every role of the organization, by name", body = RoleList),
        (status = 403, description = "The token's owner is not an administrator", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn list(state: web::Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let lang = caller.lang;
    let roles = db(&state, lang, move |conn| {
        Ok(role::list(conn, by.organization_id())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(RoleList {
        data: roles.iter().map(Role::of).collect(),
    }))
}

/// One role.
#[utoipa::path(
    operation_id = "roles_show",
    get, path = "/api/v1/roles/{id}", tag = "roles",
    params(("id" = i64, Path, description = "The role's id")),
    responses(
        (status = 200, description = "The role, with its ETag", body = Role),
        (status = 404, description = "No such role in the organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<RoleId>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, role_id) = (caller.lang, path.into_inner());
    let found = db(&state, lang, move |conn| {
        role::find(conn, by.organization_id(), role_id)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    Ok(with_etag(&Role::of(&found)))
}

/// Creates a role.
#[utoipa::path(
    operation_id = "roles_create",
    post, path = "/api/v1/roles", tag = "roles",
    request_body = NewRole,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key get the first answer")),
    responses(
        (status = 201, description = "Created", body = Role, headers(("Location" = String))),
        (status = 422, description = "A field breaks a rule (e.g. the name is taken)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewRole>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let lang = caller.lang;
    let input = input(lang, &body.name, &body.permissions, None)?;
    let created = db(&state, lang, move |conn| {
        let id =
            commands::create(&by, &input, conn).map_err(|err| Problem::from_domain(err, lang))?;
        role::find(conn, by.organization_id(), id).map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    let role = Role::of(&created);
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((header::LOCATION, format!("/api/v1/roles/{}", role.id)))
        .insert_header((header::ETAG, crate::api::etag_of(&role)))
        .json(role))
}

/// Renames a role, changes its permissions, or switches it off or on.
#[utoipa::path(
    operation_id = "roles_update",
    patch, path = "/api/v1/roles/{id}", tag = "roles",
    request_body = RoleChange,
    params(
        ("id" = i64, Path, description = "The role's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on"),
    ),
    responses(
        (status = 200, description = "The changed role", body = Role),
        (status = 412, description = "The role changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<RoleId>,
    body: web::Json<RoleChange>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, role_id, expected) = (caller.lang, path.into_inner(), if_match(&req));
    let change = body.into_inner();
    let changed = db(&state, lang, move |conn| {
        write_transaction(conn, |conn| {
            let current = role::find(conn, by.organization_id(), role_id)
                .map_err(|err| Problem::from_domain(err, lang))?;
            check_precondition(&expected, &Role::of(&current))?;
            if change.name.is_some() || change.permissions.is_some() {
                let names: Vec<String> = current
                    .permission_set()
                    .iter()
                    .map(|p: Permission| p.as_str().to_owned())
                    .collect();
                let input = input(
                    lang,
                    change.name.as_deref().unwrap_or(&current.name),
                    change.permissions.as_deref().unwrap_or(&names),
                    Some(current.permission_set()),
                )?;
                commands::update(&by, role_id, &input, conn)
                    .map_err(|err| Problem::from_domain(err, lang))?;
            }
            if let Some(active) = change.active.filter(|active| *active != current.active) {
                commands::set_active(&by, role_id, active, conn)
                    .map_err(|err| Problem::from_domain(err, lang))?;
            }
            role::find(conn, by.organization_id(), role_id)
                .map_err(|err| Problem::from_domain(err, lang))
        })
    })
    .await?;
    Ok(with_etag(&Role::of(&changed)))
}

/// Removes a role.
#[utoipa::path(
    operation_id = "roles_remove",
    delete, path = "/api/v1/roles/{id}", tag = "roles",
    params(
        ("id" = i64, Path, description = "The role's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the removal is based on"),
    ),
    responses(
        (status = 204, description = "Removed (members for whom it was the last role left the organization)"),
        (status = 412, description = "The role changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule refused it (e.g. a built-in role)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<RoleId>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, role_id) = (caller.lang, path.into_inner());
    delete_if_match(
        &req,
        &state,
        lang,
        by,
        move |by, conn| {
            role::find(conn, by.organization_id(), role_id)
                .map(|current| Role::of(&current))
                .map_err(|err| Problem::from_domain(err, lang))
        },
        move |by, conn| {
            commands::remove(by, role_id, conn).map_err(|err| Problem::from_domain(err, lang))
        },
    )
    .await
}
