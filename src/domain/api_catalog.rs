//! The organization's API catalog: APIs (each in one environment, with an optional OpenAPI
//! document whose operations are extracted at upload) and API groups (named sets of APIs across
//! environments). The portal, the external users' "Access to" drawer and the APIs page read it.

use std::collections::HashMap;

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::db::schema::{
    api_group_apis, api_groups, api_operations, apis, environments, external_user_api_groups,
    external_user_apis,
};
use crate::domain::audit::{self, Actor, TargetKind};
use crate::domain::environment;
use crate::domain::ids::{EnvironmentId, OrganizationId};
use crate::domain::rules::{DomainError, DomainResult, refuse};

/// An API without its document (which can be large and is only read for download).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = apis)]
pub struct Api {
    pub id: i64,
    pub organization_id: OrganizationId,
    pub environment_id: EnvironmentId,
    pub name: String,
    pub version: String,
    pub description: String,
    pub base_url: String,
    pub openapi_filename: Option<String>,
    pub created_at: PrimitiveDateTime,
    pub updated_at: PrimitiveDateTime,
}

/// An API with the name of its environment, as lists show it.
#[derive(Debug, Clone)]
pub struct ListedApi {
    pub api: Api,
    pub environment_name: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_groups)]
pub struct ApiGroup {
    pub id: i64,
    pub organization_id: OrganizationId,
    pub name: String,
    pub description: String,
    pub created_at: PrimitiveDateTime,
    pub updated_at: PrimitiveDateTime,
}

/// One operation of an API's OpenAPI document.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ApiOperation {
    pub method: String,
    pub path: String,
    pub summary: String,
}

/// The organization's APIs, by environment name, then API name and version.
pub fn list_apis(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<Vec<ListedApi>> {
    let rows: Vec<(Api, String)> = apis::table
        .inner_join(environments::table)
        .filter(apis::organization_id.eq(organization_id))
        .order((
            environments::name_folded.asc(),
            apis::name_folded.asc(),
            apis::version.asc(),
            apis::id.asc(),
        ))
        .select((Api::as_select(), environments::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(api, environment_name)| ListedApi {
            api,
            environment_name,
        })
        .collect())
}

/// The APIs with these ids (of any organization: callers pass ids they already checked).
pub fn apis_by_ids(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<ListedApi>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Api, String)> = apis::table
        .inner_join(environments::table)
        .filter(apis::id.eq_any(ids))
        .order((
            environments::name_folded.asc(),
            apis::name_folded.asc(),
            apis::version.asc(),
            apis::id.asc(),
        ))
        .select((Api::as_select(), environments::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(api, environment_name)| ListedApi {
            api,
            environment_name,
        })
        .collect())
}

/// The organization's API groups, by name.
pub fn list_groups(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<Vec<ApiGroup>> {
    api_groups::table
        .filter(api_groups::organization_id.eq(organization_id))
        .order((api_groups::name_folded.asc(), api_groups::id.asc()))
        .select(ApiGroup::as_select())
        .load(conn)
}

/// The API ids of each of the given groups.
pub fn group_members(
    conn: &mut DbConnection,
    group_ids: &[i64],
) -> QueryResult<HashMap<i64, Vec<i64>>> {
    if group_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64)> = api_group_apis::table
        .filter(api_group_apis::api_group_id.eq_any(group_ids))
        .select((api_group_apis::api_group_id, api_group_apis::api_id))
        .load(conn)?;
    let mut members: HashMap<i64, Vec<i64>> = HashMap::new();
    for (group_id, api_id) in rows {
        members.entry(group_id).or_default().push(api_id);
    }
    Ok(members)
}

/// The groups with these ids (callers pass ids they already checked).
pub fn groups_by_ids(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<ApiGroup>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    api_groups::table
        .filter(api_groups::id.eq_any(ids))
        .order((api_groups::name_folded.asc(), api_groups::id.asc()))
        .select(ApiGroup::as_select())
        .load(conn)
}

/// One of the organization's APIs; another organization's id is not found.
pub fn find_api(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: i64,
) -> DomainResult<ListedApi> {
    let row: Option<(Api, String)> = apis::table
        .inner_join(environments::table)
        .filter(apis::organization_id.eq(organization_id))
        .filter(apis::id.eq(id))
        .select((Api::as_select(), environments::name))
        .first(conn)
        .optional()?;
    row.map(|(api, environment_name)| ListedApi {
        api,
        environment_name,
    })
    .ok_or(DomainError::NotFound)
}

/// The API's operations, in the order of its document.
pub fn operations(conn: &mut DbConnection, api_id: i64) -> QueryResult<Vec<ApiOperation>> {
    api_operations::table
        .filter(api_operations::api_id.eq(api_id))
        .order(api_operations::position.asc())
        .select((
            api_operations::method,
            api_operations::path,
            api_operations::summary,
        ))
        .load(conn)
}

/// The API's OpenAPI document as uploaded, with its file name, if it has one.
pub fn document(conn: &mut DbConnection, api_id: i64) -> QueryResult<Option<(String, String)>> {
    let row: Option<(Option<String>, Option<String>)> = apis::table
        .find(api_id)
        .select((apis::openapi_filename, apis::openapi_document))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((Some(filename), Some(document))) => Some((filename, document)),
        _ => None,
    })
}

// ---------------------------------------------------------------------------------------------
// The rules of the APIs page: what an API and a group may hold, and the changes.

/// The longest API or group name, version, description and base URL, in characters.
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_VERSION_CHARS: usize = 50;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
pub const MAX_BASE_URL_CHARS: usize = 2000;

/// A one-line text: trimmed, required, at most `max` characters, no control characters.
fn one_line(
    candidate: &str,
    max: usize,
    required: &'static str,
    invalid: &'static str,
) -> Result<String, &'static str> {
    let value = candidate.trim();
    if value.is_empty() {
        Err(required)
    } else if value.chars().count() > max || value.chars().any(char::is_control) {
        Err(invalid)
    } else {
        Ok(value.to_owned())
    }
}

pub fn parse_api_name(candidate: &str) -> Result<String, &'static str> {
    one_line(
        candidate,
        MAX_NAME_CHARS,
        "apis-name-required",
        "apis-name-invalid",
    )
}

pub fn parse_version(candidate: &str) -> Result<String, &'static str> {
    one_line(
        candidate,
        MAX_VERSION_CHARS,
        "apis-version-required",
        "apis-version-invalid",
    )
}

pub fn parse_group_name(candidate: &str) -> Result<String, &'static str> {
    one_line(
        candidate,
        MAX_NAME_CHARS,
        "apis-group-name-required",
        "apis-group-name-invalid",
    )
}

/// An optional description: trimmed, at most 2000 characters; line breaks and tabs are fine,
/// other control characters are not. Line breaks are stored as `\n`.
pub fn parse_description(candidate: &str) -> Result<String, &'static str> {
    let value = candidate.trim().replace("\r\n", "\n");
    if value.chars().count() > MAX_DESCRIPTION_CHARS
        || value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        Err("apis-description-invalid")
    } else {
        Ok(value)
    }
}

/// A base URL: absolute, `http` or `https`, with a host and without a user name or password.
/// Kept as typed (trimmed).
pub fn parse_base_url(candidate: &str) -> Result<String, &'static str> {
    let value = candidate.trim();
    if value.is_empty() {
        return Err("apis-base-url-required");
    }
    if value.chars().count() > MAX_BASE_URL_CHARS || value.chars().any(char::is_whitespace) {
        return Err("apis-base-url-invalid");
    }
    match url::Url::parse(value) {
        Ok(url)
            if matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some_and(|host| !host.is_empty())
                && url.username().is_empty()
                && url.password().is_none() =>
        {
            Ok(value.to_owned())
        }
        _ => Err("apis-base-url-invalid"),
    }
}

/// An API as the form gives it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFields {
    pub environment_id: EnvironmentId,
    pub name: String,
    pub version: String,
    pub description: String,
    pub base_url: String,
}

/// An accepted OpenAPI document, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    pub filename: String,
    pub text: String,
    pub operations: Vec<ApiOperation>,
}

/// What an edit does to the API's document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentChange {
    Keep,
    Remove,
    Replace(StoredDocument),
}

fn api_target(name: &str, version: &str, environment: &str) -> String {
    format!("{name} {version} ({environment})")
}

/// Whether another API of the environment has this name (any case) and version.
pub fn api_name_taken(
    conn: &mut DbConnection,
    environment_id: EnvironmentId,
    name: &str,
    version: &str,
    except: Option<i64>,
) -> QueryResult<bool> {
    let mut query = apis::table
        .filter(apis::environment_id.eq(environment_id))
        .filter(apis::name_folded.eq(name.to_lowercase()))
        .filter(apis::version.eq(version))
        .select(apis::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(apis::id.ne(id));
    }
    Ok(query.first::<i64>(conn).optional()?.is_some())
}

/// The unique index answers a race the check above lost.
fn taken_on_conflict(err: diesel::result::Error, key: &'static str) -> DomainError {
    match err {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => DomainError::Rule(crate::domain::rules::RuleViolation(key)),
        other => DomainError::Database(other),
    }
}

fn store_operations(
    conn: &mut DbConnection,
    api_id: i64,
    operations: &[ApiOperation],
) -> QueryResult<()> {
    diesel::delete(api_operations::table.filter(api_operations::api_id.eq(api_id)))
        .execute(conn)?;
    // One row at a time: diesel's multi-backend connection has no batch insert.
    for (position, operation) in operations.iter().enumerate() {
        diesel::insert_into(api_operations::table)
            .values((
                api_operations::api_id.eq(api_id),
                api_operations::position.eq(i32::try_from(position).unwrap_or(i32::MAX)),
                api_operations::method.eq(&operation.method),
                api_operations::path.eq(&operation.path),
                api_operations::summary.eq(&operation.summary),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Adds an API to one of the organization's environments (another organization's environment
/// is not found), with its document's operations; audited as `api.created`.
pub fn create_api(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    fields: &ApiFields,
    document: Option<&StoredDocument>,
    actor: &Actor,
) -> DomainResult<i64> {
    let environment = environment::find(conn, organization_id, fields.environment_id)?;
    if api_name_taken(conn, environment.id, &fields.name, &fields.version, None)? {
        return refuse("apis-name-taken");
    }
    let id: i64 = diesel::insert_into(apis::table)
        .values((
            apis::organization_id.eq(organization_id),
            apis::environment_id.eq(environment.id),
            apis::name.eq(&fields.name),
            apis::name_folded.eq(fields.name.to_lowercase()),
            apis::version.eq(&fields.version),
            apis::description.eq(&fields.description),
            apis::base_url.eq(&fields.base_url),
            apis::openapi_document.eq(document.map(|d| d.text.as_str())),
            apis::openapi_filename.eq(document.map(|d| d.filename.as_str())),
            apis::created_at.eq(actor.at),
            apis::updated_at.eq(actor.at),
        ))
        .returning(apis::id)
        .get_result(conn)
        .map_err(|err| taken_on_conflict(err, "apis-name-taken"))?;
    if let Some(document) = document {
        store_operations(conn, id, &document.operations)?;
    }
    let mut event = actor
        .event(
            Some(organization_id),
            "api.created",
            Some(api_target(&fields.name, &fields.version, &environment.name)),
        )
        .on(TargetKind::Api, id);
    event.details = document.map(|d| {
        format!(
            "document {:?}, {} operations",
            d.filename,
            d.operations.len()
        )
    });
    audit::record(conn, &event)?;
    Ok(id)
}

/// Changes an API, and its document as `change` says; audited as `api.updated` with what
/// changed.
pub fn update_api(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: i64,
    fields: &ApiFields,
    change: &DocumentChange,
    actor: &Actor,
) -> DomainResult<()> {
    let before = find_api(conn, organization_id, id)?;
    let environment = environment::find(conn, organization_id, fields.environment_id)?;
    if api_name_taken(
        conn,
        environment.id,
        &fields.name,
        &fields.version,
        Some(id),
    )? {
        return refuse("apis-name-taken");
    }
    diesel::update(apis::table.find(id))
        .set((
            apis::environment_id.eq(environment.id),
            apis::name.eq(&fields.name),
            apis::name_folded.eq(fields.name.to_lowercase()),
            apis::version.eq(&fields.version),
            apis::description.eq(&fields.description),
            apis::base_url.eq(&fields.base_url),
            apis::updated_at.eq(actor.at),
        ))
        .execute(conn)
        .map_err(|err| taken_on_conflict(err, "apis-name-taken"))?;
    let mut changes = Vec::new();
    let old = &before.api;
    if old.environment_id != environment.id {
        changes.push(format!(
            "environment {:?} → {:?}",
            before.environment_name, environment.name
        ));
    }
    if old.name != fields.name {
        changes.push(format!("name {:?} → {:?}", old.name, fields.name));
    }
    if old.version != fields.version {
        changes.push(format!("version {:?} → {:?}", old.version, fields.version));
    }
    if old.description != fields.description {
        changes.push("description".to_owned());
    }
    if old.base_url != fields.base_url {
        changes.push(format!(
            "base URL {:?} → {:?}",
            old.base_url, fields.base_url
        ));
    }
    match change {
        DocumentChange::Keep => {}
        DocumentChange::Remove => {
            if old.openapi_filename.is_some() {
                diesel::update(apis::table.find(id))
                    .set((
                        apis::openapi_document.eq(None::<String>),
                        apis::openapi_filename.eq(None::<String>),
                    ))
                    .execute(conn)?;
                store_operations(conn, id, &[])?;
                changes.push("document removed".to_owned());
            }
        }
        DocumentChange::Replace(document) => {
            diesel::update(apis::table.find(id))
                .set((
                    apis::openapi_document.eq(&document.text),
                    apis::openapi_filename.eq(&document.filename),
                ))
                .execute(conn)?;
            store_operations(conn, id, &document.operations)?;
            changes.push(format!(
                "document {:?}, {} operations",
                document.filename,
                document.operations.len()
            ));
        }
    }
    let mut event = actor
        .event(
            Some(organization_id),
            "api.updated",
            Some(api_target(&fields.name, &fields.version, &environment.name)),
        )
        .on(TargetKind::Api, id);
    event.details = (!changes.is_empty()).then(|| changes.join("; "));
    audit::record(conn, &event)?;
    Ok(())
}

/// Deletes an API; its operations, group memberships and external users' grants go with it
/// (foreign keys cascade). Audited as `api.deleted`.
pub fn delete_api(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: i64,
    actor: &Actor,
) -> DomainResult<ListedApi> {
    let listed = find_api(conn, organization_id, id)?;
    diesel::delete(apis::table.find(id)).execute(conn)?;
    audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "api.deleted",
                Some(api_target(
                    &listed.api.name,
                    &listed.api.version,
                    &listed.environment_name,
                )),
            )
            .on(TargetKind::Api, id),
    )?;
    Ok(listed)
}

/// The operations of every API of the organization, by API, each in document order.
pub fn operations_in_organization(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<HashMap<i64, Vec<ApiOperation>>> {
    let rows: Vec<(i64, String, String, String)> = api_operations::table
        .inner_join(apis::table)
        .filter(apis::organization_id.eq(organization_id))
        .order((api_operations::api_id.asc(), api_operations::position.asc()))
        .select((
            api_operations::api_id,
            api_operations::method,
            api_operations::path,
            api_operations::summary,
        ))
        .load(conn)?;
    let mut by_api: HashMap<i64, Vec<ApiOperation>> = HashMap::new();
    for (api_id, method, path, summary) in rows {
        by_api.entry(api_id).or_default().push(ApiOperation {
            method,
            path,
            summary,
        });
    }
    Ok(by_api)
}

/// The groups an API belongs to, by name.
pub fn groups_of_api(conn: &mut DbConnection, api_id: i64) -> QueryResult<Vec<ApiGroup>> {
    api_groups::table
        .inner_join(api_group_apis::table)
        .filter(api_group_apis::api_id.eq(api_id))
        .order((api_groups::name_folded.asc(), api_groups::id.asc()))
        .select(ApiGroup::as_select())
        .load(conn)
}

/// How many external users were given this API directly (not through a group).
pub fn external_users_granted_api(conn: &mut DbConnection, api_id: i64) -> QueryResult<i64> {
    external_user_apis::table
        .filter(external_user_apis::api_id.eq(api_id))
        .count()
        .get_result(conn)
}

/// How many external users were given this group.
pub fn external_users_granted_group(conn: &mut DbConnection, group_id: i64) -> QueryResult<i64> {
    external_user_api_groups::table
        .filter(external_user_api_groups::api_group_id.eq(group_id))
        .count()
        .get_result(conn)
}

/// One of the organization's groups; another organization's id is not found.
pub fn find_group(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: i64,
) -> DomainResult<ApiGroup> {
    api_groups::table
        .filter(api_groups::organization_id.eq(organization_id))
        .filter(api_groups::id.eq(id))
        .select(ApiGroup::as_select())
        .first(conn)
        .optional()?
        .ok_or(DomainError::NotFound)
}

fn group_name_taken(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    name: &str,
    except: Option<i64>,
) -> QueryResult<bool> {
    let mut query = api_groups::table
        .filter(api_groups::organization_id.eq(organization_id))
        .filter(api_groups::name_folded.eq(name.to_lowercase()))
        .select(api_groups::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(api_groups::id.ne(id));
    }
    Ok(query.first::<i64>(conn).optional()?.is_some())
}

/// The given API ids, without repeats, when every one is the organization's; otherwise not
/// found (an id from another organization answers 404).
pub fn own_api_ids(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    api_ids: &[i64],
) -> DomainResult<Vec<i64>> {
    let mut ids = api_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut found = 0;
    for chunk in ids.chunks(500) {
        let count: i64 = apis::table
            .filter(apis::organization_id.eq(organization_id))
            .filter(apis::id.eq_any(chunk))
            .count()
            .get_result(conn)?;
        found += count;
    }
    if found == ids.len() as i64 {
        Ok(ids)
    } else {
        Err(DomainError::NotFound)
    }
}

fn set_group_members(conn: &mut DbConnection, group_id: i64, api_ids: &[i64]) -> QueryResult<()> {
    diesel::delete(api_group_apis::table.filter(api_group_apis::api_group_id.eq(group_id)))
        .execute(conn)?;
    for api_id in api_ids {
        diesel::insert_into(api_group_apis::table)
            .values((
                api_group_apis::api_group_id.eq(group_id),
                api_group_apis::api_id.eq(api_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Creates a group of the organization's APIs; audited as `api-group.created`.
pub fn create_group(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    name: &str,
    description: &str,
    api_ids: &[i64],
    actor: &Actor,
) -> DomainResult<i64> {
    let api_ids = own_api_ids(conn, organization_id, api_ids)?;
    if group_name_taken(conn, organization_id, name, None)? {
        return refuse("apis-group-name-taken");
    }
    let id: i64 = diesel::insert_into(api_groups::table)
        .values((
            api_groups::organization_id.eq(organization_id),
            api_groups::name.eq(name),
            api_groups::name_folded.eq(name.to_lowercase()),
            api_groups::description.eq(description),
            api_groups::created_at.eq(actor.at),
            api_groups::updated_at.eq(actor.at),
        ))
        .returning(api_groups::id)
        .get_result(conn)
        .map_err(|err| taken_on_conflict(err, "apis-group-name-taken"))?;
    set_group_members(conn, id, &api_ids)?;
    let mut event = actor
        .event(
            Some(organization_id),
            "api-group.created",
            Some(name.to_owned()),
        )
        .on(TargetKind::ApiGroup, id);
    event.details = Some(format!("{} APIs", api_ids.len()));
    audit::record(conn, &event)?;
    Ok(id)
}

/// Renames, describes and refills a group; audited as `api-group.updated`.
pub fn update_group(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: i64,
    name: &str,
    description: &str,
    api_ids: &[i64],
    actor: &Actor,
) -> DomainResult<()> {
    let before = find_group(conn, organization_id, id)?;
    let api_ids = own_api_ids(conn, organization_id, api_ids)?;
    if group_name_taken(conn, organization_id, name, Some(id))? {
        return refuse("apis-group-name-taken");
    }
    let mut previous = group_members(conn, &[id])?.remove(&id).unwrap_or_default();
    previous.sort_unstable();
    diesel::update(api_groups::table.find(id))
        .set((
            api_groups::name.eq(name),
            api_groups::name_folded.eq(name.to_lowercase()),
            api_groups::description.eq(description),
            api_groups::updated_at.eq(actor.at),
        ))
        .execute(conn)
        .map_err(|err| taken_on_conflict(err, "apis-group-name-taken"))?;
    set_group_members(conn, id, &api_ids)?;
    let mut changes = Vec::new();
    if before.name != name {
        changes.push(format!("name {:?} → {:?}", before.name, name));
    }
    if before.description != description {
        changes.push("description".to_owned());
    }
    let added = api_ids.iter().filter(|id| !previous.contains(id)).count();
    let removed = previous.iter().filter(|id| !api_ids.contains(id)).count();
    if added > 0 || removed > 0 {
        changes.push(format!("{added} APIs added, {removed} removed"));
    }
    let mut event = actor
        .event(
            Some(organization_id),
            "api-group.updated",
            Some(name.to_owned()),
        )
        .on(TargetKind::ApiGroup, id);
    event.details = (!changes.is_empty()).then(|| changes.join("; "));
    audit::record(conn, &event)?;
    Ok(())
}

/// Deletes a group (its APIs stay; external users lose what the group gave them). Audited as
/// `api-group.deleted`.
pub fn delete_group(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    id: i64,
    actor: &Actor,
) -> DomainResult<ApiGroup> {
    let group = find_group(conn, organization_id, id)?;
    diesel::delete(api_groups::table.find(id)).execute(conn)?;
    audit::record(
        conn,
        &actor
            .event(
                Some(organization_id),
                "api-group.deleted",
                Some(group.name.clone()),
            )
            .on(TargetKind::ApiGroup, id),
    )?;
    Ok(group)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_versions() {
        assert_eq!(parse_api_name("  Orders  "), Ok("Orders".to_owned()));
        assert_eq!(parse_api_name(" "), Err("apis-name-required"));
        assert_eq!(parse_api_name(&"a".repeat(100)), Ok("a".repeat(100)));
        assert_eq!(parse_api_name(&"a".repeat(101)), Err("apis-name-invalid"));
        assert_eq!(parse_api_name("a\nb"), Err("apis-name-invalid"));
        assert_eq!(parse_version("v1"), Ok("v1".to_owned()));
        assert_eq!(parse_version(""), Err("apis-version-required"));
        assert_eq!(parse_version(&"1".repeat(51)), Err("apis-version-invalid"));
        assert_eq!(parse_group_name(""), Err("apis-group-name-required"));
    }

    #[test]
    fn descriptions_keep_line_breaks() {
        assert_eq!(parse_description(""), Ok(String::new()));
        assert_eq!(
            parse_description(" one\r\ntwo\tthree "),
            Ok("one\ntwo\tthree".to_owned())
        );
        assert_eq!(
            parse_description("bell\u{7}"),
            Err("apis-description-invalid")
        );
        assert_eq!(
            parse_description(&"é".repeat(2001)),
            Err("apis-description-invalid")
        );
    }

    #[test]
    fn base_urls_are_absolute_http() {
        for good in [
            "https://api.example.com",
            "http://localhost:8080/v1/",
            " https://10.0.0.1/api ",
        ] {
            assert_eq!(parse_base_url(good), Ok(good.trim().to_owned()), "{good}");
        }
        assert_eq!(parse_base_url(""), Err("apis-base-url-required"));
        for bad in [
            "api.example.com",
            "/v1",
            "ftp://example.com",
            "javascript:alert(1)",
            "https://user:secret@example.com",
            "https://exa mple.com",
            "https://",
        ] {
            assert_eq!(parse_base_url(bad), Err("apis-base-url-invalid"), "{bad}");
        }
    }
}
