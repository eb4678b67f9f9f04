//! An account's own settings: name, language, time zone. (The password change lives in
//! `account::change_password`, next to the other password rules.)

use std::sync::LazyLock;

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::accounts;
use crate::domain::audit::{self, Actor};
use crate::domain::ids::AccountId;
use crate::domain::membership::{self, DirectoryScope};
use crate::i18n::Lang;

/// The zone shown when the account has not chosen one.
pub const DEFAULT_TIME_ZONE: &str = "UTC";

/// The IANA zone names people may pick: "UTC" and the geographic `Area/Location` zones, sorted.
/// The old aliases (`US/Eastern`, `Etc/GMT+5`, ...) are left out: each has a geographic twin.
pub fn time_zones() -> &'static [&'static str] {
    static ZONES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        const AREAS: [&str; 9] = [
            "Africa/",
            "America/",
            "Antarctica/",
            "Asia/",
            "Atlantic/",
            "Australia/",
            "Europe/",
            "Indian/",
            "Pacific/",
        ];
        let mut zones: Vec<&'static str> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|zone| zone.name())
            .filter(|name| AREAS.iter().any(|area| name.starts_with(area)))
            .collect();
        zones.sort_unstable();
        zones.dedup();
        zones.insert(0, DEFAULT_TIME_ZONE);
        zones
    });
    &ZONES
}

/// A zone from the list, or the catalog key of the error.
pub fn parse_time_zone(candidate: &str) -> Result<&'static str, &'static str> {
    let candidate = candidate.trim();
    time_zones()
        .iter()
        .find(|zone| **zone == candidate)
        .copied()
        .ok_or("profile-time-zone-invalid")
}

/// The profile's choice meaning "whatever language my browser asks for".
pub const BROWSER_LANGUAGE: &str = "browser";

/// One of the catalog's languages, by its exact tag (`en`, `pt-BR`, `pl`), or `None` for the
/// browser's language (negotiated on each request from `Accept-Language`).
pub fn parse_language(candidate: &str) -> Result<Option<Lang>, &'static str> {
    let candidate = candidate.trim();
    if candidate == BROWSER_LANGUAGE {
        return Ok(None);
    }
    Lang::ALL
        .into_iter()
        .find(|lang| lang.tag() == candidate)
        .map(Some)
        .ok_or("profile-language-invalid")
}

/// What the "Your details" form saves; each field already passed its rule.
#[derive(Debug, Clone)]
pub struct ProfileDetails {
    pub name: String,
    /// `None`: the browser's language.
    pub language: Option<Lang>,
    pub time_zone: &'static str,
}

/// Saves the details, keeps the directory copies of the account's memberships in step when the
/// name changed, and records `account.profile-updated`. Call it inside a write transaction.
pub fn update_details(
    conn: &mut DbConnection,
    account_id: AccountId,
    details: &ProfileDetails,
    actor: &Actor,
) -> QueryResult<()> {
    let (old_name, email): (String, String) = accounts::table
        .find(account_id)
        .select((accounts::name, accounts::email))
        .first(conn)?;
    diesel::update(accounts::table.find(account_id))
        .set((
            accounts::name.eq(&details.name),
            accounts::language.eq(details.language.map(Lang::tag)),
            accounts::time_zone.eq(details.time_zone),
        ))
        .execute(conn)?;
    if old_name != details.name {
        membership::refresh_directory(conn, DirectoryScope::Account(account_id))?;
        crate::domain::external_user::refresh_directory_for_account(conn, account_id)?;
    }
    audit::record(
        conn,
        &actor.event(None, "account.profile-updated", Some(email)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zone_list_holds_geographic_zones_and_utc() {
        let zones = time_zones();
        assert_eq!(zones[0], "UTC");
        assert!(zones.contains(&"Europe/Lisbon"));
        assert!(zones.contains(&"America/Sao_Paulo"));
        assert!(!zones.contains(&"US/Eastern"));
        assert!(zones[1..].windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn zones_and_languages_are_checked_against_the_lists() {
        assert_eq!(parse_time_zone(" Asia/Tokyo "), Ok("Asia/Tokyo"));
        assert!(parse_time_zone("Mars/Olympus_Mons").is_err());
        assert!(parse_time_zone("").is_err());
        assert_eq!(parse_language("pt-BR"), Ok(Some(Lang::PtBr)));
        assert_eq!(parse_language("en"), Ok(Some(Lang::En)));
        assert_eq!(parse_language("pl"), Ok(Some(Lang::Pl)));
        assert_eq!(parse_language("browser"), Ok(None));
        assert!(parse_language("fr").is_err());
    }
}
