//! `spawn_app()` starts Gatehouse on port 0 with a fresh database; `TestClient` behaves like a
//! browser: it keeps cookies and sends back the CSRF token of the last page it loaded.

use std::sync::{Arc, Mutex};

use diesel::{Connection, PgConnection, RunQueryDsl};
use gatehouse::clock::ManualClock;
use gatehouse::config::Settings;
use gatehouse::db::DbPool;
use gatehouse::domain::ids::OrganizationId;
use gatehouse::startup::Application;
use reqwest::header::HeaderMap;
use reqwest::{Response, StatusCode};

pub const ADMIN_EMAIL: &str = "ada@example.com";
pub const ADMIN_PASSWORD: &str = "correct horse battery staple";
pub const ADMIN_NAME: &str = "Ada Lovelace";
pub const ORGANIZATION: &str = "Analytical Engines";

/// A database that exists for one test: a temporary SQLite file, or a new PostgreSQL database
/// dropped afterwards.
pub struct TestDatabase {
    pub url: String,
    /// Holds the SQLite file and the mail directory of the file transport.
    pub dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        match std::env::var("TEST_DATABASE_URL") {
            Ok(base) if !base.is_empty() => {
                let name = format!("gatehouse_test_{}", random_suffix());
                let mut admin =
                    PgConnection::establish(&base).expect("TEST_DATABASE_URL must be reachable");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create test database");
                let mut url = url::Url::parse(&base).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&name);
                Self {
                    url: url.to_string(),
                    dir,
                    postgres: Some((base, name)),
                }
            }
            _ => {
                let url = format!("sqlite://{}", dir.path().join("gatehouse.db").display());
                Self {
                    url,
                    dir,
                    postgres: None,
                }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((base, name)) = &self.postgres
            && let Ok(mut admin) = PgConnection::establish(base)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin);
        }
    }
}

fn random_suffix() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..12)
        .map(|_| char::from(b'a' + rng.random_range(0..26)))
        .collect()
}

pub struct TestApp {
    pub address: String,
    pub clock: Arc<ManualClock>,
    pub setup_link: Option<String>,
    pub pool: DbPool,
    pub database: TestDatabase,
}

pub fn test_settings(database: &TestDatabase) -> Settings {
    let mut settings = Settings::with_database_url(&database.url);
    settings.mail_dir = database.dir.path().join("mail");
    settings.outbox_poll_interval = std::time::Duration::from_millis(50);
    settings.webhook_poll_interval = std::time::Duration::from_millis(50);
    // The test receivers listen on this machine.
    settings.webhook_allowed_networks = vec!["127.0.0.1/32".parse().unwrap()];
    settings.bind = "127.0.0.1:0".to_owned();
    settings.base_url = url::Url::parse("http://127.0.0.1:0").unwrap();
    settings.bcrypt_cost = 4;
    settings.db_pool_size = 4;
    // SQLite finds its own key beside the database file (the default a fresh console uses);
    // PostgreSQL needs one set, the same for every instance on the database, as in a deployment.
    if database.postgres.is_some() {
        settings.secret_key = Some(
            gatehouse::crypto::sealed::SecretKey::parse(
                "dGVzdCBrZXkgZm9yIHRoZSBzdWl0ZSBvbiBwb3N0Z3I=",
            )
            .unwrap(),
        );
    }
    settings
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(customize: impl FnOnce(&mut Settings)) -> TestApp {
    gatehouse::telemetry::init_for_tests();
    let database = TestDatabase::new();
    let mut settings = test_settings(&database);
    customize(&mut settings);
    let clock = Arc::new(ManualClock::starting_now());
    let app = Application::build(settings, clock.clone())
        .await
        .expect("application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let setup_link = app.setup_link.clone();
    let pool = app.state().pool.clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        clock,
        setup_link,
        pool,
        database,
    }
}

/// An app whose first organization and administrator were created through the setup page,
/// with a client signed in as that administrator.
pub async fn spawn_app_with_admin() -> (TestApp, TestClient) {
    let app = spawn_app().await;
    let client = app.client();
    complete_setup(&app, &client).await;
    (app, client)
}

/// The setup form of the test organization and its administrator, with these passwords.
pub fn setup_form<'a>(password: &'a str, confirmation: &'a str) -> [(&'static str, &'a str); 5] {
    [
        ("organization", ORGANIZATION),
        ("name", ADMIN_NAME),
        ("email", ADMIN_EMAIL),
        ("password", password),
        ("password_confirmation", confirmation),
    ]
}

pub async fn complete_setup(app: &TestApp, client: &TestClient) {
    let link = app
        .setup_link
        .clone()
        .expect("a fresh instance prints a setup link");
    let page = client.get(&link).await;
    assert_eq!(page.status(), StatusCode::OK);
    client.remember_csrf(&page.text().await.unwrap());
    let response = client
        .post_form(&link, &setup_form(ADMIN_PASSWORD, ADMIN_PASSWORD))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "setup succeeds");
}

impl TestApp {
    pub fn client(&self) -> TestClient {
        TestClient::new(&self.address)
    }
}

impl TestApp {
    /// A client signed in with the given credentials.
    pub async fn signed_in_client(&self, email: &str, password: &str) -> TestClient {
        let client = self.client();
        let response = client.sign_in(email, password).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "sign-in succeeds for {email}"
        );
        client
    }
}

pub struct TestClient {
    pub http: reqwest::Client,
    base: String,
    csrf: Mutex<Option<String>>,
}

impl TestClient {
    pub fn new(base: &str) -> Self {
        Self::with_http(
            base,
            reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                // Below the server's keep-alive (5 s): a connection the server is closing is
                // never reused (it answered "incomplete message" after a slow step on PostgreSQL).
                .pool_idle_timeout(std::time::Duration::from_secs(3))
                .build()
                .unwrap(),
        )
    }

    pub fn with_http(base: &str, http: reqwest::Client) -> Self {
        Self {
            http,
            base: base.to_owned(),
            csrf: Mutex::new(None),
        }
    }

    fn absolute(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.get_with(path, HeaderMap::new()).await
    }

    pub async fn get_with(&self, path: &str, headers: HeaderMap) -> Response {
        self.http
            .get(self.absolute(path))
            .headers(headers)
            .send()
            .await
            .expect("GET")
    }

    /// Loads a page like a browser: remembers its CSRF token and returns status and body.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.text().await.unwrap();
        self.remember_csrf(&body);
        (status, body)
    }

    pub fn remember_csrf(&self, html: &str) {
        if let Some(token) = csrf_token_in(html) {
            *self.csrf.lock().unwrap() = Some(token);
        }
    }

    pub fn csrf_token(&self) -> Option<String> {
        self.csrf.lock().unwrap().clone()
    }

    /// Posts a form with the remembered CSRF token, as the page's form would.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf_token().unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all, HeaderMap::new()).await
    }

    /// Posts exactly these fields and headers (to test refusals).
    pub async fn post_raw(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: HeaderMap,
    ) -> Response {
        self.http
            .post(self.absolute(path))
            .headers(headers)
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Response {
        let (status, _) = self.page("/sign-in").await;
        assert_eq!(status, StatusCode::OK);
        self.post_form("/sign-in", &[("email", email), ("password", password)])
            .await
    }

    /// Saves the profile's language (`en`, `pt-BR`, `pl` or `browser`) as the admin would.
    pub async fn choose_language(&self, language: &str) {
        self.page("/profile").await;
        let saved = self
            .post_form(
                "/profile",
                &[
                    ("name", ADMIN_NAME),
                    ("language", language),
                    ("time_zone", "UTC"),
                ],
            )
            .await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER, "language saved");
    }

    pub async fn sign_out(&self) -> Response {
        self.page("/").await;
        self.post_form("/sign-out", &[]).await
    }
}

/// The value of the first `csrf_token` hidden field in a page.
pub fn csrf_token_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The value of a cookie the response sets, with its attributes.
pub fn set_cookie(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// The id of the first organization (the one set up through the setup page).
pub fn first_organization_id(app: &TestApp) -> OrganizationId {
    use diesel::prelude::*;
    use gatehouse::db::schema::organizations;
    let mut conn = app.pool.get().unwrap();
    organizations::table
        .order(organizations::id.asc())
        .select(organizations::id)
        .first(&mut conn)
        .unwrap()
}

/// The id of a role of an organization, by name.
pub fn role_id(
    app: &TestApp,
    organization_id: OrganizationId,
    name: &str,
) -> gatehouse::domain::ids::RoleId {
    use diesel::prelude::*;
    use gatehouse::db::schema::roles;
    let mut conn = app.pool.get().unwrap();
    roles::table
        .filter(roles::organization_id.eq(organization_id))
        .filter(roles::name.eq(name))
        .select(roles::id)
        .first(&mut conn)
        .unwrap_or_else(|_| panic!("no role {name}"))
}

pub fn test_actor(app: &TestApp) -> gatehouse::domain::audit::Actor {
    use gatehouse::clock::Clock;
    gatehouse::domain::audit::Actor::system(app.clock.now())
}

/// A registered, active member of the organization with the named roles (password
/// `ADMIN_PASSWORD`), arranged through the domain layer. Returns the membership id.
pub fn add_member(
    app: &TestApp,
    organization_id: OrganizationId,
    email: &str,
    role_names: &[&str],
) -> gatehouse::domain::ids::MembershipId {
    use gatehouse::clock::Clock;
    use gatehouse::domain::account::{self, EmailAddress};
    use gatehouse::domain::membership::{self, Added};
    let address = EmailAddress::parse(email).unwrap();
    let mut conn = app.pool.get().unwrap();
    if account::find_by_email(&mut conn, &address)
        .unwrap()
        .is_none()
    {
        let now = app.clock.now();
        let name = email.split('@').next().unwrap().replace('.', " ");
        account_with_password(&mut conn, now, address.as_str(), &name, None);
    }
    let role_ids: Vec<_> = role_names
        .iter()
        .map(|name| role_id(app, organization_id, name))
        .collect();
    match membership::add(
        &mut conn,
        organization_id,
        &address,
        &role_ids,
        None,
        &test_actor(app),
    )
    .unwrap()
    {
        Added::Granted { membership_id, .. } => membership_id,
        Added::Invited { .. } => unreachable!("the account has a password"),
    }
}

/// Creates a role through the domain layer and returns its id.
pub fn create_role(
    app: &TestApp,
    organization_id: OrganizationId,
    name: &str,
    permissions: &[gatehouse::domain::permission::Permission],
) -> gatehouse::domain::ids::RoleId {
    use gatehouse::domain::permission::PermissionSet;
    let mut conn = app.pool.get().unwrap();
    gatehouse::domain::role::create(
        &mut conn,
        organization_id,
        name,
        PermissionSet::of(permissions),
        &test_actor(app),
    )
    .unwrap()
}

/// An account that signs in with `ADMIN_PASSWORD`, written straight to the database (as an
/// account made elsewhere, or before the test, would be).
pub fn account_with_password(
    conn: &mut gatehouse::db::DbConnection,
    at: time::PrimitiveDateTime,
    email: &str,
    name: &str,
    language: Option<&str>,
) -> gatehouse::domain::account::Account {
    let hash = gatehouse::crypto::password::hash_blocking(ADMIN_PASSWORD, 4).unwrap();
    gatehouse::domain::account::insert(
        conn,
        &gatehouse::domain::account::NewAccount {
            email,
            name,
            password_hash: Some(&hash),
            language,
            created_at: at,
            password_changed_at: Some(at),
        },
    )
    .unwrap()
}

/// An app that sends mail to an SMTP sink the test reads, set up, with its administrator
/// signed in; `customize` changes further settings.
pub async fn spawn_app_with_sink_and(
    customize: impl FnOnce(&mut Settings) + Send + 'static,
) -> (TestApp, TestClient, crate::smtp_sink::SmtpSink) {
    let sink = crate::smtp_sink::SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_app_with(move |settings| {
        settings.smtp_url = Some(url);
        customize(settings);
    })
    .await;
    let admin = app.client();
    complete_setup(&app, &admin).await;
    (app, admin, sink)
}

pub async fn spawn_app_with_sink() -> (TestApp, TestClient, crate::smtp_sink::SmtpSink) {
    spawn_app_with_sink_and(|_| {}).await
}

/// The account's counted sign-in failures, if it has a row.
pub fn account_failures(app: &TestApp) -> Option<i32> {
    use diesel::prelude::*;
    let mut conn = app.pool.get().unwrap();
    gatehouse::db::schema::sign_in_throttles::table
        .find(("account", admin_account_id(app).to_string()))
        .select(gatehouse::db::schema::sign_in_throttles::failures)
        .first(&mut conn)
        .optional()
        .unwrap()
}

/// The account id of the administrator `complete_setup` created.
pub fn admin_account_id(app: &TestApp) -> gatehouse::domain::ids::AccountId {
    use diesel::prelude::*;
    use gatehouse::db::schema::accounts;
    let mut conn = app.pool.get().unwrap();
    accounts::table
        .filter(accounts::email.eq(ADMIN_EMAIL))
        .select(accounts::id)
        .first(&mut conn)
        .unwrap()
}

/// An API group of the organization holding these APIs, written straight to the database.
pub fn catalog_group(
    app: &TestApp,
    organization_id: gatehouse::domain::ids::OrganizationId,
    name: &str,
    api_ids: &[i64],
) -> i64 {
    use diesel::prelude::*;
    use gatehouse::clock::Clock;
    use gatehouse::db::schema::{api_group_apis, api_groups};
    let mut conn = app.pool.get().unwrap();
    let now = app.clock.now();
    let id: i64 = diesel::insert_into(api_groups::table)
        .values((
            api_groups::organization_id.eq(organization_id),
            api_groups::name.eq(name),
            api_groups::name_folded.eq(name.to_lowercase()),
            api_groups::description.eq(""),
            api_groups::created_at.eq(now),
            api_groups::updated_at.eq(now),
        ))
        .returning(api_groups::id)
        .get_result(&mut conn)
        .unwrap();
    for api_id in api_ids {
        diesel::insert_into(api_group_apis::table)
            .values((
                api_group_apis::api_group_id.eq(id),
                api_group_apis::api_id.eq(api_id),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    id
}

/// An environment of the organization by name, created when it does not exist yet.
pub fn catalog_environment(
    app: &TestApp,
    organization_id: gatehouse::domain::ids::OrganizationId,
    name: &str,
) -> gatehouse::domain::ids::EnvironmentId {
    use diesel::prelude::*;
    use gatehouse::db::schema::environments;
    let mut conn = app.pool.get().unwrap();
    let existing = environments::table
        .filter(environments::organization_id.eq(organization_id))
        .filter(environments::name.eq(name))
        .select(environments::id)
        .first(&mut conn)
        .optional()
        .unwrap();
    existing.unwrap_or_else(|| {
        gatehouse::domain::environment::create(&mut conn, organization_id, name, &test_actor(app))
            .unwrap()
    })
}

/// An API in the organization's catalog (no document), written straight to the database.
pub fn insert_catalog_api(
    app: &TestApp,
    organization_id: gatehouse::domain::ids::OrganizationId,
    environment_id: gatehouse::domain::ids::EnvironmentId,
    name: &str,
    version: &str,
) -> i64 {
    use diesel::prelude::*;
    use gatehouse::clock::Clock;
    use gatehouse::db::schema::apis;
    let mut conn = app.pool.get().unwrap();
    let now = app.clock.now();
    diesel::insert_into(apis::table)
        .values((
            apis::organization_id.eq(organization_id),
            apis::environment_id.eq(environment_id),
            apis::name.eq(name),
            apis::name_folded.eq(name.to_lowercase()),
            apis::version.eq(version),
            apis::description.eq(format!("The {name} API")),
            apis::base_url.eq(format!(
                "https://{}.example.com",
                name.to_lowercase().replace(' ', "-")
            )),
            apis::created_at.eq(now),
            apis::updated_at.eq(now),
        ))
        .returning(apis::id)
        .get_result(&mut conn)
        .unwrap()
}

/// A form answered 422 whose page says `says` (the error shown to the person).
pub async fn assert_unprocessable(response: Response, says: &str) {
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains(says), "the page does not say {says:?}");
}

/// A JSON API request with a bearer token, as a script would send it.
pub async fn api_call(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> Response {
    let mut request = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .request(method, format!("{}{path}", app.address))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

/// A read-write personal access token of the first organization's owner, named `name`, made
/// straight in the database.
pub fn owner_token_named(app: &TestApp, name: &str) -> String {
    let mut conn = app.pool.get().unwrap();
    let actor = test_actor(app);
    let (_, secret) = gatehouse::domain::personal_token::create(
        &mut conn,
        admin_account_id(app),
        first_organization_id(app),
        name,
        gatehouse::domain::personal_token::TokenScope::ReadWrite,
        actor.at + time::Duration::days(30),
        &actor,
    )
    .unwrap();
    secret
}

impl TestApp {
    pub fn outbox(&self) -> Vec<gatehouse::domain::outbox::OutboxMessage> {
        use diesel::prelude::*;
        let mut conn = self.pool.get().unwrap();
        gatehouse::db::schema::outbox_messages::table
            .order(gatehouse::db::schema::outbox_messages::id.asc())
            .select(gatehouse::domain::outbox::OutboxMessage::as_select())
            .load(&mut conn)
            .unwrap()
    }

    /// Polls the outbox until `done` holds for it (the worker runs in the background).
    pub async fn wait_for_outbox(
        &self,
        what: &str,
        done: impl Fn(&[gatehouse::domain::outbox::OutboxMessage]) -> bool,
    ) -> Vec<gatehouse::domain::outbox::OutboxMessage> {
        for _ in 0..500 {
            let messages = self.outbox();
            if done(&messages) {
                return messages;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!(
            "timed out waiting for the outbox: {what}; it holds {:?}",
            self.outbox()
        );
    }
}
