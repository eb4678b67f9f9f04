//! Per-admin table settings: which columns a table shows, in which order.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::column_preferences;
use crate::domain::ids::AccountId;

pub fn columns(
    conn: &mut DbConnection,
    account_id: AccountId,
    table: &str,
) -> QueryResult<Option<Vec<String>>> {
    let saved: Option<String> = column_preferences::table
        .find((account_id, table))
        .select(column_preferences::column_list)
        .first(conn)
        .optional()?;
    Ok(saved.map(|list| {
        list.split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect()
    }))
}

pub fn save_columns(
    conn: &mut DbConnection,
    account_id: AccountId,
    table: &str,
    columns: &[&str],
) -> QueryResult<()> {
    diesel::delete(column_preferences::table.find((account_id, table))).execute(conn)?;
    diesel::insert_into(column_preferences::table)
        .values((
            column_preferences::account_id.eq(account_id),
            column_preferences::table_name.eq(table),
            column_preferences::column_list.eq(columns.join(",")),
        ))
        .execute(conn)?;
    Ok(())
}
