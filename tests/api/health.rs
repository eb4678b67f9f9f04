use std::sync::Arc;

use actix_web::{App, test, web};
use diesel::r2d2::{ConnectionManager, Pool};
use gatehouse::auth::password::PasswordHasher;
use gatehouse::clock::SystemClock;
use gatehouse::db::DbConnection;
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
        .build_unchecked(ConnectionManager::<DbConnection>::new(
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
