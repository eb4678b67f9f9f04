//! Per-admin table settings: which columns a table shows, in which order.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::column_choices;
use crate::domain::ids::AccountId;
use crate::domain::lists::{load_list, replace_list};

/// The columns the account chose for the table, in order; None when it never chose (a saved
/// choice always has at least one column).
pub fn columns(
    conn: &mut DbConnection,
    account_id: AccountId,
    table: &str,
) -> QueryResult<Option<Vec<String>>> {
    let chosen = load_list!(
        conn, column_choices, column_key; account_id = account_id, table_name = table
    )?;
    Ok((!chosen.is_empty()).then_some(chosen))
}

pub fn save_columns(
    conn: &mut DbConnection,
    account_id: AccountId,
    table: &str,
    columns: &[&str],
) -> QueryResult<()> {
    replace_list!(
        conn, column_choices, column_key, columns; account_id = account_id, table_name = table
    );
    Ok(())
}
