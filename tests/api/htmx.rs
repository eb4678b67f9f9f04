use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use time::Duration;

use crate::helpers::*;

fn htmx_headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in pairs {
        headers.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    headers
}

/// Caches must keep the fragment and the full page of one URL apart.
fn assert_varies_on_htmx(response: &reqwest::Response) {
    let vary = response.headers().get("vary").unwrap().to_str().unwrap();
    assert!(vary.contains("HX-Request"), "Vary: {vary}");
}

#[tokio::test]
async fn htmx_requests_get_the_fragment_and_boosted_ones_the_page() {
    let (_app, client) = spawn_app_with_admin().await;
    let fragment = client
        .get_with("/", htmx_headers(&[("hx-request", "true")]))
        .await;
    assert_eq!(fragment.status(), StatusCode::OK);
    assert_varies_on_htmx(&fragment);
    let body = fragment.text().await.unwrap();
    assert!(!body.contains("<html"), "a fragment, not a document");
    assert!(body.contains(ORGANIZATION));

    for extra in ["hx-boosted", "hx-history-restore-request"] {
        let page = client
            .get_with(
                "/",
                htmx_headers(&[("hx-request", "true"), (extra, "true")]),
            )
            .await;
        assert!(
            page.text().await.unwrap().contains("<html"),
            "{extra} gets the full page"
        );
    }
    let plain = client.get("/").await;
    assert_varies_on_htmx(&plain);
}

#[tokio::test]
async fn an_expired_session_during_htmx_sends_the_browser_to_sign_in() {
    let (app, client) = spawn_app_with_admin().await;
    app.clock.advance(Duration::hours(1));
    let response = client
        .get_with(
            "/",
            htmx_headers(&[
                ("hx-request", "true"),
                ("hx-current-url", &format!("{}/?page=3", app.address)),
            ]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers().get("hx-redirect").unwrap(),
        "/sign-in?next=%2F%3Fpage%3D3"
    );
    assert!(
        response.text().await.unwrap().is_empty(),
        "no login form swapped into the page"
    );
}

#[tokio::test]
async fn redirects_after_htmx_posts_become_hx_redirect() {
    let (_app, client) = spawn_app_with_admin().await;
    client.page("/").await;
    let token = client.csrf_token().unwrap();
    let response = client
        .post_raw(
            "/sign-out",
            &[],
            htmx_headers(&[("hx-request", "true"), ("x-csrf-token", &token)]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get("hx-redirect").unwrap(), "/sign-in");
}

/// A failed form is shown at the address it posted to; Reload or Back there is a GET, which must
/// land on the form's page again, never on "Page not found".
#[tokio::test]
async fn every_address_a_form_posts_to_answers_a_get_with_its_page() {
    let (_app, admin, ids) = crate::scenario::arrange().await;
    let mut failures = Vec::new();
    for route in crate::scenario::routes(&ids) {
        if route.method != "POST" {
            continue;
        }
        let path = route.path.split('?').next().unwrap_or_default().to_owned();
        let response = admin.get(&path).await;
        let status = response.status();
        // Follow the redirects (the two-factor page sends a signed-in admin home).
        let (mut landing, mut next) = (status, location(&response));
        for _ in 0..3 {
            if landing != StatusCode::SEE_OTHER {
                break;
            }
            let response = admin.get(&next).await;
            (landing, next) = (response.status(), location(&response));
        }
        // 409 is a page too: it explains why the row is not in a state for that action.
        let is_page =
            |status: StatusCode| status == StatusCode::OK || status == StatusCode::CONFLICT;
        if !(is_page(status) || status == StatusCode::SEE_OTHER) || !is_page(landing) {
            failures.push(format!("GET {path}: {status}, then {landing}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
