//! Saving an admin's column settings for a table.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::access::Area;
use crate::app::organizations;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::context::CurrentMember;
use crate::web::form::FormFields;
use crate::web::htmx;
use crate::web::table::{self, ColumnDef};

/// The columns of a table, when the member may see that table at all.
fn columns_of(table_name: &str, member: &CurrentMember) -> Result<&'static [ColumnDef], AppError> {
    let (columns, allowed): (&'static [ColumnDef], bool) = match table_name {
        crate::web::users::TABLE => (&crate::web::users::COLUMNS, member.sees(Area::Users)),
        crate::web::roles::TABLE => (&crate::web::roles::COLUMNS, member.sees(Area::Roles)),
        crate::web::external_users::TABLE => (
            &crate::web::external_users::COLUMNS,
            member.sees(Area::Users),
        ),
        _ => return Err(AppError::NotFound),
    };
    if allowed {
        Ok(columns)
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn save_columns(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: CurrentMember,
    table_name: web::Path<String>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let table_name = table_name.into_inner();
    let defs = columns_of(&table_name, &member)?;
    let chosen = table::chosen_columns(defs, &form);
    let me = member.me(state.now());
    let back = htmx::safe_next(form.get("return_to"));
    state
        .db(move |conn| organizations::save_columns(&me, &table_name, &chosen, conn))
        .await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        &back,
        "flash-columns-saved",
    ))
}
