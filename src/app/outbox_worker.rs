//! The outbox worker: claims due messages, sends them, records the outcome. Several workers (in
//! one process or several instances) can run at once; the claim lease keeps them apart.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::domain::outbox::{self, AttemptOutcome, DeliveryStatus, OutboxMessage};
use crate::mail::transport::{Envelope, Mailer};
use crate::state::AppState;

const BATCH: i64 = 20;

/// Runs until the process ends. `wake` lets code that just queued mail skip the polling wait.
pub fn spawn(state: AppState, mailer: Arc<Mailer>, wake: Arc<Notify>, poll_interval: Duration) {
    tokio::spawn(async move {
        loop {
            let sent_a_full_batch = match run_once(&state, &mailer).await {
                Ok(handled) => handled as i64 == BATCH,
                Err(err) => {
                    tracing::warn!(%err, "outbox pass failed");
                    false
                }
            };
            if !sent_a_full_batch {
                tokio::select! {
                    _ = wake.notified() => {}
                    _ = tokio::time::sleep(poll_interval) => {}
                }
            }
        }
    });
}

/// One pass: claim what is due and attempt each. Returns how many messages were attempted.
pub async fn run_once(state: &AppState, mailer: &Mailer) -> Result<usize, crate::error::AppError> {
    let now = state.now();
    let due = state
        .db(move |conn| outbox::claim_due(conn, now, BATCH))
        .await?;
    let count = due.len();
    for message in due {
        let outcome = attempt(mailer, &message).await;
        let now = state.now();
        let id = message.id;
        let status = state
            .db(move |conn| outbox::record_attempt(conn, &message, outcome, now))
            .await?;
        match status {
            DeliveryStatus::Sent => tracing::info!(message = id, "email sent"),
            DeliveryStatus::Pending => {
                tracing::warn!(message = id, "email delivery failed; will retry")
            }
            DeliveryStatus::Failed => {
                tracing::error!(message = id, "email delivery failed for good")
            }
        }
    }
    Ok(count)
}

async fn attempt(mailer: &Mailer, message: &OutboxMessage) -> AttemptOutcome {
    let envelope = Envelope {
        message_id: &message.message_id,
        recipient: &message.recipient,
        subject: &message.subject,
        text: &message.text_body,
        html: &message.html_body,
    };
    match mailer.send(&envelope).await {
        Ok(()) => AttemptOutcome::Sent,
        Err(err) if err.permanent => AttemptOutcome::PermanentFailure(err.message),
        Err(err) => AttemptOutcome::TemporaryFailure(err.message),
    }
}
