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

/// Sends raw bytes on one connection and returns everything the server wrote before closing it
/// (or within two seconds).
async fn raw_exchange(app: &TestApp, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        stream.read_to_end(&mut answer),
    )
    .await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn requests_refused_by_the_http_layer_carry_the_security_headers_too() {
    let app = spawn_app().await;
    let long_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Long: {}\r\n\r\n",
        "a".repeat(300_000)
    );
    for (request, status) in [
        (&b"GET /users?q=\xff HTTP/1.1\r\nHost: x\r\n\r\n"[..], "400"),
        (b"GET /<script> HTTP/1.1\r\nHost: x\r\n\r\n", "400"),
        (b"GARBAGE\r\n\r\n", "400"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", "400"),
        (
            b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            "400",
        ),
        (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", "400"),
        (long_header.as_bytes(), "431"),
        // A good request first on the same connection: answered as usual, then the refusal.
        (
            b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n",
            "400",
        ),
    ] {
        let answer = raw_exchange(&app, request).await;
        let what = String::from_utf8_lossy(&request[..request.len().min(40)]).into_owned();
        let last = answer
            .rfind("HTTP/1.1 ")
            .map(|at| &answer[at..])
            .unwrap_or_else(|| panic!("{what}: no answer: {answer:?}"));
        assert!(
            last.starts_with(&format!("HTTP/1.1 {status} ")),
            "{what}: {last}"
        );
        let lower = last.to_ascii_lowercase();
        for header in [
            "content-security-policy: default-src 'none'",
            "x-content-type-options: nosniff",
            "x-frame-options: deny",
            "referrer-policy: same-origin",
            "cache-control: no-store",
        ] {
            assert!(lower.contains(header), "{what}: {header} missing in {last}");
        }
        assert!(last.ends_with("\r\n\r\n"), "{what}: no body: {last:?}");
    }
    // Keep-alive and pipelining still work, bodies intact, headers added once.
    let answer = raw_exchange(
        &app,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(answer.matches("HTTP/1.1 200 OK").count(), 2, "{answer}");
    assert_eq!(answer.matches("\r\n\r\nok").count(), 2, "{answer}");
    assert_eq!(
        answer
            .to_ascii_lowercase()
            .matches("content-security-policy")
            .count(),
        2
    );
}
