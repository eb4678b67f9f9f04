//! When an external user's access ends, and whether an account may still use the API portal.
//!
//! Access expires at 23:59 of its date in the person's own time zone: the account's once they
//! have registered, the inviting admin's (`invited_time_zone`) until then. The instant is worked
//! out from the date and the zone whenever it is needed rather than stored, so a person who
//! changes their time zone moves their own deadline with it, and a daylight-saving change between
//! the invitation and the date is taken into account.

use chrono::TimeZone;
use diesel::prelude::*;
use time::{Date, PrimitiveDateTime};

use crate::db::DbConnection;
use crate::db::schema::{accounts, external_users};
use crate::domain::ids::{AccountId, OrganizationId};
use crate::domain::stored::stored_enum;
use crate::time_zone::{from_chrono, zone};

/// The status an admin sees. Requested, Active and Suspended are stored; Expired is read from
/// the date (a suspension stays visible as such even after the date passes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalStatus {
    Requested,
    Active,
    Suspended,
    Expired,
}

impl ExternalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Expired => "expired",
        }
    }
}

stored_enum! {
    /// What is stored of an external user's status: Expired is never stored, it is read from the
    /// date by `status_at`.
    pub enum StoredExternalStatus {
        /// Invited, not registered yet.
        Requested = "requested",
        Active = "active",
        Suspended = "suspended",
    }
}

/// The UTC instant at which access that expires on `date` ends: 23:59 that day in `zone_name`.
pub fn expiry_instant(date: Date, zone_name: &str) -> PrimitiveDateTime {
    let tz = zone(zone_name);
    let local = chrono::NaiveDate::from_ymd_opt(date.year(), u32::from(u8::from(date.month())), {
        u32::from(date.day())
    })
    .and_then(|day| day.and_hms_opt(23, 59, 0))
    .expect("a valid calendar date has a 23:59");
    // 23:59 never falls in a gap or an overlap in today's zones; if some zone ever moves its
    // clocks at that minute, the earlier reading ends access first.
    let instant = tz
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|at| at.naive_utc())
        .unwrap_or(local);
    from_chrono(instant)
}

/// The zone an external user's expiry is read in.
pub fn effective_zone<'a>(
    registered: bool,
    account_zone: Option<&'a str>,
    invited_zone: &'a str,
) -> &'a str {
    match account_zone.filter(|zone| registered && !zone.is_empty()) {
        Some(zone) => zone,
        None => invited_zone,
    }
}

/// The status an admin sees at `now`.
pub fn status_at(
    stored: StoredExternalStatus,
    expires_on: Option<Date>,
    zone_name: &str,
    now: PrimitiveDateTime,
) -> ExternalStatus {
    match stored {
        StoredExternalStatus::Suspended => ExternalStatus::Suspended,
        _ if expires_on.is_some_and(|date| now >= expiry_instant(date, zone_name)) => {
            ExternalStatus::Expired
        }
        StoredExternalStatus::Requested => ExternalStatus::Requested,
        StoredExternalStatus::Active => ExternalStatus::Active,
    }
}

/// Where an account stands as an external user, across every organization that invited it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Not an external user anywhere.
    NotExternal,
    /// Active somewhere: the portal is open.
    Active,
    /// Nowhere active, and suspended somewhere.
    Suspended,
    /// Nowhere active, and expired (or not yet registered) everywhere.
    Expired,
}

/// One external-user row of an account, with what its status depends on.
#[derive(Debug, Clone, Queryable)]
pub struct Grant {
    pub external_user_id: i64,
    pub organization_id: OrganizationId,
    pub stored_status: StoredExternalStatus,
    pub expires_on: Option<Date>,
    pub invited_time_zone: String,
    pub registered_at: Option<PrimitiveDateTime>,
    pub account_time_zone: Option<String>,
}

impl Grant {
    pub fn zone(&self) -> &str {
        effective_zone(
            self.registered_at.is_some(),
            self.account_time_zone.as_deref(),
            &self.invited_time_zone,
        )
    }

    pub fn status_at(&self, now: PrimitiveDateTime) -> ExternalStatus {
        status_at(self.stored_status, self.expires_on, self.zone(), now)
    }
}

/// Every external-user row of the account.
pub fn grants_of_account(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<Vec<Grant>> {
    external_users::table
        .inner_join(accounts::table)
        .filter(external_users::account_id.eq(account_id))
        .select((
            external_users::id,
            external_users::organization_id,
            external_users::status,
            external_users::access_expires_on,
            external_users::invited_time_zone,
            external_users::registered_at,
            accounts::time_zone,
        ))
        .load(conn)
}

/// The account's external-user rows that are Active at `now`.
pub fn active_grants(
    conn: &mut DbConnection,
    account_id: AccountId,
    now: PrimitiveDateTime,
) -> QueryResult<Vec<Grant>> {
    Ok(grants_of_account(conn, account_id)?
        .into_iter()
        .filter(|grant| grant.status_at(now) == ExternalStatus::Active)
        .collect())
}

pub fn standing(
    conn: &mut DbConnection,
    account_id: AccountId,
    now: PrimitiveDateTime,
) -> QueryResult<Standing> {
    let grants = grants_of_account(conn, account_id)?;
    Ok(standing_of(&grants, now))
}

fn standing_of(grants: &[Grant], now: PrimitiveDateTime) -> Standing {
    if grants.is_empty() {
        return Standing::NotExternal;
    }
    let statuses: Vec<ExternalStatus> = grants.iter().map(|grant| grant.status_at(now)).collect();
    if statuses.contains(&ExternalStatus::Active) {
        Standing::Active
    } else if statuses.contains(&ExternalStatus::Suspended) {
        Standing::Suspended
    } else {
        Standing::Expired
    }
}

/// Records a sign-in on the account's external-user rows (the external users table's "Last
/// sign-in").
pub fn record_sign_in(
    conn: &mut DbConnection,
    account_id: AccountId,
    at: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(external_users::table.filter(external_users::account_id.eq(account_id)))
        .set(external_users::last_sign_in_at.eq(at))
        .execute(conn)
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn expiry_is_2359_local_time() {
        // São Paulo has kept UTC-3 all year since 2019.
        assert_eq!(
            expiry_instant(date!(2026 - 11 - 30), "America/Sao_Paulo"),
            datetime!(2026-12-01 02:59)
        );
        // Warsaw: CEST (UTC+2) until the last Sunday of October, CET (UTC+1) after it.
        assert_eq!(
            expiry_instant(date!(2026 - 10 - 24), "Europe/Warsaw"),
            datetime!(2026-10-24 21:59)
        );
        assert_eq!(
            expiry_instant(date!(2026 - 10 - 25), "Europe/Warsaw"),
            datetime!(2026-10-25 22:59)
        );
        assert_eq!(
            expiry_instant(date!(2026 - 03 - 29), "Europe/Warsaw"),
            datetime!(2026-03-29 21:59)
        );
        assert_eq!(
            expiry_instant(date!(2026 - 11 - 30), "no/such-zone"),
            datetime!(2026-11-30 23:59)
        );
    }

    #[test]
    fn status_reads_the_date_but_keeps_a_suspension() {
        let on = Some(date!(2026 - 11 - 30));
        let zone = "America/Sao_Paulo";
        let before = datetime!(2026-12-01 02:58:59);
        let at = datetime!(2026-12-01 02:59);
        assert_eq!(
            status_at(StoredExternalStatus::Active, on, zone, before),
            ExternalStatus::Active
        );
        assert_eq!(
            status_at(StoredExternalStatus::Active, on, zone, at),
            ExternalStatus::Expired
        );
        assert_eq!(
            status_at(StoredExternalStatus::Requested, on, zone, at),
            ExternalStatus::Expired
        );
        assert_eq!(
            status_at(StoredExternalStatus::Suspended, on, zone, at),
            ExternalStatus::Suspended
        );
        assert_eq!(
            status_at(StoredExternalStatus::Active, None, zone, at),
            ExternalStatus::Active
        );
    }

    #[test]
    fn the_zone_is_the_inviters_until_registration() {
        assert_eq!(effective_zone(false, Some("Europe/Warsaw"), "UTC"), "UTC");
        assert_eq!(
            effective_zone(true, Some("Europe/Warsaw"), "UTC"),
            "Europe/Warsaw"
        );
        assert_eq!(
            effective_zone(true, None, "America/Sao_Paulo"),
            "America/Sao_Paulo"
        );
    }
}
