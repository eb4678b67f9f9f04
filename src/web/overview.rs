//! The landing page of the console: the current organization at a glance.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::organization;
use crate::domain::permission::Permission;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::context::{CurrentAccount, CurrentMember};
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};

#[derive(Template)]
#[template(path = "overview/overview.html", blocks = ["content"])]
struct OverviewPage {
    t: Tr,
    shell: Shell,
    organization_name: String,
    member_count: i64,
    role_count: i64,
    is_owner: bool,
    /// Acting here as a partner user: the partner the roles come through.
    via_partner: Option<String>,
    permission_keys: Vec<&'static str>,
}

pub async fn overview(
    req: HttpRequest,
    state: web::Data<AppState>,
    account: CurrentAccount,
) -> Result<HttpResponse, AppError> {
    // Home is wherever the account belongs: an external user's is the API portal.
    if account.account.portal_only {
        return Ok(htmx::see_other(&req, crate::web::portal::PATH));
    }
    let member = CurrentMember::try_from(account)?;
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, member_count, role_count) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                organization::choices_for_account(conn, account_id)?,
                organization::member_count(conn, organization_id)?,
                organization::role_count(conn, organization_id)?,
            ))
        })
        .await?;
    let page = OverviewPage {
        t: member.ctx.tr(),
        organization_name: member.member.organization_name.clone(),
        member_count,
        role_count,
        is_owner: member.member.is_owner,
        via_partner: member.member.via_partner.clone(),
        permission_keys: member
            .member
            .permissions
            .iter()
            .map(Permission::label_key)
            .collect(),
        shell: Shell::new(&member, organizations, NavPage::Overview),
    };
    htmx::render(&req, &page, |page| page.as_content())
}
