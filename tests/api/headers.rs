use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue, IF_NONE_MATCH};

use crate::helpers::*;

fn assert_security_headers(headers: &HeaderMap, what: &str) {
    let csp = headers
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"))
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'none'"), "{what}: {csp}");
    assert!(csp.contains("script-src 'self'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert_eq!(
        headers.get("x-content-type-options").unwrap(),
        "nosniff",
        "{what}"
    );
    assert!(headers.get("referrer-policy").is_some(), "{what}");
}

#[tokio::test]
async fn pages_carry_security_headers_and_are_not_cached() {
    let (app, client) = spawn_app_with_admin().await;
    for path in ["/", "/sign-in"] {
        let response = client.get(path).await;
        assert_security_headers(response.headers(), path);
        assert_eq!(
            response.headers().get("cache-control").unwrap(),
            "no-store",
            "{path}"
        );
        assert!(
            response
                .headers()
                .get("strict-transport-security")
                .is_none(),
            "no HSTS over http"
        );
    }
    let anonymous = app.client().get("/sign-in").await;
    assert_security_headers(anonymous.headers(), "anonymous sign-in");
}

#[tokio::test]
async fn error_pages_carry_them_too() {
    let (app, client) = spawn_app_with_admin().await;
    let missing = client.get("/no/such/page").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_security_headers(missing.headers(), "404");
    let body = missing.text().await.unwrap();
    assert!(body.contains("Page not found"));
    assert!(body.contains("<html lang=\"en\">"));

    let forbidden = client.post_raw("/sign-out", &[], HeaderMap::new()).await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    assert_security_headers(forbidden.headers(), "403");

    let anonymous_missing = app.client().get("/static/nothing-here.css").await;
    assert_eq!(anonymous_missing.status(), StatusCode::NOT_FOUND);
    assert_security_headers(anonymous_missing.headers(), "static 404");
}

#[tokio::test]
async fn https_base_urls_get_hsts_and_host_prefixed_secure_cookies() {
    let app = spawn_app_with(|settings| {
        settings.base_url = url::Url::parse("https://console.example").unwrap();
    })
    .await;
    let response = app.client().get("/sign-in").await;
    assert_eq!(
        response.headers().get("strict-transport-security").unwrap(),
        "max-age=31536000; includeSubDomains"
    );
    let cookie = set_cookie(&response, "__Host-gh_csrf").expect("prefixed anonymous CSRF cookie");
    assert!(cookie.contains("Secure"));
    assert!(cookie.contains("Path=/"));
    assert!(!cookie.contains("Domain"));
}

#[tokio::test]
async fn static_files_have_types_etags_and_long_caching() {
    let app = spawn_app().await;
    let client = app.client();
    for (path, content_type) in [
        ("/static/htmx.min.js", "text/javascript"),
        ("/static/app.js", "text/javascript"),
        ("/static/app.css", "text/css"),
    ] {
        let response = client.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let headers = response.headers().clone();
        assert!(
            headers
                .get("content-type")
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(content_type),
            "{path}: {:?}",
            headers.get("content-type")
        );
        assert_eq!(
            headers.get("cache-control").unwrap(),
            "public, max-age=31536000, immutable"
        );
        assert_security_headers(&headers, path);
        let etag = headers.get("etag").expect("etag").clone();

        let mut revalidate = HeaderMap::new();
        revalidate.insert(IF_NONE_MATCH, etag.clone());
        let not_modified = client.get_with(path, revalidate).await;
        assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(not_modified.headers().get("etag").unwrap(), &etag);
        assert!(not_modified.bytes().await.unwrap().is_empty());

        let mut stale = HeaderMap::new();
        stale.insert(
            IF_NONE_MATCH,
            HeaderValue::from_static("\"something-else\""),
        );
        assert_eq!(client.get_with(path, stale).await.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn pages_link_versioned_assets_and_no_cdn() {
    let (_app, client) = spawn_app_with_admin().await;
    let (_, body) = client.page("/").await;
    assert!(body.contains("/static/htmx.min.js?v="));
    assert!(body.contains("/static/app.css?v="));
    assert!(!body.contains("<script>"), "no inline scripts");
    assert!(!body.contains("style="), "no inline styles");
    assert!(!body.contains("https://"), "nothing from another origin");
}
