use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::helpers::*;

fn header(name: &'static str, value: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(name, HeaderValue::from_str(value).unwrap());
    headers
}

#[tokio::test]
async fn a_form_without_the_token_is_refused() {
    let (app, client) = spawn_app_with_admin().await;
    let response = client.post_raw("/sign-out", &[], HeaderMap::new()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("This form has expired")
    );
    // Still signed in: nothing happened.
    assert_eq!(client.get("/").await.status(), StatusCode::OK);
    let _ = app;
}

#[tokio::test]
async fn a_wrong_token_is_refused() {
    let (_app, client) = spawn_app_with_admin().await;
    let response = client
        .post_raw(
            "/sign-out",
            &[("csrf_token", "forged-token-forged-token-forged-token-0000")],
            HeaderMap::new(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(client.get("/").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_htmx_header_carries_the_token() {
    let (_app, client) = spawn_app_with_admin().await;
    client.page("/").await;
    let token = client.csrf_token().unwrap();
    let response = client
        .post_raw("/sign-out", &[], header("x-csrf-token", &token))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_foreign_origin_is_refused_even_with_the_token() {
    let (app, client) = spawn_app_with_admin().await;
    client.page("/").await;
    let token = client.csrf_token().unwrap();
    let response = client
        .post_raw(
            "/sign-out",
            &[("csrf_token", &token)],
            header("origin", "https://evil.example"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let cross_site = client
        .post_raw(
            "/sign-out",
            &[("csrf_token", &token)],
            header("sec-fetch-site", "cross-site"),
        )
        .await;
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    // Our own origin is fine.
    let response = client
        .post_raw(
            "/sign-out",
            &[("csrf_token", &token)],
            header("origin", &app.address),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn signing_in_also_needs_the_token() {
    let (app, _) = spawn_app_with_admin().await;
    let client = app.client();
    let response = client
        .post_raw(
            "/sign-in",
            &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)],
            HeaderMap::new(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Another visitor's anonymous token does not fit this browser.
    let other = app.client();
    other.page("/sign-in").await;
    client.page("/sign-in").await;
    let foreign = other.csrf_token().unwrap();
    let response = client
        .post_raw(
            "/sign-in",
            &[
                ("csrf_token", &foreign),
                ("email", ADMIN_EMAIL),
                ("password", ADMIN_PASSWORD),
            ],
            HeaderMap::new(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_session_token_changes_at_sign_in() {
    let (app, _) = spawn_app_with_admin().await;
    let client = app.client();
    client.page("/sign-in").await;
    let anonymous = client.csrf_token().unwrap();
    client.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    client.page("/").await;
    let signed_in = client.csrf_token().unwrap();
    assert_ne!(anonymous, signed_in);
    let stale = client
        .post_raw("/sign-out", &[("csrf_token", &anonymous)], HeaderMap::new())
        .await;
    assert_eq!(stale.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let (_app, client) = spawn_app_with_admin().await;
    client.page("/").await;
    let token = client.csrf_token().unwrap();
    let big = "x".repeat(200 * 1024);
    let response = client
        .post_raw(
            "/organizations/switch",
            &[("csrf_token", &token), ("padding", &big)],
            HeaderMap::new(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn get_requests_change_nothing() {
    let (_app, client) = spawn_app_with_admin().await;
    // Sign-out only acts on POST; a GET (a link, an <img>, a reload) is sent home, still
    // signed in.
    let response = client.get("/sign-out").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    assert_eq!(client.get("/").await.status(), StatusCode::OK);
}
