//! The OpenAPI 3.1 document of the API, generated from the handlers' annotations and the
//! schemas of their bodies, so it cannot drift from the code.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api::{
    audit, catalog, client_tokens, environments, external_users, members, organization, partners,
    policies, problem, roles, sso, tokens, webhooks,
};

/// The answers any operation may give besides its own: a problem document for a request the
/// API cannot read (400), no valid token (401), a token whose owner or scope does not allow it
/// (403), an id not in the organization (404, paths with ids), invalid fields (422, operations
/// that read input), and the rate limit (429).
struct CommonProblems;

impl Modify for CommonProblems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let problem = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.patch,
                &mut item.delete,
                &mut item.put,
            ];
            for operation in operations.into_iter().flatten() {
                let reads_input = operation.request_body.is_some()
                    || operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let mut common = vec![
                    ("400", "The request could not be read"),
                    ("401", "No valid token"),
                    ("403", "The token's owner or scope does not allow this"),
                    ("429", "Over the rate limit; see Retry-After"),
                ];
                if path.contains('{') {
                    common.push(("404", "No such resource in the organization"));
                }
                if reads_input {
                    common.push(("422", "Invalid fields"));
                }
                for (status, description) in common {
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| problem(description).into());
                }
            }
        }
    }
}

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal access token (Profile → Personal access tokens), \
                         matching gh_pat_[0-9A-Za-z]{36}.",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Gatehouse API",
        version = "1",
        description = "Everything the Gatehouse console does, for scripts and integrations. \
            Authenticate with a personal access token (`Authorization: Bearer <token>`); each \
            request acts with the token's scopes and its owner's rights in the token's \
            organization at that moment. Every answer carries `RateLimit-Policy`, `RateLimit` and \
            `X-RateLimit-*` headers; over the limit the answer is 429 with `Retry-After`. Errors \
            are `application/problem+json` (RFC 9457) with a stable `type`. Lists are paged by \
            cursor (`next_cursor`, and a `Link` header with `rel=\"next\"`). Updates accept \
            `If-Match` with the ETag of the resource; a POST with an `Idempotency-Key` header is \
            answered once and replayed on retries."
    ),
    paths(
        organization::show,
        members::list,
        members::show,
        members::add,
        members::update,
        members::remove,
        members::resend_invitation,
        members::revoke_invitation,
        members::reset_authenticator,
        roles::list,
        roles::show,
        roles::create,
        roles::update,
        roles::remove,
        environments::list,
        environments::create,
        environments::show,
        environments::rename,
        environments::set_role_access,
        external_users::list,
        external_users::invite,
        external_users::show,
        external_users::update,
        external_users::delete,
        external_users::resend_invitation,
        catalog::list_apis,
        catalog::show_api,
        catalog::create_api,
        catalog::update_api,
        catalog::delete_api,
        catalog::show_document,
        catalog::replace_document,
        catalog::remove_document,
        catalog::list_groups,
        catalog::show_group,
        catalog::create_group,
        catalog::update_group,
        catalog::delete_group,
        client_tokens::list,
        client_tokens::show,
        client_tokens::issue,
        client_tokens::update,
        client_tokens::delete,
        client_tokens::set_user,
        client_tokens::remove_user,
        client_tokens::list_partnerships,
        client_tokens::show_partnership,
        client_tokens::preview,
        client_tokens::accept,
        client_tokens::update_partnership,
        client_tokens::end,
        partners::list,
        partners::show,
        partners::register,
        partners::update,
        partners::resend_admin_invitation,
        partners::deactivate,
        policies::show,
        policies::update,
        sso::show,
        sso::update,
        sso::add_bypass,
        sso::remove_bypass,
        tokens::list,
        tokens::revoke,
        tokens::of_member,
        tokens::revoke_of_member,
        tokens::revoke_all,
        audit::list,
        audit::retention,
        audit::set_retention,
        webhooks::list,
        webhooks::event_types,
        webhooks::create,
        webhooks::show,
        webhooks::update,
        webhooks::delete,
        webhooks::rotate_secret,
        webhooks::send_test,
        webhooks::deliveries,
        webhooks::redeliver,
        webhooks::replay,
    ),
    components(schemas(problem::Problem, problem::FieldError)),
    modifiers(&BearerToken, &CommonProblems),
    tags(
        (name = "organization", description = "The organization the token acts in"),
        (name = "members", description = "Members, invitations and role assignments"),
        (name = "roles", description = "Roles and their permissions"),
        (name = "environments", description = "Environments and each role's access to them"),
        (name = "external-users", description = "People from outside with expiring access to the API portal"),
        (name = "apis", description = "The API catalog: APIs, their OpenAPI documents, and API groups"),
        (name = "client-tokens", description = "Client access tokens: a partner's (issued, and the members acting in each client) and a client's (accepted partnerships)"),
        (name = "partners", description = "Partner companies the organization's owner registers"),
        (name = "policies", description = "The organization's policies"),
        (name = "sso", description = "Single sign-on through the organization's OpenID Connect provider (testing the connection is done on the Policies page)"),
        (name = "tokens", description = "Personal access tokens: the caller's own, and members' for admins"),
        (name = "audit", description = "The organization's audit log (administrators)"),
        (name = "webhooks", description = "Webhooks: signed events sent to the organization's own systems (its owner only)"),
    )
)]
pub struct ApiDoc;

/// The document as JSON (built once).
pub fn json() -> &'static str {
    static DOCUMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .expect("the OpenAPI document serializes")
    });
    &DOCUMENT
}

pub async fn document() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(json())
}
