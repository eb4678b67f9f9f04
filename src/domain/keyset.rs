//! Keyset paging over lists ordered newest first by `(created_at, id)`: a page starts after the
//! row a cursor names, so page 1,000 costs what page 1 does (no OFFSET). The audit log and the
//! email deliveries page use it.

use serde::{Deserialize, Serialize};
use time::PrimitiveDateTime;

/// Where a page starts: after the row created at `at` (microseconds since the epoch, which both
/// databases keep) with `id`, in newest-first order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub at: i64,
    pub id: i64,
}

impl Cursor {
    pub fn after(created_at: PrimitiveDateTime, id: i64) -> Self {
        let micros = created_at.assume_utc().unix_timestamp_nanos() / 1000;
        Self {
            at: i64::try_from(micros).unwrap_or(i64::MAX),
            id,
        }
    }

    /// The cursor as it travels in a URL: `<micros>.<id>`.
    pub fn to_text(self) -> String {
        format!("{}.{}", self.at, self.id)
    }

    pub fn parse(text: &str) -> Option<Self> {
        let (at, id) = text.split_once('.')?;
        Some(Self {
            at: at.parse().ok()?,
            id: id.parse().ok()?,
        })
    }

    /// The instant to compare `created_at` with.
    pub fn instant(self) -> PrimitiveDateTime {
        let instant = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.at) * 1000)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        PrimitiveDateTime::new(instant.date(), instant.time())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_travel_as_text_and_keep_microseconds() {
        let at = time::macros::datetime!(2026-12-06 10:11:12.123456);
        let cursor = Cursor::after(at, 42);
        assert_eq!(Cursor::parse(&cursor.to_text()), Some(cursor));
        assert_eq!(cursor.instant(), at);
        assert_eq!(Cursor::parse("x.1"), None);
        assert_eq!(Cursor::parse("12"), None);
    }
}
