//! What the API portal shows an account: the APIs and groups granted to it as an external user
//! (in every organization where that access is Active now), and, for a member, the APIs of the
//! environments their roles may read in the organization they act in, when they hold API
//! Consumer. Every portal page asks `reachable_api_ids` first, so an API outside it is a 404.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use diesel::prelude::*;
use time::{Date, PrimitiveDateTime};

use crate::db::DbConnection;
use crate::db::schema::{
    apis, external_user_api_groups, external_user_apis, organizations, role_environment_access,
};
use crate::domain::api_catalog::{self, ApiGroup, ListedApi};
use crate::domain::environment::{EnvAccess, EnvAccessSet};
use crate::domain::external_access::{self, Grant};
use crate::domain::ids::{AccountId, OrganizationId};
use crate::domain::kinds::MembershipStatus;
use crate::domain::organization::MemberContext;
use crate::domain::permission::Permission;

/// A group granted to an external user, with its APIs.
#[derive(Debug, Clone)]
pub struct PortalGroup {
    pub group: ApiGroup,
    pub apis: Vec<ListedApi>,
}

/// Why the account sees a section of the portal.
#[derive(Debug, Clone)]
pub enum Source {
    /// Granted as an external user, until the end of `expires_on` in `zone` (None: no end).
    External {
        expires_on: Option<Date>,
        zone: String,
    },
    /// A member with API Consumer and Read on these environments.
    Member,
    /// Linked by the client to a partner the account is a member of.
    Partner { partner_name: String },
}

/// The part of the portal one organization gives the account.
#[derive(Debug, Clone)]
pub struct PortalSection {
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub source: Source,
    pub groups: Vec<PortalGroup>,
    /// APIs granted one by one (external), or every API of a readable environment (member).
    pub apis: Vec<ListedApi>,
}

/// What one Active external-user row grants: group ids and single API ids.
struct ExternalGrant {
    grant: Grant,
    group_ids: Vec<i64>,
    api_ids: Vec<i64>,
}

fn external_grants(
    conn: &mut DbConnection,
    account_id: AccountId,
    now: PrimitiveDateTime,
) -> QueryResult<Vec<ExternalGrant>> {
    let grants = external_access::active_grants(conn, account_id, now)?;
    let ids: Vec<i64> = grants.iter().map(|grant| grant.external_user_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let group_rows: Vec<(i64, i64)> = external_user_api_groups::table
        .filter(external_user_api_groups::external_user_id.eq_any(&ids))
        .select((
            external_user_api_groups::external_user_id,
            external_user_api_groups::api_group_id,
        ))
        .load(conn)?;
    let api_rows: Vec<(i64, i64)> = external_user_apis::table
        .filter(external_user_apis::external_user_id.eq_any(&ids))
        .select((
            external_user_apis::external_user_id,
            external_user_apis::api_id,
        ))
        .load(conn)?;
    Ok(grants
        .into_iter()
        .map(|grant| {
            let of = |rows: &[(i64, i64)]| {
                rows.iter()
                    .filter(|(owner, _)| *owner == grant.external_user_id)
                    .map(|(_, id)| *id)
                    .collect()
            };
            ExternalGrant {
                group_ids: of(&group_rows),
                api_ids: of(&api_rows),
                grant,
            }
        })
        .collect())
}

/// What one active partnership links for the account's partner organization.
struct PartnerLink {
    partnership: crate::domain::partnership::Partnership,
    group_ids: Vec<i64>,
    api_ids: Vec<i64>,
}

/// The catalog entries clients linked to partners the account is an active member of (through
/// active partnerships of partner organizations that are not deactivated).
fn partner_links(conn: &mut DbConnection, account_id: AccountId) -> QueryResult<Vec<PartnerLink>> {
    use crate::db::schema::{memberships, partnership_api_groups, partnership_apis, partnerships};
    use crate::domain::partnership::{Partnership, PartnershipStatus};
    let linked: Vec<Partnership> = partnerships::table
        .inner_join(
            memberships::table
                .on(memberships::organization_id.eq(partnerships::partner_organization_id)),
        )
        .inner_join(
            organizations::table.on(organizations::id.eq(partnerships::partner_organization_id)),
        )
        .filter(memberships::account_id.eq(account_id))
        .filter(memberships::status.eq(MembershipStatus::Active))
        .filter(organizations::deactivated_at.is_null())
        .filter(partnerships::status.eq(PartnershipStatus::Active))
        .select(Partnership::as_select())
        .load(conn)?;
    let mut links = Vec::with_capacity(linked.len());
    for partnership in linked {
        let api_ids = partnership_apis::table
            .filter(partnership_apis::partnership_id.eq(partnership.id))
            .select(partnership_apis::api_id)
            .load(conn)?;
        let group_ids = partnership_api_groups::table
            .filter(partnership_api_groups::partnership_id.eq(partnership.id))
            .select(partnership_api_groups::api_group_id)
            .load(conn)?;
        if !api_ids.is_empty() || !group_ids.is_empty() {
            links.push(PartnerLink {
                partnership,
                group_ids,
                api_ids,
            });
        }
    }
    Ok(links)
}

/// The environments of the member's organization whose APIs the member may consume: API
/// Consumer (Admin implies it) and Read on the environment through an active role.
fn consumable_environments(
    conn: &mut DbConnection,
    member: &MemberContext,
) -> QueryResult<Vec<i64>> {
    if !member.permissions.allows(Permission::ApiConsumer) || member.role_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i32)> = role_environment_access::table
        .filter(role_environment_access::role_id.eq_any(&member.role_ids))
        .select((
            role_environment_access::environment_id,
            role_environment_access::access,
        ))
        .load(conn)?;
    let mut access: BTreeMap<i64, EnvAccessSet> = BTreeMap::new();
    for (environment_id, bits) in rows {
        let entry = access.entry(environment_id).or_insert(EnvAccessSet::EMPTY);
        *entry = entry.union(EnvAccessSet::from_bits(bits));
    }
    Ok(access
        .into_iter()
        .filter(|(_, set)| set.has(EnvAccess::Read))
        .map(|(environment_id, _)| environment_id)
        .collect())
}

fn member_api_ids(conn: &mut DbConnection, member: &MemberContext) -> QueryResult<Vec<i64>> {
    let environments = consumable_environments(conn, member)?;
    if environments.is_empty() {
        return Ok(Vec::new());
    }
    apis::table
        .filter(apis::organization_id.eq(member.organization_id))
        .filter(apis::environment_id.eq_any(&environments))
        .select(apis::id)
        .load(conn)
}

/// Every API the account may open in the portal now.
pub fn reachable_api_ids(
    conn: &mut DbConnection,
    account_id: AccountId,
    member: Option<&MemberContext>,
    now: PrimitiveDateTime,
) -> QueryResult<BTreeSet<i64>> {
    let grants = external_grants(conn, account_id, now)?;
    let links = partner_links(conn, account_id)?;
    let group_ids: Vec<i64> = grants
        .iter()
        .flat_map(|grant| grant.group_ids.iter().copied())
        .chain(links.iter().flat_map(|link| link.group_ids.iter().copied()))
        .collect();
    let members = api_catalog::group_members(conn, &group_ids)?;
    let mut reachable: BTreeSet<i64> = grants
        .iter()
        .flat_map(|grant| grant.api_ids.iter().copied())
        .chain(links.iter().flat_map(|link| link.api_ids.iter().copied()))
        .chain(members.values().flatten().copied())
        .collect();
    if let Some(member) = member {
        reachable.extend(member_api_ids(conn, member)?);
    }
    Ok(reachable)
}

/// The groups with these ids, each with its APIs.
fn portal_groups(conn: &mut DbConnection, group_ids: &[i64]) -> QueryResult<Vec<PortalGroup>> {
    let groups = api_catalog::groups_by_ids(conn, group_ids)?;
    let members = api_catalog::group_members(conn, group_ids)?;
    // One query for the APIs of every group, not one per group.
    let mut all_ids: Vec<i64> = members.values().flatten().copied().collect();
    all_ids.sort_unstable();
    all_ids.dedup();
    let apis = api_catalog::apis_by_ids(conn, &all_ids)?;
    Ok(groups
        .into_iter()
        .map(|group| {
            let ids = members
                .get(&group.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            PortalGroup {
                apis: apis
                    .iter()
                    .filter(|listed| ids.contains(&listed.api.id))
                    .cloned()
                    .collect(),
                group,
            }
        })
        .collect())
}

fn organization_names(
    conn: &mut DbConnection,
    ids: &[OrganizationId],
) -> QueryResult<HashMap<OrganizationId, String>> {
    Ok(organizations::table
        .filter(organizations::id.eq_any(ids))
        .select((organizations::id, organizations::name))
        .load::<(OrganizationId, String)>(conn)?
        .into_iter()
        .collect())
}

/// The portal's sections: one per organization granting external access (by name), then the
/// member's own organization.
pub fn sections(
    conn: &mut DbConnection,
    account_id: AccountId,
    member: Option<&MemberContext>,
    now: PrimitiveDateTime,
) -> QueryResult<Vec<PortalSection>> {
    let grants = external_grants(conn, account_id, now)?;
    let organization_ids: Vec<OrganizationId> =
        grants.iter().map(|g| g.grant.organization_id).collect();
    let names = organization_names(conn, &organization_ids)?;
    let mut sections = Vec::new();
    for external in grants {
        let portal_groups = portal_groups(conn, &external.group_ids)?;
        sections.push(PortalSection {
            organization_id: external.grant.organization_id,
            organization_name: names
                .get(&external.grant.organization_id)
                .cloned()
                .unwrap_or_default(),
            source: Source::External {
                expires_on: external.grant.expires_on,
                zone: external.grant.zone().to_owned(),
            },
            groups: portal_groups,
            apis: api_catalog::apis_by_ids(conn, &external.api_ids)?,
        });
    }
    for link in partner_links(conn, account_id)? {
        let Some(client_id) = link.partnership.client_organization_id else {
            continue;
        };
        let portal_groups = portal_groups(conn, &link.group_ids)?;
        sections.push(PortalSection {
            organization_id: client_id,
            organization_name: crate::domain::partnership::organization_name(conn, client_id)?,
            source: Source::Partner {
                partner_name: crate::domain::partnership::partner_name(conn, &link.partnership)?,
            },
            groups: portal_groups,
            apis: api_catalog::apis_by_ids(conn, &link.api_ids)?,
        });
    }
    sections.sort_by(|a, b| a.organization_name.cmp(&b.organization_name));
    if let Some(member) = member {
        let ids = member_api_ids(conn, member)?;
        if !ids.is_empty() {
            sections.push(PortalSection {
                organization_id: member.organization_id,
                organization_name: member.organization_name.clone(),
                source: Source::Member,
                groups: Vec::new(),
                apis: api_catalog::apis_by_ids(conn, &ids)?,
            });
        }
    }
    Ok(sections)
}

/// One API the account may open, with its organization's name.
pub fn reachable_api(
    conn: &mut DbConnection,
    account_id: AccountId,
    member: Option<&MemberContext>,
    api_id: i64,
    now: PrimitiveDateTime,
) -> QueryResult<Option<(ListedApi, String)>> {
    if !reachable_api_ids(conn, account_id, member, now)?.contains(&api_id) {
        return Ok(None);
    }
    let Some(api) = api_catalog::apis_by_ids(conn, &[api_id])?.pop() else {
        return Ok(None);
    };
    let organization_name = organization_names(conn, &[api.api.organization_id])?
        .remove(&api.api.organization_id)
        .unwrap_or_default();
    Ok(Some((api, organization_name)))
}
