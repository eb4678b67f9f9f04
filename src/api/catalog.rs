//! `/api/v1/apis` and `/api/v1/api-groups`: the organization's API catalog, as on the APIs page,
//! through the same commands. An API's OpenAPI document has its own resource
//! (`/api/v1/apis/{id}/document`), sent as the raw JSON or YAML file, as the page uploads it.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::auth::ApiCaller;
use crate::api::problem::{FieldError, Problem};
use crate::api::{check_precondition, db, delete_if_match, if_match, timestamp, with_etag};
use crate::app::access::{Acting, Admin};
use crate::app::apis::{self as commands, GroupInput};
use crate::db::{DbConnection, write_transaction};
use crate::domain::api_catalog::{self, ApiFields, DocumentChange, ListedApi, StoredDocument};
use crate::domain::ids::{EnvironmentId, OrganizationId};
use crate::domain::openapi::{self, MAX_DOCUMENT_BYTES};
use crate::domain::rules::DomainError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Api {
    pub id: i64,
    pub environment_id: i64,
    pub environment_name: String,
    pub name: String,
    pub version: String,
    pub description: String,
    pub base_url: String,
    /// The name of its OpenAPI document; none: it has none.
    pub document_filename: Option<String>,
    pub updated_at: String,
}

impl Api {
    fn of(listed: ListedApi) -> Self {
        let api = listed.api;
        Self {
            id: api.id,
            environment_id: api.environment_id.get(),
            environment_name: listed.environment_name,
            name: api.name,
            version: api.version,
            description: api.description,
            base_url: api.base_url,
            document_filename: api.openapi_filename,
            updated_at: timestamp(api.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiList {
    pub data: Vec<Api>,
}

fn field(name: &str, code: &str, message: String) -> FieldError {
    FieldError {
        field: name.into(),
        code: code.into(),
        message,
    }
}

/// Checks an API's fields as the page's form does; every mistake at once.
fn checked_fields(
    lang: Lang,
    environment_id: i64,
    name: &str,
    version: &str,
    description: &str,
    base_url: &str,
) -> Result<ApiFields, Problem> {
    let t = Tr(lang);
    let mut errors = Vec::new();
    let mut check = |slot: &str, result: Result<String, &'static str>| {
        result
            .map_err(|key| errors.push(field(slot, key, t.t(key))))
            .unwrap_or_default()
    };
    let fields = ApiFields {
        environment_id: EnvironmentId::new(environment_id),
        name: check("name", api_catalog::parse_api_name(name)),
        version: check("version", api_catalog::parse_version(version)),
        description: check("description", api_catalog::parse_description(description)),
        base_url: check("base_url", api_catalog::parse_base_url(base_url)),
    };
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(Problem::invalid(errors))
    }
}

/// A rule's refusal, or an environment not of the organization (the API itself was found).
fn refused_api(err: DomainError, lang: Lang) -> Problem {
    match err {
        DomainError::NotFound => Problem::invalid(vec![field(
            "environment_id",
            "unknown-environment",
            "The environment is not one of the organization's.".into(),
        )]),
        err => Problem::from_domain(err, lang),
    }
}

fn listed(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: i64,
    lang: Lang,
) -> Result<Api, Problem> {
    api_catalog::find_api(conn, organization_id, id)
        .map(Api::of)
        .map_err(|err| Problem::from_domain(err, lang))
}

/// Lists the catalog's APIs by environment, name and version.
#[utoipa::path(
    get, path = "/api/v1/apis", tag = "apis",
    operation_id = "apis_list",
    responses((status = 200, description = "Every API of the organization", body = ApiList)),
    security(("token" = []))
)]
pub async fn list_apis(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let apis = db(&state, caller.lang, move |conn| {
        Ok(api_catalog::list_apis(conn, by.organization_id())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ApiList {
        data: apis.into_iter().map(Api::of).collect(),
    }))
}

/// Reads one API.
#[utoipa::path(
    get, path = "/api/v1/apis/{id}", tag = "apis",
    operation_id = "apis_show",
    params(("id" = i64, Path, description = "The API's id")),
    responses(
        (status = 200, description = "The API, with its ETag", body = Api),
    ),
    security(("token" = []))
)]
pub async fn show_api(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    let api = db(&state, lang, move |conn| {
        listed(conn, by.organization_id(), id, lang)
    })
    .await?;
    Ok(with_etag(&api))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApi {
    pub environment_id: i64,
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[schema(min_length = 1, max_length = 40)]
    pub version: String,
    #[serde(default)]
    pub description: String,
    /// `https://` (or `http://`) and a host.
    pub base_url: String,
}

/// Adds an API to the catalog; its OpenAPI document is sent afterwards, to its document.
#[utoipa::path(
    post, path = "/api/v1/apis", tag = "apis",
    operation_id = "apis_create",
    request_body = NewApi,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key get the first answer")),
    responses(
        (status = 201, description = "Added", body = Api, headers(("Location" = String))),
        (status = 422, description = "A field is invalid, the environment unknown, or the name and version taken", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn create_api(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewApi>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let lang = caller.lang;
    let fields = checked_fields(
        lang,
        body.environment_id,
        &body.name,
        &body.version,
        &body.description,
        &body.base_url,
    )?;
    let api = db(&state, lang, move |conn| {
        let id =
            commands::create_api(&by, &fields, None, conn).map_err(|err| refused_api(err, lang))?;
        listed(conn, by.organization_id(), id, lang)
    })
    .await?;
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((header::LOCATION, format!("/api/v1/apis/{}", api.id)))
        .json(api))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiChange {
    /// Moves the API to another environment.
    pub environment_id: Option<i64>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
}

/// Changes an API's fields; those left out stay as they are.
#[utoipa::path(
    patch, path = "/api/v1/apis/{id}", tag = "apis",
    operation_id = "apis_update",
    request_body = ApiChange,
    params(
        ("id" = i64, Path, description = "The API's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on"),
    ),
    responses(
        (status = 200, description = "The API after the change", body = Api),
        (status = 412, description = "The API changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, the environment unknown, or the name and version taken", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn update_api(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<ApiChange>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id, expected) = (caller.lang, path.into_inner(), if_match(&req));
    let change = body.into_inner();
    let after = db(&state, lang, move |conn| {
        write_transaction(conn, |conn| {
            let current = listed(conn, by.organization_id(), id, lang)?;
            check_precondition(&expected, &current)?;
            let fields = checked_fields(
                lang,
                change.environment_id.unwrap_or(current.environment_id),
                change.name.as_deref().unwrap_or(&current.name),
                change.version.as_deref().unwrap_or(&current.version),
                change
                    .description
                    .as_deref()
                    .unwrap_or(&current.description),
                change.base_url.as_deref().unwrap_or(&current.base_url),
            )?;
            commands::update_api(&by, id, &fields, &DocumentChange::Keep, conn)
                .map_err(|err| refused_api(err, lang))?;
            listed(conn, by.organization_id(), id, lang)
        })
    })
    .await?;
    Ok(with_etag(&after))
}

/// Deletes an API: it leaves its groups, and external users and partners lose access to it.
#[utoipa::path(
    delete, path = "/api/v1/apis/{id}", tag = "apis",
    operation_id = "apis_delete",
    params(
        ("id" = i64, Path, description = "The API's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the deletion is based on"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 412, description = "The API changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn delete_api(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    delete_if_match(
        &req,
        &state,
        lang,
        by,
        move |by, conn| listed(conn, by.organization_id(), id, lang),
        move |by, conn| {
            commands::delete_api(by, id, conn).map_err(|err| Problem::from_domain(err, lang))
        },
    )
    .await
}

/// Downloads an API's OpenAPI document as it was uploaded.
#[utoipa::path(
    get, path = "/api/v1/apis/{id}/document", tag = "apis",
    operation_id = "apis_document_show",
    params(("id" = i64, Path, description = "The API's id")),
    responses(
        (status = 200, description = "The document, JSON or YAML", content((String = "application/json"), (String = "application/yaml"))),
        (status = 404, description = "No such API, or it has no document", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn show_document(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    let text = db(&state, lang, move |conn| {
        listed(conn, by.organization_id(), id, lang)?;
        api_catalog::document(conn, id)?
            .map(|(_, text)| text)
            .ok_or_else(Problem::not_found)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type(openapi::format_of(&text).content_type())
        .body(text))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    /// The file's name as the catalog shows it (default `openapi.json` or `openapi.yaml`).
    pub filename: Option<String>,
}

/// Reads a body of at most `MAX_DOCUMENT_BYTES`, refusing a larger one as soon as it is seen.
async fn document_body(mut payload: web::Payload, lang: Lang) -> Result<Vec<u8>, Problem> {
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|err| {
            Problem::bad_request(format!("The document could not be read: {err}"))
        })?;
        if bytes.len() + chunk.len() > MAX_DOCUMENT_BYTES {
            return Err(Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "document-too-large",
                "Document too large",
            )
            .detail(openapi::OpenApiError::TooLarge.message(Tr(lang))));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Replaces an API's OpenAPI document (JSON or YAML, OpenAPI 3 or Swagger 2, at most 2 MB).
#[utoipa::path(
    put, path = "/api/v1/apis/{id}/document", tag = "apis",
    operation_id = "apis_document_replace",
    request_body(description = "The document as a file holds it", content((String = "application/json"), (String = "application/yaml"))),
    params(("id" = i64, Path, description = "The API's id"), DocumentQuery),
    responses(
        (status = 200, description = "The API with its new document", body = Api),
        (status = 413, description = "Larger than 2 MB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a document the catalog can read", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn replace_document(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    query: web::Query<DocumentQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    let bytes = document_body(payload, lang).await?;
    let parsed = web::block(move || openapi::parse(&bytes))
        .await
        .map_err(|_| Problem::internal())?
        .map_err(|err| {
            Problem::invalid(vec![field(
                "document",
                err.message_key(),
                err.message(Tr(lang)),
            )])
        })?;
    let document = StoredDocument {
        filename: openapi::sanitize_filename(
            query.filename.as_deref().unwrap_or_default(),
            parsed.format,
        ),
        text: parsed.text,
        operations: parsed.operations,
    };
    let after = change_document(&state, by, id, lang, DocumentChange::Replace(document)).await?;
    Ok(with_etag(&after))
}

/// Removes an API's OpenAPI document.
#[utoipa::path(
    delete, path = "/api/v1/apis/{id}/document", tag = "apis",
    operation_id = "apis_document_remove",
    params(("id" = i64, Path, description = "The API's id")),
    responses(
        (status = 204, description = "Removed (or it had none)"),
    ),
    security(("token" = []))
)]
pub async fn remove_document(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    change_document(&state, by, id, lang, DocumentChange::Remove).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The page's edit with the API's fields as they are and only its document changed.
async fn change_document(
    state: &AppState,
    by: Acting<Admin>,
    id: i64,
    lang: Lang,
    change: DocumentChange,
) -> Result<Api, Problem> {
    db(state, lang, move |conn| {
        write_transaction(conn, |conn| {
            let current = api_catalog::find_api(conn, by.organization_id(), id)
                .map_err(|err| Problem::from_domain(err, lang))?
                .api;
            let fields = ApiFields {
                environment_id: current.environment_id,
                name: current.name,
                version: current.version,
                description: current.description,
                base_url: current.base_url,
            };
            commands::update_api(&by, id, &fields, &change, conn)
                .map_err(|err| Problem::from_domain(err, lang))?;
            listed(conn, by.organization_id(), id, lang)
        })
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// API groups.

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiGroup {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// The APIs in the group.
    pub api_ids: Vec<i64>,
    pub updated_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiGroupList {
    pub data: Vec<ApiGroup>,
}

fn groups_of(
    conn: &mut DbConnection,
    groups: Vec<api_catalog::ApiGroup>,
) -> Result<Vec<ApiGroup>, Problem> {
    let ids: Vec<i64> = groups.iter().map(|group| group.id).collect();
    let mut members = api_catalog::group_members(conn, &ids)?;
    Ok(groups
        .into_iter()
        .map(|group| {
            let mut api_ids = members.remove(&group.id).unwrap_or_default();
            api_ids.sort_unstable();
            ApiGroup {
                id: group.id,
                name: group.name,
                description: group.description,
                api_ids,
                updated_at: timestamp(group.updated_at),
            }
        })
        .collect())
}

fn group(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: i64,
    lang: Lang,
) -> Result<ApiGroup, Problem> {
    let found = api_catalog::find_group(conn, organization_id, id)
        .map_err(|err| Problem::from_domain(err, lang))?;
    Ok(groups_of(conn, vec![found])?.remove(0))
}

/// Checks a group's name and description as the page's form does.
fn checked_group(
    lang: Lang,
    name: &str,
    description: &str,
    api_ids: Vec<i64>,
) -> Result<GroupInput, Problem> {
    let t = Tr(lang);
    let mut errors = Vec::new();
    let name = api_catalog::parse_group_name(name)
        .map_err(|key| errors.push(field("name", key, t.t(key))))
        .unwrap_or_default();
    let description = api_catalog::parse_description(description)
        .map_err(|key| errors.push(field("description", key, t.t(key))))
        .unwrap_or_default();
    if errors.is_empty() {
        Ok(GroupInput {
            name,
            description,
            api_ids,
        })
    } else {
        Err(Problem::invalid(errors))
    }
}

/// A rule's refusal, or an API id not of the organization (the group itself was found).
fn refused_group(err: DomainError, lang: Lang) -> Problem {
    match err {
        DomainError::NotFound => Problem::invalid(vec![field(
            "api_ids",
            "unknown-api",
            "An API id is not one of the organization's.".into(),
        )]),
        err => Problem::from_domain(err, lang),
    }
}

/// Lists the API groups by name.
#[utoipa::path(
    get, path = "/api/v1/api-groups", tag = "apis",
    operation_id = "api_groups_list",
    responses((status = 200, description = "Every API group of the organization", body = ApiGroupList)),
    security(("token" = []))
)]
pub async fn list_groups(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let data = db(&state, caller.lang, move |conn| {
        let groups = api_catalog::list_groups(conn, by.organization_id())?;
        groups_of(conn, groups)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ApiGroupList { data }))
}

/// Reads one API group.
#[utoipa::path(
    get, path = "/api/v1/api-groups/{id}", tag = "apis",
    operation_id = "api_groups_show",
    params(("id" = i64, Path, description = "The group's id")),
    responses(
        (status = 200, description = "The group, with its ETag", body = ApiGroup),
    ),
    security(("token" = []))
)]
pub async fn show_group(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    let found = db(&state, lang, move |conn| {
        group(conn, by.organization_id(), id, lang)
    })
    .await?;
    Ok(with_etag(&found))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiGroup {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub api_ids: Vec<i64>,
}

/// Creates an API group.
#[utoipa::path(
    post, path = "/api/v1/api-groups", tag = "apis",
    operation_id = "api_groups_create",
    request_body = NewApiGroup,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key get the first answer")),
    responses(
        (status = 201, description = "Created", body = ApiGroup, headers(("Location" = String))),
        (status = 422, description = "A field is invalid, an API unknown, or the name taken", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn create_group(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewApiGroup>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let lang = caller.lang;
    let body = body.into_inner();
    let input = checked_group(lang, &body.name, &body.description, body.api_ids)?;
    let created = db(&state, lang, move |conn| {
        let id =
            commands::create_group(&by, &input, conn).map_err(|err| refused_group(err, lang))?;
        group(conn, by.organization_id(), id, lang)
    })
    .await?;
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((
            header::LOCATION,
            format!("/api/v1/api-groups/{}", created.id),
        ))
        .json(created))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiGroupChange {
    pub name: Option<String>,
    pub description: Option<String>,
    /// The group's APIs, replacing the current ones.
    pub api_ids: Option<Vec<i64>>,
}

/// Changes an API group; fields left out stay as they are.
#[utoipa::path(
    patch, path = "/api/v1/api-groups/{id}", tag = "apis",
    operation_id = "api_groups_update",
    request_body = ApiGroupChange,
    params(
        ("id" = i64, Path, description = "The group's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on"),
    ),
    responses(
        (status = 200, description = "The group after the change", body = ApiGroup),
        (status = 412, description = "The group changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, an API unknown, or the name taken", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn update_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<ApiGroupChange>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id, expected) = (caller.lang, path.into_inner(), if_match(&req));
    let change = body.into_inner();
    let after = db(&state, lang, move |conn| {
        write_transaction(conn, |conn| {
            let current = group(conn, by.organization_id(), id, lang)?;
            check_precondition(&expected, &current)?;
            let input = checked_group(
                lang,
                change.name.as_deref().unwrap_or(&current.name),
                change
                    .description
                    .as_deref()
                    .unwrap_or(&current.description),
                change.api_ids.clone().unwrap_or(current.api_ids),
            )?;
            commands::update_group(&by, id, &input, conn)
                .map_err(|err| refused_group(err, lang))?;
            group(conn, by.organization_id(), id, lang)
        })
    })
    .await?;
    Ok(with_etag(&after))
}

/// Deletes an API group: external users and partners granted the group lose what it gave them.
#[utoipa::path(
    delete, path = "/api/v1/api-groups/{id}", tag = "apis",
    operation_id = "api_groups_delete",
    params(
        ("id" = i64, Path, description = "The group's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the deletion is based on"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 412, description = "The group changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn delete_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    delete_if_match(
        &req,
        &state,
        lang,
        by,
        move |by, conn| group(conn, by.organization_id(), id, lang),
        move |by, conn| {
            commands::delete_group(by, id, conn).map_err(|err| Problem::from_domain(err, lang))
        },
    )
    .await
}
