//! The pages. Handlers stay thin: extract, call the domain, render.

pub mod auth;
pub mod context;
pub mod deliveries;
pub mod error_pages;
pub mod format;
pub mod health;
pub mod htmx;
pub mod layout;
pub mod organizations;
pub mod overview;
pub mod password_reset;
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
            "/forgot-password",
            web::get().to(password_reset::forgot_page),
        )
        .route(
            "/forgot-password",
            web::post().to(password_reset::request_reset),
        )
        .route(
            "/reset-password/{token}",
            web::get().to(password_reset::reset_page),
        )
        .route(
            "/reset-password/{token}",
            web::post().to(password_reset::reset_password),
        )
        .route(
            "/organizations/switch",
            web::post().to(organizations::switch),
        )
        .route("/deliveries", web::get().to(deliveries::deliveries))
        .route("/deliveries/test", web::post().to(deliveries::send_test))
        .route(
            "/deliveries/{id}/send-again",
            web::post().to(deliveries::send_again),
        );
}

pub async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}
