//! Organization policies: what an admin sets on the Policies page, and the checks the rest of
//! the console asks for (member email domains, password rules).

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::crypto::password::PasswordRules;
use crate::db::DbConnection;
use crate::db::schema::{
    external_users, memberships, organization_policies, policy_allowed_addresses,
    policy_member_domains,
};
use crate::domain::audit::{self, Actor};
use crate::domain::ids::{AccountId, OrganizationId};
use crate::domain::kinds::MembershipStatus;
use crate::domain::lists::{load_list, replace_list};
use crate::domain::stored::stored_enum;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// New passwords need at least one character that is not a letter, digit or space.
    pub password_requires_special: bool,
    /// Days after which a password must be changed at the next sign-in; 0 = never.
    pub password_expiry_days: i32,
    /// How many previous passwords a new one may not repeat; 0 = no history.
    pub password_history: i32,
    /// Days without a sign-in after which a member becomes Inactive; 0 = never.
    pub inactivity_days: i32,
    /// Addresses and CIDR ranges allowed to act in the organization; empty allows any.
    pub ip_allow_list: Vec<String>,
    /// Lower-case domains members' emails must belong to; empty allows any.
    pub member_domains: Vec<String>,
    /// Agent management: stored and shown; agents read them in a later release.
    pub remote_agent_configuration: bool,
    pub scheduler_time_zone: Option<String>,
    pub disable_connector_updates: bool,
    /// When members acting in the organization must enter an emailed code.
    pub two_factor_mode: TwoFactorMode,
    /// For `Periodic`: how long a verified device is trusted.
    pub two_factor_days: i32,
    /// Whether a member with an authenticator app may ask for an emailed code instead.
    pub two_factor_email_fallback: bool,
    /// The longest a personal access token may live, in days (1 to 366).
    pub token_max_days: i32,
    /// Requests a minute each personal access token may make (30 to 6,000).
    pub api_requests_per_minute: i32,
}

/// The bounds of the token settings (the most a token may live; what the rate limit may be).
pub const TOKEN_MAX_DAYS_LIMIT: i32 = 366;
pub const API_REQUESTS_PER_MINUTE_MIN: i32 = 30;
pub const API_REQUESTS_PER_MINUTE_MAX: i32 = 6000;

stored_enum! {
    /// Two-factor authentication for members acting in the organization.
    #[derive(Default)]
    pub enum TwoFactorMode {
        #[default]
        Off = "off",
        /// Once every `two_factor_days` per device (a trusted-device cookie).
        Periodic = "periodic",
        /// At every sign-in (and every switch into the organization).
        Always = "always",
    }
}

impl std::str::FromStr for TwoFactorMode {
    type Err = &'static str;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::parse(value).ok_or("policy-two-factor-invalid")
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            password_requires_special: false,
            password_expiry_days: 90,
            password_history: 5,
            inactivity_days: 90,
            ip_allow_list: Vec::new(),
            member_domains: Vec::new(),
            remote_agent_configuration: false,
            scheduler_time_zone: None,
            disable_connector_updates: false,
            two_factor_mode: TwoFactorMode::Off,
            two_factor_days: 30,
            two_factor_email_fallback: true,
            token_max_days: TOKEN_MAX_DAYS_LIMIT,
            api_requests_per_minute: API_REQUESTS_PER_MINUTE_MIN,
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = organization_policies)]
struct PolicyRow {
    password_requires_special: bool,
    password_expiry_days: i32,
    password_history: i32,
    inactivity_days: i32,
    remote_agent_configuration: bool,
    scheduler_time_zone: Option<String>,
    disable_connector_updates: bool,
    two_factor_mode: TwoFactorMode,
    two_factor_days: i32,
    token_max_days: i32,
    api_requests_per_minute: i32,
    two_factor_email_fallback: bool,
}

/// What every request of a member needs from the policy (two-factor and the IP allow-list), in
/// one query, as the full `load` would take three.
pub fn access_rules(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<(TwoFactorMode, Vec<String>)> {
    let rows: Vec<(TwoFactorMode, Option<String>)> = organization_policies::table
        .left_join(policy_allowed_addresses::table)
        .filter(organization_policies::organization_id.eq(organization_id))
        .order(policy_allowed_addresses::position.nullable())
        .select((
            organization_policies::two_factor_mode,
            policy_allowed_addresses::entry.nullable(),
        ))
        .load(conn)?;
    let Some(&(mode, _)) = rows.first() else {
        return Ok((Policy::default().two_factor_mode, Vec::new()));
    };
    Ok((
        mode,
        rows.into_iter().filter_map(|(_, entry)| entry).collect(),
    ))
}

pub fn load(conn: &mut DbConnection, organization_id: OrganizationId) -> QueryResult<Policy> {
    let row: Option<PolicyRow> = organization_policies::table
        .find(organization_id)
        .select(PolicyRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(row) => Policy {
            password_requires_special: row.password_requires_special,
            password_expiry_days: row.password_expiry_days,
            password_history: row.password_history,
            inactivity_days: row.inactivity_days,
            ip_allow_list: load_list!(
                conn, policy_allowed_addresses, entry; organization_id = organization_id
            )?,
            member_domains: load_list!(
                conn, policy_member_domains, domain; organization_id = organization_id
            )?,
            remote_agent_configuration: row.remote_agent_configuration,
            scheduler_time_zone: row.scheduler_time_zone,
            disable_connector_updates: row.disable_connector_updates,
            two_factor_mode: row.two_factor_mode,
            two_factor_days: row.two_factor_days,
            two_factor_email_fallback: row.two_factor_email_fallback,
            token_max_days: row.token_max_days,
            api_requests_per_minute: row.api_requests_per_minute,
        },
        None => Policy::default(),
    })
}

/// Reads "a.com, @b.org; c.net" into `["a.com", "b.org", "c.net"]`.
pub fn parse_domains(input: &str) -> Result<Vec<String>, &'static str> {
    let mut domains = Vec::new();
    for part in input
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let domain = part.trim_start_matches('@').to_lowercase();
        let valid = domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if !valid {
            return Err("policy-domains-invalid");
        }
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    Ok(domains)
}

/// Reads addresses and CIDR ranges ("203.0.113.7, 198.51.100.0/24; 2001:db8::/32") into their
/// canonical forms. A plain address becomes a single-address range.
pub fn parse_ip_allow_list(input: &str) -> Result<Vec<String>, &'static str> {
    let mut entries = Vec::new();
    for part in input
        .split([',', ';', '\n', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let network = match part.parse::<ipnet::IpNet>() {
            Ok(network) => network.trunc(),
            Err(_) => part
                .parse::<std::net::IpAddr>()
                .map(ipnet::IpNet::from)
                .map_err(|_| "policy-ip-invalid")?,
        };
        let entry = network.to_string();
        if !entries.contains(&entry) {
            entries.push(entry);
        }
    }
    Ok(entries)
}

/// Whether a client address may act in the organization. An empty list allows any address; an
/// unknown address is allowed only when the list is empty.
pub fn address_allowed(allow_list: &[String], address: Option<&str>) -> bool {
    if allow_list.is_empty() {
        return true;
    }
    let Some(address) = address.and_then(|a| a.parse::<std::net::IpAddr>().ok()) else {
        return false;
    };
    allow_list
        .iter()
        .filter_map(|entry| entry.parse::<ipnet::IpNet>().ok())
        .any(|network| network.contains(&address))
}

/// Whether an email may belong to a member under the policy.
pub fn email_allowed(policy: &Policy, email: &str) -> bool {
    policy.member_domains.is_empty()
        || email
            .rsplit_once('@')
            .is_some_and(|(_, domain)| policy.member_domains.iter().any(|d| d == domain))
}

/// One changed setting, for the audit log and the "what changed" summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub setting: String,
    pub before: String,
    pub after: String,
}

fn yes_no(value: bool) -> String {
    if value { "on".into() } else { "off".into() }
}

pub fn diff(before: &Policy, after: &Policy) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut note = |setting: &str, old: String, new: String| {
        if old != new {
            changes.push(Change {
                setting: setting.to_owned(),
                before: old,
                after: new,
            });
        }
    };
    note(
        "password-requires-special",
        yes_no(before.password_requires_special),
        yes_no(after.password_requires_special),
    );
    note(
        "password-expiry-days",
        before.password_expiry_days.to_string(),
        after.password_expiry_days.to_string(),
    );
    note(
        "password-history",
        before.password_history.to_string(),
        after.password_history.to_string(),
    );
    note(
        "inactivity-days",
        before.inactivity_days.to_string(),
        after.inactivity_days.to_string(),
    );
    note(
        "ip-allow-list",
        before.ip_allow_list.join(", "),
        after.ip_allow_list.join(", "),
    );
    note(
        "member-domains",
        before.member_domains.join(", "),
        after.member_domains.join(", "),
    );
    note(
        "remote-agent-configuration",
        yes_no(before.remote_agent_configuration),
        yes_no(after.remote_agent_configuration),
    );
    note(
        "scheduler-time-zone",
        before.scheduler_time_zone.clone().unwrap_or_default(),
        after.scheduler_time_zone.clone().unwrap_or_default(),
    );
    note(
        "disable-connector-updates",
        yes_no(before.disable_connector_updates),
        yes_no(after.disable_connector_updates),
    );
    note(
        "two-factor-mode",
        before.two_factor_mode.as_str().to_owned(),
        after.two_factor_mode.as_str().to_owned(),
    );
    note(
        "two-factor-days",
        before.two_factor_days.to_string(),
        after.two_factor_days.to_string(),
    );
    note(
        "two-factor-email-fallback",
        yes_no(before.two_factor_email_fallback),
        yes_no(after.two_factor_email_fallback),
    );
    note(
        "token-max-days",
        before.token_max_days.to_string(),
        after.token_max_days.to_string(),
    );
    note(
        "api-requests-per-minute",
        before.api_requests_per_minute.to_string(),
        after.api_requests_per_minute.to_string(),
    );
    changes
}

/// The token settings alone, read on every API request and every token creation.
pub fn token_settings(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<(i32, i32)> {
    Ok(organization_policies::table
        .find(organization_id)
        .select((
            organization_policies::token_max_days,
            organization_policies::api_requests_per_minute,
        ))
        .first(conn)
        .optional()?
        .unwrap_or((TOKEN_MAX_DAYS_LIMIT, API_REQUESTS_PER_MINUTE_MIN)))
}

/// Saves the policy; returns the audit event that lists the changes, or None when nothing changed.
pub fn save(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    policy: &Policy,
    actor: &Actor,
) -> QueryResult<Option<i64>> {
    let before = load(conn, organization_id)?;
    let changes = diff(&before, policy);
    if changes.is_empty() {
        return Ok(None);
    }
    diesel::delete(organization_policies::table.find(organization_id)).execute(conn)?;
    diesel::insert_into(organization_policies::table)
        .values((
            organization_policies::organization_id.eq(organization_id),
            organization_policies::password_requires_special.eq(policy.password_requires_special),
            organization_policies::password_expiry_days.eq(policy.password_expiry_days),
            organization_policies::password_history.eq(policy.password_history),
            organization_policies::inactivity_days.eq(policy.inactivity_days),
            organization_policies::remote_agent_configuration.eq(policy.remote_agent_configuration),
            organization_policies::scheduler_time_zone.eq(policy.scheduler_time_zone.as_deref()),
            organization_policies::disable_connector_updates.eq(policy.disable_connector_updates),
            organization_policies::updated_at.eq(actor.at),
            organization_policies::two_factor_mode.eq(policy.two_factor_mode),
            organization_policies::two_factor_days.eq(policy.two_factor_days),
            organization_policies::two_factor_email_fallback.eq(policy.two_factor_email_fallback),
            organization_policies::token_max_days.eq(policy.token_max_days),
            organization_policies::api_requests_per_minute.eq(policy.api_requests_per_minute),
        ))
        .execute(conn)?;
    // The rows above went with the policy row they belong to (ON DELETE CASCADE).
    let (addresses, domains) = (&policy.ip_allow_list, &policy.member_domains);
    let id = organization_id;
    replace_list!(conn, policy_allowed_addresses, entry, addresses; organization_id = id);
    replace_list!(conn, policy_member_domains, domain, domains; organization_id = id);
    let mut event = actor.event(Some(organization_id), "policy.updated", None);
    event.details = serde_json::to_string(&changes).ok();
    audit::record_returning_id(conn, &event).map(Some)
}

/// The changes a `policy.updated` audit event of this organization recorded.
pub fn changes_recorded(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    event_id: i64,
) -> QueryResult<Vec<Change>> {
    let details = audit::details_of(conn, organization_id, event_id, "policy.updated")?;
    Ok(details
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

/// Members whose email is outside the policy's domains: up to `limit` of them, and how many.
pub fn members_out_of_policy(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    policy: &Policy,
    limit: usize,
) -> QueryResult<(Vec<String>, usize)> {
    if policy.member_domains.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let emails: Vec<String> = memberships::table
        .filter(memberships::organization_id.eq(organization_id))
        .order(memberships::email.asc())
        .select(memberships::email)
        .load(conn)?;
    let outside: Vec<String> = emails
        .into_iter()
        .filter(|email| !email_allowed(policy, email))
        .collect();
    let count = outside.len();
    Ok((outside.into_iter().take(limit).collect(), count))
}

/// The password rules one policy sets.
fn rules_of(policy: &Policy) -> PasswordRules {
    PasswordRules {
        require_special: policy.password_requires_special,
        history: policy.password_history,
        expiry_days: policy.password_expiry_days,
    }
}

/// The strictest of several organizations' rules: a special character if any requires one, the
/// longest history, and the shortest expiry that is not "never" (0 only when all are 0).
fn strictest(rules: impl IntoIterator<Item = PasswordRules>) -> Option<PasswordRules> {
    rules.into_iter().reduce(|a, b| PasswordRules {
        require_special: a.require_special || b.require_special,
        history: a.history.max(b.history),
        expiry_days: match (a.expiry_days, b.expiry_days) {
            (0, days) | (days, 0) => days,
            (x, y) => x.min(y),
        },
    })
}

/// The password rules for people joining or acting in one organization.
pub fn password_rules_for_organization(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> QueryResult<PasswordRules> {
    Ok(rules_of(&load(conn, organization_id)?))
}

/// An account's password must satisfy the strictest policy among its organizations (active and
/// pending memberships, and organizations where it is an external user). An organization
/// without a policy row counts with the defaults. An account in no organization (or only
/// inactive ones) has no policy: only the length rule, no history, no expiry.
pub fn password_rules_for_account(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> QueryResult<PasswordRules> {
    let rows: Vec<(Option<bool>, Option<i32>, Option<i32>)> = memberships::table
        .left_join(
            organization_policies::table
                .on(organization_policies::organization_id.eq(memberships::organization_id)),
        )
        .filter(memberships::account_id.eq(account_id))
        .filter(memberships::status.ne(MembershipStatus::Inactive))
        .select((
            organization_policies::password_requires_special.nullable(),
            organization_policies::password_history.nullable(),
            organization_policies::password_expiry_days.nullable(),
        ))
        .load(conn)?;
    let external: Vec<(Option<bool>, Option<i32>, Option<i32>)> = external_users::table
        .left_join(
            organization_policies::table
                .on(organization_policies::organization_id.eq(external_users::organization_id)),
        )
        .filter(external_users::account_id.eq(account_id))
        .select((
            organization_policies::password_requires_special.nullable(),
            organization_policies::password_history.nullable(),
            organization_policies::password_expiry_days.nullable(),
        ))
        .load(conn)?;
    let rows = rows.into_iter().chain(external);
    let defaults = rules_of(&Policy::default());
    let each = rows.into_iter().map(|row| match row {
        (Some(require_special), Some(history), Some(expiry_days)) => PasswordRules {
            require_special,
            history,
            expiry_days,
        },
        _ => defaults,
    });
    Ok(strictest(each).unwrap_or_default())
}

/// Makes members Inactive who have not signed in (nor been reactivated, nor joined) within their
/// organization's inactivity period. The organization's owner is never inactivated, so someone can
/// always reactivate the others. With `account_id`, only that account's memberships (the check at
/// sign-in); without, every organization (the periodic job). Returns how many became inactive.
pub fn inactivate_idle_members(
    conn: &mut DbConnection,
    account_id: Option<AccountId>,
    now: time::PrimitiveDateTime,
    actor: &Actor,
) -> QueryResult<usize> {
    use crate::db::schema::organizations;
    let organizations_in_scope: Vec<(OrganizationId, Option<i64>)> = match account_id {
        Some(account_id) => organizations::table
            .inner_join(memberships::table)
            .filter(memberships::account_id.eq(account_id))
            .select((organizations::id, organizations::owner_account_id))
            .load(conn)?,
        None => organizations::table
            .select((organizations::id, organizations::owner_account_id))
            .load(conn)?,
    };
    let mut inactivated = 0;
    for (organization_id, owner) in organizations_in_scope {
        let days = load(conn, organization_id)?.inactivity_days;
        if days <= 0 {
            continue;
        }
        let cutoff = now - time::Duration::days(i64::from(days));
        let mut idle = memberships::table
            .filter(memberships::organization_id.eq(organization_id))
            .filter(memberships::status.eq(MembershipStatus::Active))
            .filter(memberships::created_at.lt(cutoff))
            .filter(
                memberships::last_sign_in_at
                    .is_null()
                    .or(memberships::last_sign_in_at.lt(cutoff)),
            )
            .filter(
                memberships::reactivated_at
                    .is_null()
                    .or(memberships::reactivated_at.lt(cutoff)),
            )
            .select((memberships::id, memberships::email))
            .into_boxed();
        if let Some(owner) = owner {
            idle = idle.filter(memberships::account_id.ne(owner));
        }
        if let Some(account_id) = account_id {
            idle = idle.filter(memberships::account_id.eq(account_id));
        }
        let idle: Vec<(i64, String)> = idle.load(conn)?;
        for (membership_id, email) in &idle {
            diesel::update(memberships::table.find(membership_id))
                .set(memberships::status.eq(MembershipStatus::Inactive))
                .execute(conn)?;
            audit::record(
                conn,
                &actor.event(
                    Some(organization_id),
                    "member.inactivated",
                    Some(email.clone()),
                ),
            )?;
        }
        inactivated += idle.len();
    }
    Ok(inactivated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_read_from_commas_and_semicolons() {
        assert_eq!(
            parse_domains(" Example.com; @partner.org,,example.com ").unwrap(),
            vec!["example.com", "partner.org"]
        );
        assert!(parse_domains("not a domain").is_err());
        assert!(parse_domains("").unwrap().is_empty());
    }

    #[test]
    fn allow_lists_take_addresses_and_ranges_of_both_families() {
        let list = parse_ip_allow_list("203.0.113.7; 198.51.100.9/24, 2001:db8::/32").unwrap();
        assert_eq!(
            list,
            vec!["203.0.113.7/32", "198.51.100.0/24", "2001:db8::/32"]
        );
        assert!(address_allowed(&list, Some("198.51.100.200")));
        assert!(address_allowed(&list, Some("2001:db8::1")));
        assert!(!address_allowed(&list, Some("203.0.113.8")));
        assert!(!address_allowed(&list, None));
        assert!(address_allowed(&[], None));
        assert!(parse_ip_allow_list("300.1.1.1").is_err());
    }

    #[test]
    fn emails_outside_the_domains_are_refused() {
        let policy = Policy {
            member_domains: vec!["example.com".into()],
            ..Policy::default()
        };
        assert!(email_allowed(&policy, "ada@example.com"));
        assert!(!email_allowed(&policy, "ada@sub.example.com"));
        assert!(!email_allowed(&policy, "ada@evil.com"));
        assert!(email_allowed(&Policy::default(), "anyone@anywhere.org"));
    }

    #[test]
    fn the_strictest_rules_win() {
        let rules = |require_special, history, expiry_days| PasswordRules {
            require_special,
            history,
            expiry_days,
        };
        assert_eq!(
            strictest([rules(false, 5, 90), rules(true, 10, 30)]),
            Some(rules(true, 10, 30))
        );
        assert_eq!(
            strictest([rules(false, 0, 0), rules(false, 3, 60), rules(false, 1, 0)]),
            Some(rules(false, 3, 60))
        );
        assert_eq!(
            strictest([rules(false, 0, 0), rules(false, 0, 0)]),
            Some(rules(false, 0, 0))
        );
        assert_eq!(strictest([]), None);
    }

    #[test]
    fn diff_lists_exactly_what_changed() {
        let before = Policy::default();
        let after = Policy {
            password_requires_special: true,
            ..Policy::default()
        };
        let changes = diff(&before, &after);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].setting, "password-requires-special");
        assert_eq!(
            (changes[0].before.as_str(), changes[0].after.as_str()),
            ("off", "on")
        );
    }
}
