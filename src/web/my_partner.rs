//! My Partner: the client side of client access tokens. An organization's admins enter the
//! token a partner gave them, see whose it is, choose which of their roles the partner may hand
//! out (the rules) and accept; then, per partner, change the rules, suspend or resume, and end
//! the partnership (typed confirmation).
//!
//! Partner users acting in this organization (via a partner) are refused: a partnership is the
//! organization's own business.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::app::access::ClientAdmin;
use crate::app::client_tokens;
use crate::domain::ids::RoleId;
use crate::domain::partner_token::{self, PartnerDetails};
use crate::domain::partnership::PartnershipStatus;
use crate::domain::role::{self, Role};
use crate::domain::rules::DomainError;
use crate::domain::throttle::ThrottleKeys;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::clients::{RoleChoice, UserRow, status_view};
use crate::web::confirm::{self, OnRefusal, Prompt, one_click, status_of};
use crate::web::context::{CurrentMember, Guarded};
use crate::web::form::FormFields;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};
use crate::web::roles::shell;

const LIST: &str = "/my-partner";
pub const END_WORD: crate::web::confirm::ConfirmWord = crate::web::confirm::ConfirmWord::End;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(LIST, web::get().to(list))
        .route("/my-partner/preview", web::post().to(preview))
        .route("/my-partner/accept", web::post().to(accept))
        .route("/my-partner/{id}", web::get().to(detail))
        .route("/my-partner/{id}/rules", web::post().to(save_rules))
        .route(
            "/my-partner/{id}/suspend",
            web::post().to(one_click(
                client_tokens::suspend,
                partner_url,
                "my-partner-flash-suspended",
                OnRefusal::GoBack,
            )),
        )
        .route(
            "/my-partner/{id}/resume",
            web::post().to(one_click(
                client_tokens::resume,
                partner_url,
                "my-partner-flash-resumed",
                OnRefusal::GoBack,
            )),
        )
        .route("/my-partner/{id}/end", web::get().to(confirm_end))
        .route("/my-partner/{id}/end", web::post().to(end));
}

fn partner_url(id: i64) -> String {
    format!("/my-partner/{id}")
}

/// Typed tokens count toward the limits of the admin who types them and of their address.
fn token_limit_keys(member: &CurrentMember) -> ThrottleKeys {
    ThrottleKeys::client_token(member.account.account_id, member.ctx.client_ip.as_deref())
}

/// Token refusals are shown next to the token field.
fn is_token_rule(key: &str) -> bool {
    key.starts_with("my-partner-token") || key == "my-partner-already-partner"
}

// ---------------------------------------------------------------------------------------------
// The list, with the form to enter a token.

pub struct PartnerRow {
    pub id: i64,
    pub partner_name: String,
    pub status_key: &'static str,
    pub status_badge: &'static str,
    pub roles: Vec<String>,
    pub users: i64,
    pub accepted: String,
}

#[derive(Template)]
#[template(path = "my_partner/list.html", blocks = ["content"])]
struct ListPage {
    t: Tr,
    shell: Shell,
    rows: Vec<PartnerRow>,
    token: String,
    token_error: String,
}

/// The list, or (`refused`: the message and the token as typed) the list again after the token
/// was refused (422).
async fn list_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    refused: Option<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let organization_id = member.organization_id();
    let partners = state
        .db(move |conn| partner_token::list_for_client(conn, organization_id))
        .await?;
    let viewer = member.ctx.viewer();
    let rows = partners
        .into_iter()
        .map(|partner| {
            let (status_key, status_badge) = status_view(partner.status);
            PartnerRow {
                id: partner.id,
                partner_name: partner.partner_name,
                status_key,
                status_badge,
                roles: partner.roles,
                users: partner.users,
                accepted: partner
                    .activated_at
                    .map(|at| viewer.day_of(at))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let status = status_of(&refused);
    let (token_error, token) = refused.unwrap_or_default();
    let page = ListPage {
        t: member.ctx.tr(),
        rows,
        token,
        token_error,
        shell: shell(state, member, NavPage::MyPartner).await?,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<ClientAdmin>,
) -> Result<HttpResponse, AppError> {
    list_page(&req, &state, &member, None).await
}

// ---------------------------------------------------------------------------------------------
// Entering a token: the preview (whose it is, and the rules), then accepting.

fn role_choices(roles: Vec<Role>, chosen: &[RoleId], keep: &[RoleId]) -> Vec<RoleChoice> {
    roles
        .into_iter()
        .filter(|role| role.active || keep.contains(&role.id))
        .map(|role| RoleChoice::new(role.id, role.name, role.active, chosen))
        .collect()
}

#[derive(Template)]
#[template(path = "my_partner/preview.html", blocks = ["content"])]
struct PreviewPage {
    t: Tr,
    shell: Shell,
    token: String,
    partner_name: String,
    choices: Vec<RoleChoice>,
    error: String,
}

/// The preview of a token, or the list with the token's refusal next to the field. `refused`:
/// the preview again after accepting was refused, with the message and the roles chosen (422).
async fn preview_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Guarded<ClientAdmin>,
    token: String,
    refused: Option<(String, Vec<RoleId>)>,
) -> Result<HttpResponse, AppError> {
    let organization_id = member.organization_id();
    let typed = token.clone();
    let (keys, by) = (token_limit_keys(member), member.acting(state.now()));
    let outcome = state
        .db(move |conn| {
            let preview = match client_tokens::preview(&by, &typed, &keys, conn) {
                Ok(preview) => preview,
                Err(err) => return Ok::<_, AppError>(Err(err)),
            };
            Ok(Ok((preview, role::list(conn, organization_id)?)))
        })
        .await?;
    let (preview, roles) = match outcome {
        Ok(found) => found,
        Err(DomainError::Rule(violation)) => {
            let refused = Some((member.ctx.tr().t(violation.message_key()), token));
            return list_page(req, state, member, refused).await;
        }
        Err(other) => return Err(other.into()),
    };
    let status = status_of(&refused);
    let (error, chosen) = refused.unwrap_or_default();
    let page = PreviewPage {
        t: member.ctx.tr(),
        token: token.trim().to_owned(),
        partner_name: preview.partner_name,
        choices: role_choices(roles, &chosen, &[]),
        error,
        shell: shell(state, member, NavPage::MyPartner).await?,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn preview(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<ClientAdmin>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let token = fields.text("token").to_owned();
    preview_page(&req, &state, &member, token, None).await
}

pub async fn accept(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<ClientAdmin>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let token = fields.text("token").to_owned();
    let role_ids = fields.ids("role_id")?;
    let by = member.acting(state.now());
    let (typed, chosen) = (token.clone(), role_ids.clone());
    let keys = token_limit_keys(&member);
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(client_tokens::accept(&by, &typed, &chosen, &keys, conn)))
        .await?;
    match outcome {
        Ok(id) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            &partner_url(id),
            "my-partner-flash-accepted",
        )),
        Err(DomainError::Rule(violation)) => {
            let error = member.ctx.tr().t(violation.message_key());
            if is_token_rule(violation.message_key()) {
                list_page(&req, &state, &member, Some((error, token))).await
            } else {
                preview_page(&req, &state, &member, token, Some((error, role_ids))).await
            }
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// One partner: the rules, suspending and resuming.

#[derive(Template)]
#[template(path = "my_partner/partner.html", blocks = ["content"])]
struct DetailPage {
    t: Tr,
    shell: Shell,
    id: i64,
    partner_name: String,
    status: &'static str,
    status_key: &'static str,
    status_badge: &'static str,
    accepted: String,
    ended: String,
    rules: Vec<String>,
    choices: Vec<RoleChoice>,
    users: Vec<UserRow>,
    rules_error: String,
    end_word: &'static str,
}

/// The partner's page, or (`refused`: the message and the roles chosen) the page again after
/// the rules form was refused (422).
async fn detail_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    id: i64,
    refused: Option<(String, Vec<RoleId>)>,
) -> Result<HttpResponse, AppError> {
    let organization_id = member.organization_id();
    let (details, roles): (PartnerDetails, Vec<Role>) = state
        .db(move |conn| {
            let details = partner_token::details_for_client(conn, organization_id, id)?;
            Ok::<_, DomainError>((details, role::list(conn, organization_id)?))
        })
        .await?;
    let viewer = member.ctx.viewer();
    let partnership = &details.partnership;
    let current = partnership.status;
    let (status_key, status_badge) = status_view(current);
    let in_rules: Vec<RoleId> = details.roles.iter().map(|role| role.id).collect();
    let status = status_of(&refused);
    let (rules_error, chosen) = refused.unwrap_or_else(|| (String::new(), in_rules.clone()));
    let page = DetailPage {
        t: member.ctx.tr(),
        id,
        status: current.as_str(),
        status_key,
        status_badge,
        accepted: partnership
            .activated_at
            .map(|at| viewer.datetime(at))
            .unwrap_or_default(),
        ended: partnership
            .ended_at
            .map(|at| viewer.datetime(at))
            .unwrap_or_default(),
        rules: details.roles.iter().map(|role| role.name.clone()).collect(),
        choices: role_choices(roles, &chosen, &in_rules),
        users: details.users.into_iter().map(UserRow::from).collect(),
        partner_name: details.partner_name,
        rules_error,
        end_word: END_WORD.text(member.ctx.tr()),
        shell: shell(state, member, NavPage::MyPartner).await?,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<ClientAdmin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    detail_page(&req, &state, &member, id.into_inner(), None).await
}

pub async fn save_rules(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<ClientAdmin>,
    id: web::Path<i64>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let role_ids = fields.ids("role_id")?;
    let by = member.acting(state.now());
    let chosen = role_ids.clone();
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(client_tokens::set_rules(&by, id, &chosen, conn)))
        .await?;
    match outcome {
        Ok(dropped) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            &partner_url(id),
            if dropped > 0 {
                "my-partner-flash-rules-saved-grants-removed"
            } else {
                "my-partner-flash-rules-saved"
            },
        )),
        Err(DomainError::Rule(violation)) => {
            let error = member.ctx.tr().t(violation.message_key());
            detail_page(&req, &state, &member, id, Some((error, role_ids))).await
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Ending, with a typed confirmation.

#[derive(Template)]
#[template(path = "my_partner/end.html", blocks = ["content"])]
struct EndPage {
    t: Tr,
    shell: Shell,
    id: i64,
    partner_name: String,
    users: i64,
    confirm: Prompt,
}

async fn end_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    id: i64,
    confirm: Prompt,
) -> Result<HttpResponse, AppError> {
    let organization_id = member.organization_id();
    let details = state
        .db(move |conn| partner_token::details_for_client(conn, organization_id, id))
        .await?;
    if details.partnership.status == PartnershipStatus::Ended {
        return Err(AppError::Rule(crate::domain::rules::RuleViolation(
            "my-partner-ended",
        )));
    }
    let status = confirm.status();
    let page = EndPage {
        t: member.ctx.tr(),
        id,
        partner_name: details.partner_name,
        users: details.users.len() as i64,
        confirm,
        shell: shell(state, member, NavPage::MyPartner).await?,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn confirm_end(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<ClientAdmin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    end_page(
        &req,
        &state,
        &member,
        id.into_inner(),
        Prompt::new(member.ctx.tr(), END_WORD),
    )
    .await
}

pub async fn end(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<ClientAdmin>,
    id: web::Path<i64>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    if let Err(prompt) = confirm::typed_word(member.ctx.tr(), &fields, END_WORD) {
        return end_page(&req, &state, &member, id, prompt).await;
    }
    let (back, flash) = (partner_url(id), "my-partner-flash-ended");
    confirm::apply(&req, &state, &member, id, client_tokens::end, &back, flash).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_refusals_belong_next_to_the_token() {
        assert!(is_token_rule("my-partner-token-unknown"));
        assert!(is_token_rule("my-partner-already-partner"));
        assert!(!is_token_rule("my-partner-roles-required"));
    }
}
