//! The users page's "Partner users" tab: people of partner companies authorized to act in this
//! organization, under their partner, with the roles that count (granted and allowed by the
//! rules).

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::app::access::UserReader;
use crate::domain::organization;
use crate::domain::partnership::{self, PartnerUser, PartnershipStatus};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::context::Guarded;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/users/partners", web::get().to(list));
}

struct PartnerView {
    name: String,
    status_key: &'static str,
    badge: &'static str,
    users: Vec<PartnerUser>,
}

#[derive(Template)]
#[template(path = "users/partners.html", blocks = ["content"])]
struct PartnerUsersPage {
    t: Tr,
    shell: Shell,
    partners: Vec<PartnerView>,
}

fn status_view(status: PartnershipStatus) -> (&'static str, &'static str) {
    match status {
        PartnershipStatus::Active => ("partner-users-status-active", "green"),
        PartnershipStatus::Pending => ("partner-users-status-pending", "amber"),
        PartnershipStatus::Suspended => ("partner-users-status-suspended", "amber"),
        PartnershipStatus::Deactivated => ("partner-users-status-deactivated", "gray"),
        PartnershipStatus::Ended => ("partner-users-status-ended", "red"),
    }
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<UserReader>,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, groups) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                organization::choices_for_account(conn, account_id)?,
                partnership::partner_users_of_client(conn, organization_id)?,
            ))
        })
        .await?;
    let page = PartnerUsersPage {
        t: member.ctx.tr(),
        shell: Shell::new(&member, organizations, NavPage::Users),
        partners: groups
            .into_iter()
            .map(|(name, status, users)| {
                let (status_key, badge) = status_view(status);
                PartnerView {
                    name,
                    status_key,
                    badge,
                    users,
                }
            })
            .collect(),
    };
    htmx::render(&req, &page, |p| p.as_content())
}
