//! Personal access tokens in the API: the caller's own (`/api/v1/tokens`), a member's for the
//! organization's admins (`/api/v1/members/{id}/tokens`), and revoking them all in an incident.
//! Never their secrets.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::auth::ApiCaller;
use crate::api::problem::Problem;
use crate::api::{db, timestamp};
use crate::app::access::{Admin, ApiUser};
use crate::app::tokens as commands;
use crate::domain::ids::{MembershipId, TokenId};
use crate::domain::membership;
use crate::domain::personal_token::{self, TokenSummary};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Token {
    pub id: i64,
    pub name: String,
    pub organization_id: i64,
    /// `["read"]` or `["read", "write"]`.
    pub scopes: Vec<String>,
    /// `active`, `expired` or `revoked`.
    pub status: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub last_used_ip: Option<String>,
    /// The token this request is made with.
    pub current: bool,
}

fn token(summary: TokenSummary, current: i64, now: time::PrimitiveDateTime) -> Token {
    Token {
        id: summary.id.get(),
        current: summary.id.get() == current,
        scopes: if summary.can_write {
            vec!["read".into(), "write".into()]
        } else {
            vec!["read".into()]
        },
        status: if summary.revoked_at.is_some() {
            "revoked"
        } else if summary.expires_at <= now {
            "expired"
        } else {
            "active"
        }
        .into(),
        created_at: timestamp(summary.created_at),
        expires_at: timestamp(summary.expires_at),
        last_used_at: summary.last_used_at.map(timestamp),
        last_used_ip: summary.last_used_ip,
        name: summary.name,
        organization_id: summary.organization_id.get(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenList {
    pub data: Vec<Token>,
}

/// Lists the caller's personal access tokens.
#[utoipa::path(
    operation_id = "tokens_list",
    get,
    path = "/api/v1/tokens",
    tag = "tokens",
    responses(
        (status = 200, description = "The caller's tokens in every organization, newest first", body = TokenList),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn list(state: web::Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, Problem> {
    let (account_id, current, now) = (caller.account_id, caller.token_id.get(), state.now());
    let lang = caller.lang;
    let tokens = db(&state, lang, move |conn| {
        Ok(personal_token::of_account(conn, account_id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TokenList {
        data: tokens.into_iter().map(|t| token(t, current, now)).collect(),
    }))
}

/// Revokes one of the caller's tokens (the one the request is made with too).
#[utoipa::path(
    operation_id = "tokens_revoke",
    delete,
    path = "/api/v1/tokens/{id}",
    tag = "tokens",
    params(("id" = i64, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked (or it already was)"),
        (status = 404, description = "Not one of the caller's tokens", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn revoke(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<TokenId>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<ApiUser>(state.now())?;
    let (lang, token_id) = (caller.lang, path.into_inner());
    db(&state, lang, move |conn| {
        commands::revoke_own_through_token(&by, token_id, conn)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Lists a member's live tokens in the organization, for its admins.
#[utoipa::path(
    operation_id = "members_tokens_list",
    get,
    path = "/api/v1/members/{id}/tokens",
    tag = "tokens",
    params(("id" = i64, Path, description = "The membership's id")),
    responses(
        (status = 200, description = "The member's tokens that still act, newest first", body = TokenList),
        (status = 404, description = "No such member in the organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn of_member(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<MembershipId>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, membership_id, now) = (caller.lang, path.into_inner(), state.now());
    let current = caller.token_id.get();
    let tokens = db(&state, lang, move |conn| {
        let fail = |err| Problem::from_domain(err, lang);
        let person = membership::find(conn, by.organization_id(), membership_id).map_err(fail)?;
        commands::of_member(&by, person.account_id, conn).map_err(fail)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TokenList {
        data: tokens.into_iter().map(|t| token(t, current, now)).collect(),
    }))
}

/// Revokes a member's token; its owner is told by email. The organization owner's tokens are
/// the owner's alone to revoke.
#[utoipa::path(
    operation_id = "members_tokens_revoke",
    delete,
    path = "/api/v1/members/{id}/tokens/{token_id}",
    tag = "tokens",
    params(
        ("id" = i64, Path, description = "The membership's id"),
        ("token_id" = i64, Path, description = "The token's id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "Not a live token of that member", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The organization owner's token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn revoke_of_member(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<(MembershipId, TokenId)>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, (membership_id, token_id)) = (caller.lang, path.into_inner());
    let settings = state.settings.clone();
    db(&state, lang, move |conn| {
        commands::revoke_member_token(&by, membership_id, token_id, &settings, conn)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    state.outbox_wake.notify_one();
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevokedAll {
    /// How many tokens were revoked.
    pub revoked: usize,
}

/// Revokes every token of the organization (an incident): the owner's too only when the owner
/// asks, and the one this request is made with.
#[utoipa::path(
    operation_id = "organization_revoke_tokens",
    delete,
    path = "/api/v1/organization/tokens",
    tag = "tokens",
    responses(
        (status = 200, description = "Revoked", body = RevokedAll),
    ),
    security(("token" = []))
)]
pub async fn revoke_all(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let lang = caller.lang;
    let revoked = db(&state, lang, move |conn| {
        commands::revoke_all(&by, conn).map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    Ok(HttpResponse::Ok().json(RevokedAll { revoked }))
}
