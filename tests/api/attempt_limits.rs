//! Every secret a person types to prove something is limited like the sign-in password: the
//! profile's and the expired-password page's "current password" count toward the account's
//! sign-in lock (and are not checked while it is locked), and "forgot password" is limited per
//! email and per address with one live link per account. Two-factor codes are in two_factor.rs,
//! client tokens in partner_tokens.rs.

use diesel::prelude::*;
use gatehouse::clock::Clock;
use gatehouse::db::schema::{accounts, outbox_messages, password_reset_tokens};
use reqwest::StatusCode;
use time::Duration;

use crate::helpers::*;

const NEW_PASSWORD: &str = "a brand new passphrase 2026";
const WRONG: &str = "surely not the password";
const LOCKED: &str = "Too many wrong passwords. Wait a few minutes, then try again.";

async fn change_password(client: &TestClient, path: &str, current: &str) -> reqwest::Response {
    // The form's page, for its CSRF token.
    client
        .page(path.strip_suffix("/password").unwrap_or(path))
        .await;
    client
        .post_form(
            path,
            &[
                ("current_password", current),
                ("password", NEW_PASSWORD),
                ("password_confirmation", NEW_PASSWORD),
            ],
        )
        .await
}

async fn refused_with(response: reqwest::Response, message: &str) {
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains(message), "{message}");
}

/// Ten wrong current passwords lock the account: the right one is then not even checked, and
/// works once the lock has passed.
async fn current_password_is_limited(app: &TestApp, client: &TestClient, path: &str) {
    for _ in 0..10 {
        let response = change_password(client, path, WRONG).await;
        refused_with(response, "That is not your current password.").await;
    }
    let response = change_password(client, path, ADMIN_PASSWORD).await;
    refused_with(response, LOCKED).await;
    // It is the account's sign-in lock: signing in elsewhere is refused too.
    let elsewhere = app.client();
    assert_eq!(
        elsewhere
            .sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    app.clock.advance(Duration::minutes(1));
    let response = change_password(client, path, ADMIN_PASSWORD).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "changed after the lock"
    );
    let signed_in = app.client();
    assert_eq!(
        signed_in.sign_in(ADMIN_EMAIL, NEW_PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_profiles_current_password_counts_toward_the_sign_in_lock() {
    let (app, admin) = spawn_app_with_admin().await;
    current_password_is_limited(&app, &admin, "/profile/password").await;
}

#[tokio::test]
async fn the_expired_password_pages_current_password_counts_toward_the_sign_in_lock() {
    let (app, _) = spawn_app_with_admin().await;
    app.clock.advance(Duration::days(91));
    let client = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(location(&client.get("/").await), "/password-expired");
    current_password_is_limited(&app, &client, "/password-expired").await;
}

#[tokio::test]
async fn an_empty_current_password_is_asked_for_and_not_counted() {
    let (app, admin) = spawn_app_with_admin().await;
    for _ in 0..12 {
        let response = change_password(&admin, "/profile/password", "").await;
        refused_with(response, "Enter your current password.").await;
    }
    let response = change_password(&admin, "/profile/password", ADMIN_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    drop(app);
}

fn reset_emails(app: &TestApp, recipient: &str) -> i64 {
    let mut conn = app.pool.get().unwrap();
    outbox_messages::table
        .filter(outbox_messages::kind.eq("password-reset"))
        .filter(outbox_messages::recipient.eq(recipient))
        .count()
        .get_result(&mut conn)
        .unwrap()
}

async fn ask_for_reset(app: &TestApp, email: &str) {
    let visitor = app.client();
    visitor.page("/forgot-password").await;
    let response = visitor
        .post_form("/forgot-password", &[("email", email)])
        .await;
    assert_eq!(response.status(), StatusCode::OK, "the same answer");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("If an account exists for that address")
    );
}

#[tokio::test]
async fn forgot_password_is_limited_per_email_and_keeps_one_live_link() {
    let (app, _admin, sink) = spawn_app_with_sink().await;

    for _ in 0..30 {
        ask_for_reset(&app, ADMIN_EMAIL).await;
    }
    assert_eq!(reset_emails(&app, ADMIN_EMAIL), 3, "three, then locked");
    let messages = sink.wait_for_messages(3).await;
    let links: Vec<String> = messages
        .iter()
        .map(|message| message.links().into_iter().next().unwrap())
        .collect();
    // Only the newest link works.
    let visitor = app.client();
    for old in &links[..2] {
        let (status, _) = visitor.page(old).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "an older link is void");
    }
    let (status, _) = visitor.page(&links[2]).await;
    assert_eq!(status, StatusCode::OK);
    let live: i64 = {
        let mut conn = app.pool.get().unwrap();
        password_reset_tokens::table
            .filter(password_reset_tokens::used_at.is_null())
            .count()
            .get_result(&mut conn)
            .unwrap()
    };
    assert_eq!(live, 1);

    // The lock passes: one more email, and again only one live link.
    app.clock.advance(Duration::minutes(1));
    ask_for_reset(&app, ADMIN_EMAIL).await;
    assert_eq!(reset_emails(&app, ADMIN_EMAIL), 4);
    ask_for_reset(&app, ADMIN_EMAIL).await;
    assert_eq!(
        reset_emails(&app, ADMIN_EMAIL),
        4,
        "locked again, for longer"
    );
}

#[tokio::test]
async fn forgot_password_is_limited_per_address_across_emails() {
    let (app, _) = spawn_app_with_admin().await;
    // Accounts with passwords, each asked for once from the same address.
    let organization_id = first_organization_id(&app);
    let emails: Vec<String> = (0..25).map(|n| format!("person{n}@example.com")).collect();
    for email in &emails {
        add_member(&app, organization_id, email, &["User"]);
    }
    for email in &emails {
        ask_for_reset(&app, email).await;
    }
    let sent: i64 = {
        let mut conn = app.pool.get().unwrap();
        outbox_messages::table
            .filter(outbox_messages::kind.eq("password-reset"))
            .count()
            .get_result(&mut conn)
            .unwrap()
    };
    assert_eq!(sent, 20, "the address locks at its 20th request");
}

#[tokio::test]
async fn unknown_emails_are_limited_like_known_ones() {
    let (app, _) = spawn_app_with_admin().await;
    for _ in 0..3 {
        ask_for_reset(&app, "Nobody@Example.com").await;
    }
    let locked: Option<Option<time::PrimitiveDateTime>> = {
        use gatehouse::db::schema::sign_in_throttles;
        let mut conn = app.pool.get().unwrap();
        sign_in_throttles::table
            .find(("reset-email", "nobody@example.com"))
            .select(sign_in_throttles::locked_until)
            .first(&mut conn)
            .optional()
            .unwrap()
    };
    assert_eq!(
        locked,
        Some(Some(app.clock.now() + Duration::minutes(1))),
        "the limit tells nothing about who has an account"
    );
    let accounts: i64 = {
        let mut conn = app.pool.get().unwrap();
        accounts::table.count().get_result(&mut conn).unwrap()
    };
    assert_eq!(accounts, 1, "no account was made for the unknown email");
}
