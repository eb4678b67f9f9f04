//! What webhooks receive: the public event types (an organization's audit events, by their
//! action) grouped by area, and the fan-out that turns one audit event into one stored event and
//! a delivery per subscribed webhook, in the transaction of the change that caused it. Nothing
//! here knows how webhooks are managed or sent (`domain::webhook`, `app::webhook_worker`).

use diesel::dsl::exists;
use diesel::prelude::*;
use serde_json::{Value, json};
use time::PrimitiveDateTime;
use time::format_description::well_known::Rfc3339;

use crate::crypto::token::random_token;
use crate::db::DbConnection;
use crate::db::schema::{
    accounts, organizations, personal_access_tokens, webhook_deliveries, webhook_event_types,
    webhook_events, webhooks,
};
use crate::domain::ids::{AccountId, OrganizationId};
use crate::domain::stored::stored_enum;

stored_enum! {
    pub enum WebhookStatus {
        Active = "active",
        /// Paused by a person: receives nothing new, keeps what waits.
        Paused = "paused",
        /// Stopped by the sender (410 Gone, or 5 days of only failures).
        Disabled = "disabled",
    }
}

stored_enum! {
    pub enum WebhookDeliveryStatus {
        Pending = "pending",
        Delivered = "delivered",
        /// Retries spent, or the webhook was disabled while it waited; can be sent again.
        Failed = "failed",
    }
}

/// One area of the event picker, with the event types in it.
pub struct EventGroup {
    /// The catalog key of the area's name (`webhook-group-<key>`).
    pub key: &'static str,
    pub types: &'static [&'static str],
}

/// Every event type a webhook can receive, by area. An audit action not listed here (sign-ins,
/// profile changes: events of a person, not of an organization) is never sent.
pub const EVENT_GROUPS: &[EventGroup] = &[
    EventGroup {
        key: "members",
        types: &[
            "member.invited",
            "member.added",
            "member.invitation-accepted",
            "member.invitation-resent",
            "member.invitation-revoked",
            "member.removed",
            "member.removed-with-last-role",
            "member.inactivated",
            "member.reactivated",
        ],
    },
    EventGroup {
        key: "assignments",
        types: &[
            "member.roles-assigned",
            "member.role-unassigned",
            "member.role-activated",
            "member.role-deactivated",
        ],
    },
    EventGroup {
        key: "roles",
        types: &[
            "role.created",
            "role.updated",
            "role.deactivated",
            "role.reactivated",
            "role.removed",
        ],
    },
    EventGroup {
        key: "environments",
        types: &[
            "environment.created",
            "environment.renamed",
            "environment.deleted",
            "role.environment-access-changed",
        ],
    },
    EventGroup {
        key: "external-users",
        types: &[
            "external-user.invited",
            "external-user.invitation-resent",
            "external-user.registered",
            "external-user.access-changed",
            "external-user.expiry-changed",
            "external-user.suspended",
            "external-user.reactivated",
            "external-user.deleted",
        ],
    },
    EventGroup {
        key: "apis",
        types: &[
            "api.created",
            "api.updated",
            "api.deleted",
            "api-group.created",
            "api-group.updated",
            "api-group.deleted",
        ],
    },
    EventGroup {
        key: "partners",
        types: &[
            "partner.registered",
            "partner.activated",
            "partner.deactivated",
            "partner.info-updated",
            "partner.domains-updated",
            "partner.admin-change-requested",
            "partner.admin-changed",
            "partner.invitation-resent",
            "partner.apis-linked",
            "partner.enabled",
        ],
    },
    EventGroup {
        key: "client-tokens",
        types: &[
            "client-token.created",
            "client-token.accepted",
            "client-token.rules-changed",
            "client-token.user-authorized",
            "client-token.user-edited",
            "client-token.user-revoked",
            "client-token.suspended",
            "client-token.resumed",
            "client-token.deactivated",
            "client-token.activated",
            "client-token.ended",
            "client-token.deleted",
        ],
    },
    EventGroup {
        key: "tokens",
        types: &["token.created", "token.revoked", "token.revoked-all"],
    },
    EventGroup {
        key: "policies",
        types: &["policy.updated", "organization.renamed"],
    },
];

/// The type of the event "Send a test event" sends; no change causes it, no filter picks it.
pub const TEST_EVENT_TYPE: &str = "webhook.test";

/// A body larger than this drops the event's details (the receiver still learns what happened).
pub const MAX_BODY_BYTES: usize = 20 * 1024;

pub fn is_event_type(word: &str) -> bool {
    EVENT_GROUPS.iter().any(|group| group.types.contains(&word))
}

/// An audit event as the fan-out reads it (`domain::audit` hands it over; this module does not
/// know audit rows, so the two never depend on each other).
pub struct Happened<'a> {
    pub organization_id: Option<OrganizationId>,
    pub action: &'a str,
    pub target: Option<&'a str>,
    pub target_kind: Option<&'a str>,
    pub target_id: Option<i64>,
    pub details: Option<&'a str>,
    pub actor_account_id: Option<AccountId>,
    pub actor_token_id: Option<i64>,
    pub at: PrimitiveDateTime,
}

/// Writes the event for every active webhook of the event's organization that subscribed to its
/// action, in the caller's transaction. Nothing is written when none did.
pub fn fan_out(conn: &mut DbConnection, event: &Happened<'_>) -> QueryResult<()> {
    let Some(organization_id) = event.organization_id else {
        return Ok(());
    };
    if !is_event_type(event.action) {
        return Ok(());
    }
    let subscribed: Vec<i64> = webhooks::table
        .filter(webhooks::organization_id.eq(organization_id))
        .filter(webhooks::status.eq(WebhookStatus::Active))
        .filter(
            webhooks::all_events.eq(true).or(exists(
                webhook_event_types::table
                    .filter(webhook_event_types::webhook_id.eq(webhooks::id))
                    .filter(webhook_event_types::event_type.eq(event.action)),
            )),
        )
        .select(webhooks::id)
        .load(conn)?;
    if subscribed.is_empty() {
        return Ok(());
    }
    let payload = payload_of(conn, organization_id, event)?;
    let event_id = store_event(conn, organization_id, event.action, &payload, event.at)?;
    for webhook_id in subscribed {
        queue_delivery(conn, webhook_id, event_id, event.at)?;
    }
    Ok(())
}

/// Queues a test event for one webhook, whatever it subscribed to.
pub fn queue_test_event(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    webhook_id: i64,
    organization_name: &str,
    at: PrimitiveDateTime,
) -> QueryResult<i64> {
    let body = json!({
        "type": TEST_EVENT_TYPE,
        "timestamp": rfc3339(at),
        "data": {
            "organization": { "id": organization_id, "name": organization_name },
            "webhook": { "id": webhook_id },
            "message": "A test event sent from Gatehouse.",
        },
    });
    let event_id = store_event(
        conn,
        organization_id,
        TEST_EVENT_TYPE,
        &body.to_string(),
        at,
    )?;
    queue_delivery(conn, webhook_id, event_id, at)
}

fn store_event(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    event_type: &str,
    payload: &str,
    at: PrimitiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(webhook_events::table)
        .values((
            webhook_events::organization_id.eq(organization_id),
            webhook_events::message_id.eq(format!("msg_{}", random_token())),
            webhook_events::event_type.eq(event_type),
            webhook_events::payload.eq(payload),
            webhook_events::created_at.eq(at),
        ))
        .returning(webhook_events::id)
        .get_result(conn)
}

fn queue_delivery(
    conn: &mut DbConnection,
    webhook_id: i64,
    event_id: i64,
    at: PrimitiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::webhook_id.eq(webhook_id),
            webhook_deliveries::event_id.eq(event_id),
            webhook_deliveries::status.eq(WebhookDeliveryStatus::Pending),
            webhook_deliveries::attempts.eq(0),
            webhook_deliveries::next_attempt_at.eq(at),
            webhook_deliveries::created_at.eq(at),
        ))
        .returning(webhook_deliveries::id)
        .get_result(conn)
}

pub fn rfc3339(at: PrimitiveDateTime) -> String {
    at.assume_utc()
        .format(&Rfc3339)
        .unwrap_or_else(|_| at.to_string())
}

/// The body: the event's type and time, and in `data` the organization, who acted (by id, email
/// and name; the token when the change came through the API), the target as the audit event
/// names it and its details. Audit events hold no secrets, so neither does this.
fn payload_of(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    event: &Happened<'_>,
) -> QueryResult<String> {
    let organization_name: String = organizations::table
        .find(organization_id)
        .select(organizations::name)
        .first(conn)?;
    let actor = match event.actor_account_id {
        Some(account_id) => accounts::table
            .find(account_id)
            .select((accounts::email, accounts::name))
            .first::<(String, String)>(conn)
            .optional()?
            .map(|(email, name)| json!({ "account_id": account_id, "email": email, "name": name })),
        None => None,
    };
    let token = match event.actor_token_id {
        Some(token_id) => personal_access_tokens::table
            .find(token_id)
            .select(personal_access_tokens::name)
            .first::<String>(conn)
            .optional()?
            .map(|name| json!({ "id": token_id, "name": name })),
        None => None,
    };
    let details = event.details.map(|details| {
        serde_json::from_str::<Value>(details).unwrap_or_else(|_| Value::from(details))
    });
    let mut body = json!({
        "type": event.action,
        "timestamp": rfc3339(event.at),
        "data": {
            "organization": { "id": organization_id, "name": organization_name },
            "actor": actor,
            "token": token,
            "target": event.target,
            "target_kind": event.target_kind,
            "target_id": event.target_id,
            "details": details,
        },
    });
    let mut text = body.to_string();
    if text.len() > MAX_BODY_BYTES {
        body["data"]["details"] = Value::Null;
        body["data"]["details_omitted"] = Value::Bool(true);
        if let Some(target) = event.target {
            body["data"]["target"] = Value::from(target.chars().take(500).collect::<String>());
        }
        text = body.to_string();
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_are_unique_and_spelled_alike() {
        let mut all: Vec<&str> = EVENT_GROUPS
            .iter()
            .flat_map(|group| group.types.iter().copied())
            .collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count, "an event type is listed twice");
        for event_type in all {
            assert!(
                event_type
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '-'),
                "{event_type} should be lower case with dots and hyphens"
            );
            assert_eq!(event_type.matches('.').count(), 1, "{event_type}");
        }
        assert!(!is_event_type(TEST_EVENT_TYPE));
        assert!(!is_event_type("account.signed-in"));
    }
}
