//! Accepting an invitation into an organization.

use time::PrimitiveDateTime;

use crate::db::{DbConnection, write_transaction};
use crate::domain::audit::{Actor, Origin};
use crate::domain::invitation::{self, LinkProblem, OpenInvitation};
use crate::domain::partner_registry;
use crate::domain::rules::DomainResult;

/// The member becomes Active and the link is spent (for a person without an account yet,
/// `registration` sets their name, password hash and language); when they are the pending admin
/// of a registered partner's organization, they become its partner admin and the partnership
/// starts.
pub fn accept(
    conn: &mut DbConnection,
    token: &str,
    registration: Option<(&str, &str, &str)>,
    origin: &Origin,
    now: PrimitiveDateTime,
) -> DomainResult<Result<OpenInvitation, LinkProblem>> {
    write_transaction(conn, |conn| {
        let accepted = invitation::accept(conn, token, registration, origin, now)?;
        if let Ok(invitation) = &accepted {
            let actor = Actor::from_origin(invitation.account_id, origin, now);
            partner_registry::on_member_accepted(
                conn,
                invitation.organization_id,
                invitation.account_id,
                &actor,
            )?;
        }
        Ok(accepted)
    })
}
