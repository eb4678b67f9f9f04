//! `/api/v1/environments`: the organization's environments with each role's access to them,
//! through the same commands as the Environments page.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::auth::ApiCaller;
use crate::api::db;
use crate::api::problem::{FieldError, Problem};
use crate::app::access::Admin;
use crate::app::{environments as commands, roles as role_commands};
use crate::domain::environment::{self, EnvAccess, EnvAccessSet, Environment as StoredEnvironment};
use crate::domain::ids::{EnvironmentId, RoleId};
use crate::i18n::Tr;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleAccess {
    pub role_id: i64,
    pub role_name: String,
    /// Among `view-logs`, `read`, `execute`, `write`.
    pub access: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Environment {
    pub id: i64,
    pub name: String,
    /// The roles with any access to it, by name.
    pub roles: Vec<RoleAccess>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnvironmentList {
    pub data: Vec<Environment>,
}

fn access_names(access: EnvAccessSet) -> Vec<String> {
    access.iter().map(|a| a.as_str().to_owned()).collect()
}

fn environments(
    conn: &mut crate::db::DbConnection,
    organization_id: crate::domain::ids::OrganizationId,
) -> Result<Vec<Environment>, Problem> {
    let mut access: HashMap<EnvironmentId, Vec<RoleAccess>> = HashMap::new();
    for row in environment::access_in_organization(conn, organization_id)? {
        access
            .entry(row.environment_id)
            .or_default()
            .push(RoleAccess {
                role_id: row.role_id.get(),
                role_name: row.role_name,
                access: access_names(EnvAccessSet::from_bits(row.access)),
            });
    }
    Ok(environment::list(conn, organization_id)?
        .into_iter()
        .map(|StoredEnvironment { id, name, .. }| Environment {
            id: id.get(),
            name,
            roles: access.remove(&id).unwrap_or_default(),
        })
        .collect())
}

/// Lists the environments and each role's access to them.
#[utoipa::path(
    get, path = "/api/v1/environments", tag = "environments",
    operation_id = "environments_list",
    responses((status = 200, description = "Every environment, by name", body = EnvironmentList)),
    security(("token" = []))
)]
pub async fn list(state: web::Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let data = db(&state, caller.lang, move |conn| {
        environments(conn, by.organization_id())
    })
    .await?;
    Ok(HttpResponse::Ok().json(EnvironmentList { data }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEnvironment {
    #[schema(min_length = 1, max_length = 60)]
    pub name: String,
}

/// Creates an environment.
#[utoipa::path(
    post, path = "/api/v1/environments", tag = "environments",
    operation_id = "environments_create",
    request_body = NewEnvironment,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key get the first answer")),
    responses((status = 201, description = "Created", body = Environment, headers(("Location" = String)))),
    security(("token" = []))
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewEnvironment>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let lang = caller.lang;
    let name = environment::parse_name(&body.name).map_err(|key| {
        Problem::invalid(vec![FieldError {
            field: "name".into(),
            code: key.into(),
            message: Tr(lang).t(key),
        }])
    })?;
    let id = db(&state, lang, move |conn| {
        commands::create(&by, &name, conn).map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    let created = Environment {
        id: id.get(),
        name: body.name.trim().to_owned(),
        roles: Vec::new(),
    };
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((header::LOCATION, "/api/v1/environments"))
        .json(created))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessChange {
    /// Among `view-logs`, `read`, `execute`, `write`; empty takes all access away.
    pub access: Vec<String>,
}

/// Sets what a role may do in an environment.
#[utoipa::path(
    put, path = "/api/v1/environments/{id}/roles/{role_id}", tag = "environments",
    operation_id = "environments_set_role_access",
    request_body = AccessChange,
    params(
        ("id" = i64, Path, description = "The environment's id"),
        ("role_id" = i64, Path, description = "The role's id"),
    ),
    responses((status = 200, description = "The role's access now", body = RoleAccess)),
    security(("token" = []))
)]
pub async fn set_role_access(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<(EnvironmentId, RoleId)>,
    body: web::Json<AccessChange>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, (environment_id, role_id)) = (caller.lang, path.into_inner());
    let mut chosen = Vec::new();
    for name in &body.access {
        chosen.push(EnvAccess::parse(name).ok_or_else(|| {
            Problem::invalid(vec![FieldError {
                field: "access".into(),
                code: "invalid".into(),
                message: "Use view-logs, read, execute or write.".into(),
            }])
        })?);
    }
    let access = EnvAccessSet::of(&chosen);
    let role_name = db(&state, lang, move |conn| {
        role_commands::set_environment_access(&by, role_id, environment_id, access, conn)
            .map_err(|err| Problem::from_domain(err, lang))?;
        crate::domain::role::find(conn, by.organization_id(), role_id)
            .map(|role| role.name)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    Ok(HttpResponse::Ok().json(RoleAccess {
        role_id: role_id.get(),
        role_name,
        access: access_names(access),
    }))
}

fn environment_in(
    conn: &mut crate::db::DbConnection,
    organization_id: crate::domain::ids::OrganizationId,
    environment_id: EnvironmentId,
) -> Result<Environment, Problem> {
    // Environments are few per organization: reading them all keeps one way of building them.
    environments(conn, organization_id)?
        .into_iter()
        .find(|environment| environment.id == environment_id.get())
        .ok_or_else(Problem::not_found)
}

/// Reads one environment and each role's access to it.
#[utoipa::path(
    get, path = "/api/v1/environments/{id}", tag = "environments",
    operation_id = "environments_show",
    params(("id" = i64, Path, description = "The environment's id")),
    responses(
        (status = 200, description = "The environment", body = Environment),
        (status = 404, description = "No such environment in the organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<EnvironmentId>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let environment_id = path.into_inner();
    let found = db(&state, caller.lang, move |conn| {
        environment_in(conn, by.organization_id(), environment_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(found))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentChange {
    #[schema(min_length = 1, max_length = 60)]
    pub name: String,
}

/// Renames an environment.
#[utoipa::path(
    patch, path = "/api/v1/environments/{id}", tag = "environments",
    operation_id = "environments_rename",
    request_body = EnvironmentChange,
    params(("id" = i64, Path, description = "The environment's id")),
    responses(
        (status = 200, description = "The environment after the change", body = Environment),
        (status = 404, description = "No such environment in the organization", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The name is empty, too long or taken", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn rename(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<EnvironmentId>,
    body: web::Json<EnvironmentChange>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, environment_id) = (caller.lang, path.into_inner());
    let name = environment::parse_name(&body.name).map_err(|key| {
        Problem::invalid(vec![FieldError {
            field: "name".into(),
            code: key.into(),
            message: Tr(lang).t(key),
        }])
    })?;
    let renamed = db(&state, lang, move |conn| {
        commands::rename(&by, environment_id, &name, conn)
            .map_err(|err| Problem::from_domain(err, lang))?;
        environment_in(conn, by.organization_id(), environment_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(renamed))
}
