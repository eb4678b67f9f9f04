//! The JSON API (`/api/v1`): the console's actions for scripts and integrations, each handler
//! calling the same application command as its page. Authenticated by personal access tokens
//! only (`auth`), errors as problem documents (`problem`), lists paged by cursor, updates guarded
//! by ETags, POSTs made safe to retry by `Idempotency-Key` (`idempotency`), and described by an
//! OpenAPI 3.1 document generated from this code (`openapi`).

pub mod audit;
pub mod auth;
pub mod catalog;
pub mod client_tokens;
pub mod environments;
pub mod external_users;
pub mod idempotency;
pub mod members;
pub mod openapi;
pub mod organization;
pub mod partners;
pub mod policies;
pub mod problem;
pub mod roles;
pub mod sso;
pub mod tokens;
pub mod webhooks;

use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::from_fn;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use time::PrimitiveDateTime;
use time::format_description::well_known::Rfc3339;

use crate::api::problem::Problem;

/// The most rows a list answers at once, and the default.
pub const MAX_LIMIT: i64 = 100;
pub const DEFAULT_LIMIT: i64 = 50;

/// Mounts the API under `/api/v1`, with its own error shapes for unreadable JSON, paths and
/// queries, and a problem for unknown paths.
pub fn scope() -> actix_web::Scope<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<actix_web::body::BoxBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    web::scope("/api/v1")
        .wrap(from_fn(idempotency::idempotency_layer))
        .wrap(from_fn(auth::api_layer))
        .app_data(
            web::JsonConfig::default()
                .limit(crate::web::middleware::FORM_BODY_LIMIT)
                .error_handler(|err, _| {
                    Problem::bad_request(format!("The JSON body could not be read: {err}")).into()
                }),
        )
        .app_data(web::PathConfig::default().error_handler(|_, _| Problem::not_found().into()))
        .app_data(web::QueryConfig::default().error_handler(|err, _| {
            Problem::bad_request(format!("The query string could not be read: {err}")).into()
        }))
        .service(resource("/openapi.json", "GET").route(web::get().to(openapi::document)))
        .service(resource("/organization", "GET").route(web::get().to(organization::show)))
        .service(
            resource("/members", "GET, POST")
                .route(web::get().to(members::list))
                .route(web::post().to(members::add)),
        )
        .service(
            resource("/members/{id}", "GET, PATCH, DELETE")
                .route(web::get().to(members::show))
                .route(web::patch().to(members::update))
                .route(web::delete().to(members::remove)),
        )
        .service(
            resource("/members/{id}/invitation", "POST, DELETE")
                .route(web::post().to(members::resend_invitation))
                .route(web::delete().to(members::revoke_invitation)),
        )
        .service(
            resource("/members/{id}/authenticator", "DELETE")
                .route(web::delete().to(members::reset_authenticator)),
        )
        .service(
            resource("/roles", "GET, POST")
                .route(web::get().to(roles::list))
                .route(web::post().to(roles::create)),
        )
        .service(
            resource("/roles/{id}", "GET, PATCH, DELETE")
                .route(web::get().to(roles::show))
                .route(web::patch().to(roles::update))
                .route(web::delete().to(roles::remove)),
        )
        .service(
            resource("/environments", "GET, POST")
                .route(web::get().to(environments::list))
                .route(web::post().to(environments::create)),
        )
        .service(
            resource("/environments/{id}", "GET, PATCH")
                .route(web::get().to(environments::show))
                .route(web::patch().to(environments::rename)),
        )
        .service(
            resource("/environments/{id}/roles/{role_id}", "PUT")
                .route(web::put().to(environments::set_role_access)),
        )
        .service(
            resource("/external-users", "GET, POST")
                .route(web::get().to(external_users::list))
                .route(web::post().to(external_users::invite)),
        )
        .service(
            resource("/external-users/{id}", "GET, PATCH, DELETE")
                .route(web::get().to(external_users::show))
                .route(web::patch().to(external_users::update))
                .route(web::delete().to(external_users::delete)),
        )
        .service(
            resource("/external-users/{id}/invitation", "POST")
                .route(web::post().to(external_users::resend_invitation)),
        )
        .service(
            resource("/apis", "GET, POST")
                .route(web::get().to(catalog::list_apis))
                .route(web::post().to(catalog::create_api)),
        )
        .service(
            resource("/apis/{id}", "GET, PATCH, DELETE")
                .route(web::get().to(catalog::show_api))
                .route(web::patch().to(catalog::update_api))
                .route(web::delete().to(catalog::delete_api)),
        )
        .service(
            resource("/apis/{id}/document", "GET, PUT, DELETE")
                .route(web::get().to(catalog::show_document))
                .route(web::put().to(catalog::replace_document))
                .route(web::delete().to(catalog::remove_document)),
        )
        .service(
            resource("/api-groups", "GET, POST")
                .route(web::get().to(catalog::list_groups))
                .route(web::post().to(catalog::create_group)),
        )
        .service(
            resource("/api-groups/{id}", "GET, PATCH, DELETE")
                .route(web::get().to(catalog::show_group))
                .route(web::patch().to(catalog::update_group))
                .route(web::delete().to(catalog::delete_group)),
        )
        .service(
            resource("/client-tokens", "GET, POST")
                .route(web::get().to(client_tokens::list))
                .route(web::post().to(client_tokens::issue)),
        )
        .service(
            resource("/client-tokens/{id}", "GET, PATCH, DELETE")
                .route(web::get().to(client_tokens::show))
                .route(web::patch().to(client_tokens::update))
                .route(web::delete().to(client_tokens::delete)),
        )
        .service(
            resource("/client-tokens/{id}/users/{membership_id}", "PUT, DELETE")
                .route(web::put().to(client_tokens::set_user))
                .route(web::delete().to(client_tokens::remove_user)),
        )
        .service(
            resource("/partnerships", "GET, POST")
                .route(web::get().to(client_tokens::list_partnerships))
                .route(web::post().to(client_tokens::accept)),
        )
        // Before `/partnerships/{id}`, which would otherwise take "preview" for an id.
        .service(
            resource("/partnerships/preview", "POST").route(web::post().to(client_tokens::preview)),
        )
        .service(
            resource("/partnerships/{id}", "GET, PATCH, DELETE")
                .route(web::get().to(client_tokens::show_partnership))
                .route(web::patch().to(client_tokens::update_partnership))
                .route(web::delete().to(client_tokens::end)),
        )
        .service(
            resource("/partners", "GET, POST")
                .route(web::get().to(partners::list))
                .route(web::post().to(partners::register)),
        )
        .service(
            resource("/partners/{id}", "GET, PATCH, DELETE")
                .route(web::get().to(partners::show))
                .route(web::patch().to(partners::update))
                .route(web::delete().to(partners::deactivate)),
        )
        .service(
            resource("/partners/{id}/admin-invitation", "POST")
                .route(web::post().to(partners::resend_admin_invitation)),
        )
        .service(
            resource("/policies", "GET, PATCH")
                .route(web::get().to(policies::show))
                .route(web::patch().to(policies::update)),
        )
        .service(
            resource("/sso", "GET, PATCH")
                .route(web::get().to(sso::show))
                .route(web::patch().to(sso::update)),
        )
        .service(
            resource("/sso/bypass/{email}", "PUT, DELETE")
                .route(web::put().to(sso::add_bypass))
                .route(web::delete().to(sso::remove_bypass)),
        )
        .service(resource("/audit-events", "GET").route(web::get().to(audit::list)))
        .service(
            resource("/audit-events/retention", "GET, PUT")
                .route(web::get().to(audit::retention))
                .route(web::put().to(audit::set_retention)),
        )
        .service(
            resource("/webhooks", "GET, POST")
                .route(web::get().to(webhooks::list))
                .route(web::post().to(webhooks::create)),
        )
        .service(
            resource("/webhooks/event-types", "GET").route(web::get().to(webhooks::event_types)),
        )
        .service(
            resource("/webhooks/{id}", "GET, PATCH, DELETE")
                .route(web::get().to(webhooks::show))
                .route(web::patch().to(webhooks::update))
                .route(web::delete().to(webhooks::delete)),
        )
        .service(
            resource("/webhooks/{id}/secret", "POST")
                .route(web::post().to(webhooks::rotate_secret)),
        )
        .service(resource("/webhooks/{id}/test", "POST").route(web::post().to(webhooks::send_test)))
        .service(
            resource("/webhooks/{id}/deliveries", "GET").route(web::get().to(webhooks::deliveries)),
        )
        .service(
            resource("/webhooks/{id}/deliveries/{delivery_id}/redeliver", "POST")
                .route(web::post().to(webhooks::redeliver)),
        )
        .service(resource("/webhooks/{id}/replay", "POST").route(web::post().to(webhooks::replay)))
        .service(resource("/tokens", "GET").route(web::get().to(tokens::list)))
        .service(resource("/tokens/{id}", "DELETE").route(web::delete().to(tokens::revoke)))
        .service(resource("/members/{id}/tokens", "GET").route(web::get().to(tokens::of_member)))
        .service(
            resource("/members/{id}/tokens/{token_id}", "DELETE")
                .route(web::delete().to(tokens::revoke_of_member)),
        )
        .service(
            resource("/organization/tokens", "DELETE").route(web::delete().to(tokens::revoke_all)),
        )
        .default_service(web::to(|| async {
            Problem::not_found()
                .detail("No such API path. The paths are listed in /api/v1/openapi.json.")
                .response()
        }))
}

/// A path of the API: a method it does not list answers 405 with `Allow`, as a problem.
fn resource(path: &str, allow: &'static str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(move || async move {
        let mut response = Problem::new(
            actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "Method not allowed",
        )
        .detail(format!("This path answers {allow}."))
        .response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(allow));
        response
    }))
}

/// For `#[serde(default, deserialize_with = "present")]` on an `Option<Option<T>>`: a field
/// sent as `null` (clear it) is told apart from a field left out (keep it).
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// A stored instant as RFC 3339 (UTC).
pub fn timestamp(at: PrimitiveDateTime) -> String {
    at.assume_utc().format(&Rfc3339).unwrap_or_default()
}

/// The strong ETag of a representation: a digest of its JSON.
pub fn etag_of<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_vec(value).unwrap_or_default();
    format!("\"{}\"", &hex::encode(Sha256::digest(json))[..32])
}

/// 200 with the JSON and its ETag.
pub fn with_etag<T: Serialize>(value: &T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag_of(value)))
        .json(value)
}

/// The `If-Match` of a request: None when absent; `*` matches anything that exists.
pub fn if_match(req: &HttpRequest) -> Option<Vec<String>> {
    let value = req.headers().get(header::IF_MATCH)?.to_str().ok()?;
    Some(
        value
            .split(',')
            .map(|tag| tag.trim().to_owned())
            .filter(|tag| !tag.is_empty())
            .collect(),
    )
}

/// Refuses with 412 when the request's `If-Match` does not name the current representation.
pub fn check_precondition<T: Serialize>(
    expected: &Option<Vec<String>>,
    current: &T,
) -> Result<(), Problem> {
    match expected {
        Some(tags)
            if !tags
                .iter()
                .any(|tag| tag == "*" || *tag == etag_of(current)) =>
        {
            Err(Problem::new(
                actix_web::http::StatusCode::PRECONDITION_FAILED,
                "precondition-failed",
                "The resource has changed",
            )
            .detail("The If-Match ETag is not the current one: read the resource again."))
        }
        _ => Ok(()),
    }
}

/// An opaque cursor: base64url of the JSON of where the next page starts.
pub fn encode_cursor<T: Serialize>(position: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).unwrap_or_default())
}

pub fn decode_cursor<T: DeserializeOwned>(cursor: &str) -> Result<T, Problem> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| {
            Problem::invalid(vec![problem::FieldError {
                field: "cursor".into(),
                code: "invalid".into(),
                message: "The cursor is not one this API gave out.".into(),
            }])
        })
}

/// A list's limit: 1 to 100, 50 when absent.
pub fn limit_of(limit: Option<i64>) -> Result<i64, Problem> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(limit) if (1..=MAX_LIMIT).contains(&limit) => Ok(limit),
        Some(_) => Err(Problem::invalid(vec![problem::FieldError {
            field: "limit".into(),
            code: "out-of-range".into(),
            message: format!("Ask for 1 to {MAX_LIMIT} rows."),
        }])),
    }
}

/// A DELETE that honours `If-Match`, in one transaction: `current` reads what is there (404
/// when nothing is), an ETag that is not its own is refused with 412, and `remove` runs the
/// command. `by` is what both act with. Answers 204.
pub async fn delete_if_match<B, T, U, C, R>(
    req: &HttpRequest,
    state: &crate::state::AppState,
    lang: crate::i18n::Lang,
    by: B,
    current: C,
    remove: R,
) -> Result<HttpResponse, Problem>
where
    B: Send + 'static,
    T: Serialize,
    C: FnOnce(&B, &mut crate::db::DbConnection) -> Result<T, Problem> + Send + 'static,
    R: FnOnce(&B, &mut crate::db::DbConnection) -> Result<U, Problem> + Send + 'static,
{
    let expected = if_match(req);
    db(state, lang, move |conn| {
        crate::db::write_transaction(conn, |conn| {
            check_precondition(&expected, &current(&by, conn)?)?;
            remove(&by, conn).map(|_| ())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A page of a list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T: utoipa::ToSchema> {
    pub data: Vec<T>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// 200 with a page, and a `Link: <...>; rel="next"` header when there is a next page. The link
/// repeats the request's query with the new cursor.
pub fn page_response<T: Serialize + utoipa::ToSchema>(
    req: &HttpRequest,
    page: Page<T>,
) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        let mut query: Vec<(String, String)> =
            url::form_urlencoded::parse(req.query_string().as_bytes())
                .into_owned()
                .filter(|(name, _)| name != "cursor")
                .collect();
        query.push(("cursor".into(), cursor.clone()));
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        let link = format!("<{}?{}>; rel=\"next\"", req.path(), query);
        if let Ok(value) = HeaderValue::from_str(&link) {
            response.insert_header((header::LINK, value));
        }
    }
    response.json(page)
}

/// Runs blocking database work and maps its failures to problems.
pub async fn db<T, F>(
    state: &crate::state::AppState,
    lang: crate::i18n::Lang,
    work: F,
) -> Result<T, Problem>
where
    F: FnOnce(&mut crate::db::DbConnection) -> Result<T, Problem> + Send + 'static,
    T: Send + 'static,
{
    state
        .db(move |conn| Ok::<_, crate::error::AppError>(work(conn)))
        .await
        .map_err(|err| Problem::from_app(err, lang))?
}
