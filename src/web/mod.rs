//! The pages. Handlers stay thin: extract, call the domain, render.

pub mod apis;
pub mod audit;
pub mod auth;
pub mod authenticator;
pub mod clients;
pub mod confirm;
pub mod context;
pub mod cookies;
pub mod deliveries;
pub mod environments;
pub mod error_pages;
pub mod external_users;
pub mod form;
pub mod head;
pub mod health;
pub mod htmx;
pub mod invitations;
pub mod layout;
pub mod middleware;
pub mod my_partner;
pub mod organizations;
pub mod overview;
pub mod partner_users;
pub mod partners;
pub mod password_expired;
pub mod password_reset;
pub mod policies;
pub mod portal;
pub mod preferences;
pub mod profile;
pub mod roles;
pub mod setup;
pub mod sso;
pub mod table;
pub mod tokens;
pub mod two_factor;
pub mod upload;
pub mod users;
pub mod webhooks;

use actix_web::web;

use crate::error::AppError;

/// Every console route. The route list in tests/api/authorization.rs mirrors this one.
pub fn routes(cfg: &mut web::ServiceConfig) {
    // First, so that `/my-partner/accept` is not read as `/my-partner/{id}`.
    cfg.configure(form_pages);
    cfg.configure(apis::routes)
        .configure(external_users::routes)
        .configure(audit::routes)
        .configure(portal::routes)
        .configure(partners::routes)
        .configure(partner_users::routes)
        .configure(clients::routes)
        .configure(my_partner::routes);
    cfg.route("/", web::get().to(overview::overview))
        .route("/sign-in", web::get().to(auth::sign_in_page))
        .route("/sign-in", web::post().to(auth::sign_in))
        .route("/sign-out", web::post().to(auth::sign_out))
        .route(crate::app::sso::CALLBACK_PATH, web::get().to(sso::callback))
        .route(sso::PATH, web::get().to(sso::show))
        .route(sso::PATH, web::post().to(sso::save))
        .route("/policies/sso/test", web::post().to(sso::test))
        .route("/policies/sso/enabled", web::post().to(sso::set_enabled))
        .route("/policies/sso/bypass", web::post().to(sso::add_bypass))
        .route(
            "/policies/sso/bypass/remove",
            web::post().to(sso::remove_bypass),
        )
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
        .route("/organizations", web::get().to(organizations::list))
        .route(
            "/organizations/current",
            web::post().to(organizations::rename),
        )
        .route(
            "/organizations/switch",
            web::post().to(organizations::switch),
        )
        .route("/users", web::get().to(users::list))
        .route("/users", web::post().to(users::add_user))
        .route("/users/new", web::get().to(users::new_user))
        .route("/users/{id}/roles", web::get().to(users::role_panel))
        .route(
            "/users/{id}/roles/assign",
            web::post().to(users::assign_roles),
        )
        .route(
            "/users/{id}/roles/new",
            web::post().to(users::create_and_assign_role),
        )
        .route(
            "/users/{id}/roles/{role_id}/active",
            web::post().to(users::set_assignment),
        )
        .route(
            "/users/{id}/roles/{role_id}/unassign",
            web::post().to(users::unassign_role),
        )
        .route(
            "/users/{id}/invitation/resend",
            web::post().to(users::resend_invitation),
        )
        .route(
            "/users/{id}/invitation/revoke",
            web::post().to(users::revoke_invitation),
        )
        .route("/users/{id}/reactivate", web::post().to(users::reactivate))
        .route(
            "/users/{id}/tokens/{token_id}/revoke",
            web::get().to(tokens::member_revoke_page),
        )
        .route(
            "/users/{id}/tokens/{token_id}/revoke",
            web::post().to(tokens::member_revoke),
        )
        .route(
            "/policies/tokens/revoke-all",
            web::get().to(tokens::revoke_all_page),
        )
        .route(
            "/policies/tokens/revoke-all",
            web::post().to(tokens::revoke_all),
        )
        .route(
            "/users/{id}/two-factor",
            web::get().to(authenticator::confirm_reset),
        )
        .route(
            "/users/{id}/two-factor",
            web::post().to(authenticator::reset),
        )
        .route("/users/{id}/remove", web::get().to(users::confirm_remove))
        .route("/users/{id}/remove", web::post().to(users::remove))
        .route("/invitations/{token}", web::get().to(invitations::show))
        .route("/invitations/{token}", web::post().to(invitations::accept))
        .route(
            "/preferences/columns/{table}",
            web::post().to(preferences::save_columns),
        )
        .route(
            password_expired::PATH,
            web::get().to(password_expired::show),
        )
        .route(
            password_expired::PATH,
            web::post().to(password_expired::change),
        )
        .route(two_factor::PATH, web::get().to(two_factor::show))
        .route(two_factor::PATH, web::post().to(two_factor::verify))
        .route(two_factor::RESEND_PATH, web::post().to(two_factor::resend))
        .route("/profile/tokens", web::get().to(tokens::show))
        .route("/profile/tokens", web::post().to(tokens::create))
        .route(
            "/profile/tokens/{id}/revoke",
            web::get().to(tokens::revoke_page),
        )
        .route(
            "/profile/tokens/{id}/revoke",
            web::post().to(tokens::revoke),
        )
        .route(authenticator::PATH, web::get().to(authenticator::show))
        .route(
            "/profile/two-factor/setup",
            web::post().to(authenticator::begin_setup),
        )
        .route(
            "/profile/two-factor/confirm",
            web::post().to(authenticator::confirm_setup),
        )
        .route(
            "/profile/two-factor/cancel",
            web::post().to(authenticator::cancel_setup),
        )
        .route(
            "/profile/two-factor/recovery-codes",
            web::post().to(authenticator::renew_recovery_codes),
        )
        .route(
            "/profile/two-factor/turn-off",
            web::post().to(authenticator::turn_off),
        )
        .route("/profile", web::get().to(profile::show))
        .route("/profile", web::post().to(profile::save_details))
        .route(
            "/profile/password",
            web::post().to(profile::change_password),
        )
        .route(
            "/profile/sessions/sign-out-others",
            web::post().to(profile::sign_out_others),
        )
        .route(
            "/profile/sessions/{handle}/sign-out",
            web::post().to(profile::sign_out_session),
        )
        .route("/roles", web::get().to(roles::list))
        .route("/roles", web::post().to(roles::create))
        .route("/roles/new", web::get().to(roles::new_role))
        .route("/roles/{id}", web::get().to(roles::detail))
        .route("/roles/{id}", web::post().to(roles::update))
        .route("/roles/{id}/deactivate", web::post().to(roles::deactivate))
        .route("/roles/{id}/reactivate", web::post().to(roles::reactivate))
        .route("/roles/{id}/remove", web::post().to(roles::remove))
        .route("/roles/{id}/members", web::post().to(roles::assign_members))
        .route(
            "/roles/{id}/members/{membership_id}/active",
            web::post().to(roles::set_member_active),
        )
        .route(
            "/roles/{id}/members/{membership_id}/unassign",
            web::post().to(roles::unassign_member),
        )
        .route(
            "/roles/{id}/environments/{environment_id}",
            web::post().to(roles::set_environment_access),
        )
        .route("/environments", web::get().to(environments::list))
        .route("/environments", web::post().to(environments::create))
        .route("/environments/{id}", web::post().to(environments::rename))
        .route(
            "/environments/{id}/delete",
            web::get().to(environments::confirm_delete),
        )
        .route(
            "/environments/{id}/delete",
            web::post().to(environments::delete),
        )
        .route("/policies", web::get().to(policies::show))
        .route("/policies", web::post().to(policies::save))
        .route("/deliveries", web::get().to(deliveries::deliveries))
        .route("/deliveries/test", web::post().to(deliveries::send_test))
        .route(
            "/deliveries/{id}/send-again",
            web::post().to(deliveries::send_again),
        )
        .route("/webhooks", web::get().to(webhooks::list))
        .route("/webhooks", web::post().to(webhooks::create))
        .route("/webhooks/new", web::get().to(webhooks::new_form))
        .route("/webhooks/{id}", web::get().to(webhooks::edit_form))
        .route("/webhooks/{id}", web::post().to(webhooks::update))
        .route(
            "/webhooks/{id}/delete",
            web::get().to(webhooks::delete_page),
        )
        .route("/webhooks/{id}/delete", web::post().to(webhooks::delete))
        .route(
            "/webhooks/{id}/rotate",
            web::get().to(webhooks::rotate_page),
        )
        .route("/webhooks/{id}/rotate", web::post().to(webhooks::rotate))
        .route(
            "/webhooks/{id}/resume",
            web::get().to(webhooks::resume_page),
        )
        .route("/webhooks/{id}/resume", web::post().to(webhooks::resume))
        .route("/webhooks/{id}/pause", web::post().to(webhooks::pause))
        .route("/webhooks/{id}/test", web::post().to(webhooks::send_test))
        .route(
            "/webhooks/{id}/deliveries",
            web::get().to(webhooks::deliveries),
        )
        .route("/webhooks/{id}/replay", web::post().to(webhooks::replay))
        .route(
            "/webhooks/{id}/deliveries/{delivery_id}/redeliver",
            web::post().to(webhooks::redeliver),
        );
}

/// Addresses that only take a form's POST, and the page that holds the form. A failed form is
/// shown at its POST address, so Reload or Back there makes a GET: it lands on the form's page
/// again instead of "Page not found". Ids in the page come from the same names in the address.
const FORM_PAGES: &[(&str, &str)] = &[
    ("/apis/groups", "/apis/groups/new"),
    ("/clients/{id}/users", "/clients/{id}"),
    ("/deliveries/test", "/deliveries"),
    ("/deliveries/{id}/send-again", "/deliveries"),
    ("/environments/{id}", "/environments"),
    ("/my-partner/accept", "/my-partner"),
    ("/my-partner/preview", "/my-partner"),
    ("/my-partner/{id}/resume", "/my-partner/{id}"),
    ("/my-partner/{id}/rules", "/my-partner/{id}"),
    ("/my-partner/{id}/suspend", "/my-partner/{id}"),
    ("/organizations/current", "/organizations"),
    ("/organizations/switch", "/"),
    ("/partners/new/cancel", "/partners"),
    ("/partners/{id:\\d+}/admin", "/partners/{id}"),
    ("/partners/{id:\\d+}/admin/resend", "/partners/{id}"),
    ("/partners/{id:\\d+}/apis", "/partners/{id}"),
    ("/partners/{id:\\d+}/domains", "/partners/{id}"),
    ("/partners/{id:\\d+}/info", "/partners/{id}"),
    ("/policies/sso/bypass", "/policies/sso"),
    ("/policies/sso/bypass/remove", "/policies/sso"),
    ("/policies/sso/enabled", "/policies/sso"),
    ("/policies/sso/test", "/policies/sso"),
    ("/preferences/columns/{table}", "/"),
    ("/profile/password", "/profile"),
    ("/profile/sessions/sign-out-others", "/profile"),
    ("/profile/sessions/{handle}/sign-out", "/profile"),
    ("/profile/two-factor/cancel", "/profile/two-factor"),
    ("/profile/two-factor/confirm", "/profile/two-factor"),
    ("/profile/two-factor/recovery-codes", "/profile/two-factor"),
    ("/profile/two-factor/setup", "/profile/two-factor"),
    ("/profile/two-factor/turn-off", "/profile/two-factor"),
    ("/roles/{id}/deactivate", "/roles/{id}"),
    ("/roles/{id}/environments/{environment_id}", "/roles/{id}"),
    ("/roles/{id}/members", "/roles/{id}"),
    ("/roles/{id}/members/{membership_id}/active", "/roles/{id}"),
    (
        "/roles/{id}/members/{membership_id}/unassign",
        "/roles/{id}",
    ),
    ("/roles/{id}/reactivate", "/roles/{id}"),
    ("/roles/{id}/remove", "/roles/{id}"),
    ("/sign-out", "/"),
    ("/two-factor/resend", "/two-factor"),
    ("/users/external/{id}/reactivate", "/users/external"),
    ("/users/external/{id}/suspend", "/users/external"),
    ("/users/{id}/invitation/resend", "/users"),
    ("/users/{id}/invitation/revoke", "/users"),
    ("/users/{id}/reactivate", "/users"),
    ("/users/{id}/roles/assign", "/users/{id}/roles"),
    ("/users/{id}/roles/new", "/users/{id}/roles"),
    ("/users/{id}/roles/{role_id}/active", "/users/{id}/roles"),
    ("/users/{id}/roles/{role_id}/unassign", "/users/{id}/roles"),
    (
        "/webhooks/{id}/deliveries/{delivery_id}/redeliver",
        "/webhooks/{id}/deliveries",
    ),
    ("/webhooks/{id}/pause", "/webhooks/{id}"),
    ("/webhooks/{id}/replay", "/webhooks/{id}/deliveries"),
    ("/webhooks/{id}/test", "/webhooks/{id}"),
];

fn form_pages(cfg: &mut web::ServiceConfig) {
    for &(address, page) in FORM_PAGES {
        cfg.route(
            address,
            web::get().to(move |req: actix_web::HttpRequest| async move {
                htmx::see_other(&req, &fill_path(page, req.match_info()))
            }),
        );
    }
}

/// `/roles/{id}` with the `id` of the matched address. Segments are ids and handles matched by
/// the router, so they are safe to put back into a path.
fn fill_path(page: &str, matched: &actix_web::dev::Path<actix_web::dev::Url>) -> String {
    let mut filled = page.to_owned();
    for (name, value) in matched.iter() {
        filled = filled.replace(&format!("{{{name}}}"), value);
    }
    filled
}

pub async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}
