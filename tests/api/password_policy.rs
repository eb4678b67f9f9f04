//! Password expiry and history: an expired password holds the session on the change page, a new
//! password may not repeat the last N, and an account in several organizations meets the
//! strictest of their policies.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::helpers::*;

const EXPIRED: &str = "/password-expired";
const REUSED: &str = "You used this password recently.";

/// Posts the policies form with the defaults where the test does not say otherwise.
async fn save_policies(admin: &TestClient, fields: &[(&str, &str)]) {
    let (status, _) = admin.page("/policies").await;
    assert_eq!(status, StatusCode::OK);
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    for (name, default) in [
        ("password_expiry_days", "90"),
        ("password_history", "5"),
        ("inactivity_days", "90"),
    ] {
        if !fields.iter().any(|(field, _)| *field == name) {
            all.push((name, default));
        }
    }
    let response = admin.post_form("/policies", &all).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "policies saved");
}

/// The n-th password of a test: long enough, and all different.
fn password(n: usize) -> String {
    format!("passphrase number {n} for testing")
}

/// Changes the password on the profile page and returns the response.
async fn change_on_profile(client: &TestClient, current: &str, new: &str) -> reqwest::Response {
    let (status, _) = client.page("/profile").await;
    assert_eq!(status, StatusCode::OK);
    client
        .post_form(
            "/profile/password",
            &[
                ("current_password", current),
                ("password", new),
                ("password_confirmation", new),
            ],
        )
        .await
}

/// Changes the password on the profile and expects it to be accepted.
async fn changed_on_profile(client: &TestClient, current: &str, new: &str) {
    let response = change_on_profile(client, current, new).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{new:?} accepted: {}",
        response.text().await.unwrap_or_default()
    );
}

/// Expects the profile to refuse `new` as a recent password (with the policy's count).
async fn refused_as_reused(client: &TestClient, current: &str, new: &str, count: usize) {
    let response = change_on_profile(client, current, new).await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{new:?} refused"
    );
    let page = response.text().await.unwrap();
    assert!(page.contains(REUSED), "{new:?}: the reuse message");
    assert!(
        page.contains(&format!("for your last {count} passwords")),
        "{new:?}: the policy's count"
    );
    assert!(!page.contains(new), "passwords are never sent back");
}

fn account_id(app: &TestApp, email: &str) -> gatehouse::domain::ids::AccountId {
    use diesel::prelude::*;
    use gatehouse::db::schema::accounts;
    let mut conn = app.pool.get().unwrap();
    accounts::table
        .filter(accounts::email.eq(email))
        .select(accounts::id)
        .first(&mut conn)
        .unwrap()
}

fn history_rows(app: &TestApp, account_id: gatehouse::domain::ids::AccountId) -> i64 {
    use diesel::prelude::*;
    use gatehouse::db::schema::password_history;
    let mut conn = app.pool.get().unwrap();
    password_history::table
        .filter(password_history::account_id.eq(account_id))
        .count()
        .get_result(&mut conn)
        .unwrap()
}

/// Signs in and answers where the console sends the account next (empty when a page opens).
async fn where_sign_in_leads(app: &TestApp, password: &str) -> (TestClient, String) {
    let client = app.signed_in_client(ADMIN_EMAIL, password).await;
    let response = client.get("/").await;
    let target = match response.status() {
        StatusCode::OK => String::new(),
        StatusCode::SEE_OTHER => location(&response),
        other => panic!("unexpected {other}"),
    };
    (client, target)
}

#[tokio::test]
async fn an_expired_password_must_be_changed_before_anything_else() {
    let (app, admin) = spawn_app_with_admin().await;
    let account = account_id(&app, ADMIN_EMAIL);
    // Still valid on day 89 (the default policy is 90 days).
    app.clock.advance(time::Duration::days(89));
    let (_, target) = where_sign_in_leads(&app, ADMIN_PASSWORD).await;
    assert_eq!(target, "", "not expired yet");
    let (status, _) = app.client().page(EXPIRED).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed out: sign in first");
    drop(admin);

    app.clock.advance(time::Duration::days(2));
    let other_session = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (client, target) = where_sign_in_leads(&app, ADMIN_PASSWORD).await;
    assert_eq!(target, EXPIRED);
    for path in ["/", "/profile", "/users", "/policies", "/organizations"] {
        let response = client.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), EXPIRED, "{path}");
    }
    // htmx requests get HX-Redirect, so the whole page is replaced.
    let mut htmx = HeaderMap::new();
    htmx.insert("hx-request", HeaderValue::from_static("true"));
    let response = client.get_with("/users", htmx).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .headers()
            .get("hx-redirect")
            .and_then(|v| v.to_str().ok()),
        Some(EXPIRED)
    );

    let (status, page) = client.page(EXPIRED).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Your password has expired"));
    assert!(page.contains("action=\"/password-expired\""));
    assert!(page.contains("autocomplete=\"current-password\""));
    // Static files still load (the page needs its stylesheet).
    let marker = "rel=\"stylesheet\" href=\"";
    let start = page.find(marker).unwrap() + marker.len();
    let css = &page[start..start + page[start..].find('"').unwrap()];
    assert_eq!(client.get(css).await.status(), StatusCode::OK, "{css}");
    // Unsafe requests elsewhere are sent to the page too, and change nothing.
    let response = client
        .post_form(
            "/profile",
            &[
                ("name", "Someone Else"),
                ("language", "en"),
                ("time_zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(location(&response), EXPIRED);

    // The old password cannot be kept.
    let reused = client
        .post_form(
            EXPIRED,
            &[
                ("current_password", ADMIN_PASSWORD),
                ("password", ADMIN_PASSWORD),
                ("password_confirmation", ADMIN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = reused.text().await.unwrap();
    assert!(page.contains(REUSED));
    assert!(page.contains("for your last 5 passwords"));
    // The current password is checked, and the policy's rules apply.
    let wrong = client
        .post_form(
            EXPIRED,
            &[
                ("current_password", "not my password at all"),
                ("password", &password(1)),
                ("password_confirmation", &password(1)),
            ],
        )
        .await;
    assert_unprocessable(wrong, "That is not your current password.").await;
    let short = client
        .post_form(
            EXPIRED,
            &[
                ("current_password", ADMIN_PASSWORD),
                ("password", "short"),
                ("password_confirmation", "short"),
            ],
        )
        .await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        client.get("/").await.status(),
        StatusCode::SEE_OTHER,
        "still held on the page"
    );

    // A new password opens the console.
    let changed = client
        .post_form(
            EXPIRED,
            &[
                ("current_password", ADMIN_PASSWORD),
                ("password", &password(1)),
                ("password_confirmation", &password(1)),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&changed), "/");
    let (status, page) = client.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Password changed."));
    assert_eq!(
        client.get(EXPIRED).await.status(),
        StatusCode::SEE_OTHER,
        "the page is only for expired passwords"
    );
    assert!(
        location(&other_session.get("/").await).starts_with("/sign-in"),
        "the other sessions ended"
    );
    assert_eq!(history_rows(&app, account), 2, "setup and the change");

    // The new password is fresh: signing in with it opens the console at once.
    let (_, target) = where_sign_in_leads(&app, &password(1)).await;
    assert_eq!(target, "");
}

#[tokio::test]
async fn signing_out_works_while_the_password_is_expired() {
    let (app, _admin) = spawn_app_with_admin().await;
    app.clock.advance(time::Duration::days(91));
    let (client, target) = where_sign_in_leads(&app, ADMIN_PASSWORD).await;
    assert_eq!(target, EXPIRED);
    client.page(EXPIRED).await;
    let response = client.post_form("/sign-out", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/sign-in"));
    assert!(location(&client.get("/").await).starts_with("/sign-in"));
}

#[tokio::test]
async fn expiry_zero_means_passwords_never_expire() {
    let (app, admin) = spawn_app_with_admin().await;
    save_policies(
        &admin,
        &[("password_expiry_days", "0"), ("inactivity_days", "0")],
    )
    .await;
    app.clock.advance(time::Duration::days(5 * 365));
    let (_, target) = where_sign_in_leads(&app, ADMIN_PASSWORD).await;
    assert_eq!(target, "", "no expiry after years");
}

#[tokio::test]
async fn history_refuses_each_of_the_last_five_passwords_and_accepts_the_sixth() {
    let (app, admin) = spawn_app_with_admin().await;
    let account = account_id(&app, ADMIN_EMAIL);
    assert_eq!(history_rows(&app, account), 1, "setup records the first");
    // ADMIN_PASSWORD, then 1..=5: the last five are 1..=5 (5 is the current one).
    let mut current = ADMIN_PASSWORD.to_owned();
    for n in 1..=5 {
        changed_on_profile(&admin, &current, &password(n)).await;
        current = password(n);
    }
    for n in (1..=5).rev() {
        refused_as_reused(&admin, &current, &password(n), 5).await;
    }
    // The sixth most recent is allowed again.
    changed_on_profile(&admin, &current, ADMIN_PASSWORD).await;
    assert_eq!(
        app.client()
            .sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn history_zero_allows_reuse() {
    let (_app, admin) = spawn_app_with_admin().await;
    save_policies(&admin, &[("password_history", "0")]).await;
    changed_on_profile(&admin, ADMIN_PASSWORD, &password(1)).await;
    changed_on_profile(&admin, &password(1), ADMIN_PASSWORD).await;
    // Even the current password again.
    changed_on_profile(&admin, ADMIN_PASSWORD, ADMIN_PASSWORD).await;
}

#[tokio::test]
async fn the_strictest_policy_among_the_accounts_organizations_applies() {
    use gatehouse::clock::Clock;
    use gatehouse::domain::audit::Actor;
    use gatehouse::domain::policy::{self, Policy};
    let (app, admin) = spawn_app_with_admin().await;
    let account = account_id(&app, ADMIN_EMAIL);
    {
        let mut conn = app.pool.get().unwrap();
        let actor = Actor::person(account, None, app.clock.now());
        let second = gatehouse::domain::organization::create_with_owner(
            &mut conn,
            "Difference Engines",
            account,
            &actor,
        )
        .unwrap();
        policy::save(
            &mut conn,
            second.id,
            &Policy {
                password_history: 10,
                password_expiry_days: 30,
                ..Policy::default()
            },
            &actor,
        )
        .unwrap();
    }
    // The first organization has no policy row: its defaults (history 5, 90 days) count too.
    let mut current = ADMIN_PASSWORD.to_owned();
    for n in 1..=6 {
        changed_on_profile(&admin, &current, &password(n)).await;
        current = password(n);
    }
    // Seven passwords ago: fine under history 5, refused under the other organization's 10.
    refused_as_reused(&admin, &current, ADMIN_PASSWORD, 10).await;

    // 31 days: within the first organization's 90, past the second's 30.
    app.clock.advance(time::Duration::days(31));
    let (_, target) = where_sign_in_leads(&app, &current).await;
    assert_eq!(target, EXPIRED);
}

#[tokio::test]
async fn a_reset_link_refuses_a_recent_password() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    changed_on_profile(&admin, ADMIN_PASSWORD, &password(1)).await;

    let visitor = app.client();
    visitor.page("/forgot-password").await;
    visitor
        .post_form("/forgot-password", &[("email", ADMIN_EMAIL)])
        .await;
    let reset = sink.wait_for_messages(1).await[0].links()[0].clone();
    visitor.page(&reset).await;
    for recent in [ADMIN_PASSWORD.to_owned(), password(1)] {
        let refused = visitor
            .post_form(
                &reset,
                &[("password", &recent), ("password_confirmation", &recent)],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = refused.text().await.unwrap();
        assert!(page.contains(REUSED), "{recent:?}");
        assert!(page.contains("for your last 5 passwords"));
    }
    let accepted = visitor
        .post_form(
            &reset,
            &[
                ("password", &password(2)),
                ("password_confirmation", &password(2)),
            ],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.client()
            .sign_in(ADMIN_EMAIL, &password(2))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    // The reset password joins the history: the profile refuses it now.
    let (client, _) = where_sign_in_leads(&app, &password(2)).await;
    changed_on_profile(&client, &password(2), &password(3)).await;
    refused_as_reused(&client, &password(3), &password(2), 5).await;
}
