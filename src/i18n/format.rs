//! How values are shown on pages: times in the viewer's time zone and language.

use time::{Date, PrimitiveDateTime};

use crate::i18n::Lang;
use crate::time_zone::local_time;

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The person looking at a page: their language and time zone (their profile's, else UTC).
#[derive(Debug, Clone)]
pub struct Viewer {
    pub lang: Lang,
    pub zone: String,
}

impl Viewer {
    /// A stored UTC instant as the viewer's wall-clock date and time: `Nov 21, 2026, 14:05`
    /// (en) or `21/11/2026 14:05` (pt-BR).
    pub fn datetime(&self, at: PrimitiveDateTime) -> String {
        let local = local_time(at, &self.zone);
        format!(
            "{} {:02}:{:02}",
            self.date_with_separator(local.date()),
            local.hour(),
            local.minute()
        )
    }

    /// The viewer's calendar day of a stored UTC instant.
    pub fn day_of(&self, at: PrimitiveDateTime) -> String {
        self.date(local_time(at, &self.zone).date())
    }

    /// A calendar date: `Nov 21, 2026` (en), `21/11/2026` (pt-BR) or `21.11.2026` (pl).
    pub fn date(&self, date: Date) -> String {
        match self.lang {
            Lang::En => format!(
                "{} {}, {}",
                MONTHS_EN[usize::from(u8::from(date.month())) - 1],
                date.day(),
                date.year()
            ),
            Lang::PtBr => format!(
                "{:02}/{:02}/{}",
                date.day(),
                u8::from(date.month()),
                date.year()
            ),
            Lang::Pl => format!(
                "{:02}.{:02}.{}",
                date.day(),
                u8::from(date.month()),
                date.year()
            ),
        }
    }

    fn date_with_separator(&self, date: Date) -> String {
        match self.lang {
            Lang::En | Lang::Pl => format!("{},", self.date(date)),
            Lang::PtBr => self.date(date),
        }
    }
}

/// A UTC instant for someone whose time zone is unknown (an email to a new invitee):
/// `2026-11-21 14:05 UTC`.
pub fn timestamp_utc(at: PrimitiveDateTime) -> String {
    format!(
        "{} {:02}:{:02} UTC",
        date_input(at.date()),
        at.hour(),
        at.minute()
    )
}

/// A date as an HTML date input value (`2026-11-21`).
pub fn date_input(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn times_show_in_the_viewers_zone_and_language() {
        let en = Viewer {
            lang: Lang::En,
            zone: "America/Sao_Paulo".into(),
        };
        assert_eq!(
            en.datetime(datetime!(2026-12-01 02:05)),
            "Nov 30, 2026, 23:05"
        );
        let pt = Viewer {
            lang: Lang::PtBr,
            zone: "Europe/Warsaw".into(),
        };
        assert_eq!(pt.datetime(datetime!(2026-12-01 23:30)), "02/12/2026 00:30");
        assert_eq!(pt.day_of(datetime!(2026-12-01 23:30)), "02/12/2026");
    }
}
