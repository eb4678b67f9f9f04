//! The API portal: an external user's invitation, registration and sign-in, what they may open,
//! and the end of their access at 23:59 in their own time zone; members who consume APIs.

use diesel::prelude::*;
use gatehouse::db::schema::{accounts, api_operations, apis, external_users};
use gatehouse::domain::environment::{EnvAccess, EnvAccessSet};
use gatehouse::domain::permission::Permission;
use reqwest::StatusCode;
use time::PrimitiveDateTime;
use time::macros::datetime;

use crate::helpers::*;
use crate::smtp_sink::SmtpSink;
use gatehouse::domain::ids::OrganizationId;

const EXTERNAL_PASSWORD: &str = "an external developer's passphrase";

/// An API in the catalog with a document and these operations (method, path, summary).
fn catalog_api(
    app: &TestApp,
    organization_id: OrganizationId,
    environment_name: &str,
    name: &str,
    operations: &[(&str, &str, &str)],
) -> i64 {
    let environment_id = catalog_environment(app, organization_id, environment_name);
    let id = insert_catalog_api(app, organization_id, environment_id, name, "1.0");
    let mut conn = app.pool.get().unwrap();
    diesel::update(apis::table.find(id))
        .set((
            apis::openapi_document.eq(format!(
                "{{\"openapi\":\"3.0.3\",\"info\":{{\"title\":\"{name}\",\"version\":\"1.0\"}},\"paths\":{{}}}}"
            )),
            apis::openapi_filename.eq("openapi.json"),
        ))
        .execute(&mut conn)
        .unwrap();
    for (position, (method, path, summary)) in operations.iter().enumerate() {
        diesel::insert_into(api_operations::table)
            .values((
                api_operations::api_id.eq(id),
                api_operations::position.eq(position as i32),
                api_operations::method.eq(*method),
                api_operations::path.eq(*path),
                api_operations::summary.eq(*summary),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    id
}

fn set_time_zone(app: &TestApp, email: &str, zone: &str) {
    let mut conn = app.pool.get().unwrap();
    diesel::update(accounts::table.filter(accounts::email.eq(email)))
        .set(accounts::time_zone.eq(zone))
        .execute(&mut conn)
        .unwrap();
}

fn external_user_id(app: &TestApp, email: &str) -> i64 {
    let mut conn = app.pool.get().unwrap();
    external_users::table
        .filter(external_users::email.eq(email))
        .select(external_users::id)
        .first(&mut conn)
        .unwrap()
}

/// The admin invites an external user through the users page's External users tab.
async fn invite_external(admin: &TestClient, email: &str, expires_on: Option<&str>) {
    let (status, _) = admin.page("/users/external/new").await;
    assert_eq!(status, StatusCode::OK);
    let mut fields = vec![("email", email)];
    match expires_on {
        Some(date) => fields.extend([("expiry", "date"), ("expires_on", date)]),
        None => fields.push(("expiry", "never")),
    }
    let response = admin.post_form("/users/external", &fields).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{email} is invited"
    );
}

async fn grant(admin: &TestClient, external_user_id: i64, groups: &[i64], apis: &[i64]) {
    let path = format!("/users/external/{external_user_id}/access");
    let (status, _) = admin.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    let groups: Vec<String> = groups.iter().map(i64::to_string).collect();
    let apis: Vec<String> = apis.iter().map(i64::to_string).collect();
    let mut fields: Vec<(&str, &str)> = groups.iter().map(|id| ("group", id.as_str())).collect();
    fields.extend(apis.iter().map(|id| ("api", id.as_str())));
    let response = admin.post_form(&path, &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "access is saved");
}

/// The registration link of the newest email to `email`.
async fn registration_link(sink: &SmtpSink, email: &str, count: usize) -> String {
    let messages = sink.wait_for_messages(count).await;
    let message = messages
        .iter()
        .rev()
        .find(|message| message.recipients == vec![email.to_owned()])
        .expect("an email to the external user");
    message
        .links()
        .into_iter()
        .find(|link| link.contains("/portal/register/"))
        .expect("a registration link")
}

/// Follows the registration link and registers; returns the signed-in client.
async fn register(app: &TestApp, link: &str, name: &str, zone: &str) -> TestClient {
    let client = app.client();
    let (status, page) = client.page(link).await;
    assert_eq!(status, StatusCode::OK, "the registration page opens");
    assert!(page.contains("name=\"company\""));
    let response = client
        .post_form(
            link,
            &[
                ("name", name),
                ("company", "Acme Integrations"),
                ("time_zone", zone),
                ("password", EXTERNAL_PASSWORD),
                ("password_confirmation", EXTERNAL_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "registration succeeds"
    );
    assert_eq!(location(&response), "/portal");
    client
}

/// Every console page an external user must not open (GET) and changes they must not make.
const CONSOLE_PAGES: &[&str] = &[
    "/users",
    "/users/new",
    "/users/external",
    "/users/external/new",
    "/roles",
    "/roles/new",
    "/environments",
    "/organizations",
    "/policies",
    "/deliveries",
    "/apis",
];

#[tokio::test]
async fn an_external_user_registers_and_sees_only_what_was_granted() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let org = first_organization_id(&app);
    let payments = catalog_api(
        &app,
        org,
        "Production",
        "Payments",
        &[
            ("GET", "/payments", "List payments"),
            ("POST", "/payments", "Create a payment"),
        ],
    );
    let refunds = catalog_api(&app, org, "Production", "Refunds", &[]);
    let sandbox = catalog_api(
        &app,
        org,
        "Sandbox",
        "Payments sandbox",
        &[("GET", "/ping", "Health")],
    );
    let secret = catalog_api(&app, org, "Sandbox", "Internal ledger", &[]);
    let group = catalog_group(&app, org, "Payments suite", &[payments, refunds]);

    invite_external(&admin, "dev@partner.example", Some("2030-12-31")).await;
    let id = external_user_id(&app, "dev@partner.example");
    grant(&admin, id, &[group], &[sandbox]).await;
    let link = registration_link(&sink, "dev@partner.example", 1).await;
    let dev = register(&app, &link, "Dana Developer", "America/Sao_Paulo").await;

    let (status, portal) = dev.page("/portal").await;
    assert_eq!(status, StatusCode::OK);
    assert!(portal.contains("Payments suite"));
    assert!(portal.contains(&format!("/portal/apis/{payments}")));
    assert!(portal.contains(&format!("/portal/apis/{refunds}")));
    assert!(portal.contains(&format!("/portal/apis/{sandbox}")));
    assert!(!portal.contains("Internal ledger"));
    assert!(portal.contains(ORGANIZATION));

    let (status, detail) = dev.page(&format!("/portal/apis/{payments}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(detail.contains("List payments") && detail.contains("Create a payment"));
    assert!(detail.contains("https://payments.example.com"));
    let document = dev.get(&format!("/portal/apis/{payments}/openapi")).await;
    assert_eq!(document.status(), StatusCode::OK);
    assert!(document.text().await.unwrap().contains("\"openapi\""));

    for path in [
        format!("/portal/apis/{secret}"),
        format!("/portal/apis/{secret}/openapi"),
        "/portal/apis/999999".to_owned(),
    ] {
        let (status, _) = dev.page(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path} is not granted");
    }
    for path in CONSOLE_PAGES {
        let (status, _) = dev.page(path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path} is console only");
    }
    let home = dev.get("/").await;
    assert_eq!(home.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&home), "/portal");

    // The link is single use; signing in again lands on the portal.
    let (status, _) = app.client().page(&link).await;
    assert_eq!(status, StatusCode::GONE);
    dev.sign_out().await;
    let again = app
        .signed_in_client("dev@partner.example", EXTERNAL_PASSWORD)
        .await;
    let (status, _) = again.page("/portal").await;
    assert_eq!(status, StatusCode::OK);

    // The admin sees them Active, with the company they gave.
    let (_, list) = admin.page("/users/external").await;
    assert!(list.contains("Dana Developer") && list.contains("Acme Integrations"));
}

#[tokio::test]
async fn registration_applies_the_organizations_password_policy_and_asks_for_everything() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    {
        let mut conn = app.pool.get().unwrap();
        let mut policy =
            gatehouse::domain::policy::load(&mut conn, first_organization_id(&app)).unwrap();
        policy.password_requires_special = true;
        gatehouse::domain::policy::save(
            &mut conn,
            first_organization_id(&app),
            &policy,
            &test_actor(&app),
        )
        .unwrap();
    }
    invite_external(&admin, "eve@partner.example", None).await;
    let link = registration_link(&sink, "eve@partner.example", 1).await;
    let eve = app.client();
    let (status, _) = eve.page(&link).await;
    assert_eq!(status, StatusCode::OK);
    let refused = eve
        .post_form(
            &link,
            &[
                ("name", "Eve"),
                ("company", ""),
                ("time_zone", "Mars/Olympus"),
                ("password", "only letters and spaces here"),
                ("password_confirmation", "only letters and spaces here"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Enter your company"));
    assert!(page.contains("value=\"Eve\""), "what was typed is kept");
    assert!(page.contains("special character"), "{page}");
    let accepted = eve
        .post_form(
            &link,
            &[
                ("name", "Eve"),
                ("company", "Partner Ltd"),
                ("time_zone", "Europe/Warsaw"),
                ("password", "letters, spaces & symbols!"),
                ("password_confirmation", "letters, spaces & symbols!"),
            ],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
}

/// Registers an external user whose access ends on `expires_on`, in `zone`, with the clock at
/// `invited_at`; returns their signed-in client. Sessions time out after 30 idle minutes, so
/// tests that move the clock by days sign in again with `dev_signs_in`.
async fn external_user_in(
    zone: &str,
    invited_at: PrimitiveDateTime,
    expires_on: &str,
) -> (TestApp, TestClient, TestClient) {
    let (app, admin, sink) = spawn_app_with_sink().await;
    app.clock.set(invited_at);
    let org = first_organization_id(&app);
    let api = catalog_api(&app, org, "Production", "Payments", &[]);
    invite_external(&admin, "dev@partner.example", Some(expires_on)).await;
    grant(
        &admin,
        external_user_id(&app, "dev@partner.example"),
        &[],
        &[api],
    )
    .await;
    let link = registration_link(&sink, "dev@partner.example", 1).await;
    let dev = register(&app, &link, "Dana Developer", zone).await;
    (app, admin, dev)
}

async fn dev_signs_in(app: &TestApp) -> TestClient {
    app.signed_in_client("dev@partner.example", EXTERNAL_PASSWORD)
        .await
}

async fn portal_status(client: &TestClient) -> StatusCode {
    client.get("/portal").await.status()
}

async fn sign_in_refusal(app: &TestApp) -> (StatusCode, String) {
    let client = app.client();
    let response = client
        .sign_in("dev@partner.example", EXTERNAL_PASSWORD)
        .await;
    let status = response.status();
    (status, response.text().await.unwrap_or_default())
}

#[tokio::test]
async fn access_ends_at_2359_in_sao_paulo() {
    let (app, _admin, _) = external_user_in(
        "America/Sao_Paulo",
        datetime!(2026-11-20 12:00),
        "2026-11-30",
    )
    .await;
    // 23:59 in São Paulo (UTC-3) on 30 November is 02:59 UTC on 1 December.
    app.clock.set(datetime!(2026-12-01 02:58:59));
    let dev = dev_signs_in(&app).await;
    assert_eq!(portal_status(&dev).await, StatusCode::OK);

    app.clock.set(datetime!(2026-12-01 02:59:00));
    let ended = dev.get("/portal").await;
    assert_eq!(
        ended.status(),
        StatusCode::SEE_OTHER,
        "the open session ends"
    );
    assert!(location(&ended).starts_with("/sign-in"));
    let (_, page) = dev.page("/sign-in").await;
    assert!(page.contains("Your access to the API portal has ended"));
    let (status, page) = sign_in_refusal(&app).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("Your access to the API portal has expired"));
}

#[tokio::test]
async fn access_ends_at_2359_in_warsaw_after_the_clocks_go_back() {
    // Invited in summer time (UTC+2); the last day is the day the clocks go back to UTC+1.
    let (app, _admin, _) =
        external_user_in("Europe/Warsaw", datetime!(2026-10-20 09:00), "2026-10-25").await;
    // 23:59 at UTC+2 would be 21:59 UTC: still open, because by then Warsaw is at UTC+1.
    app.clock.set(datetime!(2026-10-25 21:59:30));
    let dev = dev_signs_in(&app).await;
    assert_eq!(portal_status(&dev).await, StatusCode::OK);
    app.clock.set(datetime!(2026-10-25 22:58:59));
    let dev = dev_signs_in(&app).await;
    assert_eq!(portal_status(&dev).await, StatusCode::OK);

    app.clock.set(datetime!(2026-10-25 22:59:00));
    assert_eq!(portal_status(&dev).await, StatusCode::SEE_OTHER);
    let (status, page) = sign_in_refusal(&app).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("has expired"));
}

#[tokio::test]
async fn access_ends_at_2359_in_warsaw_after_the_clocks_go_forward() {
    // Invited in winter time (UTC+1); the last day is the day summer time (UTC+2) begins.
    let (app, _admin, _) =
        external_user_in("Europe/Warsaw", datetime!(2026-03-20 09:00), "2026-03-29").await;
    app.clock.set(datetime!(2026-03-29 21:58:59));
    let dev = dev_signs_in(&app).await;
    assert_eq!(portal_status(&dev).await, StatusCode::OK);
    // 23:59 at UTC+1 would be 22:59 UTC; summer time ends access an hour earlier.
    app.clock.set(datetime!(2026-03-29 21:59:00));
    assert_eq!(portal_status(&dev).await, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn until_registration_the_inviting_admins_time_zone_counts() {
    let (app, _, sink) = spawn_app_with_sink().await;
    set_time_zone(&app, ADMIN_EMAIL, "Europe/Warsaw");
    let admin = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.clock.set(datetime!(2026-11-20 12:00));
    invite_external(&admin, "late@partner.example", Some("2026-11-25")).await;
    let link = registration_link(&sink, "late@partner.example", 1).await;

    // 23:59 in Warsaw (UTC+1) is 22:59 UTC: the link still opens a minute before.
    app.clock.set(datetime!(2026-11-25 22:58:59));
    let (status, page) = app.client().page(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Europe/Warsaw\" selected") || page.contains("selected>Europe/Warsaw"));

    app.clock.set(datetime!(2026-11-25 22:59:00));
    let (status, page) = app.client().page(&link).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("This access has already ended"));
    let admin = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, list) = admin.page("/users/external").await;
    assert!(list.contains("Expired"));
}

#[tokio::test]
async fn suspension_and_deletion_end_open_sessions_and_sign_in() {
    let (app, admin, dev) = external_user_in(
        "America/Sao_Paulo",
        datetime!(2026-11-20 12:00),
        "2030-01-31",
    )
    .await;
    let id = external_user_id(&app, "dev@partner.example");
    let (status, _) = admin.page("/users/external").await;
    assert_eq!(status, StatusCode::OK);

    let suspended = admin
        .post_form(&format!("/users/external/{id}/suspend"), &[])
        .await;
    assert_eq!(suspended.status(), StatusCode::SEE_OTHER);
    assert_eq!(portal_status(&dev).await, StatusCode::SEE_OTHER);
    let (status, page) = sign_in_refusal(&app).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("has been suspended"));

    let reactivated = admin
        .post_form(&format!("/users/external/{id}/reactivate"), &[])
        .await;
    assert_eq!(reactivated.status(), StatusCode::SEE_OTHER);
    let dev = app
        .signed_in_client("dev@partner.example", EXTERNAL_PASSWORD)
        .await;
    assert_eq!(portal_status(&dev).await, StatusCode::OK);

    let (status, _) = admin.page(&format!("/users/external/{id}/delete")).await;
    assert_eq!(status, StatusCode::OK);
    let deleted = admin
        .post_form(&format!("/users/external/{id}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_ne!(portal_status(&dev).await, StatusCode::OK);
    let response = app
        .client()
        .sign_in("dev@partner.example", EXTERNAL_PASSWORD)
        .await;
    assert_ne!(response.status(), StatusCode::SEE_OTHER, "no way back in");
}

#[tokio::test]
async fn members_who_consume_apis_see_the_environments_they_may_read() {
    let (app, _admin, _sink) = spawn_app_with_sink().await;
    let org = first_organization_id(&app);
    let production = catalog_api(&app, org, "Production", "Payments", &[("GET", "/a", "A")]);
    let sandbox = catalog_api(&app, org, "Sandbox", "Payments sandbox", &[]);
    let production_env = catalog_environment(&app, org, "Production");
    let sandbox_env = catalog_environment(&app, org, "Sandbox");
    let consumers = create_role(
        &app,
        org,
        "Consumers",
        &[Permission::Read, Permission::ApiConsumer],
    );
    let readers = create_role(&app, org, "Readers", &[Permission::Read]);
    {
        let mut conn = app.pool.get().unwrap();
        for (role, environment, access) in [
            (consumers, production_env, EnvAccess::Read),
            (consumers, sandbox_env, EnvAccess::ViewLogs),
            (readers, sandbox_env, EnvAccess::Read),
        ] {
            gatehouse::domain::environment::set_role_access(
                &mut conn,
                org,
                role,
                environment,
                EnvAccessSet::of(&[access]),
                &test_actor(&app),
            )
            .unwrap();
        }
    }
    add_member(&app, org, "consumer@example.com", &["Consumers"]);
    add_member(&app, org, "reader@example.com", &["Readers"]);

    let consumer = app
        .signed_in_client("consumer@example.com", ADMIN_PASSWORD)
        .await;
    let (status, portal) = consumer.page("/portal").await;
    assert_eq!(status, StatusCode::OK);
    assert!(portal.contains(&format!("/portal/apis/{production}")));
    assert!(!portal.contains(&format!("/portal/apis/{sandbox}")));
    let (status, _) = consumer.page(&format!("/portal/apis/{production}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = consumer.page(&format!("/portal/apis/{sandbox}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "View Logs is not Read");

    // Read on an environment without API Consumer shows nothing.
    let reader = app
        .signed_in_client("reader@example.com", ADMIN_PASSWORD)
        .await;
    let (status, portal) = reader.page("/portal").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!portal.contains("/portal/apis/"));
    let (status, _) = reader.page(&format!("/portal/apis/{sandbox}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_organizations_external_user_sees_nothing_of_this_one() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let org = first_organization_id(&app);
    let granted = catalog_api(&app, org, "Production", "Payments", &[]);
    // A second organization with its own API, not granted to anyone.
    let other_org = {
        let mut conn = app.pool.get().unwrap();
        let owner: gatehouse::domain::ids::AccountId = accounts::table
            .filter(accounts::email.eq(ADMIN_EMAIL))
            .select(accounts::id)
            .first(&mut conn)
            .unwrap();
        gatehouse::domain::organization::create_with_owner(
            &mut conn,
            "Other Org",
            owner,
            &test_actor(&app),
        )
        .unwrap()
        .id
    };
    let foreign = catalog_api(&app, other_org, "Production", "Foreign", &[]);
    invite_external(&admin, "dev@partner.example", None).await;
    grant(
        &admin,
        external_user_id(&app, "dev@partner.example"),
        &[],
        &[granted],
    )
    .await;
    // An id of another organization's API is refused in the drawer.
    let path = format!(
        "/users/external/{}/access",
        external_user_id(&app, "dev@partner.example")
    );
    let foreign_id = foreign.to_string();
    let refused = admin
        .post_form(&path, &[("api", foreign_id.as_str())])
        .await;
    assert!(refused.status().is_client_error());

    let link = registration_link(&sink, "dev@partner.example", 1).await;
    let dev = register(&app, &link, "Dana Developer", "UTC").await;
    let (_, portal) = dev.page("/portal").await;
    assert!(portal.contains(&format!("/portal/apis/{granted}")));
    let (status, _) = dev.page(&format!("/portal/apis/{foreign}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
