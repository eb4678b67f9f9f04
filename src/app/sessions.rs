//! Where a signed-in account acts, and its sessions.

use crate::app::access::Me;
use crate::db::{DbConnection, write_transaction};
use crate::domain::ids::OrganizationId;
use crate::domain::{audit, organization, policy, session, two_factor};

/// What switching organizations did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switched {
    /// Acting there now.
    Done,
    /// Acting there once a two-factor code is entered (the organization asks for one).
    CodeRequired,
    /// Not a member there (the same answer as for an organization that does not exist).
    NotMember,
    /// The organization's IP allow-list refuses the caller's address.
    AddressRefused,
}

/// Makes the session act in another of the account's organizations. `trusted_device` is the
/// browser's trusted-device cookie.
pub fn switch_organization(
    me: &Me,
    organization_id: OrganizationId,
    trusted_device: Option<&str>,
    conn: &mut DbConnection,
) -> diesel::QueryResult<Switched> {
    write_transaction(conn, |conn| {
        let Some(member) = organization::member_context(conn, me.account_id(), organization_id)?
        else {
            return Ok(Switched::NotMember);
        };
        if !policy::address_allowed(&member.ip_allow_list, me.ip()) {
            return Ok(Switched::AddressRefused);
        }
        session::set_organization(conn, me.session_hash(), organization_id)?;
        // Switching into an organization that asks for two-factor asks for the code now.
        let pending = !session::two_factor_entered(conn, me.session_hash(), organization_id)?
            && two_factor::required(
                conn,
                me.account_id(),
                organization_id,
                trusted_device,
                me.at(),
            )?;
        session::set_two_factor_pending(
            conn,
            me.session_hash(),
            pending.then_some(organization_id),
        )?;
        Ok(if pending {
            Switched::CodeRequired
        } else {
            Switched::Done
        })
    })
}

/// Signs out: the session is deleted.
/// Ends this session. For an account that signs in through its organization's provider, the
/// provider's end-session address (with the client id), to offer signing out there too.
pub fn sign_out(me: &Me, conn: &mut DbConnection) -> diesel::QueryResult<Option<String>> {
    session::delete(conn, me.session_hash())?;
    let Some(organization_id) =
        crate::domain::sso::organization_for_account(conn, me.account_id())?
    else {
        return Ok(None);
    };
    crate::domain::sso::end_session_link(conn, organization_id)
}

/// Ends another of the account's sessions, by its public handle; false when the account has no
/// such other session.
pub fn end_session(me: &Me, handle: &str, conn: &mut DbConnection) -> diesel::QueryResult<bool> {
    write_transaction(conn, |conn| {
        let ended = session::delete_by_handle(conn, me.account_id(), handle, me.session_hash())?;
        if ended {
            audit::record(
                conn,
                &me.actor()
                    .event(None, "account.session-ended", Some(handle.to_owned())),
            )?;
        }
        Ok(ended)
    })
}

/// Ends every session of the account but this one.
pub fn end_other_sessions(me: &Me, conn: &mut DbConnection) -> diesel::QueryResult<usize> {
    write_transaction(conn, |conn| {
        let ended = session::delete_others(conn, me.account_id(), me.session_hash())?;
        if ended > 0 {
            audit::record(
                conn,
                &me.actor().event(None, "account.other-sessions-ended", None),
            )?;
        }
        Ok(ended)
    })
}
