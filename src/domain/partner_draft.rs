//! The Partners wizard's draft: what the owner typed so far, one per owner and organization,
//! kept between steps (the logo too) until the partner is registered or the wizard cancelled.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::db::schema::partner_drafts;
use crate::domain::ids::{AccountId, OrganizationId};
use crate::domain::partner_input::{LogoChange, parse_admin, parse_domains, parse_partner_name};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = partner_drafts)]
pub struct Draft {
    pub id: i64,
    pub organization_id: OrganizationId,
    pub account_id: AccountId,
    pub name: String,
    pub logo_content_type: Option<String>,
    pub domains: String,
    pub admin_first_name: String,
    pub admin_last_name: String,
    pub admin_email: String,
    pub updated_at: PrimitiveDateTime,
}

impl Draft {
    pub fn domain_list(&self) -> Vec<String> {
        self.domains.split_whitespace().map(str::to_owned).collect()
    }

    pub fn has_logo(&self) -> bool {
        self.logo_content_type.is_some()
    }
}

pub fn find_draft(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    account_id: AccountId,
) -> QueryResult<Option<Draft>> {
    partner_drafts::table
        .filter(partner_drafts::organization_id.eq(organization_id))
        .filter(partner_drafts::account_id.eq(account_id))
        .order(partner_drafts::id.desc())
        .select(Draft::as_select())
        .first(conn)
        .optional()
}

/// Saves step 1 (the name when given, and the logo change), starting a draft if there is none.
/// Returns the draft's id.
pub fn save_draft_info(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    account_id: AccountId,
    name: Option<&str>,
    logo: &LogoChange,
    at: PrimitiveDateTime,
) -> QueryResult<i64> {
    let id = match find_draft(conn, organization_id, account_id)? {
        Some(draft) => draft.id,
        None => diesel::insert_into(partner_drafts::table)
            .values((
                partner_drafts::organization_id.eq(organization_id),
                partner_drafts::account_id.eq(account_id),
                partner_drafts::name.eq(""),
                partner_drafts::domains.eq(""),
                partner_drafts::admin_first_name.eq(""),
                partner_drafts::admin_last_name.eq(""),
                partner_drafts::admin_email.eq(""),
                partner_drafts::updated_at.eq(at),
            ))
            .returning(partner_drafts::id)
            .get_result(conn)?,
    };
    let draft = partner_drafts::table.find(id);
    if let Some(name) = name {
        diesel::update(draft)
            .set(partner_drafts::name.eq(name))
            .execute(conn)?;
    }
    if let Some((bytes, content_type)) = logo.to_store() {
        diesel::update(draft)
            .set((
                partner_drafts::logo.eq(bytes),
                partner_drafts::logo_content_type.eq(content_type),
            ))
            .execute(conn)?;
    }
    diesel::update(draft)
        .set(partner_drafts::updated_at.eq(at))
        .execute(conn)?;
    Ok(id)
}

pub fn save_draft_domains(
    conn: &mut DbConnection,
    draft_id: i64,
    domains: &[String],
    at: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(partner_drafts::table.find(draft_id))
        .set((
            partner_drafts::domains.eq(domains.join(" ")),
            partner_drafts::updated_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Saves step 3 as typed (the review checks it again).
pub fn save_draft_admin(
    conn: &mut DbConnection,
    draft_id: i64,
    first_name: &str,
    last_name: &str,
    email: &str,
    at: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(partner_drafts::table.find(draft_id))
        .set((
            partner_drafts::admin_first_name.eq(first_name.trim()),
            partner_drafts::admin_last_name.eq(last_name.trim()),
            partner_drafts::admin_email.eq(email.trim()),
            partner_drafts::updated_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn draft_logo(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    account_id: AccountId,
) -> QueryResult<Option<(Vec<u8>, String)>> {
    let row: Option<(Option<Vec<u8>>, Option<String>)> = partner_drafts::table
        .filter(partner_drafts::organization_id.eq(organization_id))
        .filter(partner_drafts::account_id.eq(account_id))
        .order(partner_drafts::id.desc())
        .select((partner_drafts::logo, partner_drafts::logo_content_type))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((Some(bytes), Some(content_type))) => Some((bytes, content_type)),
        _ => None,
    })
}

pub fn delete_drafts(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    account_id: AccountId,
) -> QueryResult<()> {
    diesel::delete(
        partner_drafts::table
            .filter(partner_drafts::organization_id.eq(organization_id))
            .filter(partner_drafts::account_id.eq(account_id)),
    )
    .execute(conn)
    .map(|_| ())
}

/// What a draft still lacks, step by step (message keys), for the review.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftCheck {
    pub info: Option<&'static str>,
    pub domains: Option<&'static str>,
    pub admin: Option<&'static str>,
}

impl DraftCheck {
    pub fn complete(&self) -> bool {
        self.info.is_none() && self.domains.is_none() && self.admin.is_none()
    }
}

pub fn check_draft(draft: &Draft) -> DraftCheck {
    let domains = parse_domains(&draft.domains);
    let admin = match &domains {
        Ok(list) => parse_admin(
            &draft.admin_first_name,
            &draft.admin_last_name,
            &draft.admin_email,
            list,
        )
        .err()
        .and_then(|errors| errors.first()),
        Err(_) => Some("partners-admin-needs-domains"),
    };
    DraftCheck {
        info: parse_partner_name(&draft.name).err(),
        domains: domains.err().map(|problem| problem.message_key()),
        admin,
    }
}
