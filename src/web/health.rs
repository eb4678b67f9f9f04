use actix_web::{HttpResponse, web};
use diesel::RunQueryDsl;

use crate::state::AppState;

/// 200 when the database answers a query, 503 otherwise; for load balancers and orchestrators.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let probe = state
        .db(|conn| diesel::sql_query("SELECT 1").execute(conn))
        .await;
    match probe {
        Ok(_) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ok"),
        Err(err) => {
            tracing::warn!(%err, "health check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("database unavailable")
        }
    }
}
