//! Ordered lists kept as child rows (an IP allow-list, a partner's domains, a table's columns):
//! each row holds its parent's key, a `position` and one value. Read and written here the same
//! way for every such table.

/// The values of one parent's list, in order:
/// `load_list!(conn, table, value; parent = id, ...)`.
macro_rules! load_list {
    ($conn:expr, $table:ident, $value:ident; $($parent:ident = $id:expr),+) => {
        $table::table
            $(.filter($table::$parent.eq($id)))+
            .order($table::position)
            .select($table::$value)
            .load::<String>($conn)
    };
}

/// Replaces one parent's list with `values`, in their order:
/// `replace_list!(conn, table, value, values; parent = id, ...)`, inside a function whose `?`
/// takes a diesel error.
macro_rules! replace_list {
    ($conn:expr, $table:ident, $value:ident, $values:expr; $($parent:ident = $id:expr),+) => {{
        diesel::delete($table::table$(.filter($table::$parent.eq($id)))+).execute($conn)?;
        for (position, value) in (0..).zip($values) {
            // One row at a time: a multi-row insert does not build for both backends at once.
            diesel::insert_into($table::table)
                .values((
                    $($table::$parent.eq($id),)+
                    $table::position.eq::<i32>(position),
                    $table::$value.eq(value),
                ))
                .execute($conn)?;
        }
    }};
}

pub(crate) use {load_list, replace_list};
