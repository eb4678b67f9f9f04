//! Every setting, its environment variable and its default, in one place. `Settings` is built once in
//! `main` (or by the tests) and passed down; nothing reads the environment after start-up.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use time::Duration;
use url::Url;

use crate::crypto::sealed::{SecretKey, SecretKeyError};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/gatehouse.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// Command-line flags, each backed by an environment variable (and so by `.env`).
#[derive(Debug, Clone, Args)]
pub struct SettingsArgs {
    /// Database: `sqlite://PATH` (or a plain path) or `postgres://...`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,

    /// Address and port to listen on.
    #[arg(long, env = "GATEHOUSE_BIND", default_value = DEFAULT_BIND, global = true)]
    pub bind: String,

    /// The address people use to reach the console; links in emails are built from it. An https
    /// address turns on Secure, `__Host-` cookies and HSTS. Defaults to http://<bind>.
    #[arg(long, env = "GATEHOUSE_BASE_URL", global = true)]
    pub base_url: Option<String>,

    /// bcrypt cost factor for password hashes (4 to 31).
    #[arg(
        long,
        env = "GATEHOUSE_BCRYPT_COST",
        default_value_t = 12,
        global = true
    )]
    pub bcrypt_cost: u32,

    /// Minutes without activity after which a session ends.
    #[arg(
        long,
        env = "GATEHOUSE_SESSION_IDLE_MINUTES",
        default_value_t = 30,
        global = true
    )]
    pub session_idle_minutes: i64,

    /// Hours after sign-in after which a session ends, however active.
    #[arg(
        long,
        env = "GATEHOUSE_SESSION_LIFETIME_HOURS",
        default_value_t = 12,
        global = true
    )]
    pub session_lifetime_hours: i64,

    /// Database connections in the pool.
    #[arg(
        long,
        env = "GATEHOUSE_DB_POOL_SIZE",
        default_value_t = 10,
        global = true
    )]
    pub db_pool_size: u32,

    /// SMTP server for outgoing mail, e.g. `smtp://user:pass@host:587?tls=required` (STARTTLS),
    /// `smtps://user:pass@host:465` (implicit TLS) or `smtp://host:25` (plain). Without it, mail is
    /// written as .eml files under `<data dir>/mail`.
    #[arg(long, env = "GATEHOUSE_SMTP_URL", global = true)]
    pub smtp_url: Option<String>,

    /// The sender of every email.
    #[arg(
        long,
        env = "GATEHOUSE_MAIL_FROM",
        default_value = "Gatehouse <gatehouse@localhost>",
        global = true
    )]
    pub mail_from: String,

    /// Reverse proxies whose `X-Forwarded-For` is believed: addresses or CIDR ranges, separated
    /// by commas. Without it, the connecting peer is the client.
    #[arg(
        long,
        env = "GATEHOUSE_TRUSTED_PROXIES",
        default_value = "",
        global = true
    )]
    pub trusted_proxies: String,

    /// Networks webhook deliveries may reach although they are loopback, private or otherwise
    /// inside (addresses or CIDR ranges, separated by commas), e.g. `127.0.0.1/32` for a receiver
    /// on this machine. Plain http URLs are accepted only to addresses listed here.
    #[arg(
        long,
        env = "GATEHOUSE_WEBHOOK_ALLOWED_NETWORKS",
        default_value = "",
        global = true
    )]
    pub webhook_allowed_networks: String,

    /// Days an invitation link stays valid.
    #[arg(
        long,
        env = "GATEHOUSE_INVITATION_DAYS",
        default_value_t = 7,
        global = true
    )]
    pub invitation_days: i64,

    /// How many partner companies one organization may register.
    #[arg(
        long,
        env = "GATEHOUSE_MAX_PARTNERS",
        default_value_t = 10,
        global = true
    )]
    pub max_partners: i64,

    /// The key that seals secrets the server must read back (authenticator apps' secrets, identity
    /// providers' client secrets): 32 bytes in base64, e.g. from `openssl rand -base64 32`. Every
    /// instance on one database needs the same key. Without it, a SQLite console keeps a key it
    /// generates in `secret.key` beside the database file; a PostgreSQL one offers no feature that
    /// needs it.
    #[arg(
        long,
        env = "GATEHOUSE_SECRET_KEY",
        global = true,
        hide_env_values = true
    )]
    pub secret_key: Option<String>,

    /// Log format: `pretty` for people, `json` for log collectors.
    #[arg(
        long,
        env = "GATEHOUSE_LOG_FORMAT",
        default_value = "pretty",
        global = true
    )]
    pub log_format: String,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub bind: String,
    pub base_url: Url,
    pub bcrypt_cost: u32,
    pub session_idle: Duration,
    pub session_lifetime: Duration,
    pub db_pool_size: u32,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub invitation_lifetime: Duration,
    /// How many partner companies one organization may register (Partners page).
    pub max_partners: i64,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Where mail files go when no SMTP server is configured.
    pub mail_dir: PathBuf,
    /// How often the outbox worker looks for due messages when nothing wakes it.
    pub outbox_poll_interval: std::time::Duration,
    /// Whether this process delivers mail (tests turn it off to stage a crash before delivery).
    pub run_outbox_worker: bool,
    /// Networks webhook deliveries may reach despite the outbound address rules.
    pub webhook_allowed_networks: Vec<ipnet::IpNet>,
    /// How often the webhook worker looks for due deliveries when nothing wakes it.
    pub webhook_poll_interval: std::time::Duration,
    /// Whether this process delivers webhooks (tests turn it off to stage a crash).
    pub run_webhook_worker: bool,
    /// Seals stored secrets; see [`Settings::resolve_secret_key`] for where it comes from.
    pub secret_key: Option<SecretKey>,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("GATEHOUSE_BASE_URL is not a valid http(s) URL: {0}")]
    BaseUrl(String),
    #[error("GATEHOUSE_BIND is not an address and port (like 127.0.0.1:8080): {0}")]
    Bind(String),
    #[error("GATEHOUSE_BCRYPT_COST must be between 4 and 31, not {0}")]
    BcryptCost(u32),
    #[error("session durations must be positive")]
    SessionDuration,
    #[error("GATEHOUSE_TRUSTED_PROXIES must list addresses or CIDR ranges: {0}")]
    TrustedProxies(String),
    #[error("GATEHOUSE_WEBHOOK_ALLOWED_NETWORKS must list addresses or CIDR ranges: {0}")]
    WebhookAllowedNetworks(String),
    #[error(transparent)]
    SecretKey(#[from] SecretKeyError),
}

impl Settings {
    /// Settings for a database URL with every other value at its default.
    pub fn with_database_url(database_url: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            bind: DEFAULT_BIND.to_owned(),
            base_url: Url::parse(&format!("http://{DEFAULT_BIND}")).expect("default base URL"),
            bcrypt_cost: bcrypt::DEFAULT_COST,
            session_idle: Duration::minutes(30),
            session_lifetime: Duration::hours(12),
            db_pool_size: 10,
            smtp_url: None,
            invitation_lifetime: Duration::days(7),
            max_partners: 10,
            trusted_proxies: Vec::new(),
            mail_from: "Gatehouse <gatehouse@localhost>".to_owned(),
            mail_dir: PathBuf::from("data/mail"),
            outbox_poll_interval: std::time::Duration::from_secs(5),
            run_outbox_worker: true,
            webhook_allowed_networks: Vec::new(),
            webhook_poll_interval: std::time::Duration::from_secs(1),
            run_webhook_worker: true,
            secret_key: None,
        }
    }

    /// Whether cookies must be Secure and HSTS sent: true when people reach us over https.
    pub fn is_https(&self) -> bool {
        self.base_url.scheme() == "https"
    }

    /// `scheme://host[:port]` of the base URL, as browsers send it in `Origin`.
    pub fn origin(&self) -> String {
        self.base_url.origin().ascii_serialization()
    }

    /// The right-hand side of Message-IDs: our host name.
    pub fn message_id_domain(&self) -> &str {
        self.base_url.host_str().unwrap_or("gatehouse.localhost")
    }

    /// An absolute link to a path of the console, e.g. for emails and the setup link.
    pub fn absolute_url(&self, path: &str) -> String {
        let base = self.base_url.as_str().trim_end_matches('/');
        format!("{base}{path}")
    }
}

impl TryFrom<SettingsArgs> for Settings {
    type Error = SettingsError;

    fn try_from(args: SettingsArgs) -> Result<Self, Self::Error> {
        args.bind
            .parse::<SocketAddr>()
            .map_err(|_| SettingsError::Bind(args.bind.clone()))?;
        let base_url = args
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", args.bind));
        let base_url = Url::parse(&base_url)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https") && url.has_host())
            .ok_or(SettingsError::BaseUrl(base_url))?;
        if !(4..=31).contains(&args.bcrypt_cost) {
            return Err(SettingsError::BcryptCost(args.bcrypt_cost));
        }
        if args.session_idle_minutes <= 0 || args.session_lifetime_hours <= 0 {
            return Err(SettingsError::SessionDuration);
        }
        Ok(Self {
            database_url: args.database_url,
            bind: args.bind,
            base_url,
            bcrypt_cost: args.bcrypt_cost,
            session_idle: Duration::minutes(args.session_idle_minutes),
            session_lifetime: Duration::hours(args.session_lifetime_hours),
            db_pool_size: args.db_pool_size.max(1),
            smtp_url: args.smtp_url.filter(|url| !url.trim().is_empty()),
            invitation_lifetime: Duration::days(args.invitation_days.max(1)),
            max_partners: args.max_partners.max(0),
            trusted_proxies: parse_networks(&args.trusted_proxies)
                .map_err(SettingsError::TrustedProxies)?,
            webhook_allowed_networks: parse_networks(&args.webhook_allowed_networks)
                .map_err(SettingsError::WebhookAllowedNetworks)?,
            webhook_poll_interval: std::time::Duration::from_secs(1),
            run_webhook_worker: true,
            mail_from: args.mail_from,
            mail_dir: PathBuf::from("data/mail"),
            outbox_poll_interval: std::time::Duration::from_secs(5),
            run_outbox_worker: true,
            secret_key: args
                .secret_key
                .filter(|key| !key.trim().is_empty())
                .map(|key| SecretKey::parse(&key))
                .transpose()?,
        })
    }
}

/// Addresses or CIDR ranges separated by commas; a bare address is its own /32 or /128. The
/// error is the entry that is neither.
fn parse_networks(list: &str) -> Result<Vec<ipnet::IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<ipnet::IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| entry.to_owned())
        })
        .collect()
}
