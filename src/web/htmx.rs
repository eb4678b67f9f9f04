//! The one place that decides between a full page and a fragment, and how redirects travel.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use crate::config::Settings;
use crate::error::AppError;
use crate::web::cookies::CookieKind;

/// True for htmx requests that swap part of a page. Boosted navigation and history restores
/// replace the whole page, so they get the full document; a boosted form inside a panel that
/// names its own target (the drawer's `hx-target`) swaps that panel only.
pub fn wants_fragment(req: &HttpRequest) -> bool {
    let has = |name: &str| {
        req.headers()
            .get(name)
            .is_some_and(|v| v.as_bytes() == b"true")
    };
    let targets_a_part = req
        .headers()
        .get("hx-target")
        .is_some_and(|v| !v.is_empty());
    has("hx-request")
        && (!has("hx-boosted") || targets_a_part)
        && !has("hx-history-restore-request")
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
    // Locations are built by us; should one ever not fit in a header, the home page beats a 500.
    let location = HeaderValue::from_str(location).unwrap_or_else(|_| {
        tracing::warn!(location, "redirect target is not a valid header value");
        HeaderValue::from_static("/")
    });
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

/// Where to go back to after signing in or saving a setting, from a `next` / `return_to` that
/// anyone can put in a link: a path of this site, normalised, else `/`.
///
/// Browsers are lenient where we must be strict: they drop tabs and newlines inside URLs
/// (`/\t/evil.test` becomes `//evil.test`, another host), read `\` as `/`, and resolve `/./` and
/// `/../`. So the input must start with one `/`, hold no control character and no backslash, and
/// the path it resolves to must not start with `//`. What is returned is the resolved URL's path
/// and query, percent-encoded, so it is always a valid header value.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(local_path).unwrap_or_else(|| "/".to_owned())
}

fn local_path(candidate: &str) -> Option<String> {
    if !candidate.starts_with('/')
        || candidate.contains('\\')
        || candidate.chars().any(char::is_control)
    {
        return None;
    }
    let base = url::Url::parse("http://gatehouse.invalid/").expect("a valid base URL");
    let resolved = base.join(candidate).ok()?;
    if resolved.origin() != base.origin() || resolved.path().starts_with("//") {
        return None;
    }
    Some(match resolved.query() {
        Some(query) => format!("{}?{query}", resolved.path()),
        None => resolved.path().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next(Some("/users?page=2")), "/users?page=2");
        assert_eq!(
            safe_next(Some("/users?q=ada+lovelace")),
            "/users?q=ada+lovelace"
        );
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn next_refuses_what_browsers_would_turn_into_another_host() {
        for hostile in [
            "/\t/evil.test",
            "/\n/evil.test",
            "/\r\nSet-Cookie: x=1",
            "/\u{0}/evil.test",
            "/\u{85}/evil.test",
            "/./\t/evil.test",
            "/.//evil.test",
            "/a/..//evil.test",
            "/%2e//evil.test",
            "",
            "evil.test",
            " /users",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
    }

    #[test]
    fn next_is_normalised_and_always_a_header_value() {
        assert_eq!(safe_next(Some("/a/../users")), "/users");
        assert_eq!(safe_next(Some("/users#top")), "/users");
        assert_eq!(safe_next(Some("/usérs?q=zoë")), "/us%C3%A9rs?q=zo%C3%AB");
        for candidate in ["/usérs", "/a b", "/\"quoted\"", "/x?y=<z>"] {
            let next = safe_next(Some(candidate));
            assert!(
                actix_web::http::header::HeaderValue::from_str(&next).is_ok(),
                "{next}"
            );
        }
    }
}
