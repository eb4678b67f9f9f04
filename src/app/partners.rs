//! Partner companies an organization's owner registers (the Partners page): the registration
//! wizard's draft, registering, and then the partner's details, admin, linked APIs and
//! deactivation.

use crate::app::access::{Acting, Owner};
use crate::config::Settings;
use crate::db::{DbConnection, write_transaction};
use crate::domain::partner_draft;
use crate::domain::partner_input::{AdminInput, LogoChange};
use crate::domain::partner_registry::{self, AdminChange, Registered, Registration};
use crate::domain::rules::{DomainError, DomainResult};

// ---------------------------------------------------------------------------------------------
// The registration wizard: one draft per owner, filled step by step.

/// Saves the first step: the partner's name (None keeps the draft's) and logo. Returns the
/// draft's id.
pub fn save_draft_info(
    by: &Acting<Owner>,
    name: Option<&str>,
    logo: &LogoChange,
    conn: &mut DbConnection,
) -> DomainResult<i64> {
    write_transaction(conn, |conn| {
        partner_draft::save_draft_info(
            conn,
            by.organization_id(),
            by.account_id(),
            name,
            logo,
            by.at(),
        )
        .map_err(Into::into)
    })
}

/// The owner's draft, or NotFound when there is none (the wizard starts over).
fn own_draft(by: &Acting<Owner>, conn: &mut DbConnection) -> DomainResult<i64> {
    partner_draft::find_draft(conn, by.organization_id(), by.account_id())?
        .map(|draft| draft.id)
        .ok_or(DomainError::NotFound)
}

/// Saves the second step: the partner's email domains.
pub fn save_draft_domains(
    by: &Acting<Owner>,
    domains: &[String],
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        let draft_id = own_draft(by, conn)?;
        partner_draft::save_draft_domains(conn, draft_id, domains, by.at())?;
        Ok(())
    })
}

/// Saves the third step: the partner's admin.
pub fn save_draft_admin(
    by: &Acting<Owner>,
    admin: &AdminInput,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        let draft_id = own_draft(by, conn)?;
        partner_draft::save_draft_admin(
            conn,
            draft_id,
            &admin.first_name,
            &admin.last_name,
            admin.email.as_str(),
            by.at(),
        )?;
        Ok(())
    })
}

/// Throws the draft away.
pub fn cancel_registration(by: &Acting<Owner>, conn: &mut DbConnection) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        partner_draft::delete_drafts(conn, by.organization_id(), by.account_id())
            .map_err(Into::into)
    })
}

/// Registers everything the draft holds: the partner's organization, its admin (invited, or
/// made admin at once when they have an account) and the partnership.
pub fn register(
    by: &Acting<Owner>,
    settings: &Settings,
    conn: &mut DbConnection,
) -> DomainResult<Registered> {
    write_transaction(conn, |conn| {
        partner_registry::register(
            conn,
            by.organization_id(),
            by.account_id(),
            settings.max_partners,
            &by.inviter(),
            settings,
            &by.actor(),
        )
    })
}

/// Registers a partner in one go, without the wizard's draft (the API's way): the same checks
/// and the same outcome as `register`.
pub fn register_directly(
    by: &Acting<Owner>,
    registration: &Registration,
    settings: &Settings,
    conn: &mut DbConnection,
) -> DomainResult<Registered> {
    write_transaction(conn, |conn| {
        partner_registry::register_checked(
            conn,
            by.organization_id(),
            registration,
            settings.max_partners,
            &by.inviter(),
            settings,
            &by.actor(),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// A registered partner.

/// Renames the partner (its organization too) and replaces or removes its logo.
pub fn update_info(
    by: &Acting<Owner>,
    partnership_id: i64,
    name: &str,
    logo: &LogoChange,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        partner_registry::update_info(
            conn,
            by.organization_id(),
            partnership_id,
            name,
            logo,
            &by.actor(),
        )
    })
}

pub fn update_domains(
    by: &Acting<Owner>,
    partnership_id: i64,
    domains: &[String],
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        partner_registry::update_domains(
            conn,
            by.organization_id(),
            partnership_id,
            domains,
            &by.actor(),
        )
    })
}

/// Names a new partner admin: invited, or admin at once when they have an account.
pub fn change_admin(
    by: &Acting<Owner>,
    partnership_id: i64,
    admin: &AdminInput,
    settings: &Settings,
    conn: &mut DbConnection,
) -> DomainResult<AdminChange> {
    write_transaction(conn, |conn| {
        partner_registry::change_admin(
            conn,
            by.organization_id(),
            partnership_id,
            admin,
            &by.inviter(),
            settings,
            &by.actor(),
        )
    })
}

pub fn resend_admin_invitation(
    by: &Acting<Owner>,
    partnership_id: i64,
    settings: &Settings,
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        partner_registry::resend_admin_invitation(
            conn,
            by.organization_id(),
            partnership_id,
            &by.inviter(),
            settings,
            &by.actor(),
        )
    })
}

/// Replaces the APIs and API groups linked to the partner (shown in its members' portal).
pub fn set_links(
    by: &Acting<Owner>,
    partnership_id: i64,
    api_ids: &[i64],
    group_ids: &[i64],
    conn: &mut DbConnection,
) -> DomainResult<()> {
    write_transaction(conn, |conn| {
        partner_registry::set_links(
            conn,
            by.organization_id(),
            partnership_id,
            api_ids,
            group_ids,
            &by.actor(),
        )
    })
}

row_commands! {
    Owner:
    /// Deactivates the partner for good: its organization gives its members nothing.
    deactivate(i64) => partner_registry::deactivate;
}
