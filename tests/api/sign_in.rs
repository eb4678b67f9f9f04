use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn the_right_password_signs_in_and_lands_where_asked() {
    let (app, _) = spawn_app_with_admin().await;
    let client = app.client();
    let (status, _) = client.page("/sign-in?next=%2F%3Ftab%3D2").await;
    assert_eq!(status, StatusCode::OK);
    let response = client
        .post_form(
            "/sign-in",
            &[
                ("email", "  ADA@example.com "),
                ("password", ADMIN_PASSWORD),
                ("next", "/?tab=2"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/?tab=2");
    let cookie = set_cookie(&response, "gh_session").expect("session cookie");
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(cookie.contains("Path=/"));
    assert!(
        !cookie.contains("Secure"),
        "plain http base URL: no Secure flag"
    );
    let (status, body) = client.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(ADMIN_NAME));
}

#[tokio::test]
async fn next_never_leads_off_site() {
    let (app, _) = spawn_app_with_admin().await;
    let client = app.client();
    client.page("/sign-in").await;
    let response = client
        .post_form(
            "/sign-in",
            &[
                ("email", ADMIN_EMAIL),
                ("password", ADMIN_PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/");
}

#[tokio::test]
async fn wrong_password_and_unknown_email_answer_the_same() {
    let (app, _) = spawn_app_with_admin().await;
    let client = app.client();

    let wrong_password = client.sign_in(ADMIN_EMAIL, "not the password at all").await;
    let wrong_status = wrong_password.status();
    let wrong_body = wrong_password.text().await.unwrap();
    let unknown = client
        .sign_in("nobody@example.com", "not the password at all")
        .await;
    let unknown_status = unknown.status();
    let unknown_body = unknown.text().await.unwrap();

    assert_eq!(wrong_status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_status, unknown_status);
    assert!(wrong_body.contains("The email or password is incorrect."));
    assert!(unknown_body.contains("The email or password is incorrect."));
    // The pages differ only in the echoed email and their CSRF token (none: same anonymous token).
    assert_eq!(
        wrong_body.replace(ADMIN_EMAIL, "EMAIL"),
        unknown_body.replace("nobody@example.com", "EMAIL")
    );
    // Still anonymous.
    let response = client.get("/").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn every_character_of_a_long_password_counts() {
    let app = spawn_app().await;
    let client = app.client();
    let long = format!("{}{}", "x".repeat(80), "tail-1");
    let link = app.setup_link.clone().unwrap();
    client.page(&link).await;
    let response = client.post_form(&link, &setup_form(&long, &long)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let other = app.client();
    let almost = format!("{}{}", "x".repeat(80), "tail-2");
    assert_eq!(
        other.sign_in(ADMIN_EMAIL, &almost).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        other.sign_in(ADMIN_EMAIL, &long).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in_and_brought_back() {
    let (app, _) = spawn_app_with_admin().await;
    let client = app.client();
    let response = client.get("/?tab=members").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/sign-in?next=%2F%3Ftab%3Dmembers");
}

#[tokio::test]
async fn a_signed_in_visit_to_sign_in_goes_to_the_console() {
    let (_app, client) = spawn_app_with_admin().await;
    let response = client.get("/sign-in").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
}
