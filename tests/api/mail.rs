//! Email through a real SMTP conversation: the outbox, retries, crashes, the deliveries page and
//! password reset, read back from the SMTP sink.

use std::time::Duration as StdDuration;

use diesel::prelude::*;
use gatehouse::clock::Clock;

use gatehouse::domain::outbox::{self, OutgoingEmail};
use gatehouse::mail::RenderedEmail;
use reqwest::StatusCode;
use time::Duration;

use crate::helpers::*;
use crate::smtp_sink::{SinkBehaviour, SmtpSink, unused_port};

/// Queues a plain message straight into the outbox, as domain code does inside its transaction.
fn enqueue_plain(app: &TestApp, recipient: &str, subject: &str) {
    let mut conn = app.pool.get().unwrap();
    let now = app.clock.now();
    outbox::enqueue(
        &mut conn,
        &OutgoingEmail {
            organization_id: None,
            kind: "test",
            recipient,
            content: RenderedEmail {
                subject: subject.to_owned(),
                text: "body".to_owned(),
                html: "<p>body</p>".to_owned(),
            },
            deadline: now + Duration::hours(1),
        },
        "gatehouse.test",
        now,
    )
    .unwrap();
}

async fn ask_for_reset(app: &TestApp, email: &str) -> String {
    let visitor = app.client();
    let (status, body) = visitor.page("/forgot-password").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Reset your password"));
    let response = visitor
        .post_form("/forgot-password", &[("email", email)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

#[tokio::test]
async fn a_reset_email_arrives_with_both_parts_and_a_link_that_works_once() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let answer = ask_for_reset(&app, ADMIN_EMAIL).await;
    assert!(answer.contains("If an account exists for that address"));

    let message = sink.wait_for_messages(1).await.remove(0);
    assert_eq!(message.recipients, vec![ADMIN_EMAIL.to_owned()]);
    assert_eq!(message.subject, "Reset your Gatehouse password");
    assert!(message.from.contains("gatehouse@localhost"));
    let stored = app.outbox();
    assert_eq!(
        message.message_id, stored[0].message_id,
        "the Message-ID fixed at queueing time"
    );
    assert!(
        stored[0].organization_id.is_none(),
        "account mail is no organization's delivery"
    );
    let html = message.html.clone().expect("an HTML part");
    let text = message.text.clone().expect("a text part");
    let link = message
        .links()
        .into_iter()
        .next()
        .expect("a link in the text part");
    assert!(
        link.starts_with(&format!("{}/reset-password/", app.address)),
        "{link}"
    );
    assert!(html.contains(&format!("href=\"{link}\"")));
    assert!(text.contains("Hello Ada Lovelace,"));

    let visitor = app.client();
    visitor.page("/sign-in").await;
    let (status, body) = visitor.page(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Choose a new password"));
    let short = visitor
        .post_form(
            &link,
            &[("password", "short"), ("password_confirmation", "short")],
        )
        .await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let new_password = "a brand new passphrase";
    let done = visitor
        .post_form(
            &link,
            &[
                ("password", new_password),
                ("password_confirmation", new_password),
            ],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&done), "/sign-in");
    let (_, sign_in) = visitor.page("/sign-in").await;
    assert!(sign_in.contains("Your password was changed."));

    // Every session of the account ended, including the administrator's own.
    assert_eq!(admin.get("/").await.status(), StatusCode::SEE_OTHER);
    let fresh = app.client();
    assert_eq!(
        fresh.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        fresh.sign_in(ADMIN_EMAIL, new_password).await.status(),
        StatusCode::SEE_OTHER
    );

    // The link is spent.
    let again = app.client();
    again.page("/sign-in").await;
    let (status, body) = again.page(&link).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("This reset link is no longer valid"));
    let reuse = again
        .post_form(
            &link,
            &[
                ("password", "yet another passphrase"),
                ("password_confirmation", "yet another passphrase"),
            ],
        )
        .await;
    assert_eq!(reuse.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_emails_get_the_same_answer_and_no_mail() {
    let (app, _admin, _sink) = spawn_app_with_sink().await;
    let known = ask_for_reset(&app, ADMIN_EMAIL).await;
    let unknown = ask_for_reset(&app, "nobody@example.com").await;
    let strip = |page: &str| {
        page.lines()
            .filter(|line| !line.contains("csrf_token"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&known), strip(&unknown));
    app.wait_for_outbox("one message", |messages| messages.len() == 1)
        .await;
    assert_eq!(app.outbox()[0].recipient, ADMIN_EMAIL);
}

#[tokio::test]
async fn a_malformed_email_is_explained_not_accepted() {
    let (app, _admin, _sink) = spawn_app_with_sink().await;
    let visitor = app.client();
    visitor.page("/forgot-password").await;
    let response = visitor
        .post_form("/forgot-password", &[("email", "not an email")])
        .await;
    assert_unprocessable(response, "Enter an email address like name@example.com.").await;
}

#[tokio::test]
async fn reset_links_expire_after_an_hour() {
    let (app, _admin, sink) = spawn_app_with_sink().await;
    ask_for_reset(&app, ADMIN_EMAIL).await;
    let link = sink.wait_for_messages(1).await[0].links()[0].clone();
    app.clock.advance(Duration::minutes(59));
    let visitor = app.client();
    assert_eq!(visitor.page(&link).await.0, StatusCode::OK);
    app.clock.advance(Duration::minutes(2));
    let (status, body) = visitor.page(&link).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("This reset link is no longer valid"));
}

#[tokio::test]
async fn mail_waits_while_smtp_is_down_and_goes_out_once_when_it_is_back() {
    let port = unused_port();
    let app = spawn_app_with(move |settings| {
        settings.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))
    })
    .await;
    complete_setup(&app, &app.client()).await;
    ask_for_reset(&app, ADMIN_EMAIL).await;

    let failed_once = app
        .wait_for_outbox("a failed first attempt", |m| {
            m.len() == 1 && m[0].attempts == 1
        })
        .await;
    assert_eq!(failed_once[0].status.as_str(), "pending");
    assert!(failed_once[0].last_error.is_some());
    assert_eq!(
        failed_once[0].next_attempt_at - failed_once[0].created_at,
        Duration::minutes(1)
    );

    let sink = SmtpSink::start_on(port).await;
    // Nothing is due until the backoff has passed.
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(sink.attempts(), 0);
    app.clock.advance(Duration::minutes(1));
    let delivered = sink.wait_for_messages(1).await;
    assert_eq!(delivered[0].subject, "Reset your Gatehouse password");
    let sent = app
        .wait_for_outbox("sent", |m| m[0].status.as_str() == "sent")
        .await;
    assert_eq!(sent[0].attempts, 2);
    assert!(sent[0].last_error.is_none());

    app.clock.advance(Duration::hours(3));
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 1, "delivered exactly once");
}

#[tokio::test]
async fn a_crash_between_commit_and_send_is_delivered_after_restart() {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    // The first process commits the message but dies before its worker sends it.
    let first = spawn_app_with({
        let url = url.clone();
        move |settings| {
            settings.smtp_url = Some(url);
            settings.run_outbox_worker = false;
        }
    })
    .await;
    complete_setup(&first, &first.client()).await;
    ask_for_reset(&first, ADMIN_EMAIL).await;
    assert_eq!(first.outbox()[0].status.as_str(), "pending");
    tokio::time::sleep(StdDuration::from_millis(200)).await;
    assert!(sink.messages().is_empty());

    // The restarted process finds it and sends it.
    let mut settings = test_settings(&first.database);
    settings.smtp_url = Some(url);
    let restarted = gatehouse::startup::Application::build(settings, first.clock.clone())
        .await
        .unwrap();
    tokio::spawn(restarted.run_until_stopped());
    let delivered = sink.wait_for_messages(1).await;
    assert_eq!(delivered[0].message_id, first.outbox()[0].message_id);
    first
        .wait_for_outbox("sent", |m| m[0].status.as_str() == "sent")
        .await;
}

#[tokio::test]
async fn a_permanent_failure_shows_on_the_deliveries_page_and_can_be_sent_again() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    sink.set_behaviour(SinkBehaviour::RejectPermanently);
    let (status, body) = admin.page("/deliveries").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("No emails yet"));
    let response = admin.post_form("/deliveries/test", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let failed = app
        .wait_for_outbox("a permanent failure", |m| {
            m.len() == 1 && m[0].status.as_str() == "failed"
        })
        .await;
    assert_eq!(failed[0].attempts, 1, "no retry after a 5xx");
    let (_, body) = admin.page("/deliveries").await;
    assert!(body.contains("A test email is on its way to you."));
    assert!(body.contains("Failed"));
    assert!(body.contains("550"), "the last error is shown");
    assert!(body.contains(ADMIN_EMAIL));

    sink.set_behaviour(SinkBehaviour::Accept);
    let again = admin
        .post_form(&format!("/deliveries/{}/send-again", failed[0].id), &[])
        .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let delivered = sink.wait_for_messages(1).await;
    assert!(delivered[0].subject.contains(ORGANIZATION));
    app.wait_for_outbox("sent", |m| m[0].status.as_str() == "sent")
        .await;
    let (_, body) = admin.page("/deliveries").await;
    assert!(body.contains("Sent"));
    assert!(!body.contains("Send again"));

    // Sent messages cannot be "sent again"; unknown ids answer 404.
    let sent_again = admin
        .post_form(&format!("/deliveries/{}/send-again", failed[0].id), &[])
        .await;
    assert_eq!(sent_again.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn temporary_failures_back_off_and_give_up_at_the_deadline() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    sink.set_behaviour(SinkBehaviour::RejectTemporarily);
    admin.page("/deliveries").await;
    admin.post_form("/deliveries/test", &[]).await;
    // The test email's deadline is one hour: attempts at 0, +1 min, +5 min, +30 min; the next
    // (+2 h) would fall after the deadline, so the fourth failure is final.
    for (attempt, wait) in [(1, 1), (2, 5), (3, 30)] {
        let messages = app
            .wait_for_outbox("another attempt", |m| m[0].attempts == attempt)
            .await;
        assert_eq!(messages[0].status.as_str(), "pending");
        assert_eq!(
            messages[0].next_attempt_at - app.clock.now(),
            Duration::minutes(wait)
        );
        app.clock.advance(Duration::minutes(wait));
    }
    let gave_up = app
        .wait_for_outbox("giving up", |m| m[0].status.as_str() == "failed")
        .await;
    assert_eq!(gave_up[0].attempts, 4);
    assert!(gave_up[0].last_error.as_deref().unwrap().contains("451"));
    assert_eq!(sink.attempts(), 4);
}

#[tokio::test]
async fn subjects_cannot_inject_headers() {
    let (app, _admin, sink) = spawn_app_with_sink().await;
    enqueue_plain(&app, ADMIN_EMAIL, "Hello\r\nBcc: evil@example.com");
    let message = sink.wait_for_messages(1).await.remove(0);
    assert!(
        !message
            .header_names()
            .iter()
            .any(|name| name.eq_ignore_ascii_case("bcc"))
    );
    assert_eq!(message.recipients, vec![ADMIN_EMAIL.to_owned()]);
    assert_eq!(message.subject, "Hello Bcc: evil@example.com");
}

#[tokio::test]
async fn without_smtp_mail_is_written_to_files() {
    let (app, _admin) = spawn_app_with_admin().await;
    ask_for_reset(&app, ADMIN_EMAIL).await;
    app.wait_for_outbox("sent to a file", |m| {
        m.len() == 1 && m[0].status.as_str() == "sent"
    })
    .await;
    let dir = app.database.dir.path().join("mail");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().unwrap(), "eml");
    let content = std::fs::read_to_string(&files[0]).unwrap();
    assert!(content.contains("Subject: Reset your Gatehouse password"));
    assert!(content.contains(ADMIN_EMAIL));
}

#[tokio::test]
async fn emails_are_in_the_recipients_language() {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_app_with(move |settings| settings.smtp_url = Some(url)).await;
    let client = app.client();
    complete_setup(&app, &client).await;
    {
        use gatehouse::db::schema::accounts;
        let mut conn = app.pool.get().unwrap();
        diesel::update(accounts::table)
            .set(accounts::language.eq("pt-BR"))
            .execute(&mut conn)
            .unwrap();
    }
    ask_for_reset(&app, ADMIN_EMAIL).await;
    let message = sink.wait_for_messages(1).await.remove(0);
    assert_eq!(message.subject, "Redefina sua senha do Gatehouse");
    assert!(message.text.unwrap().contains("Olá, Ada Lovelace,"));
}

#[tokio::test]
async fn nobody_sees_another_organizations_deliveries() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    admin.page("/deliveries").await;
    admin.post_form("/deliveries/test", &[]).await;
    sink.wait_for_messages(1).await;
    let ours = app
        .wait_for_outbox("sent", |m| m.len() == 1 && m[0].status.as_str() == "sent")
        .await;

    let other = second_organization_admin(&app).await;
    let (status, body) = other.page("/deliveries").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("No emails yet"));
    assert!(!body.contains(ADMIN_EMAIL));
    // Their "send again" on our message id is answered as if it did not exist.
    let response = other
        .post_form(&format!("/deliveries/{}/send-again", ours[0].id), &[])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

/// An administrator of a second organization, signed in.
async fn second_organization_admin(app: &TestApp) -> TestClient {
    use gatehouse::domain::audit::Actor;
    use gatehouse::domain::organization;
    let email = "grace@example.com";
    {
        let mut conn = app.pool.get().unwrap();
        let now = app.clock.now();
        let grace = account_with_password(&mut conn, now, email, "Grace Hopper", None);
        let actor = Actor::person(grace.id, None, now);
        organization::create_with_owner(&mut conn, "Navy", grace.id, &actor).unwrap();
    }
    let client = app.client();
    assert_eq!(
        client.sign_in(email, ADMIN_PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    client
}

#[tokio::test]
async fn two_instances_on_one_database_never_send_a_message_twice() {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let first = spawn_app_with({
        let url = url.clone();
        move |settings| settings.smtp_url = Some(url)
    })
    .await;
    let mut settings = test_settings(&first.database);
    settings.smtp_url = Some(url);
    let second = gatehouse::startup::Application::build(settings, first.clock.clone())
        .await
        .unwrap();
    tokio::spawn(second.run_until_stopped());

    for n in 0..40 {
        enqueue_plain(
            &first,
            &format!("person{n}@example.com"),
            &format!("Message {n}"),
        );
    }
    let delivered = sink.wait_for_messages(40).await;
    first
        .wait_for_outbox("all sent", |m| {
            m.iter().all(|m| m.status.as_str() == "sent")
        })
        .await;
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    let mut ids: Vec<String> = sink.messages().into_iter().map(|m| m.message_id).collect();
    assert_eq!(ids.len(), 40, "no message twice: {} deliveries", ids.len());
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40);
    assert_eq!(delivered.len(), 40);
}

/// The deliveries page pages through every message (50 at a time, newest first, each exactly
/// once) and filters by status and by part of the recipient's address.
#[tokio::test]
async fn the_deliveries_page_pages_and_filters() {
    let (app, admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);
    {
        let mut conn = app.pool.get().unwrap();
        let now = app.clock.now();
        for n in 0..120 {
            let recipient = format!(
                "person{n:03}@{}.test",
                if n % 3 == 0 { "acme" } else { "globex" }
            );
            outbox::enqueue(
                &mut conn,
                &OutgoingEmail {
                    organization_id: Some(org),
                    kind: "test",
                    recipient: &recipient,
                    content: RenderedEmail {
                        subject: format!("Message {n:03}"),
                        text: "body".to_owned(),
                        html: "<p>body</p>".to_owned(),
                    },
                    deadline: now + Duration::hours(3),
                },
                "gatehouse.test",
                // Queued in the future, so the worker leaves them alone while the test sets
                // their statuses.
                now + Duration::hours(1) + Duration::seconds(n),
            )
            .unwrap();
        }
    }
    {
        use gatehouse::db::schema::outbox_messages;
        let mut conn = app.pool.get().unwrap();
        diesel::update(outbox_messages::table)
            .set(outbox_messages::status.eq("sent"))
            .execute(&mut conn)
            .unwrap();
        diesel::update(outbox_messages::table.filter(outbox_messages::recipient.like("%acme%")))
            .set(outbox_messages::status.eq("failed"))
            .execute(&mut conn)
            .unwrap();
    }
    let subjects = |body: &str| -> Vec<String> {
        body.match_indices("Message ")
            .map(|(at, _)| body[at..at + 11].to_owned())
            .collect()
    };
    let older = |body: &str| -> Option<String> {
        let at = body.find("rel=\"next\" href=\"")? + "rel=\"next\" href=\"".len();
        Some(body[at..].split('"').next()?.replace("&amp;", "&"))
    };

    let mut seen = Vec::new();
    let mut next = Some("/deliveries".to_owned());
    while let Some(path) = next {
        let (status, body) = admin.page(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let page = subjects(&body);
        assert!(page.len() <= 50, "{} on {path}", page.len());
        seen.extend(page);
        next = older(&body);
    }
    let expected: Vec<String> = (0..120).rev().map(|n| format!("Message {n:03}")).collect();
    assert_eq!(seen, expected, "every message once, newest first");

    let (_, acme) = admin.page("/deliveries?to=ACME.test&status=failed").await;
    let acme = subjects(&acme);
    assert_eq!(acme.len(), 40);
    assert!(acme.iter().all(|s| s[8..].parse::<u32>().unwrap() % 3 == 0));
    let (_, sent) = admin.page("/deliveries?status=sent&to=acme").await;
    assert!(sent.contains("No email matches this filter."));
    let (_, globex) = admin.page("/deliveries?status=sent").await;
    assert_eq!(
        subjects(&globex).len(),
        50,
        "a full first page of the 80 sent"
    );
    // A wildcard is a literal character, not a pattern.
    let (_, wildcard) = admin.page("/deliveries?to=%25").await;
    assert!(wildcard.contains("No email matches this filter."));
}

/// An invitation from an admin who reads Polish goes out in Polish (the invitee has no
/// language yet), over SMTP.
#[tokio::test]
async fn an_invitation_from_a_polish_admin_is_written_in_polish() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let org = first_organization_id(&app);
    admin.choose_language("pl").await;
    admin.page("/users/new").await;
    let user_role = role_id(&app, org, "User").to_string();
    let invited = admin
        .post_form(
            "/users",
            &[("email", "nowa@example.com"), ("role_id", &user_role)],
        )
        .await;
    assert_eq!(invited.status(), StatusCode::SEE_OTHER);
    let message = sink.wait_for_messages(1).await.remove(0);
    assert_eq!(message.recipients, vec!["nowa@example.com".to_owned()]);
    assert_eq!(
        message.subject,
        format!("Zaproszenie do organizacji {ORGANIZATION} w Gatehouse")
    );
    let text = message.text.expect("a text part");
    assert!(!text.contains("You are invited"), "{text}");
}
