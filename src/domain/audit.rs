//! Audit events are rows written in the same transaction as the change they record.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::db::schema::audit_events;
use crate::domain::ids::{AccountId, OrganizationId};
use crate::domain::webhook_events;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_events)]
pub struct NewAuditEvent {
    pub organization_id: Option<OrganizationId>,
    pub actor_account_id: Option<AccountId>,
    pub action: String,
    pub target: Option<String>,
    pub details: Option<String>,
    pub ip: Option<String>,
    pub created_at: PrimitiveDateTime,
    pub actor_token_id: Option<i64>,
}

impl NewAuditEvent {
    fn as_happened(&self) -> webhook_events::Happened<'_> {
        webhook_events::Happened {
            organization_id: self.organization_id,
            action: &self.action,
            target: self.target.as_deref(),
            details: self.details.as_deref(),
            actor_account_id: self.actor_account_id,
            actor_token_id: self.actor_token_id,
            at: self.created_at,
        }
    }
}

/// Who acted, from where, and when: the part every event of one request shares.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: Option<AccountId>,
    pub ip: Option<String>,
    pub at: PrimitiveDateTime,
    /// The personal access token the change came with (through the JSON API).
    pub token_id: Option<i64>,
}

impl Actor {
    pub fn event(
        &self,
        organization_id: Option<OrganizationId>,
        action: &str,
        target: Option<String>,
    ) -> NewAuditEvent {
        NewAuditEvent {
            organization_id,
            actor_account_id: self.account_id,
            action: action.to_owned(),
            target,
            details: None,
            ip: self.ip.clone(),
            created_at: self.at,
            actor_token_id: self.token_id,
        }
    }
}

/// Records an event, and queues it for every webhook of its organization that subscribed to
/// it: in the caller's transaction, so a change that rolls back sends nothing.
pub fn record(conn: &mut DbConnection, event: &NewAuditEvent) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values(event)
        .execute(conn)?;
    webhook_events::fan_out(conn, &event.as_happened())
}

/// Records an event and returns its id (for pages that show what an event recorded).
pub fn record_returning_id(conn: &mut DbConnection, event: &NewAuditEvent) -> QueryResult<i64> {
    let id = diesel::insert_into(audit_events::table)
        .values(event)
        .returning(audit_events::id)
        .get_result(conn)?;
    webhook_events::fan_out(conn, &event.as_happened())?;
    Ok(id)
}

/// The details of one event of an organization with the given action, if it exists.
pub fn details_of(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    event_id: i64,
    action: &str,
) -> QueryResult<Option<String>> {
    Ok(audit_events::table
        .filter(audit_events::id.eq(event_id))
        .filter(audit_events::organization_id.eq(organization_id))
        .filter(audit_events::action.eq(action))
        .select(audit_events::details)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}
