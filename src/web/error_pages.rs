//! Turns every error response (ours, or actix's own: unknown route, body too large, bad form)
//! into a page in the visitor's language, or the right redirect when sign-in is needed.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest, HttpResponse};
use askama::Template;
use tracing_actix_web::RequestId;

use crate::error::ErrorPage;
use crate::i18n::{Lang, Tr};
use crate::web::context::RequestContext;
use crate::web::htmx;
use crate::web::layout::AuthShell;

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorTemplate {
    t: Tr,
    shell: AuthShell,
    status: u16,
    title: String,
    message: String,
    reference: Option<String>,
    offer_sign_out: bool,
    /// For a 503 on a page: the same page, to try again once the database is back.
    retry_url: Option<String>,
}

pub async fn error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let response = next.call(req).await?.map_into_boxed_body();
    let status = response.status();
    if !status.is_client_error() && !status.is_server_error() {
        return Ok(response);
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // The JSON API answers its errors as problem documents, never as pages.
    if content_type.starts_with("application/problem+json") {
        return Ok(response);
    }
    if response.request().path().starts_with("/api/") {
        let (req, response) = response.into_parts();
        let problem = crate::api::problem::Problem::new(
            status,
            "http-error",
            status.canonical_reason().unwrap_or("Error"),
        );
        let mut replacement = problem.response();
        if let Some(retry_after) = response.headers().get(header::RETRY_AFTER) {
            replacement
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after.clone());
        }
        return Ok(ServiceResponse::new(req, replacement));
    }
    let marker = response.response().extensions().get::<ErrorPage>().copied();
    let already_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if marker.is_none() && already_html {
        return Ok(response);
    }
    let (req, response) = response.into_parts();
    let replacement = match marker {
        Some(ErrorPage::SignInRequired) => sign_in_redirect(&req),
        _ => error_page(&req, status, marker),
    };
    let mut replacement = replacement.map_into_boxed_body();
    // Keep cookies the inner layers set (the anonymous CSRF token, a cleared flash), and when to
    // retry after a 503 or 429.
    for cookie in response.cookies() {
        let _ = replacement.add_cookie(&cookie.into_owned());
    }
    if let Some(retry_after) = response.headers().get(header::RETRY_AFTER) {
        replacement
            .headers_mut()
            .insert(header::RETRY_AFTER, retry_after.clone());
    }
    Ok(ServiceResponse::new(req, replacement))
}

fn sign_in_redirect(req: &HttpRequest) -> HttpResponse {
    let return_to = if htmx::is_htmx(req) {
        req.headers()
            .get("hx-current-url")
            .and_then(|v| v.to_str().ok())
            .and_then(|url| url::Url::parse(url).ok())
            .map(|url| match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_owned(),
            })
    } else if req.method() == actix_web::http::Method::GET {
        Some(
            req.uri()
                .path_and_query()
                .map_or("/", |pq| pq.as_str())
                .to_owned(),
        )
    } else {
        None
    };
    let location = match return_to.filter(|path| path != "/") {
        Some(path) => format!(
            "/sign-in?next={}",
            url::form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>()
        ),
        None => "/sign-in".to_owned(),
    };
    htmx::see_other(req, &location)
}

fn error_page(req: &HttpRequest, status: StatusCode, marker: Option<ErrorPage>) -> HttpResponse {
    let ctx = req
        .extensions()
        .get::<RequestContext>()
        .cloned()
        .unwrap_or_else(|| {
            let lang = req
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(Lang::negotiate)
                .unwrap_or_default();
            RequestContext {
                lang,
                csrf_token: String::new(),
                signed_in: None,
                flash: None,
                session_ended: None,
                client_ip: None,
                trace: Default::default(),
            }
        });
    let t = ctx.tr();
    let key = match (marker, status.as_u16()) {
        (Some(ErrorPage::CsrfRejected), _) => "error-csrf",
        (Some(ErrorPage::NoOrganization), _)
            if ctx.signed_in.as_ref().is_some_and(|s| s.portal_only) =>
        {
            "error-portal-only"
        }
        (Some(ErrorPage::NoOrganization), _) => "error-no-organization",
        (_, 400) => "error-400",
        (_, 403) => "error-403",
        (_, 404) => "error-404",
        (_, 405) => "error-405",
        (_, 413) => "error-413",
        (_, 503) => "error-503",
        (_, code) if code < 500 => "error-400",
        _ => "error-500",
    };
    let reference = status
        .is_server_error()
        .then(|| req.extensions().get::<RequestId>().map(ToString::to_string))
        .flatten();
    let (title_key, message_key) = match marker {
        Some(ErrorPage::Rule(rule)) => ("error-rule-title".to_owned(), rule.to_owned()),
        _ => (format!("{key}-title"), format!("{key}-body")),
    };
    let page = ErrorTemplate {
        t,
        shell: AuthShell {
            flash: None,
            ..AuthShell::new(&ctx)
        },
        status: status.as_u16(),
        title: t.t(&title_key),
        message: t.t(&message_key),
        reference,
        offer_sign_out: marker == Some(ErrorPage::NoOrganization) && ctx.signed_in.is_some(),
        retry_url: (status == StatusCode::SERVICE_UNAVAILABLE
            && req.method() == actix_web::http::Method::GET)
            .then(|| htmx::safe_next(req.uri().path_and_query().map(|pq| pq.as_str()))),
    };
    htmx::render_page(&page, status).unwrap_or_else(|err| {
        tracing::error!(%err, "error page failed to render");
        HttpResponse::build(status)
            .content_type("text/plain; charset=utf-8")
            .body(status.to_string())
    })
}
