//! Input an attacker sends on purpose: redirect targets that browsers would take off-site, header
//! injection, searches too long for SQLite's LIKE, addresses the mailer would refuse, HEAD
//! requests, and forwarded headers from someone who is not our proxy.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::helpers::*;

/// `next` values that are not a same-site path once a browser has read them.
const HOSTILE_NEXT: &[&str] = &[
    "/%09/evil.test",
    "/%0a/evil.test",
    "/%0d%0aSet-Cookie:%20pwned=1",
    "/%0D/evil.test",
    "/%5Cevil.test",
    "//evil.test",
    "/.//evil.test",
    "/%2e//evil.test",
    "https://evil.test",
    "%2F%2Fevil.test",
    "/%00",
];

/// A query-string value as the form field a browser would post.
fn decoded(encoded: &str) -> String {
    url::form_urlencoded::parse(format!("v={encoded}").as_bytes())
        .map(|(_, value)| value.into_owned())
        .next()
        .unwrap()
}

fn htmx() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("HX-Request", HeaderValue::from_static("true"));
    headers
}

#[tokio::test]
async fn next_never_leads_off_site_or_breaks_the_response() {
    let (app, admin) = spawn_app_with_admin().await;
    for next in HOSTILE_NEXT {
        // Signed in, the sign-in page sends the visitor on at once.
        let response = admin.get(&format!("/sign-in?next={next}")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next}");
        assert_eq!(location(&response), "/", "{next}");
        let response = admin
            .get_with(&format!("/sign-in?next={next}"), htmx())
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{next}");
        assert_eq!(response.headers()["HX-Redirect"], "/", "{next}");

        // Signed out: the form carries it, and the sign-in goes home instead.
        let visitor = app.client();
        let (status, page) = visitor.page(&format!("/sign-in?next={next}")).await;
        assert_eq!(status, StatusCode::OK, "{next}");
        assert!(!page.contains("evil.test"), "{next}");
        let decoded = decoded(next);
        let response = visitor
            .post_form(
                "/sign-in",
                &[
                    ("email", ADMIN_EMAIL),
                    ("password", ADMIN_PASSWORD),
                    ("next", &decoded),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next}");
        assert_eq!(location(&response), "/", "{next}");
    }
    // A real path still works, normalised and encoded.
    let visitor = app.client();
    visitor.page("/sign-in").await;
    let response = visitor
        .post_form(
            "/sign-in",
            &[
                ("email", ADMIN_EMAIL),
                ("password", ADMIN_PASSWORD),
                ("next", "/users/../roles?q=zoë"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/roles?q=zo%C3%AB");
}

#[tokio::test]
async fn return_to_of_the_column_settings_stays_on_site() {
    let (_app, admin) = spawn_app_with_admin().await;
    for next in HOSTILE_NEXT {
        let decoded = decoded(next);
        admin.page("/users").await;
        let response = admin
            .post_form(
                "/preferences/columns/users",
                &[("show", "email"), ("return_to", &decoded)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next}");
        assert_eq!(location(&response), "/", "{next}");
    }
    let response = admin
        .post_form(
            "/preferences/columns/users",
            &[
                ("show", "email"),
                ("return_to", "/users?sort=name&dir=desc"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/users?sort=name&dir=desc");
}

#[tokio::test]
async fn a_search_of_fifty_thousand_characters_is_cut_with_a_message() {
    let (_app, admin) = spawn_app_with_admin().await;
    let long = "a%25_".repeat(10_000);
    for path in ["/users", "/users/external", "/roles"] {
        let (status, page) = admin.page(&format!("{path}?q={long}")).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            page.contains("The search was too long: only its first 200 characters were used."),
            "{path}"
        );
        assert!(page.contains("maxlength=\"200\""), "{path}");
        let response = admin.get_with(&format!("{path}?q={long}"), htmx()).await;
        assert_eq!(response.status(), StatusCode::OK, "{path} (htmx)");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("only its first 200 characters"),
            "{path} (htmx)"
        );
    }
}

#[tokio::test]
async fn addresses_the_mailer_would_refuse_are_refused_at_the_form() {
    let (app, admin) = spawn_app_with_admin().await;
    let user = role_id(&app, first_organization_id(&app), "User").to_string();
    for email in ["\"<img/src=x>\"@a.test", "<ada@a.test>", "ada@a.test>"] {
        admin.page("/users/new").await;
        let response = admin
            .post_form("/users", &[("email", email), ("role_id", &user)])
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{email} (member)"
        );
        admin.page("/users/external/new").await;
        let response = admin
            .post_form(
                "/users/external",
                &[("email", email), ("expiry", "never"), ("expires_on", "")],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{email} (external)"
        );
    }
    assert!(app.outbox().is_empty(), "nothing was queued");
}

#[tokio::test]
async fn head_answers_as_get_without_a_body() {
    let (app, admin) = spawn_app_with_admin().await;
    for (client, path) in [
        (&app.client(), "/sign-in"),
        (&app.client(), "/forgot-password"),
        (&admin, "/"),
        (&admin, "/users"),
        (&admin, "/roles"),
        (&app.client(), "/healthz"),
        (&app.client(), "/static/app.css"),
    ] {
        let get = client.get(path).await;
        let head = client
            .http
            .head(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(head.status(), get.status(), "{path}");
        assert_eq!(
            head.headers().get("content-type"),
            get.headers().get("content-type"),
            "{path}"
        );
        assert!(
            head.headers().contains_key("content-security-policy"),
            "{path}"
        );
        assert!(head.bytes().await.unwrap().is_empty(), "{path}");
    }
    // Signed out, a console page sends HEAD to sign-in like GET.
    let head = app
        .client()
        .http
        .head(format!("{}/users", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::SEE_OTHER);
}

fn forwarded_from(origin: &str, forwarded: (&'static str, &str)) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("origin", HeaderValue::from_str(origin).unwrap());
    headers.insert(forwarded.0, HeaderValue::from_str(forwarded.1).unwrap());
    headers
}

#[tokio::test]
async fn forwarded_headers_are_believed_only_from_trusted_proxies() {
    let (_app, admin) = spawn_app_with_admin().await;
    for forwarded in [
        ("x-forwarded-host", "evil.test"),
        ("forwarded", "host=evil.test;proto=http"),
    ] {
        admin.page("/").await;
        let token = admin.csrf_token().unwrap();
        let response = admin
            .post_raw(
                "/sign-out",
                &[("csrf_token", &token)],
                forwarded_from("http://evil.test", forwarded),
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{forwarded:?}");
        assert_eq!(admin.get("/").await.status(), StatusCode::OK, "still in");
    }
}

#[tokio::test]
async fn a_trusted_proxy_may_say_which_host_was_asked_for() {
    let app = spawn_app_with(|settings| {
        settings.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    let admin = app.client();
    complete_setup(&app, &admin).await;
    admin.page("/").await;
    let token = admin.csrf_token().unwrap();
    let response = admin
        .post_raw(
            "/sign-out",
            &[("csrf_token", &token)],
            forwarded_from(
                "https://console.example.com",
                ("forwarded", "host=console.example.com;proto=https"),
            ),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}
