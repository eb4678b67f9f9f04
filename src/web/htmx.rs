//! The one place that decides between a full page and a fragment, and how redirects travel.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use crate::auth::cookies::CookieKind;
use crate::config::Settings;
use crate::error::AppError;

/// True for htmx requests that swap part of a page. Boosted navigation and history restores
/// replace the whole page, so they get the full document.
pub fn wants_fragment(req: &HttpRequest) -> bool {
    let has = |name: &str| {
        req.headers()
            .get(name)
            .is_some_and(|v| v.as_bytes() == b"true")
    };
    has("hx-request") && !has("hx-boosted") && !has("hx-history-restore-request")
}

pub fn is_htmx(req: &HttpRequest) -> bool {
    req.headers()
        .get("hx-request")
        .is_some_and(|v| v.as_bytes() == b"true")
}

fn html(status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::VARY, "HX-Request"))
        .body(body)
}

/// Renders the full page, or the fragment that `fragment` picks out of it for htmx.
pub fn render<'p, P: Template, F: Template + 'p>(
    req: &HttpRequest,
    page: &'p P,
    fragment: impl FnOnce(&'p P) -> F,
) -> Result<HttpResponse, AppError> {
    render_with_status(req, actix_web::http::StatusCode::OK, page, fragment)
}

/// As `render`, with a status: 422 for a form sent back with errors (htmx is told to swap it).
pub fn render_with_status<'p, P: Template, F: Template + 'p>(
    req: &HttpRequest,
    status: actix_web::http::StatusCode,
    page: &'p P,
    fragment: impl FnOnce(&'p P) -> F,
) -> Result<HttpResponse, AppError> {
    let body = if wants_fragment(req) {
        fragment(page).render()?
    } else {
        page.render()?
    };
    Ok(html(status, body))
}

/// Renders a page that has no fragment form (sign-in, setup, errors).
pub fn render_page<P: Template>(
    page: &P,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    Ok(html(status, page.render()?))
}

/// Post/redirect/get: a 303 for browsers; for htmx, `HX-Redirect`, so the whole page is loaded
/// rather than the target swapped into the current one.
pub fn see_other(req: &HttpRequest, location: &str) -> HttpResponse {
    let mut response = if is_htmx(req) {
        let mut response = HttpResponse::Ok();
        response.insert_header(("HX-Redirect", location));
        response
    } else {
        let mut response = HttpResponse::SeeOther();
        response.insert_header((header::LOCATION, location));
        response
    };
    response.insert_header((header::VARY, HeaderValue::from_static("HX-Request")));
    response.finish()
}

/// A redirect that shows `message_key` on the page it leads to.
pub fn see_other_with_flash(
    req: &HttpRequest,
    settings: &Settings,
    location: &str,
    message_key: &str,
) -> HttpResponse {
    let mut response = see_other(req, location);
    // Only our own keys are ever set; a failure to add the cookie just loses the message.
    let _ = response.add_cookie(&CookieKind::Flash.build(settings, message_key.to_owned()));
    response
}

/// A redirect that shows a refusal (a rule's message key) on the page it leads to.
pub fn see_other_with_error(
    req: &HttpRequest,
    settings: &Settings,
    location: &str,
    message_key: &str,
) -> HttpResponse {
    see_other_with_flash(req, settings, location, &format!("error:{message_key}"))
}

/// Where to go after signing in: only a path on this site, never `//elsewhere` or a URL.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next(Some("/users?page=2")), "/users?page=2");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
