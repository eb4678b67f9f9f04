//! The hashes of an account's recent passwords, so that a new password cannot repeat one of the
//! last N (the strictest `password_history` among the account's organizations). Every place that
//! sets a password records it here in the same transaction.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::db::schema::{accounts, password_history};
use crate::domain::ids::AccountId;

/// The most any policy can ask for (the Policies page allows 0 to 24); older rows are deleted.
pub const KEEP: i64 = 24;

/// Records a password just set (already hashed) and forgets those beyond the newest `KEEP`.
pub fn record(
    conn: &mut DbConnection,
    account_id: AccountId,
    password_hash: &str,
    at: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(password_history::table)
        .values((
            password_history::account_id.eq(account_id),
            password_history::password_hash.eq(password_hash),
            password_history::created_at.eq(at),
        ))
        .execute(conn)?;
    let stale: Vec<i64> = password_history::table
        .filter(password_history::account_id.eq(account_id))
        .order((
            password_history::created_at.desc(),
            password_history::id.desc(),
        ))
        .offset(KEEP)
        .select(password_history::id)
        .load(conn)?;
    if !stale.is_empty() {
        diesel::delete(password_history::table.filter(password_history::id.eq_any(stale)))
            .execute(conn)?;
    }
    Ok(())
}

/// The hashes of the account's last `count` passwords, newest first; the current password counts
/// as one of them (also for accounts whose password was set before history was kept).
pub fn recent(
    conn: &mut DbConnection,
    account_id: AccountId,
    count: i32,
) -> QueryResult<Vec<String>> {
    let count = usize::try_from(count).unwrap_or(0);
    if count == 0 {
        return Ok(Vec::new());
    }
    let current: Option<String> = accounts::table
        .find(account_id)
        .select(accounts::password_hash)
        .first(conn)
        .optional()?
        .flatten();
    let older: Vec<String> = password_history::table
        .filter(password_history::account_id.eq(account_id))
        .order((
            password_history::created_at.desc(),
            password_history::id.desc(),
        ))
        .limit(count as i64)
        .select(password_history::password_hash)
        .load(conn)?;
    let mut hashes: Vec<String> = Vec::with_capacity(count);
    for hash in current.into_iter().chain(older) {
        if !hashes.contains(&hash) {
            hashes.push(hash);
        }
    }
    hashes.truncate(count);
    Ok(hashes)
}
