//! The outbox: emails written in the same transaction as the change that causes them, delivered
//! later by `mail::worker` with retries, so none is lost when SMTP is down or the process dies.

use diesel::prelude::*;
use time::{Duration, PrimitiveDateTime};

use crate::crypto::token::random_token;
use crate::db::schema::outbox_messages;
use crate::db::{self, DbConnection};
use crate::domain::ids::OrganizationId;
use crate::domain::keyset::Cursor;
use crate::domain::stored::stored_enum;
use crate::mail::RenderedEmail;

stored_enum! {
    pub enum DeliveryStatus {
        /// Waiting for its next attempt (or its first).
        Pending = "pending",
        Sent = "sent",
        /// Given up on at its deadline; an admin may send it again.
        Failed = "failed",
    }
}

/// How long a worker may hold a claimed message before another may take it. Longer than an SMTP
/// conversation (15 s timeout) with room to spare.
pub const CLAIM_LEASE: Duration = Duration::minutes(2);

/// Waits between attempts after temporary failures: 1 min, 5 min, 30 min, then every 2 h.
pub fn backoff(failed_attempts: i32) -> Duration {
    match failed_attempts {
        ..=1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(30),
        _ => Duration::hours(2),
    }
}

/// An email to queue.
pub struct OutgoingEmail<'a> {
    /// The organization whose deliveries page lists it (None for account-level mail).
    pub organization_id: Option<OrganizationId>,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub content: RenderedEmail,
    /// After this, retrying is pointless (a code that expired, an invitation that lapsed).
    pub deadline: PrimitiveDateTime,
}

/// Queues an email in the caller's transaction. The Message-ID is fixed now, so a message sent
/// again after a crash can be recognised as the same one.
pub fn enqueue(
    conn: &mut DbConnection,
    email: &OutgoingEmail<'_>,
    message_id_domain: &str,
    now: PrimitiveDateTime,
) -> QueryResult<i64> {
    let message_id = format!("<{}@{}>", random_token(), message_id_domain);
    diesel::insert_into(outbox_messages::table)
        .values((
            outbox_messages::organization_id.eq(email.organization_id),
            outbox_messages::kind.eq(email.kind),
            outbox_messages::recipient.eq(email.recipient),
            outbox_messages::subject.eq(&email.content.subject),
            outbox_messages::text_body.eq(&email.content.text),
            outbox_messages::html_body.eq(&email.content.html),
            outbox_messages::message_id.eq(message_id),
            outbox_messages::status.eq(DeliveryStatus::Pending),
            outbox_messages::attempts.eq(0),
            outbox_messages::next_attempt_at.eq(now),
            outbox_messages::deadline_at.eq(email.deadline),
            outbox_messages::created_at.eq(now),
        ))
        .returning(outbox_messages::id)
        .get_result(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox_messages)]
pub struct OutboxMessage {
    pub id: i64,
    pub organization_id: Option<OrganizationId>,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub message_id: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: PrimitiveDateTime,
    pub deadline_at: PrimitiveDateTime,
    pub last_error: Option<String>,
    pub created_at: PrimitiveDateTime,
    pub sent_at: Option<PrimitiveDateTime>,
}

/// Claims due messages for one worker pass.
pub fn claim_due(
    conn: &mut DbConnection,
    now: PrimitiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OutboxMessage>> {
    let ids = db::claim_due_outbox_messages(conn, now, now + CLAIM_LEASE, limit)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    outbox_messages::table
        .filter(outbox_messages::id.eq_any(ids))
        .order((
            outbox_messages::next_attempt_at.asc(),
            outbox_messages::id.asc(),
        ))
        .select(OutboxMessage::as_select())
        .load(conn)
}

/// What happened to one attempt.
pub enum AttemptOutcome {
    Sent,
    TemporaryFailure(String),
    PermanentFailure(String),
}

/// Records an attempt: sent, scheduled for a retry, or failed for good (a permanent error, or the
/// next retry would fall after the message's deadline).
pub fn record_attempt(
    conn: &mut DbConnection,
    message: &OutboxMessage,
    outcome: AttemptOutcome,
    now: PrimitiveDateTime,
) -> QueryResult<DeliveryStatus> {
    let attempts = message.attempts + 1;
    let row = outbox_messages::table.find(message.id);
    let status = match outcome {
        AttemptOutcome::Sent => {
            diesel::update(row)
                .set((
                    outbox_messages::status.eq(DeliveryStatus::Sent),
                    outbox_messages::attempts.eq(attempts),
                    outbox_messages::sent_at.eq(now),
                    outbox_messages::last_error.eq(None::<String>),
                    outbox_messages::claimed_until.eq(None::<PrimitiveDateTime>),
                ))
                .execute(conn)?;
            DeliveryStatus::Sent
        }
        AttemptOutcome::TemporaryFailure(error)
            if now + backoff(attempts) <= message.deadline_at =>
        {
            diesel::update(row)
                .set((
                    outbox_messages::attempts.eq(attempts),
                    outbox_messages::next_attempt_at.eq(now + backoff(attempts)),
                    outbox_messages::last_error.eq(truncate(&error)),
                    outbox_messages::claimed_until.eq(None::<PrimitiveDateTime>),
                ))
                .execute(conn)?;
            DeliveryStatus::Pending
        }
        AttemptOutcome::TemporaryFailure(error) | AttemptOutcome::PermanentFailure(error) => {
            diesel::update(row)
                .set((
                    outbox_messages::status.eq(DeliveryStatus::Failed),
                    outbox_messages::attempts.eq(attempts),
                    outbox_messages::last_error.eq(truncate(&error)),
                    outbox_messages::claimed_until.eq(None::<PrimitiveDateTime>),
                ))
                .execute(conn)?;
            DeliveryStatus::Failed
        }
    };
    Ok(status)
}

fn truncate(error: &str) -> String {
    error.chars().take(500).collect()
}

/// Which of an organization's messages the deliveries page lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryFilter {
    pub status: Option<DeliveryStatus>,
    /// Part of the recipient's address, as typed (matched without regard to case).
    pub recipient: String,
}

/// One page of an organization's messages that pass `filter`, newest first, after `after`
/// (keyset paging over the `(organization_id, status, created_at)` and
/// `(organization_id, created_at)` indexes), and whether more follow.
pub fn page_for_organization(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    filter: &DeliveryFilter,
    after: Option<Cursor>,
    limit: i64,
) -> QueryResult<(Vec<OutboxMessage>, bool)> {
    let mut query = outbox_messages::table
        .filter(outbox_messages::organization_id.eq(organization_id))
        .into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(outbox_messages::status.eq(status));
    }
    // Addresses are stored lowercased (`EmailAddress::parse`), so a lowercased needle matches
    // whatever case was typed.
    let needle = filter.recipient.trim().to_lowercase();
    if !needle.is_empty() {
        let escaped = needle
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        query = query.filter(
            outbox_messages::recipient
                .like(format!("%{escaped}%"))
                .escape('\\'),
        );
    }
    if let Some(cursor) = after {
        let at = cursor.instant();
        // The plain bound first, which both databases read as a range of the index.
        query = query.filter(outbox_messages::created_at.le(at)).filter(
            outbox_messages::created_at
                .lt(at)
                .or(outbox_messages::created_at
                    .eq(at)
                    .and(outbox_messages::id.lt(cursor.id))),
        );
    }
    let mut messages: Vec<OutboxMessage> = query
        .order((
            outbox_messages::created_at.desc(),
            outbox_messages::id.desc(),
        ))
        .limit(limit + 1)
        .select(OutboxMessage::as_select())
        .load(conn)?;
    let more = messages.len() as i64 > limit;
    messages.truncate(usize::try_from(limit).unwrap_or(0));
    Ok((messages, more))
}

/// Puts a failed message of the organization back in the queue, due now, with a fresh day to
/// succeed in. False when there is no such failed message there.
pub fn send_again(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    message_id: i64,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        outbox_messages::table
            .filter(outbox_messages::id.eq(message_id))
            .filter(outbox_messages::organization_id.eq(organization_id))
            .filter(outbox_messages::status.eq(DeliveryStatus::Failed)),
    )
    .set((
        outbox_messages::status.eq(DeliveryStatus::Pending),
        outbox_messages::next_attempt_at.eq(now),
        outbox_messages::deadline_at.eq(now + Duration::days(1)),
        outbox_messages::claimed_until.eq(None::<PrimitiveDateTime>),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_then_settles_at_two_hours() {
        assert_eq!(backoff(1), Duration::minutes(1));
        assert_eq!(backoff(2), Duration::minutes(5));
        assert_eq!(backoff(3), Duration::minutes(30));
        assert_eq!(backoff(4), Duration::hours(2));
        assert_eq!(backoff(40), Duration::hours(2));
    }
}
