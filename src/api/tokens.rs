//! `GET /api/v1/tokens`: the caller's own personal access tokens (never their secrets).

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::auth::ApiCaller;
use crate::api::problem::Problem;
use crate::api::{db, timestamp};
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
