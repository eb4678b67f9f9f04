//! The webhook worker: claims due deliveries (a lease, so several workers and instances never
//! attempt the same one at once), posts each in the Standard Webhooks format, and records the
//! outcome. A crash between sending and recording sends again after the lease, with the same
//! `webhook-id` (at least once).
//!
//! Where a delivery may connect is checked at each attempt: the host is resolved here and only
//! addresses the outbound rules allow are handed to the connector, so a name that resolves to an
//! inside address, now or after a DNS change, is refused; the peer of the answer is checked again.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use tokio::sync::Notify;
use url::Url;

use crate::crypto::webhook_signature::signature_header;
use crate::db::write_transaction;
use crate::domain::outbound::{self, AllowedNetworks};
use crate::domain::outbox::{self, OutgoingEmail};
use crate::domain::webhook::{self, AttemptResult, DueDelivery, Recorded};
use crate::domain::{account, organization};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::compose;
use crate::state::AppState;

const BATCH: i64 = 64;
/// Attempts in flight at once per worker.
const CONCURRENCY: usize = 16;
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// Resolves hosts for deliveries and keeps only the addresses they may connect to.
struct CheckedResolver {
    allowed: AllowedNetworks,
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allowed = self.allowed.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let mut refusal = None;
            let permitted: Vec<SocketAddr> = resolved
                .into_iter()
                .filter(|address| match outbound::check(address.ip(), &allowed) {
                    Ok(()) => true,
                    Err(why) => {
                        refusal = Some(why);
                        false
                    }
                })
                .collect();
            if permitted.is_empty() {
                let why = refusal.map_or("no address", |why| why.as_str());
                return Err(format!("{host} resolves to a refused address ({why})").into());
            }
            let addrs: Addrs = Box::new(permitted.into_iter());
            Ok(addrs)
        })
    }
}

/// The HTTP client of deliveries: no redirects, no proxy from the environment, 15 s in all.
pub fn client(allowed: &AllowedNetworks) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(CheckedResolver {
            allowed: allowed.clone(),
        }))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(TIMEOUT)
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!("Gatehouse-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Runs until the process ends. `wake` lets code that just queued a delivery skip the wait.
pub fn spawn(state: AppState, wake: Arc<Notify>, poll_interval: Duration) {
    let allowed = crate::app::webhooks::allowed_networks(&state.settings);
    let client = match client(&allowed) {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(%err, "webhook worker could not start its HTTP client");
            return;
        }
    };
    tokio::spawn(async move {
        loop {
            let full_batch = match run_once(&state, &client, &allowed).await {
                Ok(handled) => handled as i64 == BATCH,
                Err(err) => {
                    tracing::warn!(%err, "webhook pass failed");
                    false
                }
            };
            if !full_batch {
                tokio::select! {
                    _ = wake.notified() => {}
                    _ = tokio::time::sleep(poll_interval) => {}
                }
            }
        }
    });
}

/// One pass: claim what is due and attempt each, several at once. Returns how many.
pub async fn run_once(
    state: &AppState,
    client: &reqwest::Client,
    allowed: &AllowedNetworks,
) -> Result<usize, AppError> {
    let now = state.now();
    let due = state
        .db(move |conn| webhook::claim_due(conn, now, BATCH))
        .await?;
    let count = due.len();
    futures_util::stream::iter(due)
        .for_each_concurrent(CONCURRENCY, |delivery| async move {
            let started = Instant::now();
            let result = attempt(client, allowed, &delivery, state.now()).await;
            let latency_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
            if let Err(err) = record(state, delivery, result, latency_ms).await {
                tracing::warn!(%err, "webhook attempt could not be recorded");
            }
        })
        .await;
    Ok(count)
}

async fn record(
    state: &AppState,
    delivery: DueDelivery,
    result: AttemptResult,
    latency_ms: i32,
) -> Result<(), AppError> {
    let now = state.now();
    let jitter = rand::random_range(-1.0..=1.0);
    let settings = state.settings.clone();
    let id = delivery.id;
    let recorded = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let recorded =
                    webhook::record_attempt(conn, &delivery, &result, latency_ms, jitter, now)?;
                if recorded == Recorded::DisabledFailing {
                    tell_owner(conn, &delivery, &settings, now)?;
                }
                Ok::<_, crate::domain::rules::DomainError>(recorded)
            })
        })
        .await?;
    match recorded {
        Recorded::Delivered => tracing::info!(delivery = id, "webhook delivered"),
        Recorded::WillRetry => tracing::warn!(delivery = id, "webhook attempt failed; will retry"),
        Recorded::GaveUp => tracing::error!(delivery = id, "webhook delivery failed for good"),
        Recorded::DisabledGone | Recorded::DisabledFailing => {
            tracing::error!(delivery = id, outcome = ?recorded, "webhook disabled")
        }
    }
    if recorded == Recorded::DisabledFailing {
        state.outbox_wake.notify_one();
    }
    Ok(())
}

/// Emails the organization's owner that a webhook stopped after five days of failures.
fn tell_owner(
    conn: &mut crate::db::DbConnection,
    delivery: &DueDelivery,
    settings: &crate::config::Settings,
    now: time::PrimitiveDateTime,
) -> Result<(), crate::domain::rules::DomainError> {
    let Some(owner_id) = organization::owner_of(conn, delivery.organization_id)? else {
        return Ok(());
    };
    let Some(owner) = account::find(conn, owner_id)? else {
        return Ok(());
    };
    let organization_name = organization::name_of(conn, delivery.organization_id)?;
    let lang = owner
        .language
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(Lang::En);
    let content = compose::webhook_disabled(
        lang,
        &owner.name,
        &delivery.url,
        &organization_name,
        &settings.absolute_url(&format!("/webhooks/{}", delivery.webhook_id)),
    )?;
    outbox::enqueue(
        conn,
        &OutgoingEmail {
            organization_id: Some(delivery.organization_id),
            kind: "webhook-disabled",
            recipient: &owner.email,
            content,
            deadline: now + time::Duration::days(2),
        },
        settings.message_id_domain(),
        now,
    )?;
    Ok(())
}

/// The address of a URL whose host is written as one.
fn literal_address(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        url::Host::Domain(_) => None,
    }
}

/// Sends one delivery and says what came of it.
async fn attempt(
    client: &reqwest::Client,
    allowed: &AllowedNetworks,
    delivery: &DueDelivery,
    now: time::PrimitiveDateTime,
) -> AttemptResult {
    let url = match Url::parse(&delivery.url) {
        Ok(url) => url,
        Err(_) => return AttemptResult::NoAnswer("the URL is not valid".into()),
    };
    // A literal address never reaches the resolver: it is checked here. Plain http only goes to
    // networks the operator listed.
    if let Some(address) = literal_address(&url)
        && let Err(why) = outbound::check(address, allowed)
    {
        return AttemptResult::NoAnswer(format!("refused address ({})", why.as_str()));
    }
    if url.scheme() == "http" && !literal_address(&url).is_some_and(|a| allowed.contains(a)) {
        return AttemptResult::NoAnswer("plain http to an address not allowed".into());
    }
    let timestamp = now.assume_utc().unix_timestamp();
    let secrets: Vec<&str> = delivery.secrets.iter().map(String::as_str).collect();
    let signature = signature_header(
        &secrets,
        &delivery.message_id,
        timestamp,
        delivery.payload.as_bytes(),
    );
    let mut request = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &delivery.message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature);
    if let Some((user, password)) = &delivery.basic_auth {
        request = request.basic_auth(user, Some(password));
    }
    for (name, value) in &delivery.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    let mut response = match request.body(delivery.payload.clone()).send().await {
        Ok(response) => response,
        Err(err) => return AttemptResult::NoAnswer(describe(&err)),
    };
    if let Some(peer) = response.remote_addr()
        && let Err(why) = outbound::check(peer.ip(), allowed)
    {
        return AttemptResult::NoAnswer(format!(
            "connected to a refused address ({})",
            why.as_str()
        ));
    }
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| parse_retry_after(value, now));
    let mut body = Vec::new();
    while body.len() < webhook::RESPONSE_BODY_KEPT {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(webhook::RESPONSE_BODY_KEPT);
    AttemptResult::Answered {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
        retry_after,
    }
}

/// reqwest's error with its causes (the outer one alone says only "error sending request").
fn describe(err: &reqwest::Error) -> String {
    let mut text = if err.is_timeout() {
        "timed out".to_owned()
    } else {
        err.to_string()
    };
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `Retry-After` as seconds or as an HTTP date.
fn parse_retry_after(value: &str, now: time::PrimitiveDateTime) -> Option<time::Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<i64>() {
        return Some(time::Duration::seconds(seconds.max(0)));
    }
    let at =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    Some((at - now.assume_utc()).max(time::Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = datetime!(2026-12-05 12:00:00);
        assert_eq!(
            parse_retry_after("120", now),
            Some(time::Duration::seconds(120))
        );
        assert_eq!(
            parse_retry_after("Sat, 05 Dec 2026 12:10:00 GMT", now),
            Some(time::Duration::minutes(10))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
