//! The shared parts of list pages: the query string, sortable headers, pages, and the
//! per-admin column settings.

use serde::Deserialize;

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

/// The longest search a list takes. Longer input (a pasted paragraph, a probe) is cut here, on
/// both backends, and the page says so; SQLite would refuse patterns of 50,000 bytes outright.
pub const MAX_SEARCH_CHARS: usize = 200;

/// The search as typed, trimmed and cut to [`MAX_SEARCH_CHARS`]; true when it was cut.
pub fn bounded_search(q: Option<&str>) -> (String, bool) {
    let trimmed = q.unwrap_or_default().trim();
    match trimmed.char_indices().nth(MAX_SEARCH_CHARS) {
        Some((end, _)) => (trimmed[..end].trim_end().to_owned(), true),
        None => (trimmed.to_owned(), false),
    }
}

/// The query string of a list page: `q` (the search), `sort` (a column key), `dir` (`asc` or
/// `desc`) and `page` (1-based).
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub q: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<i64>,
}

/// "Previous", "next" and which rows of how many a page shows.
pub struct Pager {
    pub from: i64,
    pub to: i64,
    /// None where counting every match would cost more than the page itself.
    pub total: Option<i64>,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// Where a list page stands: its path, the search, the sort column and direction, and the page
/// (0-based). Every link the page makes (sorting, paging, the way back from the column
/// settings) is built here, so that each keeps the search and the others' choices.
#[derive(Debug, Clone)]
pub struct Listing {
    pub path: &'static str,
    /// Trimmed and bounded ([`bounded_search`]); empty for no search.
    pub search: String,
    /// The search as typed was longer than [`MAX_SEARCH_CHARS`] and was cut.
    pub search_shortened: bool,
    pub sort: &'static str,
    pub descending: bool,
    pub page: i64,
}

impl Listing {
    /// Reads the query of the page at `path`. `sort` is the column the page sorts by: the one
    /// the query names when the page knows it, else its default.
    pub fn read(path: &'static str, query: ListQuery, sort: &'static str) -> Self {
        let (search, search_shortened) = bounded_search(query.q.as_deref());
        Self {
            path,
            search,
            search_shortened,
            sort,
            descending: query.dir.as_deref() == Some("desc"),
            page: page_index(query.page),
        }
    }

    /// The search to filter by, if there is one.
    pub fn search_filter(&self) -> Option<String> {
        Some(self.search.clone()).filter(|search| !search.is_empty())
    }

    /// The page sorted by `sort` in that direction, showing page `page` (0-based) of the search.
    pub fn url(&self, sort: &str, descending: bool, page: i64) -> String {
        let mut url = format!(
            "{}?sort={sort}&dir={}",
            self.path,
            if descending { "desc" } else { "asc" }
        );
        if !self.search.is_empty() {
            url.push_str(&format!("&q={}", encode(&self.search)));
        }
        if page > 0 {
            url.push_str(&format!("&page={}", page + 1));
        }
        url
    }

    /// This very page, where the column settings come back to.
    pub fn here(&self) -> String {
        self.url(self.sort, self.descending, self.page)
    }

    /// The header cells of `columns`: sorting by another column starts again at the first page.
    pub fn headers(&self, columns: &[ColumnDef]) -> Vec<HeaderCell> {
        header_cells(columns, self.sort, self.descending, |key, descending| {
            self.url(key, descending, 0)
        })
    }

    /// The pager under this page, which shows `shown` rows of at most `per_page`.
    pub fn pager(&self, per_page: i64, shown: usize, total: Option<i64>, has_next: bool) -> Pager {
        let (page, shown) = (self.page, shown as i64);
        Pager {
            from: if shown == 0 { 0 } else { page * per_page + 1 },
            to: page * per_page + shown,
            total,
            previous: (page > 0).then(|| self.url(self.sort, self.descending, page - 1)),
            next: has_next.then(|| self.url(self.sort, self.descending, page + 1)),
        }
    }
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

    fn users_page(query: ListQuery) -> Listing {
        Listing::read("/users", query, "email")
    }

    #[test]
    fn searches_are_cut_at_the_limit_on_a_character_boundary() {
        assert_eq!(bounded_search(Some("  ada  ")), ("ada".to_owned(), false));
        assert_eq!(bounded_search(None), (String::new(), false));
        let exact = "é".repeat(MAX_SEARCH_CHARS);
        assert_eq!(bounded_search(Some(&exact)), (exact.clone(), false));
        let (cut, shortened) = bounded_search(Some(&"é".repeat(50_000)));
        assert!(shortened);
        assert_eq!(cut.chars().count(), MAX_SEARCH_CHARS);
    }

    #[test]
    fn list_links_keep_the_search_and_count_pages_from_one() {
        let query = ListQuery {
            q: Some("  ada & co ".into()),
            sort: Some("name".into()),
            dir: Some("desc".into()),
            page: Some(2),
        };
        let listing = Listing::read("/users", query, "name");
        assert_eq!(listing.search_filter().as_deref(), Some("ada & co"));
        assert_eq!(listing.page, 1);
        assert_eq!(
            listing.here(),
            "/users?sort=name&dir=desc&q=ada+%26+co&page=2"
        );
        assert_eq!(
            listing.url("email", false, 0),
            "/users?sort=email&dir=asc&q=ada+%26+co"
        );
        let plain = users_page(ListQuery {
            page: Some(0),
            ..ListQuery::default()
        });
        assert_eq!(plain.search_filter(), None);
        assert_eq!(plain.here(), "/users?sort=email&dir=asc");
    }

    #[test]
    fn the_pager_counts_rows_and_links_neighbouring_pages() {
        let second = users_page(ListQuery {
            page: Some(2),
            ..ListQuery::default()
        });
        let pager = second.pager(50, 5, Some(55), false);
        assert_eq!((pager.from, pager.to, pager.total), (51, 55, Some(55)));
        assert_eq!(pager.previous.as_deref(), Some("/users?sort=email&dir=asc"));
        assert!(pager.next.is_none());
        let empty = users_page(ListQuery::default()).pager(50, 0, None, false);
        assert_eq!((empty.from, empty.to), (0, 0));
        assert!(empty.previous.is_none());
        let first = users_page(ListQuery::default()).pager(50, 50, None, true);
        assert_eq!(
            first.next.as_deref(),
            Some("/users?sort=email&dir=asc&page=2")
        );
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
