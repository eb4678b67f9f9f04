//! Authenticator apps through HTTP, as a person with a phone would use them: the key is read off
//! the setup page and the app's codes computed from it at the test clock's time. Setup, one step
//! of drift, each code once, recovery codes once each, the emailed fallback and its policy,
//! turning off with the password.

use diesel::prelude::*;
use gatehouse::clock::Clock;
use gatehouse::crypto::totp::{self, TotpSecret};
use gatehouse::db::schema::{audit_events, authenticator_apps};
use gatehouse::domain::ids::OrganizationId;
use gatehouse::domain::policy::{self, Policy, TwoFactorMode};
use reqwest::StatusCode;
use time::Duration;

use crate::helpers::*;
use crate::smtp_sink::SmtpSink;

fn require_two_factor(app: &TestApp, organization_id: OrganizationId, email_fallback: bool) {
    let mut conn = app.pool.get().unwrap();
    let policy = Policy {
        two_factor_mode: TwoFactorMode::Always,
        two_factor_email_fallback: email_fallback,
        ..policy::load(&mut conn, organization_id).unwrap()
    };
    policy::save(&mut conn, organization_id, &policy, &test_actor(app)).unwrap();
}

/// The key the setup page shows as text, as someone would type it into their app.
fn key_on_page(page: &str) -> TotpSecret {
    let start = page
        .find("class=\"setup-key\"")
        .expect("the key on the page");
    let text = &page[start..];
    let text = &text[text.find('>').unwrap() + 1..text.find("</code>").unwrap()];
    let base32: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    TotpSecret::from_bytes(
        data_encoding::BASE32_NOPAD
            .decode(base32.as_bytes())
            .expect("base32"),
    )
}

/// What the app shows `steps` steps from the test clock's now.
fn app_code(app: &TestApp, secret: &TotpSecret, steps: i64) -> String {
    secret.code_at_step(totp::step_of(app.clock.now()) + steps)
}

/// Codes shaped like the recovery codes (four groups of four base32 characters).
fn recovery_codes_in(page: &str) -> Vec<String> {
    let start = page
        .find("class=\"recovery-codes")
        .expect("the recovery codes");
    let list = &page[start..start + page[start..].find("</ol>").unwrap()];
    list.split("<li>")
        .skip(1)
        .map(|item| item[..item.find("</li>").unwrap()].trim().to_owned())
        .collect()
}

/// Sets up the admin's app through the profile: the key and the ten recovery codes.
async fn set_up_app(app: &TestApp, admin: &TestClient) -> (TotpSecret, Vec<String>) {
    let (status, page) = admin.page("/profile/two-factor").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Set up an authenticator app"), "{page}");
    let started = admin.post_form("/profile/two-factor/setup", &[]).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.page("/profile/two-factor").await;
    assert!(page.contains("<svg"), "the QR code is drawn on the page");
    let secret = key_on_page(&page);
    let confirmed = admin
        .post_form(
            "/profile/two-factor/confirm",
            &[("code", &app_code(app, &secret, 0))],
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let page = confirmed.text().await.unwrap();
    let codes = recovery_codes_in(&page);
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

fn actions(app: &TestApp) -> Vec<String> {
    let mut conn = app.pool.get().unwrap();
    audit_events::table
        .filter(audit_events::action.like("account.%"))
        .filter(audit_events::action.ne("account.signed-in"))
        .order(audit_events::id.asc())
        .select(audit_events::action)
        .load(&mut conn)
        .unwrap()
}

fn codes_emailed(sink: &SmtpSink) -> usize {
    sink.messages().len()
}

/// Signs the admin out and in again with the password: the code page, which asks for the app.
async fn sign_in_again(admin: &TestClient) -> String {
    admin.sign_out().await;
    let signed_in = admin.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let response = admin.get("/").await;
    assert_eq!(location(&response), "/two-factor");
    let (status, page) = admin.page("/two-factor").await;
    assert_eq!(status, StatusCode::OK);
    page
}

async fn enter(admin: &TestClient, code: &str) -> reqwest::Response {
    admin.post_form("/two-factor", &[("code", code)]).await
}

async fn refused(admin: &TestClient, code: &str) {
    let response = enter(admin, code).await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{code}"
    );
    let page = response.text().await.unwrap();
    assert!(
        page.contains("That code is not right or was already used."),
        "{page}"
    );
}

async fn accepted(admin: &TestClient, code: &str) -> reqwest::Response {
    let response = enter(admin, code).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{code}");
    assert_ne!(location(&admin.get("/").await), "/two-factor");
    response
}

#[tokio::test]
async fn setting_up_asks_for_a_first_code_and_shows_the_recovery_codes_once() {
    let (app, admin, _sink) = spawn_app_with_sink().await;
    admin.page("/profile/two-factor").await;
    admin.post_form("/profile/two-factor/setup", &[]).await;
    let (_, page) = admin.page("/profile/two-factor").await;
    let secret = key_on_page(&page);
    // The secret is stored sealed, never as the key the page shows.
    let stored: String = authenticator_apps::table
        .select(authenticator_apps::secret_sealed)
        .first(&mut app.pool.get().unwrap())
        .unwrap();
    assert!(!stored.contains(&secret.to_base32()));

    let wrong = admin
        .post_form(
            "/profile/two-factor/confirm",
            &[("code", &app_code(&app, &secret, 3))],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("That code doesn&#39;t match.")
    );
    let (_, page) = admin.page("/profile").await;
    assert!(page.contains("Set up an authenticator app"), "not on yet");

    // Starting over makes a new key; the first one no longer confirms.
    admin.post_form("/profile/two-factor/setup", &[]).await;
    let (_, page) = admin.page("/profile/two-factor").await;
    let secret_again = key_on_page(&page);
    assert_ne!(secret_again, secret);
    let confirmed = admin
        .post_form(
            "/profile/two-factor/confirm",
            &[("code", &app_code(&app, &secret_again, 0))],
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let codes = recovery_codes_in(&confirmed.text().await.unwrap());
    assert_eq!(codes.len(), 10);
    let distinct: std::collections::HashSet<_> = codes.iter().collect();
    assert_eq!(distinct.len(), 10);

    let (_, page) = admin.page("/profile/two-factor").await;
    assert!(page.contains("10 of 10 recovery codes left."), "{page}");
    assert!(!page.contains(&codes[0]), "the codes are shown once");
    // Another setup cannot replace a confirmed app.
    admin.post_form("/profile/two-factor/setup", &[]).await;
    let (_, page) = admin.page("/profile/two-factor").await;
    assert!(page.contains("10 of 10 recovery codes left."));
    assert_eq!(actions(&app), ["account.authenticator-added"]);
}

#[tokio::test]
async fn sign_in_takes_the_app_code_with_one_step_of_drift_each_code_once() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let (secret, _) = set_up_app(&app, &admin).await;
    require_two_factor(&app, first_organization_id(&app), true);
    // Past the step whose code confirmed the setup.
    app.clock.advance(Duration::seconds(60));

    let page = sign_in_again(&admin).await;
    assert!(page.contains("Open your authenticator app"), "{page}");
    assert!(page.contains("Email me a code instead"));
    assert_eq!(codes_emailed(&sink), 0, "nothing is emailed to an app user");

    // Two steps off is too far; a wrong code counts toward the sign-in lock.
    let before = account_failures(&app).unwrap_or(0);
    refused(&admin, &app_code(&app, &secret, -2)).await;
    refused(&admin, &app_code(&app, &secret, 2)).await;
    assert_eq!(account_failures(&app), Some(before + 2));
    // One step behind (a phone's clock a little slow) is accepted.
    let late = app_code(&app, &secret, -1);
    accepted(&admin, &late).await;

    // The same code never again, nor an older one; the current one once.
    sign_in_again(&admin).await;
    refused(&admin, &late).await;
    let current = app_code(&app, &secret, 0);
    accepted(&admin, &current).await;
    sign_in_again(&admin).await;
    refused(&admin, &current).await;
    app.clock.advance(Duration::seconds(30));
    accepted(&admin, &app_code(&app, &secret, 0)).await;
    assert_eq!(codes_emailed(&sink), 0);
}

#[tokio::test]
async fn each_recovery_code_works_once_and_new_ones_replace_them() {
    let (app, admin, _sink) = spawn_app_with_sink().await;
    let (_, codes) = set_up_app(&app, &admin).await;
    require_two_factor(&app, first_organization_id(&app), true);

    sign_in_again(&admin).await;
    // Typed in capitals with spaces: read the same.
    let typed = codes[0].replace('-', " ").to_uppercase();
    let response = enter(&admin, &typed).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/profile/two-factor");
    let (status, page) = admin.page("/profile/two-factor").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("You signed in with a recovery code"),
        "{page}"
    );
    assert!(page.contains("9 of 10 recovery codes left."));

    sign_in_again(&admin).await;
    refused(&admin, &codes[0]).await;
    accepted(&admin, &codes[1]).await;

    // New codes need the password; the old ones stop working.
    admin.page("/profile/two-factor").await;
    let wrong = admin
        .post_form(
            "/profile/two-factor/recovery-codes",
            &[("current_password", "not my password")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let renewed = admin
        .post_form(
            "/profile/two-factor/recovery-codes",
            &[("current_password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(renewed.status(), StatusCode::OK);
    let new_codes = recovery_codes_in(&renewed.text().await.unwrap());
    assert_eq!(new_codes.len(), 10);
    sign_in_again(&admin).await;
    refused(&admin, &codes[2]).await;
    accepted(&admin, &new_codes[0]).await;
    assert_eq!(
        actions(&app),
        [
            "account.authenticator-added",
            "account.recovery-code-used",
            "account.recovery-code-used",
            "account.recovery-codes-renewed",
            "account.recovery-code-used",
        ]
    );
}

#[tokio::test]
async fn an_emailed_code_on_request_unless_the_organization_turns_it_off() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let (secret, _) = set_up_app(&app, &admin).await;
    let organization_id = first_organization_id(&app);
    require_two_factor(&app, organization_id, true);

    sign_in_again(&admin).await;
    let sent = admin.post_form("/two-factor/resend", &[]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let messages = sink.wait_for_messages(1).await;
    let text = messages[0].text.clone().unwrap();
    let emailed = text
        .lines()
        .map(str::trim)
        .find(|line| line.len() == 6 && line.chars().all(|c| c.is_ascii_digit()))
        .expect("a code in the email")
        .to_owned();
    let (_, page) = admin.page("/two-factor").await;
    assert!(page.contains("Enter the code we emailed to"), "{page}");
    accepted(&admin, &emailed).await;

    // Turned off: no offer, and asking anyway sends nothing; the app still works.
    require_two_factor(&app, organization_id, false);
    let page = sign_in_again(&admin).await;
    assert!(!page.contains("Email me a code instead"), "{page}");
    let asked = admin.post_form("/two-factor/resend", &[]).await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&asked), "/two-factor");
    app.clock.advance(Duration::seconds(31));
    accepted(&admin, &app_code(&app, &secret, 0)).await;
    assert_eq!(codes_emailed(&sink), 1, "no second email");
}

#[tokio::test]
async fn turning_it_off_needs_the_password_and_brings_emailed_codes_back() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let (_, codes) = set_up_app(&app, &admin).await;

    let wrong = admin
        .post_form(
            "/profile/two-factor/turn-off",
            &[("current_password", "not my password")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("aria-describedby=\"turn-off-password-error")
    );
    let off = admin
        .post_form(
            "/profile/two-factor/turn-off",
            &[("current_password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.page("/profile/two-factor").await;
    assert!(page.contains("Authenticator app turned off."), "{page}");
    assert!(page.contains("Set up an authenticator app"));

    require_two_factor(&app, first_organization_id(&app), false);
    let page = sign_in_again(&admin).await;
    assert!(page.contains("We emailed a 6-digit code"), "{page}");
    sink.wait_for_messages(1).await;
    let response = enter(&admin, &codes[0]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        actions(&app),
        [
            "account.authenticator-added",
            "account.authenticator-removed"
        ]
    );
}

#[tokio::test]
async fn another_instance_on_the_database_reads_the_sealed_secret() {
    let (app, admin, _sink) = spawn_app_with_sink().await;
    let (secret, _) = set_up_app(&app, &admin).await;
    require_two_factor(&app, first_organization_id(&app), false);
    if gatehouse::db::sqlite_file(&app.database.url).is_some() {
        // The key a fresh SQLite console made for itself, readable by its owner only.
        let key_file = app.database.dir.path().join("secret.key");
        let mode = std::fs::metadata(&key_file).unwrap().permissions();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
            0o600
        );
    }
    let mut settings = test_settings(&app.database);
    settings.bind = "127.0.0.1:0".into();
    let second = gatehouse::startup::Application::build(settings, app.clock.clone())
        .await
        .unwrap();
    let client = TestClient::new(&format!("http://127.0.0.1:{}", second.port()));
    tokio::spawn(second.run_until_stopped());
    client.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, page) = client.page("/two-factor").await;
    assert!(page.contains("Open your authenticator app"), "{page}");
    app.clock.advance(Duration::seconds(30));
    accepted(&client, &app_code(&app, &secret, 0)).await;
}

#[tokio::test]
async fn an_admin_resets_the_app_of_a_member_of_this_organization_alone() {
    let (app, admin, _sink) = spawn_app_with_sink().await;
    let organization_id = first_organization_id(&app);
    let member = add_member(&app, organization_id, "lost.phone@example.com", &["User"]);
    let phone_owner = app
        .signed_in_client("lost.phone@example.com", ADMIN_PASSWORD)
        .await;
    set_up_app(&app, &phone_owner).await;

    let path = format!("/users/{member}/two-factor");
    let (status, page) = admin.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("lost.phone@example.com will no longer be asked"),
        "{page}"
    );
    let reset = admin.post_form(&path, &[]).await;
    assert_eq!(reset.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.page(&path).await;
    assert!(page.contains("has no authenticator app"), "{page}");
    let (_, page) = phone_owner.page("/profile/two-factor").await;
    assert!(page.contains("Set up an authenticator app"));
    let mut conn = app.pool.get().unwrap();
    let events: Vec<String> = audit_events::table
        .filter(audit_events::action.eq("member.authenticator-reset"))
        .select(audit_events::target.assume_not_null())
        .load(&mut conn)
        .unwrap();
    assert_eq!(events, ["lost.phone@example.com"]);
    drop(conn);

    // Not the owner's (they turn it off themselves), nor through the API for a member with none.
    set_up_app(&app, &admin).await;
    let owner_member = {
        use gatehouse::db::schema::memberships;
        let mut conn = app.pool.get().unwrap();
        memberships::table
            .filter(memberships::account_id.eq(admin_account_id(&app)))
            .select(memberships::id)
            .first::<gatehouse::domain::ids::MembershipId>(&mut conn)
            .unwrap()
    };
    let token = owner_token_named(&app, "reset script");
    let refused = api_call(
        &app,
        &token,
        reqwest::Method::DELETE,
        &format!("/api/v1/members/{owner_member}/authenticator"),
        None,
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let none = api_call(
        &app,
        &token,
        reqwest::Method::DELETE,
        &format!("/api/v1/members/{member}/authenticator"),
        None,
    )
    .await;
    assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Nor for someone another organization has too: the app guards them there as well.
    set_up_app(&app, &phone_owner).await;
    {
        use gatehouse::domain::organization;
        let mut conn = app.pool.get().unwrap();
        let owner = admin_account_id(&app);
        let actor = gatehouse::domain::audit::Actor::person(owner, None, app.clock.now());
        let other = organization::create_with_owner(&mut conn, "Other Co", owner, &actor).unwrap();
        drop(conn);
        add_member(&app, other.id, "lost.phone@example.com", &["User"]);
    }
    admin.page(&path).await;
    let refused = admin.post_form(&path, &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("also belongs to other organizations")
    );
}
