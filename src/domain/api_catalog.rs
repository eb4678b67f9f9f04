//! The organization's API catalog: APIs (each in one environment, with an optional OpenAPI
//! document whose operations are extracted at upload) and API groups (named sets of APIs across
//! environments). The portal, the external users' "Access to" drawer and the APIs page read it.

use std::collections::HashMap;

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::db::schema::{api_group_apis, api_groups, api_operations, apis, environments};
use crate::domain::rules::{DomainError, DomainResult};

/// An API without its document (which can be large and is only read for download).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = apis)]
pub struct Api {
    pub id: i64,
    pub organization_id: i64,
    pub environment_id: i64,
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
    pub organization_id: i64,
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
pub fn list_apis(conn: &mut DbConnection, organization_id: i64) -> QueryResult<Vec<ListedApi>> {
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
pub fn list_groups(conn: &mut DbConnection, organization_id: i64) -> QueryResult<Vec<ApiGroup>> {
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
pub fn find_api(conn: &mut DbConnection, organization_id: i64, id: i64) -> DomainResult<ListedApi> {
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
