//! My Clients: a partner organization's client access tokens. Its admins add a token (shown in
//! full once), follow each token to its client, authorize their own members there with roles
//! among the client's rules, and deactivate, activate or delete the token.
//!
//! Admins of an organization that is not a partner get a page that says how an operator makes
//! it one; every other route answers them 403. Partner users acting in a client (via a partner)
//! are refused everywhere, as on My Partner.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::app::access::{ClientAdmin, PartnerAdmin};
use crate::app::client_tokens;
use crate::domain::ids::{MembershipId, OrganizationId, RoleId};
use crate::domain::partner_token::{self, AllowedRole, AuthorizedUser, Candidate, TokenDetails};
use crate::domain::partnership::PartnershipStatus;
use crate::domain::rules::DomainError;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::confirm::{self, OnRefusal, Prompt, one_click, status_of};
use crate::web::context::{CurrentMember, Guarded};
use crate::web::form::FormFields;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};
use crate::web::roles::shell;

const LIST: &str = "/clients";
pub const DELETE_WORD: crate::web::confirm::ConfirmWord = crate::web::confirm::ConfirmWord::Delete;
/// How many members the "authorize users" form offers at once.
const CANDIDATE_LIMIT: i64 = 200;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(LIST, web::get().to(list))
        .route(LIST, web::post().to(create))
        .route("/clients/new", web::get().to(confirm_create))
        .route("/clients/{id}", web::get().to(detail))
        .route("/clients/{id}/users", web::post().to(authorize))
        .route(
            "/clients/{id}/users/{membership_id}",
            web::get().to(edit_user_page),
        )
        .route(
            "/clients/{id}/users/{membership_id}",
            web::post().to(edit_user),
        )
        .route(
            "/clients/{id}/users/{membership_id}/revoke",
            web::get().to(confirm_revoke),
        )
        .route(
            "/clients/{id}/users/{membership_id}/revoke",
            web::post().to(revoke),
        )
        .route(
            "/clients/{id}/deactivate",
            web::get().to(confirm_deactivate),
        )
        .route(
            "/clients/{id}/deactivate",
            web::post().to(one_click(
                client_tokens::deactivate,
                client_url,
                "clients-flash-deactivated",
                OnRefusal::GoBack,
            )),
        )
        .route("/clients/{id}/activate", web::get().to(confirm_activate))
        .route(
            "/clients/{id}/activate",
            web::post().to(one_click(
                client_tokens::activate,
                client_url,
                "clients-flash-activated",
                OnRefusal::GoBack,
            )),
        )
        .route("/clients/{id}/delete", web::get().to(confirm_delete))
        .route("/clients/{id}/delete", web::post().to(delete));
}

/// The badge of a status, shared with the client's side (My Partner).
pub(crate) fn status_view(status: PartnershipStatus) -> (&'static str, &'static str) {
    match status {
        PartnershipStatus::Pending => ("clients-status-pending", "amber"),
        PartnershipStatus::Active => ("clients-status-active", "green"),
        PartnershipStatus::Suspended => ("clients-status-suspended", "red"),
        PartnershipStatus::Deactivated => ("clients-status-deactivated", "gray"),
        PartnershipStatus::Ended => ("clients-status-ended", "gray"),
    }
}

fn client_url(id: i64) -> String {
    format!("/clients/{id}")
}

/// One of this partner organization's tokens (another's id is not found).
async fn load_details(
    state: &AppState,
    member: &CurrentMember,
    id: i64,
) -> Result<TokenDetails, AppError> {
    let organization_id = member.organization_id();
    state
        .db(move |conn| partner_token::details_for_partner(conn, organization_id, id))
        .await
}

// ---------------------------------------------------------------------------------------------
// The list of tokens.

pub struct TokenRow {
    pub id: i64,
    pub client_name: Option<String>,
    pub status_key: &'static str,
    pub status_badge: &'static str,
    pub hint: String,
    pub roles: Vec<String>,
    pub users: i64,
    pub created: String,
}

#[derive(Template)]
#[template(path = "clients/list.html", blocks = ["content"])]
struct ListPage {
    t: Tr,
    shell: Shell,
    /// False for an organization that is not a partner: the page explains instead.
    available: bool,
    organization_id: OrganizationId,
    organization_name: String,
    rows: Vec<TokenRow>,
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<ClientAdmin>,
) -> Result<HttpResponse, AppError> {
    let available = member.member.is_partner_organization;
    let organization_id = member.organization_id();
    let tokens = if available {
        state
            .db(move |conn| partner_token::list_for_partner(conn, organization_id))
            .await?
    } else {
        Vec::new()
    };
    let viewer = member.ctx.viewer();
    let rows = tokens
        .into_iter()
        .map(|token| {
            let (status_key, status_badge) = status_view(token.status);
            TokenRow {
                id: token.id,
                client_name: token.client_name,
                status_key,
                status_badge,
                hint: token.hint,
                roles: token.roles,
                users: token.users,
                created: viewer.day_of(token.created_at),
            }
        })
        .collect();
    let page = ListPage {
        t: member.ctx.tr(),
        available,
        organization_id,
        organization_name: member.member.organization_name.clone(),
        rows,
        shell: shell(&state, &member, NavPage::Clients).await?,
    };
    htmx::render(&req, &page, |page| page.as_content())
}

// ---------------------------------------------------------------------------------------------
// Adding a token: a confirmation, then the token shown once.

#[derive(Template)]
#[template(path = "clients/new.html", blocks = ["content"])]
struct NewPage {
    t: Tr,
    shell: Shell,
}

pub async fn confirm_create(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<PartnerAdmin>,
) -> Result<HttpResponse, AppError> {
    let page = NewPage {
        t: member.ctx.tr(),
        shell: shell(&state, &member, NavPage::Clients).await?,
    };
    htmx::render(&req, &page, |page| page.as_content())
}

#[derive(Template)]
#[template(path = "clients/token.html", blocks = ["content"])]
struct TokenPage {
    t: Tr,
    shell: Shell,
    id: i64,
    token: String,
    hint: String,
}

/// Creates the token and shows it in this response: it is never stored, so it cannot be shown
/// again, and it never travels in a URL or a cookie.
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<PartnerAdmin>,
) -> Result<HttpResponse, AppError> {
    let by = member.acting(state.now());
    let (id, token) = state
        .db(move |conn| client_tokens::issue(&by, conn))
        .await?;
    let page = TokenPage {
        t: member.ctx.tr(),
        id,
        hint: partner_token::hint_label(Some(&partner_token::hint_of(&token))),
        token,
        shell: shell(&state, &member, NavPage::Clients).await?,
    };
    htmx::render(&req, &page, |page| page.as_content())
}

// ---------------------------------------------------------------------------------------------
// One client.

/// A partner user authorized in a client, as both sides' pages list them.
pub struct UserRow {
    pub membership_id: MembershipId,
    pub name: String,
    pub email: String,
    pub active: bool,
    pub roles: Vec<String>,
}

impl From<AuthorizedUser> for UserRow {
    fn from(user: AuthorizedUser) -> Self {
        Self {
            membership_id: user.membership_id,
            name: user.name,
            email: user.email,
            active: user.active,
            roles: user.roles.into_iter().map(|role| role.name).collect(),
        }
    }
}

/// One row of the "authorize users" form: a member, and a box per allowed role.
pub struct CandidateRow {
    pub membership_id: MembershipId,
    pub name: String,
    pub email: String,
}

#[derive(Template)]
#[template(path = "clients/client.html", blocks = ["content"])]
struct DetailPage {
    t: Tr,
    shell: Shell,
    id: i64,
    hint: String,
    client_name: Option<String>,
    status: &'static str,
    status_key: &'static str,
    status_badge: &'static str,
    created: String,
    activated: String,
    roles: Vec<AllowedRole>,
    users: Vec<UserRow>,
    candidates: Vec<CandidateRow>,
    more_candidates: bool,
    can_authorize: bool,
    can_deactivate: bool,
    can_activate: bool,
    /// The authorize form came back: what was refused, and the boxes that were ticked.
    authorize_error: String,
    ticked: Vec<String>,
    delete_word: &'static str,
}

impl DetailPage {
    pub fn is_ticked(
        &self,
        membership_id: impl std::fmt::Display,
        role_id: impl std::fmt::Display,
    ) -> bool {
        let value = format!("{membership_id}:{role_id}");
        self.ticked.contains(&value)
    }
}

/// The client's page, or (`refused`: the message and the ticked `grant` values) the page again
/// after the authorize form was refused (422).
async fn detail_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    id: i64,
    refused: Option<(String, Vec<String>)>,
) -> Result<HttpResponse, AppError> {
    let organization_id = member.organization_id();
    let (details, mut candidates): (TokenDetails, Vec<Candidate>) = state
        .db(move |conn| {
            let details = partner_token::details_for_partner(conn, organization_id, id)?;
            let candidates =
                partner_token::candidates(conn, organization_id, id, CANDIDATE_LIMIT + 1)?;
            Ok::<_, DomainError>((details, candidates))
        })
        .await?;
    let more_candidates = candidates.len() as i64 > CANDIDATE_LIMIT;
    candidates.truncate(CANDIDATE_LIMIT as usize);
    let status = status_of(&refused);
    let (authorize_error, ticked) = refused.unwrap_or_default();
    let viewer = member.ctx.viewer();
    let partnership = &details.partnership;
    let current = partnership.status;
    let (status_key, status_badge) = status_view(current);
    let accepted = partnership.client_organization_id.is_some();
    let page = DetailPage {
        t: member.ctx.tr(),
        id,
        hint: partner_token::hint_label(partnership.token_hint.as_deref()),
        status: current.as_str(),
        status_key,
        status_badge,
        created: viewer.datetime(partnership.created_at),
        activated: partnership
            .activated_at
            .map(|at| viewer.datetime(at))
            .unwrap_or_default(),
        can_authorize: accepted && current != PartnershipStatus::Ended && !details.roles.is_empty(),
        can_deactivate: matches!(
            current,
            PartnershipStatus::Pending | PartnershipStatus::Active
        ),
        can_activate: current == PartnershipStatus::Deactivated,
        client_name: details.client_name,
        roles: details.roles,
        users: details.users.into_iter().map(UserRow::from).collect(),
        candidates: candidates
            .into_iter()
            .map(|candidate| CandidateRow {
                membership_id: candidate.membership_id,
                name: candidate.name,
                email: candidate.email,
            })
            .collect(),
        more_candidates,
        authorize_error,
        ticked,
        delete_word: DELETE_WORD.text(member.ctx.tr()),
        shell: shell(state, member, NavPage::Clients).await?,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<PartnerAdmin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    detail_page(&req, &state, &member, id.into_inner(), None).await
}

/// `grant=<membership id>:<role id>` pairs; anything else answers 400.
fn parse_grants(fields: &FormFields) -> Result<Vec<(MembershipId, RoleId)>, AppError> {
    fields
        .all("grant")
        .iter()
        .map(|value| {
            let (membership, role) = value.split_once(':').ok_or(AppError::BadRequest)?;
            Ok((
                membership.parse().map_err(|_| AppError::BadRequest)?,
                role.parse().map_err(|_| AppError::BadRequest)?,
            ))
        })
        .collect()
}

pub async fn authorize(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<PartnerAdmin>,
    id: web::Path<i64>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let grants = parse_grants(&fields)?;
    let by = member.acting(state.now());
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(client_tokens::authorize(&by, id, &grants, conn)))
        .await?;
    match outcome {
        Ok(_) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            &client_url(id),
            "clients-flash-authorized",
        )),
        Err(DomainError::Rule(violation)) => {
            let refused = Some((
                member.ctx.tr().t(violation.message_key()),
                fields.all("grant"),
            ));
            detail_page(&req, &state, &member, id, refused).await
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// One authorized user: their roles, and revoking them.

/// A role's box in a form of roles (an authorized user's here, the rules on My Partner).
pub struct RoleChoice {
    pub id: RoleId,
    pub name: String,
    pub active: bool,
    pub checked: bool,
}

impl RoleChoice {
    /// A role's box, ticked when the role is among `chosen`.
    pub fn new(id: RoleId, name: String, active: bool, chosen: &[RoleId]) -> Self {
        Self {
            checked: chosen.contains(&id),
            id,
            name,
            active,
        }
    }
}

#[derive(Template)]
#[template(path = "clients/user.html", blocks = ["content"])]
struct UserPage {
    t: Tr,
    shell: Shell,
    id: i64,
    client_name: String,
    user: UserRow,
    choices: Vec<RoleChoice>,
    error: String,
}

/// The token's details and one of its authorized users (not authorized: not found).
async fn load_user(
    state: &AppState,
    member: &CurrentMember,
    id: i64,
    membership_id: MembershipId,
) -> Result<(TokenDetails, AuthorizedUser), AppError> {
    let details = load_details(state, member, id).await?;
    let user = details
        .users
        .iter()
        .find(|user| user.membership_id == membership_id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((details, user))
}

/// An authorized user's roles, or (`refused`: the message and the roles chosen) the form again
/// after it was refused (422).
async fn user_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    (id, membership_id): (i64, MembershipId),
    refused: Option<(String, Vec<RoleId>)>,
) -> Result<HttpResponse, AppError> {
    let (details, user) = load_user(state, member, id, membership_id).await?;
    let status = status_of(&refused);
    let (error, chosen) = refused.unwrap_or_else(|| {
        (
            String::new(),
            user.roles.iter().map(|role| role.id).collect(),
        )
    });
    let page = UserPage {
        t: member.ctx.tr(),
        id,
        client_name: details.client_name.unwrap_or_default(),
        choices: details
            .roles
            .into_iter()
            .map(|role| RoleChoice::new(role.id, role.name, role.active, &chosen))
            .collect(),
        user: user.into(),
        error,
        shell: shell(state, member, NavPage::Clients).await?,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn edit_user_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<PartnerAdmin>,
    path: web::Path<(i64, MembershipId)>,
) -> Result<HttpResponse, AppError> {
    user_page(&req, &state, &member, path.into_inner(), None).await
}

pub async fn edit_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<PartnerAdmin>,
    path: web::Path<(i64, MembershipId)>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let (id, membership_id) = path.into_inner();
    let role_ids = fields.ids("role_id")?;
    let by = member.acting(state.now());
    let chosen = role_ids.clone();
    let outcome = state
        .db(move |conn| {
            Ok::<_, AppError>(client_tokens::set_user_roles(
                &by,
                id,
                membership_id,
                &role_ids,
                conn,
            ))
        })
        .await?;
    match outcome {
        Ok(()) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            &client_url(id),
            "clients-flash-user-saved",
        )),
        Err(DomainError::Rule(violation)) => {
            let refused = Some((member.ctx.tr().t(violation.message_key()), chosen));
            user_page(&req, &state, &member, (id, membership_id), refused).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "clients/revoke.html", blocks = ["content"])]
struct RevokePage {
    t: Tr,
    shell: Shell,
    id: i64,
    client_name: String,
    user: UserRow,
}

pub async fn confirm_revoke(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<PartnerAdmin>,
    path: web::Path<(i64, MembershipId)>,
) -> Result<HttpResponse, AppError> {
    let (id, membership_id) = path.into_inner();
    let (details, user) = load_user(&state, &member, id, membership_id).await?;
    let page = RevokePage {
        t: member.ctx.tr(),
        id,
        client_name: details.client_name.unwrap_or_default(),
        user: user.into(),
        shell: shell(&state, &member, NavPage::Clients).await?,
    };
    htmx::render(&req, &page, |page| page.as_content())
}

pub async fn revoke(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<PartnerAdmin>,
    path: web::Path<(i64, MembershipId)>,
) -> Result<HttpResponse, AppError> {
    let (id, membership_id) = path.into_inner();
    let by = member.acting(state.now());
    state
        .db(move |conn| client_tokens::revoke_user(&by, id, membership_id, conn))
        .await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        &client_url(id),
        "clients-flash-user-revoked",
    ))
}

// ---------------------------------------------------------------------------------------------
// Deactivating, activating and deleting the token.

/// What the deactivate and delete pages say about their token.
pub struct TokenFacts {
    pub id: i64,
    pub hint: String,
    pub client_name: Option<String>,
    pub users: usize,
}

impl TokenFacts {
    fn of(details: TokenDetails) -> Self {
        Self {
            id: details.partnership.id,
            hint: partner_token::hint_label(details.partnership.token_hint.as_deref()),
            client_name: details.client_name,
            users: details.users.len(),
        }
    }
}

/// The page that confirms deactivating or activating a token (the dialog's fallback).
#[derive(Template)]
#[template(path = "clients/switch.html", blocks = ["content"])]
struct SwitchPage {
    t: Tr,
    shell: Shell,
    token: TokenFacts,
    /// `deactivate` or `activate`: the address's last segment, and the catalog keys' middle.
    action: &'static str,
}

impl SwitchPage {
    /// `clients-deactivate-title`, `clients-activate-body`, ...
    fn key(&self, part: &str) -> String {
        format!("clients-{}-{part}", self.action)
    }
}

async fn switch_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Guarded<PartnerAdmin>,
    id: i64,
    action: &'static str,
) -> Result<HttpResponse, AppError> {
    let details = load_details(state, member, id).await?;
    let page = SwitchPage {
        t: member.ctx.tr(),
        token: TokenFacts::of(details),
        shell: shell(state, member, NavPage::Clients).await?,
        action,
    };
    htmx::render(req, &page, |page| page.as_content())
}

pub async fn confirm_deactivate(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<PartnerAdmin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    switch_page(&req, &state, &member, id.into_inner(), "deactivate").await
}

/// Activating gives the partner's users their access back: confirmed like deactivating.
pub async fn confirm_activate(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<PartnerAdmin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    switch_page(&req, &state, &member, id.into_inner(), "activate").await
}

#[derive(Template)]
#[template(path = "clients/delete.html", blocks = ["content"])]
struct DeletePage {
    t: Tr,
    shell: Shell,
    token: TokenFacts,
    confirm: Prompt,
}

async fn delete_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    id: i64,
    confirm: Prompt,
) -> Result<HttpResponse, AppError> {
    let details = load_details(state, member, id).await?;
    let status = confirm.status();
    let page = DeletePage {
        t: member.ctx.tr(),
        token: TokenFacts::of(details),
        confirm,
        shell: shell(state, member, NavPage::Clients).await?,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn confirm_delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<PartnerAdmin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let prompt = Prompt::new(member.ctx.tr(), DELETE_WORD);
    delete_page(&req, &state, &member, id.into_inner(), prompt).await
}

pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<PartnerAdmin>,
    id: web::Path<i64>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    if let Err(prompt) = confirm::typed_word(member.ctx.tr(), &fields, DELETE_WORD) {
        // Another organization's id answers 404 whatever was typed (delete_page looks it up).
        return delete_page(&req, &state, &member, id, prompt).await;
    }
    let flash = "clients-flash-deleted";
    confirm::apply(
        &req,
        &state,
        &member,
        id,
        client_tokens::delete,
        LIST,
        flash,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_are_member_and_role_pairs() {
        let fields = FormFields::from_pairs(vec![
            ("grant".into(), "3:7".into()),
            ("grant".into(), "4:8".into()),
        ]);
        assert_eq!(
            parse_grants(&fields).unwrap(),
            vec![
                (MembershipId::new(3), RoleId::new(7)),
                (MembershipId::new(4), RoleId::new(8))
            ]
        );
        let bad = FormFields::from_pairs(vec![("grant".into(), "3".into())]);
        assert!(parse_grants(&bad).is_err());
    }

    #[test]
    fn every_status_has_a_badge() {
        for status in [
            PartnershipStatus::Pending,
            PartnershipStatus::Active,
            PartnershipStatus::Suspended,
            PartnershipStatus::Deactivated,
            PartnershipStatus::Ended,
        ] {
            let (key, _) = status_view(status);
            assert!(Tr::default().has(key), "{key}");
        }
    }
}
