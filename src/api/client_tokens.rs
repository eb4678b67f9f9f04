//! Client access tokens in the API, from both sides, through the same commands as the pages.
//! A partner organization's token (an admin's) manages `/api/v1/client-tokens`: issuing tokens
//! and saying which of its members act in each client, with which of the roles the client
//! allows (My Clients). A client organization's token manages `/api/v1/partnerships`: accepting
//! a partner's token with the roles the partner may hand out, and suspending, resuming or ending
//! it (My Partner).

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::auth::ApiCaller;
use crate::api::problem::{FieldError, Problem};
use crate::api::{db, delete_if_match, timestamp, with_etag};
use crate::app::access::{ClientAdmin, PartnerAdmin};
use crate::app::client_tokens as commands;
use crate::db::{DbConnection, write_transaction};
use crate::domain::ids::{MembershipId, OrganizationId, RoleId};
use crate::domain::partner_token::{self, AllowedRole, AuthorizedUser};
use crate::domain::partnership::PartnershipStatus;
use crate::domain::rules::DomainError;
use crate::domain::throttle::ThrottleKeys;
use crate::i18n::Lang;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantableRole {
    pub id: i64,
    pub name: String,
    /// A role the client switched off grants nothing until it is switched on again.
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartnerUser {
    /// The member's membership id in the partner organization.
    pub membership_id: i64,
    pub name: String,
    pub email: String,
    /// Whether their membership in the partner organization is active.
    pub active: bool,
    /// The client roles they hold in the client.
    pub roles: Vec<GrantableRole>,
}

fn roles_of(roles: Vec<AllowedRole>) -> Vec<GrantableRole> {
    roles
        .into_iter()
        .map(|role| GrantableRole {
            id: role.id.get(),
            name: role.name,
            active: role.active,
        })
        .collect()
}

fn users_of(users: Vec<AuthorizedUser>) -> Vec<PartnerUser> {
    users
        .into_iter()
        .map(|user| PartnerUser {
            membership_id: user.membership_id.get(),
            name: user.name,
            email: user.email,
            active: user.active,
            roles: roles_of(user.roles),
        })
        .collect()
}

fn status_word(status: PartnershipStatus) -> String {
    status.as_str().to_owned()
}

// ---------------------------------------------------------------------------------------------
// The partner's side.

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClientToken {
    pub id: i64,
    /// The client that accepted it; none while it waits for one.
    pub client_name: Option<String>,
    /// `pending`, `active`, `suspended` (by the client), `deactivated` (by the partner) or
    /// `ended`.
    pub status: String,
    /// The token's last characters, to tell tokens apart.
    pub hint: String,
    /// The client roles the partner may hand out, as the client set them.
    pub grantable_roles: Vec<GrantableRole>,
    /// The partner's members acting in the client.
    pub users: Vec<PartnerUser>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClientTokenList {
    pub data: Vec<ClientToken>,
}

fn client_token(
    conn: &mut DbConnection,
    partner_organization_id: OrganizationId,
    id: i64,
    lang: Lang,
) -> Result<ClientToken, Problem> {
    let details = partner_token::details_for_partner(conn, partner_organization_id, id)
        .map_err(|err| Problem::from_domain(err, lang))?;
    Ok(ClientToken {
        id,
        client_name: details.client_name,
        status: status_word(details.partnership.status),
        hint: partner_token::hint_label(details.partnership.token_hint.as_deref()),
        grantable_roles: roles_of(details.roles),
        users: users_of(details.users),
        created_at: timestamp(details.partnership.created_at),
    })
}

/// Lists the client tokens this partner organization issued, newest first.
#[utoipa::path(
    get, path = "/api/v1/client-tokens", tag = "client-tokens",
    operation_id = "client_tokens_list",
    responses((status = 200, description = "The tokens, with their clients and users", body = ClientTokenList)),
    security(("token" = []))
)]
pub async fn list(state: web::Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<PartnerAdmin>(state.now())?;
    let lang = caller.lang;
    let data = db(&state, lang, move |conn| {
        let summaries = partner_token::list_for_partner(conn, by.organization_id())?;
        let ids: Vec<i64> = summaries.iter().map(|summary| summary.id).collect();
        let mut rules = partner_token::rules_of_each(conn, &ids)?;
        let mut users = partner_token::authorized_users_of_each(conn, &ids)?;
        Ok(summaries
            .into_iter()
            .map(|summary| ClientToken {
                id: summary.id,
                client_name: summary.client_name,
                status: status_word(summary.status),
                hint: summary.hint,
                grantable_roles: roles_of(rules.remove(&summary.id).unwrap_or_default()),
                users: users_of(users.remove(&summary.id).unwrap_or_default()),
                created_at: timestamp(summary.created_at),
            })
            .collect())
    })
    .await?;
    Ok(HttpResponse::Ok().json(ClientTokenList { data }))
}

/// Reads one client token.
#[utoipa::path(
    get, path = "/api/v1/client-tokens/{id}", tag = "client-tokens",
    operation_id = "client_tokens_show",
    params(("id" = i64, Path, description = "The token's id")),
    responses((status = 200, description = "The token, with its ETag", body = ClientToken)),
    security(("token" = []))
)]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<PartnerAdmin>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    let token = db(&state, lang, move |conn| {
        client_token(conn, by.organization_id(), id, lang)
    })
    .await?;
    Ok(with_etag(&token))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedClientToken {
    /// Give it to the client's admin; it is shown this once and never again.
    pub secret: String,
    #[serde(flatten)]
    pub token: ClientToken,
}

/// Issues a token for one future client, shown in this answer only (a retry with the same
/// Idempotency-Key is told the first request succeeded, without the token).
#[utoipa::path(
    post, path = "/api/v1/client-tokens", tag = "client-tokens",
    operation_id = "client_tokens_issue",
    params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key is answered 409 instead of issuing a second token")),
    responses(
        (status = 201, description = "Issued", body = IssuedClientToken, headers(("Location" = String))),
        (status = 409, description = "A retry of a request that issued a token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "This organization is not a partner organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn issue(state: web::Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<PartnerAdmin>(state.now())?;
    let lang = caller.lang;
    let issued = db(&state, lang, move |conn| {
        let (id, secret) =
            commands::issue(&by, conn).map_err(|err| Problem::from_domain(err, lang))?;
        let token = client_token(conn, by.organization_id(), id, lang)?;
        Ok(IssuedClientToken { secret, token })
    })
    .await?;
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((
            header::LOCATION,
            format!("/api/v1/client-tokens/{}", issued.token.id),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(issued))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientTokenChange {
    /// `false` switches the token off (its users act in the client no more); `true` back on.
    pub active: bool,
}

/// Switches a token off or back on.
#[utoipa::path(
    patch, path = "/api/v1/client-tokens/{id}", tag = "client-tokens",
    operation_id = "client_tokens_update",
    request_body = ClientTokenChange,
    params(("id" = i64, Path, description = "The token's id")),
    responses(
        (status = 200, description = "The token after the change", body = ClientToken),
        (status = 422, description = "Its status does not allow it (ended, or suspended by the client)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn update(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<ClientTokenChange>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<PartnerAdmin>(state.now())?;
    let (lang, id, active) = (caller.lang, path.into_inner(), body.active);
    let after = db(&state, lang, move |conn| {
        write_transaction(conn, |conn| {
            let current = client_token(conn, by.organization_id(), id, lang)?;
            let deactivated = current.status == PartnershipStatus::Deactivated.as_str();
            let switched = match (active, deactivated) {
                (true, true) => commands::activate(&by, id, conn),
                (false, false) => commands::deactivate(&by, id, conn),
                // Already as asked.
                _ => Ok(()),
            };
            switched.map_err(|err| Problem::from_domain(err, lang))?;
            client_token(conn, by.organization_id(), id, lang)
        })
    })
    .await?;
    Ok(with_etag(&after))
}

/// Deletes a token, and the partnership it started: its users act in the client no more.
#[utoipa::path(
    delete, path = "/api/v1/client-tokens/{id}", tag = "client-tokens",
    operation_id = "client_tokens_delete",
    params(
        ("id" = i64, Path, description = "The token's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the deletion is based on"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 412, description = "The token changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<PartnerAdmin>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    delete_if_match(
        &req,
        &state,
        lang,
        by,
        move |by, conn| client_token(conn, by.organization_id(), id, lang),
        move |by, conn| {
            commands::delete(by, id, conn).map_err(|err| Problem::from_domain(err, lang))
        },
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserRoles {
    /// Client roles among the token's `grantable_roles`; at least one.
    #[schema(min_items = 1)]
    pub role_ids: Vec<i64>,
}

/// Lets one of the partner's members act in the client with these roles (replacing those they
/// held through this token).
#[utoipa::path(
    put, path = "/api/v1/client-tokens/{id}/users/{membership_id}", tag = "client-tokens",
    operation_id = "client_tokens_set_user",
    request_body = UserRoles,
    params(
        ("id" = i64, Path, description = "The token's id"),
        ("membership_id" = i64, Path, description = "The member's membership id in the partner organization"),
    ),
    responses(
        (status = 200, description = "The token after the change", body = ClientToken),
        (status = 422, description = "No role, a role the client does not allow, an inactive member, or a token not accepted", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn set_user(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<(i64, MembershipId)>,
    body: web::Json<UserRoles>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<PartnerAdmin>(state.now())?;
    let (lang, (id, membership_id)) = (caller.lang, path.into_inner());
    let role_ids: Vec<RoleId> = body.role_ids.iter().copied().map(RoleId::new).collect();
    let after = db(&state, lang, move |conn| {
        write_transaction(conn, |conn| {
            let current = client_token(conn, by.organization_id(), id, lang)?;
            let authorized = current
                .users
                .iter()
                .any(|user| user.membership_id == membership_id.get());
            let outcome = if authorized {
                commands::set_user_roles(&by, id, membership_id, &role_ids, conn)
            } else {
                let grants: Vec<(MembershipId, RoleId)> = role_ids
                    .iter()
                    .map(|role_id| (membership_id, *role_id))
                    .collect();
                commands::authorize(&by, id, &grants, conn).map(|_| ())
            };
            outcome.map_err(|err| match err {
                // The token exists: an id not found is the member's.
                DomainError::NotFound => Problem::invalid(vec![FieldError {
                    field: "membership_id".into(),
                    code: "unknown-member".into(),
                    message: "Not a member of this partner organization.".into(),
                }]),
                err => Problem::from_domain(err, lang),
            })?;
            client_token(conn, by.organization_id(), id, lang)
        })
    })
    .await?;
    Ok(with_etag(&after))
}

/// Ends what one of the partner's members may do in the client through this token.
#[utoipa::path(
    delete, path = "/api/v1/client-tokens/{id}/users/{membership_id}", tag = "client-tokens",
    operation_id = "client_tokens_remove_user",
    params(
        ("id" = i64, Path, description = "The token's id"),
        ("membership_id" = i64, Path, description = "The member's membership id in the partner organization"),
    ),
    responses((status = 204, description = "They act in the client no more")),
    security(("token" = []))
)]
pub async fn remove_user(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<(i64, MembershipId)>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<PartnerAdmin>(state.now())?;
    let (lang, (id, membership_id)) = (caller.lang, path.into_inner());
    db(&state, lang, move |conn| {
        commands::revoke_user(&by, id, membership_id, conn)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

// ---------------------------------------------------------------------------------------------
// The client's side.

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Partnership {
    pub id: i64,
    pub partner_name: String,
    /// `active`, `suspended` (by this organization), `deactivated` (by the partner) or `ended`.
    pub status: String,
    /// The roles the partner may hand out to its members here.
    pub grantable_roles: Vec<GrantableRole>,
    /// The partner's members acting here.
    pub users: Vec<PartnerUser>,
    pub activated_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnershipList {
    pub data: Vec<Partnership>,
}

fn partnership(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
    lang: Lang,
) -> Result<Partnership, Problem> {
    let details = partner_token::details_for_client(conn, client_organization_id, id)
        .map_err(|err| Problem::from_domain(err, lang))?;
    Ok(Partnership {
        id,
        partner_name: details.partner_name,
        status: status_word(details.partnership.status),
        grantable_roles: roles_of(details.roles),
        users: users_of(details.users),
        activated_at: details.partnership.activated_at.map(timestamp),
    })
}

/// Lists the partners this organization accepted a client token from, by name.
#[utoipa::path(
    get, path = "/api/v1/partnerships", tag = "client-tokens",
    operation_id = "partnerships_list",
    responses((status = 200, description = "The partnerships, with their rules and users", body = PartnershipList)),
    security(("token" = []))
)]
pub async fn list_partnerships(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<ClientAdmin>(state.now())?;
    let lang = caller.lang;
    let data = db(&state, lang, move |conn| {
        let summaries = partner_token::list_for_client(conn, by.organization_id())?;
        let ids: Vec<i64> = summaries.iter().map(|summary| summary.id).collect();
        let mut rules = partner_token::rules_of_each(conn, &ids)?;
        let mut users = partner_token::authorized_users_of_each(conn, &ids)?;
        Ok(summaries
            .into_iter()
            .map(|summary| Partnership {
                id: summary.id,
                partner_name: summary.partner_name,
                status: status_word(summary.status),
                grantable_roles: roles_of(rules.remove(&summary.id).unwrap_or_default()),
                users: users_of(users.remove(&summary.id).unwrap_or_default()),
                activated_at: summary.activated_at.map(timestamp),
            })
            .collect())
    })
    .await?;
    Ok(HttpResponse::Ok().json(PartnershipList { data }))
}

/// Reads one partnership.
#[utoipa::path(
    get, path = "/api/v1/partnerships/{id}", tag = "client-tokens",
    operation_id = "partnerships_show",
    params(("id" = i64, Path, description = "The partnership's id")),
    responses((status = 200, description = "The partnership, with its ETag", body = Partnership)),
    security(("token" = []))
)]
pub async fn show_partnership(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<ClientAdmin>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    let found = db(&state, lang, move |conn| {
        partnership(conn, by.organization_id(), id, lang)
    })
    .await?;
    Ok(with_etag(&found))
}

/// Typed client tokens count toward the limits of the token's owner and of the address, as on
/// the page (a client token is a secret a person or a script could guess at).
fn token_limit(caller: &ApiCaller) -> ThrottleKeys {
    ThrottleKeys::client_token(caller.account_id, caller.ip.as_deref())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerTokenTyped {
    /// The client token the partner gave.
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerTokenPreview {
    pub partner_name: String,
}

/// Says whose a client token is, before accepting it.
#[utoipa::path(
    post, path = "/api/v1/partnerships/preview", tag = "client-tokens",
    operation_id = "partnerships_preview",
    request_body = PartnerTokenTyped,
    responses(
        (status = 200, description = "The partner the token is from", body = PartnerTokenPreview),
        (status = 422, description = "Unknown, used, this organization's own, or from a partner already here", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many tokens tried", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn preview(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<PartnerTokenTyped>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<ClientAdmin>(state.now())?;
    let (lang, limit, typed) = (caller.lang, token_limit(&caller), body.into_inner().token);
    let preview = db(&state, lang, move |conn| {
        commands::preview(&by, typed.trim(), &limit, conn)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    Ok(HttpResponse::Ok().json(PartnerTokenPreview {
        partner_name: preview.partner_name,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPartnership {
    /// The client token the partner gave.
    pub token: String,
    /// This organization's roles the partner may hand out to its members; at least one.
    #[schema(min_items = 1)]
    pub role_ids: Vec<i64>,
}

/// Accepts a partner's client token, with the roles the partner may hand out.
#[utoipa::path(
    post, path = "/api/v1/partnerships", tag = "client-tokens",
    operation_id = "partnerships_accept",
    request_body = NewPartnership,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key get the first answer")),
    responses(
        (status = 201, description = "Accepted", body = Partnership, headers(("Location" = String))),
        (status = 422, description = "The token is refused, or a role is not this organization's", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many tokens tried", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn accept(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewPartnership>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<ClientAdmin>(state.now())?;
    let (lang, limit) = (caller.lang, token_limit(&caller));
    let body = body.into_inner();
    let role_ids: Vec<RoleId> = body.role_ids.iter().copied().map(RoleId::new).collect();
    let accepted = db(&state, lang, move |conn| {
        let id = commands::accept(&by, body.token.trim(), &role_ids, &limit, conn)
            .map_err(|err| Problem::from_domain(err, lang))?;
        partnership(conn, by.organization_id(), id, lang)
    })
    .await?;
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((
            header::LOCATION,
            format!("/api/v1/partnerships/{}", accepted.id),
        ))
        .json(accepted))
}

/// What a client's admin may set on a partnership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PartnershipState {
    Active,
    Suspended,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnershipChange {
    /// `suspended` stops the partner's users acting here until `active` again.
    pub status: Option<PartnershipState>,
    /// The roles the partner may hand out, replacing the current ones; grants of roles left out
    /// are deleted.
    pub grantable_role_ids: Option<Vec<i64>>,
}

/// Suspends or resumes a partnership, and changes the roles the partner may hand out.
#[utoipa::path(
    patch, path = "/api/v1/partnerships/{id}", tag = "client-tokens",
    operation_id = "partnerships_update",
    request_body = PartnershipChange,
    params(("id" = i64, Path, description = "The partnership's id")),
    responses(
        (status = 200, description = "The partnership after the change", body = Partnership),
        (status = 422, description = "Its status does not allow it, or no role was given", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn update_partnership(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<PartnershipChange>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<ClientAdmin>(state.now())?;
    let (lang, id, change) = (caller.lang, path.into_inner(), body.into_inner());
    let after = db(&state, lang, move |conn| {
        write_transaction(conn, |conn| {
            let fail = |err| Problem::from_domain(err, lang);
            let current = partnership(conn, by.organization_id(), id, lang)?;
            if let Some(role_ids) = &change.grantable_role_ids {
                let role_ids: Vec<RoleId> = role_ids.iter().copied().map(RoleId::new).collect();
                commands::set_rules(&by, id, &role_ids, conn).map_err(fail)?;
            }
            let suspended = current.status == PartnershipStatus::Suspended.as_str();
            match (change.status, suspended) {
                (Some(PartnershipState::Suspended), false) => {
                    commands::suspend(&by, id, conn).map_err(fail)?
                }
                (Some(PartnershipState::Active), true) => {
                    commands::resume(&by, id, conn).map_err(fail)?
                }
                _ => {}
            }
            partnership(conn, by.organization_id(), id, lang)
        })
    })
    .await?;
    Ok(with_etag(&after))
}

/// Ends a partnership for good: every grant goes.
#[utoipa::path(
    delete, path = "/api/v1/partnerships/{id}", tag = "client-tokens",
    operation_id = "partnerships_end",
    params(
        ("id" = i64, Path, description = "The partnership's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on"),
    ),
    responses(
        (status = 204, description = "Ended"),
        (status = 412, description = "The partnership changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "It has ended already", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn end(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<ClientAdmin>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    delete_if_match(
        &req,
        &state,
        lang,
        by,
        move |by, conn| partnership(conn, by.organization_id(), id, lang),
        move |by, conn| commands::end(by, id, conn).map_err(|err| Problem::from_domain(err, lang)),
    )
    .await
}
