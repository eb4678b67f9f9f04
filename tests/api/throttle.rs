//! Brute-force protection of sign-in: counts per account and per address, growing locks, the same
//! answer while locked, atomic counting under parallel attempts. Time moves with the ManualClock.

use std::sync::Arc;

use diesel::prelude::*;
use gatehouse::clock::Clock;
use gatehouse::db::schema::{accounts, sign_in_throttles};
use reqwest::StatusCode;
use time::{Duration, PrimitiveDateTime};

use crate::helpers::*;

const WRONG: &str = "not the password at all";
const GENERIC: &str = "The email or password is incorrect.";
/// Every test client connects from here.
const ADDRESS: &str = "127.0.0.1";

/// `(failures, locked_until)` of a counted subject, if it has a row.
fn throttle(app: &TestApp, scope: &str, subject: &str) -> Option<(i32, Option<PrimitiveDateTime>)> {
    let mut conn = app.pool.get().unwrap();
    sign_in_throttles::table
        .find((scope, subject))
        .select((sign_in_throttles::failures, sign_in_throttles::locked_until))
        .first(&mut conn)
        .optional()
        .unwrap()
}

fn admin_subject(app: &TestApp) -> String {
    let mut conn = app.pool.get().unwrap();
    accounts::table
        .filter(accounts::email.eq(ADMIN_EMAIL))
        .select(accounts::id)
        .first::<i64>(&mut conn)
        .unwrap()
        .to_string()
}

/// Signs in and expects the generic refusal; returns the page.
async fn refused(client: &TestClient, email: &str, password: &str) -> String {
    let response = client.sign_in(email, password).await;
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "{email} is refused"
    );
    let body = response.text().await.unwrap();
    assert!(body.contains(GENERIC));
    body
}

async fn accepted(client: &TestClient, email: &str, password: &str) {
    let response = client.sign_in(email, password).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{email} signs in");
}

async fn fail_times(client: &TestClient, email: &str, times: usize) {
    for _ in 0..times {
        refused(client, email, WRONG).await;
    }
}

#[tokio::test]
async fn the_right_password_is_refused_while_locked_and_works_after_the_delay() {
    let (app, _) = spawn_app_with_admin().await;
    let client = app.client();
    let admin = admin_subject(&app);

    fail_times(&client, ADMIN_EMAIL, 9).await;
    assert_eq!(throttle(&app, "account", &admin), Some((9, None)));
    let wrong_page = refused(&client, ADMIN_EMAIL, WRONG).await;
    let locked_at = app.clock.now();
    assert_eq!(
        throttle(&app, "account", &admin),
        Some((10, Some(locked_at + Duration::minutes(1))))
    );

    // Locked: the right password gets exactly the wrong password's answer, and is not counted.
    let locked_page = refused(&client, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(locked_page, wrong_page);
    app.clock.advance(Duration::seconds(59));
    refused(&client, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(
        throttle(&app, "account", &admin),
        Some((10, Some(locked_at + Duration::minutes(1))))
    );

    // The lock has passed: the right password works and forgets the failures.
    app.clock.advance(Duration::seconds(1));
    accepted(&client, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(throttle(&app, "account", &admin), None);

    // A single wrong password afterwards starts from one again: no lock.
    let other = app.client();
    refused(&other, ADMIN_EMAIL, WRONG).await;
    assert_eq!(throttle(&app, "account", &admin), Some((1, None)));
    accepted(&other, ADMIN_EMAIL, ADMIN_PASSWORD).await;
}

#[tokio::test]
async fn each_failure_after_the_lock_doubles_it_up_to_fifteen_minutes() {
    let (app, _) = spawn_app_with_admin().await;
    let client = app.client();
    let admin = admin_subject(&app);

    fail_times(&client, ADMIN_EMAIL, 10).await;
    let mut expected = vec![];
    let mut delay = Duration::minutes(1);
    let mut failures = 10;
    loop {
        assert_eq!(
            throttle(&app, "account", &admin),
            Some((failures, Some(app.clock.now() + delay))),
            "failure {failures} locks for {delay}"
        );
        expected.push(delay.whole_minutes());
        if failures == 15 {
            break;
        }
        // Still locked a second before the end, and refusals are not counted.
        app.clock.advance(delay - Duration::seconds(1));
        refused(&client, ADMIN_EMAIL, ADMIN_PASSWORD).await;
        app.clock.advance(Duration::seconds(1));
        refused(&client, ADMIN_EMAIL, WRONG).await;
        failures += 1;
        delay = (delay * 2_i32).min(Duration::minutes(15));
    }
    assert_eq!(expected, [1, 2, 4, 8, 15, 15]);

    app.clock.advance(Duration::minutes(15));
    accepted(&client, ADMIN_EMAIL, ADMIN_PASSWORD).await;
}

#[tokio::test]
async fn an_unknown_email_locks_like_a_known_one() {
    let (app, _) = spawn_app_with_admin().await;
    let client = app.client();
    let admin = admin_subject(&app);
    let unknown = "nobody@example.com";

    let wrong_known = refused(&client, ADMIN_EMAIL, WRONG).await;
    fail_times(&client, ADMIN_EMAIL, 9).await;
    fail_times(&client, "  NOBODY@example.com ", 10).await;
    assert_eq!(
        throttle(&app, "account", unknown),
        Some((10, Some(app.clock.now() + Duration::minutes(1))))
    );
    assert_eq!(
        throttle(&app, "account", &admin),
        Some((10, Some(app.clock.now() + Duration::minutes(1))))
    );

    let locked_known = refused(&client, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let locked_unknown = refused(&client, unknown, WRONG).await;
    assert_eq!(locked_known, wrong_known);
    assert_eq!(
        locked_known.replace(ADMIN_EMAIL, "EMAIL"),
        locked_unknown.replace(unknown, "EMAIL")
    );
    assert_eq!(throttle(&app, "account", unknown).unwrap().0, 10);
}

/// Clients that each loaded the sign-in page (their own CSRF cookie), then post at the same moment.
async fn sign_in_at_once(app: &TestApp, attempts: usize, email: &str, password: &str) {
    let barrier = Arc::new(tokio::sync::Barrier::new(attempts));
    let mut clients = Vec::new();
    for _ in 0..attempts {
        let client = app.client();
        let (status, _) = client.page("/sign-in").await;
        assert_eq!(status, StatusCode::OK);
        clients.push(client);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for client in clients {
        let barrier = barrier.clone();
        let (email, password) = (email.to_owned(), password.to_owned());
        tasks.spawn(async move {
            barrier.wait().await;
            let response = client
                .post_form("/sign-in", &[("email", &email), ("password", &password)])
                .await;
            let status = response.status();
            (status, response.text().await.unwrap())
        });
    }
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.unwrap();
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(body.contains(GENERIC));
    }
}

#[tokio::test]
async fn parallel_attempts_cannot_slip_past_the_limit() {
    let (app, _) = spawn_app_with_admin().await;
    let admin = admin_subject(&app);

    // Nine at once: every one is counted (no lost update), and nine do not lock.
    sign_in_at_once(&app, 9, ADMIN_EMAIL, WRONG).await;
    assert_eq!(throttle(&app, "account", &admin), Some((9, None)));
    assert_eq!(throttle(&app, "address", ADDRESS), Some((9, None)));

    // Twenty more at once: exactly one reaches a password check (the tenth failure, which locks);
    // the other nineteen find the lock. No more than ten passwords were ever checked.
    sign_in_at_once(&app, 20, ADMIN_EMAIL, WRONG).await;
    let locked_until = app.clock.now() + Duration::minutes(1);
    assert_eq!(
        throttle(&app, "account", &admin),
        Some((10, Some(locked_until)))
    );
    assert_eq!(throttle(&app, "address", ADDRESS), Some((10, None)));

    refused(&app.client(), ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.clock.advance(Duration::minutes(1));
    accepted(&app.client(), ADMIN_EMAIL, ADMIN_PASSWORD).await;
}

#[tokio::test]
async fn twenty_parallel_attempts_on_a_fresh_account_count_ten_and_lock() {
    let (app, _) = spawn_app_with_admin().await;
    let admin = admin_subject(&app);

    sign_in_at_once(&app, 20, ADMIN_EMAIL, WRONG).await;
    assert_eq!(
        throttle(&app, "account", &admin),
        Some((10, Some(app.clock.now() + Duration::minutes(1))))
    );
    refused(&app.client(), ADMIN_EMAIL, ADMIN_PASSWORD).await;
}

#[tokio::test]
async fn one_address_cannot_sweep_many_accounts() {
    let (app, _) = spawn_app_with_admin().await;
    let client = app.client();

    for i in 0..49 {
        refused(&client, &format!("user{i}@example.com"), WRONG).await;
    }
    assert_eq!(throttle(&app, "address", ADDRESS), Some((49, None)));
    // A success does not count against the address, nor does it forgive its failures.
    accepted(&app.client(), ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(throttle(&app, "address", ADDRESS), Some((49, None)));

    refused(&client, "user49@example.com", WRONG).await;
    assert_eq!(
        throttle(&app, "address", ADDRESS),
        Some((50, Some(app.clock.now() + Duration::minutes(1))))
    );
    // Every account is out of reach from this address, the right password included.
    refused(&app.client(), ADMIN_EMAIL, ADMIN_PASSWORD).await;
    refused(&client, "someone-else@example.com", WRONG).await;
    assert_eq!(throttle(&app, "account", "someone-else@example.com"), None);

    app.clock.advance(Duration::minutes(1));
    accepted(&app.client(), ADMIN_EMAIL, ADMIN_PASSWORD).await;
    // The next failure from the address locks it again, for longer.
    refused(&client, "user50@example.com", WRONG).await;
    assert_eq!(
        throttle(&app, "address", ADDRESS),
        Some((51, Some(app.clock.now() + Duration::minutes(2))))
    );
}

#[tokio::test]
async fn failures_are_forgotten_after_fifteen_quiet_minutes() {
    let (app, _) = spawn_app_with_admin().await;
    let client = app.client();
    let admin = admin_subject(&app);

    fail_times(&client, ADMIN_EMAIL, 9).await;
    app.clock.advance(Duration::minutes(15));
    fail_times(&client, ADMIN_EMAIL, 9).await;
    assert_eq!(throttle(&app, "account", &admin), Some((9, None)));
    assert_eq!(throttle(&app, "address", ADDRESS), Some((9, None)));
    accepted(&client, ADMIN_EMAIL, ADMIN_PASSWORD).await;
}
