//! The command line: `serve` (the default), `migrate`, `create-admin`, `token create` and
//! `partner enable`.

use std::io::BufRead;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use crate::clock::{Clock, SystemClock};
use crate::config::{Settings, SettingsArgs};
use crate::crypto::password::{self, NewPassword};
use crate::db::{self, write_transaction};
use crate::domain::account::{self, EmailAddress};
use crate::domain::ids::OrganizationId;
use crate::domain::organization;
use crate::domain::setup::{self, FirstAdmin, SetupError};
use crate::startup::Application;

#[derive(Debug, Parser)]
#[command(
    name = "gatehouse",
    version,
    about = "Identity and access admin console"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: SettingsArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the console (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an organization and its owner, an Administrator. The password comes from
    /// GATEHOUSE_ADMIN_PASSWORD, or else the first line of standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        /// The new organization's name.
        #[arg(long)]
        org: String,
        /// The administrator's display name (defaults to the part of the email before @).
        #[arg(long)]
        name: Option<String>,
    },
    /// Personal access tokens: `gatehouse token create --email E --org ORG --name NAME` makes a
    /// token for a member who holds API access there (for bootstrapping an integration from a
    /// shell) and prints it, once, on standard output.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Partner organizations: `gatehouse partner enable ORG` lets an organization (by name or
    /// id) issue client access tokens from its My Clients page.
    Partner {
        #[command(subcommand)]
        action: PartnerAction,
    },
    /// The audit log: `gatehouse audit verify [ORG]` checks each organization's hash chain
    /// (or one, by name or id) and reports the first broken link; it exits with status 1 when
    /// a chain is broken.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum AuditAction {
    /// Check that no event was edited, inserted or deleted (other than by retention).
    Verify {
        /// The organization's exact name, or its id (default: every organization).
        organization: Option<String>,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenAction {
    /// Create a token; only the token is printed, on standard output.
    Create {
        /// The member's email.
        #[arg(long)]
        email: String,
        /// The organization's exact name, or its id.
        #[arg(long)]
        org: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
        /// Days until it expires (at most the organization's maximum).
        #[arg(long, default_value_t = 30)]
        days: i64,
        /// Read and write (the default is read only).
        #[arg(long)]
        write: bool,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum PartnerAction {
    /// Make the organization a partner.
    Enable {
        /// The organization's exact name, or its id.
        organization: String,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::try_from(cli.settings)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => migrate(settings).await,
        Command::CreateAdmin { email, org, name } => {
            create_admin(settings, &email, &org, name.as_deref()).await
        }
        Command::Token {
            action:
                TokenAction::Create {
                    email,
                    org,
                    name,
                    days,
                    write,
                },
        } => create_token(settings, &email, &org, &name, days, write).await,
        Command::Partner {
            action: PartnerAction::Enable { organization },
        } => enable_partner(settings, &organization).await,
        Command::Audit {
            action: AuditAction::Verify { organization },
        } => verify_audit(settings, organization.as_deref()).await,
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(settings, Arc::new(SystemClock)).await?;
    let address = app.state().settings.base_url.to_string();
    tracing::info!(%address, bind = %app.state().settings.bind, "Gatehouse is listening");
    println!("Gatehouse is running at {address}");
    if let Some(link) = &app.setup_link {
        tracing::info!("no account exists yet; printed a one-time setup link");
        println!();
        println!(
            "No account exists yet. Open this one-time link to create the first organization and its administrator:"
        );
        println!();
        println!("    {link}");
        println!();
    }
    app.run_until_stopped().await?;
    tracing::info!("stopped");
    Ok(())
}

async fn migrate(settings: Settings) -> anyhow::Result<()> {
    let url = settings.database_url.clone();
    let applied = tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
        let mut conn = db::connect(&url)?;
        Ok(crate::app::migrate(&mut conn)?)
    })
    .await??;
    println!("{applied} migration(s) applied; the database is up to date.");
    Ok(())
}

fn read_admin_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("GATEHOUSE_ADMIN_PASSWORD") {
        return Ok(password);
    }
    eprintln!("Password for the new administrator (one line on standard input):");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn create_admin(
    settings: Settings,
    email: &str,
    org: &str,
    name: Option<&str>,
) -> anyhow::Result<()> {
    let email = EmailAddress::parse(email)
        .map_err(|_| anyhow::anyhow!("{email:?} is not a valid email address"))?;
    let organization_name = organization::parse_name(org)
        .map_err(|_| anyhow::anyhow!("{org:?} is not a valid organization name"))?;
    let name = account::parse_name(name.unwrap_or(email.local_part()))
        .map_err(|_| anyhow::anyhow!("the name is empty or has control characters"))?;
    let password = match NewPassword::parse(&read_admin_password()?) {
        Ok(password) => password,
        Err(_) => bail!(
            "the password must be {} to {} characters long",
            password::MIN_LENGTH,
            password::MAX_LENGTH
        ),
    };

    let url = settings.database_url.clone();
    let cost = settings.bcrypt_cost;
    let (account, organization) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let password_hash = password::hash_blocking(password.expose(), cost)?;
        let mut conn = db::connect(&url)?;
        crate::app::migrate(&mut conn)?;
        let now = SystemClock.now();
        write_transaction(&mut conn, |conn| {
            setup::create_organization_with_admin(
                conn,
                &FirstAdmin {
                    organization_name: &organization_name,
                    email: &email,
                    name: &name,
                    password_hash: &password_hash,
                    language: None,
                },
                // From the command line: no address, browser or request.
                &crate::domain::audit::Origin::default(),
                now,
            )
        })
        .map_err(|err| match err {
            SetupError::EmailTaken => anyhow::anyhow!(
                "an account with the email {} already exists",
                email.as_str()
            ),
            other => anyhow::Error::from(other),
        })
    })
    .await?
    .context("could not create the administrator")?;
    println!(
        "Created organization {:?} (id {}) with administrator {} (account id {}).",
        organization.name, organization.id, account.email, account.id
    );
    Ok(())
}

/// The one organization with this exact name or id.
fn find_organization(
    conn: &mut db::DbConnection,
    wanted: &str,
) -> anyhow::Result<(OrganizationId, String)> {
    use crate::db::schema::organizations;
    use diesel::prelude::*;
    let by_id = wanted.parse::<OrganizationId>().ok();
    let found: Vec<(OrganizationId, String)> = organizations::table
        .filter(
            organizations::name
                .eq(wanted)
                .or(organizations::id.eq(by_id.unwrap_or(OrganizationId::new(-1)))),
        )
        .select((organizations::id, organizations::name))
        .load(conn)?;
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!("no organization is named {wanted:?} or has that id"),
        _ => bail!("several organizations match {wanted:?}: give its id instead"),
    }
}

async fn create_token(
    settings: Settings,
    email: &str,
    org: &str,
    name: &str,
    days: i64,
    write: bool,
) -> anyhow::Result<()> {
    use crate::app::access::{ApiUser, Capabilities};
    use crate::domain::personal_token::{self, TokenScope};
    let email = EmailAddress::parse(email)
        .map_err(|_| anyhow::anyhow!("{email:?} is not a valid email address"))?;
    let name = personal_token::parse_name(name)
        .map_err(|_| anyhow::anyhow!("the name must be 1 to 100 characters, on one line"))?;
    let (url, wanted) = (settings.database_url.clone(), org.trim().to_owned());
    let secret = tokio::task::spawn_blocking(move || -> anyhow::Result<String> {
        let mut conn = db::connect(&url)?;
        crate::app::migrate(&mut conn)?;
        let (organization_id, _) = find_organization(&mut conn, &wanted)?;
        let account = account::find_by_email(&mut conn, &email)?
            .ok_or_else(|| anyhow::anyhow!("no account has the email {}", email.as_str()))?;
        let member = organization::member_context(&mut conn, account.id, organization_id)?
            .ok_or_else(|| anyhow::anyhow!("{} is not an active member there", email.as_str()))?;
        if Capabilities::of(account.id, &member)
            .grant::<ApiUser>()
            .is_none()
        {
            bail!("{}'s roles there do not include API access", email.as_str());
        }
        let (max_days, _) = crate::domain::policy::token_settings(&mut conn, organization_id)?;
        if !(1..=i64::from(max_days)).contains(&days) {
            bail!("the organization allows tokens for 1 to {max_days} days");
        }
        let actor = crate::domain::audit::Actor::system(SystemClock.now());
        let (_, secret) = write_transaction(&mut conn, |conn| {
            personal_token::create(
                conn,
                account.id,
                organization_id,
                &name,
                TokenScope::of(write),
                actor.at + time::Duration::days(days),
                &actor,
            )
        })?;
        Ok(secret)
    })
    .await??;
    println!("{secret}");
    Ok(())
}

async fn enable_partner(settings: Settings, organization: &str) -> anyhow::Result<()> {
    let url = settings.database_url.clone();
    let wanted = organization.trim().to_owned();
    let (id, name, changed) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let mut conn = db::connect(&url)?;
        crate::app::migrate(&mut conn)?;
        let (id, name) = find_organization(&mut conn, &wanted)?;
        let actor = crate::domain::audit::Actor::system(SystemClock.now());
        let changed = write_transaction(&mut conn, |conn| {
            crate::domain::partnership::enable_partner(conn, id, &actor)
        })?;
        Ok((id, name, changed))
    })
    .await??;
    if changed {
        println!("{name} (id {id}) is now a partner: its admins can issue client tokens.");
    } else {
        println!("{name} (id {id}) was already a partner.");
    }
    Ok(())
}

async fn verify_audit(settings: Settings, organization: Option<&str>) -> anyhow::Result<()> {
    use crate::domain::audit::{self, Verdict};
    let url = settings.database_url.clone();
    let wanted = organization.map(|name| name.trim().to_owned());
    let verdicts = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        use crate::db::schema::organizations;
        use diesel::prelude::*;
        let mut conn = db::connect(&url)?;
        crate::app::migrate(&mut conn)?;
        let chosen: Vec<(OrganizationId, String)> = match wanted {
            Some(wanted) => vec![find_organization(&mut conn, &wanted)?],
            None => organizations::table
                .order(organizations::id.asc())
                .select((organizations::id, organizations::name))
                .load(&mut conn)?,
        };
        let mut verdicts = Vec::new();
        for (id, name) in chosen {
            verdicts.push((id, name, audit::verify(&mut conn, id)?));
        }
        Ok(verdicts)
    })
    .await??;
    let mut broken = 0;
    for (id, name, verdict) in verdicts {
        match verdict {
            Verdict::Intact { events } => {
                println!("{name} (id {id}): intact, {events} event(s)");
            }
            Verdict::Broken { event_id, reason } => {
                broken += 1;
                match event_id {
                    Some(event) => println!(
                        "{name} (id {id}): BROKEN at event {event}: {}",
                        reason.describe()
                    ),
                    None => println!("{name} (id {id}): BROKEN: {}", reason.describe()),
                }
            }
        }
    }
    if broken > 0 {
        bail!("{broken} organization(s) have a broken audit chain");
    }
    Ok(())
}
