//! IANA time zones: reading a UTC instant as a wall-clock time and back. Used by rules that
//! end at a local time (external users' access) and by everything that shows times to people.

use chrono::TimeZone;
use time::{Date, PrimitiveDateTime};

/// The IANA zone by name; an unknown or empty name counts as UTC.
pub fn zone(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap_or(chrono_tz::UTC)
}

/// A UTC instant as the wall-clock time in `zone_name`.
pub fn local_time(at: PrimitiveDateTime, zone_name: &str) -> PrimitiveDateTime {
    let tz = zone(zone_name);
    let utc = chrono::NaiveDate::from_ymd_opt(at.year(), u32::from(u8::from(at.month())), {
        u32::from(at.day())
    })
    .and_then(|day| {
        day.and_hms_opt(
            u32::from(at.hour()),
            u32::from(at.minute()),
            u32::from(at.second()),
        )
    })
    .expect("a valid timestamp");
    from_chrono(tz.from_utc_datetime(&utc).naive_local())
}

/// The UTC instant of a wall-clock time in `zone_name`: in a gap (clocks moved forward) the
/// hour after, in an overlap the earlier of the two.
pub fn utc_of_local(local: PrimitiveDateTime, zone_name: &str) -> PrimitiveDateTime {
    let tz = zone(zone_name);
    let naive = to_chrono(local);
    let instant = tz
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|at| at.naive_utc())
        .unwrap_or(naive);
    from_chrono(instant)
}

fn to_chrono(at: PrimitiveDateTime) -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(
        at.year(),
        u32::from(u8::from(at.month())),
        u32::from(at.day()),
    )
    .and_then(|day| {
        day.and_hms_opt(
            u32::from(at.hour()),
            u32::from(at.minute()),
            u32::from(at.second()),
        )
    })
    .expect("a valid timestamp")
}

pub fn from_chrono(at: chrono::NaiveDateTime) -> PrimitiveDateTime {
    use chrono::{Datelike, Timelike};
    let date = Date::from_calendar_date(
        at.year(),
        time::Month::try_from(at.month() as u8).expect("chrono months are 1 to 12"),
        at.day() as u8,
    )
    .expect("chrono dates are valid");
    let time = time::Time::from_hms(at.hour() as u8, at.minute() as u8, at.second() as u8)
        .expect("chrono times are valid");
    PrimitiveDateTime::new(date, time)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn local_time_follows_daylight_saving() {
        assert_eq!(
            local_time(datetime!(2026-07-01 12:00), "Europe/Warsaw"),
            datetime!(2026-07-01 14:00)
        );
        assert_eq!(
            local_time(datetime!(2026-12-01 12:00), "Europe/Warsaw"),
            datetime!(2026-12-01 13:00)
        );
    }
}
