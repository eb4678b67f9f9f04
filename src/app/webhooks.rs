//! Webhooks, managed by the organization's owner only: settings, the signing secret and its
//! rotation, pausing and resuming (with the replay of what failed), test events, redelivery.
//! The page and `/api/v1/webhooks` call these same commands.

use time::PrimitiveDateTime;

use crate::app::access::{Acting, Owner};
use crate::config::Settings;
use crate::db::{DbConnection, write_transaction};
use crate::domain::ids::WebhookId;
use crate::domain::organization;
use crate::domain::outbound::AllowedNetworks;
use crate::domain::rules::DomainResult;
use crate::domain::webhook::{self, SaveError, WebhookInput};

/// The networks the operator lets deliveries reach despite the address rules.
pub fn allowed_networks(settings: &Settings) -> AllowedNetworks {
    AllowedNetworks::new(settings.webhook_allowed_networks.clone())
}

/// Adds a webhook; returns its id and its signing secret, shown once.
pub fn create(
    by: &Acting<Owner>,
    input: &WebhookInput,
    settings: &Settings,
    conn: &mut DbConnection,
) -> Result<(WebhookId, String), SaveError> {
    write_transaction(conn, |conn| {
        webhook::create(
            conn,
            by.organization_id(),
            input,
            &allowed_networks(settings),
            &by.actor(),
        )
    })
}

/// Changes a webhook's URL, events, authentication and headers.
pub fn update(
    by: &Acting<Owner>,
    id: WebhookId,
    input: &WebhookInput,
    settings: &Settings,
    conn: &mut DbConnection,
) -> Result<(), SaveError> {
    write_transaction(conn, |conn| {
        webhook::update(
            conn,
            by.organization_id(),
            id,
            input,
            &allowed_networks(settings),
            &by.actor(),
        )
    })
}

/// A new signing secret, shown once; the old one signs beside it for 24 hours.
pub fn rotate_secret(
    by: &Acting<Owner>,
    id: WebhookId,
    conn: &mut DbConnection,
) -> DomainResult<String> {
    write_transaction(conn, |conn| {
        webhook::rotate_secret(conn, by.organization_id(), id, &by.actor())
    })
}

row_commands! { Owner:
    /// Stops sending until resumed; events that happen meanwhile are not queued for it.
    pause(WebhookId) => webhook::pause;
    /// Deletes the webhook and what waits for it.
    delete(WebhookId) => webhook::delete;
}

/// Resumes a paused or disabled webhook; `replay` sends again what failed since its failures
/// began. Returns how many deliveries were queued again.
pub fn resume(
    by: &Acting<Owner>,
    id: WebhookId,
    replay: bool,
    conn: &mut DbConnection,
) -> DomainResult<usize> {
    write_transaction(conn, |conn| {
        webhook::resume(conn, by.organization_id(), id, replay, &by.actor())
    })
}

/// Queues a test event for the webhook.
pub fn send_test_event(
    by: &Acting<Owner>,
    id: WebhookId,
    conn: &mut DbConnection,
) -> DomainResult<i64> {
    write_transaction(conn, |conn| {
        let name = organization::name_of(conn, by.organization_id())?;
        webhook::send_test_event(conn, by.organization_id(), &name, id, &by.actor())
    })
}

/// Sends one delivery again, with the same id and body.
pub fn redeliver(
    by: &Acting<Owner>,
    id: WebhookId,
    delivery_id: i64,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        webhook::redeliver(conn, by.organization_id(), id, delivery_id, &by.actor())
    })
}

/// Sends again every failed delivery since a time; returns how many.
pub fn replay_failed_since(
    by: &Acting<Owner>,
    id: WebhookId,
    since: PrimitiveDateTime,
    conn: &mut DbConnection,
) -> DomainResult<usize> {
    write_transaction(conn, |conn| {
        webhook::replay_failed_since(conn, by.organization_id(), id, since, &by.actor())
    })
}
