//! Two-factor authentication by emailed code, through HTTP, with the code read from the SMTP
//! sink: "on every sign-in", "every N days" with a trusted-device cookie, off, wrong and expired
//! codes, and switching organizations.

use diesel::prelude::*;
use gatehouse::clock::Clock;
use gatehouse::db::schema::sign_in_throttles;
use gatehouse::domain::organization;
use gatehouse::domain::policy::{self, Policy, TwoFactorMode};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use time::Duration;

use crate::helpers::*;
use crate::smtp_sink::SmtpSink;
use gatehouse::domain::ids::OrganizationId;

fn set_two_factor(app: &TestApp, organization_id: OrganizationId, mode: TwoFactorMode, days: i32) {
    let mut conn = app.pool.get().unwrap();
    let policy = Policy {
        two_factor_mode: mode,
        two_factor_days: days,
        ..policy::load(&mut conn, organization_id).unwrap()
    };
    policy::save(&mut conn, organization_id, &policy, &test_actor(app)).unwrap();
}

/// Asks for a new code too soon: refused, with when one can be asked for.
async fn resend_refused(client: &TestClient, says: &str) {
    let early = client.post_form("/two-factor/resend", &[]).await;
    assert_eq!(early.status(), StatusCode::TOO_MANY_REQUESTS);
    let page = early.text().await.unwrap();
    assert!(page.contains(says), "{says}");
}

/// The code of the `count`-th two-factor email (waiting for it).
async fn code_from(sink: &SmtpSink, count: usize) -> String {
    let messages = sink.wait_for_messages(count).await;
    let message = &messages[count - 1];
    assert_eq!(message.recipients, vec![ADMIN_EMAIL.to_owned()]);
    let text = message.text.clone().unwrap();
    text.lines()
        .map(str::trim)
        .find(|line| line.len() == 6 && line.chars().all(|c| c.is_ascii_digit()))
        .expect("a 6-digit code in the email")
        .to_owned()
}

fn wrong_code(code: &str) -> &'static str {
    if code == "000000" { "111111" } else { "000000" }
}

async fn sign_in(app: &TestApp, client: &TestClient) -> reqwest::Response {
    let response = client.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let _ = app;
    response
}

/// Opens the code page (which emails a code when none is live).
async fn open_code_page(client: &TestClient) -> String {
    let (status, body) = client.page("/two-factor").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("autocomplete=\"one-time-code\""));
    assert!(body.contains("inputmode=\"numeric\""));
    body
}

async fn asked_for_code(client: &TestClient) -> bool {
    let response = client.get("/").await;
    match response.status() {
        StatusCode::OK => false,
        StatusCode::SEE_OTHER if location(&response) == "/two-factor" => true,
        other => panic!("unexpected {other} to {}", location(&response)),
    }
}

#[tokio::test]
async fn always_asks_at_every_sign_in_and_renews_the_session() {
    let (app, _admin, sink) = spawn_app_with_sink().await;
    set_two_factor(&app, first_organization_id(&app), TwoFactorMode::Always, 30);

    let client = app.client();
    let signed_in = sign_in(&app, &client).await;
    let first_cookie = set_cookie(&signed_in, "gh_session").unwrap();
    for path in ["/", "/users", "/roles", "/profile", "/policies"] {
        let response = client.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), "/two-factor", "{path}");
    }
    let mut htmx = HeaderMap::new();
    htmx.insert("HX-Request", HeaderValue::from_static("true"));
    let response = client.get_with("/users", htmx).await;
    assert_eq!(response.headers()["HX-Redirect"], "/two-factor");

    open_code_page(&client).await;
    // Opening the page again does not send a second code while the first is live.
    open_code_page(&client).await;
    let code = code_from(&sink, 1).await;
    let verified = client.post_form("/two-factor", &[("code", &code)]).await;
    assert_eq!(verified.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&verified), "/");
    let renewed = set_cookie(&verified, "gh_session").expect("a new session cookie");
    assert_ne!(renewed, first_cookie, "the session id changed");
    assert!(
        set_cookie(&verified, "gh_trusted").is_none(),
        "no trusted device for Always"
    );
    assert!(!asked_for_code(&client).await, "the console opens");
    assert_eq!(sink.messages().len(), 1);

    // A second sign-in asks again.
    client.sign_out().await;
    sign_in(&app, &client).await;
    assert!(asked_for_code(&client).await);
}

#[tokio::test]
async fn periodic_trusts_the_device_for_its_days() {
    let (app, _admin, sink) = spawn_app_with_sink().await;
    set_two_factor(
        &app,
        first_organization_id(&app),
        TwoFactorMode::Periodic,
        30,
    );

    let client = app.client();
    sign_in(&app, &client).await;
    assert!(asked_for_code(&client).await);
    open_code_page(&client).await;
    let code = code_from(&sink, 1).await;
    let verified = client.post_form("/two-factor", &[("code", &code)]).await;
    assert_eq!(verified.status(), StatusCode::SEE_OTHER);
    let trusted = set_cookie(&verified, "gh_trusted").expect("a trusted-device cookie");
    assert!(trusted.contains("Max-Age=2592000"), "{trusted}");
    assert!(trusted.contains("HttpOnly"));

    // The same client is not asked at its next sign-in.
    client.sign_out().await;
    sign_in(&app, &client).await;
    assert!(!asked_for_code(&client).await);

    // Another browser is asked.
    let other = app.client();
    sign_in(&app, &other).await;
    assert!(asked_for_code(&other).await);

    // After 31 days the device is asked again.
    client.sign_out().await;
    app.clock.advance(Duration::days(31));
    sign_in(&app, &client).await;
    assert!(asked_for_code(&client).await);
}

#[tokio::test]
async fn five_wrong_codes_void_it_and_count_toward_brute_force() {
    let (app, client, sink, code) = waiting_for_a_code().await;
    let wrong = wrong_code(&code);
    for left in (1..=4).rev() {
        let response = client.post_form("/two-factor", &[("code", wrong)]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = response.text().await.unwrap();
        let expected = if left == 1 {
            "Wrong code, 1 try left".to_owned()
        } else {
            format!("Wrong code, {left} tries left")
        };
        assert!(body.contains(&expected), "{expected}");
    }
    let response = client.post_form("/two-factor", &[("code", wrong)]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(body.contains("no longer works"));
    assert!(body.contains("Send a new code"));
    // The right code no longer works either (and, compared with nothing, does not count).
    let response = client.post_form("/two-factor", &[("code", &code)]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(asked_for_code(&client).await);
    assert_eq!(account_failures(&app), Some(5), "each wrong try counts");

    // A new code works (after the resend cooldown).
    app.clock.advance(Duration::seconds(30));
    let resent = client.post_form("/two-factor/resend", &[]).await;
    assert_eq!(resent.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&resent), "/two-factor");
    let code = code_from(&sink, 2).await;
    enter_right_code(&client, &code).await;
}

#[tokio::test]
async fn a_code_expires_after_ten_minutes_and_works_once() {
    let (app, client, sink, code) = waiting_for_a_code().await;
    app.clock
        .advance(Duration::minutes(10) + Duration::seconds(1));
    let response = client.post_form("/two-factor", &[("code", &code)]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(body.contains("This code has expired"));
    assert!(body.contains("Send a new code"));

    // The page sends a fresh code when none is live.
    open_code_page(&client).await;
    let code = code_from(&sink, 2).await;

    // Used once: a second session presenting the same code for the same session cannot exist,
    // so check the domain rule directly.
    let session_hash = {
        use gatehouse::db::schema::sessions;
        let mut conn = app.pool.get().unwrap();
        sessions::table
            .filter(sessions::two_factor_pending_org.is_not_null())
            .select(sessions::id_hash)
            .first::<String>(&mut conn)
            .unwrap()
    };
    let organization_id = first_organization_id(&app);
    let now = app.clock.now();
    {
        use gatehouse::db::write_transaction;
        use gatehouse::domain::two_factor::{self, Verification};
        let mut conn = app.pool.get().unwrap();
        let mut verify = || {
            write_transaction(&mut conn, |conn| {
                two_factor::verify(conn, &session_hash, organization_id, &code, now)
            })
            .unwrap()
        };
        assert_eq!(verify(), Verification::Verified);
        assert_eq!(verify(), Verification::NoCode);
    }
    let response = client.post_form("/two-factor", &[("code", &code)]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn off_never_asks() {
    let (app, _admin, sink) = spawn_app_with_sink().await;
    let client = app.client();
    sign_in(&app, &client).await;
    assert!(!asked_for_code(&client).await);
    let response = client.get("/two-factor").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn switching_into_an_organization_that_requires_it_asks() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let account_id = admin_account_id(&app);
    let first = first_organization_id(&app);
    let second = {
        let mut conn = app.pool.get().unwrap();
        organization::create_with_owner(
            &mut conn,
            "Difference Engines",
            account_id,
            &test_actor(&app),
        )
        .unwrap()
        .id
    };
    set_two_factor(&app, second, TwoFactorMode::Always, 30);
    assert!(
        !asked_for_code(&admin).await,
        "the first organization does not ask"
    );

    admin.page("/").await;
    let switched = admin
        .post_form(
            "/organizations/switch",
            &[("organization_id", &second.to_string())],
        )
        .await;
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&switched), "/two-factor");
    assert!(asked_for_code(&admin).await);
    open_code_page(&admin).await;
    let code = code_from(&sink, 1).await;
    let verified = admin.post_form("/two-factor", &[("code", &code)]).await;
    assert_eq!(verified.status(), StatusCode::SEE_OTHER);
    let (_, body) = admin.page("/").await;
    assert!(body.contains("<h1>Difference Engines</h1>"));

    // Back to the first: not asked; into the second again: verified in this session.
    for organization_id in [first, second] {
        let switched = admin
            .post_form(
                "/organizations/switch",
                &[("organization_id", &organization_id.to_string())],
            )
            .await;
        assert_eq!(location(&switched), "/");
        assert!(!asked_for_code(&admin).await);
    }
}

#[tokio::test]
async fn the_policies_page_sets_one_mode_and_the_next_request_asks() {
    let (app, admin, _sink) = spawn_app_with_sink().await;
    let save = |fields: Vec<(&'static str, &'static str)>| {
        let admin = &admin;
        async move {
            admin.page("/policies").await;
            let mut all = vec![
                ("password_expiry_days", "90"),
                ("password_history", "5"),
                ("inactivity_days", "90"),
            ];
            all.extend(fields);
            admin.post_form("/policies", &all).await
        }
    };
    for refused in [
        vec![("two_factor_mode", "sometimes"), ("two_factor_days", "30")],
        vec![
            ("two_factor_mode", "periodic"),
            ("two_factor_mode", "always"),
            ("two_factor_days", "30"),
        ],
        vec![("two_factor_mode", "periodic"), ("two_factor_days", "0")],
        vec![("two_factor_mode", "periodic"), ("two_factor_days", "366")],
    ] {
        let response = save(refused.clone()).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{refused:?}"
        );
    }
    let (_, page) = admin.page("/policies").await;
    assert!(page.contains("name=\"two_factor_mode\" value=\"periodic\""));
    assert!(page.contains("name=\"two_factor_days\""));

    let saved = save(vec![
        ("two_factor_mode", "periodic"),
        ("two_factor_days", "7"),
    ])
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let policy = {
        let mut conn = app.pool.get().unwrap();
        policy::load(&mut conn, first_organization_id(&app)).unwrap()
    };
    assert_eq!(policy.two_factor_mode, TwoFactorMode::Periodic);
    assert_eq!(policy.two_factor_days, 7);
    // The policy changed mid-session: the next request asks.
    assert!(asked_for_code(&admin).await);
}

/// An "every sign-in" organization, and a client that passed the password and opened the code
/// page: the app, the client, the sink and the emailed code.
async fn waiting_for_a_code() -> (TestApp, TestClient, SmtpSink, String) {
    let (app, _admin, sink) = spawn_app_with_sink().await;
    set_two_factor(&app, first_organization_id(&app), TwoFactorMode::Always, 30);
    let client = app.client();
    sign_in(&app, &client).await;
    open_code_page(&client).await;
    let code = code_from(&sink, 1).await;
    (app, client, sink, code)
}

/// The right code is accepted and the console opens.
async fn enter_right_code(client: &TestClient, code: &str) {
    let verified = client.post_form("/two-factor", &[("code", code)]).await;
    assert_eq!(verified.status(), StatusCode::SEE_OTHER);
    assert!(!asked_for_code(client).await);
}

/// Two-factor codes queued for the admin so far (the outbox row is written with the code).
fn codes_sent(app: &TestApp) -> i64 {
    use gatehouse::db::schema::outbox_messages;
    let mut conn = app.pool.get().unwrap();
    outbox_messages::table
        .filter(outbox_messages::kind.eq("two-factor-code"))
        .count()
        .get_result(&mut conn)
        .unwrap()
}

/// The pending sign-in ended: back to sign-in without its session, with the one generic message.
async fn assert_started_over(client: &TestClient, response: reqwest::Response) {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/sign-in");
    let (status, page) = client.page("/sign-in").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("For your security, this sign-in was stopped."),
        "the start-over message"
    );
    let response = client.get("/").await;
    assert!(
        location(&response).starts_with("/sign-in"),
        "the session is gone"
    );
}

#[tokio::test]
async fn new_codes_wait_thirty_seconds_and_stop_after_five_resends() {
    let (app, _admin, sink) = spawn_app_with_sink().await;
    set_two_factor(&app, first_organization_id(&app), TwoFactorMode::Always, 30);
    let client = app.client();
    sign_in(&app, &client).await;
    open_code_page(&client).await;
    code_from(&sink, 1).await;

    // Too soon: nothing is sent, and the page says when one can be.
    resend_refused(&client, "You can ask for a new code in 30 seconds.").await;
    app.clock
        .advance(Duration::seconds(29) + Duration::milliseconds(500));
    resend_refused(&client, "You can ask for a new code in 1 second.").await;
    assert_eq!(codes_sent(&app), 1);

    // Five more codes, each after the cooldown.
    for sent in 2..=6 {
        app.clock.advance(Duration::seconds(30));
        let resent = client.post_form("/two-factor/resend", &[]).await;
        assert_eq!(resent.status(), StatusCode::SEE_OTHER, "code {sent}");
        assert_eq!(location(&resent), "/two-factor");
        code_from(&sink, sent).await;
    }
    // The sixth resend ends the pending sign-in instead of mailing a seventh code.
    app.clock.advance(Duration::seconds(30));
    let over = client.post_form("/two-factor/resend", &[]).await;
    assert_started_over(&client, over).await;
    assert_eq!(codes_sent(&app), 6);

    // Starting over with the password works and sends a code to the new sign-in.
    sign_in(&app, &client).await;
    open_code_page(&client).await;
    let code = code_from(&sink, 7).await;
    enter_right_code(&client, &code).await;
}

#[tokio::test]
async fn a_locked_account_gets_no_code_checked_and_none_sent() {
    let (app, client, sink, code) = waiting_for_a_code().await;
    // A second browser passed the password but has not opened the code page yet.
    let second = app.client();
    sign_in(&app, &second).await;

    // Someone else guesses passwords until the account locks.
    let guesser = app.client();
    for _ in 0..10 {
        let refused = guesser
            .sign_in(ADMIN_EMAIL, "not the password at all")
            .await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(account_failures(&app), Some(10));

    // The right code is not checked: the pending sign-in ends with the generic answer.
    let response = client.post_form("/two-factor", &[("code", &code)]).await;
    assert_started_over(&client, response).await;
    assert_eq!(account_failures(&app), Some(10), "nothing was counted");
    // No code is sent to a locked account, on opening the page or on asking again.
    let response = second.get("/two-factor").await;
    assert_started_over(&second, response).await;
    assert_eq!(codes_sent(&app), 1);

    // Once the lock has passed, the password and a fresh code work, and the failures are gone.
    app.clock.advance(Duration::minutes(1));
    sign_in(&app, &client).await;
    open_code_page(&client).await;
    let code = code_from(&sink, 2).await;
    let verified = client.post_form("/two-factor", &[("code", &code)]).await;
    assert_eq!(verified.status(), StatusCode::SEE_OTHER);
    assert_eq!(account_failures(&app), None);
}

#[tokio::test]
async fn a_locked_address_gets_no_code_checked() {
    let (app, client, _sink, code) = waiting_for_a_code().await;
    {
        let mut conn = app.pool.get().unwrap();
        diesel::delete(sign_in_throttles::table.filter(sign_in_throttles::scope.eq("address")))
            .execute(&mut conn)
            .unwrap();
        diesel::insert_into(sign_in_throttles::table)
            .values((
                sign_in_throttles::scope.eq("address"),
                sign_in_throttles::subject.eq("127.0.0.1"),
                sign_in_throttles::failures.eq(50),
                sign_in_throttles::locked_until.eq(Some(app.clock.now() + Duration::minutes(1))),
                sign_in_throttles::updated_at.eq(app.clock.now()),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let response = client.post_form("/two-factor", &[("code", &code)]).await;
    assert_started_over(&client, response).await;
}

#[tokio::test]
async fn ten_wrong_codes_end_the_sign_in_and_the_password_does_not_clear_them() {
    let (app, client, sink, code) = waiting_for_a_code().await;
    let wrong = wrong_code(&code);
    for _ in 0..4 {
        let response = client.post_form("/two-factor", &[("code", wrong)]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(account_failures(&app), Some(4));

    // Knowing the password buys no fresh guesses: signing in again keeps the count.
    client.sign_out().await;
    sign_in(&app, &client).await;
    assert_eq!(account_failures(&app), Some(4));
    open_code_page(&client).await;
    let code = code_from(&sink, 2).await;
    let wrong = wrong_code(&code);
    for _ in 0..5 {
        let response = client.post_form("/two-factor", &[("code", wrong)]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(account_failures(&app), Some(9));
    app.clock.advance(Duration::seconds(30));
    client.post_form("/two-factor/resend", &[]).await;
    let code = code_from(&sink, 3).await;
    // The tenth wrong code is still checked (it locks the account); the next is not.
    let response = client
        .post_form("/two-factor", &[("code", wrong_code(&code))])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = client.post_form("/two-factor", &[("code", &code)]).await;
    assert_started_over(&client, response).await;
    assert_eq!(account_failures(&app), Some(10));

    // While locked, the right password gets the wrong password's answer.
    let refused = client.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn two_voided_codes_end_the_pending_sign_in() {
    let (app, client, sink, code) = waiting_for_a_code().await;
    for _ in 0..5 {
        client
            .post_form("/two-factor", &[("code", wrong_code(&code))])
            .await;
    }
    // Forget the count (as if it were another day): the voided codes alone end the sign-in.
    {
        let mut conn = app.pool.get().unwrap();
        diesel::delete(sign_in_throttles::table)
            .execute(&mut conn)
            .unwrap();
    }
    app.clock.advance(Duration::seconds(30));
    client.post_form("/two-factor/resend", &[]).await;
    let code = code_from(&sink, 2).await;
    for _ in 0..4 {
        let response = client
            .post_form("/two-factor", &[("code", wrong_code(&code))])
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let response = client
        .post_form("/two-factor", &[("code", wrong_code(&code))])
        .await;
    assert_started_over(&client, response).await;
    assert_eq!(account_failures(&app), Some(5));
}

#[tokio::test]
async fn parallel_guesses_compare_at_most_five_tries_of_a_code() {
    let (app, _admin, sink) = spawn_app_with_sink().await;
    set_two_factor(&app, first_organization_id(&app), TwoFactorMode::Always, 30);
    let client = std::sync::Arc::new(app.client());
    sign_in(&app, &client).await;
    open_code_page(&client).await;
    let code = code_from(&sink, 1).await;
    let wrong = wrong_code(&code);

    let guesses = 40;
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(guesses));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..guesses {
        let (client, barrier) = (client.clone(), barrier.clone());
        tasks.spawn(async move {
            barrier.wait().await;
            client
                .post_form("/two-factor", &[("code", wrong)])
                .await
                .status()
        });
    }
    while let Some(status) = tasks.join_next().await {
        let status = status.unwrap();
        assert!(
            matches!(status.as_u16(), 422 | 303),
            "a refusal, not {status}"
        );
    }
    // At most five tries were compared; the others found a void code (or a locked account, which
    // ends the pending sign-in) and were given back.
    let compared = account_failures(&app).unwrap_or_default();
    assert!((1..=5).contains(&compared), "{compared} compared");
    let response = client.post_form("/two-factor", &[("code", &code)]).await;
    assert_ne!(location(&response), "/", "the voided code does not sign in");
    assert_ne!(client.get("/").await.status(), StatusCode::OK);
}
