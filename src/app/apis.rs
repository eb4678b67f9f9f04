//! The organization's API catalog: APIs (one per environment, with an OpenAPI document) and API
//! groups across environments.

use crate::app::access::{Acting, Admin};
use crate::db::{DbConnection, write_transaction};
use crate::domain::api_catalog::{self, ApiFields, DocumentChange, StoredDocument};
use crate::domain::rules::DomainResult;

/// Adds an API (with its checked document, if any); returns its id.
pub fn create_api(
    by: &Acting<Admin>,
    fields: &ApiFields,
    document: Option<&StoredDocument>,
    conn: &mut DbConnection,
) -> DomainResult<i64> {
    write_transaction(conn, |conn| {
        api_catalog::create_api(conn, by.organization_id(), fields, document, &by.actor())
    })
}

/// Changes an API; its document is kept, replaced or removed.
pub fn update_api(
    by: &Acting<Admin>,
    api_id: i64,
    fields: &ApiFields,
    document: &DocumentChange,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        api_catalog::update_api(
            conn,
            by.organization_id(),
            api_id,
            fields,
            document,
            &by.actor(),
        )
    })
}

/// A group's name, description and member APIs.
#[derive(Debug, Clone)]
pub struct GroupInput {
    pub name: String,
    pub description: String,
    pub api_ids: Vec<i64>,
}

pub fn create_group(
    by: &Acting<Admin>,
    input: &GroupInput,
    conn: &mut DbConnection,
) -> DomainResult<i64> {
    write_transaction(conn, |conn| {
        api_catalog::create_group(
            conn,
            by.organization_id(),
            &input.name,
            &input.description,
            &input.api_ids,
            &by.actor(),
        )
    })
}

pub fn update_group(
    by: &Acting<Admin>,
    group_id: i64,
    input: &GroupInput,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        api_catalog::update_group(
            conn,
            by.organization_id(),
            group_id,
            &input.name,
            &input.description,
            &input.api_ids,
            &by.actor(),
        )
    })
}

row_commands! {
    Admin:
    /// Deletes an API (from its groups, external users' access and partners' links too).
    delete_api(i64) => api_catalog::delete_api;
    delete_group(i64) => api_catalog::delete_group;
}
