//! The users page's "External users" tab: inviting people from outside the organization to its
//! API portal, the statuses their dates lead to, the actions each status allows, the "Access to"
//! drawer, the table (search, sort, pages, columns), and who may see and change what.

use diesel::prelude::*;
use gatehouse::clock::Clock;
use gatehouse::crypto::token::hash_token;
use gatehouse::db::schema::{
    accounts, audit_events, external_invitations, external_user_api_groups, external_user_apis,
    external_users, organizations, sessions,
};
use gatehouse::domain::account::{self, NewAccount};
use gatehouse::domain::environment::{EnvAccess, EnvAccessSet};
use gatehouse::domain::permission::Permission;
use reqwest::StatusCode;
use time::macros::datetime;
use time::{Duration, PrimitiveDateTime};

use crate::helpers::*;
use crate::smtp_sink::SmtpSink;
use gatehouse::domain::ids::OrganizationId;

/// Noon UTC on Nov 30, 2030: 09:00 in São Paulo, where the admin lives.
const NOON: PrimitiveDateTime = datetime!(2030-11-30 12:00);
/// 23:59 of Nov 30, 2030 in São Paulo (UTC-3).
const SAO_PAULO_END: PrimitiveDateTime = datetime!(2030-12-01 02:59);
const ZONE: &str = "America/Sao_Paulo";

/// An app whose clock reads NOON, with an SMTP sink, and its administrator (in São Paulo)
/// signed in.
async fn app_at_noon() -> (TestApp, TestClient, SmtpSink) {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_app_with(move |settings| settings.smtp_url = Some(url)).await;
    app.clock.set(NOON);
    let admin = app.client();
    complete_setup(&app, &admin).await;
    set_time_zone(&app, ADMIN_EMAIL, Some(ZONE));
    (app, admin, sink)
}

fn set_time_zone(app: &TestApp, email: &str, zone: Option<&str>) {
    let mut conn = app.pool.get().unwrap();
    diesel::update(accounts::table.filter(accounts::email.eq(email)))
        .set(accounts::time_zone.eq(zone))
        .execute(&mut conn)
        .unwrap();
}

async fn invite(
    admin: &TestClient,
    email: &str,
    expiry: &str,
    expires_on: &str,
) -> reqwest::Response {
    let (status, _) = admin.page("/users/external/new").await;
    assert_eq!(status, StatusCode::OK);
    admin
        .post_form(
            "/users/external",
            &[
                ("email", email),
                ("expiry", expiry),
                ("expires_on", expires_on),
            ],
        )
        .await
}

fn external_id(app: &TestApp, email: &str) -> i64 {
    let mut conn = app.pool.get().unwrap();
    external_users::table
        .filter(external_users::email.eq(email))
        .select(external_users::id)
        .first(&mut conn)
        .unwrap_or_else(|_| panic!("no external user {email}"))
}

fn account_id(app: &TestApp, email: &str) -> Option<i64> {
    let mut conn = app.pool.get().unwrap();
    accounts::table
        .filter(accounts::email.eq(email))
        .select(accounts::id)
        .first(&mut conn)
        .optional()
        .unwrap()
}

/// What the lead's registration page does, without it: the row becomes Active and registered.
fn register(app: &TestApp, id: i64, own_zone: Option<&str>) {
    let mut conn = app.pool.get().unwrap();
    let account: i64 = external_users::table
        .find(id)
        .select(external_users::account_id)
        .first(&mut conn)
        .unwrap();
    diesel::update(external_users::table.find(id))
        .set((
            external_users::status.eq("active"),
            external_users::registered_at.eq(Some(app.clock.now())),
        ))
        .execute(&mut conn)
        .unwrap();
    diesel::update(accounts::table.find(account))
        .set(accounts::time_zone.eq(own_zone))
        .execute(&mut conn)
        .unwrap();
}

fn stored_status(app: &TestApp, id: i64) -> String {
    let mut conn = app.pool.get().unwrap();
    external_users::table
        .find(id)
        .select(external_users::status)
        .first(&mut conn)
        .unwrap()
}

fn audit_actions(app: &TestApp) -> Vec<String> {
    let mut conn = app.pool.get().unwrap();
    audit_events::table
        .order(audit_events::id.asc())
        .select(audit_events::action)
        .load(&mut conn)
        .unwrap()
}

fn session_count(app: &TestApp, account_id: i64) -> i64 {
    let mut conn = app.pool.get().unwrap();
    sessions::table
        .filter(sessions::account_id.eq(account_id))
        .count()
        .get_result(&mut conn)
        .unwrap()
}

/// A session row, as the lead's portal sign-in will create for an external user.
fn open_session(app: &TestApp, account_id: i64) {
    let mut conn = app.pool.get().unwrap();
    let now = app.clock.now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(hash_token(&gatehouse::crypto::token::random_token())),
            sessions::account_id.eq(account_id),
            sessions::organization_id.eq(None::<i64>),
            sessions::csrf_token.eq("csrf"),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::expires_at.eq(now + Duration::hours(8)),
            sessions::password_change_required.eq(false),
        ))
        .execute(&mut conn)
        .unwrap();
}

/// The status badge of the row that shows `email`.
fn status_in(page: &str, email: &str) -> String {
    let start = page
        .find(&format!(">{email}<span class=\"cell-sub\">"))
        .unwrap_or_else(|| panic!("no row for {email}"));
    let rest = &page[start..];
    let rest = &rest[rest.find("class=\"badge badge-").unwrap()..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest[open..].find('<').unwrap() + open;
    rest[open..close].to_owned()
}

/// The `<tr>…</tr>` of the row that shows `email`.
fn row_of(page: &str, email: &str) -> String {
    let at = page
        .find(&format!(">{email}<span class=\"cell-sub\">"))
        .unwrap_or_else(|| panic!("no row for {email}"));
    let start = page[..at].rfind("<tr>").unwrap();
    let end = page[at..].find("</tr>").unwrap() + at;
    page[start..end].to_owned()
}

fn rows_in(page: &str) -> usize {
    page.matches("<tr>").count().saturating_sub(1)
}

/// A second organization ("Navy") whose administrator, Grace, is signed in there.
async fn admin_of_navy(app: &TestApp) -> (TestClient, OrganizationId) {
    let email = "grace@navy.example";
    let organization_id = {
        let mut conn = app.pool.get().unwrap();
        let now = app.clock.now();
        let grace = account_with_password(&mut conn, now, email, "Grace Hopper", Some("pt-BR"));
        gatehouse::domain::organization::create_with_owner(
            &mut conn,
            "Navy",
            grace.id,
            &test_actor(app),
        )
        .unwrap()
        .id
    };
    (
        app.signed_in_client(email, ADMIN_PASSWORD).await,
        organization_id,
    )
}

struct Catalog {
    production_api: i64,
    staging_api: i64,
    group: i64,
}

fn catalog(app: &TestApp, organization_id: OrganizationId) -> Catalog {
    let production = catalog_environment(app, organization_id, "Production");
    let staging = catalog_environment(app, organization_id, "Staging");
    let production_api = insert_catalog_api(app, organization_id, production, "Payments", "v1");
    let staging_api = insert_catalog_api(app, organization_id, staging, "Ledger", "v1");
    let orders = insert_catalog_api(app, organization_id, production, "Orders", "v1");
    let group = catalog_group(app, organization_id, "Partner APIs", &[orders]);
    Catalog {
        production_api,
        staging_api,
        group,
    }
}

// ---------------------------------------------------------------------------------------------
// Inviting.

#[tokio::test]
async fn an_invitation_emails_a_single_use_registration_link() {
    let (app, admin, sink) = app_at_noon().await;
    let (_, users) = admin.page("/users").await;
    assert!(users.contains("href=\"/users/external\""), "the tab bar");
    assert!(users.contains("<a class=\"tab\" href=\"/users\" aria-current=\"page\">"));

    let (status, form) = admin.page("/users/external/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("min=\"2030-11-30\""), "today in São Paulo");
    assert!(form.contains("America/Sao_Paulo"));
    let response = admin
        .post_form(
            "/users/external",
            &[
                ("email", " Carol@Partner.example "),
                ("expiry", "date"),
                ("expires_on", "2030-12-31"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/users/external");

    let (_, list) = admin.page("/users/external").await;
    assert!(list.contains("Invitation sent."));
    assert_eq!(status_in(&list, "carol@partner.example"), "Requested");
    assert!(list.contains("Dec 31, 2030"));
    assert!(list.contains("<a class=\"tab\" href=\"/users/external\" aria-current=\"page\">"));

    let email = sink.wait_for_messages(1).await.remove(0);
    assert_eq!(email.recipients, vec!["carol@partner.example".to_owned()]);
    assert_eq!(
        email.subject,
        format!("Your access to the {ORGANIZATION} API portal")
    );
    let text = email.text.clone().unwrap();
    assert!(text.contains(&format!(
        "{ADMIN_NAME} invited you to the API portal of {ORGANIZATION}"
    )));
    assert!(text.contains("until 23:59 on Dec 31, 2030 (America/Sao_Paulo time)"));
    let link = email.links()[0].clone();
    assert!(
        link.starts_with(&format!("{}/portal/register/", app.address)),
        "{link}"
    );
    assert!(email.html.unwrap().contains(&format!("href=\"{link}\"")));

    // The link is stored hashed, once, with the invitation lifetime.
    let token = link.rsplit('/').next().unwrap();
    let id = external_id(&app, "carol@partner.example");
    let mut conn = app.pool.get().unwrap();
    let stored: Vec<(String, PrimitiveDateTime)> = external_invitations::table
        .filter(external_invitations::external_user_id.eq(id))
        .select((
            external_invitations::token_hash,
            external_invitations::expires_at,
        ))
        .load(&mut conn)
        .unwrap();
    assert_eq!(stored, vec![(hash_token(token), NOON + Duration::days(7))]);
    let (zone, expires_on): (String, Option<time::Date>) = external_users::table
        .find(id)
        .select((
            external_users::invited_time_zone,
            external_users::access_expires_on,
        ))
        .first(&mut conn)
        .unwrap();
    assert_eq!(zone, ZONE);
    assert_eq!(expires_on, Some(time::macros::date!(2030 - 12 - 31)));
    let outbox = app.outbox();
    assert_eq!(outbox.last().unwrap().kind, "external_invitation");
    assert!(audit_actions(&app).contains(&"external-user.invited".to_owned()));
}

#[tokio::test]
async fn the_email_speaks_the_recipients_language_and_never_ending_access_says_so() {
    let (app, admin, sink) = app_at_noon().await;
    // Grace has an account already (she runs another organization), in Portuguese.
    let _ = admin_of_navy(&app).await;
    let response = invite(&admin, "grace@navy.example", "never", "").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let email = sink.wait_for_messages(1).await.remove(0);
    assert_eq!(
        email.subject,
        format!("Seu acesso ao portal de APIs de {ORGANIZATION}")
    );
    assert!(
        email
            .text
            .unwrap()
            .contains("Seu acesso não tem data de término.")
    );
    let (_, list) = admin.page("/users/external").await;
    let row = row_of(&list, "grace@navy.example");
    assert!(row.contains("Never"));
    assert!(row.contains("Grace Hopper"), "her name, from her account");
}

#[tokio::test]
async fn members_and_people_invited_already_are_refused_next_to_the_email() {
    let (app, admin, _sink) = app_at_noon().await;
    let org = first_organization_id(&app);

    let myself = invite(&admin, ADMIN_EMAIL, "never", "").await;
    assert_eq!(myself.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = myself.text().await.unwrap();
    assert!(body.contains("This person is a member of the organization."));
    assert!(body.contains(&format!("value=\"{ADMIN_EMAIL}\"")));
    assert!(body.contains("aria-invalid=\"true\" aria-describedby=\"email-error"));

    // A pending member (invited, not registered) counts as a member too.
    admin.page("/users/new").await;
    let pending = admin
        .post_form(
            "/users",
            &[
                ("email", "pat@example.com"),
                ("role_id", &role_id(&app, org, "User").to_string()),
            ],
        )
        .await;
    assert_eq!(pending.status(), StatusCode::SEE_OTHER);
    let refused = invite(&admin, "PAT@example.com", "never", "").await;
    assert_unprocessable(refused, "This person is a member of the organization.").await;

    assert_eq!(
        invite(&admin, "carol@partner.example", "never", "")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let twice = invite(&admin, "carol@partner.example", "date", "2030-12-31").await;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = twice.text().await.unwrap();
    assert!(body.contains("This person is an external user of this organization already."));
    assert!(
        body.contains("value=\"2030-12-31\""),
        "the date typed is kept"
    );

    let bad = invite(&admin, "carol", "never", "").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("Enter an email address like name@example.com.")
    );
    let mut conn = app.pool.get().unwrap();
    let rows: i64 = external_users::table.count().get_result(&mut conn).unwrap();
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn the_date_must_be_today_or_later_in_the_inviters_zone() {
    let (app, admin, _sink) = app_at_noon().await;
    let past = invite(&admin, "carol@partner.example", "date", "2030-11-29").await;
    assert_eq!(past.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = past.text().await.unwrap();
    assert!(body.contains("Choose today or a later date."));
    assert!(body.contains("value=\"2030-11-29\""));
    assert!(body.contains("value=\"carol@partner.example\""));
    assert!(body.contains("id=\"expires-on-error\""));

    let missing = invite(&admin, "carol@partner.example", "date", "").await;
    assert_unprocessable(missing, "Choose the last day of access.").await;
    let garbled = invite(&admin, "carol@partner.example", "date", "2030-02-30").await;
    assert_eq!(garbled.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // 01:00 UTC on Dec 1 is still Nov 30 in São Paulo: "today" is still allowed there.
    app.clock.set(datetime!(2030-12-01 01:00));
    let admin = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let today = invite(&admin, "carol@partner.example", "date", "2030-11-30").await;
    assert_eq!(today.status(), StatusCode::SEE_OTHER);
    assert!(account_id(&app, "carol@partner.example").is_some());
}

// ---------------------------------------------------------------------------------------------
// Statuses.

#[tokio::test]
async fn access_expires_at_2359_in_the_persons_zone() {
    let (app, _admin, _sink) = app_at_noon().await;
    let admin = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    invite(&admin, "carol@partner.example", "date", "2030-11-30").await;
    invite(&admin, "dave@partner.example", "date", "2030-11-30").await;
    let carol = external_id(&app, "carol@partner.example");
    let dave = external_id(&app, "dave@partner.example");
    // Carol registers without a zone of her own: the inviter's, São Paulo, still counts.
    register(&app, carol, None);

    app.clock.set(SAO_PAULO_END - Duration::seconds(1));
    let admin = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, list) = admin.page("/users/external").await;
    assert_eq!(status_in(&list, "carol@partner.example"), "Active");
    assert_eq!(status_in(&list, "dave@partner.example"), "Requested");
    let row = row_of(&list, "carol@partner.example");
    assert!(row.contains("Nov 30, 2030"));
    assert!(
        !row.contains("your time"),
        "the admin reads it in the same zone"
    );

    app.clock.set(SAO_PAULO_END);
    let (_, list) = admin.page("/users/external").await;
    assert_eq!(status_in(&list, "carol@partner.example"), "Expired");
    assert_eq!(status_in(&list, "dave@partner.example"), "Expired");
    assert_eq!(
        stored_status(&app, carol),
        "active",
        "Expired is not stored"
    );
    let _ = dave;
}

#[tokio::test]
async fn a_registered_persons_own_zone_moves_the_end_and_the_viewer_sees_it_in_theirs() {
    let (app, admin, _sink) = app_at_noon().await;
    invite(&admin, "carol@partner.example", "date", "2030-11-30").await;
    let carol = external_id(&app, "carol@partner.example");
    // Carol lives in Warsaw (UTC+1 in winter): her 23:59 is 22:59 UTC, 19:59 in São Paulo.
    register(&app, carol, Some("Europe/Warsaw"));
    let (_, list) = admin.page("/users/external").await;
    let row = row_of(&list, "carol@partner.example");
    assert!(row.contains("Nov 30, 2030"), "{row}");
    assert!(row.contains("ends Nov 30, 2030, 19:59 your time"), "{row}");

    app.clock.set(datetime!(2030-11-30 22:59));
    let admin = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, list) = admin.page("/users/external").await;
    assert_eq!(status_in(&list, "carol@partner.example"), "Expired");
}

#[tokio::test]
async fn each_status_allows_only_its_actions() {
    let (app, admin, sink) = app_at_noon().await;
    invite(&admin, "carol@partner.example", "never", "").await;
    let id = external_id(&app, "carol@partner.example");
    let post = |path: &'static str| {
        let admin = &admin;
        async move {
            admin.page("/users/external").await;
            admin
                .post_form(&format!("/users/external/{id}/{path}"), &[])
                .await
                .status()
        }
    };

    // Requested: resend (and delete); no suspend, reactivate or edit.
    let (_, list) = admin.page("/users/external").await;
    let row = row_of(&list, "carol@partner.example");
    assert!(row.contains(&format!("/users/external/{id}/resend")));
    assert!(!row.contains("/suspend") && !row.contains("/edit") && !row.contains("/reactivate"));
    assert_eq!(post("suspend").await, StatusCode::CONFLICT);
    assert_eq!(post("reactivate").await, StatusCode::CONFLICT);
    let edit = admin.get(&format!("/users/external/{id}/edit")).await;
    assert_eq!(edit.status(), StatusCode::CONFLICT);
    assert!(
        edit.text()
            .await
            .unwrap()
            .contains("The expiry can be changed only for active or suspended external users.")
    );
    assert_eq!(post("resend").await, StatusCode::SEE_OTHER);
    let links: Vec<String> = sink
        .wait_for_messages(2)
        .await
        .iter()
        .map(|m| m.links()[0].clone())
        .collect();
    assert_ne!(links[0], links[1], "a new link");
    let mut conn = app.pool.get().unwrap();
    let stored: Vec<String> = external_invitations::table
        .filter(external_invitations::external_user_id.eq(id))
        .select(external_invitations::token_hash)
        .load(&mut conn)
        .unwrap();
    drop(conn);
    assert_eq!(
        stored,
        vec![hash_token(links[1].rsplit('/').next().unwrap())],
        "the old link is gone"
    );

    // Active: edit and suspend; no resend, no reactivate.
    register(&app, id, None);
    let (_, list) = admin.page("/users/external").await;
    let row = row_of(&list, "carol@partner.example");
    assert!(row.contains("/suspend") && row.contains("/edit"));
    assert!(!row.contains("/resend") && !row.contains("/reactivate"));
    assert_eq!(post("resend").await, StatusCode::CONFLICT);
    assert_eq!(post("reactivate").await, StatusCode::CONFLICT);

    let (status, page) = admin.page(&format!("/users/external/{id}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("value=\"never\" checked"));
    let past = admin
        .post_form(
            &format!("/users/external/{id}/edit"),
            &[("expiry", "date"), ("expires_on", "2030-11-01")],
        )
        .await;
    assert_eq!(past.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        past.text()
            .await
            .unwrap()
            .contains("Choose today or a later date.")
    );
    let edited = admin
        .post_form(
            &format!("/users/external/{id}/edit"),
            &[("expiry", "date"), ("expires_on", "2031-01-15")],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let (_, list) = admin.page("/users/external").await;
    assert!(list.contains("Access expiry changed."));
    assert!(row_of(&list, "carol@partner.example").contains("Jan 15, 2031"));

    assert_eq!(post("suspend").await, StatusCode::SEE_OTHER);
    assert_eq!(stored_status(&app, id), "suspended");
    let (_, list) = admin.page("/users/external").await;
    assert_eq!(status_in(&list, "carol@partner.example"), "Suspended");

    // Suspended: edit and reactivate; no suspend, no resend.
    assert_eq!(post("suspend").await, StatusCode::CONFLICT);
    assert_eq!(post("resend").await, StatusCode::CONFLICT);
    let (status, _) = admin.page(&format!("/users/external/{id}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    let edited = admin
        .post_form(
            &format!("/users/external/{id}/edit"),
            &[("expiry", "never"), ("expires_on", "")],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    assert_eq!(post("reactivate").await, StatusCode::SEE_OTHER);
    let (_, list) = admin.page("/users/external").await;
    assert_eq!(status_in(&list, "carol@partner.example"), "Active");
    assert!(row_of(&list, "carol@partner.example").contains("Never"));

    // Delete, after a confirmation page.
    let (status, page) = admin.page(&format!("/users/external/{id}/delete")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("carol@partner.example"));
    assert!(page.contains(&format!("action=\"/users/external/{id}/delete\"")));
    let deleted = admin
        .post_form(&format!("/users/external/{id}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let (_, list) = admin.page("/users/external").await;
    assert!(list.contains("External user deleted."));
    assert!(!list.contains("carol@partner.example"));
    assert_eq!(
        admin
            .get(&format!("/users/external/{id}/delete"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    let actions = audit_actions(&app);
    for action in [
        "external-user.invited",
        "external-user.invitation-resent",
        "external-user.expiry-changed",
        "external-user.suspended",
        "external-user.reactivated",
        "external-user.deleted",
    ] {
        assert!(
            actions.contains(&action.to_owned()),
            "{action} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn an_expired_invitation_is_resent_with_a_new_date() {
    let (app, admin, sink) = app_at_noon().await;
    invite(&admin, "carol@partner.example", "date", "2030-11-30").await;
    let id = external_id(&app, "carol@partner.example");
    let first = sink.wait_for_messages(1).await[0].links()[0].clone();

    app.clock.set(SAO_PAULO_END + Duration::hours(1));
    let admin = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, list) = admin.page("/users/external").await;
    assert_eq!(status_in(&list, "carol@partner.example"), "Expired");
    let row = row_of(&list, "carol@partner.example");
    assert!(row.contains(&format!("href=\"/users/external/{id}/resend\"")));
    assert!(
        !row.contains("/edit"),
        "an expired person gets a new link, not an edit"
    );

    let (status, form) = admin.page(&format!("/users/external/{id}/resend")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("name=\"expires_on\""));
    let path = format!("/users/external/{id}/resend");
    let without = admin.post_form(&path, &[]).await;
    assert_unprocessable(without, "Access has expired: choose a new expiry first.").await;
    let past = admin
        .post_form(&path, &[("expiry", "date"), ("expires_on", "2030-11-30")])
        .await;
    assert_eq!(past.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        past.text()
            .await
            .unwrap()
            .contains("Choose today or a later date.")
    );
    assert_eq!(sink.messages().len(), 1, "nothing sent yet");

    let resent = admin
        .post_form(&path, &[("expiry", "date"), ("expires_on", "2030-12-15")])
        .await;
    assert_eq!(resent.status(), StatusCode::SEE_OTHER);
    let (_, list) = admin.page("/users/external").await;
    assert!(list.contains("A new invitation was sent"));
    assert_eq!(status_in(&list, "carol@partner.example"), "Requested");
    assert!(row_of(&list, "carol@partner.example").contains("Dec 15, 2030"));
    let second = sink.wait_for_messages(2).await[1].clone();
    assert_ne!(second.links()[0], first);
    assert!(second.text.unwrap().contains("Dec 15, 2030"));
    assert!(audit_actions(&app).contains(&"external-user.invitation-resent".to_owned()));
}

// ---------------------------------------------------------------------------------------------
// Ending access.

#[tokio::test]
async fn suspending_or_deleting_ends_the_sessions_of_someone_left_with_nothing() {
    let (app, admin, _sink) = app_at_noon().await;
    invite(&admin, "carol@partner.example", "never", "").await;
    let carol = external_id(&app, "carol@partner.example");
    let carol_account = account_id(&app, "carol@partner.example").unwrap();
    register(&app, carol, None);
    open_session(&app, carol_account);
    open_session(&app, carol_account);

    admin.page("/users/external").await;
    let suspend = admin
        .post_form(&format!("/users/external/{carol}/suspend"), &[])
        .await;
    assert_eq!(suspend.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        session_count(&app, carol_account),
        0,
        "suspension ends them"
    );

    admin
        .post_form(&format!("/users/external/{carol}/reactivate"), &[])
        .await;
    open_session(&app, carol_account);
    let deleted = admin
        .post_form(&format!("/users/external/{carol}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(session_count(&app, carol_account), 0, "deletion ends them");
    assert_eq!(
        account_id(&app, "carol@partner.example"),
        None,
        "an account left with nothing goes too: no way back in"
    );

    // Grace runs another organization: losing her external access here leaves her console.
    let (grace, _) = admin_of_navy(&app).await;
    invite(&admin, "grace@navy.example", "never", "").await;
    let grace_row = external_id(&app, "grace@navy.example");
    register(&app, grace_row, None);
    let suspend = admin
        .post_form(&format!("/users/external/{grace_row}/suspend"), &[])
        .await;
    assert_eq!(suspend.status(), StatusCode::SEE_OTHER);
    let deleted = admin
        .post_form(&format!("/users/external/{grace_row}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(grace.get("/").await.status(), StatusCode::OK);
    assert!(account_id(&app, "grace@navy.example").is_some());
}

// ---------------------------------------------------------------------------------------------
// The "Access to" drawer.

#[tokio::test]
async fn the_access_drawer_saves_groups_and_apis_of_this_organization_only() {
    let (app, admin, _sink) = app_at_noon().await;
    let org = first_organization_id(&app);
    let ours = catalog(&app, org);
    invite(&admin, "carol@partner.example", "never", "").await;
    let id = external_id(&app, "carol@partner.example");

    let (status, drawer) = admin.page(&format!("/users/external/{id}/access")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(drawer.contains("<html"), "a plain page without JavaScript");
    assert!(drawer.contains("<legend>APIs in Production</legend>"));
    assert!(drawer.contains("<legend>APIs in Staging</legend>"));
    assert!(drawer.contains("<legend>API groups</legend>"));
    assert!(drawer.contains("Partner APIs"));
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("hx-request", "true".parse().unwrap());
    let fragment = admin
        .get_with(&format!("/users/external/{id}/access"), headers)
        .await
        .text()
        .await
        .unwrap();
    assert!(!fragment.contains("<html") && fragment.contains("class=\"drawer\""));

    let path = format!("/users/external/{id}/access");
    let saved = admin
        .post_form(
            &path,
            &[
                ("group", &ours.group.to_string()),
                ("api", &ours.production_api.to_string()),
                ("api", &ours.staging_api.to_string()),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let (_, list) = admin.page("/users/external").await;
    assert!(list.contains("Access saved."));
    let row = row_of(&list, "carol@partner.example");
    assert!(row.contains("Partner APIs"));
    assert!(row.contains("Payments v1 · Production"));
    assert!(row.contains("Ledger v1 · Staging"));
    let (_, drawer) = admin.page(&path).await;
    assert!(drawer.contains(&format!("value=\"{}\" checked", ours.production_api)));

    // Navy's API is not ours to give: 404, and nothing changes.
    let (_, navy) = admin_of_navy(&app).await;
    let navy_env = catalog_environment(&app, navy, "Fleet");
    let theirs = insert_catalog_api(&app, navy, navy_env, "Sonar", "v1");
    let refused = admin
        .post_form(
            &path,
            &[
                ("api", &ours.production_api.to_string()),
                ("api", &theirs.to_string()),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let navy_group = catalog_group(&app, navy, "Navy APIs", &[theirs]);
    let refused = admin
        .post_form(&path, &[("group", &navy_group.to_string())])
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let garbled = admin.post_form(&path, &[("api", "one")]).await;
    assert_eq!(garbled.status(), StatusCode::BAD_REQUEST);
    let mut conn = app.pool.get().unwrap();
    let apis_granted: Vec<i64> = external_user_apis::table
        .filter(external_user_apis::external_user_id.eq(id))
        .order(external_user_apis::api_id.asc())
        .select(external_user_apis::api_id)
        .load(&mut conn)
        .unwrap();
    let mut expected = vec![ours.production_api, ours.staging_api];
    expected.sort();
    assert_eq!(apis_granted, expected);
    let groups_granted: Vec<i64> = external_user_api_groups::table
        .filter(external_user_api_groups::external_user_id.eq(id))
        .select(external_user_api_groups::api_group_id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(groups_granted, vec![ours.group]);
    drop(conn);

    // Saving nothing takes everything away.
    let cleared = admin.post_form(&path, &[]).await;
    assert_eq!(cleared.status(), StatusCode::SEE_OTHER);
    let (_, list) = admin.page("/users/external").await;
    assert!(row_of(&list, "carol@partner.example").contains("Nothing yet"));
    let changes = audit_actions(&app)
        .into_iter()
        .filter(|a| a == "external-user.access-changed")
        .count();
    assert_eq!(changes, 2);
}

// ---------------------------------------------------------------------------------------------
// The table.

/// Sixty external users straight into the database, as registration would leave them.
fn sixty_external_users(app: &TestApp, organization_id: OrganizationId) {
    let mut conn = app.pool.get().unwrap();
    let now = app.clock.now();
    for n in 0..60 {
        let email = format!("person{n:02}@partner.example");
        let name = format!("Person {n:02}");
        let company = if n % 10 == 0 {
            "Acme Widgets"
        } else {
            "Globex"
        };
        let account = account::insert(
            &mut conn,
            &NewAccount {
                email: &email,
                name: &name,
                password_hash: None,
                language: None,
                created_at: now,
                password_changed_at: None,
            },
        )
        .unwrap();
        let id: i64 = diesel::insert_into(external_users::table)
            .values((
                external_users::organization_id.eq(organization_id),
                external_users::account_id.eq(account.id),
                external_users::status.eq(if n % 2 == 0 { "active" } else { "requested" }),
                external_users::company.eq(company),
                external_users::invited_time_zone.eq("UTC"),
                external_users::created_at.eq(now + Duration::seconds(n)),
                external_users::email.eq(""),
                external_users::name_folded.eq(""),
                external_users::company_folded.eq(""),
                external_users::search_text.eq(""),
            ))
            .returning(external_users::id)
            .get_result(&mut conn)
            .unwrap();
        gatehouse::domain::external_user::refresh_directory(&mut conn, id).unwrap();
    }
}

#[tokio::test]
async fn the_table_searches_sorts_and_pages() {
    let (app, admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);
    sixty_external_users(&app, org);

    let (status, first) = admin.page("/users/external").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows_in(&first), 50, "50 a page");
    assert!(first.contains("1–50 of 60"));
    assert!(first.contains("rel=\"next\""));
    assert!(first.find("person00@").unwrap() < first.find("person01@").unwrap());

    let (_, second) = admin
        .page("/users/external?sort=email&dir=asc&page=2")
        .await;
    assert_eq!(rows_in(&second), 10);
    assert!(second.contains("51–60 of 60"));
    assert!(second.contains("person59@partner.example"));

    let (_, acme) = admin.page("/users/external?q=acm").await;
    assert_eq!(rows_in(&acme), 6, "company words are searched by prefix");
    assert!(acme.contains("1–6 of 6"));
    let (_, by_name) = admin.page("/users/external?q=person%2007").await;
    assert_eq!(rows_in(&by_name), 1);
    assert!(by_name.contains("person07@partner.example"));
    let (_, inner) = admin.page("/users/external?q=erson").await;
    assert!(inner.contains("No external users match"), "prefixes only");
    let (_, literal) = admin.page("/users/external?q=%25").await;
    assert!(literal.contains("No external users match"), "% is literal");
    let (_, underscore) = admin.page("/users/external?q=p_rson").await;
    assert!(
        underscore.contains("No external users match"),
        "_ is literal"
    );

    let (_, descending) = admin.page("/users/external?sort=email&dir=desc").await;
    assert!(descending.find("person59@").unwrap() < descending.find("person58@").unwrap());
    assert!(descending.contains("aria-sort=\"descending\""));
    let (_, by_company) = admin.page("/users/external?sort=company&dir=asc").await;
    assert!(by_company.find("person00@").unwrap() < by_company.find("person01@").unwrap());
    assert!(by_company.find("person50@").unwrap() < by_company.find("person01@").unwrap());
    let (_, by_status) = admin.page("/users/external?sort=status&dir=asc").await;
    assert!(by_status.find("person00@").unwrap() < by_status.find("person01@").unwrap());
    let (_, newest) = admin
        .page("/users/external?sort=member-since&dir=desc")
        .await;
    assert!(newest.find("person59@").unwrap() < newest.find("person58@").unwrap());
    let (_, bogus) = admin.page("/users/external?sort=access").await;
    assert!(
        bogus.contains("person00@"),
        "unknown sorts fall back to email"
    );

    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("hx-request", "true".parse().unwrap());
    let fragment = admin
        .get_with("/users/external?q=acme", headers)
        .await
        .text()
        .await
        .unwrap();
    assert!(!fragment.contains("<html") && fragment.contains("<table"));
    assert!(!fragment.contains("external-search"), "not the toolbar");
}

#[tokio::test]
async fn each_admin_chooses_and_orders_the_columns() {
    let (app, admin) = spawn_app_with_admin().await;
    let (_, page) = admin.page("/users/external").await;
    assert!(page.contains("column-company"));
    let org = first_organization_id(&app);
    sixty_external_users(&app, org);
    let saved = admin
        .post_form(
            "/preferences/columns/external_users",
            &[
                ("show", "company"),
                ("show", "email"),
                ("position_company", "1"),
                ("position_email", "2"),
                ("return_to", "/users/external"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), "/users/external");
    let (_, page) = admin.page("/users/external").await;
    assert!(page.contains("Column settings saved."));
    let header = &page[page.find("<thead>").unwrap()..page.find("</thead>").unwrap()];
    assert!(!header.contains("Member since"));
    assert!(header.find(">Company<").unwrap() < header.find(">Email<").unwrap());
    let (_, members) = admin.page("/users").await;
    assert!(
        members.contains("Member since"),
        "the members table keeps its own"
    );

    add_member(&app, org, "olga@example.com", &["Administrator"]);
    let olga = app
        .signed_in_client("olga@example.com", ADMIN_PASSWORD)
        .await;
    let (_, page) = olga.page("/users/external").await;
    let header = &page[page.find("<thead>").unwrap()..page.find("</thead>").unwrap()];
    assert!(
        header.contains("Member since"),
        "another admin keeps the default"
    );
}

// ---------------------------------------------------------------------------------------------
// Who may see and change what.

#[tokio::test]
async fn read_only_members_see_the_table_but_change_nothing() {
    let (app, admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);
    invite(&admin, "carol@partner.example", "never", "").await;
    let id = external_id(&app, "carol@partner.example");

    let operators = create_role(&app, org, "Operators", &[Permission::Read]);
    {
        let mut conn = app.pool.get().unwrap();
        let actor = test_actor(&app);
        let production =
            gatehouse::domain::environment::create(&mut conn, org, "Production", &actor).unwrap();
        gatehouse::domain::environment::set_role_access(
            &mut conn,
            org,
            operators,
            production,
            EnvAccessSet::of(&[EnvAccess::ViewLogs]),
            &actor,
        )
        .unwrap();
    }
    add_member(&app, org, "olive@example.com", &["Operators"]);
    let olive = app
        .signed_in_client("olive@example.com", ADMIN_PASSWORD)
        .await;
    let (status, page) = olive.page("/users/external").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("carol@partner.example"));
    assert!(!page.contains("href=\"/users/external/new\""), "no invite");
    assert!(
        !page.contains("/suspend") && !page.contains("/delete"),
        "no actions"
    );
    for path in [
        "/users/external/new".to_owned(),
        format!("/users/external/{id}/access"),
        format!("/users/external/{id}/edit"),
        format!("/users/external/{id}/resend"),
        format!("/users/external/{id}/delete"),
    ] {
        assert_eq!(
            olive.get(&path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    for path in [
        "/users/external".to_owned(),
        format!("/users/external/{id}/access"),
        format!("/users/external/{id}/edit"),
        format!("/users/external/{id}/resend"),
        format!("/users/external/{id}/suspend"),
        format!("/users/external/{id}/reactivate"),
        format!("/users/external/{id}/delete"),
    ] {
        let response = olive
            .post_form(
                &path,
                &[("email", "x@partner.example"), ("expiry", "never")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "POST {path}");
    }
    // She may still arrange the table for herself.
    let saved = olive
        .post_form(
            "/preferences/columns/external_users",
            &[("show", "email"), ("return_to", "/users/external")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);

    // A plain member may not even look.
    add_member(&app, org, "una@example.com", &["User"]);
    let una = app
        .signed_in_client("una@example.com", ADMIN_PASSWORD)
        .await;
    assert_eq!(
        una.get("/users/external").await.status(),
        StatusCode::FORBIDDEN
    );
    let mut conn = app.pool.get().unwrap();
    let rows: i64 = external_users::table.count().get_result(&mut conn).unwrap();
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn another_organizations_external_users_do_not_exist_for_an_admin() {
    let (app, admin, _sink) = app_at_noon().await;
    invite(&admin, "carol@partner.example", "never", "").await;
    let id = external_id(&app, "carol@partner.example");
    register(&app, id, None);
    let (grace, _) = admin_of_navy(&app).await;
    let (status, list) = grace.page("/users/external").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!list.contains("carol@partner.example"));
    for path in ["access", "edit", "resend", "delete"] {
        let response = grace.get(&format!("/users/external/{id}/{path}")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "GET {path}");
    }
    for path in [
        "access",
        "edit",
        "resend",
        "suspend",
        "reactivate",
        "delete",
    ] {
        let response = grace
            .post_form(
                &format!("/users/external/{id}/{path}"),
                &[("expiry", "never")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "POST {path}");
    }
    assert_eq!(
        grace.get("/users/external/nope/edit").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(stored_status(&app, id), "active", "untouched");
    let mut conn = app.pool.get().unwrap();
    let navy_rows: i64 = external_users::table
        .inner_join(organizations::table)
        .filter(organizations::name.eq("Navy"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(navy_rows, 0);
}
