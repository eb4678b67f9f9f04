//! `Idempotency-Key` on POST: the first request with a key claims it (a row, before the handler
//! runs, so a concurrent retry with the same key is told to wait instead of acting twice), and
//! its answer is kept for 24 hours; a retry with the same key and the same request gets the same
//! answer again, without acting. The same key with a different request is refused. A key whose
//! first request failed on our side (5xx) is released, so a retry acts.

use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::{self, BytesMut};
use actix_web::{Error, HttpMessage, HttpResponse};
use diesel::prelude::*;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use time::{Duration, PrimitiveDateTime};

use crate::api::auth::ApiCaller;
use crate::api::problem::Problem;
use crate::db::DbConnection;
use crate::db::schema::api_idempotency_keys;
use crate::domain::ids::TokenId;
use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";
/// How long an answer is kept for retries.
pub const RETENTION: Duration = Duration::hours(24);
/// A claim whose request never finished (the process died) may be taken over after this.
const ABANDONED_AFTER: Duration = Duration::minutes(2);
/// Status of a claimed key whose request is still running.
const IN_PROGRESS: i32 = 0;

enum Claim {
    /// Ours: run the request and record its answer.
    Claimed,
    /// Answered before: replay it.
    Replay {
        status: i32,
        body: String,
        location: Option<String>,
    },
    /// The same key with another request.
    Mismatch,
    /// The first request with this key is still running.
    InProgress,
}

fn claim(
    conn: &mut DbConnection,
    token_id: TokenId,
    key: &str,
    fingerprint: &str,
    now: PrimitiveDateTime,
) -> QueryResult<Claim> {
    // Old answers and abandoned claims go first, so the insert below can take their key.
    diesel::delete(
        api_idempotency_keys::table
            .filter(api_idempotency_keys::token_id.eq(token_id.get()))
            .filter(api_idempotency_keys::idempotency_key.eq(key))
            .filter(
                api_idempotency_keys::created_at.le(now - RETENTION).or(
                    api_idempotency_keys::status
                        .eq(IN_PROGRESS)
                        .and(api_idempotency_keys::created_at.le(now - ABANDONED_AFTER)),
                ),
            ),
    )
    .execute(conn)?;
    let inserted = diesel::insert_into(api_idempotency_keys::table)
        .values((
            api_idempotency_keys::token_id.eq(token_id.get()),
            api_idempotency_keys::idempotency_key.eq(key),
            api_idempotency_keys::request_fingerprint.eq(fingerprint),
            api_idempotency_keys::status.eq(IN_PROGRESS),
            api_idempotency_keys::body.eq(""),
            api_idempotency_keys::created_at.eq(now),
        ))
        .execute(conn);
    // Not in a transaction, so a refused insert costs nothing on PostgreSQL either.
    match inserted {
        Ok(_) => return Ok(Claim::Claimed),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => {}
        Err(err) => return Err(err),
    }
    let existing: Option<(String, i32, String, Option<String>)> = api_idempotency_keys::table
        .find((token_id.get(), key))
        .select((
            api_idempotency_keys::request_fingerprint,
            api_idempotency_keys::status,
            api_idempotency_keys::body,
            api_idempotency_keys::location,
        ))
        .first(conn)
        .optional()?;
    Ok(match existing {
        Some((stored, _, _, _)) if stored != fingerprint => Claim::Mismatch,
        Some((_, IN_PROGRESS, _, _)) | None => Claim::InProgress,
        Some((_, status, body, location)) => Claim::Replay {
            status,
            body,
            location,
        },
    })
}

fn record(
    conn: &mut DbConnection,
    token_id: TokenId,
    key: &str,
    status: StatusCode,
    body: &str,
    location: Option<&str>,
) -> QueryResult<()> {
    let row = api_idempotency_keys::table.find((token_id.get(), key));
    if status.is_server_error() {
        diesel::delete(row).execute(conn)?;
    } else {
        diesel::update(row)
            .set((
                api_idempotency_keys::status.eq(i32::from(status.as_u16())),
                api_idempotency_keys::body.eq(body),
                api_idempotency_keys::location.eq(location),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Deletes answers past their retention (run with the hourly clean-up).
pub fn purge(conn: &mut DbConnection, now: PrimitiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        api_idempotency_keys::table.filter(api_idempotency_keys::created_at.le(now - RETENTION)),
    )
    .execute(conn)
}

pub async fn idempotency_layer(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let key = req
        .headers()
        .get(HEADER)
        .map(|value| value.to_str().map(str::to_owned));
    let caller = req.extensions().get::<Arc<ApiCaller>>().cloned();
    let (Some(key), Some(caller), true) =
        (key, caller, req.method() == actix_web::http::Method::POST)
    else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let key = match key {
        Ok(key) if (1..=255).contains(&key.len()) => key,
        _ => {
            let problem =
                Problem::bad_request("An Idempotency-Key is 1 to 255 visible characters.");
            return Ok(req.into_response(problem.response()));
        }
    };
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let Ok(chunk) = chunk else {
            return Ok(
                req.into_response(Problem::bad_request("The body could not be read.").response())
            );
        };
        if body.len() + chunk.len() > crate::web::middleware::FORM_BODY_LIMIT {
            return Ok(req.into_response(HttpResponse::PayloadTooLarge().finish()));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let mut digest = Sha256::new();
    digest.update(req.method().as_str());
    digest.update([0]);
    digest.update(req.path());
    digest.update([0]);
    digest.update(&body);
    let fingerprint = hex::encode(digest.finalize());
    req.set_payload(body.into());

    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .expect("AppState is registered");
    let (token_id, now) = (caller.token_id, state.now());
    let claimed = {
        let (key, fingerprint) = (key.clone(), fingerprint.clone());
        state
            .db(move |conn| claim(conn, token_id, &key, &fingerprint, now))
            .await
    };
    let claimed = match claimed {
        Ok(claimed) => claimed,
        Err(err) => return Ok(req.into_response(Problem::from_app(err, caller.lang).response())),
    };
    match claimed {
        Claim::Claimed => {}
        Claim::Replay {
            status,
            body,
            location,
        } => {
            let status = u16::try_from(status)
                .ok()
                .and_then(|status| StatusCode::from_u16(status).ok())
                .unwrap_or(StatusCode::OK);
            let content_type = if status.is_success() {
                "application/json"
            } else {
                "application/problem+json"
            };
            let mut response = HttpResponse::build(status)
                .insert_header((header::CONTENT_TYPE, content_type))
                .insert_header(("idempotent-replayed", "true"))
                .body(body);
            if let Some(location) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            return Ok(req.into_response(response));
        }
        Claim::Mismatch => {
            let problem = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency-key-reused",
                "Idempotency-Key reused",
            )
            .detail("This Idempotency-Key was used with another request. Use a new key.");
            return Ok(req.into_response(problem.response()));
        }
        Claim::InProgress => {
            let mut problem = Problem::new(
                StatusCode::CONFLICT,
                "idempotency-key-in-use",
                "Request in progress",
            )
            .detail("The first request with this Idempotency-Key is still running. Retry shortly.");
            problem.retry_after = Some(1);
            return Ok(req.into_response(problem.response()));
        }
    }
    let response = next.call(req).await?;
    let (request, response) = response.into_parts();
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    // An answer that shows a secret once (a new client token) is not kept: a retry is told the
    // first request succeeded, and the secret exists only in that first answer.
    let holds_secret = status.is_success()
        && response
            .headers()
            .get(header::CACHE_CONTROL)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.contains("no-store"));
    let (head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body).await.unwrap_or_default();
    let (kept_status, text) = if holds_secret {
        let problem = Problem::new(
            StatusCode::CONFLICT,
            "idempotent-secret-not-kept",
            "Already done",
        )
        .detail(
            "The first request with this Idempotency-Key succeeded. Its answer showed a secret \
             once and was not kept: list the resources to find what it made, and revoke it if \
             the secret was lost.",
        );
        (
            StatusCode::CONFLICT,
            serde_json::to_string(&problem).unwrap_or_default(),
        )
    } else {
        (status, String::from_utf8_lossy(&bytes).into_owned())
    };
    let recorded = state
        .db(move |conn| {
            record(
                conn,
                token_id,
                &key,
                kept_status,
                &text,
                location.as_deref(),
            )
        })
        .await;
    if let Err(err) = recorded {
        tracing::warn!(%err, "could not record an idempotent answer");
    }
    let response = head.set_body(BoxBody::new(bytes));
    Ok(ServiceResponse::new(request, response))
}
