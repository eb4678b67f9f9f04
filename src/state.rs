//! What every request can reach: the pool, the settings, the clock and the password hasher.

use std::sync::Arc;

use actix_web::web;
use time::PrimitiveDateTime;
use tokio::sync::Notify;

use crate::clock::Clock;
use crate::config::Settings;
use crate::crypto::password::PasswordHasher;
use crate::db::{DbConnection, DbPool};
use crate::domain::session::SessionPolicy;
use crate::error::AppError;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub settings: Arc<Settings>,
    pub clock: Arc<dyn Clock>,
    pub hasher: PasswordHasher,
    /// Wakes the outbox worker after a transaction queued mail.
    pub outbox_wake: Arc<Notify>,
    /// Wakes the webhook worker after a person queued a delivery (test event, redelivery).
    pub webhook_wake: Arc<Notify>,
    /// The API quota this instance took from the shared count ahead of use.
    pub rate_leases: Arc<crate::domain::rate_limit::Leases>,
}

impl AppState {
    pub fn now(&self) -> PrimitiveDateTime {
        self.clock.now()
    }

    pub fn session_policy(&self) -> SessionPolicy {
        SessionPolicy {
            idle: self.settings.session_idle,
            lifetime: self.settings.session_lifetime,
        }
    }

    /// Runs blocking database work on the blocking pool, never on the async executor.
    pub async fn db<T, E, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Into<AppError> + Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            work(&mut conn).map_err(Into::into)
        })
        .await?
    }

    /// Runs blocking work in a write transaction (see `db::write_transaction`) on the blocking pool.
    pub async fn write<T, E, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Into<AppError> + From<diesel::result::Error> + Send + 'static,
    {
        self.db(move |conn| crate::db::write_transaction(conn, work))
            .await
    }
}
