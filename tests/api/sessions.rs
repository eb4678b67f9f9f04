use reqwest::StatusCode;
use reqwest::header::{COOKIE, HeaderMap, HeaderValue};
use time::Duration;

use crate::helpers::*;

fn session_value(set_cookie_header: &str) -> String {
    set_cookie_header
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, value)| value.to_owned())
        .unwrap()
}

/// The session id a sign-in answered with.
fn session_of(signed_in: reqwest::Response) -> String {
    session_value(&set_cookie(&signed_in, "gh_session").unwrap())
}

/// A bare client that sends exactly this session cookie, like a replayed request.
fn replay_headers(session: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        COOKIE,
        HeaderValue::from_str(&format!("gh_session={session}")).unwrap(),
    );
    headers
}

#[tokio::test]
async fn each_sign_in_gets_a_new_session_id_and_the_old_one_stops_working() {
    let (app, _) = spawn_app_with_admin().await;
    let client = app.client();
    let first = session_of(client.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let second = session_of(client.sign_in_again().await);
    assert_ne!(first, second);
    assert!(first.len() >= 22, "at least 128 bits");

    let bare = TestClient::new(&app.address);
    assert_eq!(
        bare.get_with("/", replay_headers(&first)).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        bare.get_with("/", replay_headers(&second)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_session_id_is_stored_only_as_a_hash() {
    use diesel::prelude::*;
    use gatehouse::db::schema::sessions;
    let (app, _) = spawn_app_with_admin().await;
    let client = app.client();
    let cookie = session_of(client.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let mut conn = app.pool.get().unwrap();
    let stored: Vec<String> = sessions::table
        .select(sessions::id_hash)
        .load(&mut conn)
        .unwrap();
    assert!(!stored.contains(&cookie));
    assert!(stored.contains(&gatehouse::crypto::token::hash_token(&cookie)));
}

#[tokio::test]
async fn a_session_ends_after_thirty_idle_minutes() {
    let (app, client) = spawn_app_with_admin().await;
    app.clock.advance(Duration::minutes(29));
    assert_eq!(
        client.get("/").await.status(),
        StatusCode::OK,
        "activity at 29 minutes"
    );
    app.clock.advance(Duration::minutes(29));
    assert_eq!(
        client.get("/").await.status(),
        StatusCode::OK,
        "29 minutes after the last activity"
    );
    app.clock.advance(Duration::minutes(31));
    let response = client.get("/").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/sign-in");
    let (_, body) = client.page("/sign-in").await;
    assert!(body.contains("Your session has expired."));
    let cleared = client.get("/").await;
    assert_eq!(
        location(&cleared),
        "/sign-in",
        "the stale cookie was removed"
    );
}

#[tokio::test]
async fn the_expiry_notice_is_shown_on_the_next_page() {
    let (app, client) = spawn_app_with_admin().await;
    app.clock.advance(Duration::minutes(45));
    // The request that finds the session expired is redirected; the sign-in page says why.
    let response = client.get("/sign-in").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Your session has expired.")
    );
}

#[tokio::test]
async fn a_session_ends_after_twelve_hours_however_active() {
    let (app, client) = spawn_app_with_admin().await;
    for _ in 0..35 {
        app.clock.advance(Duration::minutes(20));
        assert_eq!(client.get("/").await.status(), StatusCode::OK);
    }
    // 11 h 40 min so far; the next 20 minutes cross the 12-hour line.
    app.clock.advance(Duration::minutes(20));
    assert_eq!(client.get("/").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn lifetimes_are_configurable() {
    let app = spawn_app_with(|settings| settings.session_idle = Duration::minutes(5)).await;
    let client = app.client();
    complete_setup(&app, &client).await;
    app.clock.advance(Duration::minutes(6));
    assert_eq!(client.get("/").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn after_sign_out_a_replayed_cookie_is_anonymous() {
    let (app, _) = spawn_app_with_admin().await;
    let client = app.client();
    let cookie = session_of(client.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let response = client.sign_out().await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/sign-in");
    let cleared = set_cookie(&response, "gh_session").unwrap();
    assert!(cleared.contains("Max-Age=0"));
    let (_, body) = client.page("/sign-in").await;
    assert!(body.contains("You have signed out."));

    let bare = TestClient::new(&app.address);
    let replay = bare.get_with("/", replay_headers(&cookie)).await;
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
    assert!(location(&replay).starts_with("/sign-in"));
}

impl TestClient {
    /// Signs in while already signed in (a second sign-in in the same browser).
    async fn sign_in_again(&self) -> reqwest::Response {
        let response = self.get("/sign-in").await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "signed-in visitors skip the form"
        );
        self.page("/").await;
        self.post_form(
            "/sign-in",
            &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)],
        )
        .await
    }
}
