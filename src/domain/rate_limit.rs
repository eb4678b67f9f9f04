//! The JSON API's rate limits, kept in the database so that every instance on it shares them.
//!
//! Each subject (a token, or the failed authentications of an address) is a generic cell rate
//! algorithm: one number, the theoretical arrival time of the next request. A request at `now`
//! moves it to `max(arrival, now) + interval` and is allowed when that stays within one window of
//! `now`. This is a sliding window without per-request rows, decided by one upsert whose `WHERE`
//! refuses the update when over the limit, so concurrent requests on several instances cannot
//! overspend it.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::schema::api_rate_limits;
use crate::db::{self, DbConnection};

/// The window every quota is counted over.
pub const WINDOW_SECONDS: i64 = 60;
const WINDOW_MS: i64 = WINDOW_SECONDS * 1000;

/// What the limiter decided, with what the rate-limit headers report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    /// The quota per window.
    pub limit: i64,
    /// Requests left in the window after this one.
    pub remaining: i64,
    /// Seconds until the whole quota is available again.
    pub reset_seconds: i64,
    /// When refused: seconds until one request is allowed.
    pub retry_after_seconds: i64,
}

pub fn millis(at: PrimitiveDateTime) -> i64 {
    (at.assume_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

fn interval_ms(per_window: i64) -> i64 {
    (WINDOW_MS / per_window.max(1)).max(1)
}

fn ceil_seconds(ms: i64) -> i64 {
    (ms.max(0) + 999) / 1000
}

/// Spends one request of `subject`'s quota of `per_window` requests a minute.
pub fn take(
    conn: &mut DbConnection,
    subject: &str,
    per_window: i64,
    now: PrimitiveDateTime,
) -> QueryResult<Decision> {
    let (now_ms, interval) = (millis(now), interval_ms(per_window));
    match db::advance_rate_limit(conn, subject, now_ms, interval, WINDOW_MS)? {
        Some(arrival) => Ok(allowed(per_window, arrival, now_ms, interval, 0)),
        None => {
            let arrival = current(conn, subject)?.unwrap_or(now_ms);
            Ok(refused(per_window, arrival, now_ms, interval))
        }
    }
}

/// Whether `subject` has quota left, without spending any (for counting only failures).
pub fn peek(
    conn: &mut DbConnection,
    subject: &str,
    per_window: i64,
    now: PrimitiveDateTime,
) -> QueryResult<Decision> {
    let (now_ms, interval) = (millis(now), interval_ms(per_window));
    let arrival = current(conn, subject)?.unwrap_or(now_ms).max(now_ms);
    if arrival + interval - now_ms > WINDOW_MS {
        return Ok(refused(per_window, arrival, now_ms, interval));
    }
    Ok(Decision {
        allowed: true,
        limit: per_window,
        remaining: ((now_ms + WINDOW_MS - arrival) / interval).clamp(0, per_window),
        reset_seconds: ceil_seconds(arrival - now_ms),
        retry_after_seconds: 0,
    })
}

/// An allowed request, with `leased` requests this instance holds beyond the database's count.
fn allowed(per_window: i64, arrival: i64, now_ms: i64, interval: i64, leased: i64) -> Decision {
    Decision {
        allowed: true,
        limit: per_window,
        remaining: ((now_ms + WINDOW_MS - arrival) / interval + leased).clamp(0, per_window),
        reset_seconds: ceil_seconds(arrival - now_ms),
        retry_after_seconds: 0,
    }
}

/// How long quota taken ahead stays usable: what is not used by then is lost, never handed out
/// late.
const LEASE_MS: i64 = 1000;

/// Requests taken from the database at once: a two-hundredth of the quota (30 of 6,000 a
/// minute), one (exact) for quotas up to 399 a minute.
fn lease_size(per_window: i64) -> i64 {
    (per_window / 200).clamp(1, 50)
}

#[derive(Debug, Clone, Copy)]
struct Lease {
    per_window: i64,
    left: i64,
    arrival_ms: i64,
    until_ms: i64,
}

/// Quota an instance took from the shared count ahead of use, per subject. Taking several
/// requests' worth in one write means one database write per lease instead of per request,
/// and the count stays shared and conservative: quota is spent in the database before it is
/// used here, so several instances together never allow more than the limit. What they can
/// lose is a lease's unused rest (at most `lease_size - 1` per instance and second), and
/// only near the limit, where a refused lease falls back to taking one request exactly.
#[derive(Debug, Default)]
pub struct Leases {
    held: std::sync::Mutex<std::collections::HashMap<String, Lease>>,
}

/// Leases kept before the expired ones are swept out.
const LEASES_BEFORE_SWEEP: usize = 10_000;

impl Leases {
    /// `take`, from this instance's lease when it holds one.
    pub fn take(
        &self,
        conn: &mut DbConnection,
        subject: &str,
        per_window: i64,
        now: PrimitiveDateTime,
    ) -> QueryResult<Decision> {
        let (now_ms, interval) = (millis(now), interval_ms(per_window));
        if let Some(decision) = self.spend(subject, per_window, now_ms, interval) {
            return Ok(decision);
        }
        let size = lease_size(per_window);
        if size > 1
            && let Some(arrival) =
                db::advance_rate_limit(conn, subject, now_ms, interval * size, WINDOW_MS)?
        {
            self.keep(
                subject,
                Lease {
                    per_window,
                    left: size - 1,
                    arrival_ms: arrival,
                    until_ms: now_ms + LEASE_MS,
                },
                now_ms,
            );
            return Ok(allowed(per_window, arrival, now_ms, interval, size - 1));
        }
        take(conn, subject, per_window, now)
    }

    fn spend(
        &self,
        subject: &str,
        per_window: i64,
        now_ms: i64,
        interval: i64,
    ) -> Option<Decision> {
        let mut held = self
            .held
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let lease = held.get_mut(subject)?;
        // A changed quota, an expired lease or a clock gone backwards: ask the database.
        if lease.per_window != per_window
            || lease.left == 0
            || now_ms >= lease.until_ms
            || now_ms < lease.until_ms - LEASE_MS
        {
            return None;
        }
        lease.left -= 1;
        Some(allowed(
            per_window,
            lease.arrival_ms,
            now_ms,
            interval,
            lease.left,
        ))
    }

    fn keep(&self, subject: &str, lease: Lease, now_ms: i64) {
        let mut held = self
            .held
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if held.len() >= LEASES_BEFORE_SWEEP {
            held.retain(|_, kept| kept.until_ms > now_ms);
        }
        held.insert(subject.to_owned(), lease);
    }
}

fn refused(per_window: i64, arrival: i64, now_ms: i64, interval: i64) -> Decision {
    Decision {
        allowed: false,
        limit: per_window,
        remaining: 0,
        reset_seconds: ceil_seconds(arrival - now_ms),
        retry_after_seconds: ceil_seconds(arrival + interval - WINDOW_MS - now_ms).max(1),
    }
}

fn current(conn: &mut DbConnection, subject: &str) -> QueryResult<Option<i64>> {
    api_rate_limits::table
        .find(subject)
        .select(api_rate_limits::arrival_ms)
        .first(conn)
        .optional()
}

/// Forgets subjects whose quota is whole again (run with the hourly clean-up).
pub fn purge_idle(conn: &mut DbConnection, now: PrimitiveDateTime) -> QueryResult<usize> {
    diesel::delete(api_rate_limits::table.filter(api_rate_limits::arrival_ms.lt(millis(now))))
        .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_says_when_the_next_request_fits() {
        // 30 a minute: one every 2 s; the arrival time is a full window ahead.
        let now = 1_000_000;
        let decision = refused(30, now + WINDOW_MS, now, 2000);
        assert!(!decision.allowed);
        assert_eq!(decision.retry_after_seconds, 2);
        assert_eq!(decision.reset_seconds, 60);
    }
}
