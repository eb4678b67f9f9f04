//! Webhooks end to end: made on the page or through the API by the organization's owner, fed by
//! real changes, delivered over HTTP to a receiver the tests start, verified with the reference
//! Standard Webhooks library (not Gatehouse's signing code); retries, 410, Retry-After, the
//! outbound address rules, two instances, and a process killed mid-delivery.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use diesel::prelude::*;
use gatehouse::clock::ManualClock;
use gatehouse::db::schema::{webhook_deliveries, webhooks};
use gatehouse::domain::personal_token::{self, TokenScope};
use gatehouse::startup::Application;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::webhook_receiver::{Answer, Received, Receiver};

const HIDDEN_VALUE: &str = "hidden-api-key-7f3a";

/// An owner's read-write token, made straight in the database.
fn owner_token(app: &TestApp) -> String {
    owner_token_named(app, "webhooks")
}

async fn create_webhook(app: &TestApp, token: &str, body: Value) -> (i64, String) {
    let response = api_call(
        app,
        token,
        reqwest::Method::POST,
        "/api/v1/webhooks",
        Some(body),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    let created: Value = response.json().await.unwrap();
    (
        created["id"].as_i64().unwrap(),
        created["secret"].as_str().unwrap().to_owned(),
    )
}

/// The webhook's deliveries as the API lists them.
async fn deliveries_of(app: &TestApp, token: &str, id: i64) -> Value {
    let path = format!("/api/v1/webhooks/{id}/deliveries");
    let response = api_call(app, token, reqwest::Method::GET, &path, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn create_role(app: &TestApp, token: &str, name: &str) -> reqwest::Response {
    api_call(
        app,
        token,
        reqwest::Method::POST,
        "/api/v1/roles",
        Some(json!({ "name": name, "permissions": ["read"] })),
    )
    .await
}

fn verify(secret: &str, delivery: &Received) -> bool {
    standardwebhooks::Webhook::new(secret)
        .unwrap()
        .verify(&delivery.body, &delivery.header_map())
        .is_ok()
}

fn statuses(app: &TestApp) -> Vec<String> {
    let mut conn = app.pool.get().unwrap();
    webhook_deliveries::table
        .order(webhook_deliveries::id)
        .select(webhook_deliveries::status)
        .load(&mut conn)
        .unwrap()
}

/// Waits until the first delivery has one attempt recorded.
async fn first_attempt_recorded(app: &TestApp, what: &str) {
    wait_until(what, || {
        let mut conn = app.pool.get().unwrap();
        webhook_deliveries::table
            .select(webhook_deliveries::attempts)
            .first::<i32>(&mut conn)
            .is_ok_and(|attempts| attempts == 1)
    })
    .await;
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + StdDuration::from_secs(15);
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_change_arrives_signed_with_basic_auth_and_headers_and_both_secrets_after_a_rotation() {
    let (app, owner) = spawn_app_with_admin().await;
    let receiver = Receiver::start().await;
    let token = owner_token(&app);

    // Made on the page, as the owner would; the secret is on the answer only.
    let (_, form) = owner.page("/webhooks/new").await;
    assert!(
        form.contains("member.invited"),
        "events are offered by area"
    );
    let url = receiver.url("/hooks");
    let response = owner
        .post_form(
            "/webhooks",
            &[
                ("url", url.as_str()),
                ("description", "Ops sync"),
                ("events_mode", "only"),
                ("events", "role.created"),
                ("events", "member.invited"),
                ("basic_auth_user", "gatehouse"),
                ("basic_auth_password", "basic-pw"),
                ("header_name_0", "X-Api-Key"),
                ("header_value_0", HIDDEN_VALUE),
                ("header_hidden_0", "1"),
                ("header_name_1", "X-Team"),
                ("header_value_1", "ops"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    let html = response.text().await.unwrap();
    let start = html.find("value=\"whsec_").unwrap() + "value=\"".len();
    let end = html[start..].find('"').unwrap() + start;
    let first_secret = html[start..end].to_owned();

    assert_eq!(
        create_role(&app, &token, "Auditors").await.status(),
        StatusCode::CREATED
    );
    let received = receiver.wait_for(1).await;
    let delivery = &received[0];
    assert_eq!(delivery.method, "POST");
    assert_eq!(delivery.path, "/hooks");
    assert!(
        verify(&first_secret, delivery),
        "the reference library accepts it"
    );
    assert!(delivery.header("webhook-id").unwrap().starts_with("msg_"));
    assert_eq!(delivery.header("content-type"), Some("application/json"));
    assert_eq!(delivery.header("x-api-key"), Some(HIDDEN_VALUE));
    assert_eq!(delivery.header("x-team"), Some("ops"));
    assert_eq!(
        delivery.header("authorization"),
        Some("Basic Z2F0ZWhvdXNlOmJhc2ljLXB3"),
        "gatehouse:basic-pw"
    );
    let body = delivery.json();
    assert_eq!(body["type"], "role.created");
    assert_eq!(body["data"]["target"], "Auditors");
    assert_eq!(body["data"]["actor"]["email"], ADMIN_EMAIL);
    assert_eq!(body["data"]["token"]["name"], "webhooks");
    assert_eq!(body["data"]["organization"]["name"], ORGANIZATION);
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));

    // A rotation: for a day both secrets sign, and either one verifies.
    let id = {
        let mut conn = app.pool.get().unwrap();
        webhooks::table
            .select(webhooks::id)
            .first::<i64>(&mut conn)
            .unwrap()
    };
    let (_, page) = owner.page(&format!("/webhooks/{id}/rotate")).await;
    assert!(page.contains("24 hours"));
    let rotated = owner
        .post_form(&format!("/webhooks/{id}/rotate"), &[])
        .await;
    assert_eq!(rotated.status(), StatusCode::OK);
    let html = rotated.text().await.unwrap();
    let start = html.find("value=\"whsec_").unwrap() + "value=\"".len();
    let end = html[start..].find('"').unwrap() + start;
    let second_secret = html[start..end].to_owned();
    assert_ne!(first_secret, second_secret);
    let test = owner.post_form(&format!("/webhooks/{id}/test"), &[]).await;
    assert_eq!(test.status(), StatusCode::SEE_OTHER);
    let received = receiver.wait_for(2).await;
    let after = &received[1];
    assert_eq!(after.json()["type"], "webhook.test");
    assert_eq!(
        after
            .header("webhook-signature")
            .unwrap()
            .split(' ')
            .count(),
        2
    );
    assert!(
        verify(&first_secret, after),
        "the old secret still verifies"
    );
    assert!(verify(&second_secret, after), "the new secret verifies");

    // A day later only the new secret signs.
    app.clock.advance(time::Duration::hours(25));
    let queued = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        &format!("/api/v1/webhooks/{id}/test"),
        None,
    )
    .await;
    assert_eq!(queued.status(), StatusCode::ACCEPTED);
    let received = receiver.wait_for(3).await;
    assert_eq!(
        received[2]
            .header("webhook-signature")
            .unwrap()
            .split(' ')
            .count(),
        1
    );

    // The session ended with the day; the owner signs in again.
    let owner = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;

    // The hidden value and the password never leave again: pages and API.
    for path in [
        "/webhooks".to_owned(),
        format!("/webhooks/{id}"),
        format!("/webhooks/{id}/deliveries"),
    ] {
        let (status, page) = owner.page(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            !page.contains(HIDDEN_VALUE),
            "{path} shows the hidden value"
        );
        assert!(!page.contains("basic-pw"), "{path} shows the password");
        assert!(!page.contains(&second_secret), "{path} shows the secret");
    }
    let shown = api_call(
        &app,
        &token,
        reqwest::Method::GET,
        &format!("/api/v1/webhooks/{id}"),
        None,
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        !shown.contains(HIDDEN_VALUE) && !shown.contains("basic-pw") && !shown.contains("whsec_")
    );
    let listed = api_call(&app, &token, reqwest::Method::GET, "/api/v1/webhooks", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(!listed.contains(HIDDEN_VALUE));

    // Saving the form with the hidden field left empty keeps the value.
    let saved = owner
        .post_form(
            &format!("/webhooks/{id}"),
            &[
                ("url", url.as_str()),
                ("events_mode", "all"),
                ("basic_auth_user", "gatehouse"),
                ("header_name_0", "X-Api-Key"),
                ("header_value_0", ""),
                ("header_hidden_0", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    owner.post_form(&format!("/webhooks/{id}/test"), &[]).await;
    let received = receiver.wait_for(4).await;
    assert_eq!(received[3].header("x-api-key"), Some(HIDDEN_VALUE));
    assert_eq!(
        received[3].header("authorization"),
        Some("Basic Z2F0ZWhvdXNlOmJhc2ljLXB3")
    );
    assert_eq!(
        received[3].header("x-team"),
        None,
        "the removed header is gone"
    );
}

#[tokio::test]
async fn only_subscribed_events_are_sent_and_a_refused_change_sends_nothing() {
    let (app, _owner) = spawn_app_with_admin().await;
    let receiver = Receiver::start().await;
    let token = owner_token(&app);
    create_webhook(
        &app,
        &token,
        json!({ "url": receiver.url("/only-roles"), "events": ["role.created"] }),
    )
    .await;
    // Not subscribed: a policy change.
    let policy = api_call(
        &app,
        &token,
        reqwest::Method::PATCH,
        "/api/v1/policies",
        Some(json!({ "api_requests_per_minute": 600 })),
    )
    .await;
    assert_eq!(policy.status(), StatusCode::OK);
    assert_eq!(
        create_role(&app, &token, "Support").await.status(),
        StatusCode::CREATED
    );
    // Refused (the name is taken): its transaction rolls back, with its event.
    assert_eq!(
        create_role(&app, &token, "Support").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let received = receiver.wait_for(1).await;
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(
        receiver.requests().len(),
        1,
        "one event, the subscribed one"
    );
    assert_eq!(received[0].json()["type"], "role.created");
    assert_eq!(statuses(&app), vec!["delivered"]);
}

#[tokio::test]
async fn a_receiver_that_was_down_gets_the_event_once_when_it_is_back() {
    let (app, _owner) = spawn_app_with_admin().await;
    let token = owner_token(&app);
    let receiver = Receiver::start().await;
    let port = receiver.port();
    create_webhook(
        &app,
        &token,
        json!({ "url": receiver.url("/in"), "events": ["*"] }),
    )
    .await;
    drop(receiver);
    assert_eq!(
        create_role(&app, &token, "Night shift").await.status(),
        StatusCode::CREATED
    );
    // The first attempt fails (connection refused) and waits 5 s (± a tenth).
    first_attempt_recorded(&app, "a failed attempt").await;
    let receiver = Receiver::start_on(port).await;
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert!(
        receiver.requests().is_empty(),
        "not before the retry is due"
    );
    app.clock.advance(time::Duration::seconds(6));
    let received = receiver.wait_for(1).await;
    assert_eq!(received[0].json()["type"], "role.created");
    wait_until("delivered", || statuses(&app) == ["delivered"]).await;
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(receiver.requests().len(), 1, "delivered once");

    // The failed attempt and the delivered one are on the deliveries page, newest first.
    let response = api_call(&app, &token, reqwest::Method::GET, "/api/v1/webhooks", None).await;
    let list: Value = response.json().await.unwrap();
    let id = list["data"][0]["id"].as_i64().unwrap();
    let deliveries = deliveries_of(&app, &token, id).await;
    let attempts = &deliveries["data"][0]["attempts"];
    assert_eq!(attempts.as_array().unwrap().len(), 2);
    assert_eq!(attempts[0]["status_code"], 200);
    assert_eq!(attempts[0]["response_body"], "thanks");
    assert!(attempts[1]["error"].as_str().unwrap().len() > 3);
}

#[tokio::test]
async fn gone_disables_the_webhook_and_retry_after_is_honoured() {
    let (app, owner) = spawn_app_with_admin().await;
    let token = owner_token(&app);
    let receiver = Receiver::start().await;
    let (id, _) = create_webhook(
        &app,
        &token,
        json!({ "url": receiver.url("/in"), "events": ["*"] }),
    )
    .await;

    receiver.answer(Answer::Status(
        429,
        vec![("Retry-After".into(), "120".into())],
        "slow down".into(),
    ));
    create_role(&app, &token, "First").await;
    receiver.wait_for(1).await;
    first_attempt_recorded(&app, "the retry scheduled").await;
    let (next, created) = {
        let mut conn = app.pool.get().unwrap();
        webhook_deliveries::table
            .select((
                webhook_deliveries::next_attempt_at,
                webhook_deliveries::created_at,
            ))
            .first::<(time::PrimitiveDateTime, time::PrimitiveDateTime)>(&mut conn)
            .unwrap()
    };
    let wait = next - created;
    assert!(
        wait >= time::Duration::seconds(119) && wait <= time::Duration::seconds(121),
        "Retry-After: 120 was honoured, not the 5 s of the schedule ({wait})"
    );

    // 410 Gone: the webhook stops, what waited fails, and the page says so.
    receiver.answer(Answer::status(410));
    app.clock.advance(time::Duration::seconds(121));
    receiver.wait_for(2).await;
    wait_until("the webhook disabled", || {
        let mut conn = app.pool.get().unwrap();
        webhooks::table
            .select(webhooks::status)
            .first::<String>(&mut conn)
            .is_ok_and(|status| status == "disabled")
    })
    .await;
    assert_eq!(statuses(&app), vec!["failed"]);
    create_role(&app, &token, "Second").await;
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(
        receiver.requests().len(),
        2,
        "a disabled webhook receives nothing new"
    );
    let (_, page) = owner.page("/webhooks").await;
    assert!(page.contains("410 Gone"), "the banner says why");
    let shown: Value = api_call(
        &app,
        &token,
        reqwest::Method::GET,
        &format!("/api/v1/webhooks/{id}"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(shown["status"], "disabled");
    assert_eq!(shown["disabled_reason"], "gone");

    // Enabled again with the replay of what failed: the first event arrives, with its id.
    receiver.answer(Answer::ok());
    let first_id = receiver.requests()[0]
        .header("webhook-id")
        .unwrap()
        .to_owned();
    let (_, confirm) = owner.page(&format!("/webhooks/{id}/resume")).await;
    assert!(
        confirm.contains("name=\"replay\""),
        "re-enabling offers the replay"
    );
    let resumed = owner
        .post_form(&format!("/webhooks/{id}/resume"), &[("replay", "1")])
        .await;
    assert_eq!(resumed.status(), StatusCode::SEE_OTHER);
    let received = receiver.wait_for(3).await;
    assert_eq!(received[2].header("webhook-id"), Some(first_id.as_str()));
    wait_until("delivered", || statuses(&app) == ["delivered"]).await;
}

#[tokio::test]
async fn the_outbound_rules_refuse_inside_addresses_of_every_kind() {
    let (app, _owner) = spawn_app_with_admin().await;
    let token = owner_token(&app);
    for (url, kind) in [
        // 127.0.0.1 itself is where the tests' receivers listen, allowed by the operator here.
        ("https://127.0.0.2/", "loopback"),
        ("https://[::1]/", "IPv6 loopback"),
        ("https://10.1.2.3/", "private 10/8"),
        ("https://172.16.5.4/", "private 172.16/12"),
        ("https://192.168.1.1/", "private 192.168/16"),
        ("https://[fd12::1]/", "IPv6 unique local"),
        ("https://100.64.0.1/", "shared (CGNAT)"),
        ("https://169.254.10.10/", "link-local"),
        ("https://[fe80::1]/", "IPv6 link-local"),
        ("https://169.254.169.254/latest/meta-data", "cloud metadata"),
        ("https://[fd00:ec2::254]/", "AWS IPv6 metadata"),
        ("https://224.0.0.1/", "multicast"),
        ("https://[ff02::1]/", "IPv6 multicast"),
        ("https://240.0.0.1/", "reserved"),
        ("https://0.0.0.0/", "unspecified"),
        ("https://[::ffff:10.0.0.1]/", "IPv4-mapped private"),
        ("https://[::ffff:169.254.169.254]/", "IPv4-mapped metadata"),
        (
            "https://[64:ff9b::a9fe:a9fe]/",
            "NAT64 of the metadata address",
        ),
    ] {
        let response = api_call(
            &app,
            &token,
            reqwest::Method::POST,
            "/api/v1/webhooks",
            Some(json!({ "url": url, "events": ["*"] })),
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{kind}: {url}"
        );
        let problem: Value = response.json().await.unwrap();
        assert_eq!(
            problem["errors"][0]["code"], "webhook-url-address",
            "{kind}"
        );
    }
    let plain = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/webhooks",
        Some(json!({ "url": "http://hooks.example.com/in", "events": ["*"] })),
    )
    .await;
    assert_eq!(
        plain.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "plain http to a name"
    );
}

#[tokio::test]
async fn a_name_that_resolves_inside_is_refused_when_delivering() {
    // No network allowed here: a name that resolves to loopback (as a DNS answer changed after
    // saving would) is refused at the attempt, before any connection.
    let app = spawn_app_with(|settings| settings.webhook_allowed_networks = Vec::new()).await;
    let owner = app.client();
    complete_setup(&app, &owner).await;
    let receiver = Receiver::start().await;
    let token = owner_token(&app);
    let (id, _) = create_webhook(
        &app,
        &token,
        json!({ "url": format!("https://localhost:{}/in", receiver.port()), "events": ["*"] }),
    )
    .await;
    create_role(&app, &token, "Probe").await;
    first_attempt_recorded(&app, "a refused attempt").await;
    assert!(
        receiver.requests().is_empty(),
        "nothing reached the loopback receiver"
    );
    let deliveries = deliveries_of(&app, &token, id).await;
    let error = deliveries["data"][0]["attempts"][0]["error"]
        .as_str()
        .unwrap();
    assert!(error.contains("loopback"), "{error}");
}

#[tokio::test]
async fn two_instances_on_one_database_send_each_delivery_once() {
    let (app, _owner) = spawn_app_with_admin().await;
    let token = owner_token(&app);
    let receiver = Receiver::start().await;
    let (id, _) = create_webhook(
        &app,
        &token,
        json!({ "url": receiver.url("/in"), "events": ["*"] }),
    )
    .await;
    let mut settings = test_settings(&app.database);
    settings.bind = "127.0.0.1:0".into();
    let clock: Arc<ManualClock> = app.clock.clone();
    let second = Application::build(settings, clock).await.unwrap();
    tokio::spawn(second.run_until_stopped());
    let quota = api_call(
        &app,
        &token,
        reqwest::Method::PATCH,
        "/api/v1/policies",
        Some(json!({ "api_requests_per_minute": 600 })),
    )
    .await;
    assert_eq!(quota.status(), StatusCode::OK);
    // The policy change is an event too; then 40 test events.
    const EVENTS: usize = 41;
    for _ in 1..EVENTS {
        let queued = api_call(
            &app,
            &token,
            reqwest::Method::POST,
            &format!("/api/v1/webhooks/{id}/test"),
            None,
        )
        .await;
        assert_eq!(queued.status(), StatusCode::ACCEPTED);
    }
    receiver.wait_for(EVENTS).await;
    wait_until("all delivered", || {
        statuses(&app).iter().filter(|s| *s == "delivered").count() == EVENTS
    })
    .await;
    tokio::time::sleep(StdDuration::from_millis(500)).await;
    let mut ids: Vec<String> = receiver
        .requests()
        .iter()
        .map(|r| r.header("webhook-id").unwrap().to_owned())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), EVENTS);
    assert_eq!(
        receiver.requests().len(),
        EVENTS,
        "no delivery was sent twice"
    );
}

#[tokio::test]
async fn only_the_owner_manages_webhooks() {
    let (app, owner) = spawn_app_with_admin().await;
    let organization = first_organization_id(&app);
    add_member(
        &app,
        organization,
        "second-admin@example.com",
        &["Administrator"],
    );
    let second_id = {
        use gatehouse::domain::account::{self, EmailAddress};
        let mut conn = app.pool.get().unwrap();
        account::find_by_email(
            &mut conn,
            &EmailAddress::parse("second-admin@example.com").unwrap(),
        )
        .unwrap()
        .unwrap()
        .id
    };
    let admin = app
        .signed_in_client("second-admin@example.com", ADMIN_PASSWORD)
        .await;
    assert_eq!(admin.get("/webhooks").await.status(), StatusCode::FORBIDDEN);
    let (_, home) = admin.page("/").await;
    assert!(
        !home.contains("href=\"/webhooks\""),
        "no menu entry for a non-owner"
    );
    let (_, home) = owner.page("/").await;
    assert!(home.contains("href=\"/webhooks\""));
    let token = {
        let mut conn = app.pool.get().unwrap();
        let actor = test_actor(&app);
        personal_token::create(
            &mut conn,
            second_id,
            organization,
            "admin",
            TokenScope::ReadWrite,
            actor.at + time::Duration::days(1),
            &actor,
        )
        .unwrap()
        .1
    };
    let response = api_call(&app, &token, reqwest::Method::GET, "/api/v1/webhooks", None).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_process_killed_while_sending_delivers_again_after_restart_with_the_same_id() {
    // The webhook and its event are committed by an instance that sends nothing.
    let app = spawn_app_with(|settings| settings.run_webhook_worker = false).await;
    complete_setup(&app, &app.client()).await;
    let token = owner_token(&app);
    let receiver = Receiver::start().await;
    receiver.answer(Answer::Hang);
    create_webhook(
        &app,
        &token,
        json!({ "url": receiver.url("/in"), "events": ["*"] }),
    )
    .await;
    create_role(&app, &token, "Crash test").await;

    // The real binary picks it up, sends it, and is killed (SIGKILL) while the receiver holds
    // the answer back: the delivery is claimed but its outcome never recorded.
    let spawn_binary = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_gatehouse"))
            .env("DATABASE_URL", &app.database.url)
            .env("GATEHOUSE_BIND", "127.0.0.1:0")
            .env("GATEHOUSE_BCRYPT_COST", "4")
            .env("GATEHOUSE_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.1/32")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the binary starts")
    };
    let mut first = spawn_binary();
    let sent = receiver.wait_for(1).await;
    first.kill().unwrap();
    first.wait().unwrap();
    assert_eq!(
        statuses(&app),
        vec!["pending"],
        "the outcome was never recorded"
    );

    // Restarted, it sends the same message again once the dead worker's claim has lapsed.
    receiver.answer(Answer::ok());
    let mut second = spawn_binary();
    let again = receiver
        .wait_for_within(2, StdDuration::from_secs(40))
        .await;
    assert_eq!(again[1].header("webhook-id"), sent[0].header("webhook-id"));
    assert_eq!(again[1].body, sent[0].body);
    wait_until("delivered", || statuses(&app) == ["delivered"]).await;
    second.kill().unwrap();
    second.wait().unwrap();
}

#[tokio::test]
async fn five_days_of_only_failures_disable_the_webhook_and_email_the_owner() {
    let (app, owner, sink) = spawn_app_with_sink().await;
    let token = owner_token(&app);
    let receiver = Receiver::start().await;
    receiver.answer(Answer::status(500));
    create_webhook(
        &app,
        &token,
        json!({ "url": receiver.url("/in"), "events": ["*"] }),
    )
    .await;
    create_role(&app, &token, "Monday").await;
    receiver.wait_for(1).await;
    let (_, page) = owner.page("/webhooks").await;
    assert!(page.contains("Failing"), "the list shows it failing");

    // Five days later, still failing: the next failure stops it and tells the owner.
    app.clock.advance(time::Duration::days(5));
    create_role(&app, &token, "Saturday").await;
    wait_until("the webhook disabled", || {
        let mut conn = app.pool.get().unwrap();
        webhooks::table
            .select((webhooks::status, webhooks::disabled_reason))
            .first::<(String, Option<String>)>(&mut conn)
            .is_ok_and(|row| row == ("disabled".into(), Some("failing".into())))
    })
    .await;
    let mail = sink.wait_for_messages(1).await;
    let email = mail
        .iter()
        .find(|message| message.subject.contains("webhook"))
        .expect("the owner is emailed");
    assert!(email.recipients.iter().any(|to| to == ADMIN_EMAIL));
    assert!(
        email
            .text
            .as_deref()
            .unwrap()
            .contains(&receiver.url("/in"))
    );
    let owner = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, page) = owner.page("/webhooks").await;
    assert!(page.contains("role=\"alert\""), "a banner on the page");
    assert!(page.contains("5 days"));
    assert!(statuses(&app).iter().all(|status| status == "failed"));
}
