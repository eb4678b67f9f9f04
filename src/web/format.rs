//! How values are shown on pages.

use time::PrimitiveDateTime;
use time::macros::format_description;

/// A UTC timestamp as `2026-11-21 14:05 UTC`. (Per-person time zones come with the profile page.)
pub fn timestamp(at: PrimitiveDateTime) -> String {
    at.format(format_description!(
        "[year]-[month]-[day] [hour]:[minute] UTC"
    ))
    .unwrap_or_default()
}

/// A UTC date as `2026-11-21`.
pub fn date(at: PrimitiveDateTime) -> String {
    at.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}
