//! A fuzzer over every route: the authorization test's list (every console and portal route,
//! with real ids) plus the signed-out pages. Each is called with missing, repeated, huge,
//! non-UTF-8 and control-character fields, odd ids in its path, odd methods and odd headers, as
//! the organization's administrator (who gets deepest into the handlers) and as a visitor. No
//! answer may be a 5xx: bad input is the caller's error, and the console must say so.

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use crate::helpers::*;
use crate::scenario::{self, Route};

/// Field names the console's forms and query strings use, so that every handler finds the
/// fields it reads (and parses our values).
const FIELDS: &[&str] = &[
    "q",
    "sort",
    "dir",
    "page",
    "tab",
    "next",
    "return_to",
    "email",
    "password",
    "password_confirmation",
    "current_password",
    "name",
    "organization",
    "company",
    "code",
    "token",
    "confirm",
    "confirm_lockout",
    "role_id",
    "membership_id",
    "organization_id",
    "environment_id",
    "api_id",
    "api",
    "group",
    "grant",
    "permission",
    "access",
    "active",
    "description",
    "version",
    "base_url",
    "domains",
    "member_domains",
    "ip_allow_list",
    "password_expiry_days",
    "password_history",
    "password_requires_special",
    "inactivity_days",
    "two_factor_mode",
    "two_factor_days",
    "expiry",
    "expires_on",
    "language",
    "time_zone",
    "show",
    "position_email",
    "position_name",
    "username",
    "remote_agent_configuration",
    "scheduler_time_zone",
    "disable_connector_updates",
    "remove_document",
    "remove_logo",
    "referrer",
    "step",
];

/// Values every field gets in turn, percent-encoded as a browser would (bytes, so that invalid
/// UTF-8 can be sent too).
fn hostile_values() -> Vec<Vec<u8>> {
    let mut values: Vec<Vec<u8>> = [
        "",
        " ",
        "0",
        "-1",
        "99999999999999999999",
        "-9223372036854775809",
        "1.5e309",
        "NaN",
        "true",
        "' OR 1=1 --",
        "%_\\",
        "\r\nSet-Cookie: x=1",
        "\u{0}\u{1}\u{7f}",
        "<script>alert(1)</script>",
        "//evil.test/%09",
        "/\t/evil.test",
        "/\r\n/evil.test",
        "2026-02-30",
        "9999-12-31T23:59:59",
        "\u{202e}\u{fffd}😀",
        "1,2,3;4",
    ]
    .iter()
    .map(|value| value.as_bytes().to_vec())
    .collect();
    values.push(vec![0xff, 0xfe, 0xc0, 0x80]);
    values.push("é".repeat(2_000).into_bytes());
    values.push("x".repeat(900).into_bytes());
    // Escaped for LIKE, each `_` doubles: past SQLite's 50,000-byte pattern limit.
    values.push("_".repeat(30_000).into_bytes());
    values
}

fn encode(bytes: &[u8]) -> String {
    url::form_urlencoded::byte_serialize(bytes).collect()
}

/// `name=value&...` for every field.
fn every_field(value: &[u8], fields: &[&str]) -> String {
    let value = encode(value);
    fields
        .iter()
        .map(|name| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The path with one numeric segment replaced, for each numeric segment and odd id.
fn odd_ids(path: &str) -> Vec<String> {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let segments: Vec<&str> = path.split('/').collect();
    let mut paths = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        if segment.is_empty() || !segment.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        for odd in [
            "0",
            "-1",
            "99999999999999999999",
            "9223372036854775807",
            "abc",
            "%FF",
            "1%00",
            "%2e%2e",
        ] {
            let mut changed = segments.clone();
            changed[index] = odd;
            let mut path = changed.join("/");
            if !query.is_empty() {
                path.push('?');
                path.push_str(query);
            }
            paths.push(path);
        }
    }
    paths
}

/// Headers that are odd on their own; each request of the header pass carries all of them.
fn odd_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("accept-language", "zz-ZZ;q=nan, *;q=-1, ,,,"),
        ("hx-request", "true"),
        ("hx-current-url", "javascript:alert(1)//%0d%0a"),
        ("hx-target", "#<script>"),
        ("hx-boosted", "maybe"),
        ("sec-fetch-site", "same-origin"),
        ("x-forwarded-for", "999.1.1.1, ::zz, 127.0.0.1"),
        ("forwarded", "for=\"[::1\";host=;proto=gopher"),
    ] {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_bytes(value.as_bytes()).unwrap(),
        );
    }
    headers.insert(
        HeaderName::from_static("cookie"),
        HeaderValue::from_bytes(b"gh_flash=\xff\xfe; gh_trusted=....; gh_csrf=%%%").unwrap(),
    );
    headers
}

/// The signed-out pages, which the authorization test does not list.
fn public_routes() -> Vec<(&'static str, String)> {
    let token = "gh_not_a_real_token_0123456789abcdefghijklmnopqrstuv";
    vec![
        ("GET", "/sign-in".into()),
        ("POST", "/sign-in".into()),
        ("GET", "/forgot-password".into()),
        ("POST", "/forgot-password".into()),
        ("GET", format!("/reset-password/{token}")),
        ("POST", format!("/reset-password/{token}")),
        ("GET", format!("/setup/{token}")),
        ("POST", format!("/setup/{token}")),
        ("GET", format!("/invitations/{token}")),
        ("POST", format!("/invitations/{token}")),
        ("GET", format!("/portal/register/{token}")),
        ("POST", format!("/portal/register/{token}")),
        ("GET", "/healthz".into()),
        ("GET", "/static/app.css".into()),
        ("GET", "/static/..%2F..%2FCargo.toml".into()),
        ("GET", "/no/such/page".into()),
    ]
}

struct Fuzzer<'a> {
    app: &'a TestApp,
    client: &'a TestClient,
    /// Whether the caller signs back in when a call ended its session.
    stays_signed_in: bool,
    server_errors: Vec<String>,
    calls: usize,
    /// How many answers of each status, to see that the calls reach the handlers.
    statuses: std::collections::BTreeMap<u16, usize>,
}

impl Fuzzer<'_> {
    async fn send(
        &mut self,
        method: Method,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
        headers: HeaderMap,
        what: &str,
    ) {
        let token = self.client.csrf_token().unwrap_or_default();
        let mut request = self
            .client
            .http
            .request(method.clone(), format!("{}{path}", self.app.address))
            .headers(headers)
            .header("x-csrf-token", token);
        if let Some((content_type, bytes)) = body {
            request = request.header(CONTENT_TYPE, content_type).body(bytes);
        }
        self.calls += 1;
        let shown: String = path.chars().take(120).collect();
        let sent = request.send().await;
        if let Ok(response) = &sent {
            *self.statuses.entry(response.status().as_u16()).or_default() += 1;
        }
        match sent {
            Ok(response) if response.status().is_server_error() => self.server_errors.push(
                format!("{} for {method} {shown} ({what})", response.status()),
            ),
            Ok(_) => {}
            Err(err) => self
                .server_errors
                .push(format!("no answer for {method} {shown} ({what}): {err}")),
        }
    }

    /// Signs back in when a fuzzed call signed the caller out (sign-out, a password change...).
    async fn keep_signed_in(&mut self) {
        if !self.stays_signed_in {
            return;
        }
        let (status, _) = self.client.page("/profile").await;
        if status == StatusCode::OK {
            return;
        }
        // A fuzzed change may have locked the account (wrong current passwords): let it pass.
        self.app.clock.advance(time::Duration::minutes(16));
        let response = self.client.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "signs back in");
        self.client.page("/profile").await;
    }

    async fn fuzz(&mut self, method: &str, path: &str) {
        let values = hostile_values();
        if method == "GET" {
            let base = path.split_once('?').map_or(path, |(base, _)| base);
            for value in &values {
                // Request heads are limited (a too-long one is refused before routing), so a long
                // value goes into one field only; form bodies are limited to 64 KiB.
                let names: &[&str] = if value.len() > 100 {
                    &["q"]
                } else {
                    &["q", "sort", "dir", "page", "tab", "next"]
                };
                let query = every_field(value, names);
                self.send(
                    Method::GET,
                    &format!("{base}?{query}"),
                    None,
                    HeaderMap::new(),
                    "query",
                )
                .await;
            }
            let repeated =
                format!("{base}?q=a&q=b&sort=name&sort=zz&dir=up&dir=desc&page=2&page=x");
            self.send(
                Method::GET,
                &repeated,
                None,
                HeaderMap::new(),
                "repeated query",
            )
            .await;
            self.send(
                Method::GET,
                &format!("{base}?%FF=%FF&=&&="),
                None,
                HeaderMap::new(),
                "odd query",
            )
            .await;
            for odd in odd_ids(path) {
                self.send(Method::GET, &odd, None, HeaderMap::new(), "odd id")
                    .await;
            }
            self.send(Method::GET, path, None, odd_headers(), "odd headers")
                .await;
            for method in [Method::HEAD, Method::OPTIONS, Method::PUT, Method::DELETE] {
                self.send(method, path, None, HeaderMap::new(), "other method")
                    .await;
            }
        } else {
            let base = path.split_once('?').map_or(path, |(base, _)| base);
            let form = "application/x-www-form-urlencoded";
            for value in values.iter().filter(|value| value.len() < 10_000) {
                let body = every_field(value, FIELDS).into_bytes();
                self.send(
                    Method::POST,
                    base,
                    Some((form, body)),
                    HeaderMap::new(),
                    "form",
                )
                .await;
                self.keep_signed_in().await;
            }
            let repeated = b"name=a&name=b&email=a@b.test&email=c@d.test&role_id=1&role_id=x&confirm=&confirm=DELETE&page=1&page=2".to_vec();
            self.send(
                Method::POST,
                base,
                Some((form, repeated)),
                HeaderMap::new(),
                "repeated form",
            )
            .await;
            let raw = b"name=\xff\xfe&email=\xc0\x80@a.test&q=%&x=%zz&&=&".to_vec();
            self.send(
                Method::POST,
                base,
                Some((form, raw)),
                HeaderMap::new(),
                "raw bytes",
            )
            .await;
            self.send(
                Method::POST,
                base,
                Some((form, Vec::new())),
                HeaderMap::new(),
                "empty form",
            )
            .await;
            self.send(
                Method::POST,
                base,
                Some(("application/json", b"{\"name\": [1, {}]}".to_vec())),
                HeaderMap::new(),
                "json",
            )
            .await;
            self.send(
                Method::POST,
                base,
                Some((
                    "multipart/form-data; boundary=xyz",
                    b"--xyz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n\xff\r\n--xyz\r\nContent-Disposition: form-data; name=\"document\"; filename=\"../../x.yaml\"\r\nContent-Type: text/yaml\r\n\r\n&a [*a, *a, *a]\r\n--xy"
                        .to_vec(),
                )),
                HeaderMap::new(),
                "broken multipart",
            )
            .await;
            self.send(
                Method::POST,
                base,
                Some(("multipart/form-data", b"no boundary".to_vec())),
                HeaderMap::new(),
                "multipart without boundary",
            )
            .await;
            self.send(
                Method::POST,
                base,
                Some((form, every_field(b"x", FIELDS).into_bytes())),
                odd_headers(),
                "odd headers",
            )
            .await;
            for odd in odd_ids(path) {
                let odd_base = odd
                    .split_once('?')
                    .map_or(odd.as_str(), |(b, _)| b)
                    .to_owned();
                self.send(
                    Method::POST,
                    &odd_base,
                    Some((form, Vec::new())),
                    HeaderMap::new(),
                    "odd id",
                )
                .await;
            }
            self.keep_signed_in().await;
        }
    }
}

#[tokio::test]
async fn no_route_answers_a_server_error_to_hostile_input() {
    let (app, admin, ids) = scenario::arrange().await;
    let routes: Vec<Route> = scenario::routes(&ids);
    let visitor = app.client();
    visitor.page("/sign-in").await;
    admin.page("/profile").await;

    let mut failures = Vec::new();
    let mut calls = 0;
    for (client, stays_signed_in) in [(&visitor, false), (&admin, true)] {
        let mut fuzzer = Fuzzer {
            app: &app,
            client,
            stays_signed_in,
            server_errors: Vec::new(),
            calls: 0,
            statuses: Default::default(),
        };
        for (method, path) in public_routes() {
            fuzzer.fuzz(method, &path).await;
        }
        for route in &routes {
            fuzzer.fuzz(route.method, &route.path).await;
        }
        // Last, as it ends the session.
        fuzzer.fuzz("POST", "/sign-out").await;
        calls += fuzzer.calls;
        eprintln!(
            "{} calls {}: {:?}",
            if stays_signed_in { "admin" } else { "visitor" },
            fuzzer.calls,
            fuzzer.statuses
        );
        failures.extend(fuzzer.server_errors);
    }
    assert!(calls > 5_000, "{calls} calls");
    assert!(
        failures.is_empty(),
        "{} of {calls} calls answered 5xx:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
