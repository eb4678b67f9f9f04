//! The scripted-install commands, run as the real binary.

use std::io::Write;
use std::process::{Command, Stdio};

use reqwest::StatusCode;

use crate::helpers::*;

fn gatehouse(database_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gatehouse"));
    command
        .env("DATABASE_URL", database_url)
        .env("GATEHOUSE_BCRYPT_COST", "4")
        .env_remove("GATEHOUSE_ADMIN_PASSWORD")
        .env("RUST_LOG", "warn");
    command
}

#[tokio::test]
async fn migrate_then_create_admin_then_sign_in() {
    let database = TestDatabase::new();
    let migrate = gatehouse(&database.url).arg("migrate").output().unwrap();
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    assert!(String::from_utf8_lossy(&migrate.stdout).contains("migration(s) applied"));
    let again = gatehouse(&database.url).arg("migrate").output().unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 migration(s) applied"));

    let create = gatehouse(&database.url)
        .args([
            "create-admin",
            "--email",
            "Grace@Example.com",
            "--org",
            "Navy Computing",
        ])
        .env("GATEHOUSE_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .output()
        .unwrap();
    assert!(
        create.status.success(),
        "{}",
        String::from_utf8_lossy(&create.stderr)
    );
    assert!(String::from_utf8_lossy(&create.stdout).contains("grace@example.com"));

    // The same email cannot be created twice; a short password from stdin is refused.
    let again = gatehouse(&database.url)
        .args([
            "create-admin",
            "--email",
            "grace@example.com",
            "--org",
            "Other",
        ])
        .env("GATEHOUSE_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let mut short = gatehouse(&database.url)
        .args([
            "create-admin",
            "--email",
            "linus@example.com",
            "--org",
            "Other",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    short.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let short = short.wait_with_output().unwrap();
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("12 to 128"));

    // The server finds an account, so it prints no setup link; the admin signs in.
    let settings = test_settings(&database);
    let app = gatehouse::startup::Application::build(
        settings,
        std::sync::Arc::new(gatehouse::clock::SystemClock),
    )
    .await
    .unwrap();
    assert!(app.setup_link.is_none());
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = TestClient::new(&address);
    let response = client.sign_in("grace@example.com", ADMIN_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, body) = client.page("/").await;
    assert!(body.contains("Navy Computing"));
    assert!(body.contains("You own this organization."));
}

#[tokio::test]
async fn create_admin_reads_the_password_from_standard_input() {
    let database = TestDatabase::new();
    let mut child = gatehouse(&database.url)
        .args([
            "create-admin",
            "--email",
            "ada@example.com",
            "--org",
            "Engines",
            "--name",
            "Ada",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{ADMIN_PASSWORD}\n").as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn partner_enable_makes_an_organization_a_partner() {
    let (app, admin) = spawn_app_with_admin().await;
    let (status, page) = admin.page("/clients").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("gatehouse partner enable"),
        "not available yet"
    );

    let unknown = gatehouse(&app.database.url)
        .args(["partner", "enable", "No Such Org"])
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no organization"));

    let enabled = gatehouse(&app.database.url)
        .args(["partner", "enable", ORGANIZATION])
        .output()
        .unwrap();
    assert!(
        enabled.status.success(),
        "{}",
        String::from_utf8_lossy(&enabled.stderr)
    );
    assert!(String::from_utf8_lossy(&enabled.stdout).contains("is now a partner"));
    let again = gatehouse(&app.database.url)
        .args([
            "partner",
            "enable",
            &first_organization_id(&app).to_string(),
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("was already a partner"));

    let (status, page) = admin.page("/clients").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("gatehouse partner enable"));
    assert!(page.contains("/clients/new"), "tokens can be added now");
}

/// The binary with nothing set: no `DATABASE_URL` (so the default `./data/gatehouse.db`), in an
/// empty working directory, as on a fresh machine following the README.
fn gatehouse_in(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gatehouse"));
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("TEST_DATABASE_URL")
        .env_remove("GATEHOUSE_ADMIN_PASSWORD")
        .env("GATEHOUSE_BCRYPT_COST", "4")
        .env("RUST_LOG", "warn");
    command
}

#[test]
fn every_command_works_in_an_empty_directory_with_the_default_database() {
    for first in ["migrate", "create-admin", "partner"] {
        let dir = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            let output = gatehouse_in(dir.path())
                .args(args)
                .env("GATEHOUSE_ADMIN_PASSWORD", ADMIN_PASSWORD)
                .output()
                .unwrap();
            (
                output.status.success(),
                String::from_utf8_lossy(&output.stdout).into_owned(),
                String::from_utf8_lossy(&output.stderr).into_owned(),
            )
        };
        let create = [
            "create-admin",
            "--email",
            "grace@example.com",
            "--org",
            "Navy Computing",
        ];
        // Whichever command comes first on the fresh machine creates ./data and the database.
        let (ok, _, stderr) = match first {
            "migrate" => run(&["migrate"]),
            "create-admin" => run(&create),
            _ => run(&["partner", "enable", "Navy Computing"]),
        };
        if first == "partner" {
            assert!(!ok, "no such organization yet");
            assert!(stderr.contains("no organization"), "{stderr}");
        } else {
            assert!(ok, "{first}: {stderr}");
        }
        assert!(
            dir.path().join("data/gatehouse.db").is_file(),
            "{first} created the default database"
        );
        let (ok, stdout, stderr) = run(&["migrate"]);
        assert!(ok, "{stderr}");
        assert!(stdout.contains("0 migration(s) applied"), "{stdout}");
        if first != "create-admin" {
            let (ok, _, stderr) = run(&create);
            assert!(ok, "{stderr}");
        }
        let (ok, stdout, stderr) = run(&["partner", "enable", "Navy Computing"]);
        assert!(ok, "{stderr}");
        assert!(stdout.contains("is now a partner"));
    }
}

#[tokio::test]
async fn token_create_prints_a_token_the_api_accepts() {
    let (app, _admin) = spawn_app_with_admin().await;
    let run = |args: &[&str]| {
        gatehouse(&app.database.url)
            .args(["token", "create"])
            .args(args)
            .output()
            .unwrap()
    };
    let created = run(&[
        "--email",
        ADMIN_EMAIL,
        "--org",
        ORGANIZATION,
        "--name",
        "Bootstrap",
        "--days",
        "7",
    ]);
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let token = String::from_utf8(created.stdout).unwrap().trim().to_owned();
    assert!(gatehouse::crypto::personal_token::is_well_formed(&token));
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1/organization", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // Longer than the organization allows, or someone without API access: refused, no token.
    let too_long = run(&[
        "--email",
        ADMIN_EMAIL,
        "--org",
        ORGANIZATION,
        "--name",
        "Long",
        "--days",
        "400",
    ]);
    assert!(!too_long.status.success());
    assert!(too_long.stdout.is_empty());
    let organization_id = first_organization_id(&app);
    add_member(&app, organization_id, "plain@example.com", &["User"]);
    let no_access = run(&[
        "--email",
        "plain@example.com",
        "--org",
        ORGANIZATION,
        "--name",
        "Mine",
    ]);
    assert!(!no_access.status.success());
    assert!(String::from_utf8_lossy(&no_access.stderr).contains("API access"));
}
