use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn a_fresh_instance_prints_a_setup_link_that_works_once() {
    let app = spawn_app().await;
    let link = app.setup_link.clone().expect("setup link");
    assert!(
        link.starts_with(&app.address),
        "{link} is built from the base URL"
    );

    let client = app.client();
    complete_setup(&app, &client).await;

    // The administrator is signed in and lands on the console with a welcome message.
    let (status, body) = client.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(ORGANIZATION));
    assert!(body.contains("Your organization is ready"));

    // The link is spent: its page and its form both refuse, clearly.
    let other = app.client();
    other.page("/sign-in").await;
    let (status, body) = other.page(&link).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("This setup link is no longer valid"));
    let again = other
        .post_form(
            &link,
            &[
                ("organization", "Second"),
                ("name", "Mallory"),
                ("email", "mallory@example.com"),
                ("password", "another long password"),
                ("password_confirmation", "another long password"),
            ],
        )
        .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    assert!(
        other
            .sign_in("mallory@example.com", "another long password")
            .await
            .status()
            != StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn without_the_link_nobody_can_create_the_first_account() {
    let app = spawn_app().await;
    let client = app.client();
    client.page("/sign-in").await;
    let (status, _) = client.page("/setup/not-the-token").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let response = client
        .post_form(
            "/setup/not-the-token",
            &[
                ("organization", "Evil"),
                ("name", "Mallory"),
                ("email", "mallory@example.com"),
                ("password", "another long password"),
                ("password_confirmation", "another long password"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // And the real link still works afterwards.
    complete_setup(&app, &client).await;
}

#[tokio::test]
async fn the_setup_form_explains_each_mistake_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let link = app.setup_link.clone().unwrap();
    let client = app.client();
    client.page(&link).await;
    let response = client
        .post_form(
            &link,
            &[
                ("organization", "  "),
                ("name", "Ada"),
                ("email", "not-an-email"),
                ("password", "short"),
                ("password_confirmation", "short"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("Enter the organization&#39;s name.")
            || body.contains("Enter the organization's name.")
    );
    assert!(body.contains("Enter an email address like name@example.com."));
    assert!(body.contains("Use at least 12 characters."));
    assert!(body.contains("value=\"not-an-email\""), "the email is kept");
    assert!(body.contains("aria-invalid=\"true\""));
    assert!(
        !body.contains("value=\"short\""),
        "passwords are never echoed back"
    );

    client.remember_csrf(&body);
    let mismatch = client
        .post_form(
            &link,
            &setup_form(ADMIN_PASSWORD, "something else entirely"),
        )
        .await;
    assert_unprocessable(mismatch, "The two passwords do not match.").await;
}

#[tokio::test]
async fn the_first_owner_is_an_administrator_of_the_new_organization() {
    let (_app, client) = spawn_app_with_admin().await;
    let (_, body) = client.page("/").await;
    assert!(body.contains("You own this organization."));
    assert!(body.contains("Admin"));
    // Members: the owner; roles: the built-in Administrator and User.
    assert!(body.contains("<dd>1</dd>"));
    assert!(body.contains("<dd>2</dd>"));
}

#[tokio::test]
async fn a_restart_with_accounts_prints_no_setup_link() {
    let first = spawn_app().await;
    complete_setup(&first, &first.client()).await;
    let settings = test_settings(&first.database);
    let restarted = gatehouse::startup::Application::build(settings, first.clock.clone())
        .await
        .unwrap();
    assert!(restarted.setup_link.is_none());
}
