//! The audit log: searching it, one event, its export in batches, how long it is kept, and the
//! daily clean-up. The page, its exports and `/api/v1/audit-events` call these same functions.

use std::collections::HashSet;

use time::PrimitiveDateTime;

use crate::app::access::{Acting, AuditReader, Guard, Owner};
use crate::db::{DbConnection, write_transaction};
use crate::domain::audit::{self, Retention, RetentionOutOfRange, TargetKind};
use crate::domain::audit_log::{self, Cursor, EventRow, Reader, Search};
use crate::domain::audit_query::Query;

/// One page of a search, with the targets its rows name that still exist.
pub struct Page {
    pub rows: Vec<EventRow>,
    /// Where the next page starts, when there is one.
    pub next: Option<Cursor>,
    pub existing: HashSet<(TargetKind, i64)>,
}

/// Rows per page, and the most a caller may ask for (the API's `limit`).
pub const PAGE_SIZE: i64 = 50;
pub const MAX_PAGE_SIZE: i64 = 200;
/// Rows per batch of an export: one short read each, so a million rows never sit in memory.
pub const EXPORT_BATCH: i64 = 1000;

fn reader_of(guard: &AuditReader) -> Reader {
    if guard.is_owner() {
        Reader::Owner
    } else {
        Reader::Admin
    }
}

/// A page of the events the search matches, newest first.
pub fn search(
    guard: &AuditReader,
    query: &Query,
    zone: &str,
    after: Option<Cursor>,
    limit: i64,
    conn: &mut DbConnection,
) -> diesel::QueryResult<Page> {
    let search = Search {
        query,
        zone,
        reader: reader_of(guard),
    };
    let limit = limit.clamp(1, MAX_PAGE_SIZE);
    let (rows, more) = audit_log::search(conn, guard.organization_id(), &search, after, limit)?;
    let existing = audit_log::existing_targets(conn, guard.organization_id(), &rows)?;
    let next = more.then(|| rows.last().map(EventRow::cursor)).flatten();
    Ok(Page {
        rows,
        next,
        existing,
    })
}

/// The next batch of an export (no target lookups: an export names, it does not link).
pub fn export_batch(
    guard: &AuditReader,
    query: &Query,
    zone: &str,
    after: Option<Cursor>,
    conn: &mut DbConnection,
) -> diesel::QueryResult<(Vec<EventRow>, Option<Cursor>)> {
    let search = Search {
        query,
        zone,
        reader: reader_of(guard),
    };
    let (rows, more) =
        audit_log::search(conn, guard.organization_id(), &search, after, EXPORT_BATCH)?;
    let next = more.then(|| rows.last().map(EventRow::cursor)).flatten();
    Ok((rows, next))
}

/// One event, with whether its target still exists.
pub fn event(
    guard: &AuditReader,
    id: i64,
    conn: &mut DbConnection,
) -> diesel::QueryResult<Option<(EventRow, bool)>> {
    let Some(row) = audit_log::event(conn, guard.organization_id(), reader_of(guard), id)? else {
        return Ok(None);
    };
    let existing =
        audit_log::existing_targets(conn, guard.organization_id(), std::slice::from_ref(&row))?;
    let exists = match (row.target_kind, row.target_id) {
        (Some(kind), Some(id)) => existing.contains(&(kind, id)),
        _ => false,
    };
    Ok(Some((row, exists)))
}

/// How far back the log goes, and when the last clean-up ran.
pub fn retention(guard: &AuditReader, conn: &mut DbConnection) -> diesel::QueryResult<Retention> {
    audit::retention(conn, guard.organization_id())
}

/// Sets how many days the organization keeps its events (30 to 3,650); true when it changed.
pub fn set_retention(
    by: &Acting<Owner>,
    days: i32,
    conn: &mut DbConnection,
) -> Result<bool, RetentionOutOfRange> {
    write_transaction(conn, |conn| {
        audit::set_retention(conn, by.organization_id(), days, &by.actor())
    })
}

/// Deletes the events each organization keeps no longer, at most once a day per organization,
/// in small batches (each its own transaction); returns how many went.
pub fn clean_up_expired(
    conn: &mut DbConnection,
    now: PrimitiveDateTime,
) -> diesel::QueryResult<usize> {
    let mut deleted = 0;
    while let Some(organization_id) =
        write_transaction(conn, |conn| audit::claim_clean_up(conn, now))?
    {
        loop {
            let batch = audit::delete_expired_batch(conn, organization_id, now)?;
            deleted += batch;
            if batch == 0 {
                break;
            }
        }
    }
    Ok(deleted)
}
