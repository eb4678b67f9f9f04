//! The pages. Handlers stay thin: extract, call the domain, render.

pub mod auth;
pub mod context;
pub mod error_pages;
pub mod health;
pub mod htmx;
pub mod layout;
pub mod organizations;
pub mod overview;
pub mod setup;

use actix_web::web;

use crate::error::AppError;

/// Every console route. The route list in tests/api/authorization.rs mirrors this one.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(overview::overview))
        .route("/sign-in", web::get().to(auth::sign_in_page))
        .route("/sign-in", web::post().to(auth::sign_in))
        .route("/sign-out", web::post().to(auth::sign_out))
        .route("/setup/{token}", web::get().to(setup::setup_page))
        .route("/setup/{token}", web::post().to(setup::complete_setup))
        .route(
            "/organizations/switch",
            web::post().to(organizations::switch),
        );
}

pub async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}
