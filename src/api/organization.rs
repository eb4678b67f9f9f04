//! `GET /api/v1/organization`: the organization the token acts in.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::auth::ApiCaller;
use crate::api::problem::Problem;
use crate::api::{db, with_etag};
use crate::app::access::Member;
use crate::domain::organization;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    /// Members, invited ones included.
    pub member_count: i64,
    /// The organization issues client tokens to its clients.
    pub partner: bool,
    /// The token's owner owns the organization.
    pub owned_by_caller: bool,
}

/// The organization the token acts in.
#[utoipa::path(
    operation_id = "organization_show",
    get,
    path = "/api/v1/organization",
    tag = "organization",
    responses(
        (status = 200, description = "The organization the token acts in", body = Organization),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn show(state: web::Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, Problem> {
    caller.acting::<Member>(state.now())?;
    let organization_id = caller.organization_id();
    let member_count = db(&state, caller.lang, move |conn| {
        Ok(organization::member_count(conn, organization_id)?)
    })
    .await?;
    Ok(with_etag(&Organization {
        id: organization_id.get(),
        name: caller.member.organization_name.clone(),
        member_count,
        partner: caller.member.is_partner_organization,
        owned_by_caller: caller.member.is_owner && caller.member.via_partner.is_none(),
    }))
}
