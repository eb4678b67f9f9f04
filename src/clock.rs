//! Time comes from a `Clock` held by the application, so tests can move it (idle expiry, token
//! lifetimes) instead of sleeping.

use std::sync::Mutex;

use time::{Duration, OffsetDateTime, PrimitiveDateTime};

pub trait Clock: Send + Sync + 'static {
    /// The current time in UTC, as stored in the database.
    fn now(&self) -> PrimitiveDateTime;
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> PrimitiveDateTime {
        let now = OffsetDateTime::now_utc();
        // Microseconds are all PostgreSQL keeps; truncating here makes both backends round-trip alike.
        let now = now
            .replace_nanosecond(now.nanosecond() / 1_000 * 1_000)
            .unwrap_or(now);
        PrimitiveDateTime::new(now.date(), now.time())
    }
}

/// A clock that stands still until told to move.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<PrimitiveDateTime>,
}

impl ManualClock {
    pub fn starting_now() -> Self {
        Self {
            now: Mutex::new(SystemClock.now()),
        }
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().expect("clock lock");
        *now += by;
    }

    pub fn set(&self, to: PrimitiveDateTime) {
        *self.now.lock().expect("clock lock") = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> PrimitiveDateTime {
        *self.now.lock().expect("clock lock")
    }
}
