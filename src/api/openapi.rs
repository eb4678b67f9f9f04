//! The OpenAPI 3.1 document of the API, generated from the handlers' annotations and the
//! schemas of their bodies, so it cannot drift from the code.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api::{members, organization, problem, roles, tokens};

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
        roles::list,
        roles::show,
        roles::create,
        roles::update,
        roles::remove,
        tokens::list,
    ),
    components(schemas(problem::Problem, problem::FieldError)),
    modifiers(&BearerToken),
    tags(
        (name = "organization", description = "The organization the token acts in"),
        (name = "members", description = "Members, invitations and role assignments"),
        (name = "roles", description = "Roles and their permissions"),
        (name = "tokens", description = "The caller's personal access tokens"),
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
