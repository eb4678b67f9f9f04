use std::sync::Arc;

use actix_web::{App, test, web};
use diesel::r2d2::Pool;
use gatehouse::clock::SystemClock;
use gatehouse::crypto::password::PasswordHasher;
use gatehouse::db::DbConnectionManager;
use gatehouse::state::AppState;
use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn healthz_answers_ok_when_the_database_answers() {
    let app = spawn_app().await;
    let response = app.client().get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[actix_web::test]
async fn healthz_answers_503_when_the_database_does_not() {
    // A real pool aimed at a port where no database listens.
    let pool = Pool::builder()
        .connection_timeout(std::time::Duration::from_millis(500))
        .build_unchecked(DbConnectionManager::new(
            "postgres://gatehouse@127.0.0.1:9/nothing?connect_timeout=1",
        ));
    let state = AppState {
        pool,
        settings: Arc::new(gatehouse::config::Settings::with_database_url(
            "postgres://127.0.0.1:9/nothing",
        )),
        clock: Arc::new(SystemClock),
        hasher: PasswordHasher::new(4).unwrap(),
        outbox_wake: Default::default(),
        webhook_wake: Default::default(),
        rate_leases: Default::default(),
    };
    let service = test::init_service(
        App::new()
            .app_data(web::Data::new(state))
            .route("/healthz", web::get().to(gatehouse::web::health::healthz)),
    )
    .await;
    let response = test::call_service(
        &service,
        test::TestRequest::get().uri("/healthz").to_request(),
    )
    .await;
    assert_eq!(response.status().as_u16(), 503);
}

#[tokio::test]
async fn a_database_that_cannot_be_reached_is_reported_with_the_real_reason() {
    use diesel::r2d2::ManageConnection;
    let manager = DbConnectionManager::new("postgres://gatehouse@127.0.0.1:9/nothing");
    let error = manager
        .connect()
        .err()
        .expect("nothing listens there")
        .to_string();
    assert!(!error.contains("multiconnection"), "{error}");
    assert!(
        error.contains("Connection refused") || error.contains("connection to server"),
        "{error}"
    );
}

/// A connection PostgreSQL ended (as it does for every connection when it restarts) fails its
/// next query; such a failure is "unavailable", which answers 503 with Retry-After, not 500.
#[tokio::test]
async fn a_connection_postgres_ended_counts_as_unavailable() {
    use actix_web::ResponseError;
    use diesel::prelude::*;
    let database = TestDatabase::new();
    if !database.is_postgres() {
        return;
    }
    let mut victim = diesel::PgConnection::establish(&database.url).unwrap();
    let pid: i32 = diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>(
        "pg_backend_pid()",
    ))
    .get_result(&mut victim)
    .unwrap();
    let mut admin = diesel::PgConnection::establish(&database.url).unwrap();
    diesel::sql_query(format!("SELECT pg_terminate_backend({pid})"))
        .execute(&mut admin)
        .unwrap();
    let error = diesel::sql_query("SELECT 1")
        .execute(&mut victim)
        .expect_err("the connection was ended");
    assert!(gatehouse::db::is_unavailable(&error), "{error:?}");
    let error = gatehouse::error::AppError::Database(error);
    assert_eq!(error.status_code().as_u16(), 503);
    assert_eq!(
        error.error_response().headers().get("retry-after").unwrap(),
        "5"
    );
    // An ordinary query error stays a 500.
    let error = diesel::sql_query("SELECT no_such_column")
        .execute(&mut admin)
        .unwrap_err();
    assert!(!gatehouse::db::is_unavailable(&error));
}

#[tokio::test]
async fn pages_answer_while_postgres_drops_every_connection() {
    use diesel::prelude::*;
    let (app, admin) = spawn_app_with_admin().await;
    if !app.database.is_postgres() {
        return;
    }
    let url = app.database.url.clone();
    for round in 0..5 {
        let terminate = {
            let url = url.clone();
            tokio::task::spawn_blocking(move || {
                let mut conn = diesel::PgConnection::establish(&url).unwrap();
                diesel::sql_query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = current_database() AND pid <> pg_backend_pid()",
                )
                .execute(&mut conn)
                .unwrap();
            })
        };
        let mut statuses = Vec::new();
        for path in ["/users", "/roles", "/", "/healthz"] {
            statuses.push((path, admin.get(path).await.status()));
        }
        terminate.await.unwrap();
        for (path, status) in statuses {
            assert!(
                status.is_success() || status == StatusCode::SERVICE_UNAVAILABLE,
                "round {round}: {path} answered {status}"
            );
        }
    }
    assert_eq!(admin.get("/users").await.status(), StatusCode::OK);
}
