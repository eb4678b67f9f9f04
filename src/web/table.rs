//! The shared parts of list pages: sortable headers, pages, and the per-admin column settings.

use crate::web::form::FormFields;

/// A column a table can show.
#[derive(Debug, Clone, Copy)]
pub struct ColumnDef {
    pub key: &'static str,
    pub label_key: &'static str,
    pub sortable: bool,
}

/// A column as the page renders it.
#[derive(Debug, Clone)]
pub struct HeaderCell {
    pub key: &'static str,
    pub label_key: &'static str,
    /// Where a click sorts by this column (toggling the direction when it is the current one).
    pub href: Option<String>,
    /// `ascending` / `descending` on the sorted column, for `aria-sort`.
    pub aria_sort: Option<&'static str>,
}

/// One line of the column settings form.
#[derive(Debug, Clone)]
pub struct ColumnSetting {
    pub key: &'static str,
    pub label_key: &'static str,
    pub visible: bool,
    pub position: usize,
}

/// The columns to show, in order: the saved choice (unknown keys ignored), else all of them.
pub fn visible_columns(defs: &[ColumnDef], saved: Option<&[String]>) -> Vec<ColumnDef> {
    match saved {
        Some(saved) if !saved.is_empty() => {
            let chosen: Vec<ColumnDef> = saved
                .iter()
                .filter_map(|key| defs.iter().find(|def| def.key == key).copied())
                .collect();
            if chosen.is_empty() {
                defs.to_vec()
            } else {
                chosen
            }
        }
        _ => defs.to_vec(),
    }
}

/// Every column for the settings form: visible ones first in their order, then hidden ones.
pub fn column_settings(defs: &[ColumnDef], visible: &[ColumnDef]) -> Vec<ColumnSetting> {
    let mut settings: Vec<ColumnSetting> = visible
        .iter()
        .map(|def| ColumnSetting {
            key: def.key,
            label_key: def.label_key,
            visible: true,
            position: 0,
        })
        .collect();
    settings.extend(
        defs.iter()
            .filter(|def| !visible.iter().any(|v| v.key == def.key))
            .map(|def| ColumnSetting {
                key: def.key,
                label_key: def.label_key,
                visible: false,
                position: 0,
            }),
    );
    for (index, setting) in settings.iter_mut().enumerate() {
        setting.position = index + 1;
    }
    settings
}

/// Reads the settings form (`show=<key>` for each shown column, `position_<key>=N`) into the
/// ordered list of shown columns. At least one column always stays.
pub fn chosen_columns(defs: &[ColumnDef], form: &FormFields) -> Vec<&'static str> {
    let shown = form.all("show");
    let mut chosen: Vec<(usize, usize, &'static str)> = defs
        .iter()
        .enumerate()
        .filter(|(_, def)| shown.iter().any(|key| key == def.key))
        .map(|(index, def)| {
            let position = form
                .get(&format!("position_{}", def.key))
                .and_then(|p| p.trim().parse::<usize>().ok())
                .unwrap_or(usize::MAX);
            (position, index, def.key)
        })
        .collect();
    chosen.sort();
    let keys: Vec<&'static str> = chosen.into_iter().map(|(_, _, key)| key).collect();
    if keys.is_empty() {
        vec![defs[0].key]
    } else {
        keys
    }
}

/// Builds the header cells; `link(sort, descending)` makes the URL for a sort choice.
pub fn header_cells(
    columns: &[ColumnDef],
    current_sort: &str,
    descending: bool,
    link: impl Fn(&str, bool) -> String,
) -> Vec<HeaderCell> {
    columns
        .iter()
        .map(|def| {
            let is_current = def.key == current_sort;
            HeaderCell {
                key: def.key,
                label_key: def.label_key,
                href: def
                    .sortable
                    .then(|| link(def.key, is_current && !descending)),
                aria_sort: is_current.then_some(if descending {
                    "descending"
                } else {
                    "ascending"
                }),
            }
        })
        .collect()
}

/// "Page N" in the URL is 1-based; anything odd means the first page.
pub fn page_index(page: Option<i64>) -> i64 {
    page.filter(|p| *p >= 1).map_or(0, |p| p - 1)
}

/// Query-string encoding for one value.
pub fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFS: [ColumnDef; 3] = [
        ColumnDef {
            key: "email",
            label_key: "x",
            sortable: true,
        },
        ColumnDef {
            key: "name",
            label_key: "x",
            sortable: true,
        },
        ColumnDef {
            key: "actions",
            label_key: "x",
            sortable: false,
        },
    ];

    #[test]
    fn saved_columns_keep_their_order_and_drop_unknown_keys() {
        let saved = vec!["name".to_owned(), "bogus".to_owned(), "email".to_owned()];
        let keys: Vec<_> = visible_columns(&DEFS, Some(&saved))
            .iter()
            .map(|d| d.key)
            .collect();
        assert_eq!(keys, vec!["name", "email"]);
        assert_eq!(visible_columns(&DEFS, None).len(), 3);
    }

    #[test]
    fn the_settings_form_orders_by_position_and_keeps_one_column() {
        let form = FormFields::from_pairs(vec![
            ("show".into(), "email".into()),
            ("show".into(), "name".into()),
            ("position_email".into(), "2".into()),
            ("position_name".into(), "1".into()),
        ]);
        assert_eq!(chosen_columns(&DEFS, &form), vec!["name", "email"]);
        assert_eq!(chosen_columns(&DEFS, &FormFields::default()), vec!["email"]);
    }

    #[test]
    fn headers_toggle_direction_on_the_current_column() {
        let cells = header_cells(&DEFS, "email", false, |key, desc| {
            format!("?sort={key}&desc={desc}")
        });
        assert_eq!(cells[0].href.as_deref(), Some("?sort=email&desc=true"));
        assert_eq!(cells[0].aria_sort, Some("ascending"));
        assert_eq!(cells[1].href.as_deref(), Some("?sort=name&desc=false"));
        assert!(cells[2].href.is_none());
    }
}
