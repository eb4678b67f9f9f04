//! Builds the application: pool, migrations, first-run link, background jobs, and the HTTP server
//! on its listener (port 0 in tests).

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use actix_http::error::DispatchError;
use actix_http::{HttpService, Protocol};
use actix_service::{IntoServiceFactory, ServiceFactoryExt, fn_service, map_config};
use actix_web::dev::{AppConfig, Server};
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{App, web};
use anyhow::Context;
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tracing_actix_web::TracingLogger;

use crate::assets;
use crate::clock::Clock;
use crate::config::Settings;
use crate::crypto::password::PasswordHasher;
use crate::crypto::sealed::SecretKey;
use crate::db::{self, DbPool};
use crate::domain::session;
use crate::domain::setup;
use crate::mail::Mailer;
use crate::state::AppState;
use crate::web::middleware::{FORM_BODY_LIMIT, session_layer};
use crate::web::{self as pages, error_pages::error_pages, health};
use crate::wire;

pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
    /// The one-time link that creates the first account, when none exists yet.
    pub setup_link: Option<String>,
}

/// Opens the database and brings its schema up to date.
pub async fn prepare_database(settings: &Settings) -> anyhow::Result<DbPool> {
    let url = settings.database_url.clone();
    let size = settings.db_pool_size;
    tokio::task::spawn_blocking(move || -> anyhow::Result<DbPool> {
        let pool = db::build_pool(&url, size)?;
        let mut conn = pool.get().context("no database connection")?;
        let applied = crate::app::migrate(&mut conn)?;
        if applied > 0 {
            tracing::info!(applied, "database migrations applied");
        }
        Ok(pool)
    })
    .await?
}

impl Application {
    pub async fn build(mut settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let pool = prepare_database(&settings).await?;
        resolve_secret_key(&mut settings)?;
        if settings.secret_key.is_none() {
            tracing::warn!(
                "GATEHOUSE_SECRET_KEY is not set: authenticator apps and single sign-on are unavailable"
            );
        }
        let cost = settings.bcrypt_cost;
        let hasher = tokio::task::spawn_blocking(move || PasswordHasher::new(cost)).await??;
        let mut state = AppState {
            pool,
            settings: Arc::new(settings),
            clock,
            hasher,
            outbox_wake: Arc::new(Notify::new()),
            webhook_wake: Arc::new(Notify::new()),
            rate_leases: Arc::default(),
        };
        let mailer = Arc::new(Mailer::new(
            state.settings.smtp_url.as_deref(),
            &state.settings.mail_from,
            state.settings.mail_dir.clone(),
        )?);

        let setup_token = {
            let (pool, now) = (state.pool.clone(), state.now());
            tokio::task::spawn_blocking(move || -> anyhow::Result<Option<String>> {
                let mut conn = pool.get()?;
                Ok(setup::issue_token_if_needed(&mut conn, now)?)
            })
            .await??
        };

        let listener = TcpListener::bind(&state.settings.bind)
            .with_context(|| format!("cannot listen on {}", state.settings.bind))?;
        let port = listener.local_addr()?.port();
        // With port 0 (tests), links and the Origin check must name the port actually bound.
        if state.settings.base_url.port() == Some(0) {
            let mut settings = (*state.settings).clone();
            let _ = settings.base_url.set_port(Some(port));
            state.settings = Arc::new(settings);
        }
        let setup_link =
            setup_token.map(|token| state.settings.absolute_url(&format!("/setup/{token}")));
        let server = serve(listener, state.clone())?;
        spawn_session_purger(state.clone());
        if state.settings.run_outbox_worker {
            tracing::info!(transport = %mailer.describe(), "outbox worker started");
            crate::app::outbox_worker::spawn(
                state.clone(),
                mailer,
                state.outbox_wake.clone(),
                state.settings.outbox_poll_interval,
            );
        }
        if state.settings.run_webhook_worker {
            crate::app::webhook_worker::spawn(
                state.clone(),
                state.webhook_wake.clone(),
                state.settings.webhook_poll_interval,
            );
        }
        Ok(Self {
            port,
            server,
            state,
            setup_link,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGINT or SIGTERM, then finishes requests in flight (up to 30 s).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Where the sealing key comes from when none is set: on SQLite (one instance, one data
/// directory) a key generated once and kept in `secret.key` beside the database file, with
/// only its owner allowed to read it; on PostgreSQL none, as instances on other machines
/// could not share a file (the features that need a key say so to the admin).
fn resolve_secret_key(settings: &mut Settings) -> anyhow::Result<()> {
    if settings.secret_key.is_some() {
        return Ok(());
    }
    let Some(database) = db::sqlite_file(&settings.database_url) else {
        return Ok(());
    };
    let path = database
        .parent()
        .map(|dir| dir.join("secret.key"))
        .unwrap_or_else(|| PathBuf::from("secret.key"));
    let key = match std::fs::read_to_string(&path) {
        Ok(text) => SecretKey::parse(&text)
            .with_context(|| format!("{} does not hold a valid key", path.display()))?,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let key = SecretKey::generate();
            write_private(&path, &key.to_base64())
                .with_context(|| format!("cannot write {}", path.display()))?;
            tracing::info!(path = %path.display(), "generated the secret key");
            key
        }
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    settings.secret_key = Some(key);
    Ok(())
}

/// Creates a file only its owner may read (a new file: an existing one is never overwritten).
fn write_private(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

/// The headers every answer carries, error pages and refusals of the HTTP layer included.
fn security_header_pairs(settings: &Settings) -> Vec<(&'static str, &'static str)> {
    let mut headers = vec![
        (
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
             base-uri 'none'",
        ),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        (
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
        // Pages carry personal data; static files set their own long-lived Cache-Control.
        ("Cache-Control", "no-store"),
    ];
    if settings.is_https() {
        headers.push((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ));
    }
    headers
}

fn security_headers(settings: &Settings) -> DefaultHeaders {
    security_header_pairs(settings)
        .into_iter()
        .fold(DefaultHeaders::new(), |headers, pair| headers.add(pair))
}

/// The server as actix-web's `HttpServer` builds it (HTTP/1.1, keep-alive, 5 s to send a request
/// head, graceful shutdown on SIGINT/SIGTERM finishing requests in flight for up to 30 s), with
/// each connection wrapped in `wire::GuardedStream`.
fn serve(listener: TcpListener, state: AppState) -> anyhow::Result<Server> {
    let data = web::Data::new(state);
    let refusal_headers = wire::header_lines(&security_header_pairs(&data.settings));
    let local_addr = listener.local_addr()?;
    let server = actix_server::Server::build()
        .listen("gatehouse", listener, move || {
            let data = data.clone();
            let app = App::new()
                .app_data(data.clone())
                .app_data(web::FormConfig::default().limit(FORM_BODY_LIMIT))
                .app_data(web::PayloadConfig::new(FORM_BODY_LIMIT))
                .app_data(web::JsonConfig::default().limit(FORM_BODY_LIMIT))
                .wrap(from_fn(pages::head::head_as_get))
                .wrap(from_fn(error_pages))
                .wrap(security_headers(&data.settings))
                .wrap(TracingLogger::default())
                .route("/healthz", web::get().to(health::healthz))
                .route("/static/{path:.*}", web::get().to(assets::serve))
                .service(crate::api::scope())
                .service(
                    web::scope("")
                        .wrap(from_fn(session_layer))
                        .configure(pages::routes),
                )
                .default_service(web::to(pages::not_found))
                .into_factory()
                .map_err(|err| err.error_response());
            let refusal_headers = refusal_headers.clone();
            let shadow_config = actix_http::ServiceConfig::default();
            fn_service(move |stream: TcpStream| {
                let (refusal_headers, shadow_config) =
                    (refusal_headers.clone(), shadow_config.clone());
                async move {
                    let _ = stream.set_nodelay(true);
                    let peer = stream.peer_addr().ok();
                    let stream = wire::GuardedStream::new(stream, refusal_headers, shadow_config);
                    Ok::<_, DispatchError>((stream, Protocol::Http1, peer))
                }
            })
            .and_then(
                HttpService::build()
                    .client_request_timeout(Duration::from_secs(5))
                    .client_disconnect_timeout(Duration::from_secs(1))
                    .local_addr(local_addr)
                    .finish(map_config(app, |_| AppConfig::default())),
            )
        })?
        .shutdown_timeout(30)
        .run();
    Ok(server)
}

/// Hourly housekeeping: sessions past their absolute lifetime (idle ones go when next presented),
/// sign-in throttle counters and API rate limits that have been quiet for their whole window,
/// idle members, the emails that warn of tokens expiring within a week, and audit events past
/// their organization's retention (once a day each).
fn spawn_session_purger(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(3600));
        loop {
            interval.tick().await;
            let now = state.now();
            let settings = state.settings.clone();
            let notices = state
                .db(move |conn| crate::app::tokens::send_expiry_notices(&settings, now, conn))
                .await;
            match notices {
                Ok(0) => {}
                Ok(count) => {
                    state.outbox_wake.notify_one();
                    tracing::info!(count, "housekeeping: token expiry notices queued");
                }
                Err(err) => tracing::warn!(%err, "token expiry notices failed"),
            }
            let purged = state
                .db(move |conn| {
                    crate::domain::rate_limit::purge_idle(conn, now)?;
                    Ok::<_, diesel::result::Error>((
                        session::purge_expired(conn, now)?
                            + crate::domain::two_factor::purge_expired(conn, now)?,
                        crate::domain::throttle::purge_stale(conn, now)?
                            + crate::api::idempotency::purge(conn, now)?,
                        crate::domain::policy::inactivate_idle_members(
                            conn,
                            None,
                            now,
                            &crate::domain::audit::Actor::system(now),
                        )?,
                    ))
                })
                .await;
            match purged {
                Ok((sessions, throttles, inactivated))
                    if sessions + throttles + inactivated > 0 =>
                {
                    tracing::info!(
                        sessions,
                        throttles,
                        inactivated,
                        "housekeeping: expired sessions, stale sign-in counters, idle members"
                    )
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(%err, "housekeeping failed"),
            }
            let cleaned = state
                .db(move |conn| crate::app::audit_log::clean_up_expired(conn, now))
                .await;
            match cleaned {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "housekeeping: audit events past retention"),
                Err(err) => tracing::warn!(%err, "audit clean-up failed"),
            }
        }
    });
}
