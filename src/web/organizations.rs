//! Switching the organization the session acts in.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::auth::session;
use crate::domain::organization;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::context::CurrentAccount;
use crate::web::htmx;

#[derive(Deserialize)]
pub struct SwitchForm {
    organization_id: i64,
}

pub async fn switch(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
    form: web::Form<SwitchForm>,
) -> Result<HttpResponse, AppError> {
    let account_id = current.account.account_id;
    let session_hash = current.account.session_hash.clone();
    let organization_id = form.organization_id;
    let switched = state
        .db(move |conn| {
            if organization::member_context(conn, account_id, organization_id)?.is_none() {
                return Ok::<_, diesel::result::Error>(false);
            }
            session::set_organization(conn, &session_hash, organization_id)?;
            Ok(true)
        })
        .await?;
    if !switched {
        // Not a member there: the same answer as for an organization that does not exist.
        return Err(AppError::NotFound);
    }
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/",
        "flash-organization-switched",
    ))
}
