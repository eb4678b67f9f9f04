//! Organization policies: what an admin sets on the Policies page, and the checks the rest of
//! the console asks for (member email domains, password rules).

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::password::PasswordRules;
use crate::db::DbConnection;
use crate::db::schema::{memberships, organization_policies};
use crate::domain::audit::{self, Actor};
use crate::domain::organization::MembershipStatus;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Policy {
    /// New passwords need at least one character that is not a letter, digit or space.
    pub password_requires_special: bool,
    /// Lower-case domains members' emails must belong to; empty allows any.
    pub member_domains: Vec<String>,
    /// Agent management: stored and shown; agents read them in a later release.
    pub remote_agent_configuration: bool,
    pub scheduler_time_zone: Option<String>,
    pub disable_connector_updates: bool,
}

type PolicyRow = (bool, String, bool, Option<String>, bool);

pub fn load(conn: &mut DbConnection, organization_id: i64) -> QueryResult<Policy> {
    let row: Option<PolicyRow> = organization_policies::table
        .find(organization_id)
        .select((
            organization_policies::password_requires_special,
            organization_policies::member_domains,
            organization_policies::remote_agent_configuration,
            organization_policies::scheduler_time_zone,
            organization_policies::disable_connector_updates,
        ))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((special, domains, remote, zone, no_updates)) => Policy {
            password_requires_special: special,
            member_domains: domains
                .split(',')
                .filter(|d| !d.is_empty())
                .map(str::to_owned)
                .collect(),
            remote_agent_configuration: remote,
            scheduler_time_zone: zone,
            disable_connector_updates: no_updates,
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
    changes
}

/// Saves the policy; returns the audit event that lists the changes, or None when nothing changed.
pub fn save(
    conn: &mut DbConnection,
    organization_id: i64,
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
            organization_policies::member_domains.eq(policy.member_domains.join(",")),
            organization_policies::remote_agent_configuration.eq(policy.remote_agent_configuration),
            organization_policies::scheduler_time_zone.eq(policy.scheduler_time_zone.as_deref()),
            organization_policies::disable_connector_updates.eq(policy.disable_connector_updates),
            organization_policies::updated_at.eq(actor.at),
        ))
        .execute(conn)?;
    let mut event = actor.event(Some(organization_id), "policy.updated", None);
    event.details = serde_json::to_string(&changes).ok();
    audit::record_returning_id(conn, &event).map(Some)
}

/// The changes a `policy.updated` audit event of this organization recorded.
pub fn changes_recorded(
    conn: &mut DbConnection,
    organization_id: i64,
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
    organization_id: i64,
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

/// The password rules for people joining or acting in one organization.
pub fn password_rules_for_organization(
    conn: &mut DbConnection,
    organization_id: i64,
) -> QueryResult<PasswordRules> {
    Ok(PasswordRules {
        require_special: load(conn, organization_id)?.password_requires_special,
    })
}

/// An account's password must satisfy the strictest policy among its organizations.
pub fn password_rules_for_account(
    conn: &mut DbConnection,
    account_id: i64,
) -> QueryResult<PasswordRules> {
    let strict: Vec<bool> = memberships::table
        .inner_join(
            organization_policies::table
                .on(organization_policies::organization_id.eq(memberships::organization_id)),
        )
        .filter(memberships::account_id.eq(account_id))
        .filter(memberships::status.ne(MembershipStatus::Inactive.as_str()))
        .select(organization_policies::password_requires_special)
        .load(conn)?;
    Ok(PasswordRules {
        require_special: strict.into_iter().any(|s| s),
    })
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
